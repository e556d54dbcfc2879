//! The plain-data result of reading one page. Knows markdown's vocabulary (sections, tables,
//! examples) but nothing of Rust.

use serde::Serialize;

/// What a page documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// An API call: HTTP request lines, permissions, body, response, examples.
    Method,
    /// An entity or complex type: properties, relationships, JSON representation.
    Resource,
    /// One or more enumerations.
    Enum,
    /// Prose with nothing to generate.
    #[default]
    Conceptual,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Method => "method",
            PageKind::Resource => "resource",
            PageKind::Enum => "enum",
            PageKind::Conceptual => "conceptual",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    /// `ms.prod`: the product area, used to group output by API area.
    pub ms_prod: Option<String>,
    /// `ms.subservice`: today's pages name their workload here (`entra-users`, `onedrive`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ms_subservice: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ParsedPage {
    /// Path relative to the specs root, `/`-separated, e.g. `beta/api/user-get.md`.
    pub file: String,
    pub kind: PageKind,
    pub front_matter: FrontMatter,
    /// The first H1 that is not a snippet tab line.
    pub title: Option<String>,
    /// From the `Namespace: microsoft.graph` line.
    pub namespace: Option<String>,
    /// First paragraph of prose after the title.
    pub summary: Option<String>,
    pub method: Option<MethodPage>,
    pub resource: Option<ResourcePage>,
    pub enums: Vec<EnumDef>,
    pub stats: PageStats,
}

/// Counts the corpus report adds up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PageStats {
    pub tables: usize,
    pub property_tables: usize,
    pub property_tables_with_properties: usize,
    pub member_tables: usize,
    pub member_tables_with_members: usize,
    pub rows_total: usize,
    pub rows_parsed: usize,
    pub rows_diagnosed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MethodPage {
    pub requests: Vec<RequestLine>,
    pub permissions: Vec<Permission>,
    /// The permission include files the page points to instead of (or besides) a table:
    /// `[!INCLUDE [permissions-table](../includes/permissions/x-permissions.md)]`. The
    /// tree reader loads them; resolution reads their permissions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permission_includes: Vec<IncludeRef>,
    pub path_parameters: Vec<Property>,
    pub query_parameters: Vec<Property>,
    /// What the "Optional query parameters" prose says of OData query options.
    #[serde(skip_serializing_if = "QuerySupport::is_unstated")]
    pub query_support: QuerySupport,
    pub request_headers: Vec<Header>,
    /// Query options the page says a call must send (`$filter`, lowercase with `$`): "the
    /// `$filter` query parameter is required", or a parameters row marked "Required".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_query_options: Vec<String>,
    pub request_body: Option<RequestBody>,
    pub response: Option<ResponseSpec>,
    pub examples: Vec<Example>,
}

/// The OData query options (`$select`, `$filter`, ...) a method page says it supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "options", rename_all = "snake_case")]
pub enum QuerySupport {
    /// The page has no "Optional query parameters" prose.
    #[default]
    Unstated,
    /// "This method does not support OData query parameters."
    None,
    /// "This method supports the OData query parameters", naming none of them.
    Generic,
    /// The options the prose names, lowercase with their `$`, in order of first mention.
    Named(Vec<String>),
}

impl QuerySupport {
    pub fn is_unstated(&self) -> bool {
        matches!(self, QuerySupport::Unstated)
    }
}

/// A `[!INCLUDE [label](target)]` line: another file whose content belongs here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncludeRef {
    /// The link target as written, relative to the page (`../includes/permissions/x.md`).
    pub target: String,
    pub line: usize,
    pub column: usize,
}

impl IncludeRef {
    /// The included file's path relative to the specs root, given the including page's
    /// (`v1.0/api/x.md` + `../includes/a.md` → `v1.0/includes/a.md`). `None` when the target
    /// leaves the specs root or is a URL.
    pub fn resolve_from(&self, page_file: &str) -> Option<String> {
        let target = self.target.split(['#', '?']).next().unwrap_or("").trim();
        if target.is_empty() || target.contains("://") {
            return None;
        }
        let mut parts: Vec<&str> = page_file.split('/').collect();
        parts.pop();
        if target.starts_with('/') {
            parts.clear();
        }
        for part in target.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                part => parts.push(part),
            }
        }
        Some(parts.join("/"))
    }
}

/// One permission type (row) of the permissions table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// The kind of caller, as the page names it.
    pub permission_type: PermissionType,
    /// Set for tables that list permissions per supported resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Least to most privileged. Empty when the page says "Not supported.".
    pub scopes: Vec<String>,
    /// How many of `scopes`, from the first, the table marks least privileged: tables with a
    /// "Least privileged permissions" column can name several. `None` for tables that only
    /// order the scopes (the first is the least privileged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub least_privileged: Option<usize>,
}

impl Permission {
    /// The least privileged scopes: those the table marks so, else the first.
    pub fn least(&self) -> &[String] {
        let count = self.least_privileged.unwrap_or(1).min(self.scopes.len());
        &self.scopes[..count]
    }

    /// The more privileged scopes that also allow the call.
    pub fn higher(&self) -> &[String] {
        &self.scopes[self.least().len()..]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PermissionType {
    DelegatedWorkOrSchool,
    DelegatedPersonal,
    Application,
    Other(String),
}

/// One request line of the HTTP request block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestLine {
    pub method: HttpMethod,
    pub path: PathTemplate,
    /// The query string as written, without the `?`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn parse(word: &str) -> Option<HttpMethod> {
        [
            HttpMethod::Get,
            HttpMethod::Post,
            HttpMethod::Patch,
            HttpMethod::Put,
            HttpMethod::Delete,
        ]
        .into_iter()
        .find(|method| word.eq_ignore_ascii_case(method.as_str()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A request path split into segments, with its named parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathTemplate {
    /// The path as written (absolute URLs reduced to the path under the version).
    pub raw: String,
    pub segments: Vec<Segment>,
}

impl PathTemplate {
    /// Names of the parameters, in path order.
    pub fn parameters(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for segment in &self.segments {
            match segment {
                Segment::Parameter(parameter) => names.push(parameter.name.as_str()),
                Segment::Function { arguments, .. } => names.extend(
                    arguments
                        .iter()
                        .filter_map(|argument| argument.parameter.as_ref())
                        .map(|parameter| parameter.name.as_str()),
                ),
                Segment::ItemPath { parameter } => names.push(parameter.name.as_str()),
                Segment::Static { .. } => {}
            }
        }
        names
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    /// A navigation property, entity set, `$ref`, `$value`, `delta` or type cast.
    Static { name: String },
    /// `{id}`, or `{id | userPrincipalName}` with alternatives.
    Parameter(Parameter),
    /// A function call or key segment: `name(param='{value}')`, `range(<address>)`, `name()`.
    Function {
        name: String,
        arguments: Vec<FunctionArgument>,
    },
    /// OneDrive addressing by path: `root:/{item-path}:`.
    ItemPath { parameter: Parameter },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// The first alternative, as written between the braces.
    pub name: String,
    /// Other names the same slot accepts (`userPrincipalName` in `{id | userPrincipalName}`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionArgument {
    /// `None` for positional keys such as `range(<address>)`.
    pub name: Option<String>,
    /// The placeholder, when the value is one.
    pub parameter: Option<Parameter>,
    /// The value as written.
    pub value: String,
    /// Whether the value is written inside single quotes (an OData string literal).
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// The section's prose (above and below its table, if it has one).
    pub intro: String,
    /// The table's rows; empty when the section describes the body in words only.
    pub properties: Vec<Property>,
    /// The first resource the prose links to ("supply a JSON representation of the
    /// [widget](../resources/widget.md) object").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<TypeRef>,
    /// The table's header row, or the section's heading when it has no table.
    pub line: usize,
}

/// A row of a properties, relationships, request-body or parameters table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    pub name: String,
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    pub description: String,
    pub facts: Facts,
    pub line: usize,
}

/// What the description cell says about a property.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub read_only: bool,
    /// `Some(true)` for "Nullable.", `Some(false)` for "Not nullable.".
    pub nullable: Option<bool>,
    /// `Some(true)` for "Required.", `Some(false)` for "Optional.".
    pub required: Option<bool>,
    /// Query options the description says the property supports, e.g. `$select`.
    pub supports: Vec<String>,
    /// The `$filter` operators the description lists ("Supports `$filter` (`eq`, `ne`,
    /// `startsWith`)"), lowercase; `null` is `eq` on `null` values. Empty when it lists none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filter_operators: Vec<String>,
    /// The values of a "Possible values are: ..." list (the backticked list when there are several).
    pub possible_values: Vec<String>,
}

/// A type as written in a type cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeRef {
    Primitive {
        primitive: Primitive,
    },
    /// A type documented on another page (or only named).
    Named {
        name: String,
        /// The link target, when the cell links to the page.
        #[serde(skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    Collection {
        item: Box<TypeRef>,
    },
    /// "A or B".
    Union {
        options: Vec<TypeRef>,
    },
    /// Free text the generator cannot read as a type.
    Unknown {
        text: String,
    },
}

/// The Graph (OData EDM) primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Binary,
    Stream,
    Json,
}

impl Primitive {
    /// Reads a primitive name as written in the docs: any case, with or without `Edm.`, and
    /// the common informal spellings (`int`, `number`, `DateTime`, ...).
    pub fn parse(word: &str) -> Option<Primitive> {
        let word = word.trim();
        let word = word
            .strip_prefix("Edm.")
            .or_else(|| word.strip_prefix("edm."))
            .unwrap_or(word);
        PRIMITIVE_SPELLINGS
            .iter()
            .find(|(spelling, _)| word.eq_ignore_ascii_case(spelling))
            .map(|&(_, primitive)| primitive)
    }
}

/// Every spelling [`Primitive::parse`] accepts, lowercase; matched without regard to case.
const PRIMITIVE_SPELLINGS: &[(&str, Primitive)] = &[
    ("string", Primitive::String),
    ("str", Primitive::String),
    ("text", Primitive::String),
    ("boolean", Primitive::Boolean),
    ("bool", Primitive::Boolean),
    ("byte", Primitive::Byte),
    ("sbyte", Primitive::SByte),
    ("int16", Primitive::Int16),
    ("short", Primitive::Int16),
    ("int32", Primitive::Int32),
    ("int", Primitive::Int32),
    ("integer", Primitive::Int32),
    ("int64", Primitive::Int64),
    ("long", Primitive::Int64),
    ("single", Primitive::Single),
    ("float", Primitive::Single),
    ("double", Primitive::Double),
    ("number", Primitive::Double),
    ("numeric", Primitive::Double),
    ("decimal", Primitive::Decimal),
    ("guid", Primitive::Guid),
    ("uuid", Primitive::Guid),
    ("datetimeoffset", Primitive::DateTimeOffset),
    ("datetime", Primitive::DateTimeOffset),
    ("timestamp", Primitive::DateTimeOffset),
    ("date", Primitive::Date),
    ("timeofday", Primitive::TimeOfDay),
    ("time", Primitive::TimeOfDay),
    ("duration", Primitive::Duration),
    ("timespan", Primitive::Duration),
    ("binary", Primitive::Binary),
    ("base64", Primitive::Binary),
    ("stream", Primitive::Stream),
    ("json", Primitive::Json),
    ("object", Primitive::Json),
    ("untyped", Primitive::Json),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseSpec {
    /// The status code the Response section promises.
    pub status: Option<u16>,
    /// The linked response type, if the section names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<TypeRef>,
    pub line: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Example {
    /// The heading the example sits under.
    pub title: Option<String>,
    pub request: Option<ExampleRequest>,
    pub response: Option<ExampleResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleRequest {
    pub method: HttpMethod,
    pub url: String,
    pub headers: Vec<Header>,
    pub body: Option<JsonBody>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleResponse {
    pub status: Option<u16>,
    pub headers: Vec<Header>,
    pub body: Option<JsonBody>,
    /// The `@odata.type` of the response annotation, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// The annotation says the body is cut short.
    pub truncated: bool,
    pub line: usize,
    /// Line of the first body line, for diagnostics about the body.
    pub body_line: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourcePage {
    /// The type's name as the docs spell it (from the annotation, else the title).
    pub name: Option<String>,
    /// From the `blockType: resource` annotation.
    pub odata_type: Option<String>,
    pub base_type: Option<TypeRef>,
    pub key_property: Option<String>,
    pub open_type: bool,
    pub is_abstract: bool,
    pub properties: Vec<Property>,
    pub relationships: Vec<Property>,
    /// The page says the type has no properties ("None.", an empty table...).
    pub declares_no_properties: bool,
    pub json_representation: Option<String>,
    /// The page describes a dictionary type: no properties of its own, string keys to values
    /// of one type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<DictionarySpec>,
}

/// What a dictionary type's page says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DictionarySpec {
    /// The type of every value; `Json` when the page does not say.
    pub value_type: TypeRef,
    /// Where the page says it is a dictionary.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    pub name: String,
    pub members: Vec<EnumMember>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumMember {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// An example's JSON body: validated, but kept as its text. Examples are most of the docs'
/// bytes, and building a tree for each one would cost more than reading the rest of the page;
/// [`JsonBody::value`] builds it when a consumer wants it. Serialises as the JSON it holds.
#[derive(Debug, Clone)]
pub struct JsonBody(Box<serde_json::value::RawValue>);

impl JsonBody {
    /// Validates `text` as JSON.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str::<Box<serde_json::value::RawValue>>(text).map(JsonBody)
    }

    /// The JSON text, as the page wrote it.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The body as a JSON tree.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).expect("validated when the page was read")
    }

    /// Whether the body is a JSON object (not an array or a scalar).
    pub fn is_object(&self) -> bool {
        self.0.get().trim_start().starts_with('{')
    }
}

impl PartialEq for JsonBody {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Serialize for JsonBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}
