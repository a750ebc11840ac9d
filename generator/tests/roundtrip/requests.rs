//! Generated methods send the request the document describes and decode what comes back:
//! each test serves one response from a loopback socket, through the real runtime.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use apigen_fixtures::{pagination, parameters, responses};

/// Serves one request on 127.0.0.1 with `status` and a JSON `body`; the handle yields the
/// request as received (head and body).
fn serve_once(status: &'static str, body: &'static str) -> (String, JoinHandle<String>) {
    let (base, handle) = serve(vec![(status, body)]);
    (base, std::thread::spawn(move || handle.join().unwrap().remove(0)))
}

/// Serves one request per response, in order, on one connection each.
fn serve(responses: Vec<(&'static str, &'static str)>) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || responses.into_iter().map(|(status, body)| answer(&listener, status, body)).collect());
    (base, handle)
}

fn answer(listener: &TcpListener, status: &str, body: &str) -> String {
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
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    }
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
        .get_job(
            "gh/my org/repo",
            42,
            &["a", "b c"],
            "trace-1",
            Some(&[1, 2]),
            Some(&[parameters::types::Status::Queued, parameters::types::Status::Done]),
            Some(&filter),
            None,
            Some("s1"),
            Some(&parameters::types::Status::Running),
            None,
            Some(10),
        )
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
    client.bulk_create(&["x", "y"], Some(true)).await.unwrap();
    let request = server.join().unwrap();
    assert!(request_line(&request).starts_with("POST /bulk?dry_run=true "), "{request}");
    assert!(request.ends_with(r#"["x","y"]"#), "{request}");
}

#[tokio::test(flavor = "current_thread")]
async fn success_bodies_chosen_by_status() {
    let (base, server) = serve_once("201 Created", r#"{"id": "n1", "created": true}"#);
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    let created = client.create_or_find().await.unwrap();
    assert_eq!(
        created,
        responses::types::CreateOrFindResponse::Created(responses::types::Created { id: "n1".into(), created: true })
    );
    server.join().unwrap();

    let (base, server) = serve_once("202 Accepted", "");
    let client = responses::Client::builder().base_url(base).token("t").build().unwrap();
    assert_eq!(client.create_or_find().await.unwrap(), responses::types::CreateOrFindResponse::Accepted);
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
        Some(&responses::types::CreateOrFindError::BadRequest(responses::types::ValidationError {
            fields: Some(vec!["name".into()])
        }))
    );
    server.join().unwrap();

    let (base, server) = serve_once("500 Internal Server Error", r#"{"message": "boom"}"#);
    let client = responses::Client::builder().base_url(base).token("t").max_retries(0).build().unwrap();
    let err = client.with_default().await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.body()), Some(&responses::types::ErrorResponse { message: Some("boom".into()) }));
    server.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn paginated_listings_follow_the_next_page_token() {
    let (base, server) = serve(vec![
        ("200 OK", r#"{"items": [{"id": "a"}, {"id": "b"}], "next_page_token": "t2"}"#),
        ("200 OK", r#"{"items": [{"id": "c"}], "next_page_token": null}"#),
    ]);
    let client = pagination::Client::builder().base_url(base).token("t").build().unwrap();
    let mut items = client.list_pipelines(None, Some("main")).items();
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
