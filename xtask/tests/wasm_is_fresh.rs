//! The committed `static/asl/asl.wasm` must be built from the engine's current sources: edit
//! `crates/asl`, `crates/asl-wasm` or `crates/jsonata` and this fails until `cargo xtask wasm`
//! runs again.

use std::fs;

#[test]
fn committed_wasm_matches_the_engine_sources() {
    let root = xtask::repository();
    let recorded = fs::read_to_string(root.join(xtask::SOURCES_HASH))
        .expect("static/asl/asl.wasm.sources is committed; run `cargo xtask wasm`");
    let (sources, wasm) = xtask::read_record(&recorded).expect("a `sources` and a `wasm` line");
    let current = xtask::sources_hash(&root).expect("the engine's sources are readable");
    assert_eq!(
        sources, current,
        "the engine's sources changed since static/asl/asl.wasm was built: run `cargo xtask wasm` and commit the result"
    );
    let built = xtask::file_hash(&root.join(xtask::WASM)).expect("static/asl/asl.wasm exists");
    assert_eq!(
        wasm, built,
        "static/asl/asl.wasm is not the file `cargo xtask wasm` recorded: run it again"
    );
}

#[test]
fn the_hash_follows_the_sources_not_line_endings_or_scratch_files() {
    let dir = std::env::temp_dir().join(format!("xtask-hash-{}", std::process::id()));
    let root = xtask::repository();
    fs::create_dir_all(&dir).unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    fs::copy(root.join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    let write = |text: &str| {
        for krate in ["crates/asl", "crates/asl-wasm", "crates/jsonata"] {
            fs::create_dir_all(dir.join(krate).join("src/nested")).unwrap();
            fs::write(dir.join(krate).join("Cargo.toml"), "[package]\n").unwrap();
            fs::write(dir.join(krate).join("src/nested/lib.rs"), text).unwrap();
        }
        xtask::sources_hash(&dir).unwrap()
    };
    let unix = write("fn a() {}\nfn b() {}\n");
    let windows = write("fn a() {}\r\nfn b() {}\r\n");
    fs::write(dir.join("crates/asl/src/.lib.rs.swp"), "scratch").unwrap();
    fs::write(dir.join("crates/asl/src/lib.rs~"), "backup").unwrap();
    let with_scratch = xtask::sources_hash(&dir).unwrap();
    let changed = write("fn a() {}\nfn c() {}\n");
    // The wasm profile counts; other manifest sections do not.
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        manifest.replace("opt-level = \"z\"", "opt-level = \"s\""),
    )
    .unwrap();
    let other_profile = xtask::sources_hash(&dir).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        format!("{manifest}\n[workspace.metadata.x]\ny = 1\n"),
    )
    .unwrap();
    let other_section = xtask::sources_hash(&dir).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(unix, windows);
    assert_eq!(unix, with_scratch);
    assert_ne!(unix, changed);
    assert_ne!(changed, other_profile);
    assert_eq!(changed, other_section);
}
