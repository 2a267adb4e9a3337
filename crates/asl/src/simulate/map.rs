//! The Map state's settings read at run time: its items, `MaxConcurrency`, a Distributed Map's
//! tolerated failures, `ItemReader`, `ItemBatcher` and `ResultWriter`, with AWS's messages for
//! bad values; and the grouping of items into batches.

use serde_json::Value;

use super::convert::plain;
use super::{Failure, Roots, dataflow};
use crate::model::{Map, ProcessorMode};

/// The items to iterate over: `ItemsPath` (default `$`) applied to the effective input.
pub(super) fn items(map: &Map, roots: Roots) -> Result<Vec<Value>, Failure> {
    let path = map.items_path.as_deref().unwrap_or("$");
    match dataflow::select(path, roots)? {
        Value::Array(items) => Ok(items),
        other => Err(Failure::runtime(format!(
            "Invalid path '{path}': the Map state's items must be a JSON array, found {other}"
        ))),
    }
}

/// Whether the Map runs as a Distributed Map (child workflow executions, a map run).
pub(super) fn is_distributed(map: &Map) -> bool {
    map.item_processor
        .processor_config
        .as_ref()
        .and_then(|config| config.mode)
        == Some(ProcessorMode::Distributed)
}

/// A Distributed Map's `ItemReader`, `ItemBatcher` and `ResultWriter` with their expressions,
/// templates and paths evaluated.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Settings {
    pub reader: Option<Reader>,
    pub batching: Option<Batching>,
    pub writer: Option<Writer>,
}

/// `ItemReader`, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reader {
    pub resource: String,
    pub config: serde_json::Map<String, Value>,
    pub parameters: Value,
    pub max_items: Option<u64>,
}

/// `ItemBatcher`, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Batching {
    pub max_items: Option<u64>,
    pub max_bytes: Option<u64>,
    pub batch_input: Option<Value>,
}

/// `ResultWriter`, resolved: where to export (none for `WriterConfig` alone) and how.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Writer {
    /// Bucket and prefix, when the results go to S3.
    pub destination: Option<(String, String)>,
    pub transformation: Transformation,
    pub jsonl: bool,
}

/// `WriterConfig.Transformation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Transformation {
    /// Each child execution's metadata with its input and output.
    None,
    /// The outputs only.
    Compact,
    /// The outputs, arrays flattened into the list.
    Flatten,
}

/// Evaluates a field that may hold expressions or a payload template; the `&str` names the field
/// for error messages.
pub(super) type Evaluate<'a> = dyn FnMut(&Value, &str) -> Result<Value, Failure> + 'a;

/// Resolves a Map's `ItemReader`, `ItemBatcher` and `ResultWriter`. `roots` is where `…Path`
/// fields select from (JSONPath states; JSONata states have no paths).
pub(super) fn settings(
    map: &Map,
    evaluate: &mut Evaluate,
    roots: Option<Roots>,
) -> Result<Settings, Failure> {
    let count =
        |object: &Value, field: &str, evaluate: &mut Evaluate| -> Result<Option<u64>, Failure> {
            let fixed = match object.get(field) {
                Some(value) => Some(evaluate(value, field)?),
                None => None,
            };
            let path_field = format!("{field}Path");
            let path = object.get(&path_field).and_then(Value::as_str);
            match (fixed, path, roots) {
                (Some(value), _, _) => whole(Some(&value), None, field, empty_roots()),
                (None, Some(path), Some(roots)) => whole(None, Some(path), field, roots),
                _ => Ok(None),
            }
        };
    let arguments = |object: &Value, evaluate: &mut Evaluate, field: &str| match object
        .get("Parameters")
        .or_else(|| object.get("Arguments"))
    {
        Some(template) => evaluate(template, field),
        None => Ok(Value::Object(Default::default())),
    };
    let reader = match &map.item_reader {
        Some(reader) => {
            let config = reader.get("ReaderConfig").cloned().unwrap_or(Value::Null);
            let max_items = count(&config, "MaxItems", evaluate)?;
            let mut config = config.as_object().cloned().unwrap_or_default();
            config.remove("MaxItems");
            Some(Reader {
                resource: text(reader, "Resource"),
                config,
                parameters: arguments(reader, evaluate, "ItemReader")?,
                max_items,
            })
        }
        None => None,
    };
    let batching = match &map.item_batcher {
        Some(batcher) => Some(Batching {
            max_items: count(batcher, "MaxItemsPerBatch", evaluate)?,
            max_bytes: count(batcher, "MaxInputBytesPerBatch", evaluate)?,
            batch_input: match batcher.get("BatchInput") {
                Some(template) => Some(evaluate(template, "BatchInput")?),
                None => None,
            },
        }),
        None => None,
    };
    let writer = match &map.result_writer {
        Some(writer) => {
            let config = writer.get("WriterConfig");
            let setting = |field: &str| config.and_then(|c| c.get(field)).and_then(Value::as_str);
            let destination = match writer.get("Resource") {
                Some(_) => {
                    let parameters = arguments(writer, evaluate, "ResultWriter")?;
                    Some((text(&parameters, "Bucket"), text(&parameters, "Prefix")))
                }
                None => None,
            };
            let transformation = match setting("Transformation") {
                Some("COMPACT") => Transformation::Compact,
                Some("FLATTEN") => Transformation::Flatten,
                Some(_) => Transformation::None,
                // Exported results keep their metadata unless told otherwise; results kept in
                // the state's output are compact.
                None if destination.is_some() => Transformation::None,
                None => Transformation::Compact,
            };
            Some(Writer {
                destination,
                transformation,
                jsonl: setting("OutputType") == Some("JSONL"),
            })
        }
        None => None,
    };
    Ok(Settings {
        reader,
        batching,
        writer,
    })
}

fn text(object: &Value, field: &str) -> String {
    object
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn empty_roots() -> Roots<'static> {
    Roots {
        input: &Value::Null,
        context: &Value::Null,
        variables: &(),
    }
}

/// Groups item inputs into batches of `{"BatchInput": …, "Items": […]}` (`BatchInput` only when
/// given), each within `MaxItemsPerBatch` items and `MaxInputBytesPerBatch` bytes of JSON. Also
/// gives how many items each batch holds.
pub(super) fn batches(
    items: Vec<Value>,
    batching: &Batching,
) -> Result<Vec<(Value, usize)>, Failure> {
    let max_items = batching
        .max_items
        .filter(|&n| n > 0)
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let max_bytes =
        batching
            .max_bytes
            .filter(|&n| n > 0)
            .map_or(dataflow::MAX_PAYLOAD_BYTES, |n| {
                usize::try_from(n)
                    .unwrap_or(usize::MAX)
                    .min(dataflow::MAX_PAYLOAD_BYTES)
            });
    let wrap = |items: Vec<Value>| {
        let mut batch = serde_json::Map::new();
        if let Some(input) = &batching.batch_input {
            batch.insert("BatchInput".into(), input.clone());
        }
        batch.insert("Items".into(), Value::Array(items));
        Value::Object(batch)
    };
    // The bytes of a batch: its frame, then each item and a comma between items.
    let frame = dataflow::serialized_len(&wrap(Vec::new()));
    let mut batches = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = frame;
    for (index, item) in items.into_iter().enumerate() {
        let size = dataflow::serialized_len(&item) + usize::from(!current.is_empty());
        if frame + dataflow::serialized_len(&item) > max_bytes {
            return Err(Failure::new(
                super::errors::DATA_LIMIT_EXCEEDED,
                format!(
                    "Item {index} does not fit in a batch of MaxInputBytesPerBatch ({max_bytes}) bytes."
                ),
            ));
        }
        if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
            let count = current.len();
            batches.push((wrap(std::mem::take(&mut current)), count));
            bytes = frame;
        }
        bytes += dataflow::serialized_len(&item) + usize::from(!current.is_empty());
        current.push(item);
    }
    if !current.is_empty() {
        let count = current.len();
        batches.push((wrap(current), count));
    }
    Ok(batches)
}

/// Checks `MaxConcurrency`/`MaxConcurrencyPath` (the simulator runs one iteration at a time, but
/// a bad value fails the state as it does on AWS).
pub(super) fn max_concurrency(map: &Map, roots: Roots) -> Result<u64, Failure> {
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
pub(super) struct Tolerance {
    pub count: Option<u64>,
    pub percentage: Option<f64>,
}

impl Tolerance {
    /// Whether `failures` of `total` items are within it: with no threshold set, no failure is;
    /// with both set, exceeding either fails the Map (as AWS documents).
    pub(super) fn allows(self, failures: u64, total: usize) -> bool {
        let share = failures as f64 * 100.0 / total.max(1) as f64;
        (self.count.is_some() || self.percentage.is_some())
            && self.count.is_none_or(|count| failures <= count)
            && self.percentage.is_none_or(|percentage| share <= percentage)
    }
}

/// Reads `ToleratedFailureCount(Path)` and `ToleratedFailurePercentage(Path)`.
pub(super) fn tolerance(map: &Map, roots: Roots) -> Result<Tolerance, Failure> {
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
