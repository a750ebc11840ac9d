//! API-wide settings, decided once for the whole document: how the client authenticates,
//! its default base URL, the docs of each tag module, and which response headers carry a
//! request id.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SecurityScheme};

use crate::diagnostics::{Diagnostics, child};
use crate::model::Auth;
use crate::naming;
use crate::read::Document;

/// Chooses the authentication scheme: the schemes the document's top-level `security` names
/// (or, without it, all declared ones), preferring an API key in a header, then bearer-style
/// tokens (HTTP bearer, OAuth2, OpenID Connect), then HTTP basic.
pub(crate) fn auth(doc: &Document, diags: &mut Diagnostics) -> Auth {
    let Some(components) = doc.api.components.as_ref() else {
        return Auth::None;
    };
    let schemes = &components.security_schemes;
    let mut names: Vec<&String> = Vec::new();
    for req in doc.api.security.iter().flatten() {
        for name in req.keys() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if names.is_empty() {
        names = schemes.keys().collect();
    }
    let mut header = None;
    let mut bearer = false;
    let mut basic = false;
    for name in &names {
        match scheme_auth(doc, name) {
            Ok(Auth::Header(key)) => {
                if header.is_none() {
                    header = Some(key);
                }
            }
            Ok(Auth::Bearer) => bearer = true,
            Ok(Auth::Basic) => basic = true,
            Ok(Auth::None) => {}
            Err(Some(why)) => diags.warning(&child("#/components/securitySchemes", name), why),
            Err(None) => {
                if doc.api.security.is_some() {
                    diags.warning(
                        "#/security",
                        format!("security requirement names `{name}`, which is not declared"),
                    );
                }
            }
        }
    }
    if let Some(h) = header {
        Auth::Header(h)
    } else if bearer {
        Auth::Bearer
    } else if basic {
        Auth::Basic
    } else {
        Auth::None
    }
}

/// What the security scheme called `name` makes the client send; `Err` says why the client
/// cannot send it (`None`: the document declares no such scheme).
fn scheme_auth(doc: &Document, name: &str) -> Result<Auth, Option<String>> {
    let schemes = &doc.api.components.as_ref().ok_or(None)?.security_schemes;
    match schemes.get(name).ok_or(None)? {
        ReferenceOr::Item(SecurityScheme::APIKey { location, name: key, .. }) => match location {
            openapiv3::APIKeyLocation::Header => Ok(Auth::Header(key.clone())),
            openapiv3::APIKeyLocation::Query | openapiv3::APIKeyLocation::Cookie => Err(Some(
                "API keys in the query string or a cookie are not supported (tokens never go into URLs); this scheme is ignored".to_owned(),
            )),
        },
        ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
            match scheme.to_ascii_lowercase().as_str() {
                "bearer" => Ok(Auth::Bearer),
                "basic" => Ok(Auth::Basic),
                other => Err(Some(format!(
                    "HTTP authentication scheme `{other}` is not supported; ignored"
                ))),
            }
        }
        ReferenceOr::Item(SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. }) => {
            Ok(Auth::Bearer)
        }
        ReferenceOr::Reference { .. } => Err(Some(
            "security scheme references are not supported; ignored".to_owned(),
        )),
    }
}

/// The scheme one operation sends the token under, when it is not the client's (`default`):
/// its security requirement (its own, else the document's) accepts none of the alternatives
/// the client's scheme is, but does accept another the client can send (Discord's
/// OAuth2-only operations, in a client whose scheme is its bot token header). A requirement
/// that lets the operation be called anonymously changes nothing.
pub(crate) fn operation_auth(
    doc: &Document,
    path: &str,
    method: &str,
    default: &Auth,
) -> Option<Auth> {
    if *default == Auth::None {
        return None;
    }
    let item = match doc.api.paths.paths.get(path)? {
        ReferenceOr::Item(item) => item,
        ReferenceOr::Reference { .. } => return None,
    };
    let (_, op) = item.iter().find(|(m, _)| m.eq_ignore_ascii_case(method))?;
    let requirements = op.security.as_ref().or(doc.api.security.as_ref())?;
    if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
        return None;
    }
    let alternatives: Vec<Auth> = requirements
        .iter()
        .filter(|r| r.len() == 1)
        .filter_map(|r| r.keys().next().and_then(|name| scheme_auth(doc, name).ok()))
        .collect();
    if alternatives.contains(default) {
        return None;
    }
    alternatives.into_iter().next()
}

/// The default base URL: the first server, with its variables' defaults, without a trailing
/// `/`; empty (with a warning) when relative or missing.
pub(crate) fn base_url(doc: &Document, diags: &mut Diagnostics) -> String {
    let Some(server) = doc.api.servers.first() else {
        diags.warning(
            "#/servers",
            "the document declares no server; the base URL must be configured",
        );
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    let url = url.trim_end_matches('/').to_owned();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        diags.warning(
            "#/servers/0/url",
            format!(
                "server URL `{}` is not absolute; the base URL must be configured",
                server.url
            ),
        );
        return String::new();
    }
    url
}

/// Tag descriptions by module name.
pub(crate) fn module_docs(doc: &Document) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for tag in &doc.api.tags {
        let module = naming::module_name(&tag.name);
        let text = match &tag.description {
            Some(d) if !d.trim().is_empty() => format!("{}: {}", tag.name, d),
            _ => tag.name.clone(),
        };
        out.entry(module).or_insert(text);
    }
    out
}

/// Response headers that commonly carry a request id, whatever the document says: the de
/// facto standard, its unprefixed form, AWS API Gateway's, the usual correlation header, and
/// Cloudflare's ray id (for APIs behind Cloudflare, such as CircleCI's). Lower case, as the
/// runtime looks them up.
const COMMON_REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-correlation-id",
    "cf-ray",
];

/// The response headers the runtime reads a request id from, in order of preference (the
/// first present one is reported): the document's response headers whose names look like
/// request ids (lower case, in document order), then the common ones, each once. A name that
/// looks like one but is not a valid header name is reported and left out.
pub(crate) fn request_id_headers(
    declared: &[(String, String)],
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for (name, pointer) in declared {
        if !looks_like_request_id(name) {
            continue;
        }
        if !crate::read::is_header_name(name) {
            diags.warning(
                pointer,
                format!(
                    "`{name}` looks like a request-id header but is not a valid header name; \
                     it is not used to report request ids"
                ),
            );
            continue;
        }
        names.push(name.to_ascii_lowercase());
    }
    let common = COMMON_REQUEST_ID_HEADERS.iter().map(|h| (*h).to_owned());
    for name in names.into_iter().chain(common) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Whether a response header's name says it carries a request id (`X-Request-Id`,
/// `X-Trace-ID`, `Correlation-Id`…): letters and digits only, lower case, ending in
/// `requestid`, `traceid` or `correlationid`.
pub(crate) fn looks_like_request_id(name: &str) -> bool {
    let squashed = naming::squash(name);
    ["requestid", "traceid", "correlationid"]
        .iter()
        .any(|suffix| squashed.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_headers_declared_first_then_common_once() {
        let declared = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|n| ((*n).to_owned(), format!("#/h/{n}")))
                .collect()
        };
        let mut diags = Diagnostics::default();
        assert_eq!(
            request_id_headers(
                &declared(&["x-trace-id", "X-Rate-Limit", "X-Request-ID", "Request Id"]),
                &mut diags
            ),
            [
                "x-trace-id",
                "x-request-id",
                "request-id",
                "x-amzn-requestid",
                "x-correlation-id",
                "cf-ray"
            ]
        );
        let (_, warnings) = diags.into_parts();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/h/Request Id");
        assert_eq!(
            request_id_headers(&[], &mut Diagnostics::default()),
            COMMON_REQUEST_ID_HEADERS
        );
    }

    #[test]
    fn request_id_header_names() {
        for yes in ["X-Request-Id", "x-trace-id", "Correlation_ID", "RequestId"] {
            assert!(looks_like_request_id(yes), "{yes}");
        }
        for no in ["X-Rate-Limit", "Request-Idempotency", "trace"] {
            assert!(!looks_like_request_id(no), "{no}");
        }
    }
}
