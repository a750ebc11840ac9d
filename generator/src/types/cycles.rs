//! Where recursion needs indirection: by-value cycles among named types get a `Box`, and
//! cycles that go through no structure at all are reported.

use crate::diagnostics::Diagnostics;
use crate::model::{Kind, TypeId, Types};

/// By-value edges of a named type: the named types it contains without indirection.
fn value_edges(types: &Types, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut push = |t: TypeId| {
        let (t, _) = types.strip_option(t);
        if types.kind(t).is_named() {
            out.push(t);
        }
    };
    match types.kind(id) {
        Kind::Struct(s) => s.fields.iter().for_each(|f| push(f.ty)),
        Kind::Union(u) => u.variants.iter().for_each(|v| push(v.ty)),
        Kind::Newtype { inner, .. } => push(*inner),
        Kind::ComponentAlias(inner) => push(*inner),
        _ => {}
    }
    out
}

/// Strongly connected components (Tarjan, iterative) of the by-value graph; returns the
/// component index of every type.
fn components(types: &Types) -> Vec<usize> {
    let n = types.defs.len();
    let edges: Vec<Vec<TypeId>> = (0..n).map(|i| value_edges(types, TypeId(i))).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut ncomp = 0usize;
    for root in 0..n {
        if index.get(root) != Some(&usize::MAX) {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((v, ei)) = work.pop() {
            if ei == 0 {
                if let Some(x) = index.get_mut(v) {
                    *x = next;
                }
                if let Some(x) = low.get_mut(v) {
                    *x = next;
                }
                next += 1;
                stack.push(v);
                if let Some(x) = on_stack.get_mut(v) {
                    *x = true;
                }
            }
            let succ = edges.get(v).and_then(|e| e.get(ei)).map(|t| t.0);
            if let Some(w) = succ {
                work.push((v, ei + 1));
                if index.get(w) == Some(&usize::MAX) {
                    work.push((w, 0));
                } else if on_stack.get(w) == Some(&true) {
                    let iw = index.get(w).copied().unwrap_or(0);
                    if let Some(x) = low.get_mut(v) {
                        *x = (*x).min(iw);
                    }
                }
                continue;
            }
            // All successors done.
            if low.get(v) == index.get(v) {
                while let Some(w) = stack.pop() {
                    if let Some(x) = on_stack.get_mut(w) {
                        *x = false;
                    }
                    if let Some(x) = comp.get_mut(w) {
                        *x = ncomp;
                    }
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                let lv = low.get(v).copied().unwrap_or(0);
                if let Some(x) = low.get_mut(parent) {
                    *x = (*x).min(lv);
                }
            }
        }
    }
    comp
}

/// Marks every by-value edge inside a cycle as boxed, so every type has a finite size, and
/// removes union variants that lead back to their union without passing through an object
/// (serde would recurse forever trying them).
pub(crate) fn break_cycles(types: &mut Types, diags: &mut Diagnostics) {
    remove_transparent_cycles(types, diags);
    let comp = components(types);
    let same = |a: TypeId, b: TypeId| comp.get(a.0).is_some() && comp.get(a.0) == comp.get(b.0);
    let n = types.defs.len();
    for i in 0..n {
        let id = TypeId(i);
        let edges: Vec<(usize, bool)> = match types.kind(id) {
            Kind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    let (t, _) = types.strip_option(f.ty);
                    (k, types.kind(t).is_named() && same(id, t))
                })
                .collect(),
            Kind::Union(u) => u
                .variants
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let (t, _) = types.strip_option(v.ty);
                    (k, types.kind(t).is_named() && same(id, t))
                })
                .collect(),
            Kind::Newtype { inner, .. } => {
                let (t, _) = types.strip_option(*inner);
                vec![(0, types.kind(t).is_named() && same(id, t))]
            }
            _ => Vec::new(),
        };
        if let Some(def) = types.defs.get_mut(i) {
            match &mut def.kind {
                Kind::Struct(s) => {
                    for (k, b) in edges {
                        if let Some(f) = s.fields.get_mut(k) {
                            f.boxed = b;
                        }
                    }
                }
                Kind::Union(u) => {
                    for (k, b) in edges {
                        if let Some(v) = u.variants.get_mut(k) {
                            v.boxed = b;
                        }
                    }
                }
                Kind::Newtype { boxed, .. } => *boxed = edges.first().is_some_and(|(_, b)| *b),
                _ => {}
            }
        }
    }
}

fn remove_transparent_cycles(types: &mut Types, diags: &mut Diagnostics) {
    // Edges between unions/newtypes/aliases that decode the same JSON value.
    let n = types.defs.len();
    let transparent = |types: &Types, t: TypeId| {
        matches!(
            types.kind(t),
            Kind::Union(_) | Kind::Newtype { .. } | Kind::ComponentAlias(_)
        )
    };
    let mut state = vec![0u8; n]; // 0 new, 1 on path, 2 done
    for root in 0..n {
        if state.get(root) != Some(&0) || !transparent(types, TypeId(root)) {
            continue;
        }
        // Iterative DFS over (node, next edge index).
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(s) = state.get_mut(root) {
            *s = 1;
        }
        while let Some(&(v, ei)) = path.last() {
            let targets: Vec<TypeId> = match types.kind(TypeId(v)) {
                Kind::Union(u) => u
                    .variants
                    .iter()
                    .map(|x| types.strip_option(x.ty).0)
                    .collect(),
                Kind::Newtype { inner, .. } => vec![types.strip_option(*inner).0],
                Kind::ComponentAlias(inner) => vec![types.strip_option(*inner).0],
                _ => Vec::new(),
            };
            let Some(&w) = targets.get(ei) else {
                if let Some(s) = state.get_mut(v) {
                    *s = 2;
                }
                path.pop();
                continue;
            };
            if let Some(last) = path.last_mut() {
                last.1 += 1;
            }
            if !transparent(types, w) {
                continue;
            }
            match state.get(w.0) {
                Some(0) => {
                    if let Some(s) = state.get_mut(w.0) {
                        *s = 1;
                    }
                    path.push((w.0, 0));
                }
                Some(1) => {
                    // Back edge v → w: drop it if v is a union with other variants.
                    let pos = match types.kind(TypeId(v)) {
                        Kind::Union(u) if u.variants.len() > 1 => u
                            .variants
                            .iter()
                            .position(|x| types.strip_option(x.ty).0 == w),
                        _ => None,
                    };
                    if let Some(pos) = pos {
                        let origin = types
                            .defs
                            .get(v)
                            .map(|d| d.origin.clone())
                            .unwrap_or_default();
                        if let Some(Kind::Union(u)) = types.defs.get_mut(v).map(|d| &mut d.kind) {
                            u.variants.remove(pos);
                        }
                        if let Some(last) = path.last_mut() {
                            last.1 = last.1.saturating_sub(1);
                        }
                        diags.warning(
                            &origin,
                            "a union member leads back to the union without any object in between; the member is removed",
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Kind;
    use crate::types::{convert_schemas, named};

    #[test]
    fn a_struct_that_contains_itself_is_boxed() {
        let (types, found) = convert_schemas(
            "Node:\n  type: object\n  required: [next]\n  properties:\n    next: {$ref: '#/components/schemas/Node'}\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let Kind::Struct(s) = named(&types, "Node") else {
            panic!()
        };
        assert!(s.fields[0].boxed);
    }

    #[test]
    fn a_list_breaks_the_cycle_without_a_box() {
        let (types, _) = convert_schemas(
            "Tree:\n  type: object\n  properties:\n    children: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n",
        );
        let Kind::Struct(s) = named(&types, "Tree") else {
            panic!()
        };
        assert!(!s.fields[0].boxed);
    }

    #[test]
    fn every_by_value_edge_of_a_cycle_is_boxed() {
        let (types, _) = convert_schemas(
            "A:\n  type: object\n  required: [b]\n  properties:\n    b: {$ref: '#/components/schemas/B'}\n\
             B:\n  type: object\n  required: [a]\n  properties:\n    a: {$ref: '#/components/schemas/A'}\n",
        );
        let boxed = ["A", "B"]
            .iter()
            .filter(|name| match named(&types, name) {
                Kind::Struct(s) => s.fields.iter().any(|f| f.boxed),
                _ => false,
            })
            .count();
        assert_eq!(boxed, 2);
    }

    #[test]
    fn a_cycle_without_structure_is_an_error() {
        let (_, found) = convert_schemas(
            "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}\n",
        );
        assert!(
            found.iter().any(|d| d.contains("#/components/schemas/")),
            "{found:?}"
        );
    }
}
