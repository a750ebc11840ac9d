//! [`Converter`]: schemas → the type arena (see the module docs of `types`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind};
use serde_json::Value;

use crate::diagnostics::{Diagnostics, child};
use crate::model::{
    EnumVariant, Field, Hint, Kind, Prim, StrEnum, Struct, Tag, TypeDef, TypeId, Types, Union,
    UnionVariant,
};
use crate::naming::{self, Scope};
use crate::read::{Document, fragment, local_ref_pointer, value_pointer};

use super::shape::canon;
use super::view::{
    SRef, View, aliases_of, component_name, is_structural, last_token, schema_of_view,
};

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
            Some("uri" | "url") => Prim::Url,
            Some(other) => {
                self.unknown_format(other, ptr);
                Prim::String
            }
            None => Prim::String,
        };
        self.prim(p)
    }

    fn convert_enum(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        let key = self.shape_key(ptr);
        if let Some(id) = self.reuse_shape(key.as_ref(), hint) {
            return id;
        }
        let id = self.claim_named(ptr, hint, v.data);
        if let Some(k) = key {
            self.shapes.insert(k, id);
        }
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
        let unknown = scope.claim_first(&[
            "Unknown".to_owned(),
            "UnknownValue".to_owned(),
            "Other".to_owned(),
        ]);
        self.set_kind(id, Kind::Enum(StrEnum { variants, unknown }));
        id
    }

    fn convert_object(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        let additional = match v.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let s: SRef<'_> = (&**s).into();
                if is_structural(s) { Some(s) } else { None }
            }
            _ => None,
        };
        if !v.has_properties() {
            return match additional {
                Some(add) => {
                    let h = naming::child_hint(hint, |p| format!("{}Value", naming::singular(p)));
                    let t = self.convert(add, &child(ptr, "additionalProperties"), h);
                    self.intern(Kind::Map(t))
                }
                None => self.prim(Prim::JsonObject),
            };
        }
        let key = self.shape_key(ptr);
        if let Some(id) = self.reuse_shape(key.as_ref(), hint) {
            return id;
        }
        let id = self.claim_named(ptr, hint, v.data);
        if let Some(k) = key {
            self.shapes.insert(k, id);
        }
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        let aliases = aliases_of(v);
        if let Some(props) = v.properties {
            for (name, prop) in props {
                let p = child(&child(ptr, "properties"), name);
                let mut field = self.field(
                    id,
                    name,
                    prop.into(),
                    &p,
                    v.required.contains(name),
                    &mut scope,
                );
                field.aliases = aliases.get(name).cloned().unwrap_or_default();
                fields.push(field);
            }
        }
        if let Some(add) = additional {
            fields.push(self.additional_field(
                id,
                add,
                &child(ptr, "additionalProperties"),
                &mut scope,
            ));
        }
        self.set_kind(id, Kind::Struct(Struct { fields }));
        id
    }

    fn field(
        &mut self,
        parent: TypeId,
        wire: &str,
        s: SRef<'_>,
        ptr: &str,
        required: bool,
        scope: &mut Scope,
    ) -> Field {
        let part = naming::pascal(wire);
        let ty = self.convert(s, ptr, Hint::Child { parent, part });
        let (mut docs, deprecated) = match s {
            SRef::Item(schema) => (
                schema.schema_data.description.clone(),
                schema.schema_data.deprecated,
            ),
            SRef::Ref(_) => (None, false),
        };
        // Numeric and boolean enums stay plain scalars; their values are documented.
        if let SRef::Item(schema) = s {
            let v = View::of(schema);
            if matches!(v.typ, Some("integer" | "number" | "boolean"))
                && v.enumeration.iter().any(|e| !e.is_null())
            {
                let values: Vec<String> = v
                    .enumeration
                    .iter()
                    .filter(|e| !e.is_null())
                    .map(|e| format!("`{e}`"))
                    .collect();
                let line = format!("Allowed values: {}.", values.join(", "));
                docs = Some(match docs {
                    Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
                    _ => line,
                });
            }
        }
        Field {
            wire: wire.to_owned(),
            aliases: Vec::new(),
            name: scope.claim(&naming::value_name(wire)),
            ty,
            required,
            flatten: false,
            boxed: false,
            docs,
            deprecated,
        }
    }

    fn additional_field(
        &mut self,
        parent: TypeId,
        s: SRef<'_>,
        ptr: &str,
        scope: &mut Scope,
    ) -> Field {
        let value = self.convert(
            s,
            ptr,
            Hint::Child {
                parent,
                part: "Value".to_owned(),
            },
        );
        let ty = self.intern(Kind::Map(value));
        Field {
            wire: String::new(),
            aliases: Vec::new(),
            name: scope.claim("additional_properties"),
            ty,
            required: true,
            flatten: true,
            boxed: false,
            docs: Some("Properties not declared above.".to_owned()),
            deprecated: false,
        }
    }

    // ---- unions ----------------------------------------------------------------------------

    fn convert_union(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        let (members, keyword) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        if !v.one_of.is_empty() && !v.any_of.is_empty() {
            self.diags
                .warning(ptr, "both `oneOf` and `anyOf`; `anyOf` is ignored");
        }
        let key = self.shape_key(ptr);
        if let Some(id) = self.reuse_shape(key.as_ref(), hint) {
            return id;
        }
        let id = self.claim_named(ptr, hint, v.data);
        if let Some(k) = key {
            self.shapes.insert(k, id);
        }
        let parts = naming::member_names(&self.member_facts(members));
        let mut converted: Vec<(String, TypeId, SRef<'_>)> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mp = child(&child(ptr, keyword), &i.to_string());
            let part = parts
                .get(i)
                .cloned()
                .unwrap_or_else(|| "Variant".to_owned());
            let ty = self.convert(
                m.into(),
                &mp,
                Hint::Child {
                    parent: id,
                    part: part.clone(),
                },
            );
            let resolved = self.types.resolve(ty);
            if resolved == id
                || converted
                    .iter()
                    .any(|(_, t, _)| self.types.resolve(*t) == resolved)
            {
                if resolved == id {
                    self.diags
                        .warning(&mp, "union member is the union itself; ignored");
                }
                continue;
            }
            converted.push((part, ty, m.into()));
        }
        match converted.len() {
            0 => return self.json(),
            1 => {
                if let Some((_, t, _)) = converted.first() {
                    return *t;
                }
            }
            _ => {}
        }
        let tag = self.detect_tag(v.data.discriminator.as_ref(), &converted);
        let mut scope = Scope::new();
        let variants: Vec<UnionVariant> = match &tag {
            Some((property, values)) => converted
                .iter()
                .zip(values)
                .map(|((part, ty, _), vals)| {
                    let base = vals
                        .first()
                        .map(|v| naming::variant_name(v))
                        .unwrap_or_else(|| part.clone());
                    let writes_tag = self.writes_tag(*ty, property);
                    UnionVariant {
                        name: scope.claim(&base),
                        ty: *ty,
                        boxed: false,
                        tag_values: vals.clone(),
                        writes_tag,
                    }
                })
                .collect(),
            None => {
                let mut ordered: Vec<(String, TypeId)> =
                    converted.iter().map(|(p, t, _)| (p.clone(), *t)).collect();
                ordered.sort_by_key(|(_, t)| self.rank(*t));
                ordered
                    .into_iter()
                    .map(|(part, ty)| UnionVariant {
                        name: scope.claim(&part),
                        ty,
                        boxed: false,
                        tag_values: Vec::new(),
                        writes_tag: false,
                    })
                    .collect()
            }
        };
        let tag = tag.map(|(property, _)| Tag {
            property,
            unknown: scope.claim_first(&[
                "Unknown".to_owned(),
                "UnknownValue".to_owned(),
                "Other".to_owned(),
            ]),
        });
        self.set_kind(id, Kind::Union(Union { variants, tag }));
        id
    }

    /// What naming needs to know of each union member (see [`naming::member_names`]).
    fn member_facts(&mut self, members: &[ReferenceOr<Schema>]) -> Vec<naming::Member> {
        let mut out = Vec::new();
        for m in members {
            let (props, required) = self.prop_names(m.into(), 0);
            let facts = match m {
                ReferenceOr::Reference { reference } => {
                    let pointer = local_ref_pointer(reference).unwrap_or_default();
                    naming::Member {
                        reference: Some(last_token(&pointer)),
                        props,
                        required,
                        ..naming::Member::default()
                    }
                }
                ReferenceOr::Item(s) => {
                    let v = View::of(s);
                    let all_of_refs = v
                        .all_of
                        .iter()
                        .filter_map(|x| match x {
                            ReferenceOr::Reference { reference } => {
                                local_ref_pointer(reference).ok().map(|p| last_token(&p))
                            }
                            ReferenceOr::Item(_) => None,
                        })
                        .collect();
                    // The first required property with one fixed value (`type: {const: push}`).
                    let fixed_required = v.required.iter().find_map(|r| {
                        match v.properties.and_then(|props| props.get(r)) {
                            Some(ReferenceOr::Item(p)) => {
                                match View::of(p).enumeration.as_slice() {
                                    [Value::String(one)] => Some(one.clone()),
                                    _ => None,
                                }
                            }
                            _ => None,
                        }
                    });
                    let items = v.items.map(|items| match items {
                        ReferenceOr::Reference { reference } => naming::MemberItems::Reference(
                            last_token(&local_ref_pointer(reference).unwrap_or_default()),
                        ),
                        ReferenceOr::Item(s) => match View::of(s).typ {
                            Some(t) => naming::MemberItems::Type(t.to_owned()),
                            None => naming::MemberItems::Untyped,
                        },
                    });
                    naming::Member {
                        reference: None,
                        title: v.data.title.clone(),
                        all_of_refs,
                        props,
                        required,
                        fixed_required,
                        typ: v.typ.map(str::to_owned),
                        format: v.format.clone(),
                        values: v
                            .enumeration
                            .iter()
                            .filter(|e| !e.is_null())
                            .cloned()
                            .collect(),
                        has_additional: v.additional.is_some(),
                        items,
                        composed: !v.one_of.is_empty()
                            || !v.any_of.is_empty()
                            || !v.all_of.is_empty(),
                    }
                }
            };
            out.push(facts);
        }
        out
    }

    /// Property names and required names of a schema, through `$ref`s and `allOf` (bounded).
    fn prop_names(&mut self, s: SRef<'_>, depth: usize) -> (Vec<String>, Vec<String>) {
        if depth > 8 {
            return (Vec::new(), Vec::new());
        }
        match s {
            SRef::Ref(r) => {
                let Ok(pointer) = local_ref_pointer(r) else {
                    return (Vec::new(), Vec::new());
                };
                match self.load(&pointer) {
                    Ok(rc) => self.prop_names((&*rc).into(), depth + 1),
                    Err(_) => (Vec::new(), Vec::new()),
                }
            }
            SRef::Item(schema) => {
                let v = View::of(schema);
                let mut props: Vec<String> = v
                    .properties
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                let mut required: Vec<String> = v.required.to_vec();
                for m in v.all_of {
                    let (p, r) = self.prop_names(m.into(), depth + 1);
                    for x in p {
                        if !props.contains(&x) {
                            props.push(x);
                        }
                    }
                    for x in r {
                        if !required.contains(&x) {
                            required.push(x);
                        }
                    }
                }
                (props, required)
            }
        }
    }

    /// The single value of an enum-typed required field named `property`, if any.
    fn single_value_field(&self, ty: TypeId, property: &str) -> Option<String> {
        let (t, _) = self.types.strip_option(ty);
        let Kind::Struct(s) = self.types.kind(t) else {
            return None;
        };
        let f = s.fields.iter().find(|f| f.wire == property && !f.flatten)?;
        let (ft, _) = self.types.strip_option(f.ty);
        match self.types.kind(ft) {
            Kind::Enum(e) if e.variants.len() == 1 => e.variants.first().map(|v| v.wire.clone()),
            _ => None,
        }
    }

    fn writes_tag(&self, ty: TypeId, property: &str) -> bool {
        let (t, _) = self.types.strip_option(ty);
        match self.types.kind(t) {
            Kind::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.wire == property && f.required && !f.flatten),
            _ => false,
        }
    }

    /// Finds the tag property and each member's tag values, if the union is tagged.
    fn detect_tag(
        &self,
        discriminator: Option<&openapiv3::Discriminator>,
        members: &[(String, TypeId, SRef<'_>)],
    ) -> Option<(String, Vec<Vec<String>>)> {
        let mut values: Vec<Vec<String>> = Vec::new();
        if let Some(d) = discriminator {
            let property = d.property_name.clone();
            for (_, ty, m) in members {
                let mut vals = Vec::new();
                if let SRef::Ref(r) = m {
                    let name = local_ref_pointer(r)
                        .map(|p| last_token(&p))
                        .unwrap_or_default();
                    for (k, target) in &d.mapping {
                        if target == *r || *target == name {
                            vals.push(k.clone());
                        }
                    }
                }
                if vals.is_empty()
                    && let Some(v) = self.single_value_field(*ty, &property)
                {
                    vals.push(v);
                }
                if vals.is_empty()
                    && let SRef::Ref(r) = m
                {
                    // Without a mapping entry, the tag value is the schema's name.
                    vals.push(
                        local_ref_pointer(r)
                            .map(|p| last_token(&p))
                            .unwrap_or_default(),
                    );
                }
                if vals.is_empty() {
                    return None;
                }
                values.push(vals);
            }
            return distinct(&values).then_some((property, values));
        }
        // No discriminator: a property that has one fixed value in every member.
        let (_, first, _) = members.first()?;
        let (first, _) = self.types.strip_option(*first);
        let Kind::Struct(s) = self.types.kind(first) else {
            return None;
        };
        for f in &s.fields {
            if !f.required {
                continue;
            }
            let candidate: Option<Vec<Vec<String>>> = members
                .iter()
                .map(|(_, ty, _)| {
                    if !self.writes_tag(*ty, &f.wire) {
                        return None;
                    }
                    self.single_value_field(*ty, &f.wire).map(|v| vec![v])
                })
                .collect();
            if let Some(vals) = candidate
                && distinct(&vals)
            {
                return Some((f.wire.clone(), vals));
            }
        }
        None
    }

    /// Sort key of an untagged union variant: the more specific, the earlier.
    fn rank(&self, ty: TypeId) -> (u8, i64, i64) {
        let (t, _) = self.types.strip_option(ty);
        match self.types.kind(t) {
            Kind::Struct(s) => {
                let required = s
                    .fields
                    .iter()
                    .filter(|f| {
                        f.required
                            && !f.flatten
                            && !matches!(self.types.kind(self.types.resolve(f.ty)), Kind::Option(_))
                    })
                    .count();
                (0, -(required as i64), -(s.fields.len() as i64))
            }
            Kind::Union(_) | Kind::Newtype { .. } => (1, 0, 0),
            Kind::ComponentAlias(inner) => self.rank(*inner),
            Kind::Map(_) => (2, 0, 0),
            Kind::Prim(Prim::JsonObject) => (3, 0, 0),
            Kind::Vec(_) => (4, 0, 0),
            // Formatted strings fail on other strings; a string enum accepts any string (its
            // catch-all), so it comes after them.
            Kind::Prim(Prim::DateTime | Prim::Date | Prim::Uuid | Prim::Url) => (5, 0, 0),
            Kind::Enum(_) => (6, 0, 0),
            Kind::Prim(Prim::String) => (7, 0, 0),
            Kind::Prim(
                Prim::I8
                | Prim::I16
                | Prim::I32
                | Prim::I64
                | Prim::U8
                | Prim::U16
                | Prim::U32
                | Prim::U64,
            ) => (8, 0, 0),
            Kind::Prim(Prim::F32 | Prim::F64) => (9, 0, 0),
            Kind::Prim(Prim::Bool) => (10, 0, 0),
            Kind::Prim(Prim::Json) => (12, 0, 0),
            _ => (11, 0, 0),
        }
    }

    // ---- allOf -----------------------------------------------------------------------------

    fn convert_all_of(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        // `allOf: [X]` (+ annotations) is X.
        let own_structural = v.has_properties()
            || v.has_additional_schema()
            || !v.one_of.is_empty()
            || !v.any_of.is_empty();
        let structural: Vec<(usize, SRef<'_>)> = v
            .all_of
            .iter()
            .enumerate()
            .map(|(i, m)| (i, SRef::from(m)))
            .filter(|(_, m)| is_structural(*m))
            .collect();
        if !own_structural && let [(i, only)] = structural.as_slice() {
            return self.convert(
                *only,
                &child(&child(ptr, "allOf"), &i.to_string()),
                hint.clone(),
            );
        }
        if !own_structural && structural.is_empty() {
            return self.json();
        }

        let mut c = Collected::default();
        let mut visiting = HashSet::new();
        visiting.insert(ptr.to_owned());
        self.collect_view(v, ptr, &mut c, &mut visiting, 0);

        if !c.object {
            if let Some((schema, p)) = c.unions.first().cloned() {
                if c.unions.len() > 1 {
                    self.diags.warning(
                        ptr,
                        "`allOf` of several unions is not supported; the first is used",
                    );
                }
                return self.convert(SRef::Item(&schema), &p, hint.clone());
            }
            if let Some((schema, p)) = c.scalars.first().cloned() {
                let first_type = View::of(&schema).typ.map(str::to_owned);
                if c.scalars
                    .iter()
                    .any(|(s, _)| View::of(s).typ.map(str::to_owned) != first_type)
                {
                    self.diags.warning(
                        ptr,
                        "`allOf` members have different types; the first is used",
                    );
                }
                return self.convert(SRef::Item(&schema), &p, hint.clone());
            }
            return self.json();
        }
        if !c.scalars.is_empty() {
            self.diags.warning(
                ptr,
                "`allOf` mixes objects and non-objects; the non-object members are ignored",
            );
        }

        let key = self.shape_key(ptr);
        if let Some(id) = self.reuse_shape(key.as_ref(), hint) {
            return id;
        }
        let id = self.claim_named(ptr, hint, v.data);
        if let Some(k) = key {
            self.shapes.insert(k, id);
        }
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for (name, (schema, p)) in &c.props {
            let required = c.required.contains(name);
            let mut field = self.field(id, name, schema.into(), p, required, &mut scope);
            // An alias that names a property of another part is not an alias.
            field.aliases = c
                .aliases
                .get(name)
                .into_iter()
                .flatten()
                .filter(|alias| !c.props.contains_key(*alias))
                .cloned()
                .collect();
            fields.push(field);
        }
        if let Some((schema, p)) = &c.additional {
            let s: SRef<'_> = schema.into();
            fields.push(self.additional_field(id, s, p, &mut scope));
        }
        for (i, (schema, p)) in c.unions.iter().enumerate() {
            let part = if i == 0 {
                "Variant".to_owned()
            } else {
                format!("Variant{}", i + 1)
            };
            let ty = self.convert(SRef::Item(schema), p, Hint::Child { parent: id, part });
            fields.push(Field {
                aliases: Vec::new(),
                wire: String::new(),
                name: scope.claim("variant"),
                ty,
                required: true,
                flatten: true,
                boxed: false,
                docs: None,
                deprecated: false,
            });
        }
        self.set_kind(id, Kind::Struct(Struct { fields }));
        id
    }

    fn collect(
        &mut self,
        s: SRef<'_>,
        ptr: &str,
        c: &mut Collected,
        visiting: &mut HashSet<String>,
        depth: usize,
    ) {
        if depth > 16 {
            self.diags
                .warning(ptr, "`allOf` nests too deeply; the rest is ignored");
            return;
        }
        match s {
            SRef::Ref(r) => {
                let pointer = match local_ref_pointer(r) {
                    Ok(p) => p,
                    Err(msg) => {
                        self.diags.error(ptr, msg);
                        return;
                    }
                };
                let target = fragment(&pointer);
                if !visiting.insert(target.clone()) {
                    self.diags.warning(
                        ptr,
                        format!(
                            "`allOf` includes `{target}`, which includes this schema again; ignored"
                        ),
                    );
                    return;
                }
                match self.load(&pointer) {
                    Ok(rc) => self.collect((&*rc).into(), &target, c, visiting, depth + 1),
                    Err(msg) => self.diags.error(ptr, msg),
                }
                visiting.remove(&target);
            }
            SRef::Item(schema) => {
                let v = View::of(schema);
                self.collect_view(&v, ptr, c, visiting, depth + 1);
            }
        }
    }

    fn collect_view(
        &mut self,
        v: &View<'_>,
        ptr: &str,
        c: &mut Collected,
        visiting: &mut HashSet<String>,
        depth: usize,
    ) {
        for (i, m) in v.all_of.iter().enumerate() {
            self.collect(
                m.into(),
                &child(&child(ptr, "allOf"), &i.to_string()),
                c,
                visiting,
                depth,
            );
        }
        let objectish = v.has_properties() || v.has_additional_schema() || v.typ == Some("object");
        if objectish {
            c.object = true;
            for (name, names) in aliases_of(v) {
                c.aliases.entry(name).or_default().extend(names);
            }
            if let Some(props) = v.properties {
                for (name, p) in props {
                    let pp = child(&child(ptr, "properties"), name);
                    self.merge_prop(c, name, p.clone().unbox(), pp);
                }
            }
            for r in v.required {
                if !c.required.contains(r) {
                    c.required.push(r.clone());
                }
            }
            if let Some(AdditionalProperties::Schema(s)) = v.additional {
                let s: ReferenceOr<Schema> = (**s).clone();
                if is_structural((&s).into()) {
                    c.additional = Some((s, child(ptr, "additionalProperties")));
                }
            }
        } else if !v.required.is_empty() {
            for r in v.required {
                if !c.required.contains(r) {
                    c.required.push(r.clone());
                }
            }
        }
        let (members, keyword) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        if !members.is_empty() {
            // Members that only say which properties are required constrain, they do not shape.
            let shaping = members.iter().any(|m| is_structural(m.into()));
            if shaping {
                let mut only_union = Schema {
                    schema_data: SchemaData {
                        discriminator: v.data.discriminator.clone(),
                        ..SchemaData::default()
                    },
                    schema_kind: if keyword == "oneOf" {
                        SchemaKind::OneOf {
                            one_of: members.to_vec(),
                        }
                    } else {
                        SchemaKind::AnyOf {
                            any_of: members.to_vec(),
                        }
                    },
                };
                only_union.schema_data.description = None;
                c.unions.push((only_union, child(ptr, keyword)));
            }
        } else if !objectish && v.all_of.is_empty() && v.is_structural() {
            c.scalars.push((schema_of_view(v), ptr.to_owned()));
        }
    }

    fn merge_prop(&mut self, c: &mut Collected, name: &str, new: ReferenceOr<Schema>, ptr: String) {
        let new_structural = is_structural((&new).into());
        if let Some((old, old_ptr)) = c.props.get(name) {
            let old_structural = is_structural(old.into());
            if !new_structural && old_structural {
                return;
            }
            if new_structural && old_structural {
                // Compared in canonical form: examples, defaults, validation and the property's
                // own description do not make a conflict.
                let key = |p: &str| {
                    let mut k = String::new();
                    if let Some(node) = self.doc.value.pointer(value_pointer(p)) {
                        canon(node, true, &mut k);
                    }
                    k
                };
                if key(old_ptr) != key(&ptr) {
                    self.diags.warning(
                        &ptr,
                        format!("property `{name}` is defined differently by several `allOf` members; the last definition is used"),
                    );
                }
            }
        }
        c.props.insert(name.to_owned(), (new, ptr));
    }
}

fn distinct(values: &[Vec<String>]) -> bool {
    let mut seen = HashSet::new();
    values.iter().flatten().all(|v| seen.insert(v.clone()))
}

#[derive(Default)]
struct Collected {
    object: bool,
    props: IndexMap<String, (ReferenceOr<Schema>, String)>,
    /// `x-apigen-aliases` of every part, by property name.
    aliases: IndexMap<String, Vec<String>>,
    required: Vec<String>,
    additional: Option<(ReferenceOr<Schema>, String)>,
    unions: Vec<(Schema, String)>,
    scalars: Vec<(Schema, String)>,
}
