//! Kind 2: request bodies described in words; kind 3: a body table told apart from a
//! permissions table by its section.

use graph_codegen::model::{Body, FieldType, ModelRole};
use graph_codegen::page::PermissionType;

use super::*;

/// A method page: front matter, title, `sections` (markdown after the summary).
fn method_page(title: &str, sections: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\nDoes something to a widget.\n\n{sections}"
    )
}

fn widget_tree<'a>(pages: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    let mut files: Vec<(&str, &str)> = pages
        .iter()
        .map(|(path, page)| (*path, page.as_str()))
        .collect();
    files.push(("v1.0/resources/widget.md", WIDGET));
    files.push(("v1.0/resources/gadget.md", GADGET));
    files
}

const WIDGET: &str = "---
title: \"widget resource type\"
doc_type: resourcePageType
---

# widget resource type

Namespace: microsoft.graph

A thing kept in a workshop.

## Properties

|Property|Type|Description|
|:---|:---|:---|
|id|String|The identifier. Read-only.|
|displayName|String|The name on its label.|
";

const GADGET: &str = "---
title: \"gadget resource type\"
doc_type: resourcePageType
---

# gadget resource type

Namespace: microsoft.graph

A smaller thing.

## Properties

|Property|Type|Description|
|:---|:---|:---|
|size|Int32|How big it is.|
";

fn body_of(generation: &Generation, method: &str, template: &str) -> Body {
    operation(api(generation), method, template).body.clone()
}

fn model_named(name: &str) -> impl Fn(&Body) -> bool + '_ {
    move |body| matches!(body, Body::Model { path } if path.name == name)
}

#[test]
fn an_update_described_in_words_takes_the_resource_its_page_is_about() {
    let pages = [(
        "v1.0/api/widget-update.md",
        method_page(
            "Update widget",
            "## HTTP request\n\n```http\nPATCH /widgets/{id}\n```\n\n## Request body\n\nIn the request body, supply the values for the properties to change. Properties left out keep their values.\n\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("prose_update", &widget_tree(&pages));
    let body = body_of(&generation, "PATCH", "/widgets/{id}");
    assert!(model_named("Widget")(&body), "{body:?}");
    assert!(found(&generation, Code::BodyUntyped).is_empty());
}

#[test]
fn an_action_described_in_words_takes_the_resource_its_prose_links() {
    let pages = [(
        "v1.0/api/widget-attach.md",
        method_page(
            "widget: attach",
            "## HTTP request\n\n```http\nPOST /widgets/{id}/attach\n```\n\n## Request body\n\nIn the request body, supply a JSON representation of the [gadget](../resources/gadget.md) to attach.\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("prose_action_linked", &widget_tree(&pages));
    let body = body_of(&generation, "POST", "/widgets/{id}/attach");
    assert!(model_named("Gadget")(&body), "{body:?}");
}

#[test]
fn an_action_whose_words_name_no_type_takes_json_and_says_so_once() {
    let pages = [(
        "v1.0/api/widget-polish.md",
        method_page(
            "widget: polish",
            "## HTTP request\n\n```http\nPOST /widgets/{id}/polish\nPOST /workshop/widgets/{id}/polish\n```\n\n## Request body\n\nIn the request body, say how shiny the widget should become.\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("prose_action_json", &widget_tree(&pages));
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/polish"),
        Body::Json
    );
    assert_eq!(
        body_of(&generation, "POST", "/workshop/widgets/{id}/polish"),
        Body::Json
    );
    assert_eq!(
        found(&generation, Code::BodyUntyped),
        [("v1.0/api/widget-polish.md".to_string(), 19)],
        "once, at the Request body heading"
    );
}

#[test]
fn no_body_when_the_page_says_so_or_says_and_shows_nothing() {
    let pages = [
        (
            "v1.0/api/widget-rest.md",
            method_page(
                "widget: rest",
                "## HTTP request\n\n```http\nPOST /widgets/{id}/rest\n```\n\n## Request body\n\nThis method does not require a request body.\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
            ),
        ),
        (
            "v1.0/api/widget-nap.md",
            method_page(
                "widget: nap",
                "## HTTP request\n\n```http\nPOST /widgets/{id}/nap\n```\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
            ),
        ),
    ];
    let generation = generate("prose_no_body", &widget_tree(&pages));
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/rest"),
        Body::None
    );
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/nap"),
        Body::None
    );
}

#[test]
fn a_body_shown_only_in_the_example_is_sent() {
    let pages = [(
        "v1.0/api/widget-stamp.md",
        method_page(
            "widget: stamp",
            "## HTTP request\n\n```http\nPOST /widgets/{id}/stamp\n```\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n\n## Example\n\n### Request\n\n```http\nPOST https://graph.microsoft.com/v1.0/widgets/w1/stamp\nContent-Type: application/json\n\n{\n  \"ink\": \"blue\"\n}\n```\n\n### Response\n\n```http\nHTTP/1.1 204 No Content\n```\n",
        ),
    )];
    let generation = generate("example_only_body", &widget_tree(&pages));
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/stamp"),
        Body::Json
    );
}

#[test]
fn a_body_table_starting_with_permission_type_is_the_body_not_permissions() {
    let pages = [(
        "v1.0/api/widget-grant.md",
        method_page(
            "widget: grant",
            "## Permissions\n\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|Widget.ReadWrite|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|Widget.ReadWrite.All|\n\n## HTTP request\n\n```http\nPOST /widgets/{id}/grant\n```\n\n## Request body\n\n|Permission type|Type|Description|\n|:---|:---|:---|\n|delegated|Boolean|Whether a signed-in user may use the widget.|\n|application|Boolean|Whether an app may use the widget alone.|\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("body_table_permission_type", &widget_tree(&pages));
    let grant = operation(api(&generation), "POST", "/widgets/{id}/grant");
    let kinds: Vec<&PermissionType> = grant
        .permissions
        .iter()
        .map(|permission| &permission.permission_type)
        .collect();
    assert_eq!(
        kinds,
        [
            &PermissionType::DelegatedWorkOrSchool,
            &PermissionType::DelegatedPersonal,
            &PermissionType::Application
        ],
        "only the Permissions section's rows"
    );
    let Body::Model { path } = &grant.body else {
        panic!("a typed body: {:?}", grant.body)
    };
    let model = api(&generation)
        .models
        .iter()
        .find(|model| model.rust_name == path.name)
        .unwrap();
    assert_eq!(model.role, ModelRole::Body);
    let fields: Vec<(&str, &FieldType)> = model
        .fields
        .iter()
        .map(|field| (field.json_name.as_str(), &field.field_type))
        .collect();
    let boolean = FieldType::Primitive {
        primitive: graph_codegen::model::Primitive::Boolean,
    };
    assert_eq!(fields, [("delegated", &boolean), ("application", &boolean)]);
}

#[test]
fn a_request_body_nested_under_the_http_request_heading_is_read() {
    let pages = [(
        "v1.0/api/widget-label.md",
        method_page(
            "widget: label",
            "## HTTP request\n\n```http\nPOST /widgets/{id}/label\n```\n\n### Request body\n\n|Name|Type|Description|\n|:---|:---|:---|\n|text|String|What the label says.|\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("nested_body_heading", &widget_tree(&pages));
    let label = operation(api(&generation), "POST", "/widgets/{id}/label");
    let Body::Model { path } = &label.body else {
        panic!("a typed body: {:?}", label.body)
    };
    let model = api(&generation)
        .models
        .iter()
        .find(|model| model.rust_name == path.name)
        .unwrap();
    assert_eq!(model.fields[0].json_name, "text");
}

#[test]
fn a_name_value_body_table_is_read_when_its_values_are_types() {
    let pages = [
        (
            "v1.0/api/widget-clone.md",
            method_page(
                "widget: clone",
                "## HTTP request\n\n```http\nPOST /widgets/{id}/clone\n```\n\n## Request body\n\n| Name | Value | Description |\n|:---|:---|:---|\n| target | [gadget](../resources/gadget.md) | Where the copy goes. |\n| name | string | The copy's name. |\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
            ),
        ),
        (
            "v1.0/api/widget-tag.md",
            method_page(
                "widget: tag",
                "## HTTP request\n\n```http\nPOST /widgets/{id}/tag\n```\n\n## Request body\n\n| Name | Value | Description |\n|:---|:---|:---|\n| @odata.type | microsoft.graph.tag | Always this. |\n| label | %your_label% | Any text. |\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
            ),
        ),
    ];
    let generation = generate("name_value_body", &widget_tree(&pages));
    let api = api(&generation);
    let Body::Model { path } = &operation(api, "POST", "/widgets/{id}/clone").body else {
        panic!("the table's types make the body")
    };
    let model = api
        .models
        .iter()
        .find(|model| model.rust_name == path.name)
        .unwrap();
    let names: Vec<&str> = model
        .fields
        .iter()
        .map(|field| field.json_name.as_str())
        .collect();
    assert_eq!(names, ["target", "name"]);
    // Example values, not types: said, and the call takes JSON.
    assert_eq!(
        found(&generation, Code::RowUnknownTable),
        [("v1.0/api/widget-tag.md".to_string(), 20)]
    );
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/tag"),
        Body::Json
    );
}

#[test]
fn a_body_the_page_calls_optional_can_still_be_sent() {
    let pages = [(
        "v1.0/api/widget-open.md",
        method_page(
            "widget: open",
            "## HTTP request\n\n```http\nPOST /widgets/{id}/open\n```\n\n## Request body\n\nNo request body is required. However, you can say how wide to open it.\n\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
        ),
    )];
    let generation = generate("optional_body", &widget_tree(&pages));
    assert_eq!(
        body_of(&generation, "POST", "/widgets/{id}/open"),
        Body::Json
    );
}
