//! Each request runs in a span with method, path template, attempt, status and wait; nothing
//! recorded contains the token or the filled-in path. (Its own test binary, so its
//! subscriber sees every callsite.)

#[path = "http/common.rs"]
mod common;

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use apigen_runtime::{Method, decode};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records every span name, field and event as text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut Vec<String>, &'a str);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0
            .push(format!("{}: {}={:?}", self.1, field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut lines = self.lines.lock().expect("lock");
        lines.push(format!("span {}", span.metadata().name()));
        span.record(&mut Fields(&mut lines, span.metadata().name()));
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut lines = self.lines.lock().expect("lock");
        values.record(&mut Fields(&mut lines, "record"));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut lines = self.lines.lock().expect("lock");
        event.record(&mut Fields(&mut lines, "event"));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn spans_name_the_request_and_never_the_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());

    let recorder = Recorder::default();
    let guard = tracing::subscriber::set_default(recorder.clone());
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/secret-org/secret-repo", &[])
        .path("/pipeline")
        .query_styled("branch", "secret-branch", Default::default())
        .send(decode::json::<Value>, decode::json_error::<Value>)
        .await
        .expect("succeeds on the second attempt");
    drop(guard);

    let lines = recorder.lines.lock().expect("lock").clone();
    let all = lines.join("\n");
    for expected in [
        "span apigen.request",
        "apigen.request: method=GET",
        "apigen.request: path=\"/project/{project-slug}/pipeline\"",
        "record: attempt=1",
        "record: status=503",
        "record: attempt=2",
        "record: status=200",
        "event: message=retrying after status",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l == expected || l.starts_with(expected)),
            "missing {expected:?} in:\n{all}"
        );
    }
    assert!(
        lines.iter().any(|l| l.starts_with("record: wait_ms=")),
        "{all}"
    );
    for secret in [common::TOKEN, "secret-org", "secret-branch"] {
        assert!(!all.contains(secret), "{secret:?} recorded:\n{all}");
    }
}
