//! `types.rs`: every named type, sorted by name.
//!
//! - structs derive `Debug, Clone, PartialEq` (and `Default` when every field may be
//!   absent);
//! - decoding is the runtime's `json::FromJson` (a streaming read of the JSON text, not
//!   generic over a deserializer): a struct lists its fields for the runtime's `impl_json!`
//!   — each read by wire name into a slot (`required`/`required_nullable`/`optional`/
//!   `optional_nullable`, flattened fields `rest`/`take_rest`) — which implements `FromJson`,
//!   `Deserialize` and `Serialize` from that one table; unknown members are skipped, so new
//!   fields never break decoding. The runtime walks the table (one shared function reads an
//!   object, one writes it), so a struct compiles to its table and little else: no derived
//!   `Deserialize` instantiated with the JSON parser per type, no derived `Serialize` per
//!   type, and decoding is fast (no `serde_json::Value` tree);
//! - string enums get a catch-all variant holding unknown values; their table of wire values
//!   goes to the runtime's `impl_string_enum!` (`as_str`, `From<&str>`, `Display`, `FromStr`,
//!   `Serialize`, `Deserialize`, `FromJson`), which round-trips unknown values;
//! - the macro tables are laid out as text, one row per line (see `Code`); everything else
//!   goes through `syn` and prettyplease;
//! - untagged unions try their variants in order (already ordered by the converter) and
//!   serialize with `#[serde(untagged)]`; tagged unions dispatch on the tag property and keep
//!   unknown tags as JSON;
//! - newtypes are `#[serde(transparent)]`; component aliases are `type` aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, generated_doc_attrs};
use super::fallback_docs;
use super::{Code, Ctx, Site, ident, macro_table, string_literal};
use crate::model::{Api, Decode, Field, Kind, PageImpl, StrEnum, Struct, TypeDef, TypeId, Union};

/// The named types in file order (sorted by name).
pub(crate) fn order(api: &Api) -> Vec<TypeId> {
    let mut named: Vec<(&str, TypeId)> = api
        .types
        .defs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.is_named() && !d.name.is_empty())
        .map(|(i, d)| (d.name.as_str(), TypeId(i)))
        .collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    named.into_iter().map(|(_, id)| id).collect()
}

/// `types.rs`: the module docs, the given types, and the `Page` implementations.
pub(crate) fn types(ctx: &Ctx<'_>, ids: &[TypeId]) -> Code {
    let mut out = Code::default();
    out.tokens(quote! {
        //! The API's data types.
    });
    for id in ids {
        let Some(def) = ctx.api.types.get(*id) else {
            continue;
        };
        match &def.kind {
            Kind::Struct(s) => strukt(ctx, *id, def, s, &mut out),
            Kind::Enum(e) => string_enum(ctx, *id, def, e, &mut out),
            Kind::Union(u) => out.tokens(union(ctx, *id, def, u)),
            Kind::Newtype { inner, boxed } => out.tokens(newtype(ctx, *id, def, *inner, *boxed)),
            Kind::ComponentAlias(target) => out.tokens(alias(ctx, *id, def, *target)),
            Kind::Responses(cases) => out.tokens(responses(ctx, *id, def, cases)),
            _ => continue,
        }
    }
    let mut pages: Vec<&PageImpl> = ctx.api.pages.iter().collect();
    pages.sort_by(|a, b| ctx.api.types.name(a.list).cmp(ctx.api.types.name(b.list)));
    for p in pages {
        out.tokens(page(ctx, p));
    }
    out
}

/// The type's doc comment (its description, or a line derived from its kind and use) and
/// `#[deprecated]`.
fn header(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef) -> TokenStream {
    let docs = match def.docs.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(docs) => doc_attrs(Some(docs)),
        None => generated_doc_attrs(&fallback_docs::type_doc(ctx.api, id, def, ctx.usages)),
    };
    let deprecated = if def.deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    };
    quote! { #docs #deprecated }
}

fn field_tokens(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let types = &ctx.api.types;
    let (inner, nullable) = types.strip_option(f.ty);
    let mut base = ctx.ty(inner, Site::Types);
    if f.boxed {
        base = quote! { ::std::boxed::Box<#base> };
    }
    let name = ident(&f.name);
    let docs = match f.docs.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(docs) => doc_attrs(Some(docs)),
        None => generated_doc_attrs(&fallback_docs::field_doc(f)),
    };
    let deprecated = if f.deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    };
    let ty = if f.flatten {
        base
    } else {
        match (f.required, nullable) {
            (true, false) => base,
            (true, true) | (false, false) => quote! { ::std::option::Option<#base> },
            (false, true) => quote! { ::std::option::Option<::std::option::Option<#base>> },
        }
    };
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

fn strukt(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef, s: &Struct, out: &mut Code) {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    let fields = s.fields.iter().map(|f| field_tokens(ctx, f));
    let types = &ctx.api.types;
    let defaultable = !s.fields.iter().any(|f| f.needed(types));
    let default = if defaultable {
        quote! { ::std::default::Default, }
    } else {
        TokenStream::new()
    };
    let constructor = if !defaultable && ctx.request_types.contains(&id) {
        constructor(ctx, &name, s)
    } else {
        TokenStream::new()
    };
    // Types only received can gain members without breaking anyone: code outside the crate
    // reads them, and builds them for tests by decoding JSON.
    let non_exhaustive = if ctx.request_types.contains(&id) {
        TokenStream::new()
    } else {
        quote! { #[non_exhaustive] }
    };
    out.tokens(quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #default)]
        #non_exhaustive
        pub struct #name {
            #(#fields)*
        }
        #constructor
    });
    out.text(&struct_table(ctx, &name, s));
}

/// `new(required…)` for a struct sent in request bodies that has required members: the
/// optional ones start empty and are set on the value (`body.branch = Some(…)`), so code
/// built this way keeps compiling when the API adds optional members.
fn constructor(ctx: &Ctx<'_>, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let types = &ctx.api.types;
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in &s.fields {
        let n = ident(&f.name);
        if f.needed(types) {
            let mut t = ctx.ty(f.ty, Site::Types);
            if f.boxed {
                t = quote! { ::std::boxed::Box<#t> };
            }
            args.push(quote! { #n: #t });
            inits.push(quote! { #n });
        } else if f.required {
            // A flattened map: it starts empty.
            inits.push(quote! { #n: ::std::default::Default::default() });
        } else {
            inits.push(quote! { #n: ::std::option::Option::None });
        }
    }
    let doc = generated_doc_attrs(
        "A value with the required members given and every optional one unset. Set optional \
         members on the value (`value.member = Some(…)`) rather than writing a struct \
         literal, so that the code keeps compiling when the API adds optional members. (A \
         type whose members are all optional has `Default`: end its literal with \
         `..Default::default()`.)",
    );
    quote! {
        impl #name {
            #doc
            #[allow(deprecated)]
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

/// A struct's `FromJson`, `Deserialize` and `Serialize`: the runtime's `impl_json!` with a
/// table of the fields — each declared member read and written by wire name (`required`,
/// `required_nullable`, `optional`, or `optional_nullable`), then the flattened fields
/// (`rest`, and `take_rest` for the last one), read from the members left and written among
/// the struct's.
fn struct_table(ctx: &Ctx<'_>, name: &proc_macro2::Ident, s: &Struct) -> String {
    let types = &ctx.api.types;
    let mut rows = Vec::with_capacity(s.fields.len());
    for f in s.fields.iter().filter(|f| !f.flatten) {
        let (_, nullable) = types.strip_option(f.ty);
        let read = match (f.required, nullable) {
            (true, false) => "required",
            (true, true) => "required_nullable",
            (false, false) => "optional",
            (false, true) => "optional_nullable",
        };
        let mut names = string_literal(&f.wire);
        for alias in &f.aliases {
            names.push_str(" | ");
            names.push_str(&string_literal(alias));
        }
        rows.push(format!("{}: {read} {names}", ident(&f.name)));
    }
    let flattened: Vec<&Field> = s.fields.iter().filter(|f| f.flatten).collect();
    for (i, f) in flattened.iter().enumerate() {
        let read = if i + 1 == flattened.len() {
            "take_rest"
        } else {
            "rest"
        };
        rows.push(format!("{}: {read}", ident(&f.name)));
    }
    macro_table(&ctx.rt, "impl_json", &name.to_string(), &rows, None)
}

fn string_enum(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef, e: &StrEnum, out: &mut Code) {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let doc = format!(" `{}`", v.wire.replace('`', "'"));
        quote! { #[doc = #doc] #n, }
    });
    out.tokens(quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know; kept as sent.
            #unknown(::std::string::String),
        }
    });
    let rows: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{} = {}", ident(&v.name), string_literal(&v.wire)))
        .collect();
    out.text(&macro_table(
        &ctx.rt,
        "impl_string_enum",
        &name.to_string(),
        &rows,
        Some(&format!("_ => {unknown}")),
    ));
}

fn variant_type(ctx: &Ctx<'_>, ty: crate::model::TypeId, boxed: bool) -> TokenStream {
    let t = ctx.ty(ty, Site::Types);
    if boxed {
        quote! { ::std::boxed::Box<#t> }
    } else {
        t
    }
}

fn union(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let n = ident(&v.name);
            let t = variant_type(ctx, v.ty, v.boxed);
            let docs = generated_doc_attrs(&fallback_docs::variant_doc(ctx.api, u, v));
            quote! { #docs #n(#t), }
        })
        .collect();
    let rt = &ctx.rt;
    let Some(tag) = &u.tag else {
        // Variants are tried in order; the converter ordered them so each value decodes to
        // the right one.
        let tries = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            quote! { .or(Self::#n) }
        });
        let type_name = &def.name;
        return quote! {
            #head
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
        pub enum #name {
                #(#variants)*
            }

            impl ::#rt::json::FromJson for #name {
                #[inline]
                fn read(reader: &mut ::#rt::json::Reader<'_>) -> ::std::result::Result<Self, ::#rt::json::Error> {
                    ::#rt::json::Untagged::new(reader) #(#tries)* .end(#type_name)
                }
            }

            ::#rt::impl_deserialize!(#name);
        };
    };
    let unknown = ident(&tag.unknown);
    let property = &tag.property;
    let unknown_doc = format!(
        " A value whose `{}` this version of the client does not know; kept as sent.",
        property.replace('`', "'")
    );
    let ser_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        match (v.writes_tag, v.tag_values.first()) {
            (false, Some(tag_value)) => quote! {
                Self::#n(value) => {
                    let mut json = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
                    if let ::std::option::Option::Some(object) = json.as_object_mut() {
                        object.insert(::std::string::String::from(#property), ::serde_json::Value::from(#tag_value));
                    }
                    ::serde::Serialize::serialize(&json, serializer)
                }
            },
            _ => quote! { Self::#n(value) => ::serde::Serialize::serialize(value, serializer), },
        }
    });
    let de_arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let values = &v.tag_values;
        quote! {
            #(::std::option::Option::Some(#values))|* => value.read().map(Self::#n),
        }
    });
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl ::#rt::json::FromJson for #name {
            #[inline]
            fn read(reader: &mut ::#rt::json::Reader<'_>) -> ::std::result::Result<Self, ::#rt::json::Error> {
                let value = reader.tagged(#property)?;
                match value.tag() {
                    #(#de_arms)*
                    _ => value.read().map(Self::#unknown),
                }
            }
        }

        ::#rt::impl_deserialize!(#name);
    }
}

fn newtype(
    ctx: &Ctx<'_>,
    id: TypeId,
    def: &TypeDef,
    inner: crate::model::TypeId,
    boxed: bool,
) -> TokenStream {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    let t = variant_type(ctx, inner, boxed);
    let rt = &ctx.rt;
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct #name(pub #t);

        impl ::#rt::json::FromJson for #name {
            #[inline]
            fn read(reader: &mut ::#rt::json::Reader<'_>) -> ::std::result::Result<Self, ::#rt::json::Error> {
                ::#rt::json::FromJson::read(reader).map(Self)
            }
        }

        ::#rt::impl_deserialize!(#name);
    }
}

fn alias(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef, target: crate::model::TypeId) -> TokenStream {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    let t = ctx.ty(target, Site::Types);
    quote! {
        #head
        pub type #name = #t;
    }
}

pub(super) fn decode_payload(ctx: &Ctx<'_>, d: &Decode, site: Site) -> Option<TokenStream> {
    let rt = &ctx.rt;
    match d {
        Decode::Empty => None,
        Decode::Json(t) => Some(ctx.ty(*t, site)),
        Decode::Text => Some(quote! { ::std::string::String }),
        Decode::Bytes => Some(quote! { ::#rt::bytes::Bytes }),
    }
}

fn responses(
    ctx: &Ctx<'_>,
    id: TypeId,
    def: &TypeDef,
    cases: &[crate::model::StatusCase],
) -> TokenStream {
    let name = ident(&def.name);
    let head = header(ctx, id, def);
    // Success bodies (some case is a 2xx) cover the other 2xx statuses with `default`; error
    // bodies cover the other error statuses.
    let success = cases.iter().any(|c| {
        matches!(
            c.status,
            crate::model::StatusMatch::Code(200..=299) | crate::model::StatusMatch::Class(2)
        )
    });
    let variants = cases.iter().map(|c| {
        let n = ident(&c.variant);
        let doc = match c.status {
            crate::model::StatusMatch::Code(code) => format!(" Status {code}."),
            crate::model::StatusMatch::Class(class) => format!(" Any other {class}xx status."),
            crate::model::StatusMatch::Default if success => {
                " Any other 2xx status (the `default` response).".to_owned()
            }
            crate::model::StatusMatch::Default => {
                " Any other error status (the `default` response).".to_owned()
            }
        };
        match decode_payload(ctx, &c.decode, Site::Types) {
            Some(t) => quote! { #[doc = #doc] #n(#t), },
            None => quote! { #[doc = #doc] #n, },
        }
    });
    // `Serialize` writes the body itself: JSON as its type does, text as a string, bytes
    // as the serializer writes bytes, no body as a unit (`null` in JSON).
    let ser_arms = cases.iter().map(|c| {
        let n = ident(&c.variant);
        match &c.decode {
            Decode::Empty => quote! { Self::#n => serializer.serialize_unit(), },
            Decode::Bytes => quote! { Self::#n(value) => serializer.serialize_bytes(value), },
            Decode::Json(_) | Decode::Text => {
                quote! { Self::#n(value) => ::serde::Serialize::serialize(value, serializer), }
            }
        }
    });
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }
    }
}

fn page(ctx: &Ctx<'_>, p: &PageImpl) -> TokenStream {
    let rt = &ctx.rt;
    let list = ctx.ty(p.list, Site::Types);
    let item = ctx.ty(p.item, Site::Types);
    let items = ident(&p.items_field);
    let token = ident(&p.token_field);
    let token_expr = match p.token_options {
        0 => quote! { ::std::option::Option::Some(self.#token.as_str()) },
        1 => quote! { self.#token.as_deref() },
        _ => quote! { self.#token.as_ref().and_then(::std::option::Option::as_deref) },
    };
    // Every `Option` layer but the last is flattened; the last gives an empty `Vec` for `None`.
    let items_expr = match p.items_options {
        0 => quote! { self.#items },
        n => {
            let flattens = (1..n).map(|_| quote! { .flatten() });
            quote! { self.#items #(#flattens)* .unwrap_or_default() }
        }
    };
    let count_expr = match p.items_options {
        0 => quote! { self.#items.len() },
        n => {
            let unwraps = (1..n).map(|_| quote! { .and_then(::std::option::Option::as_ref) });
            quote! { self.#items.as_ref() #(#unwraps)* .map_or(0, ::std::vec::Vec::len) }
        }
    };
    quote! {
        impl ::#rt::Page for #list {
            type Item = #item;

            #[inline]
            fn next_page_token(&self) -> ::std::option::Option<&str> {
                #token_expr.filter(|token| !token.is_empty())
            }

            #[inline]
            fn item_count(&self) -> usize {
                #count_expr
            }

            #[inline]
            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                #items_expr
            }
        }
    }
}
