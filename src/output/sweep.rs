//! One build at a time per output folder, and the clean-up of what interrupted builds left.
//!
//! A build holds an exclusive lock on a small file beside its output for as long as it runs.
//! Holding it proves that every staging or moved-aside folder of that output is left over from
//! a build that died (Ctrl-C, SIGKILL, a full disk, a container stopped), so the next build
//! removes them, and puts a moved-aside output back when a build died between the two renames
//! of its commit.

use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, io_error};

/// The names a build uses beside the output folder `name`.
pub(super) struct Names {
    /// The lock file, removed when the build ends.
    pub lock: String,
    /// The prefix of staging folders.
    pub staging: String,
    /// The prefix of the previous output moved aside during a commit.
    pub old: String,
}

impl Names {
    pub(super) fn new(name: &str) -> Names {
        Names {
            lock: format!(".{name}.awskb-lock"),
            staging: format!(".{name}.awskb-staging-"),
            old: format!(".{name}.awskb-old-"),
        }
    }
}

/// The exclusive lock of one output folder, released and its file removed when dropped.
pub(super) struct OutputLock {
    path: PathBuf,
    _file: File,
}

impl OutputLock {
    /// The lock file.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held; a build that locked the removed file sees that it is no
        // longer at its path and tries again (see `lock`).
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the output's lock, or says that another build holds it.
pub(super) fn lock(parent: &Path, names: &Names, target: &Path) -> Result<OutputLock, OutputError> {
    let path = parent.join(&names.lock);
    loop {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        match file.try_lock() {
            Ok(()) if still_at(&file, &path) => return Ok(OutputLock { path, _file: file }),
            Ok(()) => continue,
            Err(TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    path: target.to_path_buf(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_error(&path)(e)),
        }
    }
}

/// Whether the open `file` is still the one at `path` (its holder may have removed it).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_: &File, path: &Path) -> bool {
    path.exists()
}

/// With the lock held: puts back an output moved aside by a build that died mid-commit, then
/// removes every stale staging and moved-aside folder of this output.
pub(super) fn sweep(parent: &Path, names: &Names, target: &Path) -> Result<(), OutputError> {
    let mut stale: Vec<PathBuf> = Vec::new();
    let mut moved_aside: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(parent).map_err(io_error(parent))? {
        let entry = entry.map_err(io_error(parent))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&names.old) {
            moved_aside.push(entry.path());
        } else if name.starts_with(&names.staging) {
            stale.push(entry.path());
        }
    }
    if !target.exists()
        && let Some(previous) = newest(&moved_aside)
    {
        std::fs::rename(&previous, target).map_err(io_error(&previous))?;
        moved_aside.retain(|p| *p != previous);
    }
    for folder in stale.iter().chain(&moved_aside) {
        remove(folder).map_err(io_error(folder))?;
    }
    Ok(())
}

/// The most recently modified folder.
fn newest(folders: &[PathBuf]) -> Option<PathBuf> {
    folders
        .iter()
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .cloned()
}

/// Removes a folder, making read-only folders inside it writable first (a build may copy them
/// from a site's `static/`).
pub(super) fn remove(folder: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(folder) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
                if entry.file_type().is_dir() {
                    let _ = make_writable(entry.path());
                }
            }
            std::fs::remove_dir_all(folder)
        }
        other => other,
    }
}

#[cfg(unix)]
fn make_writable(folder: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(folder)?.permissions().mode() | 0o700;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_writable(folder: &Path) -> io::Result<()> {
    let mut permissions = std::fs::metadata(folder)?.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(folder, permissions)
}
