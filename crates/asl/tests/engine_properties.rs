//! Property tests of the whole engine: generated and edited state machines go through the JSON
//! and YAML source parsers, the validator and, when valid, the simulator with random mocks and
//! inputs. Whatever they are, the engine answers with diagnostics or an outcome: no panic, no
//! hang (the simulator's transition budget and JSONata's budgets end runaways).
//!
//! Meant for release mode; `PROPTEST_CASES` sets the cases per property (256 by default):
//!
//! ```text
//! PROPTEST_CASES=5000 cargo test --release -p asl --test engine_properties
//! ```
//!
//! The seed corpus is `tests/corpus/*.json` (a definition, an input and mocks each). Failures
//! proptest finds are saved in `engine_properties.proptest-regressions` (commit it); a crash
//! also becomes a case in [`regressions_end_with_an_outcome`].

use asl::simulate::{Execution, Mocks, Options, Status};
use proptest::prelude::*;
use serde_json::{Value, json};

#[path = "support/fuzz.rs"]
mod fuzz;
use fuzz::{check_text, mutate};

const CORPUS: &[&str] = &[
    include_str!("corpus/orders.json"),
    include_str!("corpus/jsonata.json"),
    include_str!("corpus/loop.json"),
];

fn corpus() -> Vec<Value> {
    CORPUS
        .iter()
        .map(|text| serde_json::from_str(text).expect("corpus files are JSON"))
        .collect()
}

/// Block-style YAML for a JSON value (every string quoted, so YAML reads the same values).
fn yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                out.push_str(&format!("\n{pad}{}:", Value::String(k.clone())));
                yaml(v, indent + 2, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for v in items {
                out.push_str(&format!("\n{pad}-"));
                yaml(v, indent + 2, out);
            }
        }
        scalar => out.push_str(&format!(" {scalar}")),
    }
}

/// Validates `definition` from its JSON and YAML texts and, when valid, runs it.
fn exercise(definition: &Value, input: &Value, mocks: &Value, seed: u64) {
    let Some(machine) = check_text(&serde_json::to_string_pretty(definition).unwrap()) else {
        return;
    };
    let mut text = String::new();
    yaml(definition, 0, &mut text);
    let from_yaml = asl::check_format(&text, asl::Format::Yaml);
    assert!(
        from_yaml.machine.is_some(),
        "the YAML form of a valid definition is valid:{text}"
    );
    let Ok(mocks) = Mocks::from_json(mocks) else {
        return;
    };
    // A small JSONata budget, so a loop re-entering a runaway expression ends within a case.
    let options = Options {
        seed,
        max_transitions: 300,
        max_query_steps: 200_000,
        ..Options::default()
    };
    let outcome = Execution::new(machine, input.clone(), mocks, options)
        .run()
        .clone();
    assert_ne!(outcome.status, Status::Running);
    assert_eq!(
        outcome.output.is_some(),
        outcome.status == Status::Succeeded,
        "{outcome:?}"
    );
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..20).prop_map(|n| json!(n)),
        Just(json!(1.5)),
        prop::sample::select(&["", "a", "done", "busy", "2026-01-01T00:00:00Z"][..])
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(&["n", "items", "price", "state", "list", "a"][..]),
                    inner
                ),
                0..4
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

const ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "Busy",
    "States.QueryEvaluationError",
];

const JSONATA: &[&str] = &[
    "{% $states.input %}",
    "{% $states.input.n + 1 %}",
    "{% $count($states.input.items) > 1 %}",
    "{% $states.input.list ~> $map(function($v) { $v * 2 }) %}",
    "{% $n %}",
    "{% $states.result %}",
    "{% $states.errorOutput.Error %}",
    "{% [1..5] %}",
    "{% $partition([1..7], 3) %}",
    "{% λ($a)<a<>>{$a}(1) %}",
    "{% $distinct([1..2000]) %}",
    "{% ($f := function($x) { $x > 50 ? $x : $f($x + 1) }; $f(1)) %}",
    "{% ($f := function($x) { 1 + $f($x) }; $f(1)) %}",
    "{% ($f := function($x) { $f($x) }; $f(1)) %}",
    "{% $states.input.missing.field %}",
    "{% $string($states.context.Execution) %}",
];

const PATHS: &[&str] = &[
    "$",
    "$.n",
    "$.items",
    "$.items[0]",
    "$.a.b",
    "$.list[1:]",
    "$$.Execution.Id",
    "$.missing",
];

fn field_value(jsonata: bool) -> BoxedStrategy<Value> {
    if jsonata {
        prop::sample::select(JSONATA).prop_map(|s| json!(s)).boxed()
    } else {
        prop_oneof![
            prop::sample::select(PATHS).prop_map(|p| json!({"v.$": p})),
            Just(json!({"v.$": "States.Format('x {}', $.n)"})),
            Just(json!({"v.$": "States.ArrayPartition($.items, 2)"})),
            json_value(),
        ]
        .boxed()
    }
}

/// The state `name`; it moves to another of `names` or ends.
fn state(jsonata: bool, name: String, names: Vec<String>) -> impl Strategy<Value = Value> {
    let next = prop::option::of(prop::sample::select(names.clone()));
    let target = prop::sample::select(names);
    (
        0u8..9,
        next,
        target,
        field_value(jsonata),
        prop::sample::select(PATHS),
        0u32..4,
        prop::sample::select(ERRORS),
    )
        .prop_map(move |(kind, next, target, value, path, n, error)| {
            let mut s = serde_json::Map::new();
            let flow = |s: &mut serde_json::Map<String, Value>| match &next {
                Some(n) => {
                    s.insert("Next".into(), json!(n));
                }
                None => {
                    s.insert("End".into(), json!(true));
                }
            };
            // State names are unique across the whole definition, nested ones included.
            let branch = |i: u8| {
                let inner = format!("{name}In{i}");
                json!({"StartAt": inner, "States": {inner.clone(): {"Type": "Pass", "End": true}}})
            };
            match kind {
                0 => {
                    s.insert("Type".into(), json!("Pass"));
                    s.insert(if jsonata { "Output" } else { "Parameters" }.into(), value);
                    flow(&mut s);
                }
                1 | 2 => {
                    s.insert("Type".into(), json!("Task"));
                    s.insert("Resource".into(), json!("arn:aws:states:::lambda:invoke"));
                    s.insert(
                        if jsonata { "Arguments" } else { "Parameters" }.into(),
                        value,
                    );
                    s.insert(
                        "Retry".into(),
                        json!([{"ErrorEquals": [error], "MaxAttempts": n, "IntervalSeconds": 1}]),
                    );
                    s.insert(
                        "Catch".into(),
                        json!([{"ErrorEquals": ["States.ALL"], "Next": target}]),
                    );
                    if n == 3 {
                        s.insert("TimeoutSeconds".into(), json!(2));
                    }
                    flow(&mut s);
                }
                3 => {
                    s.insert("Type".into(), json!("Choice"));
                    let rule = if jsonata {
                        json!({"Condition": "{% $states.input.n > 1 %}", "Next": target})
                    } else {
                        json!({"Variable": path, "NumericGreaterThan": n, "Next": target})
                    };
                    s.insert("Choices".into(), json!([rule]));
                    s.insert(
                        "Default".into(),
                        json!(next.clone().unwrap_or_else(|| target.clone())),
                    );
                }
                4 => {
                    s.insert("Type".into(), json!("Wait"));
                    s.insert("Seconds".into(), json!(n));
                    flow(&mut s);
                }
                5 => {
                    s.insert("Type".into(), json!("Map"));
                    if jsonata {
                        s.insert("Items".into(), json!("{% $states.input.items %}"));
                    } else {
                        s.insert("ItemsPath".into(), json!(path));
                    }
                    s.insert("MaxConcurrency".into(), json!(n));
                    s.insert("ItemProcessor".into(), branch(0));
                    flow(&mut s);
                }
                6 => {
                    s.insert("Type".into(), json!("Parallel"));
                    s.insert("Branches".into(), json!([branch(1), branch(2)]));
                    flow(&mut s);
                }
                7 => {
                    s.insert("Type".into(), json!("Fail"));
                    s.insert("Error".into(), json!(error));
                }
                _ => {
                    s.insert("Type".into(), json!("Succeed"));
                }
            }
            Value::Object(s)
        })
}

fn machine() -> impl Strategy<Value = Value> {
    (any::<bool>(), 1usize..6).prop_flat_map(|(jsonata, n)| {
        let names: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
        let states = names
            .iter()
            .map(|name| state(jsonata, name.clone(), names.clone()))
            .collect::<Vec<_>>();
        (Just(jsonata), Just(names), states).prop_map(|(jsonata, names, states)| {
            let mut definition = json!({"StartAt": "S0", "States": {}});
            if jsonata {
                definition["QueryLanguage"] = json!("JSONata");
            }
            let count = names.len();
            for (i, (name, mut state)) in names.into_iter().zip(states).enumerate() {
                // States lead to the next one and the last ends, so that most machines are
                // valid; Catch and Choice rules still jump anywhere.
                if let Some(state) = state.as_object_mut() {
                    let next = json!(format!("S{}", i + 1));
                    let flows = state.remove("End").is_some() | state.remove("Next").is_some();
                    if flows && i + 1 < count {
                        state.insert("Next".into(), next);
                    } else if flows {
                        state.insert("End".into(), json!(true));
                    } else if state.contains_key("Default") && i + 1 < count {
                        state.insert("Default".into(), next);
                    }
                }
                definition["States"][name] = state;
            }
            definition
        })
    })
}

/// Mocks for states `S0`…`S5`: returns, throws, per-invocation maps, delays, or junk.
fn mocks() -> impl Strategy<Value = Value> {
    let response = prop_oneof![
        json_value().prop_map(|v| json!({"Return": v})),
        prop::sample::select(ERRORS).prop_map(|e| json!({"Throw": {"Error": e, "Cause": "c"}})),
        (json_value(), 0u32..4).prop_map(|(v, d)| json!({"Return": v, "DelaySeconds": d})),
        json_value(),
    ];
    let per_state = prop_oneof![
        response.clone(),
        (response.clone(), response).prop_map(|(a, b)| json!({"0": a, "1-3": b})),
    ];
    prop::collection::vec((0usize..6, per_state), 0..4).prop_map(|list| {
        Value::Object(
            list.into_iter()
                .map(|(i, r)| (format!("S{i}"), r))
                .collect(),
        )
    })
}

fn interesting_byte() -> impl Strategy<Value = u8> {
    prop::sample::select(b"{}[]\"':,$.%()*?@-# \n0a".to_vec())
}

proptest! {
    #[test]
    fn generated_machines_validate_and_run(
        definition in machine(),
        input in json_value(),
        mocks in mocks(),
        seed in any::<u64>(),
    ) {
        exercise(&definition, &input, &mocks, seed);
    }

    #[test]
    fn edited_corpus_machines_validate_and_run(
        index in 0..CORPUS.len(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), interesting_byte()), 0..6),
        mocks in mocks(),
    ) {
        let case = &corpus()[index];
        let text = mutate(&serde_json::to_string_pretty(&case["definition"]).unwrap(), &edits);
        if let Some(machine) = check_text(&text) {
            for mocks in [&case["mocks"], &mocks] {
                if let Ok(mocks) = Mocks::from_json(mocks) {
                    let options = Options { max_transitions: 300, ..Options::default() };
                    let outcome = Execution::new(machine.clone(), case["input"].clone(), mocks, options).run().clone();
                    assert_ne!(outcome.status, Status::Running);
                }
            }
        }
    }
}

#[test]
fn the_corpus_is_valid_and_runs() {
    for case in corpus() {
        let text = case["definition"].to_string();
        let checked = asl::check(&text);
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        let mocks = Mocks::from_json(&case["mocks"]).unwrap();
        let outcome = Execution::new(
            checked.machine.unwrap(),
            case["input"].clone(),
            mocks,
            Options::default(),
        )
        .run()
        .clone();
        assert_ne!(outcome.status, Status::Running);
    }
}

/// A JSONata expression that outgrows the memory budget fails the execution with
/// `States.QueryEvaluationError` instead of aborting the process.
#[test]
fn a_runaway_jsonata_value_is_a_query_evaluation_error() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Grow", "States": {
        "Grow": {"Type": "Pass",
                 "Output": "{% $reduce([1..40], function($a, $v){ $a & $a }, 'xxxxxxxx') %}",
                 "End": true}}});
    let checked = asl::check(&definition.to_string());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let outcome = Execution::new(
        checked.machine.unwrap(),
        json!({}),
        Mocks::none(),
        Options::default(),
    )
    .run()
    .clone();
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(
        outcome.error.as_deref(),
        Some("States.QueryEvaluationError")
    );
    let cause = outcome.cause.unwrap_or_default();
    assert!(cause.contains("Memory budget"), "{cause}");
}

/// Cases that once crashed the engine, run every time.
#[test]
fn regressions_end_with_an_outcome() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Output": "{% λ($a)<a<>>{$a}(1) %}", "End": true}}});
    let checked = asl::check(&definition.to_string());
    assert!(checked.has_errors(), "the malformed signature is reported");
}

/// Runs a JSONata definition whose state `Loop` catches every error and enters itself again,
/// with a JSONata budget of `max_query_steps` for the whole execution; returns the outcome and
/// how many times `Loop` was entered.
fn catch_loop(arguments: &str, max_query_steps: u64) -> (asl::simulate::Outcome, usize) {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Loop", "States": {
        "Loop": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Arguments": arguments,
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Loop"}],
                 "End": true}}});
    let checked = asl::check(&definition.to_string());
    let options = Options {
        max_transitions: 300,
        max_query_steps,
        ..Options::default()
    };
    let mut execution = Execution::new(checked.machine.unwrap(), json!({}), Mocks::none(), options);
    let outcome = execution.run().clone();
    let entered = execution
        .history()
        .iter()
        .filter(|event| event.kind == "TaskStateEntered")
        .count();
    (outcome, entered)
}

/// Found by the property above: a Catch that re-enters a state whose expression loops forever
/// cost JSONata's whole per-evaluation step budget on every entry, so the execution took
/// transitions × seconds. The execution's own JSONata budget ends it at its first entry here
/// (the budget is smaller than one evaluation's), with an error no Catch takes.
#[test]
fn a_catch_loop_over_a_runaway_expression_ends_quickly() {
    let (outcome, entered) = catch_loop("{% ($f := function($x) { $f($x) }; $f(1)) %}", 1_000_000);
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(
        outcome.error.as_deref(),
        Some(asl::simulate::QUERY_BUDGET_ERROR)
    );
    let cause = outcome.cause.unwrap_or_default();
    assert!(cause.contains("1000000 evaluation steps"), "{cause}");
    assert!(cause.contains("field 'Arguments'"), "{cause}");
    assert_eq!(entered, 1);
}

/// The budget is the sum over the execution's evaluations: an expensive expression that fails
/// is caught and evaluated again until the sum reaches the budget, long before the 300
/// transitions.
#[test]
fn the_query_budget_sums_the_evaluations_of_an_execution() {
    let costly = "{% $count([1..100000].($ + 1)) > 0 ? $error('again') : 0 %}";
    let (outcome, entered) = catch_loop(costly, 1_000_000);
    assert_eq!(
        outcome.error.as_deref(),
        Some(asl::simulate::QUERY_BUDGET_ERROR)
    );
    assert!(
        (2..10).contains(&entered),
        "entered {entered} times: {:?}",
        outcome.cause
    );
    // Twice the budget, about twice the entries.
    let (_, twice) = catch_loop(costly, 2_000_000);
    assert!(
        (2 * entered - 1..=2 * entered + 1).contains(&twice),
        "{entered}, {twice}"
    );
}
