//! Turns Microsoft Graph markdown reference pages into a typed Rust client.
//!
//! The pipeline reads top to bottom, one module per stage:
//! pages → [`page`] (one `ParsedPage` each) → [`model`] (one resolved `Api`) →
//! [`emit`] (Rust tokens, formatted per file) → [`output`] (files on disk, atomically).
//! Every stage reports problems as [`diagnostics::Diagnostic`]s and carries on.

pub mod corpus;
pub mod diagnostics;
pub mod emit;
pub mod lint;
pub mod model;
pub mod names;
pub mod output;
pub mod page;

use std::collections::BTreeMap;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use diagnostics::{Code, Diagnostic, Location, Severity};
use page::ParsedPage;
pub use page::{Includes, PermissionsInclude};

/// The API versions Graph serves, as they appear in folder names and URLs.
pub const VERSIONS: &[&str] = &["beta", "v1.0"];

/// A page read from disk.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Relative to the specs root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The file at the specs root that lists the docs' examples known to be wrong (see
/// [`model::suppressions`]).
pub const SUPPRESSIONS_FILE: &str = "examples.suppressions";

/// Every `*.md` file under `root`, and the root's [`SUPPRESSIONS_FILE`] if there is one,
/// sorted by path so that everything after is deterministic.
pub fn read_specs(root: &Path) -> io::Result<Vec<SpecFile>> {
    let mut paths = Vec::new();
    collect_markdown(root, &mut paths)?;
    let suppressions = root.join(SUPPRESSIONS_FILE);
    if suppressions.is_file() {
        paths.push(suppressions);
    }
    paths.sort();
    paths
        .into_par_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            Ok(SpecFile {
                path: relative.to_string_lossy().replace('\\', "/"),
                bytes,
            })
        })
        .collect()
}

fn collect_markdown(dir: &Path, paths: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_markdown(&path, paths)?;
        } else if path.extension().is_some_and(|extension| extension == "md")
            && !is_repository_file(&path)
        {
            paths.push(path);
        }
    }
    Ok(())
}

/// `README.md`, `LICENSE.md` and their kin describe a docs repository; they are not pages.
fn is_repository_file(path: &Path) -> bool {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| {
            stem.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        })
}

/// One file's parse, or the panic that stopped it (reported as diagnostic `P0099`): a page, an
/// include file, or neither (the suppressions file, a panic).
#[derive(Debug, Clone)]
pub struct PageResult {
    pub page: Option<ParsedPage>,
    /// Set for an include file (see [`page::include`]), which is never a page.
    pub include: Option<PermissionsInclude>,
    pub diagnostics: Vec<Diagnostic>,
}

impl PageResult {
    /// Whether the file was an include file rather than a page.
    pub fn is_include(&self) -> bool {
        self.include.is_some()
    }
}

/// Parses one file, turning a panic into a diagnostic so one bad page never stops a run.
/// The suppressions file is not a page: it gives no page and no diagnostic here. A file in an
/// `includes` folder is read as an include, not a page.
pub fn parse_file(file: &SpecFile) -> PageResult {
    if file.path == SUPPRESSIONS_FILE {
        return PageResult {
            page: None,
            include: None,
            diagnostics: Vec::new(),
        };
    }
    let include = page::include::is_include_path(&file.path);
    match catch_unwind(AssertUnwindSafe(|| {
        if include {
            let (include, diagnostics) =
                page::include::parse_permissions_include_bytes(&file.path, &file.bytes);
            (None, Some(include), diagnostics)
        } else {
            let (page, diagnostics) = page::parse_page_bytes(&file.path, &file.bytes);
            (Some(page), None, diagnostics)
        }
    })) {
        Ok((page, include, diagnostics)) => PageResult {
            page,
            include,
            diagnostics,
        },
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            PageResult {
                page: None,
                include: None,
                diagnostics: vec![Diagnostic::new(
                    Code::Panic,
                    Location {
                        file: file.path.clone(),
                        line: 1,
                        column: 1,
                    },
                    format!("the parser panicked: {message}"),
                )],
            }
        }
    }
}

/// Parses every file in parallel; results are in the files' order.
pub fn parse_files(files: &[SpecFile]) -> Vec<PageResult> {
    files.par_iter().map(parse_file).collect()
}

/// Everything a regeneration produces.
#[derive(Debug)]
pub struct Generation {
    pub files: Vec<emit::GeneratedFile>,
    pub apis: Vec<model::Api>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Generation {
    /// Whether any finding means the output is incomplete (a page the parser could not read).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

#[derive(Debug)]
pub enum GenerateError {
    Io(PathBuf, io::Error),
    /// The specs tree is neither `<version>/...` nor named after a version.
    UnknownVersion(PathBuf),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Io(path, error) => write!(f, "{}: {error}", path.display()),
            GenerateError::UnknownVersion(path) => write!(
                f,
                "{}: cannot tell the API version; expected `beta/` or `v1.0/` folders, or a folder named after a version",
                path.display()
            ),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Reads, parses, resolves and emits a specs tree. Writes nothing. Every stage runs on the
/// current rayon pool; the result is the same for any number of threads.
pub fn generate(specs: &Path, options: &emit::EmitOptions) -> Result<Generation, GenerateError> {
    let files = read_specs(specs).map_err(|error| GenerateError::Io(specs.to_path_buf(), error))?;
    generate_from(specs, files, options)
}

/// [`generate`] over pages already read from `specs` (by [`read_specs`]).
pub fn generate_from(
    specs: &Path,
    files: Vec<SpecFile>,
    options: &emit::EmitOptions,
) -> Result<Generation, GenerateError> {
    let results = parse_files(&files);
    let suppressions = files
        .iter()
        .find(|file| file.path == SUPPRESSIONS_FILE)
        .map(|file| String::from_utf8_lossy(&file.bytes).into_owned());
    drop(files);
    let (by_version, includes, mut diagnostics) = split_versions(specs, results)?;
    let (mut apis, found) = resolve_versions(by_version, &includes);
    diagnostics.extend(found);
    if let Some(text) = suppressions {
        diagnostics.extend(model::suppressions::apply(
            SUPPRESSIONS_FILE,
            &text,
            &mut apis,
        ));
    }
    let files = emit::emit(&apis, options);
    Ok(Generation {
        files,
        apis,
        diagnostics,
    })
}

/// Parsed pages grouped by API version (from their first folder, or from the specs folder's
/// own name), with the parse diagnostics in file order.
pub type ByVersion = BTreeMap<String, Vec<ParsedPage>>;

/// Groups parse results by version (see [`ByVersion`]) and gathers the include files.
pub fn split_versions(
    specs: &Path,
    results: Vec<PageResult>,
) -> Result<(ByVersion, Includes, Vec<Diagnostic>), GenerateError> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut by_version: ByVersion = BTreeMap::new();
    let mut includes = Includes::new();
    for result in results {
        diagnostics.extend(result.diagnostics);
        if let Some(include) = result.include {
            includes.insert(include.file.clone(), include);
        }
        let Some(page) = result.page else { continue };
        let version = page_version(specs, &page.file)?;
        by_version.entry(version).or_default().push(page);
    }
    Ok((by_version, includes, diagnostics))
}

/// The API version of the page `file` (relative to `specs`): its first folder when that is a
/// version, else the specs folder's own name.
pub fn page_version(specs: &Path, file: &str) -> Result<String, GenerateError> {
    let first = file.split('/').next().unwrap_or("");
    if VERSIONS.contains(&first) {
        return Ok(first.to_string());
    }
    specs
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .filter(|name| VERSIONS.contains(&name.as_str()))
        .ok_or_else(|| GenerateError::UnknownVersion(specs.join(file)))
}

/// Resolves each version (versions in parallel); APIs and diagnostics in version order.
pub fn resolve_versions(
    by_version: ByVersion,
    includes: &Includes,
) -> (Vec<model::Api>, Vec<Diagnostic>) {
    let resolved: Vec<(model::Api, Vec<Diagnostic>)> = by_version
        .into_par_iter()
        .map(|(version, pages)| model::resolve(&version, &pages, includes))
        .collect();
    let mut apis = Vec::with_capacity(resolved.len());
    let mut diagnostics = Vec::new();
    for (api, found) in resolved {
        apis.push(api);
        diagnostics.extend(found);
    }
    (apis, diagnostics)
}
