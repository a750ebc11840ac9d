//! The generated code of every fixture must compile without warnings (with `missing_docs`
//! denied), pass clippy with `-D warnings`, document without rustdoc warnings, and behave: the round-trip tests in
//! `tests/roundtrip/` run against it.
//!
//! All fixtures become modules of one scratch crate under `target/apigen-fixtures/`, which
//! depends on the runtime by path (and on serde, serde_json) exactly like a generated crate.
//! Files are only rewritten when they change, and the scratch crate keeps its own target
//! directory, so repeated runs are incremental.

mod common;

use std::path::Path;

use common::{run, target_dir, write_if_changed};

#[test]
fn generated_code_of_every_fixture_compiles_passes_clippy_docs_and_round_trip_tests() {
    let krate = target_dir().join("apigen-fixtures");
    common::scratch_crate(&krate, "apigen-fixtures");

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
