//! Uploads: large files through an upload session ([`UploadSession`],
//! [`LargeFileUpload`]) and streamed bodies for small ones
//! ([`Request::stream_body`](crate::Request::stream_body)).
//!
//! An upload session (the answer of `createUploadSession`) is a
//! pre-authenticated URL that takes the file in byte ranges: `PUT`s of at most
//! 60 MiB in multiples of 320 KiB, each with `Content-Range`, in order, and no
//! `Authorization` header (the service may answer one with `401`). The service
//! answers `202 Accepted` with the ranges it still expects, and the created
//! item (`200`/`201`) after the last byte.

use std::fmt;
use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use futures_core::Stream;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};

use crate::response::decode_json;
use crate::{ApiError, BoxError, Error, HttpClient};

/// Upload chunks are multiples of this: 320 KiB (327,680 bytes), as the
/// service requires.
pub const UPLOAD_CHUNK_UNIT: u64 = 320 * 1024;

/// The default chunk: 5 MiB (16 units).
const DEFAULT_CHUNK_SIZE: u64 = 16 * UPLOAD_CHUNK_UNIT;

/// The largest chunk: 191 units, under the service's 60 MiB per request.
const MAX_CHUNK_SIZE: u64 = 191 * UPLOAD_CHUNK_UNIT;

/// A request body read from a stream by
/// [`Request::stream_body`](crate::Request::stream_body): it can be sent once.
#[derive(Clone)]
pub(crate) struct StreamedBody {
    body: Arc<Mutex<Option<reqwest::Body>>>,
    length: Option<u64>,
}

impl StreamedBody {
    pub(crate) fn new<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<bytes::Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        StreamedBody {
            body: Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream)))),
            length,
        }
    }

    /// Puts the stream (and its `Content-Length`, if known) on `request`.
    pub(crate) fn attach(
        &self,
        request: reqwest::RequestBuilder,
        headers: &mut HeaderMap,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let body = self
            .body
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| {
                Error::UploadSource(io::Error::other(
                    "a streamed body can be sent once, and this request's was already sent",
                ))
            })?;
        if let Some(length) = self.length {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        Ok(request.body(body))
    }
}

impl fmt::Debug for StreamedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamedBody")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// An upload session: the answer of `createUploadSession` (drive items,
/// message and event attachments, print documents).
///
/// It is the session's whole state, so it can be stored (it is `Serialize`)
/// and an interrupted upload resumed from it later, even by another process,
/// with [`LargeFileUpload::resume`].
///
/// ```
/// use graph_runtime::UploadSession;
///
/// let session: UploadSession = serde_json::from_str(r#"{
///     "uploadUrl": "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337",
///     "expirationDateTime": "2015-01-29T09:21:55.523Z",
///     "nextExpectedRanges": ["0-"]
/// }"#).unwrap();
/// assert_eq!(session.next_offset(), Some(0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadSession {
    /// The pre-authenticated URL the byte ranges are `PUT` to.
    pub upload_url: String,
    /// When the session ends; the whole file must be uploaded before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<DateTime<FixedOffset>>,
    /// The byte ranges the service has not received yet (`"26-"`,
    /// `"12345-55232"`, or for attachments just the start, `"26"`).
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub next_expected_ranges: Vec<String>,
}

/// The answer to a byte range or a status request: the session without its URL.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionStatus {
    #[serde(default)]
    expiration_date_time: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "null_as_empty")]
    next_expected_ranges: Vec<String>,
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default())
}

impl UploadSession {
    /// A session known only by its upload URL (the service says where to
    /// start on [`LargeFileUpload::resume`]).
    pub fn new(upload_url: impl Into<String>) -> Self {
        UploadSession {
            upload_url: upload_url.into(),
            expiration_date_time: None,
            next_expected_ranges: Vec::new(),
        }
    }

    /// Where the first range the service expects starts, if it expects any.
    pub fn next_offset(&self) -> Option<u64> {
        next_offset(&self.next_expected_ranges)
    }

    /// An upload of `source` into this session, through `http`'s reqwest
    /// client, retry policy and timeout (never its token).
    pub fn upload<S: UploadSource>(self, http: &HttpClient, source: S) -> LargeFileUpload<S> {
        LargeFileUpload {
            http: http.clone(),
            session: self,
            source,
            chunk_size: DEFAULT_CHUNK_SIZE,
            progress: None,
        }
    }

    /// Asks the service which ranges it still expects (`GET` on the upload
    /// URL, without a token) and returns the session brought up to date.
    pub async fn status(&self, http: &HttpClient) -> Result<UploadSession, Error> {
        let (status, _, body) = self.call(http, Method::GET).await?;
        let answer: SessionStatus = decode_json(status, &body)?;
        let mut session = self.clone();
        session.update(answer);
        Ok(session)
    }

    /// Ends the session and discards what was uploaded (`DELETE` on the
    /// upload URL, without a token). To stop an upload in progress, drop its
    /// future first.
    pub async fn cancel(&self, http: &HttpClient) -> Result<(), Error> {
        self.call(http, Method::DELETE).await.map(drop)
    }

    fn update(&mut self, answer: SessionStatus) {
        if answer.expiration_date_time.is_some() {
            self.expiration_date_time = answer.expiration_date_time;
        }
        self.next_expected_ranges = answer.next_expected_ranges;
    }

    fn url(&self) -> Result<Url, Error> {
        let invalid = |reason: String| Error::InvalidUrl {
            url: self.upload_url.clone(),
            reason,
        };
        let url = Url::parse(&self.upload_url).map_err(|e| invalid(e.to_string()))?;
        match url.scheme() {
            "http" | "https" => Ok(url),
            _ => Err(invalid("an upload URL must use http or https".to_owned())),
        }
    }

    /// A body-less call to the upload URL; non-2xx answers are errors.
    async fn call(
        &self,
        http: &HttpClient,
        method: Method,
    ) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
        let request = http.reqwest_client().request(method, self.url()?);
        let (status, headers, body) = exchange(http, request).await?;
        if !status.is_success() {
            return Err(ApiError::from_parts(status, &headers, &body).into());
        }
        Ok((status, headers, body))
    }
}

/// The start of the first range in `ranges` (`"26-"`, `"26-99"` or `"26"`).
fn next_offset(ranges: &[String]) -> Option<u64> {
    let first = ranges.first()?;
    let start = first.split('-').next().unwrap_or_default();
    start.trim().parse().ok()
}

/// Sends `request` (under the client's per-attempt timeout) and reads the
/// whole answer, whatever its status.
async fn exchange(
    http: &HttpClient,
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
    let exchange = async move {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok((status, headers, body))
    };
    match http.timeout() {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or(Err(Error::Timeout(limit))),
        None => exchange.await,
    }
}

/// Where an upload's bytes come from: random access, so that an interrupted
/// upload can restart at whatever offset the service expects.
///
/// Implemented for in-memory bytes (`bytes::Bytes`, `Vec<u8>`) and, through
/// [`SeekableSource`], for any `AsyncRead + AsyncSeek` such as a
/// `tokio::fs::File`.
pub trait UploadSource: Send {
    /// The total size in bytes.
    fn size(&self) -> u64;

    /// `len` bytes starting at `offset` (the range is always within
    /// [`size`](UploadSource::size)).
    fn read_range(
        &mut self,
        offset: u64,
        len: usize,
    ) -> impl Future<Output = io::Result<bytes::Bytes>> + Send;
}

impl UploadSource for bytes::Bytes {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    async fn read_range(&mut self, offset: u64, len: usize) -> io::Result<bytes::Bytes> {
        let range = in_memory_range(self.len(), offset, len)?;
        Ok(self.slice(range))
    }
}

impl UploadSource for Vec<u8> {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    async fn read_range(&mut self, offset: u64, len: usize) -> io::Result<bytes::Bytes> {
        let range = in_memory_range(self.len(), offset, len)?;
        Ok(bytes::Bytes::copy_from_slice(&self[range]))
    }
}

fn in_memory_range(size: usize, offset: u64, len: usize) -> io::Result<std::ops::Range<usize>> {
    usize::try_from(offset)
        .ok()
        .and_then(|start| Some(start..start.checked_add(len)?))
        .filter(|range| range.end <= size)
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "range past the end"))
}

/// An [`UploadSource`] over a seekable reader of known size, e.g.
/// `SeekableSource::new(tokio::fs::File::open(path).await?, size)`.
#[derive(Debug)]
pub struct SeekableSource<R> {
    reader: R,
    size: u64,
}

impl<R: AsyncRead + AsyncSeek + Unpin + Send> SeekableSource<R> {
    /// Reads `size` bytes from `reader`, seeking to each range.
    pub fn new(reader: R, size: u64) -> Self {
        SeekableSource { reader, size }
    }
}

impl<R: AsyncRead + AsyncSeek + Unpin + Send> UploadSource for SeekableSource<R> {
    fn size(&self) -> u64 {
        self.size
    }

    async fn read_range(&mut self, offset: u64, len: usize) -> io::Result<bytes::Bytes> {
        self.reader.seek(io::SeekFrom::Start(offset)).await?;
        let mut buffer = vec![0; len];
        self.reader.read_exact(&mut buffer).await?;
        Ok(buffer.into())
    }
}

/// How far an upload is: reported after every byte range the service took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes the service has (the start of the next range it expects).
    pub uploaded: u64,
    /// The file's size.
    pub total: u64,
}

type ProgressFn = Box<dyn FnMut(UploadProgress) + Send>;

/// An upload of a file into an [`UploadSession`]; from
/// [`UploadSession::upload`].
///
/// [`send`](LargeFileUpload::send) uploads the file one chunk after the other
/// (`PUT` with `Content-Range: bytes {first}-{last}/{size}`, no
/// `Authorization`) from where the session says the service expects bytes,
/// and decodes the service's final answer (the created item). A failed chunk
/// is retried within the client's [`RetryPolicy`](crate::RetryPolicy)
/// (attempts per chunk, time budget per chunk):
///
/// - `429`, `503`, `504`: the same chunk after `Retry-After` (or backoff);
/// - other `5xx`, network errors and timeouts: after a backoff, from where the
///   service says it expects bytes (it drops a range it did not take whole);
/// - `416 Range Not Satisfiable` (the range was already received): from where
///   the service expects bytes, at once.
///
/// Any other error ends `send`, and so does running out of attempts; the
/// session (see [`session`](LargeFileUpload::session)) then still holds the
/// upload: [`resume`](LargeFileUpload::resume) continues it, now or from a
/// stored copy of the session in another process. To cancel, drop the future
/// and call [`cancel`](LargeFileUpload::cancel).
pub struct LargeFileUpload<S> {
    http: HttpClient,
    session: UploadSession,
    source: S,
    chunk_size: u64,
    progress: Option<ProgressFn>,
}

impl<S> fmt::Debug for LargeFileUpload<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LargeFileUpload")
            .field("session", &self.session)
            .field("chunk_size", &self.chunk_size)
            .finish_non_exhaustive()
    }
}

/// A byte range the service took.
enum ChunkAnswer {
    /// More to send; the service's expectations.
    Accepted(SessionStatus),
    /// The upload is complete: the answer's status and body (the item).
    Completed(StatusCode, bytes::Bytes),
}

impl<S: UploadSource> LargeFileUpload<S> {
    /// Bytes per `PUT` (default 5 MiB), rounded down to a multiple of
    /// [`UPLOAD_CHUNK_UNIT`] and kept between one unit and 191 units (the
    /// service takes at most 60 MiB per request).
    pub fn chunk_size(mut self, bytes: u64) -> Self {
        self.chunk_size = (bytes / UPLOAD_CHUNK_UNIT * UPLOAD_CHUNK_UNIT)
            .clamp(UPLOAD_CHUNK_UNIT, MAX_CHUNK_SIZE);
        self
    }

    /// Calls `progress` after every range the service took.
    pub fn on_progress(mut self, progress: impl FnMut(UploadProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// The session as the service last described it: store it to resume the
    /// upload later.
    pub fn session(&self) -> &UploadSession {
        &self.session
    }

    /// The chunk size in use.
    pub fn current_chunk_size(&self) -> u64 {
        self.chunk_size
    }

    /// Uploads the file from where the session says the service expects
    /// bytes (the start, for a new session) and decodes the final answer as
    /// `T` (an empty final body decodes as JSON `null`: use `Option<_>` where
    /// the service sends none, as for attachments).
    pub async fn send<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let offset = self.session.next_offset().unwrap_or(0);
        self.upload_from(offset).await
    }

    /// Asks the service where it expects bytes (it keeps the ranges it
    /// received whole), then uploads the rest as [`send`](Self::send) does.
    pub async fn resume<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        self.session = self.session.status(&self.http).await?;
        match self.session.next_offset() {
            Some(offset) => self.upload_from(offset).await,
            None => Err(nothing_expected()),
        }
    }

    /// Ends the session on the service, discarding what was uploaded.
    pub async fn cancel(self) -> Result<(), Error> {
        self.session.cancel(&self.http).await
    }

    async fn upload_from<T: DeserializeOwned>(&mut self, mut offset: u64) -> Result<T, Error> {
        let total = self.source.size();
        if total == 0 {
            return Err(Error::UploadSource(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an upload session cannot take an empty file; upload it with `PUT …/content`",
            )));
        }
        let policy = *self.http.retry_policy();
        // Consecutive failures of the current chunk, and when it was first tried.
        let mut failures = 0;
        let mut chunk_started = Instant::now();
        loop {
            if offset >= total {
                return Err(nothing_expected());
            }
            let len = self.chunk_size.min(total - offset);
            let chunk = self
                .source
                .read_range(offset, len as usize)
                .await
                .map_err(Error::UploadSource)?;
            if chunk.len() as u64 != len {
                return Err(Error::UploadSource(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the source gave {} bytes for a range of {len}", chunk.len()),
                )));
            }
            let error = match self.put_chunk(offset, chunk, total).await {
                Ok(ChunkAnswer::Completed(status, body)) => {
                    self.session.next_expected_ranges.clear();
                    self.report(total, total);
                    return decode_json(status, &body);
                }
                Ok(ChunkAnswer::Accepted(answer)) => {
                    self.session.update(answer);
                    offset = self.session.next_offset().unwrap_or(offset + len);
                    self.report(offset, total);
                    failures = 0;
                    chunk_started = Instant::now();
                    continue;
                }
                Err(error) => error,
            };
            failures += 1;
            let retry = retry_chunk(&policy, &error, failures, chunk_started.elapsed());
            let Some(retry) = retry else {
                return Err(error);
            };
            tokio::time::sleep(retry.delay).await;
            if retry.ask_where {
                // If the service cannot say, the same range again is safe: it
                // answers 416 to a range it already has.
                if let Ok(session) = self.session.status(&self.http).await {
                    self.session = session;
                    offset = self.session.next_offset().ok_or_else(nothing_expected)?;
                }
            }
        }
    }

    /// One `PUT` of `chunk` at `offset`; non-2xx answers are errors.
    async fn put_chunk(
        &self,
        offset: u64,
        chunk: bytes::Bytes,
        total: u64,
    ) -> Result<ChunkAnswer, Error> {
        let last = offset + chunk.len() as u64 - 1;
        let request = self
            .http
            .reqwest_client()
            .put(self.session.url()?)
            .header(CONTENT_RANGE, format!("bytes {offset}-{last}/{total}"))
            .header(CONTENT_LENGTH, chunk.len())
            .body(chunk);
        let (status, headers, body) = exchange(&self.http, request).await?;
        if status == StatusCode::ACCEPTED {
            return Ok(ChunkAnswer::Accepted(
                decode_json::<Option<SessionStatus>>(status, &body)?.unwrap_or(SessionStatus {
                    expiration_date_time: None,
                    next_expected_ranges: Vec::new(),
                }),
            ));
        }
        if status.is_success() {
            return Ok(ChunkAnswer::Completed(status, body));
        }
        Err(ApiError::from_parts(status, &headers, &body).into())
    }

    fn report(&mut self, uploaded: u64, total: u64) {
        if let Some(progress) = &mut self.progress {
            progress(UploadProgress { uploaded, total });
        }
    }
}

/// How to retry a failed chunk.
#[derive(Debug, PartialEq)]
struct ChunkRetry {
    delay: Duration,
    /// Ask the service where it expects bytes before sending again.
    ask_where: bool,
}

/// Whether and how a chunk that failed with `error` is retried after its
/// `failures`-th failure, `elapsed` after it was first sent.
fn retry_chunk(
    policy: &crate::RetryPolicy,
    error: &Error,
    failures: u32,
    elapsed: Duration,
) -> Option<ChunkRetry> {
    let backoff = || {
        let delay = policy.backoff(failures, fastrand::f64());
        (failures < policy.max_attempts.max(1)
            && elapsed.saturating_add(delay) <= policy.max_elapsed)
            .then_some(delay)
    };
    match error {
        Error::Api(api) if api.status == StatusCode::RANGE_NOT_SATISFIABLE => {
            (failures < policy.max_attempts.max(1)).then_some(ChunkRetry {
                delay: Duration::ZERO,
                ask_where: true,
            })
        }
        Error::Api(api) => match policy.delay(&Method::PUT, api, failures, elapsed) {
            Some(delay) => Some(ChunkRetry {
                delay,
                ask_where: false,
            }),
            None if api.status.is_server_error() => backoff().map(|delay| ChunkRetry {
                delay,
                ask_where: true,
            }),
            None => None,
        },
        Error::Network(_) | Error::Timeout(_) => backoff().map(|delay| ChunkRetry {
            delay,
            ask_where: true,
        }),
        _ => None,
    }
}

fn nothing_expected() -> Error {
    Error::UnexpectedResponse {
        status: StatusCode::OK,
        reason: "the upload session expects no more bytes: the upload completed, or waits \
                 for a deferred commit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RetryPolicy, StaticToken};

    fn api(status: u16, retry_after: Option<u64>) -> Error {
        let mut error = ApiError::from_response(StatusCode::from_u16(status).expect("status"), b"");
        error.retry_after = retry_after.map(Duration::from_secs);
        Error::Api(error)
    }

    #[test]
    fn reads_the_next_offset_of_every_range_shape() {
        let offset = |ranges: &[&str]| {
            next_offset(&ranges.iter().map(|r| r.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(offset(&["26-"]), Some(26));
        assert_eq!(offset(&["12345-55232", "77829-99375"]), Some(12345));
        assert_eq!(
            offset(&["4096"]),
            Some(4096),
            "attachments give the start only"
        );
        assert_eq!(offset(&[]), None);
        assert_eq!(offset(&["-5"]), None);
        assert_eq!(offset(&["x-"]), None);
    }

    #[test]
    fn chunk_sizes_are_multiples_of_320_kib_under_60_mib() {
        let http = HttpClient::new("https://graph.microsoft.com/v1.0", StaticToken::new("t"))
            .expect("client");
        let size = |bytes: u64| {
            UploadSession::new("https://up.example/x")
                .upload(&http, Vec::new())
                .chunk_size(bytes)
                .current_chunk_size()
        };
        assert_eq!(
            UploadSession::new("u")
                .upload(&http, Vec::new())
                .current_chunk_size(),
            5 * 1024 * 1024
        );
        assert_eq!(size(0), 327_680);
        assert_eq!(size(327_679), 327_680);
        assert_eq!(size(1_000_000), 983_040);
        assert_eq!(size(u64::MAX), 62_586_880);
        assert!(size(u64::MAX) < 60 * 1024 * 1024);
    }

    #[test]
    fn decides_how_to_retry_a_chunk() {
        let policy = RetryPolicy::default().max_attempts(3);
        let zero = Duration::ZERO;
        let same_chunk = |delay| {
            Some(ChunkRetry {
                delay,
                ask_where: false,
            })
        };
        assert_eq!(
            retry_chunk(&policy, &api(429, Some(2)), 1, zero),
            same_chunk(Duration::from_secs(2))
        );
        assert_eq!(
            retry_chunk(&policy, &api(503, Some(0)), 2, zero),
            same_chunk(Duration::ZERO)
        );
        for status in [500, 502, 504] {
            let retry = retry_chunk(&policy, &api(status, None), 1, zero).expect("retried");
            assert_eq!(retry.ask_where, status != 504, "{status}");
        }
        assert_eq!(
            retry_chunk(&policy, &api(416, None), 1, zero),
            Some(ChunkRetry {
                delay: Duration::ZERO,
                ask_where: true
            })
        );
        assert!(retry_chunk(&policy, &Error::Timeout(zero), 1, zero).is_some_and(|r| r.ask_where));
        for status in [400, 401, 404, 409] {
            assert_eq!(
                retry_chunk(&policy, &api(status, Some(1)), 1, zero),
                None,
                "{status}"
            );
        }
        assert_eq!(
            retry_chunk(&policy, &api(500, None), 3, zero),
            None,
            "attempts used up"
        );
        assert_eq!(
            retry_chunk(&policy, &api(416, None), 3, zero),
            None,
            "attempts used up"
        );
        assert_eq!(
            retry_chunk(&policy, &api(429, Some(61)), 1, zero),
            None,
            "past the time budget"
        );
        assert_eq!(
            retry_chunk(&RetryPolicy::none(), &api(500, None), 1, zero),
            None
        );
    }

    #[tokio::test]
    async fn in_memory_sources_read_ranges_and_refuse_past_the_end() {
        let mut bytes = bytes::Bytes::from_static(b"0123456789");
        assert_eq!(bytes.read_range(3, 4).await.expect("range"), "3456");
        assert!(bytes.read_range(8, 3).await.is_err());
        let mut vec = b"abcdef".to_vec();
        assert_eq!(vec.size(), 6);
        assert_eq!(vec.read_range(4, 2).await.expect("range"), "ef");
        assert!(vec.read_range(u64::MAX, 1).await.is_err());
        let mut seekable = SeekableSource::new(std::io::Cursor::new(b"hello world".to_vec()), 11);
        assert_eq!(seekable.read_range(6, 5).await.expect("range"), "world");
        assert!(seekable.read_range(9, 5).await.is_err());
    }
}
