//! `operations/<tag>.rs`: one plain (non-`async`) method per operation, returning a call
//! type of its own (the runtime's `call_type!` around a `Call` or `PagedCall`), which the
//! caller awaits.
//!
//! Arguments: path parameters in template order, then the other required parameters, then a
//! required body — so a missing required value is a compile error. Optional parameters (and
//! an optional body) are setters of the call type, named after them, so that one the
//! document adds later breaks no caller. Strings are `&str`, `Copy` scalars are passed by
//! value, everything else by reference (`&[T]` for arrays).
//!
//! The body of a method is a straight chain of runtime calls (`path_param`, `path_slug`,
//! `query`, `header`, `json`, `form`, `send`), and a setter is one such call on the call;
//! decoding goes through plain function pointers, so no per-operation generic code is
//! instantiated.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, generated_doc_attrs, sanitize};
use super::types::decode_payload;
use super::{Ctx, Site, ident};
use crate::model::{
    Body, Decode, ErrorBody, Kind, Location, Operation, Param, Piece, Prim, QueryStyle, StatusCase,
    StatusMatch, Success, TypeId,
};
use crate::naming;

/// How an argument is passed and turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `&str`.
    Str,
    /// A `Copy` value (`i64`, `bool`, `Uuid`…); `Display` for text.
    Value,
    /// A string enum by reference; `as_str()` for text.
    Enum,
    /// `&Uri`; `as_str()` for text.
    Uri,
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

pub(super) fn mode_of(ctx: &Ctx<'_>, ty: TypeId) -> Mode {
    let types = &ctx.api.types;
    let mut t = ty;
    // Component aliases end at another type (`finalize` bounds the chain).
    while let Kind::ComponentAlias(inner) = types.kind(t) {
        t = *inner;
    }
    match types.kind(t) {
        Kind::Prim(Prim::String) => Mode::Str,
        Kind::Prim(Prim::Uri) => Mode::Uri,
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
        Mode::Enum | Mode::Uri => {
            let t = ctx.ty(ty, Site::Nested);
            quote! { &#t }
        }
        Mode::Ref => {
            if let Kind::Vec(item) = types.kind(ty) {
                let item_ty = if str_items(ctx, ty) {
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

/// Whether `ty` is an array of plain strings, which arguments take as `&[&str]`.
pub(super) fn str_items(ctx: &Ctx<'_>, ty: TypeId) -> bool {
    let types = &ctx.api.types;
    matches!(types.kind(ty), Kind::Vec(item)
        if mode_of(ctx, *item) == Mode::Str && matches!(types.kind(*item), Kind::Prim(Prim::String)))
}

/// An expression giving `&str` text of a scalar argument held in `var`.
fn text_of(mode: Mode, var: &TokenStream) -> TokenStream {
    match mode {
        Mode::Str => quote! { #var },
        Mode::Enum | Mode::Uri => quote! { #var.as_str() },
        Mode::Value | Mode::Ref => quote! { &::std::string::ToString::to_string(&#var) },
    }
}

/// An expression to pass `var` where the runtime takes `&impl Display` (path parameters).
fn display_arg(mode: Mode, var: &TokenStream) -> TokenStream {
    match mode {
        Mode::Str => quote! { #var },
        Mode::Enum | Mode::Uri => quote! { #var.as_str() },
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

/// One line of text from a description: trimmed, its line breaks joined.
fn one_line(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.replace('\n', " "))
}

/// What docs say after a parameter's Rust name: its wire name where it differs, and whether
/// it is deprecated.
fn param_note(p: &Param) -> String {
    let mut note = String::new();
    if p.wire != naming::unraw(&p.name) {
        note.push_str(&format!(" (`{}`)", p.wire.replace('`', "'")));
    }
    if p.deprecated {
        note.push_str(" (deprecated)");
    }
    note
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
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let n = naming::unraw(&p.name);
        let mut line = if p.required {
            format!("- `{n}`{}", param_note(p))
        } else {
            format!("- [`.{n}()`]({}::{n}){}", op.call_type, param_note(p))
        };
        if let Some(d) = one_line(p.docs.as_deref()) {
            line.push_str(": ");
            line.push_str(&sanitize(&d));
        }
        if p.required {
            args.push(line);
        } else {
            setters.push(line);
        }
    }
    if let Some(b) = &op.body {
        let d = one_line(b.docs.as_deref());
        match (d.map(|d| sanitize(&d)), b.required) {
            (Some(d), true) => args.push(format!("- `body`: {d}")),
            (None, true) => {}
            (d, false) => setters.push(format!(
                "- [`.body()`]({}::body){}",
                op.call_type,
                d.map(|d| format!(": {d}")).unwrap_or_default()
            )),
        }
    }
    let mut out = doc_attrs(Some(&format!("{text}{tail}")));
    // The lists are generated text around document prose sanitized line by line, so that
    // the links to the setters stay links.
    if !args.is_empty() {
        let args = format!("# Arguments\n\n{}", args.join("\n"));
        let args_docs = generated_doc_attrs(&args);
        out.extend(quote! { #[doc = ""] #args_docs });
    }
    if !setters.is_empty() {
        let text = format!(
            "# Optional parameters\n\nSet on the returned [`{}`] before `.await`:\n\n{}",
            op.call_type,
            setters.join("\n")
        );
        let docs = generated_doc_attrs(&text);
        out.extend(quote! { #[doc = ""] #docs });
    }
    out
}

/// The docs of an operation's call type.
fn call_type_docs(op: &Operation) -> TokenStream {
    let mut text = format!(
        "The call [`Client::{m}`](super::super::Client::{m}) returns: ",
        m = naming::unraw(&op.name)
    );
    let optional =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    if optional {
        text.push_str("set optional parameters with its setters, then ");
    }
    if op.pagination.is_some() {
        text.push_str(
            "`.await` it for the first page, or walk every page with `.pages()` or every \
             item with `.items()`.",
        );
    } else {
        text.push_str("`.await` it to send the request.");
    }
    generated_doc_attrs(&text)
}

/// The docs of the setter of an optional parameter.
fn setter_docs(p: &Param) -> TokenStream {
    let mut text = one_line(p.docs.as_deref()).unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "The {} parameter `{}`; not sent unless set.",
        p.location.noun(),
        p.wire.replace('`', "'")
    ));
    doc_attrs(Some(&text))
}

/// The expression adding a non-path parameter held in `var` to `target` (a `RequestBuilder`
/// or a `Call`, which take the same calls).
fn add_param(ctx: &Ctx<'_>, p: &Param, var: &TokenStream) -> TokenStream {
    let mode = mode_of(ctx, p.ty);
    let wire = &p.wire;
    let pass = serialize_arg(mode, var);
    match p.location {
        Location::Query if p.style == (QueryStyle::Form { explode: true }) => {
            quote! { .query(#wire, #pass) }
        }
        Location::Query => {
            let style = query_style(ctx, p.style);
            quote! { .query_styled(#wire, #pass, #style) }
        }
        Location::Header => quote! { .header(#wire, #pass) },
        Location::Cookie => quote! { .cookie(#wire, #pass) },
        // Path parameters fill the template instead (see `operation`).
        Location::Path => TokenStream::new(),
    }
}

/// The method of `Client` for one operation, and its call type with its setters and any
/// per-status decoders.
fn operation(ctx: &Ctx<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let rt = &ctx.rt;
    let name = ident(&op.name);
    let call_type = ident(&op.call_type);
    let docs = method_docs(op);
    let deprecated = if op.deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    };
    let method = format_ident!("{}", op.method.upper());
    let path = &op.request_path;

    // Arguments: the required parameters in the model's order (path parameters first), then
    // a required body. Optional parameters and an optional body are setters.
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let n = ident(&p.name);
        let t = arg_type(ctx, p.ty);
        args.push(quote! { #n: #t });
    }
    let mut setters = TokenStream::new();
    let mut body_in_chain: Option<TokenStream> = None;
    if let Some(b) = &op.body {
        let var = quote! { body };
        let (t, call) = match &b.body {
            Body::Json(ty) | Body::Form(ty) => {
                let pass = serialize_arg(mode_of(ctx, *ty), &var);
                let call = if matches!(b.body, Body::Form(_)) {
                    quote! { .form(#pass) }
                } else {
                    quote! { .json(#pass) }
                };
                (arg_type(ctx, *ty), call)
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
            let text = one_line(b.docs.as_deref()).map_or_else(
                || "The request body; none is sent unless set.".to_owned(),
                |d| format!("{d}\n\nThe request body; none is sent unless set."),
            );
            let body_docs = doc_attrs(Some(&text));
            setters.extend(quote! {
                #body_docs
                #[inline]
                pub fn body(self, body: #t) -> Self {
                    Self(self.0 #call)
                }
            });
        }
    }

    // Path: the template, whose parameters the runtime fills in by name.
    let mut chain = quote! { self.inner.request(::#rt::Method::#method, #path) };
    for piece in &op.pieces {
        let Piece::Param(wire) = piece else {
            continue;
        };
        let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.wire == *wire)
        else {
            continue;
        };
        let n = ident(&p.name);
        let var = quote! { #n };
        if let Some(counts) = &p.slug {
            let text = text_of(mode_of(ctx, p.ty), &var);
            let counts = counts
                .iter()
                .map(|n| proc_macro2::Literal::usize_unsuffixed(*n));
            chain.extend(quote! { .path_slug(#wire, #text, &[#(#counts),*]) });
        } else {
            let shown = display_arg(mode_of(ctx, p.ty), &var);
            chain.extend(quote! { .path_param(#wire, #shown) });
        }
    }
    if let Some(auth) = &op.auth {
        let scheme = super::client::auth_scheme(ctx, auth);
        chain.extend(quote! { .auth(#scheme) });
    }
    for (name, value) in &op.fixed_query {
        chain.extend(quote! { .query(#name, #value) });
    }
    for (name, value) in &op.fixed_headers {
        chain.extend(quote! { .header(#name, #value) });
    }
    if let Some(call) = body_in_chain {
        chain.extend(call);
    }
    // Required query, header and cookie parameters join the chain; optional ones are
    // setters of the call type.
    for p in op.params.iter().filter(|p| p.location != Location::Path) {
        let n = ident(&p.name);
        let var = quote! { #n };
        let add = add_param(ctx, p, &var);
        if p.required {
            chain.extend(add);
        } else {
            let t = arg_type(ctx, p.ty);
            let setter_docs = setter_docs(p);
            let deprecated = if p.deprecated {
                quote! { #[deprecated] }
            } else {
                TokenStream::new()
            };
            setters.extend(quote! {
                #setter_docs
                #deprecated
                #[inline]
                pub fn #n(self, #n: #t) -> Self {
                    Self(self.0 #add)
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
    let (kind, send) = match &op.pagination {
        Some(pg) => {
            let token = &pg.token_param;
            (
                format_ident!("PagedCall"),
                quote! { .send_paged(#token, #ok_fn, #err_fn) },
            )
        }
        None => (format_ident!("Call"), quote! { .send(#ok_fn, #err_fn) }),
    };

    let method_tokens = quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> #call_type {
            #call_type(#chain #send)
        }
    };
    let type_docs = call_type_docs(op);
    // The struct is written out (prettyplease formats it); the macro adds what every call
    // type has, given the response and error types apart so that they print as paths.
    let unused = if op.pagination.is_some() {
        "a call does nothing until it is awaited or streamed"
    } else {
        "a call does nothing until it is awaited"
    };
    let mut call_tokens = quote! {
        #type_docs
        #[must_use = #unused]
        #[derive(Clone, Debug)]
        pub struct #call_type(::#rt::#kind<#ok_ty, #err_ty>);
        ::#rt::call_type!(#call_type, #kind, #ok_ty, #err_ty);
    };
    if !setters.is_empty() {
        call_tokens.extend(quote! {
            impl #call_type {
                #setters
            }
        });
    }
    call_tokens.extend(helpers);
    (method_tokens, call_tokens)
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
        #[inline]
        fn #f(#params) -> #ret {
            match response.status.as_u16() {
                #arms
            }
        }
    }
}
