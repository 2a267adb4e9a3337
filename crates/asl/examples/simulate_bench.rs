//! Times the execution simulator on one definition: parse and validate it once, then run it
//! several times with the library API and print the timings.
//!
//! ```sh
//! cargo build --release -p asl --example simulate_bench
//! target/release/examples/simulate_bench bench/asl_simulate/loop.asl.json \
//!     --input '{"limit": 49999}' --runs 5 [--warmups 1] [--max-transitions N] [--json]
//! ```
//!
//! `bench/asl_simulate.py` drives it with `--json` (one JSON object on stdout). Transitions are
//! the state entries (`*StateEntered` events) of a run, what `Options::max_transitions` counts.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use asl::simulate::{Execution, Mocks, Options, Status};
use serde_json::{Value, json};

struct Args {
    file: String,
    input: Value,
    runs: usize,
    warmups: usize,
    max_transitions: u64,
    json: bool,
}

const USAGE: &str = "usage: simulate_bench FILE [--input JSON] [--runs N] [--warmups N] [--max-transitions N] [--json]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        file: String::new(),
        input: json!({}),
        runs: 5,
        warmups: 1,
        max_transitions: 10_000_000,
        json: false,
    };
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| rest.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--input" => {
                let text = value("--input")?;
                args.input = serde_json::from_str(&text).map_err(|e| format!("--input: {e}"))?;
            }
            "--runs" => args.runs = number(&value("--runs")?, "--runs")?,
            "--warmups" => args.warmups = number(&value("--warmups")?, "--warmups")?,
            "--max-transitions" => {
                args.max_transitions = number(&value("--max-transitions")?, "--max-transitions")?;
            }
            "--json" => args.json = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}\n{USAGE}")),
            _ if args.file.is_empty() => args.file = arg,
            _ => return Err(format!("unexpected argument {arg}\n{USAGE}")),
        }
    }
    if args.file.is_empty() {
        return Err(USAGE.to_string());
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: not a number: {text}"))
}

/// One execution: its wall time in milliseconds (`Execution::new` and `run`), the time dropping
/// it took afterwards (mostly freeing the history), the transitions it made, and how it ended.
struct Run {
    ms: f64,
    drop_ms: f64,
    transitions: usize,
    outcome: asl::simulate::Outcome,
}

fn run_once(machine: &Arc<asl::StateMachine>, args: &Args) -> Run {
    let options = Options {
        max_transitions: args.max_transitions,
        ..Options::default()
    };
    let started = Instant::now();
    let mut execution = Execution::new(machine.clone(), args.input.clone(), Mocks::none(), options);
    let outcome = execution.run().clone();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let transitions = execution
        .history()
        .iter()
        .filter(|event| event.kind.ends_with("StateEntered"))
        .count();
    let started = Instant::now();
    drop(execution);
    let drop_ms = started.elapsed().as_secs_f64() * 1e3;
    Run {
        ms,
        drop_ms,
        transitions,
        outcome,
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", args.file);
            return ExitCode::from(2);
        }
    };

    let started = Instant::now();
    let checked = asl::check(&text);
    let validate_ms = started.elapsed().as_secs_f64() * 1e3;
    let Some(machine) = checked.machine else {
        for diagnostic in &checked.diagnostics {
            eprintln!(
                "{:?} at {}: {}",
                diagnostic.code, diagnostic.pointer, diagnostic.message
            );
        }
        eprintln!("{}: invalid definition", args.file);
        return ExitCode::from(1);
    };
    let machine = Arc::new(machine);

    let first = run_once(&machine, &args);
    for _ in 1..args.warmups {
        run_once(&machine, &args);
    }
    let mut run_ms = Vec::with_capacity(args.runs);
    let mut drop_ms = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let run = run_once(&machine, &args);
        if run.outcome != first.outcome {
            eprintln!("a timed run ended differently from the first run");
            return ExitCode::from(1);
        }
        run_ms.push(run.ms);
        drop_ms.push(run.drop_ms);
    }
    let succeeded = first.outcome.status == Status::Succeeded;

    if args.json {
        let value = json!({
            "engine": "asl (awskb)",
            "validate_ms": validate_ms,
            "run_ms": run_ms,
            "drop_ms": drop_ms,
            "transitions": first.transitions,
            "outcome": first.outcome,
        });
        println!("{value}");
    } else {
        let median_ms = median(&run_ms);
        println!("definition   {}", args.file);
        println!("validate     {validate_ms:.2} ms (parse + validate, once)");
        println!("transitions  {}", first.transitions);
        println!("status       {:?}", first.outcome.status);
        if let Some(error) = &first.outcome.error {
            println!(
                "error        {error}: {}",
                first.outcome.cause.as_deref().unwrap_or("")
            );
        }
        let runs: Vec<String> = run_ms.iter().map(|ms| format!("{ms:.1}")).collect();
        println!("runs (ms)    {}", runs.join(" "));
        println!("median       {median_ms:.1} ms");
        println!(
            "drop         {:.1} ms (median; freeing the execution and its history)",
            median(&drop_ms)
        );
        println!(
            "rate         {:.0} transitions/s",
            first.transitions as f64 / (median_ms / 1e3)
        );
    }
    if succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
