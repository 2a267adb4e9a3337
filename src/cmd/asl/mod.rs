//! `awskb asl validate|run|render|test`: the ASL engine on a Step Functions developer's own
//! definition files.

use crate::cmd::stdout::{out, outln};
mod cases;
mod definition;
mod diagram;
mod report;
pub mod test_state;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use awskb::diagnostics;
use definition::RunError;
use diagram::RenderError;

use super::stderr_color;
use crate::cli::Format;

/// `asl validate`: 0 when every file is valid (warnings allowed), 1 otherwise.
pub fn validate(files: &[PathBuf], format: Format) -> ExitCode {
    let checked = validate::validate_files(files);
    let all: Vec<&diagnostics::Diagnostic> = checked.iter().flat_map(|c| &c.diagnostics).collect();
    match format {
        Format::Json => match serde_json::to_string_pretty(&all) {
            Ok(json) => outln!("{json}"),
            Err(e) => eprintln!("error: {e}"),
        },
        Format::Human => {
            let color = stderr_color();
            for file in &checked {
                diagnostics::print_all(&file.diagnostics, Path::new(""), color);
                if !file.has_errors() {
                    let warnings = file.diagnostics.len();
                    match warnings {
                        0 => eprintln!("{}: valid", file.path.display()),
                        n => eprintln!("{}: valid, {n} warning(s)", file.path.display()),
                    }
                }
            }
        }
    }
    let invalid = checked.iter().filter(|c| c.has_errors()).count();
    if matches!(format, Format::Human) && invalid > 0 {
        eprintln!("{invalid} of {} definition(s) invalid", checked.len());
    }
    if invalid == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// What `asl run` reads.
pub struct RunArgs<'a> {
    pub file: &'a Path,
    pub input: Option<&'a str>,
    pub mocks: Option<&'a Path>,
    pub test_case: Option<&'a str>,
}

/// `asl run`: 0 when the execution succeeded, 1 when it failed or timed out (or the definition
/// is invalid), 2 when an argument is unusable.
pub fn run(
    args: RunArgs,
    options: asl::simulate::Options,
    history: bool,
    format: Format,
) -> ExitCode {
    let prepared = (|| {
        let definition = definition::load_definition(args.file)?;
        let input = match args.input {
            Some(spec) => definition::read_input(spec)?,
            None => serde_json::json!({}),
        };
        let mocks = match args.mocks {
            Some(path) => definition::read_mocks(path, args.test_case)?,
            None => asl::simulate::Mocks::none(),
        };
        Ok::<_, RunError>((definition, input, mocks))
    })();
    let (definition, input, mocks) = match prepared {
        Ok(prepared) => prepared,
        Err(RunError::Invalid {
            diagnostics: found,
            path,
        }) => {
            diagnostics::print_all(&found, Path::new(""), stderr_color());
            eprintln!("{}: invalid, not run", path.display());
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    diagnostics::print_all(&definition.warnings, Path::new(""), stderr_color());
    let mut execution = asl::simulate::Execution::new(definition.machine, input, mocks, options);
    let outcome = execution.run().clone();
    match format {
        Format::Json => {
            let mut value = serde_json::to_value(&outcome).unwrap_or_default();
            if history {
                value["history"] = serde_json::to_value(execution.history()).unwrap_or_default();
            }
            if execution.s3().wrote() {
                value["s3"] = execution.s3().written();
            }
            outln!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Human => {
            out!("{}", report::path_taken(execution.history()));
            if history {
                out!("{}", report::events(execution.history()));
            }
            out!("{}", report::outcome(&outcome));
            for (bucket, objects) in execution.s3().written().as_object().into_iter().flatten() {
                for key in objects.as_object().into_iter().flat_map(|o| o.keys()) {
                    outln!("wrote s3://{bucket}/{key}");
                }
            }
        }
    }
    if outcome.status == asl::simulate::Status::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `asl render`: 0 when the diagram was written, 1 when the definition is invalid, 2 when a
/// file cannot be read or written.
pub fn render(file: &Path, output: Option<&Path>) -> ExitCode {
    let rendered = match diagram::render_file(file) {
        Ok(rendered) => rendered,
        Err(RenderError::Definition(RunError::Invalid {
            diagnostics: found,
            path,
        })) => {
            diagnostics::print_all(&found, Path::new(""), stderr_color());
            eprintln!("{}: invalid, not drawn", path.display());
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    diagnostics::print_all(&rendered.warnings, Path::new(""), stderr_color());
    match output {
        Some(path) => match diagram::write_svg(path, file, &rendered.svg) {
            Ok(()) => {
                eprintln!("Wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        },
        None => {
            use std::io::Write;
            match writeln!(std::io::stdout().lock(), "{}", rendered.svg) {
                Ok(()) => ExitCode::SUCCESS,
                // A reader that stops early (`| head`) is not an error.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write the SVG to standard output: {error}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// `asl test`: 0 when every case passed.
pub fn test(paths: &[PathBuf], format: Format) -> ExitCode {
    let files = match cases::collect(paths) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    use rayon::prelude::*;
    let results: Vec<cases::CaseResult> = files.par_iter().map(|f| cases::run_file(f)).collect();
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    match format {
        Format::Json => {
            let value = serde_json::json!({"passed": passed, "failed": failed, "cases": results});
            outln!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Human => {
            for result in results.iter().filter(|r| !r.passed) {
                outln!(
                    "FAIL {} ({}): {}",
                    result.file.display(),
                    result.name,
                    result.difference.as_deref().unwrap_or_default()
                );
            }
            outln!("{passed} passed, {failed} failed");
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
