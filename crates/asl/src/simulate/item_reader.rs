//! A Distributed Map's `ItemReader`: the items of an Amazon S3 object (a JSON array, JSON
//! Lines, CSV, an S3 inventory or Athena manifest) or of a bucket listing (`ListObjectsV2`),
//! read from the mocked S3.
//!
//! Every item comes with its `Source`, the context object's `Map.Item.Source`: the object's
//! `s3://bucket/key` URI, or the bucket's `s3://bucket` for a plain listing.

use serde_json::{Map, Value, json};

use super::s3::S3;
use super::{Failure, errors, intrinsics};

/// What an `ItemReader` asks for, with its `Parameters`/`Arguments` and `MaxItems` resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Request<'a> {
    /// `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`.
    pub resource: &'a str,
    /// `ReaderConfig`, or an empty object.
    pub config: &'a Map<String, Value>,
    /// `Bucket`, `Key` or `Prefix`, …
    pub parameters: &'a Value,
    pub max_items: Option<u64>,
    /// `LastModified` of listed objects, in seconds since the epoch.
    pub modified: i64,
}

/// One item and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Item {
    pub value: Value,
    pub source: String,
}

/// `Map.Item.Source` for items taken from the state input.
pub(super) const STATE_DATA: &str = "STATE_DATA";

/// Reads the items.
pub(super) fn read(request: &Request, s3: &S3) -> Result<Vec<Item>, Failure> {
    let bucket = text(request.parameters, "Bucket")?;
    let config = request.config;
    let input_type = config.get("InputType").and_then(Value::as_str);
    let mut items = match request.resource.rsplit(':').next().unwrap_or_default() {
        "listObjectsV2" => {
            let prefix = request
                .parameters
                .get("Prefix")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let flatten =
                config.get("Transformation").and_then(Value::as_str) == Some("LOAD_AND_FLATTEN");
            let mut items = Vec::new();
            for object in s3.list(bucket, prefix) {
                if flatten {
                    let source = format!("s3://{bucket}/{}", object.key);
                    items.extend(parse(object.content, input_type, config, &source)?);
                } else {
                    items.push(Item {
                        value: listed(object.key, object.content, request.modified),
                        source: format!("s3://{bucket}"),
                    });
                }
            }
            items
        }
        "getObject" => {
            let key = text(request.parameters, "Key")?;
            let content = object(s3, bucket, key)?;
            if input_type == Some("MANIFEST") {
                manifest(s3, content, config)?
            } else {
                parse(content, input_type, config, &format!("s3://{bucket}/{key}"))?
            }
        }
        other => {
            return Err(reader_failed(format!(
                "The ItemReader resource must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2, found '{}' ({other})",
                request.resource
            )));
        }
    };
    if let Some(max) = request.max_items {
        items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    Ok(items)
}

/// Reads the items from `data`, the content the reader would find at its source (TestState's
/// `mapItemReaderData`): the object for `getObject`, the listing as a JSON array for
/// `listObjectsV2`.
pub(super) fn read_given(request: &Request, data: &str) -> Result<Vec<Item>, Failure> {
    let bucket = text(request.parameters, "Bucket")?;
    let listing = request.resource.ends_with(":listObjectsV2")
        && request.config.get("Transformation").and_then(Value::as_str) != Some("LOAD_AND_FLATTEN");
    if listing {
        let mut items: Vec<Item> = json_array(data, &Map::new(), "mapItemReaderData")?
            .into_iter()
            .map(|value| Item {
                value,
                source: format!("s3://{bucket}"),
            })
            .collect();
        if let Some(max) = request.max_items {
            items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        }
        return Ok(items);
    }
    let key = request
        .parameters
        .get("Key")
        .or_else(|| request.parameters.get("Prefix"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut s3 = S3::default();
    s3.put(bucket, key, data.to_string());
    let mut parameters = request.parameters.clone();
    parameters["Key"] = json!(key);
    parameters["Prefix"] = json!(key);
    read(
        &Request {
            parameters: &parameters,
            ..request.clone()
        },
        &s3,
    )
}

fn reader_failed(cause: impl Into<String>) -> Failure {
    Failure::new(errors::ITEM_READER_FAILED, cause)
}

fn text<'a>(parameters: &'a Value, field: &str) -> Result<&'a str, Failure> {
    parameters
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| {
            reader_failed(format!(
                "The ItemReader's parameters need a string '{field}', found {}",
                parameters.get(field).unwrap_or(&Value::Null)
            ))
        })
}

fn object<'a>(s3: &'a S3, bucket: &str, key: &str) -> Result<&'a str, Failure> {
    s3.get(bucket, key).ok_or_else(|| {
        let missing = if s3.has_bucket(bucket) {
            "The specified key does not exist."
        } else {
            "The specified bucket does not exist."
        };
        reader_failed(format!(
            "{missing} (s3://{bucket}/{key}; the simulator reads objects from the mocks' \"S3\" key)"
        ))
    })
}

/// A `ListObjectsV2` entry, as the Map gets it.
fn listed(key: &str, content: &str, modified: i64) -> Value {
    let etag = intrinsics::digest(content, "MD5").unwrap_or_default();
    json!({
        "Etag": format!("\"{etag}\""),
        "Key": key,
        "LastModified": modified,
        "Size": content.len(),
        "StorageClass": "STANDARD",
    })
}

/// The items of one object, by `InputType` (JSON when absent).
fn parse(
    content: &str,
    input_type: Option<&str>,
    config: &Map<String, Value>,
    source: &str,
) -> Result<Vec<Item>, Failure> {
    let values = match input_type.unwrap_or("JSON") {
        "JSON" => json_array(content, config, source)?,
        "JSONL" => json_lines(content, source)?,
        "CSV" => csv_rows(content, config, source)?,
        other => {
            return Err(Failure::new(
                errors::UNSUPPORTED_ERROR,
                format!(
                    "ItemReader InputType {other} is not simulated; use JSON, JSONL, CSV or MANIFEST"
                ),
            ));
        }
    };
    Ok(values
        .into_iter()
        .map(|value| Item {
            value,
            source: source.to_string(),
        })
        .collect())
}

fn json_array(
    content: &str,
    config: &Map<String, Value>,
    source: &str,
) -> Result<Vec<Value>, Failure> {
    let value: Value = serde_json::from_str(content).map_err(|error| {
        reader_failed(format!("The object {source} is not valid JSON: {error}"))
    })?;
    let pointer = config.get("ItemsPointer").and_then(Value::as_str);
    let selected = match pointer {
        Some(pointer) => value.pointer(pointer).cloned().ok_or_else(|| {
            reader_failed(format!(
                "ItemsPointer '{pointer}' selects nothing in the object {source}"
            ))
        })?,
        None => value,
    };
    match selected {
        Value::Array(items) => Ok(items),
        other => Err(reader_failed(format!(
            "The object {source} must hold a JSON array of items{}, found {}",
            pointer.map(|p| format!(" at '{p}'")).unwrap_or_default(),
            kind(&other)
        ))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn json_lines(content: &str, source: &str) -> Result<Vec<Value>, Failure> {
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|error| {
                reader_failed(format!(
                    "Line {} of the object {source} is not valid JSON: {error}",
                    index + 1
                ))
            })
        })
        .collect()
}

/// The delimiter a `CSVDelimiter` name stands for.
fn delimiter(config: &Map<String, Value>) -> char {
    match config.get("CSVDelimiter").and_then(Value::as_str) {
        Some("PIPE") => '|',
        Some("SEMICOLON") => ';',
        Some("SPACE") => ' ',
        Some("TAB") => '\t',
        _ => ',',
    }
}

/// CSV rows as objects of strings keyed by the header (the first row, or `CSVHeaders` with
/// `"CSVHeaderLocation": "GIVEN"`).
fn csv_rows(
    content: &str,
    config: &Map<String, Value>,
    source: &str,
) -> Result<Vec<Value>, Failure> {
    let mut rows = split_csv(content, delimiter(config)).into_iter();
    let given = config.get("CSVHeaderLocation").and_then(Value::as_str) == Some("GIVEN");
    let headers: Vec<String> = if given {
        config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|headers| {
                headers
                    .iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or_else(|| {
                reader_failed("CSVHeaderLocation GIVEN needs CSVHeaders, an array of column names")
            })?
    } else {
        rows.next().unwrap_or_default()
    };
    let first_row = if given { 1 } else { 2 };
    rows.enumerate()
        .map(|(index, fields)| {
            if fields.len() > headers.len() {
                return Err(reader_failed(format!(
                    "Row {} of the object {source} has {} fields but the header has {} columns",
                    index + first_row,
                    fields.len(),
                    headers.len()
                )));
            }
            let mut row = Map::new();
            let mut fields = fields.into_iter();
            for header in &headers {
                row.insert(
                    header.clone(),
                    Value::String(fields.next().unwrap_or_default()),
                );
            }
            Ok(Value::Object(row))
        })
        .collect()
}

/// Splits CSV text into rows of fields: fields in double quotes may hold the delimiter, line
/// breaks and `""` for a quote; empty lines are skipped.
fn split_csv(content: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut started = false;
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                started = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                if started || !field.is_empty() || !row.is_empty() {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                started = false;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                started = true;
            }
            other => {
                field.push(other);
                started = true;
            }
        }
    }
    if started || !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The items a manifest lists: an S3 inventory `manifest.json` (its CSV files' rows, keyed by
/// its `fileSchema`), or with `"ManifestType": "ATHENA_DATA"` an Athena manifest (one
/// `s3://bucket/key` per line, each object read by `InputType`).
fn manifest(s3: &S3, content: &str, config: &Map<String, Value>) -> Result<Vec<Item>, Failure> {
    if config.get("ManifestType").and_then(Value::as_str) == Some("ATHENA_DATA") {
        let mut items = Vec::new();
        for uri in content.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (bucket, key) = uri
                .strip_prefix("s3://")
                .and_then(|rest| rest.split_once('/'))
                .ok_or_else(|| {
                    reader_failed(format!(
                        "The Athena manifest lists '{uri}', which is not an s3://bucket/key URI"
                    ))
                })?;
            let data = object(s3, bucket, key)?;
            let input_type = config.get("InputType").and_then(Value::as_str);
            // The manifest's own InputType is MANIFEST; its data files are CSV unless said.
            let data_type = match input_type {
                Some("MANIFEST") | None => "CSV",
                Some(other) => other,
            };
            items.extend(parse(data, Some(data_type), config, uri)?);
        }
        return Ok(items);
    }
    let manifest: Value = serde_json::from_str(content).map_err(|error| {
        reader_failed(format!(
            "The S3 inventory manifest is not valid JSON: {error}"
        ))
    })?;
    let bucket = manifest
        .get("destinationBucket")
        .and_then(Value::as_str)
        .map(|arn| arn.strip_prefix("arn:aws:s3:::").unwrap_or(arn))
        .ok_or_else(|| reader_failed("The S3 inventory manifest has no destinationBucket"))?;
    let schema: Vec<Value> = manifest
        .get("fileSchema")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split(',')
        .map(|column| Value::String(column.trim().to_string()))
        .collect();
    let format = manifest.get("fileFormat").and_then(Value::as_str);
    if format.is_some_and(|f| f != "CSV") {
        return Err(Failure::new(
            errors::UNSUPPORTED_ERROR,
            "Only CSV S3 inventory files are simulated",
        ));
    }
    let mut data_config = Map::new();
    data_config.insert("CSVHeaderLocation".into(), json!("GIVEN"));
    data_config.insert("CSVHeaders".into(), Value::Array(schema));
    let files = manifest
        .get("files")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut items = Vec::new();
    for file in files {
        let key = file.get("key").and_then(Value::as_str).unwrap_or_default();
        let data = object(s3, bucket, key)?;
        items.extend(parse(
            data,
            Some("CSV"),
            &data_config,
            &format!("s3://{bucket}/{key}"),
        )?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3() -> S3 {
        S3::from_json(&json!({"b": {
            "rows.csv": "id,name\n1,\"Smith, J\"\r\n2,\"say \"\"hi\"\"\"\n\n",
            "rows.psv": "1|a\n2|b\n",
            "items.json": {"data": {"items": [1, 2, 3]}},
            "array.json": [{"a": 1}, {"a": 2}],
            "lines.jsonl": "{\"a\":1}\n\n{\"a\":2}\n",
            "inv/manifest.json": {"destinationBucket": "arn:aws:s3:::b", "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, Size", "files": [{"key": "inv/data/1.csv"}]},
            "inv/data/1.csv": "src,photos/a.jpg,10\nsrc,photos/b.jpg,20\n",
        }}))
        .unwrap()
    }

    fn read_with(resource: &str, config: Value, parameters: Value) -> Result<Vec<Item>, Failure> {
        let config = config.as_object().cloned().unwrap_or_default();
        read(
            &Request {
                resource,
                config: &config,
                parameters: &parameters,
                max_items: None,
                modified: 1_704_110_400,
            },
            &s3(),
        )
    }

    fn values(items: Vec<Item>) -> Vec<Value> {
        items.into_iter().map(|item| item.value).collect()
    }

    const GET: &str = "arn:aws:states:::s3:getObject";

    #[test]
    fn csv_with_a_header_row_and_quotes() {
        let items = read_with(
            GET,
            json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}),
            json!({"Bucket": "b", "Key": "rows.csv"}),
        )
        .unwrap();
        assert_eq!(items[0].source, "s3://b/rows.csv");
        assert_eq!(
            values(items),
            [
                json!({"id": "1", "name": "Smith, J"}),
                json!({"id": "2", "name": "say \"hi\""})
            ]
        );
    }

    #[test]
    fn csv_with_given_headers_and_another_delimiter() {
        let items = read_with(
            GET,
            json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["n", "v"],
                   "CSVDelimiter": "PIPE"}),
            json!({"Bucket": "b", "Key": "rows.psv"}),
        )
        .unwrap();
        assert_eq!(
            values(items),
            [json!({"n": "1", "v": "a"}), json!({"n": "2", "v": "b"})]
        );
    }

    #[test]
    fn json_arrays_pointers_and_lines() {
        let array = read_with(
            GET,
            json!({"InputType": "JSON"}),
            json!({"Bucket": "b", "Key": "array.json"}),
        );
        assert_eq!(values(array.unwrap()), [json!({"a": 1}), json!({"a": 2})]);
        let pointed = read_with(
            GET,
            json!({"InputType": "JSON", "ItemsPointer": "/data/items"}),
            json!({"Bucket": "b", "Key": "items.json"}),
        );
        assert_eq!(values(pointed.unwrap()), [json!(1), json!(2), json!(3)]);
        let lines = read_with(
            GET,
            json!({"InputType": "JSONL"}),
            json!({"Bucket": "b", "Key": "lines.jsonl"}),
        );
        assert_eq!(values(lines.unwrap()), [json!({"a": 1}), json!({"a": 2})]);
        let not_array = read_with(
            GET,
            json!({"InputType": "JSON"}),
            json!({"Bucket": "b", "Key": "items.json"}),
        )
        .unwrap_err();
        assert_eq!(not_array.error, errors::ITEM_READER_FAILED);
        assert!(
            not_array.cause.contains("found an object"),
            "{}",
            not_array.cause
        );
    }

    #[test]
    fn listing_a_prefix_and_loading_its_objects() {
        let list = "arn:aws:states:::s3:listObjectsV2";
        let items = read_with(
            list,
            json!({}),
            json!({"Bucket": "b", "Prefix": "inv/data/"}),
        )
        .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].source, "s3://b");
        assert_eq!(items[0].value["Key"], "inv/data/1.csv");
        assert_eq!(items[0].value["Size"], 40);
        assert_eq!(items[0].value["LastModified"], 1_704_110_400);
        assert_eq!(items[0].value["StorageClass"], "STANDARD");
        let etag = items[0].value["Etag"].as_str().unwrap();
        assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
        let loaded = read_with(
            list,
            json!({"Transformation": "LOAD_AND_FLATTEN", "InputType": "CSV",
                   "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["b", "k", "s"]}),
            json!({"Bucket": "b", "Prefix": "inv/data/"}),
        )
        .unwrap();
        assert_eq!(loaded[1].source, "s3://b/inv/data/1.csv");
        assert_eq!(
            loaded[1].value,
            json!({"b": "src", "k": "photos/b.jpg", "s": "20"})
        );
    }

    #[test]
    fn an_inventory_manifest_lists_its_files_rows() {
        let items = read_with(
            GET,
            json!({"InputType": "MANIFEST"}),
            json!({"Bucket": "b", "Key": "inv/manifest.json"}),
        )
        .unwrap();
        assert_eq!(
            values(items),
            [
                json!({"Bucket": "src", "Key": "photos/a.jpg", "Size": "10"}),
                json!({"Bucket": "src", "Key": "photos/b.jpg", "Size": "20"})
            ]
        );
    }

    #[test]
    fn data_given_in_place_of_the_source() {
        let config = json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"});
        let parameters = json!({"Bucket": "b", "Key": "k.csv"});
        let request = Request {
            resource: GET,
            config: config.as_object().unwrap(),
            parameters: &parameters,
            max_items: None,
            modified: 0,
        };
        let items = read_given(&request, "a\n1\n").unwrap();
        assert_eq!(items[0].value, json!({"a": "1"}));
        assert_eq!(items[0].source, "s3://b/k.csv");
        let listing = Request {
            resource: "arn:aws:states:::s3:listObjectsV2",
            config: &Map::new(),
            ..request
        };
        let items = read_given(&listing, r#"[{"Key": "x"}, {"Key": "y"}]"#).unwrap();
        assert_eq!(items[1].value, json!({"Key": "y"}));
        assert_eq!(items[1].source, "s3://b");
    }

    #[test]
    fn max_items_and_missing_objects() {
        let config = json!({"InputType": "JSON"});
        let config = config.as_object().unwrap();
        let parameters = json!({"Bucket": "b", "Key": "array.json"});
        let request = Request {
            resource: GET,
            config,
            parameters: &parameters,
            max_items: Some(1),
            modified: 0,
        };
        assert_eq!(read(&request, &s3()).unwrap().len(), 1);
        let missing = read_with(GET, json!({}), json!({"Bucket": "b", "Key": "nope"})).unwrap_err();
        assert!(
            missing
                .cause
                .starts_with("The specified key does not exist.")
        );
        let no_bucket = read_with(GET, json!({}), json!({"Bucket": "x", "Key": "k"})).unwrap_err();
        assert!(
            no_bucket
                .cause
                .starts_with("The specified bucket does not exist.")
        );
    }
}
