//! Diagrams drawn from real definitions: no box overlaps another, no edge runs through a box,
//! every state has exactly one `data-state` group, every transition one edge, and text is
//! escaped. Runs on the definitions in `tests/diagrams/`, on generated machines up to 200
//! states, and (when `ASL_DIAGRAM_CORPUS` names a folder) on every valid definition in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use asl::diagram::layered::Point;
use asl::diagram::layout::{BoxKind, Layout, Rect};
use asl::diagram::{self, Options};
use asl::model::StateMachine;
use serde_json::{Value, json};

#[path = "support/machines.rs"]
mod machines;
use machines::{dense_choices, generated};

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagrams");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn machine(text: &str) -> StateMachine {
    let checked = asl::check(text);
    checked
        .machine
        .unwrap_or_else(|| panic!("invalid: {:?}", checked.diagnostics))
}

/// The geometry problems of a layout, as readable sentences.
fn problems(layout: &Layout) -> Vec<String> {
    let mut found = Vec::new();
    let nodes = &layout.nodes;
    let describe = |i: usize| {
        nodes[i]
            .name
            .clone()
            .unwrap_or_else(|| format!("{:?}", nodes[i].kind))
    };
    let ancestors = |mut parent: Option<usize>| {
        let mut all = BTreeSet::new();
        while let Some(p) = parent {
            all.insert(p);
            parent = nodes[p].parent;
        }
        all
    };
    let canvas = Rect {
        x: 0.0,
        y: 0.0,
        width: layout.width,
        height: layout.height,
    };
    for (i, node) in nodes.iter().enumerate() {
        if !inside(&node.rect, &canvas) {
            found.push(format!("{} lies outside the canvas", describe(i)));
        }
        if let Some(parent) = node.parent
            && !nodes[parent]
                .lanes
                .iter()
                .any(|lane| inside(&node.rect, lane))
        {
            found.push(format!(
                "{} is not inside a lane of {}",
                describe(i),
                describe(parent)
            ));
        }
        for lane in &node.lanes {
            if !inside(lane, &node.rect) {
                found.push(format!("a lane of {} sticks out of it", describe(i)));
            }
        }
        for (j, other) in nodes.iter().enumerate().skip(i + 1) {
            if node.parent == other.parent && shrunk(&node.rect).overlaps(&other.rect) {
                found.push(format!("{} overlaps {}", describe(i), describe(j)));
            }
        }
    }
    for edge in &layout.edges {
        let around = ancestors(edge.parent);
        let name = format!("edge {} -> {}", describe(edge.from), describe(edge.to));
        for (i, node) in nodes.iter().enumerate() {
            if i == edge.from || i == edge.to || around.contains(&i) {
                continue;
            }
            for pair in edge.points.windows(2) {
                if shrunk(&span(pair[0], pair[1])).overlaps(&node.rect) {
                    found.push(format!("{name} crosses {}", describe(i)));
                    break;
                }
            }
            if let Some(label) = &edge.label
                && shrunk(&label.rect).overlaps(&node.rect)
            {
                found.push(format!("the label of {name} covers {}", describe(i)));
            }
        }
    }
    let labels: Vec<_> = layout
        .edges
        .iter()
        .filter_map(|e| e.label.as_ref())
        .collect();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            if shrunk(&a.rect).overlaps(&b.rect) {
                found.push(format!("labels {:?} and {:?} overlap", a.lines, b.lines));
            }
        }
    }
    found
}

/// The box around a straight step of a route, which also holds the S-curve drawn for it.
fn span(a: Point, b: Point) -> Rect {
    Rect {
        x: a.x.min(b.x),
        y: a.y.min(b.y),
        width: (a.x - b.x).abs(),
        height: (a.y - b.y).abs(),
    }
}

/// A rectangle half a pixel smaller on each side: touching is not overlapping.
fn shrunk(r: &Rect) -> Rect {
    Rect {
        x: r.x + 0.5,
        y: r.y + 0.5,
        width: (r.width - 1.0).max(0.0),
        height: (r.height - 1.0).max(0.0),
    }
}

fn inside(inner: &Rect, outer: &Rect) -> bool {
    inner.x >= outer.x - 1e-6
        && inner.y >= outer.y - 1e-6
        && inner.right() <= outer.right() + 1e-6
        && inner.bottom() <= outer.bottom() + 1e-6
}

#[test]
fn fixtures_have_no_overlaps_or_crossings() {
    for (name, text) in fixtures() {
        let layout = diagram::layout(&machine(&text));
        let found = problems(&layout);
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
    }
}

#[test]
fn generated_machines_have_no_overlaps_or_crossings() {
    for n in [1, 7, 30, 200] {
        let text = generated(n).to_string();
        let layout = diagram::layout(&machine(&text));
        let found = problems(&layout);
        assert!(found.is_empty(), "{n} states:\n{}", found.join("\n"));
    }
}

/// A dense machine whose Choice rules jump far ahead and back would need a dummy per edge and
/// layer crossed (hundreds of thousands here, millions at 2,000 states): its long edges run in
/// lanes right of the boxes instead, so the drawing grows with the machine, and it is as clean
/// as any other. (`examples/diagram_bench.rs` prints the time for up to 2,000 states.)
#[test]
fn a_dense_choice_machine_is_drawn_in_proportion_to_its_size() {
    let layout = diagram::layout(&machine(&dense_choices(300, 4).to_string()));
    let found = problems(&layout);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let points: usize = layout.edges.iter().map(|e| e.points.len()).sum();
    assert!(
        points < 40 * layout.edges.len(),
        "{points} points for {} edges",
        layout.edges.len()
    );
    let boxes_right = layout
        .nodes
        .iter()
        .map(|n| n.rect.right())
        .fold(0.0, f64::max);
    let in_lanes = layout
        .edges
        .iter()
        .filter(|e| e.points.iter().any(|p| p.x > boxes_right))
        .count();
    assert!(in_lanes > 0, "some long edges run in lanes");
}

/// Every valid definition under `ASL_DIAGRAM_CORPUS` (definitions, or case files holding one
/// under `definition`), for CI's run over the conformance corpora.
#[test]
fn corpus_has_no_overlaps_or_crossings() {
    let Some(root) = std::env::var_os("ASL_DIAGRAM_CORPUS") else {
        return;
    };
    let mut drawn = 0;
    let mut failures = Vec::new();
    let mut stack = vec![PathBuf::from(root)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let definition = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(case)) if case.get("definition").is_some() => {
                match &case["definition"] {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                }
            }
            _ => text,
        };
        let Some(machine) = asl::check(&definition).machine else {
            continue;
        };
        drawn += 1;
        let found = problems(&diagram::layout(&machine));
        if !found.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), found.join("\n  ")));
        }
    }
    eprintln!("drew {drawn} definitions");
    assert!(drawn > 0, "no valid definition found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The transitions of a definition as (from, to, dashed), read straight from its JSON.
fn transitions(definition: &Value, out: &mut BTreeSet<(String, String, bool)>, top: bool) {
    let end = || "(end)".to_string();
    for (name, state) in definition["States"].as_object().unwrap() {
        let mut add = |to: String, dashed: bool| {
            out.insert((name.clone(), to, dashed));
        };
        if let Some(next) = state["Next"].as_str() {
            add(next.into(), false);
        }
        if top && (state["End"] == json!(true) || state["Type"] == "Succeed") {
            add(end(), false);
        }
        for rule in state["Choices"].as_array().into_iter().flatten() {
            add(rule["Next"].as_str().unwrap().into(), false);
        }
        if state["Type"] == "Choice" {
            add(
                state["Default"].as_str().unwrap_or("(no match)").into(),
                false,
            );
        }
        for catcher in state["Catch"].as_array().into_iter().flatten() {
            add(catcher["Next"].as_str().unwrap().into(), true);
        }
        for branch in state["Branches"].as_array().into_iter().flatten() {
            transitions(branch, out, false);
        }
        for inner in [&state["ItemProcessor"], &state["Iterator"]] {
            if inner.is_object() {
                transitions(inner, out, false);
            }
        }
    }
}

fn state_names(definition: &Value, out: &mut Vec<String>) {
    for (name, state) in definition["States"].as_object().unwrap() {
        out.push(name.clone());
        for branch in state["Branches"].as_array().into_iter().flatten() {
            state_names(branch, out);
        }
        if state["ItemProcessor"].is_object() {
            state_names(&state["ItemProcessor"], out);
        }
    }
}

#[test]
fn every_state_has_one_group_and_every_transition_one_edge() {
    let mut all: Vec<(String, String)> = fixtures();
    all.push(("generated".into(), generated(60).to_string()));
    for (name, text) in all {
        let definition: Value = serde_json::from_str(&text).unwrap();
        let drawing = diagram::render(&machine(&text), &Options::default());
        let svg = roxmltree::Document::parse(&drawing.svg)
            .unwrap_or_else(|e| panic!("{name}: not well-formed XML: {e}"));
        let root = svg.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some());
        let mut groups: BTreeMap<String, usize> = BTreeMap::new();
        for node in svg.descendants().filter(|n| n.has_attribute("data-state")) {
            *groups
                .entry(node.attribute("data-state").unwrap().to_string())
                .or_default() += 1;
        }
        let mut names = Vec::new();
        state_names(&definition, &mut names);
        let expected: BTreeMap<String, usize> = names.into_iter().map(|n| (n, 1)).collect();
        assert_eq!(groups, expected, "{name}");

        let mut expected = BTreeSet::new();
        transitions(&definition, &mut expected, true);
        let edges: Vec<_> = svg
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.starts_with("asl-edge "))
            })
            .collect();
        let from_start = edges
            .iter()
            .filter(|e| !e.has_attribute("data-from"))
            .count();
        assert_eq!(from_start, 1, "{name}: one edge leaves the Start marker");
        assert_eq!(edges.len(), expected.len() + 1, "{name}: {expected:?}");
        let dashed = edges
            .iter()
            .filter(|e| e.attribute("class").unwrap().contains("asl-edge-catch"))
            .count();
        assert_eq!(dashed, expected.iter().filter(|t| t.2).count(), "{name}");
    }
}

#[test]
fn text_is_escaped_and_long_names_keep_their_full_title() {
    let text = fixtures()
        .into_iter()
        .find(|(name, _)| name == "awkward-names.json")
        .unwrap()
        .1;
    let drawing = diagram::render(&machine(&text), &Options::default());
    let svg = roxmltree::Document::parse(&drawing.svg).unwrap();
    assert!(svg.descendants().all(|n| n.tag_name().name() != "script"));
    let long = "ThisIsAVeryLongStateNameThatMustWrapAcrossTwoLinesAndThenBeCutShortWithAnEllipsi";
    let group = svg
        .descendants()
        .find(|n| n.attribute("data-state") == Some(long))
        .unwrap();
    let title = group
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert!(title.starts_with(long));
    let shown: Vec<&str> = group
        .descendants()
        .filter(|n| n.attribute("class") == Some("asl-name"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[1].ends_with('…'), "{shown:?}");
    let script = svg
        .descendants()
        .find(|n| n.attribute("data-state") == Some("<script>alert(1)</script>"));
    assert!(script.is_some());
}

#[test]
fn the_picture_does_not_depend_on_key_order() {
    for (name, text) in fixtures() {
        let definition: Value = serde_json::from_str(&text).unwrap();
        let mut reversed = definition.clone();
        let states: Vec<(String, Value)> = definition["States"]
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        reversed["States"] = Value::Object(states.into_iter().collect());
        let a = diagram::render(&machine(&text), &Options::default());
        let b = diagram::render(&machine(&reversed.to_string()), &Options::default());
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn standalone_files_embed_their_style_and_background() {
    let text = &fixtures()[0].1;
    let drawing = diagram::render(
        &machine(text),
        &Options {
            standalone: true,
            ..Options::default()
        },
    );
    let svg = roxmltree::Document::parse(&drawing.svg).unwrap();
    let style = svg.descendants().find(|n| n.has_tag_name("style")).unwrap();
    assert!(style.text().unwrap().contains(".asl-task"));
    assert!(
        svg.descendants()
            .any(|n| n.attribute("class") == Some("asl-background"))
    );
    let plain = diagram::render(&machine(text), &Options::default());
    assert!(!plain.svg.contains("<style"));
}

#[test]
fn markers_retry_badges_and_outcomes_are_drawn() {
    let text = fixtures()
        .into_iter()
        .find(|(name, _)| name == "polling-loop.json")
        .unwrap()
        .1;
    let layout = diagram::layout(&machine(&text));
    use asl::diagram::graph::Marker;
    let markers: Vec<Marker> = layout
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            BoxKind::Marker(m) => Some(m),
            BoxKind::State(_) => None,
        })
        .collect();
    assert_eq!(markers, [Marker::Start, Marker::NoMatch, Marker::End]);
    let start = &layout.nodes[0].rect;
    assert!(
        layout.nodes.iter().all(|n| n.rect.y >= start.y),
        "Start is on top"
    );
}

/// Small machines drawn exactly as reviewed: a change to the drawing shows up as a diff of
/// these files (`INSTA_UPDATE=always cargo test -p asl --test diagram` rewrites them).
#[test]
fn small_machines_match_their_snapshots() {
    let pass_choice = json!({"Comment": "Pick a path", "StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [
            {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Reject"}], "Default": "Accept"},
        "Accept": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "TooBig"}}});
    let task_catch = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}]},
        "Oops": {"Type": "Fail"}}});
    let map = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "MaxConcurrency": 2, "End": true, "ItemProcessor": {
            "StartAt": "Work", "States": {"Work": {"Type": "Wait", "Seconds": 1, "End": true}}}}}});
    for (name, definition) in [
        ("pass_choice", pass_choice),
        ("task_catch", task_catch),
        ("map", map),
    ] {
        let drawing = diagram::render(&machine(&definition.to_string()), &Options::default());
        insta::assert_snapshot!(name, drawing.svg.replace("><", ">\n<"));
    }
}
