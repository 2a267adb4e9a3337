//! Where a build's files go: a staging folder swapped in atomically, memory (`serve`), or nowhere
//! (`check`).
//!
//! The output folder is only ever replaced when it was made by awskb (it holds a marker
//! file), so a mistyped `-o` can never wipe out someone's documents.

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use thiserror::Error;

/// Marker file written into every output folder awskb creates.
pub const MARKER: &str = ".awskb-output";

/// Where rendered files are written; shared by the parallel renderers.
pub trait Output: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path relative to the output root).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies the file `from` to `rel`.
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
}

/// Writes nothing: for `check`, which runs everything a build does.
pub struct Discard;

impl Output for Discard {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from).map(|_| ())
    }
}

/// The files of a build kept in memory, for `serve`: output path -> contents.
pub type Files = HashMap<String, Arc<[u8]>>;

/// Keeps every file in memory, for `serve`. Files copied from the site must lie inside it once
/// symbolic links are followed, so the dev server never hands out a file from elsewhere; the
/// others are left out and listed by [`Memory::refused`].
pub struct Memory {
    files: Mutex<Files>,
    root: PathBuf,
    refused: Mutex<Vec<PathBuf>>,
}

impl Memory {
    /// An empty store for the site at `root`.
    pub fn new(root: &Path) -> Memory {
        Memory {
            files: Mutex::new(Files::new()),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            refused: Mutex::new(Vec::new()),
        }
    }

    /// The files not copied because they lead outside the site (through a symbolic link).
    pub fn refused(&self) -> Vec<PathBuf> {
        let mut refused = self
            .refused
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        refused.sort();
        refused
    }

    /// The files written so far.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, rel: &str, bytes: Arc<[u8]>) -> io::Result<()> {
        let rel = safe_relative(rel)?.to_string_lossy().replace('\\', "/");
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel, bytes);
        Ok(())
    }
}

impl Output for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.insert(rel, bytes.into())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let real = from.canonicalize()?;
        if !real.starts_with(&self.root) {
            self.refused
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(from.to_path_buf());
            return Ok(());
        }
        self.insert(rel, std::fs::read(real)?.into())
    }
}

/// Why an output folder cannot be used.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("refusing to write the site into {path}: {reason}")]
    Refused { path: PathBuf, reason: &'static str },
    #[error(
        "{path} already exists and was not created by awskb (it has no {MARKER} file); remove it yourself or choose another folder with -o"
    )]
    NotOurs { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A folder being filled beside the real output; `commit` swaps it in, dropping it without
/// committing removes it and leaves the previous output as it was.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `target` is a safe output folder for the site at `root` and creates the
    /// staging folder beside it.
    pub fn create(target: &Path, root: &Path) -> Result<Staging, OutputError> {
        let target = absolute(target).map_err(io_error(target))?;
        let root = absolute(root).map_err(io_error(root))?;
        check_target(&target, &root)?;
        if target.exists() {
            let empty = std::fs::read_dir(&target)
                .map_err(io_error(&target))?
                .next()
                .is_none();
            if !empty && !target.join(MARKER).is_file() {
                return Err(OutputError::NotOurs { path: target });
            }
        }
        let parent = target.parent().ok_or(OutputError::Refused {
            path: target.clone(),
            reason: "it has no parent folder",
        })?;
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = parent.join(format!(".{name}.awskb-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_error(&dir))?;
        std::fs::write(
            dir.join(MARKER),
            b"This folder was generated by awskb and is replaced by every build.\n",
        )
        .map_err(io_error(&dir))?;
        Ok(Staging {
            dir,
            target,
            committed: false,
        })
    }

    /// Replaces the output folder by the staging folder.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let old = self.dir.with_file_name(format!(
            ".{}.awskb-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
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
        if had_previous {
            std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Output for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(safe_relative(rel)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.dir.join(safe_relative(rel)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, path).map(|_| ())
    }
}

/// Rejects output paths that would leave the output folder.
fn safe_relative(rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel.trim_start_matches('/'));
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path.to_path_buf())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("output path `{rel}` leaves the output folder"),
        ))
    }
}

/// The output may not be `/`, a home folder, the site root or any folder holding it, or be
/// inside `content/`, `templates/` or `static/` (the next build would read it back).
fn check_target(target: &Path, root: &Path) -> Result<(), OutputError> {
    let refuse = |reason| {
        Err(OutputError::Refused {
            path: target.to_path_buf(),
            reason,
        })
    };
    if target.parent().is_none() {
        return refuse("it is the file system root");
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

/// An absolute path with `.` and `..` resolved, following symlinks where the path exists.
fn absolute(path: &Path) -> io::Result<PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir(root.join("content")).unwrap();
        for target in [
            PathBuf::from("/"),
            root.to_path_buf(),
            root.parent().unwrap().to_path_buf(),
            root.join("content"),
            root.join("content/x"),
        ] {
            assert!(
                matches!(
                    Staging::create(&target, root),
                    Err(OutputError::Refused { .. })
                ),
                "{}",
                target.display()
            );
        }
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("docs");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("thesis.tex"), "precious").unwrap();
        assert!(matches!(
            Staging::create(&target, site.path()),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(target.join("thesis.tex").exists());
    }

    #[test]
    fn dropping_without_commit_keeps_the_previous_output() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        let first = Staging::create(&target, site.path()).unwrap();
        first.write("index.html", b"one").unwrap();
        first.commit().unwrap();
        let second = Staging::create(&target, site.path()).unwrap();
        second.write("index.html", b"two").unwrap();
        drop(second);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn memory_refuses_links_out_of_the_site() {
        let outside = tempfile::tempdir().unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(site.path().join("own.txt"), "own").unwrap();
        let memory = Memory::new(site.path());
        memory
            .copy("own.txt", &site.path().join("own.txt"))
            .unwrap();
        #[cfg(unix)]
        {
            let link = site.path().join("link.txt");
            std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
            memory.copy("link.txt", &link).unwrap();
            assert_eq!(memory.refused(), [link]);
        }
        assert!(memory.write("../x", b"x").is_err());
        let files = memory.into_files();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["own.txt"]);
        assert_eq!(&*files["own.txt"], b"own");
    }

    #[test]
    fn paths_cannot_escape() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("a/b.html").is_ok());
    }
}
