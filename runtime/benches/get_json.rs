//! GET + JSON decode of a realistic listing page: through the runtime vs the same call made
//! with bare reqwest (same client settings), against a loopback server in this process.
//!
//! Criterion measures each variant; then an interleaved run (alternating blocks of calls, so
//! background load hits both alike) reports the runtime/bare ratio.
//!
//! `cargo bench -p apigen-runtime --bench get_json -- --quick`

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apigen_runtime::{Client, Method, decode};
use criterion::Criterion;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PipelineList {
    items: Vec<Pipeline>,
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Pipeline {
    id: String,
    errors: Vec<Value>,
    project_slug: String,
    updated_at: String,
    number: u64,
    state: String,
    created_at: String,
    trigger: Trigger,
    vcs: Vcs,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Trigger {
    r#type: String,
    received_at: String,
    actor: Actor,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Actor {
    login: String,
    avatar_url: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Vcs {
    provider_name: String,
    origin_repository_url: String,
    target_repository_url: String,
    revision: String,
    branch: Option<String>,
}

// The same shapes as generated code decodes them: `FromJson` tables (runtime::json), read
// straight from the body's text. (`impl_from_json!` also implements `Deserialize`, so these
// are separate types from the derived ones above.)

#[derive(Debug)]
#[allow(dead_code)]
struct GenPipelineList {
    items: Vec<GenPipeline>,
    next_page_token: Option<String>,
}

apigen_runtime::impl_from_json! {
    GenPipelineList {
        items: required "items",
        next_page_token: optional "next_page_token",
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct GenPipeline {
    id: String,
    errors: Vec<Value>,
    project_slug: String,
    updated_at: String,
    number: u64,
    state: String,
    created_at: String,
    trigger: GenTrigger,
    vcs: GenVcs,
}

apigen_runtime::impl_from_json! {
    GenPipeline {
        id: required "id",
        errors: required "errors",
        project_slug: required "project_slug",
        updated_at: required "updated_at",
        number: required "number",
        state: required "state",
        created_at: required "created_at",
        trigger: required "trigger",
        vcs: required "vcs",
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct GenTrigger {
    r#type: String,
    received_at: String,
    actor: GenActor,
}

apigen_runtime::impl_from_json! {
    GenTrigger {
        r#type: required "type",
        received_at: required "received_at",
        actor: required "actor",
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct GenActor {
    login: String,
    avatar_url: String,
}

apigen_runtime::impl_from_json! {
    GenActor {
        login: required "login",
        avatar_url: required "avatar_url",
    }
}

#[derive(Debug)]
#[allow(dead_code)]
struct GenVcs {
    provider_name: String,
    origin_repository_url: String,
    target_repository_url: String,
    revision: String,
    branch: Option<String>,
}

apigen_runtime::impl_from_json! {
    GenVcs {
        provider_name: required "provider_name",
        origin_repository_url: required "origin_repository_url",
        target_repository_url: required "target_repository_url",
        revision: required "revision",
        branch: optional "branch",
    }
}

/// A page of 20 pipelines shaped like CircleCI's `GET /project/{slug}/pipeline` answer.
fn listing_body() -> Vec<u8> {
    let items: Vec<Value> = (0..20)
        .map(|n| {
            json!({
                "id": format!("5034460f-c7c4-4c43-9457-de07e20{n:05}"),
                "errors": [],
                "project_slug": "gh/acme/widgets",
                "updated_at": "2024-05-01T10:00:00.000Z",
                "number": 1000 + n,
                "state": "created",
                "created_at": "2024-05-01T09:59:58.000Z",
                "trigger": {
                    "type": "webhook",
                    "received_at": "2024-05-01T09:59:57.000Z",
                    "actor": {"login": "alex", "avatar_url": "https://avatars.example.com/u/12345?v=4"}
                },
                "vcs": {
                    "provider_name": "GitHub",
                    "origin_repository_url": "https://github.com/acme/widgets",
                    "target_repository_url": "https://github.com/acme/widgets",
                    "revision": "7b4c1e0d9f2a3b5c6d7e8f9a0b1c2d3e4f5a6b7c",
                    "branch": "main"
                }
            })
        })
        .collect();
    serde_json::to_vec(
        &json!({"items": items, "next_page_token": "AARLwwV5o0eXlFfgt7Dj6GCqN2-iyY6X"}),
    )
    .unwrap_or_default()
}

/// `GET /me`: a small object.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    login: String,
    name: String,
}

fn user_body() -> Vec<u8> {
    serde_json::to_vec(
        &json!({"id": "5034460f-c7c4-4c43-9457-de07e2029e7b", "login": "alex", "name": "Alex Doe"}),
    )
    .unwrap_or_default()
}

/// The listing as generated code requests it: the template filled by name, the optional
/// `branch` parameter added by the call's setter.
async fn listing_via_runtime(client: &Client) -> PipelineList {
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path_slug("project-slug", "gh/acme/widgets", &[3])
        .send(decode::json::<PipelineList>, decode::json_error::<Value>)
        .query("branch", "main")
        .await
        .expect("runtime call")
}

/// The listing as a generated client fetches it: decoded with the generated `FromJson`.
async fn listing_via_runtime_generated(client: &Client) -> GenPipelineList {
    client
        .request(Method::GET, "/project/{project-slug}/pipeline")
        .path("/project/")
        .path_slug("project-slug", "gh/acme/widgets", &[])
        .path("/pipeline")
        .send(
            decode::from_json::<GenPipelineList>,
            decode::json_error::<Value>,
        )
        .await
        .expect("runtime call")
}

async fn listing_via_reqwest(client: &reqwest::Client, base: &str) -> PipelineList {
    get_via_reqwest(
        client,
        format!("{base}/project/gh/acme/widgets/pipeline?branch=main"),
    )
    .await
}

async fn me_via_runtime(client: &Client) -> User {
    client
        .request(Method::GET, "/me")
        .path("/me")
        .send(decode::json::<User>, decode::json_error::<Value>)
        .await
        .expect("runtime call")
}

async fn me_via_reqwest(client: &reqwest::Client, base: &str) -> User {
    get_via_reqwest(client, format!("{base}/me")).await
}

/// What a user of bare reqwest writes: send, check the status, read the body, decode.
async fn get_via_reqwest<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: String,
) -> T {
    let response = client.get(url).send().await.expect("reqwest call");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decodes")
}

/// A bare reqwest client with the settings the runtime's client uses: the same TLS setup
/// (rustls + ring, platform verifier), default headers (user agent, sensitive token header),
/// connect timeout and per-request timeout.
fn bare_client() -> reqwest::Client {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_platform_verifier()
        .expect("verifier")
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::USER_AGENT,
        reqwest::header::HeaderValue::from_static(support::CONFIG.user_agent),
    );
    let mut token = reqwest::header::HeaderValue::from_static(support::TOKEN);
    token.set_sensitive(true);
    headers.insert("circle-token", token);
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .default_headers(headers)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest client")
}

fn main() {
    let body = listing_body();
    let listing = Arc::new(support::json_response(&body));
    let user = Arc::new(support::json_response(&user_body()));
    println!(
        "payloads: listing page {} bytes (20 pipelines), user {} bytes",
        listing.len(),
        user.len()
    );
    let base = support::start(Arc::new(move |target: &str| {
        if target == "/me" {
            user.as_ref().clone()
        } else {
            listing.as_ref().clone()
        }
    }));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client: Client = runtime.block_on(async {
        Client::builder(&support::CONFIG)
            .token(support::TOKEN)
            .base_url(&base)
            .build()
            .expect("runtime client")
    });
    let bare = runtime.block_on(async { bare_client() });
    // Warm both pools.
    runtime.block_on(async {
        listing_via_runtime(&client).await;
        listing_via_reqwest(&bare, &base).await;
    });

    let mut criterion = Criterion::default().configure_from_args();
    {
        let mut group = criterion.benchmark_group("get_json_listing");
        group.bench_function("bare_reqwest", |b| {
            b.iter(|| black_box(runtime.block_on(listing_via_reqwest(&bare, &base))))
        });
        group.bench_function("apigen_runtime", |b| {
            b.iter(|| black_box(runtime.block_on(listing_via_runtime(&client))))
        });
        group.bench_function("apigen_runtime_generated_from_json", |b| {
            b.iter(|| black_box(runtime.block_on(listing_via_runtime_generated(&client))))
        });
        group.finish();
        // The decoding alone, on the same page: a derived `Deserialize` (serde_json) against
        // the generated `FromJson` reader.
        let mut group = criterion.benchmark_group("decode_listing_page");
        group.bench_function("serde_derive", |b| {
            b.iter(|| {
                black_box(
                    serde_json::from_slice::<PipelineList>(black_box(&body)).expect("decodes"),
                )
            })
        });
        group.bench_function("generated_from_json", |b| {
            b.iter(|| {
                black_box(
                    apigen_runtime::json::from_slice::<GenPipelineList>(black_box(&body))
                        .expect("decodes"),
                )
            })
        });
        // The same in the mode a client decodes with by default (corrections allowed and
        // recorded; this page needs none).
        group.bench_function("generated_from_json_tolerant", |b| {
            b.iter(|| {
                black_box(
                    apigen_runtime::json::from_slice_with::<GenPipelineList>(
                        black_box(&body),
                        apigen_runtime::json::Mode::Tolerant,
                    )
                    .expect("decodes"),
                )
            })
        });
        group.finish();
        let mut group = criterion.benchmark_group("get_json_small");
        group.bench_function("bare_reqwest", |b| {
            b.iter(|| black_box(runtime.block_on(me_via_reqwest(&bare, &base))))
        });
        group.bench_function("apigen_runtime", |b| {
            b.iter(|| black_box(runtime.block_on(me_via_runtime(&client))))
        });
        group.finish();
    }
    criterion.final_summary();

    // Interleaved comparison in the same run: single calls alternate (A B B A ...), so load
    // from elsewhere on the machine hits both variants alike; the medians of the per-call
    // times are compared. A/A runs of the same variant show the resolution of the method.
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let pairs = if bench_mode { 20_000 } else { 20 };
    let listing = interleave(
        &runtime,
        pairs,
        || listing_via_reqwest(&bare, &base),
        || listing_via_runtime(&client),
    );
    report(
        "listing page, bare reqwest vs apigen-runtime",
        pairs,
        listing,
        bench_mode,
    );
    let generated = interleave(
        &runtime,
        pairs,
        || listing_via_reqwest(&bare, &base),
        || listing_via_runtime_generated(&client),
    );
    report(
        "listing page, bare reqwest + derived Deserialize vs apigen-runtime + generated FromJson",
        pairs,
        generated,
        bench_mode,
    );
    let small = interleave(
        &runtime,
        pairs,
        || me_via_reqwest(&bare, &base),
        || me_via_runtime(&client),
    );
    report(
        "small object, bare reqwest vs apigen-runtime",
        pairs,
        small,
        bench_mode,
    );
    let same = interleave(
        &runtime,
        pairs,
        || me_via_reqwest(&bare, &base),
        || me_via_reqwest(&bare, &base),
    );
    report(
        "small object, A/A: bare reqwest vs itself",
        pairs,
        same,
        false,
    );
}

/// Median per-call seconds of (`a`, `b`) over `pairs` calls of each, alternating A B B A.
fn interleave<A, B, FA, FB, TA, TB>(
    runtime: &tokio::runtime::Runtime,
    pairs: usize,
    a: FA,
    b: FB,
) -> (f64, f64)
where
    FA: Fn() -> A,
    FB: Fn() -> B,
    A: std::future::Future<Output = TA>,
    B: std::future::Future<Output = TB>,
{
    let mut a_times = Vec::with_capacity(pairs);
    let mut b_times = Vec::with_capacity(pairs);
    runtime.block_on(async {
        for i in 0..pairs {
            let mut time_a = async || {
                let start = Instant::now();
                black_box(a().await);
                a_times.push(start.elapsed().as_secs_f64());
            };
            if i % 2 == 0 {
                time_a().await;
                let start = Instant::now();
                black_box(b().await);
                b_times.push(start.elapsed().as_secs_f64());
            } else {
                let start = Instant::now();
                black_box(b().await);
                b_times.push(start.elapsed().as_secs_f64());
                time_a().await;
            }
        }
    });
    (median(&mut a_times), median(&mut b_times))
}

fn report(what: &str, pairs: usize, (a, b): (f64, f64), check: bool) {
    let ratio = b / a;
    println!(
        "GET + JSON decode, {what} (interleaved, {pairs} calls each, medians): {:.1} µs vs {:.1} µs per call, ratio {:.3} ({:+.1} %)",
        a * 1e6,
        b * 1e6,
        ratio,
        (ratio - 1.0) * 100.0
    );
    if check && ratio > 1.05 {
        println!("WARNING: the runtime adds more than 5 % over bare reqwest ({what})");
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
