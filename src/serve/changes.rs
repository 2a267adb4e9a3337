//! File events sorted by what they change: the config, pages, templates or static files.

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::walk::{is_ignored, is_scratch};
use crate::content::{CONTENT_DIR, Layout, STATIC_DIR, TEMPLATES_DIR};

/// What changed in a site since the last rebuild.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The config file, or a whole watched folder (created, deleted, moved): rebuild all.
    pub everything: bool,
    /// Paths in the content folder, relative to it.
    pub content: Vec<PathBuf>,
    /// Template names (paths under `templates/`, `/`-separated).
    pub templates: Vec<String>,
    /// Paths under `static/`, `/`-separated.
    pub statics: Vec<String>,
    /// The content folder relative to the root (empty in place), to name changed pages.
    pub content_dir: PathBuf,
}

impl Changes {
    /// Sorts `paths` (absolute, as the watcher reports them) for the site at `root` whose
    /// pages are where `layout` says; paths elsewhere, in what the layout skips (the output
    /// folder of a notes folder built in place) and editors' backup and swap files are left
    /// out.
    pub fn sort(root: &Path, layout: &Layout, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes {
            content_dir: layout.dir.clone(),
            ..Changes::default()
        };
        for path in paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let mut parts = rel.components().filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            });
            let Some(top) = parts.next() else { continue };
            let inner: Vec<String> = parts.collect();
            // Hidden files are content's business only: `static/` copies them (`.well-known/`).
            let skip = if top == STATIC_DIR {
                is_scratch
            } else {
                is_ignored
            };
            if inner.iter().any(|name| skip(name)) {
                continue;
            }
            match top.as_str() {
                CONFIG_FILE if inner.is_empty() => changes.everything = true,
                // `content/` appearing beside notes built in place changes where pages are.
                TEMPLATES_DIR | STATIC_DIR | CONTENT_DIR if inner.is_empty() => {
                    changes.everything = true
                }
                TEMPLATES_DIR => changes.templates.push(inner.join("/")),
                STATIC_DIR => changes.statics.push(inner.join("/")),
                _ => match rel.strip_prefix(&layout.dir) {
                    // The content folder itself appeared or went.
                    Ok(inside) if inside.as_os_str().is_empty() => changes.everything = true,
                    Ok(inside) if !is_ignored(&top) && !layout.skips_path(inside, root) => {
                        changes.content.push(inside.to_path_buf())
                    }
                    _ => {}
                },
            }
        }
        changes.content.sort();
        changes.content.dedup();
        changes.templates.sort();
        changes.templates.dedup();
        changes.statics.sort();
        changes.statics.dedup();
        changes
    }

    /// Whether nothing the site is built from changed.
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.content.is_empty()
            && self.templates.is_empty()
            && self.statics.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_paths_by_what_they_change() {
        let root = Path::new("/site");
        let layout = Layout::standard();
        let changes = Changes::sort(
            root,
            &layout,
            [
                "/site/content/aws/lambda.md",
                "/site/content/aws/lambda.md",
                "/site/content/aws/.lambda.md.swp",
                "/site/content/aws/lambda.md~",
                "/site/templates/page.html",
                "/site/static/css/site.css",
                "/site/public/index.html",
                "/elsewhere/content/x.md",
            ]
            .map(PathBuf::from),
        );
        assert_eq!(
            changes,
            Changes {
                everything: false,
                content: vec![PathBuf::from("aws/lambda.md")],
                templates: vec!["page.html".into()],
                statics: vec!["css/site.css".into()],
                content_dir: PathBuf::from("content"),
            }
        );
        assert_eq!(
            Changes::sort(
                root,
                &layout,
                [PathBuf::from("/site/static/.well-known/security.txt")]
            )
            .statics,
            [".well-known/security.txt"]
        );
        let sort = |path: &str| Changes::sort(root, &layout, [PathBuf::from(path)]);
        assert!(sort("/site/awskb.toml").everything);
        assert!(sort("/site/templates").everything);
        assert!(sort("/site/content").everything);
        assert!(sort("/site/public/x.html").is_empty());
    }

    #[test]
    fn in_place_the_root_is_the_content_but_not_its_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("notes.md"), "x").unwrap();
        let layout = Layout::detect(root, None, None);
        assert!(layout.in_place());
        let changes = Changes::sort(
            root,
            &layout,
            [
                "notes.md",
                "aws/s3.md",
                "public/index.html",
                "public/notes/index.html",
                "node_modules/x/README.md",
                ".git/index",
                "templates/page.html",
            ]
            .map(|p| root.join(p)),
        );
        assert_eq!(
            changes.content,
            [PathBuf::from("aws/s3.md"), PathBuf::from("notes.md")]
        );
        assert_eq!(changes.templates, ["page.html"]);
        assert!(!changes.everything);
    }
}
