//! One test per rule, on small definitions written for the purpose.

use serde_json::{Value, json};

use crate::{Code, Diagnostic, check};

fn diagnostics(definition: &Value) -> Vec<Diagnostic> {
    check(&serde_json::to_string_pretty(definition).unwrap()).diagnostics
}

/// (code, pointer) of every diagnostic.
fn found(definition: &Value) -> Vec<(&'static str, String)> {
    diagnostics(definition)
        .into_iter()
        .map(|d| (d.code.as_str(), d.pointer))
        .collect()
}

fn assert_valid(definition: Value) {
    let all = diagnostics(&definition);
    assert!(all.is_empty(), "expected no diagnostics, got {all:#?}");
}

fn assert_finds(definition: Value, code: &str, pointer: &str) {
    let all = found(&definition);
    assert!(
        all.iter().any(|(c, p)| *c == code && p == pointer),
        "expected {code} at {pointer}, got {all:#?}"
    );
}

/// A one-state machine around `state`.
fn single(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state}})
}

fn jsonata(state: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state}})
}

#[test]
fn a_full_jsonpath_machine_is_valid_and_decodes() {
    let definition = json!({
        "Comment": "orders",
        "StartAt": "Validate",
        "TimeoutSeconds": 300,
        "States": {
            "Validate": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Check", "Payload.$": "$"},
                "ResultSelector": {"total.$": "$.Payload.total"},
                "ResultPath": "$.check",
                "Retry": [
                    {"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3,
                     "BackoffRate": 2.0, "MaxDelaySeconds": 10, "JitterStrategy": "FULL"},
                    {"ErrorEquals": ["States.ALL"]}
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                "Assign": {"orderId.$": "$.id", "attempt": 1},
                "Next": "Big?"
            },
            "Big?": {
                "Type": "Choice",
                "Choices": [
                    {"And": [{"Variable": "$.check.total", "NumericGreaterThan": 100},
                             {"Not": {"Variable": "$.vip", "BooleanEquals": true}}],
                     "Next": "Wait"},
                    {"Variable": "$.when", "TimestampLessThanEquals": "2026-01-01T00:00:00Z", "Next": "Fan"}
                ],
                "Default": "Done"
            },
            "Wait": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Fan"},
            "Fan": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "Result": {"ok": true}, "End": true}}},
                    {"StartAt": "Items", "States": {"Items": {
                        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                        "ItemSelector": {"item.$": "$$.Map.Item.Value"},
                        "ItemProcessor": {"StartAt": "One", "States": {"One": {"Type": "Succeed"}}},
                        "End": true}}}
                ],
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "OrderFailed", "CausePath": "$.error.Cause"}
        }
    });
    assert_valid(definition.clone());
    let checked = check(&definition.to_string());
    let machine = checked.machine.expect("a valid definition decodes");
    assert_eq!(machine.states.len(), 6);
}

#[test]
fn a_jsonata_machine_is_valid() {
    assert_valid(json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Get",
        "States": {
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Arguments": {"TableName": "orders", "Key": {"id": {"S": "{% $states.input.id %}"}}},
                "Output": "{% $states.result.Item %}",
                "Assign": {"order": "{% $states.result.Item %}"},
                "TimeoutSeconds": "{% $states.input.timeout %}",
                "Next": "Check"
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $order.total > 100 %}", "Next": "Wait"}],
                "Default": "Done"
            },
            "Wait": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.items %}",
                "ItemProcessor": {"StartAt": "One", "States": {"One": {"Type": "Pass", "End": true}}},
                "Next": "Done"
            },
            "Done": {"Type": "Succeed", "Output": {"ok": true}}
        }
    }));
}

#[test]
fn yaml_definitions_are_checked_with_their_own_lines() {
    let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n";
    let checked = check(text);
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingTransitionTarget)
        .expect("the bad Next is reported");
    assert_eq!(&text[missing.span.start..missing.span.end], "Nowhere");
    assert_eq!(missing.pointer, "/States/A/Next");
}

#[test]
fn syntax_errors_are_invalid_json_with_a_position() {
    let checked = check("{\"StartAt\": \"A\",\n \"States\": {,}}");
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(checked.diagnostics[0].code, Code::InvalidJsonDescription);
    assert_eq!(checked.diagnostics[0].span.start, 29);
    assert_eq!(check("  ").diagnostics[0].code, Code::MissingDescription);
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    assert_eq!(check(&deep).diagnostics[0].code, Code::TooDeeplyNested);
}

#[test]
fn top_level_fields_are_checked() {
    assert_finds(
        json!({"States": {"A": {"Type": "Succeed"}}}),
        "SCHEMA_VALIDATION_FAILED",
        "",
    );
    assert_finds(
        json!({"StartAt": "A", "Version": "2.0", "States": {"A": {"Type": "Succeed"}}}),
        "SCHEMA_VALIDATION_FAILED",
        "/Version",
    );
    assert_finds(
        json!({"StartAt": "A", "Startat": "A", "States": {"A": {"Type": "Succeed"}}}),
        "SCHEMA_VALIDATION_FAILED",
        "/Startat",
    );
    assert_finds(
        json!({"StartAt": "A", "States": {}}),
        "SCHEMA_VALIDATION_FAILED",
        "/States",
    );
    assert_finds(json!([1]), "SCHEMA_VALIDATION_FAILED", "");
}

#[test]
fn unknown_types_and_fields_are_named_with_suggestions() {
    let all = diagnostics(&single(json!({"Type": "Pas", "End": true})));
    assert_eq!(all[0].code, Code::SchemaValidationFailed);
    assert_eq!(all[0].help.as_deref(), Some("did you mean `Pass`?"));
    assert!(
        all[0].message.starts_with("state `S`:"),
        "{}",
        all[0].message
    );
    let all = diagnostics(&single(
        json!({"Type": "Pass", "Resultpath": "$.x", "End": true}),
    ));
    assert_eq!(all[0].pointer, "/States/S/Resultpath");
    assert_eq!(all[0].help.as_deref(), Some("did you mean `ResultPath`?"));
}

#[test]
fn fields_are_allowed_per_state_type() {
    for (ty, field, value) in [
        ("Choice", "ResultPath", json!("$.x")),
        ("Choice", "Parameters", json!({})),
        ("Succeed", "ResultSelector", json!({})),
        ("Fail", "InputPath", json!("$")),
        ("Wait", "Parameters", json!({})),
        ("Pass", "ResultSelector", json!({})),
        ("Pass", "Retry", json!([])),
    ] {
        let mut state = json!({"Type": ty});
        state[field] = value;
        match ty {
            "Choice" => {
                state["Choices"] = json!([{"Variable": "$.a", "IsPresent": true, "Next": "S"}]);
                state["Default"] = json!("E");
            }
            "Wait" | "Pass" => state["End"] = json!(true),
            _ => {}
        }
        let definition = json!({"StartAt": "S", "States": {"S": state, "E": {"Type": "Succeed"}}});
        assert_finds(
            definition,
            "SCHEMA_VALIDATION_FAILED",
            &format!("/States/S/{field}"),
        );
    }
}

#[test]
fn fields_are_allowed_per_query_language() {
    assert_finds(
        jsonata(json!({"Type": "Pass", "Parameters": ["abc"], "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Parameters",
    );
    assert_finds(
        single(
            json!({"Type": "Pass", "QueryLanguage": "JSONata", "OutputPath": "$.a", "End": true}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/OutputPath",
    );
    assert_finds(
        single(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {}, "End": true}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Arguments",
    );
    assert_finds(
        jsonata(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/QueryLanguage",
    );
    assert_finds(
        jsonata(json!({"Type": "Pass", "Output": {"a.$": "$.x"}, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Output/a.$",
    );
}

#[test]
fn one_of_pairs_are_exclusive() {
    for (state, field) in [
        (
            json!({"Type": "Wait", "Seconds": 1, "Timestamp": "2026-01-01T00:00:00Z", "End": true}),
            "Timestamp",
        ),
        (
            json!({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}),
            "ErrorPath",
        ),
        (
            json!({"Type": "Fail", "Cause": "C", "CausePath": "$.c"}),
            "CausePath",
        ),
        (
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
                "TimeoutSecondsPath": "$.t", "End": true}),
            "TimeoutSecondsPath",
        ),
        (json!({"Type": "Pass", "Next": "S", "End": true}), "End"),
        (
            json!({"Type": "Map", "ItemSelector": {}, "Parameters": {}, "End": true,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}),
            "Parameters",
        ),
        (
            json!({"Type": "Map", "End": true,
                "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}},
                "ItemProcessor": {"StartAt": "Q", "States": {"Q": {"Type": "Succeed"}}}}),
            "ItemProcessor",
        ),
    ] {
        assert_finds(
            single(state),
            "SCHEMA_VALIDATION_FAILED",
            &format!("/States/S/{field}"),
        );
    }
    assert_finds(
        jsonata(
            json!({"Type": "Map", "Items": [1], "ItemsPath": "$.a", "End": true,
                       "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemsPath",
    );
}

#[test]
fn required_fields_and_next_or_end() {
    assert_finds(
        single(json!({"Type": "Task", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S",
    );
    assert_finds(
        single(json!({"Type": "Pass"})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S",
    );
    assert_finds(
        single(json!({"Type": "Wait", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S",
    );
    assert_finds(
        single(json!({"Type": "Parallel", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S",
    );
    assert_finds(
        single(json!({"Type": "Pass", "End": false})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/End",
    );
    assert_finds(
        single(json!({"Type": "Succeed", "Next": "S"})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Next",
    );
}

#[test]
fn transitions_must_name_a_state_in_the_same_scope() {
    assert_finds(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed"}}}),
        "MISSING_TRANSITION_TARGET",
        "/States/A/Next",
    );
    assert_finds(
        json!({"StartAt": "Missing", "States": {"A": {"Type": "Succeed"}}}),
        "MISSING_TRANSITION_TARGET",
        "/StartAt",
    );
    let leaves = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "Done", "Branches": [
            {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Done"}}}]},
        "Done": {"Type": "Succeed"}}});
    let all = diagnostics(&leaves);
    let leaving = all
        .iter()
        .find(|d| d.pointer == "/States/P/Branches/0/States/In/Next")
        .expect("leaving a branch is reported");
    assert_eq!(leaving.code, Code::MissingTransitionTarget);
    assert!(
        leaving.message.contains("another scope"),
        "{}",
        leaving.message
    );
}

#[test]
fn unreachable_states_and_missing_end() {
    assert_finds(
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Lost": {"Type": "Succeed"}}}),
        "UNREACHABLE_STATE",
        "/States/Lost",
    );
    assert_finds(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}),
        "MISSING_END_STATE",
        "/States",
    );
    let in_map = single(
        json!({"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Next": "P"}}}}),
    );
    assert_finds(
        in_map,
        "MISSING_END_STATE",
        "/States/S/ItemProcessor/States",
    );
}

#[test]
fn state_names_are_unique_across_scopes_and_limited() {
    let nested = json!({"StartAt": "A", "States": {
        "A": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}});
    assert_finds(
        nested,
        "DUPLICATE_STATE_NAME",
        "/States/A/Branches/0/States/A",
    );
    let text =
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}"#;
    assert!(
        check(text)
            .diagnostics
            .iter()
            .any(|d| d.code == Code::DuplicateStateName)
    );
    let long = "x".repeat(81);
    assert_finds(
        json!({"StartAt": long, "States": {long.clone(): {"Type": "Succeed"}}}),
        "INVALID_STATE_NAME",
        &format!("/States/{long}"),
    );
}

#[test]
fn duplicate_fields_are_reported() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Fail", "Cause": "a", "Cause": "b"}}}"#;
    let all = check(text).diagnostics;
    assert!(
        all.iter()
            .any(|d| d.code == Code::SchemaValidationFailed && d.pointer == "/States/A/Cause")
    );
}

#[test]
fn retry_and_catch_rules() {
    let task = |retry: Value, catch: Value| {
        json!({"StartAt": "S", "States": {
            "S": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": retry, "Catch": catch, "End": true},
            "H": {"Type": "Succeed"}}})
    };
    let catch_ok = json!([{"ErrorEquals": ["States.ALL"], "Next": "H"}]);
    assert_finds(
        task(
            json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]),
            catch_ok.clone(),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Retry/0/ErrorEquals/0",
    );
    assert_finds(
        task(
            json!([{"ErrorEquals": ["States.ALL", "X"]}]),
            catch_ok.clone(),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Retry/0/ErrorEquals/0",
    );
    assert_finds(
        task(json!([{"ErrorEquals": []}]), catch_ok.clone()),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Retry/0/ErrorEquals",
    );
    for (field, value) in [
        ("BackoffRate", json!(0.5)),
        ("IntervalSeconds", json!(0)),
        ("MaxAttempts", json!(-1)),
        ("MaxDelaySeconds", json!(31_622_401)),
        ("JitterStrategy", json!("SOME")),
    ] {
        let mut retrier = json!({"ErrorEquals": ["X"]});
        retrier[field] = value;
        assert_finds(
            task(json!([retrier]), catch_ok.clone()),
            "SCHEMA_VALIDATION_FAILED",
            &format!("/States/S/Retry/0/{field}"),
        );
    }
    assert_finds(
        task(json!([]), json!([{"ErrorEquals": ["X"]}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Catch/0",
    );
    assert_finds(
        task(
            json!([]),
            json!([{"ErrorEquals": ["States.ALL"], "Next": "H"}, {"ErrorEquals": ["X"], "Next": "H"}]),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Catch/0/ErrorEquals/0",
    );
    assert_finds(
        task(json!([{"ErrorEquals": ["States.Timeut"]}]), catch_ok),
        "UNKNOWN_ERROR_NAME",
        "/States/S/Retry/0/ErrorEquals/0",
    );
}

#[test]
fn choice_rules() {
    let choice = |rules: Value| {
        json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": rules, "Default": "D"}, "D": {"Type": "Succeed"}}})
    };
    assert_finds(
        choice(json!([{"Variable": "$.a", "NumericEquals": 1, "End": true}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/End",
    );
    assert_finds(
        choice(json!([{"Variable": "$.a", "NumericEquals": "1", "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/NumericEquals",
    );
    assert_finds(
        choice(json!([{"Variable": "$.a", "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0",
    );
    assert_finds(
        choice(json!([{"NumericEquals": 1, "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0",
    );
    assert_finds(
        choice(json!([{"And": [{"Variable": "$.a", "IsNull": true, "Next": "D"}], "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/And/0/Next",
    );
    assert_finds(
        choice(json!([{"Variable": "$.a", "TimestampEquals": "2026-01-01 00:00:00", "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/TimestampEquals",
    );
    assert_finds(
        choice(json!([{"Variable": "States.ArrayLength($.a)", "NumericEquals": 1, "Next": "D"}])),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/Variable",
    );
    assert_finds(
        choice(json!([{"Variable": "$.a", "StringEquals": "$.b", "Next": "D"}])),
        "NO_PATH",
        "/States/C/Choices/0/StringEquals",
    );
    assert_valid(choice(
        json!([{"Variable": "$.a", "StringEqualsPath": "$.b", "Next": "D"}]),
    ));
    assert_finds(
        json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed"}}}),
        "SCHEMA_VALIDATION_FAILED",
        "/States/C/Choices/0/Variable",
    );
}

#[test]
fn paths_are_checked_by_what_the_field_accepts() {
    assert_valid(single(
        json!({"Type": "Pass", "InputPath": "$$.Execution.Input", "OutputPath": null, "End": true}),
    ));
    assert_finds(
        single(json!({"Type": "Pass", "InputPath": "States.Array($.a)", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/InputPath",
    );
    assert_finds(
        single(json!({"Type": "Pass", "ResultPath": "$.a[*]", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ResultPath",
    );
    assert_finds(
        single(json!({"Type": "Pass", "ResultPath": "$$.a", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ResultPath",
    );
    assert_finds(
        single(json!({"Type": "Pass", "ResultPath": "$foo", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ResultPath",
    );
    assert_finds(
        single(json!({"Type": "Pass", "InputPath": "$.a[", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/InputPath",
    );
    assert_finds(
        single(json!({"Type": "Map", "ItemsPath": null, "End": true,
                      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemsPath",
    );
}

#[test]
fn payload_templates_and_warnings() {
    assert_finds(
        single(json!({"Type": "Pass", "Parameters": {"a.$": 23}, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Parameters/a.$",
    );
    assert_finds(
        single(json!({"Type": "Pass", "Parameters": {"a.$": "23"}, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Parameters/a.$",
    );
    assert_finds(
        single(
            json!({"Type": "Pass", "Parameters": {"x": [{"b.$": "States.Nope()"}]}, "End": true}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Parameters/x/0/b.$",
    );
    assert_finds(
        single(json!({"Type": "Pass", "Parameters": {"a": "$.b"}, "End": true})),
        "NO_DOLLAR",
        "/States/S/Parameters/a",
    );
    assert_finds(
        single(json!({"Type": "Pass", "Result": {"a.$": "$.b"}, "End": true})),
        "PASS_RESULT_IS_STATIC",
        "/States/S/Result/a.$",
    );
    assert_finds(
        single(json!({"Type": "Fail", "Error": "$.error"})),
        "NO_PATH",
        "/States/S/Error",
    );
    assert_valid(single(
        json!({"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hi {}', $.name)", "price": "$5"}, "End": true}),
    ));
}

#[test]
fn variables_in_assign() {
    assert_finds(
        single(json!({"Type": "Pass", "Assign": {"1st": 1}, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Assign/1st",
    );
    assert_finds(
        jsonata(json!({"Type": "Pass", "Assign": {"states": 1}, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Assign/states",
    );
    assert_finds(
        single(json!({"Type": "Pass", "Assign": ["x"], "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Assign",
    );
    assert_valid(single(
        json!({"Type": "Pass", "Assign": {"total.$": "$.a", "n_2": 1}, "End": true}),
    ));
}

#[test]
fn jsonata_wrappers_and_syntax() {
    for bad in [
        "{% $x ",
        " $x %}",
        "{%  %}",
        "{% 10 + * 2 %}",
        "{% $sum($a %}",
        "{% λ($a)<a<>>{$a}(1) %}",
    ] {
        assert_finds(
            jsonata(json!({"Type": "Pass", "Output": bad, "End": true})),
            "SCHEMA_VALIDATION_FAILED",
            "/States/S/Output",
        );
    }
    assert_valid(jsonata(
        json!({"Type": "Pass", "Output": "{% \n  $states.input.a\n %}", "End": true}),
    ));
    assert_valid(jsonata(
        json!({"Type": "Pass", "Output": "plain text", "End": true}),
    ));
    let text = "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Pass\", \"Output\": \"{% 1 + * 2 %}\", \"End\": true}}}";
    let d = &check(text).diagnostics[0];
    // `*` is JSONata's wildcard, so the token that cannot follow is `2`.
    assert_eq!(
        &text[d.span.start..d.span.end],
        "2",
        "the span points inside the expression"
    );
}

#[test]
fn numbers_timestamps_and_labels() {
    assert_finds(
        single(json!({"Type": "Wait", "Seconds": -1, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Seconds",
    );
    assert_finds(
        single(json!({"Type": "Wait", "Seconds": 1.5, "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Seconds",
    );
    assert_finds(
        single(json!({"Type": "Wait", "Timestamp": "2026-01-01", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Timestamp",
    );
    assert_finds(
        single(json!({"Type": "Wait", "Timestamp": "2026-01-01t00:00:00z", "End": true})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/Timestamp",
    );
    assert_valid(single(
        json!({"Type": "Wait", "Timestamp": "2026-01-01T00:00:00.5+02:00", "End": true}),
    ));
    assert_finds(
        single(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "HeartbeatSeconds": 0, "End": true}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/HeartbeatSeconds",
    );
    let map = |label: &str| {
        single(json!({"Type": "Map", "Label": label, "End": true,
                      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}))
    };
    assert_finds(map("has space"), "INVALID_LABEL_NAME", "/States/S/Label");
    assert_valid(map("Orders"));
    assert_finds(
        single(
            json!({"Type": "Map", "ToleratedFailurePercentage": 101, "End": true,
                      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ToleratedFailurePercentage",
    );
}

#[test]
fn task_resources_and_credentials() {
    let task = |resource: &str| single(json!({"Type": "Task", "Resource": resource, "End": true}));
    assert_finds(
        task("arn:aws:lambda:us-east-1:1:function:F:"),
        "INVALID_RESOURCE",
        "/States/S/Resource",
    );
    assert_finds(task("MyFunction"), "INVALID_RESOURCE", "/States/S/Resource");
    for unchecked in ["${FunctionArn}", "foo:bar"] {
        assert_finds(task(unchecked), "UNCHECKED_RESOURCE", "/States/S/Resource");
        assert!(
            !check(&task(unchecked).to_string()).has_errors(),
            "{unchecked} is only a warning"
        );
    }
    let reference = single(json!({"Type": "Task", "Resource": {"Ref": "Fn"}, "End": true}));
    assert_finds(reference, "UNCHECKED_RESOURCE", "/States/S/Resource");
    for (credentials, pointer) in [
        (json!(null), ""),
        (json!("arn:aws:iam::1:role/R"), ""),
        (json!({"RoleArn": "a", "RoleArn.$": "$.r"}), "/RoleArn.$"),
        (json!({"RoleArn.$": "not a path"}), "/RoleArn.$"),
    ] {
        assert_finds(
            single(
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Credentials": credentials, "End": true}),
            ),
            "SCHEMA_VALIDATION_FAILED",
            &format!("/States/S/Credentials{pointer}"),
        );
    }
}

#[test]
fn distributed_map_configuration() {
    let map = |extra: Value| {
        let mut state = json!({"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                              "StartAt": "P", "States": {"P": {"Type": "Succeed"}}}});
        for (k, v) in extra.as_object().unwrap() {
            state[k] = v.clone();
        }
        single(state)
    };
    assert_valid(map(
        json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
        "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemBatcher": {"MaxItemsPerBatch": 10},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}}),
    ));
    assert_finds(
        map(
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"MaxItems": 1, "MaxItemsPath": "$.n"}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemReader/ReaderConfig/MaxItemsPath",
    );
    assert_finds(
        map(json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemBatcher/MaxItemsPerBatchPath",
    );
    // Rules from the ItemReader, ItemBatcher and ResultWriter pages of the Step Functions guide.
    for (extra, pointer) in [
        (
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:putObject",
                   "Parameters": {"Bucket": "b", "Key": "k"}}}),
            "/States/S/ItemReader/Resource",
        ),
        (
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}}}),
            "/States/S/ItemReader/ReaderConfig",
        ),
        (
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW",
                                    "CSVHeaders": ["a"]}}}),
            "/States/S/ItemReader/ReaderConfig/CSVHeaders",
        ),
        (
            json!({"ItemBatcher": {"BatchInput": {"a": 1}}}),
            "/States/S/ItemBatcher",
        ),
        (
            json!({"ItemBatcher": {"MaxInputBytesPerBatch": 300_000}}),
            "/States/S/ItemBatcher/MaxInputBytesPerBatch",
        ),
        (
            json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:getObject",
                   "Parameters": {"Bucket": "b", "Prefix": "p"}}}),
            "/States/S/ResultWriter/Resource",
        ),
    ] {
        assert_finds(map(extra), "SCHEMA_VALIDATION_FAILED", pointer);
    }
    assert_finds(
        single(
            json!({"Type": "Map", "End": true, "ItemBatcher": {"MaxItemsPerBatch": 2},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemBatcher",
    );
    assert_finds(
        single(
            json!({"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "FAST"},
            "StartAt": "P", "States": {"P": {"Type": "Succeed"}}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemProcessor/ProcessorConfig/Mode",
    );
}

/// The errors of a definition, as (code, pointer).
fn errors(definition: &Value) -> Vec<(&'static str, String)> {
    diagnostics(definition)
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| (d.code.as_str(), d.pointer))
        .collect()
}

#[test]
fn one_mistake_gives_one_error() {
    let typo_next = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "Bb"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}});
    assert_eq!(
        errors(&typo_next),
        [("MISSING_TRANSITION_TARGET", "/States/A/Next".to_string())]
    );
    let typo_language = json!({"QueryLanguage": "JSONATA", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": "{% 1 %}", "End": true}}});
    assert_eq!(
        errors(&typo_language),
        [("SCHEMA_VALIDATION_FAILED", "/QueryLanguage".to_string())]
    );
    let typo_operator = json!({"StartAt": "S", "States": {
        "S": {"Type": "Choice", "Default": "E", "Choices": [{"Variable": "$.a", "StringEqual": "x", "Next": "E"}]},
        "E": {"Type": "Succeed"}}});
    assert_eq!(
        errors(&typo_operator),
        [(
            "SCHEMA_VALIDATION_FAILED",
            "/States/S/Choices/0/StringEqual".to_string()
        )]
    );
    let end_as_text = single(json!({"Type": "Pass", "End": "true"}));
    assert_eq!(
        errors(&end_as_text),
        [("SCHEMA_VALIDATION_FAILED", "/States/S/End".to_string())]
    );
    let anchored = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Parameters:\n      one: &t {k.$: \"$.[\"}\n      two: *t\n    End: true\n";
    let all = check(anchored).diagnostics;
    assert_eq!(
        all.len(),
        1,
        "the aliased copy repeats the same text, so it is reported once: {all:#?}"
    );
}

#[test]
fn a_payload_key_named_states_is_not_a_state_list() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"States": {"k": 1, "k": 2}}, "End": true}}}"#;
    let all = check(text).diagnostics;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].code, Code::SchemaValidationFailed);
}

#[test]
fn rules_from_the_review_against_aws_documentation() {
    let retry = |error: &str| {
        single(
            json!({"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": true,
                      "Retry": [{"ErrorEquals": [error], "IntervalSeconds": 2.0, "MaxAttempts": 3.0}]}),
        )
    };
    assert_valid(retry("States.Http.StatusCode.429"));
    assert_finds(
        retry("States.Http.StatusCode.abc"),
        "UNKNOWN_ERROR_NAME",
        "/States/S/Retry/0/ErrorEquals/0",
    );
    assert_finds(
        single(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "TimeoutSeconds": 10, "HeartbeatSeconds": 10, "End": true}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/HeartbeatSeconds",
    );
    let map = |extra: Value| {
        let mut state = json!({"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              "StartAt": "P", "States": {"P": {"Type": "Succeed"}}}});
        for (k, v) in extra.as_object().unwrap() {
            state[k] = v.clone();
        }
        single(state)
    };
    assert_valid(map(
        json!({"ResultWriter": {"WriterConfig": {"OutputType": "JSON", "Transformation": "COMPACT"}}}),
    ));
    assert_finds(
        map(json!({"ResultWriter": {}})),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ResultWriter",
    );
    assert_valid(map(
        json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "ItemsPointer": "/data/items"},
        "Parameters": {"Bucket": "b", "Key": "k"}}}),
    ));
    assert_finds(
        map(
            json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": 200_000_000}}}),
        ),
        "SCHEMA_VALIDATION_FAILED",
        "/States/S/ItemReader/ReaderConfig/MaxItems",
    );
}

#[test]
fn reading_a_variable_no_scope_assigns_is_a_warning() {
    // JSONata: the read is located at the `$name` inside the string.
    let definition =
        jsonata(json!({"Type": "Pass", "Output": "{% $states.input.a + $missing %}", "End": true}));
    let all = diagnostics(&definition);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].code.as_str(), "UNASSIGNED_VARIABLE");
    assert_eq!(all[0].severity, crate::Severity::Warning);
    let text = serde_json::to_string_pretty(&definition).unwrap();
    assert_eq!(&text[all[0].span.start..all[0].span.end], "$missing");

    // Assigned anywhere in the scope, or in a scope around it: fine. Assigned only inside a
    // Map's processor: not visible after the Map.
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"rate": 2}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.items %}",
                "ItemProcessor": {"StartAt": "Use", "States": {
                    "Use": {"Type": "Pass", "Output": "{% $states.input * $rate %}",
                            "Assign": {"inner": 1}, "Next": "Again"},
                    "Again": {"Type": "Pass", "Output": "{% $inner %}", "End": true}
                }},
                "Next": "After"
            },
            "After": {"Type": "Pass", "Output": "{% $inner + $later %}", "Next": "Last"},
            "Last": {"Type": "Pass", "Assign": {"later": 3}, "End": true}
        }
    });
    assert_eq!(
        found(&definition),
        [("UNASSIGNED_VARIABLE", "/States/After/Output".to_string())],
        "only $inner after the Map; $later is assigned, if by a later state"
    );

    // JSONPath: a `.$` path rooted at a variable, also inside an intrinsic function.
    assert_finds(
        single(
            json!({"Type": "Pass", "Parameters": {"a.$": "States.Format('{}', $who.name)"}, "End": true}),
        ),
        "UNASSIGNED_VARIABLE",
        "/States/S/Parameters/a.$",
    );
    assert_valid(single(json!({"Type": "Pass", "Assign": {"who": "x"},
        "Parameters": {"a.$": "$who"}, "End": true})));
}
