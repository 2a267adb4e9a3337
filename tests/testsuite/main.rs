//! The integration tests of the `awskb` package, in one binary (as mdBook and ripgrep do): one
//! test binary links once, where one per file linked the library and its dependencies nine
//! times. Run one module with `cargo test --test testsuite site::` (or any part of a name).

mod asl;
mod asl_render;
mod asl_run;
mod cli;
mod common;
mod edge_cases;
mod mermaid;
mod notes;
mod output_folder;
mod questions;
mod runner;
mod search;
mod serve;
mod site;
