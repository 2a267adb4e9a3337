//! Plain text of a page's prose, for summaries, word counts and the search index.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Spanned;

/// The text of every paragraph, heading, list item and table cell, separated by spaces; code
/// blocks and raw HTML tags are left out, inline code is kept. Also returns where the text of
/// each heading lies in it, in document order, so the search index can cut the text into the
/// part under each heading.
pub fn plain_text(events: &[Spanned]) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut headings = Vec::new();
    let mut in_code_block = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Heading { .. }) => headings.push(text.len()..text.len()),
            Event::Text(t) | Event::Code(t) if !in_code_block => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(heading) = headings.last_mut() {
                    heading.end = text.len();
                }
                text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => text.push(' '),
            _ => {}
        }
    }
    (text, headings)
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;

    #[test]
    fn headings_are_located_in_the_text() {
        let body = "Intro.\n\n## First `step`\n\nBody.\n\n```\ncode\n```\n\n### Second\n";
        let events: Vec<Spanned> = Parser::new(body).into_offset_iter().collect();
        let (text, headings) = plain_text(&events);
        let titles: Vec<&str> = headings.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(titles, ["First step", "Second"]);
        assert!(!text.contains("code"), "code blocks stay out: {text}");
    }
}
