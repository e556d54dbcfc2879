//! The runtime's examples (`examples/delta_sync.rs`, `upload_large_file.rs`,
//! `download_file.rs`), run against wiremock on 127.0.0.1, and the README's
//! quotes of them.

#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../examples/delta_sync.rs"]
mod delta_sync;
#[allow(dead_code)]
#[path = "../examples/download_file.rs"]
mod download_file;
mod support;
#[allow(dead_code)]
#[path = "../examples/upload_large_file.rs"]
mod upload_large_file;

use std::sync::{Arc, Mutex};

use graph_runtime::{HttpClient, RetryPolicy, StaticToken, StatusCode, UPLOAD_CHUNK_UNIT};
use serde_json::json;
use support::{Fault, UPLOAD_PATH, UploadUrl, upload_server};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "example-secret-token";

fn client(server: &MockServer, retry: RetryPolicy) -> HttpClient {
    HttpClient::builder(format!("{}/v1.0", server.uri()), StaticToken::new(TOKEN))
        .retry(retry)
        .build()
        .expect("client")
}

#[tokio::test]
async fn delta_sync_reads_everything_then_only_the_changes() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0", server.uri());
    let answers = [
        (
            "$select",
            "displayName",
            json!({"value": [{"id": "1", "displayName": "Ada"}], "@odata.nextLink": format!("{base}/users/delta?$skiptoken=2")}),
        ),
        (
            "$skiptoken",
            "2",
            json!({"value": [], "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=A")}),
        ),
        (
            "$deltatoken",
            "A",
            json!({"value": [{"id": "1", "@removed": {"reason": "changed"}}, {"id": "2", "displayName": "Grace"}],
                   "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=B")}),
        ),
    ];
    for (key, value, body) in answers {
        Mock::given(method("GET"))
            .and(path("/v1.0/users/delta"))
            .and(query_param(key, value))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let http = client(&server, RetryPolicy::none());

    let (everyone, link) = delta_sync::sync(&http, None).await.expect("first run");
    let lines: Vec<String> = everyone.iter().map(delta_sync::describe).collect();
    assert_eq!(lines, ["+ 1 Ada"]);
    // What `main` saves between runs.
    let saved = serde_json::to_string(&link).expect("save");
    let link = serde_json::from_str(&saved).expect("load");

    let (changes, next) = delta_sync::sync(&http, Some(&link))
        .await
        .expect("second run");
    let lines: Vec<String> = changes.iter().map(delta_sync::describe).collect();
    assert_eq!(lines, ["- 1 (changed)", "+ 2 Grace"]);
    assert_eq!(next.as_str(), format!("{base}/users/delta?$deltatoken=B"));
}

#[tokio::test]
async fn upload_large_file_saves_the_session_and_resumes_it() {
    let graph = MockServer::start().await;
    let size = 2 * 10 * UPLOAD_CHUNK_UNIT as usize + 12_345;
    let source: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let url = UploadUrl::new(size, vec![Fault::Status(10 * UPLOAD_CHUNK_UNIT, 502, None)]);
    let upload_host = upload_server(&url).await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/me/drive/root:/Backups/backup%20copy.tar:/createUploadSession",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(
            json!({"item": {"@microsoft.graph.conflictBehavior": "replace"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uploadUrl": format!("{}{UPLOAD_PATH}", upload_host.uri()),
            "expirationDateTime": "2030-01-29T09:21:55.523Z"
        })))
        .expect(1)
        .mount(&graph)
        .await;
    let progress = Arc::new(Mutex::new(Vec::new()));
    let record = |sink: Arc<Mutex<Vec<u64>>>| {
        move |p: graph_runtime::UploadProgress| sink.lock().expect("lock").push(p.uploaded)
    };

    // The first run fails on the second chunk and hands back the session to save.
    let http = client(&graph, RetryPolicy::none());
    let (error, session) = upload_large_file::upload_file(
        &http,
        "Backups/backup copy.tar",
        source.clone(),
        None,
        record(Arc::clone(&progress)),
    )
    .await
    .expect_err("interrupted");
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    let saved = serde_json::to_string(&session.expect("a session to save")).expect("save");

    // The next run resumes it.
    let item = upload_large_file::upload_file(
        &http,
        "Backups/backup copy.tar",
        source.clone(),
        Some(serde_json::from_str(&saved).expect("load")),
        record(Arc::clone(&progress)),
    )
    .await
    .expect("resumed");
    assert_eq!(item.size, size as u64);
    let chunk = 10 * UPLOAD_CHUNK_UNIT;
    assert_eq!(
        *progress.lock().expect("lock"),
        [chunk, 2 * chunk, size as u64]
    );
    let state = url.state();
    assert_eq!(state.violations, Vec::<String>::new());
    assert_eq!(state.calls, ["PUT", "PUT", "GET", "PUT", "PUT"]);
    assert!(state.received == source);
}

#[tokio::test]
async fn download_file_streams_through_the_redirect_without_the_token() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    let file: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Documents/report.pdf:/content"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/download/report.pdf?tempauth=xyz", storage.uri()).as_str(),
        ))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/download/report.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(file.clone(), "application/pdf"))
        .expect(1)
        .mount(&storage)
        .await;
    let http = client(&graph, RetryPolicy::none());

    let mut out: Vec<u8> = Vec::new();
    let written = download_file::download(&http, "Documents/report.pdf", &mut out)
        .await
        .expect("downloaded");
    assert_eq!(written, file.len() as u64);
    assert!(out == file);
    let at_storage = storage.received_requests().await.expect("recording");
    assert!(at_storage[0].headers.get("authorization").is_none());
}

/// The README's "Batches, delta rounds, uploads and downloads" section quotes these examples:
/// each function it shows is the example's, character for character (the batch example's quote
/// is checked by `generated/tests/patterns.rs`).
#[test]
fn the_readme_quotes_the_examples() {
    let readme = include_str!("../../README.md");
    let quotes = [
        (
            include_str!("../examples/delta_sync.rs"),
            "/// `GET /users/delta`",
            "/// One line per change",
        ),
        (
            include_str!("../examples/upload_large_file.rs"),
            "/// `POST /me/drive/root:/{item-path}:/createUploadSession`",
            "#[tokio::main]",
        ),
        (
            include_str!("../examples/download_file.rs"),
            "/// `GET /me/drive/root:/{item-path}:/content`",
            "#[tokio::main]",
        ),
    ];
    for (example, from, to) in quotes {
        let start = example.find(from).expect("the quoted part starts");
        let end = start + example[start..].find(to).expect("the quoted part ends");
        let quoted = example[start..end].trim_end();
        assert!(
            readme.contains(quoted),
            "README.md must quote, character for character:\n{quoted}"
        );
    }
}
