//! Words as the index and the browser client both see them: split at Unicode word boundaries,
//! folded (lower case, accents removed) and, for stemmed matching, reduced to their Snowball
//! stem. The client folds with `normalize("NFD")`, drops combining marks and lower-cases, and
//! splits with `Intl.Segmenter`: the same rules, so a typed word finds the indexed one.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use rust_stemmers::Algorithm;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// `word` in lower case without accents: `Émile` → `emile`, `Straße` → `straße`.
/// Borrowed when it is already folded (most words of a page), so counting them allocates only
/// for new words.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        };
    }
    Cow::Owned(
        word.nfd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// The words of `text` (Unicode word boundaries, only the parts with letters or digits), each
/// with where it lies in `text`, folded.
pub fn words(text: &str) -> impl Iterator<Item = (Range<usize>, Cow<'_, str>)> + '_ {
    text.unicode_word_indices()
        .map(|(start, word)| (start..start + word.len(), fold(word)))
}

/// A Snowball stemmer for a language, or none for a language without one (words then match
/// only exactly or by prefix).
pub struct Stemmer(Option<(Algorithm, rust_stemmers::Stemmer)>);

/// Stems a thread has computed, for one language: a site repeats most of its words from page
/// to page, and looking a stem up costs a fraction of computing it again.
struct Cache {
    algorithm: Option<Algorithm>,
    stems: HashMap<String, String>,
}

/// Words a thread keeps the stems of, at most; then it starts over.
const CACHED_STEMS: usize = 100_000;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache { algorithm: None, stems: HashMap::new() });
}

impl Stemmer {
    /// The stemmer of a language tag (`en`, `en-GB`, `fr`, …).
    pub fn for_language(language: &str) -> Stemmer {
        let code = language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let algorithm = match code.as_str() {
            "ar" => Algorithm::Arabic,
            "da" => Algorithm::Danish,
            "de" => Algorithm::German,
            "el" => Algorithm::Greek,
            "en" => Algorithm::English,
            "es" => Algorithm::Spanish,
            "fi" => Algorithm::Finnish,
            "fr" => Algorithm::French,
            "hu" => Algorithm::Hungarian,
            "it" => Algorithm::Italian,
            "nl" => Algorithm::Dutch,
            "no" | "nb" | "nn" => Algorithm::Norwegian,
            "pt" => Algorithm::Portuguese,
            "ro" => Algorithm::Romanian,
            "ru" => Algorithm::Russian,
            "sv" => Algorithm::Swedish,
            "ta" => Algorithm::Tamil,
            "tr" => Algorithm::Turkish,
            _ => return Stemmer(None),
        };
        Stemmer(Some((algorithm, rust_stemmers::Stemmer::create(algorithm))))
    }

    /// The stem of a folded word (the word itself without a stemmer).
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.0 {
            Some((_, stemmer)) => stemmer.stem(word),
            None => Cow::Borrowed(word),
        }
    }

    /// [`Stemmer::stem`], remembered on this thread.
    pub fn stem_cached(&self, word: &str) -> String {
        let Some((algorithm, _)) = &self.0 else {
            return word.to_string();
        };
        CACHE.with_borrow_mut(|cache| {
            if cache.algorithm != Some(*algorithm) || cache.stems.len() >= CACHED_STEMS {
                cache.algorithm = Some(*algorithm);
                cache.stems.clear();
            }
            if let Some(stem) = cache.stems.get(word) {
                return stem.clone();
            }
            let stem = self.stem(word).into_owned();
            cache.stems.insert(word.to_string(), stem.clone());
            stem
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Émile"), "emile");
        assert_eq!(fold("NAÏVE"), "naive");
        assert_eq!(fold("Lambda"), "lambda");
        assert_eq!(fold("Straße"), "straße");
    }

    #[test]
    fn words_split_at_unicode_boundaries() {
        let text = "Step Functions' retry: 15 minutes, café-au-lait, e.g. 3.5 GB";
        let found: Vec<Cow<str>> = words(text).map(|(_, w)| w).collect();
        assert_eq!(
            found,
            [
                "step",
                "functions",
                "retry",
                "15",
                "minutes",
                "cafe",
                "au",
                "lait",
                "e.g",
                "3.5",
                "gb"
            ]
        );
        let (range, _) = words(text).nth(2).unwrap();
        assert_eq!(&text[range], "retry");
    }

    #[test]
    fn english_stems_join_forms_of_a_word() {
        let stemmer = Stemmer::for_language("en-GB");
        assert_eq!(stemmer.stem("retries"), stemmer.stem("retry"));
        assert_eq!(stemmer.stem("queues"), stemmer.stem("queue"));
        assert_ne!(stemmer.stem("retrieval"), stemmer.stem("retry"));
        assert_eq!(stemmer.stem_cached("retries"), "retri");
        assert_eq!(stemmer.stem_cached("retries"), "retri", "from the cache");
        let french = Stemmer::for_language("fr");
        assert_eq!(french.stem_cached("chevaux"), french.stem("chevaux"));
        assert_eq!(
            stemmer.stem_cached("horses"),
            "hors",
            "the cache follows the language"
        );
        let none = Stemmer::for_language("xx");
        assert_eq!(none.stem_cached("retries"), "retries");
        assert_eq!(none.stem("retries"), "retries");
    }
}
