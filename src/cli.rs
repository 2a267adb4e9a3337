//! The command line's arguments (clap), apart from what each command does (`cmd/`).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
