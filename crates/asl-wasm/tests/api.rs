//! The JSON operations the browser calls, on real definitions.

use asl_wasm::api;
use serde_json::{Value, json};

const CHECKOUT: &str = r#"{
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Choice",
              "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Charge"}],
              "Default": "Free"},
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "ResultSelector": {"id.$": "$.Payload"}, "ResultPath": "$.receipt",
               "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}], "End": true},
    "Free": {"Type": "Succeed"}
  }
}"#;

fn request(value: Value) -> String {
    value.to_string()
}

fn start(input: &str, mocks: &str) -> u64 {
    let started = api::start(&request(
        json!({"definition": CHECKOUT, "input": input, "mocks": mocks}),
    ));
    assert_eq!(started["ok"], true, "{started}");
    started["id"].as_u64().unwrap()
}

#[test]
fn validate_locates_each_problem() {
    let definition = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}\n  }\n}";
    let response = api::validate(&request(json!({ "definition": definition })));
    assert_eq!(response["ok"], true);
    assert_eq!(response["valid"], false);
    let problem = response["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "MISSING_TRANSITION_TARGET")
        .expect("the missing target is reported");
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["start"]["line"], 4);
    assert_eq!(problem["pointer"], "/States/A/Next");
    let offset = problem["start"]["offset"].as_u64().unwrap() as usize;
    assert!(definition[offset..].starts_with("\"Nowhere\""));

    let response = api::validate(&request(
        json!({"definition": "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n"}),
    ));
    assert_eq!(response["valid"], true, "YAML is read too: {response}");
}

#[test]
fn fields_lists_what_each_state_type_accepts() {
    let response = api::fields("{}");
    assert_eq!(response["ok"], true);
    let names = |type_name: &str| -> Vec<String> {
        response["types"][type_name]
            .as_array()
            .unwrap_or_else(|| panic!("{type_name} listed: {response}"))
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    let task = names("Task");
    for field in [
        "Resource",
        "Retry",
        "Catch",
        "Next",
        "End",
        "Arguments",
        "Parameters",
    ] {
        assert!(
            task.contains(&field.to_string()),
            "Task accepts {field}: {task:?}"
        );
    }
    assert!(
        !names("Choice").contains(&"Next".to_string()),
        "a Choice has no Next"
    );
    assert!(!names("Succeed").contains(&"Resource".to_string()));
    let language = |type_name: &str, field: &str| {
        response["types"][type_name]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == field)
            .map(|f| f["languages"].clone())
    };
    assert_eq!(language("Task", "Parameters"), Some(json!("JSONPath")));
    assert_eq!(language("Task", "Arguments"), Some(json!("JSONata")));
    assert_eq!(language("Task", "Resource"), Some(json!("both")));
    // The same table the validator uses: a field it lists is accepted on a real state.
    let definition =
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}"#;
    assert!(names("Wait").contains(&"Seconds".to_string()));
    assert_eq!(
        api::validate(&request(json!({ "definition": definition })))["valid"],
        true
    );
}

#[test]
fn render_draws_the_states() {
    let response = api::render(&request(json!({"definition": CHECKOUT, "id": "d1"})));
    assert_eq!(response["valid"], true);
    let svg = response["svg"].as_str().unwrap();
    for state in ["Check", "Charge", "Free"] {
        assert!(svg.contains(&format!("data-state=\"{state}\"")), "{state}");
    }
    assert!(response["width"].as_f64().unwrap() > 0.0);

    let response = api::render(&request(json!({"definition": "{\"StartAt\": 1}"})));
    assert_eq!(response["valid"], false);
    assert!(response.get("svg").is_none());
}

#[test]
fn step_moves_one_state_at_a_time_and_reports_the_position() {
    let id = start(
        r#"{"total": 150}"#,
        r#"{"Charge": {"Return": {"Payload": "r-1"}}}"#,
    );
    let first = api::step(&request(json!({ "id": id })));
    assert_eq!(first["events"][0]["type"], "ExecutionStarted");
    assert_eq!(first["position"][0]["state"], "Check");
    assert!(first.get("outcome").is_none());

    let mut entered = Vec::new();
    let mut last = first;
    while last.get("outcome").is_none() {
        last = api::step(&request(json!({ "id": id })));
        for event in last["events"].as_array().unwrap() {
            if let Some(name) = event["stateEnteredEventDetails"]["name"].as_str() {
                entered.push(name.to_string());
            }
        }
    }
    assert_eq!(entered, ["Check", "Charge"]);
    assert_eq!(last["outcome"]["status"], "SUCCEEDED");
    assert_eq!(
        last["outcome"]["output"],
        json!({"total": 150, "receipt": {"id": "r-1"}})
    );
}

#[test]
fn run_reports_every_event_with_the_data_flow() {
    let id = start(
        r#"{"total": 150}"#,
        r#"{"Charge": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {"Payload": "r-2"}}}}"#,
    );
    let response = api::run(&request(json!({ "id": id })));
    let events = response["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"TaskFailed"),
        "the first attempt fails: {kinds:?}"
    );
    let exited = events
        .iter()
        .find(|e| e["type"] == "TaskStateExited")
        .unwrap();
    let steps: Vec<&str> = exited["dataFlow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["Input", "Result", "ResultSelector", "ResultPath"]);
    assert_eq!(response["outcome"]["status"], "SUCCEEDED");
    assert_eq!(response["position"], json!([]));

    let again = api::run(&request(json!({ "id": id })));
    assert_eq!(
        again["events"],
        json!([]),
        "an ended execution writes nothing more"
    );
}

#[test]
fn a_runaway_loop_stops_at_the_budget() {
    let definition = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "C"}],
              "Default": "A"},
        "C": {"Type": "Succeed"}}}"#;
    let started = api::start(&request(
        json!({"definition": definition, "maxTransitions": 50}),
    ));
    assert_eq!(started["ok"], true, "{started}");
    let response = api::run(&request(json!({"id": started["id"]})));
    assert_eq!(response["outcome"]["status"], "FAILED");
    assert_eq!(
        response["outcome"]["error"],
        "Simulator.TransitionLimitExceeded"
    );
}

#[test]
fn bad_input_names_the_field_line_and_column() {
    let response = api::start(&request(
        json!({"definition": CHECKOUT, "input": "{\n  \"total\": 150,\n}"}),
    ));
    assert_eq!(response["ok"], false);
    assert_eq!(response["field"], "input");
    assert_eq!(response["line"], 3);
    assert!(
        response["error"]
            .as_str()
            .unwrap()
            .starts_with("input is not valid JSON: trailing comma"),
        "{response}"
    );

    let response = api::start(&request(
        json!({"definition": CHECKOUT, "mocks": r#"{"Charge": {"0": {}}}"#}),
    ));
    assert_eq!(response["field"], "mocks");
    assert!(response["error"].as_str().unwrap().contains("Return"));

    let response = api::start(&request(json!({"definition": "{}"})));
    assert_eq!(response["field"], "definition");
    assert!(!response["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn forgotten_and_malformed_requests_are_errors_not_panics() {
    let id = start("{}", "");
    assert_eq!(api::drop(&request(json!({ "id": id })))["ok"], true);
    let response = api::step(&request(json!({ "id": id })));
    assert_eq!(response["ok"], false);
    assert!(response["error"].as_str().unwrap().contains("no execution"));
    for operation in [
        api::validate,
        api::render,
        api::start,
        api::step,
        api::run,
        api::drop,
    ] {
        let response = operation("not json");
        assert_eq!(response["ok"], false);
        assert!(
            response["error"]
                .as_str()
                .unwrap()
                .starts_with("bad request")
        );
    }
}

/// The steps a state's data flow lists, from a run of `definition`.
fn steps_of(definition: Value, input: &str, state: &str) -> Vec<String> {
    let started = api::start(&request(
        json!({"definition": definition.to_string(), "input": input}),
    ));
    let ran = api::run(&request(json!({"id": started["id"]})));
    let exited = ran["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["state"] == state && e["type"].as_str().unwrap().ends_with("StateExited"))
        .expect("the state exited");
    exited["dataFlow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn map_and_parallel_states_show_their_items_and_result() {
    let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemSelector": {"v.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultSelector": {"all.$": "$"}, "ResultPath": "$.r", "End": true}}});
    assert_eq!(
        steps_of(map, r#"{"items": [1, 2]}"#, "M"),
        [
            "Input",
            "ItemsPath",
            "ItemSelector",
            "Result",
            "ResultSelector",
            "ResultPath"
        ]
    );
    let parallel = json!({"StartAt": "Par", "States": {"Par": {"Type": "Parallel",
        "ResultSelector": {"x.$": "$[0]"},
        "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true}}});
    assert_eq!(
        steps_of(parallel, r#"{"a": 5}"#, "Par"),
        ["Input", "Result", "ResultSelector"]
    );
}

/// The exited events of a run of `definition` with `input` and `mocks`.
fn exits(definition: &str, input: Value, mocks: Value) -> Vec<Value> {
    let started = api::start(&request(json!({"definition": definition,
        "input": input.to_string(), "mocks": mocks.to_string()})));
    assert_eq!(started["ok"], true, "{started}");
    let ran = api::run(&request(json!({"id": started["id"]})));
    assert_eq!(ran["outcome"]["status"], "SUCCEEDED", "{ran}");
    ran["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().unwrap().ends_with("StateExited"))
        .cloned()
        .collect()
}

/// What `awskb asl test-state --inspection-level DEBUG` answers for `state` with this input,
/// these variables and this mocked result, as JSON.
fn test_state(
    definition: &str,
    state: &str,
    input: &str,
    variables: &str,
    mock: Option<Value>,
) -> Value {
    use asl::simulate::MockOutcome;
    use asl::simulate::test_state::{InspectionLevel, Request, test_state};
    let variables = match serde_json::from_str(variables).unwrap() {
        Value::Object(members) => members,
        other => panic!("variables {other}"),
    };
    let response = test_state(Request {
        definition,
        state_name: Some(state),
        input: serde_json::from_str(input).unwrap(),
        inspection_level: InspectionLevel::Debug,
        variables,
        context: None,
        mocks: asl::simulate::Mocks::none(),
        mock: mock.map(MockOutcome::Return),
        retrier_retry_count: 0,
        map_item_reader_data: None,
        map_iteration_failure_count: 0,
    })
    .unwrap();
    serde_json::to_value(response).unwrap()
}

#[test]
fn each_exited_state_carries_what_test_state_reports_for_it() {
    let exited = exits(
        CHECKOUT,
        json!({"total": 150}),
        json!({"Charge": {"Return": {"Payload": "r-1"}}}),
    );
    let charge = exited.iter().find(|e| e["state"] == "Charge").unwrap();
    let data = &charge["inspectionData"];
    assert_eq!(data["input"], r#"{"total":150}"#);
    assert_eq!(data["afterInputPath"], r#"{"total":150}"#);
    assert_eq!(data["afterParameters"], r#"{"total":150}"#);
    assert_eq!(data["result"], r#"{"Payload":"r-1"}"#);
    assert_eq!(data["afterResultSelector"], r#"{"id":"r-1"}"#);
    assert_eq!(
        data["afterResultPath"],
        r#"{"total":150,"receipt":{"id":"r-1"}}"#
    );
    assert_eq!(data["variables"], "{}");
    // The same state tested on its own with the input it had and the same mock.
    let alone = test_state(
        CHECKOUT,
        "Charge",
        data["input"].as_str().unwrap(),
        "{}",
        Some(json!({"Payload": "r-1"})),
    );
    assert_eq!(&alone["inspectionData"], data);
    assert_eq!(alone["output"], charge["stateExitedEventDetails"]["output"]);
}

#[test]
fn a_jsonata_step_reports_its_arguments_and_the_variables_it_sees() {
    let definition = r#"{"QueryLanguage": "JSONata", "StartAt": "Price", "States": {
        "Price": {"Type": "Pass", "Assign": {"rate": 0.9}, "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Arguments": {"amount": "{% $states.input.total * $rate %}"},
                   "Assign": {"charged": "{% $states.result.Payload %}"},
                   "Output": {"paid": "{% $states.result.Payload %}"}, "End": true}}}"#;
    let exited = exits(
        definition,
        json!({"total": 100}),
        json!({"Charge": {"Return": {"Payload": 90}}}),
    );
    let price = &exited[0]["inspectionData"];
    assert_eq!(price["variables"], r#"{"rate":0.9}"#);
    assert_eq!(price.get("afterInputPath"), None, "not a JSONPath step");
    let charge = &exited[1]["inspectionData"];
    assert_eq!(charge["afterArguments"], r#"{"amount":90}"#);
    assert_eq!(charge["result"], r#"{"Payload":90}"#);
    assert_eq!(charge["variables"], r#"{"rate":0.9,"charged":90}"#);
    let alone = test_state(
        definition,
        "Charge",
        charge["input"].as_str().unwrap(),
        r#"{"rate":0.9}"#,
        Some(json!({"Payload": 90})),
    );
    assert_eq!(&alone["inspectionData"], charge);
}

#[test]
fn a_state_inside_a_map_sees_the_variables_outside_it() {
    let definition = r#"{"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"unit": "kg"}, "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                 "ItemProcessor": {"StartAt": "Label", "States": {
                     "Label": {"Type": "Pass", "Parameters": {"text.$": "States.Format('{} {}', $.w, $unit)"},
                               "Assign": {"last.$": "$.text"}, "End": true}}}}}}"#;
    let exited = exits(definition, json!({"items": [{"w": 2}]}), json!({}));
    let label = exited.iter().find(|e| e["state"] == "Label").unwrap();
    let data = &label["inspectionData"];
    assert_eq!(data["afterParameters"], r#"{"text":"2 kg"}"#);
    assert_eq!(data["variables"], r#"{"unit":"kg","last":"2 kg"}"#);
}
