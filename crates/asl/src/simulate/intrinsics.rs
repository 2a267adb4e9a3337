//! The `States.*` intrinsic functions of JSONPath mode, evaluated the way AWS Step Functions does.
//!
//! Arguments are evaluated left to right (paths through the caller's resolver, nested calls
//! recursively), then the function checks them. A failure is a `States.Runtime` error whose cause
//! names the whole expression, as AWS writes it:
//! "The function 'States.MathAdd($.a, 1)' had the following error: Invalid arguments in
//! States.MathAdd".
//!
//! Where AWS departs from the documentation, this module follows AWS (recorded executions):
//! fractional numbers are truncated (`States.MathAdd` alone rounds them), `States.Format` and
//! `States.Hash` write values the way Java's `toString` does (`{a=1, b=[x, y]}`),
//! `States.ArrayContains` compares those texts, `States.Base64Decode` skips characters outside
//! the Base64 alphabet, and `States.MathRandom` with a seed draws from `java.util.Random`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Md5;
use serde_json::{Map, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{Failure, Random, Resolve};
use crate::syntax::intrinsic::{
    Arg, Call, FormatPart, Function, HASH_ALGORITHMS, MAX_ARRAY_RANGE_ITEMS, MAX_BASE64_INPUT_CHARS,
};
use crate::syntax::{Path, Root};

/// Evaluates an intrinsic function call. `resolve` looks up path arguments (Ok(None) = the path
/// selects nothing).
pub(super) fn evaluate(
    call: &Call,
    resolve: &Resolve,
    random: &mut Random,
) -> Result<Value, Failure> {
    let mut evaluator = Evaluator { resolve, random };
    evaluator.call(call).map_err(|problem| match problem {
        Problem::Resolver(failure) => failure,
        Problem::Message(message) => Failure::runtime(format!(
            "The function '{call}' had the following error: {message}"
        )),
    })
}

/// Why an evaluation stopped.
enum Problem {
    /// The resolver's own failure, passed on unchanged.
    Resolver(Failure),
    /// AWS's message for this function; [`evaluate`] adds the expression in front.
    Message(String),
}

type Outcome<T> = Result<T, Problem>;

/// AWS's message for arguments a function cannot use.
fn invalid(function: Function) -> Problem {
    Problem::Message(format!("Invalid arguments in {}", function.name()))
}

struct Evaluator<'r, 'a> {
    resolve: &'r Resolve<'a>,
    random: &'r mut Random,
}

impl Evaluator<'_, '_> {
    fn call(&mut self, call: &Call) -> Outcome<Value> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.arg(arg)?);
        }
        apply(call.function, call.template.as_deref(), &args, self.random)
    }

    fn arg(&mut self, arg: &Arg) -> Outcome<Value> {
        Ok(match arg {
            Arg::String(text) => Value::String(text.clone()),
            Arg::Number(number) => Value::Number(number.clone()),
            Arg::Bool(value) => Value::Bool(*value),
            Arg::Null => Value::Null,
            Arg::Path(path) => match (self.resolve)(path).map_err(Problem::Resolver)? {
                Some(value) => value,
                None => return Err(self.not_found(path)),
            },
            Arg::Call(call) => self.call(call)?,
        })
    }

    /// AWS's message for a path argument that selects nothing. It names the state input even for
    /// a `$$.` path, which it writes as `$.` (as AWS does).
    fn not_found(&self, path: &Path) -> Problem {
        let shown = match path.root {
            Root::Context => Arg::Path(Path {
                root: Root::Input,
                segments: path.segments.clone(),
            })
            .to_string(),
            _ => Arg::Path(path.clone()).to_string(),
        };
        let whole_input = Path {
            root: Root::Input,
            segments: Vec::new(),
        };
        let input = (self.resolve)(&whole_input)
            .ok()
            .flatten()
            .unwrap_or(Value::Null);
        Problem::Message(format!(
            "The JsonPath argument for the field '{shown}' could not be found in the input '{input}'"
        ))
    }
}

/// Runs `function` on its evaluated arguments; `template` is the parsed literal template of
/// `States.Format`, if any.
fn apply(
    function: Function,
    template: Option<&[FormatPart]>,
    args: &[Value],
    random: &mut Random,
) -> Outcome<Value> {
    match function {
        Function::Format => format(template, args),
        Function::StringToJson => string_to_json(args),
        Function::JsonToString => json_to_string(args),
        Function::Array => Ok(Value::Array(args.to_vec())),
        Function::ArrayPartition => array_partition(args),
        Function::ArrayContains => array_contains(args),
        Function::ArrayRange => array_range(args),
        Function::ArrayGetItem => array_get_item(args),
        Function::ArrayLength => array_length(args),
        Function::ArrayUnique => array_unique(args),
        Function::Base64Encode => base64_encode(args),
        Function::Base64Decode => base64_decode(args),
        Function::Hash => hash(args),
        Function::JsonMerge => json_merge(args),
        Function::MathRandom => math_random(args, random),
        Function::MathAdd => math_add(args),
        Function::StringSplit => string_split(args),
        Function::Uuid => Ok(Value::String(random.uuid())),
    }
}

// ---- States.Format ------------------------------------------------------------------------------

/// `States.Format(template, args…)`: the template comes parsed from a literal, or is read from the
/// first argument's (string) value at run time.
fn format(literal: Option<&[FormatPart]>, args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::Format);
    let (template, values) = args.split_first().ok_or_else(invalid)?;
    let parsed;
    let parts = match literal {
        Some(parts) => parts,
        None => {
            let text = template.as_str().ok_or_else(invalid)?;
            parsed = parse_template(text).ok_or_else(invalid)?;
            &parsed
        }
    };
    let placeholders = parts
        .iter()
        .filter(|part| **part == FormatPart::Placeholder)
        .count();
    if placeholders != values.len() {
        return Err(invalid());
    }
    let mut values = values.iter();
    let mut out = String::new();
    for part in parts {
        match part {
            FormatPart::Text(text) => out.push_str(text),
            FormatPart::Placeholder => {
                if let Some(value) = values.next() {
                    out.push_str(&java_text(value));
                }
            }
        }
    }
    Ok(Value::String(out))
}

/// Splits a template read at run time: `{}` is a placeholder, `\{`, `\}`, `\'` and `\\` stand for
/// the character, any other backslash is kept. A `{` or `}` that is neither is an error.
fn parse_template(text: &str) -> Option<Vec<FormatPart>> {
    let mut parts = Vec::new();
    let mut pending = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next @ ('{' | '}' | '\'' | '\\')) => {
                    chars.next();
                    pending.push(next);
                }
                _ => pending.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                if !pending.is_empty() {
                    parts.push(FormatPart::Text(std::mem::take(&mut pending)));
                }
                parts.push(FormatPart::Placeholder);
            }
            '{' | '}' => return None,
            c => pending.push(c),
        }
    }
    if !pending.is_empty() {
        parts.push(FormatPart::Text(pending));
    }
    Some(parts)
}

/// A value as Step Functions writes it into text (Java's `toString` of the parsed value): strings
/// without quotes, arrays as `[a, b]`, objects as `{key=value, …}`, numbers as Java prints them.
fn java_text(value: &Value) -> String {
    let mut out = String::new();
    write_java_text(&mut out, value);
    out
}

fn write_java_text(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&java_number(number)),
        Value::String(text) => out.push_str(text),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_java_text(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                write_java_text(out, item);
            }
            out.push('}');
        }
    }
}

/// A number the way Java prints it: integers plainly, other numbers as `Double.toString` does
/// (`1.5`, `100.0`, `1.0E7`, `1.0E-4`).
fn java_number(number: &serde_json::Number) -> String {
    if number.is_i64() || number.is_u64() {
        return number.to_string();
    }
    let Some(f) = number.as_f64() else {
        return number.to_string();
    };
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let magnitude = f.abs();
    if (1e-3..1e7).contains(&magnitude) {
        let plain = f.to_string();
        return if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        };
    }
    // `{:e}` gives the shortest digits, e.g. `1.5e20` or `1e-5`.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exponent}")
    } else {
        format!("{mantissa}.0E{exponent}")
    }
}

// ---- JSON ---------------------------------------------------------------------------------------

/// `States.StringToJson(text)`: blank text gives `null`, as on AWS.
fn string_to_json(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::StringToJson);
    let [Value::String(text)] = args else {
        return Err(invalid());
    };
    match text.trim() {
        "" => return Ok(Value::Null),
        // Java reads `-0` as the integer 0 (serde_json as the float -0.0).
        "-0" => return Ok(Value::from(0)),
        _ => {}
    }
    serde_json::from_str(text).map_err(|_| invalid())
}

/// `States.JsonToString(value)`: compact JSON text.
fn json_to_string(args: &[Value]) -> Outcome<Value> {
    let [value] = args else {
        return Err(invalid(Function::JsonToString));
    };
    Ok(Value::String(value.to_string()))
}

/// `States.JsonMerge(a, b, false)`: the keys of `b` replace those of `a`; only shallow merging
/// exists.
fn json_merge(args: &[Value]) -> Outcome<Value> {
    let [
        Value::Object(first),
        Value::Object(second),
        Value::Bool(false),
    ] = args
    else {
        return Err(invalid(Function::JsonMerge));
    };
    let mut merged: Map<String, Value> = first.clone();
    for (key, value) in second {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

// ---- Arrays -------------------------------------------------------------------------------------

/// A whole number from a JSON number, fractions truncated toward zero (as AWS does); `None` for
/// anything else.
fn truncated(value: &Value) -> Option<i64> {
    let Value::Number(number) = value else {
        return None;
    };
    if let Some(i) = number.as_i64() {
        return Some(i);
    }
    if number.is_u64() {
        return Some(i64::MAX);
    }
    number.as_f64().map(|f| f.trunc() as i64)
}

/// `States.ArrayPartition(array, size)`: chunks of `size` items, the last one possibly shorter.
fn array_partition(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::ArrayPartition);
    let [Value::Array(items), size] = args else {
        return Err(invalid());
    };
    let size = truncated(size)
        .filter(|&size| size >= 1)
        .ok_or_else(invalid)?;
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let chunks = items
        .chunks(size)
        .map(|chunk| Value::Array(chunk.to_vec()))
        .collect();
    Ok(Value::Array(chunks))
}

/// `States.ArrayContains(array, value)`: AWS compares the values' texts (so the string `"true"`
/// matches `true`, and objects match only with their keys in the same order).
fn array_contains(args: &[Value]) -> Outcome<Value> {
    let [Value::Array(items), wanted] = args else {
        return Err(invalid(Function::ArrayContains));
    };
    let wanted = java_text(wanted);
    Ok(Value::Bool(
        items.iter().any(|item| java_text(item) == wanted),
    ))
}

/// `States.ArrayRange(first, last, step)`: `first`, `first + step`, … up to and including `last`;
/// empty when `step` points away from `last`; at most 1000 items.
fn array_range(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::ArrayRange);
    let [first, last, step] = args else {
        return Err(invalid());
    };
    let (Some(first), Some(last), Some(step)) =
        (truncated(first), truncated(last), truncated(step))
    else {
        return Err(invalid());
    };
    if step == 0 {
        return Err(invalid());
    }
    let (first, last, step) = (i128::from(first), i128::from(last), i128::from(step));
    let count = if (step > 0 && last < first) || (step < 0 && last > first) {
        0
    } else {
        (last - first) / step + 1
    };
    if count > MAX_ARRAY_RANGE_ITEMS {
        return Err(invalid());
    }
    let items = (0..count)
        .map(|i| first + i * step)
        .map(|n| Value::from(i64::try_from(n).unwrap_or_default()))
        .collect();
    Ok(Value::Array(items))
}

/// `States.ArrayGetItem(array, index)`. AWS answers `null` for any index into an empty array.
fn array_get_item(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::ArrayGetItem);
    let [Value::Array(items), index] = args else {
        return Err(invalid());
    };
    let index = truncated(index).ok_or_else(invalid)?;
    if items.is_empty() {
        return Ok(Value::Null);
    }
    usize::try_from(index)
        .ok()
        .and_then(|index| items.get(index))
        .cloned()
        .ok_or_else(invalid)
}

/// `States.ArrayLength(array)`.
fn array_length(args: &[Value]) -> Outcome<Value> {
    let [Value::Array(items)] = args else {
        return Err(invalid(Function::ArrayLength));
    };
    Ok(Value::from(items.len()))
}

/// `States.ArrayUnique(array)`: the first of each group of equal items, in order.
fn array_unique(args: &[Value]) -> Outcome<Value> {
    let [Value::Array(items)] = args else {
        return Err(invalid(Function::ArrayUnique));
    };
    let mut unique: Vec<Value> = Vec::new();
    for item in items {
        if !unique.contains(item) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

// ---- Encoding and hashing -----------------------------------------------------------------------

/// A string argument of at most 10000 characters.
fn bounded_text(value: &Value, function: Function) -> Outcome<&str> {
    match value {
        Value::String(text) if text.chars().count() <= MAX_BASE64_INPUT_CHARS => Ok(text),
        _ => Err(invalid(function)),
    }
}

/// `States.Base64Encode(text)`: the UTF-8 bytes in standard Base64 with padding.
fn base64_encode(args: &[Value]) -> Outcome<Value> {
    let [value] = args else {
        return Err(invalid(Function::Base64Encode));
    };
    let text = bounded_text(value, Function::Base64Encode)?;
    Ok(Value::String(STANDARD.encode(text)))
}

/// `States.Base64Decode(text)`. Like AWS (a lenient decoder), it skips characters outside the
/// alphabet (both the standard and the URL-safe one), stops at the first `=` and decodes what is
/// left; bytes that are not UTF-8 become U+FFFD.
fn base64_decode(args: &[Value]) -> Outcome<Value> {
    let [value] = args else {
        return Err(invalid(Function::Base64Decode));
    };
    let text = bounded_text(value, Function::Base64Decode)?;
    let mut clean: String = text
        .chars()
        .take_while(|&c| c != '=')
        .filter_map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' => Some(c),
            '-' => Some('+'),
            '_' => Some('/'),
            _ => None,
        })
        .collect();
    // A single leftover character carries fewer than 8 bits: it decodes to nothing.
    if clean.len() % 4 == 1 {
        clean.pop();
    }
    let bytes = lenient_decode(&clean);
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Decodes unpadded Base64 made only of alphabet characters, ignoring stray trailing bits.
fn lenient_decode(clean: &str) -> Vec<u8> {
    use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    LENIENT.decode(clean).unwrap_or_default()
}

/// `States.Hash(data, algorithm)`: the lower-case hex digest of the data's UTF-8 bytes. AWS
/// hashes a non-string value's text (see [`java_text`]).
fn hash(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::Hash);
    let [data, Value::String(algorithm)] = args else {
        return Err(invalid());
    };
    let text = match data {
        Value::String(text) => text.clone(),
        other => java_text(other),
    };
    if text.chars().count() > MAX_BASE64_INPUT_CHARS {
        return Err(invalid());
    }
    digest(&text, algorithm)
        .map(Value::String)
        .ok_or_else(invalid)
}

/// The lower-case hex digest of `text`'s UTF-8 bytes with one of AWS's algorithms (`MD5`,
/// `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`); `None` for another name. JSONata's `$hash` uses
/// it too.
pub(crate) fn digest(text: &str, algorithm: &str) -> Option<String> {
    if !HASH_ALGORITHMS.contains(&algorithm) {
        return None;
    }
    let bytes = text.as_bytes();
    let digest = match algorithm {
        "MD5" => Md5::digest(bytes).to_vec(),
        "SHA-1" => Sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        _ => Sha512::digest(bytes).to_vec(),
    };
    Some(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

// ---- Math ---------------------------------------------------------------------------------------

/// Rounds like Java's `Math.round`: halves go up (`2.5` → 3, `-2.5` → -2).
fn java_round(f: f64) -> f64 {
    let floor = f.floor();
    if f - floor >= 0.5 { floor + 1.0 } else { floor }
}

/// An operand of `States.MathAdd`: a number, rounded, within the 32-bit range.
fn add_operand(value: &Value) -> Option<i64> {
    let Value::Number(number) = value else {
        return None;
    };
    let n = match number.as_i64() {
        Some(i) => i,
        None => {
            let f = java_round(number.as_f64()?);
            if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&f) {
                return None;
            }
            f as i64
        }
    };
    i32::try_from(n).is_ok().then_some(n)
}

/// `States.MathAdd(a, b)`: the sum of two 32-bit integers (fractions rounded), itself within the
/// 32-bit range.
fn math_add(args: &[Value]) -> Outcome<Value> {
    let invalid = || invalid(Function::MathAdd);
    let [a, b] = args else {
        return Err(invalid());
    };
    let (Some(a), Some(b)) = (add_operand(a), add_operand(b)) else {
        return Err(invalid());
    };
    let sum = a + b;
    if i32::try_from(sum).is_err() {
        return Err(invalid());
    }
    Ok(Value::from(sum))
}

/// `States.MathRandom(start, end[, seed])`: a whole number in `[start, end)` (fractions
/// truncated). With a seed the number is `java.util.Random(seed).nextInt(end - start) + start`,
/// so the same seed always gives the same number.
fn math_random(args: &[Value], random: &mut Random) -> Outcome<Value> {
    let invalid = || invalid(Function::MathRandom);
    let (start, end, seed) = match args {
        [start, end] => (start, end, None),
        [start, end, seed] => (start, end, Some(truncated(seed).ok_or_else(invalid)?)),
        _ => return Err(invalid()),
    };
    let bound_of = |value| truncated(value).and_then(|n| i32::try_from(n).ok());
    let (Some(start), Some(end)) = (bound_of(start), bound_of(end)) else {
        return Err(invalid());
    };
    let span = i64::from(end) - i64::from(start);
    let span = i32::try_from(span)
        .ok()
        .filter(|&span| span > 0)
        .ok_or_else(invalid)?;
    let value = match seed {
        Some(seed) => i64::from(start) + i64::from(JavaRandom::new(seed).next_int(span)),
        None => random.below(i64::from(start), i64::from(end)),
    };
    Ok(Value::from(value))
}

/// The linear congruential generator of `java.util.Random`.
struct JavaRandom(u64);

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> JavaRandom {
        JavaRandom((seed as u64 ^ Self::MULTIPLIER) & Self::MASK)
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.0 = (self.0.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB)) & Self::MASK;
        (self.0 >> (48 - bits)) as u32 as i32
    }

    /// `nextInt(bound)` for a positive bound.
    fn next_int(&mut self, bound: i32) -> i32 {
        if bound & bound.wrapping_neg() == bound {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32;
        }
        loop {
            let bits = self.next(31);
            let value = bits % bound;
            if bits.wrapping_sub(value).wrapping_add(bound - 1) >= 0 {
                return value;
            }
        }
    }
}

// ---- Strings ------------------------------------------------------------------------------------

/// `States.StringSplit(text, delimiters)`: splits at every character of `delimiters` and drops
/// empty pieces (like Java's `StringTokenizer`).
fn string_split(args: &[Value]) -> Outcome<Value> {
    let [Value::String(text), Value::String(delimiters)] = args else {
        return Err(invalid(Function::StringSplit));
    };
    let pieces = text
        .split(|c| delimiters.contains(c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_string()))
        .collect();
    Ok(Value::Array(pieces))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::intrinsic::parse;
    use crate::syntax::{Segment, Selector};
    use serde_json::json;

    /// Resolves `$`, `$$` and `$name` paths of plain names and indexes in fixed documents.
    fn lookup(input: &Value, context: &Value, path: &Path) -> Option<Value> {
        let mut current = match &path.root {
            Root::Input => input,
            Root::Context => context,
            Root::Variable(name) => context.get("Variables")?.get(name)?,
        };
        for segment in &path.segments {
            current = match segment {
                Segment::Child(Selector::Name(name)) => current.get(name)?,
                Segment::Child(Selector::Index(i)) => current.get(usize::try_from(*i).ok()?)?,
                other => panic!("test resolver cannot follow {other:?}"),
            };
        }
        Some(current.clone())
    }

    fn run_with(text: &str, input: Value, seed: u64) -> Result<Value, Failure> {
        let call = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let context = json!({
            "Execution": {"Id": "arn:aws:states:us-east-1:123:execution:m:e", "Input": {"n": 3}},
            "Variables": {"tpl": "v={}"}
        });
        let resolve = move |path: &Path| Ok(lookup(&input, &context, path));
        evaluate(&call, &resolve, &mut Random::new(seed))
    }

    fn run(text: &str, input: Value) -> Value {
        run_with(text, input, 1).unwrap_or_else(|f| panic!("{text}: {f:?}"))
    }

    fn fails(text: &str, input: Value) -> Failure {
        match run_with(text, input, 1) {
            Ok(value) => panic!("{text} gave {value}"),
            Err(failure) => failure,
        }
    }

    /// The cause AWS writes for invalid arguments.
    fn assert_invalid(text: &str, input: Value) {
        let failure = fails(text, input);
        let call = parse(text).unwrap();
        let name = call.function.name();
        assert_eq!(failure.error, "States.Runtime", "{text}");
        assert_eq!(
            failure.cause,
            format!("The function '{call}' had the following error: Invalid arguments in {name}"),
        );
    }

    fn assert_invalid_in(text: &str, input: Value, function: &str) {
        let failure = fails(text, input);
        assert_eq!(failure.error, "States.Runtime");
        assert!(
            failure.cause.ends_with(&format!(
                "had the following error: Invalid arguments in {function}"
            )),
            "{text}: {}",
            failure.cause
        );
    }

    #[test]
    fn format_documented_examples() {
        let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
        assert_eq!(
            run(
                "States.Format('Hello, my name is {}.', $.name)",
                input.clone()
            ),
            json!("Hello, my name is Arnav.")
        );
        assert_eq!(
            run("States.Format($.template, $.name)", input),
            json!("Hello, my name is Arnav.")
        );
        assert_eq!(
            run("States.Format('no placeholders')", json!({})),
            json!("no placeholders")
        );
        assert_eq!(
            run("States.Format('  {}  ', 'x')", json!({})),
            json!("  x  ")
        );
    }

    #[test]
    fn format_writes_values_like_aws() {
        let input = json!({
            "s": "", "n": null, "i": 1, "f": 1.1, "b": false,
            "o": {"Arg1": 1, "Arg2": [], "Arg3": {"x": "y"}},
            "a": [1, "two", null, [true]],
            "json": "{\"Arg1\": 1}"
        });
        let cases = [
            ("$.s", ""),
            ("$.n", "null"),
            ("$.i", "1"),
            ("$.f", "1.1"),
            ("$.b", "false"),
            ("$.o", "{Arg1=1, Arg2=[], Arg3={x=y}}"),
            ("$.a", "[1, two, null, [true]]"),
            ("$.json", "{\"Arg1\": 1}"),
        ];
        for (path, shown) in cases {
            let text = format!("States.Format('<{{}}>', {path})");
            assert_eq!(
                run(&text, input.clone()),
                json!(format!("<{shown}>")),
                "{path}"
            );
        }
        assert_eq!(
            run("States.Format('{} {} {}', 'x', 2, true)", json!({})),
            json!("x 2 true")
        );
        assert_eq!(
            run(
                "States.Format('Name: \\'{}\\' \\{\\} \\\\', 'G')",
                json!({})
            ),
            json!("Name: 'G' {} \\")
        );
    }

    #[test]
    fn java_numbers() {
        let shown = |v: Value| java_text(&v);
        assert_eq!(shown(json!(3.5)), "3.5");
        assert_eq!(shown(json!(100.0)), "100.0");
        assert_eq!(shown(json!(-0.0)), "-0.0");
        assert_eq!(shown(json!(0.001)), "0.001");
        assert_eq!(shown(json!(0.0001)), "1.0E-4");
        assert_eq!(shown(json!(12345678.9)), "1.23456789E7");
        assert_eq!(shown(json!(1e20)), "1.0E20");
        assert_eq!(shown(json!(9007199254740991_i64)), "9007199254740991");
        assert_eq!(shown(json!(u64::MAX)), "18446744073709551615");
    }

    #[test]
    fn format_templates_read_at_run_time() {
        let input = json!({"t": "a\\{b\\} {}-{}", "bad": "x {", "close": "}", "num": 5});
        assert_eq!(
            run("States.Format($.t, 1, 2)", input.clone()),
            json!("a{b} 1-2")
        );
        assert_eq!(run("States.Format($tpl, 7)", input.clone()), json!("v=7"));
        assert_invalid("States.Format($.bad)", input.clone());
        assert_invalid("States.Format($.close)", input.clone());
        assert_invalid("States.Format($.num)", input.clone());
        assert_invalid("States.Format($.t, 1)", input);
    }

    #[test]
    fn format_argument_count_must_match() {
        assert_invalid("States.Format('{} {}', 'x')", json!({}));
        assert_invalid("States.Format('{}', 'x', 'y')", json!({}));
        assert_invalid("States.Format('none', 'x')", json!({}));
    }

    #[test]
    fn missing_path_cause_matches_aws() {
        let failure = fails("States.Format('{}', $.nope)", json!({"other": 1}));
        assert_eq!(failure.error, "States.Runtime");
        assert_eq!(
            failure.cause,
            "The function 'States.Format('{}', $.nope)' had the following error: \
             The JsonPath argument for the field '$.nope' could not be found in the input \
             '{\"other\":1}'"
        );
        // The whole expression is named, not the inner call.
        let failure = fails(
            "States.Format('{}', States.Format('{}', $.a.b))",
            json!({"other": 1}),
        );
        assert_eq!(
            failure.cause,
            "The function 'States.Format('{}', States.Format('{}', $.a.b))' had the following \
             error: The JsonPath argument for the field '$.a.b' could not be found in the input \
             '{\"other\":1}'"
        );
        // A context path is written against `$` and names the state input.
        let failure = fails("States.Array($$.Nope.Deep)", json!({"other": 1}));
        assert_eq!(
            failure.cause,
            "The function 'States.Array($$.Nope.Deep)' had the following error: The JsonPath \
             argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'"
        );
        // An explicit null is a value.
        assert_eq!(
            run("States.Format('{}', $.n)", json!({"n": null})),
            json!("null")
        );
    }

    #[test]
    fn resolver_failures_pass_through() {
        let call = parse("States.Array($.a)").unwrap();
        let resolve = |_: &Path| Err(Failure::runtime("boom"));
        let failure = evaluate(&call, &resolve, &mut Random::new(1)).unwrap_err();
        assert_eq!(failure, Failure::runtime("boom"));
    }

    #[test]
    fn string_to_json() {
        let input = json!({
            "escapedJsonString": "{\"foo\": \"bar\"}",
            "empty": "", "blank": " ", "zero": "-0", "num": "1.1", "text": "\"HelloWorld\"",
            "list": "[1, 2, \"HelloWorld\"]", "broken": "{\"a\":", "obj": {"a": 1}
        });
        let cases = [
            ("$.escapedJsonString", json!({"foo": "bar"})),
            ("$.empty", json!(null)),
            ("$.blank", json!(null)),
            ("$.zero", json!(0)),
            ("$.num", json!(1.1)),
            ("$.text", json!("HelloWorld")),
            ("$.list", json!([1, 2, "HelloWorld"])),
        ];
        for (path, expected) in cases {
            let text = format!("States.StringToJson({path})");
            assert_eq!(run(&text, input.clone()), expected, "{path}");
        }
        assert_invalid("States.StringToJson($.broken)", input.clone());
        assert_invalid("States.StringToJson($.obj)", input);
    }

    #[test]
    fn json_to_string() {
        let input = json!({"unescapedJson": {"foo": "bar"}, "list": [1, 2, "HelloWorld"],
            "n": null, "s": "HelloWorld", "f": 1.1});
        assert_eq!(
            run("States.JsonToString($.unescapedJson)", input.clone()),
            json!("{\"foo\":\"bar\"}")
        );
        assert_eq!(
            run("States.JsonToString($.list)", input.clone()),
            json!("[1,2,\"HelloWorld\"]")
        );
        assert_eq!(
            run("States.JsonToString($.n)", input.clone()),
            json!("null")
        );
        assert_eq!(
            run("States.JsonToString($.s)", input.clone()),
            json!("\"HelloWorld\"")
        );
        assert_eq!(run("States.JsonToString($.f)", input), json!("1.1"));
    }

    #[test]
    fn array() {
        let input = json!({"Id": 123456, "someJson": {"a": [1]}});
        assert_eq!(run("States.Array($.Id)", input.clone()), json!([123456]));
        assert_eq!(
            run("States.Array('Foo', 2020, $.someJson, null, true)", input),
            json!(["Foo", 2020, {"a": [1]}, null, true])
        );
        assert_eq!(run("States.Array()", json!({})), json!([]));
        assert_eq!(
            run("States.Array(1, States.Array(2, 3))", json!({})),
            json!([1, [2, 3]])
        );
    }

    #[test]
    fn array_partition() {
        let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "empty": [], "s": "x",
            "f26": 2.6, "f06": 0.6});
        assert_eq!(
            run("States.ArrayPartition($.inputArray, 4)", input.clone()),
            json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
        );
        assert_eq!(
            run(
                "States.ArrayPartition($.inputArray, 2147483647)",
                input.clone()
            ),
            json!([[1, 2, 3, 4, 5, 6, 7, 8, 9]])
        );
        assert_eq!(
            run("States.ArrayPartition($.empty, 3)", input.clone()),
            json!([])
        );
        // Fractions are truncated: 2.6 acts as 2, 0.6 as 0 (invalid).
        assert_eq!(
            run(
                "States.ArrayPartition(States.Array(1, 2, 3, 4, 5), $.f26)",
                input.clone()
            ),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_invalid("States.ArrayPartition($.inputArray, $.f06)", input.clone());
        assert_invalid("States.ArrayPartition($.s, 2)", input.clone());
        assert_invalid("States.ArrayPartition($.inputArray, $.s)", input.clone());
        assert_invalid(
            "States.ArrayPartition($.inputArray, States.MathAdd(0, -1))",
            input,
        );
    }

    #[test]
    fn array_contains() {
        let input = json!({
            "inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5,
            "objects": [{"a": 1, "b": 2}, [0, 1, false], null],
            "same": {"a": 1, "b": 2}, "reordered": {"b": 2, "a": 1},
            "strings": ["true", "9007199254740991"], "s": "x"
        });
        assert_eq!(
            run(
                "States.ArrayContains($.inputArray, $.lookingFor)",
                input.clone()
            ),
            json!(true)
        );
        assert_eq!(
            run("States.ArrayContains($.inputArray, 10)", input.clone()),
            json!(false)
        );
        assert_eq!(
            run("States.ArrayContains($.objects, $.same)", input.clone()),
            json!(true)
        );
        assert_eq!(
            run(
                "States.ArrayContains($.objects, $.reordered)",
                input.clone()
            ),
            json!(false)
        );
        assert_eq!(
            run(
                "States.ArrayContains($.objects, States.Array(0, 1, false))",
                input.clone()
            ),
            json!(true)
        );
        assert_eq!(
            run("States.ArrayContains($.objects, null)", input.clone()),
            json!(true)
        );
        // AWS compares texts: the string "true" matches `true`.
        assert_eq!(
            run("States.ArrayContains($.strings, true)", input.clone()),
            json!(true)
        );
        assert_eq!(
            run(
                "States.ArrayContains($.strings, 9007199254740991)",
                input.clone()
            ),
            json!(true)
        );
        assert_eq!(
            run("States.ArrayContains($.inputArray, false)", input.clone()),
            json!(false)
        );
        assert_invalid("States.ArrayContains($.s, 'x')", input);
    }

    #[test]
    fn array_range() {
        assert_eq!(
            run("States.ArrayRange(1, 9, 2)", json!({})),
            json!([1, 3, 5, 7, 9])
        );
        assert_eq!(
            run("States.ArrayRange(0, 10, 3)", json!({})),
            json!([0, 3, 6, 9])
        );
        assert_eq!(
            run("States.ArrayRange(-2, 2, 2)", json!({})),
            json!([-2, 0, 2])
        );
        assert_eq!(run("States.ArrayRange(3, 3, -1)", json!({})), json!([3]));
        assert_eq!(
            run("States.ArrayRange(5, 1, -2)", json!({})),
            json!([5, 3, 1])
        );
        assert_eq!(run("States.ArrayRange(5, 1, 1)", json!({})), json!([]));
        assert_eq!(run("States.ArrayRange(1, 5, -1)", json!({})), json!([]));
        // Truncation, as observed on AWS.
        let f = json!({"a": 1.4, "b": 5.6, "c": 2.2, "d": 1.6, "e": 5.4, "g": -0.6, "h": -2.4});
        assert_eq!(
            run("States.ArrayRange($.a, $.b, $.c)", f.clone()),
            json!([1, 3, 5])
        );
        assert_eq!(run("States.ArrayRange($.d, $.a, 1)", f.clone()), json!([1]));
        assert_eq!(run("States.ArrayRange($.e, $.g, $.h)", f), json!([5, 3, 1]));
        let range = run("States.ArrayRange(1000, 1, -1)", json!({}));
        assert_eq!(range.as_array().map(Vec::len), Some(1000));
        assert_eq!(range[999], json!(1));
        let input = json!({"big": 1001, "huge": 9.9e300, "min": -9223372036854775808_i64, "s": "a",
            "small": 0.49});
        assert_invalid("States.ArrayRange(1, $.big, 1)", input.clone());
        assert_invalid("States.ArrayRange($.min, $.huge, 1)", input.clone());
        assert_invalid("States.ArrayRange($.huge, $.min, -1)", input.clone());
        assert_invalid(
            "States.ArrayRange(1, 10, States.MathAdd(0, 0))",
            input.clone(),
        );
        assert_invalid("States.ArrayRange(1, 10, $.small)", input.clone());
        assert_invalid("States.ArrayRange($.s, 5, 1)", input);
        assert_eq!(
            run("States.ArrayRange($$.Execution.Input.n, 5, 1)", json!({})),
            json!([3, 4, 5])
        );
    }

    #[test]
    fn array_get_item() {
        let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5, "empty": [],
            "f": 1.2, "s": "1"});
        assert_eq!(
            run("States.ArrayGetItem($.inputArray, $.index)", input.clone()),
            json!(6)
        );
        assert_eq!(
            run("States.ArrayGetItem($.inputArray, $.f)", input.clone()),
            json!(2)
        );
        assert_eq!(
            run(
                "States.ArrayGetItem(States.Array('x', 'y', 'z'), 1)",
                json!({})
            ),
            json!("y")
        );
        assert_eq!(
            run("States.ArrayGetItem($.empty, 999)", input.clone()),
            json!(null)
        );
        assert_invalid("States.ArrayGetItem($.inputArray, 9)", input.clone());
        assert_invalid(
            "States.ArrayGetItem($.inputArray, States.MathAdd(0, -1))",
            input.clone(),
        );
        assert_invalid("States.ArrayGetItem($.inputArray, $.s)", input.clone());
        assert_invalid("States.ArrayGetItem($.index, 0)", input);
    }

    #[test]
    fn array_length_and_unique() {
        let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "dups": [1, 2, 3, 3, 3, 3, 3, 3, 4],
            "mixed": [null, null, true, true, 1, 1, 1.1, "a", "a", [], [], {"a": 1, "b": 2},
                      {"b": 2, "a": 1}, {"a": 1, "b": 1}],
            "o": {}});
        assert_eq!(
            run("States.ArrayLength($.inputArray)", input.clone()),
            json!(9)
        );
        assert_eq!(
            run("States.ArrayLength(States.Array())", json!({})),
            json!(0)
        );
        assert_invalid("States.ArrayLength($.o)", input.clone());
        assert_eq!(
            run("States.ArrayUnique($.dups)", input.clone()),
            json!([1, 2, 3, 4])
        );
        assert_eq!(
            run("States.ArrayUnique($.mixed)", input.clone()),
            json!([null, true, 1, 1.1, "a", [], {"a": 1, "b": 2}, {"a": 1, "b": 1}])
        );
        assert_invalid("States.ArrayUnique($.o)", input);
    }

    #[test]
    fn base64() {
        let input = json!({"input": "Data to encode", "base64": "RGF0YSB0byBlbmNvZGU=",
            "long": "a".repeat(10_000), "longer": "a".repeat(10_001), "n": 5});
        assert_eq!(
            run("States.Base64Encode($.input)", input.clone()),
            json!("RGF0YSB0byBlbmNvZGU=")
        );
        assert_eq!(
            run("States.Base64Decode($.base64)", input.clone()),
            json!("Data to encode")
        );
        assert_eq!(run("States.Base64Encode('')", json!({})), json!(""));
        assert_eq!(run("States.Base64Encode('✓')", json!({})), json!("4pyT"));
        assert_eq!(
            run("States.Base64Encode('>>>???')", json!({})),
            json!("Pj4+Pz8/")
        );
        assert_eq!(
            run("States.Base64Decode('44GT44KT44Gr44Gh44Gv')", json!({})),
            json!("こんにちは")
        );
        assert_eq!(
            run("States.Base64Decode('YWJjAGRlZg==')", json!({})),
            json!("abc\0def")
        );
        let long = run("States.Base64Encode($.long)", input.clone());
        assert_eq!(long.as_str().map(str::len), Some(13_336));
        assert_invalid("States.Base64Encode($.longer)", input.clone());
        assert_invalid("States.Base64Decode($.longer)", input.clone());
        assert_invalid("States.Base64Encode($.n)", input.clone());
        assert_invalid("States.Base64Decode(States.Array())", input);
        assert_eq!(
            run(
                "States.Base64Decode(States.Base64Encode('round trip'))",
                json!({})
            ),
            json!("round trip")
        );
    }

    #[test]
    fn base64_decode_is_lenient_like_aws() {
        let decode = |text: &str| base64_decode(&[json!(text)]).ok().unwrap();
        assert_eq!(decode(" YWJjZA== "), json!("abcd"));
        assert_eq!(decode("YWJj\nZA=="), json!("abcd"));
        assert_eq!(decode("abc"), json!("i\u{fffd}"));
        assert_eq!(decode("ab==cd"), json!("i"));
        assert_eq!(decode("a"), json!(""));
        assert_eq!(decode("!!!"), json!(""));
        assert_eq!(decode("Pj4-Pz8_"), json!(">>>???"));
        assert_eq!(decode("/w=="), json!("\u{fffd}"));
    }

    #[test]
    fn hash() {
        let input = json!({"Data": "input data", "Algorithm": "SHA-1", "o": {}});
        assert_eq!(
            run("States.Hash($.Data, $.Algorithm)", input.clone()),
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
        );
        let cases = [
            ("MD5", "5d41402abc4b2a76b9719d911017c592"),
            ("SHA-1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
            (
                "SHA-256",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ),
            (
                "SHA-384",
                "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f",
            ),
            (
                "SHA-512",
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
            ),
        ];
        for (algorithm, digest) in cases {
            let text = format!("States.Hash('hello', '{algorithm}')");
            assert_eq!(run(&text, json!({})), json!(digest), "{algorithm}");
        }
        // Non-strings are hashed as their text.
        assert_eq!(
            run("States.Hash(123, 'MD5')", json!({})),
            run("States.Hash('123', 'MD5')", json!({}))
        );
        assert_eq!(
            run("States.Hash($.o, 'MD5')", input.clone()),
            run("States.Hash('\\{\\}', 'MD5')", json!({}))
        );
        let input = json!({"a": "a".repeat(10_000), "b": "a".repeat(10_001), "algo": "sha-256"});
        assert!(run("States.Hash($.a, 'SHA-256')", input.clone()).is_string());
        assert_invalid("States.Hash($.b, 'SHA-256')", input.clone());
        assert_invalid("States.Hash($.a, $.algo)", input.clone());
        assert_invalid(
            "States.Hash($.a, States.ArrayLength(States.Array()))",
            input,
        );
    }

    #[test]
    fn json_merge() {
        let input = json!({
            "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
            "json2": {"a": {"a3": 1, "a4": 2}, "c": 3},
            "yes": true, "list": [1]
        });
        assert_eq!(
            run("States.JsonMerge($.json1, $.json2, false)", input.clone()),
            json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
        );
        let merged = run("States.JsonMerge($.json1, $.json2, false)", input.clone());
        let keys: Vec<&String> = merged.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_invalid("States.JsonMerge($.json1, $.json2, $.yes)", input.clone());
        assert_invalid("States.JsonMerge($.json1, $.list, false)", input.clone());
        assert_invalid("States.JsonMerge($.list, $.json1, false)", input);
    }

    #[test]
    fn math_add() {
        let input =
            json!({"value1": 111, "step": -1, "a": 1.6, "b": 2.7, "s": "1", "big": 3000000000_i64});
        assert_eq!(
            run("States.MathAdd($.value1, $.step)", input.clone()),
            json!(110)
        );
        assert_eq!(run("States.MathAdd($.a, $.b)", input.clone()), json!(5));
        let f = json!({"a": 0.1, "b": 0.2, "c": 2.5, "d": -2.5, "e": -1.5});
        assert_eq!(run("States.MathAdd($.a, $.b)", f.clone()), json!(0));
        assert_eq!(run("States.MathAdd($.c, $.d)", f.clone()), json!(1));
        assert_eq!(run("States.MathAdd($.e, 0)", f), json!(-1));
        assert_eq!(
            run("States.MathAdd(2147483646, 1)", json!({})),
            json!(2147483647)
        );
        assert_eq!(
            run("States.MathAdd(-2147483647, -1)", json!({})),
            json!(-2147483648_i64)
        );
        assert!(run("States.MathAdd(1, 2)", json!({})).is_i64());
        assert_invalid("States.MathAdd(2147483647, 1)", json!({}));
        assert_invalid("States.MathAdd(-2147483648, -1)", json!({}));
        assert_invalid("States.MathAdd($.big, 1)", input.clone());
        assert_invalid("States.MathAdd($.s, 1)", input.clone());
        assert_invalid("States.MathAdd(1, States.Array())", input);
        assert_eq!(
            run(
                "States.MathAdd(States.MathAdd($$.Execution.Input.n, 1), 2)",
                json!({})
            ),
            json!(6)
        );
    }

    #[test]
    fn java_random_matches_the_jdk() {
        assert_eq!(JavaRandom::new(42).next(32), -1_170_105_035);
        assert_eq!(JavaRandom::new(42).next_int(10), 0);
        assert_eq!(JavaRandom::new(0).next(32), -1_155_484_576);
        let mut r = JavaRandom::new(-7);
        for _ in 0..1000 {
            let n = r.next_int(7);
            assert!((0..7).contains(&n));
            let p = r.next_int(16);
            assert!((0..16).contains(&p));
        }
        assert!((0..i32::MAX).contains(&JavaRandom::new(i64::MIN).next_int(i32::MAX)));
    }

    #[test]
    fn math_random() {
        for seed in 0..50 {
            let value = run_with("States.MathRandom(1, 999)", json!({}), seed).unwrap();
            let n = value.as_i64().unwrap();
            assert!((1..999).contains(&n), "{n}");
        }
        // A seed decides the result, whatever the execution's random source.
        let a = run_with("States.MathRandom(1, 100, 42)", json!({}), 1).unwrap();
        let b = run_with("States.MathRandom(1, 100, 42)", json!({}), 2).unwrap();
        assert_eq!(a, b);
        assert_eq!(run("States.MathRandom(-5, 5, 42)", json!({})), json!(-5));
        // Without one, the execution's random source decides: the same seed gives the same value.
        assert_eq!(
            run_with("States.MathRandom(0, 1000000)", json!({}), 9),
            run_with("States.MathRandom(0, 1000000)", json!({}), 9)
        );
        // Fractions are truncated: [1.6, 5.4) acts as [1, 5).
        for seed in 0..30 {
            let f = json!({"a": 1.6, "b": 5.4});
            let n = run_with("States.MathRandom($.a, $.b)", f, seed).unwrap();
            assert!((1..5).contains(&n.as_i64().unwrap()));
        }
        let input = json!({"start": 2147483640, "end": 2147483647, "seed": 1, "null": null,
            "a": 1.4, "b": 1.6});
        let n = run("States.MathRandom($.start, $.end, $.seed)", input.clone());
        assert!((2147483640..2147483647).contains(&n.as_i64().unwrap()));
        assert_invalid("States.MathRandom(1, 1)", json!({}));
        assert_invalid("States.MathRandom(10, 5)", json!({}));
        assert_invalid("States.MathRandom($.a, $.b)", input.clone());
        assert_invalid("States.MathRandom(-2147483648, 2147483647)", json!({}));
        assert_invalid("States.MathRandom(1, 3000000000)", json!({}));
        assert_invalid("States.MathRandom($.null, 10)", input.clone());
        assert_invalid("States.MathRandom(1, 10, $.null)", input);
    }

    #[test]
    fn string_split() {
        let input = json!({"inputString": "1,2,3,4,5", "splitter": ",",
            "other": "This.is+a,test=string", "delims": ".+,=", "n": 7});
        assert_eq!(
            run(
                "States.StringSplit($.inputString, $.splitter)",
                input.clone()
            ),
            json!(["1", "2", "3", "4", "5"])
        );
        assert_eq!(
            run("States.StringSplit($.other, $.delims)", input.clone()),
            json!(["This", "is", "a", "test", "string"])
        );
        let cases = [
            (" ", ",", json!([" "])),
            (" , ", ",", json!([" ", " "])),
            (", , ,", ",", json!([" ", " "])),
            (",,,,", ",", json!([])),
            ("", ",", json!([])),
            ("abc", "", json!(["abc"])),
            (
                "split on T and \nnew line",
                "T\n",
                json!(["split on ", " and ", "new line"]),
            ),
            ("a😀b😁c", "😀", json!(["a", "b😁c"])),
        ];
        for (text, delimiters, expected) in cases {
            let input = json!({"s": text, "d": delimiters});
            assert_eq!(
                run("States.StringSplit($.s, $.d)", input),
                expected,
                "{text:?}"
            );
        }
        assert_invalid("States.StringSplit($.n, ',')", input);
    }

    #[test]
    fn uuid() {
        let a = run_with("States.UUID()", json!({}), 5).unwrap();
        let b = run_with("States.UUID()", json!({}), 5).unwrap();
        assert_eq!(a, b);
        let text = a.as_str().unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4");
    }

    #[test]
    fn documented_nine_level_nesting() {
        let input = json!({"ImageRecipe": {
            "Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/external-001/1.0.0"
        }});
        let text = "States.Format('{}.{}', \
            States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), \
            States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
        assert_eq!(run(text, input), json!("1.0"));
    }

    #[test]
    fn invalid_arguments_name_the_inner_function() {
        assert_invalid_in(
            "States.Format('{}', States.MathAdd($.s, 1))",
            json!({"s": "a"}),
            "States.MathAdd",
        );
    }

    #[test]
    fn never_panics_on_odd_values() {
        let odd = [
            json!(null),
            json!(true),
            json!(-1),
            json!(0),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1e308),
            json!(-1e308),
            json!(0.5),
            json!(""),
            json!("{"),
            json!([]),
            json!({}),
            json!([[1], {"a": null}]),
        ];
        // Every function on every combination of these values (up to three arguments).
        for function in Function::ALL {
            let (least, most) = function.arity();
            let count = most.unwrap_or(least + 1).min(3) as u32;
            for combination in 0..odd.len().pow(count) {
                let args: Vec<Value> = (0..count)
                    .map(|position| odd[combination / odd.len().pow(position) % odd.len()].clone())
                    .collect();
                let _ = apply(function, None, &args, &mut Random::new(3));
            }
        }
    }
}
