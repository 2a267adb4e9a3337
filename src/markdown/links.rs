//! Link and image destinations, in Markdown and in raw HTML (`href`, `src`): rewritten through
//! the content model's resolver and recorded for checking.

use pulldown_cmark::{Event, LinkType, Tag};

use super::{Context, Link, LinkResolver, LinkTarget, Rendered, Spanned};
use crate::diagnostics::Diagnostic;
use crate::slug::heading_id;

/// Rewrites internal destinations in place and records them in `out.links`; a link that
/// cannot be resolved at all (a missing `.md` file) becomes a warning at its position.
pub fn rewrite(
    events: &mut [Spanned],
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) {
    for (event, range) in events.iter_mut() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let len = first_line_len(ctx, range.clone());
                let target = wikilink(dest_url, range.start, len, ctx, locate, out);
                let written = format!("[[{dest_url}]]");
                if let Some(href) = record(target, &written, range.start, len, ctx, locate, out) {
                    *dest_url = href.into();
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let len = first_line_len(ctx, range.clone());
                let target = ctx.links.resolve(dest_url);
                if let Some(href) = record(target, dest_url, range.start, len, ctx, locate, out) {
                    *dest_url = href.into();
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(rewritten) = rewrite_html(html, range.start, ctx, locate, out) {
                    *html = rewritten.into();
                }
            }
            _ => {}
        }
    }
}

impl Link {
    /// The site path this link leads to now, resolved as it was written (a `[[wikilink]]` by
    /// name): a reload compares it with [`Link::path`] to see whether the page must be
    /// rendered again.
    pub fn current_path(&self, links: &dyn LinkResolver) -> Option<String> {
        let wikilink = self
            .written
            .strip_prefix("[[")
            .and_then(|w| w.strip_suffix("]]"));
        let target = match wikilink.map(|w| w.split('#').next().unwrap_or("").trim()) {
            Some("") => links.resolve("#"),
            Some(name) => by_name(links, name).0,
            None => links.resolve(&self.written),
        };
        match target {
            LinkTarget::Internal { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// The note or file `name` names; when several share the name, the first of them and the list.
fn by_name(links: &dyn LinkResolver, name: &str) -> (LinkTarget, Option<Vec<String>>) {
    match links.resolve_name(name) {
        Ok(target) => (target, None),
        Err(candidates) => {
            let first = links
                .resolve_name(&candidates[0])
                .unwrap_or_else(|_| LinkTarget::Missing(format!("no note named `{name}`")));
            (first, Some(candidates))
        }
    }
}

/// Where an Obsidian `[[Note#Heading]]` or `![[image.png]]` goes: the note or file of that
/// name anywhere in the content, at the heading of that text. A name several files share is a
/// warning listing them; the link then goes to the first.
pub(super) fn wikilink(
    written: &str,
    offset: usize,
    len: usize,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> LinkTarget {
    let (name, heading) = match written.split_once('#') {
        Some((name, heading)) => (name.trim(), Some(heading)),
        None => (written.trim(), None),
    };
    // `#^block` references have no id in the page: link to the note.
    let id = heading
        .filter(|h| !h.is_empty() && !h.starts_with('^'))
        .map(heading_id);
    if name.is_empty() {
        return ctx.links.resolve(&format!("#{}", id.unwrap_or_default()));
    }
    let (target, ambiguous) = by_name(ctx.links, name);
    if let Some(candidates) = ambiguous {
        let (line, column) = locate(offset);
        out.diagnostics.push(
            Diagnostic::warning(
                ctx.file,
                line,
                column,
                "ambiguous-link",
                format!(
                    "`[[{name}]]` could be any of {}; linking to the first",
                    candidates.join(", ")
                ),
            )
            .with_len(len)
            .with_help("write the folder too, as in `[[folder/Note]]`"),
        );
    }
    match (target, id) {
        (LinkTarget::Internal { mut href, path, .. }, Some(id)) => {
            href.push('#');
            href.push_str(&id);
            LinkTarget::Internal {
                href,
                path,
                anchor: Some(id),
            }
        }
        (target, _) => target,
    }
}

/// Records a resolved destination as a link to check (or a warning when it cannot be
/// resolved); returns the href to write instead, if any.
pub(super) fn record(
    target: LinkTarget,
    written: &str,
    offset: usize,
    len: usize,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> Option<String> {
    match target {
        LinkTarget::External => None,
        LinkTarget::Internal {
            mut href,
            path,
            mut anchor,
        } => {
            if let Some(text) = anchor.as_deref().filter(|a| is_heading_text(a)) {
                let id = heading_id(text);
                href.truncate(href.find('#').unwrap_or(href.len()));
                href.push('#');
                href.push_str(&id);
                anchor = Some(id);
            }
            let (line, column) = locate(offset);
            out.links.push(Link {
                path,
                anchor,
                written: written.to_string(),
                line,
                column,
                len,
            });
            Some(href)
        }
        LinkTarget::Missing(message) => {
            let (line, column) = locate(offset);
            out.diagnostics.push(
                Diagnostic::warning(ctx.file, line, column, "broken-link", message)
                    .with_len(len)
                    .with_help(
                        "fix the path; links to Markdown files are relative to the file that links",
                    ),
            );
            None
        }
    }
}

/// A fragment with a space or a capital letter is a heading's text, as Obsidian writes it
/// (`#Billing%20%26%20Support`, `#AZ`), not one of GitHub's lower-case ids: it points at the
/// heading's id. (An explicit `{#Id}` with capitals is then reached through its lower-case
/// spelling only.)
fn is_heading_text(fragment: &str) -> bool {
    fragment.contains(|c: char| c.is_whitespace() || c.is_uppercase())
}

/// Characters of the link's source on its first line, for the underline in diagnostics.
fn first_line_len(ctx: &Context, range: std::ops::Range<usize>) -> usize {
    ctx.body
        .get(range)
        .map_or(1, |text| text.lines().next().unwrap_or("").chars().count())
}

/// Rewrites the `href` and `src` attributes of a raw HTML fragment; `None` when unchanged.
fn rewrite_html(
    html: &str,
    offset: usize,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> Option<String> {
    let mut result = String::new();
    let mut copied = 0;
    for (start, end) in url_attributes(html) {
        let value = &html[start..end];
        let decoded = value.replace("&amp;", "&");
        if let Some(href) = record(
            ctx.links.resolve(&decoded),
            &decoded,
            offset + start,
            value.chars().count(),
            ctx,
            locate,
            out,
        ) {
            result.push_str(&html[copied..start]);
            result.push_str(&href.replace('&', "&amp;").replace('"', "&quot;"));
            copied = end;
        }
    }
    if copied == 0 {
        return None;
    }
    result.push_str(&html[copied..]);
    Some(result)
}

/// Byte ranges of the quoted values of `href=` and `src=` attributes.
fn url_attributes(html: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    for name in ["href=", "src="] {
        let mut from = 0;
        while let Some(pos) = html[from..].find(name) {
            let at = from + pos;
            from = at + name.len();
            let attribute_start = at == 0 || bytes[at - 1].is_ascii_whitespace();
            let Some(&quote) = bytes.get(from).filter(|q| **q == b'"' || **q == b'\'') else {
                continue;
            };
            let Some(len) = html[from + 1..].find(quote as char) else {
                break;
            };
            if attribute_start {
                found.push((from + 1, from + 1 + len));
            }
            from += 1 + len;
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::url_attributes;

    #[test]
    fn finds_href_and_src_values() {
        let html = r#"<a class="x" href="/a/">x</a><img src='b.png' data-src="no">"#;
        let values: Vec<&str> = url_attributes(html)
            .into_iter()
            .map(|(s, e)| &html[s..e])
            .collect();
        assert_eq!(values, vec!["/a/", "b.png"]);
    }
}
