//! Authentication: [`AuthScheme`] and the self-redacting [`Token`].
//!
//! The token is only ever sent in a request header, marked sensitive so the HTTP stack does
//! not log it; it never goes into a URL (so it cannot end up in proxy or server access logs),
//! and neither [`Token`] nor [`Client`](crate::Client) nor
//! [`ClientBuilder`](crate::ClientBuilder) show it in `Debug` or `Display`.

use std::fmt;

use base64::Engine as _;
use http::{HeaderName, HeaderValue};

use crate::error::InvalidInputKind;

/// How the API token is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// In the named header, as it is (CircleCI: `Circle-Token: <token>`).
    Header(&'static str),
    /// As `Authorization: Bearer <token>`.
    Bearer,
    /// As HTTP basic authentication with the token as user name and an empty password
    /// (`Authorization: Basic base64("<token>:")`).
    Basic,
    /// Not at all; no token is needed.
    None,
}

/// An API token. Its `Debug` and `Display` print `<redacted>`; read it with
/// [`Token::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Box<str>);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into().into_boxed_str())
    }

    /// The token itself. Take care where it goes.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Token {
    fn from(token: String) -> Self {
        Token::new(token)
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Self {
        Token::new(token)
    }
}

/// The header that carries `token` under `scheme`, with its value marked sensitive; `None`
/// for [`AuthScheme::None`]. Errors never contain the token.
pub(crate) fn auth_header(
    scheme: AuthScheme,
    token: &Token,
) -> Result<Option<(HeaderName, HeaderValue)>, InvalidInputKind> {
    let (name, value) = match scheme {
        AuthScheme::None => return Ok(None),
        AuthScheme::Header(name) => {
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| InvalidInputKind::Config {
                    reason: format!("the auth header name {name:?} is not a valid header name"),
                })?;
            (name, token.expose().to_owned())
        }
        AuthScheme::Bearer => (
            http::header::AUTHORIZATION,
            format!("Bearer {}", token.expose()),
        ),
        AuthScheme::Basic => {
            let credentials = format!("{}:", token.expose());
            (
                http::header::AUTHORIZATION,
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(credentials)
                ),
            )
        }
    };
    // A header of the API's own carries the value as the document describes it, which may
    // be words (PagerDuty's `Authorization: Token token=<key>`, Discord's `Bot <token>`); a
    // bearer or basic token is one word. Control characters (a line break would start
    // another header) and spaces at either end (a pasted token) are refused everywhere.
    let text = token.expose();
    let inner_spaces = matches!(scheme, AuthScheme::Header(_));
    if text.chars().any(char::is_control)
        || text.starts_with(' ')
        || text.ends_with(' ')
        || (!inner_spaces && text.contains(' '))
    {
        return Err(InvalidInputKind::InvalidToken {
            reason: "it contains spaces or control characters",
        });
    }
    let mut value = HeaderValue::from_str(&value).map_err(|_| InvalidInputKind::InvalidToken {
        reason: "it contains characters that cannot appear in an HTTP header",
    })?;
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_redacts_itself() {
        let t = Token::from("s3cr3t-token");
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
        assert_eq!(format!("{t}"), "<redacted>");
        assert_eq!(format!("{t:#?}"), "Token(<redacted>)");
        assert_eq!(t.expose(), "s3cr3t-token");
    }

    #[test]
    fn headers_per_scheme() {
        let t = Token::from("abc");
        let h = |s| auth_header(s, &t).map(|o| o.map(|(n, v)| (n.to_string(), v)));
        let Ok(Some((name, value))) = h(AuthScheme::Header("Circle-Token")) else {
            panic!("no header");
        };
        assert_eq!(name, "circle-token");
        assert_eq!(value, "abc");
        assert!(value.is_sensitive());
        let Ok(Some((_, value))) = h(AuthScheme::Basic) else {
            panic!("no header");
        };
        // base64("abc:")
        assert_eq!(value, "Basic YWJjOg==");
        assert!(value.is_sensitive());
        let Ok(Some((_, value))) = h(AuthScheme::Bearer) else {
            panic!("no header");
        };
        assert_eq!(value, "Bearer abc");
        assert!(matches!(h(AuthScheme::None), Ok(None)));
        // An API's own header may hold words: PagerDuty's `Token token=<key>`.
        let words = Token::from("Token token=y_NbAkKc66ryYTWUXYEu");
        let Ok(Some((name, value))) = auth_header(AuthScheme::Header("Authorization"), &words)
        else {
            panic!("refused");
        };
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("authorization", words.expose())
        );
    }

    #[test]
    fn bad_tokens_are_rejected_without_echoing_them() {
        for (scheme, bad) in [
            (AuthScheme::Header("Circle-Token"), "abc\r\nX-Evil: 1"),
            (AuthScheme::Header("Circle-Token"), " leading-space"),
            (AuthScheme::Header("Circle-Token"), "trailing-space "),
            (AuthScheme::Header("Circle-Token"), "tab\t"),
            (AuthScheme::Bearer, "has space"),
            (AuthScheme::Basic, "has space"),
        ] {
            let err = auth_header(scheme, &Token::from(bad));
            let Err(kind) = err else {
                panic!("accepted {bad:?}")
            };
            let text = crate::InvalidInput::new(kind).to_string();
            assert!(!text.contains(bad), "{text}");
        }
    }
}
