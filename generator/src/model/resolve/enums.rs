//! Enums: those inferred from a property's "Possible values" where no page defines one (and
//! the check of those values against a page that does), flags, member names.

use std::collections::BTreeSet;

use crate::diagnostics::Code;
use crate::model::{EnumMember, FieldType, Primitive};
use crate::names;
use crate::page::{self, ParsedPage, Property, ResourcePage, TypeRef};

use super::definitions::{Definition, file_stem, namespace_of};
use super::{Resolver, docs_from};

impl<'p> Resolver<'p> {
    pub(super) fn infer_enums(&mut self, pages: &[&'p ParsedPage]) {
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
                if property.facts.possible_values.is_empty() {
                    continue;
                }
                // The page's own table of the values wins over its prose.
                let tabulated = (page.file.clone(), property.name.to_ascii_lowercase());
                if let Some(key) = self.tabulated.get(&tabulated).cloned() {
                    self.check_inferred_against_page(&key, page, property);
                    continue;
                }
                let named = match &property.type_ref {
                    TypeRef::Collection { item } => item.as_ref(),
                    other => other,
                };
                let TypeRef::Named { name, .. } = named else {
                    continue;
                };
                match self.lookup(named, page) {
                    Some(key) => self.check_inferred_against_page(&key, page, property),
                    None => {
                        // `microsoft.graph.identityGovernance.lifecyclePolicySource` is the
                        // `lifecyclePolicySource` of that namespace, not a longer name.
                        let (namespace, bare) = match name.rsplit_once('.') {
                            Some((namespace, bare)) if namespace.starts_with("microsoft.") => {
                                (namespace.to_string(), bare)
                            }
                            _ => (namespace_of(page), name.as_str()),
                        };
                        self.define(
                            &namespace,
                            bare,
                            Definition::InferredEnum {
                                page,
                                graph_name: bare.to_string(),
                                values: property.facts.possible_values.clone(),
                                property: property.name.clone(),
                                line: property.line,
                            },
                        )
                    }
                }
            }
        }
    }

    /// The enums a resource page tabulates under `### x values` (`#### x values`): `x` names
    /// a property of the page (whose type cell may just say `String`) or its type. The enum is
    /// defined as `x` (prefixed with the resource's name when another type is called `x`), and
    /// the page's properties named `x` or typed `x` take it.
    pub(super) fn define_tabulated_enums(
        &mut self,
        page: &'p ParsedPage,
        resource: &'p ResourcePage,
    ) {
        let own_name = resource.name.as_deref().unwrap_or("");
        let namespace = namespace_of(page);
        for def in &page.enums {
            // A table under no `x values` heading is named after the page: not an enum.
            if def.name.is_empty() || def.name.eq_ignore_ascii_case(own_name) {
                continue;
            }
            let free = |name: &str| {
                !self
                    .definitions
                    .contains_key(&format!("{namespace}.{name}").to_ascii_lowercase())
            };
            let graph_name = if free(&def.name) {
                def.name.clone()
            } else {
                format!("{own_name}{}", names::type_name(&def.name))
            };
            if !free(&graph_name) {
                continue;
            }
            let key = format!("{namespace}.{graph_name}").to_ascii_lowercase();
            self.value_tables.insert(
                (file_stem(&page.file), def.name.to_ascii_lowercase()),
                key.clone(),
            );
            self.define(
                &namespace,
                &graph_name,
                Definition::Enum {
                    page,
                    def,
                    graph_name: graph_name.clone(),
                    tabulated_in: Some(own_name.to_string()),
                },
            );
            for property in resource.properties.iter().chain(&resource.relationships) {
                let named = match &property.type_ref {
                    TypeRef::Collection { item } => item.as_ref(),
                    other => other,
                };
                let typed_so = matches!(named, TypeRef::Named { name, .. }
                    if name.rsplit('.').next().is_some_and(|bare| bare.eq_ignore_ascii_case(&def.name)));
                let named_so = property.name.eq_ignore_ascii_case(&def.name)
                    && matches!(
                        named,
                        TypeRef::Primitive {
                            primitive: Primitive::String
                        } | TypeRef::Named { .. }
                            | TypeRef::Unknown { .. }
                    );
                if typed_so || named_so {
                    self.tabulated.insert(
                        (page.file.clone(), property.name.to_ascii_lowercase()),
                        key.clone(),
                    );
                }
            }
        }
    }

    /// The enum a resource page tabulates a property's values in, shaped like the property's
    /// type (one value, or a collection of them).
    pub(super) fn tabulated_enum(
        &self,
        page: &ParsedPage,
        property: &Property,
    ) -> Option<FieldType> {
        let key = self
            .tabulated
            .get(&(page.file.clone(), property.name.to_ascii_lowercase()))?;
        let path = self.paths.get(key)?.clone();
        let single = if self.flags.contains(key) {
            FieldType::Flags { path }
        } else {
            FieldType::Enum { path }
        };
        Some(match &property.type_ref {
            TypeRef::Collection { .. } => FieldType::Collection {
                item: Box::new(single),
            },
            _ => single,
        })
    }

    /// A property's "Possible values" and the enum page it links to must agree.
    fn check_inferred_against_page(&mut self, key: &str, page: &ParsedPage, property: &Property) {
        let Some(Definition::Enum {
            def,
            page: enum_page,
            ..
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
            // Say when only the spelling differs: the table's spelling is the one used.
            let described: Vec<String> = missing
                .iter()
                .map(|value| {
                    match members
                        .iter()
                        .find(|member| member.eq_ignore_ascii_case(value))
                    {
                        Some(member) => format!("{value} (the table writes `{member}`)"),
                        None => value.to_string(),
                    }
                })
                .collect();
            let message = format!(
                "`{}` lists {} that the `{}` table (`{}`) does not: {}; the table's members are used",
                property.name,
                if missing.len() == 1 {
                    "a value"
                } else {
                    "values"
                },
                def.name,
                enum_page.file,
                described.join(", ")
            );
            let (file, line) = (page.file.clone(), property.line);
            self.report(Code::EnumMismatch, &file, line, message);
        }
    }
}

pub(super) fn enum_members<'a>(
    members: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<EnumMember> {
    let mut scope = names::Scope::default();
    // `Other` holds unknown values, so no member may take that name.
    scope.claim("Other".to_string());
    let mut seen = BTreeSet::new();
    members
        // A `null` row says the property may be unset (JSON null), not that "null" is a value.
        .filter(|(value, _)| *value != "null" && seen.insert(value.to_string()))
        .map(|(value, description)| EnumMember {
            json_value: value.to_string(),
            rust_name: scope.claim(names::pascal(value)).0,
            docs: docs_from((!description.is_empty()).then_some(description)),
        })
        .collect()
}

/// Whether members end in `unknownFutureValue` (in any case), and the members after it.
pub(super) fn evolvable_members(members: &[EnumMember]) -> (bool, Vec<String>) {
    match members
        .iter()
        .position(|member| member.json_value.eq_ignore_ascii_case("unknownFutureValue"))
    {
        Some(at) => (
            true,
            members[at + 1..]
                .iter()
                .map(|member| member.json_value.clone())
                .collect(),
        ),
        None => (false, Vec::new()),
    }
}

/// Power-of-two member values mark a flags enum (Intune writes them so).
pub(super) fn is_flags(def: &page::EnumDef) -> bool {
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
