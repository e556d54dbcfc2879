//! Field types to Rust tokens: the one place that maps Graph primitives to Rust types, and
//! the one place that writes the `cfg` of a workload set.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, FieldType, Primitive, TypePath, Workload, WorkloadSet};

/// The Rust type of each Graph primitive. The README's table is this table.
pub fn primitive(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(::std::string::String),
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::Single => quote!(f32),
        Primitive::Double | Primitive::Decimal => quote!(f64),
        Primitive::Guid => quote!(::std::string::String),
        Primitive::DateTimeOffset => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::TimeOfDay => quote!(::chrono::NaiveTime),
        Primitive::Duration => quote!(::graph_runtime::IsoDuration),
        Primitive::Binary => quote!(::graph_runtime::Base64Bytes),
        Primitive::Stream | Primitive::Json => quote!(::serde_json::Value),
    }
}

pub fn type_path(api: &Api, path: &TypePath) -> TokenStream {
    let version = format_ident!("{}", api.module);
    let area = format_ident!("{}", path.area);
    let name = format_ident!("{}", path.name);
    quote!(crate::#version::#area::#name)
}

/// Where a type is used: a struct field boxes nested structs (Graph types nest
/// recursively); a response is returned as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Field,
    Response,
}

pub fn field_type(api: &Api, field_type: &FieldType, position: Position) -> TokenStream {
    match field_type {
        FieldType::Primitive { primitive: p } => primitive(*p),
        FieldType::Model { path } => {
            let path = type_path(api, path);
            match position {
                Position::Field => quote!(::std::boxed::Box<#path>),
                Position::Response => path,
            }
        }
        FieldType::Polymorphic { path } | FieldType::Enum { path } => type_path(api, path),
        FieldType::Flags { path } => {
            let path = type_path(api, path);
            quote!(::graph_runtime::Flags<#path>)
        }
        FieldType::Collection { item } => {
            // Items of a Vec are already behind a pointer.
            let item = self::field_type(api, item, Position::Response);
            quote!(::std::vec::Vec<#item>)
        }
        FieldType::Json => quote!(::serde_json::Value),
    }
}

/// The `cfg` predicate that holds when any workload of `workloads` is enabled, or `None` for
/// the empty set (compiled always).
pub fn predicate(workloads: WorkloadSet) -> Option<TokenStream> {
    let features: Vec<&str> = workloads.iter().map(Workload::name).collect();
    match features.as_slice() {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        _ => Some(quote!(any(#(feature = #features),*))),
    }
}

/// `#[cfg(…)]` for an item compiled with any of `workloads`; nothing for the empty set.
pub fn gate(workloads: WorkloadSet) -> TokenStream {
    match predicate(workloads) {
        Some(predicate) => quote!(#[cfg(#predicate)]),
        None => TokenStream::new(),
    }
}

/// The gate of a generated type: the workloads whose endpoints reach it.
pub fn type_gate(api: &Api, area: &str, name: &str) -> TokenStream {
    gate(api.type_workloads.of(&TypePath {
        area: area.to_string(),
        name: name.to_string(),
    }))
}
