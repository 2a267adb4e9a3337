//! State machines from the outside: `awskb asl validate`, and `asl` blocks checked in pages.

use crate::common::*;

const VALID: &str = r#"{
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Result": "hello", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#;

const INVALID: &str = r#"{
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Next": "Gone"},
    "Done": {"Type": "Succeed"}
  }
}"#;

#[test]
fn validate_accepts_valid_json_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.json", VALID);
    write(
        dir.path(),
        "ok.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Wait\n    Seconds: 5\n    End: true\n",
    );
    let json = dir.path().join("ok.json");
    let yaml = dir.path().join("ok.yaml");
    let out = awskb(&[
        "asl",
        "validate",
        json.to_str().unwrap(),
        yaml.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("ok.json: valid"), "{}", stderr(&out));
    assert!(stderr(&out).contains("ok.yaml: valid"), "{}", stderr(&out));
}

#[test]
fn validate_reports_file_line_column_code_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.json", INVALID);
    let path = dir.path().join("bad.json");
    let out = awskb(&["asl", "validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let headline = format!(
        "{}:4:39: error[MISSING_TRANSITION_TARGET]: state `Greet`: this transition goes to `Gone`",
        path.display()
    );
    assert!(err.contains(&headline), "{err}");
    assert!(
        !err.contains("error[UNREACHABLE_STATE]"),
        "a broken transition is not also reported as unreachable states: {err}"
    );
    assert!(
        err.contains(r#""Greet": {"Type": "Pass", "Next": "Gone"},"#),
        "the excerpt shows the line: {err}"
    );
}

#[test]
fn validate_json_format_lists_diagnostics_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.json", INVALID);
    write(
        dir.path(),
        "warn.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x": "$.y"}, "End": true}}}"#,
    );
    let bad = dir.path().join("bad.json");
    let warn = dir.path().join("warn.json");
    let out = awskb(&[
        "asl",
        "validate",
        "--format",
        "json",
        bad.to_str().unwrap(),
        warn.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = all.as_array().unwrap();
    let missing = all
        .iter()
        .find(|d| d["code"] == "MISSING_TRANSITION_TARGET")
        .expect("the missing target is listed");
    assert_eq!(missing["severity"], "error");
    assert_eq!(missing["pointer"], "/States/Greet/Next");
    assert_eq!(
        (missing["line"].as_u64(), missing["column"].as_u64()),
        (Some(4), Some(39))
    );
    let warning = all
        .iter()
        .find(|d| d["code"] == "NO_DOLLAR")
        .expect("the warning is listed");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["pointer"], "/States/A/Parameters/x");

    let out = awskb(&[
        "asl",
        "validate",
        "--format",
        "json",
        warn.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings alone keep the exit code 0"
    );
}

#[test]
fn validate_reports_unreadable_and_malformed_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.json",
        "{\"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Succeed\"},}\n}",
    );
    let broken = dir.path().join("broken.json");
    let missing = dir.path().join("missing.json");
    let out = awskb(&[
        "asl",
        "validate",
        broken.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:2:39: error[INVALID_JSON_DESCRIPTION]",
            broken.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("missing.json") && err.contains("cannot read the file"),
        "{err}"
    );
    assert_eq!(
        awskb(&["asl", "validate"]).status.code(),
        Some(2),
        "no file is a usage error"
    );
}

#[test]
fn an_invalid_asl_block_fails_the_build_at_its_line_in_the_page() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "content/_index.md", "---\ntitle: Home\n---\n");
    write(
        site.path(),
        "content/flow.md",
        "---\ntitle: Flow\n---\n\nIntro.\n\n```asl title=\"Orders\"\nStartAt: Check\nStates:\n  Check:\n    Type: Choice\n    Choices:\n      - Variable: $.total\n        NumericGreaterThan: big\n        Next: Done\n    Default: Done\n  Done:\n    Type: Succeed\n```\n",
    );
    let root = site.path().to_str().unwrap();
    let out = awskb(&["build", "-r", root]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/flow.md:14:29: error[SCHEMA_VALIDATION_FAILED]: state `Check`: `NumericGreaterThan` takes a number"),
        "{err}"
    );
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );

    let out = awskb(&["check", "-r", root, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        all["diagnostics"][0]["pointer"],
        "/States/Check/Choices/0/NumericGreaterThan"
    );
}

#[test]
fn a_valid_asl_block_builds_and_is_highlighted() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "content/_index.md", "---\ntitle: Home\n---\n");
    write(
        site.path(),
        "content/flow.md",
        format!("---\ntitle: Flow\n---\n\n```asl\n{VALID}\n```\n"),
    );
    let root = site.path().to_str().unwrap();
    let out = awskb(&["build", "-r", root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = html(&site.path().join("public/flow/index.html"));
    let pre = scraper::Selector::parse("pre.highlight[data-lang=asl] code span").unwrap();
    assert!(
        page.select(&pre).next().is_some(),
        "the definition is highlighted as JSON"
    );
}
