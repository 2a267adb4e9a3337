//! What `cargo xtask wasm` and the test that keeps the committed wasm fresh share: where the
//! engine's sources are, and one hash of them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The committed engine for the browser, relative to the repository root.
pub const WASM: &str = "static/asl/asl.wasm";

/// The hash of the sources the committed wasm was built from, beside it.
pub const SOURCES_HASH: &str = "static/asl/asl.wasm.sources";

/// The crates compiled into the wasm. Their manifests and `src/` folders are its sources.
const ENGINE_CRATES: &[&str] = &["crates/asl", "crates/asl-wasm", "crates/jsonata"];

/// The repository root (the xtask lives one folder below it).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

/// SHA-256 over the engine's source files: each file's path (with `/`) and its text with line
/// endings made `\n`, in path order, so a checkout on Windows gives the same hash.
pub fn sources_hash(root: &Path) -> io::Result<String> {
    let mut files = Vec::new();
    for krate in ENGINE_CRATES {
        files.push(PathBuf::from(krate).join("Cargo.toml"));
        collect(root, &Path::new(krate).join("src"), &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let name = file.to_string_lossy().replace('\\', "/");
        let text = fs::read(root.join(&file))?;
        let text: Vec<u8> = String::from_utf8_lossy(&text).replace("\r\n", "\n").into();
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(&text);
    }
    Ok(hex(&hasher.finalize()))
}

/// The hash of a file's bytes.
pub fn file_hash(path: &Path) -> io::Result<String> {
    Ok(hex(&Sha256::digest(fs::read(path)?)))
}

/// What [`SOURCES_HASH`] holds: the sources' hash and the wasm's own, one per line.
pub fn record(sources: &str, wasm: &str) -> String {
    format!("sources {sources}\nwasm {wasm}\n")
}

/// Reads back what [`record`] wrote: `(sources, wasm)`.
pub fn read_record(text: &str) -> Option<(String, String)> {
    let mut sources = None;
    let mut wasm = None;
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("sources", hash)) => sources = Some(hash.to_string()),
            Some(("wasm", hash)) => wasm = Some(hash.to_string()),
            _ => {}
        }
    }
    Some((sources?, wasm?))
}

fn collect(root: &Path, folder: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(root.join(folder))? {
        let entry = entry?;
        let relative = folder.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            collect(root, &relative, files)?;
        } else {
            files.push(relative);
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
