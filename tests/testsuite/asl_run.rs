//! Simulated executions from the outside: `awskb asl run` and `awskb asl test`.

use crate::common::*;
use serde_json::{Value, json};

const ORDER: &str = r#"{
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Choice",
              "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Charge"}],
              "Default": "Small"},
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "ResultPath": "$.receipt",
               "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}],
               "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refused"}],
               "End": true},
    "Small": {"Type": "Pass", "Result": "no charge", "ResultPath": "$.note", "End": true},
    "Refused": {"Type": "Fail", "Error": "Refused", "CausePath": "$.error.Cause"}
  }
}"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "order.json", ORDER);
    write(
        dir.path(),
        "mocks.json",
        r#"{"Charge": {"0": {"Throw": {"Error": "Busy", "Cause": "try again"}},
                       "1": {"Return": {"id": "r-1"}}}}"#,
    );
    dir
}

fn json_stdout(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_str().unwrap().to_string()
}

#[test]
fn run_prints_the_result_as_json_and_exits_0_on_success() {
    let dir = setup();
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        r#"{"total": 150}"#,
        "--mocks",
        &path(&dir, "mocks.json"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        json_stdout(&out),
        json!({"status": "SUCCEEDED", "output": {"total": 150, "receipt": {"id": "r-1"}}})
    );
}

#[test]
fn run_reports_failure_with_error_and_cause_and_exits_1() {
    let dir = setup();
    write(
        dir.path(),
        "declined.json",
        r#"{"Charge": {"Throw": {"Error": "Declined", "Cause": "card expired"}}}"#,
    );
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        r#"{"total": 150}"#,
        "--mocks",
        &path(&dir, "declined.json"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_stdout(&out),
        json!({"status": "FAILED", "error": "Refused", "cause": "card expired"})
    );
}

#[test]
fn run_history_has_aws_event_types_ids_and_virtual_times() {
    let dir = setup();
    let input_file = path(&dir, "input.json");
    std::fs::write(&input_file, r#"{"total": 150}"#).unwrap();
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        &format!("@{input_file}"),
        "--mocks",
        &path(&dir, "mocks.json"),
        "--format",
        "json",
        "--history",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result = json_stdout(&out);
    let events = result["history"].as_array().unwrap();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event["id"], json!(i + 1));
        assert_eq!(event["previousEventId"], json!(i));
    }
    // The retry waited one virtual second.
    assert_eq!(events[7]["timestamp"], json!("2024-01-01T12:00:01.000Z"));
    assert_eq!(
        events[1]["stateEnteredEventDetails"]["input"],
        json!(r#"{"total":150}"#)
    );
}

#[test]
fn run_human_output_shows_the_path_taken() {
    let dir = setup();
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        r#"{"total": 5}"#,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let check = text.find("-> Check (Choice)").unwrap();
    let small = text.find("-> Small (Pass)").unwrap();
    assert!(check < small, "{text}");
    assert!(!text.contains("Charge"), "{text}");
    assert!(text.contains("SUCCEEDED"), "{text}");
    assert!(text.contains(r#""note": "no charge""#), "{text}");
}

#[test]
fn run_without_mocks_says_the_task_returned_its_input() {
    let dir = setup();
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        r#"{"total": 500}"#,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("note: no mock for 'Charge'"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn run_takes_a_step_functions_local_mock_configuration() {
    let dir = setup();
    write(
        dir.path(),
        "config.json",
        r#"{"StateMachines": {"Order": {"TestCases": {"Refuse": {"Charge": "Refusal"}}}},
            "MockedResponses": {"Refusal": {"0": {"Throw": {"Error": "No", "Cause": "refused"}}}}}"#,
    );
    let config = path(&dir, "config.json");
    let order = path(&dir, "order.json");
    let args = [
        "asl",
        "run",
        &order,
        "--input",
        r#"{"total": 150}"#,
        "--mocks",
        &config,
    ];
    let out = awskb(&[&args[..], &["--test-case", "Refuse", "--format", "json"]].concat());
    assert_eq!(json_stdout(&out)["cause"], json!("refused"));
    let out = awskb(&[&args[..], &["--test-case", "Missing"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("no test case named 'Missing' in the mock configuration (it has: Refuse)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_refuses_bad_input_and_invalid_definitions() {
    let dir = setup();
    let out = awskb(&["asl", "run", &path(&dir, "order.json"), "--input", "{total"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the --input value is not valid JSON"),
        "{}",
        stderr(&out)
    );
    write(
        dir.path(),
        "bad.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
    );
    let out = awskb(&["asl", "run", &path(&dir, "bad.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[MISSING_TRANSITION_TARGET]"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn runaway_loop_stops_at_the_transition_budget() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "loop.json",
        r#"{"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Next": "B"},
              "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "C"}], "Default": "A"},
              "C": {"Type": "Succeed"}}}"#,
    );
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "loop.json"),
        "--max-transitions",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let result = json_stdout(&out);
    assert_eq!(result["error"], json!("Simulator.TransitionLimitExceeded"));
    assert!(
        result["cause"]
            .as_str()
            .unwrap()
            .contains("100 state transitions")
    );
}

#[test]
fn test_runs_case_files_and_folders() {
    let cases = fixture("asl-cases");
    let out = awskb(&["asl", "test", cases.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out).trim(), "20 passed, 0 failed");
}

#[test]
fn test_names_each_failure_with_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrong.json",
        r#"{"name": "expects the wrong output",
            "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": [1, 2]}, "End": true}}},
            "input": {},
            "expected": {"status": "SUCCEEDED", "output": {"a": [1, 3]}}}"#,
    );
    write(dir.path(), "broken.json", "{not json");
    let good = fixture("asl-cases").join("map-items.json");
    let out = awskb(&[
        "asl",
        "test",
        dir.path().to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("(expects the wrong output): output at /a/1: expected 3, got 2"),
        "{text}"
    );
    assert!(
        text.contains("broken.json (broken): not a case file"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("1 passed, 2 failed"), "{text}");

    let out = awskb(&[
        "asl",
        "test",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    let report = json_stdout(&out);
    assert_eq!(report["passed"], json!(0));
    assert_eq!(report["failed"], json!(2));
    let wrong = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == json!("expects the wrong output"))
        .unwrap();
    assert_eq!(wrong["actual"]["output"], json!({"a": [1, 2]}));
}

#[test]
fn run_reads_a_csv_object_from_the_mocked_s3_and_prints_what_the_result_writer_wrote() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "dmap.json",
        r#"{"StartAt": "Rows", "States": {"Rows": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "in", "Key": "rows.csv"}},
            "ItemSelector": {"name.$": "$$.Map.Item.Value.name", "from.$": "$$.Map.Item.Source"},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "out", "Prefix": "runs"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}}"#,
    );
    write(
        dir.path(),
        "mocks.json",
        r#"{"S3": {"in": {"rows.csv": "name\nada\ngrace\n"}}}"#,
    );
    let args = [
        "asl",
        "run",
        &path(&dir, "dmap.json"),
        "--mocks",
        &path(&dir, "mocks.json"),
    ];
    let out = awskb(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result = json_stdout(&out);
    let manifest_key = result["output"]["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap();
    let written = &result["s3"]["out"];
    let file = written[manifest_key]["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap();
    let outputs: Vec<Value> = written[file]
        .as_array()
        .unwrap()
        .iter()
        .map(|child| serde_json::from_str(child["Output"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        outputs,
        [
            json!({"name": "ada", "from": "s3://in/rows.csv"}),
            json!({"name": "grace", "from": "s3://in/rows.csv"})
        ]
    );
    let human = awskb(&args);
    assert!(
        stdout(&human).contains(&format!("wrote s3://out/{manifest_key}")),
        "{}",
        stdout(&human)
    );
}

#[test]
fn test_state_answers_as_the_test_state_api_does() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "charge.json",
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"orderId.$": "$.id"},
            "ResultSelector": {"chargeId.$": "$.Payload.chargeId"}, "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["Card.Declined"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "Ship"}"#,
    );
    let file = path(&dir, "charge.json");
    let run = |extra: &[&str]| {
        let args = [
            &["asl", "test-state", &file, "--input", r#"{"id": "o-1"}"#],
            extra,
        ]
        .concat();
        awskb(&args)
    };
    let out = run(&[
        "--mock-result",
        r#"{"Payload": {"chargeId": "ch-7"}}"#,
        "--inspection-level",
        "DEBUG",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answer = json_stdout(&out);
    assert_eq!(answer["status"], "SUCCEEDED");
    assert_eq!(answer["nextState"], "Ship");
    assert_eq!(
        answer["output"],
        r#"{"id":"o-1","charge":{"chargeId":"ch-7"}}"#
    );
    assert_eq!(
        answer["inspectionData"]["afterParameters"],
        r#"{"orderId":"o-1"}"#
    );
    assert_eq!(
        answer["inspectionData"]["afterResultSelector"],
        r#"{"chargeId":"ch-7"}"#
    );

    let out = run(&["--mock-error", "Busy", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_stdout(&out)["status"], "RETRIABLE");

    let out = run(&["--mock-error", "Card.Declined", "--mock-cause", "expired"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("CAUGHT_ERROR -> Refund\n"), "{text}");
    assert!(text.contains("cause: expired"), "{text}");

    let out = run(&["--variables", "[1]"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--variables must be a JSON object"));
}

#[cfg(unix)]
#[test]
fn an_endless_input_file_is_refused_at_the_input_limit() {
    let dir = setup();
    let out = awskb(&[
        "asl",
        "run",
        &path(&dir, "order.json"),
        "--input",
        "@/dev/zero",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("/dev/zero") && err.contains("262144 bytes"),
        "{err}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = setup();
    // A result far larger than a pipe's buffer.
    let big = format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": "{}", "End": true}}}}}}"#,
        "x".repeat(200_000)
    );
    write(dir.path(), "big.json", big);
    let mut child = Command::new(env!("CARGO_BIN_EXE_awskb"))
        .args([
            "asl",
            "run",
            &path(&dir, "big.json"),
            "--history",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here, as `| head -c 16` does.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
