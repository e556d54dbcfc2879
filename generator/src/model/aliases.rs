//! Segments that stand for a longer path: `/me` is the signed-in user (`/users/{id}`), `/drive`
//! the signed-in user's drive (`/users/{id}/drive`), a drive's `root` its root folder
//! (`…/drive/items/{id}`). The service answers every form alike; the docs write some calls one
//! way, some another, many several. The client offers every call every way (the emitter gives
//! `me()`, `drive()` and `root()` the builder of the path they stand for), so one operation
//! per call is kept here, and an example may write any form.

use std::collections::BTreeSet;

use super::*;

/// A segment standing for a longer path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    /// The segment: `me`, `drive`, `root`.
    pub segment: &'static str,
    /// The path it stands for, `{}` for an item's key: `users/{}` for `me`.
    pub stands_for: &'static [&'static str],
    /// What the item is, for rustdoc.
    pub meaning: &'static str,
    /// What its key is called when written out: `/drive`'s is the signed-in user's (`{me-id}`).
    pub key_name: &'static str,
}

pub const ALIASES: [Alias; 3] = [
    Alias {
        segment: "me",
        stands_for: &["users", "{}"],
        meaning: "the signed-in user",
        key_name: "me",
    },
    Alias {
        segment: "drive",
        stands_for: &["users", "{}", "drive"],
        meaning: "the signed-in user's drive",
        key_name: "me",
    },
    Alias {
        segment: "root",
        stands_for: &["items", "{}"],
        meaning: "the drive's root folder",
        key_name: "root",
    },
];

impl Alias {
    /// Whether it starts a path (`/me`, `/drive`) rather than following a drive (`root`).
    pub fn starts_a_path(&self) -> bool {
        self.segment != "root"
    }

    /// The builder calls it stands for, as a user writes them: `users().item(id)`.
    pub fn chain(&self) -> String {
        self.stands_for
            .iter()
            .map(|key| match *key {
                "{}" => "item(id)".to_string(),
                name => format!("{}()", crate::names::snake(name)),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Whether `parts` begins with the path this alias stands for.
    fn stands_at(&self, parts: &[PathPart]) -> bool {
        parts.len() >= self.stands_for.len()
            && self
                .stands_for
                .iter()
                .zip(parts)
                .all(|(key, part)| match (*key, part) {
                    ("{}", PathPart::Parameter { .. }) => true,
                    (name, PathPart::Static { segment }) => segment.eq_ignore_ascii_case(name),
                    _ => false,
                })
    }
}

/// The alias `segment` is at `index` of a path whose earlier parts are `before`: `me` and
/// `drive` start a path; `root` follows a drive (`…/drive`, `/drives/{id}`).
pub fn alias_at(before: &[PathPart], segment: &str) -> Option<&'static Alias> {
    let alias = ALIASES
        .iter()
        .find(|alias| alias.segment.eq_ignore_ascii_case(segment))?;
    let fits = if alias.starts_a_path() {
        before.is_empty()
    } else {
        match before {
            [.., PathPart::Static { segment }] => segment.eq_ignore_ascii_case("drive"),
            [.., PathPart::Static { segment }, PathPart::Parameter { .. }] => {
                segment.eq_ignore_ascii_case("drives")
            }
            _ => false,
        }
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

/// The path's keys with every alias written as the path it stands for: `/me/drive/root`,
/// `/drive/root` and `/users/{id}/drive/items/{id}` have the same.
pub fn canonical_keys(path: &[PathPart]) -> Vec<String> {
    let mut keys = Vec::new();
    for (index, part) in path.iter().enumerate() {
        match alias_of(path, index) {
            Some(alias) => keys.extend(alias.stands_for.iter().map(|key| key.to_string())),
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

/// The other ways to write `path`: every alias written out or not, every path an alias stands
/// for written as the alias where it fits (a handful of forms at most).
pub fn other_forms(path: &[PathPart]) -> Vec<Vec<PathPart>> {
    // Every alias written out; the keys it stands for named after it (`{me-id}`).
    let mut expanded = Vec::new();
    for (index, part) in path.iter().enumerate() {
        match alias_of(path, index) {
            Some(alias) => expanded.extend(alias.stands_for.iter().map(|key| match *key {
                "{}" => PathPart::Parameter {
                    graph_name: format!("{}-id", alias.key_name),
                    rust_name: format!("{}_id", alias.key_name),
                    alternatives: Vec::new(),
                },
                name => PathPart::Static {
                    segment: name.to_string(),
                },
            })),
            None => expanded.push(part.clone()),
        }
    }
    let mut forms = Vec::new();
    write_forms(&expanded, Vec::new(), &mut forms);
    let written = template_of(path);
    let mut seen = BTreeSet::new();
    forms.retain(|form| {
        let template = template_of(form);
        template != written && seen.insert(template)
    });
    forms
}

/// Every way to write `rest` after `written`: each part as it is, or an alias for the parts it
/// stands for where the alias fits.
fn write_forms(rest: &[PathPart], written: Vec<PathPart>, forms: &mut Vec<Vec<PathPart>>) {
    if rest.is_empty() {
        forms.push(written);
        return;
    }
    for alias in &ALIASES {
        if alias.stands_at(rest) && alias_at(&written, alias.segment).is_some() {
            let mut form = written.clone();
            form.push(PathPart::Static {
                segment: alias.segment.to_string(),
            });
            write_forms(&rest[alias.stands_for.len()..], form, forms);
        }
    }
    let mut form = written;
    form.push(rest[0].clone());
    write_forms(&rest[1..], form, forms);
}

fn template_of(path: &[PathPart]) -> String {
    let mut template = String::new();
    for part in path {
        if !matches!(part, PathPart::ItemPath { .. }) {
            template.push('/');
        }
        part.write_template(&mut template);
    }
    template
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
        // `/drive` starts a path; a user's or group's `drive` is a navigation.
        let drive_root = [segment("drive"), segment("root")];
        assert!(alias_of(&drive_root, 0).is_some() && alias_of(&drive_root, 1).is_some());
        assert_eq!(canonical_keys(&drive_root), canonical_keys(&me_root));
        let group_drive = [segment("groups"), parameter("id"), segment("drive")];
        assert!(alias_of(&group_drive, 2).is_none());
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
                "/me/drive/items/{root-id}/children",
                "/drive/root/children",
                "/drive/items/{root-id}/children",
                "/users/{id}/drive/items/{root-id}/children",
            ]
        );
        // `/drive` is the signed-in user's drive: written out through `me` or `users`.
        let forms: Vec<String> = other_forms(&[segment("drive"), segment("root")])
            .iter()
            .map(|form| template(form))
            .collect();
        assert_eq!(
            forms,
            [
                "/me/drive/root",
                "/me/drive/items/{root-id}",
                "/drive/items/{root-id}",
                "/users/{me-id}/drive/root",
                "/users/{me-id}/drive/items/{root-id}",
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
