//! Behaviour against real HTTP servers on 127.0.0.1 (wiremock, and a raw socket server where
//! the exact bytes of the request line matter).

mod common;

mod auth;
mod errors;
mod forms;
mod hardening;
mod pagination;
mod paths;
mod query;
mod retries;
mod timeouts;
