//! A page's title written as its first block, `# Title`, the way GitHub and Obsidian notes do.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// A title for a page whose front matter has none: the text of `body`'s leading `# Title`, and
/// the body without that heading (it would be printed twice), line numbers unchanged.
pub fn take_title(body: &str) -> Option<(String, String)> {
    let (title, range) = leading_title(body)?;
    Some((title, blank_out(body, range)))
}

/// The text of `body`'s level-1 heading when it is the first block, and the byte range of its
/// source (so the caller can leave it out of the page: the theme prints the title already).
fn leading_title(body: &str) -> Option<(String, Range<usize>)> {
    let mut events = Parser::new_ext(body, super::options()).into_offset_iter();
    let (first, range) = events.next()?;
    if !matches!(
        first,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })
    ) {
        return None;
    }
    let mut title = String::new();
    for (event, _) in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(text) | Event::Code(text) => title.push_str(&text),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.trim();
    (!title.is_empty()).then(|| (title.to_string(), range))
}

/// `body` without the source at `range`, each of its characters but line ends made a space so
/// every later position keeps its line and column.
fn blank_out(body: &str, range: Range<usize>) -> String {
    let mut out = String::with_capacity(body.len());
    out.push_str(&body[..range.start]);
    out.extend(
        body[range.clone()]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' }),
    );
    out.push_str(&body[range.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_first_level_one_heading_is_a_title() {
        let body = "\n# EC2 *storage* {#top}\n\nText\n";
        let (title, range) = leading_title(body).unwrap();
        assert_eq!(title, "EC2 storage");
        assert_eq!(
            blank_out(body, range),
            format!("\n{}\n\nText\n", " ".repeat(22))
        );
        assert_eq!(leading_title("Setext\n===\n").unwrap().0, "Setext");
        assert!(leading_title("Intro\n\n# Later\n").is_none());
        assert!(leading_title("## Second level\n").is_none());
    }
}
