//! The README's flow (`examples/cloud_pki_flow.rs`) and the `list_authorities` example, run
//! against wiremock on 127.0.0.1 serving the spec pages' example JSON.

#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../examples/cloud_pki_flow.rs"]
mod cloud_pki_flow;
#[allow(dead_code)]
#[path = "../examples/list_authorities.rs"]
mod list_authorities;
mod support;

use graph_client::beta::Client;
use graph_client::beta::intune::{
    CloudCertificationAuthorityLeafCertificateStatus, CloudCertificationAuthorityStatus,
};
use graph_client::{Error, StaticToken};
use serde_json::{Value, json};
use support::{example_response, json_body};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CAS: &str = "/deviceManagement/cloudCertificationAuthority";
/// The id the mock gives the authority the flow creates.
const NEW_CA: &str = "5b0d7e93-1c4a-4f26-b8e0-3a9c6d2f7e14";
/// The active leaf certificate of the docs' examples.
const LEAF: &str = "b7e2d4c9-0a13-4f5e-8d21-6c9f3a7e5b10";

/// A docs example answer about the docs' authority, retold about the created one.
fn about_new_ca(mut example: Value) -> Value {
    let ca = if example.get("value").is_some() {
        &mut example["value"]
    } else {
        &mut example
    };
    ca["id"] = json!(NEW_CA);
    ca["displayName"] = json!("Contoso Kiosk CA");
    example
}

async fn mount(server: &MockServer, verb: &str, at: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// The Cloud PKI service of the flow: the docs' examples, the leaf certificates on two pages.
async fn cloud_pki() -> MockServer {
    let server = MockServer::start().await;
    let leaves = format!("{CAS}/{NEW_CA}/cloudCertificationAuthorityLeafCertificate");

    mount(
        &server,
        "GET",
        CAS,
        200,
        example_response("cloudcertificationauthority-list"),
    )
    .await;
    mount(
        &server,
        "POST",
        CAS,
        201,
        about_new_ca(example_response("cloudcertificationauthority-create")),
    )
    .await;
    mount(
        &server,
        "POST",
        &format!("{CAS}/{NEW_CA}/changeCloudCertificationAuthorityStatus"),
        200,
        about_new_ca(example_response(
            "cloudcertificationauthority-changecloudcertificationauthoritystatus",
        )),
    )
    .await;
    // Page 1: an already revoked certificate only; page 2: the docs' list (one active one).
    Mock::given(method("GET"))
        .and(path(leaves.as_str()))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{
                "id": "0c9e4b27-83d1-4a6f-9e25-7b1d0f8a3c46",
                "subjectName": "CN=KIOSK-0007",
                "certificateStatus": "revoked",
                "revocationDateTime": "2025-05-02T10:00:00Z"
            }],
            "@odata.nextLink": format!("{}{leaves}?$skiptoken=2", server.uri())
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(leaves.as_str()))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example_response(
            "cloudcertificationauthorityleafcertificate-list",
        )))
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "POST",
        &format!("{CAS}/{NEW_CA}/revokeLeafCertificate"),
        200,
        example_response("cloudcertificationauthority-revokeleafcertificate"),
    )
    .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri(), StaticToken::new("flow-token")).unwrap()
}

#[tokio::test]
async fn the_readme_flow_runs_against_the_docs_examples() {
    let server = cloud_pki().await;

    let report = cloud_pki_flow::flow(&client(&server))
        .await
        .expect("every step is served");

    assert_eq!(report.existing.len(), 1);
    assert_eq!(
        report.existing[0].display_name.as_deref(),
        Some("Contoso Issuing CA 01")
    );
    assert_eq!(report.created.id.as_deref(), Some(NEW_CA));
    assert_eq!(report.created.version_number, Some(2));
    assert_eq!(
        report.paused.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Paused)
    );
    assert_eq!(report.pages, 2);
    assert_eq!(report.leaf_certificates, 2);
    let revoked = report.revoked.expect("the active certificate was revoked");
    assert_eq!(revoked.id.as_deref(), Some(LEAF));
    assert_eq!(
        revoked.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Revoked)
    );

    // The requests, in order, and what the flow sent.
    let requests = server.received_requests().await.unwrap();
    let steps: Vec<String> = requests
        .iter()
        .map(|r| {
            let query = r.url.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{} {}{query}", r.method, r.url.path())
        })
        .collect();
    let leaves = format!("{CAS}/{NEW_CA}/cloudCertificationAuthorityLeafCertificate");
    assert_eq!(
        steps,
        [
            format!("GET {CAS}"),
            format!("POST {CAS}"),
            format!("POST {CAS}/{NEW_CA}/changeCloudCertificationAuthorityStatus"),
            format!("GET {leaves}"),
            format!("GET {leaves}?$skiptoken=2"),
            format!("POST {CAS}/{NEW_CA}/revokeLeafCertificate"),
        ]
    );
    assert_eq!(
        json_body(&requests[1]),
        json!({
            "displayName": "Contoso Kiosk CA",
            "description": "Issues certificates to the shop-floor kiosks.",
            "cloudCertificationAuthorityType": "issuingCertificationAuthority",
            "commonName": "Contoso Kiosk CA",
            "organizationName": "Contoso",
            "countryName": "NZ",
            "validityPeriodInYears": 6,
            "certificateKeySize": "rsa4096",
            "cloudCertificationAuthorityHashingAlgorithm": "sha384",
            "keyPlatform": "hardwareSecurityModule"
        })
    );
    assert_eq!(
        json_body(&requests[2]),
        json!({"certificationAuthorityStatus": "paused", "certificationAuthorityVersion": 2})
    );
    assert_eq!(json_body(&requests[5]), json!({"leafCertificateId": LEAF}));
}

#[tokio::test]
async fn the_flow_stops_at_the_first_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        CAS,
        200,
        example_response("cloudcertificationauthority-list"),
    )
    .await;
    Mock::given(method("POST"))
        .and(path(CAS))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error": {"code": "Forbidden", "message": "Missing DeviceManagementConfiguration.ReadWrite.All."}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let error = cloud_pki_flow::flow(&client(&server)).await.unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.code(), Some("Forbidden"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn list_authorities_prints_name_and_status() {
    let server = MockServer::start().await;
    let mut second = example_response("cloudcertificationauthority-list")["value"][0].clone();
    second["id"] = json!(NEW_CA);
    second["displayName"] = json!("Contoso Kiosk CA");
    second["certificationAuthorityStatus"] = json!("paused");
    Mock::given(method("GET"))
        .and(path(CAS))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json({
            let mut page = example_response("cloudcertificationauthority-list");
            page["@odata.nextLink"] = json!(format!("{}{CAS}?$skiptoken=2", server.uri()));
            page
        }))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CAS))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [second, {}]})))
        .mount(&server)
        .await;

    let authorities = list_authorities::authorities(&client(&server))
        .await
        .unwrap();

    let lines: Vec<String> = authorities.iter().map(list_authorities::describe).collect();
    assert_eq!(
        lines,
        [
            "Contoso Issuing CA 01\tactive",
            "Contoso Kiosk CA\tpaused",
            "-\t-"
        ]
    );
}

/// The README's "Using the generated client" code is the example's code, character for
/// character: everything from the first `use` to the end of `flow`.
#[test]
fn the_readme_quotes_the_flow_example() {
    let example = include_str!("../examples/cloud_pki_flow.rs");
    let readme = include_str!("../../README.md");
    let start = example.find("\nuse ").expect("the example has imports") + 1;
    let end = example
        .find("#[tokio::main]")
        .expect("the example has a main");
    let quoted = example[start..end].trim_end();
    assert!(quoted.contains("pub async fn flow(client: &Client)"));
    assert!(
        readme.contains(quoted),
        "README.md must quote examples/cloud_pki_flow.rs from its first `use` to the end of \
         `flow`; update the README section \"Using the generated client\""
    );
}
