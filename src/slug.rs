//! Readable identifiers for URLs and heading anchors.
//!
//! Non-ASCII letters are kept (lower-cased) rather than transliterated, so a German or Japanese
//! heading keeps an anchor its author can read; browsers percent-encode them on the wire.

/// Turns `text` into a lower-case slug: letters and digits kept, every run of other characters
/// becomes one `-`, no leading or trailing `-`. Returns an empty string when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '\u{2019}' {
            // "Don't" reads better as "dont" than "don-t".
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn keeps_words_and_collapses_separators() {
        assert_eq!(slugify("Step Functions"), "step-functions");
        assert_eq!(slugify("  step   functions "), "step-functions");
        assert_eq!(slugify("Q&A: Retry / Catch"), "q-a-retry-catch");
        assert_eq!(slugify("Don't panic"), "dont-panic");
    }

    #[test]
    fn keeps_non_ascii_letters_readable() {
        assert_eq!(slugify("Über Lambda"), "über-lambda");
        assert_eq!(slugify("日本語 ガイド"), "日本語-ガイド");
    }

    #[test]
    fn nothing_left_is_empty() {
        assert_eq!(slugify("!!!"), "");
    }
}
