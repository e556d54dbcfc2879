//! Beyond the eleven kinds: `$filter` operators listed per property, offered per property.

use graph_codegen::page::facts::read_facts;

use super::*;

#[test]
fn the_operators_a_description_lists_are_read() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "The name. Supports `$filter` (`eq`, `ne`, `NOT`, `ge`, `le`, `in`, `startsWith`, and `eq` on `null` values).",
            &["eq", "ne", "not", "ge", "le", "in", "startswith", "null"],
        ),
        ("Supports `$filter` (`eq` and `NOT`).", &["eq", "not"]),
        ("Supports `$filter` (`eq` only).", &["eq"]),
        (
            "Supports `$filter` (`eq`, `not`, `ge`, `le`, `startsWith`, `/$count eq 0`, `/$count ne 0`).",
            &["eq", "not", "ge", "le", "startswith"],
        ),
        ("Supports `$filter` and `$orderby`.", &[]),
    ];
    for (description, expected) in cases {
        let facts = read_facts(description);
        assert_eq!(facts.filter_operators, expected, "{description}");
        assert!(facts.supports.iter().any(|option| option == "$filter"));
    }
}

#[test]
fn each_filterable_property_offers_only_its_listed_operators() {
    let widget = resource_page(
        "widget",
        "|id|String|The identifier. Supports `$filter` (`eq`, `in`).|\n|displayName|String|Its name. Supports `$filter` (`eq`, `ne`, `NOT`, `startsWith`, and `eq` on `null` values).|\n|tags|String collection|Labels. Supports `$filter` (`eq`).|\n|size|Int32|How big. Supports `$filter`.|\n|owner|[identity](identity.md)|Who owns it. Supports `$filter` (`eq`).|",
    );
    let identity = resource_page("identity", "|name|String|A name.|");
    let list = "---\ntitle: \"List widgets\"\ndoc_type: apiPageType\n---\n\n# List widgets\n\nEvery widget.\n\n## HTTP request\n\n```http\nGET /widgets\n```\n\n## Optional query parameters\n\nThis method supports the `$filter` OData query parameter.\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.\n";
    let generation = generate(
        "filter_operators",
        &[
            ("v1.0/resources/widget.md", widget.as_str()),
            ("v1.0/resources/identity.md", identity.as_str()),
            ("v1.0/api/widget-list.md", list),
        ],
    );
    let api = api(&generation);
    let selector = api
        .selectors
        .iter()
        .find(|selector| selector.rust_name == "WidgetFilter")
        .expect("a filter selector");
    let properties: Vec<(&str, &[String], bool)> = selector
        .filter_properties
        .iter()
        .map(|property| {
            (
                property.rust_name.as_str(),
                property.operators.as_slice(),
                property.collection,
            )
        })
        .collect();
    let strings = |items: &[&str]| {
        items
            .iter()
            .map(|item| item.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        properties,
        [
            ("id", strings(&["eq", "in"]).as_slice(), false),
            (
                "display_name",
                strings(&["eq", "ne", "not", "startswith", "null"]).as_slice(),
                false
            ),
            ("tags", strings(&["eq"]).as_slice(), true),
            ("size", strings(&[]).as_slice(), false),
        ],
        "`owner` is an object: its sub-properties are for `filter_raw`"
    );
    let types = emitted(&generation, "src/v1_0/common.rs");
    let flat: String = types.split_whitespace().collect::<Vec<_>>().join(" ");
    let ops = "::graph_runtime::query::ops::";
    assert!(
        flat.contains(&format!(
            "pub const fn id() -> ::graph_runtime::query::FilterProperty< {ops}Ops< {ops}Eq, {ops}No, {ops}No, {ops}No, {ops}No, {ops}No, {ops}In, {ops}No, {ops}No, {ops}No, {ops}No, >, > {{ ::graph_runtime::query::FilterProperty::new(\"id\") }}"
        )),
        "{types}"
    );
    assert!(flat.contains(
        "pub const fn tags() -> ::graph_runtime::query::FilterProperty< ::graph_runtime::query::ops::Ops<"
    ));
    assert!(flat.contains("::graph_runtime::query::FilterProperty::collection(\"tags\")"));
    assert!(flat.contains(
        "pub const fn size() -> ::graph_runtime::query::FilterProperty< ::graph_runtime::query::ops::AnyOperator, >"
    ));
    assert!(
        !flat.contains("AllOperators for WidgetFilter"),
        "listed operators: `query::field` does not offer every one"
    );
}
