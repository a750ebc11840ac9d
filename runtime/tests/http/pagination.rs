//! The paginator on its own (with closures) and through `PagedCall` against a server.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use apigen_runtime::{Error, Method, Page, QueryStyle, decode, paginate};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{ItemsPage, client};

/// The tokens a scripted fetcher was asked for.
type Requested = Arc<Mutex<Vec<Option<String>>>>;

/// A fetcher that answers from a script and records the tokens it was asked for.
fn scripted(
    script: Vec<Result<ItemsPage, Error>>,
) -> (
    impl FnMut(Option<String>) -> std::future::Ready<Result<ItemsPage, Error>>,
    Requested,
) {
    let requested = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requested);
    let mut script: VecDeque<_> = script.into();
    let fetch = move |token: Option<String>| {
        log.lock().map(|mut l| l.push(token)).ok();
        std::future::ready(
            script
                .pop_front()
                .unwrap_or_else(|| panic!("fetched past the end of the script")),
        )
    };
    (fetch, requested)
}

fn page(items: &[u64], next: Option<&str>) -> Result<ItemsPage, Error> {
    Ok(ItemsPage {
        items: items.to_vec(),
        next_page_token: next.map(str::to_owned),
    })
}

async fn collect_items(
    fetch: impl FnMut(Option<String>) -> std::future::Ready<Result<ItemsPage, Error>>,
) -> (Vec<u64>, Vec<String>) {
    let mut items = paginate(fetch).items();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    while let Some(next) = items.next().await {
        match next {
            Ok(item) => ok.push(item),
            Err(e) => errors.push(e.to_string()),
        }
    }
    // Once finished, the stream stays finished.
    assert!(items.next().await.is_none());
    (ok, errors)
}

#[tokio::test]
async fn several_pages_then_a_null_token() {
    let (fetch, requested) = scripted(vec![
        page(&[1, 2], Some("t2")),
        page(&[3], Some("t3")),
        page(&[4, 5], None),
    ]);
    let (items, errors) = collect_items(fetch).await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert!(errors.is_empty());
    assert_eq!(
        *requested.lock().unwrap_or_else(|e| e.into_inner()),
        [None, Some("t2".to_owned()), Some("t3".to_owned())]
    );
}

#[tokio::test]
async fn an_empty_token_ends_the_listing() {
    let (fetch, requested) = scripted(vec![page(&[1], Some("t2")), page(&[2], Some(""))]);
    let (items, errors) = collect_items(fetch).await;
    assert_eq!(items, [1, 2]);
    assert!(errors.is_empty());
    assert_eq!(requested.lock().map(|r| r.len()).unwrap_or(0), 2);
}

#[tokio::test]
async fn a_repeated_token_is_a_loop_error_after_every_item() {
    let (fetch, requested) = scripted(vec![
        page(&[1], Some("a")),
        page(&[2], Some("b")),
        page(&[3], Some("a")),
    ]);
    let (items, errors) = collect_items(fetch).await;
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(
        errors,
        [
            "pagination loop: page 3 returned the next-page token \"a\", which was already requested; stopped after yielding every item received"
        ]
    );
    assert_eq!(requested.lock().map(|r| r.len()).unwrap_or(0), 3);
}

#[tokio::test]
async fn an_error_midway_comes_after_every_item_received() {
    let failure: Error = Error::from(apigen_runtime::DecodeError::new("page 2 is broken", b"{"));
    let (fetch, _) = scripted(vec![page(&[1, 2], Some("t2")), Err(failure)]);
    let (items, errors) = collect_items(fetch).await;
    assert_eq!(items, [1, 2]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("page 2 is broken"), "{errors:?}");
}

#[tokio::test]
async fn pages_are_fetched_only_when_needed() {
    let (fetch, requested) = scripted(vec![page(&[1, 2], Some("t2")), page(&[3], None)]);
    let mut items = paginate(fetch).items();
    assert_eq!(items.next().await.and_then(Result::ok), Some(1));
    assert_eq!(items.next().await.and_then(Result::ok), Some(2));
    assert_eq!(
        requested.lock().map(|r| r.len()).unwrap_or(0),
        1,
        "fetched ahead"
    );
    assert_eq!(items.next().await.and_then(Result::ok), Some(3));
    assert_eq!(requested.lock().map(|r| r.len()).unwrap_or(0), 2);
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn page_stream_yields_whole_pages() {
    let (fetch, _) = scripted(vec![
        page(&[1, 2], Some("x")),
        page(&[], Some("y")),
        page(&[3], None),
    ]);
    let pages: Vec<Vec<u64>> = paginate(fetch)
        .map(|p| p.map(Page::into_items).unwrap_or_default())
        .collect()
        .await;
    assert_eq!(pages, [vec![1, 2], vec![], vec![3]]);
}

async fn listing_server() -> MockServer {
    let server = MockServer::start().await;
    let respond = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("GET"))
        .and(path("/project/gh/acme/widgets/pipeline"))
        .and(query_param_is_missing("page-token"))
        .and(query_param("branch", "main"))
        .respond_with(respond(json!({"items": [1, 2], "next_page_token": "p/2+"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page-token", "p/2+"))
        .and(query_param("branch", "main"))
        .respond_with(respond(json!({"items": [3], "next_page_token": "p3"})))
        .mount(&server)
        .await;
    // The last page omits the key altogether.
    Mock::given(method("GET"))
        .and(query_param("page-token", "p3"))
        .and(query_param("branch", "main"))
        .respond_with(respond(json!({"items": [4, 5]})))
        .mount(&server)
        .await;
    server
}

fn list(
    client: &apigen_runtime::Client,
    first_token: Option<&str>,
) -> apigen_runtime::PagedCall<ItemsPage> {
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .query_styled("branch", "main", QueryStyle::Form { explode: true })
        .query_styled(
            "page-token",
            &first_token,
            QueryStyle::Form { explode: true },
        )
        .send_paged(
            "page-token",
            decode::json::<ItemsPage>,
            decode::json_error::<Value>,
        )
}

#[tokio::test]
async fn paged_call_walks_every_page_over_http() {
    let server = listing_server().await;
    let client = client(&server.uri());

    let items: Vec<u64> = list(&client, None)
        .items()
        .map(|r| r.unwrap_or(0))
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);

    let first = list(&client, None).await.expect("first page");
    assert_eq!(first.items, [1, 2]);

    let pages: Vec<usize> = list(&client, None)
        .pages()
        .map(|p| p.map(|p| p.items.len()).unwrap_or(0))
        .collect()
        .await;
    assert_eq!(pages, [2, 1, 2]);

    // A caller-supplied token starts the walk there; the parameter is replaced, never doubled.
    let from_p3: Vec<u64> = list(&client, Some("p3"))
        .items()
        .map(|r| r.unwrap_or(0))
        .collect()
        .await;
    assert_eq!(from_p3, [4, 5]);
    let requests = server.received_requests().await.unwrap_or_default();
    for request in &requests {
        let tokens = request
            .url
            .query_pairs()
            .filter(|(k, _)| k == "page-token")
            .count();
        assert!(tokens <= 1, "{}", request.url);
    }
    assert_eq!(requests.len(), 3 + 1 + 3 + 1);
}

#[tokio::test]
async fn paged_call_reports_a_loop_and_an_http_error_midway() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [1], "next_page_token": "a"})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("page-token", "a"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [2], "next_page_token": "a"})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let results: Vec<Result<u64, String>> = client
        .request(Method::GET, "/me/collaborations")
        .path("/me/collaborations")
        .send_paged(
            "page-token",
            decode::json::<ItemsPage>,
            decode::json_error::<Value>,
        )
        .items()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[..2], [Ok(1), Ok(2)]);
    assert_eq!(
        results[2],
        Err("GET /me/collaborations: pagination loop: page 2 returned the next-page token \"a\", which was already requested; stopped after yielding every item received".to_owned())
    );

    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [1, 2], "next_page_token": "b"})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("page-token", "b"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "gone"})))
        .mount(&server)
        .await;
    let results: Vec<Result<u64, String>> = crate::common::client(&server.uri())
        .request(Method::GET, "/x")
        .path("/x")
        .send_paged(
            "page-token",
            decode::json::<ItemsPage>,
            decode::json_error::<Value>,
        )
        .items()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
        .await;
    assert_eq!(
        results,
        [Ok(1), Ok(2), Err("GET /x: 404 Not Found: gone".to_owned())]
    );
}

/// What a generated call type's setters do: parameters added to a `PagedCall` after it is
/// made. A page token set this way starts the walk there (resuming a listing), and later
/// pages replace it; other parameters go on every page.
#[tokio::test]
async fn setters_on_a_paged_call_resume_a_listing() {
    let server = listing_server().await;
    let client = client(&server.uri());
    let call = || {
        client
            .request(Method::GET, "/project/{project-slug}/pipeline")
            .path_slug("project-slug", "gh/acme/widgets", &[])
            .send_paged(
                "page-token",
                decode::json::<ItemsPage>,
                decode::json_error::<Value>,
            )
            .query("branch", "main")
    };
    let all: Vec<u64> = call().items().map(|r| r.unwrap_or(0)).collect().await;
    assert_eq!(all, [1, 2, 3, 4, 5]);
    // Set again, a parameter is replaced: a call can be cloned and changed.
    let other_branch = call().query("branch", "dev");
    let all: Vec<u64> = other_branch
        .clone()
        .query("branch", "main")
        .items()
        .map(|r| r.unwrap_or(0))
        .collect()
        .await;
    assert_eq!(all, [1, 2, 3, 4, 5]);
    let resumed: Vec<u64> = call()
        .query("page-token", "p/2+")
        .items()
        .map(|r| r.unwrap_or(0))
        .collect()
        .await;
    assert_eq!(resumed, [3, 4, 5]);
    // Set twice, the last token wins; the parameter is never sent twice.
    let first = call()
        .query("page-token", "p/2+")
        .query("page-token", "p3")
        .await
        .expect("the page of token p3");
    assert_eq!(first.items, [4, 5]);
    let requests = server.received_requests().await.unwrap_or_default();
    for request in &requests {
        let tokens = request
            .url
            .query_pairs()
            .filter(|(k, _)| k == "page-token")
            .count();
        assert!(tokens <= 1, "{}", request.url);
    }
    for request in &requests {
        let branches: Vec<_> = request
            .url
            .query_pairs()
            .filter(|(k, _)| k == "branch")
            .map(|(_, v)| v.into_owned())
            .collect();
        assert_eq!(branches, ["main"], "{}", request.url);
    }
    assert_eq!(requests.len(), 3 + 3 + 2 + 1);
}
