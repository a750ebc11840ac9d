//! Type names: which name each named type of the arena gets.

use std::collections::BTreeMap;

use super::Scope;
use crate::diagnostics::Diagnostics;
use crate::model::{Hint, TypeId, Types};
use crate::naming;

/// The same naming context as `hint`, one level further in: `f` turns the part
/// (`Items` → `Item`, map values → `…Value`).
pub(crate) fn child_hint(hint: &Hint, f: impl FnOnce(&str) -> String) -> Hint {
    match hint {
        Hint::Component(name) => Hint::Root {
            base: naming::type_name(name),
            part: f(""),
        },
        Hint::Child { parent, part } => Hint::Child {
            parent: *parent,
            part: f(part),
        },
        Hint::Root { base, part } | Hint::ErrorBody { base, part } => Hint::Root {
            base: base.clone(),
            part: f(part),
        },
    }
}

/// Words that make poor type names on their own.
const GENERIC: &[&str] = &[
    "Object", "Response", "Request", "Data", "Item", "Items", "Body", "Result", "Value", "Values",
    "Type", "Schema", "Model", "Entity", "Payload", "Content", "Root", "Inner", "Default", "Base",
];

/// Longest contextual name used as is; longer ones prefer a shorter, nearer name.
const LONG: usize = 40;

/// Decides the Rust name of every named type.
///
/// Order: naming overrides, then components (document order, exact cleaned names), then every
/// other named type in creation order (which is document order), each taking the first free
/// candidate: its title, `Parent` + `Part` (`ScheduleTimetable`), or — when that gets long —
/// the nearer `Part` or `ParentPart` names; a taken name is numbered.
pub(crate) fn assign_names(
    types: &mut Types,
    overrides: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    let n = types.defs.len();
    let mut names: Vec<Option<String>> = vec![None; n];
    let mut shorts: Vec<Option<String>> = vec![None; n];
    let mut scope = Scope::new();
    let named: Vec<usize> = (0..n)
        .filter(|i| types.defs.get(*i).is_some_and(|d| d.kind.is_named()))
        .collect();

    for &i in &named {
        let Some(d) = types.defs.get(i) else { continue };
        let by_component = d.hints.iter().find_map(|h| match h {
            Hint::Component(c) => overrides.get(c),
            _ => None,
        });
        if let Some(wanted) = overrides.get(&d.origin).or(by_component) {
            let clean = naming::type_name(wanted);
            if clean != *wanted {
                diags.warning(
                    &d.origin,
                    format!(
                        "type name override `{wanted}` is not a Rust type name; `{clean}` is used"
                    ),
                );
            }
            let got = scope.claim(&clean);
            if got != clean {
                diags.warning(
                    &d.origin,
                    format!("type name override `{clean}` is taken; `{got}` is used"),
                );
            }
            if let Some(slot) = shorts.get_mut(i) {
                *slot = Some(got.clone());
            }
            if let Some(slot) = names.get_mut(i) {
                *slot = Some(got);
            }
        }
    }
    for &i in &named {
        if names.get(i).is_some_and(Option::is_some) {
            continue;
        }
        let Some(d) = types.defs.get(i) else { continue };
        if let Some(c) = d.hints.iter().find_map(|h| match h {
            Hint::Component(c) => Some(c),
            _ => None,
        }) {
            let got = scope.claim(&naming::type_name(c));
            if let Some(slot) = shorts.get_mut(i) {
                *slot = Some(got.clone());
            }
            if let Some(slot) = names.get_mut(i) {
                *slot = Some(got);
            }
        }
    }
    for &i in &named {
        let mut stack = Vec::new();
        name_of(
            TypeId(i),
            types,
            &mut names,
            &mut shorts,
            &mut scope,
            &mut stack,
        );
    }
    for (i, name) in names.into_iter().enumerate() {
        if let (Some(name), Some(d)) = (name, types.defs.get_mut(i)) {
            d.name = name;
        }
    }
}

fn name_of(
    id: TypeId,
    types: &Types,
    names: &mut Vec<Option<String>>,
    shorts: &mut Vec<Option<String>>,
    scope: &mut Scope,
    stack: &mut Vec<TypeId>,
) -> (String, String) {
    if let (Some(Some(n)), Some(Some(s))) = (names.get(id.0), shorts.get(id.0)) {
        return (n.clone(), s.clone());
    }
    let Some(def) = types.get(id) else {
        return ("Type".to_owned(), "Type".to_owned());
    };
    if !def.kind.is_named() {
        // Hints may name an alias placeholder; use what it forwards to.
        let r = types.resolve(id);
        if r != id && types.get(r).is_some_and(|d| d.kind.is_named()) && !stack.contains(&r) {
            stack.push(id);
            let out = name_of(r, types, names, shorts, scope, stack);
            stack.pop();
            return out;
        }
        return ("Type".to_owned(), "Type".to_owned());
    }
    if stack.contains(&id) || stack.len() > 64 {
        return ("Type".to_owned(), "Type".to_owned());
    }
    stack.push(id);
    let title = def
        .title
        .as_deref()
        .map(naming::type_name)
        .filter(|t| !t.is_empty() && t.len() <= LONG && !GENERIC.contains(&t.as_str()));
    let mut lists: Vec<(Vec<String>, String)> = Vec::new();
    let mut error_roles: Vec<(&String, &String)> = def
        .hints
        .iter()
        .filter_map(|h| match h {
            Hint::ErrorBody { base, part } => Some((base, part)),
            _ => None,
        })
        .collect();
    error_roles.sort();
    error_roles.dedup();
    if error_roles.len() >= 2 {
        lists.push((
            vec!["ErrorResponse".to_owned(), "ErrorBody".to_owned()],
            "ErrorResponse".to_owned(),
        ));
    }
    for hint in &def.hints {
        let (full, part, parent_short) = match hint {
            Hint::Component(c) => {
                let n = naming::type_name(c);
                (n.clone(), n, String::new())
            }
            Hint::Root { base, part } | Hint::ErrorBody { base, part } => {
                (format!("{base}{part}"), part.clone(), base.clone())
            }
            Hint::Child { parent, part } => {
                let (pname, pshort) = name_of(*parent, types, names, shorts, scope, stack);
                (format!("{pname}{part}"), part.clone(), pshort)
            }
        };
        let mut cands = Vec::new();
        if let Some(t) = &title {
            cands.push(t.clone());
        }
        let full = if full.is_empty() {
            "Type".to_owned()
        } else {
            full
        };
        if full.len() <= LONG {
            cands.push(full.clone());
        } else {
            let humps = part.chars().filter(char::is_ascii_uppercase).count();
            if humps >= 2 && !GENERIC.contains(&part.as_str()) {
                cands.push(part.clone());
            }
            let near = format!("{parent_short}{part}");
            if near.len() <= LONG && !parent_short.is_empty() {
                cands.push(near);
            }
            cands.push(full.clone());
        }
        lists.push((cands, part));
    }
    stack.pop();
    // A shared error name first; then the hint whose best candidate is shortest.
    let shared = usize::from(error_roles.len() >= 2);
    if let Some(rest) = lists.get_mut(shared..) {
        rest.sort_by_key(|(c, _)| c.first().map_or(usize::MAX, String::len));
    }
    let short = lists.first().map(|(_, p)| p.clone()).unwrap_or_default();
    let all: Vec<String> = lists.into_iter().flat_map(|(c, _)| c).collect();
    let all = if all.is_empty() {
        vec!["Type".to_owned()]
    } else {
        all
    };
    let name = scope.claim_first(&all);
    let short = if short.is_empty() {
        name.clone()
    } else {
        short
    };
    if let Some(slot) = names.get_mut(id.0) {
        *slot = Some(name.clone());
    }
    if let Some(slot) = shorts.get_mut(id.0) {
        *slot = Some(short.clone());
    }
    (name, short)
}

#[cfg(test)]
mod tests {
    use crate::types::convert_schemas;

    fn names(schemas: &str) -> Vec<String> {
        let (types, _) = convert_schemas(schemas);
        let mut out: Vec<String> = types
            .defs
            .iter()
            .filter(|d| d.kind.is_named())
            .map(|d| d.name.clone())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn components_keep_their_names_and_inline_types_take_their_place() {
        assert_eq!(
            names(
                "pipeline-list:\n  type: object\n  properties:\n    state: {type: string, enum: [a, b]}\n    items:\n      type: array\n      items: {type: object, properties: {id: {type: string}}}\n"
            ),
            ["PipelineList", "PipelineListItem", "PipelineListState"]
        );
    }

    #[test]
    fn titles_win_unless_taken() {
        let inline = "A:\n  type: object\n  properties:\n    x: {type: object, title: Settings, properties: {p: {type: string}}}\n";
        assert_eq!(names(inline), ["A", "Settings"]);
        // A component named like the title keeps it; the inline type is named by its place.
        assert_eq!(
            names(&format!(
                "{inline}Settings:\n  type: object\n  properties: {{q: {{type: integer}}}}\n"
            )),
            ["A", "AX", "Settings"]
        );
    }

    #[test]
    fn taken_names_are_numbered() {
        // The component `a_pet` and `A` + `pet` want the same name; the component has it.
        assert_eq!(
            names(
                "a_pet:\n  type: object\n  properties: {q: {type: integer}}\n\
                 A:\n  type: object\n  properties:\n    pet: {type: object, properties: {p: {type: string}}}\n"
            ),
            ["A", "APet", "APet2"]
        );
    }
}
