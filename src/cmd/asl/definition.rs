//! What `awskb asl run`, `render` and `test` read: definitions, inputs and mocks, with what is
//! wrong with them as diagnostics or typed errors; the engine itself is `asl::simulate`.

use std::path::{Path, PathBuf};

use asl::StateMachine;
use asl::simulate::{MockError, Mocks};
use serde_json::Value;
use thiserror::Error;

use awskb::definitions;
use awskb::diagnostics::Diagnostic;

/// Why a run could not start.
#[derive(Debug, Error)]
pub enum RunError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The definition has errors; they are in the diagnostics.
    #[error("the definition {} is invalid", path.display())]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{what} is not valid JSON: {source}")]
    Json {
        what: String,
        source: serde_json::Error,
    },
    #[error("{}: {source}", path.display())]
    Mocks { path: PathBuf, source: MockError },
}

/// A definition file read and validated. Warnings are kept so the caller can show them.
pub struct Definition {
    pub machine: StateMachine,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates a definition file (JSON or YAML).
pub fn load_definition(path: &Path) -> Result<Definition, RunError> {
    let text = read(
        path,
        MAX_DEFINITION_BYTES,
        "the largest definition Step Functions accepts",
    )?;
    let format = definitions::format_of(path, &text);
    let checked = asl::check_format(&text, format);
    let diagnostics = definitions::located(&checked.diagnostics, path, &text);
    match checked.machine {
        Some(machine) if !checked.has_errors() => Ok(Definition {
            machine,
            warnings: diagnostics,
        }),
        _ => Err(RunError::Invalid {
            path: path.to_path_buf(),
            diagnostics,
        }),
    }
}

/// An execution input given on the command line: JSON text, or `@file` to read it from a file.
pub fn read_input(spec: &str) -> Result<Value, RunError> {
    let (text, what) = match spec.strip_prefix('@') {
        Some(file) => (
            read(
                Path::new(file),
                MAX_INPUT_BYTES,
                "the largest execution input Step Functions accepts",
            )?,
            format!("the input file {file}"),
        ),
        None => (spec.to_string(), "the --input value".to_string()),
    };
    serde_json::from_str(&text).map_err(|source| RunError::Json { what, source })
}

/// Reads a mocks file: a map from state names to mocked responses, or (with `test_case`) a whole
/// Step Functions Local mock configuration.
pub fn read_mocks(path: &Path, test_case: Option<&str>) -> Result<Mocks, RunError> {
    let text = read(path, MAX_MOCKS_BYTES, "the largest mocks file awskb reads")?;
    let value: Value = serde_json::from_str(&text).map_err(|source| RunError::Json {
        what: format!("the mocks file {}", path.display()),
        source,
    })?;
    let mocks = match test_case {
        Some(name) => Mocks::from_config(&value, name),
        None => Mocks::from_json(&value),
    };
    mocks.map_err(|source| RunError::Mocks {
        path: path.to_path_buf(),
        source,
    })
}

/// The largest definition Step Functions accepts (1 MiB).
pub const MAX_DEFINITION_BYTES: u64 = 1024 * 1024;
/// The largest execution input Step Functions accepts (256 KiB).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024;
/// Mocks have no AWS limit; they hold Task results of at most 256 KiB each.
pub const MAX_MOCKS_BYTES: u64 = 64 * 1024 * 1024;

fn read(path: &Path, limit: u64, what: &str) -> Result<String, RunError> {
    read_limited(path, limit, what).map_err(|source| RunError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads at most `limit` bytes of `path` (one more tells that there are more): `@/dev/zero`
/// or a huge file is an error instead of a read that never ends or fills the memory. `what`
/// names the limit in the error.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {limit} bytes, {what}"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}
