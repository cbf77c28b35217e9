//! The facts document: what the planners know about the Gluster nodes, shaped like the Ansible
//! facts it comes from.
//!
//! ```json
//! {"nodes": [{"name": "node0.gluster.private",
//!             "hvp_free_disks": [{"name": "sdb", "size": 4000787030016}]}],
//!  "vars": {"hvp_use_vdo": false, "hvp_vmstoredomain_size": "500GB"}}
//! ```
//!
//! Parsing checks everything a person can get wrong and reports every problem at once:
//! unknown fields and variables (naming the closest known one), duplicate nodes and disks,
//! missing or zero sizes, unparsable sizes.

pub mod node_extras;
mod nodes;
mod size_bounds;
pub mod storage;
mod vars;

pub use crate::disks::FreeDisk;
pub use nodes::NodeFacts;
pub use vars::{LayoutVars, VolumeSettings, KNOWN_VARIABLES};

use crate::input::unknown::suggest;
use crate::report::{Problem, Report};
use serde::Serialize;
use serde_json::{Map, Value};

/// The planners' input: the Gluster nodes in inventory order and the layout variables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactsDocument {
    /// The nodes of the `glusternodes` group, in inventory order (the order decides roles).
    pub nodes: Vec<NodeFacts>,
    /// The layout variables, defaults filled in.
    pub vars: LayoutVars,
}

impl FactsDocument {
    /// Reads a facts document from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, Report> {
        let value: Value = crate::input::json::parse(text.as_bytes()).map_err(|error| {
            Report::new(vec![Problem::error(
                "facts document",
                error.to_string(),
                "give a JSON object with \"nodes\" and optional \"vars\"",
            )])
        })?;
        Self::from_value(&value)
    }

    /// Reads a facts document from a JSON value, reporting every problem found.
    pub fn from_value(value: &Value) -> Result<Self, Report> {
        let (document, problems) = Self::parse_lenient(value);
        if problems.is_empty() {
            Ok(document)
        } else {
            Err(Report::new(problems))
        }
    }

    /// Reads as much of a facts document as is usable, with every problem found. Entries with
    /// problems are left out of the document, so that later checks can still run on the rest
    /// and report their own problems in the same report.
    pub fn parse_lenient(value: &Value) -> (Self, Vec<Problem>) {
        let mut problems = Vec::new();
        let empty = Map::new();
        let Some(document) = value.as_object() else {
            problems.push(Problem::error(
                "facts document",
                "is not a JSON object",
                "give an object with \"nodes\" (a list) and optional \"vars\" (an object)",
            ));
            let vars = vars::parse_vars(&empty, &mut problems);
            return (
                Self {
                    nodes: Vec::new(),
                    vars,
                },
                problems,
            );
        };
        check_fields(
            "facts document",
            document,
            &["nodes", "vars"],
            &mut problems,
        );
        let nodes = match document.get("nodes") {
            Some(Value::Array(items)) => nodes::parse_nodes(items, &mut problems),
            Some(_) => {
                problems.push(Problem::error(
                    "field nodes",
                    "is not a list",
                    "list the Gluster nodes as [{\"name\": ..., \"hvp_free_disks\": [...]}]",
                ));
                Vec::new()
            }
            None => {
                problems.push(Problem::error(
                    "field nodes",
                    "is missing",
                    "list the Gluster nodes as [{\"name\": ..., \"hvp_free_disks\": [...]}]",
                ));
                Vec::new()
            }
        };
        let vars = match document.get("vars") {
            None | Some(Value::Null) => vars::parse_vars(&empty, &mut problems),
            Some(Value::Object(map)) => vars::parse_vars(map, &mut problems),
            Some(_) => {
                problems.push(Problem::error(
                    "field vars",
                    "is not an object",
                    "give the layout variables as {\"hvp_use_vdo\": false, ...}",
                ));
                vars::parse_vars(&empty, &mut problems)
            }
        };
        (Self { nodes, vars }, problems)
    }
}

/// `object.get(key)`; a small object (a disk's few fields) is searched in order instead of
/// hashed, which costs less than hashing the key (facts of 600 nodes hold 14 400 disks, each
/// looked up a dozen times).
pub(crate) fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() <= 8 {
        // Keys of a JSON object are unique: the first match is the only one.
        object
            .iter()
            .find(|(name, _)| name.as_str() == key)
            .map(|(_, value)| value)
    } else {
        object.get(key)
    }
}

/// Reports every key of `object` that is not in `known`, with the closest known key.
pub(crate) fn check_fields(
    subject: &str,
    object: &Map<String, Value>,
    known: &[&str],
    problems: &mut Vec<Problem>,
) {
    for key in object.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let fix = match suggest(key, known) {
            Some(name) => format!("did you mean '{name}'?"),
            None => format!("remove it; known fields: {}", known.join(", ")),
        };
        problems.push(Problem::error(
            subject,
            format!("unknown field '{key}'"),
            fix,
        ));
    }
}
