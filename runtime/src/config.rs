//! [`ApiConfig`]: the conventions of one API, as data supplied by the generated crate.

use crate::auth::AuthScheme;

/// A `'static` description of one API's conventions. The runtime knows no API by itself: a
/// generated crate defines one `pub static CONFIG: ApiConfig` and builds its clients from it.
///
/// For CircleCI:
///
/// ```
/// use apigen_runtime::{ApiConfig, AuthScheme};
///
/// pub static CONFIG: ApiConfig = ApiConfig {
///     default_base_url: "https://circleci.com/api/v2",
///     auth: AuthScheme::Header("Circle-Token"),
///     token_env: Some("CIRCLECI_TOKEN"),
///     base_url_env: Some("CIRCLECI_BASE_URL"),
///     auth_scheme_env: Some("CIRCLECI_AUTH_SCHEME"),
///     user_agent: concat!("circleci-api/", "0.1.0"),
///     request_id_headers: &["x-request-id", "x-amzn-trace-id"],
/// };
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiConfig {
    /// The base URL used when none is given (`https://circleci.com/api/v2`). Operation paths
    /// are appended to it; a path prefix in it is kept.
    pub default_base_url: &'static str,
    /// How the API token is sent, unless [`ClientBuilder::auth`](crate::ClientBuilder::auth)
    /// overrides it.
    pub auth: AuthScheme,
    /// The environment variable [`ClientBuilder::from_env`](crate::ClientBuilder::from_env)
    /// reads the token from (`CIRCLECI_TOKEN`).
    pub token_env: Option<&'static str>,
    /// The environment variable `from_env` reads a base URL override from, if set
    /// (`CIRCLECI_BASE_URL`).
    pub base_url_env: Option<&'static str>,
    /// The environment variable `from_env` reads the auth scheme from, if set
    /// (`CIRCLECI_AUTH_SCHEME`): `header` (the API's own, [`ApiConfig::auth`]), `bearer`
    /// (`Authorization: Bearer <token>`) or `basic`.
    pub auth_scheme_env: Option<&'static str>,
    /// The `User-Agent` header: `<crate>/<version>`.
    pub user_agent: &'static str,
    /// Response headers carrying a request id, in order of preference; the first present
    /// one is reported in [`ApiError::request_id`](crate::ApiError::request_id).
    pub request_id_headers: &'static [&'static str],
}
