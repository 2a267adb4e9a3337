//! Times expressions that used to exhaust memory or take quadratic time, and shows the peak
//! memory of the process, so the budgets can be checked by hand:
//!
//! ```text
//! cargo run -p jsonata --release --example limits            # the built-in list
//! cargo run -p jsonata --release --example limits -- 'EXPR'  # one expression
//! ```
//!
//! Each expression of the list runs in a fresh process (this program, started again with the
//! expression) so that its peak memory is its own. The peak is the `VmHWM` line of
//! `/proc/self/status`, so it is shown on Linux only.

use std::process::{Command, ExitCode};
use std::time::Instant;

const EXPRESSIONS: &[&str] = &[
    r#"$reduce([1..40], function($a, $v){ $a & $a }, "xxxxxxxx")"#,
    "$count([1..10000000].([1..10000000]))",
    "[1..10000000] ~> $count()",
    "$count($distinct([1..100000]))",
    "$count($distinct([1..5000000]))",
    "$count([1..60000][$ in [1..60000]])",
    r#"$length($join([1..100000].$pad("", 10000)))"#,
];

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn run(source: &str) {
    let start = Instant::now();
    let outcome =
        jsonata::compile(source).and_then(|e| e.evaluate(None, &jsonata::Environment::new()));
    let elapsed = start.elapsed();
    let outcome = match outcome {
        Ok(Some(v)) => v.to_string(),
        Ok(None) => "undefined".into(),
        Err(e) => format!("error {}: {}", e.code, e.message),
    };
    let outcome: String = outcome.chars().take(100).collect();
    println!(
        "{source}\n  {:.3} s, peak memory {}: {outcome}",
        elapsed.as_secs_f64(),
        peak_memory()
    );
}

fn main() -> ExitCode {
    if let Some(source) = std::env::args().nth(1) {
        run(&source);
        return ExitCode::SUCCESS;
    }
    let Ok(me) = std::env::current_exe() else {
        eprintln!("cannot find this program to start it again");
        return ExitCode::FAILURE;
    };
    for source in EXPRESSIONS {
        if !Command::new(&me)
            .arg(source)
            .status()
            .is_ok_and(|s| s.success())
        {
            println!("{source}\n  the process failed");
        }
    }
    ExitCode::SUCCESS
}
