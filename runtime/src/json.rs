//! Decoding generated types from JSON: [`FromJson`], a conversion from an owned
//! [`serde_json::Value`].
//!
//! Generated types implement `serde::Deserialize` for their users, but the client itself
//! decodes responses in two steps: the body is parsed into a `Value` (code compiled once, in
//! this crate), then each generated type converts its part of the value with
//! [`FromJson::from_json`] — a plain function, not generic over a `Deserializer`. A derived
//! `Deserialize`, by contrast, is instantiated with the JSON parser for every type, which
//! made up most of a generated crate's compile time and memory.
//!
//! The conversions keep serde's semantics for generated types:
//!
//! - object members are looked up by name; unknown members are ignored;
//! - a missing required member fails with ``missing field `name` ``; an optional one
//!   ([`Object::optional`]) is `None` when absent or `null`; an optional nullable one
//!   ([`Object::optional_nullable`]) keeps absent (`None`) and `null` (`Some(None)`) apart;
//! - members not declared by a struct can be collected into a flattened field
//!   ([`Object::rest`]);
//! - scalars (strings, numbers, booleans, dates, UUIDs, URLs) decode exactly as serde decodes
//!   them from JSON, with the same messages;
//! - an untagged union takes the first variant that decodes ([`Untagged`]).
//!
//! A failure is an [`Error`] naming the JSON path of the failing value (`items[3].id`).
//! Duplicate members are not an error: the last one wins (as in `serde_json::Value`).
//!
//! A generated struct looks like this:
//!
//! ```
//! use apigen_runtime::json::{self, FromJson, Object};
//! use apigen_runtime::serde_json::{Value, json};
//!
//! #[derive(Debug, PartialEq)]
//! struct Job {
//!     name: String,
//!     number: Option<i64>,
//! }
//!
//! impl FromJson for Job {
//!     fn from_json(value: Value) -> Result<Self, json::Error> {
//!         let mut object = Object::new(value);
//!         match (object.required("name"), object.optional("number")) {
//!             (Some(name), Some(number)) => Ok(Job { name, number }),
//!             _ => Err(object.error()),
//!         }
//!     }
//! }
//!
//! let job = Job::from_json(json!({"name": "build", "extra": true})).unwrap();
//! assert_eq!(job, Job { name: "build".to_owned(), number: None });
//! let error = Vec::<Job>::from_json(json!([{"name": "a"}, {"name": 5}])).unwrap_err();
//! assert_eq!(error.path(), "[1].name");
//! assert_eq!(error.message(), "invalid type: integer `5`, expected a string");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Unexpected};
use serde_json::{Map, Value};

/// A type that can be built from an owned JSON value.
pub trait FromJson: Sized {
    /// Converts `value`, or says where and why it does not fit.
    fn from_json(value: Value) -> Result<Self, Error>;
}

/// A value did not fit the expected type: the JSON path of the value and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Path segments from the failing value outwards (pushed while returning).
    segments: Vec<Segment>,
    message: String,
}

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

impl Error {
    /// An error at the current value, with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            segments: Vec::new(),
            message: message.into(),
        }
    }

    /// ``invalid type: …, expected …``, worded as serde_json words it.
    pub fn invalid_type(value: &Value, expected: &str) -> Self {
        let error =
            <serde_json::Error as serde::de::Error>::invalid_type(unexpected(value), &expected);
        Error::new(error.to_string())
    }

    /// ``missing field `name` ``.
    pub fn missing_field(name: &str) -> Self {
        Error::new(format!("missing field `{name}`"))
    }

    /// The same error, one level further out: inside member `key`.
    pub fn at_key(mut self, key: &str) -> Self {
        self.segments.push(Segment::Key(key.to_owned()));
        self
    }

    /// The same error, one level further out: inside element `index`.
    pub fn at_index(mut self, index: usize) -> Self {
        self.segments.push(Segment::Index(index));
        self
    }

    /// The JSON path of the failing value (`items[3].id`; `.` for the top level).
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }

    /// Path segments from the top level inwards.
    pub(crate) fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().rev()
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn from_serde(error: &serde_json::Error) -> Self {
        Error::new(error.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} at `{}`", self.message, self.path())
        }
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }
}

/// serde's description of a JSON value, for "invalid type" messages.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Implements `Deserialize` for a [`FromJson`] type: the input is read into a `Value`, then
/// converted. Generated types implement `serde::Deserialize` with this, so they work with any
/// self-describing format (JSON, YAML, …); failures become `D::Error` with the path in the
/// message.
pub fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    T::from_json(value).map_err(serde::de::Error::custom)
}

/// Implements [`FromJson`] and `serde::Deserialize` for a struct from a table of its fields:
/// each field, the [`Object`] accessor that reads it, and (for declared members) the
/// member's name on the wire. Generated structs use it:
///
/// ```
/// use apigen_runtime::json::FromJson;
/// use apigen_runtime::serde_json::json;
/// use std::collections::BTreeMap;
///
/// #[derive(Debug, PartialEq)]
/// struct Job {
///     r#type: String,
///     created_at: Option<String>,
///     stopped_at: Option<Option<String>>,
///     extra: BTreeMap<String, i64>,
/// }
///
/// apigen_runtime::impl_from_json! {
///     Job {
///         r#type: required "type",
///         created_at: optional "created-at",
///         stopped_at: optional_nullable "stopped-at",
///         extra: take_rest,
///     }
/// }
///
/// let job = Job::from_json(json!({"type": "build", "stopped-at": null, "n": 1})).unwrap();
/// assert_eq!(job.r#type, "build");
/// assert_eq!((job.created_at, job.stopped_at), (None, Some(None)));
/// assert_eq!(job.extra, BTreeMap::from([("n".to_owned(), 1)]));
/// let error = serde_json::from_str::<Job>(r#"{"type": "b", "n": "x"}"#).unwrap_err();
/// assert!(error.to_string().starts_with("invalid type: string \"x\", expected i64 at `n`"));
/// ```
///
/// The fields are read in table order into one tuple that is matched once (see [`Object`]);
/// flattened fields (`rest`, and `take_rest` for the last one) come after the declared
/// members. The calling crate depends on `serde`.
#[macro_export]
macro_rules! impl_from_json {
    ($ty:ident {}) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(
                value: $crate::serde_json::Value,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                $crate::json::Object::new(value).finish().map(|()| Self {})
            }
        }

        $crate::impl_deserialize!($ty);
    };
    ($ty:ident { $($field:ident : $read:ident $($wire:literal)?),+ $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(
                value: $crate::serde_json::Value,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                let mut object = $crate::json::Object::new(value);
                match ($(object.$read($($wire)?),)+) {
                    ($(::std::option::Option::Some($field),)+) => {
                        ::std::result::Result::Ok(Self { $($field),+ })
                    }
                    _ => ::std::result::Result::Err(object.error()),
                }
            }
        }

        $crate::impl_deserialize!($ty);
    };
}

/// Implements `serde::Deserialize` for each of the given [`FromJson`] types, with
/// [`deserialize`]. Generated code writes `::apigen_runtime::impl_deserialize!(Name);` after
/// each hand-written `FromJson` implementation (unions, newtypes). The calling crate depends
/// on `serde`.
#[macro_export]
macro_rules! impl_deserialize {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl<'de> ::serde::Deserialize<'de> for $ty {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    $crate::json::deserialize(deserializer)
                }
            }
        )+
    };
}

/// The methods and traits of a generated string enum, from a table of its known values —
/// each variant and its value on the wire — and its catch-all variant (holding any other
/// value, so values added to the API later are kept): `as_str`, `From<&str>`, `Display`,
/// `FromStr` (never fails), `serde::Serialize` and `serde::Deserialize` (as a string), and
/// [`FromJson`]. The calling crate depends on `serde`.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// enum State {
///     Running,
///     OnHold,
///     Unknown(String),
/// }
///
/// apigen_runtime::impl_string_enum! {
///     State {
///         Running = "running",
///         OnHold = "on-hold",
///         _ => Unknown,
///     }
/// }
///
/// use apigen_runtime::json::FromJson;
/// assert_eq!(State::from_json("on-hold".into()).unwrap(), State::OnHold);
/// assert_eq!(State::from("running").as_str(), "running");
/// assert_eq!("paused".parse::<State>().unwrap(), State::Unknown("paused".to_owned()));
/// assert_eq!(State::Unknown("paused".to_owned()).to_string(), "paused");
/// assert_eq!(serde_json::to_string(&State::OnHold).unwrap(), r#""on-hold""#);
/// assert_eq!(serde_json::from_str::<State>(r#""x""#).unwrap().as_str(), "x");
/// ```
#[macro_export]
macro_rules! impl_string_enum {
    ($ty:ident { $($variant:ident = $wire:literal,)* _ => $unknown:ident $(,)? }) => {
        impl $ty {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(value))
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(&value))
            }
        }

        impl $crate::json::FromJson for $ty {
            fn from_json(
                value: $crate::serde_json::Value,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                let value = <::std::string::String as $crate::json::FromJson>::from_json(value)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(&value))
            }
        }
    };
}

/// Scalars and other types that serde already decodes from a `Value` the way it decodes them
/// from JSON text (same checks, same messages).
macro_rules! via_serde {
    ($($ty:ty),* $(,)?) => {
        $(
            impl FromJson for $ty {
                fn from_json(value: Value) -> Result<Self, Error> {
                    <$ty as Deserialize>::deserialize(value).map_err(|e| Error::from_serde(&e))
                }
            }
        )*
    };
}

via_serde!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    uuid::Uuid,
    url::Url,
);

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(Error::invalid_type(&other, "a string")),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, Error> {
        Ok(value)
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: Value) -> Result<Self, Error> {
        match value {
            Value::Object(map) => Ok(map),
            other => Err(Error::invalid_type(&other, "a map")),
        }
    }
}

// The generic implementations below are instantiated in generated crates for every type
// they hold, so they are written to stay small: plain matches (no `?`, no closures), with
// the work that does not depend on `T` in non-generic functions.

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, Error> {
        if value.is_null() {
            return Ok(None);
        }
        match T::from_json(value) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, Error> {
        match T::from_json(value) {
            Ok(v) => Ok(Box::new(v)),
            Err(e) => Err(e),
        }
    }
}

#[allow(clippy::question_mark)] // see above: no `?`
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, Error> {
        let items = match array(value) {
            Ok(items) => items,
            Err(e) => return Err(e),
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            match T::from_json(item) {
                Ok(v) => out.push(v),
                Err(e) => return Err(e.at_index(index)),
            }
        }
        Ok(out)
    }
}

#[allow(clippy::question_mark)] // see above: no `?`
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Value) -> Result<Self, Error> {
        let members = match object(value) {
            Ok(members) => members,
            Err(e) => return Err(e),
        };
        let mut out = BTreeMap::new();
        for (key, member) in members {
            match T::from_json(member) {
                Ok(v) => {
                    out.insert(key, v);
                }
                Err(e) => return Err(e.at_key(&key)),
            }
        }
        Ok(out)
    }
}

fn array(value: Value) -> Result<Vec<Value>, Error> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(Error::invalid_type(&other, "a sequence")),
    }
}

fn object(value: Value) -> Result<Map<String, Value>, Error> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Error::invalid_type(&other, "a map")),
    }
}

/// The members of a JSON object, read one by one by a generated struct's `from_json`.
/// Members never read are ignored, or collected by [`rest`](Self::rest).
///
/// Each accessor returns `None` when the member does not decode and keeps the first such
/// failure for [`error`](Self::error); once something failed, later accessors return `None`
/// at once. Generated code reads every member into one tuple and matches it once, rather
/// than returning early after each member: an early return would have to drop every member
/// read before it, which makes the compiled code grow with the square of the number of
/// fields.
#[derive(Debug)]
pub struct Object {
    members: Map<String, Value>,
    error: Option<Error>,
}

impl Object {
    /// The members of `value`; when it is not an object, that is the failure every accessor
    /// reports.
    pub fn new(value: Value) -> Self {
        match value {
            Value::Object(members) => Object {
                members,
                error: None,
            },
            other => Object {
                members: Map::new(),
                error: Some(Error::invalid_type(&other, "an object")),
            },
        }
    }

    /// A required member; ``missing field `key` `` when absent. (A required member that may be
    /// `null` is an `Option` read with [`optional`](Self::optional), as serde reads it.)
    pub fn required<T: FromJson>(&mut self, key: &str) -> Option<T> {
        match self.take(key, false) {
            Taken::Value(value) => match T::from_json(value) {
                Ok(v) => Some(v),
                Err(e) => self.fail_at(key, e),
            },
            Taken::Null | Taken::Absent => self.fail(Error::missing_field(key)),
            Taken::Failed => None,
        }
    }

    /// An optional member: `Some(None)` when absent or `null`.
    pub fn optional<T: FromJson>(&mut self, key: &str) -> Option<Option<T>> {
        match self.take(key, true) {
            Taken::Value(value) => match T::from_json(value) {
                Ok(v) => Some(Some(v)),
                Err(e) => self.fail_at(key, e),
            },
            Taken::Null | Taken::Absent => Some(None),
            Taken::Failed => None,
        }
    }

    /// An optional member that may be `null`: `Some(None)` when absent, `Some(Some(None))`
    /// when `null`.
    pub fn optional_nullable<T: FromJson>(&mut self, key: &str) -> Option<Option<Option<T>>> {
        match self.take(key, true) {
            Taken::Value(value) => match T::from_json(value) {
                Ok(v) => Some(Some(Some(v))),
                Err(e) => self.fail_at(key, e),
            },
            Taken::Null => Some(Some(None)),
            Taken::Absent => Some(None),
            Taken::Failed => None,
        }
    }

    /// The members not read so far, as one object converted to `T` (a flattened field:
    /// additional properties, or a union merged into the struct). Read it after every
    /// declared member; with several flattened fields, each sees the same members (the last
    /// one takes them with [`take_rest`](Self::take_rest)).
    pub fn rest<T: FromJson>(&mut self) -> Option<T> {
        if self.error.is_some() {
            return None;
        }
        match T::from_json(Value::Object(self.members.clone())) {
            Ok(v) => Some(v),
            Err(e) => self.fail(e),
        }
    }

    /// Like [`rest`](Self::rest), for the last flattened field.
    pub fn take_rest<T: FromJson>(&mut self) -> Option<T> {
        if self.error.is_some() {
            return None;
        }
        match T::from_json(Value::Object(std::mem::take(&mut self.members))) {
            Ok(v) => Some(v),
            Err(e) => self.fail(e),
        }
    }

    /// The first failure (what made an accessor return `None`).
    pub fn error(self) -> Error {
        self.error
            .unwrap_or_else(|| Error::new("a member of the object did not decode"))
    }

    /// `Ok` unless something failed: for a struct without members.
    pub fn finish(self) -> Result<(), Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Takes member `key`: its value, whether it is null (`null_is_special`) or absent, or
    /// `Failed` when an earlier member failed.
    fn take(&mut self, key: &str, null_is_special: bool) -> Taken {
        if self.error.is_some() {
            return Taken::Failed;
        }
        match self.members.remove(key) {
            Some(Value::Null) if null_is_special => Taken::Null,
            Some(value) => Taken::Value(value),
            None => Taken::Absent,
        }
    }

    fn fail<T>(&mut self, error: Error) -> Option<T> {
        self.record(error);
        None
    }

    fn fail_at<T>(&mut self, key: &str, error: Error) -> Option<T> {
        self.record(error.at_key(key));
        None
    }

    fn record(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}

/// What [`Object::take`] found.
enum Taken {
    Value(Value),
    Null,
    Absent,
    Failed,
}

/// The string value of property `property` of an object, for choosing the variant of a
/// tagged union.
pub fn tag<'a>(value: &'a Value, property: &str) -> Option<&'a str> {
    value.get(property).and_then(Value::as_str)
}

/// Decoding an untagged union: each [`or`](Self::or) tries one variant (in order) until one
/// decodes; [`end`](Self::end) fails with serde's message when none did.
///
/// ```
/// use apigen_runtime::json::{self, FromJson, Untagged};
/// use apigen_runtime::serde_json::{Value, json};
///
/// #[derive(Debug, PartialEq)]
/// enum Parameter {
///     Integer(i64),
///     String(String),
/// }
///
/// impl FromJson for Parameter {
///     fn from_json(value: Value) -> Result<Self, json::Error> {
///         Untagged::new(value).or(Self::Integer).or(Self::String).end("Parameter")
///     }
/// }
///
/// assert_eq!(Parameter::from_json(json!(5)).unwrap(), Parameter::Integer(5));
/// assert_eq!(Parameter::from_json(json!("x")).unwrap(), Parameter::String("x".into()));
/// assert_eq!(
///     Parameter::from_json(json!(true)).unwrap_err().message(),
///     "data did not match any variant of untagged enum Parameter"
/// );
/// ```
#[derive(Debug)]
#[must_use = "an untagged union is decoded by `end`"]
pub struct Untagged<U> {
    state: Result<U, Value>,
}

impl<U> Untagged<U> {
    /// Starts decoding `value`.
    pub fn new(value: Value) -> Self {
        Untagged { state: Err(value) }
    }

    /// Tries variant `variant` (its constructor) unless an earlier one decoded.
    pub fn or<T: FromJson>(self, variant: fn(T) -> U) -> Self {
        let state = match self.state {
            Err(value) => match T::from_json(value.clone()) {
                Ok(v) => Ok(variant(v)),
                Err(_) => Err(value),
            },
            done => done,
        };
        Untagged { state }
    }

    /// The decoded union; `name` (the union's type name) goes into the error when no variant
    /// decoded.
    pub fn end(self, name: &str) -> Result<U, Error> {
        match self.state {
            Ok(v) => Ok(v),
            Err(_) => Err(no_variant(name)),
        }
    }
}

fn no_variant(name: &str) -> Error {
    Error::new(format!(
        "data did not match any variant of untagged enum {name}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_decode_with_serde_messages() {
        assert_eq!(i64::from_json(json!(5)), Ok(5));
        assert_eq!(
            i64::from_json(json!("5")).map_err(|e| e.message().to_owned()),
            Err("invalid type: string \"5\", expected i64".to_owned())
        );
        assert_eq!(
            String::from_json(Value::Null).map_err(|e| e.message().to_owned()),
            Err("invalid type: null, expected a string".to_owned())
        );
        assert_eq!(
            u8::from_json(json!(300)).map_err(|e| e.message().to_owned()),
            Err("invalid value: integer `300`, expected u8".to_owned())
        );
        assert_eq!(f64::from_json(json!(3)), Ok(3.0));
        assert!(uuid::Uuid::from_json(json!("not-a-uuid")).is_err());
        assert!(chrono::DateTime::<chrono::Utc>::from_json(json!("2024-05-01T10:00:00Z")).is_ok());
        assert_eq!(Option::<i64>::from_json(Value::Null), Ok(None));
    }

    #[test]
    fn paths_name_the_failing_value() {
        let err =
            BTreeMap::<String, Vec<i64>>::from_json(json!({"a": [1], "b": [1, "x"]})).unwrap_err();
        assert_eq!(err.path(), "b[1]");
        assert_eq!(
            err.to_string(),
            "invalid type: string \"x\", expected i64 at `b[1]`"
        );
        assert_eq!(Vec::<i64>::from_json(json!({})).unwrap_err().path(), ".");
    }

    #[test]
    fn object_members() {
        let mut o = Object::new(json!({"a": 1, "n": null, "s": "x", "extra": [1]}));
        assert_eq!(o.required::<i64>("a"), Some(1));
        assert_eq!(o.optional::<i64>("n"), Some(None));
        assert_eq!(o.optional::<i64>("absent"), Some(None));
        assert_eq!(o.optional_nullable::<i64>("absent"), Some(None));
        let rest: Option<BTreeMap<String, Value>> = o.rest();
        assert_eq!(rest.unwrap().keys().collect::<Vec<_>>(), ["extra", "s"]);
        assert_eq!(o.required::<i64>("gone"), None);
        // After a failure every accessor gives up; the first failure is reported.
        assert_eq!(o.required::<String>("s"), None);
        assert_eq!(o.optional::<i64>("absent"), None);
        assert_eq!(o.take_rest::<BTreeMap<String, Value>>(), None);
        let error = o.error();
        assert_eq!(error.message(), "missing field `gone`");
        assert_eq!(error.path(), ".");

        let mut o = Object::new(json!({"n": null, "v": 2, "w": "x"}));
        assert_eq!(o.optional_nullable::<i64>("n"), Some(Some(None)));
        assert_eq!(o.optional_nullable::<i64>("v"), Some(Some(Some(2))));
        assert_eq!(o.optional_nullable::<i64>("w"), None);
        assert_eq!(o.error().path(), "w");

        let mut o = Object::new(json!({"r": null}));
        assert_eq!(o.required::<Option<i64>>("r"), Some(None));
        assert_eq!(o.required::<i64>("absent"), None);
        assert_eq!(o.error().message(), "missing field `absent`");
        let mut o = Object::new(json!({"r": null}));
        assert_eq!(o.required::<i64>("r"), None);
        assert_eq!(o.error().message(), "invalid type: null, expected i64");
        let mut o = Object::new(json!({"r": null}));
        assert_eq!(o.optional::<i64>("r"), Some(None));
        assert!(o.finish().is_ok());

        let mut o = Object::new(json!([1]));
        assert_eq!(o.optional::<i64>("a"), None);
        assert_eq!(
            o.error().message(),
            "invalid type: sequence, expected an object"
        );
        assert!(Object::new(json!(null)).finish().is_err());
        assert!(Object::new(json!({})).finish().is_ok());
    }

    #[test]
    fn deserialize_goes_through_from_json() {
        struct Pair(i64);
        impl FromJson for Pair {
            fn from_json(value: Value) -> Result<Self, Error> {
                let mut object = Object::new(value);
                match object.required("n") {
                    Some(n) => Ok(Pair(n)),
                    None => Err(object.error()),
                }
            }
        }
        impl<'de> serde::Deserialize<'de> for Pair {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize(d)
            }
        }
        assert_eq!(
            serde_json::from_str::<Pair>(r#"{"n": 3}"#)
                .map(|p| p.0)
                .ok(),
            Some(3)
        );
        let err = serde_json::from_str::<Vec<Pair>>(r#"[{"n": "3"}]"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid type: string \"3\", expected i64 at `n` at line 1 column 12")
        );
    }
}
