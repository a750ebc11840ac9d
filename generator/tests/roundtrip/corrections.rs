//! Error correction (a missing required member, or `null` where none is allowed, gets its
//! type's fallback and is reported), wire-name aliases, and union choice under correction,
//! through the path a client decodes responses with.

use apigen_fixtures::corrections::types as c;
use apigen_runtime::json::{FromJson, Mode};
use apigen_runtime::{Decoding, RawResponse, StatusCode, decode};
use serde_json::{Value, json};

fn response(body: &Value) -> RawResponse {
    RawResponse {
        status: StatusCode::OK,
        headers: Default::default(),
        body: serde_json::to_vec(body).unwrap().into(),
    }
}

/// Decodes tolerantly: the value and the deviations as `Kind path`.
fn tolerant<T: FromJson + std::fmt::Debug>(body: Value) -> (T, Vec<String>) {
    let mut decoding = Decoding::new(Mode::Tolerant);
    match decode::from_json::<T>(&response(&body), &mut decoding) {
        Ok(value) => {
            let deviations = decoding
                .deviations()
                .iter()
                .map(|d| format!("{:?} {}", d.kind(), d.path()))
                .collect();
            (value, deviations)
        }
        Err(e) => panic!("{body} did not decode: {e}"),
    }
}

fn strict<T: FromJson + std::fmt::Debug>(body: Value) -> Result<T, String> {
    decode::from_json::<T>(&response(&body), &mut Decoding::new(Mode::Strict))
        .map_err(|e| format!("{} at {}", e.message(), e.path().unwrap_or("?")))
}

fn full_key() -> Value {
    json!({
        "public_key": "ssh-ed25519 AAAA", "created_at": "2026-01-02T03:04:05Z",
        "fingerprint": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "count": 3, "tags": ["a"],
        "kind": "deploy", "owner": {"name": "ann", "active": true}, "labels": {"x": "y"}
    })
}

#[test]
fn a_complete_body_needs_no_correction_in_either_mode() {
    let (key, deviations) = tolerant::<c::Key>(full_key());
    assert!(deviations.is_empty(), "{deviations:?}");
    assert_eq!(strict::<c::Key>(full_key()), Ok(key));
}

#[test]
fn missing_and_null_members_get_fallbacks_and_are_reported() {
    let body = json!({"public_key": null, "tags": null, "owner": {"name": "ann"}, "note": null});
    let (key, deviations) = tolerant::<c::Key>(body.clone());
    assert_eq!(
        deviations,
        [
            "Null public_key",
            "Null tags",
            "Missing owner.active",
            "Missing created_at",
            "Missing fingerprint",
            "Missing count",
            "Missing kind",
            "Missing labels",
        ]
    );
    assert_eq!(key.public_key, "");
    assert_eq!(key.created_at.timestamp(), 0);
    assert!(key.fingerprint.is_nil());
    assert_eq!((key.count, key.tags.len(), key.labels.len()), (0, 0, 0));
    assert_eq!(key.kind, c::KeyKind::Unknown(String::new()));
    assert_eq!((key.owner.name.as_str(), key.owner.active), ("ann", false));
    // An optional member that is null is simply absent: no deviation.
    assert_eq!(key.note, None);
    // Strict mode: the first deviation is the error, as serde would say it.
    assert_eq!(
        strict::<c::Key>(body),
        Err("invalid type: null, expected a string at public_key".to_owned())
    );
    // A whole missing nested object gets the fallback of each of its members.
    let mut body = full_key();
    body.as_object_mut().unwrap().remove("owner");
    let (key, deviations) = tolerant::<c::Key>(body);
    assert_eq!(deviations, ["Missing owner"]);
    assert_eq!((key.owner.name.as_str(), key.owner.active), ("", false));
}

#[test]
fn deviations_inside_lists_name_their_element() {
    let (keys, deviations) = tolerant::<Vec<c::Key>>(json!([full_key(), {"public-key": "k"}]));
    assert_eq!(keys[1].public_key, "k");
    assert_eq!(deviations[0], "Missing [1].created_at");
    assert_eq!(deviations.len(), 7);
    assert!(deviations.iter().all(|d| d.contains("[1].")), "{deviations:?}");
}

#[test]
fn values_that_would_lose_data_stay_errors() {
    let mut decoding = Decoding::new(Mode::Tolerant);
    let mut wrong = |body: Value| {
        decode::from_json::<c::Key>(&response(&body), &mut decoding)
            .map(|_| ())
            .map_err(|e| format!("{} at {}", e.message(), e.path().unwrap_or("?")))
    };
    let mut body = full_key();
    body["count"] = json!("three");
    assert_eq!(
        wrong(body),
        Err("invalid type: string \"three\", expected i64 at count".to_owned())
    );
    let mut body = full_key();
    body["fingerprint"] = json!("not-a-uuid");
    assert!(wrong(body).is_err_and(|e| e.ends_with("at fingerprint")));
    let mut body = full_key();
    body["owner"] = json!("ann");
    assert!(wrong(body).is_err_and(|e| e.ends_with("at owner")));
    // A URL has no fallback: missing, it stays an error even when tolerant.
    let mut decoding = Decoding::new(Mode::Tolerant);
    let error = decode::from_json::<c::Link>(&response(&json!({"title": "t"})), &mut decoding)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(error.message(), "missing field `href`");
}

#[test]
fn aliases_are_read_and_the_primary_name_is_written() {
    let body = json!({
        "public-key": "old spelling", "created-at": "2026-01-02T03:04:05Z",
        "fingerprint": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "count": 1, "tags": [],
        "kind": "user", "owner": {"name": "n", "active": false}, "labels": {}
    });
    let (key, deviations) = tolerant::<c::Key>(body.clone());
    assert!(deviations.is_empty(), "{deviations:?}");
    assert_eq!(key.public_key, "old spelling");
    assert_eq!(strict::<c::Key>(body), Ok(key.clone()));
    let written = serde_json::to_value(&key).unwrap();
    assert_eq!(written["public_key"], "old spelling");
    assert!(written.get("public-key").is_none() && written.get("created-at").is_none());
    // The round trip keeps every member.
    assert_eq!(strict::<c::Key>(written), Ok(key));
}

#[test]
fn aliases_of_an_all_of_part_are_kept() {
    let signed = strict::<c::Signed>(json!({"signing-secret": "s", "label": "l"}));
    assert!(
        matches!(&signed, Ok(v) if v.signing_secret == "s" && v.label.as_deref() == Some("l")),
        "{signed:?}"
    );
}

#[test]
fn correction_never_changes_the_variant_an_exact_match_would_choose() {
    let (choices, deviations) = tolerant::<Vec<c::Choice>>(json!([
        {"id": "1", "name": "full", "size": 3},
        {"id": "2", "name": "partial"},
        {"id": "3"},
    ]));
    // Exact matches: the first variant that matches exactly, even where an earlier one would
    // match with a correction (Full without `size`).
    assert!(matches!(&choices[0], c::Choice::Full(f) if f.size == 3));
    assert!(matches!(&choices[1], c::Choice::Partial(p) if p.name == "partial"));
    // Only corrections: the fewest (Partial needs `name`; Full needs `name` and `size`).
    assert!(matches!(&choices[2], c::Choice::Partial(p) if p.id == "3"));
    assert_eq!(deviations, ["Missing [2].name"]);
    // A tie in corrections: the first variant in declaration order.
    let (tie, deviations) = tolerant::<c::Tie>(json!({"x": "only"}));
    assert!(matches!(tie, c::Tie::First(f) if f.x == "only" && f.y.is_empty()));
    assert_eq!(deviations, ["Missing y"]);
    // Strict: no variant matches.
    assert!(strict::<c::Tie>(json!({"x": "only"})).is_err());
}
