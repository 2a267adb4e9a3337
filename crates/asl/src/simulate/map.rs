//! The Map state's settings read at run time: its items, `MaxConcurrency` and the tolerated
//! failures of a Distributed Map, with AWS's messages for bad values.

use serde_json::Value;

use super::execution::plain;
use super::{Failure, Roots, dataflow};
use crate::model::Map;

/// The items to iterate over: `ItemsPath` (default `$`) applied to the effective input.
pub fn items(map: &Map, roots: Roots) -> Result<Vec<Value>, Failure> {
    let unsupported = [
        (
            map.item_reader.is_some(),
            "ItemReader (reading items from Amazon S3)",
        ),
        (map.item_batcher.is_some(), "ItemBatcher"),
        (
            map.result_writer.is_some(),
            "ResultWriter (writing results to Amazon S3)",
        ),
    ];
    if let Some((_, what)) = unsupported.into_iter().find(|(used, _)| *used) {
        return Err(Failure::new(
            super::execution::UNSUPPORTED_ERROR,
            format!(
                "{what} is not simulated yet; give the items in the state input and leave it out to try the rest of the machine."
            ),
        ));
    }
    let path = map.items_path.as_deref().unwrap_or("$");
    match dataflow::select(path, roots)? {
        Value::Array(items) => Ok(items),
        other => Err(Failure::runtime(format!(
            "Invalid path '{path}': the Map state's items must be a JSON array, found {other}"
        ))),
    }
}

/// Checks `MaxConcurrency`/`MaxConcurrencyPath` (the simulator runs one iteration at a time, but
/// a bad value fails the state as it does on AWS).
pub fn max_concurrency(map: &Map, roots: Roots) -> Result<u64, Failure> {
    let value = whole(
        map.max_concurrency.as_ref(),
        map.max_concurrency_path.as_deref(),
        "MaxConcurrency",
        roots,
    )?;
    Ok(value.unwrap_or(0))
}

/// The failures a Distributed Map tolerates: a count and a percentage of the items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    pub count: Option<u64>,
    pub percentage: Option<f64>,
}

impl Tolerance {
    /// Whether `failures` of `total` items are within it: with no threshold set, no failure is;
    /// with both set, exceeding either fails the Map (as AWS documents).
    pub fn allows(self, failures: u64, total: usize) -> bool {
        let share = failures as f64 * 100.0 / total.max(1) as f64;
        (self.count.is_some() || self.percentage.is_some())
            && self.count.is_none_or(|count| failures <= count)
            && self.percentage.is_none_or(|percentage| share <= percentage)
    }
}

/// Reads `ToleratedFailureCount(Path)` and `ToleratedFailurePercentage(Path)`.
pub fn tolerance(map: &Map, roots: Roots) -> Result<Tolerance, Failure> {
    let count = whole(
        map.tolerated_failure_count.as_ref(),
        map.tolerated_failure_count_path.as_deref(),
        "ToleratedFailureCount",
        roots,
    )?;
    let percentage = match (
        &map.tolerated_failure_percentage,
        &map.tolerated_failure_percentage_path,
    ) {
        (Some(value), _) => value.as_f64(),
        (None, Some(path)) => {
            let value = dataflow::select(path, roots)?;
            let number = value
                .as_f64()
                .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()));
            match number {
                Some(n) if (0.0..=100.0).contains(&n) => Some(n),
                Some(_) => {
                    return Err(Failure::runtime(
                        "ToleratedFailurePercentage must be between 0 and 100.",
                    ));
                }
                None => {
                    return Err(Failure::runtime(format!(
                        "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {path}",
                        plain(&value)
                    )));
                }
            }
        }
        (None, None) => None,
    };
    Ok(Tolerance { count, percentage })
}

/// A whole number given directly or through a path (a string holding digits also counts, as on
/// AWS). `field` is the name without `Path`.
fn whole(
    fixed: Option<&Value>,
    path: Option<&str>,
    field: &str,
    roots: Roots,
) -> Result<Option<u64>, Failure> {
    let (value, path) = match (fixed, path) {
        (Some(value), _) => (value.clone(), None),
        (None, Some(path)) => (dataflow::select(path, roots)?, Some(path)),
        (None, None) => return Ok(None),
    };
    let number = value
        .as_i64()
        .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()));
    match (number, path) {
        (Some(n), _) if n < 0 => Err(Failure::runtime(format!("{field} cannot be negative."))),
        (Some(n), _) => Ok(Some(n as u64)),
        (None, Some(path)) => Err(Failure::runtime(format!(
            "The {field}Path field refers to value \"{}\" which is not a valid integer: {path}",
            plain(&value)
        ))),
        (None, None) => Err(Failure::runtime(format!(
            "{field} must be a whole number, found {value}"
        ))),
    }
}
