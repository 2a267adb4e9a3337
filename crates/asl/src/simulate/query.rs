//! The JSONata query language in states: `{% … %}` expressions, and the JSON templates holding
//! them (`Arguments`, `Output`, `Assign`, `ItemSelector`, `Items`), evaluated the way Step
//! Functions does: `$states` holds the state's input, context, result and error output, every
//! workflow variable is a `$name`, and AWS's functions (`$partition`, `$range`, `$hash`,
//! `$random`, `$uuid`, `$parse`) are defined. A problem is a `States.QueryEvaluationError` with
//! AWS's wording, naming the expression and the field.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::{Failure, Random, Variables, errors};

/// The JSONata budget of an execution by default: five evaluations' worth of steps. An
/// expression that loops forever costs JSONata's per-evaluation limit each time it runs (0.75 s
/// of CPU in a release build), so a Catch re-entering it ends the run after about four seconds
/// instead of after every transition allowed.
pub const DEFAULT_MAX_QUERY_STEPS: u64 = 5 * ::jsonata::DEFAULT_MAX_STEPS;
/// The bytes of JSONata values an execution may create in all by default: eight evaluations'
/// worth.
pub const DEFAULT_MAX_QUERY_MEMORY: u64 = 8 * ::jsonata::DEFAULT_MAX_MEMORY;

/// The error name the simulator uses when the execution's JSONata budget runs out; like the
/// transition limit, no Retry or Catch takes it.
pub const QUERY_BUDGET_ERROR: &str = "Simulator.QueryBudgetExceeded";

/// What one execution prepares once: its expressions compiled, by source text, and an
/// environment holding AWS's functions and the execution's JSONata budget, which each
/// evaluation copies and binds its values in.
pub(super) struct Cache {
    compiled: HashMap<String, Rc<Compiled>>,
    functions: Option<jsonata::Environment>,
    budget: jsonata::Budget,
}

/// A compiled expression and the variables it reads, which are bound before it runs.
pub(super) struct Compiled {
    expression: jsonata::Expression,
    reads: Vec<String>,
}

/// A cache with the default budget of an execution (for the tests of single evaluations).
#[cfg(test)]
impl Default for Cache {
    fn default() -> Cache {
        Cache::new(jsonata::Budget::new(
            DEFAULT_MAX_QUERY_STEPS,
            DEFAULT_MAX_QUERY_MEMORY,
        ))
    }
}

impl Cache {
    /// A cache whose evaluations all spend `budget`.
    pub(super) fn new(budget: jsonata::Budget) -> Cache {
        Cache {
            compiled: HashMap::new(),
            functions: None,
            budget,
        }
    }

    /// The environment with AWS's functions, made on first use with a seed from `random`.
    fn functions(&mut self, random: &mut Random) -> &jsonata::Environment {
        let budget = &self.budget;
        self.functions.get_or_insert_with(|| {
            let mut environment = jsonata::Environment::new();
            aws_functions(&mut environment, random.below(0, i64::MAX) as u64);
            environment.share_budget(budget.clone());
            environment
        })
    }

    fn compile(&mut self, source: &str, field: &str) -> Result<Rc<Compiled>, Failure> {
        if let Some(compiled) = self.compiled.get(source) {
            return Ok(compiled.clone());
        }
        let expression = jsonata::compile(source).map_err(|error| {
            query_error(format!(
                "The JSONata expression '{}' specified for the field '{field}' is invalid: {}",
                source.trim(),
                error.message
            ))
        })?;
        let mut reads: Vec<String> = crate::validate::jsonata_reads(&expression)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        reads.sort();
        reads.dedup();
        let compiled = Rc::new(Compiled { expression, reads });
        self.compiled.insert(source.to_string(), compiled.clone());
        Ok(compiled)
    }
}

/// What one state's expressions see.
pub(super) struct Scope<'a> {
    /// `$states`: `input`, `context`, and `result` or `errorOutput` where they exist.
    pub states: Value,
    pub variables: &'a dyn Variables,
    /// Milliseconds since the epoch on the virtual clock, for `$now()` and `$millis()`.
    pub now_millis: i64,
}

/// Evaluates JSONata for one state: the compiled-expression cache and the execution's random
/// source, borrowed for the state's work.
pub(super) struct Evaluator<'a> {
    pub cache: &'a mut Cache,
    pub random: &'a mut Random,
    pub scope: Scope<'a>,
}

/// The expression inside a `{% … %}` string, if `value` is one.
pub(super) fn expression(value: &Value) -> Option<&str> {
    let text = value.as_str()?;
    let inner = text.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner)
}

/// `States.QueryEvaluationError` with `cause`.
fn query_error(cause: String) -> Failure {
    Failure::new(errors::QUERY_EVALUATION_ERROR, cause)
}

impl Evaluator<'_> {
    /// Evaluates one expression for `field` (e.g. `Output/result`); `None` is undefined.
    pub(super) fn evaluate(&mut self, source: &str, field: &str) -> Result<Option<Value>, Failure> {
        let compiled = self.cache.compile(source, field)?;
        let mut environment = self.cache.functions(self.random).clone();
        environment.bind("states", self.scope.states.clone());
        for name in &compiled.reads {
            if let Some(value) = self.scope.variables.get(name) {
                environment.bind(name.clone(), value.clone());
            }
        }
        environment.set_now(self.scope.now_millis);
        environment.set_seed(self.random.below(0, i64::MAX) as u64);
        compiled
            .expression
            .evaluate(None, &environment)
            .map_err(|error| {
                if self.cache.budget.is_spent() {
                    return budget_error(&self.cache.budget, source, field, &error);
                }
                query_error(format!(
                    "The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation: {} ({})",
                    source.trim(),
                    error.message,
                    error.code
                ))
            })
    }

    /// Evaluates an expression that must give a value.
    pub(super) fn required(&mut self, source: &str, field: &str) -> Result<Value, Failure> {
        self.evaluate(source, field)?.ok_or_else(|| {
            query_error(format!(
                "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                source.trim()
            ))
        })
    }

    /// A field's value: a `{% … %}` string is evaluated, any other JSON value is a template
    /// whose `{% … %}` strings are evaluated wherever they are.
    pub(super) fn template(&mut self, value: &Value, field: &str) -> Result<Value, Failure> {
        if let Some(source) = expression(value) {
            return self.required(source, field);
        }
        match value {
            Value::Object(members) => {
                let mut out = Map::with_capacity(members.len());
                for (key, member) in members {
                    let value = self.template(member, &format!("{field}/{key}"))?;
                    out.insert(key.clone(), value);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| self.template(item, &format!("{field}/{index}")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    /// `Items` of a JSONata Map: an expression or a template that must give an array.
    pub(super) fn items(&mut self, value: &Value) -> Result<Vec<Value>, Failure> {
        let items = self.template(value, "Items")?;
        match items {
            Value::Array(items) => Ok(items),
            other => {
                let source = expression(value).map_or_else(|| value.to_string(), str::to_string);
                Err(unexpected_type(&source, "Items", "array", &other))
            }
        }
    }
}

/// The simulator's error once the execution's JSONata budget is used up: it ends the execution
/// (no Retry or Catch takes it), naming the budget and the expression that reached its end.
fn budget_error(
    budget: &jsonata::Budget,
    source: &str,
    field: &str,
    error: &jsonata::Error,
) -> Failure {
    Failure::new(
        QUERY_BUDGET_ERROR,
        format!(
            "The execution's JSONata expressions used up the simulator's budget for them ({} evaluation steps, {} bytes of values in all; used: {} steps, {} bytes). An expression that loops forever or grows without bound may be evaluated again and again by a Catch, a Retry or a loop. The last was '{}' for the field '{field}': {} ({})",
            budget.max_steps(),
            budget.max_memory(),
            budget.steps_used(),
            budget.memory_used(),
            source.trim(),
            error.message,
            error.code
        ),
    )
}

/// AWS's error for an expression whose value has the wrong type for its field.
pub(super) fn unexpected_type(source: &str, field: &str, expected: &str, value: &Value) -> Failure {
    query_error(format!(
        "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {value}",
        source.trim(),
        type_name(value)
    ))
}

/// JSON's name for a value's type, as AWS's messages give it.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The functions Step Functions adds to JSONata. `seed` drives `$random()` and `$uuid()`, whose
/// sequence carries on through the execution's evaluations, so an execution replays exactly.
fn aws_functions(environment: &mut jsonata::Environment, seed: u64) {
    let random = Rc::new(RefCell::new(Random::new(seed)));
    let register = |environment: &mut jsonata::Environment, name: &str, signature: &str, f| {
        // The signatures are written here and parse.
        let _ = environment.register(name, Some(signature), f);
    };
    register(
        environment,
        "partition",
        "<an:a>",
        Box::new(partition) as Native,
    );
    register(environment, "range", "<nnn?:a>", Box::new(range));
    register(environment, "hash", "<ss:s>", Box::new(hash));
    register(environment, "parse", "<s:j>", Box::new(parse));
    // Step Functions leaves JSONata's `$eval` out.
    register(
        environment,
        "eval",
        "<x-o?:x>",
        Box::new(|_: &[Option<Value>]| {
            Err(jsonata::Error::custom(
                "T1006",
                "$eval is not available in Step Functions; use $parse to read JSON text",
            ))
        }),
    );
    let source = random.clone();
    register(
        environment,
        "random",
        "<n?:n>",
        Box::new(move |args: &[Option<Value>]| {
            let value = match args.first().and_then(|seed| seed.as_ref()?.as_f64()) {
                Some(seed) => Random::new(seed as u64).unit(),
                None => source.borrow_mut().unit(),
            };
            Ok(Some(Value::from(value)))
        }),
    );
    register(
        environment,
        "uuid",
        "<:s>",
        Box::new(move |_: &[Option<Value>]| Ok(Some(Value::from(random.borrow_mut().uuid())))),
    );
}

type Native = Box<dyn Fn(&[Option<Value>]) -> Result<Option<Value>, jsonata::Error>>;

fn argument_error(function: &str, message: &str) -> jsonata::Error {
    jsonata::Error::custom("D3137", format!("${function}: {message}"))
}

/// Step Functions' functions take whole numbers and round a fraction down (`2.9` is 2), as the
/// Step Functions documentation states for its JSONata functions.
fn whole_down(n: f64) -> f64 {
    n.floor()
}

/// `$partition(array, size)`: the array cut into pieces of `size` items (a fractional size
/// rounded down).
fn partition(args: &[Option<Value>]) -> Result<Option<Value>, jsonata::Error> {
    let items = match args.first() {
        Some(Some(Value::Array(items))) => items.clone(),
        Some(Some(other)) => vec![other.clone()],
        _ => return Ok(None),
    };
    let size = args
        .get(1)
        .and_then(|size| size.as_ref()?.as_f64())
        .map(whole_down)
        .filter(|size| *size >= 1.0)
        .ok_or_else(|| {
            argument_error("partition", "the size must be a whole number of at least 1")
        })?;
    let pieces = items
        .chunks(size as usize)
        .map(|chunk| Value::Array(chunk.to_vec()))
        .collect();
    Ok(Some(Value::Array(pieces)))
}

/// The most items `$range` makes, so that a typo cannot fill the memory.
const MAX_RANGE: f64 = 1_000.0;

/// `$range(start, end, step)`: numbers from `start` to `end` (included) by `step`, each
/// argument rounded down to a whole number. Like a JSONata sequence, a range of one number is
/// that number (as AWS returns it).
fn range(args: &[Option<Value>]) -> Result<Option<Value>, jsonata::Error> {
    let number = |index: usize| {
        args.get(index)
            .and_then(|n| n.as_ref()?.as_f64())
            .map(whole_down)
    };
    let (Some(start), Some(end)) = (number(0), number(1)) else {
        return Ok(None);
    };
    let step = number(2).unwrap_or(1.0);
    if step == 0.0 || !step.is_finite() {
        return Err(argument_error("range", "the step must not be zero"));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > MAX_RANGE {
        return Err(argument_error(
            "range",
            "the range would hold more than 1000 items",
        ));
    }
    let mut numbers: Vec<Value> = (0..count.max(0.0) as usize)
        .map(|i| json_number(start + step * i as f64))
        .collect();
    if numbers.len() == 1 {
        return Ok(numbers.pop());
    }
    Ok(Some(Value::Array(numbers)))
}

/// A whole number as an integer, like JSON text would give it.
fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// `$hash(text, algorithm)`: the hex digest (`MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`).
fn hash(args: &[Option<Value>]) -> Result<Option<Value>, jsonata::Error> {
    let text = |index: usize| args.get(index).and_then(|v| v.as_ref()?.as_str());
    let (Some(data), Some(algorithm)) = (text(0), text(1)) else {
        return Ok(None);
    };
    super::intrinsics::digest(data, algorithm)
        .map(|digest| Some(Value::String(digest)))
        .ok_or_else(|| {
            argument_error(
                "hash",
                "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
            )
        })
}

/// `$parse(text)`: the JSON value the text holds.
fn parse(args: &[Option<Value>]) -> Result<Option<Value>, jsonata::Error> {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    serde_json::from_str::<Value>(text)
        .map(|value| Some(normalise(value)))
        .map_err(|error| argument_error("parse", &format!("the text is not JSON: {error}")))
}

/// Whole floating-point numbers (`-0`, `2.0`) as integers, as JSONata's numbers print.
fn normalise(value: Value) -> Value {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            n.as_f64().map_or(Value::Number(n), json_number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(key, value)| (key, normalise(value)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn evaluator<'a>(
        cache: &'a mut Cache,
        random: &'a mut Random,
        vars: &'a Map<String, Value>,
    ) -> Evaluator<'a> {
        Evaluator {
            cache,
            random,
            scope: Scope {
                states: json!({"input": {"items": [1, 2, 3], "name": "ada"}}),
                variables: vars,
                now_millis: 0,
            },
        }
    }

    #[test]
    fn templates_evaluate_expressions_anywhere_and_name_the_field_of_an_undefined_one() {
        let (mut cache, mut random) = (Cache::default(), Random::new(0));
        let vars = Map::from_iter([("rate".to_string(), json!(2))]);
        let mut eval = evaluator(&mut cache, &mut random, &vars);
        let template = json!({"n": "{% $count($states.input.items) * $rate %}",
                              "list": ["{% $uppercase($states.input.name) %}", "plain"], "k": 1});
        assert_eq!(
            eval.template(&template, "Output").unwrap(),
            json!({"n": 6, "list": ["ADA", "plain"], "k": 1})
        );
        let failure = eval
            .template(&json!({"result": "{% $missing %}"}), "Output")
            .unwrap_err();
        assert_eq!(failure.error, errors::QUERY_EVALUATION_ERROR);
        assert_eq!(
            failure.cause,
            "The JSONata expression '$missing' specified for the field 'Output/result' returned nothing (undefined)."
        );
    }

    #[test]
    fn items_must_be_an_array() {
        let (mut cache, mut random) = (Cache::default(), Random::new(0));
        let vars = Map::new();
        let mut eval = evaluator(&mut cache, &mut random, &vars);
        assert_eq!(
            eval.items(&json!([1, "{% 1 + 1 %}"])).unwrap(),
            [json!(1), json!(2)]
        );
        let failure = eval.items(&json!("{% {'foo': 'bar'} %}")).unwrap_err();
        assert_eq!(
            failure.cause,
            "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"
        );
    }

    #[test]
    fn aws_functions() {
        let (mut cache, mut random) = (Cache::default(), Random::new(0));
        let vars = Map::new();
        let mut eval = evaluator(&mut cache, &mut random, &vars);
        let mut value = |source: &str| eval.required(source, "Output").unwrap();
        assert_eq!(value("$partition([1, 2, 3], 2)"), json!([[1, 2], [3]]));
        assert_eq!(value("$range(0, 9, 3)"), json!([0, 3, 6, 9]));
        assert_eq!(value("$range(5, 1, -2)"), json!([5, 3, 1]));
        assert_eq!(value("$range(1, 9, 9)"), json!(1));
        assert_eq!(value("$parse('{\"a\": [1, -0]}')"), json!({"a": [1, 0]}));
        assert_eq!(
            value("$hash('hello', 'SHA-256')"),
            json!("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        );
        assert_eq!(value("$random(7) = $random(7)"), json!(true));
        let uuid = value("$uuid()");
        assert_eq!(uuid.as_str().unwrap().len(), 36);
        assert_eq!(value("$string($random() < 1)"), json!("true"));
        let failure = eval.required("$eval('1 + 1')", "Output").unwrap_err();
        assert!(
            failure.cause.contains("$eval is not available"),
            "{}",
            failure.cause
        );
    }

    #[test]
    fn evaluation_errors_are_query_evaluation_errors() {
        let (mut cache, mut random) = (Cache::default(), Random::new(0));
        let vars = Map::new();
        let mut eval = evaluator(&mut cache, &mut random, &vars);
        let failure = eval.required("1 + 'a'", "Output").unwrap_err();
        assert_eq!(failure.error, errors::QUERY_EVALUATION_ERROR);
        assert!(failure.cause.contains("'1 + 'a''"), "{}", failure.cause);
        assert!(failure.cause.contains("T2002"), "{}", failure.cause);
    }
}
