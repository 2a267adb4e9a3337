//! The Amazon States Language engine: parse definitions with source positions and validate them.
//! Pure: no file system, clock, threads or global randomness, so it builds for wasm32.
//!
//! [`check`] is the entry point: text in, diagnostics and (when valid) the typed
//! [`model::StateMachine`] out.

pub mod diagnostic;
pub mod diagram;
pub mod model;
pub mod simulate;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod validate;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use source::{Format, Span};

use source::{ParseErrorKind, Pointer};

/// The outcome of checking a definition.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every problem found, in the order of the definition's text.
    pub diagnostics: Vec<Diagnostic>,
    /// The state machine, when the definition has no errors (warnings allowed).
    pub machine: Option<model::StateMachine>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and validates a definition, JSON or YAML by its first character.
pub fn check(text: &str) -> Checked {
    check_format(text, Format::detect(text))
}

/// Parses and validates a definition written in `format`.
pub fn check_format(text: &str, format: Format) -> Checked {
    let root = match source::parse(text, format) {
        Ok(root) => root,
        Err(error) => {
            let code = match error.kind {
                ParseErrorKind::Syntax => Code::InvalidJsonDescription,
                ParseErrorKind::Empty => Code::MissingDescription,
                ParseErrorKind::TooDeep => Code::TooDeeplyNested,
            };
            return Checked {
                diagnostics: vec![Diagnostic::new(code, error.message, "", error.span)],
                machine: None,
            };
        }
    };
    let mut diagnostics = validate::validate(text, &root);
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    // A YAML alias repeats its anchor's value, and with it the anchor's diagnostics.
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    let mut machine = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        match serde_json::from_value(root.to_json()) {
            Ok(decoded) => machine = Some(decoded),
            Err(error) => diagnostics.push(Diagnostic::new(
                Code::SchemaValidationFailed,
                format!("the definition does not fit the States Language model: {error}"),
                Pointer::root().as_str(),
                root.span,
            )),
        }
    }
    Checked {
        diagnostics,
        machine,
    }
}
