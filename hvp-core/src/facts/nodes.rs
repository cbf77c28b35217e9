//! Nodes and their free disks, as the `hvp_free_disks` fact module reports them.

use super::check_fields;
use crate::disks::FreeDisk;
use crate::report::Problem;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One Gluster node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeFacts {
    /// The node's inventory name, as gDeploy addresses it.
    pub name: String,
    /// Whole disks that are free for Gluster (the `hvp_free_disks` fact).
    pub free_disks: Vec<FreeDisk>,
    /// Free solid-state disks (the `hvp_free_ssds` fact), candidates for a cache tier.
    pub free_ssds: Vec<FreeDisk>,
    /// Role, Hosted Engine flag, score, RAID geometry and per-disk extras (balanced policy).
    pub extras: super::node_extras::NodeExtras,
}

const NODE_FIELDS: &[&str] = &[
    "name",
    "hvp_free_disks",
    "hvp_free_ssds",
    "role",
    "hosted_engine",
    "score",
    "raid",
];
const DISK_FIELDS: &[&str] = &[
    "name",
    "size",
    "rotational",
    "model",
    "serial",
    "wwn",
    "by_id",
    "vendor",
    "logical_sector",
    "raid",
];

pub(super) fn parse_nodes(items: &[Value], problems: &mut Vec<Problem>) -> Vec<NodeFacts> {
    let mut nodes = Vec::new();
    let mut seen = BTreeSet::new();
    for (position, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            problems.push(Problem::error(
                format!("nodes[{position}]"),
                "is not an object",
                "give each node as {\"name\": ..., \"hvp_free_disks\": [...]}",
            ));
            continue;
        };
        let name = match object.get("name").and_then(Value::as_str).map(str::trim) {
            Some(name) if valid_host_name(name) => name.to_owned(),
            Some(name) => {
                problems.push(Problem::error(
                    format!("nodes[{position}]"),
                    format!("'{name}' is not a usable host name"),
                    "use the inventory host name: no blanks, brackets, commas, colons or braces",
                ));
                format!("nodes[{position}]")
            }
            None => {
                problems.push(Problem::error(
                    format!("nodes[{position}]"),
                    "has no \"name\"",
                    "give the node's inventory host name as \"name\"",
                ));
                format!("nodes[{position}]")
            }
        };
        let subject = format!("node {name}");
        check_fields(&subject, object, NODE_FIELDS, problems);
        if !seen.insert(name.clone()) {
            problems.push(Problem::error(
                &subject,
                "is listed more than once",
                "list each Gluster node once in the glusternodes group",
            ));
        }
        let free_disks = parse_disk_list(&subject, object, "hvp_free_disks", true, problems);
        let free_ssds = parse_disk_list(&subject, object, "hvp_free_ssds", false, problems);
        let extras = super::node_extras::parse_node_extras(&subject, object, problems);
        nodes.push(NodeFacts {
            name,
            free_disks,
            free_ssds,
            extras,
        });
    }
    nodes
}

fn valid_host_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || "[]{},:;#=".contains(c))
}

fn parse_disk_list(
    subject: &str,
    node: &Map<String, Value>,
    field: &str,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Vec<FreeDisk> {
    let items = match node.get(field) {
        Some(Value::Array(items)) => items,
        None if !required => return Vec::new(),
        None => {
            problems.push(Problem::error(
                subject,
                format!("has no \"{field}\" list"),
                "gather the disk facts with the hvp_free_disks module first; give [] for a node without free disks",
            ));
            return Vec::new();
        }
        Some(_) => {
            problems.push(Problem::error(
                subject,
                format!("\"{field}\" is not a list"),
                format!("give \"{field}\" as [{{\"name\": \"sdb\", \"size\": 4000787030016}}]"),
            ));
            return Vec::new();
        }
    };
    let mut disks: Vec<FreeDisk> = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            problems.push(Problem::error(
                format!("{subject}, {field}[{position}]"),
                "is not an object",
                "give each disk as {\"name\": \"sdb\", \"size\": BYTES}",
            ));
            continue;
        };
        let disk_name = object.get("name").and_then(Value::as_str).unwrap_or("");
        let disk_subject = if disk_name.is_empty() {
            format!("{subject}, {field}[{position}]")
        } else {
            format!("{subject}, disk {disk_name}")
        };
        check_fields(&disk_subject, object, DISK_FIELDS, problems);
        let name_ok = check_disk_name(&disk_subject, disk_name, problems);
        let size = parse_disk_size(&disk_subject, object.get("size"), problems);
        if disks.iter().any(|disk| disk.name == disk_name) {
            problems.push(Problem::error(
                &disk_subject,
                format!("is listed more than once in {field}"),
                "list each disk once",
            ));
            continue;
        }
        if let (true, Some(size)) = (name_ok, size) {
            disks.push(FreeDisk {
                name: disk_name.to_owned(),
                size,
                // Unknown counts as rotational, as in the hvp_free_disks module.
                rotational: object
                    .get("rotational")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                model: optional_text(object, "model"),
                serial: optional_text(object, "serial"),
                wwn: optional_text(object, "wwn"),
                by_id: optional_text(object, "by_id"),
            });
        }
    }
    disks
}

fn optional_text(object: &Map<String, Value>, field: &str) -> Option<String> {
    object
        .get(field)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn check_disk_name(subject: &str, name: &str, problems: &mut Vec<Problem>) -> bool {
    let fix = "give the kernel name without /dev/, for example \"sdb\" or \"nvme0n1\"";
    if name.is_empty() {
        problems.push(Problem::error(subject, "has no \"name\"", fix));
        return false;
    }
    if name.contains('/') || name.chars().any(|c| c.is_whitespace() || c == ',') {
        problems.push(Problem::error(
            subject,
            format!("'{name}' is not a kernel disk name"),
            fix,
        ));
        return false;
    }
    true
}

fn parse_disk_size(
    subject: &str,
    value: Option<&Value>,
    problems: &mut Vec<Problem>,
) -> Option<u64> {
    let fix = "give \"size\" as the disk size in bytes, a whole number greater than zero";
    let size = match value {
        Some(Value::Number(number)) => number.as_u64().or_else(|| {
            problems.push(Problem::error(
                subject,
                format!("size {number} is not a whole number of bytes greater than zero"),
                fix,
            ));
            None
        })?,
        Some(Value::String(text)) => match text.trim().parse::<u64>() {
            Ok(size) => size,
            Err(_) => {
                problems.push(Problem::error(
                    subject,
                    format!("size '{text}' is not a number of bytes"),
                    fix,
                ));
                return None;
            }
        },
        Some(_) | None => {
            problems.push(Problem::error(subject, "has no usable \"size\"", fix));
            return None;
        }
    };
    if size == 0 {
        problems.push(Problem::error(subject, "has size 0", fix));
        return None;
    }
    Some(size)
}
