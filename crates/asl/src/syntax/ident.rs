//! ASL variable names.
//!
//! AWS ("Passing data between states with variables", section "Variable name syntax"): variable
//! names follow the rules for Unicode identifiers (UAX #31): the first character is an `ID_Start`
//! character, the following ones are `ID_Continue` characters, and a name has at most 80
//! characters.
//!
//! `unicode-ident` supplies the exact `XID_Start`/`XID_Continue` tables.

use super::SyntaxError;
use super::cursor::describe;

/// The longest variable name AWS accepts, in characters.
pub(crate) const MAX_VARIABLE_NAME_CHARS: usize = 80;

pub(crate) fn is_id_start(c: char) -> bool {
    unicode_ident::is_xid_start(c)
}

pub(crate) fn is_id_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

/// Checks a variable name (without the `$`), e.g. a key of `Assign`. Offsets in the error are
/// byte offsets into `name`.
pub(crate) fn check_variable_name(name: &str) -> Result<(), SyntaxError> {
    let mut chars = name.char_indices();
    match chars.next() {
        None => return Err(SyntaxError::new(0, "a variable name cannot be empty")),
        Some((_, c)) if !is_id_start(c) => {
            return Err(SyntaxError::new(
                0,
                format!(
                    "a variable name must start with a letter, found {}",
                    describe(c)
                ),
            ));
        }
        Some(_) => {}
    }
    for (at, c) in chars {
        if !is_id_continue(c) {
            return Err(SyntaxError::new(
                at,
                format!(
                    "a variable name may contain only letters, digits and `_`, found {}",
                    describe(c)
                ),
            ));
        }
    }
    check_length(name, 0)
}

/// The 80-character limit, reported at `offset` (where the name starts in the parsed text).
pub(crate) fn check_length(name: &str, offset: usize) -> Result<(), SyntaxError> {
    let count = name.chars().count();
    if count > MAX_VARIABLE_NAME_CHARS {
        return Err(SyntaxError::new(
            offset,
            format!(
                "a variable name can have at most {MAX_VARIABLE_NAME_CHARS} characters, this one has {count}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        for name in [
            "x",
            "myVar",
            "a_b_1",
            "constant_str",
            "café",
            "Ωmega",
            "x\u{0301}",
        ] {
            assert_eq!(check_variable_name(name), Ok(()), "{name}");
        }
        assert_eq!(check_variable_name(&"a".repeat(80)), Ok(()));
    }

    #[test]
    fn invalid_names() {
        let e = check_variable_name("").unwrap_err();
        assert!(e.message.contains("empty"));
        let e = check_variable_name("1a").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("start with a letter"), "{e}");
        let e = check_variable_name("_a").unwrap_err();
        assert_eq!(e.offset, 0);
        let e = check_variable_name("ab-c").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("`-`"), "{e}");
        let e = check_variable_name("é-").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = check_variable_name(&"a".repeat(81)).unwrap_err();
        assert!(e.message.contains("81"), "{e}");
    }
}
