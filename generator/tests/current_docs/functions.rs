//! Kind 4: function arguments missing from the template; kind 7: a required query in the
//! request line.

use graph_codegen::model::{ArgumentValue, PathPart};

use super::*;

fn method_page(title: &str, sections: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\nDoes something with widgets.\n\n{sections}"
    )
}

const WIDGET_ROWS: &str = "|id|String|The identifier.|\n|shelfId|String|The shelf it sits on.|";

fn spares_page(size_description: &str, count_description: &str) -> String {
    method_page(
        "widget: retrieveSpares",
        &format!(
            "## HTTP request\n\n```http\nGET /widgets/retrieveSpares\n```\n\n## Function parameters\n\n|Parameter|Type|Description|\n|:---|:---|:---|\n|size|String|{size_description}|\n|count|Int32|{count_description}|\n\n## Response\n\nIf successful, this function returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.\n\n## Example\n\n### Request\n\n```http\nGET https://graph.microsoft.com/v1.0/widgets/retrieveSpares(size='small',count=3)\n```\n\n### Response\n\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{\n  \"value\": []\n}}\n```\n"
        ),
    )
}

fn function_arguments(operation: &graph_codegen::model::Operation) -> Vec<(String, bool)> {
    match operation.path.last() {
        Some(PathPart::Function { arguments, .. }) => arguments
            .iter()
            .map(|argument| match &argument.value {
                ArgumentValue::Parameter {
                    graph_name, quoted, ..
                } => (graph_name.clone(), *quoted),
                ArgumentValue::Fixed { literal } => (literal.clone(), false),
            })
            .collect(),
        other => panic!("not a function: {other:?}"),
    }
}

#[test]
fn arguments_the_table_documents_and_the_example_passes_complete_the_template() {
    let page = spares_page("Required. The size wanted.", "Required. How many.");
    let widget = resource_page("widget", WIDGET_ROWS);
    let generation = generate(
        "function_arguments",
        &[
            ("v1.0/api/widget-retrievespares.md", page.as_str()),
            ("v1.0/resources/widget.md", widget.as_str()),
        ],
    );
    let api = api(&generation);
    let spares = operation(
        api,
        "GET",
        "/widgets/retrieveSpares(size='{size}',count={count})",
    );
    assert_eq!(
        function_arguments(spares),
        [("size".to_string(), true), ("count".to_string(), false)]
    );
    assert!(
        !api.operations
            .iter()
            .any(|operation| operation.template() == "/widgets/retrieveSpares"),
        "required arguments: no bare call"
    );
    assert_eq!(
        found(&generation, Code::FunctionArguments),
        [("v1.0/api/widget-retrievespares.md".to_string(), 15)]
    );
    let requests = emitted(&generation, "src/v1_0/requests.rs");
    assert!(
        requests.contains("pub fn retrieve_spares(\n        &self,\n        size: &str,\n        count: impl ::graph_runtime::query::ODataLiteral,\n    )"),
        "{requests}"
    );
}

#[test]
fn optional_arguments_keep_the_bare_call_beside_the_one_that_takes_them() {
    let page = spares_page("Optional. The size wanted.", "Optional. How many.");
    let widget = resource_page("widget", WIDGET_ROWS);
    let generation = generate(
        "function_optional_arguments",
        &[
            ("v1.0/api/widget-retrievespares.md", page.as_str()),
            ("v1.0/resources/widget.md", widget.as_str()),
        ],
    );
    let api = api(&generation);
    assert_eq!(
        operation(api, "GET", "/widgets/retrieveSpares").rust_name,
        "retrieve_spares"
    );
    assert_eq!(
        operation(
            api,
            "GET",
            "/widgets/retrieveSpares(size='{size}',count={count})"
        )
        .rust_name,
        "retrieve_spares_with_size_and_count"
    );
}

#[test]
fn a_required_filter_in_the_request_line_is_an_argument_of_the_call() {
    let page = method_page(
        "List widgets on a shelf",
        "## HTTP request\n\n```http\nGET /widgets?$filter=shelfId eq '{shelfId}'\n```\n\n## Optional query parameters\n\nThis method supports the `$select` and `$top` OData query parameters. The `$filter` query parameter on **shelfId** is required.\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.\n",
    );
    let widget = resource_page("widget", WIDGET_ROWS);
    let generation = generate(
        "required_filter",
        &[
            ("v1.0/api/widget-list.md", page.as_str()),
            ("v1.0/resources/widget.md", widget.as_str()),
        ],
    );
    let api = api(&generation);
    let list = operation(api, "GET", "/widgets?$filter=shelfId eq '{shelfId}'");
    assert_eq!(list.query.len(), 1);
    assert_eq!(
        list.query[0].parameters,
        [("shelfId".to_string(), "shelf_id".to_string())]
    );
    let requests = emitted(&generation, "src/v1_0/requests.rs");
    assert!(
        requests.contains("pub fn list(\n        &self,\n        shelf_id: &str,\n    )"),
        "{requests}"
    );
    assert!(
        requests.contains(
            "\"shelfId eq {}\",\n                    ::graph_runtime::query::ODataLiteral::odata_literal(shelf_id)"
        ),
        "{requests}"
    );
}

#[test]
fn a_filter_in_the_request_line_the_page_does_not_require_stays_an_option() {
    let page = method_page(
        "List widgets",
        "## HTTP request\n\n```http\nGET /widgets?$filter=shelfId eq '{shelfId}'\n```\n\n## Optional query parameters\n\nThis method supports the `$filter` OData query parameter.\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.\n",
    );
    let widget = resource_page("widget", WIDGET_ROWS);
    let generation = generate(
        "optional_filter",
        &[
            ("v1.0/api/widget-list.md", page.as_str()),
            ("v1.0/resources/widget.md", widget.as_str()),
        ],
    );
    let list = operation(api(&generation), "GET", "/widgets");
    assert!(list.query.is_empty());
    assert_eq!(list.query_options, ["$filter"]);
}
