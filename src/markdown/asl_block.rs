//! ```` ```asl ```` blocks: the state machine in the block is validated while the page renders
//! (every problem reported at its line and column in the Markdown file) and, when valid, drawn
//! as a diagram in a `<figure>` with its highlighted source one click away.

use std::path::Path;

use asl::model::StateMachine;

use super::escape;
use crate::definitions;
use crate::diagnostics::{Diagnostic, LineIndex};

/// The language a block is highlighted as: its definition is JSON or YAML.
pub fn highlight_language(code: &str) -> &'static str {
    match asl::Format::detect(code) {
        asl::Format::Json => "json",
        asl::Format::Yaml => "yaml",
    }
}

/// Validates the definition `code` of a block whose fence starts at `fence` (1-based line and
/// column in `file`), and returns the machine when it has no errors. The block's content starts
/// on the line after the fence, indented like it.
pub fn check(
    code: &str,
    file: &Path,
    fence: (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<StateMachine> {
    let checked = asl::check(code);
    let (fence_line, fence_column) = fence;
    let index = LineIndex::new(code);
    let position = |offset: usize| {
        let (line, column) = index.line_col(offset);
        (fence_line + line, column + fence_column - 1)
    };
    diagnostics.extend(
        checked
            .diagnostics
            .iter()
            .map(|d| definitions::convert(d, file, code, &position)),
    );
    if checked.has_errors() {
        None
    } else {
        checked.machine
    }
}

/// The figure for a valid block: caption (the fence's `title="…"`, else the definition's
/// `Comment`), the diagram, and the highlighted `source` in a `<details>` that needs no script.
/// `line` (the fence's line) makes the ids unique within the page.
pub fn figure(machine: &StateMachine, info: &str, line: usize, source: &str) -> String {
    let title = attribute(info, "title");
    let caption = title.as_deref().or(machine.comment.as_deref());
    let id = format!("_asl-{line}");
    let drawing = asl::diagram::render(
        machine,
        &asl::diagram::Options {
            title: caption,
            id: &id,
            standalone: false,
        },
    );
    let caption = caption
        .map(|c| format!("<figcaption>{}</figcaption>", escape(c)))
        .unwrap_or_default();
    // A wide diagram may shrink to fit the page, but not below a readable size: past that the
    // canvas scrolls.
    let readable = (drawing.width * MIN_SCALE).round();
    let svg = &drawing.svg;
    format!(
        "<figure class=\"asl-figure\" id=\"{id}\">{caption}<div class=\"asl-canvas\" style=\"--asl-min-width: {readable}px\">{svg}</div>\
         <details class=\"asl-source\"><summary>Definition</summary>{source}</details></figure>\n"
    )
}

/// How far a diagram may shrink to fit the page width.
const MIN_SCALE: f64 = 0.7;

/// The value of `name="value"` (or `name=value`) in a fence's info string; an empty value counts
/// as absent. Quoted values may hold spaces and other attributes' names.
fn attribute(info: &str, name: &str) -> Option<String> {
    let mut chars = info.chars().peekable();
    let separator = |c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}');
    while chars.peek().is_some() {
        while chars.next_if(|&c| separator(c)).is_some() {}
        let key: String =
            std::iter::from_fn(|| chars.next_if(|&c| c != '=' && !separator(c))).collect();
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        let value: String = if chars.next_if_eq(&'"').is_some() {
            let quoted = std::iter::from_fn(|| chars.next_if(|&c| c != '"')).collect();
            chars.next();
            quoted
        } else {
            std::iter::from_fn(|| chars.next_if(|&c| !separator(c))).collect()
        };
        if key == name {
            return Some(value).filter(|v| !v.is_empty());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::attribute;

    #[test]
    fn attributes_are_read_from_the_info_string() {
        let info = r#"asl title="Order flow" input=order.json mocks="m.json""#;
        assert_eq!(attribute(info, "title").as_deref(), Some("Order flow"));
        assert_eq!(attribute(info, "input").as_deref(), Some("order.json"));
        assert_eq!(attribute(info, "mocks").as_deref(), Some("m.json"));
        assert_eq!(attribute("asl subtitle=\"x\"", "title"), None);
        assert_eq!(attribute("asl", "title"), None);
        assert_eq!(attribute(r#"asl mocks="a title=evil""#, "title"), None);
        assert_eq!(attribute(r#"asl title="""#, "title"), None);
    }
}
