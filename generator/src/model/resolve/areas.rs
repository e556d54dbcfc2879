//! Areas: the Rust module a page's types and calls live in.

use crate::names;
use crate::page::ParsedPage;

use super::definitions::file_stem;

/// The area (Rust module) of a page: its `ms.prod`; for pages without one, the family prefix
/// of its file name (`intune-…`, `callrecords-…`), else `common`.
pub(super) fn area_of(page: &ParsedPage) -> String {
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
