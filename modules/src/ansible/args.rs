//! Option specifications and their validation, the part of `AnsibleModule` that binary modules
//! must do themselves.

pub(crate) use hvp_core::ansible_bool::parse_ansible_bool as ansible_bool;
use hvp_core::input::escape::{escape, quoted};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

/// The type of one module option, with Ansible's conversion rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A string; numbers and booleans are converted to their text.
    Str,
    /// A filesystem path (a string).
    Path,
    /// A boolean in any of Ansible's spellings.
    Bool,
    /// A non-negative integer, as a JSON number or a string of digits.
    UnsignedInt,
    /// A list of strings; a string is split at commas, as Ansible does.
    StrList,
    /// A list of anything.
    List,
    /// A dictionary; a string holding a JSON object is accepted too.
    Dict,
    /// Any JSON value, unchecked.
    Raw,
}

impl OptionKind {
    fn describe(self) -> &'static str {
        match self {
            OptionKind::Str => "a string",
            OptionKind::Path => "a path",
            OptionKind::Bool => "a boolean (yes/no/true/false/1/0)",
            OptionKind::UnsignedInt => "a non-negative integer",
            OptionKind::StrList => "a list of strings",
            OptionKind::List => "a list",
            OptionKind::Dict => "a dictionary",
            OptionKind::Raw => "any value",
        }
    }
}

/// One option a module accepts.
#[derive(Debug, Clone)]
pub struct OptionSpec {
    name: &'static str,
    kind: OptionKind,
    required: bool,
    default: Option<Value>,
    choices: &'static [&'static str],
    no_log: bool,
}

impl OptionSpec {
    /// An optional option of the given kind, without default.
    pub fn new(name: &'static str, kind: OptionKind) -> Self {
        Self {
            name,
            kind,
            required: false,
            default: None,
            choices: &[],
            no_log: false,
        }
    }

    /// Marks the option as required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Sets the value used when the task does not give the option.
    pub fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    /// Restricts a string option to these values.
    pub fn choices(mut self, choices: &'static [&'static str]) -> Self {
        self.choices = choices;
        self
    }

    /// Marks the option as secret: its value is masked in every output.
    pub fn no_log(mut self) -> Self {
        self.no_log = true;
        self
    }
}

/// The options of one module.
#[derive(Debug, Clone, Default)]
pub struct ArgumentSpec {
    options: Vec<OptionSpec>,
}

impl ArgumentSpec {
    /// A spec with these options.
    pub fn new(options: Vec<OptionSpec>) -> Self {
        Self { options }
    }

    /// The string values of the `no_log` options present in `raw`, to be masked in output.
    pub(crate) fn secret_values(&self, raw: &Map<String, Value>) -> Vec<String> {
        self.options
            .iter()
            .filter(|option| option.no_log)
            .filter_map(|option| raw.get(option.name))
            .map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
    }

    /// Checks and converts `raw`, collecting every problem. Messages name the module, the
    /// option and what would fix it; they never contain the value of a `no_log` option.
    pub fn validate(
        &self,
        module_name: &str,
        raw: Map<String, Value>,
    ) -> Result<Params, Vec<String>> {
        let mut problems = Vec::new();
        let known: Vec<&str> = self.options.iter().map(|option| option.name).collect();
        for key in raw.keys() {
            if !known.contains(&key.as_str()) {
                let hint = closest(key, &known)
                    .map(|name| format!(" (did you mean '{name}'?)"))
                    .unwrap_or_default();
                let key = escape(key);
                problems.push(format!(
                    "unsupported parameter '{key}' for module {module_name}{hint}; supported \
                     parameters: {}",
                    known.join(", ")
                ));
            }
        }
        let mut values = Map::new();
        for option in &self.options {
            let given = raw.get(option.name).filter(|value| !value.is_null());
            match given {
                None if option.required => problems.push(format!(
                    "missing required parameter '{}' ({}) for module {module_name}",
                    option.name,
                    option.kind.describe()
                )),
                None => {
                    if let Some(default) = &option.default {
                        values.insert(option.name.to_owned(), default.clone());
                    }
                }
                Some(value) => match convert(option.kind, value) {
                    Ok(converted) => match check_choice(option, &converted) {
                        Ok(()) => {
                            values.insert(option.name.to_owned(), converted);
                        }
                        Err(problem) => problems.push(problem),
                    },
                    Err(()) => problems.push(format!(
                        "parameter '{}' must be {}, got {}",
                        option.name,
                        option.kind.describe(),
                        if option.no_log {
                            "a hidden value".to_owned()
                        } else {
                            describe_value(value)
                        }
                    )),
                },
            }
        }
        if problems.is_empty() {
            Ok(Params { values })
        } else {
            Err(problems)
        }
    }
}

fn check_choice(option: &OptionSpec, value: &Value) -> Result<(), String> {
    if option.choices.is_empty() {
        return Ok(());
    }
    match value.as_str() {
        Some(text) if option.choices.contains(&text) => Ok(()),
        _ => Err(format!(
            "parameter '{}' must be one of: {}; got {}",
            option.name,
            option.choices.join(", "),
            describe_value(value)
        )),
    }
}

fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), *candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the string {}", quoted(text)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a dictionary".to_owned(),
    }
}

fn convert(kind: OptionKind, value: &Value) -> Result<Value, ()> {
    match kind {
        OptionKind::Raw => Ok(value.clone()),
        OptionKind::Str | OptionKind::Path => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Number(number) => Ok(Value::String(number.to_string())),
            Value::Bool(flag) => Ok(Value::String(flag.to_string())),
            _ => Err(()),
        },
        OptionKind::Bool => ansible_bool(value).map(Value::Bool).ok_or(()),
        OptionKind::UnsignedInt => match value {
            Value::Number(number) => number.as_u64().map(Value::from).ok_or(()),
            Value::String(text) => text
                .trim()
                .parse::<u64>()
                .map(|n| Value::Number(Number::from(n)))
                .map_err(|_| ()),
            _ => Err(()),
        },
        OptionKind::StrList => {
            let items: Vec<Value> = match value {
                Value::Array(items) => items.clone(),
                Value::String(text) => text
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_owned()))
                    .collect(),
                _ => return Err(()),
            };
            items
                .iter()
                .map(|item| convert(OptionKind::Str, item))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        OptionKind::List => match value {
            Value::Array(_) => Ok(value.clone()),
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(parsed @ Value::Array(_)) => Ok(parsed),
                _ => Err(()),
            },
            _ => Err(()),
        },
        OptionKind::Dict => match value {
            Value::Object(_) => Ok(value.clone()),
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(parsed @ Value::Object(_)) => Ok(parsed),
                _ => Err(()),
            },
            _ => Err(()),
        },
    }
}

/// Validated options, with defaults filled in and values converted to their kind.
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: Map<String, Value>,
}

impl Params {
    /// The raw JSON value of an option, if set.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// A string or path option.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(Value::as_str)
    }

    /// A boolean option; `false` when unset and without default.
    pub fn bool(&self, name: &str) -> bool {
        self.values
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// An unsigned integer option.
    pub fn u64(&self, name: &str) -> Option<u64> {
        self.values.get(name).and_then(Value::as_u64)
    }

    /// A list-of-strings option; empty when unset.
    pub fn str_list(&self, name: &str) -> Vec<String> {
        self.values
            .get(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Deserialises an option into a typed structure; the error names the option and the
    /// field path inside it, without Rust type names (`hvp_core::input::json`).
    pub fn parse<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String> {
        self.values
            .get(name)
            .map(|value| {
                hvp_core::input::json::from_value(value)
                    .map_err(|error| format!("parameter '{name}': {error}"))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> ArgumentSpec {
        ArgumentSpec::new(vec![
            OptionSpec::new("dest", OptionKind::Path).required(),
            OptionSpec::new("force", OptionKind::Bool).default(json!(false)),
            OptionSpec::new("min_size_bytes", OptionKind::UnsignedInt),
            OptionSpec::new("device_types", OptionKind::StrList).default(json!(["disk"])),
            OptionSpec::new("state", OptionKind::Str).choices(&["present", "absent"]),
            OptionSpec::new("password", OptionKind::Str).no_log(),
        ])
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn accepts_ansible_boolean_spellings() {
        for (given, expected) in [
            (json!("yes"), true),
            (json!("No"), false),
            (json!("1"), true),
            (json!(0), false),
            (json!("on"), true),
            (json!(true), true),
        ] {
            let params = spec()
                .validate("m", object(json!({"dest": "/x", "force": given})))
                .unwrap();
            assert_eq!(params.bool("force"), expected);
        }
    }

    #[test]
    fn fills_defaults_and_converts() {
        let params = spec()
            .validate(
                "m",
                object(json!({"dest": "/x", "min_size_bytes": "42", "device_types": "disk, loop"})),
            )
            .unwrap();
        assert_eq!(params.u64("min_size_bytes"), Some(42));
        assert_eq!(params.str_list("device_types"), vec!["disk", "loop"]);
        assert!(!params.bool("force"));
    }

    #[test]
    fn reports_every_problem_at_once() {
        let errors = spec()
            .validate(
                "hvp_x",
                object(json!({"dst": "/x", "force": "maybe", "state": "gone"})),
            )
            .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("unsupported parameter 'dst'"));
        assert!(errors[0].contains("did you mean 'dest'"));
        assert!(errors
            .iter()
            .any(|e| e.contains("missing required parameter 'dest'")));
        assert!(errors
            .iter()
            .any(|e| e.contains("'force' must be a boolean")));
        assert!(errors
            .iter()
            .any(|e| e.contains("'state' must be one of: present, absent")));
    }

    #[test]
    fn never_echoes_a_secret_in_a_type_error() {
        let errors = spec()
            .validate("m", object(json!({"dest": "/x", "password": ["s3cr3t"]})))
            .unwrap_err();
        assert!(!errors.join(" ").contains("s3cr3t"));
        assert!(errors[0].contains("a hidden value"));
    }
}
