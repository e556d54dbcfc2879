//! The calls users make first: which page owns a path, and what the call takes and returns.
//! Small pages of our own, each showing one form the docs use.

#[path = "support/corpus_2021.rs"]
mod corpus_2021;

use graph_codegen::model::{self, Api, Body, FieldType, HttpMethod, Operation, Response};
use graph_codegen::page::{self, ParsedPage};

fn parse(file: &str, source: &str) -> ParsedPage {
    page::parse_page(file, source).0
}

/// `zoo` with keepers (a relationship), a ticket kind named after its values table, a
/// `siteCollection`-like property whose type name ends in "Collection", and `keeper`.
fn resources() -> Vec<ParsedPage> {
    vec![
        parse(
            "resources/zoo.md",
            "# zoo resource type\n\nNamespace: microsoft.graph\n\nA zoo.\n\n## Properties\n\n\
             |Property|Type|Description|\n|:---|:---|:---|\n\
             |id|String|Identifier. Read-only.|\n\
             |name|String|The zoo's name.|\n\
             |zooTypes|String collection|What kind of zoo it is.|\n\
             |ticketKind|[ticketKind](#ticketkind-values)|The kind of tickets sold.|\n\
             |parkCollection|[parkCollection](parkcollection.md)|The park the zoo belongs to.|\n\n\
             ### ticketKind values\n\n|Member|Description|\n|:---|:---|\n\
             |day|A day ticket.|\n|season|A season ticket.|\n\n\
             ## Relationships\n\n|Relationship|Type|Description|\n|:---|:---|:---|\n\
             |keepers|[keeper](keeper.md) collection|Who looks after the animals.|\n",
        ),
        parse(
            "resources/keeper.md",
            "# keeper resource type\n\nNamespace: microsoft.graph\n\nSomeone who keeps animals.\n\n\
             ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
             |id|String|Identifier.|\n|name|String|The keeper's name.|\n",
        ),
        parse(
            "resources/headkeeper.md",
            "# headKeeper resource type\n\nNamespace: microsoft.graph\n\n\
             This resource is a subclass of [keeper](keeper.md).\n\n\
             ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
             |since|DateTimeOffset|When they became head.|\n",
        ),
        parse(
            "resources/parkcollection.md",
            "# parkCollection resource type\n\nNamespace: microsoft.graph\n\nOne park.\n\n\
             ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
             |hostname|String|Where the park is.|\n",
        ),
    ]
}

fn method_page(file: &str, title: &str, sections: &str) -> ParsedPage {
    parse(
        &format!("api/{file}.md"),
        &format!("# {title}\n\nNamespace: microsoft.graph\n\n{title}.\n\n{sections}"),
    )
}

fn resolve(method_pages: Vec<ParsedPage>) -> Api {
    let mut pages = resources();
    pages.extend(method_pages);
    model::resolve("v1.0", &pages, &Default::default()).0
}

/// One file of the crate as the emitter writes it.
fn emitted(api: &Api, job: graph_codegen::emit::FileJob) -> String {
    use graph_codegen::emit;
    let apis = std::slice::from_ref(api);
    let options = emit::EmitOptions {
        runtime_path: "../runtime".to_string(),
        standalone: true,
    };
    let tokens = emit::tokens(apis, &options, &job);
    emit::format(emit::job_path(apis, &job), tokens, || None).contents
}

fn operation<'a>(api: &'a Api, method: HttpMethod, template: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|operation| operation.method == method && operation.template() == template)
        .unwrap_or_else(|| {
            let all: Vec<String> = api.operations.iter().map(Operation::template).collect();
            panic!("no {method:?} {template} among {all:#?}")
        })
}

const LIST_KEEPERS: &str = "## HTTP request\n\n```http\nGET /zoos/{id}/keepers\n```\n\n\
    ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
    of [keeper](../resources/keeper.md) objects in the response body.\n";

#[test]
fn a_page_showing_an_option_on_a_path_never_owns_it() {
    let usage = method_page(
        "extension-get",
        "Get extension",
        "## HTTP request\n\n```http\nGET /zoos/{id}/keepers?$expand=extensions($filter=id eq '{x}')\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and an \
         [extension](../resources/extension.md) object.\n",
    );
    let list = method_page("zoo-list-keepers", "List keepers", LIST_KEEPERS);
    let api = resolve(vec![usage, list]);
    let keepers = operation(&api, HttpMethod::Get, "/zoos/{id}/keepers");
    assert_eq!(keepers.source.file, "api/zoo-list-keepers.md");
    assert!(matches!(keepers.response, Response::Collection { .. }));
}

#[test]
fn a_page_named_after_the_paths_segment_wins_over_another_pages_post() {
    let post = |file: &str, title: &str| {
        method_page(
            file,
            title,
            "## HTTP request\n\n```http\nPOST /zoos/{id}/keepers\n```\n\n\
             ## Request body\n\nIn the request body, supply a JSON representation of a \
             [keeper](../resources/keeper.md) object.\n\n## Response\n\nIf successful, this \
             method returns a `201 Created` response code and a [keeper](../resources/keeper.md) object.\n",
        )
    };
    let api = resolve(vec![
        post(
            "extendedproperty-post-extendedproperties",
            "Create extended property",
        ),
        post("zoo-post-keepers", "Create keeper"),
    ]);
    assert_eq!(
        operation(&api, HttpMethod::Post, "/zoos/{id}/keepers")
            .source
            .file,
        "api/zoo-post-keepers.md"
    );
}

#[test]
fn every_http_request_section_of_a_page_is_read() {
    let page = method_page(
        "zoo-get",
        "Get zoo",
        "## Get the signed-in user's zoo\n\n### HTTP request\n\n```http\nGET /me/zoo\n```\n\n\
         ## Get any zoo\n\n### HTTP request\n\n```http\nGET /zoos/{id}\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [zoo](../resources/zoo.md) object.\n",
    );
    let api = resolve(vec![page]);
    operation(&api, HttpMethod::Get, "/me/zoo");
    operation(&api, HttpMethod::Get, "/zoos/{id}");
}

#[test]
fn downloads_deltas_and_upload_sessions_have_their_own_kinds() {
    let download = method_page(
        "zoo-get-content",
        "Download the zoo map",
        "## HTTP request\n\n```http\nGET /zoos/{id}/content\n```\n\n## Response\n\n\
         Returns a `302 Found` response redirecting to a download URL.\n",
    );
    let delta = method_page(
        "keeper-delta",
        "keeper: delta",
        "## HTTP request\n\n```http\nGET /keepers/delta\n```\n\n## Request body\n\n\
         Do not supply a request body for this method.\n\n### Response\n\nIf successful, this \
         method returns `200 OK` response code and [keeper](../resources/keeper.md) collection \
         object in the response body.\n",
    );
    let upload = method_page(
        "zoo-createuploadsession",
        "Create an upload session",
        "## HTTP request\n\n```http\nPOST /zoos/{id}/createUploadSession\n```\n\n\
         ## Response\n\nIf successful, the response is an [uploadSession](../resources/uploadsession.md).\n",
    );
    let api = resolve(vec![download, delta, upload]);
    assert_eq!(
        operation(&api, HttpMethod::Get, "/zoos/{id}/content").response,
        Response::Bytes
    );
    match &operation(&api, HttpMethod::Get, "/keepers/delta").response {
        // `headKeeper` derives from `keeper`: any keeper.
        Response::Delta {
            item: FieldType::Polymorphic { path },
        } => assert_eq!(path.name, "AnyKeeper"),
        other => panic!("delta reads {other:?}"),
    }
    assert_eq!(
        operation(&api, HttpMethod::Post, "/zoos/{id}/createUploadSession").response,
        Response::UploadSession
    );
}

#[test]
fn references_and_bindings_are_typed_and_writable_properties_complete_a_create_body() {
    let add = method_page(
        "zoo-post-keepers",
        "Add keeper",
        "## HTTP request\n\n```http\nPOST /zoos/{id}/keepers/$ref\n```\n\n## Request body\n\n\
         In the request body, supply a JSON representation of the reference.\n\n## Response\n\n\
         If successful, this method returns a `204 No Content` response code.\n\n## Example\n\n\
         ```http\nPOST https://graph.microsoft.com/v1.0/zoos/1/keepers/$ref\nContent-type: application/json\n\n\
         {\"@odata.id\": \"https://graph.microsoft.com/v1.0/keepers/2\"}\n```\n",
    );
    let create = method_page(
        "zoo-post",
        "Create zoo",
        "## HTTP request\n\n```http\nPOST /zoos\n```\n\n## Request body\n\n\
         The table shows the properties of the [zoo](../resources/zoo.md) resource to give.\n\n\
         |Property|Type|Description|\n|:---|:---|:---|\n\
         |name|String|The zoo's name.|\n|keepers|String collection|The keepers' URLs.|\n\n\
         Specify other writable properties as necessary.\n\n## Response\n\n\
         If successful, this method returns a `201 Created` response code and a \
         [zoo](../resources/zoo.md) object.\n",
    );
    let api = resolve(vec![add, create]);
    assert_eq!(
        operation(&api, HttpMethod::Post, "/zoos/{id}/keepers/$ref").body,
        Body::Reference
    );
    let Body::Model { path } = &operation(&api, HttpMethod::Post, "/zoos").body else {
        panic!("the create call takes a model");
    };
    let body = api
        .models
        .iter()
        .find(|model| model.rust_name == path.name)
        .expect("the body model");
    let json_names: Vec<&str> = body.fields.iter().map(|f| f.json_name.as_str()).collect();
    assert!(json_names.contains(&"keepers@odata.bind"), "{json_names:?}");
    assert!(json_names.contains(&"zooTypes"), "{json_names:?}");
    assert!(
        !json_names.contains(&"id"),
        "read-only ids stay out: {json_names:?}"
    );
}

#[test]
fn collections_that_count_get_a_count_and_examples_options_are_offered() {
    let list = method_page(
        "zoo-list-keepers",
        "List keepers",
        &format!(
            "{LIST_KEEPERS}\n## Examples\n\n```http\nGET https://graph.microsoft.com/v1.0/zoos/1/keepers?$top=2&$orderby=name\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": []}}\n```\n\n\
             ```http\nGET https://graph.microsoft.com/v1.0/zoos/1/keepers/$count\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: text/plain\n\n2\n```\n"
        ),
    );
    let api = resolve(vec![list]);
    let keepers = operation(&api, HttpMethod::Get, "/zoos/{id}/keepers");
    assert!(keepers.query_options.contains(&"$top".to_string()));
    assert!(keepers.query_options.contains(&"$orderby".to_string()));
    assert!(keepers.query_set.is_some(), "the options are offered");
    let count = operation(&api, HttpMethod::Get, "/zoos/{id}/keepers/$count");
    assert_eq!(count.response, Response::Count);
    assert_eq!(
        count.sends_headers,
        [("ConsistencyLevel".to_string(), "eventual".to_string())]
    );
    let counted = api
        .examples
        .iter()
        .find(|case| case.url.ends_with("/$count"))
        .expect("the count example is matched");
    assert_eq!(api.operations[counted.operation].response, Response::Count);
}

#[test]
fn type_cells_read_enum_anchors_suffixes_and_subclasses() {
    let api = resolve(Vec::new());
    let zoo = api.models.iter().find(|m| m.rust_name == "Zoo").unwrap();
    let field = |name: &str| {
        &zoo.fields
            .iter()
            .find(|field| field.json_name == name)
            .unwrap()
            .field_type
    };
    assert!(matches!(field("ticketKind"), FieldType::Enum { path } if path.name == "TicketKind"));
    assert!(
        matches!(field("parkCollection"), FieldType::Model { path } if path.name == "ParkCollection")
    );
    let head = api
        .models
        .iter()
        .find(|model| model.rust_name == "HeadKeeper")
        .unwrap();
    assert!(
        head.fields.iter().any(|field| field.json_name == "name"),
        "a subclass inherits its base's properties"
    );
}

#[test]
fn casts_an_example_makes_on_a_collection_are_calls_with_their_count() {
    let list = method_page(
        "zoo-list-keepers",
        "List keepers",
        &format!(
            "{LIST_KEEPERS}\n## Examples\n\n\
             ```http\nGET https://graph.microsoft.com/v1.0/zoos/1/keepers/microsoft.graph.headKeeper?$count=true\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": []}}\n```\n\n\
             ```http\nGET https://graph.microsoft.com/v1.0/zoos/1/keepers/microsoft.graph.headKeeper/$count\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: text/plain\n\n2\n```\n"
        ),
    );
    let api = resolve(vec![list]);
    let heads = operation(
        &api,
        HttpMethod::Get,
        "/zoos/{id}/keepers/microsoft.graph.headKeeper",
    );
    let Response::Collection {
        item: FieldType::Model { path },
    } = &heads.response
    else {
        panic!("a cast lists the derived type: {:?}", heads.response);
    };
    assert_eq!(path.name, "HeadKeeper");
    let count = operation(
        &api,
        HttpMethod::Get,
        "/zoos/{id}/keepers/microsoft.graph.headKeeper/$count",
    );
    assert_eq!(count.response, Response::Count);
    // Both examples reach their calls, not the uncast collection.
    let reached: Vec<String> = api
        .examples
        .iter()
        .map(|case| api.operations[case.operation].template())
        .collect();
    assert_eq!(
        reached,
        [
            "/zoos/{id}/keepers/microsoft.graph.headKeeper",
            "/zoos/{id}/keepers/microsoft.graph.headKeeper/$count"
        ]
    );
}

#[test]
fn me_and_a_users_id_are_one_call_and_examples_reach_it_either_way() {
    let list = method_page(
        "user-list-keepers",
        "List a user's keepers",
        "## HTTP request\n\n```http\nGET /me/keepers\nGET /users/{id | userPrincipalName}/keepers\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n\n## Examples\n\n\
         ```http\nGET https://graph.microsoft.com/v1.0/me/keepers\n```\n\n\
         ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"value\": []}\n```\n",
    );
    let favourite = method_page(
        "user-get-favouritekeeper",
        "Get my favourite keeper",
        "## HTTP request\n\n```http\nGET /me/favouriteKeeper\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [keeper](../resources/keeper.md) object in the response body.\n\n## Examples\n\n\
         ```http\nGET https://graph.microsoft.com/v1.0/users/adele@contoso.com/favouriteKeeper\n```\n\n\
         ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"id\": \"1\"}\n```\n",
    );
    let api = resolve(vec![list, favourite]);
    let templates: Vec<String> = api.operations.iter().map(Operation::template).collect();
    assert!(
        !templates.contains(&"/me/keepers".to_string()),
        "one call for both forms: {templates:?}"
    );
    operation(&api, HttpMethod::Get, "/users/{id}/keepers");
    operation(&api, HttpMethod::Get, "/me/favouriteKeeper");
    // Each example is built along the path it writes.
    let written: Vec<String> = api
        .examples
        .iter()
        .map(|case| {
            let path = case.written_path.as_ref().expect("the other form");
            let mut template = String::new();
            for part in path {
                template.push('/');
                part.write_template(&mut template);
            }
            template
        })
        .collect();
    assert_eq!(written, ["/users/{me-id}/favouriteKeeper", "/me/keepers"]);
    assert_eq!(
        api.examples[0].arguments,
        [("me-id".to_string(), "adele@contoso.com".to_string())]
    );
}

#[test]
fn a_function_argument_the_template_writes_as_a_value_is_the_callers() {
    let stats = method_page(
        "zoo-getvisitsbyinterval",
        "Get visits by interval",
        "## HTTP request\n\n```http\nGET /zoos/{id}/getVisitsByInterval(start='2017-01-01',interval=7)\n```\n\n\
         ## Response\n\nIf successful, this method returns a `204 No Content` response code.\n",
    );
    let api = resolve(vec![stats]);
    let visits = &api.operations[0];
    let Some(model::PathPart::Function { arguments, .. }) = visits.path.last() else {
        panic!("a function segment: {:?}", visits.path);
    };
    let values: Vec<(String, bool)> = arguments
        .iter()
        .map(|argument| match &argument.value {
            model::ArgumentValue::Parameter {
                rust_name, quoted, ..
            } => (rust_name.clone(), *quoted),
            model::ArgumentValue::Fixed { literal } => panic!("fixed `{literal}`"),
        })
        .collect();
    assert_eq!(
        values,
        [("start".to_string(), true), ("interval".to_string(), false)]
    );
}

#[test]
fn an_example_written_without_its_leading_slash_reaches_its_call() {
    let list = method_page(
        "zoo-list-keepers",
        "List keepers",
        &format!(
            "{LIST_KEEPERS}\n## Examples\n\n```http\nGET zoos/1/keepers\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": []}}\n```\n"
        ),
    );
    let api = resolve(vec![list]);
    assert_eq!(api.examples.len(), 1, "the example is matched");
    assert_eq!(api.examples[0].url, "/zoos/1/keepers");
    assert_eq!(
        api.examples[0].arguments,
        [("id".to_string(), "1".to_string())]
    );
}

#[test]
fn a_function_written_bare_and_with_arguments_keeps_both_calls() {
    let rooms = method_page(
        "zoo-findkeepers",
        "Find keepers",
        "## HTTP request\n\n```http\nGET /zoos/{id}/findKeepers\nGET /zoos/{id}/findKeepers(House='{house}')\n```\n\n\
         ## Function parameters\n\n|Parameter|Type|Description|\n|:---|:---|:---|\n\
         |House|String|The animal house to look in.|\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n\n## Examples\n\n\
         ```http\nGET https://graph.microsoft.com/v1.0/zoos/1/findKeepers(House='reptiles')\n```\n\n\
         ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"value\": []}\n```\n",
    );
    let api = resolve(vec![rooms]);
    operation(&api, HttpMethod::Get, "/zoos/{id}/findKeepers");
    operation(
        &api,
        HttpMethod::Get,
        "/zoos/{id}/findKeepers(House='{house}')",
    );
}

#[test]
fn templates_written_with_example_values_or_one_per_heading_are_calls() {
    // Example values where keys go: the call takes the keys.
    let get_keeper = method_page(
        "keeper-get",
        "Get keeper",
        "## HTTP request\n\n```http\n\
         GET /zoos/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/keepers/cf6005fc-9e13-44a2-a6ac-a53322006454\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [keeper](../resources/keeper.md) object.\n",
    );
    // One template per heading, each a `request` block, the first in the HTTP request section.
    let list_keepers = method_page(
        "keeper-list",
        "List keepers",
        "## List a zoo's keepers\n\n### HTTP request\n\n\
         <!-- {\"blockType\": \"request\", \"name\": \"zoo-keepers\"} -->\n\
         ```http\nGET /zoos/{zooId}/keepers\n```\n\n\
         ## List my zoo's keepers\n\n\
         <!-- {\"blockType\": \"request\", \"name\": \"my-keepers\"} -->\n\
         ```http\nGET /me/zoo/keepers\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n\n\
         ## Example\n\n<!-- {\"blockType\": \"request\", \"name\": \"custom\"} -->\n\
         ```http\nGET /me/zoo/keepers?select=name\n```\n",
    );
    let api = resolve(vec![get_keeper, list_keepers]);
    operation(&api, HttpMethod::Get, "/zoos/{id}/keepers/{id}");
    operation(&api, HttpMethod::Get, "/zoos/{zooId}/keepers");
    operation(&api, HttpMethod::Get, "/me/zoo/keepers");
    // The example after the templates stays an example, not a call with a fixed query.
    assert!(
        api.operations
            .iter()
            .all(|operation| operation.query.is_empty()),
        "{:#?}",
        api.operations
            .iter()
            .map(Operation::template)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_call_reads_one_object_where_its_path_or_every_example_shows_one() {
    let collection_prose = "## Response\n\nIf successful, this method returns a `200 OK` \
        response code and a collection of [keeper](../resources/keeper.md) objects in the \
        response body.\n";
    let by_key = method_page(
        "keeper-get",
        "Get keeper",
        &format!(
            "## HTTP request\n\n```http\nGET /zoos/{{id}}/keepers/{{keeper-id}}\n```\n\n{collection_prose}"
        ),
    );
    let by_example = method_page(
        "zoo-get-headkeeper",
        "Get head keeper",
        &format!(
            "## HTTP request\n\n```http\nGET /zoos/{{id}}/headKeeper\n```\n\n{collection_prose}\n\
             ## Example\n\n```http\nGET https://graph.microsoft.com/v1.0/zoos/1/headKeeper\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"id\": \"7\", \"name\": \"Ann\"}}\n```\n"
        ),
    );
    let list = method_page(
        "zoo-list-keepers",
        "List keepers",
        &format!(
            "## HTTP request\n\n```http\nGET /zoos/{{id}}/keepers\n```\n\n{collection_prose}\n\
             ## Example\n\n```http\nGET https://graph.microsoft.com/v1.0/zoos/1/keepers\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": []}}\n```\n"
        ),
    );
    let api = resolve(vec![by_key, by_example, list]);
    for template in ["/zoos/{id}/keepers/{keeper-id}", "/zoos/{id}/headKeeper"] {
        let call = operation(&api, HttpMethod::Get, template);
        assert!(
            matches!(
                &call.response,
                Response::Json {
                    body: FieldType::Model { .. } | FieldType::Polymorphic { .. },
                    ..
                }
            ),
            "{template}: {:?}",
            call.response
        );
    }
    let list = operation(&api, HttpMethod::Get, "/zoos/{id}/keepers");
    assert!(
        matches!(list.response, Response::Collection { .. }),
        "{:?}",
        list.response
    );
}

#[test]
fn a_page_reading_its_resources_properties_one_by_one_reads_each_property() {
    let page = method_page(
        "zoo-get",
        "Get zoo",
        "## HTTP request\n\n```http\nGET /zoos/{id}\nGET /zoos/{id}/name\nGET /zoos/{id}/ticketKind\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [zoo](../resources/zoo.md) object in the response body.\n",
    );
    let api = resolve(vec![page]);
    let zoo = operation(&api, HttpMethod::Get, "/zoos/{id}");
    assert!(
        matches!(&zoo.response, Response::Json { body: FieldType::Model { path }, .. } if path.name == "Zoo"),
        "{:?}",
        zoo.response
    );
    let name = operation(&api, HttpMethod::Get, "/zoos/{id}/name");
    assert!(
        matches!(
            &name.response,
            Response::Json {
                body: FieldType::Primitive { .. },
                ..
            }
        ),
        "{:?}",
        name.response
    );
    let kind = operation(&api, HttpMethod::Get, "/zoos/{id}/ticketKind");
    assert!(
        matches!(
            &kind.response,
            Response::Json {
                body: FieldType::Enum { .. },
                ..
            }
        ),
        "{:?}",
        kind.response
    );
}

#[test]
fn drive_is_the_signed_in_users_drive_in_every_form() {
    let children = method_page(
        "driveitem-list-children",
        "List children",
        "## HTTP request\n\n```http\nGET /users/{user-id}/drive/items/{item-id}/children\n\
         GET /drive/root/children\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n\n## Examples\n\n\
         ```http\nGET https://graph.microsoft.com/v1.0/drive/items/01ABC/children\n```\n\n\
         ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"value\": []}\n```\n",
    );
    let api = resolve(vec![children]);
    let templates: Vec<String> = api.operations.iter().map(Operation::template).collect();
    assert_eq!(
        templates,
        ["/users/{user-id}/drive/items/{item-id}/children"],
        "`/drive/root/children` is the same call"
    );
    let case = &api.examples[0];
    let written = case.written_path.as_ref().expect("written with `/drive`");
    assert!(matches!(&written[0], model::PathPart::Static { segment } if segment == "drive"));
    assert_eq!(
        case.arguments,
        [("item-id".to_string(), "01ABC".to_string())]
    );
    // The client's `drive()` is the signed-in user's drive, with every call of a user's: it
    // returns the builder of `/users/{id}/drive`.
    let client = emitted(&api, graph_codegen::emit::FileJob::VersionModule(0));
    let requests = emitted(&api, graph_codegen::emit::FileJob::Requests(0));
    let builder = requests
        .split("/// Requests under `/users/{user-id}/drive`.")
        .nth(1)
        .and_then(|rest| rest.split("pub type ").nth(1))
        .and_then(|rest| rest.split('<').next())
        .expect("a builder for the user's drive");
    assert!(
        requests.contains("`drive()` returns it too, for the signed-in user's drive"),
        "{requests}"
    );
    assert!(
        client.contains(&format!(
            "pub fn drive(&self) -> crate::v1_0::requests::{builder}<'_>"
        )),
        "{}",
        client
            .lines()
            .filter(|line| line.contains("fn drive"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn function_and_action_forms_the_examples_write_are_the_calls() {
    // A function whose parameter table has no type column: the examples' arguments.
    let summary = method_page(
        "zoo-getvisitorsummary",
        "Get visitor summary",
        "## HTTP request\n\n```http\nGET /zoos/{id}/getVisitorSummary\n```\n\n\
         ## Function parameters\n\n|Parameter|Description|\n|:---|:---|\n\
         |period|D7 or D30.|\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [keeper](../resources/keeper.md) object in the response body.\n\n## Examples\n\n\
         ```http\nGET https://graph.microsoft.com/v1.0/zoos/1/getVisitorSummary(period='D7')\n```\n",
    );
    // An action written with a function's parentheses.
    let close = method_page(
        "zoo-close",
        "Close zoo",
        "## HTTP request\n\n```http\nPOST /zoos/{id}/close()\n```\n\n\
         ## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
    );
    // Two required filters on one path: alternatives the caller writes.
    let keepers = method_page(
        "zoo-list-keepers",
        "List keepers",
        "## HTTP request\n\n```http\nGET /zoos/{id}/keepers?$filter=name eq '{name}'\n\
         GET /zoos/{id}/keepers?$filter=id eq '{keeper id}'\n```\n\n\
         ## Optional query parameters\n\nThe `$filter` query parameter is required.\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n",
    );
    let api = resolve(vec![summary, close, keepers]);
    operation(
        &api,
        HttpMethod::Get,
        "/zoos/{id}/getVisitorSummary(period='{period}')",
    );
    operation(&api, HttpMethod::Post, "/zoos/{id}/close");
    let list = operation(&api, HttpMethod::Get, "/zoos/{id}/keepers");
    assert!(list.query.is_empty(), "{:?}", list.query);
}

#[test]
fn calls_that_want_one_name_are_told_apart_by_what_sets_them_apart() {
    let list = method_page(
        "zoo-list-keepers",
        "List keepers",
        "## HTTP request\n\n```http\nGET /zoos/{id}/keepers\nGET /zoos/{id}/keepers?includeRetired=true\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a collection \
         of [keeper](../resources/keeper.md) objects in the response body.\n",
    );
    let report = method_page(
        "zoo-getvisitordetail",
        "Get visitor detail",
        "## HTTP request\n\n```http\nGET /zoos/{id}/getVisitorDetail(period='{period_value}')\n\
         GET /zoos/{id}/getVisitorDetail(date={date_value})\n```\n\n\
         ## Response\n\nIf successful, this method returns a `200 OK` response code and a \
         [keeper](../resources/keeper.md) object in the response body.\n",
    );
    let api = resolve(vec![list, report]);
    let requests = emitted(&api, graph_codegen::emit::FileJob::Requests(0));
    for name in [
        "pub fn list(",
        "pub fn list_with_include_retired(",
        "pub fn get_visitor_detail_with_period(",
        "pub fn get_visitor_detail_with_date(",
    ] {
        assert!(requests.contains(name), "no `{name}` in\n{requests}");
    }
    assert!(
        !requests.contains("_2("),
        "a numbered method: {}",
        requests
            .lines()
            .filter(|line| line.contains("_2("))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The real 2021 pages: the forms this file tests on small pages, where users meet them.
#[test]
fn the_2021_docs_calls_users_make_first() {
    let Some(apis) = corpus_2021::resolved() else {
        return;
    };
    for api in &apis {
        // One operation per call, whichever form (`/me`, a drive's `root`) the pages write.
        let mut calls = std::collections::BTreeMap::new();
        for operation in &api.operations {
            let key = (
                operation.method,
                model::aliases::canonical_keys(&operation.path),
                operation
                    .query
                    .iter()
                    .map(|pair| (pair.name.to_ascii_lowercase(), pair.value.clone()))
                    .collect::<Vec<_>>(),
            );
            if let Some(other) = calls.insert(key, operation.template()) {
                panic!(
                    "{}: {} {} and {other} are one call",
                    api.version,
                    operation.method.as_str(),
                    operation.template()
                );
            }
        }
        let find = |method: HttpMethod, ends_with: &str| {
            api.operations
                .iter()
                .find(|operation| {
                    operation.method == method && operation.template().ends_with(ends_with)
                })
                .unwrap_or_else(|| panic!("{}: no {method:?} …{ends_with}", api.version))
        };
        // `GET /users/{id}/memberOf/microsoft.graph.group`, which `user-list-memberof.md`'s
        // examples call, lists groups.
        let groups = find(HttpMethod::Get, "/memberOf/microsoft.graph.group");
        assert!(
            matches!(&groups.response, Response::Collection { item: FieldType::Model { path } } if path.name == "Group"),
            "{}: {:?}",
            api.version,
            groups.response
        );
        // A message update reads the `204` the service answers by default.
        let update = find(HttpMethod::Patch, "/messages/{id}");
        assert!(update.result_is_optional(), "{}", api.version);
        // Examples written as `/me/…` reach calls documented as `/users/{id}/…`, and back.
        assert!(
            api.examples
                .iter()
                .filter(|case| case.written_path.is_some())
                .count()
                > 10,
            "{}: examples reach their calls through aliases",
            api.version
        );
        if api.version == "beta" {
            // `/me/findRooms` and `/me/findRooms(RoomList='…')` are both calls.
            find(HttpMethod::Get, "/findRooms");
        }
    }
}
