//! Case files for `awskb asl test`: a definition, an input, optional mocks and the expected
//! result, `{"name", "definition", "input", "mocks"?, "expected": {"status", "output"?,
//! "error"?, "cause"?}}`. Outputs compare as JSON values (key order aside, `1` and `1.0`
//! differ, as they do in AWS's output text); `error` and `cause` compare exactly when given.

use std::path::{Path, PathBuf};

use asl::simulate::{Execution, Mocks, Options, Outcome};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RunError;
use super::definition::{MAX_MOCKS_BYTES, read_limited};

/// One case file.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub name: String,
    /// The definition as a JSON object, or its text (JSON or YAML).
    pub definition: Value,
    #[serde(default = "empty_object")]
    pub input: Value,
    pub mocks: Option<Value>,
    pub expected: Expected,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// What the case expects.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    pub status: String,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// The result of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub file: PathBuf,
    pub name: String,
    pub passed: bool,
    /// The first difference from the expected result, or why the case could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// What the simulator gave, when the case ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Outcome>,
}

/// The case files under `paths`: files as given, folders searched for `*.json`, in name order.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|file| file.extension().is_some_and(|e| e == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(RunError::Read {
                path: path.clone(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
    }
    Ok(files)
}

/// Reads and runs one case file. A file that cannot be read or parsed is a failed case.
pub fn run_file(file: &Path) -> CaseResult {
    let fail = |name: String, difference: String| CaseResult {
        file: file.to_path_buf(),
        name,
        passed: false,
        difference: Some(difference),
        actual: None,
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match read_limited(
        file,
        MAX_MOCKS_BYTES,
        "the largest test case file awskb reads",
    ) {
        Ok(text) => text,
        Err(error) => return fail(stem, format!("cannot read the case file: {error}")),
    };
    let case: Case = match serde_json::from_str(&text) {
        Ok(case) => case,
        Err(error) => return fail(stem, format!("not a case file: {error}")),
    };
    let mut result = run(&case);
    result.file = file.to_path_buf();
    result
}

/// Runs a case and compares the outcome with the expected one.
pub fn run(case: &Case) -> CaseResult {
    let mut result = CaseResult {
        file: PathBuf::new(),
        name: case.name.clone(),
        passed: false,
        difference: None,
        actual: None,
    };
    let text = match &case.definition {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let checked = asl::check(&text);
    let Some(machine) = checked.machine else {
        let first = checked
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .unwrap_or_default();
        result.difference = Some(format!("the definition is invalid: {first}"));
        return result;
    };
    let mocks = match case.mocks.as_ref().map(Mocks::from_json).transpose() {
        Ok(mocks) => mocks.unwrap_or_default(),
        Err(error) => {
            result.difference = Some(format!("bad mocks: {error}"));
            return result;
        }
    };
    let mut execution = Execution::new(machine, case.input.clone(), mocks, Options::default());
    let outcome = execution.run().clone();
    result.difference = difference(&case.expected, &outcome);
    result.passed = result.difference.is_none();
    result.actual = Some(outcome);
    result
}

/// The first way `actual` differs from `expected`, in words.
fn difference(expected: &Expected, actual: &Outcome) -> Option<String> {
    let status = serde_json::to_value(actual.status).unwrap_or_default();
    if status.as_str() != Some(expected.status.as_str()) {
        let why = match (&actual.error, &actual.cause) {
            (Some(error), Some(cause)) => format!(" ({error}: {cause})"),
            (Some(error), None) => format!(" ({error})"),
            _ => String::new(),
        };
        return Some(format!(
            "status: expected {}, got {}{why}",
            expected.status,
            status.as_str().unwrap_or_default()
        ));
    }
    if let Some(output) = &expected.output {
        let got = actual.output.clone().unwrap_or(Value::Null);
        if let Some(at) = first_difference(output, &got, String::new()) {
            return Some(format!("output {at}"));
        }
    }
    for (field, want, got) in [
        ("error", &expected.error, &actual.error),
        ("cause", &expected.cause, &actual.cause),
    ] {
        if let Some(want) = want
            && Some(want) != got.as_ref()
        {
            return Some(format!(
                "{field}: expected {want:?}, got {}",
                got.as_ref()
                    .map_or("none".to_string(), |g| format!("{g:?}"))
            ));
        }
    }
    None
}

/// Where two JSON values first differ, as `at /pointer: expected …, got …`.
fn first_difference(expected: &Value, actual: &Value, pointer: String) -> Option<String> {
    let here = || {
        let at = if pointer.is_empty() { "/" } else { &pointer };
        Some(format!(
            "at {at}: expected {}, got {}",
            abbreviate(expected),
            abbreviate(actual)
        ))
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match got.get(key) {
                    Some(other) => {
                        if let Some(found) = first_difference(value, other, child) {
                            return Some(found);
                        }
                    }
                    None => return Some(format!("at {child}: missing")),
                }
            }
            got.keys()
                .find(|key| !want.contains_key(*key))
                .map(|key| format!("at {pointer}/{key}: not expected"))
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => want
            .iter()
            .zip(got)
            .enumerate()
            .find_map(|(i, (w, g))| first_difference(w, g, format!("{pointer}/{i}"))),
        _ if expected == actual => None,
        _ => here(),
    }
}

fn abbreviate(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    let cut: String = text.chars().take(77).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_name_the_place() {
        let d = first_difference(
            &json!({"a": [1, {"b": 2}]}),
            &json!({"a": [1, {"b": 3}]}),
            String::new(),
        );
        assert_eq!(d.as_deref(), Some("at /a/1/b: expected 2, got 3"));
        let d = first_difference(&json!({"a": 1}), &json!({"a": 1, "c": 2}), String::new());
        assert_eq!(d.as_deref(), Some("at /c: not expected"));
        let d = first_difference(&json!({"a": 1}), &json!({}), String::new());
        assert_eq!(d.as_deref(), Some("at /a: missing"));
        let d = first_difference(&json!(1), &json!(1.0), String::new());
        assert_eq!(d.as_deref(), Some("at /: expected 1, got 1.0"));
        assert_eq!(
            first_difference(&json!({"x": [1, 2]}), &json!({"x": [1, 2]}), String::new()),
            None
        );
    }
}
