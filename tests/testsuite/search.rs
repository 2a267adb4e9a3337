//! The search bundle and the search page: what the index holds of each page, the page and the
//! header box in the HTML, `search = false`, and sites under a sub-path. The browser side is
//! tested in `tests/browser/search.test.mjs`.

use std::collections::BTreeMap;
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

/// Every record of the bundle by URL (`search-index/p/K/ID.json`).
fn records(out: &Path) -> BTreeMap<String, Value> {
    let mut records = BTreeMap::new();
    for folder in std::fs::read_dir(out.join("search-index/p")).unwrap() {
        for entry in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let record: Value =
                serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
            records.insert(record["url"].as_str().unwrap().to_string(), record);
        }
    }
    records
}

fn meta(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("search-index/meta.json")).unwrap()).unwrap()
}

/// The ids of a filter file: a LEB128 count, then the gaps between increasing ids.
fn filter_ids(out: &Path, rel: &str) -> Vec<u64> {
    let bytes = std::fs::read(out.join("search-index").join(rel)).unwrap();
    let mut numbers = Vec::new();
    let (mut value, mut shift) = (0u64, 0);
    for byte in bytes {
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte < 0x80 {
            numbers.push(value);
            (value, shift) = (0, 0);
        }
    }
    let mut at = 0;
    numbers[1..]
        .iter()
        .map(|gap| {
            at += gap;
            at
        })
        .collect()
}

#[test]
fn the_bundle_holds_every_page_with_words_of_its_own() {
    let (_site, out) = built();
    let meta = meta(&out);
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["pages"], 7);
    assert_eq!(meta["language"], "en");
    let chunks = meta["chunks"].as_array().unwrap();
    assert!(!chunks.is_empty());
    for i in 0..chunks.len() {
        assert!(out.join(format!("search-index/w/{i}.bin")).is_file());
    }
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
    assert_eq!(intro["title"], "Introduction to AWS Step Functions");
    assert_eq!(intro["section"], "AWS › Step Functions");
    let parts = intro["parts"].as_array().unwrap();
    let headings: Vec<(&str, &str)> = parts[1..]
        .iter()
        .map(|p| (p[0].as_str().unwrap(), p[1].as_str().unwrap()))
        .collect();
    assert_eq!(
        headings,
        [
            ("über-zustände", "Über Zustände"),
            ("errors", "Retry and Catch")
        ]
    );
    let errors = parts[2][2].as_str().unwrap();
    assert!(errors.contains("States.ALL must be last"), "{errors}");
    let all: String = parts.iter().map(|p| p[2].as_str().unwrap()).collect();
    assert!(!all.contains("StartAt"), "code blocks stay out: {all}");
    assert_eq!(records["/aws/lambda/"]["section"], "AWS");
    assert_eq!(
        records["/"]["section"], "",
        "the home page has no section path"
    );

    // Filters: terms spelled as their term pages spell them, listing the pages' ids.
    let meta = meta(&out);
    let id_of = |url: &str| {
        (0..7u64)
            .find(|id| {
                let rel = format!("search-index/p/0/{id}.json");
                let record: Value =
                    serde_json::from_slice(&std::fs::read(out.join(rel)).unwrap()).unwrap();
                record["url"] == url
            })
            .unwrap()
    };
    let exam = meta["filters"]["tags"]["Exam"].as_str().unwrap();
    assert_eq!(
        filter_ids(&out, exam),
        [id_of(
            "/aws/step-functions/introduction-aws-step-functions/"
        )]
    );
    let lambda = meta["filters"]["services"]["Lambda"].as_str().unwrap();
    assert_eq!(filter_ids(&out, lambda), [id_of("/aws/lambda/")]);
    assert!(meta["filters"]["tags"].get("Step Functions").is_some());
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
    assert!(!out.join("search-index").exists());
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
    // The client adds the base path, so the bundle does not depend on it.
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
