//! Where a site's pages are: `ROOT/content/`, the folder the config's `content_dir` names, or
//! the root itself for a notes repository built in place (Markdown in the root, no `content/`).

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::walk::is_ignored;
use crate::output::MARKER;

/// The folder under the site root that holds the pages unless the config says otherwise.
pub const CONTENT_DIR: &str = "content";
/// The folder of a site's own templates (never content, even when the root is).
pub const TEMPLATES_DIR: &str = "templates";
/// The folder of a site's own static files (never content, even when the root is).
pub const STATIC_DIR: &str = "static";

/// How deep below the root the Markdown that makes a folder without `content/` a notes
/// repository is looked for (the root's files are depth 1).
const DETECT_DEPTH: usize = 3;

/// The output folder a build writes when not told another (`-o`).
pub const DEFAULT_OUTPUT: &str = "public";

/// The content folder of a site and what inside it is never content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The content folder relative to the root; empty when the root itself is the content.
    pub dir: PathBuf,
    /// Folders relative to the content folder that hold a build's output (`public/`, `-o`).
    outputs: Vec<PathBuf>,
    /// Whether the root was chosen because it has Markdown and no `content/` (not by config):
    /// the command line says so once.
    detected: bool,
}

impl Layout {
    /// The layout of the site at `root`: the config's `content_dir` when set (`"."` is the root
    /// itself), else `content/`, else the root when it holds Markdown. `output` is where a
    /// build writes (`None`: `ROOT/public`); inside the content it is skipped, as is any folder
    /// holding a previous build's marker.
    pub fn detect(root: &Path, content_dir: Option<&str>, output: Option<&Path>) -> Layout {
        let (dir, detected) = match content_dir.map(str::trim) {
            Some(dir) => (normal(Path::new(dir)), false),
            None if root.join(CONTENT_DIR).is_dir() => (PathBuf::from(CONTENT_DIR), false),
            None => (PathBuf::new(), true),
        };
        let mut layout = Layout {
            dir,
            outputs: Vec::new(),
            detected,
        };
        let output = match output {
            Some(out) => absolute(out),
            None => absolute(&root.join(DEFAULT_OUTPUT)),
        };
        let content = absolute(&layout.abs(root));
        if let Ok(inside) = output.strip_prefix(&content) {
            layout.outputs.push(inside.to_path_buf());
        }
        if layout.detected && !layout.has_markdown(root) {
            // Neither `content/` nor notes: the walk reports the missing `content/`.
            layout.dir = PathBuf::from(CONTENT_DIR);
            layout.detected = false;
            layout.outputs.clear();
        }
        layout
    }

    /// The layout of a site with its pages in `content/` (tests, and sites without a root).
    pub fn standard() -> Layout {
        Layout {
            dir: PathBuf::from(CONTENT_DIR),
            outputs: Vec::new(),
            detected: false,
        }
    }

    /// Whether the root itself is the content.
    pub fn in_place(&self) -> bool {
        self.dir.as_os_str().is_empty()
    }

    /// The content folder's absolute path.
    pub fn abs(&self, root: &Path) -> PathBuf {
        root.join(&self.dir)
    }

    /// How a file of the content (path relative to it) is named in diagnostics: relative to
    /// the root (`content/aws/lambda.md`, or `aws/lambda.md` in place).
    pub fn display(&self, rel: &Path) -> PathBuf {
        self.dir.join(rel)
    }

    /// How the content folder itself is named in messages.
    pub fn name(&self) -> String {
        if self.in_place() {
            "the site folder".into()
        } else {
            format!("{}/", self.dir.display())
        }
    }

    /// Whether the folder at `rel` (relative to the content, at `abs` on disk) is never
    /// content: a build's output, a folder holding an output marker, and in place the site's
    /// `templates/` and `static/` and any `node_modules/`. Hidden entries are skipped by the
    /// walk itself.
    pub fn skips(&self, rel: &Path, abs: &Path) -> bool {
        if self.outputs.iter().any(|out| out == rel) || abs.join(MARKER).is_file() {
            return true;
        }
        self.in_place()
            && (rel == Path::new(TEMPLATES_DIR)
                || rel == Path::new(STATIC_DIR)
                || rel.file_name().is_some_and(|n| n == "node_modules"))
    }

    /// Whether a path relative to the content is inside a folder [`skips`](Self::skips) leaves
    /// out (for file events, where the folder may be gone already).
    pub fn skips_path(&self, rel: &Path, root: &Path) -> bool {
        let content = self.abs(root);
        rel.ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| self.skips(a, &content.join(a)))
    }

    /// The line the command line prints once when the root was taken as the content.
    pub fn note(&self) -> Option<String> {
        self.detected.then(|| {
            let mut skipped: Vec<String> = self
                .outputs
                .iter()
                .map(|o| format!("{}/", o.display()))
                .collect();
            skipped.extend([
                format!("{TEMPLATES_DIR}/"),
                format!("{STATIC_DIR}/"),
                "node_modules/".into(),
                "hidden files".into(),
            ]);
            format!(
                "no {CONTENT_DIR}/ folder: using the site folder itself as the content (skipping {})",
                skipped.join(", ")
            )
        })
    }

    /// Whether a walk of the content folder at `content` takes `entry` (and what is inside):
    /// not when it is hidden, an editor's scratch file or a folder the layout [`skips`](Self::skips).
    pub fn walks_into(&self, entry: &walkdir::DirEntry, content: &Path) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let path = entry.path();
        let rel = path.strip_prefix(content).unwrap_or(path);
        let skipped_folder = entry.file_type().is_dir() && self.skips(rel, path);
        !(is_ignored(&entry.file_name().to_string_lossy()) || skipped_folder)
    }

    /// Whether the content folder holds a Markdown file at any depth, outside what it skips.
    fn has_markdown(&self, root: &Path) -> bool {
        let content = self.abs(root);
        // Notes sit near the top of a repository; a bounded look keeps `awskb build` typed in a
        // big folder (a home folder) from walking all of it before saying there is no content.
        WalkDir::new(&content)
            .max_depth(DETECT_DEPTH)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| self.walks_into(e, &content))
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
    }
}

/// A relative path with `.` dropped (`"."` and `"./"` are the root itself).
fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// An absolute path for comparing folders, real where it exists.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    #[test]
    fn content_folder_config_or_root() {
        let standard = site(&["content/a.md", "README.md"]);
        assert_eq!(
            Layout::detect(standard.path(), None, None).dir,
            Path::new("content")
        );
        let notes = site(&["README.md", "public/x.md"]);
        let layout = Layout::detect(notes.path(), None, None);
        assert!(layout.in_place());
        assert!(layout.note().unwrap().contains("public/"));
        assert!(layout.skips(Path::new("public"), &notes.path().join("public")));
        let configured = Layout::detect(notes.path(), Some("."), None);
        assert!(configured.in_place() && configured.note().is_none());
        assert_eq!(
            Layout::detect(notes.path(), Some("docs"), None).dir,
            Path::new("docs")
        );
    }

    #[test]
    fn markdown_only_in_skipped_folders_is_no_notes() {
        let empty = site(&["public/x.md", "templates/t.md", ".obsidian/a.md", "pic.png"]);
        let layout = Layout::detect(empty.path(), None, None);
        assert_eq!(layout.dir, Path::new("content"));
        assert!(layout.note().is_none());
    }

    #[test]
    fn notes_are_looked_for_near_the_top_only() {
        let near = site(&["vault/topic/note.md"]);
        assert!(Layout::detect(near.path(), None, None).in_place());
        // A folder whose only Markdown is buried deep (a home folder, a source tree) is not
        // taken for a notes repository.
        let deep = site(&["src/a/b/c/README.md"]);
        assert_eq!(
            Layout::detect(deep.path(), None, None).dir,
            Path::new("content")
        );
    }

    #[test]
    fn an_output_elsewhere_in_the_root_is_skipped_and_so_is_any_marked_one() {
        let notes = site(&["a.md", "site/.awskb-output", "old/.awskb-output"]);
        let layout = Layout::detect(notes.path(), None, Some(&notes.path().join("site")));
        assert!(layout.skips(Path::new("site"), &notes.path().join("site")));
        assert!(layout.skips(Path::new("old"), &notes.path().join("old")));
        assert!(!layout.skips(Path::new("public"), &notes.path().join("public")));
        assert!(layout.skips_path(Path::new("site/x/y.md"), notes.path()));
    }
}
