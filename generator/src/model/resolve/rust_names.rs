//! Rust type names, decided once per version.

use crate::diagnostics::Code;
use crate::model::TypePath;
use crate::names;

use super::Resolver;
use super::definitions::{DEFAULT_NAMESPACE, namespace_of};

impl<'p> Resolver<'p> {
    /// Rust names, unique per version. `microsoft.graph` types are named first so they keep
    /// the plain name; a type of another namespace that clashes is prefixed with its
    /// namespace (`CallRecordsSession`), and the clash is reported.
    pub(super) fn assign_names(&mut self) {
        let mut scope = names::Scope::default();
        let mut keys: Vec<String> = self.definitions.keys().cloned().collect();
        keys.sort_by_key(|key| {
            let namespace = key.rsplit_once('.').map_or("", |(namespace, _)| namespace);
            (namespace != DEFAULT_NAMESPACE, key.clone())
        });
        for key in keys {
            let definition = &self.definitions[&key];
            let graph_name = definition.graph_name().to_string();
            let area = self.area_of(definition.page());
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
}

/// `callRecords` from `microsoft.graph.callRecords`: what a clashing name is prefixed with.
fn namespace_tail(namespace: &str) -> &str {
    namespace
        .strip_prefix(DEFAULT_NAMESPACE)
        .map(|rest| rest.trim_start_matches('.'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(namespace)
}
