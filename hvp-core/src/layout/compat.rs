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
        topology,
        nodes: node_plans,
        volumes,
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
                "{n} Gluster nodes are not supported yet (distributed-replicated volumes with a \
                 rotating arbiter are planned)"
            ),
            "use 1 node or 3 nodes in the glusternodes group",
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

fn plan_data_node(
    node: &NodeFacts,
    index: usize,
    disk_count: usize,
    vars: &LayoutVars,
) -> Result<NodePlan, Report> {
    let chosen = choose_data_disks(&node.free_disks, disk_count)
        .ok_or_else(|| Report::new(vec![no_disk_problem(node, "data node")]))?;
    let vg_name = |number: usize| format!("vgdisk{number}");
    let mut storage = NodeStorage::default();
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
            let vdo = VdoDevice {
                name: format!("vdo_{}", disk.name),
                disk: disk.name.clone(),
                logical_size_gib: vdo_logical_size_gib(total),
                settings: VdoSettings::default(),
            };
            let device = format!("mapper/{}", vdo.name);
            let capacity = vdo.logical_size_gib.saturating_mul(1 << 30);
            storage.vdo_devices.push(vdo);
            (device, capacity)
        } else {
            (disk.name.clone(), disk.size)
        };
        storage.physical_volumes.push(PhysicalVolume {
            device: device.clone(),
            disk: disk.name.clone(),
        });
        storage.volume_groups.push(VolumeGroup {
            name: vg_name(vg_number),
            physical_volumes: vec![device],
            capacity_bytes,
        });
    }
    let thin: Vec<VolumeKind> = VolumeKind::ALL
        .into_iter()
        .filter(|kind| !DATA_THICK.contains(kind))
        .collect();
    storage.logical_volumes = logical_volumes(
        &DATA_THICK
            .iter()
            .map(|kind| (*kind, vg_name(data_volume_group(*kind, disk_count))))
            .collect::<Vec<_>>(),
        &thin
            .iter()
            .map(|kind| (*kind, vg_name(data_volume_group(*kind, disk_count))))
            .collect::<Vec<_>>(),
        |kind| vars.volume(kind).size.clone(),
        vars,
    );
    Ok(NodePlan {
        name: node.name.clone(),
        index,
        role: NodeRole::Data,
        disks: disk_plans(node, &chosen),
        storage,
    })
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
    let storage = NodeStorage {
        vdo_devices: Vec::new(),
        physical_volumes: vec![PhysicalVolume {
            device: disk.name.clone(),
            disk: disk.name.clone(),
        }],
        volume_groups: vec![VolumeGroup {
            name: vg.clone(),
            physical_volumes: vec![disk.name.clone()],
            capacity_bytes: disk.size,
        }],
        logical_volumes: logical_volumes(
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
            vars,
        ),
    };
    Ok(NodePlan {
        name: node.name.clone(),
        index,
        role: NodeRole::Arbiter,
        disks: disk_plans(node, &[(DiskRole::Arbiter, disk)]),
        storage,
    })
}

/// The LVs of one node in creation order: the thick LVs, then the thin pool of the engine's VG
/// (or, without a thick engine, of the first thin LV's VG), then the thin LVs, each other VG's
/// pool created just before that VG's first thin LV.
fn logical_volumes(
    thick: &[(VolumeKind, String)],
    thin: &[(VolumeKind, String)],
    size_of: impl Fn(VolumeKind) -> crate::size::SizeSpec,
    vars: &LayoutVars,
) -> Vec<LogicalVolume> {
    let mut volumes = Vec::new();
    for (kind, vg) in thick {
        volumes.push(LogicalVolume {
            volume_group: vg.clone(),
            kind: LvKind::Thick {
                name: kind.stem().to_owned(),
                size: size_of(*kind),
                mount: kind.brick_mount(),
            },
        });
    }
    let pool = |vg: &str| LogicalVolume {
        volume_group: vg.to_owned(),
        kind: LvKind::ThinPool {
            name: THIN_POOL_NAME.to_owned(),
            chunk_size: vars.thinpool_chunksize.clone(),
            percent_of_free: THIN_POOL_PERCENT_OF_FREE,
        },
    };
    let mut pools: BTreeSet<&str> = BTreeSet::new();
    let first_pool_vg = thick
        .iter()
        .find(|(kind, _)| *kind == VolumeKind::Engine)
        .or_else(|| thin.first())
        .map(|(_, vg)| vg.as_str());
    if let Some(vg) = first_pool_vg {
        if thin.iter().any(|(_, thin_vg)| thin_vg == vg) {
            volumes.push(pool(vg));
            pools.insert(vg);
        }
    }
    for (kind, vg) in thin {
        if pools.insert(vg.as_str()) {
            volumes.push(pool(vg));
        }
        volumes.push(LogicalVolume {
            volume_group: vg.clone(),
            kind: LvKind::Thin {
                name: kind.stem().to_owned(),
                pool: THIN_POOL_NAME.to_owned(),
                virtual_size: size_of(*kind),
                mount: kind.brick_mount(),
            },
        });
    }
    volumes
}

/// The VDO logical size in GiB for bricks totalling `total_bytes`: 120% of the total,
/// truncated, as the original computed it for its whole-GB sizes.
pub fn vdo_logical_size_gib(total_bytes: u64) -> u64 {
    let gib = 1u128 << 30;
    let logical = u128::from(total_bytes) * 12 / (10 * gib);
    u64::try_from(logical).unwrap_or(u64::MAX)
}

fn disk_plans(node: &NodeFacts, chosen: &[(DiskRole, &crate::disks::FreeDisk)]) -> Vec<DiskPlan> {
    sorted_by_name(&node.free_disks)
        .into_iter()
        .map(|disk| DiskPlan {
            name: disk.name.clone(),
            size_bytes: disk.size,
            role: chosen
                .iter()
                .find(|(_, used)| used.name == disk.name)
                .map(|(role, _)| *role),
        })
        .collect()
}

fn plan_volumes(nodes: &[NodePlan], vars: &LayoutVars, single: bool) -> Vec<VolumePlan> {
    VolumeKind::ALL
        .into_iter()
        .map(|kind| {
            let replica = (!single).then(|| Replica {
                count: 3,
                arbiter_count: u32::from(kind.has_arbiter()),
            });
            let bricks = nodes
                .iter()
                .map(|node| Brick {
                    node: node.name.clone(),
                    directory: kind.brick_directory(),
                    logical_volume: node.storage.logical_volumes.iter().find_map(|lv| {
                        match &lv.kind {
                            LvKind::Thick { name, .. } | LvKind::Thin { name, .. }
                                if name == kind.stem() =>
                            {
                                Some(format!("{}/{name}", lv.volume_group))
                            }
                            _ => None,
                        }
                    }),
                    arbiter: node.role == NodeRole::Arbiter && kind.has_arbiter(),
                })
                .collect();
            VolumePlan {
                kind,
                name: vars.volume(kind).volume_name.clone(),
                transport: "tcp".to_owned(),
                replica,
                options: volume_options(kind, single),
                bricks,
            }
        })
        .collect()
}
