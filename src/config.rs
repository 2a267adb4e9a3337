//! `awskb.toml` -> [`Config`]. Every field has a default, so a site needs no config file at all.

use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, line_col};

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "awskb.toml";

/// Site-wide settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header, the `<title>` and the feed.
    pub title: String,
    /// Default meta description for pages that have none.
    pub description: String,
    /// Where the site will be hosted, e.g. `https://example.org/kb/`. Only its path matters for
    /// links inside the site; the full URL goes into the sitemap, feed and canonical links.
    pub base_url: String,
    /// The site's language: the `lang` attribute of its pages, and the language of the pages
    /// at `/` (files with another language suffix, `page.fr.md`, are a tree under `/fr/`).
    pub language: String,
    /// Language suffixes to read as languages even where no file has its untranslated
    /// sibling yet (`page.fr.md` without `page.md`); see [`crate::content::language::Languages`].
    pub languages: Vec<String>,
    /// Lower-case every page URL (`Databases/DynamoDB.md` -> `/databases/dynamodb/`), as
    /// Hugo does; `false` keeps the file names' case. Links match URLs either way.
    pub lowercase_urls: bool,
    /// Author named in the feed.
    pub author: String,
    /// The folder of the pages, relative to the site root; `"."` builds the root itself (a
    /// notes repository in place). Unset: `content/`, else the root when it holds Markdown.
    pub content_dir: Option<String>,
    /// Front matter keys that are taxonomies; each gets `/NAME/` and `/NAME/TERM/` pages.
    pub taxonomies: Vec<String>,
    /// Write the search index (`search-index/`) and the `/search/` page, and show the search box in the
    /// header. Off, the build writes neither and the pages carry no search script.
    pub search: bool,
    /// Write the `/playground/` page, where a reader pastes a state machine, sees its
    /// diagnostics and diagram as they type, and runs it in the browser.
    pub playground: bool,
    /// Write the `/practice/` page and its question data (study mode: practice exams).
    pub practice: bool,
    pub markdown: MarkdownConfig,
    pub feed: FeedConfig,
    pub theme: ThemeConfig,
    /// Free-form values for a site's own templates (`config.extra.NAME`).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "AWS Knowledge Base".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            languages: Vec::new(),
            lowercase_urls: true,
            author: String::new(),
            content_dir: None,
            taxonomies: vec!["tags".into(), "categories".into()],
            search: true,
            playground: true,
            practice: true,
            markdown: MarkdownConfig::default(),
            feed: FeedConfig::default(),
            theme: ThemeConfig::default(),
            extra: serde_json::Map::new(),
        }
    }
}

/// How Markdown becomes HTML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Shallowest heading level in the table of contents.
    pub toc_min_level: u8,
    /// Deepest heading level in the table of contents.
    pub toc_max_level: u8,
    /// Highlight fenced code blocks at build time.
    pub highlight: bool,
    /// syntect theme used for the light colour scheme.
    pub highlight_theme_light: String,
    /// syntect theme used for the dark colour scheme.
    pub highlight_theme_dark: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            toc_min_level: 2,
            toc_max_level: 4,
            highlight: true,
            highlight_theme_light: "InspiredGitHub".into(),
            highlight_theme_dark: "OneHalfDark".into(),
        }
    }
}

/// The Atom feed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    pub enabled: bool,
    /// How many of the newest dated pages the feed lists.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            enabled: true,
            limit: 20,
        }
    }
}

/// Options of the built-in theme.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// The sidebar lists at most this many pages of the current section, so a section of
    /// thousands of pages does not put thousands of links on every page.
    pub sidebar_max_pages: usize,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            sidebar_max_pages: 60,
        }
    }
}

impl Config {
    /// Reads `ROOT/awskb.toml`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    0,
                    "config",
                    format!("cannot read {CONFIG_FILE}: {e}"),
                ));
            }
        };
        let config = Config::parse(&text)?;
        Ok(config)
    }

    /// Parses config text; errors carry the line and column in `awskb.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |span| line_col(text, span.start));
            Diagnostic::error(
                CONFIG_FILE,
                line,
                column,
                "config",
                e.message().trim().to_string(),
            )
            .with_help("see the README's configuration table for the keys awskb.toml accepts")
        })?;
        if config.markdown.toc_min_level < 1
            || config.markdown.toc_max_level > 6
            || config.markdown.toc_min_level > config.markdown.toc_max_level
        {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                0,
                0,
                "config",
                "markdown.toc_min_level and toc_max_level must satisfy 1 <= min <= max <= 6",
            ));
        }
        if let Some(dir) = &config.content_dir
            && Path::new(dir.trim())
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            // Outside the site, the rules that keep pages inside it (symbolic links out of the
            // site are not content) would have no site to measure against.
            return Err(Diagnostic::error(
                CONFIG_FILE,
                key_line(text, "content_dir"),
                1,
                "config",
                format!("content_dir = {dir:?} leaves the site: it must be a folder inside it"),
            )
            .with_help(
                "use a path relative to the site root without `..`, such as \"notes\" or \".\"",
            ));
        }
        if let Some(bad) = config
            .languages
            .iter()
            .find(|code| !crate::content::language::is_code(code))
        {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                key_line(text, "languages"),
                1,
                "config",
                format!("`{bad}` in `languages` is not a language code"),
            )
            .with_help("write ISO 639-1 codes, optionally with a region: `fr`, `pt-BR`"));
        }
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/` (e.g. `/kb/`).
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let after_scheme = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
        let path = if url.contains("://") {
            after_scheme
        } else {
            url.trim_start_matches('/')
        };
        let path = path.trim_matches('/');
        if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        }
    }

    /// `base_url` without its trailing slash, for absolute URLs in the sitemap and feed; empty
    /// when `base_url` is only a path (then those files use root-relative URLs).
    pub fn origin(&self) -> String {
        let url = self.base_url.trim();
        match url.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
            None => String::new(),
        }
    }

    /// The absolute URL of a site path such as `/kb/aws/` (which already includes the base path).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

/// The line of `awskb.toml` that sets the top-level `key` (0 when none does), for a value
/// that parses but is refused.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_url_or_path() {
        let with = |url: &str| Config {
            base_url: url.into(),
            ..Config::default()
        };
        assert_eq!(with("https://example.org/kb/").base_path(), "/kb/");
        assert_eq!(with("https://example.org/kb").base_path(), "/kb/");
        assert_eq!(with("https://example.org").base_path(), "/");
        assert_eq!(with("/docs/aws").base_path(), "/docs/aws/");
        assert_eq!(with("/").base_path(), "/");
        assert_eq!(
            with("https://example.org/kb/").permalink("/kb/a/"),
            "https://example.org/kb/a/"
        );
    }

    #[test]
    fn languages_must_be_language_codes() {
        let config = Config::parse("languages = [\"fr\", \"pt-BR\"]\n").unwrap();
        assert_eq!(config.languages, ["fr", "pt-BR"]);
        let err = Config::parse("title = \"x\"\nlanguages = [\"french\"]\n").unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (2, "`french` in `languages` is not a language code")
        );
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("title = \"x\"\n\ntitel = \"y\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn a_content_dir_outside_the_site_is_refused_at_its_line() {
        for dir in ["/home/me/notes", "../notes", "notes/../../x"] {
            let text = format!("title = \"x\"\ncontent_dir = {dir:?}\n");
            let err = Config::parse(&text).unwrap_err();
            assert_eq!((err.code, err.line), ("config", 2), "{dir}");
            assert!(err.message.contains("leaves the site"), "{}", err.message);
        }
        for dir in [".", "./", "notes", "./notes/src"] {
            let text = format!("content_dir = {dir:?}\n");
            assert!(Config::parse(&text).is_ok(), "{dir}");
        }
    }
}
