//! Stage 2: all parsed pages in, one resolved [`Api`] per version out. Knows names, types and
//! operations; knows neither markdown nor Rust syntax. Every name the emitter prints is
//! decided here.

pub mod aliases;
mod casts;
mod count;
mod evolvable;
mod examples;
mod query;
mod resolve;
pub mod suppressions;
mod workloads;

pub use examples::{ExampleCase, Suppression};

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::page::{HttpMethod, Permission, Primitive};
pub use resolve::{file_stem, namespace_of, resolve};
pub use workloads::{MissingType, TypeWorkloads, Workload, WorkloadSet, workload_of_path};

/// One API version (`beta`, `v1.0`) with everything the emitter needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// As in the URL: `beta` or `v1.0`.
    pub version: String,
    /// The Rust module the version lives in (`beta`, `v1_0`).
    pub module: String,
    pub base_url: String,
    /// Sorted by area, then Rust name.
    pub models: Vec<Model>,
    /// Sorted by area, then Rust name.
    pub enums: Vec<Enum>,
    /// One per base type that is used as a field type and has derived types: the enum that
    /// picks the Rust type by `@odata.type`. Sorted by area, then Rust name.
    pub polymorphic: Vec<Polymorphic>,
    /// Sorted by path, then HTTP method.
    pub operations: Vec<Operation>,
    /// Per-type enums of the properties a query option may name (`$select`, `$filter`,
    /// `$orderby`, `$expand`). Sorted by area, then Rust name.
    pub selectors: Vec<Selector>,
    /// The query options an endpoint accepts, as a marker type per distinct set and response
    /// type. Sorted by area, then Rust name.
    pub query_sets: Vec<QuerySet>,
    /// The method pages' examples, each tied to the operation it calls.
    pub examples: Vec<ExampleCase>,
    /// The workloads (cargo features) that compile each type: those whose endpoints reach it.
    pub type_workloads: TypeWorkloads,
}

impl Api {
    /// The API areas (Rust module names) in use, sorted.
    pub fn areas(&self) -> Vec<String> {
        let mut areas: Vec<String> = self
            .models
            .iter()
            .map(|model| model.area.clone())
            .chain(self.enums.iter().map(|def| def.area.clone()))
            .chain(self.polymorphic.iter().map(|def| def.area.clone()))
            .chain(self.selectors.iter().map(|def| def.area.clone()))
            .chain(self.query_sets.iter().map(|def| def.area.clone()))
            .collect();
        areas.sort();
        areas.dedup();
        areas
    }
}

/// Where a definition came from, for docs and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    pub file: String,
    pub line: usize,
}

/// A Rust type named by the model: its area module and its name there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypePath {
    pub area: String,
    pub name: String,
}

impl TypePath {
    /// The runtime's `query::AnyOptions`: the options of an endpoint whose result has no
    /// generated type (no property enums to name), offered with raw expressions.
    pub fn any_options() -> Self {
        Self {
            area: String::new(),
            name: "AnyOptions".to_string(),
        }
    }

    /// Whether this names a runtime type rather than one of an area's.
    pub fn is_runtime(&self) -> bool {
        self.area.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldType {
    Primitive {
        primitive: Primitive,
    },
    Model {
        path: TypePath,
    },
    /// A base type with derived types: the `Any…` enum that dispatches on `@odata.type`.
    Polymorphic {
        path: TypePath,
    },
    Enum {
        path: TypePath,
    },
    /// A flags enum: a set of members, written `"a,b"` on the wire.
    Flags {
        path: TypePath,
    },
    Collection {
        item: Box<FieldType>,
    },
    /// Untyped JSON: the docs' type could not be resolved, or is `Json`.
    Json,
}

impl FieldType {
    /// This type with its model replaced by `general` (an item of a collection too).
    pub fn generalised(&self, general: &FieldType) -> FieldType {
        match self {
            FieldType::Model { .. } | FieldType::Polymorphic { .. } => general.clone(),
            FieldType::Collection { item } => FieldType::Collection {
                item: Box::new(item.generalised(general)),
            },
            other => other.clone(),
        }
    }
}

/// What a struct is for: a resource as the service returns it, or a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelRole {
    /// A Graph entity or complex type. Every field optional: `$select` returns partial objects.
    Resource,
    /// A PATCH body: every field tri-state (unchanged / clear / set).
    UpdateBody,
    /// A POST/PUT body or action parameters.
    Body,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The name in the docs (`cloudCertificationAuthorityLeafCertificate`).
    pub graph_name: String,
    pub rust_name: String,
    pub area: String,
    pub role: ModelRole,
    /// `microsoft.graph.cloudCertificationAuthorityLeafCertificate`, when known.
    pub odata_type: Option<String>,
    /// The type this one inherits from; its properties are included in `fields`.
    pub base: Option<TypePath>,
    pub docs: Vec<String>,
    pub fields: Vec<Field>,
    pub open_type: bool,
    /// Holds an evolvable enum somewhere (its fields, their fields, ...): its calls may ask
    /// for the enum's newer members.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub carries_evolvable_enums: bool,
    /// A dictionary type (no fields): string keys to values of this type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dictionary: Option<FieldType>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The JSON property name.
    pub json_name: String,
    pub rust_name: String,
    pub field_type: FieldType,
    pub docs: Vec<String>,
    pub read_only: bool,
    /// Documented in the Relationships table: a navigation property (`$expand` names it).
    pub navigation: bool,
    /// The query options its description says it supports (`$select`, `$filter`, ...).
    pub supports: Vec<String>,
    /// The `$filter` operators its description lists, lowercase (`null`: `eq` on `null`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filter_operators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    pub graph_name: String,
    pub rust_name: String,
    pub area: String,
    pub docs: Vec<String>,
    pub members: Vec<EnumMember>,
    /// Built from "Possible values are: ..." text because no enum page was found.
    pub inferred: bool,
    /// Members are bit flags (power-of-two values): fields hold sets of them.
    pub flags: bool,
    /// The members end in `unknownFutureValue`: the service may add members, and sends those
    /// after it only to callers that ask (`Prefer: include-unknown-enum-members`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub evolvable: bool,
    /// The members the docs list after `unknownFutureValue` (JSON values).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub newer_members: Vec<String>,
    pub source: Source,
}

/// The enum over a base type and the types derived from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Polymorphic {
    pub rust_name: String,
    pub area: String,
    pub base: TypePath,
    /// `@odata.type` of the base, without `#`.
    pub base_odata_type: String,
    /// Every type derived from the base (transitively), sorted by Rust name.
    pub variants: Vec<PolymorphicVariant>,
    /// The base or one of the variants holds an evolvable enum.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub carries_evolvable_enums: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolymorphicVariant {
    /// `microsoft.graph.user`, without `#`.
    pub odata_type: String,
    pub path: TypePath,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumMember {
    /// The value on the wire.
    pub json_value: String,
    pub rust_name: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The method that returns the request: `get`, `list`, `create`, `update`, `replace`,
    /// `delete` on the builder of its path, or, for an action or function, the action's name
    /// in snake case on the builder of the path before it.
    pub rust_name: String,
    /// An OData action or function: called by name on its parent's builder.
    pub action: bool,
    pub method: HttpMethod,
    pub path: Vec<PathPart>,
    /// Query pairs the documented path fixes (`?format=pdf`), in order.
    pub query: Vec<FixedQuery>,
    pub docs: Vec<String>,
    pub permissions: Vec<Permission>,
    /// Permission include files the page points to that are not in the specs tree, as the
    /// page writes them: the docs say where the permissions are, the specs lack them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_permission_includes: Vec<String>,
    /// Request headers the page documents beyond `Authorization` and content negotiation
    /// (`ConsistencyLevel`, `Prefer`, ...), for the docs.
    pub headers: Vec<DocumentedHeader>,
    /// Headers the call always sends (`ConsistencyLevel: eventual` on a `$count`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sends_headers: Vec<(String, String)>,
    pub body: Body,
    pub response: Response,
    /// The query options the page says it supports, lowercase with `$`.
    pub query_options: Vec<String>,
    /// The marker type naming those options for the response type, if any.
    pub query_set: Option<TypePath>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedQuery {
    pub name: String,
    /// The value as written; `{placeholders}` are filled from `parameters`.
    pub value: String,
    /// (placeholder as written, Rust parameter name).
    pub parameters: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentedHeader {
    pub name: String,
    pub value: String,
}

/// What an operation sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    None,
    /// JSON of a generated type.
    Model {
        path: TypePath,
    },
    /// JSON the docs do not type (a body described only in prose).
    Json,
    /// A `$ref` call's link to another object (`{"@odata.id": …}`).
    Reference,
    /// Raw bytes (`PUT …/$value`, `PUT …/content`).
    Bytes,
}

/// What an operation returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// `204 No Content`, or no response body documented.
    NoContent,
    /// A JSON body (`200 OK`, `201 Created`); `Json` when the docs do not type it.
    Json { body: FieldType, status: u16 },
    /// A collection page (`value`, `@odata.nextLink`) of items.
    Collection { item: FieldType },
    /// `202 Accepted`: the `Location` of the work started.
    Accepted,
    /// `302 Found`: the redirect target, not followed.
    Redirect,
    /// A byte stream (`GET …/$value`, `GET …/content`), the service's redirect to a
    /// download URL followed.
    Bytes,
    /// One page of a delta round (`GET …/delta`): changes, removals and the next link.
    Delta { item: FieldType },
    /// `createUploadSession`: the session a large upload is sent through.
    UploadSession,
    /// A number in plain text (`GET …/$count`).
    Count,
}

impl Response {
    /// The generated type the response names, if any.
    pub fn field_type(&self) -> Option<&FieldType> {
        match self {
            Response::Json { body, .. } => Some(body),
            Response::Collection { item } | Response::Delta { item } => Some(item),
            _ => None,
        }
    }
}

/// An enum of the properties of `model` that one query option may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selector {
    pub rust_name: String,
    pub area: String,
    pub model: TypePath,
    /// `$select`, `$filter`, `$orderby` or `$expand`.
    pub option: String,
    /// Whether the docs mark these properties as supporting the option (otherwise: every
    /// property, because the docs name none).
    pub documented: bool,
    /// (JSON name, Rust variant name), in the model's field order.
    pub properties: Vec<(String, String)>,
    /// For a `$filter` selector: its properties that typed comparisons can name (single values
    /// and collections of primitives and enums), with the operators their docs list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filter_properties: Vec<FilterProperty>,
}

/// A property a typed `$filter` comparison names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterProperty {
    pub json_name: String,
    /// The selector's function that returns it (snake case).
    pub rust_name: String,
    /// The operators its docs list, lowercase (`null`: `eq` on `null`); empty: every one.
    pub operators: Vec<String>,
    /// Comparisons apply to its items (`name/any(…)`).
    pub collection: bool,
}

/// A marker type: the query options one kind of endpoint accepts, and the selectors its
/// options take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuerySet {
    pub rust_name: String,
    pub area: String,
    pub options: Vec<String>,
    /// Option (`$select`, ...) → its selector.
    pub selectors: BTreeMap<String, TypePath>,
}

impl Operation {
    /// An update whose page documents the object in its answer: the service answers `204 No
    /// Content` instead unless the caller asks for the object (`Prefer:
    /// return=representation`), and the docs' own examples do both, so the call reads an
    /// `Option` (`None` for the `204`).
    pub fn result_is_optional(&self) -> bool {
        self.method == HttpMethod::Patch
            && !self.action
            && matches!(self.response, Response::Json { .. })
    }

    /// The path template as the docs write it, with parameters in braces.
    pub fn template(&self) -> String {
        let mut template = String::new();
        for part in &self.path {
            if !matches!(part, PathPart::ItemPath { .. }) {
                template.push('/');
            }
            part.write_template(&mut template);
        }
        if !self.query.is_empty() {
            template.push('?');
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|pair| format!("{}={}", pair.name, pair.value))
                .collect();
            template.push_str(&pairs.join("&"));
        }
        template
    }
}

impl PathPart {
    /// What makes two parts the same place in a path: Graph paths are case-insensitive
    /// (`cloudPC` and `cloudPc` are one segment) and parameter names do not matter.
    pub fn key(&self) -> String {
        match self {
            PathPart::Static { segment } => segment.to_ascii_lowercase(),
            PathPart::Parameter { .. } => "{}".to_string(),
            PathPart::Function { name, arguments } => format!(
                "{}({})",
                name.to_ascii_lowercase(),
                arguments
                    .iter()
                    .map(|argument| argument.name.as_deref().unwrap_or("").to_ascii_lowercase())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            PathPart::ItemPath { .. } => ":{}:".to_string(),
        }
    }

    pub fn write_template(&self, out: &mut String) {
        match self {
            PathPart::Static { segment } => out.push_str(segment),
            PathPart::Parameter { graph_name, .. } => {
                out.push('{');
                out.push_str(graph_name);
                out.push('}');
            }
            PathPart::Function { name, arguments } => {
                out.push_str(name);
                out.push('(');
                for (index, argument) in arguments.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    if let Some(name) = &argument.name {
                        out.push_str(name);
                        out.push('=');
                    }
                    match &argument.value {
                        ArgumentValue::Parameter {
                            graph_name, quoted, ..
                        } => {
                            let quote = if *quoted { "'" } else { "" };
                            out.push_str(&format!("{quote}{{{graph_name}}}{quote}"));
                        }
                        ArgumentValue::Fixed { literal } => out.push_str(literal),
                    }
                }
                out.push(')');
            }
            PathPart::ItemPath { graph_name, .. } => out.push_str(&format!(":/{{{graph_name}}}:")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PathPart {
    /// A fixed segment, sent as written: a navigation property, a type cast
    /// (`microsoft.graph.group`), `$ref`, `$value`, `$count`, an action's name.
    Static { segment: String },
    /// A value the caller supplies, percent-encoded as one segment.
    Parameter {
        graph_name: String,
        rust_name: String,
        /// Other things the slot accepts (`userPrincipalName` for `{id | userPrincipalName}`).
        alternatives: Vec<String>,
    },
    /// A function call or key segment: `name(param='{value}')`, `range(address='{a}')`.
    Function {
        name: String,
        arguments: Vec<Argument>,
    },
    /// OneDrive addressing by path, glued to the segment before it: `root` then
    /// `:/{item-path}:`. The path's `/`s are kept; each of its segments is encoded.
    ItemPath {
        graph_name: String,
        rust_name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Argument {
    /// `None` for a positional key (`range('A1:B2')`).
    pub name: Option<String>,
    pub value: ArgumentValue,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArgumentValue {
    /// Supplied by the caller and written as an OData literal: a string (quoted, `'`
    /// doubled) when the docs quote it, else any literal.
    Parameter {
        graph_name: String,
        rust_name: String,
        quoted: bool,
    },
    /// Written as the docs write it.
    Fixed { literal: String },
}
