//! Operations: one per method and path, from the page kept for it, with its Rust name, body,
//! response, headers and query options.

use std::collections::BTreeSet;

use crate::diagnostics::Code;
use crate::model::{
    Body, DocumentedHeader, FieldType, FixedQuery, HttpMethod, Model, Operation, PathPart,
    Response, Source, TypePath,
};
use crate::names;
use crate::page::{self, Includes, PageKind, ParsedPage};

use super::actions::{demote_collections_named_like_actions, is_action, name_function_overloads};
use super::bodies::{ProseBodyCall, one_object_shown, response_of};
use super::paths::{operation_path, template_key};
use super::{Resolver, docs_from};

/// A request line's path and fixed query as the model's parts, with its template key; or why
/// it cannot be called.
pub(super) type RequestPath = Result<(Vec<PathPart>, Vec<FixedQuery>, String), String>;

impl<'p> Resolver<'p> {
    pub(super) fn operations(
        &mut self,
        pages: &[&'p ParsedPage],
        models: &mut Vec<Model>,
        includes: &Includes,
    ) -> Vec<Operation> {
        let mut operations: Vec<Operation> = Vec::new();
        let resources = models.len();
        // Every request line's path, parsed once: choosing pages needs them all first.
        let mut request_paths: Vec<Vec<RequestPath>> = pages
            .iter()
            .map(|page| match (page.kind, &page.method) {
                (PageKind::Method, Some(method)) => method
                    .requests
                    .iter()
                    .map(|request| {
                        operation_path(
                            &request.path.segments,
                            request.query.as_deref(),
                            required_options(method, request),
                        )
                        .map(|(mut path, query)| {
                            action_without_parentheses(request.method, &mut path);
                            let template = template_key(&path, &query);
                            (path, query, template)
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let kept = self.pages_kept_for_operations(pages, &request_paths);
        let mut generated: BTreeSet<(String, HttpMethod)> = BTreeSet::new();
        let mut body_names = names::Scope::default();
        for path in self.paths.values().chain(self.polymorphic.values()) {
            body_names.claim(path.name.clone());
        }
        for (index, page) in pages.iter().enumerate() {
            let (PageKind::Method, Some(method)) = (page.kind, &page.method) else {
                continue;
            };
            let response_type = method.response.as_ref().and_then(|response| {
                response
                    .type_ref
                    .as_ref()
                    .map(|type_ref| self.field_type(type_ref, page, response.line))
            });
            let status = method
                .response
                .as_ref()
                .and_then(|response| response.status);
            // A page whose calls all belong to other pages names no body: its name would push
            // the kept pages' bodies to numbered names (`CreateUserRequest4`).
            let keeps_a_call =
                method
                    .requests
                    .iter()
                    .zip(&request_paths[index])
                    .any(|(request, parsed)| match parsed {
                        Ok((_, _, template)) => kept
                            .get(&(template.clone(), request.method))
                            .is_none_or(|kept| kept.index == index),
                        Err(_) => false,
                    });
            let table_body = keeps_a_call.then(|| self.body_model(page, method, &mut body_names));
            let table_body = table_body.flatten().map(|model| {
                let path = TypePath {
                    area: model.area.clone(),
                    name: model.rust_name.clone(),
                };
                models.push(model);
                path
            });
            let permissions = self.page_permissions(page, method, includes);
            let headers: Vec<DocumentedHeader> = method
                .request_headers
                .iter()
                .filter(|header| is_documented_option_header(&header.name))
                .map(|header| DocumentedHeader {
                    name: header.name.clone(),
                    value: header.value.clone(),
                })
                .collect();
            let examples_one = std::cell::OnceCell::new();
            for (request, parsed) in method.requests.iter().zip(&mut request_paths[index]) {
                let (path, query, template) = match std::mem::replace(parsed, Err(String::new())) {
                    Ok(parts) => parts,
                    Err(problem) => {
                        self.report(
                            Code::RequestPath,
                            &page.file,
                            request.line,
                            format!(
                                "`{}`: {problem}; no endpoint is generated for it",
                                request.path.raw
                            ),
                        );
                        continue;
                    }
                };
                let (kept_index, general) = match kept.get(&(template.clone(), request.method)) {
                    Some(kept) => (kept.index, kept.general.as_deref()),
                    None => (index, None),
                };
                if kept_index == index && !generated.insert((template.clone(), request.method)) {
                    let message = format!(
                        "{} {} is documented twice on this page; the first is kept",
                        request.method.as_str(),
                        request.path.raw
                    );
                    self.report(Code::DuplicateOperation, &page.file, request.line, message);
                    continue;
                }
                if kept_index != index {
                    let message = format!(
                        "{} {} is also documented in `{}`, which is kept",
                        request.method.as_str(),
                        request.path.raw,
                        pages[kept_index].file
                    );
                    self.report(Code::DuplicateOperation, &page.file, request.line, message);
                    continue;
                }
                let last = path.last();
                let last_static = match last {
                    Some(PathPart::Static { segment }) => Some(segment.as_str()),
                    _ => None,
                };
                let action = is_action(page, request.method, last);
                // An endpoint the docs describe once per derived type takes and returns any of
                // them: the base's `Any…` enum.
                let general = general.filter(|_| !action);
                let general_type = general
                    .and_then(|key| self.polymorphic.get(key))
                    .map(|path| FieldType::Polymorphic { path: path.clone() });
                let mut response_type = match (&general_type, &response_type) {
                    (Some(general), Some(specific)) => Some(specific.generalised(general)),
                    _ => response_type.clone(),
                };
                if let Some(property) =
                    property_read(method, request, models, response_type.as_ref())
                {
                    response_type = Some(property);
                }
                if let Some(why) =
                    one_object_shown(method, last, response_type.as_ref(), &examples_one)
                    && let Some(FieldType::Collection { item }) = response_type.take()
                {
                    let message = format!(
                        "{} {}: the Response section says a collection, but {why}; the call reads one object",
                        request.method.as_str(),
                        request.path.raw
                    );
                    self.report(Code::ResponseShape, &page.file, request.line, message);
                    response_type = Some(*item);
                }
                // A function's name counts as its segment: `delta()` is `delta`.
                let last_name = match last {
                    Some(PathPart::Function { name, .. }) => Some(name.as_str()),
                    _ => last_static,
                };
                let response = response_of(request.method, last_name, status, response_type);
                let table_body = match &general_type {
                    Some(FieldType::Polymorphic { path }) if table_body.is_some() => {
                        Some(path.clone())
                    }
                    _ => table_body.clone(),
                };
                let body = match (&table_body, request.method) {
                    (_, HttpMethod::Get | HttpMethod::Delete) => Body::None,
                    (Some(path), _) => Body::Model { path: path.clone() },
                    (None, HttpMethod::Put)
                        if matches!(last_static, Some("$value" | "content")) =>
                    {
                        Body::Bytes
                    }
                    (None, verb) => self.prose_body(&ProseBodyCall {
                        page,
                        method,
                        verb,
                        action,
                        last_static,
                        response: &response,
                        line: request.line,
                    }),
                };
                let rust_name = if action {
                    match last {
                        Some(PathPart::Static { segment }) => names::snake(segment),
                        Some(PathPart::Function { name, .. }) => names::snake(name),
                        _ => "call".to_string(),
                    }
                } else {
                    match request.method {
                        HttpMethod::Get if matches!(response, Response::Collection { .. }) => {
                            "list"
                        }
                        HttpMethod::Get => "get",
                        HttpMethod::Post => "create",
                        HttpMethod::Patch => "update",
                        HttpMethod::Put => "replace",
                        HttpMethod::Delete => "delete",
                    }
                    .to_string()
                };
                let query_options = match request.method {
                    HttpMethod::Get => query_options(&method.query_support, &response),
                    _ => Vec::new(),
                };
                let mut docs = docs_from(page.summary.as_deref().or(page.title.as_deref()));
                if let Some(key) = general.filter(|key| self.polymorphic.contains_key(*key)) {
                    let base = self.odata_type_of(key);
                    let pages_of = kept[&(template.clone(), request.method)].documented_on;
                    docs = vec![format!(
                        "The docs describe this call on {pages_of} pages, one per type derived from \
                         `{}`; it takes and returns any of them, told apart by `@odata.type`. The \
                         first of those pages says:",
                        base.trim_start_matches('#')
                    )];
                    docs.extend(docs_from(page.summary.as_deref().or(page.title.as_deref())));
                }
                docs.push(format!(
                    "`{} {}`",
                    request.method.as_str(),
                    request.path.raw
                ));
                operations.push(Operation {
                    rust_name,
                    action,
                    method: request.method,
                    path,
                    query,
                    docs,
                    permissions: permissions.permissions.clone(),
                    missing_permission_includes: permissions.missing.clone(),
                    headers: headers.clone(),
                    sends_headers: Vec::new(),
                    body,
                    response,
                    query_options,
                    query_set: None,
                    source: Source {
                        file: page.file.clone(),
                        line: request.line,
                    },
                });
            }
        }
        demote_collections_named_like_actions(&mut operations);
        name_function_overloads(&mut operations);
        operations.sort_by_cached_key(|operation| (operation.template(), operation.method));
        // A body table no generated call sends (a GET function's parameters, a page whose
        // endpoint another page documents) would be dead code.
        let sent: BTreeSet<(&str, &str)> = operations
            .iter()
            .filter_map(|operation| match &operation.body {
                Body::Model { path } => Some((path.area.as_str(), path.name.as_str())),
                _ => None,
            })
            .collect();
        let mut position = 0;
        models.retain(|model| {
            position += 1;
            position <= resources || sent.contains(&(model.area.as_str(), model.rust_name.as_str()))
        });
        operations
    }
}

/// Headers a caller may choose to send; `Authorization` and content negotiation are the
/// runtime's.
fn is_documented_option_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    !lower.is_empty()
        && !matches!(
            lower.as_str(),
            "authorization" | "content-type" | "accept" | "content-length" | "host"
        )
        && !lower.contains(' ')
}

/// The options a GET offers: those its page names, or, when the page says only that it
/// supports "the OData query parameters", the usual ones for what it returns.
fn query_options(support: &page::QuerySupport, response: &Response) -> Vec<String> {
    let usual: &[&str] = match response {
        Response::Collection { .. } => &[
            "$select", "$filter", "$orderby", "$expand", "$top", "$skip", "$count",
        ],
        Response::Delta { .. } => &["$select", "$filter", "$expand", "$top"],
        Response::Json { .. } => &["$select", "$expand"],
        _ => &[],
    };
    let collection_only = ["$filter", "$orderby", "$top", "$skip", "$count", "$search"];
    let mut options: Vec<String> = match support {
        page::QuerySupport::Named(named) => named
            .iter()
            .filter(|option| {
                !usual.is_empty()
                    && (matches!(
                        response,
                        Response::Collection { .. } | Response::Delta { .. }
                    ) || !collection_only.contains(&option.as_str()))
            })
            .cloned()
            .collect(),
        page::QuerySupport::Generic => usual.iter().map(|option| option.to_string()).collect(),
        page::QuerySupport::None | page::QuerySupport::Unstated => Vec::new(),
    };
    // `$skiptoken` comes back in `@odata.nextLink`; paging follows it.
    options.retain(|option| option != "$skiptoken");
    let order = [
        "$select", "$filter", "$orderby", "$expand", "$top", "$skip", "$count", "$search",
    ];
    options.sort_by_key(|option| order.iter().position(|known| known == option));
    options.dedup();
    options
}

/// The type of the property a GET reads where its page documents a resource's properties one
/// by one beside the resource itself (`GET /me/mailboxSettings/timeZone` beside
/// `GET /me/mailboxSettings`, whose Response names `mailboxSettings`): the service answers with
/// the property, not the resource.
fn property_read(
    method: &page::MethodPage,
    request: &page::RequestLine,
    models: &[Model],
    response_type: Option<&FieldType>,
) -> Option<FieldType> {
    let Some(FieldType::Model { path: resource }) = response_type else {
        return None;
    };
    if request.method != HttpMethod::Get {
        return None;
    }
    let (parent, property) = request.path.raw.trim_end_matches('/').rsplit_once('/')?;
    let documents_parent = method
        .requests
        .iter()
        .any(|other| other.method == HttpMethod::Get && other.path.raw == parent);
    if !documents_parent {
        return None;
    }
    models
        .iter()
        .find(|model| model.area == resource.area && model.rust_name == resource.name)?
        .fields
        .iter()
        .find(|field| field.json_name == property)
        .map(|field| field.field_type.clone())
}

/// The query options a request line must send. A page that writes one path with several
/// required forms (`…/roleAssignments?$filter=principalId eq '{id}'` and
/// `?$filter=roleDefinitionId eq '{id}'`) gives alternatives: none of them is the call's, the
/// caller writes the filter (`.filter(…)`) as the page describes.
fn required_options<'m>(method: &'m page::MethodPage, request: &page::RequestLine) -> &'m [String] {
    let alternatives = method.requests.iter().any(|other| {
        other.method == request.method
            && other.path.raw == request.path.raw
            && other.query != request.query
    });
    if alternatives {
        &[]
    } else {
        &method.required_query_options
    }
}

/// `POST …/generateDownloadUri()`: an action is called by name, without the parentheses a
/// function takes; the service and the examples write it bare.
fn action_without_parentheses(method: HttpMethod, path: &mut [PathPart]) {
    if method != HttpMethod::Post {
        return;
    }
    if let Some(last) = path.last_mut()
        && let PathPart::Function { name, arguments } = last
        && arguments.is_empty()
    {
        *last = PathPart::Static {
            segment: std::mem::take(name),
        };
    }
}
