//! `cargo xtask examples DIR`: every example of one version's docs, sent as the call a user
//! writes. For each example request the model finds the generated endpoint its request line
//! reaches (the page's own, or another page's when the path is documented elsewhere); the
//! harness builds that call with the generated builders, sends it to a loopback mock that
//! answers with the example's response, and records what went out and what came back. Three
//! checks per example:
//!
//! 1. **endpoint**: the request line reaches a generated call;
//! 2. **request**: the call sends the example's method, path, query and body (the body read
//!    into the call's body type and written back);
//! 3. **response**: the call reads the example's response into its result type, and the
//!    result is the example's (a truncated example is compared for what it shows).
//!
//! Every failure is classified: a **doc error** when the lint explains it (invalid JSON, a
//! value of the wrong type, placeholder text, a request line no template of its page matches)
//! and, for bodies, the same call passes once the flagged values are removed; otherwise a
//! **generator bug**, printed with the page, the line, the endpoint's source page and what
//! differed.

mod classify;
mod compare;
mod harness;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use graph_codegen::diagnostics::{Code, Diagnostic, Location};
use graph_codegen::lint::{self, Direction, RequestCheck, Tree, TypeIndex};
use graph_codegen::model::{Api, Body, ExampleCase, FieldType, HttpMethod, Operation, Response};
use graph_codegen::page::model::{Example, MethodPage};
use serde_json::Value;

use classify::{Failure, Verdict, classify, repair};
use compare::{Reads, path_segments, query_pairs, semantic_difference};
use harness::{Record, Run};

/// Which of the three checks a result belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    Endpoint,
    Request,
    Response,
}

impl Check {
    const ALL: [Check; 3] = [Check::Endpoint, Check::Request, Check::Response];

    fn name(self) -> &'static str {
        match self {
            Check::Endpoint => "1 request line reaches a generated call",
            Check::Request => "2 the call sends the example's request",
            Check::Response => "3 the call reads the example's response",
        }
    }
}

#[derive(Debug, Default)]
struct Tally {
    checked: usize,
    passed: usize,
    doc_errors: BTreeMap<Code, usize>,
    generator_bugs: usize,
}

/// What the checks found.
pub struct Outcome {
    tallies: BTreeMap<Check, Tally>,
    doc_errors: Vec<Diagnostic>,
    bugs: Vec<Diagnostic>,
    /// Examples whose response is a success with a valid JSON body, and how many of them pass
    /// all three checks as calls.
    with_json_response: usize,
    passed_as_calls: usize,
    /// Why the others fail: the first failing check and its cause (a doc error's code, or
    /// `bug`), counted.
    failing: BTreeMap<(Check, String), usize>,
    /// Example requests to other hosts than Graph's (the service's notifications to a bot's
    /// callback URL): not calls a user makes through the client.
    to_other_hosts: usize,
}

/// One example request of one page, with what the model matched it to.
struct Item<'t> {
    page_file: &'t str,
    method: &'t MethodPage,
    example: &'t Example,
    /// Index into `Api::examples`, when the request line reaches a generated call.
    case: Option<usize>,
    /// Invalid-JSON findings of the parser inside this example's request and response.
    invalid_request: Option<&'t Diagnostic>,
    invalid_response: Option<&'t Diagnostic>,
}

/// The runs of one case: the docs' bodies, and the lint's repair of them (if any).
#[derive(Default, Clone, Copy)]
struct Runs {
    docs: usize,
    repaired: Option<usize>,
}

/// Runs the checks over one version's docs, building the harness crate in `out`.
pub fn evaluate(dir: &Path, out: &Path) -> Result<Outcome, String> {
    let tree = Tree::read(dir).map_err(|error| error.to_string())?;
    if tree.apis.len() != 1 {
        return Err(format!(
            "{} holds {} versions; pass one version's folder",
            dir.display(),
            tree.apis.len()
        ));
    }
    let apis: Vec<Api> = tree.apis.values().cloned().collect();
    let api = &apis[0];
    let index = TypeIndex::new(api);
    let (items, to_other_hosts) = items(&tree, api);

    // One run per matched example with the docs' bodies, one more with the lint's repair.
    let mut runs: Vec<Run> = Vec::new();
    let mut runs_of: Vec<Runs> = vec![Runs::default(); api.examples.len()];
    for (number, case) in api.examples.iter().enumerate() {
        let operation = &api.operations[case.operation];
        let docs = Run {
            case: number,
            request_body: case.request_body.clone(),
            status: case.response_status.unwrap_or(match operation.response {
                Response::NoContent => 204,
                _ => 200,
            }),
            response_body: case.response_body.clone(),
        };
        let repaired_request = request_type(&index, operation)
            .zip(parse(case.request_body.as_deref()))
            .and_then(|(ty, body)| repair(&index, &ty, &body, Direction::Request))
            .map(|body| body.to_string());
        let repaired_response = response_type(operation)
            .zip(parse(case.response_body.as_deref()))
            .and_then(|((ty, reads), body)| {
                let part = reads.part(&body)?;
                let repaired = repair(&index, &ty, part, Direction::Response)?;
                Some(reads.with_part(&body, repaired).to_string())
            });
        runs_of[number].docs = runs.len();
        if repaired_request.is_some() || repaired_response.is_some() {
            let mut repaired = docs.clone();
            repaired.request_body = repaired_request.or(repaired.request_body);
            repaired.response_body = repaired_response.or(repaired.response_body);
            runs.push(docs);
            runs_of[number].repaired = Some(runs.len());
            runs.push(repaired);
        } else {
            runs.push(docs);
        }
    }

    eprintln!(
        "sending {} example calls ({} runs) through the generated client (building it)...",
        api.examples.len(),
        runs.len()
    );
    let files = harness::crate_files(&apis);
    let records = harness::run(out, api, &files, &runs)?;

    let mut outcome = Outcome {
        tallies: BTreeMap::new(),
        doc_errors: Vec::new(),
        bugs: Vec::new(),
        with_json_response: 0,
        passed_as_calls: 0,
        failing: BTreeMap::new(),
        to_other_hosts,
    };
    for item in &items {
        let verdicts = judge(api, &index, item, &runs_of, &runs, &records);
        let response_is_json = item.example.response.as_ref().is_some_and(|response| {
            response.body.is_some() && response.status.is_none_or(|status| status < 300)
        });
        if response_is_json {
            outcome.with_json_response += 1;
            let first_failure = verdicts.iter().find_map(|(check, verdict)| match verdict {
                Verdict::Passed => None,
                Verdict::DocError(code, _) => Some((*check, code.as_str().to_string())),
                Verdict::GeneratorBug(_) => Some((*check, "bug".to_string())),
            });
            match first_failure {
                None => outcome.passed_as_calls += 1,
                Some(cause) => *outcome.failing.entry(cause).or_default() += 1,
            }
        }
        for (check, verdict) in verdicts {
            let tally = outcome.tallies.entry(check).or_default();
            tally.checked += 1;
            match verdict {
                Verdict::Passed => tally.passed += 1,
                Verdict::DocError(code, diagnostic) => {
                    *tally.doc_errors.entry(code).or_default() += 1;
                    outcome.doc_errors.push(diagnostic);
                }
                Verdict::GeneratorBug(diagnostic) => {
                    tally.generator_bugs += 1;
                    outcome.bugs.push(diagnostic);
                }
            }
        }
    }
    Ok(outcome)
}

fn parse(text: Option<&str>) -> Option<Value> {
    text.and_then(|text| serde_json::from_str(text).ok())
}

/// The type a call reads its request body into, when it sends JSON.
fn request_type(index: &TypeIndex, operation: &Operation) -> Option<FieldType> {
    match &operation.body {
        // A body of a base with derived types is its `Any…` enum.
        Body::Model { path } if index.polymorphic(path).is_some() => {
            Some(FieldType::Polymorphic { path: path.clone() })
        }
        Body::Model { path } => Some(FieldType::Model { path: path.clone() }),
        Body::Json | Body::Reference => Some(FieldType::Json),
        Body::None | Body::Bytes => None,
    }
}

/// The type a call reads its response into, and which part of the body that is.
fn response_type(operation: &Operation) -> Option<(FieldType, Reads)> {
    match &operation.response {
        Response::Json { body, .. } if operation.action => Some((body.clone(), Reads::ActionValue)),
        Response::Json { body, .. } => Some((body.clone(), Reads::Whole)),
        Response::Collection { item } | Response::Delta { item } => Some((
            FieldType::Collection {
                item: Box::new(item.clone()),
            },
            Reads::Items,
        )),
        _ => None,
    }
}

/// Every example request of every method page, in page order, with the case the model
/// matched it to and the invalid-JSON findings inside it.
fn items<'t>(tree: &'t Tree, api: &'t Api) -> (Vec<Item<'t>>, usize) {
    let mut to_other_hosts = 0;
    let mut case_at: BTreeMap<(&str, usize), usize> = BTreeMap::new();
    for (number, case) in api.examples.iter().enumerate() {
        case_at.insert((case.source.file.as_str(), case.source.line), number);
    }
    let mut items = Vec::new();
    for (file, page, _) in tree.pages() {
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
        let examples = &method.examples;
        for (position, example) in examples.iter().enumerate() {
            let Some(request) = &example.request else {
                continue;
            };
            if goes_to_another_host(&request.url) {
                to_other_hosts += 1;
                continue;
            }
            // The lines this example spans, to place invalid-JSON findings.
            let next_start = examples.get(position + 1).and_then(|next| {
                next.request
                    .as_ref()
                    .map(|request| request.line)
                    .or(next.response.as_ref().map(|response| response.line))
            });
            let within = |from: usize, to: Option<usize>| {
                invalid_json
                    .iter()
                    .find(|diagnostic| {
                        diagnostic.line > from && to.is_none_or(|to| diagnostic.line < to)
                    })
                    .copied()
            };
            let response_line = example.response.as_ref().map(|response| response.line);
            items.push(Item {
                page_file: &page.file,
                method,
                example,
                case: case_at.get(&(page.file.as_str(), request.line)).copied(),
                invalid_request: request
                    .body
                    .is_none()
                    .then(|| within(request.line, response_line.or(next_start)))
                    .flatten(),
                invalid_response: example
                    .response
                    .as_ref()
                    .filter(|response| response.body.is_none())
                    .and_then(|response| within(response.line, next_start)),
            });
        }
    }
    (items, to_other_hosts)
}

/// `https://bot.contoso.com/callback`: an absolute URL whose host is not a Graph host.
fn goes_to_another_host(url: &str) -> bool {
    let Some(rest) = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    !host.to_ascii_lowercase().starts_with("graph.microsoft.")
        && !host.eq_ignore_ascii_case("microsoftgraph.chinacloudapi.cn")
        && !host.eq_ignore_ascii_case("dod-graph.microsoft.us")
}

fn at(file: &str, line: usize) -> Location {
    Location {
        file: file.to_string(),
        line,
        column: 1,
    }
}

fn invalid_verdict(invalid: &Diagnostic) -> Verdict {
    let mut diagnostic = invalid.clone();
    diagnostic.code = Code::LintInvalidJson;
    diagnostic.severity = Code::LintInvalidJson.severity();
    Verdict::DocError(Code::LintInvalidJson, diagnostic)
}

/// The three checks of one example.
fn judge(
    api: &Api,
    index: &TypeIndex,
    item: &Item<'_>,
    runs_of: &[Runs],
    runs: &[Run],
    records: &[Record],
) -> Vec<(Check, Verdict)> {
    let request = item.example.request.as_ref().expect("items have a request");
    let here = at(item.page_file, request.line);
    let Some(number) = item.case else {
        let verdict = match lint::check_request_line(item.method, request) {
            // Neither the page nor any other documents the path: nothing to call.
            RequestCheck::NoTemplates => return Vec::new(),
            RequestCheck::Matched => Verdict::GeneratorBug(Diagnostic::new(
                Code::ExampleMismatch,
                here,
                format!(
                    "`{} {}` is a request line of its page, but no generated call takes it",
                    request.method.as_str(),
                    request.url
                ),
            )),
            RequestCheck::ParameterMismatch { example, template } => Verdict::DocError(
                Code::LintParameterNotInTemplate,
                Diagnostic::new(
                    Code::LintParameterNotInTemplate,
                    here,
                    format!("`{{{example}}}` where the template has `{{{template}}}`"),
                ),
            ),
            RequestCheck::Unmatched { .. } => Verdict::DocError(
                Code::LintUnmatchedRequest,
                Diagnostic::new(
                    Code::LintUnmatchedRequest,
                    here,
                    format!("`{}` matches no template", request.url),
                ),
            ),
            RequestCheck::EmptySegment => Verdict::DocError(
                Code::LintUnmatchedRequest,
                Diagnostic::new(
                    Code::LintUnmatchedRequest,
                    here,
                    format!("`{}` has an empty segment (`//`)", request.url),
                ),
            ),
            RequestCheck::Unparsable => Verdict::GeneratorBug(Diagnostic::new(
                Code::RequestLine,
                here,
                format!(
                    "the example request line `{}` could not be read",
                    request.url
                ),
            )),
        };
        return vec![(Check::Endpoint, verdict)];
    };
    let case = &api.examples[number];
    let operation = &api.operations[case.operation];
    let mut verdicts = vec![(Check::Endpoint, Verdict::Passed)];
    let Runs { docs, repaired } = runs_of[number];
    let record = &records[docs];
    let repaired_record = repaired.map(|run| (&runs[run], &records[run]));
    // Every diagnostic names the call and where it comes from.
    let call = format!(
        "`{} {}` (endpoint from {}:{})",
        operation.method.as_str(),
        operation.template(),
        operation.source.file,
        operation.source.line
    );
    let problem = |line: usize, message: String| {
        Diagnostic::new(
            Code::ExampleMismatch,
            at(item.page_file, line),
            format!("{call}: {message}"),
        )
    };
    if !record.answered {
        verdicts.push((
            Check::Request,
            Verdict::GeneratorBug(problem(
                request.line,
                "the harness gave no answer (the case panicked)".into(),
            )),
        ));
        return verdicts;
    }

    // Check 2: what the call sends.
    let sent_body = parse(case.request_body.as_deref());
    let request_verdict = match item.invalid_request {
        Some(invalid) => invalid_verdict(invalid),
        None => match request_failure(case, operation, sent_body.as_ref(), record) {
            None => Verdict::Passed,
            Some(RequestFailure::Body(message)) => {
                let ty = request_type(index, operation).unwrap_or(FieldType::Json);
                classify(Failure {
                    index,
                    field_type: &ty,
                    value: sent_body.as_ref().unwrap_or(&Value::Null),
                    direction: Direction::Request,
                    diagnostic: problem(request.line, message),
                    repaired: repaired_record.map(|(run, record)| {
                        let body = parse(run.request_body.as_deref());
                        match request_failure(case, operation, body.as_ref(), record) {
                            Some(RequestFailure::Body(why) | RequestFailure::Wire(why)) => Err(why),
                            None => Ok(()),
                        }
                    }),
                })
            }
            // A GET or DELETE example with a body: the method takes none, whatever the page shows.
            Some(RequestFailure::Wire(message))
                if sent_body.is_some()
                    && matches!(operation.method, HttpMethod::Get | HttpMethod::Delete)
                    && matches!(operation.body, Body::None) =>
            {
                let mut diagnostic = problem(request.line, message);
                diagnostic.code = Code::LintBodyOnBodilessMethod;
                Verdict::DocError(Code::LintBodyOnBodilessMethod, diagnostic)
            }
            Some(RequestFailure::Wire(message)) => {
                Verdict::GeneratorBug(problem(request.line, message))
            }
        },
    };
    verdicts.push((Check::Request, request_verdict));

    // Check 3: what the call makes of the response. Error examples (4xx, 5xx) are not checked.
    let Some(response) = &item.example.response else {
        return verdicts;
    };
    if response.status.is_some_and(|status| status >= 300) && response.status != Some(302) {
        return verdicts;
    }
    if let Some(invalid) = item.invalid_response {
        verdicts.push((Check::Response, invalid_verdict(invalid)));
        return verdicts;
    }
    let body = parse(case.response_body.as_deref());
    let line = response.body_line.max(response.line);
    let reads_a_body = !matches!(
        operation.response,
        Response::NoContent | Response::Accepted | Response::Redirect | Response::Bytes
    );
    // An update reads `None` from a `204`: the call must take it without an error.
    if response.status == Some(204) && operation.result_is_optional() {
        let verdict = match (&record.error, &record.output) {
            (None, None | Some(Value::Null)) => Verdict::Passed,
            (Some(error), _) => Verdict::GeneratorBug(problem(
                line,
                format!("the update fails on the example's `204 No Content`: {error}"),
            )),
            (None, Some(output)) => Verdict::GeneratorBug(problem(
                line,
                format!("the update reads `{output}` from the example's `204 No Content`"),
            )),
        };
        verdicts.push((Check::Response, verdict));
        return verdicts;
    }
    // `204` where the endpoint's page documents a body: the docs disagree with themselves.
    if response.status == Some(204) && reads_a_body {
        let message = format!(
            "the example answers `204 No Content`; the endpoint's page documents {}",
            match &operation.response {
                Response::Json { status, .. } => format!("`{status}` with a body"),
                _ => "a body".to_string(),
            }
        );
        let mut diagnostic = problem(line, message);
        diagnostic.code = Code::LintStatusMismatch;
        verdicts.push((
            Check::Response,
            Verdict::DocError(Code::LintStatusMismatch, diagnostic),
        ));
        return verdicts;
    }
    // The example shows no body (`$count`'s number written outside its code block): nothing to
    // read, nothing to check.
    if body.is_none() && reads_a_body {
        return verdicts;
    }
    let verdict = match response_failure(operation, body.as_ref(), record) {
        None => Verdict::Passed,
        Some(message) => match (response_type(operation), &body) {
            (Some((ty, reads)), Some(body)) => classify(Failure {
                index,
                field_type: &ty,
                value: reads.part(body).unwrap_or(body),
                direction: Direction::Response,
                diagnostic: problem(line, message),
                repaired: repaired_record.map(|(run, record)| {
                    let body = parse(run.response_body.as_deref());
                    match response_failure(operation, body.as_ref(), record) {
                        Some(why) => Err(why),
                        None => Ok(()),
                    }
                }),
            }),
            _ => Verdict::GeneratorBug(problem(line, message)),
        },
    };
    verdicts.push((Check::Response, verdict));
    verdicts
}

enum RequestFailure {
    /// The example body does not read into the call's body type, or not back.
    Body(String),
    /// The call sent something else than the example (method, path, query, no body).
    Wire(String),
}

/// Why the call's request is not the example's, if it is not.
fn request_failure(
    case: &ExampleCase,
    operation: &Operation,
    example_body: Option<&Value>,
    record: &Record,
) -> Option<RequestFailure> {
    if let Some(body) = &record.request_body {
        if let Some(error) = body.get("error").and_then(Value::as_str) {
            return Some(RequestFailure::Body(format!(
                "the example request body does not read into the call's body type: {error}"
            )));
        }
        if let (Some(read), Some(example)) = (body.get("read"), example_body)
            && let Some(difference) = semantic_difference(example, read, "")
        {
            return Some(RequestFailure::Body(format!(
                "the example request body does not round-trip through the call's body type: {difference}"
            )));
        }
    }
    let Some(sent) = record.sent.first() else {
        let built = record
            .target
            .as_ref()
            .map(|target| format!(" (it was built for {target})"))
            .unwrap_or_default();
        return Some(RequestFailure::Wire(format!(
            "the call sent nothing{built}{}",
            record
                .error
                .as_deref()
                .map(|error| format!(": {error}"))
                .unwrap_or_default()
        )));
    };
    let (path, query) = case.url.split_once('?').unwrap_or((case.url.as_str(), ""));
    let sent_method = sent.get("method").and_then(Value::as_str).unwrap_or("");
    if sent_method != operation.method.as_str() {
        return Some(RequestFailure::Wire(format!(
            "sent {sent_method}, the example {}",
            operation.method.as_str()
        )));
    }
    let sent_path = sent.get("path").and_then(Value::as_str).unwrap_or("");
    if path_segments(sent_path) != path_segments(path) {
        return Some(RequestFailure::Wire(format!(
            "sent the path `{sent_path}`, the example `{path}`"
        )));
    }
    let sent_query = sent.get("query").and_then(Value::as_str).unwrap_or("");
    if query_pairs(sent_query) != query_pairs(query) {
        return Some(RequestFailure::Wire(format!(
            "sent the query `{sent_query}`, the example `{query}`"
        )));
    }
    let sent_body = sent.get("body").filter(|body| !body.is_null());
    match (example_body, sent_body) {
        (Some(example), None) if !is_empty_object(example) => Some(RequestFailure::Wire(
            "the example sends a body; the call sends none (it takes no body)".to_string(),
        )),
        (Some(example), Some(sent)) => semantic_difference(example, sent, "").map(|difference| {
            RequestFailure::Wire(format!("the call sent another body: {difference}"))
        }),
        _ => None,
    }
}

fn is_empty_object(value: &Value) -> bool {
    value.as_object().is_some_and(serde_json::Map::is_empty)
}

/// Why the call's result is not the example's response, if it is not.
fn response_failure(
    operation: &Operation,
    body: Option<&Value>,
    record: &Record,
) -> Option<String> {
    if let Some(error) = &record.error {
        return Some(format!("the call fails on the example response: {error}"));
    }
    let output = record.output.as_ref()?;
    let (_, reads) = response_type(operation)?;
    let body = body?;
    let expected = reads.part(body)?;
    let actual = match reads {
        Reads::Items => output.get("value")?,
        Reads::Whole | Reads::ActionValue => output,
    };
    semantic_difference(expected, actual, "")
        .map(|difference| format!("the call's result is not the example response: {difference}"))
}

pub fn run(dir: &Path, out: &Path, min: f64, all: bool, allowed_bugs: Option<usize>) -> ExitCode {
    let Outcome {
        mut tallies,
        doc_errors,
        bugs,
        with_json_response,
        passed_as_calls,
        failing,
        to_other_hosts,
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
    if to_other_hosts > 0 {
        println!(
            "{to_other_hosts} example requests go to other hosts than Graph's (notifications to a \
             callback URL): not calls of the client, not counted"
        );
    }
    let share = if with_json_response == 0 {
        1.0
    } else {
        passed_as_calls as f64 / with_json_response as f64
    };
    println!(
        "{passed_as_calls} of {with_json_response} examples with a valid JSON response pass as calls ({:.1}%)",
        share * 100.0
    );
    if !failing.is_empty() {
        let causes: Vec<String> = failing
            .iter()
            .map(|((check, cause), count)| {
                format!(
                    "check {} {cause} {count}",
                    Check::ALL
                        .iter()
                        .position(|c| c == check)
                        .map_or(0, |p| p + 1)
                )
            })
            .collect();
        println!(
            "the others, by the first check they fail and why: {}",
            causes.join(", ")
        );
    }
    let mut failed = false;
    if share < min {
        eprintln!(
            "error: {:.1}% is below the required {:.1}%",
            share * 100.0,
            min * 100.0
        );
        failed = true;
    }
    if let Some(allowed) = allowed_bugs
        && bugs.len() > allowed
    {
        eprintln!(
            "error: {} failures are generator bugs (at most {allowed} allowed)",
            bugs.len()
        );
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lint fixture's examples, sent as calls through a client generated from it: each
    /// check counts what it should, and every failure is the doc error the fixture plants.
    #[test]
    fn the_lint_fixture_is_sent_as_calls_and_classified() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace");
        let dir = root.join("generator/tests/fixtures/lint/v1.0");
        let out = root.join("target/examples-check-fixture");
        let outcome = evaluate(&dir, &out).expect("the fixture's calls run");
        let counts = |check: Check| {
            let tally = &outcome.tallies[&check];
            (tally.checked, tally.passed, tally.generator_bugs)
        };
        assert_eq!(counts(Check::Endpoint), (6, 5, 0));
        assert_eq!(counts(Check::Request), (5, 5, 0));
        assert_eq!(counts(Check::Response), (4, 2, 0));
        let codes: Vec<String> = outcome
            .doc_errors
            .iter()
            .map(|diagnostic| format!("{}:{}", diagnostic.code, diagnostic.line))
            .collect();
        assert_eq!(codes, ["L0013:58", "L0005:94", "L0006:116"]);
        assert!(outcome.bugs.is_empty(), "{:#?}", outcome.bugs);
        assert_eq!(
            (outcome.passed_as_calls, outcome.with_json_response),
            (2, 4)
        );
    }
}
