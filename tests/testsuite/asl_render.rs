//! State machine diagrams from the outside: `awskb asl render` (standalone SVG files) and
//! ```` ```asl ```` blocks in pages (figures with the diagram and the highlighted source).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use crate::common::*;
use scraper::{ElementRef, Html, Selector};

/// Every kind of state: a Task with Retry and Catch, a Choice with two rules and a Default, a
/// Parallel with two branches, a Map, a Succeed and a Fail.
const FULL: &str = r#"{
  "Comment": "Everything at once",
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}],
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refused"}],
               "Next": "Route"},
    "Route": {"Type": "Choice",
              "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Fan"},
                          {"Variable": "$.total", "NumericLessThan": 0, "Next": "Refused"}],
              "Default": "Each"},
    "Fan": {"Type": "Parallel", "Next": "Done",
            "Branches": [
              {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
              {"StartAt": "Right", "States": {"Right": {"Type": "Wait", "Seconds": 1, "End": true}}}
            ]},
    "Each": {"Type": "Map", "Next": "Done",
             "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}},
    "Done": {"Type": "Succeed"},
    "Refused": {"Type": "Fail", "Error": "Refused"}
  }
}"#;

const FULL_STATES: [&str; 9] = [
    "Charge", "Route", "Fan", "Left", "Right", "Each", "Item", "Done", "Refused",
];

/// The distinct transitions of [`FULL`] drawn at the top level, as (from, to, kind); an empty
/// name is a marker. Transitions inside Parallel branches and Map item processors only end
/// their branch and have no edge. A top-level Succeed ends the execution: its edge goes to the
/// End marker.
const FULL_TRANSITIONS: [(&str, &str, &str); 8] = [
    ("Charge", "Route", "next"),
    ("Charge", "Refused", "catch"),
    ("Route", "Fan", "choice"),
    ("Route", "Refused", "choice"),
    ("Route", "Each", "default"),
    ("Fan", "Done", "next"),
    ("Each", "Done", "next"),
    ("Done", "", "next"),
];

fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The names in `dir`, hidden files included, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The 1-based line and column of the first occurrence of `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, column)
}

/// Renders `file` to stdout, expecting success, and parses the SVG.
fn render_stdout(file: &Path) -> Html {
    let out = awskb(&["asl", "render", path_str(file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    Html::parse_document(&stdout(&out))
}

/// The one root `svg.asl-diagram` of a document.
fn root_svg(doc: &Html) -> ElementRef<'_> {
    let roots: Vec<_> = doc.select(&sel("svg.asl-diagram")).collect();
    assert_eq!(roots.len(), 1, "{}", doc.html());
    roots[0]
}

/// The text of the diagram's own `<title>` (not the tooltips of its states).
fn svg_title(svg: ElementRef) -> String {
    let titles: Vec<String> = svg
        .select(&sel(":scope > title"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(titles.len(), 1, "{}", svg.html());
    titles[0].clone()
}

/// The `data-state` names inside `scope`, sorted.
fn state_names(scope: ElementRef) -> Vec<String> {
    let mut names: Vec<String> = scope
        .select(&sel("g[data-state]"))
        .map(|g| g.value().attr("data-state").unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn render_prints_a_standalone_svg_with_every_state_and_edge() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "full.json", FULL);
    let doc = render_stdout(&dir.path().join("full.json"));
    let svg = root_svg(&doc);
    assert_eq!(svg.value().attr("role"), Some("img"));
    let view_box: Vec<f64> = svg
        .value()
        .attr("viewBox")
        .expect("a viewBox")
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(view_box.len(), 4, "{view_box:?}");
    assert!(view_box[2] > 0.0 && view_box[3] > 0.0, "{view_box:?}");
    let style: String = svg.select(&sel("style")).flat_map(|s| s.text()).collect();
    assert!(
        style.contains(".asl-task"),
        "the stylesheet is embedded: {style}"
    );
    assert_eq!(svg_title(svg), "Everything at once");

    // One group per state, each state once.
    let mut expected: Vec<String> = FULL_STATES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(state_names(svg), expected);
    let charge = svg.select(&sel("g[data-state=\"Charge\"]")).next().unwrap();
    assert!(
        charge.select(&sel(".asl-retry")).next().is_some(),
        "the Retry is shown on its Task"
    );

    // One edge per distinct transition, plus the edge from the Start marker.
    let edges: Vec<ElementRef> = svg.select(&sel("g.asl-edge")).collect();
    assert_eq!(edges.len(), FULL_TRANSITIONS.len() + 1);
    let drawn: BTreeSet<(String, String, String)> = edges
        .iter()
        .map(|e| {
            let attr = |name| e.value().attr(name).unwrap_or("").to_string();
            let kinds: Vec<&str> = e
                .value()
                .classes()
                .filter_map(|c| c.strip_prefix("asl-edge-"))
                .collect();
            assert_eq!(kinds.len(), 1, "one kind per edge: {}", e.html());
            (attr("data-from"), attr("data-to"), kinds[0].to_string())
        })
        .collect();
    let mut wanted: BTreeSet<(String, String, String)> = FULL_TRANSITIONS
        .iter()
        .map(|(f, t, k)| (f.to_string(), t.to_string(), k.to_string()))
        .collect();
    wanted.insert((String::new(), "Charge".into(), "next".into()));
    assert_eq!(drawn, wanted);
    let catches: Vec<_> = svg.select(&sel("g.asl-edge.asl-edge-catch")).collect();
    assert_eq!(catches.len(), 1);
    assert_eq!(catches[0].value().attr("data-from"), Some("Charge"));
    assert_eq!(catches[0].value().attr("data-to"), Some("Refused"));
}

#[test]
fn the_title_falls_back_to_the_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "order-flow.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    );
    let doc = render_stdout(&dir.path().join("order-flow.json"));
    assert_eq!(svg_title(root_svg(&doc)), "order-flow");
}

#[test]
fn a_yaml_definition_renders() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "flow.yaml",
        "Comment: From YAML\nStartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    Next: Bye\n  Bye:\n    Type: Succeed\n",
    );
    let doc = render_stdout(&dir.path().join("flow.yaml"));
    let svg = root_svg(&doc);
    assert_eq!(svg_title(svg), "From YAML");
    assert_eq!(state_names(svg), ["Bye", "Hello"]);
    let hello_to_bye = sel("g.asl-edge[data-from=\"Hello\"][data-to=\"Bye\"]");
    assert_eq!(svg.select(&hello_to_bye).count(), 1);
}

#[test]
fn render_to_a_file_leaves_no_temporary_files_and_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "full.json", FULL);
    let definition = dir.path().join("full.json");
    let target = dir.path().join("out.svg");
    write(dir.path(), "out.svg", "stale");

    for _ in 0..2 {
        let out = awskb(&[
            "asl",
            "render",
            path_str(&definition),
            "-o",
            path_str(&target),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).is_empty(), "the SVG goes to the file only");
        assert_eq!(names(dir.path()), ["full.json", "out.svg"]);
        let text = std::fs::read_to_string(&target).unwrap();
        let doc = Html::parse_document(&text);
        let svg = root_svg(&doc);
        assert_eq!(svg_title(svg), "Everything at once");
        assert_eq!(state_names(svg).len(), FULL_STATES.len());
    }
    assert_eq!(std::fs::read_to_string(&definition).unwrap(), FULL);
}

#[test]
fn an_invalid_definition_exits_1_with_positions_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"},\n    \"B\": {\"Type\": \"Succeed\"}\n  }\n}\n";
    write(dir.path(), "bad.json", text);
    let definition = dir.path().join("bad.json");
    let (line, column) = position(text, "\"Nowhere\"");

    let out = awskb(&["asl", "render", path_str(&definition)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "no SVG for an invalid definition");
    let expected = format!(
        "{}:{line}:{column}: error[MISSING_TRANSITION_TARGET]",
        definition.display()
    );
    assert!(
        stderr(&out).contains(&expected),
        "{expected}\n{}",
        stderr(&out)
    );

    let target = dir.path().join("bad.svg");
    let out = awskb(&[
        "asl",
        "render",
        path_str(&definition),
        "-o",
        path_str(&target),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert_eq!(names(dir.path()), ["bad.json"]);
}

#[test]
fn render_refuses_to_overwrite_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "full.json", FULL);
    let definition = dir.path().join("full.json");
    let other_spelling = dir.path().join(".").join("full.json");
    for target in [&definition, &other_spelling] {
        let out = awskb(&[
            "asl",
            "render",
            path_str(&definition),
            "-o",
            path_str(target),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&definition).unwrap(), FULL);
        assert_eq!(names(dir.path()), ["full.json"]);
    }
}

#[test]
fn state_names_are_escaped() {
    let name = "<script>alert(1)</script>";
    let definition = serde_json::json!({
        "Comment": "</title><script>alert(2)</script>",
        "StartAt": name,
        "States": {name: {"Type": "Pass", "End": true}}
    });
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xss.json", definition.to_string());
    let doc = render_stdout(&dir.path().join("xss.json"));
    assert_eq!(doc.select(&sel("script")).count(), 0, "{}", doc.html());
    let svg = root_svg(&doc);
    assert_eq!(state_names(svg), [name]);
    assert_eq!(svg_title(svg), "</title><script>alert(2)</script>");
}

const FLOWS_PAGE: &str = r#"---
title: Flows
---
Some prose about **orders**.

```asl title="Order flow"
{
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}
```

More prose.

```asl
Comment: Shipping flow
StartAt: Pack
States:
  Pack:
    Type: Pass
    Next: Ship
  Ship:
    Type: Succeed
```
"#;

const BROKEN_PAGE: &str = r#"---
title: Broken
---
Intro.

```asl
{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "Nowhere"},
    "B": {"Type": "Succeed"}
  }
}
```
"#;

fn flows_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/_index.md",
        "---\ntitle: Home\n---\nHello.\n",
    );
    write(dir.path(), "content/flows.md", FLOWS_PAGE);
    dir
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    awskb(&["build", "-r", path_str(root), "-o", path_str(out)])
}

#[test]
fn asl_blocks_become_figures_with_diagram_and_source() {
    let site = flows_site();
    let out = site.path().join("out");
    let built = build(site.path(), &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let check = awskb(&["check", "-r", path_str(site.path())]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "no warnings: {}",
        stderr(&check)
    );

    let doc = html(&out.join("flows/index.html"));
    let prose = texts(&doc, "p");
    assert!(
        prose.iter().any(|p| p == "Some prose about orders."),
        "{prose:?}"
    );
    assert!(prose.iter().any(|p| p == "More prose."), "{prose:?}");
    assert_eq!(texts(&doc, "p strong"), ["orders"]);

    let figures: Vec<ElementRef> = doc.select(&sel("figure.asl-figure")).collect();
    assert_eq!(figures.len(), 2);
    let ids: Vec<&str> = figures.iter().map(|f| f.value().id().unwrap()).collect();
    assert_ne!(ids[0], ids[1]);
    let all_ids = attrs(&doc, "[id]", "id");
    let unique: HashSet<&String> = all_ids.iter().collect();
    assert_eq!(
        unique.len(),
        all_ids.len(),
        "ids are unique in the page: {all_ids:?}"
    );

    let expected = [
        ("Order flow", ["Charge", "Done"]),
        ("Shipping flow", ["Pack", "Ship"]),
    ];
    for (figure, (caption, states)) in figures.iter().zip(expected) {
        let captions: Vec<String> = figure
            .select(&sel(":scope > figcaption"))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(captions, [caption]);
        let svgs: Vec<ElementRef> = figure
            .select(&sel(":scope > div.asl-canvas > svg.asl-diagram"))
            .collect();
        assert_eq!(svgs.len(), 1, "{}", figure.html());
        assert_eq!(svgs[0].value().attr("role"), Some("img"));
        assert_eq!(svg_title(svgs[0]), caption);
        assert_eq!(state_names(svgs[0]), states);
        let summaries: Vec<String> = figure
            .select(&sel("details.asl-source > summary"))
            .map(|s| s.text().collect())
            .collect();
        assert_eq!(summaries, ["Definition"]);
        let sources: Vec<ElementRef> = figure
            .select(&sel("details.asl-source > pre.highlight"))
            .collect();
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].value().attr("data-lang"), Some("asl"));
        let source: String = sources[0].text().collect();
        assert!(source.contains(states[0]), "{source}");
        assert!(
            sources[0].select(&sel("span")).next().is_some(),
            "the source is highlighted"
        );
    }
    // No code block outside the figures: each asl block became exactly one figure.
    assert_eq!(doc.select(&sel("pre.highlight")).count(), 2);
}

#[test]
fn every_page_links_the_diagram_stylesheet() {
    let site = flows_site();
    let out = site.path().join("out");
    let built = build(site.path(), &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for page in ["flows/index.html", "index.html"] {
        let doc = html(&out.join(page));
        let hrefs = attrs(&doc, "link[rel=stylesheet]", "href");
        let asl: Vec<&String> = hrefs.iter().filter(|h| h.contains("css/asl.css")).collect();
        assert_eq!(asl.len(), 1, "{page}: {hrefs:?}");
        let file = asl[0].split('?').next().unwrap().trim_start_matches('/');
        let css = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(css.contains(".asl-task"), "{css}");
    }
}

#[test]
fn an_invalid_block_fails_the_build_at_its_markdown_line() {
    let site = flows_site();
    write(site.path(), "content/broken.md", BROKEN_PAGE);
    let out = site.path().join("out");
    let built = build(site.path(), &out);
    assert_eq!(built.status.code(), Some(1));
    let (line, column) = position(BROKEN_PAGE, "\"Nowhere\"");
    let expected = format!("content/broken.md:{line}:{column}: error[MISSING_TRANSITION_TARGET]");
    assert!(
        stderr(&built).contains(&expected),
        "{expected}\n{}",
        stderr(&built)
    );
    assert!(!out.exists(), "a failed build writes nothing");
}

/// A Markdown page rendered without the rest of the build.
struct NoLinks;

impl awskb::markdown::LinkResolver for NoLinks {
    fn resolve(&self, _href: &str) -> awskb::markdown::LinkTarget {
        awskb::markdown::LinkTarget::External
    }
}

fn render_markdown(body: &str) -> awskb::markdown::Rendered {
    let config = awskb::config::MarkdownConfig::default();
    let highlighter = awskb::markdown::Highlighter::default();
    let ctx = awskb::markdown::Context {
        file: Path::new("content/page.md"),
        body,
        body_line: 1,
        config: &config,
        title: None,
        params: &Default::default(),
        highlighter: &highlighter,
        links: &NoLinks,
        embedded_in: &[],
    };
    awskb::markdown::render(&ctx)
}

#[test]
fn an_invalid_block_shows_only_its_source_and_an_untitled_one_has_no_caption() {
    let body = BROKEN_PAGE.split("---\n").nth(2).unwrap();
    let rendered = render_markdown(body);
    let codes: Vec<&str> = rendered.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["MISSING_TRANSITION_TARGET"]);
    let doc = Html::parse_fragment(&rendered.html.unpack());
    assert_eq!(
        doc.select(&sel("figure, svg, details")).count(),
        0,
        "{}",
        rendered.html.unpack()
    );
    assert_eq!(attrs(&doc, "pre.highlight", "data-lang"), ["asl"]);
    assert!(texts(&doc, "pre.highlight")[0].contains("Nowhere"));

    let untitled = "```asl\n{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}\n```\n";
    let rendered = render_markdown(untitled);
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    let doc = Html::parse_fragment(&rendered.html.unpack());
    assert_eq!(doc.select(&sel("figure.asl-figure")).count(), 1);
    assert_eq!(
        doc.select(&sel("figcaption")).count(),
        0,
        "{}",
        rendered.html.unpack()
    );
    assert_eq!(doc.select(&sel("figure svg.asl-diagram")).count(), 1);
}
