//! Picture-string formatting: `$formatNumber`, `$formatInteger`/`$parseInteger` and the
//! date/time functions, following the XPath/XQuery F&O 3.1 rules that JSONata adopts.

use crate::error::{Error, Result};
use crate::functions::round_half_even;
use crate::value::{Map, Value};

/// The zero of every decimal digit family we recognise (Unicode `Nd` blocks in common use).
const ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The zero of `c`'s digit family and its value, when `c` is a decimal digit.
fn digit(c: char) -> Option<(u32, u32)> {
    let u = c as u32;
    ZEROS
        .iter()
        .find(|&&z| u >= z && u < z + 10)
        .map(|&z| (z, u - z))
}

// ----- integers ------------------------------------------------------------------------------

const FEW: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const FEW_ORD: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];
const DECADES: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const DECADES_ORD: [&str; 8] = [
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];
const MAGNITUDES: [&str; 4] = ["thousand", "million", "billion", "trillion"];

fn words(n: f64, prev: bool, ord: bool) -> String {
    let mut out = String::new();
    if n <= 19.0 {
        if prev {
            out.push_str(" and ");
        }
        let i = n as usize;
        out.push_str(if ord { FEW_ORD[i] } else { FEW[i] });
    } else if n < 100.0 {
        let tens = (n / 10.0).floor() as usize;
        let rem = n % 10.0;
        if prev {
            out.push_str(" and ");
        }
        out.push_str(if ord && rem == 0.0 {
            DECADES_ORD[tens - 2]
        } else {
            DECADES[tens - 2]
        });
        if rem > 0.0 {
            out.push('-');
            out.push_str(&words(rem, false, ord));
        }
    } else if n < 1000.0 {
        let hundreds = (n / 100.0).floor() as usize;
        let rem = n % 100.0;
        if prev {
            out.push_str(", ");
        }
        out.push_str(FEW[hundreds]);
        out.push_str(" hundred");
        if rem > 0.0 {
            out.push_str(&words(rem, true, ord));
        } else if ord {
            out.push_str("th");
        }
    } else {
        let mut mag = (n.log10() / 3.0).floor() as usize;
        mag = mag.clamp(1, MAGNITUDES.len());
        let factor = 10f64.powi(3 * mag as i32);
        let mant = (n / factor).floor();
        let rem = n - mant * factor;
        if prev {
            out.push_str(", ");
        }
        out.push_str(&words(mant, false, false));
        out.push(' ');
        out.push_str(MAGNITUDES[mag - 1]);
        if rem > 0.0 {
            out.push_str(&words(rem, true, ord));
        } else if ord {
            out.push_str("th");
        }
    }
    out
}

fn word_value(w: &str) -> Option<f64> {
    if let Some(i) = FEW.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = FEW_ORD.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = DECADES.iter().position(|x| *x == w) {
        return Some((i as f64 + 2.0) * 10.0);
    }
    if let Some(i) = DECADES_ORD.iter().position(|x| *x == w) {
        return Some((i as f64 + 2.0) * 10.0);
    }
    let w = w.strip_suffix("th").unwrap_or(w);
    if w == "hundred" {
        return Some(100.0);
    }
    MAGNITUDES
        .iter()
        .position(|x| *x == w)
        .map(|i| 10f64.powi(3 * (i as i32 + 1)))
}

fn parse_words(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let mut segs = vec![0f64];
    for w in lower
        .split([' ', '-', ','])
        .filter(|w| !w.is_empty() && *w != "and")
    {
        let v = word_value(w)?;
        if v < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + v);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * v);
        }
    }
    Some(segs.iter().sum())
}

const ROMAN: [(u64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

fn roman(mut n: u64) -> String {
    let mut out = String::new();
    for (v, s) in ROMAN {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn parse_roman(text: &str) -> f64 {
    let value = |c: char| match c.to_ascii_lowercase() {
        'i' => 1.0,
        'v' => 5.0,
        'x' => 10.0,
        'l' => 50.0,
        'c' => 100.0,
        'd' => 500.0,
        'm' => 1000.0,
        _ => 0.0,
    };
    let vals: Vec<f64> = text.chars().map(value).collect();
    let mut total = 0.0;
    for (i, v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|n| n > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    total
}

fn alpha(mut n: u64, base: char) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        out.push(char::from(base as u8 + d));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn parse_alpha(text: &str) -> f64 {
    text.chars().fold(0.0, |acc, c| {
        acc * 26.0 + (c.to_ascii_lowercase() as u32).saturating_sub('a' as u32 - 1) as f64
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Case {
    Lower,
    Upper,
    Title,
}

/// A primary format token of an integer picture.
enum Primary {
    Decimal {
        zero: u32,
        mandatory: usize,
        /// (position counted in digits from the right, separator)
        separators: Vec<(usize, char)>,
        regular: Option<(usize, char)>,
    },
    Roman(Case),
    Alpha(Case),
    Words(Case),
    /// `N`/`n`/`Nn` names (dates only).
    Name(Case),
}

struct IntPicture {
    primary: Primary,
    ordinal: bool,
}

fn parse_int_picture(picture: &str, pos: usize, dates: bool) -> Result<IntPicture> {
    let (primary, modifier) = match picture.rfind(';') {
        Some(i) if i > 0 => (&picture[..i], &picture[i + 1..]),
        _ => (picture, ""),
    };
    let ordinal = modifier.starts_with('o');
    let p = match primary {
        "I" => Primary::Roman(Case::Upper),
        "i" => Primary::Roman(Case::Lower),
        "A" => Primary::Alpha(Case::Upper),
        "a" => Primary::Alpha(Case::Lower),
        "W" => Primary::Words(Case::Upper),
        "w" => Primary::Words(Case::Lower),
        "Ww" => Primary::Words(Case::Title),
        "N" if dates => Primary::Name(Case::Upper),
        "n" if dates => Primary::Name(Case::Lower),
        "Nn" if dates => Primary::Name(Case::Title),
        _ => {
            let mut zero = None;
            let mut mandatory = 0;
            let mut digits = 0;
            let mut separators_left: Vec<(usize, char)> = Vec::new();
            let mut any = false;
            for c in primary.chars() {
                if let Some((z, _)) = digit(c) {
                    if zero.is_some_and(|old| old != z) {
                        return Err(Error::new(
                            "D3131",
                            pos,
                            "In a decimal digit pattern, all digits must be from the same decimal group",
                        ));
                    }
                    zero = Some(z);
                    mandatory += 1;
                    digits += 1;
                    any = true;
                } else if c == '#' {
                    digits += 1;
                    any = true;
                } else if c.is_alphanumeric() {
                    return Err(Error::new(
                        if dates { "D3133" } else { "D3130" },
                        pos,
                        format!(
                            "Formatting or parsing an integer as a sequence starting with {c} is not supported by this implementation"
                        ),
                    ));
                } else {
                    separators_left.push((digits, c));
                }
            }
            if !any || mandatory == 0 {
                return Err(Error::new(
                    "D3130",
                    pos,
                    format!(
                        "Formatting or parsing an integer as a sequence starting with {primary} is not supported by this implementation"
                    ),
                ));
            }
            let separators: Vec<(usize, char)> = separators_left
                .iter()
                .map(|&(left, c)| (digits - left, c))
                .collect();
            let regular = match separators.last() {
                Some(&(g, c)) if g > 0 => {
                    let mut sorted: Vec<usize> = separators.iter().map(|s| s.0).collect();
                    sorted.sort_unstable();
                    let same = separators.iter().all(|s| s.1 == c);
                    let spaced = sorted.iter().enumerate().all(|(i, &p)| p == g * (i + 1));
                    (same && spaced).then_some((g, c))
                }
                _ => None,
            };
            Primary::Decimal {
                zero: zero.unwrap_or(0x30),
                mandatory,
                separators,
                regular,
            }
        }
    };
    Ok(IntPicture {
        primary: p,
        ordinal,
    })
}

fn apply_case(s: &str, case: Case) -> String {
    match case {
        Case::Lower => s.to_string(),
        Case::Upper => s.to_uppercase(),
        Case::Title => {
            let mut out = String::new();
            let mut start = true;
            let mut word = String::new();
            let flush = |word: &mut String, out: &mut String| {
                if word == "and" {
                    out.push_str(word);
                } else {
                    let mut cs = word.chars();
                    if let Some(f) = cs.next() {
                        out.extend(f.to_uppercase());
                        out.push_str(cs.as_str());
                    }
                }
                word.clear();
            };
            for c in s.chars() {
                if c.is_alphabetic() {
                    word.push(c);
                    start = false;
                } else {
                    flush(&mut word, &mut out);
                    out.push(c);
                    start = true;
                }
            }
            let _ = start;
            flush(&mut word, &mut out);
            out
        }
    }
}

fn ordinal_suffix(n: u64) -> &'static str {
    if (11..=13).contains(&(n % 100)) {
        return "th";
    }
    match n % 10 {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

fn group_digits(
    digits: &str,
    separators: &[(usize, char)],
    regular: Option<(usize, char)>,
) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let n = chars.len();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let from_right = n - i;
        if i > 0 {
            let sep = match regular {
                Some((g, s)) => from_right.is_multiple_of(g).then_some(s),
                None => separators
                    .iter()
                    .find(|(p, _)| *p == from_right)
                    .map(|(_, s)| *s),
            };
            if let Some(s) = sep {
                out.push(s);
            }
        }
        out.push(*c);
    }
    out
}

fn format_with(n: f64, pic: &IntPicture) -> String {
    let neg = n < 0.0;
    let abs = n.abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let int = abs.floor();
    match &pic.primary {
        Primary::Decimal {
            zero,
            mandatory,
            separators,
            regular,
        } => {
            let mut digits = format!("{int:.0}");
            while digits.len() < *mandatory {
                digits.insert(0, '0');
            }
            let mapped: String = digits
                .chars()
                .map(|c| char::from_u32(zero + (c as u32 - 0x30)).unwrap_or(c))
                .collect();
            out.push_str(&group_digits(&mapped, separators, *regular));
            if pic.ordinal {
                out.push_str(ordinal_suffix(int as u64));
            }
        }
        // Roman numerals of huge numbers would be millions of `m`s: write those in digits.
        Primary::Roman(_) if int > 1e7 => out.push_str(&format!("{int:.0}")),
        Primary::Roman(case) => out.push_str(&apply_case(&roman(int as u64), *case)),
        Primary::Alpha(case) => out.push_str(&apply_case(&alpha(int as u64, 'a'), *case)),
        Primary::Words(case) | Primary::Name(case) => {
            out.push_str(&apply_case(&words(int, false, pic.ordinal), *case))
        }
    }
    out
}

pub(crate) fn format_integer(n: f64, picture: &str, pos: usize) -> Result<String> {
    let pic = parse_int_picture(picture, pos, false)?;
    if !n.is_finite() {
        return Err(Error::new(
            "D3001",
            pos,
            "Attempting to format Infinity or NaN as an integer",
        ));
    }
    Ok(format_with(n, &pic))
}

fn parse_with(text: &str, pic: &IntPicture) -> Option<f64> {
    match &pic.primary {
        Primary::Decimal { .. } => {
            let mut v = 0.0;
            let mut any = false;
            for c in text.chars() {
                if let Some((_, d)) = digit(c) {
                    v = v * 10.0 + f64::from(d);
                    any = true;
                }
            }
            any.then_some(v)
        }
        Primary::Roman(_) => Some(parse_roman(text)),
        Primary::Alpha(_) => Some(parse_alpha(text)),
        Primary::Words(_) | Primary::Name(_) => parse_words(text),
    }
}

pub(crate) fn parse_integer(text: &str, picture: &str, pos: usize) -> Result<Option<f64>> {
    let pic = parse_int_picture(picture, pos, false)?;
    Ok(parse_with(text, &pic))
}

// ----- numbers -------------------------------------------------------------------------------

struct Symbols {
    decimal: char,
    group: char,
    exponent: char,
    percent: char,
    per_mille: char,
    zero: char,
    digit: char,
    pattern: char,
    minus: char,
    infinity: String,
    nan: String,
}

fn option_char(options: Option<&Map>, key: &str, default: char) -> char {
    match options.and_then(|o| o.get(key)) {
        Some(Value::String(s)) => s.chars().next().unwrap_or(default),
        _ => default,
    }
}

pub(crate) fn format_number(
    n: f64,
    picture: &str,
    options: Option<&Map>,
    pos: usize,
) -> Result<String> {
    let sym = Symbols {
        decimal: option_char(options, "decimal-separator", '.'),
        group: option_char(options, "grouping-separator", ','),
        exponent: option_char(options, "exponent-separator", 'e'),
        percent: option_char(options, "percent", '%'),
        per_mille: option_char(options, "per-mille", '\u{2030}'),
        zero: option_char(options, "zero-digit", '0'),
        digit: option_char(options, "digit", '#'),
        pattern: option_char(options, "pattern-separator", ';'),
        minus: option_char(options, "minus-sign", '-'),
        infinity: match options.and_then(|o| o.get("infinity")) {
            Some(Value::String(s)) => s.to_string(),
            _ => "Infinity".into(),
        },
        nan: match options.and_then(|o| o.get("NaN")) {
            Some(Value::String(s)) => s.to_string(),
            _ => "NaN".into(),
        },
    };
    let parts: Vec<&str> = picture.split(sym.pattern).collect();
    if parts.len() > 2 {
        return Err(Error::new(
            "D3080",
            pos,
            "The picture string must only contain a maximum of two sub-pictures",
        ));
    }
    let pics: Vec<SubPicture> = parts
        .iter()
        .map(|p| analyse(p, &sym, pos))
        .collect::<Result<_>>()?;
    if n.is_nan() {
        return Ok(sym.nan);
    }
    let (pic, neg_prefix) = if n < 0.0 {
        match pics.get(1) {
            Some(p) => (p, String::new()),
            None => (&pics[0], sym.minus.to_string()),
        }
    } else {
        (&pics[0], String::new())
    };
    let prefix = format!("{neg_prefix}{}", pic.prefix);
    if n.is_infinite() {
        return Ok(format!("{prefix}{}{}", sym.infinity, pic.suffix));
    }
    let mut v = n.abs();
    if pic.percent {
        v *= 100.0;
    } else if pic.per_mille {
        v *= 1000.0;
    }
    let mut exponent = 0i32;
    if pic.exponent.is_some() && v != 0.0 {
        let target = pic.min_int as i32;
        // Scale so the mantissa has `target` digits before the point (0.x when none).
        let mut e = v.log10().floor() as i32 + 1 - target;
        let mut m = v / 10f64.powi(e);
        let upper = 10f64.powi(target);
        let lower = if target == 0 {
            0.1
        } else {
            10f64.powi(target - 1)
        };
        if m >= upper {
            e += 1;
            m /= 10.0;
        } else if m < lower {
            e -= 1;
            m *= 10.0;
        }
        exponent = e;
        v = m;
    }
    let v = round_half_even(v, pic.max_frac as i32);
    let text = format!("{:.*}", pic.max_frac, v);
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut int_part = int_part.trim_start_matches('0').to_string();
    while int_part.len() < pic.min_int {
        int_part.insert(0, '0');
    }
    let mut frac_part = frac_part;
    while frac_part.len() > pic.min_frac && frac_part.ends_with('0') {
        frac_part.pop();
    }
    if int_part.is_empty() && pic.exponent.is_some() && pic.max_int > 0 {
        int_part.push('0');
    }
    if int_part.is_empty() && frac_part.is_empty() {
        if pic.max_frac > 0 && pic.min_int == 0 {
            frac_part.push('0');
        } else {
            int_part.push('0');
        }
    }
    let map = |s: &str| -> String {
        s.chars()
            .map(|c| char::from_u32(sym.zero as u32 + (c as u32 - 0x30)).unwrap_or(c))
            .collect()
    };
    let mut out = prefix;
    out.push_str(&group_digits(
        &map(&int_part),
        &pic.int_groups,
        pic.int_regular,
    ));
    if !frac_part.is_empty() {
        out.push(sym.decimal);
        for (i, c) in map(&frac_part).chars().enumerate() {
            if i > 0 && pic.frac_groups.contains(&i) {
                out.push(sym.group);
            }
            out.push(c);
        }
    }
    if let Some(min_exp) = pic.exponent {
        out.push(sym.exponent);
        if exponent < 0 {
            out.push(sym.minus);
        }
        let mut e = exponent.abs().to_string();
        while e.len() < min_exp {
            e.insert(0, '0');
        }
        out.push_str(&map(&e));
    }
    out.push_str(&pic.suffix);
    Ok(out)
}

struct SubPicture {
    prefix: String,
    suffix: String,
    percent: bool,
    per_mille: bool,
    min_int: usize,
    /// Digits (mandatory or optional) in the integer part of the picture.
    max_int: usize,
    min_frac: usize,
    max_frac: usize,
    int_groups: Vec<(usize, char)>,
    int_regular: Option<(usize, char)>,
    frac_groups: Vec<usize>,
    exponent: Option<usize>,
}

fn analyse(p: &str, sym: &Symbols, pos: usize) -> Result<SubPicture> {
    let chars: Vec<char> = p.chars().collect();
    let is_digit = |c: char| {
        c == sym.digit || (c as u32 >= sym.zero as u32 && c as u32 <= sym.zero as u32 + 9)
    };
    let is_active =
        |c: char| is_digit(c) || c == sym.decimal || c == sym.group || c == sym.exponent;
    let bad = |code: &'static str, msg: &str| Err(Error::new(code, pos, msg.to_string()));
    // The mantissa and exponent: an exponent separator counts only between digits.
    let first = chars
        .iter()
        .position(|&c| is_digit(c) || c == sym.decimal || c == sym.group);
    let Some(first) = first else {
        // Without active characters the reference finds passive ones "between" them.
        return bad(
            "D3086",
            "A sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
        );
    };
    let mut last = first;
    let mut i = first;
    let mut exp_at = None;
    while i < chars.len() {
        let c = chars[i];
        if c == sym.exponent
            && exp_at.is_none()
            && i > first
            && chars.get(i + 1).is_some_and(|&d| is_digit(d))
        {
            exp_at = Some(i);
            last = i;
        } else if is_digit(c) || c == sym.decimal || c == sym.group {
            last = i;
        }
        i += 1;
    }
    let prefix: String = chars[..first].iter().collect();
    let suffix: String = chars[last + 1..].iter().collect();
    let active = &chars[first..=last];
    // A passive character between active ones.
    if active.iter().any(|&c| !is_active(c)) {
        return bad(
            "D3086",
            "A sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
        );
    }
    let count = |c: char| p.chars().filter(|&x| x == c).count();
    if count(sym.decimal) > 1 {
        return bad(
            "D3081",
            "A sub-picture must not contain more than one instance of the decimal-separator character",
        );
    }
    if count(sym.percent) > 1 {
        return bad(
            "D3082",
            "A sub-picture must not contain more than one instance of the percent character",
        );
    }
    if count(sym.per_mille) > 1 {
        return bad(
            "D3083",
            "A sub-picture must not contain more than one instance of the per-mille character",
        );
    }
    let percent = count(sym.percent) == 1;
    let per_mille = count(sym.per_mille) == 1;
    if percent && per_mille {
        return bad(
            "D3084",
            "A sub-picture must not contain both a percent and a per-mille character",
        );
    }
    let (mantissa, exponent) = match exp_at {
        Some(e) => (&chars[first..e], Some(&chars[e + 1..=last])),
        None => (active, None),
    };
    if !mantissa.iter().any(|&c| is_digit(c)) {
        return bad(
            "D3085",
            "A sub-picture must contain at least one character that is an optional-digit character or a member of the decimal-digit-family",
        );
    }
    if let Some(e) = exponent {
        if percent || per_mille {
            return bad(
                "D3092",
                "A sub-picture that contains a percent or per-mille character must not contain a character treated as an exponent-separator",
            );
        }
        if e.iter()
            .any(|&c| !(c as u32 >= sym.zero as u32 && c as u32 <= sym.zero as u32 + 9))
        {
            return bad(
                "D3093",
                "The exponent part must consist solely of one or more decimal digits",
            );
        }
    }
    for w in mantissa.windows(2) {
        if (w[0] == sym.group && w[1] == sym.decimal) || (w[0] == sym.decimal && w[1] == sym.group)
        {
            return bad(
                "D3087",
                "A sub-picture must not contain a grouping-separator character that appears adjacent to a decimal-separator character",
            );
        }
        if w[0] == sym.group && w[1] == sym.group {
            return bad(
                "D3089",
                "A sub-picture must not contain two adjacent grouping-separator characters",
            );
        }
    }
    let (int_part, frac_part) = match mantissa.iter().position(|&c| c == sym.decimal) {
        Some(d) => (&mantissa[..d], Some(&mantissa[d + 1..])),
        None => (mantissa, None),
    };
    if int_part.last() == Some(&sym.group) && frac_part.is_none() {
        return bad(
            "D3088",
            "The integer part of a sub-picture must not end with a grouping-separator character",
        );
    }
    let is_zero = |c: char| c != sym.digit && is_digit(c);
    if let Some(z) = int_part.iter().position(|&c| is_zero(c))
        && int_part[z..].contains(&sym.digit)
    {
        return bad(
            "D3090",
            "The integer part of the sub-picture must not contain a member of the decimal-digit-family that is followed by an instance of the optional-digit character",
        );
    }
    if let Some(f) = frac_part
        && let Some(o) = f.iter().position(|&c| c == sym.digit)
        && f[o..].iter().any(|&c| is_zero(c))
    {
        return bad(
            "D3091",
            "The fractional part of the sub-picture must not contain an instance of the optional-digit character that is followed by a member of the decimal-digit-family",
        );
    }
    // Grouping positions in the integer part, counted in digits from the right.
    let mut int_groups = Vec::new();
    let mut digits_right = 0;
    for &c in int_part.iter().rev() {
        if c == sym.group {
            int_groups.push((digits_right, sym.group));
        } else if is_digit(c) {
            digits_right += 1;
        }
    }
    let int_regular = if int_groups.is_empty() {
        None
    } else {
        let g = int_groups[0].0;
        let spaced = int_groups
            .iter()
            .enumerate()
            .all(|(i, &(p, _))| p == g * (i + 1));
        (g > 0 && spaced).then_some((g, sym.group))
    };
    let mut frac_groups = Vec::new();
    let mut min_frac = 0;
    let mut max_frac = 0;
    if let Some(f) = frac_part {
        let mut d = 0;
        for &c in f {
            if c == sym.group {
                frac_groups.push(d);
            } else if is_digit(c) {
                d += 1;
                if is_zero(c) {
                    min_frac += 1;
                }
                max_frac += 1;
            }
        }
    }
    let mut min_int = int_part.iter().filter(|&&c| is_zero(c)).count();
    let has_zero_digit = mantissa.iter().any(|&c| is_zero(c));
    if !has_zero_digit && frac_part.is_none() {
        min_int = 1;
    }
    if exponent.is_none() && min_int == 0 && max_frac == 0 {
        min_int = 1;
    }
    if exponent.is_some() && min_int == 0 && max_frac == 0 {
        min_frac = 1;
        max_frac = 1;
    }
    if min_int == 0 && min_frac == 0 && frac_part.is_some() && exponent.is_none() {
        // `#.#` style pictures still show one digit for zero.
    }
    Ok(SubPicture {
        prefix,
        suffix,
        percent,
        per_mille,
        min_int,
        max_int: int_part.iter().filter(|&&c| is_digit(c)).count(),
        min_frac,
        max_frac,
        int_groups,
        int_regular,
        frac_groups,
        exponent: exponent.map(<[char]>::len),
    })
}

// ----- dates and times -----------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO day of week, 1 = Monday.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The ISO week-numbering year and week of a day.
fn iso_week(days: i64) -> (i64, i64) {
    let (y, _, _) = civil_from_days(days);
    let thursday = days - weekday(days) + 4;
    let (wy, _, _) = civil_from_days(thursday);
    let _ = y;
    let jan1 = days_from_civil(wy, 1, 1);
    (wy, (thursday - jan1) / 7 + 1)
}

struct Marker {
    component: char,
    presentation: String,
    min_width: Option<usize>,
    max_width: Option<usize>,
}

enum Part {
    Literal(String),
    Marker(Marker),
}

fn parse_picture(picture: &str, pos: usize) -> Result<Vec<Part>> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let chars: Vec<char> = picture.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' && chars.get(i + 1) == Some(&'[') {
            lit.push('[');
            i += 2;
        } else if c == ']' && chars.get(i + 1) == Some(&']') {
            lit.push(']');
            i += 2;
        } else if c == '[' {
            let Some(end) = chars[i..].iter().position(|&c| c == ']') else {
                return Err(Error::new(
                    "D3135",
                    pos,
                    "No matching closing bracket ']' in date/time picture string",
                ));
            };
            if !lit.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut lit)));
            }
            let body: String = chars[i + 1..i + end]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            parts.push(Part::Marker(parse_marker(&body)));
            i += end + 1;
        } else {
            lit.push(c);
            i += 1;
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Literal(lit));
    }
    Ok(parts)
}

fn parse_marker(body: &str) -> Marker {
    let mut chars = body.chars();
    let component = chars.next().unwrap_or(' ');
    let rest = chars.as_str();
    let (pres, width) = match rest.rfind(',') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (mut min_width, mut max_width) = (None, None);
    if let Some(w) = width {
        let (a, b) = match w.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (w, None),
        };
        min_width = a.parse().ok();
        max_width = b.and_then(|b| b.parse().ok());
    }
    let presentation = if pres.is_empty() {
        match component {
            'F' | 'P' | 'C' | 'E' => "n".to_string(),
            'm' | 's' => "01".to_string(),
            'Z' | 'z' => "01:01".to_string(),
            _ => "1".to_string(),
        }
    } else {
        pres.to_string()
    };
    Marker {
        component,
        presentation,
        min_width,
        max_width,
    }
}

fn parse_offset(tz: &str) -> Option<i64> {
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => (1, tz),
    };
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i64>().ok()?, 0),
        3 => (
            digits[..1].parse::<i64>().ok()?,
            digits[1..].parse::<i64>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 60 + m))
}

fn format_offset(minutes: i64, presentation: &str, pos: usize) -> Result<String> {
    let t = presentation.ends_with('t');
    let p = presentation.trim_end_matches('t');
    if t && minutes == 0 {
        return Ok("Z".into());
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    let sep: String = p.chars().filter(|c| !c.is_ascii_digit()).collect();
    Ok(match digits {
        1 | 2 => {
            let hh = if digits == 2 {
                format!("{h:02}")
            } else {
                h.to_string()
            };
            if m == 0 {
                format!("{sign}{hh}")
            } else {
                format!("{sign}{hh}:{m:02}")
            }
        }
        3 | 4 => {
            let hh = if p.starts_with("01") || digits == 4 {
                format!("{h:02}")
            } else {
                h.to_string()
            };
            format!("{sign}{hh}{sep}{m:02}")
        }
        _ => {
            return Err(Error::new(
                "D3134",
                pos,
                "The timezone integer format specifier cannot have more than four digits",
            ));
        }
    })
}

pub(crate) fn from_millis(
    millis: f64,
    picture: Option<&str>,
    tz: Option<&str>,
    pos: usize,
) -> Result<String> {
    let offset = tz.and_then(parse_offset).unwrap_or(0);
    let default = if tz.is_some() {
        "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"
    } else {
        "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z"
    };
    let picture = picture.unwrap_or(default);
    let parts = parse_picture(picture, pos)?;
    // JavaScript's dates span ±8.64e15 ms; beyond that there is no date to write.
    if !millis.is_finite() || millis.abs() > 8.64e15 {
        return Err(Error::new(
            "D3001",
            pos,
            "The number is not a valid timestamp",
        ));
    }
    let local = (millis.floor() as i64).saturating_add(offset * 60_000);
    let days = local.div_euclid(86_400_000);
    let ms_of_day = local.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let hour = ms_of_day / 3_600_000;
    let minute = ms_of_day / 60_000 % 60;
    let second = ms_of_day / 1000 % 60;
    let milli = ms_of_day % 1000;
    let mut out = String::new();
    for part in parts {
        let m = match part {
            Part::Literal(l) => {
                out.push_str(&l);
                continue;
            }
            Part::Marker(m) => m,
        };
        let value: i64 = match m.component {
            'Y' => y,
            'M' => mo,
            'D' => d,
            'd' => days - days_from_civil(y, 1, 1) + 1,
            'F' => weekday(days),
            'W' => iso_week(days).1,
            'X' => iso_week(days).0,
            'w' | 'x' => {
                // Week of month: weeks start on Monday; a week belongs to the month holding
                // its Thursday.
                let thursday = days - weekday(days) + 4;
                let (ty, tm, _) = civil_from_days(thursday);
                let first = days_from_civil(ty, tm, 1);
                let first_thursday = first + (4 - weekday(first)).rem_euclid(7);
                if m.component == 'x' {
                    tm
                } else {
                    (thursday - first_thursday) / 7 + 1
                }
            }
            'H' => hour,
            'h' => {
                let h = hour % 12;
                if h == 0 { 12 } else { h }
            }
            'P' => {
                let s = if hour < 12 { "am" } else { "pm" };
                out.push_str(&name_case(s, &m.presentation));
                continue;
            }
            'm' => minute,
            's' => second,
            'f' => milli,
            'Z' | 'z' => {
                if m.component == 'z' {
                    out.push_str("GMT");
                }
                out.push_str(&format_offset(offset, &m.presentation, pos)?);
                continue;
            }
            'C' | 'E' => {
                out.push_str("ISO");
                continue;
            }
            _ => {
                return Err(Error::new(
                    "D3132",
                    pos,
                    format!(
                        "Unknown component specifier {} in date/time picture string",
                        m.component
                    ),
                ));
            }
        };
        let pres = m.presentation.as_str();
        if pres.starts_with('N') || pres.starts_with('n') {
            let name = match m.component {
                'M' | 'x' => MONTHS[(value - 1).clamp(0, 11) as usize],
                'F' => DAYS[(value - 1).clamp(0, 6) as usize],
                _ => {
                    return Err(Error::new(
                        "D3133",
                        pos,
                        format!(
                            "The {} component cannot be represented as a name",
                            m.component
                        ),
                    ));
                }
            };
            let mut s = name_case(name, pres);
            if let Some(max) = m.max_width {
                s = s.chars().take(max).collect();
            }
            out.push_str(&s);
            continue;
        }
        if m.component == 'f' {
            let digits = pres.chars().filter(|c| digit(*c).is_some()).count().max(1);
            let s = format!("{milli:03}");
            let s: String = if digits <= 3 {
                s.chars().take(digits).collect()
            } else {
                format!("{s:0<digits$}")
            };
            out.push_str(&s);
            continue;
        }
        let mut pic = date_int_picture(pres, pos)?;
        let mut value = value;
        if m.component == 'Y' {
            let two = m.max_width == Some(2)
                || (m.min_width == Some(2) && m.max_width.is_none() && pres == "1")
                || matches!(&pic.primary, Primary::Decimal { mandatory: 2, .. } if m.min_width.is_none());
            if two {
                value %= 100;
                if let Primary::Decimal { mandatory, .. } = &mut pic.primary {
                    *mandatory = 2;
                }
            }
        }
        let mut s = format_with(value as f64, &pic);
        if let Some(min) = m.min_width
            && matches!(pic.primary, Primary::Decimal { .. })
        {
            while s.chars().count() < min {
                s.insert(0, '0');
            }
        }
        out.push_str(&s);
    }
    Ok(out)
}

/// An integer presentation of a date component, where an ordinal is a trailing `o`
/// (`[D1o]`, `[Dwo]`) rather than the `;o` of `$formatInteger`.
fn date_int_picture(pres: &str, pos: usize) -> Result<IntPicture> {
    match pres.strip_suffix('o') {
        Some(p) if !p.is_empty() => {
            let mut pic = parse_int_picture(p, pos, true)?;
            pic.ordinal = true;
            Ok(pic)
        }
        _ => parse_int_picture(pres, pos, true),
    }
}

fn name_case(name: &str, pres: &str) -> String {
    if pres.starts_with("Nn") {
        name.to_string()
    } else if pres.starts_with('N') {
        name.to_uppercase()
    } else {
        name.to_lowercase()
    }
}

/// Parses an ISO 8601 date/time as JavaScript's `Date` does (UTC unless an offset is given).
fn parse_iso(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let num = |s: &str| s.parse::<i64>().ok();
    let y = num(text.get(0..4)?)?;
    let mut i = 4;
    let (mut mo, mut d) = (1, 1);
    if b.get(i) == Some(&b'-') {
        mo = num(text.get(5..7)?)?;
        i = 7;
        if b.get(i) == Some(&b'-') {
            d = num(text.get(8..10)?)?;
            i = 10;
        }
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (mut h, mut mi, mut s, mut ms) = (0, 0, 0.0, 0.0);
    let mut offset = 0;
    if i < b.len() {
        if b[i] != b'T' {
            return None;
        }
        h = num(text.get(i + 1..i + 3)?)?;
        mi = num(text.get(i + 4..i + 6)?)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            s = num(text.get(i + 1..i + 3)?)? as f64;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let frac: String = text[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                ms = format!("0.{frac}").parse::<f64>().ok()? * 1000.0;
                i += 1 + frac.len();
            }
        }
        let rest = &text[i..];
        if rest == "Z" || rest.is_empty() {
        } else {
            offset = parse_offset(rest)?;
        }
    }
    let days = days_from_civil(y, mo, d);
    Some(
        (days * 86_400_000 + h * 3_600_000 + mi * 60_000 - offset * 60_000) as f64
            + s * 1000.0
            + ms.floor(),
    )
}

pub(crate) fn to_millis(
    text: &str,
    picture: Option<&str>,
    now: i64,
    pos: usize,
) -> Result<Option<f64>> {
    match picture {
        None => match parse_iso(text) {
            Some(v) => Ok(Some(v)),
            None => Err(Error::new(
                "D3110",
                pos,
                format!("The timestamp {text} cannot be parsed"),
            )),
        },
        Some(p) => parse_with_picture(text, p, now, pos),
    }
}

/// The byte length of the first `n` characters of `s` (all of it when shorter).
fn char_bytes(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Parses `text` against a date/time picture; `None` when it does not match.
fn parse_with_picture(text: &str, picture: &str, now: i64, pos: usize) -> Result<Option<f64>> {
    let parts = parse_picture(picture, pos)?;
    let mut rest = text;
    let mut fields: std::collections::HashMap<char, i64> = std::collections::HashMap::new();
    let mut offset = 0i64;
    let mut pm: Option<bool> = None;
    for (idx, part) in parts.iter().enumerate() {
        match part {
            Part::Literal(l) => match rest.strip_prefix(l.as_str()) {
                Some(r) => rest = r,
                None => return Ok(None),
            },
            Part::Marker(m) => {
                // The text of this component runs to the next literal (or the end).
                let next_lit = match parts.get(idx + 1) {
                    Some(Part::Literal(l)) => Some(l.as_str()),
                    _ => None,
                };
                let pres = m.presentation.as_str();
                let numeric_fixed = pres.chars().all(|c| digit(c).is_some()) && pres.len() > 1;
                let take = if let Some(l) = next_lit {
                    rest.find(l).unwrap_or(rest.len())
                } else if matches!(parts.get(idx + 1), Some(Part::Marker(_))) && numeric_fixed {
                    char_bytes(rest, pres.chars().count())
                } else if let Some(max) = m
                    .max_width
                    .filter(|_| matches!(parts.get(idx + 1), Some(Part::Marker(_))))
                {
                    char_bytes(rest, max)
                } else {
                    rest.len()
                };
                let piece = &rest[..take];
                rest = &rest[take..];
                match m.component {
                    'P' => pm = Some(piece.eq_ignore_ascii_case("pm")),
                    'Z' | 'z' => {
                        let p = piece.strip_prefix("GMT").unwrap_or(piece);
                        offset = if p == "Z" {
                            0
                        } else {
                            parse_offset(p).unwrap_or(0)
                        };
                    }
                    'M' | 'x' | 'F' if pres.starts_with('N') || pres.starts_with('n') => {
                        let names: &[&str] = if m.component == 'F' { &DAYS } else { &MONTHS };
                        let found = names.iter().position(|n| {
                            n.to_lowercase().starts_with(&piece.to_lowercase()) && !piece.is_empty()
                        });
                        if m.component != 'F'
                            && let Some(i) = found
                        {
                            fields.insert('M', i as i64 + 1);
                        }
                    }
                    c => {
                        if pres.starts_with('N') || pres.starts_with('n') {
                            return Err(Error::new(
                                "D3133",
                                pos,
                                format!("The {c} component cannot be represented as a name"),
                            ));
                        }
                        if !"YMDdFWwXxHhmsf".contains(c) {
                            return Err(Error::new(
                                "D3132",
                                pos,
                                format!(
                                    "Unknown component specifier {c} in date/time picture string"
                                ),
                            ));
                        }
                        let pic = date_int_picture(pres, pos)?;
                        let piece = if pic.ordinal {
                            piece.trim_end_matches(|ch: char| {
                                ch.is_alphabetic() && !matches!(pic.primary, Primary::Words(_))
                            })
                        } else {
                            piece
                        };
                        let v = if c == 'f' {
                            let digits: String = piece.chars().take(3).collect();
                            format!("{digits:0<3}").parse::<f64>().ok()
                        } else {
                            parse_with(piece, &pic)
                        };
                        match v {
                            Some(v) => {
                                // Clamped so the date arithmetic cannot overflow.
                                fields.insert(c, (v as i64).clamp(-1_000_000, 1_000_000));
                            }
                            None => return Ok(None),
                        }
                    }
                }
            }
        }
    }
    let has = |c: char| fields.contains_key(&c);
    // Which combinations can give a date: Y M D, Y d, X W F, X x w F.
    if has('W') || has('w') || has('x') || has('X') {
        return Err(Error::new(
            "D3136",
            pos,
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    }
    let date_gap =
        (has('D') && !has('M') && has('Y')) || (has('M') && !has('Y') && has('D') && !has('H'));
    let time_gap = has('m') && !has('H') && !has('h') || has('s') && !has('m');
    if date_gap || time_gap || (has('M') && !has('Y') && has('D')) {
        return Err(Error::new(
            "D3136",
            pos,
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    }
    if fields.is_empty() && pm.is_none() {
        return Ok(None);
    }
    let y = fields.get(&'Y').copied();
    let days = match (y, fields.get(&'d')) {
        (Some(y), Some(&doy)) => days_from_civil(y, 1, 1) + doy - 1,
        _ if y.is_none() && !has('M') && !has('D') => {
            // A time only: on the day of the caller's "now".
            now.div_euclid(86_400_000)
        }
        _ => days_from_civil(
            y.unwrap_or(1970),
            fields.get(&'M').copied().unwrap_or(1),
            fields.get(&'D').copied().unwrap_or(1),
        ),
    };
    let mut hour = fields.get(&'H').copied().unwrap_or(0);
    if let Some(h) = fields.get(&'h') {
        hour = h % 12 + if pm == Some(true) { 12 } else { 0 };
    }
    let minute = fields.get(&'m').copied().unwrap_or(0);
    let second = fields.get(&'s').copied().unwrap_or(0);
    let milli = fields.get(&'f').copied().unwrap_or(0);
    Ok(Some(
        (days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
            - offset * 60_000) as f64,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trip() {
        for d in [-800_000, -1, 0, 1, 17_000, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(weekday(0), 4);
    }

    #[test]
    fn words_and_numerals() {
        assert_eq!(
            words(3730.0, false, false),
            "three thousand, seven hundred and thirty"
        );
        assert_eq!(parse_words("one trillion and one"), Some(1e12 + 1.0));
        assert_eq!(roman(1984), "mcmlxxxiv");
        assert_eq!(parse_roman("MCMLXXXIV"), 1984.0);
        assert_eq!(alpha(27, 'a'), "aa");
    }
}
