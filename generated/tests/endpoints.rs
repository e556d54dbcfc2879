//! Every generated endpoint of `graph-client`, one test each, against a wiremock server on
//! 127.0.0.1: the request carries the right method, the exact encoded path (ids included), the
//! query, the bearer token and the JSON body, and the answer is parsed into the typed model.
//!
//! Bodies and answers are the spec pages' examples (`specs/beta/api`) where the page has one,
//! otherwise values written here. The list of endpoints follows `src/beta/requests.rs`: 29
//! methods that return a `graph_runtime::Request`.

#[path = "support/same_json.rs"]
mod same_json;
mod support;

use chrono::{DateTime, FixedOffset};
use graph_client::beta::Client;
use graph_client::beta::intune::{
    ChangeCloudCertificationAuthorityStatusActionRequest, CloudCertificationAuthority,
    CloudCertificationAuthorityCertificateKeySize, CloudCertificationAuthorityExpand,
    CloudCertificationAuthorityHashingAlgorithm, CloudCertificationAuthorityKeyPlatformType,
    CloudCertificationAuthorityLeafCertificate, CloudCertificationAuthorityLeafCertificateSelect,
    CloudCertificationAuthorityLeafCertificateStatus,
    CloudCertificationAuthorityLeafCertificateUpdate, CloudCertificationAuthoritySelect,
    CloudCertificationAuthorityStatus, CloudCertificationAuthorityType,
    CloudCertificationAuthorityUpdate, CreateCloudCertificationAuthorityLeafCertificateRequest,
    CreateCloudCertificationAuthorityRequest, DeviceManagementExpand,
    DeviceManagementReportsSelect, DeviceManagementReportsUpdate, DeviceManagementSelect,
    DeviceManagementUpdate, RetrieveCloudPkiLeafCertificateReportActionRequest,
    RetrieveCloudPkiLeafCertificateSummaryReportActionRequest,
    RevokeCloudCertificationAuthorityCertificateActionRequest, RevokeLeafCertificateActionRequest,
    RevokeLeafCertificateBySerialNumberActionRequest,
    SearchCloudCertificationAuthorityLeafCertificateBySerialNumberActionRequest,
    TrustChainCertificate, UploadExternallySignedCertificationAuthorityCertificateActionRequest,
};
use graph_client::{Base64Bytes, Patch, StaticToken};
use same_json::assert_same_json;
use serde_json::{Value, json};
use support::{example_request, example_response, header, json_body, only_request};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "endpoint-test-token";
/// The certification authority of the docs' examples.
const CA: &str = "3f0c2a71-5b8e-4d2a-9c61-7e4b0d9a1c25";
/// The leaf certificate of the docs' examples.
const LEAF: &str = "b7e2d4c9-0a13-4f5e-8d21-6c9f3a7e5b10";
const CAS: &str = "/deviceManagement/cloudCertificationAuthority";
const LEAVES: &str = "/deviceManagement/cloudCertificationAuthorityLeafCertificate";

/// A loopback server that answers the one expected request with `status` and `body`.
async fn answering(status: u16, body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri(), StaticToken::new(TOKEN)).expect("a loopback URL is valid")
}

/// What the request body must be.
enum Body {
    /// No body at all.
    Empty,
    /// Exactly this JSON (`null` members count: they clear a property).
    Exact(Value),
    /// The same JSON as this docs example: key order free, timestamps compared as instants.
    Like(Value),
}

/// Checks the one request `server` received: method, encoded path, raw query, headers, body.
async fn assert_sent(
    server: &MockServer,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Body,
) {
    let request = only_request(server).await;
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), path, "path");
    assert_eq!(request.url.query(), query, "query");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(header(&request, "authorization"), Some(bearer.as_str()));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    match body {
        Body::Empty => assert!(
            request.body.is_empty(),
            "no body expected, got {}",
            String::from_utf8_lossy(&request.body)
        ),
        Body::Exact(expected) => {
            assert_eq!(header(&request, "content-type"), Some("application/json"));
            assert_eq!(json_body(&request), expected);
        }
        Body::Like(expected) => {
            assert_eq!(header(&request, "content-type"), Some("application/json"));
            assert_same_json(&json_body(&request), &expected);
        }
    }
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("a valid RFC 3339 timestamp")
}

/// The fields every docs example of the certification authority shares.
fn assert_docs_authority(ca: &CloudCertificationAuthority) {
    assert_eq!(ca.id.as_deref(), Some(CA));
    assert_eq!(
        ca.cloud_certification_authority_type,
        Some(CloudCertificationAuthorityType::IssuingCertificationAuthority)
    );
    assert_eq!(
        ca.certificate_key_size,
        Some(CloudCertificationAuthorityCertificateKeySize::Rsa4096)
    );
    assert_eq!(
        ca.cloud_certification_authority_hashing_algorithm,
        Some(CloudCertificationAuthorityHashingAlgorithm::Sha384)
    );
    assert_eq!(
        ca.key_platform,
        Some(CloudCertificationAuthorityKeyPlatformType::HardwareSecurityModule)
    );
    assert_eq!(ca.validity_period_in_years, Some(6));
    assert_eq!(ca.version_number, Some(2));
    assert_eq!(
        ca.role_scope_tag_ids,
        Some(vec!["0".to_string(), "4".to_string()])
    );
    assert_eq!(
        ca.validity_end_date_time,
        Some(instant("2031-02-27T22:04:11Z"))
    );
    let usages = ca.extended_key_usages.as_ref().expect("key usages");
    assert_eq!(usages.len(), 1);
    assert_eq!(usages[0].name.as_deref(), Some("Client Authentication"));
    assert_eq!(
        usages[0].object_identifier.as_deref(),
        Some("1.3.6.1.5.5.7.3.2")
    );
}

/// The fields every docs example of the leaf certificate shares.
fn assert_docs_leaf(leaf: &CloudCertificationAuthorityLeafCertificate) {
    assert_eq!(leaf.id.as_deref(), Some(LEAF));
    assert_eq!(leaf.issuer_id.as_deref(), Some(CA));
    assert_eq!(leaf.serial_number.as_deref(), Some("61a3f09c2e7b4d18a7"));
    assert_eq!(leaf.device_name.as_deref(), Some("LAPTOP-7QK2M"));
    assert_eq!(
        leaf.user_principal_name.as_deref(),
        Some("mere.tane@contoso.example")
    );
    assert_eq!(
        leaf.validity_end_date_time,
        Some(instant("2026-04-02T07:45:00Z"))
    );
    assert_eq!(
        leaf.key_usages,
        Some(vec![
            "Digital Signature".to_string(),
            "Key Encipherment".to_string()
        ])
    );
    assert_eq!(
        leaf.extended_key_usages,
        Some(vec!["1.3.6.1.5.5.7.3.2".to_string()])
    );
}

// ---------------------------------------------------------------------------------------------
// /deviceManagement

#[tokio::test]
async fn device_management_get() {
    let server = answering(200, &example_response("devicemanagement-get")).await;

    let device_management = client(&server)
        .device_management()
        .get()
        .select([DeviceManagementSelect::Id])
        .expand([
            DeviceManagementExpand::CloudCertificationAuthority,
            DeviceManagementExpand::Reports,
        ])
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        "/deviceManagement",
        Some("$select=id&$expand=cloudCertificationAuthority,reports"),
        Body::Empty,
    )
    .await;
    assert_eq!(
        device_management.id.as_deref(),
        Some("7f3e9c21-58ab-4d6e-9a10-2c4b8e6f0d93")
    );
    assert_eq!(
        device_management.odata_type.as_deref(),
        Some("#microsoft.graph.deviceManagement")
    );
    assert_eq!(device_management.cloud_certification_authority, None);
}

#[tokio::test]
async fn device_management_update() {
    let server = answering(200, &example_response("devicemanagement-update")).await;
    let changes = DeviceManagementUpdate {
        odata_type: Some("#microsoft.graph.deviceManagement".to_string()),
        ..Default::default()
    };

    let device_management = client(&server)
        .device_management()
        .update(&changes)
        .await
        .unwrap()
        .expect("the example answers with the object");

    assert_sent(
        &server,
        "PATCH",
        "/deviceManagement",
        None,
        Body::Exact(example_request("devicemanagement-update")),
    )
    .await;
    assert_eq!(
        device_management.id.as_deref(),
        Some("7f3e9c21-58ab-4d6e-9a10-2c4b8e6f0d93")
    );
}

// ---------------------------------------------------------------------------------------------
// /deviceManagement/cloudCertificationAuthority

#[tokio::test]
async fn certification_authority_list() {
    let server = answering(200, &example_response("cloudcertificationauthority-list")).await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority()
        .list()
        .await
        .unwrap();

    assert_sent(&server, "GET", CAS, None, Body::Empty).await;
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.next_link, None);
    let ca = &page.value[0];
    assert_docs_authority(ca);
    assert_eq!(ca.display_name.as_deref(), Some("Contoso Issuing CA 01"));
    assert_eq!(
        ca.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Active)
    );
}

#[tokio::test]
async fn certification_authority_create() {
    let server = answering(201, &example_response("cloudcertificationauthority-create")).await;
    let example = example_request("cloudcertificationauthority-create");
    let body: CreateCloudCertificationAuthorityRequest =
        serde_json::from_value(example.clone()).expect("the docs' request is a valid body");

    let created = client(&server)
        .device_management()
        .cloud_certification_authority()
        .create(&body)
        .await
        .unwrap();

    assert_sent(&server, "POST", CAS, None, Body::Like(example)).await;
    assert_docs_authority(&created);
    assert_eq!(
        created.display_name.as_deref(),
        Some("Contoso Issuing CA 01")
    );
    assert_eq!(
        created.created_date_time,
        Some(instant("2025-02-27T22:04:11Z"))
    );
}

#[tokio::test]
async fn certification_authority_get() {
    let server = answering(200, &example_response("cloudcertificationauthority-get")).await;

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .select([
            CloudCertificationAuthoritySelect::DisplayName,
            CloudCertificationAuthoritySelect::CertificationAuthorityIssuerId,
        ])
        .expand([CloudCertificationAuthorityExpand::CloudCertificationAuthorityLeafCertificate])
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        &format!("{CAS}/{CA}"),
        Some(
            "$select=displayName,certificationAuthorityIssuerId\
             &$expand=cloudCertificationAuthorityLeafCertificate",
        ),
        Body::Empty,
    )
    .await;
    assert_docs_authority(&ca);
    assert_eq!(
        ca.certification_authority_issuer_id.as_deref(),
        Some("9d41e6b0-2c57-4a8f-b316-e05d7c2f4a98")
    );
    assert_eq!(ca.e_tag.as_deref(), Some("W/\"7\""));
}

#[tokio::test]
async fn certification_authority_update() {
    let server = answering(200, &example_response("cloudcertificationauthority-update")).await;
    let changes = CloudCertificationAuthorityUpdate {
        display_name: Patch::Set("Contoso Issuing CA 01 (laptops)".to_string()),
        organization_unit: Patch::Clear,
        ..Default::default()
    };

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .update(&changes)
        .await
        .unwrap()
        .expect("the mock answers with the object");

    assert_sent(
        &server,
        "PATCH",
        &format!("{CAS}/{CA}"),
        None,
        Body::Exact(json!({
            "displayName": "Contoso Issuing CA 01 (laptops)",
            "organizationUnit": null
        })),
    )
    .await;
    assert_docs_authority(&ca);
    assert_eq!(
        ca.display_name.as_deref(),
        Some("Contoso Issuing CA 01 (laptops)")
    );
    assert_eq!(
        ca.last_modified_date_time,
        Some(instant("2025-05-08T16:40:19Z"))
    );
}

#[tokio::test]
async fn certification_authority_change_status() {
    let page = "cloudcertificationauthority-changecloudcertificationauthoritystatus";
    let server = answering(200, &example_response(page)).await;
    let body = ChangeCloudCertificationAuthorityStatusActionRequest {
        certification_authority_status: Some(CloudCertificationAuthorityStatus::Paused),
        certification_authority_version: Some(2),
        ..Default::default()
    };

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .change_cloud_certification_authority_status(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/changeCloudCertificationAuthorityStatus"),
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_docs_authority(&ca);
    assert_eq!(
        ca.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Paused)
    );
}

#[tokio::test]
async fn certification_authority_get_all_cloud_certification_authority() {
    let page = "cloudcertificationauthority-getallcloudcertificationauthority";
    let server = answering(200, &example_response(page)).await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get_all_cloud_certification_authority()
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/getAllCloudCertificationAuthority"),
        None,
        Body::Empty,
    )
    .await;
    assert_eq!(page.value.len(), 1);
    assert_docs_authority(&page.value[0]);
}

#[tokio::test]
async fn certification_authority_get_all_leaf_certificates() {
    let page = "cloudcertificationauthority-getallcloudcertificationauthorityleafcertificates";
    let server = answering(200, &example_response(page)).await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get_all_cloud_certification_authority_leaf_certificates()
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/getAllCloudCertificationAuthorityLeafCertificates"),
        None,
        Body::Empty,
    )
    .await;
    assert_eq!(page.value.len(), 1);
    assert_docs_leaf(&page.value[0]);
    assert_eq!(
        page.value[0].certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
    assert_eq!(page.value[0].revocation_date_time, None);
}

#[tokio::test]
async fn certification_authority_get_cloud_certification_authority() {
    let page = "cloudcertificationauthority-getcloudcertificationauthority";
    let server = answering(200, &example_response(page)).await;

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get_cloud_certification_authority()
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/getCloudCertificationAuthority"),
        None,
        Body::Empty,
    )
    .await;
    // The action's `{"value": {...}}` wrapper is gone: the authority itself comes back.
    assert_docs_authority(&ca);
    assert!(!ca.additional_properties.contains_key("value"));
}

#[tokio::test]
async fn certification_authority_patch_cloud_certification_authority() {
    let page = "cloudcertificationauthority-patchcloudcertificationauthority";
    let server = answering(200, &example_response(page)).await;

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .patch_cloud_certification_authority()
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/patchCloudCertificationAuthority"),
        None,
        Body::Empty,
    )
    .await;
    assert_docs_authority(&ca);
    assert_eq!(
        ca.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Active)
    );
}

#[tokio::test]
async fn certification_authority_post_cloud_certification_authority() {
    let page = "cloudcertificationauthority-postcloudcertificationauthority";
    let server = answering(200, &example_response(page)).await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .post_cloud_certification_authority()
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/postCloudCertificationAuthority"),
        None,
        Body::Empty,
    )
    .await;
    assert_eq!(page.value.len(), 1);
    assert_docs_authority(&page.value[0]);
}

#[tokio::test]
async fn certification_authority_revoke_certificate() {
    let page = "cloudcertificationauthority-revokecloudcertificationauthoritycertificate";
    let server = answering(200, &example_response(page)).await;
    let body = RevokeCloudCertificationAuthorityCertificateActionRequest {
        certification_authority_version: Some(2),
        ..Default::default()
    };

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .revoke_cloud_certification_authority_certificate(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/revokeCloudCertificationAuthorityCertificate"),
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_docs_authority(&ca);
    assert_eq!(
        ca.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Revoked)
    );
}

#[tokio::test]
async fn certification_authority_revoke_leaf_certificate() {
    let page = "cloudcertificationauthority-revokeleafcertificate";
    let server = answering(200, &example_response(page)).await;
    let body = RevokeLeafCertificateActionRequest {
        leaf_certificate_id: Some(LEAF.to_string()),
        ..Default::default()
    };

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .revoke_leaf_certificate(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/revokeLeafCertificate"),
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_docs_leaf(&leaf);
    assert_eq!(
        leaf.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Revoked)
    );
    assert_eq!(
        leaf.revocation_date_time,
        Some(instant("2025-06-19T13:08:42Z"))
    );
}

#[tokio::test]
async fn certification_authority_revoke_leaf_certificate_by_serial_number() {
    let page = "cloudcertificationauthority-revokeleafcertificatebyserialnumber";
    let server = answering(200, &example_response(page)).await;
    let body = RevokeLeafCertificateBySerialNumberActionRequest {
        certificate_serial_number: Some("61a3f09c2e7b4d18a7".to_string()),
        ..Default::default()
    };

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .revoke_leaf_certificate_by_serial_number(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/revokeLeafCertificateBySerialNumber"),
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_docs_leaf(&leaf);
    assert_eq!(
        leaf.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Revoked)
    );
}

#[tokio::test]
async fn certification_authority_search_leaf_certificate_by_serial_number() {
    let page = "cloudcertificationauthority-searchcloudcertificationauthorityleafcertificatebyserialnumber";
    let server = answering(200, &example_response(page)).await;
    let body = SearchCloudCertificationAuthorityLeafCertificateBySerialNumberActionRequest {
        certificate_serial_number: Some("61a3f09c2e7b4d18a7".to_string()),
        ..Default::default()
    };

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .search_cloud_certification_authority_leaf_certificate_by_serial_number(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/searchCloudCertificationAuthorityLeafCertificateBySerialNumber"),
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_docs_leaf(&leaf);
    assert_eq!(
        leaf.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
}

#[tokio::test]
async fn certification_authority_upload_externally_signed_certificate() {
    let page =
        "cloudcertificationauthority-uploadexternallysignedcertificationauthoritycertificate";
    let server = answering(200, &example_response(page)).await;
    let body = UploadExternallySignedCertificationAuthorityCertificateActionRequest {
        signed_certificate: Some("c2lnbmVkIGJ5IHRoZSBvZmZsaW5lIHJvb3Q=".to_string()),
        trust_chain_certificates: Some(vec![
            TrustChainCertificate {
                display_name: Some("Offline root".to_string()),
                certificate: Some("cm9vdA==".to_string()),
                ..Default::default()
            },
            TrustChainCertificate {
                display_name: Some("Policy CA".to_string()),
                certificate: Some("cG9saWN5".to_string()),
                ..Default::default()
            },
        ]),
        certification_authority_version: Some(3),
        ..Default::default()
    };

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .upload_externally_signed_certification_authority_certificate(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/uploadExternallySignedCertificationAuthorityCertificate"),
        None,
        Body::Exact(json!({
            "signedCertificate": "c2lnbmVkIGJ5IHRoZSBvZmZsaW5lIHJvb3Q=",
            "trustChainCertificates": [
                {"displayName": "Offline root", "certificate": "cm9vdA=="},
                {"displayName": "Policy CA", "certificate": "cG9saWN5"}
            ],
            "certificationAuthorityVersion": 3
        })),
    )
    .await;
    assert_eq!(ca.id.as_deref(), Some(CA));
    assert_eq!(
        ca.cloud_certification_authority_type,
        Some(CloudCertificationAuthorityType::IssuingCertificationAuthorityWithExternalRoot)
    );
    assert_eq!(
        ca.certificate_key_size,
        Some(CloudCertificationAuthorityCertificateKeySize::Rsa4096)
    );
}

// ---------------------------------------------------------------------------------------------
// /deviceManagement/cloudCertificationAuthority/{id}/cloudCertificationAuthorityLeafCertificate

#[tokio::test]
async fn authority_leaf_certificate_list() {
    let server = answering(
        200,
        &example_response("cloudcertificationauthorityleafcertificate-list"),
    )
    .await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .cloud_certification_authority_leaf_certificate()
        .list()
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        &format!("{CAS}/{CA}/cloudCertificationAuthorityLeafCertificate"),
        None,
        Body::Empty,
    )
    .await;
    assert_eq!(page.value.len(), 1);
    assert_docs_leaf(&page.value[0]);
}

#[tokio::test]
async fn authority_leaf_certificate_create() {
    let page = "cloudcertificationauthorityleafcertificate-create";
    let server = answering(201, &example_response(page)).await;
    let example = example_request(page);
    let body: CreateCloudCertificationAuthorityLeafCertificateRequest =
        serde_json::from_value(example.clone()).expect("the docs' request is a valid body");

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .cloud_certification_authority_leaf_certificate()
        .create(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        &format!("{CAS}/{CA}/cloudCertificationAuthorityLeafCertificate"),
        None,
        Body::Like(example),
    )
    .await;
    assert_docs_leaf(&leaf);
}

#[tokio::test]
async fn authority_leaf_certificate_get() {
    let server = answering(
        200,
        &example_response("cloudcertificationauthorityleafcertificate-get"),
    )
    .await;

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .cloud_certification_authority_leaf_certificate()
        .item(LEAF)
        .get()
        .select([
            CloudCertificationAuthorityLeafCertificateSelect::Id,
            CloudCertificationAuthorityLeafCertificateSelect::SerialNumber,
            CloudCertificationAuthorityLeafCertificateSelect::DeviceName,
        ])
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        &format!("{CAS}/{CA}/cloudCertificationAuthorityLeafCertificate/{LEAF}"),
        Some("$select=id,serialNumber,deviceName"),
        Body::Empty,
    )
    .await;
    assert_docs_leaf(&leaf);
}

#[tokio::test]
async fn authority_leaf_certificate_update() {
    let server = answering(
        200,
        &example_response("cloudcertificationauthorityleafcertificate-update"),
    )
    .await;
    let changes = CloudCertificationAuthorityLeafCertificateUpdate {
        certificate_status: Patch::Set(CloudCertificationAuthorityLeafCertificateStatus::Revoked),
        key_usages: Patch::Set(vec!["Digital Signature".to_string()]),
        device_name: Patch::Clear,
        ..Default::default()
    };

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .cloud_certification_authority_leaf_certificate()
        .item(LEAF)
        .update(&changes)
        .await
        .unwrap()
        .expect("the example answers with the object");

    assert_sent(
        &server,
        "PATCH",
        &format!("{CAS}/{CA}/cloudCertificationAuthorityLeafCertificate/{LEAF}"),
        None,
        Body::Exact(json!({
            "certificateStatus": "revoked",
            "keyUsages": ["Digital Signature"],
            "deviceName": null
        })),
    )
    .await;
    assert_eq!(
        leaf.id.as_deref(),
        Some("976c94f8-94f8-976c-f894-6c97f8946c97")
    );
    assert_eq!(leaf.device_name.as_deref(), Some("Device Name value"));
}

// ---------------------------------------------------------------------------------------------
// /deviceManagement/cloudCertificationAuthorityLeafCertificate

#[tokio::test]
async fn leaf_certificate_list() {
    let server = answering(
        200,
        &example_response("cloudcertificationauthorityleafcertificate-list"),
    )
    .await;

    let page = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .list()
        .await
        .unwrap();

    assert_sent(&server, "GET", LEAVES, None, Body::Empty).await;
    assert_eq!(page.value.len(), 1);
    assert_docs_leaf(&page.value[0]);
    assert_eq!(
        page.value[0].device_platform.as_deref(),
        Some("Windows10AndLater")
    );
}

#[tokio::test]
async fn leaf_certificate_create() {
    let page = "cloudcertificationauthorityleafcertificate-create";
    let server = answering(201, &example_response(page)).await;
    let body = CreateCloudCertificationAuthorityLeafCertificateRequest {
        subject_name: Some("CN=KIOSK-0042".to_string()),
        issuer_id: Some(CA.to_string()),
        device_name: Some("KIOSK-0042".to_string()),
        key_usages: Some(vec!["Digital Signature".to_string()]),
        ..Default::default()
    };

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .create(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        LEAVES,
        None,
        Body::Exact(json!({
            "subjectName": "CN=KIOSK-0042",
            "issuerId": CA,
            "deviceName": "KIOSK-0042",
            "keyUsages": ["Digital Signature"]
        })),
    )
    .await;
    assert_docs_leaf(&leaf);
    assert_eq!(
        leaf.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
}

#[tokio::test]
async fn leaf_certificate_get() {
    let server = answering(
        200,
        &example_response("cloudcertificationauthorityleafcertificate-get"),
    )
    .await;

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item(LEAF)
        .get()
        .select([
            CloudCertificationAuthorityLeafCertificateSelect::UserPrincipalName,
            CloudCertificationAuthorityLeafCertificateSelect::DevicePlatform,
        ])
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        &format!("{LEAVES}/{LEAF}"),
        Some("$select=userPrincipalName,devicePlatform"),
        Body::Empty,
    )
    .await;
    assert_docs_leaf(&leaf);
    assert_eq!(leaf.revocation_date_time, None);
}

#[tokio::test]
async fn leaf_certificate_update() {
    let page = "cloudcertificationauthorityleafcertificate-update";
    let server = answering(200, &example_response(page)).await;
    let example = example_request(page);
    let changes: CloudCertificationAuthorityLeafCertificateUpdate =
        serde_json::from_value(example.clone()).expect("the docs' request is a valid body");

    let leaf = client(&server)
        .device_management()
        .cloud_certification_authority_leaf_certificate()
        .item("976c94f8-94f8-976c-f894-6c97f8946c97")
        .update(&changes)
        .await
        .unwrap()
        .expect("the example answers with the object");

    assert_sent(
        &server,
        "PATCH",
        &format!("{LEAVES}/976c94f8-94f8-976c-f894-6c97f8946c97"),
        None,
        Body::Like(example),
    )
    .await;
    assert_eq!(leaf.subject_name.as_deref(), Some("Subject Name value"));
    assert_eq!(
        leaf.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
}

// ---------------------------------------------------------------------------------------------
// /deviceManagement/reports

#[tokio::test]
async fn reports_get() {
    let server = answering(200, &example_response("devicemanagementreports-get")).await;

    let reports = client(&server)
        .device_management()
        .reports()
        .get()
        .select([DeviceManagementReportsSelect::Id])
        .await
        .unwrap();

    assert_sent(
        &server,
        "GET",
        "/deviceManagement/reports",
        Some("$select=id"),
        Body::Empty,
    )
    .await;
    assert_eq!(
        reports.id.as_deref(),
        Some("c85a1e47-0b9d-4f23-a6e8-91d4372b5fce")
    );
    assert_eq!(
        reports.odata_type.as_deref(),
        Some("#microsoft.graph.deviceManagementReports")
    );
}

#[tokio::test]
async fn reports_update() {
    let page = "devicemanagementreports-update";
    let server = answering(200, &example_response(page)).await;
    let changes = DeviceManagementReportsUpdate {
        odata_type: Some("#microsoft.graph.deviceManagementReports".to_string()),
        ..Default::default()
    };

    let reports = client(&server)
        .device_management()
        .reports()
        .update(&changes)
        .await
        .unwrap()
        .expect("the example answers with the object");

    assert_sent(
        &server,
        "PATCH",
        "/deviceManagement/reports",
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_eq!(
        reports.id.as_deref(),
        Some("c85a1e47-0b9d-4f23-a6e8-91d4372b5fce")
    );
}

/// The report actions answer `{"value": "<base64>"}`; the docs do not type the value, so the
/// client returns it as JSON: here a base64 string holding CSV text.
fn csv_of(value: Value) -> String {
    let bytes: Base64Bytes = serde_json::from_value(value).expect("the report is base64 text");
    String::from_utf8(bytes.into_inner()).expect("the report is UTF-8 CSV")
}

#[tokio::test]
async fn reports_retrieve_leaf_certificate_report() {
    let page = "devicemanagementreports-retrievecloudpkileafcertificatereport";
    let server = answering(200, &example_response(page)).await;
    let body = RetrieveCloudPkiLeafCertificateReportActionRequest {
        certification_authority_id: Some("e2b7d410-6c3f-4a98-8d51-f07a9c3e4b26".to_string()),
        top: Some(25),
        skip: Some(50),
        select: Some(vec![
            "deviceName".to_string(),
            "certificateStatus".to_string(),
            "validityEndDateTime".to_string(),
        ]),
        filter: Some("certificateStatus eq 'active'".to_string()),
        search: Some("KIOSK".to_string()),
        order_by: Some(vec!["validityEndDateTime desc".to_string()]),
        ..Default::default()
    };

    let report = client(&server)
        .device_management()
        .reports()
        .retrieve_cloud_pki_leaf_certificate_report(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        "/deviceManagement/reports/retrieveCloudPkiLeafCertificateReport",
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    let csv = csv_of(report);
    assert!(
        csv.starts_with("DeviceName,CertificateStatus,ValidityEndDateTime\n"),
        "{csv}"
    );
    assert!(csv.contains("KIOSK-0042,active,"), "{csv}");
}

#[tokio::test]
async fn reports_retrieve_leaf_certificate_summary_report() {
    let page = "devicemanagementreports-retrievecloudpkileafcertificatesummaryreport";
    let server = answering(200, &example_response(page)).await;
    let body = RetrieveCloudPkiLeafCertificateSummaryReportActionRequest {
        certification_authority_id: Some("e2b7d410-6c3f-4a98-8d51-f07a9c3e4b26".to_string()),
        select: Some(vec!["certificateStatus".to_string(), "count".to_string()]),
        ..Default::default()
    };

    let report = client(&server)
        .device_management()
        .reports()
        .retrieve_cloud_pki_leaf_certificate_summary_report(&body)
        .await
        .unwrap();

    assert_sent(
        &server,
        "POST",
        "/deviceManagement/reports/retrieveCloudPkiLeafCertificateSummaryReport",
        None,
        Body::Exact(example_request(page)),
    )
    .await;
    assert_eq!(
        csv_of(report),
        "CertificateStatus,Count\nactive,118\nrevoked,6\nexpired,21\n"
    );
}
