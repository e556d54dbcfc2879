//! Stage 1: one page in, one [`ParsedPage`] out. No knowledge of other pages or of Rust.

pub mod facts;
pub mod http;
pub mod markdown;
pub mod model;
pub mod types;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};
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
    let name = heading
        .trim()
        .trim_end_matches([':', '.'])
        .to_ascii_lowercase();
    let name = name.as_str();
    match name {
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
        _ if name.starts_with("example") => Section::Examples,
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
    lines: LineIndex,
    page: ParsedPage,
    method: MethodPage,
    resource: ResourcePage,
    diagnostics: Vec<Diagnostic>,
    section: Section,
    h3: Option<String>,
    annotation: Option<Value>,
    resource_annotation: Option<Value>,
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
            lines: LineIndex::new(source),
            page: ParsedPage {
                file: file.to_string(),
                ..ParsedPage::default()
            },
            method: MethodPage::default(),
            resource: ResourcePage::default(),
            diagnostics: Vec::new(),
            section: Section::Intro,
            h3: None,
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
        let (line, column) = self.lines.line_column(self.source, offset);
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
        let mut consumed_paragraph = None;
        for index in 0..blocks.len() {
            if consumed_paragraph == Some(index) {
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
                } => self.heading(level, &inline, offset),
                Block::Paragraph {
                    inline,
                    quoted,
                    offset,
                    ..
                } => self.paragraph(&inline, quoted, offset),
                Block::Table {
                    header,
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
                    let continued = continuation_rows(self.source, &blocks[index + 1..]);
                    if !continued.is_empty() {
                        consumed_paragraph = Some(index + 2);
                    }
                    self.table(&header, rows, &continued, offset);
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
        let values = match flat_front_matter(text) {
            Some(values) => values,
            None => match serde_yaml_ng::from_str::<BTreeMap<String, serde_yaml_ng::Value>>(text) {
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
            },
        };
        self.page.front_matter = FrontMatter {
            title: values.get("title").cloned(),
            description: values.get("description").cloned(),
            doc_type: values.get("doc_type").cloned(),
            ms_prod: values.get("ms.prod").cloned(),
        };
    }

    fn heading(&mut self, level: u8, inline: &Inline, _offset: usize) {
        let text = inline.text.trim();
        // `# [HTTP](#tab/http)` snippet tabs are written as H1s.
        let is_tab = inline
            .links
            .iter()
            .any(|link| link.dest.starts_with("#tab/"));
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
                self.current_example.title = Some(text.to_string());
            }
            3 if self.section != Section::Examples
                && is_h3_section(classify_section(text), self.has_request_section) =>
            {
                // Some pages put their sections one level down (`### Properties`).
                self.section = classify_section(text);
                if self.section == Section::HttpRequest {
                    self.has_request_section = true;
                }
                self.h3 = Some(text.to_string());
            }
            3..=6 => {
                if self.section == Section::Examples && level == 3 {
                    let lower = text.to_ascii_lowercase();
                    if lower != "request" && lower != "response" {
                        self.flush_example();
                        self.current_example.title = Some(text.to_string());
                    }
                }
                self.h3 = Some(text.to_string());
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
            Section::Properties => {
                let lower = text.to_ascii_lowercase();
                if lower == "none" || lower == "none." || lower.contains("no properties") {
                    self.resource.declares_no_properties = true;
                }
            }
            _ => {}
        }
    }

    fn inherits_from(&mut self, inline: &Inline) {
        if self.resource.base_type.is_some() {
            return;
        }
        let Some(position) = inline
            .text
            .find("Inherits from")
            .or_else(|| inline.text.find("inherits from"))
        else {
            return;
        };
        let after = &inline.text[position + "Inherits from".len()..];
        // The first link whose text appears after the phrase.
        if let Some(link) = inline
            .links
            .iter()
            .find(|link| !link.text.trim().is_empty() && after.contains(link.text.as_str()))
        {
            self.resource.base_type = Some(TypeRef::Named {
                name: link.text.trim().trim_matches('`').to_string(),
                target: Some(link.dest.clone()),
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
            let name = link.text.trim().trim_matches('`').to_string();
            let named = TypeRef::Named {
                name,
                target: Some(link.dest.clone()),
            };
            let before = &inline.text[..inline.text.find(link.text.as_str()).unwrap_or(0)];
            let lower = before.to_ascii_lowercase();
            response.type_ref = Some(if lower.contains("collection") {
                TypeRef::Collection {
                    item: Box::new(named),
                }
            } else {
                named
            });
        }
    }

    fn html(&mut self, text: &str, offset: usize) {
        let trimmed = text.trim();
        let Some(inner) = trimmed
            .strip_prefix("<!--")
            .map(|rest| rest.trim_end().strip_suffix("-->").unwrap_or(rest))
        else {
            return;
        };
        let inner = inner.trim();
        if !inner.starts_with('{') {
            return;
        }
        let value = match serde_json::from_str::<Value>(inner) {
            Ok(value) => value,
            Err(_) => match json5::from_str::<Value>(inner) {
                Ok(value) => {
                    self.report(
                        Code::AnnotationJson,
                        offset,
                        "annotation is not strict JSON (trailing comma?); read as JSON5",
                    );
                    value
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
        if value.get("type").and_then(Value::as_str) == Some("#page.annotation") {
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
        let language = info
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let body_offset = self.source[offset..]
            .find('\n')
            .map_or(offset, |newline| offset + newline + 1);
        match self.section {
            Section::HttpRequest
                if matches!(language.as_str(), "http" | "" | "msgraph-interactive") =>
            {
                self.request_lines(text, body_offset);
            }
            Section::JsonRepresentation if self.resource.json_representation.is_none() => {
                self.resource.json_representation = Some(text.to_string());
            }
            Section::Examples | Section::Response | Section::RequestBody | Section::Other
                if matches!(
                    language.as_str(),
                    "http" | "" | "msgraph-interactive" | "json"
                ) =>
            {
                self.example_block(text, body_offset, annotation.as_ref());
            }
            _ => {}
        }
    }

    fn request_lines(&mut self, text: &str, body_offset: usize) {
        let mut line_offset = body_offset;
        for line in text.split_inclusive('\n') {
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

    fn example_block(&mut self, text: &str, body_offset: usize, annotation: Option<&Value>) {
        let first = text.trim_start();
        if first.starts_with("HTTP/") {
            self.example_response(text, body_offset, annotation);
        } else if let Some(request) = http::parse_request_line(first.lines().next().unwrap_or("")) {
            let (headers, body, body_line) = headers_and_body(text, body_offset, &self.lines);
            let body = self.example_json(body, body_line);
            let line = self.line(body_offset + (text.len() - first.len()));
            let url = first.lines().next().unwrap_or("").trim();
            let url = url[request.method.as_str().len().min(url.len())..]
                .trim()
                .to_string();
            if self.current_example.request.is_some() || self.current_example.response.is_some() {
                self.flush_example();
            }
            self.current_example.request = Some(ExampleRequest {
                method: request.method,
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

    fn example_response(&mut self, text: &str, body_offset: usize, annotation: Option<&Value>) {
        let first_line = text.trim_start().lines().next().unwrap_or("");
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
        let (headers, body, body_line) = headers_and_body(text, body_offset, &self.lines);
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

    fn example_json(&mut self, body: &str, body_offset: usize) -> Option<Value> {
        let body = body.trim();
        if body.is_empty() || !(body.starts_with('{') || body.starts_with('[')) {
            return None;
        }
        match serde_json::from_str::<Value>(body) {
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
        let title = self.current_example.title.clone();
        let example = std::mem::take(&mut self.current_example);
        if example.request.is_some() || example.response.is_some() {
            self.method.examples.push(example);
        }
        self.current_example.title = title;
    }

    fn table(
        &mut self,
        header: &[Inline],
        rows: Vec<TableRow>,
        continued: &[(&str, usize)],
        offset: usize,
    ) {
        self.page.stats.tables += 1;
        let header_names: Vec<String> = header.iter().map(header_text).collect();
        let kind = classify_table(self.section, &header_names);
        // Rebuild every row as its author meant it, then read it by table kind.
        let mut logical: Vec<(Vec<Inline>, usize)> = Vec::with_capacity(rows.len());
        for row in rows {
            let raw_line = self.source[row.offset..row.end]
                .lines()
                .next()
                .unwrap_or("");
            let raw_cells = markdown::split_row(raw_line);
            let has_pipe = raw_line.contains('|');
            if !has_pipe && !logical.is_empty() {
                // A wrapped line of the previous row's last cell.
                self.page.stats.rows_total += 1;
                self.page.stats.rows_diagnosed += 1;
                self.report(
                    Code::RowContinuation,
                    row.offset,
                    "line has no pipes; joined to the previous row's last cell",
                );
                if let Some((cells, _)) = logical.last_mut()
                    && let Some(last) = cells.last_mut()
                {
                    last.text.push(' ');
                    last.text.push_str(raw_line.trim());
                }
                continue;
            }
            let cells = if raw_cells.len() != row.cells.len() || raw_cells.len() > header.len() {
                // GFM split inside a code span, or dropped cells beyond the header: re-read
                // the source line.
                raw_cells
                    .iter()
                    .map(|cell| markdown::inline(cell))
                    .collect()
            } else {
                row.cells
            };
            logical.push((cells, row.offset));
        }
        for (text, row_offset) in continued {
            let cells = markdown::split_row(text)
                .iter()
                .map(|cell| markdown::inline(cell))
                .collect();
            logical.push((cells, *row_offset));
        }
        let mut properties = Vec::new();
        let mut members = Vec::new();
        let had_rows = !logical.is_empty();
        for (mut cells, row_offset) in logical {
            self.page.stats.rows_total += 1;
            let mut diagnosed = false;
            if cells.len() != header.len() && !header.is_empty() {
                if cells.len() > header.len() {
                    // Unescaped pipes in the text: the extra cells belong to the last column.
                    let extra: Vec<Inline> = cells.split_off(header.len() - 1);
                    let merged = Inline {
                        text: extra
                            .iter()
                            .map(|cell| cell.text.as_str())
                            .collect::<Vec<_>>()
                            .join("|"),
                        links: extra.into_iter().flat_map(|cell| cell.links).collect(),
                    };
                    cells.push(merged);
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
                    cells.resize(header.len(), Inline::default());
                }
                diagnosed = true;
            }
            let outcome = match kind {
                TableKind::Properties {
                    type_column,
                    description,
                } => match self.property_row(&cells, type_column, description, row_offset) {
                    Some(property) => {
                        properties.push(property);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Members {
                    value_column,
                    description,
                } => match self.member_row(&cells, value_column, description, row_offset) {
                    Some(member) => {
                        members.push(member);
                        RowOutcome::Parsed
                    }
                    None => RowOutcome::Diagnosed,
                },
                TableKind::Permissions => self.permission_row(&header_names, &cells, row_offset),
                TableKind::Headers => self.header_row(&cells, row_offset),
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
            cells.get(1).map(|cell| cell.text.as_str()).unwrap_or(""),
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

/// Reads front matter made only of `key: value` lines with plain or simply quoted values.
/// Returns `None` for anything YAML could read differently (lists, block scalars, escapes,
/// `: ` inside a plain value...), which then goes to the YAML parser.
fn flat_front_matter(text: &str) -> Option<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
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
        if key.is_empty() || key.contains([' ', '"', '\'', '#']) {
            return None;
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if inner.contains(['"', '\\']) {
                return None;
            }
            inner
        } else if let Some(inner) = value.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'')?;
            if inner.contains('\'') {
                return None;
            }
            inner
        } else {
            if value.starts_with(['[', '{', '|', '>', '&', '*', '!', '%', '@', '`'])
                || value.contains(": ")
                || value.contains(" #")
            {
                return None;
            }
            value
        };
        values.insert(key.to_string(), value.to_string());
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

fn clean_name(text: &str) -> String {
    text.replace('\\', "")
        .trim()
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim()
        .to_string()
}

fn permission_type(text: &str) -> PermissionType {
    let lower = text.to_ascii_lowercase();
    if lower.contains("personal") {
        PermissionType::DelegatedPersonal
    } else if lower.contains("delegated") {
        PermissionType::DelegatedWorkOrSchool
    } else if lower.contains("application") {
        PermissionType::Application
    } else {
        PermissionType::Other(text.trim().to_string())
    }
}

/// `A, B, C` in least-to-most order; "Not supported." is none.
fn scopes(text: &str, most_to_least: bool) -> Vec<String> {
    let lower = text.trim().to_ascii_lowercase();
    if lower.is_empty()
        || lower.starts_with("not supported")
        || lower.starts_with("not applicable")
        || lower == "none"
        || lower == "none."
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

fn headers_and_body<'t>(
    text: &'t str,
    body_offset: usize,
    _lines: &LineIndex,
) -> (Vec<Header>, &'t str, usize) {
    // Skip the request or status line, read `Name: value` headers up to the first blank line.
    let mut headers = Vec::new();
    let mut consumed = 0;
    let mut first = true;
    for line in text.split_inclusive('\n') {
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

/// Pipe lines that GFM handed back as a paragraph because a commented-out row cut the table:
/// `|a|b|` / `<!--|c|d|-->` / `|e|f|`. Returns each line with its offset.
fn continuation_rows<'s>(source: &'s str, rest: &[Block]) -> Vec<(&'s str, usize)> {
    let mut rows = Vec::new();
    if let [
        Block::Html { text, .. },
        Block::Paragraph { offset, .. },
        ..,
    ] = rest
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
    }
    rows
}

fn annotation_str<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn annotation_str_opt<'v>(value: Option<&'v Value>, key: &str) -> Option<&'v str> {
    value.and_then(|value| annotation_str(value, key))
}

/// Booleans are sometimes written as strings (`"true"`).
fn annotation_bool(value: &Value, key: &str) -> bool {
    match value.get(key) {
        Some(Value::Bool(flag)) => *flag,
        Some(Value::String(text)) => text.eq_ignore_ascii_case("true"),
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

enum RowOutcome {
    Parsed,
    Diagnosed,
}
