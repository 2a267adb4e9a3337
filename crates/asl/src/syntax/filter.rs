//! Filter expressions: the `...` of `[?(...)]` in a path.
//!
//! The grammar follows Jayway JSONPath, which Step Functions uses: operands are paths relative to
//! the current node (`@`, `@.price`, `@['a b']`) or to a root (`$.limit`, `$$.Execution.Id`,
//! `$var`), literals (`'text'` or `"text"`, numbers, `true`, `false`, `null`, JSON arrays and
//! objects, regular expressions `/.../` with an optional `i` flag); comparisons `==`, `!=`, `<`,
//! `<=`, `>`, `>=`, `=~` and Jayway's word operators `in`, `nin`, `subsetof`, `anyof`, `noneof`,
//! `size`, `empty` (any letter case); a path alone tests that it exists; `!`, `&&`, `||` and
//! parentheses combine tests, with `!` binding tightest and `||` loosest.

use std::fmt;

use serde_json::{Map, Number, Value};

use super::SyntaxError;
use super::cursor::Cursor;
use super::path::{Mode, Root, Segment, write_segments};

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FilterExpr {
    /// `a || b || …` (two or more operands).
    Or(Vec<FilterExpr>),
    /// `a && b && …` (two or more operands).
    And(Vec<FilterExpr>),
    /// `!a`.
    Not(Box<FilterExpr>),
    /// A path alone: true when it selects something.
    Exists(FilterPath),
    /// `left op right`.
    Compare {
        left: Operand,
        op: CompareOp,
        right: Operand,
    },
}

/// A path inside a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterPath {
    pub root: FilterRoot,
    pub segments: Vec<Segment>,
}

/// Where a path inside a filter starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum FilterRoot {
    /// `@`: the element being tested.
    Current,
    /// `$`, `$$` or `$name`.
    Root(Root),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(FilterPath),
    Literal(Literal),
}

/// A literal value in a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    /// `'text'` or `"text"`, escapes decoded.
    String(String),
    Number(Number),
    Bool(bool),
    Null,
    /// `[...]` or `{...}` (strings in either kind of quotes).
    Json(Value),
    /// `/pattern/` or `/pattern/i`; `pattern` is the text between the slashes, unchanged.
    Regex {
        pattern: String,
        case_insensitive: bool,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~`: the left side matches the regular expression on the right.
    Regex,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    /// `size`: the left side (string or array) has the length on the right.
    Size,
    /// `empty`: the left side's emptiness equals the boolean on the right.
    Empty,
}

impl CompareOp {
    pub(crate) const ALL: [CompareOp; 14] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Regex,
        CompareOp::In,
        CompareOp::Nin,
        CompareOp::SubsetOf,
        CompareOp::AnyOf,
        CompareOp::NoneOf,
        CompareOp::Size,
        CompareOp::Empty,
    ];

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Regex => "=~",
            CompareOp::In => "in",
            CompareOp::Nin => "nin",
            CompareOp::SubsetOf => "subsetof",
            CompareOp::AnyOf => "anyof",
            CompareOp::NoneOf => "noneof",
            CompareOp::Size => "size",
            CompareOp::Empty => "empty",
        }
    }

    fn is_word(self) -> bool {
        self.symbol().starts_with(|c: char| c.is_ascii_alphabetic())
    }
}

fn operator_list() -> String {
    let symbols: Vec<String> = CompareOp::ALL
        .iter()
        .map(|op| format!("`{}`", op.symbol()))
        .collect();
    symbols.join(", ")
}

impl Cursor<'_> {
    /// Parses `a || b || …`.
    pub(crate) fn parse_filter_or(&mut self) -> Result<FilterExpr, SyntaxError> {
        let mut items = vec![self.parse_filter_and()?];
        loop {
            self.skip_ws();
            if !self.eat_str("||") {
                break;
            }
            items.push(self.parse_filter_and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            FilterExpr::Or(items)
        })
    }

    fn parse_filter_and(&mut self) -> Result<FilterExpr, SyntaxError> {
        let mut items = vec![self.parse_filter_unary()?];
        loop {
            self.skip_ws();
            if !self.eat_str("&&") {
                break;
            }
            items.push(self.parse_filter_unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            FilterExpr::And(items)
        })
    }

    fn parse_filter_unary(&mut self) -> Result<FilterExpr, SyntaxError> {
        self.skip_ws();
        let at = self.pos;
        match self.peek() {
            Some('!') if self.peek_second() != Some('=') => {
                self.enter(at)?;
                self.bump();
                let inner = self.parse_filter_unary()?;
                self.leave();
                Ok(FilterExpr::Not(Box::new(inner)))
            }
            Some('(') => {
                self.enter(at)?;
                self.bump();
                let inner = self.parse_filter_or()?;
                self.skip_ws();
                if !self.eat(')') {
                    return Err(self.expected("`&&`, `||` or `)`"));
                }
                self.leave();
                Ok(inner)
            }
            _ => self.parse_comparison(),
        }
    }

    fn parse_comparison(&mut self) -> Result<FilterExpr, SyntaxError> {
        let left = self.parse_operand()?;
        self.skip_ws();
        let op_at = self.pos;
        let Some(op) = self.parse_compare_op()? else {
            return match left {
                Operand::Path(path) => Ok(FilterExpr::Exists(path)),
                Operand::Literal(_) => Err(self.expected(&format!(
                    "a comparison operator ({}) after the value",
                    operator_list()
                ))),
            };
        };
        self.skip_ws();
        let right_at = self.pos;
        let right = self.parse_operand()?;
        let is_regex = |o: &Operand| matches!(o, Operand::Literal(Literal::Regex { .. }));
        if op == CompareOp::Regex && !is_regex(&left) && !is_regex(&right) {
            return Err(self.error(
                right_at,
                "`=~` needs a regular expression literal such as `/^abc/` or `/abc/i`",
            ));
        }
        debug_assert!(op_at < right_at);
        Ok(FilterExpr::Compare { left, op, right })
    }

    /// Reads a comparison operator, or nothing when the next character cannot start one.
    fn parse_compare_op(&mut self) -> Result<Option<CompareOp>, SyntaxError> {
        let at = self.pos;
        for (wrong, right) in [("===", "=="), ("!==", "!=")] {
            if self.rest().starts_with(wrong) {
                return Err(self.error(at, format!("`{wrong}` is not supported; use `{right}`")));
            }
        }
        for op in [
            CompareOp::Eq,
            CompareOp::Ne,
            CompareOp::Le,
            CompareOp::Ge,
            CompareOp::Regex,
            CompareOp::Lt,
            CompareOp::Gt,
        ] {
            if self.eat_str(op.symbol()) {
                return Ok(Some(op));
            }
        }
        if self.peek() == Some('=') {
            return Err(self.error(at, "use `==` to compare; `=` alone is not an operator"));
        }
        if !self.peek().is_some_and(|c| c.is_alphabetic()) {
            return Ok(None);
        }
        let word = self.take_while(|c| c.is_alphanumeric() || c == '_');
        match CompareOp::ALL
            .into_iter()
            .find(|op| op.is_word() && op.symbol().eq_ignore_ascii_case(word))
        {
            Some(op) => Ok(Some(op)),
            None => Err(self.error(
                at,
                format!(
                    "expected a comparison operator ({}), `&&`, `||` or `)`, found `{word}`",
                    operator_list()
                ),
            )),
        }
    }

    fn parse_operand(&mut self) -> Result<Operand, SyntaxError> {
        self.skip_ws();
        let at = self.pos;
        let literal = match self.peek() {
            Some('@') => {
                self.bump();
                let (segments, _) = self.parse_segments(Mode::Filter, "`@`".to_string())?;
                return Ok(Operand::Path(FilterPath {
                    root: FilterRoot::Current,
                    segments,
                }));
            }
            Some('$') => {
                let (path, _) = self.parse_path(Mode::Filter)?;
                return Ok(Operand::Path(FilterPath {
                    root: FilterRoot::Root(path.root),
                    segments: path.segments,
                }));
            }
            Some('\'' | '"') => Literal::String(self.read_escaped_string()?),
            Some(c) if c == '-' || c.is_ascii_digit() => Literal::Number(self.read_number()?),
            Some('[' | '{') => Literal::Json(self.read_json()?),
            Some('/') => self.read_regex()?,
            Some(c) if c.is_alphabetic() => {
                let word = self.take_while(|c| c.is_alphanumeric() || c == '_');
                match word {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    _ => {
                        return Err(self.error(
                            at,
                            format!(
                                "expected a value, found `{word}`; quote strings, e.g. '{word}'"
                            ),
                        ));
                    }
                }
            }
            _ => {
                return Err(self.expected(
                    "a value (`@…`, `$…`, a quoted string, a number, true, false, null, a JSON array or a /regex/)",
                ));
            }
        };
        Ok(Operand::Literal(literal))
    }

    /// Reads a quoted string, decoding `\\`, `\'`, `\"`, `\n`, `\t`, `\r`, `\b`, `\f`, `\/` and
    /// `\uXXXX`; any other escaped character stands for itself.
    fn read_escaped_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        let quote = self.bump().unwrap_or('\'');
        let mut out = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.error(open, format!("this string has no closing `{quote}`")));
            };
            if c == quote {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let escape_at = self.pos - 1;
            match self.bump() {
                None => {
                    return Err(self.error(open, format!("this string has no closing `{quote}`")));
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some('u') => out.push(self.read_unicode_escape(escape_at)?),
                Some(other) => out.push(other),
            }
        }
    }

    /// After `\u`: four hex digits, and a second `\uXXXX` for a surrogate pair.
    fn read_unicode_escape(&mut self, escape_at: usize) -> Result<char, SyntaxError> {
        let invalid = |cursor: &Self| {
            cursor.error(
                escape_at,
                "invalid `\\u` escape: expected four hex digits of a valid character",
            )
        };
        let first = self.read_hex4().ok_or_else(|| invalid(self))?;
        if (0xD800..0xDC00).contains(&first) {
            if !self.eat_str("\\u") {
                return Err(invalid(self));
            }
            let second = self.read_hex4().ok_or_else(|| invalid(self))?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(invalid(self));
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return char::from_u32(code).ok_or_else(|| invalid(self));
        }
        char::from_u32(first).ok_or_else(|| invalid(self))
    }

    fn read_hex4(&mut self) -> Option<u32> {
        let hex = self.rest().get(..4)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(hex, 16).ok()
    }

    fn read_regex(&mut self) -> Result<Literal, SyntaxError> {
        let open = self.pos;
        self.bump();
        let start = self.pos;
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(open, "this regular expression has no closing `/`"));
                }
                Some('\\') => {
                    if self.bump().is_none() {
                        return Err(self.error(open, "this regular expression has no closing `/`"));
                    }
                }
                Some('/') => break,
                Some(_) => {}
            }
        }
        let pattern = self.src[start..self.pos - 1].to_string();
        let case_insensitive = self.eat('i');
        if let Some(flag) = self.peek().filter(|c| c.is_alphanumeric()) {
            return Err(self.error(
                self.pos,
                format!("unsupported regular expression flag `{flag}`; only `i` is supported"),
            ));
        }
        Ok(Literal::Regex {
            pattern,
            case_insensitive,
        })
    }

    /// Reads a JSON value, accepting strings in single quotes too (as Jayway does).
    fn read_json(&mut self) -> Result<Value, SyntaxError> {
        self.skip_ws();
        let at = self.pos;
        match self.peek() {
            Some('[') => {
                self.enter(at)?;
                self.bump();
                let mut items = Vec::new();
                self.skip_ws();
                if !self.eat(']') {
                    loop {
                        items.push(self.read_json()?);
                        self.skip_ws();
                        if self.eat(']') {
                            break;
                        }
                        if !self.eat(',') {
                            return Err(self.expected("`,` or `]` in the array"));
                        }
                    }
                }
                self.leave();
                Ok(Value::Array(items))
            }
            Some('{') => {
                self.enter(at)?;
                self.bump();
                let mut map = Map::new();
                self.skip_ws();
                if !self.eat('}') {
                    loop {
                        self.skip_ws();
                        if !matches!(self.peek(), Some('\'' | '"')) {
                            return Err(self.expected("a quoted key in the object"));
                        }
                        let key = self.read_escaped_string()?;
                        self.skip_ws();
                        if !self.eat(':') {
                            return Err(self.expected("`:` after the key"));
                        }
                        let value = self.read_json()?;
                        map.insert(key, value);
                        self.skip_ws();
                        if self.eat('}') {
                            break;
                        }
                        if !self.eat(',') {
                            return Err(self.expected("`,` or `}` in the object"));
                        }
                    }
                }
                self.leave();
                Ok(Value::Object(map))
            }
            Some('\'' | '"') => Ok(Value::String(self.read_escaped_string()?)),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok(Value::Number(self.read_number()?)),
            Some(c) if c.is_alphabetic() => {
                let word = self.take_while(|c| c.is_alphanumeric() || c == '_');
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" => Ok(Value::Null),
                    _ => Err(self.error(
                        at,
                        format!(
                            "expected a JSON value, found `{word}`; quote strings, e.g. '{word}'"
                        ),
                    )),
                }
            }
            _ => Err(self.expected("a JSON value")),
        }
    }
}

impl fmt::Display for FilterPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            FilterRoot::Current => f.write_str("@")?,
            FilterRoot::Root(root) => write!(f, "{root}")?,
        }
        write_segments(f, &self.segments, Mode::Filter)
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(text) => write_single_quoted(f, text),
            Literal::Number(number) => write!(f, "{number}"),
            Literal::Bool(value) => write!(f, "{value}"),
            Literal::Null => f.write_str("null"),
            Literal::Json(value) => write!(f, "{value}"),
            Literal::Regex {
                pattern,
                case_insensitive,
            } => {
                write!(f, "/{pattern}/{}", if *case_insensitive { "i" } else { "" })
            }
        }
    }
}

fn write_single_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("'")?;
    for c in text.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\'' => f.write_str("\\'")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("'")
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Path(path) => write!(f, "{path}"),
            Operand::Literal(literal) => write!(f, "{literal}"),
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Canonical form: single spaces around `==`, `&&`, `||`; parentheses only where the structure
/// needs them.
impl fmt::Display for FilterExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, items: &[FilterExpr], sep: &str, and: bool| {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                let wrap = matches!(item, FilterExpr::Or(_))
                    || (and && matches!(item, FilterExpr::And(_)));
                if wrap {
                    write!(f, "({item})")?;
                } else {
                    write!(f, "{item}")?;
                }
            }
            Ok(())
        };
        match self {
            FilterExpr::Or(items) => list(f, items, " || ", false),
            FilterExpr::And(items) => list(f, items, " && ", true),
            FilterExpr::Not(inner) => match inner.as_ref() {
                FilterExpr::Exists(path) => write!(f, "!{path}"),
                other => write!(f, "!({other})"),
            },
            FilterExpr::Exists(path) => write!(f, "{path}"),
            FilterExpr::Compare { left, op, right } => write!(f, "{left} {op} {right}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::path::{Path, Selector};

    fn filter(text: &str) -> FilterExpr {
        let whole = format!("$[?({text})]");
        match Path::parse(&whole) {
            Ok(mut path) => match path.segments.pop() {
                Some(Segment::Child(Selector::Filter(expr))) => *expr,
                other => panic!("{other:?}"),
            },
            Err(e) => panic!("{whole:?}: {e} at {}", e.offset),
        }
    }

    /// The error for a filter, with the offset counted from the start of the filter text.
    fn filter_err(text: &str) -> SyntaxError {
        let whole = format!("$[?({text})]");
        match Path::parse(&whole) {
            Ok(path) => panic!("{whole:?} parsed as {path:?}"),
            Err(e) => SyntaxError {
                offset: e.offset - 4,
                message: e.message,
            },
        }
    }

    #[track_caller]
    fn assert_filter_err(text: &str, offset: usize, word: &str) {
        let e = filter_err(text);
        assert_eq!(e.offset, offset, "{text:?}: {e}");
        assert!(e.message.contains(word), "{text:?}: {e}");
    }

    fn current(names: &[&str]) -> FilterPath {
        FilterPath {
            root: FilterRoot::Current,
            segments: names
                .iter()
                .map(|n| Segment::Child(Selector::Name(n.to_string())))
                .collect(),
        }
    }

    fn at(names: &[&str]) -> Operand {
        Operand::Path(current(names))
    }

    fn lit(literal: Literal) -> Operand {
        Operand::Literal(literal)
    }

    fn cmp(left: Operand, op: CompareOp, right: Operand) -> FilterExpr {
        FilterExpr::Compare { left, op, right }
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            filter("@.price < 10"),
            cmp(
                at(&["price"]),
                CompareOp::Lt,
                lit(Literal::Number(10.into()))
            )
        );
        assert_eq!(
            filter("@.a=='x'"),
            cmp(at(&["a"]), CompareOp::Eq, lit(Literal::String("x".into())))
        );
        assert_eq!(
            filter("@.a != \"x y\""),
            cmp(
                at(&["a"]),
                CompareOp::Ne,
                lit(Literal::String("x y".into()))
            )
        );
        assert_eq!(
            filter("@.a >= -1.5"),
            cmp(
                at(&["a"]),
                CompareOp::Ge,
                lit(Literal::Number(Number::from_f64(-1.5).unwrap()))
            )
        );
        assert_eq!(
            filter("@.a <= $.max"),
            cmp(
                at(&["a"]),
                CompareOp::Le,
                Operand::Path(FilterPath {
                    root: FilterRoot::Root(Root::Input),
                    segments: vec![Segment::Child(Selector::Name("max".into()))]
                })
            )
        );
        assert_eq!(
            filter("@ > 1"),
            cmp(at(&[]), CompareOp::Gt, lit(Literal::Number(1.into())))
        );
        assert_eq!(
            filter("@.a == true"),
            cmp(at(&["a"]), CompareOp::Eq, lit(Literal::Bool(true)))
        );
        assert_eq!(
            filter("@.a == null"),
            cmp(at(&["a"]), CompareOp::Eq, lit(Literal::Null))
        );
        assert_eq!(
            filter("@.name =~ /^a.*\\/b/i"),
            cmp(
                at(&["name"]),
                CompareOp::Regex,
                lit(Literal::Regex {
                    pattern: "^a.*\\/b".into(),
                    case_insensitive: true
                })
            )
        );
        assert_eq!(
            filter("@.size IN ['S', \"M\"]"),
            cmp(
                at(&["size"]),
                CompareOp::In,
                lit(Literal::Json(serde_json::json!(["S", "M"])))
            )
        );
        assert_eq!(
            filter("@.tags anyof [1, {'a': [true, null]}]"),
            cmp(
                at(&["tags"]),
                CompareOp::AnyOf,
                lit(Literal::Json(serde_json::json!([1, {"a": [true, null]}])))
            )
        );
        assert_eq!(
            filter("@.tags size 2"),
            cmp(
                at(&["tags"]),
                CompareOp::Size,
                lit(Literal::Number(2.into()))
            )
        );
        assert_eq!(
            filter("@.tags empty false"),
            cmp(at(&["tags"]), CompareOp::Empty, lit(Literal::Bool(false)))
        );
        assert_eq!(
            filter("@.s == 'it\\'s \\u00e9\\n'"),
            cmp(
                at(&["s"]),
                CompareOp::Eq,
                lit(Literal::String("it's é\n".into()))
            )
        );
        assert_eq!(
            filter("@['a b'].length() > 2"),
            cmp(
                Operand::Path(FilterPath {
                    root: FilterRoot::Current,
                    segments: vec![
                        Segment::Child(Selector::Name("a b".into())),
                        Segment::Function(crate::syntax::PathFunction::Length)
                    ]
                }),
                CompareOp::Gt,
                lit(Literal::Number(2.into()))
            )
        );
        assert!(matches!(
            filter("$var.x == @.y"),
            FilterExpr::Compare { .. }
        ));
    }

    #[test]
    fn logic() {
        let a = || FilterExpr::Exists(current(&["a"]));
        let b = || FilterExpr::Exists(current(&["b"]));
        let c = || FilterExpr::Exists(current(&["c"]));
        assert_eq!(filter("@.a"), a());
        assert_eq!(filter("!@.a"), FilterExpr::Not(Box::new(a())));
        assert_eq!(
            filter("@.a && @.b || @.c"),
            FilterExpr::Or(vec![FilterExpr::And(vec![a(), b()]), c()])
        );
        assert_eq!(
            filter("@.a || @.b && @.c"),
            FilterExpr::Or(vec![a(), FilterExpr::And(vec![b(), c()])])
        );
        assert_eq!(
            filter("(@.a || @.b) && @.c"),
            FilterExpr::And(vec![FilterExpr::Or(vec![a(), b()]), c()])
        );
        assert_eq!(filter("((@.a))"), a());
        assert_eq!(
            filter("!(@.a && @.b)"),
            FilterExpr::Not(Box::new(FilterExpr::And(vec![a(), b()])))
        );
        assert_eq!(
            filter("@.price < 10 && @.x == 'a'"),
            FilterExpr::And(vec![
                cmp(
                    at(&["price"]),
                    CompareOp::Lt,
                    lit(Literal::Number(10.into()))
                ),
                cmp(at(&["x"]), CompareOp::Eq, lit(Literal::String("a".into()))),
            ])
        );
    }

    #[test]
    fn errors() {
        assert_filter_err(
            "@.OutputKey == FizzBuzz",
            15,
            "quote strings, e.g. 'FizzBuzz'",
        );
        assert_filter_err("@.a = 1", 4, "use `==`");
        assert_filter_err("@.a === 1", 4, "`===`");
        assert_filter_err("@.a foo 1", 4, "found `foo`");
        assert_filter_err("@.a ==", 6, "expected a value");
        assert_filter_err("1", 1, "comparison operator");
        assert_filter_err("@.a =~ 'x'", 7, "regular expression literal");
        assert_filter_err("@.a == 'x", 7, "no closing `'`");
        assert_filter_err("@.a =~ /x", 7, "no closing `/`");
        assert_filter_err("@.a =~ /x/g", 10, "flag `g`");
        assert_filter_err("@.a in [1 2]", 10, "`,` or `]`");
        assert_filter_err("@.a in {a: 1}", 8, "quoted key");
        assert_filter_err("@.a == '\\u12'", 8, "`\\u` escape");
        assert_filter_err("@.a && ", 7, "expected a value");
        assert_filter_err("(@.a", 5, "`&&`, `||` or `)`");
        assert_filter_err("@a", 1, "after `@`, found `a`");
        assert_filter_err("@.a == 01", 7, "cannot start with `0`");
        assert_filter_err("@.a == 1e999", 7, "out of range");
    }

    #[test]
    fn display_round_trips() {
        for (text, shown) in [
            ("@.a", "@.a"),
            ("!@.a", "!@.a"),
            ("!(@.a==1)", "!(@.a == 1)"),
            ("@.a&&@.b||@.c", "@.a && @.b || @.c"),
            ("(@.a||@.b)&&@.c", "(@.a || @.b) && @.c"),
            ("(@.a||@.b)||@.c", "(@.a || @.b) || @.c"),
            ("@.a IN ['x',\"y\"]", "@.a in [\"x\",\"y\"]"),
            ("@.s == 'it\\'s'", "@.s == 'it\\'s'"),
            ("@.r =~ /a\\/b/i", "@.r =~ /a\\/b/i"),
            ("@['a b'] == $$.x", "@['a b'] == $$.x"),
            ("@.n == -0.5", "@.n == -0.5"),
        ] {
            let expr = filter(text);
            assert_eq!(expr.to_string(), shown, "{text}");
            assert_eq!(filter(shown), expr, "{shown}");
        }
    }
}
