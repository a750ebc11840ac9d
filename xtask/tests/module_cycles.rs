//! The modules of the runtime and of the generator depend on each other without cycles, so
//! each can be read, tested and changed from the bottom up.
//!
//! A module depends on another when its code (not its doc comments, not its `#[cfg(test)]`
//! part) names `crate::other…`; a name the crate root re-exports (`crate::Error`) counts as
//! the module that defines it. Run alone with `cargo test -p xtask --test module_cycles`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use xtask::tools;

/// Every top-level module of the crate at `src` with the crate modules its code names.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let root = std::fs::read_to_string(src.join("lib.rs"))
        .unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let modules: BTreeSet<String> = root
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').trim().to_owned())
        })
        .collect();
    // `pub use module::{A, B};` at the root: `crate::A` means `module`.
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    let code = strip(&root);
    for statement in code.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        if !modules.contains(module) {
            continue;
        }
        for name in names
            .trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace())
            .split(',')
        {
            // `Y`, `a::Y` or `Y as Z`: the name it is known by at the root.
            let name = name.trim();
            let name = name.rsplit(" as ").next().unwrap_or(name);
            let name = name.trim().rsplit("::").next().unwrap_or_default();
            if !name.is_empty() {
                reexports.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    let mut graph = BTreeMap::new();
    for module in &modules {
        let file = src.join(format!("{module}.rs"));
        let dir = src.join(module);
        // Each file's code, its test module left out.
        let mut code = String::new();
        if file.is_file() {
            code.push_str(&strip(
                &std::fs::read_to_string(&file).expect("module file"),
            ));
        }
        if dir.is_dir() {
            for entry in walk(&dir) {
                code.push('\n');
                code.push_str(&strip(
                    &std::fs::read_to_string(entry).expect("module file"),
                ));
            }
        }
        let mut deps = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::X, b::{Y, Z}, C}`: the first segment of each top-level item.
                top_level_items(group)
                    .into_iter()
                    .map(|part| part.trim().split("::").next().unwrap_or_default())
                    .collect()
            } else {
                vec![
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or_default(),
                ]
            };
            for name in names {
                let target = if modules.contains(name) {
                    Some(name.to_owned())
                } else {
                    reexports.get(name).cloned()
                };
                if let Some(target) = target.filter(|t| t != module) {
                    deps.insert(target);
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The items of a `use` group (the text after its `{`), split at its own commas, up to its
/// closing `}`: nested groups stay inside their item.
fn top_level_items(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// The `.rs` files under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The code of a file: without comment lines and without its `#[cfg(test)]` module.
fn strip(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn check(crate_dir: &str) {
    let src = tools::project_root().join(crate_dir).join("src");
    let graph = dependencies(&src);
    assert!(graph.len() > 5, "{crate_dir}: modules not found: {graph:?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "{crate_dir}: modules that depend on each other in a cycle: {found:?}\n{graph:#?}"
    );
}

#[test]
fn runtime_modules_form_no_cycle() {
    check("runtime");
}

#[test]
fn generator_modules_form_no_cycle() {
    check("generator");
}

#[test]
fn nested_use_groups_are_read_whole() {
    assert_eq!(
        top_level_items("a::{X, Y}, b, c::Z} rest"),
        ["a::{X, Y}", " b", " c::Z"]
    );
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(cycles(&graph), [["a", "b", "c"]]);
}
