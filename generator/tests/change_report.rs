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
    assert!(find("field `ScheduleRequest::zone`").breaking.is_some());
    let new = find("constructor `ScheduleRequest::new`");
    assert!(
        new.subject
            .contains("`(cron: String)` → `(cron: String, zone: String)`"),
        "{new:?}"
    );
    assert!(new.breaking.is_some());
    // An optional field made nullable changes its Rust type; a received type whose fields
    // were all optional loses `Default` when one becomes required.
    let note = find("field `Build::note`");
    assert!(
        note.subject
            .contains("`Option<String>` → `Option<Option<String>>`"),
        "{note:?}"
    );
    assert!(note.breaking.is_some());
    assert!(find("type `Stats`: no longer `Default`").breaking.is_some());
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

/// A document of the given paths (`path: operation YAML`, indented as under `paths`).
fn doc_with(paths: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.io'}}]\n\
         paths:\n{paths}"
    )
}

#[test]
fn optional_parameters_are_setters_known_by_name() {
    let op = |params: &str| {
        doc_with(&format!(
            "  /things:\n    get:\n      operationId: listThings\n      parameters:\n{params}\
             \x20     responses: {{'204': {{description: ok}}}}\n"
        ))
    };
    let before = op(
        "        - {name: page-token, in: query, schema: {type: string}}\n\
                     \x20       - {name: b, in: query, schema: {type: string}}\n\
                     \x20       - {name: a, in: query, schema: {type: string}}\n",
    );
    // Reordered, one moved to a header under another spelling with the same setter name,
    // and one added: nothing breaks.
    let after = op("        - {name: a, in: query, schema: {type: string}}\n\
                    \x20       - {name: page_token, in: header, schema: {type: string}}\n\
                    \x20       - {name: b, in: query, schema: {type: string}}\n\
                    \x20       - {name: c, in: query, schema: {type: integer}}\n");
    let changes =
        apigen::changes(&before, &after, &common::config("x")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes.breaking(), 0, "{changes}");
    let subjects: Vec<&str> = changes.changes.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "query parameter `c` of `list_things` (optional: setter `c`)",
            "header parameter `page_token` of `list_things`: was query parameter `page-token` (setter `page_token` kept)",
        ],
        "{changes}"
    );
    // The same setter taking another type, or gone, breaks.
    let retyped = op(
        "        - {name: page-token, in: query, schema: {type: integer}}\n\
                      \x20       - {name: a, in: query, schema: {type: string}}\n",
    );
    let changes =
        apigen::changes(&before, &retyped, &common::config("x")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes.breaking(), 2, "{changes}");
    assert!(
        changes.to_string().contains("its setter is gone"),
        "{changes}"
    );
    assert!(
        changes
            .to_string()
            .contains("the setter takes another type"),
        "{changes}"
    );
}

#[test]
fn a_call_type_renamed_by_a_new_operation_is_reported() {
    let thing = "  /b:\n    get:\n      operationId: get_thing_1\n      responses: {'204': {description: ok}}\n";
    // An operation earlier in the document whose type name is the same (`getThing1` and
    // `get_thing_1` are both `GetThing1`) takes it.
    let before = doc_with(thing);
    let after = doc_with(&format!(
        "  /a:\n    get:\n      operationId: getThing1\n      responses: {{'204': {{description: ok}}}}\n{thing}"
    ));
    let changes =
        apigen::changes(&before, &after, &common::config("x")).unwrap_or_else(|e| panic!("{e}"));
    let renamed = changes
        .changes
        .iter()
        .find(|c| c.subject.starts_with("call type of `get_thing_1`"))
        .unwrap_or_else(|| panic!("no rename reported: {changes}"));
    assert_eq!(
        renamed.subject,
        "call type of `get_thing_1`: `GetThing1` → `GetThing1_2`"
    );
    assert!(renamed.breaking.is_some());
}

#[test]
fn a_method_sent_to_another_endpoint_is_breaking() {
    let thing = "  /b:\n    get:\n      operationId: getThing\n      responses: {'204': {description: ok}}\n";
    // `get_thing_` is also `get_thing`: the first in the document takes the name.
    let after = doc_with(&format!(
        "  /a:\n    get:\n      operationId: get_thing_\n      responses: {{'204': {{description: ok}}}}\n{thing}"
    ));
    let changes = apigen::changes(&doc_with(thing), &after, &common::config("x"))
        .unwrap_or_else(|e| panic!("{e}"));
    let moved = changes
        .changes
        .iter()
        .find(|c| c.subject.starts_with("endpoint of `get_thing`"))
        .unwrap_or_else(|| panic!("no endpoint change reported: {changes}"));
    assert_eq!(moved.subject, "endpoint of `get_thing`: GET /b → GET /a");
    assert!(moved.breaking.is_some(), "{changes}");
}
