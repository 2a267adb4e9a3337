//! Two conversions the states share: a JSON value as the plain text AWS writes into messages and
//! timestamps, and a number of seconds as a step of the virtual clock.

use chrono::Duration;
use serde_json::Value;

/// A JSON value as AWS quotes it in messages: strings without quotes, the rest as JSON.
pub(crate) fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A whole or fractional number of seconds as a duration (at millisecond precision).
pub(crate) fn seconds(seconds: f64) -> Duration {
    Duration::milliseconds((seconds * 1000.0).round().clamp(0.0, 1e15) as i64)
}
