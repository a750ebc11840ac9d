//! Doc lines for public items whose schema says nothing about them, so that every public
//! item of a generated crate is documented (it can `#![warn(missing_docs)]`). Each is
//! derived from what the document does say: the kind of schema, where the type is used (the
//! wire name of the member or parameter, the operation), the type of a union variant, the
//! wire name of a field.

use std::collections::HashMap;

use crate::model::{
    Api, Body, Decode, ErrorBody, Field, Kind, Prim, Success, TypeDef, TypeId, Union, UnionVariant,
};

/// Where each named type is first used, as a phrase ("the `contexts` member of
/// [`JobDetails`]", "the `granularity` query parameter of `getJobTimeseries`"): members of
/// named types first (in arena order), then operations (in document order).
pub(crate) fn usages(api: &Api) -> HashMap<TypeId, String> {
    let mut out: HashMap<TypeId, String> = HashMap::new();
    for (index, def) in api.types.defs.iter().enumerate() {
        if !def.kind.is_named() || def.name.is_empty() {
            continue;
        }
        let owner = Some(TypeId(index));
        let parent = &def.name;
        match &def.kind {
            Kind::Struct(s) => {
                for f in &s.fields {
                    let place = if f.flatten || f.wire.is_empty() {
                        format!("the other members of [`{parent}`]")
                    } else {
                        format!("the `{}` member of [`{parent}`]", code(&f.wire))
                    };
                    record(api, &mut out, owner, f.ty, &place);
                }
            }
            Kind::Union(u) => {
                for v in &u.variants {
                    record(
                        api,
                        &mut out,
                        owner,
                        v.ty,
                        &format!("a variant of [`{parent}`]"),
                    );
                }
            }
            Kind::Newtype { inner, .. } => {
                record(
                    api,
                    &mut out,
                    owner,
                    *inner,
                    &format!("the content of [`{parent}`]"),
                );
            }
            _ => {}
        }
    }
    // How many operations take each parameter type (a component parameter is shared).
    let mut param_uses: HashMap<TypeId, usize> = HashMap::new();
    for op in &api.operations {
        for p in &op.params {
            *param_uses.entry(p.ty).or_default() += 1;
        }
    }
    for op in &api.operations {
        let name = op.operation_id.as_deref().unwrap_or(op.name.as_str());
        let name = code(name);
        for p in &op.params {
            let location = p.location.noun();
            let others = param_uses.get(&p.ty).map_or(0, |n| n.saturating_sub(1));
            let place = match others {
                0 => format!("the `{}` {location} parameter of `{name}`", code(&p.wire)),
                1 => format!(
                    "the `{}` {location} parameter of `{name}` and one other operation",
                    code(&p.wire)
                ),
                n => format!(
                    "the `{}` {location} parameter of `{name}` and {n} other operations",
                    code(&p.wire)
                ),
            };
            record(api, &mut out, None, p.ty, &place);
        }
        if let Some(b) = &op.body
            && let Body::Json(ty) | Body::Form(ty) = &b.body
        {
            record(
                api,
                &mut out,
                None,
                *ty,
                &format!("the request body of `{name}`"),
            );
        }
        let response = format!("the response body of `{name}`");
        match &op.success {
            Success::One(Decode::Json(ty)) => record(api, &mut out, None, *ty, &response),
            Success::One(_) => {}
            Success::ByStatus(ty) => {
                for c in api.types.status_cases(*ty) {
                    if let Decode::Json(ty) = c.decode {
                        record(api, &mut out, None, ty, &response);
                    }
                }
            }
        }
        let error = format!("the error body of `{name}`");
        match &op.error {
            ErrorBody::One(ty) => record(api, &mut out, None, *ty, &error),
            ErrorBody::Untyped => {}
            ErrorBody::ByStatus(ty) => {
                for c in api.types.status_cases(*ty) {
                    if let Decode::Json(ty) = c.decode {
                        record(api, &mut out, None, ty, &error);
                    }
                }
            }
        }
    }
    for event in api.webhooks.iter().flat_map(|w| &w.events) {
        record(
            api,
            &mut out,
            None,
            event.payload,
            &format!("the payload of the `{}` webhook", code(&event.event_type)),
        );
    }
    out
}

/// Records `place` for the named type `ty` stands for (through options, lists and maps),
/// unless it already has one or is `owner` itself (a recursive type is not described by its
/// own content).
fn record(
    api: &Api,
    out: &mut HashMap<TypeId, String>,
    owner: Option<TypeId>,
    ty: TypeId,
    place: &str,
) {
    let types = &api.types;
    let mut prefix = String::new();
    let mut id = ty;
    // Lists, maps and options end at a named type or a primitive (`finalize` bounds them).
    loop {
        match types.kind(id) {
            Kind::Option(inner) => id = *inner,
            Kind::Vec(inner) => {
                prefix.push_str("an item of ");
                id = *inner;
            }
            Kind::Map(inner) => {
                prefix.push_str("a value of ");
                id = *inner;
            }
            _ if Some(id) == owner => return,
            kind if kind.is_named() => {
                out.entry(id).or_insert_with(|| format!("{prefix}{place}"));
                return;
            }
            _ => return,
        }
    }
}

/// The doc text of a named type without a description: its kind, and where it is used (or
/// the schema it comes from).
pub(crate) fn type_doc(
    api: &Api,
    id: TypeId,
    def: &TypeDef,
    usages: &HashMap<TypeId, String>,
) -> String {
    let kind = match &def.kind {
        Kind::Struct(_) => "An object".to_owned(),
        Kind::Enum(_) => "A string from a fixed set of values".to_owned(),
        Kind::Union(Union { tag: Some(tag), .. }) => format!(
            "An object of one of several shapes, chosen by its `{}` member",
            code(&tag.property)
        ),
        Kind::Union(_) => "A value of one of several shapes".to_owned(),
        Kind::Newtype { inner, .. } => {
            format!("A named wrapper around {}", type_phrase(api, *inner, 0))
        }
        Kind::ComponentAlias(target) => {
            format!("Another name for {}", type_phrase(api, *target, 0))
        }
        Kind::Responses(_) => "A body that depends on the response status".to_owned(),
        _ => "A value".to_owned(),
    };
    match usages.get(&id) {
        Some(place) => format!("{kind}: {place}."),
        None => match def
            .origin
            .strip_prefix("#/components/schemas/")
            .filter(|n| !n.contains('/'))
        {
            Some(component) => format!(
                "{kind}: the `{}` schema.",
                code(&component.replace("~1", "/").replace("~0", "~"))
            ),
            None => format!("{kind} (from `{}`).", code(&def.origin)),
        },
    }
}

/// The doc text of a union variant: the type it holds and, for a tagged union, the tag
/// values that select it.
pub(crate) fn variant_doc(api: &Api, u: &Union, v: &UnionVariant) -> String {
    let mut text = capitalize(&type_phrase(api, v.ty, 0));
    if let Some(tag) = &u.tag
        && !v.tag_values.is_empty()
    {
        let values: Vec<String> = v
            .tag_values
            .iter()
            .map(|t| format!("`{}`", code(t)))
            .collect();
        text.push_str(&format!(
            ", when `{}` is {}",
            code(&tag.property),
            values.join(" or ")
        ));
    }
    text.push('.');
    text
}

/// The doc text of a struct field without a description: its wire name.
pub(crate) fn field_doc(f: &Field) -> String {
    if f.flatten || f.wire.is_empty() {
        "The members not declared by the other fields.".to_owned()
    } else {
        format!("The `{}` member.", code(&f.wire))
    }
}

/// `a string`, `a list of [`Pipeline`]`, … for the type `id`.
fn type_phrase(api: &Api, id: TypeId, depth: usize) -> String {
    let types = &api.types;
    // A phrase for readers: deeper nesting is summed up.
    if depth > 8 {
        return "a JSON value".to_owned();
    }
    match types.kind(id) {
        Kind::Prim(p) => match p {
            Prim::Bool => "a boolean",
            Prim::I8
            | Prim::I16
            | Prim::I32
            | Prim::I64
            | Prim::U8
            | Prim::U16
            | Prim::U32
            | Prim::U64 => "an integer",
            Prim::F32 | Prim::F64 => "a number",
            Prim::String => "a string",
            Prim::DateTime => "a date and time",
            Prim::Date => "a date",
            Prim::Uuid => "a UUID",
            Prim::Uri => "a URI",
            Prim::Json => "any JSON value",
            Prim::JsonObject => "a JSON object",
        }
        .to_owned(),
        Kind::Vec(inner) => format!("a list (each item {})", type_phrase(api, *inner, depth + 1)),
        Kind::Map(inner) => format!(
            "a map from names (each value {})",
            type_phrase(api, *inner, depth + 1)
        ),
        Kind::Option(inner) => format!("{} or null", type_phrase(api, *inner, depth + 1)),
        kind if kind.is_named() && !types.name(id).is_empty() => {
            let name = types.name(id);
            // The article as the name is read aloud, by its first letter (good enough for
            // type names: `an [`Artifact`]`, `a [`User`]`).
            let article = if name.starts_with(['A', 'E', 'I', 'O']) {
                "an"
            } else {
                "a"
            };
            format!("{article} [`{name}`]")
        }
        _ => "a JSON value".to_owned(),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text safe inside a Markdown code span on one line.
fn code(text: &str) -> String {
    text.replace('`', "'").replace(['\n', '\r'], " ")
}
