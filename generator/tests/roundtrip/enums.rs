//! String enums accept values added later and give them back unchanged.

use apigen_fixtures::enums::types::*;
use serde_json::json;

#[test]
fn known_values_map_to_variants_and_back() {
    for (wire, variant) in [
        ("success", JobStatus::Success),
        ("not_run", JobStatus::NotRun),
        ("on-hold", JobStatus::OnHold),
        ("1.0", JobStatus::V1_0),
        ("2fa", JobStatus::V2fa),
        ("unknown", JobStatus::Unknown),
        ("", JobStatus::Empty),
        ("Self", JobStatus::SelfValue),
        ("type", JobStatus::Type),
    ] {
        let decoded: JobStatus = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(decoded, variant);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(wire));
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(decoded.to_string(), wire);
        assert_eq!(wire.parse::<JobStatus>().unwrap(), variant);
    }
}

#[test]
fn unknown_values_round_trip() {
    let decoded: JobStatus = serde_json::from_value(json!("blocked")).unwrap();
    assert_eq!(decoded, JobStatus::UnknownValue("blocked".to_owned()));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!("blocked"));
    let job: Job = serde_json::from_value(json!({"status": "queued-for-later", "kind": "lint", "visibility": "public"})).unwrap();
    assert_eq!(job.status, JobStatus::UnknownValue("queued-for-later".to_owned()));
    assert_eq!(job.kind, Some(JobKind::Unknown("lint".to_owned())));
    assert_eq!(job.visibility, Some(JobVisibility::Public));
    let back = serde_json::to_value(&job).unwrap();
    assert_eq!(back, json!({"status": "queued-for-later", "kind": "lint", "visibility": "public"}));
}

#[test]
fn non_strings_are_rejected_and_integer_enums_stay_integers() {
    assert!(serde_json::from_value::<JobStatus>(json!(3)).is_err());
    let job: Job = serde_json::from_value(json!({"status": "running", "priority": 2, "previous_status": null})).unwrap();
    let priority: Option<i64> = job.priority;
    assert_eq!(priority, Some(2));
    assert_eq!(job.previous_status, Some(None));
}
