//! Hugo's language suffixes: `page.fr.md` and `_index.fr.md` are the French versions of
//! `page.md` and `_index.md`. The site's `language` is the tree at `/`, every other language a
//! tree under `/LANG/`.

use std::collections::HashSet;
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

/// The language suffixes a site confirms. Any file name may end in something that looks like
/// a code (`socket.io.md`, `Object.is.md`, `LINQ.cs.md`), so a suffix is a language only when
/// some file with it has its untranslated sibling (`page.fr.md` beside `page.md`, `_index.fr.md`
/// beside `_index.md`), or when the config's `languages` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    codes: HashSet<String>,
}

impl Languages {
    /// The languages that the Markdown files `files` (relative to the content folder) and the
    /// config's `configured` list confirm.
    pub fn confirm(files: &[PathBuf], configured: &[String]) -> Languages {
        let present: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        let mut codes: HashSet<String> =
            configured.iter().map(|c| c.to_ascii_lowercase()).collect();
        for file in files {
            if let Some((plain, code)) = suffix(file)
                && present.contains(plain.as_path())
            {
                codes.insert(code);
            }
        }
        Languages { codes }
    }

    /// Splits a Markdown file's confirmed language suffix off: `a/page.fr.md` -> (`a/page.md`,
    /// `fr`); a file without one is returned as it is.
    pub fn split(&self, rel: &Path) -> (PathBuf, Option<String>) {
        match suffix(rel) {
            Some((plain, code)) if self.codes.contains(&code) => (plain, Some(code)),
            _ => (rel.to_path_buf(), None),
        }
    }

    /// The language of a Markdown file for a site whose own language is `default`: `None` for
    /// the default language (with or without its suffix).
    pub fn of(&self, rel: &Path, default: &str) -> Option<String> {
        self.split(rel)
            .1
            .filter(|code| !code.eq_ignore_ascii_case(default))
    }

    /// The languages other than `default` that the files `files` are written in, sorted: the
    /// trees under `/LANG/`.
    pub fn used<'a>(
        &self,
        files: impl IntoIterator<Item = &'a Path>,
        default: &str,
    ) -> Vec<String> {
        let mut used: Vec<String> = files
            .into_iter()
            .filter_map(|f| self.of(f, default))
            .collect();
        used.sort();
        used.dedup();
        used
    }
}

/// What a Markdown file's name would be without a suffix that looks like a language code, and
/// that code: `a/page.fr.md` -> (`a/page.md`, `fr`).
fn suffix(rel: &Path) -> Option<(PathBuf, String)> {
    let name = rel.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_code(code) => Some((
            rel.with_file_name(format!("{base}.md")),
            code.to_ascii_lowercase(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_language_codes_are_languages() {
        let files: Vec<PathBuf> = ["a/page.md", "a/page.fr.md", "_index.md", "_index.pt-BR.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let languages = Languages::confirm(&files, &[]);
        let s = |p: &str| languages.split(Path::new(p));
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
        let configured = Languages::confirm(&[], &["VI".into()]);
        assert_eq!(configured.of(Path::new("x.en.md"), "en"), None);
        assert_eq!(
            configured.of(Path::new("x.vi.md"), "en").as_deref(),
            Some("vi")
        );
    }

    #[test]
    fn a_suffix_without_an_untranslated_sibling_is_part_of_the_name() {
        let files: Vec<PathBuf> = ["js/socket.io.md", "Object.is.md", "config.ts.md", "io.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let languages = Languages::confirm(&files, &[]);
        for file in &files {
            assert_eq!(languages.split(file), (file.clone(), None), "{file:?}");
        }
        assert!(
            languages
                .used(files.iter().map(PathBuf::as_path), "en")
                .is_empty()
        );
    }
}
