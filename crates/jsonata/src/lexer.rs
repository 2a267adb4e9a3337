//! Tokenizer. It is pulled one token at a time by the parser, which says whether an operand or an
//! operator is expected next: that is the only way to tell a regex literal `/ab/` from a division.
//!
//! All delimiters are ASCII, so every slice taken here falls on a char boundary.

use crate::error::{Error, Result};

/// One token and the byte range it covers in the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A field name, plain or backtick-quoted.
    Name(String),
    /// `$name`; `$` alone is the empty name and `$$` is `"$"`.
    Variable(String),
    Str(String),
    Num(f64),
    True,
    False,
    Null,
    /// `/pattern/flags` (boxed: rare, and it would double the token's size).
    Regex(Box<(String, String)>),
    /// Punctuation and operators, including the keywords `and`, `or` and `in`.
    Op(&'static str),
    End,
}

/// Characters that end a name (besides whitespace): every operator character.
fn is_operator_char(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'['
            | b']'
            | b'{'
            | b'}'
            | b'('
            | b')'
            | b','
            | b'@'
            | b'#'
            | b';'
            | b':'
            | b'?'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'|'
            | b'='
            | b'<'
            | b'>'
            | b'^'
            | b'&'
            | b'!'
            | b'~'
    )
}

/// JSONata's whitespace: deliberately only these five (no form feed, no Unicode spaces).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b)
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    fn peek_at(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// Produces the next token. `operand` is true where the grammar expects the start of an
    /// operand, which is the only place a `/` opens a regex literal.
    pub fn next_token(&mut self, operand: bool) -> Result<Token> {
        self.skip_space_and_comments()?;
        let start = self.pos;
        let Some(c) = self.peek_at(start) else {
            return Ok(Token {
                kind: Tok::End,
                start,
                end: start,
            });
        };
        let kind = if c == b'/' && operand {
            self.regex()?
        } else if let Some(op) = self.operator(c) {
            self.pos += op.len();
            if op == "!" || op == "~" {
                return Err(
                    Error::new("S0204", start, format!("Unknown operator: `{op}`")).with_token(op),
                );
            }
            Tok::Op(op)
        } else if c == b'"' || c == b'\'' {
            self.string(c)?
        } else if c.is_ascii_digit() {
            self.number()?
        } else if c == b'`' {
            self.quoted_name()?
        } else {
            self.name()
        };
        Ok(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    fn skip_space_and_comments(&mut self) -> Result<()> {
        loop {
            while self.peek_at(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            if self.peek_at(self.pos) == Some(b'/') && self.peek_at(self.pos + 1) == Some(b'*') {
                let open = self.pos;
                match self.src[open + 2..].find("*/") {
                    Some(i) => self.pos = open + 2 + i + 2,
                    None => {
                        return Err(Error::new("S0106", open, "Comment has no closing `*/`"));
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn operator(&self, c: u8) -> Option<&'static str> {
        let next = self.peek_at(self.pos + 1);
        let two = match (c, next) {
            (b'.', Some(b'.')) => Some(".."),
            (b':', Some(b'=')) => Some(":="),
            (b'!', Some(b'=')) => Some("!="),
            (b'>', Some(b'=')) => Some(">="),
            (b'<', Some(b'=')) => Some("<="),
            (b'*', Some(b'*')) => Some("**"),
            (b'~', Some(b'>')) => Some("~>"),
            (b'?', Some(b':')) => Some("?:"),
            (b'?', Some(b'?')) => Some("??"),
            _ => None,
        };
        if two.is_some() {
            return two;
        }
        Some(match c {
            b'.' => ".",
            b'[' => "[",
            b']' => "]",
            b'{' => "{",
            b'}' => "}",
            b'(' => "(",
            b')' => ")",
            b',' => ",",
            b'@' => "@",
            b'#' => "#",
            b';' => ";",
            b':' => ":",
            b'?' => "?",
            b'+' => "+",
            b'-' => "-",
            b'*' => "*",
            b'/' => "/",
            b'%' => "%",
            b'|' => "|",
            b'=' => "=",
            b'<' => "<",
            b'>' => ">",
            b'^' => "^",
            b'&' => "&",
            b'!' => "!",
            b'~' => "~",
            _ => return None,
        })
    }

    /// A quoted string with JSON escapes; either quote kind, `\"` is the only quote escape.
    fn string(&mut self, quote: u8) -> Result<Tok> {
        let open = self.pos;
        let mut out = String::new();
        let mut i = open + 1;
        loop {
            // Copy the run up to the next backslash or closing quote in one go.
            let run_end = self.bytes[i..]
                .iter()
                .position(|&b| b == b'\\' || b == quote)
                .map(|k| i + k);
            let Some(j) = run_end else {
                return Err(Error::new(
                    "S0101",
                    open,
                    "String literal must be closed by a matching quote",
                ));
            };
            out.push_str(&self.src[i..j]);
            if self.bytes[j] == quote {
                self.pos = j + 1;
                return Ok(Tok::Str(out));
            }
            // Escape sequence at j.
            let esc_at = j + 1;
            let Some(e) = self.src[esc_at..].chars().next() else {
                return Err(Error::new(
                    "S0101",
                    open,
                    "String literal must be closed by a matching quote",
                ));
            };
            i = esc_at + e.len_utf8();
            match e {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '/' => out.push('/'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    let unit = self.hex4(esc_at + 1).ok_or_else(|| {
                        Error::new(
                            "S0104",
                            esc_at,
                            "The escape sequence `\\u` must be followed by 4 hex digits",
                        )
                    })?;
                    i = esc_at + 5;
                    out.push(self.code_point(unit, &mut i));
                }
                other => {
                    return Err(Error::new(
                        "S0103",
                        esc_at,
                        format!("Unsupported escape sequence: `\\{other}`"),
                    )
                    .with_token(other.to_string()));
                }
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        // All ASCII, so this slice is on char boundaries.
        u32::from_str_radix(&self.src[at..at + 4], 16).ok()
    }

    /// Turns a UTF-16 unit into a char, joining a surrogate pair written as two escapes
    /// (`i` is advanced past the second one). A lone surrogate cannot live in a Rust string and
    /// becomes U+FFFD.
    fn code_point(&self, unit: u32, i: &mut usize) -> char {
        if (0xD800..0xDC00).contains(&unit)
            && self.bytes.get(*i) == Some(&b'\\')
            && self.bytes.get(*i + 1) == Some(&b'u')
            && let Some(low) = self.hex4(*i + 2)
            && (0xDC00..0xE000).contains(&low)
        {
            *i += 6;
            let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(c).unwrap_or('\u{FFFD}');
        }
        char::from_u32(unit).unwrap_or('\u{FFFD}')
    }

    /// `0|[1-9][0-9]*` then an optional fraction and exponent, as JSON writes numbers.
    fn number(&mut self) -> Result<Tok> {
        let start = self.pos;
        let digits = |lx: &Self, mut at: usize| {
            while lx.peek_at(at).is_some_and(|b| b.is_ascii_digit()) {
                at += 1;
            }
            at
        };
        let mut end = if self.bytes[start] == b'0' {
            start + 1
        } else {
            digits(self, start)
        };
        if self.peek_at(end) == Some(b'.')
            && self.peek_at(end + 1).is_some_and(|b| b.is_ascii_digit())
        {
            end = digits(self, end + 1);
        }
        if matches!(self.peek_at(end), Some(b'e' | b'E')) {
            let mut at = end + 1;
            if matches!(self.peek_at(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if self.peek_at(at).is_some_and(|b| b.is_ascii_digit()) {
                end = digits(self, at);
            }
        }
        let text = &self.src[start..end];
        let value: f64 = text.parse().unwrap_or(f64::INFINITY);
        if !value.is_finite() {
            return Err(
                Error::new("S0102", start, format!("Number out of range: `{text}`"))
                    .with_token(text),
            );
        }
        self.pos = end;
        Ok(Tok::Num(value))
    }

    fn quoted_name(&mut self) -> Result<Tok> {
        let open = self.pos;
        match self.src[open + 1..].find('`') {
            Some(k) => {
                self.pos = open + 1 + k + 1;
                Ok(Tok::Name(self.src[open + 1..open + 1 + k].to_string()))
            }
            None => Err(Error::new(
                "S0105",
                open,
                "Quoted name must be closed by a backtick (`)",
            )),
        }
    }

    /// A name or `$variable`: everything up to whitespace or an operator character.
    fn name(&mut self) -> Tok {
        let start = self.pos;
        let mut end = start;
        while let Some(b) = self.peek_at(end) {
            if is_space(b) || is_operator_char(b) {
                break;
            }
            end += 1;
        }
        self.pos = end;
        let text = &self.src[start..end];
        if let Some(var) = text.strip_prefix('$') {
            return Tok::Variable(var.to_string());
        }
        match text {
            "and" => Tok::Op("and"),
            "or" => Tok::Op("or"),
            "in" => Tok::Op("in"),
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            _ => Tok::Name(text.to_string()),
        }
    }

    /// `/pattern/flags`. The closing slash is the first one that is not escaped, not inside a
    /// character class and not inside a `(…)` or `{…}` group; flags are any run of `i` and `m`.
    fn regex(&mut self) -> Result<Tok> {
        let open = self.pos;
        let mut i = open + 1;
        let mut depth = 0usize;
        let mut in_class = false;
        while let Some(b) = self.peek_at(i) {
            match b {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b'[' if !in_class => in_class = true,
                b']' if in_class => in_class = false,
                b'(' | b'{' if !in_class => depth += 1,
                b')' | b'}' if !in_class => depth = depth.saturating_sub(1),
                b'/' if !in_class && depth == 0 => {
                    let pattern = &self.src[open + 1..i];
                    if pattern.is_empty() {
                        return Err(Error::new(
                            "S0301",
                            open,
                            "Empty regular expressions are not allowed",
                        ));
                    }
                    let flags_start = i + 1;
                    let mut end = flags_start;
                    while matches!(self.peek_at(end), Some(b'i' | b'm')) {
                        end += 1;
                    }
                    self.pos = end;
                    return Ok(Tok::Regex(Box::new((
                        pattern.to_string(),
                        self.src[flags_start..end].to_string(),
                    ))));
                }
                _ => {}
            }
            i += 1;
        }
        Err(Error::new(
            "S0302",
            open,
            "Regular expression has no closing `/`",
        ))
    }
}
