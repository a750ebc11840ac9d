use std::process::ExitCode;

use xtask::codegen::{self, Job};
use xtask::error::{Error, Result};
use xtask::sync::Mode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [--check] [--report FILE]   regenerate generated/src/api/ from spec/circleci.yaml and
                                       print what changed for users since the committed spec
                                       (--report: also as Markdown; --no-report: skip it;
                                       --check: write nothing, fail if anything is stale)
  generate --spec PATH --out DIR --name CRATE [--check]
                                       generate a standalone crate from any OpenAPI 3.0/3.1
                                       document, depending on this workspace's runtime
  changes OLD NEW [--report FILE]      the API changes between two versions of the document
  contract --spec PATH [--seeds N] [--report FILE]
                                       generate a client from any document and call every
                                       operation against Prism serving it: static examples,
                                       declared statuses, N seeds of dynamic responses (3)
  test                                 install the test tools under target/tools (Prism,
                                       openapi-spec-validator) and run every test
  bench [--spec PATH] [--runs N] [--no-criterion]
                                       criterion benches, then generation speed and compile
                                       cost side by side with openapi-to-rust";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("test") => match args.get(1) {
            None => xtask::test::run(),
            Some(other) => Err(xtask::error::Error::msg(format!(
                "unknown argument to `cargo xtask test`: {other}"
            ))),
        },
        Some("changes") => changes(&args[1..]),
        Some("contract") => xtask::contract::Options::parse(&args[1..])
            .and_then(|o| xtask::contract::run(&o))
            .and_then(|report| {
                print!("{}", report.text());
                if report.failed() > 0 {
                    Err(Error::msg(format!(
                        "{} of {} operations failed",
                        report.failed(),
                        report.operations.len()
                    )))
                } else {
                    Ok(())
                }
            }),
        Some("bench") => {
            xtask::bench::Options::parse(&args[1..]).and_then(|o| xtask::bench::run(&o))
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &[String]) -> Result<()> {
    let (mut check, mut no_report) = (false, false);
    let (mut spec, mut out, mut name, mut report) = (None, None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--check" => {
                check = true;
                continue;
            }
            "--no-report" => {
                no_report = true;
                continue;
            }
            "--spec" => &mut spec,
            "--out" => &mut out,
            "--name" => &mut name,
            "--report" => &mut report,
            other => {
                return Err(Error::msg(format!(
                    "unknown argument to `cargo xtask generate`: {other}\n\n{USAGE}"
                )));
            }
        };
        match args.next() {
            Some(value) => *slot = Some(value.as_str()),
            None => return Err(Error::msg(format!("{arg} needs a value"))),
        }
    }
    let job = match (spec, out, name) {
        (None, None, None) => Job::workspace(),
        (Some(spec), Some(out), Some(name)) => Job::standalone(spec, out, name)?,
        _ => return Err(Error::msg("--spec, --out and --name go together")),
    };
    if check {
        println!("{}", codegen::check(&job)?);
    } else {
        println!("{}", codegen::run(&job, Mode::Write)?.summary);
        if no_report {
            return Ok(());
        }
        // What changed for users, against the document as last committed.
        match codegen::changes_since_head(&job)? {
            Some(changes) => {
                print!("{changes}");
                if let Some(path) = report {
                    std::fs::write(path, changes.markdown())
                        .map_err(|e| Error::msg(format!("writing {path}: {e}")))?;
                    println!("report written to {path}");
                }
            }
            None => {
                println!("(no committed version of the document to compare with)");
                if report.is_some() {
                    return Err(Error::msg(
                        "--report needs a committed version of the document to compare with",
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `cargo xtask changes OLD NEW [--report FILE]`: the API changes between two versions of
/// the workspace's document (for example one taken with `git show REV:spec/circleci.yaml`).
fn changes(args: &[String]) -> Result<()> {
    let (files, report): (Vec<&String>, Option<&String>) = match args {
        [old, new] => (vec![old, new], None),
        [old, new, flag, file] if flag == "--report" => (vec![old, new], Some(file)),
        _ => {
            return Err(Error::msg(format!(
                "usage: cargo xtask changes OLD NEW [--report FILE]\n\n{USAGE}"
            )));
        }
    };
    let read = |path: &String| {
        std::fs::read_to_string(path).map_err(|e| Error::msg(format!("reading {path}: {e}")))
    };
    let (old, new) = (read(files[0])?, read(files[1])?);
    let changes = apigen::changes(&old, &new, &Job::workspace().config)
        .map_err(|failure| Error::msg(failure.to_string()))?;
    print!("{changes}");
    if let Some(path) = report {
        std::fs::write(path, changes.markdown())
            .map_err(|e| Error::msg(format!("writing {path}: {e}")))?;
    }
    Ok(())
}

fn usage() -> Error {
    Error::msg(format!("unknown command\n\n{USAGE}"))
}
