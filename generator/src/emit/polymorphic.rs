//! Enums over a base type and its derived types, picked by `@odata.type`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::types;
use crate::model::{Api, Polymorphic};

pub fn polymorphic(api: &Api, def: &Polymorphic) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    let base_variant = format_ident!("{}", def.base.name);
    let base_type = types::type_path(api, &def.base);
    let base_odata = format!("#{}", def.base_odata_type);
    let docs = doc_attrs(&[
        format!(
            "A `{}` or any type derived from it, told apart by `@odata.type`.",
            def.base_odata_type
        ),
        format!(
            "Objects of a derived type this client does not know are read as [`{}`], which \
             keeps their properties in `additional_properties`; writing an object puts its \
             `@odata.type` back.",
            def.base.name
        ),
    ]);
    let variants: Vec<_> = def
        .variants
        .iter()
        .map(|variant| {
            let ident = format_ident!("{}", variant.path.name);
            let ty = types::type_path(api, &variant.path);
            let wire = variant.odata_type.to_ascii_lowercase();
            let odata = format!("#{}", variant.odata_type);
            let doc = format!(" `#{}`", variant.odata_type);
            (
                quote! { #[doc = #doc] #ident(::std::boxed::Box<#ty>), },
                quote! {
                    #wire => ::serde_json::from_value(value).map(|inner| Self::#ident(::std::boxed::Box::new(inner))),
                },
                quote! { Self::#ident(inner) => (::serde_json::to_value(inner), #odata), },
            )
        })
        .collect();
    let declarations = variants.iter().map(|(declaration, _, _)| declaration);
    let reads = variants.iter().map(|(_, read, _)| read);
    let writes = variants.iter().map(|(_, _, write)| write);
    let base_doc = format!(" `{base_odata}`, or a derived type not listed here.");
    // Every variant is compiled whenever the enum is: the workloads that reach a polymorphic
    // base reach every type derived from it (`model::workloads`).
    let gate = types::type_gate(api, &def.area, &def.rust_name);
    let carries = def
        .carries_evolvable_enums
        .then(|| quote!(#gate impl ::graph_runtime::CarriesEvolvableEnums for #name {}));
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #[doc = #base_doc]
            #base_variant(::std::boxed::Box<#base_type>),
            #(#declarations)*
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let odata_type = value
                    .get("@odata.type")
                    .and_then(::serde_json::Value::as_str)
                    .unwrap_or_default()
                    .trim_start_matches('#')
                    .to_ascii_lowercase();
                let read = match odata_type.as_str() {
                    #(#reads)*
                    _ => ::serde_json::from_value(value).map(|inner| Self::#base_variant(::std::boxed::Box::new(inner))),
                };
                read.map_err(::serde::de::Error::custom)
            }
        }

        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let (value, odata_type) = match self {
                    Self::#base_variant(inner) => (::serde_json::to_value(inner), #base_odata),
                    #(#writes)*
                };
                let mut value = value.map_err(::serde::ser::Error::custom)?;
                if let ::serde_json::Value::Object(object) = &mut value {
                    object
                        .entry("@odata.type")
                        .or_insert_with(|| ::serde_json::Value::from(odata_type));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }

        #carries
    }
}
