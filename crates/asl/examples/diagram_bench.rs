//! How long drawing a state machine takes: layout plus SVG for generated machines of 50 to
//! 1,000 states (Tasks with Retry and Catch, Choices that loop back or skip ahead, Parallel and
//! Map containers). Prints the median of 21 runs per size.
//!
//!     cargo run --release -p asl --example diagram_bench

use std::time::Instant;

use asl::diagram::{self, Options};

#[path = "../tests/support/machines.rs"]
mod machines;

fn main() {
    println!("states  boxes  edges  layout+SVG median  (min .. max)  SVG bytes");
    for n in [50, 100, 200, 500, 1000] {
        let text = machines::generated(n).to_string();
        let machine = asl::check(&text)
            .machine
            .expect("the generated machine is valid");
        let mut times = Vec::new();
        let mut svg = String::new();
        for _ in 0..21 {
            let start = Instant::now();
            let drawing = diagram::render(&machine, &Options::default());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            svg = drawing.svg;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{n:>6}  {:>5}  {:>5}  {:>10.2} ms  ({:.2} .. {:.2})  {}",
            diagram_boxes(&svg),
            diagram_edges(&svg),
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            svg.len(),
        );
    }
}

/// The boxes drawn: states (containers included) and the Start/End markers.
fn diagram_boxes(svg: &str) -> usize {
    svg.matches(r#"<g class="asl-state "#).count() + svg.matches(r#"<g class="asl-marker "#).count()
}

/// The transitions drawn.
fn diagram_edges(svg: &str) -> usize {
    svg.matches(r#"<g class="asl-edge asl-edge-"#).count()
}
