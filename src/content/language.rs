//! Hugo's language suffixes: `page.fr.md` and `_index.fr.md` are the French versions of
//! `page.md` and `_index.md`. The site's `language` is the tree at `/`, every other language a
//! tree under `/LANG/`.

use std::path::{Path, PathBuf};

/// The ISO 639-1 codes: only these (alone or with a region, `pt-BR`) are read as a language,
/// so `notes.v2.md`, `file.test.md` or `setup.sh.md` stay plain file names.
const CODES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co \
cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho \
hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la \
lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or \
os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg \
th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether `code` is a language code: two letters of ISO 639-1, optionally `-` and a
/// two-letter region (`fr`, `pt-BR`).
pub fn is_code(code: &str) -> bool {
    let (language, region) = match code.split_once('-') {
        Some((language, region)) => (language, Some(region)),
        None => (code, None),
    };
    language.len() == 2
        && CODES.split_whitespace().any(|c| c == language)
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Splits a Markdown file's language suffix off: `a/page.fr.md` -> (`a/page.md`, `fr`);
/// a file without one is returned as it is.
pub fn split(rel: &Path) -> (PathBuf, Option<String>) {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return (rel.to_path_buf(), None);
    };
    let Some(stem) = name.strip_suffix(".md") else {
        return (rel.to_path_buf(), None);
    };
    match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_code(code) => (
            rel.with_file_name(format!("{base}.md")),
            Some(code.to_ascii_lowercase()),
        ),
        _ => (rel.to_path_buf(), None),
    }
}

/// The language of a Markdown file for a site whose own language is `default`: `None` for
/// the default language (with or without its suffix).
pub fn of(rel: &Path, default: &str) -> Option<String> {
    split(rel)
        .1
        .filter(|code| !code.eq_ignore_ascii_case(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_language_codes_are_languages() {
        let s = |p: &str| split(Path::new(p));
        assert_eq!(s("a/page.fr.md"), ("a/page.md".into(), Some("fr".into())));
        assert_eq!(
            s("_index.pt-BR.md"),
            ("_index.md".into(), Some("pt-br".into()))
        );
        for plain in [
            "notes.v2.md",
            "file.test.md",
            "setup.sh.md",
            "fr.md",
            ".fr.md",
            "a.md",
        ] {
            assert_eq!(s(plain), (plain.into(), None), "{plain}");
        }
        assert_eq!(of(Path::new("x.en.md"), "en"), None);
        assert_eq!(of(Path::new("x.vi.md"), "en").as_deref(), Some("vi"));
    }
}
