//! GitHub's text extensions that pulldown-cmark does not have: bare URLs (`https://…`,
//! `www.…`) become links, and `:emoji:` codes become the emoji of GitHub's names.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::Spanned;

/// Rewrites the prose text of `events`; text inside links, images and code is left alone.
pub fn autolink_and_emoji(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let mut out = Vec::with_capacity(events.len());
    // Inside a link or image (their text must not become another link), or a code block.
    let mut depth = 0usize;
    // pulldown-cmark may cut one run of text in several events (at `_`, `*`, …): they are
    // joined (in linear time) so a URL or a code such as `:white_check_mark:` is seen whole.
    let mut pending: Option<(String, Range<usize>)> = None;
    for (event, range) in events {
        depth = depth.saturating_add_signed(nesting(&event));
        if let Event::Text(text) = &event
            && depth == 0
        {
            match &mut pending {
                Some((joined, joined_range)) => {
                    joined.push_str(text);
                    joined_range.end = range.end;
                }
                None => pending = Some((text.to_string(), range)),
            }
            continue;
        }
        if let Some((text, text_range)) = pending.take() {
            rewrite_text(&text, text_range, &mut out);
        }
        out.push((event, range));
    }
    if let Some((text, text_range)) = pending {
        rewrite_text(&text, text_range, &mut out);
    }
    out
}

/// One run of prose text as text and link events, emoji codes replaced.
fn rewrite_text<'a>(text: &str, range: Range<usize>, out: &mut Vec<Spanned<'a>>) {
    let text = emojify(text);
    split_urls(&text, &mut |piece| out.push((piece, range.clone())));
}

/// +1 entering a link, an image or a code block (whose text is left alone), -1 leaving one.
fn nesting(event: &Event) -> isize {
    match event {
        Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => 1,
        Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => -1,
        _ => 0,
    }
}

/// `text` with every `:code:` that names an emoji replaced by it.
fn emojify(text: &str) -> String {
    if !text.contains(':') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(':') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
            .unwrap_or(after.len());
        let emoji = (name_len > 0 && after[name_len..].starts_with(':'))
            .then(|| emojis::get_by_shortcode(&after[..name_len]))
            .flatten();
        match emoji {
            Some(emoji) => {
                out.push_str(emoji.as_str());
                rest = &after[name_len + 1..];
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Emits `text` as text events and link events for the bare URLs in it.
fn split_urls<'a>(text: &str, emit: &mut dyn FnMut(Event<'a>)) {
    let mut rest = text;
    while let Some((start, end)) = next_url(rest) {
        if start > 0 {
            emit(Event::Text(rest[..start].to_string().into()));
        }
        let url = &rest[start..end];
        let href = if url.starts_with("www.") {
            format!("http://{url}")
        } else {
            url.to_string()
        };
        emit(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: href.into(),
            title: "".into(),
            id: "".into(),
        }));
        emit(Event::Text(url.to_string().into()));
        emit(Event::End(TagEnd::Link));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        emit(Event::Text(rest.to_string().into()));
    }
}

/// The byte range of the first bare URL in `text`, GitHub's way: it starts with `https://`,
/// `http://` or `www.` after a space or the start, and ends before a space or `<`, without
/// trailing punctuation or an unbalanced `)`.
fn next_url(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        // One scan forward from `from` (searching each prefix separately would scan the rest of
        // the text again for every URL found).
        let (start, prefix_len) = text[from..].match_indices(['h', 'w']).find_map(|(i, _)| {
            let at = from + i;
            ["https://", "http://", "www."]
                .iter()
                .find(|prefix| text[at..].starts_with(*prefix))
                .map(|prefix| (at, prefix.len()))
        })?;
        from = start + prefix_len;
        let at_boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '*' | '_' | '~' | '"' | '\''));
        if !at_boundary {
            continue;
        }
        let mut end = text[start..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .map_or(text.len(), |i| start + i);
        loop {
            let url = &text[start..end];
            let last = url.chars().next_back()?;
            let unbalanced = last == ')' && url.matches(')').count() > url.matches('(').count();
            if matches!(
                last,
                '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"'
            ) || unbalanced
            {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        // A domain is needed after the prefix.
        if end > start + prefix_len
            && text[start + prefix_len..end].contains(|c: char| c.is_alphanumeric())
        {
            return Some((start, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_codes() {
        assert_eq!(
            emojify(":rocket: at 10:30:00 :white_check_mark: :nope:"),
            "🚀 at 10:30:00 ✅ :nope:"
        );
    }

    #[test]
    fn bare_urls() {
        fn find(text: &str) -> Option<&str> {
            next_url(text).map(|(s, e)| &text[s..e])
        }
        assert_eq!(
            find("See https://aws.amazon.com/ec2/."),
            Some("https://aws.amazon.com/ec2/")
        );
        assert_eq!(
            find("(www.example.com/a_(b))"),
            Some("www.example.com/a_(b)")
        );
        assert_eq!(find("(https://example.com)"), Some("https://example.com"));
        assert_eq!(find("xhttps://a.b http://"), None);
    }
}
