//! The one error type of every call: [`Error`].
//!
//! An awaited call fails in exactly one of these ways:
//!
//! | variant | meaning | the request reached the server? |
//! |---|---|---|
//! | [`Error::Api`] | the server answered with a non-2xx status | yes |
//! | [`Error::Transport`] | connecting, sending or reading failed | maybe (see [`TransportError::is_connect`]) |
//! | [`Error::Timeout`] | connect timeout, per-attempt timeout or overall deadline | maybe |
//! | [`Error::Decode`] | a 2xx body did not match the expected type | yes |
//! | [`Error::BodyTooLarge`] | a 2xx body was longer than the body limit | yes |
//! | [`Error::InvalidInput`] | a bad argument or configuration | no, nothing was sent |
//! | [`Error::PaginationLoop`] | the server handed out a page token twice | yes |
//! | [`Error::PaginationLimit`] | a listing hit a page limit (empty pages, or the caller's cap) | yes |
//!
//! Every variant is boxed, so `Result<T, Error<E>>` is two words plus `T`. The `Display`
//! output of each is meant to be read on its own, for example
//! `GET /project/{project-slug}/pipeline: 404 Not Found: Project not found`: it names the
//! request by method and path *template* (never the filled-in path or query, which may carry
//! user data), and never contains the API token.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use crate::ratelimit::RateLimit;
use crate::redact::clip;

/// The request an error belongs to: its method and its path template as written in the API
/// description (for example `GET /project/{project-slug}/pipeline`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    method: Method,
    path_template: &'static str,
}

impl Endpoint {
    /// Names a request by method and path template.
    pub fn new(method: Method, path_template: &'static str) -> Self {
        Endpoint {
            method,
            path_template,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, with `{name}` placeholders rather than the values sent.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path_template)
    }
}

/// Every way a call can fail. `E` is the typed error body the API describes for non-2xx
/// responses (decoded by the operation's [`ErrorFn`](crate::ErrorFn)); it defaults to
/// [`serde_json::Value`], so plain `apigen_runtime::Error` names errors that carry no typed
/// body, such as those of [`ClientBuilder::build`](crate::ClientBuilder::build).
///
/// Use [`Error::map_body`] or [`Error::without_body`] to turn an `Error<E1>` into an
/// `Error<E2>`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a status outside 2xx (after any retries).
    #[error(transparent)]
    Api(Box<ApiError<E>>),
    /// The request could not be sent or the response could not be read.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// A connect timeout, the per-attempt timeout or the overall deadline expired.
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// A successful (2xx) response body did not decode into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// A successful (2xx) response body was longer than the body limit.
    #[error(transparent)]
    BodyTooLarge(Box<BodyTooLarge>),
    /// A bad argument or configuration, detected before anything was sent.
    #[error(transparent)]
    InvalidInput(Box<InvalidInput>),
    /// A paginated listing handed out a page token it had handed out before.
    #[error(transparent)]
    PaginationLoop(Box<PaginationLoop>),
    /// A paginated listing stopped at a limit: too many empty pages in a row, or the
    /// caller's cap on pages.
    #[error(transparent)]
    PaginationLimit(Box<PaginationLimit>),
}

impl<E> Error<E> {
    /// The HTTP status, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => e.status(),
            Error::BodyTooLarge(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The request this error belongs to, when it belongs to one.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match self {
            Error::Api(e) => Some(e.endpoint()),
            Error::Transport(e) => Some(e.endpoint()),
            Error::Timeout(e) => Some(e.endpoint()),
            Error::Decode(e) => e.endpoint(),
            Error::BodyTooLarge(e) => Some(e.endpoint()),
            Error::InvalidInput(e) => e.endpoint(),
            Error::PaginationLoop(e) => e.endpoint(),
            Error::PaginationLimit(e) => e.endpoint(),
        }
    }

    /// The API error, if the server answered with a non-2xx status.
    pub fn as_api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Converts the typed error body with `f`, keeping everything else.
    pub fn map_body<E2>(self, f: impl FnOnce(E) -> E2) -> Error<E2> {
        self.map_api_body(|body| body.map(f))
    }

    /// Converts into an error with another body type, dropping the typed body of an
    /// [`Error::Api`] (its status, message, raw body text and headers are kept). Lossless for
    /// every other variant.
    pub fn without_body<E2>(self) -> Error<E2> {
        self.map_api_body(|_| None)
    }

    /// Replaces the typed body of an [`Error::Api`] (present or not) with `f` of it.
    fn map_api_body<E2>(self, f: impl FnOnce(Option<E>) -> Option<E2>) -> Error<E2> {
        match self {
            Error::Api(e) => {
                let ApiError { info, body } = *e;
                Error::Api(Box::new(ApiError {
                    info,
                    body: f(body),
                }))
            }
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Decode(e) => Error::Decode(e),
            Error::BodyTooLarge(e) => Error::BodyTooLarge(e),
            Error::InvalidInput(e) => Error::InvalidInput(e),
            Error::PaginationLoop(e) => Error::PaginationLoop(e),
            Error::PaginationLimit(e) => Error::PaginationLimit(e),
        }
    }
}

impl<E> From<InvalidInput> for Error<E> {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(Box::new(e))
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

impl<E> From<PaginationLoop> for Error<E> {
    fn from(e: PaginationLoop) -> Self {
        Error::PaginationLoop(Box::new(e))
    }
}

impl<E> From<PaginationLimit> for Error<E> {
    fn from(e: PaginationLimit) -> Self {
        Error::PaginationLimit(Box::new(e))
    }
}

impl From<Error<Infallible>> for Error {
    fn from(e: Error<Infallible>) -> Self {
        e.without_body()
    }
}

/// Why the runtime stopped retrying a request that could have been retried.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryStop {
    /// Every allowed retry was used.
    RetriesExhausted {
        /// The number of retries allowed.
        max_retries: u32,
    },
    /// The server asked (with `Retry-After`) for a longer wait than the configured cap.
    RetryAfterBeyondCap {
        /// What the server asked for.
        retry_after: Duration,
        /// The cap ([`RetryPolicy::retry_after_cap`](crate::RetryPolicy::retry_after_cap)).
        cap: Duration,
    },
    /// Waiting before the next attempt would have passed the overall deadline.
    DeadlineWouldPass {
        /// The wait that was needed.
        wait: Duration,
        /// The overall deadline.
        deadline: Duration,
    },
}

impl fmt::Display for RetryStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryStop::RetriesExhausted { max_retries: 1 } => f.write_str("gave up after 1 retry"),
            RetryStop::RetriesExhausted { max_retries } => {
                write!(f, "gave up after {max_retries} retries")
            }
            RetryStop::RetryAfterBeyondCap { retry_after, cap } => write!(
                f,
                "not retried: Retry-After asks for {}, more than the {} cap",
                Secs(*retry_after),
                Secs(*cap)
            ),
            RetryStop::DeadlineWouldPass { wait, deadline } => write!(
                f,
                "not retried: waiting {} would pass the {} deadline",
                Secs(*wait),
                Secs(*deadline)
            ),
        }
    }
}

/// Formats a duration as seconds for messages: `1 s`, `0.25 s`, `120 s`.
pub(crate) struct Secs(pub(crate) Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.subsec_nanos() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            let s = format!("{:.3}", d.as_secs_f64());
            let s = s.trim_end_matches('0').trim_end_matches('.');
            write!(f, "{s} s")
        }
    }
}

/// The server answered with a status outside 2xx.
///
/// Carries the status, the message when the body is a JSON object with a string `message`
/// (CircleCI's usual error shape), `error` (its policy and OIDC endpoints) or
/// `error.message` — whatever its `Content-Type` — or short plain text, the raw body (also
/// as lossy UTF-8 text, since some errors come as plain text or HTML; at most the first
/// 64 KiB, see [`body_len`](Self::body_len)), the body decoded as the API's typed error `E`
/// when it decodes, the response headers, the rate-limit state, and the request id when the
/// server sent one.
///
/// Its `Debug` output redacts credential headers (`Set-Cookie`, `Authorization`, …) and
/// clips the body.
pub struct ApiError<E> {
    info: ApiErrorInfo,
    body: Option<E>,
}

/// The part of an [`ApiError`] that does not depend on `E` (kept apart so the code that
/// builds it is compiled once, not once per error type).
#[derive(Debug)]
pub(crate) struct ApiErrorInfo {
    pub(crate) endpoint: Endpoint,
    pub(crate) status: StatusCode,
    pub(crate) message: Option<String>,
    pub(crate) raw_body: Bytes,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) body_size: BodySize,
    pub(crate) attempts: u32,
    pub(crate) stop: Option<RetryStop>,
}

impl<E> ApiError<E> {
    pub(crate) fn new(info: ApiErrorInfo, body: Option<E>) -> Self {
        ApiError { info, body }
    }

    /// The request that failed.
    pub fn endpoint(&self) -> &Endpoint {
        &self.info.endpoint
    }

    /// The HTTP status of the (last) response.
    pub fn status(&self) -> StatusCode {
        self.info.status
    }

    /// The server's message, when the body is a JSON object with a string `message`, a
    /// string `error`, or an `error` object with a string `message` (first match wins).
    pub fn message(&self) -> Option<&str> {
        self.info.message.as_deref()
    }

    /// The body as text (invalid UTF-8 replaced by U+FFFD). Empty when the body was empty.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.info.raw_body)
    }

    /// The body exactly as received, or its first 64 KiB when it was longer (see
    /// [`is_body_clipped`](Self::is_body_clipped)).
    pub fn raw_body(&self) -> &Bytes {
        &self.info.raw_body
    }

    /// Whether [`raw_body`](Self::raw_body) is only the start of the body: an error body
    /// longer than 64 KiB is not kept whole.
    pub fn is_body_clipped(&self) -> bool {
        self.info.body_size != BodySize::Read
    }

    /// The length of the whole body in bytes, when known: the bytes received, or (for a
    /// body past the client's body limit) its declared `Content-Length`. `None` when the body
    /// was longer than the body limit and declared no length.
    pub fn body_len(&self) -> Option<u64> {
        match self.info.body_size {
            BodySize::Read => Some(self.info.raw_body.len() as u64),
            BodySize::Clipped { total } => Some(total),
            BodySize::ClippedOver { .. } => None,
        }
    }

    /// The rate-limit state the server reported with this response, if any (on a `429`,
    /// when the window resets); read from the headers when asked.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.info.headers)
    }

    /// The body decoded as the API's error type, when it decoded.
    pub fn body(&self) -> Option<&E> {
        self.body.as_ref()
    }

    /// Takes the decoded error body.
    pub fn into_body(self) -> Option<E> {
        self.body
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.info.headers
    }

    /// The request id, from the first of the API's request-id headers present
    /// ([`ApiConfig::request_id_headers`](crate::ApiConfig::request_id_headers)).
    pub fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }

    /// How many attempts were made (1 when the request was not retried).
    pub fn attempts(&self) -> u32 {
        self.info.attempts
    }

    /// Why retrying stopped, when the status was one that is retried.
    pub fn retry_stop(&self) -> Option<&RetryStop> {
        self.info.stop.as_ref()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("endpoint", &self.info.endpoint)
            .field("status", &self.info.status)
            .field("message", &self.info.message)
            .field("body_text", &crate::redact::Body(&self.info.raw_body))
            .field("body_len", &self.body_len())
            .field("body", &self.body)
            .field("headers", &crate::redact::Headers(&self.info.headers))
            .field("request_id", &self.info.request_id)
            .field("rate_limit", &self.rate_limit())
            .field("attempts", &self.info.attempts)
            .field("retry_stop", &self.info.stop)
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.info.fmt(f)
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// The longest piece of a body quoted in a message.
const MESSAGE_EXCERPT: usize = 300;

impl fmt::Display for ApiErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.endpoint, self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {}", clip(message.trim(), MESSAGE_EXCERPT))?;
        } else if self.raw_body.iter().all(u8::is_ascii_whitespace) {
            f.write_str(" (empty body)")?;
        } else {
            let text = String::from_utf8_lossy(&self.raw_body);
            if looks_like_html(&self.headers, &text) {
                match html_title(&text) {
                    Some(title) => write!(f, ": HTML page \"{}\"", clip(&title, 120))?,
                    None => write!(f, ": HTML page of {} bytes", self.raw_body.len())?,
                }
            } else {
                write!(
                    f,
                    ": {}",
                    clip(&collapse_whitespace(&text), MESSAGE_EXCERPT)
                )?;
            }
        }
        match self.body_size {
            BodySize::Read => {}
            BodySize::Clipped { total } => write!(
                f,
                " (body of {total} bytes, first {} kept)",
                self.raw_body.len()
            )?,
            BodySize::ClippedOver { over } => write!(
                f,
                " (body of more than {over} bytes, first {} kept)",
                self.raw_body.len()
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        write_attempts(f, self.attempts, self.stop.as_ref(), false)
    }
}

/// Writes ` (3 attempts; gave up after 2 retries)`: the attempt count when there was more
/// than one (or `always`), and why retrying stopped, if it did.
fn write_attempts(
    f: &mut fmt::Formatter<'_>,
    attempts: u32,
    stop: Option<&RetryStop>,
    always: bool,
) -> fmt::Result {
    let count = match attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    match stop {
        Some(stop) => write!(f, " ({count}; {stop})"),
        None if always || attempts > 1 => write!(f, " ({count})"),
        None => Ok(()),
    }
}

pub(crate) fn looks_like_html(headers: &HeaderMap, text: &str) -> bool {
    let html_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
    let start: String = text
        .trim_start()
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    html_type || start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = collapse_whitespace(text.get(start..end)?);
    (!title.is_empty()).then_some(title)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How much of a body was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodySize {
    /// The whole body.
    Read,
    /// The first [`ERROR_BODY_KEPT`](crate::ERROR_BODY_KEPT) bytes of a body of `total` bytes (read to the end, or
    /// as its `Content-Length` declared when that was past the body limit).
    Clipped { total: u64 },
    /// The first [`ERROR_BODY_KEPT`](crate::ERROR_BODY_KEPT) bytes of a body longer than `over` bytes (the body
    /// limit), which was not read to its end.
    ClippedOver { over: u64 },
}

/// The request could not be sent or its response could not be read.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) endpoint: Endpoint,
    pub(crate) source: reqwest::Error,
    pub(crate) attempts: u32,
    pub(crate) stop: Option<RetryStop>,
}

impl TransportError {
    /// The request that failed.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Whether the connection could not be made, so the server never received the request.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Why retrying stopped, when it was retried or could have been.
    pub fn retry_stop(&self) -> Option<&RetryStop> {
        self.stop.as_ref()
    }

    /// The underlying error of the HTTP stack. Its whole chain of causes is already part of
    /// this error's `Display` output.
    pub fn cause(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.is_connect() {
            "could not connect"
        } else {
            "request failed"
        };
        write!(f, "{}: {what}: ", self.endpoint)?;
        write_chain(f, &self.source)?;
        write_attempts(f, self.attempts, self.stop.as_ref(), false)
    }
}

/// Writes an error and its causes as `a: b: c`, skipping a cause whose text repeats the
/// previous one.
fn write_chain(
    f: &mut fmt::Formatter<'_>,
    error: &(dyn std::error::Error + 'static),
) -> fmt::Result {
    let mut last = error.to_string();
    f.write_str(&last)?;
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !last.contains(&text) {
            write!(f, ": {text}")?;
        }
        last = text;
        next = cause.source();
    }
    Ok(())
}

impl std::error::Error for TransportError {}

/// Which limit a [`TimeoutError`] hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The TCP/TLS connection was not established within the connect timeout.
    Connect(Option<Duration>),
    /// One attempt (send + complete response) took longer than the per-attempt timeout.
    Attempt(Duration),
    /// The overall deadline across all attempts and waits passed.
    Deadline(Duration),
}

/// A connect timeout, the per-attempt timeout or the overall deadline expired.
#[derive(Debug)]
pub struct TimeoutError {
    pub(crate) endpoint: Endpoint,
    pub(crate) kind: TimeoutKind,
    pub(crate) attempts: u32,
    pub(crate) stop: Option<RetryStop>,
}

impl TimeoutError {
    /// The request that timed out.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Which limit expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Why retrying stopped, when it was retried or could have been.
    pub fn retry_stop(&self) -> Option<&RetryStop> {
        self.stop.as_ref()
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: timed out: ", self.endpoint)?;
        match self.kind {
            TimeoutKind::Connect(Some(d)) => {
                write!(f, "no connection within the connect timeout of {}", Secs(d))?
            }
            TimeoutKind::Connect(None) => f.write_str("no connection")?,
            TimeoutKind::Attempt(d) => write!(
                f,
                "no complete response within the per-attempt timeout of {}",
                Secs(d)
            )?,
            TimeoutKind::Deadline(d) => write!(f, "the overall deadline of {} passed", Secs(d))?,
        }
        write_attempts(f, self.attempts, self.stop.as_ref(), true)
    }
}

impl std::error::Error for TimeoutError {}

/// A response body did not decode into the expected type.
///
/// Names the JSON path of the failing value (`items[3].created_at`), the decoder's message,
/// and quotes the body around the failure. Custom [`DecodeFn`](crate::DecodeFn)s create one
/// with [`DecodeError::new`].
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) status: Option<StatusCode>,
    pub(crate) path: Option<String>,
    pub(crate) message: String,
    pub(crate) excerpt: String,
}

/// The longest excerpt of a body a [`DecodeError`] keeps.
const DECODE_EXCERPT: usize = 160;

impl DecodeError {
    /// A decode failure with a message, quoting the start of `body`.
    pub fn new(message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError {
            endpoint: None,
            status: None,
            path: None,
            message: message.into(),
            excerpt: excerpt_around(body, 0),
        }
    }

    /// A failure of `serde_json` on `body`: locates the failing value's JSON path from the
    /// error position and quotes the body around it.
    pub fn from_json(error: &serde_json::Error, body: &[u8]) -> Self {
        let offset = crate::locate::byte_offset(body, error.line(), error.column());
        let path = match error.classify() {
            serde_json::error::Category::Io => None,
            _ => Some(crate::locate::json_path_at(body, offset)),
        };
        DecodeError {
            endpoint: None,
            status: None,
            path,
            message: error.to_string(),
            excerpt: excerpt_around(body, offset),
        }
    }

    /// A failure of a [`FromJson`](crate::json::FromJson) conversion of the JSON `body`: keeps
    /// its path and message, and quotes the body from the failing value on.
    pub fn from_conversion(error: &crate::json::Error, body: &[u8]) -> Self {
        let offset = crate::locate::offset_of_path(body, error.segments()).unwrap_or(0);
        DecodeError {
            endpoint: None,
            status: None,
            path: Some(error.path()),
            message: error.message().to_owned(),
            excerpt: excerpt_around(body, offset),
        }
    }

    pub(crate) fn with_context(mut self, endpoint: Endpoint, status: StatusCode) -> Self {
        self.endpoint = Some(endpoint);
        self.status = Some(status);
        self
    }

    /// The request whose response failed to decode.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The status of the response that failed to decode.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The JSON path of the value that failed (`.` for the top level), e.g.
    /// `items[3].created_at`. `None` when unknown (not JSON, or an I/O error).
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The decoder's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A piece of the body around the failure (lossy UTF-8, at most a few hundred bytes).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = &self.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        if let Some(status) = self.status {
            write!(f, "{status}: ")?;
        }
        f.write_str("cannot decode the response body")?;
        match self.path.as_deref() {
            Some(".") | None => {}
            Some(path) => write!(f, " at `{path}`")?,
        }
        write!(f, ": {}", self.message)?;
        if self.excerpt.is_empty() {
            f.write_str(" (empty body)")
        } else {
            write!(f, "; body: {}", self.excerpt)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Quotes about [`DECODE_EXCERPT`] bytes of `body` around byte `offset`, on character
/// boundaries, marking cuts with `…`.
fn excerpt_around(body: &[u8], offset: usize) -> String {
    let offset = offset.min(body.len());
    let mut start = offset.saturating_sub(DECODE_EXCERPT * 2 / 3);
    if offset < DECODE_EXCERPT {
        start = 0;
    }
    let mut end = (start + DECODE_EXCERPT).min(body.len());
    // Move inward to UTF-8 boundaries (continuation bytes are 0b10xx_xxxx).
    while start < end && (body[start] & 0xC0) == 0x80 {
        start += 1;
    }
    while end < body.len() && end > start && (body[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&String::from_utf8_lossy(&body[start..end]));
    if end < body.len() {
        out.push('…');
    }
    out
}

/// What was wrong with an argument or with the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidInputKind {
    /// A path parameter value that would change the request path, or cannot be encoded.
    PathParameter {
        /// The parameter's name in the API description.
        name: &'static str,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A query parameter value that cannot be expressed in its style.
    QueryParameter {
        /// The parameter's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A header name or value that cannot be sent.
    Header {
        /// The header's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A request body that cannot be serialized.
    Body {
        /// What is wrong with it.
        reason: String,
    },
    /// No API token was given.
    MissingToken {
        /// The environment variable that was read, if any.
        variable: Option<&'static str>,
        /// Whether that variable was set, but empty.
        set_but_empty: bool,
    },
    /// The API token cannot be sent in a header (the token itself is never included).
    InvalidToken {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A base URL that cannot be used.
    BaseUrl {
        /// The URL given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An environment variable that could not be read.
    Environment {
        /// The variable's name.
        variable: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Any other configuration problem.
    Config {
        /// What is wrong.
        reason: String,
    },
}

/// A successful response body was longer than the body limit
/// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size),
/// [`Call::max_body_size`](crate::Call::max_body_size)); reading stopped there, so memory
/// never held more than the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyTooLarge {
    pub(crate) endpoint: Endpoint,
    pub(crate) status: StatusCode,
    pub(crate) limit: u64,
    pub(crate) content_length: Option<u64>,
}

impl BodyTooLarge {
    /// The request whose response was too large.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The limit, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The length the response declared (`Content-Length`), if it declared one.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: the response body is larger than the limit of {} bytes",
            self.endpoint, self.status, self.limit
        )?;
        if let Some(length) = self.content_length {
            write!(f, " (Content-Length {length})")?;
        }
        f.write_str("; raise it with ClientBuilder::max_body_size or Call::max_body_size")
    }
}

impl std::error::Error for BodyTooLarge {}

/// A bad argument or configuration. Nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) kind: InvalidInputKind,
}

impl InvalidInput {
    /// An invalid-input error not tied to a request.
    pub fn new(kind: InvalidInputKind) -> Self {
        InvalidInput {
            endpoint: None,
            kind,
        }
    }

    pub(crate) fn for_endpoint(endpoint: Endpoint, kind: InvalidInputKind) -> Self {
        InvalidInput {
            endpoint: Some(endpoint),
            kind,
        }
    }

    /// The request that was not sent, if the error belongs to one.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// What was wrong.
    pub fn kind(&self) -> &InvalidInputKind {
        &self.kind
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = &self.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        match &self.kind {
            InvalidInputKind::PathParameter {
                name,
                value,
                reason,
            } => write!(
                f,
                "invalid path parameter `{name}` ({:?}): {reason}",
                clip(value, 80)
            )?,
            InvalidInputKind::QueryParameter { name, reason } => {
                write!(f, "invalid query parameter `{name}`: {reason}")?
            }
            InvalidInputKind::Header { name, reason } => {
                write!(f, "invalid header `{name}`: {reason}")?
            }
            InvalidInputKind::Body { reason } => {
                write!(f, "the request body cannot be serialized: {reason}")?
            }
            InvalidInputKind::MissingToken {
                variable: Some(variable),
                set_but_empty: false,
            } => write!(
                f,
                "missing API token: the environment variable {variable} is not set"
            )?,
            InvalidInputKind::MissingToken {
                variable: Some(variable),
                set_but_empty: true,
            } => write!(
                f,
                "missing API token: the environment variable {variable} is set but empty"
            )?,
            InvalidInputKind::MissingToken { variable: None, .. } => f.write_str(
                "missing API token: give one with ClientBuilder::token() or ClientBuilder::from_env()",
            )?,
            InvalidInputKind::InvalidToken { reason } => {
                write!(f, "the API token cannot be sent: {reason}")?
            }
            InvalidInputKind::BaseUrl { value, reason } => {
                write!(f, "invalid base URL {:?}: {reason}", clip(value, 200))?
            }
            InvalidInputKind::Environment { variable, reason } => {
                write!(f, "environment variable {variable}: {reason}")?
            }
            InvalidInputKind::Config { reason } => {
                write!(f, "invalid client configuration: {reason}")?
            }
        }
        if self.endpoint.is_some() {
            f.write_str(" (the request was not sent)")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

/// A paginated listing returned a next-page token that had already been requested, which
/// would loop forever. Every item received before was yielded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationLoop {
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) token: String,
    pub(crate) page: usize,
}

impl PaginationLoop {
    /// The listing whose pagination looped, when known.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The repeated page token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The 1-based number of the page that returned the repeated token.
    pub fn page(&self) -> usize {
        self.page
    }
}

impl fmt::Display for PaginationLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = &self.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        write!(
            f,
            "pagination loop: page {} returned the next-page token {:?}, which was already requested; stopped after yielding every item received",
            self.page,
            clip(&self.token, 80)
        )
    }
}

impl std::error::Error for PaginationLoop {}

/// Which limit a [`PaginationLimit`] hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationLimitKind {
    /// This many pages in a row had no items but a next-page token.
    EmptyPages(usize),
    /// The caller's cap on pages ([`PagedCall::max_pages`](crate::PagedCall::max_pages)).
    MaxPages(usize),
}

/// A paginated listing stopped at a limit. Every item received before was yielded; the
/// listing can be resumed from [`next_page_token`](Self::next_page_token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationLimit {
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) kind: PaginationLimitKind,
    pub(crate) next_page_token: String,
}

impl PaginationLimit {
    /// The listing, when known.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// Which limit was hit.
    pub fn kind(&self) -> PaginationLimitKind {
        self.kind
    }

    /// The next-page token of the last page received: the page to resume from.
    pub fn next_page_token(&self) -> &str {
        &self.next_page_token
    }
}

impl fmt::Display for PaginationLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = &self.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        match self.kind {
            PaginationLimitKind::EmptyPages(n) => write!(
                f,
                "pagination stopped: {n} pages in a row had no items but a next-page token"
            )?,
            PaginationLimitKind::MaxPages(n) => {
                write!(f, "pagination stopped at the limit of {n} pages")?
            }
        }
        write!(
            f,
            "; every item received was yielded; the next page token is {:?}",
            clip(&self.next_page_token, 80)
        )
    }
}

impl std::error::Error for PaginationLimit {}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(status: u16, body: &'static str, content_type: Option<&'static str>) -> ApiErrorInfo {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static(ct),
            );
        }
        ApiErrorInfo {
            endpoint: Endpoint::new(Method::GET, "/project/{project-slug}/pipeline"),
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            message: None,
            raw_body: Bytes::from_static(body.as_bytes()),
            headers,
            request_id: None,
            body_size: BodySize::Read,
            attempts: 1,
            stop: None,
        }
    }

    #[test]
    fn result_stays_small() {
        assert_eq!(
            std::mem::size_of::<Error<serde_json::Value>>(),
            2 * std::mem::size_of::<usize>()
        );
        assert!(std::mem::size_of::<Result<(), Error>>() <= 2 * std::mem::size_of::<usize>());
    }

    #[test]
    fn api_error_display_variants() {
        let mut with_message = info(404, r#"{"message":"Project not found"}"#, None);
        with_message.message = Some("Project not found".into());
        assert_eq!(
            with_message.to_string(),
            "GET /project/{project-slug}/pipeline: 404 Not Found: Project not found"
        );
        assert_eq!(
            info(502, "", None).to_string(),
            "GET /project/{project-slug}/pipeline: 502 Bad Gateway (empty body)"
        );
        assert_eq!(
            info(500, "upstream\n   exploded", Some("text/plain")).to_string(),
            "GET /project/{project-slug}/pipeline: 500 Internal Server Error: upstream exploded"
        );
        assert_eq!(
            info(
                503,
                "<html><head><title> Service\n Unavailable </title></head><body>x</body></html>",
                Some("text/html")
            )
            .to_string(),
            "GET /project/{project-slug}/pipeline: 503 Service Unavailable: HTML page \"Service Unavailable\""
        );
        assert_eq!(
            info(503, "<!DOCTYPE html><p>down</p>", None).to_string(),
            "GET /project/{project-slug}/pipeline: 503 Service Unavailable: HTML page of 26 bytes"
        );
        let mut retried = info(429, "slow down", None);
        retried.attempts = 3;
        retried.request_id = Some("abc-123".into());
        retried.stop = Some(RetryStop::RetriesExhausted { max_retries: 2 });
        assert_eq!(
            retried.to_string(),
            "GET /project/{project-slug}/pipeline: 429 Too Many Requests: slow down (request id abc-123) (3 attempts; gave up after 2 retries)"
        );
    }

    #[test]
    fn secs_formatting() {
        assert_eq!(Secs(Duration::from_secs(60)).to_string(), "60 s");
        assert_eq!(Secs(Duration::from_millis(250)).to_string(), "0.25 s");
        assert_eq!(Secs(Duration::from_millis(1500)).to_string(), "1.5 s");
    }

    #[test]
    fn excerpt_is_cut_on_char_boundaries() {
        let body = "é".repeat(200);
        let e = excerpt_around(body.as_bytes(), 300);
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert!(!e.contains('\u{FFFD}'), "{e}");
        assert_eq!(excerpt_around(b"short", 3), "short");
    }

    #[test]
    fn clip_marks_the_cut() {
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("abc", 3), "abc");
    }

    #[test]
    fn without_body_keeps_the_rest() {
        let e: Error<String> = Error::Api(Box::new(ApiError::new(
            info(400, "bad", None),
            Some("typed".into()),
        )));
        let e2: Error<u8> = e.without_body();
        let api = e2
            .as_api()
            .map(|a| (a.status(), a.body_text().into_owned(), a.body().copied()));
        assert_eq!(api, Some((StatusCode::BAD_REQUEST, "bad".to_owned(), None)));
        let e3: Error<String> = Error::Api(Box::new(ApiError::new(
            info(400, "bad", None),
            Some("ab".into()),
        )));
        let mapped = e3.map_body(|s| s.len());
        assert_eq!(mapped.as_api().and_then(|a| a.body().copied()), Some(2));
    }
}
