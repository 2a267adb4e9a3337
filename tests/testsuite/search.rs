//! The search bundle and the search page: what the index holds of each page, the page and the
//! header box in the HTML, `search = false`, and sites under a sub-path. The browser side is
//! tested in `tests/browser/search.test.mjs`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;
use awskb::BuildOptions;
use serde_json::Value;

/// Builds a copy of the fixture `kb` after `configure`; returns the folder (kept alive) and
/// the output.
fn build(
    configure: impl FnOnce(&Path, &mut BuildOptions),
) -> (tempfile::TempDir, PathBuf, awskb::Report) {
    let site = copy_fixture("kb");
    let mut options = BuildOptions::new(site.path());
    configure(site.path(), &mut options);
    let report = awskb::build(&options).unwrap();
    let out = site.path().join("public");
    (site, out, report)
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let (site, out, report) = build(|_, _| {});
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    (site, out)
}

/// Turns search off in the fixture's config (top-level keys go before its tables).
fn search_off(root: &Path) {
    let config = std::fs::read_to_string(root.join("awskb.toml")).unwrap();
    write(root, "awskb.toml", format!("search = false\n{config}"));
}

/// Every record of the bundle by URL: Pagefind's fragments are gzipped JSON after a marker.
fn records(out: &Path) -> BTreeMap<String, Value> {
    let mut records = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("pagefind/fragment")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let record: Value = serde_json::from_str(text.trim_start_matches("pagefind_dcd")).unwrap();
        records.insert(record["url"].as_str().unwrap().to_string(), record);
    }
    records
}

#[test]
fn the_bundle_holds_every_page_with_words_of_its_own() {
    let (_site, out) = built();
    for rel in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 7);
    let urls: Vec<String> = records(&out).into_keys().collect();
    assert_eq!(
        urls,
        [
            "/",
            "/aws/",
            "/aws/lambda/",
            "/aws/queues/",
            "/aws/step-functions/",
            "/aws/step-functions/introduction-aws-step-functions/",
            "/misc/note/",
        ],
        "no draft, no taxonomy or search page, no section that only lists its pages (/misc/)"
    );
}

#[test]
fn a_record_has_the_headings_terms_and_section_path() {
    let (_site, out) = built();
    let records = records(&out);
    let intro = &records["/aws/step-functions/introduction-aws-step-functions/"];
    assert_eq!(intro["meta"]["title"], "Introduction to AWS Step Functions");
    assert_eq!(intro["meta"]["section"], "AWS › Step Functions");
    assert_eq!(
        intro["filters"]["tags"],
        serde_json::json!(["Step Functions", "Exam"]),
        "terms are spelled as their term pages spell them"
    );
    let anchors: Vec<(&str, &str)> = intro["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        anchors,
        [
            ("über-zustände", "Über Zustände"),
            ("errors", "Retry and Catch")
        ]
    );
    let content = intro["content"].as_str().unwrap();
    assert!(content.contains("States.ALL must be last"), "{content}");
    assert!(
        !content.contains("StartAt"),
        "code blocks stay out: {content}"
    );
    let lambda = &records["/aws/lambda/"];
    assert_eq!(lambda["filters"]["services"], serde_json::json!(["Lambda"]));
    assert_eq!(lambda["meta"]["section"], "AWS");
    assert!(
        records["/"]["meta"].get("section").is_none(),
        "the home page has no section path"
    );
}

#[test]
fn the_search_page_and_the_header_box() {
    let (_site, out) = built();
    let page = html(&out.join("search/index.html"));
    assert_eq!(texts(&page, "h1"), ["Search"]);
    assert_eq!(
        attrs(&page, "form[data-search-page]", "action"),
        ["/kb/search/"]
    );
    assert!(
        texts(&page, "noscript")[0].contains("Search needs JavaScript"),
        "{:?}",
        texts(&page, "noscript")
    );
    assert_eq!(
        attrs(&page, "input[type=checkbox][name=tags]", "value"),
        ["AWS", "Exam", "Serverless", "Step Functions"]
    );
    assert_eq!(
        attrs(&page, "input[type=checkbox][name=services]", "value"),
        ["Lambda"]
    );
    let script = attrs(&page, "script[src]", "src");
    assert!(
        script
            .iter()
            .any(|src| src.starts_with("/kb/js/search.js?v=")),
        "{script:?}"
    );
    assert!(out.join("js/search.js").is_file());
    for rel in [
        "index.html",
        "aws/lambda/index.html",
        "tags/index.html",
        "404.html",
        "search/index.html",
    ] {
        let page = html(&out.join(rel));
        assert_eq!(
            attrs(&page, "form.site-search", "action"),
            ["/kb/search/"],
            "{rel}"
        );
        assert_eq!(
            attrs(&page, "form.site-search input", "name"),
            ["q"],
            "{rel}"
        );
        let loader = attrs(&page, "form.site-search", "data-search-script");
        assert!(
            loader[0].starts_with("/kb/js/search.js?v="),
            "{rel}: {loader:?}"
        );
    }
}

#[test]
fn search_false_writes_no_bundle_page_or_box() {
    let (_site, out, report) = build(|root, _| search_off(root));
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert!(out.join("index.html").is_file());
    assert!(!out.join("pagefind").exists());
    assert!(!out.join("search/index.html").exists());
    let home = html(&out.join("index.html"));
    assert!(attrs(&home, "form[role=search]", "action").is_empty());
}

#[test]
fn under_another_base_path_the_page_and_box_follow_and_records_stay_site_paths() {
    let (_site, out, report) = build(|_, options| options.base_url = Some("/docs/".into()));
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let home = html(&out.join("index.html"));
    assert_eq!(
        attrs(&home, "form.site-search", "action"),
        ["/docs/search/"]
    );
    assert!(
        attrs(&home, "form.site-search", "data-search-script")[0].starts_with("/docs/js/search.js")
    );
    // The browser gives Pagefind the base path, so the bundle does not depend on it.
    assert!(records(&out).contains_key("/aws/lambda/"));
}

#[test]
fn a_content_page_at_the_search_address_is_a_conflict_unless_search_is_off() {
    let page = "---\ntitle: Find\n---\nSearch notes.\n";
    let (_site, _, report) = build(|root, _| write(root, "content/search.md", page));
    let conflicts: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "output-conflict")
        .map(|d| (d.file.to_string_lossy().into_owned(), d.message.clone()))
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].0, "content/search.md");
    assert!(conflicts[0].1.contains("search page"), "{}", conflicts[0].1);

    let (_site, out, report) = build(|root, _| {
        write(root, "content/search.md", page);
        search_off(root);
    });
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert_eq!(texts(&html(&out.join("search/index.html")), "h1"), ["Find"]);
}
