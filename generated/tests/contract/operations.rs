//! One entry per call the contract suite makes: every operation of the API at least once, with
//! valid arguments, each optional parameter given in at least one call.
//!
//! An entry names the operationId it stands for and calls the generated method through the
//! [`op!`] or [`paged!`] macro, which also records the method's name; `contract/main.rs` checks that
//! the entries and the document's operations are the same set, that each method is named after
//! its operationId, and (through the recording proxy) that each call sends the request the
//! document describes for that operation.
//!
//! # Path arguments
//!
//! Slugs are real ones (`gh/my-org/my-repo`, `circleci/<uuid>/<uuid>`, `gh/my-org`), sent
//! with their `/` kept as CircleCI expects, and as the generated code must send them (it
//! refuses a slug with the wrong number of segments). Prism routes a path parameter to
//! exactly one path segment, so the recording proxy in front of it (`recorder.rs`) checks
//! that each slug arrived with its `/` kept, then hands Prism the slug as one
//! percent-encoded segment. Where CircleCI accepts an ID instead of a slug
//! (`org-slug-or-id`), the ID is used in some calls and the slug in others.

use std::future::Future;
use std::pin::Pin;

use circleci_api::chrono::{DateTime, Utc};
use circleci_api::types::*;
use circleci_api::uuid::Uuid;
use circleci_api::{Client, Error, Response};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::Value;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// One call of the suite.
pub struct Operation {
    /// The operationId this call stands for.
    pub id: &'static str,
    /// The method of [`Client`] it calls.
    pub method: &'static str,
    /// Makes the call; its outcome, decoded body re-encoded as JSON.
    pub call: fn(Client) -> BoxFuture<Observed>,
}

/// A walk through the pages of a paginated operation.
pub struct Paginated {
    pub id: &'static str,
    pub method: &'static str,
    /// Walks `.pages()`, at most `max_pages` pages.
    pub pages: fn(Client, usize) -> BoxFuture<Walk>,
    /// Walks `.items()`, at most `max_items` items.
    pub items: fn(Client, usize) -> BoxFuture<Walk>,
}

/// What came back from one call.
#[derive(Debug)]
pub struct Observed {
    /// The status, when a response was received.
    pub status: Option<u16>,
    /// The decoded body encoded again as JSON, or what went wrong.
    pub outcome: Result<Value, String>,
    /// For an error status: the typed error body encoded again as JSON, if it decoded.
    pub error_body: Option<Value>,
    /// What decoding corrected (`kind path`), for a 2xx response.
    pub deviations: Vec<String>,
    /// For an error status: the API error's message (read by `tests/recorded.rs`).
    #[allow(dead_code)]
    pub message: Option<String>,
    /// What the call passed, as JSON: the method's arguments in order, then each setter
    /// called; what the call meant to send, compared with what arrived (read by
    /// `contract/main.rs`).
    #[allow(dead_code)]
    pub arguments: Vec<Passed>,
    /// For a 2xx response: the decoded body's `Debug` output, which names the variants chosen
    /// (read by `contract/main.rs`).
    #[allow(dead_code)]
    pub debug: Option<String>,
}

/// What a walk through a listing saw.
#[derive(Debug)]
pub struct Walk {
    /// Each page (for `.pages()`) or item (for `.items()`), encoded again as JSON.
    pub received: Vec<Value>,
    pub end: WalkEnd,
    /// What the call passed (see [`Observed::arguments`]).
    pub arguments: Vec<Passed>,
}

#[derive(Debug)]
pub enum WalkEnd {
    /// The stream ended without an error.
    Finished,
    /// The stream reported a repeated page token, then ended.
    Loop { token: String, then_ended: bool },
    /// The walk stopped at its limit with the stream still going.
    Limit,
    /// Any other error.
    Failed(String),
}

/// Describes an error for a test failure: status, message, body and Prism's violations for an
/// API error; the full `Display` (with JSON path and body excerpt for a decode error) otherwise.
pub fn describe<E>(error: &Error<E>) -> String {
    match error {
        Error::Api(api) => format!(
            "{}: {}; sl-violations: {}",
            api,
            api.body_text(),
            api.headers()
                .get("sl-violations")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("none")
        ),
        other => other.to_string(),
    }
}

/// The outcome of a call made with `.with_response()`; `json` picks what to encode of the body.
pub fn observe<T: std::fmt::Debug, E: Serialize, J: Serialize>(
    result: Result<Response<T>, Error<E>>,
    json: impl FnOnce(T) -> J,
) -> Observed {
    match result {
        Ok(response) => {
            let deviations = response
                .deviations()
                .iter()
                .map(|d| format!("{:?} {}", d.kind(), d.path()))
                .collect();
            let (status, _, body) = response.into_parts();
            let debug = Some(format!("{body:?}"));
            Observed {
                status: Some(status.as_u16()),
                outcome: serde_json::to_value(json(body))
                    .map_err(|e| format!("the decoded body does not encode as JSON: {e}")),
                error_body: None,
                deviations,
                message: None,
                arguments: Vec::new(),
                debug,
            }
        }
        Err(error) => Observed {
            status: error.status().map(|status| status.as_u16()),
            outcome: Err(describe(&error)),
            error_body: error
                .as_api()
                .and_then(|api| api.body())
                .and_then(|body| serde_json::to_value(body).ok()),
            deviations: Vec::new(),
            message: error
                .as_api()
                .and_then(|api| api.message())
                .map(str::to_owned),
            arguments: Vec::new(),
            debug: None,
        },
    }
}

/// Reads up to `limit` elements of a page or item stream.
pub async fn walk<S, T, E>(mut stream: S, limit: usize) -> Walk
where
    S: futures_util::Stream<Item = Result<T, Error<E>>> + Unpin,
    T: Serialize,
{
    let mut received = Vec::new();
    while received.len() < limit {
        match stream.next().await {
            None => {
                return Walk {
                    received,
                    end: WalkEnd::Finished,
                    arguments: Vec::new(),
                };
            }
            Some(Ok(value)) => received.push(
                serde_json::to_value(&value)
                    .unwrap_or_else(|e| Value::String(format!("not encodable as JSON: {e}"))),
            ),
            Some(Err(Error::PaginationLoop(repeated))) => {
                let then_ended = stream.next().await.is_none();
                return Walk {
                    received,
                    end: WalkEnd::Loop {
                        token: repeated.token().to_owned(),
                        then_ended,
                    },
                    arguments: Vec::new(),
                };
            }
            Some(Err(error)) => {
                return Walk {
                    received,
                    end: WalkEnd::Failed(describe(&error)),
                    arguments: Vec::new(),
                };
            }
        }
    }
    Walk {
        received,
        end: WalkEnd::Limit,
        arguments: Vec::new(),
    }
}

/// One value a call passed, as JSON: a positional argument of the method, or what a setter
/// of its call was given.
#[derive(Debug, Clone)]
pub struct Passed {
    /// The setter (`branch`), or `None` for a positional argument.
    pub setter: Option<&'static str>,
    pub value: Value,
}

/// Passes `value` on to the method unchanged, keeping its JSON in `arguments` (as from
/// `setter`, or positional).
pub fn arg<T: Serialize>(arguments: &mut Vec<Passed>, setter: Option<&'static str>, value: T) -> T {
    arguments.push(Passed {
        setter,
        value: serde_json::to_value(&value)
            .unwrap_or_else(|e| Value::String(format!("not encodable as JSON: {e}"))),
    });
    value
}

/// An entry calling `client.$method(args…).$setter(value)…` with `.with_response()`. With
/// `as |body| expr`, the JSON compared with the response is that of `expr` rather than of the
/// body itself (for a body type that is not `Serialize`).
macro_rules! op {
    ($id:literal => $method:ident($($arg:expr),* $(,)?) $(.$setter:ident($value:expr))*) => {
        op!($id => $method($($arg),*) $(.$setter($value))* as |body| body)
    };
    (
        $id:literal => $method:ident($($arg:expr),* $(,)?) $(.$setter:ident($value:expr))*
        as |$body:ident| $json:expr
    ) => {
        Operation {
            id: $id,
            method: stringify!($method),
            call: |client| {
                Box::pin(async move {
                    #[allow(unused_mut)] // a call without arguments
                    let mut arguments = Vec::new();
                    let call = client.$method($(arg(&mut arguments, None, $arg)),*);
                    $(
                        let call = call.$setter(
                            arg(&mut arguments, Some(stringify!($setter)), $value),
                        );
                    )*
                    let result = call.with_response().await;
                    let mut observed = observe(result, |$body| $json);
                    observed.arguments = arguments;
                    observed
                })
            },
        }
    };
}

/// A walk through the pages and items of a paginated `client.$method(args…).$setter(value)…`.
macro_rules! paged {
    ($id:literal => $method:ident($($arg:expr),* $(,)?) $(.$setter:ident($value:expr))*) => {
        Paginated {
            id: $id,
            method: stringify!($method),
            pages: |client, limit| {
                Box::pin(async move {
                    #[allow(unused_mut)] // a call without arguments
                    let mut arguments = Vec::new();
                    let call = client.$method($(arg(&mut arguments, None, $arg)),*);
                    $(
                        let call = call.$setter(
                            arg(&mut arguments, Some(stringify!($setter)), $value),
                        );
                    )*
                    let mut walked = walk(call.pages(), limit).await;
                    walked.arguments = arguments;
                    walked
                })
            },
            items: |client, limit| {
                Box::pin(async move {
                    #[allow(unused_mut)] // a call without arguments
                    let mut arguments = Vec::new();
                    let call = client.$method($(arg(&mut arguments, None, $arg)),*);
                    $(
                        let call = call.$setter(
                            arg(&mut arguments, Some(stringify!($setter)), $value),
                        );
                    )*
                    let mut walked = walk(call.items(), limit).await;
                    walked.arguments = arguments;
                    walked
                })
            },
        }
    };
}

// Identifiers. Parameters the document types as UUIDs are `Uuid` arguments; the ones it
// describes as UUIDs but types as plain strings (`org_id`, `project_id`, …) take the same
// values as text.
const ORG_ID: &str = "9a4ec3c4-1f63-4b7a-a2a0-2f6c9c0e8d11";
const PROJECT_ID: &str = "e4b2f9a8-7c1d-4e5f-9a3b-6d8c2e1f0a47";
const PIPELINE_ID: &str = "5034460f-c7c4-4c43-9457-de07e2029e7b";
const WORKFLOW_ID: &str = "fda08377-fe7e-46b1-8992-3a7aaecac9c3";
const JOB_ID: &str = "a1c5e3d2-8b4f-4a6e-9c7d-0e2f1b3a5c88";
const APPROVAL_REQUEST_ID: &str = "3e6c1a70-2b9d-4c8e-8f1a-5d7b9c0e2f44";
const CONTEXT_ID: &str = "0d2c7b1e-4f5a-4c3b-9e8d-7a6b5c4d3e21";
const RESTRICTION_ID: &str = "7b3e9d1c-5a2f-4e8b-a6c4-1d0f9e8c7b65";
const SCHEDULE_ID: &str = "c2a8e6f4-9b1d-4f3a-8e7c-5b4a3d2c1e09";
const WEBHOOK_ID: &str = "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const USER_ID: &str = "8d7c6b5a-4e3f-4a1b-9c0d-e1f2a3b4c5d6";
const GROUP_ID: &str = "2b4d6f80-1a3c-4e5f-8a7b-9c0d1e2f3a4b";
const USAGE_EXPORT_ID: &str = "4c6e8a0b-2d4f-4a6c-8e0a-1b3d5f7a9c2e";
const ENVIRONMENT_ID: &str = "1e3a5c7e-9b0d-4f2a-8c6e-0a2c4e6a8b1d";
const COMPONENT_ID: &str = "5a7c9e1b-3d5f-4a8c-9e2b-4d6f8a0c2e3f";
const PIPELINE_DEFINITION_ID: &str = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const TRIGGER_ID: &str = "3c5e7a9b-1d3f-4e6a-8b0c-2e4a6c8e0b2d";
const DECISION_ID: &str = "7e9a1c3e-5b7d-4f0a-9c2e-4a6c8e0a2c4f";
const ALLOW_LIST_ENTRY_ID: &str = "0a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c5d";

// Slugs as CircleCI takes them (see the module docs).
use crate::support::slugs::{ORG_SLUG, PROJECT_SLUG, PROJECT_SLUG_CIRCLECI};

/// Policy context: the only one CircleCI has.
const POLICY_CONTEXT: &str = "config";

fn id(text: &str) -> Uuid {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a UUID: {e}"))
}

fn date(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text} is not an RFC 3339 date-time: {e}"))
        .with_timezone(&Utc)
}

fn parameters() -> PipelineParameters {
    PipelineParameters::from([
        ("deploy".to_owned(), PipelineParameterValue::Boolean(true)),
        ("replicas".to_owned(), PipelineParameterValue::Integer(3)),
        (
            "environment".to_owned(),
            PipelineParameterValue::String("staging".to_owned()),
        ),
    ])
}

fn repository() -> RepositoryInput {
    RepositoryInput {
        external_id: "123456789".to_owned(),
    }
}

fn weekly() -> ScheduleTimetable {
    ScheduleTimetable::WeeklyTimetable(WeeklyTimetable {
        per_hour: 1,
        hours_of_day: vec![3, 15],
        days_of_week: vec![DayOfWeek::Mon, DayOfWeek::Thu],
        days_of_month: None,
        months: Some(vec![Month::Jan, Month::Jul]),
    })
}

fn monthly() -> ScheduleTimetable {
    ScheduleTimetable::MonthlyTimetable(MonthlyTimetable {
        per_hour: 2,
        hours_of_day: vec![0],
        days_of_month: vec![1, 15],
        days_of_week: None,
        months: None,
    })
}

/// Every call of the suite, grouped as the operations are tagged.
pub fn operations() -> Vec<Operation> {
    vec![
        // Pipeline
        op!("listPipelines" => list_pipelines().org_slug("gh/my-org").mine(true)),
        op!("continuePipeline" => continue_pipeline().body(&ContinuePipelineRequest {
            continuation_key: "continuation-key-from-the-setup-job".to_owned(),
            configuration: "version: 2.1\nworkflows: {}\n".to_owned(),
            parameters: Some(parameters()),
        })),
        op!("getPipelineById" => get_pipeline_by_id(id(PIPELINE_ID))),
        op!("getPipelineConfigById" => get_pipeline_config_by_id(id(PIPELINE_ID))),
        op!("getPipelineValuesById" => get_pipeline_values_by_id(id(PIPELINE_ID))),
        op!("compileConfigWithDefaults" => compile_config_with_defaults(&CompileConfigRequest {
            config_yaml: "version: 2.1\norbs:\n  node: circleci/node@5\nworkflows: {}\n".to_owned(),
            options: None,
        })),
        op!("compileConfigWithDefaults" => compile_config_with_defaults(&CompileConfigRequest {
            config_yaml: "version: 2.1\nworkflows: {}\n".to_owned(),
            options: Some(CompileConfigOptions {
                owner_id: Some(ORG_ID.to_owned()),
                pipeline_values: Some(
                    [("pipeline.git.branch".to_owned(), Value::String("main".to_owned()))]
                        .into_iter()
                        .collect(),
                ),
                ..CompileConfigOptions::default()
            }),
        })),
        op!("listWorkflowsByPipelineId" => list_workflows_by_pipeline_id(id(PIPELINE_ID))),
        op!("listPipelinesForProject" => list_pipelines_for_project(PROJECT_SLUG)
            .branch("main")),
        // The body is optional: none at all, and a branch with parameters.
        op!("triggerPipeline" => trigger_pipeline(PROJECT_SLUG)),
        op!("triggerPipeline" => trigger_pipeline(PROJECT_SLUG)
            .body(&TriggerPipelineRequest {
            branch: Some("feature/contract".to_owned()),
            tag: None,
            parameters: Some(parameters()),
        })),
        op!("listMyPipelines" => list_my_pipelines(PROJECT_SLUG)),
        op!("getPipelineByNumber" => get_pipeline_by_number(PROJECT_SLUG, 1234)),
        // Two success statuses, so the body is an enum chosen by status (not `Serialize`).
        op!("triggerPipelineRun" => trigger_pipeline_run(
            &Provider::Circleci,
            ORG_ID,
            PROJECT_ID,
        ).body(&TriggerPipelineRunRequest {
                definition_id: Some(id(PIPELINE_DEFINITION_ID)),
                config: Some(PipelineRunConfigRef {
                    branch: Some("main".to_owned()),
                    tag: None,
                    content: None,
                }),
                checkout: Some(PipelineRunRef { branch: None, tag: Some("v1.2.3".to_owned()) }),
                parameters: Some(parameters()),
            }) as |body| match body {
            TriggerPipelineRunResponse::Ok(not_triggered) => serde_json::to_value(not_triggered),
            TriggerPipelineRunResponse::Created(triggered) => serde_json::to_value(triggered),
            other => Ok(Value::String(format!("a status this suite does not know: {other:?}"))),
        }
        .unwrap_or_else(|e| Value::String(format!("not encodable as JSON: {e}")))),
        // Workflow
        op!("getWorkflowById" => get_workflow_by_id(id(WORKFLOW_ID))),
        op!("approvePendingApprovalJobById" => approve_pending_approval_job_by_id(
            id(WORKFLOW_ID),
            id(APPROVAL_REQUEST_ID),
        )),
        op!("cancelWorkflow" => cancel_workflow(id(WORKFLOW_ID))),
        op!("listWorkflowJobs" => list_workflow_jobs(id(WORKFLOW_ID))),
        op!("rerunWorkflow" => rerun_workflow(id(WORKFLOW_ID)).body(&RerunWorkflowRequest {
            enable_ssh: Some(true),
            from_failed: None,
            jobs: Some(vec![id(JOB_ID)]),
            sparse_tree: Some(false),
        })),
        op!("rerunWorkflow" => rerun_workflow(id(WORKFLOW_ID)).body(&RerunWorkflowRequest {
            from_failed: Some(true),
            ..RerunWorkflowRequest::default()
        })),
        // Job
        op!("cancelJobByJobID" => cancel_job_by_job_id(id(JOB_ID))),
        op!("getJobDetails" => get_job_details(PROJECT_SLUG, 42)),
        op!("cancelJobByJobNumber" => cancel_job_by_job_number(PROJECT_SLUG, 42)),
        op!("getJobArtifacts" => get_job_artifacts(PROJECT_SLUG, 42)),
        op!("getJobArtifacts" => get_job_artifacts(PROJECT_SLUG, 42)
            .page_token("artifacts-page-2")),
        op!("getTests" => get_tests(PROJECT_SLUG, 42)),
        op!("getTests" => get_tests(PROJECT_SLUG, 42).page_token("tests-page-2")),
        // Project
        op!("createProject" => create_project(ORG_ID).body(&CreateProjectRequest {
            name: "new-project".to_owned(),
        })),
        op!("getProjectBySlug" => get_project_by_slug(PROJECT_SLUG_CIRCLECI)),
        op!("deleteProjectBySlug" => delete_project_by_slug(PROJECT_SLUG)),
        op!("listCheckoutKeys" => list_checkout_keys(PROJECT_SLUG)
            .digest(&ListCheckoutKeysDigest::Sha256)),
        op!("createCheckoutKey" => create_checkout_key(PROJECT_SLUG)
            .body(&CreateCheckoutKeyRequest {
            r#type: CreateCheckoutKeyRequestType::DeployKey,
        })),
        op!("getCheckoutKey" => get_checkout_key(
            PROJECT_SLUG,
            "c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f",
        )),
        // A SHA-256 fingerprint holds `/`, `+` and `=`: the client percent-encodes them.
        op!("deleteCheckoutKey" => delete_checkout_key(
            PROJECT_SLUG,
            "SHA256:Bq3/ZkR+0nU1xq8lRz0c2Gk3m5p8X9sT6vWjYh4Fe1A=",
        )),
        op!("listEnvVars" => list_env_vars(PROJECT_SLUG_CIRCLECI)),
        op!("listEnvVars" => list_env_vars(PROJECT_SLUG).page_token("env-vars-page-2")),
        op!("createEnvVar" => create_env_var(PROJECT_SLUG)
            .body(&CreateEnvironmentVariableRequest {
            name: "DEPLOY_KEY".to_owned(),
            value: "s3cr3t".to_owned(),
        })),
        op!("getEnvVar" => get_env_var(PROJECT_SLUG, "DEPLOY_KEY")),
        op!("deleteEnvVar" => delete_env_var(PROJECT_SLUG, "DEPLOY_KEY")),
        create_project1(),
        op!("getProjectSettings" => get_project_settings(
            &Provider::Bitbucket,
            "my-org",
            "my-repo",
        )),
        op!("patchProjectSettings" => patch_project_settings(
            &Provider::Github,
            "my-org",
            "my-repo",
            &ProjectSettings {
                advanced: Some(ProjectSettingsAdvanced {
                    autocancel_builds: Some(true),
                    build_prs_only: Some(false),
                    pr_only_branch_overrides: Some(vec!["main".to_owned()]),
                    ..ProjectSettingsAdvanced::default()
                }),
            },
        )),
        // Schedule
        op!("listSchedulesForProject" => list_schedules_for_project(PROJECT_SLUG)),
        // The timetable is an anyOf of two shapes: one call with each.
        op!("createSchedule" => create_schedule(PROJECT_SLUG).body(&CreateScheduleRequest {
            name: "nightly".to_owned(),
            timetable: weekly(),
            attribution_actor: AttributionActor::System,
            parameters: PipelineParameters::from([(
                "branch".to_owned(),
                PipelineParameterValue::String("main".to_owned()),
            )]),
            description: Some(Some("Runs the nightly workflow".to_owned())),
        })),
        op!("createSchedule" => create_schedule(PROJECT_SLUG).body(&CreateScheduleRequest {
            name: "monthly".to_owned(),
            timetable: monthly(),
            attribution_actor: AttributionActor::Current,
            parameters: PipelineParameters::from([(
                "tag".to_owned(),
                PipelineParameterValue::String("v1".to_owned()),
            )]),
            description: None,
        })),
        op!("getScheduleById" => get_schedule_by_id(id(SCHEDULE_ID))),
        op!("updateSchedule" => update_schedule(id(SCHEDULE_ID))
            .body(&UpdateScheduleRequest {
            name: Some("weekly".to_owned()),
            // Optional and nullable: `null` removes the description.
            description: Some(None),
            timetable: Some(TimetableUpdate {
                per_hour: Some(4),
                hours_of_day: Some(vec![8]),
                days_of_week: Some(vec![DayOfWeek::Sat]),
                ..TimetableUpdate::default()
            }),
            attribution_actor: Some(AttributionActor::Current),
            parameters: Some(parameters()),
        })),
        op!("deleteScheduleById" => delete_schedule_by_id(id(SCHEDULE_ID))),
        // Context
        op!("listContexts" => list_contexts()
            .owner_id(id(ORG_ID))
            .owner_type(&ContextOwnerByIdType::Organization)),
        op!("listContexts" => list_contexts().owner_slug("gh/my-org").name("deploy")),
        // The owner is a oneOf: by ID and by slug.
        op!("createContext" => create_context().body(&CreateContextRequest {
            name: "deploy-secrets".to_owned(),
            owner: CreateContextRequestOwner::ContextOwnerById(ContextOwnerById {
                id: id(ORG_ID),
                r#type: Some(ContextOwnerByIdType::Organization),
            }),
        })),
        op!("createContext" => create_context().body(&CreateContextRequest {
            name: "deploy-secrets".to_owned(),
            owner: CreateContextRequestOwner::ContextOwnerBySlug(ContextOwnerBySlug {
                slug: "gh/my-org".to_owned(),
                r#type: Some(ContextOwnerBySlugType::Organization),
            }),
        })),
        op!("getContext" => get_context(id(CONTEXT_ID))),
        op!("deleteContext" => delete_context(id(CONTEXT_ID))),
        op!("listEnvironmentVariablesFromContext" => list_environment_variables_from_context(id(CONTEXT_ID))),
        op!("addEnvironmentVariableToContext" => add_environment_variable_to_context(
            id(CONTEXT_ID),
            "AWS_ACCESS_KEY_ID",
        ).body(&SetContextEnvironmentVariableRequest { value: "AKIA0000".to_owned() })),
        op!("deleteEnvironmentVariableFromContext" => delete_environment_variable_from_context(
            id(CONTEXT_ID),
            "AWS_ACCESS_KEY_ID",
        )),
        op!("getContextRestrictions" => get_context_restrictions(id(CONTEXT_ID))),
        op!("createContextRestriction" => create_context_restriction(
            id(CONTEXT_ID),
            &CreateContextRestrictionRequest {
                restriction_type: Some(ContextRestrictionType::Project),
                restriction_value: Some(PROJECT_ID.to_owned()),
            },
        )),
        op!("deleteContextRestriction" => delete_context_restriction(
            id(CONTEXT_ID),
            id(RESTRICTION_ID),
        )),
        // Webhook
        op!("getWebhooks" => get_webhooks(id(PROJECT_ID), &GetWebhooksScopeType::Project)),
        op!("createWebhook" => create_webhook().body(&CreateWebhookRequest {
            name: "deploy notifier".to_owned(),
            events: vec![WebhookEvent::WorkflowCompleted, WebhookEvent::JobCompleted],
            url: "https://hooks.example.com/circleci".to_owned(),
            verify_tls: true,
            signing_secret: "hmac-secret".to_owned(),
            scope: CreateWebhookRequestScope {
                id: id(PROJECT_ID),
                r#type: GetWebhooksScopeType::Project,
            },
        })),
        op!("getWebhookById" => get_webhook_by_id(id(WEBHOOK_ID))),
        op!("updateWebhook" => update_webhook(id(WEBHOOK_ID)).body(&UpdateWebhookRequest {
            name: Some("renamed".to_owned()),
            events: Some(vec![WebhookEvent::JobCompleted]),
            url: Some("https://hooks.example.com/v2".to_owned()),
            signing_secret: Some("new-secret".to_owned()),
            verify_tls: Some(false),
        })),
        op!("deleteWebhook" => delete_webhook(id(WEBHOOK_ID))),
        // User
        op!("getCurrentUser" => get_current_user()),
        op!("getCollaborations" => get_collaborations()),
        op!("getUser" => get_user(id(USER_ID))),
        // Organization
        op!("createOrganization" => create_organization().body(&CreateOrganizationRequest {
            name: "my-new-org".to_owned(),
            vcs_type: OrganizationVcsType::Circleci,
        })),
        op!("deleteOrganization" => delete_organization(ORG_ID)),
        // By UUID and by slug.
        op!("getOrganization" => get_organization(ORG_ID)),
        op!("getOrganization" => get_organization(ORG_SLUG)),
        // OpenTelemetry
        op!("listOtelExporters" => list_otel_exporters(id(ORG_ID))),
        op!("createOtelExporter" => create_otel_exporter(&CreateOtelExporterRequest {
            org_id: id(ORG_ID),
            endpoint: "api.honeycomb.io:443".to_owned(),
            protocol: OtelProtocol::Grpc,
            headers: Some(
                [("x-honeycomb-team".to_owned(), "team-key".to_owned())]
                    .into_iter()
                    .collect(),
            ),
        })),
        op!("createOtelExporter" => create_otel_exporter(&CreateOtelExporterRequest {
            org_id: id(ORG_ID),
            endpoint: "https://otlp.example.com/otlp/v1/traces".to_owned(),
            protocol: OtelProtocol::Http,
            headers: None,
        })),
        op!("deleteOtelExporter" => delete_otel_exporter("exporter-1")),
        op!("listURLOrbAllowListEntries" => list_url_orb_allow_list_entries(ORG_SLUG)),
        op!("createURLOrbAllowListEntry" => create_url_orb_allow_list_entry(ORG_ID)
        .body(&CreateUrlOrbAllowListEntryRequest {
            name: "internal orbs".to_owned(),
            prefix: "https://orbs.example.com/".to_owned(),
            auth: UrlOrbAllowListAuth::None,
        })),
        op!("removeURLOrbAllowListEntry" => remove_url_orb_allow_list_entry(
            ORG_ID,
            id(ALLOW_LIST_ENTRY_ID),
        )),
        // Groups
        op!("getOrganizationGroups" => get_organization_groups(id(ORG_ID)).limit(25)),
        op!("createOrganizationGroup" => create_organization_group(id(ORG_ID), &CreateGroupRequest {
            name: "release managers".to_owned(),
            description: Some("May approve production deploys".to_owned()),
        })),
        op!("getGroup" => get_group(id(ORG_ID), id(GROUP_ID))),
        op!("deleteGroup" => delete_group(id(ORG_ID), id(GROUP_ID))),
        // Usage
        op!("createUsageExport" => create_usage_export(id(ORG_ID), &CreateUsageExportRequest {
            start: date("2025-09-01T00:00:00Z"),
            end: date("2025-09-30T23:59:59Z"),
            shared_org_ids: Some(vec![id(USER_ID)]),
        })),
        op!("getUsageExport" => get_usage_export(id(ORG_ID), id(USAGE_EXPORT_ID))),
        // Insights (query arrays: form style, exploded)
        op!("getProjectWorkflowsPageData" => get_project_workflows_page_data(PROJECT_SLUG)
            .reporting_window(&ReportingWindow::Last30Days)
            .branches(&["main", "release/1.x"])
            .workflow_names(&["build", "deploy"])),
        op!("getJobTimeseries" => get_job_timeseries(PROJECT_SLUG, "build")
            .branch("main")
            .granularity(&GetJobTimeseriesGranularity::Hourly)
            .start_date(date("2025-10-01T00:00:00Z"))
            .end_date(date("2025-10-08T12:30:00+02:00"))),
        op!("getOrgSummaryData" => get_org_summary_data(ORG_SLUG)
            .reporting_window(&ReportingWindow::Last7Days)
            .project_names(&["my-repo", "other repo"])),
        op!("getAllInsightsBranches" => get_all_insights_branches(PROJECT_SLUG)
            .workflow_name("build")),
        op!("getFlakyTests" => get_flaky_tests(PROJECT_SLUG_CIRCLECI)),
        op!("getProjectWorkflowMetrics" => get_project_workflow_metrics(PROJECT_SLUG)
            .all_branches(false)
            .branch("main")
            .reporting_window(&ReportingWindow::Last90Days)),
        op!("getProjectWorkflowMetrics" => get_project_workflow_metrics(PROJECT_SLUG)
            .all_branches(true)),
        op!("getProjectWorkflowRuns" => get_project_workflow_runs(PROJECT_SLUG, "build")
            .all_branches(false)
            .branch("main")
            .start_date(date("2025-10-01T00:00:00Z"))
            .end_date(date("2025-10-02T00:00:00Z"))),
        op!("getProjectWorkflowJobMetrics" => get_project_workflow_job_metrics(
            PROJECT_SLUG,
            "build",
        )
            .all_branches(false)
            .branch("main")
            .reporting_window(&ReportingWindow::Last24Hours)
            .job_name("unit-tests")),
        op!("getWorkflowSummary" => get_workflow_summary(PROJECT_SLUG, "build")
            .all_branches(false)
            .branch("main")),
        op!("getProjectWorkflowTestMetrics" => get_project_workflow_test_metrics(PROJECT_SLUG, "build")
            .branch("main")
            .all_branches(false)),
        // Pipeline Definition (config_source is a oneOf by `provider`: one call with each)
        op!("listPipelineDefinitions" => list_pipeline_definitions(id(PROJECT_ID))),
        op!("createPipelineDefinition" => create_pipeline_definition(id(PROJECT_ID))
        .body(&CreatePipelineDefinitionRequest {
            name: "deploy".to_owned(),
            config_source: ConfigSource::GithubApp(GithubAppConfigSource {
                provider: CheckoutSourceProvider::GithubApp,
                repo: repository(),
                file_path: ".circleci/deploy.yml".to_owned(),
            }),
            checkout_source: CheckoutSource {
                provider: CheckoutSourceProvider::GithubApp,
                repo: repository(),
            },
            description: Some("Deploys main".to_owned()),
        })),
        op!("createPipelineDefinition" => create_pipeline_definition(id(PROJECT_ID))
        .body(&CreatePipelineDefinitionRequest {
            name: "stored".to_owned(),
            config_source: ConfigSource::Circleci(CircleciConfigSource {
                provider: CircleciConfigSourceProvider::Circleci,
                file_path: "config.yml".to_owned(),
            }),
            checkout_source: CheckoutSource {
                provider: CheckoutSourceProvider::GithubApp,
                repo: repository(),
            },
            description: None,
        })),
        op!("getPipelineDefinition" => get_pipeline_definition(id(PROJECT_ID), id(PIPELINE_DEFINITION_ID))),
        op!("updatePipelineDefinition" => update_pipeline_definition(
            id(PROJECT_ID),
            id(PIPELINE_DEFINITION_ID),
        ).body(&UpdatePipelineDefinitionRequest {
                name: Some("deploy-v2".to_owned()),
                description: Some("Deploys every tag".to_owned()),
                config_source: Some(UpdatePipelineDefinitionRequestConfigSource {
                    file_path: Some(".circleci/deploy-v2.yml".to_owned()),
                }),
                checkout_source: None,
            })),
        op!("deletePipelineDefinition" => delete_pipeline_definition(
            id(PROJECT_ID),
            id(PIPELINE_DEFINITION_ID),
        )),
        // Trigger
        op!("listPipelineDefinitionTriggers" => list_pipeline_definition_triggers(
            id(PROJECT_ID),
            id(PIPELINE_DEFINITION_ID),
        )),
        op!("createTrigger" => create_trigger(
            id(PROJECT_ID),
            id(PIPELINE_DEFINITION_ID),
        ).body(&CreateTriggerRequest {
                event_source: CreateTriggerRequestEventSource {
                    provider: "github_app".to_owned(),
                    repo: Some(repository()),
                    webhook: None,
                },
                event_preset: Some(TriggerEventPreset::OnlyOpenPrs),
                checkout_ref: None,
                config_ref: None,
                event_name: None,
                disabled: Some(false),
            })),
        op!("getTrigger" => get_trigger(id(PROJECT_ID), id(TRIGGER_ID))),
        op!("updateTrigger" => update_trigger(id(PROJECT_ID), id(TRIGGER_ID))
        .body(&UpdateTriggerRequest {
            checkout_ref: Some("main".to_owned()),
            config_ref: Some("main".to_owned()),
            event_name: Some("deploy-requested".to_owned()),
            disabled: Some(true),
            event_source: Some(UpdateTriggerRequestEventSource {
                webhook: Some(TriggerWebhookSender { sender: Some("release-bot".to_owned()) }),
            }),
            ..UpdateTriggerRequest::default()
        })),
        op!("deleteTrigger" => delete_trigger(id(PROJECT_ID), id(TRIGGER_ID))),
        // Deploy
        op!("listEnvironments" => list_environments(id(ORG_ID), 20)),
        op!("getEnvironment" => get_environment(id(ENVIRONMENT_ID))),
        op!("listComponents" => list_components(id(ORG_ID), 20).project_id(id(PROJECT_ID))),
        op!("getComponent" => get_component(id(COMPONENT_ID))),
        op!("getProjectDeploySettings" => get_project_deploy_settings(id(PROJECT_ID))),
        op!("listComponentVersions" => list_component_versions(id(COMPONENT_ID))
            .environment_id(id(ENVIRONMENT_ID))),
        // Rollback
        op!("rollbackProject" => rollback_project(id(PROJECT_ID), &RollbackProjectRequest {
            environment_name: "production".to_owned(),
            component_name: "api".to_owned(),
            current_version: "1.4.0".to_owned(),
            target_version: "1.3.2".to_owned(),
            namespace: Some("default".to_owned()),
            parameters: Some(parameters()),
            reason: Some("error rate doubled".to_owned()),
        })),
        // OIDC Token Management (errors as `{"error": …}`)
        op!("GetOrgClaims" => get_org_claims(id(ORG_ID))),
        op!("PatchOrgClaims" => patch_org_claims(id(ORG_ID)).body(&PatchOidcClaimsRequest {
            audience: Some(vec!["sts.amazonaws.com".to_owned()]),
            ttl: Some("1h".to_owned()),
        })),
        op!("DeleteOrgClaims" => delete_org_claims(id(ORG_ID), "audience,ttl")),
        op!("GetProjectClaims" => get_project_claims(id(ORG_ID), id(PROJECT_ID))),
        op!("PatchProjectClaims" => patch_project_claims(id(ORG_ID), id(PROJECT_ID))
            .body(&PatchOidcClaimsRequest {
            audience: None,
            ttl: Some("30m".to_owned()),
        })),
        op!("DeleteProjectClaims" => delete_project_claims(id(ORG_ID), id(PROJECT_ID), "audience")),
        // Policy Management (errors as `{"error": …}`)
        op!("GetDecisionLogs" => get_decision_logs(id(ORG_ID), POLICY_CONTEXT)
            .status("PASS")
            .after(date("2025-10-01T00:00:00Z"))
            .before(date("2025-10-17T00:00:00Z"))
            .branch("main")
            .project_id(id(PROJECT_ID))
            .build_number("42")
            .offset(20)),
        op!("MakeDecision" => make_decision(id(ORG_ID), POLICY_CONTEXT)
            .body(&MakeDecisionRequest {
            input: "version: 2.1\njobs: {}\n".to_owned(),
            metadata: Some(serde_json::Map::from_iter([
                ("project_id".to_owned(), Value::from(PROJECT_ID)),
                ("branch".to_owned(), Value::from("main")),
            ])),
        })),
        op!("GetDecisionSettings" => get_decision_settings(id(ORG_ID), POLICY_CONTEXT)),
        op!("SetDecisionSettings" => set_decision_settings(id(ORG_ID), POLICY_CONTEXT)
            .body(&DecisionSettings {
            enabled: Some(true),
        })),
        op!("GetDecisionLog" => get_decision_log(id(ORG_ID), POLICY_CONTEXT, id(DECISION_ID))),
        op!("GetDecisionLogPolicyBundle" => get_decision_log_policy_bundle(
            id(ORG_ID),
            POLICY_CONTEXT,
            id(DECISION_ID),
        )),
        op!("GetPolicyBundle" => get_policy_bundle(id(ORG_ID), POLICY_CONTEXT)),
        op!("CreatePolicyBundle" => create_policy_bundle(id(ORG_ID), POLICY_CONTEXT)
            .body(&BundlePayload {
                policies: Some(
                    [(
                        "branch_filter.rego".to_owned(),
                        "package org\npolicy_name[\"branch_filter\"]\n".to_owned(),
                    )]
                    .into(),
                ),
            })
            .dry(true)),
        op!("GetPolicyDocument" => get_policy_document(id(ORG_ID), POLICY_CONTEXT, "branch_filter")),
    ]
}

/// `createProject1` is deprecated (its description says so), but still part of the API.
#[allow(deprecated)]
fn create_project1() -> Operation {
    op!("createProject1" => create_project1(&Provider::Gh, "acme", "widgets"))
}

/// A walk for every paginated operation, starting at the first page.
pub fn paginated() -> Vec<Paginated> {
    vec![
        paged!("listPipelines" => list_pipelines().org_slug("gh/my-org")),
        paged!("listWorkflowsByPipelineId" => list_workflows_by_pipeline_id(id(PIPELINE_ID))),
        paged!("listPipelinesForProject" => list_pipelines_for_project(PROJECT_SLUG)),
        paged!("listMyPipelines" => list_my_pipelines(PROJECT_SLUG)),
        paged!("listWorkflowJobs" => list_workflow_jobs(id(WORKFLOW_ID))),
        paged!("listSchedulesForProject" => list_schedules_for_project(PROJECT_SLUG)),
        paged!("listContexts" => list_contexts().owner_slug("gh/my-org")),
        paged!("listEnvVars" => list_env_vars(PROJECT_SLUG)),
        paged!("getContextRestrictions" => get_context_restrictions(id(CONTEXT_ID))),
        paged!("getWebhooks" => get_webhooks(id(PROJECT_ID), &GetWebhooksScopeType::Project)),
        paged!("getJobArtifacts" => get_job_artifacts(PROJECT_SLUG, 42)),
        paged!("getTests" => get_tests(PROJECT_SLUG, 42)),
        paged!("listEnvironmentVariablesFromContext" => list_environment_variables_from_context(id(CONTEXT_ID))),
        paged!("getOrganizationGroups" => get_organization_groups(id(ORG_ID)).limit(10)),
        paged!("getProjectWorkflowMetrics" => get_project_workflow_metrics(PROJECT_SLUG)),
        paged!("getProjectWorkflowRuns" => get_project_workflow_runs(
            PROJECT_SLUG,
            "build",
        )),
        paged!("getProjectWorkflowJobMetrics" => get_project_workflow_job_metrics(
            PROJECT_SLUG,
            "build",
        )),
        paged!("listEnvironments" => list_environments(id(ORG_ID), 5)),
        paged!("listComponents" => list_components(id(ORG_ID), 5)),
    ]
}
