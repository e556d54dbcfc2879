//! The real Graph docs (../shared/graph-docs-2021): every page parses, nothing panics, and the
//! figures meet the thresholds the parser is held to. Skips, saying so, when the corpus is
//! absent (it is present in CI).

use std::path::Path;

use graph_codegen::corpus::CorpusReport;

#[test]
fn the_2021_graph_docs_parse_within_thresholds() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs-2021");
    if !corpus.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent; the corpus test needs the shared Graph docs",
            corpus.display()
        );
        return;
    }
    let files = graph_codegen::read_specs(&corpus).expect("the corpus is readable");
    let sizes: Vec<usize> = files.iter().map(|file| file.bytes.len()).collect();
    let results = graph_codegen::parse_files(&files);
    let report = CorpusReport::new(&results, &sizes);

    assert_eq!(
        report.pages, 11_289,
        "every reference page is read (repository files are not pages)"
    );
    assert_eq!(report.panics, 0);
    for threshold in report.thresholds() {
        assert!(
            threshold.met,
            "{}: {:.4} misses the required {:.4}",
            threshold.name, threshold.value, threshold.required
        );
    }
    // Sanity on the figures themselves, so a parser that read nothing cannot pass.
    assert!(
        report.method_pages > 7_000,
        "{} method pages",
        report.method_pages
    );
    assert!(
        report.resource_pages > 3_300,
        "{} resource pages",
        report.resource_pages
    );
    assert!(
        report.operations > 12_000,
        "{} operations",
        report.operations
    );
    assert!(
        report.tables.rows_total > 100_000,
        "{} table rows",
        report.tables.rows_total
    );
    assert!(
        report.enum_members > 7_500,
        "{} enum members",
        report.enum_members
    );

    // Every diagnostic is located in a real file and line.
    for result in &results {
        for diagnostic in &result.diagnostics {
            assert!(
                diagnostic.line >= 1 && diagnostic.column >= 1,
                "{diagnostic}"
            );
            assert!(corpus.join(&diagnostic.file).is_file(), "{diagnostic}");
        }
    }
}
