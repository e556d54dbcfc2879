//! The request body table of a method page.

use super::{at, name_list, plural};
use crate::diagnostics::{Code, Diagnostic};
use crate::page::{self, HttpMethod, MethodPage, ParsedPage};

/// `L0008`, and `L0007` from the table: an update page whose body table lists what a create
/// requires, and read-only properties in the body table of a page that writes.
pub(super) fn lint_body_table(page: &ParsedPage, method: &MethodPage, out: &mut Vec<Diagnostic>) {
    let verbs: Vec<HttpMethod> = method
        .requests
        .iter()
        .map(|request| request.method)
        .collect();
    let writes = verbs
        .iter()
        .any(|verb| matches!(verb, HttpMethod::Patch | HttpMethod::Post | HttpMethod::Put));
    if let Some(body) = &method.request_body {
        if verbs.contains(&HttpMethod::Patch)
            && body
                .intro
                .to_ascii_lowercase()
                .contains("required when you create")
        {
            out.push(Diagnostic::new(
                Code::LintRequiredOnUpdate,
                at(&page.file, body.line, 1),
                "the update page's body table says it lists the properties required when you \
                 create the object; an update takes the properties that can change",
            ));
        }
        let read_only: Vec<&page::Property> = body
            .properties
            .iter()
            .filter(|property| property.facts.read_only)
            .collect();
        if writes && let Some(first) = read_only.first() {
            out.push(Diagnostic::new(
                Code::LintReadOnlyInBody,
                at(&page.file, first.line, 1),
                format!(
                    "the request body table lists {} read-only {}: {}",
                    read_only.len(),
                    plural(read_only.len(), "property", "properties"),
                    name_list(read_only.iter().map(|property| property.name.as_str()))
                ),
            ));
        }
    }
}
