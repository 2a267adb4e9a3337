//! The Step Functions TestState API, offline: one state run once with a given input, context
//! object fields, variables and a mocked result or error, reported with the API's field names
//! (`status`, `output`, `error`, `cause`, `nextState`, `inspectionData`) so scripts written
//! for TestState read it as they read AWS's answer.
//!
//! The state is named in a whole definition, or given on its own (its `Next`, `Default` and
//! `Catch` targets need not exist). It runs in the simulator like any execution, starting at
//! that state and stopping when the state is done: succeeded (`SUCCEEDED`), failed with an
//! error a `Catch` takes (`CAUGHT_ERROR`) or a `Retry` would retry (`RETRIABLE`), or failed
//! (`FAILED`).

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::execution::{Execution, Handling, Options, TopFailure};
use super::history::{Event, Stage};
use super::mocks::{MockOutcome, Mocks};
use crate::model::{QueryLanguage, State, StateKind, StateMachine};
use crate::{Diagnostic, source};

/// How much TestState reports besides the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum InspectionLevel {
    /// The status, output, error, cause and next state.
    #[default]
    Info,
    /// Also `inspectionData`: the data after each processing step, and the variables.
    Debug,
    /// As DEBUG (AWS adds the raw HTTP request and response of HTTP Tasks, which the simulator
    /// does not call).
    Trace,
}

/// What to test.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// A whole definition, or one state's definition (JSON or YAML).
    pub definition: &'a str,
    /// The state to run: required in a whole definition unless it is the `StartAt` state; the
    /// name a lone state goes by (default `TestState`).
    pub state_name: Option<&'a str>,
    /// The state's input.
    pub input: Value,
    /// How much to report besides the result.
    pub inspection_level: InspectionLevel,
    /// Variables already assigned when the state runs (`$name`).
    pub variables: Map<String, Value>,
    /// Fields laid over the context object (`$$`, `$states.context`).
    pub context: Option<Value>,
    /// Other mocks (Amazon S3 objects for a Distributed Map, Tasks inside a Map or Parallel).
    pub mocks: Mocks,
    /// What the state's Task returns or throws.
    pub mock: Option<MockOutcome>,
    /// Retries the state's retriers have already made (`stateConfiguration.retrierRetryCount`).
    pub retrier_retry_count: u64,
    /// A Distributed Map's items as its source holds them, in place of the mocked S3
    /// (`stateConfiguration.mapItemReaderData`).
    pub map_item_reader_data: Option<String>,
    /// Items of the map run that already failed (`stateConfiguration.mapIterationFailureCount`).
    pub map_iteration_failure_count: u64,
}

/// What TestState answers; payloads are JSON text, as the API returns them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// How the state ended.
    pub status: TestStatus,
    /// The state's output, when it succeeded or caught its error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error name, when it failed or caught an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Where the machine would go next (`Next`, a Choice's pick, a catcher's `Next`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_state: Option<String>,
    /// At DEBUG and TRACE: the data after each step (serialize the response to read it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) inspection_data: Option<InspectionData>,
}

/// How the state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TestStatus {
    /// The state succeeded.
    Succeeded,
    /// The state failed and no catcher took the error.
    Failed,
    /// The state failed and a retrier would run it again.
    Retriable,
    /// The state failed and a catcher took the error.
    CaughtError,
}

/// The data after each processing step, as JSON text, with the API's names. Opaque outside the
/// crate: callers only serialize it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectionData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_input_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_parameters: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_arguments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_items_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_item_selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_item_batcher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_result_selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_result_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) variables: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error_details: Option<ErrorDetails>,
}

/// Which retrier or catcher took the error.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) catch_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) retry_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) retry_backoff_interval_seconds: Option<f64>,
}

/// Why a state could not be tested.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TestStateError {
    /// The definition (or the machine made around a lone state) has errors.
    #[error("the definition is invalid")]
    Invalid {
        /// The errors and warnings found.
        diagnostics: Vec<Diagnostic>,
        /// The text the diagnostics' positions refer to (a lone state is wrapped in a machine).
        text: String,
    },
    /// `state_name` names no top-level state of the definition.
    #[error("no top-level state named '{name}' in the definition (it has: {known})")]
    UnknownState {
        /// The name asked for.
        name: String,
        /// The top-level states there are, comma-separated.
        known: String,
    },
    /// The text is neither a machine nor a state.
    #[error(
        "the definition is neither a state machine (with \"States\") nor a state (with \"Type\")"
    )]
    NotAState,
}

/// The name a lone state goes by when none is given.
pub(crate) const DEFAULT_STATE_NAME: &str = "TestState";

/// Runs the state once and reports as TestState does.
pub fn test_state(request: Request) -> Result<Response, TestStateError> {
    let (text, name) = machine_text(&request)?;
    let checked = crate::check(&text);
    let Some(mut machine) = checked.machine.clone().filter(|_| !checked.has_errors()) else {
        return Err(TestStateError::Invalid {
            diagnostics: checked.diagnostics,
            text,
        });
    };
    if !machine.states.contains_key(&name) {
        let known: Vec<&str> = machine.states.keys().map(String::as_str).collect();
        return Err(TestStateError::UnknownState {
            name,
            known: known.join(", "),
        });
    }
    machine.start_at = name.clone();
    let mut mocks = request.mocks;
    if let Some(outcome) = request.mock {
        mocks.set(&name, outcome);
    }
    let options = Options {
        trace: true,
        ..Options::default()
    };
    let input = request.input.clone();
    let mut execution = Execution::new(machine, input, mocks, options)
        .with_variables(request.variables.clone())
        .with_retries_made(request.retrier_retry_count)
        .with_map_failures_made(request.map_iteration_failure_count);
    if let Some(data) = request.map_item_reader_data {
        execution = execution.with_reader_data(data);
    }
    if let Some(context) = request.context {
        execution = execution.with_context(context);
    }
    let ended = run_state(&mut execution, &name);
    let mut response = Response {
        status: TestStatus::Succeeded,
        output: None,
        error: None,
        cause: None,
        next_state: None,
        inspection_data: None,
    };
    let mut data = InspectionData::default();
    let mut details = None;
    match ended {
        Ended::Exited { event, caught } => {
            data = inspection_of(execution.machine(), &event).unwrap_or_default();
            response.output = event
                .details
                .get("stateExitedEventDetails")
                .and_then(|d| d.get("output"))
                .and_then(Value::as_str)
                .map(str::to_string);
            response.next_state = match execution.outcome() {
                Some(_) => None,
                None => execution.current_states().first().map(|s| s.to_string()),
            };
            if let Some(caught) = caught {
                response.status = TestStatus::CaughtError;
                response.error = Some(caught.failure.error.clone());
                response.cause = Some(caught.failure.cause.clone());
                if let Handling::Caught { catcher } = caught.handling {
                    details = Some(ErrorDetails {
                        catch_index: Some(catcher),
                        ..ErrorDetails::default()
                    });
                }
            }
        }
        Ended::Failed(failure) => {
            data = inspection(&failure.flow, is_jsonata(execution.machine(), &name));
            response.status = TestStatus::Failed;
            response.error = Some(failure.failure.error.clone());
            response.cause = Some(failure.failure.cause.clone());
            if let Handling::Retried {
                retrier,
                delay_seconds,
            } = failure.handling
            {
                // The API gives no next state when the state failed, retriable or not.
                response.status = TestStatus::Retriable;
                details = Some(ErrorDetails {
                    retry_index: Some(retrier),
                    retry_backoff_interval_seconds: Some(delay_seconds),
                    ..ErrorDetails::default()
                });
            }
        }
        Ended::Stopped => {
            response.status = TestStatus::Failed;
            if let Some(outcome) = execution.outcome() {
                response.error = outcome.error.clone();
                response.cause = outcome.cause.clone();
            }
        }
    }
    for text in [&mut response.error, &mut response.cause] {
        if text.as_deref() == Some("") {
            *text = None;
        }
    }
    if request.inspection_level != InspectionLevel::Info {
        // A state that failed assigned nothing; one that never ran saw only the request.
        data.input.get_or_insert_with(|| request.input.to_string());
        data.variables
            .get_or_insert_with(|| Value::Object(request.variables).to_string());
        data.error_details = details;
        response.inspection_data = Some(data);
    }
    Ok(response)
}

/// The definition to run as a machine's text, and the tested state's name.
fn machine_text(request: &Request) -> Result<(String, String), TestStateError> {
    let format = crate::Format::detect(request.definition);
    let root = source::parse(request.definition, format)
        .map(|root| root.to_json())
        .unwrap_or(Value::Null);
    if root.get("States").is_some() {
        let name = match request.state_name {
            Some(name) => name.to_string(),
            None => root
                .get("StartAt")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        };
        return Ok((request.definition.to_string(), name));
    }
    if root.get("Type").is_none() {
        // Let the validator explain text that does not parse.
        if source::parse(request.definition, format).is_err() {
            return Ok((request.definition.to_string(), String::new()));
        }
        return Err(TestStateError::NotAState);
    }
    let name = request.state_name.unwrap_or(DEFAULT_STATE_NAME).to_string();
    let mut states = Map::new();
    states.insert(name.clone(), root.clone());
    // The targets a lone state names stand in as Succeed states.
    for target in targets(&root) {
        if target != name {
            states.insert(target, json!({"Type": "Succeed"}));
        }
    }
    let machine = json!({"StartAt": name, "States": states});
    let text = serde_json::to_string_pretty(&machine).unwrap_or_default();
    Ok((text, name))
}

/// The states a state may move to: `Next`, `Default`, each Choice rule's and catcher's `Next`.
fn targets(state: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |value: Option<&Value>| {
        if let Some(Value::String(name)) = value {
            found.push(name.clone());
        }
    };
    add(state.get("Next"));
    add(state.get("Default"));
    for list in ["Choices", "Catch"] {
        for rule in state
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(rule.get("Next"));
        }
    }
    found
}

/// How the tested state's run ended.
enum Ended {
    /// It exited (after a caught error, when `caught` says so).
    Exited {
        event: Box<Event>,
        caught: Option<TopFailure>,
    },
    /// It failed and nothing caught it, or a retrier would retry it.
    Failed(TopFailure),
    /// The execution stopped another way (the transition budget, a timeout).
    Stopped,
}

fn run_state(execution: &mut Execution, name: &str) -> Ended {
    let mut caught = None;
    loop {
        let events = execution.step().to_vec();
        if let Some(failure) = execution.take_top_failure() {
            match failure.handling {
                Handling::Caught { .. } => caught = Some(failure),
                _ => return Ended::Failed(failure),
            }
        }
        let exit = events
            .into_iter()
            .find(|event| event.kind.ends_with("StateExited") && event.state_name() == Some(name));
        if let Some(event) = exit {
            return Ended::Exited {
                event: Box::new(event),
                caught,
            };
        }
        if execution.outcome().is_some() {
            return Ended::Stopped;
        }
    }
}

/// What TestState reports in `inspectionData` for one visit of a state in a traced run
/// ([`Options::trace`]), from the visit's `…StateExited` event: the computation [`test_state`]
/// itself uses, so the browser's run panel shows every step with TestState's fields and values.
/// `None` for any other event. (`errorDetails` needs the failure, which the event lacks.)
pub fn inspection_of(machine: &StateMachine, event: &Event) -> Option<InspectionData> {
    let flow = event.data_flow.as_ref()?;
    let mut data = inspection(flow, is_jsonata(machine, event.state_name()?));
    data.variables = event
        .variables
        .as_ref()
        .map(|variables| Value::Object(variables.clone()).to_string());
    Some(data)
}

/// Whether the state named `name` (at any depth: state names are unique in a machine) uses
/// JSONata, itself or as the machine's query language.
fn is_jsonata(machine: &StateMachine, name: &str) -> bool {
    fn find<'a>(machine: &'a StateMachine, name: &str) -> Option<&'a State> {
        machine.states.get(name).or_else(|| {
            machine.states.values().find_map(|state| match &state.kind {
                StateKind::Parallel(parallel) => parallel
                    .branches
                    .iter()
                    .find_map(|branch| find(branch, name)),
                StateKind::Map(map) => find(&map.item_processor, name),
                _ => None,
            })
        })
    }
    let own = find(machine, name).and_then(|state| state.query_language);
    own.or(machine.query_language) == Some(QueryLanguage::JSONata)
}

/// The processing steps as TestState names them. JSONPath states carry a value forward through
/// the steps they do not have (`afterInputPath` is the input without `InputPath`, …).
fn inspection(flow: &[Stage], jsonata: bool) -> InspectionData {
    let step = |name: &str| {
        flow.iter()
            .rev()
            .find(|stage| stage.step == name)
            .map(|stage| stage.value.to_string())
    };
    let mut data = InspectionData {
        input: step("Input"),
        result: step("Result"),
        after_items_path: step("ItemsPath")
            .or_else(|| step("Items"))
            .or_else(|| step("ItemReader")),
        after_item_selector: step("ItemSelector"),
        after_item_batcher: step("ItemBatcher"),
        ..InspectionData::default()
    };
    if jsonata {
        data.after_arguments = step("Arguments");
        return data;
    }
    data.after_input_path = step("InputPath").or_else(|| data.input.clone());
    data.after_parameters = step("Parameters").or_else(|| data.after_input_path.clone());
    if data.result.is_some() {
        data.after_result_selector = step("ResultSelector").or_else(|| data.result.clone());
    }
    // After a caught error, `ResultPath` places the error output.
    data.after_result_path = step("ResultPath").or_else(|| data.after_result_selector.clone());
    data
}

#[cfg(test)]
mod tests {
    //! Cases follow the Step Functions guide's "Using TestState API to test a state" page and
    //! the TestState API reference.
    use super::*;

    fn request(definition: &str, input: Value) -> Request<'_> {
        Request {
            definition,
            state_name: None,
            input,
            inspection_level: InspectionLevel::Debug,
            variables: Map::new(),
            context: None,
            mocks: Mocks::none(),
            mock: None,
            retrier_retry_count: 0,
            map_item_reader_data: None,
            map_iteration_failure_count: 0,
        }
    }

    fn text(value: &str) -> Option<String> {
        Some(value.to_string())
    }

    #[test]
    fn a_lone_task_with_a_mocked_result_reports_each_processing_step() {
        let definition = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.order", "Parameters": {"id.$": "$.id"},
            "ResultSelector": {"charged.$": "$.Payload.amount"}, "ResultPath": "$.receipt",
            "Next": "Ship"}"#;
        let mut req = request(definition, json!({"order": {"id": 7}}));
        req.mock = Some(MockOutcome::Return(json!({"Payload": {"amount": 12}})));
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Succeeded);
        assert_eq!(response.next_state, text("Ship"));
        assert_eq!(
            response.output,
            text(r#"{"order":{"id":7},"receipt":{"charged":12}}"#)
        );
        let data = response.inspection_data.unwrap();
        assert_eq!(data.input, text(r#"{"order":{"id":7}}"#));
        assert_eq!(data.after_input_path, text(r#"{"id":7}"#));
        assert_eq!(data.after_parameters, text(r#"{"id":7}"#));
        assert_eq!(data.result, text(r#"{"Payload":{"amount":12}}"#));
        assert_eq!(data.after_result_selector, text(r#"{"charged":12}"#));
        assert_eq!(
            data.after_result_path,
            text(r#"{"order":{"id":7},"receipt":{"charged":12}}"#)
        );
        assert_eq!(data.variables, text("{}"));
    }

    #[test]
    fn a_retrier_with_attempts_left_makes_it_retriable_then_failed() {
        let definition = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Other"]},
                      {"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 2}],
            "End": true}"#;
        let busy = MockOutcome::Throw {
            error: "Busy".into(),
            cause: "try later".into(),
        };
        let mut req = request(definition, json!({}));
        req.mock = Some(busy.clone());
        req.retrier_retry_count = 1;
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Retriable);
        assert_eq!(response.next_state, None);
        assert_eq!(response.error, text("Busy"));
        assert_eq!(response.cause, text("try later"));
        let details = response.inspection_data.unwrap().error_details.unwrap();
        assert_eq!(details.retry_index, Some(1));
        // The second retry waits the interval times the default backoff rate of 2.
        assert_eq!(details.retry_backoff_interval_seconds, Some(4.0));
        let mut req = request(definition, json!({}));
        req.mock = Some(busy);
        req.retrier_retry_count = 2;
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Failed);
        assert_eq!(response.next_state, None);
    }

    #[test]
    fn a_caught_error_goes_to_the_catchers_next_state() {
        let definition = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["Nope"], "Next": "A"},
                      {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
            "Next": "Done"}"#;
        let mut req = request(definition, json!({"n": 1}));
        req.mock = Some(MockOutcome::Throw {
            error: "Card.Declined".into(),
            cause: "expired".into(),
        });
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::CaughtError);
        assert_eq!(response.next_state, text("Recover"));
        assert_eq!(
            response.output,
            text(r#"{"n":1,"error":{"Error":"Card.Declined","Cause":"expired"}}"#)
        );
        let data = response.inspection_data.unwrap();
        assert_eq!(data.error_details.unwrap().catch_index, Some(1));
        assert_eq!(data.after_result_path, response.output);
    }

    #[test]
    fn a_state_of_a_whole_definition_by_name_with_variables_and_context() {
        let definition = r#"{"QueryLanguage": "JSONata", "StartAt": "First", "States": {
            "First": {"Type": "Pass", "Next": "Greet"},
            "Greet": {"Type": "Pass",
                      "Output": {"text": "{% $greeting & ', ' & $states.input.who %}",
                                 "run": "{% $states.context.Execution.Name %}"},
                      "Assign": {"greeted": "{% $states.input.who %}"},
                      "End": true}}}"#;
        let mut req = request(definition, json!({"who": "Ada"}));
        req.state_name = Some("Greet");
        req.variables.insert("greeting".into(), json!("Hello"));
        req.context = Some(json!({"Execution": {"Name": "test-run"}}));
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Succeeded);
        assert_eq!(response.next_state, None);
        assert_eq!(
            response.output,
            text(r#"{"text":"Hello, Ada","run":"test-run"}"#)
        );
        let data = response.inspection_data.unwrap();
        assert_eq!(data.after_input_path, None);
        assert_eq!(
            data.variables,
            text(r#"{"greeting":"Hello","greeted":"Ada"}"#)
        );
    }

    #[test]
    fn choice_reports_the_next_state_and_info_has_no_inspection_data() {
        let definition = r#"{"Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
            "Default": "Small"}"#;
        let mut req = request(definition, json!({"n": 11}));
        req.inspection_level = InspectionLevel::Info;
        let response = test_state(req).unwrap();
        assert_eq!(response.next_state, text("Big"));
        assert_eq!(response.inspection_data, None);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(
            json,
            json!({"status": "SUCCEEDED", "output": "{\"n\":11}", "nextState": "Big"})
        );
    }

    #[test]
    fn a_distributed_map_reads_the_given_data_and_counts_earlier_failures() {
        let definition = r#"{"Type": "Map", "ToleratedFailureCount": 1,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSONL"},
                "Parameters": {"Bucket": "b", "Key": "rows.jsonl"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "C", "States": {
                    "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "P"}],
                          "Default": "F"},
                    "P": {"Type": "Pass", "End": true},
                    "F": {"Type": "Fail", "Error": "NotOk"}}},
            "End": true}"#;
        let data = "{\"ok\": true}\n{\"ok\": false}\n";
        let mut req = request(definition, json!({}));
        req.map_item_reader_data = Some(data.into());
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Succeeded);
        assert_eq!(response.output, text(r#"[{"ok":true},{"Error":"NotOk"}]"#));
        let mut req = request(definition, json!({}));
        req.map_item_reader_data = Some(data.into());
        req.map_iteration_failure_count = 1;
        let response = test_state(req).unwrap();
        assert_eq!(response.status, TestStatus::Failed);
        assert_eq!(
            response.error,
            text("States.ExceedToleratedFailureThreshold")
        );
    }

    #[test]
    fn an_unknown_state_or_an_invalid_definition_is_explained() {
        let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        let mut req = request(definition, json!({}));
        req.state_name = Some("B");
        assert_eq!(
            test_state(req).unwrap_err().to_string(),
            "no top-level state named 'B' in the definition (it has: A)"
        );
        let bad = request(r#"{"Type": "Pass", "Result": 1, "Nxt": "A"}"#, json!({}));
        assert!(matches!(
            test_state(bad).unwrap_err(),
            TestStateError::Invalid { .. }
        ));
        let neither = request(r#"{"Comment": "hi"}"#, json!({}));
        assert_eq!(test_state(neither).unwrap_err(), TestStateError::NotAState);
    }
}
