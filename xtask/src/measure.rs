//! Measurements shared by `xtask bench` and the `parse_pages` example.

use std::time::Duration;

use graph_codegen::{SpecFile, page};

/// CPU time of the calling thread so far (Linux: `/proc/thread-self/schedstat`, in ns).
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// The parse floor's work: pulldown-cmark's events over every page, with the parser's options,
/// and nothing else. Returns the number of events, for the caller to `black_box`.
pub fn parse_floor(files: &[SpecFile]) -> usize {
    let mut events = 0usize;
    for file in files {
        let text = String::from_utf8_lossy(&file.bytes);
        let parser = pulldown_cmark::Parser::new_ext(&text, page::markdown::options());
        events += parser.into_offset_iter().count();
    }
    events
}
