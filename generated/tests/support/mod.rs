//! Helpers shared by this crate's integration tests (each test file uses part of them).
#![allow(dead_code)]

pub mod prism;
pub mod slugs;
