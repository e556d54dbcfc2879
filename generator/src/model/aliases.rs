//! Segments that name an item of a collection: `/me` is the signed-in user
//! (`/users/{id}`), a drive's `root` is its root folder (`…/drive/items/{id}`). The service
//! answers both forms alike; the docs write some calls one way, some the other, many both. The
//! client offers every call both ways (the emitter gives `me()` and `root()` the builder of the
//! item), so one operation per call is kept here, and an example may write either form.

use std::collections::BTreeSet;

use super::*;

/// A segment standing for one item of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    /// The segment: `me`, `root`.
    pub segment: &'static str,
    /// The collection its item is in: `users`, `items`.
    pub collection: &'static str,
    /// What the item is, for rustdoc.
    pub meaning: &'static str,
}

pub const ALIASES: [Alias; 2] = [
    Alias {
        segment: "me",
        collection: "users",
        meaning: "the signed-in user",
    },
    Alias {
        segment: "root",
        collection: "items",
        meaning: "the drive's root folder",
    },
];

/// The alias `segment` is at `index` of a path whose earlier parts are `before`: `me` starts a
/// path; `root` follows a drive (`…/drive`, `/drives/{id}`).
pub fn alias_at(before: &[PathPart], segment: &str) -> Option<&'static Alias> {
    let alias = ALIASES
        .iter()
        .find(|alias| alias.segment.eq_ignore_ascii_case(segment))?;
    let fits = match alias.segment {
        "me" => before.is_empty(),
        _ => match before {
            [.., PathPart::Static { segment }] => segment.eq_ignore_ascii_case("drive"),
            [.., PathPart::Static { segment }, PathPart::Parameter { .. }] => {
                segment.eq_ignore_ascii_case("drives")
            }
            _ => false,
        },
    };
    fits.then_some(alias)
}

/// The alias a part of `path` is, if it is one where it stands.
pub fn alias_of(path: &[PathPart], index: usize) -> Option<&'static Alias> {
    match &path[index] {
        PathPart::Static { segment } => alias_at(&path[..index], segment),
        _ => None,
    }
}

/// The path's keys with every alias written as its collection and item: `/me/drive/root` and
/// `/users/{id}/drive/items/{id}` have the same.
pub fn canonical_keys(path: &[PathPart]) -> Vec<String> {
    let mut keys = Vec::new();
    for (index, part) in path.iter().enumerate() {
        match alias_of(path, index) {
            Some(alias) => {
                keys.push(alias.collection.to_string());
                keys.push("{}".to_string());
            }
            None => keys.push(part.key()),
        }
    }
    keys
}

/// How many aliases the path writes.
pub fn alias_count(path: &[PathPart]) -> usize {
    (0..path.len())
        .filter(|&index| alias_of(path, index).is_some())
        .count()
}

/// The other ways to write `path`: each alias as its collection and item, each collection
/// item that has an alias as the alias (at most two aliases per path: up to three forms).
pub fn other_forms(path: &[PathPart]) -> Vec<Vec<PathPart>> {
    // Where a form can switch: (index, written as alias?)
    let mut switches = Vec::new();
    for (index, part) in path.iter().enumerate() {
        if alias_of(path, index).is_some() {
            switches.push(index);
        } else if let (PathPart::Static { segment }, Some(PathPart::Parameter { .. })) =
            (part, path.get(index + 1))
            && ALIASES.iter().any(|alias| {
                alias.collection.eq_ignore_ascii_case(segment)
                    && alias_at(&path[..index], alias.segment).is_some()
            })
        {
            switches.push(index);
        }
    }
    let mut forms = Vec::new();
    for mask in 1..(1u32 << switches.len().min(3)) {
        let mut form = Vec::new();
        let mut index = 0;
        while index < path.len() {
            let switched = switches
                .iter()
                .position(|&at| at == index)
                .is_some_and(|bit| mask & (1 << bit) != 0);
            if !switched {
                form.push(path[index].clone());
                index += 1;
                continue;
            }
            match alias_of(path, index) {
                Some(alias) => {
                    form.push(PathPart::Static {
                        segment: alias.collection.to_string(),
                    });
                    form.push(PathPart::Parameter {
                        graph_name: format!("{}-id", alias.segment),
                        rust_name: format!("{}_id", alias.segment),
                        alternatives: Vec::new(),
                    });
                    index += 1;
                }
                None => {
                    let PathPart::Static { segment } = &path[index] else {
                        unreachable!("switches are aliases or collections")
                    };
                    let alias = ALIASES
                        .iter()
                        .find(|alias| alias.collection.eq_ignore_ascii_case(segment))
                        .expect("a switch's collection has an alias");
                    form.push(PathPart::Static {
                        segment: alias.segment.to_string(),
                    });
                    index += 2;
                }
            }
        }
        forms.push(form);
    }
    forms
}

fn fixed_query(operation: &Operation) -> Vec<(String, String)> {
    operation
        .query
        .iter()
        .map(|pair| (pair.name.to_ascii_lowercase(), pair.value.clone()))
        .collect()
}

/// A call as the client sees it: method, canonical path, fixed query.
type CallKey = (HttpMethod, Vec<String>, Vec<(String, String)>);

fn call_key(operation: &Operation) -> CallKey {
    (
        operation.method,
        canonical_keys(&operation.path),
        fixed_query(operation),
    )
}

/// Keeps one operation per call: of the forms the docs write, the one with the fewest aliases
/// (`/users/{id}/messages` over `/me/messages`).
pub fn merge_aliased_calls(operations: &mut Vec<Operation>) {
    let mut fewest: std::collections::BTreeMap<CallKey, usize> = Default::default();
    for operation in operations.iter() {
        let count = alias_count(&operation.path);
        fewest
            .entry(call_key(operation))
            .and_modify(|least| *least = (*least).min(count))
            .or_insert(count);
    }
    let mut kept: BTreeSet<CallKey> = BTreeSet::new();
    operations.retain(|operation| {
        let key = call_key(operation);
        fewest[&key] == alias_count(&operation.path) && kept.insert(key)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(name: &str) -> PathPart {
        PathPart::Static {
            segment: name.to_string(),
        }
    }

    fn parameter(name: &str) -> PathPart {
        PathPart::Parameter {
            graph_name: name.to_string(),
            rust_name: name.to_string(),
            alternatives: Vec::new(),
        }
    }

    fn template(path: &[PathPart]) -> String {
        let mut out = String::new();
        for part in path {
            out.push('/');
            part.write_template(&mut out);
        }
        out
    }

    fn operation(method: HttpMethod, path: Vec<PathPart>) -> Operation {
        Operation {
            rust_name: "list".to_string(),
            action: false,
            method,
            path,
            query: Vec::new(),
            docs: Vec::new(),
            permissions: Vec::new(),
            missing_permission_includes: Vec::new(),
            headers: Vec::new(),
            sends_headers: Vec::new(),
            body: Body::None,
            response: Response::NoContent,
            query_options: Vec::new(),
            query_set: None,
            source: Source {
                file: "api/user-list-messages.md".to_string(),
                line: 1,
            },
        }
    }

    #[test]
    fn aliases_stand_where_the_service_reads_them() {
        let me_root = [segment("me"), segment("drive"), segment("root")];
        assert!(alias_of(&me_root, 0).is_some() && alias_of(&me_root, 2).is_some());
        let drives = [segment("drives"), parameter("drive-id"), segment("root")];
        assert!(alias_of(&drives, 2).is_some());
        // The root site and a user's `me` property are not aliases.
        let site = [segment("sites"), segment("root")];
        assert!(alias_of(&site, 1).is_none());
        let nested = [segment("users"), parameter("id"), segment("me")];
        assert!(alias_of(&nested, 2).is_none());
        assert_eq!(
            canonical_keys(&me_root),
            ["users", "{}", "drive", "items", "{}"]
        );
    }

    #[test]
    fn every_other_form_of_a_path() {
        let path = [
            segment("users"),
            parameter("id"),
            segment("drive"),
            segment("root"),
            segment("children"),
        ];
        let forms: Vec<String> = other_forms(&path)
            .iter()
            .map(|form| template(form))
            .collect();
        assert_eq!(
            forms,
            [
                "/me/drive/root/children",
                "/users/{id}/drive/items/{root-id}/children",
                "/me/drive/items/{root-id}/children",
            ]
        );
    }

    #[test]
    fn one_call_per_path_the_fewest_aliases_kept() {
        let mut operations = vec![
            operation(HttpMethod::Get, vec![segment("me"), segment("messages")]),
            operation(
                HttpMethod::Get,
                vec![segment("users"), parameter("id"), segment("Messages")],
            ),
            // Only written with aliases: kept, the emitter offers it on the items too.
            operation(
                HttpMethod::Get,
                vec![
                    segment("me"),
                    segment("drive"),
                    segment("root"),
                    segment("children"),
                ],
            ),
            // Another method is another call.
            operation(HttpMethod::Post, vec![segment("me"), segment("messages")]),
        ];
        merge_aliased_calls(&mut operations);
        let kept: Vec<String> = operations
            .iter()
            .map(|operation| format!("{} {}", operation.method.as_str(), operation.template()))
            .collect();
        assert_eq!(
            kept,
            [
                "GET /users/{id}/Messages",
                "GET /me/drive/root/children",
                "POST /me/messages"
            ]
        );
    }
}
