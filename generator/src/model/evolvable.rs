//! Which types hold an evolvable enum: their calls may ask for the enum's newer members
//! (`Prefer: include-unknown-enum-members`).

use std::collections::BTreeSet;

use super::{Api, FieldType, ModelRole, TypePath};

/// Marks every model and polymorphic enum that holds an evolvable enum, through any depth of
/// fields, collections and derived types.
pub fn mark_carriers(api: &mut Api) {
    let mut carriers: BTreeSet<TypePath> = api
        .enums
        .iter()
        .filter(|def| def.evolvable)
        .map(|def| TypePath {
            area: def.area.clone(),
            name: def.rust_name.clone(),
        })
        .collect();
    if carriers.is_empty() {
        return;
    }
    // Until nothing changes: each round marks the types one step further out.
    loop {
        let before = carriers.len();
        for model in &api.models {
            let values = model.dictionary.iter();
            if model
                .fields
                .iter()
                .map(|field| &field.field_type)
                .chain(values)
                .any(|field_type| names_a_carrier(field_type, &carriers))
            {
                carriers.insert(TypePath {
                    area: model.area.clone(),
                    name: model.rust_name.clone(),
                });
            }
        }
        for def in &api.polymorphic {
            let carries = carriers.contains(&def.base)
                || def
                    .variants
                    .iter()
                    .any(|variant| carriers.contains(&variant.path));
            if carries {
                carriers.insert(TypePath {
                    area: def.area.clone(),
                    name: def.rust_name.clone(),
                });
            }
        }
        if carriers.len() == before {
            break;
        }
    }
    let carries = |area: &str, name: &str| {
        carriers.contains(&TypePath {
            area: area.to_string(),
            name: name.to_string(),
        })
    };
    for model in &mut api.models {
        // Request bodies are never read from a response.
        model.carries_evolvable_enums =
            model.role == ModelRole::Resource && carries(&model.area, &model.rust_name);
    }
    for def in &mut api.polymorphic {
        def.carries_evolvable_enums = carries(&def.area, &def.rust_name);
    }
}

fn names_a_carrier(field_type: &FieldType, carriers: &BTreeSet<TypePath>) -> bool {
    match field_type {
        FieldType::Model { path }
        | FieldType::Polymorphic { path }
        | FieldType::Enum { path }
        | FieldType::Flags { path } => carriers.contains(path),
        FieldType::Collection { item } => names_a_carrier(item, carriers),
        FieldType::Primitive { .. } | FieldType::Json => false,
    }
}

impl Api {
    /// Whether a value of `field_type` can hold an evolvable enum (see [`mark_carriers`]).
    pub fn carries_evolvable_enums(&self, field_type: &FieldType) -> bool {
        match field_type {
            FieldType::Model { path } => self.models.iter().any(|model| {
                model.carries_evolvable_enums && is(path, &model.area, &model.rust_name)
            }),
            FieldType::Polymorphic { path } => self
                .polymorphic
                .iter()
                .any(|def| def.carries_evolvable_enums && is(path, &def.area, &def.rust_name)),
            FieldType::Enum { path } | FieldType::Flags { path } => self
                .enums
                .iter()
                .any(|def| def.evolvable && is(path, &def.area, &def.rust_name)),
            FieldType::Collection { item } => self.carries_evolvable_enums(item),
            FieldType::Primitive { .. } | FieldType::Json => false,
        }
    }
}

fn is(path: &TypePath, area: &str, name: &str) -> bool {
    path.area == area && path.name == name
}
