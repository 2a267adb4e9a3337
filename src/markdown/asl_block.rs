//! ```` ```asl ```` blocks: the state machine in the block is validated while the page renders,
//! and every problem is reported at its line and column in the Markdown file.

use std::path::Path;

use crate::definitions;
use crate::diagnostics::{Diagnostic, LineIndex};

/// The language a block is highlighted as: its definition is JSON or YAML.
pub fn highlight_language(code: &str) -> &'static str {
    match asl::Format::detect(code) {
        asl::Format::Json => "json",
        asl::Format::Yaml => "yaml",
    }
}

/// Validates the definition `code` of a block whose fence starts at `fence` (1-based line and
/// column in `file`). The block's content starts on the line after the fence, indented like it.
pub fn check(code: &str, file: &Path, fence: (usize, usize), diagnostics: &mut Vec<Diagnostic>) {
    let checked = asl::check(code);
    let (fence_line, fence_column) = fence;
    let index = LineIndex::new(code);
    let position = |offset: usize| {
        let (line, column) = index.line_col(offset);
        (fence_line + line, column + fence_column - 1)
    };
    diagnostics.extend(
        checked
            .diagnostics
            .iter()
            .map(|d| definitions::convert(d, file, code, &position)),
    );
}
