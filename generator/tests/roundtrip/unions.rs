//! Discriminated and untagged unions choose the right variant; unknown tags are kept.

use apigen_fixtures::discriminated::types as d;
use apigen_fixtures::untagged::types as u;
use serde_json::json;

#[test]
fn discriminator_with_mapping() {
    let pets: Vec<d::Pet> = serde_json::from_value(json!([
        {"pet_type": "cat", "name": "Tom", "lives": 9},
        {"pet_type": "dog", "name": "Rex"},
        {"pet_type": "doggo", "name": "Fido", "good": true},
        {"pet_type": "parrot", "name": "Polly"}
    ]))
    .unwrap();
    assert!(matches!(&pets[0], d::Pet::Cat(c) if c.name == "Tom" && c.pet_type == "cat"));
    assert!(matches!(&pets[1], d::Pet::Dog(g) if g.name == "Rex"));
    assert!(matches!(&pets[2], d::Pet::Dog(g) if g.good == Some(true)));
    assert!(matches!(&pets[3], d::Pet::Unknown(v) if v["name"] == "Polly"));
    // Dog has no `pet_type` field of its own: serializing adds the tag.
    let dog = serde_json::to_value(&pets[1]).unwrap();
    assert_eq!(dog, json!({"pet_type": "dog", "name": "Rex"}));
    let cat = serde_json::to_value(&pets[0]).unwrap();
    assert_eq!(cat, json!({"pet_type": "cat", "name": "Tom", "lives": 9}));
    assert_eq!(serde_json::to_value(&pets[3]).unwrap(), json!({"pet_type": "parrot", "name": "Polly"}));
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let s: d::Shape = serde_json::from_value(json!({"kind": "Square", "side": 2.0})).unwrap();
    assert_eq!(s, d::Shape::Square(d::Square { kind: "Square".into(), side: 2.0 }));
    let bad = serde_json::from_value::<d::Shape>(json!({"kind": "Circle"}));
    assert!(bad.unwrap_err().to_string().contains("radius"));
}

#[test]
fn fixed_value_property_tags() {
    let events: Vec<d::Event> = serde_json::from_value(json!([
        {"type": "tag", "id": 4},
        {"type": "push", "url": "https://x"},
        {"type": "schedule"},
        {"type": "release", "id": 1}
    ]))
    .unwrap();
    assert!(matches!(&events[0], d::Event::Tag(e) if e.id == 4));
    assert!(matches!(&events[1], d::Event::Push(e) if e.url == "https://x"));
    assert!(matches!(&events[2], d::Event::Schedule(_)));
    assert!(matches!(&events[3], d::Event::Unknown(_)));
    assert_eq!(serde_json::to_value(&events[0]).unwrap(), json!({"type": "tag", "id": 4}));
}

#[test]
fn integer_fixed_value_property_tags() {
    let body = json!([
        {"type": 1, "components": [{"type": 2, "style": 1}, {"type": 10}]},
        {"type": 2, "style": 4},
        {"type": 99, "x": true}
    ]);
    let components: Vec<d::Component> = serde_json::from_value(body.clone()).unwrap();
    let d::Component::ActionRow(row) = &components[0] else { panic!("{components:?}") };
    assert!(matches!(&row.components[0], d::Component::Button(b) if b.style == 1));
    assert!(matches!(&row.components[1], d::Component::Separator(_)));
    assert!(matches!(&components[1], d::Component::Button(b) if b.style == 4));
    assert!(matches!(&components[2], d::Component::Unknown(_)));
    // Nothing is lost on the way back.
    assert_eq!(serde_json::to_value(&components).unwrap(), body);
}

#[test]
fn untagged_variants_are_tried_most_specific_first() {
    let cases = [
        (json!({"id": "a", "name": "n", "created_at": "2024-01-02T03:04:05Z"}), "Detailed"),
        (json!({"id": "a"}), "Minimal"),
        (json!([{"id": "a"}]), "MinimalList"),
        (json!("2024-01-02T03:04:05Z"), "DateTime"),
        (json!("all"), "Known"),
        // The enum keeps strings it does not know, so it also takes other strings.
        (json!("anything else"), "Known"),
        (json!(7), "Integer"),
        (json!(7.5), "Number"),
        (json!(true), "Value"),
    ];
    for (value, expected) in cases {
        let t: u::Trigger = serde_json::from_value(value.clone()).unwrap();
        let got = match &t {
            u::Trigger::Detailed(_) => "Detailed",
            u::Trigger::Minimal(_) => "Minimal",
            u::Trigger::MinimalList(_) => "MinimalList",
            u::Trigger::Known(_) => "Known",
            u::Trigger::DateTime(_) => "DateTime",
            u::Trigger::String(_) => "String",
            u::Trigger::Integer(_) => "Integer",
            u::Trigger::Number(_) => "Number",
            u::Trigger::Value(_) => "Value",
            _ => "a variant added later",
        };
        assert_eq!(got, expected, "{value}");
        assert_eq!(serde_json::to_value(&t).unwrap(), value);
    }
}

#[test]
fn any_of_objects_is_not_a_struct_requiring_both() {
    let r: u::PipelineRequest = serde_json::from_value(json!({"target": {"tag": "v1"}})).unwrap();
    assert_eq!(r.target, Some(u::PipelineRequestTarget::Tag(u::PipelineRequestTargetTag { tag: "v1".into() })));
    let r: u::PipelineRequest = serde_json::from_value(json!({"target": {"branch": "main"}})).unwrap();
    assert!(matches!(r.target, Some(u::PipelineRequestTarget::Branch(_))));
    let t: u::Timetable = serde_json::from_value(json!({"per_hour": 1, "days_of_month": [1]})).unwrap();
    assert!(matches!(t, u::Timetable::DaysOfMonth(_)));
}

#[test]
fn scalar_unions_decode_each_kind() {
    let r: u::PipelineRequest = serde_json::from_value(json!({"parameters": {"a": 1, "b": "two", "c": false}})).unwrap();
    let p = r.parameters.unwrap();
    assert_eq!(p["a"], u::PipelineRequestParameterValue::Integer(1));
    assert_eq!(p["b"], u::PipelineRequestParameterValue::String("two".into()));
    assert_eq!(p["c"], u::PipelineRequestParameterValue::Boolean(false));
    assert!(serde_json::from_value::<u::PipelineRequestParameterValue>(json!(1.5)).is_err());
}
