//! Runs Pagefind over the synthesized documents and returns its bundle in memory.
//!
//! Pagefind's API is async (tokio). The rest of the build is synchronous, so the index is built
//! on a current-thread runtime that lives only for this call; Pagefind parses each document on
//! tokio's blocking pool and builds the index on this thread.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use thiserror::Error;

/// One file of the search bundle: a `/`-separated path inside the bundle folder, and its bytes.
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why the index could not be built.
#[derive(Debug, Error)]
pub enum IndexError {
    #[error("cannot start the search indexer: {0}")]
    Start(String),
    /// The document at this position of the input was refused.
    #[error("cannot index the page: {message}")]
    Page { position: usize, message: String },
    #[error("cannot build the search index: {0}")]
    Build(String),
}

/// Indexes `documents` (each a URL and its HTML) as one language and returns the bundle.
pub fn build(
    language: &str,
    documents: impl Iterator<Item = (String, String)>,
) -> Result<Vec<BundleFile>, IndexError> {
    // Pagefind reads the working directory when it starts and panics if there is none (it
    // was deleted under us); that is an error here, not a crash.
    std::env::current_dir()
        .map_err(|e| IndexError::Start(format!("the working directory is not readable: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| IndexError::Start(e.to_string()))?;
    runtime.block_on(async {
        // One language for the whole site (the config's), so every page lands in one index
        // and the browser loads one stemmer.
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index =
            PagefindIndex::new(Some(options)).map_err(|e| IndexError::Start(format!("{e:#}")))?;
        for (position, (url, html)) in documents.enumerate() {
            index
                .add_html_file(None, Some(url), html)
                .await
                .map_err(|e| IndexError::Page {
                    position,
                    message: format!("{e:#}"),
                })?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| IndexError::Build(format!("{e:#}")))?;
        Ok(files
            .into_iter()
            .map(|file| BundleFile {
                path: file
                    .filename
                    .iter()
                    .map(|part| part.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                bytes: file.contents,
            })
            .collect())
    })
}
