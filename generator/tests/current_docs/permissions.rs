//! Kind 1: permissions kept in include files; kind 3: tables told apart by their section.

use graph_codegen::diagnostics::Code;
use graph_codegen::page::PermissionType;

use super::*;

/// A method page whose permissions are an include, as today's pages write it.
fn page_with_include(include: &str) -> String {
    format!(
        "---\ntitle: \"Get widget\"\nms.subservice: \"workshop\"\ndoc_type: apiPageType\n---\n\n# Get widget\n\nNamespace: microsoft.graph\n\nRead one widget from the workshop.\n\n## Permissions\n\nPick the least privileged permission below.\n\n<!-- {{ \"blockType\": \"permissions\", \"name\": \"widget_get\" }} -->\n[!INCLUDE [permissions-table](../includes/permissions/{include})]\n\n## HTTP request\n\n```http\nGET /widgets/{{id}}\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n"
    )
}

const INCLUDE: &str = "---
description: \"Written for these tests\"
ms.topic: include
---

|Permission type|Least privileged permissions|Higher privileged permissions|
|:---|:---|:---|
|Delegated (work or school account)|Widget.Read|Widget.ReadWrite, Workshop.Read.All|
|Delegated (personal Microsoft account)|Not supported.|Not supported.|
|Application|Widget.Read.All, Widget.Read.Owned|Not available.|
";

#[test]
fn an_include_gives_the_pages_permissions_and_is_not_a_page() {
    let generation = generate(
        "include_found",
        &[
            (
                "v1.0/api/widget-get.md",
                &page_with_include("widget-get-permissions.md"),
            ),
            (
                "v1.0/includes/permissions/widget-get-permissions.md",
                INCLUDE,
            ),
            (
                "v1.0/resources/widget.md",
                &resource_page("widget", "|id|String|The identifier.|"),
            ),
        ],
    );
    assert!(
        generation.diagnostics.is_empty(),
        "{}",
        listed(&generation.diagnostics)
    );
    let get = operation(api(&generation), "GET", "/widgets/{id}");
    let least: Vec<(PermissionType, Vec<&str>)> = get
        .permissions
        .iter()
        .map(|permission| {
            (
                permission.permission_type.clone(),
                permission.least().iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        least,
        [
            (PermissionType::DelegatedWorkOrSchool, vec!["Widget.Read"]),
            (PermissionType::DelegatedPersonal, vec![]),
            (
                PermissionType::Application,
                vec!["Widget.Read.All", "Widget.Read.Owned"]
            ),
        ]
    );
    assert_eq!(
        get.permissions[0].higher(),
        ["Widget.ReadWrite", "Workshop.Read.All"]
    );
    let requests = unwrapped_docs(emitted(&generation, "src/v1_0/requests.rs"));
    assert!(
        requests.contains(
            "/// Least privileged permissions: delegated (work or school account): `Widget.Read` (or, more privileged: `Widget.ReadWrite`, `Workshop.Read.All`); delegated (personal Microsoft account): not supported; application: `Widget.Read.All` or `Widget.Read.Owned`."
        ),
        "{requests}"
    );
}

#[test]
fn a_missing_include_is_one_diagnostic_at_its_line() {
    let generation = generate(
        "include_missing",
        &[
            (
                "v1.0/api/widget-get.md",
                &page_with_include("widget-get-permissions.md"),
            ),
            (
                "v1.0/resources/widget.md",
                &resource_page("widget", "|id|String|The identifier.|"),
            ),
        ],
    );
    assert_eq!(
        found(&generation, Code::IncludeMissing),
        [("v1.0/api/widget-get.md".to_string(), 18)],
        "{}",
        listed(&generation.diagnostics)
    );
    let missing = generation
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code == Code::IncludeMissing)
        .unwrap();
    assert_eq!(missing.column, 1);
    assert!(
        missing
            .message
            .contains("v1.0/includes/permissions/widget-get-permissions.md"),
        "{}",
        missing.message
    );
    let get = operation(api(&generation), "GET", "/widgets/{id}");
    assert!(get.permissions.is_empty());
    assert!(unwrapped_docs(emitted(&generation, "src/v1_0/requests.rs")).contains(
        "/// Permissions: the docs keep them in `../includes/permissions/widget-get-permissions.md`, which is not in the specs tree."
    ));
}

#[test]
fn an_include_without_a_table_is_reported_and_never_counted_as_a_page() {
    let root = specs_tree(
        "include_without_table",
        &[
            (
                "v1.0/api/widget-get.md",
                &page_with_include("widget-get-permissions.md"),
            ),
            (
                "v1.0/includes/permissions/widget-get-permissions.md",
                "---\nms.topic: include\n---\n\nAsk your administrator.\n",
            ),
            (
                "v1.0/resources/widget.md",
                &resource_page("widget", "|id|String|The identifier.|"),
            ),
        ],
    );
    let files = graph_codegen::read_specs(&root).unwrap();
    let results = graph_codegen::parse_files(&files);
    let report = graph_codegen::corpus::CorpusReport::new(&results, &[]);
    assert_eq!((report.pages, report.includes), (2, 1));
    assert_eq!(report.includes_with_permissions, 0);
    assert_eq!(
        report.kinds.values().sum::<usize>(),
        2,
        "{:?}",
        report.kinds
    );
    let include_findings: Vec<&str> = results
        .iter()
        .flat_map(|result| &result.diagnostics)
        .filter(|diagnostic| diagnostic.file.contains("/includes/"))
        .map(|diagnostic| diagnostic.code.as_str())
        .collect();
    assert_eq!(include_findings, ["P0060"]);
}
