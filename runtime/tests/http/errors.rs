//! Error bodies of every kind, decode errors, typed error bodies, responses with status and
//! headers, and invalid input caught before sending.

use apigen_runtime::{Client, Error, InvalidInputKind, Method, Response, decode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{RawServer, client};

#[derive(Debug, Deserialize, PartialEq)]
struct ErrorBody {
    message: String,
}

async fn failing_with(template: ResponseTemplate) -> Error<ErrorBody> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    client(&server.uri())
        .with_max_retries(0)
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .send(decode::json::<Value>, decode::json_error::<ErrorBody>)
        .await
        .expect_err("fails")
}

#[tokio::test]
async fn json_error_body() {
    let err = failing_with(
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "0f1e2d")
            .set_body_json(json!({"message": "Project not found"})),
    )
    .await;
    assert_eq!(
        err.to_string(),
        "GET /project/{project-slug}/pipeline: 404 Not Found: Project not found (request id 0f1e2d)"
    );
    let api = err.as_api().expect("api error");
    assert_eq!(api.message(), Some("Project not found"));
    assert_eq!(
        api.body(),
        Some(&ErrorBody {
            message: "Project not found".into()
        })
    );
    assert_eq!(api.request_id(), Some("0f1e2d"));
    assert_eq!(
        api.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"0f1e2d"[..])
    );
    assert_eq!(
        api.endpoint().path_template(),
        "/project/{project-slug}/pipeline"
    );
}

#[tokio::test]
async fn plain_text_error_body() {
    let err = failing_with(
        ResponseTemplate::new(429)
            .insert_header("content-type", "text/plain")
            .set_body_string("Rate limit exceeded\n"),
    )
    .await;
    let api = err.as_api().expect("api error");
    // Short plain text is the message (CircleCI answers `Invalid token provided.` so).
    assert_eq!(api.message(), Some("Rate limit exceeded"));
    assert_eq!(api.body(), None);
    assert_eq!(api.body_text(), "Rate limit exceeded\n");
    assert_eq!(
        err.to_string(),
        "GET /project/{project-slug}/pipeline: 429 Too Many Requests: Rate limit exceeded"
    );
}

#[tokio::test]
async fn html_error_body() {
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>";
    let err = failing_with(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let api = err.as_api().expect("api error");
    assert_eq!(api.body_text(), html);
    assert_eq!(api.body(), None);
    assert_eq!(
        err.to_string(),
        "GET /project/{project-slug}/pipeline: 502 Bad Gateway: HTML page \"502 Bad Gateway\""
    );
}

#[tokio::test]
async fn empty_error_body() {
    let err = failing_with(ResponseTemplate::new(500)).await;
    let api = err.as_api().expect("api error");
    assert!(api.raw_body().is_empty());
    assert_eq!(api.message(), None);
    assert_eq!(
        err.to_string(),
        "GET /project/{project-slug}/pipeline: 500 Internal Server Error (empty body)"
    );
}

#[tokio::test]
async fn invalid_utf8_error_body_is_kept_lossy() {
    let err = failing_with(
        ResponseTemplate::new(400).set_body_raw(vec![b'b', b'a', b'd', 0xFF], "text/plain"),
    )
    .await;
    let api = err.as_api().expect("api error");
    assert_eq!(api.body_text(), "bad\u{FFFD}");
    assert_eq!(api.raw_body().as_ref(), &[b'b', b'a', b'd', 0xFF]);
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Pipeline {
    id: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PipelineList {
    items: Vec<Pipeline>,
    next_page_token: Option<String>,
}

#[tokio::test]
async fn decode_error_names_the_failing_field() {
    let server = MockServer::start().await;
    let body = r#"{"items":[{"id":"a","created_at":"2024-05-01T10:00:00Z"},{"id":"b","created_at":"yesterday"}],"next_page_token":null}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .request(Method::GET, "/pipeline")
        .path("/pipeline")
        .send(decode::json::<PipelineList>, decode::json_error::<Value>)
        .await
        .expect_err("does not decode");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(decode.path(), Some("items[1].created_at"));
    assert_eq!(decode.status().map(|s| s.as_u16()), Some(200));
    assert!(
        decode.excerpt().contains("yesterday"),
        "{}",
        decode.excerpt()
    );
    let text = err.to_string();
    assert!(
        text.starts_with(
            "GET /pipeline: 200 OK: cannot decode the response body at `items[1].created_at`: "
        ),
        "{text}"
    );
    assert!(
        text.contains("input contains invalid characters")
            || text.contains("premature end")
            || text.contains("input is out of range"),
        "{text}"
    );
}

#[tokio::test]
async fn decode_error_for_a_missing_field_and_for_non_json() {
    let server = MockServer::start().await;
    Mock::given(path("/missing"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"items":[{"id":"a"}]}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let get = |p: &'static str| {
        client
            .request(Method::GET, p)
            .path(p)
            .send(decode::json::<PipelineList>, decode::json_error::<Value>)
    };
    let err = get("/missing").await.expect_err("missing field");
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path(), Some("items[0]"));
    assert!(
        d.message().contains("missing field `created_at`"),
        "{}",
        d.message()
    );

    let err = get("/html").await.expect_err("not json");
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(d.excerpt().contains("<html>maintenance"), "{}", d.excerpt());
    assert!(err.to_string().contains("expected value"), "{err}");
}

#[tokio::test]
async fn with_response_gives_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "abc")
                .set_body_json(json!({"number": 7})),
        )
        .mount(&server)
        .await;
    let response: Response<Value> = client(&server.uri())
        .request(Method::POST, "/project/{project-slug}/pipeline")
        .path("/project/gh/a/b/pipeline")
        .json(&json!({"branch": "main"}))
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .with_response()
        .await
        .expect("created");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        response.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"abc"[..])
    );
    assert_eq!(response.body(), &json!({"number": 7}));
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        received[0].body_json::<Value>().ok(),
        Some(json!({"branch": "main"}))
    );
    assert_eq!(
        received[0]
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
}

#[tokio::test]
async fn other_decoders() {
    let server = MockServer::start().await;
    Mock::given(path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .mount(&server)
        .await;
    Mock::given(path("/none"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let text = client
        .request(Method::GET, "/text")
        .path("/text")
        .send(decode::text, decode::json_error::<Value>)
        .await;
    assert_eq!(text.ok().as_deref(), Some("hello"));
    let bytes = client
        .request(Method::GET, "/text")
        .path("/text")
        .send(decode::bytes, decode::json_error::<Value>)
        .await;
    assert_eq!(bytes.ok().as_deref(), Some(&b"hello"[..]));
    let unit = client
        .request(Method::DELETE, "/none")
        .path("/none")
        .send(decode::empty, decode::json_error::<Value>)
        .await;
    assert!(unit.is_ok());
}

#[tokio::test]
async fn invalid_input_is_reported_before_anything_is_sent() {
    let server = RawServer::start().await;
    let client: Client = client(&server.uri());
    let err = client
        .request(Method::GET, "/project/{project-slug}/pipeline/{id}")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/../admin", &[])
        .path("/pipeline/")
        .path_param("id", "..")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    // The first problem is reported.
    let Error::InvalidInput(invalid) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(
        invalid.kind(),
        InvalidInputKind::PathParameter {
            name: "project-slug",
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "GET /project/{project-slug}/pipeline/{id}: invalid path parameter `project-slug` (\"gh/acme/../admin\"): segment 3 of the slug: a `..` segment would change the request path (the request was not sent)"
    );

    let err = client
        .request(Method::GET, "/x")
        .path("/x")
        .header("x-trace", "a\nb")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "GET /x: invalid header `x-trace`: the value contains characters that cannot appear in a header (the request was not sent)"
    );

    let mut not_serializable = std::collections::HashMap::new();
    not_serializable.insert(vec![1u8], 1u8);
    let err = client
        .request(Method::POST, "/x")
        .path("/x")
        .json(&not_serializable)
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .starts_with("POST /x: the request body cannot be serialized: key must be a string"),
        "{err}"
    );

    let err = client
        .request(Method::GET, "/x")
        .path("/x")
        .query_styled(
            "filter",
            &json!([{"nested": true}]),
            apigen_runtime::QueryStyle::Form { explode: true },
        )
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .starts_with("GET /x: invalid query parameter `filter`: element 0 is an object"),
        "{err}"
    );

    assert!(
        server.requests().is_empty(),
        "sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn headers_are_sent_in_simple_style() {
    let server = RawServer::start().await;
    client(&server.uri())
        .request(Method::GET, "/x")
        .path("/x")
        .header("x-ids", &[1, 2, 3])
        .header("x-absent", &None::<String>)
        .header("x-name", "widgets")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect("sent");
    let request = &server.requests()[0];
    assert_eq!(request.header("x-ids"), Some("1,2,3"));
    assert_eq!(request.header("x-name"), Some("widgets"));
    assert_eq!(request.header("x-absent"), None);
}

#[tokio::test]
async fn errors_convert_between_body_types() {
    let err: Error<ErrorBody> =
        failing_with(ResponseTemplate::new(404).set_body_json(json!({"message": "nope"}))).await;
    let mapped: Error<String> = err.map_body(|b| b.message);
    assert_eq!(
        mapped.as_api().and_then(|a| a.body()).map(String::as_str),
        Some("nope")
    );
    let plain: Error = mapped.without_body();
    assert_eq!(plain.as_api().and_then(|a| a.body()), None);
    assert_eq!(plain.as_api().and_then(|a| a.message()), Some("nope"));
}
