//! Receives CircleCI's webhook deliveries: checks each one's signature with the webhook's
//! signing secret, then prints what happened.
//!
//! ```text
//! CIRCLECI_WEBHOOK_SECRET=… cargo run --example webhook_receiver -- 127.0.0.1:8080
//! ```
//!
//! Point a project's outbound webhook (its settings page, or `client.create_webhook().body(…)`) at
//! `https://<your host>/circleci` with the same secret, behind a TLS-terminating proxy. The
//! receiver answers 204 to every delivery it accepted (CircleCI retries any other answer),
//! 401 to one whose signature is missing or wrong, and 400 to one that does not decode; it
//! prints `listening on <address>` once it accepts connections.

use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use circleci_api::webhooks::{Event, WebhookError, WebhookSecret};

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(secret) = std::env::var("CIRCLECI_WEBHOOK_SECRET") else {
        eprintln!("set CIRCLECI_WEBHOOK_SECRET to the webhook's signing secret");
        return ExitCode::from(2);
    };
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let app = Router::new()
        .route("/circleci", post(delivery))
        .with_state(Arc::new(WebhookSecret::from(secret)));
    match listener.local_addr() {
        Ok(bound) => println!("listening on {bound}"),
        Err(e) => eprintln!("listening (address unknown: {e})"),
    }
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One delivery: the raw body (the signature covers its bytes), verified and decoded.
async fn delivery(
    State(secret): State<Arc<WebhookSecret>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match Event::receive(&headers, &body, &secret) {
        Ok(event) => {
            println!("{}", describe(&event));
            StatusCode::NO_CONTENT
        }
        Err(e @ WebhookError::Decode { .. }) => {
            eprintln!("refused: {e}");
            StatusCode::BAD_REQUEST
        }
        Err(e) => {
            eprintln!("refused: {e}");
            StatusCode::UNAUTHORIZED
        }
    }
}

/// One line about what happened.
fn describe(event: &Event) -> String {
    match event {
        Event::WorkflowCompleted(e) => format!(
            "workflow {} of {} pipeline #{} finished: {}",
            e.workflow.name,
            e.project.slug,
            e.pipeline.number,
            e.workflow
                .status
                .as_ref()
                .map_or("unknown".to_owned(), |s| s.as_str().to_owned())
        ),
        Event::JobCompleted(e) => format!(
            "job {} (#{}) of workflow {} in {} finished: {}",
            e.job.name,
            e.job.number,
            e.workflow.name,
            e.project.slug,
            e.job.status.as_str()
        ),
        Event::Ping(e) => format!("ping for webhook {}", e.webhook.name),
        other => format!("an event this client does not know: {}", other.event_type()),
    }
}
