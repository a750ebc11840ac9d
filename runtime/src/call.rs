//! [`Call`] and [`PagedCall`]: what the call types of generated operation methods wrap.
//!
//! An operation method is a plain function that assembles a request and returns its call
//! type (see [`call_type!`](crate::call_type!)) around a `Call` or `PagedCall`; the setters
//! of optional parameters go on it, and the call runs when awaited (both implement
//! [`IntoFuture`]). Options for one call go on it before `.await`:
//!
//! ```no_run
//! # use apigen_runtime::{Call, Response};
//! # async fn example(call: Call<u32>, call2: Call<u32>) -> Result<(), apigen_runtime::Error> {
//! // No retries for this call only.
//! let value = call.max_retries(0).await?;
//! // Status and headers along with the decoded body.
//! let response: Response<u32> = call2.with_response().await?;
//! println!("{} {:?}", response.status(), response.headers().get("x-request-id"));
//! # Ok(()) }
//! ```

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::{HeaderMap, StatusCode};

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

use crate::decode::{DecodeFn, Decoding, ErrorFn};
use crate::error::BodySize;
use crate::error::{ApiError, ApiErrorInfo, Endpoint, Error};
use crate::json::Deviation;
use crate::paginate::{FetchPage, Items, Limits, Page, Pages};
use crate::prepared::{Outgoing, Place};
use crate::query::QueryStyle;
use crate::ratelimit::RateLimit;
use crate::transport::{CallOptions, Exec, Failure, Outcome, execute};

/// One API call, ready to run: `.await` it to get `Result<T, Error<E>>`.
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<T, E = serde_json::Value> {
    request: Outgoing,
    ok: DecodeFn<T>,
    err: ErrorFn<E>,
    options: CallOptions,
}

impl<T, E> Clone for Call<T, E> {
    fn clone(&self) -> Self {
        Call {
            request: self.request.clone(),
            ok: self.ok,
            err: self.err,
            options: self.options,
        }
    }
}

impl<T, E> std::fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T, E> Call<T, E> {
    pub(crate) fn new(request: Outgoing, ok: DecodeFn<T>, err: ErrorFn<E>) -> Self {
        Call {
            request,
            ok,
            err,
            options: CallOptions::default(),
        }
    }

    /// Retries this call at most `max_retries` times (0: a single attempt), whatever the
    /// client's setting.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// The per-attempt timeout of this call (sending the request and reading the whole
    /// response), whatever the client's setting; `None`: no per-attempt limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.options.timeout = Some(timeout.into());
        self
    }

    /// The overall deadline of this call, across every attempt and every wait between them,
    /// whatever the client's setting; `None`: no overall limit.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.options.deadline = Some(deadline.into());
        self
    }

    /// The largest response body this call reads, in bytes, whatever the client's setting
    /// (see [`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)).
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.options.max_body_size = Some(bytes);
        self
    }

    /// Decodes this call's response strictly (or not), whatever the client's setting (see
    /// [`ClientBuilder::strict`](crate::ClientBuilder::strict)).
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = Some(strict);
        self
    }

    /// Returns the status and headers along with the decoded body, as a [`Response`].
    pub fn with_response(self) -> WithResponse<T, E> {
        WithResponse { call: self }
    }

    fn start(self) -> (Exec, DecodeFn<T>, ErrorFn<E>) {
        (start(self.request, self.options), self.ok, self.err)
    }
}

/// Setting parameters on a call before it runs: what the setters of a generated call type
/// (`.branch("main")`) do, and a way to send a parameter the document does not describe.
///
/// A parameter set again replaces the value set before on the call (so a call can be cloned
/// and changed), a null value (`None`) means it is not sent, and several values for one
/// parameter are given as one array. Values the request was built with are kept. Values are
/// serialized and checked as by [`RequestBuilder`](crate::RequestBuilder); a bad one makes
/// the call fail with [`Error::InvalidInput`] before anything is sent.
impl<T, E> Call<T, E> {
    /// Sets a query parameter, laid out as OpenAPI's default (see
    /// [`RequestBuilder::query`](crate::RequestBuilder::query)); on a paginated call, its
    /// page-token parameter sets the first page's token.
    pub fn query<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.request.set(
            Place::Query(QueryStyle::default()),
            name,
            serde_json::to_value(value),
        );
        self
    }

    /// Sets a query parameter laid out in `style` (see
    /// [`RequestBuilder::query_styled`](crate::RequestBuilder::query_styled)).
    pub fn query_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: QueryStyle,
    ) -> Self {
        self.request
            .set(Place::Query(style), name, serde_json::to_value(value));
        self
    }

    /// Sets a header (see [`RequestBuilder::header`](crate::RequestBuilder::header)).
    pub fn header<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.request
            .set(Place::Header, name, serde_json::to_value(value));
        self
    }

    /// Sets a cookie (see [`RequestBuilder::cookie`](crate::RequestBuilder::cookie)).
    pub fn cookie<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.request
            .set(Place::Cookie, name, serde_json::to_value(value));
        self
    }

    /// Sets a JSON body, replacing any body set before (see
    /// [`RequestBuilder::json`](crate::RequestBuilder::json)).
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.request.json(serde_json::to_value(body));
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body (see
    /// [`RequestBuilder::form`](crate::RequestBuilder::form)).
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.request.form(serde_json::to_value(body));
        self
    }

    /// Sets a body of any content type, sent as it is.
    pub fn body(mut self, content_type: &str, body: Bytes) -> Self {
        self.request.body(content_type, body);
        self
    }
}

/// The part of starting a call that does not depend on `T` or `E`.
fn start(mut request: Outgoing, options: CallOptions) -> Exec {
    request.apply_set();
    execute(request, options)
}

impl<T, E> IntoFuture for Call<T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = CallFuture<T, E>;

    fn into_future(self) -> CallFuture<T, E> {
        let (exec, ok, err) = self.start();
        CallFuture { exec, ok, err }
    }
}

/// The future of an awaited [`Call`].
#[must_use = "futures do nothing unless polled"]
pub struct CallFuture<T, E> {
    exec: Exec,
    ok: DecodeFn<T>,
    err: ErrorFn<E>,
}

impl<T, E> Future for CallFuture<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let result = ready!(this.exec.as_mut().poll(cx));
        Poll::Ready(finish(result, this.ok, this.err).map(Response::into_body))
    }
}

/// Decodes the outcome: a 2xx response with `ok`, anything else into an [`Error::Api`].
fn finish<T, E>(
    result: Result<Outcome, Failure>,
    ok: DecodeFn<T>,
    err: ErrorFn<E>,
) -> Result<Response<T>, Error<E>> {
    let outcome = result.map_err(Error::from)?;
    if outcome.raw.status.is_success() {
        let mut decoding = Decoding::new(outcome.mode);
        match ok(&outcome.raw, &mut decoding) {
            Ok(body) => Ok(Response {
                status: outcome.raw.status,
                deviations: report_deviations(&outcome.endpoint, decoding),
                headers: outcome.raw.headers,
                body,
            }),
            Err(e) => Err(Error::Decode(Box::new(
                e.with_context(outcome.endpoint, outcome.raw.status),
            ))),
        }
    } else {
        let body = err(&outcome.raw);
        Err(Error::Api(Box::new(ApiError::new(
            api_error_info(outcome),
            body,
        ))))
    }
}

/// Logs what decoding corrected (a `tracing` warning per deviation, naming the operation and
/// the JSON path) and returns it.
fn report_deviations(endpoint: &Endpoint, decoding: Decoding) -> Vec<Deviation> {
    let dropped = decoding.dropped();
    let deviations = decoding.into_deviations();
    for deviation in &deviations {
        tracing::warn!(
            endpoint = %endpoint,
            path = %deviation.path(),
            "the response deviates from the API description: {deviation}"
        );
    }
    if dropped > 0 {
        tracing::warn!(
            endpoint = %endpoint,
            dropped,
            "the response deviates from the API description in more places than are reported"
        );
    }
    deviations
}

/// The `E`-independent part of an [`ApiError`].
fn api_error_info(outcome: Outcome) -> ApiErrorInfo {
    let Outcome {
        endpoint,
        raw,
        body_size,
        mode: _,
        attempts,
        stop,
        request_id_headers,
    } = outcome;
    let request_id = request_id_headers
        .iter()
        .find_map(|name| raw.headers.get(*name))
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let message = match body_size {
        BodySize::Read => error_message(&raw.headers, &raw.body),
        // A clipped body is neither whole JSON nor a whole message.
        _ => None,
    };
    ApiErrorInfo {
        message,
        body_size,
        request_id,
        endpoint,
        status: raw.status,
        raw_body: raw.body,
        headers: raw.headers,
        attempts,
        stop,
    }
}

/// The human-readable message of an error body: [`json_message`] of a JSON object (whatever
/// the `Content-Type` says; CircleCI labels some JSON errors `text/plain`), or else the text
/// itself when it is short plain text (`Invalid token provided.`), not HTML, not JSON.
fn error_message(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(message) = json_message(body) {
        return Some(message);
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    let first = text.chars().next()?;
    let plain = text.len() <= PLAIN_MESSAGE_MAX
        && !matches!(first, '{' | '[' | '<')
        && !crate::error::looks_like_html(headers, text)
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r');
    plain.then(|| text.to_owned())
}

/// The longest plain-text body taken as an error message.
const PLAIN_MESSAGE_MAX: usize = 1024;

/// The human-readable message of a JSON object body, in the shapes APIs commonly use:
/// `{"message": "…"}`, `{"error": "…"}` or `{"error": {"message": "…"}}`, first match wins.
fn json_message(body: &[u8]) -> Option<String> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if body[start] != b'{' {
        return None;
    }
    let serde_json::Value::Object(mut map) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    if let Some(serde_json::Value::String(message)) = map.remove("message") {
        return Some(message);
    }
    match map.remove("error")? {
        serde_json::Value::String(message) => Some(message),
        serde_json::Value::Object(mut error) => match error.remove("message")? {
            serde_json::Value::String(message) => Some(message),
            _ => None,
        },
        _ => None,
    }
}

/// A successful response: status, headers and the decoded body.
#[derive(Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    deviations: Vec<Deviation>,
    body: T,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &crate::redact::Headers(&self.headers))
            .field("deviations", &self.deviations)
            .field("body", &self.body)
            .finish()
    }
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit state the server reported with this response, if it sent any
    /// (`RateLimit-*` or `X-RateLimit-*` headers; read from them when asked).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// Where the body deviated from the API description and was corrected (a required
    /// member missing, or `null` where no null is allowed, given its fallback value); empty
    /// when it matched, and always in strict mode (where a deviation is an error).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Takes status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

/// A [`Call`] that yields a [`Response`] (see [`Call::with_response`]).
#[must_use = "a Call does nothing until it is awaited"]
pub struct WithResponse<T, E = serde_json::Value> {
    call: Call<T, E>,
}

impl<T, E> WithResponse<T, E> {
    /// See [`Call::max_retries`].
    pub fn max_retries(self, max_retries: u32) -> Self {
        WithResponse {
            call: self.call.max_retries(max_retries),
        }
    }

    /// See [`Call::timeout`].
    pub fn timeout(self, timeout: impl Into<Option<Duration>>) -> Self {
        WithResponse {
            call: self.call.timeout(timeout),
        }
    }

    /// See [`Call::deadline`].
    pub fn deadline(self, deadline: impl Into<Option<Duration>>) -> Self {
        WithResponse {
            call: self.call.deadline(deadline),
        }
    }

    /// See [`Call::max_body_size`].
    pub fn max_body_size(self, bytes: u64) -> Self {
        WithResponse {
            call: self.call.max_body_size(bytes),
        }
    }

    /// See [`Call::strict`].
    pub fn strict(self, strict: bool) -> Self {
        WithResponse {
            call: self.call.strict(strict),
        }
    }
}

impl<T, E> IntoFuture for WithResponse<T, E> {
    type Output = Result<Response<T>, Error<E>>;
    type IntoFuture = ResponseFuture<T, E>;

    fn into_future(self) -> ResponseFuture<T, E> {
        let (exec, ok, err) = self.call.start();
        ResponseFuture { exec, ok, err }
    }
}

/// The future of an awaited [`WithResponse`].
#[must_use = "futures do nothing unless polled"]
pub struct ResponseFuture<T, E> {
    exec: Exec,
    ok: DecodeFn<T>,
    err: ErrorFn<E>,
}

impl<T, E> Future for ResponseFuture<T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let result = ready!(this.exec.as_mut().poll(cx));
        Poll::Ready(finish(result, this.ok, this.err))
    }
}

/// A call to a paginated listing. Awaiting it fetches the first page;
/// [`pages`](Self::pages) and [`items`](Self::items) walk every page as a
/// [`Stream`](futures_core::Stream).
///
/// ```no_run
/// # use apigen_runtime::{PagedCall, Page};
/// # use futures_util::StreamExt;
/// # async fn example<P: Page>(call: PagedCall<P>) -> Result<(), apigen_runtime::Error>
/// # where P::Item: std::fmt::Debug {
/// let mut items = call.items();
/// while let Some(item) = items.next().await {
///     println!("{:?}", item?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a PagedCall does nothing until it is awaited or streamed"]
pub struct PagedCall<T, E = serde_json::Value> {
    call: Call<T, E>,
    limits: Limits,
}

impl<T, E> Clone for PagedCall<T, E> {
    fn clone(&self) -> Self {
        PagedCall {
            call: self.call.clone(),
            limits: self.limits,
        }
    }
}

impl<T, E> std::fmt::Debug for PagedCall<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PagedCall")
            .field("call", &self.call)
            .field("limits", &self.limits)
            .finish()
    }
}

impl<T, E> PagedCall<T, E> {
    pub(crate) fn new(call: Call<T, E>) -> Self {
        PagedCall {
            call,
            limits: Limits::default(),
        }
    }

    fn map(self, f: impl FnOnce(Call<T, E>) -> Call<T, E>) -> Self {
        PagedCall {
            call: f(self.call),
            limits: self.limits,
        }
    }

    /// Retries each page request at most `max_retries` times.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.map(|call| call.max_retries(max_retries))
    }

    /// The per-attempt timeout of each page request (see [`Call::timeout`]).
    pub fn timeout(self, timeout: impl Into<Option<Duration>>) -> Self {
        let timeout = timeout.into();
        self.map(|call| call.timeout(timeout))
    }

    /// The overall deadline of each page request (see [`Call::deadline`]).
    pub fn deadline(self, deadline: impl Into<Option<Duration>>) -> Self {
        let deadline = deadline.into();
        self.map(|call| call.deadline(deadline))
    }

    /// The largest body of each page (see [`Call::max_body_size`]).
    pub fn max_body_size(self, bytes: u64) -> Self {
        self.map(|call| call.max_body_size(bytes))
    }

    /// Decodes each page strictly, or not (see [`Call::strict`]).
    pub fn strict(self, strict: bool) -> Self {
        self.map(|call| call.strict(strict))
    }

    /// [`pages`](Self::pages) and [`items`](Self::items) fetch at most `max_pages` pages;
    /// when the last of them has a next-page token, the stream ends with
    /// [`Error::PaginationLimit`] carrying that token (to resume from) after every item
    /// received. Unlimited by default; the first page is always fetched (0 counts as 1).
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.limits.max_pages = Some(max_pages);
        self
    }

    /// How many pages in a row may come without items but with a next-page token before
    /// [`pages`](Self::pages) and [`items`](Self::items) stop with
    /// [`Error::PaginationLimit`] (default
    /// [`DEFAULT_MAX_EMPTY_PAGES`](crate::paginate::DEFAULT_MAX_EMPTY_PAGES)): a server that
    /// keeps handing out fresh tokens with empty pages would otherwise be polled forever.
    pub fn max_empty_pages(mut self, max_empty_pages: usize) -> Self {
        self.limits.max_empty_pages = max_empty_pages;
        self
    }

    /// Sets a query parameter (see [`Call::query`]); a value for the page-token parameter is
    /// the token of the first page, so a walk resumes from it.
    pub fn query<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.call = self.call.query(name, value);
        self
    }

    /// Sets a query parameter laid out in `style` (see [`Call::query_styled`]).
    pub fn query_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: QueryStyle,
    ) -> Self {
        self.call = self.call.query_styled(name, value, style);
        self
    }

    /// Sets a header of every page request (see [`Call::header`]).
    pub fn header<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.call = self.call.header(name, value);
        self
    }

    /// Sets a cookie of every page request (see [`Call::cookie`]).
    pub fn cookie<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.call = self.call.cookie(name, value);
        self
    }

    /// Sets the JSON body of every page request (see [`Call::json`]).
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.call = self.call.json(body);
        self
    }

    /// Sets the form body of every page request (see [`Call::form`]).
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.call = self.call.form(body);
        self
    }

    /// Sets the body of every page request (see [`Call::body`]).
    pub fn body(mut self, content_type: &str, body: Bytes) -> Self {
        self.call = self.call.body(content_type, body);
        self
    }

    /// Fetches the first page only, with its status and headers (see
    /// [`Call::with_response`]).
    pub fn with_response(self) -> WithResponse<T, E> {
        self.call.with_response()
    }
}

impl<T: Page, E> PagedCall<T, E> {
    /// Every page, fetched one at a time as the stream is polled (never ahead), until a page
    /// has no next-page token (null, empty or absent). A page that returns a token already
    /// requested is yielded, then [`Error::PaginationLoop`]; an error ends the stream.
    pub fn pages(self) -> PageStream<T, E> {
        crate::paginate::paginate(PagedFetch { call: self.call }).limits(self.limits)
    }

    /// Every item of every page, in order; memory holds about one page. Ends after the
    /// first error, which comes after every item received before it.
    pub fn items(self) -> ItemStream<T, E> {
        self.pages().items()
    }
}

/// The call of the first page alone (what awaiting the `PagedCall` sends).
impl<T, E> From<PagedCall<T, E>> for Call<T, E> {
    fn from(paged: PagedCall<T, E>) -> Self {
        paged.call
    }
}

impl<T, E> IntoFuture for PagedCall<T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = CallFuture<T, E>;

    fn into_future(self) -> CallFuture<T, E> {
        self.call.into_future()
    }
}

/// Fetches one page of a [`PagedCall`] for a page token.
pub struct PagedFetch<T, E> {
    call: Call<T, E>,
}

impl<T, E> FetchPage<T, E> for PagedFetch<T, E> {
    type Future = CallFuture<T, E>;

    fn fetch(&mut self, token: Option<String>) -> CallFuture<T, E> {
        let mut call = self.call.clone();
        if let Some(token) = token {
            call.request.prepared.set_page_token(&token);
        }
        call.into_future()
    }

    fn endpoint(&self) -> Option<Endpoint> {
        Some(self.call.request.prepared.endpoint())
    }

    fn start_token(&self) -> Option<String> {
        self.call.request.prepared.start_page_token()
    }
}

/// The stream of pages of a [`PagedCall`].
pub type PageStream<T, E = serde_json::Value> = Pages<PagedFetch<T, E>, T, E>;

/// The stream of items of a [`PagedCall`].
pub type ItemStream<T, E = serde_json::Value> = Items<PagedFetch<T, E>, T, E>;

#[cfg(test)]
mod tests {
    use super::json_message;

    #[test]
    fn message_only_from_json_objects_with_a_string_message() {
        assert_eq!(
            json_message(br#" {"message":"Project not found"}"#).as_deref(),
            Some("Project not found")
        );
        assert_eq!(json_message(br#"{"error":"x"}"#).as_deref(), Some("x"));
        assert_eq!(
            json_message(br#"{"error":{"message":"y","code":3}}"#).as_deref(),
            Some("y")
        );
        assert_eq!(
            json_message(br#"{"message":"m","error":"e"}"#).as_deref(),
            Some("m")
        );
        assert_eq!(json_message(br#"{"message":5}"#), None);
        assert_eq!(json_message(br#"{"error":["x"]}"#), None);
        assert_eq!(json_message(br#"{"error":{"code":3}}"#), None);
        assert_eq!(json_message(b"Project not found"), None);
        assert_eq!(json_message(b""), None);
        assert_eq!(json_message(b"<html>"), None);
    }
}
