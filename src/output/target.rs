//! Which folders may receive a build, and absolute paths for folders that may not exist yet.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::OutputError;

/// The output may not be `/`, a home folder, a file, the site root or any folder holding it, or
/// be inside `content/`, `templates/` or `static/` (the next build would read it back).
pub(super) fn check(target: &Path, root: &Path) -> Result<(), OutputError> {
    let refuse = |reason| {
        Err(OutputError::Refused {
            path: target.to_path_buf(),
            reason,
        })
    };
    if target.parent().is_none() {
        return refuse("it is the file system root");
    }
    if target.exists() && !target.is_dir() {
        return refuse("it is a file, not a folder");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| absolute(&h).ok());
    if home.as_deref() == Some(target) {
        return refuse("it is your home folder");
    }
    if root.starts_with(target) {
        return refuse("it is the site folder or contains it");
    }
    for inner in ["content", "templates", "static"] {
        if target.starts_with(root.join(inner)) {
            return refuse("it is inside the site's content, templates or static folder");
        }
    }
    Ok(())
}

/// The topmost ancestor of `folder` (or `folder` itself) that does not exist yet: what a build
/// that creates `folder` must remove again when it fails.
pub(super) fn first_missing(folder: &Path) -> Option<PathBuf> {
    let mut missing = None;
    let mut current = Some(folder);
    while let Some(path) = current {
        if path.exists() {
            break;
        }
        missing = Some(path.to_path_buf());
        current = path.parent();
    }
    missing
}

/// An absolute path with `.` and `..` resolved, following symlinks where the path exists.
pub(super) fn absolute(path: &Path) -> io::Result<PathBuf> {
    if let Ok(real) = path.canonicalize() {
        return Ok(real);
    }
    let absolute = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // The missing tail is joined onto the real location of the part that exists.
    let mut existing = out.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                existing = parent.to_path_buf();
            }
            _ => return Ok(out),
        }
    }
    let mut real = existing.canonicalize()?;
    for name in tail.into_iter().rev() {
        real.push(name);
    }
    Ok(real)
}
