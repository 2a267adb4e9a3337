//! Lanes for the long edges of very dense graphs.
//!
//! An edge gets a dummy item in every layer it crosses, so the items grow with edges × layers:
//! a few thousand states whose Choice rules jump far ahead or back make millions of dummies,
//! and ordering, placing and drawing them takes minutes and gigabytes. When the dummies would
//! pass a budget proportional to the graph, the longest edges keep only their first and last
//! dummy and run between them in a vertical lane right of everything, so the work stays
//! proportional to the graph. Graphs within the budget (every ordinary definition) are laid out
//! exactly as before.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The dummies allowed per node and edge before long edges move to lanes; ordinary definitions
/// need a few per edge (a Catch edge into a handler far below shares its dummies with the
/// others into it).
const DUMMIES_PER_ITEM: usize = 8;
/// Dummies any graph may have, however small.
const MIN_DUMMIES: usize = 20_000;

/// The layers an edge crosses, `first..last`, and whose dummies it may share: edges into the
/// same target in the same direction and style share theirs, except the one holding a label.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub edge: usize,
    /// (target, reversed, style).
    pub group: (usize, bool, usize),
    pub first: usize,
    pub last: usize,
    pub labelled: bool,
}

impl Span {
    fn length(&self) -> usize {
        self.last - self.first
    }
}

/// Which edges run in a lane (by edge index, `edges` long): none while the dummies stay within
/// the budget for `nodes` and `edges`; otherwise every edge longer than the longest length
/// that keeps the others within it (and long enough to have a layer between its first and
/// last dummy).
pub(super) fn choose(mut spans: Vec<Span>, nodes: usize, edges: usize) -> Vec<bool> {
    let mut lane = vec![false; edges];
    let budget = MIN_DUMMIES.max(DUMMIES_PER_ITEM * (nodes + edges));
    spans.sort_by_key(|s| (s.group, s.first, s.last, s.edge));
    let longest = spans.iter().map(Span::length).max().unwrap_or(0);
    if dummies(&spans, longest) <= budget {
        return lane;
    }
    // The longest length within budget: dummies grow with the length allowed.
    let (mut low, mut high) = (2, longest);
    while low < high {
        let middle = (low + high).div_ceil(2);
        if dummies(&spans, middle) <= budget {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    for span in &spans {
        if span.length() > low.max(2) {
            lane[span.edge] = true;
        }
    }
    lane
}

/// About how many dummies the spans of at most `limit` layers make: per group, the layers
/// their spans cover together, and one more per label. `spans` is sorted by group and first
/// layer.
fn dummies(spans: &[Span], limit: usize) -> usize {
    let mut total = 0;
    let mut covered: Option<((usize, bool, usize), usize, usize)> = None;
    for span in spans.iter().filter(|s| s.length() <= limit) {
        total += usize::from(span.labelled);
        match &mut covered {
            Some((group, _, end)) if *group == span.group && span.first <= *end => {
                *end = (*end).max(span.last);
            }
            _ => {
                if let Some((_, start, end)) = covered {
                    total += end - start;
                }
                covered = Some((span.group, span.first, span.last));
            }
        }
    }
    if let Some((_, start, end)) = covered {
        total += end - start;
    }
    total
}

/// Lanes for the runs `(edge, top layer, bottom layer)`, inclusive: runs that share no layer
/// share a lane, so there are as many lanes as runs over the busiest layer. Returns each run's
/// lane, by edge, and the number of lanes.
pub(super) fn assign(
    mut runs: Vec<(usize, usize, usize)>,
    edges: usize,
) -> (Vec<Option<usize>>, usize) {
    runs.sort_by_key(|&(edge, top, _)| (top, edge));
    let mut lane_of = vec![None; edges];
    // Lanes by the bottom layer of their last run.
    let mut free: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut count = 0;
    for (edge, top, bottom) in runs {
        let lane = match free.peek() {
            Some(&Reverse((end, lane))) if end < top => {
                free.pop();
                lane
            }
            _ => {
                count += 1;
                count - 1
            }
        };
        lane_of[edge] = Some(lane);
        free.push(Reverse((bottom, lane)));
    }
    (lane_of, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(edge: usize, to: usize, first: usize, last: usize) -> Span {
        Span {
            edge,
            group: (to, false, 0),
            first,
            last,
            labelled: false,
        }
    }

    #[test]
    fn shared_layers_count_once() {
        let spans = [span(0, 9, 1, 10), span(1, 9, 5, 12), span(2, 8, 1, 3)];
        assert_eq!(dummies(&spans, usize::MAX), 11 + 2);
        assert_eq!(dummies(&spans, 6), 2);
    }

    #[test]
    fn small_graphs_keep_every_dummy() {
        let spans = vec![span(0, 1, 1, 1000)];
        assert_eq!(choose(spans, 2, 1), [false]);
    }

    #[test]
    fn the_longest_edges_go_to_lanes_when_dummies_pass_the_budget() {
        // 200 edges into different targets, each crossing 1,000 layers, and a short one.
        let mut spans: Vec<Span> = (0..200).map(|e| span(e, e, 1, 1001)).collect();
        spans.push(span(200, 500, 1, 4));
        let lane = choose(spans, 300, 201);
        assert!(lane[..200].iter().all(|&l| l));
        assert!(!lane[200]);
    }

    #[test]
    fn runs_that_share_no_layer_share_a_lane() {
        let (lanes, count) = assign(vec![(0, 1, 5), (1, 6, 9), (2, 3, 7), (3, 5, 6)], 4);
        assert_eq!(count, 3);
        assert_eq!(lanes[0], lanes[1]);
        assert_ne!(lanes[0], lanes[2]);
        assert_ne!(lanes[2], lanes[3]);
        assert_ne!(lanes[0], lanes[3]);
    }
}
