//! Required, optional and nullable stay distinct (3.0 `nullable`/`x-nullable` and 3.1 forms).

use apigen_fixtures::nullability_30::types as v30;
use apigen_fixtures::nullability_31::types as v31;
use serde_json::json;

#[test]
fn required_nullable_is_present_as_null_optional_is_absent() {
    let thing: v30::Thing = serde_json::from_value(json!({
        "id": "t1",
        "required_nullable": null,
        "required_x_nullable": 3,
        "nullable_ref": null,
        "optional_nullable": null
    }))
    .unwrap();
    assert_eq!(thing.required_nullable, None);
    assert_eq!(thing.required_x_nullable, Some(3));
    assert_eq!(thing.optional, None);
    // Optional + nullable: absent and null are different.
    assert_eq!(thing.optional_nullable, Some(None));
    assert_eq!(thing.optional_x_nullable, None);
    assert_eq!(thing.nullable_ref, None);

    let back = serde_json::to_value(&thing).unwrap();
    assert_eq!(
        back,
        json!({
            "id": "t1",
            "required_nullable": null,
            "required_x_nullable": 3,
            "optional_nullable": null,
            "nullable_ref": null
        })
    );
}

#[test]
fn present_values_and_extra_fields_decode() {
    let thing: v30::Thing = serde_json::from_value(json!({
        "id": "t1",
        "required_nullable": "x",
        "required_x_nullable": null,
        "nullable_ref": {"name": "ann"},
        "optional_nullable_ref": {"name": "bob"},
        "nullable_list": ["a", null],
        "a_field_added_later": {"deep": [1, 2]}
    }))
    .unwrap();
    assert_eq!(thing.required_nullable.as_deref(), Some("x"));
    assert_eq!(thing.nullable_ref.as_ref().map(|o| o.name.as_str()), Some("ann"));
    assert_eq!(
        thing.optional_nullable_ref.as_ref().map(|o| o.as_ref().map(|o| o.name.as_str())),
        Some(Some("bob"))
    );
    assert_eq!(thing.nullable_list, Some(Some(vec![Some("a".into()), None])));
}

#[test]
fn a_required_non_nullable_field_must_be_there() {
    let err = serde_json::from_value::<v30::Thing>(json!({"required_nullable": null})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[test]
fn openapi_31_forms() {
    let thing: v31::Thing = serde_json::from_value(json!({
        "id": "7f1f7a9e-4d5e-4f6a-8b9c-0d1e2f3a4b5c",
        "name": null,
        "count": 5,
        "owner": null,
        "tag": null,
        "labels": null,
        "state": "open",
        "constant": "fixed",
        "number_or_string": "seven"
    }))
    .unwrap();
    assert_eq!(thing.name, None);
    assert_eq!(thing.count, Some(5));
    assert_eq!(thing.owner, None);
    assert_eq!(thing.tag, Some(None));
    assert_eq!(thing.labels, Some(None));
    assert_eq!(thing.state, Some(Some(v31::ThingState::Open)));
    assert_eq!(thing.number_or_string, Some(v31::ThingNumberOrString::String("seven".into())));

    let with_owner: v31::Thing = serde_json::from_value(json!({
        "id": "7f1f7a9e-4d5e-4f6a-8b9c-0d1e2f3a4b5c",
        "name": "n",
        "count": null,
        "owner": {"login": "octo"},
        "number_or_string": 1.5
    }))
    .unwrap();
    assert_eq!(with_owner.owner.as_ref().map(|o| o.login.as_str()), Some("octo"));
    assert_eq!(with_owner.number_or_string, Some(v31::ThingNumberOrString::Number(1.5)));
    let back = serde_json::to_value(&with_owner).unwrap();
    assert_eq!(back["count"], json!(null));
    assert!(back.get("tag").is_none());
}
