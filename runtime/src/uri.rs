//! [`Uri`]: the type of `format: uri` (and `url`) strings.
//!
//! A document's `format: uri` promises an absolute URI, but servers do not keep that promise:
//! Twilio's own response examples put relative references (`/2010-04-01/Accounts/…`) in its
//! `*_uri` fields, and a member that should hold a link may hold anything. Decoding such a
//! member as a [`url::Url`] would fail the whole response over one link. A `Uri` keeps the
//! text the server sent, as it is, whatever it is; [`Uri::to_url`] and [`Uri::resolve`] parse
//! it when the caller needs a [`url::Url`].

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::{Error, FromJson, Kind, Reader};

/// A URI reference as the server sent it (absolute, such as `https://example.com/a`, or
/// relative, such as `/a?page=2`), kept as text.
///
/// It reads as a string and writes back the same string. Code written for a [`url::Url`]
/// member mostly keeps working: [`Uri::as_str`], `Display`, and `From<Url>` are here.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Uri(String);

impl Uri {
    /// A `Uri` of this text (not checked: any text is kept as it is).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Whether the text parses as an absolute URL (it has a scheme).
    pub fn is_absolute(&self) -> bool {
        self.to_url().is_ok()
    }

    /// The text parsed as an absolute URL; a relative reference is an error
    /// ([`url::ParseError::RelativeUrlWithoutBase`]).
    pub fn to_url(&self) -> Result<url::Url, url::ParseError> {
        url::Url::parse(&self.0)
    }

    /// The URL this reference designates relative to `base` (RFC 3986 resolution, as
    /// [`url::Url::join`]); an absolute reference designates itself.
    pub fn resolve(&self, base: &url::Url) -> Result<url::Url, url::ParseError> {
        base.join(&self.0)
    }
}

impl fmt::Debug for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uri {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl From<url::Url> for Uri {
    fn from(url: url::Url) -> Self {
        Self(url.into())
    }
}

impl From<&url::Url> for Uri {
    fn from(url: &url::Url) -> Self {
        Self(url.as_str().to_owned())
    }
}

impl From<String> for Uri {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for Uri {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<Uri> for String {
    fn from(uri: Uri) -> Self {
        uri.0
    }
}

impl TryFrom<Uri> for url::Url {
    type Error = url::ParseError;

    fn try_from(uri: Uri) -> Result<Self, Self::Error> {
        uri.to_url()
    }
}

impl AsRef<str> for Uri {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Uri {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Uri {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Uri {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Uri {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Uri {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

impl FromJson for Uri {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Error> {
        String::read(reader).map(Self)
    }

    fn may_accept(kind: Kind) -> bool {
        kind == Kind::String
    }

    // No link is a safe stand-in for a missing one: a missing required `Uri` stays an error.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_is_kept_and_written_back_as_it_is() {
        // From Twilio's documented answer of `GET …/Calls/{CallSid}/Events.json`.
        let relative = r#"{"first_page_uri":"/2010-04-01/Accounts/AC1/Calls/CA1/Events.json?PageSize=50&Page=0"}"#;
        let value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(relative).unwrap();
        let text = &value["first_page_uri"];
        let uri: Uri = crate::json::from_slice(text.to_string().as_bytes()).unwrap();
        assert_eq!(
            uri,
            "/2010-04-01/Accounts/AC1/Calls/CA1/Events.json?PageSize=50&Page=0"
        );
        assert!(!uri.is_absolute());
        assert_eq!(uri.to_url(), Err(url::ParseError::RelativeUrlWithoutBase));
        let base = url::Url::parse("https://api.twilio.com/x/y").unwrap();
        assert_eq!(
            uri.resolve(&base).unwrap().as_str(),
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls/CA1/Events.json?PageSize=50&Page=0"
        );
        assert_eq!(serde_json::to_value(&uri).unwrap(), *text);
        // Not a URI at all: kept too.
        let odd: Uri = crate::json::from_slice(br#""not a url""#).unwrap();
        assert_eq!(odd.as_str(), "not a url");
        assert_eq!(format!("{odd} {odd:?}"), "not a url \"not a url\"");
    }

    #[test]
    fn absolute_ones_parse_and_other_kinds_are_errors() {
        let uri: Uri = serde_json::from_str(r#""https://circleci.com/a?b=1""#).unwrap();
        assert!(uri.is_absolute());
        assert_eq!(uri.to_url().unwrap().host_str(), Some("circleci.com"));
        let base = url::Url::parse("https://other.example/").unwrap();
        assert_eq!(
            uri.resolve(&base).unwrap().as_str(),
            "https://circleci.com/a?b=1"
        );
        assert_eq!(Uri::from(uri.to_url().unwrap()), uri);
        let err = crate::json::from_slice::<Uri>(b"12").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
        assert!(serde_json::from_str::<Uri>("12").is_err());
    }
}
