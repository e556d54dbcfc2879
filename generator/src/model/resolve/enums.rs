//! Enums: those inferred from a property's "Possible values" where no page defines one (and
//! the check of those values against a page that does), flags, member names.

use std::collections::BTreeSet;

use crate::diagnostics::Code;
use crate::model::EnumMember;
use crate::names;
use crate::page::{self, ParsedPage, Property, TypeRef};

use super::definitions::{Definition, namespace_of};
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
}

pub(super) fn enum_members<'a>(
    members: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<EnumMember> {
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
