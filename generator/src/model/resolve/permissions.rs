//! Permissions: a method page's own tables, and those of the include files it points to
//! (today's pages keep them in `includes/permissions/<name>-permissions.md`).

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::Permission;
use crate::page::{Includes, MethodPage, ParsedPage};

use super::Resolver;

/// What a method page says of its permissions.
pub(super) struct PagePermissions {
    pub(super) permissions: Vec<Permission>,
    /// The include targets (as the page writes them) that are not in the specs tree.
    pub(super) missing: Vec<String>,
}

impl<'p> Resolver<'p> {
    /// The page's permissions, its include files' after its own tables'. Each include that is
    /// not in the tree is one diagnostic, at its `[!INCLUDE` line.
    pub(super) fn page_permissions(
        &mut self,
        page: &ParsedPage,
        method: &MethodPage,
        includes: &Includes,
    ) -> PagePermissions {
        let mut permissions = method.permissions.clone();
        let mut missing = Vec::new();
        for reference in &method.permission_includes {
            match reference
                .resolve_from(&page.file)
                .and_then(|path| includes.get(&path))
            {
                Some(include) => permissions.extend(include.permissions.iter().cloned()),
                None => {
                    let wanted = reference
                        .resolve_from(&page.file)
                        .unwrap_or_else(|| reference.target.clone());
                    self.diagnostics.push(Diagnostic::new(
                        Code::IncludeMissing,
                        Location {
                            file: page.file.clone(),
                            line: reference.line,
                            column: reference.column,
                        },
                        format!(
                            "the permissions include `{wanted}` is not in the specs tree; this page's calls show no permissions"
                        ),
                    ));
                    missing.push(reference.target.clone());
                }
            }
        }
        PagePermissions {
            permissions,
            missing,
        }
    }
}
