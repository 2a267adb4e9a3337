//! Running each state type's work, and the input and output processing the types share.

use super::task_events::Resource;
use super::*;

/// What every state starts from: its raw input, the context object, and the effective input
/// (`InputPath` applied).
pub(super) struct Start {
    pub raw: Value,
    pub context: Value,
    pub effective: Value,
}

impl Execution {
    pub(super) fn start_state(&mut self, state: &State) -> Result<Start, Failure> {
        let raw = self.top().input.clone();
        let context = self.context(None);
        let effective =
            dataflow::filter(&state.input_path, raw.clone(), self.roots(&raw, &context))?;
        if state.input_path.is_some() {
            self.record("InputPath", &effective);
        }
        Ok(Start {
            raw,
            context,
            effective,
        })
    }

    // ----- the state types -----

    pub(super) fn pass(
        &mut self,
        name: &str,
        state: &State,
        pass: &crate::model::Pass,
    ) -> Result<Move, Failure> {
        let Start {
            raw,
            context,
            effective,
        } = self.start_state(state)?;
        let result = match (&pass.result, &pass.parameters) {
            (Some(result), _) => {
                self.record("Result", result);
                result.clone()
            }
            (None, Some(parameters)) => {
                let result = self.evaluate(parameters, &effective, &context)?;
                self.record("Parameters", &result);
                result
            }
            (None, None) => effective,
        };
        dataflow::check_size(&result, name)?;
        let assigned = self.assign(state.assign.as_ref(), &result, &context)?;
        let output = self.place(&pass.result_path, &raw, result)?;
        let output = self.output_path(state, output, &raw, &context)?;
        Ok(Move::Done {
            output,
            next: state.next.clone(),
            assigned,
        })
    }

    pub(super) fn choice(
        &mut self,
        state: &State,
        choice: &crate::model::Choice,
    ) -> Result<Move, Failure> {
        let Start {
            raw,
            context,
            effective,
        } = self.start_state(state)?;
        let mut chosen = None;
        {
            let scope = &self.top().scope;
            let roots = Roots {
                input: &effective,
                context: &context,
                variables: scope,
            };
            let resolve = |path: &crate::syntax::Path| Ok(jsonpath::select(path, roots));
            for rule in &choice.choices {
                if choice::matches(rule, &resolve)? {
                    chosen = Some(rule);
                    break;
                }
            }
        }
        let (next, rule_assign) = match chosen {
            Some(rule) => (rule.next.clone(), rule.assign.as_ref()),
            None => match &choice.default {
                Some(default) => (Some(default.clone()), None),
                None => {
                    return Err(Failure::new(
                        errors::NO_CHOICE_MATCHED,
                        "No Matches!".to_string(),
                    ));
                }
            },
        };
        // The state's Assign applies whichever rule matched; a rule's own Assign adds to it.
        let mut assigned = self.assign(state.assign.as_ref(), &effective, &context)?;
        assigned.extend(self.assign(rule_assign, &effective, &context)?);
        let output = self.output_path(state, effective, &raw, &context)?;
        Ok(Move::Done {
            output,
            next,
            assigned,
        })
    }

    pub(super) fn wait(&mut self, state: &State, wait: &Wait) -> Result<Move, Failure> {
        let Start {
            raw,
            context,
            effective,
        } = self.start_state(state)?;
        let until = crate::simulate::wait::until(wait, self.now, self.roots(&effective, &context))?;
        if until > self.now && !self.advance_clock(until) {
            return Ok(Move::Pending);
        }
        let assigned = self.assign(state.assign.as_ref(), &effective, &context)?;
        let output = self.output_path(state, effective, &raw, &context)?;
        Ok(Move::Done {
            output,
            next: state.next.clone(),
            assigned,
        })
    }

    pub(super) fn succeed(&mut self, state: &State) -> Result<Move, Failure> {
        let Start {
            raw,
            context,
            effective,
        } = self.start_state(state)?;
        let output = self.output_path(state, effective, &raw, &context)?;
        Ok(Move::Done {
            output,
            next: None,
            assigned: Map::new(),
        })
    }

    /// A Fail state's error and cause, from its fields or computed from its input.
    pub(super) fn fail(&mut self, fail: &Fail) -> Failure {
        let raw = self.top().input.clone();
        let context = self.context(None);
        let frame = self.frames.last().expect("a running execution has a frame");
        let roots = Roots {
            input: &raw,
            context: &context,
            variables: &frame.scope,
        };
        let random = &mut self.random;
        let mut text = |fixed: &Option<String>,
                        dynamic: &Option<String>,
                        field: &str|
         -> Result<String, Failure> {
            if let Some(fixed) = fixed {
                return Ok(fixed.clone());
            }
            let Some(source) = dynamic else {
                return Ok(String::new());
            };
            let value = template::dynamic_value(
                source,
                roots,
                random,
                |path| dataflow::no_results(source, path),
                |error| Failure::runtime(format!("Invalid {field} '{source}': {error}")),
            )?;
            match value {
                Value::String(text) => Ok(text),
                other => Err(Failure::runtime(format!(
                    "The {field} field must reference a string, but '{source}' gives {other}"
                ))),
            }
        };
        let error = text(&fail.error, &fail.error_path, "ErrorPath");
        let cause = text(&fail.cause, &fail.cause_path, "CausePath");
        match (error, cause) {
            (Ok(error), Ok(cause)) => Failure::new(error, cause),
            (Err(failure), _) | (_, Err(failure)) => failure,
        }
    }

    pub(super) fn task(&mut self, name: &str, state: &State, task: &Task) -> Result<Move, Failure> {
        let Start {
            raw,
            context,
            effective,
        } = self.start_state(state)?;
        let parameters = self.parameters(&task.result, &effective, &context)?;
        let timeout = self.task_timeout(task, &effective, &context)?;
        let Some(value) = self.invoke(name, task, &parameters, timeout)? else {
            return Ok(Move::Pending);
        };
        let (output, assigned) =
            self.process_result(name, state, &task.result, &raw, value, &context)?;
        Ok(Move::Done {
            output,
            next: state.next.clone(),
            assigned,
        })
    }

    /// Calls a Task's resource with `parameters`: the mocked result, `None` while the virtual
    /// clock is moved on (or the execution timed out), or the failure. Writes the Task's events.
    pub(super) fn invoke(
        &mut self,
        name: &str,
        task: &Task,
        parameters: &Value,
        timeout: Option<f64>,
    ) -> Result<Option<Value>, Failure> {
        dataflow::check_input_size(parameters, name)?;
        let resource = Resource::of(&task.resource);
        let invocation = {
            let count = self.invocations.entry(name.to_string()).or_insert(0);
            *count += 1;
            *count - 1
        };
        let (result, note) = match self.mocks.response(name, invocation).cloned() {
            Some(response) => (Ok((response.outcome, response.delay_seconds)), None),
            None if self.mocks.has(name) => (
                Err(Failure::runtime(format!(
                    "The mock for state '{name}' has no response for invocation {invocation}; add a key such as \"{invocation}\" or a range such as \"0-{invocation}\""
                ))),
                None,
            ),
            None => (
                Ok((MockOutcome::Return(parameters.clone()), 0.0)),
                Some(format!(
                    "no mock for '{name}': the task returned its effective input"
                )),
            ),
        };
        let (outcome, delay) = result?;
        resource.scheduled(self, parameters);
        resource.started(self);
        if let Some(timeout) = timeout
            && delay > timeout
        {
            let until = self.now + seconds(timeout);
            if !self.advance_clock(until) {
                return Ok(None);
            }
            resource.failed(self, "TimedOut", errors::TIMEOUT, "");
            return Err(Failure::new(errors::TIMEOUT, String::new()));
        }
        if delay > 0.0 && !self.advance_clock(self.now + seconds(delay)) {
            return Ok(None);
        }
        match outcome {
            MockOutcome::Return(value) => {
                let id = resource.succeeded(self, &value);
                self.record("Result", &value);
                if let Some(note) = note {
                    self.history[id as usize - 1].note = Some(note);
                }
                dataflow::check_size(&value, name)?;
                Ok(Some(value))
            }
            MockOutcome::Throw { error, cause } => {
                resource.failed(self, "Failed", &error, &cause);
                Err(Failure::new(error, cause))
            }
        }
    }

    // ----- shared processing -----

    pub(super) fn roots<'a>(&'a self, input: &'a Value, context: &'a Value) -> Roots<'a> {
        Roots {
            input,
            context,
            variables: &self.top().scope,
        }
    }

    /// `Parameters` applied to the effective input, or the effective input itself.
    pub(super) fn parameters(
        &mut self,
        fields: &ResultFields,
        effective: &Value,
        context: &Value,
    ) -> Result<Value, Failure> {
        match &fields.parameters {
            Some(parameters) => {
                let value = self.evaluate(parameters, effective, context)?;
                self.record("Parameters", &value);
                Ok(value)
            }
            None => Ok(effective.clone()),
        }
    }

    /// `ResultSelector`, `ResultPath`, `OutputPath` and `Assign` for Task, Parallel and Map.
    pub(super) fn process_result(
        &mut self,
        name: &str,
        state: &State,
        fields: &ResultFields,
        raw: &Value,
        result: Value,
        context: &Value,
    ) -> Result<(Value, Map<String, Value>), Failure> {
        // `$` in a Task, Map or Parallel state's Assign is the result before ResultSelector.
        let assigned = self.assign(state.assign.as_ref(), &result, context)?;
        let result = match &fields.result_selector {
            Some(selector) => {
                let selected = self.evaluate(selector, &result, context)?;
                self.record("ResultSelector", &selected);
                selected
            }
            None => result,
        };
        dataflow::check_size(&result, name)?;
        let output = self.place(&fields.result_path, raw, result)?;
        let output = self.output_path(state, output, raw, context)?;
        Ok((output, assigned))
    }

    /// `ResultPath` applied, and recorded when it moved the result.
    fn place(
        &mut self,
        path: &crate::model::Nullable<String>,
        raw: &Value,
        result: Value,
    ) -> Result<Value, Failure> {
        let output = dataflow::place(path, raw, result)?;
        if path.is_some() {
            self.record("ResultPath", &output);
        }
        Ok(output)
    }

    /// `OutputPath` applied, and recorded when the state has one.
    fn output_path(
        &mut self,
        state: &State,
        value: Value,
        raw: &Value,
        context: &Value,
    ) -> Result<Value, Failure> {
        let output = dataflow::filter(&state.output_path, value, self.roots(raw, context))?;
        if state.output_path.is_some() {
            self.record("OutputPath", &output);
        }
        Ok(output)
    }

    /// Evaluates a payload template with `$` bound to `input` and the current scope's variables.
    pub(super) fn evaluate(
        &mut self,
        template: &Value,
        input: &Value,
        context: &Value,
    ) -> Result<Value, Failure> {
        let frame = self.frames.last().expect("a running execution has a frame");
        let roots = Roots {
            input,
            context,
            variables: &frame.scope,
        };
        template::evaluate(template, roots, &mut self.random)
    }

    /// Evaluates an `Assign` template with `$` bound to `value`; the variables are set when the
    /// state exits, so every expression sees the values from before the state.
    pub(super) fn assign(
        &mut self,
        assign: Option<&Value>,
        value: &Value,
        context: &Value,
    ) -> Result<Map<String, Value>, Failure> {
        let Some(assign) = assign else {
            return Ok(Map::new());
        };
        match self.evaluate(assign, value, context)? {
            Value::Object(values) => Ok(values),
            _ => Ok(Map::new()),
        }
    }

    pub(super) fn task_timeout(
        &self,
        task: &Task,
        effective: &Value,
        context: &Value,
    ) -> Result<Option<f64>, Failure> {
        if let Some(seconds) = task.timeout_seconds.as_ref().and_then(Value::as_f64) {
            return Ok(Some(seconds));
        }
        let Some(path) = &task.timeout_seconds_path else {
            return Ok(None);
        };
        let value = dataflow::select(path, self.roots(effective, context))?;
        match value.as_u64() {
            Some(seconds) if seconds > 0 => Ok(Some(seconds as f64)),
            _ => Err(Failure::runtime(format!(
                "The TimeoutSecondsPath field refers to value \"{}\" which is not a valid positive integer: {path}",
                plain(&value)
            ))),
        }
    }

    /// The context object (`$$`) for the current state; `item` is the Map item while its
    /// `ItemSelector` is evaluated.
    pub(super) fn context(&self, item: Option<super::distributed::MapItem>) -> Value {
        let frame = self.top();
        let name = frame
            .machine
            .states
            .get_index(frame.state)
            .map(|(name, _)| name.as_str())
            .unwrap_or_default();
        let machine = &self.options.state_machine_name;
        let execution = &self.options.execution_name;
        let mut context = json!({
            "Execution": {
                "Id": format!("arn:aws:states:{}:{ACCOUNT}:execution:{machine}:{execution}", history::REGION),
                "Input": self.input,
                "Name": execution,
                "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/StepFunctionsRole"),
                "StartTime": history::timestamp(self.options.start_time),
                "RedriveCount": 0,
            },
            "State": {
                "EnteredTime": history::timestamp(frame.entered_at),
                "Name": name,
                "RetryCount": frame.retries.iter().sum::<u64>(),
            },
            "StateMachine": {
                "Id": format!("arn:aws:states:{}:{ACCOUNT}:stateMachine:{machine}", history::REGION),
                "Name": machine,
            },
        });
        if let Some(item) = item {
            context["Map"] = item.context();
        }
        let callback = frame
            .machine
            .states
            .get_index(frame.state)
            .is_some_and(|(_, state)| {
                matches!(&state.kind, StateKind::Task(task)
                if task.resource.as_str().is_some_and(|r| r.ends_with(".waitForTaskToken")))
            });
        if callback {
            // A token unique within the execution: the event that entered the state.
            context["Task"] = json!({"Token": format!("simulated-token-{}", frame.entered_event)});
        }
        if let Some(fields) = &self.context_fields {
            lay_over(&mut context, fields);
        }
        context
    }
}

/// Lays `fields` over `value`: objects merge key by key, anything else replaces.
fn lay_over(value: &mut Value, fields: &Value) {
    match (value, fields) {
        (Value::Object(value), Value::Object(fields)) => {
            for (key, field) in fields {
                match value.get_mut(key) {
                    Some(existing) => lay_over(existing, field),
                    None => {
                        value.insert(key.clone(), field.clone());
                    }
                }
            }
        }
        (value, fields) => *value = fields.clone(),
    }
}
