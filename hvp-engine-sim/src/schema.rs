//! Normalising and validating a tree (JSON wire shape) against the type table.
//!
//! The internal form of every entity is the JSON wire shape of the oVirt API: an object per
//! element, `id`/`href` as keys, lists inside their wrapper (`"usages": {"usage": ["vm"]}`),
//! scalars as native JSON (booleans, numbers, strings). [`normalize`] turns any accepted input
//! form (strings for scalars, a bare array for a list, `""` for an empty element) into that
//! form, orders keys as the schema does, and reports every unknown element, malformed scalar and
//! unknown enum value at once.

use crate::model::{table, SCALARS};
use serde_json::{Map, Value};

/// Keys every object may carry that the model does not list.
const FREE_KEYS: [&str; 3] = ["href", "link", "actions"];

/// Normalise `value` as an object of struct type `ty`; `path` names it in problems
/// (`data_center`). `keep_links` keeps `link`/`actions` (replies), else they are dropped.
pub fn normalize(
    ty: &str,
    value: &Value,
    path: &str,
    keep_links: bool,
) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let out = norm_struct(ty, value, path, keep_links, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn norm_struct(
    ty: &str,
    value: &Value,
    path: &str,
    keep: bool,
    problems: &mut Vec<String>,
) -> Value {
    let t = table();
    let Some(def) = t.ty(ty) else {
        problems.push(format!("{path}: unknown type {ty}"));
        return Value::Null;
    };
    let obj = match value {
        Value::Object(m) => m.clone(),
        Value::String(s) if s.trim().is_empty() => Map::new(),
        Value::Null => Map::new(),
        other => {
            problems.push(format!(
                "{path}: expected an element with children, got {}",
                short(other)
            ));
            return Value::Null;
        }
    };
    for key in obj.keys() {
        if !def.attributes.contains_key(key) && !FREE_KEYS.contains(&key.as_str()) {
            let known: Vec<&str> = def.attributes.keys().map(String::as_str).collect();
            let hint = closest(key, &known)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            problems.push(format!("{path}.{key}: unknown element for type {ty}{hint}"));
        }
    }
    let mut out = Map::new();
    for k in ["id", "href"] {
        if let Some(v) = obj.get(k) {
            match v {
                Value::String(_) => {
                    out.insert(k.to_string(), v.clone());
                }
                Value::Number(n) => {
                    out.insert(k.to_string(), Value::String(n.to_string()));
                }
                other => problems.push(format!(
                    "{path}.{k}: expected a string, got {}",
                    short(other)
                )),
            }
        }
    }
    if keep {
        if let Some(a) = obj.get("actions") {
            out.insert("actions".into(), a.clone());
        }
    }
    for name in def.attributes.keys() {
        if name == "id" {
            continue;
        }
        let Some(v) = obj.get(name) else { continue };
        let Some(attr) = t.attr(ty, name) else {
            continue;
        };
        let sub = format!("{path}.{name}");
        if attr.list {
            let item = attr
                .item
                .clone()
                .unwrap_or_else(|| name.trim_end_matches('s').to_string());
            let items: Vec<Value> = match v {
                Value::Null => Vec::new(),
                Value::String(s) if s.trim().is_empty() => Vec::new(),
                Value::Array(a) => a.clone(),
                Value::Object(m) => {
                    for k in m.keys() {
                        if k != &item {
                            problems.push(format!(
                                "{sub}.{k}: unknown element, the items of `{name}` are `{item}`"
                            ));
                        }
                    }
                    match m.get(&item) {
                        None => Vec::new(),
                        Some(Value::Array(a)) => a.clone(),
                        Some(one) => vec![one.clone()],
                    }
                }
                other => {
                    problems.push(format!(
                        "{sub}: expected a list of `{item}`, got {}",
                        short(other)
                    ));
                    Vec::new()
                }
            };
            let norm: Vec<Value> = items
                .iter()
                .map(|i| norm_value(&attr.kind, i, &format!("{sub}.{item}"), keep, problems))
                .collect();
            let mut w = Map::new();
            w.insert(item, Value::Array(norm));
            out.insert(name.clone(), Value::Object(w));
        } else {
            let nv = norm_value(&attr.kind, v, &sub, keep, problems);
            out.insert(name.clone(), nv);
        }
    }
    if keep {
        if let Some(l) = obj.get("link") {
            out.insert("link".into(), l.clone());
        }
    }
    Value::Object(out)
}

fn norm_value(kind: &str, v: &Value, path: &str, keep: bool, problems: &mut Vec<String>) -> Value {
    let t = table();
    if SCALARS.contains(&kind) {
        return norm_scalar(kind, v, path, problems);
    }
    if let Some(e) = t.enums.get(kind) {
        let Some(s) = scalar_text(v) else {
            problems.push(format!("{path}: expected a {kind} value, got {}", short(v)));
            return Value::Null;
        };
        let low = s.trim().to_ascii_lowercase();
        if e.values.contains(&low) {
            return Value::String(low);
        }
        let known: Vec<&str> = e.values.iter().map(String::as_str).collect();
        let hint = closest(&low, &known)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        problems.push(format!(
            "{path}: `{s}` is not a {kind} value{hint}; values: {}",
            known.join(", ")
        ));
        return Value::Null;
    }
    norm_struct(kind, v, path, keep, problems)
}

fn norm_scalar(kind: &str, v: &Value, path: &str, problems: &mut Vec<String>) -> Value {
    let Some(s) = scalar_text(v) else {
        problems.push(format!("{path}: expected a {kind}, got {}", short(v)));
        return Value::Null;
    };
    match kind {
        "boolean" => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                problems.push(format!("{path}: `{s}` is not a boolean (true or false)"));
                Value::Null
            }
        },
        "integer" => match s.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => match s.trim().parse::<u64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    problems.push(format!("{path}: `{s}` is not an integer"));
                    Value::Null
                }
            },
        },
        "decimal" => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            _ => {
                problems.push(format!("{path}: `{s}` is not a decimal number"));
                Value::Null
            }
        },
        _ => Value::String(s),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Object(_) => "an element with children".into(),
        Value::Array(_) => "a list".into(),
        Value::Null => "nothing".into(),
        other => format!("`{other}`"),
    }
}

/// The closest known name to `word`, if close enough to be a likely typo.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(s, _)| *s >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Dotted-path lookup in a normalised tree (`cluster.name`, `storage.type`); list wrappers are
/// stepped through by `[]` (`external_network_providers[].id` checks any item).
pub fn has_path(v: &Value, path: &str) -> bool {
    let mut parts = path.splitn(2, '.');
    let head = parts.next().unwrap_or_default();
    let rest = parts.next();
    let (key, list) = match head.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (head, false),
    };
    let Some(child) = v.get(key) else {
        return false;
    };
    let children: Vec<&Value> = if list {
        match child {
            Value::Object(m) => m
                .values()
                .flat_map(|x| x.as_array().into_iter().flatten())
                .collect(),
            _ => Vec::new(),
        }
    } else {
        vec![child]
    };
    children.iter().any(|c| match rest {
        None => !c.is_null() && c.as_str() != Some(""),
        Some(r) => has_path(c, r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn misspelt_element_is_named_with_a_hint() {
        let e = normalize(
            "DataCenter",
            &json!({"nmae": "x", "local": "false"}),
            "data_center",
            false,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("data_center.nmae"), "{e:?}");
        assert!(e[0].contains("did you mean `name`"), "{e:?}");
    }

    #[test]
    fn scalars_and_lists_are_normalised() {
        let v = normalize(
            "Network",
            &json!({"name": "lan", "mtu": "9000", "usages": {"usage": "VM"}, "data_center": {"name": "Default"}}),
            "network",
            false,
        )
        .unwrap();
        assert_eq!(v["mtu"], json!(9000));
        assert_eq!(v["usages"], json!({"usage": ["vm"]}));
        let empty = normalize("Network", &json!({"usages": ""}), "network", false).unwrap();
        assert_eq!(empty["usages"], json!({"usage": []}));
    }

    #[test]
    fn unknown_enum_value_is_refused() {
        let e = normalize(
            "StorageDomain",
            &json!({"type": "dta", "storage": {"type": "glusterf"}}),
            "sd",
            false,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e
            .iter()
            .any(|p| p.contains("sd.storage.type") && p.contains("glusterfs")));
    }

    #[test]
    fn paths_are_found() {
        let v = json!({"cluster": {"name": "Default"}, "l": {"x": [{"id": "1"}]}});
        assert!(has_path(&v, "cluster.name"));
        assert!(!has_path(&v, "cluster.id"));
        assert!(has_path(&v, "l[].id"));
    }
}
