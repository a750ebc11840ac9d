//! The change report on a fixture pair (`tests/changes/before.yaml` → `after.yaml`): every
//! kind of change a spec update brings, grouped and marked breaking or not.

mod common;

fn pair() -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture");
    (read("before.yaml"), read("after.yaml"))
}

#[test]
fn the_report_of_a_typical_update() {
    let (before, after) = pair();
    let changes = apigen::changes(&before, &after, &common::config("changes.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("change_report_text", changes.to_string());
    insta::assert_snapshot!("change_report_markdown", changes.markdown());
    // What is only added is compatible (received types, enums and unions are
    // `#[non_exhaustive]`); what is removed or reshaped is not, nor a field of a type that
    // callers build, nor a positional argument; an optional parameter is a setter.
    let find = |part: &str| {
        changes
            .changes
            .iter()
            .find(|c| c.subject.contains(part))
            .unwrap_or_else(|| panic!("no change about {part}: {changes}"))
    };
    assert!(find("method `cancel_build`").breaking.is_none());
    assert!(find("type `Api`").breaking.is_none());
    assert!(find("method `delete_build`").breaking.is_some());
    assert!(
        find("parameter `status` of `list_builds`")
            .breaking
            .is_none()
    );
    assert!(
        find("parameter `since` of `list_builds`")
            .breaking
            .is_some()
    );
    assert!(find("value `failed` of `Status`").breaking.is_none());
    assert!(find("member `Trigger::Api`").breaking.is_none());
    assert!(find("field `Build::duration`").breaking.is_none());
    assert!(find("field `BuildRequest::note`").breaking.is_some());
}

#[test]
fn no_change_no_report() {
    let (before, _) = pair();
    let changes = apigen::changes(&before, &before, &common::config("changes.yaml")).unwrap();
    assert!(changes.changes.is_empty());
    assert_eq!(changes.to_string(), "API changes: none\n");
}

#[test]
fn a_document_that_does_not_generate_is_an_error() {
    let (before, _) = pair();
    assert!(apigen::changes(&before, "openapi: 3.1.0\npaths: 5", &common::config("x")).is_err());
}

#[test]
fn arguments_that_swap_places_are_reported() {
    let doc = |first: &str, second: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.io'}}]\n\
             paths:\n  /copy:\n    post:\n      operationId: copy\n      parameters:\n\
             \x20       - {{name: {first}, in: query, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: {second}, in: query, required: true, schema: {{type: string}}}}\n\
             \x20     responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let changes = apigen::changes(&doc("from", "to"), &doc("to", "from"), &common::config("x"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes.changes.len(), 1, "{changes}");
    let change = &changes.changes[0];
    assert_eq!(
        change.subject,
        "argument order of `copy`: `from`, `to` → `to`, `from`"
    );
    assert!(change.breaking.is_some());
}
