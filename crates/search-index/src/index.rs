//! The index of a whole site: analysed pages merged into word chunks, records, filter lists and
//! `meta.json` (see [`crate::format`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::json;

use crate::analyse::{Analysed, Occurrences};
use crate::format::{
    CHUNK_BYTES, FNV_OFFSET, VERSION, fnv1a, increasing, record_path, string, varint,
};

/// One page of a word: the page's id, the page, and the word's place in its words.
type Posting<'a> = (u32, &'a Analysed, usize);

/// Taxonomy → term → the path of its filter file.
type FilterMap = BTreeMap<String, BTreeMap<String, String>>;

/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// What a word of the title adds: as much as the most a word can score in the text.
const TITLE_BONUS: f32 = K1 + 1.0;

/// The analysed pages of a site, in a fixed order (a page's place is its id in the bundle).
pub struct Index {
    language: String,
    pages: Vec<Analysed>,
    /// Where each page's URL is in `pages`.
    by_url: HashMap<String, usize>,
}

/// The files of the index: `/`-separated paths inside the bundle folder, and their bytes.
pub struct Bundle {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Index {
    /// An index of `pages` for a site in `language` (a language tag, for the client).
    pub fn new(language: &str, pages: Vec<Analysed>) -> Index {
        let by_url = pages
            .iter()
            .enumerate()
            .map(|(i, page)| (page.url.clone(), i))
            .collect();
        Index {
            language: language.to_string(),
            pages,
            by_url,
        }
    }

    /// Replaces the page with the same URL, or adds it at the end.
    pub fn update(&mut self, page: Analysed) {
        match self.by_url.get(&page.url) {
            Some(&at) => self.pages[at] = page,
            None => {
                self.by_url.insert(page.url.clone(), self.pages.len());
                self.pages.push(page);
            }
        }
    }

    /// Keeps only the pages whose URL `keep` accepts (the others went away).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.pages.retain(|page| keep(&page.url));
        self.by_url = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, page)| (page.url.clone(), i))
            .collect();
    }

    /// The number of pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether the index has no page.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Writes every file of the index.
    pub fn bundle(&self) -> Bundle {
        let mut files: Vec<(String, Vec<u8>)> = self
            .pages
            .par_iter()
            .enumerate()
            .map(|(id, page)| {
                let json = serde_json::to_vec(&page.record).expect("records serialize");
                (record_path(id), json)
            })
            .collect();
        let (chunks, firsts) = self.word_chunks();
        files.extend(
            chunks
                .into_iter()
                .enumerate()
                .map(|(i, bytes)| (format!("w/{i}.bin"), bytes)),
        );
        let (filter_files, filters) = self.filters();
        files.extend(filter_files);
        let stamp = files.iter().fold(FNV_OFFSET, |hash, (path, bytes)| {
            fnv1a(fnv1a(hash, path.as_bytes()), bytes)
        });
        let meta = json!({
            "version": VERSION,
            "language": self.language,
            "pages": self.pages.len(),
            "stamp": format!("{stamp:016x}"),
            "chunks": firsts,
            "filters": filters,
        });
        files.push(("meta.json".into(), meta.to_string().into_bytes()));
        Bundle { files }
    }

    /// The word chunks and the first word of each.
    fn word_chunks(&self) -> (Vec<Vec<u8>>, Vec<String>) {
        let average = self.pages.iter().map(|p| p.length as f32).sum::<f32>()
            / self.pages.len().max(1) as f32;
        // Each word's postings, in page order.
        let mut postings: HashMap<&str, Vec<Posting>> = HashMap::new();
        for (id, page) in self.pages.iter().enumerate() {
            for (at, (word, _)) in page.words.iter().enumerate() {
                postings
                    .entry(word.as_str())
                    .or_default()
                    .push((id as u32, page, at));
            }
        }
        let mut words: Vec<(&str, Vec<Posting>)> = postings.into_iter().collect();
        words.par_sort_unstable_by(|a, b| utf16_order(a.0, b.0));
        let entries: Vec<Vec<u8>> = words
            .par_iter()
            .map(|(word, postings)| {
                let mut out = Vec::with_capacity(16 + postings.len() * 8);
                string(&mut out, word);
                let stem = &postings[0].1.words[postings[0].2].1.stem;
                let shared = common_prefix(word, stem);
                varint(&mut out, shared as u64);
                string(&mut out, &stem[shared..]);
                varint(&mut out, postings.len() as u64);
                let mut previous = 0;
                for &(id, page, at) in postings {
                    let occurrences = &page.words[at].1;
                    varint(&mut out, u64::from(id - previous));
                    previous = id;
                    out.push(weight(occurrences, page.length as f32, average));
                    increasing(&mut out, &occurrences.positions);
                }
                out
            })
            .collect();
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let mut firsts = Vec::new();
        for ((word, _), entry) in words.iter().zip(entries) {
            match chunks.last_mut() {
                Some(chunk) if chunk.len() + entry.len() <= CHUNK_BYTES => {
                    chunk.extend_from_slice(&entry)
                }
                _ => {
                    firsts.push(word.to_string());
                    chunks.push(entry);
                }
            }
        }
        (chunks, firsts)
    }

    /// The filter files and `meta.json`'s map of them: taxonomy → term → file.
    fn filters(&self) -> (Vec<(String, Vec<u8>)>, FilterMap) {
        let mut terms: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
        for (id, page) in self.pages.iter().enumerate() {
            for (taxonomy, term) in &page.terms {
                let pages = terms.entry(taxonomy).or_default().entry(term).or_default();
                if pages.last() != Some(&(id as u32)) {
                    pages.push(id as u32);
                }
            }
        }
        let mut files = Vec::new();
        let mut map = BTreeMap::new();
        for (t, (taxonomy, terms)) in terms.into_iter().enumerate() {
            let mut names = BTreeMap::new();
            for (n, (term, pages)) in terms.into_iter().enumerate() {
                let path = format!("f/{t}/{n}.bin");
                let mut bytes = Vec::new();
                increasing(&mut bytes, &pages);
                names.insert(term.to_string(), path.clone());
                files.push((path, bytes));
            }
            map.insert(taxonomy.to_string(), names);
        }
        (files, map)
    }
}

/// A word's weight on a page of `length` words: BM25's term-frequency part of its weighted
/// occurrences (0..K1+1), plus [`TITLE_BONUS`] when the title has it, scaled to 1..=255.
fn weight(occurrences: &Occurrences, length: f32, average: f32) -> u8 {
    let weighted = occurrences.weighted;
    let norm = K1 * (1.0 - B + B * length / average.max(1.0));
    let tf = weighted * (K1 + 1.0) / (weighted + norm);
    let title = if occurrences.in_title {
        TITLE_BONUS
    } else {
        0.0
    };
    ((tf + title) / (K1 + 1.0 + TITLE_BONUS) * 255.0)
        .round()
        .clamp(1.0, 255.0) as u8
}

/// JavaScript's string order (UTF-16 code units), which the client's binary search uses.
fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The length in bytes of the longest common prefix of `a` and `b`, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((at, _), _)| at)
}

#[cfg(test)]
mod tests;
