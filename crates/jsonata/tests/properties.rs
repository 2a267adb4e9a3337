//! Property tests: whatever the expression, compiling and evaluating it (with tight budgets)
//! gives a value or an `Error`, never a panic, a hang or an exhausted memory.
//!
//! Meant for release mode, where many more cases fit in the same time:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release -p jsonata --test properties
//! ```
//!
//! `PROPTEST_CASES` sets the cases per property (256 by default); about 10,000 per property
//! take a minute in release mode. Generated expressions come from a grammar and from edits of
//! the seed corpus in `tests/corpus/expressions.txt`. A failure proptest finds is saved in
//! `properties.proptest-regressions` (commit it), and belongs in [`REGRESSIONS`] too.

use proptest::prelude::*;
use serde_json::json;

/// Expressions that once panicked or ran away, kept as cases run every time.
const REGRESSIONS: &[&str] = &[
    // An empty type parameter in a signature (issue 21): index out of bounds at the call.
    "λ($a)<a<>>{$a}(1)",
    "λ($a)<a<>?>{$a}([1, 2])",
    "function($f)<f<>>{$f}(1)",
    // Exponential backtracking over `+` parameters.
    "λ($a)<n+n+n+n+n+n+n+n+n+n+n+n+s>{$a}(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)",
    // Values that grow until memory runs out.
    r#"$reduce([1..40], function($a, $v){ $a & $a }, "xxxxxxxx")"#,
    "$count([1..10000000].([1..10000000]))",
    r#"$join([1..100000].$pad("", 100000))"#,
    // A shared constant mapped over a long sequence grew uncharged.
    "$count([1..100000].([1..100000]))",
];

fn corpus() -> Vec<&'static str> {
    include_str!("corpus/expressions.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

fn document() -> serde_json::Value {
    json!({
        "orders": [
            {"id": "a", "items": [{"sku": "x", "price": 2, "qty": 3}, {"sku": "y", "price": 5.5, "qty": 1}]},
            {"id": "b", "items": [{"sku": "x", "price": 2, "qty": 1}], "note": null}
        ],
        "tags": ["new", "sale", ""],
        "nested": {"deep": {"value": 42, "list": [[1, 2], [3]]}},
        "n": -0.5,
        "flag": true
    })
}

/// An environment with budgets small enough that a runaway case ends in milliseconds.
fn environment() -> jsonata::Environment {
    let mut env = jsonata::Environment::new();
    env.set_max_steps(200_000)
        .set_max_memory(16 << 20)
        .set_seed(7)
        .set_now(1_700_000_000_000)
        .bind("x", json!([1, "two", {"three": 3}]));
    env
}

/// Compiles and evaluates `source`; only a panic (or a result the API forbids) fails.
fn run(source: &str) {
    let env = environment();
    let input = document();
    match jsonata::compile(source) {
        Ok(expression) => {
            for input in [Some(&input), None] {
                if let Err(e) = expression.evaluate(input, &env) {
                    assert!(
                        e.position <= source.len() || e.position == 0,
                        "{source}: {e}"
                    );
                }
            }
            let _ = expression.free_variables();
        }
        Err(e) => {
            assert!(e.position <= source.len(), "{source}: {e}");
            assert!(e.code.len() == 5, "{source}: {e}");
        }
    }
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (-3i32..100).prop_map(|n| n.to_string()),
        Just("1.5".to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        Just("\"\"".to_string()),
        Just("\"ab\"".to_string()),
        Just("'x'".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("$".to_string()),
        Just("$$".to_string()),
        Just("$x".to_string()),
        Just("$v".to_string()),
        Just("$i".to_string()),
        Just("orders".to_string()),
        Just("items".to_string()),
        Just("price".to_string()),
        Just("tags".to_string()),
        Just("`nested`".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("%".to_string()),
        Just("/a+/i".to_string()),
        Just("[1..5]".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ]
}

const FUNCTIONS: &[&str] = &[
    "sum",
    "count",
    "max",
    "string",
    "length",
    "substring",
    "uppercase",
    "pad",
    "contains",
    "split",
    "join",
    "match",
    "replace",
    "number",
    "round",
    "power",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "parseInteger",
    "boolean",
    "not",
    "exists",
    "append",
    "sort",
    "reverse",
    "distinct",
    "zip",
    "keys",
    "lookup",
    "spread",
    "merge",
    "sift",
    "each",
    "type",
    "map",
    "filter",
    "single",
    "reduce",
    "fromMillis",
    "toMillis",
    "eval",
    "error",
    "shuffle",
    "base64encode",
    "decodeUrl",
    "trim",
];

const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", ".", "..",
    "~>", "?:", "??",
];

const SIGNATURE_PIECES: &[&str] = &[
    "n", "s", "b", "l", "a", "o", "f", "j", "x", "(ns)", "(sa)", "a<n>", "a<s>", "f<n:n>", "a<>",
    "f<>", "()", "?", "+", "-", ":", "<", ">", "(", ")", "a<a<n>>",
];

fn signature() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SIGNATURE_PIECES), 0..6)
        .prop_map(|pieces| format!("<{}>", pieces.concat()))
}

fn expression() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(OPERATORS),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}.{b}")),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("{{{k}: {v}}}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, k, v)| format!("{a}{{{k}: {v}}}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("($v := {a}; {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (
                prop::sample::select(FUNCTIONS),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("${f}({})", args.join(", "))),
            (inner.clone(), prop::sample::select(FUNCTIONS))
                .prop_map(|(a, f)| format!("{a} ~> ${f}")),
            inner
                .clone()
                .prop_map(|body| format!("function($v, $i) {{ {body} }}")),
            (
                signature(),
                inner.clone(),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(sig, body, args)| format!(
                    "λ($v, $i){sig}{{ {body} }}({})",
                    args.join(", ")
                )),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}^(>{b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}@$v.{b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}#$i[{b}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("{a} ~> | {b} | {c} |")),
            inner.clone().prop_map(|a| format!("$eval({a:?})")),
            // Self-application and recursion that only the budgets stop.
            inner.prop_map(|a| format!("($f := function($n) {{ $f($n) & {a} }}; $f(1))")),
        ]
    })
}

/// Characters that matter to JSONata's grammar, for edits of the corpus.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop::sample::select(b"()[]{}<>.,;:$@#%^&*+-/?=!~|\"'`\\ 0a\xce\xbb".to_vec())
}

fn mutate(seed: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for &(at, op, byte) in edits {
        let at = at % (bytes.len() + 1);
        match op % 3 {
            0 if at < bytes.len() => bytes[at] = byte,
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #[test]
    fn generated_expressions_never_panic(source in expression()) {
        run(&source);
    }

    #[test]
    fn edited_corpus_expressions_never_panic(
        seed in prop::sample::select(corpus()),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), interesting_byte()), 0..6),
    ) {
        run(&mutate(seed, &edits));
    }

    #[test]
    fn arbitrary_text_never_panics(source in "\\PC{0,80}") {
        run(&source);
    }

    #[test]
    fn signatures_are_parsed_or_refused(
        sig in signature(),
        args in prop::collection::vec(
            prop::sample::select(&["1", "\"s\"", "[1, 2]", "[\"a\"]", "[]", "{}", "null", "true", "$", "function($y){$y}"][..]),
            0..5,
        ),
    ) {
        run(&format!("λ($a, $b, $c){sig}{{[$a, $b, $c]}}({})", args.join(", ")));
        let mut env = jsonata::Environment::new();
        let _ = env.register("native", Some(&sig), |_| Ok(None));
    }
}

#[test]
fn regressions_end_with_a_value_or_an_error() {
    for source in REGRESSIONS {
        run(source);
    }
}

#[test]
fn the_corpus_compiles() {
    for source in corpus() {
        assert!(jsonata::compile(source).is_ok(), "{source}");
    }
}
