//! Walking `content/`: which files are pages, sections, bundles and assets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Layout;
use super::language::Languages;
use crate::diagnostics::Diagnostic;

/// What a file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder's own page (see [`folder_of`]): describes the section of that folder.
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

/// What a walk of the content folder found.
#[derive(Debug, Clone, Default)]
pub struct Walked {
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
    /// The language suffixes the files confirm (see [`Languages`]).
    pub languages: Languages,
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

/// The names of a folder's page inside it, first the one that wins: Hugo's, then GitHub's and
/// mdBook's. `index.md` is a folder's page only where the folder has other Markdown (else it is
/// a Hugo page bundle, at the same URL).
const FOLDER_PAGE_NAMES: [&str; 3] = ["_index.md", "index.md", "README.md"];

/// The folder whose page the section file `rel` is: `a/_index.md`, `a/index.md`, `a/README.md`
/// and Obsidian's folder note `a/a.md` are `a`'s; `a.md` beside a folder `a/` is `a`'s too.
/// `rel` is without its language suffix (`_index.fr.md` is `_index.md`'s folder's too).
pub fn folder_of(rel: &Path) -> PathBuf {
    let parent = rel.parent().unwrap_or(Path::new(""));
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    let stem = name.trim_end_matches(".md");
    if FOLDER_PAGE_NAMES.contains(&name.as_ref())
        || parent
            .file_name()
            .is_some_and(|p| p.to_string_lossy() == stem)
    {
        parent.to_path_buf()
    } else {
        parent.join(stem)
    }
}

/// The folder a Markdown file would be the page of, if it is one of the kinds in [`folder_of`].
fn folder_page_candidate(
    file: &Path,
    folders: &HashSet<&Path>,
    markdown_under: &HashMap<PathBuf, usize>,
) -> Option<PathBuf> {
    let name = file.file_name()?.to_string_lossy();
    let parent = file.parent().unwrap_or(Path::new(""));
    let candidate = match name.as_ref() {
        "_index.md" | "README.md" => parent.to_path_buf(),
        "index.md"
            if parent.as_os_str().is_empty()
                || markdown_under.get(parent).copied().unwrap_or(0) > 1 =>
        {
            parent.to_path_buf()
        }
        "index.md" => return None,
        _ => {
            let dir = folder_of(file);
            // `x.md` beside a folder of images only stays a page.
            if !folders.contains(dir.as_path()) || !markdown_under.contains_key(&dir) {
                return None;
            }
            dir
        }
    };
    Some(candidate)
}

/// The folders a followed symbolic link may lead into: the site's root and the content
/// folder's own, both with their links resolved.
struct Inside {
    roots: Vec<PathBuf>,
}

impl Inside {
    fn new(content_dir: &Path, layout: &Layout) -> Inside {
        // The content folder is `layout.dir` below the site root (the root itself in place).
        let site = layout
            .dir
            .components()
            .fold(content_dir, |dir, _| dir.parent().unwrap_or(dir));
        let roots = [site, content_dir]
            .iter()
            .filter_map(|dir| dir.canonicalize().ok())
            .collect();
        Inside { roots }
    }

    /// Where the link at `path` really leads, when that is outside the site.
    fn escapes(&self, path: &Path) -> Option<PathBuf> {
        let target = path.canonicalize().ok()?;
        (!self.roots.iter().any(|root| target.starts_with(root))).then_some(target)
    }
}

/// The warning for a Markdown file or folder that is a symbolic link out of the site.
fn escaping_link(file: &Path, target: &Path) -> Diagnostic {
    Diagnostic::warning(
        file,
        0,
        0,
        "outside-site",
        format!(
            "symbolic link to {} leads outside the site; it is not read as content",
            target.display()
        ),
    )
    .with_help("copy or move the files into the site (a link inside the site is followed)")
}

/// The warning for a file or folder whose name is not UTF-8 (its URL would not be its name):
/// it is left out. In `templates/` (`fatal`) it is an error, as a template is found by name.
pub(crate) fn not_utf8_name(file: &Path, is_dir: bool, fatal: bool) -> Diagnostic {
    let what = if is_dir {
        "folder (and everything in it)"
    } else {
        "file"
    };
    let message = "the name is not valid UTF-8 (shown with \u{FFFD} for the bytes that are not)";
    let diagnostic = if fatal {
        Diagnostic::error(file, 0, 0, "not-utf8-name", message)
    } else {
        Diagnostic::warning(
            file,
            0,
            0,
            "not-utf8-name",
            format!("{message}; this {what} is left out"),
        )
    };
    diagnostic.with_help("rename it with UTF-8 characters only")
}

/// Lists `content_dir` (paths relative to it), sorted, following symlinks, leaving out what
/// `layout` skips. Markdown files and folders that are symbolic links out of the site are left
/// out with a warning: a page must not publish (or `serve` show) a file such as `/etc/passwd` by
/// accident. Loops and unreadable entries become diagnostics.
pub fn walk(content_dir: &Path, layout: &Layout, configured: &[String]) -> Walked {
    let display_prefix = layout.dir.as_path();
    let mut files = Vec::new();
    let mut folders = Vec::new();
    let mut diagnostics = Vec::new();
    let inside = Inside::new(content_dir, layout);
    let mut walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| layout.walks_into(e, content_dir));
    while let Some(entry) = walker.next() {
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
        let is_dir = entry.file_type().is_dir();
        if entry.file_name().to_str().is_none() {
            diagnostics.push(not_utf8_name(&display_prefix.join(&rel), is_dir, false));
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        let is_markdown = rel.extension().is_some_and(|e| e == "md");
        if entry.depth() > 0
            && entry.path_is_symlink()
            && (is_dir || is_markdown)
            && let Some(target) = inside.escapes(entry.path())
        {
            diagnostics.push(escaping_link(&display_prefix.join(&rel), &target));
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            folders.push(rel);
        } else {
            files.push(rel);
        }
    }

    let is_markdown = |f: &Path| f.extension().is_some_and(|e| e == "md");
    let markdown: Vec<PathBuf> = files.iter().filter(|f| is_markdown(f)).cloned().collect();
    let languages = Languages::confirm(&markdown, configured);
    // How many Markdown files each folder holds at any depth: folders with none are not
    // sections (images, `_atts/`), and `index.md` with company is its folder's page.
    // Translations (`page.fr.md` beside `page.md`) count once.
    let mut markdown_under: HashMap<PathBuf, usize> = HashMap::new();
    let notes: HashSet<PathBuf> = markdown.iter().map(|f| languages.split(f).0).collect();
    for file in &notes {
        for dir in file.ancestors().skip(1) {
            *markdown_under.entry(dir.to_path_buf()).or_default() += 1;
        }
    }
    let folder_set: HashSet<&Path> = folders.iter().map(PathBuf::as_path).collect();
    // Each folder's page in each language: the first of its candidates by precedence; two
    // are an error.
    let mut folder_pages: HashMap<(PathBuf, Option<String>), Vec<PathBuf>> = HashMap::new();
    for file in &markdown {
        let (plain, lang) = languages.split(file);
        if let Some(dir) = folder_page_candidate(&plain, &folder_set, &markdown_under) {
            folder_pages
                .entry((dir, lang))
                .or_default()
                .push(file.clone());
        }
    }
    let mut section_files: HashSet<PathBuf> = HashSet::new();
    let mut dropped: HashSet<PathBuf> = HashSet::new();
    for ((dir, _), mut candidates) in folder_pages {
        candidates.sort_by_key(|f| {
            let name = languages
                .split(f)
                .0
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (
                FOLDER_PAGE_NAMES
                    .iter()
                    .position(|n| *n == name)
                    .unwrap_or(FOLDER_PAGE_NAMES.len()),
                f.components().count(),
            )
        });
        let first = candidates.remove(0);
        for other in candidates {
            diagnostics.push(
                Diagnostic::error(
                    display_prefix.join(&other),
                    0,
                    0,
                    "two-folder-pages",
                    format!(
                        "{} and {} are both the page of the folder `{}/`",
                        display_prefix.join(&first).display(),
                        display_prefix.join(&other).display(),
                        display_prefix.join(&dir).display()
                    ),
                )
                .with_help(
                    "keep one: merge the other into it, or rename it so it is an ordinary page",
                ),
            );
            dropped.insert(other);
        }
        section_files.insert(first);
    }

    // Page bundles: folders whose page is `index.md` alone, or only a translation of it
    // (`index.fr.md`), each with the file its other files belong to: `index.md` when there is
    // one, else the first translation.
    let mut bundles: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut bundle_pages: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            languages
                .split(f)
                .0
                .file_name()
                .is_some_and(|n| n == "index.md")
                && !section_files.contains(*f)
        })
        .collect();
    bundle_pages.sort_by_key(|f| (languages.split(f).1.is_some(), f.as_path()));
    for file in bundle_pages {
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        bundles.entry(dir).or_insert_with(|| file.clone());
    }
    let bundle_of = |path: &Path| {
        bundles
            .iter()
            .filter(|(dir, _)| path.starts_with(dir) && !dir.as_os_str().is_empty())
            .max_by_key(|(dir, _)| dir.components().count())
            .map(|(dir, page)| (dir.join("index.md"), page.clone()))
    };

    let mut entries: Vec<Entry> = folders
        .into_iter()
        .filter(|dir| {
            dir.as_os_str().is_empty()
                || bundle_of(&dir.join("x")).is_none() && markdown_under.contains_key(dir)
        })
        .map(Entry::Folder)
        .collect();
    for file in files.into_iter().filter(|f| !dropped.contains(f)) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bundle = bundle_of(&file);
        let entry = match (&bundle, name.as_str()) {
            // The bundle's page and its translations (`index.fr.md`).
            (Some((index, _)), _) if languages.split(&file).0 == *index => Entry::Page(file),
            (Some((_, page)), _) => Entry::Asset {
                path: file,
                bundle: Some(page.clone()),
            },
            (None, _) if section_files.contains(&file) => Entry::Section(file),
            (None, _) if name.ends_with(".md") => Entry::Page(file),
            (None, _) => Entry::Asset {
                path: file,
                bundle: None,
            },
        };
        entries.push(entry);
    }
    Walked {
        entries,
        diagnostics,
        languages,
    }
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
        let Walked {
            entries,
            diagnostics,
            ..
        } = walk(root, &Layout::standard(), &[]);
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
