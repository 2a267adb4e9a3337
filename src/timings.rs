//! `AWSKB_TIMINGS=1` prints how long each phase of a build took to stderr, so a slow build can
//! be narrowed down without a profiler (benchmarks and issues quote these lines). On Linux each
//! line also gives the memory resident at its end and the peak so far, which shows which phase
//! holds what.

use std::sync::OnceLock;
use std::time::Instant;

/// Prints `phase: N ms` since `started`, and the memory, when `AWSKB_TIMINGS` is set (to
/// anything but `0`).
pub fn report(phase: &str, started: Instant) {
    static ON: OnceLock<bool> = OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("AWSKB_TIMINGS").is_some_and(|v| v != "0")) {
        eprintln!(
            "timing: {phase}: {:.0} ms{}",
            started.elapsed().as_secs_f64() * 1000.0,
            memory()
        );
    }
}

/// `(resident N MiB, peak N MiB)` from `/proc/self/status`; empty where there is none.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (resident {now} MiB, peak {peak} MiB)"),
        _ => String::new(),
    }
}
