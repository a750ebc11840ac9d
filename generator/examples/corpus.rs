//! Runs the generator over many real OpenAPI documents and reports how it went. A tool for
//! measuring generality by hand (the documents are not part of the repository):
//!
//! ```text
//! cargo run --release -p apigen --example corpus -- [--out DIR --runtime PATH] [--limit N] FILE_OR_DIR...
//! ```
//!
//! Every `.json`/`.yaml`/`.yml` file under the given paths is generated (in a thread, with a
//! 120 s limit). Each line reports `ok`, `refused` (errors; the first is shown), `panicked` or
//! `hung`, with counts and time; the summary groups the errors and warnings by message. With
//! `--out`, each generated crate is written to `DIR/<name>/` (depending on the runtime at
//! `PATH`); with `--compile` as well, each written crate is then checked with
//! `cargo clippy -- -D warnings` (one shared target directory, `DIR/target`; `--lock FILE`
//! seeds each crate's `Cargo.lock` so dependency versions match) and the compile rate is
//! reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    ) {
        out.push(path.to_path_buf());
    }
}

/// The message without the parts that differ per place (names in backticks, numbers).
fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut in_tick = false;
    for c in message.chars() {
        if c == '`' {
            in_tick = !in_tick;
            if in_tick {
                out.push_str("`…`");
            }
            continue;
        }
        if !in_tick {
            out.push(if c.is_ascii_digit() { '#' } else { c });
        }
    }
    out.chars().take(140).collect()
}

fn crate_name(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    let name: String = rel
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("api-{}", name.trim_matches('-'))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut out_dir, mut runtime, mut limit) = (None, None, usize::MAX);
    let (mut compile, mut lock) = (false, None::<PathBuf>);
    let mut inputs = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out_dir = args.next().map(PathBuf::from),
            "--runtime" => runtime = args.next(),
            "--limit" => {
                limit = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(usize::MAX)
            }
            "--compile" => compile = true,
            "--lock" => lock = args.next().map(PathBuf::from),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let mut files = Vec::new();
    for i in &inputs {
        collect(i, &mut files);
    }
    files.truncate(limit);
    let root = inputs.first().cloned().unwrap_or_default();
    let (mut ok, mut refused, mut panicked, mut hung) = (0usize, 0usize, 0usize, 0usize);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    let mut total_ops = 0usize;
    let mut written: Vec<(PathBuf, usize)> = Vec::new();
    let started = Instant::now();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = crate_name(path, if root.is_dir() { &root } else { Path::new("") });
        let mut config = apigen::Config::new(name.clone());
        config.spec_label = path.display().to_string();
        config.command = "apigen corpus".to_owned();
        if let Some(rt) = &runtime {
            config = config.standalone(rt.clone());
        }
        let (tx, rx) = mpsc::channel();
        let t = Instant::now();
        let worker = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                let result = std::panic::catch_unwind(|| apigen::generate(&text, &config));
                let _ = tx.send(result);
            });
        if worker.is_err() {
            eprintln!("cannot start a thread");
            return;
        }
        let label = path.display();
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(Ok(Ok(output))) => {
                ok += 1;
                total_ops += output.stats.operations;
                for w in &output.warnings {
                    *warnings.entry(shape(&w.message)).or_default() += 1;
                }
                println!(
                    "ok        {label}: {} ops, {} types, {} lines, {} warnings, {:.0?}",
                    output.stats.operations,
                    output.stats.types,
                    output.stats.lines,
                    output.warnings.len(),
                    t.elapsed()
                );
                if let Some(dir) = &out_dir {
                    let target = dir.join(&name);
                    written.push((target.clone(), output.stats.lines));
                    for (rel, content) in &output.files {
                        let p = target.join(rel);
                        if let Some(parent) = p.parent() {
                            let _ = std::fs::create_dir_all(parent);
                        }
                        let _ = std::fs::write(p, content);
                    }
                }
            }
            Ok(Ok(Err(failure))) => {
                refused += 1;
                for e in &failure.errors {
                    *errors.entry(shape(&e.message)).or_default() += 1;
                }
                let first = failure
                    .errors
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                println!(
                    "refused   {label}: {} errors; {first}",
                    failure.errors.len()
                );
            }
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                panicked += 1;
                println!("panicked  {label}");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                hung += 1;
                println!("hung      {label}");
            }
        }
    }
    if compile && let Some(dir) = &out_dir {
        compile_all(dir, &written, lock.as_deref());
    }
    println!(
        "\n== {} documents in {:.1?}: {ok} generated ({total_ops} operations), {refused} refused, {panicked} panicked, {hung} hung",
        files.len(),
        started.elapsed()
    );
    let mut e: Vec<_> = errors.into_iter().collect();
    e.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!("\n== errors by kind");
    for (m, n) in e.iter().take(40) {
        println!("{n:6}  {m}");
    }
    let mut w: Vec<_> = warnings.into_iter().collect();
    w.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!("\n== warnings by kind");
    for (m, n) in w.iter().take(40) {
        println!("{n:6}  {m}");
    }
}

/// `cargo clippy -- -D warnings` on each written crate; prints one line each and the rate.
fn compile_all(dir: &Path, crates: &[(PathBuf, usize)], lock: Option<&Path>) {
    let target = dir.join("target");
    let (mut passed, mut failed) = (0usize, 0usize);
    let started = Instant::now();
    for (krate, lines) in crates {
        if let Some(lock) = lock
            && !krate.join("Cargo.lock").exists()
        {
            let _ = std::fs::copy(lock, krate.join("Cargo.lock"));
        }
        let t = Instant::now();
        let out = std::process::Command::new("cargo")
            .args(["clippy", "--quiet", "--", "-D", "warnings"])
            .current_dir(krate)
            .env("CARGO_TARGET_DIR", &target)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                passed += 1;
                println!(
                    "compiles  {} ({lines} lines, {:.1?})",
                    krate.display(),
                    t.elapsed()
                );
            }
            Ok(o) => {
                failed += 1;
                let stderr = String::from_utf8_lossy(&o.stderr);
                let first: Vec<&str> = stderr
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(6)
                    .collect();
                println!(
                    "FAILS     {} ({lines} lines):\n    {}",
                    krate.display(),
                    first.join("\n    ")
                );
            }
            Err(e) => {
                failed += 1;
                println!("FAILS     {}: cannot run cargo: {e}", krate.display());
            }
        }
    }
    println!(
        "\n== compile: {passed} of {} crates pass clippy -D warnings ({failed} fail) in {:.1?}",
        passed + failed,
        started.elapsed()
    );
}
