//! The first half of the plan: disk selection, node roles, one VG per used disk (with RAID
//! alignment, VDO and caches), thick LVs and thin pools, then the single-set volumes (engine,
//! ctdb, iso by default) on the nodes with most room.

use super::arbiter::{arbiter_bytes, place_arbiters, ArbiterRequest};
use super::cache::{partition_name, plan_caches};
use super::capacity::{addressing_chunk, floor_extents, pool_in, vg_bytes};
use super::inputs::{
    node_count_problems, node_infos, vdo_mode, volume_specs, NodeInfo, VolumeSpec,
};
use super::names;
use super::raid::{geometry, looks_like_raid_volume};
use super::select::{select_owned_disks, Selection};
use super::state::{place, BrickCounters, BrickRef, PlacedLv, Vg};
use super::tiering::{fast_role, FastRole};
use super::vdo;
use crate::disks::FreeDisk;
use crate::facts::storage::{CacheMode, Demand, VdoMode};
use crate::facts::{FactsDocument, NodeFacts};
use crate::layout::model::{DiskUse, LvCache, PlanWarning, Tier, VdoDevice, VdoKind, VdoSettings};
use crate::report::{Problem, Report};
use crate::size::human_bytes;
use std::collections::BTreeMap;

/// Everything decided before the spread volumes.
#[derive(Debug, Clone)]
pub struct Built {
    /// The volumes to plan.
    pub specs: Vec<VolumeSpec>,
    /// Node roles.
    pub infos: Vec<NodeInfo>,
    /// Disk selection per node.
    pub selections: Vec<Selection>,
    /// Why disks are not used beyond the selection (dedicated nodes, tiering), per node.
    pub unused: Vec<BTreeMap<String, String>>,
    /// Fast disks used as cache, per node.
    pub cache_disks: Vec<Vec<String>>,
    /// Volume groups.
    pub vgs: Vec<Vg>,
    /// Per volume, its replica sets (bricks in Gluster order).
    pub sets: Vec<Vec<Vec<BrickRef>>>,
    /// Arbiter bytes per node so far.
    pub arbiter_bytes: Vec<u64>,
    /// The VG of each node that takes its arbiter bricks.
    pub arbiter_vg: Vec<Option<usize>>,
    /// Bytes given to single-set volumes (counted into the bound).
    pub single_bytes: u64,
    /// Warnings so far.
    pub warnings: Vec<PlanWarning>,
    /// Per (node, volume, arbiter) the last brick number used.
    pub counters: BrickCounters,
    /// Per node, its VGs (indexes into `vgs`, in order).
    pub node_vgs: Vec<Vec<usize>>,
    /// Estimated share of the slow tier's raw bytes for VDO-eligible volumes (0: no VDO).
    pub vdo_fraction: f64,
    /// Spread volumes keep to their VDO class (false after [`super::vdo::with_fallback`]).
    pub vdo_classes: bool,
    /// The node triples of a grouped layout (`hvp_layout_grouped`; empty: spread layout).
    pub groups: Vec<super::groups::Group>,
}

/// A node's free disks and free SSDs (each once): what disk selection chooses from.
pub fn candidate_disks(node: &NodeFacts) -> Vec<FreeDisk> {
    let mut disks = node.free_disks.clone();
    for ssd in &node.free_ssds {
        if !disks.iter().any(|disk| disk.name == ssd.name) {
            disks.push(ssd.clone());
        }
    }
    disks
}

fn error(
    code: &str,
    subject: impl Into<String>,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> Problem {
    Problem::error(subject, format!("{code}: {}", message.into()), fix)
}

/// E006: explicitly named disks that are not free.
fn explicit_problems(facts: &FactsDocument) -> Vec<Problem> {
    let filter = &facts.vars.storage.filter;
    let mut problems = Vec::new();
    for (class, name) in [(&filter.data, "data"), (&filter.fast, "fast")] {
        for path in &class.paths {
            let disk = path.trim_start_matches("/dev/");
            if !facts
                .nodes
                .iter()
                .any(|node| candidate_disks(node).iter().any(|d| d.name == disk))
            {
                problems.push(error(
                    "E006",
                    format!("variable hvp_disk_filter.{name}.paths"),
                    format!("disk {disk} is not free on any node (it has partitions, signatures, LVM or a mount, or does not exist)"),
                    "wipe the disk if it is really unused and gather the facts again, or remove it from the list",
                ));
            }
        }
        for id in &class.by_id {
            let wanted = id.trim_start_matches("/dev/disk/by-id/");
            if !facts.nodes.iter().any(|node| {
                candidate_disks(node)
                    .iter()
                    .any(|d| d.by_id.as_deref() == Some(wanted))
            }) {
                problems.push(error(
                    "E006",
                    format!("variable hvp_disk_filter.{name}.by_id"),
                    format!("disk {wanted} is not free on any node"),
                    "wipe the disk if it is really unused and gather the facts again, or remove it from the list",
                ));
            }
        }
    }
    problems
}

/// Builds the VGs and places the single-set volumes.
pub fn build(facts: &FactsDocument) -> Result<Built, Report> {
    let vars = &facts.vars;
    let storage = &vars.storage;
    let specs = volume_specs(vars);
    let mut problems = explicit_problems(facts);
    let mut warnings = Vec::new();
    let selections: Vec<Selection> = facts
        .nodes
        .iter()
        .map(|node| {
            select_owned_disks(
                candidate_disks(node),
                |name| node.extras.disk_vendor.get(name).map(String::as_str),
                &storage.filter,
            )
        })
        .collect();
    let capacity: Vec<u64> = selections
        .iter()
        .map(|selection| {
            let data: u64 = selection
                .data
                .iter()
                .map(|d| d.size)
                .fold(0u64, u64::saturating_add);
            if data > 0 {
                data
            } else {
                selection
                    .fast
                    .iter()
                    .map(|d| d.size)
                    .fold(0u64, u64::saturating_add)
            }
        })
        .collect();
    // Every sum of bytes below stays far inside u64 (2^62 bytes is 4 EiB).
    let total: u128 = selections
        .iter()
        .flat_map(|selection| selection.data.iter().chain(&selection.fast))
        .map(|disk| u128::from(disk.size))
        .sum();
    if total > 1u128 << 62 {
        return Err(Report::new(vec![error(
            "E004",
            "nodes",
            format!("the selected disks add up to {total} bytes, more than 4 EiB"),
            "check the disk sizes in the facts (bytes), or plan fewer nodes at once",
        )]));
    }
    let mut infos = node_infos(
        facts,
        storage.arbiter_placement,
        storage.dedicated_arbiters,
        &capacity,
    );
    let groups = if storage.grouped {
        super::groups::form_groups(
            facts,
            &mut infos,
            storage.arbiter_placement,
            &capacity,
            &specs,
        )
        .unwrap_or_else(|mut found| {
            problems.append(&mut found);
            Vec::new()
        })
    } else {
        Vec::new()
    };
    problems.extend(node_count_problems(&infos, &specs));
    for spec in &specs {
        if spec.single && !matches!(spec.demand, Demand::Fixed { .. }) {
            problems.push(error(
                "E004",
                format!("variable {}", spec.kind.size_variable()),
                format!(
                    "volume {} has one replica set (spread: single) and needs a fixed size",
                    spec.name
                ),
                "give a size such as \"50GiB\", or set spread: all in hvp_volume_layout",
            ));
        }
    }
    if storage.arbiter_floor < super::arbiter::HARD_MINIMUM {
        problems.push(error(
            "E010",
            "variable hvp_arbiter_floor",
            format!(
                "{} is below the XFS minimum filesystem size of 300 MiB",
                human_bytes(storage.arbiter_floor)
            ),
            "give at least 300MiB (default 1GiB)",
        ));
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    let fast_wanted = specs.iter().any(|spec| spec.fast);
    let vdo_mode = vdo_mode(vars);
    let data_raw: Vec<u64> = (0..facts.nodes.len())
        .map(|i| if infos[i].data { capacity[i] } else { 0 })
        .collect();
    let vdo_fraction = if vdo_mode == VdoMode::None {
        0.0
    } else {
        vdo::with_plain_margin(
            vdo::eligible_fraction(&specs, &data_raw),
            storage.reserve_expansion,
            &data_raw,
        )
    };
    let mut built = Built {
        specs,
        infos,
        selections,
        unused: vec![BTreeMap::new(); facts.nodes.len()],
        cache_disks: vec![Vec::new(); facts.nodes.len()],
        vgs: Vec::new(),
        sets: Vec::new(),
        arbiter_bytes: vec![0; facts.nodes.len()],
        arbiter_vg: vec![None; facts.nodes.len()],
        single_bytes: 0,
        warnings: Vec::new(),
        counters: BrickCounters::default(),
        node_vgs: vec![Vec::new(); facts.nodes.len()],
        vdo_fraction,
        vdo_classes: true,
        groups,
    };
    built.sets = vec![Vec::new(); built.specs.len()];
    // At most a VG per selected disk: reserved once rather than grown by doubling.
    built.vgs.reserve(
        built
            .selections
            .iter()
            .map(|selection| selection.data.len() + selection.fast.len())
            .sum(),
    );
    for (index, node) in facts.nodes.iter().enumerate() {
        build_node(
            facts,
            node,
            index,
            &mut built,
            fast_wanted,
            vdo_mode,
            &mut warnings,
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    for (vg, group) in built.vgs.iter().enumerate() {
        built.node_vgs[group.node].push(vg);
    }
    problems.extend(super::groups::empty_node_problems(
        &built.groups,
        &built.infos,
        |node| !built.node_vgs[node].is_empty(),
    ));
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    place_thick_singles(&mut built, &mut problems);
    let per_brick = storage.pool_per_brick;
    for vg in &mut built.vgs {
        let available = vg.capacity.saturating_sub(vg.thick_bytes);
        vg.geometry.chunk_bytes = addressing_chunk(vg.geometry.chunk_bytes, available);
        let (data, metadata) = if per_brick {
            super::capacity::per_brick_budget(available, vg.geometry.chunk_bytes)
        } else {
            pool_in(available, vg.geometry.chunk_bytes)
        };
        vg.pool_data = data;
        vg.pool_metadata = metadata;
        vg.free = data;
        // Legacy VDO: the pool takes the VG on the logical size (thin LVs may over-commit
        // the physical disk up to the ratio); the plan still fills only `capacity`.
        if let Some(device) = vg
            .vdo
            .as_ref()
            .filter(|v| v.kind == VdoKind::Legacy && !per_brick)
        {
            let logical = vg_bytes(
                device.logical_size_bytes,
                vg.geometry.alignment.data_alignment_bytes,
            );
            let (pool, metadata) = pool_in(
                logical.saturating_sub(vg.thick_bytes),
                vg.geometry.chunk_bytes,
            );
            if pool >= data {
                vg.pool_data = pool;
                vg.pool_metadata = metadata;
            }
        }
    }
    if problems.is_empty() {
        place_thin_singles(&mut built, vars.storage.arbiter_floor, &mut problems);
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    built.warnings = warnings;
    Ok(built)
}

#[allow(clippy::too_many_arguments)]
fn build_node(
    facts: &FactsDocument,
    node: &NodeFacts,
    index: usize,
    built: &mut Built,
    fast_wanted: bool,
    vdo_mode: VdoMode,
    warnings: &mut Vec<PlanWarning>,
    problems: &mut Vec<Problem>,
) {
    // The node's selection is lent out (not copied) while its VGs go into `built`.
    let selection = std::mem::take(&mut built.selections[index]);
    build_node_from(
        facts,
        node,
        index,
        &selection,
        built,
        (fast_wanted, vdo_mode),
        warnings,
        problems,
    );
    built.selections[index] = selection;
}

#[allow(clippy::too_many_arguments)]
fn build_node_from(
    facts: &FactsDocument,
    node: &NodeFacts,
    index: usize,
    selection: &Selection,
    built: &mut Built,
    (fast_wanted, vdo_mode): (bool, VdoMode),
    warnings: &mut Vec<PlanWarning>,
    problems: &mut Vec<Problem>,
) {
    let storage = &facts.vars.storage;
    let info = built.infos[index].clone();
    let subject = format!("node {}", node.name);
    let unused = &mut built.unused[index];
    if info.role == crate::layout::model::NodeRole::Compute {
        for disk in selection.data.iter().chain(&selection.fast) {
            unused.insert(
                disk.name.clone(),
                "compute node: holds no bricks".to_owned(),
            );
        }
        return;
    }
    // A dedicated arbiter node (last/weakest or role arbiter) uses one disk, fast first.
    let dedicated = !info.data && info.arbiter;
    let data_bytes: u64 = selection
        .data
        .iter()
        .map(|d| d.size)
        .fold(0u64, u64::saturating_add);
    let fast_bytes: u64 = selection
        .fast
        .iter()
        .map(|d| d.size)
        .fold(0u64, u64::saturating_add);
    let mut data_disks: Vec<(&FreeDisk, DiskUse, Tier)> = Vec::new();
    let mut cache_devices: Vec<&FreeDisk> = Vec::new();
    if dedicated {
        let chosen = selection.fast.first().or(selection.data.first());
        for disk in selection.data.iter().chain(&selection.fast) {
            if Some(&disk.name) != chosen.as_ref().map(|c| &c.name) {
                unused.insert(
                    disk.name.clone(),
                    "dedicated arbiter node: one disk holds its arbiter bricks".to_owned(),
                );
            }
        }
        if let Some(disk) = chosen {
            let tier = if disk.rotational {
                Tier::Slow
            } else {
                Tier::Fast
            };
            data_disks.push((disk, DiskUse::Arbiter, tier));
        }
    } else {
        for disk in &selection.data {
            data_disks.push((disk, DiskUse::Data, Tier::Slow));
        }
        match fast_role(
            data_bytes,
            fast_bytes,
            storage.fast_use,
            storage.cache_mode,
            fast_wanted,
        ) {
            FastRole::Nothing => {}
            FastRole::Data => {
                for disk in &selection.fast {
                    data_disks.push((disk, DiskUse::Data, Tier::Slow));
                }
            }
            FastRole::FastVg => {
                for disk in &selection.fast {
                    data_disks.push((disk, DiskUse::Fast, Tier::Fast));
                }
            }
            FastRole::Cache => cache_devices = selection.fast.iter().collect(),
            FastRole::Unused(reason) => {
                for disk in &selection.fast {
                    unused.insert(disk.name.clone(), reason.to_owned());
                }
                if reason.contains("W115") {
                    warnings.push(PlanWarning::new(
                        "W115",
                        &subject,
                        format!(
                            "the fast disks ({}) are too small to cache {} of data disks and stay unused",
                            human_bytes(fast_bytes),
                            human_bytes(data_bytes)
                        ),
                        "add a bigger SSD (at least 1 % of the data disks), or set hvp_fast_use: tier to use them as a fast VG",
                    ));
                }
            }
        }
    }
    if data_disks.is_empty() {
        if info.data || info.arbiter {
            warnings.push(PlanWarning::new(
                "W103",
                &subject,
                "has no usable disk and holds no brick",
                "add a free disk that passes the disk filters, or give the node role compute",
            ));
        }
        return;
    }
    let first_vg = built.vgs.len();
    let plain_data: Vec<(String, u64)> = data_disks
        .iter()
        .filter(|(_, usage, _)| *usage == DiskUse::Data)
        .map(|(disk, _, _)| (disk.name.clone(), disk.size))
        .collect();
    let vdo_set = vdo::vdo_disks(&plain_data, built.vdo_fraction);
    let mut sectors: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (disk, usage, tier) in &data_disks {
        let raid = super::raid::given_raid(node, storage, &disk.name)
            .or_else(|| node.extras.disk_md_raid.get(&disk.name).copied());
        if raid.is_none() && looks_like_raid_volume(disk.model.as_deref()) {
            warnings.push(PlanWarning::new(
                "W118",
                format!("{subject}, disk {}", disk.name),
                format!(
                    "looks like a hardware RAID volume ({}) but its geometry is unknown: planned as JBOD",
                    disk.model.as_deref().unwrap_or("")
                ),
                "give the node's or disk's raid: {level, disks, stripe_unit}, or hvp_raid",
            ));
        }
        let geometry = geometry(raid);
        let name = names::volume_group(&disk.name);
        let sector = node.extras.disk_sector.get(&disk.name).copied();
        if let Some(sector) = sector {
            sectors.entry(sector).or_default().push(disk.name.clone());
        }
        let mut vdo_device = None;
        let mut device = format!("/dev/{}", disk.name);
        let raw_vg = vg_bytes(disk.size, geometry.alignment.data_alignment_bytes);
        let mode = if vdo_set.contains(&disk.name) {
            vdo_mode
        } else {
            VdoMode::None
        };
        let (size, capacity) = match (mode, usage) {
            (VdoMode::Legacy, DiskUse::Data) => {
                let logical = vdo::logical_bytes(disk.size, storage.vdo_ratio);
                if vdo::too_big(disk.size) {
                    problems.push(error(
                        "E008",
                        format!("{subject}, disk {}", disk.name),
                        format!(
                            "{} is more than VDO can address (8192 slabs of 32 GiB)",
                            human_bytes(disk.size)
                        ),
                        "leave VDO off for this disk (hvp_vdo_mode: none) or split the array",
                    ));
                }
                vdo_device = Some(VdoDevice {
                    name: format!("vdo_{}", disk.name),
                    disk: disk.name.clone(),
                    kind: VdoKind::Legacy,
                    logical_size_bytes: logical,
                    physical_size_bytes: disk.size,
                    slab_size_bytes: vdo::slab_bytes(disk.size),
                    settings: VdoSettings {
                        slab_size: format!("{}G", vdo::slab_bytes(disk.size) >> 30),
                        ..VdoSettings::default()
                    },
                });
                device = format!("/dev/mapper/vdo_{}", disk.name);
                let size = vg_bytes(logical, geometry.alignment.data_alignment_bytes);
                (
                    size,
                    vdo::planned_capacity(raw_vg, storage.vdo_expected_savings, size),
                )
            }
            (VdoMode::Lvm, DiskUse::Data) => {
                let physical = floor_extents(raw_vg / 100 * 95);
                if vdo::too_big(physical) {
                    problems.push(error(
                        "E008",
                        format!("{subject}, disk {}", disk.name),
                        format!(
                            "{} is more than VDO can address (8192 slabs of 32 GiB)",
                            human_bytes(physical)
                        ),
                        "leave VDO off for this disk (hvp_vdo_mode: none) or split the array",
                    ));
                }
                let logical = vdo::logical_bytes(physical, storage.vdo_ratio);
                vdo_device = Some(VdoDevice {
                    name: format!("vdo_{}", disk.name),
                    disk: disk.name.clone(),
                    kind: VdoKind::Lvm,
                    logical_size_bytes: logical,
                    physical_size_bytes: physical,
                    slab_size_bytes: vdo::slab_bytes(physical),
                    settings: VdoSettings {
                        slab_size: format!("{}G", vdo::slab_bytes(physical) >> 30),
                        ..VdoSettings::default()
                    },
                });
                // Bricks beyond the physical VG (savings above 1) live on the VDO LV's
                // logical size (thin pool data on it), not on the VG (spec §10).
                let limit = floor_extents(vdo::lvm_addressable(raw_vg, physical, logical));
                (
                    raw_vg,
                    vdo::planned_capacity(physical, storage.vdo_expected_savings, limit),
                )
            }
            _ => (raw_vg, raw_vg),
        };
        if geometry.chunk_warning {
            warnings.push(PlanWarning::new(
                "W110",
                format!("{subject}, disk {}", disk.name),
                format!(
                    "{} full stripe gives a thin chunk of {} KiB, outside 1–2 MiB",
                    geometry.alignment.level,
                    geometry.chunk_bytes >> 10
                ),
                "fine for most loads; check the controller's stripe unit",
            ));
        }
        if geometry.differs_from_gluster_ansible {
            warnings.push(PlanWarning::new(
                "W117",
                format!("{subject}, disk {}", disk.name),
                format!(
                    "RAID10: the plan uses a {} KiB thin chunk (the stripe unit); the gluster-ansible output lets the role use su × data disks instead",
                    geometry.chunk_bytes >> 10
                ),
                "only matters for --format gluster-ansible",
            ));
        }
        built.vgs.push(Vg {
            node: index,
            name,
            disks: vec![disk.name.clone()],
            devices: vec![device],
            rotational: disk.rotational,
            tier: *tier,
            usage: *usage,
            geometry,
            size,
            capacity,
            thick_bytes: 0,
            pool_data: 0,
            pool_metadata: 0,
            free: 0,
            vdo: vdo_device.map(Box::new),
            cache: None,
            lvs: Vec::new(),
            sector,
        });
    }
    if sectors.len() > 1 {
        problems.push(error(
            "E007",
            &subject,
            format!(
                "mixes sector sizes: {}",
                sectors
                    .iter()
                    .map(|(size, disks)| format!("{size} B on {}", disks.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "use disks of one logical sector size on a node, or keep the odd ones out with hvp_disk_filter",
        ));
    }
    if storage.vg_mode == crate::facts::storage::VgMode::PerNode {
        super::vg_mode::merge_node(&mut built.vgs, first_vg);
    }
    // Caches for the slow data VGs.
    if !cache_devices.is_empty() {
        let slow: Vec<usize> = (first_vg..built.vgs.len())
            .filter(|&vg| built.vgs[vg].usage == DiskUse::Data)
            .collect();
        let sizes: Vec<u64> = slow.iter().map(|&vg| built.vgs[vg].size).collect();
        let fast_sizes: Vec<u64> = cache_devices.iter().map(|d| d.size).collect();
        let plans = plan_caches(&sizes, &fast_sizes, storage.cache_partition);
        let mode = match storage.cache_mode {
            CacheMode::Writeback => "writeback",
            _ => "writethrough",
        };
        for plan in &plans {
            let vg = &mut built.vgs[slow[plan.vg]];
            let disk = &cache_devices[plan.disk];
            let device = match plan.partition {
                Some(number) => partition_name(&disk.name, number),
                None => disk.name.clone(),
            };
            vg.disks.push(disk.name.clone());
            vg.devices.push(format!("/dev/{device}"));
            vg.size += vg_bytes(plan.device_bytes, 256 << 10);
            let pool = names::thin_pool(&vg.name);
            vg.cache = Some(Box::new(LvCache {
                device: format!("/dev/{device}"),
                device_bytes: plan.device_bytes,
                name: names::cache_lv(&pool),
                data_bytes: plan.data_bytes,
                metadata_bytes: plan.metadata_bytes,
                mode: mode.to_owned(),
            }));
        }
        built.cache_disks[index] = cache_devices.iter().map(|d| d.name.clone()).collect();
        let uncached: Vec<&str> = slow
            .iter()
            .filter(|&&vg| built.vgs[vg].cache.is_none())
            .map(|&vg| built.vgs[vg].name.as_str())
            .collect();
        if !uncached.is_empty() {
            warnings.push(PlanWarning::new(
                "W120",
                &subject,
                format!("VGs left uncached: {}", uncached.join(", ")),
                "set hvp_cache_partition: true to split the SSDs, or add SSDs",
            ));
        }
        if storage.cache_mode == CacheMode::Writeback {
            warnings.push(PlanWarning::new(
                "W106",
                &subject,
                "writeback cache: losing an SSD loses the bricks behind it (healed from the other copies)",
                "use writethrough unless the write latency matters more than a heal",
            ));
        }
    }
    // The VG for arbiter bricks: a fast VG, else the last data VG.
    let node_vgs: Vec<usize> = (first_vg..built.vgs.len()).collect();
    // Not a VDO VG when the node has another: arbiter bricks hold no data to deduplicate.
    built.arbiter_vg[index] = node_vgs
        .iter()
        .copied()
        .find(|&vg| built.vgs[vg].tier == Tier::Fast)
        .or_else(|| {
            node_vgs
                .iter()
                .rev()
                .copied()
                .find(|&vg| built.vgs[vg].vdo.is_none())
        })
        .or(node_vgs.last().copied());
}

/// The nodes that may take arbiter bricks: arbiter role and a VG for them.
pub fn arbiter_candidates(built: &Built) -> Vec<usize> {
    built
        .infos
        .iter()
        .filter(|info| info.arbiter && built.arbiter_vg[info.index].is_some())
        .map(|info| info.index)
        .collect()
}

/// The next brick number on `node` for `volume` and kind (data or arbiter), in set order.
pub fn next_brick(
    counters: &mut BrickCounters,
    node: usize,
    volume: usize,
    arbiter: bool,
) -> Option<usize> {
    Some(counters.next(node, volume, arbiter))
}

fn node_vgs(built: &Built, node: usize, fast: bool) -> Vec<usize> {
    let wanted = if fast { Tier::Fast } else { Tier::Slow };
    built.node_vgs[node]
        .iter()
        .copied()
        .filter(|&vg| built.vgs[vg].tier == wanted)
        .collect()
}

fn place_thick_singles(built: &mut Built, problems: &mut Vec<Problem>) {
    for volume in 0..built.specs.len() {
        let spec = built.specs[volume].clone();
        if !(spec.single && spec.thick) {
            continue;
        }
        let Demand::Fixed { bytes } = spec.demand else {
            continue;
        };
        let size = super::capacity::ceil_extents(bytes);
        // Hosted-engine nodes first, then other nodes that may hold data, inventory order.
        let mut nodes: Vec<usize> = built
            .infos
            .iter()
            .filter(|info| info.hosted_engine && info.role.holds_data())
            .map(|info| info.index)
            .collect();
        nodes.extend(
            built
                .infos
                .iter()
                .filter(|info| !info.hosted_engine && info.data)
                .map(|info| info.index),
        );
        let pick = |nodes: &[usize]| -> Vec<(usize, usize)> {
            let mut chosen = Vec::new();
            for &node in nodes {
                if chosen.len() == spec.copies {
                    break;
                }
                let room = node_vgs(built, node, spec.fast)
                    .into_iter()
                    .chain(node_vgs(built, node, !spec.fast))
                    .find(|&vg| {
                        let group = &built.vgs[vg];
                        vdo::may_hold(built, vg, spec.vdo)
                            && group.capacity.saturating_sub(group.thick_bytes) >= size + (2 << 30)
                    });
                if let Some(vg) = room {
                    chosen.push((node, vg));
                }
            }
            chosen
        };
        let chosen = if built.groups.is_empty() {
            pick(&nodes)
        } else {
            // Grouped: inside one triple (`groups::thick_candidates`), the first that has room.
            super::groups::thick_candidates(&built.groups, &built.infos, &nodes)
                .iter()
                .map(|inside| pick(inside))
                .fold(Vec::new(), |best, chosen| {
                    if chosen.len() > best.len() {
                        chosen
                    } else {
                        best
                    }
                })
        };
        if chosen.len() < spec.copies {
            problems.push(error(
                "E004",
                format!("volume {}", spec.name),
                format!(
                    "needs {} thick bricks of {} on distinct nodes (hosted-engine nodes first), only {} node(s) {}have a VG with room",
                    spec.copies,
                    human_bytes(size),
                    chosen.len(),
                    if built.groups.is_empty() { "" } else { "of one triple (hvp_layout_grouped) " }
                ),
                format!("lower {} or add disks", spec.kind.size_variable()),
            ));
            continue;
        }
        let mut bricks = Vec::new();
        for (_, vg) in chosen {
            built.vgs[vg].thick_bytes += size;
            let lv = PlacedLv {
                index: None,
                arbiter: false,
                size,
                thin: false,
                volume,
            };
            bricks.push(place(&mut built.vgs, vg, lv, false));
        }
        built.single_bytes += size;
        built.sets[volume].push(bricks);
    }
}

fn node_free(built: &Built, node: usize, fast: bool) -> u64 {
    node_vgs(built, node, fast)
        .into_iter()
        .map(|vg| built.vgs[vg].free)
        .sum()
}

/// The VG with most free pool space on `node` in the tier that may hold a brick of an
/// (`eligible` for VDO or not) volume.
fn largest_free(built: &Built, node: usize, fast: bool, eligible: bool) -> Option<usize> {
    let vgs = node_vgs(built, node, fast)
        .into_iter()
        .filter(|&vg| vdo::may_hold(built, vg, eligible));
    let mut best: Option<usize> = None;
    for vg in vgs {
        if best.map_or(true, |b| built.vgs[vg].free > built.vgs[b].free) {
            best = Some(vg);
        }
    }
    best
}

fn place_thin_singles(built: &mut Built, floor: u64, problems: &mut Vec<Problem>) {
    for volume in 0..built.specs.len() {
        let spec = built.specs[volume].clone();
        if !spec.single || spec.thick {
            continue;
        }
        let Demand::Fixed { bytes } = spec.demand else {
            continue;
        };
        let size = super::capacity::ceil_extents(bytes);
        let mut nodes: Vec<usize> = built
            .infos
            .iter()
            .filter(|i| i.data)
            .map(|i| i.index)
            .collect();
        nodes.sort_by(|a, b| {
            node_free(built, *b, spec.fast)
                .cmp(&node_free(built, *a, spec.fast))
                .then(a.cmp(b))
        });
        let pick = |nodes: &[usize]| -> Vec<(usize, usize)> {
            nodes
                .iter()
                .filter_map(|&node| {
                    largest_free(built, node, spec.fast, spec.vdo).map(|vg| (node, vg))
                })
                .filter(|(_, vg)| built.vgs[*vg].free >= size)
                .take(spec.copies)
                .collect()
        };
        // Grouped: inside the triple whose chosen nodes have the most free space (ties: the
        // first triple).
        let triple: Option<usize> = (!built.groups.is_empty())
            .then(|| {
                let mut best: Option<(usize, u64)> = None;
                for (g, group) in built.groups.iter().enumerate() {
                    let chosen = pick(&group.inside(&nodes));
                    if chosen.len() < spec.copies {
                        continue;
                    }
                    let free: u64 = chosen
                        .iter()
                        .map(|&(node, _)| node_free(built, node, spec.fast))
                        .sum();
                    if best.map_or(true, |(_, most)| free > most) {
                        best = Some((g, free));
                    }
                }
                best.map(|(g, _)| g)
            })
            .flatten();
        let chosen: Vec<(usize, usize)> = match triple {
            Some(g) => pick(&built.groups[g].inside(&nodes)),
            None if built.groups.is_empty() => pick(&nodes),
            None => Vec::new(),
        };
        if chosen.len() < spec.copies {
            problems.push(error(
                "E004",
                format!("volume {}", spec.name),
                format!(
                    "needs {} bricks of {} on distinct nodes{}, only {} node(s) have a VG with that much room",
                    spec.copies,
                    human_bytes(size),
                    if built.groups.is_empty() { "" } else { " of one triple (hvp_layout_grouped)" },
                    chosen.len()
                ),
                format!("lower {} or add disks", spec.kind.size_variable()),
            ));
            continue;
        }
        let mut bricks: Vec<BrickRef> = chosen
            .iter()
            .map(|&(_, vg)| {
                place(
                    &mut built.vgs,
                    vg,
                    PlacedLv {
                        index: None,
                        arbiter: false,
                        size,
                        thin: true,
                        volume,
                    },
                    false,
                )
            })
            .collect();
        if spec.arbitrated() {
            let arbiter_size = arbiter_bytes(size, spec.file_unit, floor);
            let mut candidates = arbiter_candidates(built);
            if let Some(g) = triple {
                candidates.retain(|&n| built.groups[g].contains(n));
            }
            let free: Vec<u64> = (0..built.infos.len())
                .map(|node| node_free(built, node, false) + node_free(built, node, true))
                .collect();
            let request = ArbiterRequest {
                members: chosen.iter().map(|(node, _)| *node).collect(),
                bytes: arbiter_size,
            };
            let choice = place_arbiters(&[request], &candidates, &built.arbiter_bytes, &free);
            let Some(Some(node)) = choice.first().copied() else {
                problems.push(error(
                    "E011",
                    format!("volume {}", spec.name),
                    "no node outside its data pair may hold its arbiter brick",
                    "give a third node role any or arbiter",
                ));
                continue;
            };
            let vg = largest_free(built, node, true, spec.vdo)
                .filter(|&vg| built.vgs[vg].free >= arbiter_size)
                .or_else(|| largest_free(built, node, false, spec.vdo))
                .or(built.arbiter_vg[node]);
            let Some(vg) = vg.filter(|&vg| built.vgs[vg].free >= arbiter_size) else {
                problems.push(error(
                    "E004",
                    format!("volume {}, node {}", spec.name, built.infos[node].name),
                    format!(
                        "no VG has {} free for the arbiter brick",
                        human_bytes(arbiter_size)
                    ),
                    "add disk space on the arbiter node",
                ));
                continue;
            };
            bricks.push(place(
                &mut built.vgs,
                vg,
                PlacedLv {
                    index: None,
                    arbiter: true,
                    size: arbiter_size,
                    thin: true,
                    volume,
                },
                true,
            ));
            built.arbiter_bytes[node] += arbiter_size;
        }
        built.single_bytes += size;
        built.sets[volume].push(bricks);
    }
}
