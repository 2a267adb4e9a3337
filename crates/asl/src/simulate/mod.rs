//! The execution simulator: runs a validated state machine the way AWS Step Functions does, with
//! a virtual clock, seeded randomness and mocked Task results.
//!
//! [`Execution`] runs a definition: [`Execution::step`] moves it on by one move,
//! [`Execution::run`] to the end; its [`history`](Execution::history) is the events AWS would
//! write and its [`Outcome`] what `DescribeExecution` would say. [`Mocks`] give the Task results.
//! [`test_state`] is the TestState API: one state run once, outside any execution.
//!
//! Inside, below the execution: `jsonpath` evaluates JSONPath and places results with
//! `ResultPath`, `intrinsics` the `States.*` functions, `choice` Choice rules, `query` JSONata
//! expressions and templates, `item_reader` and `result_writer` a Distributed Map's reads and
//! writes, `history` the events an execution writes. The files of this folder import only
//! downward: the types they share sit in this file (or, like `convert` and `mock_error`, in a
//! small file of their own), and nothing imports `execution` but `test_state`.

mod choice;
mod convert;
mod dataflow;
mod execution;
mod history;
mod intrinsics;
mod item_reader;
mod jsonpath;
mod map;
mod mock_error;
mod mocks;
mod query;
mod random;
mod result_writer;
mod retry;
mod s3;
mod template;
pub mod test_state;
mod wait;

use serde_json::Value;

pub use execution::{DEFAULT_MAX_TRANSITIONS, Execution, Level, Options, Outcome, Status};
pub use history::{Event, timestamp};
pub use mock_error::MockError;
pub use mocks::{MockOutcome, Mocks};
pub use query::{DEFAULT_MAX_QUERY_MEMORY, DEFAULT_MAX_QUERY_STEPS, QUERY_BUDGET_ERROR};
pub use s3::S3;

pub(crate) use random::Random;

/// The error names Step Functions itself raises, and the two the simulator adds.
mod errors {
    pub(crate) const ALL: &str = "States.ALL";
    pub(crate) const RUNTIME: &str = "States.Runtime";
    pub(crate) const TIMEOUT: &str = "States.Timeout";
    pub(crate) const TASK_FAILED: &str = "States.TaskFailed";
    pub(crate) const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub(crate) const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub(crate) const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub(crate) const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub(crate) const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str =
        "States.ExceedToleratedFailureThreshold";
    pub(crate) const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

    /// The error name for what the simulator cannot do.
    pub(crate) const UNSUPPORTED_ERROR: &str = "Simulator.Unsupported";
    /// The error name the simulator uses when the transition budget runs out.
    pub(crate) const TRANSITION_LIMIT_ERROR: &str = "Simulator.TransitionLimitExceeded";
}

/// A failed state: an error name and a cause, as a Catch or the execution result sees them.
///
/// For `States.Runtime` the cause is the specific message only; the engine adds AWS's prefix
/// "An error occurred while executing the state 'X' (entered at the event id #N). ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) error: String,
    pub(crate) cause: String,
}

impl Failure {
    pub(crate) fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` failure: not caught by `States.ALL`, it ends the execution.
    pub(crate) fn runtime(cause: impl Into<String>) -> Failure {
        Failure::new(errors::RUNTIME, cause)
    }
}

/// Where variables (`$name`) are looked up: the chain of scopes visible from a state.
pub(crate) trait Variables {
    fn get(&self, name: &str) -> Option<&Value>;
}

/// No variables at all (handy in tests and for fields evaluated before any `Assign`).
impl Variables for () {
    fn get(&self, _: &str) -> Option<&Value> {
        None
    }
}

/// A plain map of variables.
impl Variables for serde_json::Map<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        serde_json::Map::get(self, name)
    }
}

/// The three roots a JSONPath may start from: `$` (the value the field applies to), `$$` (the
/// context object) and `$name` (a variable).
#[derive(Clone, Copy)]
pub(crate) struct Roots<'a> {
    pub(crate) input: &'a Value,
    pub(crate) context: &'a Value,
    pub(crate) variables: &'a dyn Variables,
}

/// Looks up the value a path selects, for the modules that evaluate paths inside larger
/// expressions (intrinsic arguments, Choice variables): `Ok(None)` when it selects nothing, so the
/// caller can word AWS's error for its own situation.
pub(crate) type Resolve<'a> = dyn Fn(&crate::syntax::Path) -> Result<Option<Value>, Failure> + 'a;

#[cfg(test)]
mod tests;
