//! Typed async client for the [CircleCI REST API v2](https://circleci.com/docs/api/v2/).
//!
//! Every operation of the API is a method of [`Client`], named after its operationId in
//! snake_case (`getPipelineById` is [`Client::get_pipeline_by_id`]). A method takes the
//! operation's required parameters (and a required request body) as arguments, in order, and
//! returns a call of its own type (in [`operations`]); each optional parameter is a setter of
//! that call, named after the parameter (`.branch("main")`), and an optional body is
//! `.body(…)`. `.await` the call to send the request and decode the response into the types of
//! the [`types`] module (also re-exported at the crate root). Listings can also walk every page
//! as a stream. Because optional parameters are named setters, one that CircleCI adds later
//! breaks no code written before it.
//!
//! ```no_run
//! # use circleci_api::{Client, Error, ReportingWindow};
//! # async fn example(client: &Client) -> Result<(), Error> {
//! let runs = client
//!     .get_project_workflow_runs("gh/my-org/my-repo", "build") // required
//!     .branch("main") // optional
//!     .start_date("2026-11-01T00:00:00Z".parse().expect("a date"))
//!     .await?;
//! let metrics = client
//!     .get_project_workflow_metrics("gh/my-org/my-repo")
//!     .reporting_window(&ReportingWindow::Last30Days)
//!     .await?;
//! # let _ = (runs, metrics); Ok(()) }
//! ```
//!
//! # Quick start
//!
//! ```toml
//! [dependencies]
//! circleci-api = { path = "path/to/this/repository/generated" } # or { git = "<its URL>" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! futures-util = "0.3" # StreamExt, for paginated listings
//! ```
//!
//! ```no_run
//! use circleci_api::Client;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // The token from CIRCLECI_TOKEN; the base URL from CIRCLECI_BASE_URL when it is set.
//!     let client = Client::from_env()?;
//!
//!     let me = client.get_current_user().await?;
//!     println!("signed in as {} ({})", me.login, me.name);
//!
//!     let project = client.get_project_by_slug("gh/my-org/my-repo").await?;
//!     println!("{} belongs to {}", project.name, project.organization_name);
//!     Ok(())
//! }
//! ```
//!
//! Runnable programs are in `examples/`: listing a project's pipelines, triggering a pipeline
//! and following its workflows and jobs, and managing a context's environment variables.
//!
//! # Creating a client
//!
//! [`Client::from_env`] reads the personal API token from `CIRCLECI_TOKEN` and, when set, the
//! base URL from `CIRCLECI_BASE_URL`. [`Client::new`] takes the token directly, and
//! [`Client::builder`] gives every setting. The base URL defaults to
//! `https://circleci.com/api/v2`; for CircleCI server it is `https://HOST/api/v2`:
//!
//! ```no_run
//! use std::time::Duration;
//! use circleci_api::Client;
//!
//! # fn main() -> Result<(), circleci_api::BuildError> {
//! let client = Client::builder()
//!     .token("my-personal-api-token")
//!     .base_url("https://circleci.example.com/api/v2")
//!     .timeout(Duration::from_secs(20)) // each attempt: send the request, read the response
//!     .deadline(Duration::from_secs(60)) // the whole call, retries and waits included
//!     .max_retries(4)
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! The token is sent in the `Circle-Token` header (or as HTTP basic user name with
//! `.auth(AuthScheme::Basic)`), never in a URL, and never printed by `Debug`. A client is cheap
//! to clone; clones share one connection pool.
//!
//! # Errors
//!
//! A call returns [`Result<T>`](Result); an [`Error`] says whether the server answered
//! with an error status ([`Error::Api`], with the status, CircleCI's `message`, the raw body
//! and the headers), the network failed, a timeout expired, a successful response did not
//! decode (with the JSON path of the bad field), an argument was invalid (nothing was sent),
//! or a listing looped. Its `Display` names the request by method and path template.
//!
//! ```no_run
//! use circleci_api::{Client, Error};
//!
//! # async fn example(client: &Client) -> Result<(), Error> {
//! match client.get_project_by_slug("gh/my-org/my-repo").await {
//!     Ok(project) => println!("found {}", project.name),
//!     Err(Error::Api(e)) if e.status() == 404 => {
//!         // `message()` is the text of CircleCI's JSON error body (`message` or `error`).
//!         println!("no such project: {}", e.message().unwrap_or("(no message)"));
//!     }
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! The policy-management and OIDC-claims endpoints describe their errors as
//! `{"error": "..."}` rather than `{"message": "..."}`; their methods return
//! `Result<T, ErrorFieldResponse>`, whose [`ApiError::body`] is a
//! [`types::ErrorFieldResponse`]. Building a client fails only on bad input (no token, a bad
//! base URL), with a [`BuildError`], which `?` turns into an [`Error::InvalidInput`] of either
//! kind of [`Result`] (or into a boxed error). [`Error::without_body`] turns one error
//! body type into another, for a function that returns a single error type:
//!
//! ```no_run
//! use circleci_api::{Client, Error, Result};
//! use circleci_api::uuid::Uuid;
//!
//! async fn audience(org_id: Uuid) -> Result<Vec<String>> {
//!     let client = Client::from_env()?;
//!     let claims = client
//!         .get_org_claims(org_id)
//!         .await
//!         .map_err(|e| {
//!             if let Some(body) = e.as_api().and_then(|api| api.body()) {
//!                 eprintln!("CircleCI says: {}", body.error);
//!             }
//!             e.without_body()
//!         })?;
//!     Ok(claims.audience.unwrap_or_default())
//! }
//! ```
//!
//! Errors are `Send + Sync + 'static`, so they also go into
//! `Box<dyn std::error::Error + Send + Sync>` or `anyhow::Error` as they are.
//!
//! # Pagination
//!
//! The call of a listing method wraps a [`PagedCall`]. Awaiting it fetches one page (its
//! `.page_token(…)` setter selects which); `.items()` streams every item of every page, fetching
//! the next page only when the items of the previous one are consumed; `.pages()` streams whole
//! pages, and both start from the page token set, so a listing can be resumed. A stream ends when a page has no
//! `next_page_token`; a server that hands out the same token twice ends it with
//! [`Error::PaginationLoop`] after every item received, instead of looping forever.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! # use circleci_api::{Client, Error};
//!
//! # async fn example(client: &Client) -> Result<(), Error> {
//! // Every pipeline of the project's main branch, newest first.
//! let mut pipelines = client
//!     .list_pipelines_for_project("gh/my-org/my-repo")
//!     .branch("main")
//!     .items();
//! while let Some(pipeline) = pipelines.next().await {
//!     let pipeline = pipeline?;
//!     println!("#{} {}", pipeline.number, pipeline.state);
//! }
//!
//! // Page by page, keeping the token to resume later.
//! let first = client.list_pipelines_for_project("gh/my-org/my-repo").await?;
//! if let Some(token) = first.next_page_token.as_deref() {
//!     let second = client
//!         .list_pipelines_for_project("gh/my-org/my-repo")
//!         .page_token(token)
//!         .await?;
//!     println!("{} + {} pipelines", first.items.len(), second.items.len());
//! }
//! # Ok(()) }
//! ```
//!
//! # Retries, status and headers
//!
//! Connection failures and `429` answers are retried; so are timeouts and `408`, `500`, `502`,
//! `503` and `504` answers, except for `POST` and `PATCH` requests (which the server may already
//! have carried out). By default at most twice, waiting what `Retry-After` asks, or an
//! exponential backoff with jitter. [`Call::max_retries`] changes that for one call,
//! [`Client::with_max_retries`] for a clone of the client. [`Call::with_response`] returns the
//! status and headers along with the decoded body:
//!
//! ```no_run
//! # use circleci_api::{Client, Error};
//! # async fn example(client: &Client, id: circleci_api::uuid::Uuid) -> Result<(), Error> {
//! // More patience than the client's default for this call.
//! let workflow = client.get_workflow_by_id(id).max_retries(5).await?;
//! println!("{} is {}", workflow.name, workflow.status);
//!
//! let response = client.get_pipeline_by_id(workflow.pipeline_id).with_response().await?;
//! println!("{} {:?}", response.status(), response.headers().get("x-ratelimit-remaining"));
//! let pipeline = response.into_body();
//! println!("pipeline #{} is {}", pipeline.number, pipeline.state);
//! # Ok(()) }
//! ```
//!
//! # Types
//!
//! The request and response types are in [`types`], and at the crate root. Enums keep values
//! this version does not know (`Unknown(String)`), so a new status on CircleCI's side does not
//! break decoding. Dates are [`chrono::DateTime<Utc>`](chrono::DateTime), identifiers
//! [`uuid::Uuid`]; both crates are re-exported here (and the whole runtime as [`runtime`]) so
//! that they need not be added as dependencies.

#![warn(missing_docs)]

// `api` is written by `cargo xtask generate` and formatted by the generator (prettyplease), not
// rustfmt; `cargo fmt` must leave it as generated.
#[rustfmt::skip]
mod api;

pub use api::*;

/// The runtime every call goes through (`apigen-runtime`): transport, retries, pagination,
/// errors. Its items that users meet are also re-exported at the crate root.
pub use apigen_runtime as runtime;
pub use apigen_runtime::{ApiError, AuthScheme, Call, PagedCall, Response, RetryPolicy, Token};
pub use apigen_runtime::{chrono, url, uuid};

/// Builds a [`Client`]: token, base URL, timeouts, retries, default headers. Made by
/// [`Client::builder`]; its `build()` fails with a [`BuildError`].
pub type ClientBuilder = apigen_runtime::ClientBuilder<Client>;

/// The error of a call. `E` is the typed error body: [`types::ErrorResponse`]
/// (`{"message": ...}`) for most operations, [`types::ErrorFieldResponse`] (`{"error": ...}`)
/// for the policy-management and OIDC-claims ones.
pub type Error<E = types::ErrorResponse> = apigen_runtime::Error<E>;

/// The result of a call: `Result<T>` for most operations, `Result<T, ErrorFieldResponse>` for
/// the policy-management and OIDC-claims ones (see [`Error`]).
pub type Result<T, E = types::ErrorResponse> = std::result::Result<T, Error<E>>;

// The README's code must compile too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The error of [`ClientBuilder::build`](apigen_runtime::ClientBuilder::build),
/// [`Client::new`] and [`Client::from_env`]: bad input (a missing token, a bad base URL or
/// header), nothing sent. `?` converts it into an [`Error`] of any body type (as
/// [`Error::InvalidInput`]), so it joins the [`Result`] of the calls either way.
pub type BuildError = apigen_runtime::InvalidInput;
