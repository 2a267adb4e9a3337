//! One simulated execution, advanced a move at a time.
//!
//! The running states form a stack of frames: the execution's top level at the bottom, and above
//! it the branch or Map iteration that is running inside a Parallel or Map state. Branches and
//! iterations run one after another, in order (AWS runs them concurrently, but their results keep
//! the same order, so the outcome is the same). Nothing sleeps: Wait states, retry back-off and
//! mocked Task durations move a virtual clock.
//!
//! This file holds the frames and the moves between states; [`states`] runs each state type,
//! [`fanout`] runs Parallel branches and Map iterations, [`task_events`] writes a Task's events.

mod distributed;
mod fanout;
mod jsonata;
mod states;
mod task_events;

use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::convert::{plain, seconds};
use super::history::{self, Details, Event, Stage};
use super::mocks::{MockOutcome, Mocks};
use super::query::{Cache, DEFAULT_MAX_QUERY_MEMORY, DEFAULT_MAX_QUERY_STEPS, QUERY_BUDGET_ERROR};
use super::{
    Failure, Random, Roots, Variables, choice, dataflow, errors, jsonpath, retry, template,
};
use crate::model::{
    Catcher, Fail, Map as MapState, QueryLanguage, ResultFields, State, StateKind, StateMachine,
    Task, Wait,
};

/// How an execution is run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seeds jitter, `States.MathRandom` and `States.UUID`.
    pub seed: u64,
    /// State transitions allowed before the execution is stopped as a runaway loop.
    pub max_transitions: u64,
    /// JSONata evaluation steps allowed to all the execution's expressions together (each
    /// evaluation also has JSONata's own limit, [`::jsonata::DEFAULT_MAX_STEPS`]), so a Catch or
    /// a loop that re-enters a runaway expression cannot repeat it until the transitions run
    /// out.
    pub max_query_steps: u64,
    /// Bytes of JSONata values the execution's expressions may create in all (counted as
    /// for [`::jsonata::DEFAULT_MAX_MEMORY`]).
    pub max_query_memory: u64,
    /// The virtual time the execution starts at.
    pub start_time: DateTime<Utc>,
    /// The execution's name in its ARN and in the context object (`$$.Execution.Name`).
    pub execution_name: String,
    /// The state machine's name in the ARNs and the context object (`$$.StateMachine.Name`).
    pub state_machine_name: String,
    /// Record what the browser's run panel shows: on every event the state it belongs to, and
    /// on `…StateExited` events each processing step's value. The command line leaves it off: AWS's events have neither, and
    /// the copies cost time.
    pub trace: bool,
}

/// The budget a run gets unless told otherwise.
pub const DEFAULT_MAX_TRANSITIONS: u64 = 10_000;

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 0,
            max_transitions: DEFAULT_MAX_TRANSITIONS,
            max_query_steps: DEFAULT_MAX_QUERY_STEPS,
            max_query_memory: DEFAULT_MAX_QUERY_MEMORY,
            start_time: DateTime::parse_from_rfc3339("2024-01-01T12:00:00Z")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            execution_name: "simulated".to_string(),
            state_machine_name: "StateMachine".to_string(),
            trace: false,
        }
    }
}

/// Where an execution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Not finished: [`Execution::step`] has more to do.
    Running,
    /// Reached a Succeed state or an `End`; the outcome has the output.
    Succeeded,
    /// A Fail state or an uncaught error; the outcome has the error and cause.
    Failed,
    /// The machine's `TimeoutSeconds` passed on the virtual clock (error `States.Timeout`).
    TimedOut,
}

/// How an execution ended, as `DescribeExecution` would say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// How it ended ([`Status::Running`] only for an execution not yet finished).
    pub status: Status,
    /// The execution's output, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The error name (`States.TaskFailed`, a Fail state's `Error`, …), when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's explanation, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// One running state in [`Execution::position`], serialized for the browser's run panel as
/// `{"state": name, "child"?: {"current", "count", "failed"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level<'a> {
    pub(crate) state: &'a str,
    /// For a Parallel or Map state: its branches or iterations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) child: Option<Progress>,
}

/// How far a Parallel or Map state is through its branches or iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Progress {
    /// The branch or iteration running now, from 0.
    pub(crate) current: usize,
    /// How many branches or iterations there are.
    pub(crate) count: usize,
    /// Failures tolerated so far (Distributed Map).
    pub(crate) failed: u64,
}

/// The variables one scope can see: its own, then those of the scopes around it (a Map
/// iteration or Parallel branch reads, but never writes, the variables outside it).
#[derive(Debug, Clone, Default)]
struct Scope {
    own: Map<String, Value>,
    outer: Option<Rc<Scope>>,
}

impl Scope {
    /// Every variable this scope sees, the innermost value of each name.
    fn visible(&self) -> Map<String, Value> {
        let mut all = self
            .outer
            .as_deref()
            .map(Scope::visible)
            .unwrap_or_default();
        all.extend(
            self.own
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        all
    }
}

impl Variables for Scope {
    fn get(&self, name: &str) -> Option<&Value> {
        self.own
            .get(name)
            .or_else(|| self.outer.as_deref().and_then(|outer| outer.get(name)))
    }
}

/// A state machine (the top level, a branch or an item processor) being run.
struct Frame {
    machine: Arc<StateMachine>,
    /// The current state, as an index into `machine.states`.
    state: usize,
    /// The current state's raw input.
    input: Value,
    phase: Phase,
    scope: Scope,
    entered_event: u64,
    entered_at: DateTime<Utc>,
    /// Attempts made so far, per retrier of the current state.
    retries: Vec<u64>,
    /// For a Map iteration: its index (history events name it).
    iteration: Option<usize>,
    /// The current state's processing steps so far, when the options ask for them.
    flow: Vec<Stage>,
}

enum Phase {
    /// The next move enters the state.
    Enter,
    /// The next move runs it (again, after a retry).
    Run,
    /// A Parallel or Map state waits for its branches or iterations, which run above it.
    Await(Box<Fanout>),
}

/// The branches or iterations of a running Parallel or Map state.
struct Fanout {
    inputs: Vec<Value>,
    next: usize,
    results: Vec<Value>,
    failures: u64,
    /// A Distributed Map's map run; failures count items (a failed batch counts its items).
    run: Option<Box<distributed::MapRun>>,
    outer: Rc<Scope>,
}

/// What running a state's work gave.
enum Move {
    /// The state is done: its output, where to go (`None` ends the scope) and the variables it
    /// assigns.
    Done {
        output: Value,
        next: Option<String>,
        assigned: Map<String, Value>,
    },
    /// A Parallel or Map state starts its branches or iterations.
    Spawn(Fanout),
    /// Nothing more this move (a retry is scheduled).
    Pending,
}

/// A simulated execution of a state machine.
pub struct Execution {
    machine: Arc<StateMachine>,
    input: Value,
    mocks: Mocks,
    options: Options,
    random: Random,
    now: DateTime<Utc>,
    history: Vec<Event>,
    frames: Vec<Frame>,
    transitions: u64,
    /// Task invocations so far, per state name (mocks are keyed by invocation).
    invocations: std::collections::HashMap<String, u64>,
    started: bool,
    outcome: Option<Outcome>,
    /// JSONata expressions compiled so far.
    queries: Cache,
    /// The mocked Amazon S3: Distributed Map items come from it, results go to it.
    s3: super::S3,
    /// Set from outside before the run (TestState): the variables the top level starts with,
    /// fields laid over the context object, and the retries already made by the first state.
    variables: Map<String, Value>,
    context_fields: Option<Value>,
    retries_made: u64,
    /// What a top-level Distributed Map reads instead of its `ItemReader` source, and the
    /// failures its map run starts with.
    reader_data: Option<String>,
    map_failures_made: u64,
    /// How the outermost state handled its latest failure.
    top_failure: Option<TopFailure>,
}

/// What the outermost state did with a failure: what TestState reports as its status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Handling {
    /// A retrier (by position in `Retry`) takes it and waits this long first.
    Retried {
        retrier: usize,
        delay_seconds: f64,
    },
    /// A catcher (by position in `Catch`) takes it.
    Caught {
        catcher: usize,
    },
    Uncaught,
}

/// A failure of the outermost state, how it was handled, and the state's processing steps up
/// to it (when the options ask for a trace).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TopFailure {
    pub failure: Failure,
    pub handling: Handling,
    pub flow: Vec<Stage>,
}

/// A Standard workflow runs at most one year; the virtual clock never goes further (which also
/// keeps every clock addition far from chrono's range).
const MAX_DURATION_SECONDS: u64 = 365 * 24 * 60 * 60;

/// The AWS Region and account the simulated ARNs name.
const ACCOUNT: &str = "123456789012";

impl Execution {
    /// Prepares an execution; nothing happens until [`Execution::step`] or [`Execution::run`].
    pub fn new(
        machine: impl Into<Arc<StateMachine>>,
        input: Value,
        mut mocks: Mocks,
        options: Options,
    ) -> Execution {
        let s3 = std::mem::take(&mut mocks.s3);
        let query_budget =
            ::jsonata::Budget::new(options.max_query_steps, options.max_query_memory);
        Execution {
            s3,
            variables: Map::new(),
            context_fields: None,
            retries_made: 0,
            reader_data: None,
            map_failures_made: 0,
            top_failure: None,
            machine: machine.into(),
            input,
            mocks,
            random: Random::new(options.seed),
            now: options.start_time,
            options,
            history: Vec::new(),
            frames: Vec::new(),
            transitions: 0,
            invocations: Default::default(),
            started: false,
            outcome: None,
            queries: Cache::new(query_budget),
        }
    }

    /// Advances by one move (starting the execution, entering a state, finishing a state's work,
    /// or a retry) and returns the history events it produced; empty once the execution ended.
    pub fn step(&mut self) -> &[Event] {
        let start = self.history.len();
        if self.outcome.is_none() {
            self.advance();
        }
        &self.history[start..]
    }

    /// The state machine being run.
    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }

    /// Runs to the end and returns the outcome.
    pub fn run(&mut self) -> &Outcome {
        while self.outcome.is_none() {
            self.advance();
        }
        self.outcome
            .as_ref()
            .expect("the loop ends with an outcome")
    }

    /// The outcome, once the execution has ended.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Starts the top level with these variables already set (as TestState's `variables`).
    pub(crate) fn with_variables(mut self, variables: Map<String, Value>) -> Execution {
        self.variables = variables;
        self
    }

    /// Lays these fields over the context object (as TestState's `context`): objects merge,
    /// other values replace.
    pub(crate) fn with_context(mut self, fields: Value) -> Execution {
        self.context_fields = Some(fields);
        self
    }

    /// Counts `count` retries as already made by the first state's retriers (as TestState's
    /// `retrierRetryCount`).
    pub(crate) fn with_retries_made(mut self, count: u64) -> Execution {
        self.retries_made = count;
        self
    }

    /// Gives a top-level Distributed Map this content in place of what its `ItemReader` would
    /// read (as TestState's `mapItemReaderData`).
    pub(crate) fn with_reader_data(mut self, data: String) -> Execution {
        self.reader_data = Some(data);
        self
    }

    /// Counts `count` failed items as already seen by a top-level map run (as TestState's
    /// `mapIterationFailureCount`).
    pub(crate) fn with_map_failures_made(mut self, count: u64) -> Execution {
        self.map_failures_made = count;
        self
    }

    /// The latest failure of a top-level state and how it was handled, taken (so each failure
    /// is seen once).
    pub(crate) fn take_top_failure(&mut self) -> Option<TopFailure> {
        self.top_failure.take()
    }

    /// The mocked Amazon S3 as the run left it; [`super::S3::written`] gives what a
    /// `ResultWriter` wrote.
    pub fn s3(&self) -> &super::S3 {
        &self.s3
    }

    /// Every event so far.
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The names of the states running now, outermost first (a Map state, then the state inside
    /// its current iteration, …).
    pub(crate) fn current_states(&self) -> Vec<&str> {
        self.frames
            .iter()
            .filter_map(|frame| frame.machine.states.get_index(frame.state))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Where the execution is, outermost first: each running state, and for a Parallel or Map
    /// state, which branch or iteration runs now.
    pub fn position(&self) -> Vec<Level<'_>> {
        self.frames
            .iter()
            .filter_map(|frame| {
                let (name, _) = frame.machine.states.get_index(frame.state)?;
                let child = match &frame.phase {
                    Phase::Await(fanout) => Some(Progress {
                        current: fanout.next.saturating_sub(1),
                        count: fanout.inputs.len(),
                        failed: fanout.failures,
                    }),
                    _ => None,
                };
                Some(Level { state: name, child })
            })
            .collect()
    }

    /// The virtual time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn advance(&mut self) {
        if !self.started {
            self.start();
            return;
        }
        let Some(frame) = self.frames.last() else {
            return;
        };
        match frame.phase {
            Phase::Enter => self.enter(),
            Phase::Run => self.run_state(),
            // A waiting Parallel or Map always has a branch or iteration above it.
            Phase::Await(_) => unreachable!("an awaiting frame is never on top"),
        }
    }

    fn start(&mut self) {
        self.started = true;
        let input = self.input.clone();
        self.emit(
            "ExecutionStarted",
            Details::ExecutionStarted { input: &input },
        );
        if let Err(failure) = dataflow::check_size(&input, "ExecutionInput") {
            self.finish_execution(Err(failure));
            return;
        }
        let outer = Rc::new(Scope {
            own: std::mem::take(&mut self.variables),
            outer: None,
        });
        let frame = self.frame(self.machine.clone(), input, outer, None);
        self.frames.push(frame);
    }

    fn frame(
        &self,
        machine: Arc<StateMachine>,
        input: Value,
        outer: Rc<Scope>,
        iteration: Option<usize>,
    ) -> Frame {
        let state = machine.states.get_index_of(&machine.start_at).unwrap_or(0);
        Frame {
            machine,
            state,
            input,
            phase: Phase::Enter,
            scope: Scope {
                own: Map::new(),
                outer: Some(outer),
            },
            entered_event: 0,
            entered_at: self.now,
            retries: Vec::new(),
            iteration,
            flow: Vec::new(),
        }
    }

    fn top(&self) -> &Frame {
        self.frames.last().expect("a running execution has a frame")
    }

    fn top_mut(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("a running execution has a frame")
    }

    /// The current state of the innermost frame, with its name.
    fn current(&self) -> (Arc<StateMachine>, usize) {
        let frame = self.top();
        (frame.machine.clone(), frame.state)
    }

    /// Counts a transition (entering a state, or retrying one) and ends the execution when the
    /// budget is spent, so neither a loop nor an endless retrier can run forever.
    fn over_budget(&mut self) -> bool {
        self.transitions += 1;
        if self.transitions <= self.options.max_transitions {
            return false;
        }
        let cause = format!(
            "The execution made {} state transitions, the simulator's limit; a loop may never end. Raise the limit (--max-transitions) if it is meant to run longer.",
            self.options.max_transitions
        );
        self.finish_execution(Err(Failure::new(errors::TRANSITION_LIMIT_ERROR, cause)));
        true
    }

    fn enter(&mut self) {
        if self.over_budget() {
            return;
        }
        let (machine, index) = self.current();
        let Some((name, state)) = machine.states.get_index(index) else {
            return;
        };
        let input = self.top().input.clone();
        let kind = format!("{}StateEntered", state.kind.type_name());
        let id = self.emit(
            &kind,
            Details::StateEntered {
                name,
                input: &input,
            },
        );
        let now = self.now;
        let made = std::mem::take(&mut self.retries_made);
        let frame = self.top_mut();
        frame.entered_event = id;
        frame.entered_at = now;
        frame.retries = vec![made; retriers(state).len()];
        frame.phase = Phase::Run;
    }

    fn run_state(&mut self) {
        let (machine, index) = self.current();
        let Some((name, state)) = machine.states.get_index(index) else {
            return;
        };
        let input = self.top().input.clone();
        self.top_mut().flow.clear();
        self.record("Input", &input);
        let outcome = match &state.kind {
            _ if self.is_jsonata(state) => self.jsonata_state(name, state),
            StateKind::Pass(pass) => self.pass(name, state, pass),
            StateKind::Choice(choice) => self.choice(state, choice),
            StateKind::Wait(wait) => self.wait(state, wait),
            StateKind::Succeed => self.succeed(state),
            StateKind::Fail(fail) => Err(self.fail(fail)),
            StateKind::Task(task) => self.task(name, state, task),
            StateKind::Parallel(parallel) => self.parallel(state, &parallel.result),
            StateKind::Map(map) => self.map(state, map),
        };
        self.settle(name, state, outcome);
    }

    /// Acts on what a state's work gave: exit it, start its branches or iterations, wait, or
    /// handle its failure.
    fn settle(&mut self, name: &str, state: &State, outcome: Result<Move, Failure>) {
        match outcome {
            Ok(Move::Done {
                output,
                next,
                assigned,
            }) => self.exit_state(name, state, output, next, assigned),
            Ok(Move::Spawn(fanout)) => {
                self.top_mut().phase = Phase::Await(Box::new(fanout));
                self.next_child();
            }
            Ok(Move::Pending) => {}
            Err(failure) => {
                let failure = self.own_failure(name, failure);
                self.state_failed(failure);
            }
        }
    }

    /// Whether `state` uses JSONata: its own `QueryLanguage`, else the definition's (nested
    /// states inherit the definition's, not their parent state's).
    fn is_jsonata(&self, state: &State) -> bool {
        state.query_language.or(self.machine.query_language) == Some(QueryLanguage::JSONata)
    }

    /// Adds AWS's "An error occurred while executing the state …" prefix to a runtime or query
    /// error the state itself raised.
    fn own_failure(&self, name: &str, mut failure: Failure) -> Failure {
        if failure.error == errors::RUNTIME || failure.error == errors::QUERY_EVALUATION_ERROR {
            failure.cause = format!(
                "An error occurred while executing the state '{name}' (entered at the event id #{}). {}",
                self.top().entered_event,
                failure.cause
            );
        }
        failure
    }

    // ----- moving on -----

    fn exit_state(
        &mut self,
        name: &str,
        state: &State,
        output: Value,
        next: Option<String>,
        assigned: Map<String, Value>,
    ) {
        if let Err(failure) = dataflow::check_size(&output, name) {
            self.state_failed(failure);
            return;
        }
        let kind = format!("{}StateExited", state.kind.type_name());
        let id = self.emit(
            &kind,
            Details::StateExited {
                name,
                output: &output,
                assigned: &assigned,
            },
        );
        let trace = self.options.trace;
        let frame = self.top_mut();
        frame.scope.own.extend(assigned);
        if trace {
            let flow = std::mem::take(&mut frame.flow);
            let variables = frame.scope.visible();
            let event = &mut self.history[id as usize - 1];
            event.data_flow = Some(flow);
            event.variables = Some(variables);
        }
        let frame = self.top_mut();
        match next {
            Some(next) => {
                frame.state = frame
                    .machine
                    .states
                    .get_index_of(&next)
                    .unwrap_or(frame.state);
                frame.input = output;
                frame.phase = Phase::Enter;
            }
            None => self.finish_frame(Ok(output)),
        }
    }

    /// The current state failed: retry it, catch the error, or fail its scope.
    fn state_failed(&mut self, failure: Failure) {
        let (machine, index) = self.current();
        let Some((name, state)) = machine.states.get_index(index) else {
            return;
        };
        let terminal = [
            errors::RUNTIME,
            errors::TRANSITION_LIMIT_ERROR,
            errors::UNSUPPORTED_ERROR,
            QUERY_BUDGET_ERROR,
        ]
        .contains(&failure.error.as_str());
        if !terminal && let Some((retrier, delay)) = self.retry_delay(state, &failure) {
            let delay_seconds = delay.num_milliseconds() as f64 / 1000.0;
            self.note_top_failure(
                &failure,
                Handling::Retried {
                    retrier,
                    delay_seconds,
                },
            );
            if !self.over_budget() {
                let until = self.now + delay;
                self.advance_clock(until);
            }
            return;
        }
        let catcher = if terminal {
            None
        } else {
            catchers(state)
                .iter()
                .position(|catcher| retry::matches(&catcher.error_equals, &failure.error))
        };
        let Some(catcher) = catcher else {
            self.note_top_failure(&failure, Handling::Uncaught);
            self.finish_frame(Err(failure));
            return;
        };
        self.note_top_failure(&failure, Handling::Caught { catcher });
        let catcher = &catchers(state)[catcher];
        let error_output = error_output(&failure);
        let raw = self.top().input.clone();
        let context = self.context(None);
        self.record("Error", &error_output);
        let caught = if self.is_jsonata(state) {
            self.jsonata_caught(catcher, error_output)
        } else {
            self.assign(catcher.assign.as_ref(), &error_output, &context)
                .and_then(|assigned| {
                    let output = dataflow::place(&catcher.result_path, &raw, error_output)?;
                    Ok((output, assigned))
                })
        }
        // A caught output over the limit fails the scope; it is not caught again.
        .and_then(|(output, assigned)| {
            dataflow::check_size(&output, name)?;
            Ok((output, assigned))
        });
        match caught {
            Ok((output, assigned)) => {
                if !self.is_jsonata(state) {
                    self.record("ResultPath", &output);
                }
                self.exit_state(name, state, output, Some(catcher.next.clone()), assigned)
            }
            Err(failure) => {
                let failure = self.own_failure(name, failure);
                self.finish_frame(Err(failure));
            }
        }
    }

    /// Keeps what the outermost state did with a failure, for [`Execution::take_top_failure`].
    fn note_top_failure(&mut self, failure: &Failure, handling: Handling) {
        if self.frames.len() == 1 {
            self.top_failure = Some(TopFailure {
                failure: failure.clone(),
                handling,
                flow: self.top().flow.clone(),
            });
        }
    }

    /// When a retrier takes this failure: counts the attempt and gives the retrier's position
    /// and the back-off.
    fn retry_delay(&mut self, state: &State, failure: &Failure) -> Option<(usize, Duration)> {
        let (position, retrier) = retriers(state)
            .iter()
            .enumerate()
            .find(|(_, retrier)| retry::matches(&retrier.error_equals, &failure.error))?;
        let frame = self.frames.last_mut()?;
        let attempts = frame.retries.get(position).copied().unwrap_or(0);
        let delay = retry::delay(retrier, attempts, &mut self.random)?;
        if let Some(count) = frame.retries.get_mut(position) {
            *count += 1;
        }
        frame.phase = Phase::Run;
        Some((position, delay))
    }

    /// A scope ended: deliver its result to the Parallel or Map state waiting for it, or end the
    /// execution.
    fn finish_frame(&mut self, result: Result<Value, Failure>) {
        let finished = self.frames.pop().expect("a frame to finish");
        if self.frames.is_empty() {
            self.finish_execution(result);
            return;
        }
        self.deliver(finished, result);
    }

    fn finish_execution(&mut self, result: Result<Value, Failure>) {
        self.frames.clear();
        let outcome = match result {
            Ok(output) => {
                self.emit(
                    "ExecutionSucceeded",
                    Details::ExecutionSucceeded { output: &output },
                );
                Outcome {
                    status: Status::Succeeded,
                    output: Some(output),
                    error: None,
                    cause: None,
                }
            }
            Err(failure) => {
                self.emit(
                    "ExecutionFailed",
                    Details::Failure {
                        key: "executionFailedEventDetails",
                        error: &failure.error,
                        cause: &failure.cause,
                    },
                );
                Outcome {
                    status: Status::Failed,
                    output: None,
                    error: non_empty(failure.error),
                    cause: non_empty(failure.cause),
                }
            }
        };
        self.outcome = Some(outcome);
    }

    /// Moves the virtual clock to `until`, unless the state machine's `TimeoutSeconds` runs out
    /// first: then the execution times out and this returns false.
    fn advance_clock(&mut self, until: DateTime<Utc>) -> bool {
        let limit = self
            .machine
            .timeout_seconds
            .map_or(MAX_DURATION_SECONDS, |limit| {
                limit.min(MAX_DURATION_SECONDS)
            });
        {
            let deadline = self.options.start_time + seconds(limit as f64);
            if until > deadline {
                self.now = deadline.max(self.now);
                self.frames.clear();
                self.emit(
                    "ExecutionTimedOut",
                    Details::Failure {
                        key: "executionTimedOutEventDetails",
                        error: errors::TIMEOUT,
                        cause: "",
                    },
                );
                self.outcome = Some(Outcome {
                    status: Status::TimedOut,
                    output: None,
                    error: Some(errors::TIMEOUT.to_string()),
                    cause: None,
                });
                return false;
            }
        }
        self.now = until;
        true
    }

    /// Notes the value one processing step of the current state gave, when the options ask for
    /// a trace.
    fn record(&mut self, step: &'static str, value: &Value) {
        if self.options.trace
            && let Some(frame) = self.frames.last_mut()
        {
            frame.flow.push(Stage {
                step,
                value: value.clone(),
            });
        }
    }

    /// Appends an event and returns its id.
    fn emit(&mut self, kind: &str, details: Details) -> u64 {
        let id = self.history.len() as u64 + 1;
        let mut event = Event {
            id,
            previous_event_id: id - 1,
            timestamp: history::timestamp(self.now),
            kind: kind.to_string(),
            details: Map::new(),
            note: None,
            state: None,
            data_flow: None,
            variables: None,
        };
        if self.options.trace
            && let Some(frame) = self.frames.last()
            && let Some((name, _)) = frame.machine.states.get_index(frame.state)
        {
            event.state = Some(name.clone());
        }
        if let Some((key, value)) = details.into_member() {
            event.details.insert(key.to_string(), value);
        }
        self.history.push(event);
        id
    }
}

fn retriers(state: &State) -> &[crate::model::Retrier] {
    match &state.kind {
        StateKind::Task(task) => &task.result.retry,
        StateKind::Parallel(parallel) => &parallel.result.retry,
        StateKind::Map(map) => &map.result.retry,
        _ => &[],
    }
}

fn catchers(state: &State) -> &[Catcher] {
    match &state.kind {
        StateKind::Task(task) => &task.result.catch,
        StateKind::Parallel(parallel) => &parallel.result.catch,
        StateKind::Map(map) => &map.result.catch,
        _ => &[],
    }
}

/// What a Catch passes on: `{"Error": …, "Cause": …}`, leaving out what is empty.
fn error_output(failure: &Failure) -> Value {
    let mut output = Map::new();
    if !failure.error.is_empty() {
        output.insert("Error".into(), json!(failure.error));
    }
    if !failure.cause.is_empty() {
        output.insert("Cause".into(), json!(failure.cause));
    }
    Value::Object(output)
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}
