//! The examples as a user runs them: each example's binary, started as a process with
//! `CIRCLECI_TOKEN` and `CIRCLECI_BASE_URL` pointing at Prism, runs to the end with the exit
//! code its outcome calls for, and Prism finds nothing wrong with what it sent. Without a token, an example
//! fails with a message that names the variable, before any request.
//!
//! (`tests/examples.rs` tests the examples' logic in depth, through the functions their
//! `main`s call; this test covers what it cannot: argument and environment handling, and the
//! exit code.)
//!
//! The binaries are built here (or brought up to date) into a separate target directory, so
//! they are always those of the current code.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::prism::Prism;
use support::slugs::{PROJECT_SLUG, SlugFront};

/// The directory of the example binaries, built (or brought up to date) now, into a target
/// directory of their own. (`cargo test` leaves `target/<profile>/examples/<name>` from an
/// earlier `cargo build --examples` in place, so binaries found there may be stale.)
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("no current exe: {e}"));
        let target = exe
            .parent()
            .and_then(Path::parent)
            .and_then(Path::parent)
            .map(|target| target.join("example-binaries"))
            .unwrap_or_else(|| panic!("cannot find the target directory from {}", exe.display()));
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "circleci-api",
                "--examples",
                "--target-dir",
            ])
            .arg(&target)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap_or_else(|e| panic!("cannot run cargo to build the examples: {e}"));
        assert!(status.success(), "building the examples failed: {status}");
        let dir = target.join("debug").join("examples");
        assert!(
            EXAMPLES.iter().all(|name| binary(&dir, name).is_file()),
            "examples missing from {}",
            dir.display()
        );
        dir
    })
}

const EXAMPLES: [&str; 4] = [
    "list_pipelines",
    "trigger_and_follow",
    "context_env_vars",
    "webhook_receiver",
];

fn binary(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs example `name` with `args`, the token and Prism's URL in its environment (and no other
/// CircleCI variable from the test's own environment).
fn run(name: &str, server: Option<&SlugFront>, args: &[&str]) -> Output {
    let mut command = Command::new(binary(examples_dir(), name));
    command.args(args);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CIRCLECI_") {
            command.env_remove(key);
        }
    }
    if let Some(server) = server {
        command
            .env("CIRCLECI_TOKEN", "example-token")
            .env("CIRCLECI_BASE_URL", server.base_url());
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run the example {name}: {e}"))
}

fn describe(output: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn each_example_runs_to_the_end_against_prism() {
    let prism = SlugFront::start(Prism::start());

    let output = run(
        "list_pipelines",
        Some(&prism),
        &[PROJECT_SLUG, "--limit", "1"],
    );
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.ends_with("1 pipeline(s)\n"), "{}", describe(&output));

    // Prism answers the trigger with its lowest documented status, 200 ("not created"), so
    // the example reports that and fails; following a created pipeline is covered in
    // `tests/examples.rs`, which can ask Prism for the 201.
    let output = run(
        "trigger_and_follow",
        Some(&prism),
        &[
            "gh/my-org/my-repo",
            "--branch",
            "main",
            "--param",
            "deploy=true",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("no pipeline created"),
        "{}",
        describe(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: no pipeline was created"),
        "{}",
        describe(&output)
    );

    let output = run(
        "context_env_vars",
        Some(&prism),
        &["gh-my-org", "deploy-secrets", "REGION=eu-west-1"],
    );
    assert!(output.status.success(), "{}", describe(&output));
    // Prism's static answers name everything "string": the context is created (Prism lists
    // none named `deploy-secrets`), the variable set, then the context's variables listed.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("), created\n"), "{}", describe(&output));
    assert_eq!(
        stdout
            .lines()
            .filter(|line| line.starts_with("set "))
            .count(),
        1,
        "{}",
        describe(&output)
    );
    assert!(stdout.contains(" variable(s) in "), "{}", describe(&output));

    // The project slug reached the server with its `/` kept.
    assert!(
        prism.targets().iter().any(|(target, slugs)| target
            .starts_with("/project/gh/my-org/my-repo/")
            && slugs == &[PROJECT_SLUG]),
        "{:?}",
        prism.targets()
    );
    prism.prism().assert_no_problems();
}

#[test]
fn without_a_token_an_example_says_which_variable_to_set() {
    let output = run("list_pipelines", None, &[PROJECT_SLUG]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{}", describe(&output));
    assert!(stderr.contains("CIRCLECI_TOKEN"), "{}", describe(&output));
    assert!(output.stdout.is_empty(), "{}", describe(&output));

    let output = run("list_pipelines", None, &[]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("CIRCLECI_PROJECT_SLUG"),
        "{}",
        describe(&output)
    );
}

/// Deliveries shaped like CircleCI's (the fields its webhook reference documents; the values
/// are made up), with a member CircleCI might add later.
const WORKFLOW_COMPLETED: &str = r#"{"type":"workflow-completed","id":"3888f21b-eaa7-38e3-8f3d-75a63bba8895","happened_at":"2026-11-30T09:15:00.123456Z","webhook":{"id":"cf8c4fdd-0587-4da1-b4ca-4846e9640af9","name":"builds"},"project":{"id":"84996744-a854-4f5e-aea3-04e2851dc1d2","name":"my-repo","slug":"github/my-org/my-repo"},"organization":{"id":"f22b6566-597d-46d5-ba74-99ef5bb3d85c","name":"my-org"},"pipeline":{"id":"2fa1ae5b-3ed6-4e4e-9d9b-7a0a5b8d1e11","number":130,"created_at":"2026-11-30T09:10:00.000Z","trigger":{"type":"webhook"},"vcs":{"provider_name":"github","origin_repository_url":"https://github.com/my-org/my-repo","target_repository_url":"https://github.com/my-org/my-repo","revision":"1dc6aa69429bff4806ad6afe58d3d8f57e25973e","commit":{"subject":"Add the receiver","body":"","author":{"name":"A. Dev","email":"dev@example.com"},"authored_at":"2026-11-30T09:09:00Z","committer":{"name":"A. Dev","email":"dev@example.com"},"committed_at":"2026-11-30T09:09:00Z"},"branch":"main"}},"workflow":{"id":"fda08377-fe7e-46b1-8992-3a7aaecac9c3","name":"build-and-test","created_at":"2026-11-30T09:10:00.500Z","stopped_at":"2026-11-30T09:15:00.000Z","url":"https://app.circleci.com/pipelines/github/my-org/my-repo/130/workflows/fda08377-fe7e-46b1-8992-3a7aaecac9c3","status":"success"},"added_later":{"anything":true}}"#;

const JOB_COMPLETED: &str = r#"{"type":"job-completed","id":"8bd26fc1-4f3f-3c3a-8f0b-6b1a3a4c6d55","happened_at":"2026-11-30T09:14:59.1Z","webhook":{"id":"cf8c4fdd-0587-4da1-b4ca-4846e9640af9","name":"builds"},"project":{"id":"84996744-a854-4f5e-aea3-04e2851dc1d2","name":"my-repo","slug":"circleci/f22b6566-597d-46d5-ba74-99ef5bb3d85c/84996744-a854-4f5e-aea3-04e2851dc1d2"},"organization":{"id":"f22b6566-597d-46d5-ba74-99ef5bb3d85c","name":"my-org"},"pipeline":{"id":"2fa1ae5b-3ed6-4e4e-9d9b-7a0a5b8d1e11","number":130,"created_at":"2026-11-30T09:10:00.000Z","trigger":{"type":"api"},"trigger_parameters":{"circleci":{"event_time":"2026-11-30 09:10:00.1 +0000 UTC","event_type":"create pipeline run api","trigger_type":"github_app"},"github_app":{"branch":"main","forced":"false"}}},"workflow":{"id":"fda08377-fe7e-46b1-8992-3a7aaecac9c3","name":"build-and-test","created_at":"2026-11-30T09:10:00.500Z","url":"https://app.circleci.com/pipelines/circleci/x/y/130/workflows/fda08377-fe7e-46b1-8992-3a7aaecac9c3"},"job":{"id":"a1c5e3d2-8b4f-4a6e-9c7d-0e2f1b3a5c88","name":"rust/lint","number":4521,"status":"failed","started_at":"2026-11-30T09:11:00Z","stopped_at":"2026-11-30T09:14:58Z"}}"#;

const PING: &str = r#"{"type":"ping","id":"0c9b0b0e-7d4f-4c1b-9f0e-2a1b3c4d5e6f","happened_at":"2026-11-30T08:00:00.000001Z","webhook":{"id":"cf8c4fdd-0587-4da1-b4ca-4846e9640af9","name":"builds"}}"#;

/// POSTs `body` to the receiver at `address` as CircleCI would (HTTP/1.1 on a plain
/// connection): event type and signature headers, the signature made with `secret` unless
/// `signature` gives the header's value (empty: no header). Returns the status.
fn deliver(
    address: &str,
    event_type: &str,
    body: &str,
    secret: &str,
    signature: Option<&str>,
) -> u16 {
    use std::io::{Read, Write};
    let signature = signature.map_or_else(
        || {
            format!(
                "v1={}",
                circleci_api::runtime::webhook::sign(
                    body.as_bytes(),
                    &circleci_api::webhooks::WebhookSecret::from(secret)
                )
            )
        },
        str::to_owned,
    );
    let signature_line = if signature.is_empty() {
        String::new()
    } else {
        format!("circleci-signature: {signature}\r\n")
    };
    let request = format!(
        "POST /circleci HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         user-agent: CircleCI-Webhook/1.0\r\ncircleci-event-type: {event_type}\r\n\
         {signature_line}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(address)
        .unwrap_or_else(|e| panic!("cannot connect to the receiver at {address}: {e}"));
    stream
        .write_all(request.as_bytes())
        .expect("send the delivery");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read the answer");
    response
        .split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

#[test]
fn the_webhook_receiver_accepts_signed_deliveries_and_refuses_the_rest() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let secret = "webhook-signing-secret";
    let mut child = Command::new(binary(examples_dir(), "webhook_receiver"))
        .arg("127.0.0.1:0")
        .env("CIRCLECI_WEBHOOK_SECRET", secret)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the webhook receiver: {e}"));
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .expect("the receiver's first line");
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();

    let statuses = [
        deliver(
            &address,
            "workflow-completed",
            WORKFLOW_COMPLETED,
            secret,
            None,
        ),
        deliver(&address, "job-completed", JOB_COMPLETED, secret, None),
        deliver(&address, "ping", PING, secret, None),
        // An event type CircleCI may add later: accepted, kept raw.
        deliver(
            &address,
            "pipeline-exploded",
            r#"{"type":"pipeline-exploded"}"#,
            secret,
            None,
        ),
        // A wrong secret, a tampered body, no signature, a garbled one.
        deliver(&address, "ping", PING, "another-secret", None),
        deliver(
            &address,
            "ping",
            &PING.replace("builds", "b"),
            secret,
            Some(&format!(
                "v1={}",
                circleci_api::runtime::webhook::sign(
                    PING.as_bytes(),
                    &circleci_api::webhooks::WebhookSecret::from(secret)
                )
            )),
        ),
        deliver(&address, "ping", PING, secret, Some("")),
        deliver(&address, "ping", PING, secret, Some("v1=not-hex")),
        // A genuine signed delivery whose unsigned header names another event type.
        deliver(&address, "job-completed", WORKFLOW_COMPLETED, secret, None),
        // Signed, but not what a ping carries (a missing member would get a fallback; an id
        // that is not a UUID cannot).
        deliver(
            &address,
            "ping",
            r#"{"type":"ping","id":"not-a-uuid"}"#,
            secret,
            None,
        ),
    ];
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(statuses, [204, 204, 204, 204, 401, 401, 401, 401, 401, 400]);

    let mut printed = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut printed).expect("the receiver's output");
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        [
            "workflow build-and-test of github/my-org/my-repo pipeline #130 finished: success",
            "job rust/lint (#4521) of workflow build-and-test in circleci/f22b6566-597d-46d5-ba74-99ef5bb3d85c/84996744-a854-4f5e-aea3-04e2851dc1d2 finished: failed",
            "ping for webhook builds",
            "an event this client does not know: pipeline-exploded",
        ],
        "{printed}"
    );
    let mut errors = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut errors).expect("stderr");
    }
    assert!(!errors.contains(secret), "{errors}");
    assert_eq!(errors.matches("refused: ").count(), 6, "{errors}");
}
