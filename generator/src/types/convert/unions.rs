//! Unions: `oneOf`/`anyOf` become enums, tagged when a property tells the members apart,
//! untagged (and ordered most specific first) otherwise.

use std::collections::HashSet;

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::Converter;
use crate::diagnostics::child;
use crate::model::{Hint, Kind, Prim, Tag, TypeId, Union, UnionVariant};
use crate::naming::{self, Scope};
use crate::read::local_ref_pointer;
use crate::types::view::{SRef, View, last_token};

impl Converter<'_> {
    // ---- unions ----------------------------------------------------------------------------

    pub(super) fn convert_union(&mut self, v: &View<'_>, ptr: &str, hint: &Hint) -> TypeId {
        let (members, keyword) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        if !v.one_of.is_empty() && !v.any_of.is_empty() {
            self.diags
                .warning(ptr, "both `oneOf` and `anyOf`; `anyOf` is ignored");
        }
        let id = match self.named_by_shape(ptr, hint, v.data) {
            Ok(id) => id,
            Err(same_shape) => return same_shape,
        };
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
                    // A number names nothing (`V2`): the member's own name is kept then.
                    let base = vals
                        .first()
                        .filter(|v| !v.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
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
            unknown: naming::unknown_variant(&mut scope),
        });
        self.set_kind(id, Kind::Union(Union { variants, tag }));
        id
    }

    /// What naming needs to know of each union member (see [`naming::member_names`]).
    pub(super) fn member_facts(&mut self, members: &[ReferenceOr<Schema>]) -> Vec<naming::Member> {
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
    pub(super) fn prop_names(&mut self, s: SRef<'_>, depth: usize) -> (Vec<String>, Vec<String>) {
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
    pub(super) fn single_value_field(&self, ty: TypeId, property: &str) -> Option<String> {
        let (t, _) = self.types.strip_option(ty);
        let Kind::Struct(s) = self.types.kind(t) else {
            return None;
        };
        let f = s.fields.iter().find(|f| f.wire == property && !f.flatten)?;
        let (ft, _) = self.types.strip_option(f.ty);
        match self.types.kind(ft) {
            Kind::Enum(e) if e.variants.len() == 1 => e.variants.first().map(|v| v.wire.clone()),
            _ => f.tag_value.clone(),
        }
    }

    pub(super) fn writes_tag(&self, ty: TypeId, property: &str) -> bool {
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
    pub(super) fn detect_tag(
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
    pub(super) fn rank(&self, ty: TypeId) -> (u8, i64, i64) {
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
            // catch-all), so it comes after them, and so do strings and URIs (kept as sent).
            Kind::Prim(Prim::DateTime | Prim::Date | Prim::Uuid) => (5, 0, 0),
            Kind::Enum(_) => (6, 0, 0),
            Kind::Prim(Prim::String | Prim::Uri) => (7, 0, 0),
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
}

fn distinct(values: &[Vec<String>]) -> bool {
    let mut seen = HashSet::new();
    values.iter().flatten().all(|v| seen.insert(v.clone()))
}

#[cfg(test)]
mod tests {
    use crate::model::Kind;
    use crate::types::{convert_schemas, named};

    #[test]
    fn a_discriminator_makes_a_tagged_union() {
        let (types, found) = convert_schemas(
            "Cat:\n  type: object\n  required: [kind]\n  properties: {kind: {type: string}, meows: {type: boolean}}\n\
             Dog:\n  type: object\n  required: [kind]\n  properties: {kind: {type: string}, barks: {type: boolean}}\n\
             Pet:\n  oneOf:\n    - $ref: '#/components/schemas/Cat'\n    - $ref: '#/components/schemas/Dog'\n  discriminator:\n    propertyName: kind\n    mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let Kind::Union(u) = named(&types, "Pet") else {
            panic!("{:?}", named(&types, "Pet"))
        };
        let tag = u.tag.as_ref().expect("tagged");
        assert_eq!(tag.property, "kind");
        let values: Vec<&[String]> = u.variants.iter().map(|v| v.tag_values.as_slice()).collect();
        assert_eq!(values, [["cat"], ["dog"]]);
    }

    #[test]
    fn untagged_members_are_ordered_most_specific_first() {
        let (types, _) = convert_schemas(
            "Value:\n  anyOf:\n    - {type: string}\n    - {type: number}\n    - {type: integer}\n    - {type: boolean}\n",
        );
        let Kind::Union(u) = named(&types, "Value") else {
            panic!()
        };
        assert!(u.tag.is_none());
        let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
        // An integer must be tried before a number, which would take it too.
        let position = |n: &str| names.iter().position(|x| *x == n).expect(n);
        assert!(position("Integer") < position("Number"), "{names:?}");
        assert_eq!(names.len(), 4);
    }
}
