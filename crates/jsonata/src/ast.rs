//! The syntax tree handed to the evaluator.
//!
//! It is the *processed* tree of the reference implementation, not the raw operator tree: location
//! paths are flattened into [`ExprKind::Path`] steps, predicates are attached to the expression
//! or step they filter, `{…}` after an expression becomes a [`Group`], `^(…)` becomes a
//! [`ExprKind::Sort`] step, `@$v` / `#$i` set [`Expr::focus`] / [`Expr::index`], and every parent
//! operator `%` is tied to the step whose input it refers to (see [`ExprKind::Parent`]). The
//! evaluator can then follow JSONata's evaluation rules without re-analysing the syntax.
//!
//! Positions are byte offsets into the source of the token that introduced the node (the
//! operator for binary nodes, the `(` of a call, the first step of a path).

use std::sync::Arc;

/// One node of the tree: what it is, where it is, and the annotations the processing stage
/// attaches to it. Most annotations are empty on most nodes; they live here (rather than in the
/// variants) because the reference attaches them to whatever expression a step happens to be.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// Byte offset of the token that introduced this node, for evaluation-time errors.
    pub position: usize,
    /// Filters applied to this expression's whole result (`$x[0]`, `(a.b)[c]`, first path step).
    pub predicate: Vec<Filter>,
    /// For a step of a path: filters and index bindings applied, in order, to the result of
    /// this step for each input item (`a.b[0]` takes the first `b` of every `a`).
    pub stages: Vec<Stage>,
    /// `expr{key: value, …}`: group the result into one object.
    pub group: Option<Box<Group>>,
    /// `step@$v`: the step's value is bound to `$v` and the context stays the previous item.
    pub focus: Option<String>,
    /// `step#$i`: the position of each item in the step's result is bound to `$i`.
    pub index: Option<String>,
    /// The parent slot this step binds (its input), for a `%` later in the path or predicate.
    /// The number matches [`ExprKind::Parent::slot`].
    pub ancestor: Option<usize>,
    /// The step (or path, or block) must be evaluated as a stream of tuples carrying variable
    /// bindings, because of a focus, index or parent binding.
    pub tuple: bool,
    /// `expr[]`: keep a singleton array as an array.
    pub keep_array: bool,
    /// An array constructor that is the first or last step of a path (or a block holding one):
    /// its result is not flattened into the path's sequence.
    pub cons_array: bool,
    /// Parent slots still looking for their step while the tree is being processed.
    pub(crate) seeking_parent: Vec<usize>,
}

impl Expr {
    pub(crate) fn new(kind: ExprKind, position: usize) -> Self {
        Expr {
            kind,
            position,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            ancestor: None,
            tuple: false,
            keep_array: false,
            cons_array: false,
            seeking_parent: Vec::new(),
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string literal (inside a path it becomes a [`ExprKind::Name`] step).
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    /// `/pattern/flags` exactly as written; flags are some of `i` and `m`. Compiling the pattern
    /// is left to the evaluator, which also decides on the regex engine.
    Regex {
        pattern: String,
        flags: String,
    },
    /// A field name (a step of a path; a lone name is a one-step path).
    Name(String),
    /// `$name`. `$` is the empty name (the context) and `$$` is `"$"` (the root input).
    Variable(String),
    /// `*`: all fields of the context.
    Wildcard,
    /// `**`: all descendants of the context.
    Descendant,
    /// `%`: the input of the step tagged with [`Expr::ancestor`] equal to `slot`.
    Parent {
        slot: usize,
    },
    /// `a.b.c`: steps mapped in order over the sequence. `keep_singleton_array` is set when any
    /// step carries `[]`.
    Path {
        steps: Vec<Expr>,
        keep_singleton_array: bool,
    },
    /// A path step `^(term, …)` that sorts the sequence so far.
    Sort {
        terms: Vec<SortTerm>,
    },
    /// `-expr` on anything but a number literal (those are folded into the literal).
    Negate(Box<Expr>),
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `[a, b, 1..3]`; ranges are [`BinaryOp::Range`] items.
    Array(Vec<Expr>),
    /// `{key: value, …}` constructing one object.
    Object(Vec<(Expr, Expr)>),
    /// `(a; b; c)`: evaluated in a new scope, value of the last expression.
    Block(Vec<Expr>),
    /// `cond ? then : else`.
    Condition {
        condition: Box<Expr>,
        then: Box<Expr>,
        otherwise: Option<Box<Expr>>,
    },
    /// `lhs ?: rhs`: `lhs` if it is truthy, else `rhs`.
    Default {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `lhs ?? rhs`: `lhs` if it exists (is not undefined), else `rhs`.
    Coalesce {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `$name := value`.
    Bind {
        name: String,
        value: Box<Expr>,
    },
    /// `lhs ~> rhs`: apply the function `rhs` to `lhs` (or compose two functions).
    Apply {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `procedure(args…)`.
    Call {
        procedure: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `procedure(args…)` where some args are [`ExprKind::Placeholder`]: a partial application.
    Partial {
        procedure: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `?` standing for a missing argument in a [`ExprKind::Partial`].
    Placeholder,
    /// `function($a, $b)<sig>{ body }` (or `λ`). Parameter names are without the `$`.
    Lambda {
        params: Vec<String>,
        signature: Option<Arc<crate::Signature>>,
        /// Shared so that a closure value can outlive the evaluation that created it.
        body: Arc<Expr>,
    },
    /// `| pattern | update, delete |`.
    Transform {
        pattern: Arc<Expr>,
        update: Arc<Expr>,
        delete: Option<Arc<Expr>>,
    },
}

/// Binary operators that evaluate both operands (besides `and`/`or`, which short-circuit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    /// `&`
    Concat,
    And,
    Or,
    In,
    /// `..`, only inside an array constructor.
    Range,
}

impl BinaryOp {
    /// The operator as written, for error messages.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::Equal => "=",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::Range => "..",
        }
    }
}

/// A predicate `[expr]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub expr: Expr,
    /// Byte offset of the `[`.
    pub position: usize,
}

/// One stage of a path step, applied in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Filter(Filter),
    /// `#$name` written after a predicate: bind each item's position to `$name`.
    Index {
        name: String,
        position: usize,
    },
}

/// The object of a grouping `expr{key: value, …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub pairs: Vec<(Expr, Expr)>,
    /// Byte offset of the `{`.
    pub position: usize,
}

/// One term of an order-by `^(<a, >b)`.
#[derive(Debug, Clone, PartialEq)]
pub struct SortTerm {
    pub descending: bool,
    pub expr: Expr,
}

/// Every expression directly below `e`, annotations (predicates, stages, groups) included: for
/// tools that read the tree, such as awskb's validator looking for the variables an expression
/// reads.
pub fn children(e: &Expr) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = Vec::new();
    match &e.kind {
        ExprKind::String(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Regex { .. }
        | ExprKind::Name(_)
        | ExprKind::Variable(_)
        | ExprKind::Wildcard
        | ExprKind::Descendant
        | ExprKind::Parent { .. }
        | ExprKind::Placeholder => {}
        ExprKind::Path { steps: v, .. } | ExprKind::Array(v) | ExprKind::Block(v) => {
            out.extend(v.iter())
        }
        ExprKind::Sort { terms } => out.extend(terms.iter().map(|t| &t.expr)),
        ExprKind::Negate(a) | ExprKind::Bind { value: a, .. } => out.push(a),
        ExprKind::Lambda { body, .. } => out.push(body),
        ExprKind::Binary { lhs, rhs, .. }
        | ExprKind::Default { lhs, rhs }
        | ExprKind::Coalesce { lhs, rhs }
        | ExprKind::Apply { lhs, rhs } => {
            out.push(lhs);
            out.push(rhs);
        }
        ExprKind::Object(pairs) => {
            for (k, v) in pairs {
                out.push(k);
                out.push(v);
            }
        }
        ExprKind::Condition {
            condition: a,
            then: b,
            otherwise: c,
        } => {
            out.push(a);
            out.push(b);
            if let Some(c) = c {
                out.push(c);
            }
        }
        ExprKind::Transform {
            pattern: a,
            update: b,
            delete: c,
        } => {
            out.push(a);
            out.push(b);
            if let Some(c) = c {
                out.push(c);
            }
        }
        ExprKind::Call { procedure, args } | ExprKind::Partial { procedure, args } => {
            out.push(procedure);
            out.extend(args.iter());
        }
    }
    out.extend(e.predicate.iter().map(|f| &f.expr));
    for stage in &e.stages {
        if let Stage::Filter(f) = stage {
            out.push(&f.expr);
        }
    }
    if let Some(group) = &e.group {
        for (k, v) in &group.pairs {
            out.push(k);
            out.push(v);
        }
    }
    out
}

/// [`children`] for the processing stage, which rewrites the tree in place.
pub(crate) fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    let mut out: Vec<&mut Expr> = Vec::new();
    match &mut e.kind {
        ExprKind::String(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Regex { .. }
        | ExprKind::Name(_)
        | ExprKind::Variable(_)
        | ExprKind::Wildcard
        | ExprKind::Descendant
        | ExprKind::Parent { .. }
        | ExprKind::Placeholder => {}
        ExprKind::Path { steps: v, .. } | ExprKind::Array(v) | ExprKind::Block(v) => {
            out.extend(v.iter_mut())
        }
        ExprKind::Sort { terms } => out.extend(terms.iter_mut().map(|t| &mut t.expr)),
        ExprKind::Negate(a) | ExprKind::Bind { value: a, .. } => out.push(a),
        // Freshly built, so never shared: `make_mut` does not clone.
        ExprKind::Lambda { body, .. } => out.push(Arc::make_mut(body)),
        ExprKind::Binary { lhs, rhs, .. }
        | ExprKind::Default { lhs, rhs }
        | ExprKind::Coalesce { lhs, rhs }
        | ExprKind::Apply { lhs, rhs } => {
            out.push(lhs);
            out.push(rhs);
        }
        ExprKind::Object(pairs) => {
            for (k, v) in pairs {
                out.push(k);
                out.push(v);
            }
        }
        ExprKind::Condition {
            condition: a,
            then: b,
            otherwise: c,
        } => {
            out.push(a);
            out.push(b);
            if let Some(c) = c {
                out.push(c);
            }
        }
        ExprKind::Transform {
            pattern: a,
            update: b,
            delete: c,
        } => {
            out.push(Arc::make_mut(a));
            out.push(Arc::make_mut(b));
            if let Some(c) = c {
                out.push(Arc::make_mut(c));
            }
        }
        ExprKind::Call { procedure, args } | ExprKind::Partial { procedure, args } => {
            out.push(procedure);
            out.extend(args.iter_mut());
        }
    }
    out.extend(e.predicate.iter_mut().map(|f| &mut f.expr));
    for stage in &mut e.stages {
        if let Stage::Filter(f) = stage {
            out.push(&mut f.expr);
        }
    }
    if let Some(group) = &mut e.group {
        for (k, v) in &mut group.pairs {
            out.push(k);
            out.push(v);
        }
    }
    out
}
