//! The path generated clients decode responses with: `decode::from_json` (the generated
//! `FromJson` reader, streaming over the body's text), for every field form, and the errors
//! it reports. (`serde_json::from_value` in the other tests goes through the generated
//! `Deserialize`, which uses the same reader.)

use apigen_fixtures::all_of::types as a;
use apigen_fixtures::discriminated::types as d;
use apigen_fixtures::enums::types as e;
use apigen_fixtures::maps::types as m;
use apigen_fixtures::names::types as n;
use apigen_fixtures::nullability_30::types as v30;
use apigen_fixtures::recursion::types as r;
use apigen_fixtures::untagged::types as u;
use apigen_runtime::json::FromJson;
use apigen_runtime::{DecodeError, RawResponse, StatusCode, decode};
use serde_json::{Value, json};

fn response(body: &Value) -> RawResponse {
    RawResponse {
        status: StatusCode::OK,
        headers: Default::default(),
        body: serde_json::to_vec(body).unwrap().into(),
    }
}

fn ok<T: FromJson>(body: Value) -> T {
    match decode::from_json::<T>(&response(&body), &mut apigen_runtime::Decoding::default()) {
        Ok(value) => value,
        Err(e) => panic!("{body} did not decode: {e}"),
    }
}

fn fails<T: FromJson + std::fmt::Debug>(body: Value) -> DecodeError {
    match decode::from_json::<T>(&response(&body), &mut apigen_runtime::Decoding::default()) {
        Ok(value) => panic!("{body} decoded as {value:?}"),
        Err(e) => e,
    }
}

#[test]
fn required_optional_and_nullable_fields() {
    let base = json!({"id": "t1", "required_nullable": "x", "required_x_nullable": 1});
    let with = |member: &str, value: Value| {
        let mut body = base.clone();
        body[member] = value;
        ok::<v30::Thing>(body)
    };
    // Required: present; a missing one is an error at the object.
    assert_eq!(ok::<v30::Thing>(base.clone()).id, "t1");
    let mut missing = base.clone();
    missing.as_object_mut().unwrap().remove("id");
    let error = fails::<v30::Thing>(missing);
    assert_eq!((error.path(), error.message()), (Some("."), "missing field `id`"));
    let error = fails::<v30::Thing>(json!({"id": 5}));
    assert_eq!(error.path(), Some("id"));
    assert_eq!(error.message(), "invalid type: integer `5`, expected a string");
    // Required + nullable: null is None (and, as serde reads an `Option`, so is absent).
    assert_eq!(with("required_nullable", Value::Null).required_nullable, None);
    assert_eq!(ok::<v30::Thing>(json!({"id": "t"})).required_nullable, None);
    // Optional: absent or null is None.
    assert_eq!(ok::<v30::Thing>(base.clone()).optional, None);
    assert_eq!(with("optional", Value::Null).optional, None);
    assert_eq!(with("optional", json!("o")).optional.as_deref(), Some("o"));
    // Optional + nullable: absent, null and a value stay apart.
    assert_eq!(ok::<v30::Thing>(base.clone()).optional_nullable, None);
    assert_eq!(with("optional_nullable", Value::Null).optional_nullable, Some(None));
    assert_eq!(
        with("optional_nullable", json!("v")).optional_nullable,
        Some(Some("v".to_owned()))
    );
    let error = fails::<v30::Thing>({
        let mut body = base.clone();
        body["nullable_list"] = json!(["a", null, 3]);
        body
    });
    assert_eq!(error.path(), Some("nullable_list[2]"));
    // Free-form: any value, null is None.
    assert_eq!(with("anything", json!({"k": [1]})).anything, Some(json!({"k": [1]})));
    // Unknown members are ignored.
    assert_eq!(with("added_later", json!({"deep": [1]})).id, "t1");
    // A struct is an object.
    let error = fails::<v30::Thing>(json!(["t1", null, null]));
    assert_eq!(error.message(), "invalid type: sequence, expected an object");
}

#[test]
fn renamed_members_are_read_by_wire_name() {
    let c: n::Client = ok(json!({"type": "t", "self": "s", "Self": "S", "+1": 1, "created-at": "x", "created_at": "y", "a.b/c": "p"}));
    assert_eq!(c.r#type.as_deref(), Some("t"));
    assert_eq!((c.self_.as_deref(), c.self_2.as_deref()), (Some("s"), Some("S")));
    assert_eq!(c.plus_1, Some(1));
    assert_eq!((c.created_at.as_deref(), c.created_at_2.as_deref()), (Some("x"), Some("y")));
    assert_eq!(c.a_b_c.as_deref(), Some("p"));
    let error = fails::<n::Client>(json!({"a.b/c": 1}));
    assert_eq!(error.path(), Some("a.b/c"));
}

#[test]
fn flattened_fields_take_the_undeclared_members() {
    let annotated: m::Annotated = ok(json!({"kind": "k", "x": 1, "y": 2}));
    assert_eq!(annotated.kind, "k");
    assert_eq!(annotated.additional_properties.len(), 2);
    let error = fails::<m::Annotated>(json!({"kind": "k", "x": "one"}));
    assert_eq!(error.path(), Some("x"));

    let vehicle: a::Vehicle = ok(json!({"wheels": 3, "engine": "v8"}));
    assert!(matches!(vehicle.variant, a::VehicleVariant::Engine(ref e) if e.engine == "v8"));
    let error = fails::<a::Vehicle>(json!({"wheels": 3}));
    assert_eq!(error.path(), Some("."));
    assert!(
        error.message().starts_with("data did not match any variant of untagged enum VehicleVariant ("),
        "{}",
        error.message()
    );
    assert!(error.message().contains("missing field `engine`"), "{}", error.message());

    // Two flattened fields each see the members the struct does not declare.
    let labelled: a::Labelled = ok(json!({"name": "n", "size": 3, "x": 4}));
    assert_eq!(labelled.name, "n");
    assert_eq!(
        labelled.additional_properties.keys().collect::<Vec<_>>(),
        ["size", "x"]
    );
    assert!(matches!(labelled.variant, a::LabelledVariant::Size(ref s) if s.size == 3));
}

#[test]
fn boxes_recursion_and_newtypes() {
    let node: r::Node = ok(json!({"name": "a", "parent": {"name": "p"}, "first_child": null, "children": [{"name": "c"}]}));
    assert_eq!(node.parent.map(|p| p.name).as_deref(), Some("p"));
    assert_eq!(node.first_child, Some(None));
    let error = fails::<r::Node>(json!({"name": "a", "children": [{"name": "c"}, {"name": "d", "parent": {}}]}));
    assert_eq!(error.path(), Some("children[1].parent"));
    assert_eq!(error.message(), "missing field `name`");
    let forest: r::Forest = ok(json!([[], [[]]]));
    assert_eq!(forest.0.len(), 2);
}

#[test]
fn enums_and_unions() {
    assert_eq!(ok::<e::JobStatus>(json!("on-hold")), e::JobStatus::OnHold);
    assert_eq!(
        ok::<e::JobStatus>(json!("blocked")).as_str(),
        "blocked"
    );
    assert_eq!(
        fails::<e::JobStatus>(json!(1)).message(),
        "invalid type: integer `1`, expected a string"
    );
    let pets: Vec<d::Pet> = ok(json!([{"pet_type": "cat", "name": "Tom", "lives": 9}, {"pet_type": "parrot"}]));
    assert!(matches!(&pets[0], d::Pet::Cat(c) if c.lives == Some(9)));
    assert!(matches!(&pets[1], d::Pet::Unknown(v) if v["pet_type"] == "parrot"));
    let error = fails::<Vec<d::Pet>>(json!([{"pet_type": "cat"}]));
    assert_eq!((error.path(), error.message()), (Some("[0]"), "missing field `name`"));
    assert!(matches!(ok::<u::Trigger>(json!(7)), u::Trigger::Integer(7)));
    assert!(matches!(ok::<u::Trigger>(json!({"id": "a"})), u::Trigger::Minimal(_)));
}

#[test]
fn a_uri_member_keeps_whatever_link_the_server_sent() {
    use apigen_fixtures::formats::types as f;
    // Twilio's documented answers put relative references in members its document calls
    // `format: uri`; Prism fills `format: url` members (not a JSON Schema format) with words.
    let sample = |link: &str| {
        json!({"at": "2024-01-02T03:04:05Z", "day": "2024-01-02",
               "id": "00000000-0000-0000-0000-000000000001", "link": link, "small": 1, "big": 2,
               "ratio": 0.5, "precise": 0.25, "flag": true})
    };
    for link in ["/2010-04-01/Accounts/AC1/Calls.json?Page=0", "ullamco nulla", "https://a.example/x"] {
        let value: f::Sample = ok(sample(link));
        assert_eq!(value.link.as_str(), link);
        assert_eq!(serde_json::to_value(&value).unwrap()["link"], link);
    }
    let relative: f::Sample = ok(sample("/a/b?c=1"));
    let base = apigen_runtime::url::Url::parse("https://api.example.com/x/").unwrap();
    assert_eq!(relative.link.resolve(&base).unwrap().as_str(), "https://api.example.com/a/b?c=1");
    assert!(relative.link.to_url().is_err());
    // A link of another kind is still an error, named at its path.
    let mut wrong = sample("x");
    wrong["link"] = json!(7);
    let error = fails::<f::Sample>(wrong);
    assert!(error.to_string().contains("`link`"), "{error}");
}
