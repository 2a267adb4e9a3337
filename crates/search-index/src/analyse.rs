//! One page in the form the index merges: its words with their weights and first positions,
//! and the record the client shows (title, URL, section path, text by heading).

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::format::{self, Reader};
use crate::text::{Stemmer, words};

/// What the index takes of one page.
pub struct Document<'a> {
    /// The page's URL without the site's base path (`/aws/lambda/`); the client adds it.
    pub url: String,
    pub title: String,
    pub description: &'a str,
    /// The page's plain text (prose, answers, question options), headings included.
    pub text: &'a str,
    /// Every heading of the page in document order, located in `text`.
    pub headings: Vec<Heading<'a>>,
    /// Titles of the sections above the page, outermost first.
    pub sections: Vec<String>,
    /// (taxonomy, term) pairs, for filters; the terms' words are indexed too.
    pub terms: Vec<(String, String)>,
}

/// A heading: its anchor and where its title lies in the page's text.
pub struct Heading<'a> {
    pub id: &'a str,
    pub title: Range<usize>,
}

/// How much one occurrence counts, by where it is: a word of a heading says more about the page
/// than one in a paragraph. Title words are counted apart (see [`Occurrences::in_title`]).
mod field {
    pub const HEADING: f32 = 3.0;
    pub const DESCRIPTION: f32 = 2.0;
    /// Section path and taxonomy terms.
    pub const LABEL: f32 = 2.0;
    pub const TEXT: f32 = 1.0;
}

/// Positions kept per word and page: enough for the client's proximity and phrase bonus
/// between query words, few enough that common words stay small in the index.
pub const MAX_POSITIONS: usize = 4;

/// The separator of the section path shown with each result (`AWS › Step Functions`).
pub const SECTION_SEPARATOR: &str = " › ";

/// One word of a page while it is counted: how often it occurs, weighted by field, and where
/// it first does.
#[derive(Debug, Clone, PartialEq)]
struct Occurrences {
    stem: String,
    /// Occurrences outside the title, weighted by field (0 for a word only in the title).
    weighted: f32,
    /// Whether the title has the word: the index adds a bonus that no count of occurrences in
    /// the text reaches, so a page titled with the words comes first.
    in_title: bool,
    /// Word positions (the page's words counted from 0, title first), at most
    /// [`MAX_POSITIONS`].
    positions: Vec<u32>,
}

/// A page ready to be merged into the index.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub url: String,
    /// The words of the page, sorted and packed.
    pub words: Words,
    /// Number of words of the page, for length normalisation.
    pub length: u32,
    pub terms: Vec<(String, String)>,
    /// The record's JSON (`p/…json`), until [`Analysed::take_record`] takes it.
    record: Vec<u8>,
    /// The FNV-1a hash of the record, for the bundle's stamp (kept when the record is taken).
    pub(crate) record_hash: u64,
}

impl Analysed {
    /// The record's JSON, empty once taken.
    pub fn record(&self) -> &[u8] {
        &self.record
    }

    /// Takes the record's JSON, for a build that writes it at once rather than keep every
    /// page's text until the bundle is written; the bundle then leaves the record out.
    pub fn take_record(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.record)
    }
}

/// A page's words in one buffer, a few bytes a word (separate strings and vectors took ten
/// times that, and a site's pages are all held until the merge). Per word, sorted by word:
/// `str(word)`, its stem as a word chunk has it (`varint(shared)`, `str(rest)`), `f32`
/// weighted occurrences (little-endian), `u8` whether the title has it, and its positions as
/// [`format::increasing`] (as a chunk's postings have them).
#[derive(Debug, Clone, Default)]
pub struct Words(Box<[u8]>);

/// One word of [`Words`].
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub word: &'a str,
    /// The stem, as a word chunk writes it after the word.
    pub stem: &'a [u8],
    /// Occurrences outside the title, weighted by field (0 for a word only in the title).
    pub weighted: f32,
    /// Whether the title has the word.
    pub in_title: bool,
    /// The first positions, as a word chunk writes them.
    pub positions: &'a [u8],
}

impl Words {
    fn pack(words: &[(String, Occurrences)]) -> Words {
        let mut out = Vec::with_capacity(words.len() * 16);
        for (word, seen) in words {
            format::string(&mut out, word);
            let shared = common_prefix(word, &seen.stem);
            format::varint(&mut out, shared as u64);
            format::string(&mut out, &seen.stem[shared..]);
            out.extend_from_slice(&seen.weighted.to_le_bytes());
            out.push(u8::from(seen.in_title));
            format::increasing(&mut out, &seen.positions);
        }
        Words(out.into_boxed_slice())
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = Word<'_>> {
        let mut reader = Reader(&self.0);
        std::iter::from_fn(move || {
            if reader.0.is_empty() {
                return None;
            }
            let word = reader.string();
            let stem_start = reader.0;
            reader.varint();
            reader.string();
            let stem = &stem_start[..stem_start.len() - reader.0.len()];
            let weighted = f32::from_le_bytes(reader.bytes(4).try_into().expect("4 bytes"));
            let in_title = reader.bytes(1)[0] != 0;
            let positions = reader.increasing_bytes();
            Some(Word {
                word,
                stem,
                weighted,
                in_title,
                positions,
            })
        })
    }
}

/// The length in bytes of the longest common prefix of `a` and `b`, at a character boundary.
pub(crate) fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((at, _), _)| at)
}

/// What the client shows of a page: `p/…json` in the bundle.
#[derive(Serialize)]
struct Record<'a> {
    url: &'a str,
    title: &'a str,
    /// The section path, `AWS › Compute`, or empty.
    section: &'a str,
    /// The text before the first heading (the description first), then each heading's:
    /// `[anchor, heading title, text]`; the first part's anchor and title are empty.
    parts: Vec<[String; 3]>,
}

/// Analyses one page (see [`Analysed`]).
pub fn analyse(document: &Document, stemmer: &Stemmer) -> Analysed {
    let mut counter = Counter::new(stemmer);
    counter.add(&document.title, 0.0);
    let section = document.sections.join(SECTION_SEPARATOR);
    counter.add(&section, field::LABEL);
    for (_, term) in &document.terms {
        counter.add(term, field::LABEL);
    }
    counter.add(document.description, field::DESCRIPTION);
    let text = document.text;
    let mut parts = Vec::with_capacity(document.headings.len() + 1);
    let mut intro = String::from(document.description.trim());
    let mut at = 0;
    let mut part = (String::new(), String::new());
    for heading in &document.headings {
        let body = text.get(at..heading.title.start).unwrap_or("");
        counter.add(body, field::TEXT);
        let title = text.get(heading.title.clone()).unwrap_or("");
        counter.add(title, field::HEADING);
        push_part(&mut parts, &mut intro, part, body);
        part = (heading.id.to_string(), title.trim().to_string());
        at = heading.title.end;
    }
    let body = text.get(at..).unwrap_or("");
    counter.add(body, field::TEXT);
    push_part(&mut parts, &mut intro, part, body);
    let (words, length) = counter.finish();
    let record = serde_json::to_vec(&Record {
        url: &document.url,
        title: &document.title,
        section: &section,
        parts,
    })
    .expect("records serialize");
    Analysed {
        url: document.url.clone(),
        words: Words::pack(&words),
        length,
        terms: document.terms.clone(),
        record_hash: format::fnv1a(format::FNV_OFFSET, &record),
        record,
    }
}

/// Appends the part under a heading (the intro, with the description, when it is the first).
fn push_part(
    parts: &mut Vec<[String; 3]>,
    intro: &mut String,
    (id, title): (String, String),
    body: &str,
) {
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if parts.is_empty() {
        if !intro.is_empty() && !body.is_empty() {
            intro.push(' ');
        }
        intro.push_str(&body);
        parts.push([id, title, std::mem::take(intro)]);
    } else {
        parts.push([id, title, body]);
    }
}

/// Counts a page's words as its fields are added in order.
struct Counter<'s> {
    stemmer: &'s Stemmer,
    words: HashMap<String, Occurrences>,
    position: u32,
}

impl<'s> Counter<'s> {
    fn new(stemmer: &'s Stemmer) -> Self {
        Counter {
            stemmer,
            words: HashMap::new(),
            position: 0,
        }
    }

    /// Counts the words of `text`, each occurrence `weight` (0: the title).
    fn add(&mut self, text: &str, weight: f32) {
        let in_title = weight == 0.0;
        for (_, word) in words(text) {
            let position = self.position;
            self.position += 1;
            if let Some(found) = self.words.get_mut(word.as_ref()) {
                found.weighted += weight;
                found.in_title |= in_title;
                if found.positions.len() < MAX_POSITIONS {
                    found.positions.push(position);
                }
                continue;
            }
            let stem = self.stemmer.stem_cached(&word);
            self.words.insert(
                word.into_owned(),
                Occurrences {
                    stem,
                    weighted: weight,
                    in_title,
                    positions: vec![position],
                },
            );
        }
    }

    fn finish(self) -> (Vec<(String, Occurrences)>, u32) {
        let mut words: Vec<_> = self.words.into_iter().collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        (words, self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lambda_page(text: &str) -> Document<'_> {
        let heading = |title: &str| {
            let start = text.find(title).unwrap();
            start..start + title.len()
        };
        Document {
            url: "/aws/lambda/".into(),
            title: "Lambda".into(),
            description: "Functions without servers.",
            text,
            headings: vec![
                Heading {
                    id: "cold-starts",
                    title: heading("Cold starts"),
                },
                Heading {
                    id: "limits",
                    title: heading("Limits"),
                },
            ],
            sections: vec!["AWS".into(), "Compute".into()],
            terms: vec![("tags".into(), "Serverless".into())],
        }
    }

    #[test]
    fn the_record_holds_the_text_by_heading() {
        let text = "Intro  text. Cold starts A cold start adds latency. Limits Fifteen minutes.";
        let page = analyse(&lambda_page(text), &Stemmer::for_language("en"));
        let record: serde_json::Value = serde_json::from_slice(page.record()).unwrap();
        assert_eq!(record["section"], "AWS › Compute");
        assert_eq!(
            record["parts"],
            serde_json::json!([
                ["", "", "Functions without servers. Intro text."],
                ["cold-starts", "Cold starts", "A cold start adds latency."],
                ["limits", "Limits", "Fifteen minutes."],
            ])
        );
        assert_eq!(
            page.record_hash,
            format::fnv1a(format::FNV_OFFSET, page.record())
        );
        let mut page = page;
        let taken = page.take_record();
        assert!(page.record().is_empty() && !taken.is_empty());
    }

    #[test]
    fn words_are_weighted_by_field_and_located() {
        let text = "Intro text. Cold starts A cold start adds latency. Limits Fifteen minutes.";
        let page = analyse(&lambda_page(text), &Stemmer::for_language("en"));
        let word = |w: &str| page.words.iter().find(|x| x.word == w).unwrap();
        assert!(word("lambda").in_title);
        assert_eq!(word("lambda").weighted, 0.0);
        assert!(!word("cold").in_title);
        assert_eq!(positions(word("lambda")), [0]);
        // Title, AWS, Compute, Serverless, then the description: "functions" is the 5th word.
        assert_eq!(positions(word("functions")), [4]);
        assert_eq!(stem(word("functions")), "function");
        // Once in a heading, once in the text.
        assert_eq!(word("cold").weighted, field::HEADING + field::TEXT);
        assert_eq!(word("serverless").weighted, field::LABEL);
        assert_eq!(page.length, 19);
        let all: Vec<Word> = page.words.iter().collect();
        assert!(all.windows(2).all(|w| w[0].word < w[1].word), "sorted");
    }

    #[test]
    fn positions_are_capped() {
        let text = "retry ".repeat(10);
        let page = analyse(&plain_page(&text), &Stemmer::for_language("en"));
        let retry = page.words.iter().find(|w| w.word == "retry").unwrap();
        assert_eq!(positions(retry).len(), MAX_POSITIONS);
        assert_eq!(retry.weighted, 10.0);
    }

    fn positions(word: Word) -> Vec<u32> {
        Reader(word.positions).increasing()
    }

    fn stem(word: Word) -> String {
        let mut reader = Reader(word.stem);
        let shared = reader.varint() as usize;
        format!("{}{}", &word.word[..shared], reader.string())
    }

    fn plain_page(text: &str) -> Document<'_> {
        Document {
            url: "/x/".into(),
            title: "X".into(),
            description: "",
            text,
            headings: Vec::new(),
            sections: Vec::new(),
            terms: Vec::new(),
        }
    }
}
