//! What the generated example tests (`tests/examples/*.rs`) call: the four checks of a docs
//! example, written once here so the emitted tests stay short.

use graph_runtime::Request;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

use super::same_json::{assert_same_json as same, is_same_json};

/// Check 2 and 3: `json` deserialises into `T`, and `T` writes it back as the same JSON
/// (keys in any order, numbers by value, timestamps as instants).
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str, what: &str) -> T {
    let expected: Value = serde_json::from_str(json).expect("the docs' example is valid JSON");
    let value: T = serde_json::from_value(expected.clone())
        .unwrap_or_else(|error| panic!("{what} does not deserialise: {error}\n{json}"));
    let written = serde_json::to_value(&value).expect("a generated type serialises");
    same(&written, &expected);
    value
}

/// Check 3 for a collection: every item of the example's `value` round-trips through `T`.
pub fn round_trip_items<T: Serialize + DeserializeOwned>(json: &str) {
    let page: Value = serde_json::from_str(json).expect("the docs' example is valid JSON");
    let items = page
        .get("value")
        .and_then(Value::as_array)
        .expect("a collection response has a `value` array");
    for item in items {
        round_trip::<T>(&item.to_string(), "an item of the example response");
    }
}

/// An action's example result without the `{"value": …}` wrapper the docs (and OData, for
/// primitives) put around it, as `graph_runtime::ActionResult` reads it.
pub fn action_value(json: &str) -> String {
    let value: Value = serde_json::from_str(json).expect("the docs' example is valid JSON");
    graph_runtime::unwrap_action_value(value).to_string()
}

/// A check the suppressions file lists as a known doc error (`why` is its code and reason):
/// it must fail. When it passes, the docs were fixed and the suppression is stale.
#[allow(dead_code)] // used only while some example is suppressed
pub fn expect_doc_error(why: &str, check: impl FnOnce() + std::panic::UnwindSafe) {
    if std::panic::catch_unwind(check).is_ok() {
        panic!(
            "the check listed as a doc error ({why}) passes: remove its line from specs/examples.suppressions"
        );
    }
}

/// Check 4's result: what the call returned is the example response.
pub fn assert_same_json<T: Serialize>(output: &T, json: &str) {
    let expected: Value = serde_json::from_str(json).expect("the docs' example is valid JSON");
    same(
        &serde_json::to_value(output).expect("serialises"),
        &expected,
    );
}

/// Check 4's result for a collection: the page holds the example's items.
pub fn assert_same_items<T: Serialize>(items: &[T], json: &str) {
    let page: Value = serde_json::from_str(json).expect("the docs' example is valid JSON");
    let expected = page.get("value").cloned().unwrap_or(Value::Null);
    same(&serde_json::to_value(items).expect("serialises"), &expected);
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // `+` is how some docs write a space in a query.
            (decode(name), decode(&value.replace('+', " ")))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Check 1: the request goes to the example's path (segment by segment, decoded) with the
/// example's query pairs.
pub fn assert_target<R, O>(request: &Request<R, O>, method: &str, path: &str, query: &str) {
    assert_eq!(request.method().as_str(), method, "HTTP method");
    let sent = request
        .path()
        .as_str()
        .expect("the example's path values are valid segments");
    let sent_segments: Vec<String> = sent.split('/').map(decode).collect();
    let documented: Vec<String> = path.split('/').map(decode).collect();
    assert_eq!(
        sent_segments, documented,
        "path: sent `{sent}`, docs `{path}`"
    );
    assert_eq!(
        pairs(&request.query_string()),
        pairs(query),
        "query: sent `{}`, docs `{query}`",
        request.query_string()
    );
}

/// Check 4: mounts a mock that answers exactly the example request (method, path, body) with
/// the example response, once.
pub async fn expect_exchange<R, O>(
    server: &MockServer,
    request: &Request<R, O>,
    body: Option<&str>,
    status: u16,
    response: Option<&str>,
) {
    let sent_path = request.path().as_str().expect("valid path").to_string();
    let method = request.method().as_str().to_string();
    let expected_body: Option<Value> =
        body.map(|body| serde_json::from_str(body).expect("the docs' example is valid JSON"));
    let mut template = ResponseTemplate::new(status);
    if let Some(response) = response {
        template = template.set_body_raw(response.as_bytes().to_vec(), "application/json");
    }
    Mock::given(move |received: &Received| {
        received.method.as_str() == method
            && received.url.path() == sent_path
            && match &expected_body {
                None => true,
                Some(expected) => serde_json::from_slice::<Value>(&received.body)
                    .is_ok_and(|actual| is_same_json(&actual, expected)),
            }
    })
    .respond_with(template)
    .expect(1)
    .mount(server)
    .await;
}
