//! Helpers shared by the generated crate's hand-written tests.
//!
//! Each test target uses a different subset of these helpers.
#![allow(dead_code)]

use serde_json::Value;
use wiremock::{MockServer, Request};

/// The seed spec page, read at compile time so the tests follow the page.
pub const SEED_PAGE: &str = include_str!(
    "../../../specs/beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md"
);

/// The first JSON value after `heading` in a page: an example's body.
pub fn example_json(page: &str, heading: &str) -> Value {
    let section = &page[page
        .find(heading)
        .expect("the page has the example heading")..];
    let start = section.find("\n{").expect("the example has a JSON body") + 1;
    serde_json::Deserializer::from_str(&section[start..])
        .into_iter::<Value>()
        .next()
        .expect("a JSON value follows")
        .expect("the example body is valid JSON")
}

/// The text of the Cloud PKI spec page `intune-cloudpkigraphservice-{name}.md` in this
/// repository's `specs/beta/api`.
pub fn spec_page(name: &str) -> String {
    let path = format!(
        "{}/../specs/beta/api/intune-cloudpkigraphservice-{name}.md",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The example response body of the spec page `name` (see [`spec_page`]).
pub fn example_response(name: &str) -> Value {
    example_json(&spec_page(name), "### Response")
}

/// The example request body of the spec page `name` (only for pages whose example request has
/// a body: otherwise this would find the response).
pub fn example_request(name: &str) -> Value {
    let page = spec_page(name);
    let request = &page[page.find("### Request").expect("an example request")..];
    let response_at = request.find("### Response").unwrap_or(request.len());
    assert!(
        request[..response_at].contains("\n{"),
        "the example request of `{name}` has no body"
    );
    example_json(&page, "### Request")
}

/// The one request `server` received; fails if it received none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut received = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {:?}",
        received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    received.remove(0)
}

/// The JSON body of a received request.
pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|error| {
        panic!(
            "the request body is not JSON ({error}): {}",
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// A received header's value as text, if present.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}
