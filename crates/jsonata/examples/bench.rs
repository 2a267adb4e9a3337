//! Times this crate's evaluator, per evaluation, on a list of expressions. `bench/jsonata_bench.py`
//! runs it beside `bench/jsonata_bench.mjs`, which times the `jsonata` npm package the same way,
//! and compares the two.
//!
//! ```text
//! cargo run -p jsonata --release --example bench -- bench/jsonata_expressions.json \
//!     ../shared/conformance/jsonata
//! ```
//!
//! The first argument is a JSON array of `{"name", "expr", "dataset"}` objects (other fields are
//! ignored). `dataset` is the name of a file in the `datasets/` folder of the JSONata test suite,
//! whose folder is the second argument.
//!
//! For each expression, the benchmark compiles it and reads its dataset into a
//! `serde_json::Value`, once. It evaluates once for the result, then evaluates for 200 ms, which
//! warms up caches and branch predictors and estimates the time of one evaluation. Then it times
//! 5 rounds of as many evaluations as fit in about 200 ms. It prints one JSON line per
//! expression, `{"name": …, "us_per_eval": …, "us_per_eval_json": …, "result_digest": …}`,
//! medians of the rounds in microseconds. An expression that fails to compile or to evaluate is
//! not timed: its times are null and its digest is `error CODE`.
//!
//! `us_per_eval` times `Expression::evaluate_input(Some(&input), &env)` with the dataset converted
//! once by `jsonata::Input::new`, as the npm package evaluates a JavaScript object it is given;
//! the result is converted back to `serde_json` and dropped in each call. `us_per_eval_json` times
//! `Expression::evaluate(Some(&json), &env)`, which also converts the input on every call.

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Time spent evaluating before the timed rounds.
const WARM_UP: Duration = Duration::from_millis(200);
/// Target duration of one timed round.
const ROUND: Duration = Duration::from_millis(200);
/// Number of timed rounds; the median is reported.
const ROUNDS: usize = 5;
/// Longest digest written in full; longer ones are cut and hashed (see [`digest`]).
const DIGEST_CHARS: usize = 100;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [list, suite] = args.as_slice() else {
        eprintln!("usage: bench EXPRESSIONS.json SUITE_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(list), Path::new(suite)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(list: &Path, suite: &Path) -> Result<(), String> {
    let Value::Array(entries) = read_json(list)? else {
        return Err(format!("{}: not a JSON array", list.display()));
    };
    let env = jsonata::Environment::new();
    for entry in &entries {
        let field = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: no \"{key}\" in {entry}", list.display()))
        };
        let (name, source, dataset) = (field("name")?, field("expr")?, field("dataset")?);
        let data = read_json(&suite.join("datasets").join(dataset))?;
        let input = jsonata::Input::new(&data).map_err(|e| format!("{dataset}: {}", e.message))?;
        let (us_per_eval, us_per_eval_json, result_digest) = match jsonata::compile(source) {
            Err(e) => (None, None, format!("error {}", e.code)),
            Ok(expr) => match expr.evaluate_input(Some(&input), &env) {
                Err(e) => (None, None, format!("error {}", e.code)),
                Ok(result) => {
                    let converted = median_us(|| {
                        let _ = black_box(expr.evaluate_input(Some(black_box(&input)), &env));
                    });
                    let each_call = median_us(|| {
                        let _ = black_box(expr.evaluate(Some(black_box(&data)), &env));
                    });
                    (Some(converted), Some(each_call), digest(result.as_ref()))
                }
            },
        };
        println!(
            "{}",
            json!({"name": name, "us_per_eval": us_per_eval,
                   "us_per_eval_json": us_per_eval_json, "result_digest": result_digest})
        );
    }
    Ok(())
}

/// The median time of one call of `eval` over [`ROUNDS`] rounds, in microseconds rounded to
/// nanoseconds. The warm-up gives the number of calls per round, at least one.
fn median_us(mut eval: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < WARM_UP {
        eval();
        calls += 1;
    }
    let per_call = start.elapsed().as_secs_f64() / f64::from(calls);
    let calls = (ROUND.as_secs_f64() / per_call).ceil().max(1.0) as u32;
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                eval();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(calls)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    (rounds[ROUNDS / 2] * 1000.0).round() / 1000.0
}

/// The result in a form that `bench/jsonata_bench.mjs` writes identically for the same value,
/// so the driver can compare the two by text. It is compact JSON with two normalisations:
///
/// - Object keys are sorted by UTF-16 code units, as JavaScript sorts strings. JSON does not
///   order keys, and JavaScript lists integer-like keys first whatever the insertion order.
/// - Numbers are rounded to 15 significant digits and written as JavaScript writes them, so
///   that differences in the last bits of floating-point sums do not count.
///
/// A text longer than [`DIGEST_CHARS`] characters is cut there and followed by its length in
/// bytes and its FNV-1a hash, so the comparison still covers all of it. JSONata's `undefined`
/// is `undefined`.
fn digest(result: Option<&Value>) -> String {
    let Some(value) = result else {
        return "undefined".to_string();
    };
    let mut text = String::new();
    write_canonical(&mut text, value);
    if text.chars().count() <= DIGEST_CHARS {
        return text;
    }
    let hash = text.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let head: String = text.chars().take(DIGEST_CHARS).collect();
    format!("{head}… ({} bytes, fnv1a {hash:08x})", text.len())
}

fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(x) => write_number(out, x),
            None => out.push_str(&n.to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                write_canonical(out, item);
            }
            out.push('}');
        }
        // serde_json escapes strings as JSON.stringify does.
        Value::Null | Value::Bool(_) | Value::String(_) => out.push_str(&value.to_string()),
    }
}

/// Writes `x` rounded to 15 significant digits, as JavaScript writes
/// `Number(x.toPrecision(15))`: the shortest digits that read back as the number, in plain
/// notation from 1e-6 to below 1e21 and in exponent notation (`1.5e+21`, `1e-7`) outside.
fn write_number(out: &mut String, x: f64) {
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if rounded == 0.0 {
        // Also -0, which JavaScript writes as 0.
        out.push('0');
        return;
    }
    if rounded < 0.0 {
        out.push('-');
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as "d.ddde-7".
    let scientific = format!("{:e}", rounded.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits = mantissa.replace('.', "");
    let count = digits.len() as i32;
    // The position of the decimal point relative to the first digit.
    let point = exponent.parse::<i32>().unwrap_or(0) + 1;
    if (count..=21).contains(&point) {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (point - count) as usize));
    } else if (1..=21).contains(&point) {
        let (whole, fraction) = digits.split_at(point as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else if (-5..=0).contains(&point) {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if count > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if point > 0 { '+' } else { '-' };
        out.push_str(&format!("e{sign}{}", (point - 1).abs()));
    }
}
