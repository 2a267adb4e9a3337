//! ```` ```asl ```` blocks: the state machine in the block is validated while the page renders
//! (every problem reported at its line and column in the Markdown file) and, when valid, drawn
//! as a diagram in a `<figure>` with its highlighted source one click away.

use std::path::Path;

use asl::StateMachine;

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
/// column in `file`), and the JSON of its `input` and `mocks` attributes (`info` is the fence's
/// info string), and returns the machine when it has no errors. The block's content starts on
/// the line after the fence, indented like it.
pub fn check(
    code: &str,
    info: &str,
    file: &Path,
    fence: (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<StateMachine> {
    check_run_attributes(info, file, fence, diagnostics);
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

/// The JSON of the `input` and `mocks` attributes, which prefill the run panel: a mistake is
/// reported at the fence rather than found by a reader.
fn check_run_attributes(
    info: &str,
    file: &Path,
    (line, column): (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) {
    for name in ["input", "mocks"] {
        let Some(text) = attribute(info, name) else {
            continue;
        };
        let problem = match serde_json::from_str::<serde_json::Value>(&text) {
            Err(error) => Some(format!("`{name}` is not valid JSON: {error}")),
            Ok(value) if name == "mocks" => asl::simulate::Mocks::from_json(&value)
                .err()
                .map(|error| format!("`mocks` is not usable: {error}")),
            Ok(_) => None,
        };
        if let Some(message) = problem {
            diagnostics.push(
                Diagnostic::error(file, line, column, "asl-run-attribute", &message).with_help(
                    "write the value as JSON in single quotes, e.g. input='{\"orderId\": \"o-1\"}'",
                ),
            );
        }
    }
}

/// The figure for a valid block: caption (the fence's `title="…"`, else the definition's
/// `Comment`), the diagram, and the highlighted `source` in a `<details>` that needs no script.
/// The fence's `input` and `mocks` go into `data-` attributes for the run panel that the theme's
/// script adds. `line` (the fence's line) makes the ids unique within the page.
pub fn figure(machine: &StateMachine, info: &str, line: usize, source: &str) -> String {
    let title = attribute(info, "title");
    let caption = title.as_deref().or(machine.comment());
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
    let run_data: String = ["input", "mocks"]
        .iter()
        .filter_map(|name| {
            Some(format!(
                " data-{name}=\"{}\"",
                escape(&attribute(info, name)?)
            ))
        })
        .collect();
    format!(
        "<figure class=\"asl-figure\" id=\"{id}\"{run_data}>{caption}<div class=\"asl-canvas\" style=\"--asl-min-width: {readable}px\">{svg}</div>\
         <details class=\"asl-source\"><summary>Definition</summary>{source}</details></figure>\n"
    )
}

/// How far a diagram may shrink to fit the page width.
const MIN_SCALE: f64 = 0.7;

/// The value of `name="value"` (or `name='value'`, or `name=value`) in a fence's info string;
/// an empty value counts as absent. Quoted values may hold spaces and other attributes' names;
/// single quotes let a value hold JSON.
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
        let value: String = if let Some(quote) = chars.next_if(|&c| c == '"' || c == '\'') {
            let quoted = std::iter::from_fn(|| chars.next_if(|&c| c != quote)).collect();
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
        let info = r#"asl input='{"a": "b c"}' title='Order flow'"#;
        assert_eq!(attribute(info, "input").as_deref(), Some(r#"{"a": "b c"}"#));
        assert_eq!(attribute(r#"asl input='{"t": "x=y"}'"#, "t"), None);
    }
}
