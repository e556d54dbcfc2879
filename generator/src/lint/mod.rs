//! Docs lint: findings about the pages themselves (codes `L0001`…), from the parsed pages
//! and the resolved model. Example JSON is checked against the model's types the way the
//! generated client would read it, so that a lint finding explains why an example does not
//! deserialise; broken links, duplicate operations, request/response pairing and request
//! lines that match no template are found from the pages alone.
//!
//! Everything here is read-only over its inputs and never panics on a page: every problem
//! becomes a [`Diagnostic`] with file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Location, Severity};
use crate::model::Api;
use crate::page::ParsedPage;
use crate::{GenerateError, SpecFile};

mod examples;
mod formats;
mod links;
mod requests;
mod tables;
mod type_index;
mod values;

pub use examples::response_value;
pub use formats::{check_format, looks_like_placeholder};
pub use requests::{RequestCheck, check_request_line};
pub use type_index::TypeIndex;
pub use values::{Direction, PathElem, ValueFinding};

use examples::lint_page;
use links::{LinkIndex, lint_links};
use requests::duplicate_operations;

/// The result of linting a docs tree.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
}

impl LintReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    }

    /// Counts by code, in code order.
    pub fn by_code(&self) -> BTreeMap<Code, usize> {
        let mut counts = BTreeMap::new();
        for diagnostic in &self.diagnostics {
            *counts.entry(diagnostic.code).or_default() += 1;
        }
        counts
    }

    /// The closing summary: one line per code, then totals by severity.
    pub fn summary(&self) -> String {
        let mut text = String::new();
        for (code, count) in self.by_code() {
            text.push_str(&format!(
                "{count:>7} {code} {:<7} {}\n",
                severity_word(code.severity()),
                code.summary()
            ));
        }
        text.push_str(&format!(
            "lint: {} pages, {} errors, {} warnings, {} notes\n",
            self.pages,
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Note)
        ));
        text
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A docs tree read, parsed and resolved: what both the lint and the example checks need.
pub struct Tree {
    pub files: Vec<SpecFile>,
    /// Parse diagnostics, per file (same order as `files`).
    pub parse_diagnostics: Vec<Vec<Diagnostic>>,
    /// Pages by version; each page keeps the index of its file in `files`.
    pub versions: BTreeMap<String, Vec<(usize, ParsedPage)>>,
    pub apis: BTreeMap<String, Api>,
}

impl Tree {
    pub fn read(root: &Path) -> Result<Tree, GenerateError> {
        let files = crate::read_specs(root)
            .map_err(|error| GenerateError::Io(root.to_path_buf(), error))?;
        Tree::from_files(root, files)
    }

    pub fn from_files(root: &Path, files: Vec<SpecFile>) -> Result<Tree, GenerateError> {
        let results = crate::parse_files(&files);
        let mut versions: BTreeMap<String, Vec<(usize, ParsedPage)>> = BTreeMap::new();
        let mut includes = crate::Includes::new();
        let mut parse_diagnostics = Vec::with_capacity(results.len());
        for (index, result) in results.into_iter().enumerate() {
            parse_diagnostics.push(result.diagnostics);
            if let Some(include) = result.include {
                includes.insert(include.file.clone(), include);
            }
            let Some(page) = result.page else { continue };
            let version = crate::page_version(root, &page.file)?;
            versions.entry(version).or_default().push((index, page));
        }
        let apis = versions
            .par_iter()
            .map(|(version, pages)| {
                let pages: Vec<ParsedPage> = pages.iter().map(|(_, page)| page.clone()).collect();
                (
                    version.clone(),
                    crate::model::resolve(version, &pages, &includes).0,
                )
            })
            .collect();
        Ok(Tree {
            files,
            parse_diagnostics,
            versions,
            apis,
        })
    }

    /// Every page with its version's API, in file order.
    pub fn pages(&self) -> Vec<(&SpecFile, &ParsedPage, &Api)> {
        let mut pages: Vec<(usize, &ParsedPage, &Api)> = Vec::new();
        for (version, list) in &self.versions {
            let Some(api) = self.apis.get(version) else {
                continue;
            };
            pages.extend(list.iter().map(|(index, page)| (*index, page, api)));
        }
        pages.sort_by_key(|(index, _, _)| *index);
        pages
            .into_iter()
            .map(|(index, page, api)| (&self.files[index], page, api))
            .collect()
    }
}

/// Lints every page under `root`.
pub fn lint_tree(root: &Path) -> Result<LintReport, GenerateError> {
    let tree = Tree::read(root)?;
    Ok(lint(&tree))
}

/// Lints a tree already read.
pub fn lint(tree: &Tree) -> LintReport {
    let indexes: HashMap<&str, TypeIndex> = tree
        .apis
        .iter()
        .map(|(version, api)| (version.as_str(), TypeIndex::new(api)))
        .collect();
    let links = LinkIndex::new(&tree.files);
    let pages = tree.pages();
    let mut diagnostics: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|(file, page, api)| {
            let index = &indexes[api.version.as_str()];
            let source = String::from_utf8_lossy(&file.bytes);
            let mut found = Vec::new();
            lint_links(page, &source, &links, &mut found);
            lint_page(page, &source, index, &mut found);
            found
        })
        .collect();
    // Parse findings the lint reports under its own codes, and pages that could not be read.
    for list in &tree.parse_diagnostics {
        for diagnostic in list {
            if diagnostic.code == Code::ExampleJson {
                let mut lint = diagnostic.clone();
                lint.code = Code::LintInvalidJson;
                lint.severity = Code::LintInvalidJson.severity();
                diagnostics.push(lint);
            } else if diagnostic.severity == Severity::Error {
                diagnostics.push(diagnostic.clone());
            }
        }
    }
    for pages in tree.versions.values() {
        duplicate_operations(pages.iter().map(|(_, page)| page), &mut diagnostics);
    }
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    LintReport {
        diagnostics,
        pages: pages.len(),
    }
}

fn at(file: &str, line: usize, column: usize) -> Location {
    Location {
        file: file.to_string(),
        line: line.max(1),
        column: column.max(1),
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

fn name_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|name| format!("`{name}`")).collect();
    if names.len() > 4 {
        format!("{} and {} more", names[..4].join(", "), names.len() - 4)
    } else {
        names.join(", ")
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}
