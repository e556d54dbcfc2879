//! Docs lint: findings about the pages themselves (codes `L0001`…), from the parsed pages
//! and the resolved model. Example JSON is checked against the model's types the way the
//! generated client would read it, so that a lint finding explains why an example does not
//! deserialise; broken links, duplicate operations, request/response pairing and request
//! lines that match no template are found from the pages alone.
//!
//! Everything here is read-only over its inputs and never panics on a page: every problem
//! becomes a [`Diagnostic`] with file, line and column.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Location, Severity};
use crate::model::{Api, Enum, FieldType, Model, ModelRole, Operation, Polymorphic, TypePath};
use crate::page::{
    self, ExampleRequest, HttpMethod, MethodPage, ParsedPage, PathTemplate, Primitive, Segment,
    TypeRef,
};
use crate::{GenerateError, SpecFile};

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
        let mut parse_diagnostics = Vec::with_capacity(results.len());
        for (index, result) in results.into_iter().enumerate() {
            parse_diagnostics.push(result.diagnostics);
            let Some(page) = result.page else { continue };
            let version = crate::page_version(root, &page.file)?;
            versions.entry(version).or_default().push((index, page));
        }
        let apis = versions
            .par_iter()
            .map(|(version, pages)| {
                let pages: Vec<ParsedPage> = pages.iter().map(|(_, page)| page.clone()).collect();
                (version.clone(), crate::model::resolve(version, &pages).0)
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

fn lint_page(page: &ParsedPage, source: &str, index: &TypeIndex, out: &mut Vec<Diagnostic>) {
    let Some(method) = &page.method else { return };
    let verbs: Vec<HttpMethod> = method
        .requests
        .iter()
        .map(|request| request.method)
        .collect();
    let writes = verbs
        .iter()
        .any(|verb| matches!(verb, HttpMethod::Patch | HttpMethod::Post | HttpMethod::Put));
    if let Some(body) = &method.request_body {
        if verbs.contains(&HttpMethod::Patch)
            && body
                .intro
                .to_ascii_lowercase()
                .contains("required when you create")
        {
            out.push(Diagnostic::new(
                Code::LintRequiredOnUpdate,
                at(&page.file, body.line, 1),
                "the update page's body table says it lists the properties required when you \
                 create the object; an update takes the properties that can change",
            ));
        }
        let read_only: Vec<&page::Property> = body
            .properties
            .iter()
            .filter(|property| property.facts.read_only)
            .collect();
        if writes && let Some(first) = read_only.first() {
            out.push(Diagnostic::new(
                Code::LintReadOnlyInBody,
                at(&page.file, first.line, 1),
                format!(
                    "the request body table lists {} read-only {}: {}",
                    read_only.len(),
                    plural(read_only.len(), "property", "properties"),
                    name_list(read_only.iter().map(|property| property.name.as_str()))
                ),
            ));
        }
    }
    let lines = LineIndex::new(source);
    let operations = index.operations_of(&page.file);
    for example in &method.examples {
        match (&example.request, &example.response) {
            (Some(request), None) => out.push(Diagnostic::new(
                Code::LintRequestWithoutResponse,
                at(&page.file, request.line, 1),
                "example request has no response example after it",
            )),
            (None, Some(response)) => out.push(Diagnostic::new(
                Code::LintResponseWithoutRequest,
                at(&page.file, response.line, 1),
                "example response has no request example before it",
            )),
            _ => {}
        }
        if let Some(request) = &example.request {
            match check_request_line(method, request) {
                RequestCheck::Matched | RequestCheck::NoTemplates => {}
                RequestCheck::Unparsable => {}
                RequestCheck::ParameterMismatch { example, template } => {
                    out.push(Diagnostic::new(
                        Code::LintParameterNotInTemplate,
                        at(&page.file, request.line, 1),
                        format!(
                            "the example names path parameter `{{{example}}}` where the template has `{{{template}}}`"
                        ),
                    ))
                }
                RequestCheck::Unmatched { method: verb } => {
                    let what = if verb {
                        "its method is not one the HTTP request section lists for this path"
                    } else {
                        "its path matches none of the HTTP request section's templates"
                    };
                    out.push(Diagnostic::new(
                        Code::LintUnmatchedRequest,
                        at(&page.file, request.line, 1),
                        format!(
                            "example request `{} {}`: {what}",
                            request.method.as_str(),
                            shorten(&request.url, 100)
                        ),
                    ))
                }
            }
            if let Some(body) = &request.body
                && let Some(ty) = index.request_type(page, method, &operations)
            {
                let base = body_offset(source, request.line, body.text());
                let findings = index.check(&ty, &body.value(), Direction::Request);
                push_findings(&page.file, source, &lines, base, body.text(), findings, out);
            }
        }
        if let Some(response) = &example.response
            && let Some(body) = &response.body
            && response
                .status
                .is_none_or(|status| (200..300).contains(&status))
            && let Some(ty) = index.response_type(method, &operations)
        {
            let base = body_offset(source, response.line, body.text());
            let value = body.value();
            let value = response_value(&ty, &value);
            if let Some(value) = value {
                let findings = index.check(&ty, value, Direction::Response);
                push_findings(&page.file, source, &lines, base, body.text(), findings, out);
            }
        }
    }
}

/// The part of a response body that holds the response type: the body itself, or its
/// `value` member for collections and primitives (`{"value": ...}`).
pub fn response_value<'v>(ty: &FieldType, body: &'v Value) -> Option<&'v Value> {
    match ty {
        FieldType::Collection { .. }
        | FieldType::Primitive { .. }
        | FieldType::Enum { .. }
        | FieldType::Flags { .. } => body.get("value"),
        // An action's entity result as the docs (and `graph_runtime::ActionResult`) know it:
        // `{"@odata.context": …, "value": {…}}`.
        _ => match body.as_object() {
            Some(object)
                if object.get("value").is_some_and(Value::is_object)
                    && object
                        .keys()
                        .all(|key| key == "value" || key.starts_with('@')) =>
            {
                object.get("value")
            }
            _ => Some(body),
        },
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

/// Byte offset of an example body in the page: the first occurrence of its text at or after
/// the line of its request or status line.
fn body_offset(source: &str, line: usize, body: &str) -> Option<usize> {
    let start = line_start(source, line);
    source
        .get(start..)
        .and_then(|rest| rest.find(body))
        .map(|offset| start + offset)
}

fn line_start(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', source.as_bytes())
        .nth(line - 2)
        .map_or(source.len(), |index| index + 1)
}

fn push_findings(
    file: &str,
    source: &str,
    lines: &LineIndex,
    base: Option<usize>,
    body: &str,
    findings: Vec<ValueFinding>,
    out: &mut Vec<Diagnostic>,
) {
    for finding in findings {
        let (line, column) = match base {
            Some(base) => {
                let offset = base + locate(body, &finding.path);
                lines.line_column(source, offset)
            }
            None => (1, 1),
        };
        out.push(Diagnostic::new(
            finding.code,
            at(file, line, column),
            finding.message,
        ));
    }
}

/// Offset in `body` of the key that `path` ends at (or of the nearest key before it).
fn locate(body: &str, path: &[PathElem]) -> usize {
    let mut position = 0;
    for element in path {
        if let PathElem::Key(key) = element {
            let quoted = format!("\"{key}\"");
            let mut from = position;
            while let Some(found) = body.get(from..).and_then(|rest| rest.find(&quoted)) {
                let end = from + found + quoted.len();
                if body[end..].trim_start().starts_with(':') {
                    position = from + found;
                    break;
                }
                from = end;
            }
        }
    }
    position
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum PathElem {
    Key(String),
    Index(usize),
}

/// A finding about one value of an example body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueFinding {
    pub code: Code,
    pub path: Vec<PathElem>,
    pub message: String,
}

impl ValueFinding {
    /// Whether the generated type would refuse the value (the others are kept as written).
    pub fn breaks_deserialisation(&self) -> bool {
        matches!(
            self.code,
            Code::LintWrongType | Code::LintBadFormat | Code::LintPlaceholder
        )
    }
}

/// Which way a body travels: read-only properties are findings only in requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// Lookups over one [`Api`] for type checks.
pub struct TypeIndex<'a> {
    pub api: &'a Api,
    models: HashMap<(&'a str, &'a str), &'a Model>,
    resources_by_name: HashMap<String, &'a Model>,
    by_odata: HashMap<String, &'a Model>,
    enums: HashMap<(&'a str, &'a str), &'a Enum>,
    polymorphic: HashMap<(&'a str, &'a str), &'a Polymorphic>,
    polymorphic_by_base: HashMap<(&'a str, &'a str), &'a Polymorphic>,
    operations: HashMap<&'a str, Vec<&'a Operation>>,
}

impl<'a> TypeIndex<'a> {
    pub fn new(api: &'a Api) -> Self {
        let mut index = TypeIndex {
            api,
            models: HashMap::new(),
            resources_by_name: HashMap::new(),
            by_odata: HashMap::new(),
            enums: HashMap::new(),
            polymorphic: HashMap::new(),
            polymorphic_by_base: HashMap::new(),
            operations: HashMap::new(),
        };
        for model in &api.models {
            index
                .models
                .insert((model.area.as_str(), model.rust_name.as_str()), model);
            if model.role == ModelRole::Resource {
                index
                    .resources_by_name
                    .entry(model.graph_name.to_ascii_lowercase())
                    .or_insert(model);
                if let Some(odata) = &model.odata_type {
                    index
                        .by_odata
                        .entry(odata.trim_start_matches('#').to_ascii_lowercase())
                        .or_insert(model);
                }
            }
        }
        for def in &api.enums {
            index
                .enums
                .insert((def.area.as_str(), def.rust_name.as_str()), def);
        }
        for def in &api.polymorphic {
            index
                .polymorphic
                .insert((def.area.as_str(), def.rust_name.as_str()), def);
            index
                .polymorphic_by_base
                .insert((def.base.area.as_str(), def.base.name.as_str()), def);
        }
        for operation in &api.operations {
            index
                .operations
                .entry(operation.source.file.as_str())
                .or_default()
                .push(operation);
        }
        index
    }

    pub fn model(&self, path: &TypePath) -> Option<&'a Model> {
        self.models
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    pub fn enumeration(&self, path: &TypePath) -> Option<&'a Enum> {
        self.enums
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    pub fn polymorphic(&self, path: &TypePath) -> Option<&'a Polymorphic> {
        self.polymorphic
            .get(&(path.area.as_str(), path.name.as_str()))
            .copied()
    }

    /// The polymorphic enum over a base model, if the model has derived types.
    pub fn polymorphic_over(&self, base: &TypePath) -> Option<&'a Polymorphic> {
        self.polymorphic_by_base
            .get(&(base.area.as_str(), base.name.as_str()))
            .copied()
    }

    pub fn operations_of(&self, file: &str) -> Vec<&'a Operation> {
        self.operations.get(file).cloned().unwrap_or_default()
    }

    /// A resource model by its Graph name (`user`, `microsoft.graph.user`).
    pub fn resource_named(&self, name: &str) -> Option<&'a Model> {
        let bare = name.rsplit('.').next().unwrap_or(name);
        self.resources_by_name
            .get(&bare.to_ascii_lowercase())
            .copied()
    }

    fn model_field_type(&self, model: &Model) -> FieldType {
        let path = TypePath {
            area: model.area.clone(),
            name: model.rust_name.clone(),
        };
        FieldType::Model { path }
    }

    /// The field type of a type cell, looked up by name (for pages the resolver made no
    /// operation for).
    pub fn type_for_ref(&self, type_ref: &TypeRef) -> Option<FieldType> {
        match type_ref {
            TypeRef::Primitive { primitive } => Some(FieldType::Primitive {
                primitive: *primitive,
            }),
            TypeRef::Named { name, .. } => self
                .resource_named(name)
                .map(|model| self.model_field_type(model)),
            TypeRef::Collection { item } => {
                self.type_for_ref(item).map(|item| FieldType::Collection {
                    item: Box::new(item),
                })
            }
            TypeRef::Union { .. } | TypeRef::Unknown { .. } => None,
        }
    }

    /// The type an example response body is read into.
    pub fn response_type(
        &self,
        method: &MethodPage,
        operations: &[&Operation],
    ) -> Option<FieldType> {
        if let Some(operation) = operations.first() {
            return match &operation.response {
                crate::model::Response::Json { body, .. } => Some(body.clone()),
                crate::model::Response::Collection { item } => Some(FieldType::Collection {
                    item: Box::new(item.clone()),
                }),
                _ => None,
            };
        }
        let response = method.response.as_ref()?;
        if response.status == Some(204) {
            return None;
        }
        self.type_for_ref(response.type_ref.as_ref()?)
    }

    /// The type an example request body is read into: the page's body type, else the
    /// resource the page creates or updates.
    pub fn request_type(
        &self,
        page: &ParsedPage,
        method: &MethodPage,
        operations: &[&Operation],
    ) -> Option<FieldType> {
        let _ = page;
        if let Some(path) = operations
            .iter()
            .find_map(|operation| match &operation.body {
                crate::model::Body::Model { path } => Some(path.clone()),
                _ => None,
            })
        {
            return Some(FieldType::Model { path });
        }
        if method
            .request_body
            .as_ref()
            .is_some_and(|body| !body.properties.is_empty())
        {
            // A body table the resolver made no type for (no operation): nothing to check against.
            return None;
        }
        let verb = method.requests.first()?.method;
        if !matches!(verb, HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put) {
            return None;
        }
        match self.type_for_ref(method.response.as_ref()?.type_ref.as_ref()?)? {
            single @ FieldType::Model { .. } => Some(single),
            _ => None,
        }
    }

    /// Checks a JSON value against a field type the way the generated code reads it.
    pub fn check(&self, ty: &FieldType, value: &Value, direction: Direction) -> Vec<ValueFinding> {
        let mut walk = Walk {
            index: self,
            path: Vec::new(),
            out: Vec::new(),
            direction,
        };
        walk.value(ty, value, 0);
        walk.out
    }
}

struct Walk<'i, 'a> {
    index: &'i TypeIndex<'a>,
    path: Vec<PathElem>,
    out: Vec<ValueFinding>,
    direction: Direction,
}

const MAX_DEPTH: usize = 64;

impl Walk<'_, '_> {
    fn report(&mut self, code: Code, message: String) {
        self.out.push(ValueFinding {
            code,
            path: self.path.clone(),
            message,
        });
    }

    fn where_(&self) -> String {
        let mut text = String::new();
        for element in &self.path {
            match element {
                PathElem::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                PathElem::Index(index) => text.push_str(&format!("[{index}]")),
            }
        }
        if text.is_empty() {
            "the body".to_string()
        } else {
            format!("`{text}`")
        }
    }

    fn value(&mut self, ty: &FieldType, value: &Value, depth: usize) {
        if depth > MAX_DEPTH || value.is_null() {
            return;
        }
        match ty {
            FieldType::Json => {}
            FieldType::Primitive { primitive } => self.primitive(*primitive, value),
            FieldType::Model { path } => {
                if let Some(model) = self.index.model(path) {
                    self.object(model, value, depth);
                }
            }
            FieldType::Polymorphic { path } => {
                if let Some(def) = self.index.polymorphic(path)
                    && let Some(model) = self.index.model(&def.base)
                {
                    self.object(model, value, depth);
                }
            }
            FieldType::Enum { path } => {
                let Some(text) = value.as_str() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!("{} is {found}; its enum type takes a string", self.where_()),
                    );
                    return;
                };
                if let Some(def) = self.index.enumeration(path) {
                    self.member(def, text);
                }
            }
            FieldType::Flags { path } => {
                let Some(text) = value.as_str() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!(
                            "{} is {found}; its flags type takes a comma-separated string",
                            self.where_()
                        ),
                    );
                    return;
                };
                if let Some(def) = self.index.enumeration(path) {
                    for part in text
                        .split(',')
                        .map(str::trim)
                        .filter(|part| !part.is_empty())
                    {
                        self.member(def, part);
                    }
                }
            }
            FieldType::Collection { item } => {
                let Some(items) = value.as_array() else {
                    let found = json_kind(value);
                    self.report(
                        Code::LintWrongType,
                        format!("{} is {found}; its type is a collection", self.where_()),
                    );
                    return;
                };
                for (position, element) in items.iter().enumerate() {
                    self.path.push(PathElem::Index(position));
                    if element.is_null() && !matches!(**item, FieldType::Json) {
                        self.report(
                            Code::LintWrongType,
                            format!("{} is null inside a collection", self.where_()),
                        );
                    } else {
                        self.value(item, element, depth + 1);
                    }
                    self.path.pop();
                }
            }
        }
    }

    fn member(&mut self, def: &Enum, text: &str) {
        if def.members.iter().any(|member| member.json_value == text) {
            return;
        }
        let source = if def.inferred {
            "the values its description lists"
        } else {
            "its members"
        };
        if let Some(member) = def
            .members
            .iter()
            .find(|member| member.json_value.eq_ignore_ascii_case(text))
        {
            self.report(
                Code::LintCaseMismatch,
                format!(
                    "{} is `{text}`; `{}` spells the member `{}`",
                    self.where_(),
                    def.graph_name,
                    member.json_value
                ),
            );
            return;
        }
        self.report(
            Code::LintUnknownEnumValue,
            format!(
                "{} is `{}`, which is not among {source} of `{}`",
                self.where_(),
                shorten(text, 60),
                def.graph_name
            ),
        );
    }

    fn object(&mut self, expected: &Model, value: &Value, depth: usize) {
        let Some(object) = value.as_object() else {
            let found = json_kind(value);
            self.report(
                Code::LintWrongType,
                format!(
                    "{} is {found}; its type `{}` is an object",
                    self.where_(),
                    expected.graph_name
                ),
            );
            return;
        };
        let mut model = expected;
        if let Some(odata) = object.get("@odata.type").and_then(Value::as_str) {
            let key = odata.trim_start_matches('#').to_ascii_lowercase();
            let expected_odata = expected
                .odata_type
                .as_deref()
                .map(|odata| odata.trim_start_matches('#').to_ascii_lowercase());
            if expected_odata.as_deref() != Some(key.as_str()) {
                match self.index.by_odata.get(&key) {
                    Some(found) if self.derives_from(found, expected) => model = found,
                    Some(_) if expected.role != ModelRole::Resource => {}
                    _ if expected.role != ModelRole::Resource => {}
                    _ => {
                        self.path.push(PathElem::Key("@odata.type".to_string()));
                        self.report(
                            Code::LintUnknownODataType,
                            format!(
                                "`@odata.type` is `{}`, which the docs do not derive from `{}`",
                                shorten(odata, 80),
                                expected.graph_name
                            ),
                        );
                        self.path.pop();
                    }
                }
            }
        }
        let mut read_only = Vec::new();
        for (key, member) in object {
            if key.contains('@') || key.is_empty() {
                continue;
            }
            self.path.push(PathElem::Key(key.clone()));
            match model.fields.iter().find(|field| field.json_name == *key) {
                Some(field) => {
                    if field.read_only && self.direction == Direction::Request && depth == 0 {
                        read_only.push(key.as_str());
                    }
                    self.value(&field.field_type, member, depth + 1);
                }
                None if model.open_type => {}
                None => {
                    if let Some(field) = model
                        .fields
                        .iter()
                        .find(|field| field.json_name.eq_ignore_ascii_case(key))
                    {
                        self.report(
                            Code::LintCaseMismatch,
                            format!(
                                "property `{key}` is spelled `{}` in `{}`",
                                field.json_name, model.graph_name
                            ),
                        );
                    } else {
                        self.report(
                            Code::LintUnknownProperty,
                            format!("property `{key}` is not in `{}`", model.graph_name),
                        );
                    }
                }
            }
            self.path.pop();
        }
        if let Some(first) = read_only.first() {
            self.path.push(PathElem::Key(first.to_string()));
            let count = read_only.len();
            self.report(
                Code::LintReadOnlyInBody,
                format!(
                    "the example request body sets {count} read-only {}: {}",
                    plural(count, "property", "properties"),
                    name_list(read_only.iter().copied())
                ),
            );
            self.path.pop();
        }
    }

    fn derives_from(&self, model: &Model, base: &Model) -> bool {
        let mut current = Some(model);
        let mut steps = 0;
        while let Some(model) = current {
            if model.area == base.area && model.rust_name == base.rust_name {
                return true;
            }
            steps += 1;
            if steps > MAX_DEPTH {
                return false;
            }
            current = model.base.as_ref().and_then(|path| self.index.model(path));
        }
        false
    }

    fn primitive(&mut self, primitive: Primitive, value: &Value) {
        let wanted = primitive_word(primitive);
        let wrong = |walk: &mut Self, value: &Value| {
            let found = json_kind(value);
            let code = match value.as_str() {
                Some(text) if looks_like_placeholder(text) => Code::LintPlaceholder,
                _ => Code::LintWrongType,
            };
            walk.report(
                code,
                format!("{} is {found}; its type is {wanted}", walk.where_()),
            );
        };
        match primitive {
            Primitive::String | Primitive::Guid => {
                if !value.is_string() {
                    wrong(self, value);
                }
            }
            Primitive::Boolean => {
                if !value.is_boolean() {
                    wrong(self, value);
                }
            }
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64 => {
                let (min, max): (i128, i128) = match primitive {
                    Primitive::Byte => (0, u8::MAX as i128),
                    Primitive::SByte => (i8::MIN as i128, i8::MAX as i128),
                    Primitive::Int16 => (i16::MIN as i128, i16::MAX as i128),
                    Primitive::Int32 => (i32::MIN as i128, i32::MAX as i128),
                    _ => (i64::MIN as i128, i64::MAX as i128),
                };
                let integer = value
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| value.as_u64().map(i128::from));
                match integer {
                    Some(number) if (min..=max).contains(&number) => {}
                    Some(number) => self.report(
                        Code::LintWrongType,
                        format!("{} is {number}, out of range for {wanted}", self.where_()),
                    ),
                    None => wrong(self, value),
                }
            }
            Primitive::Single | Primitive::Double | Primitive::Decimal => {
                if !value.is_number() {
                    wrong(self, value);
                }
            }
            Primitive::DateTimeOffset
            | Primitive::Date
            | Primitive::TimeOfDay
            | Primitive::Duration
            | Primitive::Binary => {
                let Some(text) = value.as_str() else {
                    wrong(self, value);
                    return;
                };
                if let Err(why) = check_format(primitive, text) {
                    let code = if looks_like_placeholder(text) {
                        Code::LintPlaceholder
                    } else {
                        Code::LintBadFormat
                    };
                    self.report(
                        code,
                        format!("{} is `{}`: {why}", self.where_(), shorten(text, 60)),
                    );
                }
            }
            Primitive::Stream | Primitive::Json => {}
        }
    }
}

fn primitive_word(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "String",
        Primitive::Boolean => "Boolean",
        Primitive::Byte => "Byte",
        Primitive::SByte => "SByte",
        Primitive::Int16 => "Int16",
        Primitive::Int32 => "Int32",
        Primitive::Int64 => "Int64",
        Primitive::Single => "Single",
        Primitive::Double => "Double",
        Primitive::Decimal => "Decimal",
        Primitive::Guid => "Guid",
        Primitive::DateTimeOffset => "DateTimeOffset",
        Primitive::Date => "Date",
        Primitive::TimeOfDay => "TimeOfDay",
        Primitive::Duration => "Duration",
        Primitive::Binary => "Binary",
        Primitive::Stream => "Stream",
        Primitive::Json => "Json",
    }
}

fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(value) => format!("the boolean `{value}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => format!("the string `{}`", shorten(text, 40)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// Text standing in for a value: a type name (`"String"`, `"Int32"`, `"String (timestamp)"`),
/// a `<placeholder>`, `{placeholder}`, or "... value".
pub fn looks_like_placeholder(text: &str) -> bool {
    let trimmed = text.trim();
    let head = trimmed.split(['(', ' ']).next().unwrap_or("");
    Primitive::parse(head).is_some()
        || trimmed.starts_with('<')
        || trimmed.starts_with('{')
        || trimmed.to_ascii_lowercase().contains("value")
        || trimmed.eq_ignore_ascii_case("true | false")
        || trimmed.eq_ignore_ascii_case("true/false")
}

/// Whether `text` reads as `primitive` the way the generated code parses it.
pub fn check_format(primitive: Primitive, text: &str) -> Result<(), String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
    match primitive {
        Primitive::DateTimeOffset => {
            if text
                .parse::<chrono::DateTime<chrono::FixedOffset>>()
                .is_ok()
            {
                return Ok(());
            }
            if text.parse::<chrono::NaiveDate>().is_ok() {
                Err("a timestamp needs a time and an offset, not only a date".to_string())
            } else if text.parse::<chrono::NaiveDateTime>().is_ok() {
                Err("a timestamp needs an offset (`Z` or `+hh:mm`)".to_string())
            } else {
                Err("not an RFC 3339 timestamp".to_string())
            }
        }
        Primitive::Date => text
            .parse::<chrono::NaiveDate>()
            .map(|_| ())
            .map_err(|_| "not a `yyyy-mm-dd` date".to_string()),
        Primitive::TimeOfDay => text
            .parse::<chrono::NaiveTime>()
            .map(|_| ())
            .map_err(|_| "not an `hh:mm:ss` time of day".to_string()),
        Primitive::Duration => check_duration(text),
        Primitive::Binary => STANDARD_PAD_INDIFFERENT
            .decode(text)
            .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(text))
            .map(|_| ())
            .map_err(|_| "not base64".to_string()),
        _ => Ok(()),
    }
}

/// The ISO 8601 duration grammar the runtime's `IsoDuration` reads:
/// `-?P(nY)?(nM)?(nW)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one component.
fn check_duration(text: &str) -> Result<(), String> {
    let bad = || Err("not an ISO 8601 duration such as `PT1H30M`".to_string());
    let rest = text.strip_prefix('-').unwrap_or(text);
    let Some(rest) = rest.strip_prefix('P') else {
        return bad();
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return bad();
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    let components = |part: &str, designators: &[u8], fraction_last: bool| -> Option<usize> {
        let mut rest = part;
        let mut next = 0;
        let mut count = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let mut after = &rest[digits..];
            let mut fractional = false;
            if let Some(tail) = after.strip_prefix('.') {
                let fraction = tail.bytes().take_while(u8::is_ascii_digit).count();
                if fraction == 0 || !fraction_last {
                    return None;
                }
                after = &tail[fraction..];
                fractional = true;
            }
            let designator = *after.as_bytes().first()?;
            // Only seconds may have a fraction.
            if fractional && designator != b'S' {
                return None;
            }
            let position = designators[next..].iter().position(|&d| d == designator)? + next;
            next = position + 1;
            count += 1;
            rest = &after[1..];
        }
        Some(count)
    };
    let Some(date_count) = components(date, b"YMWD", false) else {
        return bad();
    };
    let time_count = match time {
        Some(time) => match components(time, b"HMS", true) {
            Some(count) => count,
            None => return bad(),
        },
        None => 0,
    };
    if date_count + time_count == 0 {
        return bad();
    }
    Ok(())
}

/// The outcome of check 1 for one example request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestCheck {
    /// The page lists no request line to match against.
    NoTemplates,
    /// The example's URL is not a request line the parser reads.
    Unparsable,
    Matched,
    /// The path matches a template but names a parameter the template calls otherwise.
    ParameterMismatch {
        example: String,
        template: String,
    },
    /// No template matches; `method` is true when a path matched under another method.
    Unmatched {
        method: bool,
    },
}

/// Check 1: the example's request line matches one of the page's path templates.
pub fn check_request_line(method: &MethodPage, request: &ExampleRequest) -> RequestCheck {
    if method.requests.is_empty() {
        return RequestCheck::NoTemplates;
    }
    let line = format!("{} {}", request.method.as_str(), request.url);
    let Some(parsed) = page::http::parse_request_line(&line) else {
        return RequestCheck::Unparsable;
    };
    let mut mismatch = None;
    let mut other_method = false;
    for template in &method.requests {
        match path_matches(&template.path, &parsed.path) {
            PathMatch::No => {}
            PathMatch::Yes if template.method == parsed.method => return RequestCheck::Matched,
            PathMatch::Parameter {
                example,
                template: name,
            } if template.method == parsed.method => {
                mismatch.get_or_insert(RequestCheck::ParameterMismatch {
                    example,
                    template: name,
                });
            }
            _ => other_method = true,
        }
    }
    mismatch.unwrap_or(RequestCheck::Unmatched {
        method: other_method,
    })
}

enum PathMatch {
    No,
    Yes,
    Parameter { example: String, template: String },
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn path_matches(template: &PathTemplate, example: &PathTemplate) -> PathMatch {
    let template_segments: Vec<&Segment> = template.segments.iter().collect();
    let example_segments: Vec<&Segment> = example.segments.iter().collect();
    if template_segments.len() != example_segments.len() {
        return PathMatch::No;
    }
    let mut mismatch = None;
    for (t, e) in template_segments.iter().zip(&example_segments) {
        match (t, e) {
            (Segment::Static { name: a }, Segment::Static { name: b }) => {
                if !a.eq_ignore_ascii_case(b) {
                    return PathMatch::No;
                }
            }
            (Segment::Parameter(parameter), Segment::Parameter(given)) => {
                let known = std::iter::once(&parameter.name)
                    .chain(&parameter.alternatives)
                    .any(|name| normalized(name) == normalized(&given.name));
                if !known && mismatch.is_none() {
                    mismatch = Some((given.name.clone(), parameter.name.clone()));
                }
            }
            (Segment::Parameter(_), _) => {}
            (Segment::Static { name: a }, Segment::Function { name: b, .. })
            | (Segment::Function { name: a, .. }, Segment::Static { name: b })
            | (Segment::Function { name: a, .. }, Segment::Function { name: b, .. }) => {
                if !a.eq_ignore_ascii_case(b) {
                    return PathMatch::No;
                }
            }
            (Segment::ItemPath { .. }, Segment::ItemPath { .. }) => {}
            _ => return PathMatch::No,
        }
    }
    match mismatch {
        Some((example, template)) => PathMatch::Parameter { example, template },
        None => PathMatch::Yes,
    }
}

/// `L0012`: the same method and path on two pages (or twice on one) of a version.
fn duplicate_operations<'p>(
    pages: impl Iterator<Item = &'p ParsedPage>,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(HttpMethod, String), (&str, usize)> = HashMap::new();
    let mut pages: Vec<&ParsedPage> = pages.collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    for page in pages {
        let Some(method) = &page.method else { continue };
        let mut on_page = HashSet::new();
        for request in &method.requests {
            let key = (request.method, template_key(&request.path));
            if !on_page.insert(key.clone()) {
                // Listed twice on one page: a repeated line, not a conflict.
                continue;
            }
            match seen.get(&key) {
                Some((first, line)) => out.push(Diagnostic::new(
                    Code::LintDuplicateOperation,
                    at(&page.file, request.line, 1),
                    format!(
                        "`{} {}` is also documented in `{first}` (line {line})",
                        request.method.as_str(),
                        request.path.raw
                    ),
                )),
                None => {
                    seen.insert(key, (page.file.as_str(), request.line));
                }
            }
        }
    }
}

/// Paths that differ only in parameter names are the same endpoint.
fn template_key(path: &PathTemplate) -> String {
    let mut key = String::new();
    for segment in &path.segments {
        key.push('/');
        match segment {
            Segment::Static { name } => key.push_str(&name.to_ascii_lowercase()),
            Segment::Parameter(_) => key.push_str("{}"),
            Segment::Function { name, arguments } => {
                key.push_str(&name.to_ascii_lowercase());
                key.push('(');
                for argument in arguments {
                    if let Some(name) = &argument.name {
                        key.push_str(&name.to_ascii_lowercase());
                    }
                    key.push(',');
                }
                key.push(')');
            }
            Segment::ItemPath { .. } => key.push_str(":{path}:"),
        }
    }
    key
}

/// The files and folders of a tree, lowercased (the docs site ignores case in links).
struct LinkIndex {
    files: HashSet<String>,
    folders: HashSet<String>,
}

impl LinkIndex {
    fn new(files: &[SpecFile]) -> Self {
        let mut index = LinkIndex {
            files: HashSet::new(),
            folders: HashSet::new(),
        };
        for file in files {
            let lower = file.path.to_ascii_lowercase();
            let mut folder = lower.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                index.folders.insert(parent.to_string());
                folder = parent;
            }
            index.files.insert(lower);
        }
        index
    }
}

/// `L0011`: relative links to `.md` pages in folders of the tree that name no page there.
fn lint_links(page: &ParsedPage, source: &str, links: &LinkIndex, out: &mut Vec<Diagnostic>) {
    let folder = page.file.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut fence: Option<&str> = None;
    for (number, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                match fence {
                    Some(open) if open == marker => fence = None,
                    None => fence = Some(marker),
                    _ => {}
                }
            }
        }
        if fence.is_some() || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            continue;
        }
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find("](")) {
            let start = from + found + 2;
            from = start;
            let rest = &line[start..];
            let end = rest
                .find(|c: char| c == ')' || c.is_whitespace())
                .unwrap_or(rest.len());
            let target = rest[..end].trim_matches(['<', '>']);
            let Some(missing) = missing_target(folder, target, links) else {
                continue;
            };
            let column = line[..start].chars().count() + 1;
            out.push(Diagnostic::new(
                Code::LintBrokenLink,
                at(&page.file, number + 1, column),
                format!("link `{target}` names no page: `{missing}` is not in the tree"),
            ));
        }
    }
}

/// The resolved path of a relative `.md` link whose folder is in the tree but whose page is not.
fn missing_target(folder: &str, target: &str, links: &LinkIndex) -> Option<String> {
    if target.is_empty()
        || target.starts_with('/')
        || target.starts_with('#')
        || target.contains("://")
        || target.starts_with("mailto:")
    {
        return None;
    }
    // Backslashes name the same page on the docs site.
    let target = target.replace('\\', "/");
    let path = target.split(['#', '?']).next().unwrap_or(&target);
    if !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = if folder.is_empty() {
        Vec::new()
    } else {
        folder.split('/').collect()
    };
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            piece => parts.push(piece),
        }
    }
    let resolved = parts.join("/");
    let lower = resolved.to_ascii_lowercase();
    let parent = lower.rsplit_once('/').map_or("", |(parent, _)| parent);
    if parent.is_empty() || !links.folders.contains(parent) || links.files.contains(&lower) {
        return None;
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_read_as_the_runtime_reads_them() {
        let ok = |primitive, text| check_format(primitive, text).is_ok();
        assert!(ok(
            Primitive::DateTimeOffset,
            "2016-12-31T23:59:36.3292251-08:00"
        ));
        assert!(ok(Primitive::DateTimeOffset, "2021-01-01T00:00:00Z"));
        assert!(!ok(Primitive::DateTimeOffset, "2021-01-01"));
        assert!(!ok(Primitive::DateTimeOffset, "2021-01-01T00:00:00"));
        assert!(
            check_format(Primitive::DateTimeOffset, "2021-01-01")
                .unwrap_err()
                .contains("only a date")
        );
        assert!(ok(Primitive::Date, "2021-02-28"));
        assert!(!ok(Primitive::Date, "2021-02-30"));
        assert!(ok(Primitive::TimeOfDay, "08:30:00"));
        assert!(ok(Primitive::Binary, "aGVsbG8="));
        assert!(ok(Primitive::Binary, "aGVsbG8"));
        assert!(!ok(Primitive::Binary, "not base64!"));
    }

    #[test]
    fn durations_follow_iso_8601() {
        for good in ["PT1H30M", "P1D", "-P2W", "PT0.5S", "P1Y2M3DT4H5M6.7S"] {
            assert!(check_duration(good).is_ok(), "{good}");
        }
        for bad in ["P", "PT", "1H", "PT1.5H", "P1H", "PT1S2M", "half an hour"] {
            assert!(check_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn placeholders_are_type_names_and_stand_ins() {
        for text in [
            "String",
            "Int32",
            "String (timestamp)",
            "datetime-value",
            "<id>",
            "{value}",
        ] {
            assert!(looks_like_placeholder(text), "{text}");
        }
        for text in ["2021", "two", "copper"] {
            assert!(!looks_like_placeholder(text), "{text}");
        }
    }

    #[test]
    fn links_are_judged_only_inside_the_tree() {
        let files = ["v1.0/api/a-get.md", "v1.0/resources/a.md"].map(|path| SpecFile {
            path: path.to_string(),
            bytes: Vec::new(),
        });
        let links = LinkIndex::new(&files);
        let missing = |target| missing_target("v1.0/api", target, &links);
        assert_eq!(missing("../resources/a.md"), None);
        assert_eq!(missing("../resources/A.md#props"), None);
        assert_eq!(missing("..\\resources\\a.md"), None);
        assert_eq!(
            missing("../resources/b.md").as_deref(),
            Some("v1.0/resources/b.md")
        );
        assert_eq!(missing("a-list.md").as_deref(), Some("v1.0/api/a-list.md"));
        // Folders the tree does not hold, site links and URLs are not judged.
        assert_eq!(missing("../../includes/x.md"), None);
        assert_eq!(missing("../concepts/x.md"), None);
        assert_eq!(missing("/graph/x.md"), None);
        assert_eq!(missing("https://example.com/x.md"), None);
        assert_eq!(missing("../../../../x.md"), None);
    }

    fn method_with(lines: &[&str]) -> MethodPage {
        MethodPage {
            requests: lines
                .iter()
                .map(|line| {
                    let parsed = page::http::parse_request_line(line).unwrap();
                    page::RequestLine {
                        method: parsed.method,
                        path: parsed.path,
                        query: parsed.query,
                        line: 1,
                    }
                })
                .collect(),
            ..MethodPage::default()
        }
    }

    fn request(method: HttpMethod, url: &str) -> ExampleRequest {
        ExampleRequest {
            method,
            url: url.to_string(),
            headers: Vec::new(),
            body: None,
            line: 1,
        }
    }

    #[test]
    fn request_lines_match_templates() {
        let method = method_with(&[
            "GET /users/{id | userPrincipalName}/events/{event-id}",
            "GET /me/drive/root:/{item-path}:/content",
            "GET /reports/getOffice365ActiveUserCounts(period='{period_value}')",
        ]);
        let check = |verb, url| check_request_line(&method, &request(verb, url));
        assert_eq!(
            check(
                HttpMethod::Get,
                "https://graph.microsoft.com/v1.0/users/a@b.com/events/AAM="
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(
                HttpMethod::Get,
                "/Users/{userPrincipalName}/Events/{event-id}?$select=subject"
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(
                HttpMethod::Get,
                "/reports/getOffice365ActiveUserCounts(period='D7')"
            ),
            RequestCheck::Matched
        );
        assert_eq!(
            check(HttpMethod::Get, "/users/{user-id}/events/{event-id}"),
            RequestCheck::ParameterMismatch {
                example: "user-id".to_string(),
                template: "id".to_string()
            }
        );
        assert_eq!(
            check(HttpMethod::Delete, "/users/x/events/y"),
            RequestCheck::Unmatched { method: true }
        );
        assert_eq!(
            check(HttpMethod::Get, "/groups/x/events/y"),
            RequestCheck::Unmatched { method: false }
        );
    }
}
