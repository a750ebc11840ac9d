//! Emitting: the model → Rust tokens (`quote`) → `syn::File` → text (`prettyplease`).
//!
//! Every file is built from ordered data (types sorted by name, operations grouped by tag
//! module in document order), so the same document always gives byte-identical output. Each
//! file starts with one `// @generated` line naming the command, the document and its SHA-256.
//!
//! Generated code names everything by absolute path (`::std::…`, `::serde::…`, the runtime
//! crate) or, for generated types, by `super::types::Name`, so a schema called `Option`,
//! `Result`, `Error` or `Client` shadows nothing.
//!
//! Layout (module form; the crate form puts `lib.rs` in place of `mod.rs` under `src/` and
//! adds a `Cargo.toml`):
//!
//! - `mod.rs` — module docs, lint settings, re-exports;
//! - `client.rs` — `CONFIG` (the runtime's description of this API) and the `Client` wrapper;
//! - `types.rs` — every type, sorted by name, with `Page` implementations for list types;
//! - `operations/mod.rs` and `operations/<tag>.rs` — one `impl Client` block per tag.
//!
//! Generated code builds warning-free under `clippy -D warnings` and `rustdoc -D warnings`.
//! `mod.rs` allows only lints about things the API document decides, not the generator:
//!
//! - `deprecated`: generated code refers to items the document deprecates (derives, `Page`
//!   impls, fields of non-deprecated types); users still get the warnings;
//! - `clippy::too_many_arguments`: one argument per parameter of the operation;
//! - `clippy::large_enum_variant`, `clippy::type_complexity`: the shapes of the schemas;
//! - `clippy::enum_variant_names`: variant names are the API's values and schema names;
//! - `clippy::should_implement_trait`, `clippy::wrong_self_convention`,
//!   `clippy::len_without_is_empty`, `clippy::disallowed_names`: method and argument names are
//!   operation ids and parameter names (`next`, `into_…`, `len`, `foo`);
//! - `clippy::doc_lazy_continuation`, `clippy::doc_overindented_list_items`: doc comments are
//!   the document's prose (made safe for rustdoc, not re-flowed).

mod client;
pub(crate) mod docs;
mod ops;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diagnostics::Diagnostics;
use crate::model::{Api, Kind, Prim, TypeId};
use crate::naming;
use crate::{Config, Layout};

/// Where a type is referred to from (decides the path to the `types` module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// Inside `types.rs`.
    Types,
    /// A file in `operations/`.
    Nested,
}

pub(crate) struct Ctx<'a> {
    pub(crate) api: &'a Api,
    pub(crate) rt: Ident,
    pub(crate) config: &'a Config,
}

/// An identifier from a name the naming module produced (`r#type` becomes a raw identifier).
/// Names are valid by construction; an invalid one would be a generator bug, and becomes a
/// visible placeholder rather than a panic.
pub(crate) fn ident(name: &str) -> Ident {
    if !naming::is_valid_ident(name) {
        return Ident::new("invalid_identifier", Span::call_site());
    }
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

impl Ctx<'_> {
    /// The type expression for `id`, as seen from `site`.
    pub(crate) fn ty(&self, id: TypeId, site: Site) -> TokenStream {
        self.ty_depth(id, site, 0)
    }

    fn ty_depth(&self, id: TypeId, site: Site, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let types = &self.api.types;
        let id = types.resolve(id);
        if depth > 64 {
            return quote! { ::serde_json::Value };
        }
        match types.kind(id) {
            Kind::Prim(p) => match p {
                Prim::Bool => quote! { bool },
                Prim::I8 => quote! { i8 },
                Prim::I16 => quote! { i16 },
                Prim::I32 => quote! { i32 },
                Prim::I64 => quote! { i64 },
                Prim::U8 => quote! { u8 },
                Prim::U16 => quote! { u16 },
                Prim::U32 => quote! { u32 },
                Prim::U64 => quote! { u64 },
                Prim::F32 => quote! { f32 },
                Prim::F64 => quote! { f64 },
                Prim::String => quote! { ::std::string::String },
                Prim::DateTime => quote! { ::#rt::chrono::DateTime<::#rt::chrono::Utc> },
                Prim::Date => quote! { ::#rt::chrono::NaiveDate },
                Prim::Uuid => quote! { ::#rt::uuid::Uuid },
                Prim::Url => quote! { ::#rt::url::Url },
                Prim::Json => quote! { ::serde_json::Value },
                Prim::JsonObject => {
                    quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> }
                }
            },
            Kind::Vec(t) => {
                let t = self.ty_depth(*t, site, depth + 1);
                quote! { ::std::vec::Vec<#t> }
            }
            Kind::Map(t) => {
                let t = self.ty_depth(*t, site, depth + 1);
                quote! { ::std::collections::BTreeMap<::std::string::String, #t> }
            }
            Kind::Option(t) => {
                let t = self.ty_depth(*t, site, depth + 1);
                quote! { ::std::option::Option<#t> }
            }
            Kind::Struct(_)
            | Kind::Enum(_)
            | Kind::Union(_)
            | Kind::Newtype { .. }
            | Kind::ComponentAlias(_)
            | Kind::Responses(_) => {
                let name = ident(types.name(id));
                match site {
                    Site::Types => quote! { #name },
                    Site::Nested => quote! { super::super::types::#name },
                }
            }
            Kind::Alias(_) | Kind::Pending => quote! { ::serde_json::Value },
        }
    }
}

/// The generated files, by relative path.
///
/// The work is split between this thread and a second one: the second renders the first part
/// of `types.rs` (the largest file), this one the other files and the rest of `types.rs`,
/// balanced by a rough size estimate. Each part is tokens → `syn::File` → text; the parts of
/// `types.rs` are printed separately and joined, which gives the same text as printing the
/// whole file (items are printed one after the other). The split depends only on the input,
/// so the output does not depend on scheduling; if the thread cannot start, everything runs
/// here.
pub(crate) fn emit(
    api: &Api,
    config: &Config,
    spec_hash: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let rt = if naming::is_valid_ident(&config.runtime_crate)
        && !config.runtime_crate.starts_with("r#")
    {
        config.runtime_crate.clone()
    } else {
        diags.error(
            "#",
            format!(
                "runtime crate name `{}` is not a Rust identifier",
                config.runtime_crate
            ),
        );
        "apigen_runtime".to_owned()
    };
    let header = format!(
        "// @generated by `{}` from {} (sha256 {spec_hash}); do not edit by hand.\n",
        config.command.replace('\n', " "),
        config.spec_label.replace('\n', " ")
    );
    let order = types::order(api);
    let ids: Vec<TypeId> = order.iter().map(|(id, _)| *id).collect();
    // Balance the two threads: the second takes the first types until it has half of the
    // estimated work; this thread makes the other files (weighed per operation, in the same
    // rough unit as the types) and the remaining types.
    let types_weight: usize = order.iter().map(|(_, w)| w).sum();
    let ops_weight: usize = api
        .operations
        .iter()
        .map(|op| 20 + 5 * op.params.len() + if op.body.is_some() { 5 } else { 0 })
        .sum();
    let half = (types_weight + ops_weight) / 2;
    let mut acc = 0;
    let split = order
        .iter()
        .position(|(_, w)| {
            acc += w;
            acc >= half
        })
        .map_or(ids.len(), |i| i + 1);
    let (first, second) = ids.split_at(split);
    let (a, b) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("apigen-emit".to_owned())
            .spawn_scoped(scope, || {
                render(
                    api,
                    config,
                    &rt,
                    Part::Types {
                        ids: first,
                        first: true,
                        last: false,
                    },
                )
            });
        // A panic while rendering would be a generator bug; it becomes an error, not a crash.
        let rest = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render(api, config, &rt, Part::Rest { ids: second })
        }))
        .unwrap_or_else(|_| {
            vec![(
                "mod.rs".to_owned(),
                Err("internal error: rendering panicked".to_owned()),
            )]
        });
        let types = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                vec![(
                    "types.rs".to_owned(),
                    Err("internal error: rendering the types panicked".to_owned()),
                )]
            }),
            Err(_) => render(
                api,
                config,
                &rt,
                Part::Types {
                    ids: first,
                    first: true,
                    last: false,
                },
            ),
        };
        (types, rest)
    });
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (path, result) in a.into_iter().chain(b) {
        match result {
            Ok(text) => match out.get_mut(&path) {
                Some(existing) => existing.push_str(&text),
                None if path.ends_with(".rs") => {
                    out.insert(path, format!("{header}{text}"));
                }
                None => {
                    out.insert(path, format!("{}{text}", header.replace("// ", "# ")));
                }
            },
            Err(e) => diags.error(
                "#",
                format!("internal error: generated code for {path} does not parse: {e}"),
            ),
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Part<'a> {
    /// Some of the types (`first`: with the module docs; `last`: with the `Page` impls).
    Types {
        ids: &'a [TypeId],
        first: bool,
        last: bool,
    },
    /// Every other file, then the remaining types.
    Rest { ids: &'a [TypeId] },
}

/// Builds the files of one part and renders them: tokens → `syn::File` → text.
fn render(
    api: &Api,
    config: &Config,
    rt: &str,
    part: Part<'_>,
) -> Vec<(String, Result<String, String>)> {
    let ctx = Ctx {
        api,
        rt: Ident::new(rt, Span::call_site()),
        config,
    };
    let (src, root_file) = match &config.layout {
        Layout::Module => ("", "mod.rs"),
        Layout::Crate { .. } => ("src/", "lib.rs"),
    };
    let mut files: Vec<(String, TokenStream)> = Vec::new();
    let mut out = Vec::new();
    match part {
        Part::Types { ids, first, last } => files.push((
            format!("{src}types.rs"),
            types::types(&ctx, ids, first, last),
        )),
        Part::Rest { ids } => {
            files.push((format!("{src}{root_file}"), root(&ctx)));
            files.push((format!("{src}client.rs"), client::client(&ctx)));
            let mut decls = TokenStream::new();
            for (module, tokens) in ops::modules(&ctx) {
                let m = ident(&module);
                decls.extend(quote! { mod #m; });
                files.push((format!("{src}operations/{module}.rs"), tokens));
            }
            files.push((
                format!("{src}operations/mod.rs"),
                quote! {
                    //! Operations, one file per tag; each adds methods to `Client`.
                    #decls
                },
            ));
            if let Layout::Crate { runtime_path } = &config.layout {
                out.push(("Cargo.toml".to_owned(), Ok(cargo_toml(&ctx, runtime_path))));
            }
            files.push((
                format!("{src}types.rs"),
                types::types(&ctx, ids, false, true),
            ));
        }
    }
    for (path, tokens) in files {
        let rendered = syn::parse2::<syn::File>(tokens)
            .map(|file| prettyplease::unparse(&file))
            .map_err(|e| e.to_string());
        out.push((path, rendered));
    }
    out
}

fn root(ctx: &Ctx<'_>) -> TokenStream {
    let api = ctx.api;
    let title = if api.title.trim().is_empty() {
        "the API"
    } else {
        api.title.trim()
    };
    let intro = format!(
        "Client for {title} (version {}), generated from its OpenAPI document.",
        api.version.trim()
    );
    let docs = docs::doc_attrs(docs::join(&[Some(&intro), api.description.as_deref()]).as_deref());
    let inner_docs = inner_doc(docs);
    let reexport = if api
        .types
        .defs
        .iter()
        .any(|d| d.kind.is_named() && !d.name.is_empty())
    {
        quote! { pub use types::*; }
    } else {
        TokenStream::new()
    };
    quote! {
        #inner_docs
        #![allow(
            deprecated,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::type_complexity,
            clippy::should_implement_trait,
            clippy::wrong_self_convention,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::len_without_is_empty,
            clippy::disallowed_names
        )]

        pub mod types;
        mod client;
        mod operations;

        pub use client::{Client, CONFIG};
        #reexport
    }
}

/// Turns `#[doc = "…"]` outer attributes into `#![doc = "…"]` inner ones.
fn inner_doc(outer: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = outer.into_iter().peekable();
    while let Some(tt) = iter.next() {
        if let proc_macro2::TokenTree::Punct(p) = &tt
            && p.as_char() == '#'
            && let Some(proc_macro2::TokenTree::Group(g)) = iter.peek()
        {
            let body = g.stream();
            iter.next();
            out.extend(quote! { #![#body] });
            continue;
        }
        out.extend(std::iter::once(tt));
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn cargo_toml(ctx: &Ctx<'_>, runtime_path: &str) -> String {
    let name = &ctx.config.crate_name;
    let title = if ctx.api.title.trim().is_empty() {
        name.as_str()
    } else {
        ctx.api.title.trim()
    };
    let description = format!("Generated client for {title}.");
    let rt = ctx.rt.to_string();
    let runtime_dep = if rt == "apigen_runtime" {
        format!(
            "apigen-runtime = {{ path = {} }}",
            toml_string(runtime_path)
        )
    } else {
        format!(
            "{rt} = {{ package = \"apigen-runtime\", path = {} }}",
            toml_string(runtime_path)
        )
    };
    format!(
        "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2024\"\ndescription = {}\npublish = false\n\n[dependencies]\n{runtime_dep}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n# A generated crate is its own workspace, wherever it is written.\n[workspace]\n",
        toml_string(name),
        toml_string(&description),
    )
}
