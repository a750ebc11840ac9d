//! Every fixture's generated files (and warnings) as one insta snapshot per fixture.
//! Whether the snapshots compile is checked by `compile.rs`.

mod common;

#[test]
fn every_fixture_matches_its_snapshot() {
    for (module, file, text) in common::fixtures() {
        let out = common::generate(&file, &text);
        let mut snapshot = String::new();
        for w in &out.warnings {
            snapshot.push_str(&format!("{w}\n"));
        }
        for (path, content) in &out.files {
            snapshot.push_str(&format!("\n==> {path} <==\n{content}"));
        }
        insta::assert_snapshot!(format!("fixture_{module}"), snapshot);
    }
}
