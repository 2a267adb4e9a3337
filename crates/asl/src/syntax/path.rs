//! JSONPath as AWS Step Functions accepts it.
//!
//! Step Functions evaluates paths with the Jayway JSONPath library; this parser follows Jayway's
//! grammar with the ASL additions:
//!
//! * roots: `$` (the input), `$$` (the context object), `$name` (a variable set by `Assign`);
//! * `.name` (any characters but `.`, `[`, `(` and whitespace), `['name']` / `["name"]`,
//!   `[0]`, `[-1]`, `[*]`, `.*`, unions `[0,1]` / `['a','b']`, slices `[1:3]` / `[1:]` / `[:2]`,
//!   recursive descent `..name` / `..*` / `..[0]`, filters `[?(...)]` (see [`super::filter`]) and
//!   the functions `.length()`, `.size()`, `.min()`, `.max()`, `.avg()`, `.stddev()`, `.sum()` at
//!   the end of a path.
//!
//! Where Jayway is looser than useful, this parser is stricter and says why: a slice step
//! (`[::2]`, which Jayway ignores or rejects), a name glued to a `]` (`$.a[0]b`) and whitespace
//! around a path are errors.
//!
//! Quoted names keep their text verbatim, backslashes included: a backslash only stops the next
//! character from closing the quote. Recorded AWS executions show this (`$['a\"b']` reads the key
//! `a\"b`).

use std::fmt;

use super::SyntaxError;
use super::cursor::{Cursor, describe, is_blank};
use super::filter::FilterExpr;
use super::ident;

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub root: Root,
    pub segments: Vec<Segment>,
}

/// What a path starts from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Root {
    /// `$`: the state input (or whatever the field applies the path to).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: the value of a variable.
    Variable(String),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// `.name`, `['name']`, `[0]`, `[*]`, `[1:2]`, `[?(...)]`, …: selects among the children.
    Child(Selector),
    /// `..name`, `..*`, `..[0]`, …: selects among all descendants (recursive descent).
    Descendant(Selector),
    /// `.length()` and the like: a function of the selected values; always the last segment.
    Function(PathFunction),
}

/// What a [`Segment`] selects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selector {
    /// `.name` or `['name']`.
    Name(String),
    /// `['a','b']` (two or more names).
    Names(Vec<String>),
    /// `[3]` or `[-1]`.
    Index(i64),
    /// `[0,2]` (two or more indexes).
    Indexes(Vec<i64>),
    /// `*` or `[*]`.
    Wildcard,
    /// `[start:end]`, at least one bound present. Jayway has no step.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
    },
    /// `[?(...)]`.
    Filter(Box<FilterExpr>),
}

/// The Jayway path functions Step Functions' JSONPath offers (without arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PathFunction {
    Length,
    Size,
    Min,
    Max,
    Avg,
    Stddev,
    Sum,
}

impl PathFunction {
    pub(crate) const ALL: [PathFunction; 7] = [
        PathFunction::Length,
        PathFunction::Size,
        PathFunction::Min,
        PathFunction::Max,
        PathFunction::Avg,
        PathFunction::Stddev,
        PathFunction::Sum,
    ];

    /// The name without parentheses, e.g. `length`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PathFunction::Length => "length",
            PathFunction::Size => "size",
            PathFunction::Min => "min",
            PathFunction::Max => "max",
            PathFunction::Avg => "avg",
            PathFunction::Stddev => "stddev",
            PathFunction::Sum => "sum",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<PathFunction> {
        PathFunction::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl Segment {
    /// True for a segment that selects exactly one child: `.name`, `['name']` or `[index]`.
    pub(crate) fn is_definite(&self) -> bool {
        matches!(self, Segment::Child(Selector::Name(_) | Selector::Index(_)))
    }
}

impl Path {
    /// Parses a whole string as a path. It must start with `$` and have no surrounding whitespace.
    pub(crate) fn parse(text: &str) -> Result<Path, SyntaxError> {
        parse_with_offsets(text).map(|(path, _)| path)
    }
}

/// Parses a Reference Path (required by `ResultPath` and a Choice rule's `Variable`): a path with
/// only `.name`, `['name']` and `[index]` segments. The ASL spec: "The operators "@", ",", ":",
/// and "?" are not supported - all Reference Paths MUST be unambiguous references to a single
/// value, array, or object (subtree)"; AWS adds that functions such as `length()` are not
/// supported. Field-specific rules (e.g. `ResultPath` may not start with `$$`) are left to the
/// caller.
pub(crate) fn parse_reference_path(text: &str) -> Result<Path, SyntaxError> {
    let (path, offsets) = parse_with_offsets(text)?;
    if let Some((segment, &offset)) = path
        .segments
        .iter()
        .zip(&offsets)
        .find(|(segment, _)| !segment.is_definite())
    {
        let what = match segment {
            Segment::Descendant(_) => "`..` (recursive descent) selects any number of values",
            Segment::Child(Selector::Wildcard) => "`*` selects every child",
            Segment::Child(Selector::Names(_) | Selector::Indexes(_)) => {
                "a union `[a,b]` selects several values"
            }
            Segment::Child(Selector::Slice { .. }) => {
                "a slice `[start:end]` selects several values"
            }
            Segment::Child(Selector::Filter(_)) => {
                "a filter `[?(...)]` selects any number of values"
            }
            Segment::Function(_) => "a function such as `.length()` computes a value",
            Segment::Child(Selector::Name(_) | Selector::Index(_)) => unreachable!("definite"),
        };
        return Err(SyntaxError::new(
            offset,
            format!(
                "{what}, but a reference path must point to exactly one node; use only `.name`, `['name']` and `[index]`"
            ),
        ));
    }
    Ok(path)
}

fn parse_with_offsets(text: &str) -> Result<(Path, Vec<usize>), SyntaxError> {
    if !text.starts_with('$') {
        let message = if text.is_empty() {
            "expected a path starting with `$`, found an empty string".to_string()
        } else if text.trim_start().starts_with('$') {
            "a path must start with `$`; remove the whitespace before it".to_string()
        } else if text.starts_with('@') {
            "`@` (the current node) can only be used inside a filter `[?(...)]`; a path starts with `$`"
                .to_string()
        } else if text.starts_with(['.', '[']) {
            "a path must start with `$`; add it before the first `.` or `[`".to_string()
        } else {
            let c = text.chars().next().map(describe).unwrap_or_default();
            format!("expected a path starting with `$`, found {c}")
        };
        return Err(SyntaxError::new(0, message));
    }
    let mut cursor = Cursor::new(text, "path");
    cursor.parse_path(Mode::Whole)
}

/// Where a path is embedded, which decides the characters that end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The path is the whole string.
    Whole,
    /// Inside a filter expression: ends at whitespace, an operator or `)`.
    Filter,
    /// An argument of an intrinsic function: ends at whitespace, `,` or `)`.
    Argument,
}

impl Mode {
    /// Characters that end a dot-notation field name.
    fn ends_name(self, c: char) -> bool {
        if c.is_whitespace() || matches!(c, '.' | '[' | '(') {
            return true;
        }
        match self {
            Mode::Whole => false,
            Mode::Argument => matches!(c, ',' | ')'),
            Mode::Filter => is_filter_delimiter(c),
        }
    }

    /// Characters that may follow a complete path.
    fn ends_path(self, c: char) -> bool {
        match self {
            Mode::Whole => false,
            Mode::Argument => is_blank(c) || matches!(c, ',' | ')'),
            Mode::Filter => is_blank(c) || is_filter_delimiter(c),
        }
    }

    fn what_may_follow(self) -> &'static str {
        match self {
            Mode::Whole => "`.`, `[` or the end of the path",
            Mode::Argument => "`.`, `[`, `,` or `)`",
            Mode::Filter => "`.`, `[`, an operator or `)`",
        }
    }
}

fn is_filter_delimiter(c: char) -> bool {
    matches!(c, ')' | ']' | ',' | '<' | '>' | '=' | '~' | '!' | '&' | '|')
}

impl Cursor<'_> {
    /// Parses a path starting at the `$` under the cursor; returns it with the byte offset of each
    /// segment. Leaves the cursor after the path, and checks that what follows may end it.
    pub(crate) fn parse_path(&mut self, mode: Mode) -> Result<(Path, Vec<usize>), SyntaxError> {
        let dollar = self.pos;
        debug_assert_eq!(self.peek(), Some('$'));
        self.bump();
        let root = if self.eat('$') {
            Root::Context
        } else if self.peek().is_some_and(ident::is_id_start) {
            let start = self.pos;
            let name = self.take_while(ident::is_id_continue);
            ident::check_length(name, start)?;
            Root::Variable(name.to_string())
        } else {
            if self
                .peek()
                .is_some_and(|c| ident::is_id_continue(c) && !self.at_path_end(mode))
            {
                return Err(self.error(
                    self.pos,
                    format!(
                        "expected `.`, `[` or a variable name after `$`, found {}; a variable name must start with a letter",
                        self.found()
                    ),
                ));
            }
            Root::Input
        };
        let label = format!("`{}`", &self.src[dollar..self.pos]);
        let (segments, offsets) = self.parse_segments(mode, label)?;
        Ok((Path { root, segments }, offsets))
    }

    fn at_path_end(&self, mode: Mode) -> bool {
        self.peek().is_none_or(|c| mode.ends_path(c))
    }

    /// Parses the segments after a root (`$…` or `@`). `after` describes the root for messages.
    pub(crate) fn parse_segments(
        &mut self,
        mode: Mode,
        mut after: String,
    ) -> Result<(Vec<Segment>, Vec<usize>), SyntaxError> {
        let mut segments = Vec::new();
        let mut offsets = Vec::new();
        loop {
            let start = self.pos;
            match self.peek() {
                Some('.') => {
                    self.bump();
                    let descendant = self.eat('.');
                    let dots = if descendant { ".." } else { "." };
                    let selector = match self.peek() {
                        Some('[') => {
                            after = "`]`".to_string();
                            self.parse_bracket(mode)?
                        }
                        Some('*') => {
                            self.bump();
                            after = "`*`".to_string();
                            Selector::Wildcard
                        }
                        Some('.') => {
                            return Err(
                                self.expected(&format!("a field name, `*` or `[` after `{dots}`"))
                            );
                        }
                        Some(c) if !mode.ends_name(c) => {
                            let name_start = self.pos;
                            let name = self.take_while(|c| !mode.ends_name(c)).to_string();
                            if self.peek() == Some('(') {
                                let function =
                                    self.parse_function(mode, name_start, &name, descendant)?;
                                segments.push(Segment::Function(function));
                                offsets.push(start);
                                break;
                            }
                            after = "the field name".to_string();
                            Selector::Name(name)
                        }
                        _ => {
                            let what = if descendant {
                                "a field name, `*` or `[` after `..`"
                            } else {
                                "a field name after `.`"
                            };
                            return Err(self.expected(what));
                        }
                    };
                    segments.push(if descendant {
                        Segment::Descendant(selector)
                    } else {
                        Segment::Child(selector)
                    });
                }
                Some('[') => {
                    segments.push(Segment::Child(self.parse_bracket(mode)?));
                    after = "`]`".to_string();
                }
                _ => break,
            }
            offsets.push(start);
        }
        if !self.at_path_end(mode) {
            return Err(self.trailing_error(mode, &after));
        }
        Ok((segments, offsets))
    }

    fn trailing_error(&self, mode: Mode, after: &str) -> SyntaxError {
        if let (Mode::Whole, Some(c)) = (mode, self.peek())
            && c.is_whitespace()
        {
            let message = if self.rest().trim().is_empty() {
                "unexpected whitespace at the end of the path"
            } else {
                "unexpected whitespace in the path; a field name with spaces needs bracket notation, e.g. `['my field']`"
            };
            return self.error(self.pos, message);
        }
        self.error(
            self.pos,
            format!(
                "expected {} after {after}, found {}",
                mode.what_may_follow(),
                self.found()
            ),
        )
    }

    /// Parses `(` `)` after a function name; the function must end the path.
    fn parse_function(
        &mut self,
        mode: Mode,
        name_start: usize,
        name: &str,
        descendant: bool,
    ) -> Result<PathFunction, SyntaxError> {
        let Some(function) = PathFunction::from_name(name) else {
            let known: Vec<String> = PathFunction::ALL
                .iter()
                .map(|f| format!("{}()", f.name()))
                .collect();
            return Err(self.error(
                name_start,
                format!(
                    "unknown path function `{name}()`; Step Functions' JSONPath supports {}",
                    known.join(", ")
                ),
            ));
        };
        if descendant {
            return Err(self.error(
                name_start,
                format!("`{name}()` must follow a single `.`, not `..`"),
            ));
        }
        self.bump();
        self.skip_ws();
        if !self.eat(')') {
            return Err(self.expected(&format!("`)` (`{name}()` takes no arguments)")));
        }
        if !self.at_path_end(mode) {
            return Err(self.error(
                self.pos,
                format!(
                    "a function such as `.{name}()` must end the path, found {}",
                    self.found()
                ),
            ));
        }
        Ok(function)
    }

    /// Parses a bracket segment starting at `[`.
    fn parse_bracket(&mut self, mode: Mode) -> Result<Selector, SyntaxError> {
        let open = self.pos;
        self.bump();
        self.skip_ws();
        match self.peek() {
            Some('\'' | '"') => {
                let mut names = Vec::new();
                loop {
                    self.skip_ws();
                    if !matches!(self.peek(), Some('\'' | '"')) {
                        return Err(self.expected("a quoted field name after `,`"));
                    }
                    names.push(self.read_raw_quoted()?);
                    self.skip_ws();
                    if self.eat(']') {
                        break;
                    }
                    if !self.eat(',') {
                        return Err(self.expected("`,` or `]` after the quoted field name"));
                    }
                }
                Ok(if names.len() == 1 {
                    Selector::Name(names.pop().unwrap_or_default())
                } else {
                    Selector::Names(names)
                })
            }
            Some('*') => {
                self.bump();
                self.skip_ws();
                if !self.eat(']') {
                    return Err(self.expected("`]` after `[*`"));
                }
                Ok(Selector::Wildcard)
            }
            Some('?') => {
                self.bump();
                self.skip_ws();
                if !self.eat('(') {
                    return Err(self.expected("`(` after `[?` (a filter is written `[?(...)]`)"));
                }
                self.enter(open)?;
                let expr = self.parse_filter_or()?;
                self.skip_ws();
                if !self.eat(')') {
                    return Err(self.expected("`&&`, `||` or `)`"));
                }
                self.skip_ws();
                if !self.eat(']') {
                    return Err(self.expected("`]` to close the filter `[?(...)]`"));
                }
                self.leave();
                Ok(Selector::Filter(Box::new(expr)))
            }
            Some('(') => self.parse_from_end(open),
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => {
                self.parse_index_or_slice(open)
            }
            Some(c) if mode.ends_name(c) || c == ']' || c == ',' => {
                Err(self
                    .expected("an index, `*`, a quoted field name or a filter `?(...)` after `[`"))
            }
            _ => {
                let word_start = self.pos;
                let word = self.take_while(|c| c.is_alphanumeric() || c == '_' || c == '-');
                let hint = if word.is_empty() {
                    String::new()
                } else {
                    format!("; quote field names: `['{word}']`")
                };
                self.pos = word_start;
                Err(self.error(
                    word_start,
                    format!(
                        "expected an index, `*`, a quoted field name or a filter `?(...)` after `[`, found {}{hint}",
                        self.found()
                    ),
                ))
            }
        }
    }

    /// Reads a quoted name, keeping its text verbatim (a backslash only protects the next
    /// character from closing the quote).
    fn read_raw_quoted(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        let Some(quote) = self.bump() else {
            return Err(self.expected("a quote"));
        };
        let start = self.pos;
        loop {
            match self.bump() {
                None => break,
                Some('\\') => {
                    if self.bump().is_none() {
                        break;
                    }
                }
                Some(c) if c == quote => return Ok(self.src[start..self.pos - 1].to_string()),
                Some(_) => {}
            }
        }
        Err(self.error(open, format!("this quoted name has no closing `{quote}`")))
    }

    /// `[(@.length-N)]`, the one script expression Jayway-style paths are written with: the
    /// N-th item from the end, the same as `[-N]`. Other scripts are not JSONPath AWS evaluates.
    fn parse_from_end(&mut self, open: usize) -> Result<Selector, SyntaxError> {
        let unsupported = |this: &Self| {
            this.error(
                open,
                "script expressions other than `[(@.length-N)]` are not supported by Step Functions' JSONPath; use an index such as `[-1]` or a filter `[?(...)]`",
            )
        };
        self.bump();
        self.skip_ws();
        if !self.rest().starts_with("@.length") {
            return Err(unsupported(self));
        }
        self.pos += "@.length".len();
        self.skip_ws();
        if !self.eat('-') {
            return Err(unsupported(self));
        }
        self.skip_ws();
        let digits = self.take_while(|c| c.is_ascii_digit());
        let Ok(n) = digits.parse::<i64>() else {
            return Err(unsupported(self));
        };
        self.skip_ws();
        if !(self.eat(')') && self.eat(']')) || n == 0 {
            return Err(unsupported(self));
        }
        Ok(Selector::Index(-n))
    }

    fn parse_index_or_slice(&mut self, open: usize) -> Result<Selector, SyntaxError> {
        let first = self.read_index()?;
        self.skip_ws();
        if self.eat(':') {
            self.skip_ws();
            let end = self.read_index()?;
            self.skip_ws();
            if self.peek() == Some(':') {
                return Err(self.error(
                    self.pos,
                    "Step Functions' JSONPath has no slice step: write `[start:end]`, `[start:]` or `[:end]`",
                ));
            }
            if !self.eat(']') {
                return Err(self.expected("`]` after the slice"));
            }
            if first.is_none() && end.is_none() {
                return Err(self.error(
                    open,
                    "a slice needs a start or an end, such as `[1:]` or `[:2]`; use `[*]` for every element",
                ));
            }
            return Ok(Selector::Slice { start: first, end });
        }
        let Some(first) = first else {
            return Err(self.expected("an index"));
        };
        let mut indexes = vec![first];
        loop {
            if self.eat(']') {
                break;
            }
            if !self.eat(',') {
                let what = if indexes.len() == 1 {
                    "`,`, `:` or `]` after the index"
                } else {
                    "`,` or `]` after the index"
                };
                return Err(self.expected(what));
            }
            self.skip_ws();
            match self.read_index()? {
                Some(index) => indexes.push(index),
                None => return Err(self.expected("an index after `,`")),
            }
            self.skip_ws();
        }
        Ok(if indexes.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indexes(indexes)
        })
    }

    /// Reads `-?digits` as a 32-bit index (Jayway's range), or nothing when no digit or `-` is next.
    fn read_index(&mut self) -> Result<Option<i64>, SyntaxError> {
        let start = self.pos;
        let negative = self.eat('-');
        let digits = self.take_while(|c| c.is_ascii_digit());
        if digits.is_empty() {
            if negative {
                return Err(self.expected("a digit after `-`"));
            }
            return Ok(None);
        }
        let text = &self.src[start..self.pos];
        match text.parse::<i32>() {
            Ok(value) => Ok(Some(i64::from(value))),
            Err(_) => Err(self.error(
                start,
                format!("the index `{text}` is out of range (at most 2147483647 either way)"),
            )),
        }
    }
}

/// True when `name` can be written after a `.` and read back the same in any context.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// True when `name` can be written after a `.` and read back the same where `mode` applies.
fn is_dot_safe(name: &str, mode: Mode) -> bool {
    !name.is_empty() && !name.starts_with('*') && !name.chars().any(|c| mode.ends_name(c))
}

/// Whether `name` can be written between `quote`s and read back verbatim.
fn can_quote(name: &str, quote: char) -> bool {
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.next().is_none() {
                return false;
            }
        } else if c == quote {
            return false;
        }
    }
    true
}

fn quote_char(names: &[&str]) -> Option<char> {
    ['\'', '"']
        .into_iter()
        .find(|&quote| names.iter().all(|name| can_quote(name, quote)))
}

fn write_quoted_names(f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
    let shared = quote_char(names);
    f.write_str("[")?;
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        // A name holding both kinds of quotes unescaped cannot be quoted (it can only come from
        // dot notation); it is written as is.
        let quote = shared.or_else(|| quote_char(&[name])).unwrap_or('\'');
        write!(f, "{quote}{name}{quote}")?;
    }
    f.write_str("]")
}

fn write_bracket(f: &mut fmt::Formatter<'_>, selector: &Selector) -> fmt::Result {
    match selector {
        Selector::Name(name) => write_quoted_names(f, &[name]),
        Selector::Names(names) => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            write_quoted_names(f, &names)
        }
        Selector::Index(index) => write!(f, "[{index}]"),
        Selector::Indexes(indexes) => {
            f.write_str("[")?;
            for (i, index) in indexes.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{index}")?;
            }
            f.write_str("]")
        }
        Selector::Wildcard => f.write_str("[*]"),
        Selector::Slice { start, end } => {
            f.write_str("[")?;
            if let Some(start) = start {
                write!(f, "{start}")?;
            }
            f.write_str(":")?;
            if let Some(end) = end {
                write!(f, "{end}")?;
            }
            f.write_str("]")
        }
        Selector::Filter(expr) => write!(f, "[?({expr})]"),
    }
}

fn write_segment(f: &mut fmt::Formatter<'_>, segment: &Segment, mode: Mode) -> fmt::Result {
    let dotted = |name: &str| {
        is_plain_name(name) || (is_dot_safe(name, mode) && quote_char(&[name]).is_none())
    };
    match segment {
        Segment::Child(Selector::Name(name)) if dotted(name) => write!(f, ".{name}"),
        Segment::Child(selector) => write_bracket(f, selector),
        Segment::Descendant(Selector::Name(name)) if dotted(name) => write!(f, "..{name}"),
        Segment::Descendant(Selector::Wildcard) => f.write_str("..*"),
        Segment::Descendant(selector) => {
            f.write_str("..")?;
            write_bracket(f, selector)
        }
        Segment::Function(function) => write!(f, ".{}()", function.name()),
    }
}

/// Writes segments in canonical form, with dot-notation names that read back the same where
/// `mode` applies.
pub(crate) fn write_segments(
    f: &mut fmt::Formatter<'_>,
    segments: &[Segment],
    mode: Mode,
) -> fmt::Result {
    segments
        .iter()
        .try_for_each(|segment| write_segment(f, segment, mode))
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_segment(f, self, Mode::Whole)
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Root::Input => f.write_str("$"),
            Root::Context => f.write_str("$$"),
            Root::Variable(name) => write!(f, "${name}"),
        }
    }
}

impl Path {
    /// Writes the path so that it reads back the same where `mode` applies.
    pub(crate) fn write_in(&self, f: &mut fmt::Formatter<'_>, mode: Mode) -> fmt::Result {
        write!(f, "{}", self.root)?;
        write_segments(f, &self.segments, mode)
    }
}

/// The canonical form: `.name` where the name allows it, otherwise `['name']`; `[*]` for
/// wildcards; filters with single spaces around operators.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_in(f, Mode::Whole)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::filter::{CompareOp, FilterPath, FilterRoot, Literal, Operand};

    fn child(name: &str) -> Segment {
        Segment::Child(Selector::Name(name.to_string()))
    }

    fn parse(text: &str) -> Path {
        match Path::parse(text) {
            Ok(path) => path,
            Err(e) => panic!("{text:?}: {e} at {}", e.offset),
        }
    }

    fn err(text: &str) -> SyntaxError {
        match Path::parse(text) {
            Ok(path) => panic!("{text:?} parsed as {path:?}"),
            Err(e) => e,
        }
    }

    #[track_caller]
    fn assert_err(text: &str, offset: usize, word: &str) {
        let e = err(text);
        assert_eq!(e.offset, offset, "{text:?}: {e}");
        assert!(e.message.contains(word), "{text:?}: {e}");
    }

    #[test]
    fn roots() {
        assert_eq!(
            parse("$"),
            Path {
                root: Root::Input,
                segments: vec![]
            }
        );
        assert_eq!(
            parse("$$"),
            Path {
                root: Root::Context,
                segments: vec![]
            }
        );
        assert_eq!(
            parse("$$.Execution.Id"),
            Path {
                root: Root::Context,
                segments: vec![child("Execution"), child("Id")]
            }
        );
        assert_eq!(
            parse("$myVar.field[0]"),
            Path {
                root: Root::Variable("myVar".into()),
                segments: vec![child("field"), Segment::Child(Selector::Index(0))]
            }
        );
        assert_eq!(
            parse("$constant_str").root,
            Root::Variable("constant_str".into())
        );
        assert_eq!(parse("$café").root, Root::Variable("café".into()));
    }

    #[test]
    fn dot_names() {
        assert_eq!(parse("$.a.b").segments, vec![child("a"), child("b")]);
        assert_eq!(
            parse("$.delivery-partner").segments,
            vec![child("delivery-partner")]
        );
        assert_eq!(
            parse("$.input-foo-bar").segments,
            vec![child("input-foo-bar")]
        );
        assert_eq!(
            parse("$.AWS_STEP_FUNCTIONS").segments,
            vec![child("AWS_STEP_FUNCTIONS")]
        );
        assert_eq!(parse("$.&Ж中").segments, vec![child("&Ж中")]);
        // Jayway takes everything up to `.`, `[`, `(` or whitespace as the name.
        assert_eq!(parse("$.a]b").segments, vec![child("a]b")]);
        assert_eq!(parse("$.store\\").segments, vec![child("store\\")]);
        assert_eq!(parse("$.0").segments, vec![child("0")]);
        assert_eq!(parse("$.length").segments, vec![child("length")]);
    }

    #[test]
    fn brackets() {
        assert_eq!(parse("$['a b']").segments, vec![child("a b")]);
        assert_eq!(parse("$[\"a.b\"]").segments, vec![child("a.b")]);
        assert_eq!(
            parse("$.abc.['def ghi']").segments,
            vec![child("abc"), child("def ghi")]
        );
        assert_eq!(parse("$['store'][0]['book']").segments.len(), 3);
        // Verbatim: backslashes are kept (as recorded from AWS).
        assert_eq!(
            parse(r#"$['Test\""Name"']"#).segments,
            vec![child(r#"Test\""Name""#)]
        );
        assert_eq!(parse(r"$['it\'s']").segments, vec![child(r"it\'s")]);
        assert_eq!(parse("$['']").segments, vec![child("")]);
        assert_eq!(
            parse("$[ 'a' , \"b\" ]").segments,
            vec![Segment::Child(Selector::Names(vec![
                "a".into(),
                "b".into()
            ]))]
        );
        assert_eq!(
            parse("$.books[-2]").segments[1],
            Segment::Child(Selector::Index(-2))
        );
        assert_eq!(
            parse("$[0, 1,2]").segments,
            vec![Segment::Child(Selector::Indexes(vec![0, 1, 2]))]
        );
        assert_eq!(
            parse("$[*]").segments,
            vec![Segment::Child(Selector::Wildcard)]
        );
        assert_eq!(
            parse("$.*").segments,
            vec![Segment::Child(Selector::Wildcard)]
        );
        assert_eq!(
            parse("$[ * ]").segments,
            vec![Segment::Child(Selector::Wildcard)]
        );
        assert_eq!(parse("$[*][*]").segments.len(), 2);
    }

    #[test]
    fn slices() {
        let slice = |start, end| Segment::Child(Selector::Slice { start, end });
        assert_eq!(parse("$[1:3]").segments, vec![slice(Some(1), Some(3))]);
        assert_eq!(parse("$[1:]").segments, vec![slice(Some(1), None)]);
        assert_eq!(parse("$[:1]").segments, vec![slice(None, Some(1))]);
        assert_eq!(parse("$[-3:]").segments, vec![slice(Some(-3), None)]);
        assert_eq!(
            parse("$.items[1:5].itemValue").segments[2],
            child("itemValue")
        );
    }

    #[test]
    fn descendants_and_functions() {
        assert_eq!(
            parse("$..name").segments,
            vec![Segment::Descendant(Selector::Name("name".into()))]
        );
        assert_eq!(
            parse("$..*").segments,
            vec![Segment::Descendant(Selector::Wildcard)]
        );
        assert_eq!(
            parse("$..[0]").segments,
            vec![Segment::Descendant(Selector::Index(0))]
        );
        assert_eq!(
            parse("$..['a b']").segments,
            vec![Segment::Descendant(Selector::Name("a b".into()))]
        );
        assert_eq!(
            parse("$.items.length()").segments,
            vec![child("items"), Segment::Function(PathFunction::Length)]
        );
        assert_eq!(
            parse("$.length()").segments,
            vec![Segment::Function(PathFunction::Length)]
        );
        assert_eq!(
            parse("$[*].price.max( )").segments[2],
            Segment::Function(PathFunction::Max)
        );
    }

    #[test]
    fn filters() {
        let path = parse("$.users[?(@.status == 0)]");
        let Segment::Child(Selector::Filter(expr)) = &path.segments[1] else {
            panic!("{path:?}")
        };
        assert_eq!(
            **expr,
            FilterExpr::Compare {
                left: Operand::Path(FilterPath {
                    root: FilterRoot::Current,
                    segments: vec![child("status")]
                }),
                op: CompareOp::Eq,
                right: Operand::Literal(Literal::Number(0.into())),
            }
        );
        parse("$.a[?(@.price < 10 && @.x == 'a')]");
        parse("$.a[?(@.OutputKey == 'FizzBuzz')].OutputValue");
        parse("$[?(@.a[?(@.b)])]");
        parse("$[ ?( @.a ) ]");
    }

    #[test]
    fn definite() {
        let definite = |path: Path| path.segments.iter().all(Segment::is_definite);
        assert!(definite(parse("$")));
        assert!(definite(parse("$.a['b c'][0][-1]")));
        assert!(definite(parse("$$.Execution.Input")));
        for text in [
            "$.*",
            "$..a",
            "$[0,1]",
            "$['a','b']",
            "$[1:]",
            "$[?(@.a)]",
            "$.a.length()",
        ] {
            assert!(!definite(parse(text)), "{text}");
        }
    }

    #[test]
    fn reference_paths() {
        assert_eq!(parse_reference_path("$.a[0].b"), Ok(parse("$.a[0].b")));
        assert!(parse_reference_path("$$.value").is_ok());
        assert!(parse_reference_path("$foo").is_ok());
        let e = parse_reference_path("$.a[*].b").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("reference path"), "{e}");
        let e = parse_reference_path("$.a..b").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("recursive descent"), "{e}");
        let e = parse_reference_path("$.a[?(@.x)]").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("filter"), "{e}");
        let e = parse_reference_path("$.a[1:2]").unwrap_err();
        assert!(e.message.contains("slice"), "{e}");
        let e = parse_reference_path("$.a.length()").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("function"), "{e}");
        let e = parse_reference_path("$.a[0,1]").unwrap_err();
        assert!(e.message.contains("union"), "{e}");
        assert_eq!(parse_reference_path("..guid").unwrap_err().offset, 0);
    }

    #[test]
    fn start_errors() {
        assert_err("", 0, "empty");
        assert_err(".guid", 0, "must start with `$`");
        assert_err("..guid", 0, "must start with `$`");
        assert_err("()", 0, "found `(`");
        assert_err("bug$.library.movies", 0, "found `b`");
        assert_err(" $.a", 0, "whitespace");
        assert_err("@.a", 0, "inside a filter");
        assert_err("States.Format('{}', 1)", 0, "starting with `$`");
    }

    #[test]
    fn segment_errors() {
        assert_err("$...", 3, "after `..`, found `.`");
        assert_err(
            "$.",
            2,
            "expected a field name after `.`, found the end of the path",
        );
        assert_err("$..", 3, "after `..`");
        assert_err("$.a.", 4, "field name");
        assert_err("$.a. b", 4, "field name after `.`, found a space");
        assert_eq!(parse("$.a.]").segments, vec![child("a"), child("]")]);
        assert_err("$$23", 2, "after `$$`, found `2`");
        assert_err("$_x", 1, "variable name must start with a letter");
        assert_err("$1", 1, "variable name");
        assert_err("$-", 1, "after `$`, found `-`");
        assert_err("$x-y", 2, "after `$x`, found `-`");
        assert_err(&format!("${}", "v".repeat(81)), 1, "at most 80");
        assert_err("$.a b", 3, "bracket notation");
        assert_err("$.a ", 3, "at the end");
        assert_err("$[0]b", 4, "after `]`, found `b`");
        assert_err("$[*]x", 4, "after `]`");
        assert_err("$.a(", 2, "unknown path function `a()`");
        assert_err("$.foo()", 2, "length()");
        assert_err("$.length(1)", 9, "no arguments");
        assert_err("$.length().a", 10, "must end the path");
        assert_err("$..length()", 3, "single `.`");
    }

    #[test]
    fn bracket_errors() {
        assert_err("$[", 2, "found the end of the path");
        assert_err("$[]", 2, "found `]`");
        assert_err("$[abc]", 2, "quote field names: `['abc']`");
        assert_err("$['abc]", 2, "no closing `'`");
        assert_err("$['a\\']", 2, "no closing");
        assert_err("$['a' 'b']", 6, "`,` or `]`");
        assert_err("$['a',]", 6, "quoted field name");
        assert_err("$[0", 3, "`,`, `:` or `]`");
        assert_err("$[0,]", 4, "an index after `,`");
        assert_err("$[1a]", 3, "found `a`");
        assert_err("$[-]", 3, "digit");
        assert_err("$[9999999999]", 2, "out of range");
        assert_err("$[:]", 1, "needs a start or an end");
        assert_err("$[::2]", 3, "no slice step");
        assert_err("$[0:3:2]", 5, "no slice step");
        assert_err("$[(@.length*2)].bar", 1, "script expressions");
        assert_eq!(
            Path::parse("$.a[(@.length-2)]").unwrap().to_string(),
            Path::parse("$.a[-2]").unwrap().to_string()
        );
        assert_err("$[*", 3, "`]`");
        assert_err("$[?@.a]", 3, "`(` after `[?`");
        assert_err("$[?(@.a]", 7, "`&&`, `||` or `)`");
        assert_err("$[?(@.a)", 8, "`]` to close");
    }

    #[test]
    fn display_is_canonical() {
        for (text, canonical) in [
            ("$", "$"),
            ("$$", "$$"),
            ("$v", "$v"),
            ("$.a.b", "$.a.b"),
            ("$['a']", "$.a"),
            ("$['a b']", "$['a b']"),
            ("$[\"it's\"]", "$[\"it's\"]"),
            (r"$['it\'s']", r"$['it\'s']"),
            ("$.*", "$[*]"),
            ("$[ 'a' , 'b' ]", "$['a','b']"),
            ("$[0, 1]", "$[0,1]"),
            ("$[1:]", "$[1:]"),
            ("$[:-1]", "$[:-1]"),
            ("$..*", "$..*"),
            ("$..['a b']", "$..['a b']"),
            ("$..[0]", "$..[0]"),
            ("$.a.length()", "$.a.length()"),
            ("$.a]b", "$['a]b']"),
            ("$[?(@.a<1&&@.b=='x')]", "$[?(@.a < 1 && @.b == 'x')]"),
        ] {
            let path = parse(text);
            assert_eq!(path.to_string(), canonical, "{text}");
            assert_eq!(parse(canonical), path, "{canonical}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("$[?({}", "(".repeat(100_000));
        let e = err(&text);
        assert!(e.message.contains("nested too deeply"), "{e}");
        let text = format!("$[?(@{})]", "[?(@".repeat(100_000));
        let e = err(&text);
        assert!(e.message.contains("nested too deeply"), "{e}");
        let text = format!("$[?({}@.a)]", "!".repeat(100_000));
        assert!(err(&text).message.contains("nested too deeply"));
        let text = format!("$[?(@.a in {})]", "[".repeat(100_000));
        assert!(err(&text).message.contains("nested too deeply"));
    }

    #[test]
    fn long_chains_do_not_nest() {
        let text = format!("$[?(@.a{})]", " || @.a".repeat(20_000));
        let path = parse(&text);
        assert_eq!(Path::parse(&path.to_string()), Ok(path));
        let text = format!("$.a{}", ".b".repeat(50_000));
        assert_eq!(parse(&text).segments.len(), 50_001);
    }

    pub(crate) mod prop {
        use super::*;
        use proptest::prelude::*;

        /// Dot-notation names that are valid in every context.
        fn name() -> impl Strategy<Value = String> {
            prop_oneof!["[a-z]{1,3}", "[a-zA-Z0-9_'é-]{1,4}"]
        }

        /// A quoted name, any characters.
        fn quoted() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z .,()\\]\\[\"$@]{0,4}".prop_map(|s| format!("'{s}'")),
                "[a-z .,'\\]]{0,4}".prop_map(|s| format!("\"{s}\"")),
                Just(r"'a\'b'".to_string()),
                Just(r"'a\\'".to_string()),
            ]
        }

        fn number() -> impl Strategy<Value = String> {
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?([eE]-?[1-9])?"
        }

        fn literal() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z '\\\\\"]{0,4}"
                    .prop_map(|s| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))),
                "[a-z ']{0,4}".prop_map(|s| format!("\"{s}\"")),
                number(),
                Just("true".to_string()),
                Just("false".to_string()),
                Just("null".to_string()),
                Just("['a', 1, {\"k\": [null, -2.5]}]".to_string()),
                Just("[]".to_string()),
                Just("{}".to_string()),
            ]
        }

        /// Segments without filters.
        fn simple_segment() -> impl Strategy<Value = String> {
            prop_oneof![
                name().prop_map(|n| format!(".{n}")),
                quoted().prop_map(|q| format!("[{q}]")),
                (quoted(), quoted()).prop_map(|(a, b)| format!("[{a}, {b}]")),
                "-?[0-9]{1,2}".prop_map(|i| format!("[{i}]")),
                Just("[*]".to_string()),
                Just(".*".to_string()),
                Just("[1:2]".to_string()),
                Just("[:3]".to_string()),
                Just("[-1:]".to_string()),
                Just("[ 0 , 1 ]".to_string()),
                name().prop_map(|n| format!("..{n}")),
                Just("..*".to_string()),
                Just("..[0]".to_string()),
            ]
        }

        fn simple_segments() -> impl Strategy<Value = String> {
            proptest::collection::vec(simple_segment(), 0..3).prop_map(|v| v.concat())
        }

        fn operator() -> impl Strategy<Value = &'static str> {
            proptest::sample::select(vec![
                "==", "!=", "<", "<=", ">", ">=", "in", "NIN", "subsetof", "anyof", "noneof",
                "size", "empty",
            ])
        }

        /// Filter expressions (the text inside `[?(...)]`).
        pub(crate) fn filter_expr() -> impl Strategy<Value = String> {
            let operand = prop_oneof![
                simple_segments().prop_map(|s| format!("@{s}")),
                simple_segments().prop_map(|s| format!("$.x{s}")),
                simple_segments().prop_map(|s| format!("$v{s}")),
                literal(),
            ];
            let leaf = prop_oneof![
                (operand.clone(), operator(), operand).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
                simple_segments().prop_map(|s| format!("@{s}")),
                simple_segments().prop_map(|s| format!("!@{s}")),
                Just("@.r =~ /a\\/.c/i".to_string()),
                Just("@.length() > 1".to_string()),
            ];
            leaf.prop_recursive(3, 12, 2, |inner| {
                prop_oneof![
                    (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
                    (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}||{b}")),
                    inner.clone().prop_map(|a| format!("!({a})")),
                    inner.clone().prop_map(|a| format!("( {a} )")),
                    inner.prop_map(|a| format!("@.x[?({a})] == 1")),
                ]
            })
        }

        fn segment() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => simple_segment(),
                1 => filter_expr().prop_map(|e| format!("[?({e})]")),
            ]
        }

        /// Valid paths.
        pub(crate) fn valid_path() -> impl Strategy<Value = String> {
            (
                proptest::sample::select(vec!["$", "$$", "$v", "$café"]),
                proptest::collection::vec(segment(), 0..5),
                proptest::sample::select(vec!["", "", "", ".length()", ".max()"]),
            )
                .prop_map(|(root, segments, function)| {
                    format!("{root}{}{function}", segments.concat())
                })
        }

        /// `text` with one character removed, inserted or replaced, or cut short.
        pub(crate) fn mutate(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
            let chars = proptest::sample::select(vec![
                '$', '.', '[', ']', '(', ')', '\'', '"', '\\', '?', '@', '*', ':', ',', '!', '=',
                '<', '&', '|', ' ', 'a', '1', '-', '{', '}', '/', 'é',
            ]);
            (text, any::<proptest::sample::Index>(), chars, 0..4u8).prop_map(
                |(text, at, c, how)| {
                    let boundaries: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    let i = boundaries[at.index(boundaries.len())];
                    let mut out = text.clone();
                    match how {
                        0 if i < text.len() => {
                            out.remove(i);
                        }
                        1 => out.insert(i, c),
                        2 if i < text.len() => {
                            out.remove(i);
                            out.insert(i, c);
                        }
                        _ => out.truncate(i),
                    }
                    out
                },
            )
        }

        fn check(text: &str) {
            match Path::parse(text) {
                Ok(path) => {
                    let shown = path.to_string();
                    assert_eq!(
                        Path::parse(&shown).as_ref(),
                        Ok(&path),
                        "{text:?} -> {shown:?}"
                    );
                }
                Err(e) => {
                    assert!(e.offset <= text.len(), "{text:?}: {e:?}");
                    assert!(text.is_char_boundary(e.offset), "{text:?}: {e:?}");
                }
            }
            let _ = parse_reference_path(text);
        }

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
                check(&text);
            }

            #[test]
            fn valid_paths_parse_and_round_trip(text in valid_path()) {
                let path = match Path::parse(&text) {
                    Ok(path) => path,
                    Err(e) => panic!("{text:?}: {e} at {}", e.offset),
                };
                let shown = path.to_string();
                prop_assert_eq!(Path::parse(&shown), Ok(path), "{:?} -> {:?}", text, shown);
            }

            #[test]
            fn mutated_paths_never_panic(text in mutate(valid_path())) {
                check(&text);
            }

            #[test]
            fn path_like_text_never_panics(
                text in "\\$[$.\\[\\]()'\"?*:,!=<>~&|@ /\\\\a-c0-2-]{0,200}",
            ) {
                check(&text);
            }

            #[test]
            fn filter_like_text_never_panics(
                text in "\\$\\[\\?\\((@|\\$|[.\\[\\]()'\"*:,!=<>~&| 0-9a-z/{}\\\\-]|in|nin|true|null){0,60}",
            ) {
                check(&text);
            }
        }
    }
}
