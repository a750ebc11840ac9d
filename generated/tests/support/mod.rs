//! Helpers shared by this crate's integration tests (each test file uses part of them).
#![allow(dead_code)]

// Prism's harness lives in xtask, which `cargo xtask contract` shares it with.
pub use xtask::prism;
pub mod slugs;
