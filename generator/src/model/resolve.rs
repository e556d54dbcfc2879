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

/// A request line's path and fixed query as the model's parts, with its template key; or why
/// it cannot be called.
type RequestPath = Result<(Vec<PathPart>, Vec<FixedQuery>, String), String>;

/// The page an endpoint documented on several pages is generated from.
struct KeptPage {
    /// Into the method pages.
    index: usize,
    /// How many pages document the endpoint.
    documented_on: usize,
    /// When each page is about a different type derived from this one (a definition key), and
    /// none about this one: the endpoint takes and returns this type's `Any…` enum.
    general: Option<String>,
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
        selectors: Vec::new(),
        query_sets: Vec::new(),
        examples: Vec::new(),
    };
    let mut api = api;
    super::query::attach_query_types(&mut api);
    api.examples = super::examples::match_examples(&api, &pages, &mut resolver.diagnostics);
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
pub fn file_stem(target: &str) -> String {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let name = target.rsplit('/').next().unwrap_or(target);
    name.strip_suffix(".md")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// The namespace a page's types live in.
pub fn namespace_of(page: &ParsedPage) -> String {
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
            // An action's table lists its parameters, not the properties of what it returns.
            let action = method.requests.first().is_some_and(|request| {
                let last = match request.path.segments.last() {
                    Some(Segment::Static { name }) => Some(PathPart::Static {
                        segment: name.clone(),
                    }),
                    Some(Segment::Function { name, .. }) => Some(PathPart::Function {
                        name: name.clone(),
                        arguments: Vec::new(),
                    }),
                    _ => None,
                };
                is_action(page, request.method, last.as_ref())
            });
            if self.lookup(&named, page).is_none() && !body.properties.is_empty() && !action {
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
            // The page named after the type (`user.md`) is its definition; a family's partial
            // copy (`intune-shared-user.md`) gives way to it whichever sorts first.
            let named_after = |file: &str| file_stem(file) == bare.to_ascii_lowercase();
            let both_resources = matches!(existing, Definition::Resource { .. })
                && matches!(definition, Definition::Resource { .. });
            if both_resources && named_after(&file) && !named_after(&other) {
                self.report(
                    Code::DuplicateName,
                    &other,
                    1,
                    format!("`{namespace}.{bare}` is defined by `{file}`, the page named after it; this page's definition is not used"),
                );
                self.files
                    .entry(file_stem(&file))
                    .or_insert_with(|| key.clone());
                self.definitions.insert(key, definition);
                return;
            }
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
            if docs.is_empty() {
                docs.push(format!(
                    "`{}`: the docs leave this property undescribed.",
                    property.name
                ));
            }
            if role == ModelRole::UpdateBody && property.facts.read_only {
                docs.push(
                    "The docs mark this property read-only, yet list it in this update body: \
                     the service may reject or ignore a change to it."
                        .to_string(),
                );
            }
            let navigation = page.resource.as_ref().is_some_and(|resource| {
                resource
                    .relationships
                    .iter()
                    .any(|relationship| std::ptr::eq(relationship, *property))
            });
            fields.push(Field {
                json_name: property.name.clone(),
                rust_name,
                field_type,
                docs,
                read_only: property.facts.read_only,
                navigation,
                supports: property.facts.supports.clone(),
            });
        }
        fields
    }

    fn operations(&mut self, pages: &[&'p ParsedPage], models: &mut Vec<Model>) -> Vec<Operation> {
        let mut operations: Vec<Operation> = Vec::new();
        let resources = models.len();
        // Every request line's path, parsed once: choosing pages needs them all first.
        let mut request_paths: Vec<Vec<RequestPath>> = pages
            .iter()
            .map(|page| match (page.kind, &page.method) {
                (PageKind::Method, Some(method)) => method
                    .requests
                    .iter()
                    .map(|request| {
                        operation_path(&request.path.segments, request.query.as_deref()).map(
                            |(path, query)| {
                                let template = template_key(&path, &query);
                                (path, query, template)
                            },
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let kept = self.pages_kept_for_operations(pages, &request_paths);
        let mut generated: BTreeSet<(String, HttpMethod)> = BTreeSet::new();
        let mut body_names = names::Scope::default();
        for path in self.paths.values().chain(self.polymorphic.values()) {
            body_names.claim(path.name.clone());
        }
        for (index, page) in pages.iter().enumerate() {
            let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
                continue;
            };
            let response_type = method.response.as_ref().and_then(|response| {
                response
                    .type_ref
                    .as_ref()
                    .map(|type_ref| self.field_type(type_ref, page, response.line))
            });
            let status = method
                .response
                .as_ref()
                .and_then(|response| response.status);
            let table_body = self.body_model(page, method, &mut body_names).map(|model| {
                let path = TypePath {
                    area: model.area.clone(),
                    name: model.rust_name.clone(),
                };
                models.push(model);
                path
            });
            let headers: Vec<DocumentedHeader> = method
                .request_headers
                .iter()
                .filter(|header| is_documented_option_header(&header.name))
                .map(|header| DocumentedHeader {
                    name: header.name.clone(),
                    value: header.value.clone(),
                })
                .collect();
            for (request, parsed) in method.requests.iter().zip(&mut request_paths[index]) {
                let (path, query, template) = match std::mem::replace(parsed, Err(String::new())) {
                    Ok(parts) => parts,
                    Err(problem) => {
                        self.report(
                            Code::RequestPath,
                            &page.file,
                            request.line,
                            format!(
                                "`{}`: {problem}; no endpoint is generated for it",
                                request.path.raw
                            ),
                        );
                        continue;
                    }
                };
                let (kept_index, general) = match kept.get(&(template.clone(), request.method)) {
                    Some(kept) => (kept.index, kept.general.as_deref()),
                    None => (index, None),
                };
                if kept_index == index && !generated.insert((template.clone(), request.method)) {
                    let message = format!(
                        "{} {} is documented twice on this page; the first is kept",
                        request.method.as_str(),
                        request.path.raw
                    );
                    self.report(Code::DuplicateOperation, &page.file, request.line, message);
                    continue;
                }
                if kept_index != index {
                    let message = format!(
                        "{} {} is also documented in `{}`, which is kept",
                        request.method.as_str(),
                        request.path.raw,
                        pages[kept_index].file
                    );
                    self.report(Code::DuplicateOperation, &page.file, request.line, message);
                    continue;
                }
                let last = path.last();
                let last_static = match last {
                    Some(PathPart::Static { segment }) => Some(segment.as_str()),
                    _ => None,
                };
                let action = is_action(page, request.method, last);
                // An endpoint the docs describe once per derived type takes and returns any of
                // them: the base's `Any…` enum.
                let general = general.filter(|_| !action);
                let general_type = general
                    .and_then(|key| self.polymorphic.get(key))
                    .map(|path| FieldType::Polymorphic { path: path.clone() });
                let response_type = match (&general_type, &response_type) {
                    (Some(general), Some(specific)) => Some(specific.generalised(general)),
                    _ => response_type.clone(),
                };
                let response = response_of(request.method, last_static, status, response_type);
                let table_body = match &general_type {
                    Some(FieldType::Polymorphic { path }) if table_body.is_some() => {
                        Some(path.clone())
                    }
                    _ => table_body.clone(),
                };
                let body = match (&table_body, request.method) {
                    (_, HttpMethod::Get | HttpMethod::Delete) => Body::None,
                    (Some(path), _) => Body::Model { path: path.clone() },
                    (None, HttpMethod::Put)
                        if matches!(last_static, Some("$value" | "content")) =>
                    {
                        Body::Bytes
                    }
                    (None, _) if says_no_body(method) => Body::None,
                    (None, _) if last_static == Some("$ref") => Body::Json,
                    (None, HttpMethod::Patch | HttpMethod::Put) | (None, HttpMethod::Post)
                        if !action =>
                    {
                        // "Supply a JSON representation of the [x] object": the resource type
                        // the call returns.
                        match response.field_type() {
                            Some(FieldType::Model { path }) => Body::Model { path: path.clone() },
                            _ if has_body_prose(method) => Body::Json,
                            _ => Body::None,
                        }
                    }
                    (None, _) if has_body_prose(method) => Body::Json,
                    (None, _) => Body::None,
                };
                let rust_name = if action {
                    match last {
                        Some(PathPart::Static { segment }) => names::snake(segment),
                        Some(PathPart::Function { name, .. }) => names::snake(name),
                        _ => "call".to_string(),
                    }
                } else {
                    match request.method {
                        HttpMethod::Get if matches!(response, Response::Collection { .. }) => {
                            "list"
                        }
                        HttpMethod::Get => "get",
                        HttpMethod::Post => "create",
                        HttpMethod::Patch => "update",
                        HttpMethod::Put => "replace",
                        HttpMethod::Delete => "delete",
                    }
                    .to_string()
                };
                let query_options = match request.method {
                    HttpMethod::Get => query_options(&method.query_support, &response),
                    _ => Vec::new(),
                };
                let mut docs = docs_from(page.summary.as_deref().or(page.title.as_deref()));
                if let Some(key) = general.filter(|key| self.polymorphic.contains_key(*key)) {
                    let base = self.odata_type_of(key);
                    let pages_of = kept[&(template.clone(), request.method)].documented_on;
                    docs = vec![format!(
                        "The docs describe this call on {pages_of} pages, one per type derived from \
                         `{}`; it takes and returns any of them, told apart by `@odata.type`. The \
                         first of those pages says:",
                        base.trim_start_matches('#')
                    )];
                    docs.extend(docs_from(page.summary.as_deref().or(page.title.as_deref())));
                }
                docs.push(format!(
                    "`{} {}`",
                    request.method.as_str(),
                    request.path.raw
                ));
                operations.push(Operation {
                    rust_name,
                    action,
                    method: request.method,
                    path,
                    query,
                    docs,
                    permissions: method.permissions.clone(),
                    headers: headers.clone(),
                    body,
                    response,
                    query_options,
                    query_set: None,
                    source: Source {
                        file: page.file.clone(),
                        line: request.line,
                    },
                });
            }
        }
        demote_collections_named_like_actions(&mut operations);
        operations.sort_by_cached_key(|operation| (operation.template(), operation.method));
        // A body table no generated call sends (a GET function's parameters, a page whose
        // endpoint another page documents) would be dead code.
        let sent: BTreeSet<(&str, &str)> = operations
            .iter()
            .filter_map(|operation| match &operation.body {
                Body::Model { path } => Some((path.area.as_str(), path.name.as_str())),
                _ => None,
            })
            .collect();
        let mut position = 0;
        models.retain(|model| {
            position += 1;
            position <= resources || sent.contains(&(model.area.as_str(), model.rust_name.as_str()))
        });
        operations
    }

    /// For each method and path documented by more than one page, the page whose operation is
    /// generated. The docs often document one endpoint once per derived type
    /// (`POST /deviceAppManagement/mobileApps` on the androidLobApp, iosLobApp, … and mobileApp
    /// pages) and Intune's pages repeat general ones (`GET /users/{id}`). Starting from the first
    /// page, a type's own page about an ancestor of the kept page's type wins, and so does a page
    /// outside the Intune family about the same type; pages about unrelated types (an example of
    /// `$expand` on another type's page) never displace the first.
    fn pages_kept_for_operations(
        &self,
        pages: &[&'p ParsedPage],
        request_paths: &[Vec<RequestPath>],
    ) -> BTreeMap<(String, HttpMethod), KeptPage> {
        let mut candidates: BTreeMap<(String, HttpMethod), Vec<usize>> = BTreeMap::new();
        for (index, page) in pages.iter().enumerate() {
            let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
                continue;
            };
            for (request, parsed) in method.requests.iter().zip(&request_paths[index]) {
                if let Ok((_, _, template)) = parsed {
                    let pages_of = candidates
                        .entry((template.clone(), request.method))
                        .or_default();
                    if pages_of.last() != Some(&index) {
                        pages_of.push(index);
                    }
                }
            }
        }
        candidates
            .into_iter()
            .map(|(key, indices)| {
                let kept = match indices.as_slice() {
                    [only] => KeptPage {
                        index: *only,
                        general: None,
                        documented_on: 1,
                    },
                    _ => self.most_general_page(pages, indices),
                };
                (key, kept)
            })
            .collect()
    }

    fn most_general_page(&self, pages: &[&'p ParsedPage], indices: Vec<usize>) -> KeptPage {
        let subjects: Vec<Option<String>> = indices
            .iter()
            .map(|&index| self.subject_of(pages[index]))
            .collect();
        let is_intune = |at: usize| file_stem(&pages[indices[at]].file).starts_with("intune-");
        // Named `<resource>-<verb>` after the type it returns: the page is that type's own.
        let is_own_page = |at: usize| {
            let stem = file_stem(&pages[indices[at]].file);
            let resource = stem.rsplit_once('-').map(|(resource, _)| resource);
            resource.and_then(|resource| self.files.get(resource)) == subjects[at].as_ref()
        };
        let is_ancestor = |ancestor: &String, of: &String| {
            ancestor != of
                && self
                    .derived
                    .get(ancestor)
                    .is_some_and(|derived| derived.contains(of))
        };
        let mut kept = 0;
        // Bounded: the docs may describe an inheritance cycle.
        for _ in 0..indices.len() {
            let better = (0..indices.len()).find(|&at| match (&subjects[at], &subjects[kept]) {
                (Some(candidate), Some(current)) => {
                    (is_own_page(at) && is_ancestor(candidate, current))
                        || (candidate == current && is_intune(kept) && !is_intune(at))
                }
                _ => false,
            });
            match better {
                Some(at) => kept = at,
                None => break,
            }
        }
        // Every page is its own type's and no page is about the types' common base (an
        // abstract type such as mobileApp has no create page): the call is the base's.
        let own_pages = (0..indices.len()).all(is_own_page);
        let general = match (own_pages, &subjects[kept]) {
            (true, Some(current)) => self
                .common_base(subjects.iter().flatten())
                // `entity`, every entity's root, says nothing about what the call takes.
                .filter(|base| base != current && !base.ends_with(".entity")),
            _ => None,
        };
        KeptPage {
            index: indices[kept],
            general,
            documented_on: indices.len(),
        }
    }

    /// The nearest type every one of `keys` is or derives from.
    fn common_base<'k>(&self, mut keys: impl Iterator<Item = &'k String>) -> Option<String> {
        let first = keys.next()?;
        let others: Vec<&String> = keys.collect();
        let mut candidate = first.clone();
        let mut visited = BTreeSet::new();
        loop {
            let covers = |key: &&String| {
                **key == candidate
                    || self
                        .derived
                        .get(&candidate)
                        .is_some_and(|derived| derived.contains(*key))
            };
            if others.iter().all(covers) {
                return Some(candidate);
            }
            if !visited.insert(candidate.clone()) {
                return None;
            }
            candidate = self.bases.get(&candidate)?.clone();
        }
    }

    /// The type a method page is about: the type it returns, else the resource its file is
    /// named after (`intune-apps-mobileapp-delete.md` is about `intune-apps-mobileapp.md`'s type).
    fn subject_of(&self, page: &ParsedPage) -> Option<String> {
        let returned = page
            .method
            .as_ref()
            .and_then(|method| method.response.as_ref())
            .and_then(|response| response.type_ref.as_ref())
            .and_then(|type_ref| self.lookup(type_ref, page));
        returned.or_else(|| {
            let stem = file_stem(&page.file);
            let (resource, _verb) = stem.rsplit_once('-')?;
            self.files.get(resource).cloned()
        })
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

/// The path of a request line as the model's parts, and the query pairs it fixes.
fn operation_path(
    segments: &[Segment],
    query: Option<&str>,
) -> Result<(Vec<PathPart>, Vec<FixedQuery>), String> {
    let mut scope = names::Scope::default();
    // Names every endpoint method already has.
    scope.claim("self".to_string());
    scope.claim("body".to_string());
    let parameter = |graph_name: &str, scope: &mut names::Scope| {
        let wanted = names::snake(graph_name.trim_start_matches('@'));
        let wanted = if wanted.is_empty() {
            "value".to_string()
        } else {
            wanted
        };
        scope.claim(wanted).0
    };
    let mut parts = Vec::new();
    for segment in segments {
        parts.push(match segment {
            Segment::Static { name } => {
                if name.contains(['{', '}', ' ', '<', '>']) {
                    return Err(format!("segment `{name}` mixes a name and a placeholder"));
                }
                PathPart::Static {
                    segment: name.clone(),
                }
            }
            Segment::Parameter(page_parameter) => PathPart::Parameter {
                graph_name: page_parameter.name.clone(),
                rust_name: parameter(&page_parameter.name, &mut scope),
                alternatives: page_parameter.alternatives.clone(),
            },
            Segment::Function { name, arguments } => {
                if name.is_empty() || name.contains(['{', '}', ' ']) {
                    return Err(format!("function segment `{name}(…)` has no usable name"));
                }
                let arguments = arguments
                    .iter()
                    .map(|argument| Argument {
                        name: argument.name.clone(),
                        value: match &argument.parameter {
                            Some(page_parameter) => ArgumentValue::Parameter {
                                graph_name: page_parameter.name.clone(),
                                rust_name: parameter(&page_parameter.name, &mut scope),
                                quoted: argument.quoted,
                            },
                            // `range(<address>)`: a placeholder in angle brackets.
                            None if argument.value.starts_with('<') => ArgumentValue::Parameter {
                                graph_name: argument.value.trim_matches(['<', '>']).to_string(),
                                rust_name: parameter(
                                    argument.value.trim_matches(['<', '>']),
                                    &mut scope,
                                ),
                                quoted: true,
                            },
                            None => ArgumentValue::Fixed {
                                literal: argument.value.clone(),
                            },
                        },
                    })
                    .collect();
                PathPart::Function {
                    name: name.clone(),
                    arguments,
                }
            }
            Segment::ItemPath {
                parameter: page_parameter,
            } => {
                if parts.is_empty() {
                    return Err("an item path must follow a segment".to_string());
                }
                PathPart::ItemPath {
                    graph_name: page_parameter.name.clone(),
                    rust_name: parameter(&page_parameter.name, &mut scope),
                }
            }
        });
    }
    let mut fixed = Vec::new();
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.trim().is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = name.trim();
        // `$select=…` and its kin in a documented path are examples of the options every
        // endpoint offers as methods, not part of the endpoint.
        if name.starts_with('$') || name.is_empty() {
            continue;
        }
        let mut parameters = Vec::new();
        let mut rest = value;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let placeholder = &rest[open + 1..open + close];
            parameters.push((placeholder.to_string(), parameter(placeholder, &mut scope)));
            rest = &rest[open + close + 1..];
        }
        fixed.push(FixedQuery {
            name: name.to_string(),
            value: value.trim().to_string(),
            parameters,
        });
    }
    Ok((parts, fixed))
}

/// Paths that differ only in parameter names are the same endpoint.
fn template_key(path: &[PathPart], query: &[FixedQuery]) -> String {
    let mut key: Vec<String> = path.iter().map(PathPart::key).collect();
    key.extend(
        query
            .iter()
            .map(|pair| format!("?{}", pair.name.to_ascii_lowercase())),
    );
    key.join("/")
}

/// Whether the last segment is an OData action or function the page documents: called by its
/// name rather than as `create`/`get` on a builder of its own.
fn is_action(page: &ParsedPage, method: HttpMethod, last: Option<&PathPart>) -> bool {
    let segment = match last {
        Some(PathPart::Function { name, .. }) => return !name.is_empty(),
        Some(PathPart::Static { segment }) => segment,
        _ => return false,
    };
    if segment.starts_with('$') || !matches!(method, HttpMethod::Post | HttpMethod::Get) {
        return false;
    }
    let bare = segment
        .rsplit('.')
        .next()
        .unwrap_or(segment)
        .to_ascii_lowercase();
    let title = page.title.as_deref().unwrap_or("").to_ascii_lowercase();
    let title = title.trim();
    // "changeStatus action", "user: assignLicense", "driveItem: copy".
    let named_in_title = title
        .strip_suffix(" action")
        .or_else(|| title.strip_suffix(" function"))
        .map(|name| name.trim() == bare)
        .unwrap_or(false)
        || title
            .rsplit_once(':')
            .is_some_and(|(_, name)| name.trim() == bare);
    let stem = file_stem(&page.file);
    let named_in_file = stem.ends_with(&format!("-{bare}"));
    // A type cast (`microsoft.graph.group`) names a type, not an action, unless the page says
    // it is one.
    named_in_title || (named_in_file && method == HttpMethod::Post)
}

/// A file name such as `message-post-attachments.md` makes `POST …/attachments` look like an
/// action; a path that other endpoints continue below, or that is also read with `GET`, is a
/// collection, and `POST` to it creates.
fn demote_collections_named_like_actions(operations: &mut [Operation]) {
    let key = |path: &[PathPart]| path.iter().map(PathPart::key).collect::<Vec<_>>().join("/");
    let mut collections: BTreeSet<String> = BTreeSet::new();
    for operation in operations.iter() {
        // Every proper prefix of the path, built up one part at a time.
        let mut prefix = String::new();
        for part in operation
            .path
            .iter()
            .take(operation.path.len().saturating_sub(1))
        {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(&part.key());
            collections.insert(prefix.clone());
        }
        if operation.method == HttpMethod::Get && !operation.action {
            collections.insert(key(&operation.path));
        }
    }
    for operation in operations.iter_mut() {
        let is_function = matches!(operation.path.last(), Some(PathPart::Function { .. }));
        if operation.action && !is_function && collections.contains(&key(&operation.path)) {
            operation.action = false;
            operation.rust_name = match (operation.method, &operation.response) {
                (HttpMethod::Get, Response::Collection { .. }) => "list",
                (HttpMethod::Get, _) => "get",
                (HttpMethod::Post, _) => "create",
                (HttpMethod::Patch, _) => "update",
                (HttpMethod::Put, _) => "replace",
                (HttpMethod::Delete, _) => "delete",
            }
            .to_string();
        }
    }
}

/// What a request returns, from the status and type the Response section documents.
fn response_of(
    method: HttpMethod,
    last: Option<&str>,
    status: Option<u16>,
    response_type: Option<FieldType>,
) -> Response {
    match (last, method) {
        (Some("$value"), HttpMethod::Get) => return Response::Bytes,
        (Some("$count"), HttpMethod::Get) => return Response::Count,
        _ => {}
    }
    match status {
        Some(204) => return Response::NoContent,
        Some(202) => return Response::Accepted,
        Some(302) | Some(303) | Some(307) => return Response::Redirect,
        _ => {}
    }
    match response_type {
        Some(FieldType::Collection { item }) => Response::Collection { item: *item },
        Some(body) => Response::Json {
            body,
            status: status.unwrap_or(200),
        },
        None if status.is_some_and(|status| status == 200 || status == 201) => Response::Json {
            body: FieldType::Json,
            status: status.unwrap_or(200),
        },
        None if method == HttpMethod::Get => Response::Json {
            body: FieldType::Json,
            status: 200,
        },
        None => Response::NoContent,
    }
}

/// "Do not supply a request body for this method."
fn says_no_body(method: &MethodPage) -> bool {
    method.request_body.as_ref().is_some_and(|body| {
        let intro = body.intro.to_ascii_lowercase();
        intro.contains("do not supply")
            || intro.contains("don't supply")
            || intro.contains("no request body")
    }) || method.request_body.is_none()
}

/// The Request body section asks for some JSON it does not tabulate.
fn has_body_prose(method: &MethodPage) -> bool {
    method.request_body.as_ref().is_some_and(|body| {
        let intro = body.intro.to_ascii_lowercase();
        intro.contains("supply") || intro.contains("json")
    })
}

/// Headers a caller may choose to send; `Authorization` and content negotiation are the
/// runtime's.
fn is_documented_option_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    !lower.is_empty()
        && !matches!(
            lower.as_str(),
            "authorization" | "content-type" | "accept" | "content-length" | "host"
        )
        && !lower.contains(' ')
}

/// The options a GET offers: those its page names, or, when the page says only that it
/// supports "the OData query parameters", the usual ones for what it returns.
fn query_options(support: &page::QuerySupport, response: &Response) -> Vec<String> {
    let usual: &[&str] = match response {
        Response::Collection { .. } => &[
            "$select", "$filter", "$orderby", "$expand", "$top", "$skip", "$count",
        ],
        Response::Json { .. } => &["$select", "$expand"],
        _ => &[],
    };
    let collection_only = ["$filter", "$orderby", "$top", "$skip", "$count", "$search"];
    let mut options: Vec<String> = match support {
        page::QuerySupport::Named(named) => named
            .iter()
            .filter(|option| {
                !usual.is_empty()
                    && (matches!(response, Response::Collection { .. })
                        || !collection_only.contains(&option.as_str()))
            })
            .cloned()
            .collect(),
        page::QuerySupport::Generic => usual.iter().map(|option| option.to_string()).collect(),
        page::QuerySupport::None | page::QuerySupport::Unstated => Vec::new(),
    };
    // `$skiptoken` comes back in `@odata.nextLink`; paging follows it.
    options.retain(|option| option != "$skiptoken");
    let order = [
        "$select", "$filter", "$orderby", "$expand", "$top", "$skip", "$count", "$search",
    ];
    options.sort_by_key(|option| order.iter().position(|known| known == option));
    options.dedup();
    options
}
