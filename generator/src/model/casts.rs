//! Type-cast segments: `GET /users/{id}/memberOf/microsoft.graph.group` lists only the groups
//! of a collection of directory objects, each read as a group. The pages write these paths
//! only in examples; each cast an example makes on a documented collection becomes a call of
//! its own, as the options examples use do (`query::add_options_examples_use`).

use std::collections::BTreeSet;

use super::*;
use crate::page::ParsedPage;

/// Adds `GET …/<collection>/microsoft.graph.<type>` for every cast an example makes on a
/// collection GET whose items are a base type and `<type>` one of its derived types.
pub fn add_casts_examples_use(
    operations: &mut Vec<Operation>,
    pages: &[&ParsedPage],
    polymorphic: &[Polymorphic],
) {
    let mut known: BTreeSet<(String, HttpMethod)> = operations
        .iter()
        .map(|operation| (operation.template().to_ascii_lowercase(), operation.method))
        .collect();
    let mut casts = Vec::new();
    for path in super::examples::example_get_paths(pages) {
        let Some((prefix, cast)) = cast_segment(path) else {
            continue;
        };
        let Some(operation) = operations.iter().find(|operation| {
            operation.method == HttpMethod::Get
                && matches!(operation.response, Response::Collection { .. })
                && super::examples::match_path(&operation.path, prefix).is_some()
        }) else {
            continue;
        };
        let Response::Collection { item } = &operation.response else {
            continue;
        };
        let Some((odata_type, item)) = derived_item(item, cast, polymorphic) else {
            continue;
        };
        let mut path = operation.path.clone();
        path.push(PathPart::Static {
            segment: odata_type.clone(),
        });
        let template = operation.template();
        let mut docs = vec![format!(
            "Only the `{}` items of `{template}`, each read as one.",
            odata_type.rsplit('.').next().unwrap_or(&odata_type)
        )];
        docs.extend(operation.docs.iter().skip(1).cloned());
        let cast_operation = Operation {
            path,
            response: Response::Collection { item },
            docs,
            query_set: None,
            ..operation.clone()
        };
        if known.insert((
            cast_operation.template().to_ascii_lowercase(),
            HttpMethod::Get,
        )) {
            casts.push(cast_operation);
        }
    }
    operations.extend(casts);
    operations.sort_by_cached_key(|operation| (operation.template(), operation.method));
}

/// `/users/{id}/memberOf/microsoft.graph.group/$count` → (`/users/{id}/memberOf`, `group`):
/// the path before the first cast segment, and the cast type's name.
fn cast_segment(path: &str) -> Option<(&str, &str)> {
    let start = path.to_ascii_lowercase().find("/microsoft.graph.")?;
    let rest = &path[start + "/microsoft.graph.".len()..];
    let name = rest.split('/').next()?;
    (!name.is_empty() && !name.contains(['(', '\'']) && start > 0).then(|| (&path[..start], name))
}

/// The `@odata.type` and item type of the derived type `name` of a collection of `item`.
fn derived_item(
    item: &FieldType,
    name: &str,
    polymorphic: &[Polymorphic],
) -> Option<(String, FieldType)> {
    let FieldType::Polymorphic { path } = item else {
        return None;
    };
    let base = polymorphic
        .iter()
        .find(|candidate| candidate.rust_name == path.name && candidate.area == path.area)?;
    let variant = base.variants.iter().find(|variant| {
        variant
            .odata_type
            .rsplit('.')
            .next()
            .is_some_and(|short| short.eq_ignore_ascii_case(name))
    })?;
    // A derived type with derived types of its own is read through its own enum.
    let item = polymorphic
        .iter()
        .find(|candidate| candidate.base == variant.path)
        .map_or_else(
            || FieldType::Model {
                path: variant.path.clone(),
            },
            |nested| FieldType::Polymorphic {
                path: TypePath {
                    area: nested.area.clone(),
                    name: nested.rust_name.clone(),
                },
            },
        );
    Some((variant.odata_type.clone(), item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cast_segment_and_what_comes_before_it() {
        assert_eq!(
            cast_segment("/users/{id}/memberOf/microsoft.graph.group/$count"),
            Some(("/users/{id}/memberOf", "group"))
        );
        assert_eq!(
            cast_segment("/groups/{id}/members/Microsoft.Graph.User"),
            Some(("/groups/{id}/members", "User"))
        );
        assert_eq!(cast_segment("/users/{id}/memberOf"), None);
        assert_eq!(cast_segment("/microsoft.graph.group"), None);
    }

    #[test]
    fn a_cast_names_a_derived_type_of_the_items() {
        let path = |name: &str| TypePath {
            area: "directory".to_string(),
            name: name.to_string(),
        };
        let polymorphic = [Polymorphic {
            rust_name: "AnyDirectoryObject".to_string(),
            area: "directory".to_string(),
            base: path("DirectoryObject"),
            base_odata_type: "microsoft.graph.directoryObject".to_string(),
            variants: vec![PolymorphicVariant {
                odata_type: "microsoft.graph.group".to_string(),
                path: path("Group"),
            }],
            carries_evolvable_enums: false,
        }];
        let item = FieldType::Polymorphic {
            path: path("AnyDirectoryObject"),
        };
        assert_eq!(
            derived_item(&item, "Group", &polymorphic),
            Some((
                "microsoft.graph.group".to_string(),
                FieldType::Model {
                    path: path("Group")
                }
            ))
        );
        assert_eq!(derived_item(&item, "user", &polymorphic), None);
    }
}
