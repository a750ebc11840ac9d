//! `operations/<tag>.rs`: one plain (non-`async`) method per operation, returning the
//! runtime's `Call` (or `PagedCall`), which the caller awaits.
//!
//! Arguments: path parameters in template order, then the other required parameters, then
//! the body, then optional parameters as `Option`s — so a missing required value is a compile
//! error. Strings are `&str`, `Copy` scalars are passed by value, everything else by
//! reference (`&[T]` for arrays).
//!
//! The body of a method is a straight chain of runtime calls (`path`, `path_param`,
//! `path_slug`, `query`, `header`, `json`, `form`, `send`); decoding goes through plain function
//! pointers, so no per-operation generic code is instantiated.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::decode_payload;
use super::{Ctx, Site, ident};
use crate::model::{
    Body, Decode, ErrorBody, Kind, Location, Operation, Param, Piece, Prim, QueryStyle, StatusCase,
    StatusMatch, Success, TypeId,
};
use crate::naming;

/// How an argument is passed and turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `&str`.
    Str,
    /// A `Copy` value (`i64`, `bool`, `Uuid`…); `Display` for text.
    Value,
    /// A string enum by reference; `as_str()` for text.
    Enum,
    /// `&Url`; `as_str()` for text.
    Url,
    /// Anything else by reference (`&T`, `&[T]`).
    Ref,
}

/// The operations grouped by module (file), modules in name order, operations in document
/// order.
pub(crate) fn groups(api: &crate::model::Api) -> BTreeMap<&str, Vec<&Operation>> {
    let mut grouped: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        grouped.entry(op.module.as_str()).or_default().push(op);
    }
    grouped
}

/// The file of one module: its docs, an `impl Client` block with its operations, and their
/// per-status decoders.
pub(crate) fn module(ctx: &Ctx<'_>, module: &str, ops: &[&Operation]) -> TokenStream {
    let docs_text = ctx
        .api
        .module_docs
        .get(module)
        .map_or("Operations without a tag.", String::as_str);
    let docs: TokenStream = super::inner_doc(doc_attrs(Some(docs_text)));
    let mut methods = TokenStream::new();
    let mut helpers = TokenStream::new();
    for op in ops {
        let (m, h) = operation(ctx, op);
        methods.extend(m);
        helpers.extend(h);
    }
    let code = quote! {
        impl super::super::Client {
            #methods
        }
        #helpers
    };
    // Generated types are named `types::Name` through one import (when the file names any).
    let import = if code.to_string().contains("types ::") {
        quote! { use super::super::types; }
    } else {
        TokenStream::new()
    };
    quote! {
        #docs
        #import
        #code
    }
}

fn mode_of(ctx: &Ctx<'_>, ty: TypeId) -> Mode {
    let types = &ctx.api.types;
    let mut t = ty;
    // Component aliases end at another type (`finalize` bounds the chain).
    while let Kind::ComponentAlias(inner) = types.kind(t) {
        t = *inner;
    }
    match types.kind(t) {
        Kind::Prim(Prim::String) => Mode::Str,
        Kind::Prim(Prim::Url) => Mode::Url,
        Kind::Prim(p) if p.is_copy() => Mode::Value,
        Kind::Enum(_) => Mode::Enum,
        _ => Mode::Ref,
    }
}

/// The argument type (without `Option`) of a parameter.
fn arg_type(ctx: &Ctx<'_>, ty: TypeId) -> TokenStream {
    let types = &ctx.api.types;
    match mode_of(ctx, ty) {
        Mode::Str => quote! { &str },
        Mode::Value => ctx.ty(ty, Site::Nested),
        Mode::Enum | Mode::Url => {
            let t = ctx.ty(ty, Site::Nested);
            quote! { &#t }
        }
        Mode::Ref => {
            if let Kind::Vec(item) = types.kind(ty) {
                let item_ty = if mode_of(ctx, *item) == Mode::Str
                    && matches!(types.kind(*item), Kind::Prim(Prim::String))
                {
                    quote! { &str }
                } else {
                    ctx.ty(*item, Site::Nested)
                };
                quote! { &[#item_ty] }
            } else {
                let t = ctx.ty(ty, Site::Nested);
                quote! { &#t }
            }
        }
    }
}

/// An expression giving `&str` text of a scalar argument held in `var`.
fn text_of(mode: Mode, var: &TokenStream) -> TokenStream {
    match mode {
        Mode::Str => quote! { #var },
        Mode::Enum | Mode::Url => quote! { #var.as_str() },
        Mode::Value | Mode::Ref => quote! { &::std::string::ToString::to_string(&#var) },
    }
}

/// An expression to pass `var` where the runtime takes `&impl Display` (path parameters).
fn display_arg(mode: Mode, var: &TokenStream) -> TokenStream {
    match mode {
        Mode::Str => quote! { #var },
        Mode::Enum | Mode::Url => quote! { #var.as_str() },
        Mode::Value | Mode::Ref => quote! { &#var },
    }
}

/// An expression to pass `var` where the runtime takes `&impl Serialize`.
fn serialize_arg(mode: Mode, var: &TokenStream) -> TokenStream {
    match mode {
        Mode::Value => quote! { &#var },
        _ => quote! { #var },
    }
}

fn query_style(ctx: &Ctx<'_>, s: QueryStyle) -> TokenStream {
    let rt = &ctx.rt;
    match s {
        QueryStyle::Form { explode } => quote! { ::#rt::QueryStyle::Form { explode: #explode } },
        QueryStyle::SpaceDelimited => quote! { ::#rt::QueryStyle::SpaceDelimited },
        QueryStyle::PipeDelimited => quote! { ::#rt::QueryStyle::PipeDelimited },
        QueryStyle::DeepObject => quote! { ::#rt::QueryStyle::DeepObject },
    }
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut text = String::new();
    let summary = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = op
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(s) = summary {
        text.push_str(s);
        text.push_str("\n\n");
    }
    if let Some(d) = description
        && Some(d) != summary
    {
        text.push_str(d);
        text.push_str("\n\n");
    }
    let mut tail = format!("`{} {}`", op.method.upper(), op.path.replace('`', "'"));
    if let Some(id) = &op.operation_id {
        tail.push_str(&format!(" (operation `{}`)", id.replace('`', "'")));
    }
    let mut lines = Vec::new();
    for p in &op.params {
        let mut line = format!("- `{}`", naming::unraw(&p.name));
        if p.wire != naming::unraw(&p.name) {
            line.push_str(&format!(" (`{}`)", p.wire.replace('`', "'")));
        }
        if p.deprecated {
            line.push_str(" (deprecated)");
        }
        if let Some(d) = p.docs.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            line.push_str(": ");
            line.push_str(&d.replace('\n', " "));
        }
        lines.push(line);
    }
    if let Some(b) = &op.body {
        let d = b.docs.as_deref().map(str::trim).filter(|d| !d.is_empty());
        match (d, b.required) {
            (Some(d), true) => lines.push(format!("- `body`: {}", d.replace('\n', " "))),
            (Some(d), false) => lines.push(format!(
                "- `body` (optional; `None` sends no body): {}",
                d.replace('\n', " ")
            )),
            (None, false) => lines.push("- `body`: optional; `None` sends no body.".to_owned()),
            (None, true) => {}
        }
    }
    let mut out = doc_attrs(Some(&format!("{text}{tail}")));
    if !lines.is_empty() {
        let args = format!("# Arguments\n\n{}", lines.join("\n"));
        let args_docs = doc_attrs(Some(&args));
        out.extend(quote! { #[doc = ""] #args_docs });
    }
    out
}

fn operation(ctx: &Ctx<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let rt = &ctx.rt;
    let name = ident(&op.name);
    let docs = method_docs(op);
    let deprecated = if op.deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    };
    let method = format_ident!("{}", op.method.upper());
    let path = &op.path;

    // Signature: the parameters in the order the model keeps them (the argument order),
    // with the body between the required and the optional ones.
    let mut args = Vec::new();
    let (required, optional): (Vec<&Param>, Vec<&Param>) =
        op.params.iter().partition(|p| p.required);
    for p in &required {
        let n = ident(&p.name);
        let t = arg_type(ctx, p.ty);
        args.push(quote! { #n: #t });
    }
    let mut body_stmt = TokenStream::new();
    let mut body_in_chain: Option<TokenStream> = None;
    if let Some(b) = &op.body {
        let (t, call) = match &b.body {
            Body::Json(ty) | Body::Form(ty) => {
                let mode = mode_of(ctx, *ty);
                let t = arg_type(ctx, *ty);
                let var = quote! { body };
                let pass = serialize_arg(mode, &var);
                let call = if matches!(b.body, Body::Form(_)) {
                    quote! { .form(#pass) }
                } else {
                    quote! { .json(#pass) }
                };
                (t, call)
            }
            Body::Raw { content_type } => (
                quote! { ::#rt::bytes::Bytes },
                quote! { .body(#content_type, body) },
            ),
        };
        if b.required {
            args.push(quote! { body: #t });
            body_in_chain = Some(call);
        } else {
            args.push(quote! { body: ::std::option::Option<#t> });
            body_stmt = quote! {
                if let ::std::option::Option::Some(body) = body {
                    builder = builder #call;
                }
            };
        }
    }
    for p in &optional {
        let n = ident(&p.name);
        let t = arg_type(ctx, p.ty);
        args.push(quote! { #n: ::std::option::Option<#t> });
    }

    // Path: the template, whose parameters the runtime fills in by name.
    let mut chain = quote! { self.inner.request(::#rt::Method::#method, #path) };
    for piece in &op.pieces {
        match piece {
            Piece::Literal(_) => {}
            Piece::Param(wire) => {
                let Some(p) = op
                    .params
                    .iter()
                    .find(|p| p.location == Location::Path && p.wire == *wire)
                else {
                    continue;
                };
                let var = {
                    let n = ident(&p.name);
                    quote! { #n }
                };
                let text = text_of(mode_of(ctx, p.ty), &var);
                if let Some(counts) = &p.slug {
                    let counts = counts
                        .iter()
                        .map(|n| proc_macro2::Literal::usize_unsuffixed(*n));
                    chain.extend(quote! { .path_slug(#wire, #text, &[#(#counts),*]) });
                } else {
                    let shown = display_arg(mode_of(ctx, p.ty), &var);
                    chain.extend(quote! { .path_param(#wire, #shown) });
                }
            }
        }
    }

    if let Some(call) = body_in_chain {
        chain.extend(call);
    }

    // Required query, header and cookie parameters join the chain; optional ones are
    // statements.
    let mut stmts = TokenStream::new();
    for p in &op.params {
        if p.location == Location::Path {
            continue;
        }
        let n = ident(&p.name);
        let var = if p.required {
            quote! { #n }
        } else {
            quote! { value }
        };
        let mode = mode_of(ctx, p.ty);
        let wire = &p.wire;
        let call = match p.location {
            Location::Query => {
                let style = query_style(ctx, p.style);
                let pass = serialize_arg(mode, &var);
                if p.style == (QueryStyle::Form { explode: true }) {
                    quote! { .query(#wire, #pass) }
                } else {
                    quote! { .query_styled(#wire, #pass, #style) }
                }
            }
            Location::Header => {
                let pass = serialize_arg(mode, &var);
                quote! { .header(#wire, #pass) }
            }
            Location::Cookie => {
                let pass = serialize_arg(mode, &var);
                quote! { .cookie(#wire, #pass) }
            }
            Location::Path => continue,
        };
        if p.required {
            chain.extend(call);
        } else {
            stmts.extend(quote! {
                if let ::std::option::Option::Some(value) = #n {
                    builder = builder #call;
                }
            });
        }
    }
    // Decoding.
    let mut helpers = TokenStream::new();
    let (ok_ty, ok_fn) = match &op.success {
        Success::One(d) => decode_one(ctx, d),
        Success::ByStatus(ty) => {
            let f = ident(&naming::status_decoder_name(&op.name, false));
            let cases = ctx.api.types.status_cases(*ty);
            helpers.extend(status_decoder(ctx, &f, *ty, cases, false));
            (ctx.ty(*ty, Site::Nested), quote! { #f })
        }
    };
    let (err_ty, err_fn) = match &op.error {
        ErrorBody::Untyped => (
            quote! { ::serde_json::Value },
            quote! { ::#rt::decode::from_json_error::<::serde_json::Value> },
        ),
        ErrorBody::One(t) => {
            let t = ctx.ty(*t, Site::Nested);
            (t.clone(), quote! { ::#rt::decode::from_json_error::<#t> })
        }
        ErrorBody::ByStatus(ty) => {
            let f = ident(&naming::status_decoder_name(&op.name, true));
            let cases = ctx.api.types.status_cases(*ty);
            helpers.extend(status_decoder(ctx, &f, *ty, cases, true));
            (ctx.ty(*ty, Site::Nested), quote! { #f })
        }
    };
    let (ret, send) = match &op.pagination {
        Some(pg) => {
            let token = &pg.token_param;
            (
                quote! { ::#rt::PagedCall<#ok_ty, #err_ty> },
                quote! { .send_paged(#token, #ok_fn, #err_fn) },
            )
        }
        None => (
            quote! { ::#rt::Call<#ok_ty, #err_ty> },
            quote! { .send(#ok_fn, #err_fn) },
        ),
    };

    let body = if stmts.is_empty() && body_stmt.is_empty() {
        quote! { #chain #send }
    } else {
        quote! {
            let mut builder = #chain;
            #body_stmt
            #stmts
            builder #send
        }
    };
    let method_tokens = quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> #ret {
            #body
        }
    };
    (method_tokens, helpers)
}

fn decode_one(ctx: &Ctx<'_>, d: &Decode) -> (TokenStream, TokenStream) {
    let rt = &ctx.rt;
    match d {
        Decode::Empty => (quote! { () }, quote! { ::#rt::decode::empty }),
        Decode::Json(t) => {
            let t = ctx.ty(*t, Site::Nested);
            (t.clone(), quote! { ::#rt::decode::from_json::<#t> })
        }
        Decode::Text => (
            quote! { ::std::string::String },
            quote! { ::#rt::decode::text },
        ),
        Decode::Bytes => (
            quote! { ::#rt::bytes::Bytes },
            quote! { ::#rt::decode::bytes },
        ),
    }
}

/// A function choosing the variant of a by-status enum from the response status.
fn status_decoder(
    ctx: &Ctx<'_>,
    f: &proc_macro2::Ident,
    ty: TypeId,
    cases: &[StatusCase],
    error: bool,
) -> TokenStream {
    let rt = &ctx.rt;
    let enum_ty = ctx.ty(ty, Site::Nested);
    let arm_body = |c: &StatusCase| -> TokenStream {
        let v = ident(&c.variant);
        let has_payload = decode_payload(ctx, &c.decode, Site::Nested).is_some();
        if error {
            return quote! { ::#rt::decode::from_json_error(response).map(#enum_ty::#v) };
        }
        let func = match &c.decode {
            Decode::Empty => quote! { ::#rt::decode::empty },
            Decode::Json(_) => quote! { ::#rt::decode::from_json },
            Decode::Text => quote! { ::#rt::decode::text },
            Decode::Bytes => quote! { ::#rt::decode::bytes },
        };
        if has_payload {
            quote! { #func(response, decoding).map(#enum_ty::#v) }
        } else {
            quote! { #func(response, decoding).map(|()| #enum_ty::#v) }
        }
    };
    let mut arms = TokenStream::new();
    for c in cases {
        if let StatusMatch::Code(code) = c.status {
            let body = arm_body(c);
            arms.extend(quote! { #code => #body, });
        }
    }
    for c in cases {
        if let StatusMatch::Class(class) = c.status {
            let body = arm_body(c);
            arms.extend(quote! { status if status / 100 == #class => #body, });
        }
    }
    // A status nothing declares: no error body, or (for success) a decode error naming the
    // status rather than a guess at one of the declared bodies.
    match cases.iter().find(|c| c.status == StatusMatch::Default) {
        Some(c) => {
            let body = arm_body(c);
            arms.extend(quote! { _ => #body, });
        }
        None if error => arms.extend(quote! { _ => ::std::option::Option::None, }),
        None => arms.extend(quote! {
            _ => ::std::result::Result::Err(::#rt::decode::undeclared_status(response)),
        }),
    }
    let ret = if error {
        quote! { ::std::option::Option<#enum_ty> }
    } else {
        quote! { ::std::result::Result<#enum_ty, ::#rt::DecodeError> }
    };
    let params = if error {
        quote! { response: &::#rt::RawResponse }
    } else {
        quote! { response: &::#rt::RawResponse, decoding: &mut ::#rt::decode::Decoding }
    };
    quote! {
        fn #f(#params) -> #ret {
            match response.status.as_u16() {
                #arms
            }
        }
    }
}
