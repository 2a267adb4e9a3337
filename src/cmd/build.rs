//! `awskb build`: the site into its output folder.

use std::process::ExitCode;
use std::time::Instant;

use awskb::output::OutputError;
use awskb::{BuildError, BuildOptions};

use super::{counts, print_human, refuse_missing_root};

/// 0 when built (warnings allowed), 1 on content errors, 2 when the output folder is refused.
pub fn run(options: BuildOptions) -> ExitCode {
    if let Some(code) = refuse_missing_root(&options.root) {
        return code;
    }
    let started = Instant::now();
    awskb::output::clean_up_on_signal();
    match awskb::build(&options) {
        Ok(report) => {
            print_human(&report, &options.root);
            let (errors, warnings) = counts(&report);
            match &report.output {
                Some(output) => {
                    eprintln!(
                        "Built {} pages ({} files) into {} in {} ms{}",
                        report.pages,
                        report.files,
                        output.display(),
                        started.elapsed().as_millis(),
                        if warnings > 0 {
                            format!(", {warnings} warning(s)")
                        } else {
                            String::new()
                        }
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "Build failed: {errors} error(s), {warnings} warning(s); the previous output was left as it was."
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err(BuildError::Output(
            e @ (OutputError::Refused { .. }
            | OutputError::NotOurs { .. }
            | OutputError::Foreign { .. }
            | OutputError::Busy { .. }),
        )) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
