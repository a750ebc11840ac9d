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

use crate::client::{Client, ClientInner};
use crate::decode::RawResponse;
use crate::error::{
    Endpoint, InvalidInput, InvalidInputKind, RetryStop, TimeoutError, TimeoutKind, TransportError,
};
use crate::request::Prepared;
use crate::retry::{is_idempotent, is_retryable_status, retry_after};

/// The final response of a request (any status), with how it was obtained.
pub(crate) struct Outcome {
    pub(crate) endpoint: Endpoint,
    pub(crate) raw: RawResponse,
    pub(crate) attempts: u32,
    pub(crate) stop: Option<RetryStop>,
    /// Where the API puts a request id ([`crate::ApiConfig::request_id_headers`]).
    pub(crate) request_id_headers: &'static [&'static str],
}

/// A request that produced no response.
pub(crate) enum Failure {
    Transport(Box<TransportError>),
    Timeout(Box<TimeoutError>),
    Invalid(Box<InvalidInput>),
}

impl<E> From<Failure> for crate::Error<E> {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Transport(e) => crate::Error::Transport(e),
            Failure::Timeout(e) => crate::Error::Timeout(e),
            Failure::Invalid(e) => crate::Error::InvalidInput(e),
        }
    }
}

/// The future every call awaits.
pub(crate) type Exec = Pin<Box<dyn Future<Output = Result<Outcome, Failure>> + Send>>;

/// Starts sending `request` (nothing happens until the future is polled).
pub(crate) fn execute(
    client: Client,
    request: Prepared,
    invalid: Option<Box<InvalidInput>>,
    max_retries: u32,
) -> Exec {
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
            run(&client, &request, max_retries, &record).await
        }
        .instrument(span),
    )
}

/// How one attempt ended, short of a response.
enum AttemptError {
    Http(reqwest::Error),
    TimedOut { by_deadline: bool, limit: Duration },
}

async fn run(
    client: &Client,
    request: &Prepared,
    max_retries: u32,
    span: &tracing::Span,
) -> Result<Outcome, Failure> {
    let inner = &client.inner;
    let endpoint = request.endpoint();
    let url = build_url(request, &inner.base.text, &inner.base.path, &endpoint)?;
    let idempotent = is_idempotent(&request.method);
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        span.record("attempt", attempt);

        let remaining = inner.deadline.map(|d| d.saturating_sub(started.elapsed()));
        let (limit, by_deadline) = match (inner.attempt_timeout, remaining) {
            (Some(t), Some(r)) if r < t => (Some(r), true),
            (None, Some(r)) => (Some(r), true),
            (t, _) => (t, false),
        };

        let mut http_request = reqwest::Request::new(request.method.clone(), url.clone());
        *http_request.headers_mut() = request.headers.clone();
        if let Some(body) = &request.body {
            *http_request.body_mut() = Some(reqwest::Body::from(body.clone()));
        }
        let result = match limit {
            Some(limit) => match tokio::time::timeout(limit, send(&inner.http, http_request)).await
            {
                Ok(result) => result.map_err(AttemptError::Http),
                Err(_) => Err(AttemptError::TimedOut { by_deadline, limit }),
            },
            None => send(&inner.http, http_request)
                .await
                .map_err(AttemptError::Http),
        };

        // Is another attempt worth making, and how long should we wait for it?
        let (retryable, asked_wait) = match &result {
            Ok(raw) => {
                span.record("status", raw.status.as_u16());
                let retryable = is_retryable_status(raw.status)
                    && (idempotent || raw.status == StatusCode::TOO_MANY_REQUESTS);
                (
                    retryable,
                    retryable
                        .then(|| retry_after(&raw.headers, SystemTime::now()))
                        .flatten(),
                )
            }
            // A redirect loop or a request reqwest cannot build fails the same way every time.
            Err(AttemptError::Http(e)) => (
                e.is_connect() || (idempotent && !e.is_redirect() && !e.is_builder()),
                None,
            ),
            Err(AttemptError::TimedOut { by_deadline, .. }) => (idempotent && !by_deadline, None),
        };
        if !retryable {
            return finish(result, endpoint, attempt, None, inner);
        }
        if attempt > max_retries {
            // With retries turned off there is nothing to report about giving up.
            let stop = (max_retries > 0).then_some(RetryStop::RetriesExhausted { max_retries });
            return finish(result, endpoint, attempt, stop, inner);
        }
        let wait = match asked_wait {
            Some(asked) if asked > inner.retry.retry_after_cap => {
                let stop = RetryStop::RetryAfterBeyondCap {
                    retry_after: asked,
                    cap: inner.retry.retry_after_cap,
                };
                return finish(result, endpoint, attempt, Some(stop), inner);
            }
            Some(asked) => asked,
            None => inner.retry.backoff(attempt),
        };
        if let Some(deadline) = inner.deadline
            && started.elapsed() + wait >= deadline
        {
            let stop = RetryStop::DeadlineWouldPass { wait, deadline };
            return finish(result, endpoint, attempt, Some(stop), inner);
        }
        span.record(
            "wait_ms",
            u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        );
        match &result {
            Ok(raw) => tracing::debug!(
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
            Err(AttemptError::TimedOut { .. }) => tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying after timeout"
            ),
        }
        tokio::time::sleep(wait).await;
    }
}

/// Sends one attempt and reads the whole response.
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<RawResponse, reqwest::Error> {
    let mut response = http.execute(request).await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(RawResponse {
        status,
        headers,
        body,
    })
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
    result: Result<RawResponse, AttemptError>,
    endpoint: Endpoint,
    attempts: u32,
    stop: Option<RetryStop>,
    inner: &ClientInner,
) -> Result<Outcome, Failure> {
    match result {
        Ok(raw) => Ok(Outcome {
            endpoint,
            raw,
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
        Err(AttemptError::TimedOut { by_deadline, limit }) => {
            Err(Failure::Timeout(Box::new(TimeoutError {
                endpoint,
                kind: match (by_deadline, inner.deadline) {
                    (true, Some(deadline)) => TimeoutKind::Deadline(deadline),
                    _ => TimeoutKind::Attempt(limit),
                },
                attempts,
                stop,
            })))
        }
    }
}
