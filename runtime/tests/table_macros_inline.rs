//! The functions the runtime's table macros write into a generated crate are `#[inline]` or
//! generic, as the generator's own functions are (ARCHITECTURE.md): a generated crate then
//! makes no machine code of its own, and a program compiles only what it calls.

use std::path::Path;

/// The text of each exported `macro_rules!` in `source` (those generated code calls): its
/// name and body.
fn macros(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("macro_rules! ") {
        let exported = rest[..at].trim_end().ends_with("#[macro_export]");
        rest = &rest[at + "macro_rules! ".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = rest.find('{') else { break };
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end.unwrap_or_else(|| panic!("macro {name} is not closed"));
        if exported {
            found.push((name, rest[open..end].to_owned()));
        }
        rest = &rest[end..];
    }
    found
}

/// What follows `fn ` on a line that declares a function, after any visibility and
/// qualifiers (`pub(crate) const unsafe fn name…`); `None` for other lines.
fn function_name_start(line: &str) -> Option<&str> {
    let mut rest = line;
    loop {
        if let Some(after) = rest.strip_prefix("fn ") {
            return Some(after);
        }
        let qualifier = [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ]
        .into_iter()
        .find(|q| rest.starts_with(q))?;
        rest = &rest[qualifier.len()..];
    }
}

#[test]
fn table_macros_write_only_inline_or_generic_functions() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = Vec::new();
    let mut offenders = Vec::new();
    for file in ["json.rs", "call_type.rs"] {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        for (name, body) in macros(&text) {
            let lines: Vec<&str> = body.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(after) = function_name_start(line) else {
                    continue;
                };
                let function: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let generic = after[function.len()..].starts_with('<');
                let inline = lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
                    .any(|l| *l == "#[inline]");
                checked.push(format!("{name}::{function}"));
                if !inline && !generic {
                    offenders.push(format!("{file}: {name}!: fn {function}"));
                }
            }
        }
    }
    for expected in [
        "impl_from_json::read",
        "impl_json::serialize",
        "impl_deserialize::deserialize",
        "impl_string_enum::as_str",
        "call_type::into_future",
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "{expected} not found among {checked:?}"
        );
    }
    assert!(
        offenders.is_empty(),
        "functions neither #[inline] nor generic:\n{}",
        offenders.join("\n")
    );
}
