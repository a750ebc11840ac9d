//! Code a user wrote against the crate generated from `base.yaml`, the ways the crate's docs
//! recommend: optional parameters through setters, request bodies from `new` plus setting
//! optional members, `_` arms on enums and unions, received values decoded from JSON in tests.

use super::api::Client;
use super::api::operations::ListBuilds;
use super::api::types::{Build, BuildRequest, Options, Status, Trigger};

pub async fn start_and_list(client: &Client) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut request = BuildRequest::new("main".to_owned());
    request.note = Some("nightly".to_owned());
    request.options = Some(Options {
        fast: Some(true),
        ..Default::default()
    });
    let started = client.start_build(&request).await?;
    let mut lines = vec![describe(&started)];
    let list = client.list_builds().branch("main").await?;
    lines.extend(list.items.iter().map(describe));
    // The call, its options and status: what stays the same when the listing gets pages.
    let response = client
        .list_builds()
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(5))
        .with_response()
        .await?;
    lines.push(response.status().to_string());
    // A call kept in a variable of its type, and turned into the runtime's.
    let call: ListBuilds = client.list_builds();
    let _plain: apigen_runtime::Call<super::api::types::BuildList, serde_json::Value> = call.into();
    client.cancel_build("b1").await?;
    Ok(lines)
}

pub fn describe(build: &Build) -> String {
    let status = match &build.status {
        Status::Queued => "queued",
        Status::Passed => "passed",
        _ => "other",
    };
    let trigger = match &build.trigger {
        Some(Trigger::Push(push)) => push.branch.clone(),
        Some(Trigger::Schedule(schedule)) => schedule.cron.clone(),
        Some(_) | None => String::new(),
    };
    format!("{} {status} {trigger}", build.id)
}

pub fn sample() -> Build {
    apigen_runtime::json::from_value(&serde_json::json!({
        "id": "b1", "status": "queued", "trigger": {"branch": "main"}
    }))
    .expect("a build")
}
