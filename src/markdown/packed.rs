//! A page's HTML and plain text, kept LZ4-compressed in memory.
//!
//! A build holds every page's HTML and text from resolve (where links and anchors across the
//! whole site become known) until the render pass and the search index use them. Highlighted
//! code makes the HTML about 3.5 times its Markdown: on the benchmark corpus, HTML and text are
//! 36 KB a page, 3.4 GiB at 100,000 pages. Packed they take under a third of that (README.md,
//! "Performance").

use std::fmt;

/// Text compressed with LZ4. Only [`Packed::pack`] makes one, so its bytes always unpack.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    /// LZ4's block format, the length in front as 32 bits.
    Lz4(Box<[u8]>),
    /// Empty text, and text too long for that length (4 GiB and more: a page that large is a
    /// mistake, but must not stop the build here).
    Plain(Box<str>),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Plain(Box::default())
    }
}

impl Packed {
    /// Compresses `text`.
    pub fn pack(text: &str) -> Packed {
        Packed(if text.is_empty() || u32::try_from(text.len()).is_err() {
            Repr::Plain(text.into())
        } else {
            Repr::Lz4(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
        })
    }

    /// The text, decompressed.
    pub fn unpack(&self) -> String {
        match &self.0 {
            Repr::Lz4(bytes) => {
                let text = lz4_flex::decompress_size_prepended(bytes)
                    .expect("`pack` compressed these bytes, with a length that fits");
                String::from_utf8(text).expect("`pack` compressed a `str`")
            }
            Repr::Plain(text) => text.to_string(),
        }
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Lz4(bytes) => write!(f, "Packed({} bytes of LZ4)", bytes.len()),
            Repr::Plain(text) => write!(f, "Packed({} bytes as they are)", text.len()),
        }
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
        let Repr::Lz4(bytes) = &packed.0 else {
            panic!("{packed:?}")
        };
        assert!(
            bytes.len() * 5 < html.len(),
            "{} of {}",
            bytes.len(),
            html.len()
        );
        assert_eq!(packed.unpack(), html);
    }
}
