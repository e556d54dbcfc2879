//! One type for every finding the generator makes, located and rendered like rustc's.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Errors mean a piece of the page was dropped; warnings mean the
/// generator guessed; notes record a recovery that lost nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// Stable diagnostic codes. The string form (`P0001`, ...) never changes meaning once
        /// released, so tooling and the corpus report can count by it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    InvalidUtf8 = "P0001", Warning, "file is not valid UTF-8; read lossily";
    FrontMatter = "P0002", Warning, "front matter could not be read as YAML";
    UnclosedFence = "P0003", Warning, "code fence is never closed";
    AnnotationJson = "P0004", Note, "annotation is not strict JSON; read leniently";
    AnnotationInvalid = "P0005", Warning, "annotation could not be read";
    RowCellCount = "P0010", Warning, "table row has a different number of cells than its header";
    RowContinuation = "P0011", Note, "line without pipes continues the previous table row";
    RowEmptyName = "P0012", Warning, "table row has no name";
    RowUnknownTable = "P0013", Note, "table is not one the generator reads";
    TableRecovered = "P0014", Warning, "malformed table read from its source lines";
    TypeCell = "P0020", Warning, "type cell is not a known type form";
    TypeCellRemark = "P0021", Note, "type cell carries free text besides the type";
    RequestLine = "P0030", Warning, "line in the HTTP request block is not a request line";
    RequestPath = "P0031", Warning, "request path has an unexpected form";
    NoOperation = "P0032", Warning, "method page has no HTTP request line";
    FunctionArguments = "P0033", Note, "a function's template omits the arguments its parameter table and examples give";
    ExampleJson = "P0040", Note, "example body is not valid JSON";
    ExampleStatus = "P0041", Warning, "response status line has no 3-digit code";
    PageKind = "P0050", Note, "page kind from front matter disagrees with its content";
    NoType = "P0051", Warning, "resource page declares no type";
    PropertiesFromJson = "P0052", Note, "properties read from the JSON representation";
    IncludeWithoutPermissions = "P0060", Warning, "permissions include file has no permissions table";
    Panic = "P0099", Error, "the parser panicked on this page";
    ReadOnlyInBody = "M0001", Warning, "request body lists read-only properties as settable";
    UnresolvedType = "M0002", Warning, "type reference does not resolve; using serde_json::Value";
    DuplicateName = "M0003", Warning, "two definitions produce the same Rust name";
    DuplicateOperation = "M0004", Warning, "the same operation is documented twice";
    EnumMismatch = "M0005", Warning, "a property's possible values disagree with its enum page";
    ExampleMismatch = "M0006", Warning, "an example response does not deserialise into its generated type";
    ExampleUnmatched = "M0007", Warning, "an example request matches none of the page's request paths";
    Suppression = "M0008", Warning, "a line of the examples' suppressions file cannot be used";
    SuppressedDocError = "M0009", Note, "a docs example check is suppressed as a known doc error";
    IncludeMissing = "M0010", Warning, "a page's permissions include file is not in the specs tree";
    BodyUntyped = "M0011", Note, "a request body section names no type; the call takes JSON";
    ResponseShape = "M0012", Note, "a Response section promises a collection where the path or every example answers one object";
    LintUnknownProperty = "L0001", Warning, "example property is not in the type";
    LintWrongType = "L0002", Warning, "example value has the wrong JSON type for its property";
    LintUnknownEnumValue = "L0003", Warning, "example value is not among the enum's members";
    LintBadFormat = "L0004", Warning, "example string is not in its type's format (timestamp, date, time, duration, base64)";
    LintPlaceholder = "L0005", Warning, "example value is placeholder text where a typed value belongs";
    LintInvalidJson = "L0006", Warning, "example body is not valid JSON";
    LintReadOnlyInBody = "L0007", Warning, "request body sets a property the docs mark read-only";
    LintRequiredOnUpdate = "L0008", Warning, "update page carries a \"required when you create\" table";
    LintRequestWithoutResponse = "L0009", Warning, "example request has no response";
    LintResponseWithoutRequest = "L0010", Warning, "example response has no request";
    LintBrokenLink = "L0011", Warning, "link to a page that does not exist";
    LintDuplicateOperation = "L0012", Warning, "two pages document the same method and path";
    LintUnmatchedRequest = "L0013", Warning, "example request line matches none of the page's path templates";
    LintParameterNotInTemplate = "L0014", Warning, "example request line names a path parameter the template does not have";
    LintUnknownODataType = "L0015", Note, "example `@odata.type` names no type derived from the expected one";
    LintCaseMismatch = "L0016", Warning, "example property or enum value differs from the docs only in case";
    LintStatusMismatch = "L0017", Warning, "example answers `204 No Content` where its endpoint's page documents a body";
    LintBodyOnBodilessMethod = "L0018", Warning, "example GET or DELETE request carries a body";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Path of the page, relative to the specs root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: at.file,
            line: at.line,
            column: at.column,
            message: message.into(),
        }
    }

    /// Renders the finding like rustc does, with the offending source line when `source`
    /// (the file's text) is given.
    pub fn render(&self, source: Option<&str>) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.as_str());
        let line_text = source.and_then(|text| text.lines().nth(self.line.saturating_sub(1)));
        let group = match line_text {
            Some(line_text) => {
                let start = line_text
                    .char_indices()
                    .nth(self.column.saturating_sub(1))
                    .map_or(line_text.len(), |(index, _)| index);
                let end = line_text.len().max(start);
                title.element(
                    Snippet::source(line_text)
                        .line_start(self.line)
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            None => title.element(
                annotate_snippets::Origin::path(self.file.as_str())
                    .line(self.line)
                    .char_column(self.column),
            ),
        };
        Renderer::plain().render(&[group]).to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {:?} [{}] {}",
            self.file, self.line, self.column, self.severity, self.code, self.message
        )
    }
}

/// A place in a file; built from byte offsets by [`LineIndex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one file to 1-based line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|index| index + 1));
        LineIndex { line_starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// 1-based line and column (in characters) of a byte offset into `text`.
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_starts[line - 1];
        let offset = offset.min(text.len());
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        (line, column)
    }
}
