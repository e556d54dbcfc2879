//! Wire-level tests of `HttpClient` against a wiremock server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use graph_runtime::{
    AccessToken, Error, ErrorBody, HttpClient, Method, StaticToken, StatusCode, TokenFn,
    encode_path_segment,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-value";

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
}

async fn client(server: &MockServer) -> HttpClient {
    HttpClient::new(format!("{}/v1.0/", server.uri()), StaticToken::new(TOKEN)).expect("client")
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> graph_runtime::ApiError {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn sends_bearer_and_accept_headers_and_decodes_2xx() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/42"))
        .and(header("authorization", "Bearer test-token-value"))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "42", "displayName": "Ada"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    let user: User = client
        .send(Method::GET, "/users/42", None::<&()>)
        .await
        .expect("request succeeds");
    assert_eq!(
        user,
        User {
            id: "42".to_owned(),
            display_name: "Ada".to_owned()
        }
    );

    let requests = server.received_requests().await.expect("recording enabled");
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("content-type").is_none());
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn sends_json_body_with_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"id": "7", "displayName": "Grace"})))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "7", "displayName": "Grace"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    let body = User {
        id: "7".to_owned(),
        display_name: "Grace".to_owned(),
    };
    let created: User = client
        .send(Method::POST, "/users", Some(&body))
        .await
        .expect("request succeeds");
    assert_eq!(created, body);
}

#[tokio::test]
async fn no_content_responses() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/users/42"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/42"))
        .and(body_json(json!({"displayName": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ignored": true})))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    client
        .send_no_content(Method::DELETE, "/users/42", None::<&()>)
        .await
        .expect("204 accepted");
    let unit: () = client
        .send(Method::DELETE, "/users/42", None::<&()>)
        .await
        .expect("204 decodes as ()");
    assert_eq!(unit, ());
    client
        .send_no_content(
            Method::PATCH,
            "/users/42",
            Some(&json!({"displayName": null})),
        )
        .await
        .expect("body ignored");
}

#[tokio::test]
async fn not_found_is_parsed_as_odata_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "Request_ResourceNotFound", "message": "Resource not found."}
        })))
        .mount(&server)
        .await;

    let client = client(&server).await;
    let result = client
        .send::<(), User>(Method::GET, "/users/missing", None)
        .await;
    let err = result.expect_err("404 is an error");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(!format!("{err:?}").contains(TOKEN));
    let api = api_error(Err::<(), _>(err));
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), Some("Request_ResourceNotFound"));
    assert_eq!(api.message(), Some("Resource not found."));
    let ErrorBody::OData(odata) = &api.body else {
        panic!("expected OData body, got {:?}", api.body);
    };
    assert_eq!(odata.code, "Request_ResourceNotFound");
    assert_eq!(odata.message, "Resource not found.");
    assert_eq!(odata.inner_error, None);
    assert!(odata.details.is_empty());
}

#[tokio::test]
async fn server_error_with_text_body_is_raw() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream exploded"))
        .mount(&server)
        .await;

    let client = client(&server).await;
    let api = api_error(
        client
            .send::<(), serde_json::Value>(Method::GET, "/me", None)
            .await,
    );
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.body, ErrorBody::Raw("upstream exploded".to_owned()));
    assert_eq!(api.raw_body(), Some("upstream exploded"));
    assert_eq!(api.code(), None);
}

#[tokio::test]
async fn invalid_2xx_json_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;

    let client = client(&server).await;
    match client.send::<(), User>(Method::GET, "/me", None).await {
        Err(err @ Error::Decode { .. }) => {
            assert_eq!(err.status(), Some(StatusCode::OK));
            let Error::Decode { status, body, .. } = err else {
                unreachable!()
            };
            assert_eq!(status, 200);
            assert_eq!(body, "not json");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn token_fn_is_called_per_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": 1})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": 2})))
        .expect(1)
        .mount(&server)
        .await;

    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let tokens = TokenFn::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(AccessToken::new(format!("token-{n}"))) }
    });
    let client = HttpClient::new(format!("{}/v1.0", server.uri()), tokens).expect("client");

    let first: serde_json::Value = client
        .send(Method::GET, "/me", None::<&()>)
        .await
        .expect("first");
    let second: serde_json::Value = client
        .clone()
        .send(Method::GET, "/me", None::<&()>)
        .await
        .expect("second");
    assert_eq!(first, json!({"n": 1}));
    assert_eq!(second, json!({"n": 2}));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn token_errors_abort_the_request() {
    let server = MockServer::start().await;
    let tokens = TokenFn::new(|| async { Err(Error::token("refresh token expired")) });
    let client = HttpClient::new(server.uri(), tokens).expect("client");
    let err = client
        .send_no_content(Method::GET, "/me", None::<&()>)
        .await
        .expect_err("token failure");
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "failed to obtain an access token: refresh token expired"
    );
    let requests = server.received_requests().await.expect("recording enabled");
    assert!(requests.is_empty());
}

#[tokio::test]
async fn encoded_segment_reaches_the_wire_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    let client = client(&server).await;
    let segment = encode_path_segment("user-id", "abc/../x?y#z").expect("valid");
    assert_eq!(segment, "abc%2F..%2Fx%3Fy%23z");
    let _: serde_json::Value = client
        .send(
            Method::GET,
            &format!("/users/{segment}/manager"),
            None::<&()>,
        )
        .await
        .expect("request succeeds");

    let requests = server.received_requests().await.expect("recording enabled");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/v1.0/users/abc%2F..%2Fx%3Fy%23z/manager"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.fragment(), None);
}

#[tokio::test]
async fn secret_never_in_debug_output() {
    let server = MockServer::start().await;
    let client = client(&server).await;
    let debug = format!("{client:?} {client:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains(&server.uri()), "{debug}");
}
