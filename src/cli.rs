//! The command line's arguments (clap), apart from what each command does (`cmd/`).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A static site generator for AWS knowledge bases.
#[derive(Parser)]
#[command(name = "awskb", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands (DESIGN.md §5 is their contract).
#[derive(Subcommand)]
pub enum Command {
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

/// `awskb asl …`.
#[derive(Subcommand)]
pub enum AslCommand {
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
    /// Run one state as the Step Functions TestState API does, offline.
    TestState(TestStateArgs),
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

/// How a command prints its results.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The arguments of `asl test-state`.
#[derive(Args)]
pub struct TestStateArgs {
    /// A definition file with the state, or a file holding one state's definition (JSON or YAML).
    pub file: PathBuf,
    /// The state to run in a whole definition [default: its StartAt state]; the name a lone
    /// state goes by [default: TestState].
    #[arg(long)]
    pub state: Option<String>,
    /// The state's input: JSON text, or @FILE [default: {}].
    #[arg(long)]
    pub input: Option<String>,
    /// INFO: status, output, error, cause, nextState; DEBUG and TRACE add inspectionData.
    #[arg(long, value_enum, default_value_t = TestStateLevel::Info)]
    pub inspection_level: TestStateLevel,
    /// Variables the state sees: a JSON object, or @FILE.
    #[arg(long)]
    pub variables: Option<String>,
    /// Fields laid over the context object ($$, $states.context): a JSON object, or @FILE.
    #[arg(long)]
    pub context: Option<String>,
    /// What the state's Task returns: JSON text, or @FILE.
    #[arg(long, conflicts_with = "mock_error")]
    pub mock_result: Option<String>,
    /// The error the state's Task fails with.
    #[arg(long)]
    pub mock_error: Option<String>,
    /// The cause that goes with --mock-error.
    #[arg(long, requires = "mock_error")]
    pub mock_cause: Option<String>,
    /// A mocks file as for `asl run` (Amazon S3 objects, Tasks inside a Map or Parallel).
    #[arg(long)]
    pub mocks: Option<PathBuf>,
    /// Retries the state's retriers have already made.
    #[arg(long, default_value_t = 0)]
    pub retrier_retry_count: u64,
    /// A Distributed Map's items as its ItemReader source holds them (the object's text, or a
    /// listing as a JSON array), or @FILE; used instead of the mocked S3.
    #[arg(long)]
    pub map_item_reader_data: Option<String>,
    /// Items of the map run that already failed (counted against its tolerated failures).
    #[arg(long, default_value_t = 0)]
    pub map_iteration_failure_count: u64,
    /// Human-readable, or TestState's JSON answer on stdout.
    #[arg(long, value_enum, default_value_t = TestStateFormat::Human)]
    pub format: TestStateFormat,
}

/// How much `asl test-state` reports, with TestState's level names.
#[derive(Clone, Copy, ValueEnum)]
pub enum TestStateLevel {
    #[value(name = "INFO", alias = "info")]
    Info,
    #[value(name = "DEBUG", alias = "debug")]
    Debug,
    #[value(name = "TRACE", alias = "trace")]
    Trace,
}

/// How `asl test-state` prints its answer.
#[derive(Clone, Copy, ValueEnum)]
pub enum TestStateFormat {
    Human,
    Json,
}
