//! Field types to Rust tokens: the one place that maps Graph primitives to Rust types.

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

pub fn field_type(api: &Api, field_type: &FieldType) -> TokenStream {
    match field_type {
        FieldType::Primitive { primitive: p } => primitive(*p),
        FieldType::Model { path } | FieldType::Enum { path } => type_path(api, path),
        FieldType::Collection { item } => {
            let item = self::field_type(api, item);
            quote!(::std::vec::Vec<#item>)
        }
        FieldType::Json => quote!(::serde_json::Value),
    }
}
