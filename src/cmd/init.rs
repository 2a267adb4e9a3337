//! `awskb init DIR`: a new site that builds as it is.

use std::path::Path;
use std::process::ExitCode;

/// 0 when the site was created, 2 when the folder cannot be used.
pub fn run(dir: &Path) -> ExitCode {
    match awskb::init::init(dir) {
        Ok(()) => {
            eprintln!(
                "Created a new site in {}. Next:\n  cd {}\n  awskb build\nthen open public/index.html in a browser.",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
