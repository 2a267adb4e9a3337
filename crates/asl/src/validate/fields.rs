//! Which fields each state type accepts in each query language, and what kind of value each holds.
//! One table, so "is this field allowed here" and "what must its value be" cannot drift apart.

/// The query language a state is evaluated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `"QueryLanguage": "JSONPath"`, the default: `InputPath`, `Parameters`, `ResultPath`, ….
    JsonPath,
    /// `"QueryLanguage": "JSONata"`: `Arguments`, `Output` and `{% … %}` expressions.
    Jsonata,
}

impl Lang {
    /// The language as definitions spell it (`JSONPath`, `JSONata`).
    pub fn name(self) -> &'static str {
        match self {
            Lang::JsonPath => "JSONPath",
            Lang::Jsonata => "JSONata",
        }
    }
}

/// Where a field is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum In {
    Both,
    JsonPath,
    Jsonata,
}

impl In {
    pub(super) fn allows(self, lang: Lang) -> bool {
        matches!(
            (self, lang),
            (In::Both, _) | (In::JsonPath, Lang::JsonPath) | (In::Jsonata, Lang::Jsonata)
        )
    }
}

/// What a field's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Free text (`Comment`).
    Text,
    /// The state's `Type`, checked before the table is consulted.
    Type,
    QueryLanguage,
    /// The name of a state in the same scope.
    Next,
    /// `true`.
    End,
    /// A JSONPath (`InputPath`, `OutputPath`); `null` allowed.
    Path,
    /// A reference path (`ResultPath`); `null` allowed; no variables or context object.
    ResultPath,
    /// A reference path that must be present (`ItemsPath`, `SecondsPath`, …).
    ReferencePath,
    /// A reference path or an intrinsic function (`ErrorPath`, `CausePath`).
    PathOrIntrinsic,
    /// A JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`).
    Template,
    /// Pass `Result`: static JSON.
    StaticResult,
    /// `Assign`: variable names to values.
    Assign,
    /// JSONata `Arguments`/`Output`: any JSON, `{% … %}` strings checked.
    Expression,
    /// A Task's `Resource` ARN.
    Resource,
    /// A whole number in a range; in JSONata also a `{% … %}` expression.
    Integer {
        min: u64,
        max: u64,
    },
    /// Any number in a range; in JSONata also an expression.
    Number {
        min: u64,
        max: u64,
    },
    /// An RFC 3339 timestamp; in JSONata also an expression.
    Timestamp,
    /// Fail `Error`/`Cause`: a string (in JSONata possibly an expression).
    Message,
    /// Map `Items`: an array or an expression.
    Items,
    Label,
    Retry,
    Catch,
    Choices,
    Branches,
    Processor,
    Credentials,
    /// Distributed Map configuration objects, checked field by field.
    ItemReader,
    ItemBatcher,
    ResultWriter,
}

/// A field: name, where it is allowed, and its kind.
pub(super) type Field = (&'static str, In, Kind);

const MAX_SECONDS: u64 = 99_999_999;

const COMMON: &[Field] = &[
    ("Type", In::Both, Kind::Type),
    ("Comment", In::Both, Kind::Text),
    ("QueryLanguage", In::Both, Kind::QueryLanguage),
];
const FLOW: &[Field] = &[("Next", In::Both, Kind::Next), ("End", In::Both, Kind::End)];
const IO: &[Field] = &[
    ("InputPath", In::JsonPath, Kind::Path),
    ("OutputPath", In::JsonPath, Kind::Path),
    ("Output", In::Jsonata, Kind::Expression),
];
const ASSIGN: &[Field] = &[("Assign", In::Both, Kind::Assign)];
const RESULT: &[Field] = &[
    ("ResultSelector", In::JsonPath, Kind::Template),
    ("ResultPath", In::JsonPath, Kind::ResultPath),
];
const ERRORS: &[Field] = &[
    ("Retry", In::Both, Kind::Retry),
    ("Catch", In::Both, Kind::Catch),
];

const TASK: &[Field] = &[
    ("Resource", In::Both, Kind::Resource),
    ("Parameters", In::JsonPath, Kind::Template),
    ("Arguments", In::Jsonata, Kind::Expression),
    (
        "TimeoutSeconds",
        In::Both,
        Kind::Integer {
            min: 1,
            max: MAX_SECONDS,
        },
    ),
    ("TimeoutSecondsPath", In::JsonPath, Kind::ReferencePath),
    (
        "HeartbeatSeconds",
        In::Both,
        Kind::Integer {
            min: 1,
            max: MAX_SECONDS,
        },
    ),
    ("HeartbeatSecondsPath", In::JsonPath, Kind::ReferencePath),
    ("Credentials", In::Both, Kind::Credentials),
];
const PASS: &[Field] = &[
    ("Parameters", In::JsonPath, Kind::Template),
    ("Result", In::JsonPath, Kind::StaticResult),
    ("ResultPath", In::JsonPath, Kind::ResultPath),
];
const CHOICE: &[Field] = &[
    ("Choices", In::Both, Kind::Choices),
    ("Default", In::Both, Kind::Next),
];
const WAIT: &[Field] = &[
    (
        "Seconds",
        In::Both,
        Kind::Integer {
            min: 0,
            max: MAX_SECONDS,
        },
    ),
    ("SecondsPath", In::JsonPath, Kind::ReferencePath),
    ("Timestamp", In::Both, Kind::Timestamp),
    ("TimestampPath", In::JsonPath, Kind::ReferencePath),
];
const FAIL: &[Field] = &[
    ("Error", In::Both, Kind::Message),
    ("ErrorPath", In::JsonPath, Kind::PathOrIntrinsic),
    ("Cause", In::Both, Kind::Message),
    ("CausePath", In::JsonPath, Kind::PathOrIntrinsic),
];
const PARALLEL: &[Field] = &[
    ("Branches", In::Both, Kind::Branches),
    ("Parameters", In::JsonPath, Kind::Template),
    ("Arguments", In::Jsonata, Kind::Expression),
];
const MAP: &[Field] = &[
    ("ItemProcessor", In::Both, Kind::Processor),
    ("Iterator", In::Both, Kind::Processor),
    ("ItemsPath", In::JsonPath, Kind::ReferencePath),
    ("Items", In::Jsonata, Kind::Items),
    ("ItemSelector", In::Both, Kind::Template),
    ("Parameters", In::JsonPath, Kind::Template),
    ("ItemReader", In::Both, Kind::ItemReader),
    ("ItemBatcher", In::Both, Kind::ItemBatcher),
    ("ResultWriter", In::Both, Kind::ResultWriter),
    (
        "MaxConcurrency",
        In::Both,
        Kind::Integer {
            min: 0,
            max: MAX_SECONDS,
        },
    ),
    ("MaxConcurrencyPath", In::JsonPath, Kind::ReferencePath),
    (
        "ToleratedFailurePercentage",
        In::Both,
        Kind::Number { min: 0, max: 100 },
    ),
    (
        "ToleratedFailurePercentagePath",
        In::JsonPath,
        Kind::ReferencePath,
    ),
    (
        "ToleratedFailureCount",
        In::Both,
        Kind::Integer {
            min: 0,
            max: MAX_SECONDS,
        },
    ),
    (
        "ToleratedFailureCountPath",
        In::JsonPath,
        Kind::ReferencePath,
    ),
    ("Label", In::Both, Kind::Label),
];

/// Every field a state of `type_name` may carry in either language, or `None` for an unknown type.
pub(super) fn for_type(type_name: &str) -> Option<Vec<Field>> {
    let parts: &[&[Field]] = match type_name {
        "Task" => &[COMMON, FLOW, IO, ASSIGN, RESULT, ERRORS, TASK],
        "Pass" => &[COMMON, FLOW, IO, ASSIGN, PASS],
        "Choice" => &[COMMON, IO, ASSIGN, CHOICE],
        "Wait" => &[COMMON, FLOW, IO, ASSIGN, WAIT],
        "Succeed" => &[COMMON, IO],
        "Fail" => &[COMMON, FAIL],
        "Parallel" => &[COMMON, FLOW, IO, ASSIGN, RESULT, ERRORS, PARALLEL],
        "Map" => &[COMMON, FLOW, IO, ASSIGN, RESULT, ERRORS, MAP],
        _ => return None,
    };
    Some(parts.iter().flat_map(|p| p.iter().copied()).collect())
}

/// The state types, for messages.
pub(super) const TYPES: &[&str] = &[
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// Pairs of fields of which a state may carry at most one.
pub(super) const EXCLUSIVE: &[&[&str]] = &[
    &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
    &["Error", "ErrorPath"],
    &["Cause", "CausePath"],
    &["TimeoutSeconds", "TimeoutSecondsPath"],
    &["HeartbeatSeconds", "HeartbeatSecondsPath"],
    &["Items", "ItemsPath"],
    &["ItemSelector", "Parameters"],
    &["ItemProcessor", "Iterator"],
    &["MaxConcurrency", "MaxConcurrencyPath"],
    &["ToleratedFailureCount", "ToleratedFailureCountPath"],
    &[
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ],
    &["Next", "End"],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_table_and_fields_are_unique() {
        for ty in TYPES {
            let fields = for_type(ty).unwrap();
            let mut names: Vec<_> = fields.iter().map(|f| f.0).collect();
            names.sort();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "{ty} lists a field twice");
        }
        assert!(for_type("Parralel").is_none());
    }
}
