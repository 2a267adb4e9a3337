//! The browser client stems query words in JavaScript (`static/js/search.js`) and must agree with
//! the index's Snowball stemmer, or a typed word misses the pages of its other forms.
//! `english-stems.txt` holds words and the stems this crate gives them; this test keeps the file
//! equal to the crate's output, and the browser test `search.test.mjs` checks the client against
//! the same file. `AWSKB_WRITE_STEMS=1 cargo test -p search-index --test english_stems` rewrites
//! the stems (after a stemmer update) from the file's words.

use search_index::Stemmer;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/english-stems.txt");

#[test]
fn the_fixture_holds_the_crates_english_stems() {
    let stemmer = Stemmer::for_language("en");
    let text = std::fs::read_to_string(FIXTURE).expect("the fixture is readable");
    let lines: Vec<(&str, Option<&str>)> = text
        .lines()
        .map(|line| match line.split_once(' ') {
            Some((word, stem)) => (word, Some(stem)),
            None => (line, None),
        })
        .collect();
    assert!(lines.len() > 1000, "the word list is there");
    if std::env::var_os("AWSKB_WRITE_STEMS").is_some() {
        let written: String = lines
            .iter()
            .map(|(word, _)| format!("{word} {}\n", stemmer.stem(word)))
            .collect();
        std::fs::write(FIXTURE, written).expect("the fixture is writable");
        return;
    }
    let wrong: Vec<String> = lines
        .iter()
        .filter(|(word, stem)| *stem != Some(stemmer.stem(word).as_ref()))
        .map(|(word, stem)| format!("{word}: file {stem:?}, crate {}", stemmer.stem(word)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} stems differ from the crate's (rewrite with AWSKB_WRITE_STEMS=1, then check the \
         client's stemmer with tests/browser/search.test.mjs):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
