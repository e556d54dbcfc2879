//! The checks of one method page's examples: request/response pairing, request lines
//! against the page's templates, and example bodies against the model's types.

use serde_json::Value;

use super::tables::lint_body_table;
use super::{
    Direction, PathElem, RequestCheck, TypeIndex, ValueFinding, at, check_request_line, shorten,
};
use crate::diagnostics::{Code, Diagnostic, LineIndex};
use crate::model::{FieldType, HttpMethod};
use crate::page::ParsedPage;

pub(super) fn lint_page(
    page: &ParsedPage,
    source: &str,
    index: &TypeIndex,
    out: &mut Vec<Diagnostic>,
) {
    let Some(method) = &page.method else { return };
    lint_body_table(page, method, out);
    let lines = LineIndex::new(source);
    let operations = index.operations_of(&page.file);
    for example in &method.examples {
        match (&example.request, &example.response) {
            (Some(request), None) => out.push(Diagnostic::new(
                Code::LintRequestWithoutResponse,
                at(&page.file, request.line, 1),
                "example request has no response example after it",
            )),
            (None, Some(response)) => out.push(Diagnostic::new(
                Code::LintResponseWithoutRequest,
                at(&page.file, response.line, 1),
                "example response has no request example before it",
            )),
            _ => {}
        }
        // The page documents a body the example's `204` leaves out.
        if let Some(response) = &example.response
            && response.status == Some(204)
            && method.response.as_ref().is_some_and(|documented| {
                documented.type_ref.is_some()
                    && documented.status.is_some_and(|status| status != 204)
            })
        {
            out.push(Diagnostic::new(
                Code::LintStatusMismatch,
                at(&page.file, response.line, 1),
                "the example answers `204 No Content`; the page documents a response body",
            ));
        }
        if let Some(request) = &example.request {
            if matches!(request.method, HttpMethod::Get | HttpMethod::Delete)
                && request.body.as_ref().is_some_and(|body| {
                    !body
                        .value()
                        .as_object()
                        .is_some_and(serde_json::Map::is_empty)
                })
            {
                out.push(Diagnostic::new(
                    Code::LintBodyOnBodilessMethod,
                    at(&page.file, request.line, 1),
                    format!(
                        "a {} request carries a body, which the method does not take",
                        request.method.as_str()
                    ),
                ));
            }
            let check = check_request_line(method, request);
            match check {
                RequestCheck::Matched | RequestCheck::NoTemplates => {}
                RequestCheck::Unparsable => {}
                RequestCheck::ParameterMismatch { example, template } => {
                    out.push(Diagnostic::new(
                        Code::LintParameterNotInTemplate,
                        at(&page.file, request.line, 1),
                        format!(
                            "the example names path parameter `{{{example}}}` where the template has `{{{template}}}`"
                        ),
                    ))
                }
                RequestCheck::EmptySegment | RequestCheck::Unmatched { .. } => {
                    let what = match check {
                        RequestCheck::EmptySegment => "its path has an empty segment (`//`)",
                        RequestCheck::Unmatched { method: true } => {
                            "its method is not one the HTTP request section lists for this path"
                        }
                        _ => "its path matches none of the HTTP request section's templates",
                    };
                    out.push(Diagnostic::new(
                        Code::LintUnmatchedRequest,
                        at(&page.file, request.line, 1),
                        format!(
                            "example request `{} {}`: {what}",
                            request.method.as_str(),
                            shorten(&request.url, 100)
                        ),
                    ))
                }
            }
            if let Some(body) = &request.body
                && let Some(ty) = index.request_type(page, method, &operations)
            {
                let base = body_offset(source, request.line, body.text());
                let findings = index.check(&ty, &body.value(), Direction::Request);
                push_findings(&page.file, source, &lines, base, body.text(), findings, out);
            }
        }
        if let Some(response) = &example.response
            && let Some(body) = &response.body
            && response
                .status
                .is_none_or(|status| (200..300).contains(&status))
            && let Some(ty) = index.response_type(method, &operations)
        {
            let base = body_offset(source, response.line, body.text());
            let value = body.value();
            let value = response_value(&ty, &value);
            if let Some(value) = value {
                let findings = index.check(&ty, value, Direction::Response);
                push_findings(&page.file, source, &lines, base, body.text(), findings, out);
            }
        }
    }
}

/// The part of a response body that holds the response type: the body itself, or its
/// `value` member for collections and primitives (`{"value": ...}`).
pub fn response_value<'v>(ty: &FieldType, body: &'v Value) -> Option<&'v Value> {
    match ty {
        FieldType::Collection { .. }
        | FieldType::Primitive { .. }
        | FieldType::Enum { .. }
        | FieldType::Flags { .. } => body.get("value"),
        // An action's entity result as the docs (and `graph_runtime::ActionResult`) know it:
        // `{"@odata.context": …, "value": {…}}`.
        _ => match body.as_object() {
            Some(object)
                if object.get("value").is_some_and(Value::is_object)
                    && object
                        .keys()
                        .all(|key| key == "value" || key.starts_with('@')) =>
            {
                object.get("value")
            }
            _ => Some(body),
        },
    }
}

/// Byte offset of an example body in the page: the first occurrence of its text at or after
/// the line of its request or status line.
fn body_offset(source: &str, line: usize, body: &str) -> Option<usize> {
    let start = line_start(source, line);
    source
        .get(start..)
        .and_then(|rest| rest.find(body))
        .map(|offset| start + offset)
}

fn line_start(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', source.as_bytes())
        .nth(line - 2)
        .map_or(source.len(), |index| index + 1)
}

fn push_findings(
    file: &str,
    source: &str,
    lines: &LineIndex,
    base: Option<usize>,
    body: &str,
    findings: Vec<ValueFinding>,
    out: &mut Vec<Diagnostic>,
) {
    for finding in findings {
        let (line, column) = match base {
            Some(base) => {
                let offset = base + locate(body, &finding.path);
                lines.line_column(source, offset)
            }
            None => (1, 1),
        };
        out.push(Diagnostic::new(
            finding.code,
            at(file, line, column),
            finding.message,
        ));
    }
}

/// Offset in `body` of the key that `path` ends at (or of the nearest key before it).
fn locate(body: &str, path: &[PathElem]) -> usize {
    let mut position = 0;
    for element in path {
        if let PathElem::Key(key) = element {
            let quoted = format!("\"{key}\"");
            let mut from = position;
            while let Some(found) = body.get(from..).and_then(|rest| rest.find(&quoted)) {
                let end = from + found + quoted.len();
                if body[end..].trim_start().starts_with(':') {
                    position = from + found;
                    break;
                }
                from = end;
            }
        }
    }
    position
}
