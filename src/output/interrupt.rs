//! Ctrl-C, SIGTERM and SIGHUP during a build remove its staging folder and lock before the process
//! ends, so an interrupted build leaves the previous output and nothing else. (SIGKILL cannot be
//! caught: the next build's sweep removes what it left.)

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Staging folders and lock files of builds in progress. A commit holds this lock while it swaps folders, so
/// a signal handled meanwhile waits for the swap to finish instead of cutting it in half.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub(super) fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts, once per process, a thread that waits for an interrupting signal, removes the
/// staging folders and locks of builds in progress and exits with 130 (the shell's code for Ctrl-C).
pub fn clean_up_on_signal() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        else {
            return;
        };
        std::thread::spawn(move || {
            runtime.block_on(wait_for_signal());
            let paths = registry();
            for path in paths.iter() {
                let _ = if path.is_dir() {
                    super::sweep::remove(path)
                } else {
                    std::fs::remove_file(path)
                };
            }
            std::process::exit(130);
        });
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    async fn next(stream: Option<&mut Signal>) {
        match stream {
            Some(stream) => {
                stream.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    let mut interrupt = signal(SignalKind::interrupt()).ok();
    let mut terminate = signal(SignalKind::terminate()).ok();
    let mut hangup = signal(SignalKind::hangup()).ok();
    tokio::select! {
        _ = next(interrupt.as_mut()) => {}
        _ = next(terminate.as_mut()) => {}
        _ = next(hangup.as_mut()) => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
