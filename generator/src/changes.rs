//! What changed for users of the generated crate between two versions of a document: the
//! operations, parameters, bodies, responses, types, fields, enum values, union members and
//! webhook events added, changed or removed, each marked breaking (with why) or not.
//!
//! The rules follow the generated code as it is:
//! - required parameters (and a required body) are positional arguments, so adding,
//!   removing, retyping or reordering one breaks calls; optional ones (and an optional body)
//!   are setters of the operation's call type, so adding one breaks nothing, and neither does
//!   a listing becoming paginated (its call type gains `.pages()` and `.items()`);
//! - enums, unions, per-status results, the webhook `Event` and structs that are only received
//!   are `#[non_exhaustive]`, so adding a value, a member, a status, an event or a field to them
//!   breaks nothing;
//! - structs a request carries are exhaustive (callers build them): an added field breaks a
//!   struct literal that lists every member, not one built with `new` or `..Default::default()`;
//! - removing or retyping anything breaks.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Api, Body, Decode, ErrorBody, Kind, Location, Operation, Success, TypeId};
use crate::naming;

/// Which part of the report a change belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Something the new document has that the old one did not.
    Added,
    /// Something both have, in another form.
    Changed,
    /// Something the old document had that the new one does not.
    Removed,
}

/// One change, as a user of the generated crate sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub section: Section,
    /// What changed, in the crate's terms (`parameter \`branch\` of \`list_pipelines\``).
    pub subject: String,
    /// Why code written against the old crate may no longer compile; `None` when it still
    /// compiles.
    pub breaking: Option<String>,
}

/// Every change between two versions of a document, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub changes: Vec<Change>,
}

impl Changes {
    /// How many of the changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking.is_some()).count()
    }

    /// The report as Markdown, for a pull request.
    pub fn markdown(&self) -> String {
        let mut out = String::from("## API changes\n\n");
        if self.changes.is_empty() {
            out.push_str("None: the generated API is the same.\n");
            return out;
        }
        out.push_str(&format!(
            "{} change(s), **{} breaking**.\n",
            self.changes.len(),
            self.breaking()
        ));
        for (section, title) in sections() {
            let rows: Vec<&Change> = self.in_section(section).collect();
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {title}\n\n"));
            for c in rows {
                match &c.breaking {
                    Some(why) => out.push_str(&format!("- {} — **breaking**: {why}\n", c.subject)),
                    None => out.push_str(&format!("- {}\n", c.subject)),
                }
            }
        }
        out
    }

    fn in_section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section == section)
    }
}

fn sections() -> [(Section, &'static str); 3] {
    [
        (Section::Added, "Added"),
        (Section::Changed, "Changed"),
        (Section::Removed, "Removed"),
    ]
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "API changes: none");
        }
        writeln!(
            f,
            "API changes: {}, {} breaking",
            self.changes.len(),
            self.breaking()
        )?;
        for (section, title) in sections() {
            let rows: Vec<&Change> = self.in_section(section).collect();
            if rows.is_empty() {
                continue;
            }
            writeln!(f, "{title}:")?;
            for c in rows {
                match &c.breaking {
                    Some(why) => writeln!(f, "  ! {} (breaking: {why})", c.subject)?,
                    None => writeln!(f, "  + {}", c.subject)?,
                }
            }
        }
        Ok(())
    }
}

/// The changes from `old` to `new`.
pub(crate) fn compare(old: &Api, new: &Api) -> Changes {
    let mut out = Vec::new();
    let mut push = |section, subject: String, breaking: Option<&str>| {
        out.push(Change {
            section,
            subject,
            breaking: breaking.map(str::to_owned),
        });
    };
    // Operations, by method name.
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    for (name, op) in &new_ops {
        match old_ops.get(name) {
            None => push(
                Section::Added,
                format!("method `{name}` ({} {})", op.method.upper(), op.path),
                None,
            ),
            Some(before) => compare_operation(old, before, new, op, &mut push),
        }
    }
    for (name, op) in &old_ops {
        if !new_ops.contains_key(name) {
            push(
                Section::Removed,
                format!("method `{name}` ({} {})", op.method.upper(), op.path),
                Some("calls to it no longer compile"),
            );
        }
    }
    // Named types, by Rust name.
    let old_types = named(old);
    let new_types = named(new);
    let sent = new.request_types();
    for (name, id) in &new_types {
        match old_types.get(name) {
            None => push(Section::Added, format!("type `{name}`"), None),
            Some(before) => {
                compare_type(old, *before, new, *id, name, sent.contains(id), &mut push);
            }
        }
    }
    for name in old_types.keys() {
        if !new_types.contains_key(name) {
            push(
                Section::Removed,
                format!("type `{name}`"),
                Some("code naming it no longer compiles"),
            );
        }
    }
    // Webhook events.
    let events = |api: &Api| -> BTreeMap<String, String> {
        api.webhooks
            .iter()
            .flat_map(|w| &w.events)
            .map(|e| (e.event_type.clone(), type_text(api, e.payload)))
            .collect()
    };
    let (old_events, new_events) = (events(old), events(new));
    for (event, payload) in &new_events {
        match old_events.get(event) {
            None => push(
                Section::Added,
                format!("webhook event `{event}`"),
                // Before the first event there was no `webhooks::Event` to match on.
                None,
            ),
            Some(before) if before != payload => push(
                Section::Changed,
                format!("payload of webhook event `{event}`: `{before}` → `{payload}`"),
                Some("its variant holds another type"),
            ),
            Some(_) => {}
        }
    }
    for event in old_events.keys() {
        if !new_events.contains_key(event) {
            push(
                Section::Removed,
                format!("webhook event `{event}`"),
                Some("its variant is gone"),
            );
        }
    }
    out.sort_by_key(|c| c.section);
    Changes { changes: out }
}

type Push<'p> = dyn FnMut(Section, String, Option<&str>) + 'p;

fn compare_operation(
    old_api: &Api,
    old: &Operation,
    new_api: &Api,
    new: &Operation,
    push: &mut Push<'_>,
) {
    let name = &new.name;
    if (old.method, &old.path) != (new.method, &new.path) {
        push(
            Section::Changed,
            format!(
                "endpoint of `{name}`: {} {} → {} {}",
                old.method.upper(),
                old.path,
                new.method.upper(),
                new.path
            ),
            Some("calls still compile but reach another endpoint"),
        );
    }
    // Required parameters are positional: two that keep their names but swap places still
    // compile, and send each value to the other parameter. Optional ones are setters, named.
    let order = |op: &Operation| -> Vec<(String, Location)> {
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p.wire.clone(), p.location))
            .collect()
    };
    let (was, is) = (order(old), order(new));
    let common_was: Vec<&(String, Location)> = was.iter().filter(|k| is.contains(k)).collect();
    let common_is: Vec<&(String, Location)> = is.iter().filter(|k| was.contains(k)).collect();
    if common_was != common_is {
        let list = |keys: &[&(String, Location)]| {
            keys.iter()
                .map(|(w, _)| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        push(
            Section::Changed,
            format!(
                "argument order of `{name}`: {} → {}",
                list(&common_was),
                list(&common_is)
            ),
            Some("calls still compile but pass values to other parameters"),
        );
    }
    let key = |p: &crate::model::Param| (p.wire.clone(), p.location);
    let old_params: BTreeMap<(String, Location), &crate::model::Param> =
        old.params.iter().map(|p| (key(p), p)).collect();
    let new_params: BTreeMap<(String, Location), &crate::model::Param> =
        new.params.iter().map(|p| (key(p), p)).collect();
    if old.call_type != new.call_type {
        push(
            Section::Changed,
            format!(
                "call type of `{name}`: `{}` → `{}`",
                old.call_type, new.call_type
            ),
            Some("code naming the old type no longer compiles"),
        );
    }
    // Optional parameters are setters, known by name: one whose wire name or location changed
    // but whose setter stayed is the same setter. Those of the old operation not matched yet:
    let mut unmatched: Vec<&crate::model::Param> = old
        .params
        .iter()
        .filter(|p| !new_params.contains_key(&key(p)))
        .collect();
    for (k, p) in &new_params {
        let what = format!("{} parameter `{}` of `{name}`", p.location.noun(), k.0);
        let same_setter = (!p.required && !old_params.contains_key(k))
            .then(|| {
                unmatched
                    .iter()
                    .position(|q| !q.required && naming::unraw(&q.name) == naming::unraw(&p.name))
            })
            .flatten()
            .map(|i| unmatched.remove(i));
        if let Some(before) = same_setter {
            let (was, is) = (type_text(old_api, before.ty), type_text(new_api, p.ty));
            push(
                Section::Changed,
                format!(
                    "{what}: was {} parameter `{}` (setter `{}` kept)",
                    before.location.noun(),
                    before.wire,
                    naming::unraw(&p.name)
                ),
                None,
            );
            if was != is {
                push(
                    Section::Changed,
                    format!("{what}: `{was}` → `{is}`"),
                    Some("the setter takes another type"),
                );
            }
            continue;
        }
        match old_params.get(k) {
            None if p.required => push(
                Section::Added,
                format!("{what} (required)"),
                Some("the method takes one more positional argument"),
            ),
            None => push(
                Section::Added,
                format!("{what} (optional: setter `{}`)", naming::unraw(&p.name)),
                None,
            ),
            Some(before) => {
                let (was, is) = (type_text(old_api, before.ty), type_text(new_api, p.ty));
                if was != is {
                    push(
                        Section::Changed,
                        format!("{what}: `{was}` → `{is}`"),
                        Some(if p.required {
                            "the argument has another type"
                        } else {
                            "the setter takes another type"
                        }),
                    );
                }
                if before.required != p.required {
                    push(
                        Section::Changed,
                        format!(
                            "{what}: {} → {}",
                            if before.required {
                                "required"
                            } else {
                                "optional"
                            },
                            if p.required { "required" } else { "optional" }
                        ),
                        Some(if p.required {
                            "a setter becomes a positional argument"
                        } else {
                            "a positional argument becomes a setter"
                        }),
                    );
                } else if !p.required && before.name != p.name {
                    push(
                        Section::Changed,
                        format!(
                            "setter of {what}: `{}` → `{}`",
                            naming::unraw(&before.name),
                            naming::unraw(&p.name)
                        ),
                        Some("calls to the old setter no longer compile"),
                    );
                }
            }
        }
    }
    for p in unmatched {
        push(
            Section::Removed,
            format!("{} parameter `{}` of `{name}`", p.location.noun(), p.wire),
            Some(if p.required {
                "the method takes one argument less"
            } else {
                "its setter is gone"
            }),
        );
    }
    let body = |api: &Api, op: &Operation| {
        op.body.as_ref().map(|b| {
            let ty = match &b.body {
                Body::Json(t) | Body::Form(t) => type_text(api, *t),
                Body::Raw { content_type } => format!("bytes ({content_type})"),
            };
            (ty, b.required)
        })
    };
    match (body(old_api, old), body(new_api, new)) {
        (None, Some((ty, true))) => push(
            Section::Added,
            format!("request body `{ty}` of `{name}` (required)"),
            Some("the method takes a body argument"),
        ),
        (None, Some((ty, false))) => push(
            Section::Added,
            format!("request body `{ty}` of `{name}` (optional: setter `body`)"),
            None,
        ),
        (Some((ty, _)), None) => push(
            Section::Removed,
            format!("request body `{ty}` of `{name}`"),
            Some("the method no longer takes a body"),
        ),
        (Some((was, was_required)), Some((is, required))) => {
            if was != is {
                push(
                    Section::Changed,
                    format!("request body of `{name}`: `{was}` → `{is}`"),
                    Some("the body argument has another type"),
                );
            }
            if was_required != required {
                push(
                    Section::Changed,
                    format!(
                        "request body of `{name}` became {}",
                        if required { "required" } else { "optional" }
                    ),
                    Some("the body moves between the arguments and the `body` setter"),
                );
            }
        }
        (None, None) => {}
    }
    let (was, is) = (success_text(old_api, old), success_text(new_api, new));
    if was != is {
        push(
            Section::Changed,
            format!("result of `{name}`: `{was}` → `{is}`"),
            Some("the call returns another type"),
        );
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(_)) => push(
            Section::Changed,
            format!("`{name}` became a paginated listing"),
            // The call type keeps what it had (`.await`, `.with_response()`) and gains
            // `.pages()` and `.items()`; only `From` turns it into a `PagedCall` instead.
            None,
        ),
        (Some(_), None) => push(
            Section::Changed,
            format!("`{name}` is no longer a paginated listing"),
            Some("its call has no `.pages()` and `.items()`"),
        ),
        _ => {}
    }
    let (was, is) = (error_text(old_api, old), error_text(new_api, new));
    if was != is {
        push(
            Section::Changed,
            format!("error body of `{name}`: `{was}` → `{is}`"),
            Some("the call's error has another body type"),
        );
    }
}

fn success_text(api: &Api, op: &Operation) -> String {
    match &op.success {
        Success::One(d) => decode_text(api, d),
        Success::ByStatus(t) => type_text(api, *t),
    }
}

fn error_text(api: &Api, op: &Operation) -> String {
    match &op.error {
        ErrorBody::Untyped => "serde_json::Value".to_owned(),
        ErrorBody::One(t) | ErrorBody::ByStatus(t) => type_text(api, *t),
    }
}

fn decode_text(api: &Api, d: &Decode) -> String {
    match d {
        Decode::Empty => "()".to_owned(),
        Decode::Json(t) => type_text(api, *t),
        Decode::Text => "String".to_owned(),
        Decode::Bytes => "Bytes".to_owned(),
    }
}

/// The named types of `api`, by name.
fn named(api: &Api) -> BTreeMap<String, TypeId> {
    api.types
        .defs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.is_named() && !d.name.is_empty())
        .map(|(i, d)| (d.name.clone(), TypeId(i)))
        .collect()
}

/// The fields of a struct, and how it is built: a type whose fields are all optional is
/// `Default`; one sent in requests that has required fields has `new(required…)`. Received
/// types are `#[non_exhaustive]`, so only a sent type can be written as a struct literal.
fn compare_struct(
    old_api: &Api,
    a: &crate::model::Struct,
    new_api: &Api,
    b: &crate::model::Struct,
    name: &str,
    sent: bool,
    push: &mut Push<'_>,
) {
    let fields = |s: &crate::model::Struct, api: &Api| -> BTreeMap<String, (String, bool)> {
        s.fields
            .iter()
            .map(|f| (f.name.clone(), (field_text(api, f), f.needed(&api.types))))
            .collect()
    };
    // `None` for a `Default` type, else the arguments `new` would take, in order.
    let constructor = |s: &crate::model::Struct, api: &Api| -> Option<String> {
        let args: Vec<String> = s
            .fields
            .iter()
            .filter(|f| f.needed(&api.types))
            .map(|f| format!("{}: {}", f.name, field_text(api, f)))
            .collect();
        (!args.is_empty()).then(|| args.join(", "))
    };
    let (was, is) = (fields(a, old_api), fields(b, new_api));
    for (field, (ty, needed)) in &is {
        match was.get(field) {
            None => push(
                Section::Added,
                format!("field `{name}::{field}` (`{ty}`)"),
                match (sent, needed) {
                    (false, _) => None,
                    (true, false) => Some(
                        "a struct literal that lists every member must set it (one built with `new` or ending in `..Default::default()` need not)",
                    ),
                    (true, true) => Some("it is required: every struct literal must set it"),
                },
            ),
            Some((before, _)) if before != ty => push(
                Section::Changed,
                format!("field `{name}::{field}`: `{before}` → `{ty}`"),
                Some("the field has another type"),
            ),
            Some(_) => {}
        }
    }
    for field in was.keys() {
        if !is.contains_key(field) {
            push(
                Section::Removed,
                format!("field `{name}::{field}`"),
                Some("code reading or setting it no longer compiles"),
            );
        }
    }
    match (constructor(a, old_api), constructor(b, new_api)) {
        (None, Some(args)) => push(
            Section::Changed,
            if sent {
                format!("type `{name}`: `Default` → `new({args})`")
            } else {
                format!("type `{name}`: no longer `Default`")
            },
            Some(
                "it has a required field now: `Default::default()` and `..Default::default()` no longer compile",
            ),
        ),
        (Some(args), None) if sent => push(
            Section::Changed,
            format!("type `{name}`: `new({args})` → `Default`"),
            Some("it has no required field now, so no `new`: build it with `..Default::default()`"),
        ),
        (Some(before), Some(after)) if sent && before != after => push(
            Section::Changed,
            format!("constructor `{name}::new`: `({before})` → `({after})`"),
            Some("calls to `new` must change"),
        ),
        _ => {}
    }
}

fn compare_type(
    old_api: &Api,
    old: TypeId,
    new_api: &Api,
    new: TypeId,
    name: &str,
    sent: bool,
    push: &mut Push<'_>,
) {
    match (old_api.types.kind(old), new_api.types.kind(new)) {
        (Kind::Struct(a), Kind::Struct(b)) => {
            compare_struct(old_api, a, new_api, b, name, sent, push);
        }
        (Kind::Enum(a), Kind::Enum(b)) => {
            let values = |e: &crate::model::StrEnum| -> Vec<String> {
                e.variants.iter().map(|v| v.wire.clone()).collect()
            };
            let (was, is) = (values(a), values(b));
            for v in is.iter().filter(|v| !was.contains(v)) {
                push(
                    Section::Added,
                    format!(
                        "value `{v}` of `{name}` (before, it arrived as the catch-all variant)"
                    ),
                    None,
                );
            }
            for v in was.iter().filter(|v| !is.contains(v)) {
                push(
                    Section::Removed,
                    format!("value `{v}` of `{name}`"),
                    Some("its variant is gone"),
                );
            }
        }
        (Kind::Union(a), Kind::Union(b)) => {
            let variants = |u: &crate::model::Union, api: &Api| -> BTreeMap<String, String> {
                u.variants
                    .iter()
                    .map(|v| (v.name.clone(), type_text(api, v.ty)))
                    .collect()
            };
            diff_variants(
                name,
                &variants(a, old_api),
                &variants(b, new_api),
                "member",
                push,
            );
        }
        (Kind::Responses(a), Kind::Responses(b)) => {
            let cases = |c: &[crate::model::StatusCase], api: &Api| -> BTreeMap<String, String> {
                c.iter()
                    .map(|c| (c.variant.clone(), decode_text(api, &c.decode)))
                    .collect()
            };
            diff_variants(name, &cases(a, old_api), &cases(b, new_api), "status", push);
        }
        (Kind::Newtype { inner: a, .. }, Kind::Newtype { inner: b, .. }) => {
            let (was, is) = (type_text(old_api, *a), type_text(new_api, *b));
            if was != is {
                push(
                    Section::Changed,
                    format!("type `{name}`: wraps `{was}` → `{is}`"),
                    Some("it holds another type"),
                );
            }
        }
        (Kind::ComponentAlias(a), Kind::ComponentAlias(b)) => {
            let (was, is) = (type_text(old_api, *a), type_text(new_api, *b));
            if was != is {
                push(
                    Section::Changed,
                    format!("type `{name}`: `{was}` → `{is}`"),
                    Some("the alias names another type"),
                );
            }
        }
        (a, b) if kind_word(a) != kind_word(b) => push(
            Section::Changed,
            format!("type `{name}`: {} → {}", kind_word(a), kind_word(b)),
            Some("it is another kind of type"),
        ),
        _ => {}
    }
}

fn diff_variants(
    name: &str,
    was: &BTreeMap<String, String>,
    is: &BTreeMap<String, String>,
    what: &str,
    push: &mut Push<'_>,
) {
    for (variant, ty) in is {
        match was.get(variant) {
            None => push(
                Section::Added,
                format!("{what} `{name}::{variant}` (`{ty}`)"),
                None,
            ),
            Some(before) if before != ty => push(
                Section::Changed,
                format!("{what} `{name}::{variant}`: `{before}` → `{ty}`"),
                Some("the variant holds another type"),
            ),
            Some(_) => {}
        }
    }
    for variant in was.keys() {
        if !is.contains_key(variant) {
            push(
                Section::Removed,
                format!("{what} `{name}::{variant}`"),
                Some("its variant is gone"),
            );
        }
    }
}

fn kind_word(kind: &Kind) -> &'static str {
    match kind {
        Kind::Struct(_) => "a struct",
        Kind::Enum(_) => "a string enum",
        Kind::Union(_) => "a union",
        Kind::Newtype { .. } => "a newtype",
        Kind::ComponentAlias(_) => "an alias",
        Kind::Responses(_) => "a per-status enum",
        _ => "a type",
    }
}

/// A field's type as the generated struct spells it: an optional field wraps its type in
/// `Option`, so an optional nullable one is `Option<Option<T>>`.
fn field_text(api: &Api, f: &crate::model::Field) -> String {
    let ty = type_text(api, f.ty);
    if f.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A type as the generated code spells it (named types by name).
fn type_text(api: &Api, id: TypeId) -> String {
    let types = &api.types;
    match types.kind(id) {
        Kind::Prim(p) => prim_text(*p).to_owned(),
        Kind::Vec(t) => format!("Vec<{}>", type_text(api, *t)),
        Kind::Map(t) => format!("Map<{}>", type_text(api, *t)),
        Kind::Option(t) => format!("Option<{}>", type_text(api, *t)),
        Kind::Alias(_) | Kind::Pending => "?".to_owned(),
        _ => types.name(id).to_owned(),
    }
}

fn prim_text(p: crate::model::Prim) -> &'static str {
    use crate::model::Prim;
    match p {
        Prim::Bool => "bool",
        Prim::I8 => "i8",
        Prim::I16 => "i16",
        Prim::I32 => "i32",
        Prim::I64 => "i64",
        Prim::U8 => "u8",
        Prim::U16 => "u16",
        Prim::U32 => "u32",
        Prim::U64 => "u64",
        Prim::F32 => "f32",
        Prim::F64 => "f64",
        Prim::String => "String",
        Prim::DateTime => "DateTime<Utc>",
        Prim::Date => "NaiveDate",
        Prim::Uuid => "Uuid",
        Prim::Uri => "Uri",
        Prim::Json => "serde_json::Value",
        Prim::JsonObject => "serde_json::Map",
    }
}
