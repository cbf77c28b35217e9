//! What the `balanced` policy reads from a node beyond its free disks: its role, whether it
//! runs the Hosted Engine, a strength score for the `weakest` arbiter placement, and RAID
//! geometry and sector sizes of the node and its disks. Every field is optional.

use super::{check_fields, field as field_of};
use crate::report::{closest_name, name_in, value_named, Problem};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// RAID geometry of a node's disks or of one disk (a hardware RAID volume seen as a disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RaidGeometry {
    /// `jbod`, `raid5`, `raid6` or `raid10`.
    pub level: RaidLevel,
    /// Total disks of the array (data and parity).
    pub disks: u32,
    /// Stripe unit in bytes.
    pub stripe_unit_bytes: u64,
}

/// RAID level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RaidLevel {
    /// Plain disks.
    Jbod,
    /// RAID 5 (one parity disk).
    Raid5,
    /// RAID 6 (two parity disks).
    Raid6,
    /// RAID 10 (mirrored pairs).
    Raid10,
}

impl RaidLevel {
    /// Every level with its name.
    pub const ALL: [(RaidLevel, &'static str); 4] = [
        (RaidLevel::Jbod, "jbod"),
        (RaidLevel::Raid5, "raid5"),
        (RaidLevel::Raid6, "raid6"),
        (RaidLevel::Raid10, "raid10"),
    ];

    /// The level's name.
    pub fn name(self) -> &'static str {
        name_in(&Self::ALL, &self).unwrap_or("jbod")
    }
}

/// The optional per-node fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NodeExtras {
    /// `any`, `data`, `arbiter` or `compute` as written (checked by the planner).
    pub role: Option<String>,
    /// Whether the node runs the Hosted Engine (engine/ctdb bricks go there).
    pub hosted_engine: Option<bool>,
    /// Total CPU GHz × 1000, for the `weakest` arbiter placement.
    pub cpu_mhz_total: Option<u64>,
    /// RAM in MiB (from `ram_gib`), for the `weakest` arbiter placement.
    pub ram_mib: Option<u64>,
    /// RAID geometry of the node's data disks.
    pub raid: Option<RaidGeometry>,
    /// RAID geometry per disk (overrides the node's).
    pub disk_raid: BTreeMap<String, RaidGeometry>,
    /// md RAID geometry per disk as `hvp_free_disks` read it from sysfs (`md_raid`); used
    /// only when the input gives no geometry.
    pub disk_md_raid: BTreeMap<String, RaidGeometry>,
    /// Logical sector size per disk, bytes.
    pub disk_sector: BTreeMap<String, u32>,
    /// Vendor per disk.
    pub disk_vendor: BTreeMap<String, String>,
}

/// Node fields read here.
pub const EXTRA_NODE_FIELDS: &[&str] = &["role", "hosted_engine", "score", "raid"];
/// Disk fields read here.
pub const EXTRA_DISK_FIELDS: &[&str] = &["vendor", "logical_sector", "raid", "md_raid"];
/// The values of a node's `role`.
pub const ROLES: &[&str] = &["any", "data", "arbiter", "compute"];

/// Reads the optional fields of the node `object`; problems name `subject`.
pub fn parse_node_extras(
    subject: &str,
    object: &Map<String, Value>,
    problems: &mut Vec<Problem>,
) -> NodeExtras {
    let mut extras = NodeExtras::default();
    match object.get("role") {
        None | Some(Value::Null) => {}
        Some(Value::String(role)) if ROLES.contains(&role.as_str()) => {
            extras.role = Some(role.clone());
        }
        Some(other) => {
            let shown = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            let hint = closest_name(&shown, ROLES.iter().copied())
                .map(|name| format!("did you mean '{name}'? "))
                .unwrap_or_default();
            problems.push(Problem::error(
                format!("{subject}, field role"),
                format!("'{}' is not a node role", escape(&shown)),
                format!("{hint}use one of: {}", ROLES.join(", ")),
            ));
        }
    }
    match object.get("hosted_engine") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(flag)) => extras.hosted_engine = Some(*flag),
        Some(other) => problems.push(Problem::error(
            format!("{subject}, field hosted_engine"),
            format!("{} is not a boolean", escape(&other.to_string())),
            "use true or false",
        )),
    }
    if let Some(score) = object.get("score") {
        match score.as_object() {
            Some(map) => {
                let score_subject = format!("{subject}, field score");
                check_fields(&score_subject, map, &["cpu_ghz_total", "ram_gib"], problems);
                extras.cpu_mhz_total = number(&score_subject, map, "cpu_ghz_total", problems)
                    .map(|ghz| (ghz * 1000.0).round() as u64);
                extras.ram_mib = number(&score_subject, map, "ram_gib", problems)
                    .map(|gib| (gib * 1024.0).round() as u64);
            }
            None => problems.push(Problem::error(
                format!("{subject}, field score"),
                "is not an object",
                "give {\"cpu_ghz_total\": 96, \"ram_gib\": 256}",
            )),
        }
    }
    if let Some(raid) = object.get("raid") {
        extras.raid = parse_raid(&format!("{subject}, field raid"), raid, problems);
    }
    for field in ["hvp_free_disks", "hvp_free_ssds"] {
        let Some(Value::Array(disks)) = object.get(field) else {
            continue;
        };
        for disk in disks.iter().filter_map(Value::as_object) {
            let Some(name) = field_of(disk, "name").and_then(Value::as_str) else {
                continue;
            };
            // Written only when a problem names it (most disks carry none of these fields).
            let disk_subject = || format!("{subject}, disk {}", escape(name));
            if let Some(raid) = field_of(disk, "raid") {
                if let Some(raid) = parse_raid(&format!("{}, raid", disk_subject()), raid, problems)
                {
                    extras.disk_raid.insert(name.to_owned(), raid);
                }
            }
            if let Some(raid) = field_of(disk, "md_raid") {
                if let Some(raid) =
                    parse_raid(&format!("{}, md_raid", disk_subject()), raid, problems)
                {
                    extras.disk_md_raid.insert(name.to_owned(), raid);
                }
            }
            match field_of(disk, "logical_sector") {
                None | Some(Value::Null) => {}
                Some(value) => match value.as_u64() {
                    Some(sector @ (512 | 4096)) => {
                        extras.disk_sector.insert(name.to_owned(), sector as u32);
                    }
                    _ => problems.push(Problem::error(
                        format!("{}, logical_sector", disk_subject()),
                        format!("{} is not a sector size", escape(&value.to_string())),
                        "give 512 or 4096 (bytes), as /sys/block/DISK/queue/logical_block_size",
                    )),
                },
            }
            if let Some(vendor) = field_of(disk, "vendor").and_then(Value::as_str) {
                extras
                    .disk_vendor
                    .insert(name.to_owned(), vendor.trim().to_owned());
            }
        }
    }
    extras
}

fn number(
    subject: &str,
    map: &Map<String, Value>,
    field: &str,
    problems: &mut Vec<Problem>,
) -> Option<f64> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(number) if number.is_finite() && (0.0..1e9).contains(&number) => Some(number),
            _ => {
                problems.push(Problem::error(
                    format!("{subject}.{field}"),
                    format!("{} is not a number", escape(&value.to_string())),
                    "give a number of zero or more",
                ));
                None
            }
        },
    }
}

/// Reads `{level, disks, stripe_unit}`.
pub fn parse_raid(
    subject: &str,
    value: &Value,
    problems: &mut Vec<Problem>,
) -> Option<RaidGeometry> {
    let Some(map) = value.as_object() else {
        problems.push(Problem::error(
            subject,
            "is not an object",
            "give {\"level\": \"raid6\", \"disks\": 12, \"stripe_unit\": \"128KiB\"}",
        ));
        return None;
    };
    check_fields(subject, map, &["level", "disks", "stripe_unit"], problems);
    let names: Vec<&str> = RaidLevel::ALL.iter().map(|(_, name)| *name).collect();
    let level_text = map
        .get("level")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let level = match level_text.as_deref() {
        Some(text) => match value_named(&RaidLevel::ALL, text) {
            Ok(level) => Some(level),
            Err(unknown) => {
                let hint = unknown
                    .closest
                    .map(|name| format!("did you mean '{name}'? "))
                    .unwrap_or_default();
                problems.push(Problem::error(
                    format!("{subject}.level"),
                    format!("'{}' is not a RAID level", escape(text)),
                    format!("{hint}use one of: {}", names.join(", ")),
                ));
                None
            }
        },
        None => {
            problems.push(Problem::error(
                format!("{subject}.level"),
                "is missing",
                format!("give one of: {}", names.join(", ")),
            ));
            None
        }
    }?;
    if level == RaidLevel::Jbod {
        return Some(RaidGeometry {
            level,
            disks: 1,
            stripe_unit_bytes: 0,
        });
    }
    let minimum = match level {
        RaidLevel::Raid5 => 3,
        RaidLevel::Raid6 => 4,
        _ => 4,
    };
    let disks = map.get("disks").and_then(Value::as_u64);
    let disks = match disks {
        Some(count)
            if (minimum..=64).contains(&count)
                && !(level == RaidLevel::Raid10 && count % 2 == 1) =>
        {
            count as u32
        }
        _ => {
            problems.push(Problem::error(
                format!("{subject}.disks"),
                format!(
                    "{} is not a disk count for {}",
                    map.get("disks")
                        .map(Value::to_string)
                        .unwrap_or_else(|| "nothing".into()),
                    level.name()
                ),
                format!(
                    "give the total number of disks of the array, {minimum} to 64{}",
                    if level == RaidLevel::Raid10 {
                        ", even"
                    } else {
                        ""
                    }
                ),
            ));
            return None;
        }
    };
    let stripe = map.get("stripe_unit").map(|value| match value {
        Value::String(text) => crate::size::SizeSpec::parse(text)
            .map(|size| size.bytes())
            .ok(),
        Value::Number(number) => number.as_u64().map(|kib| kib << 10),
        _ => None,
    });
    let stripe_unit_bytes = match stripe.flatten() {
        Some(bytes) if bytes >= 4096 && bytes % 4096 == 0 && bytes <= (16 << 20) => bytes,
        _ => {
            problems.push(Problem::error(
                format!("{subject}.stripe_unit"),
                "is missing or not a stripe unit",
                "give the controller's stripe unit (strip size), e.g. \"128KiB\" or 128 (KiB), a \
                 multiple of 4 KiB up to 16 MiB",
            ));
            return None;
        }
    };
    Some(RaidGeometry {
        level,
        disks,
        stripe_unit_bytes,
    })
}

/// User text without control characters.
pub(crate) fn escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}
