//! Test servers shared by the runtime's wire tests.
#![allow(dead_code)] // each test target uses a part

use std::sync::{Arc, Mutex};

use graph_runtime::UPLOAD_CHUNK_UNIT;
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// The path of the upload URL on the upload host.
pub const UPLOAD_PATH: &str = "/up/fe6987415ace7X4e1eF866337";

/// A scripted failure of the `PUT` that starts at `offset`, the first time.
#[derive(Clone, Copy)]
pub enum Fault {
    /// Answer with this status (and `Retry-After`, if given) and drop the bytes.
    Status(u64, u16, Option<&'static str>),
    /// Keep the bytes but answer `500`, as when the answer is lost on the way.
    KeepThenFail(u64),
}

/// What the upload URL has seen and holds.
#[derive(Default)]
pub struct UploadState {
    /// The file size every `Content-Range` must name.
    pub total: u64,
    /// The bytes taken so far, in order.
    pub received: Vec<u8>,
    /// Every `Content-Range` of every `PUT`, in order.
    pub ranges: Vec<String>,
    /// Every request, as `METHOD` (the server's view of the conversation).
    pub calls: Vec<String>,
    /// Everything the server found wrong.
    pub violations: Vec<String>,
    /// Failures still to come.
    pub faults: Vec<Fault>,
    /// Whether the session was cancelled (`DELETE`).
    pub deleted: bool,
}

/// An upload URL: takes ranges in order, checks each one, answers like the
/// service (`202` with `nextExpectedRanges`, `201` with the item at the end,
/// `416` for a range it already has).
#[derive(Clone)]
pub struct UploadUrl(Arc<Mutex<UploadState>>);

impl UploadUrl {
    pub fn new(total: usize, faults: Vec<Fault>) -> Self {
        UploadUrl(Arc::new(Mutex::new(UploadState {
            total: total as u64,
            faults,
            ..UploadState::default()
        })))
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, UploadState> {
        self.0.lock().expect("lock")
    }
}

fn expecting(state: &UploadState) -> serde_json::Value {
    json!({
        "expirationDateTime": "2030-01-29T09:21:55.523Z",
        "nextExpectedRanges": [format!("{}-", state.received.len())]
    })
}

impl Respond for UploadUrl {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut guard = self.state();
        let state = &mut *guard;
        state.calls.push(request.method.to_string());
        if request.headers.get("authorization").is_some() {
            state
                .violations
                .push(format!("{} with Authorization", request.method));
        }
        match request.method.as_str() {
            "GET" => return ResponseTemplate::new(200).set_body_json(expecting(state)),
            "DELETE" => {
                state.deleted = true;
                return ResponseTemplate::new(204);
            }
            "PUT" => {}
            other => panic!("unexpected {other}"),
        }
        let range = request
            .headers
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        state.ranges.push(range.clone());
        let parsed = range
            .strip_prefix("bytes ")
            .and_then(|r| r.split_once('/'))
            .and_then(|(span, total)| {
                let (first, last) = span.split_once('-')?;
                Some((
                    first.parse::<u64>().ok()?,
                    last.parse::<u64>().ok()?,
                    total.parse::<u64>().ok()?,
                ))
            });
        let Some((first, last, total)) = parsed else {
            state
                .violations
                .push(format!("unreadable Content-Range {range:?}"));
            return ResponseTemplate::new(400);
        };
        let len = request.body.len() as u64;
        let content_length = request
            .headers
            .get("content-length")
            .and_then(|v| v.to_str().ok());
        if content_length != Some(len.to_string().as_str()) {
            state
                .violations
                .push(format!("Content-Length {content_length:?} for {len} bytes"));
        }
        if total != state.total || last + 1 - first != len || last >= total {
            state
                .violations
                .push(format!("{range} for {len} bytes of {}", state.total));
        }
        if !len.is_multiple_of(UPLOAD_CHUNK_UNIT) && last + 1 != total {
            state
                .violations
                .push(format!("{range}: not a multiple of 320 KiB"));
        }
        if first < state.received.len() as u64 {
            return ResponseTemplate::new(416)
                .set_body_json(json!({"error": {"code": "invalidRange"}}));
        }
        if first > state.received.len() as u64 {
            state
                .violations
                .push(format!("{range} skips bytes from {}", state.received.len()));
            return ResponseTemplate::new(400);
        }
        let fault = state.faults.iter().position(|fault| match fault {
            Fault::Status(at, ..) | Fault::KeepThenFail(at) => *at == first,
        });
        if let Some(fault) = fault.map(|index| state.faults.remove(index)) {
            match fault {
                Fault::Status(_, status, retry_after) => {
                    let template = ResponseTemplate::new(status);
                    return match retry_after {
                        Some(seconds) => template.insert_header("retry-after", seconds),
                        None => template,
                    };
                }
                Fault::KeepThenFail(_) => {
                    state.received.extend_from_slice(&request.body);
                    return ResponseTemplate::new(500);
                }
            }
        }
        state.received.extend_from_slice(&request.body);
        if state.received.len() as u64 == state.total {
            return ResponseTemplate::new(201).set_body_json(json!({
                "id": "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K", "name": "big.bin", "size": state.total
            }));
        }
        ResponseTemplate::new(202).set_body_json(expecting(state))
    }
}

pub async fn upload_server(url: &UploadUrl) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(UPLOAD_PATH))
        .respond_with(url.clone())
        .mount(&server)
        .await;
    server
}
