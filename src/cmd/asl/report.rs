//! The human-readable report of a simulated execution: the path taken through the states, the
//! history events, and the result.

use std::fmt::Write;

use asl::simulate::{Event, Outcome, Status};
use serde_json::Value;

/// One line per state entered, indented inside Parallel branches and Map iterations, with the
/// errors raised, the retries and what the simulator did in AWS's place.
pub fn path_taken(history: &[Event]) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut last_failed = false;
    for event in history {
        let indent = "  ".repeat(depth);
        let kind = event.kind.as_str();
        if let Some(state_type) = kind.strip_suffix("StateEntered") {
            let name = event.state_name().unwrap_or_default();
            let _ = writeln!(out, "{indent}-> {name} ({state_type})");
        } else if kind == "MapIterationStarted" {
            let index = detail(event, "index")
                .map(Value::to_string)
                .unwrap_or_default();
            let _ = writeln!(out, "{indent}[item {index}]");
        } else if kind.ends_with("Failed") || kind.ends_with("TimedOut") {
            if let (Some(error), false) = (detail(event, "error"), kind.starts_with("Execution")) {
                let cause = detail(event, "cause")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{indent}   x {}: {cause}",
                    error.as_str().unwrap_or_default()
                );
            }
            last_failed = true;
        } else if (kind == "TaskScheduled" || kind == "LambdaFunctionScheduled") && last_failed {
            let _ = writeln!(out, "{indent}   retry at {}", event.timestamp);
        }
        if kind.ends_with("Scheduled") || kind.ends_with("StateEntered") {
            last_failed = false;
        }
        if let Some(note) = &event.note {
            let _ = writeln!(out, "{indent}   note: {note}");
        }
        match kind {
            "ParallelStateStarted" | "MapStateStarted" => depth += 1,
            "ParallelStateSucceeded"
            | "ParallelStateFailed"
            | "MapStateSucceeded"
            | "MapStateFailed" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// The history as a table: id, virtual time, type, state.
pub fn events(history: &[Event]) -> String {
    let mut out = String::from("\nHistory:\n");
    for event in history {
        let _ = writeln!(
            out,
            "{:>5}  {}  {:<28} {}",
            event.id,
            event.timestamp,
            event.kind,
            event.state_name().unwrap_or_default()
        );
    }
    out.push('\n');
    out
}

/// The status, then the output (or error and cause).
pub fn outcome(outcome: &Outcome) -> String {
    let status = serde_json::to_value(outcome.status).unwrap_or_default();
    let mut out = format!("{}\n", status.as_str().unwrap_or_default());
    if outcome.status == Status::Succeeded {
        let output = outcome.output.as_ref().unwrap_or(&Value::Null);
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(output).unwrap_or_default()
        );
    }
    if let Some(error) = &outcome.error {
        let _ = writeln!(out, "error: {error}");
    }
    if let Some(cause) = &outcome.cause {
        let _ = writeln!(out, "cause: {cause}");
    }
    out
}

fn detail<'a>(event: &'a Event, field: &str) -> Option<&'a Value> {
    event.details.values().find_map(|d| d.get(field))
}
