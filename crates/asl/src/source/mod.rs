//! A definition's text as a tree that remembers where every key and value was written.
//!
//! serde_json alone forgets positions, and every diagnostic must point at a line and column, so
//! JSON and YAML are both read into [`Node`]s carrying byte spans. The validator walks this tree;
//! [`Node::to_json`] turns it into a plain `serde_json::Value` for the typed model.

mod json;
mod lines;
mod yaml;

pub use lines::LineIndex;

use std::fmt;

/// A byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last (equal to `start` for a position rather than a range).
    pub end: usize,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A JSON value with the span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Span,
}

/// The value of a [`Node`]; objects keep their members in the order written, duplicates included,
/// so the validator can report a key written twice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One `key: value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Which notation a definition is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON, as the AWS console and APIs take it.
    Json,
    /// YAML, as CloudFormation, SAM and the Serverless Framework templates hold it.
    Yaml,
}

impl Format {
    /// JSON when the first significant character opens an object or array, YAML otherwise: a
    /// definition is an object, and YAML authors rarely write flow style at the top.
    pub fn detect(text: &str) -> Format {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') | Some('[') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Why a text could not be read as a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    pub span: Span,
}

/// What kind of reading failure happened; each maps to an AWS diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseErrorKind {
    /// The text is not well-formed JSON or YAML.
    Syntax,
    /// The text holds no value at all.
    Empty,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Deepest nesting of objects and arrays accepted. Real definitions stay far below it; the limit
/// keeps hostile input from exhausting the stack.
pub(crate) const MAX_DEPTH: usize = 128;

impl ParseError {
    fn syntax(message: impl Into<String>, span: Span) -> Self {
        ParseError {
            kind: ParseErrorKind::Syntax,
            message: message.into(),
            span,
        }
    }
}

/// Reads `text` in the given format.
pub(crate) fn parse(text: &str, format: Format) -> Result<Node, ParseError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text[bom..].trim().is_empty() {
        return Err(ParseError {
            kind: ParseErrorKind::Empty,
            message: "the definition is empty".into(),
            span: Span::new(0, 0),
        });
    }
    match format {
        Format::Json => json::parse(text, bom),
        Format::Yaml => yaml::parse(text),
    }
}

impl Node {
    pub(crate) fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    /// The object's members, or `None` when this is not an object.
    pub(crate) fn members(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The first member named `key` of an object.
    pub(crate) fn member(&self, key: &str) -> Option<&Member> {
        self.members()?.iter().find(|m| m.key == key)
    }

    /// The value of the first member named `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The node a JSON pointer (RFC 6901) designates, if any.
    pub(crate) fn pointee(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Object(_) => node.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The plain JSON value; a duplicated key keeps its last value, as JSON parsers usually do.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => items.iter().map(Node::to_json).collect(),
            Value::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// A short name of the value's type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Builds JSON pointers (RFC 6901) one token at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pointer(String);

impl Pointer {
    pub(crate) fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer extended by one object key or array index.
    pub(crate) fn join(&self, token: impl fmt::Display) -> Pointer {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The last token, unescaped: the name of the field the pointer ends at.
    pub(crate) fn last(&self) -> String {
        let token = self.0.rsplit('/').next().unwrap_or("");
        token.replace("~1", "/").replace("~0", "~")
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_format_from_first_character() {
        assert_eq!(Format::detect("  {\"a\": 1}"), Format::Json);
        assert_eq!(Format::detect("\u{feff}[1]"), Format::Json);
        assert_eq!(Format::detect("StartAt: A"), Format::Yaml);
    }

    #[test]
    fn empty_text_is_its_own_error() {
        let err = parse("  \n", Format::Json).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Empty);
    }

    #[test]
    fn pointers_escape_and_resolve() {
        let node = parse(r#"{"a/b": {"c~d": [10, 20]}}"#, Format::Json).unwrap();
        let pointer = Pointer::root().join("a/b").join("c~d").join(1);
        assert_eq!(pointer.as_str(), "/a~1b/c~0d/1");
        let found = node.pointee(pointer.as_str()).unwrap();
        assert_eq!(found.to_json(), serde_json::json!(20));
        assert!(node.pointee("/missing").is_none());
    }
}
