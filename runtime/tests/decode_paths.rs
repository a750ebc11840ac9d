//! The JSON path a decode error names, checked against serde_path_to_error (which tracks the
//! path while deserializing) on a range of failing documents.

use std::collections::BTreeMap;

use apigen_runtime::{RawResponse, StatusCode, decode};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Pipeline {
    id: uuid::Uuid,
    number: u64,
    state: State,
    created_at: chrono::DateTime<chrono::Utc>,
    trigger: Trigger,
    #[serde(default)]
    errors: Vec<PipelineError>,
    vcs: Option<Vcs>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum State {
    Created,
    Errored,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Trigger {
    r#type: String,
    actor: Actor,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Actor {
    login: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PipelineError {
    r#type: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Vcs {
    branch: Option<String>,
    revision: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Listing {
    items: Vec<Pipeline>,
    next_page_token: Option<String>,
}

fn ours<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    let raw = RawResponse {
        status: StatusCode::OK,
        headers: Default::default(),
        body: Bytes::copy_from_slice(json.as_bytes()),
    };
    match decode::json::<T>(&raw, &mut apigen_runtime::Decoding::default()) {
        Ok(v) => panic!("decoded {v:?} from {json}"),
        Err(e) => e.path().unwrap_or("<none>").to_owned(),
    }
}

fn oracle<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => panic!("decoded {v:?} from {json}"),
        Err(e) => e.path().to_string(),
    }
}

const GOOD: &str = r#"{"id":"5034460f-c7c4-4c43-9457-de07e2029e7b","number":7,"state":"created","created_at":"2024-05-01T10:00:00Z","trigger":{"type":"webhook","actor":{"login":"alex"}},"errors":[],"vcs":{"branch":"main","revision":"abc"}}"#;

fn listing_with(broken: &str) -> String {
    format!(r#"{{"items":[{GOOD},{broken}],"next_page_token":null}}"#)
}

#[test]
fn paths_match_serde_path_to_error() {
    let cases: Vec<String> = vec![
        listing_with(&GOOD.replace(r#""number":7"#, r#""number":"seven""#)),
        listing_with(&GOOD.replace(r#""number":7"#, r#""number":-1"#)),
        listing_with(&GOOD.replace(r#""state":"created""#, r#""state":"unknown""#)),
        listing_with(&GOOD.replace("2024-05-01T10:00:00Z", "yesterday")),
        listing_with(&GOOD.replace("5034460f-c7c4-4c43-9457-de07e2029e7b", "not-a-uuid")),
        listing_with(&GOOD.replace(r#""login":"alex""#, r#""login":null"#)),
        listing_with(&GOOD.replace(r#","actor":{"login":"alex"}"#, "")),
        listing_with(&GOOD.replace(r#""errors":[]"#, r#""errors":[{"type":"config","message":"m"},{"type":"config","message":5}]"#)),
        listing_with(&GOOD.replace(r#""revision":"abc""#, r#""revision":"abc","extra":1"#)),
        listing_with(&GOOD.replace(r#""branch":"main""#, r#""branch":["main"]"#)),
        listing_with(&GOOD.replace(r#""trigger":{"#, r#""trigger":{"ignored":{"deep":[1,{"x":"y"}]},"#).replace(r#""login":"alex""#, r#""login":1"#)),
        // escaped keys and strings with brackets and commas before the failure
        listing_with(&GOOD.replace(r#""type":"webhook""#, r#""type":"a,\"b[c]{d}:e\\","n\"k":1"#).replace(r#""login":"alex""#, r#""login":true"#)),
        // pretty-printed, so the error is on a later line
        serde_json::to_string_pretty(&serde_json::json!({"items": [{"id": "5034460f-c7c4-4c43-9457-de07e2029e7b", "number": 1.5}]}))
            .unwrap_or_default(),
        // a wrong type at the top level and for a whole container
        r#"[1,2,3]"#.to_owned(),
        r#"{"items":{"a":1},"next_page_token":null}"#.to_owned(),
        r#"{"items":[],"next_page_token":5}"#.to_owned(),
        r#"{"next_page_token":null}"#.to_owned(),
    ];
    for json in &cases {
        assert_eq!(ours::<Listing>(json), oracle::<Listing>(json), "for {json}");
    }
}

#[test]
fn paths_in_maps_and_nested_arrays() {
    let map = r#"{"a":{"x":1},"b":{"x":"two"}}"#;
    assert_eq!(ours::<BTreeMap<String, BTreeMap<String, u32>>>(map), "b.x");
    assert_eq!(
        ours::<BTreeMap<String, BTreeMap<String, u32>>>(map),
        oracle::<BTreeMap<String, BTreeMap<String, u32>>>(map)
    );
    let nested = r#"[[1,2],[3,"four",5]]"#;
    assert_eq!(ours::<Vec<Vec<u32>>>(nested), "[1][1]");
    assert_eq!(
        ours::<Vec<Vec<u32>>>(nested),
        oracle::<Vec<Vec<u32>>>(nested)
    );
}

#[test]
fn a_duplicate_field_names_the_repeated_key() {
    // serde reports a duplicate at the key; the scanner names the key, one level deeper than
    // serde_path_to_error (which names the object holding it).
    let json =
        listing_with(&GOOD.replace(r#""type":"webhook""#, r#""type":"webhook","type":"api""#));
    assert_eq!(ours::<Listing>(&json), "items[1].trigger.type");
    assert_eq!(oracle::<Listing>(&json), "items[1].trigger");
}

#[test]
fn truncated_and_malformed_bodies_still_get_a_location() {
    // Cut inside the second item's `trigger` object.
    let full = listing_with(GOOD);
    let cut = r#"{"items":["#.len() + GOOD.len() + 1 + GOOD.find("webhook").unwrap_or(0);
    assert_eq!(ours::<Listing>(&full[..cut]), "items[1].trigger.type");
    assert_eq!(ours::<Listing>(""), ".");
    assert_eq!(ours::<Listing>("<html>"), ".");
}
