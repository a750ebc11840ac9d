//! [`RequestBuilder`]: what generated operation methods fill in before sending.
//!
//! The builder never fails halfway: the first bad argument (a `..` path segment, a value
//! that cannot be serialized, a header value with a newline) is kept, later calls are
//! ignored, and awaiting the call returns it as [`Error::InvalidInput`](crate::Error::InvalidInput)
//! before anything is sent.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::call::{Call, PagedCall};
use crate::decode::{DecodeFn, ErrorFn};
use crate::error::InvalidInputKind;
use crate::inner::ClientInner;
use crate::paginate::Page;
use crate::prepared::{Outgoing, Prepared};
use crate::query::QueryStyle;

/// A request being assembled: path, query, headers and body. Made by
/// [`Client::request`](crate::Client::request); finished by [`send`](Self::send) or [`send_paged`](Self::send_paged).
///
/// ```no_run
/// # use apigen_runtime::{Client, Method, QueryStyle, decode};
/// # async fn example(client: &Client) -> Result<(), apigen_runtime::Error> {
/// let pipelines: serde_json::Value = client
///     .request(Method::GET, "/project/{project-slug}/pipeline")
///     .path_slug("project-slug", "gh/acme/widgets", &[3])
///     .query("branch", &Some("main"))
///     .send(decode::json::<serde_json::Value>, decode::json_error::<serde_json::Value>)
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RequestBuilder {
    out: Outgoing,
    /// Whether the path is given piece by piece ([`path`](Self::path)); otherwise it is the
    /// template with its parameters filled in when the request is finished.
    explicit: bool,
    /// The encoded values of the path parameters given, by name.
    fills: Vec<(&'static str, String)>,
}

impl RequestBuilder {
    pub(crate) fn new(
        inner: Arc<ClientInner>,
        max_retries: u32,
        method: Method,
        template: &'static str,
    ) -> Self {
        RequestBuilder {
            out: Outgoing {
                inner,
                max_retries,
                prepared: Prepared {
                    method,
                    template,
                    path: String::new(),
                    query: String::new(),
                    page_token: None,
                    headers: HeaderMap::new(),
                    body: None,
                },
                set: Vec::new(),
                invalid: None,
            },
            explicit: false,
            fills: Vec::new(),
        }
    }

    fn fail(mut self, kind: InvalidInputKind) -> Self {
        self.out.fail(kind);
        self
    }

    /// Sends the client's token under `scheme` for this request instead of the client's own
    /// scheme: an operation whose document accepts only another of the API's security
    /// schemes (Discord's OAuth2-only operations take `Authorization: Bearer <token>`, its
    /// others the `Authorization` header as it is). The token still goes only to the client's
    /// base URL. Without a token, or when `scheme` is the client's or
    /// [`AuthScheme::None`](crate::AuthScheme::None), nothing changes; a token `scheme` cannot
    /// carry makes the call fail with [`Error::InvalidInput`](crate::Error::InvalidInput).
    pub fn auth(self, scheme: crate::AuthScheme) -> Self {
        if scheme == self.out.inner.auth {
            return self;
        }
        let Some(token) = &self.out.inner.token else {
            return self;
        };
        match crate::auth::auth_header(scheme, token) {
            Ok(Some((name, value))) => {
                let mut this = self;
                this.out.prepared.headers.insert(name, value);
                this
            }
            Ok(None) => self,
            Err(kind) => self.fail(kind),
        }
    }

    /// Appends a literal piece of the path (`/project/`), sent as it is. Once a piece is given,
    /// the path is made of the pieces and parameters in the order given, not from the template.
    pub fn path(mut self, piece: &'static str) -> Self {
        self.explicit = true;
        self.out.prepared.path.push_str(piece);
        self
    }

    /// Appends a path parameter (any `Display` value) as exactly one segment: everything outside the RFC 3986
    /// unreserved characters is percent-encoded (including `/ ? # %` and space); an empty
    /// value, `.` or `..` is refused (the call then fails with
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming `name`).
    pub fn path_param<V: std::fmt::Display + ?Sized>(self, name: &'static str, value: &V) -> Self {
        self.path_segment(name, &value.to_string())
    }

    fn path_segment(mut self, name: &'static str, value: &str) -> Self {
        let start = self.out.prepared.path.len();
        match crate::path::push_segment(&mut self.out.prepared.path, value) {
            Ok(()) => {
                let encoded = self.out.prepared.path[start..].to_owned();
                self.fills.push((name, encoded));
                self
            }
            Err(reason) => self.fail(InvalidInputKind::PathParameter {
                name,
                value: value.to_owned(),
                reason,
            }),
        }
    }

    /// Appends a slug path parameter (`gh/org/repo`): its `/` separators are kept, each
    /// segment is encoded as by [`path_param`](Self::path_param), and an empty, `.` or `..`
    /// segment is refused. When `segments` is not empty, the slug must have one of those
    /// numbers of segments (a project slug 3: `gh/org/repo`), so that a value with more
    /// cannot reach another endpoint (`gh/org/repo/envvar/NAME`).
    pub fn path_slug(
        mut self,
        name: &'static str,
        value: &str,
        segments: &'static [usize],
    ) -> Self {
        let start = self.out.prepared.path.len();
        match crate::path::push_slug(&mut self.out.prepared.path, value, segments) {
            Ok(()) => {
                let encoded = self.out.prepared.path[start..].to_owned();
                self.fills.push((name, encoded));
                self
            }
            Err(reason) => self.fail(InvalidInputKind::PathParameter {
                name,
                value: value.to_owned(),
                reason,
            }),
        }
    }

    /// Adds a query parameter, serialized with serde and laid out as OpenAPI's default
    /// (`form`, exploded: `?id=1&id=2`). `None` and null are omitted.
    pub fn query<V: Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.query_styled(name, value, QueryStyle::default())
    }

    /// Adds a query parameter laid out in `style` (see [`crate::query`]); `None` and null are
    /// omitted.
    pub fn query_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: QueryStyle,
    ) -> Self {
        // Generic methods are instantiated in the generated crate for every value type: only
        // the serialization is generic, the rest is out of line.
        self.out.query(name, serde_json::to_value(value), style);
        self
    }

    /// Adds a header, serialized with serde in OpenAPI's `simple` style (arrays `a,b`).
    /// `None` and null are omitted.
    pub fn header<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.out.header(name, serde_json::to_value(value));
        self
    }

    /// Adds cookie `name` with `value` (serialized as for [`header`](Self::header)) to the
    /// request's `Cookie` header, after the cookies added before it (`a=1; b=2`); nothing
    /// for a value that serializes to `null`. A name that is not a token, or a value with a
    /// character a cookie cannot carry (whitespace, `"`, `,`, `;`, `\`, a control or
    /// non-ASCII character), makes the call fail with [`Error::InvalidInput`](crate::Error::InvalidInput).
    pub fn cookie<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.out.cookie(name, serde_json::to_value(value));
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    ///
    /// The body is serialized to a [`serde_json::Value`] first (members in field order), then
    /// written out: queries, headers and bodies then all instantiate a type's `Serialize`
    /// with the same serializer, so a generated crate compiles each type's serialization
    /// once.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.out.json(serde_json::to_value(body));
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body: the value must serialize to an
    /// object, whose members become `name=value` pairs (arrays repeat the name, nested
    /// objects become `name[key]=value`, nulls are left out; strings are sent unquoted,
    /// escaped as HTML forms do, a space as `+`). A value
    /// that cannot be serialized, or is not an object, makes the call fail with
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) (a body error) before anything is
    /// sent.
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.out.form(serde_json::to_value(body));
        self
    }

    /// Sets a body of any content type, sent as it is.
    pub fn body(mut self, content_type: &str, body: Bytes) -> Self {
        self.out.body(content_type, body);
        self
    }

    /// Finishes the request: awaiting the returned [`Call`] sends it (with retries), decodes
    /// a 2xx response with `ok` and turns anything else into an
    /// [`Error::Api`](crate::Error::Api) whose typed body is decoded by `err`.
    pub fn send<T, E>(self, ok: DecodeFn<T>, err: ErrorFn<E>) -> Call<T, E> {
        Call::new(self.finish_path().out, ok, err)
    }

    /// Finishes a paginated request: the returned [`PagedCall`] fetches the first page when
    /// awaited, or every page with [`PagedCall::pages`] / every item with
    /// [`PagedCall::items`], passing the previous page's next-page token in the query
    /// parameter `page_token_param` (replacing any value set with [`query`](Self::query),
    /// which is used for the first page).
    pub fn send_paged<T: Page, E>(
        mut self,
        page_token_param: &'static str,
        ok: DecodeFn<T>,
        err: ErrorFn<E>,
    ) -> PagedCall<T, E> {
        self.out.prepared.start_paging(page_token_param);
        PagedCall::new(Call::new(self.finish_path().out, ok, err))
    }

    /// Unless the path was given piece by piece, makes it from the template: literal text
    /// encoded where a path cannot carry it as is, each `{name}` replaced by the value given
    /// for it. A parameter without a value makes the call fail with
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), naming it.
    fn finish_path(mut self) -> Self {
        if self.explicit {
            return self;
        }
        let template = self.out.prepared.template;
        if let Some((name, _)) = self
            .fills
            .iter()
            .find(|(name, _)| !crate::path::has_placeholder(template, name))
        {
            let name = *name;
            return self.fail(InvalidInputKind::PathParameter {
                name,
                value: String::new(),
                reason: format!("the path template {template} has no such parameter"),
            });
        }
        match crate::path::fill_template(template, &self.fills) {
            Ok(path) => {
                self.out.prepared.path = path;
                self
            }
            Err(name) => self.fail(InvalidInputKind::PathParameter {
                name,
                value: String::new(),
                reason: "no value was given for it".to_owned(),
            }),
        }
    }
}

impl std::fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.out.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use crate::{ApiConfig, AuthScheme, Client, Error, Method};

    static CONFIG: ApiConfig = ApiConfig {
        default_base_url: "http://127.0.0.1:9",
        auth: AuthScheme::None,
        token_env: None,
        base_url_env: None,
        auth_scheme_env: None,
        user_agent: "test/1",
        request_id_headers: &[],
    };

    fn builder() -> super::RequestBuilder {
        let client = Client::builder(&CONFIG).build().expect("client");
        client.request(Method::GET, "/x")
    }

    #[test]
    fn cookies_join_one_header_in_order() {
        let request = builder()
            .cookie("session", "s1")
            .cookie("count", &2)
            .cookie("absent", &None::<String>);
        let headers = &request.out.prepared.headers;
        assert_eq!(headers.get_all("cookie").iter().count(), 1);
        assert_eq!(headers["cookie"], "session=s1; count=2");
    }

    #[test]
    fn the_template_is_filled_unless_the_path_is_given_in_pieces() {
        let client = Client::builder(&CONFIG).build().expect("client");
        let filled = client
            .request(Method::GET, "/project/{slug}/job/{n}")
            .path_param("n", &42)
            .path_slug("slug", "gh/acme/widgets", &[3])
            .send(crate::decode::empty, crate::decode::no_error_body);
        assert!(
            format!("{filled:?}").contains(r#"path: "/project/gh/acme/widgets/job/42""#),
            "{filled:?}"
        );
        let pieces = client
            .request(Method::GET, "/project/{slug}")
            .path("/p/")
            .path_param("slug", "x")
            .send(crate::decode::empty, crate::decode::no_error_body);
        assert!(
            format!("{pieces:?}").contains(r#"path: "/p/x""#),
            "{pieces:?}"
        );
    }

    #[tokio::test]
    async fn a_value_for_no_parameter_of_the_template_is_refused() {
        let client = Client::builder(&CONFIG).build().expect("client");
        let call = client
            .request(Method::GET, "/project/{slug}")
            .path_param("slug", "x")
            .path_param("slgu", "y")
            .send(crate::decode::empty, crate::decode::no_error_body);
        match call.await {
            Err(Error::InvalidInput(e)) => assert!(e.to_string().contains("slgu"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_template_parameter_without_a_value_is_refused() {
        let client = Client::builder(&CONFIG).build().expect("client");
        let call = client
            .request(Method::GET, "/project/{slug}/job/{n}")
            .path_param("n", &1)
            .send(crate::decode::empty, crate::decode::no_error_body);
        match call.await {
            Err(Error::InvalidInput(e)) => assert!(e.to_string().contains("slug"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_cookie_value_that_would_split_the_header_is_refused() {
        for value in ["a;b=c", "a b", "quote\"", "é"] {
            let call = builder()
                .cookie("session", value)
                .send(crate::decode::empty, crate::decode::no_error_body);
            match call.await {
                Err(Error::InvalidInput(e)) => {
                    assert!(e.to_string().contains("Cookie (session)"), "{e}")
                }
                other => panic!("{value:?}: {other:?}"),
            }
        }
    }
}
