//! Nodes and their free disks, as the `hvp_free_disks` fact module reports them.

use super::check_fields;
use super::field as field_of;
use crate::disks::FreeDisk;
use crate::input::escape::escape;
use crate::input::names::NameKind;
use crate::report::Problem;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

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
    "md_raid",
];

pub(super) fn parse_nodes(items: &[Value], problems: &mut Vec<Problem>) -> Vec<NodeFacts> {
    let mut nodes = Vec::new();
    let mut seen: HashMap<String, Repeat> = HashMap::new();
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
            Some(name) => match NameKind::HostName.check(name) {
                Ok(()) => name.to_owned(),
                Err(error) => {
                    problems.push(Problem::error(
                        format!("nodes[{position}]"),
                        error.to_string(),
                        format!("give the inventory host name: {}", error.fix()),
                    ));
                    format!("nodes[{position}]")
                }
            },
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
        match seen.get_mut(&name) {
            Some(repeat) => repeat.count += 1,
            None => {
                seen.insert(name.clone(), Repeat::first(position, &subject));
            }
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
    report_repeats(
        seen.into_values(),
        "in nodes",
        "list each Gluster node once in the glusternodes group",
        problems,
    );
    nodes
}

fn parse_disk_list(
    subject: &str,
    node: &Map<String, Value>,
    field: &str,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Vec<FreeDisk> {
    let items = match field_of(node, field) {
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
    let mut disks: Vec<FreeDisk> = Vec::with_capacity(items.len());
    // Names seen so far and how often: one lookup per disk keeps the check linear.
    let mut seen: HashMap<&str, Repeat> = HashMap::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            problems.push(Problem::error(
                format!("{subject}, {field}[{position}]"),
                "is not an object",
                "give each disk as {\"name\": \"sdb\", \"size\": BYTES}",
            ));
            continue;
        };
        let disk_name = field_of(object, "name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let disk_subject = if disk_name.is_empty() {
            format!("{subject}, {field}[{position}]")
        } else {
            let mut text = String::with_capacity(subject.len() + 7 + disk_name.len());
            text.push_str(subject);
            text.push_str(", disk ");
            text.push_str(disk_name);
            text
        };
        check_fields(&disk_subject, object, DISK_FIELDS, problems);
        let name_ok = check_disk_name(&disk_subject, disk_name, problems);
        let size = parse_disk_size(&disk_subject, field_of(object, "size"), problems);
        if let Some(repeat) = seen.get_mut(disk_name) {
            repeat.count += 1;
            continue;
        }
        seen.insert(disk_name, Repeat::named(position, disk_subject));
        if let (true, Some(size)) = (name_ok, size) {
            disks.push(FreeDisk {
                name: disk_name.to_owned(),
                size,
                // Unknown counts as rotational, as in the hvp_free_disks module.
                rotational: field_of(object, "rotational")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                model: optional_text(object, "model"),
                serial: optional_text(object, "serial"),
                wwn: optional_text(object, "wwn"),
                by_id: optional_text(object, "by_id"),
                // Read into the node's extras (`disk_md_raid`).
                md_raid: None,
            });
        }
    }
    report_repeats(
        seen.into_values(),
        &format!("in {field}"),
        "list each disk once",
        problems,
    );
    disks
}

/// How often a name was listed, where first, and the subject naming it.
struct Repeat {
    count: usize,
    first: usize,
    subject: String,
}

impl Repeat {
    fn first(position: usize, subject: &str) -> Self {
        Self::named(position, subject.to_owned())
    }

    fn named(position: usize, subject: String) -> Self {
        Self {
            count: 1,
            first: position,
            subject,
        }
    }
}

/// One problem per name listed more than once, with the count, in the order first seen.
fn report_repeats(
    seen: impl Iterator<Item = Repeat>,
    place: &str,
    fix: &str,
    problems: &mut Vec<Problem>,
) {
    let mut repeated: Vec<Repeat> = seen.filter(|repeat| repeat.count > 1).collect();
    repeated.sort_by_key(|repeat| repeat.first);
    for repeat in repeated {
        problems.push(Problem::error(
            repeat.subject,
            format!("is listed {} times {place}", repeat.count),
            fix,
        ));
    }
}

fn optional_text(object: &Map<String, Value>, field: &str) -> Option<String> {
    field_of(object, field)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        // Descriptive only (model, serial, ...): kept, with control characters escaped.
        .map(|text| escape(text).into_owned())
}

fn check_disk_name(subject: &str, name: &str, problems: &mut Vec<Problem>) -> bool {
    let fix = "give the kernel name without /dev/, for example \"sdb\" or \"nvme0n1\"";
    if name.is_empty() {
        problems.push(Problem::error(subject, "has no \"name\"", fix));
        return false;
    }
    if let Err(error) = NameKind::BlockDevice.check(name) {
        problems.push(Problem::error(subject, error.to_string(), fix));
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
