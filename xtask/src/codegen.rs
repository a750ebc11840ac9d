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
        let spec_path =
            normalize(&std::path::absolute(spec).context(format_args!("resolving --spec {spec}"))?);
        let out_path =
            normalize(&std::path::absolute(out).context(format_args!("resolving --out {out}"))?);
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

/// The API changes from the document as committed (`git show HEAD:<spec>`) to the document
/// on disk; `None` when the document is not in a git checkout or not committed yet.
pub fn changes_since_head(job: &Job) -> Result<Option<apigen::Changes>> {
    let root = project_root();
    let Ok(relative) = job.spec.strip_prefix(&root) else {
        return Ok(None);
    };
    let relative = relative.to_string_lossy().replace('\\', "/");
    let committed = std::process::Command::new("git")
        .arg("show")
        .arg(format!("HEAD:{relative}"))
        .current_dir(&root)
        .output();
    let old = match committed {
        Ok(out) if out.status.success() => match String::from_utf8(out.stdout) {
            Ok(text) => text,
            Err(_) => return Ok(None),
        },
        _ => return Ok(None),
    };
    let new =
        fs::read_to_string(&job.spec).context(format_args!("reading {}", job.spec.display()))?;
    match apigen::changes(&old, &new, &job.config) {
        Ok(changes) => Ok(Some(changes)),
        // The committed document may predate what this generator accepts: the files are
        // written already, so this is said, not failed on.
        Err(failure) => {
            eprintln!("the committed {relative} cannot be compared: {failure}");
            Ok(None)
        }
    }
}

/// What a generation did (or, in check mode, would do).
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    pub summary: String,
    /// The generator's warnings (also printed to stderr).
    pub warnings: Vec<apigen::Diagnostic>,
}

/// Generates `job` and writes the files or, with [`Mode::Check`], compares them with the disk.
/// Warnings go to stderr; errors (every one, with its JSON pointer) make the result an error.
pub fn run(job: &Job, mode: Mode) -> Result<Outcome> {
    let text = fs::read(&job.spec).context(format_args!("reading {}", job.spec.display()))?;
    let text = String::from_utf8(text).map_err(|e| {
        Error::msg(format!(
            "{} is not UTF-8 text (byte {})",
            job.spec.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let output = match apigen::generate(&text, &job.config) {
        Ok(output) => output,
        Err(failure) => {
            for warning in &failure.warnings {
                eprintln!("{warning}");
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
        eprintln!("{warning}");
    }
    let report = sync::sync(&job.out, &output.files, mode)?;
    let stats = &output.stats;
    let summary = format!(
        "{} ← {}: {} operations, {} types, {} lines; files: {} written, {} unchanged, {} deleted; {} warning(s)",
        shown(&job.out),
        job.config.spec_label,
        stats.operations,
        stats.types,
        stats.lines,
        report.changed.len() + report.missing.len(),
        report.unchanged.len(),
        report.extra.len(),
        output.warnings.len(),
    );
    Ok(Outcome {
        report,
        summary,
        warnings: output.warnings,
    })
}

/// The `--check` verdict: a line saying all is up to date, or an error listing what differs and
/// the command that fixes it.
pub fn check(job: &Job) -> Result<String> {
    let outcome = run(job, Mode::Check)?;
    if outcome.report.is_clean() {
        return Ok(format!(
            "{} is up to date with {}",
            shown(&job.out),
            job.config.spec_label
        ));
    }
    Err(Error::msg(format!(
        "{} is not what {} generates:\n{}run `{}` to update it",
        shown(&job.out),
        job.config.spec_label,
        outcome.report.list(Path::new(&shown(&job.out))),
        job.config.command
    )))
}

/// `path` relative to the current directory when it is under it, for shorter messages.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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
    let (from, to) = (normalize(from), normalize(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return to.iter().collect();
    }
    let mut path: PathBuf =
        std::iter::repeat_n(Component::ParentDir, from.len() - common).collect();
    path.extend(&to[common..]);
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::Scratch;

    #[test]
    fn generated_client_is_up_to_date() {
        if let Err(e) = check(&Job::workspace()) {
            panic!("{e}");
        }
    }

    /// A document with two tags; `with_stores: false` drops the second tag's operation.
    fn pets_spec(description: &str, with_stores: bool) -> String {
        let stores = if with_stores {
            "  /stores:\n    get:\n      operationId: listStores\n      tags: [Stores]\n      responses:\n        \
             '200':\n          description: ok\n          content:\n            application/json:\n              \
             schema: {type: array, items: {type: string}}\n"
        } else {
            ""
        };
        format!(
            "openapi: 3.1.0\ninfo: {{title: Pets, version: '1', description: {description}}}\n\
             servers: [{{url: 'https://pets.example/v1'}}]\npaths:\n  /pets/{{id}}:\n    get:\n      \
             operationId: getPet\n      tags: [Pets]\n      parameters:\n        - {{name: id, in: path, \
             required: true, schema: {{type: integer}}}}\n      responses:\n        '200':\n          \
             description: ok\n          content:\n            application/json:\n              schema:\n                \
             type: object\n                required: [id]\n                properties: {{id: {{type: integer}}, \
             name: {{type: [string, 'null']}}}}\n{stores}"
        )
    }

    #[test]
    fn standalone_crate_is_written_checked_and_cleaned_up() {
        let scratch = Scratch::new("standalone");
        let spec = scratch.path("pets.yaml");
        let out = scratch.path("pets-client");
        fs::write(&spec, pets_spec("First.", true)).unwrap();
        let job = Job::standalone(&spec, &out, "pets-client").unwrap();

        let first = run(&job, Mode::Write).unwrap();
        assert!(first.report.changed.is_empty() && first.report.extra.is_empty());
        assert!(
            first.report.missing.contains(&"Cargo.toml".to_owned()),
            "{:?}",
            first.report
        );
        let stores_file = first
            .report
            .missing
            .iter()
            .find(|f| f.contains("stores"))
            .cloned()
            .expect("a file for the Stores tag");
        check(&job).unwrap();
        let again = run(&job, Mode::Write).unwrap();
        assert_eq!(again.report.unchanged.len(), first.report.missing.len());
        assert!(again.report.is_clean());

        // Handwritten files next to the generated ones.
        fs::write(job.out.join("src/handwritten.rs"), "//! Mine.\n").unwrap();
        fs::write(job.out.join("README.md"), "# Pets\n").unwrap();

        // The spec changes and nobody regenerates: the check names the files and the command.
        fs::write(&spec, pets_spec("Second.", false)).unwrap();
        let stale = check(&job).unwrap_err().to_string();
        assert!(
            stale.contains("stale")
                && stale.contains(&format!("extra   {}", job.out.join(&stores_file).display())),
            "{stale}"
        );
        assert!(
            stale.contains(&format!(
                "run `cargo xtask generate --spec {spec} --out {out} --name pets-client`"
            )),
            "{stale}"
        );
        assert!(job.out.join(&stores_file).exists(), "check wrote nothing");

        let update = run(&job, Mode::Write).unwrap();
        assert_eq!(update.report.extra, std::slice::from_ref(&stores_file));
        assert!(!job.out.join(&stores_file).exists());
        assert!(job.out.join("src/handwritten.rs").exists() && job.out.join("README.md").exists());
        check(&job).unwrap();
    }

    #[test]
    fn standalone_crate_finds_the_runtime() {
        let scratch = Scratch::new("runtime-path");
        let spec = scratch.path("pets.yaml");
        fs::write(&spec, pets_spec("Pets.", false)).unwrap();
        for out in [
            scratch.path("elsewhere/client"),
            project_root()
                .join("target/xtask-test-client")
                .to_string_lossy()
                .into_owned(),
        ] {
            let job = Job::standalone(&spec, &out, "pets-client").unwrap();
            run(&job, Mode::Write).unwrap();
            let manifest = fs::read_to_string(job.out.join("Cargo.toml")).unwrap();
            let Layout::Crate { runtime_path } = &job.config.layout else {
                panic!("crate layout")
            };
            assert!(
                manifest.contains(&format!("path = \"{runtime_path}\"")),
                "{manifest}"
            );
            let runtime =
                fs::read_to_string(job.out.join(runtime_path).join("Cargo.toml")).unwrap();
            assert!(
                runtime.contains("name = \"apigen-runtime\""),
                "{runtime_path}"
            );
            let _ = fs::remove_dir_all(&job.out);
        }
    }

    #[test]
    fn errors_are_listed_with_their_json_pointers() {
        let scratch = Scratch::new("errors");
        let spec = scratch.path("broken.yaml");
        let broken = pets_spec("Broken.", true)
            .replace(
                "type: array, items: {type: string}",
                "$ref: '#/components/schemas/Missing'",
            )
            .replace(
                "schema: {type: integer}",
                "schema: {$ref: '#/components/schemas/AlsoMissing'}",
            );
        fs::write(&spec, broken).unwrap();
        let job = Job::standalone(&spec, &scratch.path("out"), "broken").unwrap();
        let err = run(&job, Mode::Write).unwrap_err().to_string();
        assert!(err.contains("2 error(s)"), "{err}");
        assert!(
            err.contains("#/paths/~1stores/get/responses/200/content/application~1json/schema"),
            "{err}"
        );
        assert!(
            err.contains("AlsoMissing") && err.contains("#/paths/~1pets~1{id}/get/parameters/0"),
            "{err}"
        );
        assert!(
            !job.out.exists(),
            "nothing is written when generation fails"
        );
    }

    #[test]
    fn unreadable_input_is_an_error_not_a_panic() {
        let scratch = Scratch::new("unreadable");
        let missing =
            Job::standalone(&scratch.path("nope.yaml"), &scratch.path("out"), "x").unwrap();
        assert!(
            run(&missing, Mode::Write)
                .unwrap_err()
                .to_string()
                .contains("nope.yaml")
        );
        let binary = scratch.path("binary.yaml");
        fs::write(&binary, [0x6f, 0x70, 0xff, 0xfe]).unwrap();
        let job = Job::standalone(&binary, &scratch.path("out"), "x").unwrap();
        assert!(
            run(&job, Mode::Write)
                .unwrap_err()
                .to_string()
                .contains("not UTF-8")
        );
        assert!(Job::standalone(&binary, &scratch.path("out"), "9lives").is_err());
    }

    #[test]
    fn relative_runtime_paths() {
        assert_eq!(
            path_from(Path::new("/w/target/bench/ours"), Path::new("/w/runtime")),
            Path::new("../../../runtime")
        );
        assert_eq!(
            path_from(Path::new("/w/out"), Path::new("/w/runtime")),
            Path::new("../runtime")
        );
        assert_eq!(
            path_from(Path::new("/tmp/x"), Path::new("/w/runtime")),
            Path::new("/w/runtime")
        );
        assert_eq!(normalize(Path::new("/w/a/./b/../c")), Path::new("/w/a/c"));
    }

    #[test]
    fn crate_names() {
        assert!(is_crate_name("circleci-api") && is_crate_name("m_1"));
        assert!(
            !is_crate_name("1abc")
                && !is_crate_name("")
                && !is_crate_name("a b")
                && !is_crate_name("a/b")
        );
    }
}
