//! `cargo xtask test`: every test of the project, from a machine that has only Rust, Node/npm and
//! Python. Installs the tools the tests need, then runs the formatting check, clippy, the tests
//! (including doc tests) and rustdoc, stopping at the first failure.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd;
use crate::error::Result;
use crate::tools;

pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut timings: Vec<(String, Duration)> = Vec::new();
    let mut step = |name: &str, action: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let result = action();
        timings.push((name.to_owned(), t.elapsed()));
        if result.is_err() {
            eprintln!("\n==> {name}: FAILED");
        }
        result
    };

    let mut prism = None;
    let mut validator = None;
    step("install Prism (target/tools/prism)", &mut || {
        prism = Some(tools::install_prism()?);
        Ok(())
    })?;
    step(
        "install openapi-spec-validator (target/tools/venv)",
        &mut || {
            validator = Some(tools::install_spec_validator()?);
            Ok(())
        },
    )?;
    let with_tools = |mut c: Command| -> Command {
        if let Some(prism) = &prism {
            c.env(tools::PRISM_ENV, prism);
        }
        if let Some(validator) = &validator {
            c.env(tools::SPEC_VALIDATOR_ENV, validator);
        }
        c
    };

    let root = tools::project_root();
    let cargo = || {
        let mut c = cmd::cargo();
        c.current_dir(&root);
        c
    };
    step("cargo fmt --all --check", &mut || {
        cmd::run(cargo().args(["fmt", "--all", "--check"]))
    })?;
    step(
        "cargo clippy --workspace --all-targets -- -D warnings",
        &mut || {
            cmd::run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        },
    )?;
    // --no-fail-fast: every failing test is reported, not only the first failing binary's.
    step("cargo test --workspace --all-targets", &mut || {
        cmd::run(with_tools(cargo()).args([
            "test",
            "--workspace",
            "--all-targets",
            "--no-fail-fast",
        ]))
    })?;
    step("cargo test --workspace --doc", &mut || {
        cmd::run(with_tools(cargo()).args(["test", "--workspace", "--doc"]))
    })?;
    step(
        "cargo doc --workspace --no-deps (RUSTDOCFLAGS=-D warnings)",
        &mut || {
            cmd::run(cargo().env("RUSTDOCFLAGS", "-D warnings").args([
                "doc",
                "--workspace",
                "--no-deps",
            ]))
        },
    )?;

    eprintln!("\nall tests passed in {}", seconds(started.elapsed()));
    for (name, took) in &timings {
        eprintln!("  {:>8}  {name}", seconds(*took));
    }
    Ok(())
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
