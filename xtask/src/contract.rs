//! `cargo xtask contract --spec PATH [--seeds N] [--report FILE]`: a client generated from any
//! document, proved against Prism serving the same document.
//!
//! 1. The client is generated (a standalone crate) under `target/contract/<document>/client`,
//!    and beside it the probe `apigen::probe` writes: a program calling every operation with
//!    the values of a calls file, the calls (the required parameters only, then every
//!    parameter and body, values made from the schemas) and what the document declares of
//!    each operation's statuses. The probe builds in `target/contract/target`, shared by every
//!    document.
//! 2. Prism serves the document (`--errors`, so a response that contradicts it is a 500), first
//!    with its static examples, then asked for each declared error status and each other
//!    success status (`Prefer: code=…`), then with dynamic responses for seeds 1..=N.
//! 3. Each call passes when Prism accepted the request (no 401 or 422, no `sl-violations`), the
//!    answer decoded strictly into the client's types with a status the document declares
//!    (an error status as the error asked for), and the decoded value, encoded and decoded
//!    again, is the same.
//!
//! The report gives each operation: passed, failed with its first problem, or skipped with why.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::codegen::{self, Job};
use crate::error::{Context, Error, Result, bail};
use crate::prism::Prism;
use crate::sync::Mode;
use crate::tools;

/// The generated client's crate name (the probe imports it as `contract_client`).
const CLIENT: &str = "contract-client";

pub struct Options {
    pub spec: PathBuf,
    pub seeds: u64,
    pub report: Option<PathBuf>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let (mut spec, mut seeds, mut report) = (None, 3, None);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| Error::msg(format!("{arg} needs a value")))
            };
            match arg.as_str() {
                "--spec" => spec = Some(PathBuf::from(value()?)),
                "--report" => report = Some(PathBuf::from(value()?)),
                "--seeds" => {
                    let text = value()?;
                    seeds = text
                        .parse()
                        .map_err(|_| Error::msg(format!("--seeds wants a number, not {text:?}")))?;
                }
                other => bail!("unknown argument to `cargo xtask contract`: {other}"),
            }
        }
        let Some(spec) = spec else {
            bail!("`cargo xtask contract` needs --spec PATH");
        };
        let spec = std::path::absolute(&spec).context("resolving --spec")?;
        if !spec.is_file() {
            bail!("the document {} does not exist", spec.display());
        }
        Ok(Options {
            spec,
            seeds,
            report,
        })
    }
}

/// What became of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// The first problem, with the run and call it came from.
    Failed(String),
    /// Every answer Prism gave broke the document (it validates its own answers): its
    /// dynamic faker or the document's examples, not the client, so nothing was judged.
    Unserved(String),
    /// Why the operation was not called.
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct OperationReport {
    pub op: String,
    pub method: String,
    pub path: String,
    /// Calls made (every run).
    pub calls: usize,
    /// Answers set aside because Prism found they break the document.
    pub set_aside: usize,
    pub verdict: Verdict,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub spec: PathBuf,
    pub operations: Vec<OperationReport>,
    /// Operations of the document the generator did not make a method of, with its warning.
    pub not_generated: Vec<String>,
    pub elapsed: Duration,
}

impl Report {
    pub fn count(&self, what: fn(&Verdict) -> bool) -> usize {
        self.operations.iter().filter(|o| what(&o.verdict)).count()
    }

    pub fn passed(&self) -> usize {
        self.count(|v| *v == Verdict::Passed)
    }

    pub fn failed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Failed(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Skipped(_)))
    }

    pub fn unserved(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Unserved(_)))
    }

    /// One line per operation, then the totals.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for o in &self.operations {
            let aside = if o.set_aside > 0 {
                format!(", {} answers Prism made invalid set aside", o.set_aside)
            } else {
                String::new()
            };
            let _ = match &o.verdict {
                Verdict::Passed => writeln!(out, "  pass  {} ({} calls{aside})", o.op, o.calls),
                Verdict::Failed(why) => writeln!(out, "  FAIL  {}: {why}", o.op),
                Verdict::Unserved(why) => writeln!(out, "  prism {}: {why}", o.op),
                Verdict::Skipped(why) => writeln!(out, "  skip  {}: {why}", o.op),
            };
        }
        for warning in &self.not_generated {
            let _ = writeln!(out, "  not generated: {warning}");
        }
        let _ = writeln!(
            out,
            "{}: {} operations: {} passed, {} failed, {} not served validly by Prism, {} skipped ({:.1} s)",
            self.spec.display(),
            self.operations.len(),
            self.passed(),
            self.failed(),
            self.unserved(),
            self.skipped(),
            self.elapsed.as_secs_f64()
        );
        out
    }

    /// The report as a Markdown table.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# Contract of `{}`\n\n{} operations: {} passed, {} failed, {} not served validly by \
             Prism, {} skipped.\n\n\
             | operation | endpoint | result |\n|---|---|---|\n",
            self.spec.display(),
            self.operations.len(),
            self.passed(),
            self.failed(),
            self.unserved(),
            self.skipped()
        );
        for o in &self.operations {
            let result = match &o.verdict {
                Verdict::Passed => format!("passed ({} calls)", o.calls),
                Verdict::Failed(why) => format!("**failed**: {why}"),
                Verdict::Unserved(why) => format!("not served validly by Prism: {why}"),
                Verdict::Skipped(why) => format!("skipped: {why}"),
            };
            let _ = writeln!(
                out,
                "| `{}` | `{} {}` | {} |",
                o.op,
                o.method,
                o.path,
                result.replace('|', "\\|").replace('\n', " ")
            );
        }
        out
    }
}

/// One call's outcome, with the name of the run it was made in.
type Outcome = (String, Value);

/// The declared statuses of one operation, and why it is skipped.
struct Declared {
    method: String,
    path: String,
    success: Vec<u16>,
    errors: Vec<u16>,
    skip: Option<String>,
}

/// Generates, builds and runs the probe of `options.spec` against Prism.
pub fn run(options: &Options) -> Result<Report> {
    let started = Instant::now();
    let stem = options
        .spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>();
    let dir = tools::target_dir().join("contract").join(&stem);
    let spec = options.spec.to_string_lossy().into_owned();
    let client_dir = dir.join("client");
    let job = Job::standalone(&spec, &client_dir.to_string_lossy(), CLIENT)?;
    let generated = codegen::run(&job, Mode::Write)?;
    println!("{}", generated.summary);

    let text = fs::read_to_string(&options.spec)
        .context(format_args!("reading {}", options.spec.display()))?;
    let probe = apigen::probe(&text, &job.config).map_err(|e| Error::msg(e.to_string()))?;
    let probe_dir = dir.join("probe");
    write(&probe_dir.join("src/main.rs"), &probe.files["src/main.rs"])?;
    // The binary is named after the document: probes of several documents share the target
    // directory, and may build at the same time.
    let binary = format!("probe-{stem}");
    write(&probe_dir.join("Cargo.toml"), &probe_manifest(&binary))?;
    write(
        &probe_dir.join("Cargo.lock"),
        &fs::read_to_string(tools::project_root().join("Cargo.lock")).context("Cargo.lock")?,
    )?;
    let calls: Value = serde_json::from_str(&probe.files["calls.json"]).context("calls.json")?;
    let declared = declared(&probe.files["operations.json"])?;

    let target = tools::target_dir().join("contract/target");
    let mut build = crate::cmd::cargo();
    build
        .args(["build", "--quiet", "--manifest-path"])
        .arg(probe_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    crate::cmd::run(&mut build)?;
    let program = target.join("debug").join(&binary);

    let prism_program = tools::install_prism()?;
    let calls = calls.as_array().cloned().unwrap_or_default();
    let callable: Vec<Value> = calls
        .iter()
        .filter(|c| {
            c["op"]
                .as_str()
                .and_then(|op| declared.get(op))
                .is_some_and(|d| d.skip.is_none())
        })
        .cloned()
        .collect();
    let mut outcomes: Vec<(String, Value)> = Vec::new();

    // Static examples, then the other statuses each operation declares, then dynamic answers.
    let start = |seed: Option<u64>| -> Result<Prism> {
        let builder = Prism::builder().spec(&options.spec).program(&prism_program);
        let builder = match seed {
            Some(seed) => builder.dynamic(seed),
            None => builder,
        };
        builder.try_start().map_err(Error::msg)
    };
    outcomes.extend(probe_run(
        &program,
        &|| start(None),
        &dir,
        "static",
        &callable,
    )?);
    let mut asked = Vec::new();
    for call in callable.iter().filter(|c| c["variant"] == "required") {
        let Some(d) = call["op"].as_str().and_then(|op| declared.get(op)) else {
            continue;
        };
        for code in d.success.iter().skip(1).chain(&d.errors) {
            let mut call = call.clone();
            call["prefer"] = json!(format!("code={code}"));
            asked.push(call);
        }
    }
    outcomes.extend(probe_run(
        &program,
        &|| start(None),
        &dir,
        "statuses",
        &asked,
    )?);
    for seed in 1..=options.seeds {
        outcomes.extend(probe_run(
            &program,
            &|| start(Some(seed)),
            &dir,
            &format!("seed {seed}"),
            &callable,
        )?);
    }

    let mut operations = Vec::new();
    for (op, d) in &declared {
        let mine: Vec<&Outcome> = outcomes
            .iter()
            .filter(|(_, o)| o["op"] == op.as_str())
            .collect();
        // An answer Prism itself found to break the document says nothing about the client.
        let (invalid, judged): (Vec<&Outcome>, Vec<&Outcome>) = mine
            .iter()
            .copied()
            .partition(|(_, o)| answer_breaks_document(o));
        let verdict = match &d.skip {
            Some(why) => Verdict::Skipped(why.clone()),
            None => match judged
                .iter()
                .find_map(|(run, o)| problem(o, d).map(|p| format!("{run}, {}: {p}", describe(o))))
            {
                Some(problem) => Verdict::Failed(problem),
                None => match invalid.first() {
                    Some((run, o)) if judged.is_empty() => Verdict::Unserved(format!(
                        "{run}, {}: {}",
                        describe(o),
                        o["prism_stopped"]
                            .as_str()
                            .or(o["violations"].as_str())
                            .or(o["error"].as_str())
                            .unwrap_or_default()
                    )),
                    _ => Verdict::Passed,
                },
            },
        };
        operations.push(OperationReport {
            op: op.clone(),
            method: d.method.clone(),
            path: d.path.clone(),
            calls: mine.len(),
            set_aside: if d.skip.is_none() { invalid.len() } else { 0 },
            verdict,
        });
    }
    let not_generated = generated
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("operation") && w.contains("ignored"))
        .collect();
    let report = Report {
        spec: options.spec.clone(),
        operations,
        not_generated,
        elapsed: started.elapsed(),
    };
    if let Some(path) = &options.report {
        write(path, &report.markdown())?;
    }
    Ok(report)
}

/// Whether the answer to this call says nothing about the client: Prism found that its own
/// answer breaks the document (every violation it lists is about the response: its faker, or
/// an example of the document, is wrong), or Prism could not make an answer of the declared
/// content (`NO_COMPLEX_OBJECT_TEXT`: an object as text) or failed inside (`UNKNOWN`).
fn answer_breaks_document(outcome: &Value) -> bool {
    if outcome.get("prism_stopped").is_some() {
        return true;
    }
    let error = outcome["error"].as_str().unwrap_or_default();
    // Prism could not make an answer of the declared content, or failed inside.
    if error.contains("prism/errors#NO_COMPLEX_OBJECT_TEXT")
        || error.contains("prism/errors#UNKNOWN")
    {
        return true;
    }
    // A number beyond the range of its declared format (`uint8`, `int16`…, `float`): Prism's
    // faker does not follow those formats (it makes 2^128 for a `float`), and its validator
    // does not check them.
    if error.contains("cannot decode the response body")
        && ((error.contains("invalid value: integer")
            && ["u8", "u16", "u32", "i8", "i16", "i32"].iter().any(|t| {
                // Alone, or as why a variant of a union failed.
                error.contains(&format!("expected {t};"))
                    || error.contains(&format!("expected {t})"))
                    || error.ends_with(&format!("expected {t}"))
            }))
            || error.contains("is out of range for f32"))
    {
        return true;
    }
    let Some(text) = outcome["violations"].as_str() else {
        return false;
    };
    let errors = crate::prism::violation_errors(text);
    !errors.is_empty() && errors.iter().all(|place| place == "response")
}

/// `<variant> call` or `<variant> call, Prefer: …`.
fn describe(outcome: &Value) -> String {
    let variant = outcome["variant"].as_str().unwrap_or("?");
    match outcome["prefer"].as_str() {
        Some(prefer) => format!("{variant} call (Prefer: {prefer})"),
        None => format!("{variant} call"),
    }
}

/// What is wrong with one call's outcome, if anything.
fn problem(outcome: &Value, declared: &Declared) -> Option<String> {
    if let Some(problem) = outcome["problem"].as_str() {
        return Some(format!("the probe could not make the call: {problem}"));
    }
    let status = outcome["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok());
    let asked = outcome["prefer"]
        .as_str()
        .and_then(|p| p.strip_prefix("code="))
        .and_then(|c| c.parse::<u16>().ok());
    // The judgment the CircleCI contract suite makes of each exchange too.
    if let Some(refusal) =
        crate::prism::exchange_refusal(status, outcome["violations"].as_str(), asked)
    {
        return Some(match outcome["error"].as_str() {
            Some(error) if status == Some(422) => format!("{refusal}: {error}"),
            _ => refusal,
        });
    }
    let ok = outcome["ok"] == true;
    match (asked, ok) {
        (Some(code), _) if status != Some(code) => Some(format!(
            "asked for status {code}, got {}: {}",
            status.map_or_else(|| "no answer".to_owned(), |s| s.to_string()),
            outcome["error"].as_str().unwrap_or("decoded as a success")
        )),
        (Some(code), true) if code >= 400 => Some(format!("status {code} decoded as a success")),
        (Some(code), false) if code < 300 => Some(format!(
            "status {code} did not decode: {}",
            outcome["error"].as_str().unwrap_or_default()
        )),
        (Some(_), false) => None,
        // An operation that declares no success (PagerDuty's revocation status declares only
        // errors) answers one of its errors: the client is right when it decoded its body.
        (None, false)
            if declared.success.is_empty()
                && status.is_some_and(|s| declared.errors.contains(&s))
                && outcome["typed_body"] != false =>
        {
            None
        }
        (None, false) => Some(format!(
            "failed: {}",
            outcome["error"].as_str().unwrap_or_default()
        )),
        (_, true) => {
            if let Some(s) = status
                && !declared.success.is_empty()
                && !declared.success.contains(&s)
                && asked.is_none()
            {
                return Some(format!("status {s}, which the document does not declare"));
            }
            outcome["roundtrip"]
                .as_str()
                .map(|r| format!("round trip: {r}"))
        }
    }
}

/// How many times one run restarts Prism after it stopped, before the rest of the run is
/// given up (each restart skips the call Prism stopped on).
const MAX_RESTARTS: usize = 5;

/// Runs the probe on `calls` against a Prism from `start`; each outcome with the run's name.
/// When Prism stops during the run (it can run out of memory making a dynamic answer), the
/// call it stopped on is marked so (an answer Prism could not make), and the rest of the calls
/// go to a new Prism.
fn probe_run(
    program: &Path,
    start: &dyn Fn() -> Result<Prism>,
    dir: &Path,
    run: &str,
    calls: &[Value],
) -> Result<Vec<Outcome>> {
    let mut out = Vec::new();
    let mut rest = calls;
    let mut restarts = 0;
    while !rest.is_empty() {
        let mut prism = start()?;
        let answers = probe_once(program, &prism, dir, run, rest)?;
        let Some(how) = prism.exited() else {
            out.extend(answers.into_iter().map(|a| (run.to_owned(), a)));
            break;
        };
        // The answers before the first call that lost its server stand; that call (its
        // connection reset, or no answer in time) is the one Prism stopped on.
        let lost = answers
            .iter()
            .position(|a| {
                a["error"].as_str().is_some_and(|e| {
                    e.contains("could not connect")
                        || e.contains("connection error")
                        || e.contains("timed out")
                })
            })
            .unwrap_or(answers.len());
        let mut answers = answers.into_iter();
        out.extend(answers.by_ref().take(lost).map(|a| (run.to_owned(), a)));
        restarts += 1;
        let given_up = restarts > MAX_RESTARTS;
        for (i, mut answer) in answers.enumerate() {
            if i > 0 && !given_up {
                break;
            }
            answer["prism_stopped"] = Value::String(how.clone());
            out.push((run.to_owned(), answer));
        }
        rest = if given_up {
            &[]
        } else {
            rest.get(lost + 1..).unwrap_or_default()
        };
    }
    Ok(out)
}

/// One run of the probe on `calls` against `prism`: an answer per call.
fn probe_once(
    program: &Path,
    prism: &Prism,
    dir: &Path,
    run: &str,
    calls: &[Value],
) -> Result<Vec<Value>> {
    let file = dir.join(format!("calls-{}.json", run.replace(' ', "-")));
    write(
        &file,
        &serde_json::to_string_pretty(calls).unwrap_or_default(),
    )?;
    let output = Command::new(program)
        .arg(prism.base_url())
        .arg(&file)
        .output()
        .context(format_args!("running {}", program.display()))?;
    if !output.status.success() {
        bail!(
            "the probe failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: Value = serde_json::from_str(line)
            .map_err(|e| Error::msg(format!("the probe printed {line:?}: {e}")))?;
        out.push(value);
    }
    if out.len() != calls.len() {
        bail!(
            "the probe answered {} of {} calls in the {run} run",
            out.len(),
            calls.len()
        );
    }
    Ok(out)
}

fn declared(text: &str) -> Result<BTreeMap<String, Declared>> {
    let value: Value = serde_json::from_str(text).context("operations.json")?;
    let codes = |v: &Value| -> Vec<u16> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_u64().and_then(|c| u16::try_from(c).ok()))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(value
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| {
            Some((
                o["op"].as_str()?.to_owned(),
                Declared {
                    method: o["method"].as_str().unwrap_or_default().to_owned(),
                    path: o["path"].as_str().unwrap_or_default().to_owned(),
                    success: codes(&o["success"]),
                    errors: codes(&o["errors"]),
                    skip: o["skip"].as_str().map(str::to_owned),
                },
            ))
        })
        .collect())
}

/// The probe crate's manifest: the generated client and the runtime by path.
fn probe_manifest(binary: &str) -> String {
    let runtime = tools::project_root().join("runtime");
    format!(
        "# Written by `cargo xtask contract`.\n[package]\nname = \"contract-probe\"\nversion = \"0.1.0\"\n\
         edition = \"2024\"\npublish = false\n\n[[bin]]\nname = \"{binary}\"\npath = \"src/main.rs\"\n\n\
         [dependencies]\n{CLIENT} = {{ path = \"../client\" }}\napigen-runtime = {{ path = {:?} }}\n\
         serde = \"1\"\nserde_json = \"1\"\n\
         tokio = {{ version = \"1\", default-features = false, features = [\"rt\"] }}\n\n\
         [workspace]\n",
        runtime.to_string_lossy()
    )
}

fn write(path: &Path, content: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).context(format_args!("creating {}", parent.display()))?;
    }
    if fs::read_to_string(path).ok().as_deref() != Some(content) {
        fs::write(path, content).context(format_args!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> Declared {
        Declared {
            method: "GET".to_owned(),
            path: "/things".to_owned(),
            success: vec![200],
            errors: vec![404],
            skip: None,
        }
    }

    #[test]
    fn an_operation_without_a_success_passes_on_a_declared_error() {
        let d = Declared {
            success: Vec::new(),
            errors: vec![400, 404],
            ..declared()
        };
        let error = |status: u16, typed: bool| json!({"status": status, "ok": false, "error": "GET /things: 400", "typed_body": typed});
        assert_eq!(problem(&error(400, true), &d), None);
        assert!(problem(&error(400, false), &d).is_some());
        assert!(problem(&error(500, true), &d).is_some());
        // With a success declared, an error is a failure.
        assert!(problem(&error(404, true), &declared()).is_some());
    }

    #[test]
    fn each_kind_of_outcome_is_judged() {
        let d = declared();
        let judge = |outcome: Value| problem(&outcome, &d);
        assert_eq!(
            judge(json!({"status": 200, "ok": true, "roundtrip": null})),
            None
        );
        assert_eq!(
            judge(
                json!({"status": 200, "ok": false, "error": "GET /things: decode error at $.items[0].id: invalid type"})
            ),
            Some("failed: GET /things: decode error at $.items[0].id: invalid type".to_owned())
        );
        assert_eq!(
            judge(
                json!({"status": 200, "ok": true, "roundtrip": "encoded {}, decoded and encoded again {\"a\":1}"})
            ),
            Some("round trip: encoded {}, decoded and encoded again {\"a\":1}".to_owned())
        );
        assert_eq!(
            judge(json!({"status": 201, "ok": true, "roundtrip": null})),
            Some("status 201, which the document does not declare".to_owned())
        );
        assert!(
            judge(json!({"status": 422, "ok": false, "error": "x"}))
                .is_some_and(|p| p.contains("invalid (422)"))
        );
        // An error status asked for is an answer like any other; a success is not.
        assert_eq!(
            judge(json!({"status": 404, "ok": false, "prefer": "code=404", "error": "404"})),
            None
        );
        assert_eq!(
            judge(json!({"status": 401, "ok": false, "prefer": "code=401"})),
            None
        );
        assert!(
            judge(json!({"status": 404, "ok": true, "prefer": "code=404", "roundtrip": null}))
                .is_some_and(|p| p.contains("decoded as a success"))
        );
        assert!(
            judge(json!({"status": 200, "ok": true, "prefer": "code=404", "roundtrip": null}))
                .is_some_and(|p| p.starts_with("asked for status 404, got 200"))
        );
        assert!(judge(json!({"problem": "no value for path id"})).is_some());
        // A warning (a deprecated parameter used) is not a problem; an error is.
        let warning = "[{\"location\":[\"request\",\"query\",\"q\"],\"severity\":\"Warning\",\"code\":\"deprecated\"}]";
        assert_eq!(
            judge(json!({"status": 200, "ok": true, "roundtrip": null, "violations": warning})),
            None
        );
        let error = "[{\"location\":[\"request\",\"query\",\"q\"],\"severity\":\"Error\"}]";
        assert!(
            judge(json!({"status": 200, "ok": true, "roundtrip": null, "violations": error}))
                .is_some()
        );
    }

    #[test]
    fn answers_prism_cannot_make_are_set_aside() {
        let error = json!({"status": 500, "ok": false, "error": "POST /device/token: 500 Internal Server Error: {\"type\":\"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT\"}"});
        assert!(answer_breaks_document(&error));
        let internal = json!({"status": 500, "ok": false, "error": "GET /x: 500 Internal Server Error: {\"type\":\"https://stoplight.io/prism/errors#UNKNOWN\",\"title\":\"TypeError\"}"});
        assert!(answer_breaks_document(&internal));
        let routing = json!({"status": 404, "ok": false, "error": "GET /x: 404 Not Found: {\"type\":\"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR\"}"});
        assert!(!answer_breaks_document(&routing));
        let out_of_format = json!({"status": 200, "ok": false, "error": "PUT /v1/instances/{instance}: 200 OK: cannot decode the response body at `ncpus`: invalid value: integer `35716735`, expected u16; body: {}"});
        assert!(answer_breaks_document(&out_of_format));
        let in_union = json!({"status": 200, "ok": false, "error": "GET /lldp: 200 OK: cannot decode the response body at `items[0].addr`: data did not match any variant of untagged enum NetworkAddress (NetworkAddressIpAddr: missing field `ip_addr`; NetworkAddressIEEE802 at `i_e_e_e802[0]`: invalid value: integer `37389378`, expected u8); body: {}"});
        assert!(answer_breaks_document(&in_union));
        let float = json!({"status": 200, "ok": false, "error": "POST /embeddings: 200 OK: cannot decode the response body at `data[0].embedding[0]`: number -340282366920938500000000000000000000000 is out of range for f32 (a `format: float` number); body: {}"});
        assert!(answer_breaks_document(&float));
        let wrong_type = json!({"status": 200, "ok": false, "error": "GET /x: 200 OK: cannot decode the response body at `id`: invalid type: string \"a\", expected u16; body: {}"});
        assert!(!answer_breaks_document(&wrong_type));
        let stopped =
            json!({"status": null, "ok": false, "prism_stopped": "Prism exited (signal: 9)"});
        assert!(answer_breaks_document(&stopped));
    }

    #[test]
    fn only_answers_prism_finds_invalid_are_set_aside() {
        let response = json!({"violations": "[{\"location\":[\"response\",\"body\",\"id\"]}]"});
        let request = json!({"violations": "[{\"location\":[\"request\",\"query\",\"q\"]}]"});
        let both =
            json!({"violations": "[{\"location\":[\"response\"]},{\"location\":[\"request\"]}]"});
        assert!(answer_breaks_document(&response));
        let many = json!({"violations": "Too many violations! [{\"location\":[\"response\",\"body\",\"0\"]}]"});
        assert!(answer_breaks_document(&many));
        // Cut short by Prism.
        let cut = json!({"violations": "Too many violations! [{\"location\":[\"response\",\"body\"],\"severity\":\"Error\"},{\"location\":[\"response\",\"bo"});
        assert!(answer_breaks_document(&cut));
        let cut_request = json!({"violations": "[{\"location\":[\"response\"],\"severity\":\"Error\"},{\"location\":[\"request\",\"qu"});
        assert!(!answer_breaks_document(&cut_request));
        assert!(!answer_breaks_document(&request));
        assert!(!answer_breaks_document(&both));
        assert!(!answer_breaks_document(&json!({"status": 200})));
    }
}
