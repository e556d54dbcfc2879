//! Content downloads through redirects, against two wiremock servers on
//! 127.0.0.1: the service and, on another port (another origin), the storage
//! host its pre-authenticated download URLs point at.

use std::time::Duration;

use futures_util::StreamExt;
use graph_runtime::{
    Bytes, Error, HttpClient, Method, Request, RequestPath, RetryPolicy, StaticToken, StatusCode,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "download-secret-token";

fn client(server: &MockServer, retry: RetryPolicy) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(retry)
        .build()
        .expect("client")
}

/// What the generated `me().drive().items().item(id).content().get()` builds.
fn content(http: &HttpClient, id: &str) -> Request<Bytes> {
    let path = RequestPath::root()
        .segment("me")
        .segment("drive")
        .segment("items")
        .parameter("item-id", id)
        .segment("content");
    Request::new(http, Method::GET, path)
}

fn payload() -> Vec<u8> {
    (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

#[tokio::test]
async fn a_redirect_to_another_host_is_followed_without_the_token() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    let download_url = format!("{}/files/report.bin?sig=pre-authenticated", storage.uri());
    // Item 1 redirects straight to storage; item 2 first within the service
    // (a relative Location), then to storage.
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/1/content"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(302).insert_header("location", download_url.as_str()))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/2/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/v1.0/storage/2"))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/storage/2"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(307).insert_header("location", download_url.as_str()))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/report.bin"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(payload(), "application/octet-stream"),
        )
        .expect(2)
        .mount(&storage)
        .await;

    let http = client(&graph, RetryPolicy::none());
    let mut stream = content(&http, "1")
        .header("Range", "bytes=0-")
        .await
        .expect("download");
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("application/octet-stream"));
    assert_eq!(stream.content_length(), Some(300_000));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.expect("chunk"));
        chunks += 1;
    }
    assert_eq!(received, payload());
    assert!(chunks >= 1);

    let second = content(&http, "2").await.expect("download via the service");
    assert_eq!(second.collect().await.expect("bytes"), payload());

    // The storage host never saw the token, but did get the request's own headers.
    let at_storage = storage.received_requests().await.expect("recording");
    assert_eq!(at_storage.len(), 2);
    for request in &at_storage {
        assert!(
            request.headers.get("authorization").is_none(),
            "{:?}",
            request.headers
        );
        assert!(!format!("{:?}", request.headers).contains(TOKEN));
        assert_eq!(request.url.query(), Some("sig=pre-authenticated"));
    }
    assert_eq!(
        at_storage[0].headers.get("range").map(|v| v.as_bytes()),
        Some(&b"bytes=0-"[..])
    );
}

#[tokio::test]
async fn redirect_loops_and_redirects_without_a_location_are_errors() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    // The storage host redirects to itself forever.
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&storage)
        .await;
    Mock::given(path("/v1.0/me/drive/items/loop/content"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/loop", storage.uri()).as_str()),
        )
        .mount(&graph)
        .await;
    Mock::given(path("/v1.0/me/drive/items/bare/content"))
        .respond_with(ResponseTemplate::new(302))
        .mount(&graph)
        .await;
    let http = client(&graph, RetryPolicy::none());

    let err = content(&http, "loop").await.expect_err("a loop");
    match &err {
        Error::UnexpectedRedirect { status, location } => {
            assert_eq!(*status, StatusCode::FOUND);
            assert_eq!(location.as_deref(), Some("/loop"));
        }
        other => panic!("expected UnexpectedRedirect, got {other:?}"),
    }
    assert_eq!(
        storage.received_requests().await.expect("recording").len(),
        10,
        "ten hops, then it stops"
    );

    let err = content(&http, "bare").await.expect_err("no location");
    assert!(
        matches!(err, Error::UnexpectedRedirect { location: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_throttled_download_host_retries_from_the_service() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(path("/v1.0/me/drive/items/1/content"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/file", storage.uri()).as_str()),
        )
        .expect(2)
        .mount(&graph)
        .await;
    Mock::given(path("/file"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&storage)
        .await;
    Mock::given(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_string("finally"))
        .mount(&storage)
        .await;

    let retry = RetryPolicy::default().base_delay(Duration::from_millis(10));
    let http = client(&graph, retry);
    let body = content(&http, "1")
        .await
        .expect("download")
        .collect()
        .await
        .expect("bytes");
    // The download URL is short-lived: the retry asks the service for a fresh one.
    assert_eq!(body, b"finally");
    assert_eq!(
        storage.received_requests().await.expect("recording").len(),
        2
    );
}
