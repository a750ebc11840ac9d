//! One way to read a schema, whatever form `openapiv3` gave it ([`View`]), and schemas or
//! references borrowed from wherever they live ([`SRef`]).

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type};
use serde_json::Value;

/// A schema or a reference to one, borrowed from wherever it lives.
#[derive(Clone, Copy)]
pub(crate) enum SRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

/// A uniform view over `openapiv3`'s several schema shapes.
pub(crate) struct View<'s> {
    pub(crate) data: &'s SchemaData,
    pub(crate) typ: Option<&'s str>,
    pub(crate) format: Option<String>,
    pub(crate) enumeration: Vec<Value>,
    pub(crate) properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(crate) required: &'s [String],
    pub(crate) additional: Option<&'s AdditionalProperties>,
    pub(crate) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(crate) one_of: &'s [ReferenceOr<Schema>],
    pub(crate) any_of: &'s [ReferenceOr<Schema>],
    pub(crate) all_of: &'s [ReferenceOr<Schema>],
}

pub(super) fn format_name<T: std::fmt::Debug>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => Some(known(i).to_owned()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    pub(crate) fn of(schema: &'s Schema) -> View<'s> {
        let mut v = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.typ = Some("string");
                v.format = format_name(&s.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.typ = Some("number");
                v.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| {
                        e.and_then(serde_json::Number::from_f64)
                            .map_or(Value::Null, Value::Number)
                    })
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.typ = Some("integer");
                v.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = i
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.typ = Some("boolean");
                v.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.typ = Some("object");
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.typ = Some("array");
                v.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.enumeration = a.enumeration.clone();
                v.properties = Some(&a.properties);
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
            }
        }
        v
    }

    pub(super) fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    /// `additionalProperties` with a schema that says something (not `true`/`false`/`{}`).
    pub(super) fn has_additional_schema(&self) -> bool {
        match self.additional {
            Some(AdditionalProperties::Schema(s)) => is_structural((&**s).into()),
            _ => false,
        }
    }

    /// Whether this schema says anything about the shape of a value (as opposed to only
    /// describing it, or only constraining it with `required`).
    pub(super) fn is_structural(&self) -> bool {
        self.typ.is_some()
            || self.has_properties()
            || self.items.is_some()
            || self.additional.is_some()
            || !self.enumeration.is_empty()
            || !self.one_of.is_empty()
            || !self.any_of.is_empty()
            || !self.all_of.is_empty()
            || self.data.extensions.contains_key("x-apigen-null")
    }
}

pub(super) fn is_structural(s: SRef<'_>) -> bool {
    match s {
        SRef::Ref(_) => true,
        SRef::Item(schema) => View::of(schema).is_structural(),
    }
}

impl<'s> From<&'s Schema> for SRef<'s> {
    fn from(s: &'s Schema) -> Self {
        SRef::Item(s)
    }
}

/// Rebuilds a schema from a view (used for scalar `allOf` members, which are small).
pub(super) fn schema_of_view(v: &View<'_>) -> Schema {
    let mut any = openapiv3::AnySchema {
        typ: v.typ.map(str::to_owned),
        format: v.format.clone(),
        enumeration: v.enumeration.clone(),
        ..openapiv3::AnySchema::default()
    };
    if let Some(items) = v.items {
        any.items = Some(items.clone());
    }
    Schema {
        schema_data: SchemaData {
            nullable: v.data.nullable,
            ..SchemaData::default()
        },
        schema_kind: SchemaKind::Any(any),
    }
}

/// The aliases (`x-apigen-aliases`, checked by `read`) of the properties an object schema
/// declares, by property name; an alias that names one of its properties is not one.
pub(super) fn aliases_of(v: &View<'_>) -> IndexMap<String, Vec<String>> {
    let mut out = IndexMap::new();
    let Some(entries) = v
        .data
        .extensions
        .get("x-apigen-aliases")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, names) in entries {
        let names: Vec<String> = names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|alias| !v.properties.is_some_and(|p| p.contains_key(*alias)))
            .map(str::to_owned)
            .collect();
        if !names.is_empty() {
            out.insert(name.clone(), names);
        }
    }
    out
}

/// The component name of a `#/components/schemas/<name>` pointer (decoded), if it is one.
pub(super) fn component_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    if rest.contains('/') {
        return None;
    }
    Some(rest.replace("~1", "/").replace("~0", "~"))
}

/// The last token of a pointer, decoded.
pub(super) fn last_token(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).expect("a schema")
    }

    #[test]
    fn every_form_reads_the_same() {
        let s = schema("{type: string, format: date-time, enum: [a, b]}");
        let v = View::of(&s);
        assert_eq!(v.typ, Some("string"));
        assert_eq!(v.format.as_deref(), Some("date-time"));
        assert_eq!(v.enumeration, [Value::from("a"), Value::from("b")]);
        let s = schema("{type: object, required: [id], properties: {id: {type: integer}}}");
        let v = View::of(&s);
        assert_eq!(v.typ, Some("object"));
        assert_eq!(v.required, ["id"]);
        assert!(v.properties.is_some_and(|p| p.contains_key("id")));
        let s = schema("{type: array, items: {$ref: '#/components/schemas/A'}}");
        assert!(matches!(
            View::of(&s).items,
            Some(ReferenceOr::Reference { .. })
        ));
        let s = schema("{oneOf: [{type: string}, {type: integer}]}");
        assert_eq!(View::of(&s).one_of.len(), 2);
    }

    #[test]
    fn what_has_structure() {
        assert!(is_structural(SRef::Item(&schema("{type: string}"))));
        assert!(is_structural(SRef::Ref("#/components/schemas/A")));
        assert!(!is_structural(SRef::Item(&schema(
            "{description: only words}"
        ))));
    }

    #[test]
    fn pointers_and_aliases() {
        assert_eq!(
            component_name("/components/schemas/a~1b").as_deref(),
            Some("a/b")
        );
        assert_eq!(component_name("/components/schemas/A/properties/x"), None);
        assert_eq!(last_token("/paths/~1x/get"), "get");
        let s = schema(
            "{type: object, properties: {a: {type: string}, b: {type: string}}, \
             x-apigen-aliases: {a: [A, b]}}",
        );
        // `b` is a property of its own, so it cannot be an alias of `a`.
        assert_eq!(aliases_of(&View::of(&s))["a"], ["A"]);
    }
}
