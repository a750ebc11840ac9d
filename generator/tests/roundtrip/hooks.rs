//! Webhooks of a 3.1 document: deliveries decode by event type into the payload types,
//! unknown event types and open payloads are kept, and `Event::receive` verifies signatures.

use apigen_fixtures::hooks::types as t;
use apigen_fixtures::hooks::webhooks::{CONFIG, Event};
use apigen_runtime::http::{HeaderMap, HeaderValue};
use apigen_runtime::webhook::{WebhookError, WebhookSecret, sign};

const FINISHED: &[u8] =
    br#"{"id":"b-1","status":"passed","build":{"number":7,"url":"https://ci/7","queue":"fast"},"added_later":{"x":1}}"#;

fn delivery(event_type: &str, body: &[u8], secret: &WebhookSecret) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-hook-event", HeaderValue::from_str(event_type).unwrap());
    let signature = format!("v1={}", sign(body, secret));
    headers.insert("x-hook-signature", HeaderValue::from_str(&signature).unwrap());
    headers
}

#[test]
fn a_signed_delivery_decodes_into_its_payload_type_extra_members_and_all() {
    let secret = WebhookSecret::from("s3cret");
    let event = Event::receive(&delivery("build-finished", FINISHED, &secret), FINISHED, &secret)
        .unwrap();
    assert_eq!(event.event_type(), "build-finished");
    let Event::BuildFinished(payload) = event else {
        panic!("{event:?}")
    };
    assert_eq!(payload.id, "b-1");
    assert_eq!(payload.status, t::BuildFinishedStatus::Passed);
    assert_eq!(payload.build.number, 7);
    assert_eq!(payload.build.url.as_deref(), Some("https://ci/7"));
}

#[test]
fn an_inline_payload_and_an_unknown_event_type() {
    let body = br#"{"id":"8c1d1f4e-8a0e-4a2b-9f4e-1e2d3c4b5a69","started_at":"2026-12-04T10:00:00Z","runner":null}"#;
    let Event::BuildStarted(started) = Event::decode("build-started", body).unwrap() else {
        panic!()
    };
    // Present as `null`: optional and nullable, the two kept apart.
    assert_eq!(started.runner, Some(None));
    // An event type the document does not know, and one whose payload is not JSON, are kept
    // as received.
    for event_type in ["build-cancelled", "artifact-uploaded"] {
        match Event::decode(event_type, b"\x00not json").unwrap() {
            Event::Unknown { event_type: named, body } => {
                assert_eq!(named, event_type);
                assert_eq!(&body[..], b"\x00not json");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn bad_deliveries_are_refused_with_the_reason() {
    let secret = WebhookSecret::from("s3cret");
    let headers = delivery("build-finished", FINISHED, &secret);
    // Tampered body, wrong secret.
    let mut tampered = FINISHED.to_vec();
    tampered[10] ^= 1;
    assert!(matches!(
        Event::receive(&headers, &tampered, &secret),
        Err(WebhookError::Mismatch { .. })
    ));
    assert!(matches!(
        Event::receive(&headers, FINISHED, &WebhookSecret::from("other")),
        Err(WebhookError::Mismatch { .. })
    ));
    // A known event type whose payload lacks what cannot be filled in.
    let body = br#"{"id":"b-1","status":"passed","build":"seven"}"#;
    match Event::receive(&delivery("build-finished", body, &secret), body, &secret) {
        Err(WebhookError::Decode { event_type, source }) => {
            assert_eq!(event_type, "build-finished");
            assert!(source.to_string().contains("build"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(CONFIG.event_type_header, "x-hook-event");
}
