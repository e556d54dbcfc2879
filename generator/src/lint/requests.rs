//! Request lines: an example's request line against the page's templates, and the same
//! operation documented twice.

use std::collections::{HashMap, HashSet};

use super::at;
use crate::diagnostics::{Code, Diagnostic};
use crate::page::{
    self, ExampleRequest, HttpMethod, MethodPage, ParsedPage, PathTemplate, Segment,
};

/// The outcome of check 1 for one example request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestCheck {
    /// The page lists no request line to match against.
    NoTemplates,
    /// The example's URL is not a request line the parser reads.
    Unparsable,
    Matched,
    /// The path matches a template but names a parameter the template calls otherwise.
    ParameterMismatch {
        example: String,
        template: String,
    },
    /// No template matches; `method` is true when a path matched under another method.
    Unmatched {
        method: bool,
    },
    /// The path has an empty segment (`…/members//{id}`): no call sends that.
    EmptySegment,
}

/// Check 1: the example's request line matches one of the page's path templates.
pub fn check_request_line(method: &MethodPage, request: &ExampleRequest) -> RequestCheck {
    if method.requests.is_empty() {
        return RequestCheck::NoTemplates;
    }
    let line = format!("{} {}", request.method.as_str(), request.url);
    let Some(parsed) = page::http::parse_request_line(&line) else {
        return RequestCheck::Unparsable;
    };
    if has_empty_segment(&parsed.path.raw) {
        return RequestCheck::EmptySegment;
    }
    let mut mismatch = None;
    let mut other_method = false;
    for template in &method.requests {
        match path_matches(&template.path, &parsed.path) {
            PathMatch::No => {}
            PathMatch::Yes if template.method == parsed.method => return RequestCheck::Matched,
            PathMatch::Parameter {
                example,
                template: name,
            } if template.method == parsed.method => {
                mismatch.get_or_insert(RequestCheck::ParameterMismatch {
                    example,
                    template: name,
                });
            }
            _ => other_method = true,
        }
    }
    mismatch.unwrap_or(RequestCheck::Unmatched {
        method: other_method,
    })
}

/// `//` outside quotes and parentheses (a function's URL argument may hold one).
fn has_empty_segment(path: &str) -> bool {
    let mut depth = 0i32;
    let mut in_quote = false;
    let mut previous = '\0';
    for c in path.chars() {
        match c {
            '\'' => in_quote = !in_quote,
            '(' | '{' if !in_quote => depth += 1,
            ')' | '}' if !in_quote => depth -= 1,
            '/' if previous == '/' && depth <= 0 && !in_quote => return true,
            _ => {}
        }
        previous = c;
    }
    false
}

enum PathMatch {
    No,
    Yes,
    Parameter { example: String, template: String },
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn path_matches(template: &PathTemplate, example: &PathTemplate) -> PathMatch {
    let template_segments: Vec<&Segment> = template.segments.iter().collect();
    let example_segments: Vec<&Segment> = example.segments.iter().collect();
    if template_segments.len() != example_segments.len() {
        return PathMatch::No;
    }
    let mut mismatch = None;
    for (t, e) in template_segments.iter().zip(&example_segments) {
        match (t, e) {
            (Segment::Static { name: a }, Segment::Static { name: b }) => {
                if !a.eq_ignore_ascii_case(b) {
                    return PathMatch::No;
                }
            }
            (Segment::Parameter(parameter), Segment::Parameter(given)) => {
                let known = std::iter::once(&parameter.name)
                    .chain(&parameter.alternatives)
                    .any(|name| normalized(name) == normalized(&given.name));
                if !known && mismatch.is_none() {
                    mismatch = Some((given.name.clone(), parameter.name.clone()));
                }
            }
            (Segment::Parameter(_), _) => {}
            (Segment::Static { name: a }, Segment::Function { name: b, .. })
            | (Segment::Function { name: a, .. }, Segment::Static { name: b })
            | (Segment::Function { name: a, .. }, Segment::Function { name: b, .. }) => {
                if !a.eq_ignore_ascii_case(b) {
                    return PathMatch::No;
                }
            }
            (Segment::ItemPath { .. }, Segment::ItemPath { .. }) => {}
            _ => return PathMatch::No,
        }
    }
    match mismatch {
        Some((example, template)) => PathMatch::Parameter { example, template },
        None => PathMatch::Yes,
    }
}

/// `L0012`: the same method and path on two pages (or twice on one) of a version.
pub(super) fn duplicate_operations<'p>(
    pages: impl Iterator<Item = &'p ParsedPage>,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(HttpMethod, String), (&str, usize)> = HashMap::new();
    let mut pages: Vec<&ParsedPage> = pages.collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    for page in pages {
        let Some(method) = &page.method else { continue };
        let mut on_page = HashSet::new();
        for request in &method.requests {
            let key = (request.method, template_key(&request.path));
            if !on_page.insert(key.clone()) {
                // Listed twice on one page: a repeated line, not a conflict.
                continue;
            }
            match seen.get(&key) {
                Some((first, line)) => out.push(Diagnostic::new(
                    Code::LintDuplicateOperation,
                    at(&page.file, request.line, 1),
                    format!(
                        "`{} {}` is also documented in `{first}` (line {line})",
                        request.method.as_str(),
                        request.path.raw
                    ),
                )),
                None => {
                    seen.insert(key, (page.file.as_str(), request.line));
                }
            }
        }
    }
}

/// Paths that differ only in parameter names are the same endpoint.
fn template_key(path: &PathTemplate) -> String {
    let mut key = String::new();
    for segment in &path.segments {
        key.push('/');
        match segment {
            Segment::Static { name } => key.push_str(&name.to_ascii_lowercase()),
            Segment::Parameter(_) => key.push_str("{}"),
            Segment::Function { name, arguments } => {
                key.push_str(&name.to_ascii_lowercase());
                key.push('(');
                for argument in arguments {
                    if let Some(name) = &argument.name {
                        key.push_str(&name.to_ascii_lowercase());
                    }
                    key.push(',');
                }
                key.push(')');
            }
            Segment::ItemPath { .. } => key.push_str(":{path}:"),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method_with(lines: &[&str]) -> MethodPage {
        MethodPage {
            requests: lines
                .iter()
                .map(|line| {
                    let parsed = page::http::parse_request_line(line).unwrap();
                    page::RequestLine {
                        method: parsed.method,
                        path: parsed.path,
                        query: parsed.query,
                        line: 1,
                    }
                })
                .collect(),
            ..MethodPage::default()
        }
    }

    fn request(method: HttpMethod, url: &str) -> ExampleRequest {
        ExampleRequest {
            method,
            url: url.to_string(),
            headers: Vec::new(),
            body: None,
            line: 1,
        }
    }

    #[test]
    fn request_lines_match_templates() {
        let method = method_with(&[
            "GET /users/{id | userPrincipalName}/events/{event-id}",
            "GET /me/drive/root:/{item-path}:/content",
            "GET /reports/getOffice365ActiveUserCounts(period='{period_value}')",
        ]);
        let check = |verb, url| check_request_line(&method, &request(verb, url));
        assert_eq!(
            check(
                HttpMethod::Get,
                "https://graph.microsoft.com/v1.0/users/a@b.com/events/AAM="
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(
                HttpMethod::Get,
                "/Users/{userPrincipalName}/Events/{event-id}?$select=subject"
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(
                HttpMethod::Get,
                "/reports/getOffice365ActiveUserCounts(period='D7')"
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(HttpMethod::Get, "/users/{user-id}/events/{event-id}"),
            RequestCheck::ParameterMismatch {
                example: "user-id".to_string(),
                template: "id".to_string()
            }
        );
        assert_eq!(
            check(HttpMethod::Delete, "/users/x/events/y"),
            RequestCheck::Unmatched { method: true }
        );
        assert_eq!(
            check(HttpMethod::Get, "/groups/x/events/y"),
            RequestCheck::Unmatched { method: false }
        );
        assert_eq!(
            check(HttpMethod::Get, "/users/x/events//y"),
            RequestCheck::EmptySegment
        );
        // A URL inside a function's argument is not an empty segment.
        assert_eq!(
            check(
                HttpMethod::Get,
                "/reports/getOffice365ActiveUserCounts(period='https://x')"
            ),
            RequestCheck::Matched
        );
    }
}
