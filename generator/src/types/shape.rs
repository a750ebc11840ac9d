//! The canonical key of a schema's shape: two schemas with the same key become one type.

use serde_json::Value;

/// Appends the canonical form of a schema to `out`: only what changes the generated code
/// (shape, formats, enum values, requiredness, nullability, docs of nested fields), so schemas
/// that differ in examples, defaults or validation keywords share a type. The top level's own
/// annotations (description, title, nullable, deprecated) are left out: they belong to the
/// place that uses the type.
pub(super) fn canon(v: &Value, top: bool, out: &mut String) {
    let Some(obj) = v.as_object() else {
        out.push_str(&v.to_string());
        return;
    };
    out.push('{');
    for (k, val) in obj {
        match k.as_str() {
            "type" | "format" | "enum" | "required" | "$ref" | "x-apigen-null"
            | "x-apigen-aliases" | "discriminator" => {
                out.push_str(k);
                out.push('=');
                out.push_str(&val.to_string());
            }
            "nullable" | "deprecated" | "description" if !top => {
                out.push_str(k);
                out.push('=');
                out.push_str(&val.to_string());
            }
            "properties" => {
                out.push_str("properties={");
                if let Some(props) = val.as_object() {
                    for (name, s) in props {
                        out.push_str(&Value::String(name.clone()).to_string());
                        out.push(':');
                        canon(s, false, out);
                        out.push(',');
                    }
                }
                out.push('}');
            }
            "items" | "additionalProperties" => {
                out.push_str(k);
                out.push('=');
                canon(val, false, out);
            }
            "allOf" | "oneOf" | "anyOf" => {
                out.push_str(k);
                out.push_str("=[");
                for m in val.as_array().into_iter().flatten() {
                    canon(m, false, out);
                    out.push(',');
                }
                out.push(']');
            }
            _ => continue,
        }
        out.push(';');
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn key(v: Value) -> String {
        let mut out = String::new();
        canon(&v, true, &mut out);
        out
    }

    #[test]
    fn annotations_of_the_top_level_do_not_change_the_key() {
        let a = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let b = json!({"type": "object", "description": "other words", "title": "T",
                        "nullable": true, "example": {"id": "x"},
                        "properties": {"id": {"type": "string", "minLength": 3}}});
        assert_eq!(key(a), key(b));
    }

    #[test]
    fn what_changes_the_generated_code_changes_the_key() {
        let base = json!({"type": "string", "enum": ["a", "b"]});
        assert_ne!(
            key(base.clone()),
            key(json!({"type": "string", "enum": ["a", "c"]}))
        );
        assert_ne!(key(base), key(json!({"type": "string", "format": "uuid"})));
        // A nested description is the docs of a generated field.
        assert_ne!(
            key(json!({"properties": {"id": {"type": "string"}}})),
            key(json!({"properties": {"id": {"type": "string", "description": "d"}}}))
        );
        assert_ne!(
            key(json!({"required": ["a"], "properties": {"a": {}}})),
            key(json!({"properties": {"a": {}}}))
        );
    }
}
