//! Fenced code blocks: the HTTP request section's request lines, the JSON representation, and
//! the examples' requests and responses.

use super::annotation::Annotation;
use super::comments::{annotation_bool, annotation_str_opt};
use super::http;
use super::model::{ExampleRequest, ExampleResponse, Header, JsonBody, RequestLine};
use super::text::{first_line, shorten, split_lines};
use super::{PageReader, Section};
use crate::diagnostics::{Code, Diagnostic};

impl<'a> PageReader<'a> {
    pub(super) fn code(&mut self, info: &str, text: &str, offset: usize, closed: bool) {
        if !closed {
            self.report(
                Code::UnclosedFence,
                offset,
                "code fence is never closed; it runs to the end of the file",
            );
        }
        let annotation = self.annotation.take();
        let language = info.split_whitespace().next().unwrap_or("");
        let http = language.is_empty()
            || language.eq_ignore_ascii_case("http")
            || language.eq_ignore_ascii_case("msgraph-interactive");
        let body_offset = memchr::memchr(b'\n', &self.source.as_bytes()[offset..])
            .map_or(offset, |newline| offset + newline + 1);
        let is_request_block =
            annotation_str_opt(annotation.as_ref(), "blockType") == Some("request");
        match self.section {
            Section::HttpRequest if http => {
                self.request_blocks_are_templates |= is_request_block;
                self.request_lines(text, body_offset);
            }
            // A later heading's template ("## List a site's drives"), written as the first and
            // before any example: one request line, no origin, no query, no body.
            Section::Other
                if http
                    && is_request_block
                    && self.request_blocks_are_templates
                    && self.method.examples.is_empty()
                    && self.current_example.request.is_none()
                    && is_template_block(text) =>
            {
                self.request_lines(text, body_offset);
            }
            Section::JsonRepresentation if self.resource.json_representation.is_none() => {
                self.resource.json_representation = Some(text.to_string());
            }
            Section::Examples | Section::Response | Section::RequestBody | Section::Other
                if http || language.eq_ignore_ascii_case("json") =>
            {
                self.example_block(text, body_offset, annotation.as_ref());
            }
            _ => {}
        }
    }

    fn request_lines(&mut self, text: &str, body_offset: usize) {
        let mut line_offset = body_offset;
        for line in split_lines(text) {
            let here = line_offset;
            line_offset += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with("//") || trimmed.starts_with('#') {
                continue;
            }
            match http::parse_request_line(trimmed) {
                Some(mut parsed) => {
                    let keys = http::example_keys_as_parameters(&mut parsed.path);
                    for problem in parsed.problems.iter().chain(&keys) {
                        self.report(Code::RequestPath, here, problem.clone());
                    }
                    let line = self.line(here);
                    self.method.requests.push(RequestLine {
                        method: parsed.method,
                        path: parsed.path,
                        query: parsed.query,
                        line,
                    });
                }
                None => self.report(
                    Code::RequestLine,
                    here,
                    format!("`{}` is not a request line; skipped", shorten(trimmed)),
                ),
            }
        }
    }

    fn example_block(&mut self, text: &str, body_offset: usize, annotation: Option<&Annotation>) {
        let first = text.trim_start();
        if first.starts_with("HTTP/") {
            self.example_response(text, body_offset, annotation);
        } else if let Some(method) = http::request_method(first_line(first)) {
            let (headers, body, body_line) = headers_and_body(text, body_offset);
            let body = self.example_json(body, body_line);
            let line = self.line(body_offset + (text.len() - first.len()));
            let url = first_line(first).trim();
            let url = url[method.as_str().len().min(url.len())..]
                .trim()
                .to_string();
            if self.current_example.request.is_some() || self.current_example.response.is_some() {
                self.flush_example();
            }
            self.current_example.request = Some(ExampleRequest {
                method,
                url,
                headers,
                body,
                line,
            });
        } else if annotation_str_opt(annotation, "blockType") == Some("response") {
            // A bare JSON response body.
            self.example_response(
                &format!("HTTP/1.1 200 OK\n\n{text}"),
                body_offset,
                annotation,
            );
        }
    }

    fn example_response(
        &mut self,
        text: &str,
        body_offset: usize,
        annotation: Option<&Annotation>,
    ) {
        let first_line = first_line(text.trim_start());
        let status = first_line.split_whitespace().nth(1).and_then(|code| {
            (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
                .then(|| code.parse::<u16>().ok())
                .flatten()
        });
        let line = self.line(body_offset);
        if status.is_none() {
            self.report(
                Code::ExampleStatus,
                body_offset,
                format!("status line `{}` has no 3-digit code", shorten(first_line)),
            );
        }
        let (headers, body, body_line) = headers_and_body(text, body_offset);
        let body = self.example_json(body, body_line);
        if self.current_example.response.is_some() {
            self.flush_example();
        }
        self.current_example.response = Some(ExampleResponse {
            status,
            headers,
            body,
            odata_type: annotation_str_opt(annotation, "@odata.type")
                .or_else(|| annotation_str_opt(annotation, "@type"))
                .map(str::to_string),
            truncated: annotation.is_some_and(|value| annotation_bool(value, "truncated")),
            line,
            body_line: self.line(body_line),
        });
    }

    fn example_json(&mut self, body: &str, body_offset: usize) -> Option<JsonBody> {
        let body = body.trim();
        // A `$count` answers a bare number (`893`, as `text/plain`): JSON too.
        let number = !body.is_empty() && body.bytes().all(|byte| byte.is_ascii_digit());
        if body.is_empty() || !(body.starts_with('{') || body.starts_with('[') || number) {
            return None;
        }
        match JsonBody::parse(body) {
            Ok(value) => Some(value),
            Err(error) => {
                let mut at = self.at(body_offset);
                at.line += error.line().saturating_sub(1);
                at.column = error.column().max(1);
                self.diagnostics.push(Diagnostic::new(
                    Code::ExampleJson,
                    at,
                    format!("example body is not valid JSON: {error}"),
                ));
                None
            }
        }
    }

    pub(super) fn flush_example(&mut self) {
        let mut example = std::mem::take(&mut self.current_example);
        if example.request.is_some() || example.response.is_some() {
            example.title = self.example_title.as_deref().map(str::to_string);
            self.method.examples.push(example);
        }
    }
}

fn headers_and_body(text: &str, body_offset: usize) -> (Vec<Header>, &str, usize) {
    // Skip the request or status line, read `Name: value` headers up to the first blank line.
    let mut headers = Vec::new();
    let mut consumed = 0;
    let mut first = true;
    let mut lines = split_lines(text).peekable();
    while let Some(line) = lines.next() {
        consumed += line.len();
        let trimmed = line.trim();
        if first {
            if trimmed.is_empty() {
                continue;
            }
            first = false;
            // Some examples leave a blank line between the request line and its headers.
            while let Some(blank) = lines.next_if(|next| next.trim().is_empty()) {
                if !lines.peek().is_some_and(|next| is_header_line(next)) {
                    // A body after a blank line, as usual: give the blank back.
                    consumed += blank.len();
                    return (headers, &text[consumed..], body_offset + consumed);
                }
                consumed += blank.len();
            }
            continue;
        }
        if trimmed.is_empty() {
            break;
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            consumed -= line.len();
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push(Header {
                name: name.trim().to_string(),
                value: value.trim().to_string(),
            });
        }
    }
    let consumed = consumed.min(text.len());
    (headers, &text[consumed..], body_offset + consumed)
}

/// `Content-Type: application/json`: a header name, a colon and a space (`BEGIN:VCARD` of a
/// vCard body is not one).
fn is_header_line(line: &str) -> bool {
    let line = line.trim();
    line.split_once(": ").is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
    })
}

/// One request line written as a template: a path without the service's origin or a query,
/// nothing after it.
fn is_template_block(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let is_template = lines.next().is_some_and(|line| {
        http::request_method(line).is_some()
            && !line.contains(['?', ':'])
            && line
                .split_whitespace()
                .nth(1)
                .is_some_and(|path| path.starts_with('/'))
    });
    is_template && lines.next().is_none()
}
