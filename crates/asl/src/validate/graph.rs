//! Checks on the graph of one scope (the definition, a branch or an item processor): every
//! transition names a state of the same scope, every state is reachable from `StartAt`, and some
//! state ends the scope.

use std::collections::HashMap;

use super::Checker;
use crate::diagnostic::Code;
use crate::source::{Member, Node, Pointer};

/// Records the pointer of every state of the definition, nested scopes included, in source order.
pub(super) fn collect_names(node: &Node, names: &mut HashMap<String, Vec<String>>) {
    collect(node, &Pointer::root(), names);
}

fn collect(machine: &Node, pointer: &Pointer, names: &mut HashMap<String, Vec<String>>) {
    let Some(states) = machine.get("States").and_then(Node::members) else {
        return;
    };
    let states_pointer = pointer.join("States");
    for member in states {
        let here = states_pointer.join(&member.key);
        names
            .entry(member.key.clone())
            .or_default()
            .push(here.to_string());
        if let Some(branches) = member.value.get("Branches").and_then(Node::as_array) {
            for (i, branch) in branches.iter().enumerate() {
                collect(branch, &here.join("Branches").join(i), names);
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(processor) = member.value.get(key) {
                collect(processor, &here.join(key), names);
            }
        }
    }
}

/// A transition written in a state: its target's node and pointer.
struct Edge<'n> {
    target: &'n Node,
    pointer: Pointer,
}

/// The transitions a state writes: `Next`, `Default`, Choice rules' and catchers' `Next`.
fn edges<'n>(state: &'n Node, pointer: &Pointer) -> Vec<Edge<'n>> {
    let mut out = Vec::new();
    for key in ["Next", "Default"] {
        if let Some(target) = state.get(key) {
            out.push(Edge {
                target,
                pointer: pointer.join(key),
            });
        }
    }
    for list in ["Choices", "Catch"] {
        if let Some(items) = state.get(list).and_then(Node::as_array) {
            for (i, item) in items.iter().enumerate() {
                if let Some(target) = item.get("Next") {
                    out.push(Edge {
                        target,
                        pointer: pointer.join(list).join(i).join("Next"),
                    });
                }
            }
        }
    }
    out
}

/// Whether a state ends its scope. Any `End` counts: a wrong value is reported on its own.
fn is_terminal(state: &Node) -> bool {
    matches!(
        state.get("Type").and_then(Node::as_str),
        Some("Succeed" | "Fail")
    ) || state.get("End").is_some()
}

impl Checker<'_> {
    pub(super) fn graph(&mut self, start_at: Option<&Node>, states: &[Member], pointer: &Pointer) {
        let index: HashMap<&str, usize> = states
            .iter()
            .enumerate()
            .rev()
            .map(|(i, m)| (m.key.as_str(), i))
            .collect();
        let mut reached = vec![false; states.len()];
        let mut queue = Vec::new();
        if let Some(start) = start_at
            && let Some(i) = self.target(start, &pointer.join("StartAt"), &index, "`StartAt`")
        {
            reached[i] = true;
            queue.push(i);
        }
        let started = !queue.is_empty();
        let states_pointer = pointer.join("States");
        let all_edges: Vec<Vec<Edge>> = states
            .iter()
            .map(|m| edges(&m.value, &states_pointer.join(&m.key)))
            .collect();
        let mut broken = false;
        for (member, state_edges) in states.iter().zip(&all_edges) {
            let saved = self.state.replace(member.key.clone());
            for edge in state_edges {
                let found = self.target(edge.target, &edge.pointer, &index, "this transition");
                broken |= found.is_none();
            }
            self.state = saved;
        }
        while let Some(i) = queue.pop() {
            for edge in &all_edges[i] {
                if let Some(&j) = edge.target.as_str().and_then(|t| index.get(t))
                    && !reached[j]
                {
                    reached[j] = true;
                    queue.push(j);
                }
            }
        }
        // A bad `StartAt` or a mistyped `Next` would make the states after it look unreachable;
        // the transition error says enough.
        if started && !broken {
            for (i, (member, reached)) in states.iter().zip(&reached).enumerate() {
                if !reached && index.get(member.key.as_str()) == Some(&i) {
                    self.report_with_help(
                        Code::UnreachableState,
                        format!(
                            "the state `{}` is not reachable: no transition leads to it",
                            member.key
                        ),
                        &states_pointer.join(&member.key),
                        member.key_span,
                        Some("point a `Next`, `Default` or catcher at it, or remove it"),
                    );
                }
            }
        }
        if !states.is_empty() && !states.iter().any(|m| is_terminal(&m.value)) {
            self.report_with_help(
                Code::MissingEndState,
                "no state ends this state machine: none is a Succeed or Fail state or has `\"End\": true`",
                &states_pointer,
                states.first().map_or(Default::default(), |m| m.key_span),
                Some("add `\"End\": true` to the last state, or a Succeed state"),
            );
        }
    }

    /// Checks that a transition names a state of this scope; returns the state's index.
    fn target(
        &mut self,
        node: &Node,
        pointer: &Pointer,
        index: &HashMap<&str, usize>,
        what: &str,
    ) -> Option<usize> {
        let name = node.as_str()?;
        if let Some(&i) = index.get(name) {
            return Some(i);
        }
        let (message, help) = match self.names.get(name).and_then(|p| p.first()) {
            Some(elsewhere) => (
                format!("{what} goes to `{name}`, which is in another scope ({elsewhere})"),
                "a transition cannot leave or enter a Parallel branch or a Map item processor"
                    .to_string(),
            ),
            None => {
                let help = crate::suggest::did_you_mean(name, index.keys().copied())
                    .unwrap_or_else(|| {
                        "name one of the states in this `States` object".to_string()
                    });
                (
                    format!("{what} goes to `{name}`, but there is no state of that name"),
                    help,
                )
            }
        };
        self.report_with_help(
            Code::MissingTransitionTarget,
            message,
            pointer,
            node.span,
            Some(help),
        );
        None
    }
}
