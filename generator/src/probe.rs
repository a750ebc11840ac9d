//! The calls a contract probe makes (`cargo xtask contract`): for every operation, one call
//! with the required parameters only and one with every parameter, their values made from the
//! document's schemas; and what the document declares of each operation's answers.
//!
//! Values prefer what the document gives (`const`, `example`, `examples`, `default`, the first
//! `enum` value), then follow the schema: formats (`date-time`, `uuid`, `email`, `uri`…),
//! bounds (`minimum`, `maxLength`, `minItems`…), required members (all members in the full
//! call, except `readOnly` ones), the first member of a `oneOf`/`anyOf`, every part of an
//! `allOf`. A `pattern` is not followed: a document whose examples do not satisfy its patterns
//! gets its calls refused, which the report shows.

use serde_json::{Map, Value, json};

use crate::model::{Api, Body, Decode, Location, Operation, Success};

/// How deep values are made with their optional members; below it, only required members
/// (a required member left out makes the value invalid)…
const MAX_DEPTH: usize = 6;

/// …down to this depth, where recursion through required members stops.
const MAX_REQUIRED_DEPTH: usize = 16;

/// One call: the operation, its parameter values by `"<location> <name>"` and its body.
pub(crate) fn calls(api: &Api, doc: &Value) -> Value {
    let synth = Synth {
        doc,
        made: std::cell::Cell::new(0),
    };
    let mut out = Vec::new();
    for op in &api.operations {
        let Some(id) = &op.operation_id else {
            continue;
        };
        for full in [false, true] {
            let mut params = Map::new();
            for p in &op.params {
                if !p.required && !full {
                    continue;
                }
                let schema = synth.at(&p.schema);
                let mut value = synth.value(schema, true, 0);
                // A parameter the client takes as text (a header or path parameter that is
                // not a single value is one) gets its value as text: an array as `a,b`
                // (OpenAPI's `simple` style), anything else as its JSON.
                if is_text(api, p.ty) && !value.is_string() {
                    value = Value::String(match &value {
                        Value::Array(items) => items
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect::<Vec<_>>()
                            .join(","),
                        other => other.to_string(),
                    });
                }
                params.insert(format!("{} {}", p.location.noun(), p.wire), value);
            }
            let mut call = Map::new();
            call.insert("op".to_owned(), Value::String(id.clone()));
            let variant = if full { "full" } else { "required" };
            call.insert("variant".to_owned(), Value::String(variant.to_owned()));
            call.insert("params".to_owned(), Value::Object(params));
            if let Some(b) = &op.body
                && (b.required || full)
            {
                let body = match &b.body {
                    Body::Json(_) | Body::Form(_) => synth.value(synth.at(&b.schema), full, 0),
                    // Sent as text: a string value (of its format: `byte` is base64), or the
                    // value's JSON.
                    Body::Raw { .. } => match synth.value(synth.at(&b.schema), full, 0) {
                        Value::String(text) => Value::String(text),
                        other => Value::String(other.to_string()),
                    },
                };
                call.insert("body".to_owned(), body);
            }
            out.push(Value::Object(call));
            // Without optional parameters and an optional body, the full call is the same.
            if !op.params.iter().any(|p| !p.required) && op.body.as_ref().is_none_or(|b| b.required)
            {
                break;
            }
        }
    }
    Value::Array(out)
}

/// The headers of the document's API-key security schemes that the client's authentication
/// does not send itself (the probe sends them with a made-up value: a document may require
/// several keys at once, which the client's one token does not cover).
pub(crate) fn credentials(api: &Api, doc: &Value) -> Vec<String> {
    let own = match &api.auth {
        crate::model::Auth::Header(name) => Some(name.to_ascii_lowercase()),
        _ => None,
    };
    let mut out: Vec<String> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| {
            schemes
                .values()
                .filter(|s| s.get("type").and_then(Value::as_str) == Some("apiKey"))
                .filter(|s| s.get("in").and_then(Value::as_str) == Some("header"))
                .filter_map(|s| s.get("name").and_then(Value::as_str))
                .filter(|name| {
                    own.as_deref() != Some(name.to_ascii_lowercase().as_str())
                        && !name.eq_ignore_ascii_case("authorization")
                        && crate::read::is_header_name(name)
                })
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// Whether the client takes a value of type `ty` as text.
fn is_text(api: &Api, ty: crate::model::TypeId) -> bool {
    matches!(
        api.types.kind(api.types.resolve(ty)),
        crate::model::Kind::Prim(crate::model::Prim::String)
    )
}

/// What the probe's checks need to know of each operation: its statuses, and why it is
/// skipped (if it is).
pub(crate) fn operations(api: &Api, doc: &Value) -> Value {
    let mut out = Vec::new();
    for op in &api.operations {
        let (success, errors) = statuses(op);
        out.push(json!({
            "op": op.operation_id.clone().unwrap_or_else(|| op.name.clone()),
            "method": op.method.upper(),
            "path": op.path,
            "success": success,
            "errors": errors,
            "skip": skip_reason(api, op).or_else(|| unservable(op, doc)),
        }));
    }
    Value::Array(out)
}

/// The declared 2xx statuses and the declared error statuses (4xx and 5xx codes) of `op`.
fn statuses(op: &Operation) -> (Vec<u16>, Vec<u16>) {
    op.statuses.iter().partition(|c| (200..300).contains(*c))
}

/// Why the probe does not call `op`: Prism cannot serve it, or the operation has no
/// operationId to name it by.
fn skip_reason(api: &Api, op: &Operation) -> Option<String> {
    if op.operation_id.is_none() {
        return Some("the operation has no operationId".to_owned());
    }
    let binary = match &op.success {
        Success::One(Decode::Bytes) => true,
        Success::ByStatus(id) => api
            .types
            .status_cases(*id)
            .iter()
            .any(|c| c.decode == Decode::Bytes),
        Success::One(_) => false,
    };
    if binary {
        return Some("a binary download (Prism answers it with text)".to_owned());
    }
    if op.params.iter().any(|p| p.location == Location::Cookie) {
        return Some("a cookie parameter (Prism does not validate cookies)".to_owned());
    }
    if let Some(crate::model::RequestBody {
        body: Body::Raw { content_type },
        ..
    }) = &op.body
        && content_type.to_ascii_lowercase().starts_with("multipart/")
    {
        return Some(format!(
            "a `{content_type}` body, which the client takes already encoded"
        ));
    }
    if let Some(p) = op.params.iter().find(|p| p.slug.is_some()) {
        return Some(format!(
            "the slug parameter `{}` (x-apigen-slug) keeps its `/`, and Prism routes one segment per parameter",
            p.wire
        ));
    }
    None
}

/// Why Prism cannot serve `op`, from what the model leaves out: a protocol upgrade (`101`,
/// websockets) or an event stream.
fn unservable(op: &Operation, doc: &Value) -> Option<String> {
    use crate::diagnostics::child;
    let method = op.method.upper().to_ascii_lowercase();
    let pointer = child(&child(&child("", "paths"), &op.path), &method);
    let responses = doc.pointer(&child(&pointer, "responses"))?.as_object()?;
    if responses.contains_key("101") {
        return Some("a protocol upgrade (101, websockets), which Prism cannot serve".to_owned());
    }
    let streams = responses.values().any(|r| {
        r.get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| c.keys().any(|mt| mt.starts_with("text/event-stream")))
    });
    streams.then(|| "an event stream (text/event-stream), which Prism cannot serve".to_owned())
}

struct Synth<'a> {
    doc: &'a Value,
    /// Values made so far for the document: past [`MAX_VALUES`], objects are left empty, so
    /// that wide schemas nested deep cannot make the calls file explode.
    made: std::cell::Cell<usize>,
}

/// How many values (of every level) the calls of one document may take.
const MAX_VALUES: usize = 2_000_000;

impl Synth<'_> {
    /// The schema at `pointer` (`#/…`), or an empty schema.
    fn at(&self, pointer: &str) -> &Value {
        static EMPTY: Value = Value::Null;
        self.doc
            .pointer(pointer.trim_start_matches('#'))
            .unwrap_or(&EMPTY)
    }

    /// Follows `$ref`s (a bounded number).
    fn resolve<'s>(&'s self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..16 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with('#') => schema = self.at(r),
                _ => break,
            }
        }
        schema
    }

    /// A value for `schema`: with every member (`full`) or the required ones.
    fn value(&self, schema: &Value, full: bool, depth: usize) -> Value {
        self.value_in(schema, full, depth, &[])
    }

    /// [`Synth::value`] for a part of an `allOf` whose members named in `required` are
    /// required: a part may declare a property that another part requires.
    fn value_in(&self, schema: &Value, full: bool, depth: usize, required: &[String]) -> Value {
        self.made.set(self.made.get().saturating_add(1));
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            return Value::String("probe".to_owned());
        };
        // What the document gives, when it is of the schema's type (documents' examples are
        // not always).
        for key in ["const", "example", "default"] {
            if let Some(v) = obj.get(key)
                && !v.is_null()
                && of_type(obj, v)
            {
                return v.clone();
            }
        }
        if let Some(Value::Array(examples)) = obj.get("examples")
            && let Some(v) = examples.iter().find(|v| !v.is_null() && of_type(obj, v))
        {
            return v.clone();
        }
        if let Some(Value::Array(values)) = obj.get("enum")
            && let Some(v) = values.iter().find(|v| !v.is_null())
        {
            return v.clone();
        }
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            let mut required = required.to_vec();
            self.required_names(schema, &mut required, 0);
            let mut merged = Map::new();
            // An `allOf` of scalars (Box's `sequence_id`: a nullable string, then
            // `{nullable: false}`) is the value of its first part that says what it is.
            let mut scalar = None;
            for part in parts {
                match self.value_in(part, full, depth + 1, &required) {
                    Value::Object(members) => merged.extend(members),
                    other if parts.len() == 1 => return other,
                    other => {
                        let says = self.resolve(part).as_object().is_some_and(|p| {
                            [
                                "type", "enum", "const", "format", "example", "oneOf", "anyOf",
                            ]
                            .iter()
                            .any(|k| p.contains_key(*k))
                        });
                        if says && scalar.is_none() {
                            scalar = Some(other);
                        }
                    }
                }
            }
            if merged.is_empty()
                && !obj.contains_key("properties")
                && let Some(value) = scalar
            {
                return value;
            }
            if let Value::Object(own) = self.object(obj, full, depth, &required) {
                merged.extend(own);
            }
            // Required, and declared by no part: the client's type holds it as any value.
            for name in required {
                merged
                    .entry(name)
                    .or_insert_with(|| Value::String("probe".to_owned()));
            }
            return Value::Object(merged);
        }
        // An object whose `oneOf`/`anyOf` members only list required names (OpenAI's file
        // batch: `anyOf: [{required: [file_ids]}, {required: [files]}]`) is that object with
        // the first member's names required.
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get(key)
                && obj.contains_key("properties")
                && let Some(first) = members.first().map(|m| self.resolve(m))
                && let Some(constraint) = first.as_object()
                && constraint
                    .keys()
                    .all(|k| k == "required" || k == "description" || k == "title")
            {
                let mut required = required.to_vec();
                self.required_names(first, &mut required, 0);
                let mut value = self.object(obj, full, depth, &required);
                // A full value leaves out what only the other alternatives require: with
                // `oneOf`, a value matching two of them matches none.
                if let Value::Object(out) = &mut value {
                    for other in members.iter().skip(1) {
                        let mut names = Vec::new();
                        self.required_names(other, &mut names, 0);
                        for name in names.iter().filter(|n| !required.contains(n)) {
                            out.remove(name);
                        }
                    }
                }
                return value;
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get(key)
                && let Some(first) = members
                    .iter()
                    .find(|m| self.resolve(m).get("type").and_then(Value::as_str) != Some("null"))
            {
                let mut value = self.value_in(first, full, depth + 1, required);
                // A discriminator names the member it chose.
                if let (Some(property), Value::Object(members)) = (
                    obj.get("discriminator")
                        .and_then(|d| d.get("propertyName"))
                        .and_then(Value::as_str),
                    &mut value,
                ) && !members.contains_key(property)
                    && let Some(tag) = self.discriminator_value(obj, first, property)
                {
                    members.insert(property.to_owned(), Value::String(tag));
                }
                return value;
            }
        }
        let ty = match obj.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                "object"
            }
            _ if obj.contains_key("items") => "array",
            _ => "string",
        };
        match ty {
            "object" => self.object(obj, full, depth, required),
            "array" => {
                let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                if depth >= MAX_DEPTH && min == 0 {
                    return Value::Array(Vec::new());
                }
                let count = min.clamp(1, 4);
                let item = obj.get("items").unwrap_or(&Value::Null);
                let unique = obj.get("uniqueItems") == Some(&Value::Bool(true));
                Value::Array(
                    (0..count)
                        .map(|i| {
                            let value = self.value(item, full, depth + 1);
                            if unique { distinct(value, i) } else { value }
                        })
                        .collect(),
                )
            }
            "integer" => json!(number(obj, true) as i64),
            "number" => json!(number(obj, false)),
            "boolean" => Value::Bool(true),
            "null" => Value::Null,
            _ => Value::String(string(obj)),
        }
    }

    /// The value of the discriminator `property` that names `member` (of the union `obj`):
    /// its key in the discriminator's mapping, else the one value the member allows for the
    /// property, else the name of the schema it refers to.
    fn discriminator_value(
        &self,
        obj: &Map<String, Value>,
        member: &Value,
        property: &str,
    ) -> Option<String> {
        let reference = member.get("$ref").and_then(Value::as_str);
        let name = reference.and_then(|r| r.rsplit('/').next());
        if let Some(Value::Object(mapping)) =
            obj.get("discriminator").and_then(|d| d.get("mapping"))
            && let Some((key, _)) = mapping.iter().find(|(_, target)| {
                target
                    .as_str()
                    .is_some_and(|t| Some(t) == reference || Some(t) == name)
            })
        {
            return Some(key.clone());
        }
        let own = self
            .resolve(member)
            .get("properties")
            .and_then(|p| p.get(property));
        let own = own.map(|p| self.resolve(p));
        if let Some(value) = own.and_then(|p| {
            p.get("const")
                .or_else(|| p.get("enum").and_then(|e| e.get(0)))
                .and_then(Value::as_str)
        }) {
            return Some(value.to_owned());
        }
        name.map(str::to_owned)
    }

    /// Adds the names `schema` requires, directly or through the parts of its `allOf`s, to
    /// `names`.
    fn required_names(&self, schema: &Value, names: &mut Vec<String>, depth: usize) {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return;
        }
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.required_names(part, names, depth + 1);
        }
    }

    fn object(
        &self,
        obj: &Map<String, Value>,
        full: bool,
        depth: usize,
        also_required: &[String],
    ) -> Value {
        let mut out = Map::new();
        if depth >= MAX_REQUIRED_DEPTH || self.made.get() > MAX_VALUES {
            return Value::Object(out);
        }
        // Deep down, required members only.
        let full = full && depth < MAX_DEPTH;
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(properties)) = obj.get("properties") {
            for (name, schema) in properties {
                let read_only = self.resolve(schema).get("readOnly") == Some(&Value::Bool(true));
                if (full && !read_only)
                    || required.contains(&name.as_str())
                    || also_required.iter().any(|n| n == name)
                {
                    out.insert(name.clone(), self.value(schema, full, depth + 1));
                }
            }
        }
        // Required and not declared (Box's invite `actionable_by.id`): any value will do. In a
        // part of an `allOf`, the `allOf` adds those once its parts are merged.
        if also_required.is_empty() {
            for name in &required {
                if !out.contains_key(*name) {
                    out.insert((*name).to_owned(), Value::String("probe".to_owned()));
                }
            }
        }
        if out.is_empty()
            && let Some(extra @ Value::Object(_)) = obj.get("additionalProperties")
        {
            out.insert("key".to_owned(), self.value(extra, full, depth + 1));
        }
        Value::Object(out)
    }
}

/// Whether `value` is of a type the schema's `type` allows (any, when it names none).
fn of_type(obj: &Map<String, Value>, value: &Value) -> bool {
    let allows = |t: &str| match t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    };
    match obj.get("type") {
        Some(Value::String(t)) => allows(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(allows),
        _ => true,
    }
}

/// The `i`-th item of an array whose items must differ: a scalar changed by `i` (the first
/// kept as it is).
fn distinct(value: Value, i: u64) -> Value {
    if i == 0 {
        return value;
    }
    match value {
        // A number as text (Discord's snowflakes, `^(0|[1-9][0-9]*)$`) stays one.
        Value::String(text) => match text.parse::<u64>() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => {
                Value::String(n.saturating_add(i).to_string())
            }
            _ => Value::String(format!("{text}{i}")),
        },
        Value::Number(n) => n.as_i64().map_or(Value::Number(n.clone()), |n| {
            json!(n.saturating_add(i as i64))
        }),
        other => other,
    }
}

/// A number within the schema's bounds (an integer when `integer`).
fn number(obj: &Map<String, Value>, integer: bool) -> f64 {
    let get = |key: &str| obj.get(key).and_then(Value::as_f64);
    let step = if integer { 1.0 } else { 0.5 };
    // OpenAPI 3.0 says `exclusiveMinimum: true` beside `minimum`; 3.1 gives the bound itself.
    let exclusive = |key: &str| obj.get(key) == Some(&Value::Bool(true));
    let low = get("minimum")
        .map(|m| {
            if exclusive("exclusiveMinimum") {
                m + step
            } else {
                m
            }
        })
        .or_else(|| get("exclusiveMinimum").map(|m| m + step))
        .filter(|m| m.is_finite());
    let high = get("maximum")
        .map(|m| {
            if exclusive("exclusiveMaximum") {
                m - step
            } else {
                m
            }
        })
        .or_else(|| get("exclusiveMaximum").map(|m| m - step))
        .filter(|m| m.is_finite());
    let mut value = match (low, high) {
        (Some(low), _) => low,
        (None, Some(high)) if high < 1.0 => high,
        _ => {
            if integer {
                1.0
            } else {
                1.5
            }
        }
    };
    if let Some(multiple) = get("multipleOf").filter(|m| *m > 0.0) {
        value = (value / multiple).ceil() * multiple;
    }
    if integer { value.round() } else { value }
}

/// A string of the schema's format (or matching its `pattern`, when the pattern is simple
/// enough), within its length bounds.
fn string(obj: &Map<String, Value>) -> String {
    let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
    // The client types these formats, so their text must parse: a pattern beside one is at
    // best the same constraint (PagerDuty's `since` has `pattern: YYYY-MM-DDThh:mm:ssZ`).
    let typed = matches!(format, "date-time" | "date" | "uuid");
    if let Some(pattern) = obj.get("pattern").and_then(Value::as_str)
        && !typed
        && let Some(text) = pattern::example(pattern)
    {
        return text;
    }
    let text = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/probe",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "cHJvYmU=",
        "duration" => "P1D",
        _ => "probe",
    };
    let mut text = text.to_owned();
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = obj.get("maxLength").and_then(Value::as_u64);
    while (text.len() as u64) < min.min(1024) {
        text.push('x');
    }
    if let Some(max) = max
        && (text.len() as u64) > max
        && format.is_empty()
    {
        text.truncate(usize::try_from(max).unwrap_or(0));
    }
    text
}

/// A string matching a regular expression, for the common subset documents use: literals,
/// escapes, `.`, classes (`[a-z0-9_]`, `\d`, `\w`, `\s`), groups with alternatives (the first
/// is taken), quantifiers (`?`, `*`, `+`, `{n}`, `{n,m}`: the least count, at least one for
/// `*` and `+`), anchors. Anything else (lookaround, backreferences, negated classes) gives
/// `None`.
mod pattern {
    pub(super) fn example(pattern: &str) -> Option<String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut at = 0;
        let out = alternatives(&chars, &mut at, 0)?;
        (at == chars.len()).then_some(out)
    }

    /// `a|b|c` up to a closing `)` (not consumed) or the end: the first alternative's text.
    fn alternatives(chars: &[char], at: &mut usize, depth: usize) -> Option<String> {
        if depth > 8 {
            return None;
        }
        let first = sequence(chars, at, depth)?;
        while chars.get(*at) == Some(&'|') {
            *at += 1;
            sequence(chars, at, depth)?;
        }
        Some(first)
    }

    fn sequence(chars: &[char], at: &mut usize, depth: usize) -> Option<String> {
        let mut out = String::new();
        while let Some(&c) = chars.get(*at) {
            let atom = match c {
                '|' | ')' => break,
                '^' | '$' => {
                    *at += 1;
                    continue;
                }
                '(' => {
                    *at += 1;
                    if chars.get(*at) == Some(&'?') {
                        // Only non-capturing groups.
                        if chars.get(*at + 1) != Some(&':') {
                            return None;
                        }
                        *at += 2;
                    }
                    let inner = alternatives(chars, at, depth + 1)?;
                    if chars.get(*at) != Some(&')') {
                        return None;
                    }
                    *at += 1;
                    inner
                }
                '[' => class(chars, at)?.to_string(),
                '\\' => {
                    *at += 1;
                    let e = *chars.get(*at)?;
                    *at += 1;
                    match e {
                        'd' => "0".to_owned(),
                        'w' | 'S' | 'D' => "a".to_owned(),
                        's' => " ".to_owned(),
                        'W' => "-".to_owned(),
                        c if c.is_ascii_alphanumeric() => return None,
                        c => c.to_string(),
                    }
                }
                '.' => {
                    *at += 1;
                    "a".to_owned()
                }
                '*' | '+' | '?' | '{' => return None,
                c => {
                    *at += 1;
                    c.to_string()
                }
            };
            let count = quantifier(chars, at)?;
            for _ in 0..count {
                out.push_str(&atom);
            }
        }
        Some(out)
    }

    /// `[…]`: its first member (a range's start).
    fn class(chars: &[char], at: &mut usize) -> Option<char> {
        *at += 1;
        if chars.get(*at) == Some(&'^') {
            return None;
        }
        let mut first = None;
        while let Some(&c) = chars.get(*at) {
            *at += 1;
            match c {
                ']' if first.is_some() => return first,
                '\\' => {
                    let e = *chars.get(*at)?;
                    *at += 1;
                    let member = match e {
                        'd' => '0',
                        'w' | 'S' | 'D' => 'a',
                        's' => ' ',
                        'W' => '-',
                        c if c.is_ascii_alphanumeric() => return None,
                        c => c,
                    };
                    first.get_or_insert(member);
                }
                c => {
                    first.get_or_insert(c);
                }
            }
        }
        None
    }

    /// The least count the quantifier at `at` allows (1 without one; 1 for `*` and `+`, so the
    /// value is not empty). A lazy (`*?`) or possessive (`*+`) mark after it changes nothing
    /// here.
    fn quantifier(chars: &[char], at: &mut usize) -> Option<usize> {
        let before = *at;
        let count = greedy(chars, at)?;
        if *at > before && matches!(chars.get(*at), Some('?' | '+')) {
            *at += 1;
        }
        Some(count)
    }

    fn greedy(chars: &[char], at: &mut usize) -> Option<usize> {
        match chars.get(*at) {
            Some('?') => {
                *at += 1;
                Some(0)
            }
            Some('*' | '+') => {
                *at += 1;
                Some(1)
            }
            Some('{') => {
                let close = chars.iter().skip(*at).position(|c| *c == '}')? + *at;
                let inside: String = chars.get(*at + 1..close)?.iter().collect();
                *at = close + 1;
                let low = inside.split(',').next()?.trim().parse::<usize>().ok()?;
                Some(low.clamp(1, 64))
            }
            _ => Some(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_matching_examples() {
        let cases = [
            ("^([0-9]+(ms|s|m|h|d|w)){1,7}$", Some("0ms")),
            ("^[A-Z]{3}$", Some("AAA")),
            (r"^\d{4}-\d{2}$", Some("0000-00")),
            ("^gh/[a-z-]+$", Some("gh/a")),
            (r"^v\d+(\.\d+)?$", Some("v0")),
            ("^[^/]+$", None),
            // Box's `prompt_template`: lazy quantifiers and `\S`.
            (
                r"(\{user_question\}[\s\S]*?\{content\}|\{content\}[\s\S]*?\{user_question\})",
                Some("{user_question} {content}"),
            ),
            (r"^\w+?\D*+\W$", Some("aa-")),
            ("(?=x)y", None),
        ];
        for (pattern, expected) in cases {
            assert_eq!(pattern::example(pattern).as_deref(), expected, "{pattern}");
        }
    }

    fn synth_value(doc: Value, schema: Value, full: bool) -> Value {
        let synth = Synth {
            doc: &doc,
            made: std::cell::Cell::new(0),
        };
        synth.value(&schema, full, 0)
    }

    #[test]
    fn bounds_of_both_versions_and_distinct_numbers_as_text() {
        // PagerDuty's `limit` (3.0): minimum 0, exclusiveMinimum true.
        let limit = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(synth_value(json!({}), limit, false), json!(1));
        let below =
            json!({"type": "number", "maximum": 10, "exclusiveMaximum": true, "minimum": 9});
        assert_eq!(synth_value(json!({}), below, false), json!(9.0));
        let v31 = json!({"type": "integer", "exclusiveMinimum": 4});
        assert_eq!(synth_value(json!({}), v31, false), json!(5));
        // Discord's snowflakes: unique, and still `^(0|[1-9][0-9]*)$`.
        let doc = json!({"components": {"schemas": {"Snowflake": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}}}});
        let ids = json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"$ref": "#/components/schemas/Snowflake"}});
        assert_eq!(synth_value(doc, ids, false), json!(["0", "1"]));
    }

    #[test]
    fn required_names_no_property_declares_get_a_value() {
        let invite = json!({"type": "object", "required": ["login", "actionable_by"], "properties": {
            "login": {"type": "string"},
            "actionable_by": {"type": "object", "required": ["id"], "properties": {"login": {"type": "string"}}}
        }});
        assert_eq!(
            synth_value(json!({}), invite, false),
            json!({"login": "probe", "actionable_by": {"id": "probe"}})
        );
        // In an `allOf`, a name another part declares keeps that part's value.
        let all = json!({"allOf": [
            {"type": "object", "properties": {"n": {"type": "integer", "minimum": 3}}},
            {"type": "object", "required": ["n", "k"]}
        ]});
        assert_eq!(
            synth_value(json!({}), all, false),
            json!({"n": 3, "k": "probe"})
        );
    }

    #[test]
    fn alternatives_that_only_require_names_shape_their_object() {
        let batch = json!({"type": "object", "properties": {
            "file_ids": {"type": "array", "items": {"type": "string"}},
            "files": {"type": "array", "items": {"type": "object"}}
        }, "anyOf": [{"required": ["file_ids"]}, {"required": ["files"]}]});
        assert_eq!(
            synth_value(json!({}), batch.clone(), false),
            json!({"file_ids": ["probe"]})
        );
        // In full, what only another alternative requires is left out.
        assert_eq!(
            synth_value(json!({}), batch, true),
            json!({"file_ids": ["probe"]})
        );
    }

    #[test]
    fn an_all_of_of_scalars_is_its_first_typed_part() {
        let sequence = json!({"allOf": [{"type": "string", "example": "3", "nullable": true}, {"nullable": false}]});
        assert_eq!(synth_value(json!({}), sequence, false), json!("3"));
        // OpenAI's `tool_choice`: a union of a string enum and an object, then a constraint.
        let doc = json!({"components": {"schemas": {"Choice": {"oneOf": [
            {"type": "string", "enum": ["none", "auto"]},
            {"type": "object", "properties": {"type": {"type": "string"}}}
        ]}}}});
        let choice =
            json!({"allOf": [{"$ref": "#/components/schemas/Choice"}, {"nullable": true}]});
        assert_eq!(synth_value(doc, choice, false), json!("none"));
    }

    #[test]
    fn a_typed_format_wins_over_a_pattern() {
        // PagerDuty's `since`: a date-time whose `pattern` is a picture, not a regex.
        let schema =
            json!({"type": "string", "format": "date-time", "pattern": "YYYY-MM-DDThh:mm:ssZ"});
        assert_eq!(
            synth_value(json!({}), schema, false),
            json!("2024-01-02T03:04:05Z")
        );
        let schema = json!({"type": "string", "format": "email", "pattern": "^a@b$"});
        assert_eq!(synth_value(json!({}), schema, false), json!("a@b"));
    }

    #[test]
    fn a_member_required_by_another_all_of_part_is_made() {
        // PagerDuty's references: one part declares `id` (readOnly), another requires it.
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {
                "id": {"type": "string", "readOnly": true},
                "summary": {"type": "string"}
            }},
            "Reference": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["id"]}
            ]},
            "TeamReference": {"allOf": [
                {"$ref": "#/components/schemas/Reference"},
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["team_reference"]}}}
            ]}
        }}});
        let team = json!({"$ref": "#/components/schemas/TeamReference"});
        assert_eq!(
            synth_value(doc.clone(), team.clone(), false),
            json!({"id": "probe"})
        );
        let full = synth_value(doc, team, true);
        assert_eq!(
            full,
            json!({"id": "probe", "summary": "probe", "type": "team_reference"})
        );
    }

    #[test]
    fn values_follow_examples_formats_and_bounds() {
        let doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "minLength": 7},
                "id": {"type": "integer", "readOnly": true},
                "tag": {"type": "string", "example": "dog"},
                "born": {"type": "string", "format": "date"},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "age": {"type": "integer", "minimum": 3, "maximum": 9},
                "weight": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.25},
                "owner": {"$ref": "#/components/schemas/Pet"}
            }}
        }}});
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(
            synth_value(doc.clone(), pet.clone(), false),
            json!({"name": "probexx"})
        );
        let full = synth_value(doc, pet, true);
        assert_eq!(full.get("tag"), Some(&json!("dog")));
        assert_eq!(full["born"], "2024-01-02");
        assert_eq!(full["kind"], "cat");
        assert_eq!(full["age"], 3);
        assert_eq!(full["weight"], 0.5);
        assert!(full.get("id").is_none(), "readOnly members are not sent");
        // Recursion stops.
        let mut depth = 0;
        let mut at = &full;
        while let Some(owner) = at.get("owner") {
            depth += 1;
            at = owner;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
    }

    #[test]
    fn deep_values_keep_their_required_members_and_unique_items_differ() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id", "child"], "properties": {
                "id": {"type": "string"},
                "note": {"type": "string"},
                "child": {"$ref": "#/components/schemas/Leaf"}
            }},
            "Leaf": {"type": "object", "required": ["leaf"], "properties": {"leaf": {"type": "boolean"}}}
        }}});
        // Nested below MAX_DEPTH, a required member is still there, an optional one is not.
        let mut schema = json!({"$ref": "#/components/schemas/Node"});
        for _ in 0..MAX_DEPTH + 1 {
            schema = json!({"type": "object", "required": ["x"], "properties": {"x": schema}});
        }
        let mut value = synth_value(doc.clone(), schema, true);
        for _ in 0..MAX_DEPTH + 1 {
            value = value["x"].clone();
        }
        assert_eq!(value, json!({"id": "probe", "child": {"leaf": true}}));
        let unique = json!({"type": "array", "minItems": 3, "uniqueItems": true, "items": {"type": "string"}});
        assert_eq!(
            synth_value(doc, unique, false),
            json!(["probe", "probe1", "probe2"])
        );
    }

    #[test]
    fn examples_of_another_type_are_not_sent() {
        let schema = json!({"type": "boolean", "example": "false"});
        assert_eq!(synth_value(json!({}), schema, true), json!(true));
        let schema = json!({"type": ["string", "null"], "example": "x"});
        assert_eq!(synth_value(json!({}), schema, true), json!("x"));
    }

    #[test]
    fn unions_take_their_first_member_and_name_it() {
        let doc = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}},
            "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}}
        }}});
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "pet_type"}
        });
        assert_eq!(
            synth_value(doc.clone(), schema, false),
            json!({"lives": 1, "pet_type": "Cat"})
        );
        // PagerDuty's automation actions: the mapping's key names the member.
        let mapped = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "pet_type", "mapping": {
                "dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"
            }}
        });
        assert_eq!(
            synth_value(doc, mapped, false),
            json!({"lives": 1, "pet_type": "cat"})
        );
        let all = json!({"allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "uuid"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": ["null", "boolean"]}}}
        ]});
        assert_eq!(
            synth_value(json!({}), all, false),
            json!({"a": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "b": true})
        );
    }
}
