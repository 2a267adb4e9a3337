//! The short texts a state machine diagram draws, and how wide they are.
//!
//! A diagram node or edge has room for a few words, not for a whole ARN or Choice rule, so this
//! module turns parts of the typed [`crate::model`] into compact labels: a Task's resource, a
//! Choice rule, a Wait's duration, a Retry badge's tooltip.
//!
//! The diagram is SVG drawn with the page's sans-serif system font, which this crate cannot read
//! (it does no I/O and must build for wasm32), so text widths are estimated from a per-character
//! table approximating Helvetica, Arial and Segoe UI. The estimate errs on the wide side for
//! anything unusual, so a label laid out with [`wrap`] fits its box in every likely font.

use serde_json::Value as Json;

use crate::model::{ChoiceRule, JitterStrategy, Retrier, Wait};

/// Short form of a Task's Resource.
///
/// Resource ARNs repeat a prefix (`arn:aws:states:::`, a region and account) that says nothing
/// about what the task does; the label keeps the part that does: `lambda:invoke`,
/// `s3:getObject` (AWS SDK integrations drop `aws-sdk:`), `lambda:ProcessOrder` for a Lambda
/// function ARN (without its version or alias), `activity:Approve`. Any partition (`aws`,
/// `aws-cn`, `aws-us-gov`, …) is read the same. A string that is not such an ARN is shown as
/// written; a placeholder object (`{"Ref": …}`) that only a deployment tool resolves shows as
/// `Task`, since its text would mean nothing in a diagram.
pub(super) fn task_resource(resource: &Json) -> String {
    match resource.as_str() {
        Some(arn) => short_arn(arn).unwrap_or_else(|| arn.to_owned()),
        None => "Task".to_owned(),
    }
}

/// The meaningful part of a Step Functions or Lambda ARN, or None when `arn` is not one.
fn short_arn(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account, rest) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || !(partition == "aws" || partition.starts_with("aws-")) {
        return None;
    }
    let short = match service {
        // A service integration: `arn:aws:states:::service:action[.pattern][:version]`.
        "states" if region.is_empty() && account.is_empty() => {
            rest.strip_prefix("aws-sdk:").unwrap_or(rest).to_owned()
        }
        "states" => format!("activity:{}", rest.strip_prefix("activity:")?),
        "lambda" => {
            let name = rest.strip_prefix("function:")?.split(':').next()?;
            format!("lambda:{name}")
        }
        _ => return None,
    };
    // Nothing after the prefix (`arn:aws:states:::`) is not a resource worth shortening.
    Some(short).filter(|short| !short.is_empty() && !short.ends_with(':'))
}

/// Short rendering of a Choice rule for an edge label, e.g. `$.total > 100`.
///
/// Operators become symbols (`NumericGreaterThan` is `>`, `StringEquals` is `==`), string and
/// timestamp operands are JSON-quoted so `"100"` and `100` stay distinct, `*Path` operands are
/// shown as the path, and `Is*` tests read as words (`$.x is not present`). `And`/`Or`/`Not`
/// nest with parentheses only where they are needed to keep the meaning. A JSONata `Condition`
/// shows its expression without the `{% %}` delimiters, on one line. An operator this function
/// does not know is shown by name rather than dropped, and a rule with nothing recognisable reads
/// `rule`: a label is never worth a panic.
pub(super) fn choice_rule(rule: &ChoiceRule) -> String {
    describe(rule).map_or_else(|| "rule".to_owned(), |(text, _)| text)
}

/// A rule's text and whether it is an `And`/`Or` of several rules, which must be parenthesised
/// when nested.
fn describe(rule: &ChoiceRule) -> Option<(String, bool)> {
    if let Some(text) = rule.condition.as_ref().and_then(condition) {
        return Some((text, false));
    }
    if let Some(rules) = &rule.and {
        return junction(rules, " and ");
    }
    if let Some(rules) = &rule.or {
        return junction(rules, " or ");
    }
    if let Some(inner) = &rule.not {
        return Some((format!("not {}", operand(inner)), false));
    }
    comparison(rule).map(|text| (text, false))
}

/// `And` or `Or`: its operands joined by `separator`.
fn junction(rules: &[ChoiceRule], separator: &str) -> Option<(String, bool)> {
    if rules.is_empty() {
        return None;
    }
    let parts: Vec<String> = rules.iter().map(operand).collect();
    Some((parts.join(separator), rules.len() > 1))
}

/// A rule nested in `And`, `Or` or `Not`, parenthesised when it is itself a compound.
fn operand(rule: &ChoiceRule) -> String {
    match describe(rule) {
        Some((text, true)) => format!("({text})"),
        Some((text, false)) => text,
        None => "rule".to_owned(),
    }
}

/// A JSONata `Condition`: a boolean, or an expression string.
fn condition(value: &Json) -> Option<String> {
    match value {
        Json::Bool(b) => Some(b.to_string()),
        Json::String(text) => nonempty(expression(text)),
        _ => None,
    }
}

/// A comparison rule: `Variable`, operator and operand.
fn comparison(rule: &ChoiceRule) -> Option<String> {
    let (key, value) = rule
        .comparison
        .iter()
        .find(|(key, value)| operator(key, value).is_some())
        .or_else(|| rule.comparison.first())?;
    // A validated comparison always has a Variable; `?` marks one that does not.
    let left = rule.variable.as_deref().unwrap_or("?");
    Some(match operator(key, value) {
        Some(Operator::Compare { symbol, path: true }) => match value.as_str() {
            Some(path) => format!("{left} {symbol} {path}"),
            None => format!("{left} {symbol} {value}"),
        },
        Some(Operator::Compare {
            symbol,
            path: false,
        }) => format!("{left} {symbol} {value}"),
        Some(Operator::Is { what, expected }) => {
            let not = if expected { "" } else { "not " };
            format!("{left} is {not}{what}")
        }
        None => format!("{left} {key} {value}"),
    })
}

/// How a known comparison operator is drawn.
enum Operator {
    /// A relation: `symbol` between the variable and the operand, which is a path when `path`.
    Compare { symbol: &'static str, path: bool },
    /// A type or presence test (`IsPresent`, …): `what` it tests and the operand's answer.
    Is { what: &'static str, expected: bool },
}

/// The operator `key` with operand `value`, when it is one of the language's operators used as
/// the language defines (an `Is*` operand is a boolean).
fn operator(key: &str, value: &Json) -> Option<Operator> {
    if let Some(test) = key.strip_prefix("Is") {
        let what = match test {
            "Present" => "present",
            "Null" => "null",
            "Numeric" => "numeric",
            "String" => "string",
            "Boolean" => "boolean",
            "Timestamp" => "timestamp",
            _ => return None,
        };
        return Some(Operator::Is {
            what,
            expected: value.as_bool()?,
        });
    }
    if key == "StringMatches" {
        return Some(Operator::Compare {
            symbol: "matches",
            path: false,
        });
    }
    let (body, path) = match key.strip_suffix("Path") {
        Some(body) => (body, true),
        None => (key, false),
    };
    let relation = ["String", "Numeric", "Timestamp"]
        .iter()
        .find_map(|kind| body.strip_prefix(kind))
        .or_else(|| (body == "BooleanEquals").then_some("Equals"))?;
    let symbol = match relation {
        "Equals" => "==",
        "LessThan" => "<",
        "GreaterThan" => ">",
        "LessThanEquals" => "<=",
        "GreaterThanEquals" => ">=",
        _ => return None,
    };
    Some(Operator::Compare { symbol, path })
}

/// A JSONata expression (or any text) shortened for a label: without its `{%` `%}` delimiters,
/// trimmed, with every run of whitespace (newlines included) collapsed to one space.
///
/// Expressions are written across lines for people editing the definition; on a diagram they
/// get one line, and the delimiters only say "this is JSONata", which the diagram's reader
/// knows from context. Text without the delimiters is only trimmed and collapsed.
pub(super) fn expression(text: &str) -> String {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix("{%")
        .and_then(|rest| rest.strip_suffix("%}"))
        .unwrap_or(trimmed);
    inner.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nonempty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// The detail line of a Wait state: `10 s`, `until 2024-01-01T00:00:00Z`, `$.delay s`, `until $.when`, or a JSONata expression shortened like a condition.
///
/// A Wait node is small, and how long it waits is the one thing worth reading on it. A Wait
/// with none of the four fields (which the validator rejects) reads `Wait`.
pub(super) fn wait_detail(wait: &Wait) -> String {
    let seconds = wait.seconds.as_ref().and_then(|value| match value {
        Json::Number(n) => Some(n.to_string()),
        Json::String(text) => nonempty(expression(text)),
        _ => None,
    });
    let timestamp = wait.timestamp.as_deref().map(expression).and_then(nonempty);
    seconds
        .or_else(|| wait.seconds_path.clone())
        .map(|seconds| format!("{seconds} s"))
        .or_else(|| {
            timestamp
                .or_else(|| wait.timestamp_path.clone())
                .map(|until| format!("until {until}"))
        })
        .unwrap_or_else(|| "Wait".to_owned())
}

/// AWS's `MaxAttempts` when a retrier leaves it out.
const DEFAULT_MAX_ATTEMPTS: u64 = 3;
/// AWS's `IntervalSeconds` when a retrier leaves it out.
const DEFAULT_INTERVAL_SECONDS: u64 = 1;
/// AWS's `BackoffRate` when a retrier leaves it out.
const DEFAULT_BACKOFF_RATE: f64 = 2.0;

/// One line per retrier for a Retry badge's tooltip, e.g.
/// `States.TaskFailed, Lambda.ServiceException: 3 attempts, every 2 s × 2.0, at most 60 s, full jitter`
///
/// The badge itself only has room for a number; the tooltip spells out each retrier with AWS's
/// defaults filled in, so a reader sees the policy that actually runs rather than the fields
/// that happen to be written. `MaxAttempts: 0` (the errors are never retried) reads `no retry`.
pub(super) fn retriers(retry: &[Retrier]) -> Vec<String> {
    retry.iter().map(retrier).collect()
}

fn retrier(retrier: &Retrier) -> String {
    let errors = retrier.error_equals.join(", ");
    let attempts = retrier.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
    if attempts == 0 {
        return format!("{errors}: no retry");
    }
    let plural = if attempts == 1 { "" } else { "s" };
    let interval = retrier.interval_seconds.unwrap_or(DEFAULT_INTERVAL_SECONDS);
    let rate = retrier.backoff_rate.unwrap_or(DEFAULT_BACKOFF_RATE);
    // `2.0` rather than `2`: the rate is a multiplier, and AWS writes it as a decimal.
    let rate = if rate.fract() == 0.0 {
        format!("{rate:.1}")
    } else {
        rate.to_string()
    };
    let mut line = format!("{errors}: {attempts} attempt{plural}, every {interval} s × {rate}");
    if let Some(max_delay) = retrier.max_delay_seconds {
        line.push_str(&format!(", at most {max_delay} s"));
    }
    if retrier.jitter_strategy == Some(JitterStrategy::Full) {
        line.push_str(", full jitter");
    }
    line
}

/// The attempts a badge shows: the largest MaxAttempts over the retriers (3 when absent).
///
/// One number is all a badge holds, and the largest is the worst case a reader should expect.
/// No retriers at all gives 0: nothing is retried.
pub(super) fn max_attempts(retry: &[Retrier]) -> u64 {
    retry
        .iter()
        .map(|retrier| retrier.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS))
        .max()
        .unwrap_or(0)
}

/// How much wider bold text is than regular text, about the same in all three fonts.
const BOLD_FACTOR: f64 = 1.07;
/// DejaVu Sans, which Linux systems often fall back to, runs about 10% wider than the fonts
/// the table follows; estimates are scaled up so text fits in either.
const FALLBACK_MARGIN: f64 = 1.1;

/// Estimated width in pixels of `text` drawn at `size` px in a sans-serif system font.
///
/// The diagram must size its boxes before a browser ever draws the text, and this crate has no
/// font to measure with, so each character gets an advance (in em) from a table approximating
/// Helvetica, Arial and Segoe UI (narrow `i l .` 0.28, digits 0.56, lowercase 0.53, uppercase
/// 0.68, `m w` 0.84, any non-ASCII character 1.0, combining marks 0), bold text is 7% wider,
/// and the sum is scaled by `size`. The result depends only on the arguments.
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    scaled(text.chars().map(advance).sum(), size, bold)
}

/// An advance in em turned into pixels. [`wrap`] measures through this too, so its lines agree
/// with [`text_width`] to the last bit.
fn scaled(em: f64, size: f64, bold: bool) -> f64 {
    let factor = if bold { BOLD_FACTOR } else { 1.0 };
    em * factor * size * FALLBACK_MARGIN
}

/// The advance of one character in em.
///
/// ASCII follows the three fonts' regular weight, rounded up into a few classes; `I` is as
/// narrow as `l` in all of them, `%` and `@` are nearly as wide as `M`. A control character
/// counts as a space, which is how SVG draws a tab or newline. Any other non-ASCII character
/// counts a full em: wide scripts and emoji take about that, and Latin letters with accents
/// less, so a label errs towards fitting. Characters drawn on top of the one before (combining
/// marks, variation selectors, joiners, emoji skin tones) take no room.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '`' => 0.28,
        'f' | 'r' | 't' | '(' | ')' | '[' | ']' | '{' | '}' | '-' | '/' | '\\' | '"' | ' ' => 0.36,
        'm' | 'w' => 0.84,
        'M' | 'W' => 0.92,
        '%' => 0.9,
        '@' => 1.0,
        // Wide in DejaVu Sans, the usual fallback font on Linux.
        '<' | '>' | '=' | '+' | '~' => 0.84,
        'A'..='Z' => 0.68,
        '0'..='9' => 0.56,
        'a'..='z' => 0.53,
        c if c.is_ascii_control() => 0.36,
        // `_ * # & $ ? ^`
        c if c.is_ascii() => 0.6,
        c if is_zero_width(c) => 0.0,
        _ => 1.0,
    }
}

/// Characters a font draws over or joined to the character before them.
fn is_zero_width(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // combining diacritical marks
        | '\u{1AB0}'..='\u{1AFF}' // … extended
        | '\u{1DC0}'..='\u{1DFF}' // … supplement
        | '\u{20D0}'..='\u{20FF}' // … for symbols
        | '\u{FE20}'..='\u{FE2F}' // combining half marks
        | '\u{200B}'..='\u{200F}' // zero-width space, joiners, direction marks
        | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
        | '\u{FEFF}'              // zero-width no-break space
        | '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{E0020}'..='\u{E007F}' // emoji tag sequences
        | '\u{1F3FB}'..='\u{1F3FF}' // emoji skin tones
    )
}

/// Text laid out in at most `max_lines` lines of at most `max_width` px.
///
/// State names and labels are often single long identifiers (`ProcessPaymentAndNotify`,
/// `arn:aws:states:::dynamodb:putItem`), which a browser will not break by itself in SVG; the
/// diagram draws these lines one `<text>` each.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Wrapped {
    /// The lines, in order; at least one.
    pub lines: Vec<String>,
    /// true when text was cut and ends with `…`
    pub truncated: bool,
}

/// The ellipsis that ends a cut line.
const ELLIPSIS: char = '…';

/// Lays `text` out in at most `max_lines` lines (0 counts as 1) no wider than `max_width`, as
/// estimated by [`text_width`] for `size` and `bold`.
///
/// Diagram boxes have a fixed width and a few lines of room, so a label is broken where a
/// reader expects it: after a space (which is dropped), `-`, `_`, `.`, `/` or `:`, or between
/// the words of a camelCase name. A word wider than a line is broken at the last character that
/// fits. Text that needs more lines than allowed ends its last line with `…` and sets
/// `truncated`, so the full text can go in a tooltip. No line is wider than `max_width`, except
/// one holding a single character that is wider by itself. Newlines count as spaces, trailing
/// whitespace is dropped, and empty text gives one empty line.
pub(super) fn wrap(text: &str, max_width: f64, size: f64, bold: bool, max_lines: usize) -> Wrapped {
    let chars: Vec<char> = text.trim_end().chars().collect();
    let max_lines = max_lines.max(1);
    let fits = |em: f64| scaled(em, size, bold) <= max_width;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        // The longest run from `start` that fits, and the last break opportunity inside it.
        let mut em = 0.0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() && fits(em + advance(chars[end])) {
            em += advance(chars[end]);
            end += 1;
            if breaks_before(&chars, end) {
                last_break = Some(end);
            }
        }
        if end == chars.len() {
            lines.push(chars[start..].iter().collect());
            break;
        }
        if lines.len() + 1 == max_lines {
            lines.push(cut(&chars[start..], &fits));
            return Wrapped {
                lines,
                truncated: true,
            };
        }
        let end = last_break.unwrap_or_else(|| {
            // Not even one character fits: it goes alone, with any marks drawn over it.
            let mut end = end.max(start + 1);
            while end < chars.len() && advance(chars[end]) == 0.0 {
                end += 1;
            }
            end
        });
        lines.push(chars[start..end].iter().collect());
        start = end;
        while start < chars.len() && chars[start].is_whitespace() {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    Wrapped {
        lines,
        truncated: false,
    }
}

/// Whether a line may end before `chars[at]`: before a run of whitespace, after a separator,
/// or inside a camelCase name. Never before a character drawn over the one before it.
fn breaks_before(chars: &[char], at: usize) -> bool {
    let (Some(&before), Some(&after)) =
        (at.checked_sub(1).and_then(|i| chars.get(i)), chars.get(at))
    else {
        return false;
    };
    if advance(after) == 0.0 && !after.is_whitespace() {
        return false;
    }
    (after.is_whitespace() && !before.is_whitespace())
        || matches!(before, '-' | '_' | '.' | '/' | ':')
        || (before.is_lowercase() && after.is_uppercase())
}

/// The longest start of `chars` that fits with `…` after it, without trailing whitespace, and
/// the `…`.
fn cut(chars: &[char], fits: &impl Fn(f64) -> bool) -> String {
    let ellipsis = advance(ELLIPSIS);
    let mut em = 0.0;
    let mut end = 0;
    while end < chars.len() && fits(em + advance(chars[end]) + ellipsis) {
        em += advance(chars[end]);
        end += 1;
    }
    while end > 0 && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    let mut line: String = chars[..end].iter().collect();
    line.push(ELLIPSIS);
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: Json) -> String {
        choice_rule(&serde_json::from_value::<ChoiceRule>(value).unwrap())
    }

    fn wait(value: Json) -> String {
        wait_detail(&serde_json::from_value::<Wait>(value).unwrap())
    }

    fn retry(value: Json) -> Vec<Retrier> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn service_integrations_keep_service_and_action() {
        for (arn, short) in [
            ("arn:aws:states:::lambda:invoke", "lambda:invoke"),
            ("arn:aws:states:::dynamodb:putItem", "dynamodb:putItem"),
            ("arn:aws:states:::ecs:runTask.sync", "ecs:runTask.sync"),
            (
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "sqs:sendMessage.waitForTaskToken",
            ),
            ("arn:aws:states:::aws-sdk:s3:getObject", "s3:getObject"),
            (
                "arn:aws:states:::states:startExecution.sync:2",
                "states:startExecution.sync:2",
            ),
            ("arn:aws:states:::http:invoke", "http:invoke"),
            ("arn:aws-cn:states:::lambda:invoke", "lambda:invoke"),
            (
                "arn:aws-us-gov:states:::aws-sdk:sqs:sendMessage",
                "sqs:sendMessage",
            ),
        ] {
            assert_eq!(task_resource(&json!(arn)), short, "{arn}");
        }
    }

    #[test]
    fn lambda_functions_and_activities_keep_their_names() {
        for (arn, short) in [
            (
                "arn:aws:lambda:us-east-1:123456789012:function:ProcessOrder",
                "lambda:ProcessOrder",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:ProcessOrder:live",
                "lambda:ProcessOrder",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:ProcessOrder:$LATEST",
                "lambda:ProcessOrder",
            ),
            (
                "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:Audit",
                "lambda:Audit",
            ),
            (
                "arn:aws:states:us-east-1:123456789012:activity:Approve",
                "activity:Approve",
            ),
            (
                "arn:aws-cn:states:cn-north-1:123456789012:activity:Approve",
                "activity:Approve",
            ),
        ] {
            assert_eq!(task_resource(&json!(arn)), short, "{arn}");
        }
    }

    #[test]
    fn other_resources_are_shown_as_written_or_as_task() {
        for text in [
            "MyFunction",
            "arn:aws:states:::",
            "arn:aws:states:::aws-sdk:",
            "arn:aws:s3:::bucket/key",
            "arn:other:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:123456789012:layer:Shared",
            "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
            "",
        ] {
            assert_eq!(task_resource(&json!(text)), text);
        }
        assert_eq!(task_resource(&json!({"Fn::GetAtt": ["Fn", "Arn"]})), "Task");
        assert_eq!(task_resource(&json!({"Ref": "Fn"})), "Task");
        assert_eq!(task_resource(&json!(null)), "Task");
    }

    #[test]
    fn jsonata_task_resources_are_ordinary_arns() {
        let task: crate::model::Task = serde_json::from_value(json!({
            "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "{% $fn %}"}
        }))
        .unwrap();
        assert_eq!(task_resource(&task.resource), "lambda:invoke");
    }

    #[test]
    fn comparisons_become_symbols() {
        for (operator, operand, text) in [
            ("StringEquals", json!("DONE"), r#"$.v == "DONE""#),
            ("StringLessThan", json!("b"), r#"$.v < "b""#),
            ("StringGreaterThan", json!("b"), r#"$.v > "b""#),
            ("StringLessThanEquals", json!("b"), r#"$.v <= "b""#),
            ("StringGreaterThanEquals", json!("b"), r#"$.v >= "b""#),
            (
                "StringMatches",
                json!("log-*.txt"),
                r#"$.v matches "log-*.txt""#,
            ),
            ("NumericEquals", json!(100), "$.v == 100"),
            ("NumericLessThan", json!(1.5), "$.v < 1.5"),
            ("NumericGreaterThan", json!(100), "$.v > 100"),
            ("NumericLessThanEquals", json!(-2), "$.v <= -2"),
            ("NumericGreaterThanEquals", json!(0), "$.v >= 0"),
            ("BooleanEquals", json!(true), "$.v == true"),
            ("BooleanEquals", json!(false), "$.v == false"),
            (
                "TimestampEquals",
                json!("2024-01-01T00:00:00Z"),
                r#"$.v == "2024-01-01T00:00:00Z""#,
            ),
            (
                "TimestampLessThan",
                json!("2024-01-01T00:00:00Z"),
                r#"$.v < "2024-01-01T00:00:00Z""#,
            ),
            (
                "TimestampGreaterThanEquals",
                json!("2024-01-01T00:00:00Z"),
                r#"$.v >= "2024-01-01T00:00:00Z""#,
            ),
            (
                "StringEquals",
                json!("say \"hi\""),
                r#"$.v == "say \"hi\"""#,
            ),
        ] {
            let value = json!({"Variable": "$.v", operator: operand, "Next": "N"});
            assert_eq!(rule(value), text, "{operator}");
        }
    }

    #[test]
    fn path_operands_are_unquoted() {
        for (operator, text) in [
            ("NumericGreaterThanPath", "$.a > $.b"),
            ("StringEqualsPath", "$.a == $.b"),
            ("BooleanEqualsPath", "$.a == $.b"),
            ("TimestampLessThanEqualsPath", "$.a <= $.b"),
            ("NumericGreaterThanEqualsPath", "$.a >= $.b"),
        ] {
            assert_eq!(rule(json!({"Variable": "$.a", operator: "$.b"})), text);
        }
    }

    #[test]
    fn type_tests_read_as_words_both_ways() {
        for (operator, word) in [
            ("IsPresent", "present"),
            ("IsNull", "null"),
            ("IsNumeric", "numeric"),
            ("IsString", "string"),
            ("IsBoolean", "boolean"),
            ("IsTimestamp", "timestamp"),
        ] {
            assert_eq!(
                rule(json!({"Variable": "$.x", operator: true})),
                format!("$.x is {word}")
            );
            assert_eq!(
                rule(json!({"Variable": "$.x", operator: false})),
                format!("$.x is not {word}")
            );
        }
    }

    #[test]
    fn variables_are_shown_as_written() {
        assert_eq!(
            rule(json!({"Variable": "$$.Execution.Input.x", "NumericEquals": 1})),
            "$$.Execution.Input.x == 1"
        );
        assert_eq!(
            rule(json!({"Variable": "$order.total", "NumericGreaterThan": 100})),
            "$order.total > 100"
        );
    }

    #[test]
    fn and_or_not_nest_with_parentheses_where_needed() {
        let nested = json!({
            "And": [
                {"Or": [
                    {"Variable": "$.a", "NumericGreaterThan": 1},
                    {"Variable": "$.b", "StringEquals": "x"}
                ]},
                {"Not": {"Variable": "$.c", "IsPresent": true}}
            ],
            "Next": "N"
        });
        assert_eq!(
            rule(nested),
            r#"($.a > 1 or $.b == "x") and not $.c is present"#
        );
        let not_or = json!({"Not": {"Or": [
            {"Variable": "$.a", "BooleanEquals": true},
            {"Variable": "$.b", "BooleanEquals": true}
        ]}});
        assert_eq!(rule(not_or), "not ($.a == true or $.b == true)");
        let flat = json!({"Or": [
            {"Variable": "$.a", "IsNull": true},
            {"And": [{"Variable": "$.b", "IsNull": false}]},
            {"Not": {"Not": {"Variable": "$.c", "NumericLessThan": 0}}}
        ]});
        assert_eq!(
            rule(flat),
            "$.a is null or $.b is not null or not not $.c < 0"
        );
    }

    #[test]
    fn conditions_show_the_expression_on_one_line() {
        assert_eq!(
            rule(json!({"Condition": "{% $states.input.total > 100 %}", "Next": "N"})),
            "$states.input.total > 100"
        );
        assert_eq!(
            rule(json!({"Condition": "{%\n  $order.total > 100\n  and\t$order.paid\n%}"})),
            "$order.total > 100 and $order.paid"
        );
        assert_eq!(rule(json!({"Condition": true})), "true");
        assert_eq!(rule(json!({"Condition": false})), "false");
    }

    #[test]
    fn expressions_lose_delimiters_and_line_breaks() {
        assert_eq!(
            expression("{% $count(\n  $states.input.items\n) %}"),
            "$count( $states.input.items )"
        );
        assert_eq!(expression("  $.items  "), "$.items");
        assert_eq!(expression("{%%}"), "");
    }

    #[test]
    fn unknown_and_broken_rules_do_not_panic() {
        assert_eq!(
            rule(json!({"Variable": "$.x", "NumericAlmostEquals": 3})),
            "$.x NumericAlmostEquals 3"
        );
        assert_eq!(
            rule(json!({"Variable": "$.x", "IsPresent": "yes"})),
            r#"$.x IsPresent "yes""#
        );
        assert_eq!(
            rule(json!({"Variable": "$.x", "StringMatchesPath": "$.p"})),
            r#"$.x StringMatchesPath "$.p""#
        );
        assert_eq!(
            rule(json!({"Variable": "$.x", "BooleanLessThan": true})),
            "$.x BooleanLessThan true"
        );
        assert_eq!(rule(json!({"NumericEquals": 1})), "? == 1");
        assert_eq!(
            rule(json!({"Variable": "$.a", "NumericEqualsPath": 3})),
            "$.a == 3"
        );
        assert_eq!(rule(json!({"Next": "N"})), "rule");
        assert_eq!(rule(json!({"Variable": "$.x"})), "rule");
        assert_eq!(rule(json!({"And": []})), "rule");
        assert_eq!(rule(json!({"Condition": 5})), "rule");
        assert_eq!(rule(json!({"Condition": "{%   %}"})), "rule");
        assert_eq!(rule(json!({"Condition": "{%}"})), "{%}");
        assert_eq!(
            rule(json!({"Or": [{"Next": "N"}, {"Variable": "$.a", "IsNull": true}]})),
            "rule or $.a is null"
        );
    }

    #[test]
    fn wait_forms() {
        assert_eq!(wait(json!({"Seconds": 10})), "10 s");
        assert_eq!(wait(json!({"Seconds": 2.5})), "2.5 s");
        assert_eq!(wait(json!({"Seconds": "{% $x %}"})), "$x s");
        assert_eq!(
            wait(json!({"Seconds": "{% $states.input.delay\n * 60 %}"})),
            "$states.input.delay * 60 s"
        );
        assert_eq!(wait(json!({"SecondsPath": "$.delay"})), "$.delay s");
        assert_eq!(
            wait(json!({"Timestamp": "2024-01-01T00:00:00Z"})),
            "until 2024-01-01T00:00:00Z"
        );
        assert_eq!(
            wait(json!({"Timestamp": "{% $states.input.when %}"})),
            "until $states.input.when"
        );
        assert_eq!(wait(json!({"TimestampPath": "$.when"})), "until $.when");
        assert_eq!(wait(json!({})), "Wait");
        assert_eq!(wait(json!({"Seconds": [1]})), "Wait");
    }

    #[test]
    fn retrier_lines_fill_in_defaults() {
        let lines = retriers(&retry(json!([
            {"ErrorEquals": ["States.TaskFailed", "Lambda.ServiceException"],
             "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2,
             "MaxDelaySeconds": 60, "JitterStrategy": "FULL"},
            {"ErrorEquals": ["States.ALL"]},
            {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0},
            {"ErrorEquals": ["Custom"], "MaxAttempts": 1, "BackoffRate": 1.5,
             "JitterStrategy": "NONE"}
        ])));
        assert_eq!(
            lines,
            [
                "States.TaskFailed, Lambda.ServiceException: 3 attempts, every 2 s × 2.0, at most 60 s, full jitter",
                "States.ALL: 3 attempts, every 1 s × 2.0",
                "States.Timeout: no retry",
                "Custom: 1 attempt, every 1 s × 1.5",
            ]
        );
        assert!(retriers(&[]).is_empty());
    }

    #[test]
    fn max_attempts_is_the_largest() {
        let policy = retry(json!([
            {"ErrorEquals": ["A"], "MaxAttempts": 5},
            {"ErrorEquals": ["B"]},
            {"ErrorEquals": ["C"], "MaxAttempts": 0}
        ]));
        assert_eq!(max_attempts(&policy), 5);
        assert_eq!(max_attempts(&policy[1..]), 3);
        assert_eq!(max_attempts(&policy[2..]), 0);
        assert_eq!(max_attempts(&[]), 0);
    }

    #[test]
    fn widths_follow_the_table() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(text_width("il.", 10.0, false), 8.4 * FALLBACK_MARGIN));
        assert!(close(text_width("mM", 10.0, false), 17.6 * FALLBACK_MARGIN));
        assert!(close(
            text_width("Ab9", 10.0, false),
            17.7 * FALLBACK_MARGIN
        ));
        assert!(close(
            text_width("a b", 10.0, false),
            14.2 * FALLBACK_MARGIN
        ));
        assert!(close(
            text_width("漢字", 12.0, false),
            24.0 * FALLBACK_MARGIN
        ));
        assert!(close(text_width("🚀", 12.0, false), 12.0 * FALLBACK_MARGIN));
        // A decomposed `é` is as wide as `e`; a variation selector adds nothing.
        assert!(close(
            text_width("e\u{301}", 10.0, false),
            5.3 * FALLBACK_MARGIN
        ));
        assert!(close(
            text_width("❤\u{FE0F}", 10.0, false),
            10.0 * FALLBACK_MARGIN
        ));
        assert!(close(
            text_width("x", 10.0, true),
            5.3 * 1.07 * FALLBACK_MARGIN
        ));
        assert_eq!(text_width("", 12.0, true), 0.0);
        assert_eq!(
            text_width("ProcessOrder", 13.0, false),
            text_width("ProcessOrder", 13.0, false)
        );
    }

    #[test]
    fn widths_grow_with_text_and_weight() {
        let mut text = String::new();
        for c in "Process payment: $.total > 100 — 漢字 🚀".chars() {
            let before = text_width(&text, 12.0, false);
            text.push(c);
            assert!(text_width(&text, 12.0, false) > before, "{text}");
            assert!(text_width(&text, 12.0, true) > text_width(&text, 12.0, false));
        }
        assert!(text_width("abc", 14.0, false) > text_width("abc", 12.0, false));
    }

    /// Every line fits, or holds one character (with the marks drawn over it).
    fn assert_fits(wrapped: &Wrapped, max_width: f64, size: f64, bold: bool) {
        for line in &wrapped.lines {
            let visible = line.chars().filter(|&c| advance(c) > 0.0).count();
            assert!(
                text_width(line, size, bold) <= max_width || visible == 1,
                "{line:?} is wider than {max_width}: {wrapped:?}"
            );
        }
    }

    #[test]
    fn wrap_breaks_camel_case() {
        let wrapped = wrap(
            "ProcessPaymentAndNotify",
            100.0 * FALLBACK_MARGIN,
            12.0,
            false,
            3,
        );
        assert_eq!(wrapped.lines, ["ProcessPayment", "AndNotify"]);
        assert!(!wrapped.truncated);
        assert_fits(&wrapped, 100.0 * FALLBACK_MARGIN, 12.0, false);
    }

    #[test]
    fn wrap_prefers_spaces_and_separators() {
        let wrapped = wrap(
            "Validate the order input",
            100.0 * FALLBACK_MARGIN,
            12.0,
            false,
            3,
        );
        assert_eq!(wrapped.lines, ["Validate the order", "input"]);
        let wrapped = wrap(
            "arn:aws:states:::dynamodb:putItem",
            120.0 * FALLBACK_MARGIN,
            12.0,
            false,
            3,
        );
        assert_eq!(wrapped.lines, ["arn:aws:states:::", "dynamodb:putItem"]);
        let wrapped = wrap("Short", 100.0 * FALLBACK_MARGIN, 12.0, true, 2);
        assert_eq!(wrapped.lines, ["Short"]);
        assert!(!wrapped.truncated);
    }

    #[test]
    fn wrap_breaks_a_long_token_at_the_character_that_fits() {
        let wrapped = wrap(
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            60.0 * FALLBACK_MARGIN,
            10.0,
            false,
            5,
        );
        // 0.53 em × 10 px: 11 characters fit in 60 px.
        assert_eq!(wrapped.lines, ["aaaaaaaaaaa", "aaaaaaaaaaa", "aaaaaaaa"]);
        assert_fits(&wrapped, 60.0 * FALLBACK_MARGIN, 10.0, false);
    }

    #[test]
    fn wrap_truncates_with_an_ellipsis() {
        let text = "Send the confirmation email to the customer and wait for the reply";
        let wrapped = wrap(text, 90.0, 12.0, false, 2);
        assert!(wrapped.truncated);
        assert_eq!(wrapped.lines.len(), 2);
        assert!(wrapped.lines[1].ends_with('…'));
        assert!(!wrapped.lines[0].ends_with('…'));
        assert_fits(&wrapped, 90.0 * FALLBACK_MARGIN, 12.0, false);
        assert_eq!(wrapped.lines[0], "Send the");
        assert!(text_width(&wrapped.lines[1], 12.0, false) <= 90.0 * FALLBACK_MARGIN);

        let one = wrap(
            "ProcessPaymentAndNotify",
            100.0 * FALLBACK_MARGIN,
            12.0,
            true,
            0,
        );
        assert_eq!(one.lines.len(), 1);
        assert!(one.truncated);
        assert!(one.lines[0].starts_with("Process") && one.lines[0].ends_with('…'));
        assert_fits(&one, 100.0 * FALLBACK_MARGIN, 12.0, true);
    }

    #[test]
    fn wrap_handles_wide_scripts_and_emoji() {
        let wrapped = wrap(
            "注文を処理して通知する🚀🚀🚀",
            50.0 * FALLBACK_MARGIN,
            10.0,
            false,
            4,
        );
        assert_eq!(wrapped.lines, ["注文を処理", "して通知す", "る🚀🚀🚀"]);
        assert!(!wrapped.truncated);
        let cut = wrap("🚀🚀🚀🚀🚀🚀🚀🚀", 30.0 * FALLBACK_MARGIN, 10.0, false, 1);
        assert_eq!(cut.lines, ["🚀🚀…"]);
        assert!(cut.truncated);
        // Too narrow for one character: each goes alone, marks stay with their letter.
        let narrow = wrap("e\u{301}漢", 1.0 * FALLBACK_MARGIN, 10.0, false, 3);
        assert_eq!(narrow.lines, ["e\u{301}", "漢"]);
        assert_fits(&narrow, 1.0 * FALLBACK_MARGIN, 10.0, false);
    }

    #[test]
    fn wrap_edge_cases() {
        let empty = wrap("", 100.0 * FALLBACK_MARGIN, 12.0, false, 2);
        assert_eq!(empty.lines, [""]);
        assert!(!empty.truncated);
        assert_eq!(
            wrap("   ", 100.0 * FALLBACK_MARGIN, 12.0, false, 2).lines,
            [""]
        );
        assert_eq!(
            wrap("a\nb", 100.0 * FALLBACK_MARGIN, 12.0, false, 2).lines,
            ["a\nb"]
        );
        assert_eq!(
            wrap("word   ", 30.0 * FALLBACK_MARGIN, 10.0, false, 2).lines,
            ["word"]
        );
        let nothing_fits = wrap("abc", 0.0 * FALLBACK_MARGIN, 12.0, false, 1);
        assert_eq!(nothing_fits.lines, ["…"]);
        assert!(nothing_fits.truncated);
        let nan = wrap("abc def", f64::NAN, 12.0, false, 2);
        assert!(nan.truncated && nan.lines.len() == 2);
    }

    /// Checks that `wrapped` is `text` with only whitespace at line breaks removed, cut short
    /// (before the final `…`) only when truncated.
    fn assert_renders(text: &str, wrapped: &Wrapped, max_lines: usize) {
        assert!(!wrapped.lines.is_empty() && wrapped.lines.len() <= max_lines.max(1));
        let mut rest = text;
        for (i, line) in wrapped.lines.iter().enumerate() {
            let last = i + 1 == wrapped.lines.len();
            if i > 0 {
                assert!(!line.starts_with(char::is_whitespace), "{wrapped:?}");
                rest = rest.trim_start();
            }
            if last && wrapped.truncated {
                let kept = line.strip_suffix('…').expect("ends with …");
                assert!(
                    rest.starts_with(kept),
                    "{kept:?} is not a start of {rest:?}"
                );
                assert!(kept.trim_end().len() == kept.len());
                return;
            }
            assert!(!line.is_empty() || text.trim().is_empty(), "{wrapped:?}");
            rest = rest
                .strip_prefix(line.as_str())
                .unwrap_or_else(|| panic!("{line:?} does not follow in {text:?}: {wrapped:?}"));
        }
        assert!(rest.trim().is_empty(), "{rest:?} left over from {text:?}");
    }

    #[test]
    fn wrap_keeps_generated_text_within_width() {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "z",
            "m",
            "W",
            "I",
            "X",
            "Order",
            "process",
            "Payment",
            " ",
            " ",
            "  ",
            "-",
            "_",
            ".",
            "/",
            ":",
            "$",
            "%",
            "@",
            "1",
            "0",
            "漢",
            "字",
            "🚀",
            "❤\u{FE0F}",
            "e\u{301}",
            "é",
            "\n",
            "…",
            "ß",
            "Ω",
            "aB",
            "{%",
            "%}",
            "\"",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        for case in 0..400 {
            let mut text = String::new();
            for _ in 0..next(40) {
                text.push_str(PIECES[next(PIECES.len())]);
            }
            let max_width = [4.0, 20.0, 45.5, 80.0, 140.0, 300.0][next(6)];
            let size = [9.0, 12.0, 14.5][next(3)];
            let bold = next(2) == 1;
            let max_lines = next(5);
            let wrapped = wrap(&text, max_width, size, bold, max_lines);
            assert_fits(&wrapped, max_width, size, bold);
            assert_renders(&text, &wrapped, max_lines);
            assert_eq!(
                wrapped,
                wrap(&text, max_width, size, bold, max_lines),
                "{case}"
            );
        }
    }
}
