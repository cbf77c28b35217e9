//! Control characters anywhere in a JSON document that is copied into outputs.
//!
//! Documents produced by one hvp tool and read by another (a network plan, a storage plan,
//! a desired Engine state) carry many strings that end up in configuration files or command
//! lines. Rather than trusting each renderer to escape them, readers refuse any string (or
//! object key) holding a control character, reporting the field path (`zones.lan.device`).

use serde_json::Value;

/// The field paths of every string or key holding a control character (tabs included), in
/// document order; at most `limit` paths are returned.
pub fn control_character_paths(value: &Value, limit: usize) -> Vec<String> {
    let mut found = Vec::new();
    walk(value, &mut String::new(), &mut found, limit);
    found
}

fn walk(value: &Value, path: &mut String, found: &mut Vec<String>, limit: usize) {
    if found.len() >= limit {
        return;
    }
    match value {
        Value::String(text) if text.chars().any(char::is_control) => found.push(shown(path)),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                walk(item, path, found, limit);
                path.truncate(length);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&super::escape::escape(key));
                if key.chars().any(char::is_control) && found.len() < limit {
                    found.push(shown(path));
                }
                walk(item, path, found, limit);
                path.truncate(length);
            }
        }
        _ => {}
    }
}

fn shown(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_strings_and_keys_with_control_characters() {
        let value = json!({"zones": {"lan": {"device": "eth\u{0}", "mtu": 1500}},
                           "nodes": ["a", "b\nc"], "k\u{1b}": 1, "ok": "tab\tbad"});
        assert_eq!(
            control_character_paths(&value, 10),
            ["zones.lan.device", "nodes[1]", "k\\u{1b}", "ok"]
        );
        assert_eq!(control_character_paths(&value, 1).len(), 1);
        assert!(control_character_paths(&json!({"a": ["plain"]}), 10).is_empty());
    }
}
