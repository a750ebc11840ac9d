//! Checks that a request carries the values its call meant to send, not only the right shape:
//! each path parameter's segment, each query parameter's values and the body, compared with
//! what the call passed: the method's arguments in the order the generator documents (path
//! parameters in template order, the other required parameters, a required body), and the
//! setters called, matched to the optional parameters (and an optional body) by name. Two path
//! parameters of the same type swapped, a query value sent under another parameter's name, or
//! a body member under a name the document does not declare all fail here, while Prism, which
//! routes by shape and leaves objects open, accepts them.

use serde_json::Value;

use heck::ToSnakeCase;

use crate::json;
use crate::operations::Passed;
use crate::spec::{Document, SpecOperation};

/// Where the request (`path` as routed, each slug one segment; its decoded `query` pairs; its
/// `body`) differs from what the call `passed`, as readable lines.
pub fn differences(
    document: &Document,
    operation: &SpecOperation,
    passed: &[Passed],
    path: &str,
    query: &[(String, String)],
    body: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    let values = match values(operation, passed) {
        Ok(values) => values,
        Err(problems) => return problems,
    };
    let template: Vec<&str> = operation.path.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    for (argument, value) in operation.arguments.iter().zip(&values) {
        match argument.location.as_str() {
            "path" => {
                let wanted = format!("{{{}}}", argument.name);
                let sent = template
                    .iter()
                    .position(|t| *t == wanted)
                    .and_then(|i| segments.get(i))
                    .map(|segment| percent_decode(segment));
                let meant = text(value);
                if sent.as_deref() != Some(meant.as_str()) {
                    out.push(format!(
                        "path parameter `{}`: sent {sent:?}, the call passed {meant:?}",
                        argument.name
                    ));
                }
            }
            "query" => {
                let sent: Vec<&str> = query
                    .iter()
                    .filter(|(name, _)| *name == argument.name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                let meant: Vec<String> = match value {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items.iter().map(text).collect(),
                    other => vec![text(other)],
                };
                let joined = meant.join(",");
                let same = sent == meant || (meant.len() > 1 && sent == [joined.as_str()]);
                if !same {
                    out.push(format!(
                        "query parameter `{}`: sent {sent:?}, the call passed {meant:?}",
                        argument.name
                    ));
                }
            }
            "body" => match (value, body) {
                (Value::Null, None) => {}
                (Value::Null, Some(sent)) => {
                    out.push(format!("sent a body, but the call passed none: {sent}"))
                }
                (meant, None) => out.push(format!("sent no body, but the call passed {meant}")),
                (meant, Some(sent)) => match serde_json::from_str::<Value>(sent) {
                    Ok(sent) => {
                        if &sent != meant {
                            out.push(format!("sent the body {sent}, the call passed {meant}"));
                        }
                        for member in
                            json::undeclared(document, operation.request_schema.as_ref(), &sent)
                        {
                            out.push(format!("body {member}"));
                        }
                    }
                    Err(e) => out.push(format!("sent a body that is not JSON ({e}): {sent}")),
                },
            },
            // Header and cookie parameters are not recorded; CircleCI's document has none.
            _ => {}
        }
    }
    out
}

/// The value the call gave each of the operation's arguments, in their order: the positional
/// ones in turn, each optional one from the setter named after it (`null` when not set), or
/// what does not fit.
fn values(operation: &SpecOperation, passed: &[Passed]) -> Result<Vec<Value>, Vec<String>> {
    let positional: Vec<&Value> = passed
        .iter()
        .filter(|p| p.setter.is_none())
        .map(|p| &p.value)
        .collect();
    let required = operation.arguments.iter().filter(|a| a.required).count();
    if positional.len() != required {
        return Err(vec![format!(
            "the call passed {} argument(s), but the document describes {required} required: {:?}",
            positional.len(),
            operation
                .arguments
                .iter()
                .filter(|a| a.required)
                .map(|a| format!("{} ({})", a.name, a.location))
                .collect::<Vec<_>>()
        )]);
    }
    let mut problems = Vec::new();
    let setter_of = |name: &str| name.to_snake_case();
    for p in passed {
        if let Some(setter) = p.setter {
            let setter = setter.trim_start_matches("r#");
            if !operation
                .arguments
                .iter()
                .any(|a| !a.required && setter_of(&a.name) == setter)
            {
                problems.push(format!(
                    "the call set `{setter}`, which is no optional parameter of the document's"
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut positional = positional.into_iter();
    Ok(operation
        .arguments
        .iter()
        .map(|a| {
            if a.required {
                return positional.next().cloned().unwrap_or(Value::Null);
            }
            let setter = setter_of(&a.name);
            passed
                .iter()
                .rev()
                .find(|p| p.setter.map(|s| s.trim_start_matches("r#")) == Some(setter.as_str()))
                .map_or(Value::Null, |p| p.value.clone())
        })
        .collect())
}

/// A scalar argument as text on the wire (a string without quotes, a number or boolean as
/// written); anything else as its JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::Argument;

    /// `PUT /project/{project-slug}/envvar/{name}` with an optional `dry-run` query parameter
    /// and a body `{value, note?}`, as the generated method takes them.
    fn setup() -> (Document, SpecOperation) {
        let document = Document {
            json: json!({"components": {"schemas": {"EnvVar": {
                "type": "object",
                "required": ["value"],
                "properties": {"value": {"type": "string"}, "note": {"type": "string"}}
            }}}}),
            operations: Vec::new(),
        };
        let argument = |name: &str, location: &str, required: bool| Argument {
            name: name.to_owned(),
            location: location.to_owned(),
            required,
        };
        let operation = SpecOperation {
            id: "putEnvVar".to_owned(),
            method: "PUT".to_owned(),
            path: "/project/{project-slug}/envvar/{name}".to_owned(),
            success: vec![200],
            query: ["dry-run".to_owned()].into(),
            body: true,
            errors: Vec::new(),
            response_schemas: Default::default(),
            request_schema: Some(json!({"$ref": "#/components/schemas/EnvVar"})),
            arguments: vec![
                argument("project-slug", "path", true),
                argument("name", "path", true),
                argument("body", "body", true),
                argument("dry-run", "query", false),
            ],
        };
        (document, operation)
    }

    fn positional(value: Value) -> Passed {
        Passed {
            setter: None,
            value,
        }
    }

    /// `put_env_var("gh/acme/widgets", "TOKEN", &body).dry_run(true)`.
    fn arguments(note_key: &str) -> Vec<Passed> {
        vec![
            positional(json!("gh/acme/widgets")),
            positional(json!("TOKEN")),
            positional(json!({"value": "s3cret", note_key: "rotated"})),
            Passed {
                setter: Some("dry_run"),
                value: json!(true),
            },
        ]
    }

    const QUERY: &[(&str, &str)] = &[("dry-run", "true")];

    fn query() -> Vec<(String, String)> {
        QUERY
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_request_the_call_meant_passes() {
        let (document, operation) = setup();
        let found = differences(
            &document,
            &operation,
            &arguments("note"),
            "/project/gh%2Facme%2Fwidgets/envvar/TOKEN",
            &query(),
            Some(r#"{"value":"s3cret","note":"rotated"}"#),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn swapped_path_parameters_fail() {
        let (document, operation) = setup();
        let found = differences(
            &document,
            &operation,
            &arguments("note"),
            "/project/TOKEN/envvar/gh%2Facme%2Fwidgets",
            &query(),
            Some(r#"{"value":"s3cret","note":"rotated"}"#),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("path parameter `project-slug`"),
            "{found:?}"
        );
    }

    #[test]
    fn an_optional_body_member_under_a_wrong_name_fails() {
        // The type serialized its optional member as `notes`: what was sent is what the
        // call's value encodes to, but the document declares no `notes`.
        let (document, operation) = setup();
        let found = differences(
            &document,
            &operation,
            &arguments("notes"),
            "/project/gh%2Facme%2Fwidgets/envvar/TOKEN",
            &query(),
            Some(r#"{"value":"s3cret","notes":"rotated"}"#),
        );
        assert_eq!(
            found,
            ["body $.notes: sent, but the request schema declares no such member"]
        );
    }

    #[test]
    fn query_values_and_argument_counts_are_compared() {
        let (document, operation) = setup();
        let body = Some(r#"{"value":"s3cret","note":"rotated"}"#);
        let path = "/project/gh%2Facme%2Fwidgets/envvar/TOKEN";
        let wrong_query = vec![("dry-run".to_owned(), "false".to_owned())];
        let found = differences(
            &document,
            &operation,
            &arguments("note"),
            path,
            &wrong_query,
            body,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        let absent = &arguments("note")[..3];
        let found = differences(&document, &operation, absent, path, &query(), body);
        assert_eq!(
            found.len(),
            1,
            "a parameter whose setter was not called must not be sent: {found:?}"
        );
        let found = differences(&document, &operation, &absent[..2], path, &[], body);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("the call passed 2 argument(s)"),
            "{found:?}"
        );
        // A setter naming no optional parameter of the operation.
        let mut unknown = arguments("note");
        unknown[3].setter = Some("dry_runs");
        let found = differences(&document, &operation, &unknown, path, &query(), body);
        assert_eq!(
            found,
            ["the call set `dry_runs`, which is no optional parameter of the document's"]
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
