//! [`DeviceCode`]: a user signs in on another device with a short code.

use std::fmt;
use std::time::{Duration, Instant};

use super::endpoint::{RefreshToken, SignInClient, SignInError};
use super::user_tokens::UserTokens;
use crate::{Error, NationalCloud};

/// What slow_down adds to the polling interval (RFC 8628, section 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// Delegated sign-in with the OAuth 2.0 device authorization grant: the program shows a
/// short code, the user enters it at `https://microsoft.com/devicelogin` on any device and
/// signs in there. For command-line tools, SSH sessions and devices without a browser.
///
/// The app registration must allow public client flows. [`sign_in`](Self::sign_in) asks
/// `{login}/{tenant}/oauth2/v2.0/devicecode` for a code, hands the prompt to the caller,
/// then polls the token endpoint at the interval the service names (5 seconds more after a
/// `slow_down`) while the answer is `authorization_pending`. A declined sign-in
/// (`authorization_declined`, `access_denied`), an expired code (`expired_token`) or any
/// other refusal ends it with [`Error::SignIn`].
///
/// Default scopes: the cloud's `{graph}/.default` (every delegated permission the app was
/// granted) and `offline_access` (for a refresh token).
///
/// ```no_run
/// # async fn demo() -> Result<(), graph_runtime::Error> {
/// use graph_runtime::credentials::DeviceCode;
/// use graph_runtime::{HttpClient, GRAPH_V1_BASE_URL};
///
/// let tokens = DeviceCode::new("organizations", "app-id")
///     .scopes(["User.Read", "offline_access"])
///     .sign_in(|prompt| eprintln!("{}", prompt.message))
///     .await?;
/// let graph = HttpClient::new(GRAPH_V1_BASE_URL, tokens)?;
/// # let _ = graph; Ok(()) }
/// ```
#[derive(Clone)]
pub struct DeviceCode {
    client: SignInClient,
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("sign_in", &self.client)
            .finish()
    }
}

/// What to show the user: go to [`verification_uri`](Self::verification_uri) and enter
/// [`user_code`](Self::user_code). [`message`](Self::message) says both in a sentence
/// from the service.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceCodePrompt {
    /// The code the user enters.
    pub user_code: String,
    /// Where the user enters it.
    pub verification_uri: String,
    /// The service's instructions, e.g. "To sign in, use a web browser to open the page
    /// `https://microsoft.com/devicelogin` and enter the code ABCD1234 to authenticate."
    pub message: String,
    /// How long the code is valid (15 minutes, usually).
    pub expires_in: Duration,
}

pub(crate) fn delegated_scopes(cloud: NationalCloud) -> Vec<String> {
    vec![
        cloud.default_scope().to_owned(),
        "offline_access".to_owned(),
    ]
}

impl DeviceCode {
    /// Sign-in for the public client app `client_id`. `tenant` is the tenant's id or domain,
    /// or `organizations` (any work or school account), `common` (those and personal
    /// Microsoft accounts) or `consumers` (personal accounts only).
    pub fn new(tenant: impl Into<String>, client_id: impl Into<String>) -> Self {
        DeviceCode {
            client: SignInClient::new(tenant, client_id, delegated_scopes),
        }
    }

    super::sign_in_settings!();

    /// Tokens from a refresh token kept from an earlier sign-in
    /// ([`UserTokens::refresh_token`]): no prompt; the first request redeems it.
    pub fn resume(&self, refresh_token: RefreshToken) -> UserTokens {
        UserTokens::resumed(self.client.clone(), None, refresh_token)
    }

    /// Runs the flow: asks for a code, calls `prompt` once with it, and waits until the user
    /// signed in (or refused, or the code expired).
    pub async fn sign_in(
        &self,
        prompt: impl FnOnce(&DeviceCodePrompt),
    ) -> Result<UserTokens, Error> {
        let answer = self.client.request_device_code().await?;
        let expires_in = Duration::from_secs(answer.expires_in);
        let deadline = Instant::now() + expires_in;
        prompt(&DeviceCodePrompt {
            user_code: answer.user_code,
            verification_uri: answer.verification_uri,
            message: answer.message,
            expires_in,
        });

        let mut interval = Duration::from_secs(answer.interval);
        loop {
            tokio::time::sleep(interval).await;
            if Instant::now() >= deadline {
                return Err(SignInError::local(
                    "expired_token",
                    "the device code expired before the user signed in",
                )
                .into());
            }
            let polled = self
                .client
                .request_token(&[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("client_id", self.client.client_id.as_str()),
                    ("device_code", answer.device_code.as_str()),
                ])
                .await;
            match polled {
                Ok(issued) => {
                    return Ok(UserTokens::signed_in(self.client.clone(), None, issued));
                }
                Err(Error::SignIn(refusal)) if refusal.code == "authorization_pending" => {}
                Err(Error::SignIn(refusal)) if refusal.code == "slow_down" => {
                    interval += SLOW_DOWN_STEP;
                }
                Err(other) => return Err(other),
            }
        }
    }
}
