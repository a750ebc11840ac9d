//! `types.rs`: every named type, sorted by name.
//!
//! - structs derive `Debug, Clone, PartialEq, Serialize, Deserialize` (and `Default` when
//!   every field may be absent); no `deny_unknown_fields`, so new fields never break decoding;
//! - string enums get a catch-all variant holding unknown values, and hand-written
//!   `as_str`/`Display`/`FromStr`/`From<&str>`/`Serialize`/`Deserialize` that round-trip it;
//! - untagged unions use `#[serde(untagged)]` (variants already ordered by the converter);
//!   tagged unions dispatch on the tag property and keep unknown tags as JSON;
//! - newtypes are `#[serde(transparent)]`; component aliases are `type` aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{Ctx, Site, ident};
use crate::model::{Api, Decode, Field, Kind, PageImpl, StrEnum, Struct, TypeDef, TypeId, Union};

/// The named types in file order (sorted by name), each with a rough measure of how much code
/// it becomes; used to split the rendering of `types.rs` between two threads.
pub(crate) fn order(api: &Api) -> Vec<(TypeId, usize)> {
    let mut named: Vec<(&str, TypeId, usize)> = api
        .types
        .defs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.is_named() && !d.name.is_empty())
        .map(|(i, d)| {
            let weight = match &d.kind {
                Kind::Struct(s) => 3 + 2 * s.fields.len(),
                Kind::Enum(e) => 24 + 3 * e.variants.len(),
                Kind::Union(u) if u.tag.is_some() => 24 + 6 * u.variants.len(),
                Kind::Union(u) => 4 + u.variants.len(),
                Kind::Responses(c) => 3 + c.len(),
                _ => 2,
            };
            (d.name.as_str(), TypeId(i), weight)
        })
        .collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    named.into_iter().map(|(_, id, w)| (id, w)).collect()
}

/// Part of `types.rs`: the module docs (`first`), the given types, and (`last`) the `Page`
/// implementations. The parts, printed one after the other, make the file.
pub(crate) fn types(ctx: &Ctx<'_>, ids: &[TypeId], first: bool, last: bool) -> TokenStream {
    let mut out = if first {
        quote! {
            //! The API's data types.
        }
    } else {
        TokenStream::new()
    };
    for id in ids {
        let Some(def) = ctx.api.types.get(*id) else {
            continue;
        };
        let tokens = match &def.kind {
            Kind::Struct(s) => strukt(ctx, def, s),
            Kind::Enum(e) => string_enum(def, e),
            Kind::Union(u) => union(ctx, def, u),
            Kind::Newtype { inner, boxed } => newtype(ctx, def, *inner, *boxed),
            Kind::ComponentAlias(target) => alias(ctx, def, *target),
            Kind::Responses(cases) => responses(ctx, def, cases),
            _ => continue,
        };
        out.extend(tokens);
    }
    if last {
        let mut pages: Vec<&PageImpl> = ctx.api.pages.iter().collect();
        pages.sort_by(|a, b| ctx.api.types.name(a.list).cmp(ctx.api.types.name(b.list)));
        for p in pages {
            out.extend(page(ctx, p));
        }
    }
    out
}

fn header(def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
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
    let docs = doc_attrs(f.docs.as_deref());
    let deprecated = if f.deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    };
    if f.flatten {
        return quote! {
            #docs
            #[serde(flatten)]
            pub #name: #base,
        };
    }
    let rename = if crate::naming::unraw(&f.name) != f.wire {
        let wire = &f.wire;
        quote! { #[serde(rename = #wire)] }
    } else {
        TokenStream::new()
    };
    let rt = &ctx.rt;
    let (ty, attrs) = match (f.required, nullable) {
        (true, false) => (base, TokenStream::new()),
        (true, true) => (quote! { ::std::option::Option<#base> }, TokenStream::new()),
        (false, false) => (
            quote! { ::std::option::Option<#base> },
            quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none")] },
        ),
        (false, true) => {
            let with = format!("::{rt}::serde_helpers::double_option");
            (
                quote! { ::std::option::Option<::std::option::Option<#base>> },
                quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = #with)] },
            )
        }
    };
    quote! {
        #docs
        #rename
        #attrs
        #deprecated
        pub #name: #ty,
    }
}

fn strukt(ctx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
    let fields = s.fields.iter().map(|f| field_tokens(ctx, f));
    let types = &ctx.api.types;
    let defaultable = s.fields.iter().all(|f| {
        !f.required || (f.flatten && matches!(types.kind(types.resolve(f.ty)), Kind::Map(_)))
    });
    let default = if defaultable {
        quote! { ::std::default::Default, }
    } else {
        TokenStream::new()
    };
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn string_enum(def: &TypeDef, e: &StrEnum) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let doc = format!(" `{}`", v.wire.replace('`', "'"));
        quote! { #[doc = #doc] #n, }
    });
    let as_str = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let w = &v.wire;
        quote! { Self::#n => #w, }
    });
    let from = e.variants.iter().map(|v| {
        let n = ident(&v.name);
        let w = &v.wire;
        quote! { #w => Self::#n, }
    });
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know; kept as sent.
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn variant_type(ctx: &Ctx<'_>, ty: crate::model::TypeId, boxed: bool) -> TokenStream {
    let t = ctx.ty(ty, Site::Types);
    if boxed {
        quote! { ::std::boxed::Box<#t> }
    } else {
        t
    }
}

fn union(ctx: &Ctx<'_>, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let n = ident(&v.name);
            let t = variant_type(ctx, v.ty, v.boxed);
            quote! { #n(#t), }
        })
        .collect();
    let Some(tag) = &u.tag else {
        return quote! {
            #head
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
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
        let t = variant_type(ctx, v.ty, v.boxed);
        let values = &v.tag_values;
        quote! {
            #(::std::option::Option::Some(#values))|* => ::serde_json::from_value::<#t>(value).map(Self::#n),
        }
    });
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
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

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                let decoded = match tag.as_deref() {
                    #(#de_arms)*
                    _ => ::std::result::Result::Ok(Self::#unknown(value)),
                };
                decoded.map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

fn newtype(ctx: &Ctx<'_>, def: &TypeDef, inner: crate::model::TypeId, boxed: bool) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
    let t = variant_type(ctx, inner, boxed);
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #t);
    }
}

fn alias(ctx: &Ctx<'_>, def: &TypeDef, target: crate::model::TypeId) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
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

fn responses(ctx: &Ctx<'_>, def: &TypeDef, cases: &[crate::model::StatusCase]) -> TokenStream {
    let name = ident(&def.name);
    let head = header(def);
    let variants = cases.iter().map(|c| {
        let n = ident(&c.variant);
        let doc = match c.status {
            crate::model::StatusMatch::Code(code) => format!(" Status {code}."),
            crate::model::StatusMatch::Class(class) => format!(" Any other {class}xx status."),
            crate::model::StatusMatch::Default => " Any other status.".to_owned(),
        };
        match decode_payload(ctx, &c.decode, Site::Types) {
            Some(t) => quote! { #[doc = #doc] #n(#t), },
            None => quote! { #[doc = #doc] #n, },
        }
    });
    quote! {
        #head
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#variants)*
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
    let items_expr = if p.items_optional {
        quote! { self.#items.unwrap_or_default() }
    } else {
        quote! { self.#items }
    };
    quote! {
        impl ::#rt::Page for #list {
            type Item = #item;

            fn next_page_token(&self) -> ::std::option::Option<&str> {
                #token_expr.filter(|token| !token.is_empty())
            }

            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                #items_expr
            }
        }
    }
}
