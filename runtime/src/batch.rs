//! JSON batching: many [`Request`]s sent as `POST {base}/$batch`, each answer
//! decoded as its own request's response kind.
//!
//! The service takes at most 20 requests per batch, answers them in any
//! order, runs a batch either wholly in parallel or along its `dependsOn`
//! chain (it refuses a mix), answers a request whose dependency failed with
//! `424 Failed Dependency`, and throttles requests one by one (`429` with
//! `Retry-After` in the answer's own headers). [`Batch`] plans around all of
//! that: see [`Batch::send`].

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, PROXY_AUTHORIZATION,
};
use reqwest::{Method, StatusCode, Url};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::client::Prepared;
use crate::{
    ApiError, Base64Bytes, Error, HttpClient, Json, Request, RequestPath, ResponseKind, RetryPolicy,
};

/// The most requests the service takes in one batch.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Tells batches apart, so that a key is only used with its own batch.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

type Decoded = Box<dyn Any + Send>;
type DecodeFuture = Pin<Box<dyn Future<Output = Result<Decoded, Error>> + Send>>;

/// Reads an answer as the response kind `R` would read a direct response.
fn decode<R: ResponseKind>(response: reqwest::Response) -> DecodeFuture {
    Box::pin(async move {
        R::read(response)
            .await
            .map(|output| Box::new(output) as Decoded)
    })
}

/// Requests to send together through `$batch`; each answer comes back decoded
/// as its own request's response kind.
///
/// ```no_run
/// # async fn demo(http: graph_runtime::HttpClient) -> Result<(), graph_runtime::Error> {
/// use graph_runtime::{Batch, Json, Method, NoContent, Request, RequestPath};
///
/// let user = |id: &str| Request::<Json<serde_json::Value>>::new(
///     &http, Method::GET, RequestPath::root().segment("users").parameter("user-id", id));
/// let mut batch = Batch::new(&http);
/// let ada = batch.add(user("ada@contoso.com"));
/// let grace = batch.add(user("grace@contoso.com"));
/// // Runs only after `ada` succeeded; answered 424 otherwise.
/// let removed = batch.add_after(
///     Request::<NoContent>::new(&http, Method::DELETE, RequestPath::root().segment("users").parameter("user-id", "old")),
///     &[ada.id()],
/// );
/// let mut answers = batch.send().await;
/// let ada: serde_json::Value = answers.take(ada)?;
/// let grace = answers.take(grace);   // its own Result: one failure fails nothing else
/// answers.take(removed)?;
/// # let _ = (ada, grace); Ok(()) }
/// ```
pub struct Batch {
    http: HttpClient,
    id: u64,
    retry: Option<RetryPolicy>,
    entries: Vec<Entry>,
}

struct Entry {
    prepared: Result<Prepared, Error>,
    after: Vec<usize>,
    /// A dependency that is not an earlier request of this batch.
    foreign_dependency: bool,
    decode: fn(reqwest::Response) -> DecodeFuture,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("requests", &self.entries.len())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Names a request of a [`Batch`] without its type: for
/// [`Batch::add_after`] and [`BatchResponses::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchItemId {
    batch: u64,
    index: usize,
}

/// The typed handle of a request added to a [`Batch`]: takes its answer,
/// decoded, from the [`BatchResponses`] (once: taking consumes the key).
pub struct BatchKey<R> {
    id: BatchItemId,
    kind: PhantomData<fn() -> R>,
}

impl<R> BatchKey<R> {
    /// The untyped id of this request.
    pub fn id(&self) -> BatchItemId {
        self.id
    }
}

impl<R> fmt::Debug for BatchKey<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BatchKey").field(&self.id).finish()
    }
}

impl Batch {
    /// An empty batch sent through `http` (its base URL, token, retry policy
    /// and timeout).
    pub fn new(http: &HttpClient) -> Self {
        Batch {
            http: http.clone(),
            id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            retry: None,
            entries: Vec::new(),
        }
    }

    /// The retry policy for throttled requests inside the batch (default: the
    /// client's). `max_attempts` counts the sends of each request;
    /// `max_elapsed` is the time budget of the whole batch.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds `request` (any endpoint's request, options and headers set) and
    /// returns the key its answer is taken with.
    pub fn add<R: ResponseKind, O>(&mut self, request: Request<R, O>) -> BatchKey<R> {
        self.add_after(request, &[])
    }

    /// Adds `request` to run after `dependencies` (earlier requests of this
    /// batch) succeeded; if one fails, the service answers this one
    /// `424 Failed Dependency`.
    ///
    /// Requests linked this way are sent together, in a `$batch` of their
    /// own (the service runs a batch either wholly in parallel or along its
    /// chain), so such a group holds at most 20 requests. A dependency from
    /// another batch, or one added later, makes this request's answer an
    /// [`Error::Batch`].
    pub fn add_after<R: ResponseKind, O>(
        &mut self,
        request: Request<R, O>,
        dependencies: &[BatchItemId],
    ) -> BatchKey<R> {
        let index = self.entries.len();
        let (_, prepared) = request.into_parts();
        let foreign_dependency = dependencies
            .iter()
            .any(|id| id.batch != self.id || id.index >= index);
        let mut after: Vec<usize> = dependencies
            .iter()
            .filter(|id| id.batch == self.id && id.index < index)
            .map(|id| id.index)
            .collect();
        after.sort_unstable();
        after.dedup();
        self.entries.push(Entry {
            prepared,
            after,
            foreign_dependency,
            decode: decode::<R>,
        });
        BatchKey {
            id: BatchItemId {
                batch: self.id,
                index,
            },
            kind: PhantomData,
        }
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sends every request and decodes every answer; never fails as a whole.
    ///
    /// - Requests without dependencies go 20 to a `$batch`, in the order they
    ///   were added; each group linked by [`add_after`](Batch::add_after)
    ///   goes in a `$batch` of its own.
    /// - The `$batch` requests carry the bearer token; the requests inside
    ///   carry only their own headers (an `Authorization` header set on one
    ///   is dropped) and their bodies (JSON as JSON, anything else base64).
    /// - A request answered `429`, `503` or `504` is sent again, in a later
    ///   `$batch`, after its own `Retry-After` (or a backoff), as the retry
    ///   policy allows ([`Batch::retry`]; a `POST` only when the service sent
    ///   `Retry-After`), together with the requests that failed `424` only
    ///   because of it. No wait starts that would end past the policy's
    ///   `max_elapsed`, measured from the start of `send`.
    /// - Each answer is read by its request's response kind, as a direct
    ///   response would be (an error status is that request's [`Error::Api`];
    ///   a body the service base64-encoded, as it does non-JSON bodies, is
    ///   decoded first). Redirects are not followed inside a batch.
    /// - A `$batch` request that fails (after the client's own retries) is
    ///   every request's [`Error::Batch`] in it, with the failure as source.
    pub async fn send(self) -> BatchResponses {
        let policy = self.retry.unwrap_or(*self.http.retry_policy());
        let mut run = Run::new(&self.http, self.entries);
        let start = Instant::now();
        let mut due: Vec<usize> = (0..run.items.len())
            .filter(|&index| matches!(run.items[index].state, State::Pending))
            .collect();
        let mut waiting: Vec<(Instant, Vec<usize>)> = Vec::new();
        loop {
            if !due.is_empty() {
                for batch in run.plan(&due) {
                    run.post(&self.http, &batch).await;
                }
                waiting.extend(run.retries(&due, &policy, start.elapsed()));
                due.clear();
            }
            let Some(ready) = waiting.iter().map(|(at, _)| *at).min() else {
                break;
            };
            tokio::time::sleep_until(ready.into()).await;
            let now = Instant::now();
            waiting.retain(|(at, items)| {
                if *at <= now {
                    due.extend(items);
                    false
                } else {
                    true
                }
            });
            due.sort_unstable();
        }
        run.finish(self.id).await
    }
}

/// One request of a batch while it is sent.
struct Item {
    /// What goes into the `requests` array, but `id` and `dependsOn`.
    wire: Option<WireParts>,
    method: Method,
    after: Vec<usize>,
    /// The connected group of `dependsOn` links this request belongs to.
    group: usize,
    sends: u32,
    state: State,
    decode: fn(reqwest::Response) -> DecodeFuture,
}

enum State {
    Pending,
    Answered(Answer),
    Failed(Error),
}

/// One answer of a `$batch` response, as an HTTP response.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Answer {
    fn succeeded(&self) -> bool {
        self.status.is_success()
    }
}

struct WireParts {
    method: String,
    url: String,
    headers: serde_json::Map<String, serde_json::Value>,
    body: Option<Box<RawValue>>,
}

#[derive(Serialize)]
struct WireBatch<'a> {
    requests: Vec<WireRequest<'a>>,
}

#[derive(Serialize)]
struct WireRequest<'a> {
    id: String,
    method: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    headers: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a RawValue>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

#[derive(Deserialize)]
struct WireResponses {
    responses: Vec<WireAnswer>,
}

#[derive(Deserialize)]
struct WireAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    body: Option<Box<RawValue>>,
}

/// The wire id of request `index`: its 1-based position in the batch.
fn wire_id(index: usize) -> String {
    (index + 1).to_string()
}

struct Run {
    items: Vec<Item>,
    batches_sent: usize,
}

impl Run {
    fn new(http: &HttpClient, entries: Vec<Entry>) -> Run {
        let groups = groups(&entries);
        let mut items: Vec<Item> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.into_iter().enumerate() {
            let method = entry
                .prepared
                .as_ref()
                .map(|p| p.method.clone())
                .unwrap_or(Method::GET);
            let (wire, unsendable) = match entry.prepared.and_then(|p| wire_parts(http, p)) {
                Ok(wire) => (Some(wire), None),
                Err(error) => (None, Some(error)),
            };
            let failure = if entry.foreign_dependency {
                Some(Error::Batch {
                    reason: format!(
                        "request {} depends on a request that is not an earlier one of its batch",
                        wire_id(index)
                    ),
                    source: None,
                })
            } else {
                unsendable.or_else(|| {
                    let dependency = entry
                        .after
                        .iter()
                        .find(|&&dependency| matches!(items[dependency].state, State::Failed(_)))?;
                    Some(Error::Batch {
                        reason: format!(
                            "request {} depends on request {}, which could not be sent",
                            wire_id(index),
                            wire_id(*dependency)
                        ),
                        source: None,
                    })
                })
            };
            items.push(Item {
                wire,
                method,
                after: entry.after,
                group: groups[index],
                sends: 0,
                state: failure.map_or(State::Pending, State::Failed),
                decode: entry.decode,
            });
        }
        Run {
            items,
            batches_sent: 0,
        }
    }

    /// Splits the `due` requests into `$batch` requests: those linked to no
    /// other due request 20 at a time, each linked group on its own. A group
    /// too big for one batch fails here.
    fn plan(&mut self, due: &[usize]) -> Vec<Vec<usize>> {
        let linked_groups: Vec<usize> = due
            .iter()
            .filter(|&&index| {
                self.items[index]
                    .after
                    .iter()
                    .any(|dependency| due.contains(dependency))
            })
            .map(|&index| self.items[index].group)
            .collect();
        let mut parallel: Vec<usize> = Vec::new();
        let mut linked: Vec<(usize, Vec<usize>)> = Vec::new();
        for &index in due {
            let group = self.items[index].group;
            if !linked_groups.contains(&group) {
                parallel.push(index);
                continue;
            }
            match linked.iter_mut().find(|(g, _)| *g == group) {
                Some((_, members)) => members.push(index),
                None => linked.push((group, vec![index])),
            }
        }
        let mut batches: Vec<Vec<usize>> = parallel
            .chunks(MAX_BATCH_REQUESTS)
            .map(<[usize]>::to_vec)
            .collect();
        for (_, members) in linked {
            if members.len() <= MAX_BATCH_REQUESTS {
                batches.push(members);
                continue;
            }
            let count = members.len();
            for index in members {
                self.items[index].state = State::Failed(Error::Batch {
                    reason: format!(
                        "request {} is one of {count} requests linked by dependencies; \
                         one batch holds at most {MAX_BATCH_REQUESTS}",
                        wire_id(index)
                    ),
                    source: None,
                });
            }
        }
        // In the order the requests were added.
        batches.sort_by_key(|batch| batch[0]);
        batches
    }

    /// Sends one `$batch` request and records each of its requests' answers.
    async fn post(&mut self, http: &HttpClient, batch: &[usize]) {
        let requests: Vec<WireRequest<'_>> = batch
            .iter()
            .filter_map(|&index| {
                let wire = self.items[index].wire.as_ref()?;
                Some(WireRequest {
                    id: wire_id(index),
                    method: &wire.method,
                    url: &wire.url,
                    headers: &wire.headers,
                    body: wire.body.as_deref(),
                    depends_on: self.items[index]
                        .after
                        .iter()
                        .filter(|dependency| batch.contains(dependency))
                        .map(|&dependency| wire_id(dependency))
                        .collect(),
                })
            })
            .collect();
        let outcome = Request::<Json<WireResponses>>::new(
            http,
            Method::POST,
            RequestPath::root().segment("$batch"),
        )
        .json_body(&WireBatch { requests })
        .await;
        self.batches_sent += 1;
        for &index in batch {
            self.items[index].sends += 1;
        }

        let responses = match outcome {
            Ok(responses) => responses.responses,
            Err(error) => {
                let shared = Arc::new(error);
                for &index in batch {
                    self.items[index].state = State::Failed(Error::Batch {
                        reason: format!(
                            "the $batch request carrying request {} failed",
                            wire_id(index)
                        ),
                        source: Some(Arc::clone(&shared)),
                    });
                }
                return;
            }
        };
        let by_id: HashMap<String, usize> =
            batch.iter().map(|&index| (wire_id(index), index)).collect();
        let mut answered = Vec::with_capacity(batch.len());
        for answer in responses {
            let Some(&index) = by_id.get(&answer.id) else {
                continue;
            };
            answered.push(index);
            self.items[index].state = match read_answer(answer) {
                Ok(answer) => State::Answered(answer),
                Err(error) => State::Failed(error),
            };
        }
        for &index in batch {
            if !answered.contains(&index) {
                self.items[index].state = State::Failed(Error::Batch {
                    reason: format!(
                        "the $batch response has no answer for request {}",
                        wire_id(index)
                    ),
                    source: None,
                });
            }
        }
    }

    /// Which of the just-answered `due` requests are sent again, and when:
    /// those the policy retries, with their dependents that failed `424`
    /// only because of them; a linked group waits for its longest delay.
    fn retries(
        &mut self,
        due: &[usize],
        policy: &RetryPolicy,
        elapsed: Duration,
    ) -> Vec<(Instant, Vec<usize>)> {
        let mut again: Vec<(usize, Duration)> = Vec::new();
        for &index in due {
            let item = &self.items[index];
            let State::Answered(answer) = &item.state else {
                continue;
            };
            if answer.succeeded() {
                continue;
            }
            let error = ApiError::from_parts(answer.status, &answer.headers, &answer.body);
            if let Some(delay) = policy.delay(&item.method, &error, item.sends, elapsed) {
                again.push((index, delay));
            }
        }
        for &index in due {
            let item = &self.items[index];
            let State::Answered(answer) = &item.state else {
                continue;
            };
            if answer.status != StatusCode::FAILED_DEPENDENCY {
                continue;
            }
            let mut blamed = false;
            let cleared = item.after.iter().all(|dependency| {
                if again.iter().any(|(i, _)| i == dependency) {
                    blamed = true;
                    return true;
                }
                matches!(&self.items[*dependency].state, State::Answered(a) if a.succeeded())
            });
            if cleared && blamed {
                again.push((index, Duration::ZERO));
            }
        }

        let now = Instant::now();
        let mut by_group: Vec<(usize, Duration, Vec<usize>)> = Vec::new();
        for (index, delay) in again {
            self.items[index].state = State::Pending;
            let group = self.items[index].group;
            match by_group.iter_mut().find(|(g, _, _)| *g == group) {
                Some((_, longest, members)) => {
                    *longest = (*longest).max(delay);
                    members.push(index);
                }
                None => by_group.push((group, delay, vec![index])),
            }
        }
        by_group
            .into_iter()
            .map(|(_, delay, mut members)| {
                members.sort_unstable();
                (now + delay, members)
            })
            .collect()
    }

    /// Decodes every answer with its request's response kind.
    async fn finish(self, batch: u64) -> BatchResponses {
        let mut outcomes = Vec::with_capacity(self.items.len());
        for item in self.items {
            let outcome = match item.state {
                State::Answered(answer) => {
                    let status = answer.status;
                    Outcome {
                        status: Some(status),
                        sends: item.sends,
                        result: Some((item.decode)(answer.into_response()).await),
                    }
                }
                State::Failed(error) => Outcome {
                    status: None,
                    sends: item.sends,
                    result: Some(Err(error)),
                },
                // Every pending request is sent before `send` ends.
                State::Pending => Outcome {
                    status: None,
                    sends: item.sends,
                    result: Some(Err(Error::Batch {
                        reason: "the request was not sent".to_owned(),
                        source: None,
                    })),
                },
            };
            outcomes.push(outcome);
        }
        BatchResponses {
            batch,
            outcomes,
            batches_sent: self.batches_sent,
        }
    }
}

impl Answer {
    fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(reqwest::Body::from(self.body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

/// Gives each request the smallest index of the requests it is linked to by
/// dependencies, directly or not (a union-find over `after`).
fn groups(entries: &[Entry]) -> Vec<usize> {
    fn root(parent: &mut [usize], mut index: usize) -> usize {
        while parent[index] != index {
            parent[index] = parent[parent[index]];
            index = parent[index];
        }
        index
    }
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    for (index, entry) in entries.iter().enumerate() {
        for &dependency in &entry.after {
            let (a, b) = (root(&mut parent, index), root(&mut parent, dependency));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..entries.len())
        .map(|index| root(&mut parent, index))
        .collect()
}

/// The `requests` entry of a prepared request, but `id` and `dependsOn`.
fn wire_parts(http: &HttpClient, prepared: Prepared) -> Result<WireParts, Error> {
    if prepared.streamed.is_some() {
        return Err(Error::Batch {
            reason: "a request with a streamed body cannot be batched".to_owned(),
            source: None,
        });
    }
    let url = relative_url(http, &prepared.url)?;
    let mut headers = serde_json::Map::new();
    for (name, value) in &prepared.headers {
        // The token travels on the `$batch` request only.
        if [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(name) {
            continue;
        }
        let value = value.to_str().map_err(|_| Error::InvalidHeader {
            name: name.to_string(),
            reason: "a batched request's header values must be text",
        })?;
        match headers.get_mut(name.as_str()) {
            Some(serde_json::Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                headers.insert(name.to_string(), value.into());
            }
        }
    }
    let body = match prepared.body {
        None => None,
        Some((content_type, bytes)) => {
            let text = content_type.to_str().unwrap_or("application/octet-stream");
            headers.insert("content-type".to_owned(), text.into());
            let json = is_json(text)
                .then(|| String::from_utf8(bytes.to_vec()).ok())
                .flatten()
                .and_then(|text| RawValue::from_string(text).ok());
            let body = match json {
                Some(json) => json,
                None => serde_json::value::to_raw_value(&Base64Bytes(bytes.to_vec()))
                    .map_err(|e| Error::Encode(Arc::new(e)))?,
            };
            Some(body)
        }
    };
    Ok(WireParts {
        method: prepared.method.as_str().to_owned(),
        url,
        headers,
        body,
    })
}

/// `url` relative to the base URL (`/users/1?$select=id`), as `$batch`
/// requests name their target.
fn relative_url(http: &HttpClient, url: &Url) -> Result<String, Error> {
    let base = Url::parse(http.base_url()).map_err(|e| Error::InvalidUrl {
        url: http.base_url().to_owned(),
        reason: e.to_string(),
    })?;
    let base_path = base.path().trim_end_matches('/');
    let path = url
        .path()
        .strip_prefix(base_path)
        .filter(|rest| rest.starts_with('/') && url.origin() == base.origin())
        .ok_or_else(|| Error::InvalidUrl {
            url: url.to_string(),
            reason: "a batched request must be for the batch's own client and base URL".to_owned(),
        })?;
    Ok(match url.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    })
}

/// Whether a content type is JSON (`application/json`, `…+json`, with or
/// without parameters).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// One entry of the `responses` array as an HTTP answer.
fn read_answer(answer: WireAnswer) -> Result<Answer, Error> {
    let status = StatusCode::from_u16(answer.status)
        .map_err(|e| Error::decode(StatusCode::OK, answer.status.to_string().as_bytes(), e))?;
    let mut headers = HeaderMap::new();
    for (name, value) in answer.headers.unwrap_or_default() {
        let text = match value {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::try_from(text),
        ) {
            headers.append(name, value);
        }
    }
    let body = match answer.body {
        None => bytes::Bytes::new(),
        Some(raw) => answer_body(&raw, &headers),
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// The bytes of an answer's body: JSON as it is, and a string the service
/// base64-encoded (any body that is not JSON) decoded.
fn answer_body(raw: &RawValue, headers: &HeaderMap) -> bytes::Bytes {
    let text = raw.get();
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if let Some(content_type) = content_type
        && !is_json(content_type)
        && let Ok(string) = serde_json::from_str::<String>(text)
    {
        return match Base64Bytes::from_str(&string) {
            Ok(bytes) => bytes.into_inner().into(),
            // Not base64 after all: the text itself.
            Err(_) => string.into_bytes().into(),
        };
    }
    bytes::Bytes::copy_from_slice(text.as_bytes())
}

struct Outcome {
    status: Option<StatusCode>,
    sends: u32,
    /// `None` once taken.
    result: Option<Result<Decoded, Error>>,
}

/// The answers of a sent [`Batch`], one per request, taken with the request's
/// [`BatchKey`].
pub struct BatchResponses {
    batch: u64,
    outcomes: Vec<Outcome>,
    batches_sent: usize,
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let statuses: Vec<Option<u16>> = self
            .outcomes
            .iter()
            .map(|outcome| outcome.status.map(|s| s.as_u16()))
            .collect();
        f.debug_struct("BatchResponses")
            .field("statuses", &statuses)
            .field("batches_sent", &self.batches_sent)
            .finish_non_exhaustive()
    }
}

impl BatchResponses {
    /// The answer to `key`'s request, decoded as its response kind would
    /// decode a direct response (or why it has none).
    pub fn take<R: ResponseKind>(&mut self, key: BatchKey<R>) -> Result<R::Output, Error> {
        let outcome = self.outcome_mut(key.id)?;
        let result = outcome.result.take().ok_or_else(|| Error::Batch {
            reason: "this answer was already taken".to_owned(),
            source: None,
        })?;
        result.map(|decoded| {
            *decoded
                .downcast::<R::Output>()
                .unwrap_or_else(|_| unreachable!("a key's kind is its request's kind"))
        })
    }

    /// The HTTP status the service last answered the request with; `None` if
    /// it has no answer of its own.
    pub fn status(&self, id: BatchItemId) -> Option<StatusCode> {
        self.outcome(id).ok()?.status
    }

    /// How many times the request was sent (more than once when throttled).
    pub fn sends(&self, id: BatchItemId) -> u32 {
        self.outcome(id).map_or(0, |outcome| outcome.sends)
    }

    /// How many `$batch` requests the batch took.
    pub fn batches_sent(&self) -> usize {
        self.batches_sent
    }

    /// How many requests the batch held.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether the batch held no request.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    fn outcome(&self, id: BatchItemId) -> Result<&Outcome, Error> {
        match self.outcomes.get(id.index) {
            Some(outcome) if id.batch == self.batch => Ok(outcome),
            _ => Err(foreign_key()),
        }
    }

    fn outcome_mut(&mut self, id: BatchItemId) -> Result<&mut Outcome, Error> {
        match self.outcomes.get_mut(id.index) {
            Some(outcome) if id.batch == self.batch => Ok(outcome),
            _ => Err(foreign_key()),
        }
    }
}

fn foreign_key() -> Error {
    Error::Batch {
        reason: "the key belongs to another batch".to_owned(),
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_types_that_are_json() {
        for json in [
            "application/json",
            "application/json; odata.metadata=minimal; charset=utf-8",
            "Application/JSON",
            "application/problem+json",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in [
            "text/plain",
            "application/octet-stream",
            "image/png",
            "",
            "json",
        ] {
            assert!(!is_json(other), "{other}");
        }
    }

    #[test]
    fn answer_bodies_are_json_or_decoded_base64() {
        let headers = |content_type: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_str(content_type).expect("header"),
            );
            headers
        };
        let raw = |value: serde_json::Value| serde_json::value::to_raw_value(&value).expect("raw");
        assert_eq!(
            answer_body(&raw(json!({"id": "1"})), &headers("application/json")),
            br#"{"id":"1"}"#[..]
        );
        assert_eq!(
            answer_body(
                &raw(json!("aGVsbG8=")),
                &headers("application/octet-stream")
            ),
            b"hello"[..]
        );
        assert_eq!(
            answer_body(&raw(json!("aGVsbG8")), &headers("text/plain")),
            b"hello"[..],
            "unpadded base64"
        );
        assert_eq!(
            answer_body(&raw(json!("not base64!")), &headers("text/plain")),
            b"not base64!"[..]
        );
        assert_eq!(
            answer_body(&raw(json!("a JSON string")), &headers("application/json")),
            br#""a JSON string""#[..]
        );
        assert_eq!(
            answer_body(&raw(json!("x")), &HeaderMap::new()),
            br#""x""#[..]
        );
    }

    #[test]
    fn groups_follow_dependencies_transitively() {
        let entry = |after: Vec<usize>| Entry {
            prepared: Err(Error::Timeout(Duration::ZERO)),
            after,
            foreign_dependency: false,
            decode: decode::<crate::NoContent>,
        };
        let entries = vec![
            entry(vec![]),
            entry(vec![]),
            entry(vec![1]),
            entry(vec![]),
            entry(vec![2]),
            entry(vec![3, 0]),
        ];
        assert_eq!(groups(&entries), [0, 1, 1, 0, 1, 0]);
    }
}
