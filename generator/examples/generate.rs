//! Generates a standalone crate from one document, for trying the generator by hand:
//! `cargo run -p apigen --example generate -- SPEC OUT_DIR CRATE_NAME RUNTIME_PATH`.
//! (The project's real entry point is `cargo xtask generate`.)

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out, name, runtime] = args.as_slice() else {
        eprintln!("usage: generate SPEC OUT_DIR CRATE_NAME RUNTIME_PATH");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {spec}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = apigen::Config::new(name.clone()).standalone(runtime.clone());
    config.spec_label = spec.clone();
    config.command = "cargo run -p apigen --example generate".to_owned();
    let start = Instant::now();
    let result = apigen::generate(&text, &config);
    let elapsed = start.elapsed();
    match result {
        Ok(output) => {
            for w in &output.warnings {
                eprintln!("{w}");
            }
            for (path, content) in &output.files {
                let full = Path::new(out).join(path);
                if let Some(parent) = full.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                if let Err(e) = std::fs::write(&full, content) {
                    eprintln!("cannot write {}: {e}", full.display());
                    return ExitCode::from(1);
                }
            }
            eprintln!(
                "{} operations, {} types, {} lines in {:?}",
                output.stats.operations, output.stats.types, output.stats.lines, elapsed
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            for w in &failure.warnings {
                eprintln!("{w}");
            }
            eprintln!("{failure}");
            ExitCode::from(1)
        }
    }
}
