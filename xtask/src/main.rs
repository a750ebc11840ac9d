use std::process::ExitCode;

use xtask::error::Error;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test                                 install the test tools under target/tools (Prism,
                                       openapi-spec-validator) and run every test
  bench [--spec PATH] [--runs N] [--no-criterion]
                                       criterion benches, then generation speed and compile
                                       cost side by side with openapi-to-rust";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => xtask::test::run(),
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

fn usage() -> Error {
    Error::msg(format!("unknown command\n\n{USAGE}"))
}
