//! Stage 1: one page in, one [`ParsedPage`] out. No knowledge of other pages or of Rust.

mod annotation;
pub mod facts;
pub mod http;
mod lines;
pub mod markdown;
pub mod model;
pub mod types;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use memchr::memmem;

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};
use annotation::{Annotation, AnnotationValue};
use lines::Lines;
use markdown::{Block, Inline, TableRow};
pub use model::*;

/// Parses one page. `file` is the path used in diagnostics. Never panics on any input the
/// fuzzer has found; problems become diagnostics and the rest of the page is still read.
pub fn parse_page(file: &str, source: &str) -> (ParsedPage, Vec<Diagnostic>) {
    let mut reader = PageReader::new(file, source);
    reader.read();
    reader.finish()
}

/// Parses raw bytes: invalid UTF-8 is replaced (with a diagnostic) rather than rejected.
pub fn parse_page_bytes(file: &str, bytes: &[u8]) -> (ParsedPage, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_page(file, text),
        Err(error) => {
            let text = String::from_utf8_lossy(bytes);
            let index = LineIndex::new(&text);
            let (line, column) = index.line_column(&text, error.valid_up_to());
            let (page, mut diagnostics) = parse_page(file, &text);
            diagnostics.insert(
                0,
                Diagnostic::new(
                    Code::InvalidUtf8,
                    Location {
                        file: file.to_string(),
                        line,
                        column,
                    },
                    "invalid UTF-8; the bad bytes were replaced with U+FFFD",
                ),
            );
            (page, diagnostics)
        }
    }
}

/// The H2 sections a page is made of, named once here whatever their spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Intro,
    Permissions,
    HttpRequest,
    PathParameters,
    QueryParameters,
    RequestHeaders,
    RequestBody,
    Response,
    Examples,
    Properties,
    Relationships,
    JsonRepresentation,
    Members,
    Methods,
    Other,
}

fn classify_section(heading: &str) -> Section {
    let name = heading.trim().trim_end_matches([':', '.']);
    // Lowercased on the stack: every name below is shorter than the buffer, so a longer
    // heading can only be an example.
    let mut buffer = [0u8; 32];
    let lower = match buffer.get_mut(..name.len()) {
        Some(lower) => {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).unwrap_or("")
        }
        None => "",
    };
    match lower {
        "permissions" | "prerequisites" | "authorization" => Section::Permissions,
        "http request" | "http requests" => Section::HttpRequest,
        "path parameters" => Section::PathParameters,
        "optional query parameters" | "query parameters" | "function parameters" | "parameters" => {
            Section::QueryParameters
        }
        "request headers" | "optional request headers" | "request header" => {
            Section::RequestHeaders
        }
        "request body" => Section::RequestBody,
        "response" | "response body" => Section::Response,
        "properties" | "common properties" => Section::Properties,
        "relationships" => Section::Relationships,
        "json representation" => Section::JsonRepresentation,
        "members" | "enum members" | "values" => Section::Members,
        "methods" => Section::Methods,
        _ if name
            .as_bytes()
            .get(..7)
            .is_some_and(|start| start.eq_ignore_ascii_case(b"example")) =>
        {
            Section::Examples
        }
        _ => Section::Other,
    }
}

/// What a table is, from its header and the section it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Permissions,
    Headers,
    Properties {
        type_column: usize,
        description: Option<usize>,
    },
    Members {
        value_column: Option<usize>,
        description: Option<usize>,
    },
    Ignored,
    Unknown,
}

fn header_text(cell: &Inline) -> String {
    cell.text
        .trim()
        .trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
        .to_ascii_lowercase()
}

fn classify_table(section: Section, header: &[String]) -> TableKind {
    let first = header.first().map(String::as_str).unwrap_or("");
    let find = |wanted: &[&str]| {
        header
            .iter()
            .position(|cell| wanted.iter().any(|want| cell.starts_with(want)))
    };
    let description = find(&["description", "remarks", "notes"]);
    if first.starts_with("permission type")
        || first == "supported resource"
        || section == Section::Permissions
    {
        return TableKind::Permissions;
    }
    if section == Section::Methods {
        return TableKind::Ignored;
    }
    if section == Section::RequestHeaders || first == "header" || first == "request header" {
        return TableKind::Headers;
    }
    let type_column = header.iter().position(|cell| {
        cell == "type" || cell == "data type" || cell == "return type" || cell == "value type"
    });
    if let Some(type_column) = type_column.filter(|&column| column > 0)
        && (first != "method" || section == Section::Properties)
    {
        // Includes the Properties tables headed `Method | Return Type | Description`.
        return TableKind::Properties {
            type_column,
            description,
        };
    }
    if first == "method" {
        return TableKind::Ignored;
    }
    let member_heading = matches!(
        first,
        "member" | "members" | "value" | "name" | "enum value" | "member name"
    );
    if (section == Section::Members && !header.is_empty())
        || (member_heading && (first != "name" || section == Section::Members))
    {
        let value_column = header
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, cell)| cell.contains("value"))
            .map(|(index, _)| index);
        return TableKind::Members {
            value_column,
            description,
        };
    }
    if section == Section::RequestBody || section == Section::QueryParameters {
        // `|Name|Value|Description|` in request bodies and parameter lists.
        return TableKind::Ignored;
    }
    TableKind::Unknown
}

struct PageReader<'a> {
    file: &'a str,
    source: &'a str,
    lines: Lines<'a>,
    page: ParsedPage,
    method: MethodPage,
    resource: ResourcePage,
    diagnostics: Vec<Diagnostic>,
    section: Section,
    h3: Option<Cow<'a, str>>,
    /// The heading examples from here on sit under.
    example_title: Option<Cow<'a, str>>,
    annotation: Option<Annotation<'a>>,
    resource_annotation: Option<Annotation<'a>>,
    body_intro: String,
    has_request_section: bool,
    current_example: Example,
    properties_section_seen: bool,
    property_table_seen: bool,
}

impl<'a> PageReader<'a> {
    fn new(file: &'a str, source: &'a str) -> Self {
        PageReader {
            file,
            source,
            lines: Lines::new(source),
            page: ParsedPage {
                file: file.to_string(),
                ..ParsedPage::default()
            },
            method: MethodPage::default(),
            resource: ResourcePage::default(),
            diagnostics: Vec::new(),
            section: Section::Intro,
            h3: None,
            example_title: None,
            annotation: None,
            resource_annotation: None,
            body_intro: String::new(),
            has_request_section: false,
            current_example: Example::default(),
            properties_section_seen: false,
            property_table_seen: false,
        }
    }

    fn at(&self, offset: usize) -> Location {
        let (line, column) = self.lines.line_column(offset);
        Location {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    fn report(&mut self, code: Code, offset: usize, message: impl Into<String>) {
        let at = self.at(offset);
        self.diagnostics.push(Diagnostic::new(code, at, message));
    }

    fn read(&mut self) {
        let mut blocks = markdown::blocks(self.source);
        // Paragraphs of table rows already read as part of the table before them.
        let mut consumed: Vec<usize> = Vec::new();
        for index in 0..blocks.len() {
            if consumed.contains(&index) {
                continue;
            }
            // Each block is read once; taking it lets tables move their cells instead of
            // cloning them. Later blocks stay in place for look-ahead.
            let block = std::mem::replace(
                &mut blocks[index],
                Block::Html {
                    text: "",
                    offset: 0,
                },
            );
            match block {
                Block::FrontMatter { text, offset } => self.front_matter(text, offset),
                Block::Heading {
                    level,
                    inline,
                    offset,
                } => self.heading(level, inline, offset),
                Block::Paragraph {
                    inline,
                    quoted,
                    offset,
                    ..
                } => self.paragraph(&inline, quoted, offset),
                Block::Table {
                    header,
                    cells,
                    rows,
                    offset,
                    recovered,
                } => {
                    if recovered {
                        self.report(
                            Code::TableRecovered,
                            offset,
                            "the delimiter row's cell count differs from the header's, so markdown does not see a table; read it anyway",
                        );
                    }
                    // Rows after a commented-out row end GFM's table; they come back as a
                    // paragraph of pipe lines right after the comment.
                    let (continued, paragraphs) =
                        continuation_rows(self.source, &blocks[index + 1..]);
                    consumed.extend(paragraphs.into_iter().map(|at| index + 1 + at));
                    self.table(&header, cells, rows, &continued, offset);
                }
                Block::Code {
                    info,
                    text,
                    offset,
                    closed,
                } => self.code(&info, text, offset, closed),
                Block::Html { text, offset } => self.html(text, offset),
            }
        }
    }

    fn front_matter(&mut self, text: &str, offset: usize) {
        // The docs write flat `key: value` lines; a full YAML parse is only needed (and only
        // paid for) when a block is not that simple.
        if let Some(flat) = flat_front_matter(text) {
            self.page.front_matter = FrontMatter {
                title: flat.title.map(str::to_string),
                description: flat.description.map(str::to_string),
                doc_type: flat.doc_type.map(str::to_string),
                ms_prod: flat.ms_prod.map(str::to_string),
            };
            return;
        }
        let values: BTreeMap<String, String> = {
            match serde_yaml_ng::from_str::<BTreeMap<String, serde_yaml_ng::Value>>(text) {
                Ok(map) => map
                    .into_iter()
                    .filter_map(|(key, value)| {
                        let value = match value {
                            serde_yaml_ng::Value::String(text) => text,
                            serde_yaml_ng::Value::Bool(flag) => flag.to_string(),
                            serde_yaml_ng::Value::Number(number) => number.to_string(),
                            _ => return None,
                        };
                        Some((key, value))
                    })
                    .collect(),
                Err(error) => {
                    self.report(
                        Code::FrontMatter,
                        offset,
                        format!("front matter is not valid YAML ({error}); read line by line"),
                    );
                    text.lines()
                        .filter_map(|line| line.split_once(':'))
                        .map(|(key, value)| {
                            (
                                key.trim().to_string(),
                                value.trim().trim_matches(['"', '\'']).to_string(),
                            )
                        })
                        .collect()
                }
            }
        };
        self.page.front_matter = FrontMatter {
            title: values.get("title").cloned(),
            description: values.get("description").cloned(),
            doc_type: values.get("doc_type").cloned(),
            ms_prod: values.get("ms.prod").cloned(),
        };
    }

    fn heading(&mut self, level: u8, inline: Inline<'a>, _offset: usize) {
        // `# [HTTP](#tab/http)` snippet tabs are written as H1s.
        let is_tab = inline
            .links
            .iter()
            .any(|link| link.dest.starts_with("#tab/"));
        let heading = trimmed(inline.text);
        let text: &str = &heading;
        match level {
            1 if !is_tab && self.page.title.is_none() => {
                self.page.title = Some(text.to_string());
            }
            2 => {
                self.flush_example();
                self.section = classify_section(text);
                self.h3 = None;
                if self.section == Section::Properties {
                    self.properties_section_seen = true;
                }
                if self.section == Section::HttpRequest {
                    self.has_request_section = true;
                }
                self.example_title = Some(heading.clone());
            }
            3 if self.section != Section::Examples
                && is_h3_section(classify_section(text), self.has_request_section) =>
            {
                // Some pages put their sections one level down (`### Properties`).
                self.section = classify_section(text);
                if self.section == Section::HttpRequest {
                    self.has_request_section = true;
                }
                self.h3 = Some(heading.clone());
            }
            3..=6 => {
                if self.section == Section::Examples
                    && level == 3
                    && !text.eq_ignore_ascii_case("request")
                    && !text.eq_ignore_ascii_case("response")
                {
                    self.flush_example();
                    self.example_title = Some(heading.clone());
                }
                self.h3 = Some(heading);
            }
            _ => {}
        }
    }

    fn paragraph(&mut self, inline: &Inline, quoted: bool, offset: usize) {
        let text = inline.text.trim();
        if let Some(rest) = text
            .strip_prefix("Namespace:")
            .or_else(|| text.strip_prefix("Namespace :"))
        {
            if self.page.namespace.is_none() {
                self.page.namespace = Some(rest.trim().trim_matches('`').trim().to_string());
            }
            return;
        }
        self.inherits_from(inline);
        match self.section {
            Section::Intro
                if !quoted
                    && self.page.summary.is_none()
                    && self.page.title.is_some()
                    && !text.starts_with("[!")
                    && !text.starts_with("Inherits from") =>
            {
                self.page.summary = Some(text.to_string());
            }
            Section::RequestBody => {
                if !self.body_intro.is_empty() {
                    self.body_intro.push('\n');
                }
                self.body_intro.push_str(text);
            }
            Section::Response => self.response_paragraph(inline, offset),
            Section::QueryParameters => self.query_support(text),
            Section::Properties
                if text.eq_ignore_ascii_case("none")
                    || text.eq_ignore_ascii_case("none.")
                    || contains_ignore_case(text, "no properties") =>
            {
                self.resource.declares_no_properties = true;
            }
            _ => {}
        }
    }

    /// Reads "This method supports the `$select` and `$top` OData query parameters" and its
    /// kin. Options named across several paragraphs add up; a denial wins over nothing.
    fn query_support(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let named = query_options_named(&lower);
        let denies = lower.contains("not support") || lower.starts_with("not supported");
        let support = &mut self.method.query_support;
        if !named.is_empty() && !denies {
            match support {
                QuerySupport::Named(options) => {
                    for option in named {
                        if !options.contains(&option) {
                            options.push(option);
                        }
                    }
                }
                _ => *support = QuerySupport::Named(named),
            }
        } else if denies && lower.contains("query") {
            if support.is_unstated() {
                *support = QuerySupport::None;
            }
        } else if (lower.contains("supports") || lower.contains("accepts"))
            && lower.contains("query param")
            && support.is_unstated()
        {
            *support = QuerySupport::Generic;
        }
    }

    fn inherits_from(&mut self, inline: &Inline) {
        if self.resource.base_type.is_some() {
            return;
        }
        let Some(position) = find_inherits_from(&inline.text) else {
            return;
        };
        let after = &inline.text[position + "Inherits from".len()..];
        // The first link whose text appears after the phrase.
        if let Some(link) = inline.links.iter().find(|link| {
            let text = inline.link_text(link);
            !text.trim().is_empty() && after.contains(text)
        }) {
            self.resource.base_type = Some(TypeRef::Named {
                name: inline.link_text(link).trim().trim_matches('`').to_string(),
                target: Some(link.dest.to_string()),
            });
            return;
        }
        let name: String = after
            .trim_start_matches([' ', ':'])
            .trim_start_matches('`')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            .collect();
        let name = name.trim_end_matches('.');
        if !name.is_empty() {
            self.resource.base_type = Some(TypeRef::Named {
                name: name.to_string(),
                target: None,
            });
        }
    }

    fn response_paragraph(&mut self, inline: &Inline, offset: usize) {
        let line = self.line(offset);
        let response = self.method.response.get_or_insert(ResponseSpec {
            status: None,
            type_ref: None,
            line,
        });
        if response.status.is_none() {
            response.status = first_status_code(&inline.text);
        }
        if response.type_ref.is_none()
            && let Some(link) = inline.links.iter().find(|link| is_type_link(&link.dest))
        {
            let link_text = inline.link_text(link);
            let name = link_text.trim().trim_matches('`').to_string();
            let named = TypeRef::Named {
                name,
                target: Some(link.dest.to_string()),
            };
            let at = inline.text.find(link_text).unwrap_or(0);
            let before = inline.text[..at].to_ascii_lowercase();
            // "a [user](…) collection" as well as "a collection of [user](…)".
            let after = inline.text[at + link_text.len()..]
                .trim_start_matches([')', ' ', '`', '*'])
                .to_ascii_lowercase();
            response.type_ref = Some(
                if before.contains("collection") || after.starts_with("collection") {
                    TypeRef::Collection {
                        item: Box::new(named),
                    }
                } else {
                    named
                },
            );
        }
    }

    fn html(&mut self, text: &'a str, offset: usize) {
        let trimmed = text.trim();
        // The comment ends at the first `-->`, whatever follows it on that line.
        static COMMENT_END: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("-->"));
        static PAGE_ANNOTATION: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("\"#page.annotation\""));
        static BLOCK_TYPE: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new("\"blockType\""));
        let Some(inner) = trimmed.strip_prefix("<!--").map(|rest| {
            COMMENT_END
                .find(rest.as_bytes())
                .map_or(rest, |end| &rest[..end])
        }) else {
            return;
        };
        let inner = inner.trim();
        if !inner.starts_with('{') {
            return;
        }
        // The `#page.annotation` footer (title, keywords, TOC path) holds nothing the
        // generator reads; it is skipped before parsing, so its JSON slips are not reported.
        if PAGE_ANNOTATION.find(inner.as_bytes()).is_some()
            && BLOCK_TYPE.find(inner.as_bytes()).is_none()
        {
            return;
        }
        let value = match Annotation::from_json(inner) {
            Ok(value) => value,
            Err(_) => match json5::from_str::<Value>(inner) {
                Ok(value) => {
                    self.report(
                        Code::AnnotationJson,
                        offset,
                        "annotation is not strict JSON (trailing comma?); read as JSON5",
                    );
                    Annotation::from_value(&value)
                }
                Err(error) => {
                    self.report(
                        Code::AnnotationInvalid,
                        offset,
                        format!("annotation could not be read: {error}"),
                    );
                    return;
                }
            },
        };
        if value.get("type").and_then(AnnotationValue::as_str) == Some("#page.annotation") {
            return;
        }
        if annotation_str(&value, "blockType") == Some("resource")
            && self.resource_annotation.is_none()
        {
            self.resource_annotation = Some(value.clone());
        }
        self.annotation = Some(value);
    }

    fn code(&mut self, info: &str, text: &str, offset: usize, closed: bool) {
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
        match self.section {
            Section::HttpRequest if http => {
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
                Some(parsed) => {
                    for problem in &parsed.problems {
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
        if body.is_empty() || !(body.starts_with('{') || body.starts_with('[')) {
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

    fn flush_example(&mut self) {
        let mut example = std::mem::take(&mut self.current_example);
        if example.request.is_some() || example.response.is_some() {
            example.title = self.example_title.as_deref().map(str::to_string);
            self.method.examples.push(example);
        }
    }

    fn table(
        &mut self,
        header: &[Inline],
        mut cells: Vec<Inline<'a>>,
        rows: Vec<TableRow>,
        continued: &[(&'a str, usize)],
        offset: usize,
    ) {
        self.page.stats.tables += 1;
        let header_names: Vec<String> = header.iter().map(header_text).collect();
        let kind = classify_table(self.section, &header_names);
        // Rebuild every row as its author meant it, then read it by table kind.
        // Each row: its cells, its offset, and whether it had more cells than the header.
        let mut logical: Vec<(RowCells, usize, bool)> = Vec::with_capacity(rows.len());
        for row in rows {
            let raw_line = first_line(&self.source[row.offset..row.end]);
            let has_pipe = memchr::memchr(b'|', raw_line.as_bytes()).is_some();
            if !has_pipe && !logical.is_empty() {
                // A wrapped line of the previous row's last cell.
                self.page.stats.rows_total += 1;
                self.page.stats.rows_diagnosed += 1;
                self.report(
                    Code::RowContinuation,
                    row.offset,
                    "line has no pipes; joined to the previous row's last cell",
                );
                let last = match logical.last_mut() {
                    Some((RowCells::Table(range), _, _)) => cells[range.clone()].last_mut(),
                    Some((RowCells::Read(read), _, _)) => read.last_mut(),
                    None => None,
                };
                if let Some(last) = last {
                    let text = last.text.to_mut();
                    text.push(' ');
                    text.push_str(raw_line.trim());
                }
                continue;
            }
            // GFM splits inside code spans and drops cells beyond the header's count, so
            // its cells are only kept when they are the ones the author meant.
            let (raw_count, plain_count) = markdown::count_cells_authored_and_plain(raw_line);
            let gfm_agrees = raw_count == row.cells.len()
                && raw_count <= header.len()
                && plain_count == raw_count;
            if gfm_agrees {
                logical.push((RowCells::Table(row.cells), row.offset, false));
            } else {
                let (read, extra) =
                    source_cells(raw_line, markdown::split_row(raw_line), header.len());
                logical.push((RowCells::Read(read), row.offset, extra));
            }
        }
        for &(text, row_offset) in continued {
            let (read, extra) = source_cells(text, markdown::split_row(text), header.len());
            logical.push((RowCells::Read(read), row_offset, extra));
        }
        let mut properties = Vec::new();
        let mut members = Vec::new();
        let had_rows = !logical.is_empty();
        for (row_cells, row_offset, extra) in logical {
            self.page.stats.rows_total += 1;
            let mut diagnosed = false;
            let padded: Vec<Inline>;
            let mut cells: &[Inline] = match &row_cells {
                RowCells::Table(range) => &cells[range.clone()],
                RowCells::Read(read) => read,
            };
            if (extra || cells.len() != header.len()) && !header.is_empty() {
                if extra {
                    // Unescaped pipes in the text: the extra cells were kept in the last column.
                    self.report(
                        Code::RowCellCount,
                        row_offset,
                        format!(
                            "row has more cells than the header's {}; the extra text was kept in the last column",
                            header.len()
                        ),
                    );
                } else {
                    self.report(
                        Code::RowCellCount,
                        row_offset,
                        format!(
                            "row has {} cells, the header {}; missing cells read as empty",
                            cells.len(),
                            header.len()
                        ),
                    );
                    let mut missing = cells.to_vec();
                    missing.resize(header.len(), Inline::default());
                    padded = missing;
                    cells = &padded;
                }
                diagnosed = true;
            }
            let outcome = match kind {
                TableKind::Properties {
                    type_column,
                    description,
                } => match self.property_row(cells, type_column, description, row_offset) {
                    Some(property) => {
                        properties.push(property);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Members {
                    value_column,
                    description,
                } => match self.member_row(cells, value_column, description, row_offset) {
                    Some(member) => {
                        members.push(member);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Permissions => self.permission_row(&header_names, cells, row_offset),
                TableKind::Headers => self.header_row(cells, row_offset),
                TableKind::Ignored | TableKind::Unknown => RowOutcome::Parsed,
            };
            if matches!(outcome, RowOutcome::Diagnosed) {
                diagnosed = true;
            }
            if diagnosed {
                self.page.stats.rows_diagnosed += 1;
            } else {
                self.page.stats.rows_parsed += 1;
            }
        }
        if kind == TableKind::Unknown
            && !matches!(
                self.section,
                Section::Other | Section::Examples | Section::Intro
            )
        {
            self.report(
                Code::RowUnknownTable,
                offset,
                format!(
                    "table with header `{}` is not read",
                    header_names.join(" | ")
                ),
            );
        }
        let line = self.line(offset);
        match kind {
            TableKind::Properties { .. } => self.place_properties(properties, line, had_rows),
            TableKind::Members { .. } => self.place_members(members, line),
            _ => {}
        }
    }

    fn place_properties(&mut self, properties: Vec<Property>, line: usize, had_rows: bool) {
        match self.section {
            // A table before the first section is the Properties table of pages without one.
            Section::Properties | Section::Intro => {
                self.property_table_seen = true;
                if had_rows {
                    self.page.stats.property_tables += 1;
                    if !properties.is_empty() {
                        self.page.stats.property_tables_with_properties += 1;
                    }
                } else {
                    // An empty table: the page's way of saying the type adds no properties.
                    self.resource.declares_no_properties = true;
                }
                self.resource.properties.extend(properties);
            }
            Section::Relationships => self.resource.relationships.extend(properties),
            Section::RequestBody => {
                let intro = self.body_intro.clone();
                let body = self.method.request_body.get_or_insert(RequestBody {
                    intro,
                    properties: Vec::new(),
                    line,
                });
                body.properties.extend(properties);
            }
            Section::PathParameters => self.method.path_parameters.extend(properties),
            Section::QueryParameters => self.method.query_parameters.extend(properties),
            _ => {}
        }
    }

    fn place_members(&mut self, members: Vec<EnumMember>, line: usize) {
        self.page.stats.member_tables += 1;
        if members.is_empty() {
            return;
        }
        self.page.stats.member_tables_with_members += 1;
        let name = self
            .h3
            .as_deref()
            .and_then(|heading| {
                let heading = heading.trim();
                let lower = heading.to_ascii_lowercase();
                lower
                    .strip_suffix(" values")
                    .or_else(|| lower.strip_suffix(" enum"))
                    .map(|_| heading.split_whitespace().next().unwrap_or(heading))
                    .map(str::to_string)
            })
            .or_else(|| self.page.title.as_deref().map(title_type_name))
            .unwrap_or_default();
        let name = name.trim_matches('`').to_string();
        if let Some(existing) = self.page.enums.iter_mut().find(|def| def.name == name) {
            existing.members.extend(members);
        } else {
            self.page.enums.push(EnumDef {
                name,
                members,
                line,
            });
        }
    }

    fn property_row(
        &mut self,
        cells: &[Inline],
        type_column: usize,
        description: Option<usize>,
        offset: usize,
    ) -> Option<Property> {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "row has no property name; skipped",
            );
            return None;
        }
        let type_cell = &cells[type_column.min(cells.len() - 1)];
        let parsed = types::parse_type_cell(type_cell);
        match (&parsed.type_ref, &parsed.remark) {
            (TypeRef::Unknown { text }, _) => self.report(
                Code::TypeCell,
                offset,
                format!(
                    "type `{}` of `{name}` is not a known type form; typed as JSON",
                    shorten(text)
                ),
            ),
            (_, Some(remark)) => self.report(
                Code::TypeCellRemark,
                offset,
                format!(
                    "type cell `{}` of `{name}` carries a remark",
                    shorten(remark)
                ),
            ),
            _ => {}
        }
        let description = description
            .and_then(|column| cells.get(column))
            .or_else(|| cells.last().filter(|_| cells.len() > type_column + 1))
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        Some(Property {
            facts: facts::read_facts(&description),
            name,
            type_ref: parsed.type_ref,
            description,
            line: self.line(offset),
        })
    }

    fn member_row(
        &mut self,
        cells: &[Inline],
        value_column: Option<usize>,
        description: Option<usize>,
        offset: usize,
    ) -> Option<EnumMember> {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "row has no member name; skipped",
            );
            return None;
        }
        let value = value_column
            .and_then(|column| cells.get(column))
            .and_then(|cell| cell.text.trim().trim_matches('`').parse::<i64>().ok());
        let description = description
            .and_then(|column| cells.get(column))
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        Some(EnumMember {
            name,
            value,
            description,
        })
    }

    fn permission_row(&mut self, header: &[String], cells: &[Inline], offset: usize) -> RowOutcome {
        let first = clean_name(&cells[0].text);
        if first.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "permission row has no permission type; skipped",
            );
            return RowOutcome::Diagnosed;
        }
        if header
            .first()
            .is_some_and(|cell| cell == "supported resource")
        {
            // One row per resource, one column per permission type.
            for (column, heading) in header.iter().enumerate().skip(1) {
                if let Some(cell) = cells.get(column) {
                    self.method.permissions.push(Permission {
                        permission_type: permission_type(heading),
                        resource: Some(first.clone()),
                        scopes: scopes(&cell.text, false),
                    });
                }
            }
            return RowOutcome::Parsed;
        }
        let most_to_least = header
            .get(1)
            .is_some_and(|cell| cell.contains("most to least"));
        let scopes = scopes(
            cells.get(1).map(|cell| cell.text.as_ref()).unwrap_or(""),
            most_to_least,
        );
        self.method.permissions.push(Permission {
            permission_type: permission_type(&first),
            resource: None,
            scopes,
        });
        RowOutcome::Parsed
    }

    fn header_row(&mut self, cells: &[Inline], offset: usize) -> RowOutcome {
        let name = clean_name(&cells[0].text);
        if name.is_empty() {
            self.report(
                Code::RowEmptyName,
                offset,
                "header row has no name; skipped",
            );
            return RowOutcome::Diagnosed;
        }
        let value = cells
            .get(1)
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default();
        self.method.request_headers.push(Header { name, value });
        RowOutcome::Parsed
    }

    fn finish(mut self) -> (ParsedPage, Vec<Diagnostic>) {
        self.flush_example();
        let declared = declared_kind(self.page.front_matter.doc_type.as_deref());
        let has_requests = !self.method.requests.is_empty();
        let has_type = !self.resource.properties.is_empty()
            || !self.resource.relationships.is_empty()
            || self.resource_annotation.is_some()
            || self.resource.declares_no_properties
            || self.properties_section_seen
            || self.resource.json_representation.is_some();
        let from_content = if has_requests || self.has_request_section {
            Some(PageKind::Method)
        } else if !self.page.enums.is_empty() && !has_type {
            Some(PageKind::Enum)
        } else if has_type {
            Some(PageKind::Resource)
        } else {
            None
        };
        let kind = match (declared, from_content) {
            (Some(declared), Some(content))
                if declared != content && declared != PageKind::Conceptual =>
            {
                // Enum pages may also carry a resource-like table; method pages may show a
                // JSON representation. Only a page whose content plainly contradicts its
                // doc_type is reclassified.
                let contradiction = matches!(
                    (declared, content),
                    (PageKind::Resource, PageKind::Method)
                        | (PageKind::Resource, PageKind::Enum)
                        | (PageKind::Method, PageKind::Resource)
                        | (PageKind::Method, PageKind::Enum)
                );
                if contradiction {
                    self.report(
                        Code::PageKind,
                        0,
                        format!(
                            "doc_type says {} but the page reads as a {} page",
                            declared.as_str(),
                            content.as_str()
                        ),
                    );
                    content
                } else {
                    declared
                }
            }
            (Some(PageKind::Resource), None) => {
                // An overview page filed as a resource: nothing in it describes a type.
                self.report(
                    Code::PageKind,
                    0,
                    "doc_type says resource but the page describes no type; read as conceptual",
                );
                PageKind::Conceptual
            }
            (Some(declared), _) => declared,
            (None, Some(content)) => content,
            (None, None) => PageKind::Conceptual,
        };
        self.page.kind = kind;
        match kind {
            PageKind::Method => {
                if self.method.requests.is_empty() {
                    self.report(Code::NoOperation, 0, "method page has no HTTP request line");
                }
                if let Some(body) = &mut self.method.request_body
                    && body.intro.is_empty()
                {
                    body.intro = self.body_intro.clone();
                }
                self.page.method = Some(self.method);
            }
            PageKind::Resource => {
                let mut resource = self.resource;
                if let Some(annotation) = &self.resource_annotation {
                    resource.odata_type =
                        annotation_str(annotation, "@odata.type").map(str::to_string);
                    resource.key_property =
                        annotation_str(annotation, "keyProperty").map(str::to_string);
                    resource.open_type = annotation_bool(annotation, "openType");
                    resource.is_abstract = annotation_bool(annotation, "abstract")
                        || annotation_bool(annotation, "isAbstract");
                    if let Some(base) = annotation_str(annotation, "baseType") {
                        // The annotation is the machine-readable source; it wins over prose.
                        resource.base_type = Some(TypeRef::Named {
                            name: base.to_string(),
                            target: None,
                        });
                    }
                }
                resource.name = resource
                    .odata_type
                    .as_deref()
                    .map(|odata| {
                        odata
                            .trim_start_matches('#')
                            .rsplit('.')
                            .next()
                            .unwrap_or(odata)
                            .to_string()
                    })
                    .or_else(|| self.page.title.as_deref().map(title_type_name));
                if self.properties_section_seen && !self.property_table_seen {
                    // A Properties section of prose only: an open type, or one whose page
                    // says in words that it adds nothing.
                    resource.declares_no_properties = true;
                }
                if resource.properties.is_empty()
                    && resource.relationships.is_empty()
                    && !resource.declares_no_properties
                    && let Some(json) = &resource.json_representation
                {
                    resource.properties = properties_from_json(json);
                    if resource.properties.is_empty() && json_is_empty_object(json) {
                        // `{}`: the page's way of saying an abstract or marker type adds nothing.
                        resource.declares_no_properties = true;
                    } else if !resource.properties.is_empty() {
                        self.diagnostics.push(Diagnostic::new(
                            Code::PropertiesFromJson,
                            Location {
                                file: self.file.to_string(),
                                line: 1,
                                column: 1,
                            },
                            "no properties table; properties read from the JSON representation",
                        ));
                    }
                }
                if resource.properties.is_empty()
                    && resource.relationships.is_empty()
                    && !resource.declares_no_properties
                {
                    self.diagnostics.push(Diagnostic::new(
                        Code::NoType,
                        Location {
                            file: self.file.to_string(),
                            line: 1,
                            column: 1,
                        },
                        "resource page has no properties table and does not say it has none",
                    ));
                }
                self.page.resource = Some(resource);
            }
            PageKind::Enum | PageKind::Conceptual => {}
        }
        (self.page, self.diagnostics)
    }
}

/// Properties named in a JSON representation block, typed by the placeholder values the docs
/// write there (`"String"`, `"Int32"`, `{"@odata.type": "microsoft.graph.x"}`, `["String"]`).
fn properties_from_json(json: &str) -> Vec<Property> {
    let value = serde_json::from_str::<Value>(json)
        .ok()
        .or_else(|| json5::from_str::<Value>(json).ok());
    let Some(Value::Object(object)) = value else {
        return Vec::new();
    };
    fn type_of(value: &Value) -> TypeRef {
        match value {
            Value::String(text) => types::parse_type_text(text).type_ref,
            Value::Bool(_) => TypeRef::Primitive {
                primitive: Primitive::Boolean,
            },
            Value::Number(number) if number.is_f64() => TypeRef::Primitive {
                primitive: Primitive::Double,
            },
            Value::Number(_) => TypeRef::Primitive {
                primitive: Primitive::Int64,
            },
            Value::Array(items) => TypeRef::Collection {
                item: Box::new(items.first().map_or(
                    TypeRef::Primitive {
                        primitive: Primitive::Json,
                    },
                    type_of,
                )),
            },
            Value::Object(object) => match object.get("@odata.type").and_then(Value::as_str) {
                Some(odata) => TypeRef::Named {
                    name: odata
                        .trim_start_matches('#')
                        .rsplit('.')
                        .next()
                        .unwrap_or(odata)
                        .to_string(),
                    target: None,
                },
                None => TypeRef::Primitive {
                    primitive: Primitive::Json,
                },
            },
            Value::Null => TypeRef::Primitive {
                primitive: Primitive::Json,
            },
        }
    }
    object
        .iter()
        .filter(|(name, _)| !name.starts_with('@'))
        .map(|(name, value)| Property {
            name: name.clone(),
            type_ref: type_of(value),
            description: String::new(),
            facts: Facts::default(),
            line: 0,
        })
        .collect()
}

/// `{}` or `{"@odata.type": "..."}`: no properties of its own.
fn json_is_empty_object(json: &str) -> bool {
    serde_json::from_str::<Value>(json)
        .ok()
        .is_some_and(|value| {
            value
                .as_object()
                .is_some_and(|object| object.keys().all(|key| key.starts_with('@')))
        })
}

/// The front matter keys the page keeps, borrowed from flat front matter.
#[derive(Default)]
struct FlatFrontMatter<'t> {
    title: Option<&'t str>,
    description: Option<&'t str>,
    doc_type: Option<&'t str>,
    ms_prod: Option<&'t str>,
}

/// Reads front matter made only of `key: value` lines with plain or simply quoted values.
/// Returns `None` for anything YAML could read differently (lists, block scalars, escapes,
/// `: ` inside a plain value...), which then goes to the YAML parser. A key written twice
/// keeps its last value.
fn flat_front_matter(text: &str) -> Option<FlatFrontMatter<'_>> {
    let mut values = FlatFrontMatter::default();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            return None;
        }
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        if key.is_empty()
            || key
                .bytes()
                .any(|byte| matches!(byte, b' ' | b'"' | b'\'' | b'#'))
        {
            return None;
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_some() {
                return None;
            }
            inner
        } else if let Some(inner) = value.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'')?;
            if memchr::memchr(b'\'', inner.as_bytes()).is_some() {
                return None;
            }
            inner
        } else {
            if value.starts_with(['[', '{', '|', '>', '&', '*', '!', '%', '@', '`'])
                || memchr::memchr_iter(b':', value.as_bytes())
                    .any(|colon| value.as_bytes().get(colon + 1) == Some(&b' '))
                || memchr::memchr_iter(b'#', value.as_bytes())
                    .any(|hash| hash > 0 && value.as_bytes()[hash - 1] == b' ')
            {
                return None;
            }
            value
        };
        match key {
            "title" => values.title = Some(value),
            "description" => values.description = Some(value),
            "doc_type" => values.doc_type = Some(value),
            "ms.prod" => values.ms_prod = Some(value),
            _ => {}
        }
    }
    Some(values)
}

/// Sections that pages also write as H3. The method sections count only until the page's
/// own HTTP request section: after it, `### HTTP request` headings belong to examples.
fn is_h3_section(section: Section, after_request_section: bool) -> bool {
    match section {
        Section::Properties
        | Section::Relationships
        | Section::JsonRepresentation
        | Section::Members => true,
        Section::Permissions
        | Section::HttpRequest
        | Section::RequestHeaders
        | Section::RequestBody => !after_request_section,
        _ => false,
    }
}

fn declared_kind(doc_type: Option<&str>) -> Option<PageKind> {
    let normalized: String = doc_type?
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match normalized.as_str() {
        value if value.starts_with("apipage") => PageKind::Method,
        value if value.starts_with("resourcepage") => PageKind::Resource,
        value if value.starts_with("enum") => PageKind::Enum,
        value if value.starts_with("conceptual") => PageKind::Conceptual,
        _ => return None,
    })
}

/// `cloudCertificationAuthorityLeafCertificateStatus enum type` → its first word.
fn title_type_name(title: &str) -> String {
    title
        .split_whitespace()
        .next()
        .unwrap_or(title)
        .trim_matches('`')
        .to_string()
}

/// The text without surrounding whitespace, still borrowed from the page when it was.
fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) if text.trim().len() == text.len() => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
    }
}

fn clean_name(text: &str) -> String {
    fn strip(text: &str) -> &str {
        text.trim()
            .trim_matches(|c| c == '*' || c == '`' || c == '_')
            .trim()
    }
    if text.contains('\\') {
        strip(&text.replace('\\', "")).to_string()
    } else {
        strip(text).to_string()
    }
}

fn permission_type(text: &str) -> PermissionType {
    if contains_ignore_case(text, "personal") {
        PermissionType::DelegatedPersonal
    } else if contains_ignore_case(text, "delegated") {
        PermissionType::DelegatedWorkOrSchool
    } else if contains_ignore_case(text, "application") {
        PermissionType::Application
    } else {
        PermissionType::Other(text.trim().to_string())
    }
}

/// `A, B, C` in least-to-most order; "Not supported." is none.
fn scopes(text: &str, most_to_least: bool) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || starts_with_ignore_case(trimmed, "not supported")
        || starts_with_ignore_case(trimmed, "not applicable")
        || trimmed.eq_ignore_ascii_case("none")
        || trimmed.eq_ignore_ascii_case("none.")
    {
        return Vec::new();
    }
    let mut scopes: Vec<String> = text
        .split([',', ' '])
        .map(|scope| scope.trim().trim_matches(['`', '*', '.']).trim())
        .filter(|scope| {
            !scope.is_empty() && scope.contains('.')
                || scope
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
                    && scope.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        })
        .filter(|scope| {
            !scope.is_empty() && !matches!(*scope, "and" | "or" | "Not" | "For" | "See")
        })
        .map(str::to_string)
        .collect();
    if most_to_least {
        scopes.reverse();
    }
    scopes
}

/// `text.lines().next().unwrap_or("")`.
fn first_line(text: &str) -> &str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(newline) => {
            let line = &text[..newline];
            line.strip_suffix('\r').unwrap_or(line)
        }
        None => text,
    }
}

/// `text.split_inclusive('\n')`.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |newline| newline + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// `text.to_ascii_lowercase().starts_with(prefix)` for a lowercase ASCII `prefix`.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `text.to_ascii_lowercase().contains(needle)` for a lowercase ASCII `needle`.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    let (bytes, wanted) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = wanted.first() else {
        return false;
    };
    // Only where the first letter is, in either case, can the needle start.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).any(|start| {
        bytes
            .get(start..start + wanted.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(wanted))
    })
}

/// `text.find("Inherits from").or_else(|| text.find("inherits from"))`, in one search.
fn find_inherits_from(text: &str) -> Option<usize> {
    static PHRASE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("nherits from"));
    let bytes = text.as_bytes();
    let mut lowercase = None;
    // The phrase cannot overlap itself, so every occurrence is seen.
    for found in PHRASE.find_iter(bytes) {
        match found.checked_sub(1).map(|before| bytes[before]) {
            Some(b'I') => return Some(found - 1),
            Some(b'i') if lowercase.is_none() => lowercase = Some(found - 1),
            _ => {}
        }
    }
    lowercase
}

fn first_status_code(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 3)
        .filter_map(|word| word.parse::<u16>().ok())
        .find(|code| (100..600).contains(code))
}

fn is_type_link(dest: &str) -> bool {
    let dest = dest.to_ascii_lowercase();
    dest.ends_with(".md") || dest.contains(".md#")
}

fn headers_and_body(text: &str, body_offset: usize) -> (Vec<Header>, &str, usize) {
    // Skip the request or status line, read `Name: value` headers up to the first blank line.
    let mut headers = Vec::new();
    let mut consumed = 0;
    let mut first = true;
    for line in split_lines(text) {
        consumed += line.len();
        let trimmed = line.trim();
        if first {
            if trimmed.is_empty() {
                continue;
            }
            first = false;
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

/// Pipe lines that GFM handed back as paragraphs because commented-out rows cut the table:
/// `|a|b|` / `<!--|c|d|-->` / `|e|f|` / `<!--|g|h|-->` / `|i|j|`. Returns each line with its
/// offset, and the indices (into `rest`) of the paragraphs they came from.
fn continuation_rows<'s>(source: &'s str, rest: &[Block]) -> (Vec<(&'s str, usize)>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut paragraphs = Vec::new();
    let mut at = 0;
    while let [
        Block::Html { text, .. },
        Block::Paragraph { offset, .. },
        ..,
    ] = &rest[at..]
        && text.trim_start().starts_with("<!--")
        && source[*offset..].starts_with('|')
    {
        let mut line_offset = *offset;
        for line in source[*offset..].split_inclusive('\n') {
            if !line.trim_start().starts_with('|') {
                break;
            }
            rows.push((line.trim_end(), line_offset));
            line_offset += line.len();
        }
        paragraphs.push(at + 1);
        at += 2;
    }
    (rows, paragraphs)
}

fn annotation_str<'v>(value: &'v Annotation, key: &str) -> Option<&'v str> {
    value.get(key).and_then(AnnotationValue::as_str)
}

fn annotation_str_opt<'v>(value: Option<&'v Annotation>, key: &str) -> Option<&'v str> {
    value.and_then(|value| annotation_str(value, key))
}

/// Booleans are sometimes written as strings (`"true"`).
fn annotation_bool(value: &Annotation, key: &str) -> bool {
    match value.get(key) {
        Some(AnnotationValue::Bool(flag)) => *flag,
        Some(AnnotationValue::Str(text)) => text.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}

/// A table row's cells: the ones markdown read, or the ones read again from the source line.
enum RowCells<'a> {
    Table(std::ops::Range<usize>),
    Read(Vec<Inline<'a>>),
}

/// A row's cells read from its source line, one `inline` each. With more cells than the
/// header (unescaped pipes in the text), the source from the last column on is kept as one
/// cell, pipes and spacing as written. The flag says whether that happened.
fn source_cells<'a>(line: &'a str, cells: Vec<&'a str>, columns: usize) -> (Vec<Inline<'a>>, bool) {
    if columns == 0 || cells.len() <= columns {
        return (cells.into_iter().map(markdown::inline).collect(), false);
    }
    // Every cell is a slice of `line`: the merged cell runs from the start of the first extra
    // cell to the end of the last.
    let base = line.as_ptr() as usize;
    let start = cells[columns - 1].as_ptr() as usize - base;
    let last = cells[cells.len() - 1];
    let end = last.as_ptr() as usize - base + last.len();
    let mut read: Vec<Inline> = cells[..columns - 1]
        .iter()
        .map(|cell| markdown::inline(cell))
        .collect();
    read.push(markdown::inline(&line[start..end]));
    (read, true)
}

enum RowOutcome {
    Parsed,
    Diagnosed,
}

/// The OData system query options a sentence names: `$select`, or a backticked `select`.
fn query_options_named(lower: &str) -> Vec<String> {
    // Each option as written with its `$` and backticked. Every spelling holds a `$` or a
    // backtick, so most sentences are ruled out by one scan.
    const OPTIONS: [(&str, &str); 9] = [
        ("$select", "`select`"),
        ("$filter", "`filter`"),
        ("$orderby", "`orderby`"),
        ("$expand", "`expand`"),
        ("$top", "`top`"),
        ("$skip", "`skip`"),
        ("$count", "`count`"),
        ("$search", "`search`"),
        ("$skiptoken", "`skiptoken`"),
    ];
    if memchr::memchr2(b'$', b'`', lower.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (option, backticked) in OPTIONS {
        let at = [option, backticked]
            .into_iter()
            .filter_map(|needle| {
                lower.match_indices(needle).find_map(|(index, _)| {
                    // `$top` must not match `$topx`; `$skip` must not match `$skiptoken`.
                    let end = index + needle.len();
                    let next = lower.as_bytes().get(end);
                    (!next.is_some_and(|byte| byte.is_ascii_alphanumeric())).then_some(index)
                })
            })
            .min();
        if let Some(at) = at {
            found.push((at, option));
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|(_, option)| option.to_string())
        .collect()
}
