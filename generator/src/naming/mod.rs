//! Naming: the one place that decides Rust identifiers.
//!
//! Every identifier in the generated code — type, field, variant, method, parameter and module
//! names — is produced here, from a *wire name* (what the document calls the thing). The rules:
//!
//! - Words are found by `heck` (camelCase humps, `-`, `_`, `.`, spaces…), then joined in the
//!   target case. Digit groups that the source kept apart stay apart (`1.0` → `V1_0`, not `V10`).
//! - Anything that is not ASCII is spelled out (`é` → `u00e9`), so identifiers stay ASCII and
//!   free of confusable-character lints; a name made only of symbols is spelled out too
//!   (`+1` → `plus_1`, `>=` → `gt_eq`, `` → `empty`).
//! - A leading digit gets a letter in front (`2fa` → `n2fa` / `V2fa`).
//! - Rust keywords become raw identifiers (`type` → `r#type`); the four that cannot be raw
//!   (`self`, `Self`, `super`, `crate`) get a suffix instead.
//! - Collisions inside one scope are resolved by [`Scope`]: the first claimant in document
//!   order keeps the name, later ones get `_2`, `_3`… (or `2`, `3`… in PascalCase).
//!
//! Whether a `#[serde(rename)]` is needed is decided by comparing the identifier with the wire
//! name, so the wire name is never lost.

mod members;
mod operations;
mod types;

pub(crate) use members::{Member, MemberItems, member_names};
pub(crate) use operations::{
    call_type_name, call_type_scope, local_scope, method_name, method_scope, param_name,
    status_decoder_name, status_name,
};
pub(crate) use types::{assign_names, child_hint};

use std::collections::HashSet;

use heck::ToSnakeCase;

/// Strict and reserved keywords of Rust 2024 (including `gen`, reserved since 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Words of a wire name, lower-cased, ASCII only, never empty.
fn words(raw: &str) -> Vec<String> {
    // Most wire names are already snake case (lower-case letters and `_`): their words are
    // what lies between the underscores, as heck would find them.
    if raw.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && raw.bytes().any(|b| b != b'_') {
        return raw
            .split('_')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let mut clean = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(char::is_ascii_digit);
        if c.is_ascii_alphanumeric() {
            clean.push(c);
        } else if first && c == '+' && next_is_digit {
            clean.push_str("plus ");
        } else if first && c == '-' && next_is_digit {
            clean.push_str("minus ");
        } else if c.is_ascii() {
            clean.push(' ');
        } else if c.is_alphanumeric() {
            clean.push_str(&format!(" u{:04x} ", u32::from(c)));
        } else {
            clean.push(' ');
        }
        first = false;
    }
    let mut out: Vec<String> = clean
        .to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if out.is_empty() {
        out = symbol_words(raw);
    }
    out
}

/// Spells out a name made only of symbols: `>=` → `gt eq`, `` → `empty`.
fn symbol_words(raw: &str) -> Vec<String> {
    if raw.is_empty() {
        return vec!["empty".to_owned()];
    }
    raw.chars()
        .map(|c| {
            match c {
                '+' => "plus",
                '-' => "minus",
                '*' => "star",
                '/' => "slash",
                '\\' => "backslash",
                '<' => "lt",
                '>' => "gt",
                '=' => "eq",
                '!' => "not",
                '?' => "question",
                '.' => "dot",
                ',' => "comma",
                ':' => "colon",
                ';' => "semicolon",
                '@' => "at",
                '#' => "hash",
                '$' => "dollar",
                '%' => "percent",
                '^' => "caret",
                '&' => "and",
                '|' => "or",
                '~' => "tilde",
                '_' => "underscore",
                ' ' => "space",
                '(' | ')' => "paren",
                '[' | ']' => "bracket",
                '{' | '}' => "brace",
                '\'' | '"' | '`' => "quote",
                _ => "",
            }
            .to_owned()
        })
        .map(|w| if w.is_empty() { "symbol".to_owned() } else { w })
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        out.push(c.to_ascii_uppercase());
        out.extend(chars);
    }
    out
}

/// `PascalCase` of a wire name, without keyword or collision handling.
pub(crate) fn pascal(raw: &str) -> String {
    let mut out = String::new();
    let mut prev_digit = false;
    for w in words(raw) {
        let starts_digit = w.starts_with(|c: char| c.is_ascii_digit());
        if prev_digit && starts_digit {
            out.push('_');
        }
        prev_digit = w.ends_with(|c: char| c.is_ascii_digit());
        out.push_str(&capitalize(&w));
    }
    out
}

/// `snake_case` of a wire name, without keyword or collision handling.
pub(crate) fn snake(raw: &str) -> String {
    words(raw).join("_")
}

/// A type name (struct, enum, alias) for a wire name: `PascalCase`, never a keyword, never
/// starting with a digit.
pub(crate) fn type_name(raw: &str) -> String {
    let mut name = pascal(raw);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if name == "Self" {
        name.push_str("Type");
    }
    name
}

/// An enum variant name for a wire value.
pub(crate) fn variant_name(raw: &str) -> String {
    let mut name = pascal(raw);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// A field, method, parameter or local name: `snake_case`, keywords as raw identifiers
/// (`r#type`) except those that cannot be raw (`self_`).
pub(crate) fn value_name(raw: &str) -> String {
    let mut name = snake(raw);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

/// A module (and file) name for a tag: `snake_case`, keywords get a `_` suffix because file
/// names cannot carry `r#`; so does `operations`, the module tag modules live in.
pub(crate) fn module_name(raw: &str) -> String {
    let mut name = snake(raw);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if is_keyword(&name) || NOT_RAW.contains(&name.as_str()) || name == "operations" {
        name.push('_');
    }
    name
}

/// A name reduced to its lower-case letters and digits, for comparing names spelled in
/// different cases and separators (`page-token`, `pageToken`, `page_token` → `pagetoken`).
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The catch-all variant of an enum or tagged union (values added to the API later): the
/// first of `Unknown`, `UnknownValue`, `Other` that no variant took.
pub(crate) fn unknown_variant(scope: &mut Scope) -> String {
    scope.claim_first(&[
        "Unknown".to_owned(),
        "UnknownValue".to_owned(),
        "Other".to_owned(),
    ])
}

/// The generated webhook enum (in its own module, `webhooks`), and its variant for event
/// types the document does not know (no event type's variant may take it).
pub(crate) const WEBHOOK_EVENT: &str = "Event";
pub(crate) const WEBHOOK_UNKNOWN: &str = "Unknown";

/// The identifier without a raw prefix: `r#type` → `type`.
pub(crate) fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Whether `s` can be turned into a `proc_macro2::Ident` (plain or `r#` raw) without panicking.
pub(crate) fn is_valid_ident(s: &str) -> bool {
    let (raw, body) = match s.strip_prefix("r#") {
        Some(b) => (true, b),
        None => (false, s),
    };
    let mut chars = body.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return false;
    }
    if body == "_" {
        return false;
    }
    if raw {
        !NOT_RAW.contains(&body)
    } else {
        !is_keyword(body)
    }
}

/// Singular form of an English plural, for naming array items (`pipelines` → `pipeline`).
/// Deliberately simple; unknown shapes are returned unchanged.
pub(crate) fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let keep = ["ss", "us", "is", "news", "series", "status"];
    if keep.iter().any(|k| lower.ends_with(k)) || lower.len() < 3 {
        return word.to_owned();
    }
    for (plural, single) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("uses", "us"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
    ] {
        if lower.ends_with(plural) {
            let cut = word.len() - plural.len();
            return format!("{}{}", &word[..cut], single);
        }
    }
    if lower.ends_with('s') {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// Names already used in one scope (one struct's fields, one enum's variants, all types…).
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A scope where `reserved` names are already taken.
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }

    /// Takes `name` if free, otherwise the first free `name_2`, `name_3`… (snake case) or
    /// `Name2`, `Name3`… (Pascal case; `V1_0_2` when the name already ends in a digit).
    pub(crate) fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(unraw(name).to_owned()) {
            return name.to_owned();
        }
        let base = unraw(name);
        let pascal = base.starts_with(|c: char| c.is_ascii_uppercase());
        let mut n = 2u64;
        loop {
            let candidate = if (pascal && !base.ends_with(|c: char| c.is_ascii_digit()))
                || base.ends_with('_')
            {
                format!("{base}{n}")
            } else {
                format!("{base}_{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Takes the first free name among `candidates`; if all are taken, numbers the first.
    pub(crate) fn claim_first(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if !self.is_taken(c) {
                return self.claim(c);
            }
        }
        match candidates.first() {
            Some(c) => self.claim(c),
            None => self.claim("Type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(type_name("context_list"), "ContextList");
        assert_eq!(type_name("pipelineRequest"), "PipelineRequest");
        assert_eq!(type_name("2fa-method"), "T2faMethod");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("1.1"), "V1_1");
        assert_eq!(variant_name("not-run"), "NotRun");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(value_name("created-at"), "created_at");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("Self"), "self_");
        assert_eq!(value_name("crate"), "crate_");
        assert_eq!(value_name("gen"), "r#gen");
        assert_eq!(value_name("+1"), "plus_1");
        assert_eq!(value_name("-1"), "minus_1");
        assert_eq!(value_name("a.b/c d"), "a_b_c_d");
        assert_eq!(value_name("2fa"), "n2fa");
        assert_eq!(value_name("é"), "u00e9");
        assert_eq!(value_name("_"), "underscore");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("Operations"), "operations_");
        assert_eq!(
            module_name("OIDC Token Management"),
            "oidc_token_management"
        );
    }

    #[test]
    fn every_produced_name_is_a_valid_identifier() {
        for raw in [
            "", "_", "__", "self", "Self", "super", "crate", "type", "r#type", "1", "é", "日本",
            "a b", "$x", "-", "+", "0x", "async",
        ] {
            assert!(
                is_valid_ident(&value_name(raw)),
                "{raw:?} → {}",
                value_name(raw)
            );
            assert!(
                is_valid_ident(&type_name(raw)),
                "{raw:?} → {}",
                type_name(raw)
            );
            assert!(
                is_valid_ident(&variant_name(raw)),
                "{raw:?} → {}",
                variant_name(raw)
            );
            assert!(
                is_valid_ident(&module_name(raw)),
                "{raw:?} → {}",
                module_name(raw)
            );
        }
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut s = Scope::new();
        assert_eq!(s.claim("created_at"), "created_at");
        assert_eq!(s.claim("created_at"), "created_at_2");
        assert_eq!(s.claim("r#type"), "r#type");
        assert_eq!(s.claim("type"), "type_2");
        assert_eq!(s.claim("self_"), "self_");
        assert_eq!(s.claim("self_"), "self_2");
        let mut t = Scope::with_reserved(&["Unknown"]);
        assert_eq!(t.claim("Unknown"), "Unknown2");
        assert_eq!(t.claim("V1_0"), "V1_0");
        assert_eq!(t.claim("V1_0"), "V1_0_2");
    }

    #[test]
    fn singular_forms() {
        assert_eq!(singular("items"), "item");
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("data"), "data");
    }
}
