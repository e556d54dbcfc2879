//! The end of the page: what kind of page it is, and the method or resource it describes.

use serde_json::Value;

use super::PageReader;
use super::comments::{annotation_bool, annotation_str};
use super::model::{Facts, PageKind, ParsedPage, Primitive, Property, RequestBody, TypeRef};
use super::text::title_type_name;
use super::types;
use crate::diagnostics::{Code, Diagnostic, Location};

impl<'a> PageReader<'a> {
    pub(super) fn finish(mut self) -> (ParsedPage, Vec<Diagnostic>) {
        self.flush_example();
        self.complete_function_templates();
        // A parameters row for an option, marked "Required.".
        for property in &self.method.query_parameters {
            let name = property.name.trim_start_matches('$').to_ascii_lowercase();
            let option = format!("${name}");
            if property.facts.required == Some(true)
                && property.name.starts_with('$')
                && !self.method.required_query_options.contains(&option)
            {
                self.method.required_query_options.push(option);
            }
        }
        let declared = declared_kind(self.page.front_matter.doc_type.as_deref());
        let has_requests = !self.method.requests.is_empty();
        let has_type = !self.resource.properties.is_empty()
            || !self.resource.relationships.is_empty()
            || self.resource_annotation.is_some()
            || self.resource.declares_no_properties
            || self.properties_section_seen
            || self.resource.json_representation.is_some();
        let from_content = if has_requests || self.has_request_section {
            Some(PageKind::Method)
        } else if !self.page.enums.is_empty() && !has_type {
            Some(PageKind::Enum)
        } else if has_type {
            Some(PageKind::Resource)
        } else {
            None
        };
        let kind = match (declared, from_content) {
            (Some(declared), Some(content))
                if declared != content && declared != PageKind::Conceptual =>
            {
                // Enum pages may also carry a resource-like table; method pages may show a
                // JSON representation. Only a page whose content plainly contradicts its
                // doc_type is reclassified.
                let contradiction = matches!(
                    (declared, content),
                    (PageKind::Resource, PageKind::Method)
                        | (PageKind::Resource, PageKind::Enum)
                        | (PageKind::Method, PageKind::Resource)
                        | (PageKind::Method, PageKind::Enum)
                );
                if contradiction {
                    self.report(
                        Code::PageKind,
                        0,
                        format!(
                            "doc_type says {} but the page reads as a {} page",
                            declared.as_str(),
                            content.as_str()
                        ),
                    );
                    content
                } else {
                    declared
                }
            }
            (Some(PageKind::Resource), None) => {
                // An overview page filed as a resource: nothing in it describes a type.
                self.report(
                    Code::PageKind,
                    0,
                    "doc_type says resource but the page describes no type; read as conceptual",
                );
                PageKind::Conceptual
            }
            (Some(declared), _) => declared,
            (None, Some(content)) => content,
            (None, None) => PageKind::Conceptual,
        };
        self.page.kind = kind;
        match kind {
            PageKind::Method => {
                if self.method.requests.is_empty() {
                    self.report(Code::NoOperation, 0, "method page has no HTTP request line");
                }
                match &mut self.method.request_body {
                    // The section's words after the table count too ("Specify other writable
                    // properties as necessary").
                    Some(body) if self.body_intro.starts_with(&body.intro) => {
                        body.intro = self.body_intro.clone();
                    }
                    Some(_) => {}
                    // A section that describes the body in words only: what it says is kept,
                    // so resolution can tell "send nothing" from "send this resource".
                    None if !self.body_intro.trim().is_empty() => {
                        self.method.request_body = Some(RequestBody {
                            intro: self.body_intro.clone(),
                            properties: Vec::new(),
                            type_ref: self.body_type.clone(),
                            line: self.body_heading_line.max(1),
                        });
                    }
                    None => {}
                }
                self.page.method = Some(self.method);
            }
            PageKind::Resource => {
                let mut resource = self.resource;
                if let Some(annotation) = &self.resource_annotation {
                    resource.odata_type =
                        annotation_str(annotation, "@odata.type").map(str::to_string);
                    resource.key_property =
                        annotation_str(annotation, "keyProperty").map(str::to_string);
                    resource.open_type = annotation_bool(annotation, "openType");
                    resource.is_abstract = annotation_bool(annotation, "abstract")
                        || annotation_bool(annotation, "isAbstract");
                    if let Some(base) = annotation_str(annotation, "baseType") {
                        // The annotation is the machine-readable source; it wins over prose.
                        resource.base_type = Some(TypeRef::Named {
                            name: base.to_string(),
                            target: None,
                        });
                    }
                }
                resource.name = resource
                    .odata_type
                    .as_deref()
                    .map(|odata| {
                        odata
                            .trim_start_matches('#')
                            .rsplit('.')
                            .next()
                            .unwrap_or(odata)
                            .to_string()
                    })
                    .or_else(|| self.page.title.as_deref().map(title_type_name));
                if self.properties_section_seen && !self.property_table_seen {
                    // A Properties section of prose only: an open type, or one whose page
                    // says in words that it adds nothing.
                    resource.declares_no_properties = true;
                }
                resource.dictionary = self.dictionary.of(&resource);
                if resource.dictionary.is_some() {
                    // Its JSON representation shows a sample entry, not properties.
                    resource.declares_no_properties = true;
                }
                if resource.properties.is_empty()
                    && resource.relationships.is_empty()
                    && !resource.declares_no_properties
                    && let Some(json) = &resource.json_representation
                {
                    resource.properties = properties_from_json(json);
                    if resource.properties.is_empty() && json_is_empty_object(json) {
                        // `{}`: the page's way of saying an abstract or marker type adds nothing.
                        resource.declares_no_properties = true;
                    } else if !resource.properties.is_empty() {
                        self.diagnostics.push(Diagnostic::new(
                            Code::PropertiesFromJson,
                            Location {
                                file: self.file.to_string(),
                                line: 1,
                                column: 1,
                            },
                            "no properties table; properties read from the JSON representation",
                        ));
                    }
                }
                if resource.properties.is_empty()
                    && resource.relationships.is_empty()
                    && !resource.declares_no_properties
                {
                    self.diagnostics.push(Diagnostic::new(
                        Code::NoType,
                        Location {
                            file: self.file.to_string(),
                            line: 1,
                            column: 1,
                        },
                        "resource page has no properties table and does not say it has none",
                    ));
                }
                self.page.resource = Some(resource);
            }
            PageKind::Enum | PageKind::Conceptual => {}
        }
        (self.page, self.diagnostics)
    }
}

/// Properties named in a JSON representation block, typed by the placeholder values the docs
/// write there (`"String"`, `"Int32"`, `{"@odata.type": "microsoft.graph.x"}`, `["String"]`).
fn properties_from_json(json: &str) -> Vec<Property> {
    let value = serde_json::from_str::<Value>(json)
        .ok()
        .or_else(|| json5::from_str::<Value>(json).ok());
    let Some(Value::Object(object)) = value else {
        return Vec::new();
    };
    fn type_of(value: &Value) -> TypeRef {
        match value {
            Value::String(text) => types::parse_type_text(text).type_ref,
            Value::Bool(_) => TypeRef::Primitive {
                primitive: Primitive::Boolean,
            },
            Value::Number(number) if number.is_f64() => TypeRef::Primitive {
                primitive: Primitive::Double,
            },
            Value::Number(_) => TypeRef::Primitive {
                primitive: Primitive::Int64,
            },
            Value::Array(items) => TypeRef::Collection {
                item: Box::new(items.first().map_or(
                    TypeRef::Primitive {
                        primitive: Primitive::Json,
                    },
                    type_of,
                )),
            },
            Value::Object(object) => match object.get("@odata.type").and_then(Value::as_str) {
                Some(odata) => TypeRef::Named {
                    name: odata
                        .trim_start_matches('#')
                        .rsplit('.')
                        .next()
                        .unwrap_or(odata)
                        .to_string(),
                    target: None,
                },
                None => TypeRef::Primitive {
                    primitive: Primitive::Json,
                },
            },
            Value::Null => TypeRef::Primitive {
                primitive: Primitive::Json,
            },
        }
    }
    object
        .iter()
        .filter(|(name, _)| !name.starts_with('@'))
        .map(|(name, value)| Property {
            name: name.clone(),
            type_ref: type_of(value),
            description: String::new(),
            facts: Facts::default(),
            line: 0,
        })
        .collect()
}

/// `{}` or `{"@odata.type": "..."}`: no properties of its own.
fn json_is_empty_object(json: &str) -> bool {
    serde_json::from_str::<Value>(json)
        .ok()
        .is_some_and(|value| {
            value
                .as_object()
                .is_some_and(|object| object.keys().all(|key| key.starts_with('@')))
        })
}

fn declared_kind(doc_type: Option<&str>) -> Option<PageKind> {
    let normalized: String = doc_type?
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match normalized.as_str() {
        value if value.starts_with("apipage") => PageKind::Method,
        value if value.starts_with("resourcepage") => PageKind::Resource,
        value if value.starts_with("enum") => PageKind::Enum,
        value if value.starts_with("conceptual") => PageKind::Conceptual,
        _ => return None,
    })
}
