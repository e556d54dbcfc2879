//! [`HttpClient`]: sends authenticated JSON requests to Microsoft Graph.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use crate::download::Redirects;
use crate::response::{Raw, ResponseKind, decode_json};
use crate::upload::StreamedBody;
use crate::{Error, RetryPolicy, TokenProvider};

/// Base URL of the Microsoft Graph v1.0 endpoint.
pub const GRAPH_V1_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// Base URL of the Microsoft Graph beta endpoint.
pub const GRAPH_BETA_BASE_URL: &str = "https://graph.microsoft.com/beta";

/// The time limit of each attempt unless the client or the request sets another:
/// 100 seconds, the default of .NET's `HttpClient` that Microsoft's Graph SDK for .NET
/// sends with. A server that never answers fails the call with [`Error::Timeout`] instead of
/// blocking it for ever. [`HttpClientBuilder::no_timeout`] removes the limit.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

const USER_AGENT: &str = concat!("graph-runtime/", env!("CARGO_PKG_VERSION"));

/// The header that correlates a request with Microsoft's logs; echoed back by the service.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// An authenticated Microsoft Graph HTTP client.
///
/// Cloning is cheap (the state is behind an `Arc`). `Debug` shows the base
/// URL, retry policy and timeout, never the token provider.
///
/// Every attempt of every request asks the [`TokenProvider`] for a token
/// (so refreshed tokens are picked up between retries); throttled requests
/// are retried by the client's [`RetryPolicy`].
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    tokens: Box<dyn TokenProvider>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.inner.base_url)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Configures an [`HttpClient`]; from [`HttpClient::builder`].
pub struct HttpClientBuilder {
    base_url: String,
    tokens: Box<dyn TokenProvider>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    reqwest: Option<reqwest::Client>,
}

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("custom_reqwest", &self.reqwest.is_some())
            .finish_non_exhaustive()
    }
}

impl HttpClientBuilder {
    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time limit for each attempt, from asking the token provider for a
    /// token to reading the whole response body (for [`Bytes`](crate::Bytes),
    /// to the response headers). Default: [`DEFAULT_TIMEOUT`] (100 s).
    /// [`Request::timeout`](crate::Request::timeout) overrides it per request.
    ///
    /// Timeouts are not retried, so a whole call (retries and their waits
    /// included) ends within [`RetryPolicy::max_elapsed`] plus one timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No time limit per attempt (unless a request sets one): a server that
    /// never answers blocks the call for ever. For long downloads on a slow
    /// link, prefer a longer [`timeout`](Self::timeout).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, connection
    /// pools, ...). Build it from [`HttpClient::reqwest_builder`] to keep the
    /// runtime's TLS setup and, importantly, its no-redirect policy.
    pub fn reqwest(mut self, client: reqwest::Client) -> Self {
        self.reqwest = Some(client);
        self
    }

    /// Validates the base URL and builds the client.
    pub fn build(self) -> Result<HttpClient, Error> {
        let mut base_url = self.base_url;
        let trimmed_len = base_url.trim_end_matches('/').len();
        base_url.truncate(trimmed_len);
        validate_base_url(&base_url)?;
        let http = match self.reqwest {
            Some(client) => client,
            None => HttpClient::reqwest_builder().build()?,
        };
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens: self.tokens,
                retry: self.retry,
                timeout: self.timeout,
            }),
        })
    }
}

/// A request ready to be sent (possibly several times).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// The path with `{name}` for each caller-supplied value: what traces show.
    pub(crate) template: Arc<str>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<(HeaderValue, bytes::Bytes)>,
    /// A body read from a stream instead of `body`'s bytes: sent once, so
    /// the request is never retried.
    pub(crate) streamed: Option<StreamedBody>,
    pub(crate) timeout: Option<Duration>,
}

impl Prepared {
    /// The `GET` of a `@odata.nextLink`, with the same headers, path template and timeout.
    pub(crate) fn follow(&self, url: Url) -> Prepared {
        Prepared {
            method: Method::GET,
            url,
            template: self.template.clone(),
            headers: self.headers.clone(),
            body: None,
            streamed: None,
            timeout: self.timeout,
        }
    }
}

impl HttpClient {
    /// Creates a client for `base_url` (e.g. [`GRAPH_V1_BASE_URL`]; a trailing
    /// `/` is trimmed) that asks `tokens` for a bearer token on every attempt,
    /// with the default [`RetryPolicy`] and [`DEFAULT_TIMEOUT`].
    ///
    /// TLS uses rustls with the crypto provider rustls recommends,
    /// `aws-lc-rs` (post-quantum key exchange preferred), unless the
    /// application installed a process-wide rustls `CryptoProvider`, which is
    /// then used. Nothing process-wide is installed by the runtime.
    pub fn new(
        base_url: impl Into<String>,
        tokens: impl TokenProvider + 'static,
    ) -> Result<Self, Error> {
        Self::builder(base_url, tokens).build()
    }

    /// Starts configuring a client (retry policy, timeout, reqwest client).
    ///
    /// ```
    /// # fn demo() -> Result<(), graph_runtime::Error> {
    /// use std::time::Duration;
    /// use graph_runtime::{HttpClient, RetryPolicy, StaticToken, GRAPH_BETA_BASE_URL};
    ///
    /// let client = HttpClient::builder(GRAPH_BETA_BASE_URL, StaticToken::new("eyJ0..."))
    ///     .retry(RetryPolicy::default().max_attempts(6))
    ///     .timeout(Duration::from_secs(30))
    ///     .build()?;
    /// assert_eq!(client.retry_policy().max_attempts, 6);
    /// # Ok(()) }
    /// # demo().unwrap();
    /// ```
    pub fn builder(
        base_url: impl Into<String>,
        tokens: impl TokenProvider + 'static,
    ) -> HttpClientBuilder {
        HttpClientBuilder {
            base_url: base_url.into(),
            tokens: Box::new(tokens),
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            reqwest: None,
        }
    }

    /// Like [`HttpClient::new`] but with a caller-configured `reqwest::Client`
    /// (see [`HttpClientBuilder::reqwest`]).
    pub fn with_reqwest(
        client: reqwest::Client,
        base_url: impl Into<String>,
        tokens: impl TokenProvider + 'static,
    ) -> Result<Self, Error> {
        Self::builder(base_url, tokens).reqwest(client).build()
    }

    /// A `reqwest::ClientBuilder` with the runtime's defaults: rustls with
    /// the `aws-lc-rs` provider (or the process-wide one, if set), a
    /// `graph-runtime` user agent, and redirects not followed (so that
    /// [`Redirect`](crate::Redirect) endpoints can expose the target and the
    /// bearer token never follows a redirect).
    pub fn reqwest_builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The per-attempt timeout ([`DEFAULT_TIMEOUT`] unless the builder changed it).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
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
    /// Prefer [`Request`](crate::Request), which adds query options and
    /// response kinds.
    pub async fn send<B, R>(&self, method: Method, path: &str, body: Option<&B>) -> Result<R, Error>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let prepared = self.prepare_legacy(method, path, body)?;
        let (status, bytes) = self.execute::<Raw>(&prepared).await?;
        decode_json(status, &bytes)
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
        let prepared = self.prepare_legacy(method, path, body)?;
        self.execute::<Raw>(&prepared).await.map(drop)
    }

    fn prepare_legacy<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Prepared, Error> {
        let url = self.url(path)?;
        let template = path.split('?').next().unwrap_or(path);
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| Error::Encode(Arc::new(e)))?
            .map(|bytes| {
                (
                    HeaderValue::from_static("application/json"),
                    bytes::Bytes::from(bytes),
                )
            });
        Ok(Prepared {
            method,
            url,
            template: Arc::from(template),
            headers: HeaderMap::new(),
            body,
            streamed: None,
            timeout: None,
        })
    }

    /// Sends `prepared`, retrying per the policy; returns the last outcome.
    ///
    /// Each call is a `graph.request` tracing span (INFO) with the method, the path
    /// template, the `client-request-id` sent, and once known the status, the attempts, the
    /// service's `request-id` and the time spent waiting for throttling; each retry is an
    /// event with its wait. No field ever holds the token or a header value other than
    /// the two ids.
    pub(crate) async fn execute<K: ResponseKind>(
        &self,
        prepared: &Prepared,
    ) -> Result<K::Output, Error> {
        let mut prepared = std::borrow::Cow::Borrowed(prepared);
        let client_request_id = match prepared.headers.get(&CLIENT_REQUEST_ID) {
            Some(value) => value.to_str().unwrap_or("").to_owned(),
            None => {
                // Random, not secret: a v4 UUID from the runtime's non-cryptographic generator.
                let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
                    .into_uuid()
                    .to_string();
                let value = HeaderValue::try_from(id.as_str()).expect("a UUID is a header value");
                prepared.to_mut().headers.insert(CLIENT_REQUEST_ID, value);
                id
            }
        };
        let span = tracing::info_span!(
            "graph.request",
            method = %prepared.method,
            path = %prepared.template,
            client_request_id = %client_request_id,
            status = Empty,
            attempts = Empty,
            request_id = Empty,
            throttled_ms = Empty,
        );
        self.execute_traced::<K>(&prepared, &span)
            .instrument(span.clone())
            .await
    }

    async fn execute_traced<K: ResponseKind>(
        &self,
        prepared: &Prepared,
        span: &tracing::Span,
    ) -> Result<K::Output, Error> {
        let start = Instant::now();
        let mut attempt = 1;
        let mut throttled = Duration::ZERO;
        loop {
            let outcome = self.attempt::<K>(prepared, span).await;
            span.record("attempts", attempt);
            let delay = match &outcome {
                // (The status and `request-id` were recorded when the response arrived.)
                // A streamed body was consumed by the first attempt: never retried.
                Err(Error::Api(api)) if prepared.streamed.is_none() => self
                    .inner
                    .retry
                    .delay(&prepared.method, api, attempt, start.elapsed())
                    .map(|delay| (delay, api.status, api.retry_after.is_some())),
                _ => None,
            };
            match delay {
                Some((delay, status, from_server)) => {
                    tracing::info!(
                        attempt,
                        status = status.as_u16(),
                        wait_ms = delay.as_millis() as u64,
                        retry_after = from_server,
                        "throttled or unavailable: waiting before the next attempt"
                    );
                    tokio::time::sleep(delay).await;
                    throttled += delay;
                    span.record("throttled_ms", throttled.as_millis() as u64);
                    attempt += 1;
                }
                None => {
                    if let Err(error) = &outcome {
                        tracing::debug!(error = %error, "the request failed");
                    }
                    return outcome;
                }
            }
        }
    }

    /// One attempt: a fresh token, then the request, both under the timeout.
    async fn attempt<K: ResponseKind>(
        &self,
        prepared: &Prepared,
        span: &tracing::Span,
    ) -> Result<K::Output, Error> {
        let exchange = async {
            let token = self.inner.tokens.token().await?;
            let mut auth =
                HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
                    Error::token(
                        "the access token contains characters not allowed in an HTTP header",
                    )
                })?;
            auth.set_sensitive(true);

            let mut headers = prepared.headers.clone();
            headers.insert(AUTHORIZATION, auth);
            if !headers.contains_key(ACCEPT) {
                headers.insert(ACCEPT, HeaderValue::from_static(K::ACCEPT));
            }
            let mut request = self
                .inner
                .http
                .request(prepared.method.clone(), prepared.url.clone());
            if let Some((content_type, body)) = &prepared.body {
                headers.insert(CONTENT_TYPE, content_type.clone());
                request = match &prepared.streamed {
                    Some(streamed) => streamed.attach(request, &mut headers)?,
                    None => request.body(body.clone()),
                };
            }
            let redirects = (K::FOLLOWS_REDIRECTS && prepared.method == Method::GET).then(|| {
                Redirects::new(
                    self.inner.http.clone(),
                    &self.inner.base_url,
                    headers.clone(),
                )
            });
            let response = request.headers(headers).send().await?;
            let response = match redirects {
                Some(redirects) => redirects.follow(response).await?,
                None => response,
            };
            span.record("status", response.status().as_u16());
            if let Some(request_id) = response
                .headers()
                .get("request-id")
                .and_then(|value| value.to_str().ok())
            {
                span.record("request_id", request_id);
            }
            K::read(response).await
        };
        match prepared.timeout.or(self.inner.timeout) {
            Some(limit) => tokio::time::timeout(limit, exchange)
                .await
                .unwrap_or(Err(Error::Timeout(limit))),
            None => exchange.await,
        }
    }

    /// The reqwest client, for requests sent without the bearer token (to
    /// pre-authenticated upload URLs).
    pub(crate) fn reqwest_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// `base_url + path_and_query`.
    pub(crate) fn url(&self, path: &str) -> Result<Url, Error> {
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

    /// Parses an absolute `@odata.nextLink`, which must point at the base
    /// URL's origin (the bearer token is never sent elsewhere).
    pub(crate) fn link(&self, link: &str) -> Result<Url, Error> {
        let invalid = |reason: String| Error::InvalidUrl {
            url: link.to_owned(),
            reason,
        };
        let url = Url::parse(link).map_err(|e| invalid(format!("not an absolute URL: {e}")))?;
        let base = Url::parse(&self.inner.base_url).map_err(|e| invalid(e.to_string()))?;
        if url.origin() != base.origin() {
            return Err(invalid(format!(
                "the link leaves the service origin {}",
                base.origin().ascii_serialization()
            )));
        }
        Ok(url)
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
        assert!(
            debug.starts_with(r#"HttpClient { base_url: "https://graph.microsoft.com/v1.0", retry: RetryPolicy { max_attempts: 4,"#),
            "{debug}"
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

    #[test]
    fn next_links_must_stay_on_the_service_origin() {
        let client = HttpClient::new(GRAPH_BETA_BASE_URL, StaticToken::new("t")).expect("client");
        let next = "https://graph.microsoft.com/beta/users?$skiptoken=X";
        assert_eq!(client.link(next).expect("same origin").as_str(), next);
        for bad in [
            "https://evil.example/beta/users",
            "http://graph.microsoft.com/beta/users",
            "https://graph.microsoft.com:444/beta/users",
            "/beta/users",
            "",
        ] {
            assert!(
                matches!(client.link(bad), Err(Error::InvalidUrl { .. })),
                "{bad}"
            );
        }
    }
}
