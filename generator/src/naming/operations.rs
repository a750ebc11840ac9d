//! Names of what operations become: methods of `Client` (never one the client already has),
//! the locals of generated method bodies, and the variants of per-status enums.

use super::Scope;
use crate::model::StatusMatch;
use crate::naming;

/// Method names the generated `Client` defines itself or gets from common traits.
pub(crate) const RESERVED_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "with_max_retries",
    "inner",
    "from",
    "into",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    "borrow",
    "borrow_mut",
];

/// Names no parameter can take: generated method bodies declare no local variable, and
/// `self` is the receiver.
const RESERVED_LOCALS: &[&str] = &["self"];

/// Methods a call type has whatever its operation (the runtime's `call_type!`, listed in its
/// `call_type::METHODS`, and common traits): an optional parameter's setter takes none of
/// these names.
pub(crate) const RESERVED_SETTERS: &[&str] = &[
    "max_retries",
    "timeout",
    "deadline",
    "max_body_size",
    "strict",
    "with_response",
    "max_pages",
    "max_empty_pages",
    "pages",
    "items",
    "into_future",
    "from",
    "into",
    "clone",
    "clone_from",
    "clone_into",
    "fmt",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    "borrow",
    "borrow_mut",
];

/// The scope method names are claimed in: `Client`'s own methods are taken.
pub(crate) fn method_scope() -> Scope {
    Scope::with_reserved(RESERVED_METHODS)
}

/// The scope of one generated method's parameter names: its locals are taken.
pub(crate) fn local_scope() -> Scope {
    Scope::with_reserved(RESERVED_LOCALS)
}

/// The scope call type names are claimed in.
pub(crate) fn call_type_scope() -> Scope {
    Scope::new()
}

/// The name of the type an operation's method returns: its method name in Pascal case
/// (`list_pipelines` → `ListPipelines`), a taken one a number.
pub(crate) fn call_type_name(method: &str, calls: &mut Scope) -> String {
    calls.claim(&naming::type_name(naming::unraw(method)))
}

/// The name of a parameter: a positional argument's for a required one, a setter's for an
/// optional one, which gets `_param` where the call type has a method of that name
/// (`timeout` → `timeout_param`); a taken one a number.
pub(crate) fn param_name(wire: &str, required: bool, locals: &mut Scope) -> String {
    let wanted = naming::value_name(wire);
    if !required && RESERVED_SETTERS.contains(&naming::unraw(&wanted)) {
        locals.claim_first(&[format!("{}_param", naming::unraw(&wanted))])
    } else {
        locals.claim(&wanted)
    }
}

/// The method name of an operation (`getPipelineById` → `get_pipeline_by_id`); a name the
/// client already has gets `_op` (`new` → `new_op`), a taken one a number.
pub(crate) fn method_name(operation: &str, methods: &mut Scope) -> String {
    let wanted = naming::value_name(operation);
    if RESERVED_METHODS.contains(&naming::unraw(&wanted)) {
        methods.claim_first(&[format!("{}_op", naming::unraw(&wanted))])
    } else {
        methods.claim(&wanted)
    }
}

/// The name of the function that decodes an operation's per-status response
/// (`decode_get_thing_response`) or error (`decode_get_thing_error`) body.
pub(crate) fn status_decoder_name(method: &str, error: bool) -> String {
    let what = if error { "error" } else { "response" };
    format!("decode_{}_{what}", naming::unraw(method))
}

/// The variant name of a per-status case (`Ok`, `NotFound`, `ClientError` for `4XX`…).
pub(crate) fn status_name(s: StatusMatch) -> String {
    match s {
        StatusMatch::Default => "Default".to_owned(),
        StatusMatch::Class(2) => "Success".to_owned(),
        StatusMatch::Class(4) => "ClientError".to_owned(),
        StatusMatch::Class(5) => "ServerError".to_owned(),
        StatusMatch::Class(c) => format!("Status{c}xx"),
        StatusMatch::Code(c) => match c {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{c}"),
        }
        .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_never_shadow_the_clients_own() {
        let mut methods = method_scope();
        assert_eq!(
            method_name("getPipelineById", &mut methods),
            "get_pipeline_by_id"
        );
        assert_eq!(method_name("new", &mut methods), "new_op");
        assert_eq!(method_name("builder", &mut methods), "builder_op");
        assert_eq!(
            method_name("get-pipeline-by-id", &mut methods),
            "get_pipeline_by_id_2"
        );
        let mut locals = local_scope();
        assert_eq!(locals.claim("builder"), "builder");
        assert_eq!(locals.claim("self"), "self_2");
    }

    /// Every method the runtime's `call_type!` defines is reserved (the runtime lists them in
    /// `call_type::METHODS`, next to the macro, and tests that list).
    #[test]
    fn setters_avoid_every_method_of_call_type() {
        let runtime = include_str!("../../../runtime/src/call_type.rs");
        let list = runtime
            .split_once("pub const METHODS: &[&str] = &[")
            .and_then(|(_, rest)| rest.split_once("];"))
            .map(|(list, _)| list)
            .expect("the runtime's call_type::METHODS");
        let methods: Vec<&str> = list
            .split(',')
            .map(|m| m.trim().trim_matches('"'))
            .filter(|m| !m.is_empty())
            .collect();
        assert!(methods.len() >= 10, "{methods:?}");
        for method in methods {
            assert!(
                RESERVED_SETTERS.contains(&method),
                "{method} is not reserved"
            );
        }
    }

    #[test]
    fn setters_never_shadow_the_call_types_own_methods() {
        let mut locals = local_scope();
        assert_eq!(param_name("timeout", true, &mut locals), "timeout");
        assert_eq!(param_name("timeout", false, &mut locals), "timeout_param");
        assert_eq!(
            param_name("max-pages", false, &mut locals),
            "max_pages_param"
        );
        assert_eq!(param_name("page-token", false, &mut locals), "page_token");
        assert_eq!(param_name("page_token", false, &mut locals), "page_token_2");
        let mut calls = call_type_scope();
        assert_eq!(
            call_type_name("list_pipelines", &mut calls),
            "ListPipelines"
        );
        assert_eq!(
            call_type_name("list_pipelines_", &mut calls),
            "ListPipelines2"
        );
        assert_eq!(call_type_name("self_", &mut calls), "SelfType");
        assert_eq!(call_type_name("_2fa", &mut calls), "T2fa");
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_name(StatusMatch::Code(404)), "NotFound");
        assert_eq!(status_name(StatusMatch::Class(4)), "ClientError");
        assert_eq!(status_name(StatusMatch::Default), "Default");
    }
}
