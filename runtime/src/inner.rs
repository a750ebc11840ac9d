//! The client's internals, shared by every clone of a [`Client`](crate::Client) and every
//! request made with it: the connection pool, the checked base URL and the settings a call
//! runs under unless it overrides them.

use std::time::Duration;

use http::HeaderName;

use crate::auth::AuthScheme;
use crate::config::ApiConfig;
use crate::error::InvalidInputKind;
use crate::hook::RequestHook;
use crate::retry::RetryPolicy;

/// What a client is, behind its `Arc`.
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base: BaseUrl,
    pub(crate) config: &'static ApiConfig,
    pub(crate) auth: AuthScheme,
    /// The token, for an operation that sends it under another scheme
    /// ([`RequestBuilder::auth`](crate::RequestBuilder::auth)); `Token` redacts itself.
    pub(crate) token: Option<crate::auth::Token>,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_body_size: u64,
    pub(crate) strict: bool,
    pub(crate) hook: Option<RequestHook>,
    /// Names of the default headers (for `Debug`; their values may be secret).
    pub(crate) header_names: Vec<HeaderName>,
}

/// `value` (a URL as given) without what may be secret: the user name and password, the query
/// and the fragment. For error messages and `Debug`.
pub(crate) fn redacted_url(value: &str) -> String {
    let (mut text, cut) = match value.find(['?', '#']) {
        Some(i) => (value[..i].to_owned(), true),
        None => (value.to_owned(), false),
    };
    let authority_start = text.find("://").map_or(0, |i| i + 3);
    let authority_end = text[authority_start..]
        .find('/')
        .map_or(text.len(), |i| authority_start + i);
    if let Some(at) = text[authority_start..authority_end].rfind('@') {
        text.replace_range(authority_start..authority_start + at + 1, "…@");
    }
    if cut {
        text.push_str("?…");
    }
    text
}

/// Whether `url`'s host is this machine: `localhost` (or a name under it), an address in
/// `127.0.0.0/8`, or `::1`.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

/// A checked base URL: `http(s)://host[:port][/prefix]`, without a trailing slash.
#[derive(Debug)]
pub(crate) struct BaseUrl {
    /// The URL text that paths are appended to.
    pub(crate) text: String,
    /// Its path part (`/api/v2`, or empty).
    pub(crate) path: String,
}

impl BaseUrl {
    pub(crate) fn parse(
        value: &str,
        allow_insecure_http: bool,
    ) -> Result<BaseUrl, InvalidInputKind> {
        let bad = |reason: &str| InvalidInputKind::BaseUrl {
            value: redacted_url(value),
            reason: reason.to_owned(),
        };
        let url = url::Url::parse(value.trim()).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
            return Err(bad(
                "plain http to a host that is not loopback would send the token in clear text; \
                 use https, or allow it with ClientBuilder::allow_insecure_http(true)",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "credentials in the URL are not supported; give the token with ClientBuilder::token()",
            ));
        }
        if url.query().is_some() {
            return Err(bad("it must not have a query"));
        }
        if url.fragment().is_some() {
            return Err(bad("it must not have a fragment"));
        }
        let mut text = url.as_str().to_owned();
        while text.ends_with('/') {
            text.pop();
        }
        let path = url.path().trim_end_matches('/').to_owned();
        Ok(BaseUrl { text, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = |s: &str| BaseUrl::parse(s, false).map(|b| (b.text, b.path));
        assert_eq!(
            ok("https://circleci.com/api/v2"),
            Ok(("https://circleci.com/api/v2".into(), "/api/v2".into()))
        );
        assert_eq!(
            ok("https://circleci.com/api/v2/"),
            Ok(("https://circleci.com/api/v2".into(), "/api/v2".into()))
        );
        assert_eq!(
            ok("http://127.0.0.1:8080"),
            Ok(("http://127.0.0.1:8080".into(), String::new()))
        );
        assert_eq!(
            ok("http://127.0.0.1:8080/"),
            Ok(("http://127.0.0.1:8080".into(), String::new()))
        );
        for bad in [
            "ftp://x/api",
            "not a url",
            "https://user:pw@host/api",
            "https://h/api?x=1",
            "https://h/api#f",
            "/api/v2",
            "http://circleci.com/api/v2",
            "http://10.0.0.1:8080",
            "http://localhost.example.com",
        ] {
            assert!(BaseUrl::parse(bad, false).is_err(), "accepted {bad}");
        }
        for loopback in [
            "http://localhost:4010",
            "http://api.localhost",
            "http://127.8.9.10",
            "http://[::1]:8080/api",
        ] {
            assert!(
                BaseUrl::parse(loopback, false).is_ok(),
                "refused {loopback}"
            );
        }
        assert!(BaseUrl::parse("http://circleci.example.com/api/v2", true).is_ok());
    }
}
