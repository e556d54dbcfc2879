//! The docs lint over the seed and over a small hand-written tree
//! (tests/fixtures/lint) that has one instance of each finding, and one example with none.

use std::path::Path;

use graph_codegen::diagnostics::{Code, Severity};
use graph_codegen::lint::{self, LintReport};

fn lint(dir: &str) -> LintReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    lint::lint_tree(&root).expect("the tree reads")
}

fn located(report: &LintReport) -> Vec<(&'static str, &str, usize, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
        .collect()
}

#[test]
fn the_seed_raises_read_only_in_body_and_required_on_update() {
    let report = lint("../specs");
    let file =
        "beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";
    let seed: Vec<_> = located(&report)
        .into_iter()
        .filter(|(_, at, _, _)| *at == file)
        .collect();
    assert_eq!(
        seed,
        vec![
            ("L0008", file, 53, 1),
            ("L0007", file, 55, 1),
            ("L0007", file, 92, 3),
        ]
    );
    assert_eq!(report.count(Severity::Error), 0);
    let seed_messages: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.file == file)
        .map(|diagnostic| diagnostic.message.as_str())
        .collect();
    assert!(
        seed_messages[1].contains("20 read-only properties"),
        "{seed_messages:?}"
    );
    assert!(
        seed_messages[2].contains("19 read-only properties"),
        "{seed_messages:?}"
    );
    // The Cloud PKI family's own findings are the docs' facts our pages reproduce: read-only
    // properties in create and update tables, "required when you create" on update pages, and
    // links to Intune pages outside the family. An action's `{"value": …}` result is not one.
    let summary = report.summary();
    assert!(summary.contains("0 errors"), "{summary}");
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code.as_str() == "L0001"),
        "{summary}"
    );
}

#[test]
fn each_finding_is_located_in_the_fixture() {
    let report = lint("tests/fixtures/lint/v1.0");
    let get = "api/kettle-get.md";
    let update = "api/kettle-update.md";
    assert_eq!(
        located(&report),
        vec![
            ("L0013", get, 58, 1),
            ("L0002", get, 69, 3),
            ("L0003", get, 70, 3),
            ("L0004", get, 71, 3),
            ("L0004", get, 72, 3),
            ("L0002", get, 73, 3),
            ("L0001", get, 74, 27),
            ("L0016", get, 75, 3),
            ("L0001", get, 76, 3),
            ("L0014", get, 85, 1),
            ("L0005", get, 95, 3),
            ("L0005", get, 96, 3),
            ("L0006", get, 116, 3),
            ("L0009", get, 125, 1),
            ("L0008", update, 24, 1),
            ("L0007", update, 26, 1),
            ("L0007", update, 42, 3),
            ("L0012", "api/kitchen-list-kettles.md", 17, 1),
            ("L0010", "api/kitchen-list-kettles.md", 29, 1),
            ("L0011", "resources/kettle.md", 12, 56),
        ]
    );
    // Example 1 (lines 30-50) is well formed throughout: annotations, a nested object, a
    // duration, a collection, an instance annotation.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.file != get || !(30..=50).contains(&d.line)),
        "{:#?}",
        report.diagnostics
    );
    // The link to `stove.md`, which exists, is not reported.
    assert_eq!(report.by_code()[&Code::LintBrokenLink], 1);
}

#[test]
fn messages_name_the_value_and_the_type() {
    let report = lint("tests/fixtures/lint/v1.0");
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(messages.contains(&"`litres` is the string `two`; its type is Int32"));
    assert!(messages.contains(
        &"`boiledDateTime` is `2021-03-04`: a timestamp needs a time and an offset, not only a date"
    ));
    assert!(messages.contains(&"`tags[1]` is null inside a collection"));
    assert!(messages.contains(&"property `Litres` is spelled `litres` in `kettle`"));
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("the example names path parameter `{pot-id}`"))
    );
}

#[test]
fn rendering_is_rustc_like_with_the_code() {
    let report = lint("tests/fixtures/lint/v1.0");
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/v1.0/api/kettle-get.md"),
    )
    .unwrap();
    let first = &report.diagnostics[1];
    let rendered = first.render(Some(&source));
    assert!(rendered.starts_with("warning[L0002]: "), "{rendered}");
    assert!(rendered.contains("api/kettle-get.md:69:3"), "{rendered}");
    assert!(rendered.contains("\"litres\": \"two\""), "{rendered}");
}

#[test]
fn the_2021_docs_lint_without_a_panic() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs-2021");
    if !docs.is_dir() {
        println!("skipped: {} is absent", docs.display());
        return;
    }
    let report = lint::lint_tree(&docs).expect("the corpus reads");
    assert!(report.pages > 11_000, "{} pages", report.pages);
    assert_eq!(
        report.count(Severity::Error),
        0,
        "a page stopped the parser: {:?}",
        report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    );
    // Every code the lint knows occurs in the real docs.
    for code in Code::ALL
        .iter()
        .filter(|code| code.as_str().starts_with('L'))
    {
        assert!(report.by_code().contains_key(code), "{code} never occurs");
    }
}
