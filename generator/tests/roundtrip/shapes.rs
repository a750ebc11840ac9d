//! Recursion, maps, allOf merges and awkward names.

use apigen_fixtures::all_of::types as a;
use apigen_fixtures::maps::types as m;
use apigen_fixtures::names::types as n;
use apigen_fixtures::recursion::types as r;
use serde_json::json;

#[test]
fn recursive_types_decode_and_encode() {
    let value = json!({"name": "root", "children": [{"name": "a", "children": []}], "parent": {"name": "up"}, "first_child": null});
    let node: r::Node = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(node.children.as_ref().unwrap()[0].name, "a");
    assert_eq!(node.parent.as_ref().unwrap().name, "up");
    assert_eq!(node.first_child, Some(None));
    assert_eq!(serde_json::to_value(&node).unwrap(), value);

    let e: r::Expr = serde_json::from_value(json!({"left": {"value": 1.0}, "right": {"left": {"value": 2.0}, "right": {"value": 3.0}}})).unwrap();
    assert!(matches!(e, r::Expr::Sum(ref s) if matches!(*s.right, r::Expr::Sum(_))));
    let forest: r::Forest = serde_json::from_value(json!([[], [[]]])).unwrap();
    assert_eq!(forest.0.len(), 2);
    let j: r::Json = serde_json::from_value(json!({"a": {"b": {}}})).unwrap();
    assert!(j.0["a"].0.contains_key("b"));
}

#[test]
fn maps_and_extra_properties() {
    let s: m::Settings = serde_json::from_value(json!({
        "labels": {"team": "core"},
        "counters": {"x": {"value": 1}},
        "free_form": {"k": [1, 2]},
        "closed": {"a": "b"},
        "new_field": 1
    }))
    .unwrap();
    assert_eq!(s.labels["team"], "core");
    assert_eq!(s.counters.as_ref().unwrap()["x"].value, Some(1));
    assert_eq!(s.free_form.as_ref().unwrap()["k"], json!([1, 2]));
    let a: m::Annotated = serde_json::from_value(json!({"kind": "k", "x": 1, "y": 2})).unwrap();
    assert_eq!(a.kind, "k");
    assert_eq!(a.additional_properties.get("y"), Some(&2));
    assert_eq!(serde_json::to_value(&a).unwrap(), json!({"kind": "k", "x": 1, "y": 2}));
}

#[test]
fn all_of_merges_members() {
    let p: a::ProjectDetails = serde_json::from_value(json!({"id": "1", "name": "n", "vcs_url": "u", "created_at": "2024-01-01T00:00:00Z"})).unwrap();
    assert_eq!((p.id.as_str(), p.name.as_str(), p.vcs_url.as_str()), ("1", "n", "u"));
    assert!(p.created_at.is_some());
    // Received types are `#[non_exhaustive]`: built by decoding, as a user's test would.
    let w: a::Wrapped = serde_json::from_value(json!({"base": {"id": "x"}})).unwrap();
    assert_eq!(serde_json::to_value(&w).unwrap(), json!({"base": {"id": "x"}}));
    let count: a::Count = 5;
    assert_eq!(count, 5i64);
    let v: a::Vehicle = serde_json::from_value(json!({"wheels": 2, "pedals": 2})).unwrap();
    assert_eq!(v.wheels, 2);
    assert!(matches!(v.variant, a::VehicleVariant::Pedals(_)));
    assert_eq!(serde_json::to_value(&v).unwrap(), json!({"wheels": 2, "pedals": 2}));
}

#[test]
fn names_that_collide_with_rust_keep_their_wire_names() {
    let c: n::Client = serde_json::from_value(json!({
        "type": "t", "self": "s", "Self": "S", "crate": "c", "async": "a", "+1": 1, "-1": -1,
        "created-at": "x", "created_at": "y", "createdAt": "z", "1st": "f", "": "e", "a.b/c": "p", "é": "u"
    }))
    .unwrap();
    assert_eq!(c.r#type.as_deref(), Some("t"));
    assert_eq!((c.self_.as_deref(), c.self_2.as_deref()), (Some("s"), Some("S")));
    assert_eq!((c.plus_1, c.minus_1), (Some(1), Some(-1)));
    assert_eq!((c.created_at.as_deref(), c.created_at_2.as_deref(), c.created_at_3.as_deref()), (Some("x"), Some("y"), Some("z")));
    assert_eq!((c.n1st.as_deref(), c.empty.as_deref(), c.a_b_c.as_deref(), c.u00e9.as_deref()), (Some("f"), Some("e"), Some("p"), Some("u")));
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back["a.b/c"], "p");
    // Schemas called Result, Option and Error are ordinary types here.
    let result: n::Result = serde_json::from_value(json!({"ok": {"String": "s", "Vec": ["v"], "Box": true}, "err": {"message": "m"}})).unwrap();
    assert_eq!(result.ok.string.as_deref(), Some("s"));
    assert_eq!(result.err.and_then(|e| e.message).as_deref(), Some("m"));
    // Two schemas whose names clean to the same identifier are both kept.
    let _: (n::ContextList, n::ContextList2) =
        (serde_json::from_value(json!({})).unwrap(), serde_json::from_value(json!({"b": 1})).unwrap());
}
