//! The dev server's index, kept between saves: each save re-analyses only the pages whose
//! indexed words changed (found by a fingerprint of what the index takes of each page), and the
//! bundle is written again from the kept analyses.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use search_index::format::{FNV_OFFSET, fnv1a};
use search_index::{Analysed, Document, Index, Stemmer};

use super::{document_of, indexed};
use crate::content::Site;
use crate::render::context::Views;

/// What changed in the index since the last [`Changes`]: made on the rebuild thread (it reads
/// the site), applied on the indexing thread.
pub struct Changes {
    language: String,
    /// The pages analysed again.
    analysed: Vec<Analysed>,
    /// The URLs of every indexed page now, when a page went away (else `None`).
    kept: Option<HashSet<String>>,
}

/// The fingerprint of each indexed page's document, by URL, as last handed over.
#[derive(Default)]
pub struct Fingerprints(HashMap<String, u64>);

impl Changes {
    /// The pages of `site` whose documents differ from `seen`, analysed; updates `seen`.
    pub fn since(site: &Site, seen: &mut Fingerprints) -> Changes {
        let views = Views::new(site);
        let stemmer = Stemmer::for_language(&site.config.language);
        let documents: Vec<(Document, u64)> = indexed(site)
            .into_par_iter()
            .map(|i| {
                let document = document_of(site, &views, i);
                let print = fingerprint(&document, &site.config.language);
                (document, print)
            })
            .collect();
        let analysed = documents
            .par_iter()
            .filter(|(document, print)| seen.0.get(&document.url) != Some(print))
            .map(|(document, _)| search_index::analyse(document, &stemmer))
            .collect();
        let now: HashMap<String, u64> = documents
            .into_iter()
            .map(|(document, print)| (document.url, print))
            .collect();
        let gone = seen.0.keys().any(|url| !now.contains_key(url));
        let kept = gone.then(|| now.keys().cloned().collect());
        seen.0 = now;
        Changes {
            language: site.config.language.clone(),
            analysed,
            kept,
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.analysed.is_empty() && self.kept.is_none()
    }

    /// Applies the changes to `index` (a new index the first time).
    pub fn apply(self, index: &mut Option<Index>) {
        let mut updated = match index.take() {
            Some(mut kept) => {
                for page in self.analysed {
                    kept.update(page);
                }
                kept
            }
            None => Index::new(&self.language, self.analysed),
        };
        if let Some(urls) = &self.kept {
            updated.retain(|url| urls.contains(url));
        }
        *index = Some(updated);
    }
}

/// A hash of everything the index takes of a page, and the language (its stemmer).
fn fingerprint(document: &Document, language: &str) -> u64 {
    let mut hash = fnv1a(FNV_OFFSET, language.as_bytes());
    let mut add = |text: &str| {
        hash = fnv1a(hash, text.as_bytes());
        hash = fnv1a(hash, &[0xff]);
    };
    add(&document.title);
    add(document.description);
    add(document.text);
    for section in &document.sections {
        add(section);
    }
    for (taxonomy, term) in &document.terms {
        add(taxonomy);
        add(term);
    }
    for heading in &document.headings {
        add(heading.id);
        add(&format!("{:?}", heading.title));
    }
    hash
}
