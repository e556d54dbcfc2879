//! Definitions: every type the pages define (resource pages, enum pages, and the body tables
//! of resources no page defines), keyed by qualified name, and the lookup of a link or a name.

use crate::diagnostics::Code;
use crate::model::PathPart;
use crate::page::{self, PageKind, ParsedPage, Property, Segment, TypeRef};

use super::Resolver;
use super::actions::is_action;
use super::bodies::response_name;
use super::enums::is_flags;

/// The namespace of types a page does not qualify.
pub(super) const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// A definition before it has a Rust name, keyed by its lowercased qualified name
/// (`microsoft.graph.callrecords.session`).
#[derive(Debug, Clone)]
pub(super) enum Definition<'p> {
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
        /// The name it is defined under: the table's, or (when another type has that name)
        /// the table's prefixed with the resource's.
        graph_name: String,
        /// The resource whose page tabulates it under `### x values`, for an enum that has no
        /// page of its own.
        tabulated_in: Option<String>,
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
    pub(super) fn graph_name(&self) -> &str {
        match self {
            Definition::Resource { graph_name, .. }
            | Definition::FromBody { graph_name, .. }
            | Definition::InferredEnum { graph_name, .. }
            | Definition::Enum { graph_name, .. } => graph_name,
        }
    }

    pub(super) fn page(&self) -> &'p ParsedPage {
        match self {
            Definition::Resource { page, .. }
            | Definition::FromBody { page, .. }
            | Definition::Enum { page, .. }
            | Definition::InferredEnum { page, .. } => page,
        }
    }

    pub(super) fn is_enum(&self) -> bool {
        matches!(
            self,
            Definition::Enum { .. } | Definition::InferredEnum { .. }
        )
    }
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

impl<'p> Resolver<'p> {
    pub(super) fn collect_definitions(&mut self, pages: &[&'p ParsedPage]) {
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
                                Definition::Enum {
                                    page,
                                    def,
                                    graph_name: def.name.clone(),
                                    tabulated_in: None,
                                },
                            );
                        }
                    }
                }
                PageKind::Method | PageKind::Conceptual => {}
            }
        }
        // After every page's own types, so a table never takes the name of a type a page
        // defines.
        for page in pages {
            if page.kind == PageKind::Resource
                && let Some(resource) = &page.resource
            {
                self.define_tabulated_enums(page, resource);
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

    pub(super) fn define(&mut self, namespace: &str, name: &str, definition: Definition<'p>) {
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
            Definition::Enum {
                page, tabulated_in, ..
            } => tabulated_in.is_none() && page.enums.len() == 1,
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
    pub(super) fn lookup(&self, type_ref: &TypeRef, from: &ParsedPage) -> Option<String> {
        let TypeRef::Named { name, target } = type_ref else {
            return None;
        };
        // `user.md#agegroup-values`, `#agegroup-values`: a table of values on that page.
        if let Some(target) = target.as_deref()
            && let Some((file, anchor)) = target.split_once('#')
            && let Some(table) = anchor.strip_suffix("-values")
        {
            let stem = if file.is_empty() {
                file_stem(&from.file)
            } else {
                file_stem(file)
            };
            if let Some(key) = self.value_tables.get(&(stem, table.to_ascii_lowercase())) {
                return Some(key.clone());
            }
        }
        // A link into a page's list of values is about those values, never the page's own
        // type (`ageGroup` is not a `user`): the name decides.
        let into_values = target
            .as_deref()
            .and_then(|target| target.split_once('#'))
            .is_some_and(|(_, anchor)| anchor.ends_with("-values"));
        // When the link's text names another documented type than its target's page
        // (`[invitationParticipantInfo](participantinfo.md)`), the text is the type.
        let bare_text = name.trim().trim_start_matches('#');
        let bare_text = bare_text
            .rsplit('.')
            .next()
            .unwrap_or(bare_text)
            .to_ascii_lowercase();
        // (`[session](callrecords-session.md)` names the same type in another namespace).
        let text_names_another = target.as_deref().is_some_and(|target| {
            let target_bare = self
                .files
                .get(&file_stem(target))
                .map(|key| key.rsplit('.').next().unwrap_or(key).to_string());
            target_bare.is_some_and(|target_bare| target_bare != bare_text)
                && self.bare.contains_key(&bare_text)
        });
        if let Some(target) = target.as_deref()
            && !into_values
            && !text_names_another
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
}
