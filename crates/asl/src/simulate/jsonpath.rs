//! Evaluating JSONPath the way AWS Step Functions does, and placing results with `ResultPath`.
//!
//! Step Functions evaluates paths with the Java Jayway JsonPath library. This module follows
//! Jayway's evaluation (read from its source) rather than any JSONPath standard:
//!
//! * A *definite* path gives one value, or nothing when a step is missing. Jayway counts `.name`,
//!   `[index]`, a function and a union of names `['a','b']` at the very end (which merges the
//!   named members into one object) as definite; anything else makes the result a list of every
//!   match, possibly empty. Negative indexes count from the end.
//! * Some misses make Jayway throw even in an indefinite path: a missing member or a
//!   non-object/non-array met while every earlier step was definite (`$.nope[*]`,
//!   `$.str[0:2]`), a filter applied to a scalar in that position, an aggregate function over no
//!   numbers. Step Functions gives `[]` for such a list path (recorded AWS executions show
//!   `$.items[*]` and `$.items[1:]` on `{}` giving `[]`); a definite path gives `None`.
//! * A slice `[from:to]` walks the raw positions `from..min(to, len)`, so a negative `from` with a
//!   non-negative `to` wraps around (`[-2:1]` on 4 items gives items 2, 3, 0) and a negative `to`
//!   selects nothing; `[from:]` and `[:to]` count negative bounds from the end.
//! * A filter on an array tests each element; on an object it tests the object itself.
//! * `..` visits every object and array of the subtree in pre-order, applying the step to each;
//!   Jayway's quirk for a non-final array step after `..` (`$..[0].a` applies `.a` to every
//!   element of every array) is kept.
//! * Functions: `length()`/`size()` count an array's items or an object's members (anything else
//!   gives `null`); `min()`, `max()`, `avg()`, `stddev()`, `sum()` are doubles over the numbers
//!   of an array. After an indefinite prefix the function applies to each match, except for paths
//!   starting with `..`, which Jayway rewrites: `$..x.sum()` aggregates every match of `$..x`
//!   (plus the root's own numbers when the root is an array) and `$..x.length()` counts the
//!   matches of `$..x.*`.
//!
//! Filter comparisons follow Jayway's value nodes: numbers compare numerically (`1 == 1.0`), a
//! number and a string compare through the number's text, arrays and objects compare by value,
//! a missing operand equals nothing (so `@.missing != 1` holds). `=~` matches the whole string
//! (see [`compile_regex`]).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use super::Roots;
use crate::syntax::{
    CompareOp, FilterExpr, FilterPath, FilterRoot, Literal, Operand, Path, PathFunction, Root,
    Segment, Selector,
};

/// The value `path` selects, or None when it selects nothing.
///
/// A definite path (see the module docs) gives its value; any other path gives a JSON array of
/// every match, possibly empty. `None` also covers the evaluations Jayway aborts with an error
/// and a `$name` root naming no variable.
pub(super) fn select(path: &Path, roots: Roots) -> Option<Value> {
    let base = root_value(&path.root, roots)?;
    let mut engine = Engine::new(roots);
    let nodes = engine.run(base, &path.segments, false);
    if is_definite(&path.segments) {
        nodes.ok()?.into_iter().next().map(Cow::into_owned)
    } else {
        // Recorded AWS executions: a list path whose prefix is missing gives `[]`.
        let nodes = nodes.unwrap_or_default();
        Some(Value::Array(
            nodes.into_iter().map(Cow::into_owned).collect(),
        ))
    }
}

/// Jayway's canonical text of a path, as AWS prints it in error causes: `$.a.b[0]` ->
/// `$['a']['b'][0]`.
///
/// Names are quoted with `'` as written (Jayway keeps the quote the path used; the AST does not
/// record it), filters show as `[?]`, functions as `.length()`. Roots print as written (`$`,
/// `$$`, `$name`).
pub(super) fn canonical(path: &Path) -> String {
    let mut out = path.root.to_string();
    for segment in &path.segments {
        match segment {
            Segment::Child(selector) => write_selector(&mut out, selector),
            Segment::Descendant(selector) => {
                out.push_str("..");
                write_selector(&mut out, selector);
            }
            Segment::Function(function) => {
                out.push('.');
                out.push_str(function.name());
                out.push_str("()");
            }
        }
    }
    out
}

fn write_selector(out: &mut String, selector: &Selector) {
    let join = |out: &mut String, parts: Vec<String>| {
        out.push('[');
        out.push_str(&parts.join(","));
        out.push(']');
    };
    match selector {
        Selector::Name(name) => join(out, vec![format!("'{name}'")]),
        Selector::Names(names) => join(out, names.iter().map(|n| format!("'{n}'")).collect()),
        Selector::Index(index) => join(out, vec![index.to_string()]),
        Selector::Indexes(indexes) => join(out, indexes.iter().map(i64::to_string).collect()),
        Selector::Wildcard => out.push_str("[*]"),
        Selector::Slice { start, end } => {
            let bound = |b: &Option<i64>| b.map(|b| b.to_string()).unwrap_or_default();
            out.push_str(&format!("[{}:{}]", bound(start), bound(end)));
        }
        Selector::Filter(_) => out.push_str("[?]"),
    }
}

/// `ResultPath` could not be applied: AWS's `States.ResultPathMatchFailure` cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unable to apply ReferencePath {path} to input {input}")]
pub(super) struct PlaceError {
    /// The path as written in the definition.
    pub path: String,
    /// The input the path was applied to, as compact JSON.
    pub input: String,
}

impl PlaceError {
    fn new(path_text: &str, input: &Value) -> PlaceError {
        PlaceError {
            path: path_text.to_string(),
            input: serde_json::to_string(input).unwrap_or_default(),
        }
    }
}

/// Writes `value` at `path` inside `target` (ResultPath semantics), creating missing objects on
/// the way. `path_text` is the path as written, for the error.
///
/// `$` replaces the whole target. Otherwise every step must find an object (for `.name`; a
/// missing member becomes `{}`) or an array holding the index (for `[index]`, negative from the
/// end); an existing `null` or scalar is not replaced. Any other path (only a reference path
/// should get here) or root fails too.
pub(super) fn place(
    target: Value,
    path: &Path,
    path_text: &str,
    value: Value,
) -> Result<Value, PlaceError> {
    if path.root != Root::Input || !can_place(&target, &path.segments) {
        return Err(PlaceError::new(path_text, &target));
    }
    let Some((last, init)) = path.segments.split_last() else {
        return Ok(value);
    };
    let mut target = target;
    let mut node = &mut target;
    for segment in init {
        let next = match (segment, node) {
            (Segment::Child(Selector::Name(name)), Value::Object(map)) => Some(
                map.entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new())),
            ),
            (Segment::Child(Selector::Index(index)), Value::Array(items)) => {
                position(items.len(), *index).and_then(|i| items.get_mut(i))
            }
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return Err(PlaceError::new(path_text, &target)),
        }
    }
    let placed = match (last, node) {
        (Segment::Child(Selector::Name(name)), Value::Object(map)) => {
            map.insert(name.clone(), value);
            true
        }
        (Segment::Child(Selector::Index(index)), Value::Array(items)) => {
            match position(items.len(), *index).and_then(|i| items.get_mut(i)) {
                Some(slot) => {
                    *slot = value;
                    true
                }
                None => false,
            }
        }
        _ => false,
    };
    if placed {
        Ok(target)
    } else {
        Err(PlaceError::new(path_text, &target))
    }
}

/// Whether [`place`] can write at `segments` without failing (checked before changing anything).
fn can_place(target: &Value, segments: &[Segment]) -> bool {
    // `None`: the node does not exist yet and will be created as `{}`.
    let mut node = Some(target);
    for segment in segments {
        node = match (segment, node) {
            (Segment::Child(Selector::Name(_)), None) => None,
            (Segment::Child(Selector::Name(name)), Some(Value::Object(map))) => map.get(name),
            (Segment::Child(Selector::Index(index)), Some(Value::Array(items))) => {
                match position(items.len(), *index) {
                    Some(i) => items.get(i),
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    true
}

/// The position `index` designates in an array of `len` items (negative counts from the end).
fn position(len: usize, index: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let index = if index < 0 { len + index } else { index };
    if (0..len).contains(&index) {
        usize::try_from(index).ok()
    } else {
        None
    }
}

fn root_value<'a>(root: &Root, roots: Roots<'a>) -> Option<&'a Value> {
    match root {
        Root::Input => Some(roots.input),
        Root::Context => Some(roots.context),
        Root::Variable(name) => roots.variables.get(name),
    }
}

/// Whether Jayway treats the segment as selecting at most one node; `leaf` when it ends the path.
fn token_definite(segment: &Segment, leaf: bool) -> bool {
    match segment {
        Segment::Child(Selector::Name(_) | Selector::Index(_)) | Segment::Function(_) => true,
        // Names at the end are merged into one object.
        Segment::Child(Selector::Names(_)) => leaf,
        _ => false,
    }
}

/// How many leading segments are definite.
fn definite_prefix(segments: &[Segment]) -> usize {
    let n = segments.len();
    segments
        .iter()
        .enumerate()
        .position(|(i, s)| !token_definite(s, i + 1 == n))
        .unwrap_or(n)
}

/// `$..x.fn()`, which Jayway rewrites as `fn($..x)`.
fn is_rewritten_function(segments: &[Segment]) -> bool {
    matches!(
        (segments.first(), segments.last()),
        (Some(Segment::Descendant(_)), Some(Segment::Function(_)))
    )
}

fn is_definite(segments: &[Segment]) -> bool {
    is_rewritten_function(segments) || definite_prefix(segments) == segments.len()
}

/// A match: borrowed from a document, or computed (a function result, merged names).
type Node<'a> = Cow<'a, Value>;

/// Why Jayway stops an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abort {
    /// `PathNotFoundException`: a definite step found nothing.
    NotFound,
    /// `InvalidPathException`: a filter met a scalar; inside a filter it makes the test false.
    Invalid,
    /// Any other `JsonPathException` (an aggregate over no numbers): ends the whole evaluation.
    Failed,
}

type Flow = Result<(), Abort>;

/// Shared state of one evaluation: the roots and the regular expressions compiled so far.
struct Engine<'a> {
    roots: Roots<'a>,
    /// Compiled patterns keyed by the address and length of their text in the path, and the flag.
    regexes: Vec<((usize, usize, bool), Option<regex_lite::Regex>)>,
}

impl<'a> Engine<'a> {
    fn new(roots: Roots<'a>) -> Self {
        Engine {
            roots,
            regexes: Vec::new(),
        }
    }

    /// Every match of `segments` from `base`. `strict` is Jayway's `REQUIRE_PROPERTIES`, which
    /// filters use to test that a path exists.
    fn run(
        &mut self,
        base: &'a Value,
        segments: &[Segment],
        strict: bool,
    ) -> Result<Vec<Node<'a>>, Abort> {
        if is_rewritten_function(segments)
            && let Some((Segment::Function(function), prefix)) = segments.split_last()
        {
            return Ok(vec![Cow::Owned(
                self.rewritten(base, prefix, *function, strict)?,
            )]);
        }
        let mut walk = Walk {
            engine: self,
            segments,
            definite_prefix: definite_prefix(segments),
            strict,
            out: Vec::new(),
        };
        walk.step(0, base)?;
        Ok(walk.out)
    }

    /// `$..x.fn()` as Jayway evaluates it: `fn` of the root with the matches of `$..x` as argument.
    fn rewritten(
        &mut self,
        base: &'a Value,
        prefix: &[Segment],
        function: PathFunction,
        strict: bool,
    ) -> Result<Value, Abort> {
        match function {
            PathFunction::Length | PathFunction::Size => {
                // Jayway appends `.*` to the argument and counts what it selects.
                let mut segments = prefix.to_vec();
                segments.push(Segment::Child(Selector::Wildcard));
                Ok(Value::from(self.run(base, &segments, strict)?.len()))
            }
            _ => {
                let mut numbers: Vec<f64> = match base {
                    Value::Array(items) => items.iter().filter_map(Value::as_f64).collect(),
                    _ => Vec::new(),
                };
                numbers.extend(
                    self.run(base, prefix, strict)?
                        .iter()
                        .filter_map(|node| node.as_f64()),
                );
                aggregate(function, &numbers)
            }
        }
    }

    /// Whether `item` passes the filter; a filter that meets a scalar rejects the item.
    fn accept(&mut self, expr: &FilterExpr, item: &'a Value) -> Result<bool, Abort> {
        match self.test(expr, item) {
            Ok(pass) => Ok(pass),
            Err(Abort::Failed) => Err(Abort::Failed),
            Err(Abort::Invalid | Abort::NotFound) => Ok(false),
        }
    }

    fn test(&mut self, expr: &FilterExpr, item: &'a Value) -> Result<bool, Abort> {
        match expr {
            FilterExpr::Or(items) => {
                for e in items {
                    if self.test(e, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            FilterExpr::And(items) => {
                for e in items {
                    if !self.test(e, item)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            FilterExpr::Not(inner) => Ok(!self.test(inner, item)?),
            FilterExpr::Exists(path) => self.exists(path, item),
            FilterExpr::Compare { left, op, right } => {
                let left = self.operand(left, item)?;
                let right = self.operand(right, item)?;
                self.compare(&left, *op, &right)
            }
        }
    }

    fn filter_base(&self, path: &FilterPath, item: &'a Value) -> Option<&'a Value> {
        match &path.root {
            FilterRoot::Current => Some(item),
            FilterRoot::Root(root) => root_value(root, self.roots),
        }
    }

    /// A path alone in a filter. Jayway evaluates it requiring every member on the way; a
    /// definite path must find a value. Step Functions (as Step Functions Local shows) also
    /// treats a `null` value as absent: `[?(!@.key)]` keeps `{"key": null}`.
    fn exists(&mut self, path: &FilterPath, item: &'a Value) -> Result<bool, Abort> {
        let Some(base) = self.filter_base(path, item) else {
            return Ok(false);
        };
        match self.run(base, &path.segments, true) {
            Ok(nodes) if is_definite(&path.segments) => {
                Ok(nodes.first().is_some_and(|node| !node.is_null()))
            }
            Ok(_) => Ok(true),
            Err(Abort::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn operand<'v>(&mut self, operand: &'v Operand, item: &'a Value) -> Result<Val<'v>, Abort>
    where
        'a: 'v,
    {
        let path = match operand {
            Operand::Literal(literal) => return Ok(Val::literal(literal)),
            Operand::Path(path) => path,
        };
        let Some(base) = self.filter_base(path, item) else {
            return Ok(Val::Undefined);
        };
        match self.run(base, &path.segments, false) {
            Ok(nodes) if is_definite(&path.segments) => Ok(nodes
                .into_iter()
                .next()
                .map_or(Val::Undefined, Val::from_node)),
            Ok(nodes) => Ok(Val::List(nodes)),
            Err(Abort::NotFound) => Ok(Val::Undefined),
            Err(e) => Err(e),
        }
    }

    fn compare(&mut self, left: &Val, op: CompareOp, right: &Val) -> Result<bool, Abort> {
        Ok(match op {
            CompareOp::Eq => left.equals(right),
            CompareOp::Ne => !left.equals(right),
            CompareOp::Lt => left.order(right).is_some_and(Ordering::is_lt),
            CompareOp::Le => left.order(right).is_some_and(Ordering::is_le),
            CompareOp::Gt => left.order(right).is_some_and(Ordering::is_gt),
            CompareOp::Ge => left.order(right).is_some_and(Ordering::is_ge),
            CompareOp::Regex => self.regex(left, right),
            CompareOp::In => is_in(left, right)?,
            CompareOp::Nin => !is_in(left, right)?,
            CompareOp::SubsetOf => {
                let Some(right) = right.value_list()? else {
                    return Ok(false);
                };
                let Some(left) = left.value_list()? else {
                    return Ok(false);
                };
                left.iter().all(|l| right.iter().any(|r| l.equals(r)))
            }
            CompareOp::AnyOf | CompareOp::NoneOf => {
                let Some(right) = right.value_list()? else {
                    return Ok(false);
                };
                let Some(left) = left.value_list()? else {
                    return Ok(false);
                };
                let any = left.iter().any(|l| right.iter().any(|r| l.equals(r)));
                any == (op == CompareOp::AnyOf)
            }
            CompareOp::Size => {
                let Val::Num(expected) = right else {
                    return Ok(false);
                };
                let expected = int_value(expected);
                match left {
                    Val::Str(s) => utf16_len(s) == expected,
                    Val::Json(_) | Val::List(_) => left.json_len() == expected,
                    _ => false,
                }
            }
            CompareOp::Empty => match left {
                Val::Str(s) => s.is_empty() == right.boolean()?,
                Val::Json(_) | Val::List(_) => left.json_is_empty() == right.boolean()?,
                _ => false,
            },
        })
    }

    /// `=~`: one side is the pattern; an array on the other side matches when any item does.
    fn regex(&mut self, left: &Val, right: &Val) -> bool {
        let (pattern, case_insensitive, subject) = match (left, right) {
            (Val::Pattern(_, _), Val::Pattern(_, _)) => return false,
            (Val::Pattern(p, ci), other) | (other, Val::Pattern(p, ci)) => (*p, *ci, other),
            _ => return false,
        };
        match subject.items() {
            Some(items) => items
                .iter()
                .any(|item| self.matches(pattern, case_insensitive, &item.regex_input())),
            None => self.matches(pattern, case_insensitive, &subject.regex_input()),
        }
    }

    fn matches(&mut self, pattern: &str, case_insensitive: bool, text: &str) -> bool {
        let key = (pattern.as_ptr() as usize, pattern.len(), case_insensitive);
        let index = match self.regexes.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                self.regexes
                    .push((key, compile_regex(pattern, case_insensitive)));
                self.regexes.len() - 1
            }
        };
        self.regexes
            .get(index)
            .and_then(|(_, regex)| regex.as_ref())
            .is_some_and(|regex| regex.is_match(text))
    }
}

/// One path evaluation, token by token as Jayway does it.
struct Walk<'e, 'a, 's> {
    engine: &'e mut Engine<'a>,
    segments: &'s [Segment],
    /// Segments before this index are all definite.
    definite_prefix: usize,
    strict: bool,
    out: Vec<Node<'a>>,
}

impl<'a> Walk<'_, 'a, '_> {
    fn is_leaf(&self, i: usize) -> bool {
        i + 1 == self.segments.len()
    }

    /// Applies segment `i` (and the rest) to `node`; past the end, `node` is a match.
    fn step(&mut self, i: usize, node: &'a Value) -> Flow {
        let segments = self.segments;
        let Some(segment) = segments.get(i) else {
            self.out.push(Cow::Borrowed(node));
            return Ok(());
        };
        match segment {
            Segment::Child(selector) => {
                let upstream_definite = i <= self.definite_prefix;
                self.child(i, selector, node, upstream_definite)
            }
            Segment::Descendant(selector) => self.scan(i, selector, node),
            Segment::Function(function) => {
                // The parser only accepts a function at the end.
                if !self.is_leaf(i) {
                    return Err(Abort::Failed);
                }
                let value = apply_function(*function, node)?;
                self.out.push(Cow::Owned(value));
                Ok(())
            }
        }
    }

    /// Applies a child selector at segment `i`. `upstream_definite`: every step before it is
    /// definite, which turns some misses into errors.
    fn child(
        &mut self,
        i: usize,
        selector: &Selector,
        node: &'a Value,
        upstream_definite: bool,
    ) -> Flow {
        let miss = |error| {
            if upstream_definite {
                Err(error)
            } else {
                Ok(())
            }
        };
        match selector {
            Selector::Name(name) => match node {
                Value::Object(map) => self.member(i, map, name, upstream_definite, true),
                _ => miss(Abort::NotFound),
            },
            Selector::Names(names) => {
                let Value::Object(map) = node else {
                    return miss(Abort::NotFound);
                };
                if self.is_leaf(i) {
                    let mut merged = Map::new();
                    for name in names {
                        match map.get(name) {
                            Some(value) => {
                                merged.insert(name.clone(), value.clone());
                            }
                            None if self.strict => return Err(Abort::NotFound),
                            None => {}
                        }
                    }
                    self.out.push(Cow::Owned(Value::Object(merged)));
                    Ok(())
                } else {
                    for name in names {
                        self.member(i, map, name, upstream_definite, false)?;
                    }
                    Ok(())
                }
            }
            Selector::Index(index) => match node {
                Value::Array(items) => self.item(i, items, *index),
                _ => miss(Abort::NotFound),
            },
            Selector::Indexes(indexes) => match node {
                Value::Array(items) => {
                    for index in indexes {
                        self.item(i, items, *index)?;
                    }
                    Ok(())
                }
                _ => miss(Abort::NotFound),
            },
            Selector::Slice { start, end } => match node {
                Value::Array(items) => {
                    for range in slice_ranges(items.len(), *start, *end) {
                        for index in range {
                            self.item(i, items, index)?;
                        }
                    }
                    Ok(())
                }
                _ => miss(Abort::NotFound),
            },
            Selector::Wildcard => {
                match node {
                    Value::Object(map) => {
                        for value in map.values() {
                            self.step(i + 1, value)?;
                        }
                    }
                    Value::Array(items) => {
                        for value in items {
                            self.step(i + 1, value)?;
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            Selector::Filter(expr) => match node {
                Value::Object(_) => {
                    if self.engine.accept(expr, node)? {
                        self.step(i + 1, node)?;
                    }
                    Ok(())
                }
                Value::Array(items) => {
                    for value in items {
                        if self.engine.accept(expr, value)? {
                            self.step(i + 1, value)?;
                        }
                    }
                    Ok(())
                }
                _ => miss(Abort::Invalid),
            },
        }
    }

    /// One member of an object. A missing member at the end of the path is no match (an error
    /// when strict); in the middle it is an error when the path so far is definite.
    fn member(
        &mut self,
        i: usize,
        map: &'a Map<String, Value>,
        name: &str,
        upstream_definite: bool,
        token_definite: bool,
    ) -> Flow {
        match map.get(name) {
            Some(value) => self.step(i + 1, value),
            None => {
                let error = if self.is_leaf(i) {
                    self.strict
                } else {
                    self.strict || (upstream_definite && token_definite)
                };
                if error { Err(Abort::NotFound) } else { Ok(()) }
            }
        }
    }

    /// One array item; out of range is no match.
    fn item(&mut self, i: usize, items: &'a [Value], index: i64) -> Flow {
        match position(items.len(), index).and_then(|p| items.get(p)) {
            Some(value) => self.step(i + 1, value),
            None => Ok(()),
        }
    }

    /// `..selector`: Jayway's scan, pre-order over objects and arrays.
    fn scan(&mut self, i: usize, selector: &Selector, node: &'a Value) -> Flow {
        match node {
            Value::Object(map) => {
                if self.scan_matches(i, selector, node)? {
                    self.child(i, selector, node, false)?;
                }
                for value in map.values() {
                    self.scan(i, selector, value)?;
                }
            }
            Value::Array(items) => {
                if self.scan_matches(i, selector, node)? {
                    if self.is_leaf(i) {
                        self.child(i, selector, node, false)?;
                    } else {
                        // Jayway applies the rest of the path to every item here, without the
                        // selector itself.
                        for value in items {
                            self.step(i + 1, value)?;
                        }
                    }
                }
                for value in items {
                    self.scan(i, selector, value)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Which nodes a scan applies its selector to.
    fn scan_matches(
        &mut self,
        i: usize,
        selector: &Selector,
        node: &'a Value,
    ) -> Result<bool, Abort> {
        Ok(match selector {
            Selector::Name(name) => match node {
                Value::Object(map) => self.strict || map.contains_key(name),
                _ => false,
            },
            Selector::Names(names) => match node {
                Value::Object(map) => {
                    self.strict
                        || !self.is_leaf(i)
                        || names.iter().all(|name| map.contains_key(name))
                }
                _ => false,
            },
            Selector::Index(_) | Selector::Indexes(_) | Selector::Slice { .. } => node.is_array(),
            Selector::Wildcard => true,
            Selector::Filter(expr) => self.engine.accept(expr, node)?,
        })
    }
}

/// The raw positions a slice visits, in order (negative ones count from the end); see the
/// module docs for Jayway's rules.
fn slice_ranges(len: usize, start: Option<i64>, end: Option<i64>) -> [std::ops::Range<i64>; 2] {
    let empty = [0..0, 0..0];
    let Ok(len) = i64::try_from(len) else {
        return empty;
    };
    if len == 0 {
        return empty;
    }
    match (start, end) {
        (Some(from), None) => {
            let from = if from < 0 { len + from } else { from };
            [from.max(0)..len, 0..0]
        }
        (Some(from), Some(to)) => {
            let to = to.min(len);
            if from >= to {
                return empty;
            }
            // Positions below zero wrap to the end; those below -len are out of range.
            [from.max(-len)..to.min(0), from.max(0)..to]
        }
        (None, Some(to)) => {
            let to = if to < 0 { len + to } else { to };
            [0..to.min(len), 0..0]
        }
        (None, None) => empty,
    }
}

fn apply_function(function: PathFunction, node: &Value) -> Result<Value, Abort> {
    match function {
        PathFunction::Length | PathFunction::Size => Ok(match node {
            Value::Array(items) => Value::from(items.len()),
            Value::Object(map) => Value::from(map.len()),
            _ => Value::Null,
        }),
        _ => {
            let numbers: Vec<f64> = match node {
                Value::Array(items) => items.iter().filter_map(Value::as_f64).collect(),
                _ => Vec::new(),
            };
            aggregate(function, &numbers)
        }
    }
}

/// Jayway's numeric functions: doubles, an error over no numbers.
fn aggregate(function: PathFunction, numbers: &[f64]) -> Result<Value, Abort> {
    if numbers.is_empty() {
        return Err(Abort::Failed);
    }
    let count = numbers.len() as f64;
    let sum = numbers.iter().fold(0.0, |acc, n| acc + n);
    let result = match function {
        PathFunction::Sum => sum,
        PathFunction::Avg => sum / count,
        PathFunction::Min => numbers.iter().fold(f64::MAX, |acc, &n| acc.min(n)),
        PathFunction::Max => numbers.iter().fold(-f64::MAX, |acc, &n| acc.max(n)),
        PathFunction::Stddev => {
            let squares = numbers.iter().fold(0.0, |acc, n| acc + n * n);
            (squares / count - sum * sum / count / count).sqrt()
        }
        PathFunction::Length | PathFunction::Size => count,
    };
    // NaN (a rounding-negative variance) has no JSON form.
    Ok(Number::from_f64(result).map_or(Value::Null, Value::Number))
}

/// An operand of a filter comparison, typed like Jayway's value nodes.
#[derive(Debug)]
enum Val<'v> {
    /// A path that selects nothing: equal to nothing.
    Undefined,
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'v, str>),
    /// An array or an object.
    Json(Cow<'v, Value>),
    /// The matches of an indefinite path: behaves as a JSON array.
    List(Vec<Node<'v>>),
    /// A regular expression literal and its `i` flag.
    Pattern(&'v str, bool),
}

impl<'v> Val<'v> {
    fn literal(literal: &'v Literal) -> Val<'v> {
        match literal {
            Literal::String(s) => Val::Str(Cow::Borrowed(s.as_str())),
            Literal::Number(n) => Val::Num(n.clone()),
            Literal::Bool(b) => Val::Bool(*b),
            Literal::Null => Val::Null,
            Literal::Json(value) => Val::from_ref(value),
            Literal::Regex {
                pattern,
                case_insensitive,
            } => Val::Pattern(pattern.as_str(), *case_insensitive),
        }
    }

    fn from_ref(value: &'v Value) -> Val<'v> {
        match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.clone()),
            Value::String(s) => Val::Str(Cow::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => Val::Json(Cow::Borrowed(value)),
        }
    }

    fn from_node(node: Node<'v>) -> Val<'v> {
        match node {
            Cow::Borrowed(value) => Val::from_ref(value),
            Cow::Owned(Value::String(s)) => Val::Str(Cow::Owned(s)),
            Cow::Owned(value @ (Value::Array(_) | Value::Object(_))) => {
                Val::Json(Cow::Owned(value))
            }
            Cow::Owned(Value::Null) => Val::Null,
            Cow::Owned(Value::Bool(b)) => Val::Bool(b),
            Cow::Owned(Value::Number(n)) => Val::Num(n),
        }
    }

    /// The items of a JSON array (None for anything else).
    fn items(&self) -> Option<Vec<Val<'_>>> {
        match self {
            Val::Json(value) => match value.as_ref() {
                Value::Array(items) => Some(items.iter().map(Val::from_ref).collect()),
                _ => None,
            },
            Val::List(nodes) => Some(nodes.iter().map(|n| Val::from_ref(n.as_ref())).collect()),
            _ => None,
        }
    }

    /// Jayway's `asValueListNode`: the items of an array, None for an object, an error for
    /// anything that is not JSON.
    fn value_list(&self) -> Result<Option<Vec<Val<'_>>>, Abort> {
        match self {
            Val::Json(_) | Val::List(_) => Ok(self.items()),
            _ => Err(Abort::Invalid),
        }
    }

    fn boolean(&self) -> Result<bool, Abort> {
        match self {
            Val::Bool(b) => Ok(*b),
            _ => Err(Abort::Invalid),
        }
    }

    /// Jayway's JSON length: an array's size, -1 for anything else.
    fn json_len(&self) -> i64 {
        match self {
            Val::Json(value) => match value.as_ref() {
                Value::Array(items) => i64::try_from(items.len()).unwrap_or(i64::MAX),
                _ => -1,
            },
            Val::List(nodes) => i64::try_from(nodes.len()).unwrap_or(i64::MAX),
            _ => -1,
        }
    }

    fn json_is_empty(&self) -> bool {
        match self {
            Val::Json(value) => match value.as_ref() {
                Value::Array(items) => items.is_empty(),
                Value::Object(map) => map.is_empty(),
                _ => true,
            },
            Val::List(nodes) => nodes.is_empty(),
            _ => true,
        }
    }

    /// Jayway's `left.equals(right)` (not symmetric between numbers and strings).
    fn equals(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Json(a), Val::Json(b)) => a == b,
            (Val::List(a), Val::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Val::Json(json), Val::List(list)) | (Val::List(list), Val::Json(json)) => {
                match json.as_ref() {
                    Value::Array(items) => {
                        items.len() == list.len() && items.iter().zip(list).all(|(x, y)| x == &**y)
                    }
                    _ => false,
                }
            }
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Str(a), Val::Num(b)) => **a == b.to_string(),
            (Val::Num(a), Val::Num(b)) => compare_numbers(a, b) == Some(Ordering::Equal),
            (Val::Num(a), Val::Str(b)) => {
                parse_decimal(b).is_some_and(|b| compare_numbers(a, &b) == Some(Ordering::Equal))
            }
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Null, Val::Null) => true,
            _ => false,
        }
    }

    /// The order `<`, `<=`, `>`, `>=` use: numbers, strings (Java's UTF-16 order), and a number
    /// against a string through the number's text.
    fn order(&self, other: &Val) -> Option<Ordering> {
        match (self, other) {
            (Val::Num(a), Val::Num(b)) => compare_numbers(a, b),
            (Val::Str(a), Val::Str(b)) => Some(java_compare(a, b)),
            (Val::Str(a), Val::Num(b)) => Some(java_compare(a, &b.to_string())),
            (Val::Num(a), Val::Str(b)) => Some(java_compare(&a.to_string(), b)),
            _ => None,
        }
    }

    /// The text `=~` matches: strings, numbers and booleans; anything else matches as "".
    fn regex_input(&self) -> Cow<'_, str> {
        match self {
            Val::Str(s) => Cow::Borrowed(s),
            Val::Num(n) => Cow::Owned(n.to_string()),
            Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            _ => Cow::Borrowed(""),
        }
    }
}

/// `in`: the right side must be an array holding something equal to the left side.
fn is_in(left: &Val, right: &Val) -> Result<bool, Abort> {
    Ok(right
        .value_list()?
        .is_some_and(|items| items.iter().any(|item| left.equals(item))))
}

fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// Java's `BigDecimal(String)` syntax: `[+-]digits[.digits][e[+-]digits]`, read as a number.
fn parse_decimal(text: &str) -> Option<Number> {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut count = digits(&mut i);
    let mut integer = true;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        integer = false;
        count += digits(&mut i);
    }
    if count == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        integer = false;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    if integer {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Number::from(n));
        }
        if let Ok(n) = text.trim_start_matches('+').parse::<u64>() {
            return Some(Number::from(n));
        }
    }
    Number::from_f64(text.parse::<f64>().ok()?)
}

/// Java's `intValue()` of a number: truncated.
fn int_value(n: &Number) -> i64 {
    n.as_i64()
        .or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
        // `as` saturates, and NaN cannot come from JSON.
        .unwrap_or_else(|| n.as_f64().map_or(0, |f| f.trunc() as i64))
}

fn utf16_len(s: &str) -> i64 {
    i64::try_from(s.encode_utf16().count()).unwrap_or(i64::MAX)
}

/// Java's `String.compareTo`: UTF-16 code unit order.
fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Compiles a `=~` pattern to match a whole string, as Java's `Matcher.matches()` does.
/// `regex-lite` (small enough for the browser build) takes the Java syntax that filters use in
/// practice: classes, `\d \w \s`, anchors, groups, alternation, quantifiers and inline flags.
/// Java-only constructs (`\Q…\E`, backreferences, lookaround) make the pattern match nothing.
fn compile_regex(pattern: &str, case_insensitive: bool) -> Option<regex_lite::Regex> {
    regex_lite::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .case_insensitive(case_insensitive)
        .size_limit(1 << 20)
        .build()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(text: &str) -> Path {
        match Path::parse(text) {
            Ok(path) => path,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn get(text: &str, input: &Value) -> Option<Value> {
        select(
            &path(text),
            Roots {
                input,
                context: &Value::Null,
                variables: &(),
            },
        )
    }

    #[track_caller]
    fn check(text: &str, input: &Value, expected: Option<Value>) {
        assert_eq!(get(text, input), expected, "{text}");
    }

    fn store() -> Value {
        json!({
            "store": {
                "book": [
                    {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
                    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
                    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                    {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
                ],
                "bicycle": {"color": "red", "price": 19.95}
            },
            "expensive": 10
        })
    }

    #[test]
    fn definite_paths() {
        let doc = json!({"a": {"b": [10, 20, 30], "n": null}, "s": "x"});
        check("$", &doc, Some(doc.clone()));
        check("$.a.b", &doc, Some(json!([10, 20, 30])));
        check("$['a']['b'][1]", &doc, Some(json!(20)));
        check("$.a.b[-1]", &doc, Some(json!(30)));
        check("$.a.b[-3]", &doc, Some(json!(10)));
        check("$.a.b[(@.length-2)]", &doc, Some(json!(20)));
        check("$.a.n", &doc, Some(Value::Null));
        check("$.a.b[3]", &doc, None);
        check("$.a.b[-4]", &doc, None);
        check("$.missing", &doc, None);
        check("$.missing.deeper", &doc, None);
        check("$.s.x", &doc, None);
        check("$.s[0]", &doc, None);
        check("$.a[0]", &doc, None);
        check("$.a.n.x", &doc, None);
    }

    #[test]
    fn wildcards_and_unions() {
        let doc = store();
        check(
            "$.store.book[*].author",
            &doc,
            Some(json!([
                "Nigel Rees",
                "Evelyn Waugh",
                "Herman Melville",
                "J. R. R. Tolkien"
            ])),
        );
        check("$.store.bicycle.*", &doc, Some(json!(["red", 19.95])));
        check("$.store.book[0,2].price", &doc, Some(json!([8.95, 8.99])));
        check("$.store.book[-1,0].price", &doc, Some(json!([22.99, 8.95])));
        check("$.store.book[0,9].price", &doc, Some(json!([8.95])));
        // Names at the end merge into one object (a definite path); missing names are left out.
        check(
            "$.store.bicycle['color','price','nope']",
            &doc,
            Some(json!({"color": "red", "price": 19.95})),
        );
        check(
            "$.store.book[0,1]['title','price']",
            &doc,
            Some(json!([{"title": "Sayings", "price": 8.95}, {"title": "Sword", "price": 12.99}])),
        );
        // Names in the middle iterate.
        let doc = json!({"a": {"x": 1}, "b": {"x": 2}});
        check("$['a','b','c'].x", &doc, Some(json!([1, 2])));
        check("$.*.x", &doc, Some(json!([1, 2])));
        // A list path that meets a missing member or a scalar gives `[]`, as on AWS.
        check("$[*].nope", &doc, Some(json!([])));
        check("$.nope[*]", &doc, Some(json!([])));
        check("$.a.x[*]", &doc, Some(json!([])));
        check("$.a[0,1]", &doc, Some(json!([])));
        check("$.*[0]", &doc, Some(json!([])));
        check("$['a','b']", &json!(5), None);
    }

    #[test]
    fn slices() {
        let doc = json!({"a": [0, 1, 2, 3, 4]});
        check("$.a[1:3]", &doc, Some(json!([1, 2])));
        check("$.a[1:]", &doc, Some(json!([1, 2, 3, 4])));
        check("$.a[:2]", &doc, Some(json!([0, 1])));
        check("$.a[-2:]", &doc, Some(json!([3, 4])));
        check("$.a[:-2]", &doc, Some(json!([0, 1, 2])));
        check("$.a[3:100]", &doc, Some(json!([3, 4])));
        check("$.a[-9:]", &doc, Some(json!([0, 1, 2, 3, 4])));
        check("$.a[9:]", &doc, Some(json!([])));
        check("$.a[3:1]", &doc, Some(json!([])));
        // Jayway: a negative start with an end walks the raw positions, wrapping around.
        check("$.a[-2:2]", &doc, Some(json!([3, 4, 0, 1])));
        check("$.a[1:-1]", &doc, Some(json!([])));
        check("$.a[-7:1]", &doc, Some(json!([0, 1, 2, 3, 4, 0])));
        check("$.a[-2147483648:1]", &doc, Some(json!([0, 1, 2, 3, 4, 0])));
        check("$.a[:-9]", &doc, Some(json!([])));
        check("$.x[1:]", &json!({"x": []}), Some(json!([])));
        check("$.x[1:]", &json!({"x": {}}), Some(json!([])));
    }

    #[test]
    fn descendants() {
        let doc = store();
        check(
            "$..author",
            &doc,
            Some(json!([
                "Nigel Rees",
                "Evelyn Waugh",
                "Herman Melville",
                "J. R. R. Tolkien"
            ])),
        );
        check(
            "$..price",
            &doc,
            Some(json!([8.95, 12.99, 8.99, 22.99, 19.95])),
        );
        check(
            "$.store..price",
            &doc,
            Some(json!([8.95, 12.99, 8.99, 22.99, 19.95])),
        );
        check("$..book[2].title", &doc, Some(json!(["Moby Dick"])));
        check(
            "$..book[-1:].title",
            &doc,
            Some(json!(["The Lord of the Rings"])),
        );
        check("$..book.length()", &doc, Some(json!(4)));
        // Every node's children before the grandchildren, as Jayway orders them.
        let doc = json!({"a": {"b": 1, "c": [2, {"d": 3}]}, "e": 4});
        check(
            "$..*",
            &doc,
            Some(json!([{"b": 1, "c": [2, {"d": 3}]}, 4, 1, [2, {"d": 3}], 2, {"d": 3}, 3])),
        );
        check("$..[0]", &doc, Some(json!([2])));
        check("$..d", &doc, Some(json!([3])));
        check("$..['b','e']", &doc, Some(json!([])));
        check(
            "$..['b','c']",
            &doc,
            Some(json!([{"b": 1, "c": [2, {"d": 3}]}])),
        );
        check("$..nope", &doc, Some(json!([])));
        // Jayway applies what follows `..[0]` to every item of every array.
        check("$..[0].d", &doc, Some(json!([3])));
        check("$..[?(@.d == 3)]", &doc, Some(json!([{"d": 3}])));
    }

    #[test]
    fn filters() {
        let doc = store();
        let titles = |filter: &str| {
            let text = format!("$.store.book[?({filter})].title");
            get(&text, &doc)
        };
        assert_eq!(
            titles("@.isbn"),
            Some(json!(["Moby Dick", "The Lord of the Rings"]))
        );
        assert_eq!(titles("!@.isbn"), Some(json!(["Sayings", "Sword"])));
        assert_eq!(
            titles("@.price < 10"),
            Some(json!(["Sayings", "Moby Dick"]))
        );
        assert_eq!(titles("@.price <= 8.95"), Some(json!(["Sayings"])));
        assert_eq!(
            titles("@.price > 20"),
            Some(json!(["The Lord of the Rings"]))
        );
        assert_eq!(
            titles("@.price >= 22.99"),
            Some(json!(["The Lord of the Rings"]))
        );
        assert_eq!(
            titles("@.price > $.expensive"),
            Some(json!(["Sword", "The Lord of the Rings"]))
        );
        assert_eq!(
            titles("@.category == 'reference'"),
            Some(json!(["Sayings"]))
        );
        assert_eq!(
            titles("@.category != \"fiction\""),
            Some(json!(["Sayings"]))
        );
        assert_eq!(
            titles("@.author > 'I'"),
            Some(json!(["Sayings", "The Lord of the Rings"]))
        );
        assert_eq!(
            titles("@.category == 'fiction' && @.price < 10 || @.price < 9"),
            Some(json!(["Sayings", "Moby Dick"]))
        );
        assert_eq!(
            titles("!(@.price < 10)"),
            Some(json!(["Sword", "The Lord of the Rings"]))
        );
        assert_eq!(titles("@.author =~ /.*REES/i"), Some(json!(["Sayings"])));
        assert_eq!(titles("@.author =~ /.*REES/"), Some(json!([])));
        assert_eq!(titles("@.title =~ /^S\\w+d$/"), Some(json!(["Sword"])));
        assert_eq!(
            titles("@.price in [8.95, 22.99]"),
            Some(json!(["Sayings", "The Lord of the Rings"]))
        );
        assert_eq!(
            titles("@.category nin ['fiction']"),
            Some(json!(["Sayings"]))
        );
        assert_eq!(titles("@.title size 5"), Some(json!(["Sword"])));
        assert_eq!(titles("@.nope == null"), Some(json!([])));
        assert_eq!(
            titles("@.nope != 1").map(|v| v.as_array().map(Vec::len)),
            Some(Some(4))
        );
        assert_eq!(get("$.store.book[?(@.nope)]", &doc), Some(json!([])));
        // A filter on an object tests the object itself.
        check(
            "$.store.bicycle[?(@.color == 'red')].price",
            &doc,
            Some(json!([19.95])),
        );
        check(
            "$.store.bicycle[?(@.color == 'blue')]",
            &doc,
            Some(json!([])),
        );
        // On a scalar it is an error when nothing before it is indefinite.
        check("$.expensive[?(@ > 1)]", &doc, Some(json!([])));
        check("$.*[?(@ > 1)]", &json!({"a": 1}), Some(json!([])));
        // `@` alone on scalars.
        check(
            "$.a[?(@ > 1)]",
            &json!({"a": [1, 2, 3]}),
            Some(json!([2, 3])),
        );
    }

    #[test]
    fn filter_values() {
        let doc = json!({"xs": [
            {"id": 1, "v": 1}, {"id": 2, "v": 1.0}, {"id": 3, "v": "1"}, {"id": 4, "v": true},
            {"id": 5, "v": null}, {"id": 6, "v": [1, 2]}, {"id": 7, "v": {"k": 1}},
            {"id": 8, "v": ""}, {"id": 9, "v": []}, {"id": 10}
        ]});
        let ids = |filter: &str| {
            let text = format!("$.xs[?({filter})].id");
            get(&text, &doc)
        };
        assert_eq!(ids("@.v == 1"), Some(json!([1, 2, 3])));
        assert_eq!(ids("@.v == '1'"), Some(json!([1, 2, 3])));
        assert_eq!(ids("@.v == 1.0"), Some(json!([1, 2])));
        assert_eq!(ids("@.v == true"), Some(json!([4])));
        assert_eq!(ids("@.v == null"), Some(json!([5])));
        assert_eq!(ids("@.v == [1, 2]"), Some(json!([6])));
        assert_eq!(ids("@.v == {'k': 1}"), Some(json!([7])));
        assert_eq!(ids("@.v != 1"), Some(json!([4, 5, 6, 7, 8, 9, 10])));
        assert_eq!(ids("@.v empty true"), Some(json!([8, 9])));
        assert_eq!(ids("@.v empty false"), Some(json!([3, 6, 7])));
        assert_eq!(ids("@.v size 2"), Some(json!([6])));
        assert_eq!(ids("@.v size 0"), Some(json!([8, 9])));
        assert_eq!(ids("@.v subsetof [1, 2, 3]"), Some(json!([6, 9])));
        assert_eq!(ids("@.v anyof [2, 5]"), Some(json!([6])));
        assert_eq!(ids("@.v noneof [5]"), Some(json!([6, 9])));
        assert_eq!(ids("@.v in [true, null]"), Some(json!([4, 5])));
        assert_eq!(ids("@.v.length() == 2"), Some(json!([6])));
        assert_eq!(ids("@.v =~ /1(\\.0)?/"), Some(json!([1, 2, 3, 6])));
        assert_eq!(ids("@.v =~ /2/"), Some(json!([6])));
        assert_eq!(ids("@.v"), Some(json!([1, 2, 3, 4, 6, 7, 8, 9])));
        assert_eq!(ids("!@.v"), Some(json!([5, 10])));
        // A wildcard on a scalar selects nothing without failing, so only a missing `v` fails.
        assert_eq!(ids("@.v[*]"), Some(json!([1, 2, 3, 4, 5, 6, 7, 8, 9])));
        assert_eq!(ids("@.id > 8 || @.v.k"), Some(json!([7, 9, 10])));
    }

    #[test]
    fn filter_roots() {
        let input = json!({"items": [{"n": 1}, {"n": 2}, {"n": 3}], "min": 2});
        let context = json!({"Execution": {"Limit": 3}});
        let mut variables = Map::new();
        variables.insert("want".into(), json!([1, 3]));
        let roots = Roots {
            input: &input,
            context: &context,
            variables: &variables,
        };
        let run = |text: &str| select(&path(text), roots);
        assert_eq!(run("$.items[?(@.n >= $.min)].n"), Some(json!([2, 3])));
        assert_eq!(
            run("$.items[?(@.n < $$.Execution.Limit)].n"),
            Some(json!([1, 2]))
        );
        assert_eq!(run("$.items[?(@.n in $want)].n"), Some(json!([1, 3])));
        assert_eq!(run("$.items[?(@.n == $nope)].n"), Some(json!([])));
        assert_eq!(run("$$.Execution.Limit"), Some(json!(3)));
        assert_eq!(run("$want[1]"), Some(json!(3)));
        assert_eq!(run("$want"), Some(json!([1, 3])));
        assert_eq!(run("$nope"), None);
        assert_eq!(run("$nope.a"), None);
    }

    #[test]
    fn functions() {
        let doc = json!({"n": [1, 2, 3, 4], "m": {"a": 1, "b": "x"}, "s": "abc", "e": [],
            "rows": [[1, 2], [3], []], "mixed": [1, "2", null, 3.5]});
        check("$.n.length()", &doc, Some(json!(4)));
        check("$.n.size()", &doc, Some(json!(4)));
        check("$.m.length()", &doc, Some(json!(2)));
        check("$.s.length()", &doc, Some(Value::Null));
        check("$.n.sum()", &doc, Some(json!(10.0)));
        check("$.n.avg()", &doc, Some(json!(2.5)));
        check("$.n.min()", &doc, Some(json!(1.0)));
        check("$.n.max()", &doc, Some(json!(4.0)));
        check("$.mixed.sum()", &doc, Some(json!(4.5)));
        check("$.n.stddev()", &doc, Some(json!(1.118033988749895)));
        check("$.e.sum()", &doc, None);
        check("$.m.sum()", &doc, None);
        check("$.nope.length()", &doc, None);
        // After an indefinite prefix: per match.
        check("$.rows[*].length()", &doc, Some(json!([2, 1, 0])));
        check("$.rows[0:2].sum()", &doc, Some(json!([3.0, 3.0])));
        check("$.rows[*].sum()", &doc, Some(json!([])));
        // `$..x.fn()` is rewritten to aggregate every match.
        let doc = json!({"a": {"p": 1}, "b": [{"p": 2}, {"p": "3"}], "c": {"p": [5, 6]}});
        check("$..p.sum()", &doc, Some(json!(3.0)));
        check("$..p.max()", &doc, Some(json!(2.0)));
        check("$..p.length()", &doc, Some(json!(2)));
        check("$..nope.sum()", &doc, None);
        check("$..nope.length()", &doc, Some(json!(0)));
        check("$..p.sum()", &json!([10, {"p": 1}]), Some(json!(11.0)));
    }

    #[test]
    fn canonical_text() {
        for (text, shown) in [
            ("$", "$"),
            ("$.NoSuchInputPath", "$['NoSuchInputPath']"),
            ("$.a.b[0]", "$['a']['b'][0]"),
            ("$['a b'][-1]", "$['a b'][-1]"),
            ("$.a[*].b", "$['a'][*]['b']"),
            ("$.a.*", "$['a'][*]"),
            ("$['a','b']", "$['a','b']"),
            ("$[0,1]", "$[0,1]"),
            ("$[1:3][1:][:2]", "$[1:3][1:][:2]"),
            ("$..a..*..[0]", "$..['a']..[*]..[0]"),
            ("$.a[?(@.b == 1)].c", "$['a'][?]['c']"),
            ("$.a.length()", "$['a'].length()"),
            ("$$.Execution.Id", "$$['Execution']['Id']"),
            ("$var.x", "$var['x']"),
        ] {
            assert_eq!(canonical(&path(text)), shown, "{text}");
        }
    }

    #[test]
    fn list_shape() {
        for (text, list) in [
            ("$.a", false),
            ("$.a[0]", false),
            ("$.a['x','y']", false),
            ("$.a['x','y'].z", true),
            ("$.a.length()", false),
            ("$..a.length()", false),
            ("$.a[*].length()", true),
            ("$.a[0:1]", true),
            ("$..a", true),
        ] {
            assert_eq!(!is_definite(&path(text).segments), list, "{text}");
        }
    }

    fn put(target: Value, text: &str, value: Value) -> Result<Value, String> {
        place(target, &path(text), text, value).map_err(|e| e.to_string())
    }

    #[test]
    fn place_values() {
        assert_eq!(put(json!({"a": 1}), "$", json!("r")), Ok(json!("r")));
        assert_eq!(put(json!("s"), "$", json!(1)), Ok(json!(1)));
        assert_eq!(
            put(json!({"a": 1, "z": 2}), "$.a", json!("r")),
            Ok(json!({"a": "r", "z": 2}))
        );
        assert_eq!(
            put(json!({"a": 1}), "$.x.y.z", json!(true)),
            Ok(json!({"a": 1, "x": {"y": {"z": true}}}))
        );
        assert_eq!(
            put(json!({"a": {"b": 1}}), "$.a.c", json!(2)),
            Ok(json!({"a": {"b": 1, "c": 2}}))
        );
        assert_eq!(
            put(json!({"a": [1, {"b": 2}]}), "$.a[1].c", json!(3)),
            Ok(json!({"a": [1, {"b": 2, "c": 3}]}))
        );
        assert_eq!(
            put(json!({"a": [1, 2]}), "$.a[-1]", json!(9)),
            Ok(json!({"a": [1, 9]}))
        );
        assert_eq!(put(json!([1, 2]), "$[0]", json!(0)), Ok(json!([0, 2])));
        // Key order is kept; a new key goes last.
        let placed = put(json!({"b": 1, "a": 2}), "$.c", json!(3)).unwrap_or_default();
        assert_eq!(placed.to_string(), r#"{"b":1,"a":2,"c":3}"#);
    }

    #[test]
    fn place_failures() {
        assert_eq!(
            put(json!("input1"), "$.someTaskResult", json!(1)),
            Err(r#"Unable to apply ReferencePath $.someTaskResult to input "input1""#.to_string())
        );
        assert_eq!(
            put(json!({"a": 1}), "$.a.b", json!(1)),
            Err(r#"Unable to apply ReferencePath $.a.b to input {"a":1}"#.to_string())
        );
        assert_eq!(
            put(json!({"a": null}), "$.a.b", json!(1)),
            Err(r#"Unable to apply ReferencePath $.a.b to input {"a":null}"#.to_string())
        );
        assert_eq!(
            put(json!({"a": [1]}), "$.a[1]", json!(1)),
            Err(r#"Unable to apply ReferencePath $.a[1] to input {"a":[1]}"#.to_string())
        );
        assert_eq!(
            put(json!({}), "$.x[0]", json!(1)),
            Err(r#"Unable to apply ReferencePath $.x[0] to input {}"#.to_string())
        );
        // Nothing is created when a later step fails.
        assert_eq!(
            put(json!({}), "$.x.y[0]", json!(1)),
            Err(r#"Unable to apply ReferencePath $.x.y[0] to input {}"#.to_string())
        );
        assert_eq!(
            put(json!([1]), "$.a", json!(1)),
            Err(r#"Unable to apply ReferencePath $.a to input [1]"#.to_string())
        );
        assert!(put(json!({}), "$.a[*]", json!(1)).is_err());
        assert!(put(json!({}), "$$.a", json!(1)).is_err());
    }

    #[test]
    fn regex_matches_the_whole_string() {
        let m = |pattern: &str, ci: bool, text: &str| {
            compile_regex(pattern, ci).is_some_and(|r| r.is_match(text))
        };
        assert!(m("abc", false, "abc"));
        assert!(!m("abc", false, "abcd"));
        assert!(!m("b", false, "abc"));
        assert!(m("a|b|c", false, "b"));
        assert!(m("(ab)+", false, "ababab"));
        assert!(m("a{2,3}", false, "aaa") && !m("a{2,3}", false, "aaaa"));
        assert!(m("[a-c]+[^a-c]", false, "abcz"));
        assert!(m("\\d{3}-\\w+\\s\\S", false, "123-ab_9 x"));
        assert!(m("HELLO", true, "hello"));
        assert!(m("(?i)hello", false, "HeLLo"));
        assert!(m("(a*)*b", false, &format!("{}b", "a".repeat(5000))));
        for bad in ["(", "a)", "*a", "a{2,1}", "[b-a]", "(a)\\1", "(?=a)a"] {
            assert!(compile_regex(bad, false).is_none(), "{bad}");
        }
    }

    #[test]
    fn never_panics_on_odd_documents() {
        let docs = [
            json!(null),
            json!(1),
            json!("s"),
            json!([]),
            json!({}),
            json!([[[]]]),
            store(),
        ];
        let paths = [
            "$",
            "$.a",
            "$[0]",
            "$[-1]",
            "$[*]",
            "$..*",
            "$..[0]",
            "$[1:]",
            "$[:-1]",
            "$[-1:1]",
            "$['a','b']",
            "$[?(@)]",
            "$..[?(@.price > 10)]",
            "$.length()",
            "$..x.sum()",
            "$[*].min()",
            "$[?(@.a =~ /(/)]",
            "$[?(@ size 'x')]",
            "$[?(@ empty 1)]",
            "$[?(@ in 'x')]",
            "$[?(@ subsetof {'a': 1})]",
        ];
        for doc in &docs {
            for text in paths {
                let Ok(path) = Path::parse(text) else {
                    continue;
                };
                let roots = Roots {
                    input: doc,
                    context: doc,
                    variables: &(),
                };
                let _ = select(&path, roots);
            }
        }
    }
}
