//! Inheritance: each type's base, each base's derived types, and the polymorphic (`Any…`)
//! enums of the bases used as a field type.

use std::collections::BTreeSet;

use crate::diagnostics::Code;
use crate::model::{Polymorphic, PolymorphicVariant, TypePath};
use crate::names;
use crate::page::{ParsedPage, Property, TypeRef};

use super::Resolver;
use super::definitions::{Definition, namespace_of};

impl<'p> Resolver<'p> {
    pub(super) fn link_bases(&mut self) {
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
    pub(super) fn choose_polymorphic(&mut self, pages: &[&'p ParsedPage]) {
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

    pub(super) fn odata_type_of(&self, key: &str) -> String {
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

    pub(super) fn polymorphic_enums(&self) -> Vec<Polymorphic> {
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
                    carries_evolvable_enums: false,
                }
            })
            .collect();
        enums.sort_by(|a, b| (&a.area, &a.rust_name).cmp(&(&b.area, &b.rust_name)));
        enums
    }
}
