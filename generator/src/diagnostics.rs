//! Diagnostics: what the generator could not express, where, and why.
//!
//! Every problem found in a document becomes a [`Diagnostic`] that names the place with a JSON
//! pointer into the document (`#/paths/~1context/get/responses/200`) and says what is wrong
//! in words a spec author can act on. Diagnostics are collected, never thrown: the generator
//! keeps going after a problem so that one run reports all of them. Errors stop generation
//! at the end of the run; warnings travel with the output.

use std::collections::HashSet;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The document cannot be turned into a correct client; nothing is generated.
    Error,
    /// Something was approximated or left out; the output is still generated.
    Warning,
    /// The generator itself went wrong on this input (a bug to report, not a fault of the
    /// document); nothing is generated. Caught panics and output that would not compile end
    /// here, so a bug never crashes the caller and is never mistaken for a refusal.
    Bug,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Bug => "internal error (a generator bug; please report it with the document)",
        })
    }
}

/// One finding about the input document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer (URI fragment form) of the node the finding is about, e.g.
    /// `#/components/schemas/Pipeline/properties/state`.
    pub pointer: String,
    /// What is wrong, and what the generator did about it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.severity, self.pointer, self.message)
    }
}

/// The collector threaded through every stage.
///
/// Identical diagnostics (same severity, pointer and message) are reported once: a schema
/// reached through several `$ref`s is looked at several times, but its problems are one.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    list: Vec<Diagnostic>,
    seen: HashSet<(Severity, String, String)>,
    /// Keys of warnings that must be reported once per document, not once per place
    /// (e.g. "unknown format `decimal`").
    once: HashSet<String>,
}

impl Diagnostics {
    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Error, pointer, message.into());
    }

    pub(crate) fn warning(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, pointer, message.into());
    }

    /// A generator bug found on this input: stops generation like an error.
    pub(crate) fn bug(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Bug, pointer, message.into());
    }

    /// A warning reported only the first time `key` is seen in this run.
    pub(crate) fn warning_once(&mut self, key: &str, pointer: &str, message: impl Into<String>) {
        if self.once.insert(key.to_owned()) {
            self.warning(pointer, message);
        }
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String) {
        if self
            .seen
            .insert((severity, pointer.to_owned(), message.clone()))
        {
            self.list.push(Diagnostic {
                severity,
                pointer: pointer.to_owned(),
                message,
            });
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity != Severity::Warning)
    }

    /// Splits the collected diagnostics into (errors and bugs, warnings), each in discovery
    /// order.
    pub(crate) fn into_parts(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        self.list
            .into_iter()
            .partition(|d| d.severity != Severity::Warning)
    }
}

/// Escapes one reference token for a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`.
pub(crate) fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// `base` + `/` + escaped `token`.
pub(crate) fn child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&escape_token(token));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("#/paths", "/context/{id}"), "#/paths/~1context~1{id}");
        assert_eq!(child("#", "a~b"), "#/a~0b");
    }

    #[test]
    fn duplicates_are_reported_once_and_display_names_the_place() {
        let mut d = Diagnostics::default();
        d.error("#/a", "bad");
        d.error("#/a", "bad");
        d.warning_once("fmt:x", "#/b", "unknown format");
        d.warning_once("fmt:x", "#/c", "unknown format");
        let (errors, warnings) = d.into_parts();
        assert_eq!(errors.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert_eq!(errors[0].to_string(), "error: #/a: bad");
        assert_eq!(warnings[0].pointer, "#/b");
    }
}
