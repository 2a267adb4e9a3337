//! Byte offsets in a definition's text turned into what people and editors count: a 1-based line
//! and column (in characters), or a UTF-16 offset (what JavaScript strings and `<textarea>`
//! selections count).

/// Line starts of a text, so that many offsets can be located without rescanning the text.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` once; the offsets later asked about are bytes of this same text.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and 1-based column (in characters) of byte `offset`, clamped to the text
    /// and to a character boundary.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// The offset of byte `offset` in UTF-16 code units, clamped like [`LineIndex::line_col`].
    pub fn utf16_offset(&self, offset: usize) -> usize {
        self.text[..self.clamp(offset)].encode_utf16().count()
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_columns_and_utf16_offsets() {
        let text = "ab\n\u{e9}\u{1F600}x\n";
        let at = LineIndex::new(text);
        assert_eq!((at.line_col(0), at.utf16_offset(0)), ((1, 1), 0));
        // "x" follows a 2-byte and a 4-byte character: column 3, UTF-16 offset 3 + 1 + 2.
        let x = text.find('x').unwrap();
        assert_eq!((at.line_col(x), at.utf16_offset(x)), ((2, 3), 6));
        // Inside a character, and past the end, clamp.
        assert_eq!(at.line_col(x - 1), (2, 2));
        assert_eq!(at.line_col(999), (3, 1));
        assert_eq!(at.utf16_offset(999), 8);
    }
}
