//! The evaluator: JSONata's evaluation rules over the processed tree of [`crate::ast`].
//!
//! Paths map each step over a sequence and flatten the results; a sequence of one item is
//! unwrapped and an empty one is `undefined` when an expression's value is complete. Steps that
//! bind variables (`@$v`, `#$i`, `%`) are evaluated as streams of binding tuples. Calls in tail
//! position of a lambda body return to the caller's loop instead of recursing, so tail
//! recursion runs in constant stack. Depth and step counters turn runaway recursion and loops
//! into `U1001` errors.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use crate::ast::{BinaryOp, Expr, ExprKind, SortTerm, Stage};
use crate::error::{Error, Result};
use crate::signature::{ParamType, Signature};
use crate::value::{
    Array, Call, Frame, Function, Map, Tuple, Value, deep_equal, from_json, to_json,
};

/// What evaluating a lambda body gives: a value, or a call in tail position still to make.
enum Flow {
    Done(Option<Value>),
    Tail {
        proc: Option<Value>,
        args: Vec<Option<Value>>,
        input: Option<Value>,
        position: usize,
    },
}

pub(crate) struct Evaluator<'e> {
    pub env: &'e crate::Environment,
    depth: usize,
    max_depth: usize,
    steps: u64,
    max_steps: u64,
    /// Address of a local of the evaluation's entry, to measure the stack used since.
    stack_base: usize,
    max_stack: usize,
    /// Every frame created, so that closure cycles can be broken when evaluation ends.
    frames: Vec<Weak<Frame>>,
    regexes: HashMap<String, Rc<regex_lite::Regex>>,
    pub rng: u64,
    /// The memory budget: bytes of values created so far (see [`size_of_fresh`]), the limit,
    /// and the address of the last value charged, so that a value passed up unchanged through
    /// several nodes is charged once.
    allocated: u64,
    max_memory: u64,
    last_charged: usize,
    /// Whether `max_steps` and `max_memory` are what is left of the environment's shared
    /// [`crate::Budget`] rather than the evaluation's own limits (they name it in the error),
    /// and whether the memory ran out, to record in the shared budget.
    shared_steps: bool,
    shared_memory: bool,
    out_of_memory: std::cell::Cell<bool>,
    /// Array constructors made only of literals (`[1..60000]`), built once per evaluation
    /// instead of each time a predicate or a loop evaluates them, keyed by node address.
    constants: HashMap<*const Expr, Option<Value>>,
    /// Hash indexes of the arrays that `in` searched, for arrays held elsewhere too (a
    /// constant, a variable): the index is built once, and each `in` is then constant time.
    indexes: HashMap<*const Array, (Rc<Array>, crate::value::ValueIndex)>,
}

/// How many arrays `in` keeps an index of; past it, the indexes are dropped and rebuilt.
const MAX_INDEXES: usize = 64;

/// Whether an expression is made only of literals, so that its value never changes.
fn is_constant(e: &Expr) -> bool {
    let plain = e.predicate.is_empty()
        && e.stages.is_empty()
        && e.group.is_none()
        && e.focus.is_none()
        && e.index.is_none()
        && !e.tuple;
    plain
        && match &e.kind {
            ExprKind::String(_) | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Null => true,
            ExprKind::Negate(a) => is_constant(a),
            ExprKind::Array(items) => items.iter().all(is_constant),
            ExprKind::Binary { op, lhs, rhs } => {
                !matches!(op, BinaryOp::And | BinaryOp::Or) && is_constant(lhs) && is_constant(rhs)
            }
            _ => false,
        }
}

/// What the memory budget counts for one array item, object entry or tuple: the size of a
/// value on a 64-bit target, fixed so that the budget runs out at the same point on every
/// platform (wasm32 included).
pub(crate) const ITEM_BYTES: u64 = 24;

/// The bytes a value that was just created occupies at its top level (array items, object
/// entries, string bytes), or 0 when the value is shared (its reference count says it is held
/// elsewhere too: a variable, the input, an argument) and so cost nothing new. Nested values
/// were charged when they were created.
fn size_of_fresh(v: &Value) -> (u64, usize) {
    fn fresh<T: ?Sized>(rc: &Rc<T>) -> bool {
        Rc::strong_count(rc) == 1
    }
    match v {
        Value::Array(a) if fresh(a) => (
            a.items.len() as u64 * ITEM_BYTES,
            Rc::as_ptr(a) as *const u8 as usize,
        ),
        Value::String(s) if fresh(s) => (s.len() as u64, Rc::as_ptr(s) as *const u8 as usize),
        Value::Object(o) if fresh(o) => (
            o.len() as u64 * 2 * ITEM_BYTES,
            Rc::as_ptr(o) as *const u8 as usize,
        ),
        Value::Tuples(t) if fresh(t) => (
            t.len() as u64 * 2 * ITEM_BYTES,
            Rc::as_ptr(t) as *const u8 as usize,
        ),
        _ => (0, 0),
    }
}

/// The JavaScript truthiness JSONata uses (`$boolean`); `None` for `undefined`.
pub(crate) fn boolean(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => match a.items.len() {
            0 => false,
            1 => boolean(&a.items[0]),
            _ => a.items.iter().any(boolean),
        },
        Value::Tuples(t) => t.iter().any(|t| boolean(&t.at)),
        Value::Object(m) => !m.is_empty(),
        Value::Function(_) => false,
    }
}

pub(crate) fn truthy(v: &Option<Value>) -> bool {
    v.as_ref().is_some_and(boolean)
}

/// `fn.append`: concatenation where `undefined` is the identity and non-arrays are one-item
/// arrays.
pub(crate) fn append(a: Option<Value>, b: Option<Value>) -> Option<Value> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => {
            let mut items = a.items();
            match b {
                Value::Array(arr) => items.extend(arr.items.iter().cloned()),
                v => items.push(v),
            }
            Some(Value::array(items))
        }
    }
}

/// Repeated [`append`] in linear time: the first value stays as it is until a second one
/// arrives, then both (arrays flattened one level) form an array.
#[derive(Default)]
struct Appender {
    first: Option<Value>,
    many: Option<Vec<Value>>,
}

impl Appender {
    fn push(&mut self, v: Option<Value>) {
        let Some(v) = v else { return };
        let extend = |m: &mut Vec<Value>, v: Value| match v {
            Value::Array(a) => m.extend(a.items.iter().cloned()),
            v => m.push(v),
        };
        if let Some(m) = &mut self.many {
            extend(m, v);
        } else if let Some(f) = self.first.take() {
            let mut m = f.items();
            extend(&mut m, v);
            self.many = Some(m);
        } else {
            self.first = Some(v);
        }
    }

    fn finish(self) -> Option<Value> {
        self.many.map(Value::array).or(self.first)
    }
}

/// The symbol of a value in a signature.
fn symbol(v: &Option<Value>) -> u8 {
    match v {
        None => b'm',
        Some(Value::Null) => b'l',
        Some(Value::Bool(_)) => b'b',
        Some(Value::Number(_)) => b'n',
        Some(Value::String(_)) => b's',
        Some(Value::Array(_) | Value::Tuples(_)) => b'a',
        Some(Value::Object(_)) => b'o',
        Some(Value::Function(_)) => b'f',
    }
}

fn allowed(ty: &ParamType) -> &str {
    match ty {
        ParamType::Boolean => "bm",
        ParamType::Number => "nm",
        ParamType::String => "sm",
        ParamType::Null => "lm",
        ParamType::Object => "om",
        ParamType::Array | ParamType::Any => "asnblfom",
        ParamType::Function => "f",
        ParamType::Json => "asnblom",
        ParamType::Choice(c) => c,
    }
}

fn accepts(ty: &ParamType, s: u8) -> bool {
    allowed(ty).as_bytes().contains(&s) || (matches!(ty, ParamType::Choice(_)) && s == b'm')
}

/// Matches argument symbols against parameters like the reference's signature regex (each
/// parameter greedy, backtracking when the rest does not match); returns how many symbols each
/// parameter took, or `None`. Computed as a table of which (parameter, symbol) positions can
/// still reach the end, without recursion: the regex would backtrack exponentially on
/// signatures like `<n+n+n+…s>`, and recursion would be as deep as the signature is long.
fn match_params(sig: &Signature, syms: &[u8]) -> Option<Vec<usize>> {
    let width = syms.len() + 1;
    // How many symbols from `s` on parameter `p` can take, greedily.
    let longest = |p: usize, s: usize| {
        let param = &sig.params[p];
        let mut max = 0;
        while s + max < syms.len() && accepts(&param.ty, syms[s + max]) {
            max += 1;
            if !param.one_or_more {
                break;
            }
        }
        (if param.optional { 0 } else { 1 }, max)
    };
    // `ends[p * width + s]`: parameters `p..` can take exactly the symbols `s..`.
    let mut ends = vec![false; (sig.params.len() + 1) * width];
    ends[sig.params.len() * width + syms.len()] = true;
    for p in (0..sig.params.len()).rev() {
        for s in 0..=syms.len() {
            let (min, max) = longest(p, s);
            ends[p * width + s] = (min..=max).any(|n| ends[(p + 1) * width + s + n]);
        }
    }
    if !ends[0] {
        return None;
    }
    let mut counts = Vec::with_capacity(sig.params.len());
    let mut s = 0;
    for p in 0..sig.params.len() {
        let (min, max) = longest(p, s);
        let n = (min..=max).rev().find(|n| ends[(p + 1) * width + s + n])?;
        counts.push(n);
        s += n;
    }
    Some(counts)
}

/// Checks (and coerces) the arguments of a call against a signature.
pub(crate) fn validate(
    sig: &Signature,
    args: Vec<Option<Value>>,
    context: Option<&Value>,
    position: usize,
) -> Result<Vec<Option<Value>>> {
    let syms: Vec<u8> = args.iter().map(symbol).collect();
    let Some(counts) = match_params(sig, &syms) else {
        // Report the first argument that does not fit.
        let mut index = 0;
        for (i, param) in sig.params.iter().enumerate() {
            if i < syms.len() && !accepts(&param.ty, syms[i]) {
                index = i;
                break;
            }
            index = i + 1;
        }
        return Err(Error::new(
            "T0410",
            position,
            format!(
                "Argument {} of function does not match function signature",
                index + 1
            ),
        ));
    };
    let mut out = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    let mut index = 0;
    for (param, &n) in sig.params.iter().zip(&counts) {
        if n == 0 {
            if param.context {
                let s = symbol(&context.cloned());
                if accepts(&param.ty, s) {
                    let context = match context {
                        Some(Value::Array(a)) if a.outer && a.items.len() == 1 => a.items.first(),
                        other => other,
                    };
                    out.push(context.cloned());
                } else {
                    return Err(Error::new(
                        "T0411",
                        position,
                        format!(
                            "Context value is not a compatible type with argument {} of function",
                            index + 1
                        ),
                    ));
                }
            } else {
                // The reference consumes an argument even when the parameter matched none.
                out.push(args.next().flatten());
                index += 1;
            }
            continue;
        }
        for _ in 0..n {
            let arg = args.next().flatten();
            index += 1;
            if matches!(param.ty, ParamType::Array) {
                let Some(v) = arg else {
                    out.push(None);
                    continue;
                };
                if let Some(sub) = &param.subtype {
                    // The signature parser rejects empty type parameters; only the first
                    // symbol is checked, as in the reference.
                    let want = sub.as_bytes().first().copied();
                    let ok = match &v {
                        Value::Array(a) => a
                            .items
                            .iter()
                            .all(|i| Some(symbol(&Some(i.clone()))) == want),
                        other => Some(symbol(&Some(other.clone()))) == want && sub.len() == 1,
                    };
                    if !ok {
                        return Err(Error::new(
                            "T0412",
                            position,
                            format!("Argument {index} of function must be an array of {sub}"),
                        ));
                    }
                }
                out.push(Some(match v {
                    Value::Array(_) => v,
                    Value::Tuples(t) => Value::array(t.iter().map(|t| t.at.clone()).collect()),
                    other => Value::array(vec![other]),
                }));
            } else {
                out.push(arg);
            }
        }
    }
    Ok(out)
}

fn is_numeric(v: &Value, position: usize) -> Result<bool> {
    match v {
        Value::Number(n) if n.is_nan() => Ok(false),
        Value::Number(n) if n.is_infinite() => {
            Err(Error::new("D1001", position, "Number out of range"))
        }
        Value::Number(_) => Ok(true),
        _ => Ok(false),
    }
}

impl<'e> Evaluator<'e> {
    pub fn new(env: &'e crate::Environment) -> Self {
        let shared = env.budget.as_ref();
        let steps_left = shared.map_or(u64::MAX, crate::Budget::steps_left);
        let memory_left = shared.map_or(u64::MAX, crate::Budget::memory_left);
        Evaluator {
            env,
            depth: 0,
            max_depth: env.max_depth,
            steps: 0,
            max_steps: env.max_steps.min(steps_left),
            stack_base: stack_address(),
            max_stack: env.max_stack,
            frames: Vec::new(),
            regexes: HashMap::new(),
            rng: env.random_state.get(),
            allocated: 0,
            max_memory: env.max_memory.min(memory_left),
            last_charged: 0,
            shared_steps: steps_left < env.max_steps,
            shared_memory: memory_left < env.max_memory,
            out_of_memory: std::cell::Cell::new(false),
            constants: HashMap::new(),
            indexes: HashMap::new(),
        }
    }

    /// Whether `a` is in `list` (deep equality), through a hash index when `list` is an array
    /// that outlives this one test.
    fn contains(&mut self, list: &Rc<Array>, a: &Value) -> bool {
        if list.items.len() < 16 || Rc::strong_count(list) == 1 {
            return list.items.iter().any(|i| deep_equal(i, a));
        }
        if self.indexes.len() >= MAX_INDEXES {
            self.indexes.clear();
        }
        let (_, index) = self.indexes.entry(Rc::as_ptr(list)).or_insert_with(|| {
            let mut index = crate::value::ValueIndex::default();
            for i in 0..list.items.len() {
                index.insert(&list.items, i);
            }
            (list.clone(), index)
        });
        index.find(&list.items, a).is_some()
    }

    /// Charges a value just produced by a node or a function against the memory budget.
    fn charge_result(&mut self, v: &Option<Value>, position: usize) -> Result<()> {
        match v {
            Some(v) => self.charge(v, position),
            None => Ok(()),
        }
    }

    /// [`Evaluator::charge_result`] for a value that is there.
    fn charge(&mut self, v: &Value, position: usize) -> Result<()> {
        let (bytes, address) = size_of_fresh(v);
        if bytes == 0 || address == self.last_charged {
            return Ok(());
        }
        self.last_charged = address;
        self.allocated += bytes;
        self.check_room(0, position)
    }

    /// Fails with `U1001` when `bytes` more would exceed the memory budget: called before
    /// building a value whose size is not bounded by values already charged (a padded or
    /// joined string, a replacement).
    pub fn check_room(&self, bytes: u64, position: usize) -> Result<()> {
        if self.allocated.saturating_add(bytes) > self.max_memory {
            self.out_of_memory.set(true);
            let message = match &self.env.budget {
                Some(shared) if self.shared_memory => format!(
                    "Memory budget exceeded: the evaluations sharing this budget would create more than {} bytes of values in all",
                    shared.max_memory()
                ),
                _ => format!(
                    "Memory budget exceeded: the expression would create more than {} bytes of values",
                    self.max_memory
                ),
            };
            return Err(Error::new("U1001", position, message));
        }
        Ok(())
    }

    pub fn new_frame(&mut self, parent: &Rc<Frame>) -> Rc<Frame> {
        let f = Frame::child(parent);
        self.frames.push(Rc::downgrade(&f));
        if self.frames.len() > 4096 && self.frames.len().is_power_of_two() {
            self.frames.retain(|w| w.strong_count() > 0);
        }
        f
    }

    /// Breaks the reference cycles closures may have made (a function stored in the frame it
    /// closes over), so nothing of the evaluation outlives it.
    pub fn release(&mut self) {
        self.env.random_state.set(self.rng);
        if let Some(shared) = &self.env.budget {
            // A value refused by the shared limit used up what was left of it.
            let memory = if self.out_of_memory.get() && self.shared_memory {
                u64::MAX
            } else {
                self.allocated
            };
            shared.spend(self.steps, memory);
        }
        for f in self.frames.drain(..) {
            if let Some(f) = f.upgrade() {
                f.vars.borrow_mut().clear();
            }
        }
    }

    pub fn root_frame(&mut self, input: Option<&Value>) -> Result<Rc<Frame>> {
        let root = Rc::new(Frame::default());
        self.frames.push(Rc::downgrade(&root));
        for (k, v) in &self.env.bindings {
            root.bind(k, Some(from_json(v)?));
        }
        root.bind("$", input.cloned());
        Ok(root)
    }

    pub fn regex(
        &mut self,
        pattern: &str,
        flags: &str,
        position: usize,
    ) -> Result<Rc<regex_lite::Regex>> {
        let key = format!("{flags}/{pattern}");
        if let Some(r) = self.regexes.get(&key) {
            return Ok(r.clone());
        }
        let mut src = String::new();
        if !flags.is_empty() {
            src.push_str("(?");
            src.push_str(flags);
            src.push(')');
        }
        src.push_str(&translate_regex(pattern));
        let re = regex_lite::Regex::new(&src).map_err(|e| {
            Error::new(
                "S0301",
                position,
                format!("Invalid regular expression: {e}"),
            )
        })?;
        let re = Rc::new(re);
        self.regexes.insert(key, re.clone());
        Ok(re)
    }

    fn tick(&mut self, position: usize) -> Result<()> {
        self.steps += 1;
        if self.steps > self.max_steps {
            let message = match &self.env.budget {
                Some(shared) if self.shared_steps => format!(
                    "Step budget exceeded: the evaluations sharing this budget took more than {} steps in all",
                    shared.max_steps()
                ),
                _ => "Expression evaluation timeout: Check for infinite loop".to_string(),
            };
            return Err(Error::new("U1001", position, message));
        }
        Ok(())
    }

    pub fn eval(
        &mut self,
        e: &Expr,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        self.depth += 1;
        if self.depth > self.max_depth || self.stack_base.abs_diff(stack_address()) > self.max_stack
        {
            self.depth -= 1;
            return Err(Error::new(
                "U1001",
                e.position,
                "Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.",
            ));
        }
        let r = self
            .tick(e.position)
            .and_then(|_| self.eval_inner(e, input, frame));
        self.depth -= 1;
        r
    }

    fn eval_inner(
        &mut self,
        e: &Expr,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let mut result = self.eval_kind(e, input, frame)?;
        for f in &e.predicate {
            result = self.filter(&f.expr, result, frame)?;
        }
        if !matches!(e.kind, ExprKind::Path { .. })
            && let Some(g) = &e.group
        {
            result = Some(self.group(&g.pairs, result, frame)?);
        }
        let result = finish(result, e.keep_array);
        self.charge_result(&result, e.position)?;
        if let Some(v) = &result
            && crate::value::nesting(v) > crate::value::MAX_NESTING
        {
            return Err(Error::new(
                "U1001",
                e.position,
                "Stack overflow error: the value nests arrays and objects too deeply",
            ));
        }
        Ok(result)
    }

    fn eval_kind(
        &mut self,
        e: &Expr,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let pos = e.position;
        Ok(match &e.kind {
            ExprKind::String(s) => Some(Value::str(s)),
            ExprKind::Number(n) => Some(Value::Number(*n)),
            ExprKind::Bool(b) => Some(Value::Bool(*b)),
            ExprKind::Null => Some(Value::Null),
            ExprKind::Name(n) => lookup(input, n),
            ExprKind::Variable(v) => self.variable(v, input, frame),
            ExprKind::Wildcard => wildcard(input),
            ExprKind::Descendant => descendants(input),
            ExprKind::Parent { slot } => frame.lookup(&parent_name(*slot)),
            ExprKind::Path {
                steps,
                keep_singleton_array,
            } => self.path(e, steps, *keep_singleton_array, input, frame)?,
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, pos, input, frame)?,
            ExprKind::Array(items) if is_constant(e) => {
                let key: *const Expr = e;
                match self.constants.get(&key) {
                    Some(v) => v.clone(),
                    None => {
                        let v = self.array(e, items, input, frame)?;
                        self.charge_result(&v, pos)?;
                        self.constants.insert(key, v.clone());
                        v
                    }
                }
            }
            ExprKind::Array(items) => self.array(e, items, input, frame)?,
            ExprKind::Object(pairs) => Some(self.group(pairs, input.cloned(), frame)?),
            ExprKind::Apply { lhs, rhs } => self.apply_op(lhs, rhs, pos, input, frame)?,
            ExprKind::Call { procedure, args } => {
                self.call(procedure, args, None, pos, input, frame)?
            }
            ExprKind::Partial { procedure, args } => {
                self.partial(procedure, args, pos, input, frame)?
            }
            _ => return self.eval_composite(e, input, frame),
        })
    }
    /// The constructs that are neither leaves nor handled by a dedicated function; kept out
    /// of [`Self::eval_kind`] so its stack frame, which every nested evaluation pays, stays small.
    #[inline(never)]
    fn eval_composite(
        &mut self,
        e: &Expr,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let pos = e.position;
        Ok(match &e.kind {
            ExprKind::Regex { pattern, flags } => Some(Value::func(Function::Regex(
                self.regex(pattern, flags, pos)?,
            ))),
            ExprKind::Sort { terms } => {
                let items = input.map(Value::items).unwrap_or_default();
                Some(Value::seq(self.sort(terms, items, frame)?))
            }
            ExprKind::Negate(x) => match self.eval(x, input, frame)? {
                None => None,
                Some(v) if is_numeric(&v, pos)? => match v {
                    Value::Number(n) => Some(Value::Number(-n)),
                    _ => None,
                },
                Some(_) => {
                    return Err(Error::new(
                        "D1002",
                        pos,
                        "Cannot negate a non-numeric value",
                    ));
                }
            },
            ExprKind::Block(items) => {
                let inner = self.new_frame(frame);
                let mut result = None;
                for item in items {
                    result = self.eval(item, input, &inner)?;
                }
                result
            }
            ExprKind::Condition {
                condition,
                then,
                otherwise,
            } => {
                let c = self.eval(condition, input, frame)?;
                if truthy(&c) {
                    self.eval(then, input, frame)?
                } else if let Some(o) = otherwise {
                    self.eval(o, input, frame)?
                } else {
                    None
                }
            }
            ExprKind::Default { lhs, rhs } => {
                let l = self.eval(lhs, input, frame)?;
                if truthy(&l) {
                    l
                } else {
                    self.eval(rhs, input, frame)?
                }
            }
            ExprKind::Coalesce { lhs, rhs } => match self.eval(lhs, input, frame)? {
                Some(v) => Some(v),
                None => self.eval(rhs, input, frame)?,
            },
            ExprKind::Bind { name, value } => {
                let v = self.eval(value, input, frame)?;
                frame.bind(name, v.clone());
                v
            }
            ExprKind::Placeholder => {
                return Err(Error::new(
                    "S0202",
                    pos,
                    "A placeholder `?` is only allowed as an argument",
                ));
            }
            ExprKind::Lambda {
                params,
                signature,
                body,
            } => Some(Value::func(Function::Lambda {
                params: params.clone(),
                signature: signature.clone(),
                body: body.clone(),
                frame: frame.clone(),
                input: input.cloned(),
            })),
            ExprKind::Transform {
                pattern,
                update,
                delete,
            } => Some(Value::func(Function::Transform {
                pattern: pattern.clone(),
                update: update.clone(),
                delete: delete.clone(),
                frame: frame.clone(),
            })),
            _ => None,
        })
    }

    fn variable(&mut self, name: &str, input: Option<&Value>, frame: &Rc<Frame>) -> Option<Value> {
        if name.is_empty() {
            return match input {
                Some(Value::Array(a)) if a.outer && !a.items.is_empty() => Some(a.items[0].clone()),
                other => other.cloned(),
            };
        }
        if let Some(v) = frame.lookup_entry(name) {
            return v;
        }
        if let Some(n) = self.env.functions.get(name) {
            return Some(Value::func(Function::Native(n.clone())));
        }
        crate::functions::builtin(name)
    }

    // ----- paths -------------------------------------------------------------------------

    #[inline(never)]
    fn path(
        &mut self,
        e: &Expr,
        steps: &[Expr],
        keep_singleton: bool,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let first_var = matches!(steps.first().map(|s| &s.kind), Some(ExprKind::Variable(_)));
        // The input sequence of the first step; `None` stands for one undefined input.
        let mut current: Option<Value> = match input {
            Some(Value::Array(_)) if !first_var => input.cloned(),
            Some(v) => Some(Value::seq(vec![v.clone()])),
            None => None,
        };
        let mut undefined_input = input.is_none();
        let mut tuples: Option<Vec<Tuple>> = None;
        let mut tuple_mode = false;
        let last = steps.len().saturating_sub(1);
        for (i, step) in steps.iter().enumerate() {
            if step.tuple {
                tuple_mode = true;
            }
            if i == 0 && step.cons_array {
                let r = self.eval(step, input, frame)?;
                current = Some(match r {
                    Some(v @ Value::Array(_)) => v,
                    Some(v) => Value::seq(vec![v]),
                    None => Value::seq(Vec::new()),
                });
            } else if tuple_mode {
                let items = current.as_ref().map(Value::items).unwrap_or_default();
                let t = self.tuple_step(step, &items, undefined_input, tuples.take(), frame)?;
                tuples = Some(t);
            } else {
                let items: Vec<Value>;
                let slice: &[Value] = match &current {
                    Some(Value::Array(a)) => &a.items,
                    Some(v) => {
                        items = vec![v.clone()];
                        &items
                    }
                    None => &[],
                };
                let r = self.step(step, slice, undefined_input, i == last, frame)?;
                current = Some(r);
            }
            undefined_input = false;
            if !tuple_mode {
                let empty = match &current {
                    Some(Value::Array(a)) => a.items.is_empty(),
                    Some(_) => false,
                    None => true,
                };
                if empty {
                    break;
                }
            }
        }
        let mut tuple_stream = None;
        let mut result = if tuple_mode {
            let t = tuples.unwrap_or_default();
            if e.group.is_some() {
                tuple_stream = Some(t.clone());
            }
            if e.tuple {
                Some(Value::Tuples(Rc::new(t)))
            } else {
                Some(Value::seq(t.into_iter().map(|t| t.at).collect()))
            }
        } else {
            current
        };
        if keep_singleton {
            result = match result {
                Some(Value::Array(a)) => {
                    let mut a = Rc::unwrap_or_clone(a);
                    if a.cons && !a.seq {
                        a = Array {
                            items: vec![Value::array(a.items)],
                            seq: true,
                            ..Array::default()
                        };
                        // The constructed array becomes the one item of a sequence.
                        if let Value::Array(inner) = &mut a.items[0] {
                            Rc::make_mut(inner).cons = true;
                        }
                    }
                    a.keep = true;
                    Some(a.into_value())
                }
                other => other,
            };
        }
        if let Some(g) = &e.group {
            let data = match (tuple_mode, tuple_stream) {
                (true, Some(t)) => Some(Value::Tuples(Rc::new(t))),
                _ => result,
            };
            result = Some(self.group(&g.pairs, data, frame)?);
        }
        Ok(result)
    }

    #[inline(never)]
    fn step(
        &mut self,
        step: &Expr,
        inputs: &[Value],
        undefined_input: bool,
        last: bool,
        frame: &Rc<Frame>,
    ) -> Result<Value> {
        if let ExprKind::Sort { terms } = &step.kind {
            let sorted = self.sort(terms, inputs.to_vec(), frame)?;
            let mut r = Some(Value::seq(sorted));
            for stage in &step.stages {
                if let Stage::Filter(f) = stage {
                    r = self.filter(&f.expr, r, frame)?;
                }
            }
            return Ok(r.unwrap_or_else(|| Value::seq(Vec::new())));
        }
        let mut results: Vec<Value> = Vec::with_capacity(inputs.len());
        let mut one = |this: &mut Self, item: Option<&Value>| -> Result<()> {
            let mut r = this.eval(step, item, frame)?;
            for stage in &step.stages {
                if let Stage::Filter(f) = stage
                    && r.is_some()
                {
                    r = this.filter(&f.expr, r, frame)?;
                }
            }
            if let Some(v) = r {
                results.push(v);
            }
            Ok(())
        };
        if undefined_input {
            one(self, None)?;
        } else {
            for item in inputs {
                one(self, Some(item))?;
            }
        }
        if last && results.len() == 1 && matches!(&results[0], Value::Array(a) if !a.seq) {
            return Ok(results.pop().unwrap_or(Value::Null));
        }
        // The results may all be one shared array (`[1..10000].([1..10000])`), so their
        // concatenation is checked against the memory budget before it is built.
        let total: usize = results
            .iter()
            .map(|r| match r {
                Value::Array(a) if !a.cons => a.items.len(),
                Value::Tuples(t) => t.len(),
                _ => 1,
            })
            .sum();
        self.check_room(total as u64 * ITEM_BYTES, step.position)?;
        let mut out = Vec::with_capacity(total);
        for r in results {
            match r {
                Value::Array(a) if !a.cons => match Rc::try_unwrap(a) {
                    Ok(a) => out.extend(a.items),
                    Err(a) => out.extend(a.items.iter().cloned()),
                },
                Value::Tuples(t) => out.extend(t.iter().map(|t| t.at.clone())),
                v => out.push(v),
            }
        }
        let out = Value::seq(out);
        self.charge(&out, step.position)?;
        Ok(out)
    }

    fn tuple_frame(&mut self, frame: &Rc<Frame>, t: &Tuple) -> Rc<Frame> {
        if t.bindings.is_empty() {
            return frame.clone();
        }
        let f = self.new_frame(frame);
        {
            let mut vars = f.vars.borrow_mut();
            for (k, v) in &t.bindings {
                vars.insert(k.clone(), Some(v.clone()));
            }
        }
        f
    }

    #[inline(never)]
    fn tuple_step(
        &mut self,
        step: &Expr,
        inputs: &[Value],
        undefined_input: bool,
        tuples: Option<Vec<Tuple>>,
        frame: &Rc<Frame>,
    ) -> Result<Vec<Tuple>> {
        let mut result: Vec<Tuple>;
        if let ExprKind::Sort { terms } = &step.kind {
            result = match tuples {
                Some(t) => self.sort_tuples(terms, t, frame)?,
                None => {
                    let sorted = self.sort(terms, inputs.to_vec(), frame)?;
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Tuple {
                                at: v,
                                bindings: Vec::new(),
                            };
                            if let Some(ix) = &step.index {
                                t.set(ix, Value::Number(i as f64));
                            }
                            t
                        })
                        .collect()
                }
            };
        } else {
            let tuples = match tuples {
                Some(t) => t,
                None if undefined_input => Vec::new(),
                None => inputs
                    .iter()
                    .map(|v| Tuple {
                        at: v.clone(),
                        bindings: Vec::new(),
                    })
                    .collect(),
            };
            result = Vec::new();
            for t in &tuples {
                let env = self.tuple_frame(frame, t);
                let Some(res) = self.eval(step, Some(&t.at), &env)? else {
                    continue;
                };
                match res {
                    Value::Tuples(ts) => {
                        for r in ts.iter() {
                            let mut n = t.clone();
                            n.at = r.at.clone();
                            for (k, v) in &r.bindings {
                                n.set(k, v.clone());
                            }
                            result.push(n);
                        }
                    }
                    res => {
                        let items = match res {
                            Value::Array(a) => a.items.clone(),
                            v => vec![v],
                        };
                        for (bb, r) in items.into_iter().enumerate() {
                            let mut n = t.clone();
                            if let Some(focus) = &step.focus {
                                n.set(focus, r);
                            } else {
                                n.at = r;
                            }
                            if let Some(ix) = &step.index {
                                n.set(ix, Value::Number(bb as f64));
                            }
                            if let Some(a) = step.ancestor {
                                n.set(&parent_name(a), t.at.clone());
                            }
                            result.push(n);
                        }
                    }
                }
            }
        }
        for stage in &step.stages {
            match stage {
                Stage::Filter(f) => {
                    let r = self.filter(&f.expr, Some(Value::Tuples(Rc::new(result))), frame)?;
                    result = match r {
                        Some(Value::Tuples(t)) => Rc::unwrap_or_clone(t),
                        _ => Vec::new(),
                    };
                }
                Stage::Index { name, .. } => {
                    for (i, t) in result.iter_mut().enumerate() {
                        t.set(name, Value::Number(i as f64));
                    }
                }
            }
        }
        Ok(result)
    }

    /// A predicate `[expr]` over a value (or tuple stream): an index or a condition.
    #[inline(never)]
    fn filter(
        &mut self,
        pred: &Expr,
        input: Option<Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let (values, tuples): (Vec<Value>, Option<Rc<Vec<Tuple>>>) = match input {
            Some(Value::Tuples(t)) => (Vec::new(), Some(t)),
            Some(Value::Array(a)) => (a.items.clone(), None),
            Some(v) => (vec![v], None),
            None => (Vec::new(), None),
        };
        let len = tuples.as_ref().map_or(values.len(), |t| t.len());
        let mut keep: Vec<usize> = Vec::new();
        if let ExprKind::Number(n) = pred.kind
            && pred.predicate.is_empty()
            && pred.stages.is_empty()
        {
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            if index >= 0.0 && (index as usize) < len {
                let i = index as usize;
                if tuples.is_none()
                    && let Value::Array(_) = &values[i]
                {
                    return Ok(Some(values[i].clone()));
                }
                keep.push(i);
            }
        } else {
            for index in 0..len {
                let res = match &tuples {
                    Some(t) => {
                        let env = self.tuple_frame(frame, &t[index]);
                        self.eval(pred, Some(&t[index].at), &env)?
                    }
                    None => self.eval(pred, Some(&values[index]), frame)?,
                };
                let numbers: Option<Vec<f64>> = match &res {
                    Some(Value::Number(n)) if is_numeric(&Value::Number(*n), pred.position)? => {
                        Some(vec![*n])
                    }
                    Some(Value::Array(a)) if !a.items.is_empty() => {
                        let mut ns = Vec::new();
                        for i in &a.items {
                            match i {
                                Value::Number(n) if is_numeric(i, pred.position)? => ns.push(*n),
                                _ => {
                                    ns.clear();
                                    break;
                                }
                            }
                        }
                        if ns.is_empty() { None } else { Some(ns) }
                    }
                    _ => None,
                };
                match numbers {
                    Some(ns) => {
                        for n in ns {
                            let mut i = n.floor();
                            if i < 0.0 {
                                i += len as f64;
                            }
                            if i == index as f64 {
                                keep.push(index);
                            }
                        }
                    }
                    None => {
                        if truthy(&res) {
                            keep.push(index);
                        }
                    }
                }
            }
        }
        Ok(Some(match tuples {
            Some(t) => Value::Tuples(Rc::new(keep.into_iter().map(|i| t[i].clone()).collect())),
            None => Value::seq(keep.into_iter().map(|i| values[i].clone()).collect()),
        }))
    }

    // ----- sorting and grouping ----------------------------------------------------------

    fn sort_keys(
        &mut self,
        terms: &[SortTerm],
        ctx: &Value,
        env: &Rc<Frame>,
    ) -> Result<Vec<Option<Value>>> {
        let mut keys = Vec::with_capacity(terms.len());
        for t in terms {
            keys.push(self.eval(&t.expr, Some(ctx), env)?);
        }
        Ok(keys)
    }

    fn sort_order(
        terms: &[SortTerm],
        keys: &[Vec<Option<Value>>],
        position: usize,
    ) -> Result<Vec<usize>> {
        let mut error = None;
        let mut order: Vec<usize> = (0..keys.len()).collect();
        stable_sort(&mut order, |&a, &b| {
            for (i, term) in terms.iter().enumerate() {
                let (x, y) = (&keys[a][i], &keys[b][i]);
                let c = match (x, y) {
                    (None, None) => Ordering::Equal,
                    (None, _) => Ordering::Greater,
                    (_, None) => Ordering::Less,
                    (Some(Value::Number(p)), Some(Value::Number(q))) => p.total_cmp(q),
                    (Some(Value::String(p)), Some(Value::String(q))) => cmp_str(p, q),
                    (Some(p), Some(q)) => {
                        if error.is_none() {
                            let ok = |v: &Value| matches!(v, Value::Number(_) | Value::String(_));
                            error = Some(if ok(p) && ok(q) {
                                Error::new(
                                    "T2007",
                                    position,
                                    "Type mismatch when comparing values in order-by clause",
                                )
                            } else {
                                Error::new(
                                    "T2008",
                                    position,
                                    "The expressions within an order-by clause must evaluate to numeric or string values",
                                )
                            });
                        }
                        Ordering::Equal
                    }
                };
                let c = if term.descending && x.is_some() && y.is_some() {
                    c.reverse()
                } else {
                    c
                };
                if c != Ordering::Equal {
                    return c;
                }
            }
            Ordering::Equal
        });
        match error {
            Some(e) => Err(e),
            None => Ok(order),
        }
    }

    #[inline(never)]
    fn sort(
        &mut self,
        terms: &[SortTerm],
        items: Vec<Value>,
        frame: &Rc<Frame>,
    ) -> Result<Vec<Value>> {
        let mut keys = Vec::with_capacity(items.len());
        for item in &items {
            keys.push(self.sort_keys(terms, item, frame)?);
        }
        let pos = terms.first().map_or(0, |t| t.expr.position);
        let order = Self::sort_order(terms, &keys, pos)?;
        Ok(order.into_iter().map(|i| items[i].clone()).collect())
    }

    #[inline(never)]
    fn sort_tuples(
        &mut self,
        terms: &[SortTerm],
        items: Vec<Tuple>,
        frame: &Rc<Frame>,
    ) -> Result<Vec<Tuple>> {
        let mut keys = Vec::with_capacity(items.len());
        for item in &items {
            let env = self.tuple_frame(frame, item);
            keys.push(self.sort_keys(terms, &item.at, &env)?);
        }
        let pos = terms.first().map_or(0, |t| t.expr.position);
        let order = Self::sort_order(terms, &keys, pos)?;
        Ok(order.into_iter().map(|i| items[i].clone()).collect())
    }

    /// An object constructor, or a grouping `expr{…}` over the items of `input`.
    #[inline(never)]
    fn group(
        &mut self,
        pairs: &[(Expr, Expr)],
        input: Option<Value>,
        frame: &Rc<Frame>,
    ) -> Result<Value> {
        enum Items {
            Values(Vec<Option<Value>>),
            Tuples(Rc<Vec<Tuple>>),
        }
        let items = match input {
            Some(Value::Tuples(t)) => Items::Tuples(t),
            Some(Value::Array(a)) if !a.items.is_empty() => {
                Items::Values(a.items.iter().cloned().map(Some).collect())
            }
            Some(Value::Array(_)) | None => Items::Values(vec![None]),
            Some(v) => Items::Values(vec![Some(v)]),
        };
        let len = match &items {
            Items::Values(v) => v.len(),
            Items::Tuples(t) => t.len().max(1),
        };
        // key -> (indexes of items, pair index)
        let mut groups: indexmap::IndexMap<String, (Vec<usize>, usize), crate::value::FastHash> =
            indexmap::IndexMap::default();
        for idx in 0..len {
            for (pi, (k, _)) in pairs.iter().enumerate() {
                let key = match &items {
                    Items::Values(v) => self.eval(k, v[idx].as_ref(), frame)?,
                    Items::Tuples(t) => match t.get(idx) {
                        Some(t) => {
                            let env = self.tuple_frame(frame, t);
                            self.eval(k, Some(&t.at), &env)?
                        }
                        None => self.eval(k, None, frame)?,
                    },
                };
                match key {
                    None => {}
                    Some(Value::String(s)) => {
                        let key = s.to_string();
                        match groups.get_mut(&key) {
                            Some((idxs, p)) => {
                                if *p != pi {
                                    return Err(Error::new(
                                        "D1009",
                                        k.position,
                                        format!(
                                            "Multiple key definitions evaluate to same key: \"{key}\""
                                        ),
                                    ));
                                }
                                idxs.push(idx);
                            }
                            None => {
                                groups.insert(key, (vec![idx], pi));
                            }
                        }
                    }
                    Some(other) => {
                        return Err(Error::new(
                            "T1003",
                            k.position,
                            format!(
                                "Key in object structure must evaluate to a string; got: {}",
                                other.describe()
                            ),
                        ));
                    }
                }
            }
        }
        let mut result = Map::with_capacity_and_hasher(groups.len(), crate::value::FastHash);
        for (key, (idxs, pi)) in groups {
            let value_expr = &pairs[pi].1;
            let value = match &items {
                Items::Values(v) => {
                    let mut data = Appender::default();
                    for i in idxs {
                        data.push(v[i].clone());
                    }
                    self.eval(value_expr, data.finish().as_ref(), frame)?
                }
                Items::Tuples(t) => {
                    let mut at = Appender::default();
                    let mut bindings: Vec<(Rc<str>, Appender)> = Vec::new();
                    for i in idxs {
                        let Some(tp) = t.get(i) else { continue };
                        at.push(Some(tp.at.clone()));
                        for (k, v) in &tp.bindings {
                            match bindings.iter_mut().find(|(n, _)| n == k) {
                                Some(slot) => slot.1.push(Some(v.clone())),
                                None => {
                                    let mut a = Appender::default();
                                    a.push(Some(v.clone()));
                                    bindings.push((k.clone(), a));
                                }
                            }
                        }
                    }
                    let tuple = Tuple {
                        at: Value::Null,
                        bindings: bindings
                            .into_iter()
                            .filter_map(|(k, v)| v.finish().map(|v| (k, v)))
                            .collect(),
                    };
                    let env = self.tuple_frame(frame, &tuple);
                    self.eval(value_expr, at.finish().as_ref(), &env)?
                }
            };
            if let Some(v) = value {
                result.insert(key, v);
            }
        }
        Ok(Value::object(result))
    }

    // ----- constructors and operators ----------------------------------------------------

    #[inline(never)]
    fn array(
        &mut self,
        e: &Expr,
        items: &[Expr],
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let mut out: Vec<Value> = Vec::new();
        for item in items {
            if let ExprKind::Binary {
                op: BinaryOp::Range,
                lhs,
                rhs,
            } = &item.kind
                && item.predicate.is_empty()
            {
                self.range(lhs, rhs, item.position, input, frame, &mut out)?;
                continue;
            }
            let v = self.eval(item, input, frame)?;
            match v {
                None => {}
                Some(v) if matches!(item.kind, ExprKind::Array(_)) => out.push(v),
                Some(Value::Array(a)) => out.extend(a.items.iter().cloned()),
                Some(Value::Tuples(t)) => out.extend(t.iter().map(|t| t.at.clone())),
                Some(v) => out.push(v),
            }
        }
        Ok(Some(
            Array {
                items: out,
                cons: e.cons_array,
                ..Array::default()
            }
            .into_value(),
        ))
    }

    #[inline(never)]
    fn range(
        &mut self,
        lhs: &Expr,
        rhs: &Expr,
        pos: usize,
        input: Option<&Value>,
        frame: &Rc<Frame>,
        out: &mut Vec<Value>,
    ) -> Result<()> {
        let l = self.eval(lhs, input, frame)?;
        let r = self.eval(rhs, input, frame)?;
        let int = |v: &Option<Value>| match v {
            None => Ok(None),
            Some(Value::Number(n)) if n.fract() == 0.0 => Ok(Some(*n)),
            Some(_) => Err(()),
        };
        let l = int(&l).map_err(|_| {
            Error::new(
                "T2003",
                pos,
                "The left side of the range operator (..) must evaluate to an integer",
            )
        })?;
        let r = int(&r).map_err(|_| {
            Error::new(
                "T2004",
                pos,
                "The right side of the range operator (..) must evaluate to an integer",
            )
        })?;
        let (Some(l), Some(r)) = (l, r) else {
            return Ok(());
        };
        if l > r {
            return Ok(());
        }
        let size = r - l + 1.0;
        if size > 1e7 {
            return Err(Error::new(
                "D2014",
                pos,
                format!(
                    "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {size}."
                ),
            ));
        }
        out.reserve(size as usize);
        let mut i = l;
        while i <= r {
            out.push(Value::Number(i));
            i += 1.0;
        }
        Ok(())
    }

    #[inline(never)]
    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        pos: usize,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        match op {
            BinaryOp::And => {
                let l = self.eval(lhs, input, frame)?;
                if !truthy(&l) {
                    return Ok(Some(Value::Bool(false)));
                }
                let r = self.eval(rhs, input, frame)?;
                return Ok(Some(Value::Bool(truthy(&r))));
            }
            BinaryOp::Or => {
                let l = self.eval(lhs, input, frame)?;
                if truthy(&l) {
                    return Ok(Some(Value::Bool(true)));
                }
                let r = self.eval(rhs, input, frame)?;
                return Ok(Some(Value::Bool(truthy(&r))));
            }
            BinaryOp::Range => {
                let mut out = Vec::new();
                self.range(lhs, rhs, pos, input, frame, &mut out)?;
                return Ok(if out.is_empty() {
                    None
                } else {
                    Some(Value::array(out))
                });
            }
            _ => {}
        }
        let l = self.eval(lhs, input, frame)?;
        let r = self.eval(rhs, input, frame)?;
        match op {
            BinaryOp::Add
            | BinaryOp::Subtract
            | BinaryOp::Multiply
            | BinaryOp::Divide
            | BinaryOp::Modulo => {
                let num =
                    |v: &Option<Value>, code: &'static str, side: &str| -> Result<Option<f64>> {
                        match v {
                        None => Ok(None),
                        Some(Value::Number(n)) if is_numeric(&Value::Number(*n), pos)? => {
                            Ok(Some(*n))
                        }
                        Some(_) => Err(Error::new(
                            code,
                            pos,
                            format!(
                                "The {side} side of the `{}` operator must evaluate to a number",
                                op.symbol()
                            ),
                        )
                        .with_token(op.symbol())),
                    }
                    };
                let a = num(&l, "T2001", "left")?;
                let b = num(&r, "T2002", "right")?;
                let (Some(a), Some(b)) = (a, b) else {
                    return Ok(None);
                };
                let n = match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Subtract => a - b,
                    BinaryOp::Multiply => a * b,
                    BinaryOp::Divide => a / b,
                    _ => a % b,
                };
                Ok(Some(Value::Number(n)))
            }
            BinaryOp::Equal | BinaryOp::NotEqual => {
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(Some(Value::Bool(false)));
                };
                let eq = deep_equal(a, b);
                Ok(Some(Value::Bool(if op == BinaryOp::Equal {
                    eq
                } else {
                    !eq
                })))
            }
            BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
                let comparable = |v: &Option<Value>| {
                    matches!(v, None | Some(Value::Number(_) | Value::String(_)))
                };
                if !comparable(&l) || !comparable(&r) {
                    return Err(Error::new(
                        "T2010",
                        pos,
                        format!("The expressions either side of operator `{}` must evaluate to numeric or string values", op.symbol()),
                    )
                    .with_token(op.symbol()));
                }
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(None);
                };
                let ord = match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
                    (Value::String(x), Value::String(y)) => Some(cmp_str(x, y)),
                    _ => {
                        return Err(Error::new(
                            "T2009",
                            pos,
                            format!("The values {} and {} either side of operator `{}` must be of the same data type", a.describe(), b.describe(), op.symbol()),
                        )
                        .with_token(op.symbol()));
                    }
                };
                let res = match ord {
                    None => false,
                    Some(o) => match op {
                        BinaryOp::Less => o == Ordering::Less,
                        BinaryOp::LessEqual => o != Ordering::Greater,
                        BinaryOp::Greater => o == Ordering::Greater,
                        _ => o != Ordering::Less,
                    },
                };
                Ok(Some(Value::Bool(res)))
            }
            BinaryOp::Concat => {
                let mut parts = Vec::with_capacity(2);
                for v in [&l, &r].into_iter().flatten() {
                    parts.push(crate::functions::to_string(v, pos)?);
                }
                self.check_room(parts.iter().map(|p| p.len() as u64).sum(), pos)?;
                Ok(Some(Value::str(&parts.concat())))
            }
            BinaryOp::In => {
                let (Some(a), Some(b)) = (&l, &r) else {
                    return Ok(Some(Value::Bool(false)));
                };
                let found = match b {
                    Value::Array(arr) => self.contains(arr, a),
                    v => deep_equal(v, a),
                };
                Ok(Some(Value::Bool(found)))
            }
            BinaryOp::And | BinaryOp::Or | BinaryOp::Range => Ok(None),
        }
    }

    // ----- functions ---------------------------------------------------------------------

    #[inline(never)]
    fn apply_op(
        &mut self,
        lhs: &Expr,
        rhs: &Expr,
        pos: usize,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let l = self.eval(lhs, input, frame)?;
        if let ExprKind::Call { procedure, args } = &rhs.kind {
            let r = self.call(procedure, args, Some(l), rhs.position, input, frame)?;
            // The call node's own predicates and flags still apply.
            let mut r = r;
            for f in &rhs.predicate {
                r = self.filter(&f.expr, r, frame)?;
            }
            return Ok(finish(r, rhs.keep_array));
        }
        let f = self.eval(rhs, input, frame)?;
        if !matches!(f, Some(Value::Function(_))) {
            return Err(Error::new(
                "T2006",
                pos,
                "The right side of the function application operator ~> must be a function",
            ));
        }
        if let Some(Value::Function(_)) = &l {
            let (Some(a), Some(b)) = (l, f) else {
                return Ok(None);
            };
            return Ok(Some(Value::func(Function::Chain(a, b))));
        }
        self.apply(f, vec![l], None, pos)
    }

    #[inline(never)]
    fn call(
        &mut self,
        procedure: &Expr,
        args: &[Expr],
        applyto: Option<Option<Value>>,
        pos: usize,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let proc = self.eval(procedure, input, frame)?;
        let mut values = Vec::with_capacity(args.len() + 1);
        if let Some(a) = applyto {
            values.push(a);
        }
        for a in args {
            values.push(self.eval(a, input, frame)?);
        }
        self.check_callable(&proc, procedure, pos, "T1006")?;
        self.apply(proc, values, input, pos).map_err(|mut e| {
            // Errors raised by the call itself name the function, as the reference's do.
            if e.token.is_none() {
                e.token = procedure_name(procedure);
            }
            e
        })
    }

    fn check_callable(
        &self,
        proc: &Option<Value>,
        procedure: &Expr,
        pos: usize,
        code: &'static str,
    ) -> Result<()> {
        if let Some(Value::Function(_)) = proc {
            return Ok(());
        }
        let name = match &procedure.kind {
            ExprKind::Variable(v) => Some(v.clone()),
            ExprKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
                Some(ExprKind::Name(n)) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        };
        let e = if proc.is_none()
            && matches!(procedure.kind, ExprKind::Path { .. })
            && name.as_ref().is_some_and(|n| {
                self.env.functions.contains_key(n.as_str())
                    || crate::functions::builtin(n).is_some()
            }) {
            let n = name.clone().unwrap_or_default();
            Error::new(
                if code == "T1006" { "T1005" } else { "T1007" },
                pos,
                format!("Attempted to invoke a non-function. Did you mean ${n}?"),
            )
        } else {
            Error::new(code, pos, "Attempted to invoke a non-function")
        };
        Err(match name {
            Some(n) => e.with_token(n),
            None => e,
        })
    }

    #[inline(never)]
    fn partial(
        &mut self,
        procedure: &Expr,
        args: &[Expr],
        pos: usize,
        input: Option<&Value>,
        frame: &Rc<Frame>,
    ) -> Result<Option<Value>> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            if matches!(a.kind, ExprKind::Placeholder) {
                values.push(None);
            } else {
                values.push(Some(self.eval(a, input, frame)?));
            }
        }
        let proc = self.eval(procedure, input, frame)?;
        self.check_callable(&proc, procedure, pos, "T1008")?;
        let Some(func) = proc else { return Ok(None) };
        Ok(Some(Value::func(Function::Partial { func, args: values })))
    }

    /// Calls a function value with evaluated arguments.
    pub fn apply(
        &mut self,
        proc: Option<Value>,
        args: Vec<Option<Value>>,
        input: Option<&Value>,
        pos: usize,
    ) -> Result<Option<Value>> {
        let mut flow = self.apply_inner(proc, args, input, pos)?;
        loop {
            match flow {
                Flow::Done(v) => return Ok(v),
                Flow::Tail {
                    proc,
                    args,
                    input,
                    position,
                } => {
                    self.tick(position)?;
                    flow = self.apply_inner(proc, args, input.as_ref(), position)?;
                }
            }
        }
    }

    fn apply_inner(
        &mut self,
        proc: Option<Value>,
        args: Vec<Option<Value>>,
        input: Option<&Value>,
        pos: usize,
    ) -> Result<Flow> {
        let Some(Value::Function(f)) = proc else {
            return Err(Error::new(
                "T1006",
                pos,
                "Attempted to invoke a non-function",
            ));
        };
        match &*f {
            Function::Lambda {
                params,
                signature,
                body,
                frame,
                input: captured,
            } => {
                let args = match signature {
                    Some(sig) => validate(sig, args, input, pos)?,
                    None => args,
                };
                let env = self.new_frame(frame);
                {
                    let mut vars = env.vars.borrow_mut();
                    let mut args = args.into_iter();
                    for p in params {
                        if let Some(Some(v)) = args.next() {
                            vars.insert(Rc::from(p.as_str()), Some(v));
                        }
                    }
                }
                self.depth += 1;
                let r = if self.depth > self.max_depth {
                    Err(Error::new(
                        "U1001",
                        pos,
                        "Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.",
                    ))
                } else {
                    self.eval_tail(body, captured.as_ref(), &env)
                };
                self.depth -= 1;
                r
            }
            _ => self.apply_other(&f, args, input, pos),
        }
    }

    /// Calls everything but a lambda; out of [`Self::apply_inner`] so the frames of recursive
    /// lambda calls stay small.
    #[inline(never)]
    fn apply_other(
        &mut self,
        f: &Rc<Function>,
        args: Vec<Option<Value>>,
        input: Option<&Value>,
        pos: usize,
    ) -> Result<Flow> {
        match &**f {
            Function::Builtin { signature, imp, .. } => {
                let args = validate(signature, args, input, pos)?;
                let call = Call {
                    input,
                    position: pos,
                };
                // Charged while the arguments are still held, so that returning one of them
                // is not mistaken for a new value.
                let r = imp(self, &args, &call)?;
                self.charge_result(&r, pos)?;
                Ok(Flow::Done(r))
            }
            Function::Native(n) => {
                let args = match &n.signature {
                    Some(sig) => validate(sig, args, input, pos)?,
                    None => args,
                };
                let json: Vec<Option<serde_json::Value>> =
                    args.iter().map(|a| a.as_ref().and_then(to_json)).collect();
                let r = (n.function)(&json).map_err(|mut e| {
                    if e.position == 0 {
                        e.position = pos;
                    }
                    Box::new(e)
                })?;
                let r = match r {
                    Some(v) => Some(from_json(&v).map_err(|mut e| {
                        e.position = pos;
                        e
                    })?),
                    None => None,
                };
                self.charge_result(&r, pos)?;
                Ok(Flow::Done(r))
            }
            Function::Partial { func, args: bound } => {
                let mut supplied = args.into_iter();
                let filled: Vec<Option<Value>> = bound
                    .iter()
                    .map(|a| match a {
                        Some(v) => v.clone(),
                        None => supplied.next().flatten(),
                    })
                    .collect();
                self.apply_inner(Some(func.clone()), filled, input, pos)
            }
            Function::Chain(a, b) => {
                let v = self.apply(Some(a.clone()), args, input, pos)?;
                self.apply(Some(b.clone()), vec![v], input, pos)
                    .map(Flow::Done)
            }
            Function::Transform {
                pattern,
                update,
                delete,
                frame,
            } => {
                let sig = crate::functions::transform_signature();
                let args = validate(sig, args, input, pos)?;
                let obj = args.into_iter().next().flatten();
                self.transform(obj, pattern, update, delete.as_deref(), frame, pos)
                    .map(Flow::Done)
            }
            Function::Regex(re) => {
                let text = match args.into_iter().next().flatten() {
                    Some(Value::String(s)) => s,
                    None => return Ok(Flow::Done(None)),
                    Some(_) => {
                        return Err(Error::new(
                            "T0410",
                            pos,
                            "Argument 1 of a regex must be a string",
                        ));
                    }
                };
                Ok(Flow::Done(crate::functions::regex_match(re, &text, 0)))
            }
            Function::RegexNext { regex, text, from } => Ok(Flow::Done(
                crate::functions::regex_match(regex, text, *from),
            )),
            Function::Lambda { .. } => Ok(Flow::Done(None)),
        }
    }

    /// Evaluates a lambda body, handing a call in tail position back to [`Self::apply`].
    fn eval_tail(&mut self, e: &Expr, input: Option<&Value>, frame: &Rc<Frame>) -> Result<Flow> {
        let plain =
            e.predicate.is_empty() && e.group.is_none() && e.stages.is_empty() && !e.keep_array;
        if plain {
            match &e.kind {
                ExprKind::Call { procedure, args } => {
                    self.tick(e.position)?;
                    let proc = self.eval(procedure, input, frame)?;
                    let mut values = Vec::with_capacity(args.len());
                    for a in args {
                        values.push(self.eval(a, input, frame)?);
                    }
                    self.check_callable(&proc, procedure, e.position, "T1006")?;
                    return Ok(Flow::Tail {
                        proc,
                        args: values,
                        input: input.cloned(),
                        position: e.position,
                    });
                }
                ExprKind::Condition {
                    condition,
                    then,
                    otherwise,
                } => {
                    self.tick(e.position)?;
                    let c = self.eval(condition, input, frame)?;
                    return if truthy(&c) {
                        self.eval_tail(then, input, frame)
                    } else if let Some(o) = otherwise {
                        self.eval_tail(o, input, frame)
                    } else {
                        Ok(Flow::Done(None))
                    };
                }
                ExprKind::Block(items) if !items.is_empty() => {
                    self.tick(e.position)?;
                    let inner = self.new_frame(frame);
                    for item in &items[..items.len() - 1] {
                        self.eval(item, input, &inner)?;
                    }
                    return self.eval_tail(&items[items.len() - 1], input, &inner);
                }
                _ => {}
            }
        }
        self.eval(e, input, frame).map(Flow::Done)
    }

    #[inline(never)]
    fn transform(
        &mut self,
        obj: Option<Value>,
        pattern: &Expr,
        update: &Expr,
        delete: Option<&Expr>,
        frame: &Rc<Frame>,
        pos: usize,
    ) -> Result<Option<Value>> {
        let Some(obj) = obj else { return Ok(None) };
        let matches = self.eval(pattern, Some(&obj), frame)?;
        let matches = match matches {
            None => return Ok(Some(obj)),
            Some(Value::Array(a)) => a.items.clone(),
            Some(v) => vec![v],
        };
        let mut edits: Edits = HashMap::new();
        for m in &matches {
            let upd = self.eval(update, Some(m), frame)?;
            let upd = match upd {
                None => None,
                Some(Value::Object(o)) => Some(o),
                Some(v) => {
                    return Err(Error::new(
                        "T2011",
                        update.position,
                        format!(
                            "The insert/update clause of the transform expression must evaluate to an object: {}",
                            v.describe()
                        ),
                    ));
                }
            };
            let mut dels = Vec::new();
            if let Some(d) = delete {
                match self.eval(d, Some(m), frame)? {
                    None => {}
                    Some(v) => {
                        for item in v.items() {
                            match item {
                                Value::String(s) => dels.push(s.to_string()),
                                _ => {
                                    return Err(Error::new(
                                        "T2012",
                                        d.position,
                                        format!(
                                            "The delete clause of the transform expression must evaluate to a string or array of strings: {}",
                                            v.describe()
                                        ),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            if let Value::Object(o) = m {
                edits
                    .entry(Rc::as_ptr(o) as usize)
                    .or_default()
                    .push((upd, dels));
            }
        }
        let _ = pos;
        Ok(Some(rebuild(&obj, &edits)))
    }
}

/// A transform's updates and deletions, keyed by the address of the object they apply to.
type Edits = HashMap<usize, Vec<(Option<Rc<crate::value::Object>>, Vec<String>)>>;

/// Copies `v`, applying the transform's edits to the objects they were computed for.
fn rebuild(v: &Value, edits: &Edits) -> Value {
    match v {
        Value::Object(o) => {
            let mut map: Map = o
                .iter()
                .map(|(k, v)| (k.clone(), rebuild(v, edits)))
                .collect();
            if let Some(list) = edits.get(&(Rc::as_ptr(o) as usize)) {
                for (upd, dels) in list {
                    if let Some(u) = upd {
                        for (k, v) in u.iter() {
                            map.insert(k.clone(), v.clone());
                        }
                    }
                    for d in dels {
                        map.shift_remove(d);
                    }
                }
            }
            Value::object(map)
        }
        Value::Array(a) => Array {
            items: a.items.iter().map(|i| rebuild(i, edits)).collect(),
            ..(**a).clone()
        }
        .into_value(),
        other => other.clone(),
    }
}

/// The address of a local variable: how deep the stack is here (it grows the same way on every
/// target, so the distance between two such addresses is the stack used in between).
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The end of an expression's evaluation: sequences of one item are unwrapped (unless kept as
/// arrays), and empty ones become `undefined`.
fn finish(result: Option<Value>, keep_array: bool) -> Option<Value> {
    match result {
        Some(Value::Array(mut a)) if a.seq => {
            if keep_array && !a.keep {
                Rc::make_mut(&mut a).keep = true;
            }
            match a.items.len() {
                0 => None,
                1 if !a.keep => Some(a.items[0].clone()),
                _ => Some(Value::Array(a)),
            }
        }
        other => other,
    }
}

/// A stable merge sort that tolerates an inconsistent comparator (the standard library's sorts
/// may panic on one, and comparisons that fail record an error and answer `Equal`).
pub(crate) fn stable_sort<T: Clone>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    fn go<T: Clone>(items: &mut [T], buf: &mut Vec<T>, cmp: &mut impl FnMut(&T, &T) -> Ordering) {
        let n = items.len();
        if n <= 1 {
            return;
        }
        let mid = n / 2;
        go(&mut items[..mid], buf, cmp);
        go(&mut items[mid..], buf, cmp);
        buf.clear();
        let (mut i, mut j) = (0, mid);
        while i < mid && j < n {
            if cmp(&items[j], &items[i]) == Ordering::Less {
                buf.push(items[j].clone());
                j += 1;
            } else {
                buf.push(items[i].clone());
                i += 1;
            }
        }
        buf.extend_from_slice(&items[i..mid]);
        buf.extend_from_slice(&items[j..n]);
        items.clone_from_slice(buf);
    }
    let mut buf = Vec::with_capacity(items.len());
    go(items, &mut buf, &mut cmp);
}

/// Compares strings by UTF-16 code units, as JavaScript does.
pub(crate) fn cmp_str(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The name a call's procedure is written with (`$f(…)` gives `f`).
fn procedure_name(procedure: &Expr) -> Option<String> {
    match &procedure.kind {
        ExprKind::Variable(v) => Some(v.clone()),
        ExprKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
            Some(ExprKind::Name(n)) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn parent_name(slot: usize) -> String {
    format!("%{slot}")
}

/// A field of an object, or of every object in an array (flattened).
fn lookup(input: Option<&Value>, key: &str) -> Option<Value> {
    match input? {
        Value::Object(m) => m.get(key).cloned(),
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup(Some(item), key) {
                    Some(Value::Array(inner)) => out.extend(inner.items.iter().cloned()),
                    Some(v) => out.push(v),
                    None => {}
                }
            }
            Some(Value::seq(out))
        }
        _ => None,
    }
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(a) => a.items.iter().for_each(|i| flatten_into(i, out)),
        v => out.push(v.clone()),
    }
}

fn wildcard(input: Option<&Value>) -> Option<Value> {
    let mut input = input?;
    if let Value::Array(a) = input
        && a.outer
        && !a.items.is_empty()
    {
        input = &a.items[0];
    }
    let mut out = Vec::new();
    match input {
        Value::Object(m) => {
            for v in m.values() {
                flatten_into(v, &mut out);
            }
        }
        // An array is an object whose keys are its indexes in JavaScript.
        Value::Array(a) => {
            for v in &a.items {
                flatten_into(v, &mut out);
            }
        }
        _ => {}
    }
    Some(Value::seq(out))
}

fn descendants(input: Option<&Value>) -> Option<Value> {
    let input = input?;
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(a) => a.items.iter().for_each(|i| walk(i, out)),
            Value::Object(m) => {
                out.push(v.clone());
                m.values().for_each(|i| walk(i, out));
            }
            v => out.push(v.clone()),
        }
    }
    walk(input, &mut out);
    if out.len() == 1 {
        return out.pop();
    }
    Some(Value::seq(out))
}

/// Adapts a JavaScript regular expression to the `regex` syntax where they differ.
fn translate_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push_str("\\\\");
                    break;
                };
                if n.is_ascii_alphanumeric() || "\\.+*?()|[]{}^$#&-~ ".contains(n) {
                    out.push('\\');
                    out.push(n);
                } else {
                    // JavaScript lets any punctuation be escaped; write it literally.
                    push_literal(&mut out, n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    // `[]` matches nothing and `[^]` anything in JavaScript.
                    chars.next();
                    in_class = false;
                    if out.ends_with('^') {
                        out.truncate(out.len() - 2);
                        out.push_str("(?s:.)");
                    } else {
                        out.truncate(out.len() - 1);
                        out.push_str("[^\\s\\S]");
                    }
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

fn push_literal(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}
