use std::process::ExitCode;

use xtask::codegen::{self, Job};
use xtask::error::{Error, Result};
use xtask::sync::Mode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [--check]                   regenerate generated/src/api/ from spec/circleci.yaml
                                       (--check: write nothing, fail if anything is stale)
  generate --spec PATH --out DIR --name CRATE [--check]
                                       generate a standalone crate from any OpenAPI 3.0/3.1
                                       document, depending on this workspace's runtime
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
    let mut check = false;
    let (mut spec, mut out, mut name) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--check" => {
                check = true;
                continue;
            }
            "--spec" => &mut spec,
            "--out" => &mut out,
            "--name" => &mut name,
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
    }
    Ok(())
}

fn usage() -> Error {
    Error::msg(format!("unknown command\n\n{USAGE}"))
}
