//! [`HttpClient`]: sends authenticated JSON requests to Microsoft Graph.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{ApiError, Error, TokenProvider};

/// Base URL of the Microsoft Graph v1.0 endpoint.
pub const GRAPH_V1_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// Base URL of the Microsoft Graph beta endpoint.
pub const GRAPH_BETA_BASE_URL: &str = "https://graph.microsoft.com/beta";

const USER_AGENT: &str = concat!("graph-runtime/", env!("CARGO_PKG_VERSION"));

/// An authenticated Microsoft Graph HTTP client.
///
/// Cloning is cheap (the state is behind an `Arc`). `Debug` shows the base
/// URL only, never the token provider.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    tokens: Box<dyn TokenProvider>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

/// Makes `ring` the process-wide rustls crypto provider unless the
/// application already installed one (reqwest is built without a provider).
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race against another installer is fine: a provider is set.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

impl HttpClient {
    /// Creates a client for `base_url` (e.g. [`GRAPH_V1_BASE_URL`]; a trailing
    /// `/` is trimmed) that asks `tokens` for a bearer token on every request.
    ///
    /// TLS uses rustls. If the process has no default rustls
    /// `CryptoProvider` yet, the `ring` provider is installed as the default.
    pub fn new(
        base_url: impl Into<String>,
        tokens: impl TokenProvider + 'static,
    ) -> Result<Self, Error> {
        let http = Self::reqwest_builder().build()?;
        Self::with_reqwest(http, base_url, tokens)
    }

    /// Like [`HttpClient::new`] but with a caller-configured `reqwest::Client`
    /// (timeouts, proxies, ...). Build it from [`HttpClient::reqwest_builder`]
    /// to get the TLS setup of [`HttpClient::new`].
    pub fn with_reqwest(
        client: reqwest::Client,
        base_url: impl Into<String>,
        tokens: impl TokenProvider + 'static,
    ) -> Result<Self, Error> {
        let mut base_url = base_url.into();
        let trimmed_len = base_url.trim_end_matches('/').len();
        base_url.truncate(trimmed_len);
        validate_base_url(&base_url)?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http: client,
                base_url,
                tokens: Box::new(tokens),
            }),
        })
    }

    /// A `reqwest::ClientBuilder` with the runtime's defaults: rustls with
    /// the `ring` provider (installed as process default if none is set) and
    /// a `graph-runtime` user agent.
    pub fn reqwest_builder() -> reqwest::ClientBuilder {
        ensure_crypto_provider();
        reqwest::Client::builder().user_agent(USER_AGENT)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and decodes the JSON response into `R`.
    ///
    /// `path` must start with `/` and be fully percent-encoded (use
    /// [`encode_path_segment`](crate::encode_path_segment) for parameters);
    /// it may carry an encoded query string. The request URL is
    /// `base_url + path`. `body`, if any, is sent as JSON.
    ///
    /// An empty 2xx body decodes as JSON `null`, so `R = ()` or `Option<_>`
    /// accept `204 No Content`. Non-2xx responses become [`Error::Api`].
    pub async fn send<B, R>(&self, method: Method, path: &str, body: Option<&B>) -> Result<R, Error>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let (status, bytes) = self.execute(method, path, body).await?;
        let json: &[u8] = if bytes.trim_ascii().is_empty() {
            b"null"
        } else {
            &bytes
        };
        serde_json::from_slice(json).map_err(|source| Error::Decode {
            status: status.as_u16(),
            source,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    /// Sends a request whose successful response body is ignored (typically
    /// `204 No Content`). Non-2xx responses become [`Error::Api`].
    pub async fn send_no_content<B>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), Error>
    where
        B: Serialize + ?Sized,
    {
        self.execute(method, path, body).await.map(drop)
    }

    /// Sends the request; returns the status and body of a 2xx response.
    async fn execute<B>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(StatusCode, Vec<u8>), Error>
    where
        B: Serialize + ?Sized,
    {
        let url = self.url(path)?;
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(Error::Encode)?;

        let token = self.inner.tokens.token().await?;
        let mut auth =
            HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
                Error::token("the access token contains characters not allowed in an HTTP header")
            })?;
        auth.set_sensitive(true);

        let mut request = self
            .inner
            .http
            .request(method, url)
            .header(AUTHORIZATION, auth)
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }

        let response = request.send().await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            Ok((status, bytes.to_vec()))
        } else {
            Err(ApiError::from_response(status, &bytes).into())
        }
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        let full = format!("{}{}", self.inner.base_url, path);
        if !path.starts_with('/') {
            return Err(Error::InvalidUrl {
                url: full,
                reason: "the request path must start with `/`".to_owned(),
            });
        }
        Url::parse(&full).map_err(|e| Error::InvalidUrl {
            url: full,
            reason: e.to_string(),
        })
    }
}

fn validate_base_url(base_url: &str) -> Result<(), Error> {
    let invalid = |reason: String| Error::InvalidUrl {
        url: base_url.to_owned(),
        reason,
    };
    let url = Url::parse(base_url).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the base URL must use http or https".to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "the base URL must not have a query or fragment".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticToken;

    #[test]
    fn debug_shows_base_url_only() {
        let client = HttpClient::new(
            "https://graph.microsoft.com/v1.0/",
            StaticToken::new("s3cr3t"),
        )
        .expect("client");
        assert_eq!(client.base_url(), "https://graph.microsoft.com/v1.0");
        let debug = format!("{client:?}");
        assert_eq!(
            debug,
            r#"HttpClient { base_url: "https://graph.microsoft.com/v1.0", .. }"#
        );
        assert!(!format!("{client:#?}").contains("s3cr3t"));
    }

    #[test]
    fn rejects_bad_base_urls() {
        for bad in ["", "graph.microsoft.com", "ftp://x/y", "https://x/v1.0?a=b"] {
            let err = HttpClient::new(bad, StaticToken::new("t")).expect_err(bad);
            assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn builds_urls() {
        let client = HttpClient::new(GRAPH_BETA_BASE_URL, StaticToken::new("t")).expect("client");
        assert_eq!(
            client
                .url("/users/a%2F..%2Fb?$top=5")
                .expect("url")
                .as_str(),
            "https://graph.microsoft.com/beta/users/a%2F..%2Fb?$top=5"
        );
        assert!(matches!(client.url("users"), Err(Error::InvalidUrl { .. })));
    }
}
