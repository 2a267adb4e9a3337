//! Validation: everything AWS would reject in a definition, and its three warnings, each reported
//! with a JSON pointer and the span of the offending key or value.
//!
//! The checks walk the spanned [`Node`] tree rather than the typed model, because a definition
//! that does not fit the model is exactly the one that needs precise positions.

mod fields;
mod graph;
mod objects;
mod resource;
mod rules;
mod values;
mod variables;

pub(crate) use variables::jsonata_reads;

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Member, Node, Pointer, Span, Value};

use fields::Kind;
pub use fields::Lang;

/// The state types, in the order the specification lists them.
pub const STATE_TYPES: &[&str] = fields::TYPES;

/// The fields a state of `type_name` accepts, each with the query languages it is allowed in
/// (`None`: both), from the table validation itself uses; `None` for an unknown type. Editors
/// complete field names from it.
pub fn state_fields(type_name: &str) -> Option<Vec<(&'static str, Option<Lang>)>> {
    let table = fields::for_type(type_name)?;
    Some(
        table
            .into_iter()
            .map(|(name, allowed, _)| {
                let only = match allowed {
                    fields::In::Both => None,
                    fields::In::JsonPath => Some(Lang::JsonPath),
                    fields::In::Jsonata => Some(Lang::Jsonata),
                };
                (name, only)
            })
            .collect(),
    )
}

/// Checks a parsed definition. `text` is the source the tree was read from; it lets positions
/// inside string values (a bad character in a JSONPath) point at the exact column.
pub(crate) fn validate(text: &str, root: &Node) -> Vec<Diagnostic> {
    let mut checker = Checker {
        text,
        diagnostics: Vec::new(),
        names: HashMap::new(),
        labels: HashMap::new(),
        state: None,
        machine_lang: Lang::JsonPath,
        lang_locked: true,
        variables: variables::Variables::new(),
    };
    checker.duplicate_keys(root, &Pointer::root(), false);
    graph::collect_names(root, &mut checker.names);
    checker.machine(root, &Pointer::root(), Scope::Top, Lang::JsonPath);
    checker.unassigned_variables();
    checker.diagnostics
}

/// What kind of state list is being checked: the definition, a Parallel branch or a Map processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Top,
    Branch,
    Processor,
}

struct Checker<'a> {
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
    /// Every state name in the definition, nested ones included, with its pointer: names are unique
    /// machine-wide, and a transition to a name in another scope deserves its own message.
    names: HashMap<String, Vec<String>>,
    /// Map `Label`s seen so far, which must be unique too.
    labels: HashMap<String, String>,
    /// The state being checked, named in every message about it.
    state: Option<String>,
    /// The definition's `QueryLanguage`: nested states inherit it, not their parent state's.
    machine_lang: Lang,
    /// Whether a JSONata machine forbids JSONPath states here (not inside a distributed Map's
    /// processor).
    lang_locked: bool,
    /// Assigned and read variables, per scope.
    variables: variables::Variables,
}

impl Checker<'_> {
    /// Warns about every read of a variable that no visible scope assigns.
    fn unassigned_variables(&mut self) {
        let found: Vec<Diagnostic> = self
            .variables
            .unassigned()
            .map(|read| {
                Diagnostic::new(
                    Code::UnassignedVariable,
                    format!(
                        "`${}` is read here but never assigned, so it is undefined when this runs",
                        read.name
                    ),
                    &read.pointer,
                    read.span,
                )
                .with_help(format!(
                    "assign it with `\"Assign\": {{\"{}\": …}}` in a state that runs before, in this scope or one around it",
                    read.name
                ))
            })
            .collect();
        self.diagnostics.extend(found);
    }

    fn report(&mut self, code: Code, message: impl Into<String>, pointer: &Pointer, span: Span) {
        self.report_with_help(code, message, pointer, span, None::<String>);
    }

    fn report_with_help(
        &mut self,
        code: Code,
        message: impl Into<String>,
        pointer: &Pointer,
        span: Span,
        help: Option<impl Into<String>>,
    ) {
        let message = match &self.state {
            Some(name) => format!("state `{name}`: {}", message.into()),
            None => message.into(),
        };
        let mut diagnostic = Diagnostic::new(code, message, pointer.as_str(), span);
        diagnostic.help = help.map(Into::into);
        self.diagnostics.push(diagnostic);
    }

    fn schema(&mut self, message: impl Into<String>, pointer: &Pointer, span: Span) {
        self.report(Code::SchemaValidationFailed, message, pointer, span);
    }

    /// The source span of byte `offset` inside a string value, when the string was written without
    /// escapes (so decoded and written bytes line up); otherwise the whole string.
    fn span_in_string(&self, node: &Node, offset: usize, len: usize) -> Span {
        let Value::String(value) = &node.value else {
            return node.span;
        };
        let written = self.text.get(node.span.start..node.span.end).unwrap_or("");
        let quote = usize::from(written.starts_with(['"', '\'']));
        let inner = written.get(quote..written.len() - quote).unwrap_or("");
        if inner == value {
            let start = node.span.start + quote + offset.min(value.len());
            Span::new(start, (start + len.max(1)).min(node.span.end - quote))
        } else {
            node.span
        }
    }

    /// Reports every object in the tree that writes a key twice.
    /// `is_states` tells whether `node` is a `States` object (of a machine, branch or processor,
    /// recognised by its `StartAt` sibling), whose keys are state names.
    fn duplicate_keys(&mut self, node: &Node, pointer: &Pointer, is_states: bool) {
        match &node.value {
            Value::Object(members) => {
                let is_machine = members.iter().any(|m| m.key == "StartAt");
                for (i, member) in members.iter().enumerate() {
                    if members[..i].iter().any(|m| m.key == member.key) {
                        let (code, what) = if is_states {
                            (Code::DuplicateStateName, "state name")
                        } else {
                            (Code::SchemaValidationFailed, "field")
                        };
                        self.report(
                            code,
                            format!(
                                "the {what} `{}` is written twice in this object",
                                member.key
                            ),
                            &pointer.join(&member.key),
                            member.key_span,
                        );
                    }
                    let states = is_machine && member.key == "States";
                    self.duplicate_keys(&member.value, &pointer.join(&member.key), states);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.duplicate_keys(item, &pointer.join(i), false);
                }
            }
            _ => {}
        }
    }

    /// A definition, branch or item processor: `StartAt`, `States`, and the scope's own fields.
    fn machine(&mut self, node: &Node, pointer: &Pointer, scope: Scope, lang: Lang) {
        let Some(members) = node.members() else {
            let what = match scope {
                Scope::Top => "a state machine definition",
                Scope::Branch => "a Parallel branch",
                Scope::Processor => "a Map item processor",
            };
            self.schema(
                format!("{what} must be an object, found {}", node.type_name()),
                pointer,
                node.span,
            );
            return;
        };
        let mut lang = lang;
        for member in members {
            let here = pointer.join(&member.key);
            let allowed = match member.key.as_str() {
                "StartAt" | "States" | "Comment" => true,
                "Version" | "TimeoutSeconds" | "QueryLanguage" => scope == Scope::Top,
                "ProcessorConfig" => scope == Scope::Processor,
                _ => false,
            };
            if !allowed {
                let help = crate::suggest::did_you_mean(
                    &member.key,
                    [
                        "StartAt",
                        "States",
                        "Comment",
                        "Version",
                        "TimeoutSeconds",
                        "QueryLanguage",
                        "ProcessorConfig",
                    ],
                );
                let place = match scope {
                    Scope::Top => "at the top level of a definition",
                    Scope::Branch => "in a Parallel branch",
                    Scope::Processor => "in a Map item processor",
                };
                self.report_with_help(
                    Code::SchemaValidationFailed,
                    format!("the field `{}` is not allowed {place}", member.key),
                    &here,
                    member.key_span,
                    help,
                );
                continue;
            }
            match member.key.as_str() {
                "Comment" | "StartAt" => {
                    self.string(&member.value, &here);
                }
                "Version"
                    if self.string(&member.value, &here)
                        && member.value.as_str() != Some("1.0") =>
                {
                    self.schema("`Version` must be \"1.0\"", &here, member.value.span);
                }
                "TimeoutSeconds" => {
                    self.integer(&member.value, &here, 0, 99_999_999, Lang::JsonPath);
                }
                "QueryLanguage" => {
                    if let Some(l) = self.query_language(&member.value, &here) {
                        lang = l;
                        self.machine_lang = l;
                    }
                }
                "ProcessorConfig" => self.processor_config(&member.value, &here),
                _ => {}
            }
        }
        let start_at = node.get("StartAt");
        if start_at.is_none() {
            self.schema(
                "the required field `StartAt` is missing",
                pointer,
                node.span,
            );
        }
        let Some(states) = node.get("States") else {
            self.schema("the required field `States` is missing", pointer, node.span);
            return;
        };
        let states_pointer = pointer.join("States");
        let Some(state_members) = states.members() else {
            self.schema(
                format!("`States` must be an object, found {}", states.type_name()),
                &states_pointer,
                states.span,
            );
            return;
        };
        if state_members.is_empty() {
            self.schema(
                "`States` must hold at least one state",
                &states_pointer,
                states.span,
            );
        }
        for member in state_members {
            self.state_name(member, &states_pointer);
            let saved = self.state.replace(member.key.clone());
            self.state(&member.value, &states_pointer.join(&member.key), lang);
            self.state = saved;
        }
        self.graph(start_at, state_members, pointer);
    }

    fn state_name(&mut self, member: &Member, states: &Pointer) {
        let name = &member.key;
        let here = states.join(name);
        let problem = if name.is_empty() {
            Some("a state name must not be empty".to_string())
        } else if name.chars().count() > 80 {
            Some(format!(
                "the state name `{}…` is {} characters long; the limit is 80",
                name.chars().take(20).collect::<String>(),
                name.chars().count()
            ))
        } else if name.chars().any(char::is_control) {
            Some(format!(
                "the state name {name:?} contains a control character"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            self.report(Code::InvalidStateName, message, &here, member.key_span);
        }
        let first = self.names.get(name).and_then(|all| all.first()).cloned();
        if let Some(first) = first.filter(|first| first != here.as_str()) {
            self.report(
                Code::DuplicateStateName,
                format!(
                    "the state name `{name}` is already used at {first}; names must be unique in the whole state machine, nested branches included"
                ),
                &here,
                member.key_span,
            );
        }
    }

    /// One state: its type, fields allowed for that type and query language, and their values.
    fn state(&mut self, node: &Node, pointer: &Pointer, machine_lang: Lang) {
        let Some(members) = node.members() else {
            self.schema(
                format!("a state must be an object, found {}", node.type_name()),
                pointer,
                node.span,
            );
            return;
        };
        let Some(type_node) = node.get("Type") else {
            self.schema("the required field `Type` is missing", pointer, node.span);
            return;
        };
        let type_pointer = pointer.join("Type");
        let type_name = type_node.as_str().unwrap_or("");
        let Some(table) = fields::for_type(type_name) else {
            let help = crate::suggest::did_you_mean(type_name, fields::TYPES.iter().copied())
                .unwrap_or_else(|| format!("the types are {}", fields::TYPES.join(", ")));
            self.report_with_help(
                Code::SchemaValidationFailed,
                format!("`Type` must be a state type, found {}", describe(type_node)),
                &type_pointer,
                type_node.span,
                Some(help),
            );
            return;
        };
        let lang = self.state_lang(node, pointer, machine_lang);
        for member in members {
            let here = pointer.join(&member.key);
            let Some(&(_, place, kind)) = table.iter().find(|f| f.0 == member.key) else {
                self.unknown_field(type_name, member, &here, &table);
                continue;
            };
            if !place.allows(lang) {
                self.wrong_language(member, &here, lang);
                continue;
            }
            self.value(kind, &member.value, &here, lang);
        }
        self.exclusive_fields(node, pointer);
        self.required_fields(type_name, node, pointer, lang);
        if type_name == "Map" {
            self.distributed_only(node, pointer);
        }
        self.heartbeat_below_timeout(node, pointer);
    }

    fn state_lang(&mut self, node: &Node, pointer: &Pointer, machine_lang: Lang) -> Lang {
        let Some(value) = node.get("QueryLanguage") else {
            return machine_lang;
        };
        let here = pointer.join("QueryLanguage");
        match self.query_language(value, &here) {
            Some(Lang::JsonPath) if machine_lang == Lang::Jsonata && self.lang_locked => {
                self.schema(
                    "a state cannot use JSONPath when the state machine's `QueryLanguage` is JSONata",
                    &here,
                    value.span,
                );
                Lang::Jsonata
            }
            Some(lang) => lang,
            None => machine_lang,
        }
    }

    fn unknown_field(
        &mut self,
        type_name: &str,
        member: &Member,
        here: &Pointer,
        table: &[fields::Field],
    ) {
        let help = crate::suggest::did_you_mean(&member.key, table.iter().map(|f| f.0));
        let message = match member.key.as_str() {
            "Next" | "End" if matches!(type_name, "Choice" | "Succeed" | "Fail") => format!(
                "a {type_name} state cannot have `{}`{}",
                member.key,
                if type_name == "Choice" {
                    ": its rules and `Default` name the next state"
                } else {
                    ": it always ends its branch"
                }
            ),
            _ => format!(
                "the field `{}` is not allowed in a {type_name} state",
                member.key
            ),
        };
        self.report_with_help(
            Code::SchemaValidationFailed,
            message,
            here,
            member.key_span,
            help,
        );
    }

    fn wrong_language(&mut self, member: &Member, here: &Pointer, lang: Lang) {
        let help = match (lang, member.key.as_str()) {
            (Lang::Jsonata, "Parameters") => "use `Arguments` with JSONata expressions".to_string(),
            (Lang::Jsonata, "InputPath" | "OutputPath" | "ResultSelector" | "ResultPath") => {
                "use `Output` (and `Assign`) with JSONata expressions".to_string()
            }
            (Lang::Jsonata, "ItemsPath") => "use `Items` with a JSONata expression".to_string(),
            (Lang::Jsonata, key) if key.ends_with("Path") => format!(
                "write `{}` with a `{{% … %}}` expression instead",
                key.trim_end_matches("Path")
            ),
            (Lang::Jsonata, "Result") => "use `Output`".to_string(),
            (Lang::JsonPath, "Arguments") => {
                "use `Parameters`, or set `\"QueryLanguage\": \"JSONata\"`".to_string()
            }
            (Lang::JsonPath, _) => {
                "set `\"QueryLanguage\": \"JSONata\"` on the state or the state machine".to_string()
            }
            (Lang::Jsonata, _) => "remove it".to_string(),
        };
        self.report_with_help(
            Code::SchemaValidationFailed,
            format!(
                "the field `{}` is not supported in a state whose query language is {}",
                member.key,
                lang.name()
            ),
            here,
            member.key_span,
            Some(help),
        );
    }

    fn exclusive_fields(&mut self, node: &Node, pointer: &Pointer) {
        for group in fields::EXCLUSIVE {
            let mut present: Vec<&Member> = group.iter().filter_map(|k| node.member(k)).collect();
            present.sort_by_key(|m| m.key_span.start);
            if present.len() > 1 {
                let names: Vec<String> = present.iter().map(|m| format!("`{}`", m.key)).collect();
                let second = present[1];
                self.schema(
                    format!("a state may have only one of {}", names.join(" and ")),
                    &pointer.join(&second.key),
                    second.key_span,
                );
            }
        }
    }

    fn required_fields(&mut self, type_name: &str, node: &Node, pointer: &Pointer, lang: Lang) {
        let has = |key: &str| node.member(key).is_some();
        let require = |this: &mut Self, ok: bool, message: &str| {
            if !ok {
                this.schema(message.to_string(), pointer, node.span);
            }
        };
        match type_name {
            "Task" => require(self, has("Resource"), "a Task state needs a `Resource`"),
            "Choice" => require(self, has("Choices"), "a Choice state needs `Choices`"),
            "Parallel" => require(self, has("Branches"), "a Parallel state needs `Branches`"),
            "Map" => require(
                self,
                has("ItemProcessor") || has("Iterator"),
                "a Map state needs an `ItemProcessor`",
            ),
            "Wait" => {
                let fields: &[&str] = match lang {
                    Lang::JsonPath => &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
                    Lang::Jsonata => &["Seconds", "Timestamp"],
                };
                require(
                    self,
                    fields.iter().any(|f| has(f)),
                    &format!("a Wait state needs one of {}", fields.join(", ")),
                );
            }
            _ => {}
        }
        if fields::for_type(type_name).is_some_and(|t| t.iter().any(|f| f.0 == "End"))
            && !has("Next")
            && !has("End")
        {
            self.report_with_help(
                Code::SchemaValidationFailed,
                format!("a {type_name} state needs `Next` or `\"End\": true`"),
                pointer,
                node.span,
                Some("name the state that follows, or end the state machine here"),
            );
        }
    }

    /// A heartbeat must come more often than the task times out.
    fn heartbeat_below_timeout(&mut self, node: &Node, pointer: &Pointer) {
        let seconds = |key: &str| match node.get(key).map(|n| &n.value) {
            Some(Value::Number(n)) => n.as_f64(),
            _ => None,
        };
        if let (Some(heartbeat), Some(timeout)) =
            (seconds("HeartbeatSeconds"), seconds("TimeoutSeconds"))
            && heartbeat >= timeout
            && let Some(member) = node.member("HeartbeatSeconds")
        {
            self.schema(
                format!("`HeartbeatSeconds` ({heartbeat}) must be less than `TimeoutSeconds` ({timeout})"),
                &pointer.join("HeartbeatSeconds"),
                member.value.span,
            );
        }
    }

    fn query_language(&mut self, node: &Node, pointer: &Pointer) -> Option<Lang> {
        match node.as_str() {
            Some("JSONPath") => Some(Lang::JsonPath),
            Some("JSONata") => Some(Lang::Jsonata),
            _ => {
                self.schema(
                    format!(
                        "`QueryLanguage` must be \"JSONPath\" or \"JSONata\", found {}",
                        describe(node)
                    ),
                    pointer,
                    node.span,
                );
                // AWS reads any value but "JSONPath" as JSONata; checking the fields the same way
                // keeps one typo from turning into an error on every field.
                Some(Lang::Jsonata)
            }
        }
    }

    /// Reports a non-string; returns whether the value is a string.
    fn string(&mut self, node: &Node, pointer: &Pointer) -> bool {
        if node.as_str().is_some() {
            return true;
        }
        let field = pointer.last();
        self.schema(
            format!("`{field}` must be a string, found {}", describe(node)),
            pointer,
            node.span,
        );
        false
    }
}

/// One value met by [`Checker::walk`]: the value, its pointer, and for an object member the
/// member and its siblings.
struct Visit<'n, 'p> {
    node: &'n Node,
    pointer: &'p Pointer,
    member: Option<(&'n Member, &'n [Member])>,
}

impl Checker<'_> {
    /// Visits every value inside `node` (not `node` itself), depth first; `visit` returns whether
    /// to go into the value it was given. Payload templates, static results and JSONata values are
    /// all checked this way.
    fn walk(
        &mut self,
        node: &Node,
        pointer: &Pointer,
        visit: &mut dyn FnMut(&mut Self, Visit) -> bool,
    ) {
        match &node.value {
            Value::Object(members) => {
                for member in members {
                    let here = pointer.join(&member.key);
                    let seen = Visit {
                        node: &member.value,
                        pointer: &here,
                        member: Some((member, members)),
                    };
                    if visit(self, seen) {
                        self.walk(&member.value, &here, visit);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let here = pointer.join(i);
                    let seen = Visit {
                        node: item,
                        pointer: &here,
                        member: None,
                    };
                    if visit(self, seen) {
                        self.walk(item, &here, visit);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A value for a message: short values quoted as written, others by type.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) if items.is_empty() => "an empty array".to_string(),
        Value::Object(members) if members.is_empty() => "an empty object".to_string(),
        _ => node.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests;
