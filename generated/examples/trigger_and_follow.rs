//! Triggers a pipeline with parameters, then follows its workflows and jobs until they finish,
//! printing each change of status.
//!
//! ```sh
//! export CIRCLECI_TOKEN=...
//! cargo run -p circleci-api --example trigger_and_follow -- gh/my-org/my-repo \
//!     --branch main --param deploy=true --param replicas=3 --param environment=staging
//! ```
//!
//! `--param NAME=VALUE` sets a pipeline parameter: `true`/`false` are booleans, whole numbers
//! integers, anything else a string. `--tag NAME` runs a tag instead of a branch,
//! `--definition UUID` a given pipeline definition, `--timeout MINUTES` (default 30) bounds the
//! wait. The slug may also come from `CIRCLECI_PROJECT_SLUG`; `CIRCLECI_BASE_URL` points the
//! client at CircleCI server or a mock server.
//!
//! It uses `triggerPipelineRun`, which works for GitHub (OAuth and App) and Bitbucket projects;
//! GitLab projects are triggered with the older `trigger_pipeline`.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use circleci_api::Client;
use circleci_api::types::{
    PipelineParameterValue, PipelineParameters, PipelineRunConfigRef, PipelineRunRef,
    PipelineState, Provider, TriggerPipelineRunRequest, TriggerPipelineRunResponse, WorkflowStatus,
};
use circleci_api::uuid::Uuid;
use common::{BoxError, argument_or_env, collect_all, exit_code, flag_value};

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let options = Options::parse(std::env::args().skip(1))?;
    let client = Client::from_env()?;
    let mut out = std::io::stdout().lock();
    let pipeline = match trigger(&client, &options, &mut out).await? {
        Triggered::Created(pipeline) => pipeline,
        Triggered::NotCreated(reason) => {
            return Err(format!("no pipeline was created: {reason}").into());
        }
    };
    let workflows = follow(
        &client,
        pipeline,
        options.timeout,
        &Polling::default(),
        &mut out,
    )
    .await?;
    let failed: Vec<String> = workflows
        .iter()
        .filter(|(_, status)| *status != WorkflowStatus::Success)
        .map(|(name, status)| format!("{name} ({status})"))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("not successful: {}", failed.join(", ")).into())
    }
}

/// What to trigger.
pub struct Options {
    pub project_slug: String,
    pub branch: Option<String>,
    pub tag: Option<String>,
    pub definition: Option<Uuid>,
    pub parameters: PipelineParameters,
    /// How long to wait for the workflows to finish.
    pub timeout: Duration,
}

impl Options {
    /// `PROJECT_SLUG [--branch NAME | --tag NAME] [--definition UUID] [--param NAME=VALUE]…
    /// [--timeout MINUTES]`.
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, BoxError> {
        let mut slug = None;
        let mut options = Options {
            project_slug: String::new(),
            branch: None,
            tag: None,
            definition: None,
            parameters: PipelineParameters::new(),
            timeout: Duration::from_secs(30 * 60),
        };
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
            match arg.as_str() {
                "--branch" => options.branch = Some(value("--branch")?),
                "--tag" => options.tag = Some(value("--tag")?),
                "--definition" => {
                    options.definition = Some(flag_value(
                        "--definition",
                        "a UUID",
                        Some(value("--definition")?),
                    )?);
                }
                "--param" => {
                    let (name, value) = parameter(&value("--param")?)?;
                    options.parameters.insert(name, value);
                }
                "--timeout" => {
                    let minutes: u64 = flag_value(
                        "--timeout",
                        "a number of minutes",
                        Some(value("--timeout")?),
                    )?;
                    let seconds = minutes.checked_mul(60).ok_or("--timeout is too large")?;
                    options.timeout = Duration::from_secs(seconds);
                }
                _ if slug.is_none() && !arg.starts_with("--") => slug = Some(arg),
                _ => return Err(format!("unexpected argument {arg:?}").into()),
            }
        }
        if options.branch.is_some() && options.tag.is_some() {
            return Err("give --branch or --tag, not both".into());
        }
        options.project_slug = argument_or_env(slug, "CIRCLECI_PROJECT_SLUG", "project slug")?;
        Ok(options)
    }
}

/// `NAME=VALUE` as a pipeline parameter: a boolean, an integer, or else a string.
pub fn parameter(text: &str) -> Result<(String, PipelineParameterValue), BoxError> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("a parameter is NAME=VALUE, not {text:?}"))?;
    let value = match value {
        "true" => PipelineParameterValue::Boolean(true),
        "false" => PipelineParameterValue::Boolean(false),
        _ => match value.parse::<i64>() {
            Ok(number) => PipelineParameterValue::Integer(number),
            Err(_) => PipelineParameterValue::String(value.to_owned()),
        },
    };
    Ok((name.to_owned(), value))
}

/// How often to look: the first wait, then each wait 1.5 times longer up to `max_wait`.
pub struct Polling {
    pub first_wait: Duration,
    pub max_wait: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            first_wait: Duration::from_secs(2),
            max_wait: Duration::from_secs(30),
        }
    }
}

/// What the trigger request did.
#[derive(Debug)]
pub enum Triggered {
    /// A pipeline was created, with this id.
    Created(Uuid),
    /// CircleCI accepted the request but created no pipeline (for example because no
    /// workflow's filters matched), saying why.
    NotCreated(String),
}

/// Triggers the pipeline described by `options`.
pub async fn trigger(
    client: &Client,
    options: &Options,
    out: &mut impl Write,
) -> Result<Triggered, BoxError> {
    // `triggerPipelineRun` takes the three parts of the slug as separate path segments.
    let mut parts = options.project_slug.splitn(3, '/');
    let (Some(provider), Some(organization), Some(project)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "a project slug has three parts, like gh/my-org/my-repo, not {:?}",
            options.project_slug
        )
        .into());
    };
    // The config and the code come from the same ref; without one, the default branch.
    // Bodies whose members are all optional end in `..Default::default()` (and the others are
    // made with `new(required…)`), so this keeps compiling when CircleCI adds optional members.
    #[allow(clippy::needless_update)] // no effect today; fills the members added later
    let git_ref = PipelineRunRef {
        branch: options.branch.clone(),
        tag: options.tag.clone(),
        ..Default::default()
    };
    let has_ref = git_ref.branch.is_some() || git_ref.tag.is_some();
    let config = PipelineRunConfigRef {
        branch: git_ref.branch.clone(),
        tag: git_ref.tag.clone(),
        ..Default::default()
    };
    #[allow(clippy::needless_update)] // no effect today; fills the members added later
    let request = TriggerPipelineRunRequest {
        definition_id: options.definition,
        config: has_ref.then_some(config),
        checkout: has_ref.then_some(git_ref),
        parameters: (!options.parameters.is_empty()).then(|| options.parameters.clone()),
        ..Default::default()
    };
    let response = client
        .trigger_pipeline_run(&Provider::from(provider), organization, project)
        .body(&request)
        // Not retried: if the answer to the first attempt got lost, a second one could start
        // a second pipeline.
        .max_retries(0)
        .await?;
    match response {
        // 201: the pipeline was created.
        TriggerPipelineRunResponse::Created(pipeline) => {
            let id = pipeline
                .id
                .ok_or("the answer does not give the new pipeline's id")?;
            let number = pipeline
                .number
                .map_or_else(|| "?".to_owned(), |n| n.to_string());
            writeln!(out, "pipeline #{number} created ({id})")?;
            Ok(Triggered::Created(id))
        }
        // 200: nothing to run.
        TriggerPipelineRunResponse::Ok(not_triggered) => {
            let reason = not_triggered.message.unwrap_or_default();
            writeln!(out, "no pipeline created: {reason}")?;
            Ok(Triggered::NotCreated(reason))
        }
        // A success status CircleCI may document later.
        other => Err(format!("an answer this client does not know: {other:?}").into()),
    }
}

/// Polls a pipeline's workflows and their jobs until every workflow has a final status, and
/// returns the name and final status of each. Fails when the pipeline errored or `timeout`
/// passed first.
pub async fn follow(
    client: &Client,
    pipeline: Uuid,
    timeout: Duration,
    polling: &Polling,
    out: &mut impl Write,
) -> Result<Vec<(String, WorkflowStatus)>, BoxError> {
    let deadline = Instant::now()
        .checked_add(timeout)
        .ok_or("the timeout is too large")?;
    let mut wait = polling.first_wait;
    // The last status printed for each workflow and job.
    let mut seen: BTreeMap<(&str, Uuid), String> = BTreeMap::new();
    loop {
        let state = client.get_pipeline_by_id(pipeline).await?;
        if state.state == PipelineState::Errored {
            for error in &state.errors {
                writeln!(out, "pipeline error ({}): {}", error.r#type, error.message)?;
            }
            return Err("the pipeline errored".into());
        }
        let workflows =
            collect_all(client.list_workflows_by_pipeline_id(pipeline).items(), out).await?;
        for workflow in &workflows {
            note(
                &mut seen,
                ("workflow", workflow.id),
                &format!("workflow {}", workflow.name),
                workflow.status.as_str(),
                out,
            )?;
            let jobs = collect_all(client.list_workflow_jobs(workflow.id).items(), out).await?;
            for job in &jobs {
                let name = match job.job_number {
                    Some(number) => format!("  job {} #{number}", job.name),
                    None => format!("  job {}", job.name),
                };
                note(&mut seen, ("job", job.id), &name, job.status.as_str(), out)?;
            }
        }
        if !workflows.is_empty() && workflows.iter().all(|w| finished(&w.status)) {
            return Ok(workflows.into_iter().map(|w| (w.name, w.status)).collect());
        }
        if Instant::now() + wait > deadline {
            return Err(format!(
                "gave up after {} s: the workflows are still running",
                timeout.as_secs()
            )
            .into());
        }
        tokio::time::sleep(wait).await;
        wait = wait.mul_f64(1.5).min(polling.max_wait);
    }
}

/// Whether a workflow status is final. An unknown status (one CircleCI added after this client
/// was generated) counts as not final, so following goes on until the timeout at worst.
fn finished(status: &WorkflowStatus) -> bool {
    match status {
        WorkflowStatus::Success
        | WorkflowStatus::Failed
        | WorkflowStatus::Error
        | WorkflowStatus::Canceled
        | WorkflowStatus::Unauthorized
        | WorkflowStatus::NotRun => true,
        // Running, failing, on hold, or a status CircleCI added later.
        _ => false,
    }
}

/// Prints `what: old → new` when the status of `key` changed since last time.
fn note<'k>(
    seen: &mut BTreeMap<(&'k str, Uuid), String>,
    key: (&'k str, Uuid),
    what: &str,
    status: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let previous = seen.insert(key, status.to_owned());
    match previous.as_deref() {
        Some(previous) if previous == status => Ok(()),
        Some(previous) => writeln!(out, "{what}: {previous} → {status}"),
        None => writeln!(out, "{what}: {status}"),
    }
}
