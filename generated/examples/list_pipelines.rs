//! Lists a project's pipelines, newest first, fetching further pages only as they are needed.
//!
//! ```sh
//! export CIRCLECI_TOKEN=...                      # a personal API token
//! cargo run -p circleci-api --example list_pipelines -- gh/my-org/my-repo --branch main --limit 50
//! ```
//!
//! The project slug may also come from `CIRCLECI_PROJECT_SLUG`. Set `CIRCLECI_BASE_URL` to talk
//! to CircleCI server (`https://HOST/api/v2`) or to a mock server.

mod common;

use std::io::Write;
use std::process::ExitCode;

use circleci_api::{Client, Error};
use common::{BoxError, argument_or_env, exit_code, flag_value};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let options = Options::parse(std::env::args().skip(1))?;
    let client = Client::from_env()?;
    let mut out = std::io::stdout().lock();
    let listed = list_pipelines(&client, &options, &mut out).await?;
    writeln!(out, "{listed} pipeline(s)")?;
    Ok(())
}

/// What to list.
pub struct Options {
    pub project_slug: String,
    pub branch: Option<String>,
    /// At most this many pipelines.
    pub limit: usize,
}

impl Options {
    /// `PROJECT_SLUG [--branch NAME] [--limit N]`.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, BoxError> {
        let mut slug = None;
        let mut branch = None;
        let mut limit = 20;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--branch" => branch = Some(args.next().ok_or("--branch needs a name")?),
                "--limit" => limit = flag_value("--limit", "a number", args.next())?,
                _ if slug.is_none() && !arg.starts_with("--") => slug = Some(arg),
                _ => return Err(format!("unexpected argument {arg:?}").into()),
            }
        }
        Ok(Options {
            project_slug: argument_or_env(slug, "CIRCLECI_PROJECT_SLUG", "project slug")?,
            branch,
            limit,
        })
    }
}

/// Prints up to `options.limit` pipelines, one line each, and returns how many it printed.
pub async fn list_pipelines(
    client: &Client,
    options: &Options,
    out: &mut impl Write,
) -> Result<usize, BoxError> {
    // `.items()` walks the listing page by page: the next page is requested only when the
    // items of the previous one have been consumed, so stopping early fetches nothing more.
    // Optional parameters are setters of the call; one not set is not sent.
    let mut call = client.list_pipelines_for_project(&options.project_slug);
    if let Some(branch) = &options.branch {
        call = call.branch(branch);
    }
    let mut pipelines = call.items();
    let mut listed = 0;
    while listed < options.limit {
        let pipeline = match pipelines.next().await {
            None => break,
            Some(Ok(pipeline)) => pipeline,
            // The server handed out a page token twice: everything received so far has been
            // listed, and following the token again would loop forever.
            Some(Err(Error::PaginationLoop(repeated))) => {
                writeln!(out, "warning: listing cut short: {repeated}")?;
                break;
            }
            Some(Err(error)) => return Err(error.into()),
        };
        let vcs = pipeline.vcs.as_ref();
        let git_ref = vcs
            .and_then(|vcs| vcs.branch.as_deref().or(vcs.tag.as_deref()))
            .unwrap_or("-");
        writeln!(
            out,
            "#{:<6} {:<13} {}  {git_ref}  by {}",
            pipeline.number,
            pipeline.state.as_str(),
            pipeline.created_at.format("%Y-%m-%d %H:%M"),
            pipeline.trigger.actor.login,
        )?;
        listed += 1;
    }
    Ok(listed)
}
