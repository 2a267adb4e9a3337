//! The content folder -> the [`Site`] model: pages, sections, taxonomies, URLs and links.
//!
//! `load` reads and parses every file in parallel, `resolve` (in this module's submodules)
//! builds the section tree and taxonomies and checks links. Problems are collected as
//! diagnostics; a page with a broken front matter is left out but the rest still loads.

pub mod frontmatter;
pub mod links;
pub mod outputs;
pub mod sections;
pub mod taxonomy;
pub mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::{self, Highlighter, Rendered};
use frontmatter::FrontMatter;
pub use sections::Section;
pub use taxonomy::{Taxonomy, Term};
use walk::Entry;

/// The folder under the site root that holds the pages.
pub const CONTENT_DIR: &str = "content";

/// Whether a page is a leaf page or the page of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Section,
}

/// A page or a section's own page, parsed and rendered.
#[derive(Debug)]
pub struct Page {
    pub kind: PageKind,
    /// Path relative to the site root, for diagnostics (`content/aws/lambda.md`). For a folder
    /// without `_index.md`, the folder.
    pub file: PathBuf,
    /// Path relative to `content/` of the Markdown file, if there is one.
    pub source: Option<PathBuf>,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line: usize,
    /// Site path without the base path: `/aws/lambda/`.
    pub path: String,
    pub rendered: Rendered,
}

impl Page {
    /// The title to show: front matter `title`, else the file or folder name made readable.
    pub fn title(&self) -> String {
        if let Some(title) = &self.meta.title {
            return title.clone();
        }
        let segment = self
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        if segment.is_empty() {
            return "Home".into();
        }
        let words = segment.replace(['-', '_'], " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute source path.
    pub source: PathBuf,
    /// Source path relative to `content/`, for diagnostics.
    pub rel: PathBuf,
    /// Output path relative to the output root (`aws/lambda/diagram.png`).
    pub output: String,
}

/// Everything the build knows about a site after loading and resolving.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    /// Alias path -> page index, for redirect pages.
    pub aliases: Vec<(String, usize)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads, parses and resolves the site at `root`.
pub fn load(root: &Path, config: Config, options: &LoadOptions, highlighter: &Highlighter) -> Site {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let entries = if content_dir.is_dir() {
        let (entries, walk_diagnostics) = walk::walk(&content_dir, Path::new(CONTENT_DIR));
        diagnostics.extend(walk_diagnostics);
        entries
    } else {
        diagnostics.push(
            Diagnostic::error(
                CONTENT_DIR,
                0,
                0,
                "no-content",
                format!("no `{CONTENT_DIR}` folder in {}", root.display()),
            )
            .with_help("run `awskb init DIR` to start a site, or pass the site folder with `-r`"),
        );
        Vec::new()
    };

    let documents: Vec<(Option<Page>, Vec<Diagnostic>)> = entries
        .par_iter()
        .filter_map(|entry| match entry {
            Entry::Page(path) => Some(read_page(&content_dir, path, PageKind::Page, &config)),
            Entry::Section(path) => Some(read_page(&content_dir, path, PageKind::Section, &config)),
            _ => None,
        })
        .collect();
    let mut pages = Vec::new();
    for (page, problems) in documents {
        pages.extend(page);
        diagnostics.extend(problems);
    }
    add_folder_sections(&entries, &mut pages);
    let hidden = if options.drafts {
        Vec::new()
    } else {
        remove_drafts(&mut pages)
    };
    pages.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.file.cmp(&b.file)));
    diagnostics.extend(duplicate_paths(&mut pages));

    let mut assets = collect_assets(&entries, &content_dir, &pages);
    assets.retain(|asset| {
        !hidden
            .iter()
            .any(|section| format!("/{}", asset.output).starts_with(section.as_str()))
    });
    let resolver = links::Resolver::new(&pages, &config.base_path());
    let rendered: Vec<Rendered> = pages
        .par_iter()
        .map(|page| {
            let page_resolver = resolver.for_page(page);
            let ctx = markdown::Context {
                file: &page.file,
                body: &page.body,
                body_line: page.body_line,
                config: &config.markdown,
                highlighter,
                links: &page_resolver,
            };
            markdown::render(&ctx)
        })
        .collect();
    for (page, rendered) in pages.iter_mut().zip(rendered) {
        page.rendered = rendered;
        diagnostics.append(&mut page.rendered.diagnostics);
    }

    let sections = sections::build(&pages);
    let taxonomies = taxonomy::build(&config, &pages, &mut diagnostics);
    let aliases = aliases(&pages);
    let mut site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        sections,
        taxonomies,
        assets,
        aliases,
        diagnostics,
    };
    let link_diagnostics = links::check(&site);
    site.diagnostics.extend(link_diagnostics);
    let conflicts = outputs::collisions(&site);
    site.diagnostics.extend(conflicts);
    crate::diagnostics::sort(&mut site.diagnostics);
    site
}

/// Reads one Markdown file and its front matter, and works out its URL.
/// A file whose front matter has field errors still loads (with those fields at their
/// defaults) so its links and the links to it are checked too; the errors fail the build.
fn read_page(
    content_dir: &Path,
    rel: &Path,
    kind: PageKind,
    config: &Config,
) -> (Option<Page>, Vec<Diagnostic>) {
    match parse_page(content_dir, rel, kind, config) {
        Ok((page, problems)) => (Some(page), problems),
        Err(problem) => (None, vec![problem]),
    }
}

fn parse_page(
    content_dir: &Path,
    rel: &Path,
    kind: PageKind,
    config: &Config,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let file = Path::new(CONTENT_DIR).join(rel);
    let bytes = std::fs::read(content_dir.join(rel))
        .map_err(|e| Diagnostic::error(&file, 0, 0, "io", format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, valid);
        Diagnostic::error(
            &file,
            line,
            column,
            "not-utf8",
            format!("file is not valid UTF-8 (byte {valid})"),
        )
        .with_help("save the file as UTF-8 in your editor")
    })?;
    let text = frontmatter::normalise(&text);
    let parsed = frontmatter::parse(&text, &config.taxonomies).map_err(|e| {
        Diagnostic::error(&file, e.line, e.column, "front-matter", e.message).with_help(e.help)
    })?;
    let mut problems: Vec<Diagnostic> = parsed
        .errors
        .into_iter()
        .map(|e| {
            Diagnostic::error(&file, e.line, e.column, "front-matter", e.message).with_help(e.help)
        })
        .collect();
    if kind == PageKind::Section && parsed.matter.slug.is_some() {
        let (line, column) = parsed.matter.position_of("slug");
        problems.push(
            Diagnostic::warning(
                &file,
                line,
                column,
                "front-matter",
                "`slug` is ignored on a section's `_index.md`",
            )
            .with_help("a section's URL is its folder's path; rename the folder to change it"),
        );
    }
    let path = page_path(rel, kind, parsed.matter.slug.as_deref());
    let page = Page {
        kind,
        file,
        source: Some(rel.to_path_buf()),
        body: parsed.body.to_string(),
        body_line: parsed.body_line,
        meta: parsed.matter,
        path,
        rendered: Rendered::default(),
    };
    Ok((page, problems))
}

/// The site path of a Markdown file: `a/b.md` -> `/a/b/`, `a/b/index.md` -> `/a/b/`,
/// `a/_index.md` -> `/a/`; a `slug` replaces the last segment of a page's path.
pub fn page_path(rel: &Path, kind: PageKind, slug: Option<&str>) -> String {
    let mut segments: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segments.pop().unwrap_or_default();
    if kind == PageKind::Page && last != "index.md" {
        segments.push(last.trim_end_matches(".md").to_string());
    }
    if let (PageKind::Page, Some(slug)) = (kind, slug.map(str::trim).filter(|s| !s.is_empty())) {
        segments.pop();
        segments.push(slug.trim_matches('/').to_string());
    }
    let joined = segments.join("/");
    if joined.is_empty() {
        "/".into()
    } else {
        format!("/{joined}/")
    }
}

/// Folders without `_index.md` are sections too, with a title made from the folder name.
fn add_folder_sections(entries: &[Entry], pages: &mut Vec<Page>) {
    let described: std::collections::HashSet<&Path> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Section(index) => index.parent(),
            _ => None,
        })
        .collect();
    for entry in entries {
        let Entry::Folder(dir) = entry else { continue };
        if described.contains(dir.as_path()) {
            continue;
        }
        let path = page_path(&dir.join("_index.md"), PageKind::Section, None);
        pages.push(Page {
            kind: PageKind::Section,
            file: Path::new(CONTENT_DIR).join(dir),
            source: None,
            meta: FrontMatter::default(),
            body: String::new(),
            body_line: 1,
            path,
            rendered: Rendered::default(),
        });
    }
}

/// Drops draft pages, and everything under a draft section; returns the paths of the draft
/// sections so their files can be left out too.
fn remove_drafts(pages: &mut Vec<Page>) -> Vec<String> {
    let draft_sections: Vec<String> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Section && p.meta.draft && p.path != "/")
        .map(|p| p.path.clone())
        .collect();
    pages.retain(|page| {
        !page.meta.draft
            && !draft_sections
                .iter()
                .any(|section| page.path.starts_with(section.as_str()))
    });
    draft_sections
}

/// Two pages with the same URL are an error naming both files; the second is dropped.
fn duplicate_paths(pages: &mut Vec<Page>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    pages.retain(|page| match seen.get(&page.path) {
        Some(first) => {
            let (line, column) = page.meta.position_of("slug");
            diagnostics.push(
                Diagnostic::error(
                    &page.file,
                    line,
                    column,
                    "duplicate-url",
                    format!(
                        "{} and {} both want the URL {}",
                        first.display(),
                        page.file.display(),
                        page.path
                    ),
                )
                .with_help("rename one of the files or give the page another `slug`; a folder's own page is its `_index.md`, not `index.md` or a `.md` file beside it"),
            );
            false
        }
        None => {
            seen.insert(page.path.clone(), page.file.clone());
            true
        }
    });
    diagnostics
}

/// Content files that are not Markdown are copied; a bundle's files go beside its page even
/// when a `slug` moved the page.
fn collect_assets(entries: &[Entry], content_dir: &Path, pages: &[Page]) -> Vec<Asset> {
    let by_source: HashMap<&Path, &Page> = pages
        .iter()
        .filter_map(|p| Some((p.source.as_deref()?, p)))
        .collect();
    let mut assets = Vec::new();
    for entry in entries {
        let Entry::Asset { path, bundle } = entry else {
            continue;
        };
        let output = match bundle {
            Some(index) => {
                // A draft bundle's files stay out too.
                let Some(page) = by_source.get(index.as_path()) else {
                    continue;
                };
                let inside = path
                    .strip_prefix(index.parent().unwrap_or(Path::new("")))
                    .unwrap_or(path);
                format!(
                    "{}{}",
                    page.path.trim_start_matches('/'),
                    inside.to_string_lossy()
                )
            }
            None => path.to_string_lossy().into_owned(),
        };
        assets.push(Asset {
            source: content_dir.join(path),
            rel: path.clone(),
            output: output.replace('\\', "/"),
        });
    }
    assets
}

/// Alias paths of every page (their form is checked with the front matter; clashes with
/// other outputs by [`outputs::collisions`]).
fn aliases(pages: &[Page]) -> Vec<(String, usize)> {
    let mut result = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        for alias in &page.meta.aliases {
            let trimmed = alias.trim().trim_start_matches('/');
            let path = if trimmed.ends_with(".html") || trimmed.ends_with('/') {
                format!("/{trimmed}")
            } else {
                format!("/{trimmed}/")
            };
            result.push((path, index));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_files() {
        let p = |rel: &str, kind, slug| page_path(Path::new(rel), kind, slug);
        assert_eq!(p("_index.md", PageKind::Section, None), "/");
        assert_eq!(p("aws/_index.md", PageKind::Section, None), "/aws/");
        assert_eq!(p("aws/lambda.md", PageKind::Page, None), "/aws/lambda/");
        assert_eq!(
            p("aws/lambda/index.md", PageKind::Page, None),
            "/aws/lambda/"
        );
        assert_eq!(
            p("aws/lambda.md", PageKind::Page, Some("aws-lambda")),
            "/aws/aws-lambda/"
        );
        assert_eq!(
            p("aws/lambda/index.md", PageKind::Page, Some("fn")),
            "/aws/fn/"
        );
    }
}
