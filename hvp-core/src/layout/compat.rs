//! The `compat` policy: the original HVP gDeploy template's decisions, reproduced exactly for
//! 1 and 3 nodes, with errors where the original wrote a broken file.
//!
//! * 1 node: plain volumes. 3 nodes: replica 3, nodes 0 and 1 hold data, node 2 (the last in
//!   inventory order) holds the arbiter bricks.
//! * Every data node uses L = min(3, fewest disks among the data nodes) disks; see
//!   [`super::disk_choice`] for which ones.
//! * Thick LVs (ctdb, then engine) come first, then the thin pool of `vgdisk1`, then the thin
//!   LVs in volume order, each volume group's pool created just before its first thin LV.
//!   Every pool takes 90% of its VG's free space at that moment.

use super::disk_choice::{choose_data_disks, first_smallest, sorted_by_name};
use super::model::*;
use super::options::volume_options;
use crate::facts::{FactsDocument, LayoutVars, NodeFacts};
use crate::report::{Problem, Report};
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;
use std::collections::BTreeSet;

/// Node counts the compat policy supports.
pub const SUPPORTED_NODE_COUNTS: [usize; 2] = [1, 3];
/// Share of a VG's free space each thin pool takes.
pub const THIN_POOL_PERCENT_OF_FREE: u8 = 90;
/// Name of every thin pool.
pub const THIN_POOL_NAME: &str = "lvthinpool";
/// Name of the arbiter node's volume group.
pub const ARBITER_VOLUME_GROUP: &str = "vgarbiter";
/// Volumes whose data-node bricks are thick LVs, in creation order.
const DATA_THICK: [VolumeKind; 2] = [VolumeKind::Ctdb, VolumeKind::Engine];

/// Plans the storage of `facts` with the compat policy. Errors cover the node count and nodes
/// without disks; capacity checks and warnings are added by [`super::validate`].
pub fn plan(facts: &FactsDocument) -> Result<LayoutPlan, Report> {
    let nodes = &facts.nodes;
    check_node_count(nodes.len())?;
    let single = nodes.len() == 1;
    let data_nodes = if single { &nodes[..1] } else { &nodes[..2] };
    let arbiter = (!single).then(|| &nodes[2]);

    let mut problems = Vec::new();
    for node in data_nodes {
        if node.free_disks.is_empty() {
            problems.push(no_disk_problem(node, "data node"));
        }
    }
    if let Some(arbiter) = arbiter {
        if arbiter.free_disks.is_empty() {
            problems.push(no_disk_problem(arbiter, "arbiter node"));
        }
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }

    let disk_count = data_nodes
        .iter()
        .map(|node| node.free_disks.len())
        .min()
        .unwrap_or(0)
        .min(3);
    let mut node_plans = Vec::new();
    for (index, node) in data_nodes.iter().enumerate() {
        node_plans.push(plan_data_node(node, index, disk_count, &facts.vars)?);
    }
    if let Some(arbiter) = arbiter {
        node_plans.push(plan_arbiter_node(arbiter, 2, &facts.vars)?);
    }
    let topology = if single {
        Topology::Single
    } else {
        Topology::Replicated {
            replica_count: 3,
            arbiter_count: 1,
        }
    };
    let volumes = plan_volumes(&node_plans, &facts.vars, single);
    Ok(LayoutPlan {
        format_version: PLAN_FORMAT_VERSION,
        policy: Policy::Compat,
        capacity: capacity(&node_plans, &volumes),
        topology,
        nodes: node_plans,
        volumes,
        groups: Vec::new(),
        warnings: Vec::new(),
    })
}

fn check_node_count(count: usize) -> Result<(), Report> {
    let problem = match count {
        1 | 3 => return Ok(()),
        0 => Problem::error(
            "nodes",
            "the facts document lists no Gluster node",
            "put 1 node (no replication) or 3 nodes (replica 3 with arbiter) in the \
             glusternodes group",
        ),
        2 => Problem::error(
            "nodes",
            "2 Gluster nodes are not supported: two copies cannot outvote each other \
             (split brain)",
            "add a third node (it can be a small one: the last node in inventory order holds \
             only the arbiter bricks), or use a single node",
        ),
        n => Problem::error(
            "nodes",
            format!(
                "{n} Gluster nodes are not supported by the compat policy (the original's \
                 layout knows 1 or 3 nodes)"
            ),
            "use 1 node or 3 nodes in the glusternodes group, or the balanced policy \
             (hvp_layout_policy: balanced) for 3 or more nodes",
        ),
    };
    Err(Report::new(vec![problem]))
}

fn no_disk_problem(node: &NodeFacts, role: &str) -> Problem {
    Problem::error(
        format!("node {}", node.name),
        format!("the {role} has no free disk for Gluster"),
        "add an empty whole disk (no partitions, signatures or LVM) of at least 100 GB, or wipe \
         one that is no longer needed, then gather the facts again",
    )
}

/// Which volume group (1-based, in the chosen-disk order) holds a volume on a data node.
fn data_volume_group(kind: VolumeKind, disk_count: usize) -> usize {
    match (disk_count, kind) {
        (1, _) => 1,
        (2, VolumeKind::Engine | VolumeKind::VmStore | VolumeKind::Iso) => 1,
        (2, _) => 2,
        (_, VolumeKind::Engine | VolumeKind::Iso) => 1,
        (_, VolumeKind::VmStore) => 3,
        (_, _) => 2,
    }
}

/// An LV of the compat layout before it is placed into its volume group: the original's flat
/// creation order, which decides the INI section numbers.
enum FlatLv {
    Thick {
        vg: String,
        kind: VolumeKind,
        size: SizeSpec,
    },
    Pool {
        vg: String,
    },
    Thin {
        vg: String,
        kind: VolumeKind,
        size: SizeSpec,
    },
}

impl FlatLv {
    fn vg(&self) -> &str {
        match self {
            FlatLv::Thick { vg, .. } | FlatLv::Pool { vg } | FlatLv::Thin { vg, .. } => vg,
        }
    }
}

/// A VG of the compat layout before its LVs are placed.
struct FlatVg {
    name: String,
    device: String,
    disk: String,
    capacity_bytes: u64,
}

fn plan_data_node(
    node: &NodeFacts,
    index: usize,
    disk_count: usize,
    vars: &LayoutVars,
) -> Result<NodePlan, Report> {
    let chosen = choose_data_disks(&node.free_disks, disk_count)
        .ok_or_else(|| Report::new(vec![no_disk_problem(node, "data node")]))?;
    let vg_name = |number: usize| format!("vgdisk{number}");
    let mut vdo_devices = Vec::new();
    let mut groups = Vec::new();
    for (position, (_, disk)) in chosen.iter().enumerate() {
        let vg_number = position + 1;
        let volumes_here: Vec<VolumeKind> = VolumeKind::ALL
            .into_iter()
            .filter(|kind| data_volume_group(*kind, disk_count) == vg_number)
            .collect();
        let (device, capacity_bytes) = if vars.use_vdo {
            let total: u64 = volumes_here
                .iter()
                .map(|kind| vars.volume(*kind).size.bytes())
                .sum();
            let logical_gib = vdo_logical_size_gib(total);
            let vdo = VdoDevice {
                name: format!("vdo_{}", disk.name),
                disk: disk.name.clone(),
                kind: VdoKind::Legacy,
                logical_size_bytes: logical_gib.saturating_mul(1 << 30),
                physical_size_bytes: disk.size,
                slab_size_bytes: 32 << 30,
                settings: VdoSettings::default(),
            };
            let device = format!("mapper/{}", vdo.name);
            let capacity = vdo.logical_size_bytes;
            vdo_devices.push(vdo);
            (device, capacity)
        } else {
            (disk.name.clone(), disk.size)
        };
        groups.push(FlatVg {
            name: vg_name(vg_number),
            device,
            disk: disk.name.clone(),
            capacity_bytes,
        });
    }
    let thin: Vec<VolumeKind> = VolumeKind::ALL
        .into_iter()
        .filter(|kind| !DATA_THICK.contains(kind))
        .collect();
    let flat = flat_logical_volumes(
        &DATA_THICK
            .iter()
            .map(|kind| (*kind, vg_name(data_volume_group(*kind, disk_count))))
            .collect::<Vec<_>>(),
        &thin
            .iter()
            .map(|kind| (*kind, vg_name(data_volume_group(*kind, disk_count))))
            .collect::<Vec<_>>(),
        |kind| vars.volume(kind).size.clone(),
    );
    Ok(NodePlan {
        name: node.name.clone(),
        index,
        role: NodeRole::Data,
        disks: disk_plans(node, &chosen, data_unused_reason(disk_count)),
        vdo_devices,
        volume_groups: place_logical_volumes(&groups, &flat, vars),
    })
}

fn data_unused_reason(disk_count: usize) -> String {
    format!(
        "compat layout: every data node uses {disk_count} disk(s) (the fewest free disks among \
         the data nodes, at most 3); this one is left over"
    )
}

fn plan_arbiter_node(
    node: &NodeFacts,
    index: usize,
    vars: &LayoutVars,
) -> Result<NodePlan, Report> {
    let sorted = sorted_by_name(&node.free_disks);
    let disk = first_smallest(&sorted)
        .ok_or_else(|| Report::new(vec![no_disk_problem(node, "arbiter node")]))?;
    let vg = ARBITER_VOLUME_GROUP.to_owned();
    let group = FlatVg {
        name: vg.clone(),
        device: disk.name.clone(),
        disk: disk.name.clone(),
        capacity_bytes: disk.size,
    };
    let flat = flat_logical_volumes(
        &[(VolumeKind::Ctdb, vg.clone())],
        &VolumeKind::ALL
            .into_iter()
            .filter(|kind| kind.has_arbiter())
            .map(|kind| (kind, vg.clone()))
            .collect::<Vec<_>>(),
        |kind| {
            let settings = vars.volume(kind);
            // ctdb has no arbiter brick: the arbiter node holds a full copy.
            settings
                .arbiter_size
                .clone()
                .unwrap_or_else(|| settings.size.clone())
        },
    );
    Ok(NodePlan {
        name: node.name.clone(),
        index,
        role: NodeRole::Arbiter,
        disks: disk_plans(
            node,
            &[(DiskRole::Arbiter, disk)],
            "compat layout: the arbiter node uses only the first of its smallest disks".to_owned(),
        ),
        vdo_devices: Vec::new(),
        volume_groups: place_logical_volumes(&[group], &flat, vars),
    })
}

/// The LVs of one node in creation order: the thick LVs, then the thin pool of the engine's VG
/// (or, without a thick engine, of the first thin LV's VG), then the thin LVs, each other VG's
/// pool created just before that VG's first thin LV.
fn flat_logical_volumes(
    thick: &[(VolumeKind, String)],
    thin: &[(VolumeKind, String)],
    size_of: impl Fn(VolumeKind) -> SizeSpec,
) -> Vec<FlatLv> {
    let mut volumes = Vec::new();
    for (kind, vg) in thick {
        volumes.push(FlatLv::Thick {
            vg: vg.clone(),
            kind: *kind,
            size: size_of(*kind),
        });
    }
    let mut pools: BTreeSet<&str> = BTreeSet::new();
    let first_pool_vg = thick
        .iter()
        .find(|(kind, _)| *kind == VolumeKind::Engine)
        .or_else(|| thin.first())
        .map(|(_, vg)| vg.as_str());
    if let Some(vg) = first_pool_vg {
        if thin.iter().any(|(_, thin_vg)| thin_vg == vg) {
            volumes.push(FlatLv::Pool { vg: vg.to_owned() });
            pools.insert(vg);
        }
    }
    for (kind, vg) in thin {
        if pools.insert(vg.as_str()) {
            volumes.push(FlatLv::Pool { vg: vg.clone() });
        }
        volumes.push(FlatLv::Thin {
            vg: vg.clone(),
            kind: *kind,
            size: size_of(*kind),
        });
    }
    volumes
}

/// Puts the flat LV list into its volume groups, numbering the creation steps and sizing each
/// pool as LVM will: `percent_of_free` of the VG's free space at the pool's turn.
fn place_logical_volumes(
    groups: &[FlatVg],
    flat: &[FlatLv],
    vars: &LayoutVars,
) -> Vec<VolumeGroup> {
    let chunk = &vars.thinpool_chunksize;
    groups
        .iter()
        .map(|group| {
            let mut thick_bytes: u64 = 0;
            let mut thin_pools = Vec::new();
            let mut logical_volumes = Vec::new();
            for (position, lv) in flat.iter().enumerate() {
                if lv.vg() != group.name {
                    continue;
                }
                let step = u32::try_from(position + 1).unwrap_or(u32::MAX);
                match lv {
                    FlatLv::Thick { kind, size, .. } => {
                        thick_bytes = thick_bytes.saturating_add(size.bytes());
                        logical_volumes.push(compat_lv(*kind, size, None, step, vars));
                    }
                    FlatLv::Pool { .. } => {
                        let free = group.capacity_bytes.saturating_sub(thick_bytes);
                        let size_bytes = free / 100 * u64::from(THIN_POOL_PERCENT_OF_FREE);
                        thin_pools.push(ThinPool {
                            name: THIN_POOL_NAME.to_owned(),
                            size_bytes,
                            metadata_bytes: lvm_default_metadata_bytes(size_bytes, chunk.bytes()),
                            chunk_bytes: chunk.bytes(),
                            step,
                            chunk_text: Some(chunk.text().to_owned()),
                            percent_of_free: Some(THIN_POOL_PERCENT_OF_FREE),
                            cache: None,
                        });
                    }
                    FlatLv::Thin { kind, size, .. } => {
                        logical_volumes.push(compat_lv(
                            *kind,
                            size,
                            Some(THIN_POOL_NAME.to_owned()),
                            step,
                            vars,
                        ));
                    }
                }
            }
            VolumeGroup {
                name: group.name.clone(),
                physical_volumes: vec![format!("/dev/{}", group.device)],
                size_bytes: group.capacity_bytes,
                thin_pools,
                logical_volumes,
                disks: vec![group.disk.clone()],
                extent_bytes: 4 << 20,
                tier: Tier::Slow,
                alignment: None,
            }
        })
        .collect()
}

fn compat_lv(
    kind: VolumeKind,
    size: &SizeSpec,
    thin_pool: Option<String>,
    step: u32,
    vars: &LayoutVars,
) -> LogicalVolume {
    LogicalVolume {
        name: kind.stem().to_owned(),
        size_bytes: size.bytes(),
        thin_pool,
        mount_point: kind.brick_mount(),
        volume: vars.volume(kind).volume_name.clone(),
        step,
        size_text: Some(size.text().to_owned()),
    }
}

/// LVM's default thin-pool metadata size for a pool of `data_bytes` with `chunk_bytes` chunks:
/// 64 bytes per chunk, at least 2 MiB, at most 16 GiB, in whole 4 MiB extents.
pub fn lvm_default_metadata_bytes(data_bytes: u64, chunk_bytes: u64) -> u64 {
    const EXTENT: u64 = 4 << 20;
    let chunks = data_bytes / chunk_bytes.max(1);
    let bytes = chunks.saturating_mul(64).clamp(2 << 20, 16 << 30);
    bytes.div_ceil(EXTENT) * EXTENT
}

/// The VDO logical size in GiB for bricks totalling `total_bytes`: 120% of the total,
/// truncated, as the original computed it for its whole-GB sizes.
pub fn vdo_logical_size_gib(total_bytes: u64) -> u64 {
    let gib = 1u128 << 30;
    let logical = u128::from(total_bytes) * 12 / (10 * gib);
    u64::try_from(logical).unwrap_or(u64::MAX)
}

fn disk_plans(
    node: &NodeFacts,
    chosen: &[(DiskRole, &crate::disks::FreeDisk)],
    unused_reason: String,
) -> Vec<DiskPlan> {
    sorted_by_name(&node.free_disks)
        .into_iter()
        .map(|disk| {
            let role = chosen
                .iter()
                .find(|(_, used)| used.name == disk.name)
                .map(|(role, _)| *role);
            DiskPlan {
                name: disk.name.clone(),
                size_bytes: disk.size,
                usage: role.map(|role| match role {
                    DiskRole::Arbiter => DiskUse::Arbiter,
                    _ => DiskUse::Data,
                }),
                reason: role.is_none().then(|| unused_reason.clone()),
                rotational: disk.rotational,
                compat_role: role,
            }
        })
        .collect()
}

fn plan_volumes(nodes: &[NodePlan], vars: &LayoutVars, single: bool) -> Vec<VolumePlan> {
    VolumeKind::ALL
        .into_iter()
        .map(|kind| {
            let replica = if single {
                Replica {
                    count: 1,
                    arbiter_count: 0,
                }
            } else {
                Replica {
                    count: 3,
                    arbiter_count: u32::from(kind.has_arbiter()),
                }
            };
            let bricks: Vec<Brick> = nodes
                .iter()
                .map(|node| {
                    let (group, lv) = node
                        .volume_groups
                        .iter()
                        .flat_map(|group| group.logical_volumes.iter().map(move |lv| (group, lv)))
                        .find(|(_, lv)| lv.name == kind.stem())
                        .map(|(group, lv)| (group.name.clone(), (lv.name.clone(), lv.size_bytes)))
                        .unwrap_or_default();
                    Brick {
                        node: node.name.clone(),
                        directory: kind.brick_directory(),
                        logical_volume: lv.0,
                        volume_group: group,
                        size_bytes: lv.1,
                        arbiter: node.role == NodeRole::Arbiter && kind.has_arbiter(),
                    }
                })
                .collect();
            VolumePlan {
                name: vars.volume(kind).volume_name.clone(),
                kind,
                replica,
                options: volume_options(kind, single),
                replica_sets: vec![ReplicaSet { bricks }],
                transport: "tcp".to_owned(),
                sizing: None,
                demand: None,
            }
        })
        .collect()
}

/// The capacity summary of a compat plan: the fixed brick sizes against the bound of the
/// selected data disks (r = 2 over the two data nodes, r = 1 for one node).
fn capacity(nodes: &[NodePlan], volumes: &[VolumePlan]) -> Capacity {
    let data_nodes: Vec<&NodePlan> = nodes.iter().filter(|n| n.role == NodeRole::Data).collect();
    let capacities: Vec<u64> = data_nodes
        .iter()
        .map(|node| {
            node.disks
                .iter()
                .filter(|disk| disk.usage == Some(DiskUse::Data))
                .map(|disk| disk.size_bytes)
                .sum()
        })
        .collect();
    let copies = data_nodes.len().min(2);
    let stranded = data_nodes
        .iter()
        .zip(&capacities)
        .map(|(node, capacity)| {
            let used: u64 = volumes
                .iter()
                .flat_map(VolumePlan::bricks)
                .filter(|brick| brick.node == node.name && !brick.arbiter)
                .map(|brick| brick.size_bytes)
                .sum();
            capacity.saturating_sub(used)
        })
        .sum();
    Capacity {
        usable_bytes: volumes.iter().map(VolumePlan::usable_bytes).sum(),
        bound_bytes: replica_bound(&capacities, copies),
        stranded_bytes: stranded,
        grouped_bound_bytes: None,
    }
}
