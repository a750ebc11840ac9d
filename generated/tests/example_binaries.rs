//! The examples as a user runs them: each example's binary, started as a process with
//! `CIRCLECI_TOKEN` and `CIRCLECI_BASE_URL` pointing at Prism, runs to the end with the exit
//! code its outcome calls for, and Prism finds nothing wrong with what it sent. Without a token, an example
//! fails with a message that names the variable, before any request.
//!
//! (`tests/examples.rs` tests the examples' logic in depth, through the functions their
//! `main`s call; this test covers what it cannot: argument and environment handling, and the
//! exit code.)
//!
//! The binaries are the ones `cargo test` builds next to this test (`target/<profile>/examples/`;
//! `cargo test` builds every example unless a single test target is selected). When they are
//! missing, they are built here, into a separate target directory.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::prism::Prism;
use support::slugs::{PROJECT_SLUG, SlugFront};

/// The directory of the example binaries built with this test, or built now.
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("no current exe: {e}"));
        // target/<profile>/deps/<this test> → target/<profile>/examples
        let beside = exe
            .parent()
            .and_then(Path::parent)
            .map(|profile| profile.join("examples"));
        if let Some(dir) = beside.filter(|dir| has_all_examples(dir)) {
            return dir;
        }
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
        target.join("debug").join("examples")
    })
}

const EXAMPLES: [&str; 3] = ["list_pipelines", "trigger_and_follow", "context_env_vars"];

fn binary(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn has_all_examples(dir: &Path) -> bool {
    EXAMPLES.iter().all(|name| binary(dir, name).is_file())
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
