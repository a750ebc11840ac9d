//! Operations → [`crate::model::Operation`]s: names, parameters, bodies, responses, pagination.
//!
//! For each operation (paths in document order, methods in `get put post delete options head
//! patch trace` order):
//!
//! - **name**: the `operationId` in snake case; without one, method + path (with a warning);
//!   collisions get `_2`…; names the `Client` already uses (`new`, `builder`…) get `_op`.
//! - **parameters**: path-item parameters merged with the operation's (the operation wins),
//!   `$ref`s resolved; path parameters must match the template (an undeclared one becomes a
//!   required string, with a warning).
//! - **body**: JSON when the operation accepts JSON, else a form (`x-www-form-urlencoded`,
//!   encoded from the typed body by a helper emitted into `client.rs`); other content types
//!   (multipart, octet streams, text) are passed as raw bytes, with a warning for multipart.
//! - **success**: the 2xx bodies; one shape → that type, none → `()`, several → a generated
//!   enum decoded by status. An operation with only `default` uses it for success too.
//! - **error**: the 4xx/5xx/`default` bodies; none → any JSON value, one → that type,
//!   several → a generated enum decoded by status.
//! - **pagination**: an optional page-token query parameter plus a success type with an array
//!   of items and a next-page-token string.

use std::collections::HashSet;

use openapiv3::{
    Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as OaRequestBody, Response,
    StatusCode,
};
use serde::de::DeserializeOwned;

use crate::diagnostics::child;
use crate::model::{
    Body, Decode, ErrorBody, Hint, Kind, Location, Method, Operation, PageImpl, Pagination, Param,
    Piece, Prim, QueryStyle, RequestBody, StatusCase, StatusMatch, Success, TypeId,
};
use crate::naming::{self, Scope};
use crate::read::{Document, fragment, local_ref_pointer};
use crate::types::Converter;

pub(crate) struct Built {
    pub(crate) operations: Vec<Operation>,
    pub(crate) pages: Vec<PageImpl>,
}

pub(crate) fn convert_operations<'a>(conv: &mut Converter<'a>, doc: &'a Document) -> Built {
    let mut methods = naming::method_scope();
    let mut calls = naming::call_type_scope();
    let mut operations = Vec::new();
    let mut pages: Vec<PageImpl> = Vec::new();
    for (path, item) in doc.api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            // Path item references were inlined while reading.
            continue;
        };
        let item_ptr = child("#/paths", path);
        let key = split_path_key(path);
        if let Some(fragment) = key.fragment {
            conv.diags.warning(
                &item_ptr,
                format!(
                    "the path ends in a fragment (`#{fragment}`), which no request sends; the path is `{}`",
                    key.path
                ),
            );
        }
        if !key.query.is_empty() {
            conv.diags.warning(
                &item_ptr,
                format!(
                    "the path holds a query (`?{}`); its parameters are sent with every call (but for one an operation declares as a query parameter), and the path is `{}`",
                    key.query
                        .iter()
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect::<Vec<_>>()
                        .join("&"),
                    key.path
                ),
            );
        }
        let pieces = match template_pieces(key.path) {
            Ok(pieces) => pieces,
            Err(msg) => {
                conv.diags.error(&item_ptr, msg);
                continue;
            }
        };
        for (method_name, op) in item.iter() {
            let Some(method) = Method::parse(method_name) else {
                continue;
            };
            let ptr = child(&item_ptr, method_name);
            let op = OpBuilder {
                conv: &mut *conv,
                doc,
                path,
                key: &key,
                pieces: &pieces,
                method,
                ptr: ptr.clone(),
            }
            .build(op, &item.parameters, &mut methods, &mut calls, &mut pages);
            if let Some(op) = op {
                operations.push(op);
            }
        }
    }
    Built { operations, pages }
}

/// The body a webhook delivery carries (`op` at `ptr`, `#/webhooks/<name>/post`), converted
/// like a request body; its inline schema is named `base` + `Payload`.
pub(crate) fn webhook_payload<'a>(
    conv: &mut Converter<'a>,
    doc: &'a Document,
    ptr: &str,
    op: &openapiv3::Operation,
    base: &str,
) -> Option<RequestBody> {
    let body = op.request_body.as_ref()?;
    OpBuilder {
        conv,
        doc,
        path: "",
        key: &split_path_key(""),
        pieces: &[],
        method: Method::Post,
        ptr: ptr.to_owned(),
    }
    .body(body, base, "Payload")
}

struct OpBuilder<'c, 'a> {
    conv: &'c mut Converter<'a>,
    doc: &'a Document,
    path: &'a str,
    key: &'c PathKey<'a>,
    pieces: &'c [Piece],
    method: Method,
    ptr: String,
}

impl OpBuilder<'_, '_> {
    fn build(
        mut self,
        op: &openapiv3::Operation,
        common: &[ReferenceOr<Parameter>],
        methods: &mut Scope,
        calls: &mut Scope,
        pages: &mut Vec<PageImpl>,
    ) -> Option<Operation> {
        let raw_name = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let generated =
                    format!("{} {}", self.method.upper().to_ascii_lowercase(), self.path);
                let name = naming::value_name(&generated);
                self.conv.diags.warning(
                    &self.ptr,
                    format!(
                        "operation has no operationId; its method is named `{}`",
                        naming::unraw(&name)
                    ),
                );
                generated
            }
        };
        let name = naming::method_name(&raw_name, methods);
        let call_type = naming::call_type_name(&name, calls);
        let base = naming::type_name(&raw_name);
        let module = op
            .tags
            .first()
            .map(|t| naming::module_name(t))
            .unwrap_or_else(|| "other".to_owned());

        let mut locals = naming::local_scope();
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(b, &base, "Request"));
        if body.is_some() {
            locals.claim("body");
        }
        let mut fixed_headers = Vec::new();
        let params = self.params(
            op,
            common,
            &base,
            &mut locals,
            body.as_ref().is_some_and(|b| b.required),
            &mut fixed_headers,
        );
        let (success, error, statuses) = self.responses(op, &base);
        let pagination = self.pagination(&params, &success, pages);
        let declared = |name: &str| {
            params
                .iter()
                .any(|p| p.location == Location::Query && p.wire == name)
        };
        for (name, value) in self.key.query.iter().filter(|(n, _)| declared(n)) {
            self.conv.diags.warning(
                &self.ptr,
                format!(
                    "the path's query sets `{name}={value}`, but the operation declares a query parameter `{name}`: that value is never sent, the declared parameter is (when set)"
                ),
            );
        }
        Some(Operation {
            method: self.method,
            path: self.path.to_owned(),
            request_path: self.key.path.to_owned(),
            fixed_query: self
                .key
                .query
                .iter()
                .filter(|(name, _)| !declared(name))
                .cloned()
                .collect(),
            pieces: self.pieces.to_vec(),
            name,
            call_type,
            operation_id: op.operation_id.clone(),
            module,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            fixed_headers,
            auth: None,
            body,
            success,
            error,
            statuses,
            pagination,
        })
    }

    // ---- parameters ------------------------------------------------------------------------

    fn params(
        &mut self,
        op: &openapiv3::Operation,
        common: &[ReferenceOr<Parameter>],
        base: &str,
        locals: &mut Scope,
        body_required: bool,
        fixed_headers: &mut Vec<(String, String)>,
    ) -> Vec<Param> {
        let item_ptr = self
            .ptr
            .rsplit_once('/')
            .map(|(a, _)| a.to_owned())
            .unwrap_or_default();
        let mut resolved = self.param_list(common, &child(&item_ptr, "parameters"));
        let own = self.param_list(&op.parameters, &child(&self.ptr, "parameters"));
        // The operation's parameters override the path item's with the same name and location.
        resolved.retain(|(q, _, _)| !own.iter().any(|(p, _, _)| param_key(p) == param_key(q)));
        resolved.extend(own);
        let mut resolved: Vec<(Parameter, String)> =
            resolved.into_iter().map(|(p, ptr, _)| (p, ptr)).collect();

        // Path parameters in template order.
        let template = template_params(self.pieces);
        let mut out: Vec<Param> = Vec::new();
        for name in template {
            match resolved.iter().position(|(p, _)| {
                location_of(p) == Location::Path && p.parameter_data_ref().name == name
            }) {
                Some(pos) => {
                    let (p, ptr) = resolved.remove(pos);
                    out.push(self.param(&p, &ptr, base, locals));
                }
                None => {
                    self.conv.diags.warning(
                        &self.ptr,
                        format!("path parameter `{name}` is not declared; it is taken as a required string"),
                    );
                    let ty = self.conv.prim(Prim::String);
                    out.push(Param {
                        wire: name.to_owned(),
                        name: locals.claim(&naming::value_name(name)),
                        location: Location::Path,
                        style: QueryStyle::Form { explode: false },
                        required: true,
                        slug: None,
                        ty,
                        docs: None,
                        deprecated: false,
                        schema: String::new(),
                    });
                }
            }
        }
        // OpenAPI: header parameters named Accept, Content-Type or Authorization "SHALL be
        // ignored" (the media types and security schemes say those). Some documents use a
        // required `Accept` or `Content-Type` header with one possible value to say what their
        // server insists on (a versioned media type); that value is sent as it is.
        let (media_headers, others): (Vec<_>, Vec<_>) = resolved.into_iter().partition(|(p, _)| {
            location_of(p) == Location::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&p.parameter_data_ref().name.to_ascii_lowercase().as_str())
        });
        resolved = others;
        for (p, ptr) in &media_headers {
            self.media_header(p, ptr, body_required, fixed_headers);
        }
        resolved.retain(|(p, ptr)| {
            if location_of(p) == Location::Path {
                self.conv.diags.warning(
                    ptr,
                    format!(
                        "path parameter `{}` does not appear in the path template; ignored",
                        p.parameter_data_ref().name
                    ),
                );
                false
            } else {
                true
            }
        });
        for (p, ptr) in resolved
            .iter()
            .filter(|(p, _)| p.parameter_data_ref().required)
        {
            let param = self.param(p, ptr, base, locals);
            out.push(param);
        }
        for (p, ptr) in resolved
            .iter()
            .filter(|(p, _)| !p.parameter_data_ref().required)
        {
            let param = self.param(p, ptr, base, locals);
            out.push(param);
        }
        out
    }

    /// The parameters of one list (`…/parameters`), resolved, as (parameter, its pointer after
    /// `$ref`s, its place in the list). A parameter declared twice in the same list (same
    /// name and location) keeps its first declaration, with a warning at the second.
    fn param_list(
        &mut self,
        list: &[ReferenceOr<Parameter>],
        list_ptr: &str,
    ) -> Vec<(Parameter, String, String)> {
        let mut out: Vec<(Parameter, String, String)> = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let at = child(list_ptr, &i.to_string());
            let Some((param, ptr)) = self.resolve(p, "parameters", &at) else {
                continue;
            };
            if let Some((_, _, first)) = out
                .iter()
                .find(|(q, _, _)| param_key(q) == param_key(&param))
            {
                let data = param.parameter_data_ref();
                self.conv.diags.warning(
                    &at,
                    format!(
                        "{} parameter `{}` is declared twice in this list (first at `{first}`); the first declaration is used",
                        location_of(&param).noun(),
                        data.name
                    ),
                );
                continue;
            }
            out.push((param, ptr, at));
        }
        out
    }

    /// An `Accept`, `Content-Type` or `Authorization` header parameter, which OpenAPI says to
    /// ignore. A required `Accept` or `Content-Type` with one possible value (a single `enum`
    /// value, else a string `default`) is kept in `fixed` as that value; anything else is
    /// dropped with a warning naming it.
    ///
    /// - `Content-Type` is kept only where the body is optional or absent: a body replaces it
    ///   with its own media type.
    /// - An `Accept` value that admits no JSON gets `, application/json` added, since error
    ///   answers are decoded as JSON: the server still sees the document's value first, and
    ///   one that negotiates strictly can still answer an error it can describe.
    fn media_header(
        &mut self,
        p: &Parameter,
        ptr: &str,
        body_required: bool,
        fixed: &mut Vec<(String, String)>,
    ) {
        let data = p.parameter_data_ref();
        let name = &data.name;
        let lower = name.to_ascii_lowercase();
        let value = match &data.format {
            ParameterSchemaOrContent::Schema(s)
                if data.required
                    && lower != "authorization"
                    && !(lower == "content-type" && body_required) =>
            {
                self.resolve(s, "schemas", &child(ptr, "schema"))
                    .and_then(|(schema, _)| one_value(&schema))
            }
            _ => None,
        };
        match value {
            Some(mut value) if http_header_value(&value) => {
                if lower == "accept" && !admits_json(&value) {
                    value.push_str(", application/json");
                }
                if !fixed.iter().any(|(n, _)| *n == lower) {
                    fixed.push((lower, value));
                }
            }
            _ => self.conv.diags.warning(
                ptr,
                format!(
                    "header parameter `{name}` is ignored, as OpenAPI says: the request and response media types and the security schemes decide it"
                ),
            ),
        }
    }

    fn param(&mut self, p: &Parameter, ptr: &str, base: &str, locals: &mut Scope) -> Param {
        let data = p.parameter_data_ref();
        let location = location_of(p);
        // A component parameter's inline schema is converted once (types are memoized by
        // pointer) and shared by every operation using it: it is named after the component,
        // not after whichever operation comes first.
        let component = ptr
            .strip_prefix("#/components/parameters/")
            .filter(|n| !n.contains('/'))
            .map(|n| n.replace("~1", "/").replace("~0", "~"));
        let hint = match component {
            Some(name) => Hint::Root {
                base: String::new(),
                part: naming::type_name(&name),
            },
            None => Hint::Root {
                base: base.to_owned(),
                part: naming::pascal(&data.name),
            },
        };
        let mut ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.conv.convert(s.into(), &child(ptr, "schema"), hint)
            }
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((mt, media)) => match &media.schema {
                    Some(s) => self.conv.convert(
                        s.into(),
                        &child(&child(&child(ptr, "content"), mt), "schema"),
                        hint,
                    ),
                    None => self.conv.prim(Prim::String),
                },
                None => self.conv.prim(Prim::String),
            },
        };
        // Nullability of a parameter has no meaning on the wire; absence is `Option`.
        let (inner, _) = self.conv.types.strip_option(ty);
        ty = inner;
        let scalar = is_scalar(self.conv, ty);
        if matches!(
            location,
            Location::Path | Location::Header | Location::Cookie
        ) && !scalar
        {
            let what = location.noun();
            if !matches!(
                self.conv.types.kind(self.conv.types.resolve(ty)),
                Kind::Prim(Prim::Json)
            ) {
                self.conv.diags.warning(
                    ptr,
                    format!(
                        "{what} parameter `{}` is not a single value; it is taken as a string",
                        data.name
                    ),
                );
            }
            ty = self.conv.prim(Prim::String);
        }
        let style = match p {
            Parameter::Query { style, .. } => {
                let explode = data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                match style {
                    openapiv3::QueryStyle::Form => QueryStyle::Form { explode },
                    openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                }
            }
            _ => QueryStyle::Form { explode: false },
        };
        // `read` left a list of segment counts (empty: any), or nothing.
        let slug = match data.extensions.get("x-apigen-slug") {
            Some(serde_json::Value::Array(counts)) if location == Location::Path => Some(
                counts
                    .iter()
                    .filter_map(|n| n.as_u64().and_then(|n| usize::try_from(n).ok()))
                    .collect(),
            ),
            _ => None,
        };
        Param {
            wire: data.name.clone(),
            name: naming::param_name(
                &data.name,
                data.required || location == Location::Path,
                locals,
            ),
            location,
            style,
            required: data.required || location == Location::Path,
            slug,
            ty,
            docs: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            schema: match &data.format {
                ParameterSchemaOrContent::Content(c) => {
                    c.keys().next().map_or_else(String::new, |mt| {
                        child(&child(&child(ptr, "content"), mt), "schema")
                    })
                }
                ParameterSchemaOrContent::Schema(_) => child(ptr, "schema"),
            },
        }
    }

    /// Resolves a parameter/response/body reference (following chains, detecting cycles).
    fn resolve<T: DeserializeOwned + Clone>(
        &mut self,
        r: &ReferenceOr<T>,
        section: &str,
        at: &str,
    ) -> Option<(T, String)> {
        let mut current: ReferenceOr<T> = r.clone();
        let mut ptr = at.to_owned();
        let mut seen = HashSet::new();
        loop {
            let reference = match current {
                ReferenceOr::Item(item) => return Some((item, ptr)),
                ReferenceOr::Reference { reference } => reference,
            };
            if !seen.insert(reference.clone()) || seen.len() > 32 {
                self.conv
                    .diags
                    .error(at, format!("reference `{reference}` is circular"));
                return None;
            }
            let pointer = match local_ref_pointer(&reference) {
                Ok(p) => p,
                Err(msg) => {
                    self.conv.diags.error(at, msg);
                    return None;
                }
            };
            let Some(node) = self.doc.value.pointer(&pointer) else {
                self.conv
                    .diags
                    .error(at, format!("reference target `{reference}` does not exist"));
                return None;
            };
            match serde_json::from_value::<ReferenceOr<T>>(node.clone()) {
                Ok(next) => current = next,
                Err(e) => {
                    self.conv.diags.error(
                        at,
                        format!(
                            "reference target `{reference}` is not a valid {}: {e}",
                            section_noun(section)
                        ),
                    );
                    return None;
                }
            }
            ptr = fragment(&pointer);
        }
    }

    // ---- body ------------------------------------------------------------------------------

    /// The request body, its inline schema named `base` + `part` (`Request`).
    fn body(
        &mut self,
        b: &ReferenceOr<OaRequestBody>,
        base: &str,
        part: &str,
    ) -> Option<RequestBody> {
        let at = child(&self.ptr, "requestBody");
        let (body, ptr) = self.resolve(b, "requestBodies", &at)?;
        let content_ptr = child(&ptr, "content");
        let chosen = body
            .content
            .iter()
            .find(|(mt, _)| is_json(mt))
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(mt, m)| is_form(mt) && m.schema.is_some())
            })
            .or_else(|| body.content.iter().next());
        let (mt, media) = chosen?;
        let hint = Hint::Root {
            base: base.to_owned(),
            part: part.to_owned(),
        };
        let schema_ptr = child(&child(&content_ptr, mt), "schema");
        // A body's own nullability is dropped: a `null` body says nothing that no body does
        // not. An optional body is an `Option<&T>` whose `None` sends no body; a required one
        // is always sent.
        let kind = if is_json(mt) {
            let ty = match &media.schema {
                Some(s) => {
                    let ty = self.conv.convert(s.into(), &schema_ptr, hint);
                    self.not_null(ty)
                }
                None => self.conv.json(),
            };
            Body::Json(ty)
        } else if let (true, Some(s)) = (is_form(mt), &media.schema) {
            let ty = self.conv.convert(s.into(), &schema_ptr, hint);
            Body::Form(self.not_null(ty))
        } else {
            let base_mt = mt
                .split(';')
                .next()
                .unwrap_or(mt)
                .trim()
                .to_ascii_lowercase();
            if base_mt.starts_with("multipart/") {
                self.conv.diags.warning(
                    &child(&content_ptr, mt),
                    format!("`{mt}` bodies cannot be built from a type; the operation takes the encoded body as bytes"),
                );
            }
            Body::Raw {
                content_type: mt.clone(),
            }
        };
        Some(RequestBody {
            body: kind,
            required: body.required,
            docs: body.description.clone(),
            schema: schema_ptr,
        })
    }

    /// `ty` without the `Option` of a nullable schema (looking through component aliases).
    fn not_null(&self, ty: TypeId) -> TypeId {
        let types = &self.conv.types;
        let mut id = types.resolve(ty);
        for _ in 0..16 {
            match types.kind(id) {
                Kind::ComponentAlias(inner) => id = types.resolve(*inner),
                Kind::Option(inner) => return types.resolve(*inner),
                _ => break,
            }
        }
        ty
    }

    // ---- responses -------------------------------------------------------------------------

    /// The success and error results of `op`, and the status codes it declares (2xx, 4xx and
    /// 5xx codes, not ranges or `default`), in document order.
    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        base: &str,
    ) -> (Success, ErrorBody, Vec<u16>) {
        let mut codes = Vec::new();
        let resp_ptr = child(&self.ptr, "responses");
        let mut success: Vec<(StatusMatch, Decode)> = Vec::new();
        let mut errors: Vec<(StatusMatch, Decode)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let key = code.to_string();
            let at = child(&resp_ptr, &key);
            let (status, class) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), *c / 100),
                StatusCode::Range(c) => (StatusMatch::Class(*c), *c),
            };
            // Only success (2xx) and error (4xx, 5xx) responses become part of a call's
            // result: check the class before converting, so that an ignored response
            // allocates no type (and takes no name).
            let (part, is_success) = match class {
                2 => ("Response", true),
                4 | 5 => ("Error", false),
                _ => {
                    self.conv.diags.warning(
                        &at,
                        format!(
                            "{key} responses are not modelled (only 2xx, 4xx, 5xx and `default` are); this response is ignored"
                        ),
                    );
                    continue;
                }
            };
            let Some(decode) = self.response_decode(r, &at, base, part) else {
                continue;
            };
            if let StatusMatch::Code(c) = status {
                codes.push(c);
            }
            if is_success {
                success.push((status, decode));
            } else {
                errors.push((status, decode));
            }
        }
        let default = op.responses.default.as_ref().and_then(|r| {
            self.response_decode(
                r,
                &child(&resp_ptr, "default"),
                base,
                if op.responses.responses.keys().any(|c| class_of(c) == 2) {
                    "Error"
                } else {
                    "Response"
                },
            )
        });
        if let Some(d) = &default {
            errors.push((StatusMatch::Default, d.clone()));
        }

        let success = self.success(success, default, base);
        let error = self.error(errors, base);
        (success, error, codes)
    }

    fn response_decode(
        &mut self,
        r: &ReferenceOr<Response>,
        at: &str,
        base: &str,
        part: &str,
    ) -> Option<Decode> {
        let (resp, ptr) = self.resolve(r, "responses", at)?;
        if resp.content.is_empty() {
            return Some(Decode::Empty);
        }
        let content_ptr = child(&ptr, "content");
        // A download offered first as bytes (`application/zip`, `video/mp4`) and also as a
        // JSON string (OpenAI's `GET /skills/{skill_id}/content`) is a download: a server
        // sends the bytes, and a JSON string would reach the caller as its bytes too.
        let download_first = resp.content.first().is_some_and(|(mt, _)| !is_json(mt))
            && resp
                .content
                .iter()
                .filter(|(mt, _)| is_json(mt))
                .all(|(_, media)| is_bare_string(media));
        if let Some((mt, media)) = resp
            .content
            .iter()
            .find(|(mt, _)| is_json(mt))
            .filter(|_| !download_first)
        {
            let component = ptr
                .strip_prefix("#/components/responses/")
                .filter(|n| !n.contains('/'))
                .map(|n| n.replace("~1", "/").replace("~0", "~"));
            let error = part.ends_with("Error");
            let hint = match (component, error) {
                (Some(name), true) => {
                    let stripped = name
                        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '_' || c == '-');
                    let mut part =
                        naming::type_name(if stripped.is_empty() { &name } else { stripped });
                    if !part.ends_with("Error") {
                        part.push_str("Error");
                    }
                    Hint::ErrorBody {
                        base: String::new(),
                        part,
                    }
                }
                (Some(name), false) => Hint::Root {
                    base: String::new(),
                    part: naming::type_name(&name),
                },
                (None, true) => Hint::ErrorBody {
                    base: base.to_owned(),
                    part: part.to_owned(),
                },
                (None, false) => Hint::Root {
                    base: base.to_owned(),
                    part: part.to_owned(),
                },
            };
            let ty = match &media.schema {
                Some(s) => {
                    self.conv
                        .convert(s.into(), &child(&child(&content_ptr, mt), "schema"), hint)
                }
                None => self.conv.json(),
            };
            return Some(Decode::Json(ty));
        }
        let textual = resp.content.keys().all(|mt| {
            let m = mt.to_ascii_lowercase();
            m.starts_with("text/") || m.ends_with("+xml") || m == "application/xml"
        });
        Some(if textual { Decode::Text } else { Decode::Bytes })
    }

    fn same_decode(&self, a: &Decode, b: &Decode) -> bool {
        match (a, b) {
            (Decode::Json(x), Decode::Json(y)) => {
                self.conv.types.resolve(*x) == self.conv.types.resolve(*y)
            }
            _ => a == b,
        }
    }

    /// The success body from the 2xx cases and the `default` response. With no 2xx case the
    /// `default` body is the success body; with several 2xx bodies that differ, `default` is
    /// the case for a 2xx status none of them declares (without it, such a status is a decode
    /// error, never a guess).
    fn success(
        &mut self,
        mut cases: Vec<(StatusMatch, Decode)>,
        default: Option<Decode>,
        base: &str,
    ) -> Success {
        let Some((_, first)) = cases.first() else {
            return Success::One(default.unwrap_or(Decode::Empty));
        };
        if cases.iter().all(|(_, d)| self.same_decode(d, first)) {
            return Success::One(first.clone());
        }
        if let Some(d) = default {
            cases.push((StatusMatch::Default, d));
        }
        let cases = status_cases(cases);
        let ty = self.conv.alloc(
            Kind::Responses(cases),
            Some(Hint::Root {
                base: base.to_owned(),
                part: "Response".to_owned(),
            }),
            child(&self.ptr, "responses"),
        );
        if let Some(d) = self.conv.types.defs.get_mut(ty.0) {
            d.docs = Some("The response body, which depends on the status code.".to_owned());
        }
        Success::ByStatus(ty)
    }

    fn error(&mut self, cases: Vec<(StatusMatch, Decode)>, base: &str) -> ErrorBody {
        let typed: Vec<(StatusMatch, Decode)> = cases
            .into_iter()
            .filter(|(_, d)| matches!(d, Decode::Json(_)))
            .collect();
        let Some((_, Decode::Json(first))) = typed.first() else {
            return ErrorBody::Untyped;
        };
        let first = *first;
        if typed
            .iter()
            .all(|(_, d)| self.same_decode(d, &Decode::Json(first)))
        {
            return ErrorBody::One(first);
        }
        let cases = status_cases(typed);
        let ty = self.conv.alloc(
            Kind::Responses(cases),
            Some(Hint::Root {
                base: base.to_owned(),
                part: "Error".to_owned(),
            }),
            child(&self.ptr, "responses"),
        );
        if let Some(d) = self.conv.types.defs.get_mut(ty.0) {
            d.docs = Some("The error body, which depends on the status code.".to_owned());
        }
        ErrorBody::ByStatus(ty)
    }

    // ---- pagination ------------------------------------------------------------------------

    fn pagination(
        &mut self,
        params: &[Param],
        success: &Success,
        pages: &mut Vec<PageImpl>,
    ) -> Option<Pagination> {
        const TOKEN_PARAMS: &[&str] = &[
            "pagetoken",
            "nextpagetoken",
            "cursor",
            "pagecursor",
            "continuationtoken",
            "nexttoken",
            "starttoken",
        ];
        const TOKEN_FIELDS: &[&str] = &[
            "nextpagetoken",
            "nexttoken",
            "next",
            "nextcursor",
            "cursor",
            "continuationtoken",
            "pagetoken",
            "nextpage",
        ];
        let token = params.iter().find(|p| {
            p.location == Location::Query
                && !p.required
                && TOKEN_PARAMS.contains(&naming::squash(&p.wire).as_str())
                && matches!(
                    self.conv.types.kind(self.conv.types.resolve(p.ty)),
                    Kind::Prim(Prim::String)
                )
        })?;
        let Success::One(Decode::Json(list)) = success else {
            return None;
        };
        let (list, _) = self.conv.types.strip_option(*list);
        let Kind::Struct(s) = self.conv.types.kind(list) else {
            return None;
        };
        let types = &self.conv.types;
        // The type under every `Option` layer (nullable schemas), and how many there are.
        let unwrap_options = |ty: TypeId| -> (TypeId, u8) {
            let mut t = types.resolve(ty);
            let mut layers = 0u8;
            while let Kind::Option(inner) = types.kind(t) {
                layers += 1;
                t = types.resolve(*inner);
            }
            (t, layers)
        };
        let vec_item = |ty: TypeId| -> Option<(TypeId, u8)> {
            let (t, layers) = unwrap_options(ty);
            match types.kind(t) {
                Kind::Vec(item) => Some((*item, layers)),
                _ => None,
            }
        };
        let arrays: Vec<_> = s
            .fields
            .iter()
            .filter(|f| !f.flatten && vec_item(f.ty).is_some())
            .collect();
        let items = arrays.iter().find(|f| f.wire == "items").or_else(|| {
            if arrays.len() == 1 {
                arrays.first()
            } else {
                None
            }
        })?;
        // A field that may be absent is one more `Option` around its type.
        let (item, mut items_options) = vec_item(items.ty)?;
        if !items.required {
            items_options += 1;
        }
        let token_field = s
            .fields
            .iter()
            .find(|f| !f.flatten && TOKEN_FIELDS.contains(&naming::squash(&f.wire).as_str()))?;
        let (t, mut token_options) = unwrap_options(token_field.ty);
        if !matches!(types.kind(t), Kind::Prim(Prim::String)) {
            return None;
        }
        if !token_field.required {
            token_options += 1;
        }
        if !pages.iter().any(|p| p.list == list) {
            pages.push(PageImpl {
                list,
                item,
                items_field: items.name.clone(),
                items_options,
                token_field: token_field.name.clone(),
                token_options,
            });
        }
        Some(Pagination {
            token_param: token.wire.clone(),
        })
    }
}

fn class_of(c: &StatusCode) -> u16 {
    match c {
        StatusCode::Code(c) => c / 100,
        StatusCode::Range(c) => *c,
    }
}

fn section_noun(section: &str) -> &'static str {
    match section {
        "parameters" => "parameter",
        "responses" => "response",
        _ => "request body",
    }
}

/// What identifies a parameter: its name and location.
fn param_key(p: &Parameter) -> (&str, Location) {
    (p.parameter_data_ref().name.as_str(), location_of(p))
}

fn location_of(p: &Parameter) -> Location {
    match p {
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Path { .. } => Location::Path,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, `*/*`…).
fn is_json(mt: &str) -> bool {
    let m = mt
        .split(';')
        .next()
        .unwrap_or(mt)
        .trim()
        .to_ascii_lowercase();
    m == "application/json"
        || m.ends_with("+json")
        || m == "*/*"
        || m == "application/*"
        || m == "text/json"
        || m.ends_with("/json")
}

/// Whether a media type is `application/x-www-form-urlencoded`.
fn is_form(mt: &str) -> bool {
    mt.split(';')
        .next()
        .unwrap_or(mt)
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// Whether arguments of this type can be written as one path/header value.
fn is_scalar(conv: &Converter<'_>, ty: TypeId) -> bool {
    let t = conv.types.resolve(ty);
    match conv.types.kind(t) {
        Kind::Prim(p) => !matches!(p, Prim::Json | Prim::JsonObject),
        Kind::Enum(_) => true,
        Kind::ComponentAlias(inner) => is_scalar(conv, *inner),
        _ => false,
    }
}

/// Parameter names of a parsed path template, in order, each once (`/a/{b}/c/{d}` → `b`, `d`).
fn template_params(pieces: &[Piece]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for piece in pieces {
        if let Piece::Param(name) = piece
            && !out.contains(&name.as_str())
        {
            out.push(name);
        }
    }
    out
}

/// A key of `paths`, split the way some documents need: Box's keys end in a fragment to tell
/// apart operations on one path (`/files/{file_id}#get_shared_link`), and OpenAI's hold a
/// query (`/responses?beta=true`). Neither belongs in the request path.
pub(crate) struct PathKey<'a> {
    /// The path template sent (the key up to its first `?` or `#` outside `{…}`).
    pub(crate) path: &'a str,
    /// The query's `name=value` pairs, decoded (`+` is a space).
    pub(crate) query: Vec<(String, String)>,
    pub(crate) fragment: Option<&'a str>,
}

pub(crate) fn split_path_key(key: &str) -> PathKey<'_> {
    let mut depth = 0usize;
    let cut = key.char_indices().find_map(|(i, c)| {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '?' | '#' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    });
    let Some(cut) = cut else {
        return PathKey {
            path: key,
            query: Vec::new(),
            fragment: None,
        };
    };
    let (path, rest) = key.split_at(cut);
    let (query, fragment) = match rest.strip_prefix('?') {
        Some(q) => match q.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (q, None),
        },
        None => ("", rest.strip_prefix('#')),
    };
    let decode = |s: &str| crate::read::percent_decode(&s.replace('+', " "));
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((n, v)) => (decode(n), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect();
    PathKey {
        path,
        query,
        fragment,
    }
}

/// Parses a path template into literal text and parameters. A `{` without a closing `}` is
/// literal text; an empty parameter name (`{}`) is an error, as no parameter can fill it.
pub(crate) fn template_pieces(path: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    loop {
        let Some(start) = rest.find('{') else {
            if !rest.is_empty() {
                out.push(Piece::Literal(encode_literal(rest)));
            }
            return Ok(out);
        };
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(0) => {
                return Err(format!(
                    "path template `{path}` has an empty parameter name (`{{}}`)"
                ));
            }
            Some(end) => {
                if start > 0 {
                    out.push(Piece::Literal(encode_literal(&rest[..start])));
                }
                out.push(Piece::Param(after[..end].to_owned()));
                rest = &after[end + 1..];
            }
            None => {
                out.push(Piece::Literal(encode_literal(rest)));
                return Ok(out);
            }
        }
    }
}

/// Percent-encodes what may not appear literally in a URL path (keeps `/` and existing
/// `%XX` escapes).
fn encode_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Turns (status, decode) pairs into named cases (`Ok`, `Created`, `NotFound`, `Default`…),
/// one per status; cases with the same status class keep their order.
fn status_cases(cases: Vec<(StatusMatch, Decode)>) -> Vec<StatusCase> {
    let mut scope = Scope::new();
    cases
        .into_iter()
        .map(|(status, decode)| StatusCase {
            variant: scope.claim(&naming::status_name(status)),
            status,
            decode,
        })
        .collect()
}

/// The one value a parameter schema allows: its only `enum` value, else its `default`
/// (strings only).
fn one_value(schema: &openapiv3::Schema) -> Option<String> {
    if let openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) = &schema.schema_kind {
        let values: Vec<&String> = s.enumeration.iter().flatten().collect();
        if let [only] = values.as_slice() {
            return Some((*only).clone());
        }
        if values.len() > 1 {
            return None;
        }
    }
    match &schema.schema_data.default {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Whether a media type's schema is an inline plain string: no `enum`, no `format`.
fn is_bare_string(media: &openapiv3::MediaType) -> bool {
    let Some(ReferenceOr::Item(schema)) = &media.schema else {
        return false;
    };
    matches!(
        &schema.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::String(t))
            if t.enumeration.is_empty() && t.format == openapiv3::VariantOrUnknownOrEmpty::Empty
    )
}

/// Whether an `Accept` value admits `application/json`: one of its media ranges is
/// `application/json`, `application/*` or `*/*` (parameters such as `q` aside).
fn admits_json(accept: &str) -> bool {
    accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or("").trim();
        ["application/json", "application/*", "*/*"]
            .iter()
            .any(|m| media.eq_ignore_ascii_case(m))
    })
}

/// Whether `value` can be sent as a header value as it is (visible ASCII and spaces).
fn http_header_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_lose_their_fragment_and_keep_their_query_apart() {
        let key = split_path_key("/files/{file_id}#get_shared_link");
        assert_eq!(
            (key.path, key.fragment),
            ("/files/{file_id}", Some("get_shared_link"))
        );
        assert!(key.query.is_empty());
        let key = split_path_key("/r/{id}?beta=true&x=a%20b+c&flag#f");
        assert_eq!(key.path, "/r/{id}");
        assert_eq!(key.fragment, Some("f"));
        assert_eq!(
            key.query,
            [
                ("beta".to_owned(), "true".to_owned()),
                ("x".to_owned(), "a b c".to_owned()),
                ("flag".to_owned(), String::new())
            ]
        );
        // Inside a parameter's braces, `?` and `#` are part of its name.
        let key = split_path_key("/a/{b?c}/d");
        assert_eq!((key.path, key.fragment), ("/a/{b?c}/d", None));
    }

    #[test]
    fn templates() {
        let pieces = template_pieces("/project/{project-slug}/pipeline/{n}/{n}").unwrap();
        assert_eq!(template_params(&pieces), vec!["project-slug", "n"]);
        assert_eq!(
            template_pieces("/project/{project-slug}/pipeline"),
            Ok(vec![
                Piece::Literal("/project/".into()),
                Piece::Param("project-slug".into()),
                Piece::Literal("/pipeline".into())
            ])
        );
        assert_eq!(
            template_pieces("/a b/{x"),
            Ok(vec![Piece::Literal("/a%20b/%7Bx".into())])
        );
        assert_eq!(
            template_pieces("/é"),
            Ok(vec![Piece::Literal("/%C3%A9".into())])
        );
        // One parser decides: an empty name is an error, not literal text that swallows the
        // parameters after it.
        assert_eq!(
            template_pieces("/a/{}/b/{id}"),
            Err("path template `/a/{}/b/{id}` has an empty parameter name (`{}`)".to_owned())
        );
    }
}
