//! Execution semantics, one rule per test, with cases written from the AWS documentation.

use serde_json::{Value, json};

use super::*;

fn execution(definition: Value, input: Value, mocks: Value) -> Execution {
    let checked = crate::check(&definition.to_string());
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "invalid test definition: {errors:?}");
    let mocks = Mocks::from_json(&mocks).expect("valid mocks");
    Execution::new(checked.machine.unwrap(), input, mocks, Options::default())
}

fn run(definition: Value, input: Value) -> Outcome {
    run_mocked(definition, input, json!({}))
}

fn run_mocked(definition: Value, input: Value, mocks: Value) -> Outcome {
    execution(definition, input, mocks).run().clone()
}

fn output(outcome: &Outcome) -> &Value {
    assert_eq!(outcome.status, Status::Succeeded, "{outcome:?}");
    outcome.output.as_ref().unwrap()
}

fn single(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state}})
}

fn kinds(history: &[Event]) -> Vec<&str> {
    history.iter().map(|e| e.kind.as_str()).collect()
}

#[test]
fn pass_result_placed_with_result_path() {
    let outcome = run(
        single(
            json!({"Type": "Pass", "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
                      "ResultPath": "$.coords", "End": true}),
        ),
        json!({"georefOf": "Home"}),
    );
    assert_eq!(
        output(&outcome),
        &json!({"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}})
    );
}

#[test]
fn null_paths_discard() {
    let outcome = run(
        single(json!({"Type": "Pass", "InputPath": null, "End": true})),
        json!({"a": 1}),
    );
    assert_eq!(output(&outcome), &json!({}));
    let outcome = run(
        single(json!({"Type": "Pass", "Result": 5, "ResultPath": null, "End": true})),
        json!({"a": 1}),
    );
    assert_eq!(output(&outcome), &json!({"a": 1}));
    let outcome = run(
        single(json!({"Type": "Pass", "OutputPath": null, "End": true})),
        json!({"a": 1}),
    );
    assert_eq!(output(&outcome), &json!({}));
}

#[test]
fn input_path_with_no_match_is_a_runtime_error() {
    let outcome = run(
        single(json!({"Type": "Pass", "InputPath": "$.missing", "End": true})),
        json!({}),
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        outcome.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']"
        )
    );
}

#[test]
fn parameters_template_with_paths_context_and_intrinsics() {
    let outcome = run(
        single(json!({"Type": "Pass", "Parameters": {
            "static": "x", "name.$": "$.who", "state.$": "$$.State.Name",
            "greeting.$": "States.Format('Hello, {}!', $.who)", "nested": {"n.$": "$.n"}
        }, "End": true})),
        json!({"who": "Ana", "n": [1, 2]}),
    );
    assert_eq!(
        output(&outcome),
        &json!({"static": "x", "name": "Ana", "state": "S", "greeting": "Hello, Ana!", "nested": {"n": [1, 2]}})
    );
}

#[test]
fn choice_routes_by_rule_then_default_then_fails() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"And": [{"Variable": "$.n", "IsPresent": true}, {"Variable": "$.n", "NumericLessThan": 0}], "Next": "Negative"}
        ], "Default": "Other"},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Negative": {"Type": "Pass", "Result": "negative", "End": true},
        "Other": {"Type": "Pass", "Result": "other", "End": true}
    }});
    assert_eq!(
        output(&run(definition.clone(), json!({"n": 11}))),
        &json!("big")
    );
    assert_eq!(
        output(&run(definition.clone(), json!({"n": -1}))),
        &json!("negative")
    );
    assert_eq!(output(&run(definition, json!({"n": 5}))), &json!("other"));
    let no_default = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "D"}]},
        "D": {"Type": "Succeed"}
    }});
    let outcome = run(no_default, json!({"n": 2}));
    assert_eq!(outcome.error.as_deref(), Some("States.NoChoiceMatched"));
}

#[test]
fn wait_moves_the_virtual_clock_only() {
    let mut run = execution(
        json!({"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 3600, "Next": "T"},
            "T": {"Type": "Wait", "Timestamp": "2024-06-01T00:00:00Z", "End": true}
        }}),
        json!({}),
        json!({}),
    );
    let started = run.now();
    assert_eq!(run.run().status, Status::Succeeded);
    let exited = run
        .history()
        .iter()
        .find(|e| e.kind == "WaitStateExited")
        .unwrap();
    assert_eq!(exited.timestamp, "2024-01-01T13:00:00.000Z");
    assert_eq!(run.now().to_rfc3339(), "2024-06-01T00:00:00+00:00");
    assert!(run.now() > started);
}

#[test]
fn seconds_path_must_be_a_whole_non_negative_number() {
    let definition = single(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true}));
    let outcome = run(definition.clone(), json!({"s": -1}));
    assert!(
        outcome
            .cause
            .as_deref()
            .unwrap()
            .ends_with("The SecondsPath parameter references a negative value: $.s == -1"),
        "{outcome:?}"
    );
    let outcome = run(definition.clone(), json!({"s": 1.5}));
    assert!(
        outcome
            .cause
            .as_deref()
            .unwrap()
            .ends_with("The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"),
        "{outcome:?}"
    );
    assert_eq!(run(definition, json!({"s": 2})).status, Status::Succeeded);
}

#[test]
fn state_machine_timeout_gives_timed_out() {
    let outcome = run(
        json!({"StartAt": "W", "TimeoutSeconds": 10, "States": {
            "W": {"Type": "Wait", "Seconds": 60, "End": true}}}),
        json!({}),
    );
    assert_eq!(outcome.status, Status::TimedOut);
    assert_eq!(outcome.error.as_deref(), Some("States.Timeout"));
}

fn task(extra: Value) -> Value {
    let mut state =
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    if let (Some(state), Value::Object(extra)) = (state.as_object_mut(), extra) {
        state.extend(extra);
    }
    single(state)
}

#[test]
fn retry_uses_backoff_and_mock_invocations() {
    let mut run = execution(
        task(
            json!({"Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "BackoffRate": 2.0}]}),
        ),
        json!({}),
        json!({"S": {"0-1": {"Throw": {"Error": "Busy", "Cause": "try later"}}, "2": {"Return": {"ok": true}}}}),
    );
    assert_eq!(output(&run.run().clone()), &json!({"ok": true}));
    let history = run.history();
    let scheduled: Vec<_> = history
        .iter()
        .filter(|e| e.kind == "TaskScheduled")
        .map(|e| e.timestamp.as_str())
        .collect();
    // Waits of 1 s, then 2 s.
    assert_eq!(
        scheduled,
        [
            "2024-01-01T12:00:00.000Z",
            "2024-01-01T12:00:01.000Z",
            "2024-01-01T12:00:03.000Z"
        ]
    );
    assert_eq!(history.iter().filter(|e| e.kind == "TaskFailed").count(), 2);
}

#[test]
fn exhausted_retrier_falls_to_catch_with_error_output() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}],
              "Catch": [{"ErrorEquals": ["Other"], "Next": "Wrong"},
                        {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Handled"}],
              "End": true},
        "Wrong": {"Type": "Fail"},
        "Handled": {"Type": "Pass", "End": true}
    }});
    let outcome = run_mocked(
        definition,
        json!({"order": 7}),
        json!({"T": {"Throw": {"Error": "Payment.Declined", "Cause": "card expired"}}}),
    );
    assert_eq!(
        output(&outcome),
        &json!({"order": 7, "error": {"Error": "Payment.Declined", "Cause": "card expired"}})
    );
}

#[test]
fn runtime_errors_are_not_caught_by_states_all() {
    let outcome = run(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.nope",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Succeed"}
        }}),
        json!({}),
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn unmocked_task_returns_its_effective_input_and_says_so() {
    let mut run = execution(
        task(json!({"Parameters": {"id.$": "$.id"}, "ResultPath": "$.result"})),
        json!({"id": 3}),
        json!({}),
    );
    assert_eq!(
        output(&run.run().clone()),
        &json!({"id": 3, "result": {"id": 3}})
    );
    let succeeded = run
        .history()
        .iter()
        .find(|e| e.kind == "TaskSucceeded")
        .unwrap();
    assert!(succeeded.note.as_deref().unwrap().contains("no mock"));
}

#[test]
fn task_timeout_from_a_slow_mock() {
    let outcome = run_mocked(
        task(json!({"TimeoutSeconds": 5})),
        json!({}),
        json!({"S": {"Return": 1, "DelaySeconds": 30}}),
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("States.Timeout"));
}

#[test]
fn parallel_keeps_branch_order_and_fails_with_a_branch() {
    let branch = |result: Value| {
        let name = format!("B{result}");
        json!({"StartAt": name, "States": {name.clone(): {"Type": "Pass", "Result": result, "End": true}}})
    };
    let outcome = run(
        single(
            json!({"Type": "Parallel", "Branches": [branch(json!(1)), branch(json!(2)), branch(json!(3))], "End": true}),
        ),
        json!({}),
    );
    assert_eq!(output(&outcome), &json!([1, 2, 3]));
    let failing = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "branch 2"}}});
    let mut run = execution(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [branch(json!(1)), failing, branch(json!(3))],
                  "Catch": [{"ErrorEquals": ["Boom"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}
        }}),
        json!({}),
        json!({}),
    );
    assert_eq!(
        output(&run.run().clone()),
        &json!({"Error": "Boom", "Cause": "branch 2"})
    );
    let entered: Vec<_> = run
        .history()
        .iter()
        .filter(|e| e.kind.ends_with("StateEntered"))
        .filter_map(Event::state_name)
        .collect();
    // The third branch never starts once the second failed.
    assert_eq!(entered, ["P", "B1", "F", "Caught"]);
}

#[test]
fn map_items_selector_and_context() {
    let outcome = run(
        single(json!({"Type": "Map", "ItemsPath": "$.items",
            "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tax.$": "$.tax"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true})),
        json!({"items": ["a", "b"], "tax": 0.2}),
    );
    assert_eq!(
        output(&outcome),
        &json!([{"index": 0, "value": "a", "tax": 0.2}, {"index": 1, "value": "b", "tax": 0.2}])
    );
    let empty = run(
        single(json!({"Type": "Map",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true})),
        json!([]),
    );
    assert_eq!(output(&empty), &json!([]));
}

#[test]
fn map_history_names_iterations() {
    let mut run = execution(
        single(json!({"Type": "Map",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true})),
        json!([1, 2]),
        json!({}),
    );
    run.run();
    assert_eq!(
        kinds(run.history()),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn distributed_map_tolerates_failures_up_to_the_count() {
    let definition = |count: u64| {
        single(json!({"Type": "Map", "ToleratedFailureCount": count,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "C", "States": {
                    "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "P"},
                    "F": {"Type": "Fail", "Error": "Two"},
                    "P": {"Type": "Pass", "End": true}}},
            "End": true}))
    };
    let outcome = run(definition(1), json!([1, 2, 3]));
    assert_eq!(output(&outcome), &json!([1, {"Error": "Two"}, 3]));
    let outcome = run(definition(0), json!([1, 2, 3]));
    assert_eq!(
        outcome.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
}

/// From the Step Functions guide's ResultWriter page: exported results are a manifest and
/// result files under the prefix and the map run's id, in the bucket the writer names.
#[test]
fn distributed_map_reads_csv_and_writes_results_to_the_mocked_s3() {
    let mut execution = execution(
        single(json!({"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "in", "Key": "rows.csv"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "out", "Prefix": "runs"},
                "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true})),
        json!({}),
        json!({"S3": {"in": {"rows.csv": "id\n1\n2\n"}}}),
    );
    let outcome = execution.run().clone();
    let key = output(&outcome)["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        key.starts_with("runs/") && key.ends_with("/manifest.json"),
        "{key}"
    );
    let written = execution.s3().written();
    let manifest = &written["out"][&key];
    let file = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap();
    assert!(file.ends_with("/SUCCEEDED_0.jsonl"), "{file}");
    assert_eq!(
        written["out"][file],
        json!("{\"id\":\"1\"}\n{\"id\":\"2\"}\n")
    );
    assert_eq!(manifest["MapRunArn"], output(&outcome)["MapRunArn"]);
    let started = execution
        .history()
        .iter()
        .find(|event| event.kind == "MapRunStarted")
        .unwrap();
    assert_eq!(
        started.details["mapRunStartedEventDetails"]["mapRunArn"],
        output(&outcome)["MapRunArn"]
    );
}

/// A failed map run writes `MapRunFailed` with the error and cause the Map state fails with.
#[test]
fn map_run_failed_names_the_threshold() {
    let mut execution = execution(
        single(json!({"Type": "Map",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}},
            "End": true})),
        json!([1]),
        json!({}),
    );
    execution.run();
    let failed = execution
        .history()
        .iter()
        .find(|event| event.kind == "MapRunFailed")
        .unwrap();
    assert_eq!(
        failed.details["mapRunFailedEventDetails"]["error"],
        "States.ExceedToleratedFailureThreshold"
    );
}

/// The payload quota applies to a state's input after `Parameters`, and `States.ALL` does not
/// catch `States.DataLimitExceeded` (Step Functions guide, error handling).
#[test]
fn input_after_parameters_over_the_quota_is_not_caught_by_all() {
    // The input fits; the two copies `Parameters` makes do not.
    let big = "x".repeat(dataflow::MAX_PAYLOAD_BYTES * 2 / 3);
    let outcome = run(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"a.$": "$.big", "b.$": "$.big"},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
            "C": {"Type": "Pass", "End": true}}}),
        json!({"big": big}),
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(
        outcome
            .cause
            .unwrap()
            .contains("has an input with a size exceeding")
    );
}

#[test]
fn variables_are_set_on_exit_and_visible_inside_map() {
    let outcome = run(
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"rate": 3, "first.$": "$.n"}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"rate": 4, "old.$": "$rate"}, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass",
                      "Parameters": {"item.$": "$", "rate.$": "$rate", "old.$": "$old", "first.$": "$first"}, "End": true}}},
                  "End": true}
        }}),
        json!({"n": 1, "items": [7]}),
    );
    assert_eq!(
        output(&outcome),
        &json!([{"item": 7, "rate": 4, "old": 3, "first": 1}])
    );
}

#[test]
fn fail_state_error_and_cause_from_paths_and_intrinsics() {
    let outcome = run(
        single(json!({"Type": "Fail", "ErrorPath": "$.code",
                      "CausePath": "States.Format('order {} failed', $.id)"})),
        json!({"code": "OrderError", "id": 9}),
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("OrderError"));
    assert_eq!(outcome.cause.as_deref(), Some("order 9 failed"));
    let outcome = run(single(json!({"Type": "Fail"})), json!({}));
    assert_eq!((outcome.error, outcome.cause), (None, None));
}

#[test]
fn result_path_into_a_non_object_fails_catchably() {
    let outcome = run(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.a.b",
                  "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}
        }}),
        json!({"a": 1}),
    );
    assert_eq!(
        output(&outcome)["Error"],
        json!("States.ResultPathMatchFailure")
    );
}

#[test]
fn payload_size_limit() {
    let big = "x".repeat(300_000);
    let outcome = run(
        single(json!({"Type": "Pass", "Result": {"big": big}, "End": true})),
        json!({}),
    );
    assert_eq!(outcome.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        outcome.cause.as_deref(),
        Some(
            "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."
        )
    );
}

#[test]
fn runaway_loop_stops_at_the_budget() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "End"}], "Default": "A"},
        "End": {"Type": "Succeed"}}});
    let checked = crate::check(&definition.to_string());
    let options = Options {
        max_transitions: 50,
        ..Options::default()
    };
    let mut run = Execution::new(checked.machine.unwrap(), json!({}), Mocks::none(), options);
    let outcome = run.run().clone();
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(
        outcome.error.as_deref(),
        Some(errors::TRANSITION_LIMIT_ERROR)
    );
    assert!(outcome.cause.unwrap().contains("50 state transitions"));
    assert_eq!(
        run.history()
            .iter()
            .filter(|e| e.kind.ends_with("StateEntered"))
            .count(),
        50
    );
}

#[test]
fn endless_retries_stop_at_the_budget() {
    let definition = task(
        json!({"Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": 1.0}]}),
    );
    let checked = crate::check(&definition.to_string());
    let mocks = Mocks::from_json(&json!({"S": {"Throw": {"Error": "Always"}}})).unwrap();
    let options = Options {
        max_transitions: 20,
        ..Options::default()
    };
    let mut run = Execution::new(checked.machine.unwrap(), json!({}), mocks, options);
    assert_eq!(
        run.run().error.as_deref(),
        Some(errors::TRANSITION_LIMIT_ERROR)
    );
    assert_eq!(
        run.history()
            .iter()
            .filter(|e| e.kind == "TaskFailed")
            .count(),
        20
    );
}

#[test]
fn step_moves_one_state_at_a_time() {
    let mut run = execution(
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}),
        json!({"v": 1}),
        json!({}),
    );
    let mut moves = Vec::new();
    loop {
        let events = run.step();
        if events.is_empty() {
            break;
        }
        moves.push(kinds(events).join(","));
    }
    assert_eq!(
        moves,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "SucceedStateEntered",
            "SucceedStateExited,ExecutionSucceeded"
        ]
    );
    let ids: Vec<u64> = run.history().iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    assert_eq!(run.outcome().unwrap().output, Some(json!({"v": 1})));
}

#[test]
fn same_seed_same_uuid() {
    let definition =
        single(json!({"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": true}));
    let first = run(definition.clone(), json!({}));
    let second = run(definition, json!({}));
    assert_eq!(first.output, second.output);
}

#[test]
fn callback_tasks_get_a_task_token() {
    let outcome = run(
        single(
            json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                      "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}),
        ),
        json!({}),
    );
    assert_eq!(
        output(&outcome)["MessageBody"]["token"],
        json!("simulated-token-2")
    );
}

#[test]
fn assign_sees_the_result_before_result_selector_and_choice_merges_assigns() {
    let outcome = run_mocked(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "ResultSelector": {"sel.$": "$.Payload"}, "Assign": {"raw.$": "$"}, "Next": "C"},
            "C": {"Type": "Choice", "Assign": {"a": 1},
                  "Choices": [{"Variable": "$.sel", "NumericEquals": 1, "Assign": {"b": 2}, "Next": "P"}]},
            "P": {"Type": "Pass", "Parameters": {"raw.$": "$raw", "a.$": "$a", "b.$": "$b"}, "End": true}
        }}),
        json!({}),
        json!({"T": {"Return": {"Payload": 1, "StatusCode": 200}}}),
    );
    assert_eq!(
        output(&outcome),
        &json!({"raw": {"Payload": 1, "StatusCode": 200}, "a": 1, "b": 2})
    );
}

#[test]
fn distributed_map_with_both_thresholds_fails_when_either_is_exceeded() {
    let definition = single(
        json!({"Type": "Map", "ToleratedFailureCount": 1, "ToleratedFailurePercentage": 50,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 7, "Next": "F"}], "Default": "P"},
                "F": {"Type": "Fail", "Error": "Big"},
                "P": {"Type": "Pass", "End": true}}},
        "End": true}),
    );
    let mut run = execution(
        definition,
        json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        json!({}),
    );
    assert_eq!(
        run.run().error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert!(kinds(run.history()).contains(&"MapRunFailed"));
}

#[test]
fn a_catch_whose_output_is_too_large_fails_instead_of_looping() {
    let big = "x".repeat(262_000);
    let outcome = run_mocked(
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "X"}], "End": true},
            "X": {"Type": "Succeed"}}}),
        json!({"big": big}),
        json!({"S": {"Throw": {"Error": "Oops", "Cause": "c".repeat(2000)}}}),
    );
    assert_eq!(outcome.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn far_future_waits_time_out_at_one_year() {
    let outcome = run(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "W2"},
               "W2": {"Type": "Wait", "Timestamp": "9999-01-01T00:00:00Z", "End": true}}}),
        json!({"s": 9_000_000_000_000u64}),
    );
    assert_eq!(outcome.status, Status::TimedOut);
}

/// The steps of each exited state, as `(state, [(step, value)])`.
fn data_flow(history: &[Event]) -> Vec<(&str, Vec<(&str, Value)>)> {
    history
        .iter()
        .filter_map(|event| {
            let stages = event.data_flow.as_ref()?;
            let steps = stages.iter().map(|s| (s.step, s.value.clone())).collect();
            Some((event.state_name()?, steps))
        })
        .collect()
}

#[test]
fn data_flow_records_each_processing_step_when_asked() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "InputPath": "$.order", "Parameters": {"id.$": "$.id"},
              "ResultSelector": {"charge.$": "$.Payload"}, "ResultPath": "$.result",
              "OutputPath": "$.result", "Next": "P"},
        "P": {"Type": "Pass", "End": true}}});
    let mut run = execution(
        definition.clone(),
        json!({"order": {"id": 7}}),
        json!({"T": {"Return": {"Payload": "ch-1"}}}),
    );
    run.run();
    assert!(
        run.history()
            .iter()
            .all(|e| e.data_flow.is_none() && e.state.is_none()),
        "off by default"
    );

    let checked = crate::check(&definition.to_string());
    let mocks = Mocks::from_json(&json!({"T": {"Return": {"Payload": "ch-1"}}})).unwrap();
    let options = Options {
        trace: true,
        ..Options::default()
    };
    let mut run = Execution::new(
        checked.machine.unwrap(),
        json!({"order": {"id": 7}}),
        mocks,
        options,
    );
    run.run();
    assert_eq!(
        data_flow(run.history()),
        vec![
            (
                "T",
                vec![
                    ("Input", json!({"order": {"id": 7}})),
                    ("InputPath", json!({"id": 7})),
                    ("Parameters", json!({"id": 7})),
                    ("Result", json!({"Payload": "ch-1"})),
                    ("ResultSelector", json!({"charge": "ch-1"})),
                    (
                        "ResultPath",
                        json!({"order": {"id": 7}, "result": {"charge": "ch-1"}})
                    ),
                    ("OutputPath", json!({"charge": "ch-1"})),
                ]
            ),
            ("P", vec![("Input", json!({"charge": "ch-1"}))]),
        ]
    );
    let states: Vec<(&str, Option<&str>)> = run
        .history()
        .iter()
        .map(|e| (e.kind.as_str(), e.state.as_deref()))
        .collect();
    assert_eq!(states[0], ("ExecutionStarted", None));
    assert!(states.contains(&("TaskScheduled", Some("T"))));
    assert!(states.contains(&("PassStateExited", Some("P"))));
}

#[test]
fn data_flow_of_a_caught_failure_ends_with_the_error_placed() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "F"}],
              "End": true},
        "F": {"Type": "Pass", "End": true}}});
    let checked = crate::check(&definition.to_string());
    let mocks = Mocks::from_json(&json!({"T": {"Throw": {"Error": "Boom", "Cause": "c"}}}));
    let options = Options {
        trace: true,
        ..Options::default()
    };
    let mut run = Execution::new(
        checked.machine.unwrap(),
        json!({"a": 1}),
        mocks.unwrap(),
        options,
    );
    run.run();
    let flow = data_flow(run.history());
    assert_eq!(
        flow[0],
        (
            "T",
            vec![
                ("Input", json!({"a": 1})),
                ("Error", json!({"Error": "Boom", "Cause": "c"})),
                (
                    "ResultPath",
                    json!({"a": 1, "error": {"Error": "Boom", "Cause": "c"}})
                ),
            ]
        )
    );
}

#[test]
fn position_names_the_running_branch_or_iteration() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}},
        "End": true}}});
    let mut run = execution(definition, json!([1, 2, 3]), json!({}));
    let mut seen = Vec::new();
    while run.outcome().is_none() {
        run.step();
        let position = run.position();
        if let [map, inner] = position.as_slice() {
            let progress = map.child.expect("the Map runs an iteration");
            assert_eq!((map.state, inner.state, progress.count), ("M", "W", 3));
            seen.push(progress.current);
        }
    }
    seen.dedup();
    assert_eq!(seen, vec![0, 1, 2]);
    let map_events = run
        .history()
        .iter()
        .filter(|e| e.kind.starts_with("MapIteration"))
        .count();
    assert_eq!(map_events, 6, "three iterations started and succeeded");
    assert!(run.position().is_empty(), "nothing runs after the end");
}

// ----- JSONata states -----

fn jsonata_machine(states: Value, start: &str) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

#[test]
fn jsonata_task_arguments_result_output_and_assign() {
    let definition = jsonata_machine(
        json!({
            "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"amount": "{% $states.input.total * 100 %}", "currency": "EUR"},
                "Output": {"id": "{% $states.result.Payload.id %}", "was": "{% $states.input.total %}"},
                "Assign": {"charged": "{% $states.result.Payload.id %}", "seen": "{% $states.input.total %}"},
                "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% [$charged, $seen, $states.input.id] %}", "End": true}
        }),
        "Charge",
    );
    let mut run = execution(
        definition,
        json!({"total": 12.5}),
        json!({"Charge": {"Return": {"Payload": {"id": "ch-1"}}}}),
    );
    let outcome = run.run().clone();
    assert_eq!(output(&outcome), &json!(["ch-1", 12.5, "ch-1"]));
    let scheduled = run
        .history()
        .iter()
        .find(|e| e.kind == "TaskScheduled")
        .unwrap();
    let parameters = &scheduled.details["taskScheduledEventDetails"]["parameters"];
    assert_eq!(
        serde_json::from_str::<Value>(parameters.as_str().unwrap()).unwrap(),
        json!({"amount": 1250, "currency": "EUR"})
    );
}

#[test]
fn jsonata_choice_conditions_and_rule_output() {
    let definition = jsonata_machine(
        json!({
            "Route": {"Type": "Choice", "Choices": [
                {"Condition": "{% $states.input.n > 10 %}", "Next": "Big",
                 "Output": {"size": "big"}, "Assign": {"routed": true}},
                {"Condition": "{% $states.input.n > 0 %}", "Next": "Small"}],
             "Default": "None"},
            "Big": {"Type": "Pass", "Output": "{% $merge([$states.input, {'routed': $routed}]) %}", "End": true},
            "Small": {"Type": "Succeed"},
            "None": {"Type": "Fail", "Error": "{% 'Empty' & $string($states.input.n) %}", "Cause": "no items"}
        }),
        "Route",
    );
    assert_eq!(
        output(&run(definition.clone(), json!({"n": 11}))),
        &json!({"size": "big", "routed": true})
    );
    assert_eq!(
        output(&run(definition.clone(), json!({"n": 3}))),
        &json!({"n": 3})
    );
    let failed = run(definition.clone(), json!({"n": 0}));
    assert_eq!(
        (failed.error.as_deref(), failed.cause.as_deref()),
        (Some("Empty0"), Some("no items"))
    );
    // A condition that is not a boolean is an error naming the rule.
    let failed = run(definition, json!({"n": "x"}));
    assert_eq!(
        failed.error.as_deref(),
        Some(errors::QUERY_EVALUATION_ERROR)
    );
}

#[test]
fn jsonata_map_items_item_selector_and_variables_in_iterations() {
    let definition = jsonata_machine(
        json!({
            "Set": {"Type": "Pass", "Assign": {"rate": 3}, "Next": "Each"},
            "Each": {"Type": "Map",
                "Items": "{% $states.input.orders %}",
                "ItemSelector": {"qty": "{% $states.context.Map.Item.Value.qty %}",
                                 "index": "{% $states.context.Map.Item.Index %}"},
                "ItemProcessor": {"StartAt": "Price", "States": {
                    "Price": {"Type": "Pass", "Output": "{% $states.input.qty * $rate + $states.input.index %}", "End": true}}},
                "Output": "{% $sum($states.result) %}",
                "End": true}
        }),
        "Set",
    );
    let outcome = run(definition, json!({"orders": [{"qty": 1}, {"qty": 2}]}));
    assert_eq!(output(&outcome), &json!(10), "(1*3 + 0) + (2*3 + 1)");
}

#[test]
fn jsonata_errors_are_query_evaluation_errors_that_catch_can_handle() {
    let definition = jsonata_machine(
        json!({"Compute": {"Type": "Pass", "Output": {"x": "{% $states.input.missing %}"}, "End": true}}),
        "Compute",
    );
    let failed = run(definition, json!({}));
    assert_eq!(
        failed.error.as_deref(),
        Some(errors::QUERY_EVALUATION_ERROR)
    );
    assert_eq!(
        failed.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Compute' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output/x' returned nothing (undefined)."
        )
    );
    let caught = jsonata_machine(
        json!({
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Output": "{% $states.result.x.y.z %}",
                "Catch": [{"ErrorEquals": ["States.ALL"],
                           "Output": {"caught": "{% $states.errorOutput.Error %}"},
                           "Assign": {"input": "{% $states.input %}"},
                           "Next": "Report"}],
                "End": true},
            "Report": {"Type": "Pass", "Output": "{% [$states.input.caught, $input.a] %}", "End": true}
        }),
        "Call",
    );
    let outcome = run_mocked(caught, json!({"a": 1}), json!({"Call": {"Return": {}}}));
    assert_eq!(output(&outcome), &json!(["States.QueryEvaluationError", 1]));
}

#[test]
fn jsonata_and_jsonpath_states_mix_and_share_variables() {
    let definition = json!({"StartAt": "Old", "States": {
        "Old": {"Type": "Pass", "Parameters": {"v.$": "$.a"}, "Assign": {"kept.$": "$.v"}, "Next": "New"},
        "New": {"Type": "Pass", "QueryLanguage": "JSONata",
                "Output": "{% {'sum': $states.input.v + $kept} %}", "Next": "Back"},
        "Back": {"Type": "Pass", "Parameters": {"total.$": "$.sum", "k.$": "$kept"}, "End": true}
    }});
    assert_eq!(
        output(&run(definition, json!({"a": 4}))),
        &json!({"total": 8, "k": 4})
    );
}

#[test]
fn jsonata_wait_seconds_use_the_virtual_clock_and_now_follows_it() {
    let definition = jsonata_machine(
        json!({
            "Wait": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "Stamp"},
            "Stamp": {"Type": "Pass", "Output": "{% $now() %}", "End": true}
        }),
        "Wait",
    );
    let outcome = run(definition, json!({"delay": 90}));
    assert_eq!(output(&outcome), &json!("2024-01-01T12:01:30.000Z"));
}
