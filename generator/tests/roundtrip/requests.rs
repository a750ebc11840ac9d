//! Generated methods send the request the document describes and decode what comes back:
//! each test serves one response from a loopback socket, through the real runtime.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use apigen_fixtures::{nullability_31, pagination, parameters, responses};

/// Serves one request on 127.0.0.1 with `status` and a JSON `body`; the handle yields the
/// request as received (head and body).
fn serve_once(status: &'static str, body: &'static str) -> (String, JoinHandle<String>) {
    let (base, handle) = serve(vec![(status, body)]);
    (base, std::thread::spawn(move || handle.join().unwrap().remove(0)))
}

/// Serves one request per response, in order, on one connection each.
fn serve(responses: Vec<(&'static str, &'static str)>) -> (String, JoinHandle<Vec<String>>) {
    serve_with(responses.into_iter().map(|(status, body)| (status, "", body)).collect())
}

/// Like `serve`, with extra header lines (each ending in `\r\n`) per response.
fn serve_with(responses: Vec<(&'static str, &'static str, &'static str)>) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        responses.into_iter().map(|(status, headers, body)| answer(&listener, status, headers, body)).collect()
    });
    (base, handle)
}

fn answer(listener: &TcpListener, status: &str, headers: &str, body: &str) -> String {
    {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = stream.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                if buf.len() >= end + 4 + len {
                    break;
                }
            }
        }
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// A generated type built the way a user's test builds one it cannot write as a literal
/// (received types are `#[non_exhaustive]`): decoded from JSON.
fn decoded<T: apigen_runtime::json::FromJson>(value: serde_json::Value) -> T {
    apigen_runtime::json::from_value(&value).expect("decodes")
}

fn request_line(request: &str) -> &str {
    request.lines().next().unwrap()
}

fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    request.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test(flavor = "current_thread")]
async fn path_query_header_and_cookie_parameters() {
    let (base, server) = serve_once("200 OK", r#"{"ok": true}"#);
    let client = parameters::Client::builder().base_url(base).token("secret").max_retries(0).build().unwrap();
    let filter = parameters::types::GetJobFilter { since: None, until: None };
    let result = client
        .get_job("gh/my org/repo", 42, &["a", "b c"], "trace-1")
        .ids(&[1, 2])
        .statuses(&[parameters::types::Status::Queued, parameters::types::Status::Done])
        .filter(&filter)
        .session("s1")
        .status(&parameters::types::Status::Running)
        .limit(10)
        .await
        .unwrap();
    assert_eq!(result["ok"], serde_json::json!(true));
    let request = server.join().unwrap();
    let line = request_line(&request);
    // The slug keeps its slashes; the space in a segment is encoded.
    assert!(line.starts_with("GET /project/gh/my%20org/repo/job/42?"), "{line}");
    for part in ["tags=a", "tags=b%20c", "limit=10", "status=running"] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    assert_eq!(header(&request, "x-trace"), Some("trace-1"));
    assert_eq!(header(&request, "cookie"), Some("session=s1"));
    assert_eq!(header(&request, "x-api-token"), Some("secret"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_cookie_parameter_named_cookies_is_sent() {
    let (base, server) = serve_once("204 No Content", "");
    let client = parameters::Client::builder().base_url(base).token("secret").max_retries(0).build().unwrap();
    client.get_with_cookies("c1").theme("dark").await.unwrap();
    let request = server.join().unwrap();
    assert_eq!(header(&request, "cookie"), Some("cookies=c1; theme=dark"));
}

#[tokio::test(flavor = "current_thread")]
async fn form_bodies_are_encoded_from_the_typed_value() {
    let (base, server) = serve_once("204 No Content", "");
    let client = parameters::Client::builder().base_url(base).token("t").build().unwrap();
    client
        .submit_form(&parameters::types::SubmitFormRequest { name: Some("Jörg & co".into()) })
        .await
        .unwrap();
    let request = server.join().unwrap();
    assert!(request_line(&request).starts_with("POST /form "), "{request}");
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert!(request.ends_with("\r\n\r\nname=J%C3%B6rg+%26+co"), "{request}");
}

#[tokio::test(flavor = "current_thread")]
async fn json_bodies_and_optional_parameters() {
    let (base, server) = serve_once("204 No Content", "");
    let client = parameters::Client::builder().base_url(base).token("t").build().unwrap();
    client.bulk_create(&["x", "y"]).dry_run(true).await.unwrap();
    let request = server.join().unwrap();
    assert!(request_line(&request).starts_with("POST /bulk?dry_run=true "), "{request}");
    assert!(request.ends_with(r#"["x","y"]"#), "{request}");
}

#[tokio::test(flavor = "current_thread")]
async fn nullable_body_schemas_never_send_null() {
    use nullability_31::types::{CreateThingRequest, Patch};
    // Optional: `None` sends no body at all (no content type), `Some` sends the JSON.
    let (base, server) = serve_once("204 No Content", "");
    let client = nullability_31::Client::builder().base_url(base).token("t").build().unwrap();
    client.patch_thing("t1").await.unwrap();
    let request = server.join().unwrap();
    assert!(request_line(&request).starts_with("PATCH /things/t1 "), "{request}");
    assert_eq!(header(&request, "content-type"), None, "{request}");
    assert!(request.ends_with("\r\n\r\n"), "{request}");

    let (base, server) = serve_once("204 No Content", "");
    let client = nullability_31::Client::builder().base_url(base).token("t").build().unwrap();
    client.patch_thing("t1").body(&Patch { name: Some("n".into()) }).await.unwrap();
    let request = server.join().unwrap();
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert!(request.ends_with(r#"{"name":"n"}"#), "{request}");

    // Required: the body is a plain reference and always sent.
    let (base, server) = serve_once("204 No Content", "");
    let client = nullability_31::Client::builder().base_url(base).token("t").build().unwrap();
    client.create_thing(&CreateThingRequest::default()).await.unwrap();
    let request = server.join().unwrap();
    assert!(request_line(&request).starts_with("POST /things "), "{request}");
    assert!(request.ends_with("\r\n\r\n{}"), "{request}");
}

#[tokio::test(flavor = "current_thread")]
async fn success_bodies_chosen_by_status() {
    let (base, server) = serve_once("201 Created", r#"{"id": "n1", "created": true}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    let created = client.create_or_find().await.unwrap();
    assert_eq!(
        created,
        responses::types::CreateOrFindResponse::Created(decoded(serde_json::json!({"id": "n1", "created": true})))
    );
    server.join().unwrap();

    // Serializing a per-status enum writes the body of its variant, nothing of the status.
    assert_eq!(serde_json::to_value(&created).unwrap(), serde_json::json!({"id": "n1", "created": true}));

    let (base, server) = serve_once("202 Accepted", "");
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    let accepted = client.create_or_find().await.unwrap();
    assert_eq!(accepted, responses::types::CreateOrFindResponse::Accepted);
    assert_eq!(serde_json::to_value(&accepted).unwrap(), serde_json::Value::Null);
    server.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn an_undeclared_success_status_is_a_decode_error_unless_2xx_or_default_covers_it() {
    // 200, 201 and 202 are declared: 203 is not taken for the 200 body, even though it
    // would decode as one.
    let (base, server) = serve_once("203 Non-Authoritative Information", r#"{"id": "t1"}"#);
    let client = responses::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.create_or_find().await.unwrap_err();
    let apigen_runtime::Error::Decode(decode) = &err else { panic!("{err:?}") };
    assert_eq!(decode.status().map(|s| s.as_u16()), Some(203));
    assert_eq!(decode.message(), "the API description declares no response for status 203");
    assert_eq!(
        err.to_string(),
        r#"POST /several: 203 Non Authoritative Information: cannot decode the response body: the API description declares no response for status 203; body: {"id": "t1"}"#
    );
    server.join().unwrap();

    // A `default` response covers the statuses nothing else declares.
    let (base, server) = serve_once("203 Non-Authoritative Information", r#"{"message": "other"}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    assert_eq!(
        client.create_or_default().await.unwrap(),
        responses::types::CreateOrDefaultResponse::Default(decoded(serde_json::json!({"message": "other"})))
    );
    server.join().unwrap();
    let (base, server) = serve_once("201 Created", r#"{"id": "n1", "created": true}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    assert_eq!(
        client.create_or_default().await.unwrap(),
        responses::types::CreateOrDefaultResponse::Created(decoded(serde_json::json!({"id": "n1", "created": true})))
    );
    server.join().unwrap();

    // So does a `2XX` range; the exact code still wins.
    let (base, server) = serve_once("203 Non-Authoritative Information", r#"{"id": "n2", "created": false}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    assert_eq!(
        client.create_or_class().await.unwrap(),
        responses::types::CreateOrClassResponse::Success(decoded(serde_json::json!({"id": "n2", "created": false})))
    );
    server.join().unwrap();
    let (base, server) = serve_once("200 OK", r#"{"id": "t3"}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    assert_eq!(
        client.create_or_class().await.unwrap(),
        responses::types::CreateOrClassResponse::Ok(decoded(serde_json::json!({"id": "t3"})))
    );
    server.join().unwrap();
}

#[test]
fn per_status_text_and_bytes_serialize_as_their_body() {
    use responses::types::GetReportResponse;
    let text = GetReportResponse::NonAuthoritativeInformation("a \"report\"".to_owned());
    assert_eq!(serde_json::to_string(&text).unwrap(), r#""a \"report\"""#);
    let part = GetReportResponse::PartialContent(apigen_runtime::bytes::Bytes::from_static(b"\x00\xff"));
    assert_eq!(serde_json::to_string(&part).unwrap(), "[0,255]");
    let json = GetReportResponse::Ok(decoded(serde_json::json!({"id": "r"})));
    assert_eq!(serde_json::to_string(&json).unwrap(), r#"{"id":"r"}"#);
}

#[tokio::test(flavor = "current_thread")]
async fn request_ids_come_from_declared_and_common_headers() {
    // Declared response headers that look like request ids come first (lower case, once),
    // then the common ones; `X-RateLimit-Remaining` is not one.
    assert_eq!(
        responses::CONFIG.request_id_headers,
        ["x-trace-id", "x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id", "cf-ray"]
    );
    assert_eq!(
        parameters::CONFIG.request_id_headers,
        ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id", "cf-ray"]
    );

    // The first of them present in an error response is its request id.
    let (base, server) = serve_with(
        vec![("500 Internal Server Error", "cf-ray: 8f1e2d3c4b5a-LHR\r\nx-trace-id: trace-77\r\n", r#"{"message": "boom"}"#)],
    );
    let client = responses::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.with_default().await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.request_id()), Some("trace-77"));
    server.join().unwrap();

    let (base, server) =
        serve_with(vec![("404 Not Found", "CF-Ray: 8f1e2d3c4b5a-LHR\r\n", r#"{"message": "no such thing"}"#)]);
    let client = parameters::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.get_by_id(apigen_runtime::uuid::Uuid::nil(), &parameters::types::Status::Done).await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.request_id()), Some("8f1e2d3c4b5a-LHR"));
    server.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn error_bodies_are_typed() {
    let (base, server) = serve_once("400 Bad Request", r#"{"fields": ["name"]}"#);
    let client = responses::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.create_or_find().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status().as_u16(), 400);
    assert_eq!(
        api.body(),
        Some(&responses::types::CreateOrFindError::BadRequest(decoded(serde_json::json!({"fields": ["name"]}))))
    );
    assert_eq!(serde_json::to_value(api.body().unwrap()).unwrap(), serde_json::json!({"fields": ["name"]}));
    server.join().unwrap();

    let (base, server) = serve_once("500 Internal Server Error", r#"{"message": "boom"}"#);
    let client = responses::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.with_default().await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.body()), Some(&decoded::<responses::types::ErrorResponse>(serde_json::json!({"message": "boom"}))));
    server.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn paginated_listings_follow_the_next_page_token() {
    let (base, server) = serve(vec![
        ("200 OK", r#"{"items": [{"id": "a"}, {"id": "b"}], "next_page_token": "t2"}"#),
        ("200 OK", r#"{"items": [{"id": "c"}], "next_page_token": null}"#),
    ]);
    let client = pagination::Client::builder().base_url(base).token("t").build().unwrap();
    let mut items = client.list_pipelines().branch("main").items();
    let mut ids = Vec::new();
    loop {
        let next = std::future::poll_fn(|cx| {
            apigen_runtime::futures_core::Stream::poll_next(std::pin::Pin::new(&mut items), cx)
        })
        .await;
        match next {
            Some(item) => ids.push(item.unwrap().id),
            None => break,
        }
    }
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.join().unwrap();
    assert!(request_line(&requests[0]).starts_with("GET /pipelines?branch=main "), "{}", requests[0]);
    let second = request_line(&requests[1]);
    assert!(second.contains("page-token=t2") && second.contains("branch=main"), "{second}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_token_setter_resumes_a_listing() {
    let (base, server) = serve(vec![
        ("200 OK", r#"{"items": [{"id": "c"}], "next_page_token": "t3"}"#),
        ("200 OK", r#"{"items": [{"id": "d"}], "next_page_token": null}"#),
    ]);
    let client = pagination::Client::builder().base_url(base).token("t").build().unwrap();
    // The setters may come in any order; the token is the first page's, later pages replace it.
    let mut items = client.list_pipelines().page_token("t2/x").branch("main").items();
    let mut ids = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| {
        apigen_runtime::futures_core::Stream::poll_next(std::pin::Pin::new(&mut items), cx)
    })
    .await
    {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["c", "d"]);
    let requests = server.join().unwrap();
    let first = request_line(&requests[0]);
    assert!(first.starts_with("GET /pipelines?branch=main&page-token=t2%2Fx "), "{first}");
    let second = request_line(&requests[1]);
    assert!(second.contains("page-token=t3") && !second.contains("t2"), "{second}");
}

#[tokio::test(flavor = "current_thread")]
async fn setters_named_like_call_methods_get_their_own_names() {
    let (base, server) = serve_once("204 No Content", "");
    let client = parameters::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    client
        .search()
        .timeout_param(30)
        .items_param("all")
        .into_future_param(true)
        .body_2("q")
        .max_pages_param(2)
        .body(&parameters::types::SearchRequest { text: Some("x".into()) })
        // The call's own options keep their meaning.
        .timeout(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    let request = server.join().unwrap();
    let line = request_line(&request);
    assert!(line.starts_with("POST /search?timeout=30&items=all&body=q&max-pages=2 "), "{line}");
    assert_eq!(header(&request, "into_future"), Some("true"));
    assert!(request.ends_with(r#"{"text":"x"}"#), "{request}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_setter_called_again_replaces_its_value() {
    let (base, server) = serve_once("200 OK", r#"{"ok": true}"#);
    let client = parameters::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let base_call = client.get_job("gh/org/repo", 1, &["a"], "t").limit(10).ids(&[1, 2]);
    base_call
        .clone()
        .limit(20)
        .ids(&[3])
        .await
        .unwrap();
    let request = server.join().unwrap();
    let line = request_line(&request);
    assert!(line.contains("limit=20") && !line.contains("limit=10"), "{line}");
    assert!(line.contains("ids=3") && !line.contains("ids=1"), "{line}");
    drop(base_call);
}

#[tokio::test(flavor = "current_thread")]
async fn a_path_key_s_fragment_is_not_sent_and_its_query_is() {
    let (base, server) = serve(vec![("204 No Content", ""), ("204 No Content", ""), ("204 No Content", "")]);
    let client = parameters::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    client.get_shared_link("f 1", "shared_link").await.unwrap();
    client.get_beta_response("r1").await.unwrap();
    client.get_beta_response("r2").mode("c").await.unwrap();
    let requests = server.join().unwrap();
    assert_eq!(request_line(&requests[0]), "GET /files/f%201?fields=shared_link HTTP/1.1");
    assert_eq!(request_line(&requests[1]), "GET /responses/r1?beta=true HTTP/1.1");
    assert_eq!(request_line(&requests[2]), "GET /responses/r2?beta=true&mode=c HTTP/1.1");
}

#[tokio::test(flavor = "current_thread")]
async fn a_required_accept_header_with_one_value_is_sent() {
    let (base, server) = serve_once("204 No Content", "");
    let client = parameters::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    client.list_sorted_b().await.unwrap();
    let request = server.join().unwrap();
    assert_eq!(
        header(&request, "accept"),
        Some("application/vnd.example+json;version=2, application/json")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_operation_accepting_only_another_scheme_sends_the_token_under_it() {
    let (base, server) = serve(vec![("204 No Content", ""), ("204 No Content", "")]);
    let client = parameters::Client::builder().base_url(base).token("abc").max_retries(0).build().unwrap();
    client.get_admin().await.unwrap();
    client.list_sorted_a().await.unwrap();
    let requests = server.join().unwrap();
    // base64("abc:")
    assert_eq!(header(&requests[0], "authorization"), Some("Basic YWJjOg=="));
    assert_eq!(header(&requests[1], "authorization"), None);
    assert_eq!(header(&requests[1], "x-api-token"), Some("abc"));
}
