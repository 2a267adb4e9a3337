//! Intrinsic function calls, e.g. `States.Format('Hello {}', $.name)`.
//!
//! Grammar (ASL spec, "Intrinsic Functions"): a name made of `A-Z a-z 0-9 . _`, immediately
//! followed by `(`, zero or more comma-separated arguments and `)`. Arguments are strings in
//! single quotes, numbers, `true`, `false`, `null`, paths (`$.x`, `$$.Execution.Id`, `$var.x`)
//! and nested calls; spaces may surround arguments. In strings the characters `'`, `{`, `}` and
//! `\` are escaped with a backslash; any other backslash is an error (the spec calls it an "open
//! escape" and makes it a run-time error). Unescaped `{}` in the template of `States.Format` is a
//! placeholder.
//!
//! Static checks beyond the grammar, from the AWS documentation of each function: the known
//! function names and their number of arguments, at most 10 levels of nested calls, and the types
//! of literal arguments (paths and nested calls are only known at run time).

use std::fmt;

use serde_json::Number;

use super::SyntaxError;
use super::cursor::{Cursor, abbreviate, is_blank};
use super::path::{Mode, Path};
use crate::suggest::edit_distance;

/// An intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub function: Function,
    pub args: Vec<Arg>,
    /// Byte offset of the function name in the parsed string.
    pub offset: usize,
    /// For `States.Format` whose first argument is a string literal: that template split into
    /// text and `{}` placeholders (an escaped `\{` or `\}` is text). `None` otherwise.
    pub template: Option<Vec<FormatPart>>,
}

/// An argument of an intrinsic function.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    /// A string literal, escapes decoded.
    String(String),
    Number(Number),
    Bool(bool),
    Null,
    Path(Path),
    Call(Call),
}

/// A piece of a `States.Format` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormatPart {
    Text(String),
    /// `{}`.
    Placeholder,
}

/// The intrinsic functions of Step Functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

/// Step Functions allows at most this many levels of nested intrinsic functions in a field.
pub(crate) const MAX_CALL_DEPTH: usize = 10;

/// The algorithms `States.Hash` accepts.
pub(crate) const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// The most items `States.ArrayRange` may produce.
pub(crate) const MAX_ARRAY_RANGE_ITEMS: i128 = 1000;

/// The longest string `States.Base64Encode` and `States.Base64Decode` accept, in characters.
pub(crate) const MAX_BASE64_INPUT_CHARS: usize = 10_000;

impl Function {
    pub(crate) const ALL: [Function; 18] = [
        Function::Format,
        Function::StringToJson,
        Function::JsonToString,
        Function::Array,
        Function::ArrayPartition,
        Function::ArrayContains,
        Function::ArrayRange,
        Function::ArrayGetItem,
        Function::ArrayLength,
        Function::ArrayUnique,
        Function::Base64Encode,
        Function::Base64Decode,
        Function::Hash,
        Function::JsonMerge,
        Function::MathRandom,
        Function::MathAdd,
        Function::StringSplit,
        Function::Uuid,
    ];

    /// The full name, e.g. `States.Format`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The function with this exact (case-sensitive) name.
    pub(crate) fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The least and (if bounded) the most number of arguments.
    pub(crate) fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Format => (1, None),
            Function::Array => (0, None),
            Function::Uuid => (0, Some(0)),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, Some(1)),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, Some(2)),
            Function::MathRandom => (2, Some(3)),
            Function::ArrayRange | Function::JsonMerge => (3, Some(3)),
        }
    }

    /// What a literal in argument `index` must be (checked when the argument is a literal).
    fn expects(self, index: usize) -> Expect {
        use Expect::*;
        match (self, index) {
            (Function::Format | Function::StringToJson | Function::StringSplit, 0) => String,
            (Function::StringSplit, 1) => String,
            (Function::Base64Encode | Function::Base64Decode, 0) => Base64Input,
            (Function::JsonToString, 0) => NoLiteral,
            (
                Function::ArrayPartition
                | Function::ArrayContains
                | Function::ArrayGetItem
                | Function::ArrayLength
                | Function::ArrayUnique,
                0,
            ) => Array,
            (Function::ArrayPartition, 1) => PositiveInteger,
            (Function::ArrayGetItem, 1) => NonNegativeInteger,
            (Function::ArrayRange, 0 | 1) | (Function::MathRandom, _) | (Function::MathAdd, _) => {
                Integer
            }
            (Function::ArrayRange, 2) => NonZeroInteger,
            (Function::Hash, 1) => HashAlgorithm,
            (Function::JsonMerge, 0 | 1) => Object,
            (Function::JsonMerge, 2) => False,
            _ => Any,
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a literal argument must be.
#[derive(Clone, Copy)]
enum Expect {
    Any,
    String,
    Base64Input,
    Integer,
    PositiveInteger,
    NonNegativeInteger,
    NonZeroInteger,
    Array,
    Object,
    NoLiteral,
    HashAlgorithm,
    False,
}

impl Expect {
    fn describe(self) -> &'static str {
        match self {
            Expect::Any => "a value",
            Expect::String | Expect::Base64Input => "a string",
            Expect::Integer => "an integer",
            Expect::PositiveInteger => "a positive integer",
            Expect::NonNegativeInteger => "an integer of 0 or more",
            Expect::NonZeroInteger => "a non-zero integer",
            Expect::Array => "an array (a path or an intrinsic function call that yields one)",
            Expect::Object => {
                "a JSON object (a path or an intrinsic function call that yields one)"
            }
            Expect::NoLiteral => "a path (or an intrinsic function call)",
            Expect::HashAlgorithm => "one of 'MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'",
            Expect::False => "`false` (Step Functions only supports shallow merging)",
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

/// True when `text` has the shape of an intrinsic function call: a function name (starting with
/// a letter, made of letters, digits, `.` and `_`) immediately followed by `(`. No whitespace is
/// allowed before the name. Known names all start with `States.`; a misspelt name still counts, so
/// that [`parse`] can say which function was meant.
pub(crate) fn is_intrinsic_call(text: &str) -> bool {
    let name_len = text.find(|c: char| !is_name_char(c)).unwrap_or(text.len());
    text.starts_with(|c: char| c.is_ascii_alphabetic()) && text[name_len..].starts_with('(')
}

/// Parses a whole string as one intrinsic function call.
pub(crate) fn parse(text: &str) -> Result<Call, SyntaxError> {
    let mut cursor = Cursor::new(text, "expression");
    if text.starts_with(char::is_whitespace) {
        return Err(cursor.error(
            0,
            "unexpected whitespace before the intrinsic function name",
        ));
    }
    let call = cursor.parse_call(1)?;
    if cursor.peek().is_some() {
        let message = if cursor.rest().trim().is_empty() {
            "unexpected whitespace after the closing `)`".to_string()
        } else {
            format!(
                "unexpected {} after the closing `)` of `{}(…)`",
                cursor.found(),
                call.function.name()
            )
        };
        return Err(cursor.error(cursor.pos, message));
    }
    Ok(call)
}

impl Cursor<'_> {
    /// Parses `Name(args…)` at the cursor; `depth` is 1 for the outermost call.
    fn parse_call(&mut self, depth: usize) -> Result<Call, SyntaxError> {
        let start = self.pos;
        let name = self.take_while(is_name_char);
        if name.is_empty() {
            return Err(self.expected("an intrinsic function name such as `States.Format`"));
        }
        if self.peek() != Some('(') {
            let after_name = self.pos;
            self.skip_ws();
            if self.pos > after_name && self.peek() == Some('(') {
                return Err(self.error(
                    after_name,
                    format!("no space is allowed between `{name}` and `(`"),
                ));
            }
            self.pos = after_name;
            return Err(self.expected(&format!("`(` after `{name}`")));
        }
        let function =
            Function::from_name(name).ok_or_else(|| self.error(start, unknown_function(name)))?;
        if depth > MAX_CALL_DEPTH {
            return Err(self.error(
                start,
                format!("intrinsic functions can be nested at most {MAX_CALL_DEPTH} levels deep"),
            ));
        }
        self.enter(start)?;
        let open = self.pos;
        self.bump();
        let mut args = Vec::new();
        let mut offsets = Vec::new();
        let mut template = None;
        self.skip_ws();
        if !self.eat(')') {
            loop {
                self.skip_ws();
                offsets.push(self.pos);
                let (arg, parts) = self.parse_arg(depth)?;
                if args.is_empty() && function == Function::Format {
                    template = parts;
                }
                args.push(arg);
                self.skip_ws();
                if self.eat(')') {
                    break;
                }
                if self.eat(',') {
                    self.skip_ws();
                    if self.peek() == Some(')') {
                        return Err(self.expected("an argument after `,`"));
                    }
                    continue;
                }
                if self.peek().is_none() {
                    return Err(self.error(open, format!("`{name}(` has no closing `)`")));
                }
                return Err(self.expected("`,` or `)` after the argument"));
            }
        }
        self.leave();
        let close = self.pos - 1;
        check_arity(function, &offsets, close)?;
        check_literals(function, start, &args, &offsets)?;
        Ok(Call {
            function,
            args,
            offset: start,
            template,
        })
    }

    /// Parses one argument; for a string literal also returns its template parts.
    fn parse_arg(&mut self, depth: usize) -> Result<(Arg, Option<Vec<FormatPart>>), SyntaxError> {
        let start = self.pos;
        let arg = match self.peek() {
            Some('\'') => {
                let (value, parts) = self.read_intrinsic_string()?;
                return Ok((Arg::String(value), Some(parts)));
            }
            Some('"') => {
                return Err(self.error(
                    start,
                    "strings in intrinsic functions are written in single quotes: '…'",
                ));
            }
            Some('$') => Arg::Path(self.parse_path(Mode::Argument)?.0),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let number = self.read_number()?;
                if self
                    .peek()
                    .is_some_and(|c| !is_blank(c) && c != ',' && c != ')')
                {
                    return Err(self.expected("`,` or `)` after the number"));
                }
                Arg::Number(number)
            }
            Some(c) if c.is_alphabetic() => {
                let word = self.take_while(is_name_char);
                let after_word = self.pos;
                self.skip_ws();
                if self.peek() == Some('(') {
                    if self.pos > after_word {
                        return Err(self.error(
                            after_word,
                            format!("no space is allowed between `{word}` and `(`"),
                        ));
                    }
                    self.pos = start;
                    return Ok((Arg::Call(self.parse_call(depth + 1)?), None));
                }
                self.pos = after_word;
                match word {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    "null" => Arg::Null,
                    _ => {
                        let word = abbreviate(word, 40);
                        return Err(self.error(
                            start,
                            format!(
                                "expected an argument, found `{word}`; strings are quoted ('{word}') and paths start with `$`"
                            ),
                        ));
                    }
                }
            }
            _ => {
                return Err(self.expected(
                    "an argument (a 'string', a number, true, false, null, a path starting with `$` or an intrinsic function call)",
                ));
            }
        };
        Ok((arg, None))
    }

    /// Reads a single-quoted string with the intrinsic escapes `\'`, `\{`, `\}` and `\\`.
    fn read_intrinsic_string(&mut self) -> Result<(String, Vec<FormatPart>), SyntaxError> {
        let open = self.pos;
        self.bump();
        let mut value = String::new();
        let mut parts = Vec::new();
        let mut text = String::new();
        let unclosed = |cursor: &Self| cursor.error(open, "this string has no closing `'`");
        loop {
            let Some(c) = self.bump() else {
                return Err(unclosed(self));
            };
            match c {
                '\'' => break,
                '\\' => {
                    let escape_at = self.pos - 1;
                    match self.bump() {
                        Some(c @ ('\'' | '{' | '}' | '\\')) => {
                            value.push(c);
                            text.push(c);
                        }
                        None => return Err(unclosed(self)),
                        Some(other) => {
                            return Err(self.error(
                                escape_at,
                                format!(
                                    "`\\{other}` is not an escape in an intrinsic function string; only `\\'`, `\\{{`, `\\}}` and `\\\\` are (write `\\\\` for a backslash)"
                                ),
                            ));
                        }
                    }
                }
                '{' if self.peek() == Some('}') => {
                    self.bump();
                    value.push_str("{}");
                    if !text.is_empty() {
                        parts.push(FormatPart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(FormatPart::Placeholder);
                }
                c => {
                    value.push(c);
                    text.push(c);
                }
            }
        }
        if !text.is_empty() {
            parts.push(FormatPart::Text(text));
        }
        Ok((value, parts))
    }
}

fn check_arity(function: Function, offsets: &[usize], close: usize) -> Result<(), SyntaxError> {
    let (least, most) = function.arity();
    let count = offsets.len();
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let takes = match (least, most) {
        (0, Some(0)) => "takes no arguments".to_string(),
        (n, Some(m)) if n == m => format!("takes {n} {}", plural(n)),
        (n, Some(m)) => format!("takes {n} or {m} arguments"),
        (n, None) => format!("takes at least {n} {}", plural(n)),
    };
    let message = format!("`{}` {takes}, found {count}", function.name());
    if count < least {
        return Err(SyntaxError::new(close, message));
    }
    if let Some(most) = most
        && count > most
    {
        return Err(SyntaxError::new(offsets[most], message));
    }
    Ok(())
}

fn ordinal(index: usize) -> String {
    match index {
        0 => "first".to_string(),
        1 => "second".to_string(),
        2 => "third".to_string(),
        n => format!("argument {} as", n + 1),
    }
}

fn describe_literal(arg: &Arg) -> String {
    match arg {
        Arg::String(s) => format!("the string '{}'", abbreviate(s, 30)),
        Arg::Number(n) => format!("the number {n}"),
        Arg::Bool(b) => format!("`{b}`"),
        Arg::Null => "`null`".to_string(),
        Arg::Path(_) | Arg::Call(_) => "a path or call".to_string(),
    }
}

/// The value of an integral number (`3`, `-2`, `4.0`), or `None`.
fn integer_value(number: &Number) -> Option<i128> {
    if let Some(i) = number.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = number.as_u64() {
        return Some(i128::from(u));
    }
    let f = number.as_f64()?;
    // Exact for |f| < 2^53; larger integral floats are still integers, clamped for the checks.
    (f.fract() == 0.0 && f.is_finite()).then(|| f.clamp(-1e30, 1e30) as i128)
}

fn literal_ok(expect: Expect, arg: &Arg) -> bool {
    let integer = || match arg {
        Arg::Number(n) => integer_value(n),
        _ => None,
    };
    match expect {
        Expect::Any => true,
        Expect::String => matches!(arg, Arg::String(_)),
        Expect::Base64Input => matches!(arg, Arg::String(_)),
        Expect::Integer => integer().is_some(),
        Expect::PositiveInteger => integer().is_some_and(|i| i > 0),
        Expect::NonNegativeInteger => integer().is_some_and(|i| i >= 0),
        Expect::NonZeroInteger => integer().is_some_and(|i| i != 0),
        Expect::Array | Expect::Object | Expect::NoLiteral => false,
        Expect::HashAlgorithm => {
            matches!(arg, Arg::String(s) if HASH_ALGORITHMS.contains(&s.as_str()))
        }
        Expect::False => matches!(arg, Arg::Bool(false)),
    }
}

fn check_literals(
    function: Function,
    start: usize,
    args: &[Arg],
    offsets: &[usize],
) -> Result<(), SyntaxError> {
    for (index, (arg, &offset)) in args.iter().zip(offsets).enumerate() {
        if matches!(arg, Arg::Path(_) | Arg::Call(_)) {
            continue;
        }
        let expect = function.expects(index);
        if !literal_ok(expect, arg) {
            let mut message = format!(
                "the {} argument of `{}` must be {}, found {}",
                ordinal(index),
                function.name(),
                expect.describe(),
                describe_literal(arg)
            );
            if let (Expect::HashAlgorithm, Arg::String(s)) = (expect, arg)
                && let Some(known) = HASH_ALGORITHMS.iter().find(|a| {
                    a.eq_ignore_ascii_case(s) || a.replace('-', "").eq_ignore_ascii_case(s)
                })
            {
                message.push_str(&format!("; did you mean '{known}'?"));
            }
            return Err(SyntaxError::new(offset, message));
        }
        if let (Expect::Base64Input, Arg::String(s)) = (expect, arg) {
            let count = s.chars().count();
            if count > MAX_BASE64_INPUT_CHARS {
                return Err(SyntaxError::new(
                    offset,
                    format!(
                        "`{}` accepts at most {MAX_BASE64_INPUT_CHARS} characters, this string has {count}",
                        function.name()
                    ),
                ));
            }
        }
    }
    if function == Function::ArrayRange
        && let [Arg::Number(a), Arg::Number(b), Arg::Number(c)] = args
        && let (Some(first), Some(last), Some(step)) =
            (integer_value(a), integer_value(b), integer_value(c))
        && step != 0
    {
        let count = if (step > 0 && last < first) || (step < 0 && last > first) {
            0
        } else {
            (last - first) / step + 1
        };
        if count > MAX_ARRAY_RANGE_ITEMS {
            return Err(SyntaxError::new(
                start,
                format!(
                    "`States.ArrayRange` may produce at most {MAX_ARRAY_RANGE_ITEMS} items; this one would produce {count}"
                ),
            ));
        }
    }
    Ok(())
}

/// The message for an unknown function name, suggesting the closest known names.
fn unknown_function(name: &str) -> String {
    let mut message = format!("unknown intrinsic function `{}`", abbreviate(name, 60));
    let lower = name.to_ascii_lowercase();
    let scored: Vec<(usize, &str)> = if name.len() <= 64 {
        Function::ALL
            .iter()
            .map(|f| {
                let full = f.name().to_ascii_lowercase();
                let short = full.trim_start_matches("states.");
                (
                    edit_distance(&lower, &full).min(edit_distance(&lower, short)),
                    f.name(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let best = scored.iter().map(|(d, _)| *d).min();
    match best {
        Some(best) if best <= (name.len() / 3).max(2) => {
            let close: Vec<String> = scored
                .iter()
                .filter(|(d, _)| *d == best)
                .map(|(_, n)| format!("`{n}`"))
                .collect();
            message.push_str(&format!("; did you mean {}?", close.join(" or ")));
        }
        _ => {
            let all: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
            message.push_str(&format!("; the intrinsic functions are {}", all.join(", ")));
        }
    }
    message
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str, braces: bool) -> fmt::Result {
    for c in text.chars() {
        match c {
            '\\' | '\'' => write!(f, "\\{c}")?,
            '{' | '}' if braces => write!(f, "\\{c}")?,
            c => write!(f, "{c}")?,
        }
    }
    Ok(())
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::String(text) => {
                f.write_str("'")?;
                write_escaped(f, text, false)?;
                f.write_str("'")
            }
            Arg::Number(number) => write!(f, "{number}"),
            Arg::Bool(value) => write!(f, "{value}"),
            Arg::Null => f.write_str("null"),
            Arg::Path(path) => path.write_in(f, Mode::Argument),
            Arg::Call(call) => write!(f, "{call}"),
        }
    }
}

/// The canonical form: arguments separated by `, `; strings in single quotes with `\'` and `\\`
/// escaped (and `\{`, `\}` in a `States.Format` template).
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.function.name())?;
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match (&self.template, arg) {
                (Some(parts), Arg::String(_)) if i == 0 => {
                    f.write_str("'")?;
                    for part in parts {
                        match part {
                            FormatPart::Text(text) => write_escaped(f, text, true)?,
                            FormatPart::Placeholder => f.write_str("{}")?,
                        }
                    }
                    f.write_str("'")?;
                }
                _ => write!(f, "{arg}")?,
            }
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::path::{Root, Segment, Selector};

    fn call(text: &str) -> Call {
        match parse(text) {
            Ok(call) => call,
            Err(e) => panic!("{text:?}: {e} at {}", e.offset),
        }
    }

    #[track_caller]
    fn assert_err(text: &str, offset: usize, word: &str) {
        match parse(text) {
            Ok(call) => panic!("{text:?} parsed as {call:?}"),
            Err(e) => {
                assert_eq!(e.offset, offset, "{text:?}: {e}");
                assert!(e.message.contains(word), "{text:?}: {e}");
            }
        }
    }

    fn path(text: &str) -> Arg {
        Arg::Path(Path::parse(text).unwrap())
    }

    fn num(n: i64) -> Arg {
        Arg::Number(n.into())
    }

    /// The call with every `offset` set to 0, to compare calls parsed from different texts.
    fn without_offsets(mut call: Call) -> Call {
        call.offset = 0;
        call.args = call
            .args
            .into_iter()
            .map(|arg| match arg {
                Arg::Call(inner) => Arg::Call(without_offsets(inner)),
                other => other,
            })
            .collect();
        call
    }

    #[test]
    fn simple_calls() {
        assert_eq!(
            call("States.UUID()"),
            Call {
                function: Function::Uuid,
                args: vec![],
                offset: 0,
                template: None
            }
        );
        assert_eq!(call("States.UUID( )").args, vec![]);
        assert_eq!(call("States.Array()").args, vec![]);
        assert_eq!(
            call("States.Array('Foo', 2020, $.someJson, null, true, false, -1, 2.5)").args,
            vec![
                Arg::String("Foo".into()),
                num(2020),
                path("$.someJson"),
                Arg::Null,
                Arg::Bool(true),
                Arg::Bool(false),
                num(-1),
                Arg::Number(Number::from_f64(2.5).unwrap()),
            ]
        );
        assert_eq!(
            call("States.ArrayPartition($.inputArray,4)").args[1],
            num(4)
        );
        assert_eq!(
            call("States.ArrayRange(1, 9, 2)").function,
            Function::ArrayRange
        );
        assert_eq!(
            call("States.Hash($.inputString, 'SHA-256')").args[1],
            Arg::String("SHA-256".into())
        );
        assert_eq!(
            call("States.JsonMerge($.json1, $.json2, false)").args[2],
            Arg::Bool(false)
        );
        assert_eq!(call("States.MathRandom($.start, $.end)").args.len(), 2);
        assert_eq!(call("States.MathRandom(1, 999, 42)").args.len(), 3);
        assert_eq!(
            call("States.StringSplit('Hello\nWorld', '\n')").args[1],
            Arg::String("\n".into())
        );
        for function in Function::ALL {
            assert_eq!(Function::from_name(function.name()), Some(function));
        }
    }

    #[test]
    fn paths_as_arguments() {
        let c = call("States.Format('{}{}', $.field1, $field2)");
        assert_eq!(c.args[2], path("$field2"));
        let c = call("States.Format($AnswerTemplate, $$.Map.Item.Value)");
        assert_eq!(c.args[0], path("$AnswerTemplate"));
        assert_eq!(c.template, None);
        let Arg::Path(p) = &call("States.JsonToString($$)").args[0] else {
            panic!()
        };
        assert_eq!(p.root, Root::Context);
        let c = call("States.ArrayGetItem($.D.R[?(@.K == 'a,b)')].V, 0)");
        let Arg::Path(p) = &c.args[0] else { panic!() };
        assert!(matches!(p.segments[2], Segment::Child(Selector::Filter(_))));
        assert_eq!(c.args[1], num(0));
        assert_eq!(call("States.ArrayLength($.a.length())").args.len(), 1);
        assert_eq!(call("States.Array($['a,b'], $[0])").args.len(), 2);
    }

    #[test]
    fn nested_calls() {
        let c = call("States.MathAdd(States.ArrayLength($$.Execution.Input.machines),-1)");
        let Arg::Call(inner) = &c.args[0] else {
            panic!()
        };
        assert_eq!(inner.function, Function::ArrayLength);
        assert_eq!(inner.offset, 15);
        assert_eq!(c.args[1], num(-1));
        let c = call(
            "States.JsonMerge(States.StringToJson('{\"a\": \"false\"}'), $$.Execution.Input.x, false)",
        );
        let Arg::Call(inner) = &c.args[0] else {
            panic!()
        };
        assert_eq!(inner.args[0], Arg::String("{\"a\": \"false\"}".into()));
        call(
            "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
        );
    }

    #[test]
    fn strings_and_templates() {
        let c = call("States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)");
        assert_eq!(
            c.args[0],
            Arg::String("Welcome to {} {}'s playlist.".into())
        );
        assert_eq!(
            c.template,
            Some(vec![
                FormatPart::Text("Welcome to ".into()),
                FormatPart::Placeholder,
                FormatPart::Text(" ".into()),
                FormatPart::Placeholder,
                FormatPart::Text("'s playlist.".into()),
            ])
        );
        let c = call(r"States.Format('\{} {} \\ \}', 1)");
        assert_eq!(c.args[0], Arg::String(r"{} {} \ }".into()));
        assert_eq!(
            c.template,
            Some(vec![
                FormatPart::Text("{} ".into()),
                FormatPart::Placeholder,
                FormatPart::Text(r" \ }".into()),
            ])
        );
        assert_eq!(call("States.Format('')").template, Some(vec![]));
        assert_eq!(call("States.Array('{}')").template, None);
    }

    #[test]
    fn is_intrinsic_call_shape() {
        assert!(is_intrinsic_call("States.Format('x')"));
        assert!(is_intrinsic_call("States.Xyz($.a)"));
        assert!(is_intrinsic_call("format(1)"));
        assert!(!is_intrinsic_call("$.a"));
        assert!(!is_intrinsic_call(" States.UUID()"));
        assert!(!is_intrinsic_call("States.UUID"));
        assert!(!is_intrinsic_call("States.UUID ()"));
        assert!(!is_intrinsic_call("1(2)"));
        assert!(!is_intrinsic_call(""));
    }

    #[test]
    fn syntax_errors() {
        assert_err(" States.Array('Foo', $.xyz, 'Bar', 2.3)", 0, "whitespace");
        assert_err("States.Array(1) ", 15, "whitespace after");
        assert_err("States.Array(1)x", 15, "after the closing `)`");
        assert_err("States.Format ('x')", 13, "no space");
        assert_err("States.Array(States.UUID ())", 24, "no space");
        assert_err("States.Format", 13, "`(` after `States.Format`");
        assert_err("(1)", 0, "function name");
        assert_err("States.Array(1,)", 15, "an argument after `,`");
        assert_err("States.Array(,1)", 13, "expected an argument");
        assert_err("States.Array(1", 12, "no closing `)`");
        assert_err("States.Array(1 2)", 15, "`,` or `)`");
        assert_err("States.Array(1x)", 14, "after the number");
        assert_err("States.Array(\"a\")", 13, "single quotes");
        assert_err("States.Array('a\\nb')", 15, "`\\n` is not an escape");
        assert_err("States.Array('a\\\"b')", 15, "not an escape");
        assert_err("States.Array('abc", 13, "no closing `'`");
        assert_err("States.Array('abc\\", 13, "no closing `'`");
        assert_err("States.Array(foo)", 13, "quoted ('foo')");
        assert_err("States.Array(True)", 13, "found `True`");
        assert_err("States.Array($$23)", 15, "after `$$`, found `2`");
        assert_err("States.Array($.a b)", 17, "`,` or `)`");
        assert_err("States.Array(01)", 13, "cannot start with `0`");
        assert_err("States.Array(.5)", 13, "expected an argument");
        assert_err("States.Array(1.)", 14, "after the number");
    }

    #[test]
    fn unknown_functions() {
        assert_err(
            "States.Xyz($.result)",
            0,
            "unknown intrinsic function `States.Xyz`; the intrinsic functions are States.Format",
        );
        assert_err("States.Fromat('x')", 0, "did you mean `States.Format`?");
        assert_err("states.format('x')", 0, "did you mean `States.Format`?");
        assert_err("Format('x')", 0, "did you mean `States.Format`?");
        assert_err("States.Uuid()", 0, "did you mean `States.UUID`?");
        assert_err(
            "States.Array(States.MathAd(1, 2))",
            13,
            "did you mean `States.MathAdd`?",
        );
    }

    #[test]
    fn arity_errors() {
        assert_err(
            "States.UUID(1)",
            12,
            "`States.UUID` takes no arguments, found 1",
        );
        assert_err("States.MathAdd(1)", 16, "takes 2 arguments, found 1");
        assert_err("States.MathAdd(1, 2, 3)", 21, "takes 2 arguments, found 3");
        assert_err("States.MathRandom(1)", 19, "takes 2 or 3 arguments");
        assert_err(
            "States.MathRandom(1, 2, 3, 4)",
            27,
            "takes 2 or 3 arguments",
        );
        assert_err("States.Format()", 14, "takes at least 1 argument, found 0");
        assert_err("States.JsonToString()", 20, "takes 1 argument, found 0");
        assert_err(
            "States.JsonMerge($.a, $.b)",
            25,
            "takes 3 arguments, found 2",
        );
    }

    #[test]
    fn literal_type_errors() {
        assert_err(
            "States.MathAdd(1,'-1')",
            17,
            "second argument of `States.MathAdd` must be an integer, found the string '-1'",
        );
        assert_err("States.MathAdd(1.5, 1)", 15, "must be an integer");
        assert_err("States.MathRandom(1, 2, 'x')", 24, "third argument");
        assert_err("States.Format(1)", 14, "must be a string");
        assert_err(
            "States.StringToJson(null)",
            20,
            "must be a string, found `null`",
        );
        assert_err("States.StringSplit($.a, 1)", 24, "must be a string");
        assert_err("States.JsonToString('x')", 20, "must be a path");
        assert_err("States.ArrayLength('abc')", 19, "must be an array");
        assert_err("States.ArrayContains(1, 1)", 21, "must be an array");
        assert_err("States.ArrayPartition($.a, 0)", 27, "positive integer");
        assert_err("States.ArrayGetItem($.a, -1)", 25, "0 or more");
        assert_err("States.ArrayRange(1, 9, 0)", 24, "non-zero");
        assert_err("States.ArrayRange(1, 'x', 1)", 21, "integer");
        assert_err(
            "States.ArrayRange(1, 5000, 1)",
            0,
            "at most 1000 items; this one would produce 5000",
        );
        assert_err("States.Hash($.a, 'SHA256')", 17, "did you mean 'SHA-256'?");
        assert_err("States.Hash($.a, 'sha-512')", 17, "did you mean 'SHA-512'?");
        assert_err("States.Hash($.a, 'CRC32')", 17, "one of 'MD5'");
        assert_err("States.JsonMerge($.a, $.b, true)", 27, "`false`");
        assert_err(
            "States.JsonMerge({}, $.b, false)",
            17,
            "expected an argument",
        );
        assert_err("States.JsonMerge('x', $.b, false)", 17, "JSON object");
        let long = format!("States.Base64Encode('{}')", "a".repeat(10_001));
        assert_err(&long, 20, "at most 10000 characters");
        // Fine: literal values of the right type, and anything computed at run time.
        call("States.ArrayRange(1, 1000, 1)");
        call("States.ArrayRange(10, 1, -1)");
        call("States.ArrayRange(1, 5000, $.step)");
        call("States.MathAdd(4.0, -1)");
        call("States.ArrayGetItem(States.Array(1, 2), 1)");
        call("States.Hash('data', 'MD5')");
        call("States.JsonMerge($.a, $.b, $.deep)");
    }

    #[test]
    fn nesting_limits() {
        let nested =
            |depth: usize| format!("{}{}", "States.Array(".repeat(depth), ")".repeat(depth));
        call(&nested(MAX_CALL_DEPTH));
        let text = nested(MAX_CALL_DEPTH + 1);
        assert_err(&text, 13 * MAX_CALL_DEPTH, "at most 10 levels");
        let text = "States.Array(".repeat(100_000);
        assert_err(&text, 130, "at most 10 levels");
        let text = format!("States.Array($[?({}", "(".repeat(100_000));
        assert!(
            parse(&text)
                .unwrap_err()
                .message
                .contains("nested too deeply")
        );
    }

    #[test]
    fn display_round_trips() {
        for (text, shown) in [
            ("States.UUID( )", "States.UUID()"),
            (
                "States.Array('Foo',2020,$.someJson,null,true)",
                "States.Array('Foo', 2020, $.someJson, null, true)",
            ),
            (
                "States.Format('Welcome {} {}\\'s \\{x\\}', $.a, $.b)",
                "States.Format('Welcome {} {}\\'s \\{x\\}', $.a, $.b)",
            ),
            (
                "States.StringToJson('{\"a\": 1}')",
                "States.StringToJson('{\"a\": 1}')",
            ),
            ("States.Array('a\\\\b')", "States.Array('a\\\\b')"),
            (
                "States.MathAdd(States.ArrayLength($$.a),-1)",
                "States.MathAdd(States.ArrayLength($$.a), -1)",
            ),
            (
                "States.Array($['a,b'], $['x y'][0])",
                "States.Array($['a,b'], $['x y'][0])",
            ),
            (
                "States.Array($v.x[?(@.a == 'b')])",
                "States.Array($v.x[?(@.a == 'b')])",
            ),
            ("States.Array(2.50, -0)", "States.Array(2.5, -0.0)"),
        ] {
            let c = call(text);
            assert_eq!(c.to_string(), shown, "{text}");
            assert_eq!(without_offsets(call(shown)), without_offsets(c), "{shown}");
        }
    }

    mod prop {
        use super::*;
        use crate::syntax::path::tests::prop::{mutate, valid_path};
        use proptest::prelude::*;

        fn string_literal() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    "[a-z ,()$\"]{1,3}",
                    proptest::sample::select(vec![
                        "{}", "\\{", "\\}", "\\'", "\\\\", "{", "}", "\n"
                    ])
                    .prop_map(String::from),
                ],
                0..4,
            )
            .prop_map(|parts| format!("'{}'", parts.concat()))
        }

        fn leaf_arg() -> impl Strategy<Value = String> {
            prop_oneof![
                string_literal(),
                "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?",
                Just("true".to_string()),
                Just("false".to_string()),
                Just("null".to_string()),
                valid_path(),
                Just("States.UUID()".to_string()),
            ]
        }

        /// Valid calls (functions whose arguments may be anything, nested).
        fn valid_call() -> impl Strategy<Value = String> {
            let leaf = proptest::collection::vec(leaf_arg(), 0..4)
                .prop_map(|args| format!("States.Array({})", args.join(", ")));
            leaf.prop_recursive(3, 12, 3, |inner| {
                let arg = prop_oneof![leaf_arg(), inner.clone()];
                let array = prop_oneof![valid_path(), inner];
                prop_oneof![
                    proptest::collection::vec(arg.clone(), 0..3)
                        .prop_map(|args| format!("States.Array({})", args.join(","))),
                    (
                        string_literal(),
                        proptest::collection::vec(arg.clone(), 0..3)
                    )
                        .prop_map(|(template, args)| {
                            let mut all = vec![template];
                            all.extend(args);
                            format!("States.Format({})", all.join(" , "))
                        }),
                    (array, arg).prop_map(|(a, b)| format!("States.ArrayContains({a}, {b})")),
                ]
            })
        }

        fn check(text: &str) {
            match parse(text) {
                Ok(c) => {
                    let shown = c.to_string();
                    assert_eq!(
                        parse(&shown).map(without_offsets),
                        Ok(without_offsets(c)),
                        "{text:?} -> {shown:?}"
                    );
                }
                Err(e) => {
                    assert!(e.offset <= text.len(), "{text:?}: {e:?}");
                    assert!(text.is_char_boundary(e.offset), "{text:?}: {e:?}");
                }
            }
            let _ = crate::syntax::parse_dynamic_value(text);
        }

        proptest! {
            #[test]
            fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
                check(&text);
            }

            #[test]
            fn valid_calls_parse_and_round_trip(text in valid_call()) {
                let c = match parse(&text) {
                    Ok(c) => c,
                    Err(e) => panic!("{text:?}: {e} at {}", e.offset),
                };
                let shown = c.to_string();
                prop_assert_eq!(
                    parse(&shown).map(without_offsets),
                    Ok(without_offsets(c)),
                    "{:?} -> {:?}",
                    text,
                    shown
                );
            }

            #[test]
            fn mutated_calls_never_panic(text in mutate(valid_call())) {
                check(&text);
            }

            #[test]
            fn call_like_text_never_panics(
                text in "States\\.(Array|Format|MathAdd|Hash|JsonMerge|UUID|X)\\(([$.@'\"\\\\{}(),a-z0-9 \\-\\[\\]?=*:]|States\\.Array\\(|States\\.Format\\(|true|null|'SHA-1'){0,60}",
            ) {
                check(&text);
            }
        }
    }
}
