//! The last pass over the model before emit: every identifier the emitter will print is
//! checked once here, so an invalid one is a diagnostic naming its schema or operation, never
//! a placeholder in the output.

use crate::diagnostics::{Diagnostics, child};
use crate::model::{Api, Kind};
use crate::naming::is_valid_ident;

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

    #[test]
    fn valid_names_pass() {
        let mut diags = Diagnostics::default();
        check_names(&api_with(vec![enum_def("V200")]), &mut diags);
        assert!(!diags.has_errors());
    }
}
