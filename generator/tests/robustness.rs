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

#[test]
fn mutated_documents_never_panic() {
    // More mutations per seed with APIGEN_MUTATIONS=N (the default keeps `cargo test` quick).
    let per_seed: usize = std::env::var("APIGEN_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let mut seeds: Vec<(String, Value, usize)> = common::fixtures()
        .into_iter()
        .map(|(_, file, text)| {
            let v: Value = serde_yaml::from_str(&text).expect("fixture parses");
            (file, v, per_seed)
        })
        .collect();
    if let Ok(text) = std::fs::read_to_string(common::workspace_dir().join("spec/circleci.yaml")) {
        seeds.push((
            "circleci.yaml".to_owned(),
            serde_yaml::from_str(&text).expect("spec parses"),
            per_seed,
        ));
    }
    let mut rng = Rng(0x2026_1124_DEAD_BEEF);
    let (mut generated, mut refused) = (0, 0);
    let mut panicked = Vec::new();
    for (file, doc, n) in &seeds {
        for i in 0..*n {
            let mutant = mutate(doc, &mut rng);
            let text = serde_json::to_string(&mutant).expect("serializes");
            let config = common::config(file);
            match std::panic::catch_unwind(|| apigen::generate(&text, &config)) {
                Ok(Ok(_)) => generated += 1,
                Ok(Err(failure)) => {
                    assert!(!failure.errors.is_empty());
                    for e in &failure.errors {
                        assert!(e.pointer.starts_with('#'), "{e}");
                    }
                    refused += 1;
                }
                Err(_) => {
                    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("../target/apigen-mutants");
                    let _ = std::fs::create_dir_all(&dir);
                    let path = dir.join(format!("{file}.{i}.json"));
                    let _ = std::fs::write(&path, &text);
                    panicked.push(path.display().to_string());
                }
            }
        }
    }
    println!(
        "generated {generated}, refused {refused}, panicked {}",
        panicked.len()
    );
    assert!(panicked.is_empty(), "panics on: {panicked:#?}");
    assert!(
        generated > 0 && refused > 0,
        "the mutations should produce both outcomes"
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
