//! The generated client surface: methods exist with the expected (compile-time checked)
//! signatures, and configuration comes from the document. No network is used.

use apigen_fixtures::{pagination, parameters, responses};

#[test]
fn configuration_comes_from_the_document() {
    assert_eq!(parameters::CONFIG.default_base_url, "https://eu.example.com/api/v2");
    assert_eq!(parameters::CONFIG.auth, apigen_runtime::AuthScheme::Header("X-Api-Token"));
    assert_eq!(parameters::CONFIG.token_env, Some("FIXTURES_TOKEN"));
    assert_eq!(pagination::CONFIG.auth, apigen_runtime::AuthScheme::None);
}

#[test]
fn signatures() {
    let client = parameters::Client::new("token").unwrap();
    // Required parameters are arguments; optional ones setters of the operation's call type,
    // which wraps the runtime's `Call` (or `PagedCall` for a listing).
    let call: parameters::operations::GetJob = client
        .get_job("gh/org/repo", 42, &["a", "b"], "trace")
        .ids(&[1, 2])
        .status(&parameters::types::Status::Running)
        .limit(10);
    let _: apigen_runtime::Call<serde_json::Map<String, serde_json::Value>, serde_json::Value> = call.into();
    let _ = client.get_by_id(apigen_runtime::uuid::Uuid::nil(), &parameters::types::Status::Done);
    let _ = client.bulk_create(&["x"]).dry_run(true);
    let _ = client.submit_form(&parameters::types::SubmitFormRequest { name: Some("x".into()) });
    // An enum of a component parameter is one type named after the component, whichever
    // operation uses it; a component named like a schema gets a distinct name.
    let sort = parameters::types::Sort::Desc;
    let _ = client.list_sorted_a().sort(&sort).state(&parameters::types::Status2::Closed);
    let _ = client.list_sorted_b().sort(&sort);

    let client = pagination::Client::new("token").unwrap();
    let _: apigen_runtime::PagedCall<pagination::types::PipelineList, serde_json::Value> = client.list_pipelines().into();
    let _: apigen_runtime::Call<pagination::types::PipelineList, serde_json::Value> = client.not_paged().into();

    // The constructors fail with `InvalidInput`, which `?` takes into the `Result` of any
    // operation, whatever its error body.
    let _: Result<responses::Client, apigen_runtime::InvalidInput> =
        responses::Client::builder().token("t").build();
    let _: Result<pagination::Client, apigen_runtime::InvalidInput> = pagination::Client::from_env();
    let client: responses::Client = (|| -> Result<_, apigen_runtime::Error<responses::types::ErrorResponse>> {
        let client = responses::Client::new("token")?;
        let _ = client.with_default();
        Ok(client)
    })()
    .unwrap();
    let _ = (|| -> Result<_, apigen_runtime::Error<responses::types::Thing>> {
        let client = responses::Client::builder().token("t").build()?;
        let _ = client.only_default();
        Ok(())
    })();
    let _: apigen_runtime::Call<responses::types::Thing, responses::types::ErrorResponse> = client.with_default().into();
    let _: apigen_runtime::Call<responses::types::Thing, responses::types::Thing> = client.only_default().into();
    let _: apigen_runtime::Call<(), responses::types::ErrorResponse> = client.delete_thing().into();
    let _: apigen_runtime::Call<String, serde_json::Value> = client.get_text().into();
    let _: apigen_runtime::Call<apigen_runtime::bytes::Bytes, serde_json::Value> = client.get_bytes().into();
    // Offered first as a zip, then as a JSON string: a download.
    let _: apigen_runtime::Call<apigen_runtime::bytes::Bytes, serde_json::Value> = client.get_bundle().into();
    let _: apigen_runtime::Call<responses::types::CreateOrFindResponse, responses::types::CreateOrFindError> = client.create_or_find().into();
    // The 302 body before the 404 one takes no name: the error type is `GetMovedError`.
    let _: apigen_runtime::Call<responses::types::Thing, responses::types::GetMovedError> = client.get_moved().into();
}

#[test]
fn pages_expose_items_and_tokens() {
    use apigen_runtime::Page;
    let page: pagination::types::PipelineList = serde_json::from_value(serde_json::json!({
        "items": [{"id": "a"}, {"id": "b"}],
        "next_page_token": "t2"
    }))
    .unwrap();
    assert_eq!(page.next_page_token(), Some("t2"));
    assert_eq!(page.into_items().len(), 2);
    let last: pagination::types::PipelineList = serde_json::from_value(serde_json::json!({"items": [], "next_page_token": null})).unwrap();
    assert_eq!(last.next_page_token(), None);
    let empty: pagination::types::PipelineList = serde_json::from_value(serde_json::json!({"items": [], "next_page_token": ""})).unwrap();
    assert_eq!(empty.next_page_token(), None);
}

#[test]
fn optional_nullable_items_are_empty_when_absent_or_null() {
    use apigen_runtime::Page;
    let full: pagination::types::ListBuildsResponse = serde_json::from_value(serde_json::json!({"items": ["a", "b"], "next_page_token": "n"})).unwrap();
    assert_eq!(full.next_page_token(), Some("n"));
    assert_eq!(full.into_items(), ["a", "b"]);
    let null: pagination::types::ListBuildsResponse = serde_json::from_value(serde_json::json!({"items": null})).unwrap();
    assert_eq!(null.next_page_token(), None);
    assert!(null.into_items().is_empty());
    let absent: pagination::types::ListBuildsResponse = serde_json::from_value(serde_json::json!({})).unwrap();
    assert!(absent.into_items().is_empty());
}
