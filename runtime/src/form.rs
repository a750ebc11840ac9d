//! `application/x-www-form-urlencoded` request bodies (used by `RequestBuilder::form`).
//!
//! The body is serialized to JSON data first and must be an object; each member becomes
//! `name=value` (OpenAPI's default `form` style with `explode`):
//!
//! | member value | encoded as |
//! |---|---|
//! | `null` / `None` | left out |
//! | string `a b` | `name=a+b` (not JSON-quoted) |
//! | number, boolean | `name=5`, `name=true` (as JSON writes them) |
//! | array `[a, b]` | `name=a&name=b` (the name repeated; nested arrays flattened) |
//! | object `{k: v}` | `name[k]=v` (the `deepObject` convention, nested as deep as needed) |
//!
//! Names and values are escaped as HTML forms do (`url::form_urlencoded`): ASCII letters,
//! digits and `-._*` are kept, a space becomes `+`, every other byte is `%XX`. A body that is
//! not an object (a string, an array, a number, `null`) has no form encoding and is refused,
//! never sent empty.

use serde_json::Value;

/// Encodes `body` as form fields, or says why it cannot be.
pub(crate) fn encode(body: &Value) -> Result<String, String> {
    let Value::Object(members) = body else {
        return Err(format!(
            "a form-urlencoded body must be an object, not {}",
            match body {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            }
        ));
    };
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let mut name = String::new();
    for (key, value) in members {
        name.clear();
        name.push_str(key);
        field(&mut out, &mut name, value);
    }
    Ok(out.finish())
}

type Form = url::form_urlencoded::Serializer<'static, String>;

/// Appends the pairs of one field; `name` is restored to its value on entry before returning.
fn field(out: &mut Form, name: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                field(out, name, item);
            }
        }
        Value::Object(members) => {
            let len = name.len();
            for (key, item) in members {
                name.push('[');
                name.push_str(key);
                name.push(']');
                field(out, name, item);
                name.truncate(len);
            }
        }
        Value::String(text) => {
            out.append_pair(name, text);
        }
        Value::Bool(b) => {
            out.append_pair(name, if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            out.append_pair(name, &n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::encode;

    #[test]
    fn fields_arrays_objects_and_nulls() {
        let body = json!({
            "name": "a b&c=d/é",
            "count": 3,
            "ok": true,
            "skip": null,
            "tags": ["x", ["y", null]],
            "meta": {"k": "v", "deep": {"n": 1.5}, "gone": null},
            "rows": [{"id": 1}, {"id": 2}]
        });
        assert_eq!(
            encode(&body).unwrap(),
            "name=a+b%26c%3Dd%2F%C3%A9&count=3&ok=true&tags=x&tags=y\
             &meta%5Bk%5D=v&meta%5Bdeep%5D%5Bn%5D=1.5&rows%5Bid%5D=1&rows%5Bid%5D=2"
        );
        assert_eq!(encode(&json!({})).unwrap(), "");
    }

    #[test]
    fn only_objects_have_a_form_encoding() {
        for (body, kind) in [
            (json!(null), "null"),
            (json!("text"), "a string"),
            (json!([1]), "an array"),
            (json!(7), "a number"),
        ] {
            assert_eq!(
                encode(&body).unwrap_err(),
                format!("a form-urlencoded body must be an object, not {kind}")
            );
        }
    }
}
