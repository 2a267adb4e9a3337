//! Names made from what authors write: slugs for URLs, heading ids, titles from file names.
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

/// A heading's id as GitHub (and Hugo by default) makes it, so anchors written for GitHub keep
/// working: lower-cased, every character that is not a letter, digit, `_`, `-` or space dropped,
/// and every space (not run of spaces) a `-`. `Billing & Support` -> `billing--support`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == '-' {
            id.extend(ch.to_lowercase());
        } else if ch.is_whitespace() {
            id.push('-');
        }
    }
    id
}

/// A title made from a file or folder name, for pages that give none: the name's words and
/// case kept (`EC2_storage` -> `EC2 storage`, `Cross-Stack References` stays), `-` and `_`
/// read as spaces only in names without spaces, the first letter capitalised, no separator
/// left at either end.
pub fn readable_name(name: &str) -> String {
    let trimmed = name.trim_matches(|c: char| c == '-' || c == '_' || c.is_whitespace());
    let words = if trimmed.contains(' ') {
        trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        trimmed
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A sort key that orders names naturally: `text` lower-cased with every run of digits padded
/// with zeros to 20 places, so `chapter_2` sorts before `chapter_10`.
pub fn natural_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len() + 20);
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits > 0 {
            key.extend(std::iter::repeat_n('0', 20usize.saturating_sub(digits)));
            key.push_str(&rest[..digits]);
            rest = &rest[digits..];
        } else {
            let text_end = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            key.push_str(&rest[..text_end].to_lowercase());
            rest = &rest[text_end..];
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::{heading_id, natural_key, readable_name, slugify};

    #[test]
    fn natural_order() {
        let mut names = ["chapter_10", "Chapter_2", "chapter_1b", "appendix"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["appendix", "chapter_1b", "Chapter_2", "chapter_10"]);
    }

    #[test]
    fn titles_from_file_names_keep_words_and_case() {
        assert_eq!(readable_name("EC2_storage"), "EC2 storage");
        assert_eq!(
            readable_name("Cross-Stack References"),
            "Cross-Stack References"
        );
        assert_eq!(readable_name("step-functions"), "Step functions");
        assert_eq!(readable_name("_atts"), "Atts");
        assert_eq!(readable_name("aws--kms_"), "Aws kms");
    }

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(heading_id("Billing & Support"), "billing--support");
        assert_eq!(heading_id("IDS/IPS options"), "idsips-options");
        assert_eq!(
            heading_id("Zone apex (example.com)"),
            "zone-apex-examplecom"
        );
        assert_eq!(
            heading_id("Don't panic: `Retry_Count`"),
            "dont-panic-retry_count"
        );
        assert_eq!(heading_id("Über Lambda 🚀"), "über-lambda-");
        assert_eq!(heading_id("!!!"), "");
    }

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
