//! The crate's workload features as code: `src/features.rs` documents them and holds the
//! traits whose unmet bounds explain a call that a missing feature compiled out.
//!
//! rustc says "no method named `messages` found" for a method behind a disabled `cfg`, with no
//! word about features. So each gated method has a stand-in under the opposite `cfg`, same
//! name, any arguments, bounded by a trait nothing implements: the call then fails with the
//! trait's `#[diagnostic::on_unimplemented]` message, which names the feature. The bound
//! mentions a lifetime of the method, so it is checked where the method is called, not where
//! it is defined; the stand-in's return type is a type parameter, so no second error follows
//! in the rest of the call chain.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{requests, types};
use crate::model::{Api, Workload, WorkloadSet};
use crate::names;

/// The trait a stand-in for a method of `workloads` is bounded by: `NeedsMail`,
/// `NeedsUsersOrMail`.
fn trait_name(workloads: WorkloadSet) -> syn::Ident {
    let names: Vec<String> = workloads
        .iter()
        .map(|workload| names::type_name(workload.name()))
        .collect();
    format_ident!("Needs{}", names.join("Or"))
}

/// `` `mail` `` or `` one of `users`, `mail` ``: the features a set asks for, in words.
fn feature_words(workloads: WorkloadSet) -> String {
    let quoted: Vec<String> = workloads
        .iter()
        .map(|workload| format!("`{}`", workload.name()))
        .collect();
    match quoted.as_slice() {
        [one] => format!("the {one} feature"),
        _ => format!("one of the features {}", quoted.join(", ")),
    }
}

/// The stand-in of a method compiled with any of `workloads`, for when none is enabled: it
/// takes `arguments` arguments of any type and its call fails naming the features.
pub fn disabled_stub(workloads: WorkloadSet, method: &syn::Ident, arguments: usize) -> TokenStream {
    let Some(predicate) = types::predicate(workloads) else {
        return TokenStream::new();
    };
    let needs = trait_name(workloads);
    let arguments = (0..arguments).map(|_| quote!(_: impl ::core::marker::Sized));
    quote! {
        #[cfg(not(#predicate))]
        #[doc(hidden)]
        pub fn #method<'s, Disabled>(&'s self, #(#arguments),*) -> Disabled
        where
            &'s Self: crate::features::#needs,
        {
            ::core::unreachable!()
        }
    }
}

/// `src/features.rs`: the list of workload features and the traits of every stand-in.
pub fn features_module(apis: &[Api]) -> TokenStream {
    let in_use: WorkloadSet = apis.iter().fold(WorkloadSet::default(), |all, api| {
        all.union(api.workloads())
    });
    let list: Vec<String> = in_use
        .iter()
        .map(|workload| format!(" - `{}`: {}.", workload.name(), workload.summary()))
        .collect();
    let sets: BTreeSet<WorkloadSet> = apis.iter().flat_map(requests::stub_workload_sets).collect();
    let traits = sets.into_iter().map(|workloads| {
        let name = trait_name(workloads);
        let words = feature_words(workloads);
        let message = format!("this call needs {words} of graph-client");
        let label = format!("compiled only with {words}");
        let first = workloads.iter().next().map_or("", Workload::name);
        let note = format!(
            "enable it in Cargo.toml: `graph-client = {{{{ ..., features = [\"{first}\"] }}}}`; \
             the features are listed in `graph_client::features`"
        );
        let doc =
            format!(" Implemented by nothing: the bound of a call compiled out without {words}.");
        quote! {
            #[doc = #doc]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #name {}
        }
    });
    quote! {
        //! The crate's cargo features: one per workload, named after what an application does
        //! (the groups of the Microsoft Graph reference's table of contents). All are on by
        //! default; an application that needs fewer turns the defaults off and names its own:
        //! `graph-client = { ..., default-features = false, features = ["mail", "users"] }`.
        //!
        //! A feature compiles every endpoint under its paths and every type those endpoints
        //! reach (bodies, responses, properties, base and derived types), so a property is
        //! never left untyped because a feature is off. A type no endpoint returns (a webhook
        //! payload, say) comes with the features of the endpoints documented in its API area.
        //! Calling an endpoint whose feature is off fails to compile with a message that names
        //! the feature.
        //!
        #(#![doc = #list])*

        #(#traits)*
    }
}
