//! Mocked Task results, in the shape of AWS Step Functions Local's mock configuration.
//!
//! A mocked response maps invocation numbers (counted from 0 per state, retries included) to a
//! `Return` value or a `Throw`n error: `{"0": {"Return": …}, "1-2": {"Throw": {"Error": …,
//! "Cause": …}}}`. A single `{"Return": …}` or `{"Throw": …}` answers every invocation. A response
//! may also say `"DelaySeconds": n` (an awskb addition): the Task takes that long on the virtual
//! clock, so `TimeoutSeconds` can be tried.
//!
//! The key `"S3"` is not a state: it holds the mocked Amazon S3 objects a Distributed Map reads
//! and writes, by bucket and key (see [`S3`]).

use std::collections::HashMap;
use std::ops::RangeInclusive;

use serde_json::{Map, Value};

use super::mock_error::MockError;
use super::s3::S3;

/// The mocks file's key for Amazon S3 objects (never a state name there).
pub(super) const S3_KEY: &str = "S3";

/// What a mocked Task does on one invocation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Response {
    pub outcome: MockOutcome,
    /// Virtual seconds the Task takes.
    pub delay_seconds: f64,
}

/// What a mocked Task gives on one invocation; also what TestState's `mock` says the tested
/// state's Task gives.
#[derive(Debug, Clone, PartialEq)]
pub enum MockOutcome {
    /// The Task succeeds with this result.
    Return(Value),
    /// The Task fails with this error, which its Retry and Catch then see.
    Throw {
        /// The error name, e.g. `Lambda.ServiceException`.
        error: String,
        /// Its explanation.
        cause: String,
    },
}

/// The responses for one state, by invocation range.
#[derive(Debug, Clone, PartialEq, Default)]
struct Sequence(Vec<(RangeInclusive<u64>, Response)>);

/// Mocked responses for the Task states of a definition, by state name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mocks {
    states: HashMap<String, Sequence>,
    /// The objects a Distributed Map's `ItemReader` reads.
    pub(crate) s3: S3,
}

impl Mocks {
    /// No mocks: every Task returns its effective input.
    pub fn none() -> Mocks {
        Mocks::default()
    }

    /// Reads `{"StateName": <mocked response>, …}`.
    pub fn from_json(value: &Value) -> Result<Mocks, MockError> {
        let object = value.as_object().ok_or(MockError::NotAnObject)?;
        let mut states = HashMap::new();
        let mut s3 = S3::default();
        for (state, response) in object {
            if state == S3_KEY {
                s3 = S3::from_json(response)?;
                continue;
            }
            states.insert(state.clone(), sequence(state, response)?);
        }
        Ok(Mocks { states, s3 })
    }

    /// Reads a whole Step Functions Local mock configuration and takes the test case `name`
    /// (looked up in every state machine of the file).
    pub fn from_config(value: &Value, name: &str) -> Result<Mocks, MockError> {
        let machines = value
            .get("StateMachines")
            .and_then(Value::as_object)
            .ok_or(MockError::NotAConfig)?;
        let empty = Map::new();
        let responses = value
            .get("MockedResponses")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let cases = machines
            .values()
            .filter_map(|machine| machine.get("TestCases")?.as_object());
        let Some(case) = cases.clone().find_map(|cases| cases.get(name)) else {
            let mut known: Vec<&str> = cases.flat_map(|c| c.keys()).map(String::as_str).collect();
            known.sort_unstable();
            known.dedup();
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return Err(MockError::UnknownTestCase {
                name: name.to_string(),
                known,
            });
        };
        let case = case.as_object().ok_or(MockError::NotAConfig)?;
        let mut states = HashMap::new();
        for (state, response_name) in case {
            let response_name = response_name.as_str().unwrap_or_default();
            let response =
                responses
                    .get(response_name)
                    .ok_or_else(|| MockError::UnknownResponse {
                        case: name.to_string(),
                        response: response_name.to_string(),
                    })?;
            states.insert(state.clone(), sequence(state, response)?);
        }
        // The S3 objects sit at the top of the configuration, beside the test cases.
        let s3 = match value.get(S3_KEY) {
            Some(objects) => S3::from_json(objects)?,
            None => S3::default(),
        };
        Ok(Mocks { states, s3 })
    }

    /// Makes every invocation of the state's Task return or throw `outcome` (TestState's mock).
    pub(crate) fn set(&mut self, state: &str, outcome: MockOutcome) {
        let response = Response {
            outcome,
            delay_seconds: 0.0,
        };
        self.states
            .insert(state.to_string(), Sequence(vec![(0..=u64::MAX, response)]));
    }

    /// Whether the state has a mock at all.
    pub(crate) fn has(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }

    /// The response for the `invocation`-th call (from 0) of the state's Task, if one is given.
    pub(crate) fn response(&self, state: &str, invocation: u64) -> Option<&Response> {
        let sequence = self.states.get(state)?;
        sequence
            .0
            .iter()
            .find(|(range, _)| range.contains(&invocation))
            .map(|(_, response)| response)
    }
}

fn sequence(state: &str, value: &Value) -> Result<Sequence, MockError> {
    let object = value
        .as_object()
        .ok_or_else(|| MockError::ResponseNotObject {
            state: state.to_string(),
        })?;
    if object.contains_key("Return") || object.contains_key("Throw") {
        return Ok(Sequence(vec![(0..=u64::MAX, response(state, "*", value)?)]));
    }
    let mut entries = Vec::new();
    for (key, value) in object {
        let range = invocations(key).ok_or_else(|| MockError::BadKey {
            state: state.to_string(),
            key: key.clone(),
        })?;
        entries.push((range, response(state, key, value)?));
    }
    Ok(Sequence(entries))
}

/// `"3"` or `"1-2"`.
fn invocations(key: &str) -> Option<RangeInclusive<u64>> {
    let (low, high) = key.split_once('-').unwrap_or((key, key));
    let low: u64 = low.trim().parse().ok()?;
    let high: u64 = high.trim().parse().ok()?;
    (low <= high).then_some(low..=high)
}

fn response(state: &str, key: &str, value: &Value) -> Result<Response, MockError> {
    let bad = || MockError::BadResponse {
        state: state.to_string(),
        key: key.to_string(),
    };
    let object = value.as_object().ok_or_else(bad)?;
    let delay_seconds = object
        .get("DelaySeconds")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        .max(0.0);
    let outcome = match (object.get("Return"), object.get("Throw")) {
        (Some(value), None) => MockOutcome::Return(value.clone()),
        (None, Some(thrown)) => {
            let text = |field: &str| thrown.get(field).and_then(Value::as_str);
            let error = text("Error").ok_or_else(|| MockError::BadThrow {
                state: state.to_string(),
                key: key.to_string(),
            })?;
            MockOutcome::Throw {
                error: error.to_string(),
                cause: text("Cause").unwrap_or_default().to_string(),
            }
        }
        _ => return Err(bad()),
    };
    Ok(Response {
        outcome,
        delay_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn invocation_ranges() {
        let mocks = Mocks::from_json(&json!({
            "Charge": {
                "0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
                "1-2": {"Return": {"ok": true}}
            }
        }))
        .unwrap();
        assert!(matches!(
            &mocks.response("Charge", 0).unwrap().outcome,
            MockOutcome::Throw { error, cause } if error == "Lambda.TooManyRequestsException" && cause == "slow down"
        ));
        assert_eq!(
            mocks.response("Charge", 2).unwrap().outcome,
            MockOutcome::Return(json!({"ok": true}))
        );
        assert!(mocks.response("Charge", 3).is_none());
        assert!(mocks.response("Other", 0).is_none());
        assert!(mocks.has("Charge") && !mocks.has("Other"));
    }

    #[test]
    fn one_response_for_every_call() {
        let mocks = Mocks::from_json(&json!({"T": {"Return": 1, "DelaySeconds": 5}})).unwrap();
        let response = mocks.response("T", 99).unwrap();
        assert_eq!(response.outcome, MockOutcome::Return(json!(1)));
        assert_eq!(response.delay_seconds, 5.0);
    }

    #[test]
    fn step_functions_local_config() {
        let config = json!({
            "StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
            "MockedResponses": {"ChargeOk": {"0": {"Return": {"charged": 10}}}}
        });
        let mocks = Mocks::from_config(&config, "HappyPath").unwrap();
        assert_eq!(
            mocks.response("Charge", 0).unwrap().outcome,
            MockOutcome::Return(json!({"charged": 10}))
        );
        let error = Mocks::from_config(&config, "Sad").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no test case named 'Sad' in the mock configuration (it has: HappyPath)"
        );
    }

    #[test]
    fn bad_documents_are_explained() {
        let cases = [
            (json!([]), "JSON object"),
            (json!({"T": 3}), "must be an object"),
            (
                json!({"T": {"x": {"Return": 1}}}),
                "invalid invocation key 'x'",
            ),
            (
                json!({"T": {"2-1": {"Return": 1}}}),
                "invalid invocation key '2-1'",
            ),
            (json!({"T": {"0": {}}}), "exactly one of"),
            (
                json!({"T": {"0": {"Return": 1, "Throw": {}}}}),
                "exactly one of",
            ),
            (
                json!({"T": {"0": {"Throw": {"Cause": "c"}}}}),
                "string \"Error\"",
            ),
        ];
        for (document, expected) in cases {
            let error = Mocks::from_json(&document).unwrap_err().to_string();
            assert!(error.contains(expected), "{document}: {error}");
        }
    }
}
