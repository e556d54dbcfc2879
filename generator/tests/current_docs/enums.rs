//! Kind 5: enum tables inside resource pages; kind 6: prose value lists in their real forms;
//! kind 10: evolvable enums.

use graph_codegen::model::{Enum, FieldType};
use graph_codegen::page::facts::read_facts;

use super::*;

fn enum_named<'a>(api: &'a Api, rust_name: &str) -> &'a Enum {
    api.enums
        .iter()
        .find(|def| def.rust_name == rust_name)
        .unwrap_or_else(|| {
            let all: Vec<&str> = api.enums.iter().map(|def| def.rust_name.as_str()).collect();
            panic!("no enum {rust_name} among {all:?}")
        })
}

fn members(def: &Enum) -> Vec<&str> {
    def.members
        .iter()
        .map(|member| member.json_value.as_str())
        .collect()
}

fn field_type<'a>(api: &'a Api, model: &str, json_name: &str) -> &'a FieldType {
    let model = api
        .models
        .iter()
        .find(|candidate| candidate.rust_name == model)
        .unwrap_or_else(|| panic!("no model {model}"));
    &model
        .fields
        .iter()
        .find(|field| field.json_name == json_name)
        .unwrap_or_else(|| panic!("no field {json_name}"))
        .field_type
}

fn is_enum(field_type: &FieldType, rust_name: &str) -> bool {
    matches!(field_type, FieldType::Enum { path } if path.name == rust_name)
}

// ---------------------------------------------------------------------------------------
// Kind 6: prose lists

#[test]
fn prose_lists_in_their_real_forms() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "The finish. Possible values are: `matte `, ` gloss`, `satin`.",
            &["matte", "gloss", "satin"],
        ),
        (
            "Possible values are `light` and `dark`.",
            &["light", "dark"],
        ),
        (
            "Possible values are `on` or `paused`. <br><br>Returned by default. Supports `$filter` (`eq`).",
            &["on", "paused"],
        ),
        (
            "Possible values are `red`, `green` and `blue`.",
            &["red", "green", "blue"],
        ),
        (
            "Who may use it. The possible values are:<br/>`owner` - only whoever made it.<br/>`everyone` - anyone in the workshop.",
            &["owner", "everyone"],
        ),
        (
            "Possible values are: `null` (default), `kept`, and `lent` (to another workshop).",
            &["kept", "lent"],
        ),
        // Prose, not a list: no values.
        ("Possible values are `a` unless the widget is `b`.", &[]),
    ];
    for (description, expected) in cases {
        assert_eq!(
            read_facts(description).possible_values,
            expected,
            "{description}"
        );
    }
}

#[test]
fn a_prose_list_defines_an_enum_with_a_short_name() {
    let widget = resource_page(
        "widget",
        "|id|String|The identifier.|\n|shade|[widgetShade](../resources/widgetshade.md)|How it looks. Possible values are `light` and `dark`.|\n|source|[microsoft.graph.workshop.widgetSource](../resources/enums-workshop.md#widgetsource-values)|Where it came from. The possible values are: `bought`, `made `, `unknownFutureValue`.|",
    );
    let generation = generate(
        "prose_list_enum",
        &[("v1.0/resources/widget.md", widget.as_str())],
    );
    let api = api(&generation);
    assert_eq!(members(enum_named(api, "WidgetShade")), ["light", "dark"]);
    assert!(is_enum(field_type(api, "Widget", "shade"), "WidgetShade"));
    // Named in its own namespace, not `MicrosoftGraphWorkshopWidgetSource`.
    let source = enum_named(api, "WidgetSource");
    assert_eq!(members(source), ["bought", "made", "unknownFutureValue"]);
    assert!(is_enum(field_type(api, "Widget", "source"), "WidgetSource"));
}

// ---------------------------------------------------------------------------------------
// Kind 5: tables in resource pages

const TABULATED: &str = "---
title: \"widget resource type\"
doc_type: resourcePageType
---

# widget resource type

Namespace: microsoft.graph

A thing kept in a workshop.

## Properties

|Property|Type|Description|
|:---|:---|:---|
|id|String|The identifier.|
|shade|String|How it looks. Possible values are `Light`, `dark`. See [shade values](#shade-values).|
|finish|[finish](#finish-values)|Its surface.|
|tags|String collection|Labels on it.|

### shade values

| Member | Description |
|:---|:---|
| light | Pale enough to read by. |
| dark | Hides the dust. |

## Finishes

#### finish values

|Member|Description|
|:---|:---|
|matte|No shine.|
|gloss|Shines.|
";

const UPDATE: &str = "---
title: \"Update widget\"
doc_type: apiPageType
---

# Update widget

Namespace: microsoft.graph

Change a widget.

## HTTP request

```http
PATCH /widgets/{id}
```

## Request body

|Property|Type|Description|
|:---|:---|:---|
|finish|[finish](../resources/widget.md#finish-values)|The new surface.|

## Response

If successful, this method returns a `204 No Content` response code.
";

#[test]
fn value_tables_in_a_resource_page_define_its_enums() {
    let generation = generate(
        "tabulated_enums",
        &[
            ("v1.0/resources/widget.md", TABULATED),
            ("v1.0/api/widget-update.md", UPDATE),
        ],
    );
    let api = api(&generation);
    let shade = enum_named(api, "Shade");
    assert_eq!(members(shade), ["light", "dark"], "the table's spelling");
    assert_eq!(shade.members[0].docs, ["Pale enough to read by."]);
    assert!(!shade.inferred);
    assert!(
        is_enum(field_type(api, "Widget", "shade"), "Shade"),
        "a `String` property whose values its page tabulates"
    );
    let finish = enum_named(api, "Finish");
    assert_eq!(members(finish), ["matte", "gloss"]);
    assert!(is_enum(field_type(api, "Widget", "finish"), "Finish"));
    let graph_codegen::model::Body::Model { path } = &operation(api, "PATCH", "/widgets/{id}").body
    else {
        panic!("the update takes its table")
    };
    assert!(
        is_enum(field_type(api, &path.name, "finish"), "Finish"),
        "a link to `widget.md#finish-values` is the table, not the widget"
    );
    assert!(matches!(
        field_type(api, "Widget", "tags"),
        FieldType::Collection { .. }
    ));
    // The prose spells `Light`: the table wins, and the difference is said.
    let mismatch = generation
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code == Code::EnumMismatch)
        .unwrap_or_else(|| panic!("{}", listed(&generation.diagnostics)));
    assert_eq!(
        (mismatch.file.as_str(), mismatch.line),
        ("v1.0/resources/widget.md", 17)
    );
    assert!(
        mismatch
            .message
            .contains("Light (the table writes `light`)"),
        "{}",
        mismatch.message
    );
}

#[test]
fn a_value_table_named_like_another_type_is_named_after_its_resource() {
    let shade_page = "---\ntitle: \"shade resource type\"\ndoc_type: resourcePageType\n---\n\n# shade resource type\n\nNamespace: microsoft.graph\n\nA lampshade.\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|height|Int32|How tall.|\n";
    let generation = generate(
        "tabulated_enum_clash",
        &[
            ("v1.0/resources/widget.md", TABULATED),
            ("v1.0/resources/shade.md", shade_page),
        ],
    );
    let api = api(&generation);
    assert_eq!(members(enum_named(api, "WidgetShade")), ["light", "dark"]);
    assert!(is_enum(field_type(api, "Widget", "shade"), "WidgetShade"));
    assert!(api.models.iter().any(|model| model.rust_name == "Shade"));
}

// ---------------------------------------------------------------------------------------
// Kind 10: evolvable enums

const FINISH_ENUM: &str = "---
title: \"finish enum type\"
doc_type: enumPageType
---

# finish enum type

Namespace: microsoft.graph

How a surface is treated.

## Members

|Member|Description|
|:---|:---|
|matte|No shine.|
|gloss|Shines.|
|unknownFutureValue|Evolvable enumeration sentinel value. Do not use.|
|satin|Added later: a soft shine.|
";

#[test]
fn an_enum_ending_in_unknown_future_value_is_evolvable_and_its_calls_can_ask_for_more() {
    let widget = resource_page(
        "widget",
        "|id|String|The identifier.|\n|finish|[finish](finish.md)|Its surface.|",
    );
    let get = "---\ntitle: \"Get widget\"\ndoc_type: apiPageType\n---\n\n# Get widget\n\nRead one widget.\n\n## HTTP request\n\n```http\nGET /widgets/{id}\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n";
    let generation = generate(
        "evolvable",
        &[
            ("v1.0/resources/finish.md", FINISH_ENUM),
            ("v1.0/resources/widget.md", widget.as_str()),
            ("v1.0/api/widget-get.md", get),
        ],
    );
    let api = api(&generation);
    let finish = enum_named(api, "Finish");
    assert!(finish.evolvable);
    assert_eq!(finish.newer_members, ["satin"]);
    let widget = api
        .models
        .iter()
        .find(|model| model.rust_name == "Widget")
        .unwrap();
    assert!(widget.carries_evolvable_enums);
    let types = emitted(&generation, "src/v1_0/common.rs");
    assert!(
        types.contains(
            "impl ::graph_runtime::EvolvableEnum for Finish {\n    const NEWER_MEMBERS: &'static [&'static str] = &[\"satin\"];\n}"
        ),
        "{types}"
    );
    assert!(types.contains("impl ::graph_runtime::CarriesEvolvableEnums for Widget {}"));
    let requests = unwrapped_docs(emitted(&generation, "src/v1_0/requests.rs"));
    assert!(
        requests.contains("`.include_unknown_enum_members()` asks for their members newer than `unknownFutureValue`."),
        "{requests}"
    );
}
