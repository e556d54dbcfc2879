//! Query options as types: for each GET that documents `$select`, `$filter`, ... the
//! per-type enums of the properties those options may name, and one marker type per distinct
//! set of options, so the client offers exactly what the docs say an endpoint supports.

use std::collections::BTreeMap;

use super::*;
use crate::names;

/// Options whose argument is a property of the response type.
const PROPERTY_OPTIONS: [(&str, &str); 4] = [
    ("$select", "Select"),
    ("$filter", "Filter"),
    ("$orderby", "OrderBy"),
    ("$expand", "Expand"),
];

/// The options in the order rustdoc lists them.
const OPTION_ORDER: [&str; 8] = [
    "$select", "$filter", "$orderby", "$expand", "$top", "$skip", "$count", "$search",
];

/// A GET offers at least the options its examples send (`GET /users?$top=5&$orderby=…`),
/// whatever its page's option list says: the docs show the call working with them.
pub fn add_options_examples_use(api: &mut Api) {
    for case in &api.examples {
        let operation = &mut api.operations[case.operation];
        let collection = match operation.response {
            Response::Collection { .. } | Response::Delta { .. } => true,
            Response::Json { .. } => false,
            _ => continue,
        };
        if operation.method != HttpMethod::Get {
            continue;
        }
        for (name, _) in &case.query {
            let lower = name.to_ascii_lowercase();
            let allowed = match lower.as_str() {
                "$select" | "$expand" => true,
                "$filter" | "$orderby" | "$top" | "$skip" | "$count" | "$search" => collection,
                _ => false,
            };
            if allowed && !operation.query_options.contains(&lower) {
                operation.query_options.push(lower);
            }
        }
    }
    for operation in &mut api.operations {
        operation
            .query_options
            .sort_by_key(|option| OPTION_ORDER.iter().position(|known| known == option));
    }
}

/// Fills `api.selectors`, `api.query_sets` and each operation's `query_set`.
pub fn attach_query_types(api: &mut Api) {
    let mut scope = names::Scope::default();
    for name in api
        .models
        .iter()
        .map(|model| &model.rust_name)
        .chain(api.enums.iter().map(|def| &def.rust_name))
        .chain(api.polymorphic.iter().map(|def| &def.rust_name))
    {
        scope.claim(name.clone());
    }
    let models: BTreeMap<TypePath, &Model> = api
        .models
        .iter()
        .map(|model| (model_path(model), model))
        .collect();
    let polymorphic_bases: BTreeMap<TypePath, &TypePath> = api
        .polymorphic
        .iter()
        .map(|def| (polymorphic_path(def), &def.base))
        .collect();

    let mut selectors: BTreeMap<(TypePath, String), Option<Selector>> = BTreeMap::new();
    let mut sets: BTreeMap<(TypePath, Vec<String>), TypePath> = BTreeMap::new();
    let mut query_sets = Vec::new();
    let mut query_set_of = Vec::with_capacity(api.operations.len());
    for operation in &api.operations {
        query_set_of.push(None);
        if operation.query_options.is_empty() {
            continue;
        }
        let Some(model_path) =
            operation
                .response
                .field_type()
                .and_then(|field_type| match field_type {
                    FieldType::Model { path } => Some(path),
                    FieldType::Polymorphic { path } => polymorphic_bases.get(path).copied(),
                    _ => None,
                })
        else {
            // One source of truth: what the docs list is offered, untyped.
            *query_set_of.last_mut().expect("pushed above") = Some(TypePath::any_options());
            continue;
        };
        let Some(model) = models.get(model_path) else {
            *query_set_of.last_mut().expect("pushed above") = Some(TypePath::any_options());
            continue;
        };
        let key = (model_path.clone(), operation.query_options.clone());
        if let Some(path) = sets.get(&key) {
            *query_set_of.last_mut().expect("pushed above") = Some(path.clone());
            continue;
        }
        let mut set_selectors = BTreeMap::new();
        for (option, suffix) in PROPERTY_OPTIONS {
            if !operation.query_options.iter().any(|named| named == option) {
                continue;
            }
            let selector = selectors
                .entry((model_path.clone(), option.to_string()))
                .or_insert_with(|| selector(model, option, suffix, &mut scope));
            if let Some(selector) = selector {
                set_selectors.insert(
                    option.to_string(),
                    TypePath {
                        area: selector.area.clone(),
                        name: selector.rust_name.clone(),
                    },
                );
            }
        }
        let (rust_name, _) = scope.claim(format!("{}Query", model.rust_name));
        let path = TypePath {
            area: model.area.clone(),
            name: rust_name.clone(),
        };
        query_sets.push(QuerySet {
            rust_name,
            area: model.area.clone(),
            options: operation.query_options.clone(),
            selectors: set_selectors,
        });
        sets.insert(key, path.clone());
        *query_set_of.last_mut().expect("pushed above") = Some(path);
    }
    for (operation, query_set) in api.operations.iter_mut().zip(query_set_of) {
        operation.query_set = query_set;
    }
    let mut selectors: Vec<Selector> = selectors.into_values().flatten().collect();
    selectors.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    query_sets.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    api.selectors = selectors;
    api.query_sets = query_sets;
}

/// The properties of `model` that `option` may name: those the docs say support it; for
/// `$select` every property when the docs single none out; for `$expand` the navigation
/// properties. `None` when there are none to name (the option is then raw text only).
fn selector(
    model: &Model,
    option: &str,
    suffix: &str,
    scope: &mut names::Scope,
) -> Option<Selector> {
    let documented: Vec<&Field> = model
        .fields
        .iter()
        .filter(|field| field.supports.iter().any(|supported| supported == option))
        .collect();
    let (fields, documented) = match option {
        _ if !documented.is_empty() => (documented, true),
        "$select" => (
            model
                .fields
                .iter()
                .filter(|field| !field.navigation)
                .collect(),
            false,
        ),
        "$expand" => (
            model
                .fields
                .iter()
                .filter(|field| field.navigation)
                .collect(),
            false,
        ),
        _ => (Vec::new(), false),
    };
    if fields.is_empty() {
        return None;
    }
    let mut variants = names::Scope::default();
    let properties = fields
        .iter()
        .map(|field| {
            let (variant, _) = variants.claim(names::type_name(&field.json_name));
            (field.json_name.clone(), variant)
        })
        .collect();
    let (rust_name, _) = scope.claim(format!("{}{suffix}", model.rust_name));
    let filter_properties = if option == "$filter" {
        filter_properties(&fields)
    } else {
        Vec::new()
    };
    Some(Selector {
        rust_name,
        area: model.area.clone(),
        model: model_path(model),
        option: option.to_string(),
        documented,
        properties,
        filter_properties,
    })
}

/// The fields a typed comparison can name: primitives, enums, and collections of them (an
/// object's sub-properties are for `filter_raw`).
fn filter_properties(fields: &[&Field]) -> Vec<FilterProperty> {
    let mut functions = names::Scope::default();
    fields
        .iter()
        .filter_map(|field| {
            let (single, collection) = match &field.field_type {
                FieldType::Collection { item } => (item.as_ref(), true),
                single => (single, false),
            };
            if !matches!(
                single,
                FieldType::Primitive { .. } | FieldType::Enum { .. } | FieldType::Flags { .. }
            ) {
                return None;
            }
            let (rust_name, _) = functions.claim(names::snake(&field.json_name));
            Some(FilterProperty {
                json_name: field.json_name.clone(),
                rust_name,
                operators: field.filter_operators.clone(),
                collection,
            })
        })
        .collect()
}

fn model_path(model: &Model) -> TypePath {
    TypePath {
        area: model.area.clone(),
        name: model.rust_name.clone(),
    }
}

fn polymorphic_path(def: &Polymorphic) -> TypePath {
    TypePath {
        area: def.area.clone(),
        name: def.rust_name.clone(),
    }
}
