//! Choice rules in JSONPath mode, evaluated the way AWS Step Functions does.
//!
//! What AWS does, as recorded executions and its documentation show:
//!
//! * A comparison whose `Variable` holds a value of the wrong type is false, never an error
//!   (`NumericEquals` on `"1"`, `StringEquals` on `null`, `BooleanEquals` on `0`).
//! * A `Variable` that selects nothing fails the state with `States.Runtime`, except under
//!   `IsPresent`, which exists to test exactly that. The same holds for the operand path of a
//!   `*Path` operator.
//! * Numbers compare by value: `1` equals `1.0`.
//! * Strings order by UTF-16 code units, as Java's `String.compareTo` does.
//! * `StringMatches` knows one wildcard, `*`; `\*` is a literal star and `\\` a literal backslash.
//! * Timestamps are RFC 3339 with an uppercase `T` and an uppercase `Z` or a numeric offset;
//!   fractional seconds of any length are allowed. They compare as instants.
//! * `And` and `Or` stop at the first rule that decides them, so a later rule may rely on an
//!   earlier `IsPresent`.

use std::cmp::Ordering;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde_json::{Number, Value};

use super::{Failure, Resolve};
use crate::model::ChoiceRule;
use crate::syntax::Path;

/// Whether a JSONPath-mode Choice rule (comparison, And, Or, Not) matches. `resolve` evaluates
/// paths (the `Variable` and the operand of `*Path` operators) against the state's effective
/// input, context object and variables; Ok(None) means the path selects nothing.
pub(super) fn matches(rule: &ChoiceRule, resolve: &Resolve) -> Result<bool, Failure> {
    if let Some(rules) = &rule.and {
        for rule in rules {
            if !matches(rule, resolve)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(rules) = &rule.or {
        for rule in rules {
            if matches(rule, resolve)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(rule) = &rule.not {
        return Ok(!matches(rule, resolve)?);
    }
    compare(rule, resolve)
}

/// What a comparison operator tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    /// `String*`, `Numeric*` and `Timestamp*` orderings and equalities.
    Order(Kind, Relation),
    BooleanEquals,
    StringMatches,
    /// `IsBoolean`, `IsNull`, … with the expected answer as the operand.
    Is(Type),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Numeric,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Boolean,
    Null,
    Numeric,
    Present,
    String,
    Timestamp,
}

impl Relation {
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Relation::Equals => ordering.is_eq(),
            Relation::LessThan => ordering.is_lt(),
            Relation::GreaterThan => ordering.is_gt(),
            Relation::LessThanEquals => ordering.is_le(),
            Relation::GreaterThanEquals => ordering.is_ge(),
        }
    }
}

/// Reads an operator name; the flag says whether it is a `*Path` variant.
fn operator(name: &str) -> Option<(Test, bool)> {
    let (base, path) = match name.strip_suffix("Path") {
        Some(base) => (base, true),
        None => (name, false),
    };
    let test = match base {
        "BooleanEquals" => Test::BooleanEquals,
        "StringMatches" if !path => Test::StringMatches,
        "IsBoolean" if !path => Test::Is(Type::Boolean),
        "IsNull" if !path => Test::Is(Type::Null),
        "IsNumeric" if !path => Test::Is(Type::Numeric),
        "IsPresent" if !path => Test::Is(Type::Present),
        "IsString" if !path => Test::Is(Type::String),
        "IsTimestamp" if !path => Test::Is(Type::Timestamp),
        _ => {
            let (kind, relation) = if let Some(rest) = base.strip_prefix("String") {
                (Kind::String, rest)
            } else if let Some(rest) = base.strip_prefix("Numeric") {
                (Kind::Numeric, rest)
            } else if let Some(rest) = base.strip_prefix("Timestamp") {
                (Kind::Timestamp, rest)
            } else {
                return None;
            };
            let relation = match relation {
                "Equals" => Relation::Equals,
                "LessThan" => Relation::LessThan,
                "GreaterThan" => Relation::GreaterThan,
                "LessThanEquals" => Relation::LessThanEquals,
                "GreaterThanEquals" => Relation::GreaterThanEquals,
                _ => return None,
            };
            Test::Order(kind, relation)
        }
    };
    Some((test, path))
}

/// AWS's cause when a `Variable` or `*Path` operand selects nothing.
fn invalid_path(text: &str) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{text}': The choice state's condition path references an invalid value."
    ))
}

/// Evaluates `text` as a path; a text that is not a path is an odd definition, reported as such.
fn select(text: &str, resolve: &Resolve) -> Result<Option<Value>, Failure> {
    let path = Path::parse(text)
        .map_err(|error| Failure::runtime(format!("Invalid path '{text}': {}", error.message)))?;
    resolve(&path)
}

fn compare(rule: &ChoiceRule, resolve: &Resolve) -> Result<bool, Failure> {
    let Some((name, operand, (test, is_path))) = rule
        .comparison
        .iter()
        .find_map(|(name, operand)| operator(name).map(|op| (name, operand, op)))
    else {
        return Err(Failure::runtime(
            "The Choice rule has no comparison operator, And, Or or Not.",
        ));
    };
    let Some(variable) = &rule.variable else {
        return Err(Failure::runtime(format!(
            "The Choice rule's {name} comparison has no Variable."
        )));
    };
    let value = select(variable, resolve)?;
    if test == Test::Is(Type::Present) {
        let expected = expect_bool(name, operand)?;
        return Ok(value.is_some() == expected);
    }
    let Some(value) = value else {
        return Err(invalid_path(variable));
    };
    if is_path {
        let Some(text) = operand.as_str() else {
            return Err(Failure::runtime(format!(
                "The value of {name} must be a path, found {operand}."
            )));
        };
        let Some(resolved) = select(text, resolve)? else {
            return Err(invalid_path(text));
        };
        // An operand of the wrong type, read from the input, is a mismatch like any other.
        return Ok(evaluate(test, &value, &resolved).unwrap_or(false));
    }
    evaluate(test, &value, operand).ok_or_else(|| {
        let wanted = match test {
            Test::Order(Kind::String, _) | Test::StringMatches => "a string",
            Test::Order(Kind::Numeric, _) => "a number",
            Test::Order(Kind::Timestamp, _) => "an RFC 3339 timestamp",
            Test::BooleanEquals | Test::Is(_) => "a boolean",
        };
        Failure::runtime(format!(
            "The value of {name} must be {wanted}, found {operand}."
        ))
    })
}

fn expect_bool(name: &str, operand: &Value) -> Result<bool, Failure> {
    operand.as_bool().ok_or_else(|| {
        Failure::runtime(format!(
            "The value of {name} must be a boolean, found {operand}."
        ))
    })
}

/// The outcome of `test` on `value` against `operand`, or `None` when the operand itself is not
/// of the operator's type. A `value` of the wrong type is simply no match.
fn evaluate(test: Test, value: &Value, operand: &Value) -> Option<bool> {
    Some(match test {
        Test::Order(Kind::String, relation) => {
            let operand = operand.as_str()?;
            value
                .as_str()
                .is_some_and(|value| relation.holds(utf16_cmp(value, operand)))
        }
        Test::Order(Kind::Numeric, relation) => {
            let Value::Number(operand) = operand else {
                return None;
            };
            match value {
                Value::Number(value) => {
                    compare_numbers(value, operand).is_some_and(|ordering| relation.holds(ordering))
                }
                _ => false,
            }
        }
        Test::Order(Kind::Timestamp, relation) => {
            let operand = operand.as_str().and_then(parse_timestamp)?;
            value
                .as_str()
                .and_then(parse_timestamp)
                .is_some_and(|value| relation.holds(value.cmp(&operand)))
        }
        Test::BooleanEquals => {
            let operand = operand.as_bool()?;
            value.as_bool() == Some(operand)
        }
        Test::StringMatches => {
            let pattern = operand.as_str()?;
            value
                .as_str()
                .is_some_and(|value| wildcard_match(pattern, value))
        }
        Test::Is(kind) => {
            let expected = operand.as_bool()?;
            let actual = match kind {
                Type::Boolean => value.is_boolean(),
                Type::Null => value.is_null(),
                Type::Numeric => value.is_number(),
                Type::Present => true,
                Type::String => value.is_string(),
                Type::Timestamp => value.as_str().and_then(parse_timestamp).is_some(),
            };
            actual == expected
        }
    })
}

/// Java's `String.compareTo`: lexicographic by UTF-16 code units, so a character above U+FFFF
/// (a surrogate pair) sorts before U+E000..U+FFFF.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Compares two JSON numbers by value: exactly when both are integers, as doubles otherwise.
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    fn integer(n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// One piece of a `StringMatches` pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Any,
    Char(char),
}

/// Splits a pattern into literal characters and `*` wildcards. `\*` and `\\` stand for the
/// character after the backslash; any other backslash is itself.
fn pieces(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => pieces.push(Piece::Any),
            '\\' => match chars.peek() {
                Some(&next @ ('*' | '\\')) => {
                    chars.next();
                    pieces.push(Piece::Char(next));
                }
                _ => pieces.push(Piece::Char('\\')),
            },
            c => pieces.push(Piece::Char(c)),
        }
    }
    pieces
}

/// Whether the whole of `text` matches `pattern`. Greedy with one backtrack point (the last
/// `*`), which is enough for patterns whose only wildcard matches any run: O(pattern × text).
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern = pieces(pattern);
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // After the last `*` seen: the pattern position after it and the text position it resumes at.
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Piece::Any) => {
                p += 1;
                resume = Some((p, t));
            }
            Some(Piece::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match resume {
                Some((after_star, from)) => {
                    p = after_star;
                    t = from + 1;
                    resume = Some((after_star, from + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|piece| *piece == Piece::Any)
}

/// Reads a timestamp as AWS accepts it, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, and returns
/// the instant in UTC. Lowercase `t` or `z`, a space separator, a missing zone, second 60 and
/// impossible dates are not timestamps. Digits beyond nanoseconds are dropped.
fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<u32> {
        let slice = b.get(from..from + len)?;
        slice.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let punct = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(punct(4, b'-') && punct(7, b'-') && punct(10, b'T') && punct(13, b':') && punct(16, b':'))
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0, 4)?).ok()?,
        digits(5, 2)?,
        digits(8, 2)?,
    )?;
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let mut at = 19;
    let mut nanos = 0u32;
    if punct(at, b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(b[at] - b'0');
            }
            at += 1;
        }
        let len = at - start;
        if len == 0 {
            return None;
        }
        for _ in len..9 {
            nanos *= 10;
        }
    }
    let offset_seconds = match b.get(at)? {
        b'Z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && punct(at + 3, b':') => {
            let (hours, minutes) = (digits(at + 1, 2)?, digits(at + 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    NaiveDateTime::new(date, time).checked_sub_signed(TimeDelta::seconds(offset_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Root, Segment, Selector};
    use serde_json::json;

    /// Evaluates `rule` against `input`, with `$$.Execution.Input` holding the input and the
    /// variables `$answer` = "yes" and `$count` = 3. The resolver walks definite paths only.
    fn eval(rule: Value, input: Value) -> Result<bool, Failure> {
        let rule: ChoiceRule = serde_json::from_value(rule).expect("a Choice rule");
        let context = json!({"Execution": {"Input": input.clone()}});
        let variables = json!({"answer": "yes", "count": 3});
        let resolve = |path: &Path| -> Result<Option<Value>, Failure> {
            let mut node = match &path.root {
                Root::Input => &input,
                Root::Context => &context,
                Root::Variable(name) => match variables.get(name) {
                    Some(value) => value,
                    None => return Ok(None),
                },
            };
            for segment in &path.segments {
                let next = match segment {
                    Segment::Child(Selector::Name(name)) => node.get(name),
                    Segment::Child(Selector::Index(i)) => {
                        usize::try_from(*i).ok().and_then(|i| node.get(i))
                    }
                    _ => return Err(Failure::runtime("not a definite path")),
                };
                match next {
                    Some(value) => node = value,
                    None => return Ok(None),
                }
            }
            Ok(Some(node.clone()))
        };
        matches(&rule, &resolve)
    }

    /// `eval` with the rule `{"Variable": "$.v", op: operand}` and input `{"v": value}`.
    fn check(op: &str, operand: Value, value: Value) -> bool {
        eval(json!({"Variable": "$.v", op: operand}), json!({"v": value}))
            .unwrap_or_else(|f| panic!("{op} {operand} on {value}: {f:?}"))
    }

    /// `eval` of `{"Variable": "$.v", "<op>Path": "$.o"}` on input `{"v": value, "o": operand}`.
    fn check_path(op: &str, value: Value, operand: Value) -> bool {
        let op = format!("{op}Path");
        eval(
            json!({"Variable": "$.v", op.clone(): "$.o"}),
            json!({"v": value, "o": operand}),
        )
        .unwrap_or_else(|f| panic!("{op} on {value}, {operand}: {f:?}"))
    }

    fn mixed_values() -> Vec<Value> {
        vec![
            json!(null),
            json!(0),
            json!(0.0),
            json!(1),
            json!(1.1),
            json!(""),
            json!(" "),
            json!("HelloWorld"),
            json!("2012-10-09T19:00:55Z"),
            json!([]),
            json!([""]),
            json!({}),
            json!({"A": 0}),
            json!(false),
            json!(true),
        ]
    }

    #[test]
    fn is_operators_test_the_json_type() {
        for value in mixed_values() {
            let cases = [
                ("IsNull", value.is_null()),
                ("IsBoolean", value.is_boolean()),
                ("IsNumeric", value.is_number()),
                ("IsString", value.is_string()),
                ("IsPresent", true),
                ("IsTimestamp", value == json!("2012-10-09T19:00:55Z")),
            ];
            for (op, truth) in cases {
                assert_eq!(
                    check(op, json!(true), value.clone()),
                    truth,
                    "{op} true on {value}"
                );
                assert_eq!(
                    check(op, json!(false), value.clone()),
                    !truth,
                    "{op} false on {value}"
                );
            }
        }
    }

    #[test]
    fn is_present_on_a_missing_path() {
        let missing = |operand: bool| {
            eval(
                json!({"Variable": "$.nope.deeper", "IsPresent": operand}),
                json!({"v": 1}),
            )
        };
        assert_eq!(missing(true), Ok(false));
        assert_eq!(missing(false), Ok(true));
        // null is present.
        assert!(check("IsPresent", json!(true), json!(null)));
    }

    #[test]
    fn a_missing_variable_fails_every_other_operator() {
        for (op, operand) in [
            ("IsNull", json!(true)),
            ("IsString", json!(false)),
            ("NumericEquals", json!(1)),
            ("StringEquals", json!("a")),
            ("BooleanEquals", json!(true)),
            ("StringMatches", json!("*")),
            ("TimestampEquals", json!("2016-08-18T17:33:00Z")),
            ("NumericEqualsPath", json!("$.v")),
        ] {
            let result = eval(
                json!({"Variable": "$.missing", op: operand}),
                json!({"v": 1}),
            );
            assert_eq!(
                result,
                Err(Failure::runtime(
                    "Invalid path '$.missing': The choice state's condition path references an invalid value."
                )),
                "{op}"
            );
        }
    }

    #[test]
    fn a_missing_operand_path_fails() {
        let result = eval(
            json!({"Variable": "$.v", "NumericEqualsPath": "$.other"}),
            json!({"v": 1}),
        );
        let failure = result.unwrap_err();
        assert_eq!(failure.error, "States.Runtime");
        assert_eq!(
            failure.cause,
            "Invalid path '$.other': The choice state's condition path references an invalid value."
        );
    }

    #[test]
    fn boolean_equals_only_matches_booleans() {
        for value in mixed_values() {
            for operand in [true, false] {
                let truth = value.as_bool() == Some(operand);
                assert_eq!(check("BooleanEquals", json!(operand), value.clone()), truth);
                assert_eq!(
                    check_path("BooleanEquals", value.clone(), json!(operand)),
                    truth
                );
            }
        }
    }

    #[test]
    fn numeric_equals_compares_values_not_spellings() {
        for value in mixed_values() {
            for operand in [json!(0), json!(0.0), json!(1), json!(1.0)] {
                let truth = value.as_f64().is_some() && value.as_f64() == operand.as_f64();
                assert_eq!(
                    check("NumericEquals", operand.clone(), value.clone()),
                    truth
                );
                assert_eq!(check_path("NumericEquals", value.clone(), operand), truth);
            }
        }
        assert!(check("NumericEquals", json!(2.22), json!(2.22)));
        assert!(check("NumericEquals", json!(-3), json!(-3.0)));
        assert!(!check("NumericEquals", json!(1), json!("1")));
        assert!(!check("NumericEquals", json!(0), json!(false)));
        // Large integers compare exactly.
        assert!(!check(
            "NumericEquals",
            json!(9_007_199_254_740_993u64),
            json!(9_007_199_254_740_992u64)
        ));
        assert!(check("NumericEquals", json!(u64::MAX), json!(u64::MAX)));
    }

    #[test]
    fn numeric_orderings() {
        let table = [
            ("NumericLessThan", [false, true, false]),
            ("NumericGreaterThan", [false, false, true]),
            ("NumericLessThanEquals", [true, true, false]),
            ("NumericGreaterThanEquals", [true, false, true]),
        ];
        // (value, operand): equal, less, greater.
        let pairs = [
            (json!(1), json!(1.0)),
            (json!(-0.5), json!(0)),
            (json!(10), json!(9.99)),
        ];
        for (op, expected) in table {
            for ((value, operand), truth) in pairs.iter().zip(expected) {
                assert_eq!(
                    check(op, operand.clone(), value.clone()),
                    truth,
                    "{op} {value} {operand}"
                );
                assert_eq!(
                    check_path(op, value.clone(), operand.clone()),
                    truth,
                    "{op}Path"
                );
            }
            assert!(!check(op, json!(1), json!("1")), "{op} on a string");
            assert!(!check(op, json!(1), json!(null)), "{op} on null");
        }
    }

    #[test]
    fn path_operands_of_the_wrong_type_do_not_match() {
        assert!(!check_path("NumericEquals", json!(1), json!("1")));
        assert!(!check_path(
            "NumericLessThan",
            json!(1),
            json!({"value": 8})
        ));
        assert!(!check_path("StringEquals", json!("1"), json!(1)));
        assert!(!check_path("BooleanEquals", json!(true), json!("true")));
        assert!(!check_path(
            "TimestampEquals",
            json!("2016-08-18T17:33:00Z"),
            json!("soon")
        ));
    }

    #[test]
    fn string_equals_is_exact() {
        for value in mixed_values() {
            let truth = value == json!("HelloWorld");
            assert_eq!(
                check("StringEquals", json!("HelloWorld"), value.clone()),
                truth
            );
        }
        assert!(!check("StringEquals", json!("     "), json!(" ")));
        assert!(!check("StringEquals", json!("\t\r\n"), json!("\t\n")));
        assert!(check_path("StringEquals", json!("Hello"), json!("Hello")));
        assert!(!check_path("StringEquals", json!("Hello"), json!("hello")));
        // A timestamp is a string too.
        assert!(check(
            "StringEquals",
            json!("2016-08-18T17:33:00Z"),
            json!("2016-08-18T17:33:00Z")
        ));
    }

    #[test]
    fn string_orderings() {
        // (value, operand, [LessThan, GreaterThan, LessThanEquals, GreaterThanEquals]).
        let rows = [
            ("", "", [false, false, true, true]),
            ("A", "AB", [true, false, true, false]),
            ("AB", "A", [false, true, false, true]),
            ("A", "A ", [true, false, true, false]),
            ("A", "A\t\n\r", [true, false, true, false]),
            ("AB", "ABC", [true, false, true, false]),
            ("B", "a", [true, false, true, false]),
        ];
        let ops = [
            "StringLessThan",
            "StringGreaterThan",
            "StringLessThanEquals",
            "StringGreaterThanEquals",
        ];
        for (value, operand, expected) in rows {
            for (op, truth) in ops.into_iter().zip(expected) {
                assert_eq!(
                    check(op, json!(operand), json!(value)),
                    truth,
                    "{value:?} {op} {operand:?}"
                );
                assert_eq!(
                    check_path(op, json!(value), json!(operand)),
                    truth,
                    "{op}Path"
                );
            }
        }
        for op in ops {
            assert!(!check(op, json!("A"), json!(1)), "{op} on a number");
        }
    }

    #[test]
    fn strings_order_by_utf16_code_units() {
        // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF5E in UTF-16 although
        // its code point is larger.
        assert!(check(
            "StringLessThan",
            json!("\u{FF5E}"),
            json!("\u{1F600}")
        ));
        assert!(check(
            "StringGreaterThan",
            json!("\u{1F600}"),
            json!("\u{FF5E}")
        ));
        // No Unicode normalisation: "e" and a combining accent sort before "é".
        assert!(check("StringLessThan", json!("\u{E9}"), json!("e\u{301}")));
    }

    #[test]
    fn string_matches_wildcards_and_escapes() {
        let cases = [
            ("log-*.txt", "log-2024.txt", true),
            ("log-*.txt", "log-.txt", true),
            ("log-*.txt", "log-2024.txt.bak", false),
            ("*", "", true),
            ("*", "anything", true),
            ("", "", true),
            ("", "x", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "abcb", false),
            ("*ab", "aab", true),
            ("**x", "yyx", true),
            ("foo", "foo", true),
            ("foo", "Foo", false),
            ("f.o", "foo", false),
            ("a?c", "abc", false),
            ("a?c", "a?c", true),
            (r"\*", "*", true),
            (r"\*", "x", false),
            (r"a\*b", "a*b", true),
            (r"a\*b", "aXb", false),
            (r"\\", r"\", true),
            (r"\\*", r"\anything", true),
            (r"\\\*", r"\*", true),
            (r"a\b", r"a\b", true),
            (r"end\", r"end\", true),
            ("héllo*", "héllo wörld", true),
        ];
        for (pattern, text, truth) in cases {
            assert_eq!(
                check("StringMatches", json!(pattern), json!(text)),
                truth,
                "{pattern:?} on {text:?}"
            );
        }
        assert!(!check("StringMatches", json!("*"), json!(1)));
        assert!(!check("StringMatches", json!("*"), json!(null)));
    }

    #[test]
    fn timestamp_formats() {
        let accepted = [
            "2016-08-18T17:33:00Z",
            "2016-08-18T17:33:00.5Z",
            "2016-03-05T21:29:29.243167252Z",
            "2016-03-05T21:29:29.2431672529999Z",
            "2016-08-18T17:33:00+02:00",
            "2016-08-18T17:33:00.000-05:30",
            "2024-02-29T23:59:59Z",
        ];
        let rejected = [
            "2016-08-18t17:33:00Z",
            "2016-08-18T17:33:00z",
            "2016-08-18 17:33:00Z",
            "2016-08-18T17:33:00",
            "2016-08-18T17:33:00.000000",
            "2016-08-18T17:33:00.Z",
            "2016-08-18T17:33Z",
            "2016-08-18",
            "2016-08-18T17:33:00+0200",
            "2016-08-18T17:33:00+02",
            "2016-08-18T17:33:60Z",
            "2016-08-18T24:00:00Z",
            "2023-02-29T00:00:00Z",
            "2016-13-01T00:00:00Z",
            "2016-08-18T17:33:00Z ",
            "2023-02-24 12:15:56.832957",
            "+2016-08-18T17:33:00Z",
            "",
        ];
        for text in accepted {
            assert!(check("IsTimestamp", json!(true), json!(text)), "{text}");
        }
        for text in rejected {
            assert!(!check("IsTimestamp", json!(true), json!(text)), "{text}");
        }
    }

    #[test]
    fn timestamps_compare_as_instants() {
        let t0 = "2012-10-09T19:00:55Z";
        let t1 = "2012-10-09T19:00:56Z";
        // (value, operand, [Equals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals]).
        let rows = [
            (t0, t0, [true, false, false, true, true]),
            (t0, t1, [false, true, false, true, false]),
            (t1, t0, [false, false, true, false, true]),
            (
                "2012-10-09T21:00:55+02:00",
                t0,
                [true, false, false, true, true],
            ),
            (
                "2012-10-09T19:00:55.000Z",
                t0,
                [true, false, false, true, true],
            ),
            (
                "2012-10-09T19:00:55.001Z",
                t0,
                [false, false, true, false, true],
            ),
            (
                "2012-10-09T18:00:55-01:00",
                t1,
                [false, true, false, true, false],
            ),
        ];
        let ops = [
            "TimestampEquals",
            "TimestampLessThan",
            "TimestampGreaterThan",
            "TimestampLessThanEquals",
            "TimestampGreaterThanEquals",
        ];
        for (value, operand, expected) in rows {
            for (op, truth) in ops.into_iter().zip(expected) {
                assert_eq!(
                    check(op, json!(operand), json!(value)),
                    truth,
                    "{value} {op} {operand}"
                );
                assert_eq!(
                    check_path(op, json!(value), json!(operand)),
                    truth,
                    "{op}Path"
                );
            }
        }
        // Anything that is not a timestamp string is no match.
        for value in mixed_values()
            .into_iter()
            .chain([json!("2012-10-09T19:00:55z")])
        {
            if value != json!(t0) {
                for op in ops {
                    assert!(!check(op, json!(t0), value.clone()), "{op} on {value}");
                }
            }
        }
    }

    #[test]
    fn and_or_not_short_circuit() {
        let present_and_equal = json!({"And": [
            {"Variable": "$.k", "IsPresent": true},
            {"Variable": "$.k", "StringEquals": "foo"}
        ]});
        assert_eq!(eval(present_and_equal.clone(), json!({})), Ok(false));
        assert_eq!(
            eval(present_and_equal.clone(), json!({"k": "foo"})),
            Ok(true)
        );
        assert_eq!(eval(present_and_equal, json!({"k": "bar"})), Ok(false));

        let absent_or_null = json!({"Or": [
            {"Variable": "$.k", "IsPresent": false},
            {"Variable": "$.k", "IsNull": true},
            {"Variable": "$.k", "BooleanEquals": false}
        ]});
        assert_eq!(eval(absent_or_null.clone(), json!({})), Ok(true));
        assert_eq!(eval(absent_or_null.clone(), json!({"k": null})), Ok(true));
        assert_eq!(eval(absent_or_null.clone(), json!({"k": false})), Ok(true));
        assert_eq!(eval(absent_or_null, json!({"k": true})), Ok(false));

        // Without the guard, the missing path fails.
        let unguarded = json!({"Or": [
            {"Variable": "$.k", "StringEquals": "foo"},
            {"Variable": "$.k", "IsPresent": false}
        ]});
        assert!(eval(unguarded, json!({})).is_err());

        let not = json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}});
        assert_eq!(eval(not.clone(), json!({"type": "Private"})), Ok(false));
        assert_eq!(eval(not.clone(), json!({"type": "Public"})), Ok(true));
        assert!(eval(not, json!({})).is_err());
    }

    #[test]
    fn nested_rules() {
        // The AWS documentation's example.
        let twenties = json!({"And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30}
        ]});
        assert_eq!(eval(twenties.clone(), json!({"value": 22})), Ok(true));
        assert_eq!(eval(twenties.clone(), json!({"value": 30})), Ok(false));
        assert_eq!(eval(twenties, json!({"value": "22"})), Ok(false));

        let deep = json!({"Not": {"Or": [
            {"And": [
                {"Variable": "$", "IsNumeric": true},
                {"Variable": "$", "NumericEquals": 3}
            ]},
            {"Not": {"Variable": "$", "IsPresent": true}}
        ]}});
        assert_eq!(eval(deep.clone(), json!(3)), Ok(false));
        assert_eq!(eval(deep.clone(), json!(4)), Ok(true));
        assert_eq!(eval(deep, json!("3")), Ok(true));

        let singleton = json!({"And": [{"Variable": "$.type", "StringEquals": "Public"}]});
        assert_eq!(eval(singleton, json!({"type": "Public"})), Ok(true));
    }

    #[test]
    fn context_and_variable_paths() {
        let rule = json!({"Variable": "$$.Execution.Input.n", "NumericLessThanEquals": 0});
        assert_eq!(eval(rule, json!({"n": 0})), Ok(true));
        let rule = json!({"Variable": "$answer", "StringEqualsPath": "$.guess"});
        assert_eq!(eval(rule.clone(), json!({"guess": "yes"})), Ok(true));
        assert_eq!(eval(rule, json!({"guess": "no"})), Ok(false));
        let rule = json!({"Variable": "$.limit", "NumericGreaterThanPath": "$count"});
        assert_eq!(eval(rule, json!({"limit": 4})), Ok(true));
        let rule = json!({"Variable": "$undefined", "IsPresent": true});
        assert_eq!(eval(rule, json!({})), Ok(false));
        let rule = json!({"Variable": "$.items[1]", "StringEquals": "b"});
        assert_eq!(eval(rule, json!({"items": ["a", "b"]})), Ok(true));
    }

    #[test]
    fn odd_rules_fail_instead_of_panicking() {
        let runtime = |rule: Value| {
            let failure = eval(rule, json!({"v": 1})).unwrap_err();
            assert_eq!(failure.error, "States.Runtime");
        };
        runtime(json!({"Variable": "$.v"}));
        runtime(json!({"Variable": "$.v", "NumericEqualz": 1}));
        runtime(json!({"NumericEquals": 1}));
        runtime(json!({"Variable": "v", "NumericEquals": 1}));
        runtime(json!({"Variable": "$.v", "NumericEquals": "1"}));
        runtime(json!({"Variable": "$.v", "IsNull": "yes"}));
        runtime(json!({"Variable": "$.v", "IsPresent": 1}));
        runtime(json!({"Variable": "$.v", "TimestampEquals": "yesterday"}));
        runtime(json!({"Variable": "$.v", "NumericEqualsPath": 3}));
        runtime(json!({"Variable": "$.v", "NumericEqualsPath": "not a path"}));
        runtime(json!({"Variable": "$.v", "StringMatchesPath": "$.v"}));
        runtime(json!({"Variable": "$.v", "IsNullPath": "$.v"}));
        runtime(json!({"Condition": "{% true %}"}));
        // A resolver's own failure passes through.
        runtime(json!({"Variable": "$.v[*]", "IsPresent": true}));
    }

    #[test]
    fn operator_names() {
        assert_eq!(
            operator("NumericLessThanEqualsPath"),
            Some((Test::Order(Kind::Numeric, Relation::LessThanEquals), true))
        );
        assert_eq!(
            operator("StringMatches"),
            Some((Test::StringMatches, false))
        );
        assert_eq!(
            operator("BooleanEqualsPath"),
            Some((Test::BooleanEquals, true))
        );
        assert_eq!(
            operator("IsTimestamp"),
            Some((Test::Is(Type::Timestamp), false))
        );
        assert_eq!(operator("StringMatchesPath"), None);
        assert_eq!(operator("IsPresentPath"), None);
        assert_eq!(operator("StringNotEquals"), None);
        assert_eq!(operator("Next"), None);
    }
}
