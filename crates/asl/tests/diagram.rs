//! Diagrams drawn from real definitions, through the public API: every state has exactly one
//! `data-state` group, every transition one edge, text is escaped, the picture does not depend
//! on key order, and small machines match their reviewed snapshots. The layout's geometry (no
//! overlaps, no crossings) is tested inside the crate, in `src/diagram/tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use asl::StateMachine;
use asl::diagram::{self, Options};
use serde_json::{Value, json};

#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/machines.rs"]
mod machines;
use fixtures::fixtures;
use machines::{dense_choices, generated};

fn machine(text: &str) -> StateMachine {
    let checked = asl::check(text);
    checked
        .machine
        .unwrap_or_else(|| panic!("invalid: {:?}", checked.diagnostics))
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
    // Its long edges run in lanes beside the boxes: still one edge per transition.
    all.push(("dense".into(), dense_choices(120, 4).to_string()));
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
