//! Serde helpers for generated types.

/// (De)serializes `Option<Option<T>>` for a field that is both optional and nullable, keeping
/// "absent" and "null" apart: absent ↔ `None`, `null` ↔ `Some(None)`, a value ↔
/// `Some(Some(value))`. Use it with `default` (so an absent field becomes `None`) and
/// `skip_serializing_if` (so `None` is left out):
///
/// ```
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, PartialEq, Debug)]
/// struct Patch {
///     #[serde(
///         default,
///         skip_serializing_if = "::std::option::Option::is_none",
///         with = "::apigen_runtime::serde_helpers::double_option"
///     )]
///     description: Option<Option<String>>,
/// }
///
/// let absent: Patch = serde_json::from_str("{}").unwrap();
/// let null: Patch = serde_json::from_str(r#"{"description":null}"#).unwrap();
/// let set: Patch = serde_json::from_str(r#"{"description":"x"}"#).unwrap();
/// assert_eq!(absent.description, None);
/// assert_eq!(null.description, Some(None));
/// assert_eq!(set.description, Some(Some("x".to_owned())));
/// assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
/// assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"description":null}"#);
/// ```
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes `Some(Some(v))` as `v` and both `Some(None)` and `None` as null (`None` is
    /// normally skipped with `skip_serializing_if`).
    pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize,
        S: Serializer,
    {
        match value {
            Some(Some(inner)) => inner.serialize(serializer),
            Some(None) | None => serializer.serialize_none(),
        }
    }

    /// Deserializes null as `Some(None)` and a value as `Some(Some(v))`; an absent field
    /// never reaches this function and becomes `None` through `#[serde(default)]`.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
