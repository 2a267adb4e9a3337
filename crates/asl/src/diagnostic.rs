//! What the validator reports: AWS's own diagnostic codes where AWS has one, ours otherwise.

use std::fmt;

use crate::source::Span;

/// A diagnostic code. The AWS ones are those of the `ValidateStateMachineDefinition` API, so a
/// message here can be matched to what the console would say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The text is not well-formed JSON or YAML.
    InvalidJsonDescription,
    /// The text holds no definition at all.
    MissingDescription,
    /// A field is missing, unknown, of the wrong type or out of range: AWS's catch-all.
    SchemaValidationFailed,
    /// A Task `Resource` that is not a well-formed ARN AWS accepts.
    InvalidResource,
    /// No state ends the machine: none is a Succeed or Fail state or has `"End": true`.
    MissingEndState,
    /// Two states share a name: names are unique in the whole machine, nested ones included.
    DuplicateStateName,
    /// A state name that is empty, too long or holds characters AWS refuses.
    InvalidStateName,
    /// Two Map states use the same `Label`.
    DuplicateLabelName,
    /// A `Label` that is too long or holds characters AWS refuses.
    InvalidLabelName,
    /// A `Next`, `Default` or `StartAt` names a state that does not exist in its scope.
    MissingTransitionTarget,
    /// Objects and arrays nested deeper than the reader accepts.
    TooDeeplyNested,
    /// AWS's warning: a field that looks like a path but whose key does not end in `.$`.
    NoDollar,
    /// AWS's warning: a plain-text value that looks like a path, where the field's `…Path`
    /// form (or a `.$` key) was probably meant.
    NoPath,
    /// AWS's warning: a Pass state's `Result` holds `.$` keys, which are not evaluated there.
    PassResultIsStatic,
    /// Ours: a state no transition leads to (AWS rejects these too, under its schema errors).
    UnreachableState,
    /// Ours: a Task `Resource` that is not an ARN but a placeholder a deployment tool resolves
    /// (`${…}`, CloudFormation's `Ref`), or a URI that the States Language allows and AWS does not.
    UncheckedResource,
    /// Ours: an error name starting `States.` that AWS does not define.
    UnknownErrorName,
    /// Ours: an expression reads a variable that no state in its scope (or around it) assigns.
    UnassignedVariable,
}

impl Code {
    /// The code as AWS and our JSON output spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJsonDescription => "INVALID_JSON_DESCRIPTION",
            Code::MissingDescription => "MISSING_DESCRIPTION",
            Code::SchemaValidationFailed => "SCHEMA_VALIDATION_FAILED",
            Code::InvalidResource => "INVALID_RESOURCE",
            Code::MissingEndState => "MISSING_END_STATE",
            Code::DuplicateStateName => "DUPLICATE_STATE_NAME",
            Code::InvalidStateName => "INVALID_STATE_NAME",
            Code::DuplicateLabelName => "DUPLICATE_LABEL_NAME",
            Code::InvalidLabelName => "INVALID_LABEL_NAME",
            Code::MissingTransitionTarget => "MISSING_TRANSITION_TARGET",
            Code::TooDeeplyNested => "TOO_DEEPLY_NESTED",
            Code::NoDollar => "NO_DOLLAR",
            Code::NoPath => "NO_PATH",
            Code::PassResultIsStatic => "PASS_RESULT_IS_STATIC",
            Code::UnreachableState => "UNREACHABLE_STATE",
            Code::UncheckedResource => "UNCHECKED_RESOURCE",
            Code::UnknownErrorName => "UNKNOWN_ERROR_NAME",
            Code::UnassignedVariable => "UNASSIGNED_VARIABLE",
        }
    }

    /// How serious the code is: AWS's three warnings, and our notes on things AWS would reject
    /// only after deployment tooling had its say, are warnings.
    pub(crate) fn severity(self) -> Severity {
        match self {
            Code::NoDollar
            | Code::NoPath
            | Code::PassResultIsStatic
            | Code::UncheckedResource
            | Code::UnknownErrorName
            | Code::UnassignedVariable => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a diagnostic stops the definition from being used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// AWS would refuse the definition; no state machine is built.
    Error,
    /// Worth fixing, but the definition is still valid and runs.
    Warning,
}

/// One problem in a definition, located by JSON pointer and by byte span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What kind of problem, as AWS names it where it has a name.
    pub code: Code,
    /// The code's severity, kept beside it for sorting and filtering.
    pub severity: Severity,
    /// One sentence for people, naming the field and the value at fault.
    pub message: String,
    /// Where in the definition, as a JSON pointer (`/States/Check/Next`).
    pub pointer: String,
    /// Where in the text, to underline it or turn it into a line and column with
    /// [`LineIndex`](crate::LineIndex).
    pub span: Span,
    /// What to do about it, when there is something specific to say.
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(code: Code, message: impl Into<String>, pointer: &str, span: Span) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            pointer: pointer.to_string(),
            span,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this one makes the definition invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
