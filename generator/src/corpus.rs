//! Corpus statistics: what the parser made of a whole docs tree. Used by `cargo xtask corpus`
//! and by the corpus test, which hold the parser to the thresholds below.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::PageResult;
use crate::diagnostics::Severity;
use crate::page::{PageKind, PageStats, Segment};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CorpusReport {
    /// Pages: every file but the include files.
    pub pages: usize,
    /// Include files (`includes/…`), which are parts of pages, not pages.
    pub includes: usize,
    /// Include files whose permissions table was read.
    pub includes_with_permissions: usize,
    pub bytes: usize,
    pub panics: usize,
    /// Pages by kind (`method`, `resource`, `enum`, `conceptual`).
    pub kinds: BTreeMap<String, usize>,
    pub method_pages: usize,
    pub method_pages_with_operation: usize,
    pub resource_pages: usize,
    pub resource_pages_with_type: usize,
    /// Table and row counts, summed over pages (flattened into the JSON report).
    #[serde(flatten)]
    pub tables: PageStats,
    pub operations: usize,
    /// Distinct request paths.
    pub paths: usize,
    pub properties: usize,
    pub enum_members: usize,
    pub examples: usize,
    /// Diagnostics by code.
    pub diagnostics: BTreeMap<String, usize>,
    /// Diagnostics by severity.
    pub severities: BTreeMap<String, usize>,
    /// The pages with the most diagnostics, most first.
    pub top_pages: Vec<(String, usize)>,
}

/// A required figure and whether the report meets it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    pub name: &'static str,
    pub value: f64,
    pub required: f64,
    pub met: bool,
}

impl CorpusReport {
    pub fn new(results: &[PageResult], sizes: &[usize]) -> Self {
        let mut report = CorpusReport {
            bytes: sizes.iter().sum(),
            ..CorpusReport::default()
        };
        let mut paths = std::collections::BTreeSet::new();
        let mut per_page: Vec<(String, usize)> = Vec::new();
        for result in results {
            match &result.include {
                Some(include) => {
                    report.includes += 1;
                    if !include.permissions.is_empty() {
                        report.includes_with_permissions += 1;
                    }
                }
                None => report.pages += 1,
            }
            for diagnostic in &result.diagnostics {
                *report
                    .diagnostics
                    .entry(diagnostic.code.as_str().to_string())
                    .or_default() += 1;
                let severity = match diagnostic.severity {
                    Severity::Note => "note",
                    Severity::Warning => "warning",
                    Severity::Error => "error",
                };
                *report.severities.entry(severity.to_string()).or_default() += 1;
                if diagnostic.code == crate::diagnostics::Code::Panic {
                    report.panics += 1;
                }
            }
            let Some(page) = &result.page else { continue };
            if !result.diagnostics.is_empty() {
                per_page.push((page.file.clone(), result.diagnostics.len()));
            }
            *report
                .kinds
                .entry(page.kind.as_str().to_string())
                .or_default() += 1;
            add_stats(&mut report.tables, &page.stats);
            report.enum_members += page
                .enums
                .iter()
                .map(|def| def.members.len())
                .sum::<usize>();
            match page.kind {
                PageKind::Method => {
                    report.method_pages += 1;
                    if let Some(method) = &page.method {
                        if !method.requests.is_empty() {
                            report.method_pages_with_operation += 1;
                        }
                        report.operations += method.requests.len();
                        report.examples += method.examples.len();
                        report.properties += method
                            .request_body
                            .as_ref()
                            .map_or(0, |body| body.properties.len());
                        for request in &method.requests {
                            paths.insert(path_key(&request.path.segments));
                        }
                    }
                }
                PageKind::Resource => {
                    report.resource_pages += 1;
                    if let Some(resource) = &page.resource {
                        let has_type = resource.name.is_some()
                            && (!resource.properties.is_empty()
                                || !resource.relationships.is_empty()
                                || resource.declares_no_properties);
                        if has_type {
                            report.resource_pages_with_type += 1;
                        }
                        report.properties +=
                            resource.properties.len() + resource.relationships.len();
                    }
                }
                PageKind::Enum | PageKind::Conceptual => {}
            }
        }
        report.paths = paths.len();
        per_page.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        per_page.truncate(10);
        report.top_pages = per_page;
        report
    }

    /// The thresholds the real Graph docs must meet (issue: parse every page).
    pub fn thresholds(&self) -> Vec<Threshold> {
        fn ratio(part: usize, whole: usize) -> f64 {
            if whole == 0 {
                1.0
            } else {
                part as f64 / whole as f64
            }
        }
        let rows_accounted = (self.tables.rows_parsed + self.tables.rows_diagnosed) as f64;
        let figures = [
            ("panics", self.panics as f64, 0.0, self.panics == 0),
            (
                "method pages with an operation",
                ratio(self.method_pages_with_operation, self.method_pages),
                0.995,
                ratio(self.method_pages_with_operation, self.method_pages) >= 0.995,
            ),
            (
                "resource pages with a type",
                ratio(self.resource_pages_with_type, self.resource_pages),
                1.0,
                self.resource_pages_with_type == self.resource_pages,
            ),
            (
                "property tables with properties",
                ratio(
                    self.tables.property_tables_with_properties,
                    self.tables.property_tables,
                ),
                0.995,
                ratio(
                    self.tables.property_tables_with_properties,
                    self.tables.property_tables,
                ) >= 0.995,
            ),
            (
                "member tables with members",
                ratio(
                    self.tables.member_tables_with_members,
                    self.tables.member_tables,
                ),
                0.99,
                ratio(
                    self.tables.member_tables_with_members,
                    self.tables.member_tables,
                ) >= 0.99,
            ),
            (
                "rows parsed or diagnosed",
                rows_accounted,
                self.tables.rows_total as f64,
                self.tables.rows_parsed + self.tables.rows_diagnosed == self.tables.rows_total,
            ),
        ];
        figures
            .into_iter()
            .map(|(name, value, required, met)| Threshold {
                name,
                value,
                required,
                met,
            })
            .collect()
    }
}

fn add_stats(total: &mut PageStats, page: &PageStats) {
    total.tables += page.tables;
    total.property_tables += page.property_tables;
    total.property_tables_with_properties += page.property_tables_with_properties;
    total.member_tables += page.member_tables;
    total.member_tables_with_members += page.member_tables_with_members;
    total.rows_total += page.rows_total;
    total.rows_parsed += page.rows_parsed;
    total.rows_diagnosed += page.rows_diagnosed;
}

/// Paths that differ only in parameter names are one path.
fn path_key(segments: &[Segment]) -> String {
    let mut key = String::new();
    for segment in segments {
        key.push('/');
        match segment {
            Segment::Static { name } => key.push_str(&name.to_ascii_lowercase()),
            Segment::Parameter(_) => key.push_str("{}"),
            Segment::Function { name, .. } => {
                key.push_str(&name.to_ascii_lowercase());
                key.push_str("()");
            }
            Segment::ItemPath { .. } => key.push_str(":{}:"),
        }
    }
    key
}
