//! The mocked Amazon S3 a run reads Distributed Map items from and writes `ResultWriter` files
//! to: objects by bucket and key, given in the mocks file under `"S3"`.
//!
//! An object's content is text (a CSV file, JSON Lines) or any other JSON value, which stands
//! for that value written as JSON (a JSON array object, a manifest). Objects written during the
//! run are kept apart so the caller can show what the run wrote.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::mock_error::MockError;

/// Buckets of objects, each object's content as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct S3 {
    buckets: BTreeMap<String, BTreeMap<String, String>>,
    /// `(bucket, key)` of every object written during the run, in order.
    written: Vec<(String, String)>,
}

/// One object in a listing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Object<'a> {
    pub key: &'a str,
    pub content: &'a str,
}

impl S3 {
    /// Reads `{"bucket": {"key": content, …}, …}`.
    pub(crate) fn from_json(value: &Value) -> Result<S3, MockError> {
        let buckets = value.as_object().ok_or(MockError::S3NotAnObject)?;
        let mut s3 = S3::default();
        for (bucket, objects) in buckets {
            let objects = objects
                .as_object()
                .ok_or_else(|| MockError::S3BucketNotAnObject {
                    bucket: bucket.clone(),
                })?;
            let entry = s3.buckets.entry(bucket.clone()).or_default();
            for (key, content) in objects {
                let text = match content {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                entry.insert(key.clone(), text);
            }
        }
        Ok(s3)
    }

    /// The content of an object, if it exists.
    pub(crate) fn get(&self, bucket: &str, key: &str) -> Option<&str> {
        self.buckets.get(bucket)?.get(key).map(String::as_str)
    }

    /// Whether the bucket exists (has at least one object, or was named in the mocks).
    pub(crate) fn has_bucket(&self, bucket: &str) -> bool {
        self.buckets.contains_key(bucket)
    }

    /// The objects of a bucket whose keys start with `prefix`, in key order (as ListObjectsV2
    /// returns them).
    pub(crate) fn list<'a>(&'a self, bucket: &str, prefix: &'a str) -> Vec<Object<'a>> {
        self.buckets
            .get(bucket)
            .into_iter()
            .flat_map(|objects| objects.range(prefix.to_string()..))
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, content)| Object {
                key,
                content: content.as_str(),
            })
            .collect()
    }

    /// Writes an object (replacing one with the same key).
    pub(crate) fn put(&mut self, bucket: &str, key: &str, content: String) {
        self.buckets
            .entry(bucket.to_string())
            .or_default()
            .insert(key.to_string(), content);
        self.written.push((bucket.to_string(), key.to_string()));
    }

    /// The objects written during the run, in the mocks file's shape
    /// (`{"bucket": {"key": "content"}}`); JSON content is shown parsed.
    pub fn written(&self) -> Value {
        let mut buckets = Map::new();
        for (bucket, key) in &self.written {
            let Some(content) = self.get(bucket, key) else {
                continue;
            };
            let value = serde_json::from_str(content)
                .unwrap_or_else(|_| Value::String(content.to_string()));
            let objects = buckets
                .entry(bucket.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(objects) = objects {
                objects.insert(key.clone(), value);
            }
        }
        Value::Object(buckets)
    }

    /// Whether anything was written during the run.
    pub fn wrote(&self) -> bool {
        !self.written.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_by_bucket_and_key_listed_by_prefix() {
        let s3 = S3::from_json(&json!({
            "b": {"in/a.csv": "x\n1\n", "in/b.json": [1, 2], "out/c": "z"}
        }))
        .unwrap();
        assert_eq!(s3.get("b", "in/a.csv"), Some("x\n1\n"));
        assert_eq!(s3.get("b", "in/b.json"), Some("[1,2]"));
        assert_eq!(s3.get("b", "missing"), None);
        let keys: Vec<&str> = s3.list("b", "in/").iter().map(|o| o.key).collect();
        assert_eq!(keys, ["in/a.csv", "in/b.json"]);
        assert!(s3.list("other", "").is_empty());
    }

    #[test]
    fn written_objects_are_reported_in_the_mocks_shape() {
        let mut s3 = S3::default();
        assert!(!s3.wrote());
        s3.put("out", "r/manifest.json", "{\"a\":1}".into());
        s3.put("out", "r/rows.jsonl", "1\n2\n".into());
        assert_eq!(
            s3.written(),
            json!({"out": {"r/manifest.json": {"a": 1}, "r/rows.jsonl": "1\n2\n"}})
        );
    }

    #[test]
    fn bad_shapes_are_explained() {
        assert_eq!(S3::from_json(&json!([])), Err(MockError::S3NotAnObject));
        assert!(matches!(
            S3::from_json(&json!({"b": "x"})),
            Err(MockError::S3BucketNotAnObject { .. })
        ));
    }
}
