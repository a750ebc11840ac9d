//! Project automation behind `cargo xtask`: generating the client from the spec, running every
//! test, and measuring. A library so the checks can also run as plain `cargo test` tests.

pub mod bench;
pub mod cmd;
pub mod codegen;
pub mod contract;
pub mod error;
pub mod prism;
#[cfg(test)]
mod scratch;
pub mod sync;
pub mod test;
pub mod tools;
