//! The compatibility rules (ARCHITECTURE.md), tested the way a user meets them: code written
//! against the crate generated from `tests/compat/base.yaml` (`tests/compat/user.rs`) must
//! still compile against the crate generated after an update that only adds
//! (`additive.yaml`: an operation, a type, an enum value, a union member, a field of a
//! received type, an optional field of a sent type, an optional body, optional query parameters
//! including a page token), and must not after one that breaks (`breaking.yaml`: a required query parameter, a
//! positional argument more).

mod common;

use std::path::Path;
use std::process::Command;

/// Generates `spec` as module `api` of a scratch crate with `user.rs` beside it, and runs
/// `cargo check`; whether it compiled, and what cargo said.
fn check_against(case: &str) -> (bool, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let spec = std::fs::read_to_string(dir.join(format!("{case}.yaml"))).expect("fixture");
    let user = std::fs::read_to_string(dir.join("user.rs")).expect("user code");
    let out = apigen::generate(&spec, &common::config(&format!("compat/{case}.yaml")))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let krate = common::target_dir().join("apigen-compat").join(case);
    common::scratch_crate(&krate, &format!("compat-{case}"));
    for (path, content) in &out.files {
        common::write_if_changed(&krate.join("src/api").join(path), content);
    }
    common::write_if_changed(&krate.join("src/user.rs"), &user);
    common::write_if_changed(
        &krate.join("src/lib.rs"),
        "//! User code against a generated API.\n#![allow(dead_code)]\npub mod api;\nmod user;\n",
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["check", "--quiet"])
        .current_dir(&krate)
        // One target directory for every case: the runtime is built once.
        .env(
            "CARGO_TARGET_DIR",
            common::target_dir().join("apigen-compat/target"),
        )
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn additive_updates_keep_user_code_compiling_and_breaking_ones_do_not() {
    let (ok, said) = check_against("base");
    assert!(
        ok,
        "the user code must compile against the base document:\n{said}"
    );
    let (ok, said) = check_against("additive");
    assert!(ok, "an additive update broke user code:\n{said}");
    let (ok, said) = check_against("breaking");
    assert!(
        !ok,
        "an added positional argument should break the user code"
    );
    assert!(said.contains("list_builds"), "{said}");
    // The change report says the same.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture");
    let config = common::config("compat.yaml");
    let additive = apigen::changes(&read("base.yaml"), &read("additive.yaml"), &config).unwrap();
    assert_eq!(additive.changes.len(), 13, "{additive}");
    // Only the sent type's new field is flagged, for struct literals that list every member
    // (the user code builds it with `new`, and compiled).
    let flagged: Vec<&str> = additive
        .changes
        .iter()
        .filter(|c| c.breaking.is_some())
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(
        flagged,
        ["field `BuildRequest::priority` (`Option<i64>`)"],
        "{additive}"
    );
    let breaking = apigen::changes(&read("base.yaml"), &read("breaking.yaml"), &config).unwrap();
    assert_eq!(breaking.breaking(), 1, "{breaking}");
    assert_eq!(
        breaking.changes[0].subject, "query parameter `status` of `list_builds` (required)",
        "{breaking}"
    );
}
