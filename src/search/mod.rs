//! The search index: every page's title, headings, text, terms and section path, indexed by
//! Pagefind into a chunked bundle under `pagefind/` in the output, so a reader's query
//! downloads only the parts of the index it needs. The theme's `/search/` page and header box
//! query it in the browser (`static/js/search.js`).
//!
//! The documents are synthesized from the loaded site (see [`document`]), not read back from
//! the rendered HTML, and the bundle is written through [`Output`] like every other file, so
//! it lands in the staging folder of a build or the memory of the dev server.

mod document;
mod indexer;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::content::{Page, PageKind, Site};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::plan::{Kind, Plan};
use crate::render::context::Views;
use document::Document;
use indexer::IndexError;

/// Indexes the site and writes the bundle into `out`, in the folder `plan` has for it (none
/// when the plan has no index). Returns the diagnostics (an index that cannot be built, a file
/// that cannot be written) and the number of files written.
pub fn write_index(site: &Site, plan: &Plan, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    let Some(planned) = plan.find(Kind::SearchIndex) else {
        return (Vec::new(), 0);
    };
    // Documents are made one at a time as Pagefind takes them, so a build never holds them all.
    let views = Views::new(site);
    let indexed = indexed(site);
    let language = &site.config.language;
    let documents = indexed
        .iter()
        .map(|&index| document_html(site, &views, index, language));
    let files = sources(site, &indexed);
    write_documents(&planned.file, language, documents, &files, out)
}

/// What the index is made of, taken from the site: the dev server takes it on its rebuild
/// thread and indexes it on another, while the site goes on changing.
pub struct Input {
    /// The folder of the bundle in the output.
    dir: String,
    language: String,
    /// (URL, synthesized HTML) of each indexed page.
    documents: Vec<(String, String)>,
    /// The source file of each document, to place Pagefind's complaints.
    files: Vec<PathBuf>,
}

impl Input {
    /// The documents of every indexed page of `site`; `None` when `plan` has no index.
    pub fn of(site: &Site, plan: &Plan) -> Option<Input> {
        let dir = plan.find(Kind::SearchIndex)?.file.clone();
        let views = Views::new(site);
        let indexed = indexed(site);
        let language = site.config.language.clone();
        let documents = indexed
            .par_iter()
            .map(|&index| document_html(site, &views, index, &language))
            .collect();
        Some(Input {
            dir,
            files: sources(site, &indexed),
            language,
            documents,
        })
    }
}

/// Indexes `input` and writes the bundle into `out`; see [`write_index`].
pub fn write_bundle(input: Input, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    write_documents(
        &input.dir,
        &input.language,
        input.documents.into_iter(),
        &input.files,
        out,
    )
}

/// The indexes in `site.pages` of the pages the index holds.
fn indexed(site: &Site) -> Vec<usize> {
    (0..site.pages.len())
        .filter(|&i| is_indexed(&site.pages[i]))
        .collect()
}

/// The source files of the pages at `indexed`.
fn sources(site: &Site, indexed: &[usize]) -> Vec<PathBuf> {
    indexed
        .iter()
        .map(|&i| site.pages[i].file.clone())
        .collect()
}

/// (URL, HTML) of the document of page `index`.
fn document_html(site: &Site, views: &Views, index: usize, language: &str) -> (String, String) {
    let document = document_of(site, views, index);
    let html = document.html(language);
    (document.url, html)
}

/// Indexes `documents` (the pages whose files are `sources`) and writes the bundle into the
/// folder `dir` (`pagefind/`) of `out`.
fn write_documents(
    dir: &str,
    language: &str,
    documents: impl Iterator<Item = (String, String)>,
    sources: &[PathBuf],
    out: &dyn Output,
) -> (Vec<Diagnostic>, usize) {
    let files = match indexer::build(language, documents) {
        Ok(files) => files,
        Err(error) => return (vec![index_diagnostic(sources, error)], 0),
    };
    let results: Vec<Result<(), Diagnostic>> = files
        .par_iter()
        .map(|file| {
            let rel = format!("{dir}{}", file.path);
            out.write(&rel, &file.bytes).map_err(|e| {
                Diagnostic::error(rel.as_str(), 0, 0, "io", format!("cannot write {rel}: {e}"))
            })
        })
        .collect();
    let written = results.iter().filter(|r| r.is_ok()).count();
    (
        results.into_iter().filter_map(Result::err).collect(),
        written,
    )
}

/// Pages are indexed, and sections that have words of their own (a body or a description);
/// a section that only lists its pages would only repeat their titles.
fn is_indexed(page: &Page) -> bool {
    page.kind == PageKind::Page
        || !page.rendered.text.trim().is_empty()
        || page
            .meta
            .description
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
}

/// What the index holds of page `index`.
fn document_of<'a>(site: &'a Site, views: &Views, index: usize) -> Document<'a> {
    let page = &site.pages[index];
    let sections = views
        .ancestors(index)
        .into_iter()
        .map(|i| &site.pages[i])
        .filter(|ancestor| ancestor.path != "/")
        .map(Page::title)
        .collect();
    let mut filters: Vec<(&str, String)> = Vec::new();
    for taxonomy in &site.taxonomies {
        for written in page
            .meta
            .taxonomies
            .get(&taxonomy.name)
            .into_iter()
            .flatten()
        {
            if let Some(term) = taxonomy.term(written) {
                let filter = (taxonomy.name.as_str(), term.name.clone());
                if !filters.contains(&filter) {
                    filters.push(filter);
                }
            }
        }
    }
    Document {
        url: crate::url::href("/", &page.path),
        title: page.title(),
        description: page.meta.description.as_deref().unwrap_or(""),
        text: &page.rendered.text,
        headings: &page.rendered.headings,
        sections,
        filters,
    }
}

/// A failed index is an error: a site must not go out with a search that finds nothing. It is
/// located at the page Pagefind refused, else at the config that asked for search.
fn index_diagnostic(sources: &[PathBuf], error: IndexError) -> Diagnostic {
    let file = match &error {
        IndexError::Page { position, .. } => sources
            .get(*position)
            .cloned()
            .unwrap_or_else(|| CONFIG_FILE.into()),
        IndexError::Start(_) | IndexError::Build(_) => CONFIG_FILE.into(),
    };
    Diagnostic::error(file, 0, 0, "search", error.to_string())
        .with_help("set `search = false` in awskb.toml to build the site without search")
}
