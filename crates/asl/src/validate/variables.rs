//! Workflow variables: which names each scope assigns, which expressions read, and a warning
//! for a read of a name that no visible scope ever assigns (at run time such a read is
//! undefined: a JSONata field then fails with `States.QueryEvaluationError`).
//!
//! A scope is the definition, a Parallel branch or a Map item processor; it sees its own
//! variables and those of the scopes around it. The check is "never assigned", not "assigned
//! before": which states run first is a question for the simulator.

use std::collections::HashSet;

use crate::source::Span;
use crate::syntax::Dynamic;
use crate::syntax::intrinsic::{Arg, Call};
use crate::syntax::path::{Path, Root};

/// What the walk has seen so far.
pub(super) struct Variables {
    scopes: Vec<Scope>,
    current: usize,
    reads: Vec<Read>,
}

struct Scope {
    assigned: HashSet<String>,
    outer: Option<usize>,
}

/// One read of a variable by an expression.
pub(super) struct Read {
    pub name: String,
    pub span: Span,
    pub pointer: String,
    scope: usize,
}

impl Variables {
    pub(super) fn new() -> Variables {
        Variables {
            scopes: vec![Scope {
                assigned: HashSet::new(),
                outer: None,
            }],
            current: 0,
            reads: Vec::new(),
        }
    }

    /// Enters a nested scope (a branch or item processor); returns what [`Variables::leave`]
    /// needs to come back.
    pub(super) fn enter(&mut self) -> usize {
        let outer = self.current;
        self.scopes.push(Scope {
            assigned: HashSet::new(),
            outer: Some(outer),
        });
        self.current = self.scopes.len() - 1;
        outer
    }

    pub(super) fn leave(&mut self, outer: usize) {
        self.current = outer;
    }

    pub(super) fn assign(&mut self, name: &str) {
        self.scopes[self.current].assigned.insert(name.to_string());
    }

    pub(super) fn read(&mut self, name: &str, span: Span, pointer: &str) {
        self.reads.push(Read {
            name: name.to_string(),
            span,
            pointer: pointer.to_string(),
            scope: self.current,
        });
    }

    /// The reads of names that neither their scope nor any scope around it assigns.
    pub(super) fn unassigned(&self) -> impl Iterator<Item = &Read> {
        self.reads.iter().filter(|read| {
            let mut scope = Some(read.scope);
            while let Some(index) = scope {
                if self.scopes[index].assigned.contains(&read.name) {
                    return false;
                }
                scope = self.scopes[index].outer;
            }
            true
        })
    }
}

/// The variables a JSONata expression reads from outside itself, with the byte offset of each
/// `$name` in the expression: [`jsonata::Expression::free_variables`] (which leaves out `$`,
/// `$$`, JSONata's built-in functions and every name the expression binds) without `$states`
/// and the functions Step Functions adds.
pub(crate) fn jsonata_reads(expr: &jsonata::Expression) -> Vec<(String, usize)> {
    expr.free_variables()
        .into_iter()
        .filter(|read| read.name != "states" && !AWS_FUNCTIONS.contains(&read.name.as_str()))
        .map(|read| (read.name, read.position))
        .collect()
}

/// The variables a JSONPath-mode `.$` value reads: its path's root, or those of the paths among
/// an intrinsic call's arguments, nested calls included.
pub(super) fn jsonpath_reads(value: &Dynamic) -> Vec<&str> {
    fn args<'a>(call: &'a Call, names: &mut Vec<&'a str>) {
        for arg in &call.args {
            match arg {
                Arg::Path(path) => root(path, names),
                Arg::Call(inner) => args(inner, names),
                _ => {}
            }
        }
    }
    fn root<'a>(path: &'a Path, names: &mut Vec<&'a str>) {
        if let Root::Variable(name) = &path.root {
            names.push(name);
        }
    }
    let mut names = Vec::new();
    match value {
        Dynamic::Path(path) => root(path, &mut names),
        Dynamic::Call(call) => args(call, &mut names),
    }
    names
}

/// The functions Step Functions adds to JSONata.
const AWS_FUNCTIONS: &[&str] = &["partition", "range", "hash", "uuid", "parse"];

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str) -> Vec<String> {
        let expr = jsonata::compile(source).unwrap();
        jsonata_reads(&expr)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn reads_leave_out_what_the_expression_binds_and_the_built_ins() {
        assert_eq!(reads("$total + $states.input.x"), ["total"]);
        assert_eq!(reads("($t := 1; $t + $other)"), ["other"]);
        assert_eq!(
            reads("$map($items, function($v) { $v * $rate })"),
            ["items", "rate"]
        );
        assert_eq!(reads("orders@$o.items#$i[$i > $limit]"), ["limit"]);
        assert_eq!(
            reads("[$uuid(), $partition([1], 1), $, $$]"),
            Vec::<String>::new()
        );
        assert_eq!(reads("$f($x)"), ["f", "x"]);
        assert_eq!(reads("{ 'k': $a }.k ~> $uppercase"), ["a"]);
        assert_eq!(reads("[$a, $b[0]].($c)"), ["a", "b", "c"]);
    }

    #[test]
    fn positions_point_at_the_dollar() {
        let expr = jsonata::compile("1 + $price").unwrap();
        assert_eq!(jsonata_reads(&expr), [("price".to_string(), 4)]);
    }

    #[test]
    fn nested_scopes_see_outer_assignments_but_not_inner_ones() {
        let mut variables = Variables::new();
        variables.assign("outer");
        let top = variables.enter();
        variables.assign("inner");
        variables.read("outer", Span::new(0, 1), "/a");
        variables.read("inner", Span::new(0, 1), "/b");
        variables.leave(top);
        variables.read("inner", Span::new(0, 1), "/c");
        variables.read("outer", Span::new(0, 1), "/d");
        let unassigned: Vec<&str> = variables.unassigned().map(|r| r.pointer.as_str()).collect();
        assert_eq!(unassigned, ["/c"]);
    }
}
