//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`): JSON
//! whose `"key.$"` members take their value from a path or an intrinsic function call.

use serde_json::{Map, Value};

use super::{Failure, Random, Roots, intrinsics, jsonpath};
use crate::syntax::{Dynamic, Path, Root, SyntaxError, parse_dynamic_value};

/// Evaluates a payload template against `roots`. Static members are copied; `"key.$"` members
/// become `"key"` with the selected or computed value.
pub(super) fn evaluate(
    template: &Value,
    roots: Roots,
    random: &mut Random,
) -> Result<Value, Failure> {
    match template {
        Value::Object(members) => {
            let mut out = Map::with_capacity(members.len());
            for (key, value) in members {
                match (key.strip_suffix(".$"), value) {
                    (Some(name), Value::String(text)) => {
                        out.insert(name.to_string(), dynamic(key, text, roots, random)?);
                    }
                    _ => {
                        out.insert(key.clone(), evaluate(value, roots, random)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|item| evaluate(item, roots, random))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// The value of one `"key.$": "text"` member.
fn dynamic(key: &str, text: &str, roots: Roots, random: &mut Random) -> Result<Value, Failure> {
    let missing = |path: &Path| {
        let (what, source) = match path.root {
            Root::Context => ("context object", roots.context),
            _ => ("input", roots.input),
        };
        if let Root::Variable(name) = &path.root
            && roots.variables.get(name).is_none()
        {
            return Failure::runtime(format!(
                "The JSONPath '{text}' specified for the field '{key}' references the variable '{name}', which has no value"
            ));
        }
        Failure::runtime(format!(
            "The JSONPath '{text}' specified for the field '{key}' could not be found in the {what} '{source}'"
        ))
    };
    // The validator rejects invalid values; a definition built by hand may still hold one.
    let invalid = |error: SyntaxError| {
        Failure::runtime(format!(
            "The value of the field '{key}' is not a valid path or intrinsic function: {error}"
        ))
    };
    dynamic_value(text, roots, random, missing, invalid)
}

/// Evaluates a path or intrinsic function call given as text (a `.$` value, `ErrorPath`,
/// `CausePath`). `missing` words the error for a path that selects nothing, `invalid` the error
/// for text that is neither.
pub(super) fn dynamic_value(
    text: &str,
    roots: Roots,
    random: &mut Random,
    missing: impl FnOnce(&Path) -> Failure,
    invalid: impl FnOnce(SyntaxError) -> Failure,
) -> Result<Value, Failure> {
    match parse_dynamic_value(text) {
        Ok(Dynamic::Path(path)) => jsonpath::select(&path, roots).ok_or_else(|| missing(&path)),
        Ok(Dynamic::Call(call)) => {
            let resolve = |path: &Path| Ok(jsonpath::select(path, roots));
            intrinsics::evaluate(&call, &resolve, random)
        }
        Err(error) => Err(invalid(error)),
    }
}
