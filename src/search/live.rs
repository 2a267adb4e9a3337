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
        // Each page's text is unpacked, fingerprinted and (when it changed) analysed in one
        // step, so no more than one page's text a thread is unpacked at once.
        let pages: Vec<(String, u64, Option<Analysed>)> = indexed(site)
            .into_par_iter()
            .map(|i| {
                let text = site.pages[i].rendered.text.unpack();
                let document = document_of(site, &views, i, &text);
                let print = fingerprint(&document, &site.config.language);
                let changed = seen.0.get(&document.url) != Some(&print);
                let analysed = changed.then(|| search_index::analyse(&document, &stemmer));
                (document.url, print, analysed)
            })
            .collect();
        let mut analysed = Vec::new();
        let mut now: HashMap<String, u64> = HashMap::with_capacity(pages.len());
        for (url, print, page) in pages {
            analysed.extend(page);
            now.insert(url, print);
        }
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Config;
    use crate::content::{self, LoadOptions};
    use crate::markdown::Highlighter;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn urls(changes: &Changes) -> Vec<&str> {
        let mut urls: Vec<&str> = changes.analysed.iter().map(|p| p.url.as_str()).collect();
        urls.sort();
        urls
    }

    #[test]
    fn a_saved_page_is_analysed_again_alone_and_a_deleted_one_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        write(root, "a.md", "---\ntitle: A\n---\nAlpha text.\n");
        write(root, "b.md", "---\ntitle: B\n---\nBeta text.\n");
        let highlighter = Highlighter::default();
        let options = LoadOptions::default();
        let (mut site, mut sources) =
            content::load(root, Config::default(), &options, &highlighter);
        let mut seen = Fingerprints::default();
        let mut index = None;

        let first = Changes::since(&site, &mut seen);
        assert_eq!(urls(&first), ["/", "/a/", "/b/"]);
        first.apply(&mut index);
        assert!(
            Changes::since(&site, &mut seen).is_empty(),
            "nothing changed"
        );

        write(root, "a.md", "---\ntitle: A\n---\nAlpha gamma.\n");
        content::reload(
            &mut site,
            &mut sources,
            &[PathBuf::from("a.md")],
            &highlighter,
        );
        let saved = Changes::since(&site, &mut seen);
        assert_eq!(urls(&saved), ["/a/"], "only the saved page");
        saved.apply(&mut index);
        let bundle = index.as_ref().unwrap().bundle();
        let record = |id: usize| -> serde_json::Value {
            let path = search_index::format::record_path(id);
            let (_, bytes) = bundle.files.iter().find(|(p, _)| *p == path).unwrap();
            serde_json::from_slice(bytes).unwrap()
        };
        assert_eq!(record(1)["parts"][0][2], "Alpha gamma.");

        std::fs::remove_file(root.join("content/b.md")).unwrap();
        content::reload(
            &mut site,
            &mut sources,
            &[PathBuf::from("b.md")],
            &highlighter,
        );
        let deleted = Changes::since(&site, &mut seen);
        assert!(!deleted.is_empty() && deleted.analysed.is_empty());
        deleted.apply(&mut index);
        assert_eq!(index.as_ref().unwrap().len(), 2);
    }
}
