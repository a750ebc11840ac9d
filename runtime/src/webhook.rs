//! Receiving webhooks: checking a delivery's signature and decoding its event.
//!
//! An API that calls you back (CircleCI's `workflow-completed` and `job-completed`) signs
//! each delivery with a secret you share with it. [`receive`] takes what your web framework
//! hands you (the headers, the raw body) and that secret, and gives the typed event or a
//! [`WebhookError`] that says precisely what was wrong. Generated crates describe their API's
//! webhooks in a [`WebhookConfig`] and a type implementing [`WebhookEvent`] (an enum with one
//! variant per event type the document knows, and one for the others, kept raw).
//!
//! # Signatures
//!
//! The signature header holds comma-separated `<version>=<value>` entries
//! (`v1=5f9c…,v2=…`). Every entry is parsed; an entry that is not `<version>=<value>`, or a
//! value of the known version that is not a hex HMAC-SHA256, makes the header malformed.
//! Entries of versions this client does not know are skipped, so an API can add a scheme
//! without breaking receivers; a header with only such entries is refused. The delivery is
//! accepted when any entry of the known version matches (an API may sign with two secrets
//! while one replaces the other). Comparisons take the same time whatever the bytes.
//!
//! The body must be the bytes as received: the signature covers them, not their JSON
//! meaning, so a body parsed and printed again does not verify.

use std::fmt;

use http::HeaderMap;
use ring::hmac;
use subtle::ConstantTimeEq;

use crate::json::{self, Deviation, Mode};

/// How an API's webhook deliveries are identified and signed (from the generated crate).
#[derive(Debug, Clone, Copy)]
pub struct WebhookConfig {
    /// The header naming the event type (`circleci-event-type`).
    pub event_type_header: &'static str,
    /// The top-level member of a payload that repeats its event type (`type`), if there is
    /// one. The signature covers the body, not the headers: when the body names its event
    /// type, that is the one a delivery is decoded as, and a header that says otherwise makes
    /// the delivery fail.
    pub event_type_member: Option<&'static str>,
    /// How deliveries are signed; `None` when the API does not sign them.
    pub signature: Option<SignatureScheme>,
}

/// An HMAC-SHA256 signature of the raw body, keyed with the webhook's secret, sent in hex as
/// the `version` entry of the header `header` (`circleci-signature: v1=<hex>`).
#[derive(Debug, Clone, Copy)]
pub struct SignatureScheme {
    /// The header carrying the signatures.
    pub header: &'static str,
    /// The version tag of HMAC-SHA256 signatures (`v1`).
    pub version: &'static str,
}

/// A webhook's signing secret. It is never printed: `Debug` shows `WebhookSecret(<redacted>)`.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// A secret from its bytes (the text the API was given, as UTF-8). An empty secret
    /// verifies nothing: [`verify`] refuses every delivery with it.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        WebhookSecret(secret.into())
    }
}

/// The most signature entries of the known version a header may carry (more is malformed):
/// each costs a comparison, and an API signs with one or two secrets.
const MAX_SIGNATURES: usize = 8;

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        WebhookSecret::new(secret)
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        WebhookSecret::new(secret)
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// The events of one API's webhooks (generated): decodes a body known to be of `event_type`.
pub trait WebhookEvent: Sized {
    /// Decodes `body` as the payload of `event_type`; an event type the document does not
    /// know gives the variant that keeps the body raw, never an error.
    fn decode_with(
        event_type: &str,
        body: &[u8],
        mode: Mode,
    ) -> Result<(Self, Vec<Deviation>, usize), json::Error>;
}

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header is absent: the delivery is unsigned, or not from the API.
    #[error("the `{header}` header is missing: the delivery is not signed")]
    MissingSignature {
        /// The header expected.
        header: &'static str,
    },
    /// The signature header is not a list of `<version>=<value>` entries, or a value of the
    /// known version is not a hex HMAC-SHA256.
    #[error("the `{header}` header is malformed: {reason}")]
    MalformedSignature {
        /// The header.
        header: &'static str,
        /// What is wrong with it (no signature value is shown).
        reason: String,
    },
    /// The header only has signatures of versions this client does not know.
    #[error(
        "the `{header}` header has no `{version}` signature, only versions this client does not know: {found:?}"
    )]
    UnknownScheme {
        /// The header.
        header: &'static str,
        /// The version this client checks.
        version: &'static str,
        /// The versions the header had.
        found: Vec<String>,
    },
    /// No signature of the known version matches: a wrong secret, or a changed body.
    #[error(
        "no `{version}` signature in the `{header}` header matches the body: the secret is wrong or the body was changed"
    )]
    Mismatch {
        /// The header.
        header: &'static str,
        /// The version checked.
        version: &'static str,
    },
    /// The event-type header is absent or not text, and the body does not name its type.
    #[error("the `{header}` header is missing or not text: the event type is unknown")]
    MissingEventType {
        /// The header expected.
        header: &'static str,
    },
    /// The event-type header names another event type than the (signed) body.
    #[error("the `{header}` header says `{header_value}` but the signed body says `{body_value}`")]
    EventTypeMismatch {
        /// The header.
        header: &'static str,
        /// What the header said.
        header_value: String,
        /// What the body's event-type member said.
        body_value: String,
    },
    /// The secret to verify with is empty: no delivery can be trusted with it.
    #[error("the webhook secret is empty; set the webhook's signing secret")]
    EmptySecret,
    /// The body of a known event type does not decode into its payload type.
    #[error("the `{event_type}` payload does not decode: {source}")]
    Decode {
        /// The event type.
        event_type: String,
        /// Where and why decoding failed.
        source: json::Error,
    },
}

/// Verifies a delivery's signature, then decodes its event: the one call a receiver makes.
///
/// `headers` and `body` are the request as received; `body` must be the raw bytes. An API
/// whose deliveries are unsigned (no [`SignatureScheme`]) is decoded without a check.
pub fn receive<T: WebhookEvent>(
    config: &WebhookConfig,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
) -> Result<T, WebhookError> {
    if let Some(scheme) = &config.signature {
        verify(scheme, headers, body, secret)?;
    }
    let header = headers
        .get(config.event_type_header)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let signed = config
        .event_type_member
        .and_then(|member| body_event_type(body, member));
    let event_type = match (header, signed.as_deref()) {
        (Some(h), Some(b)) if h != b => {
            return Err(WebhookError::EventTypeMismatch {
                header: config.event_type_header,
                header_value: h.to_owned(),
                body_value: b.to_owned(),
            });
        }
        (_, Some(b)) => b,
        (Some(h), None) => h,
        (None, None) => {
            return Err(WebhookError::MissingEventType {
                header: config.event_type_header,
            });
        }
    };
    decode(event_type, body)
}

/// The string value of the top-level `member` of a JSON object body, if it has one.
fn body_event_type(body: &[u8], member: &str) -> Option<String> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(members)) => members
            .get(member)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// Decodes a delivery of `event_type` without checking a signature (for deliveries verified
/// elsewhere, or replayed from storage). Members missing from the payload get fallback
/// values, as in API responses, each reported as a `tracing` warning.
pub fn decode<T: WebhookEvent>(event_type: &str, body: &[u8]) -> Result<T, WebhookError> {
    match T::decode_with(event_type, body, Mode::Tolerant) {
        Ok((event, deviations, dropped)) => {
            for deviation in &deviations {
                tracing::warn!(event_type, %deviation, "webhook payload corrected");
            }
            if dropped > 0 {
                tracing::warn!(event_type, dropped, "more webhook payload corrections");
            }
            Ok(event)
        }
        Err(source) => Err(WebhookError::Decode {
            event_type: event_type.to_owned(),
            source,
        }),
    }
}

/// Checks the signature header of a delivery against its raw `body`.
pub fn verify(
    scheme: &SignatureScheme,
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
) -> Result<(), WebhookError> {
    let header = scheme.header;
    if secret.0.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let mut values = headers.get_all(header).iter().peekable();
    if values.peek().is_none() {
        return Err(WebhookError::MissingSignature { header });
    }
    let malformed = |reason: String| WebhookError::MalformedSignature { header, reason };
    let mut candidates: Vec<[u8; 32]> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for value in values {
        let text = value
            .to_str()
            .map_err(|_| malformed("not visible ASCII".to_owned()))?;
        for (index, entry) in text.split(',').enumerate() {
            let entry = entry.trim();
            let Some((version, signature)) = entry.split_once('=') else {
                return Err(malformed(format!(
                    "entry {} is not `<version>=<signature>`",
                    index + 1
                )));
            };
            let (version, signature) = (version.trim(), signature.trim());
            if version.is_empty() || signature.is_empty() {
                return Err(malformed(format!(
                    "entry {} has an empty version or signature",
                    index + 1
                )));
            }
            if version != scheme.version {
                others.push(version.to_owned());
                continue;
            }
            let bytes = hex_32(signature).ok_or_else(|| {
                malformed(format!(
                    "the `{version}` signature is not 64 hexadecimal digits"
                ))
            })?;
            candidates.push(bytes);
            if candidates.len() > MAX_SIGNATURES {
                return Err(malformed(format!(
                    "more than {MAX_SIGNATURES} `{version}` signatures"
                )));
            }
        }
    }
    if candidates.is_empty() {
        return Err(WebhookError::UnknownScheme {
            header,
            version: scheme.version,
            found: others,
        });
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, &secret.0);
    let tag = hmac::sign(&key, body);
    // The body is signed once; every candidate is compared with the tag in constant time,
    // all of them, so the time taken does not tell which one matched.
    let matched = candidates
        .iter()
        .fold(subtle::Choice::from(0), |any, candidate| {
            any | tag.as_ref().ct_eq(candidate.as_slice())
        });
    let matched = bool::from(matched);
    if matched {
        Ok(())
    } else {
        Err(WebhookError::Mismatch {
            header,
            version: scheme.version,
        })
    }
}

/// The HMAC-SHA256 of `body` keyed with `secret`, as the lowercase hex a signature header
/// carries (for tests and for sending deliveries to your own receiver).
pub fn sign(body: &[u8], secret: &WebhookSecret) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, &secret.0);
    let tag = hmac::sign(&key, body);
    let mut out = String::with_capacity(64);
    for byte in tag.as_ref() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// 64 hexadecimal digits (either case) as 32 bytes.
fn hex_32(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        let high = char::from(*high).to_digit(16)?;
        let low = char::from(*low).to_digit(16)?;
        *byte = u8::try_from(high * 16 + low).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    const SCHEME: SignatureScheme = SignatureScheme {
        header: "circleci-signature",
        version: "v1",
    };
    const CONFIG: WebhookConfig = WebhookConfig {
        event_type_header: "circleci-event-type",
        event_type_member: None,
        signature: Some(SCHEME),
    };
    /// As CircleCI's: the payload repeats its event type in `type`.
    const TYPED: WebhookConfig = WebhookConfig {
        event_type_member: Some("type"),
        ..CONFIG
    };

    fn headers(signature: Option<&str>, event_type: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(s) = signature {
            headers.insert("circleci-signature", HeaderValue::from_str(s).unwrap());
        }
        if let Some(t) = event_type {
            headers.insert("circleci-event-type", HeaderValue::from_str(t).unwrap());
        }
        headers
    }

    fn check(signature: Option<&str>, body: &[u8], secret: &str) -> Result<(), WebhookError> {
        verify(&SCHEME, &headers(signature, None), body, &secret.into())
    }

    /// The example in CircleCI's webhook documentation.
    const HELLO: &str = "734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a";

    #[test]
    fn the_documented_test_vector() {
        assert_eq!(sign(b"hello world", &"secret".into()), HELLO);
        check(Some(&format!("v1={HELLO}")), b"hello world", "secret").unwrap();
        // Either case of hex digits, spaces around entries.
        check(
            Some(&format!(" v1={} ", HELLO.to_uppercase())),
            b"hello world",
            "secret",
        )
        .unwrap();
    }

    #[test]
    fn a_changed_body_or_a_wrong_secret_does_not_verify() {
        let header = format!("v1={HELLO}");
        assert!(matches!(
            check(Some(&header), b"hello world!", "secret"),
            Err(WebhookError::Mismatch { .. })
        ));
        assert!(matches!(
            check(Some(&header), b"hello world", "Secret"),
            Err(WebhookError::Mismatch { .. })
        ));
    }

    #[test]
    fn any_matching_entry_of_the_known_version_verifies() {
        let wrong = "0".repeat(64);
        // Two secrets during a rotation, and a version this client does not know.
        check(
            Some(&format!("v1={wrong},v2=whatever-v2-is,v1={HELLO}")),
            b"hello world",
            "secret",
        )
        .unwrap();
        assert!(matches!(
            check(
                Some(&format!("v1={wrong},v1={wrong}")),
                b"hello world",
                "secret"
            ),
            Err(WebhookError::Mismatch { .. })
        ));
        // Two header lines count as one list.
        let mut two = headers(Some(&format!("v1={wrong}")), None);
        two.append(
            "circleci-signature",
            HeaderValue::from_str(&format!("v1={HELLO}")).unwrap(),
        );
        verify(&SCHEME, &two, b"hello world", &"secret".into()).unwrap();
    }

    #[test]
    fn missing_garbled_and_unknown_headers_are_refused_precisely() {
        assert!(matches!(
            check(None, b"hello world", "secret"),
            Err(WebhookError::MissingSignature {
                header: "circleci-signature"
            })
        ));
        for garbled in [
            "",
            "v1",
            &format!("={HELLO}"),
            "v1=",
            "v1=zz",
            &format!("v1={}", &HELLO[..62]),
            &format!("v1={}0", HELLO),
            &format!("v1={},", HELLO),
        ] {
            assert!(
                matches!(
                    check(Some(garbled), b"hello world", "secret"),
                    Err(WebhookError::MalformedSignature { .. })
                ),
                "{garbled:?}"
            );
        }
        match check(Some("v2=abc,v3=def"), b"hello world", "secret") {
            Err(WebhookError::UnknownScheme { found, .. }) => assert_eq!(found, ["v2", "v3"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_secret_and_a_flood_of_signatures_are_refused() {
        assert!(matches!(
            check(Some(&format!("v1={HELLO}")), b"hello world", ""),
            Err(WebhookError::EmptySecret)
        ));
        let many = vec![format!("v1={}", "0".repeat(64)); MAX_SIGNATURES + 1].join(",");
        assert!(matches!(
            check(Some(&many), b"hello world", "secret"),
            Err(WebhookError::MalformedSignature { .. })
        ));
    }

    #[test]
    fn the_signed_body_decides_the_event_type_when_it_names_one() {
        let secret = WebhookSecret::from("s");
        let body = br#"{"type":"parting"}"#;
        let signed = format!("v1={}", sign(body, &secret));
        // A header that contradicts the signed body is refused (a signed `parting` cannot be
        // passed off as a `greeting`)…
        match receive::<Event>(
            &TYPED,
            &headers(Some(&signed), Some("greeting")),
            body,
            &secret,
        ) {
            Err(WebhookError::EventTypeMismatch {
                header_value,
                body_value,
                ..
            }) => assert_eq!(
                (header_value.as_str(), body_value.as_str()),
                ("greeting", "parting")
            ),
            other => panic!("{other:?}"),
        }
        // …and without a header the body's type is used.
        let event: Event = receive(&TYPED, &headers(Some(&signed), None), body, &secret)
            .expect("decodes by the body's type");
        assert!(matches!(event, Event::Unknown(t, _) if t == "parting"));
    }

    #[test]
    fn the_secret_and_signatures_are_never_printed() {
        let secret = WebhookSecret::from("hunter2-very-secret");
        assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
        let e = check(Some("v1=nothex"), b"x", "hunter2-very-secret").unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("nothex") && !shown.contains("hunter2"),
            "{shown}"
        );
    }

    /// A two-event API: `greeting` decodes as a string; anything else is kept raw.
    #[derive(Debug, PartialEq)]
    enum Event {
        Greeting(String),
        Unknown(String, Vec<u8>),
    }

    impl WebhookEvent for Event {
        fn decode_with(
            event_type: &str,
            body: &[u8],
            mode: Mode,
        ) -> Result<(Self, Vec<Deviation>, usize), json::Error> {
            match event_type {
                "greeting" => json::from_slice_with::<String>(body, mode)
                    .map(|(s, d, n)| (Event::Greeting(s), d, n)),
                other => Ok((
                    Event::Unknown(other.to_owned(), body.to_vec()),
                    Vec::new(),
                    0,
                )),
            }
        }
    }

    #[test]
    fn receive_verifies_then_decodes_by_event_type() {
        let secret = WebhookSecret::from("s");
        let body = br#""hi""#;
        let signed = format!("v1={}", sign(body, &secret));
        let event: Event = receive(
            &CONFIG,
            &headers(Some(&signed), Some("greeting")),
            body,
            &secret,
        )
        .unwrap();
        assert_eq!(event, Event::Greeting("hi".to_owned()));
        // An event type the API added later is kept raw, not refused.
        let event: Event = receive(
            &CONFIG,
            &headers(Some(&signed), Some("farewell")),
            body,
            &secret,
        )
        .unwrap();
        assert_eq!(event, Event::Unknown("farewell".to_owned(), body.to_vec()));
        // No event type header; a payload that does not decode; an unsigned delivery.
        assert!(matches!(
            receive::<Event>(&CONFIG, &headers(Some(&signed), None), body, &secret),
            Err(WebhookError::MissingEventType { .. })
        ));
        let bad = b"42";
        let signed_bad = format!("v1={}", sign(bad, &secret));
        match receive::<Event>(
            &CONFIG,
            &headers(Some(&signed_bad), Some("greeting")),
            bad,
            &secret,
        ) {
            Err(WebhookError::Decode { event_type, .. }) => assert_eq!(event_type, "greeting"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            receive::<Event>(&CONFIG, &headers(None, Some("greeting")), body, &secret),
            Err(WebhookError::MissingSignature { .. })
        ));
    }
}
