//! Query parameter styles, checked against the query string the server received.

use apigen_runtime::{Method, QueryStyle, decode};
use chrono::{TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::common::{RawServer, client};

#[derive(Serialize)]
struct Filter {
    status: &'static str,
    limit: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'static str>,
}

#[tokio::test]
async fn styles_on_the_wire() {
    let server = RawServer::start().await;
    let client = client(&server.uri());
    let ids = ["a", "b,c", "d e"];
    let filter = Filter {
        status: "success",
        limit: 5,
        actor: None,
    };
    let when = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).single();
    let cases: Vec<(apigen_runtime::RequestBuilder, &str)> = vec![
        (
            client.request(Method::GET, "/q").query_styled(
                "branch",
                "feature/x+y",
                QueryStyle::Form { explode: true },
            ),
            "branch=feature%2Fx%2By",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "id",
                &ids,
                QueryStyle::Form { explode: true },
            ),
            "id=a&id=b%2Cc&id=d%20e",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "id",
                &ids,
                QueryStyle::Form { explode: false },
            ),
            "id=a,b%2Cc,d%20e",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "id",
                &["a", "b,c", "d|e"],
                QueryStyle::SpaceDelimited,
            ),
            "id=a%20b%2Cc%20d%7Ce",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "id",
                &["a", "b,c", "d|e"],
                QueryStyle::PipeDelimited,
            ),
            "id=a|b%2Cc|d%7Ce",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "filter",
                &filter,
                QueryStyle::Form { explode: true },
            ),
            "status=success&limit=5",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "filter",
                &filter,
                QueryStyle::Form { explode: false },
            ),
            "filter=status,success,limit,5",
        ),
        (
            client.request(Method::GET, "/q").query_styled(
                "filter",
                &filter,
                QueryStyle::DeepObject,
            ),
            "filter[status]=success&filter[limit]=5",
        ),
        (
            client
                .request(Method::GET, "/q")
                .query_styled("since", &when, QueryStyle::Form { explode: true })
                .query_styled("absent", &None::<u32>, QueryStyle::Form { explode: true })
                .query_styled(
                    "empty",
                    &Vec::<String>::new(),
                    QueryStyle::Form { explode: false },
                )
                .query_styled("flag", &true, QueryStyle::Form { explode: true }),
            "since=2024-05-01T10%3A00%3A00Z&flag=true",
        ),
    ];
    let mut expected = Vec::new();
    for (request, query) in cases {
        request
            .path("/q")
            .send(decode::json::<Value>, decode::json_error::<Value>)
            .await
            .expect("sent");
        expected.push(format!("/q?{query}"));
    }
    let received: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(received, expected);

    // A space inside a spaceDelimited value would be indistinguishable from the delimiter.
    let err = client
        .request(Method::GET, "/q")
        .path("/q")
        .query_styled("id", &ids, QueryStyle::SpaceDelimited)
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "GET /q: invalid query parameter `id`: part 2 (\"d e\") contains ' ', which spaceDelimited style uses as its delimiter (the request was not sent)"
    );
    assert_eq!(server.requests().len(), expected.len());
}

/// The setters of a `Call` (what generated call types use for optional parameters) put
/// values where the builder does; a bad one fails the call before anything is sent.
#[tokio::test]
async fn setters_on_a_call_send_query_header_cookie_and_body() {
    let server = RawServer::start().await;
    let client = client(&server.uri());
    let call = || {
        client
            .request(Method::POST, "/things/{id}")
            .path_param("id", "a b")
            .send(decode::json::<Value>, decode::json_error::<Value>)
    };
    let _ = call()
        .query("branch", "feature/x")
        .query("ids", &["a", "b"])
        .query_styled("tags", &["x", "y"], QueryStyle::PipeDelimited)
        .query("absent", &None::<&str>)
        .header("X-Dry-Run", &true)
        .cookie("session", "s1")
        .json(&serde_json::json!({"n": 1}))
        .await;
    let requests = server.requests();
    let first = requests.first().expect("one request");
    assert_eq!(first.method, "POST");
    assert_eq!(
        first.target,
        "/things/a%20b?branch=feature%2Fx&ids=a&ids=b&tags=x|y"
    );
    assert_eq!(first.header("x-dry-run"), Some("true"));
    assert_eq!(first.header("cookie"), Some("session=s1"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.header("content-length"), Some("7"), "{{\"n\":1}}");

    // Set again, a parameter is replaced; set to null, it is not sent; values the request was
    // built with stay.
    let _ = client
        .request(Method::GET, "/things")
        .query("fixed", "kept")
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .query("branch", "a")
        .query("ids", &["1", "2"])
        .header("X-Dry-Run", &true)
        .cookie("session", "s1")
        .query("tag", "x")
        .query("branch", "b")
        .query("ids", &["3"])
        .header("X-Dry-Run", &false)
        .cookie("session", "s2")
        .query("tag", &None::<&str>)
        .await;
    let requests = server.requests();
    let second = requests.get(1).expect("a second request");
    assert_eq!(second.target, "/things?fixed=kept&branch=b&ids=3");
    assert_eq!(second.header("x-dry-run"), Some("false"));
    assert_eq!(second.header("cookie"), Some("session=s2"));
    assert_eq!(
        second
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("x-dry-run"))
            .count(),
        1
    );

    let error = call()
        .header("X-Bad", "line\nbreak")
        .await
        .expect_err("a header value with a newline is refused");
    assert!(
        matches!(error, apigen_runtime::Error::InvalidInput(_)),
        "{error}"
    );
    assert!(error.to_string().contains("X-Bad"), "{error}");
    assert_eq!(server.requests().len(), 2, "nothing more was sent");
}
