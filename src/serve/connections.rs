//! The dev server's accept loop. Each connection must send a request's headers within
//! [`HEADER_DEADLINE`], whether it is new, idle between requests or dripping bytes, so idle and
//! slow connections cannot use up the process's descriptors and lock the author out; a page's
//! event stream, once its request is in, stays open. Running out of descriptors anyway pauses
//! accepting instead of ending the server.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a connection may take to send a request's headers (also the idle keep-alive limit).
pub const HEADER_DEADLINE: Duration = Duration::from_secs(10);

/// Connections served at once; more wait in the kernel's queue until one closes.
const MAX_CONNECTIONS: usize = 128;

/// Serves `app` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, app: Router) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if is_fatal(&e) => return Err(e),
            Err(_) => {
                // Out of descriptors or a connection reset before accept: try again shortly.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_DEADLINE);
            // A failed connection concerns only its client.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// Accept errors that will not go away by waiting.
fn is_fatal(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::NotConnected | io::ErrorKind::Unsupported
    )
}
