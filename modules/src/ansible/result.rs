//! The JSON document a module prints: success with `changed`, or failure with `msg`.

use serde::Serialize;
use serde_json::{Map, Value};

/// A successful module result.
#[derive(Debug, Clone, Default)]
pub struct ModuleResult {
    changed: bool,
    fields: Map<String, Value>,
    warnings: Vec<String>,
}

impl ModuleResult {
    /// A result that reports `changed` as given.
    pub fn new(changed: bool) -> Self {
        Self {
            changed,
            ..Self::default()
        }
    }

    /// Adds a top-level return value. Values that do not serialise are returned as `null`.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.fields.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// Sets `ansible_facts`, which Ansible merges into the host's variables.
    pub fn facts(self, facts: Map<String, Value>) -> Self {
        self.with("ansible_facts", Value::Object(facts))
    }

    /// Sets `diff` with the `before` and `after` texts, as Ansible's `--diff` prints them.
    pub fn diff(self, before_header: &str, before: &str, after_header: &str, after: &str) -> Self {
        self.with(
            "diff",
            serde_json::json!({
                "before_header": before_header,
                "before": before,
                "after_header": after_header,
                "after": after,
            }),
        )
    }

    /// Adds a warning that Ansible prints after the task.
    pub fn warn(mut self, warning: impl Into<String>) -> Self {
        self.warnings.push(warning.into());
        self
    }

    /// The JSON document for stdout.
    pub fn into_json(self) -> Value {
        let mut document = Map::new();
        document.insert("changed".to_owned(), Value::Bool(self.changed));
        document.insert("failed".to_owned(), Value::Bool(false));
        if !self.warnings.is_empty() {
            document.insert(
                "warnings".to_owned(),
                Value::Array(self.warnings.into_iter().map(Value::String).collect()),
            );
        }
        document.extend(self.fields);
        Value::Object(document)
    }
}

/// A failed module run: `failed: true` with `msg`, plus optional details.
#[derive(Debug, Clone)]
pub struct ModuleFailure {
    msg: String,
    fields: Map<String, Value>,
}

impl ModuleFailure {
    /// A failure with this message. Say what failed, on which host/disk/option, and the fix.
    pub fn new(msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            fields: Map::new(),
        }
    }

    /// Adds a return value to the failed result (for example the list of problems).
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.fields.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// The JSON document for stdout.
    pub fn into_json(self) -> Value {
        let mut document = Map::new();
        document.insert("failed".to_owned(), Value::Bool(true));
        document.insert("changed".to_owned(), Value::Bool(false));
        document.insert("msg".to_owned(), Value::String(self.msg));
        document.extend(self.fields);
        Value::Object(document)
    }
}

impl<E: std::error::Error> From<E> for ModuleFailure {
    fn from(error: E) -> Self {
        Self::new(error.to_string())
    }
}
