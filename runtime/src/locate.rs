//! Places in JSON text: the byte offset of a `line:column`, the JSON path at a byte offset,
//! and the byte offset of a JSON path. Decode errors use them to name where a body went
//! wrong and to quote the text around it.

use crate::json::Segment;

/// The byte offset of `serde_json`'s 1-based `line` and byte `column` in `body`.
pub(crate) fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut current = 1;
    while current < line {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                start += i + 1;
                current += 1;
            }
            None => break,
        }
    }
    (start + column).min(body.len())
}

/// One open container while scanning JSON text.
enum Frame {
    /// An object, with the key of the member being read (once its key was read).
    Object {
        key: Option<String>,
        wants_key: bool,
    },
    /// An array, with the index of the element being read (once it started).
    Array { index: usize, started: bool },
}

/// The JSON path (`a.b[2].c`, `.` for the top level) of the value being read at byte
/// `offset` of `body`, found by scanning the JSON text before it. `serde_json` reports an
/// error at the position just after the offending token, so the innermost open member or
/// element at that point is the value that failed; an error reported after a closing brace
/// (such as a missing field) points at the object just closed.
pub(crate) fn json_path_at(body: &[u8], offset: usize) -> String {
    let end = offset.min(body.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                start_value(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    wants_key: true,
                });
                i += 1;
            }
            b'[' => {
                start_value(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    started: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key, wants_key }) => {
                        *key = None;
                        *wants_key = true;
                    }
                    Some(Frame::Array { index, started }) => {
                        *index += 1;
                        *started = false;
                    }
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { wants_key, .. }) = stack.last_mut() {
                    *wants_key = false;
                }
                i += 1;
            }
            b'"' => {
                let (text, next) = read_string(body, i + 1, end);
                match stack.last_mut() {
                    Some(Frame::Object {
                        key,
                        wants_key: true,
                    }) => *key = Some(text),
                    _ => start_value(&mut stack),
                }
                i = next;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                start_value(&mut stack);
                while i < end
                    && !matches!(
                        body[i],
                        b',' | b'}' | b']' | b':' | b' ' | b'\t' | b'\n' | b'\r' | b'"'
                    )
                {
                    i += 1;
                }
            }
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                started: true,
            } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The byte offset in `body` where the value at `path` (segments from the top level
/// inwards) starts, or `None` when the text has no such value.
pub(crate) fn offset_of_path<'a>(
    body: &[u8],
    path: impl IntoIterator<Item = &'a Segment>,
) -> Option<usize> {
    let mut start = skip_whitespace(body, 0);
    for segment in path {
        start = match segment {
            Segment::Key(key) => member_start(body, start, key)?,
            Segment::Index(index) => element_start(body, start, *index)?,
        };
    }
    Some(start)
}

fn skip_whitespace(body: &[u8], mut i: usize) -> usize {
    while body
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// The index just after the JSON value starting at (or after whitespace from) `i`.
fn skip_value(body: &[u8], i: usize) -> usize {
    let mut i = skip_whitespace(body, i);
    match body.get(i) {
        Some(b'"') => read_string(body, i + 1, body.len()).1,
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            while i < body.len() {
                match body[i] {
                    b'"' => {
                        i = read_string(body, i + 1, body.len()).1;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i
        }
        _ => {
            while i < body.len()
                && !matches!(body[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            i
        }
    }
}

/// Where the value of member `key` of the object starting at `i` starts.
fn member_start(body: &[u8], i: usize, key: &str) -> Option<usize> {
    if body.get(i) != Some(&b'{') {
        return None;
    }
    let mut found = None;
    let mut i = skip_whitespace(body, i + 1);
    while body.get(i) == Some(&b'"') {
        let (name, next) = read_string(body, i + 1, body.len());
        i = skip_whitespace(body, next);
        if body.get(i) != Some(&b':') {
            return found;
        }
        let value = skip_whitespace(body, i + 1);
        if name == key {
            // The last of duplicate members is the one decoded.
            found = Some(value);
        }
        i = skip_whitespace(body, skip_value(body, value));
        if body.get(i) != Some(&b',') {
            break;
        }
        i = skip_whitespace(body, i + 1);
    }
    found
}

/// Where element `index` of the array starting at `i` starts.
fn element_start(body: &[u8], i: usize, index: usize) -> Option<usize> {
    if body.get(i) != Some(&b'[') {
        return None;
    }
    let mut i = skip_whitespace(body, i + 1);
    for _ in 0..index {
        i = skip_whitespace(body, skip_value(body, i));
        if body.get(i) != Some(&b',') {
            return None;
        }
        i = skip_whitespace(body, i + 1);
    }
    (i < body.len() && body[i] != b']').then_some(i)
}

fn start_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// Reads a JSON string starting just after its opening quote; returns its text (escapes
/// decoded, invalid pieces replaced) and the index after the closing quote (or `end`).
fn read_string(body: &[u8], mut i: usize, end: usize) -> (String, usize) {
    let mut raw = Vec::new();
    while i < end {
        match body[i] {
            b'"' => return (String::from_utf8_lossy(&raw).into_owned(), i + 1),
            b'\\' if i + 1 < end => {
                let escaped = body[i + 1];
                i += 2;
                match escaped {
                    b'n' => raw.push(b'\n'),
                    b't' => raw.push(b'\t'),
                    b'r' => raw.push(b'\r'),
                    b'b' => raw.push(0x08),
                    b'f' => raw.push(0x0C),
                    b'u' => {
                        let hex = body.get(i..(i + 4).min(end)).unwrap_or_default();
                        let ch = std::str::from_utf8(hex)
                            .ok()
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .and_then(char::from_u32)
                            .unwrap_or(char::REPLACEMENT_CHARACTER);
                        let mut buf = [0u8; 4];
                        raw.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        i += hex.len();
                    }
                    other => raw.push(other),
                }
            }
            b => {
                raw.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&raw).into_owned(), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(json: &str, offset: usize) -> String {
        json_path_at(json.as_bytes(), offset)
    }

    #[test]
    fn paths_from_offsets() {
        let j = r#"{"items":[{"id":"a"},{"id":5}],"next_page_token":null}"#;
        // just after the 5
        let at = j.find("5}").map(|p| p + 1).unwrap_or(0);
        assert_eq!(path_of(j, at), "items[1].id");
        // just after the second item's closing brace: the item itself
        let at = j.find("5}").map(|p| p + 2).unwrap_or(0);
        assert_eq!(path_of(j, at), "items[1]");
        assert_eq!(path_of(j, j.len()), ".");
        assert_eq!(path_of(j, 1), ".");
        // an array that was opened but has no element yet
        assert_eq!(path_of(r#"{"a":["#, 6), "a");
        assert_eq!(path_of(r#"{"a\"b":1"#, 9), "a\"b");
        assert_eq!(path_of(r#"[[1,2],[3,"x"#, 13), "[1][1]");
    }

    #[test]
    fn offsets_of_paths() {
        use crate::json::Segment::{Index, Key};
        let at = |json: &str, path: &[Segment]| offset_of_path(json.as_bytes(), path);
        let j = r#" { "a" : [ 1 , {"b\"c": "x,]}", "d": [[], {"e": null}] } ], "f": 2 } "#;
        let key = |k: &str| Key(k.to_owned());
        assert_eq!(at(j, &[]), Some(1));
        assert_eq!(at(j, &[key("a")]), j.find('['));
        assert_eq!(at(j, &[key("a"), Index(0)]), j.find("1 ,"));
        assert_eq!(at(j, &[key("a"), Index(1)]), j.find("{\"b"));
        assert_eq!(at(j, &[key("a"), Index(1), key("b\"c")]), j.find("\"x,"));
        assert_eq!(
            at(j, &[key("a"), Index(1), key("d"), Index(1), key("e")]),
            j.find("null")
        );
        assert_eq!(at(j, &[key("f")]), j.find('2'));
        assert_eq!(at(j, &[key("a"), Index(2)]), None);
        assert_eq!(at(j, &[key("z")]), None);
        assert_eq!(at(j, &[Index(0)]), None);
        // Duplicate members: the last one, which is the one decoded.
        let dup = r#"{"k":1,"k":[true]}"#;
        assert_eq!(at(dup, &[key("k")]), dup.find('['));
        assert_eq!(at(dup, &[key("k"), Index(0)]), dup.find("true"));
        // Truncated text never reads past the end.
        assert_eq!(at(r#"{"a":[1,"#, &[key("a"), Index(1)]), None);
        assert_eq!(at(r#"{"a":"#, &[key("a")]), Some(5));
    }

    #[test]
    fn offsets_from_lines() {
        let body = b"{\n  \"a\": 1,\n  \"b\": x\n}";
        assert_eq!(byte_offset(body, 1, 0), 0);
        assert_eq!(byte_offset(body, 3, 8), 20);
        assert_eq!(byte_offset(body, 9, 9), body.len());
    }
}
