//! The state machine as graphs to draw: one [`Scope`] per state list (the definition, each
//! Parallel branch, each Map item processor), with its nodes and transitions.
//!
//! Nodes are numbered in the order a walk from `StartAt` discovers them, following each state's
//! transitions in the order the language defines (`Next`, Choice rules, `Default`, `Catch`).
//! Everything later sorts by these numbers, so the picture never depends on the order in which
//! `States` happens to list its keys; states no walk reaches follow, by name.

use std::collections::HashMap;

use crate::model::{ChoiceRule, State, StateKind, StateMachine};

use super::labels;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    /// The entry of the definition.
    Start,
    /// Where a successful execution ends.
    End,
    /// The `States.NoChoiceMatched` failure of a Choice without `Default`.
    NoMatch,
}

/// A node: a state (possibly a container with scopes inside) or a marker.
#[derive(Debug)]
pub(super) enum Node<'m> {
    Marker(Marker),
    State {
        name: &'m str,
        state: &'m State,
        /// Parallel branches, or a Map's item processor.
        inner: Vec<Scope<'m>>,
    },
}

/// How a transition is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    /// `Next`, `End`, or from the Start marker.
    Next,
    /// A Choice rule's `Next`.
    Choice,
    /// A Choice state's `Default`, or its missing-default outcome.
    Default,
    /// A `Catch` handler: dashed.
    Catch,
}

impl EdgeKind {
    /// The CSS class suffix (`asl-edge-choice`, …).
    pub(crate) fn class(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Choice => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch => "catch",
        }
    }
}

/// One drawn edge; transitions between the same two nodes drawn the same way share one edge
/// and list all their labels.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub labels: Vec<String>,
}

/// The nodes and edges of one list of states.
#[derive(Debug)]
pub(super) struct Scope<'m> {
    pub nodes: Vec<Node<'m>>,
    pub edges: Vec<Edge>,
}

impl<'m> Scope<'m> {
    /// The top-level graph, with Start and End markers.
    pub(super) fn top(machine: &'m StateMachine) -> Scope<'m> {
        build(machine, true)
    }
}

fn build(machine: &StateMachine, markers: bool) -> Scope<'_> {
    let order = discovery_order(machine);
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut nodes = Vec::with_capacity(order.len() + 3);
    if markers {
        nodes.push(Node::Marker(Marker::Start));
    }
    for (name, state) in &order {
        index.insert(name, nodes.len());
        nodes.push(Node::State {
            name,
            state,
            inner: inner_scopes(state),
        });
    }
    let mut edges = Vec::new();
    // Where each (from, to, dashed) edge is in `edges`, to merge transitions into it.
    let mut drawn: HashMap<(usize, usize, bool), usize> = HashMap::new();
    if markers && let Some(&start) = index.get(machine.start_at.as_str()) {
        add_edge(&mut edges, &mut drawn, 0, start, EdgeKind::Next, None);
    }
    let mut end = None;
    for (name, state) in &order {
        let from = index[name];
        for (target, kind, label) in transitions(state) {
            let to = match target {
                Target::State(target) => match index.get(target) {
                    Some(&to) => to,
                    None => continue,
                },
                Target::End if markers => *end.get_or_insert_with(|| {
                    nodes.push(Node::Marker(Marker::End));
                    nodes.len() - 1
                }),
                Target::End => continue,
                Target::NoMatch => {
                    nodes.push(Node::Marker(Marker::NoMatch));
                    nodes.len() - 1
                }
            };
            add_edge(
                &mut edges,
                &mut drawn,
                from,
                to,
                kind,
                label.map(|l| l.text()),
            );
        }
    }
    Scope { nodes, edges }
}

/// Adds a transition, merging it into an edge already drawn between the same nodes the same way
/// (`drawn` indexes `edges` by from, to and dashedness).
fn add_edge(
    edges: &mut Vec<Edge>,
    drawn: &mut HashMap<(usize, usize, bool), usize>,
    from: usize,
    to: usize,
    kind: EdgeKind,
    label: Option<String>,
) {
    let key = (from, to, kind == EdgeKind::Catch);
    match drawn.get(&key) {
        Some(&i) => {
            let edge = &mut edges[i];
            if kind == EdgeKind::Choice {
                edge.kind = EdgeKind::Choice;
            }
            edge.labels.extend(label);
        }
        None => {
            drawn.insert(key, edges.len());
            edges.push(Edge {
                from,
                to,
                kind,
                labels: label.into_iter().collect(),
            });
        }
    }
}

fn inner_scopes(state: &State) -> Vec<Scope<'_>> {
    match &state.kind {
        StateKind::Parallel(parallel) => parallel
            .branches
            .iter()
            .map(|branch| build(branch, false))
            .collect(),
        StateKind::Map(map) => vec![build(&map.item_processor, false)],
        _ => Vec::new(),
    }
}

/// Where a transition goes.
enum Target<'m> {
    State(&'m str),
    End,
    NoMatch,
}

/// What a transition is labelled with; written out only when the edge is drawn, not while the
/// states are merely being ordered.
enum Label<'m> {
    Rule(&'m ChoiceRule),
    Default,
    Errors(&'m [String]),
}

impl Label<'_> {
    fn text(&self) -> String {
        match self {
            Label::Rule(rule) => labels::choice_rule(rule),
            Label::Default => "Default".to_string(),
            Label::Errors(errors) => errors.join(", "),
        }
    }
}

/// A state's transitions in the language's order, with their kind and label.
fn transitions(state: &State) -> Vec<(Target<'_>, EdgeKind, Option<Label<'_>>)> {
    let mut out = Vec::new();
    if let Some(next) = &state.next {
        out.push((Target::State(next.as_str()), EdgeKind::Next, None));
    }
    match &state.kind {
        StateKind::Choice(choice) => {
            for rule in &choice.choices {
                if let Some(next) = &rule.next {
                    let label = Some(Label::Rule(rule));
                    out.push((Target::State(next.as_str()), EdgeKind::Choice, label));
                }
            }
            let default = match &choice.default {
                Some(default) => Target::State(default.as_str()),
                None => Target::NoMatch,
            };
            out.push((default, EdgeKind::Default, Some(Label::Default)));
        }
        StateKind::Succeed => out.push((Target::End, EdgeKind::Next, None)),
        _ => {}
    }
    if state.end {
        out.push((Target::End, EdgeKind::Next, None));
    }
    let catchers = match &state.kind {
        StateKind::Task(task) => &task.result.catch[..],
        StateKind::Parallel(parallel) => &parallel.result.catch[..],
        StateKind::Map(map) => &map.result.catch[..],
        _ => &[],
    };
    for catcher in catchers {
        let label = Some(Label::Errors(&catcher.error_equals));
        out.push((Target::State(catcher.next.as_str()), EdgeKind::Catch, label));
    }
    out
}

/// The states in the order a depth-first walk from `StartAt` meets them (transitions in the
/// language's order), then the unreachable ones, each walk starting from the smallest name left.
fn discovery_order(machine: &StateMachine) -> Vec<(&str, &State)> {
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(machine.states.len());
    let mut order = Vec::with_capacity(machine.states.len());
    let mut roots: Vec<&str> = machine.states.keys().map(String::as_str).collect();
    roots.sort_unstable();
    roots.insert(0, machine.start_at.as_str());
    let mut stack = Vec::new();
    for root in roots {
        stack.push(root);
        while let Some(name) = stack.pop() {
            let Some((name, state)) = machine.states.get_key_value(name) else {
                continue;
            };
            if seen.insert(name.as_str(), ()).is_some() {
                continue;
            }
            order.push((name.as_str(), state));
            let targets = transitions(state);
            stack.extend(
                targets
                    .iter()
                    .rev()
                    .filter_map(|(target, _, _)| match target {
                        Target::State(next) => Some(*next),
                        _ => None,
                    }),
            );
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn machine(value: serde_json::Value) -> StateMachine {
        serde_json::from_value(value).unwrap()
    }

    fn names(scope: &Scope) -> Vec<String> {
        scope
            .nodes
            .iter()
            .map(|node| match node {
                Node::Marker(marker) => format!("{marker:?}"),
                Node::State { name, .. } => name.to_string(),
            })
            .collect()
    }

    #[test]
    fn order_follows_transitions_not_keys() {
        let states = [
            ("Done", json!({"Type": "Succeed"})),
            (
                "Check",
                json!({"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}], "Default": "Done"}),
            ),
            ("Big", json!({"Type": "Pass", "Next": "Done"})),
            ("Orphan", json!({"Type": "Pass", "End": true})),
        ];
        let mut orders = Vec::new();
        for rotation in 0..states.len() {
            let mut map = serde_json::Map::new();
            for i in 0..states.len() {
                let (name, state) = &states[(i + rotation) % states.len()];
                map.insert(name.to_string(), state.clone());
            }
            let m = machine(json!({"StartAt": "Check", "States": map}));
            let scope = Scope::top(&m);
            orders.push((names(&scope), scope.edges.clone()));
        }
        assert_eq!(
            orders[0].0,
            ["Start", "Check", "Big", "Done", "Orphan", "End"]
        );
        assert!(orders.iter().all(|o| *o == orders[0]));
    }

    #[test]
    fn choice_without_default_gets_the_no_match_outcome() {
        let m = machine(json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.a", "IsPresent": true, "Next": "S"},
                {"Variable": "$.b", "IsPresent": true, "Next": "S"}]},
            "S": {"Type": "Succeed"}}}));
        let scope = Scope::top(&m);
        assert_eq!(names(&scope), ["Start", "C", "S", "NoMatch", "End"]);
        let from_choice: Vec<_> = scope.edges.iter().filter(|e| e.from == 1).collect();
        assert_eq!(from_choice.len(), 2, "the two rules to S share one edge");
        assert_eq!(from_choice[0].labels.len(), 2);
        assert_eq!(from_choice[1].to, 3);
        assert_eq!(from_choice[1].kind, EdgeKind::Default);
    }

    #[test]
    fn catch_is_a_separate_dashed_edge_and_fail_has_no_end_edge() {
        let m = machine(json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "F",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "F": {"Type": "Fail"}}}));
        let scope = Scope::top(&m);
        assert_eq!(names(&scope), ["Start", "T", "F"]);
        let kinds: Vec<_> = scope.edges.iter().map(|e| (e.from, e.to, e.kind)).collect();
        assert_eq!(
            kinds,
            [
                (0, 1, EdgeKind::Next),
                (1, 2, EdgeKind::Next),
                (1, 2, EdgeKind::Catch)
            ]
        );
    }

    #[test]
    fn containers_hold_their_scopes_without_markers() {
        let m = machine(json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor":
                    {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}]}}}));
        let scope = Scope::top(&m);
        let Node::State { inner, .. } = &scope.nodes[1] else {
            panic!("P is a state")
        };
        assert_eq!(inner.len(), 2);
        assert_eq!(names(&inner[0]), ["A"]);
        assert!(inner[0].edges.is_empty());
        let Node::State { inner: map, .. } = &inner[1].nodes[0] else {
            panic!("M is a state")
        };
        assert_eq!(names(&map[0]), ["X"]);
    }
}
