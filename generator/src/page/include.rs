//! Include files: parts of pages kept in files of their own, which are not pages. Today's
//! method pages keep their permissions table in `<version>/includes/permissions/<name>.md`
//! (front matter, then one `Permission type | Least privileged permissions | Higher privileged
//! permissions` table); [`parse_permissions_include`] reads it.

use serde::Serialize;

use super::model::Permission;
use super::{PageReader, parse_bytes_lossily};
use crate::diagnostics::{Code, Diagnostic, Location};

/// Include files by their path relative to the specs root.
pub type Includes = std::collections::BTreeMap<String, PermissionsInclude>;

/// A permissions include file as read: the permission rows of its table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PermissionsInclude {
    /// Path relative to the specs root, `/`-separated.
    pub file: String,
    pub permissions: Vec<Permission>,
}

/// Whether `path` (relative to the specs root, `/`-separated) is an include file rather than a
/// page: it sits in an `includes` folder.
pub fn is_include_path(path: &str) -> bool {
    path.split('/')
        .rev()
        .skip(1)
        .any(|folder| folder.eq_ignore_ascii_case("includes"))
}

/// Reads a permissions include. A file without a permissions table is reported: the pages
/// that include it would otherwise show no permissions without a word.
pub fn parse_permissions_include(
    file: &str,
    source: &str,
) -> (PermissionsInclude, Vec<Diagnostic>) {
    let mut reader = PageReader::new(file, source);
    reader.read();
    let mut diagnostics = reader.diagnostics;
    let permissions = reader.method.permissions;
    if permissions.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::IncludeWithoutPermissions,
            Location {
                file: file.to_string(),
                line: 1,
                column: 1,
            },
            "include file has no permissions table; the pages that include it show no permissions",
        ));
    }
    (
        PermissionsInclude {
            file: file.to_string(),
            permissions,
        },
        diagnostics,
    )
}

/// [`parse_permissions_include`] over raw bytes: invalid UTF-8 is replaced, with a diagnostic.
pub fn parse_permissions_include_bytes(
    file: &str,
    bytes: &[u8],
) -> (PermissionsInclude, Vec<Diagnostic>) {
    parse_bytes_lossily(file, bytes, parse_permissions_include)
}
