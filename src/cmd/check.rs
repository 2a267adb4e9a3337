//! `awskb check`: everything a build does, nothing written; warnings fail too (for CI).

use crate::cmd::stdout::outln;
use std::process::ExitCode;

use awskb::BuildOptions;

use super::{counts, print_human, refuse_missing_root};
use crate::cli::Format;

/// 0 without problems, 1 with any, 2 when the root is not a folder.
pub fn run(options: BuildOptions, format: Format) -> ExitCode {
    if let Some(code) = refuse_missing_root(&options.root) {
        return code;
    }
    let report = awskb::check(&options);
    let (errors, warnings) = counts(&report);
    match format {
        // The diagnostics, and each page with its number of questions (for an editor's or a
        // CI's summary of study content).
        Format::Json => match serde_json::to_string_pretty(&serde_json::json!({
            "diagnostics": report.diagnostics,
            "pages": report.questions,
        })) {
            Ok(json) => outln!("{json}"),
            Err(e) => eprintln!("error: {e}"),
        },
        Format::Human => {
            print_human(&report, &options.root);
            if errors + warnings == 0 {
                eprintln!("Checked {} pages: no problems.", report.pages);
            } else {
                eprintln!(
                    "Checked {} pages: {errors} error(s), {warnings} warning(s).",
                    report.pages
                );
            }
        }
    }
    if errors + warnings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
