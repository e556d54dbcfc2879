//! Kind 11: areas from today's front matter (`ms.subservice`) and the file-name family.

use super::*;

fn page(front_matter: &str, title: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n{front_matter}---\n\n# {title}\n\nNamespace: microsoft.graph\n\nA page written for this test.\n\n{body}"
    )
}

const PROPERTIES: &str =
    "## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|The identifier.|\n";

fn area_of<'a>(api: &'a Api, rust_name: &str) -> &'a str {
    &api.models
        .iter()
        .find(|model| model.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no model {rust_name}"))
        .area
}

#[test]
fn today_s_subservice_places_types_where_the_2021_product_did() {
    let widget = page(
        "ms.subservice: \"entra-users\"\ndoc_type: resourcePageType\n",
        "widget resource type",
        PROPERTIES,
    );
    let drawer = page(
        "ms.subservice: onedrive\ndoc_type: resourcePageType\n",
        "drawer resource type",
        PROPERTIES,
    );
    let shelf = page(
        "ms.subservice: \"entra-agent-id\"\ndoc_type: resourcePageType\n",
        "shelf resource type",
        PROPERTIES,
    );
    let bench = page(
        "ms.prod: \"<ms.prod>\"\ndoc_type: resourcePageType\n",
        "bench resource type",
        PROPERTIES,
    );
    // No product or subservice: the page its file-name family names (`widget.md`) decides.
    let update = page(
        "doc_type: apiPageType\n",
        "Update widget",
        "## HTTP request\n\n```http\nPATCH /widgets/{id}\n```\n\n## Request body\n\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|The identifier.|\n\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n",
    );
    let generation = generate(
        "areas",
        &[
            ("v1.0/resources/widget.md", widget.as_str()),
            ("v1.0/resources/drawer.md", drawer.as_str()),
            ("v1.0/resources/shelf.md", shelf.as_str()),
            ("v1.0/resources/bench.md", bench.as_str()),
            ("v1.0/api/widget-update.md", update.as_str()),
        ],
    );
    let api = api(&generation);
    assert_eq!(area_of(api, "Widget"), "users");
    assert_eq!(area_of(api, "Drawer"), "files");
    assert_eq!(area_of(api, "Shelf"), "agent_id");
    assert_eq!(
        area_of(api, "Bench"),
        "common",
        "a placeholder is no product"
    );
    let graph_codegen::model::Body::Model { path } = &operation(api, "PATCH", "/widgets/{id}").body
    else {
        panic!("the update takes its table")
    };
    assert_eq!(path.area, "users", "the family's page decides");
}
