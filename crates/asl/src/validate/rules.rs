//! `Retry`, `Catch` and Choice rules: arrays of small objects with their own fields and ordering
//! rules (`States.ALL` alone and last; `Next` only on top-level Choice rules).

use super::fields::Lang;
use super::values::{PathRule, is_timestamp, looks_like_path};
use super::{Checker, describe};
use crate::diagnostic::Code;
use crate::source::{Member, Node, Pointer, Value};

/// The errors AWS defines; any other `States.` name is a typo or an invention.
pub(super) const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
    "States.BranchFailed",
];

/// Choice comparison operators and the type of their operand.
const OPERATORS: &[(&str, Operand)] = &[
    ("StringEquals", Operand::String),
    ("StringLessThan", Operand::String),
    ("StringGreaterThan", Operand::String),
    ("StringLessThanEquals", Operand::String),
    ("StringGreaterThanEquals", Operand::String),
    ("StringMatches", Operand::String),
    ("NumericEquals", Operand::Number),
    ("NumericLessThan", Operand::Number),
    ("NumericGreaterThan", Operand::Number),
    ("NumericLessThanEquals", Operand::Number),
    ("NumericGreaterThanEquals", Operand::Number),
    ("BooleanEquals", Operand::Boolean),
    ("TimestampEquals", Operand::Timestamp),
    ("TimestampLessThan", Operand::Timestamp),
    ("TimestampGreaterThan", Operand::Timestamp),
    ("TimestampLessThanEquals", Operand::Timestamp),
    ("TimestampGreaterThanEquals", Operand::Timestamp),
    ("IsNull", Operand::Boolean),
    ("IsPresent", Operand::Boolean),
    ("IsNumeric", Operand::Boolean),
    ("IsString", Operand::Boolean),
    ("IsBoolean", Operand::Boolean),
    ("IsTimestamp", Operand::Boolean),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    Path,
}

/// The operand type of a comparison operator, `*Path` variants included.
fn operator(name: &str) -> Option<Operand> {
    if let Some(base) = name.strip_suffix("Path")
        && !base.starts_with("Is")
        && base != "StringMatches"
        && OPERATORS.iter().any(|(op, _)| *op == base)
    {
        return Some(Operand::Path);
    }
    OPERATORS
        .iter()
        .find(|(op, _)| *op == name)
        .map(|(_, t)| *t)
}

/// An object in an array field (a retrier, catcher or Choice rule) and where it is.
struct Entry<'n> {
    pointer: Pointer,
    node: &'n Node,
    members: &'n [Member],
}

/// Whether the rule is nested inside `And`, `Or` or `Not`, where `Next` is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Nested,
}

impl Checker<'_> {
    pub(super) fn retriers(&mut self, node: &Node, pointer: &Pointer) {
        let Some(entries) = self.objects_array(node, pointer, "Retry", "retriers") else {
            return;
        };
        let count = entries.len();
        for (
            i,
            Entry {
                pointer: here,
                node: item,
                members,
            },
        ) in entries.into_iter().enumerate()
        {
            for member in members {
                let at = here.join(&member.key);
                match member.key.as_str() {
                    "ErrorEquals" => {}
                    "Comment" => {
                        self.string(&member.value, &at);
                    }
                    "IntervalSeconds" => {
                        self.integer(&member.value, &at, 1, 99_999_999, Lang::JsonPath)
                    }
                    "MaxAttempts" => {
                        self.integer(&member.value, &at, 0, 99_999_999, Lang::JsonPath)
                    }
                    "MaxDelaySeconds" => {
                        self.integer(&member.value, &at, 1, 31_622_400, Lang::JsonPath)
                    }
                    "BackoffRate" => {
                        let ok = matches!(&member.value.value, Value::Number(n) if n.as_f64().is_some_and(|v| v >= 1.0));
                        if !ok {
                            self.schema(
                                format!(
                                    "`BackoffRate` must be a number of at least 1.0, found {}",
                                    describe(&member.value)
                                ),
                                &at,
                                member.value.span,
                            );
                        }
                    }
                    "JitterStrategy" => {
                        if !matches!(member.value.as_str(), Some("FULL" | "NONE")) {
                            self.schema(
                                format!(
                                    "`JitterStrategy` must be \"FULL\" or \"NONE\", found {}",
                                    describe(&member.value)
                                ),
                                &at,
                                member.value.span,
                            );
                        }
                    }
                    _ => self.unknown_in(
                        member,
                        &at,
                        "a retrier",
                        &[
                            "ErrorEquals",
                            "IntervalSeconds",
                            "MaxAttempts",
                            "BackoffRate",
                            "MaxDelaySeconds",
                            "JitterStrategy",
                            "Comment",
                        ],
                    ),
                }
            }
            self.error_equals(item, &here, i + 1 == count, "retrier");
        }
    }

    pub(super) fn catchers(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        let Some(entries) = self.objects_array(node, pointer, "Catch", "catchers") else {
            return;
        };
        let count = entries.len();
        for (
            i,
            Entry {
                pointer: here,
                node: item,
                members,
            },
        ) in entries.into_iter().enumerate()
        {
            for member in members {
                let at = here.join(&member.key);
                match (member.key.as_str(), lang) {
                    ("ErrorEquals", _) => {}
                    ("Next" | "Comment", _) => {
                        self.string(&member.value, &at);
                    }
                    ("ResultPath", Lang::JsonPath) => {
                        self.path_field(&member.value, &at, PathRule::Result, true)
                    }
                    ("Assign", _) => self.value(super::Kind::Assign, &member.value, &at, lang),
                    ("Output", Lang::Jsonata) => self.expressions(&member.value, &at),
                    ("ResultPath" | "Output", _) => self.wrong_language(member, &at, lang),
                    _ => self.unknown_in(
                        member,
                        &at,
                        "a catcher",
                        &[
                            "ErrorEquals",
                            "Next",
                            "ResultPath",
                            "Assign",
                            "Output",
                            "Comment",
                        ],
                    ),
                }
            }
            if item.get("Next").is_none() {
                self.schema(
                    "a catcher needs `Next`: the state to go to when it matches",
                    &here,
                    item.span,
                );
            }
            self.error_equals(item, &here, i + 1 == count, "catcher");
        }
    }

    /// The object entries of an array field; the field not being an array, and each entry not
    /// being an object, is reported here once.
    fn objects_array<'n>(
        &mut self,
        node: &'n Node,
        pointer: &Pointer,
        field: &str,
        what: &str,
    ) -> Option<Vec<Entry<'n>>> {
        let Some(items) = node.as_array() else {
            self.schema(
                format!(
                    "`{field}` must be an array of {what}, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
            );
            return None;
        };
        let mut entries = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let here = pointer.join(i);
            match item.members() {
                Some(members) => entries.push(Entry {
                    pointer: here,
                    node: item,
                    members,
                }),
                None => self.schema(
                    format!(
                        "each entry of `{field}` must be an object, found {}",
                        describe(item)
                    ),
                    &here,
                    item.span,
                ),
            }
        }
        Some(entries)
    }

    /// `ErrorEquals`: a non-empty array of error names; `States.ALL` alone and in the last entry.
    fn error_equals(&mut self, item: &Node, pointer: &Pointer, last: bool, what: &str) {
        let here = pointer.join("ErrorEquals");
        let Some(node) = item.get("ErrorEquals") else {
            self.schema(format!("a {what} needs `ErrorEquals`"), pointer, item.span);
            return;
        };
        let Some(names) = node.as_array().filter(|a| !a.is_empty()) else {
            self.schema(
                format!(
                    "`ErrorEquals` must be a non-empty array of error names, found {}",
                    describe(node)
                ),
                &here,
                node.span,
            );
            return;
        };
        for (i, name) in names.iter().enumerate() {
            let at = here.join(i);
            let Some(text) = name.as_str() else {
                self.schema(
                    format!("an error name must be a string, found {}", describe(name)),
                    &at,
                    name.span,
                );
                continue;
            };
            if text == "States.ALL" && names.len() > 1 {
                self.schema(
                    "`States.ALL` must be the only error name in its `ErrorEquals`",
                    &at,
                    name.span,
                );
            }
            if text == "States.ALL" && !last {
                self.schema(
                    format!("a {what} matching `States.ALL` must be the last one"),
                    &at,
                    name.span,
                );
            }
            let http_status = text
                .strip_prefix("States.Http.StatusCode.")
                .is_some_and(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()));
            if text.starts_with("States.") && !STATES_ERRORS.contains(&text) && !http_status {
                let help = crate::suggest::did_you_mean(text, STATES_ERRORS.iter().copied());
                self.report_with_help(
                    Code::UnknownErrorName,
                    format!("`{text}` is not an error Step Functions raises"),
                    &at,
                    name.span,
                    help,
                );
            }
        }
    }

    pub(super) fn choices(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if node.as_array().is_some_and(<[Node]>::is_empty) {
            self.schema("`Choices` must hold at least one rule", pointer, node.span);
        }
        let Some(entries) = self.objects_array(node, pointer, "Choices", "rules") else {
            return;
        };
        for entry in entries {
            self.choice_rule(entry.node, &entry.pointer, lang, Level::Top);
        }
    }

    fn choice_rule(&mut self, node: &Node, pointer: &Pointer, lang: Lang, level: Level) {
        let Some(members) = node.members() else {
            self.schema(
                format!("a Choice rule must be an object, found {}", describe(node)),
                pointer,
                node.span,
            );
            return;
        };
        let mut tests = Vec::new();
        // A key reported as wrong already explains a missing test; say it once.
        let mut misplaced = false;
        for member in members {
            let at = pointer.join(&member.key);
            let key = member.key.as_str();
            match (key, lang) {
                ("Comment", _) => {
                    self.string(&member.value, &at);
                }
                ("Next", _) if level == Level::Top => {
                    self.string(&member.value, &at);
                }
                ("Next" | "Assign" | "Output", _) if level == Level::Nested => self.schema(
                    format!("`{key}` belongs on a top-level Choice rule, not inside `And`, `Or` or `Not`"),
                    &at,
                    member.key_span,
                ),
                ("Assign", _) => self.value(super::Kind::Assign, &member.value, &at, lang),
                ("Output", Lang::Jsonata) => self.expressions(&member.value, &at),
                ("Condition", Lang::Jsonata) => {
                    tests.push(key);
                    if !matches!(member.value.value, Value::Bool(_))
                        && !self.expression_string(&member.value, &at)
                    {
                        self.schema(
                            format!("`Condition` must be a `{{% … %}}` expression or a boolean, found {}", describe(&member.value)),
                            &at,
                            member.value.span,
                        );
                    }
                }
                ("Variable", Lang::JsonPath) => {
                    self.path_field(&member.value, &at, PathRule::Any, false);
                }
                ("And" | "Or", Lang::JsonPath) => {
                    tests.push(key);
                    match member.value.as_array() {
                        Some(rules) if !rules.is_empty() => {
                            for (i, rule) in rules.iter().enumerate() {
                                self.choice_rule(rule, &at.join(i), lang, Level::Nested);
                            }
                        }
                        _ => self.schema(
                            format!("`{key}` must be a non-empty array of rules, found {}", describe(&member.value)),
                            &at,
                            member.value.span,
                        ),
                    }
                }
                ("Not", Lang::JsonPath) => {
                    tests.push(key);
                    self.choice_rule(&member.value, &at, lang, Level::Nested);
                }
                (_, Lang::JsonPath) if operator(key).is_some() => {
                    tests.push(key);
                    self.operand(key, &member.value, &at);
                }
                ("Condition" | "Output", Lang::JsonPath) | ("Variable" | "And" | "Or" | "Not", Lang::Jsonata) => {
                    misplaced = true;
                    self.wrong_language(member, &at, lang)
                }
                (_, Lang::Jsonata) if operator(key).is_some() => {
                    misplaced = true;
                    self.wrong_language(member, &at, lang)
                }
                _ => {
                    misplaced = true;
                    let mut known: Vec<&str> = vec!["Variable", "And", "Or", "Not", "Next", "Comment", "Assign", "Condition"];
                    known.extend(OPERATORS.iter().map(|(op, _)| *op));
                    let message = if key == "End" {
                        "a Choice rule cannot end the state machine: point `Next` at a Succeed state".to_string()
                    } else {
                        format!("the field `{key}` is not allowed in a Choice rule")
                    };
                    let help = crate::suggest::did_you_mean(key, known);
                    self.report_with_help(Code::SchemaValidationFailed, message, &at, member.key_span, help);
                }
            }
        }
        let variable = node.get("Variable").is_some();
        let comparison = tests.iter().any(|t| operator(t).is_some());
        match tests.len() {
            0 if misplaced => {}
            0 => self.schema(
                match lang {
                    Lang::JsonPath => "a Choice rule needs a comparison (`Variable` and an operator such as `StringEquals`), or `And`, `Or` or `Not`",
                    Lang::Jsonata => "a Choice rule needs a `Condition`",
                },
                pointer,
                node.span,
            ),
            1 => {}
            _ => self.schema(
                format!("a Choice rule may test one thing; this one has {}", tests.join(", ")),
                pointer,
                node.span,
            ),
        }
        if comparison && !variable {
            self.schema(
                "a comparison needs `Variable`: the path of the value to compare",
                pointer,
                node.span,
            );
        }
        if variable && !comparison && lang == Lang::JsonPath && !misplaced {
            self.schema(
                "`Variable` needs a comparison operator such as `StringEquals` or `IsPresent`",
                pointer,
                node.span,
            );
        }
        if level == Level::Top && node.get("Next").is_none() {
            self.schema("a top-level Choice rule needs `Next`", pointer, node.span);
        }
    }

    /// The operand of a comparison operator.
    fn operand(&mut self, operator_name: &str, node: &Node, pointer: &Pointer) {
        let Some(kind) = operator(operator_name) else {
            return;
        };
        let ok = match kind {
            Operand::Path => {
                self.path_field(node, pointer, PathRule::Any, false);
                return;
            }
            Operand::String => node.as_str().is_some(),
            Operand::Number => matches!(node.value, Value::Number(_)),
            Operand::Boolean => matches!(node.value, Value::Bool(_)),
            Operand::Timestamp => node.as_str().is_some_and(is_timestamp),
        };
        if !ok {
            let expected = match kind {
                Operand::String => "a string",
                Operand::Number => "a number",
                Operand::Boolean => "true or false",
                Operand::Timestamp => "an RFC 3339 timestamp such as \"2026-03-14T01:59:00Z\"",
                Operand::Path => "a path",
            };
            let path_like = node.as_str().is_some_and(looks_like_path);
            let (code, help) = if path_like {
                (
                    Code::NoPath,
                    Some(format!(
                        "use `{operator_name}Path` to compare with the value at that path"
                    )),
                )
            } else {
                (Code::SchemaValidationFailed, None)
            };
            self.report_with_help(
                code,
                format!(
                    "`{operator_name}` takes {expected}, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
                help,
            );
        } else if kind == Operand::String
            && let Some(text) = node.as_str()
            && looks_like_path(text)
        {
            self.report_with_help(
                Code::NoPath,
                format!(
                    "`{operator_name}` compares with the text {text:?}, which looks like a path"
                ),
                pointer,
                node.span,
                Some(format!(
                    "use `{operator_name}Path` to compare with the value at that path"
                )),
            );
        }
    }

    /// An unexpected key in a small object, with a suggestion from its known keys.
    pub(super) fn unknown_in(
        &mut self,
        member: &Member,
        pointer: &Pointer,
        what: &str,
        known: &[&str],
    ) {
        let help = crate::suggest::did_you_mean(&member.key, known.iter().copied());
        self.report_with_help(
            Code::SchemaValidationFailed,
            format!("the field `{}` is not allowed in {what}", member.key),
            pointer,
            member.key_span,
            help,
        );
    }
}
