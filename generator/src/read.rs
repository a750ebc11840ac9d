//! Reading: text → JSON value → normalized 3.0 form → `openapiv3::OpenAPI`.
//!
//! `openapiv3` models OpenAPI 3.0. OpenAPI 3.1 (JSON Schema 2020-12) says several things in ways
//! that model cannot hold, and real 3.0 documents are often sloppy. Rather than teaching every
//! later stage about every spelling, this module rewrites the document once, as a JSON value,
//! into the one form the rest of the generator reads — keeping the meaning:
//!
//! | found                                       | becomes                                        |
//! |---------------------------------------------|------------------------------------------------|
//! | `type: [T, "null"]`                         | `type: T`, `nullable: true`                    |
//! | `type: [A, B]`                              | `anyOf: [{type: A, …}, {type: B, …}]`          |
//! | `{type: "null"}` member of `oneOf`/`anyOf`  | removed; `nullable: true` on the union         |
//! | `oneOf`/`anyOf` left with one member        | `allOf: [member]`                              |
//! | `const: v`                                  | `enum: [v]`                                    |
//! | numeric `exclusiveMinimum: n`               | `minimum: n`, `exclusiveMinimum: true`         |
//! | `$ref` with siblings                        | `allOf: [{$ref}]` + the siblings               |
//! | `x-nullable: true` (3.0 extension)          | `nullable: true`                               |
//! | `properties` without `type`                 | `type: object` (`items` → `type: array`)       |
//! | `format: integer` on a number               | no format                                      |
//! | path parameter with `allowReserved: true`   | `x-apigen-slug: true`                          |
//! | path item `$ref`                            | the referenced path item, inlined              |
//!
//! The same pass *sanitizes*: every keyword the later stages (and `openapiv3`'s deserializer)
//! read is checked for its JSON type; a wrong one is reported with its pointer and removed, so
//! deserialization cannot fail deep inside a schema (where `openapiv3`'s untagged enums would
//! lose the location and retry exponentially). Parts the generator does not use (examples,
//! links, callbacks, encodings, response headers, external docs) are dropped here — with a
//! warning where the document says something a client would miss.
//!
//! Deserialization into `openapiv3::OpenAPI` runs last, through `serde_path_to_error`, so a
//! remaining failure still names its place.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostics, child};

/// The OpenAPI version family of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V30,
    V31,
}

/// A read, normalized document.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) api: openapiv3::OpenAPI,
    /// The normalized document as JSON; `$ref` targets and structural identity are read here.
    pub(crate) value: Value,
    /// The names of the response headers the document declares, each once, in document
    /// order, with the pointer of its first declaration (for `settings`' request-id policy).
    pub(crate) response_headers: Vec<(String, String)>,
    /// The 3.1 `webhooks`, in document order: the name (the event type) and its path item,
    /// normalized like the items of `paths` (their schemas load from `value` by pointer,
    /// under `#/webhooks/…`).
    pub(crate) webhooks: Vec<(String, openapiv3::PathItem)>,
}

/// Reads, normalizes and deserializes a document. `None` when an error was reported.
pub(crate) fn read(text: &str, diags: &mut Diagnostics) -> Option<Document> {
    let mut value = parse(text, diags)?;
    detect_version(&value, diags)?;
    let mut norm = Normalizer {
        diags,
        response_headers: Vec::new(),
    };
    norm.document(&mut value);
    let response_headers = norm.response_headers;
    // `openapiv3` models 3.0, which has no `webhooks`: they are read on their own, and put
    // back into `value` afterwards so that their schemas resolve by pointer.
    let hooks = value
        .as_object_mut()
        .and_then(|root| root.remove("webhooks"));
    if diags.has_errors() {
        return None;
    }
    // Path tracking costs an allocation per key, so it only runs to locate a failure.
    let api = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
        Ok(api) => api,
        Err(plain) => {
            match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
                Err(e) => {
                    let pointer = path_to_pointer(e.path());
                    diags.error(
                        &pointer,
                        format!("not a valid OpenAPI document: {}", e.inner()),
                    );
                }
                Ok(_) => diags.error("#", format!("not a valid OpenAPI document: {plain}")),
            }
            return None;
        }
    };
    let mut webhooks = Vec::new();
    if let Some(Value::Object(items)) = &hooks {
        for (name, item) in items {
            match serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
                Ok(item) => webhooks.push((name.clone(), item)),
                Err(e) => diags.error(
                    &format!(
                        "{}{}",
                        child("#/webhooks", name),
                        path_to_pointer(e.path()).trim_start_matches('#')
                    ),
                    format!("not a valid webhook: {}", e.inner()),
                ),
            }
        }
    }
    if let (Some(hooks), Some(root)) = (hooks, value.as_object_mut()) {
        root.insert("webhooks".to_owned(), hooks);
    }
    Some(Document {
        api,
        value,
        response_headers,
        webhooks,
    })
}

/// Parses JSON (fast path) or YAML text into a JSON value with string keys, in document order.
fn parse(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => return Some(v),
            Err(json_err) => {
                // JSON with a YAML-only feature (comments, trailing commas) is rare; try YAML and
                // report the JSON error if that fails too.
                if let Ok(v) = parse_yaml(text, diags) {
                    return Some(v);
                }
                diags.error("#", format!("the document is not valid JSON: {json_err}"));
                return None;
            }
        }
    }
    match parse_yaml(text, diags) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.error("#", format!("the document is not valid YAML or JSON: {e}"));
            None
        }
    }
}

/// YAML straight into a JSON value (no intermediate YAML tree): keys become strings (`200` →
/// `"200"`), tags are dropped, non-finite floats become `null`. Duplicate and non-scalar keys
/// are reported as warnings.
fn parse_yaml(text: &str, diags: &mut Diagnostics) -> Result<Value, serde_yaml::Error> {
    let notes = RefCell::new(Vec::new());
    let de = serde_yaml::Deserializer::from_str(text);
    let value = Yaml {
        loc: Loc::Root,
        notes: &notes,
    }
    .deserialize(de)?;
    for (pointer, message) in notes.into_inner() {
        diags.warning(&pointer, message);
    }
    Ok(value)
}

/// Where a node is: a chain of parents, turned into a pointer only when something is reported.
#[derive(Clone, Copy)]
enum Loc<'a> {
    Root,
    Key(&'a Loc<'a>, &'a str),
    Index(&'a Loc<'a>, usize),
}

impl Loc<'_> {
    fn pointer(&self) -> String {
        match self {
            Loc::Root => "#".to_owned(),
            Loc::Key(parent, key) => child(&parent.pointer(), key),
            Loc::Index(parent, i) => child(&parent.pointer(), &i.to_string()),
        }
    }
}

type Notes = RefCell<Vec<(String, String)>>;

struct Yaml<'a> {
    loc: Loc<'a>,
    notes: &'a Notes,
}

impl<'de> DeserializeSeed<'de> for Yaml<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Yaml<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let seed = Yaml {
                loc: Loc::Index(&self.loc, out.len()),
                notes: self.notes,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key_seed(Key)? {
            match key {
                Some(key) => {
                    let value = map.next_value_seed(Yaml {
                        loc: Loc::Key(&self.loc, &key),
                        notes: self.notes,
                    })?;
                    match out.entry(key) {
                        serde_json::map::Entry::Vacant(slot) => {
                            slot.insert(value);
                        }
                        serde_json::map::Entry::Occupied(mut slot) => {
                            self.notes.borrow_mut().push((
                                Loc::Key(&self.loc, slot.key()).pointer(),
                                "key appears twice in the mapping; the last one is used".to_owned(),
                            ));
                            slot.insert(value);
                        }
                    }
                }
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                    self.notes.borrow_mut().push((
                        self.loc.pointer(),
                        "a mapping key is not a string, number or boolean; the entry is ignored"
                            .to_owned(),
                    ));
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`): the tag is dropped, the value kept.
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key as a string; `None` for keys that are collections.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

fn detect_version(root: &Value, diags: &mut Diagnostics) -> Option<Version> {
    let Some(obj) = root.as_object() else {
        diags.error(
            "#",
            format!("the document must be an object, found {}", kind(root)),
        );
        return None;
    };
    if obj.contains_key("swagger") {
        diags.error(
            "#/swagger",
            "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3 first",
        );
        return None;
    }
    let version = match obj.get("openapi") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            diags.error(
                "#/openapi",
                format!("`openapi` must be a version string, found {}", kind(other)),
            );
            return None;
        }
        None => {
            diags.error(
                "#",
                "missing `openapi` version field; is this an OpenAPI 3 document?",
            );
            return None;
        }
    };
    if version == "3.0" || version.starts_with("3.0.") {
        Some(Version::V30)
    } else if version == "3.1" || version.starts_with("3.1.") {
        Some(Version::V31)
    } else {
        diags.error(
            "#/openapi",
            format!("unsupported OpenAPI version `{version}`; supported: 3.0.x and 3.1.x"),
        );
        None
    }
}

/// Converts a `serde_path_to_error` path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("#");
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => out = child(&out, &index.to_string()),
            serde_path_to_error::Segment::Map { key } => out = child(&out, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

/// A short name for the JSON type of a value, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes a local `$ref` (`#/components/schemas/A%20B`) into a JSON pointer usable with
/// [`Value::pointer`] (`/components/schemas/A B`). Errors are messages for a diagnostic.
pub(crate) fn local_ref_pointer(reference: &str) -> Result<String, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!(
            "external reference `{reference}` is not supported; the document must be self-contained (bundle it first)"
        ));
    };
    if fragment.is_empty() {
        return Err("`$ref: \"#\"` refers to the whole document, not to a schema".to_owned());
    }
    if !fragment.starts_with('/') {
        return Err(format!(
            "reference `{reference}` is not a JSON pointer (anchors are not supported)"
        ));
    }
    Ok(percent_decode(fragment))
}

/// Decodes `%XX` escapes; the text as it is when the result would not be UTF-8.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'%' {
            // Two hex digits exactly: `from_str_radix` alone would also take a sign (`%+1`).
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Converts a decoded pointer (`/a/b`) back into the `#/a/b` form used in diagnostics.
pub(crate) fn fragment(pointer: &str) -> String {
    format!("#{pointer}")
}

/// Converts `#/a/b` into `/a/b` for [`Value::pointer`].
pub(crate) fn value_pointer(ptr: &str) -> &str {
    ptr.strip_prefix('#').unwrap_or(ptr)
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that are pure validation or annotation and carry nothing a Rust type expresses;
/// dropped silently.
const SCHEMA_DROP: &[&str] = &[
    "example",
    "examples",
    "externalDocs",
    "xml",
    "$comment",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "not",
];

const STRING_KEYWORDS: &[&str] = &["title", "description", "pattern", "format"];
const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];
const SIZE_KEYWORDS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];
const BOOL_KEYWORDS: &[&str] = &[
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
];

/// Keywords that belong to one JSON type, for splitting `type: [A, B]` into `anyOf`.
fn keyword_type(keyword: &str, value: &Value) -> Option<&'static str> {
    match keyword {
        "pattern" | "minLength" | "maxLength" => Some("string"),
        "minimum" | "maximum" | "multipleOf" | "exclusiveMinimum" | "exclusiveMaximum" => {
            Some("number")
        }
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "discriminator" => Some("object"),
        "items" | "minItems" | "maxItems" | "uniqueItems" => Some("array"),
        "format" => match value.as_str() {
            Some(
                "int32" | "int64" | "float" | "double" | "integer" | "int8" | "int16" | "uint8"
                | "uint16" | "uint32" | "uint64",
            ) => Some("number"),
            _ => Some("string"),
        },
        _ => None,
    }
}

struct Normalizer<'d> {
    diags: &'d mut Diagnostics,
    response_headers: Vec<(String, String)>,
}

impl Normalizer<'_> {
    fn document(&mut self, root: &mut Value) {
        let Some(obj) = root.as_object_mut() else {
            return;
        };
        for key in ["jsonSchemaDialect", "$schema", "externalDocs"] {
            obj.remove(key);
        }
        match obj.get_mut("webhooks") {
            Some(Value::Object(hooks)) => {
                let names: Vec<String> = hooks.keys().cloned().collect();
                for name in names {
                    let ptr = child("#/webhooks", &name);
                    if name.starts_with("x-") {
                        hooks.remove(&name);
                        continue;
                    }
                    let Some(item) = hooks.get_mut(&name) else {
                        continue;
                    };
                    if item.get("$ref").is_some() {
                        self.diags.warning(
                            &ptr,
                            "a webhook given as a `$ref` is not supported; its deliveries decode as an unknown event",
                        );
                        hooks.remove(&name);
                        continue;
                    }
                    self.path_item(item, &ptr);
                }
            }
            Some(other) => {
                self.diags.warning(
                    "#/webhooks",
                    format!(
                        "`webhooks` must be an object, found {}; ignored",
                        kind(other)
                    ),
                );
                obj.remove("webhooks");
            }
            None => {}
        }
        let info = obj.remove("info");
        obj.insert("info".into(), self.info(info));
        if let Some(servers) = obj.get_mut("servers") {
            self.servers(servers, "#/servers");
        }
        if let Some(tags) = obj.get_mut("tags") {
            self.tags(tags);
        }
        if let Some(sec) = obj.get_mut("security") {
            self.security(sec, "#/security");
        }
        match obj.get_mut("components") {
            Some(Value::Object(c)) => self.components(c),
            Some(other) => {
                self.diags.error(
                    "#/components",
                    format!("`components` must be an object, found {}", kind(other)),
                );
                *other = json!({});
            }
            None => {}
        }
        match obj.get_mut("paths") {
            Some(Value::Object(paths)) => {
                let keys: Vec<String> = paths.keys().cloned().collect();
                for key in keys {
                    let ptr = child("#/paths", &key);
                    if key.starts_with("x-") {
                        continue;
                    }
                    if !key.starts_with('/') {
                        self.diags.warning(
                            &ptr,
                            "path does not start with `/`; its operations are ignored",
                        );
                        paths.remove(&key);
                        continue;
                    }
                    if let Some(item) = paths.get_mut(&key) {
                        self.path_item(item, &ptr);
                    }
                }
            }
            Some(other) => {
                self.diags.error(
                    "#/paths",
                    format!("`paths` must be an object, found {}", kind(other)),
                );
                *other = json!({});
            }
            // 3.1 allows documents without paths (components or webhooks only).
            None => {
                obj.insert("paths".into(), json!({}));
            }
        }
        self.inline_path_item_refs(root);
    }

    fn info(&mut self, info: Option<Value>) -> Value {
        let mut out = Map::new();
        let info = info.unwrap_or(Value::Null);
        let text = |key: &str| -> Option<String> {
            match info.get(key) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        };
        out.insert(
            "title".into(),
            Value::String(text("title").unwrap_or_default()),
        );
        out.insert(
            "version".into(),
            Value::String(text("version").unwrap_or_default()),
        );
        if let Some(d) = text("description") {
            out.insert("description".into(), Value::String(d));
        }
        Value::Object(out)
    }

    fn servers(&mut self, v: &mut Value, ptr: &str) {
        let Some(list) = v.as_array_mut() else {
            self.diags.warning(
                ptr,
                format!("`servers` must be an array, found {}; ignored", kind(v)),
            );
            *v = json!([]);
            return;
        };
        let mut out = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let p = child(ptr, &i.to_string());
            let Some(url) = s.get("url").and_then(Value::as_str) else {
                self.diags
                    .warning(&p, "server without a `url` string; ignored");
                continue;
            };
            let mut server = Map::new();
            server.insert("url".into(), Value::String(url.to_owned()));
            if let Some(Value::Object(vars)) = s.get("variables") {
                let mut clean = Map::new();
                for (name, var) in vars {
                    let default = match var.get("default") {
                        Some(Value::String(d)) => d.clone(),
                        Some(Value::Number(n)) => n.to_string(),
                        _ => {
                            self.diags.warning(
                                &child(&child(&p, "variables"), name),
                                "server variable without a `default`; an empty value is used",
                            );
                            String::new()
                        }
                    };
                    clean.insert(name.clone(), json!({ "default": default }));
                }
                server.insert("variables".into(), Value::Object(clean));
            }
            out.push(Value::Object(server));
        }
        *v = Value::Array(out);
    }

    fn tags(&mut self, v: &mut Value) {
        let Some(list) = v.as_array() else {
            self.diags
                .warning("#/tags", "`tags` must be an array; ignored");
            *v = json!([]);
            return;
        };
        let mut out = Vec::new();
        for (i, t) in list.iter().enumerate() {
            match t.get("name").and_then(Value::as_str) {
                Some(name) => {
                    let mut tag = Map::new();
                    tag.insert("name".into(), Value::String(name.to_owned()));
                    if let Some(d) = t.get("description").and_then(Value::as_str) {
                        tag.insert("description".into(), Value::String(d.to_owned()));
                    }
                    out.push(Value::Object(tag));
                }
                None => self.diags.warning(
                    &child("#/tags", &i.to_string()),
                    "tag without a `name` string; ignored",
                ),
            }
        }
        *v = Value::Array(out);
    }

    fn security(&mut self, v: &mut Value, ptr: &str) {
        let Some(list) = v.as_array() else {
            self.diags.warning(
                ptr,
                format!("`security` must be an array, found {}; ignored", kind(v)),
            );
            *v = json!([]);
            return;
        };
        let mut out = Vec::new();
        for (i, req) in list.iter().enumerate() {
            let Some(req) = req.as_object() else {
                self.diags.warning(
                    &child(ptr, &i.to_string()),
                    "security requirement must be an object; ignored",
                );
                continue;
            };
            let mut clean = Map::new();
            for (name, scopes) in req {
                let scopes: Vec<Value> = scopes
                    .as_array()
                    .map(|a| a.iter().filter(|s| s.is_string()).cloned().collect())
                    .unwrap_or_default();
                clean.insert(name.clone(), Value::Array(scopes));
            }
            out.push(Value::Object(clean));
        }
        *v = Value::Array(out);
    }

    fn components(&mut self, c: &mut Map<String, Value>) {
        for key in ["examples", "links", "callbacks", "headers"] {
            c.remove(key);
        }
        type Walk = fn(&mut Normalizer<'_>, &mut Value, &str);
        let sections: [(&str, Walk); 5] = [
            ("schemas", |n, v, p| n.schema(v, p)),
            ("parameters", |n, v, p| n.parameter_or_ref(v, p)),
            ("responses", |n, v, p| n.response_or_ref(v, p)),
            ("requestBodies", |n, v, p| n.request_body_or_ref(v, p)),
            ("pathItems", |n, v, p| n.path_item(v, p)),
        ];
        for (section, walk) in sections {
            let ptr = child("#/components", section);
            match c.get_mut(section) {
                Some(Value::Object(m)) => {
                    for (name, v) in m.iter_mut() {
                        walk(self, v, &child(&ptr, name));
                    }
                }
                Some(other) => {
                    self.diags.warning(
                        &ptr,
                        format!("must be an object, found {}; ignored", kind(other)),
                    );
                    c.remove(section);
                }
                None => {}
            }
        }
        match c.get_mut("securitySchemes") {
            Some(Value::Object(m)) => {
                let names: Vec<String> = m.keys().cloned().collect();
                for name in names {
                    let p = child("#/components/securitySchemes", &name);
                    let clean = m.get(&name).and_then(|s| self.security_scheme(s, &p));
                    match clean {
                        Some(s) => {
                            m.insert(name, s);
                        }
                        None => {
                            m.remove(&name);
                        }
                    }
                }
            }
            Some(_) => {
                self.diags
                    .warning("#/components/securitySchemes", "must be an object; ignored");
                c.remove("securitySchemes");
            }
            None => {}
        }
    }

    fn security_scheme(&mut self, s: &Value, ptr: &str) -> Option<Value> {
        let typ = s.get("type").and_then(Value::as_str).unwrap_or("");
        match typ {
            "apiKey" => {
                let name = s.get("name").and_then(Value::as_str);
                let location = s.get("in").and_then(Value::as_str);
                match (name, location) {
                    (Some(name), Some(loc @ ("header" | "query" | "cookie"))) => {
                        Some(json!({"type": "apiKey", "name": name, "in": loc}))
                    }
                    _ => {
                        self.diags.warning(ptr, "apiKey security scheme needs a `name` and `in` (header, query or cookie); ignored");
                        None
                    }
                }
            }
            "http" => match s.get("scheme").and_then(Value::as_str) {
                Some(scheme) => Some(json!({"type": "http", "scheme": scheme})),
                None => {
                    self.diags
                        .warning(ptr, "http security scheme without `scheme`; ignored");
                    None
                }
            },
            // Only the kind matters to a client: an OAuth2 or OpenID Connect access token is sent as
            // a bearer token; the flows are for obtaining it.
            "oauth2" => Some(json!({"type": "oauth2", "flows": {}})),
            "openIdConnect" => Some(json!({"type": "openIdConnect", "openIdConnectUrl": ""})),
            other => {
                self.diags.warning(
                    ptr,
                    format!("security scheme type `{other}` is not supported; ignored"),
                );
                None
            }
        }
    }

    fn path_item(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("a path item must be an object, found {}", kind(v)),
            );
            *v = json!({});
            return;
        };
        obj.remove("servers");
        if let Some(r) = obj.get("$ref")
            && !r.is_string()
        {
            self.diags
                .error(&child(ptr, "$ref"), "`$ref` must be a string");
            obj.remove("$ref");
        }
        for key in ["summary", "description"] {
            self.expect_string(obj, key, ptr);
        }
        if let Some(params) = obj.get_mut("parameters") {
            self.parameters(params, &child(ptr, "parameters"));
        }
        for method in METHODS {
            if let Some(op) = obj.get_mut(*method) {
                let p = child(ptr, method);
                if op.is_object() {
                    self.operation(op, &p);
                } else {
                    self.diags.error(
                        &p,
                        format!("an operation must be an object, found {}", kind(op)),
                    );
                    obj.remove(*method);
                }
            }
        }
    }

    /// Replaces path items that are `$ref`s by (a copy of) their normalized target.
    fn inline_path_item_refs(&mut self, root: &mut Value) {
        let keys: Vec<String> = root
            .get("paths")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.get("$ref").is_some())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        for key in keys {
            let ptr = child("#/paths", &key);
            let mut seen = HashSet::new();
            let mut current = root.get("paths").and_then(|p| p.get(&key)).cloned();
            let resolved = loop {
                let Some(item) = current else { break None };
                let Some(r) = item.get("$ref").and_then(Value::as_str) else {
                    break Some(item);
                };
                if !seen.insert(r.to_owned()) || seen.len() > 32 {
                    self.diags
                        .error(&ptr, format!("path item reference `{r}` is circular"));
                    break None;
                }
                match local_ref_pointer(r) {
                    Ok(p) => match root.pointer(&p) {
                        Some(t) if t.is_object() => current = Some(t.clone()),
                        _ => {
                            self.diags.error(
                                &ptr,
                                format!("path item reference `{r}` does not point to a path item"),
                            );
                            break None;
                        }
                    },
                    Err(msg) => {
                        self.diags.error(&ptr, msg);
                        break None;
                    }
                }
            };
            if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
                match resolved {
                    Some(mut item) => {
                        if let Some(m) = item.as_object_mut() {
                            m.remove("$ref");
                        }
                        paths.insert(key, item);
                    }
                    None => {
                        paths.insert(key, json!({}));
                    }
                }
            }
        }
    }

    fn operation(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else { return };
        for key in ["servers", "externalDocs"] {
            obj.remove(key);
        }
        if let Some(cb) = obj.remove("callbacks")
            && cb.as_object().is_some_and(|m| !m.is_empty())
        {
            self.diags.warning(
                &child(ptr, "callbacks"),
                "callbacks describe requests the API sends to you; no client code is generated for them",
            );
        }
        for key in ["operationId", "summary", "description"] {
            self.expect_string(obj, key, ptr);
        }
        self.expect_bool(obj, "deprecated", ptr);
        if let Some(tags) = obj.get_mut("tags") {
            match tags.as_array_mut() {
                Some(list) => {
                    let before = list.len();
                    list.retain(Value::is_string);
                    if list.len() != before {
                        self.diags.warning(
                            &child(ptr, "tags"),
                            "tags must be strings; the others are ignored",
                        );
                    }
                }
                None => {
                    self.diags.warning(
                        &child(ptr, "tags"),
                        "`tags` must be an array of strings; ignored",
                    );
                    obj.remove("tags");
                }
            }
        }
        if let Some(sec) = obj.get_mut("security") {
            self.security(sec, &child(ptr, "security"));
        }
        if let Some(params) = obj.get_mut("parameters") {
            self.parameters(params, &child(ptr, "parameters"));
        }
        if let Some(body) = obj.get_mut("requestBody") {
            self.request_body_or_ref(body, &child(ptr, "requestBody"));
        }
        match obj.get_mut("responses") {
            Some(r) => self.responses(r, &child(ptr, "responses")),
            None => {
                self.diags.warning(
                    ptr,
                    "operation declares no responses; its result is untyped",
                );
                obj.insert("responses".into(), json!({}));
            }
        }
    }

    fn parameters(&mut self, v: &mut Value, ptr: &str) {
        let Some(list) = v.as_array_mut() else {
            self.diags.error(
                ptr,
                format!("`parameters` must be an array, found {}", kind(v)),
            );
            *v = json!([]);
            return;
        };
        for (i, p) in list.iter_mut().enumerate() {
            self.parameter_or_ref(p, &child(ptr, &i.to_string()));
        }
    }

    fn parameter_or_ref(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("a parameter must be an object, found {}", kind(v)),
            );
            *v = json!({"name": "invalid", "in": "query", "schema": {}});
            return;
        };
        if self.reference(obj, ptr) {
            return;
        }
        let name_ok = obj.get("name").is_some_and(Value::is_string);
        if !name_ok {
            self.diags.error(ptr, "parameter without a `name` string");
            obj.insert("name".into(), json!("invalid"));
        }
        let location = obj
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let location = match location.as_str() {
            "path" | "query" | "header" | "cookie" => location,
            "body" | "formData" => {
                self.diags.error(
                    &child(ptr, "in"),
                    format!("`in: {location}` is Swagger 2.0; OpenAPI 3 describes bodies with `requestBody`"),
                );
                obj.insert("in".into(), json!("query"));
                "query".to_owned()
            }
            _ => {
                self.diags.error(
                    &child(ptr, "in"),
                    "parameter location `in` must be path, query, header or cookie",
                );
                obj.insert("in".into(), json!("query"));
                "query".to_owned()
            }
        };
        for key in ["example", "examples"] {
            obj.remove(key);
        }
        self.expect_string(obj, "description", ptr);
        for key in ["required", "deprecated", "explode"] {
            self.expect_bool(obj, key, ptr);
        }
        self.slug_extension(obj, ptr);
        let allow_reserved = obj.remove("allowReserved");
        let allow_empty = obj.remove("allowEmptyValue");
        match location.as_str() {
            "path" => {
                if allow_reserved == Some(Value::Bool(true)) && !obj.contains_key("x-apigen-slug") {
                    obj.insert("x-apigen-slug".into(), json!([]));
                }
                if obj.get("required") == Some(&Value::Bool(false)) {
                    self.diags.warning(
                        &child(ptr, "required"),
                        "path parameters are always required; `required: false` ignored",
                    );
                }
                obj.insert("required".into(), Value::Bool(true));
            }
            "query" => {
                if let Some(b @ Value::Bool(_)) = allow_reserved {
                    obj.insert("allowReserved".into(), b);
                }
                if let Some(b @ Value::Bool(_)) = allow_empty {
                    obj.insert("allowEmptyValue".into(), b);
                }
            }
            _ => {}
        }
        if let Some(style) = obj.get("style") {
            let allowed: &[&str] = match location.as_str() {
                "path" => &["matrix", "label", "simple"],
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                _ => &["form"],
            };
            if !style.as_str().is_some_and(|s| allowed.contains(&s)) {
                self.diags.warning(
                    &child(ptr, "style"),
                    format!(
                        "style {style} is not valid for a {location} parameter; the default is used"
                    ),
                );
                obj.remove("style");
            }
        }
        if obj.contains_key("schema") {
            obj.remove("content");
            if let Some(s) = obj.get_mut("schema") {
                self.schema(s, &child(ptr, "schema"));
            }
        } else if let Some(content) = obj.get_mut("content") {
            self.content(content, &child(ptr, "content"));
            if content.as_object().is_some_and(Map::is_empty) {
                obj.remove("content");
            }
        }
        if !obj.contains_key("schema") && !obj.contains_key("content") {
            self.diags.warning(
                ptr,
                "parameter has neither `schema` nor `content`; treated as a string",
            );
            obj.insert("schema".into(), json!({"type": "string"}));
        }
    }

    fn request_body_or_ref(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("a request body must be an object, found {}", kind(v)),
            );
            *v = json!({"content": {}});
            return;
        };
        if self.reference(obj, ptr) {
            return;
        }
        self.expect_string(obj, "description", ptr);
        self.expect_bool(obj, "required", ptr);
        match obj.get_mut("content") {
            Some(c) => self.content(c, &child(ptr, "content")),
            None => {
                self.diags
                    .warning(ptr, "request body without `content`; no body is sent");
                obj.insert("content".into(), json!({}));
            }
        }
    }

    fn responses(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("`responses` must be an object, found {}", kind(v)),
            );
            *v = json!({});
            return;
        };
        let keys: Vec<String> = obj.keys().cloned().collect();
        let mut out = Map::new();
        for key in keys {
            let Some(mut value) = obj.remove(&key) else {
                continue;
            };
            let p = child(ptr, &key);
            if key.starts_with("x-") {
                out.insert(key, value);
                continue;
            }
            let Some(code) = status_key(&key) else {
                self.diags.warning(&p, format!("`{key}` is not a status code, a range like `4XX` or `default`; response ignored"));
                continue;
            };
            self.response_or_ref(&mut value, &p);
            if out.contains_key(&code) {
                self.diags.warning(
                    &p,
                    format!("status `{code}` is declared twice; the first is used"),
                );
                continue;
            }
            out.insert(code, value);
        }
        *obj = out;
    }

    fn response_or_ref(&mut self, v: &mut Value, ptr: &str) {
        let Some(obj) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("a response must be an object, found {}", kind(v)),
            );
            *v = json!({"description": ""});
            return;
        };
        if self.reference(obj, ptr) {
            return;
        }
        if let Some(Value::Object(headers)) = obj.get("headers") {
            for name in headers.keys() {
                if !self.response_headers.iter().any(|(n, _)| n == name) {
                    self.response_headers
                        .push((name.clone(), child(&child(ptr, "headers"), name)));
                }
            }
        }
        for key in ["headers", "links"] {
            obj.remove(key);
        }
        if !obj.get("description").is_some_and(Value::is_string) {
            obj.insert("description".into(), json!(""));
        }
        if let Some(c) = obj.get_mut("content") {
            self.content(c, &child(ptr, "content"));
        }
    }

    fn content(&mut self, v: &mut Value, ptr: &str) {
        let Some(map) = v.as_object_mut() else {
            self.diags.error(
                ptr,
                format!("`content` must be an object, found {}", kind(v)),
            );
            *v = json!({});
            return;
        };
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let p = child(ptr, &key);
            let Some(media) = map.get_mut(&key) else {
                continue;
            };
            let Some(m) = media.as_object_mut() else {
                self.diags.warning(
                    &p,
                    format!(
                        "a media type must be an object, found {}; ignored",
                        kind(media)
                    ),
                );
                map.remove(&key);
                continue;
            };
            for k in ["example", "examples", "encoding"] {
                m.remove(k);
            }
            if let Some(s) = m.get_mut("schema") {
                self.schema(s, &child(&p, "schema"));
            }
        }
    }

    /// Handles an object that is a `$ref` (parameter, response, body): validates it, drops
    /// siblings (3.1 allows only `summary`/`description` there). Returns true if it was one.
    fn reference(&mut self, obj: &mut Map<String, Value>, ptr: &str) -> bool {
        match obj.get("$ref") {
            None => false,
            Some(Value::String(r)) => {
                let r = r.clone();
                obj.clear();
                obj.insert("$ref".into(), Value::String(r));
                true
            }
            Some(other) => {
                self.diags.error(
                    &child(ptr, "$ref"),
                    format!("`$ref` must be a string, found {}", kind(other)),
                );
                obj.remove("$ref");
                false
            }
        }
    }

    fn expect_string(&mut self, obj: &mut Map<String, Value>, key: &str, ptr: &str) {
        if let Some(v) = obj.get(key)
            && !v.is_string()
        {
            self.diags.warning(
                &child(ptr, key),
                format!("`{key}` must be a string, found {}; ignored", kind(v)),
            );
            obj.remove(key);
        }
    }

    /// Checks `x-apigen-aliases` (an object from a property name to the other names, or one
    /// other name, that property may arrive under) and writes every value as a list. A
    /// malformed entry is dropped with a warning naming it; so is an alias of a property the
    /// object does not declare, or a name used twice.
    fn aliases_extension(&mut self, obj: &mut Map<String, Value>, ptr: &str) {
        let key = "x-apigen-aliases";
        let Some(value) = obj.remove(key) else {
            return;
        };
        let at = child(ptr, key);
        let Value::Object(entries) = value else {
            self.diags.warning(
                &at,
                format!("`{key}` must be an object from property names to lists of names, found {}; ignored", kind(&value)),
            );
            return;
        };
        let declared: Vec<String> = obj
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut taken: std::collections::BTreeSet<String> = declared.iter().cloned().collect();
        let mut kept = Map::new();
        for (property, names) in entries {
            let entry = child(&at, &property);
            if !declared.contains(&property) {
                self.diags.warning(
                    &entry,
                    format!(
                        "`{property}` is not a property of this object; its aliases are ignored"
                    ),
                );
                continue;
            }
            let names = match names {
                Value::String(name) => vec![Value::String(name)],
                Value::Array(names) => names,
                other => {
                    self.diags.warning(
                        &entry,
                        format!(
                            "aliases must be a name or a list of names, found {}; ignored",
                            kind(&other)
                        ),
                    );
                    continue;
                }
            };
            let mut list = Vec::new();
            for (i, name) in names.into_iter().enumerate() {
                match name {
                    Value::String(name) if taken.insert(name.clone()) => {
                        list.push(Value::String(name))
                    }
                    Value::String(name) => self.diags.warning(
                        &child(&entry, &i.to_string()),
                        format!(
                            "`{name}` already names a property or an alias of this object; ignored"
                        ),
                    ),
                    other => self.diags.warning(
                        &child(&entry, &i.to_string()),
                        format!("an alias must be a string, found {}; ignored", kind(&other)),
                    ),
                }
            }
            if !list.is_empty() {
                kept.insert(property, Value::Array(list));
            }
        }
        if !kept.is_empty() {
            obj.insert(key.into(), Value::Object(kept));
        }
    }

    /// Checks `x-apigen-slug` and writes it as a list of allowed segment counts (empty: any
    /// count): `true` (any), a count (`3`) or a list of counts (`[1, 2]`); `false` removes it.
    fn slug_extension(&mut self, obj: &mut Map<String, Value>, ptr: &str) {
        let key = "x-apigen-slug";
        let Some(value) = obj.get(key) else {
            return;
        };
        let count = |v: &Value| v.as_u64().filter(|n| (1..=64).contains(n));
        let counts = match value {
            Value::Bool(true) => Some(Vec::new()),
            Value::Bool(false) => None,
            Value::Number(_) => count(value).map(|n| vec![n]),
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(count).collect::<Option<Vec<u64>>>()
            }
            _ => None,
        };
        match counts {
            Some(mut counts) => {
                counts.sort_unstable();
                counts.dedup();
                obj.insert(key.into(), json!(counts));
            }
            None => {
                if value != &Value::Bool(false) {
                    self.diags.warning(
                        &child(ptr, key),
                        format!(
                            "`{key}` must be `true`, a segment count from 1 to 64 or a non-empty \
                             list of them, found {}; ignored",
                            kind(value)
                        ),
                    );
                }
                obj.remove(key);
            }
        }
    }

    fn expect_bool(&mut self, obj: &mut Map<String, Value>, key: &str, ptr: &str) {
        if let Some(v) = obj.get(key)
            && !v.is_boolean()
        {
            self.diags.warning(
                &child(ptr, key),
                format!("`{key}` must be a boolean, found {}; ignored", kind(v)),
            );
            obj.remove(key);
        }
    }

    /// Normalizes one schema (see the module docs for the rewrites).
    fn schema(&mut self, v: &mut Value, ptr: &str) {
        match &*v {
            Value::Object(_) => {}
            Value::Bool(true) => {
                *v = json!({});
                return;
            }
            Value::Bool(false) => {
                self.diags.warning(
                    ptr,
                    "the schema `false` (no value allowed) is read as any JSON value",
                );
                *v = json!({});
                return;
            }
            other => {
                self.diags.error(
                    ptr,
                    format!("a schema must be an object, found {}", kind(other)),
                );
                *v = json!({});
                return;
            }
        }
        let Some(obj) = v.as_object_mut() else { return };

        self.aliases_extension(obj, ptr);

        // x-nullable (3.0 extension) → nullable.
        if let Some(xn) = obj.remove("x-nullable") {
            match xn {
                Value::Bool(true) => {
                    obj.insert("nullable".into(), Value::Bool(true));
                }
                Value::Bool(false) => {}
                other => self.diags.warning(
                    &child(ptr, "x-nullable"),
                    format!(
                        "`x-nullable` must be a boolean, found {}; ignored",
                        kind(&other)
                    ),
                ),
            }
        }
        for key in SCHEMA_DROP {
            obj.remove(*key);
        }

        if obj.contains_key("$ref") && self.schema_ref(obj, ptr) {
            return;
        }
        // Siblings were moved next to an `allOf: [{$ref}]`; normalize the rest below.

        // Scalar keywords.
        for key in STRING_KEYWORDS {
            self.expect_string(obj, key, ptr);
        }
        for key in BOOL_KEYWORDS {
            self.expect_bool(obj, key, ptr);
        }
        for key in NUMBER_KEYWORDS {
            if let Some(val) = obj.get(*key)
                && !val.is_number()
            {
                self.diags.warning(
                    &child(ptr, key),
                    format!("`{key}` must be a number, found {}; ignored", kind(val)),
                );
                obj.remove(*key);
            }
        }
        for key in SIZE_KEYWORDS {
            if let Some(val) = obj.get(*key)
                && val.as_u64().is_none_or(|n| n > u64::from(u32::MAX))
            {
                self.diags.warning(
                    &child(ptr, key),
                    format!("`{key}` must be a non-negative integer; ignored"),
                );
                obj.remove(*key);
            }
        }
        for (key, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            match obj.get(key).cloned() {
                None | Some(Value::Bool(_)) => {}
                Some(Value::Number(n)) => {
                    obj.insert(bound.into(), Value::Number(n));
                    obj.insert(key.into(), Value::Bool(true));
                }
                Some(other) => {
                    self.diags.warning(
                        &child(ptr, key),
                        format!(
                            "`{key}` must be a number or boolean, found {}; ignored",
                            kind(&other)
                        ),
                    );
                    obj.remove(key);
                }
            }
        }
        if let Some(c) = obj.remove("const")
            && !obj.contains_key("enum")
        {
            obj.insert("enum".into(), Value::Array(vec![c]));
        }
        if let Some(e) = obj.get("enum").cloned() {
            match &e {
                Value::Array(values) if !values.is_empty() => {
                    if values.iter().any(Value::is_null) {
                        obj.insert("nullable".into(), Value::Bool(true));
                    }
                    if values.iter().all(Value::is_null) {
                        obj.remove("enum");
                        obj.insert("x-apigen-null".into(), Value::Bool(true));
                    }
                }
                Value::Array(_) => {
                    self.diags.warning(
                        &child(ptr, "enum"),
                        "`enum` is empty (no value allowed); ignored",
                    );
                    obj.remove("enum");
                }
                other => {
                    self.diags.warning(
                        &child(ptr, "enum"),
                        format!("`enum` must be an array, found {}; ignored", kind(other)),
                    );
                    obj.remove("enum");
                }
            }
        }
        if let Some(Value::String(f)) = obj.get("format")
            && f == "integer"
        {
            obj.remove("format");
        }
        if let Some(Value::String(f)) = obj.get("format")
            && f.is_empty()
        {
            obj.remove("format");
        }

        // `type`: a string, or (3.1) an array that may include "null".
        let types = self.schema_types(obj, ptr);

        // Child schemas.
        if let Some(props) = obj.get_mut("properties") {
            match props.as_object_mut() {
                Some(m) => {
                    for (name, s) in m.iter_mut() {
                        self.schema(s, &child(&child(ptr, "properties"), name));
                    }
                }
                None => {
                    self.diags.warning(
                        &child(ptr, "properties"),
                        "`properties` must be an object; ignored",
                    );
                    obj.remove("properties");
                }
            }
        }
        if let Some(req) = obj.get_mut("required") {
            match req.as_array_mut() {
                Some(list) => {
                    let before = list.len();
                    list.retain(Value::is_string);
                    if list.len() != before {
                        self.diags.warning(
                            &child(ptr, "required"),
                            "`required` entries must be strings; the others are ignored",
                        );
                    }
                }
                None => {
                    // `required: true` on a property is JSON Schema draft 3, not OpenAPI.
                    self.diags.warning(
                        &child(ptr, "required"),
                        "`required` must be an array of property names; ignored",
                    );
                    obj.remove("required");
                }
            }
        }
        if let Some(pattern_props) = obj.remove("patternProperties") {
            match pattern_props {
                Value::Object(m) if !obj.contains_key("additionalProperties") && !m.is_empty() => {
                    self.diags.warning(&child(ptr, "patternProperties"), "`patternProperties` is read as `additionalProperties` (keys are not checked)");
                    let mut members: Vec<Value> = m.into_iter().map(|(_, s)| s).collect();
                    let value = if members.len() == 1 {
                        members.pop().unwrap_or_else(|| json!({}))
                    } else {
                        json!({ "anyOf": members })
                    };
                    obj.insert("additionalProperties".into(), value);
                }
                _ => self.diags.warning(
                    &child(ptr, "patternProperties"),
                    "`patternProperties` is not supported; ignored",
                ),
            }
        }
        if let Some(ap) = obj.get_mut("additionalProperties") {
            match ap {
                Value::Bool(_) => {}
                Value::Object(_) => self.schema(ap, &child(ptr, "additionalProperties")),
                other => {
                    self.diags.warning(&child(ptr, "additionalProperties"), format!("`additionalProperties` must be a schema or a boolean, found {}; ignored", kind(other)));
                    obj.remove("additionalProperties");
                }
            }
        }
        if obj.remove("prefixItems").is_some() {
            self.diags.warning(&child(ptr, "prefixItems"), "tuple schemas (`prefixItems`) are not supported; the items are read as any JSON value");
            obj.insert("items".into(), json!({}));
        }
        if let Some(items) = obj.get_mut("items") {
            let found = kind(items);
            match &*items {
                Value::Object(_) => self.schema(items, &child(ptr, "items")),
                Value::Bool(_) => *items = json!({}),
                Value::Array(_) => {
                    self.diags.warning(&child(ptr, "items"), "tuple schemas (`items` as an array) are not supported; the items are read as any JSON value");
                    *items = json!({});
                }
                _ => {
                    self.diags.warning(
                        &child(ptr, "items"),
                        format!("`items` must be a schema, found {found}; read as any JSON value"),
                    );
                    *items = json!({});
                }
            }
        }
        for key in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = obj.get_mut(key) {
                for (name, s) in defs.iter_mut() {
                    self.schema(s, &child(&child(ptr, key), name));
                }
            } else {
                obj.remove(key);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = obj.get_mut(key) {
                match list.as_array_mut() {
                    Some(members) if !members.is_empty() => {
                        for (i, m) in members.iter_mut().enumerate() {
                            self.schema(m, &child(&child(ptr, key), &i.to_string()));
                        }
                    }
                    Some(_) => {
                        self.diags
                            .warning(&child(ptr, key), format!("`{key}` is empty; ignored"));
                        obj.remove(key);
                    }
                    None => {
                        self.diags.warning(
                            &child(ptr, key),
                            format!("`{key}` must be an array of schemas; ignored"),
                        );
                        obj.remove(key);
                    }
                }
            }
        }
        if let Some(d) = obj.get("discriminator") {
            let clean = self.discriminator(d, &child(ptr, "discriminator"));
            match clean {
                Some(d) => {
                    obj.insert("discriminator".into(), d);
                }
                None => {
                    obj.remove("discriminator");
                }
            }
        }

        // `{type: "null"}` members of a union → nullable on the union.
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = obj.get_mut(key) else {
                continue;
            };
            let before = members.len();
            members.retain(|m| !is_null_schema(m));
            let removed = before != members.len();
            let remaining = members.len();
            if removed {
                obj.insert("nullable".into(), Value::Bool(true));
            }
            if remaining == 0 {
                obj.remove(key);
            } else if remaining == 1 && !obj.contains_key("discriminator") {
                let member = obj
                    .remove(key)
                    .and_then(|m| m.as_array().and_then(|a| a.first().cloned()))
                    .unwrap_or_else(|| json!({}));
                match obj.get_mut("allOf") {
                    Some(Value::Array(all)) => all.push(member),
                    _ => {
                        obj.insert("allOf".into(), Value::Array(vec![member]));
                    }
                }
            }
        }

        match types {
            Types::Unset => {}
            Types::One(t) => {
                obj.insert("type".into(), Value::String(t));
            }
            Types::Many(list) => self.split_types(obj, list, ptr),
        }

        // Missing `type` where the keywords say what it is.
        if !obj.contains_key("type")
            && !["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| obj.contains_key(*k))
        {
            if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
                obj.insert("type".into(), json!("object"));
            } else if obj.contains_key("items") {
                obj.insert("type".into(), json!("array"));
            } else if let Some(Value::Array(values)) = obj.get("enum") {
                let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
                let t = if non_null.iter().all(|v| v.is_string()) {
                    Some("string")
                } else if non_null.iter().all(|v| v.is_i64() || v.is_u64()) {
                    Some("integer")
                } else if non_null.iter().all(|v| v.is_number()) {
                    Some("number")
                } else if non_null.iter().all(|v| v.is_boolean()) {
                    Some("boolean")
                } else {
                    None
                };
                if let Some(t) = t {
                    obj.insert("type".into(), json!(t));
                }
            }
        }
        if obj.get("type").and_then(Value::as_str) == Some("array") && !obj.contains_key("items") {
            obj.insert("items".into(), json!({}));
        }
    }

    /// A schema with `$ref`. Returns true when it is a plain reference (done), false when its
    /// siblings were kept as `allOf: [{$ref}]` + siblings and the caller must go on.
    fn schema_ref(&mut self, obj: &mut Map<String, Value>, ptr: &str) -> bool {
        let reference = match obj.remove("$ref") {
            Some(Value::String(r)) => r,
            Some(other) => {
                self.diags.error(
                    &child(ptr, "$ref"),
                    format!("`$ref` must be a string, found {}", kind(&other)),
                );
                return false;
            }
            None => return false,
        };
        // A 3.1 sibling `type: [..., "null"]` only adds nullability to the reference.
        if let Some(t) = obj.remove("type") {
            let has_null = match &t {
                Value::Array(list) => list.iter().any(|x| x.as_str() == Some("null")),
                Value::String(s) => s == "null",
                _ => false,
            };
            if has_null {
                obj.insert("nullable".into(), Value::Bool(true));
            }
        }
        obj.retain(|k, _| !k.starts_with("x-") || k.starts_with("x-apigen"));
        if obj.is_empty() {
            obj.insert("$ref".into(), Value::String(reference));
            return true;
        }
        let member = json!({ "$ref": reference });
        match obj.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, member),
            _ => {
                obj.insert("allOf".into(), Value::Array(vec![member]));
            }
        }
        false
    }

    fn schema_types(&mut self, obj: &mut Map<String, Value>, ptr: &str) -> Types {
        let Some(t) = obj.remove("type") else {
            return Types::Unset;
        };
        let p = child(ptr, "type");
        let mut list: Vec<String> = Vec::new();
        match t {
            Value::String(s) => list.push(s),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::String(s) => {
                            if !list.contains(&s) {
                                list.push(s);
                            }
                        }
                        other => self.diags.warning(
                            &p,
                            format!(
                                "type names must be strings, found {}; ignored",
                                kind(&other)
                            ),
                        ),
                    }
                }
            }
            other => {
                self.diags.warning(
                    &p,
                    format!(
                        "`type` must be a string or an array, found {}; ignored",
                        kind(&other)
                    ),
                );
                return Types::Unset;
            }
        }
        let mut out = Vec::new();
        let mut null = false;
        for t in list {
            match t.as_str() {
                "null" => null = true,
                "string" | "number" | "integer" | "boolean" | "object" | "array" => out.push(t),
                "file" => {
                    obj.insert("format".into(), json!("binary"));
                    out.push("string".to_owned());
                }
                "int" | "long" => {
                    self.diags.warning(
                        &p,
                        format!("`{t}` is not a JSON Schema type; read as `integer`"),
                    );
                    out.push("integer".to_owned());
                }
                "float" | "double" => {
                    self.diags.warning(
                        &p,
                        format!("`{t}` is not a JSON Schema type; read as `number`"),
                    );
                    out.push("number".to_owned());
                }
                "bool" => {
                    self.diags
                        .warning(&p, "`bool` is not a JSON Schema type; read as `boolean`");
                    out.push("boolean".to_owned());
                }
                "any" => {}
                other => self.diags.warning(
                    &p,
                    format!("unknown type `{other}`; read as any JSON value"),
                ),
            }
        }
        out.dedup();
        if null {
            obj.insert("nullable".into(), Value::Bool(true));
            if out.is_empty() {
                obj.insert("x-apigen-null".into(), Value::Bool(true));
            }
        }
        match out.len() {
            0 => Types::Unset,
            1 => Types::One(out.remove(0)),
            _ => Types::Many(out),
        }
    }

    /// `type: [A, B]` → `anyOf: [{type: A, <A's keywords>}, {type: B, <B's keywords>}]`.
    fn split_types(&mut self, obj: &mut Map<String, Value>, types: Vec<String>, ptr: &str) {
        if ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| obj.contains_key(*k))
        {
            let first = types.first().cloned().unwrap_or_default();
            self.diags.warning(
                &child(ptr, "type"),
                format!("several types together with allOf/oneOf/anyOf are not supported; `{first}` is used"),
            );
            obj.insert("type".into(), Value::String(first));
            return;
        }
        // integer and number together: integer values are numbers.
        let types: Vec<String> = if types.iter().any(|t| t == "number") {
            types.into_iter().filter(|t| t != "integer").collect()
        } else {
            types
        };
        if let [only] = types.as_slice() {
            obj.insert("type".into(), Value::String(only.clone()));
            return;
        }
        let enum_values = obj.remove("enum");
        let mut members: Vec<Value> = Vec::new();
        let keys: Vec<String> = obj.keys().cloned().collect();
        let mut moved: Vec<(String, Value, &'static str)> = Vec::new();
        for k in keys {
            let t = obj.get(&k).and_then(|v| keyword_type(&k, v));
            if let Some(t) = t
                && let Some(v) = obj.remove(&k)
            {
                moved.push((k, v, t));
            }
        }
        for t in &types {
            let family = if t == "integer" { "number" } else { t.as_str() };
            let mut m = Map::new();
            m.insert("type".into(), Value::String(t.clone()));
            for (k, v, kt) in &moved {
                if *kt == family {
                    m.insert(k.clone(), v.clone());
                }
            }
            if let Some(Value::Array(values)) = &enum_values {
                let mine: Vec<Value> = values
                    .iter()
                    .filter(|v| match t.as_str() {
                        "string" => v.is_string(),
                        "integer" => v.is_i64() || v.is_u64(),
                        "number" => v.is_number(),
                        "boolean" => v.is_boolean(),
                        _ => false,
                    })
                    .cloned()
                    .collect();
                if !mine.is_empty() {
                    m.insert("enum".into(), Value::Array(mine));
                }
            }
            members.push(Value::Object(m));
        }
        obj.insert("anyOf".into(), Value::Array(members));
    }

    fn discriminator(&mut self, d: &Value, ptr: &str) -> Option<Value> {
        let Some(name) = d.get("propertyName").and_then(Value::as_str) else {
            self.diags.warning(
                ptr,
                "discriminator without a `propertyName` string; ignored",
            );
            return None;
        };
        let mut out = Map::new();
        out.insert("propertyName".into(), Value::String(name.to_owned()));
        if let Some(m) = d.get("mapping") {
            let mut mapping = Map::new();
            match m.as_object() {
                Some(m) => {
                    for (k, v) in m {
                        match v.as_str() {
                            Some(s) => {
                                mapping.insert(k.clone(), Value::String(s.to_owned()));
                            }
                            None => self.diags.warning(
                                &child(&child(ptr, "mapping"), k),
                                "mapping values must be strings; ignored",
                            ),
                        }
                    }
                }
                None => self.diags.warning(
                    &child(ptr, "mapping"),
                    "`mapping` must be an object; ignored",
                ),
            }
            out.insert("mapping".into(), Value::Object(mapping));
        }
        Some(Value::Object(out))
    }
}

enum Types {
    Unset,
    One(String),
    Many(Vec<String>),
}

/// Whether a normalized schema only allows `null`.
fn is_null_schema(v: &Value) -> bool {
    v.get("x-apigen-null") == Some(&Value::Bool(true))
}

/// `"200"`, `200`, `"2xx"`, `"default"` → canonical key (`"200"`, `"2XX"`, `"default"`).
fn status_key(key: &str) -> Option<String> {
    if key == "default" {
        return Some(key.to_owned());
    }
    let bytes = key.as_bytes();
    if bytes.len() != 3 {
        return None;
    }
    let upper = key.to_ascii_uppercase();
    if upper.bytes().all(|b| b.is_ascii_digit()) {
        let n: u16 = upper.parse().ok()?;
        return (100..=999).contains(&n).then_some(upper);
    }
    let first = upper.as_bytes().first().copied()?;
    if first.is_ascii_digit() && first != b'0' && upper.ends_with("XX") {
        return Some(upper);
    }
    None
}

/// Whether `name` is an HTTP header name (an RFC 9110 token).
pub(crate) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize_schema(v: Value) -> (Value, Vec<String>) {
        let mut d = Diagnostics::default();
        let mut v = v;
        Normalizer {
            diags: &mut d,
            response_headers: vec![],
        }
        .schema(&mut v, "#/s");
        let (e, w) = d.into_parts();
        (v, e.into_iter().chain(w).map(|d| d.to_string()).collect())
    }

    #[test]
    fn percent_escapes_are_two_hex_digits() {
        assert_eq!(percent_decode("/a%20b/%7e"), "/a b/~");
        // Not escapes: a sign, one digit, a non-digit, the end of the text.
        assert_eq!(percent_decode("%+1%-1x"), "%+1%-1x");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz%"), "%zz%");
        // Bytes that are not UTF-8 leave the text as it is.
        assert_eq!(percent_decode("%ff"), "%ff");
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        let (v, _) = normalize_schema(json!({"type": ["string", "null"], "format": "uuid"}));
        assert_eq!(
            v,
            json!({"format": "uuid", "nullable": true, "type": "string"})
        );
    }

    #[test]
    fn several_types_become_any_of_with_their_keywords() {
        let (v, _) = normalize_schema(
            json!({"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 1, "description": "d"}),
        );
        assert_eq!(
            v,
            json!({"description": "d", "nullable": true, "anyOf": [
                {"type": "string", "maxLength": 3},
                {"type": "integer", "minimum": 1}
            ]})
        );
    }

    #[test]
    fn null_member_of_one_of_makes_the_union_nullable() {
        let (v, _) = normalize_schema(
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}),
        );
        assert_eq!(
            v,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn ref_siblings_are_kept_through_all_of() {
        let (v, _) = normalize_schema(
            json!({"$ref": "#/components/schemas/A", "description": "d", "x-nullable": true, "example": 1}),
        );
        assert_eq!(
            v,
            json!({"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let (v, _) = normalize_schema(json!({"$ref": "#/components/schemas/A", "example": 1}));
        assert_eq!(v, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn const_exclusive_bounds_and_sloppiness() {
        let (v, _) = normalize_schema(json!({"const": "cat"}));
        assert_eq!(v, json!({"enum": ["cat"], "type": "string"}));
        let (v, _) = normalize_schema(
            json!({"type": "integer", "exclusiveMinimum": 0, "format": "integer"}),
        );
        assert_eq!(
            v,
            json!({"exclusiveMinimum": true, "minimum": 0, "type": "integer"})
        );
        let (v, _) = normalize_schema(json!({"properties": {"a": {"items": {"type": "string"}}}}));
        assert_eq!(
            v,
            json!({"properties": {"a": {"items": {"type": "string"}, "type": "array"}}, "type": "object"})
        );
    }

    #[test]
    fn wrong_keyword_types_are_reported_with_their_pointer_and_removed() {
        let (v, msgs) = normalize_schema(
            json!({"type": "object", "required": "yes", "minLength": -1, "properties": {"a": 5}}),
        );
        assert_eq!(v, json!({"type": "object", "properties": {"a": {}}}));
        assert!(
            msgs.contains(
                &"warning: #/s/required: `required` must be an array of property names; ignored"
                    .to_owned()
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(
                &"warning: #/s/minLength: `minLength` must be a non-negative integer; ignored"
                    .to_owned()
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(
                &"error: #/s/properties/a: a schema must be an object, found a number".to_owned()
            ),
            "{msgs:?}"
        );
    }

    #[test]
    fn status_keys() {
        assert_eq!(status_key("200").as_deref(), Some("200"));
        assert_eq!(status_key("2xx").as_deref(), Some("2XX"));
        assert_eq!(status_key("default").as_deref(), Some("default"));
        assert_eq!(status_key("20"), None);
        assert_eq!(status_key("0XX"), None);
        assert_eq!(status_key("abc"), None);
    }

    #[test]
    fn refs() {
        assert_eq!(
            local_ref_pointer("#/components/schemas/A%20B").as_deref(),
            Ok("/components/schemas/A B")
        );
        assert!(local_ref_pointer("#").is_err());
        assert!(local_ref_pointer("other.yaml#/x").is_err());
        assert!(local_ref_pointer("#anchor").is_err());
    }
}
