//! The request hook: code of the caller's that runs before every attempt of every request
//! (see [`ClientBuilder::on_request`](crate::ClientBuilder::on_request)).

use std::sync::Arc;

use http::{HeaderMap, Method};

/// A hook called with each request before it is sent (once per attempt).
pub type RequestHook = Arc<dyn Fn(&mut RequestHead<'_>) + Send + Sync>;

/// What a [`RequestHook`] sees of a request: its method and URL, and its headers to change.
///
/// The headers are the operation's own (parameters, content type); the client's default
/// headers and the token header are added afterwards unless the hook set a header of the
/// same name, so a hook can replace the token header (for a token it refreshes) but cannot
/// remove it. The URL always points at the client's base URL.
#[derive(Debug)]
pub struct RequestHead<'a> {
    method: &'a Method,
    url: &'a url::Url,
    headers: &'a mut HeaderMap,
}

impl<'a> RequestHead<'a> {
    pub(crate) fn new(method: &'a Method, url: &'a url::Url, headers: &'a mut HeaderMap) -> Self {
        RequestHead {
            method,
            url,
            headers,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The full URL the request goes to.
    pub fn url(&self) -> &url::Url {
        self.url
    }

    /// The request's headers. A value set here should be marked sensitive
    /// ([`HeaderValue::set_sensitive`](http::HeaderValue::set_sensitive)) when it is a
    /// credential.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }
}
