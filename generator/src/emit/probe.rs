//! The probe of `cargo xtask contract`: a program that calls every operation of a generated
//! client with the values of a calls file (`probe::calls`), against a server at a given URL,
//! and prints one JSON line per call: the status, whether the answer decoded (strictly), and
//! whether the decoded value, encoded and decoded again, is the same.
//!
//! Arguments are decoded from JSON into the method's own argument types with the runtime's
//! `json::from_value`, then passed as the method takes them; optional parameters and an
//! optional body go through the call type's setters when the calls file gives a value.

use proc_macro2::TokenStream;
use quote::quote;

use super::ops::{Mode, mode_of, str_items};
use super::{Ctx, Site, ident};
use crate::model::{Body, Decode, Operation, Param, Success, TypeId};

/// The whole program (`src/main.rs` of the probe crate); `client` is the generated crate's
/// name as a Rust path; `credentials`, headers of API keys the client's own authentication
/// does not send (a document can require several at once), sent with a made-up value.
pub(crate) fn program(
    ctx: &Ctx<'_>,
    client: &proc_macro2::Ident,
    credentials: &[String],
) -> TokenStream {
    let rt = &ctx.rt;
    let credentials = credentials
        .iter()
        .map(|name| quote! { .default_header(#name, "probe-credential") });
    let mut arms = TokenStream::new();
    for op in &ctx.api.operations {
        if let Some(id) = &op.operation_id {
            let body = operation(ctx, op);
            arms.extend(quote! { #id => { #body } });
        }
    }
    let types_import = if ctx.api.types.defs.iter().any(|d| d.kind.is_named()) {
        quote! { #[allow(unused_imports)] use #client::types; }
    } else {
        TokenStream::new()
    };
    quote! {
        //! Calls every operation of the generated client with the values of a calls file and
        //! prints one JSON line per call (`cargo xtask contract`).
        //!
        //! Usage: `probe BASE_URL CALLS_JSON`.

        #![allow(clippy::all, deprecated, unused_mut, dead_code)]

        use ::serde_json::{json, Value};
        #types_import

        fn main() -> ::std::process::ExitCode {
            let args: ::std::vec::Vec<::std::string::String> = ::std::env::args().collect();
            let (::std::option::Option::Some(base), ::std::option::Option::Some(path)) =
                (args.get(1), args.get(2))
            else {
                eprintln!("usage: probe BASE_URL CALLS_JSON");
                return ::std::process::ExitCode::from(2);
            };
            let calls: Value = match ::std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| ::serde_json::from_str(&text).map_err(|e| e.to_string()))
            {
                ::std::result::Result::Ok(calls) => calls,
                ::std::result::Result::Err(e) => {
                    eprintln!("cannot read {path}: {e}");
                    return ::std::process::ExitCode::from(2);
                }
            };
            let runtime = match ::tokio::runtime::Builder::new_current_thread().enable_all().build() {
                ::std::result::Result::Ok(runtime) => runtime,
                ::std::result::Result::Err(e) => {
                    eprintln!("no async runtime: {e}");
                    return ::std::process::ExitCode::from(2);
                }
            };
            let client = match #client::Client::builder()
                .base_url(base.as_str())
                .token("probe-token")
                .max_retries(0)
                .strict(true)
                #(#credentials)*
                .build()
            {
                ::std::result::Result::Ok(client) => client,
                ::std::result::Result::Err(e) => {
                    eprintln!("cannot build the client: {e}");
                    return ::std::process::ExitCode::from(2);
                }
            };
            for call in calls.as_array().map(::std::vec::Vec::as_slice).unwrap_or_default() {
                let mut line = match runtime.block_on(run(&client, call)) {
                    ::std::result::Result::Ok(outcome) => outcome,
                    ::std::result::Result::Err(problem) => json!({"problem": problem}),
                };
                line["op"] = call["op"].clone();
                line["variant"] = call["variant"].clone();
                line["prefer"] = call["prefer"].clone();
                println!("{line}");
            }
            ::std::process::ExitCode::SUCCESS
        }

        /// The value of parameter `key` (`"<location> <name>"`) of `call`, decoded.
        fn arg<T: ::#rt::json::FromJson>(call: &Value, key: &str) -> ::std::result::Result<T, ::std::string::String> {
            match call["params"].get(key) {
                ::std::option::Option::Some(value) => ::#rt::json::from_value(value).map_err(|e| format!("{key}: {e}")),
                ::std::option::Option::None => ::std::result::Result::Err(format!("the calls file gives no {key}")),
            }
        }

        /// The value of optional parameter `key`, if the calls file gives one.
        fn opt<T: ::#rt::json::FromJson>(call: &Value, key: &str) -> ::std::result::Result<::std::option::Option<T>, ::std::string::String> {
            match call["params"].get(key) {
                ::std::option::Option::Some(value) => ::#rt::json::from_value(value).map(::std::option::Option::Some).map_err(|e| format!("{key}: {e}")),
                ::std::option::Option::None => ::std::result::Result::Ok(::std::option::Option::None),
            }
        }

        /// The body, if the calls file gives one.
        fn body<T: ::#rt::json::FromJson>(call: &Value) -> ::std::result::Result<::std::option::Option<T>, ::std::string::String> {
            match call.get("body") {
                ::std::option::Option::Some(value) => ::#rt::json::from_value(value).map(::std::option::Option::Some).map_err(|e| format!("body: {e}")),
                ::std::option::Option::None => ::std::result::Result::Ok(::std::option::Option::None),
            }
        }

        /// The `Prefer` header the calls file asks Prism for (a status, an example), if any.
        fn prefer(call: &Value) -> ::std::option::Option<&str> {
            call["prefer"].as_str()
        }

        /// A call's outcome, for a result that encodes as JSON: decoded (strictly), and the
        /// same once encoded and decoded again.
        fn checked<T, E>(result: ::std::result::Result<::#rt::Response<T>, ::#rt::Error<E>>) -> Value
        where
            T: ::serde::Serialize + ::#rt::json::FromJson,
        {
            match result {
                ::std::result::Result::Ok(response) => {
                    let status = response.status().as_u16();
                    let violations = violations(response.headers());
                    let body = response.into_body();
                    let roundtrip = match ::serde_json::to_value(&body) {
                        ::std::result::Result::Ok(encoded) => match ::#rt::json::from_value::<T>(&encoded)
                            .map_err(|e| e.to_string())
                            .and_then(|again| ::serde_json::to_value(&again).map_err(|e| e.to_string()))
                        {
                            ::std::result::Result::Ok(again) if again == encoded => Value::Null,
                            ::std::result::Result::Ok(again) => json!(format!("encoded {encoded}, decoded and encoded again {again}")),
                            ::std::result::Result::Err(e) => json!(format!("encoded {encoded}, which does not decode again: {e}")),
                        },
                        ::std::result::Result::Err(e) => json!(format!("the decoded value does not encode: {e}")),
                    };
                    json!({"status": status, "ok": true, "roundtrip": roundtrip, "violations": violations})
                }
                ::std::result::Result::Err(error) => failed(error),
            }
        }

        /// A call's outcome, for a result that is not JSON (text, bytes, nothing, or a value
        /// chosen by status): decoded.
        fn decoded<T, E>(result: ::std::result::Result<::#rt::Response<T>, ::#rt::Error<E>>) -> Value {
            match result {
                ::std::result::Result::Ok(response) => json!({
                    "status": response.status().as_u16(),
                    "ok": true,
                    "roundtrip": Value::Null,
                    "violations": violations(response.headers()),
                }),
                ::std::result::Result::Err(error) => failed(error),
            }
        }

        fn failed<E>(error: ::#rt::Error<E>) -> Value {
            let api = error.as_api();
            json!({
                "status": error.status().map(|s| s.as_u16()),
                "ok": false,
                "error": error.to_string(),
                "typed_body": api.map(|api| api.body().is_some()),
                "violations": api.and_then(|api| violations(api.headers())),
            })
        }

        fn violations(headers: &::#rt::HeaderMap) -> ::std::option::Option<::std::string::String> {
            headers.get("sl-violations").map(|v| ::std::string::String::from_utf8_lossy(v.as_bytes()).into_owned())
        }

        async fn run(client: &#client::Client, call: &Value) -> ::std::result::Result<Value, ::std::string::String> {
            ::std::result::Result::Ok(match call["op"].as_str().unwrap_or_default() {
                #arms
                other => return ::std::result::Result::Err(format!("the client has no operation {other}")),
            })
        }
    }
}

/// How a value decoded from JSON is held (`let` type) and passed to the method.
fn holder(
    ctx: &Ctx<'_>,
    ty: TypeId,
    var: &proc_macro2::Ident,
) -> (TokenStream, TokenStream, TokenStream) {
    let t = ctx.ty(ty, Site::Nested);
    match mode_of(ctx, ty) {
        Mode::Str => (
            quote! { ::std::string::String },
            TokenStream::new(),
            quote! { &#var },
        ),
        Mode::Value => (t, TokenStream::new(), quote! { #var }),
        Mode::Enum | Mode::Uri => (t, TokenStream::new(), quote! { &#var }),
        Mode::Ref if str_items(ctx, ty) => (
            quote! { ::std::vec::Vec<::std::string::String> },
            quote! {
                let #var: ::std::vec::Vec<&str> = #var.iter().map(::std::string::String::as_str).collect();
            },
            quote! { &#var },
        ),
        Mode::Ref => (t, TokenStream::new(), quote! { &#var }),
    }
}

/// The arm of one operation: arguments decoded, the method called, the setters applied, the
/// call made with the `Prefer` header asked for.
fn operation(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let method = ident(&op.name);
    let mut stmts = TokenStream::new();
    let mut args = Vec::new();
    let mut index = 0usize;
    let mut next_var = || {
        index += 1;
        quote::format_ident!("a{index}")
    };
    let key = |p: &Param| format!("{} {}", p.location.noun(), p.wire);
    for p in op.params.iter().filter(|p| p.required) {
        let var = next_var();
        let (held, fix, pass) = holder(ctx, p.ty, &var);
        let key = key(p);
        stmts.extend(quote! { let #var: #held = arg(call, #key)?; #fix });
        args.push(pass);
    }
    let mut setters = TokenStream::new();
    if let Some(b) = &op.body {
        let var = next_var();
        let (held, fix, pass) = match &b.body {
            Body::Json(ty) | Body::Form(ty) => holder(ctx, *ty, &var),
            Body::Raw { .. } => (
                quote! { ::std::string::String },
                quote! { let #var = ::#rt::bytes::Bytes::from(#var); },
                quote! { #var },
            ),
        };
        if b.required {
            stmts.extend(quote! {
                let ::std::option::Option::Some(#var) = body::<#held>(call)? else {
                    return ::std::result::Result::Err("the calls file gives no body".to_owned());
                };
                #fix
            });
            args.push(pass);
        } else {
            setters.extend(quote! {
                let call_value = if let ::std::option::Option::Some(#var) = body::<#held>(call)? {
                    #fix
                    call_value.body(#pass)
                } else {
                    call_value
                };
            });
        }
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let var = next_var();
        let (held, fix, pass) = holder(ctx, p.ty, &var);
        let setter = ident(&p.name);
        let key = key(p);
        setters.extend(quote! {
            let call_value = if let ::std::option::Option::Some(#var) = opt::<#held>(call, #key)? {
                #fix
                call_value.#setter(#pass)
            } else {
                call_value
            };
        });
    }
    let checked = match &op.success {
        Success::One(Decode::Json(_)) => quote! { checked },
        _ => quote! { decoded },
    };
    quote! {
        #stmts
        let call_value = client.#method(#(#args),*);
        #setters
        let sent: ::#rt::Call<_, _> = call_value.into();
        #checked(sent.header("Prefer", &prefer(call)).with_response().await)
    }
}
