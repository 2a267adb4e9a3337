//! Evaluator tests, one group per feature area, on small expressions and documents of our own.

use serde_json::{Value, json};

use crate::{Environment, Error, compile};

fn doc() -> Value {
    json!({
        "name": "shop",
        "orders": [
            {"id": "a", "items": [{"sku": "x", "price": 2, "qty": 3}, {"sku": "y", "price": 5, "qty": 1}]},
            {"id": "b", "items": [{"sku": "x", "price": 2, "qty": 1}]}
        ],
        "tags": ["new", "sale"],
        "nested": {"deep": {"value": 42}}
    })
}

fn eval_with(src: &str, input: Option<&Value>, env: &Environment) -> Result<Option<Value>, Error> {
    compile(src)?.evaluate(input, env)
}

fn ev(src: &str) -> Option<Value> {
    eval_with(src, Some(&doc()), &Environment::new()).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn on(src: &str, input: Value) -> Option<Value> {
    eval_with(src, Some(&input), &Environment::new()).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn code(src: &str) -> &'static str {
    match eval_with(src, Some(&doc()), &Environment::new()) {
        Ok(v) => panic!("{src}: expected an error, got {v:?}"),
        Err(e) => e.code,
    }
}

fn is(src: &str, expected: Value) {
    assert_eq!(ev(src), Some(expected), "{src}");
}

#[test]
fn paths_and_sequences() {
    is("name", json!("shop"));
    is("orders.id", json!(["a", "b"]));
    is("orders.items.sku", json!(["x", "y", "x"]));
    is("orders[1].items.sku", json!("x"));
    is("orders[1].items.sku[]", json!(["x"]));
    is("orders.items[0].sku", json!(["x", "x"]));
    is("(orders.items)[0].sku", json!("x"));
    is("orders[-1].id", json!("b"));
    is("orders[id = 'b'].items.price", json!(2));
    is("nested.**.value", json!(42));
    is("nested.*", json!({"value": 42}));
    is("$count(orders.items)", json!(3));
    assert_eq!(ev("missing.path"), None);
    is("tags[[0, 1]]", json!(["new", "sale"]));
    // A top-level array is wrapped, so `$` is the array and paths map over it.
    assert_eq!(on("$[1]", json!([1, 2, 3])), Some(json!(2)));
    assert_eq!(on("a", json!([{"a": 1}, {"a": 2}])), Some(json!([1, 2])));
    assert_eq!(
        on("$.[a, b]", json!([{"a": 1, "b": 2}])),
        Some(json!([1, 2]))
    );
    assert_eq!(eval_with("$", None, &Environment::new()).unwrap(), None);
}

#[test]
fn variable_bindings_on_paths() {
    is("orders@$o.tags[$o.id = 'b']", json!(["new", "sale"]));
    is("orders#$i.items.($i)", json!([0, 0, 1]));
    is("orders.items.%.id", json!(["a", "a", "b"]));
    is("orders.items{sku: $sum(qty)}", json!({"x": 4, "y": 1}));
    is("orders.items^(>price).sku", json!(["y", "x", "x"]));
    is("orders.items^(qty, sku).qty", json!([1, 1, 3]));
}

#[test]
fn operators() {
    is("1 + 2 * 3 - 4 / 2", json!(5));
    is("7 % 3", json!(1));
    is("0.1 + 0.2", json!(0.30000000000000004));
    is("'a' & 1 & true & null", json!("a1truenull"));
    is("1 < 2 and 'b' > 'a'", json!(true));
    is(
        "1 = 1.0 and [1,2] = [1,2] and {'a':1} != {'a':2}",
        json!(true),
    );
    is("'sale' in tags", json!(true));
    is("[1..4]", json!([1, 2, 3, 4]));
    is("missing ? 1 : 2", json!(2));
    is("missing ?: 'default'", json!("default"));
    is("0 ?: 'falsy'", json!("falsy"));
    is("missing ?? 'none'", json!("none"));
    is("-(1 + 1)", json!(-2));
    is("($x := 3; $y := $x * 2; $x + $y)", json!(9));
    is("{'a': 1, 'b': [1, 2]}", json!({"a": 1, "b": [1, 2]}));
    is("1e21 & ''", json!("1e+21"));
    assert_eq!(code("1 + 'a'"), "T2002");
    assert_eq!(code("'a' - 1"), "T2001");
    assert_eq!(code("1 < 'a'"), "T2009");
    assert_eq!(code("{} < 1"), "T2010");
    assert_eq!(code("[1..'a']"), "T2004");
    assert_eq!(code("1/(1e300 * 1e300)"), "D1001");
}

#[test]
fn object_key_order_follows_insertion() {
    let v = ev("{'z': 1, 'a': 2, 'm': 3}").unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["z", "a", "m"]);
}

#[test]
fn functions_lambdas_and_closures() {
    is(
        "($add := function($a, $b) { $a + $b }; $add(2, 3))",
        json!(5),
    );
    is(
        "($k := 10; $f := function($x) { $x + $k }; $map([1, 2], $f))",
        json!([11, 12]),
    );
    is("($first := $substring(?, 0, 1); $first('abc'))", json!("a"));
    is(
        "($twice := function($f) { function($x) { $f($f($x)) } }; $twice(function($n){$n*2})(3))",
        json!(12),
    );
    is(
        "[1, 2, 3] ~> $map(function($v, $i) { $v * $i })",
        json!([0, 2, 6]),
    );
    is(
        "($up := $uppercase ~> $substring(?, 0, 2); $up('hello'))",
        json!("HE"),
    );
    is("λ($s)<s:s>{ $s & '!' }('hi')", json!("hi!"));
    assert_eq!(code("λ($n)<n:n>{ $n }('x')"), "T0410");
    assert_eq!(code("$notAFunction()"), "T1006");
    assert_eq!(code("1 ~> 2"), "T2006");
}

#[test]
fn tail_calls_and_guards() {
    let deep = "($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(100000, 0))";
    is(deep, json!(100000));
    // Non-tail recursion ends in U1001, never in a stack overflow.
    assert_eq!(
        code("($f := function($n) { 1 + $f($n + 1) }; $f(0))"),
        "U1001"
    );
    // An infinite loop exhausts the step budget.
    let mut env = Environment::new();
    env.set_max_steps(10_000);
    let e = eval_with("($f := function() { $f() }; $f())", None, &env).unwrap_err();
    assert_eq!(e.code, "U1001");
    // Data nested without limit by tail recursion is refused before it can overflow the
    // stack of whatever walks it later.
    let nest = "($f := function($n, $a) { $n = 0 ? $a : $f($n - 1, {'a': $a}) }; $f(5000, 1))";
    assert_eq!(code(nest), "U1001");
    env.set_max_depth(5);
    let e = eval_with("[[[[[[[1]]]]]]]", None, &env).unwrap_err();
    assert_eq!(e.code, "U1001");
}

#[test]
fn string_functions() {
    is("$string(1/3)", json!("0.333333333333333"));
    is("$string({'a': [1, true]})", json!("{\"a\":[1,true]}"));
    is("$length('héllo')", json!(5));
    is("$substring('hello', -3, 2)", json!("ll"));
    is(
        "$substringBefore('a-b', '-') & $substringAfter('a-b', '-')",
        json!("ab"),
    );
    is("$uppercase('a') & $lowercase('B')", json!("Ab"));
    is("$trim('  a   b ')", json!("a b"));
    is("$pad('7', -3, '0')", json!("007"));
    is("$contains('abc', /B/i)", json!(true));
    is("$split('a,b,c', ',', 2)", json!(["a", "b"]));
    is("$join(['a', 'b'], '+')", json!("a+b"));
    is("$match('a1b22', /[0-9]+/).match", json!(["1", "22"]));
    is(
        "$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')",
        json!("Smith, John"),
    );
    is("$replace('aaa', 'a', 'b', 2)", json!("bba"));
    is(
        "$base64encode('hi?') & ' ' & $base64decode('aGk/')",
        json!("aGk/ hi?"),
    );
    is("$encodeUrlComponent('a b&c')", json!("a%20b%26c"));
    is("$decodeUrl('a%20b')", json!("a b"));
    is("$eval('1 + x', {'x': 1})", json!(2));
    is("$eval('[1, 2]')", json!([1, 2]));
    assert_eq!(code("$replace('a', '', 'b')"), "D3010");
    assert_eq!(code("$match('aaa', /a*?/)"), "D1004");
}

#[test]
fn numeric_functions() {
    is("$number('0x1F') + $number('1e2')", json!(131));
    is(
        "[$abs(-2), $floor(1.5), $ceil(1.2), $sqrt(16), $power(2, 10)]",
        json!([2, 1, 2, 4, 1024]),
    );
    is(
        "[$round(2.5), $round(3.5), $round(1.255, 2), $round(125, -1)]",
        json!([2, 4, 1.26, 120]),
    );
    is("$formatNumber(1234.5678, '#,##0.00')", json!("1,234.57"));
    is("$formatNumber(0.25, '0%')", json!("25%"));
    is(
        "$formatNumber(1234.5678, '00.000e000')",
        json!("12.346e002"),
    );
    is("$formatBase(255, 16)", json!("ff"));
    is(
        "$formatInteger(1984, 'I') & ' ' & $formatInteger(21, 'w;o')",
        json!("MCMLXXXIV twenty-first"),
    );
    is("$formatInteger(1234567, '#,##0')", json!("1,234,567"));
    is("$parseInteger('twelve thousand', 'w')", json!(12000));
    is(
        "[$sum([1,2]), $max([1,5]), $min([3,2]), $average([1,2,3])]",
        json!([3, 5, 2, 2]),
    );
    assert_eq!(code("$number('abc')"), "D3030");
    assert_eq!(code("$sqrt(-1)"), "D3060");
    assert_eq!(code("$formatNumber(1, '#.#.#')"), "D3081");
}

#[test]
fn random_comes_from_the_seed() {
    let src = "[$random(), $shuffle([1,2,3,4,5])]";
    let mut env = Environment::new();
    env.set_seed(7);
    let a = eval_with(src, None, &env).unwrap();
    let b = eval_with(src, None, &env).unwrap();
    assert_ne!(a, b, "the sequence continues");
    env.set_seed(7);
    assert_eq!(
        eval_with(src, None, &env).unwrap(),
        a,
        "the seed replays it"
    );
    let r = a.unwrap()[0].as_f64().unwrap();
    assert!((0.0..1.0).contains(&r));
}

#[test]
fn boolean_array_and_object_functions() {
    is(
        "[$boolean([]), $boolean([0, 1]), $not(''), $exists(missing)]",
        json!([false, true, true, false]),
    );
    is("$count([1,2,3])", json!(3));
    is("$append([1], 2)", json!([1, 2]));
    is("$sort([3, 1, 2])", json!([1, 2, 3]));
    is(
        "$sort(orders.items, function($a, $b) { $a.price < $b.price }).sku",
        json!(["y", "x", "x"]),
    );
    is("$reverse([1, 2])", json!([2, 1]));
    is("$distinct([1, 1, 'a', 'a'])", json!([1, "a"]));
    is("$zip([1, 2], ['a', 'b'])", json!([[1, "a"], [2, "b"]]));
    is("$keys(nested.deep)", json!("value"));
    is("$keys(orders)", json!(["id", "items"]));
    is("$lookup(orders, 'id')", json!(["a", "b"]));
    is("$spread({'a': 1, 'b': 2})", json!([{"a": 1}, {"b": 2}]));
    is("$merge([{'a': 1}, {'b': 2}])", json!({"a": 1, "b": 2}));
    is("$each({'a': 1}, function($v, $k) { $k & $v })", json!("a1"));
    is(
        "$type(null) & $type(1) & $type(tags)",
        json!("nullnumberarray"),
    );
    is("$filter([1, 2, 3], function($v) { $v > 1 })", json!([2, 3]));
    is("$single([1, 2, 3], function($v) { $v = 2 })", json!(2));
    is(
        "$reduce([1, 2, 3], function($a, $b) { $a + $b }, 10)",
        json!(16),
    );
    is(
        "$sift({'a': 1, 'b': 2}, function($v) { $v > 1 })",
        json!({"b": 2}),
    );
    assert_eq!(code("$error('boom')"), "D3137");
    assert_eq!(code("$assert(false, 'no')"), "D3141");
    assert_eq!(code("$single([1, 2])"), "D3138");
    assert_eq!(code("$sort([1, 'a'])"), "D3070");
}

#[test]
fn transform() {
    is(
        "nested ~> |deep| {'value': value + 1, 'new': true}|",
        json!({"deep": {"value": 43, "new": true}}),
    );
    is(
        "orders[0] ~> |items| {}, ['qty']|",
        json!({"id": "a", "items": [{"sku": "x", "price": 2}, {"sku": "y", "price": 5}]}),
    );
    // The input is not changed.
    is(
        "(orders[0] ~> |items| {'qty': 0}|; orders[0].items[0].qty)",
        json!(3),
    );
    assert_eq!(code("nested ~> |deep| 5|"), "T2011");
}

#[test]
fn dates_and_times() {
    let mut env = Environment::new();
    env.set_now(1_521_801_216_617);
    let run = |src: &str| eval_with(src, None, &env).unwrap();
    assert_eq!(run("$now()"), Some(json!("2018-03-23T10:33:36.617Z")));
    assert_eq!(run("$millis()"), Some(json!(1_521_801_216_617_i64)));
    assert_eq!(
        run("$fromMillis($millis(), '[FNn], [D1o] [MNn] [Y]')"),
        Some(json!("Friday, 23rd March 2018"))
    );
    assert_eq!(
        run("$fromMillis(0, '[H01]:[m01] [Z]', '+0530')"),
        Some(json!("05:30 +05:30"))
    );
    assert_eq!(
        run("$toMillis('2018-03-23T10:33:36.617Z')"),
        Some(json!(1_521_801_216_617_i64))
    );
    assert_eq!(
        run("$toMillis('23/03/2018', '[D01]/[M01]/[Y0001]')"),
        Some(json!(1_521_763_200_000_i64))
    );
    assert_eq!(
        eval_with("$toMillis('nope')", None, &env).unwrap_err().code,
        "D3110"
    );
}

#[test]
fn native_functions_and_bindings() {
    let mut env = Environment::new();
    env.bind("limit", json!(2));
    env.register("double", Some("<n:n>"), |args| {
        Ok(args[0]
            .as_ref()
            .and_then(Value::as_f64)
            .map(|n| json!(n * 2.0)))
    })
    .unwrap();
    env.register("fail", None, |_| Err(Error::custom("X0001", "nope")))
        .unwrap();
    assert_eq!(
        eval_with("$double($limit)", None, &env).unwrap(),
        Some(json!(4))
    );
    assert_eq!(
        eval_with("$map([1, 2], $double)", None, &env).unwrap(),
        Some(json!([2, 4]))
    );
    assert_eq!(
        eval_with("$double('a')", None, &env).unwrap_err().code,
        "T0410"
    );
    let e = eval_with("  $fail()", None, &env).unwrap_err();
    assert_eq!((e.code, e.position), ("X0001", 7));
    assert!(env.register("bad", Some("<n<n>>"), |_| Ok(None)).is_err());
}

#[test]
fn too_deep_json_is_refused() {
    let mut deep = json!(1);
    for _ in 0..1010 {
        deep = json!([deep]);
    }
    let e = eval_with("$", Some(&deep), &Environment::new()).unwrap_err();
    assert_eq!(e.code, "U1001");
    let mut env = Environment::new();
    env.bind("deep", deep);
    assert_eq!(eval_with("1", None, &env).unwrap_err().code, "U1001");
}

#[test]
fn expressions_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<crate::Expression>();
}

#[test]
fn errors_keep_codes_and_positions() {
    let e = compile("1 +").unwrap_err();
    assert_eq!(e.code, "S0207");
    let e = eval_with("1 + 'x'", None, &Environment::new()).unwrap_err();
    assert_eq!((e.code, e.position), ("T2002", 2));
}

#[test]
fn hostile_inputs_do_not_panic() {
    let env = Environment::new();
    for src in [
        "$formatInteger(1e300, 'I')",
        "$formatInteger(0/0, 'w')",
        "$fromMillis(1e300)",
        "$pad('x', 1e12)",
        "$sort([1, 'a', null], function($a, $b) { $a > $b })",
        "$replace('abc', function($s) { {'match': 'b', 'start': 9, 'end': 1} }, 'x')",
        "$toMillis('é', '[Y0001]')",
        "$substring('abc', 1e20, -1e20)",
        "$string(1/0)",
        "[1..1e8]",
        "$split('abc', function($s) { 'x' })",
        "$eval('$eval(\"(\")')",
    ] {
        let _ = eval_with(src, None, &env);
    }
}

#[test]
fn an_input_converted_once_gives_the_same_results_as_json_each_time() {
    let env = Environment::new();
    for data in [
        doc(),
        json!([1, [2, 3], {"a": 4}]),
        json!("text"),
        json!(null),
    ] {
        let input = crate::Input::new(&data).unwrap();
        for src in ["$", "$count($)", "**.a", "$[0]", "$type($)"] {
            let expr = compile(src).unwrap();
            let once = expr.evaluate_input(Some(&input), &env);
            let again = expr.evaluate_input(Some(&input), &env);
            let each = expr.evaluate(Some(&data), &env);
            assert_eq!(once, each, "{src} on {data}");
            assert_eq!(again, each, "{src} on {data}, second evaluation");
        }
    }
}

/// Values that grow without bound fail with `U1001` once they pass the memory budget, and the
/// budget does not count values that are only shared.
#[test]
fn the_memory_budget_stops_growing_values() {
    let mut env = Environment::new();
    env.set_max_memory(1 << 20);
    for src in [
        r#"$reduce([1..40], function($a, $v){ $a & $a }, "xxxxxxxx")"#,
        "$count([1..10000].([1..10000]))",
        r#"$pad("", 2000000)"#,
        r#"$join([1..1000].$pad("", 2000))"#,
        r#"($s := $pad("", 1000); $join([1..2000].$s))"#,
        r#"$replace($pad("", 1000, "a"), "a", $pad("", 2000))"#,
        "$reduce([1..2000], function($a, $v){ $append($a, [$v]) }, [])",
    ] {
        let e = eval_with(src, None, &env).unwrap_err();
        assert_eq!(e.code, "U1001", "{src}");
        assert!(e.message.contains("Memory budget"), "{src}: {e}");
    }
    // Reading the same large value many times creates nothing new.
    let big: Vec<i64> = (0..20_000).collect();
    let mut env = Environment::new();
    env.set_max_memory(1 << 20).bind("big", json!(big));
    let src = "$count([1..1000].($count($big)))";
    assert_eq!(eval_with(src, None, &env).unwrap(), Some(json!(1000)));
}

/// `$distinct` and `in` find equal values by hash, with JSONata's deep equality: numbers by
/// value, arrays item by item, objects whatever their key order.
#[test]
fn distinct_and_in_keep_deep_equality() {
    assert_eq!(
        ev(
            r#"$distinct([1, "1", 1.0, [1, 2], [1, 2], [2, 1], {"a": 1, "b": [2]}, {"b": [2], "a": 1}, null, null, true])"#
        ),
        Some(json!([1, "1", [1, 2], [2, 1], {"a": 1, "b": [2]}, null, true]))
    );
    assert_eq!(ev("$count($distinct([1..1000].($ % 7)))"), Some(json!(7)));
    assert_eq!(
        ev(r#"($l := [1..100].{"n": $}; [{"n": 5}, {"n": 500}, {"n": 100}][$ in $l])"#),
        Some(json!([{"n": 5}, {"n": 100}]))
    );
    assert_eq!(ev("$count([1..300][$ in [50..100]])"), Some(json!(51)));
    assert_eq!(
        ev("[0, 1, 2][$ in [-0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]]"),
        Some(json!([0, 2]))
    );
}

/// A shared budget bounds many evaluations together: each spends from it, the one that
/// reaches its end fails with `U1001` naming the shared budget, and every later one fails at
/// once, while the per-evaluation limits still apply on their own.
#[test]
fn a_shared_budget_bounds_evaluations_together() {
    let budget = crate::Budget::new(25_000, 1 << 30);
    let mut env = Environment::new();
    env.set_max_steps(10_000).share_budget(budget.clone());
    let forever = "($f := function() { $f() }; $f())";
    // The first two runaways stop at their own limit and spend it from the shared budget.
    for spent in [10_001, 20_002] {
        let e = eval_with(forever, None, &env).unwrap_err();
        assert_eq!(e.code, "U1001");
        assert!(e.message.contains("timeout"), "{e}");
        assert_eq!(budget.steps_used(), spent);
    }
    assert!(!budget.is_spent());
    // The third gets what is left, and the error names the shared budget.
    let e = eval_with(forever, None, &env.clone()).unwrap_err();
    assert!(e.message.contains("25000 steps in all"), "{e}");
    assert!(budget.is_spent());
    // Now even a trivial expression fails.
    let e = eval_with("1 + 1", None, &env).unwrap_err();
    assert_eq!(e.code, "U1001");

    // Memory adds up the same way, and a value refused before it is built spends the rest.
    let budget = crate::Budget::new(u64::MAX, 100_000);
    let mut env = Environment::new();
    env.share_budget(budget.clone());
    let src = "$count([1..1000].[$, $])";
    assert_eq!(eval_with(src, None, &env).unwrap(), Some(json!(1000)));
    let used = budget.memory_used();
    assert!(used > 24_000 && used < 100_000, "{used}");
    let e = eval_with(r#"$pad("", 200000)"#, None, &env).unwrap_err();
    assert!(e.message.contains("100000 bytes of values in all"), "{e}");
    assert!(budget.is_spent());
    // A value refused by the evaluation's own limit spends only what was created.
    let budget = crate::Budget::new(u64::MAX, 1 << 30);
    let mut env = Environment::new();
    env.set_max_memory(1 << 20).share_budget(budget.clone());
    let e = eval_with(r#"$pad("", 2000000)"#, None, &env).unwrap_err();
    assert!(!e.message.contains("in all"), "{e}");
    assert!(!budget.is_spent());
}
