//! Watching the site's files: the config, `content/`, `templates/` and `static/`, with a short
//! debounce so an editor's burst of events for one save (write, rename, write again) arrives as
//! one batch.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::changes::Changes;
use crate::content::Layout;
use crate::content::walk::is_ignored;
use crate::content::{STATIC_DIR, TEMPLATES_DIR};

/// Quiet time after the last event of a burst before it is handed on: long enough for an
/// editor's save, short enough to feel instant.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// What the watcher hands on: the paths of a burst, or the watcher's own errors.
pub type Batch = Result<Vec<PathBuf>, String>;

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// The folders watched recursively now.
    watched: Vec<PathBuf>,
    /// Where the pages are now, shared with the callback that counts saves, so a save is
    /// counted exactly when the rebuild loop (which sorts with the same layout) acts on it.
    layout: Arc<Mutex<Layout>>,
}

impl Watcher {
    /// Watches the site at `root` (canonical), with its pages where `layout` says, and sends
    /// each burst of changed paths to `sink`. Before it sends a burst that changes the site, it
    /// counts it in `saves`: a rebuild that sees the count move knows a newer change waits for
    /// it (see [`super::build::LiveBuild::apply`]).
    pub fn start(
        root: &Path,
        layout: &Layout,
        sink: Sender<Batch>,
        saves: Arc<AtomicU64>,
    ) -> notify::Result<Watcher> {
        let site = root.to_path_buf();
        let current = Arc::new(Mutex::new(layout.clone()));
        let pages = Arc::clone(&current);
        let debouncer = new_debouncer(
            DEBOUNCE,
            Some(DEBOUNCE / 4),
            move |result: DebounceEventResult| {
                let batch = match result {
                    Ok(events) => Ok(events
                        .into_iter()
                        // Reading a file is not changing it.
                        .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                        .flat_map(|e| e.event.paths)
                        .collect::<Vec<_>>()),
                    Err(errors) => Err(errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")),
                };
                let changes_site = |paths: &[PathBuf]| {
                    let layout = pages.lock().unwrap_or_else(PoisonError::into_inner);
                    !Changes::sort(&site, &layout, paths.iter().cloned()).is_empty()
                };
                if let Ok(paths) = &batch
                    && changes_site(paths)
                {
                    saves.fetch_add(1, Ordering::SeqCst);
                }
                if !matches!(&batch, Ok(paths) if paths.is_empty()) {
                    let _ = sink.send(batch);
                }
            },
        )?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: Vec::new(),
            layout: current,
        };
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.rewatch(layout);
        Ok(watcher)
    }

    /// Watches the site's folders again: after one was created, deleted or replaced (a
    /// `git checkout`), the old watch is gone.
    pub fn rewatch(&mut self, layout: &Layout) {
        *self.layout.lock().unwrap_or_else(PoisonError::into_inner) = layout.clone();
        for path in std::mem::take(&mut self.watched) {
            let _ = self.debouncer.unwatch(&path);
        }
        for path in folders(&self.root, layout) {
            // A folder that vanished again in between is picked up by the next event.
            if path.is_dir()
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(path);
            }
        }
    }
}

/// The folders to watch recursively: `templates/`, `static/` and the content folder; in place,
/// each folder of the root but what the layout skips (the root itself is watched on its own,
/// so the output folder a build writes there never wakes the server).
fn folders(root: &Path, layout: &Layout) -> Vec<PathBuf> {
    let mut folders = vec![root.join(TEMPLATES_DIR), root.join(STATIC_DIR)];
    if !layout.in_place() {
        folders.push(layout.abs(root));
        return folders;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return folders;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let path = entry.path();
        if path.is_dir()
            && !is_ignored(&name.to_string_lossy())
            && !layout.skips(Path::new(&name), &path)
            && !folders.contains(&path)
        {
            folders.push(path);
        }
    }
    folders
}
