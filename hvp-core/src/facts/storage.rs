//! The variables of the storage policies beyond the original `hvp.yaml` ones: which policy,
//! where arbiters go, disk filters, volume demands (`rest`, `N%`), VDO, cache and RAID.
//!
//! Every variable is optional; unknown keys inside the dictionaries are errors naming the
//! closest known key. Sizes in `hvp_<volume>_size` may be written as for compat (`500GB`, read
//! as GiB), as a bare integer (bytes), as `N%` of the bound or as `rest` / `rest:W` (a weight).

use super::check_fields;
use super::node_extras::{escape, parse_raid, RaidGeometry};
use crate::ansible_bool::parse_ansible_bool;
use crate::input::size_rules::LVM_MAX_BYTES;
use crate::layout::Policy;
use crate::report::{closest_name, Problem};
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The storage variables (not per-volume sizes) this module reads.
pub const STORAGE_VARIABLES: &[&str] = &[
    "hvp_layout_policy",
    "hvp_arbiter_placement",
    "hvp_arbiter_dedicated_nodes",
    "hvp_arbiter_floor",
    "hvp_disk_filter",
    "hvp_vdo_mode",
    "hvp_vdo_ratio",
    "hvp_vdo_expected_savings",
    "hvp_cache_mode",
    "hvp_cache_partition",
    "hvp_fast_use",
    "hvp_raid",
    "hvp_reserve_expansion",
    "hvp_min_set",
    "hvp_volume_layout",
    "hvp_force_same_host",
    "hvp_pool_per_brick",
    "hvp_vg_mode",
    "hvp_layout_grouped",
];

/// Where the arbiter bricks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArbiterPlacement {
    /// Per set, the eligible node with the fewest arbiter bytes so far.
    #[default]
    Rotating,
    /// The last nodes in inventory order hold only arbiters.
    Last,
    /// The weakest nodes hold only arbiters.
    Weakest,
}

/// VDO under the data VGs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VdoMode {
    /// No VDO.
    #[default]
    None,
    /// The `vdo` manager under whole disks (EL7/EL8).
    Legacy,
    /// LVM-VDO (EL9).
    Lvm,
}

/// VGs per disk or per node (`hvp_vg_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VgMode {
    /// One VG per disk.
    #[default]
    PerDisk,
    /// One linear VG per node and tier.
    PerNode,
}

/// lvmcache mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheMode {
    /// Writes reach the slow disk before they are acknowledged.
    #[default]
    Writethrough,
    /// Writes are acknowledged from the SSD (W106).
    Writeback,
    /// No cache: fast disks stay unused unless a volume asks for the fast tier.
    None,
}

/// What fast disks (SSD, NVMe) next to slow ones become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FastUse {
    /// A fast VG when a volume asks for `tier: fast`, else an LV cache (when big enough).
    #[default]
    Auto,
    /// Always an LV cache.
    Cache,
    /// Always fast VGs.
    Tier,
    /// Unused.
    None,
}

/// How much of the capacity a volume asks for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Demand {
    /// A fixed size in bytes.
    Fixed {
        /// Bytes.
        bytes: u64,
    },
    /// A share of the bound, in percent.
    Percent {
        /// Percent (0 < p ≤ 100).
        percent: f64,
    },
    /// What remains, shared by weight.
    Rest {
        /// Weight (≥ 1).
        weight: u32,
    },
    /// The volume is not created (`none`, or `0`).
    None,
}

/// Filters of one disk class (`data`, `fast`, or `exclude`), cephadm-like.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClassFilter {
    /// Only rotational (`true`) or only solid-state (`false`) disks.
    pub rotational: Option<bool>,
    /// Smallest size, bytes, inclusive.
    pub size_min: Option<u64>,
    /// Largest size, bytes, inclusive.
    pub size_max: Option<u64>,
    /// Model substrings (case-insensitive; any of).
    pub model: Vec<String>,
    /// Vendor substrings (case-insensitive; any of).
    pub vendor: Vec<String>,
    /// Explicit by-id names; when given, other filters are bypassed.
    pub by_id: Vec<String>,
    /// Explicit kernel names (`sdb`); when given, other filters are bypassed.
    pub paths: Vec<String>,
    /// At most this many disks per node (0: no limit).
    pub limit: usize,
}

/// The disk filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskFilter {
    /// Data disks.
    pub data: ClassFilter,
    /// Fast disks (cache or fast VG).
    pub fast: ClassFilter,
    /// Disks never used.
    pub exclude: Option<ClassFilter>,
    /// Combine a class's filters with AND (`true`) or OR.
    pub all_of: bool,
}

impl Default for DiskFilter {
    fn default() -> Self {
        Self {
            data: ClassFilter {
                rotational: Some(true),
                size_min: Some(100_000_000_000),
                ..ClassFilter::default()
            },
            fast: ClassFilter {
                rotational: Some(false),
                size_min: Some(64_000_000_000),
                ..ClassFilter::default()
            },
            exclude: None,
            all_of: true,
        }
    }
}

/// Per-volume layout overrides (`hvp_volume_layout: {vmstoredomain: {...}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VolumeLayout {
    /// Plain replica 3 (`true`) or 2 + arbiter.
    pub replica3: Option<bool>,
    /// One replica set (`true`) or spread over every node.
    pub single: Option<bool>,
    /// Thick LVs.
    pub thick: Option<bool>,
    /// On the fast tier.
    pub fast: Option<bool>,
    /// On VDO.
    pub vdo: Option<bool>,
    /// Average file size, bytes (arbiter sizing).
    pub avg_file: Option<u64>,
}

/// The storage variables, parsed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorageVars {
    /// `hvp_layout_policy` (`None`: not given).
    pub policy: Option<Policy>,
    /// `hvp_arbiter_placement`.
    pub arbiter_placement: ArbiterPlacement,
    /// `hvp_arbiter_dedicated_nodes` (for `last` / `weakest`).
    pub dedicated_arbiters: usize,
    /// `hvp_arbiter_floor`, bytes.
    pub arbiter_floor: u64,
    /// `hvp_disk_filter`.
    pub filter: DiskFilter,
    /// `hvp_vdo_mode` (`hvp_use_vdo: true` means `legacy` when this is not given).
    pub vdo_mode: Option<VdoMode>,
    /// `hvp_vdo_ratio`.
    pub vdo_ratio: f64,
    /// `hvp_vdo_expected_savings`: the planned capacity of a VDO disk is its physical size
    /// times this (1 to `hvp_vdo_ratio`; default 1: the logical promise never raises capacity).
    pub vdo_expected_savings: f64,
    /// `hvp_cache_mode`.
    pub cache_mode: CacheMode,
    /// `hvp_cache_partition`.
    pub cache_partition: bool,
    /// `hvp_fast_use`.
    pub fast_use: FastUse,
    /// `hvp_raid`: the geometry of every node without its own.
    pub raid: Option<RaidGeometry>,
    /// `hvp_reserve_expansion`, bytes per node.
    pub reserve_expansion: u64,
    /// `hvp_min_set`, bytes (`None`: automatic).
    pub min_set: Option<u64>,
    /// `hvp_<volume>_size` as the balanced policy reads it (only the variables given).
    pub demands: BTreeMap<VolumeKind, Demand>,
    /// `hvp_volume_layout`.
    pub volume_layout: BTreeMap<VolumeKind, VolumeLayout>,
    /// `hvp_force_same_host` (labs only): with fewer than 3 nodes, members of one replica set
    /// may sit on one node (on distinct disks), W101 instead of E001.
    pub force_same_host: bool,
    /// `hvp_pool_per_brick`: one thin pool per brick LV (glusterdocs/heketi) instead of one
    /// per VG, at the cost of one metadata reservation per brick.
    pub pool_per_brick: bool,
    /// `hvp_vg_mode`.
    pub vg_mode: VgMode,
    /// `hvp_layout_grouped` (spec `layout.grouped`): the nodes are cut into disjoint triples and
    /// every replica set stays inside one, so that two failed nodes stop writes in one triple
    /// at most, at the cost of capacity when the nodes of a triple differ.
    pub grouped: bool,
}

impl Default for StorageVars {
    fn default() -> Self {
        Self {
            policy: None,
            arbiter_placement: ArbiterPlacement::Rotating,
            dedicated_arbiters: 1,
            arbiter_floor: 1 << 30,
            filter: DiskFilter::default(),
            vdo_mode: None,
            vdo_ratio: 3.0,
            vdo_expected_savings: 1.0,
            cache_mode: CacheMode::Writethrough,
            cache_partition: true,
            fast_use: FastUse::Auto,
            raid: None,
            reserve_expansion: 16 << 30,
            min_set: None,
            demands: BTreeMap::new(),
            volume_layout: BTreeMap::new(),
            force_same_host: false,
            pool_per_brick: false,
            vg_mode: VgMode::PerDisk,
            grouped: false,
        }
    }
}

/// Whether `text` is a size only the balanced policy understands (`rest`, `rest:3`, `10%`, or
/// a bare byte count).
pub fn is_balanced_only_size(text: &str) -> bool {
    let text = text.trim();
    text == "rest"
        || text == "none"
        || text.starts_with("rest:")
        || text.ends_with('%')
        || (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit()))
}

/// Reads the storage variables of `vars`.
pub fn parse_storage_vars(vars: &Map<String, Value>, problems: &mut Vec<Problem>) -> StorageVars {
    let mut storage = StorageVars::default();
    if let Some(value) = given(vars, "hvp_layout_policy") {
        storage.policy = choice(
            "hvp_layout_policy",
            value,
            &[("compat", Policy::Compat), ("balanced", Policy::Balanced)],
            problems,
        );
    }
    if let Some(value) = given(vars, "hvp_arbiter_placement") {
        storage.arbiter_placement = choice(
            "hvp_arbiter_placement",
            value,
            &[
                ("rotating", ArbiterPlacement::Rotating),
                ("last", ArbiterPlacement::Last),
                ("weakest", ArbiterPlacement::Weakest),
            ],
            problems,
        )
        .unwrap_or_default();
    }
    if let Some(value) = given(vars, "hvp_arbiter_dedicated_nodes") {
        match integer(value) {
            Some(count @ 1..=64) => storage.dedicated_arbiters = count as usize,
            _ => problems.push(Problem::error(
                "variable hvp_arbiter_dedicated_nodes",
                format!("{} is not a node count", shown(value)),
                "give 1 to 64 (nodes holding only arbiter bricks with the last/weakest placement)",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_arbiter_floor") {
        if let Some(bytes) = size("hvp_arbiter_floor", value, problems) {
            storage.arbiter_floor = bytes;
        }
    }
    if let Some(value) = given(vars, "hvp_disk_filter") {
        storage.filter = parse_filter(value, problems);
    }
    if let Some(value) = given(vars, "hvp_vdo_mode") {
        storage.vdo_mode = choice(
            "hvp_vdo_mode",
            value,
            &[
                ("none", VdoMode::None),
                ("legacy", VdoMode::Legacy),
                ("lvm", VdoMode::Lvm),
            ],
            problems,
        );
    }
    if let Some(value) = given(vars, "hvp_vdo_ratio") {
        match value
            .as_f64()
            .or_else(|| value.as_str().and_then(|t| t.trim().parse().ok()))
        {
            Some(ratio) if (1.0..=100.0).contains(&ratio) => storage.vdo_ratio = ratio,
            _ => problems.push(Problem::error(
                "variable hvp_vdo_ratio",
                format!("{} is not a VDO logical/physical ratio", shown(value)),
                "give a number from 1 to 100 (default 3)",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_vdo_expected_savings") {
        match value
            .as_f64()
            .or_else(|| value.as_str().and_then(|t| t.trim().parse().ok()))
        {
            Some(savings) if (1.0..=100.0).contains(&savings) => {
                storage.vdo_expected_savings = savings;
            }
            _ => problems.push(Problem::error(
                "variable hvp_vdo_expected_savings",
                format!("{} is not a VDO savings ratio", shown(value)),
                "give a number from 1 (default: plan on physical bytes) up to hvp_vdo_ratio",
            )),
        }
    }
    if storage.vdo_expected_savings > storage.vdo_ratio {
        problems.push(Problem::error(
            "variable hvp_vdo_expected_savings",
            format!(
                "{} is above hvp_vdo_ratio {}: the thin pools would promise more than VDO's logical size",
                storage.vdo_expected_savings, storage.vdo_ratio
            ),
            "give a savings ratio at most hvp_vdo_ratio (default 3), or raise hvp_vdo_ratio",
        ));
    }
    if let Some(value) = given(vars, "hvp_cache_mode") {
        storage.cache_mode = choice(
            "hvp_cache_mode",
            value,
            &[
                ("writethrough", CacheMode::Writethrough),
                ("writeback", CacheMode::Writeback),
                ("none", CacheMode::None),
            ],
            problems,
        )
        .unwrap_or_default();
    }
    if let Some(value) = given(vars, "hvp_cache_partition") {
        match parse_ansible_bool(value) {
            Some(flag) => storage.cache_partition = flag,
            None => problems.push(Problem::error(
                "variable hvp_cache_partition",
                format!("{} is not a boolean", shown(value)),
                "use true or false",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_fast_use") {
        storage.fast_use = choice(
            "hvp_fast_use",
            value,
            &[
                ("auto", FastUse::Auto),
                ("cache", FastUse::Cache),
                ("tier", FastUse::Tier),
                ("none", FastUse::None),
            ],
            problems,
        )
        .unwrap_or_default();
    }
    if let Some(value) = given(vars, "hvp_raid") {
        storage.raid = parse_raid("variable hvp_raid", value, problems);
    }
    if let Some(value) = given(vars, "hvp_reserve_expansion") {
        if value.as_u64() == Some(0) || value.as_str().map(str::trim) == Some("0") {
            storage.reserve_expansion = 0;
        } else if let Some(bytes) = size("hvp_reserve_expansion", value, problems) {
            storage.reserve_expansion = bytes;
        }
    }
    if let Some(value) = given(vars, "hvp_min_set") {
        if value.as_str().map(str::trim) != Some("auto") {
            storage.min_set = size("hvp_min_set", value, problems);
        }
    }
    for kind in VolumeKind::ALL {
        let variable = kind.size_variable();
        if let Some(value) = given(vars, &variable) {
            if let Some(demand) = parse_demand(&variable, value, problems) {
                storage.demands.insert(kind, demand);
            }
        }
    }
    if let Some(value) = given(vars, "hvp_vg_mode") {
        storage.vg_mode = choice(
            "hvp_vg_mode",
            value,
            &[("per-disk", VgMode::PerDisk), ("per-node", VgMode::PerNode)],
            problems,
        )
        .unwrap_or_default();
    }
    if let Some(value) = given(vars, "hvp_pool_per_brick") {
        match parse_ansible_bool(value) {
            Some(flag) => storage.pool_per_brick = flag,
            None => problems.push(Problem::error(
                "variable hvp_pool_per_brick",
                format!("{} is not a boolean", shown(value)),
                "use true (one thin pool per brick) or false (one per VG, the default)",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_layout_grouped") {
        match parse_ansible_bool(value) {
            Some(flag) => storage.grouped = flag,
            None => problems.push(Problem::error(
                "variable hvp_layout_grouped",
                format!("{} is not a boolean", shown(value)),
                "use true (replica sets inside disjoint node triples) or false (spread over \
                 every node, the default)",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_force_same_host") {
        match parse_ansible_bool(value) {
            Some(flag) => storage.force_same_host = flag,
            None => problems.push(Problem::error(
                "variable hvp_force_same_host",
                format!("{} is not a boolean", shown(value)),
                "use true (labs only: replica sets may have members on one node) or false",
            )),
        }
    }
    if let Some(value) = given(vars, "hvp_volume_layout") {
        storage.volume_layout = parse_volume_layout(value, problems);
    }
    storage
}

fn given<'a>(vars: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    match vars.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if text.trim().is_empty() => None,
        Some(value) => Some(value),
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => format!("'{}'", escape(text)),
        other => escape(&other.to_string()),
    }
}

fn integer(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
}

fn choice<T: Copy>(
    variable: &str,
    value: &Value,
    options: &[(&str, T)],
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let text = value.as_str().map(|text| text.trim().to_ascii_lowercase());
    if let Some(found) = text
        .as_deref()
        .and_then(|text| options.iter().find(|(name, _)| *name == text))
    {
        return Some(found.1);
    }
    let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
    let hint = text
        .as_deref()
        .and_then(|text| closest_name(text, names.iter().copied()))
        .map(|name| format!("did you mean '{name}'? "))
        .unwrap_or_default();
    problems.push(Problem::error(
        format!("variable {variable}"),
        format!("{} is not one of {}", shown(value), names.join(", ")),
        format!("{hint}use one of: {}", names.join(", ")),
    ));
    None
}

fn size(variable: &str, value: &Value, problems: &mut Vec<Problem>) -> Option<u64> {
    let parsed = match value {
        Value::Number(number) => number.as_u64().filter(|bytes| *bytes > 0),
        Value::String(text) => exact_size(text),
        _ => None,
    };
    // The shared bound (`input::size_rules`): nothing in LVM is larger than 8 EiB, and sums of
    // such sizes stay within 64 bits.
    if let Some(bytes) = parsed.filter(|bytes| *bytes > LVM_MAX_BYTES) {
        problems.push(too_large(variable, &format!("{bytes} bytes")));
        return None;
    }
    if parsed.is_none() {
        problems.push(Problem::error(
            format!("variable {variable}"),
            format!("{} is not a size", shown(value)),
            "give bytes or a number with a unit, for example \"16GiB\"",
        ));
    }
    parsed
}

/// A size with a unit, `KB/MB/GB/TB` decimal and `KiB/MiB/GiB/TiB`, `K/M/G/T` binary, or a
/// bare byte count; `None` when it is none of these or zero. Used by the disk filters, which
/// compare with the real disk size byte for byte.
pub fn exact_size(text: &str) -> Option<u64> {
    let text = text.trim();
    // One grammar for sizes (docs/input-rules.md): no blanks inside (`1 GB` is refused).
    if text.is_empty() || text.contains(char::is_whitespace) {
        return None;
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = unit.trim();
    let multiplier: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024f64.powi(2),
        "g" | "gib" => 1024f64.powi(3),
        "t" | "tib" => 1024f64.powi(4),
        "p" | "pib" => 1024f64.powi(5),
        _ => return None,
    };
    if unit.is_empty() || unit.eq_ignore_ascii_case("b") {
        return number.parse::<u64>().ok().filter(|bytes| *bytes > 0);
    }
    let value: f64 = number.parse().ok()?;
    let bytes = value * multiplier;
    (1.0..1.8e19).contains(&bytes).then_some(bytes as u64)
}

/// Reads `hvp_<volume>_size` for the balanced policy.
pub fn parse_demand(variable: &str, value: &Value, problems: &mut Vec<Problem>) -> Option<Demand> {
    let fix = "give a size (\"500GiB\", bytes), a share of the bound (\"10%\"), or \"rest\" / \
               \"rest:3\" (what remains, shared by weight)";
    let text = match value {
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.trim().to_owned(),
        _ => {
            problems.push(Problem::error(
                format!("variable {variable}"),
                format!("{} is not a size", shown(value)),
                fix,
            ));
            return None;
        }
    };
    let bad = |problems: &mut Vec<Problem>| {
        problems.push(Problem::error(
            format!("variable {variable}"),
            format!("'{}' is not a size, a percentage or rest", escape(&text)),
            fix,
        ));
        None
    };
    if text == "rest" {
        return Some(Demand::Rest { weight: 1 });
    }
    if text == "none" || text == "0" {
        return Some(Demand::None);
    }
    if let Some(weight) = text.strip_prefix("rest:") {
        return match weight.trim().parse::<u32>() {
            Ok(weight @ 1..=1000) => Some(Demand::Rest { weight }),
            _ => bad(problems),
        };
    }
    if let Some(percent) = text.strip_suffix('%') {
        return match percent.trim().parse::<f64>() {
            Ok(percent) if percent > 0.0 && percent <= 100.0 => Some(Demand::Percent { percent }),
            _ => bad(problems),
        };
    }
    let bytes = if text.chars().all(|c| c.is_ascii_digit()) {
        match text.parse::<u64>() {
            Ok(bytes) if bytes > 0 => bytes,
            Ok(_) => return bad(problems),
            // Digits only, but beyond 64 bits: too large, not "not a size".
            Err(_) => {
                problems.push(too_large(variable, &format!("{text} bytes")));
                return None;
            }
        }
    } else {
        match SizeSpec::parse(&text) {
            Ok(size) => size.bytes(),
            Err(_) => return bad(problems),
        }
    };
    if bytes > LVM_MAX_BYTES {
        problems.push(too_large(variable, &format!("{bytes} bytes")));
        return None;
    }
    Some(Demand::Fixed { bytes })
}

/// A size above the largest LVM size, with the bound in the message.
fn too_large(variable: &str, shown: &str) -> Problem {
    Problem::error(
        format!("variable {variable}"),
        format!("{shown} is too large (at most {LVM_MAX_BYTES} bytes, 8 EiB, LVM's limit)"),
        "give a smaller size, for example \"16TiB\"",
    )
}

fn parse_filter(value: &Value, problems: &mut Vec<Problem>) -> DiskFilter {
    let mut filter = DiskFilter::default();
    let subject = "variable hvp_disk_filter";
    let Some(map) = value.as_object() else {
        problems.push(Problem::error(
            subject,
            "is not a dictionary",
            "give {data: {rotational: true, size: \"100GB:\"}, fast: {...}, exclude: {...}, \
             logic: AND}",
        ));
        return filter;
    };
    check_fields(
        subject,
        map,
        &["data", "fast", "exclude", "logic"],
        problems,
    );
    if let Some(data) = map.get("data") {
        filter.data = parse_class(&format!("{subject}.data"), data, problems);
    }
    if let Some(fast) = map.get("fast") {
        filter.fast = parse_class(&format!("{subject}.fast"), fast, problems);
    }
    if let Some(exclude) = map.get("exclude") {
        filter.exclude = Some(parse_class(
            &format!("{subject}.exclude"),
            exclude,
            problems,
        ));
    }
    if let Some(logic) = map.get("logic") {
        match logic.as_str().map(|text| text.trim().to_ascii_uppercase()) {
            Some(text) if text == "AND" => filter.all_of = true,
            Some(text) if text == "OR" => filter.all_of = false,
            _ => problems.push(Problem::error(
                format!("{subject}.logic"),
                format!("{} is not AND or OR", shown(logic)),
                "use AND (every filter must match) or OR (any filter)",
            )),
        }
    }
    filter
}

const CLASS_FIELDS: &[&str] = &[
    "rotational",
    "size",
    "model",
    "vendor",
    "by_id",
    "paths",
    "limit",
];

fn parse_class(subject: &str, value: &Value, problems: &mut Vec<Problem>) -> ClassFilter {
    let mut class = ClassFilter::default();
    let Some(map) = value.as_object() else {
        problems.push(Problem::error(
            subject,
            "is not a dictionary",
            "give {rotational: true, size: \"100GB:\", model: [..], vendor: [..], by_id: [..], \
             paths: [..], limit: 0}",
        ));
        return class;
    };
    check_fields(subject, map, CLASS_FIELDS, problems);
    if let Some(value) = map.get("rotational") {
        match parse_ansible_bool(value) {
            Some(flag) => class.rotational = Some(flag),
            None => problems.push(Problem::error(
                format!("{subject}.rotational"),
                format!("{} is not a boolean", shown(value)),
                "use true (spinning disks) or false (SSD, NVMe)",
            )),
        }
    }
    if let Some(value) = map.get("size") {
        let text = value.as_str().unwrap_or_default().trim().to_owned();
        let parsed = match text.split_once(':') {
            Some((low, high)) => {
                let low = (!low.trim().is_empty()).then(|| exact_size(low));
                let high = (!high.trim().is_empty()).then(|| exact_size(high));
                match (low, high) {
                    (Some(None), _) | (_, Some(None)) | (None, None) => None,
                    (low, high) => Some((low.flatten(), high.flatten())),
                }
            }
            None => exact_size(&text).map(|bytes| (Some(bytes), Some(bytes))),
        };
        match parsed {
            Some((low, high)) => {
                class.size_min = low;
                class.size_max = high;
            }
            None => problems.push(Problem::error(
                format!("{subject}.size"),
                format!("{} is not a size range", shown(value)),
                "give \"100GB:\" (at least), \":2TB\" (at most), \"1TB:4TB\" (inclusive) or an \
                 exact size; KB/MB/GB/TB are decimal, KiB/MiB/GiB/TiB binary",
            )),
        }
    }
    for (field, target) in [
        ("model", &mut class.model),
        ("vendor", &mut class.vendor),
        ("by_id", &mut class.by_id),
        ("paths", &mut class.paths),
    ] {
        match map.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => target.push(text.trim().to_owned()),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                target.extend(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|text| text.trim().to_owned()),
                );
            }
            Some(other) => problems.push(Problem::error(
                format!("{subject}.{field}"),
                format!("{} is not a list of strings", shown(other)),
                "give a string or a list of strings",
            )),
        }
    }
    if let Some(value) = map.get("limit") {
        match integer(value) {
            Some(limit) if limit <= 1000 => class.limit = limit as usize,
            _ => problems.push(Problem::error(
                format!("{subject}.limit"),
                format!("{} is not a disk count", shown(value)),
                "give 0 (no limit) or the most disks of this class per node",
            )),
        }
    }
    class
}

const LAYOUT_FIELDS: &[&str] = &["mode", "spread", "thick", "tier", "vdo", "avg_file"];

fn parse_volume_layout(
    value: &Value,
    problems: &mut Vec<Problem>,
) -> BTreeMap<VolumeKind, VolumeLayout> {
    let subject = "variable hvp_volume_layout";
    let mut layouts = BTreeMap::new();
    let Some(map) = value.as_object() else {
        problems.push(Problem::error(
            subject,
            "is not a dictionary",
            "give {vmstoredomain: {mode: arbiter, spread: all, thick: false, tier: slow, vdo: \
             false, avg_file: 64MiB}}",
        ));
        return layouts;
    };
    let stems: Vec<&str> = VolumeKind::ALL.iter().map(|kind| kind.stem()).collect();
    for (stem, settings) in map {
        let Some(kind) = VolumeKind::ALL.into_iter().find(|kind| kind.stem() == stem) else {
            let fix = match closest_name(stem, stems.iter().copied()) {
                Some(name) => format!("did you mean '{name}'?"),
                None => format!("use one of: {}", stems.join(", ")),
            };
            problems.push(Problem::error(
                format!("{subject}.{}", escape(stem)),
                "is not a volume",
                fix,
            ));
            continue;
        };
        let volume_subject = format!("{subject}.{stem}");
        let Some(settings) = settings.as_object() else {
            problems.push(Problem::error(
                &volume_subject,
                "is not a dictionary",
                "give {mode: arbiter, ...}",
            ));
            continue;
        };
        check_fields(&volume_subject, settings, LAYOUT_FIELDS, problems);
        let mut layout = VolumeLayout::default();
        let field = |name: &str| settings.get(name).filter(|value| !value.is_null());
        if let Some(value) = field("mode") {
            layout.replica3 = choice(
                &format!("{}.mode", volume_subject.trim_start_matches("variable ")),
                value,
                &[("replica3", true), ("arbiter", false)],
                problems,
            );
        }
        if let Some(value) = field("spread") {
            layout.single = choice(
                &format!("{}.spread", volume_subject.trim_start_matches("variable ")),
                value,
                &[("single", true), ("all", false)],
                problems,
            );
        }
        if let Some(value) = field("tier") {
            layout.fast = choice(
                &format!("{}.tier", volume_subject.trim_start_matches("variable ")),
                value,
                &[("slow", false), ("fast", true)],
                problems,
            );
        }
        for (name, target) in [("thick", &mut layout.thick), ("vdo", &mut layout.vdo)] {
            if let Some(value) = field(name) {
                match parse_ansible_bool(value) {
                    Some(flag) => *target = Some(flag),
                    None => problems.push(Problem::error(
                        format!("{volume_subject}.{name}"),
                        format!("{} is not a boolean", shown(value)),
                        "use true or false",
                    )),
                }
            }
        }
        if let Some(value) = field("avg_file") {
            layout.avg_file = size(
                &format!(
                    "{}.avg_file",
                    volume_subject.trim_start_matches("variable ")
                ),
                value,
                problems,
            );
        }
        layouts.insert(kind, layout);
    }
    layouts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(vars: Value) -> (StorageVars, Vec<Problem>) {
        let mut problems = Vec::new();
        let storage = parse_storage_vars(vars.as_object().unwrap(), &mut problems);
        (storage, problems)
    }

    #[test]
    fn demands_take_sizes_percentages_and_rest() {
        let (storage, problems) = parse(json!({
            "hvp_vmstoredomain_size": "rest:3", "hvp_backup_size": "rest",
            "hvp_winshare_size": "10%", "hvp_isodomain_size": "50GiB",
            "hvp_ctdb_size": 1073741824u64,
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            storage.demands[&VolumeKind::VmStore],
            Demand::Rest { weight: 3 }
        );
        assert_eq!(
            storage.demands[&VolumeKind::Backup],
            Demand::Rest { weight: 1 }
        );
        assert_eq!(
            storage.demands[&VolumeKind::WinShare],
            Demand::Percent { percent: 10.0 }
        );
        assert_eq!(
            storage.demands[&VolumeKind::Iso],
            Demand::Fixed { bytes: 50 << 30 }
        );
        assert_eq!(
            storage.demands[&VolumeKind::Ctdb],
            Demand::Fixed { bytes: 1 << 30 }
        );
    }

    #[test]
    fn misspelt_choices_and_keys_say_did_you_mean() {
        let (_, problems) = parse(json!({
            "hvp_layout_policy": "balanc", "hvp_arbiter_placement": "rotate",
            "hvp_disk_filter": {"data": {"rotationl": true}},
            "hvp_volume_layout": {"vmstore": {"mode": "arbiter"}, "backup": {"tire": "fast"}},
        }));
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let all = text.join("\n");
        assert!(all.contains("did you mean 'balanced'"), "{all}");
        assert!(all.contains("did you mean 'rotating'"), "{all}");
        assert!(all.contains("did you mean 'rotational'"), "{all}");
        assert!(all.contains("did you mean 'vmstoredomain'"), "{all}");
        assert!(all.contains("did you mean 'tier'"), "{all}");
    }

    #[test]
    fn filter_sizes_are_byte_exact_with_decimal_and_binary_units() {
        assert_eq!(exact_size("100GB"), Some(100_000_000_000));
        assert_eq!(exact_size("1TiB"), Some(1 << 40));
        assert_eq!(exact_size("64G"), Some(64 << 30));
        assert_eq!(exact_size("4096"), Some(4096));
        assert_eq!(exact_size("12 parsecs"), None);
        let (storage, problems) = parse(json!({"hvp_disk_filter": {
            "data": {"size": "1TB:4TB", "limit": 2}, "fast": {"size": ":1TB"}, "logic": "or"}}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(storage.filter.data.size_min, Some(1_000_000_000_000));
        assert_eq!(storage.filter.data.size_max, Some(4_000_000_000_000));
        assert_eq!(storage.filter.data.limit, 2);
        assert_eq!(storage.filter.fast.size_min, None);
        assert!(!storage.filter.all_of);
    }

    #[test]
    fn bad_values_are_errors_naming_the_variable() {
        let (_, problems) = parse(json!({
            "hvp_vmstoredomain_size": "rest:0", "hvp_vdo_ratio": 0.5, "hvp_raid": {"level": "raid7"},
            "hvp_arbiter_dedicated_nodes": 0, "hvp_winshare_size": "120%",
        }));
        let subjects: Vec<&str> = problems.iter().map(|p| p.subject.as_str()).collect();
        assert!(
            subjects.contains(&"variable hvp_vmstoredomain_size"),
            "{subjects:?}"
        );
        assert!(subjects.contains(&"variable hvp_vdo_ratio"));
        assert!(subjects.contains(&"variable hvp_raid.level"));
        assert!(subjects.contains(&"variable hvp_arbiter_dedicated_nodes"));
        assert!(subjects.contains(&"variable hvp_winshare_size"));
    }
}
