//! The per-attempt timeout and the overall deadline.

use std::time::{Duration, Instant};

use apigen_runtime::{Error, Method, TimeoutKind, decode};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::builder;

async fn slow_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

fn get(client: &apigen_runtime::Client) -> apigen_runtime::Call<Value> {
    client
        .request(Method::GET, "/slow")
        .path("/slow")
        .send(decode::json::<Value>, decode::json_error::<Value>)
}

#[tokio::test]
async fn per_attempt_timeout_is_retried_then_reported() {
    let server = slow_server(Duration::from_millis(400)).await;
    let client = builder(&server.uri())
        .timeout(Duration::from_millis(80))
        .max_retries(1)
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = get(&client).await.expect_err("times out");
    assert!(
        started.elapsed() < Duration::from_millis(390),
        "waited for the slow response"
    );
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(
        timeout.kind(),
        TimeoutKind::Attempt(Duration::from_millis(80))
    );
    assert_eq!(timeout.attempts(), 2);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
    assert_eq!(
        err.to_string(),
        "GET /slow: timed out: no complete response within the per-attempt timeout of 0.08 s (2 attempts; gave up after 1 retry)"
    );
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_retried() {
    let server = slow_server(Duration::from_millis(400)).await;
    let client = builder(&server.uri())
        .timeout(Duration::from_millis(80))
        .build()
        .expect("builds");
    let err = client
        .request(Method::POST, "/slow")
        .path("/slow")
        .json(&json!({}))
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("times out");
    assert!(
        matches!(&err, Error::Timeout(t) if t.attempts() == 1),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn the_overall_deadline_cuts_across_attempts() {
    let server = slow_server(Duration::from_millis(400)).await;
    let client = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .deadline(Duration::from_millis(250))
        .max_retries(10)
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = get(&client).await.expect_err("times out");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(240),
        "gave up early: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(390),
        "went past the deadline: {elapsed:?}"
    );
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(
        timeout.kind(),
        TimeoutKind::Deadline(Duration::from_millis(250))
    );
    assert_eq!(timeout.attempts(), 3, "two full attempts and one cut short");
    assert!(
        err.to_string()
            .contains("the overall deadline of 0.25 s passed"),
        "{err}"
    );
}

#[tokio::test]
async fn without_limits_a_slow_response_still_arrives() {
    let server = slow_server(Duration::from_millis(150)).await;
    let client = builder(&server.uri())
        .timeout(None)
        .deadline(None)
        .build()
        .expect("builds");
    assert_eq!(get(&client).await.expect("arrives"), json!({}));
}
