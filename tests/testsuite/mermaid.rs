//! ```mermaid blocks: kept as their source in `<pre class="mermaid">` for the browser to draw
//! (static/js/mermaid-init.js), never an unknown-language warning. The Mermaid bundle ships
//! only with a site that has such a block, CodeMirror only with the playground, each linked
//! with a `?v=` hash of its bytes.

use std::path::Path;

use crate::common::*;
use awskb::BuildOptions;
use sha2::{Digest, Sha256};

const MERMAID: &str = "js/vendor/mermaid.js";
const MERMAID_INIT: &str = "js/mermaid-init.js";
const CODEMIRROR: &str = "js/vendor/codemirror.js";

/// The `data-*` attribute `name` of the page's main script (the one that loads the others).
fn script_attr(page: &scraper::Html, name: &str) -> Option<String> {
    let attr = format!("data-{name}");
    attrs(page, "script[data-asl-runner]", &attr)
        .into_iter()
        .next()
}

/// Asserts that `url` is `/file?v=HASH` with the first 8 hex digits of the SHA-256 of the file
/// written at `out/file`.
fn assert_versioned(out: &Path, url: &str, file: &str) {
    let (path, version) = url
        .split_once("?v=")
        .unwrap_or_else(|| panic!("{url} has no ?v="));
    assert_eq!(path, format!("/{file}"));
    let bytes = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let digest: String = Sha256::digest(&bytes)[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(version, digest, "{url}");
}

#[test]
fn mermaid_blocks_keep_their_source_for_the_browser() {
    let site = copy_fixture("mermaid");
    let options = BuildOptions::new(site.path());
    let report = awskb::build(&options).unwrap();
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code == "unknown-language"),
        "{:#?}",
        report.diagnostics
    );
    let out = site.path().join("public");
    let page = html(&out.join("flow/index.html"));
    let blocks = scraper::Selector::parse("pre.mermaid").unwrap();
    let sources: Vec<String> = page
        .select(&blocks)
        .map(|b| b.text().collect::<String>())
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(
        sources[0].starts_with("flowchart LR\n  Client --> Gateway[API Gateway]"),
        "{sources:?}"
    );
    assert!(
        sources[0].contains("Table[(DynamoDB)]"),
        "brackets are text, not markup"
    );
    let highlighted =
        scraper::Selector::parse("pre.mermaid span, pre.highlight[data-lang=mermaid]").unwrap();
    assert_eq!(page.select(&highlighted).count(), 0);
    let init = script_attr(&page, "mermaid-init").expect("the page names the Mermaid loader");
    assert_versioned(&out, &init, MERMAID_INIT);
    let bundle = script_attr(&page, "mermaid").expect("the page names the Mermaid bundle");
    assert_versioned(&out, &bundle, MERMAID);
    // Other pages are untouched.
    let plain = html(&out.join("plain/index.html"));
    assert_eq!(plain.select(&blocks).count(), 0);
}

#[test]
fn a_site_without_mermaid_blocks_or_playground_has_neither_bundle() {
    let site = copy_fixture("mermaid");
    std::fs::remove_file(site.path().join("content/flow.md")).unwrap();
    write(
        site.path(),
        "awskb.toml",
        "title = \"No bundles\"\nplayground = false\n",
    );
    awskb::build(&BuildOptions::new(site.path())).unwrap();
    let out = site.path().join("public");
    for file in [MERMAID, MERMAID_INIT, CODEMIRROR] {
        assert!(!out.join(file).exists(), "{file} is left out");
    }
    let page = html(&out.join("plain/index.html"));
    for name in ["mermaid", "mermaid-init", "codemirror"] {
        assert_eq!(script_attr(&page, name), None, "no link to the {name} file");
    }
    // The theme's other scripts are there.
    assert!(out.join("js/awskb.js").is_file());
}

#[test]
fn the_playground_brings_the_editor_bundle_with_a_versioned_link() {
    let site = copy_fixture("mermaid");
    write(
        site.path(),
        "awskb.toml",
        "title = \"Playground\"\nplayground = true\n",
    );
    awskb::build(&BuildOptions::new(site.path())).unwrap();
    let out = site.path().join("public");
    let page = html(&out.join("playground/index.html"));
    let editor = script_attr(&page, "codemirror").expect("the playground names the editor");
    assert_versioned(&out, &editor, CODEMIRROR);
}
