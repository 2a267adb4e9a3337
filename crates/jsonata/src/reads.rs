//! The variables an expression reads from outside itself, for tools that check expressions
//! without running them (awskb's ASL validator warns about workflow variables never assigned).

use std::collections::HashSet;

use crate::ast::{Expr, ExprKind, Stage, children};

/// A read of a variable the expression does not bind: `$name`, and the byte offset of its
/// `$` in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRead {
    /// The name without its `$`.
    pub name: String,
    /// Byte offset of the `$` in the expression's source.
    pub position: usize,
}

/// Calls `f` on `expr` and every expression inside it.
fn visit(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    for child in children(expr) {
        visit(child, f);
    }
}

/// See [`crate::Expression::free_variables`].
pub(crate) fn free_variables(expr: &Expr) -> Vec<VariableRead> {
    let mut bound = HashSet::new();
    let mut reads = Vec::new();
    visit(expr, &mut |node| {
        bound.extend(node.focus.iter().cloned());
        bound.extend(node.index.iter().cloned());
        for stage in &node.stages {
            if let Stage::Index { name, .. } = stage {
                bound.insert(name.clone());
            }
        }
        match &node.kind {
            ExprKind::Bind { name, .. } => {
                bound.insert(name.clone());
            }
            ExprKind::Lambda { params, .. } => bound.extend(params.iter().cloned()),
            ExprKind::Variable(name) => reads.push(VariableRead {
                name: name.clone(),
                position: node.position,
            }),
            _ => {}
        }
    });
    reads.retain(|read| {
        !(read.name.is_empty()
            || read.name == "$"
            || bound.contains(&read.name)
            || crate::functions::builtin(&read.name).is_some())
    });
    reads
}

#[cfg(test)]
mod tests {
    fn reads(source: &str) -> Vec<String> {
        let expression = crate::compile(source).unwrap();
        expression
            .free_variables()
            .into_iter()
            .map(|read| read.name)
            .collect()
    }

    #[test]
    fn reads_leave_out_what_the_expression_binds_and_the_built_ins() {
        assert_eq!(reads("$total + $states.input.x"), ["total", "states"]);
        assert_eq!(reads("($t := 1; $t + $other)"), ["other"]);
        assert_eq!(
            reads("$map($items, function($v) { $v * $rate })"),
            ["items", "rate"]
        );
        assert_eq!(reads("orders@$o.items#$i[$i > $limit]"), ["limit"]);
        assert_eq!(reads("[$count([1]), $, $$]"), Vec::<String>::new());
        assert_eq!(reads("$f($x)"), ["f", "x"]);
        assert_eq!(reads("{ 'k': $a }.k ~> $uppercase"), ["a"]);
        assert_eq!(reads("[$a, $b[0]].($c)"), ["a", "b", "c"]);
        // Bound anywhere counts, so a function may call one defined after it.
        assert_eq!(
            reads("($f := function() { $g() }; $g := function() { 1 }; $f())"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn positions_point_at_the_dollar() {
        let expression = crate::compile("1 + $price").unwrap();
        assert_eq!(
            expression.free_variables(),
            [super::VariableRead {
                name: "price".into(),
                position: 4
            }]
        );
    }
}
