//! The runtime's behaviour seen through the generated endpoints, against wiremock on 127.0.0.1:
//! paging, retries, timeouts, decoding failures, path encoding, typed `$select`, and what
//! happens to the access token.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use graph_client::beta::Client;
use graph_client::beta::intune::{
    CloudCertificationAuthorityLeafCertificate, CloudCertificationAuthorityLeafCertificateStatus,
    CloudCertificationAuthorityLeafCertificateUpdate, CloudCertificationAuthoritySelect,
    CloudCertificationAuthorityStatus,
};
use graph_client::beta::requests::CloudCertificationAuthorityItemRequest;
use graph_client::{AccessToken, Error, HttpClient, Patch, StaticToken, TokenFn};
use graph_runtime::RetryPolicy;
use serde_json::{Value, json};
use support::{example_response, header, only_request};
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "client-test-token-5c1e";
const CA: &str = "3f0c2a71-5b8e-4d2a-9c61-7e4b0d9a1c25";

fn client(server: &MockServer) -> Client {
    Client::with_base_url(server.uri(), StaticToken::new(TOKEN)).expect("a loopback URL is valid")
}

/// A client whose retries wait milliseconds, not seconds, and give up after `attempts`.
fn fast_retrying_client(server: &MockServer, attempts: u32) -> Client {
    let http = HttpClient::builder(server.uri(), StaticToken::new(TOKEN))
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20))
                .max_attempts(attempts),
        )
        .build()
        .expect("a loopback URL is valid");
    Client::from_http(http)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

fn odata_error(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message}})
}

fn leaf(id: &str, device: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.cloudCertificationAuthorityLeafCertificate",
        "id": id,
        "deviceName": device,
        "certificateStatus": "active",
        "validityEndDateTime": "2026-01-31T12:00:00Z"
    })
}

#[tokio::test]
async fn stream_follows_three_pages_and_repeats_the_custom_header() {
    let server = MockServer::start().await;
    let leaves = format!(
        "/deviceManagement/cloudCertificationAuthority/{CA}/cloudCertificationAuthorityLeafCertificate"
    );
    let next = |token: &str| format!("{}{leaves}?$skiptoken={token}", server.uri());
    let pages = [
        (
            None,
            json!({"value": [leaf("leaf-1", "KIOSK-01"), leaf("leaf-2", "KIOSK-02")],
                   "@odata.nextLink": next("p2")}),
        ),
        (
            Some("p2"),
            json!({"value": [leaf("leaf-3", "KIOSK-03"), leaf("leaf-4", "KIOSK-04")],
                   "@odata.nextLink": next("p3")}),
        ),
        (Some("p3"), json!({"value": [leaf("leaf-5", "KIOSK-05")]})),
    ];
    for (skiptoken, body) in pages {
        let mock = Mock::given(method("GET")).and(path(leaves.as_str()));
        let mock = match skiptoken {
            None => mock.and(query_param_is_missing("$skiptoken")),
            Some(token) => mock.and(query_param("$skiptoken", token)),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }

    let certificates: Vec<CloudCertificationAuthorityLeafCertificate> = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .cloud_certification_authority_leaf_certificate()
        .list()
        .header("ConsistencyLevel", "eventual")
        .stream()
        .try_collect()
        .await
        .expect("every page is served");

    let ids: Vec<&str> = certificates
        .iter()
        .map(|c| c.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["leaf-1", "leaf-2", "leaf-3", "leaf-4", "leaf-5"]);
    assert_eq!(certificates[4].device_name.as_deref(), Some("KIOSK-05"));
    assert!(
        certificates.iter().all(|c| c.certificate_status
            == Some(CloudCertificationAuthorityLeafCertificateStatus::Active))
    );

    let requests = received(&server).await;
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [None, Some("$skiptoken=p2"), Some("$skiptoken=p3")]
    );
    let bearer = format!("Bearer {TOKEN}");
    for request in &requests {
        assert_eq!(request.url.path(), leaves);
        assert_eq!(
            header(request, "consistencylevel"),
            Some("eventual"),
            "{}",
            request.url
        );
        assert_eq!(header(request, "authorization"), Some(bearer.as_str()));
    }
}

#[tokio::test]
async fn throttled_get_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(odata_error("TooManyRequests", "Slow down.")),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(example_response("cloudcertificationauthority-get")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .await
        .expect("the second attempt succeeds");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured, waited {:?}",
        started.elapsed()
    );
    assert_eq!(ca.id.as_deref(), Some(CA));
    assert_eq!(
        ca.certification_authority_status,
        Some(CloudCertificationAuthorityStatus::Active)
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_action_post_is_retried_only_when_the_server_says_when() {
    // 429 with `Retry-After: 0`: the server asks for a retry, so even a POST is resent.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(odata_error("TooManyRequests", "Again.")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example_response(
            "cloudcertificationauthority-getcloudcertificationauthority",
        )))
        .mount(&server)
        .await;
    let ca = fast_retrying_client(&server, 4)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get_cloud_certification_authority()
        .await
        .expect("the retry succeeds");
    assert_eq!(ca.id.as_deref(), Some(CA));
    assert_eq!(received(&server).await.len(), 2);

    // 503 without `Retry-After`: a POST is not idempotent, so it is not resent.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503).set_body_json(odata_error("ServiceUnavailable", "Busy.")),
        )
        .mount(&server)
        .await;
    let error = fast_retrying_client(&server, 4)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get_cloud_certification_authority()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn service_unavailable_until_attempts_run_out_returns_the_last_error() {
    let server = MockServer::start().await;
    // Each attempt gets its own message, so the test can tell which answer came back.
    for attempt in 1..=4 {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).set_body_json(odata_error(
                "ServiceUnavailable",
                &format!("Busy (attempt {attempt})."),
            )))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }

    let error = fast_retrying_client(&server, 3)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .await
        .expect_err("every attempt is refused");

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.code(), Some("ServiceUnavailable"));
    assert_eq!(api.message(), Some("Busy (attempt 3)."));
    assert_eq!(received(&server).await.len(), 3, "exactly max_attempts");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(example_response("cloudcertificationauthority-get"))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let http = HttpClient::builder(server.uri(), StaticToken::new(TOKEN))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = Client::from_http(http)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .await
        .expect_err("the answer comes too late");

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        matches!(error, Error::Timeout(limit) if limit == Duration::from_millis(200)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2), "gave up early");
    assert_eq!(received(&server).await.len(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = MockServer::start().await;
    // An object cut off in the middle.
    Mock::given(path(format!(
        "/deviceManagement/cloudCertificationAuthority/{CA}"
    )))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        format!(r#"{{"id": "{CA}", "displayName": "Contoso"#),
        "application/json",
    ))
    .mount(&server)
    .await;
    // A collection whose `value` is not an array.
    Mock::given(path("/deviceManagement/cloudCertificationAuthority"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"value": 42}"#, "application/json"),
        )
        .mount(&server)
        .await;
    // An action result of the wrong shape.
    Mock::given(path(format!(
        "/deviceManagement/cloudCertificationAuthority/{CA}/revokeLeafCertificate"
    )))
    .respond_with(
        ResponseTemplate::new(200)
            .set_body_raw(r#"{"value": "not a certificate"}"#, "application/json"),
    )
    .mount(&server)
    .await;
    let client = client(&server);
    let authorities = client.device_management().cloud_certification_authority();

    let error = authorities.item(CA).get().await.unwrap_err();
    let Error::Decode { status, body, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert!(body.ends_with(r#""displayName": "Contoso"#), "{body}");

    let error = authorities.list().await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { body, .. } if body == r#"{"value": 42}"#),
        "{error:?}"
    );

    let error = authorities
        .item(CA)
        .revoke_leaf_certificate(&Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn ids_stay_inside_their_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "echo"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("a/b", "a%2Fb"),
        ("x?y=1#z", "x%3Fy%3D1%23z"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("../admin", "..%2Fadmin"),
        ("a..b", "a..b"),
        ("...", "..."),
        ("Zürich ✓", "Z%C3%BCrich%20%E2%9C%93"),
        ("~keep_-.", "~keep_-."),
    ];
    for (id, _) in cases {
        client
            .device_management()
            .cloud_certification_authority_leaf_certificate()
            .item(id)
            .get()
            .await
            .unwrap_or_else(|error| panic!("{id:?}: {error}"));
    }
    // Two parameters in one path, each in its own segment.
    client
        .device_management()
        .cloud_certification_authority()
        .item("ca/1?")
        .cloud_certification_authority_leaf_certificate()
        .item("#leaf 2")
        .update(&CloudCertificationAuthorityLeafCertificateUpdate {
            device_name: Patch::Set("kiosk".to_string()),
            ..Default::default()
        })
        .await
        .unwrap();

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    let mut expected: Vec<String> = cases
        .iter()
        .map(|(_, encoded)| {
            format!("/deviceManagement/cloudCertificationAuthorityLeafCertificate/{encoded}")
        })
        .collect();
    expected.push(
        "/deviceManagement/cloudCertificationAuthority/ca%2F1%3F/\
         cloudCertificationAuthorityLeafCertificate/%23leaf%202"
            .to_string(),
    );
    assert_eq!(paths, expected);
    // Nothing leaked into the query string.
    assert!(
        received(&server)
            .await
            .iter()
            .all(|r| r.url.query().is_none())
    );
}

#[tokio::test]
async fn dot_segment_and_empty_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    for id in ["..", ".", ""] {
        let error = client
            .device_management()
            .cloud_certification_authority()
            .item(id)
            .get()
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::InvalidPathParameter { name: "cloudCertificationAuthorityId", value, .. }
                    if value == id
            ),
            "{id:?}: {error:?}"
        );

        // A bad id anywhere in the path refuses the whole request, actions included.
        let error = client
            .device_management()
            .cloud_certification_authority()
            .item(CA)
            .cloud_certification_authority_leaf_certificate()
            .item(id)
            .get()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidPathParameter {
                    name: "cloudCertificationAuthorityLeafCertificateId",
                    ..
                }
            ),
            "{id:?}: {error:?}"
        );
        let error = client
            .device_management()
            .cloud_certification_authority()
            .item(id)
            .revoke_leaf_certificate(&Default::default())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidPathParameter { .. }),
            "{error:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn typed_select_writes_the_documented_query() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": CA,
            "displayName": "Contoso Issuing CA 01",
            "thumbprint": "8C2F61D4A09B3E75C1D8F2A6B4E09D7C3A5F1B62"
        })))
        .mount(&server)
        .await;

    let ca = client(&server)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .select([
            CloudCertificationAuthoritySelect::Id,
            CloudCertificationAuthoritySelect::DisplayName,
        ])
        .select([CloudCertificationAuthoritySelect::Thumbprint])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("$select=id,displayName,thumbprint")
    );
    assert_eq!(ca.display_name.as_deref(), Some("Contoso Issuing CA 01"));
    assert_eq!(ca.certificate_key_size, None, "not selected, not sent");
}

/// Every builder is the one generic `requests::Node` under an alias of its own: it still prints
/// as that alias, names its type as users write it, clones, and keeps its path and client.
#[test]
fn a_builder_prints_as_its_alias_and_clones_with_its_path() {
    let client = Client::with_base_url("http://127.0.0.1:9", StaticToken::new(TOKEN))
        .expect("a loopback URL is valid");
    let builder: CloudCertificationAuthorityItemRequest<'_> = client
        .device_management()
        .cloud_certification_authority()
        .item("a/b");
    let copy = builder.clone();
    assert_eq!(
        copy.path().expect("a valid path"),
        "/deviceManagement/cloudCertificationAuthority/a%2Fb"
    );
    assert!(std::ptr::eq(copy.client(), &client));
    let text = format!("{builder:?}");
    assert!(
        text.starts_with("CloudCertificationAuthorityItemRequest { client: Client {"),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn the_token_never_appears_in_debug_output() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(odata_error("InvalidAuthenticationToken", "Token expired.")),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let request = client
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .header("ConsistencyLevel", "eventual");

    let texts = [
        format!("{client:?}"),
        format!(
            "{:?}",
            client.device_management().cloud_certification_authority()
        ),
        format!("{:?}", client.http()),
        format!("{request:?}"),
        format!("{:?}", StaticToken::new(TOKEN)),
        format!("{:?}", AccessToken::new(TOKEN)),
    ];
    let error = request.await.unwrap_err();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the token is sent, just never printed"
    );

    for text in texts
        .iter()
        .chain([&format!("{error:?}"), &error.to_string()])
    {
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(texts[0].contains(&server.uri()), "{}", texts[0]);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn the_token_provider_is_asked_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(example_response("cloudcertificationauthority-get")),
        )
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let tokens = TokenFn::new(move || {
        let call = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(AccessToken::new(format!("token-{call}"))) }
    });
    let http = HttpClient::builder(server.uri(), tokens)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();

    let ca = Client::from_http(http)
        .device_management()
        .cloud_certification_authority()
        .item(CA)
        .get()
        .await
        .expect("the third attempt succeeds");

    assert_eq!(ca.id.as_deref(), Some(CA));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "authorization").unwrap_or_default().to_string())
        .collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
}

#[tokio::test]
async fn a_failing_token_provider_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let tokens = TokenFn::new(|| async { Err(Error::token("no credentials configured")) });
    let client = Client::with_base_url(server.uri(), tokens).unwrap();

    let error = client.device_management().get().await.unwrap_err();

    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(error.to_string().contains("no credentials configured"));
    assert!(received(&server).await.is_empty());
}
