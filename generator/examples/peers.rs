//! Generation time side by side with peer generators, as whole processes (start, read,
//! generate, write), interleaved so machine load hits every tool alike:
//!
//! ```text
//! cargo install openapi-to-rust --root target/peers
//! cargo install cargo-progenitor --root target/peers
//! cargo build --release -p apigen --example generate --example peers
//! target/release/examples/peers [--runs N] SPEC...
//! ```
//!
//! For each document, prints the median and minimum wall time of each tool and our time as a
//! fraction of the fastest peer's. A tool that fails on a document is reported as failing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Builds a tool's arguments from (document, output directory).
type Args = Box<dyn Fn(&Path, &Path) -> Vec<String>>;

struct Tool {
    name: &'static str,
    args: Args,
    program: PathBuf,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 15usize;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(15);
        args.drain(i..(i + 2).min(args.len()));
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let examples = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let peers = workspace.join("target/peers/bin");
    let runtime = workspace.join("runtime").display().to_string();
    let tools = [
        Tool {
            name: "apigen",
            program: examples.join("generate"),
            args: Box::new(move |spec, out| {
                vec![
                    spec.display().to_string(),
                    out.display().to_string(),
                    "bench-api".into(),
                    runtime.clone(),
                ]
            }),
        },
        Tool {
            name: "openapi-to-rust",
            program: peers.join("openapi-to-rust"),
            args: Box::new(|spec, out| {
                vec![
                    "generate".into(),
                    spec.display().to_string(),
                    "--output-dir".into(),
                    out.display().to_string(),
                ]
            }),
        },
        Tool {
            name: "progenitor",
            program: peers.join("cargo-progenitor"),
            args: Box::new(|spec, out| {
                vec![
                    "progenitor".into(),
                    "-i".into(),
                    spec.display().to_string(),
                    "-o".into(),
                    out.display().to_string(),
                    "-n".into(),
                    "bench-api".into(),
                    "-v".into(),
                    "0.1.0".into(),
                ]
            }),
        },
    ];
    let scratch = std::env::temp_dir().join("apigen-peers");
    for spec in &args {
        let spec = PathBuf::from(spec);
        println!("== {} ({runs} runs each, interleaved)", spec.display());
        let mut times: Vec<Option<Vec<Duration>>> =
            tools.iter().map(|_| Some(Vec::new())).collect();
        for _ in 0..runs {
            for (i, tool) in tools.iter().enumerate() {
                let Some(list) = times.get_mut(i).and_then(Option::as_mut) else {
                    continue;
                };
                let out = scratch.join(tool.name);
                let _ = std::fs::remove_dir_all(&out);
                let t = Instant::now();
                let status = Command::new(&tool.program)
                    .args((tool.args)(&spec, &out))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                let elapsed = t.elapsed();
                match status {
                    Ok(s) if s.success() => list.push(elapsed),
                    _ => {
                        if let Some(slot) = times.get_mut(i) {
                            *slot = None;
                        }
                    }
                }
            }
        }
        let medians: Vec<Option<Duration>> = times.iter().map(|t| t.clone().map(median)).collect();
        let fastest_peer = medians.iter().skip(1).flatten().min().copied();
        for (tool, (t, m)) in tools.iter().zip(times.iter().zip(&medians)) {
            match (t, m) {
                (Some(list), Some(m)) => {
                    let min = list.iter().min().copied().unwrap_or_default();
                    println!(
                        "  {:16} median {:>7.1} ms   min {:>7.1} ms",
                        tool.name,
                        m.as_secs_f64() * 1e3,
                        min.as_secs_f64() * 1e3
                    );
                }
                _ => println!("  {:16} fails on this document", tool.name),
            }
        }
        if let (Some(Some(ours)), Some(peer)) = (medians.first(), fastest_peer) {
            println!(
                "  apigen / fastest peer = {:.2}",
                ours.as_secs_f64() / peer.as_secs_f64()
            );
        }
    }
}
