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

/// SHA-256 over what the wasm is built from: the engine crates' manifests and `src/` files
/// (each file's path with `/` and its text with line endings made `\n`, in path order, so a
/// checkout on Windows gives the same hash; editors' scratch and hidden files left out), the
/// versions Cargo.lock resolves for the engine's dependencies, and the `[profile.wasm]` section.
pub fn sources_hash(root: &Path) -> io::Result<String> {
    let mut files = Vec::new();
    for krate in ENGINE_CRATES {
        files.push(PathBuf::from(krate).join("Cargo.toml"));
        collect(root, &Path::new(krate).join("src"), &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    let mut add = |name: &str, text: &[u8]| {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text);
    };
    for file in files {
        let name = file.to_string_lossy().replace('\\', "/");
        let text = fs::read(root.join(&file))?;
        add(
            &name,
            String::from_utf8_lossy(&text)
                .replace("\r\n", "\n")
                .as_bytes(),
        );
    }
    let lock = fs::read_to_string(root.join("Cargo.lock"))?;
    add(
        "Cargo.lock: the engine's packages",
        locked_packages(&lock)?.as_bytes(),
    );
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    add(
        "Cargo.toml: [profile.wasm]",
        wasm_profile(&manifest)?.as_bytes(),
    );
    Ok(hex(&hasher.finalize()))
}

/// `name version source` of every package `asl-wasm` depends on, directly or not, one per line
/// in order: a `cargo update` that changes one of them changes the wasm, other lock changes do
/// not.
fn locked_packages(lock: &str) -> io::Result<String> {
    let lock: toml::Table = toml::from_str(lock).map_err(invalid)?;
    let packages = lock
        .get("package")
        .and_then(toml::Value::as_array)
        .ok_or_else(|| invalid("Cargo.lock has no packages"))?;
    let field = |package: &toml::Value, key: &str| {
        package
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    // A dependency is named `name` or, when two versions are locked, `name version`.
    let named = |reference: &str| {
        let mut parts = reference.split(' ');
        let (name, version) = (parts.next().unwrap_or_default(), parts.next());
        packages.iter().find(|package| {
            field(package, "name") == name && version.is_none_or(|v| field(package, "version") == v)
        })
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec!["asl-wasm".to_string()];
    while let Some(reference) = todo.pop() {
        let Some(package) = named(&reference) else {
            continue;
        };
        let id = format!(
            "{} {} {}",
            field(package, "name"),
            field(package, "version"),
            field(package, "source")
        );
        if !seen.insert(id) {
            continue;
        }
        if let Some(dependencies) = package.get("dependencies").and_then(toml::Value::as_array) {
            todo.extend(
                dependencies
                    .iter()
                    .filter_map(|d| d.as_str().map(str::to_string)),
            );
        }
    }
    Ok(seen.into_iter().collect::<Vec<_>>().join("\n"))
}

/// The workspace's `[profile.wasm]` table, as TOML text.
fn wasm_profile(manifest: &str) -> io::Result<String> {
    let manifest: toml::Table = toml::from_str(manifest).map_err(invalid)?;
    let profile = manifest
        .get("profile")
        .and_then(|profiles| profiles.get("wasm"))
        .ok_or_else(|| invalid("Cargo.toml has no [profile.wasm]"))?;
    Ok(profile.to_string())
}

fn invalid(error: impl ToString) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error.to_string())
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

/// The files under `folder`, without hidden files and editors' scratch files (`.x.swp`, `x~`,
/// `#x#`), which are not sources.
fn collect(root: &Path, folder: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(root.join(folder))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
            continue;
        }
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
