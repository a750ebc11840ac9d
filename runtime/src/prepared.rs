//! A request as built so far, independent of how it is sent: the method, path, query,
//! headers and body ([`Prepared`]), and, with the client it goes through and the first bad
//! argument found, what a call sends ([`Outgoing`]).

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method};

use crate::error::{Endpoint, InvalidInput};
use crate::inner::ClientInner;

/// A request ready to be sent (any number of times).
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    /// The encoded path, appended to the base URL.
    pub(crate) path: String,
    /// The encoded query, without `?` and without the page token.
    pub(crate) query: String,
    /// For paginated requests: the page-token parameter and its current (encoded) value.
    pub(crate) page_token: Option<(&'static str, Option<String>)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
}

impl Prepared {
    pub(crate) fn endpoint(&self) -> Endpoint {
        Endpoint::new(self.method.clone(), self.template)
    }

    /// The full URL text: base URL + path + query + page token.
    pub(crate) fn url_text(&self, base: &str) -> String {
        let mut url = String::with_capacity(base.len() + self.path.len() + self.query.len() + 2);
        url.push_str(base);
        if !self.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&self.path);
        let token = match &self.page_token {
            Some((name, Some(value))) => Some((name, value)),
            _ => None,
        };
        if !self.query.is_empty() || token.is_some() {
            url.push('?');
            url.push_str(&self.query);
            if let Some((name, value)) = token {
                if !self.query.is_empty() {
                    url.push('&');
                }
                crate::path::percent_encode_into(&mut url, name);
                url.push('=');
                url.push_str(value);
            }
        }
        url
    }

    /// Takes the page-token parameter out of the query: its value (if any) is the first
    /// page's token, and later pages replace it.
    pub(crate) fn start_paging(&mut self, page_token_param: &'static str) {
        let first = crate::query::take_param(&mut self.query, page_token_param);
        self.page_token = Some((page_token_param, first));
    }

    /// The page token the caller set for the first page, decoded.
    pub(crate) fn start_page_token(&self) -> Option<String> {
        match &self.page_token {
            Some((_, Some(encoded))) => crate::path::percent_decode(encoded),
            _ => None,
        }
    }

    /// Sets the page token for the next send (encoded here).
    pub(crate) fn set_page_token(&mut self, token: &str) {
        if let Some((_, value)) = &mut self.page_token {
            let mut encoded = String::with_capacity(token.len());
            crate::path::percent_encode_into(&mut encoded, token);
            *value = Some(encoded);
        }
    }
}

/// What a call sends: the request, the client it goes through, and the first bad argument
/// found while building it (then nothing is sent).
#[derive(Clone)]
pub(crate) struct Outgoing {
    pub(crate) inner: Arc<ClientInner>,
    pub(crate) max_retries: u32,
    pub(crate) prepared: Prepared,
    pub(crate) invalid: Option<Box<InvalidInput>>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.prepared.method)
            .field("path_template", &self.prepared.template)
            .field("path", &self.prepared.path)
            .field("query", &self.prepared.query)
            .field("headers", &self.prepared.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.prepared.body.as_ref().map(Bytes::len))
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}
