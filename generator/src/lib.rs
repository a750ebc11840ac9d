//! `apigen`: turns the text of an OpenAPI 3.0 or 3.1 document into the files of a Rust client
//! crate. It does no I/O and reads no environment; `xtask` does that.
//!
//! ```text
//! text ──read──► normalized JSON ──► openapiv3::OpenAPI
//!                                       │
//!                 types (schemas → arena) + operations (→ model::Operation)
//!                                       │
//!                 naming (every identifier) · cycles (Box where needed)
//!                                       │
//!                 emit (quote → syn → prettyplease) ──► files
//! ```
//!
//! Stages and their modules:
//!
//! - `read`: parse YAML or JSON, bring OpenAPI 3.1 constructs into the 3.0 form
//!   `openapiv3` models (keeping their meaning), sanitize, deserialize.
//! - `types`: schemas → a type arena (`model`); memoized by JSON pointer,
//!   shared by structure, never merged by name.
//! - `operations`: operations → methods' parameters, bodies, success and error types,
//!   pagination.
//! - `settings`: API-wide settings: auth, base URL, module docs, request-id headers.
//! - `webhooks`: 3.1 webhooks → payload types and the event enum.
//! - `changes`: the API changes between two documents' models ([`changes()`]).
//! - `naming`: the only place identifiers are made.
//! - `finalize`: checks the finished model before emit (every name a Rust identifier).
//! - `emit`: Rust source, deterministic, one `// @generated` header line per file.
//! - `diagnostics`: problems with a JSON pointer and a reason; errors stop generation, and so
//!   do generator bugs found on the input (`Severity::Bug`), which are never crashes.
//!
//! # What the generated code looks like
//!
//! - One method per operation on `Client`, named after the `operationId` in snake case,
//!   returning the runtime's `Call<T, E>` (or `PagedCall<T, E>` for paginated listings), which
//!   the caller `.await`s. Arguments: path parameters in template order, the other required
//!   parameters, the body, then every optional parameter as an `Option` — a missing required
//!   value is a compile error, never a run-time one. An optional body is an `Option<&T>`
//!   whose `None` sends no body; a body schema's own nullability is dropped (a JSON `null`
//!   body says nothing that no body does not), so a required body is always sent.
//! - `T` is the success body (`()` for none; a per-status enum when statuses differ), `E` the
//!   error body (the document's 4xx/5xx/`default` schema; a per-status enum when they differ;
//!   any JSON value when none is declared). A per-status enum serializes as its variant's
//!   body (`null` for a variant without one).
//! - One Rust type per distinct schema, named after its component or, for inline schemas,
//!   after where it appears (`ScheduleTimetable`, `ListPipelinesResponse`), `Box`ed where
//!   recursion needs it. Field forms: required `T`, required + nullable `Option<T>` (sent as
//!   `null`), optional `Option<T>` (left out when `None`), optional + nullable
//!   `Option<Option<T>>`. Unknown fields are ignored; unknown enum values are kept.
//! - Every public item has a doc comment (a generated crate can deny `missing_docs`): the
//!   document's description, or else a line derived from what it does say — the schema's
//!   kind and where the type is used, a union variant's type and tag, a field's wire name.
//! - Types that are only received, enums, unions and per-status results are
//!   `#[non_exhaustive]`, so the API can add to them without breaking callers; types a request
//!   carries are exhaustive, with `new(required…)` or `Default`.
//!
//! # Robustness
//!
//! Nothing derived from the input may panic, recurse without bound or blow up. The crate
//! denies `unwrap`, `expect`, `panic!` and unchecked indexing outside tests; `$ref` chains and
//! schema nesting are bounded and memoized; the tests feed it thousands of mutated documents.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod changes;
mod diagnostics;
mod emit;
mod finalize;
mod model;
mod naming;
mod operations;
mod probe;
mod read;
mod settings;
mod types;
mod webhooks;

use std::collections::BTreeMap;
use std::fmt;

pub use changes::{Change, Changes, Section};
pub use diagnostics::{Diagnostic, Severity};

/// What to generate, and how to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Name of the generated crate, e.g. `circleci-api`: used for the user agent, the default
    /// environment variable prefix and (in [`Layout::Crate`]) `Cargo.toml`.
    pub crate_name: String,
    /// The runtime crate as generated code names it: `apigen_runtime`.
    pub runtime_crate: String,
    /// Prefix of the environment variables the client reads (`CIRCLECI` →
    /// `CIRCLECI_TOKEN`, `CIRCLECI_BASE_URL`); `None` derives it from the crate name.
    pub env_prefix: Option<String>,
    /// The command that regenerates the files, for the header line.
    pub command: String,
    /// How the document is named in the header line (e.g. `spec/circleci.yaml`).
    pub spec_label: String,
    /// The shape of the output.
    pub layout: Layout,
    /// Type name overrides: JSON pointer of a schema (`#/components/schemas/x` or an inline
    /// schema's pointer) or a component name → Rust type name.
    pub type_names: BTreeMap<String, String>,
}

impl Config {
    /// Defaults for a crate named `crate_name`: runtime `apigen_runtime`, environment prefix
    /// derived from the name, module layout, no overrides.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Config {
            crate_name: crate_name.into(),
            runtime_crate: "apigen_runtime".to_owned(),
            env_prefix: None,
            command: "cargo xtask generate".to_owned(),
            spec_label: "the OpenAPI document".to_owned(),
            layout: Layout::Module,
            type_names: BTreeMap::new(),
        }
    }

    /// The same configuration producing a standalone crate that depends on the runtime at
    /// `runtime_path`.
    pub fn standalone(mut self, runtime_path: impl Into<String>) -> Self {
        self.layout = Layout::Crate {
            runtime_path: runtime_path.into(),
        };
        self
    }
}

/// The shape of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Only the files of the generated module (`mod.rs`, `client.rs`, `types.rs`,
    /// `operations/…`), to be placed in a directory of an existing crate.
    Module,
    /// A standalone crate: `Cargo.toml` (depending on the runtime by this path, on serde and on
    /// serde_json), `src/lib.rs` and the other files under `src/`.
    Crate {
        /// Path of the runtime crate, as written into `Cargo.toml`.
        runtime_path: String,
    },
}

/// Counts describing the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations (client methods).
    pub operations: usize,
    /// Generated type definitions (structs, enums, aliases).
    pub types: usize,
    /// Lines over all files.
    pub lines: usize,
}

impl Stats {
    /// The counts of `files`, generated from `api`.
    fn of(api: &model::Api, files: &BTreeMap<String, String>) -> Stats {
        Stats {
            operations: api.operations.len(),
            types: api.types.defs.iter().filter(|d| d.kind.is_named()).count(),
            lines: files.values().map(|f| f.lines().count()).sum(),
        }
    }
}

/// A successful generation.
#[derive(Debug, Clone)]
pub struct Output {
    /// File contents by path relative to the output directory, in path order.
    pub files: BTreeMap<String, String>,
    /// What was approximated or left out.
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
}

/// A failed generation: at least one error.
#[derive(Debug, Clone)]
pub struct Failure {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "the document has {n} error{}",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// What changes for users of the generated crate when the document `old_text` becomes
/// `new_text` (both generated with `config`): see [`Changes`]. Fails like [`generate`] when
/// either document cannot be generated.
pub fn changes(old_text: &str, new_text: &str, config: &Config) -> Result<Changes, Failure> {
    let (old, _) = model(old_text, config)?;
    let (new, _) = model(new_text, config)?;
    Ok(changes::compare(&old, &new))
}

/// The finished model of a document and the document as read, or why there is none.
fn model(spec_text: &str, config: &Config) -> Result<(model::Api, read::Document), Failure> {
    let mut diags = diagnostics::Diagnostics::default();
    let mut built = build(spec_text, config, &mut diags);
    if let Some((api, _)) = &mut built {
        finalize::finish(api, &mut diags);
        finalize::check_names(api, &mut diags);
    }
    let (errors, warnings) = diags.into_parts();
    match built {
        Some(built) if errors.is_empty() => Ok(built),
        _ => Err(Failure { errors, warnings }),
    }
}

/// Generates the client for the OpenAPI document `spec_text` (YAML or JSON).
///
/// Deterministic: the same text and configuration give byte-identical files.
pub fn generate(spec_text: &str, config: &Config) -> Result<Output, Failure> {
    let mut diags = diagnostics::Diagnostics::default();
    let mut api = build(spec_text, config, &mut diags).map(|(api, _)| api);
    if let Some(api) = &mut api {
        finalize::finish(api, &mut diags);
        finalize::check_names(api, &mut diags);
    }
    let files = match &api {
        Some(api) if !diags.has_errors() => {
            let hash = sha256_hex(spec_text.as_bytes());
            emit::emit(api, config, &hash, &mut diags)
        }
        _ => BTreeMap::new(),
    };
    let (errors, warnings) = diags.into_parts();
    if !errors.is_empty() {
        return Err(Failure { errors, warnings });
    }
    let Some(api) = api else {
        return Err(Failure { errors, warnings });
    };
    let stats = Stats::of(&api, &files);
    Ok(Output {
        files,
        warnings,
        stats,
    })
}

/// The contract probe of the client [`generate`] makes from `spec_text` with `config` (its
/// [`Layout`] aside): `src/main.rs`, a program that calls every operation with the values of a
/// calls file and prints one JSON line per call; `calls.json`, two calls per operation (the
/// required parameters only, then every parameter and body) with values made from the
/// document's schemas; and `operations.json`, what the document declares of each operation's
/// statuses, and why an operation is not called (if it is not). `cargo xtask contract` builds
/// the program beside the generated crate and runs it against Prism.
pub fn probe(spec_text: &str, config: &Config) -> Result<Output, Failure> {
    let (api, doc) = model(spec_text, config)?;
    let credentials = probe::credentials(&api, &doc.value);
    let program = emit::probe_program(&api, config, &credentials).map_err(|e| {
        let mut diags = diagnostics::Diagnostics::default();
        diags.bug("#", format!("probe: {e}"));
        let (errors, warnings) = diags.into_parts();
        Failure { errors, warnings }
    })?;
    let pretty =
        |value: serde_json::Value| serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    let files = BTreeMap::from([
        ("src/main.rs".to_owned(), program),
        (
            "calls.json".to_owned(),
            pretty(probe::calls(&api, &doc.value)),
        ),
        (
            "operations.json".to_owned(),
            pretty(probe::operations(&api, &doc.value)),
        ),
    ]);
    let stats = Stats::of(&api, &files);
    Ok(Output {
        files,
        warnings: Vec::new(),
        stats,
    })
}

/// The model of a document (not finished yet) and the document as read.
fn build(
    spec_text: &str,
    config: &Config,
    diags: &mut diagnostics::Diagnostics,
) -> Option<(model::Api, read::Document)> {
    let doc = read::read(spec_text, diags)?;
    let (mut types, built) = {
        let mut conv = types::Converter::new(&doc, diags);
        conv.convert_components();
        let built = operations::convert_operations(&mut conv, &doc);
        let hooks = webhooks::convert_webhooks(&mut conv, &doc);
        (conv.types, (built, hooks))
    };
    let (built, hooks) = built;
    types::break_cycles(&mut types, diags);
    naming::assign_names(&mut types, &config.type_names, diags);
    let auth = settings::auth(&doc, diags);
    let mut operations = built.operations;
    for op in &mut operations {
        op.auth = settings::operation_auth(&doc, &op.path, op.method.upper(), &auth);
    }
    let base_url = settings::base_url(&doc, diags);
    let info = &doc.api.info;
    let api = model::Api {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        types,
        operations,
        base_url,
        auth,
        request_id_headers: settings::request_id_headers(&doc.response_headers, diags),
        pages: built.pages,
        module_docs: settings::module_docs(&doc),
        webhooks: hooks,
    };
    Some((api, doc))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
