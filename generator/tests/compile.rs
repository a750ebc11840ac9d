//! The generated code of every fixture must compile without warnings (with `missing_docs`
//! denied), pass clippy with `-D warnings`, document without rustdoc warnings, and behave: the round-trip tests in
//! `tests/roundtrip/` run against it.
//!
//! All fixtures become modules of one scratch crate under `target/apigen-fixtures/`, which
//! depends on the runtime by path (and on serde, serde_json) exactly like a generated crate.
//! Files are only rewritten when they change, and the scratch crate keeps its own target
//! directory, so repeated runs are incremental.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => common::workspace_dir().join("target"),
    }
}

/// Writes `content` to `path` unless it already holds exactly that.
fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create directory");
    }
    std::fs::write(path, content).expect("write file");
}

fn run(krate: &Path, args: &[&str], envs: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", krate.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("run cargo");
    assert!(
        output.status.success(),
        "`cargo {}` failed in {}:\n{}\n{}",
        args.join(" "),
        krate.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generated_code_of_every_fixture_compiles_passes_clippy_docs_and_round_trip_tests() {
    let workspace = common::workspace_dir();
    let krate = target_dir().join("apigen-fixtures");
    let runtime = workspace.join("runtime");
    let manifest = format!(
        "[package]\nname = \"apigen-fixtures\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\napigen-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
         [dev-dependencies]\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n\
         [workspace]\n",
        runtime.display().to_string()
    );
    write_if_changed(&krate.join("Cargo.toml"), &manifest);
    if !krate.join("Cargo.lock").exists()
        && let Ok(lock) = std::fs::read_to_string(workspace.join("Cargo.lock"))
    {
        write_if_changed(&krate.join("Cargo.lock"), &lock);
    }

    // `missing_docs` is denied: every public item the generator emits carries a doc comment.
    let mut lib = String::from(
        "//! Every generator fixture, generated as a module.\n\n#![deny(missing_docs)]\n\n",
    );
    let mut modules = Vec::new();
    for (module, file, text) in common::fixtures() {
        let out = common::generate(&file, &text);
        for (path, content) in &out.files {
            write_if_changed(&krate.join("src").join(&module).join(path), content);
        }
        lib.push_str(&format!("pub mod {module};\n"));
        modules.push(module);
    }
    write_if_changed(&krate.join("src/lib.rs"), &lib);
    // Drop modules of fixtures that no longer exist.
    for entry in std::fs::read_dir(krate.join("src"))
        .expect("read src")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !modules.contains(&name) {
            std::fs::remove_dir_all(entry.path()).expect("remove stale module");
        }
    }

    // The hand-written round-trip tests run against the generated modules.
    let roundtrip = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/roundtrip");
    let mut tests = Vec::new();
    for entry in std::fs::read_dir(&roundtrip)
        .expect("read roundtrip tests")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") {
            let text = std::fs::read_to_string(entry.path()).expect("read test");
            write_if_changed(&krate.join("tests").join(&name), &text);
            tests.push(name);
        }
    }
    assert!(
        !tests.is_empty(),
        "no round-trip tests found in {}",
        roundtrip.display()
    );
    if let Ok(entries) = std::fs::read_dir(krate.join("tests")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !tests.contains(&name) {
                std::fs::remove_file(entry.path()).expect("remove stale test");
            }
        }
    }

    run(
        &krate,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    run(&krate, &["test", "--quiet"], &[]);
    run(
        &krate,
        &["doc", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}
