//! The generator never panics on broken input: it returns `Ok` or `Err` with diagnostics.
//!
//! Mutates the fixtures and `spec/circleci.yaml` in-process (deleting keys, replacing nodes
//! with odd values, adding `$ref`s to random places — often cyclic —, renaming keys to awkward
//! names, copying subtrees), with a fixed seed so failures reproduce. A mutant that panics is
//! written to `target/apigen-mutants/` for inspection.

mod common;

use serde_json::{Value, json};

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("??"),
        json!("null"),
        json!([]),
        json!({}),
        json!([null]),
        json!({"$ref": "#/nope"}),
        json!(true),
        json!("x".repeat(300)),
        json!({"type": "wat"}),
        json!({"type": ["string", "integer", "null"]}),
        json!({"allOf": []}),
        json!({"oneOf": [{}]}),
        json!({"$ref": "#"}),
        json!({"enum": []}),
        json!({"enum": [null, "", 1, "a-b", "A_B", "a b"]}),
        json!("\u{0}"),
        json!("é—ü"),
        json!({"type": "object", "properties": {"self": {"type": "null"}}}),
        json!({"oneOf": [{"type": "null"}]}),
        json!({"discriminator": {"propertyName": "x"}, "oneOf": [{"$ref": "#"}]}),
    ]
}

fn paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if !prefix.is_empty() {
        out.push(prefix.clone());
    }
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                prefix.push(k.clone());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                prefix.push(i.to_string());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn mutate(doc: &Value, rng: &mut Rng) -> Value {
    let mut doc = doc.clone();
    let odd = odd_values();
    for _ in 0..=rng.below(3) {
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        if all.is_empty() {
            break;
        }
        let path = all[rng.below(all.len())].clone();
        let (parent_path, key) = path.split_at(path.len() - 1);
        let key = key[0].clone();
        let kind = rng.below(100);
        let src = doc
            .pointer(&pointer(&all[rng.below(all.len())]))
            .cloned()
            .unwrap_or(Value::Null);
        let target = pointer(&all[rng.below(all.len())]);
        let Some(parent) = doc.pointer_mut(&pointer(parent_path)) else {
            continue;
        };
        match parent {
            Value::Object(m) => {
                if kind < 25 {
                    m.remove(&key);
                } else if kind < 60 {
                    m.insert(key, odd[rng.below(odd.len())].clone());
                } else if kind < 75 {
                    m.insert(key, json!({ "$ref": format!("#{target}") }));
                } else if kind < 85 {
                    let names = [
                        "type", "", "-", "1abc", "self", "Self", "crate", "r#type", "a.b", "$x",
                    ];
                    if let Some(v) = m.remove(&key) {
                        m.insert(names[rng.below(names.len())].to_owned(), v);
                    }
                } else {
                    m.insert(key, src);
                }
            }
            Value::Array(a) => {
                let i: usize = key.parse().unwrap_or(0);
                if i < a.len() {
                    a[i] = if kind < 50 {
                        odd[rng.below(odd.len())].clone()
                    } else {
                        src
                    };
                }
            }
            _ => {}
        }
    }
    doc
}

/// The documents mutated: every fixture, and `spec/circleci.yaml` when asked for.
fn seeds(with_circleci: bool) -> Vec<(String, Value)> {
    let mut seeds: Vec<(String, Value)> = common::fixtures()
        .into_iter()
        .map(|(_, file, text)| {
            let v: Value = serde_yaml::from_str(&text).expect("fixture parses");
            (file, v)
        })
        .collect();
    if with_circleci {
        let text = std::fs::read_to_string(common::workspace_dir().join("spec/circleci.yaml"))
            .expect("spec/circleci.yaml");
        seeds.push((
            "circleci.yaml".to_owned(),
            serde_yaml::from_str(&text).expect("spec parses"),
        ));
    }
    seeds
}

/// What the emitter writes for a name it could not turn into an identifier (a generator bug).
const PLACEHOLDER: &str = "invalid_identifier";

#[test]
fn mutated_documents_never_panic() {
    // More mutations per seed with APIGEN_MUTATIONS=N (the default keeps `cargo test` quick).
    let per_seed: usize = std::env::var("APIGEN_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let seeds = seeds(true);
    let mut rng = Rng(0x2026_1124_DEAD_BEEF);
    let (mut generated, mut refused) = (0, 0);
    // Mutants on which the generator misbehaved: panicked, reported a bug of its own (a
    // caught panic or output that does not parse), or emitted a placeholder identifier.
    let mut failed: Vec<String> = Vec::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-mutants");
    let mut keep = |file: &str, i: usize, text: &str, why: String| {
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{file}.{i}.json"));
        let _ = std::fs::write(&path, text);
        failed.push(format!("{}: {why}", path.display()));
    };
    for (file, doc) in &seeds {
        for i in 0..per_seed {
            let mutant = mutate(doc, &mut rng);
            let text = serde_json::to_string(&mutant).expect("serializes");
            let config = common::config(file);
            match std::panic::catch_unwind(|| apigen::generate(&text, &config)) {
                Ok(Ok(out)) => {
                    generated += 1;
                    // The contract probe of a document that generates is made too, without
                    // panicking or reporting a bug of its own.
                    match std::panic::catch_unwind(|| apigen::probe(&text, &config)) {
                        Ok(Ok(_)) => {}
                        Ok(Err(failure)) => keep(file, i, &text, format!("probe: {failure}")),
                        Err(_) => keep(file, i, &text, "the probe panicked".to_owned()),
                    }
                    if let Some((path, _)) = out
                        .files
                        .iter()
                        .find(|(_, code)| code.contains(PLACEHOLDER))
                    {
                        keep(file, i, &text, format!("placeholder identifier in {path}"));
                    }
                }
                Ok(Err(failure)) => {
                    assert!(!failure.errors.is_empty());
                    for e in &failure.errors {
                        assert!(e.pointer.starts_with('#'), "{e}");
                    }
                    match failure
                        .errors
                        .iter()
                        .find(|e| e.severity == apigen::Severity::Bug)
                    {
                        Some(bug) => keep(file, i, &text, bug.to_string()),
                        None => refused += 1,
                    }
                }
                Err(_) => keep(file, i, &text, "panicked".to_owned()),
            }
        }
    }
    println!(
        "generated {generated}, refused {refused}, failed {}",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "the generator misbehaved on: {failed:#?}"
    );
    assert!(
        generated > 0 && refused > 0,
        "the mutations should produce both outcomes"
    );
}

/// What the generator accepts must build: two generated mutants of every fixture become
/// modules of one scratch crate (`target/apigen-mutant-sample/`, each module with the mutant
/// it came from as `mutant.json`), which must compile without warnings.
#[test]
fn a_sample_of_generated_mutants_compiles() {
    let krate = common::target_dir().join("apigen-mutant-sample");
    common::scratch_crate(&krate, "apigen-mutant-sample");
    let mut rng = Rng(0x2026_1204_C0DE_CAFE);
    let mut lib = String::from("//! Generated mutants of the generator fixtures.\n\n");
    let mut modules = Vec::new();
    for (file, doc) in seeds(false) {
        let stem = file.split('.').next().unwrap_or("fixture").to_owned();
        let mut taken = 0;
        for i in 0..40 {
            let mutant = mutate(&doc, &mut rng);
            let text = serde_json::to_string_pretty(&mutant).expect("serializes");
            let Ok(out) = apigen::generate(&text, &common::config(&file)) else {
                continue;
            };
            let module = format!("{stem}_{i}");
            let dir = krate.join("src").join(&module);
            for (path, content) in &out.files {
                common::write_if_changed(&dir.join(path), content);
            }
            common::write_if_changed(&dir.join("mutant.json"), &text);
            lib.push_str(&format!("pub mod {module};\n"));
            modules.push(module);
            taken += 1;
            if taken == 2 {
                break;
            }
        }
    }
    assert!(
        modules.len() >= 20,
        "too few mutants generated: {modules:?}"
    );
    common::write_if_changed(&krate.join("src/lib.rs"), &lib);
    for entry in std::fs::read_dir(krate.join("src"))
        .expect("read src")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !modules.contains(&name) {
            std::fs::remove_dir_all(entry.path()).expect("remove stale module");
        }
    }
    common::run(
        &krate,
        &["check", "--quiet"],
        &[("RUSTFLAGS", "-D warnings")],
    );
}

#[test]
fn degenerate_inputs() {
    for text in [
        "",
        " ",
        "null",
        "[]",
        "{}",
        "42",
        "\"openapi\"",
        "openapi: 3.1.0",
        "openapi: 3.1.0\npaths: 5",
        "openapi: 3.0.0\ninfo: 5\npaths: {}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A'}}}",
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {content: {a/b: {schema: {$ref: '#/paths'}}}}}}}}}",
        "a: &a [*a]",
        "a: &x {b: 1}\nc: *x\nopenapi: 3.1.0\npaths: {}",
        "openapi: !!binary aGVsbG8=\npaths: {}",
        "{\"openapi\": \"3.1.0\", \"paths\": {\"/\": {\"get\": {\"responses\": {\"default\": {\"$ref\": \"#/paths/~1/get/responses/default\"}}}}}}",
    ] {
        let result = std::panic::catch_unwind(|| apigen::generate(text, &apigen::Config::new("x")));
        assert!(result.is_ok(), "panicked on {text:?}");
    }
}

#[test]
fn billion_laughs_is_refused_or_bounded() {
    let mut doc =
        String::from("openapi: 3.1.0\npaths: {}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        doc.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    let result = std::panic::catch_unwind(|| apigen::generate(&doc, &apigen::Config::new("x")));
    assert!(
        matches!(result, Ok(Err(_))),
        "an exponential alias expansion must be refused"
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let mut schema = String::from("{type: string}");
    for _ in 0..200 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let doc = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{Deep: {schema}}}}}"
    );
    let result = std::panic::catch_unwind(|| apigen::generate(&doc, &apigen::Config::new("x")));
    assert!(
        matches!(result, Ok(Err(_))),
        "nesting beyond the limits is an error"
    );
}
