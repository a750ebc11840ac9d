//! Helpers shared by the examples (each uses part of them).
#![allow(dead_code)]

use std::io::Write;
use std::process::ExitCode;

use circleci_api::Error;
use futures_util::{Stream, StreamExt};

/// The error type of the examples: any error, with its message.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Collects every item of a listing (`.items()` of a paginated call).
///
/// A server that hands out the same page token twice would make the listing endless; the
/// client stops it with [`Error::PaginationLoop`] after yielding every item it received. Here
/// that ends the listing with a warning, keeping those items, rather than failing: the items
/// are real, only the end of the listing is uncertain. (Mock servers do this: Prism's static
/// responses repeat one token forever.) Any other error is returned.
pub async fn collect_all<T, E>(
    items: impl Stream<Item = Result<T, Error<E>>>,
    out: &mut impl Write,
) -> Result<Vec<T>, BoxError>
where
    Error<E>: std::error::Error + Send + Sync + 'static,
{
    let mut items = std::pin::pin!(items);
    let mut all = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => all.push(item),
            Err(Error::PaginationLoop(repeated)) => {
                writeln!(out, "warning: listing cut short: {repeated}")?;
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(all)
}

/// A required argument: the next positional argument, or else the environment variable `env`.
pub fn argument_or_env(
    argument: Option<String>,
    env: &str,
    what: &str,
) -> Result<String, BoxError> {
    argument
        .or_else(|| std::env::var(env).ok().filter(|value| !value.is_empty()))
        .ok_or_else(|| format!("give the {what} as an argument or in {env}").into())
}

/// The value of command-line flag `flag` (`what` it should be), parsed; the error names the
/// flag and the text given.
pub fn flag_value<T>(flag: &str, what: &str, text: Option<String>) -> Result<T, BoxError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = text.ok_or_else(|| format!("{flag} needs a value"))?;
    text.parse()
        .map_err(|e| format!("{flag} wants {what}, not {text:?}: {e}").into())
}

/// The exit code of an example: on error, prints the error's message (its `Display`, which names
/// the request, the status and CircleCI's message) and fails.
pub fn exit_code(result: Result<(), BoxError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
