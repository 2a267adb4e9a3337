//! States in the JSONata query language: `Arguments` instead of `InputPath` and `Parameters`,
//! `Output` instead of `ResultSelector`, `ResultPath` and `OutputPath`, `Condition` in Choice
//! rules, `Items` in Map, and `{% … %}` in the fields that take a number or a string. Every
//! expression sees `$states` (`input`, `context`, and `result` or `errorOutput`) and the workflow
//! variables; `Assign` and `Output` are evaluated side by side, with the variables as they were
//! before the state.

use super::*;
use crate::simulate::query::{self, Evaluator};

impl Execution {
    /// Runs `work` with a JSONata evaluator whose `$states` is `states`.
    fn with_query<T>(
        &mut self,
        states: Value,
        work: impl FnOnce(&mut Evaluator) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let frame = self.frames.last().expect("a running execution has a frame");
        let mut evaluator = Evaluator {
            cache: &mut self.queries,
            random: &mut self.random,
            scope: query::Scope {
                states,
                variables: &frame.scope,
                now_millis: self.now.timestamp_millis(),
            },
        };
        work(&mut evaluator)
    }

    /// `$states` before the state has a result: its input and the context object.
    fn states(&self, item: Option<super::distributed::MapItem>) -> Value {
        json!({"input": self.top().input, "context": self.context(item)})
    }

    /// A JSONata state's work.
    pub(super) fn jsonata_state(&mut self, name: &str, state: &State) -> Result<Move, Failure> {
        let states = self.states(None);
        match &state.kind {
            StateKind::Pass(_) | StateKind::Succeed => {
                let next = match state.kind {
                    StateKind::Succeed => None,
                    _ => state.next.clone(),
                };
                let (output, assigned) = self.conclude(state.output.as_ref(), state, states)?;
                Ok(Move::Done {
                    output,
                    next,
                    assigned,
                })
            }
            StateKind::Choice(choice) => self.jsonata_choice(state, choice, states),
            StateKind::Wait(wait) => {
                let wait = self.with_query(states.clone(), |q| resolve_wait(q, wait))?;
                let raw = self.top().input.clone();
                let context = self.context(None);
                let until =
                    crate::simulate::wait::until(&wait, self.now, self.roots(&raw, &context))?;
                if until > self.now && !self.advance_clock(until) {
                    return Ok(Move::Pending);
                }
                let (output, assigned) = self.conclude(state.output.as_ref(), state, states)?;
                Ok(Move::Done {
                    output,
                    next: state.next.clone(),
                    assigned,
                })
            }
            StateKind::Fail(fail) => Err(self.jsonata_fail(fail, states)),
            StateKind::Task(task) => {
                let (arguments, timeout) = self.with_query(states.clone(), |q| {
                    let arguments = arguments(q, &task.result)?;
                    let timeout = match &task.timeout_seconds {
                        Some(value) => Some(seconds_field(q, value, "TimeoutSeconds")?),
                        None => None,
                    };
                    Ok((arguments, timeout))
                })?;
                self.record("Arguments", &arguments);
                let Some(result) = self.invoke(name, task, &arguments, timeout)? else {
                    return Ok(Move::Pending);
                };
                self.conclude_with_result(name, state, states, result)
            }
            StateKind::Parallel(parallel) => {
                let input = self.with_query(states, |q| arguments(q, &parallel.result))?;
                self.record("Arguments", &input);
                self.parallel_started(parallel, input)
            }
            StateKind::Map(map) => self.jsonata_map(map, states),
        }
    }

    /// `Output` (or the input when there is none) and `Assign`, both evaluated with `states`.
    fn conclude(
        &mut self,
        output: Option<&Value>,
        state: &State,
        states: Value,
    ) -> Result<(Value, Map<String, Value>), Failure> {
        let input = states["input"].clone();
        let (output, assigned) = self.with_query(states, |q| {
            let output = match output {
                Some(template) => q.template(template, "Output")?,
                None => input,
            };
            Ok((output, assign(q, state.assign.as_ref())?))
        })?;
        Ok((output, assigned))
    }

    /// A Task, Parallel or Map state's end: `$states.result` is its result, and the output is
    /// `Output` or the result itself.
    pub(super) fn conclude_with_result(
        &mut self,
        name: &str,
        state: &State,
        mut states: Value,
        result: Value,
    ) -> Result<Move, Failure> {
        dataflow::check_size(&result, name)?;
        states["result"] = result.clone();
        let (output, assigned) = self.with_query(states, |q| {
            let output = match &state.output {
                Some(template) => q.template(template, "Output")?,
                None => result,
            };
            Ok((output, assign(q, state.assign.as_ref())?))
        })?;
        Ok(Move::Done {
            output,
            next: state.next.clone(),
            assigned,
        })
    }

    fn jsonata_choice(
        &mut self,
        state: &State,
        choice: &crate::model::Choice,
        states: Value,
    ) -> Result<Move, Failure> {
        let chosen = self.with_query(states.clone(), |q| {
            for (index, rule) in choice.choices.iter().enumerate() {
                let field = format!("Choices/{index}/Condition");
                let holds = match &rule.condition {
                    Some(Value::Bool(holds)) => *holds,
                    Some(condition) => match query::expression(condition) {
                        Some(source) => match q.required(source, &field)? {
                            Value::Bool(holds) => holds,
                            other => {
                                return Err(query::unexpected_type(
                                    source, &field, "boolean", &other,
                                ));
                            }
                        },
                        None => false,
                    },
                    None => false,
                };
                if holds {
                    return Ok(Some(rule));
                }
            }
            Ok(None)
        })?;
        let (next, rule_output, rule_assign) = match chosen {
            Some(rule) => (
                rule.next.clone(),
                rule.output.as_ref(),
                rule.assign.as_ref(),
            ),
            None => match &choice.default {
                Some(default) => (Some(default.clone()), None, None),
                None => {
                    return Err(Failure::new(
                        errors::NO_CHOICE_MATCHED,
                        "No Matches!".to_string(),
                    ));
                }
            },
        };
        let (output, mut assigned) =
            self.conclude(rule_output.or(state.output.as_ref()), state, states.clone())?;
        assigned.extend(self.with_query(states, |q| assign(q, rule_assign))?);
        Ok(Move::Done {
            output,
            next,
            assigned,
        })
    }

    fn jsonata_fail(&mut self, fail: &Fail, states: Value) -> Failure {
        let text = |q: &mut Evaluator, value: &Option<String>, field: &str| match value {
            None => Ok(String::new()),
            Some(text) => match query::expression(&Value::String(text.clone())) {
                None => Ok(text.clone()),
                Some(source) => match q.required(source, field)? {
                    Value::String(text) => Ok(text),
                    other => Err(query::unexpected_type(source, field, "string", &other)),
                },
            },
        };
        let fields = self.with_query(states, |q| {
            Ok((
                text(q, &fail.error, "Error")?,
                text(q, &fail.cause, "Cause")?,
            ))
        });
        match fields {
            Ok((error, cause)) => Failure::new(error, cause),
            Err(failure) => failure,
        }
    }

    fn jsonata_map(&mut self, map: &MapState, states: Value) -> Result<Move, Failure> {
        let input = states["input"].clone();
        let settings = self.with_query(states.clone(), |q| {
            crate::simulate::map::settings(map, &mut |value, field| q.template(value, field), None)
        })?;
        let items = match (&settings.reader, &map.items) {
            (Some(reader), _) => self.read_items(reader)?,
            (None, Some(items)) => {
                super::distributed::state_data(self.with_query(states.clone(), |q| q.items(items))?)
            }
            (None, None) => match input {
                Value::Array(items) => super::distributed::state_data(items),
                other => {
                    return Err(Failure::new(
                        errors::QUERY_EVALUATION_ERROR,
                        format!("Map state input must be an array but was: {other}"),
                    ));
                }
            },
        };
        if map.items.is_some() && settings.reader.is_none() {
            self.record_items("Items", &items);
        }
        // Numbers given as expressions are checked like their literal forms.
        let fixed = self.with_query(states, |q| {
            let mut fixed = map.clone();
            for (value, field) in [
                (&mut fixed.max_concurrency, "MaxConcurrency"),
                (&mut fixed.tolerated_failure_count, "ToleratedFailureCount"),
                (
                    &mut fixed.tolerated_failure_percentage,
                    "ToleratedFailurePercentage",
                ),
            ] {
                if let Some(source) = value.as_ref().and_then(query::expression) {
                    *value = Some(q.required(source, field)?);
                }
            }
            Ok(fixed)
        })?;
        let raw = self.top().input.clone();
        let context = self.context(None);
        let roots = self.roots(&raw, &context);
        crate::simulate::map::max_concurrency(&fixed, roots)?;
        let tolerance = crate::simulate::map::tolerance(&fixed, roots)?;
        let distributed = crate::simulate::map::is_distributed(map);
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let input = match &map.item_selector {
                Some(selector) => {
                    let states = self.states(Some(super::distributed::MapItem {
                        index,
                        value: &item.value,
                        source: distributed.then_some(item.source.as_str()),
                    }));
                    self.with_query(states, |q| q.template(selector, "ItemSelector"))?
                }
                None => item.value,
            };
            inputs.push(input);
        }
        if self.options.trace && map.item_selector.is_some() {
            self.record("ItemSelector", &Value::Array(inputs.clone()));
        }
        self.map_started(map, inputs, tolerance, settings)
    }

    /// A caught failure in a JSONata state: the catcher's `Output` (else the error output) and
    /// `Assign`, with `$states.errorOutput` bound.
    pub(super) fn jsonata_caught(
        &mut self,
        catcher: &Catcher,
        error_output: Value,
    ) -> Result<(Value, Map<String, Value>), Failure> {
        let mut states = self.states(None);
        states["errorOutput"] = error_output.clone();
        self.with_query(states, |q| {
            let output = match &catcher.output {
                Some(template) => q.template(template, "Output")?,
                None => error_output,
            };
            Ok((output, assign(q, catcher.assign.as_ref())?))
        })
    }
}

/// `Arguments` evaluated, or the state input when there are none.
fn arguments(q: &mut Evaluator, fields: &ResultFields) -> Result<Value, Failure> {
    match &fields.arguments {
        Some(template) => q.template(template, "Arguments"),
        None => Ok(q.scope.states["input"].clone()),
    }
}

/// `Assign`'s variables, each value evaluated as a template.
fn assign(q: &mut Evaluator, assign: Option<&Value>) -> Result<Map<String, Value>, Failure> {
    let Some(Value::Object(variables)) = assign else {
        return Ok(Map::new());
    };
    let mut values = Map::with_capacity(variables.len());
    for (name, template) in variables {
        values.insert(
            name.clone(),
            q.template(template, &format!("Assign/{name}"))?,
        );
    }
    Ok(values)
}

/// A number of seconds that may be written as an expression.
fn seconds_field(q: &mut Evaluator, value: &Value, field: &str) -> Result<f64, Failure> {
    let value = match query::expression(value) {
        Some(source) => q.required(source, field)?,
        None => value.clone(),
    };
    match value.as_f64() {
        Some(seconds) if seconds >= 0.0 => Ok(seconds),
        _ => Err(Failure::new(
            errors::QUERY_EVALUATION_ERROR,
            format!("The field '{field}' must be a positive number of seconds, found {value}"),
        )),
    }
}

/// A Wait state with its `Seconds` or `Timestamp` expression evaluated.
fn resolve_wait(q: &mut Evaluator, wait: &Wait) -> Result<Wait, Failure> {
    let mut wait = wait.clone();
    if let Some(seconds) = &wait.seconds
        && query::expression(seconds).is_some()
    {
        wait.seconds = Some(Value::from(seconds_field(q, seconds, "Seconds")?));
    }
    if let Some(timestamp) = &wait.timestamp
        && let Some(source) = query::expression(&Value::String(timestamp.clone()))
    {
        match q.required(source, "Timestamp")? {
            Value::String(text) => wait.timestamp = Some(text),
            other => {
                return Err(query::unexpected_type(
                    source,
                    "Timestamp",
                    "string",
                    &other,
                ));
            }
        }
    }
    Ok(wait)
}
