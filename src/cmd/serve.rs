//! `awskb serve`: the dev server, and what it prints.

use crate::cmd::stdout::outln;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use awskb::diagnostics;
use awskb::serve::{Changes, Rebuilt, Reporter, ServeOptions};

use super::{refuse_missing_root, stderr_color};

/// `serve`: runs until interrupted; 2 when it cannot start.
pub fn run(options: ServeOptions, open: bool) -> ExitCode {
    if let Some(code) = refuse_missing_root(&options.root) {
        return code;
    }
    let reporter = Arc::new(ServeReporter {
        root: options.root.clone(),
        open,
        color: stderr_color(),
    });
    match awskb::serve::serve(&options, reporter) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints what `serve` does: the address once, then one line per rebuild and its errors.
struct ServeReporter {
    root: PathBuf,
    open: bool,
    color: bool,
}

impl ServeReporter {
    /// Errors in full (they are what the author must fix now), warnings as a count: they were
    /// printed in full when the server started.
    fn problems(&self, rebuilt: &Rebuilt) -> String {
        let errors: Vec<_> = rebuilt
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        diagnostics::print_all(&errors, &self.root, self.color);
        let warnings = rebuilt.diagnostics.len() - errors.len();
        match (errors.len(), warnings) {
            (0, 0) => String::new(),
            (0, w) => format!(", {w} warning(s)"),
            (e, w) => {
                format!("; {e} error(s), {w} warning(s): the last good version is still served")
            }
        }
    }
}

impl Reporter for ServeReporter {
    fn ready(&self, url: &str, first: &Rebuilt, elapsed: Duration) {
        diagnostics::print_all(&first.diagnostics, &self.root, self.color);
        eprintln!(
            "Built {} files in {} ms",
            first.changed.len(),
            elapsed.as_millis()
        );
        // On stdout, for scripts that start the server and wait for its address.
        outln!("Serving {} at {url} (Ctrl-C to stop)", self.root.display());
        let _ = std::io::stdout().flush();
        if self.open
            && let Err(e) = opener::open_browser(url)
        {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    fn rebuilt(&self, changes: &Changes, rebuilt: &Rebuilt, elapsed: Duration) {
        let what = describe(changes);
        let problems = self.problems(rebuilt);
        eprintln!(
            "Rebuilt {what} in {} ms: {} file(s) changed{problems}",
            elapsed.as_millis(),
            rebuilt.changed.len()
        );
    }

    fn superseded(&self, changes: &Changes, elapsed: Duration) {
        eprintln!(
            "Rebuild of {} superseded after {} ms by a newer change; rebuilding both",
            describe(changes),
            elapsed.as_millis()
        );
    }

    fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn info(&self, message: &str) {
        eprintln!("info: {message}");
    }
}

/// The files of a change, for one line of the log: at most three, then how many more.
fn describe(changes: &Changes) -> String {
    if changes.everything {
        return "the site".to_string();
    }
    let mut names: Vec<String> = changes
        .content
        .iter()
        .map(|p| changes.content_dir.join(p).display().to_string())
        .chain(changes.templates.iter().map(|t| format!("templates/{t}")))
        .chain(changes.statics.iter().map(|s| format!("static/{s}")))
        .collect();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("{more} more"));
    }
    names.join(", ")
}
