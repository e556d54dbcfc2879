#![no_main]

use libfuzzer_sys::fuzz_target;

// Contract under test: the page parser never panics, whatever the input.
fuzz_target!(|data: &[u8]| {
    let _ = graph_codegen::page::parse_page_bytes("fuzz.md", data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = graph_codegen::page::parse_page("fuzz.md", text);
    }
});
