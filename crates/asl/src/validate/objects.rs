//! Configuration objects with fields of their own: `Credentials`, Map's `ProcessorConfig`,
//! `ItemReader` (with `ReaderConfig`), `ItemBatcher` and `ResultWriter` (with `WriterConfig`).

use super::fields::Lang;
use super::values::PathRule;
use super::{Checker, describe};
use crate::source::{Node, Pointer};

/// What a field of a configuration object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Text,
    /// One of the listed strings.
    OneOf(&'static [&'static str]),
    /// A whole number up to the given maximum (in JSONata also an expression).
    Count(u64),
    /// JSONPath only: a reference path.
    Path,
    /// JSONPath payload template / JSONata arguments.
    Parameters,
    Arguments,
    Object,
    Strings,
    Resource,
    Reader,
    Writer,
}

const READER: &[(&str, Sub)] = &[
    ("Resource", Sub::Resource),
    ("Parameters", Sub::Parameters),
    ("Arguments", Sub::Arguments),
    ("ReaderConfig", Sub::Reader),
];
const READER_CONFIG: &[(&str, Sub)] = &[
    (
        "InputType",
        Sub::OneOf(&["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"]),
    ),
    ("CSVHeaderLocation", Sub::OneOf(&["FIRST_ROW", "GIVEN"])),
    ("CSVHeaders", Sub::Strings),
    (
        "CSVDelimiter",
        Sub::OneOf(&["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]),
    ),
    ("ManifestType", Sub::OneOf(&["ATHENA_DATA", "S3_INVENTORY"])),
    // AWS's documented maximum.
    ("MaxItems", Sub::Count(100_000_000)),
    ("ItemsPointer", Sub::Text),
    ("MaxItemsPath", Sub::Path),
];
const BATCHER: &[(&str, Sub)] = &[
    ("MaxItemsPerBatch", Sub::Count(u32::MAX as u64)),
    ("MaxItemsPerBatchPath", Sub::Path),
    // A batch is one child execution's input: at most the 256 KiB payload quota.
    ("MaxInputBytesPerBatch", Sub::Count(256 * 1024)),
    ("MaxInputBytesPerBatchPath", Sub::Path),
    ("BatchInput", Sub::Object),
];
const WRITER: &[(&str, Sub)] = &[
    ("Resource", Sub::Resource),
    ("Parameters", Sub::Parameters),
    ("Arguments", Sub::Arguments),
    ("WriterConfig", Sub::Writer),
];
const WRITER_CONFIG: &[(&str, Sub)] = &[
    ("OutputType", Sub::OneOf(&["JSON", "JSONL"])),
    (
        "Transformation",
        Sub::OneOf(&["NONE", "COMPACT", "FLATTEN"]),
    ),
];
const PROCESSOR_CONFIG: &[(&str, Sub)] = &[
    ("Mode", Sub::OneOf(&["INLINE", "DISTRIBUTED"])),
    ("ExecutionType", Sub::OneOf(&["STANDARD", "EXPRESS"])),
];

impl Checker<'_> {
    pub(super) fn item_reader(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if !self.config(node, pointer, "ItemReader", READER, lang) {
            return;
        }
        match node.get("Resource") {
            None => self.schema("`ItemReader` needs a `Resource`", pointer, node.span),
            Some(resource) => self.s3_resource(
                resource,
                &pointer.join("Resource"),
                &["getObject", "listObjectsV2"],
            ),
        }
        let Some(config) = node.get("ReaderConfig") else {
            return;
        };
        let here = pointer.join("ReaderConfig");
        let location = config.get("CSVHeaderLocation").and_then(Node::as_str);
        match (location, config.member("CSVHeaders")) {
            (Some("GIVEN"), None) => self.schema(
                "`\"CSVHeaderLocation\": \"GIVEN\"` needs `CSVHeaders`, the column names",
                &here,
                config.span,
            ),
            (location, Some(headers)) if location != Some("GIVEN") => self.schema(
                "`CSVHeaders` is only used with `\"CSVHeaderLocation\": \"GIVEN\"`",
                &here.join("CSVHeaders"),
                headers.key_span,
            ),
            _ => {}
        }
    }

    pub(super) fn item_batcher(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if self.config(node, pointer, "ItemBatcher", BATCHER, lang)
            && !BATCHER[..4]
                .iter()
                .any(|(field, _)| node.get(field).is_some())
        {
            self.schema(
                "`ItemBatcher` needs `MaxItemsPerBatch` or `MaxInputBytesPerBatch` (or their `…Path`)",
                pointer,
                node.span,
            );
        }
    }

    /// `ItemReader`, `ItemBatcher` and `ResultWriter` belong to a Distributed Map only.
    pub(super) fn distributed_only(&mut self, state: &Node, pointer: &Pointer) {
        let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator"));
        let mode = processor
            .and_then(|p| p.pointee("/ProcessorConfig/Mode"))
            .and_then(Node::as_str);
        if mode == Some("DISTRIBUTED") {
            return;
        }
        for field in ["ItemReader", "ItemBatcher", "ResultWriter"] {
            if let Some(member) = state.member(field) {
                self.schema(
                    format!(
                        "`{field}` is only allowed in a Distributed Map: set `\"ProcessorConfig\": {{\"Mode\": \"DISTRIBUTED\"}}` in the `ItemProcessor`"
                    ),
                    &pointer.join(field),
                    member.key_span,
                );
            }
        }
    }

    /// An Amazon S3 action ARN among `actions` (`arn:aws:states:::s3:getObject`, …).
    fn s3_resource(&mut self, node: &Node, pointer: &Pointer, actions: &[&str]) {
        let Some(text) = node.as_str() else {
            return;
        };
        let ok = text
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":states:::s3:"))
            .is_some_and(|(_, action)| actions.contains(&action));
        if text.starts_with("arn:") && !ok {
            let list: Vec<String> = actions
                .iter()
                .map(|a| format!("\"arn:aws:states:::s3:{a}\""))
                .collect();
            self.schema(
                format!("`Resource` must be {}, found \"{text}\"", list.join(" or ")),
                pointer,
                node.span,
            );
        }
    }

    pub(super) fn result_writer(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        // Without `Resource` the results stay in the state's output, shaped by `WriterConfig`.
        if !self.config(node, pointer, "ResultWriter", WRITER, lang) {
            return;
        }
        match node.get("Resource") {
            Some(resource) => self.s3_resource(resource, &pointer.join("Resource"), &["putObject"]),
            None if node.get("WriterConfig").is_none() => self.schema(
                "`ResultWriter` needs a `Resource`, a `WriterConfig` or both",
                pointer,
                node.span,
            ),
            None => {}
        }
    }

    pub(super) fn processor_config(&mut self, node: &Node, pointer: &Pointer) {
        self.config(
            node,
            pointer,
            "ProcessorConfig",
            PROCESSOR_CONFIG,
            Lang::JsonPath,
        );
    }

    /// `Credentials`: the role to assume, an object evaluated like `Parameters` (`RoleArn`, or
    /// `RoleArn.$` in JSONPath).
    pub(super) fn credentials(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if node.members().is_none() {
            self.schema(
                format!("`Credentials` must be an object such as {{\"RoleArn\": \"arn:aws:iam::123456789012:role/Name\"}}, found {}", describe(node)),
                pointer,
                node.span,
            );
            return;
        }
        self.value(super::Kind::Template, node, pointer, lang);
    }

    /// A configuration object: known fields, their values, `X`/`XPath` pairs exclusive. Returns
    /// whether `node` is an object.
    fn config(
        &mut self,
        node: &Node,
        pointer: &Pointer,
        name: &str,
        table: &[(&str, Sub)],
        lang: Lang,
    ) -> bool {
        let Some(members) = node.members() else {
            self.schema(
                format!("`{name}` must be an object, found {}", describe(node)),
                pointer,
                node.span,
            );
            return false;
        };
        for member in members {
            let here = pointer.join(&member.key);
            let Some(&(_, sub)) = table.iter().find(|(k, _)| *k == member.key) else {
                let known: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
                self.unknown_in(member, &here, &format!("`{name}`"), &known);
                continue;
            };
            let language_ok = match sub {
                Sub::Path | Sub::Parameters => lang == Lang::JsonPath,
                Sub::Arguments => lang == Lang::Jsonata,
                _ => true,
            };
            if !language_ok {
                self.wrong_language(member, &here, lang);
                continue;
            }
            self.sub_value(sub, &member.value, &here, lang);
            if let Some(path) = table
                .iter()
                .find(|(k, _)| *k == format!("{}Path", member.key))
                && let Some(both) = node.member(path.0)
            {
                self.schema(
                    format!(
                        "`{name}` may have only one of `{}` and `{}`",
                        member.key, both.key
                    ),
                    &pointer.join(&both.key),
                    both.key_span,
                );
            }
        }
        true
    }

    fn sub_value(&mut self, sub: Sub, node: &Node, pointer: &Pointer, lang: Lang) {
        let field = pointer.last();
        match sub {
            Sub::Text => {
                self.string(node, pointer);
            }
            Sub::OneOf(allowed) => {
                if !node.as_str().is_some_and(|s| allowed.contains(&s)) {
                    let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                    self.schema(
                        format!(
                            "`{field}` must be one of {}, found {}",
                            list.join(", "),
                            describe(node)
                        ),
                        pointer,
                        node.span,
                    );
                }
            }
            Sub::Count(max) => self.integer(node, pointer, 0, max, lang),
            Sub::Path => self.path_field(node, pointer, PathRule::Reference, false),
            Sub::Parameters => self.value(super::Kind::Template, node, pointer, lang),
            Sub::Arguments => self.expressions(node, pointer),
            Sub::Object => {
                if node.members().is_none() {
                    self.schema(
                        format!("`{field}` must be an object, found {}", describe(node)),
                        pointer,
                        node.span,
                    );
                } else if lang == Lang::JsonPath {
                    self.value(super::Kind::Template, node, pointer, lang);
                } else {
                    self.expressions(node, pointer);
                }
            }
            Sub::Strings => {
                let ok = node
                    .as_array()
                    .is_some_and(|items| items.iter().all(|i| i.as_str().is_some()));
                if !ok {
                    self.schema(
                        format!(
                            "`{field}` must be an array of strings, found {}",
                            describe(node)
                        ),
                        pointer,
                        node.span,
                    );
                }
            }
            Sub::Resource => {
                if self.string(node, pointer) && !node.as_str().unwrap_or("").starts_with("arn:") {
                    self.schema(
                        format!(
                            "`{field}` must be an ARN such as \"arn:aws:states:::s3:getObject\""
                        ),
                        pointer,
                        node.span,
                    );
                }
            }
            Sub::Reader => {
                self.config(node, pointer, "ReaderConfig", READER_CONFIG, lang);
            }
            Sub::Writer => {
                self.config(node, pointer, "WriterConfig", WRITER_CONFIG, lang);
            }
        }
    }
}
