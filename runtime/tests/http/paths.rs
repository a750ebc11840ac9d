//! Path parameters, checked against the request line the server actually received.

use apigen_runtime::{Call, Error, InvalidInputKind, Method, decode};
use serde_json::Value;

use crate::common::{RawServer, client};

/// What a value must become: the exact request-target received, or a refusal.
enum Expect {
    Sent(&'static str),
    Refused,
}
use Expect::{Refused, Sent};

#[tokio::test]
async fn path_param_table() {
    let table: &[(&str, Expect)] = &[
        ("abc-123", Sent("/api/v2/pipeline/abc-123/config")),
        (
            "5f1e3c2a-0b7d-4e8f-9a6b-1c2d3e4f5a6b",
            Sent("/api/v2/pipeline/5f1e3c2a-0b7d-4e8f-9a6b-1c2d3e4f5a6b/config"),
        ),
        ("../../me", Sent("/api/v2/pipeline/..%2F..%2Fme/config")),
        ("a/../b", Sent("/api/v2/pipeline/a%2F..%2Fb/config")),
        ("%2e%2e", Sent("/api/v2/pipeline/%252e%252e/config")),
        ("%2E%2E%2F", Sent("/api/v2/pipeline/%252E%252E%252F/config")),
        ("..%2f", Sent("/api/v2/pipeline/..%252f/config")),
        ("...", Sent("/api/v2/pipeline/.../config")),
        ("?x=1", Sent("/api/v2/pipeline/%3Fx%3D1/config")),
        ("#frag", Sent("/api/v2/pipeline/%23frag/config")),
        ("a b", Sent("/api/v2/pipeline/a%20b/config")),
        ("a\\..\\b", Sent("/api/v2/pipeline/a%5C..%5Cb/config")),
        ("100%", Sent("/api/v2/pipeline/100%25/config")),
        ("日本", Sent("/api/v2/pipeline/%E6%97%A5%E6%9C%AC/config")),
        ("é", Sent("/api/v2/pipeline/%C3%A9/config")),
        ("a;b=c", Sent("/api/v2/pipeline/a%3Bb%3Dc/config")),
        (".", Refused),
        ("..", Refused),
        ("", Refused),
    ];
    let server = RawServer::start().await;
    let client = client(&format!("{}/api/v2/", server.uri()));
    check_table(&server, table, "pipeline-id", |value| {
        client
            .request(Method::GET, "/pipeline/{pipeline-id}/config")
            .path("/pipeline/")
            .path_param("pipeline-id", value)
            .path("/config")
            .send(decode::json::<Value>, decode::json_error::<Value>)
    })
    .await;
}

#[tokio::test]
async fn path_slug_table() {
    let table: &[(&str, Expect)] = &[
        ("gh/acme/widgets", Sent("/project/gh/acme/widgets/pipeline")),
        (
            "bitbucket/acme/widgets",
            Sent("/project/bitbucket/acme/widgets/pipeline"),
        ),
        (
            "circleci/9c3a1e2f-aaaa-bbbb-cccc-0123456789ab/4d5e6f70-dddd-eeee-ffff-0123456789ab",
            Sent(
                "/project/circleci/9c3a1e2f-aaaa-bbbb-cccc-0123456789ab/4d5e6f70-dddd-eeee-ffff-0123456789ab/pipeline",
            ),
        ),
        (
            "gh/acme/my repo",
            Sent("/project/gh/acme/my%20repo/pipeline"),
        ),
        (
            "gh/acme/%2e%2e",
            Sent("/project/gh/acme/%252e%252e/pipeline"),
        ),
        (
            "gh/acme/w?x=1#f",
            Sent("/project/gh/acme/w%3Fx%3D1%23f/pipeline"),
        ),
        (
            "gh/ácme/widgets",
            Sent("/project/gh/%C3%A1cme/widgets/pipeline"),
        ),
        ("../../me", Refused),
        ("a/../b", Refused),
        ("gh/acme/..", Refused),
        ("gh/./widgets", Refused),
        ("gh//widgets", Refused),
        ("gh/acme/", Refused),
        ("/gh/acme", Refused),
        ("", Refused),
        (".", Refused),
    ];
    let server = RawServer::start().await;
    let client = client(&server.uri());
    check_table(&server, table, "project-slug", |value| {
        client
            .request(Method::GET, "/project/{project-slug}/pipeline")
            .path("/project/")
            .path_slug("project-slug", value, &[])
            .path("/pipeline")
            .send(decode::json::<Value>, decode::json_error::<Value>)
    })
    .await;
}

/// Sends each value of `table` through `call` and checks what the server received: exactly
/// the expected request-targets, in order, and nothing for refused values.
async fn check_table(
    server: &RawServer,
    table: &[(&str, Expect)],
    param: &str,
    call: impl Fn(&str) -> Call<Value>,
) {
    let mut expected_targets = Vec::new();
    for (value, expect) in table {
        let result = call(value).await;
        match expect {
            Sent(target) => {
                assert!(result.is_ok(), "{value:?}: {result:?}");
                expected_targets.push(*target);
            }
            Refused => assert_refused(result, param, value),
        }
    }
    let received: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(received, expected_targets);
}

fn assert_refused(result: Result<Value, Error>, param: &str, value: &str) {
    let Err(Error::InvalidInput(invalid)) = &result else {
        panic!("{value:?} was not refused: {result:?}");
    };
    let InvalidInputKind::PathParameter {
        name, value: given, ..
    } = invalid.kind()
    else {
        panic!("{value:?}: wrong kind {invalid:?}");
    };
    assert_eq!(*name, param);
    assert_eq!(given, value);
    let text = invalid.to_string();
    assert!(
        text.contains(&format!("invalid path parameter `{param}`")),
        "{text}"
    );
    assert!(text.ends_with("(the request was not sent)"), "{text}");
}

#[tokio::test]
async fn a_path_the_url_parser_would_normalize_is_never_sent() {
    // Literal template pieces are trusted, but even a generator bug that put a dot segment
    // into one cannot make the request go elsewhere: the URL is checked after parsing.
    let server = RawServer::start().await;
    let client = client(&format!("{}/api/v2", server.uri()));
    let err = client
        .request(Method::GET, "/pipeline/{id}")
        .path("/pipeline/../me")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "GET /pipeline/{id}: invalid client configuration: the request path /api/v2/pipeline/../me would be sent as \"/api/v2/me\" (the request was not sent)"
    );
    assert!(server.requests().is_empty());
}
