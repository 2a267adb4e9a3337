//! JSONata's standard library. Each function has the reference's signature, which the evaluator
//! checks (and uses to coerce arguments) before the implementation runs.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::eval::{Evaluator, append, boolean, cmp_str, truthy};
use crate::signature::{Signature, parse_signature};
use crate::value::{BuiltinFn, Call, Function, Map, Value, js_number, js_number_15, stringify};

type Args<'a> = &'a [Option<Value>];

static BUILTINS: &[(&str, &str, BuiltinFn)] = &[
    ("sum", "<a<n>:n>", sum),
    ("count", "<a:n>", count),
    ("max", "<a<n>:n>", max),
    ("min", "<a<n>:n>", min),
    ("average", "<a<n>:n>", average),
    ("string", "<x-b?:s>", string),
    ("substring", "<s-nn?:s>", substring),
    ("substringBefore", "<s-s:s>", substring_before),
    ("substringAfter", "<s-s:s>", substring_after),
    ("lowercase", "<s-:s>", lowercase),
    ("uppercase", "<s-:s>", uppercase),
    ("length", "<s-:n>", length),
    ("trim", "<s-:s>", trim),
    ("pad", "<s-ns?:s>", pad),
    ("match", "<s-f<s:o>n?:a<o>>", match_),
    ("contains", "<s-(sf):b>", contains),
    ("replace", "<s-(sf)(sf)n?:s>", replace),
    ("split", "<s-(sf)n?:a<s>>", split),
    ("join", "<a<s>s?:s>", join),
    ("formatNumber", "<n-so?:s>", format_number),
    ("formatBase", "<n-n?:s>", format_base),
    ("formatInteger", "<n-s:s>", format_integer),
    ("parseInteger", "<s-s:n>", parse_integer),
    ("number", "<(nsb)-:n>", number),
    ("floor", "<n-:n>", floor),
    ("ceil", "<n-:n>", ceil),
    ("round", "<n-n?:n>", round),
    ("abs", "<n-:n>", abs),
    ("sqrt", "<n-:n>", sqrt),
    ("power", "<n-n:n>", power),
    ("random", "<:n>", random),
    ("boolean", "<x-:b>", boolean_),
    ("not", "<x-:b>", not),
    ("map", "<af>", map),
    ("zip", "<a+>", zip),
    ("filter", "<af>", filter),
    ("single", "<af?>", single),
    ("reduce", "<afj?:j>", reduce),
    ("sift", "<o-f?:o>", sift),
    ("keys", "<x-:a<s>>", keys),
    ("lookup", "<x-s:x>", lookup),
    ("append", "<xx:a>", append_),
    ("exists", "<x:b>", exists),
    ("spread", "<x-:a<o>>", spread),
    ("merge", "<a<o>:o>", merge),
    ("reverse", "<a:a>", reverse),
    ("each", "<o-f:a>", each),
    ("error", "<s?:x>", error),
    ("assert", "<bs?:x>", assert),
    ("type", "<x:s>", type_),
    ("sort", "<af?:a>", sort),
    ("shuffle", "<a:a>", shuffle),
    ("distinct", "<x:x>", distinct),
    ("base64encode", "<s-:s>", base64encode),
    ("base64decode", "<s-:s>", base64decode),
    ("encodeUrlComponent", "<s-:s>", encode_url_component),
    ("encodeUrl", "<s-:s>", encode_url),
    ("decodeUrlComponent", "<s-:s>", decode_url_component),
    ("decodeUrl", "<s-:s>", decode_url),
    ("eval", "<sx?:x>", eval),
    ("toMillis", "<s-s?:n>", to_millis),
    ("fromMillis", "<n-s?s?:s>", from_millis),
    ("clone", "<(oa)-:o>", clone),
    ("now", "<s?s?:s>", now),
    ("millis", "<:n>", millis),
];

struct Table {
    index: HashMap<&'static str, usize>,
    signatures: Vec<Signature>,
    transform: Signature,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let parse = |s: &str| {
            parse_signature(s).unwrap_or_else(|_| Signature {
                text: s.to_string(),
                params: Vec::new(),
                result: None,
            })
        };
        Table {
            index: BUILTINS.iter().enumerate().map(|(i, b)| (b.0, i)).collect(),
            signatures: BUILTINS.iter().map(|b| parse(b.1)).collect(),
            transform: parse("<(oa):o>"),
        }
    })
}

/// The built-in function called `name`, if there is one.
pub(crate) fn builtin(name: &str) -> Option<Value> {
    let t = table();
    let &i = t.index.get(name)?;
    Some(Value::func(Function::Builtin {
        signature: &t.signatures[i],
        imp: BUILTINS[i].2,
    }))
}

pub(crate) fn transform_signature() -> &'static Signature {
    &table().transform
}

fn arg(args: Args<'_>, i: usize) -> Option<&Value> {
    args.get(i).and_then(Option::as_ref)
}

fn num_arg(args: Args, i: usize) -> Option<f64> {
    match arg(args, i) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

fn str_arg(args: Args, i: usize) -> Option<Rc<str>> {
    match arg(args, i) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn num(n: f64) -> Option<Value> {
    Some(Value::Number(n))
}

fn s(text: &str) -> Option<Value> {
    Some(Value::str(text))
}

fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a
            .items
            .iter()
            .filter_map(|i| {
                if let Value::Number(n) = i {
                    Some(*n)
                } else {
                    None
                }
            })
            .collect(),
        Value::Number(n) => vec![*n],
        _ => Vec::new(),
    }
}

// ----- aggregation -----------------------------------------------------------------------

fn sum(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(arg(args, 0).map(|v| Value::Number(numbers(v).iter().sum())))
}

fn count(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num(match arg(args, 0) {
        None => 0.0,
        Some(Value::Array(a)) => a.items.len() as f64,
        Some(_) => 1.0,
    }))
}

fn max(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let ns = arg(args, 0).map(numbers).unwrap_or_default();
    Ok(ns.into_iter().reduce(f64::max).map(Value::Number))
}

fn min(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let ns = arg(args, 0).map(numbers).unwrap_or_default();
    Ok(ns.into_iter().reduce(f64::min).map(Value::Number))
}

fn average(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let ns = arg(args, 0).map(numbers).unwrap_or_default();
    if ns.is_empty() {
        return Ok(None);
    }
    Ok(num(ns.iter().sum::<f64>() / ns.len() as f64))
}

// ----- strings ---------------------------------------------------------------------------

/// `$string` of a value: strings as they are, numbers to 15 significant digits, everything
/// else as JSON.
pub(crate) fn to_string(v: &Value, pos: usize) -> Result<String> {
    stringify_value(v, false, pos)
}

fn stringify_value(v: &Value, pretty: bool, pos: usize) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.to_string()),
        Value::Function(_) => Ok(String::new()),
        Value::Number(n) if !n.is_finite() => Err(Error::new(
            "D3001",
            pos,
            "Attempting to invoke string function on Infinity or NaN",
        )),
        Value::Number(n) if n.fract() == 0.0 => Ok(js_number(*n)),
        Value::Number(n) => Ok(js_number_15(*n)),
        v => {
            stringify(v, pretty, true).map_err(|_| Error::new("D1001", pos, "Number out of range"))
        }
    }
}

fn string(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(v) = arg(args, 0) else {
        return Ok(None);
    };
    let pretty = matches!(arg(args, 1), Some(Value::Bool(true)));
    Ok(s(&stringify_value(v, pretty, call.position)?))
}

/// `Array.prototype.slice` over code points.
fn slice(chars: &[char], start: f64, end: Option<f64>) -> String {
    let len = chars.len() as f64;
    let norm = |i: f64| {
        let i = i.trunc();
        if i < 0.0 {
            (len + i).max(0.0)
        } else {
            i.min(len)
        }
    };
    let a = norm(start);
    let b = end.map_or(len, norm);
    if a >= b {
        return String::new();
    }
    chars[a as usize..b as usize].iter().collect()
}

fn substring(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len() as f64;
    let mut start = num_arg(args, 1).unwrap_or(0.0);
    if len + start < 0.0 {
        start = 0.0;
    }
    match num_arg(args, 2) {
        Some(length) => {
            if length <= 0.0 {
                return Ok(s(""));
            }
            let end = if start >= 0.0 {
                start + length
            } else {
                len + start + length
            };
            Ok(s(&slice(&chars, start, Some(end))))
        }
        None => Ok(s(&slice(&chars, start, None))),
    }
}

fn substring_before(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let Some(chars) = str_arg(args, 1) else {
        return Ok(Some(Value::String(text)));
    };
    Ok(s(match text.find(&*chars) {
        Some(i) => &text[..i],
        None => &text,
    }))
}

fn substring_after(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let Some(chars) = str_arg(args, 1) else {
        return Ok(Some(Value::String(text)));
    };
    Ok(s(match text.find(&*chars) {
        Some(i) => &text[i + chars.len()..],
        None => &text,
    }))
}

fn lowercase(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(str_arg(args, 0).map(|t| Value::str(&t.to_lowercase())))
}

fn uppercase(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(str_arg(args, 0).map(|t| Value::str(&t.to_uppercase())))
}

fn length(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(str_arg(args, 0).map(|t| Value::Number(t.chars().count() as f64)))
}

fn trim(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    Ok(s(&out))
}

fn pad(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let width = num_arg(args, 1).unwrap_or(0.0);
    let fill = str_arg(args, 2)
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| Rc::from(" "));
    let len = text.chars().count() as f64;
    let pad_len = width.abs().trunc() - len;
    if pad_len > f64::from(1u32 << 28) {
        return Err(Error::new(
            "D3001",
            call.position,
            "The padded string would be too long",
        ));
    }
    if pad_len <= 0.0 {
        return Ok(Some(Value::String(text)));
    }
    ev.check_room(pad_len as u64 * fill.len() as u64, call.position)?;
    let padding: String = fill.chars().cycle().take(pad_len as usize).collect();
    Ok(s(&if width > 0.0 {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    }))
}

/// A match as the regex function value returns it: `{match, start, end, groups, next}`.
pub(crate) fn regex_match(
    re: &Rc<regex_lite::Regex>,
    text: &Rc<str>,
    from: usize,
) -> Option<Value> {
    if from > text.len() {
        return None;
    }
    let caps = re.captures_at(text, from)?;
    let m = caps.get(0)?;
    let mut obj = Map::default();
    obj.insert("match".into(), Value::str(m.as_str()));
    obj.insert(
        "start".into(),
        Value::Number(utf16_index(text, m.start()) as f64),
    );
    obj.insert(
        "end".into(),
        Value::Number(utf16_index(text, m.end()) as f64),
    );
    let groups = (1..caps.len())
        .map(|i| Value::str(caps.get(i).map_or("", |g| g.as_str())))
        .collect();
    obj.insert("groups".into(), Value::array(groups));
    let next = if m.end() == m.start() {
        m.end() + 1
    } else {
        m.end()
    };
    obj.insert(
        "next".into(),
        Value::func(Function::RegexNext {
            regex: re.clone(),
            text: text.clone(),
            from: next,
        }),
    );
    Some(Value::object(obj))
}

fn utf16_index(text: &str, byte: usize) -> usize {
    text[..byte].encode_utf16().count()
}

/// All the matches of a pattern argument (a regex function or another function returning
/// match objects), as (byte start, byte end, match, groups).
struct Found {
    start: usize,
    end: usize,
    text: String,
    groups: Vec<Option<String>>,
}

fn find_all(
    ev: &mut Evaluator,
    pattern: &Value,
    text: &Rc<str>,
    limit: Option<usize>,
    pos: usize,
) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    if let Value::Function(f) = pattern
        && let Function::Regex(re) = &**f
    {
        let mut from = 0;
        while limit.is_none_or(|l| out.len() < l) && from <= text.len() {
            let Some(caps) = re.captures_at(text, from) else {
                break;
            };
            let Some(m) = caps.get(0) else { break };
            if m.start() == m.end() {
                return Err(Error::new(
                    "D1004",
                    pos,
                    "Regular expression matches zero length string",
                ));
            }
            out.push(Found {
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
                groups: (1..caps.len())
                    .map(|i| caps.get(i).map(|g| g.as_str().to_string()))
                    .collect(),
            });
            from = m.end();
        }
        return Ok(out);
    }
    // A custom matcher: a function returning `{match, start, end, groups, next}` objects.
    let mut result = ev.apply(
        Some(pattern.clone()),
        vec![Some(Value::String(text.clone()))],
        None,
        pos,
    )?;
    let bad_matcher = |r: &Option<Value>| match r {
        None => false,
        Some(Value::Object(m)) => {
            !(m.contains_key("match") && m.contains_key("start") && m.contains_key("end"))
        }
        Some(_) => true,
    };
    if bad_matcher(&result) {
        return Err(Error::new(
            "T1010",
            pos,
            "The matcher function argument passed to function does not return the correct object structure",
        ));
    }
    while let Some(Value::Object(m)) = result {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let get_n = |k: &str| match m.get(k) {
            Some(Value::Number(n)) => *n as usize,
            _ => 0,
        };
        let text_match = match m.get("match") {
            Some(Value::String(s)) => s.to_string(),
            _ => String::new(),
        };
        let start = char16_to_byte(text, get_n("start"));
        let end = char16_to_byte(text, get_n("end"));
        let groups = match m.get("groups") {
            Some(Value::Array(a)) => a
                .items
                .iter()
                .map(|g| match g {
                    Value::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        out.push(Found {
            start,
            end,
            text: text_match,
            groups,
        });
        match m.get("next") {
            Some(next @ Value::Function(_)) => {
                result = ev.apply(Some(next.clone()), Vec::new(), None, pos)?;
            }
            _ => break,
        }
    }
    Ok(out)
}

fn char16_to_byte(text: &str, index: usize) -> usize {
    let mut units = 0;
    for (b, c) in text.char_indices() {
        if units >= index {
            return b;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn limit_arg(args: Args, i: usize, code: &'static str, pos: usize) -> Result<Option<usize>> {
    match num_arg(args, i) {
        None => Ok(None),
        Some(n) if n < 0.0 => Err(Error::new(
            code,
            pos,
            "Fourth argument must be a non-negative number",
        )),
        Some(n) => Ok(Some(n.floor() as usize)),
    }
}

fn match_(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let Some(pattern) = arg(args, 1).cloned() else {
        return Ok(None);
    };
    let limit = limit_arg(args, 2, "D3040", call.position)?;
    let found = find_all(ev, &pattern, &text, limit, call.position)?;
    let items = found
        .into_iter()
        .map(|f| {
            let mut o = Map::default();
            o.insert("match".into(), Value::str(&f.text));
            o.insert(
                "index".into(),
                Value::Number(utf16_index(&text, f.start) as f64),
            );
            o.insert(
                "groups".into(),
                Value::array(
                    f.groups
                        .iter()
                        .map(|g| Value::str(g.as_deref().unwrap_or("")))
                        .collect(),
                ),
            );
            Value::object(o)
        })
        .collect();
    Ok(Some(Value::seq(items)))
}

fn contains(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    if arg(args, 1).is_none() {
        return Ok(None);
    }
    Ok(Some(Value::Bool(match arg(args, 1) {
        Some(Value::String(t)) => text.contains(&**t),
        Some(p) => !find_all(ev, &p.clone(), &text, Some(1), call.position)?.is_empty(),
        None => false,
    })))
}

fn substitute(replacement: &str, f: &Found) -> String {
    let mut out = String::new();
    let bytes = replacement.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let c = replacement[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        i += 1;
        match bytes.get(i) {
            Some(b'$') => {
                out.push('$');
                i += 1;
            }
            Some(b'0') => {
                out.push_str(&f.text);
                i += 1;
            }
            Some(d) if d.is_ascii_digit() => {
                let n = f.groups.len();
                let max_digits = if n == 0 { 1 } else { n.to_string().len() };
                let digits: String = replacement[i..]
                    .chars()
                    .take(max_digits)
                    .take_while(char::is_ascii_digit)
                    .collect();
                let mut index: usize = digits.parse().unwrap_or(0);
                let mut used = digits.len();
                if max_digits > 1 && index > n && used > 1 {
                    index = digits[..used - 1].parse().unwrap_or(0);
                    used -= 1;
                }
                if n > 0
                    && index >= 1
                    && let Some(Some(g)) = f.groups.get(index - 1)
                {
                    out.push_str(g);
                }
                let _ = used;
                i += index.to_string().len();
            }
            _ => out.push('$'),
        }
    }
    out
}

fn replace(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let pos = call.position;
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let Some(pattern) = arg(args, 1).cloned() else {
        return Ok(None);
    };
    if let Value::String(p) = &pattern
        && p.is_empty()
    {
        return Err(Error::new(
            "D3010",
            pos,
            "Second argument of replace function cannot be an empty string",
        ));
    }
    let replacement = arg(args, 2).cloned();
    let limit = limit_arg(args, 3, "D3011", pos)?;
    let found: Vec<Found> = match &pattern {
        Value::String(p) => text
            .match_indices(&**p)
            .take(limit.unwrap_or(usize::MAX))
            .map(|(i, m)| Found {
                start: i,
                end: i + m.len(),
                text: m.to_string(),
                groups: Vec::new(),
            })
            .collect(),
        p => find_all(ev, p, &text, limit, pos)?,
    };
    let mut out = String::new();
    let mut last = 0;
    for f in &found {
        // A replacement longer than its match grows the text by a product of two lengths.
        ev.check_room(out.len() as u64, pos)?;
        out.push_str(text.get(last..f.start).unwrap_or(""));
        match &replacement {
            Some(Value::String(r)) => {
                if matches!(pattern, Value::String(_)) {
                    out.push_str(r);
                } else {
                    out.push_str(&substitute(r, f));
                }
            }
            Some(func @ Value::Function(_)) => {
                let mut m = Map::default();
                m.insert("match".into(), Value::str(&f.text));
                m.insert(
                    "index".into(),
                    Value::Number(utf16_index(&text, f.start) as f64),
                );
                m.insert(
                    "groups".into(),
                    Value::array(
                        f.groups
                            .iter()
                            .map(|g| Value::str(g.as_deref().unwrap_or("")))
                            .collect(),
                    ),
                );
                match ev.apply(Some(func.clone()), vec![Some(Value::object(m))], None, pos)? {
                    Some(Value::String(r)) => out.push_str(&r),
                    _ => {
                        return Err(Error::new(
                            "D3012",
                            pos,
                            "Attempted to replace a matched string with a non-string value",
                        ));
                    }
                }
            }
            _ => {}
        }
        last = f.end.max(last);
    }
    out.push_str(text.get(last..).unwrap_or(""));
    Ok(s(&out))
}

fn split(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let limit = match num_arg(args, 2) {
        Some(n) if n < 0.0 => {
            return Err(Error::new(
                "D3020",
                call.position,
                "Third argument of split function must evaluate to a positive number",
            ));
        }
        Some(n) => Some(n.floor() as usize),
        None => None,
    };
    let mut parts: Vec<Value> = match arg(args, 1) {
        Some(Value::String(sep)) if sep.is_empty() => {
            text.chars().map(|c| Value::str(&c.to_string())).collect()
        }
        Some(Value::String(sep)) => text.split(&**sep).map(Value::str).collect(),
        Some(p) => {
            let found = find_all(ev, &p.clone(), &text, None, call.position)?;
            let mut out = Vec::new();
            let mut last = 0;
            for f in found {
                out.push(Value::str(text.get(last..f.start).unwrap_or("")));
                last = f.end.max(last);
            }
            out.push(Value::str(text.get(last..).unwrap_or("")));
            out
        }
        None => return Ok(None),
    };
    if let Some(l) = limit {
        parts.truncate(l);
    }
    Ok(Some(Value::array(parts)))
}

fn join(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(Value::Array(a)) = arg(args, 0) else {
        return Ok(None);
    };
    let sep = str_arg(args, 1).unwrap_or_else(|| Rc::from(""));
    let parts: Vec<&str> = a
        .items
        .iter()
        .map(|v| if let Value::String(s) = v { &**s } else { "" })
        .collect();
    // The parts may all be one long string, so the result can dwarf everything charged so far.
    let len = parts.iter().map(|p| p.len() + sep.len()).sum::<usize>();
    ev.check_room(len as u64, call.position)?;
    Ok(s(&parts.join(&sep)))
}

fn base64encode(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    // `btoa` takes code points below 256 as bytes.
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(s(&out))
}

fn base64decode(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = String::new();
    for c in text.chars() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' => 62,
            '/' => 63,
            _ => continue,
        };
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(char::from(((bits >> count) & 0xff) as u8));
        }
    }
    Ok(s(&out))
}

fn encode(text: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode(text: &str, reserved: &str, pos: usize) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    let bad = || Error::new("D3140", pos, "Malformed URL passed to $decodeUrl()");
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(bad)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| bad())?;
            if b < 0x80 && reserved.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

fn encode_url_component(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(str_arg(args, 0).map(|t| Value::str(&encode(&t, ""))))
}

fn encode_url(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(str_arg(args, 0).map(|t| Value::str(&encode(&t, ";,/?:@&=+$#"))))
}

fn decode_url_component(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    match str_arg(args, 0) {
        Some(t) => Ok(s(&decode(&t, "", call.position)?)),
        None => Ok(None),
    }
}

fn decode_url(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    match str_arg(args, 0) {
        Some(t) => Ok(s(&decode(&t, ";,/?:@&=+$#", call.position)?)),
        None => Ok(None),
    }
}

// ----- numbers ---------------------------------------------------------------------------

fn format_number(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(args, 1).unwrap_or_else(|| Rc::from(""));
    let options = match arg(args, 2) {
        Some(Value::Object(o)) => Some(o.clone()),
        _ => None,
    };
    Ok(s(&crate::format::format_number(
        n,
        &picture,
        options.as_deref().map(|o| &o.map),
        call.position,
    )?))
}

fn format_base(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    let radix = num_arg(args, 1).unwrap_or(10.0).trunc();
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new(
            "D3100",
            call.position,
            "The radix of the formatBase function must be between 2 and 36",
        ));
    }
    let n = round_half_even(n, 0);
    let neg = n < 0.0;
    let mut v = n.abs();
    let mut digits = Vec::new();
    let r = radix;
    if v == 0.0 {
        digits.push('0');
    }
    while v >= 1.0 {
        let d = (v % r) as u32;
        digits.push(std::char::from_digit(d, r as u32).unwrap_or('0'));
        v = (v / r).floor();
    }
    if neg {
        digits.push('-');
    }
    digits.reverse();
    Ok(s(&digits.into_iter().collect::<String>()))
}

fn format_integer(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(args, 1).unwrap_or_else(|| Rc::from(""));
    Ok(s(&crate::format::format_integer(
        n,
        &picture,
        call.position,
    )?))
}

fn parse_integer(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(args, 1).unwrap_or_else(|| Rc::from(""));
    Ok(crate::format::parse_integer(&text, &picture, call.position)?.map(Value::Number))
}

/// JavaScript's `Number(string)` restricted as JSONata's `$number` does.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let radix = |p: &str, r: u32| -> Option<f64> {
        let digits = body
            .strip_prefix(p)
            .or_else(|| body.strip_prefix(&p.to_uppercase()))?;
        if digits.is_empty() || neg || t.starts_with('+') {
            return None;
        }
        digits.chars().try_fold(0f64, |acc, c| {
            c.to_digit(r).map(|d| acc * f64::from(r) + f64::from(d))
        })
    };
    if let Some(v) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return Some(v);
    }
    let valid = {
        let b = body.as_bytes();
        let mut i = 0;
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i - s
        };
        let int = digits(&mut i);
        let mut frac = 0;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            frac = digits(&mut i);
        }
        let mut ok = int + frac > 0;
        if ok && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            ok = digits(&mut i) > 0;
        }
        ok && i == b.len()
    };
    if !valid || t.starts_with('+') {
        return None;
    }
    let v: f64 = body.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn number(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(v) = arg(args, 0) else {
        return Ok(None);
    };
    let n = match v {
        Value::Number(n) => Some(*n),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::String(t) => parse_number(t).filter(|n| n.is_finite()),
        _ => None,
    };
    match n {
        Some(n) => Ok(num(n)),
        None => Err(Error::new(
            "D3030",
            call.position,
            format!("Unable to cast value to a number: {}", v.describe()),
        )),
    }
}

fn floor(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num_arg(args, 0).map(|n| Value::Number(n.floor() + 0.0)))
}

fn ceil(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num_arg(args, 0).map(|n| Value::Number(n.ceil() + 0.0)))
}

fn abs(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num_arg(args, 0).map(|n| Value::Number(n.abs())))
}

/// Shifts the decimal point of `n` by `by` places exactly as the reference does, through the
/// number's decimal text.
fn shift(n: f64, by: i32) -> f64 {
    let text = js_number(n);
    let (m, e) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    format!("{m}e{}", e + by).parse().unwrap_or(n)
}

/// Rounds half to even at `precision` decimal places.
pub(crate) fn round_half_even(n: f64, precision: i32) -> f64 {
    let v = if precision != 0 {
        shift(n, precision)
    } else {
        n
    };
    let mut r = (v + 0.5).floor();
    if (r - v).abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    let r = if precision != 0 {
        shift(r, -precision)
    } else {
        r
    };
    if r == 0.0 { 0.0 } else { r }
}

fn round(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    let p = num_arg(args, 1).unwrap_or(0.0).trunc() as i32;
    Ok(num(round_half_even(n, p)))
}

fn sqrt(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    if n < 0.0 {
        return Err(Error::new(
            "D3060",
            call.position,
            "The sqrt function cannot be applied to a negative number",
        ));
    }
    Ok(num(n.sqrt()))
}

fn power(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(b) = num_arg(args, 0) else {
        return Ok(None);
    };
    let e = num_arg(args, 1).unwrap_or(f64::NAN);
    let r = b.powf(e);
    if !r.is_finite() {
        return Err(Error::new(
            "D3061",
            call.position,
            "The power function has resulted in a value that cannot be represented as a JSON number",
        ));
    }
    Ok(num(r))
}

/// The next number in [0, 1) from the caller-seeded generator (SplitMix64).
pub(crate) fn next_random(ev: &mut Evaluator) -> f64 {
    ev.rng = ev.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = ev.rng;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn random(ev: &mut Evaluator, _: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num(next_random(ev)))
}

// ----- booleans --------------------------------------------------------------------------

fn boolean_(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(arg(args, 0).map(|v| Value::Bool(boolean(v))))
}

fn not(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(arg(args, 0).map(|v| Value::Bool(!boolean(v))))
}

fn exists(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(Some(Value::Bool(arg(args, 0).is_some())))
}

// ----- higher-order functions ------------------------------------------------------------

fn arity(f: &Value) -> usize {
    match f {
        Value::Function(f) => f.arity(),
        _ => 0,
    }
}

/// Calls `f` with as many of (item, index, array) as it takes.
fn call_hof(
    ev: &mut Evaluator,
    f: &Value,
    item: &Value,
    index: usize,
    array: &Value,
    pos: usize,
) -> Result<Option<Value>> {
    call_with(ev, f, item, Value::Number(index as f64), array, pos)
}

/// Calls `f` with as many of (value, where, whole) as it takes: an array item, its index and
/// the array, or an object's value, its key and the object.
fn call_with(
    ev: &mut Evaluator,
    f: &Value,
    value: &Value,
    at: Value,
    whole: &Value,
    pos: usize,
) -> Result<Option<Value>> {
    let n = arity(f);
    let mut args = vec![Some(value.clone())];
    if n >= 2 {
        args.push(Some(at));
    }
    if n >= 3 {
        args.push(Some(whole.clone()));
    }
    ev.apply(Some(f.clone()), args, None, pos)
}

fn hof_input(args: Args) -> (Vec<Value>, Value) {
    match arg(args, 0) {
        Some(v @ Value::Array(a)) => (a.items.clone(), v.clone()),
        Some(v) => (vec![v.clone()], Value::array(vec![v.clone()])),
        None => (Vec::new(), Value::array(Vec::new())),
    }
}

fn map(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    if arg(args, 0).is_none() {
        return Ok(None);
    }
    let (items, array) = hof_input(args);
    let f = arg(args, 1).cloned().unwrap_or(Value::Null);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(v) = call_hof(ev, &f, item, i, &array, call.position)? {
            out.push(v);
        }
    }
    Ok(Some(Value::seq(out)))
}

fn filter(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    if arg(args, 0).is_none() {
        return Ok(None);
    }
    let (items, array) = hof_input(args);
    let f = arg(args, 1).cloned().unwrap_or(Value::Null);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if truthy(&call_hof(ev, &f, item, i, &array, call.position)?) {
            out.push(item.clone());
        }
    }
    Ok(Some(Value::seq(out)))
}

fn single(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    if arg(args, 0).is_none() {
        return Ok(None);
    }
    let (items, array) = hof_input(args);
    let mut found = None;
    for (i, item) in items.iter().enumerate() {
        let ok = match arg(args, 1) {
            Some(f) => truthy(&call_hof(ev, f, item, i, &array, call.position)?),
            None => true,
        };
        if ok {
            if found.is_some() {
                return Err(Error::new(
                    "D3138",
                    call.position,
                    "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                ));
            }
            found = Some(item.clone());
        }
    }
    match found {
        Some(v) => Ok(Some(v)),
        None => Err(Error::new(
            "D3139",
            call.position,
            "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        )),
    }
}

fn reduce(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    if arg(args, 0).is_none() {
        return Ok(None);
    }
    let (items, array) = hof_input(args);
    let f = arg(args, 1).cloned().unwrap_or(Value::Null);
    let n = arity(&f);
    if n < 2 {
        return Err(Error::new(
            "D3050",
            call.position,
            "The second argument of reduce function must be a function with at least two arguments",
        ));
    }
    let mut iter = items.iter().enumerate();
    let mut acc = match arg(args, 2) {
        Some(init) => Some(init.clone()),
        None => iter.next().map(|(_, v)| v.clone()),
    };
    for (i, item) in iter {
        let mut a = vec![acc, Some(item.clone())];
        if n >= 3 {
            a.push(Some(Value::Number(i as f64)));
        }
        if n >= 4 {
            a.push(Some(array.clone()));
        }
        acc = ev.apply(Some(f.clone()), a, None, call.position)?;
    }
    Ok(acc)
}

fn sift(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(Value::Object(o)) = arg(args, 0) else {
        return Ok(None);
    };
    let f = arg(args, 1).cloned().unwrap_or(Value::Null);
    let whole = Value::Object(o.clone());
    let mut out = Map::default();
    for (k, v) in o.iter() {
        if truthy(&call_with(ev, &f, v, Value::str(k), &whole, call.position)?) {
            out.insert(k.clone(), v.clone());
        }
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some(Value::object(out)))
}

fn each(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(Value::Object(o)) = arg(args, 0) else {
        return Ok(None);
    };
    let f = arg(args, 1).cloned().unwrap_or(Value::Null);
    let whole = Value::Object(o.clone());
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        if let Some(r) = call_with(ev, &f, v, Value::str(k), &whole, call.position)? {
            out.push(r);
        }
    }
    Ok(Some(Value::seq(out)))
}

fn zip(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let arrays: Vec<Vec<Value>> = args
        .iter()
        .map(|a| a.as_ref().map(Value::items).unwrap_or_default())
        .collect();
    let n = arrays.iter().map(Vec::len).min().unwrap_or(0);
    Ok(Some(Value::array(
        (0..n)
            .map(|i| Value::array(arrays.iter().map(|a| a[i].clone()).collect()))
            .collect(),
    )))
}

fn sort(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(input) = arg(args, 0) else {
        return Ok(None);
    };
    let items = input.items();
    if items.len() <= 1 {
        return Ok(Some(input.clone()));
    }
    let sorted = match arg(args, 1) {
        None => {
            let all_num = items.iter().all(|v| matches!(v, Value::Number(_)));
            let all_str = items.iter().all(|v| matches!(v, Value::String(_)));
            if !all_num && !all_str {
                return Err(Error::new(
                    "D3070",
                    call.position,
                    "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
                ));
            }
            let mut items = items;
            crate::eval::stable_sort(&mut items, |a, b| match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
                (Value::String(x), Value::String(y)) => cmp_str(x, y),
                _ => std::cmp::Ordering::Equal,
            });
            items
        }
        Some(f) => merge_sort(ev, items, f, call.position)?,
    };
    Ok(Some(Value::array(sorted)))
}

/// A stable merge sort where `f(a, b)` true means `a` goes after `b`.
fn merge_sort(ev: &mut Evaluator, items: Vec<Value>, f: &Value, pos: usize) -> Result<Vec<Value>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut right = items;
    let left = right.drain(..right.len() / 2).collect();
    let left = merge_sort(ev, left, f, pos)?;
    let right = merge_sort(ev, right, f, pos)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        let swap = ev.apply(
            Some(f.clone()),
            vec![Some(left[i].clone()), Some(right[j].clone())],
            None,
            pos,
        )?;
        if truthy(&swap) {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

fn shuffle(ev: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(input) = arg(args, 0) else {
        return Ok(None);
    };
    let mut items = input.items();
    for i in (1..items.len()).rev() {
        let j = (next_random(ev) * (i + 1) as f64) as usize;
        items.swap(i, j.min(i));
    }
    Ok(Some(Value::array(items)))
}

fn distinct(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(input) = arg(args, 0) else {
        return Ok(None);
    };
    let Value::Array(a) = input else {
        return Ok(Some(input.clone()));
    };
    let mut seen = crate::value::ValueIndex::default();
    let out: Vec<Value> = (0..a.items.len())
        .filter(|&i| seen.insert(&a.items, i))
        .map(|i| a.items[i].clone())
        .collect();
    Ok(Some(if a.seq {
        Value::seq(out)
    } else {
        Value::array(out)
    }))
}

fn reverse(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(input) = arg(args, 0) else {
        return Ok(None);
    };
    let mut items = input.items();
    items.reverse();
    Ok(Some(Value::array(items)))
}

fn append_(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(append(arg(args, 0).cloned(), arg(args, 1).cloned()))
}

// ----- objects ---------------------------------------------------------------------------

fn keys(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let mut out: indexmap::IndexSet<String, crate::value::FastHash> = indexmap::IndexSet::default();
    match arg(args, 0) {
        Some(Value::Object(o)) => out.extend(o.keys().cloned()),
        Some(Value::Array(a)) => {
            for item in &a.items {
                if let Value::Object(o) = item {
                    out.extend(o.keys().cloned());
                }
            }
        }
        _ => {}
    }
    Ok(Some(Value::seq(
        out.iter().map(|k| Value::str(k)).collect(),
    )))
}

fn lookup_in(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Object(o) => o.get(key).cloned(),
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup_in(item, key) {
                    Some(Value::Array(inner)) => out.extend(inner.items.iter().cloned()),
                    Some(v) => out.push(v),
                    None => {}
                }
            }
            Some(Value::seq(out))
        }
        _ => None,
    }
}

fn lookup(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let (Some(v), Some(k)) = (arg(args, 0), str_arg(args, 1)) else {
        return Ok(None);
    };
    Ok(lookup_in(v, &k))
}

fn spread(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    fn go(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(a) => a.items.iter().for_each(|i| go(i, out)),
            Value::Object(o) => {
                for (k, v) in o.iter() {
                    let mut m = Map::default();
                    m.insert(k.clone(), v.clone());
                    out.push(Value::object(m));
                }
            }
            v => out.push(v.clone()),
        }
    }
    let Some(v) = arg(args, 0) else {
        return Ok(None);
    };
    if matches!(v, Value::Function(_)) {
        return Ok(Some(v.clone()));
    }
    let mut out = Vec::new();
    go(v, &mut out);
    Ok(Some(Value::seq(out)))
}

fn merge(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    let Some(v) = arg(args, 0) else {
        return Ok(None);
    };
    let mut out = Map::default();
    for item in v.items() {
        if let Value::Object(o) = item {
            for (k, v) in o.iter() {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Some(Value::object(out)))
}

fn error(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let msg = str_arg(args, 0).map_or_else(
        || "$error() function evaluated".to_string(),
        |m| m.to_string(),
    );
    Err(Error::new("D3137", call.position, msg))
}

fn assert(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    if matches!(arg(args, 0), Some(Value::Bool(true))) {
        return Ok(None);
    }
    let msg = str_arg(args, 1).map_or_else(
        || "$assert() statement failed".to_string(),
        |m| m.to_string(),
    );
    Err(Error::new("D3141", call.position, msg))
}

fn type_(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(arg(args, 0).map(|v| Value::str(v.type_name())))
}

fn clone(_: &mut Evaluator, args: Args, _: &Call) -> Result<Option<Value>> {
    Ok(arg(args, 0).cloned())
}

fn eval(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(src) = str_arg(args, 0) else {
        return Ok(None);
    };
    let ast = crate::parse(&src).map_err(|e| {
        Error::new(
            "D3120",
            call.position,
            format!(
                "Syntax error in expression passed to function eval: {}",
                e.message
            ),
        )
    })?;
    let ctx = match arg(args, 1) {
        Some(v) => Some(v.clone()),
        None => call.input.cloned(),
    };
    let frame = ev.root_frame(ctx.as_ref())?;
    ev.eval(&ast, ctx.as_ref(), &frame).map_err(|e| {
        if e.code.starts_with('U') {
            e
        } else {
            Error::new(
                "D3121",
                call.position,
                format!(
                    "Dynamic error evaluating the expression passed to function eval: {}",
                    e.message
                ),
            )
        }
    })
}

// ----- dates and times -------------------------------------------------------------------

fn now(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let millis = ev.env.now as f64;
    let picture = str_arg(args, 0);
    let tz = str_arg(args, 1);
    Ok(s(&crate::format::from_millis(
        millis,
        picture.as_deref(),
        tz.as_deref(),
        call.position,
    )?))
}

fn millis(ev: &mut Evaluator, _: Args, _: &Call) -> Result<Option<Value>> {
    Ok(num(ev.env.now as f64))
}

fn from_millis(_: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(n) = num_arg(args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(args, 1);
    let tz = str_arg(args, 2);
    Ok(s(&crate::format::from_millis(
        n,
        picture.as_deref(),
        tz.as_deref(),
        call.position,
    )?))
}

fn to_millis(ev: &mut Evaluator, args: Args, call: &Call) -> Result<Option<Value>> {
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(args, 1);
    Ok(
        crate::format::to_millis(&text, picture.as_deref(), ev.env.now, call.position)?
            .map(Value::Number),
    )
}
