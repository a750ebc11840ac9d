//! Compares what the client decoded (encoded again as JSON) with the JSON it received, guided
//! by the response's schema, so that "it decoded" also means "nothing the document describes
//! was lost or changed": a field under the wrong name, or an `anyOf` decoded as a variant that
//! drops properties, decodes without error but shows up here.
//!
//! Members the schema does not declare are not compared: the client ignores them by design, so
//! that it keeps working when the API adds fields (and Prism's dynamic responses add random
//! ones, since the document does not close its objects).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec::Document;

/// Where `decoded` differs from `received`, as `path: what` lines (empty when they agree).
///
/// Equal means: the declared members (and every member of a map or a free-form object) kept,
/// with equal values; a `null` after decoding stands for an absent member (`Option` fields
/// encode `None` as `null` unless the document tells absent and null apart); numbers of the
/// same value (`1` and `1.0`); for `format: date-time` the same instant (`…+02:00` and `…Z`),
/// for `uuid` the same UUID (any letter case), for `uri` the same URL (`http://h` and
/// `http://h/`); for `format: float` the same 32-bit float, which is what the format means.
pub fn differences(
    document: &Document,
    schema: Option<&Value>,
    decoded: &Value,
    received: &Value,
) -> Vec<String> {
    let mut out = Vec::new();
    compare(document, schema, decoded, received, "$", &mut out);
    out
}

/// The members of `sent` (a request body) that its schema does not declare, as `path: what`
/// lines. A member sent under a name the document does not know is one the server ignores
/// (or refuses), and Prism does not notice it, since the document leaves its objects open.
/// A free-form object or a map declares every member.
pub fn undeclared(document: &Document, schema: Option<&Value>, sent: &Value) -> Vec<String> {
    let mut out = Vec::new();
    undeclared_at(document, schema, sent, "$", &mut out);
    out
}

fn undeclared_at(
    document: &Document,
    schema: Option<&Value>,
    sent: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let Some(schema) = schema else { return };
    let mut known = Shape::default();
    shape(document, schema, &mut known);
    match sent {
        Value::Object(members) => {
            let free_form = known.properties.is_empty() && known.additional.is_none();
            for (name, value) in members {
                let member_path = format!("{path}.{name}");
                match known.properties.get(name.as_str()) {
                    Some(property) => {
                        undeclared_at(document, Some(property), value, &member_path, out)
                    }
                    None if free_form => {}
                    None => match known.additional {
                        Some(additional) => {
                            undeclared_at(document, Some(additional), value, &member_path, out)
                        }
                        None => out.push(format!(
                            "{member_path}: sent, but the request schema declares no such member"
                        )),
                    },
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                undeclared_at(
                    document,
                    known.items,
                    item,
                    &format!("{path}[{index}]"),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// What the comparison needs to know of a schema, merged over `allOf`, `anyOf` and `oneOf`.
#[derive(Default)]
struct Shape<'a> {
    properties: BTreeMap<&'a str, &'a Value>,
    /// The schema of the values of a map (`additionalProperties: {…}` or `true`).
    additional: Option<&'a Value>,
    items: Option<&'a Value>,
    format: Option<&'a str>,
}

fn shape<'a>(document: &'a Document, schema: &'a Value, into: &mut Shape<'a>) {
    let schema = document.resolve(schema);
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            into.properties.entry(name.as_str()).or_insert(property);
        }
    }
    let additional = &schema["additionalProperties"];
    if matches!(additional, Value::Object(_) | Value::Bool(true)) {
        into.additional.get_or_insert(additional);
    }
    if !schema["items"].is_null() {
        into.items.get_or_insert(&schema["items"]);
    }
    if let Some(format) = schema["format"].as_str() {
        into.format.get_or_insert(format);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for branch in schema[combinator].as_array().into_iter().flatten() {
            shape(document, branch, into);
        }
    }
}

fn compare(
    document: &Document,
    schema: Option<&Value>,
    decoded: &Value,
    received: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let mut known = Shape::default();
    if let Some(schema) = schema {
        shape(document, schema, &mut known);
    }
    let free_form = known.properties.is_empty() && known.additional.is_none();
    match (decoded, received) {
        (Value::Object(decoded), Value::Object(received)) => {
            for (name, value) in received {
                let member_schema = match known.properties.get(name.as_str()) {
                    Some(property) => Some(*property),
                    None if free_form => None,
                    None => match known.additional {
                        Some(additional) => Some(additional),
                        // Not declared: the client ignores it.
                        None => continue,
                    },
                };
                let member_path = format!("{path}.{name}");
                match decoded.get(name) {
                    Some(mine) => compare(document, member_schema, mine, value, &member_path, out),
                    None => out.push(format!(
                        "{member_path}: received {}, lost in decoding",
                        clip(value)
                    )),
                }
            }
            for (name, value) in decoded {
                if !received.contains_key(name) && !value.is_null() {
                    out.push(format!(
                        "{path}.{name}: {} after decoding, not in the response",
                        clip(value)
                    ));
                }
            }
        }
        (Value::Array(decoded), Value::Array(received)) => {
            if decoded.len() != received.len() {
                out.push(format!(
                    "{path}: {} elements received, {} after decoding",
                    received.len(),
                    decoded.len()
                ));
            }
            for (index, (mine, value)) in decoded.iter().zip(received).enumerate() {
                compare(
                    document,
                    known.items,
                    mine,
                    value,
                    &format!("{path}[{index}]"),
                    out,
                );
            }
        }
        (mine, Value::Number(value)) if known.format == Some("float") => {
            if !same_float32(mine, value) {
                out.push(format!(
                    "{path}: received {value} (format float), {} after decoding",
                    clip(mine)
                ));
            }
        }
        (Value::Number(mine), Value::Number(value)) => {
            let same = match (mine.as_i64(), value.as_i64()) {
                (Some(a), Some(b)) => a == b,
                _ => mine.as_f64() == value.as_f64(),
            };
            if !same {
                out.push(format!("{path}: received {value}, {mine} after decoding"));
            }
        }
        (Value::String(mine), Value::String(value)) => {
            if !same_text(known.format, mine, value) {
                out.push(format!(
                    "{path}: received {}, {} after decoding",
                    clip(received),
                    clip(decoded)
                ));
            }
        }
        (mine, value) if mine == value => {}
        (mine, value) => out.push(format!(
            "{path}: received {}, {} after decoding",
            clip(value),
            clip(mine)
        )),
    }
}

/// Whether a `format: float` number survived as the 32-bit float the client stores.
fn same_float32(decoded: &Value, received: &serde_json::Number) -> bool {
    let Some(received) = received.as_f64() else {
        return false;
    };
    match decoded.as_f64() {
        Some(decoded) => decoded as f32 == received as f32,
        // A value beyond the 32-bit range is not a `float`; the client can only hold it as an
        // infinity, which JSON encodes as null. Prism's static sampler gives `format: float`
        // the value -2^128, just beyond that range.
        None => decoded.is_null() && (received as f32).is_infinite(),
    }
}

fn same_text(format: Option<&str>, decoded: &str, received: &str) -> bool {
    use circleci_api::chrono::DateTime;
    if decoded == received {
        return true;
    }
    match format {
        Some("date-time") => matches!(
            (DateTime::parse_from_rfc3339(decoded), DateTime::parse_from_rfc3339(received)),
            (Ok(a), Ok(b)) if a == b
        ),
        Some("uuid") => matches!(
            (decoded.parse::<circleci_api::uuid::Uuid>(), received.parse::<circleci_api::uuid::Uuid>()),
            (Ok(a), Ok(b)) if a == b
        ),
        Some("uri") => matches!(
            (circleci_api::url::Url::parse(decoded), circleci_api::url::Url::parse(received)),
            (Ok(a), Ok(b)) if a == b
        ),
        _ => false,
    }
}

fn clip(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::differences;
    use crate::spec::Document;
    use serde_json::json;

    fn document() -> Document {
        Document {
            json: json!({"components": {"schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "created-at": {"type": "string", "format": "date-time"},
                        "id": {"type": "string", "format": "uuid"},
                        "link": {"type": "string", "format": "uri"},
                        "ratio": {"type": "number", "format": "float"},
                        "n": {"type": "integer"},
                        "s": {"type": "string"},
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
                "Item": {"anyOf": [
                    {"type": "object", "properties": {"a": {"type": ["string", "null"]}}},
                    {"type": "object", "properties": {"b": {"type": "integer"}}},
                ]},
            }}}),
            operations: Vec::new(),
        }
    }

    #[test]
    fn equal_json_in_other_spellings_and_undeclared_members() {
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let received = json!({
            "created-at": "2025-10-08T12:30:00+02:00",
            "id": "5034460F-C7C4-4C43-9457-DE07E2029E7B",
            "link": "http://example.com",
            "ratio": 0.1,
            "n": 1,
            "undeclared": true,
            "items": [{"a": null, "b": 2, "extra": "x"}],
            "labels": {"any": "thing"},
        });
        let decoded = json!({
            "created-at": "2025-10-08T10:30:00Z",
            "id": "5034460f-c7c4-4c43-9457-de07e2029e7b",
            "link": "http://example.com/",
            "ratio": 0.10000000149011612,
            "n": 1.0,
            "s": null,
            "items": [{"a": null, "b": 2}],
            "labels": {"any": "thing"},
        });
        assert_eq!(
            differences(&document(), Some(&schema), &decoded, &received),
            Vec::<String>::new()
        );
    }

    #[test]
    fn lost_or_changed_values_are_named_by_path() {
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let received = json!({
            "created-at": "2025-10-08T12:30:00Z",
            "ratio": 0.5,
            "items": [{"b": 1}, {"b": 2}],
            "n": 5,
            "s": "a",
            "labels": {"k": "v"},
        });
        let decoded = json!({
            "created_at": "2025-10-08T12:30:00Z",
            "ratio": 0.25,
            "items": [{"a": null}],
            "n": 6,
            "s": "b",
            "labels": {},
        });
        assert_eq!(
            differences(&document(), Some(&schema), &decoded, &received),
            [
                "$.created-at: received \"2025-10-08T12:30:00Z\", lost in decoding",
                "$.ratio: received 0.5 (format float), 0.25 after decoding",
                "$.items: 2 elements received, 1 after decoding",
                "$.items[0].b: received 1, lost in decoding",
                "$.n: received 5, 6 after decoding",
                "$.s: received \"a\", \"b\" after decoding",
                "$.labels.k: received \"v\", lost in decoding",
                "$.created_at: \"2025-10-08T12:30:00Z\" after decoding, not in the response",
            ]
        );
    }
}
