//! The operations of the API document the contract tests run against (`CONTRACT_SPEC`), read
//! straight from the document so that the suite notices an operation it does not call.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// One operation as the document describes it.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    pub id: String,
    /// Upper case, as sent: `GET`, `POST`, …
    pub method: String,
    /// The path template, such as `/pipeline/{pipeline-id}`.
    pub path: String,
    /// The documented 2xx statuses, lowest first.
    pub success: Vec<u16>,
    /// Names of the query parameters.
    pub query: BTreeSet<String>,
    /// Whether it declares a request body.
    pub body: bool,
    /// The JSON schema of the request body, if any; unresolved, it may be a `$ref`.
    pub request_schema: Option<Value>,
    /// The parameters and body of the generated method, in order: path parameters in
    /// template order, the other required parameters, the body, then the optional
    /// parameters. The required ones are the method's arguments, in that order (the order the
    /// generator documents); the optional ones, and an optional body, are setters of its call.
    pub arguments: Vec<Argument>,
    /// The declared error statuses (4xx and 5xx), lowest first.
    pub errors: Vec<u16>,
    /// The JSON schema of each response, by status (`200`, `404`, `default`); unresolved, it
    /// may be a `$ref`.
    pub response_schemas: BTreeMap<String, Value>,
}

/// One argument of a generated method: a parameter, or the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// The parameter's name (`body` for the body).
    pub name: String,
    /// Whether it is required: a positional argument of the method, not a setter.
    pub required: bool,
    /// `path`, `query`, `header`, `cookie` or `body`.
    pub location: String,
}

impl SpecOperation {
    /// The schema of the response with this status (the `default` one if the status is not
    /// listed).
    pub fn response_schema(&self, status: u16) -> Option<&Value> {
        self.response_schemas
            .get(&status.to_string())
            .or_else(|| self.response_schemas.get("default"))
    }

    /// Whether the operation is paginated by a `page-token` query parameter.
    pub fn paginated(&self) -> bool {
        self.query.contains("page-token")
    }

    /// Whether `path` (no query) is a path this operation's template describes, each
    /// `{parameter}` standing for one non-empty segment.
    pub fn matches_path(&self, path: &str) -> bool {
        let template: Vec<&str> = self.path.split('/').collect();
        let actual: Vec<&str> = path.split('/').collect();
        template.len() == actual.len()
            && template.iter().zip(&actual).all(|(t, a)| {
                if t.starts_with('{') && t.ends_with('}') {
                    !a.is_empty()
                } else {
                    t == a
                }
            })
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The document as JSON, and its operations in document order.
pub struct Document {
    pub json: Value,
    pub operations: Vec<SpecOperation>,
}

impl Document {
    /// Reads the document at `path`.
    ///
    /// # Panics
    /// When the document cannot be read or an operation lacks an operationId (the message says
    /// where).
    pub fn read(path: &Path) -> Document {
        let (json, operations) = read(path);
        Document { json, operations }
    }

    /// The operation with this operationId.
    pub fn operation(&self, id: &str) -> Option<&SpecOperation> {
        self.operations.iter().find(|operation| operation.id == id)
    }

    /// Follows local `$ref`s until a schema that is not one.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        resolve(&self.json, value)
    }
}

fn read(path: &Path) -> (Value, Vec<SpecOperation>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the API document {}: {e}", path.display()));
    let document: Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML/JSON: {e}", path.display()));
    let Some(paths) = document["paths"].as_object() else {
        panic!("{}: no /paths object", path.display());
    };
    let mut operations = Vec::new();
    for (template, item) in paths {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in METHODS {
            let operation = &item[method];
            if operation.is_null() {
                continue;
            }
            let pointer = format!("/paths/{}/{method}", template.replace('/', "~1"));
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{}#{pointer}: no operationId", path.display()))
                .to_owned();
            let own = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let own: Vec<&Value> = own.iter().map(|p| resolve(&document, p)).collect();
            // The operation's parameters override the path item's of the same name and place.
            let mut parameters: Vec<&Value> = shared
                .iter()
                .map(|p| resolve(&document, p))
                .filter(|p| {
                    !own.iter()
                        .any(|o| o["name"] == p["name"] && o["in"] == p["in"])
                })
                .collect();
            parameters.extend(own);
            let query = parameters
                .iter()
                .filter(|parameter| parameter["in"] == "query")
                .filter_map(|parameter| parameter["name"].as_str().map(str::to_owned))
                .collect();
            let request_body = resolve(&document, &operation["requestBody"]);
            let request_schema = request_body["content"]["application/json"]["schema"].clone();
            let body = (!request_body.is_null()).then_some(request_body["required"] == true);
            let arguments = arguments(template, &parameters, body);
            let responses = operation["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let statuses: Vec<u16> = responses
                .keys()
                .filter_map(|status| status.parse().ok())
                .collect();
            let mut success: Vec<u16> = statuses
                .iter()
                .copied()
                .filter(|status| (200..300).contains(status))
                .collect();
            success.sort_unstable();
            let mut errors: Vec<u16> = statuses
                .iter()
                .copied()
                .filter(|status| *status >= 400)
                .collect();
            errors.sort_unstable();
            let response_schemas = responses
                .iter()
                .filter_map(|(status, response)| {
                    let response = resolve(&document, response);
                    let schema = &response["content"]["application/json"]["schema"];
                    (!schema.is_null()).then(|| (status.clone(), schema.clone()))
                })
                .collect();
            operations.push(SpecOperation {
                id,
                method: method.to_ascii_uppercase(),
                path: template.clone(),
                success,
                errors,
                query,
                body: !operation["requestBody"].is_null(),
                request_schema: (!request_schema.is_null()).then_some(request_schema),
                arguments,
                response_schemas,
            });
        }
    }
    (document, operations)
}

/// The arguments of the method generated for an operation with this path template,
/// parameters (resolved, overrides applied) and body (`Some(required)` when it has one).
fn arguments(template: &str, parameters: &[&Value], body: Option<bool>) -> Vec<Argument> {
    let argument = |p: &Value| Argument {
        name: p["name"].as_str().unwrap_or_default().to_owned(),
        location: p["in"].as_str().unwrap_or_default().to_owned(),
        required: p["required"] == true,
    };
    let mut out: Vec<Argument> = template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| Argument {
            name: name.to_owned(),
            location: "path".to_owned(),
            required: true,
        })
        .collect();
    let required = |p: &&&Value| p["required"] == true;
    let not_path = |p: &&&Value| p["in"] != "path";
    out.extend(
        parameters
            .iter()
            .filter(not_path)
            .filter(required)
            .map(|p| argument(p)),
    );
    if let Some(required) = body {
        out.push(Argument {
            name: "body".to_owned(),
            location: "body".to_owned(),
            required,
        });
    }
    out.extend(
        parameters
            .iter()
            .filter(not_path)
            .filter(|p| !required(p))
            .map(|p| argument(p)),
    );
    out
}

/// Follows local `$ref`s (`#/components/parameters/PageToken`).
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => document
            .pointer(reference.trim_start_matches('#'))
            .map_or(value, |target| resolve(document, target)),
        None => value,
    }
}
