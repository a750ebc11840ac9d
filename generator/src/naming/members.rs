//! Union variant names: what each member of a `oneOf`/`anyOf` is called, from what it is.

use serde_json::Value;

use crate::naming;

/// What a union member is, as the converter sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Member {
    /// The last token of the member's `$ref`, when it is a reference.
    pub(crate) reference: Option<String>,
    pub(crate) title: Option<String>,
    /// The last tokens of the `$ref`s among its `allOf` parts.
    pub(crate) all_of_refs: Vec<String>,
    /// Its property names and required names (through `$ref`s and `allOf`).
    pub(crate) props: Vec<String>,
    pub(crate) required: Vec<String>,
    /// Its first required property with one fixed string value: that value.
    pub(crate) fixed_required: Option<String>,
    pub(crate) typ: Option<String>,
    pub(crate) format: Option<String>,
    /// Its enum values but `null`.
    pub(crate) values: Vec<Value>,
    /// Whether it declares a schema for additional properties.
    pub(crate) has_additional: bool,
    pub(crate) items: Option<MemberItems>,
    /// Whether it is itself a composition (`oneOf`, `anyOf`, `allOf`).
    pub(crate) composed: bool,
}

/// The items of an array member.
#[derive(Debug, Clone)]
pub(crate) enum MemberItems {
    /// A reference: its last token.
    Reference(String),
    Type(String),
    Untyped,
}

/// Longest title used as a variant name.
const LONG_TITLE: usize = 40;

/// Variant names for union members, in order: the `$ref` name, the title, the `$ref` of an
/// `allOf` part only this member uses (`allOf: [$ref: rule-creation, $ref: rule-info]` →
/// `RuleCreation`), or what the member is ([`kind_part`]). Not yet unique: the caller claims
/// them in a scope.
pub(crate) fn member_names(members: &[Member]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let name = match &m.reference {
            Some(reference) => naming::type_name(reference),
            None => {
                let unique_ref = m
                    .all_of_refs
                    .iter()
                    .find(|r| {
                        members
                            .iter()
                            .enumerate()
                            .all(|(j, other)| j == i || !other.all_of_refs.contains(r))
                    })
                    .or(m.all_of_refs.first());
                match m
                    .title
                    .as_deref()
                    .map(naming::type_name)
                    .filter(|t| !t.is_empty() && t.len() <= LONG_TITLE)
                {
                    Some(t) => t,
                    None => match unique_ref {
                        Some(r) => naming::type_name(r),
                        None => kind_part(members, i),
                    },
                }
            }
        };
        out.push(name);
    }
    out
}

/// A variant name from what member `i` is: the fixed value of a required property, the
/// property only it has (or only it requires), or the kind of value (`String`, `Integer`,
/// `DateTime`, `PipelineList`…).
fn kind_part(members: &[Member], i: usize) -> String {
    let Some(m) = members.get(i) else {
        return "Value".to_owned();
    };
    let (own, own_required) = (&m.props, &m.required);
    if !own.is_empty() || m.typ.as_deref() == Some("object") {
        if let Some(one) = &m.fixed_required {
            return naming::variant_name(one);
        }
        let others = || {
            members
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(|(_, s)| s)
        };
        let mut ordered: Vec<&String> = own_required.iter().filter(|r| own.contains(r)).collect();
        ordered.extend(own.iter().filter(|p| !own_required.contains(p)));
        for p in &ordered {
            if !others().any(|other| other.props.contains(p)) {
                return naming::variant_name(p);
            }
        }
        for p in own_required.iter().filter(|r| own.contains(r)) {
            if !others().any(|other| other.required.contains(p)) {
                return naming::variant_name(p);
            }
        }
        if own.is_empty() && m.has_additional {
            return "Map".to_owned();
        }
        return "Object".to_owned();
    }
    match m.typ.as_deref() {
        Some("string") => match m.values.as_slice() {
            [Value::String(one)] => naming::variant_name(one),
            [] => match m.format.as_deref() {
                Some("date-time") => "DateTime".to_owned(),
                Some("date") => "Date".to_owned(),
                Some("uuid") => "Uuid".to_owned(),
                Some("uri" | "url" | "uri-reference") => "Url".to_owned(),
                _ => "String".to_owned(),
            },
            _ => "Known".to_owned(),
        },
        Some("integer") => "Integer".to_owned(),
        Some("number") => "Number".to_owned(),
        Some("boolean") => "Boolean".to_owned(),
        Some("array") => match &m.items {
            Some(MemberItems::Reference(r)) => format!("{}List", naming::type_name(r)),
            Some(MemberItems::Type(t)) => format!("{}List", naming::type_name(t)),
            Some(MemberItems::Untyped) | None => "Array".to_owned(),
        },
        _ if m.composed => "Variant".to_owned(),
        _ => "Value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(props: &[&str], required: &[&str]) -> Member {
        Member {
            typ: Some("object".to_owned()),
            props: props.iter().map(|p| (*p).to_owned()).collect(),
            required: required.iter().map(|p| (*p).to_owned()).collect(),
            ..Member::default()
        }
    }

    #[test]
    fn references_titles_and_all_of_parts_name_members() {
        let by_ref = Member {
            reference: Some("weekly-timetable".to_owned()),
            ..Member::default()
        };
        let titled = Member {
            title: Some("monthly plan".to_owned()),
            ..object(&["x"], &[])
        };
        let composed = Member {
            all_of_refs: vec!["rule-info".to_owned(), "rule-creation".to_owned()],
            ..Member::default()
        };
        let other = Member {
            all_of_refs: vec!["rule-info".to_owned()],
            ..Member::default()
        };
        assert_eq!(
            member_names(&[by_ref, titled, composed, other]),
            ["WeeklyTimetable", "MonthlyPlan", "RuleCreation", "RuleInfo"]
        );
    }

    #[test]
    fn objects_are_named_by_what_sets_them_apart() {
        let tagged = Member {
            fixed_required: Some("push".to_owned()),
            ..object(&["type", "ref"], &["type"])
        };
        let by_id = object(&["id", "type"], &["id"]);
        let by_slug = object(&["slug", "type"], &["slug"]);
        assert_eq!(
            member_names(&[tagged, by_id, by_slug]),
            ["Push", "Id", "Slug"]
        );
        // Same properties, different requirements; then nothing to tell them apart.
        let weekly = object(&["days", "weeks"], &["weeks"]);
        let monthly = object(&["days", "weeks"], &["days"]);
        assert_eq!(member_names(&[weekly, monthly]), ["Weeks", "Days"]);
        let a = object(&["x"], &["x"]);
        assert_eq!(member_names(&[a.clone(), a]), ["Object", "Object"]);
    }

    #[test]
    fn scalars_and_arrays_are_named_by_their_kind() {
        let of = |typ: &str| Member {
            typ: Some(typ.to_owned()),
            ..Member::default()
        };
        let date = Member {
            format: Some("date-time".to_owned()),
            ..of("string")
        };
        let one = Member {
            values: vec![json!("auto")],
            ..of("string")
        };
        let list = Member {
            items: Some(MemberItems::Reference("pipeline".to_owned())),
            ..of("array")
        };
        assert_eq!(
            member_names(&[of("integer"), date, one, list, Member::default()]),
            ["Integer", "DateTime", "Auto", "PipelineList", "Value"]
        );
    }
}
