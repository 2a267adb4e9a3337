//! Front matter: split a page into its metadata block and body, and read the block into typed
//! fields. YAML (`---`), TOML (`+++`) and JSON (a leading `{ … }` object) are accepted, as in Hugo.
//!
//! Values are first parsed into a generic JSON value and then checked field by field, so a type
//! error names the key and points at its line in the file (not inside the block).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::diagnostics::line_col;

/// A problem in front matter, located in the whole file (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct MatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: &'static str,
}

/// A date from front matter. Dates without a time are midnight UTC.
pub type Date = DateTime<FixedOffset>;

/// The typed front matter of a page or section.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub toc: bool,
    pub template: Option<String>,
    /// Taxonomy name -> terms as written, for the taxonomies the config declares.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Every other key, available to templates as `page.extra`.
    pub extra: Map<String, Value>,
    /// Where each top-level key is written (line, column in the file), for later diagnostics.
    pub key_positions: BTreeMap<String, (usize, usize)>,
}

impl FrontMatter {
    /// Line and column of `key` in the file, or of the start of the file.
    pub fn position_of(&self, key: &str) -> (usize, usize) {
        self.key_positions.get(key).copied().unwrap_or((1, 1))
    }
}

/// A page's text split into front matter and Markdown body.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub matter: FrontMatter,
    /// Problems with individual fields; those fields keep their defaults.
    pub errors: Vec<MatterError>,
    pub body: &'a str,
    /// Line of the file on which `body` starts (1-based).
    pub body_line: usize,
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
    Json,
}

/// Normalises a file's text: drops a UTF-8 byte order mark and turns CRLF into LF. Line numbers
/// are unchanged by both, so diagnostics still match the file.
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits and parses `text` (already normalised). `taxonomies` are the keys that hold terms.
pub fn parse<'a>(text: &'a str, taxonomies: &[String]) -> Result<Parsed<'a>, MatterError> {
    let Some((format, matter_text, matter_line, body, body_line)) = split(text)? else {
        return Ok(Parsed {
            matter: FrontMatter::default(),
            errors: Vec::new(),
            body: text,
            body_line: 1,
        });
    };
    let value = match format {
        Format::Yaml => parse_yaml(matter_text, matter_line)?,
        Format::Toml => parse_toml(matter_text, matter_line)?,
        Format::Json => parse_json(matter_text, matter_line)?,
    };
    let map = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => {
            return Err(MatterError {
                line: matter_line,
                column: 1,
                message: "front matter must be a map of keys to values".into(),
                help: "write `key: value` lines between the `---` fences",
            });
        }
    };
    let positions = key_positions(matter_text, matter_line, format);
    let (matter, errors) = typed(map, positions, taxonomies);
    Ok(Parsed {
        matter,
        errors,
        body,
        body_line,
    })
}

type Split<'a> = Option<(Format, &'a str, usize, &'a str, usize)>;

/// Finds the front matter block: its format, its text, the file line where that text starts,
/// the body and the file line where the body starts.
fn split(text: &str) -> Result<Split<'_>, MatterError> {
    // Hugo also finds front matter after blank lines.
    let blank = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let blank = text[..blank].rfind('\n').map_or(0, |i| i + 1);
    if blank > 0 && (text[blank..].starts_with("---") || text[blank..].starts_with("+++")) {
        // An unclosed fence there is a thematic break, not broken front matter.
        let lines = text[..blank].matches('\n').count();
        let found = split(&text[blank..]).unwrap_or(None);
        return Ok(found.map(|(format, matter, matter_line, body, body_line)| {
            (format, matter, matter_line + lines, body, body_line + lines)
        }));
    }
    let first_line = text.lines().next().unwrap_or("");
    let fence = first_line.trim_end();
    let format = match fence {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ if text.starts_with('{') => Format::Json,
        _ => return Ok(None),
    };
    if let Format::Json = format {
        // Only find where the object ends here; `parse_json` builds the value once.
        let mut stream =
            serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
        return match stream.next() {
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                let rest = &text[end..];
                let rest = rest.strip_prefix('\n').unwrap_or(rest);
                let body_offset = text.len() - rest.len();
                Ok(Some((
                    format,
                    &text[..end],
                    1,
                    rest,
                    line_col(text, body_offset).0,
                )))
            }
            Some(Err(e)) => Err(MatterError {
                line: e.line(),
                column: e.column(),
                message: format!("invalid JSON front matter: {e}"),
                help: "JSON front matter is one object at the very start of the file",
            }),
            None => Ok(None),
        };
    }
    let start = first_line.len() + 1;
    let mut offset = start;
    for line in text[start.min(text.len())..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        let closes = trimmed == fence || (matches!(format, Format::Yaml) && trimmed == "...");
        if closes {
            let matter = &text[start..offset];
            let body_start = offset + line.len();
            let body_line = line_col(text, offset).0 + 1;
            return Ok(Some((
                format,
                matter,
                2,
                &text[body_start.min(text.len())..],
                body_line,
            )));
        }
        offset += line.len();
    }
    Err(MatterError {
        line: 1,
        column: 1,
        message: format!("front matter opened with `{fence}` is never closed"),
        help: "end the front matter block with a line holding only the same fence",
    })
}

fn parse_yaml(text: &str, first_line: usize) -> Result<Value, MatterError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_saphyr::from_str::<Value>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let message = yaml_message(&e.to_string());
        MatterError {
            line: first_line + line.max(1) - 1,
            column: column.max(1),
            message: format!("invalid YAML front matter: {message}"),
            help: "check the indentation and quote values that contain `:` or `#`",
        }
    })
}

/// The first line of a YAML error without its own `error: line N column M:` prefix, since the
/// diagnostic carries the position in the file instead.
fn yaml_message(text: &str) -> String {
    let first = text.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.strip_prefix("line ") {
        Some(rest) if rest.contains(" column ") => {
            rest.split_once(": ").map_or(first, |(_, message)| message)
        }
        _ => first,
    };
    first.to_string()
}

fn parse_toml(text: &str, first_line: usize) -> Result<Value, MatterError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        MatterError {
            line: first_line + line - 1,
            column,
            message: format!("invalid TOML front matter: {}", e.message().trim()),
            help: "TOML front matter is `key = value` lines between `+++` fences; quote strings",
        }
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn parse_json(text: &str, first_line: usize) -> Result<Value, MatterError> {
    serde_json::from_str(text).map_err(|e| MatterError {
        line: first_line + e.line().max(1) - 1,
        column: e.column(),
        message: format!("invalid JSON front matter: {e}"),
        help: "JSON front matter is one object at the very start of the file",
    })
}

/// Where each top-level key starts, found by reading the block's lines: YAML `key:` and TOML
/// `key =` at column 1, JSON `"key":` anywhere on its line.
fn key_positions(
    text: &str,
    first_line: usize,
    format: Format,
) -> BTreeMap<String, (usize, usize)> {
    let mut positions = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let key = match format {
            Format::Yaml if !line.starts_with([' ', '\t', '-', '#']) => {
                line.split_once(':').map(|(k, _)| k.trim())
            }
            Format::Toml if !line.starts_with([' ', '\t', '[', '#']) => {
                line.split_once('=').map(|(k, _)| k.trim())
            }
            Format::Json => line
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .map(|(k, _)| k),
            _ => None,
        };
        if let Some(key) = key {
            let key = key.trim_matches(['"', '\'']);
            let column = line.find(key).map_or(1, |i| line[..i].chars().count() + 1);
            positions
                .entry(key.to_string())
                .or_insert((first_line + index, column));
        }
    }
    positions
}

/// Reads typed fields out of the front matter map, collecting every problem rather than
/// stopping at the first; a field with a problem keeps its default.
struct Fields {
    map: Map<String, Value>,
    positions: BTreeMap<String, (usize, usize)>,
    errors: Vec<MatterError>,
}

const LIST_HELP: &str = "write a list such as [\"AWS\", \"Lambda\"]";

impl Fields {
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    fn fail(&mut self, key: &str, message: String, help: &'static str) {
        let (line, column) = self.positions.get(key).copied().unwrap_or((1, 1));
        self.errors.push(MatterError {
            line,
            column,
            message,
            help,
        });
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.fail(
                    key,
                    format!("`{key}` must be text, found {}", kind(&other)),
                    "quote the value",
                );
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> bool {
        match self.take(key) {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                let message = format!("`{key}` must be true or false, found {}", kind(&other));
                self.fail(key, message, "write `true` or `false` without quotes");
                false
            }
        }
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        let items = match self.take(key) {
            None => return Vec::new(),
            Some(Value::String(s)) => return vec![s],
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.fail(
                    key,
                    format!("`{key}` must be a list of text, found {}", kind(&other)),
                    LIST_HELP,
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s),
                Value::Number(n) => out.push(n.to_string()),
                other => {
                    let message = format!(
                        "`{key}` must be a list of text, found an item that is {}",
                        kind(&other)
                    );
                    self.fail(key, message, LIST_HELP);
                }
            }
        }
        out
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let text = self.string(key)?;
        let date = parse_date(&text);
        if date.is_none() {
            self.fail(
                key,
                format!("`{key}` is not a date: `{text}`"),
                "write a date as YYYY-MM-DD or an RFC 3339 date and time such as 2024-05-01T09:30:00Z",
            );
        }
        date
    }

    fn whole_number(&mut self, key: &str) -> Option<i64> {
        let value = self.take(key)?;
        let number = match &value {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                    .map(|f| f as i64)
            }),
            _ => None,
        };
        if number.is_none() {
            let message = format!("`{key}` must be a whole number, found {}", describe(&value));
            self.fail(
                key,
                message,
                "write a number such as `weight: 10` without quotes",
            );
        }
        number
    }

    /// A `slug` is one URL segment: not empty, not `.` or `..`, no `/`, `\\`, `?`, `#` or `%`.
    fn slug(&mut self) -> Option<String> {
        let slug = self.string("slug")?;
        let trimmed = slug.trim();
        if trimmed.is_empty()
            || trimmed == "."
            || trimmed == ".."
            || trimmed.contains(['/', '\\', '?', '#', '%'])
        {
            self.fail(
                "slug",
                format!("`slug` must be one URL segment, found `{slug}`"),
                "use letters, digits and dashes, e.g. `slug: aws-lambda`",
            );
            return None;
        }
        Some(trimmed.to_string())
    }

    /// Aliases are site paths; `.` and `..` segments and `?`, `#` or `\\` are refused.
    fn aliases(&mut self) -> Vec<String> {
        let aliases = self.strings("aliases");
        let (good, bad): (Vec<String>, Vec<String>) = aliases.into_iter().partition(|alias| {
            let path = alias.trim().trim_matches('/');
            !path.is_empty()
                && !path.contains(['?', '#', '\\'])
                && path
                    .split('/')
                    .all(|segment| !matches!(segment, "" | "." | ".."))
        });
        for alias in bad {
            self.fail(
                "aliases",
                format!("alias `{alias}` is not a path inside the site"),
                "write an old URL path such as `/old/page/` or `/legacy.html`",
            );
        }
        good
    }
}

/// Moves the known keys out of `map` into typed fields, leaving the rest in `extra`.
fn typed(
    map: Map<String, Value>,
    positions: BTreeMap<String, (usize, usize)>,
    taxonomies: &[String],
) -> (FrontMatter, Vec<MatterError>) {
    let mut fields = Fields {
        map,
        positions,
        errors: Vec::new(),
    };
    let mut matter = FrontMatter {
        title: fields.string("title"),
        description: fields.string("description"),
        date: fields.date("date"),
        updated: fields.date("updated"),
        weight: fields.whole_number("weight"),
        draft: fields.boolean("draft"),
        slug: fields.slug(),
        aliases: fields.aliases(),
        toc: fields.boolean("toc"),
        template: fields.string("template"),
        ..FrontMatter::default()
    };
    for name in taxonomies {
        let values: Vec<String> = fields
            .strings(name)
            .into_iter()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if !values.is_empty() {
            matter.taxonomies.insert(name.clone(), values);
        }
    }
    // Zola keeps free-form values under `[extra]`; merge them with top-level unknown keys.
    let mut extra = match fields.map.remove("extra") {
        Some(Value::Object(inner)) => inner,
        Some(other) => Map::from_iter([("extra".to_string(), other)]),
        None => Map::new(),
    };
    extra.extend(std::mem::take(&mut fields.map));
    matter.extra = extra;
    matter.key_positions = fields.positions;
    fields.errors.sort_by_key(|e| (e.line, e.column));
    (matter, fields.errors)
}

/// `text "abc"`, `a number (1.5)`, … for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("text `{s}`"),
        Value::Number(n) => format!("the number {n}"),
        other => kind(other).to_string(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]` and RFC 3339.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
    }
    for pattern in [
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, pattern) {
            return Some(dt);
        }
    }
    for pattern in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, pattern) {
            return dt.and_local_timezone(utc).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomies() -> Vec<String> {
        vec!["tags".into(), "categories".into()]
    }

    #[test]
    fn front_matter_after_blank_lines() {
        let text = "\n\n---\ntitle: Late\n---\nBody\n";
        let parsed = parse(text, &taxonomies()).unwrap();
        assert_eq!(parsed.matter.title.as_deref(), Some("Late"));
        assert_eq!((parsed.body, parsed.body_line), ("Body\n", 6));
        let rule = "\n---\n\nJust a rule\n";
        assert_eq!(parse(rule, &taxonomies()).unwrap().body, rule);
    }

    #[test]
    fn yaml_fields_and_extra() {
        let text = "---\ntitle: Step Functions\ntags: [AWS, \"Step Functions\"]\nweight: 3500\ndate: 2022-09-27\nawsTag: \"Step Functions\"\ntoc: true\n---\n\n## About\n";
        let parsed = parse(text, &taxonomies()).unwrap();
        assert_eq!(parsed.matter.title.as_deref(), Some("Step Functions"));
        assert_eq!(parsed.matter.weight, Some(3500));
        assert!(parsed.matter.toc);
        assert_eq!(
            parsed.matter.taxonomies["tags"],
            vec!["AWS", "Step Functions"]
        );
        assert_eq!(parsed.matter.extra["awsTag"], "Step Functions");
        assert_eq!(
            parsed.matter.date.unwrap().to_rfc3339(),
            "2022-09-27T00:00:00+00:00"
        );
        assert_eq!(parsed.body_line, 9);
        assert!(parsed.body.starts_with("\n## About"));
    }

    #[test]
    fn toml_and_json() {
        let toml = "+++\ntitle = \"T\"\ndate = 2024-01-02\n[extra]\nx = 1\n+++\nbody";
        let parsed = parse(toml, &taxonomies()).unwrap();
        assert_eq!(parsed.matter.title.as_deref(), Some("T"));
        assert_eq!(parsed.matter.extra["x"], 1);
        assert!(parsed.matter.date.is_some());
        assert_eq!(parsed.body, "body");
        let json = "{\"title\": \"J\", \"weight\": 2}\nbody";
        let parsed = parse(json, &taxonomies()).unwrap();
        assert_eq!(parsed.matter.weight, Some(2));
        assert_eq!((parsed.body, parsed.body_line), ("body", 2));
    }

    #[test]
    fn yaml_syntax_error_points_into_the_file() {
        let text = "---\ntitle: ok\ntags: [a, b\nweight: 1\n---\n";
        let err = parse(text, &taxonomies()).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }

    #[test]
    fn yaml_message_drops_the_inner_position() {
        assert_eq!(
            yaml_message("error: line 3 column 7: illegal placement of ':' indicator\nmore"),
            "illegal placement of ':' indicator"
        );
        assert_eq!(yaml_message("unexpected end"), "unexpected end");
    }

    #[test]
    fn type_errors_name_key_and_line_and_all_are_reported() {
        let text = "---\ntitle: ok\nweight: heavy\ndraft: maybe\ndate: yesterday\n---\n";
        let parsed = parse(text, &taxonomies()).unwrap();
        let found: Vec<(usize, usize, bool)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.column, e.message.contains('`')))
            .collect();
        assert_eq!(
            found,
            vec![(3, 1, true), (4, 1, true), (5, 1, true)],
            "{:?}",
            parsed.errors
        );
        assert!(parsed.errors[0].message.contains("weight"));
        assert_eq!(
            parsed.matter.title.as_deref(),
            Some("ok"),
            "good fields still load"
        );
    }

    #[test]
    fn slugs_and_aliases_must_stay_inside_the_site() {
        for slug in ["../../evil", "a/b", "x?y", "."] {
            let text = format!("---\nslug: \"{slug}\"\n---\n");
            let parsed = parse(&text, &taxonomies()).unwrap();
            assert_eq!(parsed.errors.len(), 1, "{slug}");
            assert_eq!(parsed.matter.slug, None);
        }
        let parsed = parse(
            "---\naliases: [\"/old/\", \"../x\", \"./y\"]\n---\n",
            &taxonomies(),
        )
        .unwrap();
        assert_eq!(parsed.matter.aliases, vec!["/old/"]);
        assert_eq!(parsed.errors.len(), 2);
    }

    #[test]
    fn date_forms() {
        for text in [
            "2024-01-02",
            "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05",
            "2024-01-02 03:04:05 +02:00",
            "2024-01-02T03:04:05.123",
            "2024-01-02 03:04",
        ] {
            assert!(parse_date(text).is_some(), "{text}");
        }
        assert_eq!(
            parse_date("2024-01-02 03:04:05 +02:00")
                .unwrap()
                .to_rfc3339(),
            "2024-01-02T03:04:05+02:00"
        );
        assert!(parse_date("02/01/2024").is_none());
    }

    #[test]
    fn whole_numbers_may_be_written_as_floats() {
        let parsed = parse("---\nweight: 10.0\n---\n", &taxonomies()).unwrap();
        assert_eq!(parsed.matter.weight, Some(10));
        let parsed = parse("---\nweight: 1.5\n---\n", &taxonomies()).unwrap();
        assert!(
            parsed.errors[0].message.contains("1.5"),
            "{:?}",
            parsed.errors
        );
    }

    #[test]
    fn unclosed_fence() {
        let err = parse("---\ntitle: x\n", &taxonomies()).unwrap_err();
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn bom_and_crlf() {
        let text = normalise("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n");
        let parsed = parse(&text, &taxonomies()).unwrap();
        assert_eq!(parsed.matter.title.as_deref(), Some("x"));
        assert_eq!(parsed.body, "body\n");
    }
}
