//! State machine diagrams: a top-down layered layout and its SVG, pure so the same code runs at
//! build time and in the browser.
//!
//! [`render`] is the whole public face. Inside, one step a file, each using only those below it
//! in this list:
//!
//! * `svg`: the drawing, coloured by the classes in [`STYLESHEET`].
//! * `layout`: the whole machine laid out, containers from the inside out.
//! * `graph`: the states and transitions of each scope, in an order independent of key order.
//! * `layered`: the layered layout of one graph of boxes.
//! * `labels`: the short texts drawn (Task resources, Choice rules, …) and their widths.

mod graph;
mod labels;
mod layered;
mod layout;
mod svg;
#[cfg(test)]
mod tests;

use crate::model::{StateKind, StateMachine};

use layout::Layout;

/// The diagram's CSS: light and dark colours through `light-dark()`, so it follows the page's
/// `color-scheme`. Pages link it; standalone SVG files embed it.
pub const STYLESHEET: &str = include_str!("diagram.css");

/// How a diagram is titled and embedded.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The title; the definition's `Comment` when `None`.
    pub title: Option<&'a str>,
    /// Prefix of the SVG's element ids, unique within the page (`asl-1`, …).
    pub id: &'a str,
    /// Embed the stylesheet and a background, for an SVG file on its own.
    pub standalone: bool,
}

/// Lays `machine` out.
pub(crate) fn layout(machine: &StateMachine) -> Layout {
    layout::layout(&graph::Scope::top(machine))
}

/// A drawn diagram: the SVG document and its natural size in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// A complete `<svg>` element, ready to inline in HTML or save as a file.
    pub svg: String,
    /// The width its `viewBox` spans, for sizing the figure that holds it.
    pub width: f64,
    /// The height its `viewBox` spans.
    pub height: f64,
}

/// The diagram of `machine` as an SVG document.
pub fn render(machine: &StateMachine, options: &Options) -> Drawing {
    let title = options
        .title
        .or(machine.comment.as_deref())
        .unwrap_or("State machine");
    let id = if options.id.is_empty() {
        "asl"
    } else {
        options.id
    };
    let layout = layout(machine);
    let svg = svg::write(
        &layout,
        &svg::Frame {
            title,
            description: &describe(machine),
            id,
            style: options.standalone.then_some(STYLESHEET),
        },
    );
    Drawing {
        svg,
        width: layout.width,
        height: layout.height,
    }
}

/// A sentence for screen readers: how many states, where it starts.
fn describe(machine: &StateMachine) -> String {
    let count = count_states(machine);
    let states = if count == 1 { "state" } else { "states" };
    format!(
        "State machine diagram with {count} {states}, starting at {}.",
        machine.start_at
    )
}

fn count_states(machine: &StateMachine) -> usize {
    machine
        .states
        .values()
        .map(|state| {
            1 + match &state.kind {
                StateKind::Parallel(parallel) => {
                    parallel.branches.iter().map(|b| count_states(b)).sum()
                }
                StateKind::Map(map) => count_states(&map.item_processor),
                _ => 0,
            }
        })
        .sum()
}
