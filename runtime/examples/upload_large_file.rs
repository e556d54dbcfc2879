//! Uploads a local file into the signed-in user's OneDrive through an upload session, printing
//! progress. An interrupted upload keeps its session in `FILE.upload-session.json`; running the
//! same command again resumes it where the service says it stopped.
//!
//! ```sh
//! GRAPH_TOKEN=... cargo run -p graph-runtime --example upload_large_file -- ./backup.tar Backups/backup.tar
//! GRAPH_TOKEN=x GRAPH_BASE_URL=http://127.0.0.1:8080/v1.0 cargo run -p graph-runtime --example upload_large_file -- ./backup.tar Backups/backup.tar
//! ```

use std::process::ExitCode;

use graph_runtime::{
    Error, GRAPH_V1_BASE_URL, HttpClient, Json, Method, Request, RequestPath, SeekableSource,
    StaticToken, UPLOAD_CHUNK_UNIT, UploadProgress, UploadSession, UploadSource,
};
use serde::Deserialize;
use serde_json::json;

/// The driveItem properties this example reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DriveItem {
    pub id: String,
    pub name: String,
    pub size: u64,
}

/// Bytes per `PUT`: 10 × 320 KiB.
const CHUNK_SIZE: u64 = 10 * UPLOAD_CHUNK_UNIT;

/// `POST /me/drive/root:/{item-path}:/createUploadSession`, as the generated client builds it
/// (replacing a file of the same name).
pub fn create_upload_session(http: &HttpClient, item_path: &str) -> Request<Json<UploadSession>> {
    let path = RequestPath::root()
        .segment("me")
        .segment("drive")
        .segment("root")
        .item_path("item-path", item_path)
        .segment("createUploadSession");
    Request::new(http, Method::POST, path)
        .json_body(&json!({"item": {"@microsoft.graph.conflictBehavior": "replace"}}))
}

/// Uploads `source` to `item_path` in the signed-in user's OneDrive and returns the new item.
/// `saved` is the session of an earlier, interrupted run: the upload resumes where the service
/// says that run stopped. A failure comes back with the session to save for the next run.
pub async fn upload_file<S: UploadSource>(
    http: &HttpClient,
    item_path: &str,
    source: S,
    saved: Option<UploadSession>,
    progress: impl FnMut(UploadProgress) + Send + 'static,
) -> Result<DriveItem, (Error, Option<UploadSession>)> {
    let resuming = saved.is_some();
    let session = match saved {
        Some(session) => session,
        None => create_upload_session(http, item_path)
            .await
            .map_err(|error| (error, None))?,
    };
    let mut upload = session
        .upload(http, source)
        .chunk_size(CHUNK_SIZE)
        .on_progress(progress);
    let uploaded = if resuming {
        upload.resume().await
    } else {
        upload.send().await
    };
    uploaded.map_err(|error| (error, Some(upload.session().clone())))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(token), [local, item_path]) = (
        std::env::var("GRAPH_TOKEN")
            .ok()
            .filter(|token| !token.trim().is_empty()),
        args.as_slice(),
    ) else {
        eprintln!(
            "upload_large_file: usage: GRAPH_TOKEN=... upload_large_file LOCAL_FILE DRIVE_PATH \
             (GRAPH_BASE_URL picks another service root than {GRAPH_V1_BASE_URL})"
        );
        return ExitCode::from(2);
    };
    let base_url = std::env::var("GRAPH_BASE_URL").unwrap_or_else(|_| GRAPH_V1_BASE_URL.into());
    let http = match HttpClient::new(base_url, StaticToken::new(token)) {
        Ok(http) => http,
        Err(error) => {
            eprintln!("upload_large_file: {error}");
            return ExitCode::from(2);
        }
    };
    let file = match tokio::fs::File::open(local).await {
        Ok(file) => file,
        Err(error) => {
            eprintln!("upload_large_file: {local}: {error}");
            return ExitCode::from(2);
        }
    };
    let size = match file.metadata().await {
        Ok(metadata) => metadata.len(),
        Err(error) => {
            eprintln!("upload_large_file: {local}: {error}");
            return ExitCode::from(2);
        }
    };
    let state = format!("{local}.upload-session.json");
    let saved: Option<UploadSession> = std::fs::read_to_string(&state)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    if saved.is_some() {
        eprintln!("upload_large_file: resuming the upload saved in {state}");
    }

    let progress = |p: UploadProgress| eprintln!("{} of {} bytes", p.uploaded, p.total);
    let source = SeekableSource::new(file, size);
    match upload_file(&http, item_path, source, saved, progress).await {
        Ok(item) => {
            let _ = std::fs::remove_file(&state);
            println!("{}\t{}\t{} bytes", item.id, item.name, item.size);
            ExitCode::SUCCESS
        }
        Err((error, session)) => {
            eprintln!("upload_large_file: {error}");
            if let Some(session) = session {
                let text = serde_json::to_string(&session).expect("a session serialises");
                match std::fs::write(&state, text) {
                    Ok(()) => eprintln!("upload_large_file: run the same command again to resume"),
                    Err(error) => eprintln!("upload_large_file: cannot save {state}: {error}"),
                }
            }
            ExitCode::FAILURE
        }
    }
}
