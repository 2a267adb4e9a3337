//! How long drawing a state machine takes: layout plus SVG for generated machines of 50 to
//! 1,000 states (Tasks with Retry and Catch, Choices that loop back or skip ahead, Parallel and
//! Map containers), then for dense machines of 250 to 2,000 Choice states whose rules jump far
//! ahead and back. Prints the median of 21 runs per size (3 for the dense ones).
//!
//!     cargo run --release -p asl --example diagram_bench
//!
//! `-- dense N` draws only the dense machine of N states, once, for measuring its peak memory
//! (`/usr/bin/time -v`).

use std::time::Instant;

use asl::diagram::{self, Options};
use serde_json::Value;

#[path = "../tests/support/machines.rs"]
mod machines;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [kind, n] = args.as_slice()
        && kind == "dense"
    {
        let n = n.parse().expect("a number of states");
        header();
        measure(n, &machines::dense_choices(n, 4), 1);
        return;
    }
    header();
    for n in [50, 100, 200, 500, 1000] {
        measure(n, &machines::generated(n), 21);
    }
    println!("dense Choice machines (4 rules each)");
    for n in [250, 500, 1000, 2000] {
        measure(n, &machines::dense_choices(n, 4), 3);
    }
}

fn header() {
    println!("states  boxes  edges  layout+SVG median  (min .. max)  SVG bytes  JSON bytes");
}

/// Draws `definition` `runs` times and prints a line of figures.
fn measure(n: usize, definition: &Value, runs: usize) {
    let text = definition.to_string();
    let machine = asl::check(&text)
        .machine
        .expect("the generated machine is valid");
    let mut times = Vec::new();
    let mut svg = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let drawing = diagram::render(&machine, &Options::default());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        svg = drawing.svg;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{n:>6}  {:>5}  {:>5}  {:>10.2} ms  ({:.2} .. {:.2})  {}  {}",
        diagram_boxes(&svg),
        diagram_edges(&svg),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        svg.len(),
        text.len(),
    );
}

/// The boxes drawn: states (containers included) and the Start/End markers.
fn diagram_boxes(svg: &str) -> usize {
    svg.matches(r#"<g class="asl-state "#).count() + svg.matches(r#"<g class="asl-marker "#).count()
}

/// The transitions drawn.
fn diagram_edges(svg: &str) -> usize {
    svg.matches(r#"<g class="asl-edge asl-edge-"#).count()
}
