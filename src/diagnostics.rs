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

    /// The first line of the human format: `path:line:column: error[CODE]: message`. Control
    /// characters from the content (ESC, BEL) are shown escaped, never sent to the terminal.
    pub fn headline(&self) -> String {
        printable(&format!(
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.line.max(1),
            self.column.max(1),
            self.severity,
            self.code,
            self.message
        ))
    }

    /// The headline, then an excerpt of the source line (when `source` has it) and the help.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let line = match self.line {
            0 => None,
            n => source.and_then(|text| text.lines().nth(n - 1)),
        };
        self.render_line(line, color)
    }

    /// [`Diagnostic::render`] given the diagnostic's own source line.
    fn render_line(&self, line: Option<&str>, color: bool) -> String {
        let mut out = self.headline();
        out.push('\n');
        let excerpt = line.map(|text| excerpt(text, self.column, self.len as usize));
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
                    .path(printable(&self.file.display().to_string()))
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

/// Characters of a long line shown on each side of the underlined part.
const EXCERPT_CONTEXT: usize = 60;

/// The part of `line` to show and the byte range of `len` characters from `column` in it. A long
/// line (minified JSON) is cut to a window around the problem, so printing many problems of one
/// line costs the window, not the line, each time.
fn excerpt(line: &str, column: usize, len: usize) -> (String, std::ops::Range<usize>) {
    let line = line.trim_end_matches('\r');
    let first = column.saturating_sub(1);
    let last = first + len.max(1);
    let from = first.saturating_sub(EXCERPT_CONTEXT);
    let mut shown = String::new();
    let mut span = None;
    let mut start = None;
    if from > 0 {
        shown.push('…');
    }
    for (i, c) in line.chars().enumerate().skip(from) {
        if i == first {
            start = Some(shown.len());
        }
        if i == last {
            span = Some(start.unwrap_or(shown.len())..shown.len());
        }
        if i >= last + EXCERPT_CONTEXT {
            shown.push('…');
            break;
        }
        if c.is_control() && c != '\t' {
            shown.push('�');
        } else {
            shown.push(c);
        }
    }
    let start = start.unwrap_or(shown.len());
    let span = span.unwrap_or(start..shown.len());
    (shown, span)
}

/// `text` with control characters (other than tab and newline) written as `\u{1b}`.
fn printable(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\t' && c != '\n')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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

/// Prints the diagnostics to stderr with excerpts read from `root` joined with each file (read
/// once per file, each line found through an index rather than a scan): at most
/// [`PRINTED_PER_CODE`] of each code, then a line per code saying how many more there are
/// (`check --format json` lists every one).
pub fn print_all(diagnostics: &[Diagnostic], root: &Path, color: bool) {
    let mut cached: Option<(PathBuf, Option<Lines>)> = None;
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
            let text = std::fs::read(&path).ok().map(|bytes| {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let starts = line_starts(&text);
                (text, starts)
            });
            cached = Some((path, text));
        }
        let line = cached
            .as_ref()
            .and_then(|(_, text)| text.as_ref())
            .and_then(|(text, starts)| nth_line(text, starts, diagnostic.line));
        eprint!("{}", diagnostic.render_line(line, color));
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

/// A file's text with the byte offsets where its lines start.
type Lines = (String, Vec<usize>);

/// Byte offsets where the lines of `text` start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Line `line` (1-based) of `text`, without its line break.
fn nth_line<'a>(text: &'a str, starts: &[usize], line: usize) -> Option<&'a str> {
    let start = *starts.get(line.checked_sub(1)?)?;
    if start >= text.len() && line > 1 {
        return None;
    }
    let end = starts.get(line).map_or(text.len(), |next| next - 1);
    Some(&text[start..end])
}

/// Line starts of a text, for many offsets in one text (shared with the engine, which needs it
/// in the browser too).
pub use asl::LineIndex;

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
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::error("a\x1b[2J.md", 1, 1, "w", "bad \x07\x1b]0;title\x07 text");
        let text = d.render(Some("x\x1by\n"), false);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.contains("\\u{1b}"), "{text}");
    }

    #[test]
    fn a_long_line_is_shown_around_the_problem() {
        let line = format!("{}BROKEN{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("a.json", 1, 5001, "w", "m").with_len(6);
        let text = d.render(Some(&line), false);
        assert!(
            text.contains("…aaaa") && text.contains("BROKENbbb"),
            "{text}"
        );
        assert!(text.len() < 600, "{} bytes", text.len());
        let caret = text.lines().find(|l| l.contains("^^^^^^")).unwrap();
        let shown = text.lines().find(|l| l.contains("BROKEN")).unwrap();
        let column = |line: &str, at: usize| line[..at].chars().count();
        assert_eq!(
            column(caret, caret.find('^').unwrap()),
            column(shown, shown.find("BROKEN").unwrap()),
            "{text}"
        );
    }

    #[test]
    fn lines_are_found_by_index() {
        let text = "one\ntwo\r\n\nfour";
        let starts = line_starts(text);
        assert_eq!(nth_line(text, &starts, 1), Some("one"));
        assert_eq!(nth_line(text, &starts, 2), Some("two\r"));
        assert_eq!(nth_line(text, &starts, 3), Some(""));
        assert_eq!(nth_line(text, &starts, 4), Some("four"));
        assert_eq!(nth_line(text, &starts, 5), None);
        assert_eq!(nth_line(text, &starts, 0), None);
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
