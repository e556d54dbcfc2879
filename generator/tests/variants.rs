//! The spelling and layout variants the real Graph docs use (see the corpus census), each on a
//! small hand-written page, with the concrete parse result asserted. The pages are written
//! for these tests; none is copied from the docs.

use graph_codegen::diagnostics::Diagnostic;
use graph_codegen::page::{
    self, EnumMember, FunctionArgument, HttpMethod, PageKind, Parameter, ParsedPage,
    PermissionType, Primitive, Property, Segment, TypeRef,
};

const FILE: &str = "beta/api/variant-test.md";

fn parse(source: &str) -> (ParsedPage, Vec<Diagnostic>) {
    page::parse_page(FILE, source)
}

/// `(code, line)` of every diagnostic, after checking each one is located in the file.
fn located(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize)> {
    for diagnostic in diagnostics {
        assert_eq!(diagnostic.file, FILE, "{diagnostic}");
        assert!(
            diagnostic.line >= 1 && diagnostic.column >= 1,
            "{diagnostic}"
        );
    }
    diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.code.as_str(), diagnostic.line))
        .collect()
}

fn primitive(primitive: Primitive) -> TypeRef {
    TypeRef::Primitive { primitive }
}

fn named(name: &str, target: Option<&str>) -> TypeRef {
    TypeRef::Named {
        name: name.to_string(),
        target: target.map(str::to_string),
    }
}

fn collection(item: TypeRef) -> TypeRef {
    TypeRef::Collection {
        item: Box::new(item),
    }
}

fn static_(name: &str) -> Segment {
    Segment::Static {
        name: name.to_string(),
    }
}

fn parameter(name: &str, alternatives: &[&str]) -> Parameter {
    Parameter {
        name: name.to_string(),
        alternatives: alternatives.iter().map(|name| name.to_string()).collect(),
    }
}

fn param(name: &str) -> Segment {
    Segment::Parameter(parameter(name, &[]))
}

fn resource_properties(page: &ParsedPage) -> &[Property] {
    &page.resource.as_ref().expect("a resource page").properties
}

fn by_name<'p>(properties: &'p [Property], name: &str) -> &'p Property {
    properties
        .iter()
        .find(|property| property.name == name)
        .unwrap_or_else(|| panic!("no property `{name}` in {properties:#?}"))
}

fn method_page(request_heading: &str, fence: &str, request: &str) -> String {
    format!(
        "---\ntitle: \"Get widget\"\ndoc_type: apiPageType\n---\n\n# Get widget\n\nRead one widget.\n\n{request_heading}\n\n{fence}\n{request}\n```\n"
    )
}

// ---------------------------------------------------------------------------------------
// Headings and sections

#[test]
fn http_request_heading_in_either_case() {
    for heading in ["## HTTP request", "## HTTP Request", "## http REQUEST"] {
        let (page, diagnostics) = parse(&method_page(heading, "```http", "GET /widgets/{id}"));
        assert_eq!(page.kind, PageKind::Method, "{heading}");
        let requests = page.method.unwrap().requests;
        assert_eq!(requests.len(), 1, "{heading}");
        assert_eq!(requests[0].path.raw, "/widgets/{id}");
        assert_eq!(requests[0].line, 13);
        assert!(diagnostics.is_empty(), "{heading}: {diagnostics:?}");
    }
}

#[test]
fn h3_sections_are_read_like_h2_sections() {
    let source = "\
---
title: widget resource type
doc_type: resourcePageType
---

# widget resource type

A small thing on a shelf.

### Properties

|Property|Type|Description|
|:---|:---|:---|
|id|String|The identifier. Read-only.|

### Relationships

|Relationship|Type|Description|
|:---|:---|:---|
|parts|[part](part.md) collection|The parts the widget is made of.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.kind, PageKind::Resource);
    let resource = page.resource.unwrap();
    assert_eq!(resource.properties.len(), 1);
    assert_eq!(resource.properties[0].name, "id");
    assert_eq!(resource.properties[0].line, 14);
    assert!(resource.properties[0].facts.read_only);
    assert_eq!(resource.relationships.len(), 1);
    assert_eq!(
        resource.relationships[0].type_ref,
        collection(named("part", Some("part.md")))
    );
}

#[test]
fn property_table_headers_in_every_spelling() {
    for first in [
        "Property",
        "Property name",
        "Name",
        "**Property**",
        "Parameter",
    ] {
        let source = format!(
            "\
---
doc_type: resourcePageType
---

# widget resource type

## Properties

|{first}|Type|Description|
|---|---|---|
|color|String|The paint.|
|size|Int32|How big.|
"
        );
        let (page, diagnostics) = parse(&source);
        assert!(diagnostics.is_empty(), "{first}: {diagnostics:?}");
        let properties = resource_properties(&page);
        let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["color", "size"], "{first}");
        assert_eq!(properties[1].type_ref, primitive(Primitive::Int32));
        assert_eq!(properties[1].description, "How big.");
    }
}

#[test]
fn parameter_tables_in_request_body_and_function_parameters() {
    let source = "\
---
doc_type: apiPageType
---

# widget: paint

## HTTP request

```http
POST /widgets/{id}/paint
```

## Function parameters

|Parameter|Type|Description|
|:---|:---|:---|
|shade|String|Which shade.|

## Request body

In the request body, provide a JSON object with the following parameters.

|Parameter|Type|Description|
|:---|:---|:---|
|color|String|The new color. Required.|
|coats|Int32|How many coats. Optional.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let method = page.method.unwrap();
    assert_eq!(method.query_parameters.len(), 1);
    assert_eq!(method.query_parameters[0].name, "shade");
    let body = method.request_body.unwrap();
    assert_eq!(
        body.intro,
        "In the request body, provide a JSON object with the following parameters."
    );
    assert_eq!(body.line, 23);
    assert_eq!(body.properties.len(), 2);
    assert_eq!(body.properties[0].facts.required, Some(true));
    assert_eq!(body.properties[1].facts.required, Some(false));
    assert_eq!(body.properties[1].line, 26);
}

#[test]
fn member_and_value_tables() {
    let source = "\
---
doc_type: enumPageType
---

# widgetShape enum type

## Members

|Member|Value|Description|
|:---|:---|:---|
|round|0|Like a ball.|
|square|1|Like a box.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.kind, PageKind::Enum);
    assert_eq!(page.enums.len(), 1);
    assert_eq!(page.enums[0].name, "widgetShape");
    assert_eq!(page.enums[0].line, 9);
    assert_eq!(
        page.enums[0].members,
        vec![
            EnumMember {
                name: "round".into(),
                value: Some(0),
                description: "Like a ball.".into()
            },
            EnumMember {
                name: "square".into(),
                value: Some(1),
                description: "Like a box.".into()
            },
        ]
    );

    // `|Value|Description|` with no Value number column.
    let source = "\
---
doc_type: enumPageType
---

# widgetFinish enum type

## Members

|Value|Description|
|:---|:---|
|matte|No shine.|
|gloss|Shiny.|
";
    let (page, _) = parse(source);
    let members: Vec<(&str, Option<i64>, &str)> = page.enums[0]
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.value, m.description.as_str()))
        .collect();
    assert_eq!(
        members,
        [("matte", None, "No shine."), ("gloss", None, "Shiny.")]
    );
}

// ---------------------------------------------------------------------------------------
// Table rows

const ROWS_PAGE: &str = "\
---
doc_type: resourcePageType
---

# gadget resource type

## Properties

| Property | Type | Description |
|:---|:---|:---|
leading|String|Row without a leading pipe.|
|trailing|String|Row without a trailing pipe.
bare|Int32|Neither pipe
|short|String|
|long|String|Accepts *.png | *.jpg files.|
|breaks|String|First line.<br>Second line.<br/>Third line.|
|escaped|String|Either `a` \\| `b`.|
|code|String|Written as `x|y` in filters.|
";

#[test]
fn rows_without_outer_pipes_and_with_other_cell_counts() {
    let (page, diagnostics) = parse(ROWS_PAGE);
    let properties = resource_properties(&page);
    let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "leading", "trailing", "bare", "short", "long", "breaks", "escaped", "code"
        ]
    );
    assert_eq!(
        by_name(properties, "leading").description,
        "Row without a leading pipe."
    );
    assert_eq!(
        by_name(properties, "trailing").description,
        "Row without a trailing pipe."
    );
    assert_eq!(by_name(properties, "bare").description, "Neither pipe");
    assert_eq!(
        by_name(properties, "bare").type_ref,
        primitive(Primitive::Int32)
    );
    // Fewer cells: the missing description is empty.
    assert_eq!(by_name(properties, "short").description, "");
    // More cells: the extra text stays in the last column, pipe and all.
    assert_eq!(
        by_name(properties, "long").description,
        "Accepts *.png | *.jpg files."
    );
    assert_eq!(
        located(&diagnostics),
        [("P0010", 14), ("P0010", 15)],
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0]
            .message
            .contains("row has 2 cells, the header 3")
    );
    assert!(
        diagnostics[1]
            .message
            .contains("more cells than the header")
    );
    assert_eq!(page.stats.rows_total, 8);
    assert_eq!(page.stats.rows_diagnosed, 2);
    assert_eq!(page.stats.rows_parsed, 6);
}

#[test]
fn br_escaped_pipes_and_pipes_in_code_stay_in_their_cell() {
    let (page, _) = parse(ROWS_PAGE);
    let properties = resource_properties(&page);
    assert_eq!(
        by_name(properties, "breaks").description,
        "First line. Second line. Third line."
    );
    assert_eq!(
        by_name(properties, "escaped").description,
        "Either `a` | `b`."
    );
    assert_eq!(
        by_name(properties, "code").description,
        "Written as `x|y` in filters."
    );
    for property in properties {
        assert_eq!(
            property.type_ref,
            if property.name == "bare" {
                primitive(Primitive::Int32)
            } else {
                primitive(Primitive::String)
            },
            "{}",
            property.name
        );
    }
}

#[test]
fn code_spans_are_matched_by_backtick_run_length() {
    let source = "\
---
doc_type: resourcePageType
---

# key resource type

## Properties

|Property|Type|Description|
|:---|:---|:---|
|chars|String|Must not hold `|`, `` ` `` or `\\`.|
|tick|String|A `code|span` and a lone ` mark.|
|open|String|A ` that opens nothing | so this pipe splits.|
";
    let (page, diagnostics) = parse(source);
    let properties = resource_properties(&page);
    // A double-backtick span holding a backtick, and a backslash inside a span, close where
    // CommonMark closes them: the pipe in `|` stays in the description.
    assert_eq!(
        by_name(properties, "chars").description,
        "Must not hold `|`, ``` or `\\`."
    );
    // A backtick with no closer after it is literal.
    assert_eq!(
        by_name(properties, "tick").description,
        "A `code|span` and a lone ` mark."
    );
    // With no closer, the pipe after a lone backtick is a cell boundary: a third text cell,
    // kept in the description and reported.
    assert_eq!(
        by_name(properties, "open").description,
        "A ` that opens nothing | so this pipe splits."
    );
    assert_eq!(located(&diagnostics), [("P0010", 13)], "{diagnostics:#?}");
}

#[test]
fn rows_inside_html_comments_are_not_rows() {
    let source = "\
---
doc_type: resourcePageType
---

# shelf resource type

## Properties

|Property|Type|Description|
|:---|:---|:---|
|width|Int32|How wide.|
<!--|secretDepth|Int32|Not documented yet.|
|secretColor|String||-->
|height|Int32|How tall.|
<!-- |oneMore|String|Hidden on one line.| -->
|label|String|What it says.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let properties = resource_properties(&page);
    let rows: Vec<(&str, usize)> = properties
        .iter()
        .map(|p| (p.name.as_str(), p.line))
        .collect();
    assert_eq!(rows, [("width", 11), ("height", 14), ("label", 16)]);
    assert_eq!(page.stats.rows_total, 3);
}

#[test]
fn table_with_a_short_delimiter_row_is_recovered() {
    let source = "\
---
doc_type: apiPageType
---

# Delete widget

## Permissions
One of the following permissions is required to call this API.
|Permission type|Permissions (from least to most privileged)|
|:---|:---|:---|
|Delegated (work or school account)|Widget.ReadWrite, Widget.ReadWrite.All|
|Delegated (personal Microsoft account)|Not supported.|
|Application|Widget.ReadWrite.All|

## HTTP request

```http
DELETE /widgets/{id}
```
";
    let (page, diagnostics) = parse(source);
    assert_eq!(located(&diagnostics), [("P0014", 9)], "{diagnostics:#?}");
    let permissions = page.method.unwrap().permissions;
    let read: Vec<(PermissionType, Vec<&str>)> = permissions
        .iter()
        .map(|p| {
            (
                p.permission_type.clone(),
                p.scopes.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                PermissionType::DelegatedWorkOrSchool,
                vec!["Widget.ReadWrite", "Widget.ReadWrite.All"]
            ),
            (PermissionType::DelegatedPersonal, vec![]),
            (PermissionType::Application, vec!["Widget.ReadWrite.All"]),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Annotations

#[test]
fn resource_annotation_with_and_without_space_trailing_comma_and_string_booleans() {
    let source = r##"---
title: "sprocket resource type"
doc_type: resourcePageType
---

# sprocket resource type

A toothed wheel. Inherits from [entity](entity.md).

## Properties

|Property|Type|Description|
|:---|:---|:---|
|id|String|The identifier.|
|teeth|Int32|How many teeth.|

## JSON representation

<!--{
  "blockType": "resource",
  "keyProperty": "id",
  "baseType": "microsoft.graph.entity",
  "openType": "true",
  "@odata.type": "microsoft.graph.sprocket",
}-->

```json
{
  "id": "String (identifier)",
  "teeth": "Int32"
}
```

<!-- {
  "type": "#page.annotation",
  "description": "sprocket resource",
  "section": "documentation",
} -->
"##;
    let (page, diagnostics) = parse(source);
    // Both annotations have a trailing comma: the resource one is read leniently and noted,
    // the page footer is skipped without a word.
    assert_eq!(located(&diagnostics), [("P0004", 19)], "{diagnostics:#?}");
    assert_eq!(page.kind, PageKind::Resource);
    assert_eq!(
        page.summary.as_deref(),
        Some("A toothed wheel. Inherits from entity.")
    );
    let resource = page.resource.unwrap();
    assert_eq!(resource.name.as_deref(), Some("sprocket"));
    assert_eq!(
        resource.odata_type.as_deref(),
        Some("microsoft.graph.sprocket")
    );
    assert_eq!(resource.key_property.as_deref(), Some("id"));
    assert!(resource.open_type, "\"true\" as a string is true");
    assert!(!resource.is_abstract);
    // The annotation's baseType wins over the prose link.
    assert_eq!(
        resource.base_type,
        Some(named("microsoft.graph.entity", None))
    );
    assert_eq!(resource.properties.len(), 2);
    assert!(
        resource
            .json_representation
            .as_deref()
            .unwrap()
            .contains("\"teeth\": \"Int32\"")
    );
}

#[test]
fn single_line_annotations_and_page_footers() {
    let source = r##"---
doc_type: apiPageType
---

# List widgets

## HTTP request

<!-- { "blockType": "ignored" } -->
```http
GET /widgets
```

## Response

If successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.

## Example

### Request

<!--{"blockType": "request", "name": "list_widgets"}-->
```msgraph-interactive
GET https://graph.microsoft.com/beta/widgets
```

### Response

<!-- { "blockType": "response", "truncated": "true", "@odata.type": "Collection(microsoft.graph.widget)" } -->
<!-- {"type": "#page.annotation", "description": "List widgets"} -->
```json
{
  "value": [{ "id": "w1" }]
}
```
"##;
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let method = page.method.unwrap();
    let response = method.response.unwrap();
    assert_eq!(response.status, Some(200));
    assert_eq!(
        response.type_ref,
        Some(collection(named("widget", Some("../resources/widget.md"))))
    );
    assert_eq!(method.examples.len(), 1);
    let example = &method.examples[0];
    let request = example.request.as_ref().unwrap();
    assert_eq!(request.method, HttpMethod::Get);
    assert_eq!(request.url, "https://graph.microsoft.com/beta/widgets");
    assert_eq!(request.line, 24);
    // The footer between the response annotation and its block does not replace it: the bare
    // JSON block is still read as the response it annotates.
    let response = example.response.as_ref().expect("a response");
    assert_eq!(response.status, Some(200));
    assert!(response.truncated, "\"true\" as a string is true");
    assert_eq!(
        response.odata_type.as_deref(),
        Some("Collection(microsoft.graph.widget)")
    );
    assert_eq!(
        response.body.as_ref().unwrap().value()["value"][0]["id"],
        "w1"
    );
}

#[test]
fn page_annotation_footers_are_skipped_even_when_broken() {
    let source = r##"---
doc_type: conceptualPageType
---

# About widgets

Widgets are small.

<!-- uuid: 0c6b4c55-1111-2222-3333-444455556666
2021-07-01 00:00:00 UTC -->
<!-- {
  "type": "#page.annotation",
  "description": "About widgets,
  "keywords": "",
  "section": "documentation"
}-->

<!--{
  "type": "#page.annotation",
  "tocPath": "Widgets"
}-->s
"##;
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.kind, PageKind::Conceptual);
    assert_eq!(page.summary.as_deref(), Some("Widgets are small."));
}

#[test]
fn unreadable_annotation_is_reported_on_its_line() {
    let source = "\
---
doc_type: apiPageType
---

# Get widget

## HTTP request

<!-- { \"blockType\": request } -->
```http
GET /widgets/{id}
```
";
    let (page, diagnostics) = parse(source);
    assert_eq!(located(&diagnostics), [("P0005", 9)], "{diagnostics:#?}");
    assert_eq!(page.method.unwrap().requests.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Fences

#[test]
fn request_fences_with_every_info_string() {
    for fence in [
        "``` http",
        "```http",
        "```HTTP",
        "```http  ",
        "```msgraph-interactive",
        "```",
    ] {
        let (page, diagnostics) = parse(&method_page(
            "## HTTP request",
            fence,
            "GET /me/widgets\nGET /users/{id}/widgets",
        ));
        assert!(diagnostics.is_empty(), "{fence}: {diagnostics:?}");
        let requests = page.method.unwrap().requests;
        let lines: Vec<(&str, usize)> = requests
            .iter()
            .map(|r| (r.path.raw.as_str(), r.line))
            .collect();
        assert_eq!(
            lines,
            [("/me/widgets", 13), ("/users/{id}/widgets", 14)],
            "{fence}"
        );
    }
    // A json block in the HTTP request section holds no request lines.
    let (page, diagnostics) = parse(&method_page("## HTTP request", "```json", "GET /me"));
    assert!(page.method.unwrap().requests.is_empty());
    assert_eq!(located(&diagnostics), [("P0032", 1)]);
}

#[test]
fn unclosed_fence_is_reported_and_read() {
    let source = "\
---
doc_type: apiPageType
---

# Update widget

## HTTP request

```http
PATCH /widgets/{id}
```

## Example

```http
PATCH https://graph.microsoft.com/v1.0/widgets/7
Content-type: application/json

{ \"color\": \"red\" }
";
    let (page, diagnostics) = parse(source);
    assert_eq!(located(&diagnostics), [("P0003", 15)], "{diagnostics:#?}");
    let method = page.method.unwrap();
    let request = method.examples[0].request.as_ref().unwrap();
    assert_eq!(request.method, HttpMethod::Patch);
    assert_eq!(request.headers[0].name, "Content-type");
    assert_eq!(request.headers[0].value, "application/json");
    assert_eq!(request.body.as_ref().unwrap().value()["color"], "red");
}

#[test]
fn invalid_utf8_is_located_and_the_rest_is_read() {
    let mut bytes = b"---\ndoc_type: resourcePageType\n---\n\n# lamp resource type\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|name|String|Caf".to_vec();
    bytes.push(0xE9); // Latin-1 `é`, not UTF-8.
    bytes.extend_from_slice(b" lamp.|\n|watts|Int32|Power draw.|\n");
    let (page, diagnostics) = page::parse_page_bytes(FILE, &bytes);
    assert_eq!(located(&diagnostics), [("P0001", 11)], "{diagnostics:#?}");
    // `|name|String|Caf` is 16 characters; the bad byte is the 17th.
    assert_eq!(diagnostics[0].column, 17);
    let properties = resource_properties(&page);
    assert_eq!(properties.len(), 2);
    assert_eq!(properties[0].description, "Caf\u{FFFD} lamp.");
    assert_eq!(properties[1].name, "watts");
    assert_eq!(properties[1].line, 12);
}

// ---------------------------------------------------------------------------------------
// Request lines

fn request_segments(line: &str) -> (String, Vec<Segment>, Option<String>) {
    let (page, diagnostics) = parse(&method_page("## HTTP request", "```http", line));
    assert!(diagnostics.is_empty(), "{line}: {diagnostics:?}");
    let request = page.method.unwrap().requests.remove(0);
    (request.path.raw, request.path.segments, request.query)
}

#[test]
fn paths_without_leading_slash_absolute_urls_and_queries() {
    let (raw, segments, query) =
        request_segments("GET identityGovernance/widgets?$filter=color eq 'red'&$top=5");
    assert_eq!(raw, "/identityGovernance/widgets");
    assert_eq!(
        segments,
        [static_("identityGovernance"), static_("widgets")]
    );
    assert_eq!(query.as_deref(), Some("$filter=color eq 'red'&$top=5"));

    for url in [
        "PATCH https://graph.microsoft.com/v1.0/policies/widgetPolicy",
        "PATCH https://graph.microsoft.com/beta/policies/widgetPolicy",
    ] {
        let (raw, segments, query) = request_segments(url);
        assert_eq!(raw, "/policies/widgetPolicy");
        assert_eq!(segments, [static_("policies"), static_("widgetPolicy")]);
        assert_eq!(query, None);
    }
}

#[test]
fn placeholders_alternatives_kebab_and_snake() {
    let (_, segments, _) =
        request_segments("GET /users/{id | userPrincipalName}/widgets/{widget-id}/parts/{part_id}");
    assert_eq!(
        segments,
        [
            static_("users"),
            Segment::Parameter(parameter("id", &["userPrincipalName"])),
            static_("widgets"),
            param("widget-id"),
            static_("parts"),
            param("part_id"),
        ]
    );
    let (_, segments, _) = request_segments("GET /users/{id|userPrincipalName}/widgets");
    assert_eq!(
        segments[1],
        Segment::Parameter(parameter("id", &["userPrincipalName"]))
    );
}

#[test]
fn function_and_key_segments() {
    let (_, segments, _) =
        request_segments("GET /reports/getWidgetCounts(period='{period_value}')");
    assert_eq!(
        segments,
        [
            static_("reports"),
            Segment::Function {
                name: "getWidgetCounts".into(),
                arguments: vec![FunctionArgument {
                    name: Some("period".into()),
                    parameter: Some(parameter("period_value", &[])),
                    value: "'{period_value}'".into(),
                    quoted: true,
                }],
            },
        ]
    );

    let (_, segments, _) =
        request_segments("GET /me/widgets/recent(includeShared={includeShared},top=5)");
    assert_eq!(
        segments[2],
        Segment::Function {
            name: "recent".into(),
            arguments: vec![
                FunctionArgument {
                    name: Some("includeShared".into()),
                    parameter: Some(parameter("includeShared", &[])),
                    value: "{includeShared}".into(),
                    quoted: false,
                },
                FunctionArgument {
                    name: Some("top".into()),
                    parameter: None,
                    value: "5".into(),
                    quoted: false,
                },
            ],
        }
    );

    let (_, segments, _) = request_segments(
        "GET /me/drive/items/{id}/workbook/worksheets/{id|name}/range(<address>)/format",
    );
    assert_eq!(
        segments[6..],
        [
            Segment::Parameter(parameter("id", &["name"])),
            Segment::Function {
                name: "range".into(),
                arguments: vec![FunctionArgument {
                    name: None,
                    parameter: Some(parameter("address", &[])),
                    value: "<address>".into(),
                    quoted: false,
                }],
            },
            static_("format"),
        ]
    );

    let (_, segments, _) = request_segments("POST /widgets/{id}/reset()");
    assert_eq!(
        segments[2],
        Segment::Function {
            name: "reset".into(),
            arguments: vec![]
        }
    );
}

#[test]
fn onedrive_item_path_addressing() {
    let (raw, segments, _) =
        request_segments("DELETE /me/drive/root:/{item-path}:/workbook/tables/{id|name}");
    assert_eq!(
        raw,
        "/me/drive/root:/{item-path}:/workbook/tables/{id|name}"
    );
    assert_eq!(
        segments,
        [
            static_("me"),
            static_("drive"),
            static_("root"),
            Segment::ItemPath {
                parameter: parameter("item-path", &[])
            },
            static_("workbook"),
            static_("tables"),
            Segment::Parameter(parameter("id", &["name"])),
        ]
    );
    let (_, segments, query) = request_segments(
        "GET /drives/{drive-id}/root:/{path and filename}:/content?format={format}",
    );
    assert_eq!(
        segments,
        [
            static_("drives"),
            param("drive-id"),
            static_("root"),
            Segment::ItemPath {
                parameter: parameter("path and filename", &[])
            },
            static_("content"),
        ]
    );
    assert_eq!(query.as_deref(), Some("format={format}"));
}

#[test]
fn type_casts_ref_value_count_and_delta() {
    let cases: [(&str, Vec<Segment>); 5] = [
        (
            "GET /directory/deletedItems/microsoft.graph.group",
            vec![
                static_("directory"),
                static_("deletedItems"),
                static_("microsoft.graph.group"),
            ],
        ),
        (
            "DELETE /widgets/{id}/owners/{owner-id}/$ref",
            vec![
                static_("widgets"),
                param("id"),
                static_("owners"),
                param("owner-id"),
                static_("$ref"),
            ],
        ),
        (
            "GET /me/photo/$value",
            vec![static_("me"), static_("photo"), static_("$value")],
        ),
        (
            "GET /widgets/$count",
            vec![static_("widgets"), static_("$count")],
        ),
        (
            "GET /widgets/delta",
            vec![static_("widgets"), static_("delta")],
        ),
    ];
    for (line, expected) in cases {
        let (_, segments, _) = request_segments(line);
        assert_eq!(segments, expected, "{line}");
    }
}

#[test]
fn lines_that_are_not_requests_are_reported_on_their_line() {
    let (page, diagnostics) = parse(&method_page(
        "## HTTP request",
        "```http",
        "GET /widgets/{id}\nor\nGET /widgets/{id} /parts\nDELETE/widgets/{id}",
    ));
    assert_eq!(
        located(&diagnostics),
        [("P0030", 14), ("P0031", 15)],
        "{diagnostics:#?}"
    );
    let requests = page.method.unwrap().requests;
    let read: Vec<(HttpMethod, usize)> = requests.iter().map(|r| (r.method, r.line)).collect();
    assert_eq!(
        read,
        [
            (HttpMethod::Get, 13),
            (HttpMethod::Get, 15),
            (HttpMethod::Delete, 16)
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Response status lines

#[test]
fn status_lines_read_the_code_only() {
    for (status_line, code) in [
        ("HTTP/1.1 204 Created", 204),
        ("HTTP/1.1 201", 201),
        ("HTTP/1.1 202 Accpted", 202),
        ("HTTP/1.1 200 OK", 200),
        ("HTTP/1.1 404 NOT FOUND", 404),
    ] {
        let source = format!(
            "\
---
doc_type: apiPageType
---

# Create widget

## HTTP request

```http
POST /widgets
```

## Example

```http
POST /widgets
```

```http
{status_line}
```
"
        );
        let (page, diagnostics) = parse(&source);
        assert!(diagnostics.is_empty(), "{status_line}: {diagnostics:?}");
        let method = page.method.unwrap();
        let response = method.examples[0].response.as_ref().unwrap();
        assert_eq!(response.status, Some(code), "{status_line}");
        assert_eq!(response.line, 20);
        assert!(response.body.is_none());
    }
    // No code at all is reported on the status line.
    let source = "\
---
doc_type: apiPageType
---

# Create widget

## HTTP request

```http
POST /widgets
```

## Example

```http
HTTP/1.1 Created
```
";
    let (page, diagnostics) = parse(source);
    assert_eq!(located(&diagnostics), [("P0041", 16)]);
    assert_eq!(
        page.method.unwrap().examples[0]
            .response
            .as_ref()
            .unwrap()
            .status,
        None
    );
}

#[test]
fn invalid_example_json_is_located_in_the_body() {
    let source = "\
---
doc_type: apiPageType
---

# Create widget

## HTTP request

```http
POST /widgets
```

## Example

```http
POST /widgets
Content-type: application/json

{
  \"color\": \"red\",
}
```
";
    let (_, diagnostics) = parse(source);
    assert_eq!(located(&diagnostics), [("P0040", 21)], "{diagnostics:#?}");
}

// ---------------------------------------------------------------------------------------
// Type cells

const TYPES_PAGE: &str = "\
---
doc_type: resourcePageType
---

# thing resource type

## Properties

|Property|Type|Description|
|:---|:---|:---|
|linked|[identitySet](identityset.md)|A link.|
|refStyle|[itemReference][]|A reference-style link.|
|refCollection|[identitySet][] collection|Reference-style links.|
|words|String collection|Words.|
|numbers|Collection(Edm.Int32)|Numbers.|
|parts|Collection([part](../resources/part.md))|Parts.|
|linkedParts|[part](../resources/part.md) collection|Parts again.|
|ticked|`String`|In backticks.|
|lower|string|Lowercase.|
|edm|Edm.Binary|Qualified.|
|flag|boolean|Lowercase boolean.|
|when|dateTimeOffset|Lowercase first letter.|
|shape|thingShape enum|An enum.|
|either|[a](a.md) or [b](b.md)|One of two.|
|choice|String or Int32|A primitive union.|
|url|string (url)|A remark.|
|code|string, maximum size 20|Another remark.|
|nothing||No type.|
|vague|a list of many things|Prose.|

[itemReference]: itemreference.md
[identitySet]: identityset.md
";

#[test]
fn type_cells_in_every_shape() {
    let (page, diagnostics) = parse(TYPES_PAGE);
    let properties = resource_properties(&page);
    let ty = |name: &str| by_name(properties, name).type_ref.clone();
    assert_eq!(ty("linked"), named("identitySet", Some("identityset.md")));
    assert_eq!(
        ty("refStyle"),
        named("itemReference", Some("itemreference.md"))
    );
    assert_eq!(
        ty("refCollection"),
        collection(named("identitySet", Some("identityset.md")))
    );
    assert_eq!(ty("words"), collection(primitive(Primitive::String)));
    assert_eq!(ty("numbers"), collection(primitive(Primitive::Int32)));
    assert_eq!(
        ty("parts"),
        collection(named("part", Some("../resources/part.md")))
    );
    assert_eq!(
        ty("linkedParts"),
        collection(named("part", Some("../resources/part.md")))
    );
    assert_eq!(ty("ticked"), primitive(Primitive::String));
    assert_eq!(ty("lower"), primitive(Primitive::String));
    assert_eq!(ty("edm"), primitive(Primitive::Binary));
    assert_eq!(ty("flag"), primitive(Primitive::Boolean));
    assert_eq!(ty("when"), primitive(Primitive::DateTimeOffset));
    assert_eq!(ty("shape"), named("thingShape", None));
    assert_eq!(
        ty("either"),
        TypeRef::Union {
            options: vec![named("a", Some("a.md")), named("b", Some("b.md"))]
        }
    );
    assert_eq!(
        ty("choice"),
        TypeRef::Union {
            options: vec![primitive(Primitive::String), primitive(Primitive::Int32)]
        }
    );
    assert_eq!(ty("url"), primitive(Primitive::String));
    assert_eq!(ty("code"), primitive(Primitive::String));
    assert_eq!(
        ty("nothing"),
        TypeRef::Unknown {
            text: String::new()
        }
    );
    assert_eq!(
        ty("vague"),
        TypeRef::Unknown {
            text: "a list of many things".into()
        }
    );
    assert_eq!(
        located(&diagnostics),
        [("P0021", 26), ("P0021", 27), ("P0020", 28), ("P0020", 29)],
        "{diagnostics:#?}"
    );
    assert!(diagnostics[0].message.contains("`string (url)` of `url`"));
    assert!(
        diagnostics[1]
            .message
            .contains("`string, maximum size 20` of `code`")
    );
}

// ---------------------------------------------------------------------------------------
// Page kinds

fn kind_of(doc_type: Option<&str>, body: &str) -> (PageKind, Vec<(&'static str, usize)>) {
    let front = match doc_type {
        Some(doc_type) => format!("---\ntitle: x\ndoc_type: {doc_type}\n---\n"),
        None => "---\ntitle: x\n---\n".to_string(),
    };
    let (page, diagnostics) = parse(&format!("{front}\n# x\n\n{body}"));
    (page.kind, located(&diagnostics))
}

const REQUEST_SECTION: &str = "## HTTP request\n\n```http\nGET /things\n```\n";
const PROPERTIES_SECTION: &str =
    "## Properties\n\n|Property|Type|Description|\n|---|---|---|\n|id|String|Key.|\n";
const MEMBERS_SECTION: &str = "## Members\n\n|Member|\n|---|\n|on|\n|off|\n";

#[test]
fn page_kind_from_front_matter_and_content() {
    assert_eq!(
        kind_of(Some("apiPageType"), REQUEST_SECTION),
        (PageKind::Method, vec![])
    );
    assert_eq!(
        kind_of(Some("resourcePageType"), PROPERTIES_SECTION),
        (PageKind::Resource, vec![])
    );
    assert_eq!(
        kind_of(Some("resourcePageType_"), PROPERTIES_SECTION),
        (PageKind::Resource, vec![])
    );
    assert_eq!(
        kind_of(Some("enumPageType"), MEMBERS_SECTION),
        (PageKind::Enum, vec![])
    );
    assert_eq!(
        kind_of(Some("enumTypes"), MEMBERS_SECTION),
        (PageKind::Enum, vec![])
    );
    assert_eq!(
        kind_of(Some("conceptualPageType"), "Some prose.\n"),
        (PageKind::Conceptual, vec![])
    );
    // No doc_type: the content decides.
    assert_eq!(kind_of(None, REQUEST_SECTION), (PageKind::Method, vec![]));
    assert_eq!(
        kind_of(None, PROPERTIES_SECTION),
        (PageKind::Resource, vec![])
    );
    assert_eq!(kind_of(None, MEMBERS_SECTION), (PageKind::Enum, vec![]));
    assert_eq!(
        kind_of(None, "Just prose.\n"),
        (PageKind::Conceptual, vec![])
    );
    // Content that contradicts the doc_type wins, with a note at the top of the file.
    assert_eq!(
        kind_of(Some("resourcePageType"), REQUEST_SECTION),
        (PageKind::Method, vec![("P0050", 1)])
    );
    assert_eq!(
        kind_of(Some("resourcePageType"), "An overview.\n"),
        (PageKind::Conceptual, vec![("P0050", 1)])
    );
}

#[test]
fn intune_prerequisites_are_permissions_most_to_least_is_reversed() {
    let source = "\
---
doc_type: apiPageType
---

# Update gadgetConfiguration

## Prerequisites
One of the following permissions is required to call this API.

|Permission type|Permissions (from most to least privileged)|
|:---|:---|
|Delegated (work or school account)|Gadget.ReadWrite.All, Gadget.Read.All|
|Delegated (personal Microsoft account)|Not supported.|
|Application|Gadget.ReadWrite.All|

## HTTP Request
<!-- {
  \"blockType\": \"ignored\"
}
-->
``` http
PATCH /deviceManagement/gadgetConfigurations/{gadgetConfigurationId}
```

## Request headers

|Header|Value|
|:---|:---|
|Authorization|Bearer &lt;token&gt; Required.|
|Accept|application/json|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let method = page.method.unwrap();
    assert_eq!(method.permissions.len(), 3);
    assert_eq!(
        method.permissions[0].permission_type,
        PermissionType::DelegatedWorkOrSchool
    );
    assert_eq!(
        method.permissions[0].scopes,
        ["Gadget.Read.All", "Gadget.ReadWrite.All"],
        "least privileged first"
    );
    assert!(method.permissions[1].scopes.is_empty());
    assert_eq!(method.permissions[2].scopes, ["Gadget.ReadWrite.All"]);
    assert_eq!(method.requests[0].line, 22);
    assert_eq!(
        method.requests[0].path.parameters(),
        ["gadgetConfigurationId"]
    );
    let headers: Vec<(&str, &str)> = method
        .request_headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Authorization", "Bearer <token> Required."),
            ("Accept", "application/json")
        ]
    );
}

#[test]
fn multi_enum_pages_name_each_enum_after_its_heading() {
    let source = "\
---
title: \"Gadget enumeration values\"
doc_type: enumTypes
---

# Gadget enumeration values

### gadgetState values

|Member|
|:---|
|idle|
|busy|
|unknownFutureValue|

### gadgetSize values

|Member|Value|Description|
|:---|:---|:---|
|small|1|Pocket size.|
|large|2|Needs a table.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.kind, PageKind::Enum);
    let enums: Vec<(&str, usize, Vec<&str>)> = page
        .enums
        .iter()
        .map(|def| {
            (
                def.name.as_str(),
                def.line,
                def.members.iter().map(|m| m.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        enums,
        [
            (
                "gadgetState",
                10,
                vec!["idle", "busy", "unknownFutureValue"]
            ),
            ("gadgetSize", 18, vec!["small", "large"]),
        ]
    );
    assert_eq!(page.enums[1].members[1].value, Some(2));
    assert_eq!(page.enums[1].members[1].description, "Needs a table.");
}

#[test]
fn inherits_from_prose_gives_the_base_type_without_an_annotation() {
    let source = "\
---
doc_type: resourcePageType
---

# roundGadget resource type

Namespace: microsoft.graph

A gadget that rolls.

Inherits from [gadget](gadget.md).

## Properties

|Property|Type|Description|
|:---|:---|:---|
|radius|Double|How far from the middle to the edge.|
";
    let (page, diagnostics) = parse(source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.namespace.as_deref(), Some("microsoft.graph"));
    assert_eq!(page.summary.as_deref(), Some("A gadget that rolls."));
    let resource = page.resource.unwrap();
    assert_eq!(resource.name.as_deref(), Some("roundGadget"));
    assert_eq!(resource.base_type, Some(named("gadget", Some("gadget.md"))));
}

// ---------------------------------------------------------------------------------------
// A snapshot of one page with many variants at once

const SNAPSHOT_PAGE: &str = r##"---
title: "Create doohickey"
description: "Make a doohickey."
ms.prod: "gadgets"
doc_type: apiPageType
---

# Create doohickey

Namespace: microsoft.graph

Create a [doohickey](../resources/doohickey.md) on a shelf.

## Permissions

|Permission type|Permissions (from most to least privileged)|
|:---|:---|
|Delegated (work or school account)|Shelf.ReadWrite.All, Shelf.Read.All|
|Delegated (personal Microsoft account)|Not supported.|
|Application|Shelf.ReadWrite.All

## HTTP Request

<!--{ "blockType": "ignored", } -->
``` http
POST shelves/{shelf-id}/doohickeys
POST https://graph.microsoft.com/beta/users/{id | userPrincipalName}/drive/root:/{item-path}:/doohickeys?$select=id
```

## Request body

|Property|Type|Description|
|:---|:---|:---|
|label|`string`|The label.<br>Required.|
|tags|String collection|Tags. Possible values are: `red`, `green`, `unknownFutureValue`.|
|maker|[identitySet][]|Who made it. Read-only.|
|notes|string, maximum size 20|Short notes \| optional.|

## Response

If successful, this method returns a `201 Created` response code and a [doohickey](../resources/doohickey.md) object in the response body.

## Example

### Request

```http
POST https://graph.microsoft.com/beta/shelves/s1/doohickeys
Content-type: application/json

{ "label": "first" }
```

### Response

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.doohickey", "truncated": "true" } -->
```http
HTTP/1.1 204 Created
Content-type: application/json

{ "id": "d1", "label": "first" }
```

[identitySet]: ../resources/identityset.md
"##;

#[test]
fn snapshot_of_a_multi_variant_page() {
    let (page, diagnostics) = parse(SNAPSHOT_PAGE);
    assert_eq!(
        located(&diagnostics),
        [("P0004", 24), ("P0021", 37)],
        "{diagnostics:#?}"
    );
    insta::assert_yaml_snapshot!("multi_variant_page", page);
}
