//! Uploads against wiremock on 127.0.0.1: large files through an upload
//! session whose server checks every byte range, and small `PUT …/content`
//! uploads from bytes or a stream.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::stream;
use graph_runtime::{
    Error, HttpClient, Json, LargeFileUpload, Method, Request, RequestPath, RetryPolicy,
    StaticToken, StatusCode, UPLOAD_CHUNK_UNIT, UploadProgress, UploadSession,
};
use serde::Deserialize;
use serde_json::json;
use support::{Fault, UPLOAD_PATH, UploadUrl, upload_server};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "upload-secret-token";
const MIB: usize = 1024 * 1024;

#[derive(Debug, PartialEq, Deserialize)]
struct DriveItem {
    id: String,
    name: String,
    size: u64,
}

fn client(server: &MockServer, retry: RetryPolicy) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(retry)
        .build()
        .expect("client")
}

fn file(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 9)) as u8)
        .collect()
}

/// What `createUploadSession` answered, on the upload host.
fn session(upload_host: &MockServer) -> UploadSession {
    serde_json::from_value(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
        "uploadUrl": format!("{}{UPLOAD_PATH}", upload_host.uri()),
        "expirationDateTime": "2030-01-29T09:21:55.523Z",
        "nextExpectedRanges": ["0-"]
    }))
    .expect("an uploadSession")
}

fn recorder() -> (
    Arc<Mutex<Vec<u64>>>,
    impl FnMut(UploadProgress) + Send + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |progress: UploadProgress| {
        assert_eq!(progress.total, 3 * MIB as u64);
        sink.lock().expect("lock").push(progress.uploaded);
    })
}

#[tokio::test]
async fn a_3_mib_upload_interrupted_after_the_first_chunk_resumes_where_the_service_says() {
    let graph = MockServer::start().await;
    let source = file(3 * MIB);
    let chunk = 3 * UPLOAD_CHUNK_UNIT; // 960 KiB: three full chunks and a last one of 192 KiB
    let url = UploadUrl::new(source.len(), vec![Fault::Status(chunk, 500, None)]);
    let upload_host = upload_server(&url).await;

    // The first run: no retries, so the failed second chunk interrupts it.
    let http = client(&graph, RetryPolicy::none());
    let (first_progress, on_progress) = recorder();
    let mut upload = session(&upload_host)
        .upload(&http, bytes::Bytes::from(source.clone()))
        .chunk_size(chunk)
        .on_progress(on_progress);
    let err = upload.send::<DriveItem>().await.expect_err("interrupted");
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(*first_progress.lock().expect("lock"), [chunk]);
    assert_eq!(upload.session().next_offset(), Some(chunk));

    // Another process picks the stored session up and resumes.
    let stored = serde_json::to_string(upload.session()).expect("store the session");
    drop(upload);
    let session: UploadSession = serde_json::from_str(&stored).expect("read it back");
    let http = client(&graph, RetryPolicy::default());
    let (progress, on_progress) = recorder();
    let mut upload: LargeFileUpload<Vec<u8>> = session
        .upload(&http, source.clone())
        .chunk_size(chunk)
        .on_progress(on_progress);
    let item: DriveItem = upload.resume().await.expect("resumed");

    assert_eq!(
        item,
        DriveItem {
            id: "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K".to_owned(),
            name: "big.bin".to_owned(),
            size: 3 * MIB as u64,
        }
    );
    assert_eq!(
        *progress.lock().expect("lock"),
        [2 * chunk, 3 * chunk, 3 * MIB as u64]
    );
    let at_service = graph.received_requests().await.expect("recording");
    assert!(at_service.is_empty(), "an upload does not call the service");
    let state = url.state();
    assert_eq!(state.violations, Vec::<String>::new());
    assert_eq!(
        state.ranges,
        [
            "bytes 0-983039/3145728",
            "bytes 983040-1966079/3145728",
            "bytes 983040-1966079/3145728",
            "bytes 1966080-2949119/3145728",
            "bytes 2949120-3145727/3145728",
        ]
    );
    assert_eq!(state.calls, ["PUT", "PUT", "GET", "PUT", "PUT", "PUT"]);
    assert!(
        state.received == source,
        "the service has the file, byte for byte"
    );
}

#[tokio::test]
async fn failed_chunks_are_retried_and_stale_sessions_catch_up() {
    let graph = MockServer::start().await;
    let source = file(MIB);
    let unit = UPLOAD_CHUNK_UNIT;
    let url = UploadUrl::new(
        source.len(),
        vec![
            // Throttled: the same chunk again after Retry-After, no status request.
            Fault::Status(0, 503, Some("0")),
            // A server error: ask where to continue, then the same chunk.
            Fault::Status(unit, 500, None),
            // The service kept the chunk but the answer was lost: continue after it.
            Fault::KeepThenFail(2 * unit),
        ],
    );
    let upload_host = upload_server(&url).await;
    let http = client(
        &graph,
        RetryPolicy::default().base_delay(Duration::from_millis(5)),
    );

    let item: DriveItem = session(&upload_host)
        .upload(&http, source.clone())
        .chunk_size(unit)
        .send()
        .await
        .expect("uploaded");
    assert_eq!(item.size, MIB as u64);
    {
        let state = url.state();
        assert_eq!(state.violations, Vec::<String>::new());
        assert_eq!(
            state.ranges,
            [
                "bytes 0-327679/1048576",
                "bytes 0-327679/1048576",
                "bytes 327680-655359/1048576",
                "bytes 327680-655359/1048576",
                "bytes 655360-983039/1048576",
                "bytes 983040-1048575/1048576",
            ]
        );
        assert_eq!(
            state.calls,
            ["PUT", "PUT", "PUT", "GET", "PUT", "PUT", "GET", "PUT"]
        );
        assert!(state.received == source);
    }

    // A stale copy of the session (it still says "0-") meets 416 and catches up.
    let url = UploadUrl::new(source.len(), Vec::new());
    let upload_host = upload_server(&url).await;
    url.state().received = source[..2 * unit as usize].to_vec();
    let item: DriveItem = session(&upload_host)
        .upload(&http, source.clone())
        .chunk_size(unit)
        .send()
        .await
        .expect("caught up");
    assert_eq!(item.size, MIB as u64);
    let state = url.state();
    assert_eq!(state.calls, ["PUT", "GET", "PUT", "PUT"]);
    assert_eq!(state.ranges[1], "bytes 655360-983039/1048576");
    assert!(state.received == source);
    assert_eq!(state.violations, Vec::<String>::new());
}

#[tokio::test]
async fn cancel_deletes_the_session_and_client_errors_are_not_retried() {
    let graph = MockServer::start().await;
    let url = UploadUrl::new(MIB, vec![Fault::Status(0, 409, None)]);
    let upload_host = upload_server(&url).await;
    let http = client(&graph, RetryPolicy::default());

    let mut upload = session(&upload_host).upload(&http, file(MIB));
    let err = upload.send::<DriveItem>().await.expect_err("conflict");
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    upload.cancel().await.expect("cancelled");
    {
        let state = url.state();
        assert_eq!(state.calls, ["PUT", "DELETE"]);
        assert!(state.deleted);
        assert_eq!(state.violations, Vec::<String>::new());
    }

    let err = session(&upload_host)
        .upload(&http, Vec::new())
        .send::<DriveItem>()
        .await
        .expect_err("empty file");
    assert!(matches!(err, Error::UploadSource(_)), "{err:?}");

    let err = UploadSession::new("ftp://up.example/x")
        .upload(&http, file(10))
        .send::<DriveItem>()
        .await
        .expect_err("not http");
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    assert_eq!(
        url.state().calls.len(),
        2,
        "nothing else reached the upload URL"
    );
}

/// What the generated `me().drive().root().by_path(path).content().put()` builds.
fn put_content(http: &HttpClient, item_path: &str) -> Request<Json<DriveItem>> {
    let path = RequestPath::root()
        .segment("me")
        .segment("drive")
        .segment("root")
        .item_path("item-path", item_path)
        .segment("content");
    Request::new(http, Method::PUT, path)
}

#[tokio::test]
async fn small_uploads_put_bytes_or_a_stream_with_the_token() {
    let graph = MockServer::start().await;
    let text = b"The contents of the file goes here.".to_vec();
    let item = json!({"id": "0123456789abc", "name": "FileB.txt", "size": text.len()});
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/FolderA/FileB.txt:/content"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "text/plain"))
        .and(body_bytes(text.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(&item))
        .expect(3)
        .mount(&graph)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/busy.txt:/content"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&graph)
        .await;
    let http = client(&graph, RetryPolicy::default());
    let chunks = || {
        let parts: Vec<Result<bytes::Bytes, std::io::Error>> = text
            .chunks(8)
            .map(|part| Ok(bytes::Bytes::copy_from_slice(part)))
            .collect();
        stream::iter(parts)
    };

    let from_bytes = put_content(&http, "FolderA/FileB.txt")
        .bytes_body("text/plain", text.clone())
        .await
        .expect("bytes");
    let sized = put_content(&http, "FolderA/FileB.txt")
        .stream_body("text/plain", Some(text.len() as u64), chunks())
        .await
        .expect("sized stream");
    let chunked = put_content(&http, "FolderA/FileB.txt").stream_body("text/plain", None, chunks());
    let debug = format!("{chunked:?}");
    assert!(debug.contains("text/plain, streamed"), "{debug}");
    let again = chunked.clone();
    let chunked = chunked.await.expect("chunked stream");
    for uploaded in [&from_bytes, &sized, &chunked] {
        assert_eq!(uploaded.name, "FileB.txt");
    }
    let requests = graph.received_requests().await.expect("recording");
    let length = |i: usize| {
        requests[i]
            .headers
            .get("content-length")
            .map(|v| v.as_bytes().to_vec())
    };
    assert_eq!(length(1), Some(text.len().to_string().into_bytes()));
    assert_eq!(length(2), None, "sent chunked");
    assert_eq!(
        requests[2]
            .headers
            .get("transfer-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"chunked"[..])
    );

    // A stream is read once: its clone cannot send it again...
    let err = again.await.expect_err("already sent");
    assert!(matches!(err, Error::UploadSource(_)), "{err:?}");
    // ...and a throttled streamed upload is returned, not retried.
    let err = put_content(&http, "busy.txt")
        .stream_body("text/plain", None, chunks())
        .await
        .expect_err("throttled");
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(graph.received_requests().await.expect("recording").len(), 4);
}
