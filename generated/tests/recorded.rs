//! Real CircleCI responses (and fixtures of other clients written to the shape production
//! sends), decoded by the generated client through the same code path as a real call: each
//! body is served by a loopback server with its recorded status and content type, and the
//! client's method for its operation is called. `tests/recorded/index.json` lists the bodies
//! with their operation, status and source; `tests/recorded/SOURCES.md` says where each
//! source comes from, its licence and commit, and whether its bodies were recorded from the
//! server or written by hand.
//!
//! For each body:
//! - in the default (tolerant) mode the call succeeds (an error status: the error body
//!   decodes into the operation's error type, and the message is read);
//! - the deviations corrected are exactly those listed for it in `expected.json`;
//! - in strict mode the call succeeds when none are listed, and otherwise fails to decode at
//!   one of the listed paths;
//! - decoding the client's own encoding of what it decoded gives the same value again, with
//!   nothing to correct: nothing is lost on the round trip.

mod support;

#[path = "contract/operations.rs"]
#[allow(dead_code)]
mod operations;

use std::collections::BTreeMap;
use std::path::PathBuf;

use circleci_api::Client;
use serde::Deserialize;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Deserialize)]
struct Entry {
    file: String,
    operation: String,
    status: u16,
    content_type: String,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recorded")
}

fn read_json<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid: {e}", path.display()))
}

/// Serves `body` with `status` and `content_type` to every request; calls `operation` with a
/// client of that server.
async fn call(
    operation: &operations::Operation,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    strict: bool,
) -> operations::Observed {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("recorded-test-token")
        .base_url(server.uri())
        .max_retries(0)
        .strict(strict)
        .build()
        .unwrap_or_else(|e| panic!("cannot build the client: {e}"));
    (operation.call)(client).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_bodies_decode() {
    let entries: Vec<Entry> = read_json("index.json");
    let expected: BTreeMap<String, Vec<String>> = read_json("expected.json");
    let operations = operations::operations();
    let mut failures = Vec::new();
    let mut actual = BTreeMap::new();
    let (mut sources, mut ids, mut corrected) = (
        std::collections::BTreeSet::new(),
        std::collections::BTreeSet::new(),
        0,
    );
    for entry in &entries {
        let label = format!("{} ({} {})", entry.file, entry.operation, entry.status);
        let Some(operation) = operations.iter().find(|o| o.id == entry.operation) else {
            failures.push(format!("{label}: the suite has no call of this operation"));
            continue;
        };
        sources.insert(entry.file.split('/').next().unwrap_or_default().to_owned());
        ids.insert(entry.operation.clone());
        let body = std::fs::read(dir().join(&entry.file))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", entry.file));
        let tolerant = call(
            operation,
            entry.status,
            &entry.content_type,
            body.clone(),
            false,
        )
        .await;
        if tolerant.status != Some(entry.status) {
            failures.push(format!("{label}: status {:?}", tolerant.status));
        }
        if !(200..300).contains(&entry.status) {
            // An error status: the typed error body and the message.
            if tolerant.error_body.is_none() || tolerant.message.is_none() {
                failures.push(format!(
                    "{label}: the error body did not decode ({:?}) or gave no message ({:?})",
                    tolerant.error_body, tolerant.message
                ));
            }
            continue;
        }
        let decoded = match &tolerant.outcome {
            Ok(decoded) => decoded.clone(),
            Err(e) => {
                failures.push(format!("{label}: does not decode: {e}"));
                continue;
            }
        };
        let listed = expected.get(&entry.file).cloned().unwrap_or_default();
        if tolerant.deviations != listed {
            failures.push(format!(
                "{label}: corrected {:?}, expected {:?}",
                tolerant.deviations, listed
            ));
        }
        if !tolerant.deviations.is_empty() {
            corrected += 1;
            actual.insert(entry.file.clone(), tolerant.deviations.clone());
        }
        let strict = call(operation, entry.status, &entry.content_type, body, true).await;
        match (&strict.outcome, listed.is_empty()) {
            (Ok(_), true) => {}
            (Ok(_), false) => failures.push(format!(
                "{label}: strict mode accepted a body with deviations {listed:?}"
            )),
            (Err(e), true) => failures.push(format!("{label}: strict mode refused it: {e}")),
            (Err(e), false) => {
                // The error names a corrected member (its last path segment), or is a union's
                // "no variant matched" (its variants each needed a correction).
                let names_one = listed.iter().any(|d| {
                    let path = d.split_once(' ').map_or("", |(_, p)| p);
                    let member = path.rsplit(['.', ']']).next().unwrap_or(path);
                    e.contains(&format!("`{member}`"))
                });
                if !names_one && !e.contains("did not match any variant") {
                    failures.push(format!(
                        "{label}: strict mode failed elsewhere than at a listed deviation {listed:?}: {e}"
                    ));
                }
            }
        }
        // The round trip: what the client encodes decodes to the same, with nothing to correct.
        let again = call(
            operation,
            entry.status,
            "application/json",
            serde_json::to_vec(&decoded).unwrap_or_default(),
            true,
        )
        .await;
        match &again.outcome {
            Ok(value) if value == &decoded => {}
            Ok(value) => failures.push(format!(
                "{label}: the round trip changed the value:\n  first  {decoded}\n  second {value}"
            )),
            Err(e) => failures.push(format!(
                "{label}: the client's own encoding does not decode: {e}"
            )),
        }
    }
    // Every listed expectation belongs to a body.
    for file in expected.keys() {
        if !entries.iter().any(|e| &e.file == file) {
            failures.push(format!(
                "expected.json names {file}, which index.json does not list"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n- {}\n\nthe deviations found (for expected.json):\n{}",
        failures.len(),
        failures.join("\n- "),
        serde_json::to_string_pretty(&actual).unwrap_or_default()
    );
    // What the suite must cover.
    assert!(entries.len() >= 30, "{} bodies", entries.len());
    assert!(sources.len() >= 3, "{sources:?}");
    assert!(ids.len() >= 20, "{} operations", ids.len());
    println!(
        "recorded: {} bodies from {} sources, {} operations; {corrected} corrected",
        entries.len(),
        sources.len(),
        ids.len()
    );
}
