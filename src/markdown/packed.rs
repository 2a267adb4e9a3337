//! A page's HTML and plain text, kept LZ4-compressed in memory.
//!
//! A build holds every page's HTML and text from resolve (where links and anchors across the
//! whole site become known) until the render pass and the search index use them. Highlighted
//! code makes the HTML about 3.5 times its Markdown: on the benchmark corpus, HTML and text are
//! 36 KB a page, 3.4 GiB at 100,000 pages. Packed they take under a third of that (README.md,
//! "Performance").

use std::fmt;

/// Text compressed with LZ4 (the block format, its length in front).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

impl Packed {
    /// Compresses `text`.
    pub fn pack(text: &str) -> Packed {
        if text.is_empty() {
            return Packed::default();
        }
        Packed(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text, decompressed.
    pub fn unpack(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let bytes = lz4_flex::decompress_size_prepended(&self.0)
            .expect("the bytes were compressed by `pack`");
        String::from_utf8(bytes).expect("`pack` compressed a `str`")
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Packed({} bytes packed)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_it_packed() {
        for html in ["", "<p>é ✅ 𝄞</p>", "<span class=\"hl-source\">x</span>\n"] {
            assert_eq!(Packed::pack(html).unpack(), html);
        }
    }

    #[test]
    fn highlighted_code_packs_to_a_fraction_of_its_size() {
        let line =
            "<span class=\"hl-punctuation hl-section hl-mapping hl-begin hl-json\">{</span>\n";
        let html: String = (0..200)
            .map(|i| format!("{line}<span>{i}</span>"))
            .collect();
        let packed = Packed::pack(&html);
        assert!(
            packed.0.len() * 5 < html.len(),
            "{} of {}",
            packed.0.len(),
            html.len()
        );
        assert_eq!(packed.unpack(), html);
    }
}
