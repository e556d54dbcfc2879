//! Retries, Retry-After, timeouts and per-attempt tokens against wiremock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use graph_runtime::{
    AccessToken, Error, HttpClient, Json, Method, NoContent, Request, RequestPath, RetryPolicy,
    StaticToken, StatusCode, TokenFn,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "retry-secret-token";

/// Fast retries: a few milliseconds of backoff.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

fn client(server: &MockServer, policy: RetryPolicy) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(policy)
        .build()
        .expect("client")
}

fn me(http: &HttpClient, method: Method) -> Request<Json<serde_json::Value>> {
    Request::new(http, method, RequestPath::root().segment("me"))
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

/// Answers `first` for the first `times` requests, then 200 `{"ok": true}`.
async fn mount_then_ok(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(path("/v1.0/me"))
        .respond_with(first)
        .up_to_n_times(times)
        .mount(server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn throttled_request_waits_retry_after_seconds_then_succeeds() {
    let server = MockServer::start().await;
    mount_then_ok(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
    )
    .await;

    let started = Instant::now();
    let body = me(&client(&server, fast_policy()), Method::GET)
        .await
        .expect("succeeds after the retry");
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(requests(&server).await, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    mount_then_ok(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", date.as_str()),
        1,
    )
    .await;

    let started = Instant::now();
    me(&client(&server, fast_policy()), Method::GET)
        .await
        .expect("succeeds after the retry");
    assert_eq!(requests(&server).await, 2);
    // The date has one-second resolution: the wait is in (1 s, 2 s].
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&counter);
    Mock::given(path("/v1.0/me"))
        .respond_with(move |_: &wiremock::Request| {
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(503).set_body_json(json!({
                "error": {"code": "serviceUnavailable", "message": format!("attempt {n}")}
            }))
        })
        .mount(&server)
        .await;

    let err = me(&client(&server, fast_policy().max_attempts(3)), Method::GET)
        .await
        .expect_err("still unavailable");
    let api = err.as_api().expect("api error");
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        api.message(),
        Some("attempt 3"),
        "the last error is returned"
    );
    assert_eq!(requests(&server).await, 3);

    // The default policy makes four attempts.
    counter.store(0, Ordering::SeqCst);
    server.reset().await;
    let seen = Arc::clone(&counter);
    Mock::given(path("/v1.0/me"))
        .respond_with(move |_: &wiremock::Request| {
            seen.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(504).set_body_string("gateway timeout")
        })
        .mount(&server)
        .await;
    let err = me(&client(&server, fast_policy()), Method::DELETE)
        .await
        .expect_err("still failing");
    assert_eq!(
        err.as_api().and_then(|a| a.raw_body()),
        Some("gateway timeout")
    );
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(500).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let err = me(&client(&server, fast_policy()), Method::GET)
        .await
        .expect_err("500");
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn post_is_retried_only_when_the_server_asks() {
    let cases = [
        (
            ResponseTemplate::new(504).insert_header("Retry-After", "0"),
            1,
            "504, even with Retry-After",
        ),
        (ResponseTemplate::new(503), 1, "503 without Retry-After"),
        (ResponseTemplate::new(429), 1, "429 without Retry-After"),
        (
            ResponseTemplate::new(429).insert_header("Retry-After", "0"),
            2,
            "429 with Retry-After",
        ),
        (
            ResponseTemplate::new(503).insert_header("Retry-After", "0"),
            2,
            "503 with Retry-After",
        ),
    ];
    for (first, expected, case) in cases {
        let server = MockServer::start().await;
        mount_then_ok(&server, first, 1).await;
        let result = me(&client(&server, fast_policy()), Method::POST)
            .json_body(&json!({"x": 1}))
            .await;
        assert_eq!(requests(&server).await, expected, "{case}");
        assert_eq!(result.is_ok(), expected == 2, "{case}: {result:?}");
        let bodies: Vec<Vec<u8>> = server
            .received_requests()
            .await
            .expect("recording")
            .into_iter()
            .map(|r| r.body)
            .collect();
        assert!(
            bodies.iter().all(|b| b == br#"{"x":1}"#),
            "{case}: body resent intact"
        );
    }
}

#[tokio::test]
async fn never_sleeps_past_max_elapsed() {
    let server = MockServer::start().await;
    mount_then_ok(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "30"),
        1,
    )
    .await;
    let started = Instant::now();
    let err = me(
        &client(&server, fast_policy().max_elapsed(Duration::from_secs(2))),
        Method::GET,
    )
    .await
    .expect_err("the wait would exceed the budget");
    assert!(started.elapsed() < Duration::from_secs(2));
    let api = err.as_api().expect("api error");
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.retry_after, Some(Duration::from_secs(30)));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;

    let limit = Duration::from_millis(150);
    let http = HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(fast_policy())
        .timeout(limit)
        .build()
        .expect("client");
    let started = Instant::now();
    let err = me(&http, Method::GET).await.expect_err("times out");
    assert!(matches!(err, Error::Timeout(d) if d == limit), "{err:?}");
    assert!(err.is_timeout());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "timeouts are not retried"
    );

    // A per-request timeout overrides the client's (here: none).
    let http = client(&server, fast_policy());
    let err = me(&http, Method::GET)
        .timeout(Duration::from_millis(100))
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.to_string(), "the request timed out after 100ms");
}

#[tokio::test]
async fn connection_failures_are_network_errors() {
    // A port that was just free: nothing listens on it any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let http = HttpClient::builder(
        format!("http://127.0.0.1:{port}/v1.0"),
        StaticToken::new(TOKEN),
    )
    .retry(fast_policy())
    .build()
    .expect("client");
    let err = Request::<NoContent>::new(&http, Method::GET, RequestPath::root())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert!(!format!("{err:?} {err}").contains(TOKEN));
}

#[tokio::test]
async fn every_attempt_asks_for_a_fresh_token() {
    let server = MockServer::start().await;
    mount_then_ok(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        2,
    )
    .await;

    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let tokens = TokenFn::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(AccessToken::new(format!("token-{n}"))) }
    });
    let http = HttpClient::builder(format!("{}/v1.0", server.uri()), tokens)
        .retry(fast_policy())
        .build()
        .expect("client");
    assert!(!format!("{http:?}").contains("token-"));

    me(&http, Method::GET)
        .await
        .expect("third attempt succeeds");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let auth: Vec<String> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|r| {
            String::from_utf8_lossy(r.headers.get("authorization").expect("auth").as_bytes())
                .into_owned()
        })
        .collect();
    assert_eq!(auth, ["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
}

#[tokio::test]
async fn unmatched_methods_are_still_reported() {
    // A sanity check that the retry loop does not swallow non-retryable errors:
    // a GET answered 404 is returned at once, with its OData body.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "Request_ResourceNotFound", "message": "gone"}
        })))
        .mount(&server)
        .await;
    let err = me(&client(&server, fast_policy()), Method::GET)
        .await
        .expect_err("404");
    assert_eq!(
        err.as_api().and_then(|a| a.code()),
        Some("Request_ResourceNotFound")
    );
    assert_eq!(requests(&server).await, 1);
}
