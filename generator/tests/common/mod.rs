//! Shared by the integration tests: the fixtures and how they are generated.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `generator/tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The workspace root.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .expect("the generator lives inside the workspace")
}

/// Every fixture as (module name, file name, text), sorted by file name.
pub fn fixtures() -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .map(|p| {
            let file = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("file name")
                .to_owned();
            let module = p
                .file_stem()
                .and_then(|n| n.to_str())
                .expect("file stem")
                .to_owned();
            let text = std::fs::read_to_string(&p).expect("fixture text");
            (module, file, text)
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// The configuration the fixtures are generated with (module layout).
pub fn config(file: &str) -> apigen::Config {
    let mut config = apigen::Config::new("fixtures");
    config.command = "cargo test -p apigen".to_owned();
    config.spec_label = format!("tests/fixtures/{file}");
    config
}

/// Generates a fixture; panics with the diagnostics if it fails.
pub fn generate(file: &str, text: &str) -> apigen::Output {
    match apigen::generate(text, &config(file)) {
        Ok(out) => out,
        Err(failure) => panic!("{file}: {failure}"),
    }
}

/// The target directory the tests build scratch crates in.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_dir().join("target"),
    }
}

/// Writes `content` to `path` unless it already holds exactly that.
pub fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create directory");
    }
    std::fs::write(path, content).expect("write file");
}

/// Runs `cargo ARGS` in the scratch crate `krate` (its own target directory, no inherited
/// flags), failing the test with cargo's output if it fails.
pub fn run(krate: &Path, args: &[&str], envs: &[(&str, &str)]) {
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

/// Writes the manifest (and, the first time, the workspace's lock file) of a scratch crate at
/// `krate` that depends on the runtime by path, and on serde and serde_json, exactly like a
/// generated crate.
pub fn scratch_crate(krate: &Path, name: &str) {
    let workspace = workspace_dir();
    let runtime = workspace.join("runtime");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
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
}
