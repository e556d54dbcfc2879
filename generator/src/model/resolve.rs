//! Cross-page resolution: links and bare names to definitions, inheritance, polymorphic
//! bases, enums inferred from "Possible values" text, operations attached to paths, Rust names
//! decided once.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::names;
use crate::page::{self, MethodPage, PageKind, ParsedPage, Property, Segment, TypeRef};

/// The namespace of types a page does not qualify.
const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// A definition before it has a Rust name, keyed by its lowercased qualified name
/// (`microsoft.graph.callrecords.session`).
#[derive(Debug, Clone)]
enum Definition<'p> {
    Resource {
        page: &'p ParsedPage,
        resource: &'p page::ResourcePage,
        graph_name: String,
    },
    /// A resource the specs have no page for, built from a method page's body table.
    FromBody {
        page: &'p ParsedPage,
        graph_name: String,
        properties: &'p [Property],
        line: usize,
    },
    Enum {
        page: &'p ParsedPage,
        def: &'p page::EnumDef,
    },
    InferredEnum {
        page: &'p ParsedPage,
        graph_name: String,
        values: Vec<String>,
        property: String,
        line: usize,
    },
}

impl<'p> Definition<'p> {
    fn graph_name(&self) -> &str {
        match self {
            Definition::Resource { graph_name, .. }
            | Definition::FromBody { graph_name, .. }
            | Definition::InferredEnum { graph_name, .. } => graph_name,
            Definition::Enum { def, .. } => &def.name,
        }
    }

    fn page(&self) -> &'p ParsedPage {
        match self {
            Definition::Resource { page, .. }
            | Definition::FromBody { page, .. }
            | Definition::Enum { page, .. }
            | Definition::InferredEnum { page, .. } => page,
        }
    }

    fn is_enum(&self) -> bool {
        matches!(
            self,
            Definition::Enum { .. } | Definition::InferredEnum { .. }
        )
    }
}

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
    diagnostics: Vec<Diagnostic>,
}

/// Resolves the pages of one version. `version` is `beta` or `v1.0`.
pub fn resolve(version: &str, pages: &[ParsedPage]) -> (Api, Vec<Diagnostic>) {
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
                models.push(Model {
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
                    source: Source {
                        file: page.file.clone(),
                        line,
                    },
                });
            }
            Definition::Enum { page, def } => {
                let members = enum_members(
                    def.members
                        .iter()
                        .map(|member| (member.name.as_str(), member.description.as_str())),
                );
                enums.push(Enum {
                    graph_name: def.name.clone(),
                    rust_name: path.name,
                    area: path.area,
                    docs: docs_from(page.summary.as_deref()),
                    members,
                    inferred: false,
                    flags: resolver.flags.contains(key),
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
                enums.push(Enum {
                    docs: vec![format!(
                        "Values of `{property}`. The specs have no page for `{graph_name}`: the values are \
                         read from the property's description in `{}`.",
                        page.file
                    )],
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    members: enum_members(values.iter().map(|value| (value.as_str(), ""))),
                    inferred: true,
                    flags: false,
                    source: Source {
                        file: page.file.clone(),
                        line,
                    },
                });
            }
        }
    }

    let polymorphic = resolver.polymorphic_enums();
    let operations = resolver.operations(&pages, &mut models);
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
    };
    (api, resolver.diagnostics)
}

fn docs_from(text: Option<&str>) -> Vec<String> {
    text.map(|text| vec![text.to_string()]).unwrap_or_default()
}

fn enum_members<'a>(members: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<EnumMember> {
    let mut scope = names::Scope::default();
    // `Other` holds unknown values, so no member may take that name.
    scope.claim("Other".to_string());
    let mut seen = BTreeSet::new();
    members
        .filter(|(value, _)| seen.insert(value.to_string()))
        .map(|(value, description)| EnumMember {
            json_value: value.to_string(),
            rust_name: scope.claim(names::pascal(value)).0,
            docs: docs_from((!description.is_empty()).then_some(description)),
        })
        .collect()
}

/// The area (Rust module) of a page: its `ms.prod`; for pages without one, the family prefix
/// of its file name (`intune-…`, `callrecords-…`), else `common`.
fn area_of(page: &ParsedPage) -> String {
    let stem = file_stem(&page.file);
    let prefix = stem.split_once('-').map(|(prefix, _)| prefix);
    let area = page
        .front_matter
        .ms_prod
        .as_deref()
        .map(str::trim)
        .filter(|prod| !prod.is_empty() && *prod != "non-product-specific")
        .or(prefix)
        .unwrap_or("common");
    names::snake(area).trim_start_matches("r#").to_string()
}

/// `../resources/namedLocation.md#x` → `namedlocation`.
fn file_stem(target: &str) -> String {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let name = target.rsplit('/').next().unwrap_or(target);
    name.strip_suffix(".md")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// The namespace a page's types live in.
fn namespace_of(page: &ParsedPage) -> String {
    if let Some(odata) = page
        .resource
        .as_ref()
        .and_then(|resource| resource.odata_type.as_deref())
    {
        let odata = odata.trim_start_matches('#');
        if let Some((namespace, _)) = odata.rsplit_once('.') {
            return namespace.to_string();
        }
    }
    page.namespace
        .as_deref()
        .map(|namespace| namespace.trim().trim_end_matches('.'))
        .filter(|namespace| namespace.starts_with("microsoft."))
        .unwrap_or(DEFAULT_NAMESPACE)
        .to_string()
}

/// `callRecords` from `microsoft.graph.callRecords`: what a clashing name is prefixed with.
fn namespace_tail(namespace: &str) -> &str {
    namespace
        .strip_prefix(DEFAULT_NAMESPACE)
        .map(|rest| rest.trim_start_matches('.'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(namespace)
}

/// Power-of-two member values mark a flags enum (Intune writes them so).
fn is_flags(def: &page::EnumDef) -> bool {
    let values: Vec<i64> = def
        .members
        .iter()
        .filter_map(|member| member.value)
        .collect();
    values.len() == def.members.len()
        && values.len() >= 3
        && values
            .iter()
            .all(|&value| value == 0 || (value > 0 && value & (value - 1) == 0))
        && values.iter().any(|&value| value >= 4)
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

    fn collect_definitions(&mut self, pages: &[&'p ParsedPage]) {
        for page in pages {
            match page.kind {
                PageKind::Resource => {
                    if let Some(resource) = &page.resource
                        && let Some(name) = &resource.name
                    {
                        self.define(
                            &namespace_of(page),
                            name,
                            Definition::Resource {
                                page,
                                resource,
                                graph_name: name.clone(),
                            },
                        );
                    }
                }
                PageKind::Enum => {
                    for def in &page.enums {
                        if !def.name.is_empty() {
                            self.define(
                                &namespace_of(page),
                                &def.name,
                                Definition::Enum { page, def },
                            );
                        }
                    }
                }
                PageKind::Method | PageKind::Conceptual => {}
            }
        }
        // Resources the specs only know from a method page's body table.
        for page in pages {
            let Some(method) = &page.method else { continue };
            let (Some(body), Some(name)) = (&method.request_body, response_name(method)) else {
                continue;
            };
            let named = TypeRef::Named {
                name: name.to_string(),
                target: None,
            };
            if self.lookup(&named, page).is_none() && !body.properties.is_empty() {
                self.define(
                    &namespace_of(page),
                    name,
                    Definition::FromBody {
                        page,
                        graph_name: name.to_string(),
                        properties: &body.properties,
                        line: body.line,
                    },
                );
            }
        }
    }

    fn define(&mut self, namespace: &str, name: &str, definition: Definition<'p>) {
        let bare = name.rsplit('.').next().unwrap_or(name);
        let key = format!("{namespace}.{bare}").to_ascii_lowercase();
        let file = definition.page().file.clone();
        if let Some(existing) = self.definitions.get(&key) {
            let other = existing.page().file.clone();
            self.report(
                Code::DuplicateName,
                &file,
                1,
                format!("`{namespace}.{bare}` is also defined in `{other}`; the first definition is kept"),
            );
            return;
        }
        if matches!(definition, Definition::Enum { def, .. } if is_flags(def)) {
            self.flags.insert(key.clone());
        }
        // Single-type pages are link targets; multi-enum pages are reached by name.
        let single_type_page = match &definition {
            Definition::Resource { .. } => true,
            Definition::Enum { page, .. } => page.enums.len() == 1,
            Definition::FromBody { .. } | Definition::InferredEnum { .. } => false,
        };
        if single_type_page {
            self.files
                .entry(file_stem(&definition.page().file))
                .or_insert_with(|| key.clone());
        }
        self.bare
            .entry(bare.to_ascii_lowercase())
            .or_default()
            .push(key.clone());
        self.definitions.insert(key, definition);
    }

    /// The definition key a type reference points at, if any. Links are exact; bare names
    /// are looked up in the referring page's namespace first, then `microsoft.graph`, then
    /// any namespace.
    fn lookup(&self, type_ref: &TypeRef, from: &ParsedPage) -> Option<String> {
        let TypeRef::Named { name, target } = type_ref else {
            return None;
        };
        if let Some(target) = target.as_deref()
            && let Some(key) = self.files.get(&file_stem(target))
        {
            return Some(key.clone());
        }
        let name = name.trim().trim_start_matches('#');
        if name.contains('.') && self.definitions.contains_key(&name.to_ascii_lowercase()) {
            return Some(name.to_ascii_lowercase());
        }
        let bare = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        let candidates = self.bare.get(&bare)?;
        let local = format!("{}.{bare}", namespace_of(from)).to_ascii_lowercase();
        let default = format!("{DEFAULT_NAMESPACE}.{bare}");
        candidates
            .iter()
            .find(|key| **key == local)
            .or_else(|| candidates.iter().find(|key| **key == default))
            .or_else(|| candidates.first())
            .cloned()
    }

    fn infer_enums(&mut self, pages: &[&'p ParsedPage]) {
        for page in pages {
            let mut properties: Vec<&Property> = Vec::new();
            if let Some(resource) = &page.resource {
                properties.extend(&resource.properties);
            }
            if let Some(method) = &page.method
                && let Some(body) = &method.request_body
            {
                properties.extend(&body.properties);
            }
            for property in properties {
                let named = match &property.type_ref {
                    TypeRef::Collection { item } => item.as_ref(),
                    other => other,
                };
                let TypeRef::Named { name, .. } = named else {
                    continue;
                };
                if property.facts.possible_values.is_empty() {
                    continue;
                }
                match self.lookup(named, page) {
                    Some(key) => self.check_inferred_against_page(&key, page, property),
                    None => self.define(
                        &namespace_of(page),
                        name,
                        Definition::InferredEnum {
                            page,
                            graph_name: name.clone(),
                            values: property.facts.possible_values.clone(),
                            property: property.name.clone(),
                            line: property.line,
                        },
                    ),
                }
            }
        }
    }

    /// A property's "Possible values" and the enum page it links to must agree.
    fn check_inferred_against_page(&mut self, key: &str, page: &ParsedPage, property: &Property) {
        let Some(Definition::Enum {
            def,
            page: enum_page,
        }) = self.definitions.get(key)
        else {
            return;
        };
        let members: BTreeSet<&str> = def
            .members
            .iter()
            .map(|member| member.name.as_str())
            .collect();
        let missing: Vec<&str> = property
            .facts
            .possible_values
            .iter()
            .map(String::as_str)
            .filter(|value| !members.contains(value))
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "`{}` lists {} that the `{}` page (`{}`) does not: {}",
                property.name,
                if missing.len() == 1 {
                    "a value"
                } else {
                    "values"
                },
                def.name,
                enum_page.file,
                missing.join(", ")
            );
            let (file, line) = (page.file.clone(), property.line);
            self.report(Code::EnumMismatch, &file, line, message);
        }
    }

    /// Rust names, unique per version. `microsoft.graph` types are named first so they keep
    /// the plain name; a type of another namespace that clashes is prefixed with its
    /// namespace (`CallRecordsSession`), and the clash is reported.
    fn assign_names(&mut self) {
        let mut scope = names::Scope::default();
        let mut keys: Vec<String> = self.definitions.keys().cloned().collect();
        keys.sort_by_key(|key| {
            let namespace = key.rsplit_once('.').map_or("", |(namespace, _)| namespace);
            (namespace != DEFAULT_NAMESPACE, key.clone())
        });
        for key in keys {
            let definition = &self.definitions[&key];
            let graph_name = definition.graph_name().to_string();
            let area = area_of(definition.page());
            let file = definition.page().file.clone();
            let wanted = names::type_name(&graph_name);
            let (name, renamed) = if scope.is_taken(&wanted) {
                let namespace = namespace_of(definition.page());
                let qualified =
                    names::type_name(&format!("{} {graph_name}", namespace_tail(&namespace)));
                let (name, _) = scope.claim(qualified);
                (name, true)
            } else {
                scope.claim(wanted.clone())
            };
            if renamed {
                self.report(
                    Code::DuplicateName,
                    &file,
                    1,
                    format!("Rust name `{wanted}` is taken by another namespace's type; `{key}` is `{name}`"),
                );
            }
            self.paths.insert(key, TypePath { area, name });
        }
    }

    fn link_bases(&mut self) {
        let keys: Vec<String> = self.definitions.keys().cloned().collect();
        for key in &keys {
            let Definition::Resource { page, resource, .. } = &self.definitions[key] else {
                continue;
            };
            let Some(base_ref) = &resource.base_type else {
                continue;
            };
            let (page, base_ref) = (*page, base_ref.clone());
            match self.lookup(&base_ref, page) {
                Some(base) if base != *key && !self.definitions[&base].is_enum() => {
                    self.bases.insert(key.clone(), base);
                }
                _ => {
                    let name = match &base_ref {
                        TypeRef::Named { name, .. } => name.clone(),
                        other => format!("{other:?}"),
                    };
                    let file = page.file.clone();
                    self.report(
                        Code::UnresolvedType,
                        &file,
                        1,
                        format!("base type `{name}` is not defined by any page; inherited properties are missing"),
                    );
                }
            }
        }
        // Every ancestor learns of every descendant; a cycle in the docs stops the walk.
        for key in &keys {
            let mut seen = BTreeSet::new();
            let mut current = key.clone();
            while let Some(base) = self.bases.get(&current).cloned() {
                if !seen.insert(base.clone()) {
                    break;
                }
                self.derived
                    .entry(base.clone())
                    .or_default()
                    .insert(key.clone());
                current = base;
            }
        }
    }

    /// Base types used as a field type get a polymorphic enum.
    fn choose_polymorphic(&mut self, pages: &[&'p ParsedPage]) {
        let mut used = BTreeSet::new();
        for page in pages {
            let mut properties: Vec<&Property> = Vec::new();
            if let Some(resource) = &page.resource {
                properties.extend(&resource.properties);
                properties.extend(&resource.relationships);
            }
            if let Some(method) = &page.method
                && let Some(body) = &method.request_body
            {
                properties.extend(&body.properties);
            }
            for property in properties {
                let mut type_ref = &property.type_ref;
                while let TypeRef::Collection { item } = type_ref {
                    type_ref = item;
                }
                if let Some(key) = self.lookup(type_ref, page)
                    && self.derived.contains_key(&key)
                {
                    used.insert(key);
                }
            }
        }
        let mut scope = names::Scope::default();
        for path in self.paths.values() {
            scope.claim(path.name.clone());
        }
        for key in used {
            let base = self.paths[&key].clone();
            let (name, _) = scope.claim(format!("Any{}", base.name));
            self.polymorphic.insert(
                key,
                TypePath {
                    area: base.area,
                    name,
                },
            );
        }
    }

    fn odata_type_of(&self, key: &str) -> String {
        match &self.definitions[key] {
            Definition::Resource { resource, .. } => resource
                .odata_type
                .as_deref()
                .map(|odata| odata.trim_start_matches('#').to_string())
                .unwrap_or_else(|| self.qualified_name(key)),
            _ => self.qualified_name(key),
        }
    }

    /// `microsoft.graph.user` with the docs' spelling of the name.
    fn qualified_name(&self, key: &str) -> String {
        let definition = &self.definitions[key];
        format!(
            "{}.{}",
            namespace_of(definition.page()),
            definition.graph_name()
        )
    }

    fn polymorphic_enums(&self) -> Vec<Polymorphic> {
        let mut enums: Vec<Polymorphic> = self
            .polymorphic
            .iter()
            .map(|(key, path)| {
                let mut variants: Vec<PolymorphicVariant> = self.derived[key]
                    .iter()
                    .filter(|derived| {
                        matches!(self.definitions[*derived], Definition::Resource { .. })
                    })
                    .map(|derived| PolymorphicVariant {
                        odata_type: self.odata_type_of(derived),
                        path: self.paths[derived].clone(),
                    })
                    .collect();
                variants.sort_by(|a, b| a.path.name.cmp(&b.path.name));
                Polymorphic {
                    rust_name: path.name.clone(),
                    area: path.area.clone(),
                    base: self.paths[key].clone(),
                    base_odata_type: self.odata_type_of(key),
                    variants,
                }
            })
            .collect();
        enums.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
        enums
    }

    fn field_type(&mut self, type_ref: &TypeRef, page: &ParsedPage, line: usize) -> FieldType {
        match type_ref {
            TypeRef::Primitive { primitive } => match primitive {
                Primitive::Json | Primitive::Stream => FieldType::Json,
                primitive => FieldType::Primitive {
                    primitive: *primitive,
                },
            },
            TypeRef::Collection { item } => FieldType::Collection {
                item: Box::new(self.field_type(item, page, line)),
            },
            TypeRef::Named { name, .. } => {
                match self.lookup(type_ref, page) {
                    Some(key) => {
                        if let Some(path) = self.polymorphic.get(&key) {
                            return FieldType::Polymorphic { path: path.clone() };
                        }
                        let path = self.paths[&key].clone();
                        match &self.definitions[&key] {
                            _ if self.flags.contains(&key) => FieldType::Flags { path },
                            definition if definition.is_enum() => FieldType::Enum { path },
                            _ => FieldType::Model { path },
                        }
                    }
                    None => {
                        let file = page.file.clone();
                        self.report(
                        Code::UnresolvedType,
                        &file,
                        line,
                        format!("type `{name}` is not defined by any page; typed as serde_json::Value"),
                    );
                        FieldType::Json
                    }
                }
            }
            TypeRef::Union { .. } | TypeRef::Unknown { .. } => FieldType::Json,
        }
    }

    /// The fields of a type: its bases' first (root first), then its own; a property a
    /// derived type documents again replaces the inherited one in place.
    fn inherited_fields(&mut self, key: &str) -> Vec<Field> {
        let mut chain = vec![key.to_string()];
        let mut current = key.to_string();
        while let Some(base) = self.bases.get(&current) {
            if chain.contains(base) {
                break;
            }
            chain.push(base.clone());
            current = base.clone();
        }
        chain.reverse();
        let mut properties: Vec<(&'p ParsedPage, &'p Property)> = Vec::new();
        for ancestor in &chain {
            let (page, own): (&'p ParsedPage, Vec<&'p Property>) = match &self.definitions[ancestor]
            {
                Definition::Resource { page, resource, .. } => (
                    page,
                    resource
                        .properties
                        .iter()
                        .chain(&resource.relationships)
                        .collect(),
                ),
                Definition::FromBody {
                    page, properties, ..
                } => (page, properties.iter().collect()),
                _ => continue,
            };
            for property in own {
                // A derived type documenting an inherited property again replaces it in place;
                // a page listing a property twice is left for `fields` to report.
                match properties.iter_mut().find(|(owner, existing)| {
                    existing.name == property.name && !std::ptr::eq(*owner, page)
                }) {
                    Some(slot) => *slot = (page, property),
                    None => properties.push((page, property)),
                }
            }
        }
        let definition_page = self.definitions[key].page();
        self.fields(definition_page, &properties, ModelRole::Resource)
    }

    fn fields(
        &mut self,
        owner: &ParsedPage,
        properties: &[(&ParsedPage, &Property)],
        role: ModelRole,
    ) -> Vec<Field> {
        let mut scope = names::Scope::default();
        // Names every struct has.
        scope.claim("odata_type".to_string());
        scope.claim("additional_properties".to_string());
        let mut seen_json = BTreeSet::new();
        let mut fields = Vec::new();
        for (page, property) in properties {
            if property.name.starts_with('@') || property.name.is_empty() {
                continue;
            }
            if !seen_json.insert(property.name.clone()) {
                self.report(
                    Code::DuplicateName,
                    &owner.file,
                    property.line,
                    format!(
                        "property `{}` is documented twice; the first is kept",
                        property.name
                    ),
                );
                continue;
            }
            let field_type = self.field_type(&property.type_ref, page, property.line);
            let (rust_name, renamed) = scope.claim(names::snake(&property.name));
            if renamed {
                self.report(
                    Code::DuplicateName,
                    &owner.file,
                    property.line,
                    format!(
                        "property `{}` clashes with another field's Rust name; it is `{rust_name}`",
                        property.name
                    ),
                );
            }
            let mut docs =
                docs_from(Some(property.description.as_str()).filter(|text| !text.is_empty()));
            if role == ModelRole::UpdateBody && property.facts.read_only {
                docs.push(
                    "The docs mark this property read-only, yet list it in this update body: \
                     the service may reject or ignore a change to it."
                        .to_string(),
                );
            }
            fields.push(Field {
                json_name: property.name.clone(),
                rust_name,
                field_type,
                docs,
                read_only: property.facts.read_only,
            });
        }
        fields
    }

    fn operations(&mut self, pages: &[&'p ParsedPage], models: &mut Vec<Model>) -> Vec<Operation> {
        let mut operations: Vec<Operation> = Vec::new();
        let mut seen: BTreeMap<(String, HttpMethod), String> = BTreeMap::new();
        let mut body_names = names::Scope::default();
        for path in self.paths.values().chain(self.polymorphic.values()) {
            body_names.claim(path.name.clone());
        }
        for page in pages {
            let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
                continue;
            };
            let response = method.response.as_ref().and_then(|response| {
                if response.status == Some(204) {
                    return None;
                }
                response
                    .type_ref
                    .as_ref()
                    .map(|type_ref| self.field_type(type_ref, page, response.line))
            });
            let body = self.body_model(page, method, &mut body_names).map(|model| {
                let path = TypePath {
                    area: model.area.clone(),
                    name: model.rust_name.clone(),
                };
                models.push(model);
                path
            });
            for request in &method.requests {
                let Some(path) = path_parts(&request.path.segments) else {
                    self.report(
                        Code::RequestPath,
                        &page.file,
                        request.line,
                        format!(
                            "`{}` uses function, key or item-path segments, which the client does not call yet",
                            request.path.raw
                        ),
                    );
                    continue;
                };
                let template = template_key(&path);
                if let Some(first) = seen.get(&(template.clone(), request.method)) {
                    let message = format!(
                        "{} {} is also documented in `{first}`; the first is kept",
                        request.method.as_str(),
                        request.path.raw
                    );
                    self.report(Code::DuplicateOperation, &page.file, request.line, message);
                    continue;
                }
                seen.insert((template, request.method), page.file.clone());
                let rust_name = match request.method {
                    HttpMethod::Get if matches!(response, Some(FieldType::Collection { .. })) => {
                        "list"
                    }
                    HttpMethod::Get => "get",
                    HttpMethod::Post => "create",
                    HttpMethod::Patch => "update",
                    HttpMethod::Put => "replace",
                    HttpMethod::Delete => "delete",
                };
                let mut docs = docs_from(page.summary.as_deref().or(page.title.as_deref()));
                docs.push(format!(
                    "`{} {}`",
                    request.method.as_str(),
                    request.path.raw
                ));
                operations.push(Operation {
                    rust_name: rust_name.to_string(),
                    method: request.method,
                    path,
                    docs,
                    permissions: method.permissions.clone(),
                    body: body.clone(),
                    response: response.clone(),
                    source: Source {
                        file: page.file.clone(),
                        line: request.line,
                    },
                });
            }
        }
        operations.sort_by_key(|operation| (operation.template(), operation.method));
        operations
    }

    /// The body type of a method page, if it has a body table.
    fn body_model(
        &mut self,
        page: &'p ParsedPage,
        method: &'p MethodPage,
        scope: &mut names::Scope,
    ) -> Option<Model> {
        let body = method
            .request_body
            .as_ref()
            .filter(|body| !body.properties.is_empty())?;
        let verb = method.requests.first()?.method;
        let role = if verb == HttpMethod::Patch {
            ModelRole::UpdateBody
        } else {
            ModelRole::Body
        };
        let subject = response_name(method)
            .map(str::to_string)
            .or_else(|| page.title.clone())
            .unwrap_or_else(|| file_stem(&page.file));
        let wanted = match role {
            ModelRole::UpdateBody => format!("{}Update", names::type_name(&subject)),
            _ => format!(
                "{}Request",
                names::type_name(page.title.as_deref().unwrap_or(&subject))
            ),
        };
        let (rust_name, _) = scope.claim(wanted);
        let properties: Vec<(&ParsedPage, &Property)> = body
            .properties
            .iter()
            .map(|property| (page, property))
            .collect();
        let read_only = properties
            .iter()
            .filter(|(_, property)| property.facts.read_only)
            .count();
        let required_on_create = body
            .intro
            .to_ascii_lowercase()
            .contains("required when you create");
        if role == ModelRole::UpdateBody && read_only > 0 {
            let why = if required_on_create {
                " and its introduction calls them required when you create"
            } else {
                ""
            };
            self.report(
                Code::ReadOnlyInBody,
                &page.file,
                body.line,
                format!(
                    "the update body table marks {read_only} of {} properties read-only{why}; \
                     they are kept in `{rust_name}` and their docs say so",
                    properties.len()
                ),
            );
        }
        let fields = self.fields(page, &properties, role);
        let mut docs = vec![format!(
            "The body of `{}`.",
            page.title.as_deref().unwrap_or(&page.file)
        )];
        if role == ModelRole::UpdateBody {
            docs.push(
                "Every field is tri-state: `Patch::Unchanged` leaves the property alone (it is \
                 not sent), `Patch::Clear` sends `null`, `Patch::Set` sends the value."
                    .to_string(),
            );
            if read_only > 0 {
                let why = if required_on_create {
                    " (its introduction lists them as the properties required when you create one)"
                } else {
                    ""
                };
                docs.push(format!(
                    "The docs' table for this body marks {read_only} of its {} properties \
                     read-only{why}. They are kept so nothing the docs show is lost, but the \
                     service is likely to reject or ignore changes to them.",
                    properties.len()
                ));
            }
        }
        Some(Model {
            graph_name: subject,
            docs,
            rust_name,
            area: area_of(page),
            role,
            odata_type: None,
            base: None,
            fields,
            open_type: false,
            source: Source {
                file: page.file.clone(),
                line: body.line,
            },
        })
    }
}

/// The resource a method page returns (or updates), by name.
fn response_name(method: &MethodPage) -> Option<&str> {
    let type_ref = method.response.as_ref()?.type_ref.as_ref()?;
    match type_ref {
        TypeRef::Named { name, .. } => Some(name),
        _ => None,
    }
}

/// The path as static segments and parameters, or `None` when it has a segment form the
/// request builders do not model yet.
fn path_parts(segments: &[Segment]) -> Option<Vec<PathPart>> {
    let mut scope = names::Scope::default();
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Static { name } => Some(PathPart::Static {
                segment: name.clone(),
            }),
            Segment::Parameter(parameter) => Some(PathPart::Parameter {
                graph_name: parameter.name.clone(),
                rust_name: scope.claim(names::snake(&parameter.name)).0,
                alternatives: parameter.alternatives.clone(),
            }),
            Segment::Function { .. } | Segment::ItemPath { .. } => None,
        })
        .collect()
}

/// Paths that differ only in parameter names are the same endpoint.
fn template_key(path: &[PathPart]) -> String {
    path.iter()
        .map(|part| match part {
            PathPart::Static { segment } => segment.to_ascii_lowercase(),
            PathPart::Parameter { .. } => "{}".to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}
