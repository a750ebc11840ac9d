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

/// Local variable names used inside generated method bodies.
const RESERVED_LOCALS: &[&str] = &["builder", "self"];

/// The scope method names are claimed in: `Client`'s own methods are taken.
pub(crate) fn method_scope() -> Scope {
    Scope::with_reserved(RESERVED_METHODS)
}

/// The scope of one generated method's parameter names: its locals are taken.
pub(crate) fn local_scope() -> Scope {
    Scope::with_reserved(RESERVED_LOCALS)
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
        assert_eq!(locals.claim("builder"), "builder_2");
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_name(StatusMatch::Code(404)), "NotFound");
        assert_eq!(status_name(StatusMatch::Class(4)), "ClientError");
        assert_eq!(status_name(StatusMatch::Default), "Default");
    }
}
