//! [`Converter`]: schemas → the type arena (see the module docs of `types`): the walk,
//! memoization, scalars and enums here; objects and `allOf` in `objects`, unions in `unions`.

mod objects;
mod unions;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use openapiv3::{ReferenceOr, Schema, SchemaData};
use serde_json::Value;

use crate::diagnostics::{Diagnostics, child};
use crate::model::{EnumVariant, Hint, Kind, Prim, StrEnum, TypeDef, TypeId, Types};
use crate::naming::{self, Scope};
use crate::read::{Document, fragment, local_ref_pointer, value_pointer};

use super::shape::canon;
use super::view::{SRef, View, component_name};

/// Deepest nesting of schema conversions (through properties, items and `$ref`s).
pub(crate) const MAX_DEPTH: usize = 96;

/// A `$ref` target: borrowed from the document's components, or deserialized from elsewhere.
#[derive(Clone)]
enum Loaded<'a> {
    Doc(&'a ReferenceOr<Schema>),
    Owned(Rc<ReferenceOr<Schema>>),
}

impl std::ops::Deref for Loaded<'_> {
    type Target = ReferenceOr<Schema>;

    fn deref(&self) -> &ReferenceOr<Schema> {
        match self {
            Loaded::Doc(s) => s,
            Loaded::Owned(rc) => rc,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum AnonKey {
    Prim(Prim),
    Vec(TypeId),
    Map(TypeId),
    Option(TypeId),
}

#[derive(Debug)]
enum Memo {
    InProgress {
        placeholder: Option<TypeId>,
        hint: Hint,
        nullable: bool,
    },
    Done(TypeId),
}

pub(crate) struct Converter<'a> {
    doc: &'a Document,
    pub(crate) diags: &'a mut Diagnostics,
    pub(crate) types: Types,
    anon: HashMap<AnonKey, TypeId>,
    memo: HashMap<String, Memo>,
    shapes: HashMap<String, TypeId>,
    loaded: HashMap<String, Rc<ReferenceOr<Schema>>>,
    depth: usize,
}

impl<'a> Converter<'a> {
    pub(crate) fn new(doc: &'a Document, diags: &'a mut Diagnostics) -> Self {
        Converter {
            doc,
            diags,
            types: Types::default(),
            anon: HashMap::new(),
            memo: HashMap::new(),
            shapes: HashMap::new(),
            loaded: HashMap::new(),
            depth: 0,
        }
    }

    pub(crate) fn intern(&mut self, kind: Kind) -> TypeId {
        let key = match &kind {
            Kind::Prim(p) => AnonKey::Prim(*p),
            Kind::Vec(t) => AnonKey::Vec(*t),
            Kind::Map(t) => AnonKey::Map(*t),
            Kind::Option(t) => AnonKey::Option(*t),
            _ => return self.alloc(kind, None, String::new()),
        };
        if let Some(id) = self.anon.get(&key) {
            return *id;
        }
        let id = self.alloc(kind, None, String::new());
        self.anon.insert(key, id);
        id
    }

    pub(crate) fn prim(&mut self, p: Prim) -> TypeId {
        self.intern(Kind::Prim(p))
    }

    pub(crate) fn json(&mut self) -> TypeId {
        self.prim(Prim::Json)
    }

    /// `Option<t>`, unless `t` already admits null.
    pub(crate) fn nullable(&mut self, t: TypeId) -> TypeId {
        let r = self.types.resolve(t);
        match self.types.kind(r) {
            Kind::Prim(Prim::Json) | Kind::Option(_) => t,
            _ => self.intern(Kind::Option(t)),
        }
    }

    pub(crate) fn alloc(&mut self, kind: Kind, hint: Option<Hint>, origin: String) -> TypeId {
        let id = TypeId(self.types.defs.len());
        self.types.defs.push(TypeDef {
            kind,
            name: String::new(),
            hints: hint.into_iter().collect(),
            title: None,
            origin,
            docs: None,
            deprecated: false,
        });
        id
    }

    fn set_kind(&mut self, id: TypeId, kind: Kind) {
        if let Some(d) = self.types.defs.get_mut(id.0) {
            d.kind = kind;
        }
    }

    fn add_hint(&mut self, id: TypeId, hint: Hint) {
        if let Some(d) = self.types.defs.get_mut(id.0)
            && !d.hints.contains(&hint)
        {
            d.hints.push(hint);
        }
    }

    /// Converts every component schema, in document order, and records an alias for each
    /// component whose name is not carried by a type of its own.
    pub(crate) fn convert_components(&mut self) {
        let doc = self.doc;
        let Some(components) = doc.api.components.as_ref() else {
            return;
        };
        let mut results = Vec::new();
        for (name, schema) in &components.schemas {
            let ptr = child("#/components/schemas", name);
            let id = self.convert(SRef::from(schema), &ptr, Hint::Component(name.clone()));
            results.push((name.clone(), ptr, id, schema));
        }
        for (name, ptr, id, schema) in results {
            let (inner, _) = self.types.strip_option(id);
            let owns_name = self.types.get(inner).is_some_and(|d| {
                d.kind.is_named()
                    && d.hints.iter().find_map(|h| match h {
                        Hint::Component(c) => Some(c),
                        _ => None,
                    }) == Some(&name)
            });
            if owns_name {
                continue;
            }
            let alias = self.alloc(Kind::ComponentAlias(id), Some(Hint::Component(name)), ptr);
            if let ReferenceOr::Item(s) = schema
                && let Some(d) = self.types.defs.get_mut(alias.0)
            {
                d.docs = s.schema_data.description.clone();
                d.deprecated = s.schema_data.deprecated;
            }
        }
    }

    /// Loads the schema a local pointer (`/components/schemas/A`) points to: components are
    /// borrowed from the document, other targets deserialized once and shared.
    fn load(&mut self, pointer: &str) -> Result<Loaded<'a>, String> {
        let doc = self.doc;
        if let Some(name) = component_name(pointer)
            && let Some(s) = doc
                .api
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(&name))
        {
            return Ok(Loaded::Doc(s));
        }
        if let Some(rc) = self.loaded.get(pointer) {
            return Ok(Loaded::Owned(rc.clone()));
        }
        let Some(node) = doc.value.pointer(pointer) else {
            return Err(format!("reference target `#{pointer}` does not exist"));
        };
        if !node.is_object() {
            return Err(format!("reference target `#{pointer}` is not a schema"));
        }
        let schema: ReferenceOr<Schema> = serde_json::from_value(node.clone())
            .map_err(|e| format!("reference target `#{pointer}` is not a valid schema: {e}"))?;
        let rc = Rc::new(schema);
        self.loaded.insert(pointer.to_owned(), rc.clone());
        Ok(Loaded::Owned(rc))
    }

    /// Converts a schema or reference found at `ptr`.
    pub(crate) fn convert(&mut self, s: SRef<'_>, ptr: &str, hint: Hint) -> TypeId {
        let (key, hint, loaded) = match s {
            SRef::Ref(r) => {
                let pointer = match local_ref_pointer(r) {
                    Ok(p) => p,
                    Err(msg) => {
                        self.diags.error(ptr, msg);
                        return self.json();
                    }
                };
                let key = fragment(&pointer);
                let hint = match component_name(&pointer) {
                    Some(name) => Hint::Component(name),
                    None => hint,
                };
                if !self.memo.contains_key(&key) {
                    match self.load(&pointer) {
                        Ok(rc) => (key, hint, Some(rc)),
                        Err(msg) => {
                            self.diags.error(ptr, msg);
                            let j = self.json();
                            self.memo.insert(key, Memo::Done(j));
                            return j;
                        }
                    }
                } else {
                    (key, hint, None)
                }
            }
            SRef::Item(_) => (ptr.to_owned(), hint, None),
        };
        match self.memo.get_mut(&key) {
            Some(Memo::Done(id)) => return *id,
            Some(Memo::InProgress {
                placeholder,
                hint,
                nullable,
            }) => {
                let nullable = *nullable;
                let p = match placeholder {
                    Some(p) => *p,
                    None => {
                        let h = hint.clone();
                        let id = TypeId(self.types.defs.len());
                        *placeholder = Some(id);
                        self.alloc(Kind::Pending, Some(h), key.clone())
                    }
                };
                return if nullable {
                    self.intern(Kind::Option(p))
                } else {
                    p
                };
            }
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            self.diags.error(
                ptr,
                format!("schemas nest more than {MAX_DEPTH} levels deep (through properties, items and references)"),
            );
            return self.json();
        }
        let nullable = match (&loaded, s) {
            (Some(rc), _) => matches!(&**rc, ReferenceOr::Item(s) if s.schema_data.nullable),
            (None, SRef::Item(schema)) => schema.schema_data.nullable,
            (None, SRef::Ref(_)) => false,
        };
        self.memo.insert(
            key.clone(),
            Memo::InProgress {
                placeholder: None,
                hint: hint.clone(),
                nullable,
            },
        );
        self.depth += 1;
        let result = match (&loaded, s) {
            (Some(rc), _) => match &**rc {
                ReferenceOr::Reference { reference } => {
                    self.convert(SRef::Ref(reference), &key, hint)
                }
                ReferenceOr::Item(schema) => self.convert_item(schema, &key, hint),
            },
            (None, SRef::Item(schema)) => self.convert_item(schema, &key, hint),
            (None, SRef::Ref(_)) => self.json(),
        };
        self.depth -= 1;
        self.finish(&key, result, ptr)
    }

    fn finish(&mut self, key: &str, result: TypeId, at: &str) -> TypeId {
        let placeholder = match self.memo.remove(key) {
            Some(Memo::InProgress { placeholder, .. }) => placeholder,
            _ => None,
        };
        let mut result = result;
        if let Some(p) = placeholder
            && matches!(self.types.kind(p), Kind::Pending)
        {
            let resolved = self.types.resolve(result);
            let (stripped, _) = self.types.strip_option(result);
            if resolved == p || stripped == p || matches!(self.types.kind(resolved), Kind::Pending)
            {
                self.diags.error(
                    at,
                    format!("`{key}` refers to itself without any object or array in between; it is read as any JSON value"),
                );
                self.set_kind(p, Kind::Prim(Prim::Json));
                result = p;
            } else if self.types.kind(resolved).is_named() {
                self.set_kind(p, Kind::Alias(result));
            } else {
                self.set_kind(
                    p,
                    Kind::Newtype {
                        inner: result,
                        boxed: false,
                    },
                );
                result = p;
            }
        }
        self.memo.insert(key.to_owned(), Memo::Done(result));
        result
    }

    /// Allocates the id of the named type being made for the schema at `ptr` (reusing the
    /// placeholder a recursive reference may already have taken).
    fn claim_named(&mut self, ptr: &str, hint: &Hint, data: &SchemaData) -> TypeId {
        let existing = match self.memo.get(ptr) {
            Some(Memo::InProgress {
                placeholder: Some(p),
                ..
            }) if matches!(self.types.kind(*p), Kind::Pending) => Some(*p),
            _ => None,
        };
        let id = match existing {
            Some(p) => {
                self.add_hint(p, hint.clone());
                p
            }
            None => {
                let id = self.alloc(Kind::Pending, Some(hint.clone()), ptr.to_owned());
                if let Some(Memo::InProgress { placeholder, .. }) = self.memo.get_mut(ptr) {
                    *placeholder = Some(id);
                }
                id
            }
        };
        if let Some(d) = self.types.defs.get_mut(id.0) {
            d.docs = data.description.clone().filter(|s| !s.trim().is_empty());
            d.deprecated = data.deprecated;
            d.title = data.title.clone();
            d.origin = ptr.to_owned();
        }
        id
    }

    /// The structural key of the schema at `ptr`, or `None` if it has no node in the document.
    fn shape_key(&self, ptr: &str) -> Option<String> {
        let node = self.doc.value.pointer(value_pointer(ptr))?;
        let mut key = String::with_capacity(256);
        canon(node, true, &mut key);
        Some(key)
    }

    /// The id of a new named type for the schema at `ptr`, registered under its shape; or
    /// `Err` with the existing type of the same shape (which gets `hint`), to use instead.
    fn named_by_shape(
        &mut self,
        ptr: &str,
        hint: &Hint,
        data: &SchemaData,
    ) -> Result<TypeId, TypeId> {
        let key = self.shape_key(ptr);
        if let Some(id) = self.reuse_shape(key.as_ref(), hint) {
            return Err(id);
        }
        let id = self.claim_named(ptr, hint, data);
        if let Some(k) = key {
            self.shapes.insert(k, id);
        }
        Ok(id)
    }

    /// Looks up an existing type of the same shape; on a hit adds `hint` to it.
    fn reuse_shape(&mut self, key: Option<&String>, hint: &Hint) -> Option<TypeId> {
        let id = *self.shapes.get(key?)?;
        self.add_hint(id, hint.clone());
        Some(id)
    }

    fn convert_item(&mut self, schema: &Schema, ptr: &str, hint: Hint) -> TypeId {
        let view = View::of(schema);
        let base = self.convert_base(&view, ptr, &hint);
        if schema.schema_data.nullable {
            self.nullable(base)
        } else {
            base
        }
    }

    fn convert_base(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        if v.data.extensions.get("x-apigen-null") == Some(&Value::Bool(true)) {
            return self.json();
        }
        let has_union = !v.one_of.is_empty() || !v.any_of.is_empty();
        if !v.all_of.is_empty() || (has_union && (v.has_properties() || v.has_additional_schema()))
        {
            return self.convert_all_of(v, ptr, hint);
        }
        if has_union {
            return self.convert_union(v, ptr, hint);
        }
        let typ = match v.typ {
            Some(t) => t,
            None if v.has_properties() || v.additional.is_some() => "object",
            None if v.items.is_some() => "array",
            None => return self.json(),
        };
        match typ {
            "string" => self.convert_string(v, ptr, hint),
            "integer" => {
                let p = match v.format.as_deref() {
                    None | Some("int64") | Some("integer") => Prim::I64,
                    Some("int32") => Prim::I32,
                    Some("int16") => Prim::I16,
                    Some("int8") => Prim::I8,
                    Some("uint64") => Prim::U64,
                    Some("uint32") => Prim::U32,
                    Some("uint16") => Prim::U16,
                    Some("uint8") => Prim::U8,
                    Some(other) => {
                        self.unknown_format(other, ptr);
                        Prim::I64
                    }
                };
                self.prim(p)
            }
            "number" => {
                let p = match v.format.as_deref() {
                    Some("float") => Prim::F32,
                    None | Some("double") => Prim::F64,
                    Some(f @ ("int32" | "int64" | "decimal" | "number")) => {
                        let _ = f;
                        Prim::F64
                    }
                    Some(other) => {
                        self.unknown_format(other, ptr);
                        Prim::F64
                    }
                };
                self.prim(p)
            }
            "boolean" => self.prim(Prim::Bool),
            "array" => {
                let item_hint = naming::child_hint(hint, |p| {
                    if p.is_empty() {
                        "Item".to_owned()
                    } else {
                        naming::singular(p)
                    }
                });
                let items = match v.items {
                    Some(i) => self.convert(i.into(), &child(ptr, "items"), item_hint),
                    None => self.json(),
                };
                self.intern(Kind::Vec(items))
            }
            "object" => self.convert_object(v, ptr, hint),
            _ => self.json(),
        }
    }

    fn unknown_format(&mut self, format: &str, ptr: &str) {
        const KNOWN: &[&str] = &[
            "password",
            "byte",
            "binary",
            "email",
            "idn-email",
            "hostname",
            "idn-hostname",
            "ipv4",
            "ipv6",
            "uri-reference",
            "iri",
            "iri-reference",
            "uri-template",
            "json-pointer",
            "relative-json-pointer",
            "regex",
            "time",
            "duration",
            "date-time",
            "date",
            "uuid",
            "uri",
            "url",
        ];
        if !KNOWN.contains(&format) {
            self.diags.warning_once(
                &format!("format:{format}"),
                ptr,
                format!("unknown format `{format}`; the base type is used (reported once)"),
            );
        }
    }

    fn convert_string(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        if v.enumeration.iter().any(|e| !e.is_null()) {
            return self.convert_enum(v, ptr, hint);
        }
        let p = match v.format.as_deref() {
            Some("date-time") => Prim::DateTime,
            Some("date") => Prim::Date,
            Some("uuid") => Prim::Uuid,
            // A link is kept as the server sent it: servers put relative references (and
            // worse) in members their documents call `uri`.
            Some("uri" | "url" | "uri-reference") => Prim::Uri,
            Some(other) => {
                self.unknown_format(other, ptr);
                Prim::String
            }
            None => Prim::String,
        };
        self.prim(p)
    }

    fn convert_enum(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        let id = match self.named_by_shape(ptr, hint, v.data) {
            Ok(id) => id,
            Err(same_shape) => return same_shape,
        };
        let mut seen = HashSet::new();
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for value in &v.enumeration {
            let wire = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => {
                    self.diags.warning(
                        &child(ptr, "enum"),
                        format!("non-string value {other} in a string enum; read as the string \"{other}\""),
                    );
                    other.to_string()
                }
            };
            if !seen.insert(wire.clone()) {
                continue;
            }
            let name = scope.claim(&naming::variant_name(&wire));
            variants.push(EnumVariant { wire, name });
        }
        let unknown = naming::unknown_variant(&mut scope);
        self.set_kind(id, Kind::Enum(StrEnum { variants, unknown }));
        id
    }
}
