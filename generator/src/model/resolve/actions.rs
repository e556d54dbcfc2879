//! Actions: whether a call is an OData action or function, called by its name, or a
//! `create`/`get`/… of the builder its path makes.

use std::collections::BTreeSet;

use crate::model::{HttpMethod, Operation, PathPart, Response};
use crate::page::ParsedPage;

use super::definitions::file_stem;

/// Whether the last segment is an OData action or function the page documents: called by its
/// name rather than as `create`/`get` on a builder of its own.
pub(super) fn is_action(page: &ParsedPage, method: HttpMethod, last: Option<&PathPart>) -> bool {
    let segment = match last {
        Some(PathPart::Function { name, .. }) => return !name.is_empty(),
        Some(PathPart::Static { segment }) => segment,
        _ => return false,
    };
    if segment.starts_with('$') || !matches!(method, HttpMethod::Post | HttpMethod::Get) {
        return false;
    }
    let bare = segment
        .rsplit('.')
        .next()
        .unwrap_or(segment)
        .to_ascii_lowercase();
    let title = page.title.as_deref().unwrap_or("").to_ascii_lowercase();
    let title = title.trim();
    // "changeStatus action", "user: assignLicense", "driveItem: copy".
    let named_in_title = title
        .strip_suffix(" action")
        .or_else(|| title.strip_suffix(" function"))
        .map(|name| name.trim() == bare)
        .unwrap_or(false)
        || title
            .rsplit_once(':')
            .is_some_and(|(_, name)| name.trim() == bare);
    let stem = file_stem(&page.file);
    let named_in_file = stem.ends_with(&format!("-{bare}"));
    // A type cast (`microsoft.graph.group`) names a type, not an action, unless the page says
    // it is one.
    named_in_title || (named_in_file && method == HttpMethod::Post)
}

/// A file name such as `message-post-attachments.md` makes `POST …/attachments` look like an
/// action; a path that other endpoints continue below, or that is also read with `GET`, is a
/// collection, and `POST` to it creates.
pub(super) fn demote_collections_named_like_actions(operations: &mut [Operation]) {
    let key = |path: &[PathPart]| path.iter().map(PathPart::key).collect::<Vec<_>>().join("/");
    let mut collections: BTreeSet<String> = BTreeSet::new();
    for operation in operations.iter() {
        // Every proper prefix of the path, built up one part at a time.
        let mut prefix = String::new();
        for part in operation
            .path
            .iter()
            .take(operation.path.len().saturating_sub(1))
        {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(&part.key());
            collections.insert(prefix.clone());
        }
        if operation.method == HttpMethod::Get && !operation.action {
            collections.insert(key(&operation.path));
        }
    }
    for operation in operations.iter_mut() {
        let is_function = matches!(operation.path.last(), Some(PathPart::Function { .. }));
        if operation.action && !is_function && collections.contains(&key(&operation.path)) {
            operation.action = false;
            operation.rust_name = match (operation.method, &operation.response) {
                (HttpMethod::Get, Response::Collection { .. }) => "list",
                (HttpMethod::Get, _) => "get",
                (HttpMethod::Post, _) => "create",
                (HttpMethod::Patch, _) => "update",
                (HttpMethod::Put, _) => "replace",
                (HttpMethod::Delete, _) => "delete",
            }
            .to_string();
        }
    }
}

/// A function documented both bare and with arguments (`delta` and `delta(token='{token}')`):
/// the form with arguments is named after them (`delta_with_token`), as accessors of such
/// overloads are, rather than numbered.
pub(super) fn name_function_overloads(operations: &mut [Operation]) {
    let parent = |operation: &Operation| {
        operation.path[..operation.path.len().saturating_sub(1)]
            .iter()
            .map(PathPart::key)
            .collect::<Vec<_>>()
            .join("/")
    };
    let bare: BTreeSet<(String, String)> = operations
        .iter()
        .filter(|operation| operation.action)
        .filter(|operation| match operation.path.last() {
            Some(PathPart::Function { arguments, .. }) => arguments.is_empty(),
            Some(PathPart::Static { .. }) => true,
            _ => false,
        })
        .map(|operation| (parent(operation), operation.rust_name.clone()))
        .collect();
    for operation in operations.iter_mut().filter(|operation| operation.action) {
        let Some(PathPart::Function { arguments, .. }) = operation.path.last() else {
            continue;
        };
        if arguments.is_empty() || !bare.contains(&(parent(operation), operation.rust_name.clone()))
        {
            continue;
        }
        let named: Vec<String> = arguments
            .iter()
            .filter_map(|argument| argument.name.as_deref())
            .map(|name| {
                crate::names::snake(name)
                    .trim_start_matches("r#")
                    .to_string()
            })
            .collect();
        if !named.is_empty() {
            operation.rust_name = format!("{}_with_{}", operation.rust_name, named.join("_and_"));
        }
    }
}
