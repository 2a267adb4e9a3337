//! The dev server's HTTP side: the site's files from memory (HTML with the live-reload script
//! added), the script itself, and the Server-Sent Events stream that tells pages to reload.
//! Only files the build made are ever served: a request path is a key into that set, never a
//! path on disk.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;

use crate::output::Files;

/// Where the live-reload script is served (a site file at the same path would be hidden).
pub const SCRIPT_PATH: &str = "/__awskb/live.js";
/// The Server-Sent Events stream.
pub const EVENTS_PATH: &str = "/__awskb/events";
const SCRIPT: &str = include_str!("live.js");

/// One event for every open page: `reload` (changed files), `css` (changed stylesheets) or
/// `problems` (the site's errors now, shown as an overlay), with JSON data.
#[derive(Debug, Clone)]
pub struct Message {
    pub event: &'static str,
    pub data: Arc<str>,
}

/// What the server threads and the rebuild thread share.
pub struct Shared {
    /// The last good version of every file, by output path.
    pub files: RwLock<Files>,
    /// The `problems` message a page gets when it connects.
    pub problems: RwLock<Message>,
    pub events: broadcast::Sender<Message>,
}

impl Shared {
    /// Sends `message` to every open page.
    pub fn announce(&self, message: Message) {
        // No open page is not an error.
        let _ = self.events.send(message);
    }

    /// Sends a `problems` message to every open page, and to pages that open later, unless it
    /// says what the last one said.
    pub fn announce_problems(&self, message: Message) {
        let mut current = self.problems.write().unwrap_or_else(|e| e.into_inner());
        if current.data != message.data {
            *current = message.clone();
            drop(current);
            self.announce(message);
        }
    }
}

/// The routes of the dev server, answering only requests addressed to it (see [`Hosts`]).
pub fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(hosts, check_host))
}

/// The names the server answers to: loopback names and addresses, and the address it is bound
/// to (any IP address when bound to all interfaces). A web page elsewhere that points its own
/// domain name at 127.0.0.1 (DNS rebinding) sends that name as `Host` and is refused, so it
/// cannot read the preview.
#[derive(Debug, Clone, Copy)]
pub struct Hosts {
    pub bound: IpAddr,
}

impl Hosts {
    /// Whether a request with this `Host` header is for this server.
    pub fn allows(&self, host: &str) -> bool {
        let name = strip_port(host).trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// `host` without its `:port`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(ip, _)| &host[..ip.len() + 1]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => {
            name
        }
        _ => host,
    }
}

async fn check_host(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    match host {
        Some(host) if !hosts.allows(host) => (
            StatusCode::FORBIDDEN,
            "awskb serve answers only to localhost and the address it listens on\n",
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let first = shared
        .problems
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let stream = futures_util::stream::unfold(
        (Some(first), receiver),
        |(first, mut receiver)| async move {
            if let Some(message) = first {
                return Some((Ok(event(&message)), (None, receiver)));
            }
            let message = match receiver.recv().await {
                Ok(message) => message,
                // A page that fell behind reloads: it missed something.
                Err(broadcast::error::RecvError::Lagged(_)) => Message {
                    event: "reload",
                    data: r#"{"all":true}"#.into(),
                },
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(event(&message)), (None, receiver)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn event(message: &Message) -> Event {
    Event::default().event(message.event).data(&*message.data)
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The output file at this key.
    File(String),
    /// A folder asked for without its trailing slash: go to this path.
    Redirect(String),
    NotFound,
    /// `..`, a backslash or a NUL in the path, or bytes that are not UTF-8.
    Refused,
}

/// Maps a request path (still percent-encoded) to an output file.
pub fn lookup(raw: &str, files: &Files) -> Lookup {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Lookup::Refused;
    };
    let mut segments = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Lookup::Refused,
            _ if segment.contains(['\\', '\0']) => return Lookup::Refused,
            _ => segments.push(segment),
        }
    }
    let key = segments.join("/");
    let folder = path.ends_with('/') || key.is_empty();
    if folder {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if files.contains_key(&index) {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if files.contains_key(&key) {
        Lookup::File(key)
    } else if files.contains_key(&format!("{key}/index.html")) {
        Lookup::Redirect(format!("/{key}/"))
    } else {
        Lookup::NotFound
    }
}

async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let files = shared.files.read().unwrap_or_else(|e| e.into_inner());
    match lookup(uri.path(), &files) {
        Lookup::File(key) => {
            let bytes = files[&key].clone();
            drop(files);
            respond(StatusCode::OK, &key, &bytes)
        }
        Lookup::Redirect(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            // Temporary: while the author writes, the path may become a file of its own.
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Lookup::NotFound => {
            let page = files.get("404.html").cloned();
            drop(files);
            match page {
                Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", &bytes),
                None => respond(
                    StatusCode::NOT_FOUND,
                    "404.html",
                    b"<!doctype html><title>Not found</title><h1>Not found</h1>",
                ),
            }
        }
        Lookup::Refused => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    }
}

/// A file's response: its content type, no caching (every save must show), and the
/// live-reload script in HTML.
fn respond(status: StatusCode, key: &str, bytes: &[u8]) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s == mime_guess::mime::XML);
    let content_type = if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    let body = if mime.subtype() == mime_guess::mime::HTML {
        inject(bytes)
    } else {
        bytes.to_vec()
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `html` with the live-reload script added before its last `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" defer></script>"#);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(keys: &[&str]) -> Files {
        keys.iter()
            .map(|k| (k.to_string(), Arc::from(&b""[..])))
            .collect()
    }

    #[test]
    fn paths_map_to_output_files_and_never_leave_them() {
        let files = files(&["index.html", "aws/index.html", "css/style.css", "a b.txt"]);
        assert_eq!(lookup("/", &files), Lookup::File("index.html".into()));
        assert_eq!(
            lookup("/aws/", &files),
            Lookup::File("aws/index.html".into())
        );
        assert_eq!(lookup("/aws", &files), Lookup::Redirect("/aws/".into()));
        assert_eq!(
            lookup("/css/style.css", &files),
            Lookup::File("css/style.css".into())
        );
        assert_eq!(lookup("/a%20b.txt", &files), Lookup::File("a b.txt".into()));
        assert_eq!(lookup("/missing/", &files), Lookup::NotFound);
        for bad in [
            "/../etc/passwd",
            "/aws/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/aws/..%5c..%5cwin.ini",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(lookup(bad, &files), Lookup::Refused, "{bad}");
        }
        assert_eq!(lookup("//etc/passwd", &files), Lookup::NotFound);
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<html><body><pre></body></pre></BODY></html>";
        let out = String::from_utf8(inject(html)).unwrap();
        assert!(out.ends_with(&format!(
            r#"<script src="{SCRIPT_PATH}" defer></script></BODY></html>"#
        )));
        let bare = String::from_utf8(inject(b"<p>hi")).unwrap();
        assert!(bare.starts_with("<p>hi<script"));
    }

    #[test]
    fn only_requests_for_this_server_are_answered() {
        let loopback = Hosts {
            bound: IpAddr::from([127, 0, 0, 1]),
        };
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "kb.localhost:80",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "192.168.1.5:1111",
            "",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let lan = Hosts {
            bound: IpAddr::from([192, 168, 1, 5]),
        };
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("10.0.0.1"));
        let everywhere = Hosts {
            bound: IpAddr::from([0, 0, 0, 0]),
        };
        assert!(everywhere.allows("10.0.0.1:1111"));
        assert!(!everywhere.allows("rebound.example"));
    }
}
