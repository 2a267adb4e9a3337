//! State machine definitions as the author wrote them, in their own files or in `asl` blocks of
//! pages: the engine's diagnostics turned into file:line:column diagnostics.

use std::path::Path;

use asl::Format;

use crate::diagnostics::{Diagnostic, LineIndex};

/// YAML for `.yaml`/`.yml` files, JSON for `.json`, otherwise by the first character.
pub fn format_of(path: &Path, text: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => Format::detect(text),
    }
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
