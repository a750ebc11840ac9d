//! Auth header, token never in a URL or in Debug output, base URL handling, env reading,
//! user agent, default headers, redirects.

use apigen_runtime::{AuthScheme, Client, ClientBuilder, Error, InvalidInputKind, Method, decode};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{CONFIG, RawServer, TOKEN, builder, client};

async fn get_me(client: &Client) -> Result<Value, Error> {
    client
        .request(Method::GET, "/me")
        .path("/me")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
}

#[tokio::test]
async fn token_goes_in_the_circle_token_header_and_in_no_url() {
    let server = RawServer::start().await;
    let client = client(&server.uri());
    get_me(&client).await.expect("call succeeds");
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .query_styled("branch", "main", Default::default())
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect("call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("circle-token"), Some(TOKEN));
        assert_eq!(request.header("authorization"), None);
        assert!(
            !request.target.contains(TOKEN),
            "token in {}",
            request.target
        );
        assert!(!request.target.to_ascii_lowercase().contains("circle-token"));
        assert_eq!(request.header("user-agent"), Some(CONFIG.user_agent));
    }
    assert_eq!(
        requests[1].target,
        "/project/gh/acme/widgets/pipeline?branch=main"
    );
}

#[tokio::test]
async fn basic_and_bearer_schemes() {
    let server = RawServer::start().await;
    let basic = builder(&server.uri())
        .auth(AuthScheme::Basic)
        .build()
        .expect("builds");
    get_me(&basic).await.expect("call succeeds");
    let bearer = builder(&server.uri())
        .auth(AuthScheme::Bearer)
        .build()
        .expect("builds");
    get_me(&bearer).await.expect("call succeeds");
    let requests = server.requests();
    // base64("tok-3f9a1c2b7d:") — token as user name, empty password
    assert_eq!(
        requests[0].header("authorization"),
        Some("Basic dG9rLTNmOWExYzJiN2Q6")
    );
    assert_eq!(requests[0].header("circle-token"), None);
    assert_eq!(
        requests[1].header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    for request in &requests {
        assert!(!request.target.contains(TOKEN));
    }
}

#[tokio::test]
async fn no_auth_scheme_sends_no_credentials_and_needs_no_token() {
    let server = RawServer::start().await;
    let client = Client::builder(&CONFIG)
        .auth(AuthScheme::None)
        .base_url(server.uri())
        .build()
        .expect("builds without a token");
    get_me(&client).await.expect("call succeeds");
    let request = &server.requests()[0];
    assert_eq!(request.header("circle-token"), None);
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn debug_of_client_builder_token_and_errors_never_contains_the_token() {
    let builder = builder("http://127.0.0.1:9").default_header("x-extra", "extra-secret-value");
    let builder_debug = format!("{builder:?} {builder:#?}");
    assert!(!builder_debug.contains(TOKEN), "{builder_debug}");
    assert!(
        !builder_debug.contains("extra-secret-value"),
        "{builder_debug}"
    );
    assert!(builder_debug.contains("x-extra"), "{builder_debug}");

    let client = builder.build().expect("builds");
    let client_debug = format!("{client:?} {client:#?} {:?}", client.with_max_retries(0));
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    assert!(
        !client_debug.contains("extra-secret-value"),
        "{client_debug}"
    );
    assert!(client_debug.contains("127.0.0.1:9"), "{client_debug}");

    let token = apigen_runtime::Token::from(TOKEN);
    assert!(!format!("{token:?} {token}").contains(TOKEN));

    // An API error carries response headers, never the request's.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Invalid token provided."})),
        )
        .mount(&server)
        .await;
    let err = get_me(&crate::common::client(&server.uri()))
        .await
        .expect_err("401");
    let text = format!("{err} {err:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert_eq!(
        err.to_string(),
        "GET /me: 401 Unauthorized: Invalid token provided."
    );
}

#[tokio::test]
async fn base_url_override_with_and_without_trailing_slash_keeps_the_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/me"))
        .and(header("circle-token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "me"})))
        .expect(4)
        .mount(&server)
        .await;
    for base in [
        format!("{}/api/v2", server.uri()),
        format!("{}/api/v2/", server.uri()),
        format!("{}/api/v2//", server.uri()),
        format!("  {}/api/v2  ", server.uri()),
    ] {
        let client = client(&base);
        assert_eq!(client.base_url(), format!("{}/api/v2", server.uri()));
        let me = get_me(&client).await.expect("call succeeds");
        assert_eq!(me, json!({"name": "me"}), "base {base}");
    }

    // Without a prefix, with and without a trailing slash.
    let raw = RawServer::start().await;
    for base in [raw.uri(), format!("{}/", raw.uri())] {
        get_me(&client(&base)).await.expect("call succeeds");
    }
    let targets: Vec<String> = raw.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/me", "/me"]);
}

#[tokio::test]
async fn default_base_url_comes_from_the_config() {
    let client = Client::builder(&CONFIG)
        .token(TOKEN)
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "https://circleci.com/api/v2");
}

#[tokio::test]
async fn bad_base_urls_are_clear_errors() {
    for (base, needle) in [
        ("ftp://example.com/api", "scheme must be http or https"),
        ("https://user:pw@example.com/api", "credentials in the URL"),
        (
            "https://example.com/api?circle-token=x",
            "must not have a query",
        ),
        ("example.com/api", "relative URL without a base"),
    ] {
        let err = builder(base).build().expect_err(base);
        let text = err.to_string();
        assert!(text.starts_with("invalid base URL"), "{text}");
        assert!(text.contains(needle), "{text}");
    }
    // What may be secret in a rejected URL is not repeated, in the error or in `Debug`.
    for base in [
        "https://user:SECRET@example.com/api",
        "https://example.com/api?circle-token=SECRET",
        "example.com/api?token=SECRET",
    ] {
        let builder = builder(base);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        let text = builder.build().expect_err(base).to_string();
        assert!(text.starts_with("invalid base URL"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
}

#[tokio::test]
async fn from_env_reads_token_and_base_url_through_a_lookup() {
    let server = RawServer::start().await;
    let uri = server.uri();
    let env = |name: &str| match name {
        "TEST_CIRCLECI_TOKEN" => Some(format!("  {TOKEN}\n")),
        "TEST_CIRCLECI_BASE_URL" => Some(uri.clone()),
        _ => None,
    };
    let client: Client = ClientBuilder::new(&CONFIG)
        .from_env_with(env)
        .build()
        .expect("builds");
    get_me(&client).await.expect("call succeeds");
    assert_eq!(server.requests()[0].header("circle-token"), Some(TOKEN));

    // A bad base URL from the environment names the variable.
    let err = ClientBuilder::<Client>::new(&CONFIG)
        .from_env_with(|name| match name {
            "TEST_CIRCLECI_BASE_URL" => Some("circleci.example.com/api/v2".to_owned()),
            "TEST_CIRCLECI_TOKEN" => Some(TOKEN.to_owned()),
            _ => None,
        })
        .build()
        .expect_err("bad base URL");
    assert_eq!(
        err.to_string(),
        "invalid base URL \"circleci.example.com/api/v2\": relative URL without a base (read from the environment variable TEST_CIRCLECI_BASE_URL)"
    );

    // Base URL variable unset: the default stays.
    let client: Client = ClientBuilder::new(&CONFIG)
        .from_env_with(|name| (name == "TEST_CIRCLECI_TOKEN").then(|| TOKEN.to_owned()))
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "https://circleci.com/api/v2");
}

#[tokio::test]
async fn missing_token_names_the_variable() {
    let err = ClientBuilder::<Client>::new(&CONFIG)
        .from_env_with(|_| None)
        .build()
        .expect_err("no token");
    assert_eq!(
        err.to_string(),
        "missing API token: the environment variable TEST_CIRCLECI_TOKEN is not set"
    );
    assert!(matches!(
        err.kind(),
        InvalidInputKind::MissingToken {
            variable: Some("TEST_CIRCLECI_TOKEN"),
            set_but_empty: false
        }
    ));
    // `?` makes it the `Error` of a call, whatever that error's body type.
    let as_call_error: Error<String> = err.into();
    assert!(matches!(as_call_error, Error::InvalidInput(_)));

    let err = ClientBuilder::<Client>::new(&CONFIG)
        .from_env_with(|_| Some("   ".to_owned()))
        .build()
        .expect_err("empty token");
    assert_eq!(
        err.to_string(),
        "missing API token: the environment variable TEST_CIRCLECI_TOKEN is set but empty"
    );

    // An explicit token, before or after, satisfies it.
    assert!(
        ClientBuilder::<Client>::new(&CONFIG)
            .token(TOKEN)
            .from_env_with(|_| None)
            .build()
            .is_ok()
    );
    assert!(
        ClientBuilder::<Client>::new(&CONFIG)
            .from_env_with(|_| None)
            .token(TOKEN)
            .build()
            .is_ok()
    );

    let err = ClientBuilder::<Client>::new(&CONFIG)
        .build()
        .expect_err("no token");
    assert!(err.to_string().starts_with("missing API token"), "{err}");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_without_echoing_it() {
    let err = builder("http://127.0.0.1:9")
        .token("abc\r\nx-injected: 1")
        .build()
        .expect_err("refused");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("x-injected"), "{text}");
    assert!(text.contains("the API token cannot be sent"), "{text}");
}

#[tokio::test]
async fn default_headers_are_sent_with_every_request() {
    let server = RawServer::start().await;
    let client = builder(&server.uri())
        .default_header("x-team", "platform")
        .build()
        .expect("builds");
    get_me(&client).await.expect("call succeeds");
    assert_eq!(server.requests()[0].header("x-team"), Some("platform"));

    // One value per name: the later one wins; a User-Agent given here replaces the API's.
    let server = RawServer::start().await;
    let client = builder(&server.uri())
        .default_header("x-team", "platform")
        .default_header("x-team", "payments")
        .default_header("User-Agent", "my-tool/2.0")
        .build()
        .expect("builds");
    get_me(&client).await.expect("call succeeds");
    let request = &server.requests()[0];
    let values = |name: &str| -> Vec<&str> {
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(values("x-team"), ["payments"]);
    assert_eq!(values("user-agent"), ["my-tool/2.0"]);

    let err = builder(&server.uri())
        .default_header("bad header", "x")
        .build()
        .expect_err("bad name");
    assert_eq!(
        err.to_string(),
        "invalid header `bad header`: not a valid header name"
    );
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_same_origin() {
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .named("other origin")
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/away"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/steal", other.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/new"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/new"))
        .and(header("circle-token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(1)))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server.uri());
    let err = client
        .request(Method::GET, "/away")
        .path("/away")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("not followed");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));

    let moved = client
        .request(Method::GET, "/old")
        .path("/old")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect("followed");
    assert_eq!(moved, json!(1));
}

#[tokio::test]
async fn a_redirect_loop_fails_once_without_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .request(Method::GET, "/loop")
        .path("/loop")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("a loop");
    assert!(
        matches!(err, apigen_runtime::Error::Transport(_)),
        "{err:?}"
    );
    // The first request and the ten redirects followed, once: a loop is not retried.
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 11, "{err}");
}
