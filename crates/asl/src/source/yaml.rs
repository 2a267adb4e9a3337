//! YAML into a spanned [`Node`] tree, from granit-parser's event stream (the parser serde-saphyr
//! is built on, so it adds nothing to the build). Plain scalars are typed by the YAML 1.2 core
//! schema, the way YAML definitions are turned into JSON by AWS tooling.

use std::collections::HashMap;

use granit_parser::{Event, Marker, Parser, ScalarStyle};

use super::{MAX_DEPTH, Member, Node, ParseError, ParseErrorKind, Span, Value};

/// Upper bound on nodes produced by alias expansion, against "billion laughs" documents.
const MAX_ALIAS_NODES: usize = 100_000;

pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            ParseError::syntax(
                format!("invalid YAML: {}", e.info()),
                char_span(text, offset(text, e.marker())),
            )
        })?;
        let span = Span::new(offset(text, &span.start), offset(text, &span.end));
        builder.event(event, span)?;
    }
    builder.root.ok_or(ParseError {
        kind: ParseErrorKind::Empty,
        message: "the definition is empty".into(),
        span: Span::new(0, 0),
    })
}

/// The byte offset of a marker; granit-parser gives it for string input, else count characters.
fn offset(text: &str, marker: &Marker) -> usize {
    marker.byte_offset().unwrap_or_else(|| {
        text.char_indices()
            .nth(marker.index())
            .map_or(text.len(), |(i, _)| i)
    })
}

/// The span of the character at byte `at`, clamped into `text` and onto character boundaries.
fn char_span(text: &str, at: usize) -> Span {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

enum Frame {
    Sequence {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        members: Vec<Member>,
        key: Option<(String, Span)>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError::syntax(
                        "a definition is one YAML document; remove the second `---`",
                        span,
                    ));
                }
            }
            Event::MappingStart(_, anchor, _) | Event::SequenceStart(_, anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        kind: ParseErrorKind::TooDeep,
                        message: format!(
                            "mappings and sequences are nested more than {MAX_DEPTH} deep"
                        ),
                        span,
                    });
                }
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            start: span.start,
                            anchor,
                            members: Vec::new(),
                            key: None,
                        }
                    } else {
                        Frame::Sequence {
                            start: span.start,
                            anchor,
                            items: Vec::new(),
                        }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Mapping {
                        start,
                        anchor,
                        members,
                        ..
                    }) => (
                        Node::new(Value::Object(members), Span::new(start, span.end)),
                        anchor,
                    ),
                    Some(Frame::Sequence {
                        start,
                        anchor,
                        items,
                    }) => (
                        Node::new(Value::Array(items), Span::new(start, span.end)),
                        anchor,
                    ),
                    None => return Ok(()),
                };
                self.remember(anchor, &node);
                self.add(node)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Frame::Mapping {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    *key = Some((text.into_owned(), span));
                    return Ok(());
                }
                let quoted = style != ScalarStyle::Plain
                    || tag.as_ref().is_some_and(|t| t.suffix() == "str");
                let value = if quoted {
                    Value::String(text.into_owned())
                } else {
                    core_schema(&text).map_err(|message| ParseError::syntax(message, span))?
                };
                let node = Node::new(value, span);
                self.remember(anchor, &node);
                self.add(node)?;
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or_else(|| {
                    ParseError::syntax("this alias names no anchor defined before it", span)
                })?;
                self.alias_nodes += count(&node);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(ParseError::syntax(
                        "aliases expand to too many values; write the repeated parts out",
                        span,
                    ));
                }
                self.add(Node::new(node.value, span))?;
            }
            _ => {}
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    /// Puts a finished node into its parent, or makes it the document.
    fn add(&mut self, node: Node) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { members, key, .. }) => match key.take() {
                Some((key, key_span)) => members.push(Member {
                    key,
                    key_span,
                    value: node,
                }),
                None => {
                    return Err(ParseError::syntax(
                        "a mapping key must be a plain value, not a mapping or a sequence",
                        node.span,
                    ));
                }
            },
        }
        Ok(())
    }
}

fn count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(members) => members.iter().map(|m| count(&m.value)).sum(),
        _ => 0,
    }
}

/// Types a plain scalar by the YAML 1.2 core schema.
fn core_schema(text: &str) -> Result<Value, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(number) = integer(text).or_else(|| float(text)) {
                return Ok(Value::Number(number));
            }
            let lower = text.trim_start_matches(['+', '-']).to_ascii_lowercase();
            if lower == ".inf" || lower == ".nan" {
                return Err(format!(
                    "`{text}` is a YAML number with no JSON equivalent; quote it to make it a string"
                ));
            }
            Value::String(text.to_string())
        }
    })
}

fn integer(text: &str) -> Option<serde_json::Number> {
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return text
            .parse::<i64>()
            .map(serde_json::Number::from)
            .ok()
            .or_else(|| text.parse::<u64>().map(serde_json::Number::from).ok())
            .or_else(|| serde_json::Number::from_f64(text.parse().ok()?));
    };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .map(serde_json::Number::from)
}

fn float(text: &str) -> Option<serde_json::Number> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole)
        && digits(fraction)
        && (!whole.is_empty() || !fraction.is_empty())
        && (mantissa.contains('.') || exponent.is_some());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    serde_json::Number::from_f64(text.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::super::{Format, parse as parse_text};
    use super::*;
    use serde_json::json;

    fn to_json(text: &str) -> serde_json::Value {
        parse_text(text, Format::Yaml).unwrap().to_json()
    }

    #[test]
    fn types_plain_scalars_by_the_core_schema() {
        let value = to_json(
            "a: 1\nb: -2.5\nc: true\nd: ~\ne: hello world\nf: '1'\ng: 0x1F\nh: 1e3\ni: 0o17\nj: \"true\"\nk: 1.2.3",
        );
        assert_eq!(
            value,
            json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": "hello world", "f": "1",
                   "g": 31, "h": 1000.0, "i": 15, "j": "true", "k": "1.2.3"})
        );
    }

    #[test]
    fn keeps_key_order_and_spans() {
        let text = "StartAt: B\nStates:\n  B:\n    Type: Pass\n    End: true\n";
        let node = parse_text(text, Format::Yaml).unwrap();
        let keys: Vec<_> = node
            .members()
            .unwrap()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["StartAt", "States"]);
        let ty = node.pointee("/States/B/Type").unwrap();
        assert_eq!(&text[ty.span.start..ty.span.end], "Pass");
        let b = node.get("States").unwrap().member("B").unwrap();
        assert_eq!(&text[b.key_span.start..b.key_span.end], "B");
    }

    #[test]
    fn block_scalars_and_aliases() {
        let value = to_json("a: &x\n  k: v\nb: *x\nc: |\n  line\n");
        assert_eq!(
            value,
            json!({"a": {"k": "v"}, "b": {"k": "v"}, "c": "line\n"})
        );
    }

    #[test]
    fn errors_carry_a_position() {
        let text = "a: [1, 2\nb: 3\n";
        let err = parse_text(text, Format::Yaml).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Syntax);
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.span.start <= text.len());
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            bomb.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse_text(&bomb, Format::Yaml).is_err());
        let deep = "[".repeat(10_000);
        assert!(parse_text(&deep, Format::Yaml).is_err());
    }

    #[test]
    fn errors_at_the_end_stay_inside_the_text() {
        // Found by the robustness test: the scanner reports this one past the last byte.
        for text in ["%", "a: [é", "é: [%"] {
            let err = parse_text(text, Format::Yaml).unwrap_err();
            assert!(err.span.end <= text.len(), "{text:?}: {:?}", err.span);
            assert!(
                text.is_char_boundary(err.span.start),
                "{text:?}: {:?}",
                err.span
            );
        }
    }

    #[test]
    fn non_json_numbers_and_second_documents_are_errors() {
        assert!(parse_text("a: .inf\n", Format::Yaml).is_err());
        assert!(parse_text("a: 1\n---\nb: 2\n", Format::Yaml).is_err());
    }
}
