//! Ansible's boolean spellings, shared by the facts document and the module protocol.

use serde_json::Value;

/// Reads a value as Ansible's `boolean()` filter does (`yes`/`no`, `on`/`off`, `true`/`false`,
/// `y`/`n`, `t`/`f`, `1`/`0`, as strings in any case or as JSON values); `None` when it is no
/// boolean.
pub fn parse_ansible_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => match number.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" | "on" | "1" | "true" | "t" => Some(true),
            "n" | "no" | "off" | "0" | "false" | "f" => Some(false),
            _ => None,
        },
        _ => None,
    }
}
