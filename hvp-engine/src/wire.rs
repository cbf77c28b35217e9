//! Reading the Engine's JSON: scalars may come as numbers or strings, lists keep their wrapper
//! (`{"usages": {"usage": [...]}}`), a missing collection key is an empty list.

use serde_json::Value;

/// A string field (numbers and booleans as their text).
pub fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A boolean field given as `true` or `"true"`.
pub fn boolean(value: &Value, key: &str) -> Option<bool> {
    match value.get(key)? {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer field given as a number or a string.
pub fn number(value: &Value, key: &str) -> Option<u64> {
    match value.get(key)? {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The elements of a collection reply or of a wrapped list: `{"KEY": [...]}`; a single object
/// is a one-element list; absent is empty.
pub fn items<'a>(value: &'a Value, key: &str) -> Vec<&'a Value> {
    match value.get(key) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    }
}

/// A wrapped list of strings, `{"usages": {"usage": ["vm"]}}` → `["vm"]`.
pub fn strings(value: &Value, wrapper: &str, key: &str) -> Vec<String> {
    value
        .get(wrapper)
        .map(|inner| {
            items(inner, key)
                .into_iter()
                .filter_map(|item| match item {
                    Value::String(text) => Some(text.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `id` of an entity; when only `href` is given, its last path segment.
pub fn id(value: &Value) -> Option<String> {
    text(value, "id").or_else(|| {
        text(value, "href").and_then(|href| {
            href.trim_end_matches('/')
                .rsplit('/')
                .next()
                .filter(|segment| !segment.is_empty())
                .map(str::to_owned)
        })
    })
}

/// The `id` of a linked entity (`{"data_center": {"id": "…"}}`).
pub fn link_id(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(id)
}

/// A `version {major, minor}` field.
pub fn version(value: &Value, key: &str) -> Option<hvp_core::engine::Version> {
    let version = value.get(key)?;
    Some(hvp_core::engine::Version {
        major: u32::try_from(number(version, "major")?).ok()?,
        minor: u32::try_from(number(version, "minor")?).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_as_numbers_or_strings() {
        let value = json!({"mtu": "9000", "required": "true", "n": 3, "b": false});
        assert_eq!(number(&value, "mtu"), Some(9000));
        assert_eq!(number(&value, "n"), Some(3));
        assert_eq!(boolean(&value, "required"), Some(true));
        assert_eq!(boolean(&value, "b"), Some(false));
        assert_eq!(text(&value, "n").as_deref(), Some("3"));
    }

    #[test]
    fn wrapped_lists_and_missing_collections() {
        let value = json!({"usages": {"usage": ["vm", "display"]}, "one": {"host": {"id": "x"}}});
        assert_eq!(strings(&value, "usages", "usage"), ["vm", "display"]);
        assert!(items(&json!({}), "host").is_empty());
        assert_eq!(items(&value["one"], "host").len(), 1);
        assert_eq!(link_id(&value["one"], "host").as_deref(), Some("x"));
    }
}
