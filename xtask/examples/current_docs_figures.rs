//! The figures per kind of today's docs forms (issue 17) that FIDELITY.md quotes, measured on
//! the model a tree of pages resolves to:
//!
//! ```sh
//! cargo run -q -p xtask --example current_docs_figures -- ../shared/graph-docs-current
//! ```
//!
//! The corpus counts (pages, include files) come from `cargo xtask corpus`, the examples
//! figures from `cargo xtask examples`; this prints what only the resolved model knows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use graph_codegen::diagnostics::Code;
use graph_codegen::emit::EmitOptions;
use graph_codegen::model::{Api, Body};
use graph_codegen::page::HttpMethod;

fn main() {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: current_docs_figures DOCS_DIR");
        std::process::exit(2);
    };
    let options = EmitOptions {
        runtime_path: "../runtime".into(),
        standalone: true,
    };
    let generation = match graph_codegen::generate(&root, &options) {
        Ok(generation) => generation,
        Err(error) => {
            eprintln!("{}: {error}", root.display());
            std::process::exit(1);
        }
    };
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in &generation.diagnostics {
        *codes.entry(diagnostic.code.as_str()).or_default() += 1;
    }
    println!("diagnostics by code: {codes:?}");
    let missing_includes = generation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::IncludeMissing)
        .count();
    println!("missing permission includes (M0010): {missing_includes}");
    prose_values(&root);
    for api in &generation.apis {
        println!("{}:", api.version);
        permissions(&root, api);
        bodies(api);
        enums(api);
        filters(api);
        let dictionaries = api.models.iter().filter(|m| m.dictionary.is_some()).count();
        let required_queries = api
            .operations
            .iter()
            .filter(|o| o.query.iter().any(|q| q.name.starts_with('$')))
            .count();
        println!("  8 dictionary types: {dictionaries}");
        println!("  7 calls with a required query option as a parameter: {required_queries}");
        println!("  11 areas: {}", api.areas().join(", "));
    }
}

/// Kind 1: endpoints showing permissions, and those whose page's include is in the tree.
fn permissions(root: &std::path::Path, api: &Api) {
    let showing = api
        .operations
        .iter()
        .filter(|o| !o.permissions.is_empty())
        .count();
    let mut from_includes = 0;
    let mut with_every_type = 0;
    let mut includes_missing = 0;
    for operation in &api.operations {
        if !operation.missing_permission_includes.is_empty() {
            includes_missing += 1;
            continue;
        }
        let page = std::fs::read_to_string(root.join(&operation.source.file)).unwrap_or_default();
        if !page.contains("includes/permissions/") {
            continue;
        }
        from_includes += 1;
        let types: BTreeSet<String> = operation
            .permissions
            .iter()
            .map(|p| format!("{:?}", p.permission_type))
            .collect();
        let least_everywhere = operation
            .permissions
            .iter()
            .all(|p| !p.least().is_empty() || p.scopes.is_empty());
        if types.len() == 3 && least_everywhere {
            with_every_type += 1;
        }
    }
    println!(
        "  1 endpoints showing permissions: {showing} of {}; pages' include present: {from_includes} \
         ({with_every_type} show the least privileged permission of all 3 types); include missing: {includes_missing}",
        api.operations.len()
    );
}

/// Kinds 2 and 3: what the calls that send something take.
fn bodies(api: &Api) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let sending = api.operations.iter().filter(|o| {
        matches!(
            o.method,
            HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put
        )
    });
    for operation in sending {
        let kind = match operation.body {
            Body::Model { .. } => "a generated type",
            Body::Json => "JSON",
            Body::Reference => "a reference",
            Body::Bytes => "bytes",
            Body::None => "no body",
        };
        *counts.entry(kind).or_default() += 1;
    }
    println!("  2 POST/PATCH/PUT calls by body: {counts:?}");
}

/// Kinds 5, 6 and 10: enums from value tables, from prose, evolvable ones.
fn enums(api: &Api) {
    let tabulated = api
        .enums
        .iter()
        .filter(|e| {
            e.docs
                .first()
                .is_some_and(|d| d.contains("as its page tabulates"))
        })
        .count();
    let inferred = api.enums.iter().filter(|e| e.inferred).count();
    let evolvable = api.enums.iter().filter(|e| e.evolvable).count();
    let newer: usize = api.enums.iter().map(|e| e.newer_members.len()).sum();
    let carriers = api
        .models
        .iter()
        .filter(|m| m.carries_evolvable_enums)
        .count();
    let offering = api
        .operations
        .iter()
        .filter(|o| {
            o.response
                .field_type()
                .is_some_and(|t| api.carries_evolvable_enums(t))
        })
        .count();
    println!("  5 enums from value tables in resource pages: {tabulated}");
    println!("  6 enums from prose lists: {inferred}");
    println!(
        "  10 evolvable enums: {evolvable} ({newer} members after unknownFutureValue); \
         types holding one: {carriers}; endpoints offering .include_unknown_enum_members(): {offering}"
    );
}

/// Kind 6: property descriptions (resource pages and body tables) whose prose gives values.
fn prose_values(root: &std::path::Path) {
    let files = graph_codegen::read_specs(root).expect("the tree was read once already");
    let mut describing = 0;
    for page in graph_codegen::parse_files(&files)
        .into_iter()
        .filter_map(|result| result.page)
    {
        let resource = page.resource.iter().flat_map(|r| &r.properties);
        let body = page
            .method
            .iter()
            .flat_map(|m| &m.request_body)
            .flat_map(|b| &b.properties);
        describing += resource
            .chain(body)
            .filter(|p| !p.facts.possible_values.is_empty())
            .count();
    }
    println!("6 property descriptions giving their values in prose: {describing}");
}

/// `$filter` operators: properties whose docs list them, typed filter functions offering them.
fn filters(api: &Api) {
    let listed = api
        .models
        .iter()
        .flat_map(|m| &m.fields)
        .filter(|f| !f.filter_operators.is_empty())
        .count();
    let filter_properties = api.selectors.iter().flat_map(|s| &s.filter_properties);
    let (restricted, every): (Vec<_>, Vec<_>) =
        filter_properties.partition(|p| !p.operators.is_empty());
    println!(
        "  $filter: {listed} properties list their operators; typed filter functions: {} offering only those, {} offering every operator",
        restricted.len(),
        every.len()
    );
}
