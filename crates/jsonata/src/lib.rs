//! JSONata 2.x for awskb: a parser with positioned errors and an evaluator. Pure: no I/O,
//! clock or global randomness (the caller supplies the time and a random seed), so it builds
//! for `wasm32-unknown-unknown` and behaves the same in the browser.
//!
//! [`compile`] turns an expression into an [`Expression`], or an [`Error`] carrying JSONata's
//! error code and the byte offset of the problem; [`Expression::evaluate`] runs it against a
//! JSON input in an [`Environment`] (variables, Rust functions, time, seed and limits).
//!
//! ```
//! use serde_json::json;
//!
//! let expr = jsonata::compile("Account.Order.Product.(Price * Quantity) ~> $sum()").unwrap();
//! let input = json!({"Account": {"Order": [
//!     {"Product": [{"Price": 2, "Quantity": 3}]},
//!     {"Product": [{"Price": 5, "Quantity": 1}]}
//! ]}});
//! let env = jsonata::Environment::new();
//! assert_eq!(expr.evaluate(Some(&input), &env).unwrap(), Some(json!(11)));
//!
//! let err = jsonata::compile("[1, 2").unwrap_err();
//! assert_eq!((err.code, err.position), ("S0203", 5));
//! let err = jsonata::compile("1 + 'a'").unwrap().evaluate(None, &env).unwrap_err();
//! assert_eq!(err.code, "T2002");
//! ```
//!
//! Inside, values are reference-counted (`Rc`) JSON plus functions, regexes and the flagged
//! sequences of JSONata's path semantics; they are converted from and to `serde_json` only at
//! the boundary. Evaluation is bounded four ways, each failing with `U1001`: nesting depth,
//! a step budget (instead of a clock), the stack actually used and a memory budget. A
//! [`Budget`] bounds the steps and memory of many evaluations together.

#![deny(missing_docs)]

mod ast;
mod budget;
mod error;
mod eval;
#[cfg(test)]
mod eval_tests;
mod format;
mod functions;
mod lexer;
mod parser;
mod process;
mod reads;
mod signature;
#[cfg(test)]
mod tests;
mod value;

use ast::Expr;
pub use budget::Budget;
pub use error::Error;
pub use reads::VariableRead;
use signature::Signature;

/// The deepest nesting accepted, counted in syntax-tree levels (each bracket, operator or path
/// step adds one). Deeper input is rejected with code `U1001` instead of overflowing the stack,
/// which matters most in the browser, where the wasm stack is 1 MiB. At this depth parsing needs
/// under 640 KiB of stack in an optimised build (under 1.5 MiB in a debug build). The deepest
/// expression of the JSONata test suite has 15 levels.
pub const MAX_DEPTH: usize = 200;

/// Parses a JSONata expression into its processed syntax tree (see [`compile`] for the errors).
pub(crate) fn parse(source: &str) -> Result<Expr, Error> {
    let raw = parser::Parser::new(source)
        .and_then(parser::Parser::parse)
        .map_err(|e| *e)?;
    process::Processor::default().run(raw).map_err(|e| *e)
}

/// A compiled expression, ready to be evaluated any number of times against different inputs.
///
/// It holds only the syntax tree, so it is `Send + Sync` and can be cached and shared; each
/// evaluation builds its own values and scopes.
#[derive(Debug, Clone)]
pub struct Expression {
    ast: Expr,
}

/// Compiles a JSONata expression.
///
/// Errors use the reference implementation's codes (`S01xx` for tokens, `S02xx` for grammar,
/// `S03xx` for regex literals, `S04xx` for lambda signatures, with `S0403`, this crate's own, for
/// malformed ones such as `a<>`). Compiling never panics, whatever the input.
pub fn compile(source: &str) -> Result<Expression, Error> {
    Ok(Expression {
        ast: parse(source)?,
    })
}

/// A function written in Rust that expressions can call as `$name(…)`, for extensions such as
/// the ASL intrinsics. Arguments arrive as JSON (`None` for `undefined`, and for functions,
/// which have no JSON form); the result is JSON, `None` meaning `undefined`.
pub struct NativeFunction {
    pub(crate) signature: Option<Signature>,
    #[allow(clippy::type_complexity)]
    pub(crate) function:
        Box<dyn Fn(&[Option<serde_json::Value>]) -> Result<Option<serde_json::Value>, Error>>,
}

impl std::fmt::Debug for NativeFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeFunction")
            .field("signature", &self.signature.as_ref().map(|s| &s.text))
            .finish()
    }
}

/// What an evaluation may use besides its input: variables, extra functions, the time, a
/// random seed and the limits that stop runaway expressions. The crate reads no clock and no
/// global randomness, so the same environment and input always give the same result.
#[derive(Debug, Clone)]
pub struct Environment {
    pub(crate) bindings: Vec<(String, serde_json::Value)>,
    pub(crate) functions: std::collections::HashMap<String, std::rc::Rc<NativeFunction>>,
    pub(crate) now: i64,
    /// The state of the random generator, carried from one evaluation to the next.
    pub(crate) random_state: std::cell::Cell<u64>,
    pub(crate) max_depth: usize,
    pub(crate) max_steps: u64,
    pub(crate) max_stack: usize,
    pub(crate) max_memory: u64,
    /// Limits shared with other evaluations, on top of this one's own.
    pub(crate) budget: Option<Budget>,
}

impl Default for Environment {
    fn default() -> Self {
        Environment {
            bindings: Vec::new(),
            functions: std::collections::HashMap::new(),
            now: 0,
            random_state: std::cell::Cell::new(0),
            max_depth: DEFAULT_MAX_DEPTH,
            max_steps: DEFAULT_MAX_STEPS,
            max_stack: DEFAULT_MAX_STACK,
            max_memory: DEFAULT_MAX_MEMORY,
            budget: None,
        }
    }
}

/// The default evaluation depth limit (nested evaluations, counted like the reference's
/// `depth` guard). Deeper evaluation fails with `U1001`.
pub const DEFAULT_MAX_DEPTH: usize = 1000;

/// The default bound on the stack an evaluation may use, in bytes. The evaluator measures the
/// distance from its entry point and fails with `U1001` beyond it, so recursion cannot overflow
/// the stack whatever the build: 384 KiB leaves room for the caller inside the 1 MiB wasm
/// stack (and inside the 2 MiB of a test thread).
pub const DEFAULT_MAX_STACK: usize = 384 * 1024;

/// The default memory budget of an evaluation, in bytes: the total size of the arrays,
/// sequences, objects and strings it creates (24 bytes per array item, 48 per object entry or
/// tuple, 1 per string byte; values shared with the input or a variable cost nothing). Going
/// past it fails with `U1001` before the process runs out of memory. 256 MiB holds the largest
/// range JSONata allows (`[1..10000000]`, 240 MB by this count); the process needs at most
/// about twice the budget, since growing arrays double their storage.
pub const DEFAULT_MAX_MEMORY: u64 = 256 * 1024 * 1024;

/// The default budget of evaluation steps (one per evaluated node or tail call). Exhausting it
/// fails with `U1001`, which is how an infinite loop ends without a clock.
pub const DEFAULT_MAX_STEPS: u64 = 10_000_000;

impl Environment {
    /// An environment with no bindings, time 0 (1970-01-01), seed 0 and the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `$name` to a JSON value.
    pub fn bind(&mut self, name: impl Into<String>, value: serde_json::Value) -> &mut Self {
        self.bindings.push((name.into(), value));
        self
    }

    /// Registers `$name` as a Rust function. `signature` is a JSONata signature such as
    /// `"<s-n?:s>"`, used to check and coerce arguments as for built-in functions; it is
    /// parsed here so a bad one is reported at once.
    pub fn register<F>(
        &mut self,
        name: impl Into<String>,
        signature: Option<&str>,
        function: F,
    ) -> Result<&mut Self, Error>
    where
        F: Fn(&[Option<serde_json::Value>]) -> Result<Option<serde_json::Value>, Error> + 'static,
    {
        let signature = match signature {
            Some(s) => Some(signature::parse_signature(s).map_err(|e| Error {
                code: e.code,
                position: e.offset,
                message: e.message,
                token: None,
            })?),
            None => None,
        };
        self.functions.insert(
            name.into(),
            std::rc::Rc::new(NativeFunction {
                signature,
                function: Box::new(function),
            }),
        );
        Ok(self)
    }

    /// The current time in milliseconds since the Unix epoch, for `$now()` and `$millis()`.
    pub fn set_now(&mut self, millis: i64) -> &mut Self {
        self.now = millis;
        self
    }

    /// Seeds `$random()` and `$shuffle()`. The sequence continues across the evaluations that
    /// use this environment, so two evaluations draw different numbers, and the same seed
    /// replays the same numbers.
    pub fn set_seed(&mut self, seed: u64) -> &mut Self {
        self.random_state.set(seed);
        self
    }

    /// The deepest evaluation nesting allowed (see [`DEFAULT_MAX_DEPTH`]).
    pub fn set_max_depth(&mut self, depth: usize) -> &mut Self {
        self.max_depth = depth;
        self
    }

    /// The stack an evaluation may use, in bytes (see [`DEFAULT_MAX_STACK`]). Raise it only
    /// when the evaluation runs on a thread with a larger stack.
    pub fn set_max_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_stack = bytes;
        self
    }

    /// The memory budget of one evaluation, in bytes (see [`DEFAULT_MAX_MEMORY`]).
    pub fn set_max_memory(&mut self, bytes: u64) -> &mut Self {
        self.max_memory = bytes;
        self
    }

    /// The number of evaluation steps allowed (see [`DEFAULT_MAX_STEPS`]).
    pub fn set_max_steps(&mut self, steps: u64) -> &mut Self {
        self.max_steps = steps;
        self
    }

    /// Makes every evaluation in this environment (and its clones) also spend `budget`, which
    /// other environments may share: an evaluation may use at most what is left of it, so a
    /// job that evaluates expressions again and again ends once they have used it up. The
    /// per-evaluation limits still apply.
    pub fn share_budget(&mut self, budget: Budget) -> &mut Self {
        self.budget = Some(budget);
        self
    }
}

impl Error {
    /// An error raised by a [`NativeFunction`], with a JSONata-style code such as `"D3137"`.
    /// Its position becomes that of the call.
    pub fn custom(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            position: 0,
            message: message.into(),
            token: None,
        }
    }
}

/// A JSON input converted once into the evaluator's values, for evaluating one or more
/// expressions against the same data many times without converting it again each time.
#[derive(Debug, Clone)]
pub struct Input(value::Value);

impl Input {
    /// Converts `json`; nesting deeper than the evaluator allows is an error (`U1001`).
    pub fn new(json: &serde_json::Value) -> Result<Input, Error> {
        let value = value::from_json(json).map_err(|e| *e)?;
        // A top-level array is the context as a whole, not a sequence to map over.
        Ok(Input(match value {
            array @ value::Value::Array(_) => value::Array {
                items: vec![array],
                seq: true,
                outer: true,
                ..value::Array::default()
            }
            .into_value(),
            other => other,
        }))
    }
}

impl Expression {
    /// The variables the expression reads from outside itself, in source order: every `$name`
    /// except `$` and `$$`, the built-in functions and the names the expression binds anywhere
    /// (`:=`, lambda parameters, `@$v`, `#$i`; anywhere, so that a function may call one
    /// bound after it). For tools that check expressions without running them.
    pub fn free_variables(&self) -> Vec<VariableRead> {
        reads::free_variables(&self.ast)
    }

    /// Evaluates the expression against `input` (`None` for no input). `Ok(None)` is JSONata's
    /// `undefined`; functions in the result, which have no JSON form, are left out.
    ///
    /// The input is converted to the evaluator's values on every call; to evaluate against the
    /// same data many times, convert it once with [`Input::new`] and call
    /// [`Expression::evaluate_input`].
    pub fn evaluate(
        &self,
        input: Option<&serde_json::Value>,
        env: &Environment,
    ) -> Result<Option<serde_json::Value>, Error> {
        let input = input.map(Input::new).transpose()?;
        self.evaluate_input(input.as_ref(), env)
    }

    /// [`Expression::evaluate`] against an input converted beforehand.
    pub fn evaluate_input(
        &self,
        input: Option<&Input>,
        env: &Environment,
    ) -> Result<Option<serde_json::Value>, Error> {
        let mut ev = eval::Evaluator::new(env);
        let input = input.map(|input| &input.0);
        let result = ev
            .root_frame(input)
            .and_then(|frame| ev.eval(&self.ast, input, &frame));
        ev.release();
        match result {
            Ok(v) => Ok(v.as_ref().and_then(value::to_json)),
            Err(e) => Err(*e),
        }
    }
}
