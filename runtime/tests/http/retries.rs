//! Which failures are retried, how long the runtime waits, and what it returns when it gives
//! up.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::{Client, Error, Method, RetryStop, decode};
use serde_json::{Value, json};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::{builder, client, closed_port};

async fn get(client: &Client) -> Result<Value, Error> {
    client
        .request(Method::GET, "/pipeline/{id}")
        .path("/pipeline/")
        .path_param("id", "p1")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
}

async fn post(client: &Client) -> Result<Value, Error> {
    client
        .request(Method::POST, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .json(&json!({"branch": "main"}))
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
}

/// Answers with the given responses in order, repeating the last one; counts requests.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    count: Arc<AtomicUsize>,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        self.responses[n.min(self.responses.len() - 1)].clone()
    }
}

async fn serve(responses: Vec<ResponseTemplate>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(any())
        .respond_with(Sequence {
            responses,
            count: Arc::clone(&count),
        })
        .mount(&server)
        .await;
    (server, count)
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "p1"}))
}

#[tokio::test]
async fn retry_after_delta_seconds_is_honoured() {
    let (server, count) = serve(vec![
        ResponseTemplate::new(429)
            .insert_header("retry-after", "1")
            .set_body_string("Rate limit exceeded"),
        ok(),
    ])
    .await;
    let started = Instant::now();
    let value = get(&client(&server.uri()))
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();
    assert_eq!(value, json!({"id": "p1"}));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    // The backoff here is 1-4 ms, so only Retry-After explains a wait of about a second.
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let when = SystemTime::now() + Duration::from_secs(2);
    let (server, count) = serve(vec![
        ResponseTemplate::new(429)
            .insert_header("retry-after", httpdate::fmt_http_date(when).as_str()),
        ok(),
    ])
    .await;
    let started = Instant::now();
    get(&client(&server.uri()))
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();
    assert_eq!(count.load(Ordering::SeqCst), 2);
    // The date has whole seconds, so the wait is between 1 and 2 s.
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_millis(2500), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_the_error_at_once() {
    for retry_after in [
        "120".to_owned(),
        httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600)),
    ] {
        let (server, count) = serve(vec![
            ResponseTemplate::new(429)
                .insert_header("retry-after", retry_after.as_str())
                .set_body_string("Rate limit exceeded"),
            ok(),
        ])
        .await;
        let started = Instant::now();
        let err = get(&client(&server.uri())).await.expect_err("not retried");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(count.load(Ordering::SeqCst), 1);
        let api = err.as_api().expect("api error");
        assert_eq!(api.status().as_u16(), 429);
        assert_eq!(api.body_text(), "Rate limit exceeded");
        let Some(RetryStop::RetryAfterBeyondCap { retry_after, cap }) = api.retry_stop() else {
            panic!("wrong stop: {:?}", api.retry_stop());
        };
        assert!(*retry_after > Duration::from_secs(60));
        assert_eq!(*cap, Duration::from_secs(60));
        assert!(err.to_string().contains("more than the 60 s cap"), "{err}");
    }
}

#[tokio::test]
async fn a_503_then_success() {
    let (server, count) = serve(vec![
        ResponseTemplate::new(503).set_body_string("unavailable"),
        ok(),
    ])
    .await;
    let value = get(&client(&server.uri())).await.expect("retried");
    assert_eq!(value, json!({"id": "p1"}));
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn every_retryable_status_is_retried_for_get() {
    for status in [408, 429, 500, 502, 503, 504] {
        let (server, count) = serve(vec![ResponseTemplate::new(status), ok()]).await;
        get(&client(&server.uri())).await.expect("retried");
        assert_eq!(count.load(Ordering::SeqCst), 2, "status {status}");
    }
    for status in [400, 401, 403, 404, 409, 422, 501] {
        let (server, count) = serve(vec![ResponseTemplate::new(status), ok()]).await;
        let err = get(&client(&server.uri())).await.expect_err("not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(count.load(Ordering::SeqCst), 1, "status {status}");
    }
}

#[tokio::test]
async fn post_is_not_retried_on_500_or_503() {
    for status in [500, 502, 503, 504, 408] {
        let (server, count) = serve(vec![
            ResponseTemplate::new(status).set_body_string("boom"),
            ok(),
        ])
        .await;
        let err = post(&client(&server.uri())).await.expect_err("not retried");
        assert_eq!(count.load(Ordering::SeqCst), 1, "status {status}");
        let api = err.as_api().expect("api error");
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.attempts(), 1);
        assert_eq!(api.retry_stop(), None);
    }
}

#[tokio::test]
async fn post_is_retried_on_429() {
    let (server, count) = serve(vec![ResponseTemplate::new(429), ok()]).await;
    post(&client(&server.uri())).await.expect("retried");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn post_is_retried_when_the_connection_cannot_be_made() {
    let client = builder(&closed_port().await).build().expect("builds");
    let err = post(&client).await.expect_err("nothing listens");
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(transport.is_connect());
    assert_eq!(transport.attempts(), 3);
    let text = err.to_string();
    assert!(
        text.starts_with("POST /project/{project-slug}/pipeline: could not connect: "),
        "{text}"
    );
    assert!(
        text.contains("3 attempts; gave up after 2 retries"),
        "{text}"
    );
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error_with_status_and_body() {
    let (server, count) = serve(vec![
        ResponseTemplate::new(500).set_body_string("first failure"),
        ResponseTemplate::new(502).set_body_string("second failure"),
        ResponseTemplate::new(503)
            .insert_header("x-request-id", "req-3")
            .set_body_json(json!({"message": "third failure"})),
        ok(),
    ])
    .await;
    let err = get(&client(&server.uri())).await.expect_err("gives up");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    let api = err.as_api().expect("api error");
    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(api.message(), Some("third failure"));
    assert_eq!(api.body(), Some(&json!({"message": "third failure"})));
    assert_eq!(api.request_id(), Some("req-3"));
    assert_eq!(api.attempts(), 3);
    assert_eq!(
        api.retry_stop(),
        Some(&RetryStop::RetriesExhausted { max_retries: 2 })
    );
    assert_eq!(
        err.to_string(),
        "GET /pipeline/{id}: 503 Service Unavailable: third failure (request id req-3) (3 attempts; gave up after 2 retries)"
    );
}

#[tokio::test]
async fn max_retries_per_client_and_per_call() {
    let failing = || vec![ResponseTemplate::new(503)];

    let (server, count) = serve(failing()).await;
    let client = builder(&server.uri())
        .max_retries(4)
        .build()
        .expect("builds");
    get(&client).await.expect_err("fails");
    assert_eq!(count.load(Ordering::SeqCst), 5);

    let (server, count) = serve(failing()).await;
    let base = client_for(&server);
    get(&base.with_max_retries(1)).await.expect_err("fails");
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(
        base.max_retries(),
        2,
        "with_max_retries leaves the original alone"
    );

    let (server, count) = serve(failing()).await;
    let err = client_for(&server)
        .request(Method::GET, "/pipeline/{id}")
        .path("/pipeline/x")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .max_retries(0)
        .await
        .expect_err("fails");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(err.as_api().map(|a| a.attempts()), Some(1));
}

fn client_for(server: &MockServer) -> Client {
    client(&server.uri())
}

#[tokio::test]
async fn the_wait_never_passes_the_deadline() {
    let (server, count) = serve(vec![
        ResponseTemplate::new(503).insert_header("retry-after", "2"),
    ])
    .await;
    let client = builder(&server.uri())
        .deadline(std::time::Duration::from_millis(500))
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = get(&client).await.expect_err("gives up");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "slept past the deadline"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let api = err.as_api().expect("api error");
    assert_eq!(
        api.retry_stop(),
        Some(&RetryStop::DeadlineWouldPass {
            wait: Duration::from_secs(2),
            deadline: Duration::from_millis(500)
        })
    );
}

#[tokio::test]
async fn put_and_delete_are_retried_like_get() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(500))
        .expect(6)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    for m in [Method::PUT, Method::DELETE] {
        client
            .request(m, "/x")
            .path("/x")
            .send(decode::empty, decode::json_error::<Value>)
            .await
            .expect_err("fails");
    }
}
