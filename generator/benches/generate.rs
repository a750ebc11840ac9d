//! Generation speed: `apigen::generate` on the CircleCI document, from text to formatted files.
//!
//! `APIGEN_BENCH_SPEC=path` benchmarks another document (e.g. the official CircleCI JSON) as
//! well. Peer generators are compared by `cargo xtask bench` (separate processes), and the
//! figures are in the generator's notes.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn config() -> apigen::Config {
    apigen::Config::new("circleci-api")
}

fn bench(c: &mut Criterion) {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/circleci.yaml");
    let mut inputs = Vec::new();
    if let Ok(text) = std::fs::read_to_string(&spec) {
        inputs.push(("circleci.yaml".to_owned(), text));
    }
    if let Ok(path) = std::env::var("APIGEN_BENCH_SPEC")
        && let Ok(text) = std::fs::read_to_string(&path)
    {
        let name = Path::new(&path)
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        inputs.push((name, text));
    }
    assert!(
        !inputs.is_empty(),
        "no document to benchmark: spec/circleci.yaml is missing and APIGEN_BENCH_SPEC is unset"
    );
    let config = config();
    let mut group = c.benchmark_group("generate");
    group.sample_size(30);
    for (name, text) in &inputs {
        group.bench_function(name.as_str(), |b| {
            b.iter(|| apigen::generate(black_box(text), &config).map(|o| o.stats.lines))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
