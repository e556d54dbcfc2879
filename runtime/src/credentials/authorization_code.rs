//! [`AuthorizationCode`]: a user signs in in a browser; the app redeems the code with PKCE.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Url;

use super::device_code::delegated_scopes;
use super::endpoint::{RefreshToken, SignInClient, SignInError};
use super::user_tokens::UserTokens;
use crate::{Error, encode_query_value};

/// Delegated sign-in with the OAuth 2.0 authorization code grant and PKCE (RFC 7636, `S256`):
/// the user signs in in a browser, which comes back to the app's redirect URI with a code
/// that the app redeems for tokens.
///
/// 1. [`start`](Self::start) makes a sign-in URL with a fresh `state` and PKCE verifier;
///    send the user's browser there.
/// 2. The identity platform redirects to `redirect_uri?code=…&state=…` (or `?error=…`).
/// 3. [`AuthorizationRequest::finish`] checks the `state`, reads the code (or the refusal,
///    as [`Error::SignIn`]) and redeems it at `{login}/{tenant}/oauth2/v2.0/token` with the
///    verifier, so a code intercepted on the way is useless to anyone else.
///
/// Desktop and command-line apps register a `http://localhost:{port}` redirect URI and
/// listen there; web apps redirect to their own page and add their
/// [`client_secret`](Self::client_secret).
///
/// ```no_run
/// # async fn demo(redirect_the_browser_lands_on: &str) -> Result<(), graph_runtime::Error> {
/// use graph_runtime::credentials::AuthorizationCode;
///
/// let flow = AuthorizationCode::new("organizations", "app-id", "http://localhost:8400/")
///     .scopes(["User.Read", "Mail.Read", "offline_access"]);
/// let request = flow.start()?;
/// println!("sign in at {}", request.url());
/// // … the browser comes back to http://localhost:8400/?code=…&state=…
/// let tokens = request.finish(redirect_the_browser_lands_on).await?;
/// # let _ = tokens; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AuthorizationCode {
    client: SignInClient,
    redirect_uri: String,
    client_secret: Option<String>,
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCode")
            .field("sign_in", &self.client)
            .field("redirect_uri", &self.redirect_uri)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl AuthorizationCode {
    /// Sign-in for the app `client_id` whose registration lists `redirect_uri`; `tenant` as
    /// for [`DeviceCode::new`](super::DeviceCode::new). Default scopes: the cloud's
    /// `{graph}/.default` and `offline_access`.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        AuthorizationCode {
            client: SignInClient::new(tenant, client_id, delegated_scopes),
            redirect_uri: redirect_uri.into(),
            client_secret: None,
        }
    }

    super::sign_in_settings!();

    /// The client secret of a confidential (web) app, sent when redeeming codes and refresh
    /// tokens. Public clients (desktop, mobile, command line) have none.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Tokens from a refresh token kept from an earlier sign-in.
    pub fn resume(&self, refresh_token: RefreshToken) -> UserTokens {
        UserTokens::resumed(
            self.client.clone(),
            self.client_secret.clone(),
            refresh_token,
        )
    }

    /// A new sign-in: its URL, `state` and PKCE verifier (32 random bytes each, from the
    /// operating system's generator through aws-lc-rs, the TLS provider's library).
    pub fn start(&self) -> Result<AuthorizationRequest, Error> {
        let state = random_token()?;
        let verifier = random_token()?;
        let challenge = URL_SAFE_NO_PAD.encode(
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes()).as_ref(),
        );
        let mut url = self.client.endpoint_url("authorize")?;
        let scope = self.client.scope_parameter();
        let query = [
            ("client_id", self.client.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("response_mode", "query"),
            ("scope", scope.as_str()),
            ("state", state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&");
        url.set_query(Some(&query));
        Ok(AuthorizationRequest {
            flow: self.clone(),
            url: url.to_string(),
            state,
            verifier,
        })
    }
}

/// 32 random bytes, base64url: the 43 characters RFC 7636 asks of a verifier.
fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| Error::token("the operating system's random generator failed"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// One sign-in in progress, from [`AuthorizationCode::start`]: send the browser to
/// [`url`](Self::url), then [`finish`](Self::finish) with where it comes back.
///
/// `Debug` leaves the PKCE verifier out.
pub struct AuthorizationRequest {
    flow: AuthorizationCode,
    url: String,
    state: String,
    verifier: String,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl AuthorizationRequest {
    /// The sign-in page, with the PKCE challenge (not the verifier) in it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `state` the redirect must carry back.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Redeems the code in the URL the browser was redirected to (the whole URL, or just
    /// its query). Refused with [`Error::SignIn`] when the redirect carries an `error`
    /// (`access_denied` when the user declined, …), when its `state` is not this request's
    /// (`state_mismatch`: another sign-in's answer, or a forged one) or when it has no code.
    pub async fn finish(self, redirect: &str) -> Result<UserTokens, Error> {
        let query = match Url::parse(redirect) {
            Ok(url) => url.query().unwrap_or("").to_owned(),
            Err(_) => redirect.trim_start_matches('?').to_owned(),
        };
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = String::new();
        for (key, value) in parse_query(&query) {
            match key.as_str() {
                "code" => code = Some(value),
                "state" => state = Some(value),
                "error" => error = Some(value),
                "error_description" => description = value,
                _ => {}
            }
        }
        if state.as_deref() != Some(self.state.as_str()) {
            return Err(SignInError::local(
                "state_mismatch",
                "the redirect's state is not the one this sign-in sent",
            )
            .into());
        }
        if let Some(error) = error {
            return Err(SignInError::local(&error, description).into());
        }
        let Some(code) = code else {
            return Err(
                SignInError::local("invalid_request", "the redirect carries no code").into(),
            );
        };
        self.exchange_code(&code).await
    }

    /// Redeems a code the caller took from the redirect itself (after checking its `state`
    /// against [`state`](Self::state)).
    pub async fn exchange_code(self, code: &str) -> Result<UserTokens, Error> {
        let flow = self.flow;
        let client = &flow.client;
        let scope = client.scope_parameter();
        let mut form = vec![
            ("client_id", client.client_id.as_str()),
            ("scope", scope.as_str()),
            ("code", code),
            ("redirect_uri", flow.redirect_uri.as_str()),
            ("grant_type", "authorization_code"),
            ("code_verifier", self.verifier.as_str()),
        ];
        if let Some(secret) = &flow.client_secret {
            form.push(("client_secret", secret));
        }
        let issued = client.request_token(&form).await?;
        Ok(UserTokens::signed_in(
            client.clone(),
            flow.client_secret.clone(),
            issued,
        ))
    }
}

/// `a=1&b=x%20y` → pairs, `+` read as a space (form encoding).
fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_the_sha256_of_the_verifier() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = URL_SAFE_NO_PAD.encode(
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes()).as_ref(),
        );
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        let a = random_token().expect("random");
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token().expect("random"), "fresh each time");
    }

    #[test]
    fn the_sign_in_url_carries_the_challenge_not_the_verifier() {
        let request = AuthorizationCode::new("contoso.com", "app", "http://localhost:8400/")
            .scopes(["User.Read", "offline_access"])
            .start()
            .expect("url");
        let url = Url::parse(request.url()).expect("absolute");
        assert_eq!(
            url.as_str().split('?').next(),
            Some("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize")
        );
        let pairs = parse_query(url.query().expect("query"));
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("client_id"), Some("app"));
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("redirect_uri"), Some("http://localhost:8400/"));
        assert_eq!(get("scope"), Some("User.Read offline_access"));
        assert_eq!(get("state"), Some(request.state()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        let expected_challenge = URL_SAFE_NO_PAD.encode(
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, request.verifier.as_bytes())
                .as_ref(),
        );
        assert_eq!(get("code_challenge"), Some(expected_challenge.as_str()));
        assert!(!request.url().contains(&request.verifier));
        assert!(!format!("{request:?}").contains(&request.verifier));
    }

    #[tokio::test]
    async fn redirects_with_an_error_or_another_state_are_refused() {
        let flow = AuthorizationCode::new("t", "app", "http://localhost/");
        let request = flow.start().expect("start");
        let state = request.state().to_owned();
        let refused = |result: Result<UserTokens, Error>| match result {
            Err(Error::SignIn(refusal)) => (refusal.code.clone(), refusal.description.clone()),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(
            refused(
                request
                    .finish("http://localhost/?code=c&state=forged")
                    .await
            )
            .0,
            "state_mismatch"
        );
        let request = flow.start().expect("start");
        let state2 = request.state().to_owned();
        assert_ne!(state, state2);
        let (code, description) = refused(
            request
                .finish(&format!(
                    "http://localhost/?error=access_denied&error_description=the+user+said+no&state={state2}"
                ))
                .await,
        );
        assert_eq!(
            (code.as_str(), description.as_str()),
            ("access_denied", "the user said no")
        );
    }
}
