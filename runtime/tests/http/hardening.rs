//! A server that misbehaves: bodies past the limit, endless bodies and listings, cookies in
//! errors, plain http, slugs with extra segments, extreme durations; and the controls a
//! caller has: per-call limits, rate-limit state, HTTP settings and a request hook, bearer
//! tokens from the environment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use apigen_runtime::{
    Client, ClientBuilder, Error, InvalidInputKind, Method, PaginationLimitKind, QueryStyle,
    RetryPolicy, RetryStop, TimeoutKind, decode,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::{CONFIG, ItemsPage, RawServer, TOKEN, builder, client};

/// A server that answers every request with `head` (status line and headers, without the
/// blank line), then writes `chunk` over and over (chunked encoding) until the client goes
/// away or `max_bytes` were written. Returns its URL and the number of bytes written.
async fn endless_server(head: &'static str, max_bytes: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let written = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&written);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                // The request head (these tests send no body).
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = format!("{head}\r\ntransfer-encoding: chunked\r\n\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let piece = vec![b' '; 64 * 1024];
                let chunk = [
                    format!("{:x}\r\n", piece.len()).into_bytes(),
                    piece,
                    b"\r\n".to_vec(),
                ]
                .concat();
                while count.load(Ordering::Relaxed) < max_bytes {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    count.fetch_add(64 * 1024, Ordering::Relaxed);
                }
            });
        }
    });
    (format!("http://{addr}"), written)
}

fn get_value(client: &Client) -> apigen_runtime::Call<Value> {
    client
        .request(Method::GET, "/me")
        .path("/me")
        .send(decode::json::<Value>, decode::json_error::<Value>)
}

#[tokio::test]
async fn a_declared_length_past_the_limit_fails_before_reading() {
    // The server declares 300 MB and then sends nothing: the call must not wait for it.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 300000000\r\n\r\n{")
                    .await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let client = builder(&format!("http://{addr}"))
        .timeout(Duration::from_secs(20))
        .build()
        .expect("builds");
    let err = get_value(&client).await.expect_err("too large");
    let Error::BodyTooLarge(e) = &err else {
        panic!("expected BodyTooLarge, got {err:?}");
    };
    assert_eq!(e.limit(), 32 * 1024 * 1024);
    assert_eq!(e.content_length(), Some(300_000_000));
    assert_eq!(
        err.to_string(),
        "GET /me: 200 OK: the response body is larger than the limit of 33554432 bytes \
         (Content-Length 300000000); raise it with ClientBuilder::max_body_size or Call::max_body_size"
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_and_a_call_can_raise_it() {
    let (uri, written) = endless_server("HTTP/1.1 200 OK", 64 * 1024 * 1024).await;
    let client = builder(&uri)
        .max_body_size(1024 * 1024)
        .build()
        .expect("builds");
    let err = get_value(&client).await.expect_err("too large");
    let Error::BodyTooLarge(e) = &err else {
        panic!("expected BodyTooLarge, got {err:?}");
    };
    assert_eq!((e.limit(), e.content_length()), (1024 * 1024, None));
    assert_eq!(e.endpoint().to_string(), "GET /me");
    // Reading stopped soon after the limit (the server is a few socket buffers ahead).
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        written.load(Ordering::Relaxed) < 16 * 1024 * 1024,
        "{} bytes written",
        written.load(Ordering::Relaxed)
    );

    // A call with a higher limit reads a finite body of 2 MiB of spaces around `{}`.
    let (uri, _) = endless_server("HTTP/1.1 200 OK", 0).await;
    let _ = uri;
    let server = MockServer::start().await;
    let mut body = vec![b' '; 2 * 1024 * 1024];
    body.extend_from_slice(b"{}");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_body_size(1024 * 1024)
        .build()
        .expect("builds");
    assert!(matches!(
        get_value(&client).await,
        Err(Error::BodyTooLarge(_))
    ));
    let value = get_value(&client)
        .max_body_size(4 * 1024 * 1024)
        .await
        .expect("fits the call's limit");
    assert_eq!(value, json!({}));
}

#[tokio::test]
async fn error_bodies_are_kept_only_in_part_and_debug_redacts_and_clips() {
    let server = MockServer::start().await;
    let body = format!("{{\"message\": \"{}\"}}", "x".repeat(1024 * 1024));
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("set-cookie", "session=s3cr3t-cookie; HttpOnly")
                .insert_header("x-request-id", "req-7")
                .set_body_raw(body.clone(), "application/json"),
        )
        .mount(&server)
        .await;
    let err = get_value(&client(&server.uri())).await.expect_err("400");
    let api = err.as_api().expect("api error");
    assert_eq!(api.raw_body().len(), 64 * 1024);
    assert!(api.is_body_clipped());
    assert_eq!(api.body_len(), Some(body.len() as u64));
    // A clipped body is not taken for a message.
    assert_eq!(api.message(), None);
    assert!(
        err.to_string()
            .contains(&format!("(body of {} bytes, first 65536 kept)", body.len())),
        "{err}"
    );
    let debug = format!("{err:?}");
    assert!(!debug.contains("s3cr3t-cookie"), "cookie in Debug");
    assert!(
        debug.contains("\"set-cookie\": \"<redacted>\""),
        "{}",
        &debug[..300]
    );
    assert!(debug.contains("\"x-request-id\": \"req-7\""));
    assert!(debug.len() < 4 * 1024, "Debug is {} bytes", debug.len());
    // The header stays readable for whoever asks for it explicitly.
    assert!(api.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn an_endless_error_body_is_counted_up_to_the_limit() {
    let (uri, _) = endless_server("HTTP/1.1 503 Service Unavailable", 64 * 1024 * 1024).await;
    let client = builder(&uri)
        .max_body_size(1024 * 1024)
        .max_retries(0)
        .build()
        .expect("builds");
    let err = get_value(&client).await.expect_err("503");
    let api = err.as_api().expect("api error");
    assert_eq!(api.raw_body().len(), 64 * 1024);
    assert_eq!(api.body_len(), None);
    assert!(
        err.to_string()
            .contains("(body of more than 1048576 bytes, first 65536 kept)"),
        "{err}"
    );
}

#[tokio::test]
async fn plain_http_is_refused_unless_loopback_or_allowed() {
    let err = Client::builder(&CONFIG)
        .token(TOKEN)
        .base_url("http://circleci.example.com/api/v2")
        .build()
        .expect_err("plain http");
    assert_eq!(
        err.to_string(),
        "invalid base URL \"http://circleci.example.com/api/v2\": plain http to a host that is \
         not loopback would send the token in clear text; use https, or allow it with \
         ClientBuilder::allow_insecure_http(true)"
    );
    let err = ClientBuilder::<Client>::new(&CONFIG)
        .from_env_with(|name| match name {
            "TEST_CIRCLECI_TOKEN" => Some(TOKEN.to_owned()),
            "TEST_CIRCLECI_BASE_URL" => Some("http://circleci.example.com".to_owned()),
            _ => None,
        })
        .build()
        .expect_err("plain http from the environment");
    assert!(
        err.to_string()
            .ends_with("(read from the environment variable TEST_CIRCLECI_BASE_URL)"),
        "{err}"
    );
    assert!(
        Client::builder(&CONFIG)
            .token(TOKEN)
            .base_url("http://circleci.example.com/api/v2")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    // Loopback is fine: the server below gets the request.
    let server = RawServer::start().await;
    get_value(&client(&server.uri())).await.expect("loopback");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_slug_with_the_wrong_number_of_segments_is_not_sent() {
    let server = RawServer::start().await;
    let client = client(&server.uri());
    let delete = |slug: &str| {
        client
            .request(Method::DELETE, "/project/{project-slug}")
            .path("/project/")
            .path_slug("project-slug", slug, &[3])
            .send(decode::empty, decode::json_error::<Value>)
    };
    let err = delete("gh/acme/widgets/envvar/AWS_SECRET")
        .await
        .expect_err("refused");
    let Error::InvalidInput(invalid) = &err else {
        panic!("expected InvalidInput, got {err:?}");
    };
    assert!(matches!(
        invalid.kind(),
        InvalidInputKind::PathParameter {
            name: "project-slug",
            ..
        }
    ));
    assert!(
        err.to_string().contains(
            "invalid path parameter `project-slug` (\"gh/acme/widgets/envvar/AWS_SECRET\"): \
             the slug has 5 segments separated by `/`, where 3 segments are expected"
        ),
        "{err}"
    );
    assert!(delete("gh/acme").await.is_err());
    assert!(server.requests().is_empty(), "a request was sent");
    delete("circleci/6a3c2b1e-0f3e-4c55-9d55-3f1d2f0a9b11/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")
        .await
        .expect("three segments are sent");
    assert_eq!(server.requests().len(), 1);
}

/// Answers every page with no items and a fresh token, counting the requests.
struct FreshTokens(Arc<AtomicUsize>);

impl Respond for FreshTokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": [], "next_page_token": format!("t{n}")}))
    }
}

fn listing(client: &Client, first: Option<&str>) -> apigen_runtime::PagedCall<ItemsPage> {
    client
        .request(Method::GET, "/pipeline")
        .path("/pipeline")
        .query_styled("page-token", &first, QueryStyle::Form { explode: true })
        .send_paged(
            "page-token",
            decode::json::<ItemsPage>,
            decode::json_error::<Value>,
        )
}

#[tokio::test]
async fn empty_pages_with_fresh_tokens_end_the_walk() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    let requests = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .respond_with(FreshTokens(Arc::clone(&requests)))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut items = listing(&client, None).items();
    let first = items.next().await.expect("an element");
    let Err(Error::PaginationLimit(limit)) = first else {
        panic!("expected PaginationLimit, got {first:?}");
    };
    assert_eq!(limit.kind(), PaginationLimitKind::EmptyPages(10));
    assert_eq!(limit.next_page_token(), "t9");
    assert!(items.next().await.is_none());
    assert_eq!(requests.load(Ordering::SeqCst), 10);
    assert!(
        limit
            .to_string()
            .starts_with("GET /pipeline: pagination stopped: 10 pages in a row had no items"),
        "{limit}"
    );

    // The caller can lower it.
    requests.store(0, Ordering::SeqCst);
    let pages: Vec<_> = listing(&client, None)
        .max_empty_pages(3)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 4);
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn the_callers_page_cap_stops_with_the_token_to_resume_from() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    for (token, items, next) in [(None, [1, 2], Some("b")), (Some("b"), [3, 4], Some("c"))] {
        let mock = Mock::given(method("GET"));
        let mock = match token {
            None => mock.and(query_param_is_missing("page-token")),
            Some(t) => mock.and(query_param("page-token", t)),
        };
        mock.respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": items, "next_page_token": next})),
        )
        .mount(&server)
        .await;
    }
    let client = client(&server.uri());
    let results: Vec<_> = listing(&client, None).max_pages(2).items().collect().await;
    let items: Vec<u64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(items, [1, 2, 3, 4]);
    let Some(Err(Error::PaginationLimit(limit))) = results.last() else {
        panic!("expected PaginationLimit last, got {results:?}");
    };
    assert_eq!(limit.kind(), PaginationLimitKind::MaxPages(2));
    assert_eq!(limit.next_page_token(), "c");
}

#[tokio::test]
async fn a_start_token_handed_back_is_a_loop_at_once() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pipeline"))
        .and(query_param("page-token", "start/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [7], "next_page_token": "start/token"})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let results: Vec<_> = listing(&client, Some("start/token"))
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().ok(), Some(&7));
    assert!(
        matches!(&results[1], Err(Error::PaginationLoop(l)) if l.token() == "start/token" && l.page() == 1),
        "{:?}",
        results[1]
    );
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 1);
}

#[tokio::test]
async fn no_duration_a_caller_can_choose_panics() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/later"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"),
        )
        .mount(&server)
        .await;
    let extreme = || {
        Client::builder(&CONFIG)
            .token(TOKEN)
            .base_url(server.uri())
            .connect_timeout(Duration::MAX)
            .timeout(Duration::MAX)
            .deadline(Duration::MAX)
            .retry_policy(
                RetryPolicy::default()
                    .retry_after_cap(Duration::MAX)
                    .initial_backoff(Duration::MAX)
                    .max_backoff(Duration::MAX)
                    // A backoff of exactly Duration::MAX.
                    .jitter(false),
            )
            .max_retries(u32::MAX)
    };
    let client = extreme().build().expect("builds");
    let get = |path: &'static str| {
        client
            .request(Method::GET, path)
            .path(path)
            .send(decode::json::<Value>, decode::json_error::<Value>)
    };
    // Every limit at its maximum: a plain call works.
    assert_eq!(get("/me").await.expect("200"), json!({}));
    assert_eq!(
        get("/me")
            .timeout(Duration::MAX)
            .deadline(Duration::MAX)
            .await
            .expect("200"),
        json!({})
    );
    // A backoff of Duration::MAX (the retry after a 503) cannot fit any deadline: the call
    // stops instead of overflowing (this panicked) or sleeping for ever.
    let err = get("/busy")
        .deadline(Duration::from_secs(3600))
        .await
        .expect_err("503");
    assert!(
        matches!(
            err.as_api().and_then(|a| a.retry_stop()),
            Some(RetryStop::DeadlineWouldPass { .. })
        ),
        "{err}"
    );
    // So does a Retry-After of u64::MAX seconds.
    let err = get("/later")
        .deadline(Duration::from_secs(3600))
        .await
        .expect_err("429");
    assert!(matches!(
        err.as_api().and_then(|a| a.retry_stop()),
        Some(RetryStop::DeadlineWouldPass { .. })
    ));
    // And with no deadline at all, the cap (here the default 60 s) refuses it.
    let client = extreme()
        .deadline(None)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::MAX))
        .build()
        .expect("builds");
    let err = client
        .request(Method::GET, "/later")
        .path("/later")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("429");
    assert!(matches!(
        err.as_api().and_then(|a| a.retry_stop()),
        Some(RetryStop::RetryAfterBeyondCap { .. })
    ));
}

#[tokio::test]
async fn rate_limit_state_is_exposed_and_a_429_waits_for_the_reset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ratelimit-limit", "100")
                .insert_header("ratelimit-remaining", "42")
                .insert_header("ratelimit-reset", "17")
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/limited"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "120"),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let response = get_value(&client).with_response().await.expect("200");
    let limit = response.rate_limit().expect("rate limit");
    assert_eq!(
        (limit.limit, limit.remaining, limit.reset),
        (Some(100), Some(42), Some(Duration::from_secs(17)))
    );

    // No Retry-After: the reset time is the wait, which is past the 60 s cap, so the call
    // stops at once instead of retrying after a backoff.
    let err = client
        .request(Method::GET, "/limited")
        .path("/limited")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("429");
    let api = err.as_api().expect("api error");
    assert_eq!(api.attempts(), 1);
    assert_eq!(
        api.retry_stop(),
        Some(&RetryStop::RetryAfterBeyondCap {
            retry_after: Duration::from_secs(120),
            cap: Duration::from_secs(60),
        })
    );
    assert!(api.rate_limit().is_some_and(|r| r.is_exhausted()));
}

#[tokio::test]
async fn per_call_timeout_and_deadline_override_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(800))
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = get_value(&client)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .expect_err("times out");
    let Error::Timeout(timeout) = &err else {
        panic!("expected Timeout, got {err:?}");
    };
    assert_eq!(
        timeout.kind(),
        TimeoutKind::Attempt(Duration::from_millis(100))
    );
    let err = get_value(&client)
        .deadline(Duration::from_millis(150))
        .await
        .expect_err("deadline");
    let Error::Timeout(timeout) = &err else {
        panic!("expected Timeout, got {err:?}");
    };
    assert_eq!(
        timeout.kind(),
        TimeoutKind::Deadline(Duration::from_millis(150))
    );
    // The client's own 30 s limits let the same call through.
    assert_eq!(get_value(&client).await.expect("200"), json!({}));
}

#[tokio::test]
async fn configure_http_applies_but_cannot_loosen_redirects() {
    // A proxy set through configure_http carries the request (the raw server sees the
    // absolute-form target of a proxied request).
    let proxy = RawServer::start().await;
    let proxy_uri = proxy.uri();
    let client = Client::builder(&CONFIG)
        .token(TOKEN)
        .base_url("http://api.example.test/api/v2")
        .allow_insecure_http(true)
        .configure_http(move |http| {
            http.proxy(apigen_runtime::reqwest::Proxy::http(&proxy_uri).expect("proxy url"))
        })
        .build()
        .expect("builds");
    get_value(&client).await.expect("through the proxy");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "http://api.example.test/api/v2/me");

    // A redirect policy set there does not survive: a cross-origin redirect is not followed.
    let other = MockServer::start().await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/me", other.uri())),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .configure_http(|http| {
            http.redirect(apigen_runtime::reqwest::redirect::Policy::limited(10))
        })
        .build()
        .expect("builds");
    let err = get_value(&client).await.expect_err("not followed");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(other.received_requests().await.map_or(0, |r| r.len()), 0);
}

#[tokio::test]
async fn a_request_hook_can_refresh_the_token() {
    let server = RawServer::start().await;
    let current = Arc::new(RwLock::new("first".to_owned()));
    let token = Arc::clone(&current);
    let client = builder(&server.uri())
        .on_request(move |request| {
            assert_eq!(request.method(), Method::GET);
            assert!(request.url().path().ends_with("/me"));
            let value = token.read().map(|t| t.clone()).unwrap_or_default();
            if let Ok(mut value) = http::HeaderValue::from_str(&value) {
                value.set_sensitive(true);
                request.headers_mut().insert("circle-token", value);
            }
        })
        .build()
        .expect("builds");
    get_value(&client).await.expect("first");
    if let Ok(mut t) = current.write() {
        *t = "refreshed".to_owned();
    }
    get_value(&client).await.expect("second");
    let tokens: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("circle-token").map(str::to_owned))
        .collect();
    assert_eq!(
        tokens,
        [Some("first".to_owned()), Some("refreshed".to_owned())]
    );
    // One header, not the hook's plus the client's.
    assert!(
        server.requests()[1]
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("circle-token"))
            .count()
            == 1
    );
}

#[tokio::test]
async fn bearer_from_the_environment() {
    let server = RawServer::start().await;
    let uri = server.uri();
    let client: Client = ClientBuilder::new(&CONFIG)
        .from_env_with(|name| match name {
            "TEST_CIRCLECI_TOKEN" => Some(TOKEN.to_owned()),
            "TEST_CIRCLECI_BASE_URL" => Some(uri.clone()),
            "TEST_CIRCLECI_AUTH_SCHEME" => Some("Bearer".to_owned()),
            _ => None,
        })
        .build()
        .expect("builds");
    get_value(&client).await.expect("200");
    let request = &server.requests()[0];
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("circle-token"), None);

    let err = ClientBuilder::<Client>::new(&CONFIG)
        .from_env_with(|name| match name {
            "TEST_CIRCLECI_TOKEN" => Some(TOKEN.to_owned()),
            "TEST_CIRCLECI_AUTH_SCHEME" => Some("digest".to_owned()),
            _ => None,
        })
        .build()
        .expect_err("unknown scheme");
    assert_eq!(
        err.to_string(),
        "environment variable TEST_CIRCLECI_AUTH_SCHEME: its value must be `header`, `bearer` or `basic`"
    );
}
