//! Doc comments from document prose, made safe for rustdoc.
//!
//! API descriptions are Markdown written for a documentation site, not for rustdoc. Left as
//! they are they break `cargo doc` and `cargo test`:
//!
//! - a code fence without a language (or marked `rust`) is compiled and run as a doctest →
//!   fences become ` ```text `;
//! - a block indented by four spaces is a code block, hence a doctest → it becomes a
//!   ` ```text ` fence;
//! - `[word]` is an intra-doc link that does not resolve → brackets are escaped, except in
//!   Markdown links to URLs;
//! - `<word>` is an unclosed HTML tag → `<` is escaped, except in autolinks;
//! - a bare URL is linted → it becomes an autolink `<https://…>`;
//! - tabs and control characters are replaced.
//!
//! Inline code spans are left alone.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes for `text` (nothing for empty text).
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    attrs(&sanitize(text))
}

/// Like [`doc_attrs`], for text the generator wrote itself, which is already valid rustdoc
/// (its intra-doc links to generated types are kept; document text appears only inside code
/// spans).
pub(crate) fn generated_doc_attrs(text: &str) -> TokenStream {
    attrs(text)
}

/// One `#[doc = " line"]` per line (prettyplease prints them as `///` lines).
fn attrs(clean: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for line in clean.lines() {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end_matches(' '))
        };
        out.extend(quote! { #[doc = #line] });
    }
    out
}

/// Joins paragraphs (skipping empty ones) into one doc text.
pub(crate) fn join(parts: &[Option<&str>]) -> Option<String> {
    let kept: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join("\n\n"))
    }
}

pub(crate) fn sanitize(text: &str) -> String {
    if let Some(clean) = sanitize_plain(text) {
        return clean;
    }
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let text: String = text
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut indented_block = false;
    let mut prev_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((ch, len)) = fence {
            let closing = trimmed.chars().take_while(|c| *c == ch).count();
            if indent < 4 && closing >= len && trimmed[closing * ch.len_utf8()..].trim().is_empty()
            {
                fence = None;
                out.push(trimmed.to_owned());
            } else {
                out.push(line.trim_end().to_owned());
            }
            continue;
        }
        if indented_block {
            if line.trim().is_empty() || indent >= 4 {
                out.push(line.get(4..).unwrap_or("").trim_end().to_owned());
                continue;
            }
            // Close the block before any trailing blank lines it swallowed.
            let mut blanks = 0;
            while out.last().is_some_and(|l| l.is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push("```".to_owned());
            out.extend(std::iter::repeat_n(String::new(), blanks));
            indented_block = false;
        }
        if indent < 4
            && let Some(ch) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')
        {
            let len = trimmed.chars().take_while(|c| *c == ch).count();
            if len >= 3 {
                let info = trimmed[len * ch.len_utf8()..].trim();
                let lang = info.split([',', ' ']).next().unwrap_or("");
                let rusty = lang.is_empty()
                    || lang.contains("rust")
                    || lang == "rs"
                    || [
                        "ignore",
                        "no_run",
                        "should_panic",
                        "compile_fail",
                        "edition2015",
                        "edition2018",
                        "edition2021",
                        "edition2024",
                        "test_harness",
                    ]
                    .contains(&lang);
                let fence_str: String = std::iter::repeat_n(ch, len).collect();
                out.push(if rusty {
                    format!("{fence_str}text")
                } else {
                    format!("{fence_str}{}", escape_info(info))
                });
                fence = Some((ch, len));
                prev_blank = false;
                continue;
            }
        }
        if indent >= 4 && prev_blank && !line.trim().is_empty() {
            out.push("```text".to_owned());
            out.push(line.get(4..).unwrap_or("").trim_end().to_owned());
            indented_block = true;
            continue;
        }
        let escaped = escape_line(line.trim_end());
        prev_blank = escaped.trim().is_empty();
        out.push(escaped);
    }
    if indented_block {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push("```".to_owned());
    }
    if let Some((ch, len)) = fence {
        out.push(std::iter::repeat_n(ch, len).collect());
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let start = out
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(out.len());
    out.drain(..start);
    out.join("\n")
}

/// The common case, in one pass: printable ASCII prose with nothing rustdoc could take for
/// markup (no backticks, tildes, backslashes, brackets, `<`, URLs, tabs, control
/// characters, and no line indented by four spaces). Then sanitizing only trims the ends of
/// lines and drops blank lines at the start and the end. `None` for any other text.
fn sanitize_plain(text: &str) -> Option<String> {
    let plain = text.bytes().all(|b| {
        b == b'\n'
            || ((0x20..0x7f).contains(&b) && !matches!(b, b'`' | b'~' | b'\\' | b'[' | b']' | b'<'))
    });
    if !plain || text.contains("http") || text.lines().any(|l| l.starts_with("    ")) {
        return None;
    }
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    Some(lines.get(start..end).unwrap_or_default().join("\n"))
}

fn escape_info(info: &str) -> String {
    info.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_+.,".contains(*c))
        .collect()
}

fn is_url_start(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Length in bytes of a URL at the start of `s`.
fn url_len(s: &str) -> usize {
    let mut end = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || "<>\"'`".contains(*c))
        .map_or(s.len(), |(i, _)| i);
    // Trailing punctuation belongs to the sentence; an unbalanced `)` to the text around it.
    while let Some(last) = s[..end].chars().last() {
        let opens = s[..end].matches('(').count();
        let closes = s[..end].matches(')').count();
        if ".,;:!?".contains(last) || (last == ')' && closes > opens) || last == ']' {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '`' => {
                // A code span: a run of n backticks up to the next run of exactly n.
                let n = rest.chars().take_while(|c| *c == '`').count();
                let after = &rest[n..];
                let mut search = 0;
                let mut close = None;
                while let Some(pos) = after[search..].find('`') {
                    let at = search + pos;
                    let run = after[at..].chars().take_while(|c| *c == '`').count();
                    if run == n {
                        close = Some(at);
                        break;
                    }
                    search = at + run;
                }
                match close {
                    Some(at) => {
                        let end = n + at + n;
                        out.push_str(&rest[..end]);
                        i += end;
                    }
                    None => {
                        for _ in 0..n {
                            out.push_str("\\`");
                        }
                        i += n;
                    }
                }
            }
            '\\' => {
                // Keep existing escapes as they are.
                let next = rest[1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        out.push('\\');
                        out.push(n);
                        i += 1 + n.len_utf8();
                    }
                    _ => {
                        out.push_str("\\\\");
                        i += 1;
                    }
                }
            }
            '[' => {
                if let Some(len) = markdown_link(rest) {
                    out.push_str(&rest[..len]);
                    i += len;
                } else {
                    out.push_str("\\[");
                    i += 1;
                }
            }
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                if is_url_start(&rest[1..])
                    && let Some(close) = rest.find('>')
                    && !rest[1..close].contains(char::is_whitespace)
                {
                    out.push_str(&rest[..=close]);
                    i += close + 1;
                } else {
                    out.push_str("\\<");
                    i += 1;
                }
            }
            'h' if is_url_start(rest)
                && (i == 0
                    || !line[..i].ends_with(|c: char| {
                        c.is_ascii_alphanumeric() || c == '/' || c == '('
                    })) =>
            {
                let len = url_len(rest);
                out.push('<');
                out.push_str(&rest[..len]);
                out.push('>');
                i += len;
            }
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Length of a Markdown link `[text](https://…)` at the start of `s`, if it is one.
fn markdown_link(s: &str) -> Option<usize> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains(['[', ']']) || text.contains('`') {
        return None;
    }
    let target_start = close + 2;
    let target = &s[target_start..];
    if !is_url_start(target) {
        return None;
    }
    let end = target.find(')')?;
    if target[..end].contains(char::is_whitespace) {
        return None;
    }
    Some(target_start + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_indented_code_become_text() {
        assert_eq!(
            sanitize("a\n```\nfn x() {}\n```"),
            "a\n```text\nfn x() {}\n```"
        );
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(
            sanitize("a\n\n    code\n    more\n\nb"),
            "a\n\n```text\ncode\nmore\n```\n\nb"
        );
        assert_eq!(sanitize("```\nunclosed"), "```text\nunclosed\n```");
    }

    #[test]
    fn plain_text_takes_the_short_way_with_the_same_result() {
        for text in [
            "plain words",
            "\n\n  two\n\nparagraphs  \n\n\n",
            "   three leading spaces\nand a second line ",
            "",
            "\n \n",
            "a (b) {c} 'd' \"e\" f=g; h>i",
        ] {
            let fast = sanitize_plain(text);
            assert!(fast.is_some(), "{text:?} is plain");
            assert_eq!(fast, Some(sanitize_full(text)), "{text:?}");
        }
        for text in [
            "a [link]",
            "see https://x.y",
            "`code`",
            "tab\there",
            "    indented",
            "caf\u{e9}",
            "a\r\nb",
            "~~~",
            "back\\slash",
            "x <y>",
        ] {
            assert_eq!(sanitize_plain(text), None, "{text:?} is not plain");
        }
    }

    /// `sanitize` without its short way.
    fn sanitize_full(text: &str) -> String {
        // Any character that is not plain sends `sanitize` the long way; remove it after.
        sanitize(&format!("{text}\n\u{e9}"))
            .trim_end_matches('\u{e9}')
            .trim_end()
            .to_owned()
    }

    #[test]
    fn brackets_html_and_urls() {
        assert_eq!(
            sanitize("use [this] or <that>"),
            "use \\[this\\] or \\<that>"
        );
        assert_eq!(
            sanitize("see [docs](https://x.io/a) now"),
            "see [docs](https://x.io/a) now"
        );
        assert_eq!(
            sanitize("go to https://circleci.com/docs."),
            "go to <https://circleci.com/docs>."
        );
        assert_eq!(sanitize("<https://a.b>"), "<https://a.b>");
        assert_eq!(sanitize("`[x] <y>` stays"), "`[x] <y>` stays");
        assert_eq!(sanitize("tab\there"), "tab    here");
    }
}
