//! Byte offsets in a definition turned into what the page needs: a 1-based line and column for
//! people, and a UTF-16 offset for selecting the text in a `<textarea>`.

use serde::Serialize;

/// Where a byte offset is, for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    /// In UTF-16 code units from the start of the text, as JavaScript strings count.
    pub offset: usize,
}

/// Lines and columns of offsets in one text.
pub struct Locator<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator { text, starts }
    }

    /// The position of byte `offset`, clamped to the text and to a character boundary.
    pub fn locate(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        Position {
            line,
            column: self.text[start..offset].chars().count() + 1,
            offset: self.text[..offset].encode_utf16().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_columns_and_utf16_offsets() {
        let text = "ab\n\u{e9}\u{1F600}x\n";
        let at = Locator::new(text);
        assert_eq!(
            at.locate(0),
            Position {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        // "x" follows a 2-byte and a 4-byte character: column 3, UTF-16 offset 3 + 1 + 2.
        let x = text.find('x').unwrap();
        assert_eq!(
            at.locate(x),
            Position {
                line: 2,
                column: 3,
                offset: 6
            }
        );
        // Inside a character, and past the end, clamp.
        assert_eq!(at.locate(x - 1).column, 2);
        assert_eq!(at.locate(999).line, 3);
    }
}
