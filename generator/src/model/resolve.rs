//! Cross-page resolution: links and bare names to definitions, enums inferred from
//! "Possible values" text, operations attached to paths, Rust names decided.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::names;
use crate::page::{self, MethodPage, PageKind, ParsedPage, Property, Segment, TypeRef};

/// A definition before it has a Rust name, keyed by its lowercased Graph name.
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

impl Definition<'_> {
    fn graph_name(&self) -> &str {
        match self {
            Definition::Resource { graph_name, .. }
            | Definition::FromBody { graph_name, .. }
            | Definition::InferredEnum { graph_name, .. } => graph_name,
            Definition::Enum { def, .. } => &def.name,
        }
    }

    fn page(&self) -> &ParsedPage {
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
    /// Definition key → its Rust type path.
    paths: BTreeMap<String, TypePath>,
    diagnostics: Vec<Diagnostic>,
}

/// Resolves the pages of one version. `version` is `beta` or `v1.0`.
pub fn resolve(version: &str, pages: &[ParsedPage]) -> (Api, Vec<Diagnostic>) {
    let mut pages: Vec<&ParsedPage> = pages.iter().collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    let mut resolver = Resolver {
        definitions: BTreeMap::new(),
        files: BTreeMap::new(),
        paths: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    resolver.collect_definitions(&pages);
    resolver.infer_enums(&pages);
    resolver.assign_names();

    let mut models = Vec::new();
    let mut enums = Vec::new();
    let keys: Vec<String> = resolver.definitions.keys().cloned().collect();
    for key in keys {
        let definition = resolver.definitions[&key].clone();
        let path = resolver.paths[&key].clone();
        match definition {
            Definition::Resource {
                page,
                resource,
                graph_name,
            } => {
                let properties: Vec<&Property> = resource
                    .properties
                    .iter()
                    .chain(&resource.relationships)
                    .collect();
                let fields = resolver.fields(page, &properties, ModelRole::Resource);
                models.push(Model {
                    graph_name,
                    rust_name: path.name,
                    area: path.area,
                    role: ModelRole::Resource,
                    odata_type: resource.odata_type.clone(),
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
                properties,
                line,
            } => {
                let properties: Vec<&Property> = properties.iter().collect();
                let fields = resolver.fields(page, &properties, ModelRole::Resource);
                let namespace = page.namespace.as_deref().unwrap_or("microsoft.graph");
                models.push(Model {
                    odata_type: Some(format!("{namespace}.{graph_name}")),
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
                    source: Source {
                        file: page.file.clone(),
                        line,
                    },
                });
            }
        }
    }

    let operations = resolver.operations(&pages, &mut models);
    models.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    enums.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
    let api = Api {
        version: version.to_string(),
        module: names::snake(version),
        base_url: format!("https://graph.microsoft.com/{version}"),
        models,
        enums,
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

/// The area (Rust module) of a page: its `ms.prod`, else its file-name prefix.
fn area_of(page: &ParsedPage) -> String {
    let stem = file_stem(&page.file);
    let prefix = stem.split('-').next().unwrap_or(&stem);
    let area = page
        .front_matter
        .ms_prod
        .as_deref()
        .filter(|prod| !prod.trim().is_empty())
        .unwrap_or(prefix);
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

impl<'p> Resolver<'p> {
    fn location(&self, file: &str, line: usize) -> Location {
        Location {
            file: file.to_string(),
            line,
            column: 1,
        }
    }

    fn report(&mut self, code: Code, file: &str, line: usize, message: String) {
        let at = self.location(file, line);
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
                            self.define(&def.name.clone(), Definition::Enum { page, def });
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
            if self
                .lookup(&TypeRef::Named {
                    name: name.to_string(),
                    target: None,
                })
                .is_none()
                && !body.properties.is_empty()
            {
                self.define(
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

    fn define(&mut self, name: &str, definition: Definition<'p>) {
        let key = name.to_ascii_lowercase();
        let stem = file_stem(&definition.page().file);
        if let Some(existing) = self.definitions.get(&key) {
            let (file, other) = (definition.page().file.clone(), existing.page().file.clone());
            self.report(
                Code::DuplicateName,
                &file,
                1,
                format!("`{name}` is also defined in `{other}`; the first definition is kept"),
            );
            return;
        }
        // Single-type pages are link targets; multi-enum pages are reached by name.
        if !matches!(definition, Definition::FromBody { .. }) {
            self.files.entry(stem).or_insert_with(|| key.clone());
        }
        self.definitions.insert(key, definition);
    }

    /// The definition key a type reference points at, if any.
    fn lookup(&self, type_ref: &TypeRef) -> Option<String> {
        let TypeRef::Named { name, target } = type_ref else {
            return None;
        };
        let bare = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        if self.definitions.contains_key(&bare) {
            return Some(bare);
        }
        let target = target.as_deref()?;
        self.files.get(&file_stem(target)).cloned()
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
                if property.facts.possible_values.is_empty() || self.lookup(named).is_some() {
                    continue;
                }
                self.define(
                    name,
                    Definition::InferredEnum {
                        page,
                        graph_name: name.clone(),
                        values: property.facts.possible_values.clone(),
                        property: property.name.clone(),
                        line: property.line,
                    },
                );
            }
        }
    }

    fn assign_names(&mut self) {
        let mut scope = names::Scope::default();
        let keys: Vec<String> = self.definitions.keys().cloned().collect();
        for key in keys {
            let definition = &self.definitions[&key];
            let wanted = names::type_name(definition.graph_name());
            let area = area_of(definition.page());
            let file = definition.page().file.clone();
            let (name, renamed) = scope.claim(wanted.clone());
            if renamed {
                self.report(
                    Code::DuplicateName,
                    &file,
                    1,
                    format!("Rust name `{wanted}` is taken; this type is `{name}`"),
                );
            }
            self.paths.insert(key, TypePath { area, name });
        }
    }

    fn field_type(&mut self, type_ref: &TypeRef, file: &str, line: usize) -> FieldType {
        match type_ref {
            TypeRef::Primitive { primitive } => match primitive {
                Primitive::Json | Primitive::Stream => FieldType::Json,
                primitive => FieldType::Primitive {
                    primitive: *primitive,
                },
            },
            TypeRef::Collection { item } => FieldType::Collection {
                item: Box::new(self.field_type(item, file, line)),
            },
            TypeRef::Named { name, .. } => {
                match self.lookup(type_ref) {
                    Some(key) => {
                        let path = self.paths[&key].clone();
                        if self.definitions[&key].is_enum() {
                            FieldType::Enum { path }
                        } else {
                            FieldType::Model { path }
                        }
                    }
                    None => {
                        self.report(
                        Code::UnresolvedType,
                        file,
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

    fn fields(
        &mut self,
        page: &ParsedPage,
        properties: &[&Property],
        role: ModelRole,
    ) -> Vec<Field> {
        let mut scope = names::Scope::default();
        // `@odata.type` is always a field of its own.
        scope.claim("odata_type".to_string());
        let mut fields = Vec::new();
        for property in properties {
            if property.name == "@odata.type" {
                continue;
            }
            let field_type = self.field_type(&property.type_ref, &page.file, property.line);
            let (rust_name, renamed) = scope.claim(names::snake(&property.name));
            if renamed {
                self.report(
                    Code::DuplicateName,
                    &page.file,
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
        for model in models.iter() {
            body_names.claim(model.rust_name.clone());
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
                    .map(|type_ref| self.field_type(type_ref, &page.file, response.line))
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
                    self.report(
                        Code::DuplicateOperation,
                        &page.file,
                        request.line,
                        format!(
                            "{} {} is also documented in `{first}`; the first is kept",
                            request.method.as_str(),
                            request.path.raw
                        ),
                    );
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
        operations.sort_by_key(|a| (a.template(), a.method));
        operations
    }

    /// The body type of a method page, if it has a body table.
    fn body_model(
        &mut self,
        page: &ParsedPage,
        method: &MethodPage,
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
        let properties: Vec<&Property> = body.properties.iter().collect();
        let read_only = properties
            .iter()
            .filter(|property| property.facts.read_only)
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
