//! Plain text of a page's prose, for summaries, word counts and the search index.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Spanned;

/// The text of every paragraph, heading, list item and table cell, separated by spaces; code
/// blocks and raw HTML tags are left out, inline code is kept.
pub fn plain_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    let mut in_code_block = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) if !in_code_block => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => text.push(' '),
            _ => {}
        }
    }
    text
}
