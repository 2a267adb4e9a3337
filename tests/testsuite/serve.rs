//! `awskb serve` end to end: the real binary on a free port, spoken to over plain HTTP/1.0
//! (so bodies, the event stream included, arrive unchunked), with files edited underneath it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use crate::common::{copy_fixture, write};
use scraper::{Html, Selector};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_awskb"))
            .args(["serve", "-p", "0", "-r"])
            .arg(root)
            // Two render threads whatever the machine: a rebuild is given up between pages,
            // so with as many threads as pages no page would be left to give up before.
            .env("RAYON_NUM_THREADS", "2")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, port }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// `GET path` exactly as written (no normalising): status, headers (lower-case), body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = self.connect();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_lowercase(), body.to_string())
    }

    /// The event stream as (event, data) pairs.
    fn events(&self) -> Receiver<(String, serde_json::Value)> {
        let mut stream = self.connect();
        write!(stream, "GET /__awskb/events HTTP/1.0\r\n\r\n").unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(name) = line.strip_prefix("event:") {
                    event = name.trim().to_string();
                } else if let Some(data) = line.strip_prefix("data:") {
                    let data = serde_json::from_str(data.trim()).unwrap();
                    if sender.send((std::mem::take(&mut event), data)).is_err() {
                        return;
                    }
                }
            }
        });
        receiver
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event named `name`, skipping others.
fn next(events: &Receiver<(String, serde_json::Value)>, name: &str) -> serde_json::Value {
    loop {
        let (event, data) = events
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if event == name {
            return data;
        }
    }
}

fn count(html: &str, selector: &str) -> usize {
    Html::parse_document(html)
        .select(&Selector::parse(selector).unwrap())
        .count()
}

const PAGE: &str = "content/misc/note.md";
const PAGE_FILE: &str = "misc/note/index.html";

#[test]
fn serves_the_site_with_the_script_and_nothing_outside_it() {
    let site = copy_fixture("kb");
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "not for the web");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/secret.txt"),
    )
    .unwrap();
    // A Markdown page and a folder that lead out of the site are not content.
    write(
        outside.path(),
        "leak.md",
        "---\ntitle: Leak\n---\nnot for the web\n",
    );
    write(outside.path(), "etc/passwd.md", "not for the web");
    #[cfg(unix)]
    for (target, link) in [("leak.md", "content/leak.md"), ("etc", "content/dir")] {
        std::os::unix::fs::symlink(outside.path().join(target), site.path().join(link)).unwrap();
    }
    let server = Server::start(site.path());

    let (status, head, body) = server.get("/misc/note/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"));
    assert!(head.contains("cache-control: no-store"));
    assert_eq!(count(&body, r#"script[src="/__awskb/live.js"]"#), 1);
    // Links point at the dev server, not at the configured base_url.
    assert_eq!(count(&body, r#"link[href^="/css/style.css"]"#), 1);

    let (status, head, body) = server.get("/__awskb/live.js");
    assert_eq!(status, 200);
    assert!(head.contains("text/javascript"));
    assert!(body.contains("EventSource"));
    let (status, head, _) = server.get("/css/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));
    // The practice page's data is served too.
    let (status, _, body) = server.get("/practice/index.json");
    assert_eq!(status, 200);
    assert!(body.contains("\"total\":"), "{body}");
    let (status, head, _) = server.get("/misc/note");
    assert_eq!(status, 307);
    assert!(head.contains("location: /misc/note/"));

    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(count(&body, r#"script[src="/__awskb/live.js"]"#), 1);
    for path in [
        "/../awskb.toml",
        "/misc/../../awskb.toml",
        "/%2e%2e/awskb.toml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%5cawskb.toml",
    ] {
        assert_eq!(server.get(path).0, 400, "{path}");
    }
    for path in [
        "/awskb.toml",
        "/content/misc/note.md",
        "//etc/passwd",
        "/secret.txt",
        "/leak/",
        "/dir/passwd/",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("not for the web"), "{path}");
    }
}

#[test]
fn an_edit_reloads_open_pages_and_errors_show_until_fixed() {
    let site = copy_fixture("kb");
    let server = Server::start(site.path());
    let events = server.events();
    assert_eq!(
        next(&events, "problems")["diagnostics"],
        serde_json::json!([])
    );

    write(
        site.path(),
        PAGE,
        "---\ntitle: Note\n---\n\nA freshly edited note.\n",
    );
    next_reload_names(&events, PAGE_FILE);
    assert!(
        server
            .get("/misc/note/")
            .2
            .contains("A freshly edited note.")
    );

    write(site.path(), PAGE, "---\ntitle: [Note\n---\n\nBroken.\n");
    let problems = next(&events, "problems");
    let first = &problems["diagnostics"][0];
    assert_eq!(first["file"], "content/misc/note.md");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().unwrap() >= 2, "{first}");
    // The last good version is still served.
    let (status, _, body) = server.get("/misc/note/");
    assert_eq!(status, 200);
    assert!(body.contains("A freshly edited note."));

    write(site.path(), PAGE, "---\ntitle: Note\n---\n\nFixed.\n");
    assert_eq!(
        next(&events, "problems")["diagnostics"],
        serde_json::json!([])
    );
    next(&events, "reload");
    assert!(server.get("/misc/note/").2.contains("Fixed."));

    // A stylesheet alone is swapped, not reloaded.
    write(site.path(), "static/css/extra.css", "body { color: teal }");
    let css = next(&events, "css");
    assert_eq!(css["files"], serde_json::json!(["css/extra.css"]));
}

#[test]
fn the_build_output_has_no_live_reload() {
    let site = copy_fixture("kb");
    let out = site.path().join("public");
    let output = crate::common::awskb(&["build", "-r", site.path().to_str().unwrap()]);
    assert!(output.status.success());
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__awskb"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_taken_port_is_reported_with_another_to_try() {
    let site = copy_fixture("kb");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = crate::common::awskb(&["serve", "-p", &port, "-r", site.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = crate::common::stderr(&output);
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("try `awskb serve -p "), "{stderr}");
}

#[test]
fn requests_for_other_hosts_are_refused_and_idle_connections_closed() {
    let site = copy_fixture("kb");
    let server = Server::start(site.path());
    // A page on another domain rebound to 127.0.0.1 sends its own name.
    let mut stream = server.connect();
    write!(
        stream,
        "GET / HTTP/1.0\r\nHost: attacker.example:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.0 403"), "{response}");
    assert!(!response.contains("<html"), "{response}");
    assert_eq!(server.get("/").0, 200);

    // A connection that sends half a request and then nothing is closed by the server.
    let mut idle = server.connect();
    write!(idle, "GET / HTTP/1.1\r\nHo").unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let closed = idle.read_to_end(&mut rest).is_ok();
    assert!(closed, "the server kept a dripping connection open");
    assert!(started.elapsed() < Duration::from_secs(19));
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn the_mermaid_bundle_is_served_once_a_page_has_a_mermaid_block() {
    let site = copy_fixture("mermaid");
    std::fs::remove_file(site.path().join("content/flow.md")).unwrap();
    let server = Server::start(site.path());
    let events = server.events();
    next(&events, "problems");
    assert_eq!(server.get("/js/vendor/mermaid.js").0, 404);

    write(
        site.path(),
        "content/plain.md",
        "---\ntitle: Plain page\n---\n\n```mermaid\nflowchart LR\n  A --> B\n```\n",
    );
    next(&events, "reload");
    let (status, _, body) = server.get("/js/vendor/mermaid.js");
    assert_eq!(status, 200);
    assert!(body.len() > 100_000, "the whole bundle");
    let page = Html::parse_document(&server.get("/plain/").2);
    let script = Selector::parse("script[data-mermaid]").unwrap();
    let named: Vec<&str> = page
        .select(&script)
        .filter_map(|s| s.value().attr("data-mermaid"))
        .collect();
    assert_eq!(named, ["/js/vendor/mermaid.js"]);

    // The last block gone, the bundle goes too.
    write(
        site.path(),
        "content/plain.md",
        "---\ntitle: Plain page\n---\n\nNo diagram.\n",
    );
    next(&events, "reload");
    assert_eq!(server.get("/js/vendor/mermaid.js").0, 404);
}

/// Waits for the next `reload` event and asserts that it names the output file `file`.
fn next_reload_names(events: &Receiver<(String, serde_json::Value)>, file: &str) {
    let reload = next(events, "reload");
    assert!(
        reload["files"].as_array().unwrap().contains(&file.into()),
        "{reload}"
    );
}

/// Writes `text` to `rel` in one step (a rename), so the watcher sees one save.
fn save(root: &Path, rel: &str, text: &str) {
    let staged = root.join(".save.tmp");
    std::fs::write(&staged, text).unwrap();
    std::fs::rename(&staged, root.join(rel)).unwrap();
}

#[test]
fn a_newer_save_supersedes_a_slow_rebuild() {
    let site = copy_fixture("kb");
    for n in 0..16 {
        write(
            site.path(),
            &format!("content/misc/extra-{n}.md"),
            format!("---\ntitle: Extra {n}\n---\n\nPage {n}.\n"),
        );
    }
    // The folder exists before the server starts: creating it would be a change of its own.
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let server = Server::start(site.path());
    let events = server.events();
    next(&events, "problems");
    // Millions of loop steps on every page: rendering them all takes many seconds, and one
    // page a fraction of that.
    save(
        site.path(),
        "templates/page.html",
        r#"{% extends "base.html" %}{% block content %}{% for i in range(end=1500) %}{% for j in range(end=1500) %}{% endfor %}{% endfor %}slow{% endblock content %}"#,
    );
    next(&events, "rebuilding");
    save(
        site.path(),
        "templates/page.html",
        r#"{% extends "base.html" %}{% block content %}<p class="fixed">{{ page.title }}</p>{% endblock content %}"#,
    );
    // The slow rebuild is given up between two pages, and the newer save is applied.
    next(&events, "superseded");
    next_reload_names(&events, PAGE_FILE);
    let (_, _, body) = server.get("/misc/note/");
    assert_eq!(count(&body, "p.fixed"), 1, "{body}");
}
