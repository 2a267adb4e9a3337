//! The Amazon States Language engine: parse definitions with source positions, validate them,
//! draw them and run them. Pure: no file system, clock, threads or global randomness, so it
//! builds for wasm32 and the browser runs the same code as the command line.
//!
//! The public surface is small on purpose:
//!
//! * [`check`] (or [`check_format`]): text in, [`Diagnostic`]s and, when valid, a
//!   [`StateMachine`] out. [`LineIndex`] turns a diagnostic's byte [`Span`] into a line and
//!   column.
//! * [`diagram::render`]: a valid machine as an SVG diagram.
//! * [`simulate::Execution`]: runs a valid machine with mocked Task results on a virtual clock;
//!   [`simulate::test_state`] is the TestState API for one state.
//! * [`STATE_TYPES`] and [`state_fields`]: the fields each state type accepts, for editors.
//!
//! Everything else (the position-keeping parser, the validator's rules, the JSONPath, intrinsic
//! and JSONata evaluators, the layout) is internal and may change freely.

#![deny(missing_docs)]
// What only this crate uses is `pub(crate)`: the re-exports below are the whole surface.
#![warn(unreachable_pub)]

mod diagnostic;
pub mod diagram;
mod model;
pub mod simulate;
mod source;
mod suggest;
mod syntax;
mod validate;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::StateMachine;
pub use source::{Format, LineIndex, Span};
pub use validate::{Lang, STATE_TYPES, state_fields};

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
    /// Whether any diagnostic is an error (warnings alone leave the definition valid).
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
