//! [`RetryPolicy`]: when and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::ApiError;

/// How an [`HttpClient`](crate::HttpClient) retries throttled and
/// transiently failing requests.
///
/// Only throttling and transient gateway answers are retried: `429 Too Many
/// Requests`, `503 Service Unavailable` and `504 Gateway Timeout`. The wait is
/// the server's `Retry-After` (delta-seconds or an HTTP date) when present,
/// otherwise exponential backoff with full jitter: a uniformly random delay in
/// `[0, min(max_delay, base_delay * 2^(retry - 1))]`.
///
/// `POST` is not idempotent, so a `POST` is retried only when the server
/// explicitly asks for it: a `429` or `503` that carries `Retry-After`.
/// Network errors and timeouts are never retried.
///
/// The client never sleeps past [`RetryPolicy::max_elapsed`] (measured from
/// the first attempt): if the next wait would end after it, the last error is
/// returned instead.
///
/// ```
/// use std::time::Duration;
/// use graph_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(6)
///     .base_delay(Duration::from_millis(250));
/// assert_eq!(policy.max_attempts, 6);
/// assert_eq!(policy.max_delay, Duration::from_secs(30));
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (default 4; `0` counts as 1).
    pub max_attempts: u32,
    /// Time budget from the first attempt after which no further wait starts
    /// (default 60 s).
    pub max_elapsed: Duration,
    /// Backoff cap for the first retry; doubles with each retry (default 500 ms).
    pub base_delay: Duration,
    /// Upper bound of the backoff (default 30 s). Does not shorten a
    /// server-sent `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets [`RetryPolicy::max_attempts`].
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets [`RetryPolicy::max_elapsed`].
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Sets [`RetryPolicy::base_delay`].
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets [`RetryPolicy::max_delay`].
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How long to wait before attempt `attempt + 1` after `error` ended
    /// attempt `attempt` (1-based) of a `method` request, `elapsed` after the
    /// first attempt started; `None` means give up and return `error`.
    pub(crate) fn delay(
        &self,
        method: &Method,
        error: &ApiError,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts.max(1) {
            return None;
        }
        let status = error.status;
        let retryable = match *method {
            Method::POST => {
                error.retry_after.is_some()
                    && matches!(
                        status,
                        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
                    )
            }
            _ => matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
        };
        if !retryable {
            return None;
        }
        let delay = error
            .retry_after
            .unwrap_or_else(|| self.backoff(attempt, fastrand::f64()));
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }

    /// Full-jitter backoff before retry number `retry` (1-based), with
    /// `unit` in `[0, 1)` as the random factor.
    pub(crate) fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let cap = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        cap.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// Parses a `Retry-After` header: delta-seconds, with a fraction as Graph's
/// throttling documentation shows (`2.128`), or an HTTP date (a date in the
/// past means "now"). Anything else, or an absent header, is `None`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !whole.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None; // a second `.`
        }
        let seconds = whole.parse::<u64>().ok()?;
        // Nanoseconds from the first nine digits of the fraction.
        let digits = &fraction[..fraction.len().min(9)];
        let nanos = format!("{digits:0<9}").parse::<u32>().ok()?;
        return Some(Duration::new(seconds, nanos));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("header"));
        headers
    }

    fn api(status: u16, retry_after: Option<u64>) -> ApiError {
        let mut error = ApiError::from_response(StatusCode::from_u16(status).expect("status"), b"");
        error.retry_after = retry_after.map(Duration::from_secs);
        error
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(
            retry_after(&headers("2.128")),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(
            retry_after(&headers("0.5")),
            Some(Duration::from_millis(500))
        );
        assert_eq!(retry_after(&headers("3.")), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after(&headers("1.0000000019")),
            Some(Duration::new(1, 1)),
            "nanoseconds: digits past the ninth are dropped"
        );
        assert_eq!(retry_after(&headers(".5")), None);
        assert_eq!(retry_after(&headers("1.2.3")), None);
        assert_eq!(retry_after(&headers("1e3")), None);
        assert_eq!(retry_after(&headers("99999999999999999999999")), None);
        assert_eq!(retry_after(&headers("-1")), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO),
            "a past date means retry now"
        );
        let future = SystemTime::now() + Duration::from_secs(120);
        let waited = retry_after(&headers(&httpdate::fmt_http_date(future))).expect("date");
        assert!(
            waited > Duration::from_secs(115) && waited <= Duration::from_secs(120),
            "{waited:?}"
        );
    }

    #[test]
    fn backoff_is_capped_exponential_with_jitter() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        assert_eq!(
            policy.backoff(1, 0.999_999),
            Duration::from_millis(100).mul_f64(0.999_999)
        );
        assert_eq!(policy.backoff(2, 0.5), Duration::from_millis(100));
        assert_eq!(policy.backoff(3, 0.5), Duration::from_millis(175));
        assert_eq!(policy.backoff(40, 1.0), Duration::from_millis(350));
        assert_eq!(policy.backoff(3, 0.0), Duration::ZERO);
    }

    #[test]
    fn decides_what_to_retry() {
        let policy = RetryPolicy::default().max_attempts(3);
        let zero = Duration::ZERO;
        for status in [429, 503, 504] {
            assert!(
                policy
                    .delay(&Method::GET, &api(status, None), 1, zero)
                    .is_some(),
                "{status}"
            );
        }
        for status in [400, 401, 404, 500, 502] {
            assert!(
                policy
                    .delay(&Method::GET, &api(status, Some(1)), 1, zero)
                    .is_none(),
                "{status}"
            );
        }
        assert_eq!(
            policy.delay(&Method::DELETE, &api(429, Some(2)), 2, zero),
            Some(Duration::from_secs(2))
        );
        assert!(
            policy
                .delay(&Method::GET, &api(429, Some(2)), 3, zero)
                .is_none(),
            "attempts used up"
        );

        assert!(
            policy
                .delay(&Method::POST, &api(504, Some(1)), 1, zero)
                .is_none()
        );
        assert!(
            policy
                .delay(&Method::POST, &api(503, None), 1, zero)
                .is_none()
        );
        assert!(
            policy
                .delay(&Method::POST, &api(429, None), 1, zero)
                .is_none()
        );
        assert!(
            policy
                .delay(&Method::POST, &api(429, Some(1)), 1, zero)
                .is_some()
        );
        assert!(
            policy
                .delay(&Method::POST, &api(503, Some(1)), 1, zero)
                .is_some()
        );

        let budget = policy.max_elapsed(Duration::from_secs(10));
        assert!(
            budget
                .delay(&Method::GET, &api(429, Some(5)), 1, Duration::from_secs(5))
                .is_some()
        );
        assert!(
            budget
                .delay(&Method::GET, &api(429, Some(6)), 1, Duration::from_secs(5))
                .is_none(),
            "never sleeps past max_elapsed"
        );
        assert!(
            RetryPolicy::none()
                .delay(&Method::GET, &api(429, Some(1)), 1, zero)
                .is_none()
        );
        assert!(
            RetryPolicy::default()
                .max_attempts(0)
                .delay(&Method::GET, &api(429, Some(1)), 1, zero)
                .is_none()
        );
    }
}
