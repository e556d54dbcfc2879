//! Error types returned by the runtime and by every generated operation.

use std::fmt;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

/// Boxed error used as the source of [`Error::Token`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while calling Microsoft Graph.
///
/// None of the variants ever contains the access token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a non-2xx status.
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The request could not be sent or the response could not be read.
    #[error("HTTP transport error: {0}")]
    Transport(#[from] reqwest::Error),

    /// A 2xx response body was not the JSON the operation expects.
    #[error("failed to decode the HTTP {status} response body: {source}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
        /// The response body as (lossy UTF-8) text.
        body: String,
    },

    /// The request body could not be serialised to JSON.
    #[error("failed to encode the request body as JSON: {0}")]
    Encode(#[source] serde_json::Error),

    /// The [`TokenProvider`](crate::TokenProvider) failed to produce a token.
    #[error("failed to obtain an access token: {0}")]
    Token(#[source] BoxError),

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

    /// The base URL or the resulting request URL is not a valid absolute URL.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The offending URL.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
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
            Error::Decode { status, .. } => StatusCode::from_u16(*status).ok(),
            Error::Transport(err) => err.status(),
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
}

/// A non-2xx response from the service.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The parsed (or raw) response body.
    pub body: ErrorBody,
}

impl ApiError {
    /// Builds an `ApiError`, parsing `body` as a Graph (OData) error when possible.
    pub fn from_response(status: StatusCode, body: &[u8]) -> Self {
        ApiError {
            status,
            body: ErrorBody::parse(body),
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
    /// Service diagnostics (`request-id`, `date`, nested errors, ...).
    #[serde(
        rename = "innerError",
        alias = "innererror",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<serde_json::Value>,
    /// Additional error details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<serde_json::Value>,
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
        assert_eq!(
            odata.inner_error,
            Some(serde_json::json!({"request-id":"abc","date":"2024-01-01T00:00:00"}))
        );
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
        assert_eq!(odata.inner_error, Some(serde_json::json!({"x": 1})));
        assert!(odata.details.is_empty());
        assert_eq!(odata.to_string(), "Forbidden");
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
