//! Access tokens and the [`TokenProvider`] abstraction.
//!
//! The runtime does not implement any OAuth flow itself: it asks a
//! [`TokenProvider`] for a bearer token before every request, so callers can
//! plug in their own acquisition and caching logic.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::Error;

/// Future returned by [`TokenProvider::token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>>;

/// An OAuth 2.0 bearer token.
///
/// The secret is only reachable through [`AccessToken::secret`]; `Debug`
/// prints `AccessToken(<redacted>)` and there is deliberately no `Display`.
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a bearer token.
    pub fn new(secret: impl Into<String>) -> Self {
        AccessToken(secret.into())
    }

    /// The token itself, to be put in an `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Source of access tokens, asked once per request.
///
/// Implementations should cache and refresh tokens themselves. The trait is
/// dyn-compatible; it is also implemented for `Arc<P>` and `Box<P>` so one
/// provider can be shared between clients.
pub trait TokenProvider: Send + Sync {
    /// Returns a currently valid access token.
    fn token(&self) -> TokenFuture<'_>;
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Box<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

/// A provider that always returns the same token.
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Uses `secret` as the bearer token for every request.
    pub fn new(secret: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(secret))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A provider backed by an async closure, called once per request.
///
/// ```
/// use graph_runtime::{AccessToken, TokenFn};
/// let provider = TokenFn::new(|| async { Ok(AccessToken::new("t")) });
/// # let _ = provider;
/// ```
pub struct TokenFn<F>(F);

impl<F, Fut> TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken, Error>> + Send,
{
    /// Wraps the closure.
    pub fn new(f: F) -> Self {
        TokenFn(f)
    }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenFn").finish_non_exhaustive()
    }
}

impl<F, Fut> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken, Error>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin((self.0)())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_redacted() {
        let token = AccessToken::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(token.secret(), "s3cr3t-value");

        let provider = StaticToken::new("s3cr3t-value");
        assert_eq!(format!("{provider:?}"), "StaticToken(<redacted>)");
        assert_eq!(format!("{provider:#?}"), "StaticToken(<redacted>)");

        let f = TokenFn::new(|| async { Ok(AccessToken::new("s3cr3t-value")) });
        assert_eq!(format!("{f:?}"), "TokenFn { .. }");
    }

    #[tokio::test]
    async fn providers_return_tokens() {
        let provider = StaticToken::new("abc");
        assert_eq!(provider.token().await.expect("token").secret(), "abc");

        let shared: Arc<dyn TokenProvider> =
            Arc::new(TokenFn::new(|| async { Ok(AccessToken::new("xyz")) }));
        assert_eq!(shared.token().await.expect("token").secret(), "xyz");

        let failing = TokenFn::new(|| async { Err(Error::token("expired")) });
        let err = failing.token().await.expect_err("must fail");
        assert_eq!(err.to_string(), "failed to obtain an access token: expired");
    }
}
