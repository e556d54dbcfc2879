//! Query option types: the per-type enums of properties an option may name, and the marker
//! types that tell `graph_runtime::Request` which options an endpoint accepts.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types;
use crate::model::{Api, QuerySet, Selector};

pub fn selector(api: &Api, selector: &Selector) -> TokenStream {
    let gate = types::type_gate(api, &selector.area, &selector.rust_name);
    let name = format_ident!("{}", selector.rust_name);
    let model = &selector.model.name;
    let doc = if selector.documented {
        format!(
            " The properties of [`{model}`] whose docs say they support `{}`.",
            selector.option
        )
    } else if selector.option == "$expand" {
        format!(" The relationships of [`{model}`] that `$expand` may name.")
    } else {
        format!(
            " The properties of [`{model}`] for `{}` (the docs single none out, so every one).",
            selector.option
        )
    };
    let variants: Vec<_> = selector
        .properties
        .iter()
        .map(|(_, variant)| format_ident!("{}", variant))
        .collect();
    let json_names: Vec<&String> = selector.properties.iter().map(|(json, _)| json).collect();
    let variant_docs: Vec<String> = json_names.iter().map(|json| format!(" `{json}`")).collect();
    quote! {
        #[doc = #doc]
        #gate
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
        }

        #gate
        impl ::graph_runtime::query::Field for #name {
            fn name(self) -> &'static str {
                match self {
                    #(Self::#variants => #json_names,)*
                }
            }
        }
    }
}

pub fn query_set(api: &Api, set: &QuerySet) -> TokenStream {
    let gate = types::type_gate(api, &set.area, &set.rust_name);
    let name = format_ident!("{}", set.rust_name);
    let options: Vec<String> = set
        .options
        .iter()
        .map(|option| format!("`{option}`"))
        .collect();
    let doc = format!(
        " The query options of the endpoints that return this type and accept {}.",
        options.join(", ")
    );
    let impls = set.options.iter().filter_map(|option| {
        let field = || match set.selectors.get(option) {
            Some(path) => types::type_path(api, path),
            None => quote!(::graph_runtime::query::NoFields),
        };
        let trait_name = match option.as_str() {
            "$select" => "Select",
            "$filter" => "Filter",
            "$orderby" => "OrderBy",
            "$expand" => "Expand",
            "$top" => "Top",
            "$skip" => "Skip",
            "$count" => "Count",
            "$search" => "Search",
            _ => return None,
        };
        let trait_ident = format_ident!("{}", trait_name);
        Some(match trait_name {
            "Select" | "Filter" | "OrderBy" | "Expand" => {
                let field = field();
                quote!(#gate impl ::graph_runtime::query::#trait_ident for #name { type Field = #field; })
            }
            _ => quote!(#gate impl ::graph_runtime::query::#trait_ident for #name {}),
        })
    });
    quote! {
        #[doc = #doc]
        ///
        /// A marker for `graph_runtime::Request`: it has no values.
        #gate
        pub enum #name {}

        #(#impls)*
    }
}
