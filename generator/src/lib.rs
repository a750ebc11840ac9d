//! `apigen`: turns the text of an OpenAPI 3.0 or 3.1 document into the files of a Rust client
//! crate. It does no I/O and reads no environment; `xtask` does that.
