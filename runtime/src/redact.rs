//! What `Debug` and `Display` output may show of headers and bodies: values of headers
//! that carry credentials are replaced by `<redacted>`, and bodies are clipped.

use std::borrow::Cow;
use std::fmt;

use http::{HeaderMap, HeaderName};

/// Headers whose values are credentials (matched case-insensitively, as `HeaderName`s are
/// lowercase). Values marked sensitive (the token header, whatever its name, and default
/// headers) are redacted too.
const SENSITIVE: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "circle-token",
    "x-api-key",
    "api-key",
];

/// Whether the value of header `name` must not be shown.
pub(crate) fn is_sensitive(name: &HeaderName) -> bool {
    SENSITIVE.contains(&name.as_str())
}

/// `Debug` of a header map with credential values redacted.
pub(crate) struct Headers<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive(name) {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// The longest piece of a body shown by `Debug`.
pub(crate) const DEBUG_BODY: usize = 1024;

/// `Debug` of a body as lossy UTF-8 text, clipped to [`DEBUG_BODY`] characters, with its
/// full length when clipped.
pub(crate) struct Body<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Decoding more than the shown part would cost as much as the body is long.
        let head = &self.0[..self.0.len().min(DEBUG_BODY * 4)];
        let text = String::from_utf8_lossy(head);
        let clipped = clip(&text, DEBUG_BODY);
        if clipped.len() < text.len() || head.len() < self.0.len() {
            write!(f, "{:?} ({} bytes in all)", clipped, self.0.len())
        } else {
            fmt::Debug::fmt(&*clipped, f)
        }
    }
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub(crate) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn credentials_are_redacted_and_bodies_clipped() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=abc123"));
        headers.insert("Circle-Token", HeaderValue::from_static("tok"));
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        let mut marked = HeaderValue::from_static("hidden-value");
        marked.set_sensitive(true);
        headers.insert("x-custom-auth", marked);
        let text = format!("{:?}", Headers(&headers));
        for secret in ["abc123", "tok\"", "hidden-value"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("\"x-request-id\": \"r-1\""), "{text}");
        assert!(text.contains("\"set-cookie\": \"<redacted>\""), "{text}");

        let long = "x".repeat(5000);
        let shown = format!("{:?}", Body(long.as_bytes()));
        assert!(shown.len() < DEBUG_BODY + 64, "{}", shown.len());
        assert!(shown.ends_with("(5000 bytes in all)"), "{shown}");
        assert_eq!(format!("{:?}", Body(b"short")), "\"short\"");

        // The raw response decoders see is printed the same way.
        let raw = crate::RawResponse {
            status: http::StatusCode::OK,
            headers,
            body: bytes::Bytes::from(long),
        };
        let shown = format!("{raw:?}");
        assert!(
            !shown.contains("abc123") && !shown.contains("hidden-value"),
            "{shown}"
        );
        assert!(shown.len() < DEBUG_BODY + 512, "{}", shown.len());
    }
}
