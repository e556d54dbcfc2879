//! The examples' suppressions file: the docs' examples known to be wrong, each with the check
//! it fails, the diagnostic code of the doc error and a one-line reason. A suppressed check
//! is emitted as a test that expects the failure, so the suite stays green only for known,
//! explained doc errors and says so when the docs are fixed.
//!
//! One example per line, `#` starts a comment:
//!
//! ```text
//! # example                         check     code   reason
//! user_get_3                        response  L0004  "lastLogin" is written without a time
//! ```

use super::{Api, Suppression};
use crate::diagnostics::{Code, Diagnostic, Location};

const CHECKS: [&str; 2] = ["request", "response"];

/// Reads `text` (the file `file`) and marks the examples it names; returns the diagnostics:
/// unusable lines, names no example has, and one note per suppressed check.
pub fn apply(file: &str, text: &str, apis: &mut [Api]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = |column: usize| Location {
            file: file.to_string(),
            line: index + 1,
            column,
        };
        let content = line.split('#').next().unwrap_or("");
        if content.trim().is_empty() {
            continue;
        }
        let mut words = content.split_whitespace();
        let (Some(name), Some(check), Some(code)) = (words.next(), words.next(), words.next())
        else {
            diagnostics.push(Diagnostic::new(
                Code::Suppression,
                at(1),
                "expected `<example> <request|response> <code> <reason>`",
            ));
            continue;
        };
        let reason = words.collect::<Vec<_>>().join(" ");
        let column_of = |word: &str| line.find(word).map_or(1, |offset| offset + 1);
        if !CHECKS.contains(&check) {
            diagnostics.push(Diagnostic::new(
                Code::Suppression,
                at(column_of(check)),
                format!("unknown check `{check}`; expected `request` or `response`"),
            ));
            continue;
        }
        if reason.is_empty() {
            diagnostics.push(Diagnostic::new(
                Code::Suppression,
                at(column_of(code)),
                format!("`{name}` is suppressed without a reason"),
            ));
            continue;
        }
        let case = apis
            .iter_mut()
            .flat_map(|api| api.examples.iter_mut())
            .find(|case| case.name == name);
        let Some(case) = case else {
            diagnostics.push(Diagnostic::new(
                Code::Suppression,
                at(column_of(name)),
                format!("no example is named `{name}`; remove the line if the page changed"),
            ));
            continue;
        };
        diagnostics.push(Diagnostic::new(
            Code::SuppressedDocError,
            Location {
                file: case.source.file.clone(),
                line: case.source.line,
                column: 1,
            },
            format!("the {check} of example `{name}` is a known doc error ({code}): {reason}"),
        ));
        case.suppressed.push(Suppression {
            check: check.to_string(),
            code: code.to_string(),
            reason,
        });
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExampleCase, Source};

    fn api_with(names: &[&str]) -> Api {
        Api {
            version: "beta".to_string(),
            module: "beta".to_string(),
            base_url: String::new(),
            models: Vec::new(),
            enums: Vec::new(),
            polymorphic: Vec::new(),
            operations: Vec::new(),
            selectors: Vec::new(),
            query_sets: Vec::new(),
            examples: names
                .iter()
                .map(|name| ExampleCase {
                    name: name.to_string(),
                    title: None,
                    source: Source {
                        file: "beta/api/thing-get.md".to_string(),
                        line: 40,
                    },
                    operation: 0,
                    url: "/things".to_string(),
                    arguments: Vec::new(),
                    written_path: None,
                    query: Vec::new(),
                    request_body: None,
                    response_status: Some(200),
                    response_body: Some("{}".to_string()),
                    truncated: false,
                    suppressed: Vec::new(),
                })
                .collect(),
            type_workloads: Default::default(),
        }
    }

    #[test]
    fn marks_examples_and_reports_unusable_lines() {
        let mut apis = vec![api_with(&["thing_get_1", "thing_get_2"])];
        let text = "# example check code reason\n\
                    thing_get_1 response L0004 the date has no time  # trailing comment\n\
                    thing_get_2 body L0002 wrong check\n\
                    thing_get_2 request L0002\n\
                    gone_1 request L0001 the page changed\n\
                    lonely\n";
        let diagnostics = apply("examples.suppressions", text, &mut apis);
        let found: Vec<(&str, &str, usize, usize)> = diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            vec![
                ("M0009", "beta/api/thing-get.md", 40, 1),
                ("M0008", "examples.suppressions", 3, 13),
                ("M0008", "examples.suppressions", 4, 21),
                ("M0008", "examples.suppressions", 5, 1),
                ("M0008", "examples.suppressions", 6, 1),
            ]
        );
        assert_eq!(
            apis[0].examples[0].suppressed,
            vec![Suppression {
                check: "response".to_string(),
                code: "L0004".to_string(),
                reason: "the date has no time".to_string(),
            }]
        );
        assert!(apis[0].examples[1].suppressed.is_empty());
    }
}
