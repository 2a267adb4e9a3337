//! State machines generated for tests and benchmarks.

use serde_json::{Value, json};

/// A long machine of `n` states: runs of Tasks with Retry and Catch, Choices that skip ahead
/// or loop back, a Parallel and a Map every so often.
pub fn generated(n: usize) -> Value {
    let mut states = serde_json::Map::new();
    let name = |i: usize| format!("Step {i}");
    for i in 0..n {
        let next = if i + 1 < n {
            name(i + 1)
        } else {
            "Finish".into()
        };
        let state = match i % 10 {
            3 => json!({"Type": "Choice", "Choices": [
                    {"Variable": "$.retry", "BooleanEquals": true, "Next": name(i.saturating_sub(2))},
                    {"Variable": "$.skip", "NumericGreaterThan": i, "Next": name((i + 4).min(n - 1))}],
                "Default": next}),
            5 => json!({"Type": "Parallel", "Next": next, "Branches": [
                {"StartAt": format!("Left {i}"), "States": {format!("Left {i}"): {"Type": "Pass", "End": true}}},
                {"StartAt": format!("Right {i}"), "States": {format!("Right {i}"): {"Type": "Wait", "Seconds": 1, "End": true}}}]}),
            8 => {
                json!({"Type": "Map", "Next": next, "ItemProcessor": {"StartAt": format!("Item {i}"), "States": {
                format!("Item {i}"): {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}})
            }
            _ => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": next,
                "Retry": [{"ErrorEquals": ["States.TaskFailed"]}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle failure"}]}),
        };
        states.insert(name(i), state);
    }
    states.insert("Finish".into(), json!({"Type": "Succeed"}));
    states.insert(
        "Handle failure".into(),
        json!({"Type": "Fail", "Error": "Failed"}),
    );
    json!({"StartAt": name(0), "States": states})
}

/// A dense machine of `n` Choice states with `rules` rules each, every rule going to a
/// different state far ahead or behind (a fixed scramble of the indices) and the default to the
/// next state: the long, crossing transitions that make layout costly. 2,000 states with 4
/// rules each make a definition of about 650 KB, under the 1 MB AWS accepts.
pub fn dense_choices(n: usize, rules: usize) -> Value {
    let name = |i: usize| format!("Check {i}");
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let choices: Vec<Value> = (0..rules)
            .map(|r| {
                let target = (i * 7919 + r * 104_729 + 1) % n;
                json!({"Variable": format!("$.v{r}"),
                       "NumericGreaterThan": (i * rules + r) % 1000,
                       "Next": name(target)})
            })
            .collect();
        let default = if i + 1 < n {
            name(i + 1)
        } else {
            "Done".into()
        };
        states.insert(
            name(i),
            json!({"Type": "Choice", "Choices": choices, "Default": default}),
        );
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    json!({"Comment": "A dense Choice machine", "StartAt": name(0), "States": states})
}
