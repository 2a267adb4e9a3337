//! The diagram's geometry on real definitions: no box overlaps another, no edge runs through a
//! box, no label covers one. Runs on the definitions in `tests/diagrams/`, on generated machines
//! up to 200 states, and (when `ASL_DIAGRAM_CORPUS` names a folder) on every valid definition
//! in it. The drawn SVG itself is tested through the public API in `tests/diagram.rs`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use super::graph::Marker;
use super::layered::Point;
use super::layout::{BoxKind, Layout, Rect};
use crate::model::StateMachine;

// Shared with the integration tests and benchmarks, which need their items `pub`.
#[allow(unreachable_pub)]
#[path = "../../tests/support/fixtures.rs"]
mod fixtures;
#[allow(unreachable_pub)]
#[path = "../../tests/support/machines.rs"]
mod machines;
use fixtures::fixtures;
use machines::{dense_choices, generated};

fn machine(text: &str) -> StateMachine {
    let checked = crate::check(text);
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
            if node.parent == other.parent && overlaps(&shrunk(&node.rect), &other.rect) {
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
                if overlaps(&shrunk(&span(pair[0], pair[1])), &node.rect) {
                    found.push(format!("{name} crosses {}", describe(i)));
                    break;
                }
            }
            if let Some(label) = &edge.label
                && overlaps(&shrunk(&label.rect), &node.rect)
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
            if overlaps(&shrunk(&a.rect), &b.rect) {
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

fn bottom(r: &Rect) -> f64 {
    r.y + r.height
}

/// Whether the two rectangles share more than an edge.
fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < bottom(b) && b.y < bottom(a)
}

fn inside(inner: &Rect, outer: &Rect) -> bool {
    inner.x >= outer.x - 1e-6
        && inner.y >= outer.y - 1e-6
        && inner.right() <= outer.right() + 1e-6
        && bottom(inner) <= bottom(outer) + 1e-6
}

#[test]
fn fixtures_have_no_overlaps_or_crossings() {
    for (name, text) in fixtures() {
        let layout = super::layout(&machine(&text));
        let found = problems(&layout);
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
    }
}

#[test]
fn generated_machines_have_no_overlaps_or_crossings() {
    for n in [1, 7, 30, 200] {
        let text = generated(n).to_string();
        let layout = super::layout(&machine(&text));
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
    let layout = super::layout(&machine(&dense_choices(300, 4).to_string()));
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
        let Some(machine) = crate::check(&definition).machine else {
            continue;
        };
        drawn += 1;
        let found = problems(&super::layout(&machine));
        if !found.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), found.join("\n  ")));
        }
    }
    eprintln!("drew {drawn} definitions");
    assert!(drawn > 0, "no valid definition found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn markers_retry_badges_and_outcomes_are_drawn() {
    let text = fixtures()
        .into_iter()
        .find(|(name, _)| name == "polling-loop.json")
        .unwrap()
        .1;
    let layout = super::layout(&machine(&text));
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

/// Every box and edge of the layout is drawn exactly once (the diagram benchmark counts them in
/// the SVG).
#[test]
fn the_svg_draws_every_box_and_edge_of_the_layout_once() {
    for (name, text) in fixtures() {
        let machine = machine(&text);
        let layout = super::layout(&machine);
        let svg = super::render(&machine, &super::Options::default()).svg;
        let boxes = svg.matches(r#"<g class="asl-state "#).count()
            + svg.matches(r#"<g class="asl-marker "#).count();
        assert_eq!(boxes, layout.nodes.len(), "{name}");
        let edges = svg.matches(r#"<g class="asl-edge asl-edge-"#).count();
        assert_eq!(edges, layout.edges.len(), "{name}");
    }
}
