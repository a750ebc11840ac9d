//! The document's `webhooks` (OpenAPI 3.1): the requests the API sends to its users become a
//! payload type each, and an event enum that dispatches on the event type a delivery names
//! (the webhook's name in the document). How deliveries name their event type and are signed
//! is not something OpenAPI describes; the root extension `x-apigen-webhooks` says it:
//!
//! ```yaml
//! x-apigen-webhooks:
//!   event-type-header: circleci-event-type
//!   event-type-member: type      # optional: the payload repeats its event type (signed)
//!   signature: {header: circleci-signature, version: v1}   # HMAC-SHA256 of the body, hex
//! ```
//!
//! A `signature` that cannot be used is an error, not a warning: generating a receiver that
//! verifies nothing, for an API that signs its deliveries, would be worse than none.
//!
//! OpenAPI 3.0 `callbacks` are not turned into types: a callback is named by the operation
//! that registers it and a run-time URL expression, and its requests carry no event type, so
//! there is nothing a receiver could dispatch on. They are dropped with a warning.

use serde_json::Value;

use crate::diagnostics::child;
use crate::model::{Body, WebhookEvent, WebhookSignature, Webhooks};
use crate::naming::{self, Scope};
use crate::operations;
use crate::read::Document;
use crate::types::Converter;

/// The extension describing how deliveries are identified and signed.
const EXTENSION: &str = "x-apigen-webhooks";

/// Converts the document's webhooks; `None` when it has none.
pub(crate) fn convert_webhooks<'a>(
    conv: &mut Converter<'a>,
    doc: &'a Document,
) -> Option<Webhooks> {
    if doc.webhooks.is_empty() {
        return None;
    }
    let mut variants = Scope::with_reserved(&[naming::WEBHOOK_UNKNOWN]);
    let mut events = Vec::new();
    for (name, item) in &doc.webhooks {
        let item_ptr = child("#/webhooks", name);
        let Some((method, op)) = item
            .iter()
            .find(|(m, _)| *m == "post")
            .or_else(|| item.iter().next())
        else {
            conv.diags.warning(
                &item_ptr,
                "a webhook without an operation has no payload; its deliveries decode as an unknown event",
            );
            continue;
        };
        let ptr = child(&item_ptr, method);
        let base = naming::type_name(name);
        let payload = match operations::webhook_payload(conv, doc, &ptr, op, &base) {
            Some(body) => match body.body {
                Body::Json(ty) => ty,
                Body::Form(_) | Body::Raw { .. } => {
                    conv.diags.warning(
                        &child(&ptr, "requestBody"),
                        "only JSON webhook payloads are decoded; deliveries of this event decode as an unknown event",
                    );
                    continue;
                }
            },
            None => {
                conv.diags.warning(
                    &ptr,
                    "a webhook without a request body has no payload; its deliveries decode as an unknown event",
                );
                continue;
            }
        };
        events.push(WebhookEvent {
            event_type: name.clone(),
            variant: variants.claim(&naming::variant_name(name)),
            payload,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        });
    }
    let (event_type_header, event_type_member, signature) = extension(conv, doc);
    Some(Webhooks {
        events,
        unknown: naming::WEBHOOK_UNKNOWN.to_owned(),
        event_type_header,
        event_type_member,
        signature,
    })
}

/// Reads `x-apigen-webhooks`, reporting what it cannot use.
fn extension(
    conv: &mut Converter<'_>,
    doc: &Document,
) -> (Option<String>, Option<String>, Option<WebhookSignature>) {
    let ptr = child("#", EXTENSION);
    let Some(ext) = doc.api.extensions.get(EXTENSION) else {
        return (None, None, None);
    };
    let Value::Object(ext) = ext else {
        conv.diags.error(
            &ptr,
            "must be an object with `event-type-header` and `signature`",
        );
        return (None, None, None);
    };
    let header = |v: Option<&Value>| -> Option<String> {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|h| crate::read::is_header_name(h))
            .map(str::to_ascii_lowercase)
    };
    let event_type_header = header(ext.get("event-type-header"));
    if event_type_header.is_none() {
        conv.diags.warning(
            &child(&ptr, "event-type-header"),
            "must name a header (a non-empty token); deliveries can only be decoded given their event type",
        );
    }
    let signature = match ext.get("signature") {
        None => None,
        Some(Value::Object(sig)) => {
            let version = sig
                .get("version")
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty() && !v.contains([',', '=']) && v.trim() == *v)
                .map(str::to_owned);
            match (header(sig.get("header")), version) {
                (Some(header), Some(version)) => Some(WebhookSignature { header, version }),
                _ => {
                    conv.diags.error(
                        &child(&ptr, "signature"),
                        "must have a `header` (a header name) and a `version` (the tag of HMAC-SHA256 entries, such as `v1`)",
                    );
                    None
                }
            }
        }
        Some(_) => {
            conv.diags.error(
                &child(&ptr, "signature"),
                "must be an object with `header` and `version`",
            );
            None
        }
    };
    let event_type_member = match ext.get("event-type-member") {
        None => None,
        Some(Value::String(member)) if !member.is_empty() => Some(member.clone()),
        Some(_) => {
            conv.diags.error(
                &child(&ptr, "event-type-member"),
                "must name the payload member that repeats the event type",
            );
            None
        }
    };
    (event_type_header, event_type_member, signature)
}
