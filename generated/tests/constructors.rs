//! The constructors' error converts with `?` into the crate's `Result` (the same error type
//! as the calls'), so one function can build a client and call it.

use circleci_api::runtime::InvalidInputKind;
use circleci_api::{Client, Error, Result};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Builds a client and makes one call, both through `?`.
async fn current_login(base_url: &str, token: &str) -> Result<String> {
    let client = Client::builder()
        .token(token)
        .base_url(base_url)
        .max_retries(0)
        .build()?;
    let user = client.get_current_user().await?;
    Ok(user.login)
}

fn new_client(token: &str) -> Result<Client> {
    let client = Client::new(token)?;
    Ok(client.with_max_retries(0))
}

/// `from_env` too (its error goes through `?` into the crate's `Result`).
fn from_environment() -> Result<Client> {
    let client = Client::from_env()?;
    Ok(client.with_max_retries(0))
}

fn is_invalid_token(err: &Error) -> bool {
    matches!(err, Error::InvalidInput(invalid) if matches!(invalid.kind(), InvalidInputKind::InvalidToken { .. }))
}

#[tokio::test]
async fn constructor_and_call_errors_share_the_crate_result() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("Circle-Token", "tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "6d4f5c3b-7a2e-4b1f-9c8d-0e1f2a3b4c5d",
            "login": "octo",
            "name": "Octo Cat"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("Circle-Token", "tok-2"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"message": "Invalid token provided."})),
        )
        .mount(&server)
        .await;

    assert_eq!(current_login(&server.uri(), "tok-1").await.unwrap(), "octo");

    // A call's error: typed with the crate's usual error body.
    let err = current_login(&server.uri(), "tok-2").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status(), 401);
    assert_eq!(
        api.body().and_then(|b| b.message.as_deref()),
        Some("Invalid token provided.")
    );

    // A constructor's error, through the same `?`: a token that cannot be a header value is
    // refused before anything is sent.
    let err = current_login(&server.uri(), "tok\nen").await.unwrap_err();
    assert!(is_invalid_token(&err), "{err:?}");
    let err = new_client("tok\nen").unwrap_err();
    assert!(is_invalid_token(&err), "{err:?}");
    assert!(new_client("tok-3").is_ok());
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(2),
        "the refused clients sent nothing"
    );

    // Whatever the environment holds, `from_env`'s result converts into the crate's type.
    let _: Result<Client> = from_environment();
}
