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
        let layout = diagram::layout(&machine);
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..21 {
            let start = Instant::now();
            let drawing = diagram::render(&machine, &Options::default());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            bytes = drawing.svg.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{n:>6}  {:>5}  {:>5}  {:>10.2} ms  ({:.2} .. {:.2})  {bytes}",
            layout.nodes.len(),
            layout.edges.len(),
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
        );
    }
}
