//! Kind 8: dictionary types.

use graph_codegen::model::{FieldType, Model};

use super::*;

const LABELS: &str = "---
title: \"widgetLabelDictionary resource type\"
doc_type: resourcePageType
---

# widgetLabelDictionary resource type

Namespace: microsoft.graph

Represents a dictionary that keeps the labels of a [widget](widget.md) in key-value pairs.

Each label is a key (the label's name) and a [widgetLabel](widgetlabel.md) value.

## Properties

None.

## JSON representation

```json
{
  \"@odata.type\": \"#microsoft.graph.widgetLabelDictionary\"
}
```
";

const NOTES: &str = "---
title: \"noteDictionary resource type\"
doc_type: resourcePageType
---

# noteDictionary resource type

Namespace: microsoft.graph

Notes a caller pins on a widget.

Inherits from [dictionary](dictionary.md).

## Properties

A noteDictionary holds any number of notes. Each property name is the note's key, and each value must be a string or null; a null removes the note in an update.

## JSON representation

```json
{
  \"String\": \"String\"
}
```
";

fn model<'a>(api: &'a Api, rust_name: &str) -> &'a Model {
    api.models
        .iter()
        .find(|model| model.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no model {rust_name}"))
}

#[test]
fn a_page_that_says_it_maps_keys_to_values_is_a_dictionary() {
    let widget = resource_page(
        "widget",
        "|id|String|The identifier.|\n|labels|[widgetLabelDictionary](widgetlabeldictionary.md)|Its labels.|\n|notes|[noteDictionary](notedictionary.md)|Its notes.|",
    );
    let label = resource_page("widgetLabel", "|text|String|What it says.|");
    let example = "---\ntitle: \"Get widget\"\ndoc_type: apiPageType\n---\n\n# Get widget\n\nRead one widget.\n\n## HTTP request\n\n```http\nGET /widgets/{id}\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n\n## Example\n\n### Request\n\n```http\nGET https://graph.microsoft.com/v1.0/widgets/w1\n```\n\n### Response\n\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"id\": \"w1\",\n  \"labels\": {\"front\": {\"text\": \"Fragile\"}, \"back\": null},\n  \"notes\": {\"owner\": \"Ana\"}\n}\n```\n";
    let root = specs_tree(
        "dictionary",
        &[
            ("v1.0/resources/widget.md", widget.as_str()),
            ("v1.0/resources/widgetlabel.md", label.as_str()),
            ("v1.0/resources/widgetlabeldictionary.md", LABELS),
            ("v1.0/resources/notedictionary.md", NOTES),
            ("v1.0/api/widget-get.md", example),
        ],
    );
    let options = graph_codegen::emit::EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: false,
    };
    let generation = graph_codegen::generate(&root, &options).unwrap();
    let api = api(&generation);
    let labels = model(api, "WidgetLabelDictionary");
    assert!(labels.fields.is_empty());
    assert!(
        matches!(&labels.dictionary, Some(FieldType::Model { path }) if path.name == "WidgetLabel"),
        "{:?}",
        labels.dictionary
    );
    let notes = model(api, "NoteDictionary");
    assert_eq!(
        notes.dictionary,
        Some(FieldType::Primitive {
            primitive: graph_codegen::model::Primitive::String
        }),
        "string values, said in words, and no property named `String` from the JSON sample"
    );
    let types = emitted(&generation, "src/v1_0/common.rs");
    assert!(
        types.contains(
            "pub type WidgetLabelDictionary = ::graph_runtime::Dictionary<\n    crate::v1_0::common::WidgetLabel,\n>;"
        ),
        "{types}"
    );
    assert!(
        types.contains(
            "pub type NoteDictionary = ::graph_runtime::Dictionary<::std::string::String>;"
        )
    );
    assert!(
        unwrapped_docs(types)
            .contains("In an update, an entry set to `None` is sent as `null`, which removes it.")
    );
    // The example's keys are the caller's: the lint finds nothing unknown in them.
    let lint = graph_codegen::lint::lint_tree(&root).unwrap();
    let findings: Vec<String> = lint
        .diagnostics
        .iter()
        // (The link to `dictionary.md`, a page this tree lacks, is L0011: not about values.)
        .filter(|diagnostic| {
            diagnostic.code.as_str().starts_with('L') && diagnostic.code.as_str() != "L0011"
        })
        .map(ToString::to_string)
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
}
