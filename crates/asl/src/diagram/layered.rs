//! Top-down layered layout of one graph of boxes (the Sugiyama method), knowing nothing of
//! state machines:
//!
//! 1. **Cycles**: a depth-first walk from node 0 in index order turns back edges around.
//! 2. **Ranks**: the longest path from the sources. Ranks are spaced two layers apart, so every
//!    edge crosses at least one layer between its ends; that layer holds its label.
//! 3. **Dummies**: an edge gets one dummy item per layer it crosses, so long edges and loops are
//!    routed around boxes instead of through them. When that would make too many (a very dense
//!    graph), the longest edges keep only their first and last dummy and run between them in a
//!    vertical lane right of everything (see `lanes`).
//! 4. **Order**: barycentre sweeps down and up, keeping the order with the fewest crossings.
//! 5. **Coordinates**: each layer in turn is placed as close as possible (least squares) to its
//!    neighbours in the layer above or below while keeping boxes apart, solved exactly by
//!    isotonic regression; dummy chains weigh more, so long edges run straight.
//! 6. **Routes**: an edge runs vertically through each layer's band and crosses the empty gaps
//!    between bands, so by construction it never passes through a box of this graph.
//!
//! Everything is ordered by node index and edge index, so the result is deterministic.

use std::collections::HashMap;

mod lanes;

/// The width and height of a box or label.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Size {
    pub width: f64,
    pub height: f64,
}

/// A point; y grows downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
}

/// A directed edge between node indices, with the size of its label if it has one.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<Size>,
    /// Long edges into the same node with the same style merge into one line where they run
    /// through the same layer (as many Catch edges into one handler do), so a big machine
    /// is not striped with parallel lines and the layout stays fast.
    pub style: usize,
}

/// What to lay out: node sizes and edges.
#[derive(Debug, Clone, Default)]
pub(super) struct Graph {
    pub nodes: Vec<Size>,
    pub edges: Vec<Edge>,
}

/// An edge's path from its source's boundary to its target's, and its label's centre.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Route {
    pub points: Vec<Point>,
    pub label: Option<Point>,
    /// The path ends where it joins the line of an earlier edge into the same target, which
    /// carries the rest of the way and the arrowhead.
    pub merged: bool,
}

/// The layout: node centres and edge routes in the order of the input, inside
/// `0..width` × `0..height`.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub width: f64,
    pub height: f64,
    pub centers: Vec<Point>,
    pub routes: Vec<Route>,
}

/// Horizontal space between two boxes.
const NODE_SEP: f64 = 28.0;
/// Horizontal space next to an edge.
const EDGE_SEP: f64 = 12.0;
/// Vertical space between the bands of two layers.
const GAP: f64 = 16.0;
/// How far a self-loop reaches out to the right of its box.
const LOOP: f64 = 18.0;
/// Sweeps of the ordering and placement phases.
const ORDER_SWEEPS: usize = 12;
const PLACE_SWEEPS: usize = 8;

/// Lays `graph` out.
pub(super) fn layout(graph: &Graph) -> Placed {
    let n = graph.nodes.len();
    if n == 0 {
        return Placed {
            width: 0.0,
            height: 0.0,
            centers: Vec::new(),
            routes: Vec::new(),
        };
    }
    let reversed = back_edges(n, &graph.edges);
    let rank = ranks(n, &graph.edges, &reversed);
    let mut items = Items::new(graph, &rank, &reversed);
    items.order();
    items.place();
    items.finish(graph, &reversed)
}

/// Marks the edges a depth-first walk finds going back to a node still on its stack.
fn back_edges(n: usize, edges: &[Edge]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        if e.from != e.to {
            out[e.from].push(i);
        }
    }
    let mut reversed = vec![false; edges.len()];
    // 0 unvisited, 1 on the stack, 2 finished.
    let mut state = vec![0u8; n];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&edge) = out[node].get(*next) {
                *next += 1;
                let to = edges[edge].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => reversed[edge] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// The oriented ends of an edge: (upper, lower).
fn ends(edge: &Edge, reversed: bool) -> (usize, usize) {
    if reversed {
        (edge.to, edge.from)
    } else {
        (edge.from, edge.to)
    }
}

/// Longest-path ranks of the graph with back edges turned around.
fn ranks(n: usize, edges: &[Edge], reversed: &[bool]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in edges.iter().enumerate() {
        if edge.from == edge.to {
            continue;
        }
        let (a, b) = ends(edge, reversed[e]);
        out[a].push(b);
        indegree[b] += 1;
    }
    let mut rank = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indegree[v] == 0).collect();
    while let Some(a) = ready.pop() {
        for &b in &out[a] {
            rank[b] = rank[b].max(rank[a] + 1);
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    rank
}

/// A box or a dummy in a layer.
#[derive(Debug, Clone)]
struct Item {
    layer: usize,
    width: f64,
    height: f64,
    /// Room kept right of the box for self-loops and their labels.
    right: f64,
    /// The node this item draws, or `None` for a dummy.
    node: Option<usize>,
    /// Neighbours in the layer above and below, with weights.
    up: Vec<(usize, f64)>,
    down: Vec<(usize, f64)>,
    x: f64,
}

impl Item {
    fn dummy(layer: usize) -> Item {
        Item {
            layer,
            width: 0.0,
            height: 0.0,
            right: 0.0,
            node: None,
            up: Vec::new(),
            down: Vec::new(),
            x: 0.0,
        }
    }
}

struct Items {
    items: Vec<Item>,
    layers: Vec<Vec<usize>>,
    /// Per edge: its items from the upper end to the lower, and the one holding its label.
    chains: Vec<(Vec<usize>, Option<usize>)>,
    /// Per edge: the lane it runs in between its first and last dummy (see [`lanes`]).
    lanes: Vec<Option<usize>>,
    lane_count: usize,
}

impl Items {
    fn new(graph: &Graph, rank: &[usize], reversed: &[bool]) -> Items {
        let layer_count = 2 * rank.iter().copied().max().unwrap_or(0) + 1;
        let mut self_loops = vec![(0usize, 0.0f64, 0.0f64); graph.nodes.len()];
        for edge in graph.edges.iter().filter(|e| e.from == e.to) {
            let entry = &mut self_loops[edge.from];
            entry.0 += 1;
            if let Some(label) = edge.label {
                entry.1 = entry.1.max(label.width);
                entry.2 += label.height;
            }
        }
        let mut items: Vec<Item> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(node, size)| {
                let (count, label_width, label_height) = self_loops[node];
                let right = if count == 0 {
                    0.0
                } else {
                    LOOP * count as f64
                        + if label_width > 0.0 {
                            4.0 + label_width
                        } else {
                            0.0
                        }
                };
                Item {
                    layer: 2 * rank[node],
                    width: size.width,
                    height: size.height.max(label_height),
                    right,
                    node: Some(node),
                    up: Vec::new(),
                    down: Vec::new(),
                    x: 0.0,
                }
            })
            .collect();
        let spans = graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, edge)| edge.from != edge.to)
            .map(|(e, edge)| {
                let (a, b) = ends(edge, reversed[e]);
                lanes::Span {
                    edge: e,
                    group: (edge.to, reversed[e], edge.style),
                    first: items[a].layer + 1,
                    last: items[b].layer,
                    labelled: edge.label.is_some(),
                }
            })
            .collect();
        let in_lane = lanes::choose(spans, graph.nodes.len(), graph.edges.len());
        let mut runs = Vec::new();
        let mut chains = Vec::with_capacity(graph.edges.len());
        let mut shared: HashMap<(usize, usize, bool, usize), usize> = HashMap::new();
        for (e, edge) in graph.edges.iter().enumerate() {
            if edge.from == edge.to {
                chains.push((vec![edge.from], None));
                continue;
            }
            let (a, b) = ends(edge, reversed[e]);
            let mut chain = vec![a];
            let (first, last) = (items[a].layer + 1, items[b].layer);
            // The label's layer is the edge's own: next to its source.
            let label_layer = match (edge.label, reversed[e]) {
                (None, _) => None,
                (Some(_), false) => Some(first),
                (Some(_), true) => Some(last - 1),
            };
            if in_lane[e] {
                // Its own first and last dummies; the lane runs between them.
                runs.push((e, first, last - 1));
                for layer in [first, last - 1] {
                    chain.push(items.len());
                    items.push(Item::dummy(layer));
                }
            }
            for layer in (first..last).filter(|_| !in_lane[e]) {
                let key = (edge.to, layer, reversed[e], edge.style);
                if label_layer != Some(layer)
                    && let Some(&dummy) = shared.get(&key)
                {
                    chain.push(dummy);
                    continue;
                }
                if label_layer != Some(layer) {
                    shared.insert(key, items.len());
                }
                chain.push(items.len());
                items.push(Item::dummy(layer));
            }
            chain.push(b);
            let label = edge.label.map(|size| {
                let at = if reversed[e] {
                    chain[chain.len() - 2]
                } else {
                    chain[1]
                };
                items[at].width = size.width;
                items[at].height = size.height;
                at
            });
            for pair in chain.windows(2) {
                // A lane's ends are no neighbours: layers apart, they pull on nothing.
                if items[pair[0]].layer + 1 != items[pair[1]].layer {
                    continue;
                }
                if items[pair[0]]
                    .down
                    .iter()
                    .any(|&(below, _)| below == pair[1])
                {
                    continue;
                }
                let dummies = pair.iter().filter(|&&i| items[i].node.is_none()).count();
                let weight = [1.0, 2.0, 8.0][dummies];
                items[pair[0]].down.push((pair[1], weight));
                items[pair[1]].up.push((pair[0], weight));
            }
            chains.push((chain, label));
        }
        let mut layers = vec![Vec::new(); layer_count];
        for (i, item) in items.iter().enumerate() {
            layers[item.layer].push(i);
        }
        let (lanes, lane_count) = lanes::assign(runs, graph.edges.len());
        Items {
            items,
            layers,
            chains,
            lanes,
            lane_count,
        }
    }

    /// Orders every layer to reduce crossings.
    fn order(&mut self) {
        let mut position = vec![0.0; self.items.len()];
        self.number(&mut position);
        // A first pass down gives every layer an order that follows the layer above.
        for layer in 1..self.layers.len() {
            self.sort_layer(layer, true, &mut position);
        }
        let mut best = self.layers.clone();
        let mut fewest = self.crossings(&position);
        for sweep in 0..ORDER_SWEEPS {
            if fewest == 0 {
                break;
            }
            let down = sweep % 2 == 1;
            if down {
                for layer in 1..self.layers.len() {
                    self.sort_layer(layer, true, &mut position);
                }
            } else {
                for layer in (0..self.layers.len() - 1).rev() {
                    self.sort_layer(layer, false, &mut position);
                }
            }
            let crossings = self.crossings(&position);
            if crossings < fewest {
                fewest = crossings;
                best = self.layers.clone();
            }
        }
        self.layers = best;
    }

    /// Records each item's index within its layer.
    fn number(&self, position: &mut [f64]) {
        for layer in &self.layers {
            for (i, &item) in layer.iter().enumerate() {
                position[item] = i as f64;
            }
        }
    }

    /// Sorts a layer by the mean position of each item's neighbours above (or below); items
    /// without such neighbours keep their place.
    fn sort_layer(&mut self, layer: usize, from_above: bool, position: &mut [f64]) {
        let mut keyed: Vec<(f64, usize)> = self.layers[layer]
            .iter()
            .map(|&item| {
                let neighbours = if from_above {
                    &self.items[item].up
                } else {
                    &self.items[item].down
                };
                let key = if neighbours.is_empty() {
                    position[item]
                } else {
                    neighbours.iter().map(|&(n, _)| position[n]).sum::<f64>()
                        / neighbours.len() as f64
                };
                (key, item)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.layers[layer] = keyed.into_iter().map(|(_, item)| item).collect();
        for (i, &item) in self.layers[layer].iter().enumerate() {
            position[item] = i as f64;
        }
    }

    /// Edge crossings between all pairs of neighbouring layers.
    fn crossings(&self, position: &[f64]) -> usize {
        let mut total = 0;
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for layer in &self.layers[..self.layers.len().saturating_sub(1)] {
            pairs.clear();
            for &item in layer {
                for &(below, _) in &self.items[item].down {
                    pairs.push((position[item] as usize, position[below] as usize));
                }
            }
            total += inversions(&mut pairs);
        }
        total
    }

    /// Assigns x coordinates, layer by layer, several sweeps down and up.
    fn place(&mut self) {
        for layer in 0..self.layers.len() {
            self.place_layer(layer, Direction::Up);
        }
        for sweep in 0..PLACE_SWEEPS {
            if sweep % 2 == 0 {
                for layer in (0..self.layers.len()).rev() {
                    self.place_layer(layer, Direction::Down);
                }
            } else {
                for layer in 0..self.layers.len() {
                    self.place_layer(layer, Direction::Up);
                }
            }
        }
        for layer in 0..self.layers.len() {
            self.place_layer(layer, Direction::Both);
        }
    }

    /// Places one layer as near as the spacing allows to where its neighbours pull it.
    fn place_layer(&mut self, layer: usize, toward: Direction) {
        let order = &self.layers[layer];
        let mut targets = Vec::with_capacity(order.len());
        let mut offsets = Vec::with_capacity(order.len());
        let mut offset = 0.0;
        for (i, &item) in order.iter().enumerate() {
            if i > 0 {
                offset += self.gap(order[i - 1], item);
            }
            offsets.push(offset);
            let it = &self.items[item];
            let neighbours = it
                .up
                .iter()
                .filter(|_| toward != Direction::Down)
                .chain(it.down.iter().filter(|_| toward != Direction::Up));
            let (mut sum, mut weight) = (0.0, 0.0);
            for &(n, w) in neighbours {
                sum += self.items[n].x * w;
                weight += w;
            }
            let (target, weight) = if weight > 0.0 {
                (sum / weight, weight)
            } else {
                (it.x, 0.01)
            };
            targets.push((target - offset, weight));
        }
        let solved = isotonic(&targets);
        for (i, &item) in order.iter().enumerate() {
            self.items[item].x = solved[i] + offsets[i];
        }
    }

    /// The least distance between the centres of two neighbouring items.
    fn gap(&self, left: usize, right: usize) -> f64 {
        let (l, r) = (&self.items[left], &self.items[right]);
        let sep = if l.node.is_some() && r.node.is_some() {
            NODE_SEP
        } else {
            EDGE_SEP
        };
        l.width / 2.0 + l.right + sep + r.width / 2.0
    }

    /// Vertical bands, node centres and edge routes.
    fn finish(self, graph: &Graph, reversed: &[bool]) -> Placed {
        let min_x = self
            .items
            .iter()
            .map(|it| it.x - it.width / 2.0)
            .fold(f64::INFINITY, f64::min);
        let x = |item: usize| self.items[item].x - min_x;
        let boxes_width = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| x(i) + it.width / 2.0 + it.right)
            .fold(0.0, f64::max);
        // Lanes run right of everything.
        let lane_x = |lane: usize| boxes_width + EDGE_SEP * (lane + 1) as f64;
        let width = match self.lane_count {
            0 => boxes_width,
            count => lane_x(count),
        };
        let mut bands = Vec::with_capacity(self.layers.len());
        let mut top = 0.0;
        for layer in &self.layers {
            let height = layer
                .iter()
                .map(|&i| self.items[i].height)
                .fold(0.0, f64::max);
            bands.push((top, top + height));
            top += height + GAP;
        }
        let height = bands.last().map_or(0.0, |b| b.1);
        let center_y = |item: usize| {
            let (top, bottom) = bands[self.items[item].layer];
            (top + bottom) / 2.0
        };
        let centers: Vec<Point> = (0..graph.nodes.len())
            .map(|node| Point {
                x: x(node),
                y: center_y(node),
            })
            .collect();
        let ports = Ports::new(&self, graph, &x);
        let mut routes = Vec::with_capacity(graph.edges.len());
        let mut loops_done = vec![0usize; graph.nodes.len()];
        let mut labels_done = vec![0.0; graph.nodes.len()];
        let mut loop_labels = vec![0.0; graph.nodes.len()];
        for edge in graph.edges.iter().filter(|e| e.from == e.to) {
            loop_labels[edge.from] += edge.label.map_or(0.0, |l| l.height);
        }
        let mut drawn = std::collections::HashSet::new();
        for (e, edge) in graph.edges.iter().enumerate() {
            let (chain, label_item) = &self.chains[e];
            if edge.from == edge.to {
                let node = edge.from;
                let k = loops_done[node];
                loops_done[node] += 1;
                // Labels of a box's loops stack beside it, centred on it.
                let label = edge.label.map(|size| {
                    let top = centers[node].y - loop_labels[node] / 2.0 + labels_done[node];
                    labels_done[node] += size.height;
                    (size, top)
                });
                let room = self.items[node].right;
                routes.push(self_loop(graph.nodes[node], room, centers[node], k, label));
                continue;
            }
            let (a, b) = (chain[0], chain[chain.len() - 1]);
            let size = |n: usize| graph.nodes[n];
            // The route item by item from the upper end: (item, its points).
            let (port_a, port_b) = (ports.bottom(e), ports.top(e));
            // A lane's run has no item.
            let mut steps: Vec<(Option<usize>, [Point; 2])> = Vec::with_capacity(chain.len() + 1);
            let at = |x: f64, y: f64| Point { x, y };
            steps.push((
                Some(a),
                [
                    at(port_a, centers[a].y + size(a).height / 2.0),
                    at(port_a, bands[self.items[a].layer].1),
                ],
            ));
            for &dummy in &chain[1..chain.len() - 1] {
                let layer = self.items[dummy].layer;
                let (top, bottom) = bands[layer];
                steps.push((Some(dummy), [at(x(dummy), top), at(x(dummy), bottom)]));
                if let Some(lane) = self.lanes[e]
                    && dummy == chain[1]
                {
                    let last = self.items[chain[2]].layer;
                    let (top, bottom) = (bands[layer + 1].0, bands[last - 1].1);
                    steps.push((None, [at(lane_x(lane), top), at(lane_x(lane), bottom)]));
                }
            }
            steps.push((
                Some(b),
                [
                    at(port_b, bands[self.items[b].layer].0),
                    at(port_b, centers[b].y - size(b).height / 2.0),
                ],
            ));
            if reversed[e] {
                steps.reverse();
                for (_, pair) in &mut steps {
                    pair.reverse();
                }
            }
            // Walk from the source; where the edge meets a line an earlier edge already drew
            // into the same target, it ends there.
            let mut points = Vec::with_capacity(2 * steps.len());
            let mut merged = false;
            for (i, (item, pair)) in steps.into_iter().enumerate() {
                if i > 0
                    && let Some(item) = item
                    && self.items[item].node.is_none()
                    && !drawn.insert(item)
                {
                    points.push(pair[0]);
                    merged = true;
                    break;
                }
                points.extend(pair);
            }
            points.dedup();
            // Keep only the corners of straight vertical runs.
            let mut i = 1;
            while i + 1 < points.len() {
                if points[i - 1].x == points[i].x && points[i].x == points[i + 1].x {
                    points.remove(i);
                } else {
                    i += 1;
                }
            }
            let label = label_item.map(|item| Point {
                x: x(item),
                y: center_y(item),
            });
            routes.push(Route {
                points,
                label,
                merged,
            });
        }
        Placed {
            width,
            height,
            centers,
            routes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Toward the neighbours above.
    Up,
    /// Toward the neighbours below.
    Down,
    Both,
}

/// Where edges leave the bottom and enter the top of their boxes: spread along the side in the
/// order of where the edges go, so they do not cross at the box.
struct Ports {
    bottom: Vec<f64>,
    top: Vec<f64>,
}

impl Ports {
    fn new(items: &Items, graph: &Graph, x: &dyn Fn(usize) -> f64) -> Ports {
        let n = graph.nodes.len();
        let mut bottoms: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); n];
        let mut tops: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); n];
        for (e, (chain, _)) in items.chains.iter().enumerate() {
            if chain.len() < 2 {
                continue;
            }
            let (a, b) = (chain[0], chain[chain.len() - 1]);
            let (after, before) = (chain[1], chain[chain.len() - 2]);
            bottoms[a].push((x(after), after, e));
            tops[b].push((x(before), before, e));
        }
        let mut bottom = vec![0.0; graph.edges.len()];
        let mut top = vec![0.0; graph.edges.len()];
        for node in 0..n {
            let center = x(node);
            let width = graph.nodes[node].width;
            spread(&mut bottoms[node], center, width, &mut bottom);
            spread(&mut tops[node], center, width, &mut top);
        }
        Ports { bottom, top }
    }

    fn bottom(&self, edge: usize) -> f64 {
        self.bottom[edge]
    }

    fn top(&self, edge: usize) -> f64 {
        self.top[edge]
    }
}

/// Spreads the edges meeting one side of a box across its middle, in order of where they come
/// from (`x`, then the neighbouring item); edges sharing that item share a port.
fn spread(side: &mut [(f64, usize, usize)], center: f64, width: f64, out: &mut [f64]) {
    side.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut count = 0;
    let mut slot = Vec::with_capacity(side.len());
    for (i, entry) in side.iter().enumerate() {
        if i == 0 || side[i - 1].1 != entry.1 {
            count += 1;
        }
        slot.push(count - 1);
    }
    let step = if count > 1 {
        (width * 0.6 / (count - 1) as f64).min(14.0)
    } else {
        0.0
    };
    for (&(_, _, edge), &i) in side.iter().zip(&slot) {
        out[edge] = center + (i as f64 - (count as f64 - 1.0) / 2.0) * step;
    }
}

/// The route of the `k`-th self-loop of a box: out of its right side and back in.
fn self_loop(
    box_size: Size,
    room: f64,
    center: Point,
    k: usize,
    label: Option<(Size, f64)>,
) -> Route {
    let right = center.x + box_size.width / 2.0;
    let reach = right + LOOP * (k + 1) as f64;
    // Outer loops reach further and span more of the side, so none shares a line.
    let dy = (6.0 + 4.0 * k as f64)
        .min(box_size.height / 2.0 - 2.0)
        .max(1.0);
    let points = vec![
        Point {
            x: right,
            y: center.y - dy,
        },
        Point {
            x: reach,
            y: center.y - dy,
        },
        Point {
            x: reach,
            y: center.y + dy,
        },
        Point {
            x: right,
            y: center.y + dy,
        },
    ];
    let label = label.map(|(size, top)| Point {
        x: right + room - size.width / 2.0,
        y: top + size.height / 2.0,
    });
    Route {
        points,
        label,
        merged: false,
    }
}

/// Minimises Σ w·(z − t)² over non-decreasing z for targets `(t, w)`: pool adjacent
/// violators.
fn isotonic(targets: &[(f64, f64)]) -> Vec<f64> {
    // Blocks of (mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(targets.len());
    for &(t, w) in targets {
        blocks.push((t, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            let w = w1 + w2;
            blocks.push(((m1 * w1 + m2 * w2) / w, w, c1 + c2));
        }
    }
    blocks
        .into_iter()
        .flat_map(|(mean, _, count)| std::iter::repeat_n(mean, count))
        .collect()
}

/// Number of crossing pairs among segments `(upper position, lower position)`.
fn inversions(pairs: &mut [(usize, usize)]) -> usize {
    pairs.sort_unstable();
    let size = pairs.iter().map(|p| p.1).max().map_or(0, |m| m + 1);
    // A Fenwick tree counting lower ends seen so far.
    let mut tree = vec![0usize; size + 1];
    let mut total = 0;
    for (seen, &(_, lower)) in pairs.iter().enumerate() {
        let mut i = lower + 1;
        let mut not_greater = 0;
        while i > 0 {
            not_greater += tree[i];
            i &= i - 1;
        }
        total += seen - not_greater;
        let mut i = lower + 1;
        while i <= size {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(n: usize) -> Vec<Size> {
        vec![
            Size {
                width: 100.0,
                height: 40.0
            };
            n
        ]
    }

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            from,
            to,
            label: None,
            style: 0,
        }
    }

    #[test]
    fn isotonic_pools_violators() {
        let z = isotonic(&[(3.0, 1.0), (1.0, 1.0), (2.0, 2.0), (5.0, 1.0)]);
        assert_eq!(z, [2.0, 2.0, 2.0, 5.0]);
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions(&mut [(0, 1), (1, 0)]), 1);
        assert_eq!(inversions(&mut [(0, 0), (0, 1), (1, 1)]), 0);
        assert_eq!(inversions(&mut [(0, 2), (1, 1), (2, 0)]), 3);
    }

    #[test]
    fn a_chain_is_one_straight_column() {
        let placed = layout(&Graph {
            nodes: boxes(3),
            edges: vec![edge(0, 1), edge(1, 2)],
        });
        let xs: Vec<f64> = placed.centers.iter().map(|c| c.x).collect();
        assert!(xs.iter().all(|&x| (x - xs[0]).abs() < 1e-9), "{xs:?}");
        assert!(placed.centers[0].y < placed.centers[1].y);
        assert!(placed.centers[1].y < placed.centers[2].y);
        assert_eq!(placed.width, 100.0);
    }

    #[test]
    fn a_fan_out_is_centred_under_its_source() {
        let placed = layout(&Graph {
            nodes: boxes(4),
            edges: vec![edge(0, 1), edge(0, 2), edge(0, 3)],
        });
        let c = &placed.centers;
        assert!((c[2].x - c[0].x).abs() < 1e-9);
        assert!(c[1].x + 100.0 + NODE_SEP <= c[2].x + 1e-9);
        assert!(c[2].x + 100.0 + NODE_SEP <= c[3].x + 1e-9);
    }

    #[test]
    fn a_loop_goes_back_up_beside_the_boxes() {
        // 0 -> 1 -> 2 -> 3, and 3 -> 1.
        let placed = layout(&Graph {
            nodes: boxes(4),
            edges: vec![edge(0, 1), edge(1, 2), edge(2, 3), edge(3, 1)],
        });
        let back = &placed.routes[3];
        let first = back.points[0];
        let last = back.points[back.points.len() - 1];
        assert!(first.y < placed.centers[3].y, "leaves the top of 3");
        assert!(last.y > placed.centers[1].y, "enters the bottom of 1");
        // No step of the route enters the box of 2, which sits between the loop's ends.
        let c = placed.centers[2];
        let clear = back.points.windows(2).all(|step| {
            let (left, right) = (step[0].x.min(step[1].x), step[0].x.max(step[1].x));
            let (top, bottom) = (step[0].y.min(step[1].y), step[0].y.max(step[1].y));
            right <= c.x - 50.0 || left >= c.x + 50.0 || bottom <= c.y - 20.0 || top >= c.y + 20.0
        });
        assert!(clear, "{:?}", back.points);
    }

    #[test]
    fn labels_sit_in_the_layer_below_the_source() {
        let placed = layout(&Graph {
            nodes: boxes(2),
            edges: vec![Edge {
                from: 0,
                to: 1,
                label: Some(Size {
                    width: 60.0,
                    height: 14.0,
                }),
                style: 0,
            }],
        });
        let label = placed.routes[0].label.unwrap();
        assert!(label.y > placed.centers[0].y + 20.0 && label.y < placed.centers[1].y - 20.0);
    }

    #[test]
    fn self_loops_keep_room_on_the_right() {
        let placed = layout(&Graph {
            nodes: boxes(1),
            edges: vec![edge(0, 0)],
        });
        assert_eq!(placed.width, 100.0 + LOOP);
        assert_eq!(placed.routes[0].points.len(), 4);
    }
}
