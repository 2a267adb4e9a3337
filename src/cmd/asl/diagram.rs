//! `awskb asl render`: a definition file drawn as a standalone SVG file (styles embedded, light
//! and dark), written so that a failure never leaves half a file behind.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use awskb::diagnostics::Diagnostic;

use super::definition::{self, RunError};

/// Why a diagram could not be written.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The definition could not be read or is invalid.
    #[error(transparent)]
    Definition(#[from] RunError),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("refusing to overwrite the definition {} with its diagram; choose another -o", path.display())]
    SameFile { path: PathBuf },
}

/// A rendered diagram and the definition's warnings.
pub struct Rendered {
    pub svg: String,
    pub warnings: Vec<Diagnostic>,
}

/// Draws the definition in `path`, titled by its `Comment` or else the file's name.
pub fn render_file(path: &Path) -> Result<Rendered, RenderError> {
    let definition = definition::load_definition(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = definition.machine.comment().map_or(stem, str::to_string);
    let drawing = asl::diagram::render(
        &definition.machine,
        &asl::diagram::Options {
            title: Some(&title),
            id: "asl",
            standalone: true,
        },
    );
    Ok(Rendered {
        svg: drawing.svg,
        warnings: definition.warnings,
    })
}

/// Writes `svg` to `output` through a temporary file beside it, renamed into place.
pub fn write_svg(output: &Path, definition: &Path, svg: &str) -> Result<(), RenderError> {
    if let (Ok(a), Ok(b)) = (output.canonicalize(), definition.canonicalize())
        && a == b
    {
        return Err(RenderError::SameFile { path: a });
    }
    let error = |source| RenderError::Write {
        path: output.to_path_buf(),
        source,
    };
    let name = output
        .file_name()
        .ok_or_else(|| error(io::Error::other("not a file name")))?;
    let temporary = output.with_file_name(format!(".{}.awskb-tmp", name.to_string_lossy()));
    std::fs::write(&temporary, svg)
        .and_then(|()| std::fs::rename(&temporary, output))
        .map_err(|source| {
            let _ = std::fs::remove_file(&temporary);
            error(source)
        })
}
