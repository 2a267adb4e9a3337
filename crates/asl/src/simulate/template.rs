//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`): JSON
//! whose `"key.$"` members take their value from a path or an intrinsic function call.

use serde_json::{Map, Value};

use super::{Failure, Random, Roots, intrinsics, jsonpath};
use crate::syntax::{Dynamic, parse_dynamic_value};

/// Evaluates a payload template against `roots`. Static members are copied; `"key.$"` members
/// become `"key"` with the selected or computed value.
pub fn evaluate(template: &Value, roots: Roots, random: &mut Random) -> Result<Value, Failure> {
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
    match parse_dynamic_value(text) {
        Ok(Dynamic::Path(path)) => jsonpath::select(&path, roots).ok_or_else(|| {
            let (what, source) = match path.root {
                crate::syntax::Root::Context => ("context object", roots.context),
                _ => ("input", roots.input),
            };
            if let crate::syntax::Root::Variable(name) = &path.root
                && roots.variables.get(name).is_none()
            {
                return Failure::runtime(format!(
                    "The JSONPath '{text}' specified for the field '{key}' references the variable '{name}', which has no value"
                ));
            }
            Failure::runtime(format!(
                "The JSONPath '{text}' specified for the field '{key}' could not be found in the {what} '{source}'"
            ))
        }),
        Ok(Dynamic::Call(call)) => {
            let resolve = |path: &crate::syntax::Path| Ok(jsonpath::select(path, roots));
            intrinsics::evaluate(&call, &resolve, random)
        }
        // The validator rejects these; a definition built by hand may still hold one.
        Err(error) => Err(Failure::runtime(format!(
            "The value of the field '{key}' is not a valid path or intrinsic function: {error}"
        ))),
    }
}
