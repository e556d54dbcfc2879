//! The 2021 docs in `../shared`, resolved: for tests that check the real pages. Each such test
//! skips, saying so, when the corpus is absent.

use graph_codegen::model::Api;

/// Every version of the 2021 docs, parsed and resolved; `None` (with a SKIPPED line) when
/// `../shared/graph-docs-2021` is absent.
pub fn resolved() -> Option<Vec<Api>> {
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs-2021");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: {} is absent", corpus.display());
        return None;
    }
    let files = graph_codegen::read_specs(&corpus).expect("the corpus is readable");
    let results = graph_codegen::parse_files(&files);
    let (by_version, includes, _) =
        graph_codegen::split_versions(&corpus, results).expect("versions");
    Some(graph_codegen::resolve_versions(by_version, &includes).0)
}
