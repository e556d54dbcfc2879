//! The seed page's own examples, through the generated types and back.

#[path = "support/same_json.rs"]
mod same_json;
mod support;

use chrono::{DateTime, Timelike};
use graph_client::Patch;
use graph_client::beta::intune::{
    CloudCertificationAuthorityLeafCertificate, CloudCertificationAuthorityLeafCertificateStatus,
    CloudCertificationAuthorityLeafCertificateUpdate,
};
use same_json::assert_same_json;
use serde_json::{Value, json};
use support::{SEED_PAGE, example_json};

#[test]
fn example_request_round_trips_through_the_update_body() {
    let example = example_json(SEED_PAGE, "### Request");
    let body: CloudCertificationAuthorityLeafCertificateUpdate =
        serde_json::from_value(example.clone()).expect("the example request is a valid body");

    assert_eq!(
        body.odata_type.as_deref(),
        Some("#microsoft.graph.cloudCertificationAuthorityLeafCertificate")
    );
    assert_eq!(
        body.subject_name,
        Patch::Set("Subject Name value".to_string())
    );
    assert_eq!(
        body.certificate_status,
        Patch::Set(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
    assert_eq!(
        body.key_usages,
        Patch::Set(vec!["Key Usages value".to_string()])
    );
    // The example request sends no id: it stays unchanged and is not written back.
    assert_eq!(body.id, Patch::Unchanged);
    assert!(body.additional_properties.is_empty());

    let written = serde_json::to_value(&body).unwrap();
    assert_same_json(&written, &example);
}

#[test]
fn example_response_round_trips_through_the_model() {
    let example = example_json(SEED_PAGE, "### Response");
    let certificate: CloudCertificationAuthorityLeafCertificate =
        serde_json::from_value(example.clone()).expect("the example response is a valid model");

    assert_eq!(
        certificate.id.as_deref(),
        Some("976c94f8-94f8-976c-f894-6c97f8946c97")
    );
    assert_eq!(
        certificate.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Active)
    );
    assert_eq!(
        certificate.extended_key_usages,
        Some(vec!["Extended Key Usages value".to_string()])
    );

    let written = serde_json::to_value(&certificate).unwrap();
    assert_same_json(&written, &example);
}

#[test]
fn date_time_offset_keeps_the_instant_and_every_digit() {
    let example = example_json(SEED_PAGE, "### Response");
    let certificate: CloudCertificationAuthorityLeafCertificate =
        serde_json::from_value(example).unwrap();
    let start = certificate
        .validity_start_date_time
        .expect("the example has a start");

    // 2016-12-31T23:59:36.3292251-08:00 is 2017-01-01T07:59:36.3292251Z.
    assert_eq!(start.timestamp(), 1_483_257_576);
    assert_eq!(start.nanosecond(), 329_225_100);
    assert_eq!(start.offset().local_minus_utc(), -8 * 3600);

    let written = serde_json::to_value(certificate).unwrap();
    let text = written["validityStartDateTime"].as_str().unwrap();
    let reparsed = DateTime::parse_from_rfc3339(text).unwrap();
    assert_eq!(reparsed, start, "`{text}` is the same instant");
    assert_eq!(reparsed.nanosecond(), 329_225_100);
}

#[test]
fn unknown_properties_and_enum_values_survive_a_round_trip() {
    let mut example = example_json(SEED_PAGE, "### Response");
    example["certificateStatus"] = json!("suspended");
    example["issuedToThisWeek"] = json!({"nested": [1, 2, 3]});
    let certificate: CloudCertificationAuthorityLeafCertificate =
        serde_json::from_value(example.clone()).unwrap();

    assert_eq!(
        certificate.certificate_status,
        Some(CloudCertificationAuthorityLeafCertificateStatus::Other(
            "suspended".to_string()
        ))
    );
    assert_eq!(
        certificate.additional_properties.get("issuedToThisWeek"),
        Some(&json!({"nested": [1, 2, 3]}))
    );
    assert_same_json(&serde_json::to_value(&certificate).unwrap(), &example);
}

#[test]
fn enum_values_match_the_documented_list() {
    use CloudCertificationAuthorityLeafCertificateStatus as Status;
    let values: Vec<String> = [
        Status::Unknown,
        Status::Active,
        Status::Revoked,
        Status::Expired,
        Status::UnknownFutureValue,
    ]
    .iter()
    .map(|status| {
        serde_json::to_value(status)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    assert_eq!(
        values,
        [
            "unknown",
            "active",
            "revoked",
            "expired",
            "unknownFutureValue"
        ]
    );
}

#[test]
fn update_body_fields_are_tri_state() {
    let body = CloudCertificationAuthorityLeafCertificateUpdate {
        device_name: Patch::Set("kiosk-7".to_string()),
        revocation_date_time: Patch::Clear,
        ..Default::default()
    };
    let written = serde_json::to_value(&body).unwrap();
    assert_eq!(
        written,
        json!({"deviceName": "kiosk-7", "revocationDateTime": null})
    );

    let read: CloudCertificationAuthorityLeafCertificateUpdate =
        serde_json::from_value(json!({"revocationDateTime": null})).unwrap();
    assert_eq!(read.revocation_date_time, Patch::Clear);
    assert_eq!(read.device_name, Patch::Unchanged);
    assert_eq!(read.additional_properties.get("x"), None::<&Value>);
}

#[test]
fn a_read_error_names_the_property_and_null_reads_as_absent() {
    let mut example = example_json(SEED_PAGE, "### Response");
    example["validityStartDateTime"] = json!("2024-01-01");
    let error = serde_json::from_value::<CloudCertificationAuthorityLeafCertificate>(example)
        .unwrap_err()
        .to_string();
    assert_eq!(error, "validityStartDateTime: premature end of input");

    let mut example = example_json(SEED_PAGE, "### Response");
    example["validityStartDateTime"] = Value::Null;
    let certificate: CloudCertificationAuthorityLeafCertificate =
        serde_json::from_value(example).unwrap();
    assert_eq!(certificate.validity_start_date_time, None);
    assert!(certificate.additional_properties.is_empty());
}
