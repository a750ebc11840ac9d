//! The programs the tests need besides Rust, installed under `target/tools/` at the versions
//! pinned in `xtask/tools/`:
//!
//! - Prism (npm `@stoplight/prism-cli`), the mock server of the contract tests, installed with
//!   `npm ci` from `xtask/tools/prism/package-lock.json`; pinned at 5.14.2, the newest release
//!   that runs on Node 18 and 20 (5.15 and later require Node 24);
//! - `openapi-spec-validator` (PyPI), in a virtual environment built from
//!   `xtask/tools/requirements.txt`.
//!
//! Each install is skipped when the same pinned set is already there (a copy of the pin file is
//! kept next to the install once it succeeded), so running `cargo xtask test` again costs nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;
use crate::error::{Context, Result, bail};

/// The environment variable that tells tests where the Prism executable is.
pub const PRISM_ENV: &str = "APIGEN_PRISM";
/// The environment variable that tells tests where `openapi-spec-validator` is.
pub const SPEC_VALIDATOR_ENV: &str = "APIGEN_SPEC_VALIDATOR";

/// The workspace root: the parent of this crate's directory, wherever cargo is run from.
pub fn project_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir()
                    .map(|cwd| cwd.join(&dir))
                    .unwrap_or(dir)
            }
        }
        _ => project_root().join("target"),
    }
}

/// Where the tools go.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// Installs Prism if the pinned version is not there yet; returns the path of its executable.
pub fn install_prism() -> Result<PathBuf> {
    let pins = project_root().join("xtask/tools/prism");
    let dir = tools_dir().join("prism");
    let bin = dir.join("node_modules/.bin/prism");
    let lock = read(&pins.join("package-lock.json"))?;
    let stamp = dir.join(".installed-package-lock.json");
    ensure_installed("Prism", &bin, &stamp, &lock, || {
        if cmd::read(Command::new("npm").arg("--version")).is_err() {
            bail!(
                "Prism, the mock server of the contract tests, is installed with npm, and `npm --version` \
                 failed: install Node.js 18.20 or newer (with npm) and run `cargo xtask test` again"
            );
        }
        fs::create_dir_all(&dir).context(format_args!("creating {}", dir.display()))?;
        write(
            &dir.join("package.json"),
            &read(&pins.join("package.json"))?,
        )?;
        write(&dir.join("package-lock.json"), &lock)?;
        cmd::run(
            Command::new("npm")
                .arg("ci")
                .arg("--prefix")
                .arg(&dir)
                .args(["--no-audit", "--no-fund", "--loglevel=error"]),
        )
    })?;
    Ok(bin)
}

/// Installs `openapi-spec-validator` in a virtual environment if the pinned set is not there
/// yet; returns the path of its executable.
pub fn install_spec_validator() -> Result<PathBuf> {
    let pins = project_root().join("xtask/tools/requirements.txt");
    let venv = tools_dir().join("venv");
    let bin = validator_bin(&venv);
    let requirements = read(&pins)?;
    let stamp = venv.join(".installed-requirements.txt");
    ensure_installed(
        "openapi-spec-validator",
        &bin,
        &stamp,
        &requirements,
        || {
            let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
            if cmd::read(Command::new(&python).arg("--version")).is_err() {
                bail!(
                    "the spec validator is a Python program, and `{} --version` failed: install Python 3.9 \
                 or newer (or set PYTHON to its path) and run `cargo xtask test` again",
                    python.to_string_lossy()
                );
            }
            cmd::run(
                Command::new(&python)
                    .args(["-m", "venv", "--clear"])
                    .arg(&venv),
            )?;
            cmd::run(
                Command::new(venv_bin_dir(&venv).join("python"))
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        "--no-input",
                        "--quiet",
                    ])
                    .arg("--requirement")
                    .arg(&pins),
            )
        },
    )?;
    Ok(bin)
}

/// Runs `install` unless `bin` exists and `stamp` holds `pins`, the content of the pin file the
/// last successful install used; then shows the installed version.
fn ensure_installed(
    name: &str,
    bin: &Path,
    stamp: &Path,
    pins: &str,
    install: impl FnOnce() -> Result<()>,
) -> Result<()> {
    if !(bin.exists() && fs::read_to_string(stamp).is_ok_and(|s| s == pins)) {
        let _ = fs::remove_file(stamp);
        install()?;
        if !bin.exists() {
            bail!(
                "installing {name} succeeded but {} does not exist",
                bin.display()
            );
        }
        write(stamp, pins)?;
    }
    let version = cmd::read(Command::new(bin).arg("--version"))?;
    eprintln!(
        "{name} {} at {}",
        version.trim().trim_start_matches(name).trim(),
        bin.display()
    );
    Ok(())
}

/// The installed `openapi-spec-validator`, for tests: `APIGEN_SPEC_VALIDATOR`, else where
/// [`install_spec_validator`] puts it; an error that says how to install it otherwise.
pub fn installed_spec_validator() -> Result<PathBuf> {
    let (path, source) = match std::env::var_os(SPEC_VALIDATOR_ENV).filter(|p| !p.is_empty()) {
        Some(path) => (
            PathBuf::from(path),
            format!("{SPEC_VALIDATOR_ENV} points to"),
        ),
        None => (
            validator_bin(&tools_dir().join("venv")),
            "it is not installed at".to_owned(),
        ),
    };
    if !path.exists() {
        bail!(
            "openapi-spec-validator is missing ({source} {}): run `cargo xtask test`, which installs \
             it and runs every test",
            path.display()
        );
    }
    Ok(path)
}

fn validator_bin(venv: &Path) -> PathBuf {
    venv_bin_dir(venv).join("openapi-spec-validator")
}

fn venv_bin_dir(venv: &Path) -> PathBuf {
    venv.join(if cfg!(windows) { "Scripts" } else { "bin" })
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).context(format_args!("reading {}", path.display()))
}

fn write(path: &Path, content: &str) -> Result<()> {
    fs::write(path, content).context(format_args!("writing {}", path.display()))
}
