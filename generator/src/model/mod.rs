//! Stage 2: all parsed pages in, one resolved [`Api`] per version out. Knows names, types and
//! operations; knows neither markdown nor Rust syntax. Every name the emitter prints is
//! decided here.

mod resolve;

use serde::Serialize;

pub use crate::page::{HttpMethod, Permission, Primitive};
pub use resolve::resolve;

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
    /// The builder method that sends the request: `get`, `list`, `create`, `update`,
    /// `replace`, `delete`.
    pub rust_name: String,
    pub method: HttpMethod,
    pub path: Vec<PathPart>,
    pub docs: Vec<String>,
    pub permissions: Vec<Permission>,
    pub body: Option<TypePath>,
    /// `None` when the call returns no content.
    pub response: Option<FieldType>,
    pub source: Source,
}

impl FieldType {
    /// The areas whose types this field type names.
    pub fn areas(&self, out: &mut std::collections::BTreeSet<String>) {
        match self {
            FieldType::Model { path }
            | FieldType::Polymorphic { path }
            | FieldType::Enum { path }
            | FieldType::Flags { path } => {
                out.insert(path.area.clone());
            }
            FieldType::Collection { item } => item.areas(out),
            FieldType::Primitive { .. } | FieldType::Json => {}
        }
    }
}

impl Operation {
    /// The path template as the docs write it, with parameters in braces.
    pub fn template(&self) -> String {
        let mut template = String::new();
        for part in &self.path {
            template.push('/');
            match part {
                PathPart::Static { segment } => template.push_str(segment),
                PathPart::Parameter { graph_name, .. } => {
                    template.push('{');
                    template.push_str(graph_name);
                    template.push('}');
                }
            }
        }
        template
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PathPart {
    /// A fixed segment, sent as written.
    Static { segment: String },
    /// A value the caller supplies, percent-encoded as one segment.
    Parameter {
        graph_name: String,
        rust_name: String,
        /// Other things the slot accepts (`userPrincipalName` for `{id | userPrincipalName}`).
        alternatives: Vec<String>,
    },
}
