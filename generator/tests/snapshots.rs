//! Every fixture's generated files (and warnings) as one insta snapshot per fixture.
//! Whether the snapshots compile is checked by `compile.rs`.

mod common;

#[test]
fn every_fixture_matches_its_snapshot() {
    for (module, file, text) in common::fixtures() {
        let out = common::generate(&file, &text);
        let mut snapshot = String::new();
        for w in &out.warnings {
            snapshot.push_str(&format!("{w}\n"));
        }
        for (path, content) in &out.files {
            snapshot.push_str(&format!("\n==> {path} <==\n{content}"));
        }
        insta::assert_snapshot!(format!("fixture_{module}"), snapshot);
    }
}

/// Every function the generator writes is `#[inline]` or generic, so that the generated crate
/// makes no machine code of its own and a program compiles only the operations it calls
/// (ARCHITECTURE.md's invariant). Functions inside macro invocations come from the runtime's
/// table macros, checked by the runtime's own test.
#[test]
fn every_generated_function_is_inline_or_generic() {
    let mut offenders = Vec::new();
    let mut checked = 0;
    // Every fixture's output, and the committed CircleCI crate.
    let mut outputs: Vec<(String, Vec<(String, String)>)> = common::fixtures()
        .into_iter()
        .map(|(module, file, text)| {
            let files = common::generate(&file, &text).files.into_iter().collect();
            (module, files)
        })
        .collect();
    let api = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/api");
    let mut committed = Vec::new();
    let mut pending = vec![api.clone()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let relative = path
                    .strip_prefix(&api)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                committed.push((relative, text));
            }
        }
    }
    assert!(committed.len() > 5, "generated/src/api not found");
    outputs.push(("generated".to_owned(), committed));
    for (module, files) in &outputs {
        for (path, content) in files {
            if !path.ends_with(".rs") {
                continue;
            }
            let parsed = match syn::parse_file(content) {
                Ok(parsed) => parsed,
                Err(e) => panic!("{module}: {path} does not parse: {e}"),
            };
            let mut found = Vec::new();
            functions(&parsed.items, &mut found);
            checked += found.len();
            for (name, inline, generic) in found {
                if !inline && !generic {
                    offenders.push(format!("{module}: {path}: fn {name}"));
                }
            }
        }
    }
    // The walk finds the operation methods, setters and decoders of every fixture and of
    // the CircleCI crate (116 operations).
    assert!(checked > 400, "only {checked} functions found");
    assert!(
        offenders.is_empty(),
        "functions neither #[inline] nor generic:\n{}",
        offenders.join("\n")
    );
}

/// Each function among `items` (in impls and inline modules too): its name, whether it is
/// `#[inline]`, and whether it has type parameters.
fn functions(items: &[syn::Item], out: &mut Vec<(String, bool, bool)>) {
    let inline = |attrs: &[syn::Attribute]| attrs.iter().any(|a| a.path().is_ident("inline"));
    let generic = |sig: &syn::Signature| {
        sig.generics
            .params
            .iter()
            .any(|p| matches!(p, syn::GenericParam::Type(_)))
    };
    for item in items {
        match item {
            syn::Item::Fn(f) => {
                out.push((f.sig.ident.to_string(), inline(&f.attrs), generic(&f.sig)))
            }
            syn::Item::Impl(i) => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        out.push((f.sig.ident.to_string(), inline(&f.attrs), generic(&f.sig)));
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    functions(items, out);
                }
            }
            _ => {}
        }
    }
}
