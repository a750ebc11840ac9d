//! Objects: properties become fields, additional properties a flattened map, and `allOf`
//! members are merged into one struct.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind};

use super::Converter;
use crate::diagnostics::child;
use crate::model::{Field, Hint, Kind, Prim, Struct, TypeId};
use crate::naming::{self, Scope};
use crate::read::{fragment, local_ref_pointer, value_pointer};
use crate::types::shape::canon;
use crate::types::view::{SRef, View, aliases_of, is_structural, schema_of_view};

impl Converter<'_> {
    pub(super) fn convert_object(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
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
        let id = match self.named_by_shape(ptr, hint, v.data) {
            Ok(id) => id,
            Err(same_shape) => return same_shape,
        };
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
        self.undeclared_required(v.required, ptr, &mut fields, &mut scope);
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

    pub(super) fn field(
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
        // One allowed value: a tag, when a union needs one.
        let tag_value = match s {
            SRef::Item(schema) => {
                let view = View::of(schema);
                let values: Vec<&serde_json::Value> =
                    view.enumeration.iter().filter(|e| !e.is_null()).collect();
                match values.as_slice() {
                    [serde_json::Value::String(text)] => Some(text.clone()),
                    [serde_json::Value::Number(n)] if n.is_i64() || n.is_u64() => {
                        Some(n.to_string())
                    }
                    _ => None,
                }
            }
            SRef::Ref(_) => None,
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
            tag_value,
        }
    }

    /// A field for each name `required` lists that no property declares (Box's invite
    /// requires an `actionable_by.id` it never describes), so that a caller can send it: an
    /// optional member of any JSON value, with a warning naming it. Optional, because such a
    /// name is as often a typo (Box's shared links require an `accessed` beside the `access`
    /// they declare, and no answer has it): a required one would fail every answer. Called
    /// once `fields` has a field for each declared property.
    fn undeclared_required(
        &mut self,
        required: &[String],
        ptr: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        for name in required {
            if fields.iter().any(|f| f.wire == *name) {
                continue;
            }
            self.diags.warning(
                &child(ptr, "required"),
                format!("`{name}` is required but no property declares it; it is taken as an optional member of any JSON value"),
            );
            fields.push(Field {
                wire: name.clone(),
                aliases: Vec::new(),
                name: scope.claim(&naming::value_name(name)),
                ty: self.json(),
                required: false,
                flatten: false,
                boxed: false,
                docs: Some(format!(
                    "The `{name}` member, which the document requires without describing it (so it is not checked)."
                )),
                deprecated: false,
                tag_value: None,
            });
        }
    }

    pub(super) fn additional_field(
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
            tag_value: None,
        }
    }

    // ---- allOf -----------------------------------------------------------------------------

    pub(super) fn convert_all_of(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
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

        let id = match self.named_by_shape(ptr, hint, v.data) {
            Ok(id) => id,
            Err(same_shape) => return same_shape,
        };
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
        self.undeclared_required(&c.required, ptr, &mut fields, &mut scope);
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
                tag_value: None,
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

#[cfg(test)]
mod tests {
    use crate::model::{Kind, Prim};
    use crate::types::{convert_schemas, named};

    #[test]
    fn properties_become_fields_with_their_requiredness() {
        let (types, found) = convert_schemas(
            "Pet:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n    tag: {type: [string, 'null']}\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let Kind::Struct(s) = named(&types, "Pet") else {
            panic!()
        };
        let fields: Vec<(&str, bool)> = s
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), f.required))
            .collect();
        assert_eq!(fields, [("id", true), ("tag", false)]);
        assert!(matches!(types.kind(s.fields[1].ty), Kind::Option(_)));
    }

    #[test]
    fn additional_properties_become_a_flattened_map() {
        let (types, _) = convert_schemas(
            "Labels:\n  type: object\n  properties:\n    name: {type: string}\n  additionalProperties: {type: integer}\n",
        );
        let Kind::Struct(s) = named(&types, "Labels") else {
            panic!()
        };
        let rest = s
            .fields
            .iter()
            .find(|f| f.flatten)
            .expect("a flattened field");
        let Kind::Map(value) = types.kind(rest.ty) else {
            panic!()
        };
        assert!(matches!(types.kind(*value), Kind::Prim(Prim::I64)));
    }

    #[test]
    fn all_of_merges_its_members() {
        let (types, _) = convert_schemas(
            "Base:\n  type: object\n  required: [id]\n  properties: {id: {type: string}}\n\
             Dog:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - type: object\n      properties: {bark: {type: boolean}}\n",
        );
        let Kind::Struct(s) = named(&types, "Dog") else {
            panic!()
        };
        let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["id", "bark"]);
        assert!(s.fields[0].required && !s.fields[1].required);
    }
}
