//! Paths: a request line's segments and query as the model's path parts and fixed query
//! pairs, and the key under which paths that differ only in parameter names are one.

use crate::model::{Argument, ArgumentValue, FixedQuery, PathPart};
use crate::names;
use crate::page::Segment;

/// The path of a request line as the model's parts, and the query pairs it fixes.
pub(super) fn operation_path(
    segments: &[Segment],
    query: Option<&str>,
    required_options: &[String],
) -> Result<(Vec<PathPart>, Vec<FixedQuery>), String> {
    let mut scope = names::Scope::default();
    // Names every endpoint method already has.
    scope.claim("self".to_string());
    scope.claim("body".to_string());
    let parameter = |graph_name: &str, scope: &mut names::Scope| {
        let wanted = names::snake(graph_name.trim_start_matches('@'));
        let wanted = if wanted.is_empty() {
            "value".to_string()
        } else {
            wanted
        };
        scope.claim(wanted).0
    };
    let mut parts = Vec::new();
    for segment in segments {
        parts.push(match segment {
            Segment::Static { name } => {
                if name.contains(['{', '}', ' ', '<', '>']) {
                    return Err(format!("segment `{name}` mixes a name and a placeholder"));
                }
                PathPart::Static {
                    segment: name.clone(),
                }
            }
            Segment::Parameter(page_parameter) => PathPart::Parameter {
                graph_name: page_parameter.name.clone(),
                rust_name: parameter(&page_parameter.name, &mut scope),
                alternatives: page_parameter.alternatives.clone(),
            },
            Segment::Function { name, arguments } => {
                if name.is_empty() || name.contains(['{', '}', ' ']) {
                    return Err(format!("function segment `{name}(…)` has no usable name"));
                }
                let arguments = arguments
                    .iter()
                    .map(|argument| Argument {
                        name: argument.name.clone(),
                        value: match &argument.parameter {
                            Some(page_parameter) => ArgumentValue::Parameter {
                                graph_name: page_parameter.name.clone(),
                                rust_name: parameter(&page_parameter.name, &mut scope),
                                quoted: argument.quoted,
                            },
                            // `range(<address>)`: a placeholder in angle brackets.
                            None if argument.value.starts_with('<') => ArgumentValue::Parameter {
                                graph_name: argument.value.trim_matches(['<', '>']).to_string(),
                                rust_name: parameter(
                                    argument.value.trim_matches(['<', '>']),
                                    &mut scope,
                                ),
                                quoted: true,
                            },
                            // `(startDateTime='2017-01-01')`: the docs wrote an example value
                            // where the caller's goes; a function argument is always the
                            // caller's.
                            None => match &argument.name {
                                Some(name) => ArgumentValue::Parameter {
                                    graph_name: name.clone(),
                                    rust_name: parameter(name, &mut scope),
                                    quoted: argument.value.starts_with('\''),
                                },
                                None => ArgumentValue::Fixed {
                                    literal: argument.value.clone(),
                                },
                            },
                        },
                    })
                    .collect();
                PathPart::Function {
                    name: name.clone(),
                    arguments,
                }
            }
            Segment::ItemPath {
                parameter: page_parameter,
            } => {
                if parts.is_empty() {
                    return Err("an item path must follow a segment".to_string());
                }
                PathPart::ItemPath {
                    graph_name: page_parameter.name.clone(),
                    rust_name: parameter(&page_parameter.name, &mut scope),
                }
            }
        });
    }
    let mut fixed = Vec::new();
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.trim().is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = name.trim();
        // `$select=…` and its kin in a documented path are examples of the options every
        // endpoint offers as methods, not part of the endpoint; unless the page says the
        // call must send it (`$filter=parentId eq {parentId}`): its placeholders are then
        // arguments of the call.
        let required = name.starts_with('$')
            && value.contains('{')
            && required_options
                .iter()
                .any(|option| option.eq_ignore_ascii_case(name));
        if (name.starts_with('$') && !required) || name.is_empty() {
            continue;
        }
        let mut parameters = Vec::new();
        let mut rest = value;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let placeholder = &rest[open + 1..open + close];
            parameters.push((placeholder.to_string(), parameter(placeholder, &mut scope)));
            rest = &rest[open + close + 1..];
        }
        fixed.push(FixedQuery {
            name: name.to_string(),
            value: value.trim().to_string(),
            parameters,
        });
    }
    Ok((parts, fixed))
}

/// Paths that differ only in parameter names are the same endpoint.
pub(super) fn template_key(path: &[PathPart], query: &[FixedQuery]) -> String {
    let mut key: Vec<String> = path.iter().map(PathPart::key).collect();
    key.extend(
        query
            .iter()
            .map(|pair| format!("?{}", pair.name.to_ascii_lowercase())),
    );
    key.join("/")
}
