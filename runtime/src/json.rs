//! Decoding generated types from JSON text: [`FromJson`], read straight from the bytes of a
//! body by a streaming [`Reader`] (built on `jiter`), with no intermediate tree.
//!
//! Generated types implement `serde::Deserialize` for their users, but the client itself
//! decodes responses with [`from_slice`]. A generated struct's [`FromJson::read`] is a table
//! of its fields handed to one shared walk of the object ([`member::read_object`]), not a
//! function generic over a `Deserializer`: a derived `Deserialize` is instantiated with the
//! JSON parser for every type, which made up most of a generated crate's compile time and
//! memory. Reading the bytes directly also skips the allocation of a `serde_json::Value`
//! tree for every body, so decoding costs about what a derived `Deserialize` costs.
//!
//! The conversions keep serde's semantics for generated types:
//!
//! - object members are looked up by name; unknown members are skipped; when a name appears
//!   twice, the last one wins;
//! - a missing required member fails with ``missing field `name` ``; an optional one
//!   ([`member::optional`]) is `None` when absent or `null`; an optional nullable one
//!   ([`member::optional_nullable`]) keeps absent (`None`) and `null` (`Some(None)`) apart;
//! - members not declared by a struct can be collected into flattened fields
//!   ([`member::rest`]);
//! - scalars (strings, numbers, booleans, dates, UUIDs, URLs) decode exactly as serde decodes
//!   them from JSON, with the same messages (a value of the wrong kind is handed to the
//!   type's own `Deserialize` to word the error, or to accept it when serde would);
//! - an untagged union takes the first variant that decodes ([`Untagged`]); a tagged one
//!   chooses by the tag property ([`Reader::tagged`]).
//!
//! A failure is an [`Error`] naming the JSON path of the failing value (`items[3].id`) — a
//! value of the wrong type, a missing member, or broken JSON text (with its line and column).
//! Nesting deeper than [`MAX_DEPTH`] containers is an error, never a stack overflow.
//!
//! # Error correction
//!
//! A server does not always send what its API description says: a member the description
//! requires may be missing, or `null` where it allows no null. Read in [`Mode::Tolerant`]
//! (what a generated client does by default; [`from_slice_with`]), such a member gets its
//! type's fallback value ([`FromJson::fallback`]) instead of failing the whole response, and
//! the reader records a [`Deviation`] naming its JSON path. The fallbacks: `false`, zero,
//! the empty string, an empty list or map, `None`, the Unix epoch for dates and times, the
//! nil UUID, `null` for free-form values, an unknown value (`Unknown("")`) for string
//! enums, and for a struct, the struct of its members' fallbacks. Types without a sensible
//! one (URLs, unions, recursive members) have none: a missing member of such a type is still
//! an error. So is every value that would lose data if corrected: a value of the wrong kind,
//! a malformed UUID or date. [`Mode::Strict`] reports every deviation as the error it is.
//!
//! An untagged union never lets correction change which variant is chosen: a variant that
//! decodes without deviations wins (the first in declaration order), and only when none
//! does is the variant with the fewest deviations taken (the first of those in declaration
//! order).
//!
//! A struct is a table handed to [`impl_from_json!`](crate::impl_from_json) (generated
//! structs use [`impl_json!`](crate::impl_json), which also implements `Serialize`):
//!
//! ```
//! use apigen_runtime::json;
//!
//! #[derive(Debug, PartialEq)]
//! struct Job {
//!     name: String,
//!     number: Option<i64>,
//! }
//!
//! apigen_runtime::impl_from_json! {
//!     Job {
//!         name: required "name",
//!         number: optional "number",
//!     }
//! }
//!
//! let job: Job = json::from_slice(br#"{"name": "build", "extra": true}"#).unwrap();
//! assert_eq!(job, Job { name: "build".to_owned(), number: None });
//! let error = json::from_slice::<Vec<Job>>(br#"[{"name": "a"}, {"name": 5}]"#).unwrap_err();
//! assert_eq!(error.path(), "[1].name");
//! assert_eq!(error.message(), "invalid type: integer `5`, expected a string");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use jiter::{Jiter, JiterError, LinePosition, NumberInt, Peek};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::{Map, Value};

/// How many arrays and objects may be open at once while reading (serde_json allows 128).
pub const MAX_DEPTH: usize = 128;

/// A type that can be read from JSON text.
pub trait FromJson: Sized {
    /// Reads one value from `reader`, or says where and why it does not fit.
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error>;

    /// Whether this is a struct read member by member ([`impl_from_json!`](crate::impl_from_json)):
    /// it then accepts only objects, and its fallback is made of its fields' fallbacks. The
    /// defaults of [`may_accept`](Self::may_accept) and [`fallback`](Self::fallback) follow
    /// it, so a struct states one constant instead of implementing both.
    const STRUCT: bool = false;

    /// Whether a value of this kind may decode (`false` only when it certainly does not).
    /// Untagged unions skip variants that cannot match without building their errors.
    fn may_accept(kind: Kind) -> bool {
        !Self::STRUCT || kind == Kind::Object
    }

    /// The value a required member of this type gets when it is missing (or `null` where no
    /// null is allowed) and the reader corrects errors ([`Mode::Tolerant`]); `None` when the
    /// type has no sensible fallback, so that the member stays an error. A struct's is made
    /// of its fields' fallbacks (`None` if a required one has none).
    fn fallback() -> Option<Self> {
        if Self::STRUCT {
            member::fallback()
        } else {
            None
        }
    }
}

/// How a [`Reader`] treats a member the type requires but the text lacks (or has as `null`
/// where the type allows no null).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// An error, as serde reads it.
    #[default]
    Strict,
    /// The member's fallback value, and a [`Deviation`] recorded.
    Tolerant,
}

/// The most deviations one reader records; more are counted, not kept (the text comes from
/// a server, which decides how many there are).
pub const MAX_DEVIATIONS: usize = 100;

/// What a tolerant read corrected: where, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deviation {
    /// Path segments from the member outwards (pushed while returning).
    segments: Vec<Segment>,
    kind: DeviationKind,
}

/// How a value deviated from its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A required member was missing; it got its fallback value.
    Missing,
    /// A member that may not be null was `null`; it got its fallback value.
    Null,
}

impl Deviation {
    fn new(member: &str, kind: DeviationKind) -> Self {
        Deviation {
            segments: vec![Segment::Key(member.to_owned())],
            kind,
        }
    }

    /// The JSON path of the corrected member (`items[2].created_at`).
    pub fn path(&self) -> String {
        path_of(&self.segments)
    }

    /// What was corrected.
    pub fn kind(&self) -> DeviationKind {
        self.kind
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DeviationKind::Missing => "a required member is missing",
            DeviationKind::Null => "a member that may not be null is null",
        };
        write!(
            f,
            "{what} at `{}`; its fallback value was used",
            self.path()
        )
    }
}

/// The kind of a JSON value, seen before it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    fn of(peek: Peek) -> Kind {
        match peek {
            Peek::Null => Kind::Null,
            Peek::True | Peek::False => Kind::Bool,
            Peek::String => Kind::String,
            Peek::Array => Kind::Array,
            Peek::Object => Kind::Object,
            // Numbers, and anything else (which fails as broken text whatever reads it).
            _ => Kind::Number,
        }
    }
}

/// Decodes a complete JSON document (surrounding whitespace allowed, nothing else after it).
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, Error> {
    read_whole(Reader::new(bytes))
}

/// Decodes a complete JSON document in `mode`, returning the value, the deviations corrected
/// (none in [`Mode::Strict`]) and how many more there were than [`MAX_DEVIATIONS`].
pub fn from_slice_with<T: FromJson>(
    bytes: &[u8],
    mode: Mode,
) -> Result<(T, Vec<Deviation>, usize), Error> {
    // Instantiated per type: only the read and a plain match; the rest is out of line.
    let mut reader = whole(bytes, mode);
    let value = T::read(&mut reader)?;
    match close_whole(reader) {
        Ok((deviations, dropped)) => Ok((value, deviations, dropped)),
        Err(e) => Err(e),
    }
}

/// Decodes a complete JSON document in `mode` into `T`, adding the deviations corrected to
/// `deviations` and `dropped` (for decoders that keep them across a call).
pub(crate) fn read_document<T: FromJson>(
    bytes: &[u8],
    mode: Mode,
    deviations: &mut Vec<Deviation>,
    dropped: &mut usize,
) -> Result<T, Error> {
    // Instantiated per type: the read and one call; the rest is out of line.
    let mut reader = whole(bytes, mode);
    let value = T::read(&mut reader)?;
    close_into(reader, deviations, dropped)?;
    Ok(value)
}

/// Checks that only whitespace is left, and adds the deviations recorded to the sinks.
#[inline(never)]
fn close_into(
    mut reader: Reader<'_>,
    deviations: &mut Vec<Deviation>,
    dropped: &mut usize,
) -> Result<(), Error> {
    reader.finish()?;
    deviations.append(&mut reader.deviations);
    *dropped += reader.dropped;
    Ok(())
}

/// A reader of a whole document in `mode`.
fn whole(bytes: &[u8], mode: Mode) -> Reader<'_> {
    let mut reader = Reader::new(bytes);
    reader.mode = mode;
    reader
}

/// Checks that only whitespace is left, and hands over the deviations recorded.
#[inline(never)]
fn close_whole(mut reader: Reader<'_>) -> Result<(Vec<Deviation>, usize), Error> {
    reader.finish()?;
    Ok((std::mem::take(&mut reader.deviations), reader.dropped))
}

/// Reads `T` from `reader`, which must then be at the end of its text.
fn read_whole<T: FromJson>(mut reader: Reader<'_>) -> Result<T, Error> {
    match T::read(&mut reader) {
        Ok(v) => match reader.finish() {
            Ok(()) => Ok(v),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Decodes a JSON value already in memory (it is written out as text, then read).
pub fn from_value<T: FromJson>(value: &Value) -> Result<T, Error> {
    match serde_json::to_vec(value) {
        Ok(bytes) => from_slice(&bytes),
        Err(e) => Err(Error::new(e.to_string())),
    }
}

/// Implements `Deserialize` for a [`FromJson`] type: the input is read into a `Value`, then
/// decoded. Generated types implement `serde::Deserialize` with this, so they work with any
/// self-describing format (JSON, YAML, …); failures become `D::Error` with the path in the
/// message.
pub fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    from_value(&value).map_err(serde::de::Error::custom)
}

// ---- errors -------------------------------------------------------------------------------

/// A value did not fit the expected type, or the text is not JSON: the JSON path of the
/// value and a message.
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
        path_of(&self.segments)
    }

    /// Path segments from the top level inwards.
    pub(crate) fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().rev()
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A JSON path (`items[3].id`; `.` for the top level) from segments listed outermost last.
fn path_of(segments: &[Segment]) -> String {
    let mut path = String::new();
    for segment in segments.iter().rev() {
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

// ---- the reader ---------------------------------------------------------------------------

/// A position in JSON text, read one value at a time by [`FromJson`] implementations.
///
/// Its methods are what generated code and the runtime's own implementations build on; each
/// consumes one value (or one step of an object or array) and fails with an [`Error`] that
/// names what was expected.
#[derive(Debug)]
pub struct Reader<'a> {
    jiter: Jiter<'a>,
    data: &'a [u8],
    depth: usize,
    mode: Mode,
    /// Reading `{}` for a struct's fallback ([`member::fallback`]).
    filling: bool,
    /// Deviations corrected so far, their paths relative to where they were recorded until
    /// the containers around them add their keys and indexes.
    deviations: Vec<Deviation>,
    /// Deviations past [`MAX_DEVIATIONS`], not kept.
    dropped: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `data`, in [`Mode::Strict`].
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            jiter: Jiter::new(data),
            data,
            depth: 0,
            mode: Mode::Strict,
            filling: false,
            deviations: Vec::new(),
            dropped: 0,
        }
    }

    /// A reader of `data` (a value taken from this reader) that continues at this depth, in
    /// this mode, with no deviations of its own yet.
    fn nested(&self, data: &'a [u8]) -> Self {
        Reader {
            jiter: Jiter::new(data),
            data,
            depth: self.depth,
            mode: self.mode,
            filling: false,
            deviations: Vec::new(),
            dropped: 0,
        }
    }

    /// The reader's mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// How many deviations were recorded so far (a mark for [`nest_key`](Self::nest_key)).
    fn mark(&self) -> usize {
        self.deviations.len()
    }

    /// Puts the deviations recorded since `mark` inside member `key`.
    fn nest_key(&mut self, mark: usize, key: &str) {
        if self.deviations.len() > mark {
            for deviation in &mut self.deviations[mark..] {
                deviation.segments.push(Segment::Key(key.to_owned()));
            }
        }
    }

    /// Puts the deviations recorded since `mark` inside element `index`.
    fn nest_index(&mut self, mark: usize, index: usize) {
        if self.deviations.len() > mark {
            for deviation in &mut self.deviations[mark..] {
                deviation.segments.push(Segment::Index(index));
            }
        }
    }

    /// Records deviations (up to [`MAX_DEVIATIONS`]).
    fn record(&mut self, deviations: impl IntoIterator<Item = Deviation>, dropped: usize) {
        self.dropped += dropped;
        for deviation in deviations {
            if self.deviations.len() < MAX_DEVIATIONS {
                self.deviations.push(deviation);
            } else {
                self.dropped += 1;
            }
        }
    }

    /// Takes another reader's deviations (one read of a value taken from this reader).
    fn absorb(&mut self, other: Reader<'_>) {
        self.record(other.deviations, other.dropped);
    }

    /// Fails unless only whitespace is left.
    pub fn finish(&mut self) -> Result<(), Error> {
        match self.jiter.finish() {
            Ok(()) => Ok(()),
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    fn peek(&mut self) -> Result<Peek, Error> {
        match self.jiter.peek() {
            Ok(peek) => Ok(peek),
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    /// Consumes a `null` and returns `true`, or returns `false` and consumes nothing.
    pub fn null(&mut self) -> Result<bool, Error> {
        if self.peek()? == Peek::Null {
            match self.jiter.known_null() {
                Ok(()) => Ok(true),
                Err(e) => Err(syntax(self.data, &e)),
            }
        } else {
            Ok(false)
        }
    }

    /// Whether the next value is `null` (nothing is consumed).
    pub fn at_null(&mut self) -> Result<bool, Error> {
        Ok(self.peek()? == Peek::Null)
    }

    /// Skips one value.
    pub fn skip(&mut self) -> Result<(), Error> {
        match self.jiter.next_skip() {
            Ok(()) => Ok(()),
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    /// Skips one value and returns its text (with any whitespace before it), checked to be
    /// well-formed JSON except for the UTF-8 of its strings, which whoever reads it checks.
    pub fn raw(&mut self) -> Result<&'a [u8], Error> {
        let start = self.jiter.current_index();
        self.skip()?;
        Ok(self.jiter.slice_to_current(start))
    }

    /// Reads one value as a `serde_json::Value`.
    pub fn value(&mut self) -> Result<Value, Error> {
        let raw = self.raw()?;
        match serde_json::from_slice(raw) {
            Ok(value) => Ok(value),
            Err(e) => Err(Error::new(e.to_string())),
        }
    }

    /// Reads a string, borrowed from the text (or from a buffer when it has escapes); fails
    /// unless the value is a string.
    pub fn str(&mut self) -> Result<&str, Error> {
        if self.peek()? == Peek::String {
            match self.jiter.known_str() {
                Ok(s) => Ok(s),
                Err(e) => Err(syntax(self.data, &e)),
            }
        } else {
            Err(self.mismatch::<String>())
        }
    }

    /// Enters an object, reading its first key; `None` when the object is empty. Fails
    /// unless the value is an object.
    pub fn object_first(&mut self) -> Result<Option<&str>, Error> {
        self.object_first_expecting("an object")
    }

    /// [`object_first`](Self::object_first), naming what was `expected` when the value is not
    /// an object.
    fn object_first_expecting(&mut self, expected: &str) -> Result<Option<&str>, Error> {
        if self.peek()? != Peek::Object {
            return Err(self.not_an(expected));
        }
        self.enter()?;
        match self.jiter.known_object() {
            Ok(Some(key)) => Ok(Some(key)),
            Ok(None) => {
                self.depth -= 1;
                Ok(None)
            }
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    /// The next key of the object entered with [`object_first`](Self::object_first) (after
    /// the previous member's value was read or skipped); `None` at its end.
    pub fn object_next(&mut self) -> Result<Option<&str>, Error> {
        match self.jiter.next_key() {
            Ok(Some(key)) => Ok(Some(key)),
            Ok(None) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(None)
            }
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    /// Enters an array: `true` when it has a first element (read it next). Fails unless the
    /// value is an array.
    pub fn array_first(&mut self) -> Result<bool, Error> {
        if self.peek()? != Peek::Array {
            return Err(self.not_an("a sequence"));
        }
        self.enter()?;
        match self.jiter.known_array() {
            Ok(Some(_)) => Ok(true),
            Ok(None) => {
                self.depth -= 1;
                Ok(false)
            }
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    /// `true` when the array entered with [`array_first`](Self::array_first) has another
    /// element (after the previous one was read).
    pub fn array_next(&mut self) -> Result<bool, Error> {
        match self.jiter.array_step() {
            Ok(Some(_)) => Ok(true),
            Ok(None) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(false)
            }
            Err(e) => Err(syntax(self.data, &e)),
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::new(format!(
                "recursion limit exceeded: more than {MAX_DEPTH} nested arrays and objects"
            )));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads an object with a tag property (a tagged union): the value's text and the
    /// property's value, if it is a string or an integer (in decimal: Discord tags its
    /// components with `"type": 2`); the last, when it appears twice.
    pub fn tagged<'r>(&'r mut self, property: &str) -> Result<Tagged<'a, 'r>, Error> {
        let raw = self.raw()?;
        let mut scan = Jiter::new(raw);
        let mut tag = None;
        if let Ok(Some(key)) = scan.next_object() {
            let mut matches = key == property;
            loop {
                let peek = scan.peek();
                if matches && peek == Ok(Peek::String) {
                    match scan.known_str() {
                        Ok(value) => tag = Some(value.to_owned()),
                        Err(_) => break,
                    }
                } else if let (true, Ok(number)) = (matches, peek)
                    && number.is_num()
                    && number != Peek::Infinity
                    && number != Peek::NaN
                {
                    match scan.known_number(number) {
                        Ok(jiter::NumberAny::Int(jiter::NumberInt::Int(i))) => {
                            tag = Some(i.to_string());
                        }
                        Ok(_) => tag = None,
                        Err(_) => break,
                    }
                } else if scan.next_skip().is_err() {
                    break;
                }
                match scan.next_key() {
                    Ok(Some(key)) => matches = key == property,
                    _ => break,
                }
            }
        }
        Ok(Tagged {
            reader: self.nested(raw),
            tag,
            outer: self,
        })
    }

    /// The error for a value of the wrong kind where `T` was expected: `T`'s own
    /// `Deserialize` words it (consuming the value), as serde would from JSON text.
    fn mismatch<T: DeserializeOwned>(&mut self) -> Error {
        match self.value() {
            Ok(value) => match T::deserialize(value) {
                Err(e) => Error::new(e.to_string()),
                Ok(_) => Error::new("unexpected value"),
            },
            Err(e) => e,
        }
    }

    /// ``invalid type: …, expected `expected` `` for the value here (consumed).
    fn not_an(&mut self, expected: &str) -> Error {
        match self.value() {
            Ok(value) => invalid_type(&value, expected),
            Err(e) => e,
        }
    }

    /// Reads a scalar whose fast path failed (or did not apply) the slow way: the value is
    /// read as a `serde_json::Value` and handed to `T`'s `Deserialize`, so `T` is accepted
    /// or refused exactly as serde would from JSON text.
    fn via_serde<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let value = self.value()?;
        match T::deserialize(value) {
            Ok(v) => Ok(v),
            Err(e) => Err(Error::new(e.to_string())),
        }
    }
}

/// A JSON syntax error in `data`, with its line and column, as serde_json words it.
fn syntax(data: &[u8], error: &JiterError) -> Error {
    let position = LinePosition::find(data, error.index);
    Error::new(format!(
        "{} at line {} column {}",
        error.error_type, position.line, position.column
    ))
}

/// ``invalid type: …, expected `expected` `` for `value`, worded as serde words it.
fn invalid_type(value: &Value, expected: &str) -> Error {
    let e = <serde_json::Error as serde::de::Error>::invalid_type(unexpected(value), &expected);
    Error::new(e.to_string())
}

/// serde's description of a JSON value, for "invalid type" messages.
fn unexpected(value: &Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
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

/// An object read by [`Reader::tagged`]: its tag, and its text to read as the variant the tag
/// chooses.
#[derive(Debug)]
pub struct Tagged<'a, 'r> {
    reader: Reader<'a>,
    tag: Option<String>,
    /// The reader it was taken from, which gets the deviations of the variant read.
    outer: &'r mut Reader<'a>,
}

impl Tagged<'_, '_> {
    /// The tag property's value, when it is a string.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// Reads the object as `T`.
    pub fn read<T: FromJson>(mut self) -> Result<T, Error> {
        match T::read(&mut self.reader) {
            Ok(v) => match self.reader.finish() {
                Ok(()) => {
                    self.outer.absorb(self.reader);
                    Ok(v)
                }
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}

/// Decoding an untagged union: each [`or`](Self::or) tries one variant (in order) on the
/// value's text until one decodes; [`end`](Self::end) fails with serde's message when none
/// did.
///
/// ```
/// use apigen_runtime::json::{self, FromJson, Reader, Untagged};
///
/// #[derive(Debug, PartialEq)]
/// enum Parameter {
///     Integer(i64),
///     String(String),
/// }
///
/// impl FromJson for Parameter {
///     fn read(reader: &mut Reader<'_>) -> Result<Self, json::Error> {
///         Untagged::new(reader).or(Self::Integer).or(Self::String).end("Parameter")
///     }
/// }
///
/// assert_eq!(json::from_slice::<Parameter>(b"5").unwrap(), Parameter::Integer(5));
/// assert_eq!(json::from_slice::<Parameter>(br#""x""#).unwrap(), Parameter::String("x".into()));
/// assert_eq!(
///     json::from_slice::<Parameter>(b"true").unwrap_err().message(),
///     "data did not match any variant of untagged enum Parameter"
/// );
/// ```
#[derive(Debug)]
#[must_use = "an untagged union is decoded by `end`"]
pub struct Untagged<'a, 'r, U> {
    state: Result<U, Pending<'a, U>>,
    /// The reader the value was taken from, which gets the chosen variant's deviations.
    outer: &'r mut Reader<'a>,
}

/// How many variants' errors an untagged union's error repeats.
const MAX_VARIANT_ERRORS: usize = 4;

/// Why a variant did not decode: its type's name (`full`, as `std::any::type_name` gives
/// it), then the error (and where, inside the value, when not at its top).
fn variant_error(full: &str, e: &Error) -> String {
    let short = full
        .split('<')
        .next()
        .and_then(|path| path.rsplit("::").next())
        .unwrap_or(full);
    let path = e.path();
    if path.is_empty() || path == "." {
        format!("{short}: {}", e.message())
    } else {
        format!("{short} at `{path}`: {}", e.message())
    }
}

/// An untagged union not decoded exactly yet: the value to try and the best variant that
/// decoded with corrections so far, or why the value could not be read.
#[derive(Debug)]
enum Pending<'a, U> {
    Value {
        reader: Reader<'a>,
        kind: Kind,
        corrected: Option<Box<(U, Reader<'a>)>>,
        /// The variants tried so far that failed (the first few: type name and error), for
        /// the error when none decodes; kept as they are, and worded only then.
        tried: Vec<(&'static str, Error)>,
    },
    Broken(Error),
}

impl<'a, 'r, U> Untagged<'a, 'r, U> {
    /// Starts decoding the value at `reader` (which moves past it).
    pub fn new(reader: &'r mut Reader<'a>) -> Self {
        let state = match reader.peek() {
            Ok(peek) => match reader.raw() {
                Ok(raw) => Pending::Value {
                    reader: reader.nested(raw),
                    kind: Kind::of(peek),
                    corrected: None,
                    tried: Vec::new(),
                },
                Err(e) => Pending::Broken(e),
            },
            Err(e) => Pending::Broken(e),
        };
        Untagged {
            state: Err(state),
            outer: reader,
        }
    }

    /// Tries variant `variant` (its constructor) unless an earlier one decoded exactly.
    pub fn or<T: FromJson>(self, variant: fn(T) -> U) -> Self {
        let Untagged { state, outer } = self;
        let state = match state {
            Err(Pending::Value {
                reader,
                kind,
                corrected,
                mut tried,
            }) if T::may_accept(kind) => {
                let mut attempt = reader.nested(reader.data);
                match T::read(&mut attempt).and_then(|v| attempt.finish().map(|()| v)) {
                    Ok(v) if attempt.deviations.is_empty() && attempt.dropped == 0 => {
                        outer.absorb(attempt);
                        Ok(variant(v))
                    }
                    // Corrected: kept unless an earlier variant needed no more corrections.
                    Ok(v) => {
                        let count = |r: &Reader<'_>| r.deviations.len() + r.dropped;
                        let better = corrected
                            .as_ref()
                            .is_none_or(|best| count(&attempt) < count(&best.1));
                        Err(Pending::Value {
                            reader,
                            kind,
                            corrected: if better {
                                Some(Box::new((variant(v), attempt)))
                            } else {
                                corrected
                            },
                            tried,
                        })
                    }
                    Err(e) => {
                        if tried.len() < MAX_VARIANT_ERRORS {
                            tried.push((std::any::type_name::<T>(), e));
                        }
                        Err(Pending::Value {
                            reader,
                            kind,
                            corrected,
                            tried,
                        })
                    }
                }
            }
            done => done,
        };
        Untagged { state, outer }
    }

    /// The decoded union; `name` (the union's type name) goes into the error when no variant
    /// decoded.
    pub fn end(self, name: &str) -> Result<U, Error> {
        match self.state {
            Ok(v) => Ok(v),
            Err(Pending::Value {
                corrected: Some(best),
                ..
            }) => {
                let (v, attempt) = *best;
                self.outer.absorb(attempt);
                Ok(v)
            }
            Err(Pending::Value { tried, .. }) => {
                // serde's words, then why each variant tried failed: "did not match" alone
                // leaves the reader guessing.
                let why: Vec<String> = tried
                    .iter()
                    .map(|(variant, e)| variant_error(variant, e))
                    .collect();
                Err(Error::new(if why.is_empty() {
                    format!("data did not match any variant of untagged enum {name}")
                } else {
                    format!(
                        "data did not match any variant of untagged enum {name} ({})",
                        why.join("; ")
                    )
                }))
            }
            Err(Pending::Broken(e)) => Err(e),
        }
    }
}

// ---- scalars ------------------------------------------------------------------------------

impl FromJson for bool {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        match reader.peek()? {
            Peek::True | Peek::False => match reader.jiter.next_bool() {
                Ok(b) => Ok(b),
                Err(e) => Err(syntax(reader.data, &e)),
            },
            _ => reader.via_serde(),
        }
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Bool
    }

    fn fallback() -> Option<Self> {
        Some(false)
    }
}

/// Integers: the fast path reads an `i64` and converts it; anything else (a float, a number
/// out of range, another kind of value) goes to serde for its verdict and wording.
macro_rules! integers {
    ($($ty:ty),* $(,)?) => {
        $(
            impl FromJson for $ty {
                fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
                    let peek = reader.peek()?;
                    if peek.is_num() {
                        let saved = reader.jiter.clone();
                        if let Ok(NumberInt::Int(i)) = reader.jiter.known_int(peek)
                            && let Ok(v) = <$ty>::try_from(i)
                        {
                            return Ok(v);
                        }
                        reader.jiter = saved;
                    }
                    reader.via_serde()
                }

                fn may_accept(kind: Kind) -> bool {
                    kind == Kind::Number
                }

                fn fallback() -> Option<Self> {
                    Some(0)
                }
            }
        )*
    };
}

integers!(i8, i16, i32, i64, u8, u16, u32, u64);

impl FromJson for f64 {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        let peek = reader.peek()?;
        if peek.is_num() && peek != Peek::Infinity && peek != Peek::NaN {
            match reader.jiter.known_float(peek) {
                Ok(f) => return Ok(f),
                Err(e) => return Err(syntax(reader.data, &e)),
            }
        }
        reader.via_serde()
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Number
    }

    fn fallback() -> Option<Self> {
        Some(0.0)
    }
}

impl FromJson for f32 {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        // The number is read as an f64 and narrowed. serde_json narrows one past f32's range
        // to infinity, which writes back as `null`: that loses the value, so it is an error.
        let wide = f64::read(reader)?;
        #[allow(clippy::cast_possible_truncation)]
        let narrow = wide as f32;
        if narrow.is_finite() {
            Ok(narrow)
        } else {
            Err(Error::new(format!(
                "number {wide} is out of range for f32 (a `format: float` number)"
            )))
        }
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Number
    }

    fn fallback() -> Option<Self> {
        Some(0.0)
    }
}

impl FromJson for String {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        reader.str().map(str::to_owned)
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::String
    }

    fn fallback() -> Option<Self> {
        Some(String::new())
    }
}

/// Types serde reads from a JSON string by parsing it: the string is read here and handed to
/// their `Deserialize` as a string, so they parse (and word their errors) exactly as serde
/// would; any other kind of value goes to serde whole.
macro_rules! parsed_from_str {
    ($($ty:ty => $fallback:expr),* $(,)?) => {
        $(
            impl FromJson for $ty {
                fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
                    if reader.peek()? != Peek::String {
                        return reader.via_serde();
                    }
                    let s = reader.str()?;
                    let de = serde::de::value::BorrowedStrDeserializer::<
                        serde::de::value::Error,
                    >::new(s);
                    match <$ty as Deserialize>::deserialize(de) {
                        Ok(v) => Ok(v),
                        Err(e) => Err(Error::new(e.to_string())),
                    }
                }

                fn may_accept(kind: Kind) -> bool {
                    kind == Kind::String
                }

                fn fallback() -> Option<Self> {
                    $fallback
                }
            }
        )*
    };
}

parsed_from_str!(
    chrono::DateTime<chrono::Utc> => Some(chrono::DateTime::UNIX_EPOCH),
    chrono::NaiveDate => Some(chrono::DateTime::UNIX_EPOCH.date_naive()),
    uuid::Uuid => Some(uuid::Uuid::nil()),
    // No URL is a safe stand-in for a missing one.
    url::Url => None,
);

impl FromJson for Value {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        reader.value()
    }

    fn fallback() -> Option<Self> {
        Some(Value::Null)
    }
}

impl FromJson for Map<String, Value> {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        match reader.value()? {
            Value::Object(map) => Ok(map),
            other => Err(invalid_type(&other, "a map")),
        }
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Object
    }

    fn fallback() -> Option<Self> {
        Some(Map::new())
    }
}

// ---- containers ---------------------------------------------------------------------------

// The generic implementations below are instantiated in generated crates for every type
// they hold, so they are written to stay small: plain matches (no `?`, no closures), with
// the work that does not depend on `T` in the reader's non-generic methods.

impl<T: FromJson> FromJson for Option<T> {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        match reader.null() {
            Ok(true) => Ok(None),
            Ok(false) => match T::read(reader) {
                Ok(v) => Ok(Some(v)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Null || T::may_accept(kind)
    }

    fn fallback() -> Option<Self> {
        Some(None)
    }
}

// No fallback: a boxed member is where a recursive type refers to itself, and a fallback
// built from fallbacks would never end.
impl<T: FromJson> FromJson for Box<T> {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        match T::read(reader) {
            Ok(v) => Ok(Box::new(v)),
            Err(e) => Err(e),
        }
    }

    fn may_accept(kind: Kind) -> bool {
        T::may_accept(kind)
    }
}

#[allow(clippy::question_mark)] // see above: no `?`
impl<T: FromJson> FromJson for Vec<T> {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        let mut out = Vec::new();
        let mut more = match reader.array_first() {
            Ok(more) => more,
            Err(e) => return Err(e),
        };
        while more {
            let mark = reader.mark();
            match T::read(reader) {
                Ok(v) => {
                    reader.nest_index(mark, out.len());
                    out.push(v);
                }
                Err(e) => return Err(e.at_index(out.len())),
            }
            more = match reader.array_next() {
                Ok(more) => more,
                Err(e) => return Err(e),
            };
        }
        Ok(out)
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Array
    }

    fn fallback() -> Option<Self> {
        Some(Vec::new())
    }
}

#[allow(clippy::question_mark)] // see above: no `?`
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        let mut out = BTreeMap::new();
        let mut next = match reader.object_first_expecting("a map") {
            Ok(key) => key.map(str::to_owned),
            Err(e) => return Err(e),
        };
        while let Some(key) = next {
            let mark = reader.mark();
            match T::read(reader) {
                Ok(v) => {
                    reader.nest_key(mark, &key);
                    out.insert(key, v);
                }
                Err(e) => return Err(e.at_key(&key)),
            }
            next = match reader.object_next() {
                Ok(key) => key.map(str::to_owned),
                Err(e) => return Err(e),
            };
        }
        Ok(out)
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::Object
    }

    fn fallback() -> Option<Self> {
        Some(BTreeMap::new())
    }
}

// ---- struct members -----------------------------------------------------------------------

/// What [`impl_from_json!`](crate::impl_from_json) and [`impl_json!`](crate::impl_json)
/// build a struct's [`FromJson`] and `Serialize` from, driven by a table of its fields.
///
/// Reading: each field has a slot ([`required`](member::required),
/// [`optional`](member::optional), [`optional_nullable`](member::optional_nullable),
/// [`rest`](member::rest)), and [`read_object`](member::read_object) walks the object once,
/// handing each member to the slot whose field names it through the object-safe
/// [`Slot`](member::Slot); [`Members`](member::Members) keeps what the slots share (the
/// first failure, the members left for flattened fields). Writing: one [`Out`](member::Out)
/// per field, handed to [`serialize_object`](member::serialize_object). The walks, the name
/// lookup and the bookkeeping are compiled once, here; a generated crate compiles, per
/// struct, only its tables and the final assembly (one match of a tuple of all the fields,
/// so the code does not grow with the square of the number of fields), and per field type
/// one [`Slot`](member::Slot) implementation.
pub mod member {

    use super::{Deviation, DeviationKind, Error, FromJson, Kind, Mode, Reader, from_slice_with};

    /// What the slots of one struct share: whether members no field names are kept (for
    /// flattened fields), those members as the text of one object, the first failure, and
    /// (in [`Mode::Tolerant`]) the members corrected.
    #[derive(Debug)]
    pub struct Members {
        keep_rest: bool,
        mode: Mode,
        /// Building a struct's fallback: flattened fields take their type's fallback.
        filling: bool,
        rest: Vec<u8>,
        error: Option<Error>,
        deviations: Vec<Deviation>,
        dropped: usize,
    }

    impl Members {
        fn new(keep_rest: bool, reader: &Reader<'_>) -> Self {
            Members {
                keep_rest,
                mode: reader.mode,
                filling: reader.filling,
                rest: Vec::new(),
                error: None,
                deviations: Vec::new(),
                dropped: 0,
            }
        }

        /// Reads the value of member `key`, which no field names: kept for the flattened
        /// fields, or skipped.
        fn other(&mut self, key: Option<String>, reader: &mut Reader<'_>) -> Result<(), Error> {
            let Some(key) = key else {
                return reader.skip();
            };
            let raw = reader.raw()?;
            self.rest
                .push(if self.rest.is_empty() { b'{' } else { b',' });
            // Writing a string into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.rest, &key);
            self.rest.push(b':');
            self.rest.extend_from_slice(raw);
            Ok(())
        }

        /// Closes the members kept into the text of one object, once every member was read
        /// (each flattened field then reads that same text).
        fn seal_rest(&mut self) {
            if self.rest.is_empty() {
                self.rest.push(b'{');
            }
            self.rest.push(b'}');
        }

        /// Records `error` unless an earlier failure was recorded.
        pub fn fail(&mut self, error: Error) {
            if self.error.is_none() {
                self.error = Some(error);
            }
        }

        /// The value of required member `wire`, which is missing: its fallback, recorded as
        /// a deviation, in [`Mode::Tolerant`]; otherwise ``missing field `wire` ``.
        fn missing<T: FromJson>(&mut self, wire: &str) -> Option<T> {
            if self.mode == Mode::Tolerant
                && let Some(value) = T::fallback()
            {
                self.note_missing(wire);
                return Some(value);
            }
            self.fail(Error::missing_field(wire));
            None
        }

        fn note_missing(&mut self, wire: &str) {
            self.deviations
                .push(Deviation::new(wire, DeviationKind::Missing));
        }
    }

    /// The aliases of a member that has none.
    pub const NO_ALIASES: &[&str] = &[];

    /// One field of a struct being read: the name of its member (the one errors use), the
    /// other names it is accepted under, and its slot; or a flattened field.
    pub struct Entry<'s> {
        name: &'static str,
        aliases: &'static [&'static str],
        flattened: bool,
        slot: &'s mut dyn Slot,
    }

    impl<'s> Entry<'s> {
        /// The field whose member is `name` (or one of `aliases`), read into `slot`.
        pub fn new<S: Slot>(
            name: &'static str,
            aliases: &'static [&'static str],
            slot: &'s mut S,
        ) -> Self {
            Entry {
                name,
                aliases,
                flattened: false,
                slot,
            }
        }

        /// A flattened field, read into `slot` from the members no other field names.
        pub fn flattened<S: Slot>(slot: &'s mut S) -> Self {
            Entry {
                name: "",
                aliases: NO_ALIASES,
                flattened: true,
                slot,
            }
        }
    }

    impl std::fmt::Debug for Entry<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Entry")
                .field("name", &self.name)
                .field("aliases", &self.aliases)
                .field("flattened", &self.flattened)
                .finish_non_exhaustive()
        }
    }

    /// What [`read_object`] does with one field; implemented by the slots of this module.
    pub trait Slot {
        /// Reads the member's value (the reader is at it); `wire` names it in errors and
        /// corrections.
        fn read(&mut self, reader: &mut Reader<'_>, wire: &str) -> Result<(), Error>;

        /// Called once every member was read: a required member that was missing gets its
        /// fallback (or fails), a flattened field decodes from the members left. Failures
        /// are recorded in `members`.
        fn close(&mut self, members: &mut Members, wire: &str);
    }

    /// The index of the field whose member is `key`: first by the member's own name, searched
    /// from `start` (members usually come in the order their fields are declared) round to
    /// `start` again; names are unique within a struct, so where the search starts does not
    /// change the answer. Then by alias, in field order, so that an alias two fields accept
    /// always goes to the first, whatever came before it.
    fn find(fields: &[Entry<'_>], key: &str, start: usize) -> Option<usize> {
        let named = |f: &Entry<'_>| !f.flattened && f.name == key;
        let start = start.min(fields.len());
        let (before, after) = fields.split_at(start);
        after
            .iter()
            .position(named)
            .map(|i| start + i)
            .or_else(|| before.iter().position(named))
            .or_else(|| {
                fields
                    .iter()
                    .position(|f| !f.flattened && f.aliases.contains(&key))
            })
    }

    /// Reads an object into the slots of `fields`: each member goes to the field that names
    /// it (the last one wins when a member appears twice); a member no field names is kept
    /// for the flattened fields, or skipped. Fails with the first
    /// error: a member that does not decode (its path inside the error), a required member
    /// missing, or a flattened field that does not decode from the members left.
    pub fn read_object(reader: &mut Reader<'_>, fields: &mut [Entry<'_>]) -> Result<(), Error> {
        let keep_rest = fields.iter().any(|f| f.flattened);
        let mut members = Members::new(keep_rest, reader);
        let mut start = 0;
        let mut key = reader.object_first()?;
        while let Some(name) = key {
            match find(fields, name, start) {
                Some(index) => {
                    start = index + 1;
                    if let Some(field) = fields.get_mut(index) {
                        field.slot.read(reader, field.name)?;
                    }
                }
                None => {
                    let kept = members.keep_rest.then(|| name.to_owned());
                    members.other(kept, reader)?;
                }
            }
            key = reader.object_next()?;
        }
        if keep_rest {
            members.seal_rest();
        }
        for field in fields.iter_mut() {
            field.slot.close(&mut members, field.name);
        }
        match members.error.take() {
            Some(error) => Err(error),
            None => {
                reader.record(members.deviations, members.dropped);
                Ok(())
            }
        }
    }

    /// The error of a struct whose slot came back empty after [`read_object`] succeeded
    /// (which does not happen: every slot is then filled).
    #[cold]
    pub fn unfilled() -> Error {
        Error::new("a member of the object did not decode")
    }

    /// A struct's fallback ([`FromJson::fallback`]): its required fields get their types'
    /// fallbacks, optional ones `None`, flattened ones their types' fallbacks; `None` when a
    /// required or flattened field's type has none.
    pub fn fallback<T: FromJson>() -> Option<T> {
        let mut reader = Reader::new(b"{}");
        reader.mode = Mode::Tolerant;
        reader.filling = true;
        T::read(&mut reader).ok()
    }

    /// One field of a struct being serialized ([`serialize_object`]): a member, a member
    /// left out (an optional field that is unset), or a flattened field.
    pub enum Out<'a> {
        /// Member `name` with `value`.
        Member(&'static str, &'a dyn erased_serde::Serialize),
        /// Nothing: optional member `name`, which is unset.
        Skip(&'static str),
        /// The members of `value`, which serializes to an object (or to `null`: none).
        Flatten(&'a dyn erased_serde::Serialize),
    }

    impl std::fmt::Debug for Out<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Out::Member(name, _) => f.debug_tuple("Member").field(name).finish(),
                Out::Skip(name) => f.debug_tuple("Skip").field(name).finish(),
                Out::Flatten(_) => f.write_str("Flatten"),
            }
        }
    }

    /// The serialization of the fields the slots of [`impl_json!`](crate::impl_json) read:
    /// one function per slot, named as the slot is, taking the member's name (unused for a
    /// flattened field) and the field's value.
    pub mod out {
        use super::Out;
        use serde::Serialize;

        /// A required member: always written.
        pub fn required<'a, T: Serialize>(name: &'static str, value: &'a T) -> Out<'a> {
            Out::Member(name, value)
        }

        /// A required member that may be `null`: always written, `null` when unset.
        pub fn required_nullable<'a, T: Serialize>(
            name: &'static str,
            value: &'a Option<T>,
        ) -> Out<'a> {
            Out::Member(name, value)
        }

        /// An optional member: left out when unset.
        pub fn optional<'a, T: Serialize>(name: &'static str, value: &'a Option<T>) -> Out<'a> {
            match value {
                Some(value) => Out::Member(name, value),
                None => Out::Skip(name),
            }
        }

        /// An optional member that may be `null`: left out when unset (`None`), `null` when
        /// `Some(None)`.
        pub fn optional_nullable<'a, T: Serialize>(
            name: &'static str,
            value: &'a Option<Option<T>>,
        ) -> Out<'a> {
            match value {
                Some(value) => Out::Member(name, value),
                None => Out::Skip(name),
            }
        }

        /// A flattened field: its members are written among the struct's.
        pub fn rest<'a, T: Serialize>(_name: &'static str, value: &'a T) -> Out<'a> {
            Out::Flatten(value)
        }

        /// The last flattened field (the same as [`rest`]).
        pub fn take_rest<'a, T: Serialize>(name: &'static str, value: &'a T) -> Out<'a> {
            rest(name, value)
        }
    }

    /// Serializes a struct `name` made of `fields`: as a struct (serde's `serialize_struct`)
    /// with its members in order, or, when it has flattened fields, as a map whose members
    /// are the declared ones, then those of each flattened field. Generic over the
    /// serializer only: every struct of a crate shares one instance per serializer.
    ///
    /// A flattened field is first turned into a `serde_json::Value` (whose members are then
    /// written one by one), so it is written as JSON sees it even to another format: a
    /// non-finite float becomes `null`, and types that write themselves differently for
    /// formats that are not human-readable write their human-readable form.
    pub fn serialize_object<S: serde::Serializer>(
        serializer: S,
        name: &'static str,
        fields: &[Out<'_>],
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap, SerializeStruct};
        let members = fields
            .iter()
            .filter(|f| matches!(f, Out::Member(..)))
            .count();
        if !fields.iter().any(|f| matches!(f, Out::Flatten(_))) {
            let mut object = serializer.serialize_struct(name, members)?;
            for field in fields {
                match field {
                    Out::Member(key, value) => object.serialize_field(key, value)?,
                    // Told, as serde's derive tells it, for formats that write every field.
                    Out::Skip(key) => object.skip_field(key)?,
                    Out::Flatten(_) => {}
                }
            }
            return object.end();
        }
        let mut object = serializer.serialize_map(None)?;
        for field in fields {
            if let Out::Member(key, value) = field {
                object.serialize_entry(key, value)?;
            }
        }
        for field in fields {
            let Out::Flatten(value) = field else {
                continue;
            };
            match serde_json::to_value(value).map_err(S::Error::custom)? {
                serde_json::Value::Object(members) => {
                    for (key, value) in &members {
                        object.serialize_entry(key, value)?;
                    }
                }
                serde_json::Value::Null => {}
                other => {
                    return Err(S::Error::custom(format_args!(
                        "a flattened field of {name} is not an object: {other}"
                    )));
                }
            }
        }
        object.end()
    }

    /// Skips the `null` of required member `wire`, recording the correction.
    fn skip_null(reader: &mut Reader<'_>, wire: &str) -> Result<(), Error> {
        reader.skip()?;
        reader.record([Deviation::new(wire, DeviationKind::Null)], 0);
        Ok(())
    }

    /// Reads the value of member `wire`: its failure and its deviations are placed inside it.
    fn read_member<T: FromJson>(reader: &mut Reader<'_>, wire: &str) -> Result<T, Error> {
        let mark = reader.mark();
        match T::read(reader) {
            Ok(v) => {
                reader.nest_key(mark, wire);
                Ok(v)
            }
            Err(e) => Err(e.at_key(wire)),
        }
    }

    /// A required member: ``missing field `name` `` when absent, and an error when `null`
    /// (unless its type takes `null`); its fallback instead in [`Mode::Tolerant`]. (A required
    /// member that may be `null` is an `Option` read with [`optional`], as serde reads it.)
    #[derive(Debug)]
    pub struct Required<T>(Option<T>);

    /// The slot of a required member.
    pub fn required<T>() -> Required<T> {
        Required(None)
    }

    impl<T> Required<T> {
        /// The field's value, once [`read_object`] succeeded.
        pub fn take(self) -> Option<T> {
            self.0
        }
    }

    impl<T: FromJson> Slot for Required<T> {
        fn read(&mut self, reader: &mut Reader<'_>, wire: &str) -> Result<(), Error> {
            if reader.mode == Mode::Tolerant
                && !T::may_accept(Kind::Null)
                && reader.at_null()?
                && let Some(value) = T::fallback()
            {
                skip_null(reader, wire)?;
                self.0 = Some(value);
                return Ok(());
            }
            self.0 = Some(read_member(reader, wire)?);
            Ok(())
        }

        fn close(&mut self, members: &mut Members, wire: &str) {
            if self.0.is_none() {
                self.0 = members.missing(wire);
            }
        }
    }

    /// An optional member: `None` when absent or `null`.
    #[derive(Debug)]
    pub struct Optional<T>(Option<T>);

    /// The slot of an optional member.
    pub fn optional<T>() -> Optional<T> {
        Optional(None)
    }

    /// The slot of a required member that may be `null`: read as an optional one (`None`
    /// when absent, as serde reads an `Option`); [`impl_json!`](crate::impl_json) always
    /// writes it.
    pub fn required_nullable<T>() -> Optional<T> {
        Optional(None)
    }

    impl<T> Optional<T> {
        /// The field's value, once [`read_object`] succeeded.
        pub fn take(self) -> Option<Option<T>> {
            Some(self.0)
        }
    }

    impl<T: FromJson> Slot for Optional<T> {
        fn read(&mut self, reader: &mut Reader<'_>, wire: &str) -> Result<(), Error> {
            self.0 = read_member(reader, wire)?;
            Ok(())
        }

        fn close(&mut self, _members: &mut Members, _wire: &str) {}
    }

    /// An optional member that may be `null`: `None` when absent, `Some(None)` when `null`.
    #[derive(Debug)]
    pub struct OptionalNullable<T>(Option<Option<T>>);

    /// The slot of an optional member that may be `null`.
    pub fn optional_nullable<T>() -> OptionalNullable<T> {
        OptionalNullable(None)
    }

    impl<T> OptionalNullable<T> {
        /// The field's value, once [`read_object`] succeeded.
        pub fn take(self) -> Option<Option<Option<T>>> {
            Some(self.0)
        }
    }

    impl<T: FromJson> Slot for OptionalNullable<T> {
        fn read(&mut self, reader: &mut Reader<'_>, wire: &str) -> Result<(), Error> {
            self.0 = Some(read_member(reader, wire)?);
            Ok(())
        }

        fn close(&mut self, _members: &mut Members, _wire: &str) {}
    }

    /// A flattened field: decoded from the members no declared field names, as one object
    /// (additional properties, or a union merged into the struct). With several flattened
    /// fields, each sees the same members.
    #[derive(Debug)]
    pub struct Rest<T>(Option<T>);

    /// The slot of a flattened field.
    pub fn rest<T>() -> Rest<T> {
        Rest(None)
    }

    /// The slot of the last flattened field (the same as [`rest`]).
    pub fn take_rest<T>() -> Rest<T> {
        rest()
    }

    impl<T> Rest<T> {
        /// The field's value, once [`read_object`] succeeded.
        pub fn take(self) -> Option<T> {
            self.0
        }
    }

    impl<T: FromJson> Slot for Rest<T> {
        /// Never called: no member name leads to a flattened field.
        fn read(&mut self, reader: &mut Reader<'_>, _wire: &str) -> Result<(), Error> {
            reader.skip()
        }

        fn close(&mut self, members: &mut Members, _wire: &str) {
            if members.error.is_some() {
                return;
            }
            if members.filling {
                self.0 = T::fallback();
                if self.0.is_none() {
                    members.fail(unfilled());
                }
                return;
            }
            match from_slice_with(&members.rest, members.mode) {
                Ok((v, deviations, dropped)) => {
                    // The members belong to the struct itself: same path.
                    members.deviations.extend(deviations);
                    members.dropped += dropped;
                    self.0 = Some(v);
                }
                Err(e) => members.fail(e),
            }
        }
    }
}

// ---- macros -------------------------------------------------------------------------------

/// Implements [`FromJson`] and `serde::Deserialize` for a struct from a table of its fields:
/// each field, the slot that reads it (a function of [`member`]: `required`,
/// `required_nullable`, `optional`, `optional_nullable`, or `rest`/`take_rest` for flattened
/// fields), and (for declared members) the member's name on the wire, then any aliases
/// after `|`. The object is read by [`member::read_object`]. Generated structs use
/// [`impl_json!`](crate::impl_json), which adds `Serialize` from the same table:
///
/// ```
/// use apigen_runtime::json;
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
/// let job: Job = json::from_slice(br#"{"type": "build", "stopped-at": null, "n": 1}"#).unwrap();
/// assert_eq!(job.r#type, "build");
/// assert_eq!((job.created_at, job.stopped_at), (None, Some(None)));
/// assert_eq!(job.extra, BTreeMap::from([("n".to_owned(), 1)]));
/// let error = serde_json::from_str::<Job>(r#"{"type": "b", "n": "x"}"#).unwrap_err();
/// assert!(error.to_string().starts_with("invalid type: string \"x\", expected i64 at `n`"));
/// ```
///
/// The calling crate depends on `serde`.
#[macro_export]
macro_rules! impl_from_json {
    ($ty:ident {}) => {
        impl $crate::json::FromJson for $ty {
            #[inline]
            fn read(
                reader: &mut $crate::json::Reader<'_>,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                match $crate::json::member::read_object(reader, &mut []) {
                    ::std::result::Result::Ok(()) => ::std::result::Result::Ok(Self {}),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(e),
                }
            }

            const STRUCT: bool = true;
        }

        $crate::impl_deserialize!($ty);
    };
    (@entry rest $field:ident) => { $crate::json::member::Entry::flattened(&mut $field) };
    (@entry take_rest $field:ident) => { $crate::json::member::Entry::flattened(&mut $field) };
    (@entry $slot:ident $field:ident $wire:literal) => {
        $crate::json::member::Entry::new($wire, $crate::json::member::NO_ALIASES, &mut $field)
    };
    (@entry $slot:ident $field:ident $wire:literal $(| $alias:literal)+) => {
        $crate::json::member::Entry::new($wire, &[$($alias),+], &mut $field)
    };
    (@entry $slot:ident $field:ident) => {
        $crate::json::member::Entry::new(
            ::std::stringify!($field),
            $crate::json::member::NO_ALIASES,
            &mut $field,
        )
    };
    (@wire $field:ident $wire:literal $(| $alias:literal)*) => { $wire };
    (@wire $field:ident) => { ::std::stringify!($field) };
    ($ty:ident { $($field:ident : $slot:ident $($wire:literal $(| $alias:literal)*)?),+ $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            #[inline]
            fn read(
                reader: &mut $crate::json::Reader<'_>,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                $(let mut $field = $crate::json::member::$slot();)+
                if let ::std::result::Result::Err(e) = $crate::json::member::read_object(
                    reader,
                    &mut [$(
                        $crate::impl_from_json!(@entry $slot $field $($wire $(| $alias)*)?),
                    )+],
                ) {
                    return ::std::result::Result::Err(e);
                }
                match ($($field.take(),)+) {
                    ($(::std::option::Option::Some($field),)+) => {
                        ::std::result::Result::Ok(Self { $($field),+ })
                    }
                    _ => ::std::result::Result::Err($crate::json::member::unfilled()),
                }
            }

            const STRUCT: bool = true;
        }

        $crate::impl_deserialize!($ty);
    };
}

/// [`impl_from_json!`] and, from the same table, `serde::Serialize`: each field is
/// written under its member's name ([`member::serialize_object`]); an optional field is left
/// out when unset, an optional nullable one written `null` when `Some(None)`, and the
/// members of flattened fields are written among the struct's. Generated structs use it,
/// with one more slot, `required_nullable`: read as `optional` is, but always written
/// (`null` when unset).
///
/// ```
/// use apigen_runtime::json;
///
/// #[derive(Debug, PartialEq)]
/// struct Job {
///     name: String,
///     branch: Option<String>,
///     stopped_at: Option<Option<String>>,
///     tag: Option<String>,
/// }
///
/// apigen_runtime::impl_json! {
///     Job {
///         name: required "name",
///         branch: optional "branch",
///         stopped_at: optional_nullable "stopped-at",
///         tag: required_nullable "tag",
///     }
/// }
///
/// let job = Job { name: "build".into(), branch: None, stopped_at: Some(None), tag: None };
/// assert_eq!(
///     serde_json::to_string(&job).unwrap(),
///     r#"{"name":"build","stopped-at":null,"tag":null}"#
/// );
/// assert_eq!(json::from_slice::<Job>(br#"{"name":"build","stopped-at":null}"#).unwrap(), job);
/// ```
///
/// The calling crate depends on `serde`.
#[macro_export]
macro_rules! impl_json {
    ($ty:ident {}) => {
        $crate::impl_from_json!($ty {});

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::json::member::serialize_object(serializer, ::std::stringify!($ty), &[])
            }
        }
    };
    ($ty:ident { $($field:ident : $slot:ident $($wire:literal $(| $alias:literal)*)?),+ $(,)? }) => {
        $crate::impl_from_json!($ty { $($field : $slot $($wire $(| $alias)*)?),+ });

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::json::member::serialize_object(
                    serializer,
                    ::std::stringify!($ty),
                    &[$(
                        $crate::json::member::out::$slot(
                            $crate::impl_from_json!(@wire $field $($wire $(| $alias)*)?),
                            &self.$field,
                        ),
                    )+],
                )
            }
        }
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
/// use apigen_runtime::json;
/// assert_eq!(json::from_slice::<State>(br#""on-hold""#).unwrap(), State::OnHold);
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
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $ty {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;

            #[inline]
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(value))
            }
        }

        impl ::serde::Serialize for $ty {
            #[inline]
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(&value))
            }
        }

        impl $crate::json::FromJson for $ty {
            #[inline]
            fn read(
                reader: &mut $crate::json::Reader<'_>,
            ) -> ::std::result::Result<Self, $crate::json::Error> {
                match reader.str() {
                    ::std::result::Result::Ok(value) => {
                        ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(value))
                    }
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(e),
                }
            }

            #[inline]
            fn may_accept(kind: $crate::json::Kind) -> bool {
                kind == $crate::json::Kind::String
            }

            #[inline]
            fn fallback() -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::$unknown(::std::string::String::new()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message<T: FromJson + fmt::Debug>(text: &str) -> String {
        match from_slice::<T>(text.as_bytes()) {
            Ok(v) => panic!("decoded {v:?} from {text}"),
            Err(e) => e.message().to_owned(),
        }
    }

    /// What serde_json says about `text` as a `T` (without its position).
    fn serde_message<T: DeserializeOwned + fmt::Debug>(text: &str) -> String {
        match serde_json::from_str::<T>(text) {
            Ok(v) => panic!("serde decoded {v:?} from {text}"),
            Err(e) => {
                let m = e.to_string();
                match m.rfind(" at line ") {
                    Some(i) => m[..i].to_owned(),
                    None => m,
                }
            }
        }
    }

    #[test]
    fn scalars_decode_as_serde_decodes_them() {
        assert_eq!(from_slice::<i64>(b"5"), Ok(5));
        assert_eq!(from_slice::<i64>(b" -5 "), Ok(-5));
        assert_eq!(from_slice::<u64>(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(from_slice::<f64>(b"3"), Ok(3.0));
        assert_eq!(from_slice::<f64>(b"2.5e3"), Ok(2500.0));
        assert_eq!(from_slice::<f32>(b"0.5"), Ok(0.5));
        assert_eq!(from_slice::<f32>(b"3.4e38"), Ok(3.4e38));
        let err = from_slice::<f32>(b"1.7976931348623157e308").unwrap_err();
        assert!(err.to_string().contains("out of range for f32"), "{err}");
        assert_eq!(from_slice::<bool>(b"true"), Ok(true));
        assert_eq!(
            from_slice::<String>(br#""a\"b\u00e9""#),
            Ok("a\"b\u{e9}".to_owned())
        );
        assert_eq!(from_slice::<Option<i64>>(b"null"), Ok(None));
        assert_eq!(
            from_slice::<uuid::Uuid>(br#""5034460f-c7c4-4c43-9457-de07e2029e7b""#)
                .map(|u| u.to_string()),
            Ok("5034460f-c7c4-4c43-9457-de07e2029e7b".to_owned())
        );
        assert!(from_slice::<chrono::DateTime<chrono::Utc>>(br#""2024-05-01T10:00:00Z""#).is_ok());
        assert!(from_slice::<chrono::NaiveDate>(br#""2024-05-01""#).is_ok());
        assert!(from_slice::<url::Url>(br#""https://circleci.com/x""#).is_ok());
        assert_eq!(
            from_slice::<Value>(br#" {"a": [1, "x"]} "#),
            Ok(json!({"a": [1, "x"]}))
        );

        fn same<T: FromJson + DeserializeOwned + fmt::Debug>(text: &str) {
            assert_eq!(message::<T>(text), serde_message::<T>(text), "{text}");
        }
        same::<i64>(r#""5""#);
        same::<i64>("1.5");
        same::<i64>("18446744073709551615");
        same::<u8>("300");
        same::<u64>("-1");
        same::<String>("null");
        same::<String>("5");
        same::<bool>("0");
        same::<f64>(r#""x""#);
        same::<uuid::Uuid>(r#""not-a-uuid""#);
        same::<uuid::Uuid>("5");
        same::<chrono::DateTime<chrono::Utc>>(r#""yesterday""#);
        same::<chrono::NaiveDate>(r#""2024-13-01""#);
        same::<url::Url>(r#""not a url""#);
        same::<Vec<i64>>("{}");
        same::<Vec<i64>>(r#""[]""#);
        same::<BTreeMap<String, i64>>("[]");
        same::<Map<String, Value>>("[]");
    }

    #[test]
    fn numbers_are_the_nearest_double_to_their_text() {
        // Decimal texts with 16-17 significant digits, as a JSON producer writes doubles;
        // about one in eight is misread by serde_json's default (non-`float_roundtrip`) parser.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let whole = (x % 200_000_000) as f64 - 100_000_000.0;
            let fraction = (x >> 20) as f64 / (1u64 << 44) as f64;
            let text = format!("{:.8}", whole + fraction);
            let exact: f64 = text.parse().unwrap_or(f64::NAN);
            assert_eq!(
                from_slice::<f64>(text.as_bytes()).map(f64::to_bits),
                Ok(exact.to_bits()),
                "{text}"
            );
            let value = from_slice::<Value>(text.as_bytes())
                .ok()
                .and_then(|v| v.as_f64());
            assert_eq!(
                value.map(f64::to_bits),
                Some(exact.to_bits()),
                "{text} as a Value"
            );
        }
    }

    #[test]
    fn broken_text_is_an_error_with_its_position() {
        assert_eq!(
            message::<Vec<i64>>("[1, 2"),
            "EOF while parsing a list at line 1 column 5"
        );
        assert!(
            message::<i64>("5 6").starts_with("trailing characters"),
            "{}",
            message::<i64>("5 6")
        );
        assert!(
            message::<Value>("<html>").starts_with("expected value"),
            "{}",
            message::<Value>("<html>")
        );
        assert!(
            message::<String>("\"\\q\"").contains("escape"),
            "{}",
            message::<String>("\"\\q\"")
        );
        assert!(from_slice::<String>(b"\"\xff\"").is_err());
    }

    #[test]
    fn paths_name_the_failing_value() {
        let err =
            from_slice::<BTreeMap<String, Vec<i64>>>(br#"{"a": [1], "b": [1, "x"]}"#).unwrap_err();
        assert_eq!(err.path(), "b[1]");
        assert_eq!(
            err.to_string(),
            "invalid type: string \"x\", expected i64 at `b[1]`"
        );
        assert_eq!(from_slice::<Vec<i64>>(b"{}").unwrap_err().path(), ".");
        let err = from_slice::<Vec<Vec<i64>>>(b"[[1], [2, 3").unwrap_err();
        assert_eq!(err.path(), "[1]");
        assert!(
            err.message().starts_with("EOF while parsing a list"),
            "{err}"
        );
    }

    #[test]
    fn nesting_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        type Deep = Vec<Value>;
        // `Value` is read by serde_json, which has its own limit; nest our own containers.
        #[derive(Debug)]
        struct Nest(#[allow(dead_code)] Vec<Nest>);
        impl FromJson for Nest {
            fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
                Vec::<Nest>::read(reader).map(Nest)
            }
        }
        let err = from_slice::<Nest>(deep.as_bytes()).unwrap_err();
        assert!(
            err.message().starts_with("recursion limit exceeded"),
            "{err}"
        );
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(from_slice::<Nest>(ok.as_bytes()).is_ok());
        assert!(from_slice::<Deep>(b"[[], [1]]").is_ok());
    }

    #[derive(Debug, PartialEq)]
    struct Thing {
        id: i64,
        name: Option<String>,
        stopped: Option<Option<String>>,
        extra: BTreeMap<String, Value>,
    }

    crate::impl_from_json! {
        Thing {
            id: required "id",
            name: optional "name",
            stopped: optional_nullable "stopped-at",
            extra: take_rest,
        }
    }

    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::impl_from_json!(Empty {});

    #[test]
    fn struct_members() {
        let thing: Thing = from_slice(
            br#"{"x": [1, {"y": null}], "name": null, "id": 1, "stopped-at": null, "id": 2}"#,
        )
        .unwrap();
        assert_eq!(thing.id, 2, "the last of two members wins");
        assert_eq!(thing.name, None);
        assert_eq!(thing.stopped, Some(None));
        assert_eq!(
            thing.extra,
            BTreeMap::from([("x".to_owned(), json!([1, {"y": null}]))])
        );
        let thing: Thing = from_slice(br#"{"id": 1, "name": "n", "stopped-at": "s"}"#).unwrap();
        assert_eq!(
            (thing.name.as_deref(), thing.stopped),
            (Some("n"), Some(Some("s".to_owned())))
        );
        let thing: Thing = from_slice(br#"{"id": 1}"#).unwrap();
        assert_eq!(thing.stopped, None);
        assert!(thing.extra.is_empty());

        let err = from_slice::<Thing>(br#"{"name": "n"}"#).unwrap_err();
        assert_eq!(
            (err.message(), err.path().as_str()),
            ("missing field `id`", ".")
        );
        let err = from_slice::<Thing>(br#"{"id": null}"#).unwrap_err();
        assert_eq!(err.message(), "invalid type: null, expected i64");
        assert_eq!(err.path(), "id");
        let err = from_slice::<Thing>(br#"{"id": 1, "stopped-at": 5}"#).unwrap_err();
        assert_eq!(err.path(), "stopped-at");
        let err = from_slice::<Thing>(b"[1]").unwrap_err();
        assert_eq!(err.message(), "invalid type: sequence, expected an object");
        let err = from_slice::<Thing>(br#"{"id": 1, "x": tru}"#).unwrap_err();
        assert!(err.message().starts_with("expected ident"), "{err}");

        assert_eq!(from_slice::<Empty>(br#"{"a": {"b": [1]}}"#), Ok(Empty {}));
        assert!(from_slice::<Empty>(b"null").is_err());
        assert_eq!(
            from_slice::<Vec<Empty>>(b"[{}, {}]").map(|v| v.len()),
            Ok(2)
        );
    }

    /// A struct with every slot, an alias and a flattened map, for the table walk.
    #[derive(Debug, PartialEq)]
    struct Row {
        a: i64,
        b: Option<String>,
        c: Option<Option<i64>>,
        d: Option<bool>,
        e: String,
        rest: BTreeMap<String, Value>,
    }

    crate::impl_json! {
        Row {
            a: required "a",
            b: optional "b" | "bee",
            c: optional_nullable "c",
            d: required_nullable "d",
            e: required "e",
            rest: take_rest,
        }
    }

    /// Two fields that accept the same alias (an `allOf` can make one).
    #[derive(Debug, PartialEq)]
    struct Twice {
        a: Option<i64>,
        b: Option<i64>,
    }

    crate::impl_from_json! {
        Twice {
            a: optional "a" | "x",
            b: optional "b" | "x",
        }
    }

    #[test]
    fn an_alias_two_fields_accept_goes_to_the_first_whatever_came_before() {
        let alone: Twice = from_slice(br#"{"x": 2}"#).unwrap();
        assert_eq!(
            alone,
            Twice {
                a: Some(2),
                b: None
            }
        );
        let after_a: Twice = from_slice(br#"{"a": 1, "x": 2}"#).unwrap();
        assert_eq!(
            after_a,
            Twice {
                a: Some(2),
                b: None
            }
        );
        let after_b: Twice = from_slice(br#"{"b": 1, "x": 2}"#).unwrap();
        assert_eq!(
            after_b,
            Twice {
                a: Some(2),
                b: Some(1)
            }
        );
    }

    #[test]
    fn struct_tables_read_members_in_any_order_and_write_them_back() {
        let in_order: Row =
            from_slice(br#"{"a": 1, "b": "x", "c": null, "d": true, "e": "y", "z": 0}"#).unwrap();
        let reversed: Row =
            from_slice(br#"{"z": 0, "e": "y", "d": true, "c": null, "bee": "x", "a": 1}"#).unwrap();
        assert_eq!(in_order, reversed);
        assert_eq!(in_order.b.as_deref(), Some("x"), "an alias fills its field");
        assert_eq!(in_order.c, Some(None));
        assert_eq!(in_order.rest, BTreeMap::from([("z".to_owned(), json!(0))]));
        // Written back: declared members in order (`null` kept for the optional nullable one
        // set to null), then the flattened ones.
        assert_eq!(
            serde_json::to_string(&in_order).unwrap(),
            r#"{"a":1,"b":"x","c":null,"d":true,"e":"y","z":0}"#
        );
        // Unset: an optional member is left out, a required nullable one is `null`.
        let sparse: Row = from_slice(br#"{"e": "y", "a": 2}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&sparse).unwrap(),
            json!({"a": 2, "d": null, "e": "y"})
        );
        // The missing member is named, whichever members came before it.
        let err = from_slice::<Row>(br#"{"b": "x", "a": 1}"#).unwrap_err();
        assert_eq!(err.message(), "missing field `e`");
        // A struct's fallback: fallbacks of its required fields, `None` for the others.
        assert_eq!(
            Row::fallback(),
            Some(Row {
                a: 0,
                b: None,
                c: None,
                d: None,
                e: String::new(),
                rest: BTreeMap::new(),
            })
        );
        assert_eq!(Thing::fallback().map(|t| t.id), Some(0));
        assert!(Row::may_accept(Kind::Object) && !Row::may_accept(Kind::Array));
    }

    #[derive(Debug, PartialEq)]
    enum Parameter {
        Integer(i64),
        Text(String),
    }

    impl FromJson for Parameter {
        fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
            Untagged::new(reader)
                .or(Self::Integer)
                .or(Self::Text)
                .end("Parameter")
        }
    }

    #[derive(Debug, PartialEq)]
    enum Source {
        Github(Thing),
        Unknown(Value),
    }

    impl FromJson for Source {
        fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
            let value = reader.tagged("provider")?;
            match value.tag() {
                Some("github") => value.read().map(Self::Github),
                _ => value.read().map(Self::Unknown),
            }
        }
    }

    #[test]
    fn unions() {
        let v: Vec<Parameter> = from_slice(br#"[1, "x", 2]"#).unwrap();
        assert_eq!(
            v,
            [
                Parameter::Integer(1),
                Parameter::Text("x".into()),
                Parameter::Integer(2)
            ]
        );
        let err = from_slice::<Vec<Parameter>>(b"[1, true]").unwrap_err();
        assert_eq!(err.path(), "[1]");
        assert_eq!(
            err.message(),
            "data did not match any variant of untagged enum Parameter"
        );
        assert!(
            from_slice::<Parameter>(b"[1")
                .unwrap_err()
                .message()
                .starts_with("EOF")
        );

        let s: Source = from_slice(br#"{"id": 3, "provider": "github"}"#).unwrap();
        assert!(matches!(s, Source::Github(Thing { id: 3, .. })));
        let s: Source = from_slice(br#"{"provider": "gitlab", "id": 3}"#).unwrap();
        assert_eq!(s, Source::Unknown(json!({"provider": "gitlab", "id": 3})));
        let s: Source = from_slice(br#"{"provider": 1}"#).unwrap();
        assert_eq!(s, Source::Unknown(json!({"provider": 1})));
        // An integer tag reads as its decimal text; any other number as no tag.
        let mut numbers = Vec::new();
        for text in [
            r#"{"provider": 12, "id": 1}"#,
            r#"{"provider": -3}"#,
            r#"{"provider": 1.5}"#,
        ] {
            let mut reader = Reader::new(text.as_bytes());
            numbers.push(reader.tagged("provider").unwrap().tag().map(str::to_owned));
        }
        assert_eq!(
            numbers,
            [Some("12".to_owned()), Some("-3".to_owned()), None]
        );
        let s: Source = from_slice(b"[1]").unwrap();
        assert_eq!(s, Source::Unknown(json!([1])));
        let err = from_slice::<Source>(br#"{"provider": "github"}"#).unwrap_err();
        assert_eq!(err.message(), "missing field `id`");
    }

    #[derive(Debug)]
    #[allow(dead_code)] // Read through `Debug` only.
    enum Either {
        Thing(Thing),
        Ids(Vec<i64>),
    }

    impl FromJson for Either {
        fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
            Untagged::new(reader)
                .or(Self::Thing)
                .or(Self::Ids)
                .end("Either")
        }
    }

    #[test]
    fn a_union_that_matches_no_variant_says_why_each_failed() {
        // Only variants that may take the kind of value are tried, and named.
        let err = from_slice::<Either>(br#"{"name": "x"}"#).unwrap_err();
        assert_eq!(
            err.message(),
            "data did not match any variant of untagged enum Either (Thing: missing field `id`)"
        );
        let err = from_slice::<Either>(br#"{"id": "7"}"#).unwrap_err();
        assert_eq!(
            err.message(),
            "data did not match any variant of untagged enum Either (Thing at `id`: invalid type: string \"7\", expected i64)"
        );
        let err = from_slice::<Either>(br#"[1, "2"]"#).unwrap_err();
        assert_eq!(
            err.message(),
            "data did not match any variant of untagged enum Either (Vec at `[1]`: invalid type: string \"2\", expected i64)"
        );
    }

    #[test]
    fn deserialize_goes_through_from_json() {
        #[derive(Debug)]
        struct Pair(i64);
        impl FromJson for Pair {
            fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
                i64::read(reader).map(Pair)
            }
        }
        impl<'de> serde::Deserialize<'de> for Pair {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize(d)
            }
        }
        assert_eq!(serde_json::from_str::<Pair>("3").map(|p| p.0).ok(), Some(3));
        let err = serde_json::from_str::<Vec<Pair>>(r#"["3"]"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid type: string \"3\", expected i64 at line 1 column 5")
        );
        assert_eq!(from_value::<Thing>(&json!({"id": 4})).map(|t| t.id), Ok(4));
    }
}
