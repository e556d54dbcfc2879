//! The two endpoints of the Microsoft identity platform v2.0 that the flows use,
//! `{login}/{tenant}/oauth2/v2.0/token` and `…/devicecode`, and what they answer.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use tracing::Instrument;

use crate::{AccessToken, Error, HttpClient, NationalCloud, encode_path_segment};

/// How long one request to the sign-in service may take, unless a flow's `timeout` says
/// otherwise: the identity platform answers in well under a second when it is healthy.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(30);

/// The Microsoft identity platform refused a request: its OAuth 2.0 error answer
/// (`{"error": …, "error_description": …, "error_codes": […], "trace_id": …}`), or a local
/// check of the same kind (an `authorization` redirect whose `state` does not match,
/// a device code that expired before the user signed in).
///
/// [`code`](Self::code) is the OAuth error: `invalid_client` (a wrong or expired secret),
/// `invalid_grant` (a revoked or expired refresh token, a used authorization code),
/// `authorization_declined` / `access_denied` (the user said no), `expired_token` (the device
/// code expired), `invalid_scope`, `unauthorized_client`, …. The `AADSTS` numbers are in
/// [`error_codes`](Self::error_codes); quote [`trace_id`](Self::trace_id) and
/// [`correlation_id`](Self::correlation_id) to Microsoft support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sign-in failed: {}", self.summary())]
#[non_exhaustive]
pub struct SignInError {
    /// The HTTP status of the answer; `None` for a refusal found locally.
    pub status: Option<StatusCode>,
    /// The OAuth 2.0 `error` code.
    pub code: String,
    /// The `error_description`: a message for people, starting with the `AADSTS` number.
    pub description: String,
    /// The `error_codes`: the identity platform's own numbers (`7000215` for `AADSTS7000215`).
    pub error_codes: Vec<u64>,
    /// The `trace_id` of the request in Microsoft's logs.
    pub trace_id: Option<String>,
    /// The `correlation_id` of the request in Microsoft's logs.
    pub correlation_id: Option<String>,
}

impl SignInError {
    /// A refusal found on this side of the wire.
    pub(crate) fn local(code: &str, description: impl Into<String>) -> Self {
        SignInError {
            status: None,
            code: code.to_owned(),
            description: description.into(),
            error_codes: Vec::new(),
            trace_id: None,
            correlation_id: None,
        }
    }

    /// `code: first line of the description (HTTP status)`: the description repeats the
    /// trace and correlation ids on its next lines.
    fn summary(&self) -> String {
        let first_line = self.description.lines().next().unwrap_or("").trim();
        let mut text = self.code.clone();
        if !first_line.is_empty() {
            text.push_str(": ");
            text.push_str(first_line);
        }
        if let Some(status) = self.status {
            text.push_str(&format!(" (HTTP {status})"));
        }
        text
    }
}

/// The OAuth 2.0 error body.
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    error_codes: Vec<u64>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
}

/// A refresh token: redeemed for new access tokens while the user does not sign in again.
///
/// Keep it as secret as a password. `Debug` prints `RefreshToken(<redacted>)`; there is no
/// `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// Wraps a refresh token kept from an earlier sign-in.
    pub fn new(secret: impl Into<String>) -> Self {
        RefreshToken(secret.into())
    }

    /// The token itself, to be stored somewhere safe.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// What the token endpoint issued.
pub(crate) struct Issued {
    pub(crate) access_token: AccessToken,
    pub(crate) lifetime: Duration,
    pub(crate) refresh_token: Option<RefreshToken>,
}

/// The success body of the token endpoint. `expires_in` is a number in v2.0; the v1.0
/// endpoint and some proxies send it as a string, so both are read.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(deserialize_with = "seconds")]
    expires_in: u64,
    #[serde(default)]
    refresh_token: Option<String>,
}

fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    match Seconds::deserialize(deserializer)? {
        Seconds::Number(seconds) => Ok(seconds),
        Seconds::Text(text) => text.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// The answer of the `devicecode` endpoint.
#[derive(Deserialize)]
pub(crate) struct DeviceCodeAnswer {
    pub(crate) device_code: String,
    pub(crate) user_code: String,
    pub(crate) verification_uri: String,
    #[serde(deserialize_with = "seconds")]
    pub(crate) expires_in: u64,
    #[serde(default = "default_interval", deserialize_with = "seconds")]
    pub(crate) interval: u64,
    #[serde(default)]
    pub(crate) message: String,
}

/// RFC 8628: poll every 5 seconds when the server names no interval.
fn default_interval() -> u64 {
    5
}

/// Where and as whom a flow signs in: the settings every flow shares, and the HTTP client
/// for the two endpoints.
#[derive(Clone)]
pub(crate) struct SignInClient {
    pub(crate) cloud: NationalCloud,
    pub(crate) login_url: Option<String>,
    pub(crate) tenant: String,
    pub(crate) client_id: String,
    pub(crate) scopes: Option<Vec<String>>,
    /// What `scopes` is when the caller names none: the flow's choice.
    default_scopes: fn(NationalCloud) -> Vec<String>,
    pub(crate) timeout: Duration,
    http: Arc<OnceLock<reqwest::Client>>,
}

impl fmt::Debug for SignInClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("cloud", &self.cloud)
            .field("login_url", &self.login_url())
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl SignInClient {
    pub(crate) fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        default_scopes: fn(NationalCloud) -> Vec<String>,
    ) -> Self {
        SignInClient {
            cloud: NationalCloud::Global,
            login_url: None,
            tenant: tenant.into(),
            client_id: client_id.into(),
            scopes: None,
            default_scopes,
            timeout: DEFAULT_SIGN_IN_TIMEOUT,
            http: Arc::new(OnceLock::new()),
        }
    }

    pub(crate) fn use_reqwest(&mut self, client: reqwest::Client) {
        let cell = OnceLock::new();
        let _ = cell.set(client);
        self.http = Arc::new(cell);
    }

    /// The sign-in host: the one set with `login_url`, else the cloud's.
    pub(crate) fn login_url(&self) -> &str {
        self.login_url
            .as_deref()
            .unwrap_or(self.cloud.login_url())
            .trim_end_matches('/')
    }

    pub(crate) fn scopes(&self) -> Vec<String> {
        self.scopes
            .clone()
            .unwrap_or_else(|| (self.default_scopes)(self.cloud))
    }

    pub(crate) fn scope_parameter(&self) -> String {
        self.scopes().join(" ")
    }

    /// `{login}/{tenant}/oauth2/v2.0/{endpoint}`, the tenant encoded as one segment.
    ///
    /// Plain `http` is accepted for loopback hosts only (a test's token endpoint): a client
    /// secret or a refresh token must not cross a network unencrypted.
    pub(crate) fn endpoint_url(&self, endpoint: &str) -> Result<Url, Error> {
        let tenant = encode_path_segment("tenant", &self.tenant)?;
        let text = format!("{}/{tenant}/oauth2/v2.0/{endpoint}", self.login_url());
        let invalid = |reason: &str| Error::InvalidUrl {
            url: text.clone(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(&text).map_err(|e| invalid(&e.to_string()))?;
        match url.scheme() {
            "https" => Ok(url),
            "http" if is_loopback(&url) => Ok(url),
            "http" => Err(invalid(
                "the sign-in URL must use https (plain http only on a loopback address)",
            )),
            _ => Err(invalid("the sign-in URL must use https")),
        }
    }

    fn http(&self) -> Result<&reqwest::Client, Error> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let client = HttpClient::reqwest_builder().build()?;
        Ok(self.http.get_or_init(|| client))
    }

    /// Posts a form to `endpoint`; the status and the body.
    async fn post(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<(StatusCode, bytes::Bytes), Error> {
        let url = self.endpoint_url(endpoint)?;
        let body = form_body(form);
        let request = self
            .http()?
            .post(url)
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(body);
        let exchange = async move {
            let response = request.send().await?;
            let status = response.status();
            Ok::<_, Error>((status, response.bytes().await?))
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .unwrap_or(Err(Error::Timeout(self.timeout)))
    }

    /// Asks the token endpoint for a token with `form` (which names the grant).
    ///
    /// Traced as a `graph.sign_in` span with the grant type, the endpoint, the status and
    /// the OAuth error code; never a token, secret or code.
    pub(crate) async fn request_token(&self, form: &[(&str, &str)]) -> Result<Issued, Error> {
        let grant_type = form
            .iter()
            .find(|(key, _)| *key == "grant_type")
            .map_or("", |(_, value)| *value);
        let span = tracing::debug_span!(
            "graph.sign_in",
            grant_type,
            login_url = self.login_url(),
            tenant = %self.tenant,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let traced = span.clone();
        async move {
            let (status, body) = self.post("token", form).await?;
            traced.record("status", status.as_u16());
            if !status.is_success() {
                let error = refusal(status, &body);
                traced.record("error", error.code.as_str());
                tracing::debug!(code = %error.code, "the sign-in service refused the token request");
                return Err(error.into());
            }
            let answer: TokenAnswer = serde_json::from_slice(&body)
                .map_err(|error| invalid_answer(status, "token", &error))?;
            Ok(Issued {
                access_token: AccessToken::new(answer.access_token),
                lifetime: Duration::from_secs(answer.expires_in),
                refresh_token: answer.refresh_token.map(RefreshToken),
            })
        }
        .instrument(span)
        .await
    }

    /// Asks the `devicecode` endpoint for a user code.
    pub(crate) async fn request_device_code(&self) -> Result<DeviceCodeAnswer, Error> {
        let scope = self.scope_parameter();
        let form = [("client_id", self.client_id.as_str()), ("scope", &scope)];
        let (status, body) = self.post("devicecode", &form).await?;
        if !status.is_success() {
            return Err(refusal(status, &body).into());
        }
        serde_json::from_slice(&body)
            .map_err(|error| invalid_answer(status, "devicecode", &error).into())
    }
}

/// The error answer of a non-2xx status; a body that is not one becomes `unexpected_response`
/// with the start of the body as its description.
fn refusal(status: StatusCode, body: &[u8]) -> SignInError {
    match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(answer) => SignInError {
            status: Some(status),
            code: answer.error,
            description: answer.error_description,
            error_codes: answer.error_codes,
            trace_id: answer.trace_id,
            correlation_id: answer.correlation_id,
        },
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let excerpt: String = text.trim().chars().take(512).collect();
            SignInError {
                status: Some(status),
                ..SignInError::local("unexpected_response", excerpt)
            }
        }
    }
}

/// `application/x-www-form-urlencoded`: every byte but the unreserved ones percent-encoded.
fn form_body(form: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (key, value) in form {
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(&crate::encode_query_value(key));
        body.push('=');
        body.push_str(&crate::encode_query_value(value));
    }
    body
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// A 2xx answer of the wrong shape. Not the serde message: it may quote the body, which
/// holds a token or a device code.
fn invalid_answer(status: StatusCode, endpoint: &str, error: &serde_json::Error) -> SignInError {
    SignInError {
        status: Some(status),
        ..SignInError::local(
            "invalid_response",
            format!(
                "the {endpoint} endpoint's answer is not of the documented shape \
                 ({:?} error at line {}, column {})",
                error.classify(),
                error.line(),
                error.column()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(login_url: &str, tenant: &str) -> SignInClient {
        let mut client = SignInClient::new(tenant, "app", |cloud| {
            vec![cloud.default_scope().to_owned()]
        });
        client.login_url = Some(login_url.to_owned());
        client
    }

    #[test]
    fn endpoint_urls_need_https_except_on_loopback() {
        let url = |login: &str, tenant: &str| {
            client(login, tenant)
                .endpoint_url("token")
                .map(|url| url.to_string())
        };
        assert_eq!(
            url("https://login.microsoftonline.us/", "contoso.com").expect("https"),
            "https://login.microsoftonline.us/contoso.com/oauth2/v2.0/token"
        );
        for loopback in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
        ] {
            assert!(url(loopback, "t").is_ok(), "{loopback}");
        }
        for refused in [
            "http://login.example",
            "http://10.0.0.1",
            "ftp://x",
            "not a url",
        ] {
            assert!(
                matches!(url(refused, "t"), Err(Error::InvalidUrl { .. })),
                "{refused}"
            );
        }
        assert_eq!(
            url("https://login.microsoftonline.com", "a/b?c").expect("encoded"),
            "https://login.microsoftonline.com/a%2Fb%3Fc/oauth2/v2.0/token"
        );
        assert!(matches!(
            url("https://login.microsoftonline.com", ".."),
            Err(Error::InvalidPathParameter { .. })
        ));
    }

    #[test]
    fn reads_the_identity_platform_error_answer() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-01-01 00:00:00Z","error_codes":[7000215],"timestamp":"2024-01-01 00:00:00Z","trace_id":"t","correlation_id":"c"}"#;
        let error = refusal(StatusCode::UNAUTHORIZED, body);
        assert_eq!(error.code, "invalid_client");
        assert_eq!(error.error_codes, vec![7000215]);
        assert_eq!(error.trace_id.as_deref(), Some("t"));
        assert_eq!(error.correlation_id.as_deref(), Some("c"));
        assert_eq!(
            error.to_string(),
            "sign-in failed: invalid_client: AADSTS7000215: Invalid client secret provided. \
             (HTTP 401 Unauthorized)"
        );

        let gateway = refusal(StatusCode::BAD_GATEWAY, b"<html>upstream down</html>");
        assert_eq!(gateway.code, "unexpected_response");
        assert_eq!(gateway.description, "<html>upstream down</html>");
    }

    #[test]
    fn forms_are_percent_encoded() {
        assert_eq!(
            form_body(&[
                (
                    "scope",
                    "https://graph.microsoft.com/.default offline_access"
                ),
                ("a&b", "=")
            ]),
            "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default%20offline_access&a%26b=%3D"
        );
    }

    #[test]
    fn expires_in_may_be_a_string() {
        let answer: TokenAnswer = serde_json::from_str(
            r#"{"access_token":"x","expires_in":"3599","token_type":"Bearer"}"#,
        )
        .expect("string seconds");
        assert_eq!(answer.expires_in, 3599);
        assert_eq!(
            format!("{:?}", RefreshToken::new("r")),
            "RefreshToken(<redacted>)"
        );
    }
}
