//! The site's side of running state machines in the browser: the run data on each diagram's
//! figure (checked at build time), the script and engine links, and the `/playground/` page.
//! The browser side is tested in `tests/browser/runner.test.mjs`.

use std::path::{Path, PathBuf};

use crate::common::*;
use awskb::BuildOptions;

fn build(configure: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf, awskb::Report) {
    let site = copy_fixture("kb");
    configure(site.path());
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    let out = site.path().join("public");
    (site, out, report)
}

/// Prepends top-level keys to the fixture's config (they must come before its tables).
fn configure(root: &Path, keys: &str) {
    let config = std::fs::read_to_string(root.join("awskb.toml")).unwrap();
    write(root, "awskb.toml", format!("{keys}\n{config}"));
}

const MACHINE: &str = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;

fn page_with_fence(fence: &str) -> String {
    format!("---\ntitle: Runs\n---\nIntro.\n\n```asl {fence}\n{MACHINE}\n```\n")
}

#[test]
fn fence_input_and_mocks_become_the_figures_run_data() {
    let fence = r#"title="Pay" input='{"total": 5}' mocks='{"Charge": {"Return": {"id": "c-1"}}}'"#;
    let (_site, out, report) = build(|root| write(root, "content/runs.md", page_with_fence(fence)));
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let doc = html(&out.join("runs/index.html"));
    assert_eq!(
        attrs(&doc, "figure.asl-figure", "data-input"),
        [r#"{"total": 5}"#]
    );
    assert_eq!(
        attrs(&doc, "figure.asl-figure", "data-mocks"),
        [r#"{"Charge": {"Return": {"id": "c-1"}}}"#]
    );
    assert_eq!(texts(&doc, "figure.asl-figure > figcaption"), ["Pay"]);

    // Without them, the figure carries no run data and the panel starts from `{}`.
    let (_site, out, _) = build(|root| write(root, "content/runs.md", page_with_fence("")));
    let doc = html(&out.join("runs/index.html"));
    assert!(attrs(&doc, "figure.asl-figure", "data-input").is_empty());
}

#[test]
fn bad_run_data_is_an_error_at_the_fence() {
    for (fence, expected) in [
        (r#"input='{"total": }'"#, "`input` is not valid JSON"),
        (
            r#"mocks='{"Charge": {"Nope": 1}}'"#,
            "`mocks` is not usable",
        ),
        (r#"mocks='[1]'"#, "`mocks` is not usable"),
    ] {
        let (_site, _, report) =
            build(|root| write(root, "content/runs.md", page_with_fence(fence)));
        let found: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "asl-run-attribute")
            .collect();
        assert_eq!(found.len(), 1, "{fence}: {:#?}", report.diagnostics);
        assert_eq!(found[0].file, Path::new("content/runs.md"));
        assert_eq!(found[0].line, 6, "the fence's line");
        assert!(found[0].message.contains(expected), "{}", found[0].message);
        assert!(report.has_errors());
    }
}

#[test]
fn pages_link_the_runner_and_the_engine_that_the_build_writes() {
    let (_site, out, report) = build(|_| {});
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let doc = html(&out.join("index.html"));
    // The fixture lives under /kb/.
    let file_of = |url: &str| {
        let rel = url
            .strip_prefix("/kb/")
            .unwrap_or_else(|| panic!("{url} under /kb/"));
        out.join(rel.split('?').next().unwrap())
    };
    let runner = attrs(&doc, "script[data-asl-runner]", "data-asl-runner");
    assert!(file_of(&runner[0]).is_file(), "{runner:?}");
    let engine = attrs(&doc, "script[data-asl-engine]", "data-asl-engine");
    assert!(
        engine[0].contains("?v="),
        "the engine's link changes with it"
    );
    let shipped = std::fs::read(file_of(&engine[0])).unwrap();
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/asl/asl.wasm")).unwrap();
    assert!(
        shipped == committed,
        "the theme's engine is the committed one"
    );
    assert!(shipped.starts_with(b"\0asm"), "a WebAssembly module");
    assert_eq!(
        attrs(&doc, "script[data-asl-playground]", "data-asl-playground"),
        ["/kb/playground/"]
    );
}

#[test]
fn the_playground_page_holds_a_valid_sample_and_is_linked() {
    let (_site, out, report) = build(|root| {
        write(
            root,
            "content/try.md",
            "---\ntitle: Try\n---\nOpen the [playground](/playground/).\n",
        )
    });
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "broken-link" && d.file == Path::new("content/try.md"))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    let doc = html(&out.join("playground/index.html"));
    assert_eq!(texts(&doc, "h1"), ["State machine playground"]);
    let sample = texts(&doc, "textarea#_asl-definition").join("");
    let checked = asl::check(&sample);
    assert!(
        checked.diagnostics.is_empty(),
        "the sample is valid: {:#?}",
        checked.diagnostics
    );
    let input = attrs(&doc, "[data-asl-playground-page]", "data-input");
    let input: serde_json::Value = serde_json::from_str(&input[0]).unwrap();
    assert!(
        input["items"].is_array(),
        "the sample input fits the sample"
    );
    let home = html(&out.join("index.html"));
    assert!(attrs(&home, ".site-footer a", "href").contains(&"/kb/playground/".to_string()));
}

#[test]
fn playground_false_writes_no_page_or_links_and_frees_the_address() {
    let (_site, out, report) = build(|root| configure(root, "playground = false"));
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert!(!out.join("playground").exists());
    let home = html(&out.join("index.html"));
    assert!(!attrs(&home, ".site-footer a", "href").contains(&"/kb/playground/".to_string()));
    assert!(attrs(&home, "script[data-asl-playground]", "src").is_empty());

    let page = "---\ntitle: My playground\n---\nMine.\n";
    let (_site, _, report) = build(|root| write(root, "content/playground.md", page));
    let conflicts: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "output-conflict")
        .collect();
    assert_eq!(conflicts.len(), 1, "{:#?}", report.diagnostics);
    assert!(conflicts[0].message.contains("playground page"));
    let (_site, out, report) = build(|root| {
        write(root, "content/playground.md", page);
        configure(root, "playground = false");
    });
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert_eq!(
        texts(&html(&out.join("playground/index.html")), "h1"),
        ["My playground"]
    );
}
