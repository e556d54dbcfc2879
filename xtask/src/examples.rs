//! `cargo xtask examples DIR`: the docs' examples checked against the generated client, for
//! one version's docs tree.
//!
//! 1. **request line**: the example's request line matches one of the page's path templates
//!    (in the library, over parsed pages; nothing is compiled);
//! 2. **request body**: the body deserialises into the page's body type and serialises back to
//!    semantically equal JSON;
//! 3. **response body**: the body (single entity, or the `value` of a collection or primitive)
//!    deserialises into the response type and round-trips the same way; truncated responses
//!    are checked only for the properties they show, which is what a round trip compares.
//!
//! Every failure is classified: a **doc error** when the lint explains it (invalid JSON, a
//! value of the wrong type, placeholder text, a timestamp without a time...), with the lint
//! code; otherwise a **generator bug**. The harness calls no endpoint, only types.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};

use graph_codegen::diagnostics::{Code, Diagnostic, Location};
use graph_codegen::emit::EmitOptions;
use graph_codegen::lint::{self, Direction, PathElem, RequestCheck, Tree, TypeIndex};
use graph_codegen::model::{FieldType, Primitive};
use serde_json::Value;

/// Which of the three checks a result belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    RequestLine,
    RequestBody,
    ResponseBody,
}

impl Check {
    const ALL: [Check; 3] = [Check::RequestLine, Check::RequestBody, Check::ResponseBody];

    fn name(self) -> &'static str {
        match self {
            Check::RequestLine => "1 request line matches a template",
            Check::RequestBody => "2 request body round-trips through its type",
            Check::ResponseBody => "3 response body round-trips through its type",
        }
    }
}

/// How one example fared in one check.
#[derive(Debug, Clone)]
enum Verdict {
    Passed,
    DocError(Code, Diagnostic),
    GeneratorBug(Diagnostic),
}

#[derive(Debug, Default)]
struct Tally {
    checked: usize,
    passed: usize,
    doc_errors: BTreeMap<Code, usize>,
    generator_bugs: usize,
    /// Of the bodies that are valid JSON: how many deserialised (the response target).
    valid_json: usize,
    deserialised: usize,
}

/// One body to run through the compiled harness.
struct Case {
    check: Check,
    file: String,
    line: usize,
    field_type: FieldType,
    rust_type: String,
    /// The JSON the type reads (a collection's `value`, for collection responses).
    value: Value,
    direction: Direction,
    /// Where the body with the lint's flagged values removed sits among the repaired bodies.
    repaired: Option<usize>,
}

/// What the checks found.
pub struct Outcome {
    tallies: BTreeMap<Check, Tally>,
    doc_errors: Vec<Diagnostic>,
    bugs: Vec<Diagnostic>,
}

/// Runs the three checks over one version's docs, building the harness in `out`.
pub fn evaluate(dir: &Path, out: &Path) -> Result<Outcome, String> {
    let root = super::workspace_root();
    let tree = match Tree::read(dir) {
        Ok(tree) => tree,
        Err(error) => return Err(error.to_string()),
    };
    if tree.apis.len() != 1 {
        return Err(format!(
            "{} holds {} versions; pass one version's folder",
            dir.display(),
            tree.apis.len()
        ));
    }
    let options = EmitOptions {
        runtime_path: root.join("runtime").to_string_lossy().into_owned(),
        standalone: true,
    };
    let apis: Vec<_> = tree.apis.values().cloned().collect();
    let files = graph_codegen::emit::emit(&apis, &options);
    let api = &apis[0];
    let index = TypeIndex::new(api);

    let mut verdicts: Vec<(Check, Verdict)> = Vec::new();
    let mut cases = Vec::new();
    collect(&tree, &index, &mut verdicts, &mut cases);
    let mut repaired = Vec::new();
    for case in &mut cases {
        if let Some(value) = repair(&index, &case.field_type, &case.value, case.direction) {
            case.repaired = Some(repaired.len());
            repaired.push(value);
        }
    }

    write_harness(out, &files, &cases, &repaired)
        .map_err(|error| format!("writing {}: {error}", out.display()))?;
    crate::lockfile::pin(out)?;
    eprintln!(
        "checking {} example bodies (building the generated crate)...",
        cases.len()
    );
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--locked",
            "--example",
            "check_examples",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .arg("--")
        .arg(out.join("examples/cases.json"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            return Err(format!(
                "the example checker failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Err(error) => return Err(format!("running cargo: {error}")),
    };
    // One answer per harness entry: the cases, then the repaired bodies.
    let mut answers: Vec<Option<Result<String, String>>> = vec![None; cases.len() + repaired.len()];
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "cases\t{}\t{}",
        cases.len() + repaired.len(),
        type_count(&cases)
    );
    if stdout.lines().next() != Some(expected.as_str()) {
        return Err(format!(
            "the harness is not the one just written: it says `{}`, expected `{expected}`",
            stdout.lines().next().unwrap_or("")
        ));
    }
    for line in stdout.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(outcome), Some(number), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Some(slot) = number
            .parse::<usize>()
            .ok()
            .and_then(|number| answers.get_mut(number))
        else {
            continue;
        };
        *slot = Some(if outcome == "ok" {
            Ok(rest.to_string())
        } else {
            Err(rest.to_string())
        });
    }
    let mut deserialised = vec![false; cases.len()];
    for (number, case) in cases.iter().enumerate() {
        let failure = match &answers[number] {
            None => Some("the harness gave no answer".to_string()),
            Some(Err(error)) => Some(format!(
                "does not deserialise into `{}`: {error}",
                case.rust_type
            )),
            Some(Ok(json)) => {
                deserialised[number] = true;
                round_trip_failure(&case.value, json)
                    .map(|why| format!("does not round-trip through `{}`: {why}", case.rust_type))
            }
        };
        let verdict = match failure {
            None => Verdict::Passed,
            Some(message) => {
                let repair = case
                    .repaired
                    .and_then(|slot| answers[cases.len() + slot].as_ref());
                let repaired_value = case.repaired.map(|slot| &repaired[slot]);
                classify(&index, case, message, repair, repaired_value)
            }
        };
        verdicts.push((case.check, verdict));
    }

    let mut tallies: BTreeMap<Check, Tally> = BTreeMap::new();
    let mut doc_errors = Vec::new();
    let mut bugs = Vec::new();
    for (check, verdict) in &verdicts {
        let tally = tallies.entry(*check).or_default();
        tally.checked += 1;
        match verdict {
            Verdict::Passed => tally.passed += 1,
            Verdict::DocError(code, diagnostic) => {
                *tally.doc_errors.entry(*code).or_default() += 1;
                doc_errors.push(diagnostic.clone());
            }
            Verdict::GeneratorBug(diagnostic) => {
                tally.generator_bugs += 1;
                bugs.push(diagnostic.clone());
            }
        }
    }
    for (number, case) in cases.iter().enumerate() {
        let tally = tallies.entry(case.check).or_default();
        tally.valid_json += 1;
        tally.deserialised += usize::from(deserialised[number]);
    }

    Ok(Outcome {
        tallies,
        doc_errors,
        bugs,
    })
}

pub fn run(dir: &Path, out: &Path, min: f64, all: bool, deny_bugs: bool) -> ExitCode {
    let Outcome {
        mut tallies,
        doc_errors,
        bugs,
    } = match evaluate(dir, out) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let shown = if all {
        doc_errors.len()
    } else {
        doc_errors.len().min(30)
    };
    for diagnostic in &doc_errors[..shown] {
        eprintln!("doc error: {diagnostic}");
    }
    if shown < doc_errors.len() {
        eprintln!(
            "... and {} more doc errors (--all shows every one)",
            doc_errors.len() - shown
        );
    }
    for diagnostic in &bugs {
        eprintln!("generator bug: {diagnostic}");
    }
    println!(
        "{:<46} {:>8} {:>8} {:>9} {:>13}",
        "check", "checked", "passed", "doc error", "generator bug"
    );
    for check in Check::ALL {
        let tally = tallies.entry(check).or_default();
        let doc: usize = tally.doc_errors.values().sum();
        println!(
            "{:<46} {:>8} {:>8} {:>9} {:>13}",
            check.name(),
            tally.checked,
            tally.passed,
            doc,
            tally.generator_bugs
        );
        if !tally.doc_errors.is_empty() {
            let codes: Vec<String> = tally
                .doc_errors
                .iter()
                .map(|(code, count)| format!("{code} {count}"))
                .collect();
            println!("    doc errors by code: {}", codes.join(", "));
        }
    }
    let responses = tallies.entry(Check::ResponseBody).or_default();
    let share = if responses.valid_json == 0 {
        1.0
    } else {
        responses.deserialised as f64 / responses.valid_json as f64
    };
    println!(
        "{} of {} example responses with valid JSON deserialise into their generated type ({:.1}%)",
        responses.deserialised,
        responses.valid_json,
        share * 100.0
    );
    let mut failed = false;
    if share < min {
        eprintln!(
            "error: {:.1}% is below the required {:.1}%",
            share * 100.0,
            min * 100.0
        );
        failed = true;
    }
    if deny_bugs && !bugs.is_empty() {
        eprintln!("error: {} failures are generator bugs", bugs.len());
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Check 1 for every example, the doc errors found without compiling (invalid JSON), and the
/// bodies for checks 2 and 3.
fn collect(
    tree: &Tree,
    index: &TypeIndex,
    verdicts: &mut Vec<(Check, Verdict)>,
    cases: &mut Vec<Case>,
) {
    for (number, (file, page, _)) in tree.pages().into_iter().enumerate() {
        let _ = number;
        let Some(method) = &page.method else { continue };
        let invalid_json: Vec<&Diagnostic> = tree
            .files
            .iter()
            .position(|candidate| candidate.path == file.path)
            .map(|position| {
                tree.parse_diagnostics[position]
                    .iter()
                    .filter(|diagnostic| diagnostic.code == Code::ExampleJson)
                    .collect()
            })
            .unwrap_or_default();
        let operations = index.operations_of(&page.file);
        let request_type = index.request_type(page, method, &operations);
        let response_type = index.response_type(method, &operations);
        let examples = &method.examples;
        for (position, example) in examples.iter().enumerate() {
            // The lines this example spans, to place invalid-JSON findings.
            let next_start = examples.get(position + 1).and_then(|next| {
                next.request
                    .as_ref()
                    .map(|request| request.line)
                    .or(next.response.as_ref().map(|response| response.line))
            });
            let located = |from: usize, to: Option<usize>| {
                invalid_json
                    .iter()
                    .find(|diagnostic| {
                        diagnostic.line > from && to.is_none_or(|to| diagnostic.line < to)
                    })
                    .copied()
            };
            if let Some(request) = &example.request {
                let here = Location {
                    file: page.file.clone(),
                    line: request.line,
                    column: 1,
                };
                let verdict = match lint::check_request_line(method, request) {
                    RequestCheck::NoTemplates => None,
                    RequestCheck::Matched => Some(Verdict::Passed),
                    RequestCheck::ParameterMismatch { example, template } => {
                        Some(Verdict::DocError(
                            Code::LintParameterNotInTemplate,
                            Diagnostic::new(
                                Code::LintParameterNotInTemplate,
                                here.clone(),
                                format!("`{{{example}}}` where the template has `{{{template}}}`"),
                            ),
                        ))
                    }
                    RequestCheck::Unmatched { .. } => Some(Verdict::DocError(
                        Code::LintUnmatchedRequest,
                        Diagnostic::new(
                            Code::LintUnmatchedRequest,
                            here.clone(),
                            format!("`{}` matches no template", request.url),
                        ),
                    )),
                    RequestCheck::Unparsable => Some(Verdict::GeneratorBug(Diagnostic::new(
                        Code::RequestLine,
                        here.clone(),
                        format!(
                            "the example request line `{}` could not be read",
                            request.url
                        ),
                    ))),
                };
                if let Some(verdict) = verdict {
                    verdicts.push((Check::RequestLine, verdict));
                }
                let until = example
                    .response
                    .as_ref()
                    .map(|response| response.line)
                    .or(next_start);
                if let Some(ty) = &request_type {
                    match &request.body {
                        Some(body) => {
                            if let Some(rust_type) = rust_type(index, ty) {
                                cases.push(Case {
                                    check: Check::RequestBody,
                                    file: page.file.clone(),
                                    line: request.line,
                                    field_type: ty.clone(),
                                    rust_type,
                                    value: body.value(),
                                    direction: Direction::Request,
                                    repaired: None,
                                });
                            }
                        }
                        None => {
                            if let Some(invalid) = located(request.line, until) {
                                verdicts.push((Check::RequestBody, invalid_verdict(invalid)));
                            }
                        }
                    }
                }
            }
            if let Some(response) = &example.response
                && response
                    .status
                    .is_none_or(|status| (200..300).contains(&status))
                && let Some(ty) = &response_type
            {
                match &response.body {
                    Some(body) => {
                        let whole = body.value();
                        let Some(rust_type) = rust_type(index, ty) else {
                            continue;
                        };
                        match lint::response_value(ty, &whole) {
                            Some(value) => cases.push(Case {
                                check: Check::ResponseBody,
                                file: page.file.clone(),
                                line: response.body_line,
                                field_type: ty.clone(),
                                rust_type,
                                value: value.clone(),
                                direction: Direction::Response,
                                repaired: None,
                            }),
                            None => verdicts.push((
                                Check::ResponseBody,
                                Verdict::DocError(
                                    Code::LintWrongType,
                                    Diagnostic::new(
                                        Code::LintWrongType,
                                        Location {
                                            file: page.file.clone(),
                                            line: response.body_line,
                                            column: 1,
                                        },
                                        "the response has no `value` member for its collection or value",
                                    ),
                                ),
                            )),
                        }
                    }
                    None => {
                        if let Some(invalid) = located(response.line, next_start) {
                            verdicts.push((Check::ResponseBody, invalid_verdict(invalid)));
                        }
                    }
                }
            }
        }
    }
}

fn invalid_verdict(invalid: &Diagnostic) -> Verdict {
    let mut diagnostic = invalid.clone();
    diagnostic.code = Code::LintInvalidJson;
    diagnostic.severity = Code::LintInvalidJson.severity();
    Verdict::DocError(Code::LintInvalidJson, diagnostic)
}

fn diagnostic(case: &Case, message: String) -> Diagnostic {
    Diagnostic::new(
        Code::ExampleMismatch,
        Location {
            file: case.file.clone(),
            line: case.line,
            column: 1,
        },
        message,
    )
}

/// Why a written body differs from the one read, if it does.
fn round_trip_failure(original: &Value, written: &str) -> Option<String> {
    match serde_json::from_str::<Value>(written) {
        Ok(written) => semantic_difference(original, &written, ""),
        Err(error) => Some(format!("the type wrote invalid JSON: {error}")),
    }
}

/// A doc error when the lint finds a value the type cannot hold *and* the body with those
/// values removed passes (or the whole body is of the wrong kind); else a generator bug.
fn classify(
    index: &TypeIndex,
    case: &Case,
    message: String,
    repair: Option<&Result<String, String>>,
    repaired: Option<&Value>,
) -> Verdict {
    let findings = index.check(&case.field_type, &case.value, case.direction);
    let Some(finding) = findings
        .iter()
        .find(|finding| finding.breaks_deserialisation())
    else {
        return Verdict::GeneratorBug(diagnostic(case, message));
    };
    let whole_body = finding.path.is_empty();
    let confirmed = whole_body
        || match (repair, repaired) {
            (Some(Ok(json)), Some(repaired)) => round_trip_failure(repaired, json).is_none(),
            _ => false,
        };
    if !confirmed {
        let why = match repair {
            Some(Err(error)) => error.clone(),
            Some(Ok(json)) => repaired
                .and_then(|repaired| round_trip_failure(repaired, json))
                .unwrap_or_default(),
            None => "no repaired body was checked".to_string(),
        };
        return Verdict::GeneratorBug(diagnostic(
            case,
            format!(
                "{message}; without the values the lint flags ({}) it still fails: {why}",
                finding.message
            ),
        ));
    }
    let mut diagnostic = diagnostic(case, format!("{message} ({})", finding.message));
    diagnostic.code = finding.code;
    diagnostic.severity = finding.code.severity();
    Verdict::DocError(finding.code, diagnostic)
}

/// The body with every value the lint says the type cannot hold removed: properties set to
/// `null` (the types read it as "not set"), collection items dropped. `None` when nothing
/// is flagged, or the flag is on the whole body.
fn repair(
    index: &TypeIndex,
    field_type: &FieldType,
    value: &Value,
    direction: Direction,
) -> Option<Value> {
    let mut paths: Vec<Vec<PathElem>> = index
        .check(field_type, value, direction)
        .into_iter()
        .filter(|finding| finding.breaks_deserialisation())
        .map(|finding| finding.path)
        .collect();
    if paths.is_empty() || paths.iter().any(Vec::is_empty) {
        return None;
    }
    // Deepest and last first, so removing an item leaves the other paths valid.
    paths.sort_by(|a, b| b.cmp(a));
    paths.dedup();
    let mut repaired = value.clone();
    for path in &paths {
        let (last, parents) = path.split_last()?;
        let mut target = &mut repaired;
        for element in parents {
            target = match element {
                PathElem::Key(key) => target.get_mut(key.as_str())?,
                PathElem::Index(position) => target.get_mut(*position)?,
            };
        }
        match (last, target) {
            (PathElem::Key(key), Value::Object(object)) => {
                object.insert(key.clone(), Value::Null);
            }
            (PathElem::Index(position), Value::Array(items)) if *position < items.len() => {
                items.remove(*position);
            }
            _ => {}
        }
    }
    Some(repaired)
}

/// The Rust type a field type is read into, by path from the harness.
fn rust_type(index: &TypeIndex, ty: &FieldType) -> Option<String> {
    let module = &index.api.module;
    let path = |area: &str, name: &str| format!("graph_client::{module}::{area}::{name}");
    Some(match ty {
        FieldType::Primitive { primitive } => primitive_type(*primitive).to_string(),
        FieldType::Model { path: model } => match index.polymorphic_over(model) {
            Some(def) => path(&def.area, &def.rust_name),
            None => path(&model.area, &model.name),
        },
        FieldType::Polymorphic { path: def } | FieldType::Enum { path: def } => {
            path(&def.area, &def.name)
        }
        FieldType::Flags { path: def } => {
            format!("graph_runtime::Flags<{}>", path(&def.area, &def.name))
        }
        FieldType::Collection { item } => format!("Vec<{}>", rust_type(index, item)?),
        FieldType::Json => "serde_json::Value".to_string(),
    })
}

/// Mirrors `graph_codegen::emit::types::primitive`.
fn primitive_type(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String | Primitive::Guid => "String",
        Primitive::Boolean => "bool",
        Primitive::Byte => "u8",
        Primitive::SByte => "i8",
        Primitive::Int16 => "i16",
        Primitive::Int32 => "i32",
        Primitive::Int64 => "i64",
        Primitive::Single => "f32",
        Primitive::Double | Primitive::Decimal => "f64",
        Primitive::DateTimeOffset => "chrono::DateTime<chrono::FixedOffset>",
        Primitive::Date => "chrono::NaiveDate",
        Primitive::TimeOfDay => "chrono::NaiveTime",
        Primitive::Duration => "graph_runtime::IsoDuration",
        Primitive::Binary => "graph_runtime::Base64Bytes",
        Primitive::Stream | Primitive::Json => "serde_json::Value",
    }
}

/// The first place where `written` differs in meaning from `original`, if any. Numbers
/// compare by value, timestamps as instants; a `null` property and an absent one are the
/// same (the types drop nulls they read as "not set"); an `@odata.type` the type adds is
/// allowed; flags compare as sets of members.
pub fn semantic_difference(original: &Value, written: &Value, at: &str) -> Option<String> {
    let here = || {
        if at.is_empty() {
            "the body".to_string()
        } else {
            format!("`{at}`")
        }
    };
    match (original, written) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => {
                    x == y
                        || ((x - y).abs() <= f64::EPSILON * x.abs().max(1.0) * 4.0)
                        || (x as f32) == (y as f32)
                }
                _ => a == b,
            };
            (!same).then(|| format!("{} was {a}, written {b}", here()))
        }
        (Value::String(a), Value::String(b)) => {
            if a == b || same_instant(a, b) || same_flags(a, b) || same_base64(a, b) {
                None
            } else {
                Some(format!("{} was {a:?}, written {b:?}", here()))
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{} had {} items, written {}",
                    here(),
                    a.len(),
                    b.len()
                ));
            }
            a.iter().zip(b).enumerate().find_map(|(position, (x, y))| {
                semantic_difference(x, y, &format!("{at}[{position}]"))
            })
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match b.get(key) {
                    Some(other) => {
                        if let Some(difference) = semantic_difference(value, other, &path) {
                            return Some(difference);
                        }
                    }
                    None if value.is_null() => {}
                    None => return Some(format!("`{path}` was dropped")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) && !value.is_null() && key != "@odata.type" {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    return Some(format!("`{path}` was added"));
                }
            }
            None
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{} was {a}, written {b}", here())),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
    if let (Ok(x), Ok(y)) = (
        a.parse::<DateTime<FixedOffset>>(),
        b.parse::<DateTime<FixedOffset>>(),
    ) {
        return x == y;
    }
    if let (Ok(x), Ok(y)) = (a.parse::<NaiveTime>(), b.parse::<NaiveTime>()) {
        return x == y;
    }
    matches!((a.parse::<NaiveDate>(), b.parse::<NaiveDate>()), (Ok(x), Ok(y)) if x == y)
}

fn same_flags(a: &str, b: &str) -> bool {
    if !a.contains(',') {
        return false;
    }
    let members = |text: &str| {
        let mut members: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|member| !member.is_empty())
            .map(str::to_string)
            .collect();
        members.dedup();
        members
    };
    members(a) == members(b)
}

fn same_base64(a: &str, b: &str) -> bool {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
    let decode = |text: &str| {
        STANDARD_PAD_INDIFFERENT
            .decode(text)
            .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(text))
            .ok()
    };
    matches!((decode(a), decode(b)), (Some(x), Some(y)) if x == y)
}

fn type_count(cases: &[Case]) -> usize {
    let mut types: Vec<&str> = cases.iter().map(|case| case.rust_type.as_str()).collect();
    types.sort();
    types.dedup();
    types.len()
}

fn write_harness(
    out: &Path,
    files: &[graph_codegen::emit::GeneratedFile],
    cases: &[Case],
    repaired: &[Value],
) -> std::io::Result<()> {
    let changes = graph_codegen::output::plan(out, files)?;
    graph_codegen::output::apply(out, files, &changes)?;
    let mut types: Vec<&str> = cases.iter().map(|case| case.rust_type.as_str()).collect();
    types.sort();
    types.dedup();
    let mut harness = format!(
        "//! Written by `cargo xtask examples`: reads each case of the file named by its argument\n\
         //! into its type and writes it back.\n\n\
         const TYPES: usize = {};\n\n\
         fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &str) -> Result<String, String> {{\n    \
         let value: T = serde_json::from_str(body).map_err(|error| error.to_string())?;\n    \
         serde_json::to_string(&value).map_err(|error| error.to_string())\n}}\n\n\
         fn check(rust_type: usize, body: &str) -> Result<String, String> {{\n    match rust_type {{\n",
        types.len()
    );
    for (number, rust_type) in types.iter().enumerate() {
        let _ = writeln!(
            harness,
            "        {number} => round_trip::<{rust_type}>(body),"
        );
    }
    harness.push_str(
        "        other => Err(format!(\"no type {other}\")),\n    }\n}\n\n\
         fn main() {\n    \
         let path = std::env::args().nth(1).expect(\"the cases file\");\n    \
         let text = std::fs::read_to_string(&path).expect(\"the cases file reads\");\n    \
         let cases: Vec<(usize, String)> = serde_json::from_str(&text).expect(\"the cases file is JSON\");\n    \
         println!(\"cases\\t{}\\t{}\", cases.len(), TYPES);\n    \
         for (index, (rust_type, body)) in cases.iter().enumerate() {\n        \
         match check(*rust_type, body) {\n            Ok(json) => println!(\"ok\\t{index}\\t{json}\"),\n            \
         Err(error) => println!(\"err\\t{index}\\t{}\", error.replace(['\\t', '\\n'], \" \")),\n        }\n    }\n}\n",
    );
    let pairs: Vec<(usize, String)> = cases
        .iter()
        .map(|case| {
            let number = types
                .binary_search(&case.rust_type.as_str())
                .unwrap_or(usize::MAX);
            (number, case.value.to_string())
        })
        .collect();
    let mut pairs = pairs;
    for case in cases {
        if let Some(slot) = case.repaired {
            let number = types
                .binary_search(&case.rust_type.as_str())
                .unwrap_or(usize::MAX);
            pairs.push((number, repaired[slot].to_string()));
        }
    }
    let examples = out.join("examples");
    std::fs::create_dir_all(&examples)?;
    std::fs::write(examples.join("check_examples.rs"), harness)?;
    std::fs::write(examples.join("cases.json"), serde_json::to_string(&pairs)?)?;
    // Every generated crate is the package `graph_client 0.1.0`, and cargo keys a path
    // package's artifacts without its path: another tree's build in the same target dir looks
    // fresh to this one. Touching the sources makes cargo rebuild from these.
    touch_sources(out)
}

fn touch_sources(dir: &Path) -> std::io::Result<()> {
    let now = std::time::SystemTime::now();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if path.file_name().is_none_or(|name| name != "target") {
                touch_sources(&path)?;
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rs" || extension == "toml")
        {
            std::fs::File::options()
                .append(true)
                .open(&path)?
                .set_modified(now)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Check, evaluate, semantic_difference};
    use graph_codegen::diagnostics::Code;
    use serde_json::json;

    /// The lint fixture end to end: its generated crate is built and every body read.
    #[test]
    fn the_lint_fixture_is_checked_and_classified() {
        let root = crate::workspace_root();
        let outcome = evaluate(
            &root.join("generator/tests/fixtures/lint/v1.0"),
            &root.join("target/test-fixture-examples"),
        )
        .expect("the checks run");
        let tally = |check| &outcome.tallies[&check];
        let line = tally(Check::RequestLine);
        assert_eq!((line.checked, line.passed, line.generator_bugs), (6, 4, 0));
        assert_eq!(line.doc_errors[&Code::LintUnmatchedRequest], 1);
        assert_eq!(line.doc_errors[&Code::LintParameterNotInTemplate], 1);
        let request = tally(Check::RequestBody);
        assert_eq!((request.checked, request.passed), (1, 1));
        let response = tally(Check::ResponseBody);
        assert_eq!(
            (response.checked, response.passed, response.generator_bugs),
            (6, 3, 0)
        );
        assert_eq!((response.valid_json, response.deserialised), (5, 3));
        for code in [
            Code::LintWrongType,
            Code::LintPlaceholder,
            Code::LintInvalidJson,
        ] {
            assert_eq!(response.doc_errors[&code], 1, "{code}");
        }
        assert!(outcome.bugs.is_empty());
        assert!(
            outcome
                .doc_errors
                .iter()
                .any(|d| d.line == 67 && d.message.contains("`litres` is the string `two`"))
        );
    }

    #[test]
    fn numbers_compare_by_value_and_timestamps_as_instants() {
        assert_eq!(
            semantic_difference(&json!({"a": 1.0}), &json!({"a": 1}), ""),
            None
        );
        assert_eq!(
            semantic_difference(
                &json!({"t": "2016-12-31T23:59:36.3292251-08:00"}),
                &json!({"t": "2017-01-01T07:59:36.329225100+00:00"}),
                ""
            ),
            None
        );
        assert!(semantic_difference(&json!({"a": 1}), &json!({"a": 2}), "").is_some());
        assert!(
            semantic_difference(
                &json!({"t": "2016-12-31T23:59:36Z"}),
                &json!({"t": "2016-12-31T23:59:37Z"}),
                ""
            )
            .is_some()
        );
    }

    #[test]
    fn nulls_may_be_dropped_but_values_may_not() {
        assert_eq!(
            semantic_difference(&json!({"a": null}), &json!({}), ""),
            None
        );
        assert_eq!(
            semantic_difference(&json!({"a": "x"}), &json!({}), "").as_deref(),
            Some("`a` was dropped")
        );
        assert_eq!(
            semantic_difference(&json!({}), &json!({"b": 1}), "").as_deref(),
            Some("`b` was added")
        );
        assert_eq!(
            semantic_difference(&json!({}), &json!({"@odata.type": "#x"}), ""),
            None
        );
    }

    #[test]
    fn flags_compare_as_members() {
        assert_eq!(semantic_difference(&json!("a, b"), &json!("a,b"), ""), None);
        assert!(semantic_difference(&json!("a, b"), &json!("a"), "").is_some());
    }
}
