//! Fields: a type reference as the model's field type, and a type's fields, its bases' first.

use std::collections::BTreeSet;

use crate::diagnostics::Code;
use crate::model::{Field, FieldType, ModelRole, Primitive};
use crate::names;
use crate::page::{ParsedPage, Property, TypeRef};

use super::definitions::Definition;
use super::{Resolver, docs_from};

impl<'p> Resolver<'p> {
    pub(super) fn field_type(
        &mut self,
        type_ref: &TypeRef,
        page: &ParsedPage,
        line: usize,
    ) -> FieldType {
        match type_ref {
            TypeRef::Primitive { primitive } => match primitive {
                Primitive::Json | Primitive::Stream => FieldType::Json,
                primitive => FieldType::Primitive {
                    primitive: *primitive,
                },
            },
            TypeRef::Collection { item } => FieldType::Collection {
                item: Box::new(self.field_type(item, page, line)),
            },
            TypeRef::Named { name, .. } => {
                match self.lookup(type_ref, page) {
                    Some(key) => {
                        if let Some(path) = self.polymorphic.get(&key) {
                            return FieldType::Polymorphic { path: path.clone() };
                        }
                        let path = self.paths[&key].clone();
                        match &self.definitions[&key] {
                            _ if self.flags.contains(&key) => FieldType::Flags { path },
                            definition if definition.is_enum() => FieldType::Enum { path },
                            _ => FieldType::Model { path },
                        }
                    }
                    None => {
                        let file = page.file.clone();
                        self.report(
                        Code::UnresolvedType,
                        &file,
                        line,
                        format!("type `{name}` is not defined by any page; typed as serde_json::Value"),
                    );
                        FieldType::Json
                    }
                }
            }
            TypeRef::Union { .. } | TypeRef::Unknown { .. } => FieldType::Json,
        }
    }

    /// The fields of a type: its bases' first (root first), then its own; a property a
    /// derived type documents again replaces the inherited one in place.
    pub(super) fn inherited_fields(&mut self, key: &str) -> Vec<Field> {
        let mut chain = vec![key.to_string()];
        let mut current = key.to_string();
        while let Some(base) = self.bases.get(&current) {
            if chain.contains(base) {
                break;
            }
            chain.push(base.clone());
            current = base.clone();
        }
        chain.reverse();
        let mut properties: Vec<(&'p ParsedPage, &'p Property)> = Vec::new();
        for ancestor in &chain {
            let (page, own): (&'p ParsedPage, Vec<&'p Property>) = match &self.definitions[ancestor]
            {
                Definition::Resource { page, resource, .. } => (
                    page,
                    resource
                        .properties
                        .iter()
                        .chain(&resource.relationships)
                        .collect(),
                ),
                Definition::FromBody {
                    page, properties, ..
                } => (page, properties.iter().collect()),
                _ => continue,
            };
            for property in own {
                // A derived type documenting an inherited property again replaces it in place;
                // a page listing a property twice is left for `fields` to report.
                match properties.iter_mut().find(|(owner, existing)| {
                    existing.name == property.name && !std::ptr::eq(*owner, page)
                }) {
                    Some(slot) => *slot = (page, property),
                    None => properties.push((page, property)),
                }
            }
        }
        let definition_page = self.definitions[key].page();
        self.fields(definition_page, &properties, ModelRole::Resource)
    }

    pub(super) fn fields(
        &mut self,
        owner: &ParsedPage,
        properties: &[(&ParsedPage, &Property)],
        role: ModelRole,
    ) -> Vec<Field> {
        let mut scope = names::Scope::default();
        // Names every struct has.
        scope.claim("odata_type".to_string());
        scope.claim("additional_properties".to_string());
        let mut seen_json = BTreeSet::new();
        let mut fields = Vec::new();
        for (page, property) in properties {
            if property.name.starts_with('@') || property.name.is_empty() {
                continue;
            }
            if !seen_json.insert(property.name.clone()) {
                self.report(
                    Code::DuplicateName,
                    &owner.file,
                    property.line,
                    format!(
                        "property `{}` is documented twice; the first is kept",
                        property.name
                    ),
                );
                continue;
            }
            let field_type = match self.tabulated_enum(page, property) {
                Some(tabulated) => tabulated,
                None => self.field_type(&property.type_ref, page, property.line),
            };
            let (rust_name, renamed) = scope.claim(names::snake(&property.name));
            if renamed {
                self.report(
                    Code::DuplicateName,
                    &owner.file,
                    property.line,
                    format!(
                        "property `{}` clashes with another field's Rust name; it is `{rust_name}`",
                        property.name
                    ),
                );
            }
            let mut docs =
                docs_from(Some(property.description.as_str()).filter(|text| !text.is_empty()));
            if docs.is_empty() {
                docs.push(format!(
                    "`{}`: the docs leave this property undescribed.",
                    property.name
                ));
            }
            if role == ModelRole::UpdateBody && property.facts.read_only {
                docs.push(
                    "The docs mark this property read-only, yet list it in this update body: \
                     the service may reject or ignore a change to it."
                        .to_string(),
                );
            }
            let navigation = page.resource.as_ref().is_some_and(|resource| {
                resource
                    .relationships
                    .iter()
                    .any(|relationship| std::ptr::eq(relationship, *property))
            });
            fields.push(Field {
                json_name: property.name.clone(),
                rust_name,
                field_type,
                docs,
                read_only: property.facts.read_only,
                navigation,
                supports: property.facts.supports.clone(),
                filter_operators: property.facts.filter_operators.clone(),
            });
        }
        fields
    }
}

impl<'p> Resolver<'p> {
    /// The values' type of a dictionary type: its page's, else (a type deriving from a
    /// dictionary that says nothing more) its nearest dictionary base's.
    pub(super) fn dictionary_values(&mut self, key: &str) -> Option<FieldType> {
        let mut current = key.to_string();
        let mut seen = BTreeSet::new();
        while seen.insert(current.clone()) {
            if let Definition::Resource { page, resource, .. } = &self.definitions[&current]
                && let Some(spec) = &resource.dictionary
            {
                let (page, spec) = (*page, spec.clone());
                return Some(self.field_type(&spec.value_type, page, spec.line));
            }
            current = self.bases.get(&current)?.clone();
        }
        None
    }
}
