//! Bodies and responses: the struct a method page's body table makes, what the page says
//! about sending a body, and what a request returns.

use crate::diagnostics::Code;
use crate::model::{Body, FieldType, HttpMethod, Model, ModelRole, PathPart, Response, Source};
use crate::names;
use crate::page::{MethodPage, ParsedPage, Property, TypeRef};

use super::Resolver;
use super::definitions::file_stem;

impl<'p> Resolver<'p> {
    /// The body type of a method page, if it has a body table.
    pub(super) fn body_model(
        &mut self,
        page: &'p ParsedPage,
        method: &'p MethodPage,
        scope: &mut names::Scope,
    ) -> Option<Model> {
        let body = method
            .request_body
            .as_ref()
            .filter(|body| !body.properties.is_empty())?;
        let verb = method.requests.first()?.method;
        let role = if verb == HttpMethod::Patch {
            ModelRole::UpdateBody
        } else {
            ModelRole::Body
        };
        let subject = response_name(method)
            .map(str::to_string)
            .or_else(|| page.title.clone())
            .unwrap_or_else(|| file_stem(&page.file));
        let wanted = match role {
            ModelRole::UpdateBody => format!("{}Update", names::type_name(&subject)),
            _ => format!(
                "{}Request",
                names::type_name(page.title.as_deref().unwrap_or(&subject))
            ),
        };
        let (rust_name, _) = scope.claim(wanted);
        let properties: Vec<(&ParsedPage, &Property)> = body
            .properties
            .iter()
            .map(|property| (page, property))
            .collect();
        let read_only = properties
            .iter()
            .filter(|(_, property)| property.facts.read_only)
            .count();
        let required_on_create = body
            .intro
            .to_ascii_lowercase()
            .contains("required when you create");
        if role == ModelRole::UpdateBody && read_only > 0 {
            let why = if required_on_create {
                " and its introduction calls them required when you create"
            } else {
                ""
            };
            self.report(
                Code::ReadOnlyInBody,
                &page.file,
                body.line,
                format!(
                    "the update body table marks {read_only} of {} properties read-only{why}; \
                     they are kept in `{rust_name}` and their docs say so",
                    properties.len()
                ),
            );
        }
        let mut fields = self.fields(page, &properties, role);
        if role == ModelRole::Body {
            self.complete_from_resource(page, method, &mut fields);
        }
        let mut docs = vec![format!(
            "The body of `{}`.",
            page.title.as_deref().unwrap_or(&page.file)
        )];
        if role == ModelRole::UpdateBody {
            docs.push(
                "Every field is tri-state: `Patch::Unchanged` leaves the property alone (it is \
                 not sent), `Patch::Clear` sends `null`, `Patch::Set` sends the value."
                    .to_string(),
            );
            if read_only > 0 {
                let why = if required_on_create {
                    " (its introduction lists them as the properties required when you create one)"
                } else {
                    ""
                };
                docs.push(format!(
                    "The docs' table for this body marks {read_only} of its {} properties \
                     read-only{why}. They are kept so nothing the docs show is lost, but the \
                     service is likely to reject or ignore changes to them.",
                    properties.len()
                ));
            }
        }
        Some(Model {
            dictionary: None,
            graph_name: subject,
            docs,
            rust_name,
            area: self.area_of(page),
            role,
            odata_type: None,
            base: None,
            fields,
            open_type: false,
            carries_evolvable_enums: false,
            source: Source {
                file: page.file.clone(),
                line: body.line,
            },
        })
    }
}

impl<'p> Resolver<'p> {
    /// A create body's table read against the resource its introduction names: a row naming
    /// one of the resource's relationships by id (`members`, `string collection`) is sent as
    /// `members@odata.bind`, the way the service links objects at creation; and when the page
    /// says to "specify other writable properties", the resource's writable properties the
    /// table leaves out (`groupTypes`) are fields too.
    fn complete_from_resource(
        &mut self,
        page: &'p ParsedPage,
        method: &'p MethodPage,
        fields: &mut Vec<crate::model::Field>,
    ) {
        let Some(body) = method.request_body.as_ref() else {
            return;
        };
        let Some(key) = body
            .type_ref
            .as_ref()
            .and_then(|type_ref| self.lookup(type_ref, page))
        else {
            return;
        };
        if !matches!(
            self.definitions.get(&key),
            Some(super::definitions::Definition::Resource { .. })
        ) {
            return;
        }
        let resource_fields = self.inherited_fields(&key);
        for field in fields.iter_mut() {
            let is_relationship = resource_fields
                .iter()
                .any(|own| own.navigation && own.json_name == field.json_name);
            if is_relationship && is_string_or_strings(&field.field_type) {
                field.docs.push(format!(
                    "Sent as `{}@odata.bind`: the URLs of the objects to link \
                     (`https://graph.microsoft.com/v1.0/directoryObjects/{{id}}`).",
                    field.json_name
                ));
                field.json_name = format!("{}@odata.bind", field.json_name);
            }
        }
        if !body
            .intro
            .to_ascii_lowercase()
            .contains("other writable properties")
        {
            return;
        }
        for own in resource_fields {
            let listed = fields.iter().any(|field| {
                field.json_name == own.json_name
                    || field.json_name == format!("{}@odata.bind", own.json_name)
                    || field.rust_name == own.rust_name
            });
            if !listed && !own.read_only && !own.navigation && own.json_name != "id" {
                fields.push(own);
            }
        }
    }
}

fn is_string_or_strings(field_type: &FieldType) -> bool {
    let string = |field_type: &FieldType| {
        matches!(
            field_type,
            FieldType::Primitive {
                primitive: crate::model::Primitive::String
            }
        )
    };
    match field_type {
        FieldType::Collection { item } => string(item),
        other => string(other),
    }
}

/// The resource a method page returns (or updates), by name.
pub(super) fn response_name(method: &MethodPage) -> Option<&str> {
    let type_ref = method.response.as_ref()?.type_ref.as_ref()?;
    match type_ref {
        TypeRef::Named { name, .. } => Some(name),
        _ => None,
    }
}

/// What a request returns, from the status and type the Response section documents.
pub(super) fn response_of(
    method: HttpMethod,
    last: Option<&str>,
    status: Option<u16>,
    response_type: Option<FieldType>,
) -> Response {
    match (last, method) {
        // Content downloads are one kind everywhere, whether the page documents the body or
        // the service's `302` to a download URL.
        (Some("$value" | "content"), HttpMethod::Get) => return Response::Bytes,
        (Some("$count"), HttpMethod::Get) => return Response::Count,
        (Some("delta"), HttpMethod::Get) => {
            return Response::Delta {
                item: match response_type {
                    Some(FieldType::Collection { item }) => *item,
                    Some(other) => other,
                    None => FieldType::Json,
                },
            };
        }
        (Some(name), HttpMethod::Post) if name.eq_ignore_ascii_case("createUploadSession") => {
            return Response::UploadSession;
        }
        _ => {}
    }
    match status {
        Some(204) => return Response::NoContent,
        Some(202) => return Response::Accepted,
        // A GET answered by a redirect is a download (a report's CSV): read like content,
        // the redirect followed; a `$format=application/json` variant's JSON is bytes too.
        Some(302) | Some(303) | Some(307) if method == HttpMethod::Get => return Response::Bytes,
        Some(302) | Some(303) | Some(307) => return Response::Redirect,
        _ => {}
    }
    match response_type {
        Some(FieldType::Collection { item }) => Response::Collection { item: *item },
        Some(body) => Response::Json {
            body,
            status: status.unwrap_or(200),
        },
        None if status.is_some_and(|status| status == 200 || status == 201) => Response::Json {
            body: FieldType::Json,
            status: status.unwrap_or(200),
        },
        None if method == HttpMethod::Get => Response::Json {
            body: FieldType::Json,
            status: 200,
        },
        None => Response::NoContent,
    }
}

/// A call whose page has no body table, and what the body decision needs to know of it.
pub(super) struct ProseBodyCall<'c> {
    pub(super) page: &'c ParsedPage,
    pub(super) method: &'c MethodPage,
    pub(super) verb: HttpMethod,
    pub(super) action: bool,
    pub(super) last_static: Option<&'c str>,
    pub(super) response: &'c Response,
    /// The request line, for a diagnostic when no Request body section says anything.
    pub(super) line: usize,
}

impl<'p> Resolver<'p> {
    /// The body of a call whose page describes it in words (or only in its examples): the
    /// resource the prose links to, else the resource the call creates or updates, else JSON.
    /// Nothing only when the page says to send nothing, or says nothing and shows nothing.
    pub(super) fn prose_body(&mut self, call: &ProseBodyCall) -> Body {
        let said = call.method.request_body.as_ref();
        match said {
            Some(body) if says_no_body(&body.intro) => return Body::None,
            None if !examples_send_body(call.method, call.verb) => return Body::None,
            _ => {}
        }
        if call.last_static == Some("$ref") {
            return Body::Reference;
        }
        let named = said
            .and_then(|body| body.type_ref.as_ref())
            .map(|type_ref| self.field_type(type_ref, call.page, said.map_or(1, |body| body.line)));
        if let Some(FieldType::Model { path } | FieldType::Polymorphic { path }) = named {
            return Body::Model { path };
        }
        if !call.action {
            // The resource the call returns, else (an update answering `204`) the one its page
            // is about (`widget-update.md` updates a `widget`).
            let returned = match call.response.field_type() {
                Some(FieldType::Model { path }) => Some(path.clone()),
                _ => None,
            };
            let subject = || {
                matches!(call.verb, HttpMethod::Patch | HttpMethod::Put)
                    .then(|| self.subject_of(call.page))
                    .flatten()
                    .filter(|key| !self.definitions[key].is_enum())
                    .and_then(|key| self.paths.get(&key).cloned())
            };
            if let Some(path) = returned.or_else(subject) {
                return Body::Model { path };
            }
        }
        let file = call.page.file.clone();
        // Once per page: its request lines share the one Request body section.
        let reported = self
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == Code::BodyUntyped && diagnostic.file == file);
        if reported {
            return Body::Json;
        }
        // At the section that says it in words; at the request line when only an example does.
        let line = said.map_or(call.line, |body| body.line);
        self.report(
            Code::BodyUntyped,
            &file,
            line,
            format!(
                "the request body of this {} names no type (no table of types, no link to one); the call takes JSON",
                call.verb.as_str()
            ),
        );
        Body::Json
    }
}

/// "Do not supply a request body for this method", "This method does not require a request
/// body", "specifying a request body is not necessary". A body the page calls optional ("No
/// request body is required. However, you can specify …") is still one the call can send.
fn says_no_body(intro: &str) -> bool {
    let intro = intro.to_ascii_lowercase();
    let no_body = [
        "do not supply",
        "don't supply",
        "no request body",
        "not require a request body",
        "not necessary",
        "not needed",
    ]
    .iter()
    .any(|phrase| intro.contains(phrase));
    no_body && !intro.contains("however")
}

/// Whether an example of this HTTP method sends a body: the page's only word on it when it has
/// no Request body section.
fn examples_send_body(method: &MethodPage, verb: HttpMethod) -> bool {
    method.examples.iter().any(|example| {
        example
            .request
            .as_ref()
            .is_some_and(|request| request.method == verb && request.body.is_some())
    })
}

/// Why a call reads one object where its page's Response section promises "a collection of
/// X": its path ends with an item's key (`GET /chats/{chat-id}`), or every example on the page
/// answers one object (no `value` array). The service answers as the path and the examples
/// show; the prose is the page's slip. `None` when the collection stands. `examples_one` holds
/// the page's answer to the second question, worked out once per page.
pub(super) fn one_object_shown(
    method: &MethodPage,
    last: Option<&PathPart>,
    response_type: Option<&FieldType>,
    examples_one: &std::cell::OnceCell<bool>,
) -> Option<&'static str> {
    if !matches!(response_type, Some(FieldType::Collection { .. })) {
        return None;
    }
    if matches!(last, Some(PathPart::Parameter { .. })) {
        return Some("its path ends with an item's key");
    }
    examples_one
        .get_or_init(|| every_example_answers_one_object(method))
        .then_some("every example on the page answers one object")
}

/// Whether the page has example responses and each is one object, not a collection page.
fn every_example_answers_one_object(method: &MethodPage) -> bool {
    /// A collection page: an object whose `value` is an array (nothing else read).
    #[derive(serde::Deserialize)]
    struct CollectionPage {
        #[allow(dead_code)]
        value: Vec<serde::de::IgnoredAny>,
    }
    let mut bodies = method
        .examples
        .iter()
        .filter_map(|example| example.response.as_ref())
        .filter(|response| matches!(response.status, None | Some(200) | Some(201)))
        .filter_map(|response| response.body.as_ref())
        .map(|body| body.text())
        .peekable();
    bodies.peek().is_some()
        && bodies.all(|text| {
            text.trim_start().starts_with('{')
                && serde_json::from_str::<CollectionPage>(text).is_err()
        })
}
