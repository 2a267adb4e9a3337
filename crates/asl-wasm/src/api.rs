//! The engine's operations, one JSON request in and one JSON response out.
//!
//! Every response is an object with `"ok"`: `true` with the operation's fields, or `false` with
//! an `"error"` message (and, for text the reader typed, `"field"`, `"line"` and `"column"`).
//! Executions live in this module between calls, named by the `"id"` that `start` returns.

use std::cell::RefCell;
use std::collections::HashMap;

use asl::simulate::test_state::inspection_of;
use asl::simulate::{Event, Execution, Mocks, Options};
use asl::{LineIndex, StateMachine};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Executions kept between calls. A page holds a handful; `drop` forgets one.
#[derive(Default)]
struct Sessions {
    next: u64,
    running: HashMap<u64, Execution>,
}

thread_local! {
    static SESSIONS: RefCell<Sessions> = RefCell::default();
}

/// A request the page sent that is not what the operation expects.
fn bad_request(error: impl std::fmt::Display) -> Value {
    json!({"ok": false, "error": format!("bad request: {error}")})
}

fn parse<'a, T: Deserialize<'a>>(request: &'a str) -> Result<T, Value> {
    serde_json::from_str(request).map_err(bad_request)
}

/// `{"definition": "…"}` → `{"ok": true, "valid": bool, "diagnostics": [...]}`: every problem
/// with its code, severity, message, help, JSON pointer, and start and end positions.
pub fn validate(request: &str) -> Value {
    #[derive(Deserialize)]
    struct Request {
        definition: String,
    }
    let request: Request = match parse(request) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let checked = asl::check(&request.definition);
    json!({
        "ok": true,
        "valid": !checked.has_errors(),
        "diagnostics": diagnostics(&request.definition, &checked.diagnostics),
    })
}

/// Each diagnostic with its place as the page needs it: a line and a column (in characters)
/// for people, and a UTF-16 offset for selecting the text in a `<textarea>`.
fn diagnostics(text: &str, found: &[asl::Diagnostic]) -> Vec<Value> {
    let index = LineIndex::new(text);
    let at = |offset: usize| {
        let (line, column) = index.line_col(offset);
        json!({"line": line, "column": column, "offset": index.utf16_offset(offset)})
    };
    found
        .iter()
        .map(|d| {
            json!({
                "severity": match d.severity {
                    asl::Severity::Error => "error",
                    asl::Severity::Warning => "warning",
                },
                "code": d.code.as_str(),
                "message": d.message,
                "help": d.help,
                "pointer": d.pointer,
                "start": at(d.span.start),
                "end": at(d.span.end),
            })
        })
        .collect()
}

/// `{}` → `{"ok": true, "types": {"Task": [{"name": "Resource", "languages": "both"}, …], …}}`:
/// the fields each state type accepts and in which query languages (`both`, `JSONPath`,
/// `JSONata`), from the validator's own table, for completion in the playground's editor.
pub fn fields(_request: &str) -> Value {
    let types: Map<String, Value> = asl::STATE_TYPES
        .iter()
        .map(|type_name| {
            let fields = asl::state_fields(type_name).unwrap_or_default();
            let list = fields
                .into_iter()
                .map(|(name, only)| {
                    json!({"name": name, "languages": only.map_or("both", |lang| lang.name())})
                })
                .collect();
            (type_name.to_string(), Value::Array(list))
        })
        .collect();
    json!({"ok": true, "types": types})
}

/// `{"definition": "…", "title"?: "…", "id"?: "…"}` → the diagnostics, and when the definition
/// is valid, `"svg"`, `"width"`, `"height"` and `"states"` (every state's name, nested ones
/// included, as the diagram's `data-state` attributes name them).
pub fn render(request: &str) -> Value {
    #[derive(Deserialize)]
    struct Request {
        definition: String,
        title: Option<String>,
        id: Option<String>,
    }
    let request: Request = match parse(request) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let checked = asl::check(&request.definition);
    let mut response = json!({
        "ok": true,
        "valid": !checked.has_errors(),
        "diagnostics": diagnostics(&request.definition, &checked.diagnostics),
    });
    if let Some(machine) = &checked.machine {
        let id = request.id.as_deref().unwrap_or("asl");
        let drawing = asl::diagram::render(
            machine,
            &asl::diagram::Options {
                title: request.title.as_deref().or(machine.comment()),
                id,
                standalone: false,
            },
        );
        response["svg"] = drawing.svg.into();
        response["width"] = drawing.width.into();
        response["height"] = drawing.height.into();
    }
    response
}

/// `{"definition": "…", "input"?: "JSON text", "mocks"?: "JSON text", "seed"?: n,
/// "maxTransitions"?: n}` → `{"ok": true, "id": n}`. Nothing runs yet. An invalid definition
/// gives its diagnostics; input or mocks that are not JSON give the field, line and column.
pub fn start(request: &str) -> Value {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Request {
        definition: String,
        #[serde(default)]
        input: Option<String>,
        #[serde(default)]
        mocks: Option<String>,
        seed: Option<u64>,
        max_transitions: Option<u64>,
    }
    let request: Request = match parse(request) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let checked = asl::check(&request.definition);
    let Some(machine) = checked.machine else {
        return json!({
            "ok": false,
            "field": "definition",
            "error": "the definition has errors; fix them to run it",
            "diagnostics": diagnostics(&request.definition, &checked.diagnostics),
        });
    };
    let input = match json_field("input", request.input.as_deref(), json!({})) {
        Ok(input) => input,
        Err(response) => return response,
    };
    let mocks = match json_field("mocks", request.mocks.as_deref(), json!({})) {
        Ok(mocks) => mocks,
        Err(response) => return response,
    };
    let mocks = match Mocks::from_json(&mocks) {
        Ok(mocks) => mocks,
        Err(error) => return json!({"ok": false, "field": "mocks", "error": error.to_string()}),
    };
    let defaults = Options::default();
    let options = Options {
        seed: request.seed.unwrap_or(defaults.seed),
        max_transitions: request.max_transitions.unwrap_or(defaults.max_transitions),
        trace: true,
        ..defaults
    };
    let execution = Execution::new(machine, input, mocks, options);
    let id = SESSIONS.with_borrow_mut(|sessions| {
        sessions.next += 1;
        sessions.running.insert(sessions.next, execution);
        sessions.next
    });
    json!({"ok": true, "id": id})
}

/// JSON text the reader typed (blank means `empty`), or the error naming the field, line and
/// column.
fn json_field(field: &str, text: Option<&str>, empty: Value) -> Result<Value, Value> {
    let text = text.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(empty);
    }
    serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        // serde_json appends " at line L column C"; the page shows those separately.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(text, _)| text);
        json!({
            "ok": false,
            "field": field,
            "error": format!("{field} is not valid JSON: {message}"),
            "line": error.line(),
            "column": error.column(),
        })
    })
}

#[derive(Deserialize)]
struct Handle {
    id: u64,
}

/// `{"id": n}` → one move: `{"ok": true, "events": [...], "position": [...], "now": "…",
/// "outcome"?: {...}}`. The events are the history events the move wrote; each exited state's
/// also has its data flow (`dataFlow`, `variables`) and `inspectionData`, what `awskb asl
/// test-state` reports for that step. `position` is where the execution is now; `outcome` comes
/// once it ended.
pub fn step(request: &str) -> Value {
    advance(request, |execution| {
        execution.step();
    })
}

/// `{"id": n}` → the rest of the execution, answered like [`step`].
pub fn run(request: &str) -> Value {
    advance(request, |execution| {
        execution.run();
    })
}

fn advance(request: &str, go: impl FnOnce(&mut Execution)) -> Value {
    let handle: Handle = match parse(request) {
        Ok(handle) => handle,
        Err(response) => return response,
    };
    SESSIONS.with_borrow_mut(|sessions| {
        let Some(execution) = sessions.running.get_mut(&handle.id) else {
            return json!({"ok": false, "error": format!("no execution {}", handle.id)});
        };
        let before = execution.history().len();
        go(execution);
        let mut response = Map::new();
        response.insert("ok".into(), true.into());
        let events = execution.history()[before..]
            .iter()
            .map(|event| event_json(execution.machine(), event))
            .collect();
        response.insert("events".into(), Value::Array(events));
        response.insert(
            "position".into(),
            serde_json::to_value(execution.position()).unwrap_or_default(),
        );
        response.insert(
            "now".into(),
            asl::simulate::timestamp(execution.now()).into(),
        );
        if let Some(outcome) = execution.outcome() {
            response.insert(
                "outcome".into(),
                serde_json::to_value(outcome).unwrap_or_default(),
            );
        }
        Value::Object(response)
    })
}

/// A history event as JSON, with TestState's `inspectionData` on an exited state's.
fn event_json(machine: &StateMachine, event: &Event) -> Value {
    let mut json = serde_json::to_value(event).unwrap_or_default();
    if let (Some(data), Value::Object(members)) = (inspection_of(machine, event), &mut json) {
        members.insert(
            "inspectionData".into(),
            serde_json::to_value(data).unwrap_or_default(),
        );
    }
    json
}

/// `{"id": n}` → `{"ok": true}`: forgets an execution.
pub fn drop(request: &str) -> Value {
    let handle: Handle = match parse(request) {
        Ok(handle) => handle,
        Err(response) => return response,
    };
    SESSIONS.with_borrow_mut(|sessions| sessions.running.remove(&handle.id));
    json!({"ok": true})
}
