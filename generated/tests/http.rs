//! The generated endpoints against a wiremock server on loopback.

mod support;

use graph_client::beta::Client;
use graph_client::beta::intune::{
    CloudCertificationAuthorityLeafCertificateStatus,
    CloudCertificationAuthorityLeafCertificateUpdate,
};
use graph_client::{Error, ErrorBody, Patch, StaticToken};
use serde_json::json;
use support::{SEED_PAGE, example_json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-7f3a";

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri(), StaticToken::new(TOKEN)).expect("a loopback URL is valid")
}

fn changes() -> CloudCertificationAuthorityLeafCertificateUpdate {
    CloudCertificationAuthorityLeafCertificateUpdate {
        device_name: Patch::Set("kiosk-7".to_string()),
        revocation_date_time: Patch::Clear,
        ..Default::default()
    }
}

#[tokio::test]
async fn update_percent_encodes_the_id_as_one_segment() {
    let server = MockServer::start().await;
    let response = example_json(SEED_PAGE, "### Response");
    Mock::given(method("PATCH"))
        .and(path(
            "/deviceManagement/cloudCertificationAuthorityLeafCertificate/abc%2F..%2Fx%3Fy%23z",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"deviceName": "kiosk-7", "revocationDateTime": null}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let certificate = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("abc/../x?y#z")
        .update(&changes())
        .await
        .expect("the mock answers 200 with the example")
        .expect("a 200 carries the object");

    assert_eq!(
        certificate.id.as_deref(),
        Some("976c94f8-94f8-976c-f894-6c97f8946c97")
    );
    assert_eq!(
        certificate.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
    assert_eq!(
        certificate.device_name.as_deref(),
        Some("Device Name value")
    );
}

#[tokio::test]
async fn update_through_the_certification_authority() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(
            "/deviceManagement/cloudCertificationAuthority/ca%201/cloudCertificationAuthorityLeafCertificate/leaf-2",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({"deviceName": "kiosk-7", "revocationDateTime": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "leaf-2", "thumbprint": "AB12"})))
        .expect(1)
        .mount(&server)
        .await;

    let certificate = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item("ca 1")
        .cloud_certification_authority_leaf_certificate()
        .item("leaf-2")
        .update(&changes())
        .await
        .unwrap()
        .expect("a 200 carries the object");

    assert_eq!(certificate.id.as_deref(), Some("leaf-2"));
    assert_eq!(certificate.thumbprint.as_deref(), Some("AB12"));
    assert_eq!(
        certificate.subject_name, None,
        "absent properties stay None"
    );
}

#[tokio::test]
async fn an_update_answered_204_reads_none() {
    // The service answers an update without the object unless `Prefer: return=representation`
    // asks for it.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(
            "/deviceManagement/cloudCertificationAuthorityLeafCertificate/leaf-3",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let updated = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("leaf-3")
        .update(&changes())
        .await
        .expect("a 204 is a success");

    assert_eq!(updated, None);
}

#[tokio::test]
async fn not_found_yields_the_odata_error() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "ResourceNotFound", "message": "The leaf certificate was not found."}
        })))
        .mount(&server)
        .await;

    let error = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("missing")
        .update(&changes())
        .await
        .expect_err("404 is an error");

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code(), Some("ResourceNotFound"));
    assert_eq!(api.message(), Some("The leaf certificate was not found."));
    assert!(matches!(api.body, ErrorBody::OData(_)));
}

#[tokio::test]
async fn a_non_json_server_error_keeps_the_text() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500).set_body_string("gateway fell over"))
        .mount(&server)
        .await;

    let error = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("x")
        .update(&changes())
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.body, ErrorBody::Raw("gateway fell over".to_string()));
    assert_eq!(api.raw_body(), Some("gateway fell over"));
}

#[tokio::test]
async fn a_dot_segment_id_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let error = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("..")
        .update(&changes())
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        Error::InvalidPathParameter {
            name: "cloudCertificationAuthorityLeafCertificateId",
            ..
        }
    ));
}

#[test]
fn the_token_is_not_in_debug_output() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let client = client(&server);
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains(&server.uri()));
}

#[tokio::test]
async fn asking_for_newer_enum_members_sends_the_prefer_header_and_keeps_what_comes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/deviceManagement/cloudCertificationAuthorityLeafCertificate/leaf-3",
        ))
        .and(header("prefer", "include-unknown-enum-members"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "leaf-3", "certificateStatus": "quarantined"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let certificate = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("leaf-3")
        .get()
        .include_unknown_enum_members()
        .await
        .expect("the mock answers only a request that asks for the newer members");

    // A member this client does not know yet is kept as the service sent it.
    assert_eq!(
        certificate.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Other(
            "quarantined".to_string()
        ))
    );
}

#[tokio::test]
async fn a_single_entity_wrapped_in_value_reads_as_the_entity() {
    // The docs show some single entities as `{"value": {…}}`; the examples check unwraps them,
    // so the client must too, or it would return an empty object where the check passed.
    let page = include_str!(
        "../../specs/beta/api/intune-cloudpkigraphservice-cloudcertificationauthority-get.md"
    );
    let entity = example_json(page, "### Response");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/deviceManagement/cloudCertificationAuthority/ca-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/cloudCertificationAuthority/$entity",
            "value": entity,
        })))
        .expect(1)
        .mount(&server)
        .await;

    let authority = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item("ca-1")
        .get()
        .await
        .expect("the wrapped entity decodes");

    assert_eq!(
        authority.id.as_deref(),
        Some("3f0c2a71-5b8e-4d2a-9c61-7e4b0d9a1c25")
    );
    assert_eq!(
        authority.display_name.as_deref(),
        Some("Contoso Issuing CA 01")
    );
}
