//! Lays a whole state machine out: each state's box is sized from its text, containers (Parallel,
//! Map) are laid out from the inside out (a container is one box in the graph around it, sized
//! by its lanes), then everything gets absolute coordinates.
//!
//! Transitions never leave their list of states, so each scope is an independent
//! [`layered`](super::layered) layout and no edge ever crosses a container's border.

use serde_json::Value as Json;

use crate::model::{ProcessorMode, State, StateKind};

use super::graph::{EdgeKind, Marker, Node, Scope};
use super::labels::{self, Wrapped};
use super::layered::{self, Point, Size};

/// A rectangle; `x`, `y` is its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn around(center: Point, size: Size) -> Rect {
        Rect {
            x: center.x - size.width / 2.0,
            y: center.y - size.height / 2.0,
            width: size.width,
            height: size.height,
        }
    }

    pub(crate) fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// What a box draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoxKind {
    Marker(Marker),
    /// A state, by its `Type`.
    State(&'static str),
}

/// The Retry badge of a state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Badge {
    /// The most attempts any retrier makes.
    pub attempts: u64,
    /// One line per retrier, for the tooltip.
    pub lines: Vec<String>,
}

/// A placed box: a state, a container, or a marker.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeBox {
    pub rect: Rect,
    pub kind: BoxKind,
    /// The state's name; `None` for markers.
    pub name: Option<String>,
    /// The name (or marker text) as drawn: wrapped, maybe cut short with `…`.
    pub lines: Vec<String>,
    /// The second line: the type, or a Task's resource, a Wait's time, ….
    pub detail: Option<String>,
    /// The full text for the tooltip.
    pub tooltip: String,
    pub retry: Option<Badge>,
    /// The container this box is inside, as an index into [`Layout::nodes`].
    pub parent: Option<usize>,
    /// A container's lanes: one per Parallel branch, one for a Map's item processor.
    pub lanes: Vec<Rect>,
}

/// A placed edge label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EdgeLabel {
    pub rect: Rect,
    /// The lines as drawn.
    pub lines: Vec<String>,
    /// Every label in full, one per line, for the tooltip.
    pub full: String,
}

/// A placed edge between two boxes (indices into [`Layout::nodes`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EdgeRoute {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub points: Vec<Point>,
    pub label: Option<EdgeLabel>,
    /// The container the edge is drawn in.
    pub parent: Option<usize>,
    /// The path stops where it joins an earlier edge's line into the same target.
    pub merged: bool,
}

/// A laid-out state machine, inside `0..width` × `0..height`. Containers come before the boxes
/// inside them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgeRoute>,
}

/// Text sizes and spacing, in pixels.
pub(super) const NAME_SIZE: f64 = 13.0;
pub(super) const DETAIL_SIZE: f64 = 11.0;
pub(super) const LABEL_SIZE: f64 = 11.0;
const NAME_LINE: f64 = 16.0;
const DETAIL_LINE: f64 = 14.0;
const LABEL_LINE: f64 = 14.0;
pub(super) const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const MAX_TEXT: f64 = 176.0;
const MIN_WIDTH: f64 = 112.0;
const MAX_NAME_LINES: usize = 2;
const MARKER: Size = Size {
    width: 64.0,
    height: 28.0,
};
const LABEL_PAD_X: f64 = 4.0;
const LABEL_PAD_Y: f64 = 2.0;
const MAX_LABEL_TEXT: f64 = 200.0;
const MAX_LABEL_LINES: usize = 3;
/// Space around and between a container's lanes, and inside each lane.
const LANE_GAP: f64 = 16.0;
const LANE_PAD: f64 = 12.0;
/// Margin around the whole drawing.
pub(super) const MARGIN: f64 = 8.0;
/// The Retry badge, inside a box's top-right corner.
pub(super) const BADGE_WIDTH: f64 = 30.0;

/// Lays `scope` (from [`Scope::top`]) out.
pub(super) fn layout(scope: &Scope) -> Layout {
    let laid = lay(scope);
    let mut out = Layout {
        width: laid.placed.width + 2.0 * MARGIN,
        height: laid.placed.height + 2.0 * MARGIN,
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    emit(
        laid,
        Point {
            x: MARGIN,
            y: MARGIN,
        },
        None,
        &mut out,
    );
    out
}

/// A scope laid out in its own coordinates.
struct Laid {
    placed: layered::Placed,
    boxes: Vec<Measured>,
    edges: Vec<LaidEdge>,
}

/// An edge of a scope, with its label's text measured.
struct LaidEdge {
    kind: EdgeKind,
    from: usize,
    to: usize,
    label: Option<LabelText>,
}

/// An edge label's lines (one per merged transition, at most a few), its full text, and size.
struct LabelText {
    lines: Vec<String>,
    full: String,
    size: Size,
}

/// A box with its text, before it is placed.
struct Measured {
    size: Size,
    kind: BoxKind,
    name: Option<String>,
    lines: Vec<String>,
    detail: Option<String>,
    tooltip: String,
    retry: Option<Badge>,
    /// A container's lanes, laid out, with the lanes' total width.
    lanes: Vec<Laid>,
}

fn lay(scope: &Scope) -> Laid {
    let boxes: Vec<Measured> = scope.nodes.iter().map(measure).collect();
    let edges: Vec<_> = scope
        .edges
        .iter()
        .map(|edge| {
            let label = (!edge.labels.is_empty()).then(|| edge_label(&edge.labels));
            LaidEdge {
                kind: edge.kind,
                from: edge.from,
                to: edge.to,
                label,
            }
        })
        .collect();
    let graph = layered::Graph {
        nodes: boxes.iter().map(|b| b.size).collect(),
        edges: edges
            .iter()
            .map(|edge| layered::Edge {
                from: edge.from,
                to: edge.to,
                label: edge.label.as_ref().map(|l| l.size),
                style: usize::from(edge.kind == EdgeKind::Catch),
            })
            .collect(),
    };
    Laid {
        placed: layered::layout(&graph),
        boxes,
        edges,
    }
}

/// Measures the label of an edge that stands for the transitions labelled `all`.
fn edge_label(all: &[String]) -> LabelText {
    let mut lines: Vec<String> = all
        .iter()
        .take(MAX_LABEL_LINES)
        .map(|text| one_line(text, MAX_LABEL_TEXT, LABEL_SIZE, false))
        .collect();
    if all.len() > MAX_LABEL_LINES {
        let last = lines.len() - 1;
        lines[last] = format!("+{} more", all.len() - MAX_LABEL_LINES + 1);
    }
    let width = lines
        .iter()
        .map(|l| labels::text_width(l, LABEL_SIZE, false))
        .fold(0.0, f64::max);
    let size = Size {
        width: width + 2.0 * LABEL_PAD_X,
        height: lines.len() as f64 * LABEL_LINE + 2.0 * LABEL_PAD_Y,
    };
    LabelText {
        lines,
        full: all.join("\n"),
        size,
    }
}

fn one_line(text: &str, width: f64, size: f64, bold: bool) -> String {
    labels::wrap(text, width, size, bold, 1)
        .lines
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn measure(node: &Node) -> Measured {
    match node {
        Node::Marker(marker) => {
            let (text, tooltip, size) = match marker {
                Marker::Start => ("Start", "Start", MARKER),
                Marker::End => ("End", "End", MARKER),
                Marker::NoMatch => {
                    let text = "States.NoChoiceMatched";
                    let width = labels::text_width(text, DETAIL_SIZE, false) + 2.0 * PAD_X;
                    (
                        text,
                        "No Choice rule matched and there is no Default: the execution fails with States.NoChoiceMatched",
                        Size {
                            width,
                            height: MARKER.height,
                        },
                    )
                }
            };
            Measured {
                size,
                kind: BoxKind::Marker(*marker),
                name: None,
                lines: vec![text.to_string()],
                detail: None,
                tooltip: tooltip.to_string(),
                retry: None,
                lanes: Vec::new(),
            }
        }
        Node::State { name, state, inner } => measure_state(name, state, inner),
    }
}

fn measure_state(name: &str, state: &State, inner: &[Scope]) -> Measured {
    let type_name = state.kind.type_name();
    let detail = detail(state);
    let mut tooltip = format!("{name} ({type_name})");
    if let StateKind::Task(task) = &state.kind
        && let Json::String(resource) = &task.resource
    {
        tooltip.push('\n');
        tooltip.push_str(resource);
    } else if let Some(detail) = &detail {
        tooltip.push('\n');
        tooltip.push_str(detail);
    }
    let retry = retriers(state)
        .filter(|r| !r.is_empty())
        .map(|retry| Badge {
            attempts: labels::max_attempts(retry),
            lines: labels::retriers(retry),
        });
    if let Some(badge) = &retry {
        for line in &badge.lines {
            tooltip.push_str("\nRetry ");
            tooltip.push_str(line);
        }
    }
    if let Some(comment) = &state.comment {
        tooltip.push('\n');
        tooltip.push_str(comment);
    }
    let lanes: Vec<Laid> = inner.iter().map(lay).collect();
    let container = !lanes.is_empty();
    // Names are centred in a box, so a badge in one corner needs room on both sides.
    let badge_room = match (&retry, container) {
        (None, _) => 0.0,
        (Some(_), true) => BADGE_WIDTH + 4.0,
        (Some(_), false) => 2.0 * (BADGE_WIDTH + 4.0),
    };
    let (lanes_width, lanes_height) = lanes_size(&lanes);
    // A container's header has one line for its name: it may be wider than a state's box, and
    // as wide as its lanes.
    let room = if container {
        (1.5 * MAX_TEXT).max(lanes_width + 2.0 * LANE_GAP - 2.0 * PAD_X - badge_room)
    } else {
        MAX_TEXT
    };
    let Wrapped { lines, .. } = labels::wrap(
        name,
        room,
        NAME_SIZE,
        true,
        if container { 1 } else { MAX_NAME_LINES },
    );
    let detail = detail.map(|d| one_line(&d, room, DETAIL_SIZE, false));
    let text_width = lines
        .iter()
        .map(|l| labels::text_width(l, NAME_SIZE, true))
        .chain(
            detail
                .iter()
                .map(|d| labels::text_width(d, DETAIL_SIZE, false)),
        )
        .fold(0.0, f64::max);
    let header = Size {
        width: (text_width + 2.0 * PAD_X + badge_room).max(MIN_WIDTH),
        height: 2.0 * PAD_Y + lines.len() as f64 * NAME_LINE + DETAIL_LINE,
    };
    let size = if container {
        Size {
            width: header.width.max(lanes_width + 2.0 * LANE_GAP),
            height: header.height + lanes_height + LANE_GAP,
        }
    } else {
        header
    };
    Measured {
        size,
        kind: BoxKind::State(type_name),
        name: Some(name.to_string()),
        lines,
        detail,
        tooltip,
        retry,
        lanes,
    }
}

/// The total width of a container's lanes side by side, and the tallest lane.
fn lanes_size(lanes: &[Laid]) -> (f64, f64) {
    let width = lanes
        .iter()
        .map(|l| l.placed.width + 2.0 * LANE_PAD)
        .sum::<f64>()
        + LANE_GAP * (lanes.len().saturating_sub(1)) as f64;
    let height = lanes
        .iter()
        .map(|l| l.placed.height + 2.0 * LANE_PAD)
        .fold(0.0, f64::max);
    (width, height)
}

fn retriers(state: &State) -> Option<&[crate::model::Retrier]> {
    match &state.kind {
        StateKind::Task(task) => Some(&task.result.retry),
        StateKind::Parallel(parallel) => Some(&parallel.result.retry),
        StateKind::Map(map) => Some(&map.result.retry),
        _ => None,
    }
}

/// The line under a state's name.
fn detail(state: &State) -> Option<String> {
    Some(match &state.kind {
        StateKind::Task(task) => labels::task_resource(&task.resource),
        StateKind::Wait(wait) => format!("Wait · {}", labels::wait_detail(wait)),
        StateKind::Fail(fail) => match (&fail.error, &fail.error_path) {
            (Some(error), _) => format!("Fail · {error}"),
            (None, Some(path)) => format!("Fail · {path}"),
            (None, None) => "Fail".to_string(),
        },
        StateKind::Parallel(parallel) => match parallel.branches.len() {
            1 => "Parallel · 1 branch".to_string(),
            n => format!("Parallel · {n} branches"),
        },
        StateKind::Map(map) => {
            let mode = match map
                .item_processor
                .processor_config
                .as_ref()
                .and_then(|c| c.mode)
            {
                Some(ProcessorMode::Distributed) => "Distributed",
                _ => "Inline",
            };
            let mut text = format!("Map · {mode}");
            match (&map.max_concurrency, &map.max_concurrency_path) {
                (Some(Json::Number(n)), _) if n.as_u64() == Some(0) => {}
                (Some(Json::Number(n)), _) => text.push_str(&format!(" · max {n}")),
                (Some(Json::String(expr)), _) => {
                    text.push_str(&format!(" · max {}", labels::expression(expr)))
                }
                (_, Some(path)) => text.push_str(&format!(" · max {path}")),
                _ => {}
            }
            if let Some(label) = &map.label {
                text.push_str(&format!(" · {label}"));
            }
            text
        }
        StateKind::Pass(_) | StateKind::Choice(_) | StateKind::Succeed => {
            state.kind.type_name().to_string()
        }
    })
}

/// Places a laid-out scope with its top-left corner at `origin`, moving its text into `out`.
fn emit(laid: Laid, origin: Point, parent: Option<usize>, out: &mut Layout) {
    let Laid {
        placed,
        boxes,
        edges,
    } = laid;
    let mut global = Vec::with_capacity(boxes.len());
    for (i, measured) in boxes.into_iter().enumerate() {
        let center = placed.centers[i];
        let rect = Rect::around(
            Point {
                x: origin.x + center.x,
                y: origin.y + center.y,
            },
            measured.size,
        );
        let index = out.nodes.len();
        global.push(index);
        out.nodes.push(NodeBox {
            rect,
            kind: measured.kind,
            name: measured.name,
            lines: measured.lines,
            detail: measured.detail,
            tooltip: measured.tooltip,
            retry: measured.retry,
            parent,
            lanes: Vec::new(),
        });
        if measured.lanes.is_empty() {
            continue;
        }
        let header = 2.0 * PAD_Y + out.nodes[index].lines.len() as f64 * NAME_LINE + DETAIL_LINE;
        let (width, height) = lanes_size(&measured.lanes);
        let mut x = rect.x + (rect.width - width) / 2.0;
        let y = rect.y + header;
        let mut lanes = Vec::with_capacity(measured.lanes.len());
        for lane in measured.lanes {
            let lane_rect = Rect {
                x,
                y,
                width: lane.placed.width + 2.0 * LANE_PAD,
                height,
            };
            lanes.push(lane_rect);
            emit(
                lane,
                Point {
                    x: x + LANE_PAD,
                    y: y + LANE_PAD,
                },
                Some(index),
                out,
            );
            x += lane_rect.width + LANE_GAP;
        }
        out.nodes[index].lanes = lanes;
    }
    for (edge, route) in edges.into_iter().zip(placed.routes) {
        let shift = |p: &Point| Point {
            x: origin.x + p.x,
            y: origin.y + p.y,
        };
        let label = edge.label.zip(route.label).map(|(text, at)| EdgeLabel {
            rect: Rect::around(shift(&at), text.size),
            lines: text.lines,
            full: text.full,
        });
        out.edges.push(EdgeRoute {
            from: global[edge.from],
            to: global[edge.to],
            kind: edge.kind,
            points: route.points.iter().map(shift).collect(),
            label,
            parent,
            merged: route.merged,
        });
    }
}
