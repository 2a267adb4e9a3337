//! The committed JavaScript bundles under `static/js/vendor/` must be built from the current
//! `web/` sources (the npm lockfile, `build.mjs` and each bundle's entry): change one of them
//! and this fails until `cd web && npm ci && npm run build` runs again. No npm needed here: the
//! build records each input's SHA-256 beside the bundle (`codemirror.js.sources`).

use std::fs;
use std::path::Path;

/// The bundles `web/build.mjs` makes.
const BUNDLES: &[&str] = &[
    "static/js/vendor/codemirror.js",
    "static/js/vendor/mermaid.js",
];

/// Every problem with one bundle's record, empty when it is fresh.
fn stale(root: &Path, bundle: &str) -> Vec<String> {
    let record = root.join(format!("{bundle}.sources"));
    let Ok(text) = fs::read_to_string(&record) else {
        return vec![format!("{} is missing", record.display())];
    };
    let mut problems = Vec::new();
    for line in text.lines() {
        let Some((name, recorded)) = line.split_once(' ') else {
            problems.push(format!("{}: unreadable line {line:?}", record.display()));
            continue;
        };
        let file = if name == "bundle" {
            root.join(bundle)
        } else {
            root.join("web").join(name)
        };
        match xtask::file_hash(&file) {
            Ok(current) if current == recorded => {}
            Ok(_) => problems.push(format!(
                "{} changed since {bundle} was built",
                file.display()
            )),
            Err(error) => problems.push(format!("{}: {error}", file.display())),
        }
    }
    if !text.lines().any(|l| l.starts_with("package-lock.json ")) {
        problems.push(format!(
            "{} does not record web/package-lock.json",
            record.display()
        ));
    }
    problems
}

#[test]
fn committed_bundles_match_their_sources() {
    let root = xtask::repository();
    let problems: Vec<String> = BUNDLES.iter().flat_map(|b| stale(&root, b)).collect();
    assert!(
        problems.is_empty(),
        "stale JavaScript bundles; run `cd web && npm ci && npm run build` and commit the result:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_changed_lockfile_makes_a_bundle_stale() {
    let root = xtask::repository();
    let dir = std::env::temp_dir().join(format!("xtask-bundles-{}", std::process::id()));
    let bundle = "static/js/vendor/codemirror.js";
    fs::create_dir_all(dir.join("static/js/vendor")).unwrap();
    fs::create_dir_all(dir.join("web")).unwrap();
    for name in ["package-lock.json", "build.mjs", "codemirror.mjs"] {
        fs::copy(root.join("web").join(name), dir.join("web").join(name)).unwrap();
    }
    for file in [bundle.to_string(), format!("{bundle}.sources")] {
        fs::copy(root.join(&file), dir.join(&file)).unwrap();
    }
    let fresh = stale(&dir, bundle);
    let mut lock = fs::read_to_string(dir.join("web/package-lock.json")).unwrap();
    lock.push('\n');
    fs::write(dir.join("web/package-lock.json"), lock).unwrap();
    let after_lock = stale(&dir, bundle);
    fs::write(dir.join(bundle), "/* edited by hand */").unwrap();
    let after_edit = stale(&dir, bundle);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(fresh, Vec::<String>::new());
    assert_eq!(after_lock.len(), 1, "{after_lock:?}");
    assert!(
        after_lock[0].contains("package-lock.json"),
        "{after_lock:?}"
    );
    assert_eq!(after_edit.len(), 2, "{after_edit:?}");
}
