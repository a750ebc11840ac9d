//! `cargo xtask bench`: the criterion benches of the workspace, then a side-by-side comparison
//! with a peer generator (openapi-to-rust, from crates.io) on the same document:
//!
//! - generation speed: our `xtask generate --spec` (release build) and the peer's CLI, run
//!   alternately, medians and their ratio;
//! - compile cost of the generated crate: lines of Rust, crate-only debug build time and peak
//!   memory (`/usr/bin/time -v cargo build` after touching the crate's root), in a scratch
//!   workspace under `target/bench/` whose dependencies are built beforehand; and, because
//!   our generated functions are `#[inline]` (machine code is made where an operation is
//!   called), the cost of a caller crate that awaits every operation once.
//!
//! Measurement only: it prints figures, it asserts nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd;
use crate::error::{Context, Error, Result, bail};
use crate::tools;

/// The peer, pinned so two runs compare the same thing.
const PEER: &str = "openapi-to-rust";
const PEER_VERSION: &str = "0.23.0";

pub struct Options {
    pub spec: PathBuf,
    pub runs: usize,
    pub criterion: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            spec: tools::project_root().join("spec/circleci.yaml"),
            runs: 15,
            criterion: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--spec" => options.spec = PathBuf::from(value(&mut args, "--spec")?),
                "--runs" => {
                    let runs = value(&mut args, "--runs")?;
                    options.runs = runs.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        Error::msg(format!("--runs wants a positive number, not {runs:?}"))
                    })?;
                }
                "--no-criterion" => options.criterion = false,
                other => bail!("unknown argument to `cargo xtask bench`: {other}"),
            }
        }
        options.spec = std::path::absolute(&options.spec).context("resolving --spec")?;
        if !options.spec.is_file() {
            bail!(
                "the document to benchmark, {}, does not exist",
                options.spec.display()
            );
        }
        Ok(options)
    }
}

fn value<'a>(args: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<&'a str> {
    args.next()
        .map(String::as_str)
        .ok_or_else(|| Error::msg(format!("{flag} needs a value")))
}

pub fn run(options: &Options) -> Result<()> {
    let root = tools::project_root();
    let bench_dir = tools::target_dir().join("bench");
    if options.criterion {
        heading("criterion benches: cargo bench -p apigen -p apigen-runtime --benches");
        cmd::run(cmd::cargo().current_dir(&root).args([
            "bench",
            "-p",
            "apigen",
            "-p",
            "apigen-runtime",
            "--benches",
        ]))?;
    }

    heading(&format!(
        "installing the peer, {PEER} {PEER_VERSION}, under target/peers"
    ));
    let peers = tools::target_dir().join("peers");
    let peer = peers.join("bin").join(PEER);
    // Checked here: cargo install's own "already installed" test rebuilds it (minutes) when it
    // runs from within `cargo xtask`.
    let installed = cmd::read(Command::new(&peer).arg("--version"))
        .is_ok_and(|v| v.split_whitespace().eq([PEER, PEER_VERSION]));
    if !installed {
        cmd::run(
            cmd::cargo()
                .args([
                    "install",
                    PEER,
                    "--version",
                    PEER_VERSION,
                    "--locked",
                    "--force",
                    "--root",
                ])
                .arg(&peers),
        )?;
    }
    cmd::run(
        cmd::cargo()
            .current_dir(&root)
            .args(["build", "--release", "-p", "xtask"]),
    )?;
    let ours = tools::target_dir().join("release/xtask");

    heading(&format!("generation speed on {}", options.spec.display()));
    let gen_dir = bench_dir.join("generate");
    let ours_out = gen_dir.join("ours");
    let peer_out = gen_dir.join("peer");
    let ours_cmd = || {
        let mut c = Command::new(&ours);
        c.arg("generate")
            .arg("--spec")
            .arg(&options.spec)
            .arg("--out")
            .arg(&ours_out)
            .args(["--name", "bench-client", "--no-report"]);
        c
    };
    let peer_cmd = || {
        let mut c = Command::new(&peer);
        c.arg("generate")
            .arg(&options.spec)
            .arg("--output-dir")
            .arg(&peer_out)
            .args(["--module-name", "client", "--quiet"]);
        c
    };
    // One untimed run each: it fails early on a document either side refuses, and warms caches.
    for (out, mut command) in [(&ours_out, ours_cmd()), (&peer_out, peer_cmd())] {
        remove_dir(out)?;
        cmd::read(&mut command)?;
    }
    let mut ours_times = Vec::new();
    let mut peer_times = Vec::new();
    for _ in 0..options.runs {
        ours_times.push(timed(&ours_out, ours_cmd())?);
        peer_times.push(timed(&peer_out, peer_cmd())?);
    }
    let ours_median = median(&mut ours_times);
    let peer_median = median(&mut peer_times);
    println!(
        "median of {} runs (whole process: start, read, generate, write):",
        options.runs
    );
    println!(
        "  {:<22}{:>10}",
        "ours (xtask generate)",
        millis(ours_median)
    );
    println!("  {:<22}{:>10}", PEER, millis(peer_median));
    println!(
        "  {:<22}{:>10.2}",
        "ratio ours/peer",
        ours_median.as_secs_f64() / peer_median.as_secs_f64()
    );

    heading(&format!(
        "compile cost of the crate generated from {} (debug build; dependencies prebuilt)",
        options.spec.display()
    ));
    let costs = compile_costs(&bench_dir.join("compile"), options, &ours, &peer)?;
    let show = |(build, peak): (Duration, Option<u64>)| {
        (
            format!("{:.1} s", build.as_secs_f64()),
            peak.map_or("n/a".to_owned(), |k| format!("{} MiB", k / 1024)),
        )
    };
    println!(
        "  {:<34}{:>8}{:>10}{:>14}",
        "", "lines", "build", "peak memory"
    );
    for (name, lines, cost) in [
        ("ours: generated crate alone", costs.ours_lines, costs.alone),
        (
            "ours: a caller of every operation",
            costs.caller_lines,
            costs.caller,
        ),
        (
            "ours: generated crate + runtime",
            costs.ours_lines + costs.runtime_lines,
            costs.with_runtime,
        ),
        (PEER, costs.peer_lines, costs.peer),
    ] {
        let (build, peak) = show(cost);
        println!("  {name:<34}{lines:>8}{build:>10}{peak:>14}");
    }
    let ratio = |ours: (Duration, Option<u64>)| {
        let time = ours.0.as_secs_f64() / costs.peer.0.as_secs_f64();
        let memory = match (ours.1, costs.peer.1) {
            (Some(a), Some(b)) => format!("{:.2}", a as f64 / b as f64),
            _ => "n/a".to_owned(),
        };
        format!("time {time:.2}, peak memory {memory}")
    };
    println!(
        "  ratio, crate alone / {PEER}:       {}",
        ratio(costs.alone)
    );
    println!(
        "  ratio, crate + runtime / {PEER}:   {}",
        ratio(costs.with_runtime)
    );
    let total = (
        costs.alone.0 + costs.caller.0,
        costs.alone.1.zip(costs.caller.1).map(|(a, b)| a.max(b)),
    );
    println!(
        "  ratio, crate, then its caller / {PEER} (times added, larger peak): {}",
        ratio(total)
    );
    Ok(())
}

fn heading(text: &str) {
    eprintln!("\n==> {text}");
}

/// Runs `command` on an emptied output directory; returns its wall time.
fn timed(out: &Path, mut command: Command) -> Result<Duration> {
    remove_dir(out)?;
    let started = Instant::now();
    cmd::read(&mut command)?;
    Ok(started.elapsed())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn remove_dir(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::msg(format!("removing {}: {e}", dir.display())))
        }
        _ => Ok(()),
    }
}

/// Generates both crates under `dir` (each its own workspace, sharing one target directory),
/// builds their dependencies, then measures a rebuild of each crate alone, and of ours together
/// with the runtime.
fn compile_costs(dir: &Path, options: &Options, ours: &Path, peer: &Path) -> Result<Costs> {
    let ours_dir = dir.join("ours");
    let peer_dir = dir.join("peer");

    remove_dir(&ours_dir)?;
    cmd::read(
        Command::new(ours)
            .arg("generate")
            .arg("--spec")
            .arg(&options.spec)
            .arg("--out")
            .arg(&ours_dir)
            .args(["--name", "bench-ours", "--no-report"]),
    )?;

    remove_dir(&peer_dir)?;
    let module = peer_dir.join("src/client");
    cmd::read(
        Command::new(peer)
            .arg("generate")
            .arg(&options.spec)
            .arg("--output-dir")
            .arg(&module)
            .args(["--module-name", "client", "--quiet"]),
    )?;
    let deps_file = module.join("REQUIRED_DEPS.toml");
    let deps =
        fs::read_to_string(&deps_file).context(format_args!("reading {}", deps_file.display()))?;
    fs::remove_file(&deps_file).context(format_args!("removing {}", deps_file.display()))?;
    write(
        &peer_dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"bench-peer\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             {deps}\n[workspace]\n"
        ),
    )?;
    write(&peer_dir.join("src/lib.rs"), "pub mod client;\n")?;

    let target = dir.join("target");
    // Not incremental, as a dependency is built: every measured crate compiles from scratch.
    let cargo = |crate_dir: &Path, args: &[&str]| {
        let mut c = cmd::cargo();
        c.args(args)
            .arg("--manifest-path")
            .arg(crate_dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .env("CARGO_INCREMENTAL", "0");
        c
    };
    // Dependencies first; then the crates whose root file is `touched` are rebuilt, and they
    // alone (with whatever depends on them). `cargo clean -p` is not used: for a path
    // dependency it also removes artifacts of registry crates (http, hyper, reqwest…).
    let measure = |crate_dir: &Path, touched: &[PathBuf]| -> Result<(Duration, Option<u64>)> {
        cmd::run(&mut cargo(crate_dir, &["build"]))?;
        for file in touched {
            fs::File::options()
                .write(true)
                .open(file)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()))
                .context(format_args!("touching {}", file.display()))?;
        }
        time_build(&mut cargo(crate_dir, &["build"]))
    };
    let runtime_src = tools::project_root().join("runtime/src");
    let runtime_lines = rust_lines(&runtime_src)?;
    let ours_root = ours_dir.join("src/lib.rs");
    let (alone, alone_peak) = measure(&ours_dir, std::slice::from_ref(&ours_root))?;
    let (with_runtime, with_runtime_peak) =
        measure(&ours_dir, &[ours_root, runtime_src.join("lib.rs")])?;
    let caller_dir = dir.join("caller");
    remove_dir(&caller_dir)?;
    let calls = caller_source(&ours_dir.join("src/operations"))?;
    write(&caller_dir.join("src/lib.rs"), &calls)?;
    write(
        &caller_dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"bench-caller\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nbench-ours = {{ path = \"../ours\" }}\napigen-runtime = {{ path = {} }}\n\n[workspace]\n",
            toml_string(&tools::project_root().join("runtime").display().to_string())
        ),
    )?;
    let (caller, caller_peak) = measure(&caller_dir, &[caller_dir.join("src/lib.rs")])?;
    let (peer_build, peer_peak) = measure(&peer_dir, &[peer_dir.join("src/lib.rs")])?;
    Ok(Costs {
        caller_lines: calls.lines().count(),
        caller: (caller, caller_peak),
        ours_lines: rust_lines(&ours_dir.join("src"))?,
        runtime_lines,
        peer_lines: rust_lines(&peer_dir.join("src"))?,
        alone: (alone, alone_peak),
        with_runtime: (with_runtime, with_runtime_peak),
        peer: (peer_build, peer_peak),
    })
}

/// Debug build costs (time, peak memory) of the generated crates.
struct Costs {
    ours_lines: usize,
    runtime_lines: usize,
    peer_lines: usize,
    /// Our generated crate, its dependencies (the runtime too) already built.
    alone: (Duration, Option<u64>),
    caller_lines: usize,
    /// A crate that awaits every operation of ours once (the generated crate built).
    caller: (Duration, Option<u64>),
    /// Our generated crate and the runtime: what a user of the crate compiles of ours.
    with_runtime: (Duration, Option<u64>),
    /// The peer's generated crate (all of its code; it has no runtime of its own).
    peer: (Duration, Option<u64>),
}

/// Wall time and, with GNU time, the peak resident memory of the biggest process.
fn time_build(command: &mut Command) -> Result<(Duration, Option<u64>)> {
    let gnu_time = Path::new("/usr/bin/time");
    if !gnu_time.exists() {
        eprintln!("(no /usr/bin/time: peak memory is not measured)");
        let started = Instant::now();
        cmd::run(command)?;
        return Ok((started.elapsed(), None));
    }
    let mut timed = Command::new(gnu_time);
    timed
        .arg("-v")
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let line = cmd::display(&timed);
    eprintln!("$ {line}");
    let started = Instant::now();
    let out = timed.output().context(format_args!("running `{line}`"))?;
    let elapsed = started.elapsed();
    let report = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("`{line}` failed ({}):\n{report}", out.status);
    }
    let peak = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    Ok((elapsed, peak))
}

/// A crate that awaits every operation of the generated crate once: one `async fn` per
/// client method found in the files of `operations` (`pub fn name(&self, params) -> Call`),
/// taking the method's parameters, so that every operation's request, decoding and error
/// types are compiled to machine code, as in a program that uses the whole API.
fn caller_source(operations: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = fs::read_dir(operations)
        .context(format_args!("listing {}", operations.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut out = String::from("#![allow(unused)]\nuse bench_ours::Client;\n");
    let mut count = 0;
    for file in files {
        let text = fs::read_to_string(&file).context(format_args!("reading {}", file.display()))?;
        let mut rest = text.as_str();
        while let Some(at) = rest.find("pub fn ") {
            rest = &rest[at + "pub fn ".len()..];
            let Some((name, after)) = rest.split_once('(') else {
                break;
            };
            // A method of the client: `name(&self, …)`. A generic one would need its type
            // arguments; the generator writes none.
            let Some(params) = after.trim_start().strip_prefix("&self") else {
                continue;
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                bail!(
                    "{}: cannot call `{name}` from the caller crate",
                    file.display()
                );
            }
            let Some(close) = closing_paren(params) else {
                bail!("{}: unbalanced parameters of `{name}`", file.display());
            };
            let params = params[..close].trim().trim_start_matches(',').trim();
            let params = qualify_types(params.trim_end_matches(','));
            let args: Vec<&str> = split_top_level(&params)
                .into_iter()
                .filter_map(|p| p.split_once(':').map(|(n, _)| n.trim()))
                .collect();
            let separator = if params.is_empty() { "" } else { ", " };
            out.push_str(&format!(
                "pub async fn call_{count}(__client: &Client{separator}{params}) {{ let _ = __client.{name}({}).await; }}\n",
                args.join(", ")
            ));
            count += 1;
        }
    }
    if count == 0 {
        bail!("no operation found in {}", operations.display());
    }
    Ok(out)
}

/// `text` with each path that starts at `types::` (the operations files' name for the
/// generated types) made absolute: `bench_ours::types::`. A `types::` inside a longer path
/// (`::apigen_runtime::types::`, `my_types::`) is left alone.
fn qualify_types(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("types::") {
        let before = &rest[..at];
        let starts_path = !before
            .chars()
            .next_back()
            .is_some_and(|c| c == ':' || c == '_' || c.is_ascii_alphanumeric());
        out.push_str(before);
        if starts_path {
            out.push_str("bench_ours::");
        }
        out.push_str("types::");
        rest = &rest[at + "types::".len()..];
    }
    out.push_str(rest);
    out
}

/// `text` as a TOML basic string: quoted, with backslashes and quotes escaped.
fn toml_string(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// The index of the `)` that closes a parameter list whose `(` was just consumed.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `text` split at the commas outside `<…>` and `(…)`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Lines of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> Result<usize> {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in
            fs::read_dir(&current).context(format_args!("listing {}", current.display()))?
        {
            let path = entry
                .context(format_args!("listing {}", current.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path)
                    .context(format_args!("reading {}", path.display()))?;
                total += text.lines().count();
            }
        }
    }
    Ok(total)
}

fn write(path: &Path, content: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).context(format_args!("creating {}", parent.display()))?;
    }
    fs::write(path, content).context(format_args!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_awaits_every_operation_of_the_generated_crate() {
        let operations = tools::project_root().join("generated/src/api/operations");
        let source = caller_source(&operations).unwrap();
        let calls: Vec<&str> = source
            .lines()
            .filter(|l| l.starts_with("pub async fn call_"))
            .collect();
        assert_eq!(calls.len(), 116, "{source}");
        assert!(
            calls.iter().any(|l| l.contains(
                "pipeline_id: ::apigen_runtime::uuid::Uuid) { let _ = __client.get_pipeline_by_id(pipeline_id).await; }"
            )),
            "{source}"
        );
    }

    #[test]
    fn only_paths_that_start_at_types_are_qualified() {
        assert_eq!(
            qualify_types("a: types::A, b: Vec<types::B>, c: ::x::types::C, d: my_types::D"),
            "a: bench_ours::types::A, b: Vec<bench_ours::types::B>, c: ::x::types::C, d: my_types::D"
        );
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
    }
}
