//! The client and its request builders. One builder per path prefix, so a call reads like the
//! URL it sends: `client.device_management().cloud_certification_authority().item(&id)`.
//! Each endpoint method returns a `graph_runtime::Request` typed by what the call returns and
//! by the query options its page documents; the caller adds options and headers, then awaits.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, features, types};
use crate::model::{
    Api, ArgumentValue, Body, FieldType, Operation, PathPart, Permission, Response, WorkloadSet,
    aliases::{self, Alias},
};
use crate::names;
use crate::page::PermissionType;

/// A node of the path tree: one segment, parameter, function call or item path.
#[derive(Debug, Default)]
struct Node<'a> {
    /// Children by key (see [`key`]).
    children: BTreeMap<String, Node<'a>>,
    /// The part this node stands for (absent at the root).
    part: Option<&'a PathPart>,
    /// Calls on this node's path: `get`, `list`, `update`...
    operations: Vec<&'a Operation>,
    /// Actions and functions one segment below, called by name on this node.
    actions: Vec<&'a Operation>,
    /// Rust type name of this node's builder.
    type_name: String,
    /// The path up to this node, as the docs write it.
    template: String,
    /// The workloads of every endpoint at or below this node: its builder is compiled with
    /// any of them.
    workloads: WorkloadSet,
    /// An alias (`me`, a drive's `root`): no builder of its own; its accessor returns the
    /// builder of its parent's `<collection>/{id}` child.
    alias: Option<&'static Alias>,
    /// The aliases whose accessors also return this builder.
    aliased_as: Vec<&'static Alias>,
}

/// The aliases' segments, for the client's accessors when no page writes them.
static ALIAS_PARTS: std::sync::LazyLock<Vec<PathPart>> = std::sync::LazyLock::new(|| {
    aliases::ALIASES
        .iter()
        .map(|alias| PathPart::Static {
            segment: alias.segment.to_string(),
        })
        .collect()
});

fn tree(api: &Api) -> Node<'_> {
    let mut root = Node::default();
    // A path with an alias goes under the path the alias stands for when that path's builder
    // exists (see `model::aliases`): the paths without come first.
    let (aliased, plain): (Vec<&Operation>, Vec<&Operation>) = api
        .operations
        .iter()
        .partition(|operation| aliases::alias_count(&operation.path) > 0);
    for operation in plain {
        insert(&mut root, operation);
    }
    // `client.me()` and `client.drive()` wherever users have items and drives, whether or not
    // a page writes `/me` or `/drive`.
    for (alias, part) in aliases::ALIASES.iter().zip(ALIAS_PARTS.iter()) {
        if !alias.starts_a_path() {
            continue;
        }
        let Some(target) = alias_target_mut(&mut root, alias) else {
            continue;
        };
        target.aliased_as.push(alias);
        root.children.insert(
            alias.segment.to_string(),
            Node {
                part: Some(part),
                template: format!("/{}", alias.segment),
                alias: Some(alias),
                ..Node::default()
            },
        );
    }
    for operation in aliased {
        insert(&mut root, operation);
    }
    name_nodes(&mut root);
    collect_workloads(&mut root);
    resolve_aliases(&mut root);
    root
}

/// Puts `operation` in the tree along its path, an alias leading to the path it stands for.
fn insert<'a>(root: &mut Node<'a>, operation: &'a Operation) {
    let path = &operation.path;
    let parts: &[PathPart] = if operation.action {
        &path[..path.len() - 1]
    } else {
        path
    };
    let mut node = root;
    let mut template = String::new();
    for (index, part) in parts.iter().enumerate() {
        if !matches!(part, PathPart::ItemPath { .. }) {
            template.push('/');
        }
        part.write_template(&mut template);
        let alias =
            aliases::alias_of(path, index).filter(|alias| alias_target_mut(node, alias).is_some());
        if let Some(alias) = alias {
            node.children.entry(part.key()).or_insert_with(|| Node {
                part: Some(part),
                template: template.clone(),
                alias: Some(alias),
                ..Node::default()
            });
            let target = alias_target_mut(node, alias).expect("checked above");
            if !target.aliased_as.contains(&alias) {
                target.aliased_as.push(alias);
            }
            node = target;
            continue;
        }
        node = node.children.entry(part.key()).or_insert_with(|| Node {
            part: Some(part),
            template: template.clone(),
            ..Node::default()
        });
    }
    if operation.action {
        node.actions.push(operation);
    } else {
        node.operations.push(operation);
    }
}

/// The node an alias child of `node` stands for.
fn alias_target<'n, 'a>(node: &'n Node<'a>, alias: &Alias) -> &'n Node<'a> {
    alias
        .stands_for
        .iter()
        .fold(node, |node, key| &node.children[*key])
}

/// The node an alias child of `node` would stand for, if it exists.
fn alias_target_mut<'n, 'a>(node: &'n mut Node<'a>, alias: &Alias) -> Option<&'n mut Node<'a>> {
    let mut node = node;
    for key in alias.stands_for {
        node = node.children.get_mut(*key)?;
    }
    Some(node)
}

/// Gives each alias the type name and workloads of the item it stands for.
fn resolve_aliases(node: &mut Node<'_>) {
    let resolved: Vec<(String, String, WorkloadSet)> = node
        .children
        .iter()
        .filter_map(|(key, child)| {
            let target = alias_target(node, child.alias?);
            Some((key.clone(), target.type_name.clone(), target.workloads))
        })
        .collect();
    for (key, type_name, workloads) in resolved {
        let child = node.children.get_mut(&key).expect("listed above");
        child.type_name = type_name;
        child.workloads = workloads;
    }
    for child in node.children.values_mut() {
        resolve_aliases(child);
    }
}

/// Fills each node's `workloads` from the endpoints at and below it.
fn collect_workloads(node: &mut Node<'_>) -> WorkloadSet {
    let mut workloads: WorkloadSet = node
        .operations
        .iter()
        .chain(&node.actions)
        .map(|operation| operation.workload())
        .collect();
    for child in node.children.values_mut() {
        workloads = workloads.union(collect_workloads(child));
    }
    node.workloads = workloads;
    workloads
}

/// Names each builder by the shortest tail of its path that no other builder shares, so
/// common paths get short names and the rest stay unique.
fn name_nodes(root: &mut Node<'_>) {
    // (node keys from the root, the words its name is made of)
    let mut chains: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    collect_chains(root, &mut Vec::new(), &mut Vec::new(), &mut chains);
    // Builders sharing a tail, counted once per tail length: a linear pass instead of
    // comparing every chain with every other.
    let mut tails: BTreeMap<&[String], usize> = BTreeMap::new();
    for (_, words) in &chains {
        for length in 1..=words.len() {
            *tails.entry(&words[words.len() - length..]).or_default() += 1;
        }
    }
    let mut names: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut scope = crate::names::Scope::default();
    for (keys, words) in &chains {
        let mut length = 1;
        loop {
            let tail = &words[words.len() - length..];
            let shared = tails[tail];
            let starts_with_name = !matches!(tail[0].as_str(), "Item" | "ByPath");
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
        PathPart::Static { segment } => match segment.as_str() {
            "$ref" => "Reference".to_string(),
            "$value" => "Value".to_string(),
            "$count" => "Count".to_string(),
            _ if is_cast(segment) => format!("As{}", names::type_name(cast_type(segment))),
            _ => names::type_name(segment),
        },
        PathPart::Parameter { .. } => "Item".to_string(),
        PathPart::Function { name, .. } => {
            names::type_name(name.rsplit('.').next().unwrap_or(name))
        }
        PathPart::ItemPath { .. } => "ByPath".to_string(),
    }
}

/// `microsoft.graph.group`: a type cast segment.
fn is_cast(segment: &str) -> bool {
    segment.contains('.') && !segment.starts_with('$')
}

fn cast_type(segment: &str) -> &str {
    segment.rsplit('.').next().unwrap_or(segment)
}

fn collect_chains(
    node: &Node<'_>,
    keys: &mut Vec<String>,
    words: &mut Vec<String>,
    chains: &mut Vec<(Vec<String>, Vec<String>)>,
) {
    for (key, child) in &node.children {
        if child.alias.is_some() {
            continue;
        }
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
        if child.alias.is_some() {
            continue;
        }
        keys.push(key.clone());
        child.type_name = names[keys.as_slice()].clone();
        apply_names(child, keys, names);
        keys.pop();
    }
}

/// Where a generated method is: on the version's `Client` (always compiled) or on a builder
/// (compiled with any of its node's workloads).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Client,
    Builder(WorkloadSet),
}

impl Owner {
    fn http(self) -> TokenStream {
        match self {
            Owner::Client => quote!(&self.http),
            Owner::Builder(_) => quote!(self.client.http()),
        }
    }

    fn path(self) -> TokenStream {
        match self {
            Owner::Client => quote!(::graph_runtime::RequestPath::root()),
            Owner::Builder(_) => quote!(self.path),
        }
    }

    /// The `cfg` of a method compiled with any of `workloads`, and, when its owner can be
    /// compiled without it, the stand-in whose call fails naming the features (see
    /// [`features::disabled_stub`]). Nothing when the method is compiled whenever its owner is.
    fn gate(
        self,
        workloads: WorkloadSet,
        method: &syn::Ident,
        arguments: usize,
    ) -> (TokenStream, TokenStream) {
        if self.always_has(workloads) {
            return (TokenStream::new(), TokenStream::new());
        }
        (
            types::gate(workloads),
            features::disabled_stub(workloads, method, arguments),
        )
    }

    /// Whether a method compiled with any of `workloads` exists whenever its owner does.
    fn always_has(self, workloads: WorkloadSet) -> bool {
        match self {
            Owner::Client => false,
            Owner::Builder(owner) => workloads.is_superset(owner),
        }
    }
}

/// The workload sets of every method that has a stand-in for when it is compiled out: each
/// needs its trait in `features.rs`.
pub fn stub_workload_sets(api: &Api) -> BTreeSet<WorkloadSet> {
    fn walk(node: &Node<'_>, owner: Owner, sets: &mut BTreeSet<WorkloadSet>) {
        let methods = node
            .operations
            .iter()
            .chain(&node.actions)
            .map(|operation| WorkloadSet::single(operation.workload()))
            .chain(node.children.values().map(|child| child.workloads));
        sets.extend(methods.filter(|workloads| !owner.always_has(*workloads)));
        for child in node.children.values().filter(|child| child.alias.is_none()) {
            walk(child, Owner::Builder(child.workloads), sets);
        }
    }
    let mut sets = BTreeSet::new();
    walk(&tree(api), Owner::Client, &mut sets);
    sets
}

/// The per-version `Client`: the entry point whose methods are the first path segments.
pub fn client(api: &Api) -> TokenStream {
    let root = tree(api);
    let base_url = &api.base_url;
    let version = &api.version;
    let version_module = format_ident!("{}", api.module);
    let requests_module = quote!(crate::#version_module::requests::);
    let mut scope = names::Scope::default();
    for reserved in CLIENT_RESERVED {
        scope.claim(reserved.to_string());
    }
    let methods = methods(api, &root, &mut scope, &requests_module, Owner::Client);
    let doc = format!(" A client for Microsoft Graph `{version}`.");
    quote! {
        #[doc = #doc]
        ///
        /// Cheap to clone: clones share one connection pool, token provider and retry policy.
        #[derive(Debug, Clone)]
        pub struct Client {
            http: ::graph_runtime::HttpClient,
        }

        impl Client {
            /// The service root this version is served from, on the global cloud.
            pub const BASE_URL: &'static str = #base_url;

            /// The API version this client calls: the last segment of every cloud's base URL.
            pub const VERSION: &'static str = #version;

            /// A client for the global Graph service, with the runtime's default retry policy
            /// and its 100-second timeout per attempt (`graph_runtime::DEFAULT_TIMEOUT`).
            pub fn new(tokens: impl ::graph_runtime::TokenProvider + 'static) -> ::core::result::Result<Self, ::graph_runtime::Error> {
                Self::with_base_url(Self::BASE_URL, tokens)
            }

            /// A client for the Graph service of `cloud` (`{graph}/` + [`Self::VERSION`]). Sign in
            /// to the same cloud: a provider's `.cloud(cloud)` asks that cloud's authority for a
            /// token for that cloud's Graph; a token of another cloud is refused.
            ///
            /// | cloud | base URL |
            /// |---|---|
            /// | `Global` | `https://graph.microsoft.com` |
            /// | `UsGovL4` | `https://graph.microsoft.us` |
            /// | `UsGovL5` (DoD) | `https://dod-graph.microsoft.us` |
            /// | `China` (21Vianet) | `https://microsoftgraph.chinacloudapi.cn` |
            pub fn for_cloud(
                cloud: ::graph_runtime::NationalCloud,
                tokens: impl ::graph_runtime::TokenProvider + 'static,
            ) -> ::core::result::Result<Self, ::graph_runtime::Error> {
                Self::with_base_url(cloud.base_url(Self::VERSION), tokens)
            }

            /// A client for another service root: a proxy or a test server.
            pub fn with_base_url(
                base_url: impl ::core::convert::Into<::std::string::String>,
                tokens: impl ::graph_runtime::TokenProvider + 'static,
            ) -> ::core::result::Result<Self, ::graph_runtime::Error> {
                ::core::result::Result::Ok(Self {
                    http: ::graph_runtime::HttpClient::new(base_url, tokens)?,
                })
            }

            /// A client over an HTTP client configured by the caller (retries, timeouts, a
            /// reqwest client: see [`HttpClient::builder`](::graph_runtime::HttpClient::builder)).
            pub fn from_http(http: ::graph_runtime::HttpClient) -> Self {
                Self { http }
            }

            /// The underlying HTTP client, for requests the builders do not cover.
            pub fn http(&self) -> &::graph_runtime::HttpClient {
                &self.http
            }

            #(#methods)*
        }
    }
}

/// The Rust names of a node's methods: its calls, its children's accessors (in the children's
/// order) and its actions. Calls claim first so `get`/`list`... keep their plain names.
struct MethodNames {
    operations: Vec<String>,
    children: Vec<String>,
    actions: Vec<String>,
}

fn method_names(node: &Node<'_>, scope: &mut names::Scope) -> MethodNames {
    let wanted = distinct_call_names(node);
    let (operations, actions) = wanted.split_at(node.operations.len());
    MethodNames {
        operations: operations
            .iter()
            .map(|name| scope.claim(name.clone()).0)
            .collect(),
        children: node
            .children
            .values()
            .map(|child| accessor_name(child, scope))
            .collect(),
        actions: actions
            .iter()
            .map(|name| scope.claim(name.clone()).0)
            .collect(),
    }
}

/// The names a node's calls (then its actions) want. Calls that want one name are told apart
/// by what sets them apart, not by a number a user would have to guess: a function's
/// arguments (`get_email_activity_user_detail_with_date`, `…_with_period`) or the query a
/// variant fixes (`list_with_include_hidden_folders`); the one with neither keeps the name.
fn distinct_call_names(node: &Node<'_>) -> Vec<String> {
    let calls: Vec<&Operation> = node
        .operations
        .iter()
        .chain(&node.actions)
        .copied()
        .collect();
    let mut wanting: BTreeMap<String, usize> = BTreeMap::new();
    for operation in &calls {
        *wanting.entry(operation.rust_name.clone()).or_default() += 1;
    }
    // A child's accessor wants its segment's name too (`…/root/delta` beside `delta(token=…)`).
    for child in node.children.values() {
        if let Some(PathPart::Static { segment } | PathPart::Function { name: segment, .. }) =
            child.part
        {
            *wanting.entry(names::snake(segment)).or_default() += 1;
        }
    }
    calls
        .iter()
        .map(|operation| {
            let name = &operation.rust_name;
            if wanting[name.as_str()] < 2 {
                return name.clone();
            }
            let arguments: Vec<&str> = match operation.path.last() {
                Some(PathPart::Function { arguments, .. }) => arguments
                    .iter()
                    .filter_map(|argument| argument.name.as_deref())
                    .collect(),
                _ => Vec::new(),
            };
            let query: Vec<&str> = operation
                .query
                .iter()
                .map(|pair| pair.name.trim_start_matches('$'))
                .collect();
            let apart: Vec<String> = arguments
                .into_iter()
                .chain(query)
                .map(|part| names::snake(part).trim_start_matches("r#").to_string())
                .filter(|part| !part.is_empty() && !name.ends_with(&format!("_with_{part}")))
                .collect();
            if apart.is_empty() {
                name.clone()
            } else {
                format!("{name}_with_{}", apart.join("_and_"))
            }
        })
        .collect()
}

/// A node's methods: accessors of its children, its calls and its actions, every name unique.
fn methods(
    api: &Api,
    node: &Node<'_>,
    scope: &mut names::Scope,
    module: &TokenStream,
    owner: Owner,
) -> Vec<TokenStream> {
    let names = method_names(node, scope);
    let mut out = Vec::new();
    for (operation, name) in node.operations.iter().zip(&names.operations) {
        out.push(call(api, operation, name, owner, None));
    }
    for (child, name) in node.children.values().zip(&names.children) {
        out.push(accessor(child, name, module, owner));
    }
    for (operation, name) in node.actions.iter().zip(&names.actions) {
        let last = operation.path.last().expect("an action has a segment");
        out.push(call(api, operation, name, owner, Some(last)));
    }
    out
}

/// One method call on the way from the client to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The Rust method name.
    pub method: String,
    /// The path part the method adds (its arguments come from it), if any.
    pub part: Option<PathPart>,
}

/// The ways from the client to the calls: the builders' tree, as the emitted code has it.
pub struct Chains<'a> {
    root: Node<'a>,
}

/// The tree the emitted builders are made from, for [`Chains::along`].
pub fn chains(api: &Api) -> Chains<'_> {
    Chains { root: tree(api) }
}

impl Chains<'_> {
    /// The methods that reach `operation` along `path` (the operation's own, or another form
    /// of it with aliases written the other way): an accessor per part, then the call. Uses
    /// the names the emitted builders have. `None` when no builder has that path.
    pub fn along(&self, operation: &Operation, path: &[PathPart]) -> Option<Vec<Step>> {
        let parts = if operation.action {
            &path[..path.len().checked_sub(1)?]
        } else {
            path
        };
        let mut node = &self.root;
        let mut at_root = true;
        let mut steps = Vec::new();
        for part in parts {
            let names = names_in(node, at_root);
            let key = part.key();
            let position = node.children.keys().position(|child| *child == key)?;
            let child = &node.children[&key];
            // The accessor takes the arguments of the part its node was made from.
            steps.push(Step {
                method: names.children[position].clone(),
                part: child.part.cloned(),
            });
            node = match child.alias {
                Some(alias) => alias_target(node, alias),
                None => child,
            };
            at_root = false;
        }
        let names = names_in(node, at_root);
        // An action is called by name with its own part; any other call on its node.
        let (calls, methods, part) = if operation.action {
            (&node.actions, &names.actions, path.last().cloned())
        } else {
            (&node.operations, &names.operations, None)
        };
        let position = calls
            .iter()
            .position(|candidate| std::ptr::eq(*candidate, operation))?;
        let call = Step {
            method: methods[position].clone(),
            part,
        };
        steps.push(call);
        Some(steps)
    }
}

/// The method names of a node as its emitted builder (or the client, at the root) has them.
fn names_in(node: &Node<'_>, at_root: bool) -> MethodNames {
    let mut scope = names::Scope::default();
    let reserved: &[&str] = if at_root {
        &CLIENT_RESERVED
    } else {
        &BUILDER_RESERVED
    };
    for name in reserved {
        scope.claim(name.to_string());
    }
    method_names(node, &mut scope)
}

/// Method names the client and every builder have besides their endpoints.
const CLIENT_RESERVED: [&str; 6] = [
    "new",
    "for_cloud",
    "with_base_url",
    "from_http",
    "http",
    "builder",
];
const BUILDER_RESERVED: [&str; 2] = ["path", "client"];

/// The method on a parent that returns `node`'s builder.
fn accessor(node: &Node<'_>, method: &str, module: &TokenStream, owner: Owner) -> TokenStream {
    let type_name = format_ident!("{}", node.type_name);
    let (client, lifetime) = match owner {
        Owner::Client => (quote!(self), quote!('_)),
        Owner::Builder(_) => (quote!(self.client), quote!('a)),
    };
    let part = node.part.expect("children always have a part");
    let (parameters, path) = path_step(part, owner.path());
    let method = ident(method);
    let doc = match part {
        _ if let Some(alias) = node.alias => format!(
            " `…/{}`: {}, with every call of `{}`.",
            alias.segment,
            alias.meaning,
            alias.chain()
        ),
        PathPart::Static { segment } if segment == "$ref" => {
            " `…/$ref`: the reference itself rather than the object it points to.".to_string()
        }
        PathPart::Static { segment } if segment == "$value" => {
            " `…/$value`: the raw content.".to_string()
        }
        PathPart::Static { segment } if segment == "$count" => {
            " `…/$count`: the number of items.".to_string()
        }
        PathPart::Static { segment } if is_cast(segment) => format!(
            " `…/{segment}`: only the items of type `{}`.",
            cast_type(segment)
        ),
        PathPart::Static { segment } => format!(" `…/{segment}`"),
        PathPart::Parameter {
            graph_name,
            alternatives,
            ..
        } => {
            let mut doc = format!(" The item `{{{graph_name}}}`");
            if !alternatives.is_empty() {
                doc.push_str(&format!(" (or its {})", alternatives.join(" or ")));
            }
            doc.push_str(". The value is percent-encoded as one path segment.");
            doc
        }
        PathPart::Function { .. } => {
            let mut template = String::new();
            part.write_template(&mut template);
            format!(" `…/{template}`: arguments are written as OData literals.")
        }
        PathPart::ItemPath { graph_name, .. } => format!(
            " `…:/{{{graph_name}}}:`: the item at a path relative to this one; each segment of the path is percent-encoded."
        ),
    };
    let (gate, stub) = owner.gate(node.workloads, &method, parameters.len());
    quote! {
        #[doc = #doc]
        #gate
        #[inline]
        pub fn #method(&self, #(#parameters),*) -> #module #type_name<#lifetime> {
            #module #type_name {
                client: #client,
                path: #path,
                marker: ::core::marker::PhantomData,
            }
        }
        #stub
    }
}

/// The parameters a path part takes and the expression that extends `base` with it.
fn path_step(part: &PathPart, base: TokenStream) -> (Vec<TokenStream>, TokenStream) {
    match part {
        PathPart::Static { segment } => (Vec::new(), quote!(#base.segment(#segment))),
        PathPart::Parameter {
            graph_name,
            rust_name,
            ..
        } => {
            let parameter = ident(rust_name);
            (
                vec![quote!(#parameter: &str)],
                quote!(#base.parameter(#graph_name, #parameter)),
            )
        }
        PathPart::Function { name, arguments } => {
            let mut parameters = Vec::new();
            let mut written = Vec::new();
            for argument in arguments {
                let label = argument.name.clone().unwrap_or_default();
                match &argument.value {
                    ArgumentValue::Parameter {
                        rust_name, quoted, ..
                    } => {
                        let parameter = ident(rust_name);
                        if *quoted {
                            parameters.push(quote!(#parameter: &str));
                        } else {
                            parameters.push(
                                quote!(#parameter: impl ::graph_runtime::query::ODataLiteral),
                            );
                        }
                        written.push(quote!((#label, &#parameter)));
                    }
                    ArgumentValue::Fixed { literal } => {
                        written
                            .push(quote!((#label, &::graph_runtime::query::RawLiteral(#literal))));
                    }
                }
            }
            (parameters, quote!(#base.function(#name, &[#(#written),*])))
        }
        PathPart::ItemPath {
            graph_name,
            rust_name,
        } => {
            let parameter = ident(rust_name);
            (
                vec![quote!(#parameter: &str)],
                quote!(#base.item_path(#graph_name, #parameter)),
            )
        }
    }
}

/// The accessor's method name: the segment in snake case, `item` for a parameter.
fn accessor_name(node: &Node<'_>, scope: &mut names::Scope) -> String {
    let wanted = match node.part.expect("children always have a part") {
        PathPart::Static { segment } => match segment.as_str() {
            "$ref" => "reference".to_string(),
            "$value" => "value".to_string(),
            "$count" => "count".to_string(),
            _ if is_cast(segment) => format!("as_{}", names::snake(cast_type(segment))),
            _ => names::snake(segment),
        },
        PathPart::Parameter { .. } => "item".to_string(),
        PathPart::Function { name, arguments } => {
            let plain = names::snake(name.rsplit('.').next().unwrap_or(name));
            let plain = plain.trim_start_matches("r#").to_string();
            // Overloads (`range()`, `range(address=…)`) are told apart by their arguments.
            let named: Vec<&str> = arguments
                .iter()
                .filter_map(|argument| argument.name.as_deref())
                .collect();
            if scope.is_taken(&plain) && !named.is_empty() {
                let with = named
                    .iter()
                    .map(|name| names::snake(name).trim_start_matches("r#").to_string())
                    .collect::<Vec<_>>()
                    .join("_and_");
                format!("{plain}_with_{with}")
            } else {
                plain
            }
        }
        PathPart::ItemPath { .. } => "by_path".to_string(),
    };
    let wanted = wanted.trim_start_matches("r#").to_string();
    scope.claim(wanted).0
}

fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name)
        .unwrap_or_else(|_| format_ident!("{}_", name.trim_start_matches("r#")))
}

/// The `requests` module of a version: the one builder type, an alias of it per path with
/// that path's calls, and the aliases' markers.
///
/// One generic `Node` rather than a struct per path: its `Debug`, `Clone`, `path()` and
/// `client()` are written once instead of once per builder (1,726 builders in v1.0), which cut
/// the crate's check by about 1.5 s of CPU and 0.15 GiB (BENCHMARKS.md, issue 20). Users still
/// name and read each builder by its alias, whose rustdoc page lists that builder's calls.
pub fn requests(api: &Api) -> TokenStream {
    let root = tree(api);
    let mut builders = Vec::new();
    let mut markers = Vec::new();
    collect_builders(api, &root, &mut builders, &mut markers);
    let doc = format!(
        " Request builders for Microsoft Graph `{}`. Start from [`super::Client`].",
        api.version
    );
    quote! {
        #![doc = #doc]

        /// A request builder: the path so far and the client it will be sent with.
        ///
        /// Every builder of this version is a `Node`, named by an alias (`…Request`) whose page
        /// lists the calls of its path; `M` is that alias's marker from [`markers`].
        pub struct Node<'a, M> {
            pub(super) client: &'a super::Client,
            pub(super) path: ::graph_runtime::RequestPath,
            pub(super) marker: ::core::marker::PhantomData<fn() -> M>,
        }

        impl<'a, M> Node<'a, M> {
            /// The encoded path so far, for calls the builders do not cover (send it with
            /// [`super::Client::http`]).
            pub fn path(&self) -> ::core::result::Result<&str, ::graph_runtime::Error> {
                self.path.as_str()
            }

            /// The client this request will be sent with.
            pub fn client(&self) -> &'a super::Client {
                self.client
            }
        }

        // Written rather than derived: a derive would ask `M: Clone`.
        impl<M> ::core::clone::Clone for Node<'_, M> {
            fn clone(&self) -> Self {
                Node {
                    client: self.client,
                    path: self.path.clone(),
                    marker: ::core::marker::PhantomData,
                }
            }
        }

        /// Shows the builder's alias (`UsersRequest { client: …, path: … }`), as a derive on
        /// a struct of that name would.
        impl<M> ::core::fmt::Debug for Node<'_, M> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let marker = ::core::any::type_name::<M>();
                let name = marker.rsplit("::").next().unwrap_or(marker);
                f.debug_struct(name)
                    .field("client", &self.client)
                    .field("path", &self.path)
                    .finish()
            }
        }

        #(#builders)*

        /// The markers that make each builder alias its own type: one uninhabited type per path.
        pub mod markers {
            #(#markers)*
        }
    }
}

fn collect_builders(
    api: &Api,
    node: &Node<'_>,
    out: &mut Vec<TokenStream>,
    markers: &mut Vec<TokenStream>,
) {
    for child in node.children.values().filter(|child| child.alias.is_none()) {
        out.push(builder(api, child));
        let marker = format_ident!("{}", child.type_name);
        let doc = format!(" Marks the builder of `{}`.", child.template);
        markers.push(quote! {
            #[doc = #doc]
            pub enum #marker {}
        });
        collect_builders(api, child, out, markers);
    }
}

fn builder(api: &Api, node: &Node<'_>) -> TokenStream {
    let type_name = format_ident!("{}", node.type_name);
    let mut doc = format!(" Requests under `{}`.", node.template);
    for alias in &node.aliased_as {
        let under = if alias.starts_a_path() { "" } else { "…" };
        doc.push_str(&format!(
            " `{}()` returns it too, for {}: its calls are then sent under `{under}/{}`.",
            alias.segment, alias.meaning, alias.segment
        ));
    }
    let mut scope = names::Scope::default();
    for reserved in BUILDER_RESERVED {
        scope.claim(reserved.to_string());
    }
    let methods = methods(
        api,
        node,
        &mut scope,
        &TokenStream::new(),
        Owner::Builder(node.workloads),
    );
    let gate = types::gate(node.workloads);
    quote! {
        #[doc = #doc]
        #gate
        pub type #type_name<'a> = Node<'a, markers::#type_name>;

        #gate
        impl<'a> #type_name<'a> {
            #(#methods)*
        }
    }
}

/// One endpoint: a method returning the request, ready for options and `.await`.
/// `action` is the operation's last part when it is called by name on its parent.
///
/// `#[inline]`, as are the accessors: such a method is compiled to machine code in the crate
/// that calls it, never in this one, so the client's build no longer generates code for 3,300
/// endpoints and the JSON serialisation of every body they send; an application pays for the
/// calls it makes. v1.0 `cargo build --release --all-features`: 84 s to 22 s of CPU
/// (BENCHMARKS.md, issue 20).
fn call(
    api: &Api,
    operation: &Operation,
    name: &str,
    owner: Owner,
    action: Option<&PathPart>,
) -> TokenStream {
    let method_name = ident(name);
    let method = format_ident!("{}", operation.method.as_str());
    let mut docs = call_docs(operation);
    if operation
        .response
        .field_type()
        .is_some_and(|field_type| api.carries_evolvable_enums(field_type))
    {
        // Before the source line, which stays last.
        docs.insert(
            docs.len() - 1,
            "The response holds evolvable enums: `.include_unknown_enum_members()` asks for \
             their members newer than `unknownFutureValue`."
                .to_string(),
        );
    }
    let docs = doc_attrs(&docs);

    let base = owner.path();
    let (mut parameters, path) = match action {
        Some(part) => path_step(part, base),
        None => (Vec::new(), quote!(#base.clone())),
    };

    let mut chain = Vec::new();
    for pair in &operation.query {
        let key = &pair.name;
        if pair.parameters.is_empty() {
            let value = &pair.value;
            chain.push(quote!(.fixed_query(#key, #value)));
        } else {
            // `{placeholder}` → `{}`, other braces escaped, for `format!`. A placeholder in
            // quotes (`'{id}'`, an OData string) takes the value as a literal: quoted, `'`
            // doubled.
            let mut format_string = pair.value.replace('{', "\u{1}").replace('}', "\u{2}");
            let mut values = Vec::new();
            for (placeholder, rust_name) in &pair.parameters {
                let value = ident(rust_name);
                parameters.push(quote!(#value: &str));
                let quoted = format!("'\u{1}{placeholder}\u{2}'");
                if format_string.contains(&quoted) {
                    format_string = format_string.replacen(&quoted, "\u{3}", 1);
                    values
                        .push(quote!(::graph_runtime::query::ODataLiteral::odata_literal(#value)));
                } else {
                    format_string =
                        format_string.replacen(&format!("\u{1}{placeholder}\u{2}"), "\u{3}", 1);
                    values.push(quote!(#value));
                }
            }
            let format_string = format_string
                .replace('\u{1}', "{{")
                .replace('\u{2}', "}}")
                .replace('\u{3}', "{}");
            chain.push(quote!(.query(#key, ::std::format!(#format_string, #(#values),*))));
        }
    }
    match &operation.body {
        Body::None => {}
        Body::Model { path } => {
            let ty = types::type_path(api, path);
            parameters.push(quote!(body: &#ty));
            chain.push(quote!(.json_body(body)));
        }
        Body::Json => {
            parameters.push(quote!(body: &::serde_json::Value));
            chain.push(quote!(.json_body(body)));
        }
        Body::Reference => {
            parameters.push(quote!(body: &::graph_runtime::Reference));
            chain.push(quote!(.json_body(body)));
        }
        Body::Bytes => {
            parameters.push(quote!(content_type: &str));
            parameters.push(quote!(body: impl ::core::convert::Into<::std::vec::Vec<u8>>));
            chain.push(quote!(.bytes_body(content_type, body)));
        }
    }
    for (name, value) in &operation.sends_headers {
        chain.push(quote!(.header(#name, #value)));
    }
    let kind = response_kind(api, operation);
    let options = match &operation.query_set {
        Some(path) if path.is_runtime() => quote!(, ::graph_runtime::query::AnyOptions),
        Some(path) => {
            let path = types::type_path(api, path);
            quote!(, #path)
        }
        None => quote!(),
    };
    let http = owner.http();
    let (gate, stub) = owner.gate(
        WorkloadSet::single(operation.workload()),
        &method_name,
        parameters.len(),
    );
    quote! {
        #docs
        #gate
        #[inline]
        pub fn #method_name(&self, #(#parameters),*) -> ::graph_runtime::Request<#kind #options> {
            ::graph_runtime::Request::new(#http, ::graph_runtime::Method::#method, #path)
                #(#chain)*
        }
        #stub
    }
}

fn response_kind(api: &Api, operation: &Operation) -> TokenStream {
    let (response, action) = (&operation.response, operation.action);
    match response {
        Response::NoContent => quote!(::graph_runtime::NoContent),
        // An action's result may come wrapped in `{"value": …}`, and a primitive or enum
        // always does (`GET …/mailboxSettings/timeZone`).
        Response::Json { body, .. }
            if action
                || matches!(
                    body,
                    FieldType::Primitive { .. } | FieldType::Enum { .. } | FieldType::Flags { .. }
                ) =>
        {
            let body = types::field_type(api, body, types::Position::Response);
            quote!(::graph_runtime::ActionResult<#body>)
        }
        Response::Json { body, .. } if operation.result_is_optional() => {
            let body = types::field_type(api, body, types::Position::Response);
            quote!(::graph_runtime::Json<::core::option::Option<#body>>)
        }
        Response::Json { body, .. } => {
            let body = types::field_type(api, body, types::Position::Response);
            quote!(::graph_runtime::Json<#body>)
        }
        Response::Collection { item } => {
            let item = types::field_type(api, item, types::Position::Response);
            quote!(::graph_runtime::Collection<#item>)
        }
        Response::Accepted => quote!(::graph_runtime::Accepted),
        Response::Redirect => quote!(::graph_runtime::Redirect),
        Response::Bytes => quote!(::graph_runtime::Bytes),
        Response::Count => quote!(::graph_runtime::CountValue),
        Response::Delta { item } => {
            let item = types::field_type(api, item, types::Position::Response);
            quote!(::graph_runtime::Delta<#item>)
        }
        Response::UploadSession => quote!(::graph_runtime::Json<::graph_runtime::UploadSession>),
    }
}

/// The rustdoc of an endpoint: what it does, the request line, what it returns, the least
/// privileged permission of each kind, the options and headers it documents.
fn call_docs(operation: &Operation) -> Vec<String> {
    let mut docs = operation.docs.clone();
    docs.push(match &operation.response {
        Response::NoContent => "Returns nothing on success (`204 No Content`).".to_string(),
        Response::Json { status: 201, .. } => {
            "Returns the created object (`201 Created`).".to_string()
        }
        Response::Json {
            body: FieldType::Json,
            ..
        } => "Returns JSON the docs do not type.".to_string(),
        Response::Json { .. } if operation.result_is_optional() => {
            "Returns the changed object (`200 OK`), or `None` when the service answers `204 No \
             Content`, as it does unless asked for the object with the header `Prefer: \
             return=representation`."
                .to_string()
        }
        Response::Json { .. } => "Returns the object (`200 OK`).".to_string(),
        Response::Collection { .. } => "Returns a page of the collection; `.stream()` follows \
             `@odata.nextLink` through every page."
            .to_string(),
        Response::Accepted => {
            "Returns `202 Accepted` with the `Location` of the work the service started."
                .to_string()
        }
        Response::Redirect => {
            "Returns the redirect's target (`302 Found`) without following it.".to_string()
        }
        Response::Bytes => "Returns the content as a byte stream; a redirect to a download URL \
             is followed without sending the token there."
            .to_string(),
        Response::Count => "Returns the count.".to_string(),
        Response::Delta { .. } => "Returns one page of a delta round; `.round()` reads the whole \
             round up to its delta link, and `.resume(&link)` starts the next round from it."
            .to_string(),
        Response::UploadSession => "Returns the upload session; \
             `session.upload(client.http(), source)` sends the file through it in chunks."
            .to_string(),
    });
    if let Some(permissions) = permissions_doc(&operation.permissions) {
        docs.push(permissions);
    }
    for include in &operation.missing_permission_includes {
        docs.push(format!(
            "Permissions: the docs keep them in `{include}`, which is not in the specs tree."
        ));
    }
    if !operation.query_options.is_empty() {
        let options: Vec<String> = operation
            .query_options
            .iter()
            .map(|option| format!("`{option}`"))
            .collect();
        docs.push(format!("Query options: {}.", options.join(", ")));
    }
    if !operation.headers.is_empty() {
        let headers: Vec<String> = operation
            .headers
            .iter()
            .map(|header| {
                let value = header.value.trim();
                if value.is_empty() {
                    format!("`{}`", header.name)
                } else {
                    format!("`{}` ({})", header.name, value.trim_end_matches('.'))
                }
            })
            .collect();
        docs.push(format!(
            "Request headers the docs describe (set them with `.header(…)`): {}.",
            headers.join("; ")
        ));
    }
    docs.push(format!(
        "Source: `{}`, line {}.",
        operation.source.file, operation.source.line
    ));
    docs
}

/// "Least privileged permission: delegated (work or school account) `A`; application `B`."
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
            let who = match &permission.resource {
                Some(resource) => format!("{who} on {resource}"),
                None => who,
            };
            let quoted = |scopes: &[String]| {
                scopes
                    .iter()
                    .map(|scope| format!("`{scope}`"))
                    .collect::<Vec<_>>()
            };
            match (quoted(permission.least()), quoted(permission.higher())) {
                (least, _) if least.is_empty() => format!("{who}: not supported"),
                (least, higher) if higher.is_empty() => format!("{who}: {}", least.join(" or ")),
                (least, higher) => format!(
                    "{who}: {} (or, more privileged: {})",
                    least.join(" or "),
                    higher.join(", ")
                ),
            }
        })
        .collect();
    Some(format!(
        "Least privileged permissions: {}.",
        parts.join("; ")
    ))
}
