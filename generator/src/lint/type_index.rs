//! Lookups over one resolved API: the models, enums and operations example bodies are
//! checked against.

use std::collections::HashMap;

use serde_json::Value;

use super::values::Walk;
use super::{Direction, ValueFinding};
use crate::model::{Api, Enum, FieldType, Model, ModelRole, Operation, Polymorphic, TypePath};
use crate::page::{HttpMethod, MethodPage, ParsedPage, TypeRef};

/// Lookups over one [`Api`] for type checks.
pub struct TypeIndex<'a> {
    pub api: &'a Api,
    models: HashMap<(&'a str, &'a str), &'a Model>,
    resources_by_name: HashMap<String, &'a Model>,
    pub(super) by_odata: HashMap<String, &'a Model>,
    enums: HashMap<(&'a str, &'a str), &'a Enum>,
    polymorphic: HashMap<(&'a str, &'a str), &'a Polymorphic>,
    polymorphic_by_base: HashMap<(&'a str, &'a str), &'a Polymorphic>,
    operations: HashMap<&'a str, Vec<&'a Operation>>,
}

impl<'a> TypeIndex<'a> {
    pub fn new(api: &'a Api) -> Self {
        let mut index = TypeIndex {
            api,
            models: HashMap::new(),
            resources_by_name: HashMap::new(),
            by_odata: HashMap::new(),
            enums: HashMap::new(),
            polymorphic: HashMap::new(),
            polymorphic_by_base: HashMap::new(),
            operations: HashMap::new(),
        };
        for model in &api.models {
            index
                .models
                .insert((model.area.as_str(), model.rust_name.as_str()), model);
            if model.role == ModelRole::Resource {
                index
                    .resources_by_name
                    .entry(model.graph_name.to_ascii_lowercase())
                    .or_insert(model);
                if let Some(odata) = &model.odata_type {
                    index
                        .by_odata
                        .entry(odata.trim_start_matches('#').to_ascii_lowercase())
                        .or_insert(model);
                }
            }
        }
        for def in &api.enums {
            index
                .enums
                .insert((def.area.as_str(), def.rust_name.as_str()), def);
        }
        for def in &api.polymorphic {
            index
                .polymorphic
                .insert((def.area.as_str(), def.rust_name.as_str()), def);
            index
                .polymorphic_by_base
                .insert((def.base.area.as_str(), def.base.name.as_str()), def);
        }
        for operation in &api.operations {
            index
                .operations
                .entry(operation.source.file.as_str())
                .or_default()
                .push(operation);
        }
        index
    }

    pub fn model(&self, path: &TypePath) -> Option<&'a Model> {
        self.models
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    pub fn enumeration(&self, path: &TypePath) -> Option<&'a Enum> {
        self.enums
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    pub fn polymorphic(&self, path: &TypePath) -> Option<&'a Polymorphic> {
        self.polymorphic
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    /// The polymorphic enum over a base model, if the model has derived types.
    pub fn polymorphic_over(&self, base: &TypePath) -> Option<&'a Polymorphic> {
        self.polymorphic_by_base
            .get(&(base.area.as_str(), base.name.as_str()))
            .copied()
    }

    pub fn operations_of(&self, file: &str) -> Vec<&'a Operation> {
        self.operations.get(file).cloned().unwrap_or_default()
    }

    /// A resource model by its Graph name (`user`, `microsoft.graph.user`).
    pub fn resource_named(&self, name: &str) -> Option<&'a Model> {
        let bare = name.rsplit('.').next().unwrap_or(name);
        self.resources_by_name
            .get(&bare.to_ascii_lowercase())
            .copied()
    }

    fn model_field_type(&self, model: &Model) -> FieldType {
        let path = TypePath {
            area: model.area.clone(),
            name: model.rust_name.clone(),
        };
        FieldType::Model { path }
    }

    /// The field type of a type cell, looked up by name (for pages the resolver made no
    /// operation for).
    pub fn type_for_ref(&self, type_ref: &TypeRef) -> Option<FieldType> {
        match type_ref {
            TypeRef::Primitive { primitive } => Some(FieldType::Primitive {
                primitive: *primitive,
            }),
            TypeRef::Named { name, .. } => self
                .resource_named(name)
                .map(|model| self.model_field_type(model)),
            TypeRef::Collection { item } => {
                self.type_for_ref(item).map(|item| FieldType::Collection {
                    item: Box::new(item),
                })
            }
            TypeRef::Union { .. } | TypeRef::Unknown { .. } => None,
        }
    }

    /// The type an example response body is read into.
    pub fn response_type(
        &self,
        method: &MethodPage,
        operations: &[&Operation],
    ) -> Option<FieldType> {
        if let Some(operation) = operations.first() {
            return match &operation.response {
                crate::model::Response::Json { body, .. } => Some(body.clone()),
                crate::model::Response::Collection { item }
                | crate::model::Response::Delta { item } => Some(FieldType::Collection {
                    item: Box::new(item.clone()),
                }),
                _ => None,
            };
        }
        let response = method.response.as_ref()?;
        if response.status == Some(204) {
            return None;
        }
        self.type_for_ref(response.type_ref.as_ref()?)
    }

    /// The type an example request body is read into: the page's body type, else the
    /// resource the page creates or updates.
    pub fn request_type(
        &self,
        page: &ParsedPage,
        method: &MethodPage,
        operations: &[&Operation],
    ) -> Option<FieldType> {
        let _ = page;
        if let Some(path) = operations
            .iter()
            .find_map(|operation| match &operation.body {
                crate::model::Body::Model { path } => Some(path.clone()),
                _ => None,
            })
        {
            // A body of any type derived from a base is that base's `Any…` enum.
            return Some(if self.polymorphic(&path).is_some() {
                FieldType::Polymorphic { path }
            } else {
                FieldType::Model { path }
            });
        }
        if method
            .request_body
            .as_ref()
            .is_some_and(|body| !body.properties.is_empty())
        {
            // A body table the resolver made no type for (no operation): nothing to check against.
            return None;
        }
        let verb = method.requests.first()?.method;
        if !matches!(verb, HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put) {
            return None;
        }
        match self.type_for_ref(method.response.as_ref()?.type_ref.as_ref()?)? {
            single @ FieldType::Model { .. } => Some(single),
            _ => None,
        }
    }

    /// Checks a JSON value against a field type the way the generated code reads it.
    pub fn check(&self, ty: &FieldType, value: &Value, direction: Direction) -> Vec<ValueFinding> {
        let mut walk = Walk {
            index: self,
            path: Vec::new(),
            out: Vec::new(),
            direction,
        };
        walk.value(ty, value, 0);
        walk.out
    }
}
