//! Helpers shared by the property tests: edits of a text, and the checks every text passes.

/// Applies byte edits `(position, operation, byte)` to `text`: replace, insert or delete at the
/// position (modulo the length), so that any list of edits is valid.
pub fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(at, op, byte) in edits {
        let at = at % (bytes.len() + 1);
        match op % 3 {
            0 if at < bytes.len() => bytes[at] = byte,
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Checks `text` as JSON and as YAML: diagnostics must lie inside the text.
pub fn check_text(text: &str) -> Option<asl::StateMachine> {
    let mut machine = None;
    for format in [asl::Format::Json, asl::Format::Yaml] {
        let checked = asl::check_format(text, format);
        for d in &checked.diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{d:?}"
            );
            assert!(text.is_char_boundary(d.span.start), "{d:?}");
        }
        assert_eq!(checked.machine.is_some(), !checked.has_errors());
        if format == asl::Format::Json {
            machine = checked.machine;
        }
    }
    machine
}
