//! [`TokenCache`]: one access token, refreshed before it expires, one refresh at a time.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::credentials::SignInError;
use crate::{AccessToken, Error};

/// How long before its expiry a token is refreshed (MSAL and azure_identity use 5 minutes):
/// a token handed out must outlive the request it is put on, retries and clock skew included.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// After a failed refresh of a token that is still valid, how long to keep using it before
/// trying again: every call would otherwise ask the failing sign-in service once more.
const RETRY_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);

/// Caches one access token for a provider.
///
/// - A token is handed out until its refresh time: `expires_in` less 5 minutes, or half its
///   lifetime when that is shorter (a 60-second token is refreshed after 30 seconds).
/// - One caller refreshes at a time. Callers that arrive while a refresh runs wait for it
///   and take its result, a token or its error, so 50 concurrent requests cost one token
///   request, and one refusal, not 50 in a row.
/// - While a refresh runs, or after it failed, a token that has not expired yet is still
///   handed out.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Held by the one caller that refreshes.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    current: Option<Cached>,
    /// Refreshes finished so far, to tell a waiter whether one finished while it waited.
    refreshes: u64,
    /// The error of the last refresh, if it failed, with that refresh's number.
    failure: Option<(u64, Failure)>,
}

#[derive(Debug, Clone)]
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
    expires_at: Instant,
}

/// A refresh error, kept so that the callers that waited for it get it too.
/// ([`Error`] is not `Clone`: a sign-in refusal is kept whole, anything else as its text.)
#[derive(Debug, Clone)]
enum Failure {
    SignIn(SignInError),
    Other(String),
}

impl Failure {
    fn of(error: &Error) -> Self {
        match error {
            Error::SignIn(refusal) => Failure::SignIn((**refusal).clone()),
            other => Failure::Other(other.to_string()),
        }
    }

    fn to_error(&self) -> Error {
        match self {
            Failure::SignIn(refusal) => refusal.clone().into(),
            Failure::Other(text) => {
                Error::token(format!("a concurrent token refresh failed: {text}"))
            }
        }
    }
}

impl TokenCache {
    /// A cache that starts with `token`, valid for `lifetime` from now.
    pub(crate) fn with_token(token: AccessToken, lifetime: Duration) -> Self {
        let cache = TokenCache::default();
        cache.store(token, lifetime);
        cache
    }

    fn store(&self, token: AccessToken, lifetime: Duration) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.current = Some(Cached {
            token,
            refresh_at: now + lifetime.saturating_sub(REFRESH_MARGIN).max(lifetime / 2),
            expires_at: now + lifetime,
        });
    }

    /// The cached token if it is not due for a refresh yet (`fresh`), or if it has not
    /// expired yet (`!fresh`).
    fn cached(&self, fresh: bool) -> Option<AccessToken> {
        let now = Instant::now();
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let cached = state.current.as_ref()?;
        let until = if fresh {
            cached.refresh_at
        } else {
            cached.expires_at
        };
        (now < until).then(|| cached.token.clone())
    }

    fn refreshes(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .refreshes
    }

    /// The cached token, or a new one from `refresh` (which returns it with its lifetime).
    pub(crate) async fn get<F, Fut>(&self, refresh: F) -> Result<AccessToken, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(AccessToken, Duration), Error>>,
    {
        if let Some(token) = self.cached(true) {
            return Ok(token);
        }
        let seen = self.refreshes();
        let _refreshing = match self.refreshing.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Someone is refreshing: a token that still works will do meanwhile.
                if let Some(token) = self.cached(false) {
                    return Ok(token);
                }
                self.refreshing.lock().await
            }
        };
        {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.refreshes > seen {
                // A refresh finished while this caller waited: take its outcome.
                if let Some((number, failure)) = &state.failure
                    && *number == state.refreshes
                    && state
                        .current
                        .as_ref()
                        .is_none_or(|c| Instant::now() >= c.expires_at)
                {
                    return Err(failure.to_error());
                }
            }
        }
        if let Some(token) = self.cached(true) {
            return Ok(token);
        }

        let outcome = refresh().await;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.refreshes += 1;
        match outcome {
            Ok((token, lifetime)) => {
                state.failure = None;
                drop(state);
                self.store(token.clone(), lifetime);
                Ok(token)
            }
            Err(error) => {
                let number = state.refreshes;
                state.failure = Some((number, Failure::of(&error)));
                let now = Instant::now();
                match &mut state.current {
                    Some(cached) if now < cached.expires_at => {
                        cached.refresh_at =
                            (now + RETRY_AFTER_FAILED_REFRESH).min(cached.expires_at);
                        tracing::warn!(
                            error = %error,
                            "token refresh failed; the current token is used until it expires"
                        );
                        Ok(cached.token.clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn token(text: &str) -> AccessToken {
        AccessToken::new(text)
    }

    #[tokio::test]
    async fn refreshes_only_when_due() {
        let cache = TokenCache::with_token(token("a"), Duration::from_secs(3600));
        let got = cache
            .get(|| async { panic!("a fresh token must not be refreshed") })
            .await
            .expect("cached");
        assert_eq!(got.secret(), "a");

        // A 1-second token is due after half a second.
        let cache = TokenCache::with_token(token("short"), Duration::from_secs(1));
        assert_eq!(cache.cached(true).expect("fresh").secret(), "short");
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(cache.cached(true).is_none(), "due for a refresh");
        assert!(cache.cached(false).is_some(), "not expired yet");
        let got = cache
            .get(|| async { Ok((token("b"), Duration::from_secs(3600))) })
            .await
            .expect("refreshed");
        assert_eq!(got.secret(), "b");
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_a_token_that_still_works() {
        let cache = TokenCache::with_token(token("old"), Duration::from_secs(1));
        tokio::time::sleep(Duration::from_millis(600)).await;
        let got = cache
            .get(|| async { Err(Error::token("sign-in service down")) })
            .await
            .expect("the old token is still valid");
        assert_eq!(got.secret(), "old");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let err = cache
            .get(|| async { Err(Error::token("sign-in service down")) })
            .await
            .expect_err("expired, and the refresh failed");
        assert!(err.to_string().contains("sign-in service down"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh_and_its_failure() {
        let cache = Arc::new(TokenCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (cache, calls) = (cache.clone(), calls.clone());
                tokio::spawn(async move {
                    cache
                        .get(|| async {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            Err(SignInError::local("invalid_client", "no").into())
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            match task.await.expect("task") {
                Err(Error::SignIn(refusal)) => assert_eq!(refusal.code, "invalid_client"),
                other => panic!("expected the shared refusal, got {other:?}"),
            }
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "one refresh for 50 callers"
        );
    }
}
