//! Turning a response into a value: [`DecodeFn`], [`ErrorFn`] and the helpers generated code
//! passes as such.
//!
//! All transport and retry work happens in code that knows nothing of the result type and
//! yields a [`RawResponse`]. Only the last step, `fn(&RawResponse) -> Result<T, DecodeError>`,
//! is specific to an operation; generated code passes one of the helpers below as a function
//! pointer, so each response type costs one instantiation of its decoder: [`from_json`] for
//! generated types (their [`FromJson`] reader), [`json`] for any
//! `Deserialize` type.
//!
//! A failing `FromJson` read names the JSON path of the failing value itself; for a serde
//! failure the path (e.g. `items[3].created_at`) is recovered from the error position by
//! scanning the body, so the successful path pays nothing for it and no second,
//! path-tracking instantiation of the type's `Deserialize` impl is compiled.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::DecodeError;
use crate::json::{Deviation, FromJson, Mode};

/// A complete response: status, headers and the whole body. Its `Debug` output redacts
/// credential headers and clips the body.
#[derive(Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, read completely.
    pub body: Bytes,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &crate::redact::Headers(&self.headers))
            .field("body", &crate::redact::Body(&self.body))
            .finish()
    }
}

/// Decodes a successful (2xx) response into `T`, in the mode of `Decoding`, recording there
/// what it corrected.
pub type DecodeFn<T> = fn(&RawResponse, &mut Decoding) -> Result<T, DecodeError>;

/// How one response is decoded, and what decoding it corrected: the client's
/// [`Mode`] (tolerant unless [`ClientBuilder::strict`](crate::ClientBuilder::strict)),
/// and the [`Deviation`]s found.
#[derive(Debug, Default)]
pub struct Decoding {
    mode: Mode,
    deviations: Vec<Deviation>,
    dropped: usize,
}

impl Decoding {
    /// Decoding in `mode`, nothing corrected yet.
    pub fn new(mode: Mode) -> Self {
        Decoding {
            mode,
            deviations: Vec::new(),
            dropped: 0,
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// What was corrected (at most [`MAX_DEVIATIONS`](crate::json::MAX_DEVIATIONS)).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// How many deviations there were beyond those kept.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Takes the deviations.
    pub fn into_deviations(self) -> Vec<Deviation> {
        self.deviations
    }
}

/// Decodes the body of an unsuccessful (non-2xx) response into the API's error type `E`;
/// `None` when it does not decode (the raw body is still kept in the [`ApiError`](crate::ApiError)).
pub type ErrorFn<E> = fn(&RawResponse) -> Option<E>;

/// Decodes a JSON body into any `Deserialize` type `T` (strictly, as serde does). On failure
/// the [`DecodeError`] names the JSON path of the failing value and quotes the body around it.
pub fn json<T: DeserializeOwned>(
    response: &RawResponse,
    _decoding: &mut Decoding,
) -> Result<T, DecodeError> {
    serde_json::from_slice(&response.body).map_err(|e| DecodeError::from_json(&e, &response.body))
}

/// Decodes a JSON body into a generated type with [`FromJson`] (see [`crate::json`]): read
/// straight from the bytes, so nothing here is compiled per type except the type's own
/// reader. On failure the [`DecodeError`] names the JSON path of the failing value (or of
/// the broken text) and quotes the body from it.
pub fn from_json<T: FromJson>(
    response: &RawResponse,
    decoding: &mut Decoding,
) -> Result<T, DecodeError> {
    // Instantiated per response type: a read and a plain match, the rest out of line.
    match crate::json::read_document(
        &response.body,
        decoding.mode,
        &mut decoding.deviations,
        &mut decoding.dropped,
    ) {
        Ok(v) => Ok(v),
        Err(e) => Err(decode_error(&e, &response.body)),
    }
}

/// The decode error of a body (out of line: shared by every response type).
#[inline(never)]
fn decode_error(e: &crate::json::Error, body: &[u8]) -> DecodeError {
    DecodeError::from_conversion(e, body)
}

/// Decodes a JSON error body into a generated type `E`, or `None` when it is not such JSON.
/// Always tolerant (a missing member gets its fallback): the error is the status, and its
/// body is read for whatever it says.
#[allow(clippy::manual_ok_err)] // a plain match: instantiated per error type
pub fn from_json_error<E: FromJson>(response: &RawResponse) -> Option<E> {
    let (mut deviations, mut dropped) = (Vec::new(), 0);
    match crate::json::read_document(
        &response.body,
        Mode::Tolerant,
        &mut deviations,
        &mut dropped,
    ) {
        Ok(v) => Some(v),
        Err(_) => None,
    }
}

/// For responses without content: accepts any body and ignores it.
pub fn empty(_response: &RawResponse, _decoding: &mut Decoding) -> Result<(), DecodeError> {
    Ok(())
}

/// Decodes a text body; fails when it is not valid UTF-8.
pub fn text(response: &RawResponse, _decoding: &mut Decoding) -> Result<String, DecodeError> {
    match std::str::from_utf8(&response.body) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(DecodeError::new(
            format!("the body is not valid UTF-8 text: {e}"),
            &response.body,
        )),
    }
}

/// Returns the body as it is.
pub fn bytes(response: &RawResponse, _decoding: &mut Decoding) -> Result<Bytes, DecodeError> {
    Ok(response.body.clone())
}

/// The error of a per-status success decoder for a 2xx status the API description does not
/// declare (and no `2XX` or `default` response covers): the body is not guessed to be one of
/// the declared ones. Names the status.
pub fn undeclared_status(response: &RawResponse) -> DecodeError {
    let mut error = DecodeError::new(
        format!(
            "the API description declares no response for status {}",
            response.status.as_u16()
        ),
        &response.body,
    );
    error.status = Some(response.status);
    error
}

/// Decodes a JSON error body into `E`, or `None` when it is not such JSON (plain text, HTML,
/// empty, another shape).
pub fn json_error<E: DeserializeOwned>(response: &RawResponse) -> Option<E> {
    serde_json::from_slice(&response.body).ok()
}

/// An [`ErrorFn`] for APIs that describe no error body.
pub fn no_error_body(_response: &RawResponse) -> Option<std::convert::Infallible> {
    None
}
