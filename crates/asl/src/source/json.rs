//! Strict JSON (RFC 8259) into a spanned [`Node`] tree.
//!
//! Hand-written because it must keep the span of every key and value, keep duplicate keys for the
//! validator to report, and stop at a nesting limit instead of overflowing the stack on hostile
//! input; numbers are still converted by serde_json so they match what the simulator will see.

use super::{MAX_DEPTH, Member, Node, ParseError, ParseErrorKind, Span, Value};

pub(super) fn parse(text: &str, start: usize) -> Result<Node, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        depth: 0,
    };
    parser.skip_whitespace();
    let node = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.unexpected("the end of the definition after its top-level value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn value(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Value::String(s), Span::new(start, self.pos)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.keyword("true", Value::Bool(true)),
            Some(b'f') => self.keyword("false", Value::Bool(false)),
            Some(b'n') => self.keyword("null", Value::Null),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Node, ParseError>,
    ) -> Result<Node, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(ParseError {
                kind: ParseErrorKind::TooDeep,
                message: format!("objects and arrays are nested more than {MAX_DEPTH} deep"),
                span: Span::new(self.pos, self.pos + 1),
            });
        }
        self.depth += 1;
        let node = parse(self);
        self.depth -= 1;
        node
    }

    fn object(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Node::new(
                Value::Object(members),
                Span::new(start, self.pos),
            ));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.skip_whitespace();
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Node::new(
                    Value::Object(members),
                    Span::new(start, self.pos),
                ));
            }
            return Err(self.unexpected("`,` or `}` after an object member"));
        }
    }

    fn array(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Node::new(Value::Array(items), Span::new(start, self.pos)));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Node::new(Value::Array(items), Span::new(start, self.pos)));
            }
            return Err(self.unexpected("`,` or `]` after an array item"));
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                return Err(ParseError::syntax(
                    "this string is not closed: add a `\"`",
                    Span::new(start, self.pos),
                ));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                c if (c as u32) < 0x20 => {
                    return Err(ParseError::syntax(
                        "control characters such as line breaks must be escaped inside strings (`\\n`, `\\t`)",
                        Span::new(self.pos, self.pos + 1),
                    ));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// One escape sequence after a backslash.
    fn escape(&mut self) -> Result<char, ParseError> {
        let at = self.pos - 1;
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(ParseError::syntax(
                "this string is not closed: add a `\"`",
                Span::new(at, self.pos),
            ));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4(at)?;
                if (0xD800..0xDC00).contains(&high) {
                    if self.text[self.pos..].starts_with("\\u") {
                        self.pos += 2;
                        let low = self.hex4(at)?;
                        if (0xDC00..0xE000).contains(&low) {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            return char::from_u32(code).ok_or_else(|| self.bad_escape(at));
                        }
                    }
                    return Err(self.bad_escape(at));
                }
                char::from_u32(high).ok_or_else(|| self.bad_escape(at))?
            }
            _ => {
                self.pos = at + 1;
                return Err(ParseError::syntax(
                    "unknown escape sequence: JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                    Span::new(at, at + 2),
                ));
            }
        })
    }

    fn hex4(&mut self, at: usize) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| u32::from_str_radix(std::str::from_utf8(d).ok()?, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.bad_escape(at)),
        }
    }

    fn bad_escape(&self, at: usize) -> ParseError {
        ParseError::syntax(
            "invalid \\u escape: write four hex digits, and pair surrogates (\\uD83D\\uDE00)",
            Span::new(at, self.pos.max(at + 2).min(self.bytes.len())),
        )
    }

    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        self.eat(b'-');
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.eat(b'.') {
            if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        let span = Span::new(start, self.pos);
        let number = serde_json::from_str::<serde_json::Number>(&self.text[start..self.pos])
            .map_err(|_| ParseError::syntax("this number is out of range", span))?;
        Ok(Node::new(Value::Number(number), span))
    }

    fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Node, ParseError> {
        let start = self.pos;
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            return Ok(Node::new(value, Span::new(start, self.pos)));
        }
        Err(self.unexpected("a value"))
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// "expected X, found Y" at the current position.
    fn unexpected(&self, expected: &str) -> ParseError {
        let found = match self.text[self.pos..].chars().next() {
            None => "the end of the text".to_string(),
            Some(c) if c.is_alphanumeric() => {
                let word: String = self.text[self.pos..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .take(20)
                    .collect();
                format!("`{word}`")
            }
            Some(c) => format!("`{}`", c.escape_debug()),
        };
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        let hint = match self.text[self.pos..].chars().next() {
            Some('}' | ']') if expected.starts_with("a key") || expected == "a value" => {
                " (JSON allows no trailing comma)"
            }
            Some('\'') => " (JSON strings take double quotes)",
            Some('/') => " (JSON has no comments)",
            _ => "",
        };
        ParseError::syntax(
            format!("expected {expected}, found {found}{hint}"),
            Span::new(self.pos, self.pos + len),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, parse as parse_text};
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse_text(text, Format::Json).unwrap()
    }

    fn parse_err(text: &str) -> ParseError {
        parse_text(text, Format::Json).unwrap_err()
    }

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = r#"{ "StartAt": "A", "n": [1, 2.5e3] }"#;
        let node = parse_ok(text);
        let member = node.member("StartAt").unwrap();
        assert_eq!(
            &text[member.key_span.start..member.key_span.end],
            "\"StartAt\""
        );
        assert_eq!(
            &text[member.value.span.start..member.value.span.end],
            "\"A\""
        );
        let n = &node.get("n").unwrap().as_array().unwrap()[1];
        assert_eq!(&text[n.span.start..n.span.end], "2.5e3");
        assert_eq!(n.to_json(), serde_json::json!(2500.0));
    }

    #[test]
    fn keeps_duplicate_keys_in_order() {
        let node = parse_ok(r#"{"a": 1, "a": 2}"#);
        assert_eq!(node.members().unwrap().len(), 2);
        assert_eq!(node.to_json(), serde_json::json!({"a": 2}));
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let node = parse_ok(r#"["a\"b\\c\n\u00e9\ud83d\ude00"]"#);
        assert_eq!(node.to_json(), serde_json::json!(["a\"b\\c\né😀"]));
    }

    #[test]
    fn reports_trailing_comma_with_position() {
        let err = parse_err("{\"a\": 1,\n}");
        assert_eq!(err.kind, ParseErrorKind::Syntax);
        assert_eq!(err.span.start, 9);
        assert!(err.message.contains("trailing comma"), "{}", err.message);
    }

    #[test]
    fn rejects_what_json_does_not_allow() {
        for bad in [
            "{'a': 1}",
            "{a: 1}",
            "[01]",
            "[1.]",
            "[-]",
            "[tru]",
            "{\"a\" 1}",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"line\nbreak\"",
            "[1] [2]",
            "{\"a\": 1",
            "\"open",
            "[1e]",
        ] {
            assert_eq!(parse_err(bad).kind, ParseErrorKind::Syntax, "{bad}");
        }
    }

    #[test]
    fn deep_nesting_stops_with_an_error() {
        let text = "[".repeat(100_000);
        assert_eq!(parse_err(&text).kind, ParseErrorKind::TooDeep);
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        parse_ok(&fine);
    }

    #[test]
    fn multibyte_characters_do_not_break_positions() {
        let err = parse_err("{\"é\": ü}");
        assert_eq!(err.span.start, 7);
        assert!(err.message.contains("`ü`"), "{}", err.message);
    }
}
