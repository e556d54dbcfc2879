//! Written by `cargo xtask examples` into the generated crate's `examples/check_calls/`: what
//! every example's call (`cases.rs`, emitted by the generator) is run with. A run serves the
//! example's response from a loopback mock, sends the call the docs show, and records what the
//! call put on the wire and what it made of the answer. The comparisons are xtask's: this side
//! only reports.

use std::future::Future;
use std::pin::Pin;

use graph_runtime::{
    Accepted, ByteStream, Change, DeltaPage, Page, Redirect, Request, ResponseKind,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One example's call, handed the harness of one run.
pub type Case = for<'h> fn(&'h mut Harness) -> Pin<Box<dyn Future<Output = ()> + Send + 'h>>;

/// One run of one case: the bodies to use (the docs', or the lint's repair of them).
#[derive(Debug, Deserialize)]
pub struct Run {
    pub case: usize,
    pub request_body: Option<String>,
    pub status: u16,
    pub response_body: Option<String>,
}

/// Where a redirect the mock answers with points: the mock itself, never the docs' host.
const REDIRECTED: &str = "/__redirected-content";
/// What the redirect's target serves.
const REDIRECTED_BYTES: &[u8] = b"the content behind the redirect";

pub struct Harness {
    run: Run,
    server: MockServer,
    record: Map<String, Value>,
}

impl Harness {
    pub async fn new(run: Run) -> Self {
        Harness {
            run,
            server: MockServer::start().await,
            record: Map::new(),
        }
    }

    /// The mock's base URL: the client's service root.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The request body the call sends: the example's, read into `T` (and written back, for
    /// the round trip). `None`, and the run ends, when it does not read; with no example body,
    /// `T` read from `{}`.
    pub fn request_body<T: DeserializeOwned + Serialize>(&mut self) -> Option<T> {
        let text = self.run.request_body.as_deref().unwrap_or("{}");
        match serde_json::from_str::<T>(text) {
            Ok(body) => {
                let written = serde_json::to_value(&body)
                    .unwrap_or_else(|error| json!({ "unwritable": error.to_string() }));
                self.record
                    .insert("request_body".into(), json!({ "read": written }));
                Some(body)
            }
            Err(error) => {
                self.record
                    .insert("request_body".into(), json!({ "error": error.to_string() }));
                None
            }
        }
    }

    /// What the built request will ask for, before it is sent.
    pub fn target<R, O>(&mut self, request: &Request<R, O>) {
        let path = match request.path().as_str() {
            Ok(path) => Value::String(path.to_string()),
            Err(error) => json!({ "error": error.to_string() }),
        };
        self.record.insert(
            "target".into(),
            json!({
                "method": request.method().as_str(),
                "path": path,
                "query": request.query_string(),
            }),
        );
    }

    /// Sends the call to the mock, which answers anything with the example's response, and
    /// records what arrived and the call's error, if any.
    pub async fn send<R: ResponseKind, O>(&mut self, request: Request<R, O>) -> Option<R::Output> {
        let mut answer = ResponseTemplate::new(self.run.status);
        if (300..400).contains(&self.run.status) {
            answer = answer.insert_header("Location", format!("{}{REDIRECTED}", self.uri()));
            Mock::given(method("GET"))
                .and(path(REDIRECTED))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_raw(REDIRECTED_BYTES.to_vec(), "application/octet-stream"),
                )
                .mount(&self.server)
                .await;
        }
        if let Some(body) = &self.run.response_body {
            let content_type = if serde_json::from_str::<Value>(body).is_ok() {
                "application/json"
            } else {
                "text/plain"
            };
            answer = answer.set_body_raw(body.clone().into_bytes(), content_type);
        }
        Mock::given(|_: &wiremock::Request| true)
            .respond_with(answer)
            .mount(&self.server)
            .await;
        let result = request.send().await;
        let received = self.server.received_requests().await.unwrap_or_default();
        let sent: Vec<Value> = received
            .iter()
            .filter(|request| request.url.path() != REDIRECTED)
            .map(|request| {
                let body = if request.body.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&request.body).unwrap_or_else(|_| {
                        json!({ "text": String::from_utf8_lossy(&request.body) })
                    })
                };
                json!({
                    "method": request.method.as_str(),
                    "path": request.url.path(),
                    "query": request.url.query().unwrap_or(""),
                    "body": body,
                })
            })
            .collect();
        self.record.insert("sent".into(), Value::Array(sent));
        match result {
            Ok(output) => Some(output),
            Err(error) => {
                // The cause chain: a decode error names the property.
                let mut message = error.to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    let text = cause.to_string();
                    if !message.contains(&text) {
                        message.push_str(": ");
                        message.push_str(&text);
                    }
                    source = cause.source();
                }
                self.record
                    .insert("error".into(), Value::String(message));
                None
            }
        }
    }

    /// A JSON result, as the call returns it.
    pub fn observe<T: Serialize>(&mut self, output: &T) {
        let value = serde_json::to_value(output)
            .unwrap_or_else(|error| json!({ "unwritable": error.to_string() }));
        self.record.insert("output".into(), value);
    }

    /// A page of a collection: its items, as the docs' `value`.
    pub fn observe_page<T: Serialize>(&mut self, page: &Page<T>) {
        let items = serde_json::to_value(&page.value)
            .unwrap_or_else(|error| json!({ "unwritable": error.to_string() }));
        self.record.insert("output".into(), json!({ "value": items }));
    }

    /// A delta page as the docs write it: changed objects as they are, removals as
    /// `{"id": …, "@removed": {"reason": …}}`.
    pub fn observe_delta<T: Serialize>(&mut self, page: &DeltaPage<T>) {
        let items: Vec<Value> = page
            .changes
            .iter()
            .map(|change| match change {
                Change::Updated(item) => serde_json::to_value(item)
                    .unwrap_or_else(|error| json!({ "unwritable": error.to_string() })),
                Change::Removed(removal) => {
                    let mut object = removal.properties.clone();
                    if let Some(id) = &removal.id {
                        object.insert("id".into(), json!(id));
                    }
                    object.insert("@removed".into(), json!({ "reason": removal.reason }));
                    Value::Object(object)
                }
            })
            .collect();
        self.record.insert("output".into(), json!({ "value": items }));
    }

    pub fn observe_nothing(&mut self, (): ()) {
        self.record.insert("output".into(), Value::Null);
    }

    pub fn observe_accepted(&mut self, accepted: &Accepted) {
        let body = accepted.body.clone().unwrap_or(Value::Null);
        self.record.insert("output".into(), body);
    }

    pub fn observe_redirect(&mut self, redirect: &Redirect) {
        self.record
            .insert("output".into(), json!({ "location": format!("{redirect:?}") }));
    }

    pub async fn observe_bytes(&mut self, stream: ByteStream) {
        let value = match stream.collect().await {
            Ok(bytes) => json!({ "bytes": bytes.len(), "redirected": bytes == REDIRECTED_BYTES }),
            Err(error) => json!({ "error": error.to_string() }),
        };
        self.record.insert("output".into(), value);
    }

    pub fn observe_count(&mut self, count: u64) {
        self.record.insert("output".into(), json!(count));
    }

    /// The run's record: one JSON line of the harness's output. The mock server is shut down
    /// on a blocking thread: its drop waits for the server, which must not hold up a runtime
    /// thread that other runs need.
    pub fn finish(mut self, number: usize) -> Value {
        self.record.insert("run".into(), json!(number));
        let server = self.server;
        tokio::task::spawn_blocking(move || drop(server));
        Value::Object(self.record)
    }
}
