//! The execution simulator: runs a validated state machine the way AWS Step Functions does, with
//! a virtual clock, seeded randomness and mocked Task results.
//!
//! * [`jsonpath`]: evaluating JSONPath (Jayway flavour) and placing results with `ResultPath`.
//! * [`intrinsics`]: the `States.*` intrinsic functions.
//! * [`choice`]: Choice rules in JSONPath mode.
//! * [`random`]: the seeded random source.
//! * [`mocks`]: mocked Task responses (Step Functions Local's format).
//! * [`history`]: the events an execution writes.
//! * [`query`]: JSONata expressions and templates in states.
//!
//! [`Execution`] runs a definition: `step()` moves it on by one move, `run()` to the end.

pub mod choice;
mod dataflow;
mod execution;
pub mod history;
pub mod intrinsics;
pub mod item_reader;
pub mod jsonpath;
mod map;
pub mod mocks;
pub mod query;
pub mod random;
pub mod result_writer;
mod retry;
pub mod s3;
mod template;
pub mod test_state;
mod wait;

use serde_json::Value;

pub use execution::{
    DEFAULT_MAX_QUERY_MEMORY, DEFAULT_MAX_QUERY_STEPS, DEFAULT_MAX_TRANSITIONS, Execution,
    Handling, Level, Options, Outcome, Progress, QUERY_BUDGET_ERROR, Status,
    TRANSITION_LIMIT_ERROR, TopFailure,
};
pub use history::{Event, Stage};
pub use mocks::{MockError, Mocks};
pub use random::Random;
pub use s3::S3;

/// The AWS Region the simulated ARNs and events name.
pub const REGION: &str = "us-east-1";

/// The error names Step Functions itself raises.
pub mod errors {
    pub const ALL: &str = "States.ALL";
    pub const RUNTIME: &str = "States.Runtime";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
}

/// A failed state: an error name and a cause, as a Catch or the execution result sees them.
///
/// For `States.Runtime` the cause is the specific message only; the engine adds AWS's prefix
/// "An error occurred while executing the state 'X' (entered at the event id #N). ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    pub cause: String,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` failure: not caught by `States.ALL`, it ends the execution.
    pub fn runtime(cause: impl Into<String>) -> Failure {
        Failure::new(errors::RUNTIME, cause)
    }
}

/// Where variables (`$name`) are looked up: the chain of scopes visible from a state.
pub trait Variables {
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
pub struct Roots<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub variables: &'a dyn Variables,
}

/// Looks up the value a path selects, for the modules that evaluate paths inside larger
/// expressions (intrinsic arguments, Choice variables): `Ok(None)` when it selects nothing, so the
/// caller can word AWS's error for its own situation.
pub type Resolve<'a> = dyn Fn(&crate::syntax::Path) -> Result<Option<Value>, Failure> + 'a;

#[cfg(test)]
mod tests;
