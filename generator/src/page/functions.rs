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
        if documented.is_empty() {
            return;
        }
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
            let optional = passed.iter().all(|(property, _)| {
                property.facts.required == Some(false)
                    || property.description.trim_start().starts_with("Optional")
            });
            let arguments: Vec<FunctionArgument> = passed
                .iter()
                .map(|(property, quoted)| {
                    let quote = if *quoted { "'" } else { "" };
                    FunctionArgument {
                        name: Some(property.name.clone()),
                        parameter: Some(Parameter {
                            name: property.name.clone(),
                            alternatives: Vec::new(),
                        }),
                        value: format!("{quote}{{{}}}{quote}", property.name),
                        quoted: *quoted,
                    }
                })
                .collect();
            let written: Vec<&str> = passed
                .iter()
                .map(|(property, _)| property.name.as_str())
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
            let message = format!(
                "`{}` omits the arguments its parameter table documents and its examples pass ({}); the call takes them{}",
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
    /// in the order they first pass them, each with whether its value is a quoted string.
    fn arguments_passed<'p>(
        &self,
        function: &str,
        documented: &[&'p Property],
    ) -> Vec<(&'p Property, bool)> {
        let mut passed: Vec<(&Property, bool)> = Vec::new();
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
            for pair in inside[..end].split(',') {
                let Some((key, value)) = pair.split_once('=') else {
                    continue;
                };
                let Some(property) = documented
                    .iter()
                    .find(|property| property.name.eq_ignore_ascii_case(key.trim()))
                else {
                    continue;
                };
                if !passed
                    .iter()
                    .any(|(known, _)| std::ptr::eq(*known, *property))
                {
                    passed.push((property, value.trim_start().starts_with('\'')));
                }
            }
        }
        passed
    }
}
