//! The practice page's data: every question of the site, split so that the page downloads
//! only what the chosen set needs (a site of 30,000 questions stays under ~100 KB before the
//! first question shows).
//!
//! Questions are numbered in page-path order, so each section's questions are one range.
//! In the folder the output plan has for them ([`Kind::PracticeData`], `practice/`), the build
//! writes:
//! - `index.json`: the count, the chunk size, and every tag, category and section with its
//!   number of questions (sections with their range, terms with the file of their numbers);
//! - `q/K.json`: questions `K*CHUNK ..` (stem, options, answer, explanation, page, terms);
//! - `sets/T.json`: the question numbers of term `T`, as runs `[gap, length, gap, length…]`;
//! - `ids/B.json`: question id -> number, bucketed by an FNV-1a hash of the id, so "Review my
//!   mistakes" finds a few questions by the ids the reader's browser kept.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::markdown::questions::AnswerOption;
use crate::output::Output;
use crate::plan::{Kind, Plan};

/// Questions per `q/K.json` file: one such file is all the first question needs.
pub const CHUNK: usize = 10;
/// Questions per `ids/B.json` bucket, on average.
const PER_BUCKET: usize = 64;

/// How many questions one page has, for `check --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct PageQuestions {
    pub file: String,
    pub path: String,
    pub questions: usize,
}

/// Every page with its number of questions, in path order.
pub fn counts(site: &Site) -> Vec<PageQuestions> {
    site.pages
        .iter()
        .map(|page| PageQuestions {
            file: page.file.display().to_string(),
            path: page.path.clone(),
            questions: page.rendered.questions.len(),
        })
        .collect()
}

/// One question as the practice page reads it.
#[derive(Serialize)]
struct Entry<'a> {
    /// The page's URL and the question's anchor: the key of the reader's progress.
    id: String,
    page: String,
    title: String,
    stem: &'a str,
    text: &'a str,
    options: &'a [AnswerOption],
    multiple: bool,
    explanation: &'a str,
    /// Term names by taxonomy, for the breakdown of a score.
    terms: BTreeMap<&'a str, &'a [String]>,
}

/// Writes the practice data into `out`, in the folder `plan` has for it (nothing when the plan
/// has none: `practice = false`). Returns the write errors and the number of files written.
pub fn write_data(site: &Site, plan: &Plan, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    let Some(planned) = plan.find(Kind::PracticeData) else {
        return (Vec::new(), 0);
    };
    let base = site.config.base_path();
    let href = |path: &str| crate::url::href(&base, path);
    let mut entries = Vec::new();
    // The first question number of each page.
    let mut first = Vec::with_capacity(site.pages.len() + 1);
    for page in &site.pages {
        first.push(entries.len());
        for question in &page.rendered.questions {
            let page_href = href(&page.path);
            entries.push(Entry {
                id: format!("{page_href}#{}", question.id),
                page: page_href,
                title: page.title(),
                stem: &question.stem,
                text: &question.stem_text,
                options: &question.options,
                multiple: question.multiple,
                explanation: &question.explanation,
                terms: page
                    .meta
                    .taxonomies
                    .iter()
                    .map(|(name, values)| (name.as_str(), values.as_slice()))
                    .collect(),
            });
        }
    }
    first.push(entries.len());
    let mut files: Vec<(String, String)> = Vec::new();

    let mut facets = serde_json::Map::new();
    let mut set_number = 0;
    for taxonomy in &site.taxonomies {
        let mut terms = Vec::new();
        for term in &taxonomy.terms {
            let mut numbers: Vec<usize> = term
                .pages
                .iter()
                .flat_map(|&page| first[page]..first[page + 1])
                .collect();
            if numbers.is_empty() {
                continue;
            }
            numbers.sort_unstable();
            files.push((
                format!("sets/{set_number}.json"),
                json!(runs(&numbers)).to_string(),
            ));
            terms.push(json!({"name": term.name, "path": href(&term.path), "count": numbers.len(), "set": set_number}));
            set_number += 1;
        }
        facets.insert(taxonomy.name.clone(), json!(terms));
    }
    let sections: Vec<_> = site
        .sections
        .iter()
        .filter_map(|section| {
            let page = &site.pages[section.page];
            // Pages are sorted by path, so a section's pages (its path as their prefix) are
            // one run of pages and their questions one range.
            let inside: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].path.starts_with(&page.path))
                .collect();
            let (start, end) = (first[*inside.first()?], first[*inside.last()? + 1]);
            (end > start).then(|| {
                json!({"name": page.title(), "path": href(&page.path), "count": end - start, "range": [start, end]})
            })
        })
        .collect();

    for (k, chunk) in entries.chunks(CHUNK).enumerate() {
        files.push((format!("q/{k}.json"), json!(chunk).to_string()));
    }
    let buckets = entries.len().div_ceil(PER_BUCKET).max(1);
    let mut ids: Vec<serde_json::Map<String, serde_json::Value>> =
        vec![Default::default(); buckets];
    for (number, entry) in entries.iter().enumerate() {
        ids[fnv1a(&entry.id) as usize % buckets].insert(entry.id.clone(), json!(number));
    }
    for (b, bucket) in ids.iter().enumerate() {
        files.push((format!("ids/{b}.json"), json!(bucket).to_string()));
    }
    files.push((
        "index.json".into(),
        json!({
            "total": entries.len(),
            "chunk": CHUNK,
            "buckets": buckets,
            "taxonomies": facets,
            "sections": sections,
        })
        .to_string(),
    ));

    let mut diagnostics = Vec::new();
    for (rel, text) in &files {
        let rel = format!("{}{rel}", planned.file);
        if let Err(e) = out.write(&rel, text.as_bytes()) {
            diagnostics.push(Diagnostic::error(
                &rel,
                0,
                0,
                "io",
                format!("cannot write {rel}: {e}"),
            ));
        }
    }
    let written = files.len() - diagnostics.len();
    (diagnostics, written)
}

/// Sorted numbers as `[gap, length, …]` runs: a term on every page of a big site is a few
/// numbers, not thousands.
fn runs(numbers: &[usize]) -> Vec<usize> {
    let mut runs = Vec::new();
    let mut previous_end = 0;
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start + 1;
        i += 1;
        while i < numbers.len() && numbers[i] == end {
            end += 1;
            i += 1;
        }
        runs.push(start - previous_end);
        runs.push(end - start);
        previous_end = end;
    }
    runs
}

/// 32-bit FNV-1a of the UTF-8 bytes: simple enough to compute the same in `practice.js`.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ byte as u32).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_numbers() {
        assert_eq!(runs(&[0, 1, 2, 5, 6, 9]), [0, 3, 2, 2, 2, 1]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
    }
}
