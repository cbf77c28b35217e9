//! The expansion itself: new units, sets, arbiters, names, the merged plan.

use super::backend::{attach_caches, new_disks, CachePartition, NewDisks};
use super::growth::{self, kind_of, usable};
use super::{Conversion, Expansion, HostChange, NewBrick, NewLv, NewVg, VolumeGrowth};
use crate::drift::plan_view::{PlanVolume, RecordedPlan};
use crate::drift::Drift;
use crate::facts::{FactsDocument, FreeDisk};
use crate::layout::balanced::arbiter::{arbiter_bytes, place_arbiters, ArbiterRequest};
use crate::layout::balanced::capacity::{
    addressing_chunk, floor_extents, pool_in, vg_bytes, EXTENT,
};
use crate::layout::balanced::inputs::{default_avg_file, shard_block};
use crate::layout::balanced::names;
use crate::layout::balanced::sets::{generate_sets, Unit};
use crate::layout::balanced::spread::automatic_min_set;
use crate::layout::balanced::vdo;
use crate::layout::model::{replica_bound, VolumeOption};
use crate::layout::model::{VdoDevice, VdoKind, VdoSettings};
use crate::report::{Problem, Report};

use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Room kept in every new pool for arbiter bricks (spec §6: expansion reserve).
const ARBITER_RESERVE: u64 = 16 << 30;
/// Why a new data disk got no VG.
const UNUSED_DATA: &str = "new capacity no replica set could use (no second node to pair it \
                           with, too small, or a compute node)";
/// The arbiter brick floor (spec §8).
const ARBITER_FLOOR: u64 = 1 << 30;

/// What follows `add-brick`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rebalance {
    /// `gluster volume rebalance V fix-layout start`: new files may land on the new sets.
    #[default]
    FixLayout,
    /// `gluster volume rebalance V start`: also moves existing files.
    Full,
}

impl Rebalance {
    /// Reads `fix-layout` or `full`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "fix-layout" => Some(Self::FixLayout),
            "full" => Some(Self::Full),
            _ => None,
        }
    }
}

/// How to expand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpandOptions {
    /// Rebalance mode.
    pub rebalance: Rebalance,
    /// Expand although drift was found.
    pub ignore_drift: bool,
    /// `use_free_space` (spec §13.2): free extents of recorded VGs become new thin pools.
    pub use_free_space: bool,
    /// `grow: {volume: size}` (spec §13.3): exactly these volumes grow, each by its size
    /// (`rest`: by weight of what the sizes leave); empty: by the recorded demands.
    pub grow: BTreeMap<String, String>,
}

fn error(code: &str, subject: impl Into<String>, message: impl Into<String>, fix: &str) -> Problem {
    Problem::error(subject, format!("{} [{code}]", message.into()), fix)
}

/// `min(average file, shard block)` of a recorded volume, for the arbiter formula.
fn file_unit(volume: &PlanVolume) -> u64 {
    if let Some(unit) = volume.demand.as_ref().and_then(|d| d.file_unit_bytes) {
        return unit;
    }
    let avg = kind_of(&volume.kind).map_or(64 << 20, default_avg_file);
    let options: Vec<VolumeOption> = volume
        .options
        .iter()
        .map(|option| VolumeOption {
            name: option.name.clone(),
            value: option.value.clone(),
        })
        .collect();
    shard_block(&options).map_or(avg, |shard| shard.min(avg))
}

struct MergedNode {
    name: String,
    new: bool,
    role: String,
    /// What its new disks become.
    disks: NewDisks,
}

/// Plans the expansion of `recorded` (the recorded plan as JSON) to the nodes and disks of
/// `facts`. `drift` is what drift detection found (refused unless `options.ignore_drift`).
pub fn expand(
    recorded: &Value,
    facts: &FactsDocument,
    drift: &[Drift],
    options: &ExpandOptions,
) -> Result<Expansion, Report> {
    let plan = RecordedPlan::from_value(recorded).map_err(|e| {
        Report::new(vec![error(
            "E020",
            "recorded plan",
            e.to_string(),
            "pass the plan JSON that hvp recorded next to the gDeploy file",
        )])
    })?;
    // Names flow into the commands and files of the expansion: every one through its validator.
    let storage = &facts.vars.storage;
    let mut problems = crate::drift::plan_check::name_problems(&plan);
    let grow = growth::parse_grow(&plan, &options.grow).unwrap_or_else(|found| {
        problems.extend(found);
        BTreeMap::new()
    });
    if storage.grouped {
        problems.push(error(
            "E013",
            "variable hvp_layout_grouped",
            "expansion does not keep node triples yet: its new replica sets may pair nodes of \
             different triples (and new nodes form no triples)",
            "set hvp_layout_grouped: false for the expansion to accept sets over any nodes \
             (W109 then counts more node pairs), or plan the new nodes as a cluster of their own",
        ));
    }
    if !drift.is_empty() && !options.ignore_drift {
        for item in drift {
            problems.push(error(
                "E020",
                item.node.clone().unwrap_or_else(|| "cluster".to_owned()),
                format!("the live cluster differs from the recorded plan: {item}"),
                "fix the drift (or record a plan that matches), or expand anyway with \
                 --ignore-drift / hvp_expand_ignore_drift: true",
            ));
        }
    }
    let fact_names: BTreeSet<&str> = facts.nodes.iter().map(|n| n.name.as_str()).collect();
    for node in &plan.nodes {
        if !fact_names.contains(node.name.as_str()) {
            problems.push(error(
                "E020",
                format!("node {}", node.name),
                "is in the recorded plan but not in the facts",
                "keep every node of the cluster in the inventory (glusternodes group); hvp \
                 never shrinks a cluster",
            ));
        }
    }
    if plan.nodes.is_empty() {
        problems.push(error(
            "E020",
            "recorded plan",
            "has no node",
            "pass the recorded plan",
        ));
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    // Merged node order: the recorded nodes, then the new ones in inventory order.
    let mut nodes: Vec<MergedNode> = Vec::new();
    for node in &plan.nodes {
        let known: BTreeSet<&str> = node.disks.iter().map(|d| d.name.as_str()).collect();
        let disks = facts
            .nodes
            .iter()
            .find(|n| n.name == node.name)
            .map(|n| new_disks(n, &known, storage))
            .unwrap_or_default();
        nodes.push(MergedNode {
            name: node.name.clone(),
            new: false,
            role: if node.role.is_empty() {
                "any".to_owned()
            } else {
                node.role.clone()
            },
            disks,
        });
    }
    for facts_node in &facts.nodes {
        if plan.node(&facts_node.name).is_none() {
            nodes.push(MergedNode {
                name: facts_node.name.clone(),
                new: true,
                role: facts_node
                    .extras
                    .role
                    .clone()
                    .unwrap_or_else(|| "any".to_owned()),
                disks: new_disks(facts_node, &BTreeSet::new(), storage),
            });
        }
    }
    let parts = growth::growing(&plan, &grow, "slow");
    let growing: Vec<&PlanVolume> = parts.iter().map(|g| &plan.volumes[g.volume]).collect();
    // Arbiter reserve of a new pool: what the growing volumes' arbiter bricks of a set as
    // big as the pool would take (their shares estimated on half the new data bytes), at
    // least 16 GiB.
    let estimate_total: u64 = nodes
        .iter()
        .filter(|n| n.role != "compute" && n.role != "arbiter")
        .flat_map(|n| &n.disks.data)
        .map(|(disk, geometry)| {
            pool_in(
                vg_bytes(disk.size, geometry.alignment.data_alignment_bytes),
                geometry.chunk_bytes,
            )
            .0
        })
        .sum::<u64>()
        / 2;
    let fractions: Vec<(u64, u64)> = growth::targets(&parts, estimate_total)
        .unwrap_or_default()
        .into_iter()
        .zip(&growing)
        .map(|(target, volume)| (target, file_unit(volume)))
        .collect();
    let reserve_for = |pool_bytes: u64| -> u64 {
        let estimate: u64 = fractions
            .iter()
            .map(|(target, unit)| {
                let part = (u128::from(pool_bytes) * u128::from(*target))
                    .checked_div(u128::from(estimate_total))
                    .unwrap_or(0);
                arbiter_bytes(u64::try_from(part).unwrap_or(0), *unit, ARBITER_FLOOR)
            })
            .sum();
        estimate
            .div_ceil(EXTENT)
            .saturating_mul(EXTENT)
            .max(ARBITER_RESERVE)
    };
    // Legacy VDO under every new data disk when the recorded plan has it (as the balanced
    // policy puts it under every data disk); LVM-VDO on new capacity is not planned (warning).
    let legacy_vdo = plan
        .nodes
        .iter()
        .any(|n| n.vdo_devices.iter().any(|v| v.kind == "legacy"));
    let mut vdo_problems: Vec<Problem> = Vec::new();
    // New VGs and units.
    let mut vg_reserves: Vec<Vec<u64>> = vec![Vec::new(); nodes.len()];
    let mut new_vgs: Vec<Vec<NewVg>> = vec![Vec::new(); nodes.len()];
    let mut units: Vec<Unit> = Vec::new();
    let mut unit_vg: Vec<(usize, usize)> = Vec::new();
    let mut reserve_room: Vec<u64> = vec![0; nodes.len()];
    for (index, node) in nodes.iter().enumerate() {
        if node.role == "compute" {
            continue;
        }
        // (candidate, data bytes the set generator may use of its pool)
        let mut candidates: Vec<(NewVg, u64)> = Vec::new();
        for (disk, geometry) in &node.disks.data {
            let vg_name = names::volume_group(&disk.name);
            let physical = vg_bytes(disk.size, geometry.alignment.data_alignment_bytes);
            let vdo = legacy_vdo.then(|| new_vdo(disk, storage.vdo_ratio));
            if vdo.as_ref().is_some_and(|_| vdo::too_big(disk.size)) {
                vdo_problems.push(error(
                    "E008",
                    format!("node {}, disk {}", node.name, disk.name),
                    format!(
                        "{} bytes is more than VDO can address (8192 slabs of 32 GiB)",
                        disk.size
                    ),
                    "leave this disk out of the expansion (hvp_disk_filter) or split the array",
                ));
                continue;
            }
            // Legacy VDO (spec §10): the VG sits on the logical size (savings never raise
            // planned capacity: see `usable` below).
            let size = vdo.as_ref().map_or(physical, |v| {
                vg_bytes(
                    v.logical_size_bytes,
                    geometry.alignment.data_alignment_bytes,
                )
            });
            // The chunk doubles until it addresses the pool (LVM refuses 256 KiB above 63.5 TiB).
            // Like the balanced policy's, a legacy VDO pool spans the logical VG (thin LVs may
            // over-commit the disk up to the ratio, never the pool), while the set generator
            // gets only what the physical disk holds.
            let chunk = addressing_chunk(geometry.chunk_bytes, size);
            let (pool_bytes, metadata) = pool_in(size, chunk);
            let usable = if vdo.is_some() {
                pool_in(physical, chunk).0
            } else {
                pool_bytes
            };
            candidates.push((
                NewVg {
                    disk: disk.name.clone(),
                    disk_bytes: disk.size,
                    pool: names::thin_pool(&vg_name),
                    name: vg_name,
                    device: vdo.as_ref().map_or_else(
                        || format!("/dev/{}", disk.name),
                        |v| format!("/dev/mapper/{}", v.name),
                    ),
                    size_bytes: size,
                    pool_bytes,
                    pool_metadata_bytes: metadata,
                    chunk_bytes: chunk,
                    alignment: geometry.alignment,
                    cache: None,
                    cache_disk: None,
                    existing_vg: false,
                    vdo,
                },
                usable,
            ));
        }
        if options.use_free_space && !node.new {
            if let Some(recorded) = plan.node(&node.name) {
                candidates.extend(
                    free_space_pools(recorded)
                        .into_iter()
                        .map(|vg| (vg.clone(), vg.pool_bytes)),
                );
            }
        }
        for (candidate, pool_bytes) in candidates {
            let reserve = reserve_for(pool_bytes);
            if pool_bytes < 2 * reserve {
                continue;
            }
            new_vgs[index].push(candidate);
            let vg_index = new_vgs[index].len() - 1;
            if node.role == "arbiter" {
                reserve_room[index] += pool_bytes;
                vg_reserves[index].push(pool_bytes);
            } else {
                reserve_room[index] += reserve;
                vg_reserves[index].push(reserve);
                units.push(Unit {
                    node: index,
                    id: units.len(),
                    bytes: floor_extents(pool_bytes - reserve),
                });
                unit_vg.push((index, vg_index));
            }
        }
    }
    if !vdo_problems.is_empty() {
        return Err(Report::new(vdo_problems));
    }
    let usable_before: u64 = plan.volumes.iter().map(usable).sum();
    let first_node = plan.nodes[0].name.clone();
    let empty = Expansion {
        first_node: first_node.clone(),
        new_nodes: Vec::new(),
        hosts: Vec::new(),
        volumes: Vec::new(),
        rebalance: options.rebalance,
        usable_before,
        usable_after: usable_before,
        stranded_bytes: 0,
        warnings: Vec::new(),
        conversions: Vec::new(),
        merged: recorded.clone(),
    };
    // Replica-2 volumes become replica 3 arbiter 1 (spec §13.5): one arbiter per set.
    let converting: Vec<usize> = (0..plan.volumes.len())
        .filter(|&v| {
            plan.volumes[v].replica.count == 2 && plan.volumes[v].replica.arbiter_count == 0
        })
        .collect();
    // Only conversions (no new capacity): no set to generate.
    let convert_only = units.is_empty() && !converting.is_empty();
    if units.is_empty() && nodes.iter().all(|n| !n.new) && converting.is_empty() {
        return Ok(empty);
    }
    if growing.is_empty() && !convert_only {
        return Err(Report::new(vec![error(
            "E013",
            "recorded plan",
            "has no volume that grows (spread arbitrated volumes with a percent or rest \
             demand; fixed-size and single-set volumes keep their size)",
            "name the volumes to grow and by how much with grow (--grow VOLUME=SIZE)",
        )]));
    }
    let capacities: Vec<u64> = (0..nodes.len())
        .map(|node| {
            units
                .iter()
                .filter(|u| u.node == node)
                .map(|u| u.bytes)
                .sum()
        })
        .collect();
    let bound = replica_bound(&capacities, 2);
    let min_set = automatic_min_set(bound, &units);
    let skeleton = generate_sets(&units, 2, min_set);
    if skeleton.sets.is_empty() && !convert_only {
        let with: Vec<&str> = (0..nodes.len())
            .filter(|&n| capacities[n] > 0)
            .map(|n| nodes[n].name.as_str())
            .collect();
        return Err(Report::new(vec![error(
            "E013",
            "expansion",
            format!(
                "a 2-copy set needs free space on 2 distinct nodes; found {}{}",
                with.len(),
                if with.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", with.join(", "))
                }
            ),
            "add disks to a second node, or add two nodes at once",
        )]));
    }
    // Shares of the growing volumes: each takes target / total of every new set.
    let before: Vec<u64> = growing.iter().map(|v| usable(v)).collect();
    let total: u64 = skeleton.sets.iter().map(|set| set.bytes).sum();
    let targets = growth::targets(&parts, total).map_err(|short| {
        Report::new(vec![error(
            "E004",
            "grow",
            format!(
                "the sizes ask for {short} bytes more than the new replica sets hold ({total} \
                 bytes)"
            ),
            "ask for less, or add more capacity",
        )])
    })?;
    let share = |index: usize, bytes: u64| -> u64 {
        let part = (u128::from(bytes) * u128::from(targets[index]))
            .checked_div(u128::from(total))
            .unwrap_or(0);
        floor_extents(u64::try_from(part).unwrap_or(0))
    };
    // Arbiter requests: one per set, all growing volumes' arbiter bricks together.
    let requests: Vec<ArbiterRequest> = skeleton
        .sets
        .iter()
        .map(|set| ArbiterRequest {
            members: set.members.iter().map(|(node, _)| *node).collect(),
            bytes: growing
                .iter()
                .enumerate()
                .map(|(v, volume)| {
                    arbiter_bytes(share(v, set.bytes), file_unit(volume), ARBITER_FLOOR)
                })
                .sum(),
        })
        .collect();
    let mut existing_arbiter = vec![0u64; nodes.len()];
    for volume in &plan.volumes {
        for brick in volume.bricks().filter(|b| b.arbiter) {
            if let Some(index) = nodes.iter().position(|n| n.name == brick.node) {
                existing_arbiter[index] += brick.size_bytes;
            }
        }
    }
    // Room for arbiters: the reserve of new pools, else the free room of an existing pool.
    let mut existing_pool_room: Vec<Option<(String, String, u64)>> = vec![None; nodes.len()];
    for (index, node) in plan.nodes.iter().enumerate() {
        for vg in &node.volume_groups {
            for pool in &vg.thin_pools {
                let used: u64 = vg
                    .logical_volumes
                    .iter()
                    .filter(|lv| lv.thin_pool.as_deref() == Some(pool.name.as_str()))
                    .map(|lv| lv.size_bytes)
                    .sum();
                let room = pool.size_bytes.saturating_sub(used);
                if existing_pool_room[index]
                    .as_ref()
                    .map_or(true, |(_, _, best)| room > *best)
                {
                    existing_pool_room[index] = Some((vg.name.clone(), pool.name.clone(), room));
                }
            }
        }
    }
    // Conversion arbiters go, as new thin LVs, into the existing pool with most room on a node
    // outside the set, by the same rotation (least arbiter bytes first).
    let mut conversion_places: Vec<(usize, usize, usize, u64)> = Vec::new();
    let mut conversion_problems = Vec::new();
    {
        let candidates: Vec<usize> = (0..nodes.len())
            .filter(|&n| matches!(nodes[n].role.as_str(), "any" | "arbiter"))
            .collect();
        for &v in &converting {
            let volume = &plan.volumes[v];
            for (s, set) in volume.replica_sets.iter().enumerate() {
                let data = set.bricks.iter().map(|b| b.size_bytes).min().unwrap_or(0);
                let bytes = arbiter_bytes(data, file_unit(volume), ARBITER_FLOOR);
                let request = ArbiterRequest {
                    members: set
                        .bricks
                        .iter()
                        .filter_map(|b| nodes.iter().position(|n| n.name == b.node))
                        .collect(),
                    bytes,
                };
                let left: Vec<u64> = existing_pool_room
                    .iter()
                    .map(|room| room.as_ref().map_or(0, |(_, _, left)| *left))
                    .collect();
                let fitting: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&n| left[n] >= bytes)
                    .collect();
                let choice = place_arbiters(
                    std::slice::from_ref(&request),
                    &fitting,
                    &existing_arbiter,
                    &left,
                )
                .first()
                .copied()
                .flatten();
                match choice {
                    // The arbiter must be outside its set (the add-brick then needs `force`
                    // only for glusterd's coarser check, see render_commands).
                    Some(node) if request.members.contains(&node) => {
                        conversion_problems.push(error(
                            "E001",
                            format!("volume {} set {}", volume.name, s + 1),
                            format!("{} would hold 2 bricks of the set", nodes[node].name),
                            "this is a bug in hvp: report it",
                        ));
                    }
                    Some(node) => {
                        if let Some((_, _, left)) = &mut existing_pool_room[node] {
                            *left -= bytes;
                        }
                        existing_arbiter[node] += bytes;
                        conversion_places.push((v, s, node, bytes));
                    }
                    None => conversion_problems.push(error(
                        "E013",
                        format!("volume {} set {}", volume.name, s + 1),
                        format!(
                            "replica 2 to arbiter: no node outside the set has {bytes} bytes \
                             free in a thin pool for its arbiter brick"
                        ),
                        "add a node or a disk (expand with new capacity first), then convert",
                    )),
                }
            }
        }
    }
    let room: Vec<u64> = (0..nodes.len())
        .map(|n| {
            if reserve_room[n] > 0 {
                reserve_room[n]
            } else {
                existing_pool_room[n]
                    .as_ref()
                    .map_or(0, |(_, _, room)| *room)
            }
        })
        .collect();
    let candidates: Vec<usize> = (0..nodes.len())
        .filter(|&n| matches!(nodes[n].role.as_str(), "any" | "arbiter") && room[n] > 0)
        .collect();
    // The rotation set by set, each among the candidates that still have room for its
    // arbiter bricks (a full old node is skipped, never overfilled).
    let mut carried = existing_arbiter.clone();
    let mut left = room.clone();
    let mut taken = vec![0u64; nodes.len()];
    let placed: Vec<Option<usize>> = requests
        .iter()
        .map(|request| {
            let fitting: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&n| left[n] >= request.bytes)
                .collect();
            let choice = place_arbiters(std::slice::from_ref(request), &fitting, &carried, &left)
                .first()
                .copied()
                .flatten()?;
            carried[choice] += request.bytes;
            left[choice] -= request.bytes;
            taken[choice] += request.bytes;
            Some(choice)
        })
        .collect();
    let mut problems = conversion_problems;
    for (index, _) in placed.iter().enumerate().filter(|(_, c)| c.is_none()) {
        problems.push(error(
            "E013",
            format!("new set {}", index + 1),
            "no node outside the set has room for its arbiter bricks",
            "add a third node (or a disk on a node outside the set)",
        ));
    }
    for (node, bytes) in taken.iter().enumerate() {
        if *bytes > room[node] {
            problems.push(error(
                "E013",
                format!("node {}", nodes[node].name),
                format!(
                    "arbiter bricks need {bytes} bytes, the node has room for {}",
                    room[node]
                ),
                "add a disk to this node, or more nodes",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    // Names: per node, volume and kind, the next free index.
    let mut next_index: BTreeMap<(usize, String, bool), usize> = BTreeMap::new();
    for (n, node) in plan.nodes.iter().enumerate() {
        for lv in node.volume_groups.iter().flat_map(|vg| &vg.logical_volumes) {
            for volume in &plan.volumes {
                for arbiter in [false, true] {
                    let prefix = format!(
                        "gluster_lv_{}_{}",
                        volume.name,
                        if arbiter { 'a' } else { 'b' }
                    );
                    if let Some(k) = lv
                        .name
                        .strip_prefix(&prefix)
                        .and_then(|k| k.parse::<usize>().ok())
                    {
                        let entry = next_index
                            .entry((n, volume.name.clone(), arbiter))
                            .or_insert(1);
                        *entry = (*entry).max(k + 1);
                    }
                }
            }
        }
    }
    let mut host_lvs: Vec<Vec<NewLv>> = vec![Vec::new(); nodes.len()];
    // Arbiter room left in each new VG: the reserve, or the whole pool on arbiter nodes.
    let mut vg_reserve = vg_reserves;
    let mut growth: Vec<VolumeGrowth> = growing
        .iter()
        .zip(&before)
        .map(|(volume, before)| VolumeGrowth {
            volume: volume.name.clone(),
            before_bytes: *before,
            added_bytes: 0,
            sets: Vec::new(),
        })
        .collect();
    let mut name_lv = |node: usize, volume: &str, arbiter: bool| {
        let entry = next_index
            .entry((node, volume.to_owned(), arbiter))
            .or_insert(1);
        let names = names::brick_lv(volume, arbiter, Some(*entry));
        *entry += 1;
        names
    };
    let mut conversions: Vec<Conversion> = Vec::new();
    for &(v, _, node, bytes) in &conversion_places {
        let volume = &plan.volumes[v];
        let Some((vg_name, pool, _)) = existing_pool_room[node].clone() else {
            continue;
        };
        let (lv, mount) = name_lv(node, &volume.name, true);
        host_lvs[node].push(NewLv {
            volume_group: vg_name.clone(),
            thin_pool: pool,
            name: lv.clone(),
            size_bytes: bytes,
            mount_point: mount.clone(),
            volume: volume.name.clone(),
            arbiter: true,
            existing_pool: true,
        });
        let brick = NewBrick {
            node: nodes[node].name.clone(),
            directory: names::brick_directory(&mount),
            logical_volume: lv,
            volume_group: vg_name,
            size_bytes: bytes,
            arbiter: true,
        };
        match conversions.last_mut().filter(|c| c.volume == volume.name) {
            Some(conversion) => conversion.bricks.push(brick),
            None => conversions.push(Conversion {
                volume: volume.name.clone(),
                bricks: vec![brick],
            }),
        }
    }
    for (set, arbiter_node) in skeleton.sets.iter().zip(&placed) {
        let Some(arbiter_node) = *arbiter_node else {
            continue;
        };
        for (v, volume) in growing.iter().enumerate() {
            let data_bytes = share(v, set.bytes);
            if data_bytes == 0 {
                continue;
            }
            let mut bricks = Vec::new();
            for (node, unit) in &set.members {
                let (_, vg_index) = unit_vg[*unit];
                let vg = &new_vgs[*node][vg_index];
                let (lv, mount) = name_lv(*node, &volume.name, false);
                host_lvs[*node].push(NewLv {
                    volume_group: vg.name.clone(),
                    thin_pool: vg.pool.clone(),
                    name: lv.clone(),
                    size_bytes: data_bytes,
                    mount_point: mount.clone(),
                    volume: volume.name.clone(),
                    arbiter: false,
                    existing_pool: false,
                });
                bricks.push(NewBrick {
                    node: nodes[*node].name.clone(),
                    directory: names::brick_directory(&mount),
                    logical_volume: lv,
                    volume_group: vg.name.clone(),
                    size_bytes: data_bytes,
                    arbiter: false,
                });
            }
            let arbiter_size = arbiter_bytes(data_bytes, file_unit(volume), ARBITER_FLOOR);
            // The new pool whose arbiter reserve still holds the brick, else the existing
            // pool with room.
            let fits = vg_reserve[arbiter_node]
                .iter()
                .position(|left| *left >= arbiter_size);
            let (vg_name, pool, existing_pool) = match fits {
                Some(vg_index) => {
                    vg_reserve[arbiter_node][vg_index] -= arbiter_size;
                    let vg = &new_vgs[arbiter_node][vg_index];
                    (vg.name.clone(), vg.pool.clone(), false)
                }
                None => match &mut existing_pool_room[arbiter_node] {
                    Some((vg, pool, left)) if *left >= arbiter_size => {
                        *left -= arbiter_size;
                        (vg.clone(), pool.clone(), true)
                    }
                    _ => {
                        return Err(Report::new(vec![error(
                            "E013",
                            format!("node {}", nodes[arbiter_node].name),
                            format!(
                                "no pool has room for the {arbiter_size}-byte arbiter brick of {}",
                                volume.name
                            ),
                            "add a disk to this node, or more nodes",
                        )]))
                    }
                },
            };
            let (lv, mount) = name_lv(arbiter_node, &volume.name, true);
            host_lvs[arbiter_node].push(NewLv {
                volume_group: vg_name.clone(),
                thin_pool: pool,
                name: lv.clone(),
                size_bytes: arbiter_size,
                mount_point: mount.clone(),
                volume: volume.name.clone(),
                arbiter: true,
                existing_pool,
            });
            bricks.push(NewBrick {
                node: nodes[arbiter_node].name.clone(),
                directory: names::brick_directory(&mount),
                logical_volume: lv,
                volume_group: vg_name,
                size_bytes: arbiter_size,
                arbiter: true,
            });
            growth[v].added_bytes += data_bytes;
            growth[v].sets.push(bricks);
        }
    }
    // A new disk whose VG got no LV (its capacity is stranded) is left alone.
    for (n, groups) in new_vgs.iter_mut().enumerate() {
        groups.retain(|vg| {
            host_lvs[n].iter().any(|lv| {
                lv.volume_group == vg.name && lv.thin_pool == vg.pool && !lv.existing_pool
            })
        });
    }
    // LV caches from the new fast disks, in front of the new slow pools that are used.
    let mut partitions: Vec<Vec<CachePartition>> = vec![Vec::new(); nodes.len()];
    let mut unused: Vec<Vec<(String, String)>> = nodes
        .iter()
        .map(|node| {
            node.disks
                .unused
                .iter()
                .map(|(disk, why)| (disk.name.clone(), why.clone()))
                .collect()
        })
        .collect();
    for (n, node) in nodes.iter().enumerate() {
        for (disk, _) in &node.disks.data {
            if !new_vgs[n].iter().any(|vg| vg.disk == disk.name) {
                unused[n].push((disk.name.clone(), UNUSED_DATA.to_owned()));
            }
        }
        if node.disks.cache.is_empty() {
            continue;
        }
        let (made, left) = attach_caches(&mut new_vgs[n], &node.disks.cache, storage);
        partitions[n] = made;
        unused[n].extend(left.into_iter().map(|(disk, why)| (disk.name, why)));
    }
    let hosts: Vec<HostChange> = nodes
        .iter()
        .enumerate()
        .filter(|(n, node)| node.new || !new_vgs[*n].is_empty() || !host_lvs[*n].is_empty())
        .map(|(n, node)| HostChange {
            node: node.name.clone(),
            new_node: node.new,
            volume_groups: new_vgs[n].clone(),
            logical_volumes: host_lvs[n].clone(),
            cache_partitions: partitions[n].clone(),
            unused_disks: unused[n].clone(),
        })
        .collect();
    let added: u64 = growth.iter().map(|g| g.added_bytes).sum();
    let new_nodes: Vec<String> = nodes
        .iter()
        .filter(|n| n.new)
        .map(|n| n.name.clone())
        .collect();
    let mut expansion = Expansion {
        first_node,
        new_nodes,
        hosts,
        volumes: growth,
        rebalance: options.rebalance,
        usable_before,
        usable_after: usable_before + added,
        stranded_bytes: skeleton.stranded_bytes + skeleton.dropped_bytes,
        warnings: Vec::new(),
        conversions,
        merged: Value::Null,
    };
    expansion.warnings = fairness_warnings(&plan, &expansion, candidates.len());
    if plan
        .nodes
        .iter()
        .any(|n| n.vdo_devices.iter().any(|v| v.kind == "lvm"))
        && expansion.hosts.iter().any(|h| !h.volume_groups.is_empty())
    {
        expansion.warnings.push(
            "the recorded plan uses LVM-VDO; the new VGs are planned without VDO (LVM-VDO on \
             new capacity is not implemented by expansion yet)"
                .to_owned(),
        );
    }
    expansion.merged = merge(recorded, &plan, &nodes, &expansion, bound);
    let untouched = untouched_problems(recorded, &expansion.merged);
    if !untouched.is_empty() {
        return Err(Report::new(untouched));
    }
    Ok(expansion)
}

/// A legacy VDO device under `disk` (spec §10), sized by the balanced policy's functions.
fn new_vdo(disk: &FreeDisk, ratio: f64) -> VdoDevice {
    let slab = vdo::slab_bytes(disk.size);
    VdoDevice {
        name: format!("vdo_{}", disk.name),
        disk: disk.name.clone(),
        kind: VdoKind::Legacy,
        logical_size_bytes: vdo::logical_bytes(disk.size, ratio),
        physical_size_bytes: disk.size,
        slab_size_bytes: slab,
        settings: VdoSettings {
            slab_size: format!("{}G", slab >> 30),
            ..VdoSettings::default()
        },
    }
}

/// `use_free_space` (spec §13.2): per recorded VG, a NEW thin pool over its free extents
/// (VG size minus its pools' data and metadata, the spare metadata copy and its thick LVs).
/// Nothing recorded is resized; the pool is `<recorded pool name>_<k>`.
fn free_space_pools(node: &crate::drift::plan_view::PlanNode) -> Vec<NewVg> {
    let geometry = crate::layout::balanced::raid::geometry(None);
    node.volume_groups
        .iter()
        .filter_map(|vg| {
            let free = floor_extents(vg.size_bytes.saturating_sub(vg.allocated_bytes()));
            let chunk = addressing_chunk(geometry.chunk_bytes, free);
            let (pool_bytes, metadata) = pool_in(free, chunk);
            if pool_bytes == 0 {
                return None;
            }
            let base = vg
                .thin_pools
                .first()
                .map_or_else(|| names::thin_pool(&vg.name), |p| p.name.clone());
            let pool = (2..)
                .map(|k| format!("{base}_{k}"))
                .find(|name| vg.thin_pools.iter().all(|p| &p.name != name))
                .unwrap_or(base);
            Some(NewVg {
                disk: vg.physical_volumes.first().cloned().unwrap_or_default(),
                disk_bytes: free,
                name: vg.name.clone(),
                device: vg.physical_volumes.first().cloned().unwrap_or_default(),
                size_bytes: free,
                pool,
                pool_bytes,
                pool_metadata_bytes: metadata,
                chunk_bytes: chunk,
                alignment: geometry.alignment,
                cache: None,
                cache_disk: None,
                existing_vg: true,
                vdo: None,
            })
        })
        .collect()
}

/// W102 (spec §5): a node holding more than `⌈S_v / A⌉` arbiter bricks of a grown volume
/// (old and new sets; `A` nodes can hold arbiters): the set structure (a new set's members
/// cannot take its arbiter, old arbiters stay where they are) or full nodes forced it.
fn fairness_warnings(plan: &RecordedPlan, expansion: &Expansion, eligible: usize) -> Vec<String> {
    let mut warnings = Vec::new();
    for growth in expansion.volumes.iter().filter(|g| !g.sets.is_empty()) {
        let Some(volume) = plan.volumes.iter().find(|v| v.name == growth.volume) else {
            continue;
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for brick in volume.bricks().filter(|b| b.arbiter) {
            *counts.entry(brick.node.as_str()).or_default() += 1;
        }
        for brick in growth.sets.iter().flatten().filter(|b| b.arbiter) {
            *counts.entry(brick.node.as_str()).or_default() += 1;
        }
        let sets = volume.replica_sets.len() + growth.sets.len();
        let fair = sets.div_ceil(eligible.max(1));
        for (node, count) in counts.into_iter().filter(|(_, c)| *c > fair) {
            warnings.push(format!(
                "{}: {node} holds {count} arbiter bricks of {sets} sets, more than the fair \
                 share {fair}: the new sets' members or the room of the other nodes left no \
                 other choice [W102]",
                growth.volume
            ));
        }
    }
    warnings
}

fn merge(
    recorded: &Value,
    plan: &RecordedPlan,
    nodes: &[MergedNode],
    expansion: &Expansion,
    bound: u64,
) -> Value {
    let mut merged = recorded.clone();
    let Some(root) = merged.as_object_mut() else {
        return merged;
    };
    if let Some(array) = root.get_mut("nodes").and_then(Value::as_array_mut) {
        for (index, node) in nodes.iter().enumerate() {
            let Some(host) = expansion.hosts.iter().find(|h| h.node == node.name) else {
                if node.new {
                    array.push(node_json(index, node, None));
                }
                continue;
            };
            if node.new {
                array.push(node_json(index, node, Some(host)));
                continue;
            }
            let Some(object) = array.get_mut(index).and_then(Value::as_object_mut) else {
                continue;
            };
            let mut step = max_step(object);
            if let Some(disks) = object.get_mut("disks").and_then(Value::as_array_mut) {
                disks.extend(disks_json(node, host));
            }
            if let Some(vdos) = object.get_mut("vdo_devices").and_then(Value::as_array_mut) {
                vdos.extend(
                    host.volume_groups
                        .iter()
                        .filter_map(|vg| vg.vdo.as_ref())
                        .map(|v| json!(v)),
                );
            }
            if let Some(groups) = object
                .get_mut("volume_groups")
                .and_then(Value::as_array_mut)
            {
                for lv in host.logical_volumes.iter().filter(|lv| lv.existing_pool) {
                    step += 1;
                    if let Some(lvs) = groups
                        .iter_mut()
                        .find(|g| {
                            g.get("name").and_then(Value::as_str) == Some(lv.volume_group.as_str())
                        })
                        .and_then(|g| g.get_mut("logical_volumes"))
                        .and_then(Value::as_array_mut)
                    {
                        lvs.push(lv_json(lv, step));
                    }
                }
                for vg in &host.volume_groups {
                    if !vg.existing_vg {
                        groups.push(vg_json(vg, host, &mut step));
                        continue;
                    }
                    // use_free_space: a new pool and its LVs in a recorded VG.
                    let Some(group) = groups
                        .iter_mut()
                        .find(|g| g.get("name").and_then(Value::as_str) == Some(vg.name.as_str()))
                    else {
                        continue;
                    };
                    step += 1;
                    if let Some(pools) = group.get_mut("thin_pools").and_then(Value::as_array_mut) {
                        pools.push(pool_json(vg, step));
                    }
                    if let Some(lvs) = group
                        .get_mut("logical_volumes")
                        .and_then(Value::as_array_mut)
                    {
                        for lv in host
                            .logical_volumes
                            .iter()
                            .filter(|lv| !lv.existing_pool && lv.thin_pool == vg.pool)
                        {
                            step += 1;
                            lvs.push(lv_json(lv, step));
                        }
                    }
                }
            }
        }
    }
    if let Some(volumes) = root.get_mut("volumes").and_then(Value::as_array_mut) {
        for conversion in &expansion.conversions {
            let Some(volume) = volumes.iter_mut().find(|v| {
                v.get("name").and_then(Value::as_str) == Some(conversion.volume.as_str())
            }) else {
                continue;
            };
            volume["replica"] = json!({"count": 3, "arbiter_count": 1});
            if let Some(sets) = volume.get_mut("replica_sets").and_then(Value::as_array_mut) {
                for (set, brick) in sets.iter_mut().zip(&conversion.bricks) {
                    if let Some(bricks) = set.get_mut("bricks").and_then(Value::as_array_mut) {
                        bricks.push(json!(brick));
                    }
                }
            }
        }
        for growth in &expansion.volumes {
            if let Some(sets) = volumes
                .iter_mut()
                .find(|v| v.get("name").and_then(Value::as_str) == Some(growth.volume.as_str()))
                .and_then(|v| v.get_mut("replica_sets"))
                .and_then(Value::as_array_mut)
            {
                sets.extend(growth.sets.iter().map(|bricks| json!({ "bricks": bricks })));
            }
        }
    }
    if let Some(capacity) = root.get_mut("capacity").and_then(Value::as_object_mut) {
        let add = |capacity: &mut serde_json::Map<String, Value>, key: &str, bytes: u64| {
            let old = capacity.get(key).and_then(Value::as_u64).unwrap_or(0);
            capacity.insert(key.to_owned(), json!(old + bytes));
        };
        add(
            capacity,
            "usable_bytes",
            expansion.usable_after - expansion.usable_before,
        );
        add(capacity, "bound_bytes", bound);
        add(capacity, "stranded_bytes", expansion.stranded_bytes);
    }
    let _ = plan;
    merged
}

fn max_step(node: &serde_json::Map<String, Value>) -> u64 {
    node.get("volume_groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|g| {
            ["thin_pools", "logical_volumes"]
                .into_iter()
                .filter_map(move |key| g.get(key).and_then(Value::as_array))
                .flatten()
        })
        .filter_map(|item| item.get("step").and_then(Value::as_u64))
        .max()
        .unwrap_or(0)
}

/// The new disks of a node as plan JSON disks: data disks with a VG, cache disks in use,
/// every other one with its reason.
fn disks_json(node: &MergedNode, host: &HostChange) -> Vec<Value> {
    let entry = |disk: &FreeDisk, usage: Option<&str>, reason: Option<&str>| {
        json!({
            "name": disk.name,
            "size_bytes": disk.size,
            "use": usage,
            "reason": reason,
            "rotational": disk.rotational,
        })
    };
    let mut list = Vec::new();
    for (disk, _) in &node.disks.data {
        let used = host.volume_groups.iter().any(|vg| vg.disk == disk.name);
        list.push(entry(
            disk,
            used.then_some("data"),
            (!used).then_some(UNUSED_DATA),
        ));
    }
    for disk in &node.disks.cache {
        if host
            .volume_groups
            .iter()
            .any(|vg| vg.cache_disk.as_deref() == Some(disk.name.as_str()))
        {
            list.push(entry(disk, Some("cache"), None));
        }
    }
    let listed: BTreeSet<String> = list
        .iter()
        .filter_map(|d| d.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    for disk in node
        .disks
        .unused
        .iter()
        .map(|(disk, _)| disk)
        .chain(&node.disks.cache)
    {
        if listed.contains(&disk.name) {
            continue;
        }
        let why = host
            .unused_disks
            .iter()
            .find(|(name, _)| name == &disk.name)
            .map_or("no new slow VG left to cache", |(_, why)| why.as_str());
        list.push(entry(disk, None, Some(why)));
    }
    list
}

fn lv_json(lv: &NewLv, step: u64) -> Value {
    json!({
        "name": lv.name,
        "size_bytes": lv.size_bytes,
        "thin_pool": lv.thin_pool,
        "mount_point": lv.mount_point,
        "volume": lv.volume,
        "step": step,
    })
}

fn pool_json(vg: &NewVg, step: u64) -> Value {
    let mut pool = json!({
        "name": vg.pool,
        "size_bytes": vg.pool_bytes,
        "metadata_bytes": vg.pool_metadata_bytes,
        "chunk_bytes": vg.chunk_bytes,
        "step": step,
    });
    if let (Some(cache), Some(object)) = (&vg.cache, pool.as_object_mut()) {
        object.insert("cache".to_owned(), json!(cache));
    }
    pool
}

fn vg_json(vg: &NewVg, host: &HostChange, step: &mut u64) -> Value {
    *step += 1;
    let pool = pool_json(vg, *step);
    let mut physical_volumes = vec![vg.device.clone()];
    let mut disks = vec![vg.disk.clone()];
    if let (Some(cache), Some(disk)) = (&vg.cache, &vg.cache_disk) {
        physical_volumes.push(cache.device.clone());
        disks.push(disk.clone());
    }
    let lvs: Vec<Value> = host
        .logical_volumes
        .iter()
        .filter(|lv| !lv.existing_pool && lv.volume_group == vg.name && lv.thin_pool == vg.pool)
        .map(|lv| {
            *step += 1;
            lv_json(lv, *step)
        })
        .collect();
    json!({
        "name": vg.name,
        "physical_volumes": physical_volumes,
        "size_bytes": vg.size_bytes,
        "thin_pools": [pool],
        "logical_volumes": lvs,
        "disks": disks,
        "extent_bytes": EXTENT,
        "tier": "slow",
        "alignment": vg.alignment,
    })
}

fn node_json(index: usize, node: &MergedNode, host: Option<&HostChange>) -> Value {
    let empty = HostChange {
        node: node.name.clone(),
        new_node: true,
        volume_groups: Vec::new(),
        logical_volumes: Vec::new(),
        cache_partitions: Vec::new(),
        unused_disks: node
            .disks
            .unused
            .iter()
            .map(|(disk, why)| (disk.name.clone(), why.clone()))
            .collect(),
    };
    let host = host.unwrap_or(&empty);
    let mut step = 0;
    json!({
        "name": node.name,
        "index": index,
        "role": node.role,
        "disks": disks_json(node, host),
        "vdo_devices": host.volume_groups.iter().filter_map(|vg| vg.vdo.as_ref()).collect::<Vec<_>>(),
        "volume_groups": host.volume_groups.iter().map(|vg| vg_json(vg, host, &mut step)).collect::<Vec<_>>(),
    })
}

/// E012: every recorded node, VG, pool, LV, volume, set and brick must be in the merged plan
/// exactly as recorded (additions only).
pub fn untouched_problems(recorded: &Value, merged: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let prefix_kept = |path: &str, old: &Value, new: &Value, problems: &mut Vec<Problem>| {
        let (Some(old), Some(new)) = (old.as_array(), new.as_array()) else {
            if old != new {
                problems.push(error(
                    "E012",
                    path.to_owned(),
                    "would change",
                    "this is a bug in hvp: report it",
                ));
            }
            return;
        };
        if new.len() < old.len() {
            problems.push(error(
                "E012",
                path.to_owned(),
                "would lose entries",
                "this is a bug in hvp: report it",
            ));
        }
        for (index, (a, b)) in old.iter().zip(new).enumerate() {
            if a != b && !(a.is_object() && b.is_object()) {
                problems.push(error(
                    "E012",
                    format!("{path}[{index}]"),
                    "would change",
                    "this is a bug in hvp: report it",
                ));
            }
        }
    };
    let get = |value: &Value, key: &str| value.get(key).cloned().unwrap_or(Value::Null);
    let old_nodes = get(recorded, "nodes");
    let new_nodes = get(merged, "nodes");
    prefix_kept("nodes", &old_nodes, &new_nodes, &mut problems);
    for (index, old) in old_nodes.as_array().into_iter().flatten().enumerate() {
        let new = new_nodes.get(index).cloned().unwrap_or(Value::Null);
        let name = old.get("name").and_then(Value::as_str).unwrap_or("?");
        prefix_kept(
            &format!("node {name}: vdo_devices"),
            &get(old, "vdo_devices"),
            &get(&new, "vdo_devices"),
            &mut problems,
        );
        for key in ["name", "role"] {
            if old.get(key) != new.get(key) {
                problems.push(error(
                    "E012",
                    format!("node {name}: {key}"),
                    "would change",
                    "this is a bug in hvp: report it",
                ));
            }
        }
        prefix_kept(
            &format!("node {name}: disks"),
            &get(old, "disks"),
            &get(&new, "disks"),
            &mut problems,
        );
        let old_groups = get(old, "volume_groups");
        let new_groups = get(&new, "volume_groups");
        prefix_kept(
            &format!("node {name}: volume_groups"),
            &old_groups,
            &new_groups,
            &mut problems,
        );
        for (g, old_group) in old_groups.as_array().into_iter().flatten().enumerate() {
            let new_group = new_groups.get(g).cloned().unwrap_or(Value::Null);
            let vg = old_group.get("name").and_then(Value::as_str).unwrap_or("?");
            for (key, value) in old_group.as_object().into_iter().flatten() {
                if key == "logical_volumes" || key == "thin_pools" {
                    prefix_kept(
                        &format!("node {name}: vg {vg}: {key}"),
                        value,
                        &get(&new_group, key),
                        &mut problems,
                    );
                } else if new_group.get(key) != Some(value) {
                    problems.push(error(
                        "E012",
                        format!("node {name}: vg {vg}: {key}"),
                        "would change",
                        "this is a bug in hvp: report it",
                    ));
                }
            }
        }
    }
    let old_volumes = get(recorded, "volumes");
    let new_volumes = get(merged, "volumes");
    prefix_kept("volumes", &old_volumes, &new_volumes, &mut problems);
    for (index, old) in old_volumes.as_array().into_iter().flatten().enumerate() {
        let new = new_volumes.get(index).cloned().unwrap_or(Value::Null);
        let name = old.get("name").and_then(Value::as_str).unwrap_or("?");
        // Replica 2 → arbiter (spec §13.5) is the one change of a recorded volume: its
        // replica becomes 3/1 and each set gains one brick at its end.
        let converted = old.get("replica") == Some(&json!({"count": 2, "arbiter_count": 0}))
            && new.get("replica") == Some(&json!({"count": 3, "arbiter_count": 1}));
        for (key, value) in old.as_object().into_iter().flatten() {
            if key == "replica_sets" {
                prefix_kept(
                    &format!("volume {name}: replica_sets"),
                    value,
                    &get(&new, key),
                    &mut problems,
                );
                let new_sets = get(&new, key);
                for (s, old_set) in value.as_array().into_iter().flatten().enumerate() {
                    let old_bricks = get(old_set, "bricks");
                    let new_bricks = new_sets.get(s).map(|set| get(set, "bricks"));
                    let kept = match (
                        old_bricks.as_array(),
                        new_bricks.as_ref().and_then(Value::as_array),
                    ) {
                        (Some(a), Some(b)) => {
                            b.len() == a.len() + usize::from(converted) && b[..a.len()] == a[..]
                        }
                        _ => false,
                    };
                    let rest_kept = old_set.as_object().into_iter().flatten().all(|(k, v)| {
                        k == "bricks" || new_sets.get(s).and_then(|set| set.get(k)) == Some(v)
                    });
                    if !kept || !rest_kept {
                        problems.push(error(
                            "E012",
                            format!("volume {name}: set {}", s + 1),
                            "would change",
                            "this is a bug in hvp: report it",
                        ));
                    }
                }
            } else if key == "replica" && converted {
                continue;
            } else if new.get(key) != Some(value) {
                problems.push(error(
                    "E012",
                    format!("volume {name}: {key}"),
                    "would change",
                    "this is a bug in hvp: report it",
                ));
            }
        }
    }
    problems
}
