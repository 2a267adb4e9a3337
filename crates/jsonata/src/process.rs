//! Turns the raw operator tree into the public [`Expr`]: flattens paths into steps, attaches
//! predicates, groupings, sorts and variable bindings to the steps they belong to, and ties each
//! parent operator `%` to the step whose input it denotes. The rules (and the error codes
//! S0207, S0209, S0210, S0213, S0215, S0216, S0217) follow the reference implementation's
//! post-parse stage.

use std::sync::Arc;

use crate::ast::{BinaryOp, Expr, ExprKind, Filter, Group, SortTerm, Stage};
use crate::error::{Error, Result};
use crate::parser::{Lambda, Raw, RawKind};

/// A parent operator being resolved: how many steps up it still has to go.
struct Slot {
    /// The number the evaluator sees; two slots share one when they denote the same input.
    label: usize,
    level: i64,
    /// Byte offset of the `%`, to report one that cannot be resolved.
    position: usize,
}

#[derive(Default)]
pub(crate) struct Processor {
    slots: Vec<Slot>,
}

fn leaf(kind: ExprKind, pos: usize) -> Result<Expr> {
    Ok(Expr::new(kind, pos))
}

/// A field name, which on its own is a one-step path.
fn name(n: String, pos: usize, keep: bool) -> Expr {
    let mut step = Expr::new(ExprKind::Name(n), pos);
    step.keep_array = keep;
    let mut p = path(step);
    if let ExprKind::Path {
        keep_singleton_array,
        ..
    } = &mut p.kind
    {
        *keep_singleton_array = keep;
    }
    p
}

fn is_path(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Path { .. })
}

fn path(first: Expr) -> Expr {
    let position = first.position;
    Expr::new(
        ExprKind::Path {
            steps: vec![first],
            keep_singleton_array: false,
        },
        position,
    )
}

/// The step that a postfix construct applies to: the last step of a path, or the expression.
fn step_of(e: &mut Expr) -> &mut Expr {
    let in_path = matches!(&e.kind, ExprKind::Path { steps, .. } if !steps.is_empty());
    if in_path {
        match &mut e.kind {
            ExprKind::Path { steps, .. } => {
                let last = steps.len() - 1;
                &mut steps[last]
            }
            _ => unreachable!("checked to be a non-empty path"),
        }
    } else {
        e
    }
}

/// Moves the whole-result predicates of an expression that becomes a path step to its stages.
fn predicates_to_stages(e: &mut Expr) {
    let predicate = std::mem::take(&mut e.predicate);
    e.stages.extend(predicate.into_iter().map(Stage::Filter));
}

/// Records that `result` contains the unresolved parents of `value`.
fn push_ancestry(result: &mut Expr, value: &Expr) {
    result
        .seeking_parent
        .extend_from_slice(&value.seeking_parent);
    if let ExprKind::Parent { slot } = value.kind {
        result.seeking_parent.push(slot);
    }
}

fn cannot_derive_parent(position: usize) -> Box<Error> {
    Error::new(
        "S0217",
        position,
        "The object that the parent operator `%` refers to cannot be derived from this expression",
    )
}

// Children are passed still boxed and unboxed at the last moment: moving them out of their box
// in the dispatching function would give every recursion level extra stack temporaries.
#[allow(clippy::boxed_local)]
impl Processor {
    /// Processes the whole tree and checks that no parent operator is left unresolved.
    pub fn run(mut self, raw: Raw) -> Result<Expr> {
        let mut root = self.process(raw)?;
        if let ExprKind::Parent { .. } = root.kind {
            return Err(cannot_derive_parent(root.position));
        }
        if let Some(&slot) = root.seeking_parent.first() {
            return Err(cannot_derive_parent(self.slots[slot].position));
        }
        self.finalize(&mut root);
        Ok(root)
    }

    /// Processes one raw node. This is on the recursive path, so it only dispatches: each
    /// construct has its own function, which keeps stack frames small even in debug builds.
    fn process(&mut self, raw: Raw) -> Result<Expr> {
        let keep = raw.keep_array;
        let mut result = self.process_kind(raw.kind, raw.pos, keep);
        if keep && let Ok(e) = &mut result {
            e.keep_array = true;
        }
        result
    }

    fn process_kind(&mut self, kind: RawKind, pos: usize, keep: bool) -> Result<Expr> {
        match kind {
            RawKind::Str(s) => leaf(ExprKind::String(s), pos),
            RawKind::Num(n) => leaf(ExprKind::Number(n), pos),
            RawKind::Bool(b) => leaf(ExprKind::Bool(b), pos),
            RawKind::Null => leaf(ExprKind::Null, pos),
            RawKind::Regex(r) => {
                let (pattern, flags) = *r;
                leaf(ExprKind::Regex { pattern, flags }, pos)
            }
            RawKind::Variable(v) => leaf(ExprKind::Variable(v), pos),
            RawKind::Wildcard => leaf(ExprKind::Wildcard, pos),
            RawKind::Descendant => leaf(ExprKind::Descendant, pos),
            RawKind::Placeholder => leaf(ExprKind::Placeholder, pos),
            RawKind::End => Err(Error::new("S0207", pos, "Unexpected end of expression")),
            RawKind::Name(n) => Ok(name(n, pos, keep)),
            RawKind::Parent => Ok(self.parent(pos)),
            RawKind::Neg(e) => self.negate(e, pos),
            RawKind::Binary(op, l, r) => self.binary(op, l, r, pos),
            RawKind::Dot(l, r) => self.dot(l, r),
            RawKind::Predicate(l, r) => self.predicate(l, r, pos),
            RawKind::Group(l, pairs) => self.group(l, pairs, pos),
            RawKind::OrderBy(l, terms) => self.order_by(l, terms, pos),
            RawKind::Bind(name, value) => self.bind(name, value, pos),
            RawKind::Focus(l, name) => self.focus(l, name, pos, keep),
            RawKind::Index(l, name) => self.index(l, name, pos),
            RawKind::Apply(l, r) => self.apply(l, r, pos),
            RawKind::Array(items) => self.array(items, pos),
            RawKind::Object(pairs) => self.object(pairs, pos),
            RawKind::Block(exprs) => self.block(exprs, pos),
            RawKind::Call {
                procedure,
                args,
                partial,
            } => self.call(procedure, args, partial, pos),
            RawKind::Lambda(lambda) => self.lambda(lambda, pos),
            RawKind::Condition(c, t, o) => self.condition(c, t, o, pos),
            RawKind::Default(l, r) => self.default(l, r, pos, false),
            RawKind::Coalesce(l, r) => self.default(l, r, pos, true),
            RawKind::Transform(p, u, d) => self.transform(p, u, d, pos),
        }
    }

    fn parent(&mut self, pos: usize) -> Expr {
        let slot = self.slots.len();
        self.slots.push(Slot {
            label: slot,
            level: 1,
            position: pos,
        });
        Expr::new(ExprKind::Parent { slot }, pos)
    }

    /// `-x`; a negated number literal is folded into the literal.
    fn negate(&mut self, e: Box<Raw>, pos: usize) -> Result<Expr> {
        let inner = self.process(*e)?;
        if let ExprKind::Number(n) = inner.kind {
            let mut folded = inner;
            folded.kind = ExprKind::Number(-n);
            folded.position = pos;
            return Ok(folded);
        }
        let mut r = Expr::new(ExprKind::Null, pos);
        push_ancestry(&mut r, &inner);
        r.kind = ExprKind::Negate(Box::new(inner));
        Ok(r)
    }

    fn binary(&mut self, op: BinaryOp, l: Box<Raw>, r: Box<Raw>, pos: usize) -> Result<Expr> {
        let lhs = self.boxed(l)?;
        let rhs = self.boxed(r)?;
        let mut e = Expr::new(ExprKind::Null, pos);
        push_ancestry(&mut e, &lhs);
        push_ancestry(&mut e, &rhs);
        e.kind = ExprKind::Binary { op, lhs, rhs };
        Ok(e)
    }

    /// Processes a boxed node into a boxed expression.
    fn boxed(&mut self, raw: Box<Raw>) -> Result<Box<Expr>> {
        self.process(*raw).map(Box::new)
    }

    /// `?:` (`coalesce` false) and `??` (`coalesce` true).
    fn default(&mut self, l: Box<Raw>, r: Box<Raw>, pos: usize, coalesce: bool) -> Result<Expr> {
        let (mut e, lhs, rhs) = self.pair(l, r, pos)?;
        e.kind = if coalesce {
            ExprKind::Coalesce { lhs, rhs }
        } else {
            ExprKind::Default { lhs, rhs }
        };
        Ok(e)
    }

    /// `expr{…}`: at most one grouping per expression.
    fn group(&mut self, l: Box<Raw>, pairs: Vec<(Raw, Raw)>, pos: usize) -> Result<Expr> {
        let mut result = self.process(*l)?;
        if result.group.is_some() {
            return Err(Error::new(
                "S0210",
                pos,
                "Each step can only have one grouping expression",
            ));
        }
        let mut processed = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            processed.push((self.process(k)?, self.process(v)?));
        }
        result.group = Some(Box::new(Group {
            pairs: processed,
            position: pos,
        }));
        Ok(result)
    }

    /// `expr^(…)`: a sort step appended to the path.
    fn order_by(&mut self, l: Box<Raw>, terms: Vec<(bool, Raw)>, pos: usize) -> Result<Expr> {
        let lhs = self.process(*l)?;
        let mut result = if is_path(&lhs) { lhs } else { path(lhs) };
        let mut sort = Expr::new(ExprKind::Null, pos);
        let mut sort_terms = Vec::with_capacity(terms.len());
        for (descending, t) in terms {
            let expr = self.process(t)?;
            push_ancestry(&mut sort, &expr);
            sort_terms.push(SortTerm { descending, expr });
        }
        sort.kind = ExprKind::Sort { terms: sort_terms };
        if let ExprKind::Path { steps, .. } = &mut result.kind {
            steps.push(sort);
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    fn bind(&mut self, name: String, value: Box<Raw>, pos: usize) -> Result<Expr> {
        let value = self.process(*value)?;
        let mut e = Expr::new(ExprKind::Null, pos);
        push_ancestry(&mut e, &value);
        e.kind = ExprKind::Bind {
            name,
            value: Box::new(value),
        };
        Ok(e)
    }

    /// `step@$name`: allowed only before any predicate or sort on the step.
    fn focus(&mut self, l: Box<Raw>, name: String, pos: usize, keep: bool) -> Result<Expr> {
        let mut result = self.process(*l)?;
        let step = step_of(&mut result);
        if !step.stages.is_empty() || !step.predicate.is_empty() {
            return Err(Error::new(
                "S0215",
                pos,
                "A context variable binding must come before any predicate on a step",
            ));
        }
        if let ExprKind::Sort { .. } = step.kind {
            return Err(Error::new(
                "S0216",
                pos,
                "A context variable binding must come before the order-by clause on a step",
            ));
        }
        if keep {
            step.keep_array = true;
        }
        step.focus = Some(name);
        step.tuple = true;
        Ok(result)
    }

    /// `step#$name`: a binding of the step, or a stage when it follows predicates.
    fn index(&mut self, l: Box<Raw>, name: String, pos: usize) -> Result<Expr> {
        let mut result = self.process(*l)?;
        if !is_path(&result) {
            predicates_to_stages(&mut result);
            result = path(result);
        }
        let step = step_of(&mut result);
        if step.stages.is_empty() {
            step.index = Some(name);
        } else {
            step.stages.push(Stage::Index {
                name,
                position: pos,
            });
        }
        step.tuple = true;
        Ok(result)
    }

    fn apply(&mut self, l: Box<Raw>, r: Box<Raw>, pos: usize) -> Result<Expr> {
        let lhs = self.process(*l)?;
        let rhs = self.process(*r)?;
        let mut e = Expr::new(ExprKind::Null, pos);
        e.keep_array = lhs.keep_array || rhs.keep_array;
        e.kind = ExprKind::Apply {
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
        Ok(e)
    }

    fn array(&mut self, items: Vec<Raw>, pos: usize) -> Result<Expr> {
        let mut e = Expr::new(ExprKind::Null, pos);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let v = self.process(item)?;
            push_ancestry(&mut e, &v);
            out.push(v);
        }
        e.kind = ExprKind::Array(out);
        Ok(e)
    }

    fn object(&mut self, pairs: Vec<(Raw, Raw)>, pos: usize) -> Result<Expr> {
        let mut e = Expr::new(ExprKind::Null, pos);
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.process(k)?;
            push_ancestry(&mut e, &k);
            let v = self.process(v)?;
            push_ancestry(&mut e, &v);
            out.push((k, v));
        }
        e.kind = ExprKind::Object(out);
        Ok(e)
    }

    fn block(&mut self, exprs: Vec<Raw>, pos: usize) -> Result<Expr> {
        let mut e = Expr::new(ExprKind::Null, pos);
        let mut out = Vec::with_capacity(exprs.len());
        for item in exprs {
            let part = self.process(item)?;
            push_ancestry(&mut e, &part);
            let first_step_cons = matches!(&part.kind,
                ExprKind::Path { steps, .. } if steps.first().is_some_and(|s| s.cons_array));
            if part.cons_array || first_step_cons {
                e.cons_array = true;
            }
            out.push(part);
        }
        e.kind = ExprKind::Block(out);
        Ok(e)
    }

    fn call(
        &mut self,
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
        pos: usize,
    ) -> Result<Expr> {
        let mut e = Expr::new(ExprKind::Null, pos);
        let mut out = Vec::with_capacity(args.len());
        for arg in args {
            let a = self.process(arg)?;
            push_ancestry(&mut e, &a);
            out.push(a);
        }
        let procedure = Box::new(self.process(*procedure)?);
        e.kind = if partial {
            ExprKind::Partial {
                procedure,
                args: out,
            }
        } else {
            ExprKind::Call {
                procedure,
                args: out,
            }
        };
        Ok(e)
    }

    fn lambda(&mut self, lambda: Box<Lambda>, pos: usize) -> Result<Expr> {
        let Lambda {
            params,
            signature,
            body,
        } = *lambda;
        let body = Arc::new(self.process(body)?);
        leaf(
            ExprKind::Lambda {
                params,
                signature: signature.map(Arc::new),
                body,
            },
            pos,
        )
    }

    fn condition(
        &mut self,
        c: Box<Raw>,
        t: Box<Raw>,
        o: Option<Box<Raw>>,
        pos: usize,
    ) -> Result<Expr> {
        let mut e = Expr::new(ExprKind::Null, pos);
        let condition = self.process(*c)?;
        push_ancestry(&mut e, &condition);
        let then = self.process(*t)?;
        push_ancestry(&mut e, &then);
        let otherwise = match o {
            Some(o) => {
                let o = self.process(*o)?;
                push_ancestry(&mut e, &o);
                Some(Box::new(o))
            }
            None => None,
        };
        e.kind = ExprKind::Condition {
            condition: Box::new(condition),
            then: Box::new(then),
            otherwise,
        };
        Ok(e)
    }

    fn transform(
        &mut self,
        p: Box<Raw>,
        u: Box<Raw>,
        d: Option<Box<Raw>>,
        pos: usize,
    ) -> Result<Expr> {
        let pattern = Arc::new(self.process(*p)?);
        let update = Arc::new(self.process(*u)?);
        let delete = match d {
            Some(d) => Some(Arc::new(self.process(*d)?)),
            None => None,
        };
        leaf(
            ExprKind::Transform {
                pattern,
                update,
                delete,
            },
            pos,
        )
    }

    /// Both operands of a binary construct, with their unresolved parents recorded on the
    /// node (whose kind the caller fills in).
    fn pair(
        &mut self,
        l: Box<Raw>,
        r: Box<Raw>,
        pos: usize,
    ) -> Result<(Expr, Box<Expr>, Box<Expr>)> {
        let lhs = self.boxed(l)?;
        let rhs = self.boxed(r)?;
        let mut e = Expr::new(ExprKind::Null, pos);
        push_ancestry(&mut e, &lhs);
        push_ancestry(&mut e, &rhs);
        Ok((e, lhs, rhs))
    }

    /// `lhs.rhs`: one path with the steps of both sides.
    fn dot(&mut self, l: Box<Raw>, r: Box<Raw>) -> Result<Expr> {
        let lhs = self.path_of(l)?;
        let rest = self.boxed(r)?;
        self.join_path(lhs, *rest)
    }

    /// The left side of `.` as a path.
    fn path_of(&mut self, l: Box<Raw>) -> Result<Expr> {
        let lstep = self.process(*l)?;
        let parent = match lstep.kind {
            ExprKind::Parent { slot } => Some(slot),
            _ => None,
        };
        let mut result = if is_path(&lstep) { lstep } else { path(lstep) };
        if let Some(slot) = parent {
            result.seeking_parent = vec![slot];
        }
        Ok(result)
    }

    /// Appends the step(s) of `rest` to the path `result`, then checks and annotates them.
    fn join_path(&mut self, mut result: Expr, rest: Expr) -> Result<Expr> {
        let ExprKind::Path {
            steps,
            keep_singleton_array,
        } = &mut result.kind
        else {
            return Ok(result);
        };
        match rest {
            Expr {
                kind: ExprKind::Path { steps: more, .. },
                ..
            } => steps.extend(more),
            mut step => {
                predicates_to_stages(&mut step);
                steps.push(step);
            }
        }
        for step in steps.iter_mut() {
            let literal = match &step.kind {
                ExprKind::Number(n) => Some(format_number(*n)),
                ExprKind::Bool(b) => Some(b.to_string()),
                ExprKind::Null => Some("null".to_string()),
                _ => None,
            };
            if let Some(value) = literal {
                return Err(Error::new(
                    "S0213",
                    step.position,
                    format!("The literal value `{value}` cannot be used as a step within a path"),
                )
                .with_token(value));
            }
        }
        // A quoted string as a step names a field.
        for step in steps.iter_mut() {
            if let ExprKind::String(s) = &mut step.kind {
                step.kind = ExprKind::Name(std::mem::take(s));
            }
        }
        if steps.iter().any(|s| s.keep_array) {
            *keep_singleton_array = true;
        }
        if let Some(first) = steps.first_mut()
            && matches!(first.kind, ExprKind::Array(_))
        {
            first.cons_array = true;
        }
        if let Some(last) = steps.last_mut()
            && matches!(last.kind, ExprKind::Array(_))
        {
            last.cons_array = true;
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// `lhs[rhs]`: a stage of the last step of a path, or a predicate of any other expression.
    fn predicate(&mut self, l: Box<Raw>, r: Box<Raw>, pos: usize) -> Result<Expr> {
        let mut result = self.process(*l)?;
        let in_path = is_path(&result);
        if step_of(&mut result).group.is_some() {
            return Err(Error::new(
                "S0209",
                pos,
                "A predicate cannot follow a grouping expression in a step",
            ));
        }
        let predicate = self.process(*r)?;
        let step = step_of(&mut result);
        if !predicate.seeking_parent.is_empty() {
            for &slot in &predicate.seeking_parent {
                if self.slots[slot].level == 1 {
                    self.seek_parent(step, slot)?;
                } else {
                    self.slots[slot].level -= 1;
                }
            }
            push_ancestry(step, &predicate);
        }
        let filter = Filter {
            expr: predicate,
            position: pos,
        };
        if in_path {
            step.stages.push(Stage::Filter(filter));
        } else {
            step.predicate.push(filter);
        }
        Ok(result)
    }

    /// Resolves the parents sought by the last step of `path` against the steps before it;
    /// those that go above the first step are left for an enclosing expression.
    fn resolve_ancestry(&mut self, path: &mut Expr) -> Result<()> {
        let mut unresolved = Vec::new();
        if let ExprKind::Path { steps, .. } = &mut path.kind
            && let Some(last) = steps.last()
        {
            let mut slots = last.seeking_parent.clone();
            if let ExprKind::Parent { slot } = last.kind {
                slots.push(slot);
            }
            for slot in slots {
                // Index of the step to try next; the last step itself is skipped.
                let mut next = steps.len() - 1;
                while self.slots[slot].level > 0 {
                    if next == 0 {
                        unresolved.push(slot);
                        break;
                    }
                    let mut i = next - 1;
                    // Contiguous steps that bind a focus variable count as one.
                    while i > 0 && steps[i].focus.is_some() && steps[i - 1].focus.is_some() {
                        i -= 1;
                    }
                    self.seek_parent(&mut steps[i], slot)?;
                    next = i;
                }
            }
        }
        path.seeking_parent.extend(unresolved);
        Ok(())
    }

    /// Moves `slot` one step up through `node`, binding it to `node` when it arrives.
    fn seek_parent(&mut self, node: &mut Expr, slot: usize) -> Result<()> {
        match &mut node.kind {
            ExprKind::Name(_) | ExprKind::Wildcard => {
                self.slots[slot].level -= 1;
                if self.slots[slot].level == 0 {
                    if let Some(existing) = node.ancestor {
                        // The step already binds its input: share that binding.
                        self.slots[slot].label = self.slots[existing].label;
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            ExprKind::Parent { .. } => self.slots[slot].level += 1,
            ExprKind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    self.seek_parent(last, slot)?;
                    node.tuple = true;
                }
            }
            ExprKind::Path { steps, .. } => {
                let mut i = steps.len();
                while i > 0 {
                    i -= 1;
                    self.seek_parent(&mut steps[i], slot)?;
                    if self.slots[slot].level <= 0 {
                        break;
                    }
                }
                node.tuple = true;
            }
            _ => return Err(cannot_derive_parent(node.position)),
        }
        Ok(())
    }

    /// Replaces slot indexes by their final labels and drops processing state.
    fn finalize(&self, e: &mut Expr) {
        e.seeking_parent = Vec::new();
        if let ExprKind::Parent { slot } = &mut e.kind {
            *slot = self.slots[*slot].label;
        }
        if let Some(a) = &mut e.ancestor {
            *a = self.slots[*a].label;
        }
        for child in crate::ast::children_mut(e) {
            self.finalize(child);
        }
    }
}

/// A number as JSONata prints it in messages (integers without a fraction).
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
