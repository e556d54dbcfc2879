//! The `batch_leaf_certificates` example, run against wiremock on 127.0.0.1: the authorities
//! from the docs' list example, their leaf certificates through a `$batch` endpoint that answers
//! like the service (out of order, one request failing on its own).

#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../examples/batch_leaf_certificates.rs"]
mod batch_leaf_certificates;
mod support;

use batch_leaf_certificates::{describe, leaf_certificates};
use graph_client::beta::Client;
use graph_client::{Error, StaticToken};
use serde_json::{Value, json};
use support::example_response;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CAS: &str = "/deviceManagement/cloudCertificationAuthority";

/// The docs' example authority, once per id (`""` for one whose id the service left out).
fn authorities(ids: &[&str]) -> Value {
    let example = example_response("cloudcertificationauthority-list")["value"][0].clone();
    let value: Vec<Value> = ids
        .iter()
        .map(|id| {
            let mut ca = example.clone();
            ca["displayName"] = json!(format!("CA {id}"));
            match id {
                &"" => ca.as_object_mut().expect("an object").remove("id"),
                id => ca
                    .as_object_mut()
                    .expect("an object")
                    .insert("id".into(), json!(id)),
            };
            ca
        })
        .collect();
    json!({ "value": value })
}

/// The `$batch` answer: the docs' leaf certificate list for `ca-1`, a page with more to come for
/// `ca-3`, and 403 for `ca-2`; in reverse order.
fn batch_answer(request: &wiremock::Request) -> ResponseTemplate {
    let batch: Value = serde_json::from_slice(&request.body).expect("a JSON batch");
    let leaves = example_response("cloudcertificationauthorityleafcertificate-list");
    let mut responses: Vec<Value> = batch["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|request| {
            assert_eq!(request["method"], "GET");
            assert!(request.get("headers").is_none(), "{request}");
            let url = request["url"].as_str().expect("url");
            let ca = url
                .strip_prefix(&format!("{CAS}/"))
                .and_then(|rest| rest.strip_suffix("/cloudCertificationAuthorityLeafCertificate"))
                .expect("a leaf certificate list");
            let (status, body) = match ca {
                "ca-1" => (200, leaves.clone()),
                "ca-2" => (403, json!({"error": {"code": "Forbidden", "message": "No access to ca-2."}})),
                _ => {
                    let mut page = leaves.clone();
                    page["@odata.nextLink"] = json!("https://graph.microsoft.com/beta/next");
                    (200, page)
                }
            };
            json!({"id": request["id"], "status": status, "headers": {"Content-Type": "application/json"}, "body": body})
        })
        .collect();
    responses.reverse();
    ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
}

#[tokio::test]
async fn the_batch_example_reads_each_authoritys_certificates_as_its_own_result() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CAS))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(authorities(&["ca-1", "ca-2", "", "ca-3"])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/$batch"))
        .and(header("authorization", "Bearer batch-token"))
        .respond_with(batch_answer)
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri(), StaticToken::new("batch-token")).unwrap();

    let entries = leaf_certificates(&client).await.expect("the authorities");
    let lines: Vec<String> = entries.iter().map(describe).collect();
    assert_eq!(lines[0], "CA ca-1\t1 leaf certificates");
    assert_eq!(
        lines[1],
        "CA ca-2\tGraph API error (HTTP 403 Forbidden): Forbidden: No access to ca-2."
    );
    assert!(
        matches!(
            &entries[2].certificates,
            Err(Error::InvalidPathParameter {
                name: "cloudCertificationAuthorityId",
                ..
            })
        ),
        "an authority without an id fails alone, before anything is sent: {:?}",
        entries[2].certificates
    );
    assert_eq!(lines[3], "CA ca-3\t1 leaf certificates on the first page");
    let leaf = &entries[0].certificates.as_ref().expect("a page").value[0];
    assert_eq!(leaf.device_name.as_deref(), Some("LAPTOP-7QK2M"));

    let requests = server.received_requests().await.expect("recording");
    let batch: Value = serde_json::from_slice(&requests[1].body).expect("the batch");
    assert_eq!(
        batch["requests"].as_array().map(Vec::len),
        Some(3),
        "three authorities with ids, one $batch request"
    );
}

/// The README's "Batches, delta rounds, uploads and downloads" section quotes the example's
/// `leaf_certificates`, character for character.
#[test]
fn the_readme_quotes_the_batch_example() {
    let example = include_str!("../examples/batch_leaf_certificates.rs");
    let readme = include_str!("../../README.md");
    let start = example
        .find("/// Every certification authority with the first page")
        .expect("the quoted part starts");
    let end = start
        + example[start..]
            .find("/// One line per authority")
            .expect("it ends");
    let quoted = example[start..end].trim_end();
    assert!(
        readme.contains(quoted),
        "README.md must quote examples/batch_leaf_certificates.rs from `leaf_certificates`'s \
         doc comment to the end of the function"
    );
}
