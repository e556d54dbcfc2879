//! Structs for resources and request bodies.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::types::{self, Position};
use crate::model::{Api, Model, ModelRole};

pub fn model(api: &Api, model: &Model) -> TokenStream {
    let name = format_ident!("{}", model.rust_name);
    let mut docs = model.docs.clone();
    if let Some(odata_type) = &model.odata_type {
        docs.push(format!(
            "OData type: `#{}`.",
            odata_type.trim_start_matches('#')
        ));
    }
    if let Some(values) = &model.dictionary {
        return dictionary(api, model, &name, docs, values);
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
        quote! { #ident: properties.take(#json_name), }
    });
    let put = match model.role {
        ModelRole::UpdateBody => quote!(patch),
        ModelRole::Resource | ModelRole::Body => quote!(optional),
    };
    let writes = model.fields.iter().map(|field| {
        let ident = field_ident(&field.rust_name);
        let json_name = &field.json_name;
        quote! { properties.#put(#json_name, &self.#ident); }
    });
    let fields = model.fields.iter().map(|field| {
        let ident = field_ident(&field.rust_name);
        let docs = doc_attrs(&field.docs);
        // No `cfg` here: the workloads that compile this struct compile every type its
        // fields name (`model::workloads`), so a property is never left without its type.
        let ty = types::field_type(api, &field.field_type, Position::Field);
        let ty = match model.role {
            ModelRole::UpdateBody => quote!(::graph_runtime::Patch<#ty>),
            ModelRole::Resource | ModelRole::Body => quote!(::core::option::Option<#ty>),
        };
        quote! { #docs pub #ident: #ty, }
    });
    let open_doc = if model.open_type {
        " Properties beyond the documented ones: this is an open type, so the service may send any."
    } else {
        " Properties the docs do not describe, kept so that a round trip loses nothing."
    };
    // Its calls may ask for the newer members of the evolvable enums it holds.
    let gate = types::type_gate(api, &model.area, &model.rust_name);
    let carries = model
        .carries_evolvable_enums
        .then(|| quote!(#gate impl ::graph_runtime::CarriesEvolvableEnums for #name {}));
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #odata_doc
            pub odata_type: ::core::option::Option<::std::string::String>,
            #(#fields)*
            #[doc = #open_doc]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        // Not derived: see `graph_runtime::ser` and `graph_runtime::de` for what the derives
        // cost to compile.
        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut properties = ::graph_runtime::ser::Properties::write(serializer)?;
                properties.optional("@odata.type", &self.odata_type);
                #(#writes)*
                properties.finish(&self.additional_properties)
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let mut properties = ::graph_runtime::de::Properties::read(deserializer)?;
                let value = Self {
                    odata_type: properties.take("@odata.type"),
                    #(#reads)*
                    additional_properties: properties.rest(),
                };
                properties.finish(value)
            }
        }

        #carries
    }
}

/// A dictionary type: an alias of `graph_runtime::Dictionary` over its values' type.
fn dictionary(
    api: &Api,
    model: &Model,
    name: &syn::Ident,
    mut docs: Vec<String>,
    values: &crate::model::FieldType,
) -> TokenStream {
    docs.push(
        "A dictionary: string keys of the caller's choosing, each to one value. In an update, \
         an entry set to `None` is sent as `null`, which removes it."
            .to_string(),
    );
    docs.push(format!("Source: `{}`.", model.source.file));
    let docs = doc_attrs(&docs);
    // The workloads that compile the alias compile its values' type too (`model::workloads`).
    let typed = types::field_type(api, values, Position::Response);
    let gate = types::type_gate(api, &model.area, &model.rust_name);
    quote! {
        #docs
        #gate
        pub type #name = ::graph_runtime::Dictionary<#typed>;
    }
}
