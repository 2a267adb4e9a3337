//! Parallel branches and Map iterations: starting them one after another, collecting their
//! results in order, and completing or failing the state that waits for them.

use super::distributed::{MapItem, state_data};
use super::states::Start;
use super::*;

impl Execution {
    pub(super) fn parallel(
        &mut self,
        state: &State,
        fields: &ResultFields,
    ) -> Result<Move, Failure> {
        let StateKind::Parallel(parallel) = &state.kind else {
            unreachable!("called for Parallel states")
        };
        let Start {
            context, effective, ..
        } = self.start_state(state)?;
        let input = self.parameters(fields, &effective, &context)?;
        self.parallel_started(parallel, input)
    }

    /// Starts a Parallel state's branches, each with `input` (in either query language).
    pub(super) fn parallel_started(
        &mut self,
        parallel: &crate::model::Parallel,
        input: Value,
    ) -> Result<Move, Failure> {
        let (machine, index) = self.current();
        if let Some((name, _)) = machine.states.get_index(index) {
            dataflow::check_input_size(&input, name)?;
        }
        self.emit("ParallelStateStarted", Details::None);
        Ok(Move::Spawn(Fanout {
            inputs: vec![input; parallel.branches.len()],
            next: 0,
            results: Vec::new(),
            failures: 0,
            run: None,
            outer: Rc::new(self.top().scope.clone()),
        }))
    }

    pub(super) fn map(&mut self, state: &State, map: &MapState) -> Result<Move, Failure> {
        let Start {
            context, effective, ..
        } = self.start_state(state)?;
        let scope = self.top().scope.clone();
        let roots = Roots {
            input: &effective,
            context: &context,
            variables: &scope,
        };
        let random = &mut self.random;
        let settings = crate::simulate::map::settings(
            map,
            &mut |template, _| template::evaluate(template, roots, random),
            Some(roots),
        )?;
        let items = match &settings.reader {
            Some(reader) => self.read_items(reader)?,
            None => state_data(crate::simulate::map::items(map, roots)?),
        };
        if map.items_path.is_some() {
            self.record_items("ItemsPath", &items);
        }
        crate::simulate::map::max_concurrency(map, roots)?;
        let tolerance = crate::simulate::map::tolerance(map, roots)?;
        let selector = map
            .item_selector
            .as_ref()
            .or(map.result.parameters.as_ref());
        let distributed = crate::simulate::map::is_distributed(map);
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let input = match selector {
                Some(selector) => {
                    let context = self.context(Some(MapItem {
                        index,
                        value: &item.value,
                        source: distributed.then_some(item.source.as_str()),
                    }));
                    self.evaluate(selector, &effective, &context)?
                }
                None => item.value,
            };
            inputs.push(input);
        }
        if self.options.trace && selector.is_some() {
            self.record("ItemSelector", &Value::Array(inputs.clone()));
        }
        self.map_started(map, inputs, tolerance, settings)
    }

    /// Starts a Map state's iterations over `inputs` (in either query language); a Distributed
    /// Map first groups them into batches and starts its map run.
    pub(super) fn map_started(
        &mut self,
        map: &MapState,
        inputs: Vec<Value>,
        tolerance: crate::simulate::map::Tolerance,
        settings: crate::simulate::map::Settings,
    ) -> Result<Move, Failure> {
        let (machine, index) = self.current();
        let name = machine
            .states
            .get_index(index)
            .map(|(name, _)| name.as_str())
            .unwrap_or_default();
        for input in &inputs {
            dataflow::check_input_size(input, name)?;
        }
        let (inputs, run) = if crate::simulate::map::is_distributed(map) {
            let (inputs, run) = self.start_map_run(name, map, inputs, tolerance, settings)?;
            if self.options.trace && run.sizes.iter().any(|&size| size != 1) {
                self.record("ItemBatcher", &Value::Array(inputs.clone()));
            }
            (inputs, Some(Box::new(run)))
        } else {
            (inputs, None)
        };
        self.emit(
            "MapStateStarted",
            Details::MapStarted {
                length: inputs.len(),
            },
        );
        if let Some(run) = &run {
            self.emit_raw(
                "MapRunStarted",
                "mapRunStartedEventDetails",
                json!({"mapRunArn": run.arn}),
            );
        }
        let failures = match (&run, self.frames.len()) {
            (Some(_), 1) => std::mem::take(&mut self.map_failures_made),
            _ => 0,
        };
        Ok(Move::Spawn(Fanout {
            inputs,
            next: 0,
            results: Vec::new(),
            failures,
            run,
            outer: Rc::new(self.top().scope.clone()),
        }))
    }

    /// Hands a finished branch's or iteration's result to the Parallel or Map state waiting
    /// for it: the next child starts, or the state completes or fails.
    pub(super) fn deliver(&mut self, finished: Frame, result: Result<Value, Failure>) {
        let (machine, index) = self.current();
        let Some((name, state)) = machine.states.get_index(index) else {
            return;
        };
        let is_map = matches!(state.kind, StateKind::Map(_));
        if let Some(iteration) = finished.iteration {
            let key = if result.is_ok() {
                "MapIterationSucceeded"
            } else {
                "MapIterationFailed"
            };
            let details_key = if result.is_ok() {
                "mapIterationSucceededEventDetails"
            } else {
                "mapIterationFailedEventDetails"
            };
            self.emit(
                key,
                Details::MapIteration {
                    key: details_key,
                    name,
                    index: iteration,
                },
            );
        }
        let now = history::timestamp(self.now);
        let Phase::Await(fanout) = &mut self.top_mut().phase else {
            unreachable!("a finished branch's parent awaits it")
        };
        let tolerated = match &mut fanout.run {
            Some(run) => run.child_ended(fanout.next - 1, &result, &now, &mut fanout.failures),
            None => result.is_ok(),
        };
        match result {
            Ok(output) => fanout.results.push(output),
            Err(failure) if tolerated => fanout.results.push(error_output(&failure)),
            Err(failure) => {
                let failure = if fanout.run.is_some() {
                    Failure::new(
                        errors::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerance threshold was exceeded",
                    )
                } else {
                    failure
                };
                self.fanout_failed(is_map, failure);
                return;
            }
        }

        if fanout.next < fanout.inputs.len() {
            self.next_child();
            return;
        }
        let results = std::mem::take(&mut fanout.results);
        let run = fanout.run.take();
        self.top_mut().phase = Phase::Run;
        let results = match run {
            Some(run) => {
                self.emit("MapRunSucceeded", Details::None);
                run.result(results, &mut self.s3)
            }
            None => Value::Array(results),
        };
        let kind = if is_map {
            "MapStateSucceeded"
        } else {
            "ParallelStateSucceeded"
        };
        self.emit(kind, Details::None);
        let fields = match &state.kind {
            StateKind::Map(map) => &map.result,
            StateKind::Parallel(parallel) => &parallel.result,
            _ => unreachable!("only Map and Parallel fan out"),
        };
        self.complete(name, state, fields, results);
    }

    /// A Parallel or Map state's result is in: its output and variables, then the next state.
    fn complete(&mut self, name: &str, state: &State, fields: &ResultFields, results: Value) {
        self.record("Result", &results);
        let outcome = if self.is_jsonata(state) {
            let states = json!({"input": self.top().input, "context": self.context(None)});
            self.conclude_with_result(name, state, states, results)
        } else {
            let raw = self.top().input.clone();
            let context = self.context(None);
            self.process_result(name, state, fields, &raw, results, &context)
                .map(|(output, assigned)| Move::Done {
                    output,
                    next: state.next.clone(),
                    assigned,
                })
        };
        self.settle(name, state, outcome);
    }

    pub(super) fn fanout_failed(&mut self, is_map: bool, failure: Failure) {
        let phase = std::mem::replace(&mut self.top_mut().phase, Phase::Run);
        if let Phase::Await(fanout) = phase
            && fanout.run.is_some()
        {
            self.emit(
                "MapRunFailed",
                Details::Failure {
                    key: "mapRunFailedEventDetails",
                    error: &failure.error,
                    cause: &failure.cause,
                },
            );
        }
        let kind = if is_map {
            "MapStateFailed"
        } else {
            "ParallelStateFailed"
        };
        self.emit(kind, Details::None);
        self.state_failed(failure);
    }

    /// Starts the next branch or iteration of the Parallel or Map state on top.
    pub(super) fn next_child(&mut self) {
        let (machine, index) = self.current();
        let Some((name, state)) = machine.states.get_index(index) else {
            return;
        };
        let Phase::Await(fanout) = &mut self.top_mut().phase else {
            return;
        };
        if fanout.next >= fanout.inputs.len() {
            // No items at all: the state completes at once.
            self.top_mut().phase = Phase::Run;
            self.complete_empty(name, state);
            return;
        }
        let position = fanout.next;
        fanout.next += 1;
        let input = std::mem::take(&mut fanout.inputs[position]);
        let outer = fanout.outer.clone();
        if let Some(mut run) = fanout.run.take() {
            self.child_started(&mut run, &input);
            if let Phase::Await(fanout) = &mut self.top_mut().phase {
                fanout.run = Some(run);
            }
        }
        let (child, iteration) = match &state.kind {
            StateKind::Parallel(parallel) => (parallel.branches[position].clone(), None),
            StateKind::Map(map) => (map.item_processor.clone(), Some(position)),
            _ => unreachable!("only Map and Parallel fan out"),
        };
        if let Some(index) = iteration {
            self.emit(
                "MapIterationStarted",
                Details::MapIteration {
                    key: "mapIterationStartedEventDetails",
                    name,
                    index,
                },
            );
        }
        let frame = self.frame(child, input, outer, iteration);
        self.frames.push(frame);
    }

    /// A Map state with no items (or a Parallel with no branches) succeeds with `[]`.
    pub(super) fn complete_empty(&mut self, name: &str, state: &State) {
        let (fields, kind) = match &state.kind {
            StateKind::Map(map) => (&map.result, "MapStateSucceeded"),
            StateKind::Parallel(parallel) => (&parallel.result, "ParallelStateSucceeded"),
            _ => return,
        };
        self.emit(kind, Details::None);
        self.complete(name, state, fields, json!([]));
    }
}
