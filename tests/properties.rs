//! Property tests ("fuzzing that stays") for what an author's file goes through first: front
//! matter parsing and Markdown to HTML. Whatever the text, each ends in a result or a
//! diagnostic, never a panic or a hang; the HTML parses without errors when the author wrote no
//! raw HTML, and a shortcode never turns its arguments into markup.
//!
//! Meant for release mode, where many more cases fit in the same time (`.ci/run` runs it so):
//!
//! ```text
//! PROPTEST_CASES=5000 cargo test --release --test properties
//! ```
//!
//! Inputs are generated from fragments and from edits of the seed corpus in
//! `tests/corpus/pages.txt` (pages separated by `=====` lines). A failure proptest finds is
//! saved in `properties.proptest-regressions` (commit it) and belongs in [`REGRESSIONS`].

use std::path::Path;
use std::sync::LazyLock;

use awskb::config::MarkdownConfig;
use awskb::content::frontmatter;
use awskb::markdown::{self, Context, Highlighter, LinkResolver, LinkTarget};
use proptest::prelude::*;
use scraper::{Html, Selector};

/// Inputs that once went wrong, run every time (each must render without a script element
/// and parse without HTML errors).
const REGRESSIONS: &[&str] = &[
    // A `ref` target was copied into the Markdown as it was: raw HTML from a shortcode.
    "See {{< ref \"'><img src=x onerror=alert(1)>\" >}}",
    "See {{< youtube \"<script>alert(1)</script>\" >}} {{< gist \"<b>\" \"(x)\" >}}",
    // A NUL went into the HTML, which an HTML parser rejects.
    "a\0b",
];

fn corpus() -> Vec<&'static str> {
    include_str!("corpus/pages.txt").split("=====\n").collect()
}

/// Loading the syntaxes takes longer than rendering a page: once for all cases.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::default);

/// Every link goes nowhere in particular: links are checked elsewhere.
struct External;

impl LinkResolver for External {
    fn resolve(&self, _: &str) -> LinkTarget {
        LinkTarget::External
    }
}

/// Parses the front matter of `text` and renders its body: the whole path of a page's text.
fn page(text: &str) -> Option<String> {
    let text = frontmatter::normalise(text);
    let taxonomies = ["tags".to_string(), "categories".to_string()];
    let parsed = match frontmatter::parse(&text, &taxonomies) {
        Ok(parsed) => parsed,
        Err(error) => {
            let lines = text.lines().count().max(1);
            assert!(error.line <= lines + 1, "line {} of {lines}", error.line);
            return None;
        }
    };
    let params = parsed.matter.extra.clone();
    let rendered = markdown::render(&Context {
        file: Path::new("content/x.md"),
        body: parsed.body,
        body_line: parsed.body_line,
        config: &MarkdownConfig::default(),
        title: parsed.matter.title.as_deref(),
        params: &params,
        highlighter: &HIGHLIGHTER,
        links: &External,
        embedded_in: &[],
    });
    Some(rendered.html.unpack())
}

fn scripts(html: &str) -> usize {
    let fragment = Html::parse_fragment(html);
    let selector = Selector::parse("script, [onerror], [onload], [onclick]").unwrap();
    fragment.select(&selector).count()
}

/// An edit of a corpus page: a span replaced by another span of the corpus or by a fragment.
fn mutated() -> impl Strategy<Value = String> {
    let pages = corpus();
    let all: String = pages.concat();
    (
        0..pages.len(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0usize..40,
        fragment(),
    )
        .prop_map(move |(p, at, from, len, take, piece)| {
            let page = pages[p];
            let cut = floor(page, at.index(page.len() + 1));
            let end = floor(page, (cut + len.index(24)).min(page.len()));
            let start = floor(&all, from.index(all.len()));
            let stop = floor(&all, (start + take).min(all.len()));
            let inserted = if take % 2 == 0 {
                &all[start..stop]
            } else {
                piece.as_str()
            };
            format!("{}{inserted}{}", &page[..cut], &page[end..])
        })
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Pieces of Markdown, front matter and shortcode syntax that tend to meet at edges.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("+++\n".to_string()),
        Just("{\n".to_string()),
        Just("{{<".to_string()),
        Just(">}}".to_string()),
        Just("{{%".to_string()),
        Just("%}}".to_string()),
        Just("{%".to_string()),
        Just("%}".to_string()),
        Just("```".to_string()),
        Just("~~~asl\n".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("](".to_string()),
        Just("[^".to_string()),
        Just("\n| a | b |\n|---|---|\n".to_string()),
        Just("> [!".to_string()),
        Just("### ".to_string()),
        Just("{#id .class}".to_string()),
        Just("- [x] ".to_string()),
        Just("\\".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("é\u{301}".to_string()),
        "[ -~\n]{0,12}",
    ]
}

/// A shortcode with hostile arguments, inside text without raw HTML.
fn shortcode() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "figure",
        "details",
        "expand",
        "notice",
        "hint",
        "highlight",
        "ref",
        "relref",
        "youtube",
        "vimeo",
        "gist",
        "param",
    ]);
    let hostile = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "\"><script>alert(1)</script>",
        "x\" onerror=\"alert(1)",
        "javascript:alert(1)",
        "'><img src=x onerror=alert(1)>",
        "plain",
    ]);
    (
        names,
        hostile.clone(),
        hostile,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, first, second, percent, paired)| {
            let (open, close) = if percent {
                ("{{%", "%}}")
            } else {
                ("{{<", ">}}")
            };
            let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\\\""));
            let mut text = format!(
                "{open} {name} {} src={} alt={} summary={} {close}",
                quoted(first),
                quoted(second),
                quoted(first),
                quoted(second)
            );
            if paired {
                text.push_str(&format!("\nBody text.\n{open} /{name} {close}"));
            }
            text
        })
}

proptest! {
    #[test]
    fn corpus_edits_end_in_html_or_a_diagnostic(text in mutated()) {
        page(&text);
    }

    #[test]
    fn fragment_soup_ends_in_html_or_a_diagnostic(
        pieces in prop::collection::vec(fragment(), 0..24)
    ) {
        page(&pieces.concat());
    }

    #[test]
    fn text_without_raw_html_gives_html_that_parses_cleanly(
        pieces in prop::collection::vec(fragment(), 0..24)
    ) {
        let text = format!("---\ntitle: T\n---\n{}", pieces.concat().replace(['<', '&'], " "));
        if let Some(html) = page(&text) {
            let errors = Html::parse_fragment(&html).errors;
            prop_assert!(errors.is_empty(), "{errors:?} in {html}");
        }
    }

    #[test]
    fn shortcode_arguments_never_become_scripts(
        codes in prop::collection::vec(shortcode(), 1..4)
    ) {
        let text = format!("---\ntitle: T\nextra:\n  x: 1\n---\n{}\n", codes.join("\n\n"));
        if let Some(html) = page(&text) {
            prop_assert_eq!(scripts(&html), 0, "{}", html);
        }
    }
}

#[test]
fn the_corpus_and_the_regressions_render() {
    for text in corpus() {
        assert!(page(text).is_some(), "{text}");
    }
    for text in REGRESSIONS {
        let html = page(text).unwrap();
        assert_eq!(scripts(&html), 0, "{html}");
        assert!(Html::parse_fragment(&html).errors.is_empty(), "{html}");
    }
}
