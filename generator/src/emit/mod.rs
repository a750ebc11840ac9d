//! Emitting: the model → Rust tokens (`quote`) → `syn::File` → text (`prettyplease`).
//!
//! Every file is built from ordered data (types sorted by name, operations grouped by tag
//! module in document order), so the same document always gives byte-identical output. Each
//! file starts with one `// @generated` line naming the command, the document and its SHA-256.
//!
//! Generated code names everything by absolute path (`::std::…`, `::serde::…`, the runtime
//! crate) or, for generated types, by `super::types::Name` (`types::Name` in operations files,
//! which import `super::super::types`), so a schema called `Option`,
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
mod fallback_docs;
mod ops;
mod probe;
mod types;
mod webhooks;

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
    /// A file next to `types.rs` (`client.rs`).
    Sibling,
    /// A file in `operations/` (which imports `super::super::types` as `types`).
    Nested,
}

pub(crate) struct Ctx<'a> {
    pub(crate) api: &'a Api,
    pub(crate) rt: Ident,
    pub(crate) config: &'a Config,
    /// Where each named type is used, for the docs of types the document does not describe.
    pub(crate) usages: &'a std::collections::HashMap<TypeId, String>,
    /// The types a request body may contain (they get constructors).
    pub(crate) request_types: &'a std::collections::HashSet<TypeId>,
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
    /// (References are resolved and chains bounded by `finalize`.)
    pub(crate) fn ty(&self, id: TypeId, site: Site) -> TokenStream {
        let rt = &self.rt;
        let types = &self.api.types;
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
                Prim::Uri => quote! { ::#rt::Uri },
                Prim::Json => quote! { ::serde_json::Value },
                Prim::JsonObject => {
                    quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> }
                }
            },
            Kind::Vec(t) => {
                let t = self.ty(*t, site);
                quote! { ::std::vec::Vec<#t> }
            }
            Kind::Map(t) => {
                let t = self.ty(*t, site);
                quote! { ::std::collections::BTreeMap<::std::string::String, #t> }
            }
            Kind::Option(t) => {
                let t = self.ty(*t, site);
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
                    Site::Sibling => quote! { super::types::#name },
                    Site::Nested => quote! { types::#name },
                }
            }
            // `finalize` reports either as a generator bug, and emit does not run then.
            Kind::Alias(_) | Kind::Pending => quote! { ::serde_json::Value },
        }
    }
}

/// Generated source: items as tokens (formatted by prettyplease) and, for the field and
/// value tables of the runtime's `impl_json!` and `impl_string_enum!`, text laid out
/// here, one row per line (prettyplease prints a macro's input as one flowing run of tokens,
/// and would parse and print every row). Printing item groups separately and joining them
/// gives the same text as printing them together: prettyplease prints items one after the
/// other.
#[derive(Default)]
pub(crate) struct Code {
    chunks: Vec<Chunk>,
}

enum Chunk {
    Tokens(TokenStream),
    Text(String),
}

impl Code {
    pub(crate) fn tokens(&mut self, tokens: TokenStream) {
        match self.chunks.last_mut() {
            Some(Chunk::Tokens(last)) => last.extend(tokens),
            _ => self.chunks.push(Chunk::Tokens(tokens)),
        }
    }

    pub(crate) fn text(&mut self, text: &str) {
        match self.chunks.last_mut() {
            Some(Chunk::Text(last)) => last.push_str(text),
            _ => self.chunks.push(Chunk::Text(text.to_owned())),
        }
    }

    /// The formatted source, or why the tokens do not parse.
    fn render(self) -> Result<String, String> {
        let mut out = String::new();
        for chunk in self.chunks {
            match chunk {
                Chunk::Tokens(tokens) => {
                    let file = syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string())?;
                    out.push_str(&prettyplease::unparse(&file));
                }
                Chunk::Text(text) => out.push_str(&text),
            }
        }
        Ok(out)
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code {
            chunks: vec![Chunk::Tokens(tokens)],
        }
    }
}

/// A macro invocation laid out as a table: `::rt::name! {` + `head {` + one row per line +
/// `}` (+ `tail`) + `}`.
pub(crate) fn macro_table(
    rt: &Ident,
    name: &str,
    head: &str,
    rows: &[String],
    tail: Option<&str>,
) -> String {
    let mut out = format!("::{rt}::{name}! {{\n    {head} {{");
    if !rows.is_empty() {
        out.push('\n');
        for row in rows {
            out.push_str("        ");
            out.push_str(row);
            out.push_str(",\n");
        }
        if let Some(tail) = tail {
            out.push_str("        ");
            out.push_str(tail);
            out.push_str(",\n");
        }
        out.push_str("    ");
    } else if let Some(tail) = tail {
        out.push_str("\n        ");
        out.push_str(tail);
        out.push_str(",\n    ");
    }
    out.push_str("}\n}\n");
    out
}

/// A string literal as Rust source (escaped).
pub(crate) fn string_literal(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// The generated files, by relative path.
///
/// Each file is rendered on its own (tokens → `syn::File` → text), one after the other. A
/// panic while rendering would be a generator bug: it becomes a `Bug` diagnostic, not a
/// crash. (Rendering used to be spread over threads, and doc text kept out of prettyplease;
/// neither changed the time of a whole generation, about 38 ms for CircleCI's 116 operations
/// against 115 ms for openapi-to-rust.)
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
    // Every file says what made it; only the root file names the document's hash, so a
    // change to the document shows up in the generated diff only where the output changes.
    let header = format!(
        "// @generated by `{}` from {}; do not edit by hand.\n",
        config.command.replace('\n', " "),
        config.spec_label.replace('\n', " ")
    );
    let root_header = format!(
        "// @generated by `{}` from {} (sha256 {spec_hash}); do not edit by hand.\n",
        config.command.replace('\n', " "),
        config.spec_label.replace('\n', " ")
    );
    let (src, root_file) = match &config.layout {
        Layout::Module => ("", "mod.rs"),
        Layout::Crate { .. } => ("src/", "lib.rs"),
    };
    let groups = ops::groups(api);
    let ids = types::order(api);
    let units = units(&ids, &groups, api.webhooks.is_some());
    let usages = fallback_docs::usages(api);
    let request_types = api.request_types();
    let results = render_all(&units, &|unit| {
        let ctx = Ctx {
            api,
            rt: Ident::new(&rt, Span::call_site()),
            config,
            usages: &usages,
            request_types: &request_types,
        };
        render_unit(&ctx, unit, &groups)
    });

    let mut out: BTreeMap<String, String> = BTreeMap::new();
    if let Layout::Crate { runtime_path } = &config.layout {
        let ctx = Ctx {
            api,
            rt: Ident::new(&rt, Span::call_site()),
            config,
            usages: &usages,
            request_types: &request_types,
        };
        out.insert(
            "Cargo.toml".to_owned(),
            format!(
                "{}{}",
                header.replace("// ", "# "),
                cargo_toml(&ctx, runtime_path)
            ),
        );
    }
    for (unit, result) in units.iter().zip(results) {
        let path = match unit {
            Unit::Root => format!("{src}{root_file}"),
            Unit::Client => format!("{src}client.rs"),
            Unit::OperationsMod => format!("{src}operations/mod.rs"),
            Unit::Operations(module) => format!("{src}operations/{module}.rs"),
            Unit::Types(_) => format!("{src}types.rs"),
            Unit::Webhooks => format!("{src}webhooks.rs"),
        };
        match result {
            Ok(text) => {
                let header = match unit {
                    Unit::Root => &root_header,
                    _ => &header,
                };
                out.insert(path, format!("{header}{text}"));
            }
            Err(e) => diags.bug("#", format!("{path}: {e}")),
        }
    }
    out
}

/// A piece of the output rendered on its own.
#[derive(Debug, Clone, Copy)]
enum Unit<'a> {
    /// `mod.rs` (or `lib.rs`).
    Root,
    Client,
    /// `operations/mod.rs`.
    OperationsMod,
    /// `operations/<module>.rs`.
    Operations(&'a str),
    /// `webhooks.rs` (only when the document has webhooks).
    Webhooks,
    /// `types.rs`: the named types in this order.
    Types(&'a [TypeId]),
}

/// The units in file order.
fn units<'a>(
    ids: &'a [TypeId],
    groups: &BTreeMap<&'a str, Vec<&'a crate::model::Operation>>,
    webhooks: bool,
) -> Vec<Unit<'a>> {
    let mut units = vec![Unit::Root, Unit::Client, Unit::OperationsMod];
    if webhooks {
        units.push(Unit::Webhooks);
    }
    units.extend(groups.keys().map(|module| Unit::Operations(module)));
    units.push(Unit::Types(ids));
    units
}

/// The rendered text of each unit, in the order of `units`. A panic while rendering one (a
/// generator bug) becomes that unit's error.
fn render_all<'a>(
    units: &[Unit<'a>],
    render: &dyn Fn(Unit<'a>) -> Result<String, String>,
) -> Vec<Result<String, String>> {
    units
        .iter()
        .map(|&unit| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(unit)))
                .unwrap_or_else(|_| Err("rendering panicked".to_owned()))
        })
        .collect()
}

fn render_unit(
    ctx: &Ctx<'_>,
    unit: Unit<'_>,
    groups: &BTreeMap<&str, Vec<&crate::model::Operation>>,
) -> Result<String, String> {
    let code: Code = match unit {
        Unit::Root => root(ctx).into(),
        Unit::Client => client::client(ctx).into(),
        Unit::OperationsMod => {
            let mut decls = TokenStream::new();
            let mut uses = TokenStream::new();
            for (module, ops) in groups {
                let m = ident(module);
                decls.extend(quote! { mod #m; });
                let calls = ops.iter().map(|op| ident(&op.call_type));
                uses.extend(quote! { pub use #m::{#(#calls),*}; });
            }
            quote! {
                //! The call type of each operation, named after its method
                //! (`Client::list_things` returns a `ListThings`): its optional parameters are
                //! setters, set before `.await`. The operations are in one file per tag; each
                //! adds methods to `Client`.
                #decls
                #uses
            }
            .into()
        }
        Unit::Operations(module) => {
            let ops = groups.get(module).map_or(&[][..], Vec::as_slice);
            ops::module(ctx, module, ops).into()
        }
        Unit::Types(ids) => types::types(ctx, ids),
        Unit::Webhooks => match &ctx.api.webhooks {
            Some(hooks) => webhooks::webhooks(ctx, hooks).into(),
            None => Code::default(),
        },
    };
    code.render()
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
    let webhooks = if api.webhooks.is_some() {
        quote! { pub mod webhooks; }
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
        #webhooks
        mod client;
        pub mod operations;

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

/// The probe program of `cargo xtask contract` (`src/main.rs` of a crate that depends on the
/// generated one, named `config.crate_name`), or why it could not be rendered.
pub(crate) fn probe_program(
    api: &Api,
    config: &Config,
    credentials: &[String],
) -> Result<String, String> {
    let rt = if naming::is_valid_ident(&config.runtime_crate) {
        config.runtime_crate.clone()
    } else {
        return Err(format!(
            "runtime crate name `{}` is not a Rust identifier",
            config.runtime_crate
        ));
    };
    let client = config.crate_name.replace('-', "_");
    if !naming::is_valid_ident(&client) || client.starts_with("r#") {
        return Err(format!(
            "crate name `{}` is not a Rust identifier",
            config.crate_name
        ));
    }
    let usages = fallback_docs::usages(api);
    let request_types = api.request_types();
    let ctx = Ctx {
        api,
        rt: Ident::new(&rt, Span::call_site()),
        config,
        usages: &usages,
        request_types: &request_types,
    };
    let client = Ident::new(&client, Span::call_site());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Code::from(probe::program(&ctx, &client, credentials)).render()
    }))
    .unwrap_or_else(|_| Err("rendering the probe panicked".to_owned()))
}
