//! The bundle read back as the client reads it.

use super::*;
use crate::analyse::{Document, Heading, analyse, common_prefix};
use crate::text::Stemmer;

/// One decoded word entry: word, stem, and (page id, weight, positions) per page.
type Entry = (String, String, Vec<(u32, u8, Vec<u32>)>);

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn varint(&mut self) -> u64 {
        let mut value = 0;
        let mut shift = 0;
        loop {
            let byte = self.0[0];
            self.0 = &self.0[1..];
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return value;
            }
            shift += 7;
        }
    }

    fn string(&mut self) -> String {
        let len = self.varint() as usize;
        let text = std::str::from_utf8(&self.0[..len]).unwrap().to_string();
        self.0 = &self.0[len..];
        text
    }

    fn increasing(&mut self) -> Vec<u32> {
        let n = self.varint();
        let mut previous = 0;
        (0..n)
            .map(|_| {
                previous += self.varint() as u32;
                previous
            })
            .collect()
    }

    fn entry(&mut self) -> Entry {
        let word = self.string();
        let shared = self.varint() as usize;
        let stem = format!("{}{}", &word[..shared], self.string());
        let n = self.varint();
        let mut id = 0;
        let postings = (0..n)
            .map(|_| {
                id += self.varint() as u32;
                let weight = self.0[0];
                self.0 = &self.0[1..];
                (id, weight, self.increasing())
            })
            .collect();
        (word, stem, postings)
    }
}

fn file<'a>(bundle: &'a Bundle, path: &str) -> &'a [u8] {
    &bundle.files.iter().find(|(p, _)| p == path).unwrap().1
}

fn meta(bundle: &Bundle) -> serde_json::Value {
    serde_json::from_slice(file(bundle, "meta.json")).unwrap()
}

/// Every word entry of the bundle, chunk by chunk.
fn entries(bundle: &Bundle) -> Vec<Vec<Entry>> {
    let chunks = meta(bundle)["chunks"].as_array().unwrap().len();
    (0..chunks)
        .map(|i| {
            let mut reader = Reader(file(bundle, &format!("w/{i}.bin")));
            let mut found = Vec::new();
            while !reader.0.is_empty() {
                found.push(reader.entry());
            }
            found
        })
        .collect()
}

fn page(url: &str, title: &str, text: &str, tags: &[&str]) -> Analysed {
    let document = Document {
        url: url.into(),
        title: title.into(),
        description: "",
        text,
        headings: Vec::<Heading>::new(),
        sections: Vec::new(),
        terms: tags
            .iter()
            .map(|t| ("tags".into(), t.to_string()))
            .collect(),
    };
    analyse(&document, &Stemmer::for_language("en"))
}

fn two_pages() -> Index {
    Index::new(
        "en",
        vec![
            page(
                "/retries/",
                "Retries",
                "Each retry waits longer.",
                &["Lambda"],
            ),
            page(
                "/queues/",
                "Queues",
                "Messages wait in queues; a consumer retries them after a retry delay.",
                &["SQS", "Lambda"],
            ),
        ],
    )
}

#[test]
fn words_list_their_pages_with_weights_and_positions() {
    let bundle = two_pages().bundle();
    let all: Vec<Entry> = entries(&bundle).into_iter().flatten().collect();
    let entry = |w: &str| all.iter().find(|e| e.0 == w).unwrap().clone();
    let (_, stem, postings) = entry("retries");
    assert_eq!(stem, "retri");
    let pages: Vec<u32> = postings.iter().map(|p| p.0).collect();
    assert_eq!(pages, [0, 1]);
    assert!(
        postings[0].1 > postings[1].1,
        "in the title weighs more than in the text: {postings:?}"
    );
    assert_eq!(postings[0].2, [0]);
    // "Queues Lambda SQS Messages wait in queues; a consumer retries": words 0..=8.
    assert_eq!(entry("queues").2[0].2, [0, 6]);
    assert_eq!(entry("retry").1, "retri");
    let words: Vec<&str> = all.iter().map(|e| e.0.as_str()).collect();
    let mut sorted = words.clone();
    sorted.sort();
    assert_eq!(words, sorted, "sorted across chunks");
}

#[test]
fn meta_points_at_chunks_records_and_filters() {
    let bundle = two_pages().bundle();
    let meta = meta(&bundle);
    assert_eq!(meta["version"], VERSION);
    assert_eq!(meta["pages"], 2);
    assert_eq!(meta["language"], "en");
    assert_eq!(meta["chunks"][0], "a");
    let lambda = meta["filters"]["tags"]["Lambda"].as_str().unwrap();
    assert_eq!(Reader(file(&bundle, lambda)).increasing(), [0, 1]);
    let sqs = meta["filters"]["tags"]["SQS"].as_str().unwrap();
    assert_eq!(Reader(file(&bundle, sqs)).increasing(), [1]);
    let record: serde_json::Value = serde_json::from_slice(file(&bundle, "p/0/1.json")).unwrap();
    assert_eq!(record["url"], "/queues/");
    assert_eq!(record["title"], "Queues");
}

#[test]
fn chunks_are_capped_and_cover_sorted_ranges() {
    let text: String = (0..6000).map(|i| format!("word{i:05} ")).collect();
    let bundle = Index::new("en", vec![page("/big/", "Big", &text, &[])]).bundle();
    let meta = meta(&bundle);
    let firsts: Vec<&str> = meta["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(firsts.len() > 2, "{firsts:?}");
    for (i, chunk) in entries(&bundle).iter().enumerate() {
        assert_eq!(chunk[0].0, firsts[i], "a chunk starts with its listed word");
        let size = file(&bundle, &format!("w/{i}.bin")).len();
        assert!(size <= CHUNK_BYTES, "chunk {i}: {size} bytes");
    }
}

#[test]
fn an_update_replaces_one_page_and_changes_the_stamp() {
    let mut index = two_pages();
    let before = meta(&index.bundle())["stamp"].clone();
    index.update(page("/retries/", "Backoff", "Waits grow.", &[]));
    assert_eq!(index.len(), 2);
    let bundle = index.bundle();
    assert_ne!(meta(&bundle)["stamp"], before);
    let all: Vec<Entry> = entries(&bundle).into_iter().flatten().collect();
    let backoff = all.iter().find(|e| e.0 == "backoff").unwrap();
    assert_eq!(backoff.2[0].0, 0, "the page keeps its id");
    let retries = all.iter().find(|e| e.0 == "retries").unwrap();
    assert_eq!(retries.2.len(), 1, "its old words are gone");
    index.update(page("/new/", "New", "", &[]));
    assert_eq!(meta(&index.bundle())["pages"], 3);
    index.retain(|url| url != "/retries/");
    let bundle = index.bundle();
    assert_eq!(meta(&bundle)["pages"], 2);
    let record: serde_json::Value = serde_json::from_slice(file(&bundle, "p/0/0.json")).unwrap();
    assert_eq!(record["url"], "/queues/", "later pages move up");
    index.update(page("/retries/", "Retries", "Back again.", &[]));
    assert_eq!(index.len(), 3);
}

#[test]
fn weights_fall_with_page_length_and_rise_with_occurrences() {
    let average = 100.0;
    assert!(weight(1.0, false, 50.0, average) > weight(1.0, false, 200.0, average));
    assert!(weight(3.0, false, 100.0, average) > weight(1.0, false, 100.0, average));
    assert_eq!(weight(0.0001, false, 100.0, average), 1);
    assert!(
        weight(0.0, true, 100.0, average) > weight(1000.0, false, 100.0, average),
        "a title word outweighs any count in the text"
    );
    assert!(weight(1000.0, true, 100.0, average) > 250);
}

#[test]
fn common_prefixes_stop_at_characters() {
    assert_eq!(common_prefix("retries", "retri"), 5);
    assert_eq!(common_prefix("café", "cafè"), 3);
    assert_eq!(common_prefix("a", "abc"), 1);
}

#[test]
fn runs_of_pages_merged_apart_join_into_one_list_in_page_order() {
    let pages: Vec<Analysed> = (0..300)
        .map(|i| {
            let text = format!(
                "shared words{i} {}",
                if i % 7 == 0 { "seventh" } else { "" }
            );
            page(&format!("/p{i}/"), "Page", &text, &[])
        })
        .collect();
    let bundle = Index::new("en", pages).bundle();
    let all: Vec<Entry> = entries(&bundle).into_iter().flatten().collect();
    let ids = |w: &str| -> Vec<u32> {
        let entry = all.iter().find(|e| e.0 == w).unwrap();
        entry.2.iter().map(|p| p.0).collect()
    };
    assert_eq!(ids("shared"), (0..300).collect::<Vec<u32>>());
    assert_eq!(ids("seventh"), (0..300).step_by(7).collect::<Vec<u32>>());
    assert_eq!(ids("words299"), [299]);
    let shared = all.iter().find(|e| e.0 == "shared").unwrap();
    assert!(
        shared.2.iter().all(|p| p.2 == [1]),
        "positions kept: {:?}",
        shared.2[0]
    );
}

#[test]
fn taken_records_stay_out_of_the_bundle_but_in_its_stamp() {
    let mut index = two_pages();
    let whole = index.bundle();
    let stamp = meta(&whole)["stamp"].clone();
    let mut taken = two_pages();
    let mut pages = std::mem::take(&mut taken.pages);
    let records: Vec<Vec<u8>> = pages.iter_mut().map(Analysed::take_record).collect();
    let taken = Index::new("en", pages);
    let bundle = taken.bundle();
    assert!(!bundle.files.iter().any(|(path, _)| path.starts_with("p/")));
    assert_eq!(
        meta(&bundle)["stamp"],
        stamp,
        "the same records, written apart"
    );
    assert_eq!(records[1], file(&whole, "p/0/1.json"));
    index.update(page("/queues/", "Queues", "Other text.", &[]));
    assert_ne!(meta(&index.bundle())["stamp"], stamp);
}
