//! The last pass over the model before emit, which hands emit a finished model: every type
//! reference resolved past internal aliases, no type still being converted, every chain of
//! lists, maps and options ending at a named type or a primitive, and every identifier the
//! emitter will print valid. Anything else is reported as a generator bug (with the pointer of
//! its schema or operation), and emit does not run.

use crate::diagnostics::{Diagnostics, child};
use crate::model::{Api, Body, Decode, ErrorBody, Kind, Success, TypeId};
use crate::naming::is_valid_ident;

/// How many lists, maps and options may wrap each other before a named type or a primitive
/// (far more than any document nests; the converter bounds nesting well below it).
const MAX_CHAIN: usize = 64;

/// Resolves every type reference of `api` past [`Kind::Alias`] links, then checks that no
/// reference leads to an alias, a type still [`Kind::Pending`], or an endless chain of
/// lists, maps and options.
pub(crate) fn finish(api: &mut Api, diags: &mut Diagnostics) {
    let types = &api.types;
    let resolved: Vec<TypeId> = (0..types.defs.len())
        .map(|i| types.resolve(TypeId(i)))
        .collect();
    // Whether a reference to each type still leads to an alias (a cycle of them, or a chain
    // longer than `resolve` follows) or to a type left pending, once resolved.
    let unfinished: Vec<bool> = resolved
        .iter()
        .map(|t| matches!(types.kind(*t), Kind::Alias(_) | Kind::Pending))
        .collect();
    let mut bad: Vec<String> = Vec::new();
    let mut fix = |id: &mut TypeId, at: &str| {
        if let Some(target) = resolved.get(id.0) {
            *id = *target;
        }
        if unfinished.get(id.0).copied().unwrap_or(false) {
            bad.push(at.to_owned());
        }
    };
    for def in &mut api.types.defs {
        let at = origin(&def.origin).to_owned();
        match &mut def.kind {
            Kind::Vec(t) | Kind::Map(t) | Kind::Option(t) | Kind::ComponentAlias(t) => fix(t, &at),
            Kind::Newtype { inner, .. } => fix(inner, &at),
            Kind::Struct(s) => s.fields.iter_mut().for_each(|f| fix(&mut f.ty, &at)),
            Kind::Union(u) => u.variants.iter_mut().for_each(|v| fix(&mut v.ty, &at)),
            Kind::Responses(cases) => {
                for c in cases {
                    if let Decode::Json(t) = &mut c.decode {
                        fix(t, &at);
                    }
                }
            }
            Kind::Alias(_) | Kind::Pending | Kind::Prim(_) | Kind::Enum(_) => {}
        }
    }
    for op in &mut api.operations {
        op.params.iter_mut().for_each(|p| fix(&mut p.ty, "#/paths"));
        if let Some(body) = &mut op.body
            && let Body::Json(t) | Body::Form(t) = &mut body.body
        {
            fix(t, "#/paths");
        }
        match &mut op.success {
            Success::One(Decode::Json(t)) | Success::ByStatus(t) => fix(t, "#/paths"),
            Success::One(_) => {}
        }
        if let ErrorBody::One(t) | ErrorBody::ByStatus(t) = &mut op.error {
            fix(t, "#/paths");
        }
    }
    for page in &mut api.pages {
        fix(&mut page.list, "#");
        fix(&mut page.item, "#");
    }
    for event in api.webhooks.iter_mut().flat_map(|w| &mut w.events) {
        fix(&mut event.payload, "#/webhooks");
    }
    check_references(api, diags);
    for at in bad {
        diags.bug(
            &at,
            "a reference leads to an unresolved alias or an unfinished type",
        );
    }
}

/// Reports a type left pending, and a chain of lists, maps, options and component aliases
/// longer than [`MAX_CHAIN`] (or circular), at the pointer of the type it starts from.
fn check_references(api: &Api, diags: &mut Diagnostics) {
    let types = &api.types;
    for (index, def) in types.defs.iter().enumerate() {
        if matches!(def.kind, Kind::Alias(_)) {
            // Unreferenced after resolution (checked below through every reference).
            continue;
        }
        let mut id = TypeId(index);
        let mut steps = 0;
        loop {
            match types.kind(id) {
                Kind::Vec(t) | Kind::Map(t) | Kind::Option(t) | Kind::ComponentAlias(t) => {
                    id = *t;
                    steps += 1;
                    if steps > MAX_CHAIN {
                        diags.bug(
                            origin(&def.origin),
                            "a chain of lists, maps and options does not end at a type",
                        );
                        break;
                    }
                }
                // Reported, with every other reference to it, by the resolution pass of `finish`.
                Kind::Alias(_) => break,
                Kind::Pending => {
                    diags.bug(
                        origin(&def.origin),
                        "a type was left unfinished by the conversion",
                    );
                    break;
                }
                _ => break,
            }
        }
    }
}

fn origin(pointer: &str) -> &str {
    if pointer.starts_with('#') {
        pointer
    } else {
        "#"
    }
}

/// Reports every name in `api` that is not a Rust identifier, as a generator bug at the
/// pointer of the schema or operation it belongs to. The naming rules make valid names by
/// construction; this is the check that they did.
pub(crate) fn check_names(api: &Api, diags: &mut Diagnostics) {
    let mut bad = |pointer: &str, what: &str, name: &str| {
        if !is_valid_ident(name) {
            diags.bug(
                pointer,
                format!("the {what} name `{name}` made for this is not a Rust identifier"),
            );
        }
    };
    for def in &api.types.defs {
        let origin = if def.origin.starts_with('#') {
            def.origin.as_str()
        } else {
            "#"
        };
        if def.kind.is_named() {
            bad(origin, "type", &def.name);
        }
        match &def.kind {
            Kind::Struct(s) => s
                .fields
                .iter()
                .for_each(|f| bad(&child(origin, &f.wire), "field", &f.name)),
            Kind::Enum(e) => {
                e.variants
                    .iter()
                    .for_each(|v| bad(origin, "enum variant", &v.name));
                bad(origin, "enum variant", &e.unknown);
            }
            Kind::Union(u) => {
                u.variants
                    .iter()
                    .for_each(|v| bad(origin, "union variant", &v.name));
                if let Some(tag) = &u.tag {
                    bad(origin, "union variant", &tag.unknown);
                }
            }
            Kind::Responses(cases) => cases
                .iter()
                .for_each(|c| bad(origin, "status variant", &c.variant)),
            _ => {}
        }
    }
    for event in api.webhooks.iter().flat_map(|w| &w.events) {
        bad(
            &child("#/webhooks", &event.event_type),
            "webhook variant",
            &event.variant,
        );
    }
    for op in &api.operations {
        let pointer = child(
            &child("#/paths", &op.path),
            &op.method.upper().to_ascii_lowercase(),
        );
        bad(&pointer, "method", &op.name);
        bad(&pointer, "call type", &op.call_type);
        bad(&pointer, "module", &op.module);
        for p in &op.params {
            bad(&child(&pointer, "parameters"), "parameter", &p.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumVariant, StrEnum, TypeDef, Types};

    fn api_with(defs: Vec<TypeDef>) -> Api {
        Api {
            title: String::new(),
            description: None,
            version: String::new(),
            types: Types { defs },
            operations: Vec::new(),
            base_url: String::new(),
            auth: crate::model::Auth::None,
            request_id_headers: Vec::new(),
            pages: Vec::new(),
            module_docs: Default::default(),
            webhooks: None,
        }
    }

    fn enum_def(variant: &str) -> TypeDef {
        TypeDef {
            kind: Kind::Enum(StrEnum {
                variants: vec![EnumVariant {
                    wire: "x".to_owned(),
                    name: variant.to_owned(),
                }],
                unknown: "Unknown".to_owned(),
            }),
            name: "Colour".to_owned(),
            hints: Vec::new(),
            title: None,
            origin: "#/components/schemas/Colour".to_owned(),
            docs: None,
            deprecated: false,
        }
    }

    #[test]
    fn an_invalid_name_is_a_bug_at_its_schema() {
        let mut diags = Diagnostics::default();
        check_names(&api_with(vec![enum_def("200")]), &mut diags);
        let (errors, _) = diags.into_parts();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].severity, crate::Severity::Bug);
        assert_eq!(errors[0].pointer, "#/components/schemas/Colour");
        assert!(errors[0].message.contains("`200`"), "{}", errors[0].message);
    }

    fn def(kind: Kind, name: &str) -> TypeDef {
        TypeDef {
            kind,
            name: name.to_owned(),
            hints: Vec::new(),
            title: None,
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            deprecated: false,
        }
    }

    #[test]
    fn references_are_resolved_past_aliases() {
        use crate::model::{Field, Prim, Struct};
        // 0: String; 1 → 0 and 2 → 1 (aliases); 3: a list of 2; 4: a struct with a field of 3.
        let field = |ty: usize| Field {
            wire: "f".to_owned(),
            aliases: Vec::new(),
            name: "f".to_owned(),
            ty: TypeId(ty),
            required: true,
            flatten: false,
            boxed: false,
            docs: None,
            deprecated: false,
            tag_value: None,
        };
        let mut api = api_with(vec![
            def(Kind::Prim(Prim::String), ""),
            def(Kind::Alias(TypeId(0)), ""),
            def(Kind::Alias(TypeId(1)), ""),
            def(Kind::Vec(TypeId(2)), ""),
            def(
                Kind::Struct(Struct {
                    fields: vec![field(2), field(3)],
                }),
                "Holder",
            ),
        ]);
        let mut diags = Diagnostics::default();
        finish(&mut api, &mut diags);
        assert!(!diags.has_errors());
        assert!(matches!(api.types.kind(TypeId(3)), Kind::Vec(TypeId(0))));
        let Kind::Struct(s) = api.types.kind(TypeId(4)) else {
            panic!()
        };
        assert_eq!(s.fields[0].ty, TypeId(0));
        assert_eq!(s.fields[1].ty, TypeId(3));
    }

    #[test]
    fn unfinished_and_circular_types_are_bugs() {
        let mut api = api_with(vec![
            def(Kind::Pending, "Unfinished"),
            def(Kind::Alias(TypeId(2)), ""),
            def(Kind::Alias(TypeId(1)), ""),
            def(Kind::Option(TypeId(1)), "Circular"),
            def(Kind::Vec(TypeId(4)), "Endless"),
        ]);
        let mut diags = Diagnostics::default();
        finish(&mut api, &mut diags);
        let (errors, _) = diags.into_parts();
        let mut pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/Circular",
                "#/components/schemas/Endless",
                "#/components/schemas/Unfinished"
            ]
        );
        assert!(errors.iter().all(|e| e.severity == crate::Severity::Bug));
    }

    #[test]
    fn valid_names_pass() {
        let mut diags = Diagnostics::default();
        check_names(&api_with(vec![enum_def("V200")]), &mut diags);
        assert!(!diags.has_errors());
    }
}
