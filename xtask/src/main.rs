//! `cargo xtask wasm`: builds the ASL engine for the browser into `static/asl/asl.wasm` and
//! records the hash of its sources beside it.

use std::fs;
use std::io::Write;
use std::process::{Command, ExitCode};

use flate2::Compression;
use flate2::write::GzEncoder;

const TARGET: &str = "wasm32-unknown-unknown";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("wasm") => match wasm() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask wasm\n  wasm  build static/asl/asl.wasm (needs `rustup target add {TARGET}`)"
            );
            ExitCode::from(2)
        }
    }
}

fn wasm() -> Result<(), String> {
    let root = xtask::repository();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--locked", "--package", "asl-wasm", "--lib"])
        .args(["--profile", "wasm", "--target", TARGET])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the wasm build failed (is the target installed? `rustup target add {TARGET}`)"
        ));
    }
    let built = target_directory(&root)?
        .join(TARGET)
        .join("wasm")
        .join("asl_wasm.wasm");
    let bytes = fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    let wasm = root.join(xtask::WASM);
    fs::create_dir_all(wasm.parent().expect("a folder"))
        .map_err(|e| format!("{}: {e}", wasm.display()))?;
    fs::write(&wasm, &bytes).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let sources = xtask::sources_hash(&root).map_err(|e| format!("hashing the sources: {e}"))?;
    let own = xtask::file_hash(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let record = root.join(xtask::SOURCES_HASH);
    fs::write(&record, xtask::record(&sources, &own))
        .map_err(|e| format!("{}: {e}", record.display()))?;
    println!(
        "Wrote {} ({} bytes, {} gzipped)",
        xtask::WASM,
        bytes.len(),
        gzipped_len(&bytes)
    );
    Ok(())
}

/// Where Cargo builds, as it says itself: `CARGO_TARGET_DIR`, a config's `build.target-dir`
/// or `target/`.
fn target_directory(root: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cannot read cargo metadata: {e}"))?;
    metadata["target_directory"]
        .as_str()
        .map(std::path::PathBuf::from)
        .ok_or_else(|| "cargo metadata names no target directory".to_string())
}

/// The size a server sending it gzipped (level 9) would send.
fn gzipped_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|out| out.len()).unwrap_or(0)
}
