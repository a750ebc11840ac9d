//! A request as built so far, independent of how it is sent: the method, path, query,
//! headers and body ([`Prepared`]), and, with the client it goes through and the first bad
//! argument found, what a call sends ([`Outgoing`]).

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::error::{Endpoint, InvalidInput, InvalidInputKind};
use crate::inner::ClientInner;
use crate::query::QueryStyle;

/// A value serialized for a request, or why it could not be.
pub(crate) type Serialized = Result<serde_json::Value, serde_json::Error>;

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

/// What a call sends: the request, the client it goes through, the parameters set on the
/// call (see [`Outgoing::set`]), and the first bad argument found while building it (then
/// nothing is sent).
#[derive(Clone)]
pub(crate) struct Outgoing {
    pub(crate) inner: Arc<ClientInner>,
    pub(crate) max_retries: u32,
    pub(crate) prepared: Prepared,
    pub(crate) set: Vec<SetParam>,
    pub(crate) invalid: Option<Box<InvalidInput>>,
}

/// Where a parameter set on a call goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Query(QueryStyle),
    Header,
    Cookie,
}

impl Place {
    fn same_slot(self, other: Place) -> bool {
        matches!(
            (self, other),
            (Place::Query(_), Place::Query(_))
                | (Place::Header, Place::Header)
                | (Place::Cookie, Place::Cookie)
        )
    }
}

/// A parameter set on a call, added to the request when the call starts: setting the same
/// one again replaces it (a null value: not sent).
#[derive(Clone, Debug)]
pub(crate) struct SetParam {
    place: Place,
    name: String,
    value: serde_json::Value,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.prepared.method)
            .field("path_template", &self.prepared.template)
            .field("path", &self.prepared.path)
            .field("query", &self.prepared.query)
            .field("headers", &self.prepared.headers.keys().collect::<Vec<_>>())
            .field(
                "set",
                &self.set.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            )
            .field("body_len", &self.prepared.body.as_ref().map(Bytes::len))
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}

/// Adding values to a request: what [`RequestBuilder`](crate::RequestBuilder) and the setters
/// of a [`Call`](crate::Call) share. The first bad value is kept (and later ones ignored);
/// nothing is sent then.
impl Outgoing {
    pub(crate) fn fail(&mut self, kind: InvalidInputKind) {
        if self.invalid.is_none() {
            self.invalid = Some(Box::new(InvalidInput::for_endpoint(
                self.prepared.endpoint(),
                kind,
            )));
        }
    }

    /// Appends query parameter `name` (laid out in `style`).
    pub(crate) fn query(&mut self, name: &str, value: Serialized, style: QueryStyle) {
        let bad = |reason: String| InvalidInputKind::QueryParameter {
            name: name.to_owned(),
            reason,
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => return self.fail(bad(format!("cannot be serialized: {e}"))),
        };
        if let Err(reason) = crate::query::append(&mut self.prepared.query, name, &value, style) {
            self.fail(bad(reason));
        }
    }

    /// Sets parameter `name` in `place` for this call, replacing what was set for it before
    /// (not what the request was built with). For a paginated request, a value for its
    /// page-token parameter is the first page's token (null: none).
    pub(crate) fn set(&mut self, place: Place, name: &str, value: Serialized) {
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                let reason = format!("cannot be serialized: {e}");
                return self.fail(match place {
                    Place::Query(_) => InvalidInputKind::QueryParameter {
                        name: name.to_owned(),
                        reason,
                    },
                    Place::Header => InvalidInputKind::Header {
                        name: name.to_owned(),
                        reason,
                    },
                    Place::Cookie => InvalidInputKind::Header {
                        name: format!("Cookie ({name})"),
                        reason,
                    },
                });
            }
        };
        let page_param = self.prepared.page_token.as_ref().map(|(param, _)| *param);
        if let (Place::Query(style), Some(param)) = (place, page_param)
            && param == name
        {
            let mut encoded = String::new();
            match crate::query::append(&mut encoded, name, &value, style) {
                Ok(()) => {
                    let first = crate::query::take_param(&mut encoded, param);
                    self.prepared.page_token = Some((param, first));
                }
                Err(reason) => self.fail(InvalidInputKind::QueryParameter {
                    name: name.to_owned(),
                    reason,
                }),
            }
            return;
        }
        let param = SetParam {
            place,
            name: name.to_owned(),
            value,
        };
        match self
            .set
            .iter_mut()
            .find(|p| p.place.same_slot(place) && p.name == name)
        {
            Some(earlier) => *earlier = param,
            None => self.set.push(param),
        }
    }

    /// Adds the parameters set on the call to the request, in the order first set; done once,
    /// as the call starts.
    pub(crate) fn apply_set(&mut self) {
        for param in std::mem::take(&mut self.set) {
            let SetParam { place, name, value } = param;
            match place {
                Place::Query(style) => self.query(&name, Ok(value), style),
                Place::Header => self.header(&name, Ok(value)),
                Place::Cookie => self.cookie(&name, Ok(value)),
            }
        }
    }

    pub(crate) fn header(&mut self, name: &str, value: Serialized) {
        let bad = |reason: String| InvalidInputKind::Header {
            name: name.to_owned(),
            reason,
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => return self.fail(bad(format!("cannot be serialized: {e}"))),
        };
        let text = match crate::query::header_text(&value) {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(reason) => return self.fail(bad(reason)),
        };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(bad("not a valid header name".to_owned()));
        };
        let Ok(header_value) = HeaderValue::from_str(&text) else {
            return self.fail(bad(
                "the value contains characters that cannot appear in a header".to_owned(),
            ));
        };
        self.prepared.headers.append(header_name, header_value);
    }

    pub(crate) fn cookie(&mut self, name: &str, value: Serialized) {
        let bad = |reason: String| InvalidInputKind::Header {
            name: format!("Cookie ({name})"),
            reason,
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => return self.fail(bad(format!("cannot be serialized: {e}"))),
        };
        let text = match crate::query::header_text(&value) {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(reason) => return self.fail(bad(reason)),
        };
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            return self.fail(bad("the cookie name is not a token".to_owned()));
        }
        if let Some(c) = text
            .chars()
            .find(|c| !c.is_ascii_graphic() || matches!(c, '"' | ',' | ';' | '\\'))
        {
            return self.fail(bad(format!("a cookie value cannot contain {c:?}")));
        }
        let cookie = match self.prepared.headers.get(http::header::COOKIE) {
            Some(earlier) => format!(
                "{}; {name}={text}",
                String::from_utf8_lossy(earlier.as_bytes())
            ),
            None => format!("{name}={text}"),
        };
        match HeaderValue::from_str(&cookie) {
            Ok(value) => {
                self.prepared.headers.insert(http::header::COOKIE, value);
            }
            Err(e) => self.fail(bad(e.to_string())),
        }
    }

    pub(crate) fn json(&mut self, body: Serialized) {
        match body.and_then(|value| serde_json::to_vec(&value)) {
            Ok(bytes) => self.set_body(
                HeaderValue::from_static("application/json"),
                Bytes::from(bytes),
            ),
            Err(e) => self.fail(InvalidInputKind::Body {
                reason: e.to_string(),
            }),
        }
    }

    pub(crate) fn form(&mut self, body: Serialized) {
        let encoded = body
            .map_err(|e| e.to_string())
            .and_then(|value| crate::form::encode(&value));
        match encoded {
            Ok(text) => self.set_body(
                HeaderValue::from_static("application/x-www-form-urlencoded"),
                Bytes::from(text),
            ),
            Err(reason) => self.fail(InvalidInputKind::Body { reason }),
        }
    }

    pub(crate) fn body(&mut self, content_type: &str, body: Bytes) {
        match HeaderValue::from_str(content_type) {
            Ok(value) => self.set_body(value, body),
            Err(_) => self.fail(InvalidInputKind::Header {
                name: "content-type".to_owned(),
                reason: format!("{content_type:?} is not a valid header value"),
            }),
        }
    }

    fn set_body(&mut self, content_type: HeaderValue, body: Bytes) {
        self.prepared
            .headers
            .insert(http::header::CONTENT_TYPE, content_type);
        self.prepared.body = Some(body);
    }
}
