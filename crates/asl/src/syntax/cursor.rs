//! A character cursor over the parsed string, shared by the path, filter and intrinsic parsers.

use super::{MAX_NESTING, SyntaxError};

pub(crate) struct Cursor<'a> {
    pub(crate) src: &'a str,
    /// Byte offset of the next character.
    pub(crate) pos: usize,
    depth: usize,
    /// What is being parsed, for "the end of the …" in messages.
    subject: &'static str,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str, subject: &'static str) -> Self {
        Cursor {
            src,
            pos: 0,
            depth: 0,
            subject,
        }
    }

    pub(crate) fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(crate) fn peek_second(&self) -> Option<char> {
        let mut chars = self.rest().chars();
        chars.next();
        chars.next()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Advances over characters while `keep` holds; returns the text passed over.
    pub(crate) fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !keep(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.src[start..self.pos]
    }

    /// Skips spaces, tabs and line breaks.
    pub(crate) fn skip_ws(&mut self) {
        self.take_while(is_blank);
    }

    /// Describes the next character (or the end) for a "found …" message.
    pub(crate) fn found(&self) -> String {
        match self.peek() {
            None => format!("the end of the {}", self.subject),
            Some(c) => describe(c),
        }
    }

    pub(crate) fn error(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError::new(offset, message)
    }

    /// "expected {what}, found {next}" at the current position.
    pub(crate) fn expected(&self, what: &str) -> SyntaxError {
        self.error(self.pos, format!("expected {what}, found {}", self.found()))
    }

    /// Enters one level of nesting; fails past [`MAX_NESTING`].
    pub(crate) fn enter(&mut self, at: usize) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(
                at,
                format!("nested too deeply (more than {MAX_NESTING} levels)"),
            ));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Reads a number in JSON syntax (`-`, digits, optional fraction and exponent).
    pub(crate) fn read_number(&mut self) -> Result<serde_json::Number, SyntaxError> {
        let start = self.pos;
        self.eat('-');
        let int_start = self.pos;
        let digits = self.take_while(|c| c.is_ascii_digit());
        if digits.is_empty() {
            return Err(self.expected("a digit"));
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(self.error(
                int_start,
                "a number cannot start with `0` followed by digits",
            ));
        }
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            self.take_while(|c| c.is_ascii_digit());
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.bump();
            if !self.eat('+') {
                self.eat('-');
            }
            if self.take_while(|c| c.is_ascii_digit()).is_empty() {
                self.pos = save;
            }
        }
        let text = &self.src[start..self.pos];
        text.parse::<serde_json::Number>()
            .map_err(|_| self.error(start, format!("the number `{text}` is out of range")))
    }
}

pub(crate) fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A character as shown in messages: in backticks, with whitespace and control characters named.
pub(crate) fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        '`' => "a backtick".to_string(),
        c if c.is_control() || c.is_whitespace() => format!("`{}`", c.escape_unicode()),
        c => format!("`{c}`"),
    }
}

/// The first `max` characters of `text`, with `…` when cut.
pub(crate) fn abbreviate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
