//! Typed async client for the CircleCI REST API v2.

// `api` is written by `cargo xtask generate` and formatted by the generator (prettyplease), not
// rustfmt; `cargo fmt` must leave it as generated.
#[rustfmt::skip]
mod api;

pub use api::*;
