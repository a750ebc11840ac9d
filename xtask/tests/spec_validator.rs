//! The spec must stay a valid OpenAPI 3.1 document, as judged by an independent validator
//! (`openapi-spec-validator`, installed by `cargo xtask test`).

use std::path::Path;
use std::process::Command;

use xtask::tools;

/// Runs the validator on `document` as OpenAPI 3.1; returns whether it passed and what it said.
fn validate(document: &Path) -> (bool, String) {
    let validator = tools::installed_spec_validator().unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(&validator)
        .args(["--schema", "3.1", "--validation-errors", "all"])
        .arg(document)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", validator.display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = out.status.success() && text.contains(&format!("{}: OK", document.display()));
    (ok, text)
}

#[test]
fn spec_is_valid_openapi_3_1() {
    let spec = tools::project_root().join("spec/circleci.yaml");
    assert!(spec.is_file(), "{} does not exist", spec.display());
    let (ok, output) = validate(&spec);
    assert!(
        ok,
        "openapi-spec-validator rejects {}:\n{output}",
        spec.display()
    );
}

/// The check above could not fail if the validator accepted anything.
#[test]
fn validator_rejects_an_invalid_document() {
    let dir = std::env::temp_dir().join(format!("xtask-spec-validator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let document = dir.join("invalid.yaml");
    std::fs::write(
        &document,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema: {type: wat}\n",
    )
    .unwrap();
    let (ok, output) = validate(&document);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!ok, "the validator accepted `type: wat`:\n{output}");
    assert!(output.contains("wat"), "{output}");
}
