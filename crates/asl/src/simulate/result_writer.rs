//! A Distributed Map's `ResultWriter`: the child executions' results shaped by `WriterConfig`
//! (`Transformation`, `OutputType`), written to the mocked S3 as a manifest and result files,
//! and the state's result that says where they went.
//!
//! Exported results land under `Prefix/<map run id>/`: `manifest.json` lists
//! `SUCCEEDED_n.json`, `FAILED_n.json` and `PENDING_n.json` (only those with results); the
//! state's result is `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}` naming the
//! manifest. Without a `Resource` the shaped results are the state's result.

use serde_json::{Map, Value, json};

use super::Failure;
use super::map::{Transformation, Writer};
use super::s3::S3;

/// One child workflow execution of a map run, as the writer reports it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Child {
    pub name: String,
    pub input: Value,
    pub result: Result<Value, Failure>,
    pub started: String,
    pub stopped: String,
}

/// The map run the children belong to.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Run<'a> {
    pub arn: &'a str,
    pub id: &'a str,
    /// The ARN child executions' ARNs derive from (`…:stateMachine:Machine/MapLabel`).
    pub machine_arn: &'a str,
}

/// Applies the writer: exports to `s3` when it has a destination, and gives the state's result.
pub(super) fn write(writer: &Writer, run: &Run, children: &[Child], s3: &mut S3) -> Value {
    let Some((bucket, prefix)) = &writer.destination else {
        return Value::Array(shaped(writer.transformation, run, children.iter()));
    };
    let folder = if prefix.is_empty() {
        run.id.to_string()
    } else {
        format!("{}/{}", prefix.trim_end_matches('/'), run.id)
    };
    let extension = if writer.jsonl { "jsonl" } else { "json" };
    let mut files = Map::new();
    for (status, ok) in [("FAILED", false), ("PENDING", false), ("SUCCEEDED", true)] {
        let group: Vec<&Child> = children
            .iter()
            .filter(|child| child.result.is_ok() == ok && status != "PENDING")
            .collect();
        let mut listed = Vec::new();
        if !group.is_empty() {
            // A failed child keeps its metadata whatever the transformation.
            let transformation = if ok {
                writer.transformation
            } else {
                Transformation::None
            };
            let values = shaped(transformation, run, group.into_iter());
            let content = if writer.jsonl {
                values
                    .iter()
                    .map(|value| format!("{value}\n"))
                    .collect::<String>()
            } else {
                Value::Array(values).to_string()
            };
            let key = format!("{folder}/{status}_0.{extension}");
            listed.push(json!({"Key": key, "Size": content.len()}));
            s3.put(bucket, &key, content);
        }
        files.insert(status.to_string(), Value::Array(listed));
    }
    let manifest_key = format!("{folder}/manifest.json");
    let manifest = json!({
        "DestinationBucket": bucket,
        "MapRunArn": run.arn,
        "ResultFiles": files,
    });
    s3.put(bucket, &manifest_key, manifest.to_string());
    json!({
        "MapRunArn": run.arn,
        "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key},
    })
}

/// The children's results shaped by a transformation.
fn shaped<'a>(
    transformation: Transformation,
    run: &Run,
    children: impl Iterator<Item = &'a Child>,
) -> Vec<Value> {
    let mut values = Vec::new();
    for child in children {
        match (transformation, &child.result) {
            (Transformation::Compact, Ok(output)) => values.push(output.clone()),
            (Transformation::Flatten, Ok(Value::Array(items))) => values.extend(items.clone()),
            (Transformation::Flatten, Ok(output)) => values.push(output.clone()),
            _ => values.push(metadata(run, child)),
        }
    }
    values
}

/// A child execution as `DescribeExecution` reports it, input and output as JSON text.
fn metadata(run: &Run, child: &Child) -> Value {
    let execution_arn = format!(
        "{}:{}",
        run.machine_arn.replacen(":stateMachine:", ":execution:", 1),
        child.name
    );
    let mut value = json!({
        "ExecutionArn": execution_arn,
        "Input": child.input.to_string(),
        "InputDetails": {"Included": true},
        "Name": child.name,
    });
    match &child.result {
        Ok(output) => {
            value["Output"] = json!(output.to_string());
            value["OutputDetails"] = json!({"Included": true});
            value["RedriveCount"] = json!(0);
            value["RedriveStatus"] = json!("NOT_REDRIVABLE");
            value["RedriveStatusReason"] = json!("Execution is SUCCEEDED and cannot be redriven");
        }
        Err(failure) => {
            value["Error"] = json!(failure.error);
            value["Cause"] = json!(failure.cause);
            value["RedriveCount"] = json!(0);
            value["RedriveStatus"] = json!("REDRIVABLE_BY_MAP_RUN");
        }
    }
    value["StartDate"] = json!(child.started);
    value["StateMachineArn"] = json!(run.machine_arn);
    value["Status"] = json!(if child.result.is_ok() {
        "SUCCEEDED"
    } else {
        "FAILED"
    });
    value["StopDate"] = json!(child.stopped);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> Run<'static> {
        Run {
            arn: "arn:aws:states:us-east-1:123456789012:mapRun:M/Map:run-1",
            id: "run-1",
            machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:M/Map",
        }
    }

    fn children() -> Vec<Child> {
        let child = |name: &str, result| Child {
            name: name.into(),
            input: json!({"n": 1}),
            result,
            started: "2024-01-01T12:00:00.000Z".into(),
            stopped: "2024-01-01T12:00:00.000Z".into(),
        };
        vec![
            child("a", Ok(json!([1, 2]))),
            child("b", Err(Failure::new("Boom", "it broke"))),
            child("c", Ok(json!(3))),
        ]
    }

    #[test]
    fn writer_config_alone_shapes_the_output() {
        let writer = |transformation| Writer {
            destination: None,
            transformation,
            jsonl: false,
        };
        let mut s3 = S3::default();
        let children = children();
        let flat = write(
            &writer(Transformation::Flatten),
            &run(),
            &children[..1],
            &mut s3,
        );
        assert_eq!(flat, json!([1, 2]));
        let compact = write(&writer(Transformation::Compact), &run(), &children, &mut s3);
        assert_eq!(compact[0], json!([1, 2]));
        assert_eq!(compact[1]["Error"], "Boom");
        assert_eq!(compact[1]["Status"], "FAILED");
        assert_eq!(compact[2], json!(3));
        assert!(!s3.wrote());
    }

    #[test]
    fn exported_results_have_a_manifest() {
        let writer = Writer {
            destination: Some(("out".into(), "runs/".into())),
            transformation: Transformation::None,
            jsonl: false,
        };
        let mut s3 = S3::default();
        let output = write(&writer, &run(), &children(), &mut s3);
        assert_eq!(
            output,
            json!({"MapRunArn": run().arn,
                   "ResultWriterDetails": {"Bucket": "out", "Key": "runs/run-1/manifest.json"}})
        );
        let manifest: Value =
            serde_json::from_str(s3.get("out", "runs/run-1/manifest.json").unwrap()).unwrap();
        assert_eq!(manifest["DestinationBucket"], "out");
        assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
        assert_eq!(
            manifest["ResultFiles"]["SUCCEEDED"][0]["Key"],
            "runs/run-1/SUCCEEDED_0.json"
        );
        let succeeded: Value =
            serde_json::from_str(s3.get("out", "runs/run-1/SUCCEEDED_0.json").unwrap()).unwrap();
        assert_eq!(succeeded[0]["Output"], "[1,2]");
        assert_eq!(succeeded[0]["Input"], "{\"n\":1}");
        assert_eq!(
            succeeded[0]["ExecutionArn"],
            "arn:aws:states:us-east-1:123456789012:execution:M/Map:a"
        );
        let failed: Value =
            serde_json::from_str(s3.get("out", "runs/run-1/FAILED_0.json").unwrap()).unwrap();
        assert_eq!(failed[0]["Cause"], "it broke");
    }

    #[test]
    fn json_lines_files() {
        let writer = Writer {
            destination: Some(("out".into(), String::new())),
            transformation: Transformation::Compact,
            jsonl: true,
        };
        let mut s3 = S3::default();
        write(&writer, &run(), &children()[..1], &mut s3);
        assert_eq!(s3.get("out", "run-1/SUCCEEDED_0.jsonl"), Some("[1,2]\n"));
    }
}
