//! Sending a prepared request with timeouts and retries, yielding a [`RawResponse`].
//!
//! Nothing here depends on an operation's result or error type: this code is compiled once,
//! and every operation shares it through one boxed future. Each request runs inside a
//! `tracing` span `apigen.request` (at DEBUG level) with the fields `method`, `path` (the
//! path *template*), `attempt`, `status` and `wait_ms`; retries are logged as DEBUG events
//! in it. Neither the token nor the filled-in path, query or headers are recorded.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use http::StatusCode;
use tracing::Instrument as _;

use crate::decode::RawResponse;
use crate::error::{
    BodySize, BodyTooLarge, Endpoint, InvalidInput, InvalidInputKind, RetryStop, TimeoutError,
    TimeoutKind, TransportError,
};
use crate::hook::RequestHead;
use crate::inner::ClientInner;
use crate::prepared::{Outgoing, Prepared};
use crate::ratelimit::RateLimit;
use crate::retry::{is_idempotent, is_retryable_status, retry_after};

/// How much of an error (non-2xx) body is kept: enough for any error message, little enough
/// that a misbehaving server cannot fill memory with errors. The rest is read (up to the
/// body limit) only to learn its length.
pub const ERROR_BODY_KEPT: usize = 64 * 1024;

/// The final response of a request (any status), with how it was obtained.
pub(crate) struct Outcome {
    pub(crate) endpoint: Endpoint,
    pub(crate) raw: RawResponse,
    /// Whether `raw.body` is the whole body.
    pub(crate) body_size: BodySize,
    /// How to decode the body.
    pub(crate) mode: crate::json::Mode,
    pub(crate) attempts: u32,
    pub(crate) stop: Option<RetryStop>,
    /// Where the API puts a request id ([`crate::ApiConfig::request_id_headers`]).
    pub(crate) request_id_headers: &'static [&'static str],
}

/// Settings of one call that override the client's (see [`Call::max_retries`],
/// [`Call::timeout`], [`Call::deadline`], [`Call::max_body_size`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallOptions {
    pub(crate) max_retries: Option<u32>,
    /// `Some(None)`: no per-attempt limit for this call.
    pub(crate) timeout: Option<Option<Duration>>,
    /// `Some(None)`: no overall limit for this call.
    pub(crate) deadline: Option<Option<Duration>>,
    pub(crate) max_body_size: Option<u64>,
    pub(crate) strict: Option<bool>,
}

/// A request that produced no usable response.
pub(crate) enum Failure {
    Transport(Box<TransportError>),
    Timeout(Box<TimeoutError>),
    Invalid(Box<InvalidInput>),
    TooLarge(Box<BodyTooLarge>),
}

impl<E> From<Failure> for crate::Error<E> {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Transport(e) => crate::Error::Transport(e),
            Failure::Timeout(e) => crate::Error::Timeout(e),
            Failure::Invalid(e) => crate::Error::InvalidInput(e),
            Failure::TooLarge(e) => crate::Error::BodyTooLarge(e),
        }
    }
}

/// The future every call awaits.
pub(crate) type Exec = Pin<Box<dyn Future<Output = Result<Outcome, Failure>> + Send>>;

/// Starts sending `request` (nothing happens until the future is polled).
pub(crate) fn execute(out: Outgoing, options: CallOptions) -> Exec {
    // The parameters set on the call were added as it started (`Outgoing::apply_set`).
    let Outgoing {
        inner,
        max_retries,
        prepared: request,
        set: _,
        invalid,
    } = out;
    let span = tracing::debug_span!(
        "apigen.request",
        method = %request.method,
        path = request.template,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        wait_ms = tracing::field::Empty,
    );
    let record = span.clone();
    Box::pin(
        async move {
            if let Some(invalid) = invalid {
                return Err(Failure::Invalid(invalid));
            }
            run(&inner, max_retries, &request, options, &record).await
        }
        .instrument(span),
    )
}

/// How one attempt ended, short of a response.
enum AttemptError {
    Http(reqwest::Error),
    TimedOut {
        by_deadline: bool,
        limit: Duration,
    },
    /// A 2xx body longer than the limit (`content_length` when declared).
    TooLarge {
        status: StatusCode,
        content_length: Option<u64>,
    },
}

/// The settings one call runs under: the client's, overridden by the call's.
struct Settings {
    max_retries: u32,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_body_size: u64,
    mode: crate::json::Mode,
}

async fn run(
    inner: &ClientInner,
    max_retries: u32,
    request: &Prepared,
    options: CallOptions,
    span: &tracing::Span,
) -> Result<Outcome, Failure> {
    let settings = Settings {
        max_retries: options.max_retries.unwrap_or(max_retries),
        attempt_timeout: options.timeout.unwrap_or(inner.attempt_timeout),
        deadline: options.deadline.unwrap_or(inner.deadline),
        max_body_size: options.max_body_size.unwrap_or(inner.max_body_size),
        mode: if options.strict.unwrap_or(inner.strict) {
            crate::json::Mode::Strict
        } else {
            crate::json::Mode::Tolerant
        },
    };
    let max_retries = settings.max_retries;
    let endpoint = request.endpoint();
    let url = build_url(request, &inner.base.text, &inner.base.path, &endpoint)?;
    let idempotent = is_idempotent(&request.method);
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        span.record("attempt", attempt);

        let remaining = settings
            .deadline
            .map(|d| d.saturating_sub(started.elapsed()));
        let (limit, by_deadline) = match (settings.attempt_timeout, remaining) {
            (Some(t), Some(r)) if r < t => (Some(r), true),
            (None, Some(r)) => (Some(r), true),
            (t, _) => (t, false),
        };

        let mut http_request = reqwest::Request::new(request.method.clone(), url.clone());
        *http_request.headers_mut() = request.headers.clone();
        if let Some(hook) = &inner.hook {
            hook(&mut RequestHead::new(
                &request.method,
                &url,
                http_request.headers_mut(),
            ));
        }
        if let Some(body) = &request.body {
            *http_request.body_mut() = Some(reqwest::Body::from(body.clone()));
        }
        let sending = send(&inner.http, http_request, settings.max_body_size);
        let result = match limit {
            Some(limit) => match tokio::time::timeout(limit, sending).await {
                Ok(result) => result,
                Err(_) => Err(AttemptError::TimedOut { by_deadline, limit }),
            },
            None => sending.await,
        };

        // Is another attempt worth making, and how long should we wait for it?
        let (retryable, asked_wait) = match &result {
            Ok((raw, _)) => {
                span.record("status", raw.status.as_u16());
                let retryable = is_retryable_status(raw.status)
                    && (idempotent || raw.status == StatusCode::TOO_MANY_REQUESTS);
                (retryable, retryable.then(|| server_wait(raw)).flatten())
            }
            // A redirect loop or a request reqwest cannot build fails the same way every time.
            Err(AttemptError::Http(e)) => (
                e.is_connect() || (idempotent && !e.is_redirect() && !e.is_builder()),
                None,
            ),
            Err(AttemptError::TimedOut { by_deadline, .. }) => (idempotent && !by_deadline, None),
            Err(AttemptError::TooLarge { .. }) => (false, None),
        };
        if !retryable {
            return finish(result, endpoint, attempt, None, inner, &settings);
        }
        if attempt > max_retries {
            // With retries turned off there is nothing to report about giving up.
            let stop = (max_retries > 0).then_some(RetryStop::RetriesExhausted { max_retries });
            return finish(result, endpoint, attempt, stop, inner, &settings);
        }
        let wait = match asked_wait {
            Some(asked) if asked > inner.retry.retry_after_cap => {
                let stop = RetryStop::RetryAfterBeyondCap {
                    retry_after: asked,
                    cap: inner.retry.retry_after_cap,
                };
                return finish(result, endpoint, attempt, Some(stop), inner, &settings);
            }
            Some(asked) => asked,
            None => inner.retry.backoff(attempt),
        };
        if let Some(deadline) = settings.deadline
            && started
                .elapsed()
                .checked_add(wait)
                .is_none_or(|then| then >= deadline)
        {
            let stop = RetryStop::DeadlineWouldPass { wait, deadline };
            return finish(result, endpoint, attempt, Some(stop), inner, &settings);
        }
        span.record(
            "wait_ms",
            u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        );
        match &result {
            Ok((raw, _)) => tracing::debug!(
                status = raw.status.as_u16(),
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying after status"
            ),
            Err(AttemptError::Http(e)) => tracing::debug!(
                connect = e.is_connect(),
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying after transport error"
            ),
            // A body too large is never retried (see `retryable` above).
            Err(AttemptError::TimedOut { .. } | AttemptError::TooLarge { .. }) => tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying after timeout"
            ),
        }
        tokio::time::sleep(wait).await;
    }
}

/// The wait a retryable response asks for: `Retry-After`, or for a `429` without it, the
/// time until the rate-limit window resets (`RateLimit-Reset`, `X-RateLimit-Reset`).
fn server_wait(raw: &RawResponse) -> Option<Duration> {
    let now = SystemTime::now();
    retry_after(&raw.headers, now).or_else(|| {
        if raw.status != StatusCode::TOO_MANY_REQUESTS {
            return None;
        }
        RateLimit::from_headers_at(&raw.headers, now).and_then(|limit| limit.reset)
    })
}

/// The part of a body kept so far: a body that arrives in one chunk is kept as that chunk; a
/// longer one is copied into one buffer.
#[derive(Default)]
struct Kept {
    first: Option<bytes::Bytes>,
    rest: Vec<u8>,
}

impl Kept {
    fn len(&self) -> usize {
        self.first.as_ref().map_or(0, bytes::Bytes::len) + self.rest.len()
    }

    /// Appends `chunk`; `expected` is how long the body is expected to be (reserved ahead,
    /// at most 1 MiB, when a second chunk comes).
    fn push(&mut self, chunk: bytes::Bytes, expected: u64) {
        if self.len() == 0 {
            self.first = Some(chunk);
        } else if !chunk.is_empty() {
            if let Some(first) = self.first.take() {
                let ahead = usize::try_from(expected.min(1 << 20)).unwrap_or(1 << 20);
                self.rest.reserve(ahead.max(first.len() + chunk.len()));
                self.rest.extend_from_slice(&first);
            }
            self.rest.extend_from_slice(&chunk);
        }
    }

    fn into_bytes(self) -> bytes::Bytes {
        match self.first {
            Some(first) => first,
            None => bytes::Bytes::from(self.rest),
        }
    }
}

/// Sends one attempt and reads the response: a 2xx body whole, up to `max_body` bytes (a
/// longer one is an error, found from `Content-Length` before reading when it is declared);
/// any other body up to [`ERROR_BODY_KEPT`] bytes, the rest only counted (up to `max_body`).
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    max_body: u64,
) -> Result<(RawResponse, BodySize), AttemptError> {
    let mut response = http.execute(request).await.map_err(AttemptError::Http)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let declared = response.content_length();
    let success = status.is_success();
    if success && declared.is_some_and(|n| n > max_body) {
        return Err(AttemptError::TooLarge {
            status,
            content_length: declared,
        });
    }
    let keep = if success {
        max_body
    } else {
        max_body.min(ERROR_BODY_KEPT as u64)
    };
    let keep = usize::try_from(keep).unwrap_or(usize::MAX);
    // An error body declared past the limit is read only as far as it is kept.
    let declared_over = declared.filter(|&n| n > max_body);
    let mut kept = Kept::default();
    let mut total: u64 = 0;
    let size = loop {
        let Some(chunk) = response.chunk().await.map_err(AttemptError::Http)? else {
            break if total == kept.len() as u64 {
                BodySize::Read
            } else {
                BodySize::Clipped { total }
            };
        };
        total = total.saturating_add(chunk.len() as u64);
        if success && total > max_body {
            return Err(AttemptError::TooLarge {
                status,
                content_length: declared,
            });
        }
        let take = chunk.len().min(keep.saturating_sub(kept.len()));
        kept.push(chunk.slice(..take), declared.unwrap_or(0).min(keep as u64));
        if let Some(n) = declared_over
            && kept.len() >= keep
        {
            break BodySize::Clipped { total: n };
        }
        if total > max_body {
            break BodySize::ClippedOver { over: max_body };
        }
    };
    let body = kept.into_bytes();
    Ok((
        RawResponse {
            status,
            headers,
            body,
        },
        size,
    ))
}

/// Parses the URL and makes sure parsing did not change the path (no dot-segment
/// normalization or re-encoding); the encoding in [`crate::path`] should make that
/// impossible, and this check makes it certain.
fn build_url(
    request: &Prepared,
    base: &str,
    base_path: &str,
    endpoint: &Endpoint,
) -> Result<url::Url, Failure> {
    let text = request.url_text(base);
    let invalid = |reason: String| {
        Failure::Invalid(Box::new(InvalidInput::for_endpoint(
            endpoint.clone(),
            InvalidInputKind::Config { reason },
        )))
    };
    let url = url::Url::parse(&text)
        .map_err(|e| invalid(format!("the request URL cannot be parsed: {e}")))?;
    // The parsed path must be exactly base path + our path (no allocation needed to check).
    let sent = url.path();
    let unchanged =
        sent.strip_prefix(base_path)
            .is_some_and(|rest| match request.path.strip_prefix('/') {
                Some(_) => rest == request.path,
                None => rest.strip_prefix('/') == Some(request.path.as_str()),
            });
    if !unchanged {
        return Err(invalid(format!(
            "the request path {base_path}/{} would be sent as {sent:?}",
            request.path.trim_start_matches('/')
        )));
    }
    Ok(url)
}

fn finish(
    result: Result<(RawResponse, BodySize), AttemptError>,
    endpoint: Endpoint,
    attempts: u32,
    stop: Option<RetryStop>,
    inner: &ClientInner,
    settings: &Settings,
) -> Result<Outcome, Failure> {
    match result {
        Ok((raw, body_size)) => Ok(Outcome {
            endpoint,
            raw,
            body_size,
            mode: settings.mode,
            attempts,
            stop,
            request_id_headers: inner.config.request_id_headers,
        }),
        // The connect timeout is the only timeout the HTTP stack itself enforces.
        Err(AttemptError::Http(e)) if e.is_timeout() => {
            Err(Failure::Timeout(Box::new(TimeoutError {
                endpoint,
                kind: TimeoutKind::Connect(inner.connect_timeout),
                attempts,
                stop,
            })))
        }
        Err(AttemptError::Http(e)) => Err(Failure::Transport(Box::new(TransportError {
            endpoint,
            source: e.without_url(),
            attempts,
            stop,
        }))),
        Err(AttemptError::TooLarge {
            status,
            content_length,
        }) => Err(Failure::TooLarge(Box::new(BodyTooLarge {
            endpoint,
            status,
            limit: settings.max_body_size,
            content_length,
        }))),
        Err(AttemptError::TimedOut { by_deadline, limit }) => {
            Err(Failure::Timeout(Box::new(TimeoutError {
                endpoint,
                kind: match (by_deadline, settings.deadline) {
                    (true, Some(deadline)) => TimeoutKind::Deadline(deadline),
                    _ => TimeoutKind::Attempt(limit),
                },
                attempts,
                stop,
            })))
        }
    }
}
