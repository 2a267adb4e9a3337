//! The one error type of the crate.

/// A problem found in an expression, located by byte offset so a caller can turn it into a line
/// and column (or underline it) without re-scanning the source.
///
/// `code` is the reference implementation's error code (`S0201`, …) so messages, documentation
/// and test suites written for JSONata keep applying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message} (at byte {position})")]
pub struct Error {
    /// JSONata's error code, e.g. `"S0201"`.
    pub code: &'static str,
    /// Byte offset into the source where the problem is: the start of the offending token, the
    /// opening delimiter of an unterminated string, name, comment or regex, or the source length
    /// when the expression ends too early.
    pub position: usize,
    /// A human-readable sentence describing the problem.
    pub message: String,
    /// The offending token as written in the source, when there is one.
    pub token: Option<String>,
}

impl Error {
    /// Errors are boxed inside the crate: it keeps `Result`s small, and with them the stack
    /// frames of the recursive parser.
    pub(crate) fn new(
        code: &'static str,
        position: usize,
        message: impl Into<String>,
    ) -> Box<Self> {
        Box::new(Error {
            code,
            position,
            message: message.into(),
            token: None,
        })
    }

    pub(crate) fn with_token(mut self: Box<Self>, token: impl Into<String>) -> Box<Self> {
        self.token = Some(token.into());
        self
    }
}

/// Shorthand used throughout the crate.
pub(crate) type Result<T> = std::result::Result<T, Box<Error>>;
