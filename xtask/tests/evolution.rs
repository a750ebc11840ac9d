//! What a spec update that only adds does to code written against `circleci-api`: nothing.
//!
//! `spec/circleci.yaml` gets what updates usually bring: an optional query parameter on every
//! operation, an optional property on every object schema, a value on every string enum, and
//! one new operation. The crate is generated from the edited document into a scratch copy of
//! `generated/` (its `lib.rs` docs, README and examples as they are), and its examples and doc
//! tests must still build. The same copy after a breaking edit (an optional parameter the
//! examples set made required) must not, so the check can fail.
//!
//! The scratch crate builds in `target/example-binaries`, the target directory
//! `generated/tests/example_binaries.rs` builds the examples in, so the dependencies are
//! compiled once for both.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::{Mapping, Value};
use xtask::codegen::Job;
use xtask::tools::project_root;

fn key(name: &str) -> Value {
    Value::String(name.to_owned())
}

/// Adds to every object schema with properties an optional `probe_field`, and to every string
/// enum of two values or more a `probe-value`, anywhere in `node` (examples left alone; a
/// one-value enum is a constant, such as a union member's tag, not a list that grows).
fn add_members(node: &mut Value) -> (usize, usize) {
    let mut added = (0, 0);
    match node {
        Value::Mapping(map) => {
            if map.get("type") == Some(&key("object"))
                && let Some(Value::Mapping(properties)) = map.get_mut("properties")
                && !properties.contains_key("probe_field")
            {
                properties.insert(
                    key("probe_field"),
                    serde_yaml::from_str("{type: string, description: Added by an update.}")
                        .expect("schema"),
                );
                added.0 += 1;
            }
            let constant = map.contains_key("const");
            if let Some(Value::Sequence(values)) = map.get_mut("enum")
                && !constant
                && values.len() > 1
                && values.iter().all(Value::is_string)
            {
                values.push(key("probe-value"));
                added.1 += 1;
            }
            for (name, value) in map.iter_mut() {
                if name != &key("example") && name != &key("examples") {
                    let (objects, enums) = add_members(value);
                    added.0 += objects;
                    added.1 += enums;
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                let (objects, enums) = add_members(item);
                added.0 += objects;
                added.1 += enums;
            }
        }
        _ => {}
    }
    added
}

/// The document after an update that only adds; how many operations got a parameter.
fn additive(text: &str) -> (String, usize) {
    let mut doc: Value = serde_yaml::from_str(text).expect("the spec is YAML");
    let mut operations = 0;
    let paths = doc
        .get_mut("paths")
        .and_then(Value::as_mapping_mut)
        .expect("paths");
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else {
            continue;
        };
        for method in ["get", "put", "post", "delete", "patch"] {
            let Some(Value::Mapping(op)) = item.get_mut(method) else {
                continue;
            };
            let parameters = op
                .entry(key("parameters"))
                .or_insert_with(|| Value::Sequence(Vec::new()));
            if let Value::Sequence(list) = parameters {
                list.push(
                    serde_yaml::from_str(
                        "{name: probe-param, in: query, description: Added by an update., schema: {type: string}}",
                    )
                    .expect("parameter"),
                );
                operations += 1;
            }
        }
    }
    paths.insert(
        key("/probe/{probe-id}"),
        serde_yaml::from_str(
            "get:\n  operationId: getProbe\n  summary: Added by an update\n  tags: [Probe]\n  \
             parameters:\n    - {name: probe-id, in: path, required: true, schema: {type: string}}\n  \
             responses:\n    '200':\n      description: The probe.\n      content:\n        \
             application/json:\n          schema: {type: object, properties: {id: {type: string}}}\n",
        )
        .expect("operation"),
    );
    let (objects, enums) = add_members(&mut doc);
    assert!(
        objects > 100 && enums > 20,
        "{objects} objects, {enums} enums"
    );
    (serde_yaml::to_string(&doc).expect("YAML"), operations)
}

/// The document with the `branch` parameter of `listPipelinesForProject`, which the
/// `list_pipelines` example sets, made required: a positional argument more.
fn breaking(text: &str) -> String {
    let mut doc: Value = serde_yaml::from_str(text).expect("the spec is YAML");
    let op = doc
        .get_mut("paths")
        .and_then(|p| p.get_mut("/project/{project-slug}/pipeline"))
        .and_then(|p| p.get_mut("get"))
        .expect("listPipelinesForProject");
    assert_eq!(op["operationId"], key("listPipelinesForProject"));
    let mut branch: Mapping =
        serde_yaml::from_str("{name: branch, in: query, required: true, schema: {type: string}}")
            .expect("parameter");
    branch.insert(key("description"), key("Now required."));
    let list = op
        .get_mut("parameters")
        .and_then(Value::as_sequence_mut)
        .expect("parameters");
    let before = list.len();
    list.retain(|p| {
        p.get("name") != Some(&key("branch"))
            && p.get("$ref") != Some(&key("#/components/parameters/Branch"))
    });
    assert!(
        list.len() < before,
        "listPipelinesForProject has no branch parameter"
    );
    list.push(Value::Mapping(branch));
    serde_yaml::to_string(&doc).expect("YAML")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            write_if_changed(&target, &std::fs::read_to_string(&path).expect("read"));
        }
    }
}

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        std::fs::write(path, content).expect("write");
    }
}

/// A workspace holding a copy of `generated/` (without its tests), with the workspace's
/// dependency table, profiles and lock file, so that it builds with the same dependencies.
fn scratch_workspace(dir: &Path) -> PathBuf {
    let root = project_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let mut out = String::new();
    for line in manifest.lines() {
        let line = if line.starts_with("members = ") {
            "members = [\"circleci-api\"]".to_owned()
        } else if line.starts_with("default-members = ") {
            continue;
        } else if let Some((name, rest)) = line.split_once(" = { path = \"") {
            let (path, tail) = rest.split_once('"').expect("a quoted path");
            let path = if path == "generated" {
                "circleci-api".to_owned()
            } else {
                root.join(path).to_string_lossy().into_owned()
            };
            format!("{name} = {{ path = {path:?}{tail}")
        } else {
            line.to_owned()
        };
        out.push_str(&line);
        out.push('\n');
    }
    write_if_changed(&dir.join("Cargo.toml"), &out);
    write_if_changed(
        &dir.join("Cargo.lock"),
        &std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock"),
    );
    let krate = dir.join("circleci-api");
    let generated = root.join("generated");
    for file in ["Cargo.toml", "README.md", "src/lib.rs"] {
        write_if_changed(
            &krate.join(file),
            &std::fs::read_to_string(generated.join(file)).expect("read"),
        );
    }
    copy_dir(&generated.join("examples"), &krate.join("examples"));
    krate
}

/// Generates `spec` into the scratch crate's `src/api/` (as `cargo xtask generate` does: only
/// changed files are written, generated files no longer produced are deleted).
fn generate_into(krate: &Path, spec: &str) {
    let job = Job::workspace();
    let out = apigen::generate(spec, &job.config).unwrap_or_else(|e| panic!("{e}"));
    xtask::sync::sync(&krate.join("src/api"), &out.files, xtask::sync::Mode::Write)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// `cargo <args>` in `krate`, in the shared target directory; whether it passed, and what it
/// said.
fn cargo(krate: &Path, args: &[&str]) -> (bool, String) {
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/deps/<test> → target/example-binaries
    let target = exe
        .ancestors()
        .nth(3)
        .map(|target| target.join("example-binaries"))
        .expect("the target directory");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .arg("--quiet")
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// The breaking changes of `report` other than a new field of a struct requests carry (which
/// breaks only a literal that lists every member).
fn unconditionally_breaking(report: &apigen::Changes) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.breaking.is_some())
        .filter(|c| !(c.subject.starts_with("field `") && c.subject.contains("::probe_field`")))
        .count()
}

#[test]
fn examples_and_doc_tests_survive_an_additive_update_and_not_a_breaking_one() {
    let spec = std::fs::read_to_string(project_root().join("spec/circleci.yaml")).expect("spec");
    let dir = xtask::tools::target_dir().join("apigen-evolution");
    let krate = scratch_workspace(&dir);

    let (updated, operations) = additive(&spec);
    assert!(operations > 100, "{operations} operations");
    // The change report sees an update that breaks nothing but struct literals that list
    // every member of a type requests carry (the examples build those with `new` or
    // `..Default::default()`).
    let report = apigen::changes(&spec, &updated, &Job::workspace().config)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unconditionally_breaking(&report), 0, "{report}");
    assert!(report.changes.len() > operations, "{report}");

    generate_into(&krate, &updated);
    let (ok, said) = cargo(&krate, &["build", "--examples"]);
    assert!(
        ok,
        "the examples do not build after an additive update:\n{said}"
    );
    let (ok, said) = cargo(&krate, &["test", "--doc"]);
    assert!(
        ok,
        "the doc tests do not pass after an additive update:\n{said}"
    );
    let api = std::fs::read_to_string(krate.join("src/api/operations/pipeline.rs")).expect("api");
    assert!(
        api.contains("pub fn probe_param(self"),
        "the update was not applied"
    );

    let broken = breaking(&spec);
    let report =
        apigen::changes(&spec, &broken, &Job::workspace().config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unconditionally_breaking(&report), 1, "{report}");
    generate_into(&krate, &broken);
    let (ok, said) = cargo(&krate, &["build", "--examples"]);
    assert!(!ok, "the examples still build after a breaking update");
    assert!(said.contains("list_pipelines_for_project"), "{said}");
}
