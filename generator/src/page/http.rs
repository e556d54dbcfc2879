//! Request lines (`PATCH /deviceManagement/...`) and their path templates.

use super::model::{FunctionArgument, HttpMethod, Parameter, PathTemplate, Segment};

/// A request line split into its parts, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRequestLine {
    pub method: HttpMethod,
    pub path: PathTemplate,
    pub query: Option<String>,
    /// Problems that did not stop the line from being read.
    pub problems: Vec<String>,
}

/// Reads `METHOD path[?query]`. Returns `None` when the line does not start with an HTTP
/// method (prose such as `or`, headers, code).
pub fn parse_request_line(line: &str) -> Option<ParsedRequestLine> {
    let (method, target) = split_method(line)?;
    let mut problems = Vec::new();
    let target = strip_origin(target);
    let (path, query) = split_query(target);
    let mut path = path.trim().to_string();
    if path.contains(' ') && !spaces_only_in_braces(&path) {
        problems.push(format!("path `{path}` contains spaces"));
    }
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let (segments, segment_problems) = parse_segments(&path);
    problems.extend(segment_problems);
    Some(ParsedRequestLine {
        method,
        path: PathTemplate {
            raw: path,
            segments,
        },
        query: query.map(|query| query.trim().to_string()),
        problems,
    })
}

/// The method of a request line: `Some` exactly when [`parse_request_line`] reads the line.
pub fn request_method(line: &str) -> Option<HttpMethod> {
    split_method(line).map(|(method, _)| method)
}

/// `METHOD target`, with the target trimmed and not empty.
fn split_method(line: &str) -> Option<(HttpMethod, &str)> {
    let line = line.trim();
    let method_end = line
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(line.len());
    let method = HttpMethod::parse(&line[..method_end])?;
    let rest = &line[method_end..];
    // `DELETE/identity/...` (no space) occurs once; anything else glued to the method is not
    // a request line.
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with('/')) {
        return None;
    }
    let target = rest.trim();
    (!target.is_empty()).then_some((method, target))
}

/// Reduces `https://graph.microsoft.com/beta/me` to `/me`.
fn strip_origin(target: &str) -> &str {
    let Some(after_scheme) = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
    else {
        return target;
    };
    let path = after_scheme
        .find('/')
        .map_or("", |index| &after_scheme[index..]);
    for version in ["/v1.0", "/beta"] {
        if let Some(rest) = path.strip_prefix(version)
            && (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
        {
            return rest;
        }
    }
    path
}

/// Splits at the first `?` outside braces and parentheses.
fn split_query(target: &str) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    for (index, c) in target.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            '?' if depth <= 0 => return (&target[..index], Some(&target[index + 1..])),
            _ => {}
        }
    }
    (target, None)
}

fn spaces_only_in_braces(path: &str) -> bool {
    let mut depth = 0i32;
    for c in path.chars() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            ' ' if depth <= 0 => return false,
            _ => {}
        }
    }
    true
}

/// Splits a path on `/` outside braces, parentheses and quotes, recognising OneDrive's
/// `root:/{item-path}:` addressing.
fn parse_segments(path: &str) -> (Vec<Segment>, Vec<String>) {
    let mut segments = Vec::new();
    let mut problems = Vec::new();
    let mut pieces: Vec<&str> = Vec::new();
    let mut depth = 0i32;
    let mut in_quote = false;
    let mut start = 0;
    for (index, c) in path.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '{' | '(' | '<' if !in_quote => depth += 1,
            '}' | ')' | '>' if !in_quote => depth -= 1,
            '/' if depth <= 0 && !in_quote => {
                pieces.push(&path[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    pieces.push(&path[start..]);

    let mut index = 0;
    while index < pieces.len() {
        let piece = pieces[index].trim();
        index += 1;
        if piece.is_empty() {
            continue;
        }
        // `root:` followed by `{item-path}:` (or `{parent-id}:/{filename}:`): the path
        // between the colons is one parameter.
        if let Some(name) = piece.strip_suffix(':').filter(|name| !name.contains(':')) {
            push_piece(name, &mut segments, &mut problems);
            let mut item_path = Vec::new();
            while index < pieces.len() {
                let part = pieces[index];
                index += 1;
                if let Some(last) = part.strip_suffix(':') {
                    item_path.push(last);
                    break;
                }
                item_path.push(part);
            }
            let joined = item_path.join("/");
            let parameter = braces(&joined)
                .map(parameter_from)
                .unwrap_or_else(|| Parameter {
                    name: joined.trim_matches(|c| c == '{' || c == '}').to_string(),
                    alternatives: Vec::new(),
                });
            segments.push(Segment::ItemPath { parameter });
            continue;
        }
        // `root:{item-path}:` / `items/{parent-id}:/{filename}:` written inside one piece.
        if let Some((before, after)) = piece.split_once(':')
            && !before.contains('(')
        {
            push_piece(before, &mut segments, &mut problems);
            let mut item_path = vec![after.trim_end_matches(':')];
            if !after.ends_with(':') {
                while index < pieces.len() {
                    let part = pieces[index];
                    index += 1;
                    if let Some(last) = part.strip_suffix(':') {
                        item_path.push(last);
                        break;
                    }
                    item_path.push(part);
                }
            }
            let joined: String = item_path.join("/");
            let parameter = braces(joined.trim_start_matches('/'))
                .map(parameter_from)
                .unwrap_or_else(|| Parameter {
                    name: joined
                        .trim_matches(|c| c == '{' || c == '}' || c == '/')
                        .to_string(),
                    alternatives: Vec::new(),
                });
            segments.push(Segment::ItemPath { parameter });
            continue;
        }
        push_piece(piece, &mut segments, &mut problems);
    }
    (segments, problems)
}

fn push_piece(piece: &str, segments: &mut Vec<Segment>, problems: &mut Vec<String>) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    if let Some(inner) = braces(piece) {
        segments.push(Segment::Parameter(parameter_from(inner)));
        return;
    }
    if let Some(open) = piece.find('(')
        && piece.ends_with(')')
    {
        let name = piece[..open].trim().to_string();
        let arguments = parse_arguments(&piece[open + 1..piece.len() - 1]);
        segments.push(Segment::Function { name, arguments });
        return;
    }
    if piece.contains(['{', '}', '(', ')', ' ']) {
        problems.push(format!("segment `{piece}` mixes a name and a placeholder"));
    }
    segments.push(Segment::Static {
        name: piece.to_string(),
    });
}

/// The text inside `{...}` when the whole piece is one placeholder.
fn braces(piece: &str) -> Option<&str> {
    let inner = piece.strip_prefix('{')?.strip_suffix('}')?;
    (!inner.contains(['{', '}'])).then_some(inner)
}

/// `{id | userPrincipalName}` → `id` with the alternative `userPrincipalName`.
fn parameter_from(inner: &str) -> Parameter {
    let mut names = inner
        .split(['|'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string);
    let name = names.next().unwrap_or_else(|| "id".to_string());
    Parameter {
        name,
        alternatives: names.collect(),
    }
}

fn parse_arguments(inner: &str) -> Vec<FunctionArgument> {
    let inner = inner.trim();
    if inner.is_empty() {
        return Vec::new();
    }
    split_top_level(inner, ',')
        .into_iter()
        .map(|argument| {
            let argument = argument.trim();
            let (name, value) = match argument.split_once('=') {
                Some((name, value)) if !name.contains(['{', '\'', '<']) => {
                    (Some(name.trim().to_string()), value.trim())
                }
                _ => (None, argument),
            };
            let quoted = value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'');
            let unquoted = if quoted {
                &value[1..value.len() - 1]
            } else {
                value
            };
            let placeholder = braces(unquoted).or_else(|| {
                unquoted
                    .strip_prefix('<')
                    .and_then(|rest| rest.strip_suffix('>'))
            });
            FunctionArgument {
                parameter: placeholder.map(parameter_from).or_else(|| {
                    // `name=name-value` placeholders written without braces.
                    (!unquoted.is_empty()
                        && unquoted
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        && unquoted.chars().any(|c| c.is_ascii_alphabetic())
                        && !matches!(unquoted, "true" | "false" | "null"))
                    .then(|| parameter_from(unquoted))
                }),
                name,
                value: value.to_string(),
                quoted,
            }
        })
        .collect()
}

fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut in_quote = false;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '{' | '(' | '<' if !in_quote => depth += 1,
            '}' | ')' | '>' if !in_quote => depth -= 1,
            c if c == separator && depth <= 0 && !in_quote => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A template that writes an example's value where a key goes
/// (`/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments`,
/// `/domains/contoso.com/serviceConfigurationRecords`) is read with a key slot there, as every
/// other page writes it: a GUID, a number, an address or a domain name is never the name of a
/// navigation. Only for templates: an example's request line keeps its values. Returns what was
/// replaced, for the page's diagnostics.
pub fn example_keys_as_parameters(path: &mut PathTemplate) -> Vec<String> {
    let mut problems = Vec::new();
    for index in 0..path.segments.len() {
        let Segment::Static { name } = &path.segments[index] else {
            continue;
        };
        // The first segment is an entity set or singleton, never a key.
        if index == 0 || !is_example_key(name) {
            continue;
        }
        problems.push(format!(
            "segment `{name}` is an example's value where a key goes; read as `{{id}}`"
        ));
        let pieces: Vec<&str> = path.raw.split('/').collect();
        path.raw = pieces
            .iter()
            .map(|piece| if piece == name { "{id}" } else { piece })
            .collect::<Vec<_>>()
            .join("/");
        path.segments[index] = Segment::Parameter(Parameter {
            name: "id".to_string(),
            alternatives: Vec::new(),
        });
    }
    problems
}

/// A value no navigation is named like: it holds a GUID, is all digits, is an address
/// (`@`) or a domain name (`contoso.com`; type casts are `microsoft.graph.…`).
fn is_example_key(segment: &str) -> bool {
    if segment.contains(['=', '(', '{', '$']) {
        return false;
    }
    if contains_guid(segment) || segment.contains('@') {
        return true;
    }
    if segment.len() >= 2 && segment.bytes().all(|byte| byte.is_ascii_digit()) {
        return true;
    }
    let lower = segment.to_ascii_lowercase();
    match lower.rsplit_once('.') {
        Some((before, top_level)) => {
            !lower.starts_with("microsoft.")
                && !before.is_empty()
                && (2..=6).contains(&top_level.len())
                && top_level.bytes().all(|byte| byte.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// Whether `text` holds `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits).
fn contains_guid(text: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let length: usize = GROUPS.iter().sum::<usize>() + GROUPS.len() - 1;
    bytes.windows(length).any(|window| {
        let mut at = 0;
        GROUPS.iter().enumerate().all(|(group, &digits)| {
            let hex = window[at..at + digits].iter().all(u8::is_ascii_hexdigit);
            at += digits;
            let dash = group + 1 == GROUPS.len() || window[at] == b'-';
            at += 1;
            hex && dash
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(line: &str) -> (String, Vec<String>) {
        let mut parsed = parse_request_line(line).unwrap();
        let problems = example_keys_as_parameters(&mut parsed.path);
        (parsed.path.raw, problems)
    }

    #[test]
    fn a_template_writing_an_example_key_gets_a_key_slot() {
        let (raw, problems) = template(
            "GET /education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/cf6005fc-9e13-44a2-a6ac-a53322006454",
        );
        assert_eq!(raw, "/education/classes/{id}/assignments/{id}");
        assert_eq!(problems.len(), 2);
        assert_eq!(
            template("GET /domains/contoso.com/serviceConfigurationRecords").0,
            "/domains/{id}/serviceConfigurationRecords"
        );
        assert_eq!(
            template("GET /users/adele@contoso.com/events/42").0,
            "/users/{id}/events/{id}"
        );
        assert_eq!(
            template(
                "GET /teams/{id}/schedule/openShifts/OPNSHFT_577b75d2-a927-48c0-a5d1-dc984894e7b8"
            )
            .0,
            "/teams/{id}/schedule/openShifts/{id}"
        );
    }

    #[test]
    fn names_casts_and_functions_stay_as_written() {
        for line in [
            "GET /me/memberOf/microsoft.graph.group",
            "GET /users/{id}/photos/48x48/$value",
            "GET /oauth2PermissionGrants/{id}",
            "GET /reports/getEmailActivityCounts(period='D7')",
            "GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
            "GET /security/alerts_v2",
            "GET /contoso.com",
        ] {
            let (raw, problems) = template(line);
            assert!(problems.is_empty(), "{line}: {problems:?}");
            assert_eq!(format!("GET {raw}"), line);
        }
    }
}
