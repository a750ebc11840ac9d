//! The examples run to the end against Prism (static responses), each through the same
//! function its `main` calls, with a client configured as `Client::from_env()` would be for
//! `CIRCLECI_BASE_URL=<Prism>`; Prism must find nothing wrong with what they send.
//!
//! Prism's static listings repeat one next-page token forever, so every listing of the
//! examples sees the repeated token: they must keep what they received and say so.
//!
//! Prism's workflows have finished at the first look, so the polling of `trigger_and_follow`
//! (status changes, time limit, an errored pipeline) is tested against a scripted HTTP server
//! (wiremock) as well.

// Each example is its own crate, loading `examples/common` once; compiled together here, the
// three load it three times.
#![allow(clippy::duplicate_mod)]

mod support;

// Each example is compiled here as a module; its `main` (and the helpers another example
// uses) are not called.
#[allow(dead_code)]
#[path = "../examples/context_env_vars.rs"]
mod context_env_vars;
#[allow(dead_code)]
#[path = "../examples/list_pipelines.rs"]
mod list_pipelines;
#[allow(dead_code)]
#[path = "../examples/trigger_and_follow.rs"]
mod trigger_and_follow;

use std::time::Duration;

use circleci_api::Client;
use circleci_api::types::{PipelineParameterValue, WorkflowStatus};
use circleci_api::uuid::Uuid;
use serde_json::{Value, json};
use support::prism::Prism;
use support::slugs::SlugFront;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client of Prism, as `Client::from_env()` builds it from `CIRCLECI_TOKEN` and
/// `CIRCLECI_BASE_URL` (read through a closure here, so the test does not depend on, or
/// change, the process environment).
fn client_of(prism: &SlugFront) -> Client {
    let base_url = prism.base_url().to_owned();
    Client::builder()
        .from_env_with(|name| match name {
            "CIRCLECI_TOKEN" => Some("example-token".to_owned()),
            "CIRCLECI_BASE_URL" => Some(base_url.clone()),
            _ => None,
        })
        .build()
        .unwrap_or_else(|e| panic!("cannot build the client: {e}"))
}

fn args(list: &[&str]) -> impl Iterator<Item = String> {
    list.iter()
        .map(|arg| (*arg).to_owned())
        .collect::<Vec<_>>()
        .into_iter()
}

fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| panic!("the examples print UTF-8: {e}"))
}

#[tokio::test]
async fn list_pipelines_pages_until_the_limit_or_the_end() {
    let prism = SlugFront::start(Prism::start());
    let client = client_of(&prism);

    let options = list_pipelines::Options::parse(args(&[
        "gh/my-org/my-repo",
        "--branch",
        "main",
        "--limit",
        "50",
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (
            options.project_slug.as_str(),
            options.branch.as_deref(),
            options.limit
        ),
        ("gh/my-org/my-repo", Some("main"), 50)
    );
    let mut out = Vec::new();
    let listed = list_pipelines::list_pipelines(&client, &options, &mut out)
        .await
        .unwrap_or_else(|e| panic!("list_pipelines failed: {e}"));
    let out = text(out);
    // Page 1 and page 2 (one pipeline each in Prism's example), then the repeated token.
    assert_eq!(listed, 2, "{out}");
    assert_eq!(
        out.lines().filter(|line| line.starts_with('#')).count(),
        2,
        "{out}"
    );
    assert!(out.contains("warning: listing cut short"), "{out}");
    assert!(out.contains("pagination loop"), "{out}");

    // Stopping at the limit fetches no further page, so the loop is never seen.
    let options = list_pipelines::Options::parse(args(&["gh/my-org/my-repo", "--limit", "1"]))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    let listed = list_pipelines::list_pipelines(&client, &options, &mut out)
        .await
        .unwrap_or_else(|e| panic!("list_pipelines failed: {e}"));
    let out = text(out);
    assert_eq!(listed, 1, "{out}");
    assert!(!out.contains("warning"), "{out}");

    prism.prism().assert_no_problems();
}

#[tokio::test]
async fn trigger_and_follow_runs_until_the_workflows_finish() {
    let prism = SlugFront::start(Prism::start());
    let options = trigger_and_follow::Options::parse(args(&[
        "gh/my-org/my-repo",
        "--branch",
        "main",
        "--param",
        "deploy=true",
        "--param",
        "replicas=3",
        "--param",
        "environment=staging",
        "--timeout",
        "1",
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        options.parameters.get("deploy"),
        Some(&PipelineParameterValue::Boolean(true))
    );
    assert_eq!(
        options.parameters.get("replicas"),
        Some(&PipelineParameterValue::Integer(3))
    );
    assert_eq!(
        options.parameters.get("environment"),
        Some(&PipelineParameterValue::String("staging".to_owned()))
    );
    let polling = trigger_and_follow::Polling {
        first_wait: Duration::from_millis(10),
        max_wait: Duration::from_millis(20),
    };

    // Prism answers with the lowest documented status, 200: no pipeline was created.
    let client = client_of(&prism);
    let mut out = Vec::new();
    let triggered = trigger_and_follow::trigger(&client, &options, &mut out)
        .await
        .unwrap_or_else(|e| panic!("trigger failed: {e}"));
    let out = text(out);
    assert!(
        matches!(triggered, trigger_and_follow::Triggered::NotCreated(_)),
        "{triggered:?}\n{out}"
    );
    assert!(out.contains("no pipeline created"), "{out}");

    // Asked for its 201 (with a header only the mock understands, on this request only), it
    // creates a pipeline, which is then followed: Prism's workflows and jobs have finished
    // ("success") at the first look.
    let preferring_201 = Client::builder()
        .token("example-token")
        .base_url(prism.base_url())
        .default_header("Prefer", "code=201")
        .build()
        .unwrap_or_else(|e| panic!("cannot build the client: {e}"));
    let mut out = Vec::new();
    let triggered = trigger_and_follow::trigger(&preferring_201, &options, &mut out)
        .await
        .unwrap_or_else(|e| panic!("trigger failed: {e}"));
    let trigger_and_follow::Triggered::Created(pipeline) = triggered else {
        panic!("expected a pipeline, got {triggered:?}\n{}", text(out));
    };
    let workflows =
        trigger_and_follow::follow(&client, pipeline, options.timeout, &polling, &mut out)
            .await
            .unwrap_or_else(|e| panic!("follow failed: {e}"));
    let out = text(out);
    assert!(!workflows.is_empty(), "{out}");
    assert!(
        workflows
            .iter()
            .all(|(_, status)| *status == WorkflowStatus::Success),
        "{workflows:?}\n{out}"
    );
    assert!(out.contains("pipeline #"), "{out}");
    assert!(
        out.contains("workflow ") && out.contains(": success"),
        "{out}"
    );
    assert!(out.contains("  job "), "{out}");

    prism.prism().assert_no_problems();
}

const PIPELINE: &str = "0b1e7c6a-3f2d-4a5b-9c8d-7e6f5a4b3c2d";
const WORKFLOW: &str = "5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f";
const JOB: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

fn pipeline_id() -> Uuid {
    PIPELINE
        .parse()
        .unwrap_or_else(|e| panic!("{PIPELINE}: {e}"))
}

fn pipeline(state: &str, errors: Value) -> Value {
    json!({
        "id": PIPELINE, "number": 7, "project_slug": "gh/my-org/my-repo",
        "created_at": "2025-10-17T10:00:00Z", "errors": errors, "state": state,
        "trigger": {
            "type": "api", "received_at": "2025-10-17T10:00:00Z",
            "actor": {"login": "alice", "avatar_url": null}
        }
    })
}

fn workflows(status: &str) -> Value {
    json!({"items": [{
        "id": WORKFLOW, "name": "build", "status": status,
        "created_at": "2025-10-17T10:00:01Z", "stopped_at": null,
        "pipeline_id": PIPELINE, "pipeline_number": 7, "project_slug": "gh/my-org/my-repo",
        "started_by": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"
    }], "next_page_token": null})
}

fn jobs(status: &str) -> Value {
    json!({"items": [{
        "id": JOB, "name": "test", "started_at": "2025-10-17T10:00:02Z", "dependencies": [],
        "project_slug": "gh/my-org/my-repo", "status": status, "type": "build", "job_number": 42
    }], "next_page_token": null})
}

/// A CircleCI stand-in that answers the polling of `follow`: `pipeline` for the pipeline, and
/// for the workflows and jobs each answer of `rounds` once, in order, then the last one forever.
async fn circleci(pipeline: Value, rounds: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/pipeline/{PIPELINE}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(pipeline))
        .mount(&server)
        .await;
    for (round, (workflow, job)) in rounds.iter().enumerate() {
        let last = round + 1 == rounds.len();
        for (route, body) in [
            (
                format!("/pipeline/{PIPELINE}/workflow"),
                workflows(workflow),
            ),
            (format!("/workflow/{WORKFLOW}/job"), jobs(job)),
        ] {
            let mock = Mock::given(method("GET"))
                .and(path(route))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                // Earlier rounds first; each once, except the last.
                .with_priority(u8::try_from(round + 1).unwrap_or(u8::MAX));
            let mock = if last { mock } else { mock.up_to_n_times(1) };
            mock.mount(&server).await;
        }
    }
    server
}

fn client_of_server(server: &MockServer) -> Client {
    Client::builder()
        .token("example-token")
        .base_url(server.uri())
        .build()
        .unwrap_or_else(|e| panic!("cannot build the client: {e}"))
}

const FAST: trigger_and_follow::Polling = trigger_and_follow::Polling {
    first_wait: Duration::from_millis(5),
    max_wait: Duration::from_millis(10),
};

#[tokio::test]
async fn follow_prints_each_change_until_the_workflows_finish() {
    let server = circleci(
        pipeline("created", json!([])),
        &[
            ("running", "queued"),
            ("running", "running"),
            ("failed", "failed"),
        ],
    )
    .await;
    let pipeline = pipeline_id();
    let mut out = Vec::new();
    let finished = trigger_and_follow::follow(
        &client_of_server(&server),
        pipeline,
        Duration::from_secs(30),
        &FAST,
        &mut out,
    )
    .await
    .unwrap_or_else(|e| panic!("follow failed: {e}"));
    let out = text(out);
    assert_eq!(
        finished,
        [("build".to_owned(), WorkflowStatus::Failed)],
        "{out}"
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "workflow build: running",
            "  job test #42: queued",
            "  job test #42: queued → running",
            "workflow build: running → failed",
            "  job test #42: running → failed",
        ]
    );
}

#[tokio::test]
async fn follow_gives_up_at_the_time_limit() {
    let server = circleci(pipeline("created", json!([])), &[("on_hold", "on_hold")]).await;
    let pipeline = pipeline_id();
    let mut out = Vec::new();
    let error = trigger_and_follow::follow(
        &client_of_server(&server),
        pipeline,
        Duration::from_millis(50),
        &FAST,
        &mut out,
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(error.contains("still running"), "{error}");
    // Polled more than once, printing each status only once.
    let requests = server.received_requests().await.unwrap_or_default();
    let polls = requests
        .iter()
        .filter(|request| request.url.path() == format!("/pipeline/{PIPELINE}"))
        .count();
    assert!(polls > 1, "polled {polls} time(s)");
    assert_eq!(text(out).matches("on_hold").count(), 2);
}

#[tokio::test]
async fn follow_stops_when_the_pipeline_errored() {
    let errors = json!([{"type": "config", "message": "jobs: test: unknown executor"}]);
    let server = circleci(pipeline("errored", errors), &[("running", "queued")]).await;
    let pipeline = pipeline_id();
    let mut out = Vec::new();
    let error = trigger_and_follow::follow(
        &client_of_server(&server),
        pipeline,
        Duration::from_secs(30),
        &FAST,
        &mut out,
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    let out = text(out);
    assert!(error.contains("errored"), "{error}");
    assert!(
        out.contains("pipeline error (config): jobs: test: unknown executor"),
        "{out}"
    );
}

#[tokio::test]
async fn context_env_vars_creates_or_finds_the_context_and_sets_variables() {
    let options = context_env_vars::Options::parse(
        args(&["gh/my-org", "deploy-secrets", "REGION=eu-west-1", "API_KEY"]),
        |name| (name == "API_KEY").then(|| "from-the-environment".to_owned()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        options.variables,
        [
            ("REGION".to_owned(), "eu-west-1".to_owned()),
            ("API_KEY".to_owned(), "from-the-environment".to_owned()),
        ]
    );
    let missing = context_env_vars::Options::parse(args(&["gh/my-org", "ctx", "UNSET"]), |_| None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(missing.contains("UNSET=VALUE"), "{missing}");

    let prism = SlugFront::start(Prism::start());
    let client = client_of(&prism);

    // Prism's contexts are all called "string": "deploy-secrets" is not found and is created.
    let mut out = Vec::new();
    let summary = context_env_vars::context_env_vars(&client, &options, &mut out)
        .await
        .unwrap_or_else(|e| panic!("context_env_vars failed: {e}"));
    let out = text(out);
    assert!(summary.created, "{summary:?}\n{out}");
    assert_eq!(
        out.matches("\nset ").count() + usize::from(out.starts_with("set ")),
        2,
        "{out}"
    );
    assert!(!summary.variables.is_empty(), "{out}");
    assert!(out.contains("variable(s) in"), "{out}");

    // A context that exists is used as it is.
    let existing = context_env_vars::Options {
        context: "string".to_owned(),
        ..options
    };
    let mut out = Vec::new();
    let summary = context_env_vars::context_env_vars(&client, &existing, &mut out)
        .await
        .unwrap_or_else(|e| panic!("context_env_vars failed: {e}"));
    let out = text(out);
    assert!(!summary.created, "{summary:?}\n{out}");
    assert!(!out.contains("created"), "{out}");

    prism.prism().assert_no_problems();
}
