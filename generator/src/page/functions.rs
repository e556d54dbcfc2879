//! Function templates that omit their arguments: `GET …/retrieveSomething` documented with a
//! parameter table and called in the examples as `…/retrieveSomething(id='abc')`. The request
//! line is completed from the two, so the call takes (and sends) the arguments.

use super::PageReader;
use super::model::{FunctionArgument, HttpMethod, Parameter, Property, Segment};
use crate::diagnostics::{Code, Diagnostic, Location};

impl<'a> PageReader<'a> {
    pub(super) fn complete_function_templates(&mut self) {
        let documented: Vec<&Property> = self
            .method
            .query_parameters
            .iter()
            .chain(&self.method.path_parameters)
            .chain(
                self.method
                    .request_body
                    .iter()
                    .flat_map(|body| &body.properties),
            )
            .filter(|property| !property.name.starts_with('$'))
            .collect();
        let mut added = Vec::new();
        for (index, request) in self.method.requests.iter().enumerate() {
            if request.method != HttpMethod::Get {
                continue;
            }
            let Some(Segment::Static { name }) = request.path.segments.last() else {
                continue;
            };
            if name.starts_with('$') || name.contains('.') {
                continue;
            }
            // The page writes both forms (`/me/findRooms` and `/me/findRooms(RoomList='…')`):
            // the bare one is a call of its own, not an incomplete template.
            let with_arguments = format!("{}(", request.path.raw);
            if self.method.requests.iter().any(|other| {
                other.method == request.method && other.path.raw.starts_with(&with_arguments)
            }) {
                continue;
            }
            let passed = self.arguments_passed(name, &documented);
            if passed.is_empty() {
                continue;
            }
            // Optional arguments leave the bare call valid: both are kept.
            let optional = passed.iter().all(|argument| argument.optional);
            let arguments: Vec<FunctionArgument> = passed
                .iter()
                .map(|argument| {
                    let quote = if argument.quoted { "'" } else { "" };
                    FunctionArgument {
                        name: Some(argument.name.clone()),
                        parameter: Some(Parameter {
                            name: argument.name.clone(),
                            alternatives: Vec::new(),
                        }),
                        value: format!("{quote}{{{}}}{quote}", argument.name),
                        quoted: argument.quoted,
                    }
                })
                .collect();
            let written: Vec<&str> = passed
                .iter()
                .map(|argument| argument.name.as_str())
                .collect();
            let mut completed = request.clone();
            let call = format!(
                "{name}({})",
                arguments
                    .iter()
                    .map(|argument| format!(
                        "{}={}",
                        argument.name.as_deref().unwrap_or(""),
                        argument.value
                    ))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            completed.path.raw = format!(
                "{}{call}",
                &request.path.raw[..request.path.raw.len() - name.len()]
            );
            *completed.path.segments.last_mut().expect("matched above") = Segment::Function {
                name: name.clone(),
                arguments,
            };
            let documents = if documented.is_empty() {
                "its examples pass"
            } else {
                "its parameter table documents and its examples pass"
            };
            let message = format!(
                "`{}` omits the arguments {documents} ({}); the call takes them{}",
                request.path.raw,
                written.join(", "),
                if optional {
                    ", and the bare call is kept because they are optional"
                } else {
                    ""
                }
            );
            self.diagnostics.push(Diagnostic::new(
                Code::FunctionArguments,
                Location {
                    file: self.file.to_string(),
                    line: request.line,
                    column: 1,
                },
                message,
            ));
            added.push((index, optional, completed));
        }
        // Completed lines replace theirs, or follow them when the bare call stays valid.
        for (index, optional, completed) in added.into_iter().rev() {
            if optional {
                self.method.requests.insert(index + 1, completed);
            } else {
                self.method.requests[index] = completed;
            }
        }
    }

    /// The documented parameters the examples pass to `function` (`…/function(a='x',b=2)`),
    /// in the order they first pass them; every argument the examples pass when the page
    /// documents none in a table it reads (`| Parameter | Description |`, no type column).
    fn arguments_passed(&self, function: &str, documented: &[&Property]) -> Vec<Passed> {
        let mut passed: Vec<Passed> = Vec::new();
        let needle = format!("/{}(", function.to_ascii_lowercase());
        for example in &self.method.examples {
            let Some(request) = &example.request else {
                continue;
            };
            let url = request.url.to_ascii_lowercase();
            let Some(at) = url.find(&needle) else {
                continue;
            };
            let inside = &request.url[at + needle.len()..];
            let Some(end) = inside.find(')') else {
                continue;
            };
            // Without a table to go by, only a call the example ends with is this function's
            // (`…/range(address='A1')/visibleView/range` does not call the last `range`).
            let ends_the_path = inside[end + 1..].is_empty() || inside[end + 1..].starts_with('?');
            if documented.is_empty() && !ends_the_path {
                continue;
            }
            for pair in inside[..end].split(',') {
                let Some((key, value)) = pair.split_once('=') else {
                    continue;
                };
                let key = key.trim();
                let argument = if documented.is_empty() {
                    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                        continue;
                    }
                    Passed {
                        name: key.to_string(),
                        quoted: false,
                        optional: false,
                    }
                } else {
                    let Some(property) = documented
                        .iter()
                        .find(|property| property.name.eq_ignore_ascii_case(key))
                    else {
                        continue;
                    };
                    Passed {
                        name: property.name.clone(),
                        quoted: false,
                        optional: property.facts.required == Some(false)
                            || property.description.trim_start().starts_with("Optional"),
                    }
                };
                if !passed
                    .iter()
                    .any(|known| known.name.eq_ignore_ascii_case(&argument.name))
                {
                    passed.push(Passed {
                        quoted: value.trim_start().starts_with('\''),
                        ..argument
                    });
                }
            }
        }
        passed
    }
}

/// An argument the examples pass to a function its template writes bare.
struct Passed {
    name: String,
    quoted: bool,
    /// The bare call stays valid without it.
    optional: bool,
}
