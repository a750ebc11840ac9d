//! Schemas → the type arena.
//!
//! [`Converter`] walks schemas (components first, in document order, then whatever operations
//! use) and builds [`crate::model::Types`]. The rules, briefly:
//!
//! - **Memoized by pointer.** Every schema is converted once, keyed by its JSON pointer; a
//!   `$ref` converts its target's pointer. A schema met again while it is still being converted
//!   (recursion) gets a placeholder id, which becomes the finished type, a forwarding alias, or
//!   a newtype (`struct A(Vec<A>)`) when the recursion goes through an anonymous shape. A cycle
//!   with no structure at all (`A: {$ref: B}`, `B: {$ref: A}`) is an error diagnostic, never a
//!   stack overflow; nesting deeper than [`convert::MAX_DEPTH`] is an error too.
//! - **Shared by shape.** A named type (struct, enum, union) is keyed by the canonical JSON of
//!   its schema (minus top-level annotations: description, title, nullable…). A second schema
//!   with the same key reuses the type and adds a naming hint; different schemas never share
//!   a type, whatever their names.
//! - **Nullability is a wrapper.** `nullable` wraps the type in `Option` (interned); the struct
//!   emitter turns required/optional × nullable into the four field forms.
//! - **Unions.** `oneOf`/`anyOf` become enums. If a `discriminator`, or a single-value
//!   property common to all members, says which member a value is, the union is *tagged*:
//!   decoding dispatches on the tag and unknown tags land in a catch-all variant. Otherwise it
//!   is untagged and the variants are ordered so that serde's first-match decoding picks the
//!   most specific one (objects with more required fields first, integers before numbers,
//!   enums and formatted strings before plain strings, any-value last).
//! - **`allOf`** merges its object members (through `$ref`s and nested `allOf`s) into one
//!   struct; a single meaningful member is that member's type; unions among the members are
//!   kept as flattened fields.
//!
//! Names are decided afterwards by [`crate::naming::assign_names`]; cycles that need `Box`
//! are found by [`break_cycles`].
//!
//! Parts: `view` (reading a schema the same way whatever its `openapiv3` form), `shape` (the
//! canonical key that makes equal schemas one type), `convert` (the [`Converter`]), `cycles`
//! (where recursion needs a `Box`).

mod convert;
mod cycles;
mod shape;
mod view;

pub(crate) use convert::Converter;
pub(crate) use cycles::break_cycles;

/// Test support: the named types converted from `schemas` (the YAML of
/// `components/schemas`), named, with every diagnostic as `pointer: message`.
#[cfg(test)]
pub(crate) fn convert_schemas(schemas: &str) -> (crate::model::Types, Vec<String>) {
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for line in schemas.lines() {
        text.push_str("    ");
        text.push_str(line);
        text.push('\n');
    }
    let mut diags = crate::diagnostics::Diagnostics::default();
    let Some(doc) = crate::read::read(&text, &mut diags) else {
        let (errors, _) = diags.into_parts();
        panic!("{text}: {errors:?}");
    };
    let mut types = {
        let mut conv = Converter::new(&doc, &mut diags);
        conv.convert_components();
        conv.types
    };
    break_cycles(&mut types, &mut diags);
    crate::naming::assign_names(&mut types, &Default::default(), &mut diags);
    let (errors, warnings) = diags.into_parts();
    let found = errors
        .iter()
        .chain(&warnings)
        .map(|d| format!("{}: {}", d.pointer, d.message))
        .collect();
    (types, found)
}

/// Test support: the named type called `name`.
#[cfg(test)]
pub(crate) fn named<'t>(types: &'t crate::model::Types, name: &str) -> &'t crate::model::Kind {
    types
        .defs
        .iter()
        .find(|d| d.name == name && d.kind.is_named())
        .map(|d| &d.kind)
        .unwrap_or_else(|| panic!("no type {name}"))
}
