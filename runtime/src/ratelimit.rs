//! Rate-limit state a server reports in response headers: [`RateLimit`].
//!
//! Two header families are read, the first one present wins per value:
//!
//! - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (the IETF httpapi draft,
//!   which CircleCI sends): `Reset` is a number of seconds from now;
//! - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (the older
//!   convention): `Reset` is seconds from now, or, when it is larger than any sensible
//!   wait (more than a year of seconds), a Unix time in seconds, as GitHub sends it.
//!
//! A value that is not a plain non-negative integer is ignored (a draft's list form such as
//! `100, 100;w=60` keeps its first number).

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// What the server said about its rate limit, as of one response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The number of requests allowed in the current window.
    pub limit: Option<u64>,
    /// The number of requests left in the current window.
    pub remaining: Option<u64>,
    /// How long until the window resets, as of the response (a Unix-time reset in the past
    /// is zero).
    pub reset: Option<Duration>,
}

/// Reset values above this many seconds are Unix times, not waits (one year).
const MAX_RESET_DELTA: u64 = 365 * 24 * 60 * 60;

impl RateLimit {
    /// The rate-limit state in `headers`, or `None` when none of the headers is there.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        Self::from_headers_at(headers, SystemTime::now())
    }

    pub(crate) fn from_headers_at(headers: &HeaderMap, now: SystemTime) -> Option<RateLimit> {
        let number = |names: [&str; 2]| names.iter().find_map(|name| leading_number(headers, name));
        let limit = number(["ratelimit-limit", "x-ratelimit-limit"]);
        let remaining = number(["ratelimit-remaining", "x-ratelimit-remaining"]);
        let reset = number(["ratelimit-reset", "x-ratelimit-reset"]).map(|seconds| {
            if seconds > MAX_RESET_DELTA {
                let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds));
                at.and_then(|at| at.duration_since(now).ok())
                    .unwrap_or(Duration::ZERO)
            } else {
                Duration::from_secs(seconds)
            }
        });
        if limit.is_none() && remaining.is_none() && reset.is_none() {
            return None;
        }
        Some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }

    /// Whether the server said no request is left in the window.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }
}

/// The first integer of header `name` (`100` of `100, 100;w=60`).
fn leading_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let rest = text[end..].trim_start();
    if end == 0 || !(rest.is_empty() || rest.starts_with([',', ';'])) {
        return None;
    }
    text[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn both_families_and_their_reset_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let parse = |pairs| RateLimit::from_headers_at(&headers(pairs), now);
        assert_eq!(
            parse(&[
                ("RateLimit-Limit", "100"),
                ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", "17")
            ]),
            Some(RateLimit {
                limit: Some(100),
                remaining: Some(0),
                reset: Some(Duration::from_secs(17)),
            })
        );
        assert_eq!(
            parse(&[
                ("X-RateLimit-Remaining", "4"),
                ("X-RateLimit-Reset", "1800000030")
            ]),
            Some(RateLimit {
                limit: None,
                remaining: Some(4),
                reset: Some(Duration::from_secs(30)),
            })
        );
        // A Unix time already past is no wait.
        assert_eq!(
            parse(&[("x-ratelimit-reset", "1700000000")]).and_then(|r| r.reset),
            Some(Duration::ZERO)
        );
        // The draft's list form keeps its first number; the first family wins.
        assert_eq!(
            parse(&[
                ("ratelimit-limit", "100, 100;w=60"),
                ("x-ratelimit-limit", "7")
            ])
            .and_then(|r| r.limit),
            Some(100)
        );
        assert_eq!(parse(&[]), None);
        assert_eq!(
            parse(&[("ratelimit-remaining", "-1"), ("ratelimit-limit", "x")]),
            None
        );
        assert_eq!(
            parse(&[("ratelimit-reset", "99999999999999999999999")]),
            None
        );
        assert!(parse(&[("ratelimit-remaining", "0")]).is_some_and(|r| r.is_exhausted()));
    }
}
