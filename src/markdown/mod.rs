//! One page's Markdown -> HTML, table of contents, plain text and outgoing links.
//!
//! pulldown-cmark parses; small passes over the event list each do one job (see the modules
//! below); pulldown-cmark's HTML writer prints the result.

mod asl_block;
mod code;
mod contrast;
mod embeds;
mod gfm_text;
mod headings;
pub mod highlight;
mod links;
mod packed;
pub mod questions;
mod shortcodes;
mod text;
mod title;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, LineIndex};
pub use embeds::Embedded;
pub use headings::{Heading, TocEntry};
pub use highlight::Highlighter;
pub use packed::Packed;
pub use questions::Question;
pub use title::leading_title;

/// An event with the byte range of its source in the page body.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// Where a link in a page goes, as decided by the content model.
pub enum LinkTarget {
    /// Another site, `mailto:`, and the like: left alone and not checked.
    External,
    /// A place in this site: the href to write, and the site path and anchor to check.
    Internal {
        href: String,
        path: String,
        anchor: Option<String>,
    },
    /// A link that cannot be resolved at all (for example a `.md` file that does not exist).
    Missing(String),
}

/// Resolves the links of one page; implemented by the content model, which knows every URL.
pub trait LinkResolver {
    fn resolve(&self, href: &str) -> LinkTarget;

    /// A note or file named the way Obsidian's `[[wikilinks]]` name them (`Note`,
    /// `folder/Note`, `diagram.png`), wherever it is in the content. `Err` lists the files that
    /// share the name when it is ambiguous.
    fn resolve_name(&self, name: &str) -> Result<LinkTarget, Vec<String>> {
        Ok(LinkTarget::Missing(format!("no note named `{name}`")))
    }

    /// The note at site path `path`, for Obsidian's `![[Note]]` embeds; `None` when no note
    /// (a Markdown page) is there.
    fn embed(&self, path: &str) -> Option<Embedded<'_>> {
        let _ = path;
        None
    }
}

/// What a page's Markdown needs from the rest of the build.
pub struct Context<'a> {
    /// The page's file relative to the site root, for diagnostics.
    pub file: &'a Path,
    /// The page body, for measuring the source of links.
    pub body: &'a str,
    /// Line of the file where the body starts, so positions point into the file.
    pub body_line: usize,
    pub config: &'a MarkdownConfig,
    /// The page's title: a leading `# Title` that says it is not printed a second time.
    pub title: Option<&'a str>,
    /// The page's own front matter keys, for Hugo's `param` shortcode.
    pub params: &'a serde_json::Map<String, serde_json::Value>,
    pub highlighter: &'a Highlighter,
    pub links: &'a dyn LinkResolver,
    /// The files whose embeds this Markdown is rendered inside (`![[Note]]`), outermost
    /// first; empty for a page of its own.
    pub embedded_in: &'a [&'a Path],
}

/// An internal link found in a page, to be checked once every page is known.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Site path of the target, without the base path (e.g. `/aws/lambda/`).
    pub path: String,
    pub anchor: Option<String>,
    /// The link as the author wrote it.
    pub written: String,
    pub line: usize,
    pub column: usize,
    /// Characters to underline in a diagnostic.
    pub len: usize,
}

/// The result of rendering one page.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The page's HTML, packed: a build holds every page's for the whole render pass.
    pub html: Packed,
    pub toc: Vec<TocEntry>,
    /// Plain text of the prose (for summaries and search), packed like `html`.
    pub text: Packed,
    /// Every heading in document order (not only those in the TOC), with where its title lies
    /// in `text` (unpacked): the search index cuts the text into the part under each heading.
    pub headings: Vec<Heading>,
    pub word_count: usize,
    /// The page's links; a build empties them once they are checked
    /// ([`crate::content::Site::release_checked`]).
    pub links: Vec<Link>,
    /// Every id an anchor may point at: headings, raw HTML ids, footnotes. Emptied with `links`.
    pub ids: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Exam questions found in the page ([`questions`]).
    pub questions: Vec<Question>,
    /// Whether the page has a ```` ```mermaid ```` block, drawn in the browser (the site then
    /// ships the Mermaid bundle).
    pub mermaid: bool,
    /// The files of the notes shown inside this page (`![[Note]]`, nested ones too): the page
    /// must be rendered again when one of them changes.
    pub embeds: Vec<std::path::PathBuf>,
}

/// The extensions every page gets: GFM tables, footnotes, strikethrough, task lists, alerts,
/// `{#id .class}` heading attributes and Obsidian's `[[wikilinks]]`.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

/// Renders `body` (the Markdown after the front matter).
pub fn render(ctx: &Context) -> Rendered {
    let mut out = Rendered::default();
    let lines = LineIndex::new(ctx.body);
    let locate_source = |offset: usize| {
        let (line, column) = lines.line_col(offset);
        (ctx.body_line + line - 1, column)
    };
    // Hugo shortcodes and Liquid tags first: what they become is Markdown like the rest.
    let expanded = shortcodes::expand(
        ctx.body,
        ctx.params,
        ctx.file,
        &locate_source,
        &mut out.diagnostics,
    );
    let body = expanded.as_ref().map_or(ctx.body, |e| e.body.as_str());
    let ctx = &Context { body, ..*ctx };
    let locate = |offset: usize| {
        locate_source(
            expanded
                .as_ref()
                .map_or(offset, |e| e.source_offset(offset)),
        )
    };
    let events: Vec<Spanned> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut events = gfm_text::autolink_and_emoji(events);
    title::drop_repeated_title(&mut events, ctx.title);
    let mut events = embeds::expand(events, ctx, &locate, &mut out);

    links::rewrite(&mut events, ctx, &locate, &mut out);
    let (plain, heading_text) = text::plain_text(&events);
    out.text = Packed::pack(&plain);
    out.word_count = plain.split_whitespace().count();
    collect_raw_ids(&events, &mut out.ids);
    let (events, mut questions) = questions::recognise(events, ctx, &locate, &mut out);
    let events = headings::assign_ids(events, ctx, &locate, &mut out);
    for question in &mut questions {
        if let Some(heading) = question.heading {
            question.id = out.headings[heading].id.clone();
        }
    }
    out.questions = questions;
    // Both walks meet the same heading events in the same order.
    debug_assert_eq!(out.headings.len(), heading_text.len());
    for (heading, range) in out.headings.iter_mut().zip(heading_text) {
        heading.text = range;
    }
    out.mermaid |= code::has_mermaid(&events);
    let events = code::highlight_blocks(events, ctx, &locate, &mut out.diagnostics);
    let events = tables(alerts(events).collect());

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // CommonMark replaces U+0000 with U+FFFD; raw NULs make the HTML invalid. Done on the
    // output, so offsets into the body (for diagnostics) stay as they are.
    if html.contains('\0') {
        html = html.replace('\0', "\u{FFFD}");
    }
    out.html = Packed::pack(&html);
    out
}

/// GitHub alerts (`> [!NOTE]`) become a titled box rather than a plain quote.
fn alerts(events: Vec<Spanned>) -> impl Iterator<Item = Event> {
    events.into_iter().map(|(event, _)| match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => {
            let (class, title) = match kind {
                BlockQuoteKind::Note => ("note", "Note"),
                BlockQuoteKind::Tip => ("tip", "Tip"),
                BlockQuoteKind::Important => ("important", "Important"),
                BlockQuoteKind::Warning => ("warning", "Warning"),
                BlockQuoteKind::Caution => ("caution", "Caution"),
            };
            Event::Html(format!("{}\n", alert_open(class, title)).into())
        }
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
        other => other,
    })
}

/// Tables go into a focusable scrolling box, and an empty cell in a table's header row (the
/// corner of a comparison table) becomes `<td>`: a header with no text names nothing and screen
/// readers announce it as a blank column header.
fn tables(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_head = false;
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        match event {
            // Wide tables scroll inside a focusable box, so a keyboard can scroll them too.
            Event::Start(Tag::Table(_)) => out.push(Event::Html(
                "<div class=\"table-scroll\" tabindex=\"0\">".into(),
            )),
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>\n".into()));
                continue;
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell)
                if in_head && matches!(iter.peek(), Some(Event::End(TagEnd::TableCell))) =>
            {
                iter.next();
                out.push(Event::Html("<td></td>".into()));
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// The opening of a titled callout box, for GitHub alerts and Hugo's callout shortcodes.
fn alert_open(class: &str, title: &str) -> String {
    format!(
        "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{}</p>",
        escape(title)
    )
}

/// Ids written in raw HTML (`<div id="x">`) and footnote definitions are anchor targets too.
fn collect_raw_ids(events: &[Spanned], ids: &mut HashSet<String>) {
    for (event, _) in events {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => ids.extend(html_ids(html)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                ids.insert(label.to_string());
            }
            _ => {}
        }
    }
}

/// The values of `id` attributes in a fragment of HTML, and of `name` on `<a>` tags (the old
/// way of writing an anchor, common in notes converted from HTML).
fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        ids.extend(attribute_values(tag, "id="));
        if tag[..name_end].eq_ignore_ascii_case("a") {
            ids.extend(attribute_values(tag, "name="));
        }
    }
    ids
}

/// The quoted values of the attribute `name` (written with its `=`) in one tag.
fn attribute_values(tag: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = tag;
    while let Some(pos) = rest.find(name) {
        let preceded_by_space = rest[..pos].ends_with(|c: char| c.is_ascii_whitespace());
        rest = &rest[pos + name.len()..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            break;
        };
        if preceded_by_space {
            values.push(rest[1..1 + end].to_string());
        }
        rest = &rest[1 + end..];
    }
    values
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;

    impl LinkResolver for NoLinks {
        fn resolve(&self, _: &str) -> LinkTarget {
            LinkTarget::External
        }
    }

    /// Renders `body` as `content/x.md` with no links to resolve.
    fn render_test_page(body: &str, config: &MarkdownConfig) -> Rendered {
        render(&Context {
            file: Path::new("content/x.md"),
            body,
            body_line: 1,
            config,
            title: None,
            params: &Default::default(),
            highlighter: &Highlighter::default(),
            links: &NoLinks,
            embedded_in: &[],
        })
    }

    #[test]
    fn every_heading_has_its_id_and_text() {
        let config = MarkdownConfig {
            toc_max_level: 2,
            ..MarkdownConfig::default()
        };
        let body = "Intro\n\n## Limits {#max}\n\nText\n\n#### Deep *one*\n\n## Limits\n";
        let rendered = render_test_page(body, &config);
        let text = rendered.text.unpack();
        let headings: Vec<(u8, &str, &str)> = rendered
            .headings
            .iter()
            .map(|h| (h.level, h.id.as_str(), &text[h.text.clone()]))
            .collect();
        assert_eq!(
            headings,
            [
                (2, "max", "Limits"),
                (4, "deep-one", "Deep one"),
                (2, "limits", "Limits")
            ]
        );
        assert_eq!(rendered.toc.len(), 2, "the TOC keeps its own depth");
    }

    #[test]
    fn an_empty_header_cell_is_a_data_cell_and_tables_and_code_blocks_take_focus() {
        let config = MarkdownConfig::default();
        let body = "| | Standard | Express |\n|---|---|---|\n| Max | 1 year | 5 min |\n\n```python\nx = 1\n```\n";
        let rendered = render_test_page(body, &config);
        let html = scraper::Html::parse_fragment(&rendered.html.unpack());
        let head = scraper::Selector::parse("thead tr > *").unwrap();
        let cells: Vec<(String, String)> = html
            .select(&head)
            .map(|c| (c.value().name().to_string(), c.text().collect()))
            .collect();
        assert_eq!(
            cells,
            [
                ("td".into(), "".into()),
                ("th".into(), "Standard".into()),
                ("th".into(), "Express".into())
            ]
        );
        let scroll = scraper::Selector::parse("div.table-scroll[tabindex='0'] > table").unwrap();
        assert_eq!(
            html.select(&scroll).count(),
            1,
            "{}",
            rendered.html.unpack()
        );
        let code = scraper::Selector::parse("pre.highlight > code[tabindex='0']").unwrap();
        assert_eq!(html.select(&code).count(), 1, "{}", rendered.html.unpack());
    }

    #[test]
    fn finds_raw_html_ids() {
        assert_eq!(
            html_ids("<div id=\"a\"><span data-id='x' id='b'>"),
            vec!["a", "b"]
        );
        assert_eq!(
            html_ids("<a name=\"top\"></a><input name=\"q\"><A class=\"x\" name=\"old\">"),
            vec!["top", "old"],
            "`name` is an anchor on `<a>` only"
        );
    }
}
