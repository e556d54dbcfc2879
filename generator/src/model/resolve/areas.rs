//! Areas: the Rust module (and cargo feature) a page's types and calls live in.

use crate::names;
use crate::page::ParsedPage;

use super::Resolver;
use super::definitions::file_stem;

impl<'p> Resolver<'p> {
    /// The area of a page: what its front matter says (`ms.prod`, or today's `ms.subservice`);
    /// else that of the resource page its file-name family names (`user-get.md` → `user.md`);
    /// else the family itself (`intune-…`, `callrecords-…`); else `common`.
    pub(super) fn area_of(&self, page: &ParsedPage) -> String {
        if let Some(area) = declared_area(page) {
            return module_name(&area);
        }
        let stem = file_stem(&page.file);
        let Some((family, _)) = stem.split_once('-') else {
            return family_area(page);
        };
        match self
            .files
            .get(family)
            .and_then(|key| self.definitions.get(key))
        {
            // Where that page's types are: its declared area, else its own family's.
            Some(definition) => {
                let named = definition.page();
                match declared_area(named) {
                    Some(area) => module_name(&area),
                    None => family_area(named),
                }
            }
            None => module_name(family),
        }
    }
}

/// The area of a page that declares none, by its file name alone.
fn family_area(page: &ParsedPage) -> String {
    match file_stem(&page.file).split_once('-') {
        Some((family, _)) => module_name(family),
        None => "common".to_string(),
    }
}

/// The area a page's front matter declares, in the 2021 docs' `ms.prod` names: today's pages
/// mostly carry an `ms.subservice` instead (`entra-users`, `onedrive`, ...), mapped to the
/// `ms.prod` the same pages had, so one workload keeps one area (and cargo feature).
fn declared_area(page: &ParsedPage) -> Option<String> {
    let usable = |value: &str| {
        let value = value.trim();
        // `<ms.prod>`: a template's placeholder left in the page.
        (!value.is_empty() && value != "non-product-specific" && !value.contains(['<', '>']))
            .then(|| value.to_ascii_lowercase())
    };
    let front_matter = &page.front_matter;
    if let Some(prod) = front_matter.ms_prod.as_deref().and_then(usable) {
        return Some(prod);
    }
    let subservice = front_matter.ms_subservice.as_deref().and_then(usable)?;
    let area = match subservice.as_str() {
        "entra-users" => "users",
        "entra-groups" => "groups",
        "entra-directory-management" => "directory-management",
        "entra-applications" => "applications",
        "entra-id-governance" => "governance",
        "entra-sign-in" => "identity-and-sign-in",
        "entra-monitoring-health" => "identity-and-access-reports",
        "onedrive" => "files",
        "teams" => "microsoft-teams",
        "intune" | "intune-devices" => "intune",
        other => other.strip_prefix("entra-").unwrap_or(other),
    };
    Some(area.to_string())
}

fn module_name(area: &str) -> String {
    names::snake(area).trim_start_matches("r#").to_string()
}
