//! Parser tests: tree shapes (printed as compact S-expressions), error codes and positions, and
//! robustness against hostile input.

use crate::ast::{Expr, ExprKind, Stage};
use crate::{MAX_DEPTH, parse};

/// Prints a tree compactly: paths as `(path a b)`, operators prefix, annotations as suffixes
/// (`[pred]`, `@$v`, `#$i`, `{group}`, `[]`, `!n` for an ancestor binding).
fn show(e: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(show).collect::<Vec<_>>().join(" ");
    let pairs = |p: &[(Expr, Expr)]| {
        p.iter()
            .map(|(k, v)| format!("{}: {}", show(k), show(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = match &e.kind {
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Number(n) => format!("{n}"),
        ExprKind::Bool(b) => format!("{b}"),
        ExprKind::Null => "null".into(),
        ExprKind::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Variable(v) => format!("${v}"),
        ExprKind::Wildcard => "*".into(),
        ExprKind::Descendant => "**".into(),
        ExprKind::Parent { slot } => format!("%{slot}"),
        ExprKind::Path { steps, .. } => format!("(path {})", list(steps)),
        ExprKind::Sort { terms } => {
            let terms: Vec<String> = terms
                .iter()
                .map(|t| format!("{}{}", if t.descending { ">" } else { "<" }, show(&t.expr)))
                .collect();
            format!("(sort {})", terms.join(" "))
        }
        ExprKind::Negate(x) => format!("(- {})", show(x)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), show(lhs), show(rhs))
        }
        ExprKind::Array(items) => format!("[{}]", list(items)),
        ExprKind::Object(p) => format!("{{{}}}", pairs(p)),
        ExprKind::Block(items) => format!("(block {})", list(items)),
        ExprKind::Condition {
            condition,
            then,
            otherwise,
        } => match otherwise {
            Some(o) => format!("(? {} {} {})", show(condition), show(then), show(o)),
            None => format!("(? {} {})", show(condition), show(then)),
        },
        ExprKind::Default { lhs, rhs } => format!("(?: {} {})", show(lhs), show(rhs)),
        ExprKind::Coalesce { lhs, rhs } => format!("(?? {} {})", show(lhs), show(rhs)),
        ExprKind::Bind { name, value } => format!("(:= ${name} {})", show(value)),
        ExprKind::Apply { lhs, rhs } => format!("(~> {} {})", show(lhs), show(rhs)),
        ExprKind::Call { procedure, args } => format!("(call {} {})", show(procedure), list(args)),
        ExprKind::Partial { procedure, args } => {
            format!("(partial {} {})", show(procedure), list(args))
        }
        ExprKind::Placeholder => "?".into(),
        ExprKind::Lambda {
            params,
            signature,
            body,
        } => {
            let params: Vec<String> = params.iter().map(|p| format!("${p}")).collect();
            let sig = signature
                .as_ref()
                .map_or(String::new(), |s| format!(" {}", s.text));
            format!("(lambda ({}){} {})", params.join(" "), sig, show(body))
        }
        ExprKind::Transform {
            pattern,
            update,
            delete,
        } => match delete {
            Some(d) => format!("(| {} {} {})", show(pattern), show(update), show(d)),
            None => format!("(| {} {})", show(pattern), show(update)),
        },
    };
    for f in &e.predicate {
        s.push_str(&format!("[{}]", show(&f.expr)));
    }
    if let Some(v) = &e.focus {
        s.push_str(&format!("@${v}"));
    }
    if let Some(v) = &e.index {
        s.push_str(&format!("#${v}"));
    }
    for stage in &e.stages {
        match stage {
            Stage::Filter(f) => s.push_str(&format!("[{}]", show(&f.expr))),
            Stage::Index { name, .. } => s.push_str(&format!("#${name}")),
        }
    }
    if let Some(g) = &e.group {
        s.push_str(&format!("{{{}}}", pairs(&g.pairs)));
    }
    if e.keep_array {
        s.push_str("[]");
    }
    if let Some(a) = e.ancestor {
        s.push_str(&format!("!{a}"));
    }
    s
}

fn ok(src: &str) -> String {
    match parse(src) {
        Ok(e) => show(&e),
        Err(e) => panic!("{src:?} failed: {e}"),
    }
}

fn err(src: &str) -> (&'static str, usize) {
    match parse(src) {
        Ok(e) => panic!("{src:?} parsed as {}", show(&e)),
        Err(e) => (e.code, e.position),
    }
}

#[test]
fn literals() {
    assert_eq!(ok("\"a\\\"b\""), r#""a\"b""#);
    assert_eq!(ok("'it'"), "\"it\"");
    assert_eq!(
        ok(r#""tab\there\u00e9\uD834\uDD1E""#),
        "\"tab\\there\u{e9}\u{1D11E}\""
    );
    assert_eq!(ok(r#""\ud800""#), "\"\u{FFFD}\"");
    assert_eq!(ok("1.5e3"), "1500");
    assert_eq!(ok("0.25"), "0.25");
    assert_eq!(ok("-7"), "-7");
    assert_eq!(ok("true"), "true");
    assert_eq!(ok("null"), "null");
    assert_eq!(ok("$"), "$");
    assert_eq!(ok("$$"), "$$");
    assert_eq!(ok("`a b`.c"), "(path a b c)");
    assert_eq!(ok("/* note */ a /* more */"), "(path a)");
}

#[test]
fn paths_and_predicates() {
    assert_eq!(ok("a.b[0].c"), "(path a b[0] c)");
    assert_eq!(ok("a.b[0][x>1]"), "(path a b[0][(> (path x) 1)])");
    assert_eq!(ok("$x[0]"), "$x[0]");
    assert_eq!(ok("$x[0].a"), "(path $x[0] a)");
    assert_eq!(ok("a.$x[0]"), "(path a $x[0])");
    assert_eq!(ok("a.b[]"), "(path a b[])");
    assert_eq!(ok("a[]"), "(path a[])[]");
    assert_eq!(ok("\"a\".b"), "(path a b)");
    assert_eq!(ok("*.**.b"), "(path * ** b)");
    assert_eq!(ok("and.or.in"), "(path and or in)");
    assert_eq!(ok("a.b{c: d}"), "(path a b){(path c): (path d)}");
    assert_eq!(ok("a^(>b, c)"), "(path a (sort >(path b) <(path c)))");
    assert_eq!(ok("a@$x.b#$i"), "(path a@$x b#$i)");
    assert_eq!(ok("a[0]#$i"), "(path a[0]#$i)");
}

#[test]
fn parent_operator() {
    assert_eq!(ok("a.b.%"), "(path a b!0 %0)");
    assert_eq!(ok("a.b.%.%"), "(path a!1 b!0 %0 %1)");
    assert_eq!(ok("a.b[%.c]"), "(path a b[(path %0 c)]!0)");
}

#[test]
fn operator_precedence() {
    assert_eq!(ok("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(ok("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(ok("a & b = c"), "(= (& (path a) (path b)) (path c))");
    assert_eq!(ok("a or b and c"), "(or (path a) (and (path b) (path c)))");
    assert_eq!(ok("a in b and c"), "(and (in (path a) (path b)) (path c))");
    assert_eq!(ok("-a.b"), "(- (path a b))");
    assert_eq!(ok("-$x * 2"), "(* (- $x) 2)");
    assert_eq!(ok("$x := $y := 3"), "(:= $x (:= $y 3))");
    assert_eq!(ok("[1..3, 5]"), "[(.. 1 3) 5]");
    assert_eq!(ok("a % b"), "(% (path a) (path b))");
}

#[test]
fn conditionals() {
    assert_eq!(ok("a ? b : c"), "(? (path a) (path b) (path c))");
    assert_eq!(ok("a ? b"), "(? (path a) (path b))");
    assert_eq!(
        ok("a = 1 ? b : c ? d : e"),
        "(? (= (path a) 1) (path b) (? (path c) (path d) (path e)))"
    );
    assert_eq!(ok("a ?: b"), "(?: (path a) (path b))");
    assert_eq!(ok("a ?? b + 1"), "(?? (path a) (+ (path b) 1))");
}

#[test]
fn functions_and_lambdas() {
    assert_eq!(ok("$x ~> $f(?)"), "(~> $x (partial $f ?))");
    assert_eq!(ok("$x ~> $f ~> $g(1)"), "(~> (~> $x $f) (call $g 1))");
    assert_eq!(ok("$sum(a.b, 2)"), "(call $sum (path a b) 2)");
    assert_eq!(ok("$f()"), "(call $f )");
    assert_eq!(
        ok("function($a, $b)<n-n:n>{ $a + $b }"),
        "(lambda ($a $b) <n-n:n> (+ $a $b))"
    );
    assert_eq!(ok("λ($x){$x}(3)"), "(call (lambda ($x) $x) 3)");
    let e = parse("function($a)<a<s>s?:s>{$a}").unwrap();
    let ExprKind::Lambda {
        signature: Some(sig),
        ..
    } = e.kind
    else {
        panic!("not a lambda with a signature");
    };
    assert_eq!(sig.params.len(), 2);
    assert_eq!(sig.params[0].subtype.as_deref(), Some("s"));
    assert!(sig.params[1].optional);
}

#[test]
fn constructors_blocks_transforms() {
    assert_eq!(ok("{\"a\": 1, b: [2]}"), "{\"a\": 1, (path b): [2]}");
    assert_eq!(ok("(a; b)"), "(block (path a) (path b))");
    assert_eq!(ok("()"), "(block )");
    assert_eq!(ok("(a;)"), "(block (path a))");
    assert_eq!(
        ok("| a | {\"x\": 1}, [\"y\"] |"),
        "(| (path a) {\"x\": 1} [\"y\"])"
    );
    assert_eq!(ok("$ ~> |a|{}|"), "(~> $ (| (path a) {}))");
}

#[test]
fn regex_or_division() {
    assert_eq!(ok("a / 2"), "(/ (path a) 2)");
    assert_eq!(ok("a/b/c"), "(/ (/ (path a) (path b)) (path c))");
    assert_eq!(ok("a[] / 2"), "(/ (path a[])[] 2)");
    assert_eq!(ok("(a) / 2"), "(/ (block (path a)) 2)");
    assert_eq!(ok("$f(/a\\/b/i)"), "(call $f /a\\/b/i)");
    assert_eq!(ok("(/x/)"), "(block /x/)");
    assert_eq!(ok("$split(s, /[/]/m)"), "(call $split (path s) /[/]/m)");
    assert_eq!(ok("/(a/b)/ "), "/(a/b)/");
    assert_eq!(ok("5/9"), "(/ 5 9)");
}

#[test]
fn node_positions() {
    let e = parse("  a.b + $c").unwrap();
    assert_eq!(e.position, 6);
    let ExprKind::Binary { lhs, rhs, .. } = e.kind else {
        panic!()
    };
    assert_eq!((lhs.position, rhs.position), (2, 8));
    // Byte offsets, not char offsets.
    let e = parse("\"é\" & λ").unwrap();
    assert_eq!(e.position, 5);
}

#[test]
fn token_errors() {
    assert_eq!(err("\"no closing quote"), ("S0101", 0));
    assert_eq!(err("a & 'x"), ("S0101", 4));
    assert_eq!(err("10e1000"), ("S0102", 0));
    assert_eq!(err("\"\\y\""), ("S0103", 2));
    assert_eq!(err("\"\\u12\""), ("S0104", 2));
    assert_eq!(err("\"\\u123t\""), ("S0104", 2));
    assert_eq!(err("`no closing backtick"), ("S0105", 0));
    assert_eq!(err("a /* open"), ("S0106", 2));
    assert_eq!(err("[1!2]"), ("S0204", 2));
    assert_eq!(err("a ~ b"), ("S0204", 2));
    assert_eq!(err("$f(//)"), ("S0301", 3));
    assert_eq!(err("$f(/abc)"), ("S0302", 3));
}

#[test]
fn grammar_errors() {
    assert_eq!(err("Account.Order[0].Product;"), ("S0201", 24));
    assert_eq!(err("$.7a"), ("S0201", 3));
    assert_eq!(err("[1,2)"), ("S0202", 4));
    assert_eq!(err("[1:2]"), ("S0202", 2));
    assert_eq!(err("$replace(\"foo\", \"o, \"rr\")"), ("S0202", 21));
    assert_eq!(err("$lower(\"x\""), ("S0203", 10));
    assert_eq!(err("1="), ("S0207", 2));
    assert_eq!(err(""), ("S0207", 0));
    assert_eq!(err("   "), ("S0207", 3));
    assert_eq!(err("function(x){$x}(3)"), ("S0208", 9));
    assert_eq!(err("[1,2,3]{\"num\": $}[true]"), ("S0209", 17));
    assert_eq!(err("[1,2,3]{\"num\": $}{\"num\": $}"), ("S0210", 17));
    assert_eq!(err("@ bar"), ("S0211", 0));
    assert_eq!(err("55=>5"), ("S0211", 3));
    assert_eq!(err("Ssum(:)"), ("S0211", 5));
    assert_eq!(err("x:=1"), ("S0212", 0));
    assert_eq!(err("($a := [1]; $a[1] := 3)"), ("S0212", 12));
    assert_eq!(err("$.7"), ("S0213", 2));
    assert_eq!(err("a.true"), ("S0213", 2));
    assert_eq!(err("Account.Order@o.Product"), ("S0214", 14));
    assert_eq!(err("a#i"), ("S0214", 2));
    assert_eq!(err("Account.Order[1]@$o.Product"), ("S0215", 16));
    assert_eq!(err("a^(>b)@$o.c"), ("S0216", 6));
    assert_eq!(err("%"), ("S0217", 0));
    assert_eq!(err("(%)"), ("S0217", 1));
    assert_eq!(err("$.%"), ("S0217", 0));
    assert_eq!(err("library.loans.%.%.%"), ("S0217", 18));
    assert_eq!(err("λ($arg)<n<n>>{$arg}"), ("S0401", 10));
    assert_eq!(err("λ($arr)<(sa<n>)>>{$arr}"), ("S0402", 9));
}

/// Malformed signatures that used to reach the evaluator half-parsed (an empty type parameter
/// panicked when a call checked its arguments) are syntax errors now.
#[test]
fn malformed_signatures_are_syntax_errors() {
    // `λ` is two bytes, so the signature of `λ($a)…` starts at byte 6.
    assert_eq!(err("λ($a)<a<>>{$a}(1)"), ("S0403", 8));
    for src in [
        "λ($a)<a<>?>{$a}([1])",
        "λ($a, $b)<na<>+>{$a}(1, [2], [3])",
        "λ($a)<x-a<>>{$a}()",
        "λ($a)<a<>:n>{$a}(\"s\")",
        "λ($a)<a<a<>>>{$a}([[1]])",
        "function($f)<f<>>{$f}",
        "λ($a)<(sn>{$a}(1)",
        "λ($a)<n()>{$a}(1)",
        "λ($a)<n:a<>>{$a}(1)",
    ] {
        assert_eq!(err(src).0, "S0403", "{src}");
    }
    let mut env = crate::Environment::new();
    for bad in ["<a<>>", "n:n", "<n>x", "<(n>", "<n)>"] {
        let e = env.register("f", Some(bad), |_| Ok(None)).unwrap_err();
        assert_eq!(e.code, "S0403", "{bad}");
    }
}

/// Matching arguments against `+` parameters backtracks; a table keeps it polynomial, where a
/// regex (and this crate before) took time exponential in the number of `+` parameters.
#[test]
fn signatures_with_many_repeated_parameters_are_matched_without_backtracking() {
    let args = vec!["1"; 40].join(",");
    let src = format!("λ($a)<n+n+n+n+n+n+n+n+n+n+n+s>{{$a}}({args})");
    let e = crate::compile(&src).unwrap();
    let error = e.evaluate(None, &crate::Environment::new()).unwrap_err();
    assert_eq!(error.code, "T0410");
    let src = format!("λ($a)<n+n+n+n+n+n+n+n+n+n+n+n?>{{$a}}({args})");
    let e = crate::compile(&src).unwrap();
    let result = e.evaluate(None, &crate::Environment::new()).unwrap();
    assert_eq!(result, Some(serde_json::json!(1)));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    const N: usize = 100_000;
    let inputs = [
        "(".repeat(N),
        "[".repeat(N),
        "{".repeat(N),
        "-".repeat(N) + "1",
        "$f(".repeat(N),
        "a.".repeat(N) + "a",
        "1+".repeat(N) + "1",
        "a".to_string() + &"[0]".repeat(N),
        "$x:=".repeat(N) + "1",
        "a?".repeat(N) + "b",
        "(".repeat(N) + &")".repeat(N),
    ];
    // A small stack must be enough: 1 MiB (the browser's) for optimised builds, the 2 MiB of a
    // test thread for debug builds, whose frames are several times larger.
    let stack = if cfg!(debug_assertions) {
        2 << 20
    } else {
        1 << 20
    };
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            for input in &inputs {
                let e = parse(input).unwrap_err();
                assert_eq!(e.code, "U1001", "{}", &input[..10]);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deepest_accepted_input_fits_a_small_stack() {
    // (prefix, middle, suffix): `prefix` and `suffix` repeated n times around `middle`.
    let shapes: [(&str, &str, &str); 13] = [
        ("(", "1", ")"),
        ("[", "1", "]"),
        ("{\"a\":", "1", "}"),
        ("-", "1", ""),
        ("$f(", "1", ")"),
        ("", "a", ".a"),
        ("", "1", "+1"),
        ("", "a", "[0]"),
        ("$x:=", "1", ""),
        ("a?", "b", ""),
        ("(a.", "b", ")"),
        ("function($x){", "$x", "}"),
        ("", "$", "~>$f"),
    ];
    let stack = if cfg!(debug_assertions) {
        2 << 20
    } else {
        1 << 20
    };
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            for (prefix, middle, suffix) in shapes {
                let accepted = (1..=MAX_DEPTH).rev().find(|&n| {
                    let src = prefix.repeat(n) + middle + &suffix.repeat(n);
                    parse(&src).map_err(|e| e.code) != Err("U1001")
                });
                let n = accepted.expect("some depth is accepted");
                assert!(
                    n >= MAX_DEPTH / 3,
                    "{prefix}{middle}{suffix}: only {n} levels"
                );
                parse(&(prefix.repeat(n) + middle + &suffix.repeat(n))).unwrap();
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn arbitrary_input_never_panics() {
    let mut pieces: Vec<&str> = concat!(
        r#"( ) [ ] { } " ' ` \ / * % $ @ # ? : ; , . .. | ^ < > = ! ~ & - + a λ é 1 0 e u "#,
        r#"function \u /* */ in true `é<` ?: ?? := ~> ** ^( λ($x)< a<n> (s< "\uD834 /a/ 1e9"#,
    )
    .split(' ')
    .collect();
    pieces.extend([" ", "\n"]);
    // A fixed linear congruential generator: deterministic, no dependency.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    // `JSONATA_FUZZ=1000000 cargo test --release -p jsonata arbitrary` for a longer run.
    let rounds: usize = std::env::var("JSONATA_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    for _ in 0..rounds {
        let len = next() % 24;
        let src: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
        if let Err(e) = parse(&src) {
            assert!(e.position <= src.len(), "{src:?}: {e}");
            assert!(src.is_char_boundary(e.position), "{src:?}: {e}");
        }
    }
    // Raw bytes, made valid UTF-8 lossily.
    for _ in 0..rounds / 4 {
        let len = next() % 32;
        let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
        let src = String::from_utf8_lossy(&bytes);
        let _ = parse(&src);
    }
}
