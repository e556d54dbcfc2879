//! Error types returned by the runtime and by every generated operation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Deserializer, Serialize};

/// Boxed error used as the source of [`Error::Token`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while calling Microsoft Graph.
///
/// None of the variants ever contains the access token. Server responses of
/// any shape (garbage bytes, wrong content type, invalid UTF-8, huge numbers,
/// missing headers) end up in one of these variants; the runtime never panics
/// on them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a non-2xx, non-3xx status.
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The request could not be sent or the response could not be read
    /// (connection refused, reset, TLS failure, ...).
    ///
    /// Timeouts configured on a caller-supplied `reqwest::Client` also land
    /// here; [`Error::is_timeout`] recognises them. `Display` ends with the
    /// causes (`…: tcp connect error: Connection refused (os error 111)`).
    #[error("network error: {}", Chain(.0))]
    Network(#[from] reqwest::Error),

    /// An attempt took longer than the configured timeout
    /// ([`HttpClientBuilder::timeout`](crate::HttpClientBuilder::timeout) or
    /// [`Request::timeout`](crate::Request::timeout)).
    #[error("the request timed out after {0:?}")]
    Timeout(Duration),

    /// A 2xx response body was not what the operation expects (malformed
    /// JSON, an empty body where one is required, a non-numeric `$count`).
    #[error("failed to decode the HTTP {status} response body: {}", Chain(&**.source))]
    Decode {
        /// HTTP status of the response.
        status: StatusCode,
        /// The response body as (lossy UTF-8) text.
        body: String,
        /// What went wrong.
        #[source]
        source: BoxError,
    },

    /// The request body could not be serialised to JSON.
    #[error("failed to encode the request body as JSON: {0}")]
    Encode(#[source] Arc<serde_json::Error>),

    /// The [`TokenProvider`](crate::TokenProvider) failed to produce a token.
    #[error("failed to obtain an access token: {}", Chain(&**.0))]
    Token(#[source] BoxError),

    /// The Microsoft identity platform refused a sign-in or a token request
    /// (a wrong secret, a declined or expired device code, a revoked refresh
    /// token, …); from the providers in [`credentials`](crate::credentials).
    /// (Boxed to keep [`Error`] small.)
    #[error(transparent)]
    SignIn(Box<crate::credentials::SignInError>),

    /// Paging stopped: the service sent a `@odata.nextLink` that was already
    /// requested, so following it would loop for ever.
    #[error("paging stopped: the service sent the next link {link:?} a second time")]
    RepeatedNextLink {
        /// The repeated link.
        link: String,
    },

    /// A path parameter cannot be used as a URL path segment.
    #[error("invalid value {value:?} for path parameter `{name}`: {reason}")]
    InvalidPathParameter {
        /// Name of the parameter (as written in the API docs).
        name: &'static str,
        /// The rejected value.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A header added with [`Request::header`](crate::Request::header) has an
    /// invalid name or value. The value is not repeated here.
    #[error("invalid request header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name as given.
        name: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// The base URL, a `@odata.nextLink` or the resulting request URL is not
    /// a valid absolute URL (or points at another origin).
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The offending URL.
        url: String,
        /// Why it was rejected.
        reason: String,
    },

    /// The service answered with a redirect (3xx) to an operation that does
    /// not expect one. Redirects are never followed automatically.
    #[error("unexpected HTTP {status} redirect{}", location.as_deref().map(|l| format!(" to {l}")).unwrap_or_default())]
    UnexpectedRedirect {
        /// HTTP status of the response.
        status: StatusCode,
        /// The `Location` header, if present and valid UTF-8.
        location: Option<String>,
    },

    /// A successful response lacks something the operation needs, e.g. a
    /// redirect without a `Location` header.
    #[error("unexpected HTTP {status} response: {reason}")]
    UnexpectedResponse {
        /// HTTP status of the response.
        status: StatusCode,
        /// What was missing or wrong.
        reason: &'static str,
    },

    /// A request put into a [`Batch`](crate::Batch) has no answer of its own:
    /// the `$batch` request that carried it failed (`source`), the batch could
    /// not include it, or the service's answer left it out.
    #[error("batched request not answered: {reason}{}", source.as_ref().map(|s| format!(": {s}")).unwrap_or_default())]
    Batch {
        /// Why the request has no answer.
        reason: String,
        /// The failure of the `$batch` request that carried it, shared by
        /// every request of that batch.
        #[source]
        source: Option<Arc<Error>>,
    },

    /// An [`UploadSource`](crate::UploadSource) could not be read, or cannot be
    /// uploaded through an upload session (an empty file).
    #[error("failed to read the upload source: {0}")]
    UploadSource(#[source] std::io::Error),
}

impl From<crate::credentials::SignInError> for Error {
    fn from(refusal: crate::credentials::SignInError) -> Self {
        Error::SignIn(Box::new(refusal))
    }
}

/// `Display` of an error followed by its causes, `: `-separated; a cause whose text the
/// message so far already holds is left out (some errors repeat their source's text).
pub(crate) struct Chain<'a>(pub(crate) &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.0.to_string();
        let mut source = self.0.source();
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            if !cause_text.is_empty() && !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        f.write_str(&text)
    }
}

impl Error {
    /// Builds an [`Error::Token`] from any error or message
    /// (`Error::token("no credentials")`).
    pub fn token(source: impl Into<BoxError>) -> Self {
        Error::Token(source.into())
    }

    /// The HTTP status associated with this error, if a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. }
            | Error::UnexpectedRedirect { status, .. }
            | Error::UnexpectedResponse { status, .. } => Some(*status),
            Error::SignIn(error) => error.status,
            Error::Network(err) => err.status(),
            Error::Batch {
                source: Some(source),
                ..
            } => source.status(),
            _ => None,
        }
    }

    /// The [`ApiError`] if the service answered with a non-2xx status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Whether the request timed out: [`Error::Timeout`], or a
    /// [`Error::Network`] error that reqwest reports as a timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Network(err) => err.is_timeout(),
            _ => false,
        }
    }

    pub(crate) fn decode(status: StatusCode, body: &[u8], source: impl Into<BoxError>) -> Self {
        Error::Decode {
            status,
            body: String::from_utf8_lossy(body).into_owned(),
            source: source.into(),
        }
    }
}

/// A non-2xx response from the service.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The parsed (or raw) response body.
    pub body: ErrorBody,
    /// The `Retry-After` header (delta-seconds or HTTP date), if present and valid.
    pub retry_after: Option<Duration>,
    /// The `request-id` response header, if present (quote it to Microsoft support).
    pub request_id: Option<String>,
}

impl ApiError {
    /// Builds an `ApiError`, parsing `body` as a Graph (OData) error when possible.
    pub fn from_response(status: StatusCode, body: &[u8]) -> Self {
        ApiError {
            status,
            body: ErrorBody::parse(body),
            retry_after: None,
            request_id: None,
        }
    }

    /// Like [`ApiError::from_response`], also reading `Retry-After` and
    /// `request-id` from the response headers.
    pub fn from_parts(
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Self {
        ApiError {
            retry_after: crate::retry::retry_after(headers),
            request_id: headers
                .get("request-id")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            ..ApiError::from_response(status, body)
        }
    }

    /// The Graph error code, e.g. `Request_ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        self.odata().map(|e| e.code.as_str())
    }

    /// The human-readable Graph error message.
    pub fn message(&self) -> Option<&str> {
        self.odata().map(|e| e.message.as_str())
    }

    /// The parsed Graph error, if the body had that shape.
    pub fn odata(&self) -> Option<&ODataError> {
        match &self.body {
            ErrorBody::OData(e) => Some(e),
            ErrorBody::Raw(_) => None,
        }
    }

    /// The raw body text, if it was not a Graph error document.
    pub fn raw_body(&self) -> Option<&str> {
        match &self.body {
            ErrorBody::OData(_) => None,
            ErrorBody::Raw(text) => Some(text),
        }
    }
}

/// Longest raw body excerpt shown by `Display` (the full text stays in [`ErrorBody::Raw`]).
const RAW_DISPLAY_LIMIT: usize = 512;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph API error (HTTP {})", self.status)?;
        match &self.body {
            ErrorBody::OData(e) => write!(f, ": {e}"),
            ErrorBody::Raw(text) if text.trim().is_empty() => Ok(()),
            ErrorBody::Raw(text) => {
                let text = text.trim();
                match text.char_indices().nth(RAW_DISPLAY_LIMIT) {
                    Some((cut, _)) => write!(f, ": {}…", &text[..cut]),
                    None => write!(f, ": {text}"),
                }
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// Body of a non-2xx response.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// A Graph error document `{"error": {"code": ..., "message": ...}}`
    /// (boxed to keep [`Error`] small).
    OData(Box<ODataError>),
    /// Anything else (not JSON, or JSON of another shape), as lossy UTF-8 text.
    Raw(String),
}

impl ErrorBody {
    /// Parses a response body: a Graph error document becomes [`ErrorBody::OData`],
    /// everything else [`ErrorBody::Raw`].
    pub fn parse(body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            error: ODataError,
        }
        match serde_json::from_slice::<Envelope>(body) {
            Ok(envelope) => ErrorBody::OData(Box::new(envelope.error)),
            Err(_) => ErrorBody::Raw(String::from_utf8_lossy(body).into_owned()),
        }
    }
}

/// The `error` object of a Graph error response.
///
/// `code` is required; a missing `message` becomes the empty string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ODataError {
    /// Machine-readable error code, e.g. `Request_ResourceNotFound`.
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// Service diagnostics (`request-id`, `date`, ...).
    ///
    /// A malformed `innerError` (not an object) is treated as absent rather
    /// than making the whole error document unreadable.
    #[serde(
        rename = "innerError",
        alias = "innererror",
        default,
        deserialize_with = "lenient_inner_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<InnerError>,
    /// Additional error details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<serde_json::Value>,
}

/// The `innerError` object of a Graph error: the diagnostics Graph documents,
/// typed, and everything else as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InnerError {
    /// `request-id`: identifies the request in Microsoft's logs.
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// `date`: when the service handled the request, as sent (e.g. `2024-01-01T00:00:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `client-request-id`: the client's own correlation id, echoed back.
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// Every other member (nested `innerError`, `code`, ...), plus any of the
    /// three above whose value was not a string.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl InnerError {
    /// Splits a JSON object into the typed members and the rest.
    fn from_map(mut map: serde_json::Map<String, serde_json::Value>) -> Self {
        let mut take = |key: &str| match map.get(key) {
            Some(serde_json::Value::String(_)) => match map.remove(key) {
                Some(serde_json::Value::String(text)) => Some(text),
                _ => None,
            },
            _ => None,
        };
        let request_id = take("request-id");
        let date = take("date");
        let client_request_id = take("client-request-id");
        InnerError {
            request_id,
            date,
            client_request_id,
            other: map,
        }
    }
}

fn lenient_inner_error<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<InnerError>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Object(map) => Some(InnerError::from_map(map)),
        _ => None,
    })
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_odata_error() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource not found.","innerError":{"request-id":"abc","date":"2024-01-01T00:00:00"},"details":[{"code":"x"}]}}"#;
        let err = ApiError::from_response(StatusCode::NOT_FOUND, body);
        assert_eq!(err.code(), Some("Request_ResourceNotFound"));
        assert_eq!(err.message(), Some("Resource not found."));
        assert_eq!(err.raw_body(), None);
        let odata = err.odata().expect("odata");
        let inner = odata.inner_error.as_ref().expect("inner error");
        assert_eq!(inner.request_id.as_deref(), Some("abc"));
        assert_eq!(inner.date.as_deref(), Some("2024-01-01T00:00:00"));
        assert_eq!(inner.client_request_id, None);
        assert!(inner.other.is_empty());
        assert_eq!(odata.details, vec![serde_json::json!({"code":"x"})]);
        assert_eq!(
            err.to_string(),
            "Graph API error (HTTP 404 Not Found): Request_ResourceNotFound: Resource not found."
        );
    }

    #[test]
    fn accepts_lowercase_innererror_and_missing_optional_fields() {
        let body = br#"{"error":{"code":"Forbidden","innererror":{"x":1}}}"#;
        let ErrorBody::OData(odata) = ErrorBody::parse(body) else {
            panic!("expected OData body");
        };
        assert_eq!(odata.code, "Forbidden");
        assert_eq!(odata.message, "");
        let inner = odata.inner_error.as_ref().expect("inner error");
        assert_eq!(inner.other.get("x"), Some(&serde_json::json!(1)));
        assert_eq!(inner.request_id, None);
        assert!(odata.details.is_empty());
        assert_eq!(odata.to_string(), "Forbidden");
    }

    #[test]
    fn inner_error_keeps_unknown_members_and_tolerates_odd_shapes() {
        let body = br#"{"error":{"code":"c","innerError":{"request-id":7,"client-request-id":"cid","date":"d","innerError":{"code":"deeper"}}}}"#;
        let ErrorBody::OData(odata) = ErrorBody::parse(body) else {
            panic!("expected OData body");
        };
        let inner = odata.inner_error.expect("inner error");
        assert_eq!(inner.request_id, None, "a number is not a request id");
        assert_eq!(inner.other.get("request-id"), Some(&serde_json::json!(7)));
        assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
        assert_eq!(inner.date.as_deref(), Some("d"));
        assert_eq!(
            inner.other.get("innerError"),
            Some(&serde_json::json!({"code": "deeper"}))
        );

        let ErrorBody::OData(odata) =
            ErrorBody::parse(br#"{"error":{"code":"c","innerError":"text"}}"#)
        else {
            panic!("expected OData body");
        };
        assert_eq!(odata.inner_error, None);
    }

    #[test]
    fn falls_back_to_raw_body() {
        assert_eq!(
            ErrorBody::parse(b"upstream exploded"),
            ErrorBody::Raw("upstream exploded".to_owned())
        );
        assert_eq!(
            ErrorBody::parse(br#"{"message":"no envelope"}"#),
            ErrorBody::Raw(r#"{"message":"no envelope"}"#.to_owned())
        );
        assert_eq!(
            ErrorBody::parse(br#"{"error":"a string"}"#),
            ErrorBody::Raw(r#"{"error":"a string"}"#.to_owned())
        );
        assert_eq!(ErrorBody::parse(b""), ErrorBody::Raw(String::new()));

        let err = ApiError::from_response(StatusCode::INTERNAL_SERVER_ERROR, b"upstream exploded");
        assert_eq!(err.raw_body(), Some("upstream exploded"));
        assert_eq!(err.code(), None);
        assert_eq!(
            err.to_string(),
            "Graph API error (HTTP 500 Internal Server Error): upstream exploded"
        );
    }

    #[test]
    fn status_helper() {
        let api = Error::Api(ApiError::from_response(StatusCode::CONFLICT, b""));
        assert_eq!(api.status(), Some(StatusCode::CONFLICT));
        assert_eq!(api.to_string(), "Graph API error (HTTP 409 Conflict)");
        let token = Error::token("no credentials");
        assert_eq!(token.status(), None);
        assert_eq!(
            token.to_string(),
            "failed to obtain an access token: no credentials"
        );
    }
}
