//! The runtime cannot hang or run away: the default timeout, a repeating next link,
//! fractional `Retry-After`, errors that say their cause, `client-request-id` and tracing.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use graph_runtime::{
    Collection, DEFAULT_TIMEOUT, Error, HttpClient, Json, Method, Request, RequestPath,
    RetryPolicy, StaticToken,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "production-secret-token-4f8e";

fn client(base: &str) -> HttpClient {
    HttpClient::builder(base, StaticToken::new(TOKEN))
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

fn users(http: &HttpClient) -> Request<Collection<serde_json::Value>> {
    Request::new(http, Method::GET, RequestPath::root().segment("users"))
}

#[tokio::test]
async fn a_hung_server_is_stopped_by_the_default_timeout() {
    // A server that reads the request and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let (received, got_request) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        let mut buffer = [0u8; 1024];
        let read = socket.read(&mut buffer).expect("read");
        let _ = received.send(String::from_utf8_lossy(&buffer[..read]).into_owned());
        std::thread::sleep(Duration::from_secs(30)); // holds the connection, answers nothing
    });

    let http =
        HttpClient::new(format!("http://{address}/v1.0"), StaticToken::new(TOKEN)).expect("client");
    assert_eq!(http.timeout(), Some(DEFAULT_TIMEOUT));
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(100));
    let call = tokio::spawn(
        Request::<Json<serde_json::Value>>::new(
            &http,
            Method::GET,
            RequestPath::root().segment("me"),
        )
        .send(),
    );
    let request = got_request
        .await
        .expect("the request reached the hung server");
    assert!(request.starts_with("GET /v1.0/me HTTP/1.1"), "{request}");

    // The request waits for an answer that never comes: let the paused clock run to the
    // next timer instead of waiting 100 real seconds.
    let wall = Instant::now();
    tokio::time::pause();
    let outcome = call.await.expect("task");
    assert!(
        matches!(outcome, Err(Error::Timeout(limit)) if limit == DEFAULT_TIMEOUT),
        "{outcome:?}"
    );
    assert!(wall.elapsed() < Duration::from_secs(10), "no real wait");
}

#[tokio::test]
async fn no_timeout_only_when_asked_for() {
    let http = HttpClient::builder("https://graph.microsoft.com/v1.0", StaticToken::new(TOKEN))
        .no_timeout()
        .build()
        .expect("client");
    assert_eq!(http.timeout(), None);
    let http = HttpClient::builder("https://graph.microsoft.com/v1.0", StaticToken::new(TOKEN))
        .timeout(Duration::from_secs(7))
        .build()
        .expect("client");
    assert_eq!(http.timeout(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn a_next_link_that_repeats_stops_paging_with_an_error() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let second = format!("{base}/users?$skiptoken=B");
    let third = format!("{base}/users?$skiptoken=C");
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "B"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [2], "@odata.nextLink": third})),
        )
        .mount(&server)
        .await;
    // The third page sends the second page's link again: A → B → C → B → …
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "C"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [3], "@odata.nextLink": second})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [1], "@odata.nextLink": second})),
        )
        .mount(&server)
        .await;

    let http = client(&base);
    let outcome = tokio::time::timeout(Duration::from_secs(10), users(&http).collect_all())
        .await
        .expect("paging ends by itself");
    match outcome {
        Err(Error::RepeatedNextLink { link }) => assert_eq!(link, second),
        other => panic!("expected RepeatedNextLink, got {other:?}"),
    }
    let sent = server.received_requests().await.expect("recorded").len();
    assert_eq!(sent, 3, "each page once, then the repeat is refused unsent");

    // A page that links to itself.
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let myself = format!("{base}/users");
    Mock::given(path("/v1.0/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [1], "@odata.nextLink": myself})),
        )
        .mount(&server)
        .await;
    let err = users(&client(&base)).collect_all().await.expect_err("loop");
    assert!(
        err.to_string()
            .starts_with("paging stopped: the service sent the next link"),
        "{err}"
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn a_fractional_retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2.128"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;

    // Backoff is at most 5 ms here: a wait of two seconds can only be the header's.
    let http = client(&format!("{}/v1.0", server.uri()));
    let start = Instant::now();
    let me: serde_json::Value = Request::<Json<serde_json::Value>>::new(
        &http,
        Method::GET,
        RequestPath::root().segment("me"),
    )
    .await
    .expect("second attempt succeeds");
    let waited = start.elapsed();
    assert_eq!(me, json!({"ok": true}));
    assert!(
        waited >= Duration::from_millis(2128) && waited < Duration::from_millis(2900),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn a_network_error_says_its_cause() {
    // A port nobody listens on: bound, then released.
    let address = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address");
    let http = client(&format!("http://{address}/v1.0"));
    let err = users(&http).send().await.expect_err("refused");
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("network error: error sending request for url"),
        "{text}"
    );
    assert!(text.to_lowercase().contains("connection refused"), "{text}");
}

#[tokio::test]
async fn every_request_carries_a_client_request_id_kept_across_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let http = client(&format!("{}/v1.0", server.uri()));
    users(&http).send().await.expect("retried");
    users(&http).send().await.expect("second call");
    users(&http)
        .header("client-request-id", "my-own-id")
        .send()
        .await
        .expect("third call");

    let ids: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|request| {
            request
                .headers
                .get("client-request-id")
                .expect("client-request-id sent")
                .to_str()
                .expect("text")
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids[0], ids[1], "one id for both attempts of a call");
    assert_ne!(ids[1], ids[2], "a new id for each call");
    let uuid = uuid::Uuid::parse_str(&ids[0]).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4);
    assert_eq!(ids[3], "my-own-id", "the caller's id is kept");
}
