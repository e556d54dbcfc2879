//! The docs' examples, matched to the operations they call: for each example request, the
//! operation whose path template it fits and the values it puts in each parameter. The
//! emitter turns these into tests that call the generated endpoints exactly as the docs do.

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::page::{PageKind, ParsedPage};

/// One example of a method page, tied to the operation it calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleCase {
    /// Unique within the version, usable in a Rust identifier: `<page stem>_<n>`.
    pub name: String,
    /// The heading the example sits under.
    pub title: Option<String>,
    /// The request line's place.
    pub source: Source,
    /// Index into `Api::operations`.
    pub operation: usize,
    /// The request's path and query as the docs write them, under the version root.
    pub url: String,
    /// What the example puts in each of the operation's parameters, by graph name, in path
    /// order (function arguments and item paths included).
    pub arguments: Vec<(String, String)>,
    /// The path as the example writes it where that differs from the operation's template by
    /// an alias (`/me/…` for `/users/{id}/…`, `…/drive/root` for `…/drive/items/{id}`, or the
    /// reverse): the call is built along it. `arguments` are its parameters then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_path: Option<Vec<PathPart>>,
    /// The query pairs after `?`, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The request body as the docs write it (valid JSON).
    pub request_body: Option<String>,
    pub response_status: Option<u16>,
    pub response_body: Option<String>,
    pub truncated: bool,
    /// Checks of this example the suppressions file marks as known doc errors.
    pub suppressed: Vec<Suppression>,
}

/// A check of one example that fails because the docs are wrong, as the suppressions file
/// explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `request` (check 2) or `response` (check 3, and with it check 4).
    pub check: String,
    /// The diagnostic code of the doc error (`L0002`, `M0006`, ...).
    pub code: String,
    pub reason: String,
}

/// Matches every example of every method page to an operation; an example request that fits
/// none of its page's paths is reported.
pub fn match_examples(
    api: &Api,
    pages: &[&ParsedPage],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ExampleCase> {
    let mut cases = Vec::new();
    let mut by_file: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_method: BTreeMap<HttpMethod, Vec<usize>> = BTreeMap::new();
    for (index, operation) in api.operations.iter().enumerate() {
        by_file
            .entry(operation.source.file.as_str())
            .or_default()
            .push(index);
        by_method.entry(operation.method).or_default().push(index);
    }
    // Each operation's other forms, made once and only for operations an example needs them for.
    let forms_of: Vec<std::cell::OnceCell<Vec<Vec<PathPart>>>> = api
        .operations
        .iter()
        .map(|_| std::cell::OnceCell::new())
        .collect();
    for page in pages {
        let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
            continue;
        };
        let stem = page
            .file
            .rsplit('/')
            .next()
            .unwrap_or(&page.file)
            .trim_end_matches(".md");
        let stem = crate::names::snake(stem)
            .trim_start_matches("r#")
            .to_string();
        let own: &[usize] = by_file.get(page.file.as_str()).map_or(&[], Vec::as_slice);
        for (number, example) in method.examples.iter().enumerate() {
            let Some(request) = &example.request else {
                continue;
            };
            let url = strip_origin(request.url.trim());
            // `GET me/devices`: some examples leave out the leading `/`.
            let url = if url.starts_with(['/', '?']) || url.is_empty() {
                url.to_string()
            } else {
                format!("/{url}")
            };
            let (path, query) = url.split_once('?').unwrap_or((&url, ""));
            // `/me/messages/{id}/?$select=…`: a trailing `/` names no segment.
            let path = path
                .strip_suffix('/')
                .filter(|path| !path.is_empty())
                .unwrap_or(path);
            // The page's own operations first; an example may also call a path another page
            // documents.
            let same_method = by_method
                .get(&request.method)
                .map_or(&[][..], Vec::as_slice);
            let candidates = || {
                own.iter()
                    .filter(|&&index| api.operations[index].method == request.method)
                    .chain(same_method)
                    .copied()
            };
            let find = |path: &str| {
                candidates()
                    .find_map(|index| {
                        match_path(&api.operations[index].path, path)
                            .map(|arguments| (index, arguments, None))
                    })
                    .or_else(|| {
                        // The same call written with or without an alias (see `aliases`).
                        candidates().find_map(|index| {
                            forms_of[index]
                                .get_or_init(|| {
                                    super::aliases::other_forms(&api.operations[index].path)
                                })
                                .iter()
                                .find_map(|form| {
                                    match_path(form, path)
                                        .map(|arguments| (index, arguments, Some(form.clone())))
                                })
                        })
                    })
            };
            // An id in OData's key syntax (`/me/messages('AAMk…')`) is the same call as the
            // id as a segment, which is how the client sends it.
            let (found, url) = match find(path) {
                Some(found) => (Some(found), url.clone()),
                None => match key_syntax_as_segments(path) {
                    Some(rewritten) => {
                        let url = if query.is_empty() {
                            rewritten.clone()
                        } else {
                            format!("{rewritten}?{query}")
                        };
                        (find(&rewritten), url)
                    }
                    None => (None, url.clone()),
                },
            };
            let url = url.as_str();
            let query = url.split_once('?').map_or("", |(_, query)| query);
            let Some((operation, arguments, written_path)) = found else {
                diagnostics.push(Diagnostic::new(
                    Code::ExampleUnmatched,
                    Location {
                        file: page.file.clone(),
                        line: request.line,
                        column: 1,
                    },
                    format!(
                        "example request `{} {}` matches none of the documented request paths",
                        request.method.as_str(),
                        request.url
                    ),
                ));
                continue;
            };
            let response = example.response.as_ref();
            cases.push(ExampleCase {
                name: format!("{stem}_{}", number + 1),
                title: example.title.clone(),
                source: Source {
                    file: page.file.clone(),
                    line: request.line,
                },
                operation,
                url: url.to_string(),
                arguments,
                written_path,
                query: query_pairs(query),
                request_body: request.body.as_ref().map(|body| body.text().to_string()),
                response_status: response.and_then(|response| response.status),
                response_body: response
                    .and_then(|response| response.body.as_ref())
                    .map(|body| body.text().to_string()),
                truncated: response.is_some_and(|response| response.truncated),
                suppressed: Vec::new(),
            });
        }
    }
    cases
}

/// `/me/messages('AAMk…')/attachments` as `/me/messages/AAMk…/attachments`: each segment that
/// is a name and one quoted key (OData's key syntax) as the name and the key. `None` when the
/// path has no such segment.
fn key_syntax_as_segments(path: &str) -> Option<String> {
    let mut rewritten = false;
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| {
            let key = segment
                .split_once("('")
                .filter(|(name, _)| {
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
                })
                .and_then(|(name, rest)| Some((name, rest.strip_suffix("')")?)))
                .filter(|(_, key)| !key.contains(['\'', '(', ')']));
            match key {
                Some((name, key)) => {
                    rewritten = true;
                    format!("{name}/{key}")
                }
                None => segment.to_string(),
            }
        })
        .collect();
    rewritten.then(|| segments.join("/"))
}

/// The paths (under the version root, without the query) of every example GET of the method
/// pages: what `$count` and cast calls are added from.
pub(super) fn example_get_paths<'p>(pages: &'p [&ParsedPage]) -> impl Iterator<Item = &'p str> {
    pages
        .iter()
        .filter(|page| page.kind == PageKind::Method)
        .filter_map(|page| page.method.as_ref())
        .flat_map(|method| &method.examples)
        .filter_map(|example| example.request.as_ref())
        .filter(|request| request.method == HttpMethod::Get)
        .map(|request| {
            let url = strip_origin(request.url.trim());
            url.split_once('?').map_or(url, |(path, _)| path)
        })
}

/// `https://graph.microsoft.com/beta/me?x` → `/me?x`.
pub(super) fn strip_origin(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.find('/').map_or("", |index| &rest[index..]))
        .unwrap_or(url);
    // `https://graph.microsoft.com/V1.0/…`: the version without regard to case.
    for version in ["/v1.0", "/beta"] {
        if let Some(after) = rest
            .get(..version.len())
            .filter(|start| start.eq_ignore_ascii_case(version))
            .map(|_| &rest[version.len()..])
            && (after.is_empty() || after.starts_with('/') || after.starts_with('?'))
        {
            return after;
        }
    }
    rest
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // The docs write a space in a query value as `+` (`$filter=a+eq+true`).
            (decode(name), decode(&value.replace('+', " ")))
        })
        .collect()
}

/// The example's value for each parameter when `path` fits the template `parts`.
pub(super) fn match_path(parts: &[PathPart], path: &str) -> Option<Vec<(String, String)>> {
    let mut arguments = Vec::new();
    let mut rest = path;
    for (index, part) in parts.iter().enumerate() {
        if let PathPart::ItemPath { graph_name, .. } = part {
            let inner = rest.strip_prefix(":/").or_else(|| rest.strip_prefix(':'))?;
            let end = inner.find(':')?;
            arguments.push((graph_name.clone(), decode(&inner[..end])));
            rest = &inner[end + 1..];
            continue;
        }
        rest = rest.strip_prefix('/')?;
        let next_is_item_path = matches!(parts.get(index + 1), Some(PathPart::ItemPath { .. }));
        let end = segment_end(rest, next_is_item_path);
        let segment = &rest[..end];
        rest = &rest[end..];
        match part {
            PathPart::Static { segment: expected } => {
                if !segment.eq_ignore_ascii_case(expected) {
                    return None;
                }
            }
            PathPart::Parameter { graph_name, .. } => {
                // `/users/$count` is no user's id.
                if segment.is_empty() || segment.starts_with('$') {
                    return None;
                }
                arguments.push((graph_name.clone(), decode(segment)));
            }
            PathPart::Function {
                name,
                arguments: expected,
            } => {
                let open = segment.find('(')?;
                if !segment[..open].eq_ignore_ascii_case(name) || !segment.ends_with(')') {
                    return None;
                }
                let given = split_arguments(&segment[open + 1..segment.len() - 1]);
                // More arguments than the template's: another form of the function
                // (`image(width=640,height=480,…)` is not `image(width=640)`).
                if given.len() > expected.len() {
                    return None;
                }
                for (position, argument) in expected.iter().enumerate() {
                    // A named argument matches by name; by position only when the example does
                    // not name it (`getReport(period='D7')` is not the `date=` overload).
                    let value = match &argument.name {
                        Some(name) => given
                            .iter()
                            .find(|(given_name, _)| {
                                given_name
                                    .as_deref()
                                    .is_some_and(|given| given.eq_ignore_ascii_case(name))
                            })
                            .or_else(|| {
                                given
                                    .get(position)
                                    .filter(|(given_name, _)| given_name.is_none())
                            })?,
                        None => given.get(position)?,
                    };
                    // A quoted slot takes the text inside the quotes; any other takes the
                    // literal as the example writes it (`'2018-03-05'` is the string a caller
                    // passes, `2018-03-05` a raw date).
                    if let ArgumentValue::Parameter {
                        graph_name, quoted, ..
                    } = &argument.value
                    {
                        let literal = decode(&value.1);
                        let literal = if *quoted { unquote(&literal) } else { literal };
                        arguments.push((graph_name.clone(), literal));
                    }
                }
            }
            PathPart::ItemPath { .. } => unreachable!("handled above"),
        }
    }
    rest.is_empty().then_some(arguments)
}

/// Where the segment at the start of `text` ends: the next `/` outside parentheses and quotes
/// (or `:` when an item path follows).
fn segment_end(text: &str, stop_at_colon: bool) -> usize {
    let mut depth = 0i32;
    let mut quoted = false;
    for (index, character) in text.char_indices() {
        match character {
            '\'' if depth > 0 => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            '/' if depth <= 0 && !quoted => return index,
            ':' if stop_at_colon && depth <= 0 && !quoted => return index,
            _ => {}
        }
    }
    text.len()
}

/// `a='x',b=2` → [(a, 'x'), (b, 2)]; positional keys have no name.
fn split_arguments(text: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    for index in 0..=bytes.len() {
        let at_end = index == bytes.len();
        if !at_end && bytes[index] == b'\'' {
            quoted = !quoted;
        }
        if at_end || (bytes[index] == b',' && !quoted) {
            let piece = text[start..index].trim();
            if !piece.is_empty() {
                match piece.split_once('=') {
                    Some((name, value)) if !name.contains('\'') => {
                        out.push((Some(name.trim().to_string()), value.trim().to_string()))
                    }
                    _ => out.push((None, piece.to_string())),
                }
            }
            start = index + 1;
        }
    }
    out
}

/// `'it''s'` → `it's`; anything else as is.
fn unquote(value: &str) -> String {
    match value
        .strip_prefix('\'')
        .and_then(|inner| inner.strip_suffix('\''))
    {
        Some(inner) => inner.replace("''", "'"),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameter(name: &str) -> PathPart {
        PathPart::Parameter {
            graph_name: name.to_string(),
            rust_name: name.to_string(),
            alternatives: Vec::new(),
        }
    }

    fn segment(name: &str) -> PathPart {
        PathPart::Static {
            segment: name.to_string(),
        }
    }

    #[test]
    fn keys_in_odata_key_syntax_read_as_segments() {
        assert_eq!(
            key_syntax_as_segments("/me/messages('AAMk=')/attachments('b')").as_deref(),
            Some("/me/messages/AAMk=/attachments/b")
        );
        assert_eq!(
            key_syntax_as_segments("/users('adele@contoso.com')/people").as_deref(),
            Some("/users/adele@contoso.com/people")
        );
        // Named arguments are a function's, not a key.
        assert_eq!(
            key_syntax_as_segments("/reports/getEmailActivityCounts(period='D7')"),
            None
        );
        assert_eq!(key_syntax_as_segments("/me/messages/AAMk"), None);
    }

    #[test]
    fn matches_segments_parameters_functions_and_item_paths() {
        let parts = vec![segment("users"), parameter("id"), segment("messages")];
        assert_eq!(
            match_path(&parts, "/Users/a%20b/messages"),
            Some(vec![("id".to_string(), "a b".to_string())])
        );
        assert_eq!(match_path(&parts, "/users/a/events"), None);
        assert_eq!(match_path(&parts, "/users/a/messages/x"), None);

        let function = vec![
            segment("reports"),
            PathPart::Function {
                name: "getReport".to_string(),
                arguments: vec![Argument {
                    name: Some("period".to_string()),
                    value: ArgumentValue::Parameter {
                        graph_name: "period_value".to_string(),
                        rust_name: "period_value".to_string(),
                        quoted: true,
                    },
                }],
            },
        ];
        assert_eq!(
            match_path(&function, "/reports/getReport(period='D7/x')"),
            Some(vec![("period_value".to_string(), "D7/x".to_string())])
        );

        let item_path = vec![
            segment("drive"),
            segment("root"),
            PathPart::ItemPath {
                graph_name: "item-path".to_string(),
                rust_name: "item_path".to_string(),
            },
            segment("content"),
        ];
        assert_eq!(
            match_path(&item_path, "/drive/root:/a/b.txt:/content"),
            Some(vec![("item-path".to_string(), "a/b.txt".to_string())])
        );
    }

    #[test]
    fn splits_query_and_origin() {
        assert_eq!(
            strip_origin("https://graph.microsoft.com/beta/me?$top=1"),
            "/me?$top=1"
        );
        assert_eq!(
            query_pairs("$select=id,displayName&$filter=a%20eq%20'b'"),
            vec![
                ("$select".to_string(), "id,displayName".to_string()),
                ("$filter".to_string(), "a eq 'b'".to_string())
            ]
        );
        assert_eq!(unquote("'it''s'"), "it's");
    }
}
