//! Where a build's files go: a staging folder swapped in atomically, memory (`serve`), or nowhere
//! (`check`).
//!
//! The output folder is only ever replaced when it was made by awskb (it holds a marker file
//! listing what awskb wrote), so a mistyped `-o` can never wipe out someone's documents and a
//! deploy clone keeps its `.git`; interrupted builds are cleaned up by the next one.

mod interrupt;
mod ownership;
mod staging;
mod sweep;
mod target;

pub use interrupt::clean_up_on_signal;
pub use staging::{Committed, Staging};

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
    #[error(
        "{path} is in the output folder but was not written by awskb, and this build writes a file there; move it away or choose another folder with -o"
    )]
    Foreign { path: PathBuf },
    #[error(
        "another awskb build is writing {path}; wait for it to finish (or stop it) and build again"
    )]
    Busy { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
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

    fn build(target: &Path, root: &Path, files: &[(&str, &str)]) -> Committed {
        let staging = Staging::create(target, root).unwrap();
        for (rel, text) in files {
            staging.write(rel, text.as_bytes()).unwrap();
        }
        staging.commit().unwrap()
    }

    fn entries(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_deploy_clone_keeps_what_awskb_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        build(
            &target,
            site.path(),
            &[("index.html", "one"), ("old/index.html", "gone")],
        );
        // The output is a git clone of the deployed branch: the marker came with it.
        std::fs::create_dir_all(target.join(".git/objects")).unwrap();
        std::fs::write(target.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
        std::fs::write(target.join("CNAME"), "kb.example.org").unwrap();
        std::fs::write(target.join("old/notes.txt"), "mine").unwrap();
        build(&target, site.path(), &[("index.html", "two")]);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(target.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages"
        );
        assert!(target.join(".git/objects").is_dir());
        assert_eq!(
            std::fs::read_to_string(target.join("CNAME")).unwrap(),
            "kb.example.org"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("old/notes.txt")).unwrap(),
            "mine"
        );
        assert!(
            !target.join("old/index.html").exists(),
            "awskb's own old file is replaced"
        );
        assert_eq!(
            entries(site.path()),
            ["public"],
            "nothing left beside the output"
        );
    }

    #[test]
    fn a_build_never_overwrites_a_file_it_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        build(&target, site.path(), &[("index.html", "one")]);
        std::fs::write(target.join("about.html"), "hand-written").unwrap();
        let staging = Staging::create(&target, site.path()).unwrap();
        staging.write("about.html", b"generated").unwrap();
        let err = staging.commit().err().unwrap();
        assert!(matches!(err, OutputError::Foreign { ref path } if path.ends_with("about.html")));
        assert_eq!(
            std::fs::read_to_string(target.join("about.html")).unwrap(),
            "hand-written"
        );
        assert_eq!(entries(site.path()), ["public"]);
    }

    #[test]
    fn a_marker_without_a_list_keeps_hidden_entries() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        std::fs::create_dir_all(target.join(".git")).unwrap();
        std::fs::write(target.join(".git/HEAD"), "x").unwrap();
        std::fs::write(target.join("index.html"), "old").unwrap();
        std::fs::write(
            target.join(MARKER),
            "This folder was generated by awskb and is replaced by every build.\n",
        )
        .unwrap();
        build(&target, site.path(), &[("index.html", "new")]);
        assert!(target.join(".git/HEAD").is_file());
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn leftovers_of_killed_builds_are_swept() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        build(&target, site.path(), &[("index.html", "one")]);
        // A build killed while staging (same PID as this one, as in a container), and one
        // killed while deleting the previous output.
        let staging = site
            .path()
            .join(format!(".public.awskb-staging-{}", std::process::id()));
        std::fs::create_dir_all(staging.join("deep/er")).unwrap();
        std::fs::write(staging.join("deep/er/page.html"), "x").unwrap();
        std::fs::create_dir_all(site.path().join(".public.awskb-old-77/a")).unwrap();
        build(&target, site.path(), &[("index.html", "two")]);
        assert_eq!(entries(site.path()), ["public"]);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_commit_is_put_back() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        build(&target, site.path(), &[("index.html", "one")]);
        std::fs::write(target.join("CNAME"), "kb.example.org").unwrap();
        // Killed between the two renames: no output, the previous one moved aside.
        std::fs::rename(&target, site.path().join(".public.awskb-old-12")).unwrap();
        let staging = Staging::create(&target, site.path()).unwrap();
        assert!(
            target.join("index.html").is_file(),
            "put back before the build"
        );
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "one"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("CNAME")).unwrap(),
            "kb.example.org"
        );
        assert_eq!(entries(site.path()), ["public"]);
    }

    #[test]
    fn a_second_build_of_the_same_output_is_refused_while_the_first_runs() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        let first = Staging::create(&target, site.path()).unwrap();
        assert!(matches!(
            Staging::create(&target, site.path()),
            Err(OutputError::Busy { .. })
        ));
        first.write("index.html", b"one").unwrap();
        first.commit().unwrap();
        build(&target, site.path(), &[("index.html", "two")]);
        assert_eq!(entries(site.path()), ["public"]);
    }

    #[test]
    fn a_failed_build_removes_the_folders_it_created() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("a/b/public");
        let staging = Staging::create(&target, site.path()).unwrap();
        staging.write("index.html", b"x").unwrap();
        drop(staging);
        assert!(entries(site.path()).is_empty());
    }

    #[test]
    fn a_file_is_refused_as_output() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("notes.txt");
        std::fs::write(&target, "notes").unwrap();
        assert!(matches!(
            Staging::create(&target, site.path()),
            Err(OutputError::Refused { .. })
        ));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "notes");
    }
}
