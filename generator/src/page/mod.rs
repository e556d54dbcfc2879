//! Stage 1: one page in, one [`ParsedPage`] out. No knowledge of other pages or of Rust.
//!
//! [`parse_page`] reads the page's blocks once, in order, in a `PageReader`. Headings, and the
//! sections they open, are read here; each other kind of block has its own module:
//! `front_matter`, `prose` (paragraphs), `comments` (HTML comments: annotations), `code_blocks`
//! (request lines and examples), `tables` (which table, and where its rows go) and `rows` (one
//! row per table kind). `finish` decides what kind of page it was and builds its method or
//! resource.

mod annotation;
mod code_blocks;
mod comments;
mod dictionary;
pub mod facts;
mod finish;
mod front_matter;
mod functions;
pub mod http;
pub mod include;
mod lines;
pub mod markdown;
pub mod model;
mod prose;
mod rows;
mod tables;
mod text;
pub mod types;

use std::borrow::Cow;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};
use annotation::Annotation;
pub use include::{Includes, PermissionsInclude};
use lines::Lines;
use markdown::{Block, Inline};
pub use model::*;
use tables::continuation_rows;
use text::trimmed;

/// Parses one page. `file` is the path used in diagnostics. Never panics on any input the
/// fuzzer has found; problems become diagnostics and the rest of the page is still read.
pub fn parse_page(file: &str, source: &str) -> (ParsedPage, Vec<Diagnostic>) {
    let mut reader = PageReader::new(file, source);
    reader.read();
    reader.finish()
}

/// Parses raw bytes: invalid UTF-8 is replaced (with a diagnostic) rather than rejected.
pub fn parse_page_bytes(file: &str, bytes: &[u8]) -> (ParsedPage, Vec<Diagnostic>) {
    parse_bytes_lossily(file, bytes, parse_page)
}

/// Runs `parse` over `bytes` as text, replacing invalid UTF-8 and saying where it started.
fn parse_bytes_lossily<T>(
    file: &str,
    bytes: &[u8],
    parse: impl Fn(&str, &str) -> (T, Vec<Diagnostic>),
) -> (T, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(file, text),
        Err(error) => {
            let text = String::from_utf8_lossy(bytes);
            let index = LineIndex::new(&text);
            let (line, column) = index.line_column(&text, error.valid_up_to());
            let (page, mut diagnostics) = parse(file, &text);
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
    // `HTTP request (to upload a new file)`: one of several request sections.
    if name
        .as_bytes()
        .get(..14)
        .is_some_and(|start| start.eq_ignore_ascii_case(b"http request ("))
    {
        return Section::HttpRequest;
    }
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

/// Sections that pages also write as H3. The method sections count only until the page's
/// own HTTP request section: after it, `### HTTP request` headings belong to examples.
fn is_h3_section(section: Section, after_request_section: bool) -> bool {
    match section {
        Section::Properties
        | Section::Relationships
        | Section::JsonRepresentation
        | Section::Members => true,
        // Pages documenting several forms of a call (`drive-get.md`: the signed-in user's
        // drive, a user's, a group's, a site's) give each form its own `### HTTP request`.
        Section::HttpRequest => true,
        Section::Permissions | Section::RequestHeaders | Section::RequestBody => {
            !after_request_section
        }
        _ => false,
    }
}

/// The sections that describe the request itself: a `### Request body` under one of them is
/// the page's (OneDrive pages nest it under `## HTTP request`), not an example's.
fn describes_the_request(section: Section) -> bool {
    matches!(
        section,
        Section::HttpRequest
            | Section::PathParameters
            | Section::QueryParameters
            | Section::RequestHeaders
            | Section::RequestBody
    )
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
    /// The first resource the request body's prose links to.
    body_type: Option<TypeRef>,
    /// The line of the request body's heading.
    body_heading_line: usize,
    has_request_section: bool,
    /// The HTTP request section's template is a `blockType: request` block, as on pages that
    /// write one template per heading ("List a site's drives"): such blocks are templates too.
    request_blocks_are_templates: bool,
    current_example: Example,
    properties_section_seen: bool,
    property_table_seen: bool,
    dictionary: dictionary::DictionaryProse,
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
            body_type: None,
            body_heading_line: 0,
            has_request_section: false,
            request_blocks_are_templates: false,
            current_example: Example::default(),
            properties_section_seen: false,
            property_table_seen: false,
            dictionary: dictionary::DictionaryProse::default(),
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

    fn heading(&mut self, level: u8, inline: Inline<'a>, offset: usize) {
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
                if self.section == Section::RequestBody {
                    self.body_heading_line = self.line(offset);
                }
                if self.section == Section::Properties {
                    self.properties_section_seen = true;
                }
                if self.section == Section::HttpRequest {
                    self.has_request_section = true;
                }
                self.example_title = Some(heading.clone());
            }
            3 if self.section != Section::Examples
                && (is_h3_section(
                    classify_section(text),
                    self.has_request_section && !describes_the_request(self.section),
                )
                    // `group-delta.md` writes `### Response` right under `## Request body`.
                    || (describes_the_request(self.section)
                        && classify_section(text) == Section::Response)) =>
            {
                // Some pages put their sections one level down (`### Properties`).
                self.section = classify_section(text);
                if self.section == Section::HttpRequest {
                    self.has_request_section = true;
                }
                if self.section == Section::RequestBody {
                    self.body_heading_line = self.line(offset);
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
}
