//! `decode::from_json` (the streaming `FromJson` reader): the JSON path a decode error
//! names, checked against serde_path_to_error on derived `Deserialize` twins of the same
//! types, and the body excerpt, which starts at the failing value.

use apigen_runtime::json::FromJson;
use apigen_runtime::{RawResponse, StatusCode, decode};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Each type twice: `De…` derives `Deserialize` (the oracle), the other implements `FromJson`
/// the way the generator writes it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DeListing {
    items: Vec<DePipeline>,
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DePipeline {
    id: uuid::Uuid,
    number: u64,
    created_at: chrono::DateTime<chrono::Utc>,
    trigger: DeTrigger,
    #[serde(default)]
    errors: Option<Vec<DeError>>,
    vcs: Option<DeVcs>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DeTrigger {
    r#type: String,
    actor: DeActor,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DeActor {
    login: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DeError {
    r#type: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct DeVcs {
    branch: Option<String>,
    revision: String,
}

#[derive(Debug)]
#[allow(dead_code)]
struct Listing {
    items: Vec<Pipeline>,
    next_page_token: Option<String>,
}

#[derive(Debug)]
#[allow(dead_code)]
struct Pipeline {
    id: uuid::Uuid,
    number: u64,
    created_at: chrono::DateTime<chrono::Utc>,
    trigger: Trigger,
    errors: Option<Vec<PipelineError>>,
    vcs: Option<Vcs>,
}

#[derive(Debug)]
#[allow(dead_code)]
struct Trigger {
    r#type: String,
    actor: Actor,
}

#[derive(Debug)]
#[allow(dead_code)]
struct Actor {
    login: String,
}

#[derive(Debug)]
#[allow(dead_code)]
struct PipelineError {
    r#type: String,
    message: String,
}

#[derive(Debug)]
#[allow(dead_code)]
struct Vcs {
    branch: Option<String>,
    revision: String,
}

// As the generator writes them: one table per struct. (The derived `Deserialize` these
// macros also implement is not used here.)
apigen_runtime::impl_from_json! {
    Listing {
        items: required "items",
        next_page_token: optional "next_page_token",
    }
}

apigen_runtime::impl_from_json! {
    Pipeline {
        id: required "id",
        number: required "number",
        created_at: required "created_at",
        trigger: required "trigger",
        errors: optional "errors",
        vcs: optional "vcs",
    }
}

apigen_runtime::impl_from_json! {
    Trigger {
        r#type: required "type",
        actor: required "actor",
    }
}

apigen_runtime::impl_from_json! {
    Actor {
        login: required "login",
    }
}

apigen_runtime::impl_from_json! {
    PipelineError {
        r#type: required "type",
        message: required "message",
    }
}

apigen_runtime::impl_from_json! {
    Vcs {
        branch: optional "branch",
        revision: required "revision",
    }
}

fn response(json: &str) -> RawResponse {
    RawResponse {
        status: StatusCode::OK,
        headers: Default::default(),
        body: Bytes::copy_from_slice(json.as_bytes()),
    }
}

fn ours<T: FromJson + std::fmt::Debug>(json: &str) -> apigen_runtime::DecodeError {
    match decode::from_json::<T>(&response(json), &mut apigen_runtime::Decoding::default()) {
        Ok(v) => panic!("decoded {v:?} from {json}"),
        Err(e) => e,
    }
}

fn oracle<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> (String, String) {
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => panic!("decoded {v:?} from {json}"),
        Err(e) => {
            let message = e.inner().to_string();
            // serde_json appends the position; the conversion has none.
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            (e.path().to_string(), message)
        }
    }
}

const GOOD: &str = r#"{"id":"5034460f-c7c4-4c43-9457-de07e2029e7b","number":7,"created_at":"2024-05-01T10:00:00Z","trigger":{"type":"webhook","actor":{"login":"alex"}},"errors":[],"vcs":{"branch":"main","revision":"abc"}}"#;

fn listing_with(broken: &str) -> String {
    format!(r#"{{"items":[{GOOD},{broken}],"next_page_token":null}}"#)
}

#[test]
fn paths_and_messages_match_serde() {
    let cases: Vec<String> = vec![
        listing_with(&GOOD.replace(r#""number":7"#, r#""number":"seven""#)),
        listing_with(&GOOD.replace(r#""number":7"#, r#""number":-1"#)),
        listing_with(&GOOD.replace("2024-05-01T10:00:00Z", "yesterday")),
        listing_with(&GOOD.replace("5034460f-c7c4-4c43-9457-de07e2029e7b", "not-a-uuid")),
        listing_with(&GOOD.replace(r#""login":"alex""#, r#""login":null"#)),
        listing_with(&GOOD.replace(r#","actor":{"login":"alex"}"#, "")),
        listing_with(&GOOD.replace(
            r#""errors":[]"#,
            r#""errors":[{"type":"config","message":"m"},{"type":"config","message":5}]"#,
        )),
        listing_with(&GOOD.replace(r#""branch":"main""#, r#""branch":["main"]"#)),
        listing_with(
            &GOOD
                .replace(
                    r#""trigger":{"#,
                    r#""trigger":{"ignored":{"deep":[1,{"x":"y"}]},"#,
                )
                .replace(r#""login":"alex""#, r#""login":1"#),
        ),
        listing_with(
            &GOOD
                .replace(r#""type":"webhook""#, r#""type":"a,\"b[c]{d}:e\\","n\"k":1"#)
                .replace(r#""login":"alex""#, r#""login":true"#),
        ),
        serde_json::to_string_pretty(&serde_json::json!({"items": [{"id": "5034460f-c7c4-4c43-9457-de07e2029e7b", "number": 1.5}]}))
            .unwrap_or_default(),
        r#"{"items":{"a":1},"next_page_token":null}"#.to_owned(),
        r#"{"items":[],"next_page_token":5}"#.to_owned(),
        r#"{"next_page_token":null}"#.to_owned(),
    ];
    for json in &cases {
        let error = ours::<Listing>(json);
        let (path, message) = oracle::<DeListing>(json);
        assert_eq!(error.path(), Some(path.as_str()), "path for {json}");
        // serde's derive names the struct it expected; the conversion says "an object".
        let message = message.replace("struct DePipeline", "an object");
        let message = message.replace("struct DeListing", "an object");
        assert_eq!(error.message(), message, "message for {json}");
    }
}

#[test]
fn structs_are_objects_only() {
    // A derived `Deserialize` also accepts a struct written as an array of its fields.
    let error = ours::<Listing>("[[],null]");
    assert_eq!(error.path(), Some("."));
    assert_eq!(
        error.message(),
        "invalid type: sequence, expected an object"
    );
    assert!(serde_json::from_str::<DeListing>("[[],null]").is_ok());
}

#[test]
fn the_excerpt_quotes_the_failing_value() {
    let json = listing_with(&GOOD.replace(r#""number":7"#, r#""number":"seven""#));
    let error = ours::<Listing>(&json);
    assert_eq!(error.path(), Some("items[1].number"));
    assert!(
        error.excerpt().starts_with('…') && error.excerpt().contains(r#""number":"seven""#),
        "{}",
        error.excerpt()
    );
    // The first item is identical up to `number`: the excerpt is around the second one.
    let second = json.rfind(r#""number":"seven""#).unwrap_or(0);
    let first_item_end = json.find("}},").unwrap_or(0);
    assert!(second > first_item_end);
    assert!(
        !error.excerpt().contains(r#""items":["#),
        "{}",
        error.excerpt()
    );
    // A missing member: the excerpt is around the object that lacks it.
    let json = listing_with(&GOOD.replace(r#","actor":{"login":"alex"}"#, ""));
    let error = ours::<Listing>(&json);
    assert_eq!(error.path(), Some("items[1].trigger"));
    assert!(
        error.excerpt().contains(r#"{"type":"webhook"}"#),
        "{}",
        error.excerpt()
    );
}

#[test]
fn syntax_errors_keep_their_position() {
    let full = listing_with(GOOD);
    let cut = r#"{"items":["#.len() + GOOD.len() + 1 + GOOD.find("webhook").unwrap_or(0);
    let error = ours::<Listing>(&full[..cut]);
    assert_eq!(error.path(), Some("items[1].trigger.type"));
    assert!(error.message().starts_with("EOF while parsing"), "{error}");
    assert_eq!(ours::<Listing>("<html>").path(), Some("."));
}

#[test]
fn error_bodies_decode_or_are_none() {
    let ok = decode::from_json_error::<Actor>(&response(r#"{"login":"x","extra":1}"#));
    assert_eq!(ok.map(|a| a.login).as_deref(), Some("x"));
    assert!(decode::from_json_error::<Actor>(&response(r#"{"login":1}"#)).is_none());
    assert!(decode::from_json_error::<Actor>(&response("<html>")).is_none());
    assert_eq!(
        decode::from_json_error::<Value>(&response("[1]")),
        Some(serde_json::json!([1]))
    );
}
