//! `AWSKB_TIMINGS=1` prints how long each phase of a build took to stderr, so a slow build can
//! be narrowed down without a profiler (benchmarks and issues quote these lines).

use std::sync::OnceLock;
use std::time::Instant;

/// Prints `phase: N ms` since `started` when `AWSKB_TIMINGS` is set (to anything but `0`).
pub fn report(phase: &str, started: Instant) {
    static ON: OnceLock<bool> = OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("AWSKB_TIMINGS").is_some_and(|v| v != "0")) {
        eprintln!(
            "timing: {phase}: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
