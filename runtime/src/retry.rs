//! When and how long to wait before trying a request again.
//!
//! A request is retried when the attempt failed in a way that another attempt may fix:
//!
//! * the connection could not be made (the server never saw the request) — any method;
//! * the server answered `429 Too Many Requests` — any method (the request was refused,
//!   not processed);
//! * the server answered `408`, `500`, `502`, `503` or `504`, the attempt timed out, or the
//!   connection broke after the request was sent — only for methods other than `POST` and
//!   `PATCH`, because the server may already have acted on a non-idempotent request.
//!
//! Between attempts the runtime waits what the server asked for in `Retry-After` (either
//! delta-seconds or an HTTP-date), or else an exponential backoff with jitter (by default
//! 0.5 s, 1 s, 2 s, … up to 8 s, each between half and all of that). It gives up, returning
//! the last error with its status and body, when the retries are used up (by default 2, so 3
//! attempts; configurable per client and per call), when `Retry-After` asks for more than
//! [`RetryPolicy::retry_after_cap`] (rather than sleeping for minutes), or when the wait
//! would pass the overall deadline. The error says which
//! ([`RetryStop`](crate::RetryStop)).

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// Backoff and `Retry-After` settings. The number of retries is set separately, with
/// [`ClientBuilder::max_retries`](crate::ClientBuilder::max_retries),
/// [`Client::with_max_retries`](crate::Client::with_max_retries) or
/// [`Call::max_retries`](crate::Call::max_retries).
///
/// ```
/// use std::time::Duration;
/// use apigen_runtime::RetryPolicy;
///
/// // Fast retries for tests against a local mock server.
/// let policy = RetryPolicy::default()
///     .initial_backoff(Duration::from_millis(1))
///     .max_backoff(Duration::from_millis(4));
/// assert_eq!(policy.retry_after_cap, Duration::from_secs(60));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The wait before the first retry, doubled for each further one. Default 0.5 s.
    pub initial_backoff: Duration,
    /// The longest backoff wait. Default 8 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; when the server asks for more, the error is
    /// returned instead of waiting. Default 60 s.
    pub retry_after_cap: Duration,
    /// Whether backoff waits are randomized (between half and all of the nominal wait), so
    /// that many clients do not retry in lockstep. Default `true`.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Sets [`RetryPolicy::initial_backoff`].
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// Sets [`RetryPolicy::max_backoff`].
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Sets [`RetryPolicy::retry_after_cap`].
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.retry_after_cap = cap;
        self
    }

    /// Sets [`RetryPolicy::jitter`].
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The backoff before retry number `retry` (1 for the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let nominal = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        if !self.jitter || nominal.is_zero() {
            return nominal;
        }
        // Equal jitter: half fixed, half random.
        let half = nominal / 2;
        half + half.mul_f64(random_unit())
    }
}

/// A number in `[0, 1)`, from the standard library's randomly keyed hasher (no RNG
/// dependency is needed for jitter).
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether a status is worth retrying at all.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a method may be retried after the server may have received it.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    !matches!(*method, Method::POST | Method::PATCH)
}

/// The wait a `Retry-After` header asks for, in either form; a date in the past means no
/// wait. `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn backoff_doubles_up_to_the_max() {
        let p = RetryPolicy::default().jitter(false);
        let waits: Vec<u64> = (1..=7).map(|n| p.backoff(n).as_millis() as u64).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(p.backoff(200), Duration::from_secs(8));
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        let p = RetryPolicy::default();
        for n in 1..=5 {
            let nominal = RetryPolicy::default().jitter(false).backoff(n);
            for _ in 0..50 {
                let w = p.backoff(n);
                assert!(w >= nominal / 2 && w <= nominal, "{w:?} vs {nominal:?}");
            }
        }
    }

    #[test]
    fn retry_after_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let h = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.insert(http::header::RETRY_AFTER, HeaderValue::from_static(v));
            retry_after(&m, now)
        };
        assert_eq!(h("1"), Some(Duration::from_secs(1)));
        assert_eq!(h(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            h("Sun, 06 Nov 1994 08:49:47 GMT"),
            Some(Duration::from_secs(10))
        );
        // obsolete RFC 850 and asctime forms
        assert_eq!(
            h("Sunday, 06-Nov-94 08:49:57 GMT"),
            Some(Duration::from_secs(20))
        );
        assert_eq!(h("Sun Nov  6 08:50:07 1994"), Some(Duration::from_secs(30)));
        assert_eq!(h("Sun, 06 Nov 1994 08:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(h("soon"), None);
        assert_eq!(h("-5"), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retryable_statuses_and_methods() {
        let retryable: Vec<u16> = (100..600)
            .filter(|&s| StatusCode::from_u16(s).is_ok_and(is_retryable_status))
            .collect();
        assert_eq!(retryable, [408, 429, 500, 502, 503, 504]);
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
