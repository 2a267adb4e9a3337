//! `awskb asl validate`: definition files checked as AWS would.

use std::path::{Path, PathBuf};

use asl::Format;
use awskb::definitions::{format_of, located};
use awskb::diagnostics::Diagnostic;

/// A definition file that was read and checked.
pub struct CheckedFile {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckedFile {
    /// Whether the definition is invalid (warnings alone leave it valid).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads and validates definition files; a file that cannot be read is itself a diagnostic.
pub fn validate_files(paths: &[PathBuf]) -> Vec<CheckedFile> {
    paths
        .iter()
        .map(|path| {
            let diagnostics = match std::fs::read(path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => validate_text(path, &text, format_of(path, &text)),
                    Err(e) => vec![Diagnostic::error(
                        path,
                        0,
                        0,
                        "INVALID_JSON_DESCRIPTION",
                        format!(
                            "the file is not UTF-8 text (invalid byte at offset {})",
                            e.utf8_error().valid_up_to()
                        ),
                    )],
                },
                Err(e) => vec![Diagnostic::error(
                    path,
                    0,
                    0,
                    "unreadable",
                    format!("cannot read the file: {e}"),
                )],
            };
            CheckedFile {
                path: path.clone(),
                diagnostics,
            }
        })
        .collect()
}

/// Validates a whole file's text.
pub fn validate_text(file: &Path, text: &str, format: Format) -> Vec<Diagnostic> {
    located(&asl::check_format(text, format).diagnostics, file, text)
}
