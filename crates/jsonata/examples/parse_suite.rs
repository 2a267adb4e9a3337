//! Parses every expression of the official JSONata test suite and reports disagreements.
//!
//! ```text
//! cargo run -p jsonata --example parse_suite -- /work/shared/conformance/jsonata
//! ```
//!
//! A case expected to succeed, or to fail with an evaluation-time code, must parse; a case
//! expected to fail with a syntax code (`S0…`) should fail with that code. Cases that disagree
//! are listed, then one summary line. The exit status is non-zero when a valid expression fails
//! to parse.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

struct Case {
    name: String,
    expr: String,
    code: Option<String>,
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
        // A few cases hold lone UTF-16 surrogates, which a Rust string cannot.
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
        for (i, case) in list.iter().enumerate() {
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
            let code = case
                .get("code")
                .or_else(|| case.get("error").and_then(|e| e.get("code")))
                .and_then(Value::as_str)
                .map(str::to_string);
            cases.push(Case { name, expr, code });
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
                // Any other escape: copy the backslash and the escaped character.
                let len = rest[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn short(expr: &str) -> String {
    let one_line: String = expr.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn main() -> ExitCode {
    let suite = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/conformance/jsonata".to_string());
    let cases = match load(Path::new(&suite)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut parsed, mut false_errors, mut caught, mut wrong_code, mut missed) = (0, 0, 0, 0, 0);
    let mut syntax_cases = 0;
    for case in &cases {
        let result = jsonata::parse(&case.expr);
        if result.is_ok() {
            parsed += 1;
        }
        match (case.code.as_deref(), result) {
            (Some(code), result) if code.starts_with("S0") => {
                syntax_cases += 1;
                match result {
                    Ok(_) => {
                        missed += 1;
                        println!(
                            "NOT CAUGHT  {} expected {code}: {}",
                            case.name,
                            short(&case.expr)
                        );
                    }
                    Err(e) if e.code == code => caught += 1,
                    Err(e) => {
                        wrong_code += 1;
                        println!(
                            "WRONG CODE  {} expected {code}, got {} at {}: {}: {}",
                            case.name,
                            e.code,
                            e.position,
                            e.message,
                            short(&case.expr)
                        );
                    }
                }
            }
            (_, Err(e)) => {
                false_errors += 1;
                println!(
                    "FALSE ERROR {}: {} at {}: {}: {}",
                    case.name,
                    e.code,
                    e.position,
                    e.message,
                    short(&case.expr)
                );
            }
            (_, Ok(_)) => {}
        }
    }
    println!(
        "{} cases, {} parsed; {} false parse errors; syntax-error cases: {} caught with the right code, {} with another code, {} not caught (of {})",
        cases.len(),
        parsed,
        false_errors,
        caught,
        wrong_code,
        missed,
        syntax_cases
    );
    if false_errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
