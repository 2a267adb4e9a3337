//! The evaluator's values: JSON plus what JSONata adds (functions, regexes, sequences and the
//! tuple streams of paths that bind variables). Compound values are reference-counted so that
//! navigating a document or passing values to functions never copies them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::ast::Expr;
use crate::signature::Signature;

/// An object: keys in insertion order, hashed with [`FastHash`].
pub(crate) type Map = IndexMap<String, Value, FastHash>;

/// A small multiplicative hasher (in the style of rustc's FxHash) for the evaluator's maps:
/// keys are short strings, and the standard hasher's per-map random seed and SipHash rounds
/// made converting input documents several times slower. Deterministic, so the crate stays
/// free of randomness.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A JSONata value. `undefined` is `Option::None` wherever a value may be missing.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Array>),
    Object(Rc<Object>),
    Function(Rc<Function>),
    /// The binding tuples of a path step that binds variables (`@`, `#`, `%`).
    Tuples(Rc<Vec<Tuple>>),
}

/// An array, or a sequence (the flattened result of a path) with its flags.
#[derive(Clone, Debug, Default)]
pub(crate) struct Array {
    pub items: Vec<Value>,
    /// A sequence: unwrapped when it holds one item, `undefined` when it holds none.
    pub seq: bool,
    /// `[]` was applied: a one-item sequence stays an array.
    pub keep: bool,
    /// Built by an array constructor: not flattened into a path's result.
    pub cons: bool,
    /// The input document was an array and got wrapped.
    pub outer: bool,
    /// How deeply arrays and objects nest inside (see [`MAX_NESTING`]).
    pub depth: u32,
}

/// An object, with how deeply arrays and objects nest inside it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Object {
    pub map: Map,
    pub depth: u32,
}

impl std::ops::Deref for Object {
    type Target = Map;
    fn deref(&self) -> &Map {
        &self.map
    }
}

/// The deepest nesting of arrays and objects a value may have. Tail recursion can build data
/// of any depth in constant stack, but converting, comparing, printing and dropping it recurse;
/// bounding it here keeps all of those within the stack. Deeper values fail with `U1001`.
pub(crate) const MAX_NESTING: u32 = 1000;

/// The nesting depth of a value: 0 for scalars.
pub(crate) fn nesting(v: &Value) -> u32 {
    match v {
        Value::Array(a) => a.depth,
        Value::Object(o) => o.depth,
        _ => 0,
    }
}

fn nesting_of<'a>(values: impl Iterator<Item = &'a Value>) -> u32 {
    1 + values.map(nesting).max().unwrap_or(0)
}

impl Array {
    /// Wraps the array as a value, recording its depth.
    pub fn into_value(mut self) -> Value {
        self.depth = nesting_of(self.items.iter());
        Value::Array(Rc::new(self))
    }
}

/// One tuple of a tuple stream: the context value and variable bindings.
#[derive(Clone, Debug)]
pub(crate) struct Tuple {
    pub at: Value,
    pub bindings: Vec<(Rc<str>, Value)>,
}

impl Tuple {
    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(slot) = self.bindings.iter_mut().find(|(n, _)| &**n == name) {
            slot.1 = value;
        } else {
            self.bindings.push((Rc::from(name), value));
        }
    }
}

/// A scope of variables. Frames are linked to their parent; closures keep theirs alive.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    /// `None` is a variable bound to `undefined`, which hides an outer one.
    pub vars: RefCell<HashMap<Rc<str>, Option<Value>>>,
    pub parent: Option<Rc<Frame>>,
}

impl Frame {
    pub fn child(parent: &Rc<Frame>) -> Rc<Frame> {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: Some(parent.clone()),
        })
    }

    pub fn bind(&self, name: &str, value: Option<Value>) {
        self.vars.borrow_mut().insert(Rc::from(name), value);
    }

    /// The binding of `name`: `Some(None)` when it is bound to `undefined`.
    pub fn lookup_entry(&self, name: &str) -> Option<Option<Value>> {
        let mut frame = self;
        loop {
            if let Some(v) = frame.vars.borrow().get(name) {
                return Some(v.clone());
            }
            match &frame.parent {
                Some(p) => frame = p,
                None => return None,
            }
        }
    }

    pub fn lookup(&self, name: &str) -> Option<Value> {
        self.lookup_entry(name).flatten()
    }
}

/// The signature of a built-in function's implementation.
pub(crate) type BuiltinFn =
    fn(&mut crate::eval::Evaluator, &[Option<Value>], &Call) -> crate::error::Result<Option<Value>>;

/// What a built-in function can see about the call.
pub(crate) struct Call<'a> {
    pub input: Option<&'a Value>,
    pub position: usize,
}

/// Everything callable.
#[derive(Debug)]
pub(crate) enum Function {
    Lambda {
        params: Vec<String>,
        signature: Option<Arc<Signature>>,
        body: Arc<Expr>,
        frame: Rc<Frame>,
        input: Option<Value>,
    },
    Builtin {
        signature: &'static Signature,
        imp: BuiltinFn,
    },
    Native(Rc<crate::NativeFunction>),
    /// A partial application: `None` arguments are the placeholders still to fill.
    Partial {
        func: Value,
        args: Vec<Option<Option<Value>>>,
    },
    /// `f ~> g` with two functions: `g(f(x))`.
    Chain(Value, Value),
    Transform {
        pattern: Arc<Expr>,
        update: Arc<Expr>,
        delete: Option<Arc<Expr>>,
        frame: Rc<Frame>,
    },
    Regex(Rc<regex_lite::Regex>),
    /// The `next` of a regex match object: the same regex from a later offset.
    RegexNext {
        regex: Rc<regex_lite::Regex>,
        text: Rc<str>,
        from: usize,
    },
}

impl Function {
    /// The number of parameters, for `$length` of a function... and HOFs passing extra args.
    pub fn arity(&self) -> usize {
        match self {
            Function::Lambda { params, .. } => params.len(),
            // Built-in functions get only their required arguments from `$map` and friends.
            Function::Builtin { signature, .. } => {
                signature.params.iter().filter(|p| !p.optional).count()
            }
            Function::Native(n) => n
                .signature
                .as_ref()
                .map_or(1, |s| s.params.iter().filter(|p| !p.optional).count()),
            Function::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Function::Chain(..) | Function::Transform { .. } => 1,
            Function::Regex(_) | Function::RegexNext { .. } => 1,
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn array(items: Vec<Value>) -> Value {
        Array {
            items,
            ..Array::default()
        }
        .into_value()
    }

    pub fn seq(items: Vec<Value>) -> Value {
        Array {
            items,
            seq: true,
            ..Array::default()
        }
        .into_value()
    }

    pub fn object(map: Map) -> Value {
        let depth = nesting_of(map.values());
        Value::Object(Rc::new(Object { map, depth }))
    }

    pub fn func(f: Function) -> Value {
        Value::Function(Rc::new(f))
    }

    /// JSONata's type name, as `$type` reports it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) | Value::Tuples(_) => "array",
            Value::Object(_) => "object",
            Value::Function(_) => "function",
        }
    }

    /// The items of an array, or the value as a one-item list.
    pub fn items(&self) -> Vec<Value> {
        match self {
            Value::Array(a) => a.items.clone(),
            v => vec![v.clone()],
        }
    }

    /// The value as a plain JSON for messages.
    pub fn describe(&self) -> String {
        match self {
            Value::String(s) => format!("\"{s}\""),
            Value::Function(_) => "function".into(),
            v => stringify(v, false, false).unwrap_or_default(),
        }
    }
}

/// JSONata's deep equality (`=`): numbers by value, objects regardless of key order,
/// functions only when identical.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// A hash consistent with [`deep_equal`]: equal values hash alike (`0` and `-0` included;
/// object entries are combined in any order, as `deep_equal` ignores key order), so sets of
/// values can be found by hash and confirmed with `deep_equal` instead of compared pairwise.
pub(crate) fn deep_hash(v: &Value) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    fn mix(tag: u8, h: impl Hash) -> u64 {
        let mut hasher = FastHash.build_hasher();
        tag.hash(&mut hasher);
        h.hash(&mut hasher);
        hasher.finish()
    }
    match v {
        Value::Null => mix(0, 0u8),
        Value::Bool(b) => mix(1, b),
        // `+ 0.0` turns `-0` into `0`.
        Value::Number(n) => mix(2, (n + 0.0).to_bits()),
        Value::String(s) => mix(3, &**s),
        Value::Array(a) => mix(4, a.items.iter().map(deep_hash).collect::<Vec<_>>()),
        Value::Object(o) => mix(
            5,
            o.iter()
                .map(|(k, v)| mix(6, (k, deep_hash(v))))
                .fold(0u64, u64::wrapping_add),
        ),
        Value::Function(f) => mix(7, Rc::as_ptr(f) as *const u8 as usize),
        Value::Tuples(t) => mix(4, t.iter().map(|t| deep_hash(&t.at)).collect::<Vec<_>>()),
    }
}

/// An index of some items of a list by [`deep_hash`], to ask whether a value equals one of
/// them in constant time. It holds positions, not values; the list is passed to each call.
/// Most hashes are unique, so the first position with a hash is kept in one map and only
/// collisions of unequal values go to a second.
#[derive(Default)]
pub(crate) struct ValueIndex {
    first: HashMap<u64, usize, FastHash>,
    more: HashMap<u64, Vec<usize>, FastHash>,
}

impl ValueIndex {
    /// The position of an indexed item of `items` equal to `v`.
    pub fn find(&self, items: &[Value], v: &Value) -> Option<usize> {
        self.find_hashed(items, v, deep_hash(v))
    }

    fn find_hashed(&self, items: &[Value], v: &Value, hash: u64) -> Option<usize> {
        let &first = self.first.get(&hash)?;
        if deep_equal(&items[first], v) {
            return Some(first);
        }
        let more = self.more.get(&hash)?;
        more.iter().copied().find(|&i| deep_equal(&items[i], v))
    }

    /// Indexes `items[i]` unless an equal item is indexed already; tells whether it was.
    pub fn insert(&mut self, items: &[Value], i: usize) -> bool {
        let hash = deep_hash(&items[i]);
        if self.find_hashed(items, &items[i], hash).is_some() {
            return false;
        }
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.more.entry(hash).or_default().push(i);
            }
        }
        true
    }
}

/// Converts JSON (input, bindings, results of native functions) into a value. JSON nested
/// more than [`MAX_NESTING`] levels is refused with `U1001`.
pub(crate) fn from_json(v: &serde_json::Value) -> crate::error::Result<Value> {
    convert(v, 0).ok_or_else(|| {
        crate::error::Error::new(
            "U1001",
            0,
            "Stack overflow error: the JSON nests arrays and objects too deeply",
        )
    })
}

fn convert(v: &serde_json::Value, depth: u32) -> Option<Value> {
    if depth > MAX_NESTING {
        return None;
    }
    Some(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => Value::array(
            items
                .iter()
                .map(|i| convert(i, depth + 1))
                .collect::<Option<_>>()?,
        ),
        serde_json::Value::Object(map) => Value::object(
            map.iter()
                .map(|(k, v)| convert(v, depth + 1).map(|v| (k.clone(), v)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// A number as JSON: integers without a fraction, non-finite numbers as `null`.
pub(crate) fn json_number(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// Converts a value into JSON. Functions become `None` (and are left out of objects and
/// arrays), as `JSON.stringify` does.
pub(crate) fn to_json(v: &Value) -> Option<serde_json::Value> {
    Some(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => json_number(*n),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(a) => serde_json::Value::Array(
            a.items
                .iter()
                .map(|i| to_json(i).unwrap_or(serde_json::Value::Null))
                .collect(),
        ),
        Value::Tuples(t) => serde_json::Value::Array(
            t.iter()
                .map(|i| to_json(&i.at).unwrap_or(serde_json::Value::Null))
                .collect(),
        ),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .filter_map(|(k, v)| to_json(v).map(|j| (k.clone(), j)))
                .collect(),
        ),
        Value::Function(_) => return None,
    })
}

/// A number as JavaScript's `Number.prototype.toString` writes it.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    // Rust's shortest round-trip digits, laid out by JavaScript's rules.
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let point = exp + 1;
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    if k <= point && point <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (point - k) as usize));
    } else if 0 < point && point <= 21 {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = point - 1;
        let _ = write!(out, "e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    out
}

/// A number rounded to 15 significant digits, as `$string` and `&` write numbers.
pub(crate) fn js_number_15(n: f64) -> String {
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    js_number(rounded)
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `JSON.stringify` as `$string` uses it: numbers to 15 significant digits, functions as `""`,
/// optionally indented by two spaces. `Err` carries a non-finite number.
pub(crate) fn stringify(v: &Value, pretty: bool, round: bool) -> Result<String, f64> {
    let mut out = String::new();
    write_json(&mut out, v, pretty, round, 0)?;
    Ok(out)
}

fn newline(out: &mut String, pretty: bool, depth: usize) {
    if pretty {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    }
}

fn write_json(
    out: &mut String,
    v: &Value,
    pretty: bool,
    round: bool,
    depth: usize,
) -> Result<(), f64> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if !n.is_finite() {
                return Err(*n);
            }
            out.push_str(&if round {
                js_number_15(*n)
            } else {
                js_number(*n)
            });
        }
        Value::String(s) => push_json_string(out, s),
        Value::Function(_) => out.push_str("\"\""),
        Value::Array(_) | Value::Tuples(_) => {
            let items = match v {
                Value::Array(a) => a.items.clone(),
                Value::Tuples(t) => t.iter().map(|t| t.at.clone()).collect(),
                _ => Vec::new(),
            };
            out.push('[');
            if items.is_empty() {
                out.push(']');
                return Ok(());
            }
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                write_json(out, item, pretty, round, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            if m.is_empty() {
                out.push('}');
                return Ok(());
            }
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                push_json_string(out, k);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, item, pretty, round, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push('}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1e20), "100000000000000000000");
        assert_eq!(js_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(js_number(1e-7), "1e-7");
        assert_eq!(js_number(0.000001), "0.000001");
        assert_eq!(js_number(-2.5), "-2.5");
        assert_eq!(js_number(3.0), "3");
        assert_eq!(js_number_15(0.1 + 0.2), "0.3");
    }
}
