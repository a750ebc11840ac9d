//! Finds decoded values that took a fallback the re-encoding comparison (`json.rs`) cannot
//! see, because they encode to the same JSON:
//! - an enum value kept in the catch-all variant (`Unknown("success")`) although the document
//!   lists `success`;
//! - an untagged union decoded as another variant than the one member of the union that the
//!   received value matches (`ContextOwnerBySlug` for an owner that has an `id` and no `slug`).
//!
//! Both are read from the decoded value's `Debug` output, which names variants and types.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::spec::Document;

/// The problems found in a decoded body (`debug`: its `Debug` output) given what was
/// `received` and the response `schema`.
pub fn fallbacks(
    document: &Document,
    schema: Option<&Value>,
    received: &Value,
    debug: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    // The string values received where the schema's own `enum` lists them.
    let mut listed = BTreeSet::new();
    if let Some(schema) = schema {
        listed_at(document, schema, received, &mut listed, 0);
    }
    for value in catch_all_strings(debug) {
        if listed.contains(&value) {
            out.push(format!(
                "the enum value {value:?} was decoded as unknown, but its schema lists it"
            ));
        }
    }
    if debug.contains("Unknown(Object {") {
        out.push("a tagged union was decoded as its unknown variant".to_owned());
    }
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(schema) = schema {
        expect_variants(document, schema, received, "$", &mut expected, 0);
    }
    for (fragment, paths) in expected {
        let found = debug.matches(&fragment).count();
        if found < paths.len() {
            out.push(format!(
                "{}: the value matches only the union member `{}`, but was decoded as another \
                 ({found} of {} found in {})",
                paths.join(", "),
                fragment.trim_matches(|c| c == '(' || c == ' ' || c == '{'),
                paths.len(),
                clip(debug)
            ));
        }
    }
    out
}

/// Walks `value` along `schema`, collecting the strings received at a place whose schema's
/// `enum` lists them (through properties, items, `allOf`, and the `oneOf`/`anyOf` members the
/// value matches).
fn listed_at(
    document: &Document,
    schema: &Value,
    value: &Value,
    out: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let resolved = document.resolve(schema);
    if let (Some(values), Value::String(text)) = (resolved["enum"].as_array(), value)
        && values.contains(value)
    {
        out.insert(text.clone());
    }
    for member in resolved["allOf"].as_array().into_iter().flatten() {
        listed_at(document, member, value, out, depth + 1);
    }
    for combinator in ["oneOf", "anyOf"] {
        for member in resolved[combinator].as_array().into_iter().flatten() {
            if matches_exactly(document, member, value, 0) {
                listed_at(document, member, value, out, depth + 1);
            }
        }
    }
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let member_schema = match resolved["properties"].get(name) {
                    Some(s) => s,
                    None => match &resolved["additionalProperties"] {
                        s @ Value::Object(_) => s,
                        _ => continue,
                    },
                };
                listed_at(document, member_schema, member, out, depth + 1);
            }
        }
        Value::Array(items) if !resolved["items"].is_null() => {
            for item in items {
                listed_at(document, &resolved["items"], item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The strings held by catch-all enum variants in a `Debug` output: `Unknown("x")` (and the
/// names the generator uses when a listed value takes `Unknown`: `UnknownValue`, `Other`).
fn catch_all_strings(debug: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["Unknown(\"", "UnknownValue(\"", "Other(\""] {
        let mut rest = debug;
        while let Some(at) = rest.find(name) {
            let preceded_by_ident = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + name.len()..];
            if preceded_by_ident {
                continue;
            }
            let mut value = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    c => value.push(c),
                }
            }
            out.push(value);
        }
    }
    out
}

/// Walks `value` along `schema`; at every `oneOf`/`anyOf` that exactly one member matches,
/// notes the `Debug` fragment that member's variant shows (`(TypeName {` for a referenced
/// object schema, `Integer(` for an integer member…), by the JSON path it was found at.
fn expect_variants(
    document: &Document,
    schema: &Value,
    value: &Value,
    path: &str,
    out: &mut BTreeMap<String, Vec<String>>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let resolved = document.resolve(schema);
    for combinator in ["oneOf", "anyOf"] {
        let Some(members) = resolved[combinator].as_array() else {
            continue;
        };
        let matching: Vec<&Value> = members
            .iter()
            .filter(|member| matches_exactly(document, member, value, 0))
            .collect();
        if let [member] = matching.as_slice() {
            if let Some(fragment) = fragment(member, value) {
                out.entry(fragment).or_default().push(path.to_owned());
            }
            expect_variants(document, member, value, path, out, depth + 1);
        }
        return;
    }
    for member in resolved["allOf"].as_array().into_iter().flatten() {
        expect_variants(document, member, value, path, out, depth + 1);
    }
    match value {
        Value::Object(members) => {
            let properties = &resolved["properties"];
            for (name, member) in members {
                let member_schema = match properties.get(name) {
                    Some(s) => s,
                    None => match &resolved["additionalProperties"] {
                        s @ Value::Object(_) => s,
                        _ => continue,
                    },
                };
                expect_variants(
                    document,
                    member_schema,
                    member,
                    &format!("{path}.{name}"),
                    out,
                    depth + 1,
                );
            }
        }
        Value::Array(items) if !resolved["items"].is_null() => {
            for (index, item) in items.iter().enumerate() {
                expect_variants(
                    document,
                    &resolved["items"],
                    item,
                    &format!("{path}[{index}]"),
                    out,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

/// What a variant holding `value` as `member` shows in `Debug`: `(Name {` for a `$ref` to an
/// object schema, `String(`/`Integer(`/`Number(`/`Boolean(` for a scalar member.
fn fragment(member: &Value, value: &Value) -> Option<String> {
    if let Some(reference) = member["$ref"].as_str() {
        let name = reference.rsplit('/').next()?;
        return value
            .is_object()
            .then(|| format!("({} {{", name.to_upper_camel_case()));
    }
    match member["type"].as_str()? {
        "string" => Some("String(".to_owned()),
        "integer" => Some("Integer(".to_owned()),
        "number" => Some("Number(".to_owned()),
        "boolean" => Some("Boolean(".to_owned()),
        _ => None,
    }
}

/// Whether `value` is an instance of `schema` (types, `enum`, `required`, property and item
/// schemas, `allOf`/`oneOf`/`anyOf`) with no member the schema does not declare.
fn matches_exactly(document: &Document, schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > 32 {
        return true;
    }
    let schema = document.resolve(schema);
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        return false;
    }
    if value.is_null() && schema["nullable"] == true {
        return true;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty()
        && !types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        })
    {
        return false;
    }
    for member in schema["allOf"].as_array().into_iter().flatten() {
        if !matches_exactly(document, member, value, depth + 1) {
            return false;
        }
    }
    for combinator in ["oneOf", "anyOf"] {
        if let Some(members) = schema[combinator].as_array()
            && !members
                .iter()
                .any(|m| matches_exactly(document, m, value, depth + 1))
        {
            return false;
        }
    }
    match value {
        Value::Object(members) => {
            let required = schema["required"].as_array().into_iter().flatten();
            if required
                .filter_map(Value::as_str)
                .any(|name| !members.contains_key(name))
            {
                return false;
            }
            let properties = schema["properties"].as_object();
            let open = !schema["additionalProperties"].is_null()
                && schema["additionalProperties"] != false;
            let composed = ["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|c| schema[*c].is_array());
            members.iter().all(
                |(name, member)| match properties.and_then(|p| p.get(name)) {
                    Some(property) => matches_exactly(document, property, member, depth + 1),
                    None => open || composed || properties.is_none(),
                },
            )
        }
        Value::Array(items) => {
            schema["items"].is_null()
                || items
                    .iter()
                    .all(|item| matches_exactly(document, &schema["items"], item, depth + 1))
        }
        _ => true,
    }
}

fn clip(text: &str) -> String {
    if text.len() <= 300 {
        return text.to_owned();
    }
    let mut end = 300;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Document {
        Document {
            json: json!({"components": {"schemas": {
                "ById": {"type": "object", "required": ["id"],
                         "properties": {"id": {"type": "string"}, "type": {"type": "string"}}},
                "BySlug": {"type": "object", "required": ["slug"],
                           "properties": {"slug": {"type": "string"}, "type": {"type": "string"}}},
                "Owner": {"oneOf": [{"$ref": "#/components/schemas/ById"},
                                    {"$ref": "#/components/schemas/BySlug"}]},
                "Status": {"type": "string", "enum": ["success", "failed"]},
                "Colour": {"type": "string", "enum": ["red"]},
                "Value": {"anyOf": [{"type": "integer"}, {"type": "string"}]}
            }}}),
            operations: Vec::new(),
        }
    }

    #[test]
    fn a_listed_enum_value_in_the_catch_all_is_flagged() {
        let document = document();
        let schema = json!({"$ref": "#/components/schemas/Status"});
        let received = json!("success");
        assert!(fallbacks(&document, Some(&schema), &received, "Success").is_empty());
        let found = fallbacks(&document, Some(&schema), &received, r#"Unknown("success")"#);
        assert_eq!(found.len(), 1, "{found:?}");
        // A value the document does not list is what the catch-all is for.
        assert!(fallbacks(&document, Some(&schema), &json!("new"), r#"Unknown("new")"#).is_empty());
        // …and so is one that only another enum lists.
        assert!(fallbacks(&document, Some(&schema), &json!("red"), r#"Unknown("red")"#).is_empty());
    }

    #[test]
    fn a_union_decoded_as_the_wrong_member_is_flagged() {
        let document = document();
        let schema = json!({"$ref": "#/components/schemas/Owner"});
        let received = json!({"id": "x", "type": "organization"});
        let right = r#"ById(ById { id: "x", type: Some("organization") })"#;
        let wrong = r#"BySlug(BySlug { slug: "", type: Some("organization") })"#;
        assert!(fallbacks(&document, Some(&schema), &received, right).is_empty());
        let found = fallbacks(&document, Some(&schema), &received, wrong);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("$: the value matches only the union member `ById`"));
        // Scalars: the integer 3 is not the string "3".
        let schema = json!({"$ref": "#/components/schemas/Value"});
        assert!(fallbacks(&document, Some(&schema), &json!(3), "Integer(3)").is_empty());
        assert_eq!(
            fallbacks(&document, Some(&schema), &json!(3), r#"String("3")"#).len(),
            1
        );
    }
}
