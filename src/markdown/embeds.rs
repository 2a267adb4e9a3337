//! Obsidian's note embeds: `![[Note]]` shows the whole note inside the page, `![[Note#Heading]]`
//! the part of it under that heading, in a marked block that links to the note. An embed of a
//! note that is already being embedded (a note embedding itself, or a cycle) or one nested
//! deeper than [`MAX_DEPTH`] is a warning and becomes a plain link.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::{Context, LinkTarget, Rendered, Spanned, escape, links, options, render};
use crate::diagnostics::Diagnostic;
use crate::slug::heading_id;

/// How many embeds deep a page may go (a note embedding a note embedding …).
pub const MAX_DEPTH: usize = 8;

/// A note another page embeds, as the content model hands it over.
pub struct Embedded<'a> {
    /// The note's file relative to the site root, for diagnostics and cycles.
    pub file: &'a Path,
    pub body: &'a str,
    pub body_line: usize,
    pub title: String,
    pub params: &'a serde_json::Map<String, serde_json::Value>,
    /// Resolves the links written in the note, as on its own page.
    pub links: Box<dyn super::LinkResolver + 'a>,
}

/// Replaces every `![[Note]]` that names a page by the note's rendered content; `![[x.png]]`
/// and other files stay images.
pub fn expand<'e>(
    events: Vec<Spanned<'e>>,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> Vec<Spanned<'e>> {
    let mut result: Vec<Spanned<'e>> = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::Image {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        }) = &event
        else {
            result.push((event, range));
            continue;
        };
        let Some(html) = embed(dest_url, range.clone(), ctx, locate, out) else {
            result.push((event, range));
            continue;
        };
        // The alt text and the end of the image go with it.
        for (inner, _) in iter.by_ref() {
            if matches!(inner, Event::End(TagEnd::Image)) {
                break;
            }
        }
        // An embed alone in its paragraph replaces the paragraph (a block cannot sit in a `<p>`).
        let alone = matches!(result.last(), Some((Event::Start(Tag::Paragraph), _)))
            && matches!(iter.peek(), Some((Event::End(TagEnd::Paragraph), _)));
        if alone {
            result.pop();
            iter.next();
            result.push((Event::Html(html.into()), range));
        } else {
            result.push((Event::Html(format!("</p>{html}<p>").into()), range));
        }
    }
    result
}

/// The HTML of the embed `written` (`Note` or `Note#Heading`) when it names a page; `None`
/// leaves it to be an image.
fn embed(
    written: &str,
    range: Range<usize>,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> Option<String> {
    let name = written.split('#').next().unwrap_or("").trim();
    let is_file = Path::new(name)
        .extension()
        .is_some_and(|extension| extension != "md");
    if name.is_empty() || is_file {
        return None;
    }
    let len = written.chars().count() + 5;
    let target = links::wikilink(written, range.start, len, ctx, locate, out);
    let LinkTarget::Internal { path, anchor, .. } = &target else {
        return None;
    };
    let note = ctx.links.embed(path)?;
    let anchor = anchor.clone();
    let shown = format!("[[{written}]]");
    let href = links::record(target, &shown, range.start, len, ctx, locate, out)?;
    let link = format!("<a href=\"{}\">{}</a>", escape(&href), escape(&note.title));
    let (line, column) = locate(range.start);
    let warn = |code: &'static str, message: String, help: &'static str| {
        Diagnostic::warning(ctx.file, line, column, code, message)
            .with_len(len)
            .with_help(help)
    };
    let mut chain: Vec<&Path> = ctx.embedded_in.to_vec();
    chain.push(ctx.file);
    if chain.contains(&note.file) {
        out.diagnostics.push(warn(
            "embed-cycle",
            format!(
                "`![[{written}]]` embeds {}, which is already being embedded here; shown as a link",
                note.file.display()
            ),
            "embed the note in one direction only, or link to it with `[[…]]`",
        ));
        return Some(format!("<p class=\"embed-link\">{link}</p>"));
    }
    if chain.len() > MAX_DEPTH {
        out.diagnostics.push(warn(
            "embed-depth",
            format!(
                "`![[{written}]]` is nested more than {MAX_DEPTH} embeds deep; shown as a link"
            ),
            "embed fewer notes inside embedded notes",
        ));
        return Some(format!("<p class=\"embed-link\">{link}</p>"));
    }
    let (body, body_line) = match &anchor {
        None => (note.body, note.body_line),
        Some(id) => match section(note.body, id) {
            Some(range) => (
                &note.body[range.clone()],
                note.body_line + note.body[..range.start].matches('\n').count(),
            ),
            None => {
                out.diagnostics.push(warn(
                    "broken-link",
                    format!("no heading `#{id}` in {} to embed", note.file.display()),
                    "write the heading as it is in the note",
                ));
                return Some(format!("<p class=\"embed-link\">{link}</p>"));
            }
        },
    };
    let nested = render(&Context {
        file: note.file,
        body,
        body_line,
        config: ctx.config,
        title: None,
        params: note.params,
        highlighter: ctx.highlighter,
        links: &*note.links,
        embedded_in: &chain,
    });
    // The note's own problems are reported on its own page; a cycle or depth found inside it
    // is only seen from here.
    out.diagnostics.extend(
        nested
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with("embed-")),
    );
    out.embeds.push(note.file.to_path_buf());
    out.embeds.extend(nested.embeds);
    // A Mermaid block inside the note needs the bundle on this page too.
    out.mermaid |= nested.mermaid;
    let html = rename_headings(
        &nested.html.unpack(),
        &nested.headings,
        note.file,
        &mut out.ids,
    );
    Some(format!(
        "<div class=\"embed\"><p class=\"embed-source\">Embedded from {link}</p>\n{html}</div>\n"
    ))
}

/// Gives the embedded note's headings ids of their own on the embedding page: the note's name
/// before the id (`limits` in `Lambda.md` is `lambda-limits`), and a number after it when an
/// earlier embed took that id, so they never repeat the page's own ids or another embed's.
/// Links to the note's headings lead to the note's page ([`super::LinkResolver`]), so only
/// the headings' own anchor links (`<a class="anchor">`) follow the new ids. `taken` holds the
/// ids of the embeds before this one and gets this one's.
fn rename_headings(
    html: &str,
    headings: &[super::headings::Heading],
    file: &Path,
    taken: &mut HashSet<String>,
) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let prefix = heading_id(&stem);
    let mut renamed: HashMap<String, String> = HashMap::new();
    for heading in headings {
        let base = format!("{prefix}-{}", heading.id);
        let mut id = base.clone();
        let mut n = 0;
        while taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        taken.insert(id.clone());
        renamed.insert(escape(&heading.id), escape(&id));
    }
    // One pass over the HTML, so a new id is never renamed again.
    let mut out = String::with_capacity(html.len() + renamed.len() * prefix.len());
    let mut rest = html;
    while let Some(at) = next_heading_id(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        out.push_str(renamed.get(value).map_or(value, String::as_str));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next heading id starts in `html`: the value of a heading's `id` or of its anchor
/// link's `href="#…"`, as [`super::headings::assign_ids`] writes them.
fn next_heading_id(html: &str) -> Option<usize> {
    const ANCHOR: &str = "<a class=\"anchor\" href=\"#";
    let mut from = 0;
    loop {
        let at = from + html[from..].find('<')?;
        let tag = &html[at..];
        let bytes = tag.as_bytes();
        if bytes.len() > 8
            && bytes[1] == b'h'
            && (b'1'..=b'6').contains(&bytes[2])
            && tag[3..].starts_with(" id=\"")
        {
            return Some(at + 8);
        }
        if tag.starts_with(ANCHOR) {
            return Some(at + ANCHOR.len());
        }
        from = at + 1;
    }
}

/// The part of `body` under the heading whose id is `id`: from the heading to the next one of
/// the same or a higher level.
fn section(body: &str, id: &str) -> Option<Range<usize>> {
    let mut start: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    let mut heading: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((from, wanted)) = start
                    && level <= wanted
                {
                    return Some(from..range.start);
                }
                heading = Some((range.start, level, String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, words)) = &mut heading {
                    words.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((from, level, words)) = heading.take()
                    && start.is_none()
                    && heading_id(&words) == id
                {
                    start = Some((from, level));
                }
            }
            _ => {}
        }
    }
    start.map(|(from, _)| from..body.len())
}

#[cfg(test)]
mod tests {
    use super::section;

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let body =
            "# Top\n\nIntro.\n\n## Limits\n\nTen.\n\n### Soft\n\nMore.\n\n## Pricing\n\nCheap.\n";
        let range = section(body, "limits").unwrap();
        assert_eq!(&body[range], "## Limits\n\nTen.\n\n### Soft\n\nMore.\n\n");
        assert!(section(body, "pricing").unwrap().end == body.len());
        assert!(section(body, "nope").is_none());
    }
}
