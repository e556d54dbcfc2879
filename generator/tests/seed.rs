//! Parser tests on the seed page: concrete values the issue names, plus a snapshot of the
//! whole parsed page.

use graph_codegen::page::{self, HttpMethod, PermissionType, Primitive, Segment, TypeRef};

const SEED_FILE: &str =
    "beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md";

fn seed() -> (
    page::ParsedPage,
    Vec<graph_codegen::diagnostics::Diagnostic>,
) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/beta/api/intune-cloudpkigraphservice-cloudcertificationauthorityleafcertificate-update.md"
    );
    let source = std::fs::read_to_string(path).expect("the seed page is checked in under specs/");
    page::parse_page(SEED_FILE, &source)
}

#[test]
fn seed_snapshot() {
    let (page, diagnostics) = seed();
    insta::assert_yaml_snapshot!("seed_page", page);
    insta::assert_yaml_snapshot!("seed_diagnostics", diagnostics);
}

#[test]
fn seed_has_two_patch_paths_with_their_parameters() {
    let (page, _) = seed();
    let method = page.method.expect("the seed is a method page");
    let requests: Vec<(HttpMethod, &str, Vec<&str>)> = method
        .requests
        .iter()
        .map(|request| {
            (
                request.method,
                request.path.raw.as_str(),
                request.path.parameters(),
            )
        })
        .collect();
    assert_eq!(
        requests,
        vec![
            (
                HttpMethod::Patch,
                "/deviceManagement/cloudCertificationAuthorityLeafCertificate/{cloudCertificationAuthorityLeafCertificateId}",
                vec!["cloudCertificationAuthorityLeafCertificateId"],
            ),
            (
                HttpMethod::Patch,
                "/deviceManagement/cloudCertificationAuthority/{cloudCertificationAuthorityId}/cloudCertificationAuthorityLeafCertificate/{cloudCertificationAuthorityLeafCertificateId}",
                vec![
                    "cloudCertificationAuthorityId",
                    "cloudCertificationAuthorityLeafCertificateId"
                ],
            ),
        ]
    );
    assert!(matches!(
        &method.requests[1].path.segments[2],
        Segment::Parameter(parameter) if parameter.name == "cloudCertificationAuthorityId"
    ));
}

#[test]
fn seed_body_has_twenty_properties() {
    let (page, _) = seed();
    let body = page
        .method
        .unwrap()
        .request_body
        .expect("the seed has a request body table");
    assert_eq!(body.properties.len(), 20);
    assert_eq!(body.properties[0].name, "id");
    assert_eq!(body.properties[19].name, "extendedKeyUsages");
    assert!(
        body.properties
            .iter()
            .all(|property| property.facts.read_only)
    );
    let validity = &body.properties[5];
    assert_eq!(validity.name, "validityStartDateTime");
    assert_eq!(
        validity.type_ref,
        TypeRef::Primitive {
            primitive: Primitive::DateTimeOffset
        }
    );
    assert_eq!(validity.facts.nullable, Some(true));
    assert_eq!(validity.facts.supports, vec!["$orderby"]);
    assert_eq!(
        body.properties[18].type_ref,
        TypeRef::Collection {
            item: Box::new(TypeRef::Primitive {
                primitive: Primitive::String
            })
        }
    );
    assert!(body.intro.contains("required when you create"));
}

#[test]
fn seed_permissions() {
    let (page, _) = seed();
    let permissions = page.method.unwrap().permissions;
    let by_type = |wanted: PermissionType| {
        permissions
            .iter()
            .find(|permission| permission.permission_type == wanted)
            .map(|permission| permission.scopes.clone())
            .expect("permission type present")
    };
    assert_eq!(
        by_type(PermissionType::DelegatedWorkOrSchool),
        vec!["DeviceManagementConfiguration.ReadWrite.All"]
    );
    assert_eq!(
        by_type(PermissionType::Application),
        vec!["DeviceManagementConfiguration.ReadWrite.All"]
    );
    assert!(
        by_type(PermissionType::DelegatedPersonal).is_empty(),
        "\"Not supported.\" is no permission"
    );
}

#[test]
fn seed_response_and_examples() {
    let (page, _) = seed();
    let method = page.method.unwrap();
    let response = method.response.expect("the seed has a Response section");
    assert_eq!(response.status, Some(200));
    assert!(matches!(
        response.type_ref,
        Some(TypeRef::Named { ref name, .. }) if name == "cloudCertificationAuthorityLeafCertificate"
    ));
    assert_eq!(method.examples.len(), 1);
    let example = &method.examples[0];
    let request = example.request.as_ref().unwrap();
    assert_eq!(request.method, HttpMethod::Patch);
    assert_eq!(request.headers[0].name, "Content-type");
    assert_eq!(
        request.body.as_ref().unwrap().value()["certificateStatus"],
        "active"
    );
    let response = example.response.as_ref().unwrap();
    assert_eq!(response.status, Some(200));
    assert_eq!(
        response.body.as_ref().unwrap().value()["id"],
        "976c94f8-94f8-976c-f894-6c97f8946c97"
    );
}

#[test]
fn seed_status_values_come_from_the_backticked_list() {
    let (page, _) = seed();
    let body = page.method.unwrap().request_body.unwrap();
    let status = body
        .properties
        .iter()
        .find(|property| property.name == "certificateStatus")
        .unwrap();
    assert_eq!(
        status.facts.possible_values,
        vec![
            "unknown",
            "active",
            "revoked",
            "expired",
            "unknownFutureValue"
        ]
    );
    assert_eq!(status.facts.supports, vec!["$filter", "$orderby"]);
}
