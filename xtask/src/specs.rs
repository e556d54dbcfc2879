//! `cargo xtask specs`: curate a specs tree from a checkout of the docs repository.
//!
//! `add` copies the pages a pattern matches and then their closure: every page the generator's
//! resolver would reach from them for a type (property and relationship types, base types,
//! request-body, parameter and response types, enum pages), transitively. The closure is found
//! with the same lookup the resolver uses (`generator/src/model/resolve/definitions.rs`,
//! `lookup`): a link by its file stem, case-insensitively, when that stem names a single-type
//! page; otherwise the type's name, in the referring page's namespace first, then
//! `microsoft.graph`, then any.
//! So a closure this command calls complete regenerates without an unresolved-type (`M0002`)
//! diagnostic.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use graph_codegen::diagnostics::Code;
use graph_codegen::page::{PageKind, ParsedPage, TypeRef};
use graph_codegen::{SpecFile, VERSIONS};

/// The namespace of types a page does not qualify.
const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// The folders of a version that hold pages.
const KINDS: &[&str] = &["api", "resources"];

#[derive(Subcommand)]
pub enum SpecsCommand {
    /// Copy the pages whose file names match PATTERN from a docs checkout into the specs, with
    /// every page they need for their types, transitively.
    Add {
        /// The docs checkout: laid out as `api-reference/<version>/{api,resources}` (the docs
        /// repository), `<version>/{api,resources}`, or one version's `{api,resources}`.
        #[arg(long)]
        from: PathBuf,
        /// Required when the patterns match pages in more than one version.
        #[arg(long, value_parser = ["beta", "v1.0"])]
        version: Option<String>,
        /// The specs tree to add to, laid out as `<version>/{api,resources}`.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Print what would be added; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Globs on file names (`*` and `?`, any case), with or without `.md`, e.g.
        /// `intune-cloudpkigraphservice-*`. A pattern with a `/` is matched against
        /// `api/<file>` or `resources/<file>`.
        #[arg(required = true)]
        patterns: Vec<String>,
    },
    /// List the spec pages with their kind and what they define.
    List {
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
    },
    /// Remove the spec pages whose file names match PATTERN, and warn about the types the
    /// pages left behind no longer resolve.
    Remove {
        /// Only remove pages of this version (default: every version).
        #[arg(long, value_parser = ["beta", "v1.0"])]
        version: Option<String>,
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Print what would be removed; delete nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(required = true)]
        patterns: Vec<String>,
    },
}

pub fn run(command: SpecsCommand) -> ExitCode {
    let result = match command {
        SpecsCommand::Add {
            from,
            version,
            specs,
            dry_run,
            patterns,
        } => add(
            &from,
            version.as_deref(),
            &crate::from_root(&specs),
            &patterns,
            dry_run,
        ),
        SpecsCommand::List { specs } => list(&crate::from_root(&specs)),
        SpecsCommand::Remove {
            version,
            specs,
            dry_run,
            patterns,
        } => remove(
            &crate::from_root(&specs),
            version.as_deref(),
            &patterns,
            dry_run,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns

/// `*` matches any run of characters, `?` one character; ASCII case is ignored.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let text: Vec<char> = text.to_ascii_lowercase().chars().collect();
    // Iterative matcher with one backtrack point for the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Whether a page (`<version>/<kind>/<name>.md`) matches a pattern: on its file name or stem,
/// or on `<kind>/<name>.md` when the pattern has a `/`.
pub fn page_matches(pattern: &str, file: &str) -> bool {
    let mut parts = file.splitn(2, '/');
    let (_version, in_version) = (parts.next(), parts.next().unwrap_or(file));
    if pattern.contains('/') {
        let stem = in_version.strip_suffix(".md").unwrap_or(in_version);
        return glob_match(pattern, in_version) || glob_match(pattern, stem);
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    glob_match(pattern, name) || glob_match(pattern, stem)
}

// ---------------------------------------------------------------------------------------------
// Reading pages

/// A page of the docs or the specs, parsed. `file` is `<version>/<kind>/<name>.md`.
struct Page {
    file: String,
    bytes: Vec<u8>,
    parsed: ParsedPage,
}

/// The folder holding a version's `api/` and `resources/` in a docs checkout, if any.
fn docs_version_dir(docs: &Path, version: &str) -> Option<PathBuf> {
    let mut candidates = vec![docs.join("api-reference").join(version), docs.join(version)];
    // One version's folder; or a folder of `api/` and `resources/` that does not say its
    // version, which then needs `--version` (it matches in every version otherwise).
    let named_for_another = VERSIONS
        .iter()
        .any(|other| *other != version && docs.file_name().is_some_and(|name| name == *other));
    if !named_for_another {
        candidates.push(docs.to_path_buf());
    }
    candidates
        .into_iter()
        .find(|dir| KINDS.iter().any(|kind| dir.join(kind).is_dir()))
}

/// Every page of one version's folder, as `<version>/<kind>/<name>.md`, sorted.
fn read_version(dir: &Path, version: &str) -> io::Result<Vec<SpecFile>> {
    let mut files = Vec::new();
    for kind in KINDS {
        let folder = dir.join(kind);
        if !folder.is_dir() {
            continue;
        }
        for file in graph_codegen::read_specs(&folder).map_err(|error| {
            io::Error::new(error.kind(), format!("{}: {error}", folder.display()))
        })? {
            files.push(SpecFile {
                path: format!("{version}/{kind}/{}", file.path),
                bytes: file.bytes,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn parse(files: Vec<SpecFile>) -> Vec<Page> {
    let results = graph_codegen::parse_files(&files);
    files
        .into_iter()
        .zip(results)
        .filter_map(|(file, result)| {
            result.page.map(|parsed| Page {
                file: file.path,
                bytes: file.bytes,
                parsed,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The resolver's lookup, over a set of pages

use graph_codegen::model::{file_stem, namespace_of};

/// Which page defines each type, built the way the resolver builds its tables.
struct Index {
    /// Lowercased qualified name → index of the defining page.
    definitions: BTreeMap<String, usize>,
    /// Lowercased file stem of a single-type page → definition key.
    files: BTreeMap<String, String>,
    /// Lowercased bare name → definition keys, in page order.
    bare: BTreeMap<String, Vec<String>>,
}

impl Index {
    /// `pages` must be sorted by file, as the resolver sorts them.
    fn new(pages: &[Page]) -> Index {
        let mut index = Index {
            definitions: BTreeMap::new(),
            files: BTreeMap::new(),
            bare: BTreeMap::new(),
        };
        for (at, page) in pages.iter().enumerate() {
            let parsed = &page.parsed;
            match parsed.kind {
                PageKind::Resource => {
                    if let Some(name) = parsed.resource.as_ref().and_then(|r| r.name.as_ref()) {
                        index.define(parsed, name, at, true);
                    }
                }
                PageKind::Enum => {
                    let single = parsed.enums.len() == 1;
                    for def in &parsed.enums {
                        if !def.name.is_empty() {
                            index.define(parsed, &def.name, at, single);
                        }
                    }
                }
                PageKind::Method | PageKind::Conceptual => {}
            }
        }
        index
    }

    fn define(&mut self, page: &ParsedPage, name: &str, at: usize, single_type_page: bool) {
        let bare = name.rsplit('.').next().unwrap_or(name);
        let key = format!("{}.{bare}", namespace_of(page)).to_ascii_lowercase();
        if self.definitions.contains_key(&key) {
            return;
        }
        if single_type_page {
            self.files
                .entry(file_stem(&page.file))
                .or_insert_with(|| key.clone());
        }
        self.bare
            .entry(bare.to_ascii_lowercase())
            .or_default()
            .push(key.clone());
        self.definitions.insert(key, at);
    }

    /// The page that defines a named type, as the resolver would find it from `from`.
    fn lookup(&self, type_ref: &TypeRef, from: &ParsedPage) -> Option<usize> {
        let TypeRef::Named { name, target } = type_ref else {
            return None;
        };
        if let Some(target) = target.as_deref()
            && let Some(key) = self.files.get(&file_stem(target))
        {
            return self.definitions.get(key).copied();
        }
        let name = name.trim().trim_start_matches('#');
        if name.contains('.')
            && let Some(&at) = self.definitions.get(&name.to_ascii_lowercase())
        {
            return Some(at);
        }
        let bare = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        let candidates = self.bare.get(&bare)?;
        let local = format!("{}.{bare}", namespace_of(from)).to_ascii_lowercase();
        let default = format!("{DEFAULT_NAMESPACE}.{bare}");
        let key = candidates
            .iter()
            .find(|key| **key == local)
            .or_else(|| candidates.iter().find(|key| **key == default))
            .or_else(|| candidates.first())?;
        self.definitions.get(key).copied()
    }
}

/// Every named type a page refers to, with what refers to it (`property id`, `base type`...):
/// the references the resolver looks up, and function parameters besides.
fn references(page: &ParsedPage) -> Vec<(String, &TypeRef)> {
    fn named<'a>(why: &str, type_ref: &'a TypeRef, out: &mut Vec<(String, &'a TypeRef)>) {
        match type_ref {
            TypeRef::Named { .. } => out.push((why.to_string(), type_ref)),
            TypeRef::Collection { item } => named(why, item, out),
            TypeRef::Union { options } => {
                for option in options {
                    named(why, option, out);
                }
            }
            TypeRef::Primitive { .. } | TypeRef::Unknown { .. } => {}
        }
    }
    let mut out = Vec::new();
    if page.kind == PageKind::Resource
        && let Some(resource) = &page.resource
    {
        if let Some(base) = &resource.base_type {
            named("base type", base, &mut out);
        }
        for property in &resource.properties {
            named(
                &format!("property {}", property.name),
                &property.type_ref,
                &mut out,
            );
        }
        for relationship in &resource.relationships {
            let why = format!("relationship {}", relationship.name);
            named(&why, &relationship.type_ref, &mut out);
        }
    }
    if page.kind == PageKind::Method
        && let Some(method) = &page.method
    {
        if let Some(body) = &method.request_body {
            for property in &body.properties {
                let why = format!("request body {}", property.name);
                named(&why, &property.type_ref, &mut out);
            }
        }
        for parameter in &method.query_parameters {
            let why = format!("parameter {}", parameter.name);
            named(&why, &parameter.type_ref, &mut out);
        }
        if let Some(type_ref) = method
            .response
            .as_ref()
            .filter(|response| response.status != Some(204))
            .and_then(|response| response.type_ref.as_ref())
        {
            named("response", type_ref, &mut out);
        }
    }
    out
}

fn type_name(type_ref: &TypeRef) -> &str {
    match type_ref {
        TypeRef::Named { name, .. } => name,
        _ => "?",
    }
}

// ---------------------------------------------------------------------------------------------
// add

/// Why a page is in the closure.
#[derive(Debug, Clone)]
enum Reason {
    Matches(String),
    Linked { from: String, what: String },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Matches(pattern) => write!(f, "matches `{pattern}`"),
            Reason::Linked { from, what } => write!(f, "linked from {from}: {what}"),
        }
    }
}

/// The pages of a version as the specs will hold them after an `add`: the docs' pages, with a
/// page the specs already hold (under the same path, or only in the specs) taking precedence.
fn union(docs: Vec<SpecFile>, specs: Vec<SpecFile>) -> (Vec<Page>, BTreeSet<String>) {
    let in_specs: BTreeSet<String> = specs.iter().map(|file| file.path.clone()).collect();
    let mut files: BTreeMap<String, SpecFile> = docs
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect();
    for file in specs {
        files.insert(file.path.clone(), file);
    }
    (parse(files.into_values().collect()), in_specs)
}

fn add(
    docs: &Path,
    version: Option<&str>,
    specs: &Path,
    patterns: &[String],
    dry_run: bool,
) -> Result<(), String> {
    if !docs.is_dir() {
        return Err(format!("{}: no such folder", docs.display()));
    }
    // Which versions the patterns match in, to pick one or refuse to guess.
    let mut found: BTreeMap<&str, Vec<SpecFile>> = BTreeMap::new();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut version_dirs: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for candidate in VERSIONS {
        if version.is_some_and(|wanted| wanted != *candidate) {
            continue;
        }
        let Some(dir) = docs_version_dir(docs, candidate) else {
            continue;
        };
        let files = read_version(&dir, candidate).map_err(|error| error.to_string())?;
        if files.iter().any(|file| {
            patterns
                .iter()
                .any(|pattern| page_matches(pattern, &file.path))
        }) {
            found.insert(candidate, files);
            version_dirs.insert(candidate, dir.clone());
            dirs.insert(dir);
        }
    }
    let version = match found.len() {
        0 => {
            return Err(format!(
                "no page of {}{} matches {}",
                docs.display(),
                version.map(|v| format!(" ({v})")).unwrap_or_default(),
                patterns.join(" ")
            ));
        }
        1 => *found.keys().next().expect("one version"),
        _ if dirs.len() == 1 => {
            return Err(format!(
                "{} does not say which version its pages are; choose one with --version",
                docs.display()
            ));
        }
        _ => {
            let counts: Vec<String> = found
                .iter()
                .map(|(version, files)| {
                    let matched = files
                        .iter()
                        .filter(|file| patterns.iter().any(|p| page_matches(p, &file.path)))
                        .count();
                    format!("{version} ({matched} pages)")
                })
                .collect();
            return Err(format!(
                "the patterns match pages in {}; choose one with --version",
                counts.join(" and ")
            ));
        }
    };
    let docs_files = found.remove(version).expect("the chosen version");
    let specs_files = match specs.join(version).is_dir() {
        true => read_version(&specs.join(version), version).map_err(|error| error.to_string())?,
        false => Vec::new(),
    };
    let docs_bytes: BTreeMap<String, Vec<u8>> = docs_files
        .iter()
        .map(|file| (file.path.clone(), file.bytes.clone()))
        .collect();
    let (pages, in_specs) = union(docs_files, specs_files);
    let index = Index::new(&pages);

    // Breadth first from the matching pages, in path order, so the reasons are deterministic.
    let mut closure: BTreeMap<usize, Reason> = BTreeMap::new();
    let mut queue = VecDeque::new();
    for pattern in patterns {
        let mut any = false;
        for (at, page) in pages.iter().enumerate() {
            if page_matches(pattern, &page.file) && docs_bytes.contains_key(&page.file) {
                any = true;
                if let Entry::Vacant(entry) = closure.entry(at) {
                    entry.insert(Reason::Matches(pattern.clone()));
                    queue.push_back(at);
                }
            }
        }
        if !any {
            eprintln!("warning: `{pattern}` matches no page of {version}");
        }
    }
    let mut missing: BTreeSet<(String, String, String)> = BTreeSet::new();
    while let Some(at) = queue.pop_front() {
        let page = &pages[at];
        for (what, type_ref) in references(&page.parsed) {
            match index.lookup(type_ref, &page.parsed) {
                Some(target) => {
                    if let Entry::Vacant(entry) = closure.entry(target) {
                        entry.insert(Reason::Linked {
                            from: page.file.clone(),
                            what,
                        });
                        queue.push_back(target);
                    }
                }
                None => {
                    missing.insert((type_name(type_ref).to_string(), page.file.clone(), what));
                }
            }
        }
    }

    let mut added = 0;
    let mut present = 0;
    let verb = if dry_run { "would add" } else { "added" };
    for (&at, reason) in &closure {
        let page = &pages[at];
        if in_specs.contains(&page.file) {
            present += 1;
            if docs_bytes
                .get(&page.file)
                .is_some_and(|bytes| *bytes != page.bytes)
            {
                println!(
                    "kept {} (already in the specs, different from the docs' page; {reason})",
                    page.file
                );
            }
            continue;
        }
        added += 1;
        println!("{verb} {} ({reason})", page.file);
        if !dry_run {
            write_new(&specs.join(&page.file), &page.bytes)
                .map_err(|error| format!("{}: {error}", specs.join(&page.file).display()))?;
        }
    }
    for (name, from, what) in &missing {
        println!("not found: `{name}` (linked from {from}: {what})");
    }
    let added_pages: Vec<&Page> = closure
        .keys()
        .map(|&at| &pages[at])
        .filter(|page| !in_specs.contains(&page.file))
        .collect();
    let includes = copy_includes(
        &version_dirs[version],
        version,
        specs,
        &added_pages,
        dry_run,
    )?;
    let includes_total = includes.added + includes.present + includes.missing;
    let includes_summary = if includes_total == 0 {
        String::new()
    } else {
        format!(
            "; {includes_total} permission includes ({} {}, {} not in the docs)",
            includes.added,
            if dry_run { "to add" } else { "added" },
            includes.missing,
        )
    };
    println!(
        "closure: {} pages ({added} {}, {present} already in the specs); {} types not found{includes_summary}",
        closure.len(),
        if dry_run { "to add" } else { "added" },
        missing.len(),
    );
    Ok(())
}

/// What [`copy_includes`] did.
struct IncludeCopies {
    added: usize,
    present: usize,
    missing: usize,
}

/// Copies the permission includes of `pages` (`<version>/includes/permissions/<name>.md`,
/// the layout the pages point to) from the docs' version folder `docs_version`, so that
/// regeneration finds them. An include the docs lack is printed: regeneration will report it.
fn copy_includes(
    docs_version: &Path,
    version: &str,
    specs: &Path,
    pages: &[&Page],
    dry_run: bool,
) -> Result<IncludeCopies, String> {
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for page in pages {
        for reference in page
            .parsed
            .method
            .iter()
            .flat_map(|method| &method.permission_includes)
        {
            if let Some(path) = reference.resolve_from(&page.file) {
                wanted.entry(path).or_insert_with(|| page.file.clone());
            }
        }
    }
    let mut copies = IncludeCopies {
        added: 0,
        present: 0,
        missing: 0,
    };
    let verb = if dry_run { "would add" } else { "added" };
    for (path, page) in &wanted {
        let in_version = path
            .strip_prefix(version)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(path);
        let target = specs.join(path);
        if target.is_file() {
            copies.present += 1;
            continue;
        }
        match std::fs::read(docs_version.join(in_version)) {
            Ok(bytes) => {
                copies.added += 1;
                println!("{verb} {path} (permissions of {page})");
                if !dry_run {
                    write_new(&target, &bytes)
                        .map_err(|error| format!("{}: {error}", target.display()))?;
                }
            }
            Err(_) => {
                copies.missing += 1;
                println!("not found: include `{path}` (permissions of {page})");
            }
        }
    }
    Ok(copies)
}

/// Writes a file that did not exist, through a temporary file so a failure leaves nothing
/// half-written.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("md.partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

// ---------------------------------------------------------------------------------------------
// list

/// The versions a specs tree holds, with their pages.
fn read_specs_versions(specs: &Path) -> Result<BTreeMap<&'static str, Vec<Page>>, String> {
    let mut versions = BTreeMap::new();
    for version in VERSIONS {
        let dir = specs.join(version);
        if dir.is_dir() {
            let files = read_version(&dir, version).map_err(|error| error.to_string())?;
            versions.insert(*version, parse(files));
        }
    }
    if versions.is_empty() {
        return Err(format!(
            "{}: no `beta/` or `v1.0/` folder of spec pages",
            specs.display()
        ));
    }
    Ok(versions)
}

/// What a page defines or calls, in a few words.
fn describe(page: &ParsedPage) -> String {
    match page.kind {
        PageKind::Resource => page
            .resource
            .as_ref()
            .and_then(|resource| resource.name.clone())
            .unwrap_or_default(),
        PageKind::Enum => {
            let names: Vec<&str> = page.enums.iter().map(|def| def.name.as_str()).collect();
            if names.len() > 3 {
                format!(
                    "{} and {} more enums",
                    names[..3].join(", "),
                    names.len() - 3
                )
            } else {
                names.join(", ")
            }
        }
        PageKind::Method => page
            .method
            .as_ref()
            .and_then(|method| method.requests.first())
            .map(|request| format!("{} {}", request.method.as_str(), request.path.raw))
            .unwrap_or_default(),
        PageKind::Conceptual => String::new(),
    }
}

fn list(specs: &Path) -> Result<(), String> {
    let versions = read_specs_versions(specs)?;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for pages in versions.values() {
        for page in pages {
            let kind = page.parsed.kind.as_str();
            *kinds.entry(kind).or_default() += 1;
            total += 1;
            println!("{:<10} {}  {}", kind, page.file, describe(&page.parsed));
        }
    }
    let counts: Vec<String> = kinds
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    println!("{total} pages: {}", counts.join(", "));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// remove

/// The unresolved-type diagnostics the resolver reports for these pages, as printable lines
/// keyed by what they say (file, line and message).
fn unresolved(version: &str, pages: &[&Page]) -> BTreeSet<(String, usize, String)> {
    let parsed: Vec<ParsedPage> = pages.iter().map(|page| page.parsed.clone()).collect();
    // Only the types matter here: permission includes are left out.
    let (_, diagnostics) = graph_codegen::model::resolve(version, &parsed, &Default::default());
    diagnostics
        .into_iter()
        .filter(|diagnostic| diagnostic.code == Code::UnresolvedType)
        .map(|diagnostic| {
            (
                diagnostic.file.clone(),
                diagnostic.line,
                diagnostic.message.clone(),
            )
        })
        .collect()
}

fn remove(
    specs: &Path,
    version: Option<&str>,
    patterns: &[String],
    dry_run: bool,
) -> Result<(), String> {
    let versions = read_specs_versions(specs)?;
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut removed_total = 0;
    let mut warnings = 0;
    for (name, pages) in &versions {
        if version.is_some_and(|wanted| wanted != *name) {
            continue;
        }
        let (gone, kept): (Vec<&Page>, Vec<&Page>) = pages.iter().partition(|page| {
            patterns
                .iter()
                .any(|pattern| page_matches(pattern, &page.file))
        });
        if gone.is_empty() {
            continue;
        }
        let before = unresolved(name, &pages.iter().collect::<Vec<_>>());
        let after = unresolved(name, &kept);
        for page in &gone {
            println!("{verb} {}", page.file);
            if !dry_run {
                std::fs::remove_file(specs.join(&page.file))
                    .map_err(|error| format!("{}: {error}", specs.join(&page.file).display()))?;
            }
        }
        removed_total += gone.len();
        for (file, line, message) in after.difference(&before) {
            warnings += 1;
            println!("warning: {file}:{line}: {message}");
        }
        for include in unused_includes(specs, name, &kept)? {
            println!("{verb} {include} (no page includes it any more)");
            if !dry_run {
                std::fs::remove_file(specs.join(&include))
                    .map_err(|error| format!("{}: {error}", specs.join(&include).display()))?;
            }
        }
    }
    if removed_total == 0 {
        return Err(format!("no spec page matches {}", patterns.join(" ")));
    }
    println!(
        "{removed_total} pages {verb}; {warnings} type references no longer resolve{}",
        if warnings > 0 {
            " (`cargo xtask specs add` can bring their pages back)"
        } else {
            ""
        }
    );
    Ok(())
}

/// The include files of a version's specs (`<version>/includes/…`) that none of `pages`
/// points to.
fn unused_includes(specs: &Path, version: &str, pages: &[&Page]) -> Result<Vec<String>, String> {
    let folder = specs.join(version).join("includes");
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let used: BTreeSet<String> = pages
        .iter()
        .flat_map(|page| {
            page.parsed
                .method
                .iter()
                .flat_map(|method| &method.permission_includes)
                .filter_map(|reference| reference.resolve_from(&page.file))
        })
        .collect();
    let files = graph_codegen::read_specs(&folder)
        .map_err(|error| format!("{}: {error}", folder.display()))?;
    Ok(files
        .into_iter()
        .map(|file| format!("{version}/includes/{}", file.path))
        .filter(|path| !used.contains(path))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_and_stems_in_any_case() {
        assert!(glob_match("intune-*", "intune-cloudpki.md"));
        assert!(glob_match("*-get", "user-get"));
        assert!(glob_match("us?r", "USER"));
        assert!(!glob_match("user", "users"));
        assert!(!glob_match("*-get", "user-get-x"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(page_matches("user", "beta/resources/user.md"));
        assert!(page_matches("user.md", "beta/resources/user.md"));
        assert!(!page_matches("user", "beta/api/user-get.md"));
        assert!(page_matches("resources/user", "beta/resources/user.md"));
        assert!(!page_matches("api/user*", "beta/resources/user.md"));
    }

    fn page(file: &str, source: &str) -> Page {
        let (parsed, _) = graph_codegen::page::parse_page(file, source);
        Page {
            file: file.to_string(),
            bytes: source.as_bytes().to_vec(),
            parsed,
        }
    }

    #[test]
    fn multi_enum_pages_are_found_by_name_and_single_type_pages_by_link() {
        let pages = vec![
            page(
                "beta/resources/enums.md",
                "---\ndoc_type: enumPageType\n---\n# Enum values\n\nNamespace: microsoft.graph\n\n\
                 ### colour values\n\n|Member|\n|:---|\n|red|\n|blue|\n\n\
                 ### shape values\n\n|Member|\n|:---|\n|round|\n",
            ),
            page(
                "beta/resources/widget.md",
                "---\ndoc_type: resourcePageType\n---\n# widget resource type\n\n\
                 Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n\
                 |:---|:---|:---|\n|colour|[colour](enums.md#colourvalues)|A colour.|\n\
                 |part|[part](part.md)|A part.|\n|other|nothing|Missing.|\n",
            ),
            page(
                "beta/resources/part.md",
                "---\ndoc_type: resourcePageType\n---\n# part resource type\n\n\
                 Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n\
                 |:---|:---|:---|\n|id|String|Id.|\n",
            ),
        ];
        let mut pages = pages;
        pages.sort_by(|a, b| a.file.cmp(&b.file));
        let index = Index::new(&pages);
        let widget = pages
            .iter()
            .find(|page| page.file.ends_with("widget.md"))
            .unwrap();
        let found: Vec<(String, Option<String>)> = references(&widget.parsed)
            .into_iter()
            .map(|(what, type_ref)| {
                (
                    what,
                    index
                        .lookup(type_ref, &widget.parsed)
                        .map(|at| pages[at].file.clone()),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "property colour".to_string(),
                    Some("beta/resources/enums.md".to_string())
                ),
                (
                    "property part".to_string(),
                    Some("beta/resources/part.md".to_string())
                ),
                ("property other".to_string(), None),
            ]
        );
    }
}
