//! The input document of the file services:
//!
//! ```json
//! {"network": <hvp-netplan --format json>, "storage": <storage plan, format 2>,
//!  "vars": {"hvp_storage_name": "discord", ...}, "existing_ctdb_nodes": "<current /etc/ctdb/nodes>"}
//! ```
//!
//! Parsing reports every problem at once: each part that does not parse, and every bad
//! variable.

use serde_json::{Map, Value};

use super::storage::StoragePlan;
use super::vars::{self, FileVars};
use crate::input::{json, strings, unknown};
use crate::network::NetworkPlan;
use crate::report::{Problem, Report};

/// The fields of the input document.
pub const FIELDS: &[&str] = &["network", "storage", "vars", "existing_ctdb_nodes"];

/// At most this many strings with control characters are reported per part.
const MAX_CONTROL_PATHS: usize = 20;

/// The parsed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileServicesInput {
    /// The network plan of any node (its cluster addresses are the same on every node).
    pub network: NetworkPlan,
    /// The storage plan.
    pub storage: StoragePlan,
    /// The variables, with defaults applied.
    pub vars: FileVars,
    /// The current `/etc/ctdb/nodes`, so existing nodes keep their numbers.
    pub existing_ctdb_nodes: Option<String>,
}

impl FileServicesInput {
    /// Reads the input document.
    pub fn from_value(document: &Value) -> Result<Self, Report> {
        let mut problems = Vec::new();
        let Some(object) = document.as_object() else {
            return Err(Report::new(vec![Problem::error(
                "input",
                "is not a JSON object",
                "give {\"network\": ..., \"storage\": ..., \"vars\": {...}}",
            )]));
        };
        let network = part::<NetworkPlan>(
            object,
            "network",
            "give the node's network plan, the output of hvp-netplan --format json",
            &mut problems,
        );
        let storage = part::<StoragePlan>(
            object,
            "storage",
            "give the storage plan, the output of hvp-gdeploy-gen --format json (format 2)",
            &mut problems,
        );
        let empty = Map::new();
        let vars_map = match object.get("vars") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(map)) => map,
            Some(_) => {
                problems.push(Problem::error(
                    "vars",
                    "is not a mapping",
                    "give {\"hvp_storage_name\": ...}",
                ));
                &empty
            }
        };
        let vars = vars::read(vars_map).map_err(|p| problems.extend(p)).ok();
        let existing_ctdb_nodes = match object.get("existing_ctdb_nodes") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                problems.push(Problem::error(
                    "existing_ctdb_nodes",
                    "is not a string",
                    "give the text of the current /etc/ctdb/nodes, or leave it out",
                ));
                None
            }
        };
        for field in unknown::find_unknown(object.keys().map(String::as_str), FIELDS) {
            problems.push(Problem::error(
                "input",
                field.message("field"),
                format!(
                    "{} (the fields are network, storage, vars and existing_ctdb_nodes)",
                    field.fix()
                ),
            ));
        }
        for key in ["network", "storage"] {
            if let Some(value) = object.get(key) {
                for path in strings::control_character_paths(value, MAX_CONTROL_PATHS) {
                    problems.push(Problem::error(
                        format!("{key}.{path}"),
                        "holds a control character",
                        "regenerate the plan with hvp; plans are never edited by hand",
                    ));
                }
            }
        }
        if let Some(storage) = &storage {
            super::input_checks::check_storage(storage, &mut problems);
        }
        if let Some(vars) = &vars {
            super::input_checks::check_vars(vars, &mut problems);
        }
        match (network, storage, vars) {
            (Some(network), Some(storage), Some(vars)) if problems.is_empty() => Ok(Self {
                network,
                storage,
                vars,
                existing_ctdb_nodes,
            }),
            _ => Err(Report::new(problems)),
        }
    }
}

fn part<T: serde::de::DeserializeOwned>(
    object: &Map<String, Value>,
    key: &str,
    fix: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match object.get(key) {
        None => {
            problems.push(Problem::error(key, "is missing", fix));
            None
        }
        Some(value) => match json::from_value::<T>(value) {
            Ok(parsed) => Some(parsed),
            Err(err) => {
                problems.push(Problem::error(key, format!("cannot be read: {err}"), fix));
                None
            }
        },
    }
}
