//! Lambda type signatures such as `<a<s>s?:s>`, parsed when the expression is parsed (as the
//! reference does) so that a malformed one is a syntax error, and so the evaluator gets a list
//! of parameters instead of text.

/// A signature `<params:result>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// The signature as collected from its tokens, without whitespace, e.g. `<n-n:n>`.
    pub text: String,
    pub params: Vec<Param>,
    /// The text after `:` (the result type), which JSONata records but does not check.
    pub result: Option<String>,
}

/// One parameter of a [`Signature`].
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub ty: ParamType,
    /// The type parameter of an array or function: `n` for `a<n>`, `n:n` for `f<n:n>`.
    pub subtype: Option<String>,
    /// `?`: the argument may be left out.
    pub optional: bool,
    /// `+`: one or more arguments of this type.
    pub one_or_more: bool,
    /// `-`: when the argument is missing, the context value is used instead.
    pub context: bool,
}

/// The type symbols of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// `b`
    Boolean,
    /// `n`
    Number,
    /// `s`
    String,
    /// `l`
    Null,
    /// `a` (any value is accepted and treated as a one-item array)
    Array,
    /// `o`
    Object,
    /// `f`
    Function,
    /// `j`: any JSON value
    Json,
    /// `x`: any value
    Any,
    /// `(sn…)`: one of the listed symbols (kept as written between the parentheses).
    Choice(String),
}

/// A signature problem, located by byte offset inside the signature text.
#[derive(Debug)]
pub(crate) struct SignatureError {
    pub code: &'static str,
    pub offset: usize,
    pub message: String,
}

/// Index of the bracket closing the one at `start`, or the text length when there is none.
fn closing(text: &[u8], start: usize, open: u8, close: u8) -> usize {
    let mut depth = 1;
    let mut i = start + 1;
    while i < text.len() {
        if text[i] == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        } else if text[i] == open {
            depth += 1;
        }
        i += 1;
    }
    text.len()
}

fn blank() -> Param {
    Param {
        ty: ParamType::Any,
        subtype: None,
        optional: false,
        one_or_more: false,
        context: false,
    }
}

/// Checks the brackets of a signature: `text` must be one `<…>` group, and every `<…>` or `(…)`
/// inside it closed by its own kind of bracket and not empty. The reference leaves such
/// signatures half-parsed (`a<>` has a type parameter with no type); they are rejected here
/// with `S0403`, so nothing downstream meets an empty or unbalanced group.
fn check_brackets(text: &str) -> Result<(), SignatureError> {
    let malformed = |offset: usize, message: String| SignatureError {
        code: "S0403",
        offset,
        message,
    };
    if !text.starts_with('<') {
        return Err(malformed(0, "A signature must start with `<`".into()));
    }
    let mut open: Vec<(u8, usize)> = Vec::new();
    for (i, &c) in text.as_bytes().iter().enumerate() {
        match c {
            b'<' | b'(' => open.push((c, i)),
            b'>' | b')' => {
                let want = if c == b'>' { b'<' } else { b'(' };
                match open.pop() {
                    Some((o, at)) if o == want => {
                        if at + 1 == i {
                            let what = if c == b'>' {
                                "type parameter"
                            } else {
                                "choice"
                            };
                            return Err(malformed(at, format!("Empty {what} in the signature")));
                        }
                        if open.is_empty() && i + 1 != text.len() {
                            return Err(malformed(
                                i + 1,
                                "Unexpected characters after the end of the signature".into(),
                            ));
                        }
                    }
                    Some((o, at)) => {
                        return Err(malformed(
                            at,
                            format!("`{}` is closed by `{}`", o as char, c as char),
                        ));
                    }
                    None => {
                        return Err(malformed(i, format!("Unbalanced `{}`", c as char)));
                    }
                }
            }
            _ => {}
        }
    }
    match open.last() {
        Some(&(o, at)) => Err(malformed(
            at,
            format!("Unclosed `{}` in the signature", o as char),
        )),
        None => Ok(()),
    }
}

/// Parses `text` (starting with `<`). Unknown symbols are ignored, as in the reference;
/// unbalanced or empty groups are errors (see [`check_brackets`]).
pub(crate) fn parse_signature(text: &str) -> Result<Signature, SignatureError> {
    check_brackets(text)?;
    let bytes = text.as_bytes();
    let mut params: Vec<Param> = Vec::new();
    // A `-` before any type marks the first parameter as defaulting to the context (without
    // making it optional), which is what the reference ends up doing; `?` and `+` there are lost.
    let mut leading_context = false;
    let mut result = None;
    let mut i = 1;
    while i < bytes.len() {
        let c = bytes[i];
        let ty = match c {
            b'b' => Some(ParamType::Boolean),
            b'n' => Some(ParamType::Number),
            b's' => Some(ParamType::String),
            b'l' => Some(ParamType::Null),
            b'a' => Some(ParamType::Array),
            b'o' => Some(ParamType::Object),
            b'f' => Some(ParamType::Function),
            b'j' => Some(ParamType::Json),
            b'x' => Some(ParamType::Any),
            b'(' => {
                let end = closing(bytes, i, b'(', b')');
                let choice = &text[i + 1..end];
                if choice.contains('<') {
                    return Err(SignatureError {
                        code: "S0402",
                        offset: i,
                        message: format!(
                            "Choice groups containing parameterized types are not supported: `({choice})`"
                        ),
                    });
                }
                i = end;
                Some(ParamType::Choice(choice.to_string()))
            }
            _ => None,
        };
        if let Some(ty) = ty {
            let mut param = blank();
            param.ty = ty;
            param.context = params.is_empty() && leading_context;
            params.push(param);
            i += 1;
            continue;
        }
        let prev = params.last_mut();
        match c {
            b':' => {
                let end = if text.ends_with('>') {
                    text.len() - 1
                } else {
                    text.len()
                };
                result = Some(text[(i + 1).min(end)..end].to_string());
                break;
            }
            b'-' => match prev {
                Some(p) => {
                    p.context = true;
                    p.optional = true;
                }
                None => leading_context = true,
            },
            b'?' => {
                if let Some(p) = prev {
                    p.optional = true;
                }
            }
            b'+' => {
                if let Some(p) = prev {
                    p.one_or_more = true;
                }
            }
            b'<' => {
                let end = closing(bytes, i, b'<', b'>');
                match prev {
                    Some(p) if matches!(p.ty, ParamType::Array | ParamType::Function) => {
                        p.subtype = Some(text[i + 1..end].to_string());
                        i = end;
                    }
                    _ => {
                        let what = match prev {
                            Some(p) => format!("`{}`", type_symbol(&p.ty)),
                            None => "nothing".to_string(),
                        };
                        return Err(SignatureError {
                            code: "S0401",
                            offset: i,
                            message: format!(
                                "Type parameters can only be applied to functions and arrays, not to {what}"
                            ),
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(Signature {
        text: text.to_string(),
        params,
        result,
    })
}

fn type_symbol(ty: &ParamType) -> String {
    match ty {
        ParamType::Boolean => "b".into(),
        ParamType::Number => "n".into(),
        ParamType::String => "s".into(),
        ParamType::Null => "l".into(),
        ParamType::Array => "a".into(),
        ParamType::Object => "o".into(),
        ParamType::Function => "f".into(),
        ParamType::Json => "j".into(),
        ParamType::Any => "x".into(),
        ParamType::Choice(c) => format!("({c})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_modifiers() {
        let s = parse_signature("<a<s>s?:s>").unwrap();
        assert_eq!(s.params.len(), 2);
        assert_eq!(s.params[0].ty, ParamType::Array);
        assert_eq!(s.params[0].subtype.as_deref(), Some("s"));
        assert_eq!(s.params[1].ty, ParamType::String);
        assert!(s.params[1].optional);
        assert_eq!(s.result.as_deref(), Some("s"));

        let s = parse_signature("<n-(sb)+f<n:n>>").unwrap();
        assert!(s.params[0].context && s.params[0].optional);
        assert_eq!(s.params[1].ty, ParamType::Choice("sb".into()));
        assert!(s.params[1].one_or_more);
        assert_eq!(s.params[2].subtype.as_deref(), Some("n:n"));
        assert_eq!(s.result, None);
    }

    #[test]
    fn errors() {
        let e = parse_signature("<n<n>>").unwrap_err();
        assert_eq!((e.code, e.offset), ("S0401", 2));
        let e = parse_signature("<(sa<n>)>").unwrap_err();
        assert_eq!((e.code, e.offset), ("S0402", 1));
    }
}
