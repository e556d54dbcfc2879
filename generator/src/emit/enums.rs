//! Enums that keep values they do not know.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, types};
use crate::model::{Api, Enum};

pub fn enumeration(api: &Api, def: &Enum) -> TokenStream {
    let gate = types::type_gate(api, &def.area, &def.rust_name);
    let name = format_ident!("{}", def.rust_name);
    let mut docs = def.docs.clone();
    if def.evolvable {
        docs.push(
            "Evolvable: the service may add members. It sends the members after \
             `unknownFutureValue` only to requests that ask for them \
             (`.include_unknown_enum_members()`), and `unknownFutureValue` to the others."
                .to_string(),
        );
    }
    docs.push(format!("Source: `{}`.", def.source.file));
    let docs = doc_attrs(&docs);
    let variants: Vec<_> = def
        .members
        .iter()
        .map(|member| format_ident!("{}", member.rust_name))
        .collect();
    let values: Vec<&str> = def
        .members
        .iter()
        .map(|member| member.json_value.as_str())
        .collect();
    let variant_docs = def.members.iter().map(|member| {
        let mut docs = member.docs.clone();
        if docs.is_empty() {
            docs.push(format!("`{}`", member.json_value));
        }
        doc_attrs(&docs)
    });
    let evolvable = def.evolvable.then(|| {
        let newer = &def.newer_members;
        quote! {
            #gate
            impl ::graph_runtime::EvolvableEnum for #name {
                const NEWER_MEMBERS: &'static [&'static str] = &[#(#newer),*];
            }

            #gate
            impl ::graph_runtime::CarriesEvolvableEnums for #name {}
        }
    });
    quote! {
        #docs
        #gate
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this client does not know, kept as the service sent it.
            Other(::std::string::String),
        }

        #gate
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Other(value) => value.as_str(),
                }
            }
        }

        #gate
        impl ::graph_runtime::StringEnum for #name {
            fn as_str(&self) -> &str {
                self.as_str()
            }

            fn from_wire(value: &str) -> Self {
                Self::from(value)
            }
        }

        #gate
        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Other(::std::string::ToString::to_string(other)),
                }
            }
        }

        #gate
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(Self::from(value.as_str()))
            }
        }

        #evolvable
    }
}
