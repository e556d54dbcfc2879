//! `/me` is the signed-in user: the service answers `/me/…` exactly as `/users/{id}/…` for
//! that user. The docs write some calls one way, some the other, and many both; the client
//! offers every user call both ways (the emitter gives `client.me()` the builder of
//! `client.users().item(id)`), so one operation per call is kept here.

use std::collections::BTreeSet;

use super::*;

/// The path after the user: `/me/messages` and `/users/{id}/messages` both give `messages`.
/// `None` for paths outside a user.
pub fn below_user(path: &[PathPart]) -> Option<&[PathPart]> {
    match path {
        [PathPart::Static { segment }, rest @ ..] if segment.eq_ignore_ascii_case("me") => {
            Some(rest)
        }
        [
            PathPart::Static { segment },
            PathPart::Parameter { .. },
            rest @ ..,
        ] if segment.eq_ignore_ascii_case("users") => Some(rest),
        _ => None,
    }
}

/// Whether `path` starts at `/me`.
pub fn is_me(path: &[PathPart]) -> bool {
    matches!(path.first(), Some(PathPart::Static { segment }) if segment.eq_ignore_ascii_case("me"))
}

/// A call as the user sees it: method, path below the user, fixed query.
type CallKey = (HttpMethod, Vec<String>, Vec<(String, String)>);

fn keys(parts: &[PathPart]) -> Vec<String> {
    parts.iter().map(PathPart::key).collect()
}

fn fixed_query(operation: &Operation) -> Vec<(String, String)> {
    operation
        .query
        .iter()
        .map(|pair| (pair.name.to_ascii_lowercase(), pair.value.clone()))
        .collect()
}

/// Drops each `/me/…` operation whose call is also documented as `/users/{id}/…` (same
/// method, same path below the user, same fixed query), noting on the kept one that
/// `client.me()` sends it for the signed-in user.
pub fn merge_signed_in_user(operations: &mut Vec<Operation>) {
    let documented_for_users: BTreeSet<CallKey> = operations
        .iter()
        .filter(|operation| !is_me(&operation.path))
        .filter_map(|operation| {
            below_user(&operation.path)
                .map(|rest| (operation.method, keys(rest), fixed_query(operation)))
        })
        .collect();
    operations.retain(|operation| {
        !is_me(&operation.path)
            || !documented_for_users.contains(&(
                operation.method,
                keys(&operation.path[1..]),
                fixed_query(operation),
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn static_part(segment: &str) -> PathPart {
        PathPart::Static {
            segment: segment.to_string(),
        }
    }

    fn user_id() -> PathPart {
        PathPart::Parameter {
            graph_name: "id | userPrincipalName".to_string(),
            rust_name: "id_or_user_principal_name".to_string(),
            alternatives: Vec::new(),
        }
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
    fn a_me_call_documented_for_users_too_is_kept_once() {
        let mut operations = vec![
            operation(
                HttpMethod::Get,
                vec![static_part("me"), static_part("messages")],
            ),
            operation(
                HttpMethod::Get,
                vec![static_part("users"), user_id(), static_part("Messages")],
            ),
            // Only documented under `/me`: kept, the emitter offers it on users too.
            operation(
                HttpMethod::Get,
                vec![static_part("me"), static_part("drive")],
            ),
            // Another method on the same path is another call.
            operation(
                HttpMethod::Post,
                vec![static_part("me"), static_part("messages")],
            ),
        ];
        merge_signed_in_user(&mut operations);
        let kept: Vec<String> = operations
            .iter()
            .map(|operation| format!("{} {}", operation.method.as_str(), operation.template()))
            .collect();
        assert_eq!(
            kept,
            [
                "GET /users/{id | userPrincipalName}/Messages",
                "GET /me/drive",
                "POST /me/messages"
            ]
        );
    }

    #[test]
    fn paths_below_a_user() {
        let me = [static_part("me"), static_part("events")];
        let user = [static_part("users"), user_id(), static_part("events")];
        let users = [static_part("users")];
        assert_eq!(below_user(&me), Some(&me[1..]));
        assert_eq!(below_user(&user), Some(&user[2..]));
        assert_eq!(below_user(&users), None);
        assert!(is_me(&me) && !is_me(&user));
    }
}
