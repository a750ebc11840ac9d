//! Query parameters and header values, serialized with serde and laid out per OpenAPI's
//! `style`/`explode` rules.
//!
//! A value is first serialized to JSON data, then expanded:
//!
//! | value | `form`, explode | `form` | `spaceDelimited` | `pipeDelimited` | `deepObject` |
//! |---|---|---|---|---|---|
//! | `null` / `None` | omitted | omitted | omitted | omitted | omitted |
//! | scalar `5` | `n=5` | `n=5` | `n=5` | `n=5` | `n=5` |
//! | array `[a, b]` | `n=a&n=b` | `n=a,b` | `n=a%20b` | `n=a\|b` | refused |
//! | object `{k: v, j: w}` | `k=v&j=w` | `n=k,v,j,w` | `n=k%20v%20j%20w` | `n=k\|v\|j\|w` | `n[k]=v&n[j]=w` |
//!
//! Strings are sent as they are (not JSON-quoted); numbers and booleans as JSON writes them.
//! Names and values are percent-encoded (everything outside the RFC 3986 unreserved set), so
//! a `,` or `|` inside a value (sent as `%2C`, `%7C`) stays distinguishable from the literal
//! delimiter; a space inside a `spaceDelimited` value could not be, and is refused. Empty arrays and objects
//! are omitted, like undefined values in RFC 6570. `deepObject` nests objects
//! (`n[a][b]=v`). Anything the style cannot express (an array inside an array, for instance)
//! is refused with [`Error::InvalidInput`](crate::Error::InvalidInput) naming the parameter,
//! rather than being guessed at or dropped.

use serde_json::Value;

use crate::path::percent_encode_into;

/// How a query parameter is laid out (OpenAPI `style` + `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `form`: `n=a&n=b` when `explode`, `n=a,b` otherwise. OpenAPI's default is
    /// `Form { explode: true }`.
    Form {
        /// Whether arrays and objects expand into one pair per element/member.
        explode: bool,
    },
    /// `spaceDelimited` (not exploded): `n=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited` (not exploded): `n=a|b`.
    PipeDelimited,
    /// `deepObject`: `n[k]=v`.
    DeepObject,
}

impl Default for QueryStyle {
    fn default() -> Self {
        QueryStyle::Form { explode: true }
    }
}

/// A value reduced to what a flat (non-deepObject) style can lay out.
enum Flat {
    /// Null, an empty array or an empty object: nothing is sent.
    Omitted,
    /// A string, number or boolean.
    Scalar(String),
    /// An array of scalars.
    List(Vec<String>),
    /// An object whose members are scalars (null members left out), in field order.
    Members(Vec<(String, String)>),
}

/// Reduces `value` to a [`Flat`]; an array or object nested inside is refused.
fn flatten(value: &Value) -> Result<Flat, String> {
    match value {
        Value::Null => Ok(Flat::Omitted),
        Value::Array(items) if items.is_empty() => Ok(Flat::Omitted),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                scalar(item).ok_or_else(|| {
                    format!(
                        "element {i} is {}; only strings, numbers and booleans can be elements",
                        describe(item)
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Flat::List),
        Value::Object(members) => {
            let mut flat = Vec::with_capacity(members.len());
            for (key, member) in members.iter().filter(|(_, m)| !m.is_null()) {
                let text = scalar(member).ok_or_else(|| {
                    format!(
                        "member `{key}` is {}; only strings, numbers and booleans can be members here",
                        describe(member)
                    )
                })?;
                flat.push((key.clone(), text));
            }
            Ok(if flat.is_empty() {
                Flat::Omitted
            } else {
                Flat::Members(flat)
            })
        }
        other => Ok(scalar(other).map_or(Flat::Omitted, Flat::Scalar)),
    }
}

impl Flat {
    /// The parts of a non-exploded layout: list elements, or keys and values alternating.
    fn parts(self) -> Vec<String> {
        match self {
            Flat::Omitted => Vec::new(),
            Flat::Scalar(s) => vec![s],
            Flat::List(items) => items,
            Flat::Members(members) => members.into_iter().flat_map(|(k, v)| [k, v]).collect(),
        }
    }
}

/// Appends the pairs for parameter `name` to `out` (an encoded query string without `?`).
pub(crate) fn append(
    out: &mut String,
    name: &str,
    value: &Value,
    style: QueryStyle,
) -> Result<(), String> {
    if style == QueryStyle::DeepObject {
        return match value {
            Value::Object(members) => {
                let mut prefix = String::new();
                percent_encode_into(&mut prefix, name);
                deep(out, &mut prefix, members)
            }
            Value::Array(_) => Err("an array cannot be sent in deepObject style".to_owned()),
            other => {
                if let Some(s) = scalar(other) {
                    pair(out, name, &s);
                }
                Ok(())
            }
        };
    }
    let delimiter = match style {
        QueryStyle::Form { explode: false } => ",",
        QueryStyle::SpaceDelimited => "%20",
        QueryStyle::PipeDelimited => "|",
        QueryStyle::Form { explode: true } | QueryStyle::DeepObject => "",
    };
    match flatten(value)? {
        Flat::Omitted => {}
        Flat::Scalar(s) => pair(out, name, &s),
        Flat::List(items) if delimiter.is_empty() => {
            for item in &items {
                pair(out, name, item);
            }
        }
        Flat::Members(members) if delimiter.is_empty() => {
            for (key, member) in &members {
                pair(out, key, member);
            }
        }
        flat => {
            let parts = flat.parts();
            if style == QueryStyle::SpaceDelimited {
                refuse_delimiter(&parts, ' ', "spaceDelimited")?;
            }
            joined(out, name, &parts, delimiter);
        }
    }
    Ok(())
}

fn deep(
    out: &mut String,
    prefix: &mut String,
    members: &serde_json::Map<String, Value>,
) -> Result<(), String> {
    for (key, member) in members {
        let len = prefix.len();
        prefix.push('[');
        percent_encode_into(prefix, key);
        prefix.push(']');
        match member {
            Value::Null => {}
            Value::Object(inner) => deep(out, prefix, inner)?,
            Value::Array(_) => {
                return Err(format!(
                    "member `{key}` is an array, which deepObject style cannot express"
                ));
            }
            other => {
                if let Some(s) = scalar(other) {
                    separator(out);
                    out.push_str(prefix);
                    out.push('=');
                    percent_encode_into(out, &s);
                }
            }
        }
        prefix.truncate(len);
    }
    Ok(())
}

/// A space in a value would look exactly like the `%20` delimiter of `spaceDelimited`, so
/// such values are refused rather than sent ambiguously. (The `,` of `form` and the `|` of
/// `pipeDelimited` are sent literally while the same characters inside values are
/// percent-encoded, so those stay distinguishable.)
fn refuse_delimiter(parts: &[String], delimiter: char, style: &str) -> Result<(), String> {
    match parts.iter().position(|p| p.contains(delimiter)) {
        Some(i) => Err(format!(
            "part {i} ({:?}) contains {delimiter:?}, which {style} style uses as its delimiter",
            parts[i]
        )),
        None => Ok(()),
    }
}

/// The text of a scalar: strings raw, numbers and booleans as JSON.
pub(crate) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        _ => "a scalar",
    }
}

fn separator(out: &mut String) {
    if !out.is_empty() {
        out.push('&');
    }
}

fn pair(out: &mut String, name: &str, value: &str) {
    separator(out);
    percent_encode_into(out, name);
    out.push('=');
    percent_encode_into(out, value);
}

fn joined(out: &mut String, name: &str, parts: &[String], delimiter: &str) {
    separator(out);
    percent_encode_into(out, name);
    out.push('=');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(delimiter);
        }
        percent_encode_into(out, part);
    }
}

/// The text of a header value in OpenAPI's `simple` style (arrays `a,b`, objects `k,v,j,w`),
/// or `None` for null.
pub(crate) fn header_text(value: &Value) -> Result<Option<String>, String> {
    Ok(match flatten(value)? {
        Flat::Omitted => None,
        flat => Some(flat.parts().join(",")),
    })
}

/// Removes every `name=…` pair from an encoded query string, returning the first value
/// removed (still encoded).
pub(crate) fn take_param(query: &mut String, name: &str) -> Option<String> {
    let mut encoded_name = String::new();
    percent_encode_into(&mut encoded_name, name);
    let mut first = None;
    let mut kept = String::with_capacity(query.len());
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        if key == encoded_name {
            if first.is_none() {
                first = Some(value.to_owned());
            }
        } else {
            separator(&mut kept);
            kept.push_str(part);
        }
    }
    *query = kept;
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(name: &str, value: Value, style: QueryStyle) -> Result<String, String> {
        let mut out = String::new();
        append(&mut out, name, &value, style).map(|()| out)
    }

    const EXPLODE: QueryStyle = QueryStyle::Form { explode: true };
    const FORM: QueryStyle = QueryStyle::Form { explode: false };

    #[test]
    fn scalars() {
        assert_eq!(
            q("branch", json!("feature/x y"), EXPLODE).as_deref(),
            Ok("branch=feature%2Fx%20y")
        );
        assert_eq!(q("n", json!(5), FORM).as_deref(), Ok("n=5"));
        assert_eq!(
            q("b", json!(true), QueryStyle::DeepObject).as_deref(),
            Ok("b=true")
        );
        assert_eq!(
            q("t", json!("2024-01-01T00:00:00+01:00"), EXPLODE).as_deref(),
            Ok("t=2024-01-01T00%3A00%3A00%2B01%3A00")
        );
        assert_eq!(q("n", Value::Null, EXPLODE).as_deref(), Ok(""));
    }

    #[test]
    fn arrays() {
        let v = json!(["a", "b,c", 3]);
        assert_eq!(q("x", v.clone(), EXPLODE).as_deref(), Ok("x=a&x=b%2Cc&x=3"));
        assert_eq!(q("x", v.clone(), FORM).as_deref(), Ok("x=a,b%2Cc,3"));
        assert_eq!(
            q("x", v.clone(), QueryStyle::SpaceDelimited).as_deref(),
            Ok("x=a%20b%2Cc%203")
        );
        assert_eq!(
            q("x", v.clone(), QueryStyle::PipeDelimited).as_deref(),
            Ok("x=a|b%2Cc|3")
        );
        assert_eq!(
            q("x", json!(["a|b", "c"]), QueryStyle::PipeDelimited).as_deref(),
            Ok("x=a%7Cb|c")
        );
        assert!(q("x", json!(["a b", "c"]), QueryStyle::SpaceDelimited).is_err());
        assert!(q("x", v, QueryStyle::DeepObject).is_err());
        assert_eq!(q("x", json!([]), FORM).as_deref(), Ok(""));
        let nested = q("x", json!([["a"]]), EXPLODE);
        assert!(
            nested
                .as_ref()
                .is_err_and(|e| e.contains("element 0 is an array")),
            "{nested:?}"
        );
    }

    #[test]
    fn objects() {
        let v = json!({"role": "admin", "first": "Alex", "skip": null});
        assert_eq!(
            q("o", v.clone(), EXPLODE).as_deref(),
            Ok("role=admin&first=Alex")
        );
        assert_eq!(
            q("o", v.clone(), FORM).as_deref(),
            Ok("o=role,admin,first,Alex")
        );
        assert_eq!(
            q("o", v.clone(), QueryStyle::DeepObject).as_deref(),
            Ok("o[role]=admin&o[first]=Alex")
        );
        assert_eq!(
            q("o", json!({"a": {"b": 1}}), QueryStyle::DeepObject).as_deref(),
            Ok("o[a][b]=1")
        );
        assert!(q("o", json!({"a": {"b": 1}}), FORM).is_err());
        assert_eq!(q("o", json!({}), EXPLODE).as_deref(), Ok(""));
    }

    #[test]
    fn appends_with_ampersand() {
        let mut out = String::new();
        append(&mut out, "a", &json!(1), EXPLODE).ok();
        append(&mut out, "b", &json!(null), EXPLODE).ok();
        append(&mut out, "c", &json!([1, 2]), EXPLODE).ok();
        assert_eq!(out, "a=1&c=1&c=2");
    }

    #[test]
    fn headers() {
        assert_eq!(header_text(&json!("x")), Ok(Some("x".to_owned())));
        assert_eq!(header_text(&json!([1, "b"])), Ok(Some("1,b".to_owned())));
        assert_eq!(
            header_text(&json!({"k": "v", "j": 2})),
            Ok(Some("k,v,j,2".to_owned()))
        );
        assert_eq!(header_text(&Value::Null), Ok(None));
        assert!(header_text(&json!([[1]])).is_err());
    }

    #[test]
    fn take_param_removes_all_and_returns_first() {
        let mut s = "a=1&page-token=x%2F&b=2&page-token=y".to_owned();
        assert_eq!(take_param(&mut s, "page-token").as_deref(), Some("x%2F"));
        assert_eq!(s, "a=1&b=2");
        let mut none = "a=1".to_owned();
        assert_eq!(take_param(&mut none, "page-token"), None);
        assert_eq!(none, "a=1");
    }
}
