//! The `awskb` command line: parses the arguments ([`cli`]) and hands each command to its
//! module in [`cmd`], which runs the library, prints the results and picks the exit code (0 ok,
//! 1 content errors, 2 usage).

mod cli;
mod cmd;

use std::process::ExitCode;

use awskb::BuildOptions;
use awskb::serve::ServeOptions;
use clap::Parser;

use cli::{AslCommand, Cli, Command};

/// mimalloc rather than the system allocator: a build frees each page's Markdown once its links
/// are checked, and glibc's allocator then spends a quarter of the render pass searching its
/// fragmented free lists (README.md, "Performance", has the figures).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => cmd::build::run(BuildOptions {
            root,
            output,
            base_url,
            drafts,
        }),
        Command::Check {
            root,
            drafts,
            format,
        } => cmd::check::run(
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
        } => cmd::serve::run(
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
        } => cmd::asl::validate(&files, format),
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
            let run = cmd::asl::RunArgs {
                file: &file,
                input: input.as_deref(),
                mocks: mocks.as_deref(),
                test_case: test_case.as_deref(),
            };
            cmd::asl::run(run, options, history, format)
        }
        Command::Asl {
            command: AslCommand::Render { file, output },
        } => cmd::asl::render(&file, output.as_deref()),
        Command::Asl {
            command: AslCommand::Test { paths, format },
        } => cmd::asl::test(&paths, format),
        Command::Asl {
            command: AslCommand::TestState(args),
        } => cmd::asl::test_state::run(args, cmd::stderr_color()),
        Command::Init { dir } => cmd::init::run(&dir),
    }
}
