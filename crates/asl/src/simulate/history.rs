//! Execution history events, in the shape `GetExecutionHistory` returns them, so a reader who knows
//! the AWS console recognises every line.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The AWS Region the simulated ARNs and events name.
pub(super) const REGION: &str = "us-east-1";

/// One history event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Its place in the history, from 1, as AWS numbers events.
    pub id: u64,
    pub(crate) previous_event_id: u64,
    /// Virtual time, RFC 3339 with milliseconds.
    pub timestamp: String,
    /// AWS's event type name, e.g. `PassStateEntered`, `TaskSucceeded`, `ExecutionFailed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The details object under AWS's key for this type (`stateEnteredEventDetails`, …).
    #[serde(flatten)]
    pub details: Map<String, Value>,
    /// What the simulator did that AWS would not, e.g. a Task answered without a mock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The state running when the event was written (the Map state for its iteration events),
    /// when [`Options::trace`](super::Options) asks for it: an awskb addition, as AWS names the
    /// state only on some events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) state: Option<String>,
    /// On a `…StateExited` event, when [`Options::trace`](super::Options) asks for it: the
    /// value after each processing step of the state (an awskb addition; AWS records only the
    /// input and the output).
    #[serde(rename = "dataFlow", skip_serializing_if = "Option::is_none")]
    pub(crate) data_flow: Option<Vec<Stage>>,
    /// On a `…StateExited` event, when [`Options::trace`](super::Options) asks for it: every
    /// variable the state's scope sees after its `Assign` (what TestState reports as
    /// `variables`; an awskb addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) variables: Option<Map<String, Value>>,
}

/// One step of a state's input and output processing and the value it gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Stage {
    /// The field that made the value (`InputPath`, `Parameters`, `ResultSelector`, …), or
    /// `Input`, `Result` and `Error` for what comes into the state, out of the Task and out of a
    /// caught failure.
    pub step: &'static str,
    pub value: Value,
}

impl Event {
    /// The state this event belongs to, for events that name one.
    pub fn state_name(&self) -> Option<&str> {
        self.details.values().find_map(|d| d.get("name")?.as_str())
    }
}

/// Formats a virtual instant the way AWS prints times in the context object and history.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Details of the event kinds the simulator writes. AWS carries payloads as JSON text.
pub(super) enum Details<'a> {
    None,
    ExecutionStarted {
        input: &'a Value,
    },
    ExecutionSucceeded {
        output: &'a Value,
    },
    /// `ExecutionFailed`, `ExecutionTimedOut`, `TaskFailed`, … : an error and a cause.
    Failure {
        key: &'static str,
        error: &'a str,
        cause: &'a str,
    },
    StateEntered {
        name: &'a str,
        input: &'a Value,
    },
    /// `assigned`: the variables the state set (values as JSON text, as AWS shows them).
    StateExited {
        name: &'a str,
        output: &'a Value,
        assigned: &'a Map<String, Value>,
    },
    TaskScheduled {
        resource_type: &'a str,
        resource: &'a str,
        parameters: &'a Value,
    },
    TaskStarted {
        resource_type: &'a str,
        resource: &'a str,
    },
    TaskSucceeded {
        resource_type: &'a str,
        resource: &'a str,
        output: &'a Value,
    },
    MapStarted {
        length: usize,
    },
    MapIteration {
        key: &'static str,
        name: &'a str,
        index: usize,
    },
}

fn text(value: &Value) -> String {
    value.to_string()
}

impl Details<'_> {
    /// The details as AWS's `…EventDetails` member, if the event has one.
    pub(super) fn into_member(self) -> Option<(&'static str, Value)> {
        let member = match self {
            Details::None => return None,
            Details::ExecutionStarted { input } => (
                "executionStartedEventDetails",
                json!({"input": text(input), "inputDetails": {"truncated": false}}),
            ),
            Details::ExecutionSucceeded { output } => (
                "executionSucceededEventDetails",
                json!({"output": text(output), "outputDetails": {"truncated": false}}),
            ),
            Details::Failure { key, error, cause } => {
                let mut details = Map::new();
                if !error.is_empty() {
                    details.insert("error".into(), error.into());
                }
                if !cause.is_empty() {
                    details.insert("cause".into(), cause.into());
                }
                (key, Value::Object(details))
            }
            Details::StateEntered { name, input } => (
                "stateEnteredEventDetails",
                json!({"name": name, "input": text(input), "inputDetails": {"truncated": false}}),
            ),
            Details::StateExited {
                name,
                output,
                assigned,
            } => {
                let mut details = json!({"name": name, "output": text(output),
                                         "outputDetails": {"truncated": false}});
                if !assigned.is_empty() {
                    let values: Map<String, Value> = assigned
                        .iter()
                        .map(|(name, value)| (name.clone(), Value::String(text(value))))
                        .collect();
                    details["assignedVariables"] = Value::Object(values);
                    details["assignedVariablesDetails"] = json!({"truncated": false});
                }
                ("stateExitedEventDetails", details)
            }
            Details::TaskScheduled {
                resource_type,
                resource,
                parameters,
            } => (
                "taskScheduledEventDetails",
                json!({"resourceType": resource_type, "resource": resource,
                       "region": REGION, "parameters": text(parameters)}),
            ),
            Details::TaskStarted {
                resource_type,
                resource,
            } => (
                "taskStartedEventDetails",
                json!({"resourceType": resource_type, "resource": resource}),
            ),
            Details::TaskSucceeded {
                resource_type,
                resource,
                output,
            } => (
                "taskSucceededEventDetails",
                json!({"resourceType": resource_type, "resource": resource,
                       "output": text(output), "outputDetails": {"truncated": false}}),
            ),
            Details::MapStarted { length } => {
                ("mapStateStartedEventDetails", json!({"length": length}))
            }
            Details::MapIteration { key, name, index } => {
                (key, json!({"name": name, "index": index}))
            }
        };
        Some(member)
    }
}
