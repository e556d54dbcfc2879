//! `$count` endpoints: `GET /users/$count` answers the number of items of a collection in
//! plain text. Few pages document the path as a request line; their collections say they
//! support `$count`, and their examples call it. Each such collection gets its count.

use std::collections::BTreeSet;

use super::*;
use crate::page::ParsedPage;

/// Adds a `GET …/$count` endpoint beside every collection GET that documents `$count` or
/// whose path an example counts (`GET /users/$count`), unless one is documented already.
pub fn add_count_endpoints(operations: &mut Vec<Operation>, pages: &[&ParsedPage]) {
    let counted_in_examples: Vec<&str> = super::examples::example_get_paths(pages)
        .filter_map(|path| path.strip_suffix("/$count"))
        .collect();
    let documented: BTreeSet<(String, HttpMethod)> = operations
        .iter()
        .map(|operation| (operation.template(), operation.method))
        .collect();
    let mut counts = Vec::new();
    for operation in operations.iter() {
        if operation.method != HttpMethod::Get
            || !matches!(operation.response, Response::Collection { .. })
        {
            continue;
        }
        let wanted = operation
            .query_options
            .iter()
            .any(|option| option == "$count")
            || counted_in_examples
                .iter()
                .any(|path| super::examples::match_path(&operation.path, path).is_some());
        if !wanted {
            continue;
        }
        let mut path = operation.path.clone();
        path.push(PathPart::Static {
            segment: "$count".to_string(),
        });
        let count = Operation {
            rust_name: "get".to_string(),
            action: false,
            method: HttpMethod::Get,
            path,
            query: operation.query.clone(),
            docs: vec![
                "The number of items in the collection, as `$filter` and `$search` narrow it. \
                 Sent with `ConsistencyLevel: eventual`, without which directory objects \
                 (users, groups, …) cannot be counted."
                    .to_string(),
            ],
            permissions: operation.permissions.clone(),
            missing_permission_includes: operation.missing_permission_includes.clone(),
            headers: Vec::new(),
            sends_headers: vec![("ConsistencyLevel".to_string(), "eventual".to_string())],
            body: Body::None,
            response: Response::Count,
            query_options: operation
                .query_options
                .iter()
                .filter(|option| matches!(option.as_str(), "$filter" | "$search"))
                .cloned()
                .collect(),
            query_set: None,
            source: operation.source.clone(),
        };
        if !documented.contains(&(count.template(), HttpMethod::Get)) {
            counts.push(count);
        }
    }
    operations.extend(counts);
    operations.sort_by_cached_key(|operation| (operation.template(), operation.method));
}
