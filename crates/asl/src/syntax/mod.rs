//! Syntax of the small languages embedded in ASL strings: JSONPath, reference paths and intrinsic
//! function calls.
//!
//! Every parser returns an AST (evaluated later by the simulator) or a [`SyntaxError`] whose
//! `offset` is a byte offset into the parsed string, so a diagnostic can point at the exact column.
//!
//! * [`path`]: JSONPath as Step Functions accepts it (the Jayway flavour, with `$$` for the context
//!   object and `$name` for variables), plus [`parse_reference_path`] for fields that need a
//!   single-node path.
//! * [`filter`]: the expressions inside `[?(...)]`.
//! * [`intrinsic`]: intrinsic function calls such as `States.Format('Hi {}', $.name)`.
//! * [`parse_dynamic_value`]: what the value of a `.$` payload-template field may be.

mod cursor;
pub(crate) mod filter;
mod ident;
pub(crate) mod intrinsic;
pub(crate) mod path;

use std::fmt;

pub(crate) use filter::{CompareOp, FilterExpr, FilterPath, FilterRoot, Literal, Operand};
pub(crate) use ident::check_variable_name;
pub(crate) use intrinsic::{Call, is_intrinsic_call};
pub(crate) use path::{Path, PathFunction, Root, Segment, Selector};

/// How deeply filters, parentheses, `!`, JSON literals and intrinsic calls may nest before the
/// parsers give up with an error (protects the stack against hostile input).
pub(crate) const MAX_NESTING: usize = 32;

/// A syntax error in an embedded language, located by a byte offset into the parsed string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct SyntaxError {
    /// Byte offset into the parsed string (always on a character boundary, at most its length).
    pub offset: usize,
    /// A message for the author: what was expected and what was found.
    pub message: String,
}

impl SyntaxError {
    pub(crate) fn new(offset: usize, message: impl Into<String>) -> Self {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }
}

/// The value of a `.$` field in a payload template: a path or an intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Dynamic {
    /// A JSONPath (`$...`, `$$...` or `$variable...`).
    Path(Path),
    /// An intrinsic function call (`States.…(...)`).
    Call(Call),
}

impl fmt::Display for Dynamic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dynamic::Path(path) => write!(f, "{path}"),
            Dynamic::Call(call) => write!(f, "{call}"),
        }
    }
}

/// `Name (` with blanks before the parenthesis: a call, badly spaced (the parser says so).
fn looks_like_spaced_call(text: &str) -> bool {
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(text.len());
    name_len > 0
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text[name_len..]
            .trim_start_matches([' ', '\t'])
            .starts_with('(')
}

const NOT_DYNAMIC: &str = "a `.$` field must hold a JSONPath or an intrinsic function call";

/// Parses the value of a `.$` payload-template field: a value starting with `$` is a path, one
/// that looks like a function call (see [`is_intrinsic_call`]) is an intrinsic function call, and
/// anything else is an error.
pub(crate) fn parse_dynamic_value(text: &str) -> Result<Dynamic, SyntaxError> {
    if text.starts_with('$') {
        return Path::parse(text).map(Dynamic::Path);
    }
    if is_intrinsic_call(text) || looks_like_spaced_call(text) {
        return intrinsic::parse(text).map(Dynamic::Call);
    }
    let trimmed = text.trim_start();
    if trimmed.len() != text.len() && (trimmed.starts_with('$') || is_intrinsic_call(trimmed)) {
        return Err(SyntaxError::new(
            0,
            format!("{NOT_DYNAMIC}; remove the whitespace at the start"),
        ));
    }
    let found = if text.is_empty() {
        "an empty string".to_string()
    } else {
        format!("`{}`", cursor::abbreviate(text, 40))
    };
    Err(SyntaxError::new(0, format!("{NOT_DYNAMIC}, found {found}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_path_and_call() {
        assert!(matches!(parse_dynamic_value("$.a"), Ok(Dynamic::Path(_))));
        assert!(matches!(parse_dynamic_value("$$"), Ok(Dynamic::Path(_))));
        assert!(matches!(parse_dynamic_value("$v.x"), Ok(Dynamic::Path(_))));
        assert!(matches!(
            parse_dynamic_value("States.UUID()"),
            Ok(Dynamic::Call(_))
        ));
        assert_eq!(
            parse_dynamic_value("States.Array(1, $.a)")
                .unwrap()
                .to_string(),
            "States.Array(1, $.a)"
        );
    }

    #[test]
    fn dynamic_rejects_other_values() {
        let e = parse_dynamic_value("23").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("JSONPath or an intrinsic"), "{e}");
        assert!(e.message.contains("`23`"), "{e}");
        let e = parse_dynamic_value("").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = parse_dynamic_value(" States.Array('Foo', $.xyz)").unwrap_err();
        assert!(e.message.contains("whitespace"), "{e}");
        let e = parse_dynamic_value("  $.a").unwrap_err();
        assert!(e.message.contains("whitespace"), "{e}");
    }

    #[test]
    fn dynamic_errors_come_from_the_right_parser() {
        let e = parse_dynamic_value("$$23").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = parse_dynamic_value("States.Xyz($.result)").unwrap_err();
        assert!(e.message.contains("unknown intrinsic function"), "{e}");
        let e = parse_dynamic_value("format('{}', 1)").unwrap_err();
        assert!(e.message.contains("States.Format"), "{e}");
        let e = parse_dynamic_value("States.Format ('x')").unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(e.message.contains("no space"), "{e}");
    }
}
