//! [`UserTokens`]: a signed-in user's tokens, refreshed with the refresh token.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::cache::TokenCache;
use super::endpoint::{Issued, RefreshToken, SignInClient};
use crate::{AccessToken, Error, TokenFuture, TokenProvider};

/// The tokens of a user who signed in with [`DeviceCode`](super::DeviceCode) or
/// [`AuthorizationCode`](super::AuthorizationCode): a [`TokenProvider`] for delegated
/// access.
///
/// The access token is cached and, 5 minutes before it expires, renewed with the refresh
/// token (`grant_type=refresh_token`), one refresh at a time; the refresh token the service
/// sends back replaces the old one. When the refresh token no longer works (revoked,
/// expired, a password change), requests fail with [`Error::SignIn`] (`invalid_grant`),
/// and the user has to sign in again.
///
/// Clones share the tokens. `Debug` shows neither token.
#[derive(Clone)]
pub struct UserTokens {
    inner: Arc<Inner>,
}

struct Inner {
    client: SignInClient,
    /// Sent with refreshes by confidential (web) apps.
    client_secret: Option<String>,
    refresh_token: Mutex<Option<RefreshToken>>,
    cache: TokenCache,
}

impl fmt::Debug for UserTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserTokens")
            .field("sign_in", &self.inner.client)
            .field("has_refresh_token", &self.refresh_token().is_some())
            .finish_non_exhaustive()
    }
}

impl UserTokens {
    /// The tokens of a finished sign-in.
    pub(crate) fn signed_in(
        client: SignInClient,
        client_secret: Option<String>,
        issued: Issued,
    ) -> Self {
        UserTokens {
            inner: Arc::new(Inner {
                client,
                client_secret,
                refresh_token: Mutex::new(issued.refresh_token),
                cache: TokenCache::with_token(issued.access_token, issued.lifetime),
            }),
        }
    }

    /// Tokens that start from a refresh token kept from an earlier sign-in.
    pub(crate) fn resumed(
        client: SignInClient,
        client_secret: Option<String>,
        refresh_token: RefreshToken,
    ) -> Self {
        UserTokens {
            inner: Arc::new(Inner {
                client,
                client_secret,
                refresh_token: Mutex::new(Some(refresh_token)),
                cache: TokenCache::default(),
            }),
        }
    }

    /// The current refresh token, to keep for the next run (see `resume` on the flows), if
    /// the service sent one: it does when the scopes include `offline_access`.
    pub fn refresh_token(&self) -> Option<RefreshToken> {
        self.inner
            .refresh_token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    async fn refresh(&self) -> Result<(AccessToken, Duration), Error> {
        let Some(refresh_token) = self.refresh_token() else {
            return Err(super::SignInError::local(
                "interaction_required",
                "the access token expired and the sign-in returned no refresh token \
                 (ask for the `offline_access` scope): sign in again",
            )
            .into());
        };
        let client = &self.inner.client;
        let scope = client.scope_parameter();
        let mut form = vec![
            ("client_id", client.client_id.as_str()),
            ("scope", scope.as_str()),
            ("refresh_token", refresh_token.secret()),
            ("grant_type", "refresh_token"),
        ];
        if let Some(secret) = &self.inner.client_secret {
            form.push(("client_secret", secret));
        }
        let issued = client.request_token(&form).await?;
        if let Some(rotated) = issued.refresh_token {
            *self
                .inner
                .refresh_token
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(rotated);
        }
        Ok((issued.access_token, issued.lifetime))
    }
}

impl TokenProvider for UserTokens {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.inner.cache.get(|| self.refresh()))
    }
}
