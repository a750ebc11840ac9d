//! Shared by the integration tests: the fixtures and how they are generated.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
