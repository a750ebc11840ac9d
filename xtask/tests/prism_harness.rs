//! The Prism harness the contract tests stand on, tested against the real Prism with a small
//! document: it starts, answers, reports violations both ways, generates dynamic responses from
//! a seed, and leaves no process behind.

use std::path::PathBuf;
use std::time::Duration;

use xtask::prism::{Prism, VIOLATIONS_HEADER, workspace_root};

fn fixture() -> PathBuf {
    workspace_root().join("xtask/tests/fixtures/prism-harness.yaml")
}

const TOKEN: (&str, &str) = ("Circle-Token", "t0ken");
const JSON: (&str, &str) = ("Content-Type", "application/json");

#[test]
fn valid_and_invalid_exchanges_are_told_apart() {
    let prism = Prism::builder().spec(fixture()).start();

    let ok = prism.request("GET", "/pets/7", &[TOKEN], None);
    assert_eq!(ok.problem(), None, "{}", ok.body);
    assert_eq!(
        ok.json(),
        serde_json::json!({"id": 7, "name": "Rex", "tag": null})
    );
    let created = prism.request(
        "POST",
        "/pets",
        &[TOKEN, JSON],
        Some(r#"{"id": 8, "name": "Fido"}"#),
    );
    assert_eq!(
        (created.status, created.problem()),
        (201, None),
        "{}",
        created.body
    );
    prism.assert_no_problems();

    // A path parameter of the wrong type: 422 with the violation in the header.
    let invalid = prism.request("GET", "/pets/seven", &[TOKEN], None);
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    let violations = invalid
        .header(VIOLATIONS_HEADER)
        .expect("an sl-violations header");
    assert!(violations.contains("must be integer"), "{violations}");
    assert!(invalid.problem().unwrap().contains("must be integer"));

    // A body missing a required property.
    let bad_body = prism.request("POST", "/pets", &[TOKEN, JSON], Some(r#"{"id": 9}"#));
    assert_eq!(bad_body.status, 422, "{}", bad_body.body);
    assert!(
        bad_body
            .problem()
            .unwrap()
            .contains("required property 'name'")
    );

    // No token.
    let anonymous = prism.request("GET", "/pets/7", &[], None);
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    assert!(anonymous.problem().is_some());

    let problems = prism.problems().join("\n");
    assert!(problems.contains("must be integer"), "{problems}");
    assert!(problems.contains("required property 'name'"), "{problems}");
    assert!(problems.contains("Invalid security scheme"), "{problems}");
}

#[test]
fn a_response_that_contradicts_the_document_is_an_error() {
    let prism = Prism::builder().spec(fixture()).start();
    let broken = prism.request("GET", "/broken", &[TOKEN], None);
    assert_eq!(
        broken.status, 500,
        "--errors turns a response violation into a 500: {}",
        broken.body
    );
    let violations = broken.header(VIOLATIONS_HEADER).unwrap_or_default();
    assert!(violations.contains("response"), "{violations}");
    let problems = prism.problems().join("\n");
    assert!(
        problems.contains("get /broken") && problems.contains("not valid"),
        "{problems}"
    );

    // Without --errors the response passes with its violations in the header, and the log still
    // has them: neither check depends on the other.
    let lenient = Prism::builder().spec(fixture()).errors(false).start();
    let passed = lenient.request("GET", "/broken", &[TOKEN], None);
    assert_eq!(passed.status, 200);
    assert!(passed.problem().unwrap().contains(VIOLATIONS_HEADER));
    let problems = lenient.problems().join("\n");
    assert!(
        problems.contains("Violation") && problems.contains("must be integer"),
        "{problems}"
    );
}

#[test]
fn dynamic_responses_follow_the_schema_and_the_seed() {
    let mut bodies = Vec::new();
    for seed in [11, 11, 12] {
        let prism = Prism::builder().spec(fixture()).dynamic(seed).start();
        let pet = prism.request("GET", "/pets/7", &[TOKEN], None);
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

/// `Prism::start()` serves the contract document (`CONTRACT_SPEC`, default spec/circleci.yaml).
#[test]
fn the_contract_document_is_served() {
    let prism = Prism::start();
    let me = prism.request("GET", "/me", &[TOKEN], None);
    assert_eq!(me.problem(), None, "{}", me.body);
    assert!(me.json()["id"].is_string(), "{}", me.body);
    prism.assert_no_problems();
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
