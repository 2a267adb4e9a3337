//! The bundle's files, all under one folder (awskb's `search/`), read by the client:
//!
//! - `meta.json`: `{"version", "language", "pages", "stamp", "chunks", "filters"}`. `chunks`
//!   holds the first word of each word chunk, in order: chunk `i` is `w/i.bin` and holds the
//!   words from `chunks[i]` up to the next one's first word. `filters` maps each taxonomy and
//!   term to its file, `f/…bin`. `stamp` changes whenever any file does: the client asks for
//!   the other files with `?v=stamp`, so a cache never mixes two builds.
//! - `w/i.bin`: a word chunk, the words sorted by UTF-16 code units (JavaScript's string
//!   order). Each word: `str(word)`, `varint(shared)` + `str(rest)` (the stem: its first
//!   `shared` bytes are the word's), `varint(pages)`, then for each page `varint(page id −
//!   previous id)`, `u8(weight)`, `varint(n)`, `n × varint(position − previous position)`.
//!   `weight` is the page's BM25 term-frequency part (k1 = 1.2, b = 0.75, occurrences weighted
//!   by field) scaled to 1–255; the client multiplies it with the word's IDF.
//! - `p/K/ID.json` (K = ID / 1000): the record of page ID: URL, title, section path and text by
//!   heading (see [`crate::analyse`]), for the result, its sub-results and its excerpts.
//! - `f/T/N.bin`: the pages of one taxonomy term: `varint(n)`, `n × varint(id − previous id)`.
//!
//! `str(s)` is `varint(byte length)` and the UTF-8 bytes; `varint` is LEB128 (7 bits a byte,
//! least significant first).

/// Format version, in `meta.json`; the client refuses others.
pub const VERSION: u32 = 1;

/// Word chunks are cut at the first word past this size, so that a query word costs one chunk
/// of at most about this many bytes (a single word's postings may exceed it).
pub const CHUNK_BYTES: usize = 12 * 1024;

/// Appends `value` as LEB128.
pub fn varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends `varint(len)` and the bytes of `text`.
pub fn string(out: &mut Vec<u8>, text: &str) {
    varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Appends a list of increasing numbers as `varint(n)` and the gaps between them.
pub fn increasing(out: &mut Vec<u8>, values: &[u32]) {
    varint(out, values.len() as u64);
    let mut previous = 0;
    for &value in values {
        varint(out, u64::from(value - previous));
        previous = value;
    }
}

/// Reads what [`varint`], [`string`] and [`increasing`] wrote (the crate's own packed data,
/// so it trusts its input).
pub(crate) struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    /// The next [`varint`].
    pub fn varint(&mut self) -> u64 {
        let mut value = 0;
        let mut shift = 0;
        loop {
            let byte = self.0[0];
            self.0 = &self.0[1..];
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return value;
            }
            shift += 7;
        }
    }

    /// The next `n` bytes, as they are.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken
    }

    /// The next [`string`].
    pub fn string(&mut self) -> &'a str {
        let n = self.varint() as usize;
        std::str::from_utf8(self.bytes(n)).expect("packed strings are UTF-8")
    }

    /// An [`increasing`] list, as its bytes.
    pub fn increasing_bytes(&mut self) -> &'a [u8] {
        let start = self.0;
        for _ in 0..self.varint() {
            self.varint();
        }
        &start[..start.len() - self.0.len()]
    }

    /// An [`increasing`] list.
    #[cfg(test)]
    pub fn increasing(&mut self) -> Vec<u32> {
        let mut previous = 0;
        (0..self.varint())
            .map(|_| {
                previous += self.varint() as u32;
                previous
            })
            .collect()
    }
}

/// The path of page `id`'s record.
pub fn record_path(id: usize) -> String {
    format!("p/{}/{id}.json", id / 1000)
}

/// A 64-bit FNV-1a hash: the bundle's stamp. Stable across Rust releases, unlike std's hasher.
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The starting value of [`fnv1a`].
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_take_seven_bits_a_byte() {
        let mut out = Vec::new();
        varint(&mut out, 0);
        varint(&mut out, 127);
        varint(&mut out, 128);
        varint(&mut out, 300);
        assert_eq!(out, [0, 127, 0x80, 1, 0xac, 2]);
    }

    #[test]
    fn increasing_lists_are_gaps() {
        let mut out = Vec::new();
        increasing(&mut out, &[3, 4, 200]);
        assert_eq!(out, [3, 3, 1, 196, 1]);
    }
}
