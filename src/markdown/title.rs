//! A page's title written as its first block, `# Title`, the way GitHub and Obsidian notes do.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{Spanned, escape};
use crate::slug::heading_id;

/// A title for a page whose front matter has none: the text of `body`'s leading `# Title`.
pub fn leading_title(body: &str) -> Option<String> {
    let events: Vec<Spanned> = Parser::new_ext(body, super::options())
        .into_offset_iter()
        .collect();
    title_heading(&events).map(|(title, _, _)| title)
}

/// The title heading at the start of `events` (a level-1 heading as the first block): its
/// text, its `{#id}` if written, and how many events it spans.
fn title_heading<'a>(events: &[Spanned<'a>]) -> Option<(String, Option<String>, usize)> {
    let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            id,
            ..
        }),
        _,
    )) = events.first()
    else {
        return None;
    };
    let mut title = String::new();
    for (index, (event, _)) in events.iter().enumerate().skip(1) {
        match event {
            Event::End(TagEnd::Heading(_)) => {
                let title = title.trim();
                return (!title.is_empty()).then(|| {
                    (
                        title.to_string(),
                        id.as_ref().map(|id| id.to_string()),
                        index + 1,
                    )
                });
            }
            Event::Text(text) | Event::Code(text) => title.push_str(text),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    None
}

/// Drops the leading `# Title` when it says the page's `title` (the theme prints the title
/// already), leaving an empty element with the heading's id so links to it still land.
pub fn drop_repeated_title<'a>(events: &mut Vec<Spanned<'a>>, title: Option<&str>) {
    let Some((text, id, len)) = title_heading(events) else {
        return;
    };
    if Some(text.as_str()) != title {
        return;
    }
    let id = id.unwrap_or_else(|| heading_id(&text));
    let range = events[0].1.clone();
    events.splice(
        ..len,
        [(
            Event::Html(format!("<span id=\"{}\"></span>\n", escape(&id)).into()),
            range,
        )],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(body: &str) -> Vec<Spanned<'_>> {
        Parser::new_ext(body, super::super::options())
            .into_offset_iter()
            .collect()
    }

    #[test]
    fn only_a_first_level_one_heading_is_a_title() {
        assert_eq!(
            leading_title("\n# EC2 *storage* {#top}\n\nText\n").unwrap(),
            "EC2 storage"
        );
        assert_eq!(leading_title("Setext\n===\n").unwrap(), "Setext");
        assert!(leading_title("Intro\n\n# Later\n").is_none());
        assert!(leading_title("## Second level\n").is_none());
    }

    #[test]
    fn the_repeated_title_leaves_its_anchor() {
        let mut list = events("# Amazon S3\nText\n");
        drop_repeated_title(&mut list, Some("Amazon S3"));
        assert!(
            matches!(&list[0].0, Event::Html(html) if **html == *"<span id=\"amazon-s3\"></span>\n")
        );
        assert!(matches!(list[1].0, Event::Start(Tag::Paragraph)));
        let mut other = events("# Other\n");
        drop_repeated_title(&mut other, Some("Amazon S3"));
        assert!(matches!(other[0].0, Event::Start(Tag::Heading { .. })));
    }
}
