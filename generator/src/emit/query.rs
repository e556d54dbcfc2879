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
    let filters = (selector.option == "$filter").then(|| filter_functions(&name, selector, &gate));
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

        #filters
    }
}

/// The slots of `graph_runtime::query::ops::Ops`, in order, by the docs' operator names.
const OPERATOR_SLOTS: [(&str, &str); 11] = [
    ("eq", "Eq"),
    ("ne", "Ne"),
    ("gt", "Gt"),
    ("ge", "Ge"),
    ("lt", "Lt"),
    ("le", "Le"),
    ("in", "In"),
    ("startswith", "StartsWith"),
    ("endswith", "EndsWith"),
    ("not", "Not"),
    ("null", "EqNull"),
];

/// For a `$filter` enum: when the docs list operators for its properties, one function per
/// property returning a `FilterProperty` that offers exactly those; when they list none,
/// `AllOperators`, so `query::field` offers every operator as before.
fn filter_functions(name: &syn::Ident, selector: &Selector, gate: &TokenStream) -> TokenStream {
    let listed = selector
        .filter_properties
        .iter()
        .any(|property| !property.operators.is_empty());
    if !listed {
        return quote!(#gate impl ::graph_runtime::query::AllOperators for #name {});
    }
    let functions = selector.filter_properties.iter().map(|property| {
        let function = syn::parse_str::<syn::Ident>(&property.rust_name)
            .unwrap_or_else(|_| format_ident!("{}_", property.rust_name.trim_start_matches("r#")));
        let json_name = &property.json_name;
        let operators = if property.operators.is_empty() {
            quote!(::graph_runtime::query::ops::AnyOperator)
        } else {
            let slots = OPERATOR_SLOTS.iter().map(|(docs_name, slot)| {
                let slot = if property.operators.iter().any(|listed| listed == docs_name) {
                    format_ident!("{slot}")
                } else {
                    format_ident!("No")
                };
                quote!(::graph_runtime::query::ops::#slot)
            });
            quote!(::graph_runtime::query::ops::Ops<#(#slots),*>)
        };
        let constructor = if property.collection {
            quote!(collection)
        } else {
            quote!(new)
        };
        let mut doc = if property.operators.is_empty() {
            format!(" `{json_name}`: the docs list no operators for it, so every one is offered.")
        } else {
            let written: Vec<String> = property
                .operators
                .iter()
                .map(|operator| match operator.as_str() {
                    "null" => "`eq` on `null`".to_string(),
                    "startswith" => "`startsWith`".to_string(),
                    "endswith" => "`endsWith`".to_string(),
                    other => format!("`{other}`"),
                })
                .collect();
            format!(
                " `{json_name}`: the docs list the operators {}.",
                written.join(", ")
            )
        };
        if property.collection {
            doc.push_str(" A collection: comparisons are about its items (`any`).");
        }
        quote! {
            #[doc = #doc]
            pub const fn #function() -> ::graph_runtime::query::FilterProperty<#operators> {
                ::graph_runtime::query::FilterProperty::#constructor(#json_name)
            }
        }
    });
    let doc = format!(
        " Typed `$filter` comparisons: each function offers the operators the docs list for its property. `{name}::x().eq(…)`, combined with `and`/`or`; `filter_raw` sends anything else."
    );
    quote! {
        #[doc = #doc]
        #gate
        impl #name {
            #(#functions)*
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
