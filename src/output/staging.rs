//! A build written into a folder beside the real output, then swapped in.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::sweep::{self, Names, OutputLock};
use super::{MARKER, Output, OutputError, interrupt, io_error, ownership, safe_relative, target};
use crate::diagnostics::Diagnostic;

/// A folder being filled beside the real output; `commit` swaps it in, dropping it without
/// committing removes it (and any folders created to hold the output) and leaves the previous
/// output as it was.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    names: Names,
    /// The files written so far, relative to the output: the next marker's list.
    written: Mutex<BTreeSet<String>>,
    /// The topmost folder created to hold the output, removed again if the build fails.
    created: Option<PathBuf>,
    committed: bool,
    /// Held until the staging is dropped: one build per output folder at a time.
    _lock: OutputLock,
}

/// A committed build.
pub struct Committed {
    /// The output folder.
    pub path: PathBuf,
    /// The previous output could not be removed after the swap (the new one is in place).
    pub leftover: Option<Diagnostic>,
}

impl Staging {
    /// Checks that `target` is a safe output folder for the site at `root`, takes its lock,
    /// removes what interrupted builds left beside it, and creates the staging folder.
    pub fn create(target: &Path, root: &Path) -> Result<Staging, OutputError> {
        let target = target::absolute(target).map_err(io_error(target))?;
        let root = target::absolute(root).map_err(io_error(root))?;
        target::check(&target, &root)?;
        let parent = target.parent().ok_or(OutputError::Refused {
            path: target.clone(),
            reason: "it has no parent folder",
        })?;
        let created = target::first_missing(parent);
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let names = Names::new(&name);
        let prepared = sweep::lock(parent, &names, &target).and_then(|lock| {
            sweep::sweep(parent, &names, &target)?;
            check_ours(&target)?;
            Ok(lock)
        });
        let lock = match prepared {
            Ok(lock) => lock,
            Err(e) => {
                remove_created(created.as_deref());
                return Err(e);
            }
        };
        let dir = parent.join(format!("{}{}", names.staging, std::process::id()));
        let staging = Staging {
            dir,
            target,
            names,
            written: Mutex::new(BTreeSet::new()),
            created,
            committed: false,
            _lock: lock,
        };
        std::fs::create_dir(&staging.dir).map_err(io_error(&staging.dir))?;
        interrupt::registry().extend([staging.dir.clone(), staging._lock.path().to_path_buf()]);
        Ok(staging)
    }

    /// Replaces the output folder by the staging folder, keeping what the previous output held
    /// that awskb did not write.
    pub fn commit(mut self) -> Result<Committed, OutputError> {
        let foreign = ownership::foreign(&self.target).map_err(io_error(&self.target))?;
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        ownership::check_clashes(&self.target, &foreign, &written)?;
        ownership::carry(&foreign, &self.target, &self.dir).map_err(io_error(&self.dir))?;
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, ownership::marker(&written)).map_err(io_error(&marker))?;

        let old = self
            .dir
            .with_file_name(format!("{}{}", self.names.old, std::process::id()));
        let mut in_progress = interrupt::registry();
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &old).map_err(io_error(&self.target))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(io_error(&self.target)(e));
        }
        self.committed = true;
        in_progress.retain(|d| *d != self.dir);
        drop(in_progress);
        let leftover = match had_previous.then(|| sweep::remove(&old)) {
            Some(Err(e)) => Some(Diagnostic::warning(
                &old,
                0,
                0,
                "output-leftover",
                format!("the previous output was replaced but could not be removed: {e}"),
            )),
            _ => None,
        };
        Ok(Committed {
            path: self.target.clone(),
            leftover,
        })
    }

    fn record(&self, rel: &Path) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string_lossy().replace('\\', "/"));
    }

    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let rel = safe_relative(rel)?;
        let path = self.dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.record(&rel);
        Ok(path)
    }
}

/// An existing, non-empty output folder must have been made by awskb.
fn check_ours(target: &Path) -> Result<(), OutputError> {
    if !target.exists() {
        return Ok(());
    }
    let empty = std::fs::read_dir(target)
        .map_err(io_error(target))?
        .next()
        .is_none();
    if !empty && !target.join(MARKER).is_file() {
        return Err(OutputError::NotOurs {
            path: target.to_path_buf(),
        });
    }
    Ok(())
}

/// Removes the folders a failed build created to hold its output.
fn remove_created(created: Option<&Path>) {
    if let Some(top) = created {
        let _ = std::fs::remove_dir_all(top);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        interrupt::registry().retain(|p| *p != self.dir && p != self._lock.path());
        if !self.committed {
            let _ = sweep::remove(&self.dir);
            remove_created(self.created.as_deref());
        }
    }
}

impl Output for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.prepare(rel)?, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.prepare(rel)?).map(|_| ())
    }
}
