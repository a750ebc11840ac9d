//! `cargo xtask generate`: the one place that turns a spec into files on disk.
//!
//! [`run`] computes every generated file with the generator library and hands them to
//! [`sync::sync`], which writes them or, in check mode, reports how the directory differs. The
//! `#[test]` below runs the check, so a plain `cargo test` fails on a stale `generated/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};

use apigen::{Config, Layout};

use crate::error::{Context, Error, Result, bail};
use crate::sync::{self, Mode, Report};
use crate::tools::project_root;

/// The command that regenerates the workspace client; printed in headers and messages.
pub const COMMAND: &str = "cargo xtask generate";

/// One generation: which document, where to, how.
pub struct Job {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub config: Config,
}

impl Job {
    /// The workspace's client: `spec/circleci.yaml` into the modules of `generated/src/api/`.
    pub fn workspace() -> Job {
        let root = project_root();
        Job {
            spec: root.join("spec/circleci.yaml"),
            out: root.join("generated/src/api"),
            config: Config {
                crate_name: "circleci-api".to_owned(),
                runtime_crate: "apigen_runtime".to_owned(),
                env_prefix: Some("CIRCLECI".to_owned()),
                command: COMMAND.to_owned(),
                spec_label: "spec/circleci.yaml".to_owned(),
                layout: Layout::Module,
                type_names: BTreeMap::new(),
            },
        }
    }

    /// A standalone crate named `name` from any document, in `out`, depending on this
    /// workspace's runtime by path.
    pub fn standalone(spec: &str, out: &str, name: &str) -> Result<Job> {
        if !is_crate_name(name) {
            bail!(
                "--name {name:?} is not a usable crate name: use ASCII letters, digits, `-` and `_`, \
                 starting with a letter"
            );
        }
        let spec_path = normalize(&std::path::absolute(spec).context(format_args!("resolving --spec {spec}"))?);
        let out_path = normalize(&std::path::absolute(out).context(format_args!("resolving --out {out}"))?);
        let runtime_path = path_from(&out_path, &project_root().join("runtime"));
        Ok(Job {
            spec: spec_path,
            out: out_path,
            config: Config {
                crate_name: name.to_owned(),
                runtime_crate: "apigen_runtime".to_owned(),
                env_prefix: Some(name.to_ascii_uppercase().replace('-', "_")),
                command: format!("{COMMAND} --spec {spec} --out {out} --name {name}"),
                spec_label: spec.to_owned(),
                layout: Layout::Crate {
                    runtime_path: runtime_path.to_string_lossy().into_owned(),
                },
                type_names: BTreeMap::new(),
            },
        })
    }
}

/// What a generation did (or, in check mode, would do).
pub struct Outcome {
    pub report: Report,
    pub summary: String,
}

/// Generates `job` and writes the files or, with [`Mode::Check`], compares them with the disk.
/// Warnings go to stderr; errors (every one, with its JSON pointer) make the result an error.
pub fn run(job: &Job, mode: Mode) -> Result<Outcome> {
    let text = fs::read(&job.spec).context(format_args!("reading {}", job.spec.display()))?;
    let text = String::from_utf8(text)
        .map_err(|e| Error::msg(format!("{} is not UTF-8 text (byte {})", job.spec.display(), e.utf8_error().valid_up_to())))?;
    let output = match apigen::generate(&text, &job.config) {
        Ok(output) => output,
        Err(failure) => {
            for warning in &failure.warnings {
                eprintln!("warning: {warning}");
            }
            let mut message = format!(
                "{} cannot be generated: {} error(s)\n",
                job.spec.display(),
                failure.errors.len()
            );
            for error in &failure.errors {
                let _ = writeln!(message, "  {error}");
            }
            return Err(Error::msg(message.trim_end()));
        }
    };
    for warning in &output.warnings {
        eprintln!("warning: {warning}");
    }
    let report = sync::sync(&job.out, &output.files, mode)?;
    let summary = format!(
        "{} from {}: {:?}; files: {} written, {} unchanged, {} deleted; {} warning(s)",
        job.out.display(),
        job.config.spec_label,
        output.stats,
        report.changed.len() + report.missing.len(),
        report.unchanged.len(),
        report.extra.len(),
        output.warnings.len(),
    );
    Ok(Outcome { report, summary })
}

/// The `--check` verdict: `Ok` when up to date, else an error listing what differs and the
/// command that fixes it.
pub fn check(job: &Job, command: &str) -> Result<()> {
    let outcome = run(job, Mode::Check)?;
    if outcome.report.is_clean() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "{} is not what {} generates:\n{}run `{command}` to update it",
        job.out.display(),
        job.spec.display(),
        outcome.report.list(Path::new(""))
    )))
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `path` without `.` and `..` components (lexically, as cargo reads path dependencies).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How to reach `to` from the directory `from` (both absolute): relative when they share more
/// than the filesystem root, absolute otherwise.
fn path_from(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = normalize(from).components().collect();
    let to: Vec<_> = normalize(to).components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return to.iter().collect();
    }
    let mut path: PathBuf = std::iter::repeat_n(Component::ParentDir, from.len() - common).collect();
    path.extend(&to[common..]);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_client_is_up_to_date() {
        if let Err(e) = check(&Job::workspace(), COMMAND) {
            panic!("{e}");
        }
    }

    #[test]
    fn relative_runtime_paths() {
        assert_eq!(
            path_from(Path::new("/w/target/bench/ours"), Path::new("/w/runtime")),
            Path::new("../../../runtime")
        );
        assert_eq!(path_from(Path::new("/w/out"), Path::new("/w/runtime")), Path::new("../runtime"));
        assert_eq!(path_from(Path::new("/tmp/x"), Path::new("/w/runtime")), Path::new("/w/runtime"));
        assert_eq!(normalize(Path::new("/w/a/./b/../c")), Path::new("/w/a/c"));
    }

    #[test]
    fn crate_names() {
        assert!(is_crate_name("circleci-api") && is_crate_name("m_1"));
        assert!(!is_crate_name("1abc") && !is_crate_name("") && !is_crate_name("a b") && !is_crate_name("a/b"));
    }
}
