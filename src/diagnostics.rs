//! One diagnostic type for every problem a build finds, and its printing.
//!
//! Stages collect diagnostics instead of returning early, so one run reports every problem,
//! sorted by file and line. Printing happens only at the edge (the command line).

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is. `check` fails on warnings too; `build` only on errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem found in the author's files, located by file, 1-based line and 1-based column
/// (in characters). `line` 0 means the problem concerns the whole file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// Length in characters of the offending text, for the underline in the excerpt.
    #[serde(skip)]
    pub len: u32,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<Box<str>>,
    /// For problems inside a state machine definition: the JSON pointer of the offending value
    /// (`/States/Check/Next`), which tools can use without parsing the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<Box<str>>,
}

impl Diagnostic {
    /// An error at `line:column` of `file`.
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column,
            len: 1,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            pointer: None,
        }
    }

    /// A warning at `line:column` of `file`.
    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, code, message)
        }
    }

    /// Adds a hint telling the author what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Records where in a state machine definition the problem is.
    pub fn with_pointer(mut self, pointer: &str) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets how many characters the excerpt underlines.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = u32::try_from(len.max(1)).unwrap_or(u32::MAX);
        self
    }

    /// The first line of the human format: `path:line:column: error[CODE]: message`.
    pub fn headline(&self) -> String {
        format!(
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.line.max(1),
            self.column.max(1),
            self.severity,
            self.code,
            self.message
        )
    }

    /// The headline, then an excerpt of the source line (when `source` has it) and the help.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let mut out = self.headline();
        out.push('\n');
        let excerpt =
            source.and_then(|text| line_span(text, self.line, self.column, self.len as usize));
        if excerpt.is_none() && self.help.is_none() {
            return out;
        }
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_level(level.clone());
        if let Some((line_text, span)) = &excerpt {
            group = group.element(
                Snippet::source(line_text.as_str())
                    .line_start(self.line)
                    .path(self.file.display().to_string())
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(&**help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        out.push_str(&renderer.render(&[group]).to_string());
        out.push('\n');
        out
    }
}

/// The text of line `line` of `text` and the byte range of `len` characters from `column`.
fn line_span(
    text: &str,
    line: usize,
    column: usize,
    len: usize,
) -> Option<(String, std::ops::Range<usize>)> {
    if line == 0 {
        return None;
    }
    let line_text = text
        .lines()
        .nth(line - 1)?
        .trim_end_matches('\r')
        .to_string();
    let byte_at = |chars: usize| {
        line_text
            .char_indices()
            .nth(chars)
            .map_or(line_text.len(), |(i, _)| i)
    };
    let start = byte_at(column.saturating_sub(1));
    let end = byte_at(column.saturating_sub(1) + len.max(1)).max(start);
    Some((line_text, start..end))
}

/// Sorts diagnostics by file, line and column, errors before warnings at the same place.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// How many problems of one code are printed in full; the rest are counted in one line (a
/// notes repository can have thousands of one kind, which would bury every other).
pub const PRINTED_PER_CODE: usize = 20;

/// Prints the diagnostics to stderr with excerpts read from `root` joined with each file: at
/// most [`PRINTED_PER_CODE`] of each code, then a line per code saying how many more there are
/// (`check --format json` lists every one).
pub fn print_all(diagnostics: &[Diagnostic], root: &Path, color: bool) {
    let mut cached: Option<(PathBuf, Option<String>)> = None;
    let mut printed: Vec<(&str, usize)> = Vec::new();
    for diagnostic in diagnostics {
        let count = match printed
            .iter_mut()
            .find(|(code, _)| *code == diagnostic.code)
        {
            Some((_, count)) => count,
            None => {
                printed.push((diagnostic.code, 0));
                &mut printed.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if *count > PRINTED_PER_CODE {
            continue;
        }
        let path = root.join(&diagnostic.file);
        if cached.as_ref().is_none_or(|(p, _)| *p != path) {
            let text = std::fs::read(&path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            cached = Some((path, text));
        }
        let source = cached.as_ref().and_then(|(_, text)| text.as_deref());
        eprint!("{}", diagnostic.render(source, color));
    }
    for line in omitted(&printed) {
        eprintln!("{line}");
    }
}

/// One line for each code with more than [`PRINTED_PER_CODE`] problems.
fn omitted(counts: &[(&str, usize)]) -> Vec<String> {
    counts
        .iter()
        .filter(|(_, count)| *count > PRINTED_PER_CODE)
        .map(|(code, count)| {
            format!(
                "... and {} more [{code}] problems not shown (`awskb check --format json` lists all {count})",
                count - PRINTED_PER_CODE
            )
        })
        .collect()
}

/// Line starts of a text, for many offsets in one text (shared with the engine, which needs it
/// in the browser too).
pub use asl::source::LineIndex;

/// Converts a byte offset in `text` into a 1-based line and a 1-based column counted in chars.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_follows_the_contract() {
        let d = Diagnostic::error("content/a.md", 3, 7, "broken-link", "no page at /x/");
        assert_eq!(
            d.headline(),
            "content/a.md:3:7: error[broken-link]: no page at /x/"
        );
    }

    #[test]
    fn excerpt_shows_the_line() {
        let d = Diagnostic::warning("a.md", 2, 3, "w", "m")
            .with_len(3)
            .with_help("do this");
        let text = d.render(Some("first\nsecond line\n"), false);
        assert!(text.contains("second line"), "{text}");
        assert!(text.contains("do this"), "{text}");
    }

    #[test]
    fn only_codes_over_the_limit_are_summed_up() {
        assert_eq!(
            omitted(&[("broken-link", 25), ("liquid", 20)]),
            [
                "... and 5 more [broken-link] problems not shown (`awskb check --format json` lists all 25)"
            ]
        );
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\nüc d", 6), (2, 3));
        assert_eq!(line_col("abc", 0), (1, 1));
        let text = "ab\nüc d\n\nx";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "offset {offset}"
                );
            }
        }
    }
}
