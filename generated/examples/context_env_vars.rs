//! Sets environment variables in a context, creating the context if the organization has none
//! of that name, then lists the context's variables.
//!
//! ```sh
//! export CIRCLECI_TOKEN=...
//! export AWS_SECRET_ACCESS_KEY=...               # read by name, so it stays off the command line
//! cargo run -p circleci-api --example context_env_vars -- gh/my-org deploy-secrets \
//!     AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY
//! ```
//!
//! Arguments: the organization slug, the context name, then variables
//! as `NAME=VALUE`, or `NAME` alone to take the value of the environment variable `NAME`.
//! CircleCI never returns values, so the listing shows names and times only. Set
//! `CIRCLECI_BASE_URL` to talk to CircleCI server or a mock server.

mod common;

use std::io::Write;
use std::process::ExitCode;

use circleci_api::types::{
    AddEnvironmentVariableToContextResponse, Context, ContextOwnerBySlug, ContextOwnerBySlugType,
    CreateContextRequest, CreateContextRequestOwner, SetContextEnvironmentVariableRequest,
};
use circleci_api::uuid::Uuid;
use circleci_api::{Client, Error};
use common::{BoxError, collect_all, exit_code};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let options = Options::parse(std::env::args().skip(1), |name| std::env::var(name).ok())?;
    let client = Client::from_env()?;
    context_env_vars(&client, &options, &mut std::io::stdout().lock()).await?;
    Ok(())
}

/// Which context, and the variables to set in it.
pub struct Options {
    /// The organization's slug, such as `gh/my-org`.
    pub org_slug: String,
    pub context: String,
    pub variables: Vec<(String, String)>,
}

impl Options {
    /// `ORG_SLUG CONTEXT [NAME=VALUE | NAME]…`; `env` looks up the value of a bare `NAME`.
    pub fn parse(
        args: impl Iterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Options, BoxError> {
        let mut positional = args.filter(|arg| !arg.is_empty());
        let org_slug = positional.next().ok_or("give the organization slug")?;
        let context = positional.next().ok_or("give the context name")?;
        let variables = positional
            .map(|arg| match arg.split_once('=') {
                Some((name, value)) => Ok((name.to_owned(), value.to_owned())),
                None => env(&arg)
                    .map(|value| (arg.clone(), value))
                    .ok_or_else(|| format!("{arg} has no value: give {arg}=VALUE or set {arg}")),
            })
            .collect::<Result<_, _>>()?;
        Ok(Options {
            org_slug,
            context,
            variables,
        })
    }
}

/// What was done.
#[derive(Debug)]
pub struct Summary {
    pub context: Uuid,
    /// Whether the context had to be created.
    pub created: bool,
    /// The names of the context's variables after the update.
    pub variables: Vec<String>,
}

/// Finds or creates the context, sets the variables, and lists them.
pub async fn context_env_vars(
    client: &Client,
    options: &Options,
    out: &mut impl Write,
) -> Result<Summary, BoxError> {
    let (context, created) = match find_context(client, options, out).await? {
        Some(context) => (context, false),
        None => {
            let mut owner = ContextOwnerBySlug::new(options.org_slug.clone());
            owner.r#type = Some(ContextOwnerBySlugType::Organization);
            let request = CreateContextRequest::new(
                options.context.clone(),
                CreateContextRequestOwner::ContextOwnerBySlug(owner),
            );
            (client.create_context().body(&request).await?, true)
        }
    };
    writeln!(
        out,
        "context {} ({}){}",
        context.name,
        context.id,
        if created { ", created" } else { "" }
    )?;

    for (name, value) in &options.variables {
        let request = SetContextEnvironmentVariableRequest::new(value.clone());
        // PUT: setting the same value twice does no harm, so the default retries apply.
        let set = client
            .add_environment_variable_to_context(context.id, name)
            .body(&request)
            .await?;
        match set {
            AddEnvironmentVariableToContextResponse::ContextEnvironmentVariable(variable) => {
                writeln!(
                    out,
                    "set {} (updated {})",
                    variable.variable, variable.updated_at
                )?;
            }
            AddEnvironmentVariableToContextResponse::MessageResponse(answer) => {
                writeln!(out, "set {name}: {}", answer.message)?;
            }
            // An answer of a shape CircleCI may add later.
            _ => writeln!(out, "set {name}")?,
        }
    }

    let variables = collect_all(
        client
            .list_environment_variables_from_context(context.id)
            .items(),
        out,
    )
    .await?;
    writeln!(out, "{} variable(s) in {}:", variables.len(), context.name)?;
    for variable in &variables {
        writeln!(
            out,
            "  {:<32} updated {}",
            variable.variable, variable.updated_at
        )?;
    }
    Ok(Summary {
        context: context.id,
        created,
        variables: variables.into_iter().map(|v| v.variable).collect(),
    })
}

/// The organization's context named `options.context`, looking only as far into the listing as
/// needed. The server is asked for the contexts whose name contains it (`name` filters by
/// substring, ignoring case), so the exact name is still compared here.
async fn find_context(
    client: &Client,
    options: &Options,
    out: &mut impl Write,
) -> Result<Option<Context>, BoxError> {
    let mut contexts = client
        .list_contexts()
        .owner_slug(&options.org_slug)
        .name(&options.context)
        .items();
    while let Some(context) = contexts.next().await {
        match context {
            Ok(context) if context.name == options.context => return Ok(Some(context)),
            Ok(_) => {}
            // Every context received was looked at; the listing cannot go further.
            Err(Error::PaginationLoop(repeated)) => {
                writeln!(out, "warning: listing cut short: {repeated}")?;
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(None)
}
