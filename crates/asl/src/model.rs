//! The typed state machine: every state type and field of the current Amazon States Language, in
//! both query languages. Built from a definition the validator has accepted, so the simulator and
//! the diagram code can rely on its shape instead of re-checking JSON.
//!
//! Fields whose value may be an expression (a JSONata `{% … %}` string, or a payload template
//! with `.$` keys) are kept as JSON values; the engine that evaluates them decides what they mean.

use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

/// A whole definition, or the body of a Parallel branch or Map item processor.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateMachine {
    pub(crate) comment: Option<String>,
    pub(crate) start_at: String,
    /// States in the order they were written.
    pub(crate) states: IndexMap<String, State>,
    pub(crate) version: Option<String>,
    #[serde(default, deserialize_with = "whole")]
    pub(crate) timeout_seconds: Option<u64>,
    pub(crate) query_language: Option<QueryLanguage>,
    /// Only on a Map's `ItemProcessor`.
    pub(crate) processor_config: Option<ProcessorConfig>,
}

impl StateMachine {
    /// The definition's `Comment`: what diagrams and pages title it with when nothing else does.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub(crate) enum QueryLanguage {
    #[default]
    JSONPath,
    JSONata,
}

/// A value that may be absent, explicitly `null`, or present: `"InputPath": null` discards the
/// input, which is not the same as leaving `InputPath` out.
pub(crate) type Nullable<T> = Option<Option<T>>;

fn nullable<'de, D, T>(deserializer: D) -> Result<Nullable<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A whole number, also when written with a zero fraction (`2.0`), as AWS reads it.
fn whole<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    number
        .as_u64()
        .or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        })
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("{number} is not a whole number")))
}

/// One state: the fields every type may have, and its type with the type's own fields.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct State {
    pub comment: Option<String>,
    pub query_language: Option<QueryLanguage>,
    #[serde(default, deserialize_with = "nullable")]
    pub input_path: Nullable<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub output_path: Nullable<String>,
    /// JSONata `Output`: any JSON, possibly with `{% … %}` expressions.
    pub output: Option<Json>,
    /// Variables to set: JSONPath payload template or JSONata values.
    pub assign: Option<Json>,
    pub next: Option<String>,
    #[serde(default)]
    pub end: bool,
    #[serde(flatten)]
    pub kind: StateKind,
}

/// The type-specific part of a state, chosen by its `Type` field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "Type")]
pub(crate) enum StateKind {
    Task(Box<Task>),
    Pass(Pass),
    Choice(Choice),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Box<Parallel>),
    Map(Box<Map>),
}

impl StateKind {
    /// The `Type` name as written in definitions.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            StateKind::Task(_) => "Task",
            StateKind::Pass(_) => "Pass",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// What Task, Parallel and Map share: how their result is built and placed, and their error
/// handling.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ResultFields {
    pub parameters: Option<Json>,
    pub arguments: Option<Json>,
    pub result_selector: Option<Json>,
    #[serde(default, deserialize_with = "nullable")]
    pub result_path: Nullable<String>,
    #[serde(default)]
    pub retry: Vec<Retrier>,
    #[serde(default)]
    pub catch: Vec<Catcher>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Task {
    /// An ARN string, or (with a warning from the validator) a placeholder object that only a
    /// deployment tool resolves.
    pub resource: Json,
    #[serde(flatten)]
    pub result: ResultFields,
    /// A number, or a JSONata expression.
    pub timeout_seconds: Option<Json>,
    pub timeout_seconds_path: Option<String>,
    pub heartbeat_seconds: Option<Json>,
    pub heartbeat_seconds_path: Option<String>,
    pub credentials: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Pass {
    pub result: Option<Json>,
    pub parameters: Option<Json>,
    #[serde(default, deserialize_with = "nullable")]
    pub result_path: Nullable<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
}

/// A Choice rule: a JSONPath comparison (or `And`/`Or`/`Not` of them), or a JSONata `Condition`.
/// Only top-level rules have `Next`, `Assign` and `Output`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ChoiceRule {
    pub variable: Option<String>,
    /// The comparison operator (`NumericGreaterThan`, `StringMatches`, `IsPresent`, …) and its
    /// operand, when this rule is a comparison.
    #[serde(flatten)]
    pub comparison: IndexMap<String, Json>,
    pub and: Option<Vec<ChoiceRule>>,
    pub or: Option<Vec<ChoiceRule>>,
    pub not: Option<Box<ChoiceRule>>,
    /// JSONata: a boolean or a `{% … %}` expression.
    pub condition: Option<Json>,
    pub next: Option<String>,
    pub assign: Option<Json>,
    pub output: Option<Json>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Wait {
    /// A number, or a JSONata expression.
    pub seconds: Option<Json>,
    pub seconds_path: Option<String>,
    /// An RFC 3339 timestamp, or a JSONata expression.
    pub timestamp: Option<String>,
    pub timestamp_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Fail {
    pub error: Option<String>,
    pub error_path: Option<String>,
    pub cause: Option<String>,
    pub cause_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Parallel {
    /// Shared, so an execution can hold a branch while it runs without copying it.
    pub branches: Vec<Arc<StateMachine>>,
    #[serde(flatten)]
    pub result: ResultFields,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Map {
    /// `ItemProcessor`, or the older `Iterator` it replaced.
    #[serde(alias = "Iterator")]
    pub item_processor: Arc<StateMachine>,
    pub items_path: Option<String>,
    /// JSONata: an array or an expression giving one.
    pub items: Option<Json>,
    /// `ItemSelector`; the older `Parameters` lands in `result.parameters`.
    pub item_selector: Option<Json>,
    pub item_reader: Option<Json>,
    pub item_batcher: Option<Json>,
    pub result_writer: Option<Json>,
    pub max_concurrency: Option<Json>,
    pub max_concurrency_path: Option<String>,
    pub tolerated_failure_percentage: Option<Json>,
    pub tolerated_failure_percentage_path: Option<String>,
    pub tolerated_failure_count: Option<Json>,
    pub tolerated_failure_count_path: Option<String>,
    pub label: Option<String>,
    #[serde(flatten)]
    pub result: ResultFields,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ProcessorConfig {
    pub mode: Option<ProcessorMode>,
    pub execution_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum ProcessorMode {
    Inline,
    Distributed,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Retrier {
    pub error_equals: Vec<String>,
    #[serde(default, deserialize_with = "whole")]
    pub interval_seconds: Option<u64>,
    #[serde(default, deserialize_with = "whole")]
    pub max_attempts: Option<u64>,
    pub backoff_rate: Option<f64>,
    #[serde(default, deserialize_with = "whole")]
    pub max_delay_seconds: Option<u64>,
    pub jitter_strategy: Option<JitterStrategy>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum JitterStrategy {
    Full,
    None,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    #[serde(default, deserialize_with = "nullable")]
    pub result_path: Nullable<String>,
    pub assign: Option<Json>,
    pub output: Option<Json>,
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_every_state_type_in_order() {
        let machine: StateMachine = serde_json::from_value(json!({
            "StartAt": "T",
            "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": null,
                      "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL"}], "Next": "C"},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "W"}],
                      "Default": "P"},
                "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}],
                      "Next": "M"},
                "M": {"Type": "Map", "Iterator": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}},
                      "Next": "F"},
                "F": {"Type": "Fail", "Error": "E"}
            }
        }))
        .unwrap();
        let names: Vec<_> = machine.states.keys().map(String::as_str).collect();
        assert_eq!(names, ["T", "C", "W", "P", "M", "F"]);
        let task = &machine.states["T"];
        assert_eq!(task.input_path, Some(None));
        assert_eq!(task.output_path, None);
        let StateKind::Task(fields) = &task.kind else {
            panic!("not a task")
        };
        assert_eq!(
            fields.result.retry[0].jitter_strategy,
            Some(JitterStrategy::Full)
        );
        let StateKind::Choice(choice) = &machine.states["C"].kind else {
            panic!("not a choice")
        };
        assert_eq!(choice.choices[0].comparison["NumericGreaterThan"], json!(1));
        let StateKind::Map(map) = &machine.states["M"].kind else {
            panic!("not a map")
        };
        assert_eq!(map.item_processor.start_at, "X");
    }
}
