//! Field types to Rust tokens: the one place that maps Graph primitives to Rust types, and
//! the one place that decides which cargo features a type needs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, FieldType, Primitive, TypePath};

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

/// The `cfg` predicate that enables every area in `areas`, or `None` when there are none.
pub fn features(areas: &BTreeSet<String>) -> Option<TokenStream> {
    let features: Vec<TokenStream> = areas.iter().map(|area| quote!(feature = #area)).collect();
    match features.len() {
        0 => None,
        1 => Some(features[0].clone()),
        _ => Some(quote!(all(#(#features),*))),
    }
}

/// The areas other than `home` that a field type needs.
pub fn foreign_areas(field_type: &FieldType, home: &str) -> BTreeSet<String> {
    let mut areas = BTreeSet::new();
    field_type.areas(&mut areas);
    areas.remove(home);
    areas
}
