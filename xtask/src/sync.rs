//! Bringing a directory in line with a set of generated files — or, in check mode, saying how it
//! differs. One function does both, so `--check` can never disagree with what a write would do.
//!
//! Only files whose first line carries the generated-file header are ever deleted: a handwritten
//! file next to the generated ones is left alone, whatever its name.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use crate::error::{Context, Result, bail};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write changed and missing files, delete generated files no longer produced.
    Write,
    /// Touch nothing; report what a write would change.
    Check,
}

/// What differs between the directory and the generated files (in write mode: what was done).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files that exist with other content.
    pub changed: Vec<String>,
    /// Files that do not exist yet.
    pub missing: Vec<String>,
    /// Generated files (by their header) that are no longer produced.
    pub extra: Vec<String>,
    /// Files already up to date.
    pub unchanged: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// The differences, one file per line, each with its kind (for `--check`).
    pub fn list(&self, dir: &Path) -> String {
        let mut out = String::new();
        for (kind, files) in [
            ("stale", &self.changed),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for file in files {
                out.push_str(&format!("  {kind:<8}{}\n", dir.join(file).display()));
            }
        }
        out
    }
}

/// True when `first_line` is the header a generated file starts with: a plain comment (`//` in
/// Rust, `#` in TOML — not a doc comment) that says it was generated and names the command.
pub fn is_generated_header(first_line: &str) -> bool {
    let line = first_line.trim_start();
    let comment = (line.starts_with("//") && !line.starts_with("///") && !line.starts_with("//!"))
        || (line.starts_with('#') && !line.starts_with("#["));
    comment
        && line.contains("cargo xtask generate")
        && line.to_ascii_lowercase().contains("generated")
}

/// Makes `dir` hold exactly `files` (paths relative to `dir`, `/`-separated), as far as generated
/// files go. In [`Mode::Check`] nothing is touched and the report lists the differences.
pub fn sync(dir: &Path, files: &BTreeMap<String, String>, mode: Mode) -> Result<Report> {
    let mut report = Report::default();
    let mut handwritten = Vec::new();
    for (name, content) in files {
        let path = dir.join(checked_relative(name)?);
        match fs::read(&path) {
            Ok(existing) if existing == content.as_bytes() => report.unchanged.push(name.clone()),
            Ok(existing) if !has_generated_header(&existing) => handwritten.push(path),
            Ok(_) => report.changed.push(name.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.missing.push(name.clone()),
            Err(e) => bail!("reading {}: {e}", path.display()),
        }
    }
    if !handwritten.is_empty() {
        let list: Vec<_> = handwritten
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect();
        bail!(
            "refusing to replace files that were not generated (their first line is not the \
             generated header):\n{}\nmove them away or choose another output directory",
            list.join("\n")
        );
    }
    for path in generated_files_in(dir)? {
        let name = relative_name(dir, &path);
        if !files.contains_key(&name) {
            report.extra.push(name);
        }
    }
    if mode == Mode::Write {
        for name in report.changed.iter().chain(&report.missing) {
            let path = dir.join(checked_relative(name)?);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .context(format_args!("creating {}", parent.display()))?;
            }
            fs::write(&path, &files[name]).context(format_args!("writing {}", path.display()))?;
        }
        for name in &report.extra {
            let path = dir.join(name);
            fs::remove_file(&path).context(format_args!("deleting {}", path.display()))?;
        }
    }
    Ok(report)
}

/// A generated file name as a relative path that cannot leave the output directory.
fn checked_relative(name: &str) -> Result<PathBuf> {
    let path = Path::new(name);
    if name.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!("the generator produced a file with an unusable path: {name:?}");
    }
    Ok(path.to_path_buf())
}

fn relative_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// Every file under `dir` whose first line is the generated header. Skips `target/` and hidden
/// directories (a standalone crate may have been built in place). A missing `dir` has none.
fn generated_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => bail!("listing {}: {e}", current.display()),
        };
        for entry in entries {
            let entry = entry.context(format_args!("listing {}", current.display()))?;
            let path = entry.path();
            let file_type = entry
                .file_type()
                .context(format_args!("inspecting {}", path.display()))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if file_type.is_dir() {
                let skipped = name.starts_with('.') || (current == dir && name == "target");
                if !skipped {
                    pending.push(path);
                }
            } else if file_type.is_file() && starts_with_generated_header(&path)? {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn starts_with_generated_header(path: &Path) -> Result<bool> {
    let file = fs::File::open(path).context(format_args!("opening {}", path.display()))?;
    let mut first = Vec::new();
    // A header is one short line; a binary or huge file will not have one.
    BufReader::new(file)
        .take(4096)
        .read_until(b'\n', &mut first)
        .context(format_args!("reading {}", path.display()))?;
    Ok(has_generated_header(&first))
}

fn has_generated_header(content: &[u8]) -> bool {
    let first = content.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(first).is_ok_and(is_generated_header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::Scratch;

    const HEADER: &str = "// @generated by `cargo xtask generate` from spec/circleci.yaml (sha256 0123); do not edit.\n";

    fn generated(body: &str) -> String {
        format!("{HEADER}{body}\n")
    }

    fn wanted() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("mod.rs".to_owned(), generated("pub mod pipeline;")),
            ("pipeline.rs".to_owned(), generated("pub struct Pipeline;")),
            ("nested/types.rs".to_owned(), generated("pub struct Types;")),
        ])
    }

    /// A directory with one file up to date, one stale, one missing (nested/types.rs), one
    /// generated file no longer produced, and two handwritten files.
    fn messy(tag: &str) -> Scratch {
        let dir = Scratch::new(tag);
        dir.write("mod.rs", &generated("pub mod pipeline;"));
        dir.write("pipeline.rs", &generated("pub struct OldPipeline;"));
        dir.write("workflow.rs", &generated("pub struct Workflow;"));
        dir.write(
            "handwritten.rs",
            "//! Written by a person.\npub fn helper() {}\n",
        );
        dir.write(
            "notes/README.md",
            "# cargo xtask generate is mentioned, but not on line one\n",
        );
        dir
    }

    #[test]
    fn check_reports_every_difference_and_touches_nothing() {
        let dir = messy("check");
        let report = sync(&dir.0, &wanted(), Mode::Check).unwrap();
        assert_eq!(report.changed, ["pipeline.rs"]);
        assert_eq!(report.missing, ["nested/types.rs"]);
        assert_eq!(report.extra, ["workflow.rs"]);
        assert_eq!(report.unchanged, ["mod.rs"]);
        assert!(!report.is_clean());
        assert_eq!(
            dir.read("pipeline.rs").unwrap(),
            generated("pub struct OldPipeline;")
        );
        assert!(dir.read("nested/types.rs").is_none());
        assert!(dir.read("workflow.rs").is_some());
        let listed = report.list(Path::new("api"));
        assert!(listed.contains("stale   api/pipeline.rs"), "{listed}");
        assert!(listed.contains("missing api/nested/types.rs"), "{listed}");
        assert!(listed.contains("extra   api/workflow.rs"), "{listed}");
    }

    #[test]
    fn write_updates_creates_deletes_and_spares_handwritten_files() {
        let dir = messy("write");
        let report = sync(&dir.0, &wanted(), Mode::Write).unwrap();
        assert_eq!(report.changed, ["pipeline.rs"]);
        assert_eq!(report.missing, ["nested/types.rs"]);
        assert_eq!(report.extra, ["workflow.rs"]);
        for (name, content) in wanted() {
            assert_eq!(dir.read(&name).as_deref(), Some(content.as_str()), "{name}");
        }
        assert!(dir.read("workflow.rs").is_none());
        assert!(dir.read("handwritten.rs").is_some());
        assert!(dir.read("notes/README.md").is_some());

        let again = sync(&dir.0, &wanted(), Mode::Check).unwrap();
        assert!(again.is_clean(), "{again:?}");
        assert_eq!(again.unchanged.len(), 3);
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = Scratch::new("mtime");
        dir.write("mod.rs", &generated("pub mod pipeline;"));
        let before = fs::metadata(dir.0.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let files = BTreeMap::from([("mod.rs".to_owned(), generated("pub mod pipeline;"))]);
        let report = sync(&dir.0, &files, Mode::Write).unwrap();
        assert_eq!(report.unchanged, ["mod.rs"]);
        let after = fs::metadata(dir.0.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn missing_directory_is_created_on_write_and_reported_on_check() {
        let dir = Scratch::new("fresh");
        let out = dir.0.join("crate");
        let check = sync(&out, &wanted(), Mode::Check).unwrap();
        assert_eq!(check.missing.len(), 3);
        assert!(!out.exists());
        sync(&out, &wanted(), Mode::Write).unwrap();
        assert!(sync(&out, &wanted(), Mode::Check).unwrap().is_clean());
    }

    #[test]
    fn target_directory_of_a_built_crate_is_not_scanned() {
        let dir = Scratch::new("target");
        dir.write("target/debug/build/copy.rs", &generated("pub struct Copy;"));
        let report = sync(&dir.0, &wanted(), Mode::Check).unwrap();
        assert!(report.extra.is_empty(), "{report:?}");
    }

    #[test]
    fn handwritten_files_are_never_overwritten() {
        let dir = Scratch::new("handwritten");
        dir.write("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n");
        let files = BTreeMap::from([
            (
                "Cargo.toml".to_owned(),
                "# @generated by `cargo xtask generate`\n[package]\n".to_owned(),
            ),
            ("src/lib.rs".to_owned(), generated("")),
        ]);
        for mode in [Mode::Check, Mode::Write] {
            let err = sync(&dir.0, &files, mode).unwrap_err().to_string();
            assert!(
                err.contains("refusing") && err.contains("Cargo.toml"),
                "{err}"
            );
        }
        assert_eq!(
            dir.read("Cargo.toml").unwrap(),
            "[workspace]\nmembers = [\"a\"]\n"
        );
        assert!(dir.read("src/lib.rs").is_none(), "nothing is written");
    }

    #[test]
    fn paths_that_leave_the_directory_are_refused() {
        let dir = Scratch::new("escape");
        for bad in ["../evil.rs", "/etc/evil.rs", "", "a/../../b.rs"] {
            let files = BTreeMap::from([(bad.to_owned(), generated(""))]);
            let err = sync(&dir.0, &files, Mode::Write).unwrap_err();
            assert!(err.to_string().contains("unusable path"), "{bad}: {err}");
        }
    }

    #[test]
    fn header_recognition() {
        assert!(is_generated_header(HEADER));
        assert!(is_generated_header(
            "# generated by `cargo xtask generate --spec x.yaml`; do not edit"
        ));
        assert!(!is_generated_header(
            "//! Docs: this crate is generated by `cargo xtask generate`"
        ));
        assert!(!is_generated_header(
            "// run `cargo xtask generate` after editing the spec"
        ));
        assert!(!is_generated_header("pub fn cargo_xtask_generate() {}"));
        assert!(!is_generated_header("// a handwritten comment"));
    }
}
