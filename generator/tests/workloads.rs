//! Workload features (model/workloads.rs): which workload compiles each endpoint and type, on
//! a fixture built like the real docs' problem cases (tests/fixtures/workloads: a message body
//! whose page is filed under Excel, a group's members typed by their base, a drive item's
//! workbook) and on the whole 2021 corpus when it is present.

#[path = "support/corpus_2021.rs"]
mod corpus_2021;

use std::collections::BTreeMap;
use std::path::Path;

use graph_codegen::emit::EmitOptions;
use graph_codegen::model::{Api, TypePath, Workload};

fn generate(specs: &Path) -> graph_codegen::Generation {
    let options = EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    };
    graph_codegen::generate(specs, &options).expect("the specs generate")
}

fn fixture() -> Api {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workloads/v1.0");
    generate(&specs).apis.remove(0)
}

/// The names of the workloads that compile the type `name`.
fn workloads_of(api: &Api, name: &str) -> Vec<&'static str> {
    let (_, set) = api
        .type_workloads
        .iter()
        .find(|(path, _)| path.name == name)
        .unwrap_or_else(|| panic!("no type {name}"));
    set.iter().map(Workload::name).collect()
}

#[test]
fn endpoints_take_the_workload_of_their_path() {
    let api = fixture();
    let by_template: BTreeMap<String, &str> = api
        .operations
        .iter()
        .map(|operation| {
            (
                format!("{} {}", operation.method.as_str(), operation.template()),
                operation.workload().name(),
            )
        })
        .collect();
    // A call the pages write both as `/me/…` and `/users/{id}/…` is one call, kept as the
    // latter (`client.me()` reaches it).
    let expected = [
        ("GET /users/{id}", "users"),
        ("GET /users/{id}/messages", "mail"),
        ("POST /users/{id}/sendMail", "mail"),
        ("GET /groups/{id}/members", "groups"),
        ("GET /me/drive", "files"),
        ("GET /me/drive/items/{item-id}", "files"),
        ("GET /me/drive/items/{id}/workbook/worksheets", "workbooks"),
        ("GET /subscriptions/{id}", "subscriptions"),
    ];
    for (endpoint, workload) in expected {
        assert_eq!(
            by_template.get(endpoint),
            Some(&workload),
            "{endpoint}: {by_template:#?}"
        );
    }
}

#[test]
fn types_are_compiled_with_every_workload_that_reaches_them() {
    let api = fixture();
    // `itemBody`'s page says `ms.prod: excel`: mail reaches it through a message's body
    // (and users and groups through their navigation to messages).
    assert_eq!(workloads_of(&api, "ItemBody"), ["users", "groups", "mail"]);
    assert_eq!(workloads_of(&api, "BodyType"), ["users", "groups", "mail"]);
    // A group's members are `directoryObject`s: the `AnyDirectoryObject` enum and every type
    // derived from the base come with `groups`.
    assert!(workloads_of(&api, "AnyDirectoryObject").contains(&"groups"));
    assert!(workloads_of(&api, "User").contains(&"groups"));
    // A workbook is reached from files (a drive item's navigation) and from workbooks.
    assert_eq!(
        workloads_of(&api, "WorkbookWorksheet"),
        ["users", "groups", "files", "workbooks"]
    );
    // The body of an action is its endpoint's alone.
    assert_eq!(workloads_of(&api, "SendMailRequest"), ["mail"]);
    // No endpoint returns a change notification: it goes with the workloads of its area's
    // endpoints (the subscription pages), and so does what it names.
    assert_eq!(workloads_of(&api, "ChangeNotification"), ["subscriptions"]);
    assert_eq!(workloads_of(&api, "ResourceData"), ["subscriptions"]);
}

/// The property closure every workload keeps: a type (or endpoint) compiled with a workload
/// names only types compiled with it too. Otherwise that workload alone would leave a
/// property without its type.
fn assert_closed(api: &Api) {
    let missing = api.missing_types();
    assert!(
        missing.is_empty(),
        "{} {}: {} cases, first {:?}",
        api.version,
        missing.len(),
        missing.len(),
        missing.iter().take(5).collect::<Vec<_>>()
    );
    let unplaced: Vec<&TypePath> = api
        .type_workloads
        .iter()
        .filter(|(_, set)| set.is_empty())
        .map(|(path, _)| path)
        .collect();
    assert!(
        unplaced.is_empty(),
        "types no workload compiles: {unplaced:?}"
    );
    let defined = api.models.len()
        + api.enums.len()
        + api.polymorphic.len()
        + api.selectors.len()
        + api.query_sets.len();
    assert_eq!(
        api.type_workloads.iter().count(),
        defined,
        "every type has its set"
    );
}

#[test]
fn no_workload_leaves_a_property_of_the_fixture_untyped() {
    assert_closed(&fixture());
}

#[test]
fn no_workload_leaves_a_property_of_the_2021_docs_untyped() {
    let Some(apis) = corpus_2021::resolved() else {
        return;
    };
    for api in &apis {
        assert_closed(api);
        // Only the docs' typos are left to `other` (`/~/…`, `/beta/…`).
        let other: Vec<String> = api
            .operations
            .iter()
            .filter(|operation| operation.workload() == Workload::Other)
            .map(|operation| operation.template())
            .collect();
        assert!(
            other
                .iter()
                .all(|template| template.starts_with("/~/") || template.starts_with("/beta/")),
            "{}: endpoints no workload places: {other:#?}",
            api.version
        );
    }
}

#[test]
fn the_readme_documents_every_workload() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("the README is readable");
    for workload in Workload::ALL {
        let row = format!("\n| `{}` | ", workload.name());
        assert!(
            readme.contains(&row),
            "README has no row for `{}`",
            workload.name()
        );
    }
}
