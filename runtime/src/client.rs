//! [`ClientBuilder`] and [`Client`]: configuration, the connection pool, and where requests
//! start.
//!
//! # Base URL
//!
//! Operation paths are appended to the base URL: by default
//! [`ApiConfig::default_base_url`] (for CircleCI `https://circleci.com/api/v2`), overridden
//! with [`ClientBuilder::base_url`] or the environment variable named by
//! [`ApiConfig::base_url_env`] (`CIRCLECI_BASE_URL`) — for a CircleCI server installation
//! `https://HOST/api/v2`, for tests a local mock such as `http://127.0.0.1:8080`. A trailing
//! slash makes no difference, and a path prefix is kept. It must be `http` or `https`,
//! without credentials, query or fragment.
//!
//! Plain `http` is refused unless the host is loopback (`localhost`, `127.0.0.0/8`, `[::1]`)
//! or [`ClientBuilder::allow_insecure_http`] says otherwise: the token would travel in clear
//! text, and a typo in the base URL variable is enough to send it so.
//!
//! # Response size
//!
//! A successful response body is read up to [`DEFAULT_MAX_BODY_SIZE`] (32 MiB; change it
//! with [`ClientBuilder::max_body_size`] or per call): a declared `Content-Length` past the
//! limit fails before anything is read, and a body that grows past it fails as soon as it
//! does, with [`Error::BodyTooLarge`](crate::Error::BodyTooLarge). Of an error response, the first 64 KiB are kept
//! ([`ERROR_BODY_KEPT`](crate::ERROR_BODY_KEPT)) and the rest, up to the same
//! limit, is only counted ([`ApiError::body_len`](crate::ApiError::body_len)).
//!
//! # Timeouts
//!
//! Three limits, all configurable: the connect timeout (default 10 s), the per-attempt
//! timeout covering sending the request and reading the whole response (default 30 s), and
//! the overall deadline across every attempt and every wait between them (default 120 s).
//!
//! # TLS and proxies
//!
//! HTTPS uses rustls with the `ring` crypto provider and the operating system's trust store
//! (through the platform verifier); no OpenSSL is involved, and no process-wide rustls
//! default is installed. Connections speak HTTP/1.1 and are pooled per client (clones share
//! the pool). Proxies from `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` are honoured.
//!
//! # Redirects
//!
//! Redirects are followed (up to 10) only within the same origin (scheme, host and port), so
//! the token header is never sent to another host; a redirect elsewhere is returned as an
//! [`Error::Api`](crate::Error::Api) with its 3xx status.
//!
//! # Your own HTTP settings and hooks
//!
//! [`ClientBuilder::configure_http`] hands the `reqwest::ClientBuilder` to a function of yours
//! (proxies, local address, pool and keep-alive settings, …) before the runtime sets what its
//! guarantees rest on: the redirect policy above, the TLS configuration and the default
//! headers carrying the token. [`ClientBuilder::on_request`] runs a function of yours on every
//! request before it is sent (once per attempt), for example to set a token it refreshes.
//!
//! A `reqwest::Client` you built is not accepted as it is: its redirect policy cannot be
//! inspected, and reqwest's default one follows redirects to other hosts, carrying every
//! header but `Authorization`, `Cookie` and `Proxy-Authorization` along — CircleCI's
//! `Circle-Token` among them.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::auth::{AuthScheme, Token, auth_header};
use crate::config::ApiConfig;
use crate::error::{InvalidInput, InvalidInputKind};
use crate::hook::{RequestHead, RequestHook};
use crate::inner::{BaseUrl, ClientInner, redacted_url};
use crate::request::RequestBuilder;
use crate::retry::RetryPolicy;

/// The most retries [`ClientBuilder::max_retries`] uses by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default overall deadline.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
/// The default limit on a response body: 32 MiB, hundreds of times the largest page of
/// JSON an API like CircleCI's sends.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 32 * 1024 * 1024;

/// A function that adjusts the HTTP client's settings (see [`ClientBuilder::configure_http`]).
type ConfigureHttp =
    Box<dyn FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// Configures and builds a [`Client`], or a generated crate's client type `C` wrapping one.
///
/// [`build`](Self::build) fails with an [`InvalidInput`] (a missing token, a bad base URL or
/// header); `?` converts it into an [`Error`](crate::Error) of any body type (it becomes
/// [`Error::InvalidInput`](crate::Error::InvalidInput)) or into a boxed error. A generated crate builds its own client
/// type `C`, writing `impl From<apigen_runtime::Client> for crate::Client`.
///
/// ```no_run
/// # use apigen_runtime::{ApiConfig, AuthScheme, Client, ClientBuilder};
/// # static CONFIG: ApiConfig = ApiConfig {
/// #     default_base_url: "https://circleci.com/api/v2",
/// #     auth: AuthScheme::Header("Circle-Token"),
/// #     token_env: Some("CIRCLECI_TOKEN"),
/// #     base_url_env: Some("CIRCLECI_BASE_URL"),
/// #     auth_scheme_env: Some("CIRCLECI_AUTH_SCHEME"),
/// #     user_agent: "example/0.1.0",
/// #     request_id_headers: &[],
/// # };
/// # fn main() -> Result<(), apigen_runtime::Error> {
/// // Token from CIRCLECI_TOKEN, base URL from CIRCLECI_BASE_URL when set.
/// let client: Client = ClientBuilder::new(&CONFIG).from_env().build()?;
///
/// // Or explicitly, against CircleCI server, with at most one retry.
/// let client: Client = ClientBuilder::new(&CONFIG)
///     .token("my-token")
///     .base_url("https://circleci.example.com/api/v2/")
///     .max_retries(1)
///     .build()?;
/// # Ok(()) }
/// ```
pub struct ClientBuilder<C = Client> {
    config: &'static ApiConfig,
    token: Option<Token>,
    base_url: Option<String>,
    auth: AuthScheme,
    default_headers: Vec<(String, String)>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: u32,
    retry: RetryPolicy,
    max_body_size: u64,
    strict: bool,
    allow_insecure_http: bool,
    configure_http: Option<ConfigureHttp>,
    hook: Option<RequestHook>,
    missing_token: Option<InvalidInputKind>,
    env_error: Option<InvalidInputKind>,
    /// The variable the base URL was read from, for error messages.
    base_url_from_env: Option<&'static str>,
    output: PhantomData<fn() -> C>,
}

/// One environment variable as read by [`ClientBuilder::from_env`].
enum EnvValue {
    Unset,
    Set(String),
    NotUnicode,
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with the API's defaults: its base URL, auth scheme and user agent, 2
    /// retries, the default [`RetryPolicy`], a 10 s connect timeout, a 30 s per-attempt
    /// timeout and a 120 s overall deadline.
    pub fn new(config: &'static ApiConfig) -> Self {
        ClientBuilder {
            config,
            token: None,
            base_url: None,
            auth: config.auth,
            default_headers: Vec::new(),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(DEFAULT_TIMEOUT),
            deadline: Some(DEFAULT_DEADLINE),
            max_retries: DEFAULT_MAX_RETRIES,
            retry: RetryPolicy::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            strict: false,
            allow_insecure_http: false,
            configure_http: None,
            hook: None,
            missing_token: None,
            env_error: None,
            base_url_from_env: None,
            output: PhantomData,
        }
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// The API token.
    pub fn token(mut self, token: impl Into<Token>) -> Self {
        self.token = Some(token.into());
        self.missing_token = None;
        self
    }

    /// The base URL operation paths are appended to (see the [module docs](self)).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self.base_url_from_env = None;
        self
    }

    /// How the token is sent, overriding [`ApiConfig::auth`] (e.g. [`AuthScheme::Basic`]).
    pub fn auth(mut self, auth: AuthScheme) -> Self {
        self.auth = auth;
        self
    }

    /// A header sent with every request. Invalid names or values are reported by
    /// [`build`](Self::build). Values are marked sensitive, and `Debug` shows only names. A
    /// later value for the same name replaces an earlier one; a `User-Agent` given here
    /// replaces the API's; the auth header is always the token's.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The connect timeout (`None`: no limit other than the attempt timeout).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The per-attempt timeout: sending the request and reading the whole response
    /// (`None`: no per-attempt limit).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The overall deadline across every attempt and every wait between attempts (`None`:
    /// no overall limit).
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// How many times a failed request may be retried (default 2, so at most 3 attempts).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Backoff and `Retry-After` settings.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest successful response body read, in bytes (default
    /// [`DEFAULT_MAX_BODY_SIZE`], 32 MiB); a larger one fails the call with
    /// [`Error::BodyTooLarge`](crate::Error::BodyTooLarge). [`Call::max_body_size`](crate::Call::max_body_size) changes it
    /// for one call.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Decodes responses strictly: a required member that is missing, or `null` where the
    /// API description allows no null, fails the call with [`Error::Decode`](crate::Error::Decode) instead of getting
    /// its fallback value (see [`json`](crate::json#error-correction)). Off by default: a
    /// response that deviates from the description is decoded, and the deviations are
    /// logged as `tracing` warnings and listed by
    /// [`Response::deviations`](crate::Response::deviations).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Accepts a plain `http://` base URL to a host that is not loopback (refused by
    /// default: the token would travel in clear text).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Adjusts the HTTP client's settings with `configure` (proxies, local address, pool and
    /// keep-alive settings, …). It runs first; then the runtime sets the redirect policy,
    /// the TLS configuration and the default headers, which `configure` cannot change (see
    /// the [module docs](self)). `reqwest` is re-exported as
    /// [`apigen_runtime::reqwest`](crate::reqwest).
    pub fn configure_http(
        mut self,
        configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.configure_http = Some(Box::new(configure));
        self
    }

    /// Runs `hook` on every request before it is sent, once per attempt: it sees the method
    /// and URL and may change the headers (see [`RequestHead`]). For example, a token that is
    /// refreshed elsewhere:
    ///
    /// ```no_run
    /// # use std::sync::{Arc, RwLock};
    /// # use apigen_runtime::{ApiConfig, AuthScheme, Client, ClientBuilder};
    /// # static CONFIG: ApiConfig = ApiConfig {
    /// #     default_base_url: "https://circleci.com/api/v2",
    /// #     auth: AuthScheme::Bearer,
    /// #     token_env: None,
    /// #     base_url_env: None,
    /// #     auth_scheme_env: None,
    /// #     user_agent: "example/0.1.0",
    /// #     request_id_headers: &[],
    /// # };
    /// # fn main() -> Result<(), apigen_runtime::Error> {
    /// let current = Arc::new(RwLock::new(String::from("first-token")));
    /// let token = Arc::clone(&current);
    /// let client: Client = ClientBuilder::new(&CONFIG)
    ///     .token("first-token")
    ///     .on_request(move |request| {
    ///         let bearer = format!("Bearer {}", token.read().unwrap());
    ///         if let Ok(mut value) = http::HeaderValue::from_str(&bearer) {
    ///             value.set_sensitive(true);
    ///             request.headers_mut().insert(http::header::AUTHORIZATION, value);
    ///         }
    ///     })
    ///     .build()?;
    /// // Elsewhere: *current.write().unwrap() = "refreshed-token".into();
    /// # Ok(()) }
    /// ```
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut RequestHead<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.hook = Some(std::sync::Arc::new(hook));
        self
    }

    /// Reads the token from the environment variable [`ApiConfig::token_env`]
    /// (`CIRCLECI_TOKEN`) and, when set, the base URL from [`ApiConfig::base_url_env`]
    /// (`CIRCLECI_BASE_URL`). If the token variable is unset or empty and no token was given,
    /// [`build`](Self::build) fails with an error naming the variable. Leading and trailing
    /// whitespace is trimmed.
    pub fn from_env(self) -> Self {
        self.apply_env(|name| match std::env::var(name) {
            Ok(value) => EnvValue::Set(value),
            Err(std::env::VarError::NotPresent) => EnvValue::Unset,
            Err(std::env::VarError::NotUnicode(_)) => EnvValue::NotUnicode,
        })
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` instead of the
    /// process environment (for tests, or configuration from elsewhere).
    pub fn from_env_with(self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        self.apply_env(|name| match lookup(name) {
            Some(value) => EnvValue::Set(value),
            None => EnvValue::Unset,
        })
    }

    fn apply_env(mut self, lookup: impl Fn(&str) -> EnvValue) -> Self {
        if let Some(variable) = self.config.token_env {
            match lookup(variable) {
                EnvValue::Set(value) if !value.trim().is_empty() => {
                    self.token = Some(Token::new(value.trim()));
                    self.missing_token = None;
                }
                EnvValue::NotUnicode => {
                    self.env_error.get_or_insert(InvalidInputKind::Environment {
                        variable,
                        reason: "its value is not valid Unicode",
                    });
                }
                other => {
                    if self.token.is_none() {
                        self.missing_token = Some(InvalidInputKind::MissingToken {
                            variable: Some(variable),
                            set_but_empty: matches!(other, EnvValue::Set(_)),
                        });
                    }
                }
            }
        }
        if let Some(variable) = self.config.auth_scheme_env {
            match lookup(variable) {
                EnvValue::Set(value) if !value.trim().is_empty() => {
                    match value.trim().to_ascii_lowercase().as_str() {
                        "bearer" => self.auth = AuthScheme::Bearer,
                        "basic" => self.auth = AuthScheme::Basic,
                        "header" => self.auth = self.config.auth,
                        _ => {
                            self.env_error.get_or_insert(InvalidInputKind::Environment {
                                variable,
                                reason: "its value must be `header`, `bearer` or `basic`",
                            });
                        }
                    }
                }
                EnvValue::NotUnicode => {
                    self.env_error.get_or_insert(InvalidInputKind::Environment {
                        variable,
                        reason: "its value is not valid Unicode",
                    });
                }
                _ => {}
            }
        }
        if let Some(variable) = self.config.base_url_env {
            match lookup(variable) {
                EnvValue::Set(value) if !value.trim().is_empty() => {
                    self.base_url = Some(value.trim().to_owned());
                    self.base_url_from_env = Some(variable);
                }
                EnvValue::NotUnicode => {
                    self.env_error.get_or_insert(InvalidInputKind::Environment {
                        variable,
                        reason: "its value is not valid Unicode",
                    });
                }
                _ => {}
            }
        }
        self
    }

    /// Builds the client: checks the base URL, token and headers, and sets up the
    /// connection pool (TLS with rustls and the platform's certificate verifier).
    pub fn build(self) -> Result<C, InvalidInput> {
        self.build_client().map(C::from).map_err(InvalidInput::new)
    }

    fn build_client(self) -> Result<Client, InvalidInputKind> {
        if let Some(e) = self.env_error {
            return Err(e);
        }
        let base = BaseUrl::parse(
            self.base_url
                .as_deref()
                .unwrap_or(self.config.default_base_url),
            self.allow_insecure_http,
        )
        .map_err(|kind| match (kind, self.base_url_from_env) {
            (InvalidInputKind::BaseUrl { value, reason }, Some(variable)) => {
                InvalidInputKind::BaseUrl {
                    value,
                    reason: format!("{reason} (read from the environment variable {variable})"),
                }
            }
            (kind, _) => kind,
        })?;
        let mut headers = HeaderMap::new();
        let user_agent = HeaderValue::from_str(self.config.user_agent).map_err(|_| {
            InvalidInputKind::Config {
                reason: format!(
                    "the user agent {:?} is not a valid header value",
                    self.config.user_agent
                ),
            }
        })?;
        headers.insert(http::header::USER_AGENT, user_agent);
        let mut header_names = Vec::new();
        for (name, value) in &self.default_headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidInputKind::Header {
                    name: name.clone(),
                    reason: "not a valid header name".to_owned(),
                })?;
            let mut header_value =
                HeaderValue::from_str(value).map_err(|_| InvalidInputKind::Header {
                    name: name.clone(),
                    reason: "the value contains characters that cannot appear in a header"
                        .to_owned(),
                })?;
            header_value.set_sensitive(true);
            // One value per name: a later default header replaces an earlier one.
            headers.insert(header_name.clone(), header_value);
            header_names.push(header_name);
        }
        match (&self.token, self.auth) {
            (_, AuthScheme::None) => {}
            (Some(token), scheme) => {
                if let Some((name, value)) = auth_header(scheme, token)? {
                    headers.insert(name, value);
                }
            }
            (None, _) => {
                return Err(self
                    .missing_token
                    .unwrap_or(InvalidInputKind::MissingToken {
                        variable: None,
                        set_but_empty: false,
                    }));
            }
        }

        let tls = tls_config()?;
        let mut http = reqwest::Client::builder();
        if let Some(configure) = self.configure_http {
            http = configure(http);
        }
        // What the guarantees rest on is set last, over anything `configure` set.
        let mut http = http
            .tls_backend_preconfigured(tls)
            .default_headers(headers)
            .redirect(same_origin_redirects());
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        let http = http.build().map_err(|e| InvalidInputKind::Config {
            reason: format!("the HTTP client could not be created: {e}"),
        })?;

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base,
                config: self.config,
                auth: self.auth,
                token: self.token,
                retry: self.retry,
                connect_timeout: self.connect_timeout,
                attempt_timeout: self.timeout,
                deadline: self.deadline,
                max_body_size: self.max_body_size,
                strict: self.strict,
                hook: self.hook,
                header_names,
            }),
            max_retries: self.max_retries,
        })
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &redacted_url(
                    self.base_url
                        .as_deref()
                        .unwrap_or(self.config.default_base_url),
                ),
            )
            .field("auth", &self.auth)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("default_headers", &header_names)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_policy", &self.retry)
            .field("max_body_size", &self.max_body_size)
            .field("strict", &self.strict)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("configure_http", &self.configure_http.is_some())
            .field("on_request", &self.hook.is_some())
            .finish()
    }
}

/// The TLS configuration: rustls with the `ring` provider and the platform verifier
/// (the OS trust store), HTTP/1.1 ALPN. Built once per process and shared, so trust roots are
/// loaded once.
fn tls_config() -> Result<rustls::ClientConfig, InvalidInputKind> {
    static TLS: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    let result = TLS.get_or_init(|| {
        use rustls_platform_verifier::BuilderVerifierExt as _;
        // rustls 0.23.48 deprecates the ring provider for lacking post-quantum key exchange;
        // aws-lc-rs has it but needs a C toolchain to build, which this crate avoids. The
        // provider is what it was, so the warning (seen by users whose lock file resolves
        // 0.23.48 or later) is silenced here rather than passed on.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_platform_verifier()
            .map_err(|e| e.to_string())?
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    });
    result.clone().map_err(|reason| InvalidInputKind::Config {
        reason: format!("TLS could not be set up: {reason}"),
    })
}

fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A client for one API: a connection pool plus settings. Cloning is cheap (one `Arc`), and
/// clones share the pool.
///
/// Generated operation methods call [`Client::request`]; users mostly meet `Client` through
/// [`ClientBuilder`] and [`Client::with_max_retries`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
    pub(crate) max_retries: u32,
}

impl Client {
    /// A [`ClientBuilder`] producing a plain [`Client`].
    pub fn builder(config: &'static ApiConfig) -> ClientBuilder<Client> {
        ClientBuilder::new(config)
    }

    /// Starts a request. `path_template` is the operation's path as written in the API
    /// description (`/project/{project-slug}/pipeline`): it names the request in errors and
    /// tracing, and is the path sent, its `{name}`s filled with
    /// [`RequestBuilder::path_param`] and [`RequestBuilder::path_slug`] (unless the path is
    /// given piece by piece with [`RequestBuilder::path`]).
    pub fn request(&self, method: Method, path_template: &'static str) -> RequestBuilder {
        RequestBuilder::new(
            Arc::clone(&self.inner),
            self.max_retries,
            method,
            path_template,
        )
    }

    /// A clone of this client (same pool) whose calls retry at most `max_retries` times.
    pub fn with_max_retries(&self, max_retries: u32) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            max_retries,
        }
    }

    /// The most retries of a call (unless the call overrides it).
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base.text
    }

    /// The API description this client was built from.
    pub fn config(&self) -> &'static ApiConfig {
        self.inner.config
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .inner
            .header_names
            .iter()
            .map(HeaderName::as_str)
            .collect();
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.text)
            .field("auth", &self.inner.auth)
            .field("default_headers", &names)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("timeout", &self.inner.attempt_timeout)
            .field("deadline", &self.inner.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_policy", &self.inner.retry)
            .field("max_body_size", &self.inner.max_body_size)
            .field("strict", &self.inner.strict)
            .field("on_request", &self.inner.hook.is_some())
            .finish_non_exhaustive()
    }
}
