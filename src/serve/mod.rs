//! `awskb serve`: builds the site into memory, serves it over HTTP (loopback unless told
//! otherwise), watches the site's files, re-renders only what each change touched, and tells
//! open pages over Server-Sent Events to reload, swap a stylesheet, or show the site's errors.

mod build;
mod changes;
mod connections;
mod http;
mod touched;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::json;
use thiserror::Error;
use tokio::sync::broadcast;

pub use build::Rebuilt;
pub use changes::Changes;
pub use http::{EVENTS_PATH, SCRIPT_PATH};

use crate::output::Memory;
use crate::plan;
use crate::search;
use build::LiveBuild;
use http::{Message, Shared};
use watch::{Batch, Watcher};

/// The default port, as Zola's.
pub const DEFAULT_PORT: u16 = 1111;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub bind: IpAddr,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// Why the server could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    #[error("{addr} is already in use (is another `awskb serve` running?){}",
        suggestion.map(|p| format!("; try `awskb serve -p {p}`")).unwrap_or_default())]
    PortInUse {
        addr: SocketAddr,
        suggestion: Option<u16>,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch {path} for changes: {source}")]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// What the server tells the person running it; the command line prints it.
pub trait Reporter: Send + Sync + 'static {
    /// The first build is done and the site is served at `url`.
    fn ready(&self, url: &str, first: &Rebuilt, elapsed: Duration);
    /// A change was rebuilt (`changes` is what the watcher saw).
    fn rebuilt(&self, changes: &Changes, rebuilt: &Rebuilt, elapsed: Duration);
    /// The rebuild of `changes` was given up after `elapsed` for a newer change, which is
    /// rebuilt next together with it.
    fn superseded(&self, changes: &Changes, elapsed: Duration);
    /// Something that does not stop the server, such as a watcher error.
    fn warn(&self, message: &str);
    /// Something worth saying once, such as where the pages are read from.
    fn info(&self, message: &str);
}

/// Serves the site until the process is interrupted.
pub fn serve(options: &ServeOptions, reporter: Arc<dyn Reporter>) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let listener = listen(SocketAddr::new(options.bind, options.port))?;
    let addr = listener.local_addr().map_err(ServeError::Runtime)?;
    let url = site_url(addr);
    if !addr.ip().is_loopback() {
        let drafts = if options.drafts {
            ", drafts included"
        } else {
            ""
        };
        reporter.warn(&format!(
            "listening on {addr}: other machines on the network can read this site{drafts}"
        ));
    }

    let started = Instant::now();
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        files: RwLock::new(Default::default()),
        problems: RwLock::new(problems_message(&[])),
        events,
    });
    let (build, first) = LiveBuild::start(&root, options.drafts, url.clone(), &shared.files);
    shared.announce_problems(problems_message(&first.diagnostics));

    let (sink, batches) = mpsc::channel();
    for note in build.site().notes() {
        reporter.info(&note);
    }
    let saves = Arc::new(AtomicU64::new(0));
    let watcher = Watcher::start(&root, &build.site().layout, sink, Arc::clone(&saves)).map_err(
        |source| ServeError::Watch {
            path: root.clone(),
            source,
        },
    )?;
    reporter.ready(&url, &first, started.elapsed());
    let (to_index, inputs) = mpsc::channel();
    {
        let shared = Arc::clone(&shared);
        let reporter = Arc::clone(&reporter);
        let root = root.clone();
        std::thread::Builder::new()
            .name("awskb-search".into())
            .spawn(move || index_loop(&root, &inputs, &shared, &*reporter))
            .map_err(ServeError::Runtime)?;
    }
    {
        let shared = Arc::clone(&shared);
        let reporter = Arc::clone(&reporter);
        let root = root.clone();
        let loops = Loops {
            batches,
            saves,
            to_index,
            shared,
            reporter,
        };
        std::thread::Builder::new()
            .name("awskb-rebuild".into())
            .spawn(move || rebuild_loop(&root, build, watcher, &loops))
            .map_err(ServeError::Runtime)?;
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
        let app = http::router(
            shared,
            http::Hosts {
                bound: options.bind,
            },
        );
        tokio::select! {
            result = connections::serve(listener, app) => result.map_err(ServeError::Runtime),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// Keeps the search index of the site, applies the changes handed over (all that wait) and
/// puts the new bundle beside the other files.
fn index_loop(
    root: &Path,
    inputs: &mpsc::Receiver<(String, search::Changes)>,
    shared: &Shared,
    reporter: &dyn Reporter,
) {
    let mut index = None;
    while let Ok(first) = inputs.recv() {
        let mut dir = String::new();
        for (folder, changes) in std::iter::once(first).chain(inputs.try_iter()) {
            changes.apply(&mut index);
            dir = folder;
        }
        let Some(index) = &index else { continue };
        let bundle = Memory::new(root);
        let (problems, _) = search::write_bundle(index, &dir, &bundle);
        for problem in &problems {
            reporter.warn(&format!("search index: {}", problem.headline()));
        }
        if !problems.is_empty() {
            continue;
        }
        let mut files = shared.files.write().unwrap_or_else(|e| e.into_inner());
        files.retain(|rel, _| !plan::in_search_index(rel));
        files.extend(bundle.into_files());
    }
}

/// Binds `addr`; when the port is taken, finds a free one nearby to suggest.
fn listen(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    match TcpListener::bind(addr) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let suggestion = (1..=50)
                .filter_map(|step| addr.port().checked_add(step))
                .find(|&port| TcpListener::bind(SocketAddr::new(addr.ip(), port)).is_ok());
            Err(ServeError::PortInUse { addr, suggestion })
        }
        Err(source) => Err(ServeError::Bind { addr, source }),
    }
}

/// The address to open in a browser: loopback when listening on every interface.
fn site_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// How long the files must stay quiet before the search index is built again: indexing takes
/// seconds on a large site, so it waits for a pause in the author's saves.
const SEARCH_PAUSE: Duration = Duration::from_millis(500);

/// What the rebuild thread talks to.
struct Loops {
    batches: mpsc::Receiver<Batch>,
    /// How many bursts that change the site the watcher has sent so far.
    saves: Arc<AtomicU64>,
    /// The search index's folder in the output, and what changed for it.
    to_index: mpsc::Sender<(String, search::Changes)>,
    shared: Arc<Shared>,
    reporter: Arc<dyn Reporter>,
}

/// Waits for bursts of file events and rebuilds, until the watcher goes away; in pauses, hands
/// the site to the search indexer when it changed.
fn rebuild_loop(root: &Path, mut build: LiveBuild, mut watcher: Watcher, loops: &Loops) {
    let (batches, shared, reporter) = (&loops.batches, &*loops.shared, &*loops.reporter);
    let mut search_stale = true;
    let mut indexed = search::Fingerprints::default();
    loop {
        let batch = match batches.recv_timeout(SEARCH_PAUSE) {
            Ok(batch) => batch,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if search_stale && let Some(planned) = build.plan().find(plan::Kind::SearchIndex) {
                    let changes = search::Changes::since(build.site(), &mut indexed);
                    if !changes.is_empty() {
                        let _ = loops.to_index.send((planned.file.clone(), changes));
                    }
                }
                search_stale = false;
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut paths = Vec::new();
        // Bursts that arrived while the last rebuild ran (or that superseded it) are handled
        // together.
        for batch in std::iter::once(batch).chain(batches.try_iter()) {
            match batch {
                Ok(batch) => paths.extend(batch),
                Err(message) => reporter.warn(&format!("file watcher: {message}")),
            }
        }
        let changes = Changes::sort(root, &build.site().layout, paths);
        if changes.is_empty() {
            continue;
        }
        // Read after the bursts are taken: a burst counted later is still in the channel, and
        // supersedes this rebuild.
        let saves = &*loops.saves;
        let seen = saves.load(Ordering::SeqCst);
        let newer = || saves.load(Ordering::SeqCst) != seen;
        let started = Instant::now();
        shared.announce(Message {
            event: "rebuilding",
            data: "{}".into(),
        });
        let rebuilt = build.apply(&changes, &shared.files, &newer);
        // In place, a new folder of the root is content to watch too (a note saved at the top
        // is not: re-watching every folder for it would be slow, and lose events meanwhile).
        let new_folder = build.site().layout.in_place()
            && changes
                .content
                .iter()
                .any(|c| c.components().count() == 1 && root.join(c).is_dir());
        if changes.everything || new_folder {
            watcher.rewatch(&build.site().layout);
        }
        if rebuilt.superseded {
            shared.announce(Message {
                event: "superseded",
                data: "{}".into(),
            });
            reporter.superseded(&changes, started.elapsed());
            continue;
        }
        shared.announce_problems(problems_message(&rebuilt.diagnostics));
        if let Some(message) = change_message(&rebuilt.changed) {
            shared.announce(message);
            search_stale = true;
        }
        reporter.rebuilt(&changes, &rebuilt, started.elapsed());
    }
}

/// The `problems` message: the errors of the site (warnings stay in the terminal).
fn problems_message(diagnostics: &[crate::diagnostics::Diagnostic]) -> Message {
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    Message {
        event: "problems",
        data: json!({ "diagnostics": errors }).to_string().into(),
    }
}

/// `css` when only stylesheets changed, else `reload`; nothing when no file changed.
fn change_message(changed: &[String]) -> Option<Message> {
    if changed.is_empty() {
        return None;
    }
    let event = if changed.iter().all(|file| file.ends_with(".css")) {
        "css"
    } else {
        "reload"
    };
    Some(Message {
        event,
        data: json!({ "files": changed }).to_string().into(),
    })
}
