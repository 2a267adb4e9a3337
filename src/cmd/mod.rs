//! One module per command, as `awskb --help` lists them; each runs the library, prints what it
//! found and returns the exit code. Helpers shared by several commands are here.

pub mod asl;
pub mod build;
pub mod check;
pub mod init;
pub mod serve;
pub mod stdout;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use awskb::Report;
use awskb::diagnostics;

/// A root that does not exist is a usage error, not a content error.
pub fn refuse_missing_root(root: &Path) -> Option<ExitCode> {
    if root.is_dir() {
        return None;
    }
    eprintln!(
        "error: {} is not a folder; pass the site folder with -r (it holds content/ and awskb.toml)",
        root.display()
    );
    Some(ExitCode::from(2))
}

/// Errors and warnings of a report.
pub fn counts(report: &Report) -> (usize, usize) {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, report.diagnostics.len() - errors)
}

/// Colours in diagnostics only on a terminal, and never with `NO_COLOR` set.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints where the pages came from when awskb chose, then every problem of a report, on
/// stderr.
pub fn print_human(report: &Report, root: &Path) {
    for note in &report.notes {
        eprintln!("info: {note}");
    }
    diagnostics::print_all(&report.diagnostics, root, stderr_color());
}
