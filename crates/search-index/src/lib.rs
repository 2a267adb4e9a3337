//! A full-text search index for a static site, built at build time and read in the browser by
//! a small client (awskb's `static/js/search.js`), with no server.
//!
//! - [`analyse`] turns one page into its [`Analysed`] form: words found at Unicode word
//!   boundaries, folded (case and accents) and stemmed (Snowball, by the site's language), each
//!   with a BM25 weight that counts title, headings and terms above plain text, and its first
//!   positions for the client's proximity bonus. Pages are independent: analyse them in
//!   parallel.
//! - [`Index`] merges analysed pages and writes the [`Bundle`]: word chunks (sorted ranges of
//!   words with a size cap, so a query downloads only the chunks of its words), one record per
//!   page (title, URL, section path, text by heading for excerpts), one list of pages per
//!   taxonomy term for filters, and a small `meta.json` that points at them. The format is
//!   described in [`format`].
//! - [`Index::update`] replaces one page, for a dev server that re-indexes a saved page only.

mod analyse;
pub mod format;
mod index;
mod text;

pub use analyse::{Analysed, Document, Heading, Word, Words, analyse};
pub use index::{Bundle, Index};
pub use text::{Stemmer, fold, words};
