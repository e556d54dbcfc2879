//! The client and its request builders: one builder per path prefix, so a call reads like the
//! URL it sends: `client.device_management().cloud_certification_authority().item(&id)`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, types};
use crate::model::{Api, Operation, PathPart, Permission};
use crate::names;
use crate::page::PermissionType;

/// A node of the path tree: a static segment, or the parameter after one.
#[derive(Debug, Default)]
struct Node<'a> {
    /// Children by key: the segment name, or `{}` for a parameter.
    children: BTreeMap<String, Node<'a>>,
    /// The part this node stands for (absent at the root).
    part: Option<&'a PathPart>,
    operations: Vec<&'a Operation>,
    /// Rust type name of this node's builder.
    type_name: String,
    /// The path up to this node, as the docs write it.
    template: String,
}

fn key(part: &PathPart) -> String {
    match part {
        // Graph paths are case-insensitive: `cloudPC` and `cloudPc` are one segment.
        PathPart::Static { segment } => segment.to_ascii_lowercase(),
        PathPart::Parameter { .. } => "{}".to_string(),
    }
}

fn tree(api: &Api) -> Node<'_> {
    let mut root = Node::default();
    for operation in &api.operations {
        let mut node = &mut root;
        let mut template = String::new();
        for part in &operation.path {
            template.push('/');
            match part {
                PathPart::Static { segment } => template.push_str(segment),
                PathPart::Parameter { graph_name, .. } => {
                    template.push_str(&format!("{{{graph_name}}}"))
                }
            }
            node = node.children.entry(key(part)).or_insert_with(|| Node {
                part: Some(part),
                template: template.clone(),
                ..Node::default()
            });
        }
        node.operations.push(operation);
    }
    name_nodes(&mut root);
    root
}

/// Names each builder by the shortest tail of its path that no other builder shares, so
/// common paths get short names and the rest stay unique.
fn name_nodes(root: &mut Node<'_>) {
    // (node keys from the root, the words its name is made of)
    let mut chains: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    collect_chains(root, &mut Vec::new(), &mut Vec::new(), &mut chains);
    let mut names: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut scope = crate::names::Scope::default();
    for (keys, words) in &chains {
        let mut length = 1;
        loop {
            let tail = &words[words.len() - length..];
            let shared = chains
                .iter()
                .filter(|(_, other)| {
                    other.len() >= length && other[other.len() - length..] == *tail
                })
                .count();
            let starts_with_name = tail[0] != "Item";
            if (shared == 1 && starts_with_name) || length == words.len() {
                // Distinct segments can still share a Rust spelling; the scope keeps names
                // unique.
                let (name, _) = scope.claim(format!("{}Request", tail.concat()));
                names.insert(keys.clone(), name);
                break;
            }
            length += 1;
        }
    }
    apply_names(root, &mut Vec::new(), &names);
}

fn chain_word(part: &PathPart) -> String {
    match part {
        PathPart::Static { segment } => names::type_name(segment),
        PathPart::Parameter { .. } => "Item".to_string(),
    }
}

fn collect_chains(
    node: &Node<'_>,
    keys: &mut Vec<String>,
    words: &mut Vec<String>,
    chains: &mut Vec<(Vec<String>, Vec<String>)>,
) {
    for (key, child) in &node.children {
        keys.push(key.clone());
        words.push(chain_word(child.part.expect("children always have a part")));
        chains.push((keys.clone(), words.clone()));
        collect_chains(child, keys, words, chains);
        keys.pop();
        words.pop();
    }
}

fn apply_names(node: &mut Node<'_>, keys: &mut Vec<String>, names: &BTreeMap<Vec<String>, String>) {
    for (key, child) in node.children.iter_mut() {
        keys.push(key.clone());
        child.type_name = names[keys.as_slice()].clone();
        apply_names(child, keys, names);
        keys.pop();
    }
}

/// The per-version `Client`: the entry point whose methods are the first path segments.
pub fn client(api: &Api) -> TokenStream {
    let root = tree(api);
    let base_url = &api.base_url;
    let version = &api.version;
    let version_module = format_ident!("{}", api.module);
    let requests_module = quote!(crate::#version_module::requests::);
    let mut scope = names::Scope::default();
    for reserved in ["new", "with_base_url", "from_http", "http"] {
        scope.claim(reserved.to_string());
    }
    let entry_points = root
        .children
        .values()
        .map(|child| {
            accessor(
                child,
                &accessor_name(child, &mut scope),
                &requests_module,
                true,
            )
        })
        .collect::<Vec<_>>();
    let doc = format!(" A client for Microsoft Graph `{version}`.");
    quote! {
        #[doc = #doc]
        ///
        /// Cheap to clone: clones share one connection pool and token provider.
        #[derive(Debug, Clone)]
        pub struct Client {
            http: ::graph_runtime::HttpClient,
        }

        impl Client {
            /// The service root this version is served from.
            pub const BASE_URL: &'static str = #base_url;

            /// A client for the public Graph endpoint.
            pub fn new(tokens: impl ::graph_runtime::TokenProvider + 'static) -> ::core::result::Result<Self, ::graph_runtime::Error> {
                Self::with_base_url(Self::BASE_URL, tokens)
            }

            /// A client for another service root: a national cloud, a proxy or a test server.
            pub fn with_base_url(
                base_url: impl ::core::convert::Into<::std::string::String>,
                tokens: impl ::graph_runtime::TokenProvider + 'static,
            ) -> ::core::result::Result<Self, ::graph_runtime::Error> {
                ::core::result::Result::Ok(Self {
                    http: ::graph_runtime::HttpClient::new(base_url, tokens)?,
                })
            }

            /// A client over an HTTP client configured by the caller.
            pub fn from_http(http: ::graph_runtime::HttpClient) -> Self {
                Self { http }
            }

            /// The underlying HTTP client, for requests the builders do not cover.
            pub fn http(&self) -> &::graph_runtime::HttpClient {
                &self.http
            }

            #(#entry_points)*
        }
    }
}

/// The method on a parent that returns `node`'s builder.
/// `module` is the path prefix of the builder types (empty between sibling builders).
/// `method` is the accessor's name, unique among its parent's methods.
fn accessor(node: &Node<'_>, method: &str, module: &TokenStream, from_client: bool) -> TokenStream {
    let type_name = format_ident!("{}", node.type_name);
    let (client, path, lifetime) = if from_client {
        (
            quote!(self),
            quote!(::graph_runtime::RequestPath::root()),
            quote!('_),
        )
    } else {
        (quote!(self.client), quote!(self.path), quote!('a))
    };
    match node.part.expect("children always have a part") {
        PathPart::Static { segment } => {
            let method = ident(method);
            let doc = format!(" `…/{segment}`");
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #module #type_name<#lifetime> {
                    #module #type_name {
                        client: #client,
                        path: #path.segment(#segment),
                    }
                }
            }
        }
        PathPart::Parameter {
            graph_name,
            rust_name,
            alternatives,
        } => {
            let parameter = ident(rust_name);
            let method = ident(method);
            let mut doc = format!(" The item `{{{graph_name}}}`");
            if !alternatives.is_empty() {
                doc.push_str(&format!(" (or its {})", alternatives.join(" or ")));
            }
            doc.push_str(". The value is percent-encoded as one path segment.");
            quote! {
                #[doc = #doc]
                pub fn #method(&self, #parameter: &str) -> #module #type_name<#lifetime> {
                    #module #type_name {
                        client: #client,
                        path: #path.parameter(#graph_name, #parameter),
                    }
                }
            }
        }
    }
}

/// The accessor's method name: the segment in snake case, or `item` for a parameter.
fn accessor_name(node: &Node<'_>, scope: &mut names::Scope) -> String {
    let wanted = match node.part.expect("children always have a part") {
        PathPart::Static { segment } => names::snake(segment),
        PathPart::Parameter { .. } => "item".to_string(),
    };
    scope.claim(wanted).0
}

fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name)
        .unwrap_or_else(|_| format_ident!("{}_", name.trim_start_matches("r#")))
}

/// The `requests` module of a version: every builder and its calls.
pub fn requests(api: &Api) -> TokenStream {
    let root = tree(api);
    let mut builders = Vec::new();
    collect_builders(api, &root, &mut builders);
    let doc = format!(
        " Request builders for Microsoft Graph `{}`. Start from [`super::Client`].",
        api.version
    );
    quote! {
        #![doc = #doc]
        #(#builders)*
    }
}

fn collect_builders(api: &Api, node: &Node<'_>, out: &mut Vec<TokenStream>) {
    for child in node.children.values() {
        out.push(builder(api, child));
        collect_builders(api, child, out);
    }
}

fn builder(api: &Api, node: &Node<'_>) -> TokenStream {
    let type_name = format_ident!("{}", node.type_name);
    let doc = format!(" Requests under `{}`.", node.template);
    let siblings = TokenStream::new();
    let mut scope = names::Scope::default();
    for reserved in ["path", "client"].into_iter().chain(
        node.operations
            .iter()
            .map(|operation| operation.rust_name.as_str()),
    ) {
        scope.claim(reserved.to_string());
    }
    let accessors: Vec<TokenStream> = node
        .children
        .values()
        .map(|child| accessor(child, &accessor_name(child, &mut scope), &siblings, false))
        .collect();
    let calls = node.operations.iter().map(|operation| call(api, operation));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #type_name<'a> {
            pub(super) client: &'a super::Client,
            pub(super) path: ::graph_runtime::RequestPath,
        }

        impl<'a> #type_name<'a> {
            /// The encoded path so far, for calls the builders do not cover (send it with
            /// [`super::Client::http`]).
            pub fn path(&self) -> ::core::result::Result<&str, ::graph_runtime::Error> {
                self.path.as_str()
            }

            /// The client this request will be sent with.
            pub fn client(&self) -> &'a super::Client {
                self.client
            }

            #(#accessors)*
            #(#calls)*
        }
    }
}

fn call(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let method = format_ident!("{}", operation.method.as_str());
    let mut docs = operation.docs.clone();
    if let Some(permissions) = permissions_doc(&operation.permissions) {
        docs.push(permissions);
    }
    docs.push(format!("Source: `{}`.", operation.source.file));
    let docs = doc_attrs(&docs);
    let mut areas = std::collections::BTreeSet::new();
    if let Some(path) = &operation.body {
        areas.insert(path.area.clone());
    }
    if let Some(response) = &operation.response {
        response.areas(&mut areas);
    }
    let gate = types::features(&areas).map(|features| quote!(#[cfg(#features)]));
    let (body_parameter, body_argument) = match &operation.body {
        Some(path) => {
            let ty = types::type_path(api, path);
            (
                quote!(body: &#ty),
                quote!(::core::option::Option::Some(body)),
            )
        }
        None => (quote!(), quote!(::core::option::Option::None::<&()>)),
    };
    match &operation.response {
        Some(response) => {
            let response = types::field_type(api, response, types::Position::Response);
            quote! {
                #docs
                #gate
                pub async fn #name(&self, #body_parameter) -> ::core::result::Result<#response, ::graph_runtime::Error> {
                    let path = self.path.as_str()?;
                    self.client.http().send(::graph_runtime::Method::#method, path, #body_argument).await
                }
            }
        }
        None => quote! {
            #docs
            #gate
            pub async fn #name(&self, #body_parameter) -> ::core::result::Result<(), ::graph_runtime::Error> {
                let path = self.path.as_str()?;
                self.client.http().send_no_content(::graph_runtime::Method::#method, path, #body_argument).await
            }
        },
    }
}

fn permissions_doc(permissions: &[Permission]) -> Option<String> {
    if permissions.is_empty() {
        return None;
    }
    let parts: Vec<String> = permissions
        .iter()
        .map(|permission| {
            let who = match &permission.permission_type {
                PermissionType::DelegatedWorkOrSchool => {
                    "delegated (work or school account)".to_string()
                }
                PermissionType::DelegatedPersonal => {
                    "delegated (personal Microsoft account)".to_string()
                }
                PermissionType::Application => "application".to_string(),
                PermissionType::Other(other) => other.clone(),
            };
            let scopes = if permission.scopes.is_empty() {
                "not supported".to_string()
            } else {
                permission
                    .scopes
                    .iter()
                    .map(|scope| format!("`{scope}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("{who}: {scopes}")
        })
        .collect();
    Some(format!(
        "Permissions (least to most privileged): {}.",
        parts.join("; ")
    ))
}
