//! Picture-string formatting: `$formatNumber`, `$formatInteger`/`$parseInteger` and the
//! date/time functions, following the XPath/XQuery F&O 3.1 rules JSONata adopts.

use crate::error::Result;
use crate::eval::err;
use crate::value::{Map, Value};

pub(crate) fn format_number(
    n: f64,
    picture: &str,
    options: Option<&Map>,
    pos: usize,
) -> Result<String> {
    let _ = (n, picture, options);
    Err(err("D3080", pos, "not yet"))
}

pub(crate) fn format_integer(n: f64, picture: &str, pos: usize) -> Result<String> {
    let _ = (n, picture);
    Err(err("D3130", pos, "not yet"))
}

pub(crate) fn parse_integer(text: &str, picture: &str, pos: usize) -> Result<Option<f64>> {
    let _ = (text, picture);
    Err(err("D3130", pos, "not yet"))
}

pub(crate) fn from_millis(
    millis: f64,
    picture: Option<&str>,
    tz: Option<&str>,
    pos: usize,
) -> Result<String> {
    let _ = (millis, picture, tz);
    Err(err("D3130", pos, "not yet"))
}

pub(crate) fn to_millis(text: &str, picture: Option<&str>, pos: usize) -> Result<Option<f64>> {
    let _ = (text, picture);
    Err(err("D3130", pos, "not yet"))
}

#[allow(dead_code)]
fn _unused(_: Value) {}
