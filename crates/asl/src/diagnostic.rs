//! What the validator reports: AWS's own diagnostic codes where AWS has one, ours otherwise.

use std::fmt;

use crate::source::Span;

/// A diagnostic code. The AWS ones are those of the `ValidateStateMachineDefinition` API, so a
/// message here can be matched to what the console would say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    InvalidJsonDescription,
    MissingDescription,
    SchemaValidationFailed,
    InvalidResource,
    MissingEndState,
    DuplicateStateName,
    InvalidStateName,
    DuplicateLabelName,
    InvalidLabelName,
    MissingTransitionTarget,
    TooDeeplyNested,
    NoDollar,
    NoPath,
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
    pub fn severity(self) -> Severity {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a definition, located by JSON pointer and by byte span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where in the definition, as a JSON pointer (`/States/Check/Next`).
    pub pointer: String,
    pub span: Span,
    /// What to do about it, when there is something specific to say.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>, pointer: &str, span: Span) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            pointer: pointer.to_string(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
