//! Evaluates every case of the official JSONata test suite and reports the failures.
//!
//! ```text
//! cargo run -p jsonata --release --example suite -- /work/shared/conformance/jsonata \
//!     [--min-pass N] [--quiet] [--group NAME] [--default-stack]
//! ```
//!
//! Each case's input is its `data`, or the named file of `datasets/` (`"dataset": null` means
//! no input); `bindings` become variables; `timelimit` (ms) becomes a step budget and `depth`
//! the depth limit. A case passes when the result equals `result` (numbers by value), is
//! undefined for `undefinedResult`, or fails with the expected `code`. The last line is
//! `passed X of N (Y%)`, after one `FAIL group/case: expression => why` line per failure
//! (`--quiet` leaves those out; `--list-failures` is accepted for the default); the exit status is non-zero when fewer than `--min-pass` passed.
//! `--default-stack` keeps the library's default stack budget instead of raising it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

struct Case {
    name: String,
    expr: String,
    json: Value,
}

fn load(suite: &Path) -> Result<Vec<Case>, String> {
    let groups = suite.join("groups");
    let mut files: Vec<PathBuf> = Vec::new();
    let dirs = fs::read_dir(&groups).map_err(|e| format!("{}: {e}", groups.display()))?;
    for dir in dirs.flatten() {
        let Ok(entries) = fs::read_dir(dir.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let json: Value = serde_json::from_str(&text)
            .or_else(|_| serde_json::from_str(&replace_lone_surrogates(&text)))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let list = match json {
            Value::Array(items) => items,
            one => vec![one],
        };
        let many = list.len() > 1;
        let rel = file
            .strip_prefix(&groups)
            .unwrap_or(&file)
            .display()
            .to_string();
        for (i, case) in list.into_iter().enumerate() {
            let name = if many {
                format!("{rel}#{i}")
            } else {
                rel.clone()
            };
            let expr = if let Some(e) = case.get("expr").and_then(Value::as_str) {
                e.to_string()
            } else if let Some(f) = case.get("expr-file").and_then(Value::as_str) {
                let path = file.parent().unwrap_or(Path::new(".")).join(f);
                fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?
            } else {
                return Err(format!("{name}: no expr"));
            };
            cases.push(Case {
                name,
                expr,
                json: case,
            });
        }
    }
    Ok(cases)
}

/// Rewrites JSON `\uD800`-style escapes that are not part of a surrogate pair as `\uFFFD`.
fn replace_lone_surrogates(text: &str) -> String {
    let unit = |s: &str| {
        s.get(..6)
            .filter(|h| h.starts_with("\\u"))
            .and_then(|h| u32::from_str_radix(&h[2..], 16).ok())
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match unit(rest) {
            Some(0xD800..=0xDBFF) => {
                if unit(&rest[6..]).is_some_and(|lo| (0xDC00..=0xDFFF).contains(&lo)) {
                    out.push_str(&rest[..12]);
                    rest = &rest[12..];
                } else {
                    out.push_str("\\uFFFD");
                    rest = &rest[6..];
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str("\\uFFFD");
                rest = &rest[6..];
            }
            _ => {
                let len = rest[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON equality with numbers compared by value (`1` equals `1.0`) to 13 significant digits.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // The reference's own runner tolerates the last digits of floating-point results.
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => p == q || (p - q).abs() <= 1e-13 * p.abs().max(q.abs()),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// Runs one case; `Err` says why it failed.
fn run(case: &Case, suite: &Path, default_stack: bool) -> Result<(), String> {
    let c = &case.json;
    let input = if let Some(d) = c.get("data") {
        Some(d.clone())
    } else {
        match c.get("dataset").and_then(Value::as_str) {
            Some(name) => {
                let path = suite.join("datasets").join(format!("{name}.json"));
                let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
                Some(serde_json::from_str(&text).map_err(|e| e.to_string())?)
            }
            None => None,
        }
    };
    let mut env = jsonata::Environment::new();
    if let Some(Value::Object(b)) = c.get("bindings") {
        for (k, v) in b {
            env.bind(k.clone(), v.clone());
        }
    }
    if let Some(ms) = c.get("timelimit").and_then(Value::as_u64) {
        env.set_max_steps(ms * 10_000);
    }
    if let Some(d) = c.get("depth").and_then(Value::as_u64) {
        env.set_max_depth(d as usize);
    }
    env.set_now(1_700_000_000_000);
    if !default_stack {
        // The runner thread has a big stack; the cases' own `depth` limits apply.
        env.set_max_stack(192 << 20);
    }
    let result = jsonata::compile(&case.expr).and_then(|e| e.evaluate(input.as_ref(), &env));
    let code = c
        .get("code")
        .or_else(|| c.get("error").and_then(|e| e.get("code")))
        .and_then(Value::as_str);
    match (result, code) {
        (Err(e), Some(code)) if e.code == code => match c.get("token").and_then(Value::as_str) {
            Some(token) if e.token.as_deref() != Some(token) => {
                Err(format!("expected token {token:?}, got {:?}", e.token))
            }
            _ => Ok(()),
        },
        (Err(e), Some(code)) => Err(format!("expected {code}, got {}: {}", e.code, e.message)),
        (Ok(v), Some(code)) => Err(format!(
            "expected {code}, got {}",
            v.map_or("undefined".into(), |v| short(&v.to_string()))
        )),
        (Err(e), None) => Err(format!("error {}: {}", e.code, e.message)),
        (Ok(v), None) => {
            if c.get("undefinedResult").and_then(Value::as_bool) == Some(true) {
                match v {
                    None => Ok(()),
                    Some(v) => Err(format!("expected undefined, got {}", short(&v.to_string()))),
                }
            } else if let Some(expected) = c.get("result") {
                match v {
                    Some(v) if same(&v, expected) => Ok(()),
                    v => Err(format!(
                        "expected {}, got {}",
                        short(&expected.to_string()),
                        v.map_or("undefined".into(), |v| short(&v.to_string()))
                    )),
                }
            } else {
                Err("case has no expectation".into())
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut suite = "../shared/conformance/jsonata".to_string();
    let mut min_pass = 0usize;
    let mut list = true;
    let mut default_stack = false;
    let mut group: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--min-pass" => min_pass = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--list-failures" => list = true,
            "--quiet" => list = false,
            "--default-stack" => default_stack = true,
            "--group" => group = args.next(),
            _ => suite = a,
        }
    }
    let suite = PathBuf::from(suite);
    let cases = match load(&suite) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // A big stack: the suite's deepest cases are limited by their own `depth`, not ours.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut passed = 0;
            let mut total = 0;
            for case in &cases {
                if group
                    .as_ref()
                    .is_some_and(|g| !case.name.starts_with(&format!("{g}/")))
                {
                    continue;
                }
                total += 1;
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run(case, &suite, default_stack)
                }))
                .unwrap_or_else(|_| Err("PANIC".into()));
                match outcome {
                    Ok(()) => passed += 1,
                    Err(why) => {
                        if list {
                            println!("FAIL {}: {} => {}", case.name, short(&case.expr), why);
                        }
                    }
                }
            }
            (passed, total)
        });
    let (passed, total) = match handle.map(|h| h.join()) {
        Ok(Ok(r)) => r,
        _ => {
            eprintln!("error: the runner thread failed");
            return ExitCode::from(2);
        }
    };
    println!(
        "passed {passed} of {total} ({:.1}%)",
        passed as f64 * 100.0 / total.max(1) as f64
    );
    if passed < min_pass {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
