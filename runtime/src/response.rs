//! Response kinds: the `R` of [`Request<R, O>`](crate::Request).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{ApiError, Error};

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// What a successful response of a [`Request<R, O>`](crate::Request) decodes to:
/// the kind `R` decides what `send()` returns.
///
/// | kind | `send()` returns | for |
/// |---|---|---|
/// | [`Json<T>`] | `T` | 200/201 with a JSON body |
/// | [`Collection<T>`] | [`Page<T>`] | collections (`value`, `@odata.nextLink`, ...) |
/// | [`NoContent`] | `()` | 204 (any 2xx body is ignored) |
/// | [`Accepted`] | [`Accepted`] | 202 long-running operations (`Location`) |
/// | [`Redirect`] | [`Redirect`] | 302 endpoints: the target is exposed, not followed |
/// | [`Bytes`] | [`ByteStream`] | `$value` / content downloads (redirects followed) |
/// | [`CountValue`] | `u64` | `/$count` (a `text/plain` number) |
/// | [`Delta<T>`](crate::Delta) | [`DeltaPage<T>`](crate::DeltaPage) | delta functions (changes and removals) |
///
/// For every kind, a 4xx/5xx status becomes [`Error::Api`], and a 3xx status
/// other kinds than [`Redirect`] receive becomes [`Error::UnexpectedRedirect`].
/// Only [`Bytes`] follows redirects (of `GET` requests), to the
/// pre-authenticated download URLs content endpoints redirect to; the bearer
/// token goes only to the base URL's origin (see [`Bytes`]).
///
/// Sealed: the kinds are exactly the types above.
pub trait ResponseKind: sealed::Sealed + Send + 'static {
    /// The value `send()` resolves to.
    type Output: Send + 'static;

    /// `Accept` header sent unless the request sets one.
    #[doc(hidden)]
    const ACCEPT: &'static str;

    /// Whether a `GET` answered with a redirect is followed (without the token
    /// on other origins) before the answer is read.
    #[doc(hidden)]
    const FOLLOWS_REDIRECTS: bool = false;

    /// Turns the response (any status) into the output or an error.
    #[doc(hidden)]
    fn read(
        response: reqwest::Response,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send;
}

/// JSON body decoded as `T`. An empty body decodes as JSON `null`, so it is
/// accepted for `T = ()` or `Option<_>` and is an [`Error::Decode`] otherwise.
///
/// A body that is exactly one object wrapped as `{"value": {…}}` (nothing else but `@odata.*`
/// annotations) is read as the object it wraps: the docs show some single entities that way,
/// and the service answers so for functions returning one. An entity would only look like that
/// if its one property were an object named `value`.
pub struct Json<T>(PhantomData<fn() -> T>);

/// The JSON result of an OData action or function, or of a `GET` that reads a primitive or enum
/// (`GET /me/mailboxSettings/timeZone`), decoded as `T`. OData wraps a primitive, enum or (in
/// the docs' examples) an entity result as `{"value": …}`; a body
/// that is such a wrapper (only `value` besides `@odata.*` annotations) is unwrapped, any
/// other body is decoded as `T` itself, so both shapes the service and the docs use work.
pub struct ActionResult<T>(PhantomData<fn() -> T>);

/// A collection response, decoded as one [`Page<T>`]; see also
/// [`Request::pages`](crate::Request::pages) and
/// [`Request::stream`](crate::Request::stream).
pub struct Collection<T>(PhantomData<fn() -> T>);

/// No useful body (`204 No Content`); any 2xx body is ignored.
#[derive(Debug, Clone, Copy)]
pub struct NoContent;

/// A `$value` or content download, exposed as a [`ByteStream`].
///
/// A `GET` answered with a redirect (`302 Found` to a pre-authenticated
/// download URL, as drive item content is) is followed, up to 10 hops. The
/// bearer token is sent only to the client's base URL origin: a hop to any
/// other host gets the request's other headers (`Range`, ...) but no
/// `Authorization`, and a hop from `https` to `http` is refused.
pub struct Bytes(());

/// A `$count` endpoint: the `text/plain` body parsed as a number.
#[derive(Debug, Clone, Copy)]
pub struct CountValue;

/// One page of a collection: `{"value": [...], "@odata.nextLink": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// URL of the next page (absolute), if there is one.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// URL for the next delta query, on the last page of a delta round.
    #[serde(
        rename = "@odata.deltaLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// Total number of items, when `$count=true` was requested.
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
}

/// A `202 Accepted` answer: the operation continues in the background.
/// Also the response kind for such endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The response status (202 normally; any 2xx is accepted).
    pub status: StatusCode,
    /// The `Location` header: where to poll for the operation's status.
    pub location: Option<String>,
    /// The `Retry-After` header: how long to wait before polling.
    pub retry_after: Option<Duration>,
    /// The JSON body, if the response had a non-empty one.
    pub body: Option<serde_json::Value>,
}

/// A redirect answer (e.g. `302 Found` to a download URL), not followed.
/// Also the response kind for such endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The `Location` header: the redirect target.
    pub location: String,
    /// The response status (302 normally; any 3xx is accepted).
    pub status: StatusCode,
}

/// A streamed response body; a [`Stream`] of chunks.
///
/// Per-attempt timeouts cover the request up to the response headers; the
/// body stream itself has no deadline.
pub struct ByteStream {
    status: StatusCode,
    content_type: Option<String>,
    content_length: Option<u64>,
    inner: Pin<Box<dyn Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send>>,
}

impl ByteStream {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Content-Type` header, if present and valid UTF-8.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Length` header, if present.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        let capacity = self
            .content_length
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0)
            .min(1 << 24);
        let mut out = Vec::with_capacity(capacity);
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

impl Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Error::Network)))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Passes 2xx responses (and 3xx ones if `redirect_ok`) through; turns the
/// rest into the matching error.
async fn successful(
    response: reqwest::Response,
    redirect_ok: bool,
) -> Result<reqwest::Response, Error> {
    let status = response.status();
    if status.is_success() || (redirect_ok && status.is_redirection()) {
        return Ok(response);
    }
    if status.is_redirection() {
        return Err(Error::UnexpectedRedirect {
            status,
            location: header_text(response.headers(), LOCATION),
        });
    }
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Err(ApiError::from_parts(status, &headers, &body).into())
}

/// The status and full body of a 2xx response.
pub(crate) async fn buffered(
    response: reqwest::Response,
) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
    let response = successful(response, false).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok((status, headers, body))
}

/// Decodes JSON, reading an empty (all-whitespace) body as `null`.
pub(crate) fn decode_json<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    let json: &[u8] = if body.trim_ascii().is_empty() {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(json).map_err(|source| Error::decode(status, body, source))
}

impl<T> sealed::Sealed for Json<T> {}
impl<T: DeserializeOwned + Send + 'static> ResponseKind for Json<T> {
    type Output = T;
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<T, Error> {
        let (status, _, body) = buffered(response).await?;
        decode_single(status, &body)
    }
}

/// Decodes one object, unwrapping a `{"value": {…}}` wrapper (see [`Json`]).
pub(crate) fn decode_single<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    // Only a body holding `"value"` can be a wrapper: most are decoded once, directly.
    let may_be_wrapped = body.windows(7).any(|window| window == b"\"value\"");
    if may_be_wrapped
        && let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body)
        && object
            .get("value")
            .is_some_and(serde_json::Value::is_object)
        && object
            .keys()
            .all(|key| key == "value" || key.starts_with('@'))
    {
        let inner = unwrap_action_value(serde_json::Value::Object(object));
        return serde_json::from_value(inner).map_err(|source| Error::decode(status, body, source));
    }
    decode_json(status, body)
}

impl<T> sealed::Sealed for ActionResult<T> {}
impl<T: DeserializeOwned + Send + 'static> ResponseKind for ActionResult<T> {
    type Output = T;
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<T, Error> {
        let (status, _, body) = buffered(response).await?;
        let value: serde_json::Value = decode_json(status, &body)?;
        let value = unwrap_action_value(value);
        serde_json::from_value(value).map_err(|source| Error::decode(status, &body, source))
    }
}

/// `{"@odata.context": …, "value": X}` → `X`; anything else as it is.
pub fn unwrap_action_value(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(mut object)
            if object.contains_key("value")
                && object
                    .keys()
                    .all(|key| key == "value" || key.starts_with('@')) =>
        {
            object.remove("value").unwrap_or(serde_json::Value::Null)
        }
        other => other,
    }
}

impl<T> sealed::Sealed for Collection<T> {}
impl<T: DeserializeOwned + Send + 'static> ResponseKind for Collection<T> {
    type Output = Page<T>;
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<Page<T>, Error> {
        let (status, _, body) = buffered(response).await?;
        decode_json(status, &body)
    }
}

impl sealed::Sealed for NoContent {}
impl ResponseKind for NoContent {
    type Output = ();
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<(), Error> {
        buffered(response).await.map(drop)
    }
}

impl sealed::Sealed for Accepted {}
impl ResponseKind for Accepted {
    type Output = Accepted;
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<Accepted, Error> {
        let (status, headers, body) = buffered(response).await?;
        let body = if body.trim_ascii().is_empty() {
            None
        } else {
            Some(decode_json(status, &body)?)
        };
        Ok(Accepted {
            status,
            location: header_text(&headers, LOCATION),
            retry_after: crate::retry::retry_after(&headers),
            body,
        })
    }
}

impl sealed::Sealed for Redirect {}
impl ResponseKind for Redirect {
    type Output = Redirect;
    const ACCEPT: &'static str = "*/*";

    async fn read(response: reqwest::Response) -> Result<Redirect, Error> {
        let response = successful(response, true).await?;
        let status = response.status();
        if !status.is_redirection() {
            return Err(Error::UnexpectedResponse {
                status,
                reason: "expected a redirect (3xx) response",
            });
        }
        match header_text(response.headers(), LOCATION) {
            Some(location) => Ok(Redirect { location, status }),
            None => Err(Error::UnexpectedResponse {
                status,
                reason: "the redirect has no valid `Location` header",
            }),
        }
    }
}

impl sealed::Sealed for Bytes {}
impl ResponseKind for Bytes {
    type Output = ByteStream;
    const ACCEPT: &'static str = "*/*";
    const FOLLOWS_REDIRECTS: bool = true;

    async fn read(response: reqwest::Response) -> Result<ByteStream, Error> {
        let response = successful(response, false).await?;
        Ok(ByteStream {
            status: response.status(),
            content_type: header_text(response.headers(), CONTENT_TYPE),
            content_length: response.content_length(),
            inner: Box::pin(response.bytes_stream()),
        })
    }
}

impl sealed::Sealed for CountValue {}
impl ResponseKind for CountValue {
    type Output = u64;
    const ACCEPT: &'static str = "text/plain";

    async fn read(response: reqwest::Response) -> Result<u64, Error> {
        let (status, _, body) = buffered(response).await?;
        let text = std::str::from_utf8(&body).map_err(|e| Error::decode(status, &body, e))?;
        let text = text.trim_start_matches('\u{feff}').trim();
        text.parse::<u64>()
            .map_err(|e| Error::decode(status, &body, e))
    }
}

/// The legacy untyped path of [`HttpClient::send`](crate::HttpClient::send).
pub(crate) struct Raw;

impl sealed::Sealed for Raw {}
impl ResponseKind for Raw {
    type Output = (StatusCode, bytes::Bytes);
    const ACCEPT: &'static str = "application/json";

    async fn read(response: reqwest::Response) -> Result<Self::Output, Error> {
        let (status, _, body) = buffered(response).await?;
        Ok((status, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_uses_odata_annotations() {
        let page: Page<u8> = serde_json::from_str(
            r#"{"@odata.context":"x","@odata.count":3,"@odata.nextLink":"https://n","value":[1,2]}"#,
        )
        .expect("page");
        assert_eq!(
            page,
            Page {
                value: vec![1, 2],
                next_link: Some("https://n".to_owned()),
                delta_link: None,
                count: Some(3),
            }
        );
        let last: Page<u8> =
            serde_json::from_str(r#"{"value":[],"@odata.deltaLink":"https://d"}"#).expect("page");
        assert_eq!(last.delta_link.as_deref(), Some("https://d"));
        assert!(serde_json::from_str::<Page<u8>>(r#"{"@odata.count":1e400}"#).is_err());
    }

    #[test]
    fn a_single_object_wrapped_in_value_is_unwrapped() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Entity {
            id: Option<String>,
            value: Option<serde_json::Value>,
        }
        let wrapped = br#"{"@odata.context":"x","value":{"id":"a"}}"#;
        assert_eq!(
            decode_single::<Entity>(StatusCode::OK, wrapped).expect("wrapped"),
            Entity {
                id: Some("a".to_owned()),
                value: None
            }
        );
        // Not a wrapper: another property beside `value`, or a `value` that is not an object.
        let entity = br#"{"id":"b","value":{"k":1}}"#;
        assert_eq!(
            decode_single::<Entity>(StatusCode::OK, entity).expect("entity"),
            Entity {
                id: Some("b".to_owned()),
                value: Some(serde_json::json!({"k": 1}))
            }
        );
        let scalar = br#"{"value":"text"}"#;
        assert_eq!(
            decode_single::<Entity>(StatusCode::OK, scalar).expect("scalar value"),
            Entity {
                id: None,
                value: Some(serde_json::json!("text"))
            }
        );
        decode_single::<()>(StatusCode::NO_CONTENT, b"").expect("an empty body is still null");
    }

    #[test]
    fn empty_body_is_null() {
        decode_json::<()>(StatusCode::OK, b" \n").expect("unit accepts an empty body");
        assert_eq!(
            decode_json::<Option<u8>>(StatusCode::OK, b"").expect("option"),
            None
        );
        match decode_json::<Page<u8>>(StatusCode::CREATED, b"") {
            Err(Error::Decode { status, body, .. }) => {
                assert_eq!(status, StatusCode::CREATED);
                assert_eq!(body, "");
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        match decode_json::<u8>(StatusCode::OK, b"\xff\xfe{") {
            Err(Error::Decode { body, .. }) => assert_eq!(body, "\u{fffd}\u{fffd}{"),
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
