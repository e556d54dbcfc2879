//! The calling thread's CPU time, shared by `xtask bench` and the `parse_pages` example.

use std::time::Duration;

/// CPU time of the calling thread so far (Linux: `/proc/thread-self/schedstat`, in ns).
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}
