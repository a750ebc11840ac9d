//! The Prism harness the contract tests stand on, tested against the real Prism with a small
//! document: it starts, answers, reports violations both ways, generates dynamic responses from
//! a seed, and leaves no process behind.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::prism::{Prism, VIOLATIONS_HEADER, exchange_problem, workspace_root};

fn fixture() -> PathBuf {
    workspace_root().join("generated/tests/fixtures/prism-harness.yaml")
}

struct Exchange {
    status: u16,
    violations: Option<String>,
    body: String,
}

impl Exchange {
    fn problem(&self) -> Option<String> {
        exchange_problem(self.status, self.violations.as_deref())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn call(request: reqwest::RequestBuilder) -> Exchange {
    let response = request.send().await.expect("Prism answers");
    let status = response.status().as_u16();
    let violations = response
        .headers()
        .get(VIOLATIONS_HEADER)
        .map(|v| v.to_str().expect("ASCII header").to_owned());
    let body = response.text().await.expect("a body");
    Exchange {
        status,
        violations,
        body,
    }
}

#[tokio::test]
async fn valid_and_invalid_exchanges_are_told_apart() {
    let prism = Prism::builder().spec(fixture()).start();
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", prism.base_url());

    let ok = call(http.get(url("/pets/7")).header("Circle-Token", "t0ken")).await;
    assert_eq!(ok.problem(), None, "{}", ok.body);
    assert_eq!(
        ok.json(),
        serde_json::json!({"id": 7, "name": "Rex", "tag": null})
    );
    let created = call(
        http.post(url("/pets"))
            .header("Circle-Token", "t0ken")
            .header("Content-Type", "application/json")
            .body(r#"{"id": 8, "name": "Fido"}"#),
    )
    .await;
    assert_eq!(
        (created.status, created.problem()),
        (201, None),
        "{}",
        created.body
    );
    prism.assert_no_problems();

    // A path parameter of the wrong type: 422 with the violation in the header.
    let invalid = call(http.get(url("/pets/seven")).header("Circle-Token", "t0ken")).await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    let violations = invalid
        .violations
        .as_deref()
        .expect("an sl-violations header");
    assert!(violations.contains("must be integer"), "{violations}");
    assert!(invalid.problem().unwrap().contains("must be integer"));

    // A body missing a required property.
    let bad_body = call(
        http.post(url("/pets"))
            .header("Circle-Token", "t0ken")
            .header("Content-Type", "application/json")
            .body(r#"{"id": 9}"#),
    )
    .await;
    assert_eq!(bad_body.status, 422, "{}", bad_body.body);
    assert!(
        bad_body
            .problem()
            .unwrap()
            .contains("required property 'name'")
    );

    // No token.
    let anonymous = call(http.get(url("/pets/7"))).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    assert!(anonymous.problem().is_some());

    let problems = prism.problems();
    let text = problems.join("\n");
    assert!(text.contains("must be integer"), "{text}");
    assert!(text.contains("required property 'name'"), "{text}");
    assert!(text.contains("Invalid security scheme"), "{text}");
}

#[tokio::test]
async fn a_response_that_contradicts_the_document_is_an_error() {
    let prism = Prism::builder().spec(fixture()).start();
    let http = reqwest::Client::new();
    let broken = call(
        http.get(format!("{}/broken", prism.base_url()))
            .header("Circle-Token", "t0ken"),
    )
    .await;
    assert_eq!(
        broken.status, 500,
        "--errors turns a response violation into a 500: {}",
        broken.body
    );
    assert!(
        broken
            .violations
            .as_deref()
            .unwrap_or("")
            .contains("response"),
        "{:?}",
        broken.violations
    );
    let problems = prism.problems().join("\n");
    assert!(
        problems.contains("get /broken") && problems.contains("not valid"),
        "{problems}"
    );

    // Without --errors the response passes with its violations in the header, and the log still
    // has them: neither check depends on the other.
    let lenient = Prism::builder().spec(fixture()).errors(false).start();
    let passed = call(
        http.get(format!("{}/broken", lenient.base_url()))
            .header("Circle-Token", "t0ken"),
    )
    .await;
    assert_eq!(passed.status, 200);
    assert!(passed.problem().unwrap().contains(VIOLATIONS_HEADER));
    let problems = lenient.problems().join("\n");
    assert!(
        problems.contains("Violation") && problems.contains("must be integer"),
        "{problems}"
    );
}

#[tokio::test]
async fn dynamic_responses_follow_the_schema_and_the_seed() {
    let http = reqwest::Client::new();
    let mut bodies = Vec::new();
    for seed in [11, 11, 12] {
        let prism = Prism::builder().spec(fixture()).dynamic(seed).start();
        let pet = call(
            http.get(format!("{}/pets/7", prism.base_url()))
                .header("Circle-Token", "t0ken"),
        )
        .await;
        assert_eq!(pet.problem(), None, "{}", pet.body);
        let json = pet.json();
        assert!(json["id"].is_i64() && json["name"].is_string(), "{json}");
        prism.assert_no_problems();
        bodies.push(json);
    }
    assert_ne!(
        bodies[0]["name"], "Rex",
        "a dynamic response is generated, not the example"
    );
    assert_eq!(
        bodies[0], bodies[1],
        "the same seed gives the same response"
    );
    assert_ne!(bodies[0], bodies[2], "another seed gives another response");
}

#[test]
fn dropping_prism_kills_its_process_group() {
    // A stand-in for Prism that starts a child of its own, like a node script may, then serves
    // HTTP; both must be gone after the drop.
    let dir = std::env::temp_dir().join(format!("prism-harness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("fake-prism");
    let child_pid_file = dir.join("child.pid");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# args: mock SPEC -h HOST -p PORT ...\nsleep 600 &\necho $! > '{}'\n\
             echo \"Prism is listening on http://127.0.0.1:$6\"\n\
             exec python3 -m http.server --bind 127.0.0.1 \"$6\"\n",
            child_pid_file.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();

    let prism = Prism::builder().spec(fixture()).program(&script).start();
    let port = prism.port();
    let pid = prism.pid() as libc::pid_t;
    let child_pid: libc::pid_t = std::fs::read_to_string(&child_pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(pid) && alive(child_pid));
    drop(prism);
    assert!(!alive(pid), "the server process is gone");
    // The grandchild is reparented to init once its parent is gone; it was in the same group.
    let gone = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        !alive(child_pid)
    });
    assert!(gone, "the process the server started is gone too");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens any more"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_prism_is_a_failure_that_says_how_to_install_it() {
    let err = Prism::builder()
        .spec(fixture())
        .program("/nonexistent/prism")
        .try_start()
        .unwrap_err();
    assert!(err.contains("cargo xtask test"), "{err}");
    let err = Prism::builder()
        .spec("/nonexistent/spec.yaml")
        .try_start()
        .unwrap_err();
    assert!(
        err.contains("/nonexistent/spec.yaml") && err.contains("CONTRACT_SPEC"),
        "{err}"
    );
}

/// Whether `pid` is a live process (a zombie, dead but not yet reaped, is not).
fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    let exists = unsafe { libc::kill(pid, 0) == 0 };
    let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z'))
    });
    exists && !zombie
}

/// `Prism::start()` serves the contract document (`CONTRACT_SPEC`, default spec/circleci.yaml).
#[tokio::test]
async fn the_contract_document_is_served() {
    let prism = Prism::start();
    let http = reqwest::Client::new();
    let me = call(
        http.get(format!("{}/me", prism.base_url()))
            .header("Circle-Token", "t0ken"),
    )
    .await;
    assert_eq!(me.problem(), None, "{}", me.body);
    assert!(me.json()["id"].is_string(), "{}", me.body);
    prism.assert_no_problems();
}
