//! Walking `content/`: which files are pages, sections, bundles and assets.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// What a file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `_index.md`: describes the section of its folder.
    Section(PathBuf),
    /// Any other `.md` file, or `index.md` of a page bundle.
    Page(PathBuf),
    /// A file copied to the output; `bundle` is the `index.md` of the page bundle that owns it.
    Asset {
        path: PathBuf,
        bundle: Option<PathBuf>,
    },
    /// A folder (a section, whether or not it has an `_index.md`); not bundles or their insides.
    Folder(PathBuf),
}

/// Hidden files and folders and [editors' scratch files](is_scratch): never content, and
/// `serve` ignores their changes.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_scratch(name)
}

/// Files editors leave beside the one being saved (`file~`, `.file.swp`, `#file#`, Vim's
/// `4913` probe).
pub fn is_scratch(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == "4913"
}

/// Lists `content_dir` (paths relative to it), sorted, following symlinks. Loops and unreadable
/// entries become diagnostics; `display_prefix` is how the folder is named in them.
pub fn walk(content_dir: &Path, display_prefix: &Path) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    let mut diagnostics = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let at = error
                    .path()
                    .and_then(|p| p.strip_prefix(content_dir).ok())
                    .map(|p| display_prefix.join(p));
                let file = at.unwrap_or_else(|| display_prefix.to_path_buf());
                let diagnostic = match error.loop_ancestor() {
                    Some(ancestor) => Diagnostic::error(
                        file,
                        0,
                        0,
                        "symlink-loop",
                        format!("symbolic link loops back to {}", ancestor.display()),
                    )
                    .with_help("remove the link or point it outside its own ancestors"),
                    None => Diagnostic::error(file, 0, 0, "io", format!("cannot read: {error}")),
                };
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        if entry.file_type().is_dir() {
            folders.push(rel);
        } else {
            files.push(rel);
        }
    }

    let bundles: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.md"))
        .map(|f| f.parent().unwrap_or(Path::new("")).to_path_buf())
        .collect();
    let bundle_of = |path: &Path| {
        bundles
            .iter()
            .filter(|dir| path.starts_with(dir) && !dir.as_os_str().is_empty())
            .max_by_key(|dir| dir.components().count())
            .cloned()
    };

    let mut entries: Vec<Entry> = folders
        .into_iter()
        .filter(|dir| dir.as_os_str().is_empty() || bundle_of(&dir.join("x")).is_none())
        .map(Entry::Folder)
        .collect();
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_markdown = name.ends_with(".md");
        let bundle = bundle_of(&file).map(|dir| dir.join("index.md"));
        let entry = match (&bundle, name.as_str()) {
            (Some(index), _) if *index == file => Entry::Page(file),
            (Some(index), _) => Entry::Asset {
                path: file,
                bundle: Some(index.clone()),
            },
            (None, "_index.md") => Entry::Section(file),
            (None, _) if is_markdown => Entry::Page(file),
            (None, _) => Entry::Asset {
                path: file,
                bundle: None,
            },
        };
        entries.push(entry);
    }
    (entries, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "_index.md",
            "a/_index.md",
            "a/page.md",
            "a/b/index.md",
            "a/b/pic.png",
            "a/b/sub/data.json",
            "img.png",
            "a/.hidden.md",
            "a/x.md~",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let (entries, diagnostics) = walk(root, Path::new("content"));
        assert!(diagnostics.is_empty());
        let p = PathBuf::from;
        assert!(entries.contains(&Entry::Section(p("a/_index.md"))));
        assert!(entries.contains(&Entry::Page(p("a/page.md"))));
        assert!(entries.contains(&Entry::Page(p("a/b/index.md"))));
        assert!(entries.contains(&Entry::Asset {
            path: p("a/b/sub/data.json"),
            bundle: Some(p("a/b/index.md"))
        }));
        assert!(entries.contains(&Entry::Asset {
            path: p("img.png"),
            bundle: None
        }));
        assert!(entries.contains(&Entry::Folder(p("a"))));
        assert!(
            !entries.contains(&Entry::Folder(p("a/b"))),
            "a bundle is not a section"
        );
        assert!(
            !entries
                .iter()
                .any(|e| matches!(e, Entry::Page(p) if p.ends_with(".hidden.md")))
        );
        assert_eq!(
            entries
                .iter()
                .filter(|e| matches!(e, Entry::Page(_)))
                .count(),
            2
        );
    }
}
