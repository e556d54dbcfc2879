//! One endpoint documented on several pages: which page's operation is generated.

use std::path::Path;

use graph_codegen::diagnostics::Code;
use graph_codegen::model::{self, Api, HttpMethod};
use graph_codegen::page::{self, ParsedPage};

fn resource(name: &str) -> ParsedPage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/emit/v1.0/resources")
        .join(format!("{name}.md"));
    let source = std::fs::read_to_string(&path).unwrap();
    page::parse_page(&format!("resources/{name}.md"), &source).0
}

/// A GET page returning `returns` (a resource file name).
fn get_page(file: &str, path: &str, returns: &str) -> ParsedPage {
    let source = format!(
        "# Get {returns}\n\nNamespace: microsoft.graph\n\nRead a {returns}.\n\n\
         ## HTTP request\n\n```http\nGET {path}\n```\n\n## Response\n\n\
         If successful, this method returns a `200 OK` response code and a \
         [{returns}](../resources/{returns}.md) object in the response body.\n"
    );
    page::parse_page(&format!("api/{file}.md"), &source).0
}

fn source_of(api: &Api, template: &str) -> String {
    let operation = api
        .operations
        .iter()
        .find(|operation| operation.method == HttpMethod::Get && operation.template() == template)
        .unwrap_or_else(|| panic!("no GET {template}"));
    operation.source.file.clone()
}

fn resolve(method_pages: Vec<ParsedPage>) -> (Api, Vec<String>) {
    let mut pages: Vec<ParsedPage> = ["animal", "mammal", "dog", "zoo", "session"]
        .into_iter()
        .map(resource)
        .collect();
    pages.extend(method_pages);
    let (api, diagnostics) = model::resolve("v1.0", &pages, &Default::default());
    let duplicates = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::DuplicateOperation)
        .map(|diagnostic| format!("{}: {}", diagnostic.file, diagnostic.message))
        .collect();
    (api, duplicates)
}

#[test]
fn the_page_about_the_base_type_wins_over_a_derived_types_page() {
    let animal = "/zoos/{zoo-id}/animals/{animal-id}";
    let (api, duplicates) = resolve(vec![
        get_page("dog-get", animal, "dog"),
        get_page("mammal-get", animal, "mammal"),
    ]);
    assert_eq!(
        source_of(&api, "/zoos/{zoo-id}/animals/{animal-id}"),
        "api/mammal-get.md"
    );
    assert_eq!(
        duplicates,
        [format!(
            "api/dog-get.md: GET {animal} is also documented in `api/mammal-get.md`, which is kept"
        )]
    );
}

#[test]
fn a_general_page_wins_over_intunes_and_an_unrelated_page_never_does() {
    let zoo = "/zoos/{zoo-id}";
    let (api, duplicates) = resolve(vec![
        get_page("intune-zoology-zoo-get", zoo, "zoo"),
        get_page("session-get", zoo, "session"),
        get_page("zoo-get", zoo, "zoo"),
    ]);
    assert_eq!(source_of(&api, "/zoos/{zoo-id}"), "api/zoo-get.md");
    assert_eq!(duplicates.len(), 2, "{duplicates:#?}");

    // Unrelated types: the first page stays, whatever the others are about.
    let (api, _) = resolve(vec![
        get_page("session-get", zoo, "session"),
        get_page("zoo-get", zoo, "zoo"),
    ]);
    assert_eq!(source_of(&api, "/zoos/{zoo-id}"), "api/session-get.md");
}

#[test]
fn a_line_repeated_on_one_page_is_generated_once() {
    let source = "# Get zoo\n\nRead a zoo.\n\n## HTTP request\n\n```http\nGET /zoos/{zoo-id}\n\
                  GET /zoos/{id}\n```\n\n## Response\n\nReturns a [zoo](../resources/zoo.md) object.\n";
    let (api, duplicates) = resolve(vec![page::parse_page("api/zoo-get.md", source).0]);
    let gets = api
        .operations
        .iter()
        .filter(|operation| operation.template().starts_with("/zoos/{"))
        .count();
    assert_eq!(gets, 1);
    assert_eq!(
        duplicates,
        ["api/zoo-get.md: GET /zoos/{id} is documented twice on this page; the first is kept"]
    );
}

fn cat_resource() -> ParsedPage {
    let source = "# cat resource type\n\nNamespace: microsoft.graph\n\n\
                  An animal that naps. Inherits from [animal](animal.md).\n\n## Properties\n\n\
                  |Property|Type|Description|\n|:---|:---|:---|\n|lives|Int32|Lives left.|\n\n\
                  ## JSON representation\n\n<!-- {\n  \"blockType\": \"resource\",\n  \
                  \"baseType\": \"microsoft.graph.animal\",\n  \"@odata.type\": \"microsoft.graph.cat\"\n}-->\n\
                  ```json\n{\"lives\": 9}\n```\n";
    page::parse_page("resources/cat.md", source).0
}

/// A POST page with a body table, returning `returns`.
fn post_page(file: &str, path: &str, returns: &str) -> ParsedPage {
    let source = format!(
        "# Create {returns}\n\nNamespace: microsoft.graph\n\nCreate a {returns}.\n\n\
         ## HTTP request\n\n```http\nPOST {path}\n```\n\n## Request body\n\n\
         |Property|Type|Description|\n|:---|:---|:---|\n|name|String|Its name.|\n\n\
         ## Response\n\nIf successful, this method returns a `201 Created` response code and a \
         [{returns}](../resources/{returns}.md) object in the response body.\n"
    );
    page::parse_page(&format!("api/{file}.md"), &source).0
}

#[test]
fn a_call_documented_once_per_derived_type_takes_and_returns_the_base_enum() {
    let animals = "/zoos/{zoo-id}/animals";
    let feed = "/zoos/{zoo-id}/animals/{animal-id}/feed";
    let (api, _) = resolve(vec![
        cat_resource(),
        post_page("cat-create", animals, "cat"),
        post_page("cat-feed", feed, "cat"),
        post_page("dog-create", animals, "dog"),
        post_page("dog-feed", feed, "dog"),
    ]);
    let create = api
        .operations
        .iter()
        .find(|operation| operation.method == HttpMethod::Post && operation.template() == animals)
        .unwrap();
    let json = serde_json::to_value(create).unwrap();
    assert_eq!(json["body"]["path"]["name"], "AnyAnimal", "{json:#}");
    assert_eq!(json["response"]["body"]["kind"], "polymorphic", "{json:#}");
    assert_eq!(json["response"]["body"]["path"]["name"], "AnyAnimal");
    assert!(create.docs[0].starts_with("The docs describe this call on 2 pages"));

    // An action's body is its parameters, not the resource: it stays the first page's.
    let feed = api
        .operations
        .iter()
        .find(|operation| operation.template() == feed)
        .unwrap();
    let json = serde_json::to_value(feed).unwrap();
    assert!(feed.action);
    assert_eq!(feed.source.file, "api/cat-feed.md");
    let feed_body = json["body"]["path"]["name"].as_str().unwrap();
    assert_ne!(feed_body, "AnyAnimal");

    // The create pages' own body tables are sent by no call, so no struct is made of them.
    let bodies: Vec<&str> = api
        .models
        .iter()
        .map(|model| model.rust_name.as_str())
        .filter(|name| name.contains("Request"))
        .collect();
    assert_eq!(bodies, [feed_body]);
}
