//! One case per kind of diagnostic: the document that triggers it, the JSON pointer it names
//! and the message it gives. Errors stop generation; warnings come with the output.

use apigen::{Config, Diagnostic, Severity, generate};

/// Generates `doc` (YAML) and returns all diagnostics; `ok` tells whether files were made.
fn run(doc: &str) -> (bool, Vec<Diagnostic>) {
    match generate(doc, &Config::new("diag")) {
        Ok(out) => (true, out.warnings),
        Err(f) => (false, f.errors.into_iter().chain(f.warnings).collect()),
    }
}

#[track_caller]
fn expect(doc: &str, severity: Severity, pointer: &str, message: &str) {
    let (ok, diags) = run(doc);
    assert_eq!(
        ok,
        severity == Severity::Warning,
        "generation result; diagnostics: {diags:#?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.severity == severity && d.pointer == pointer && d.message == message),
        "expected {severity}: {pointer}: {message}\ngot:\n{}",
        diags.iter().map(|d| format!("  {d}\n")).collect::<String>()
    );
}

/// A minimal valid document with `schemas` as its component schemas and one operation that
/// returns `Thing`.
fn with_schemas(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.io'}}]\n\
         paths:\n  /thing:\n    get:\n      operationId: getThing\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n\
         components:\n  schemas:\n{schemas}"
    )
}

/// A minimal valid document whose only path item is `item` (indented under the path).
fn with_path(path: &str, item: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.io'}}]\npaths:\n  {path}:\n{item}"
    )
}

#[test]
fn display_names_severity_pointer_and_message() {
    let d = Diagnostic {
        severity: Severity::Error,
        pointer: "#/paths".into(),
        message: "bad".into(),
    };
    assert_eq!(d.to_string(), "error: #/paths: bad");
    let f = generate("openapi: 2.0", &Config::new("x")).unwrap_err();
    assert!(
        f.to_string()
            .starts_with("the document has 1 error\nerror: #/openapi: "),
        "{f}"
    );
}

#[test]
fn not_yaml_or_json() {
    let (ok, diags) = run("openapi: [unclosed");
    assert!(!ok);
    assert_eq!(diags[0].pointer, "#");
    assert!(
        diags[0]
            .message
            .starts_with("the document is not valid YAML or JSON: "),
        "{}",
        diags[0]
    );
    let (ok, diags) = run("{\"openapi\": \"3.0.0\",");
    assert!(!ok);
    assert!(
        diags[0]
            .message
            .starts_with("the document is not valid JSON: "),
        "{}",
        diags[0]
    );
}

#[test]
fn versions() {
    expect(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}",
        Severity::Error,
        "#/swagger",
        "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3 first",
    );
    expect(
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}",
        Severity::Error,
        "#/openapi",
        "unsupported OpenAPI version `4.0.0`; supported: 3.0.x and 3.1.x",
    );
    expect(
        "info: {title: t, version: '1'}\npaths: {}",
        Severity::Error,
        "#",
        "missing `openapi` version field; is this an OpenAPI 3 document?",
    );
    expect(
        "- a list",
        Severity::Error,
        "#",
        "the document must be an object, found an array",
    );
}

#[test]
fn references() {
    expect(
        &with_schemas("    Thing: {$ref: 'other.yaml#/Thing'}\n"),
        Severity::Error,
        "#/components/schemas/Thing",
        "external reference `other.yaml#/Thing` is not supported; the document must be self-contained (bundle it first)",
    );
    expect(
        &with_schemas("    Thing: {$ref: '#/components/schemas/Nope'}\n"),
        Severity::Error,
        "#/components/schemas/Thing",
        "reference target `#/components/schemas/Nope` does not exist",
    );
    expect(
        &with_schemas("    Thing: {$ref: '#'}\n"),
        Severity::Error,
        "#/components/schemas/Thing",
        "`$ref: \"#\"` refers to the whole document, not to a schema",
    );
    expect(
        &with_schemas(
            "    Thing: {$ref: '#/components/schemas/Other'}\n    Other: {$ref: '#/components/schemas/Thing'}\n",
        ),
        Severity::Error,
        "#/components/schemas/Thing",
        "`#/components/schemas/Other` refers to itself without any object or array in between; it is read as any JSON value",
    );
    expect(
        &with_schemas("    Thing: {$ref: 5}\n"),
        Severity::Error,
        "#/components/schemas/Thing/$ref",
        "`$ref` must be a string, found a number",
    );
}

#[test]
fn schema_shapes() {
    expect(
        &with_schemas("    Thing: 5\n"),
        Severity::Error,
        "#/components/schemas/Thing",
        "a schema must be an object, found a number",
    );
    expect(
        &with_schemas("    Thing: {type: object, required: yes}\n"),
        Severity::Warning,
        "#/components/schemas/Thing/required",
        "`required` must be an array of property names; ignored",
    );
    expect(
        &with_schemas("    Thing: {type: wat}\n"),
        Severity::Warning,
        "#/components/schemas/Thing/type",
        "unknown type `wat`; read as any JSON value",
    );
    expect(
        &with_schemas(
            "    Thing: {type: [string, integer], oneOf: [{type: string}, {type: integer}]}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Thing/type",
        "several types together with allOf/oneOf/anyOf are not supported; `string` is used",
    );
    expect(
        &with_schemas("    Thing: {type: array, items: [{type: string}]}\n"),
        Severity::Warning,
        "#/components/schemas/Thing/items",
        "tuple schemas (`items` as an array) are not supported; the items are read as any JSON value",
    );
    expect(
        &with_schemas("    Thing: {enum: []}\n"),
        Severity::Warning,
        "#/components/schemas/Thing/enum",
        "`enum` is empty (no value allowed); ignored",
    );
    expect(
        &with_schemas("    Thing: {type: string, format: decimal-ish}\n"),
        Severity::Warning,
        "#/components/schemas/Thing",
        "unknown format `decimal-ish`; the base type is used (reported once)",
    );
    expect(
        &with_schemas(
            "    Thing: {oneOf: [{type: string}, {type: integer}], discriminator: {mapping: {}}}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Thing/discriminator",
        "discriminator without a `propertyName` string; ignored",
    );
}

#[test]
fn unknown_formats_are_reported_once() {
    let (ok, diags) = run(&with_schemas(
        "    Thing: {type: object, properties: {a: {type: string, format: odd}, b: {type: string, format: odd}}}\n",
    ));
    assert!(ok);
    assert_eq!(
        diags.iter().filter(|d| d.message.contains("`odd`")).count(),
        1,
        "{diags:#?}"
    );
}

#[test]
fn all_of_and_unions() {
    expect(
        &with_schemas(
            "    Thing:\n      allOf:\n        - {type: object, properties: {a: {type: string}}}\n        - {type: object, properties: {a: {type: integer}}}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Thing/allOf/1/properties/a",
        "property `a` is defined differently by several `allOf` members; the last definition is used",
    );
    expect(
        &with_schemas(
            "    Thing:\n      allOf:\n        - {type: object, properties: {a: {type: string}}}\n        - {type: string}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Thing",
        "`allOf` mixes objects and non-objects; the non-object members are ignored",
    );
    expect(
        &with_schemas(
            "    Thing:\n      oneOf:\n        - {$ref: '#/components/schemas/Thing'}\n        - {type: string}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Thing/oneOf/0",
        "union member is the union itself; ignored",
    );
    expect(
        &with_schemas(
            "    Thing:\n      allOf:\n        - {$ref: '#/components/schemas/Other'}\n        - {type: object, properties: {a: {type: string}}}\n    Other:\n      allOf:\n        - {$ref: '#/components/schemas/Thing'}\n        - {type: object, properties: {b: {type: string}}}\n",
        ),
        Severity::Warning,
        "#/components/schemas/Other/allOf/0",
        "`allOf` includes `#/components/schemas/Thing`, which includes this schema again; ignored",
    );
}

#[test]
fn nesting_too_deep() {
    let mut schemas = String::new();
    for i in 0..120 {
        schemas.push_str(&format!("    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n", i + 1));
    }
    schemas.push_str("    S120: {type: string}\n    Thing: {$ref: '#/components/schemas/S0'}\n");
    let (ok, diags) = run(&with_schemas(&schemas));
    assert!(!ok);
    assert!(
        diags.iter().any(|d| d.severity == Severity::Error
            && d.message == "schemas nest more than 96 levels deep (through properties, items and references)"
            && d.pointer.starts_with("#/components/schemas/S")),
        "{diags:#?}"
    );
}

#[test]
fn parameters() {
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{in: query, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Error,
        "#/paths/~1a/get/parameters/0",
        "parameter without a `name` string",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{name: b, in: body, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Error,
        "#/paths/~1a/get/parameters/0/in",
        "`in: body` is Swagger 2.0; OpenAPI 3 describes bodies with `requestBody`",
    );
    expect(
        &with_path(
            "/a/{id}",
            "    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a~1{id}/get",
        "path parameter `id` is not declared; it is taken as a required string",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/parameters/0",
        "path parameter `id` does not appear in the path template; ignored",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{name: q, in: query}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/parameters/0",
        "parameter has neither `schema` nor `content`; treated as a string",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{name: q, in: query, style: matrix, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/parameters/0/style",
        "style \"matrix\" is not valid for a query parameter; the default is used",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Error,
        "#/paths/~1a/get/parameters/0",
        "reference target `#/components/parameters/Nope` does not exist",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      parameters: [{name: h, in: header, schema: {type: object}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/parameters/0",
        "header parameter `h` is not a single value; it is taken as a string",
    );
}

#[test]
fn operations() {
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      responses: {'204': {description: ok, headers: {'Request Id': {schema: {type: string}}}}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/responses/204/headers/Request Id",
        "`Request Id` looks like a request-id header but is not a valid header name; it is not used to report request ids",
    );
    expect(
        &with_path(
            "/things/{id}",
            "    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1things~1{id}/get",
        "operation has no operationId; its method is named `get_things_id`",
    );
    expect(
        &with_path("/a", "    get:\n      operationId: a\n"),
        Severity::Warning,
        "#/paths/~1a/get",
        "operation declares no responses; its result is untyped",
    );
    expect(
        &with_path(
            "/a",
            "    get:\n      operationId: a\n      responses: {'20': {description: x}, '204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/get/responses/20",
        "`20` is not a status code, a range like `4XX` or `default`; response ignored",
    );
    expect(
        &with_path(
            "/a",
            "    post:\n      operationId: a\n      requestBody: {content: {multipart/form-data: {schema: {type: object}}}}\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/post/requestBody/content/multipart~1form-data",
        "`multipart/form-data` bodies cannot be built from a type; the operation takes the encoded body as bytes",
    );
    expect(
        &with_path(
            "/a",
            "    post:\n      operationId: a\n      callbacks: {onEvent: {}}\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/post/callbacks",
        "callbacks describe requests the API sends to you; no client code is generated for them",
    );
    expect(
        &with_path("a", "    get: {operationId: a, responses: {}}\n"),
        Severity::Warning,
        "#/paths/a",
        "path does not start with `/`; its operations are ignored",
    );
    expect(
        &with_path("/a", "    get: 5\n"),
        Severity::Error,
        "#/paths/~1a/get",
        "an operation must be an object, found a number",
    );
    expect(
        &with_path("/a", "    $ref: '#/paths/~1a'\n"),
        Severity::Error,
        "#/paths/~1a",
        "path item reference `#/paths/~1a` is circular",
    );
}

#[test]
fn document_level() {
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nservers: [{url: /api}]\npaths: {}\nwebhooks: {ping: {}}\n\
               components:\n  securitySchemes:\n    q: {type: apiKey, in: query, name: key}\n    m: {type: mutualTLS}\n";
    expect(
        doc,
        Severity::Warning,
        "#/servers/0/url",
        "server URL `/api` is not absolute; the base URL must be configured",
    );
    expect(
        doc,
        Severity::Warning,
        "#/webhooks/ping",
        "a webhook without an operation has no payload; its deliveries decode as an unknown event",
    );
    expect(
        doc,
        Severity::Warning,
        "#/components/securitySchemes/q",
        "API keys in the query string or a cookie are not supported (tokens never go into URLs); this scheme is ignored",
    );
    expect(
        doc,
        Severity::Warning,
        "#/components/securitySchemes/m",
        "security scheme type `mutualTLS` is not supported; ignored",
    );
    expect(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        Severity::Warning,
        "#/servers",
        "the document declares no server; the base URL must be configured",
    );
}

#[test]
fn several_errors_are_reported_together() {
    let doc = with_schemas(
        "    Thing: {type: object, properties: {a: {$ref: '#/nope/a'}, b: {$ref: 'x.json'}, c: 7}}\n",
    );
    let (ok, diags) = run(&doc);
    assert!(!ok);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.pointer.clone())
        .collect();
    assert_eq!(
        errors,
        vec!["#/components/schemas/Thing/properties/c".to_owned()],
        "{diags:#?}"
    );
    // The normalization error stops before references are followed; once fixed, both bad
    // references are reported in one run.
    let doc = with_schemas(
        "    Thing: {type: object, properties: {a: {$ref: '#/nope/a'}, b: {$ref: 'x.json'}}}\n",
    );
    let (ok, diags) = run(&doc);
    assert!(!ok);
    let errors: Vec<&str> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        errors,
        vec![
            "#/components/schemas/Thing/properties/a",
            "#/components/schemas/Thing/properties/b"
        ]
    );
}

#[test]
fn bad_configuration() {
    let mut config = Config::new("x");
    config.runtime_crate = "not a crate".to_owned();
    let f = generate(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &config,
    )
    .unwrap_err();
    assert_eq!(
        f.errors[0].to_string(),
        "error: #: runtime crate name `not a crate` is not a Rust identifier"
    );
    let mut config = Config::new("x");
    config.type_names.insert("Thing".into(), "my thing".into());
    let out = generate(
        &with_schemas("    Thing: {type: object, properties: {a: {type: string}}}\n"),
        &config,
    )
    .unwrap();
    assert!(out.warnings.iter().any(|w| w.to_string()
        == "warning: #/components/schemas/Thing: type name override `my thing` is not a Rust type name; `MyThing` is used"));
    assert!(out.files["types.rs"].contains("pub struct MyThing"));
}

/// The text of every generated file of `doc`, which must generate.
fn generated_text(doc: &str) -> String {
    let out = generate(doc, &Config::new("diag")).expect("the document generates");
    out.files.into_values().collect()
}

#[test]
fn parameters_declared_twice() {
    // Twice in the operation's own list: the first declaration is used, with a warning at the
    // second.
    let doc = with_path(
        "/a",
        "    get:\n      operationId: a\n      parameters:\n        - {name: q, in: query, schema: {type: boolean}}\n        - {name: q, in: query, schema: {type: string}}\n      responses: {'204': {description: ok}}\n",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/paths/~1a/get/parameters/1",
        "query parameter `q` is declared twice in this list (first at `#/paths/~1a/get/parameters/0`); the first declaration is used",
    );
    let text = generated_text(&doc);
    assert!(text.contains("pub fn q(self, q: bool) -> Self"), "{text}");
    assert!(!text.contains("q: &str"), "{text}");

    // Twice in the path item's list: the same.
    expect(
        &with_path(
            "/a",
            "    parameters:\n      - {name: h, in: header, schema: {type: string}}\n      - {name: h, in: header, schema: {type: string}}\n    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Warning,
        "#/paths/~1a/parameters/1",
        "header parameter `h` is declared twice in this list (first at `#/paths/~1a/parameters/0`); the first declaration is used",
    );

    // The operation's declaration overrides the path item's, silently; the same name in
    // another location is another parameter.
    let doc = with_path(
        "/a",
        "    parameters:\n      - {name: q, in: query, schema: {type: string}}\n      - {name: q, in: header, schema: {type: string}}\n    get:\n      operationId: a\n      parameters:\n        - {name: q, in: query, schema: {type: boolean}}\n      responses: {'204': {description: ok}}\n",
    );
    let (ok, diags) = run(&doc);
    assert!(ok && diags.is_empty(), "{diags:#?}");
    let text = generated_text(&doc);
    // The header (path item, first) is `q`; the query parameter (the operation's) is `q_2`.
    assert!(text.contains("pub fn q(self, q: &str) -> Self"), "{text}");
    assert!(
        text.contains("pub fn q_2(self, q_2: bool) -> Self"),
        "{text}"
    );
    assert!(!text.contains("q_3"), "{text}");
}

#[test]
fn informational_and_redirect_responses_are_not_modelled() {
    let doc = with_path(
        "/a",
        "    get:\n      operationId: a\n      responses:\n        '101': {description: switching}\n        '3XX':\n          description: moved\n          content: {application/json: {schema: {type: object, properties: {to: {type: string}}}}}\n        '404':\n          description: gone\n          content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}\n",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/paths/~1a/get/responses/101",
        "101 responses are not modelled (only 2xx, 4xx, 5xx and `default` are); this response is ignored",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/paths/~1a/get/responses/3XX",
        "3XX responses are not modelled (only 2xx, 4xx, 5xx and `default` are); this response is ignored",
    );
    // The ignored 3xx body allocates no type: the 404 body is `AError`, and nothing else is
    // generated for it.
    let text = generated_text(&doc);
    assert!(text.contains("pub struct AError {"), "{text}");
    assert!(!text.contains("AError2"), "{text}");
    assert!(!text.contains("pub to:"), "{text}");
}

#[test]
fn empty_path_template_parameter() {
    expect(
        &with_path(
            "/a/{}/b/{id}",
            "    get:\n      operationId: a\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
        ),
        Severity::Error,
        "#/paths/~1a~1{}~1b~1{id}",
        "path template `/a/{}/b/{id}` has an empty parameter name (`{}`)",
    );
}

#[test]
fn webhook_declarations_that_cannot_be_used() {
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
               x-apigen-webhooks: {event-type-header: 'bad header'}\n\
               webhooks:\n  raw: {post: {requestBody: {content: {text/plain: {}}}, responses: {'200': {description: ok}}}}\n  bare: {post: {responses: {'200': {description: ok}}}}\n";
    expect(
        doc,
        Severity::Warning,
        "#/x-apigen-webhooks/event-type-header",
        "must name a header (a non-empty token); deliveries can only be decoded given their event type",
    );
    expect(
        doc,
        Severity::Warning,
        "#/webhooks/raw/post/requestBody",
        "only JSON webhook payloads are decoded; deliveries of this event decode as an unknown event",
    );
    expect(
        doc,
        Severity::Warning,
        "#/webhooks/bare/post",
        "a webhook without a request body has no payload; its deliveries decode as an unknown event",
    );
}

#[test]
fn a_signature_declaration_that_cannot_be_used_is_an_error() {
    // A receiver that verified nothing for an API that signs its deliveries would accept
    // anyone's: the document is refused instead.
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\
               x-apigen-webhooks: {event-type-header: x-event, signature: {header: x-sig, versoin: v1}}\n\
               webhooks:\n  ping: {post: {requestBody: {content: {application/json: {schema: {type: object}}}}, responses: {'200': {description: ok}}}}\n";
    expect(
        doc,
        Severity::Error,
        "#/x-apigen-webhooks/signature",
        "must have a `header` (a header name) and a `version` (the tag of HMAC-SHA256 entries, such as `v1`)",
    );
}

#[test]
fn a_required_accept_or_content_type_with_one_value_is_sent_as_it_is() {
    // PagerDuty's document declares `Accept: application/vnd.pagerduty+json;version=2` (a
    // default) and `Content-Type: application/json` (a one-value enum) as required headers of
    // every operation; its server versions its answers by the first.
    let doc = with_path(
        "/a",
        "    get:\n      operationId: a\n      parameters:\n        - {name: Accept, in: header, required: true, schema: {type: string, default: 'application/vnd.x+json;version=2'}}\n        - {name: Content-Type, in: header, required: true, schema: {type: string, enum: [application/json]}}\n      responses: {'204': {description: ok}}\n    post:\n      operationId: b\n      parameters:\n        - {name: Content-Type, in: header, required: true, schema: {type: string, enum: [application/json]}}\n        - {name: Accept, in: header, required: true, schema: {type: string, enum: [text/plain, application/json]}}\n        - {name: Authorization, in: header, required: true, schema: {type: string, default: 'Bearer x'}}\n      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}\n      responses: {'204': {description: ok}}\n    put:\n      operationId: c\n      parameters:\n        - {name: Content-Type, in: header, required: true, schema: {type: string, enum: [application/json]}}\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {'204': {description: ok}}\n",
    );
    let text = generated_text(&doc);
    assert!(
        text.contains(
            ".header(\"accept\", \"application/vnd.x+json;version=2, application/json\")"
        ),
        "{text}"
    );
    assert!(
        text.contains(".header(\"content-type\", \"application/json\")"),
        "{text}"
    );
    // `c`'s body is optional: the header is sent, and a body set replaces it with its own.
    // The required body of `b` decides its media type; its Accept has two values; its
    // Authorization is the security scheme's.
    assert_eq!(
        text.matches(".header(\"content-type\", \"application/json\")")
            .count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches(".header(").count(), 3, "{text}");
    for (i, name) in [(0, "Content-Type"), (1, "Accept"), (2, "Authorization")] {
        expect(
            &doc,
            Severity::Warning,
            &format!("#/paths/~1a/post/parameters/{i}"),
            &format!(
                "header parameter `{name}` is ignored, as OpenAPI says: the request and response media types and the security schemes decide it"
            ),
        );
    }
}

#[test]
fn a_required_name_no_property_declares_is_any_value() {
    // Box's invite: `actionable_by` requires `id` and declares only `login`.
    let doc = with_schemas(
        "    Thing:\n      type: object\n      required: [id]\n      properties: {login: {type: string}}\n    \
         Ref:\n      allOf:\n        - {type: object, properties: {name: {type: string}}}\n        - {type: object, required: [name, key]}\n",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/components/schemas/Thing/required",
        "`id` is required but no property declares it; it is taken as an optional member of any JSON value",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/components/schemas/Ref/required",
        "`key` is required but no property declares it; it is taken as an optional member of any JSON value",
    );
    let text = generated_text(&doc);
    assert!(
        text.contains("pub id: ::std::option::Option<::serde_json::Value>,"),
        "{text}"
    );
    assert!(
        text.contains("pub key: ::std::option::Option<::serde_json::Value>,"),
        "{text}"
    );
    assert!(text.contains("pub name: ::std::string::String,"), "{text}");
}

#[test]
fn accept_content_type_and_authorization_headers_are_ignored() {
    let doc = with_path(
        "/a",
        "    get:\n      operationId: a\n      parameters:\n        - {name: Accept, in: header, required: true, schema: {type: string, example: application/vnd.x+json}}\n        - {name: authorization, in: header, schema: {type: string}}\n        - {name: X-Trace, in: header, schema: {type: string}}\n      responses: {'204': {description: ok}}\n",
    );
    expect(
        &doc,
        Severity::Warning,
        "#/paths/~1a/get/parameters/0",
        "header parameter `Accept` is ignored, as OpenAPI says: the request and response media types and the security schemes decide it",
    );
    let text = generated_text(&doc);
    assert!(text.contains("pub fn a(&self) -> A"), "{text}");
    assert!(text.contains("pub fn x_trace(self"), "{text}");
    assert!(!text.contains("\"authorization\""), "{text}");
}
