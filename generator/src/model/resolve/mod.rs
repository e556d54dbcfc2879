//! Cross-page resolution: links and bare names to definitions, inheritance, polymorphic
//! bases, enums inferred from "Possible values" text, operations attached to paths, Rust names
//! decided once.
//!
//! `resolve` runs the steps in order over one `Resolver`, whose methods live with their
//! step. The types: `definitions` (collecting the pages' types, looking names up), `enums`,
//! `rust_names`, `areas`, `inheritance` (bases and polymorphic enums), `fields`. The
//! operations: `operations`, `endpoint_pages` (which page an endpoint documented on several
//! is generated from), `paths`, `actions`, `bodies` (request bodies and responses).

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::names;
use crate::page::{Includes, ParsedPage};

// The types: what the pages define, what each is called in Rust and where it lives, what it
// inherits, its fields.
mod areas;
mod definitions;
mod enums;
mod fields;
mod inheritance;
mod rust_names;

// The operations: which page an endpoint is generated from, its path, whether it is an
// action, what it sends and returns.
mod actions;
mod bodies;
mod endpoint_pages;
mod operations;
mod paths;
mod permissions;

use definitions::Definition;
pub use definitions::{file_stem, namespace_of};
use enums::{enum_members, evolvable_members};

struct Resolver<'p> {
    definitions: BTreeMap<String, Definition<'p>>,
    /// Lowercased file stem → definition key, for links.
    files: BTreeMap<String, String>,
    /// Lowercased bare name → definition keys, for unqualified names.
    bare: BTreeMap<String, Vec<String>>,
    /// Definition key → its Rust type path.
    paths: BTreeMap<String, TypePath>,
    /// Definition key → key of the type it inherits from.
    bases: BTreeMap<String, String>,
    /// Base key → every key derived from it, directly or not.
    derived: BTreeMap<String, BTreeSet<String>>,
    /// Base keys that need a polymorphic enum, with the enum's Rust path.
    polymorphic: BTreeMap<String, TypePath>,
    /// Enum keys whose members are flags.
    flags: BTreeSet<String>,
    /// (resource page file, lowercased property name) → the key of the enum that page
    /// tabulates the property's values in.
    tabulated: BTreeMap<(String, String), String>,
    /// (file stem of a resource page, lowercased table name) → the key of the enum its
    /// `### x values` table defines: the target of links such as `user.md#agegroup-values`.
    value_tables: BTreeMap<(String, String), String>,
    diagnostics: Vec<Diagnostic>,
}

/// Resolves the pages of one version. `version` is `beta` or `v1.0`; `includes` are the
/// include files of the specs tree (by path from its root) the pages may point to.
pub fn resolve(version: &str, pages: &[ParsedPage], includes: &Includes) -> (Api, Vec<Diagnostic>) {
    let mut pages: Vec<&ParsedPage> = pages.iter().collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    let mut resolver = Resolver {
        definitions: BTreeMap::new(),
        files: BTreeMap::new(),
        bare: BTreeMap::new(),
        paths: BTreeMap::new(),
        bases: BTreeMap::new(),
        derived: BTreeMap::new(),
        polymorphic: BTreeMap::new(),
        flags: BTreeSet::new(),
        tabulated: BTreeMap::new(),
        value_tables: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    resolver.collect_definitions(&pages);
    resolver.infer_enums(&pages);
    resolver.assign_names();
    resolver.link_bases();
    resolver.choose_polymorphic(&pages);

    let mut models = Vec::new();
    let mut enums = Vec::new();
    let keys: Vec<String> = resolver.definitions.keys().cloned().collect();
    for key in &keys {
        let definition = resolver.definitions[key].clone();
        let path = resolver.paths[key].clone();
        match definition {
            Definition::Resource {
                page,
                resource,
                graph_name,
            } => {
                let fields = resolver.inherited_fields(key);
                let base = resolver
                    .bases
                    .get(key)
                    .map(|base| resolver.paths[base].clone());
                // A type with fields of its own is not a dictionary, whatever it inherits.
                let dictionary = fields
                    .is_empty()
                    .then(|| resolver.dictionary_values(key))
                    .flatten();
                models.push(Model {
                    dictionary,
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    role: ModelRole::Resource,
                    odata_type: resource
                        .odata_type
                        .as_deref()
                        .map(|odata| odata.trim_start_matches('#').to_string()),
                    base,
                    docs: docs_from(page.summary.as_deref()),
                    fields,
                    open_type: resource.open_type,
                    carries_evolvable_enums: false,
                    source: Source {
                        file: page.file.clone(),
                        line: 1,
                    },
                });
            }
            Definition::FromBody {
                page,
                graph_name,
                line,
                ..
            } => {
                let fields = resolver.inherited_fields(key);
                models.push(Model {
                    dictionary: None,
                    odata_type: Some(format!("{}.{graph_name}", namespace_of(page))),
                    base: None,
                    docs: vec![format!(
                        "A `{graph_name}` as the service returns it. The specs have no resource page for it: \
                         its properties come from the request-body table of `{}`.",
                        page.file
                    )],
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    role: ModelRole::Resource,
                    fields,
                    open_type: false,
                    carries_evolvable_enums: false,
                    source: Source {
                        file: page.file.clone(),
                        line,
                    },
                });
            }
            Definition::Enum {
                page,
                def,
                graph_name,
                tabulated_in,
            } => {
                let members = enum_members(
                    def.members
                        .iter()
                        .map(|member| (member.name.as_str(), member.description.as_str())),
                );
                let docs = match &tabulated_in {
                    // The page's summary is its resource's, not this enum's.
                    Some(resource) => vec![format!(
                        "The values of `{}` on `{resource}`, as its page tabulates them.",
                        def.name
                    )],
                    None => docs_from(page.summary.as_deref()),
                };
                let (evolvable, newer_members) = evolvable_members(&members);
                enums.push(Enum {
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    docs,
                    members,
                    inferred: false,
                    flags: resolver.flags.contains(key),
                    evolvable,
                    newer_members,
                    source: Source {
                        file: page.file.clone(),
                        line: def.line,
                    },
                });
            }
            Definition::InferredEnum {
                page,
                graph_name,
                values,
                property,
                line,
            } => {
                let members = enum_members(values.iter().map(|value| (value.as_str(), "")));
                let (evolvable, newer_members) = evolvable_members(&members);
                enums.push(Enum {
                    docs: vec![format!(
                        "Values of `{property}`. The specs have no page for `{graph_name}`: the values are \
                         read from the property's description in `{}`.",
                        page.file
                    )],
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    members,
                    inferred: true,
                    flags: false,
                    evolvable,
                    newer_members,
                    source: Source {
                        file: page.file.clone(),
                        line,
                    },
                });
            }
        }
    }

    let polymorphic = resolver.polymorphic_enums();
    let mut operations = resolver.operations(&pages, &mut models, includes);
    super::casts::add_casts_examples_use(&mut operations, &pages, &polymorphic);
    super::count::add_count_endpoints(&mut operations, &pages);
    super::aliases::merge_aliased_calls(&mut operations);
    models.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    enums.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    let api = Api {
        version: version.to_string(),
        module: names::snake(version),
        base_url: format!("https://graph.microsoft.com/{version}"),
        models,
        enums,
        polymorphic,
        operations,
        selectors: Vec::new(),
        query_sets: Vec::new(),
        examples: Vec::new(),
        type_workloads: TypeWorkloads::default(),
    };
    let mut api = api;
    // The examples first: the options they use are options the endpoint offers.
    api.examples = super::examples::match_examples(&api, &pages, &mut resolver.diagnostics);
    super::query::add_options_examples_use(&mut api);
    super::query::attach_query_types(&mut api);
    let page_areas: BTreeMap<&str, String> = pages
        .iter()
        .map(|page| (page.file.as_str(), resolver.area_of(page)))
        .collect();
    super::workloads::assign(&mut api, &|file| page_areas.get(file).cloned());
    super::evolvable::mark_carriers(&mut api);
    (api, resolver.diagnostics)
}

fn docs_from(text: Option<&str>) -> Vec<String> {
    text.map(|text| vec![text.to_string()]).unwrap_or_default()
}

impl<'p> Resolver<'p> {
    fn report(&mut self, code: Code, file: &str, line: usize, message: String) {
        let at = Location {
            file: file.to_string(),
            line: line.max(1),
            column: 1,
        };
        self.diagnostics.push(Diagnostic::new(code, at, message));
    }
}
