//! Reading one Markdown file: its text, its front matter and its URL.

use std::path::Path;

use super::frontmatter;
use super::language::Languages;
use super::{Layout, Page, PageKind};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::Rendered;

/// Reads one Markdown file and its front matter, and works out its URL.
/// A file whose front matter has field errors still loads (with those fields at their
/// defaults) so its links and the links to it are checked too; the errors fail the build.
pub(super) fn read_page(
    content_dir: &Path,
    layout: &Layout,
    rel: &Path,
    kind: PageKind,
    config: &Config,
    languages: &Languages,
) -> (Option<Page>, Vec<Diagnostic>) {
    match parse_page(content_dir, layout, rel, kind, config, languages) {
        Ok((page, problems)) => (Some(page), problems),
        Err(problem) => (None, vec![problem]),
    }
}

fn parse_page(
    content_dir: &Path,
    layout: &Layout,
    rel: &Path,
    kind: PageKind,
    config: &Config,
    languages: &Languages,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let file = layout.display(rel);
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
    let (untranslated, _) = languages.split(rel);
    let lang = languages.of(rel, &config.language);
    let path = site_path(rel, kind, parsed.matter.slug.as_deref(), config, languages);
    let mut meta = parsed.matter;
    // Notes from GitHub or Obsidian name themselves with a leading `# Title` (which the
    // Markdown renderer then leaves out, as the theme prints the title).
    if meta.title.is_none() {
        meta.title = crate::markdown::leading_title(parsed.body);
    }
    let page = Page {
        kind,
        file,
        source: Some(rel.to_path_buf()),
        untranslated: Some(untranslated),
        lang,
        body: parsed.body.to_string(),
        body_line: parsed.body_line,
        meta,
        path,
        rendered: Rendered::default(),
    };
    Ok((page, problems))
}

/// The URL of a Markdown file (or of a folder's `_index.md` when it has none) in a site:
/// [`page_path`], under `/LANG/` for a language other than the site's, lower-cased unless the
/// config's `lowercase_urls` is off (as Hugo does). `languages` tells language suffixes from
/// the rest of the name.
pub fn site_path(
    rel: &Path,
    kind: PageKind,
    slug: Option<&str>,
    config: &Config,
    languages: &Languages,
) -> String {
    let (plain, _) = languages.split(rel);
    let mut path = page_path(&plain, kind, slug);
    if let Some(lang) = languages.of(rel, &config.language) {
        path = format!("/{lang}{path}");
    }
    if config.lowercase_urls {
        path = path.to_lowercase();
    }
    path
}

/// The site path of a Markdown file: `a/b.md` -> `/a/b/`, `a/b/index.md` -> `/a/b/`,
/// `a/_index.md` -> `/a/`; a `slug` replaces the last segment of a page's path.
pub fn page_path(rel: &Path, kind: PageKind, slug: Option<&str>) -> String {
    let folder_page;
    let rel = if kind == PageKind::Section {
        folder_page = super::walk::folder_of(rel).join("_index.md");
        folder_page.as_path()
    } else {
        rel
    };
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
