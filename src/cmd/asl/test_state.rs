//! `awskb asl test-state`: the Step Functions TestState API, offline. Reads the definition and
//! the JSON arguments, runs `asl::simulate::test_state`, prints the answer.

use crate::cmd::stdout::{out, outln};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use asl::simulate::MockOutcome;
use asl::simulate::test_state::{self, InspectionLevel, Request, TestStateError};
use serde_json::{Map, Value};

use super::definition::{MAX_DEFINITION_BYTES, MAX_INPUT_BYTES, MAX_MOCKS_BYTES, read_limited};
use crate::cli::{TestStateArgs, TestStateFormat, TestStateLevel};

/// 0 when the state succeeded or its error was caught, 1 when it failed, is retriable or the
/// definition is invalid, 2 when an argument is unusable.
pub fn run(args: TestStateArgs, color: bool) -> ExitCode {
    let prepared = (|| {
        let text = read_limited(
            &args.file,
            MAX_DEFINITION_BYTES,
            "the largest definition Step Functions accepts",
        )
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
        let json = |value: &Option<String>, what: &str| -> Result<Option<Value>, String> {
            value
                .as_deref()
                .map(|spec| json_argument(spec, what))
                .transpose()
        };
        let object = |value: Option<Value>, what: &str| match value {
            None => Ok(Map::new()),
            Some(Value::Object(members)) => Ok(members),
            Some(other) => Err(format!("{what} must be a JSON object, found {other}")),
        };
        let mocks = match &args.mocks {
            Some(path) => super::definition::read_mocks(path, None).map_err(|e| e.to_string())?,
            None => asl::simulate::Mocks::none(),
        };
        let mock = match (&args.mock_result, &args.mock_error) {
            (Some(result), _) => Some(MockOutcome::Return(json_argument(result, "--mock-result")?)),
            (None, Some(error)) => Some(MockOutcome::Throw {
                error: error.clone(),
                cause: args.mock_cause.clone().unwrap_or_default(),
            }),
            (None, None) => None,
        };
        let variables = object(json(&args.variables, "--variables")?, "--variables")?;
        let context = json(&args.context, "--context")?;
        let input = json(&args.input, "--input")?.unwrap_or_else(|| Value::Object(Map::new()));
        let reader_data = match args.map_item_reader_data.as_deref() {
            Some(spec) => Some(match spec.strip_prefix('@') {
                Some(file) => read_limited(
                    Path::new(file),
                    MAX_MOCKS_BYTES,
                    "the largest data file awskb reads",
                )
                .map_err(|e| format!("cannot read {file}: {e}"))?,
                None => spec.to_string(),
            }),
            None => None,
        };
        Ok::<_, String>((text, mocks, mock, variables, context, input, reader_data))
    })();
    let (text, mocks, mock, variables, context, input, reader_data) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let request = Request {
        definition: &text,
        state_name: args.state.as_deref(),
        input,
        inspection_level: match args.inspection_level {
            TestStateLevel::Info => InspectionLevel::Info,
            TestStateLevel::Debug => InspectionLevel::Debug,
            TestStateLevel::Trace => InspectionLevel::Trace,
        },
        variables,
        context,
        mocks,
        mock,
        retrier_retry_count: args.retrier_retry_count,
        map_item_reader_data: reader_data,
        map_iteration_failure_count: args.map_iteration_failure_count,
    };
    let response = match test_state::test_state(request) {
        Ok(response) => response,
        Err(TestStateError::Invalid {
            diagnostics,
            text: checked,
        }) => {
            // A lone state is checked inside a machine made around it.
            let file = if checked != text {
                PathBuf::from(format!(
                    "{} (the state inside a machine)",
                    args.file.display()
                ))
            } else {
                args.file.clone()
            };
            let found = awskb::definitions::located(&diagnostics, &file, &checked);
            awskb::diagnostics::print_all(&found, Path::new(""), color);
            eprintln!("{}: invalid, not run", args.file.display());
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("error: {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    match args.format {
        TestStateFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&response).unwrap_or_default()
        ),
        TestStateFormat::Human => out!("{}", human(&response)),
    }
    use test_state::TestStatus::{CaughtError, Succeeded};
    if matches!(response.status, Succeeded | CaughtError) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// JSON text, or `@FILE` holding it.
fn json_argument(spec: &str, what: &str) -> Result<Value, String> {
    let (text, source) = match spec.strip_prefix('@') {
        Some(file) => (
            read_limited(
                Path::new(file),
                MAX_INPUT_BYTES,
                "the largest payload Step Functions accepts",
            )
            .map_err(|e| format!("cannot read {file}: {e}"))?,
            format!("{what} file {file}"),
        ),
        None => (spec.to_string(), format!("the {what} value")),
    };
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{source} is not JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        )
    })
}

/// The answer for a person: status and next state, error and cause, output, then each
/// inspection field that is present.
fn human(response: &test_state::Response) -> String {
    let value = serde_json::to_value(response).unwrap_or_default();
    let mut text = String::new();
    let status = value["status"].as_str().unwrap_or_default();
    text.push_str(status);
    if let Some(next) = &response.next_state {
        text.push_str(&format!(" -> {next}"));
    }
    text.push('\n');
    for (label, field) in [("error", &response.error), ("cause", &response.cause)] {
        if let Some(field) = field {
            text.push_str(&format!("{label}: {field}\n"));
        }
    }
    if let Some(output) = &response.output {
        text.push_str(&format!("output: {output}\n"));
    }
    if let Some(Value::Object(data)) = value.get("inspectionData") {
        text.push_str("inspectionData:\n");
        for (name, field) in data {
            let shown = match field {
                Value::String(json) => json.clone(),
                other => other.to_string(),
            };
            text.push_str(&format!("  {name}: {shown}\n"));
        }
    }
    text
}
