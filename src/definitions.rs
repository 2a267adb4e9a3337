//! State machine definitions as the author wrote them, in their own files or in `asl` blocks of
//! pages: the engine's diagnostics turned into file:line:column diagnostics.

use std::path::{Path, PathBuf};

use asl::Format;

use crate::diagnostics::{Diagnostic, LineIndex};

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

/// YAML for `.yaml`/`.yml` files, JSON for `.json`, otherwise by the first character.
pub fn format_of(path: &Path, text: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => Format::detect(text),
    }
}

/// Validates a whole file's text.
pub fn validate_text(file: &Path, text: &str, format: Format) -> Vec<Diagnostic> {
    located(&asl::check_format(text, format).diagnostics, file, text)
}

/// The engine's diagnostics for a whole file's `text`, located by line and column in `file`.
pub fn located(diagnostics: &[asl::Diagnostic], file: &Path, text: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| convert(d, file, text, &|offset| index.line_col(offset)))
        .collect()
}

/// One engine diagnostic located in `file`; `position` maps a byte offset of the definition's
/// `text` to a line and column of the file (they differ for a block inside a page).
pub fn convert(
    d: &asl::Diagnostic,
    file: &Path,
    text: &str,
    position: &dyn Fn(usize) -> (usize, usize),
) -> Diagnostic {
    let (line, column) = position(d.span.start);
    let len = text
        .get(d.span.start..d.span.end.max(d.span.start))
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
    let diagnostic = match d.severity {
        asl::Severity::Error => Diagnostic::error(file, line, column, d.code.as_str(), &d.message),
        asl::Severity::Warning => {
            Diagnostic::warning(file, line, column, d.code.as_str(), &d.message)
        }
    }
    .with_len(len)
    .with_pointer(&d.pointer);
    match &d.help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}
