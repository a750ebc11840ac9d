//! Path parameters: encoding a value so it can never change the request's path.
//!
//! A path parameter value becomes exactly one path segment (or, for a slug, the segments
//! between its `/`s): every byte outside the RFC 3986 unreserved set
//! (`A-Z a-z 0-9 - . _ ~`) is percent-encoded — including `/ ? # %`, space, `\` and every
//! non-ASCII byte — and a segment that is empty, `.` or `..` is rejected before anything is
//! sent. Because `%` itself is encoded, a value like `%2e%2e` is sent as `%252e%252e`, which
//! no URL parser or server treats as a dot segment; the runtime also checks the URL it
//! sends against the path it built, so no normalization can slip in between.

/// Appends `value` percent-encoded so that only unreserved characters stay literal.
pub(crate) fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
}

/// Decodes `%XX` escapes (as [`percent_encode_into`] writes them); `None` when the result is
/// not UTF-8. A `%` not followed by two hex digits stays as it is.
pub(crate) fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits make at most 0xFF.
                out.push(u8::try_from(high * 16 + low).unwrap_or(u8::MAX));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Why a path segment is refused.
fn check_segment(segment: &str) -> Result<(), &'static str> {
    match segment {
        "" => Err("an empty segment would change the request path"),
        "." => Err("a `.` segment would change the request path"),
        ".." => Err("a `..` segment would change the request path"),
        _ => Ok(()),
    }
}

/// Appends `value` as one encoded path segment.
pub(crate) fn push_segment(out: &mut String, value: &str) -> Result<(), String> {
    check_segment(value).map_err(str::to_owned)?;
    percent_encode_into(out, value);
    Ok(())
}

/// Appends `value` as `/`-separated segments, each encoded and checked; when `segments` is
/// not empty, the number of segments must be one of its values.
pub(crate) fn push_slug(out: &mut String, value: &str, segments: &[usize]) -> Result<(), String> {
    let count = value.split('/').count();
    if !segments.is_empty() && !segments.contains(&count) {
        let expected = match segments {
            [n] => format!("{n}"),
            [rest @ .., last] => format!(
                "{} or {last}",
                rest.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            [] => String::new(),
        };
        let plural = if segments == [1] { "" } else { "s" };
        return Err(format!(
            "the slug has {count} segment{} separated by `/`, where {expected} segment{plural} are expected",
            if count == 1 { "" } else { "s" }
        ));
    }
    for (i, segment) in value.split('/').enumerate() {
        check_segment(segment)
            .map_err(|reason| format!("segment {} of the slug: {reason}", i + 1))?;
    }
    for (i, segment) in value.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        percent_encode_into(out, segment);
    }
    Ok(())
}

/// The path of a template (`/project/{project-slug}/job/{job-number}`) with each `{name}`
/// replaced by its encoded value from `fills` (the last one given for a name), and the literal
/// text percent-encoded where a path cannot carry it as is; or the name of a parameter
/// without a value. A `{` without a closing `}` is literal text.
pub(crate) fn fill_template<'t>(
    template: &'t str,
    fills: &[(&str, String)],
) -> Result<String, &'t str> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        encode_literal_into(&mut out, &rest[..open]);
        let name = &rest[open + 1..close];
        match fills.iter().rev().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => return Err(name),
        }
        rest = &rest[close + 1..];
    }
    encode_literal_into(&mut out, rest);
    Ok(out)
}

/// Whether `template` holds the placeholder `{name}` (found without building it).
pub(crate) fn has_placeholder(template: &str, name: &str) -> bool {
    template.match_indices('{').any(|(open, _)| {
        template[open + 1..]
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('}'))
    })
}

/// Appends literal path text: kept where RFC 3986 allows it in a path (unreserved, sub-delims,
/// `:`, `@`, `/`, and `%` followed by two hex digits), percent-encoded elsewhere.
fn encode_literal_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(v: &str) -> Result<String, String> {
        let mut out = String::new();
        push_segment(&mut out, v).map(|()| out)
    }

    fn slug(v: &str) -> Result<String, String> {
        let mut out = String::new();
        push_slug(&mut out, v, &[]).map(|()| out)
    }

    #[test]
    fn slug_segment_counts() {
        let count = |v: &str, n: &[usize]| push_slug(&mut String::new(), v, n);
        assert!(count("gh/org/repo", &[3]).is_ok());
        assert!(count("circleci/6f2c/91ab", &[3]).is_ok());
        assert_eq!(
            count("gh/acme/widgets/envvar/AWS_SECRET", &[3]),
            Err("the slug has 5 segments separated by `/`, where 3 segments are expected".into())
        );
        assert_eq!(
            count("gh/org/repo", &[1, 2]),
            Err(
                "the slug has 3 segments separated by `/`, where 1 or 2 segments are expected"
                    .into()
            )
        );
        assert!(count("gh/org", &[1, 2]).is_ok());
        assert!(count("5e1ab7c4-0b5c-4b4b-9d3a-0c4a6b1e2f3d", &[1, 2]).is_ok());
        assert!(count("gh/org/", &[3]).is_err());
    }

    #[test]
    fn decoding_undoes_encoding() {
        for value in ["a b/c?d=e&f", "é✓", "%41", "plain", ""] {
            let mut encoded = String::new();
            percent_encode_into(&mut encoded, value);
            assert_eq!(percent_decode(&encoded).as_deref(), Some(value));
        }
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz").as_deref(), Some("%zz"));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn segment_table() {
        let table: &[(&str, Option<&str>)] = &[
            ("abc-DEF_1.2~", Some("abc-DEF_1.2~")),
            ("a/b", Some("a%2Fb")),
            ("../../me", Some("..%2F..%2Fme")),
            ("a/../b", Some("a%2F..%2Fb")),
            ("%2e%2e", Some("%252e%252e")),
            ("?x=1", Some("%3Fx%3D1")),
            ("#frag", Some("%23frag")),
            ("a b", Some("a%20b")),
            ("a\\b", Some("a%5Cb")),
            ("é✓", Some("%C3%A9%E2%9C%93")),
            ("...", Some("...")),
            (".", None),
            ("..", None),
            ("", None),
        ];
        for (input, expected) in table {
            assert_eq!(seg(input).ok().as_deref(), *expected, "input {input:?}");
        }
    }

    #[test]
    fn slug_table() {
        let table: &[(&str, Option<&str>)] = &[
            ("gh/org/repo", Some("gh/org/repo")),
            ("circleci/8a7f/1b2c", Some("circleci/8a7f/1b2c")),
            ("gh/my org/re?po", Some("gh/my%20org/re%3Fpo")),
            ("gh/org/%2e%2e", Some("gh/org/%252e%252e")),
            ("a/../b", None),
            ("../../me", None),
            ("gh/./repo", None),
            ("gh//repo", None),
            ("gh/org/", None),
            ("/gh/org", None),
            ("", None),
            ("..", None),
        ];
        for (input, expected) in table {
            assert_eq!(slug(input).ok().as_deref(), *expected, "input {input:?}");
        }
    }

    #[test]
    fn templates_are_filled_by_name() {
        let fills = [("b", "2".to_owned()), ("a", "x%2Fy".to_owned())];
        assert_eq!(
            fill_template("/p/{a}/q/{b}", &fills).as_deref(),
            Ok("/p/x%2Fy/q/2")
        );
        // Literal text a path cannot carry is encoded; an unclosed brace is literal.
        assert_eq!(
            fill_template("/a b/{a}", &fills).as_deref(),
            Ok("/a%20b/x%2Fy")
        );
        assert_eq!(fill_template("/x{", &fills).as_deref(), Ok("/x%7B"));
        assert_eq!(fill_template("/p/{missing}", &fills), Err("missing"));
    }

    #[test]
    fn placeholders_are_found_whole() {
        assert!(has_placeholder("/p/{a}/q/{bc}", "a"));
        assert!(has_placeholder("/p/{a}/q/{bc}", "bc"));
        assert!(!has_placeholder("/p/{a}/q/{bc}", "b"));
        assert!(!has_placeholder("/p/{ab}", "a"));
        assert!(!has_placeholder("/p/a}", "a"));
        assert!(!has_placeholder("/p/{a", "a"));
        assert!(has_placeholder("/{{a}", "a"));
    }
}
