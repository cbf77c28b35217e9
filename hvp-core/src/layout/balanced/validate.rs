//! Every validation code that applies to a fresh balanced plan, checked on the finished plan
//! (so a planner bug cannot slip through): errors E001, E002, E003, E005, E009, E010 and
//! warnings W102, W103, W104, W105, W107, W109, W111, W112, W114, W119. Codes found while
//! planning (E004, E006, E007, E008, E011, W106, W110, W115, W117, W118, W120) are raised
//! where they are decided. E012, E013 and E020 belong to expansion.

use super::arbiter::{arbiter_bytes, fairness_bound, HARD_MINIMUM};
use super::build::Built;
use super::capacity::pool_in;
use super::spread::SpreadResult;
use crate::facts::storage::{ArbiterPlacement, StorageVars};
use crate::layout::model::{LayoutPlan, NodeRole, PlanWarning};
use crate::report::Problem;
use crate::size::human_bytes;
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn error(
    code: &str,
    subject: impl Into<String>,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> PlanWarning {
    PlanWarning::from_problem(
        code,
        Problem::error(subject, format!("{code}: {}", message.into()), fix),
    )
}

/// What a VG's LVs can address: its size, and for an LVM-VDO VG the VDO LV's logical size in
/// place of its VDO pool (the thin pool's data on the VDO LV, spec §10).
fn addressable(
    node: &crate::layout::model::NodePlan,
    group: &crate::layout::model::VolumeGroup,
) -> u64 {
    node.vdo_devices
        .iter()
        .find(|vdo| {
            vdo.kind == crate::layout::model::VdoKind::Lvm && group.disks.first() == Some(&vdo.disk)
        })
        .map_or(group.size_bytes, |vdo| {
            super::vdo::lvm_addressable(
                group.size_bytes,
                vdo.physical_size_bytes,
                vdo.logical_size_bytes,
            )
        })
}

/// The structural rules every plan must keep, whoever made it (E001, E002, E003, E005,
/// E009). Usable on any plan, for example one read back for expansion.
pub fn structural_problems(plan: &LayoutPlan) -> Vec<PlanWarning> {
    let mut problems = Vec::new();
    let roles: BTreeMap<&str, NodeRole> = plan
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.role))
        .collect();
    for volume in &plan.volumes {
        let count = volume.replica.count as usize;
        let total: usize = volume.replica_sets.iter().map(|set| set.bricks.len()).sum();
        if count == 0
            || total % count != 0
            || volume
                .replica_sets
                .iter()
                .any(|set| set.bricks.len() != count)
        {
            problems.push(error(
                "E002",
                format!("volume {}", volume.name),
                format!("{total} bricks do not form whole sets of {count}"),
                "every replica set needs exactly replica-count bricks",
            ));
        }
        // One buffer for every set (a set has three or four bricks: a list beats a tree).
        let mut seen: Vec<&str> = Vec::new();
        for (number, set) in volume.replica_sets.iter().enumerate() {
            seen.clear();
            for brick in &set.bricks {
                let repeated = seen.contains(&brick.node.as_str());
                if !repeated {
                    seen.push(brick.node.as_str());
                }
                if repeated {
                    let kinds: Vec<&str> = set
                        .bricks
                        .iter()
                        .filter(|other| other.node == brick.node)
                        .map(|other| {
                            if other.arbiter {
                                "the arbiter"
                            } else {
                                "a data"
                            }
                        })
                        .collect();
                    problems.push(error(
                        "E001",
                        format!("volume {} set {}", volume.name, number + 1),
                        format!(
                            "{} would hold {} brick(s) of the same set",
                            brick.node,
                            kinds.join(" and ")
                        ),
                        "members of a replica set must sit on distinct nodes",
                    ));
                }
                let role = roles
                    .get(brick.node.as_str())
                    .copied()
                    .unwrap_or(NodeRole::Any);
                if brick.arbiter && role == NodeRole::Data {
                    problems.push(error(
                        "E003",
                        format!("volume {} set {}", volume.name, number + 1),
                        format!(
                            "the arbiter brick is on {}, a node with role data",
                            brick.node
                        ),
                        "arbiters go to nodes with role any or arbiter",
                    ));
                }
                if !brick.arbiter && matches!(role, NodeRole::Arbiter | NodeRole::Compute) {
                    problems.push(error(
                        "E003",
                        format!("volume {} set {}", volume.name, number + 1),
                        format!(
                            "a data brick is on {}, a node with role {}",
                            brick.node,
                            role.name()
                        ),
                        "data goes to nodes with role any or data",
                    ));
                }
            }
            if let Some(arbiter) = set.bricks.iter().position(|b| b.arbiter) {
                if arbiter + 1 != set.bricks.len() || volume.replica.arbiter_count == 0 {
                    problems.push(error(
                        "E002",
                        format!("volume {} set {}", volume.name, number + 1),
                        "the arbiter brick is not the last of its set",
                        "Gluster takes the last brick of each set as the arbiter",
                    ));
                }
            }
        }
    }
    for node in &plan.nodes {
        let mut main_disks = BTreeSet::new();
        let mut devices = BTreeSet::new();
        for group in &node.volume_groups {
            if let Some(disk) = group.disks.first() {
                if !main_disks.insert(disk.as_str()) {
                    problems.push(error(
                        "E005",
                        format!("node {}, disk {disk}", node.name),
                        "is used by two volume groups",
                        "one disk, one VG",
                    ));
                }
            }
            for device in &group.physical_volumes {
                if !devices.insert(device.as_str()) {
                    problems.push(error(
                        "E005",
                        format!("node {}, device {device}", node.name),
                        "is a PV of two volume groups",
                        "one device, one VG",
                    ));
                }
            }
            let thick = group.thick_bytes();
            let room = addressable(node, group);
            // Several pools (one per brick): all of them, their metadata and one spare copy
            // of the largest metadata fit the VG together.
            if group.thin_pools.len() > 1
                && group.thin_pools.iter().all(|p| p.percent_of_free.is_none())
            {
                let pools: u64 = group
                    .thin_pools
                    .iter()
                    .map(|p| {
                        p.size_bytes
                            + p.metadata_bytes
                            + p.cache
                                .as_ref()
                                .map_or(0, |c| c.data_bytes + c.metadata_bytes)
                    })
                    .sum();
                let spare = group
                    .thin_pools
                    .iter()
                    .map(|p| p.metadata_bytes)
                    .max()
                    .unwrap_or(0);
                if thick + pools + spare > room {
                    problems.push(error(
                        "E009",
                        format!("node {}, VG {}", node.name, group.name),
                        format!(
                            "thick LVs {} + {} pools with metadata {} + spare {} do not fit the VG's {}",
                            human_bytes(thick),
                            group.thin_pools.len(),
                            human_bytes(pools),
                            human_bytes(spare),
                            human_bytes(room)
                        ),
                        "a planner bug: report it with the facts document",
                    ));
                }
            }
            for pool in &group.thin_pools {
                if pool.percent_of_free.is_some() {
                    continue; // compat pools take a share of the free space
                }
                // Written only for a problem: a large plan has tens of thousands of pools.
                let subject = || format!("node {}, pool {}", node.name, pool.name);
                if pool.metadata_bytes > super::capacity::MAX_METADATA
                    || pool.chunk_bytes % (64 << 10) != 0
                {
                    problems.push(error(
                        "E009",
                        subject(),
                        format!(
                            "metadata {} / chunk {} KiB out of LVM's limits",
                            human_bytes(pool.metadata_bytes),
                            pool.chunk_bytes >> 10
                        ),
                        "metadata at most 16256 MiB (LVM's limit), chunk a multiple of 64 KiB",
                    ));
                }
                let cache: u64 = pool
                    .cache
                    .as_ref()
                    .map_or(0, |c| c.data_bytes + c.metadata_bytes);
                if thick + pool.size_bytes + 2 * pool.metadata_bytes + cache > room {
                    problems.push(error(
                        "E009",
                        subject(),
                        format!(
                            "thick LVs {} + pool {} + 2 × metadata {} do not fit the VG's {}",
                            human_bytes(thick),
                            human_bytes(pool.size_bytes),
                            human_bytes(pool.metadata_bytes),
                            human_bytes(room)
                        ),
                        "a planner bug: report it with the facts document",
                    ));
                }
                let thin = group.thin_bytes_in(&pool.name);
                if thin > pool.size_bytes {
                    problems.push(error(
                        "E009",
                        subject(),
                        format!(
                            "thin LVs {} overcommit the pool's {}",
                            human_bytes(thin),
                            human_bytes(pool.size_bytes)
                        ),
                        "a planner bug: report it with the facts document",
                    ));
                }
            }
        }
    }
    problems
}

/// Every check of a fresh balanced plan: structural errors, E010, and the warnings.
pub fn validate(
    plan: &LayoutPlan,
    built: &Built,
    spread: &SpreadResult,
    storage: &StorageVars,
) -> Vec<PlanWarning> {
    let mut problems = structural_problems(plan);
    // E010: arbiter bricks at least the formula and 300 MiB.
    for (v, volume) in plan.volumes.iter().enumerate() {
        let Some(spec) = built.specs.get(v) else {
            continue;
        };
        for (number, set) in volume.replica_sets.iter().enumerate() {
            let data = set
                .bricks
                .iter()
                .filter(|b| !b.arbiter)
                .map(|b| b.size_bytes)
                .max()
                .unwrap_or(0);
            for brick in set.bricks.iter().filter(|b| b.arbiter) {
                let wanted = arbiter_bytes(
                    data,
                    spec.file_unit,
                    storage.arbiter_floor.max(HARD_MINIMUM),
                );
                if brick.size_bytes < wanted {
                    problems.push(error(
                        "E010",
                        format!("volume {} set {}", volume.name, number + 1),
                        format!(
                            "the arbiter brick on {} has {}, the formula needs {} for {} of data",
                            brick.node,
                            human_bytes(brick.size_bytes),
                            human_bytes(wanted),
                            human_bytes(data)
                        ),
                        "size arbiter bricks by the formula (4 KiB per expected file, 1 GiB floor)",
                    ));
                }
            }
        }
    }
    let candidates = built
        .infos
        .iter()
        .filter(|i| i.arbiter && built.arbiter_vg[i.index].is_some())
        .count();
    if !built.groups.is_empty() {
        problems.extend(grouped_fairness(plan, built));
    } else if storage.arbiter_placement == ArbiterPlacement::Rotating && candidates > 0 {
        for volume in plan.volumes.iter().filter(|v| v.replica.arbiter_count > 0) {
            let sets = volume.replica_sets.len();
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for brick in volume.bricks().filter(|b| b.arbiter) {
                *counts.entry(brick.node.as_str()).or_default() += 1;
            }
            let bound = fairness_bound(sets, candidates);
            let over: Vec<String> = counts
                .iter()
                .filter(|(_, &count)| count > bound)
                .map(|(node, count)| format!("{node} {count}"))
                .collect();
            if !over.is_empty() {
                problems.push(PlanWarning::new(
                    "W102",
                    format!("volume {}", volume.name),
                    format!(
                        "arbiter bricks above the fair share of {bound} ({sets} sets over {candidates} nodes): {}",
                        over.join(", ")
                    ),
                    "the set structure forces it (few nodes outside the largest pairs); more nodes or equal disks spread arbiters evenly",
                ));
            }
        }
    }
    let mut big_nodes: Vec<String> = Vec::new();
    for node in &plan.nodes {
        let index = node.index;
        let subject = format!("node {}", node.name);
        let data_disks: u64 = node
            .disks
            .iter()
            .filter(|d| d.usage.is_some())
            .map(|d| d.size_bytes)
            .sum();
        if data_disks > 80_000_000_000_000 {
            big_nodes.push(format!("{} ({})", node.name, human_bytes(data_disks)));
        }
        if !built.infos[index].data {
            continue;
        }
        // Planned pool space: a legacy VDO pool may be larger (over-commit up to the ratio),
        // but the plan fills only its physical capacity (times the expected savings).
        let mut capacity = 0u64;
        let mut free = 0u64;
        for &vg in built.node_vgs.get(index).into_iter().flatten() {
            let group = &built.vgs[vg];
            let planned = pool_in(
                group.capacity.saturating_sub(group.thick_bytes),
                group.geometry.chunk_bytes,
            )
            .0
            .min(group.pool_data);
            let thin: u64 = group
                .lvs
                .iter()
                .filter(|lv| lv.thin)
                .map(|lv| lv.size)
                .sum();
            capacity += planned;
            free += planned.saturating_sub(thin);
        }
        let reserve = spread.reserves.get(index).copied().unwrap_or(0);
        let stranded = free.saturating_sub(reserve);
        if capacity > 0 && stranded > 0 && u128::from(stranded) * 50 > u128::from(capacity) {
            problems.push(PlanWarning::new(
                "W103",
                &subject,
                format!(
                    "{} of its {} pool space is in no brick ({:.1} %): the other nodes cannot pair with it",
                    human_bytes(stranded),
                    human_bytes(capacity),
                    stranded as f64 * 100.0 / capacity as f64
                ),
                "add disks to the other nodes, or move a disk away from this one",
            ));
        }
    }
    if !big_nodes.is_empty() {
        let shown: Vec<&str> = big_nodes.iter().take(5).map(String::as_str).collect();
        problems.push(PlanWarning::new(
            "W114",
            if big_nodes.len() == 1 {
                format!("node {}", big_nodes[0].split(' ').next().unwrap_or(""))
            } else {
                "nodes".to_owned()
            },
            format!(
                "{} node(s) hold more than RHHI's 80 TB per node: {}{}",
                big_nodes.len(),
                shown.join(", "),
                if big_nodes.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ),
            "supported as plain Gluster; split the storage over more nodes for RHHI-like limits",
        ));
    }
    // Sets mixing cached / uncached or HDD / SSD members.
    let (cache_mixed, media_mixed, pairs) = mixed_sets_and_pairs(plan);
    if cache_mixed > 0 {
        problems.push(PlanWarning::new(
            "W104",
            "replica sets",
            format!("{cache_mixed} set(s) pair a cached data brick with an uncached one: writes wait for the slower"),
            "give every data node a cache SSD, or none",
        ));
    }
    if media_mixed > 0 {
        problems.push(PlanWarning::new(
            "W105",
            "replica sets",
            format!("{media_mixed} set(s) pair an HDD data brick with an SSD one: the SSD waits for the HDD"),
            "group flash-only nodes apart (enough of them for their own sets), or accept HDD speed",
        ));
    }
    let brick_nodes = plan
        .nodes
        .iter()
        .filter(|n| !n.volume_groups.is_empty())
        .count();
    if brick_nodes > 3 && pairs > 0 {
        let all = brick_nodes * (brick_nodes - 1) / 2;
        if built.groups.is_empty() {
            problems.push(PlanWarning::new(
                "W109",
                "replica sets",
                format!(
                    "{} of {all} node pairs share a replica set: losing both nodes of such a pair stops writes to the files there",
                    pairs
                ),
                "expected with the spread layout, which maximises capacity; keep node failures single",
            ));
        } else {
            problems.push(PlanWarning::new(
                "W109",
                "replica sets",
                format!(
                    "{} of {all} node pairs share a replica set (grouped layout: {} triple(s), the pairs inside each): losing both nodes of such a pair stops writes in that triple only",
                    pairs,
                    built.groups.len()
                ),
                "expected with the grouped layout; keep node failures single, or replace a failed node before another of its triple fails",
            ));
        }
    }
    problems.extend(grouped_capacity(plan, spread, built));
    for volume in &plan.volumes {
        let sizes: Vec<u64> = volume
            .bricks()
            .filter(|b| !b.arbiter)
            .map(|b| b.size_bytes)
            .collect();
        if let (Some(min), Some(max)) = (sizes.iter().min(), sizes.iter().max()) {
            if *min > 0 && *max > min.saturating_mul(4) {
                problems.push(PlanWarning::new(
                    "W111",
                    format!("volume {}", volume.name),
                    format!(
                        "data bricks range from {} to {}: small bricks fill first and new files spill (cluster.min-free-disk)",
                        human_bytes(*min),
                        human_bytes(*max)
                    ),
                    "use disks of similar size, or raise hvp_min_set",
                ));
            }
        }
        if volume.kind == crate::volumes::VolumeKind::Engine {
            let hosted: BTreeSet<&str> = built
                .infos
                .iter()
                .filter(|i| i.hosted_engine)
                .map(|i| i.name.as_str())
                .collect();
            let outside: Vec<&str> = volume
                .bricks()
                .filter(|b| !b.arbiter && !hosted.contains(b.node.as_str()))
                .map(|b| b.node.as_str())
                .collect();
            if !outside.is_empty() {
                problems.push(PlanWarning::new(
                    "W112",
                    format!("volume {}", volume.name),
                    format!("engine bricks on {}, not a hosted-engine node", outside.join(", ")),
                    "mark the hosted-engine nodes with hosted_engine: true and give them room for the engine brick",
                ));
            }
        }
    }
    if storage.vdo_ratio > 10.0 && plan.nodes.iter().any(|n| !n.vdo_devices.is_empty()) {
        problems.push(PlanWarning::new(
            "W107",
            "variable hvp_vdo_ratio",
            format!(
                "{} : 1 promises more than VDO usually saves",
                storage.vdo_ratio
            ),
            "keep the ratio at 10 or below (default 3) unless the data is known to deduplicate",
        ));
    }
    // W119: a volume that is not VDO-eligible on a VDO VG (a node with one data disk).
    let mut on_vdo: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for node in plan
        .nodes
        .iter()
        .filter(|node| !node.vdo_devices.is_empty())
    {
        for group in &node.volume_groups {
            let under_vdo = node
                .vdo_devices
                .iter()
                .any(|v| group.disks.first() == Some(&v.disk));
            if !under_vdo {
                continue;
            }
            for lv in &group.logical_volumes {
                let eligible = built
                    .specs
                    .iter()
                    .find(|spec| spec.name == lv.volume)
                    .map_or(true, |spec| spec.vdo);
                if !eligible {
                    on_vdo
                        .entry(node.name.as_str())
                        .or_default()
                        .insert(lv.volume.as_str());
                }
            }
        }
    }
    if !on_vdo.is_empty() {
        let listed: Vec<String> = on_vdo
            .iter()
            .take(5)
            .map(|(node, volumes)| {
                format!(
                    "{node} ({})",
                    volumes.iter().copied().collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        problems.push(PlanWarning::new(
            "W119",
            if on_vdo.len() == 1 {
                format!("node {}", listed[0].split(' ').next().unwrap_or(""))
            } else {
                "VDO".to_owned()
            },
            format!(
                "VDO also carries volumes that are not VDO volumes on {} node(s) (a node with one data disk has VDO under everything): {}{}",
                on_vdo.len(),
                listed.join("; "),
                if on_vdo.len() > listed.len() { "; ..." } else { "" }
            ),
            "fine (they get deduplication too, at some CPU cost); give those nodes a second data disk to keep them apart, or set hvp_vdo_mode: none",
        ));
    }
    problems
}

/// Per replica set, whether its data bricks mix cached and uncached VGs, and HDD and SSD
/// ones: the number of such sets, and of node pairs that share a set.
fn mixed_sets_and_pairs(plan: &LayoutPlan) -> (usize, usize, usize) {
    // Node names as numbers (the same name, the same number), VGs by node number and name.
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(plan.nodes.len());
    let mut vg_info: HashMap<(usize, &str), (bool, bool)> =
        HashMap::with_capacity(plan.nodes.iter().map(|node| node.volume_groups.len()).sum());
    for node in &plan.nodes {
        let node_id = number(&mut ids, &node.name);
        for group in &node.volume_groups {
            let cached = group.thin_pools.iter().any(|pool| pool.cache.is_some());
            let rotational = group
                .disks
                .first()
                .and_then(|disk| node.disk(disk))
                .is_some_and(|disk| disk.rotational);
            vg_info.insert((node_id, group.name.as_str()), (cached, rotational));
        }
    }
    let mut cache_mixed = 0;
    let mut media_mixed = 0;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut data: Vec<(bool, bool)> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    for volume in &plan.volumes {
        for set in &volume.replica_sets {
            members.clear();
            members.extend(set.bricks.iter().map(|b| number(&mut ids, &b.node)));
            data.clear();
            data.extend(
                set.bricks
                    .iter()
                    .zip(&members)
                    .filter(|(b, _)| !b.arbiter)
                    .filter_map(|(b, &node)| {
                        vg_info.get(&(node, b.volume_group.as_str())).copied()
                    }),
            );
            if data.windows(2).any(|w| w[0].0 != w[1].0) {
                cache_mixed += 1;
            }
            if data.windows(2).any(|w| w[0].1 != w[1].1) {
                media_mixed += 1;
            }
            for &a in &members {
                for &b in &members {
                    if a < b {
                        pairs.push((a, b));
                    }
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    (cache_mixed, media_mixed, pairs.len())
}

/// The number of `name` in `ids`, a new one for a new name.
fn number<'a>(ids: &mut HashMap<&'a str, usize>, name: &'a str) -> usize {
    let next = ids.len();
    *ids.entry(name).or_insert(next)
}

/// W102 of a grouped layout: per volume and triple, at most `⌈sets in the triple / arbiter
/// nodes of the triple⌉` arbiter bricks on one of its nodes.
fn grouped_fairness(plan: &LayoutPlan, built: &Built) -> Vec<PlanWarning> {
    let index: BTreeMap<&str, usize> = built
        .infos
        .iter()
        .map(|info| (info.name.as_str(), info.index))
        .collect();
    let of = super::groups::triple_of(&built.groups, built.infos.len());
    let candidates: Vec<usize> = built
        .groups
        .iter()
        .map(|group| {
            group
                .nodes
                .iter()
                .filter(|&&n| built.infos[n].arbiter && built.arbiter_vg[n].is_some())
                .count()
        })
        .collect();
    let mut warnings = Vec::new();
    for volume in plan.volumes.iter().filter(|v| v.replica.arbiter_count > 0) {
        // Per triple: its sets, and per node its arbiter bricks.
        let mut sets = vec![0usize; built.groups.len()];
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for set in &volume.replica_sets {
            let Some(arbiter) = set
                .bricks
                .iter()
                .find(|b| b.arbiter)
                .and_then(|b| index.get(b.node.as_str()).copied())
            else {
                continue;
            };
            let Some(g) = of.get(arbiter).copied().flatten() else {
                continue;
            };
            sets[g] += 1;
            *counts.entry(arbiter).or_default() += 1;
        }
        let over: Vec<String> = counts
            .iter()
            .filter_map(|(&node, &count)| {
                let g = of[node]?;
                let bound = fairness_bound(sets[g], candidates[g]);
                (count > bound).then(|| {
                    format!(
                        "{} {count} (fair share {bound} of the triple's {} sets)",
                        built.infos[node].name, sets[g]
                    )
                })
            })
            .collect();
        if !over.is_empty() {
            warnings.push(PlanWarning::new(
                "W102",
                format!("volume {}", volume.name),
                format!(
                    "arbiter bricks above the fair share within their triple: {}",
                    over.join(", ")
                ),
                "the set structure of the triple forces it (one pair of its nodes holds most of its data); equal disks in a triple spread arbiters evenly",
            ));
        }
    }
    warnings
}

/// W121: a grouped layout's triples can hold less than the spread bound (the nodes of a
/// triple differ), with the bytes and the stranded space.
fn grouped_capacity(plan: &LayoutPlan, spread: &SpreadResult, built: &Built) -> Vec<PlanWarning> {
    let Some(grouped) = plan.capacity.grouped_bound_bytes else {
        return Vec::new();
    };
    let bound = plan.capacity.bound_bytes;
    // Below one extent per class is rounding.
    if bound.saturating_sub(grouped) < (4 << 20) * spread.classes.len().max(1) as u64 {
        return Vec::new();
    }
    vec![PlanWarning::new(
        "W121",
        "replica sets",
        format!(
            "grouped layout (hvp_layout_grouped): the {} triple(s) can hold at most {}, {} ({:.2} %) less than the bound {} over all nodes; {} of raw disk space is stranded (within a triple the largest node is capped by the other two)",
            built.groups.len(),
            human_bytes(grouped),
            human_bytes(bound - grouped),
            (bound - grouped) as f64 * 100.0 / bound as f64,
            human_bytes(bound),
            human_bytes(plan.capacity.stranded_bytes)
        ),
        "put nodes of equal capacity in one triple (triples are consecutive in inventory order), or set hvp_layout_grouped: false for the full bound",
    )]
}
