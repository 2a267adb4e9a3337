//! When a Wait state ends: `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`.

use super::convert::{plain, seconds};
use super::{Failure, Roots, dataflow};
use crate::model::Wait;
use chrono::{DateTime, Utc};

/// The virtual instant the wait ends at (never before `now`).
pub(super) fn until(
    wait: &Wait,
    now: DateTime<Utc>,
    roots: Roots,
) -> Result<DateTime<Utc>, Failure> {
    if let Some(value) = &wait.seconds {
        let seconds_value = value.as_f64().unwrap_or(0.0);
        return Ok(now + seconds(seconds_value));
    }
    if let Some(path) = &wait.seconds_path {
        let value = dataflow::select(path, roots)?;
        let whole = value
            .as_i64()
            .or_else(|| value.as_str().and_then(|text| text.parse().ok()));
        return match whole {
            Some(n) if n < 0 => Err(Failure::runtime(format!(
                "The SecondsPath parameter references a negative value: {path} == {}",
                plain(&value)
            ))),
            Some(n) => Ok(now + seconds(n as f64)),
            None => Err(Failure::runtime(format!(
                "The SecondsPath parameter cannot be parsed as a long value: {path} == {}",
                plain(&value)
            ))),
        };
    }
    if let Some(text) = &wait.timestamp {
        let at = parse_timestamp(text).ok_or_else(|| {
            Failure::runtime(format!(
                "The Timestamp field '{text}' is not a valid ISO-8601 extended offset date-time"
            ))
        })?;
        return Ok(at.max(now));
    }
    if let Some(path) = &wait.timestamp_path {
        let value = dataflow::select(path, roots)?;
        let at = value.as_str().and_then(parse_timestamp).ok_or_else(|| {
            Failure::runtime(format!(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {}",
                plain(&value)
            ))
        })?;
        return Ok(at.max(now));
    }
    Ok(now)
}

fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}
