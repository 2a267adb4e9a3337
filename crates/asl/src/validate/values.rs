//! Checks of field values by their [`Kind`]: paths, payload templates, variables, numbers,
//! timestamps and JSONata expressions.

use super::fields::{Kind, Lang};
use super::{Checker, Scope, describe};
use crate::diagnostic::Code;
use crate::source::{Node, Pointer, Value};
use crate::syntax::{SyntaxError, intrinsic, path};

/// What a path-valued field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathRule {
    /// Any JSONPath: `$`, `$$` or a variable, filters and wildcards included.
    Any,
    /// A reference path: one value, named by fields and indexes only.
    Reference,
    /// A reference path into the state's output: no context object, no variables.
    Result,
    /// A reference path or an intrinsic function call.
    ReferenceOrIntrinsic,
}

impl Checker<'_> {
    pub(super) fn value(&mut self, kind: Kind, node: &Node, pointer: &Pointer, lang: Lang) {
        match kind {
            Kind::Type | Kind::QueryLanguage => {}
            Kind::Text | Kind::Next => {
                self.string(node, pointer);
            }
            Kind::End => {
                if !matches!(node.value, Value::Bool(true)) {
                    self.report_with_help(
                        Code::SchemaValidationFailed,
                        format!("`End` must be true, found {}", describe(node)),
                        pointer,
                        node.span,
                        Some("leave `End` out and name the next state with `Next`"),
                    );
                }
            }
            Kind::Path => self.path_field(node, pointer, PathRule::Any, true),
            Kind::ResultPath => self.path_field(node, pointer, PathRule::Result, true),
            Kind::ReferencePath => self.path_field(node, pointer, PathRule::Reference, false),
            Kind::PathOrIntrinsic => {
                self.path_field(node, pointer, PathRule::ReferenceOrIntrinsic, false)
            }
            Kind::Template => match lang {
                Lang::JsonPath => self.template(node, pointer),
                Lang::Jsonata => self.expressions(node, pointer),
            },
            Kind::StaticResult => self.static_result(node, pointer),
            Kind::Assign => self.assign(node, pointer, lang),
            Kind::Expression => self.expressions(node, pointer),
            Kind::Resource => self.resource(node, pointer),
            Kind::Integer { min, max } => self.integer(node, pointer, min, max, lang),
            Kind::Number { min, max } => self.number(node, pointer, min, max, lang),
            Kind::Timestamp => self.timestamp(node, pointer, lang),
            Kind::Message => self.message(node, pointer, lang),
            Kind::Items => match &node.value {
                Value::Array(_) => self.expressions(node, pointer),
                _ if self.expression_string(node, pointer) => {}
                _ => self.schema(
                    format!(
                        "`Items` must be an array or a JSONata expression, found {}",
                        describe(node)
                    ),
                    pointer,
                    node.span,
                ),
            },
            Kind::Label => self.label(node, pointer),
            Kind::Retry => self.retriers(node, pointer),
            Kind::Catch => self.catchers(node, pointer, lang),
            Kind::Choices => self.choices(node, pointer, lang),
            Kind::Branches => self.branches(node, pointer),
            Kind::Processor => {
                // A distributed Map runs its processor as child executions, which may pick
                // their own query language.
                let distributed = node.pointee("/ProcessorConfig/Mode").and_then(Node::as_str)
                    == Some("DISTRIBUTED");
                let saved = (self.state.take(), self.lang_locked);
                self.lang_locked &= !distributed;
                let outer = self.variables.enter();
                self.machine(node, pointer, Scope::Processor, self.machine_lang);
                self.variables.leave(outer);
                (self.state, self.lang_locked) = saved;
            }
            Kind::Credentials => self.credentials(node, pointer, lang),
            Kind::ItemReader => self.item_reader(node, pointer, lang),
            Kind::ItemBatcher => self.item_batcher(node, pointer, lang),
            Kind::ResultWriter => self.result_writer(node, pointer, lang),
        }
    }

    fn branches(&mut self, node: &Node, pointer: &Pointer) {
        let Some(items) = node.as_array() else {
            self.schema(
                format!(
                    "`Branches` must be an array of branches, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
            );
            return;
        };
        if items.is_empty() {
            self.schema(
                "`Branches` must hold at least one branch",
                pointer,
                node.span,
            );
        }
        let saved = self.state.take();
        for (i, branch) in items.iter().enumerate() {
            let outer = self.variables.enter();
            self.machine(branch, &pointer.join(i), Scope::Branch, self.machine_lang);
            self.variables.leave(outer);
        }
        self.state = saved;
    }

    /// A path field's value; `nullable` fields may be `null` (discarding input or result).
    pub(super) fn path_field(
        &mut self,
        node: &Node,
        pointer: &Pointer,
        rule: PathRule,
        nullable: bool,
    ) {
        let field = pointer.last();
        let Some(text) = node.as_str() else {
            if !(nullable && node.value == Value::Null) {
                let expected = if nullable { "a path or null" } else { "a path" };
                self.schema(
                    format!("`{field}` must be {expected}, found {}", describe(node)),
                    pointer,
                    node.span,
                );
            }
            return;
        };
        if let Err(error) = check_path(text, rule) {
            let span = self.span_in_string(node, error.offset, 1);
            self.report_with_help(
                Code::SchemaValidationFailed,
                format!(
                    "`{field}` is not a valid {}: {}",
                    rule_name(rule),
                    error.message
                ),
                pointer,
                span,
                help_for(rule),
            );
        }
    }

    /// A JSONPath payload template: `.$` keys hold paths or intrinsic calls, other strings that look
    /// like paths get AWS's `NO_DOLLAR` warning.
    fn template(&mut self, node: &Node, pointer: &Pointer) {
        self.walk(node, pointer, &mut |this, visit| {
            let Some((member, siblings)) = visit.member else {
                return true;
            };
            if let Some(base) = member.key.strip_suffix(".$") {
                if siblings.iter().any(|m| m.key == base) {
                    this.schema(
                        format!("`{}` and `{base}` both set the field `{base}`", member.key),
                        visit.pointer,
                        member.key_span,
                    );
                }
                this.dynamic_value(visit.node, visit.pointer, &member.key);
                return false;
            }
            if let Some(text) = visit.node.as_str()
                && looks_like_path(text)
            {
                this.report_with_help(
                    Code::NoDollar,
                    format!(
                        "`{}` holds {text:?}, which looks like a path, but its key does not end in `.$`, so it is passed as plain text",
                        member.key
                    ),
                    visit.pointer,
                    visit.node.span,
                    Some(format!("rename the key to `{}.$` to use the value at that path", member.key)),
                );
            }
            true
        });
    }

    /// The value of a `.$` key: a path or an intrinsic function call.
    fn dynamic_value(&mut self, node: &Node, pointer: &Pointer, key: &str) {
        let Some(text) = node.as_str() else {
            self.report_with_help(
                Code::SchemaValidationFailed,
                format!("`{key}` must hold a path or an intrinsic function as a string, found {}", describe(node)),
                pointer,
                node.span,
                Some("a key ending in `.$` takes a JSONPath (\"$.x\") or a call (\"States.Format(…)\"); drop the `.$` for a literal value"),
            );
            return;
        };
        match crate::syntax::parse_dynamic_value(text) {
            Ok(dynamic) => {
                for name in super::variables::jsonpath_reads(&dynamic) {
                    self.variables.read(name, node.span, pointer.as_str());
                }
            }
            Err(error) => {
                let span = self.span_in_string(node, error.offset, 1);
                self.schema(
                    format!(
                        "`{key}` is not a valid path or intrinsic function: {}",
                        error.message
                    ),
                    pointer,
                    span,
                );
            }
        }
    }

    fn static_result(&mut self, node: &Node, pointer: &Pointer) {
        self.walk(node, pointer, &mut |this, visit| {
            if let Some((member, _)) = visit.member
                && member.key.ends_with(".$")
            {
                this.report_with_help(
                    Code::PassResultIsStatic,
                    format!(
                        "`Result` is static, so the path in `{}` is not evaluated",
                        member.key
                    ),
                    visit.pointer,
                    member.key_span,
                    Some("use `Parameters` to build a value from paths"),
                );
            }
            true
        });
    }

    /// `Assign`: an object whose keys are variable names (with `.$` in JSONPath).
    fn assign(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        let Some(members) = node.members() else {
            self.schema(
                format!(
                    "`Assign` must be an object of variables, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
            );
            return;
        };
        for member in members {
            let here = pointer.join(&member.key);
            let dynamic = lang == Lang::JsonPath && member.key.ends_with(".$");
            let name = if dynamic {
                &member.key[..member.key.len() - 2]
            } else {
                member.key.as_str()
            };
            self.variables.assign(name);
            if let Err(problem) = variable_name(name, lang) {
                self.schema(
                    format!("`{}` is not a valid variable name: {problem}", member.key),
                    &here,
                    member.key_span,
                );
            }
            match (lang, dynamic) {
                (Lang::JsonPath, true) => self.dynamic_value(&member.value, &here, &member.key),
                (Lang::JsonPath, false) => self.template(&member.value, &here),
                (Lang::Jsonata, _) => self.expressions(&member.value, &here),
            }
        }
    }

    /// Every string in a JSONata-mode value: a `{% … %}` expression must be well formed, and keys
    /// ending in `.$` belong to JSONPath.
    pub(super) fn expressions(&mut self, node: &Node, pointer: &Pointer) {
        self.expression_string(node, pointer);
        self.walk(node, pointer, &mut |this, visit| {
            if let Some((member, _)) = visit.member
                && member.key.ends_with(".$")
            {
                this.report_with_help(
                    Code::SchemaValidationFailed,
                    format!("`{}`: keys ending in `.$` are JSONPath syntax and not allowed in JSONata states", member.key),
                    visit.pointer,
                    member.key_span,
                    Some("drop the `.$` and write the value as a `{% … %}` expression"),
                );
            }
            this.expression_string(visit.node, visit.pointer);
            true
        });
    }

    /// Checks a string that is, or looks like it wants to be, a `{% … %}` expression. Returns
    /// whether the string is an expression (well formed or not).
    pub(super) fn expression_string(&mut self, node: &Node, pointer: &Pointer) -> bool {
        let Some(text) = node.as_str() else {
            return false;
        };
        let opens = text.starts_with("{%");
        let closes = text.ends_with("%}") && text.len() >= 4;
        match (opens, closes) {
            (false, false) => false,
            (true, false) | (false, true) => {
                let (message, help) = if opens {
                    (
                        "starts a JSONata expression with `{%` but does not end with `%}`",
                        "end the string with `%}`",
                    )
                } else {
                    (
                        "ends with `%}` but does not start with `{%`",
                        "start the string with `{%`",
                    )
                };
                self.report_with_help(
                    Code::SchemaValidationFailed,
                    message,
                    pointer,
                    node.span,
                    Some(help),
                );
                true
            }
            (true, true) => {
                let inner = &text[2..text.len() - 2];
                if inner.trim().is_empty() {
                    self.schema("this JSONata expression is empty", pointer, node.span);
                } else {
                    match jsonata::compile(inner) {
                        Err(error) => {
                            let span = self.span_in_string(node, 2 + error.position, 1);
                            self.report(
                                Code::SchemaValidationFailed,
                                format!(
                                    "invalid JSONata expression: {} ({})",
                                    error.message, error.code
                                ),
                                pointer,
                                span,
                            );
                        }
                        Ok(expr) => {
                            for (name, position) in super::variables::jsonata_reads(&expr) {
                                // `$` and the name, as written.
                                let span = self.span_in_string(node, 2 + position, name.len() + 1);
                                self.variables.read(&name, span, pointer.as_str());
                            }
                        }
                    }
                }
                true
            }
        }
    }

    pub(super) fn integer(
        &mut self,
        node: &Node,
        pointer: &Pointer,
        min: u64,
        max: u64,
        lang: Lang,
    ) {
        if lang == Lang::Jsonata && self.expression_string(node, pointer) {
            return;
        }
        let field = pointer.last();
        let in_range = match &node.value {
            // `2.0` is a whole number too, as it is to AWS's JSON parser.
            Value::Number(n) => n
                .as_u64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                        .map(|f| f as u64)
                })
                .is_some_and(|v| (min..=max).contains(&v)),
            _ => false,
        };
        if !in_range {
            let also = if lang == Lang::Jsonata {
                " or a JSONata expression"
            } else {
                ""
            };
            self.schema(
                format!(
                    "`{field}` must be a whole number from {min} to {max}{also}, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
            );
        }
    }

    fn number(&mut self, node: &Node, pointer: &Pointer, min: u64, max: u64, lang: Lang) {
        if lang == Lang::Jsonata && self.expression_string(node, pointer) {
            return;
        }
        let field = pointer.last();
        let in_range = match &node.value {
            Value::Number(n) => n
                .as_f64()
                .is_some_and(|v| v >= min as f64 && v <= max as f64),
            _ => false,
        };
        if !in_range {
            self.schema(
                format!(
                    "`{field}` must be a number from {min} to {max}, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
            );
        }
    }

    fn timestamp(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if lang == Lang::Jsonata && self.expression_string(node, pointer) {
            return;
        }
        let valid = node.as_str().is_some_and(is_timestamp);
        if !valid {
            if let Some(text) = node.as_str()
                && looks_like_path(text)
            {
                self.report_with_help(
                    Code::NoPath,
                    format!("`Timestamp` holds {text:?}, which looks like a path"),
                    pointer,
                    node.span,
                    Some("use `TimestampPath` to read the timestamp from the input"),
                );
                return;
            }
            self.report_with_help(
                Code::SchemaValidationFailed,
                format!(
                    "`Timestamp` must be an RFC 3339 timestamp, found {}",
                    describe(node)
                ),
                pointer,
                node.span,
                Some("for example \"2026-03-14T01:59:00Z\": uppercase T and Z, seconds included"),
            );
        }
    }

    /// Fail `Error` and `Cause`.
    fn message(&mut self, node: &Node, pointer: &Pointer, lang: Lang) {
        if !self.string(node, pointer) {
            return;
        }
        let field = pointer.last();
        match lang {
            Lang::Jsonata => {
                self.expression_string(node, pointer);
            }
            Lang::JsonPath => {
                if let Some(text) = node.as_str()
                    && looks_like_path(text)
                {
                    self.report_with_help(
                        Code::NoPath,
                        format!("`{field}` holds {text:?}, which looks like a path but is used as plain text"),
                        pointer,
                        node.span,
                        Some(format!("use `{field}Path` to read it from the input")),
                    );
                }
            }
        }
    }

    fn label(&mut self, node: &Node, pointer: &Pointer) {
        if !self.string(node, pointer) {
            return;
        }
        let text = node.as_str().unwrap_or_default();
        let bad = text.chars().find(|c| {
            c.is_whitespace() || c.is_control() || "{}[]<>?*\"#%\\^|~`$&,;:/".contains(*c)
        });
        let problem = if text.is_empty() {
            Some("a `Label` must not be empty".to_string())
        } else if text.chars().count() > 40 {
            Some(format!(
                "a `Label` has at most 40 characters; this one has {}",
                text.chars().count()
            ))
        } else {
            bad.map(|c| format!("a `Label` cannot contain {c:?}"))
        };
        if let Some(problem) = problem {
            self.report(Code::InvalidLabelName, problem, pointer, node.span);
        } else if let Some(first) = self.labels.get(text).cloned() {
            self.report(
                Code::DuplicateLabelName,
                format!("the label `{text}` is already used at {first}"),
                pointer,
                node.span,
            );
        } else {
            self.labels.insert(text.to_string(), pointer.to_string());
        }
    }
}

fn rule_name(rule: PathRule) -> &'static str {
    match rule {
        PathRule::Any => "JSONPath",
        PathRule::Reference | PathRule::Result => "reference path",
        PathRule::ReferenceOrIntrinsic => "reference path or intrinsic function",
    }
}

fn help_for(rule: PathRule) -> Option<&'static str> {
    match rule {
        PathRule::Reference | PathRule::Result => Some(
            "a reference path names one value with fields and indexes only, such as `$.order.items[0]`",
        ),
        _ => None,
    }
}

/// Checks a path field's text against what the field accepts.
pub(super) fn check_path(text: &str, rule: PathRule) -> Result<(), SyntaxError> {
    match rule {
        PathRule::Any => {
            if intrinsic::is_intrinsic_call(text) {
                return Err(SyntaxError {
                    offset: 0,
                    message: "an intrinsic function cannot be used here, only a path".into(),
                });
            }
            path::Path::parse(text).map(drop)
        }
        PathRule::Reference => path::parse_reference_path(text).map(drop),
        PathRule::Result => {
            let parsed = path::parse_reference_path(text)?;
            match parsed.root {
                path::Root::Input => Ok(()),
                path::Root::Context => Err(SyntaxError {
                    offset: 0,
                    message: "`$$` (the context object) cannot be written to; start with `$`"
                        .into(),
                }),
                path::Root::Variable(_) => Err(SyntaxError {
                    offset: 0,
                    message: "a variable cannot be written to here; set variables with `Assign`"
                        .into(),
                }),
            }
        }
        PathRule::ReferenceOrIntrinsic => {
            if intrinsic::is_intrinsic_call(text) {
                intrinsic::parse(text).map(drop)
            } else {
                path::parse_reference_path(text).map(drop)
            }
        }
    }
}

/// Whether plain text looks like a JSONPath or an intrinsic call, for the `NO_DOLLAR` and `NO_PATH`
/// warnings. Only unmistakable forms count, so prices such as "$5" stay quiet.
pub(super) fn looks_like_path(text: &str) -> bool {
    text == "$"
        || text == "$$"
        || text.starts_with("$.")
        || text.starts_with("$[")
        || text.starts_with("$$.")
        || (intrinsic::is_intrinsic_call(text) && text.ends_with(')'))
}

/// AWS's rule for variable names (see [`crate::syntax::check_variable_name`]); `states` is also
/// reserved in JSONata, where `$states` holds the state's input, result and context.
fn variable_name(name: &str, lang: Lang) -> Result<(), String> {
    crate::syntax::check_variable_name(name).map_err(|e| e.message)?;
    if lang == Lang::Jsonata && name == "states" {
        return Err("`$states` is reserved for the state's input, result and context".into());
    }
    Ok(())
}

/// RFC 3339 as AWS requires it: uppercase `T` between date and time, uppercase `Z` or an offset.
pub(super) fn is_timestamp(text: &str) -> bool {
    text.as_bytes().get(10) == Some(&b'T')
        && !text.contains('z')
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}
