//! The JSONPath-mode input and output processing every state shares: `InputPath`, `ResultPath`,
//! `OutputPath`, and the payload size limit.

use serde_json::{Value, json};

use super::{Failure, Roots, errors, jsonpath};
use crate::model::Nullable;
use crate::syntax::Path;

/// The largest payload (state input, result or output) Step Functions passes: 256 KiB.
pub(super) const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// Applies `InputPath` (or `OutputPath`, which works the same way): absent keeps the value,
/// `null` gives `{}`, a path selects from it.
pub(super) fn filter(
    path: &Nullable<String>,
    value: Value,
    roots: Roots,
) -> Result<Value, Failure> {
    match path {
        None => Ok(value),
        Some(None) => Ok(json!({})),
        Some(Some(text)) if text == "$" => Ok(value),
        Some(Some(text)) => select(
            text,
            Roots {
                input: &value,
                ..roots
            },
        ),
    }
}

/// The value a path (given as text) selects, or AWS's "Invalid path" runtime error.
pub(super) fn select(text: &str, roots: Roots) -> Result<Value, Failure> {
    let path = parse(text)?;
    jsonpath::select(&path, roots).ok_or_else(|| no_results(text, &path))
}

/// AWS's error for a path that selects nothing.
pub(super) fn no_results(text: &str, path: &Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{text}' : No results for path: {}",
        jsonpath::canonical(path)
    ))
}

/// Applies `ResultPath`: absent replaces the input with the result, `null` keeps the input, a
/// path places the result inside the input.
pub(super) fn place(
    path: &Nullable<String>,
    input: &Value,
    result: Value,
) -> Result<Value, Failure> {
    match path {
        None => Ok(result),
        Some(None) => Ok(input.clone()),
        Some(Some(text)) => {
            let path = parse(text)?;
            jsonpath::place(input.clone(), &path, text, result)
                .map_err(|error| Failure::new(errors::RESULT_PATH_MATCH_FAILURE, error.to_string()))
        }
    }
}

/// Parses a path the validator has accepted; a hand-built definition may still hold a bad one.
pub(super) fn parse(text: &str) -> Result<Path, Failure> {
    Path::parse(text).map_err(|error| Failure::runtime(format!("Invalid path '{text}': {error}")))
}

/// Fails with `States.DataLimitExceeded` when a result or output is larger than Step Functions
/// passes.
pub(super) fn check_size(value: &Value, state: &str) -> Result<(), Failure> {
    within_limit(value, state, "returned a result")
}

/// Fails with `States.DataLimitExceeded` when a state's effective input (after `InputPath` and
/// `Parameters`, or `Arguments`; a Map item after `ItemSelector`) is larger than Step Functions
/// passes.
pub(super) fn check_input_size(value: &Value, state: &str) -> Result<(), Failure> {
    within_limit(value, state, "has an input")
}

/// AWS's words: "The state/task 'X' <what> with a size exceeding …".
fn within_limit(value: &Value, state: &str, what: &str) -> Result<(), Failure> {
    if serialized_len(value) > MAX_PAYLOAD_BYTES {
        return Err(Failure::new(
            errors::DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{state}' {what} with a size exceeding the maximum number of bytes service limit."
            ),
        ));
    }
    Ok(())
}

/// The length of `value` as compact JSON, counted without building the text.
pub(super) fn serialized_len(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing to a counter cannot fail, and a Value always serializes.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}
