//! The `awskb` command line: parses arguments, runs the library, prints diagnostics and maps
//! the outcome to an exit code (0 ok, 1 content errors, 2 usage).

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use awskb::diagnostics;
use awskb::diagram::RenderError;
use awskb::output::OutputError;
use awskb::serve::{Changes, Rebuilt, Reporter, ServeOptions};
use awskb::simulation::{self, RunError, cases};
use awskb::{BuildError, BuildOptions, Report};
use clap::{Parser, Subcommand, ValueEnum};

/// A static site generator for AWS knowledge bases.
#[derive(Parser)]
#[command(name = "awskb", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder any static web server can host.
    Build {
        /// The site folder (holds content/, awskb.toml, templates/, static/).
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: ROOT/public].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Override base_url, e.g. https://example.org/kb/ to host under a sub-path.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Run every check of a build without writing anything; warnings fail too (for CI).
    Check {
        /// The site folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// How to print problems: human-readable on stderr, or a JSON array on stdout.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Serve the site from memory with live reload while you write.
    Serve {
        /// The site folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// The port; 0 picks a free one.
        #[arg(short, long, default_value_t = awskb::serve::DEFAULT_PORT)]
        port: u16,
        /// The address to listen on; anything but loopback lets other machines read the site.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser once it is built.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site that builds as it is.
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Work with Amazon States Language definitions (state machines).
    Asl {
        #[command(subcommand)]
        command: AslCommand,
    },
}

#[derive(Subcommand)]
enum AslCommand {
    /// Validate definitions (JSON or YAML) as AWS would, with AWS's diagnostic codes.
    Validate {
        /// Definition files; `.yaml`/`.yml` are read as YAML, `.json` as JSON, others by content.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print problems: human-readable on stderr, or a JSON array on stdout.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Simulate an execution: no AWS, no real time; Tasks answer from mocks.
    Run {
        /// The definition file (JSON or YAML).
        file: PathBuf,
        /// The execution input: JSON text, or @FILE to read it from a file [default: {}].
        #[arg(long)]
        input: Option<String>,
        /// Mocked Task responses: {"State": {"0": {"Return": ...}, "1-2": {"Throw": {...}}}}.
        #[arg(long)]
        mocks: Option<PathBuf>,
        /// Read --mocks as a Step Functions Local mock configuration and use this test case.
        #[arg(long, requires = "mocks")]
        test_case: Option<String>,
        /// Also print the execution's history events.
        #[arg(long)]
        history: bool,
        /// Human-readable (the path taken, then the result), or JSON on stdout.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Seed for jitter, States.MathRandom and States.UUID.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// State transitions allowed before a run is stopped as a runaway loop.
        #[arg(long, default_value_t = asl::simulate::DEFAULT_MAX_TRANSITIONS)]
        max_transitions: u64,
    },
    /// Draw a definition as a standalone SVG diagram (light and dark styles embedded).
    Render {
        /// The definition file (JSON or YAML).
        file: PathBuf,
        /// Where to write the SVG [default: standard output].
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Run case files (definition, input, mocks, expected result) and report differences.
    Test {
        /// Case files, or folders searched for *.json case files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Human-readable (one line per failure, then totals), or JSON per case on stdout.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build(BuildOptions {
            root,
            output,
            base_url,
            drafts,
        }),
        Command::Check {
            root,
            drafts,
            format,
        } => check(
            BuildOptions {
                drafts,
                ..BuildOptions::new(root)
            },
            format,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
        } => serve(
            ServeOptions {
                root,
                port,
                bind,
                drafts,
            },
            open,
        ),
        Command::Asl {
            command: AslCommand::Validate { files, format },
        } => asl_validate(&files, format),
        Command::Asl {
            command:
                AslCommand::Run {
                    file,
                    input,
                    mocks,
                    test_case,
                    history,
                    format,
                    seed,
                    max_transitions,
                },
        } => {
            let options = asl::simulate::Options {
                seed,
                max_transitions,
                ..Default::default()
            };
            let run = RunArgs {
                file: &file,
                input: input.as_deref(),
                mocks: mocks.as_deref(),
                test_case: test_case.as_deref(),
            };
            asl_run(run, options, history, format)
        }
        Command::Asl {
            command: AslCommand::Render { file, output },
        } => asl_render(&file, output.as_deref()),
        Command::Asl {
            command: AslCommand::Test { paths, format },
        } => asl_test(&paths, format),
        Command::Init { dir } => match awskb::init::init(&dir) {
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
        },
    }
}

fn build(options: BuildOptions) -> ExitCode {
    if let Some(code) = refuse_missing_root(&options.root) {
        return code;
    }
    let started = Instant::now();
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
            e @ (OutputError::Refused { .. } | OutputError::NotOurs { .. }),
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

fn check(options: BuildOptions, format: Format) -> ExitCode {
    if let Some(code) = refuse_missing_root(&options.root) {
        return code;
    }
    let report = awskb::check(&options);
    let (errors, warnings) = counts(&report);
    match format {
        Format::Json => match serde_json::to_string_pretty(&serde_json::json!({
            "diagnostics": report.diagnostics,
            "pages": report.questions,
        })) {
            Ok(json) => println!("{json}"),
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

/// `serve`: runs until interrupted; 2 when it cannot start.
fn serve(options: ServeOptions, open: bool) -> ExitCode {
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
        println!("Serving {} at {url} (Ctrl-C to stop)", self.root.display());
        let _ = std::io::stdout().flush();
        if self.open
            && let Err(e) = opener::open_browser(url)
        {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    fn rebuilt(&self, changes: &Changes, rebuilt: &Rebuilt, elapsed: Duration) {
        let what = if changes.everything {
            "the site".to_string()
        } else {
            let mut names: Vec<String> = changes
                .content
                .iter()
                .map(|p| format!("content/{}", p.display()))
                .chain(changes.templates.iter().map(|t| format!("templates/{t}")))
                .chain(changes.statics.iter().map(|s| format!("static/{s}")))
                .collect();
            if names.len() > 3 {
                let more = names.len() - 3;
                names.truncate(3);
                names.push(format!("{more} more"));
            }
            names.join(", ")
        };
        let problems = self.problems(rebuilt);
        eprintln!(
            "Rebuilt {what} in {} ms: {} file(s) changed{problems}",
            elapsed.as_millis(),
            rebuilt.changed.len()
        );
    }

    fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }
}

/// `asl validate`: 0 when every file is valid (warnings allowed), 1 otherwise.
fn asl_validate(files: &[PathBuf], format: Format) -> ExitCode {
    let checked = awskb::definitions::validate_files(files);
    let all: Vec<&diagnostics::Diagnostic> = checked.iter().flat_map(|c| &c.diagnostics).collect();
    match format {
        Format::Json => match serde_json::to_string_pretty(&all) {
            Ok(json) => println!("{json}"),
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
struct RunArgs<'a> {
    file: &'a Path,
    input: Option<&'a str>,
    mocks: Option<&'a Path>,
    test_case: Option<&'a str>,
}

/// `asl run`: 0 when the execution succeeded, 1 when it failed or timed out (or the definition
/// is invalid), 2 when an argument is unusable.
fn asl_run(
    args: RunArgs,
    options: asl::simulate::Options,
    history: bool,
    format: Format,
) -> ExitCode {
    let prepared = (|| {
        let definition = simulation::load_definition(args.file)?;
        let input = match args.input {
            Some(spec) => simulation::read_input(spec)?,
            None => serde_json::json!({}),
        };
        let mocks = match args.mocks {
            Some(path) => simulation::read_mocks(path, args.test_case)?,
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
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Human => {
            print!("{}", simulation::report::path_taken(execution.history()));
            if history {
                print!("{}", simulation::report::events(execution.history()));
            }
            print!("{}", simulation::report::outcome(&outcome));
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
fn asl_render(file: &Path, output: Option<&Path>) -> ExitCode {
    let rendered = match awskb::diagram::render_file(file) {
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
        Some(path) => match awskb::diagram::write_svg(path, file, &rendered.svg) {
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
fn asl_test(paths: &[PathBuf], format: Format) -> ExitCode {
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
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Human => {
            for result in results.iter().filter(|r| !r.passed) {
                println!(
                    "FAIL {} ({}): {}",
                    result.file.display(),
                    result.name,
                    result.difference.as_deref().unwrap_or_default()
                );
            }
            println!("{passed} passed, {failed} failed");
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A root that does not exist is a usage error, not a content error.
fn refuse_missing_root(root: &Path) -> Option<ExitCode> {
    if root.is_dir() {
        return None;
    }
    eprintln!(
        "error: {} is not a folder; pass the site folder with -r (it holds content/ and awskb.toml)",
        root.display()
    );
    Some(ExitCode::from(2))
}

fn counts(report: &Report) -> (usize, usize) {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, report.diagnostics.len() - errors)
}

/// Colours in diagnostics only on a terminal, and never with `NO_COLOR` set.
fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_human(report: &Report, root: &Path) {
    diagnostics::print_all(&report.diagnostics, root, stderr_color());
}
