//! `cargo xtask test`: every test of the project, from a machine that has only Rust, Node/npm and
//! Python. Installs the tools the tests need, then runs the formatting check, clippy, the tests
//! (including doc tests) and rustdoc, stopping at the first failure.

use std::time::{Duration, Instant};

use crate::cmd;
use crate::error::Result;
use crate::tools;

pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut steps = Steps::default();

    let prism = steps.run("install Prism (target/tools/prism)", tools::install_prism)?;
    let validator = steps.run(
        "install openapi-spec-validator (target/tools/venv)",
        tools::install_spec_validator,
    )?;
    let root = tools::project_root();
    let cargo = |args: &[&str]| {
        let mut c = cmd::cargo();
        c.current_dir(&root)
            // A caller's environment must not make a snapshot mismatch pass, nor accept a
            // new snapshot: mismatches fail, and nothing is written.
            .env_remove("INSTA_FORCE_PASS")
            .env("INSTA_UPDATE", "no")
            .env(tools::PRISM_ENV, &prism)
            .env(tools::SPEC_VALIDATOR_ENV, &validator)
            .args(args);
        c
    };
    let fmt = ["fmt", "--all", "--check"];
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    // --no-fail-fast: every failing test is reported, not only the first failing binary's.
    let test = ["test", "--workspace", "--all-targets", "--no-fail-fast"];
    let doctest = ["test", "--workspace", "--doc"];
    let doc = ["doc", "--workspace", "--no-deps"];
    for args in [&fmt[..], &clippy, &test, &doctest] {
        steps.run(&format!("cargo {}", args.join(" ")), || {
            cmd::run(&mut cargo(args))
        })?;
    }
    steps.run(
        "cargo doc --workspace --no-deps (RUSTDOCFLAGS=-D warnings)",
        || cmd::run(cargo(&doc).env("RUSTDOCFLAGS", "-D warnings")),
    )?;

    eprintln!("\nall tests passed in {}", seconds(started.elapsed()));
    for (name, took) in &steps.timings {
        eprintln!("  {:>8}  {name}", seconds(*took));
    }
    Ok(())
}

/// Runs named steps, announcing each and keeping how long it took.
#[derive(Default)]
struct Steps {
    timings: Vec<(String, Duration)>,
}

impl Steps {
    fn run<T>(&mut self, name: &str, action: impl FnOnce() -> Result<T>) -> Result<T> {
        eprintln!("\n==> {name}");
        let started = Instant::now();
        let result = action();
        self.timings.push((name.to_owned(), started.elapsed()));
        if result.is_err() {
            eprintln!("\n==> {name}: FAILED");
        }
        result
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
