//! The search index: every page's title, headings, text, terms and section path, analysed and
//! written by the `search-index` crate into a chunked bundle under `search-index/` in the
//! output, so a reader's query downloads only the parts of the index it needs. The theme's
//! `/search/` page and header box query it in the browser (`static/js/search.js`).
//!
//! Pages are taken from the loaded site (its plain text and headings), not read back from the
//! rendered HTML, and analysed in parallel; the bundle is written through [`Output`] like every
//! other file, so it lands in the staging folder of a build or the memory of the dev server.

mod live;

use std::time::Instant;

use rayon::prelude::*;
use search_index::format::record_path;
use search_index::{Analysed, Document, Heading, Index, Stemmer};

use crate::content::{Page, PageKind, Site};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::plan::{Kind, Plan};
use crate::render::context::Views;
use crate::timings;
pub use live::{Changes, Fingerprints};

/// Indexes the site and writes the bundle into `out`, in the folder `plan` has for it (nothing
/// when the plan has no index). Returns the diagnostics (a file that cannot be written) and the
/// number of files written. Each page's record is written as soon as the page is analysed, so
/// no page's text is held until the end.
pub fn write_index(site: &Site, plan: &Plan, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    let Some(planned) = plan.find(Kind::SearchIndex) else {
        return (Vec::new(), 0);
    };
    let started = Instant::now();
    let views = Views::new(site);
    let stemmer = Stemmer::for_language(&site.config.language);
    let (pages, records): (Vec<Analysed>, Vec<Result<(), Diagnostic>>) = indexed(site)
        .into_par_iter()
        .enumerate()
        .map(|(id, i)| {
            let text = site.pages[i].rendered.text.unpack();
            let mut page = search_index::analyse(&document_of(site, &views, i, &text), &stemmer);
            let record = page.take_record();
            let written = write_file(out, &planned.file, &record_path(id), &record);
            (page, written)
        })
        .unzip();
    timings::report("search: analyse pages, write records", started);
    let started = Instant::now();
    let (mut diagnostics, written) = write_bundle(
        &Index::new(&site.config.language, pages),
        &planned.file,
        out,
    );
    timings::report("search: merge words, write chunks", started);
    let records_written = records.iter().filter(|r| r.is_ok()).count();
    diagnostics.extend(records.into_iter().filter_map(Result::err));
    (diagnostics, written + records_written)
}

/// The indexes in `site.pages` of the pages the index holds.
fn indexed(site: &Site) -> Vec<usize> {
    (0..site.pages.len())
        .filter(|&i| is_indexed(&site.pages[i]))
        .collect()
}

/// Writes the bundle of `index` into the folder `dir` of `out`; see [`write_index`]. The dev
/// server keeps its index between saves (see [`Changes`]).
pub fn write_bundle(index: &Index, dir: &str, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    let bundle = index.bundle();
    let results: Vec<Result<(), Diagnostic>> = bundle
        .files
        .par_iter()
        .map(|(path, bytes)| write_file(out, dir, path, bytes))
        .collect();
    let written = results.iter().filter(|r| r.is_ok()).count();
    (
        results.into_iter().filter_map(Result::err).collect(),
        written,
    )
}

/// Writes the bundle's file `path` into the folder `dir` of `out`.
fn write_file(out: &dyn Output, dir: &str, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let rel = format!("{dir}{path}");
    out.write(&rel, bytes).map_err(|e| {
        Diagnostic::error(rel.as_str(), 0, 0, "io", format!("cannot write {rel}: {e}"))
    })
}

/// Pages are indexed, and sections that have words of their own (a body or a description);
/// a section that only lists its pages would only repeat their titles.
fn is_indexed(page: &Page) -> bool {
    page.kind == PageKind::Page
        || page.rendered.word_count > 0
        || page
            .meta
            .description
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
}

/// What the index holds of page `index`, whose plain text (unpacked) is `text`.
fn document_of<'a>(site: &'a Site, views: &Views, index: usize, text: &'a str) -> Document<'a> {
    let page = &site.pages[index];
    let sections = views
        .ancestors(index)
        .into_iter()
        .map(|i| &site.pages[i])
        .filter(|ancestor| ancestor.path != "/")
        .map(Page::title)
        .collect();
    let mut terms: Vec<(String, String)> = Vec::new();
    for taxonomy in &site.taxonomies {
        for written in page
            .meta
            .taxonomies
            .get(&taxonomy.name)
            .into_iter()
            .flatten()
        {
            if let Some(term) = taxonomy.term(written) {
                let pair = (taxonomy.name.clone(), term.name.clone());
                if !terms.contains(&pair) {
                    terms.push(pair);
                }
            }
        }
    }
    Document {
        url: crate::url::href("/", &page.path),
        title: page.title(),
        description: page.meta.description.as_deref().unwrap_or(""),
        text,
        headings: page
            .rendered
            .headings
            .iter()
            .map(|h| Heading {
                id: &h.id,
                title: h.text.clone(),
            })
            .collect(),
        sections,
        terms,
    }
}
