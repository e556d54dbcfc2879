//! Structs for resources and request bodies.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::types::{self, Position};
use crate::model::{Api, Model, ModelRole};
use crate::names;

pub fn model(api: &Api, model: &Model) -> TokenStream {
    let name = format_ident!("{}", model.rust_name);
    let mut docs = model.docs.clone();
    if let Some(odata_type) = &model.odata_type {
        docs.push(format!(
            "OData type: `#{}`.",
            odata_type.trim_start_matches('#')
        ));
    }
    docs.push(format!("Source: `{}`.", model.source.file));
    let docs = doc_attrs(&docs);
    let odata_doc =
        doc_attrs(&["The `@odata.type` annotation: the object's concrete Graph type.".to_string()]);
    let field_ident = |rust_name: &str| {
        syn::parse_str::<syn::Ident>(rust_name).unwrap_or_else(|_| format_ident!("field"))
    };
    let reads = model.fields.iter().map(|field| {
        let ident = field_ident(&field.rust_name);
        let json_name = &field.json_name;
        quote! { #ident: properties.take(#json_name)?, }
    });
    let fields = model.fields.iter().map(|field| {
        let ident = field_ident(&field.rust_name);
        let docs = doc_attrs(&field.docs);
        let rename =
            (camel_case(names::serde_name(&field.rust_name)) != field.json_name).then(|| {
                let json_name = &field.json_name;
                quote!(rename = #json_name,)
            });
        let declare = |ty: TokenStream| match model.role {
            ModelRole::UpdateBody => quote! {
                #[serde(#rename skip_serializing_if = "::graph_runtime::Patch::is_unchanged")]
                pub #ident: ::graph_runtime::Patch<#ty>,
            },
            ModelRole::Resource | ModelRole::Body => quote! {
                #[serde(#rename skip_serializing_if = "::core::option::Option::is_none")]
                pub #ident: ::core::option::Option<#ty>,
            },
        };
        // No `cfg` here: the workloads that compile this struct compile every type its
        // fields name (`model::workloads`), so a property is never left without its type.
        let field = declare(types::field_type(api, &field.field_type, Position::Field));
        quote! { #docs #field }
    });
    let open_doc = if model.open_type {
        " Properties beyond the documented ones: this is an open type, so the service may send any."
    } else {
        " Properties the docs do not describe, kept so that a round trip loses nothing."
    };
    let gate = types::type_gate(api, &model.area, &model.rust_name);
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct #name {
            #odata_doc
            #[serde(rename = "@odata.type", skip_serializing_if = "::core::option::Option::is_none")]
            pub odata_type: ::core::option::Option<::std::string::String>,
            #(#fields)*
            #[doc = #open_doc]
            #[serde(flatten)]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        // Not derived: see `graph_runtime::de` for what the derive cost to compile.
        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let mut properties = ::graph_runtime::de::Properties::read(deserializer)?;
                ::core::result::Result::Ok(Self {
                    odata_type: properties.take("@odata.type")?,
                    #(#reads)*
                    additional_properties: properties.rest(),
                })
            }
        }
    }
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field name (serde's own
/// algorithm: PascalCase, then the first character lowercased).
fn camel_case(snake: &str) -> String {
    let mut pascal = String::with_capacity(snake.len());
    let mut capitalize = true;
    for c in snake.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => pascal,
    }
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn matches_serde_camel_case() {
        assert_eq!(camel_case("subject_name"), "subjectName");
        assert_eq!(
            camel_case("crl_distribution_point_url"),
            "crlDistributionPointUrl"
        );
        assert_eq!(camel_case("type"), "type");
        assert_eq!(camel_case("i_os_version"), "iOsVersion");
    }
}
