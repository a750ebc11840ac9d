//! Contract tests: the generated client against Prism, an independent implementation of the
//! API document (`CONTRACT_SPEC`, default `spec/circleci.yaml`).
//!
//! Every operation of the document is called at least once (`operations.rs`), through a
//! recording proxy (`recorder.rs`) that keeps each exchange. For each call the suite checks
//! that
//! - the request is the one the document describes for that operation (method, path, only
//!   declared query parameters, a body only where one is declared), and Prism accepted it
//!   (`xtask::prism::exchange_refusal`, the judgment `cargo xtask contract` makes too: no error
//!   in `sl-violations`, no 422, no 401 as the token is sent), and nothing in Prism's log;
//! - the request carries the values the call passed (`request.rs`): each path segment, each
//!   query value and the body, matched to the method's arguments in their documented order
//!   and to the setters called by name,
//!   with no body member the request schema does not declare;
//! - nothing decoded took a fallback that re-encodes the same (`fallback.rs`): no enum value
//!   the document lists in the catch-all variant, no union member other than the one the
//!   received value matches;
//! - the response has a documented 2xx status and decoded into the client's types, and the
//!   decoded value, encoded again, holds everything the schema describes (`json.rs`);
//! - asked for its other success statuses and for an error status (`Prefer: code=…`), each
//!   operation decodes those too: an error comes back as `Error::Api` with the status and the
//!   typed error body (`ErrorResponse` or `ErrorFieldResponse`);
//!
//! first with Prism's static responses, then with dynamic responses generated from the
//! schemas for several fixed seeds. Paginated operations are walked with `.pages()` and
//! `.items()`: Prism's static responses hand out the same next-page token forever, so each
//! walk must end with `Error::PaginationLoop` after yielding both pages, and the second
//! request must carry the token.
//!
//! Calls run one after the other (so each exchange belongs to one call) on one client with
//! retries off (so each call is exactly one exchange).

#[path = "../support/mod.rs"]
mod support;

mod fallback;
mod json;
mod operations;
mod recorder;
mod request;
mod spec;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use circleci_api::{AuthScheme, Client, ClientBuilder, Error};
use heck::ToSnakeCase;
use serde_json::Value;

use operations::{Observed, Walk, WalkEnd};
use recorder::{Record, Recorder};
use spec::{Document, SpecOperation};
use support::prism::{Prism, contract_spec};

/// The seeds of the dynamic runs: each one a different, reproducible set of responses.
/// `CONTRACT_SEEDS` (comma-separated) replaces them, to explore further.
const SEEDS: [u64; 5] = [1, 7, 42, 1234, 987_654];

fn seeds() -> Vec<u64> {
    match std::env::var("CONTRACT_SEEDS") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(|seed| {
                seed.trim()
                    .parse()
                    .unwrap_or_else(|e| panic!("CONTRACT_SEEDS: {seed:?} is not a seed: {e}"))
            })
            .collect(),
        _ => SEEDS.to_vec(),
    }
}

/// Pages walked per paginated operation in the dynamic runs (their tokens never repeat).
const DYNAMIC_PAGES: usize = 3;

/// The most elements a walk reads before giving up: far more than two pages of Prism's static
/// examples, so a walk that does not end is reported instead of hanging the suite.
const WALK_LIMIT: usize = 1_000;

fn document() -> Document {
    Document::read(&contract_spec())
}

/// A client of `base_url` with retries off, so each call is one exchange.
fn contract_client(
    base_url: &str,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Client {
    configure(
        Client::builder()
            .token("contract-test-token")
            .base_url(base_url)
            .max_retries(0)
            // Strict: a response of Prism's that deviates from the document is an error, so
            // the document and the client cannot drift apart unnoticed.
            .strict(true),
    )
    .build()
    .unwrap_or_else(|e| panic!("cannot build the client: {e}"))
}

/// One run of the suite against one Prism: the exchanges checked so far and what went wrong.
struct Run<'a> {
    name: String,
    document: &'a Document,
    recorder: Recorder,
    failures: Vec<String>,
    /// Query parameters sent, by operationId.
    query_sent: BTreeMap<String, BTreeSet<String>>,
    /// Operations that were sent a request body.
    body_sent: BTreeSet<String>,
}

impl<'a> Run<'a> {
    async fn start(name: impl Into<String>, document: &'a Document, prism: &Arc<Prism>) -> Run<'a> {
        Run {
            name: name.into(),
            document,
            recorder: Recorder::start(Arc::clone(prism)).await,
            failures: Vec::new(),
            query_sent: BTreeMap::new(),
            body_sent: BTreeSet::new(),
        }
    }

    fn client(&self, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        contract_client(self.recorder.base_url(), configure)
    }

    fn fail(&mut self, what: String) {
        self.failures.push(format!("{}: {what}", self.name));
    }

    fn operation(&self, id: &str) -> &'a SpecOperation {
        self.document
            .operation(id)
            .unwrap_or_else(|| panic!("{id} is not an operation of the document"))
    }

    /// Calls every entry of the registry once, one after the other; `expected_status` says
    /// which status an operation must answer with (`None`: any documented 2xx).
    async fn call_every_operation(
        &mut self,
        client: &Client,
        only: impl Fn(&SpecOperation) -> bool,
        expected_status: impl Fn(&SpecOperation) -> Option<u16>,
    ) -> usize {
        let mut calls = 0;
        for entry in operations::operations() {
            let operation = self.operation(entry.id);
            if !only(operation) {
                continue;
            }
            let label = format!("{} ({})", entry.id, entry.method);
            let observed = (entry.call)(client.clone()).await;
            calls += 1;
            let records = self.recorder.take();
            self.check_call(
                &label,
                operation,
                &observed,
                &records,
                expected_status(operation),
            );
        }
        calls
    }

    /// Checks one call that should have made exactly one exchange.
    fn check_call(
        &mut self,
        label: &str,
        operation: &SpecOperation,
        observed: &Observed,
        records: &[Record],
        expected_status: Option<u16>,
    ) {
        if let Err(error) = &observed.outcome {
            self.fail(format!("{label}: {error}"));
        }
        // The suite decodes strictly, so nothing can have been corrected.
        if !observed.deviations.is_empty() {
            self.fail(format!(
                "{label}: corrected in strict mode: {:?}",
                observed.deviations
            ));
        }
        let Some(record) = self.single_exchange(label, records) else {
            return;
        };
        if observed
            .status
            .is_some_and(|status| status != record.status)
        {
            self.fail(format!(
                "{label}: the client reported status {:?}, the server sent {}",
                observed.status, record.status
            ));
        }
        self.check_exchange(
            label,
            operation,
            record,
            Some(&observed.arguments),
            expected_status,
            observed.outcome.as_ref().ok(),
        );
        if let (Some(debug), Ok(received)) =
            (&observed.debug, serde_json::from_str::<Value>(&record.body))
        {
            let schema = operation.response_schema(record.status);
            for problem in fallback::fallbacks(self.document, schema, &received, debug) {
                self.fail(format!("{label}: {problem}"));
            }
        }
    }

    /// The one exchange a call should have made; `None` (and a failure) when it made another
    /// number.
    fn single_exchange<'r>(&mut self, label: &str, records: &'r [Record]) -> Option<&'r Record> {
        if let [record] = records {
            return Some(record);
        }
        let exchanges: Vec<String> = records
            .iter()
            .map(|r| format!("{} {} → {}", r.method, r.target, r.status))
            .collect();
        self.fail(format!(
            "{label}: {} exchanges instead of one: {exchanges:?}",
            records.len()
        ));
        None
    }

    /// Checks one exchange of `operation`, and what the client decoded from it.
    fn check_exchange(
        &mut self,
        label: &str,
        operation: &SpecOperation,
        record: &Record,
        arguments: Option<&[operations::Passed]>,
        expected_status: Option<u16>,
        decoded: Option<&Value>,
    ) {
        self.check_request(label, operation, record, arguments);
        let status_ok = match expected_status {
            Some(expected) => record.status == expected,
            None => operation.success.contains(&record.status),
        };
        if !status_ok {
            let expected = expected_status.map_or_else(
                || format!("one of {:?}", operation.success),
                |s| s.to_string(),
            );
            self.fail(format!(
                "{label}: status {} for {} {} (expected {expected}); body: {}",
                record.status, record.method, record.target, record.body
            ));
        }
        if let Some(refusal) = support::prism::exchange_refusal(
            Some(record.status),
            record.violations.as_deref(),
            expected_status,
        ) {
            self.fail(format!(
                "{label}: {refusal}, for {} {}",
                record.method, record.target
            ));
        }
        let Some(decoded) = decoded else { return };
        match serde_json::from_str::<Value>(&record.body) {
            Ok(received) => {
                let schema = operation.response_schema(record.status);
                for difference in json::differences(self.document, schema, decoded, &received) {
                    self.fail(format!(
                        "{label}: the decoded body differs from the response at {difference}"
                    ));
                }
            }
            Err(e) => self.fail(format!(
                "{label}: decoded a body that is not JSON ({e}): {}",
                record.body
            )),
        }
    }

    /// Checks a call that was asked (with `Prefer: code=…`) for the error status `status`: it
    /// fails with `Error::Api` carrying that status, and the error body decoded into the
    /// operation's error type without losing anything its schema describes.
    fn check_error_call(
        &mut self,
        label: &str,
        operation: &SpecOperation,
        observed: &Observed,
        records: &[Record],
        status: u16,
    ) {
        let Some(record) = self.single_exchange(label, records) else {
            return;
        };
        self.check_request(label, operation, record, Some(&observed.arguments));
        if let Some(refusal) = support::prism::exchange_refusal(
            Some(record.status),
            record.violations.as_deref(),
            Some(status),
        ) {
            self.fail(format!("{label}: {refusal}"));
        }
        if record.status != status || observed.status != Some(status) || observed.outcome.is_ok() {
            self.fail(format!(
                "{label}: expected an API error with status {status}; the server sent {}, the \
                 client returned {:?} with status {:?}",
                record.status, observed.outcome, observed.status
            ));
            return;
        }
        let received: Option<Value> = serde_json::from_str(&record.body).ok();
        match (&observed.error_body, received) {
            (Some(decoded), Some(received)) => {
                let schema = operation.response_schema(status);
                for difference in json::differences(self.document, schema, decoded, &received) {
                    self.fail(format!(
                        "{label}: the decoded error body differs at {difference}"
                    ));
                }
            }
            (None, _) => self.fail(format!(
                "{label}: the error body did not decode into the operation's error type: {}",
                record.body
            )),
            (Some(_), None) => self.fail(format!(
                "{label}: the error body is not JSON: {}",
                record.body
            )),
        }
    }

    /// Checks that the request is one the document describes for `operation`, carrying the
    /// values of the call's `arguments` (when given: the first request of a call), and notes
    /// which parameters and bodies the suite has sent.
    fn check_request(
        &mut self,
        label: &str,
        operation: &SpecOperation,
        record: &Record,
        arguments: Option<&[operations::Passed]>,
    ) {
        if let Some(arguments) = arguments {
            for difference in request::differences(
                self.document,
                operation,
                arguments,
                record.routed_path(),
                &record.query(),
                record.request_body.as_deref(),
            ) {
                self.fail(format!("{label}: {difference} ({})", record.target));
            }
        }
        if record.method != operation.method || !operation.matches_path(record.routed_path()) {
            self.fail(format!(
                "{label}: sent {} {}, but the document describes {} {}",
                record.method, record.target, operation.method, operation.path
            ));
        }
        // Every slug parameter arrived as a real slug, its `/` kept (`org-slug-or-id` may
        // be given an ID instead).
        let slugs = operation.path.matches("{project-slug}").count()
            + operation.path.matches("{org-slug}").count();
        let either = operation.path.matches("{org-slug-or-id}").count();
        if !(slugs..=slugs + either).contains(&record.slugs.len()) {
            self.fail(format!(
                "{label}: sent {} with {} slug(s) whose `/` were kept, but the path {} has {slugs} slug parameter(s)",
                record.target,
                record.slugs.len(),
                operation.path
            ));
        }
        for (name, _) in record.query() {
            if !operation.query.contains(&name) {
                self.fail(format!(
                    "{label}: sent the query parameter `{name}`, which the document does not declare ({})",
                    record.target
                ));
            }
            self.query_sent
                .entry(operation.id.clone())
                .or_default()
                .insert(name);
        }
        if record.request_body.is_some() {
            if !operation.body {
                self.fail(format!(
                    "{label}: sent a body, but the document declares none"
                ));
            }
            self.body_sent.insert(operation.id.clone());
        }
    }

    /// Checks a walk through a listing: each page's exchange, and that every request after
    /// the first carried the page token the previous page returned. `pages`: whether the walk
    /// received pages (whose decoded JSON is compared), rather than items.
    fn check_walk(
        &mut self,
        label: &str,
        operation: &SpecOperation,
        walk: &Walk,
        records: &[Record],
        pages: bool,
    ) {
        if let WalkEnd::Failed(error) = &walk.end {
            self.fail(format!("{label}: {error}"));
        }
        let mut previous_token: Option<String> = None;
        for (index, record) in records.iter().enumerate() {
            let page_label = format!("{label}, page {}", index + 1);
            let decoded = if pages {
                walk.received.get(index)
            } else {
                None
            };
            // The first request carries the call's arguments; later ones add a page token.
            let arguments = (index == 0).then_some(walk.arguments.as_slice());
            self.check_exchange(&page_label, operation, record, arguments, None, decoded);
            let token_sent = record
                .query()
                .into_iter()
                .find(|(name, _)| name == "page-token")
                .map(|(_, value)| value);
            if token_sent != previous_token {
                self.fail(format!(
                    "{page_label}: sent page-token {token_sent:?}, expected {previous_token:?} ({})",
                    record.target
                ));
            }
            previous_token = serde_json::from_str::<Value>(&record.body)
                .ok()
                .and_then(|page| page["next_page_token"].as_str().map(str::to_owned));
        }
    }

    /// Fails unless every query parameter and every request body of the document was sent.
    fn check_everything_was_sent(&mut self) {
        let document = self.document;
        for operation in &document.operations {
            let sent = self
                .query_sent
                .get(&operation.id)
                .cloned()
                .unwrap_or_default();
            for name in operation.query.difference(&sent) {
                self.fail(format!(
                    "no call of {} sent its query parameter `{name}`",
                    operation.id
                ));
            }
            if operation.body && !self.body_sent.contains(&operation.id) {
                self.fail(format!("no call of {} sent a request body", operation.id));
            }
        }
    }
}

/// Calls the operations that have more than one success status once for each status after the
/// lowest, asking Prism for it with `Prefer: code=…` (Prism answers with the lowest otherwise):
/// every documented success body must decode.
async fn call_alternative_statuses(run: &mut Run<'_>) {
    let alternatives: BTreeSet<u16> = run
        .document
        .operations
        .iter()
        .flat_map(|operation| operation.success.iter().skip(1).copied())
        .collect();
    for status in alternatives {
        let preferring =
            run.client(|builder| builder.default_header("Prefer", format!("code={status}")));
        run.call_every_operation(
            &preferring,
            |operation| operation.success.iter().skip(1).any(|s| *s == status),
            |_| Some(status),
        )
        .await;
    }
}

/// Calls every operation once more, asking Prism (`Prefer: code=…`) for an error: its lowest
/// declared 4xx or 5xx status, or 404 from its `default` response. Each must come back as
/// `Error::Api` with that status and a typed body.
async fn call_with_errors(run: &mut Run<'_>) -> usize {
    let mut done = BTreeSet::new();
    for entry in operations::operations() {
        if !done.insert(entry.id) {
            continue;
        }
        let operation = run.operation(entry.id);
        let status = operation.errors.first().copied().unwrap_or(404);
        let failing =
            run.client(|builder| builder.default_header("Prefer", format!("code={status}")));
        let label = format!("{} ({}), Prefer: code={status}", entry.id, entry.method);
        let observed = (entry.call)(failing).await;
        let records = run.recorder.take();
        run.check_error_call(&label, operation, &observed, &records, status);
    }
    done.len()
}

/// Fails with every failure of every run, if there are any.
#[track_caller]
fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failure(s):\n- {}",
        failures.len(),
        failures.join("\n- ")
    );
}

/// Every operationId of the document has a call in the suite and a method named after it, and
/// every paginated operation a walk; and the other way round, nothing in the suite names an
/// operation the document does not have.
#[test]
fn the_suite_calls_every_operation_of_the_document() {
    let document = document();
    let ids: BTreeSet<&str> = document.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        document.operations.len(),
        "duplicate operationIds in the document"
    );

    let entries = operations::operations();
    let called: BTreeSet<&str> = entries.iter().map(|entry| entry.id).collect();
    let not_called: Vec<&&str> = ids.difference(&called).collect();
    let unknown: Vec<&&str> = called.difference(&ids).collect();
    assert!(
        not_called.is_empty() && unknown.is_empty(),
        "operations of the document without a contract call: {not_called:?}; contract calls of \
         operations the document does not have: {unknown:?} (tests/contract/operations.rs)"
    );
    for entry in &entries {
        assert_eq!(
            entry.method,
            entry.id.to_snake_case(),
            "the method for operationId `{}` should be its snake_case name",
            entry.id
        );
    }

    let paginated: BTreeSet<&str> = document
        .operations
        .iter()
        .filter(|operation| operation.paginated())
        .map(|operation| operation.id.as_str())
        .collect();
    let walks = operations::paginated();
    let walked: BTreeSet<&str> = walks.iter().map(|walk| walk.id).collect();
    assert_eq!(
        walked, paginated,
        "each operation with a `page-token` parameter needs exactly one walk in \
         tests/contract/operations.rs"
    );
    for walk in &walks {
        assert_eq!(walk.method, walk.id.to_snake_case());
    }
    println!(
        "{} operations, {} calls, {} paginated",
        ids.len(),
        entries.len(),
        paginated.len()
    );
}

/// Prism with its static responses: every call is valid and decodes; every listing ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_responses() {
    let started = Instant::now();
    let document = document();
    let prism = Arc::new(Prism::start());
    let mut run = Run::start("static", &document, &prism).await;
    let client = run.client(|builder| builder);

    let calls = run.call_every_operation(&client, |_| true, |_| None).await;

    call_alternative_statuses(&mut run).await;
    let error_calls = call_with_errors(&mut run).await;

    // Listings: two pages (the second requested with the first one's token), then the
    // repeated token ends the stream with PaginationLoop.
    for walk in operations::paginated() {
        let operation = run.operation(walk.id);
        for (kind, start) in [("pages()", walk.pages), ("items()", walk.items)] {
            let label = format!("{} ({}).{kind}", walk.id, walk.method);
            let result = start(client.clone(), WALK_LIMIT).await;
            let records = run.recorder.take();
            run.check_walk(&label, operation, &result, &records, kind == "pages()");
            if let Err(problem) = static_walk_end(kind, &result, &records) {
                run.fail(format!("{label}: {problem}"));
            }
        }
    }

    run.check_everything_was_sent();

    // The token also works as HTTP basic user name, the document's other security scheme.
    let basic = run.client(|builder| builder.auth(AuthScheme::Basic));
    if let Err(e) = basic.get_current_user().await {
        run.fail(format!(
            "getCurrentUser with basic authentication: {}",
            operations::describe(&e)
        ));
    }
    run.recorder.take();

    assert_no_failures(&run.failures);
    prism.assert_no_problems();

    // The checks above can fail: without a token, Prism refuses the call and logs it.
    let anonymous = contract_client(prism.base_url(), |builder| builder.auth(AuthScheme::None));
    match anonymous.get_current_user().await {
        Err(Error::Api(e)) => assert_eq!(e.status(), 401, "{e}"),
        other => panic!("a call without a token should get 401, got {other:?}"),
    }
    let problems = prism.problems().join("\n");
    assert!(
        problems.contains("Invalid security scheme"),
        "Prism should have logged the refused call: {problems}"
    );
    println!(
        "static: {calls} calls of {} operations, {error_calls} answered with an error status, {} \
         listings walked, {:.1} s",
        document.operations.len(),
        operations::paginated().len(),
        started.elapsed().as_secs_f64()
    );
}

/// How a walk against static responses must end: with a next-page token on the first page,
/// page 1 and page 2 (same token), then PaginationLoop and the end; without, one page.
fn static_walk_end(kind: &str, walk: &Walk, records: &[Record]) -> Result<(), String> {
    let first_page: Value = records
        .first()
        .and_then(|record| serde_json::from_str(&record.body).ok())
        .ok_or("no first page")?;
    let per_page = if kind == "pages()" {
        1
    } else {
        first_page["items"].as_array().map_or(0, Vec::len)
    };
    match first_page["next_page_token"]
        .as_str()
        .filter(|token| !token.is_empty())
    {
        Some(token) => {
            let ended_by_loop = matches!(
                &walk.end,
                WalkEnd::Loop { token: repeated, then_ended: true } if repeated == token
            );
            if records.len() == 2 && walk.received.len() == 2 * per_page && ended_by_loop {
                Ok(())
            } else {
                Err(format!(
                    "expected 2 requests, {} elements, then PaginationLoop on {token:?} and the end; \
                     got {} requests, {} elements, {:?}",
                    2 * per_page,
                    records.len(),
                    walk.received.len(),
                    walk.end
                ))
            }
        }
        None => {
            if records.len() == 1
                && walk.received.len() == per_page
                && matches!(walk.end, WalkEnd::Finished)
            {
                Ok(())
            } else {
                Err(format!(
                    "expected 1 request, {per_page} elements and the end; got {} requests, {} elements, {:?}",
                    records.len(),
                    walk.received.len(),
                    walk.end
                ))
            }
        }
    }
}

/// Prism generating responses from the schemas, several seeds: every call is valid, and every
/// response decodes into the client's types without losing anything the schema describes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamic_responses() {
    let document = document();
    let mut failures = Vec::new();
    for seed in seeds() {
        let started = Instant::now();
        let prism = Arc::new(Prism::builder().dynamic(seed).start());
        let mut run = Run::start(format!("seed {seed}"), &document, &prism).await;
        let client = run.client(|builder| builder);

        let calls = run.call_every_operation(&client, |_| true, |_| None).await;
        let mut pages = 0;
        for walk in operations::paginated() {
            let label = format!("{} ({}).pages()", walk.id, walk.method);
            let result = (walk.pages)(client.clone(), DYNAMIC_PAGES).await;
            let records = run.recorder.take();
            pages += records.len();
            run.check_walk(&label, run.operation(walk.id), &result, &records, true);
        }
        for problem in prism.problems() {
            run.fail(format!("Prism logged: {problem}"));
        }
        println!(
            "seed {seed}: {calls} calls and {pages} pages, {} failure(s), {:.1} s",
            run.failures.len(),
            started.elapsed().as_secs_f64()
        );
        failures.append(&mut run.failures);
    }
    assert_no_failures(&failures);
}
