//! Helpers shared by the integration tests: copy a fixture site to a temporary folder, build
//! it, and read the output with an HTML parser.

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

/// The fixture folder `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of fixture `name` in a new temporary folder (so builds never write into the repo).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs the `awskb` binary with `args`.
pub fn awskb(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_awskb"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Parses an output file as an HTML document.
pub fn html(path: &Path) -> Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// Texts of the elements matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Values of attribute `attr` on the elements matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
