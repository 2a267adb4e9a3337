//! The index of a whole site: analysed pages merged into word chunks, records, filter lists and
//! `meta.json` (see [`crate::format`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::json;

use crate::analyse::Analysed;
use crate::format::{
    CHUNK_BYTES, FNV_OFFSET, VERSION, fnv1a, increasing, record_path, string, varint,
};

/// One word's postings on a run of consecutive pages (the merge splits the pages into runs, one
/// a task): the first page apart, so that runs join into one list of gaps.
struct Run<'a> {
    stem: &'a [u8],
    pages: u32,
    first: u32,
    last: u32,
    /// The first page's weight and positions, then each other page's gap, weight and
    /// positions.
    bytes: Vec<u8>,
}

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

    /// Writes every file of the index (the records that the pages still hold).
    pub fn bundle(&self) -> Bundle {
        let mut files: Vec<(String, Vec<u8>)> = self
            .pages
            .par_iter()
            .enumerate()
            .filter(|(_, page)| !page.record().is_empty())
            .map(|(id, page)| (record_path(id), page.record().to_vec()))
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
        // Every record (written or not), then every other file.
        let records = self.pages.iter().fold(FNV_OFFSET, |hash, page| {
            fnv1a(hash, &page.record_hash.to_le_bytes())
        });
        let hashes: Vec<u64> = files
            .par_iter()
            .filter(|(path, _)| !path.starts_with("p/"))
            .map(|(path, bytes)| fnv1a(fnv1a(FNV_OFFSET, path.as_bytes()), bytes))
            .collect();
        let stamp = hashes
            .iter()
            .fold(records, |hash, file| fnv1a(hash, &file.to_le_bytes()));
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

    /// The word chunks and the first word of each. The pages are merged in runs, in parallel,
    /// and each word's runs joined in page order.
    fn word_chunks(&self) -> (Vec<Vec<u8>>, Vec<String>) {
        let average = self.pages.iter().map(|p| p.length as f32).sum::<f32>()
            / self.pages.len().max(1) as f32;
        let run_pages = self
            .pages
            .len()
            .div_ceil(rayon::current_num_threads() * 2)
            .max(64);
        let runs: Vec<HashMap<&str, Run>> = self
            .pages
            .par_chunks(run_pages)
            .enumerate()
            .map(|(at, pages)| {
                let mut runs: HashMap<&str, Run> = HashMap::new();
                for (offset, page) in pages.iter().enumerate() {
                    let id = (at * run_pages + offset) as u32;
                    for word in page.words.iter() {
                        let run = runs.entry(word.word).or_insert_with(|| Run {
                            stem: word.stem,
                            pages: 0,
                            first: id,
                            last: id,
                            bytes: Vec::new(),
                        });
                        if run.pages > 0 {
                            varint(&mut run.bytes, u64::from(id - run.last));
                        }
                        run.pages += 1;
                        run.last = id;
                        run.bytes.push(weight(
                            word.weighted,
                            word.in_title,
                            page.length as f32,
                            average,
                        ));
                        run.bytes.extend_from_slice(word.positions);
                    }
                }
                runs
            })
            .collect();
        // Each word's runs, in page order.
        let mut postings: HashMap<&str, Vec<Run>> = HashMap::new();
        for map in runs {
            for (word, run) in map {
                postings.entry(word).or_default().push(run);
            }
        }
        let mut words: Vec<(&str, Vec<Run>)> = postings.into_iter().collect();
        words.par_sort_unstable_by(|a, b| utf16_order(a.0, b.0));
        let entries: Vec<Vec<u8>> = words
            .par_iter()
            .map(|(word, runs)| {
                let size: usize = runs.iter().map(|run| run.bytes.len() + 4).sum();
                let mut out = Vec::with_capacity(16 + word.len() + size);
                string(&mut out, word);
                out.extend_from_slice(runs[0].stem);
                varint(&mut out, runs.iter().map(|run| u64::from(run.pages)).sum());
                let mut previous = 0;
                for run in runs {
                    varint(&mut out, u64::from(run.first - previous));
                    out.extend_from_slice(&run.bytes);
                    previous = run.last;
                }
                out
            })
            .collect();
        drop(words);
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let mut firsts = Vec::new();
        for entry in entries {
            match chunks.last_mut() {
                Some(chunk) if chunk.len() + entry.len() <= CHUNK_BYTES => {
                    chunk.extend_from_slice(&entry)
                }
                _ => {
                    firsts.push(first_word(&entry));
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
fn weight(weighted: f32, in_title: bool, length: f32, average: f32) -> u8 {
    let norm = K1 * (1.0 - B + B * length / average.max(1.0));
    let tf = weighted * (K1 + 1.0) / (weighted + norm);
    let title = if in_title { TITLE_BONUS } else { 0.0 };
    ((tf + title) / (K1 + 1.0 + TITLE_BONUS) * 255.0)
        .round()
        .clamp(1.0, 255.0) as u8
}

/// The word an entry of a chunk starts with.
fn first_word(entry: &[u8]) -> String {
    crate::format::Reader(entry).string().to_string()
}

/// JavaScript's string order (UTF-16 code units), which the client's binary search uses.
fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests;
