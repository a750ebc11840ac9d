//! The intermediate representation between the document and the emitted Rust.
//!
//! Types live in an arena ([`Types`]) and refer to each other by [`TypeId`], never by name:
//! names are decided once, after every schema has been seen (see `types::assign_names`), so two
//! different schemas that want the same name get two names instead of being merged, and
//! structurally identical schemas share one definition.
//!
//! Anonymous shapes (`Vec<T>`, maps, `Option<T>`, scalars) are interned, so each exists once.
//! Named shapes (structs, string enums, unions, newtypes, component aliases) are emitted as
//! items in `types.rs`. [`Kind::Alias`] is internal forwarding (a `$ref` that turned out to be
//! another type); [`Types::resolve`] follows it.
//!
//! Operations keep, for every parameter, both the Rust name and the wire name.

/// Index of a type in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TypeId(pub(crate) usize);

/// Scalars and other types that are not generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Prim {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    String,
    DateTime,
    Date,
    Uuid,
    /// A `format: uri` (or `url`, `uri-reference`) string, kept as sent: the runtime's `Uri`.
    Uri,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
}

impl Prim {
    /// Whether arguments of this type are passed by value (`Copy`).
    pub(crate) fn is_copy(self) -> bool {
        !matches!(
            self,
            Prim::String | Prim::Uri | Prim::Json | Prim::JsonObject
        )
    }
}

/// How a name was suggested for a type, in order of preference when several apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hint {
    /// A component under `#/components/schemas/<name>`.
    Component(String),
    /// A schema inside a named type: property `part` of `parent`, member of a union, …
    Child { parent: TypeId, part: String },
    /// A schema at the top of an operation: `base` is the operation's name, `part` says where
    /// (`Request`, `Response`, `Error`, a parameter name…).
    Root { base: String, part: String },
    /// An error body: like `Root`; a type that is the error body of several operations or
    /// responses prefers a shared name (`ErrorResponse`).
    ErrorBody { base: String, part: String },
}

#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub(crate) kind: Kind,
    /// Final Rust name (named kinds only; set by naming).
    pub(crate) name: String,
    pub(crate) hints: Vec<Hint>,
    pub(crate) title: Option<String>,
    /// Pointer of the schema this type was made from.
    pub(crate) origin: String,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// Being converted; replaced before conversion ends.
    Pending,
    Prim(Prim),
    Vec(TypeId),
    /// `BTreeMap<String, T>`.
    Map(TypeId),
    Option(TypeId),
    /// Internal forwarding to another type.
    Alias(TypeId),
    Struct(Struct),
    Enum(StrEnum),
    Union(Union),
    /// `pub struct Name(pub T);` — a named wrapper, needed when a schema refers to itself
    /// through an array or map only (`type A = Vec<A>` is not valid Rust).
    Newtype {
        inner: TypeId,
        boxed: bool,
    },
    /// `pub type Name = T;` — a component whose type is another type or an anonymous shape.
    ComponentAlias(TypeId),
    /// A plain enum of response bodies chosen by HTTP status (an operation whose statuses
    /// carry different bodies); decoded by a generated function, not by serde.
    Responses(Vec<StatusCase>),
}

impl Kind {
    pub(crate) fn is_named(&self) -> bool {
        matches!(
            self,
            Kind::Struct(_)
                | Kind::Enum(_)
                | Kind::Union(_)
                | Kind::Newtype { .. }
                | Kind::ComponentAlias(_)
                | Kind::Responses(_)
        )
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Struct {
    pub(crate) fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Property name on the wire; empty for flattened fields.
    pub(crate) wire: String,
    /// Other names the property may arrive under (`x-apigen-aliases`); read, never written.
    pub(crate) aliases: Vec<String>,
    pub(crate) name: String,
    pub(crate) ty: TypeId,
    pub(crate) required: bool,
    /// Read from, and written among, the members no other field names (additional
    /// properties, or a union merged in by `allOf`).
    pub(crate) flatten: bool,
    pub(crate) boxed: bool,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: bool,
    /// The one value the property's own schema allows (`enum: [2]`, also beside an `allOf`
    /// naming a wider enum, as Discord's component `type`s), as tag text: a string as it is,
    /// an integer in decimal. It can tell apart the members of a union.
    pub(crate) tag_value: Option<String>,
}

impl Field {
    /// Whether a value of its struct cannot be built without this field: it is required and
    /// not a flattened map (which starts empty). A struct with no such field is `Default`; a
    /// request struct with some has `new`, taking them in order.
    pub(crate) fn needed(&self, types: &Types) -> bool {
        self.required && !(self.flatten && matches!(types.kind(self.ty), Kind::Map(_)))
    }
}

/// A string enum with a catch-all variant for values added later.
#[derive(Debug, Clone)]
pub(crate) struct StrEnum {
    pub(crate) variants: Vec<EnumVariant>,
    /// Name of the catch-all `Name(String)` variant.
    pub(crate) unknown: String,
}

#[derive(Debug, Clone)]
pub(crate) struct EnumVariant {
    pub(crate) wire: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Union {
    pub(crate) variants: Vec<UnionVariant>,
    /// `Some` when the variant is chosen by the value of one property.
    pub(crate) tag: Option<Tag>,
}

#[derive(Debug, Clone)]
pub(crate) struct UnionVariant {
    pub(crate) name: String,
    pub(crate) ty: TypeId,
    pub(crate) boxed: bool,
    /// Tag values that select this variant (tagged unions).
    pub(crate) tag_values: Vec<String>,
    /// Whether the variant's own type writes the tag property when serialized (a required
    /// field of that name); if not, serialization adds it.
    pub(crate) writes_tag: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// The property carrying the tag.
    pub(crate) property: String,
    /// Name of the catch-all variant holding values with an unknown tag.
    pub(crate) unknown: String,
}

/// The type arena.
#[derive(Debug, Default)]
pub(crate) struct Types {
    pub(crate) defs: Vec<TypeDef>,
}

impl Types {
    pub(crate) fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.defs.get(id.0)
    }

    pub(crate) fn kind(&self, id: TypeId) -> &Kind {
        self.defs
            .get(id.0)
            .map_or(&Kind::Prim(Prim::Json), |d| &d.kind)
    }

    /// Follows [`Kind::Alias`] links (bounded; a cycle ends at the last type seen).
    pub(crate) fn resolve(&self, mut id: TypeId) -> TypeId {
        for _ in 0..64 {
            match self.kind(id) {
                Kind::Alias(next) => id = *next,
                _ => return id,
            }
        }
        id
    }

    /// Resolves aliases and strips one `Option`.
    pub(crate) fn strip_option(&self, id: TypeId) -> (TypeId, bool) {
        let id = self.resolve(id);
        match self.kind(id) {
            Kind::Option(inner) => (self.resolve(*inner), true),
            _ => (id, false),
        }
    }

    /// The per-status cases of a [`Kind::Responses`] type (none for any other type).
    pub(crate) fn status_cases(&self, id: TypeId) -> &[StatusCase] {
        match self.kind(id) {
            Kind::Responses(cases) => cases,
            _ => &[],
        }
    }

    pub(crate) fn name(&self, id: TypeId) -> &str {
        self.defs.get(id.0).map_or("", |d| d.name.as_str())
    }
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub(crate) fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    pub(crate) fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// The OpenAPI `in` value: `path`, `query`, `header`, `cookie`.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// Query serialization style (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    Form { explode: bool },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub(crate) wire: String,
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) style: QueryStyle,
    pub(crate) required: bool,
    /// Path parameter whose `/` separators are kept (`x-apigen-slug`), with the numbers of
    /// segments it may have (empty: any number).
    pub(crate) slug: Option<Vec<usize>>,
    pub(crate) ty: TypeId,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: bool,
    /// JSON pointer of the parameter's schema in the document (after `$ref`s).
    pub(crate) schema: String,
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decode {
    /// No body (`()`).
    Empty,
    Json(TypeId),
    Text,
    Bytes,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Json(TypeId),
    /// `application/x-www-form-urlencoded`, encoded from a typed value.
    Form(TypeId),
    /// Any other content type, sent as raw bytes.
    Raw {
        content_type: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct RequestBody {
    pub(crate) body: Body,
    pub(crate) required: bool,
    pub(crate) docs: Option<String>,
    /// JSON pointer of the chosen media type's schema in the document (after `$ref`s).
    pub(crate) schema: String,
}

/// The success value of an operation.
#[derive(Debug, Clone)]
pub(crate) enum Success {
    One(Decode),
    /// Different bodies per status: a generated enum, one variant per status (its cases are
    /// those of its [`Kind::Responses`]).
    ByStatus(TypeId),
}

#[derive(Debug, Clone)]
pub(crate) struct StatusCase {
    /// `Some(code)` for one status, `None` for the rest of the class (`2XX`) or `default`.
    pub(crate) status: StatusMatch,
    pub(crate) variant: String,
    pub(crate) decode: Decode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusMatch {
    Code(u16),
    /// `2XX` → `Class(2)`.
    Class(u16),
    Default,
}

/// The typed error body of an operation.
#[derive(Debug, Clone)]
pub(crate) enum ErrorBody {
    /// Any JSON value (the document declares no error body).
    Untyped,
    One(TypeId),
    /// Different bodies per status: a generated enum (see [`Success::ByStatus`]).
    ByStatus(TypeId),
}

#[derive(Debug, Clone)]
pub(crate) struct Pagination {
    /// Wire name of the page-token query parameter.
    pub(crate) token_param: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) name: String,
    /// The type the method returns (`ListPipelines`): the call, with a setter per optional
    /// parameter; unique among the operations.
    pub(crate) call_type: String,
    pub(crate) operation_id: Option<String>,
    /// Module (file) the operation goes into.
    pub(crate) module: String,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
    /// The path template requests go to: `path` without a query or fragment (see
    /// `operations::split_path_key`).
    pub(crate) request_path: String,
    /// Query parameters the document's path key fixes (`/responses?beta=true`), sent with
    /// every call, as (name, value); none that a declared query parameter also names.
    pub(crate) fixed_query: Vec<(String, String)>,
    /// The path template, parsed once: literal text and parameters, in order.
    pub(crate) pieces: Vec<Piece>,
    /// In order, decided once by `operations`: path parameters in template order, the other
    /// required parameters (the method's arguments, the body after them), then the optional
    /// ones (setters of the call type, named so that none is one of its own methods).
    pub(crate) params: Vec<Param>,
    /// Headers sent with one value the document fixes (a required `Accept` or `Content-Type`
    /// parameter with a single possible value), as (lowercase name, value).
    pub(crate) fixed_headers: Vec<(String, String)>,
    /// The scheme this operation sends the token under, when not the client's (see
    /// `settings::operation_auth`); decided after the client's scheme.
    pub(crate) auth: Option<Auth>,
    pub(crate) body: Option<RequestBody>,
    pub(crate) success: Success,
    pub(crate) error: ErrorBody,
    /// The status codes the document declares (2xx, 4xx and 5xx codes), in document order.
    pub(crate) statuses: Vec<u16>,
    pub(crate) pagination: Option<Pagination>,
}

/// A piece of a path template: literal text (percent-encoded where needed) or a parameter
/// (by its name in the template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Literal(String),
    Param(String),
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Auth {
    Header(String),
    Bearer,
    Basic,
    None,
}

/// Everything the emitter needs.
#[derive(Debug)]
pub(crate) struct Api {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) version: String,
    pub(crate) types: Types,
    pub(crate) operations: Vec<Operation>,
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) request_id_headers: Vec<String>,
    /// List types that implement the runtime's `Page` trait.
    pub(crate) pages: Vec<PageImpl>,
    /// Docs of each tag module, by module name.
    pub(crate) module_docs: std::collections::BTreeMap<String, String>,
    /// The document's webhooks (OpenAPI 3.1), when it has any.
    pub(crate) webhooks: Option<Webhooks>,
}

/// The requests an API sends to its users (the 3.1 `webhooks`): one payload type per event
/// type, dispatched by the event type a delivery names.
#[derive(Debug, Clone)]
pub(crate) struct Webhooks {
    pub(crate) events: Vec<WebhookEvent>,
    /// Name of the variant keeping a delivery of an event type the document does not know.
    pub(crate) unknown: String,
    /// The header naming a delivery's event type (`x-apigen-webhooks`), if declared.
    pub(crate) event_type_header: Option<String>,
    /// The payload member that repeats the event type (`x-apigen-webhooks`), if declared.
    pub(crate) event_type_member: Option<String>,
    /// How deliveries are signed (`x-apigen-webhooks`), if declared.
    pub(crate) signature: Option<WebhookSignature>,
}

/// One event type of the webhooks.
#[derive(Debug, Clone)]
pub(crate) struct WebhookEvent {
    /// The event type as deliveries name it: the webhook's name in the document.
    pub(crate) event_type: String,
    /// Name of its variant in the event enum.
    pub(crate) variant: String,
    pub(crate) payload: TypeId,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
}

/// An HMAC-SHA256 signature of the raw body, in hex, as the `version` entry of `header`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebhookSignature {
    pub(crate) header: String,
    pub(crate) version: String,
}

impl Api {
    /// The types a request may carry, which callers build: the bodies' and parameters' types and
    /// everything they reach.
    pub(crate) fn request_types(&self) -> std::collections::HashSet<TypeId> {
        let types = &self.types;
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<TypeId> = Vec::new();
        for op in &self.operations {
            stack.extend(op.params.iter().map(|p| p.ty));
            if let Some(Body::Json(t) | Body::Form(t)) = op.body.as_ref().map(|b| &b.body) {
                stack.push(*t);
            }
        }
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            match types.kind(id) {
                Kind::Vec(t) | Kind::Map(t) | Kind::Option(t) | Kind::ComponentAlias(t) => {
                    stack.push(*t);
                }
                Kind::Newtype { inner, .. } => stack.push(*inner),
                Kind::Struct(s) => stack.extend(s.fields.iter().map(|f| f.ty)),
                Kind::Union(u) => stack.extend(u.variants.iter().map(|v| v.ty)),
                _ => {}
            }
        }
        seen
    }
}

/// How a list type exposes its items and next-page token.
#[derive(Debug, Clone)]
pub(crate) struct PageImpl {
    pub(crate) list: TypeId,
    pub(crate) item: TypeId,
    pub(crate) items_field: String,
    /// Number of `Option` layers around the items `Vec<T>` (0, 1 or 2: a nullable field that
    /// may be absent is `Option<Option<Vec<T>>>`).
    pub(crate) items_options: u8,
    pub(crate) token_field: String,
    /// Number of `Option` layers around the token `String` (0, 1 or 2).
    pub(crate) token_options: u8,
}
