//! The comparison: every difference between the recorded plan and the live state.

use super::gluster::{LiveVolume, CREATION_DEFAULTS};
use super::live::{ClusterState, LiveState, NodeState};
use super::mounts::{lv_of_device, mapper_path};
use super::plan_view::{PlanNode, PlanVg, PlanVolume, RecordedPlan};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// LVM's default extent, used when a VG's own is not known.
const DEFAULT_EXTENT: u64 = 4 << 20;

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A node reported that the plan does not have.
    NodeUnknown,
    /// A planned VG does not exist.
    VgMissing,
    /// A VG that is not planned sits on a planned disk or has an hvp name.
    VgExtra,
    /// A VG's size differs by an extent or more.
    VgSize,
    /// A planned PV is missing or in another VG.
    PvMissing,
    /// A planned VG has a PV that is not planned.
    PvExtra,
    /// A planned thin pool does not exist.
    PoolMissing,
    /// A thin pool's data size differs by an extent or more.
    PoolSize,
    /// A planned LV does not exist.
    LvMissing,
    /// A planned VG holds an LV that is not planned.
    LvExtra,
    /// An LV's size differs by an extent or more.
    LvSize,
    /// An LV is thin where thick was planned, in another pool, or not a pool where one was.
    LvType,
    /// A planned brick filesystem is not mounted.
    MountMissing,
    /// A planned mount point holds another device.
    MountDevice,
    /// A planned Gluster volume does not exist.
    VolumeMissing,
    /// A Gluster volume that is not in the plan.
    VolumeUnknown,
    /// A planned volume is not started.
    VolumeNotStarted,
    /// Replica or arbiter count differs.
    VolumeReplica,
    /// A planned brick is not in its volume.
    BrickMissing,
    /// A volume has a brick that is not planned.
    BrickExtra,
    /// A brick is an arbiter where a data brick was planned, or the other way round.
    BrickArbiter,
    /// The bricks are the planned ones in another order (other replica sets).
    BrickOrder,
    /// A planned option is not set.
    OptionMissing,
    /// An option has another value.
    OptionValue,
    /// An option is set that the plan does not set.
    OptionExtra,
    /// A planned VDO device does not exist (legacy: not in `vdo status`; LVM: no such VDO
    /// pool LV).
    VdoMissing,
    /// A VDO device that is not planned has an hvp name (`vdo_…`) or sits on a planned disk.
    VdoExtra,
    /// A VDO device's logical size differs by an extent or more.
    VdoSize,
}

/// One difference between the plan and the live cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// What kind of difference.
    pub kind: DriftKind,
    /// The node, for LVM objects and mounts; `None` for Gluster volumes.
    pub node: Option<String>,
    /// The object (`vg gluster_vg_sdb`, `volume vmstore option network.ping-timeout`).
    pub object: String,
    /// What the plan says.
    pub expected: String,
    /// What is there.
    pub found: String,
    /// How to make them agree.
    pub fix: String,
}

impl fmt::Display for Drift {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every part may hold text read from the cluster or the plan (a group file's values
        // end up in the fix): all escaped, so a drift line is one line (fuzz finding).
        if let Some(node) = &self.node {
            write!(formatter, "{}: ", escape(node))?;
        }
        write!(
            formatter,
            "{}: expected {}, found {} (fix: {})",
            escape(&self.object),
            escape(&self.expected),
            escape(&self.found),
            escape(&self.fix)
        )
    }
}

/// User text with control characters shown as escapes.
fn escape(text: &str) -> String {
    text.chars()
        .flat_map(char::escape_default)
        .collect::<String>()
        .replace("\\'", "'")
        .replace("\\\"", "\"")
}

struct Out(Vec<Drift>);

impl Out {
    fn push(
        &mut self,
        kind: DriftKind,
        node: Option<&str>,
        object: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.0.push(Drift {
            kind,
            node: node.map(str::to_owned),
            object: object.into(),
            expected: expected.into(),
            found: found.into(),
            fix: fix.into(),
        });
    }
}

/// Compares `plan` with what `live` holds: the nodes present in `live` (others are not
/// compared) and, when `live.cluster` is set, the Gluster volumes. Returns every difference,
/// nodes in plan order first, then volumes in plan order, then unknown volumes.
pub fn compare(plan: &RecordedPlan, live: &LiveState) -> Vec<Drift> {
    let mut out = Out(Vec::new());
    for node in &plan.nodes {
        if let Some(state) = live.nodes.iter().find(|state| state.name == node.name) {
            compare_node(node, state, &mut out);
        }
    }
    for state in &live.nodes {
        if plan.node(&state.name).is_none() {
            out.push(
                DriftKind::NodeUnknown,
                Some(&state.name),
                format!("node {}", state.name),
                "a node of the plan",
                "not in the plan",
                format!(
                    "run drift detection only on the plan's nodes ({}), or expand the cluster \
                     to this node first",
                    plan.nodes
                        .iter()
                        .map(|n| n.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if let Some(cluster) = &live.cluster {
        compare_cluster(plan, cluster, &mut out);
    }
    out.0
}

fn size(bytes: u64) -> String {
    format!("{bytes} bytes")
}

fn differs(expected: u64, found: u64, extent: u64) -> bool {
    expected.abs_diff(found) >= extent.max(1)
}

fn compare_node(node: &PlanNode, state: &NodeState, out: &mut Out) {
    let name = Some(node.name.as_str());
    let planned_vgs: BTreeSet<&str> = node
        .volume_groups
        .iter()
        .map(|vg| vg.name.as_str())
        .collect();
    let planned_devices: BTreeSet<String> = node
        .volume_groups
        .iter()
        .flat_map(|vg| vg.physical_volumes.iter().cloned())
        .chain(
            node.disks
                .iter()
                .filter(|disk| disk.usage.is_some())
                .map(|disk| format!("/dev/{}", disk.name)),
        )
        .collect();
    for vg in &node.volume_groups {
        compare_vg(&node.name, vg, state, out);
    }
    for live_vg in &state.vgs {
        if planned_vgs.contains(live_vg.name.as_str()) {
            continue;
        }
        let devices: Vec<&str> = state
            .pvs
            .iter()
            .filter(|pv| pv.vg.as_deref() == Some(live_vg.name.as_str()))
            .map(|pv| pv.name.as_str())
            .collect();
        let on_planned = devices
            .iter()
            .any(|device| planned_devices.contains(*device));
        if on_planned || live_vg.name.starts_with("gluster_vg_") {
            out.push(
                DriftKind::VgExtra,
                name,
                format!("vg {}", live_vg.name),
                "no such VG",
                format!(
                    "VG of {} on {}",
                    size(live_vg.size_bytes),
                    devices.join(", ")
                ),
                format!(
                    "the plan does not have it: if nothing on it is needed, `vgremove {}`; \
                     otherwise record a plan that includes it",
                    live_vg.name
                ),
            );
        }
    }
    for pv in &state.pvs {
        if pv.vg.is_none() && planned_devices.contains(&pv.name) {
            let planned_vg = node
                .volume_groups
                .iter()
                .find(|vg| vg.physical_volumes.contains(&pv.name));
            if planned_vg.is_none() {
                out.push(
                    DriftKind::PvExtra,
                    name,
                    format!("pv {}", pv.name),
                    "no PV (the disk is planned but not as a PV)",
                    "an LVM PV in no VG",
                    format!("`pvremove {}` if nothing uses it", pv.name),
                );
            }
        }
    }
    compare_mounts(node, state, out);
    compare_vdo(node, state, out);
}

fn compare_vg(node: &str, vg: &PlanVg, state: &NodeState, out: &mut Out) {
    let name = Some(node);
    let Some(live_vg) = state.vgs.iter().find(|live| live.name == vg.name) else {
        out.push(
            DriftKind::VgMissing,
            name,
            format!("vg {}", vg.name),
            format!(
                "VG of {} on {} with {} LV(s)",
                size(vg.size_bytes),
                vg.physical_volumes.join(", "),
                vg.logical_volumes.len() + vg.thin_pools.len()
            ),
            "no such VG",
            format!(
                "if the disk was replaced, rebuild this node's bricks from the plan \
                 (pvcreate {pvs}; vgcreate {vg} {pvs}; then the LVs) and heal; if the VG was \
                 renamed, rename it back (vgrename)",
                pvs = vg.physical_volumes.join(" "),
                vg = vg.name
            ),
        );
        return;
    };
    let extent = if live_vg.extent_bytes == 0 {
        DEFAULT_EXTENT
    } else {
        live_vg.extent_bytes
    };
    if differs(vg.size_bytes, live_vg.size_bytes, extent) {
        out.push(
            DriftKind::VgSize,
            name,
            format!("vg {}", vg.name),
            size(vg.size_bytes),
            size(live_vg.size_bytes),
            "the VG was extended or reduced outside hvp: undo it (vgreduce/vgextend), or \
             record a plan that matches",
        );
    }
    for pv in &vg.physical_volumes {
        match state.pvs.iter().find(|live| &live.name == pv) {
            Some(live) if live.vg.as_deref() == Some(vg.name.as_str()) => {}
            found => out.push(
                DriftKind::PvMissing,
                name,
                format!("pv {pv}"),
                format!("a PV of {}", vg.name),
                match found.and_then(|live| live.vg.as_deref()) {
                    Some(other) => format!("a PV of {other}"),
                    None if found.is_some() => "a PV in no VG".to_owned(),
                    None => "no PV".to_owned(),
                },
                format!(
                    "`vgextend {} {pv}` if the device is the planned disk",
                    vg.name
                ),
            ),
        }
    }
    for live in state
        .pvs
        .iter()
        .filter(|live| live.vg.as_deref() == Some(vg.name.as_str()))
        .filter(|live| !vg.physical_volumes.contains(&live.name))
    {
        out.push(
            DriftKind::PvExtra,
            name,
            format!("pv {}", live.name),
            format!("not a PV of {}", vg.name),
            format!("a PV of {} ({})", vg.name, size(live.size_bytes)),
            format!(
                "`pvmove {dev}; vgreduce {vg} {dev}` if it was added by mistake, or record a \
                 plan that includes it",
                dev = live.name,
                vg = vg.name
            ),
        );
    }
    let lvs: Vec<_> = state.lvs.iter().filter(|lv| lv.vg == vg.name).collect();
    for pool in &vg.thin_pools {
        let object = format!("thin pool {}/{}", vg.name, pool.name);
        match lvs.iter().find(|lv| lv.name == pool.name) {
            None => out.push(
                DriftKind::PoolMissing,
                name,
                object,
                format!("thin pool of {}", size(pool.size_bytes)),
                "no such LV",
                format!(
                    "lvcreate --type thin-pool -L {}b --poolmetadatasize {}b -n {} {}",
                    pool.size_bytes, pool.metadata_bytes, pool.name, vg.name
                ),
            ),
            Some(live) if !live.is_thin_pool() => out.push(
                DriftKind::LvType,
                name,
                object,
                "a thin pool",
                format!("an LV of type {}", live.segtype),
                "the LV is not the planned pool: rename it and create the pool, or record a \
                 plan that matches",
            ),
            Some(live) if differs(pool.size_bytes, live.size_bytes, extent) => out.push(
                DriftKind::PoolSize,
                name,
                object,
                size(pool.size_bytes),
                size(live.size_bytes),
                "the pool was resized outside hvp (lvextend); record a plan that matches",
            ),
            Some(_) => {}
        }
    }
    for lv in &vg.logical_volumes {
        let object = format!("lv {}/{}", vg.name, lv.name);
        let kind = match &lv.thin_pool {
            Some(pool) => format!("thin LV in pool {pool}"),
            None => "thick LV".to_owned(),
        };
        let Some(live) = lvs.iter().find(|live| live.name == lv.name) else {
            let create = match &lv.thin_pool {
                Some(pool) => format!(
                    "lvcreate -V {}b -T {}/{} -n {}",
                    lv.size_bytes, vg.name, pool, lv.name
                ),
                None => format!("lvcreate -L {}b -n {} {}", lv.size_bytes, lv.name, vg.name),
            };
            out.push(
                DriftKind::LvMissing,
                name,
                object,
                format!("{kind} of {}", size(lv.size_bytes)),
                "no such LV",
                format!("{create}, then mkfs.xfs and mount it, and heal the brick"),
            );
            continue;
        };
        if live.pool != lv.thin_pool || live.is_thin_pool() {
            let found = match (&live.pool, live.is_thin_pool()) {
                (_, true) => "a thin pool".to_owned(),
                (Some(pool), false) => format!("thin LV in pool {pool}"),
                (None, false) => format!("{} LV", live.segtype),
            };
            out.push(
                DriftKind::LvType,
                name,
                object.clone(),
                kind,
                found,
                "the LV was recreated outside hvp; record a plan that matches, or rebuild the \
                 brick as planned",
            );
        }
        if differs(lv.size_bytes, live.size_bytes, extent) {
            out.push(
                DriftKind::LvSize,
                name,
                object,
                size(lv.size_bytes),
                size(live.size_bytes),
                "the LV was resized outside hvp (lvextend/lvreduce); record a plan that matches",
            );
        }
    }
    let planned: BTreeSet<&str> = vg
        .logical_volumes
        .iter()
        .map(|lv| lv.name.as_str())
        .chain(vg.thin_pools.iter().map(|pool| pool.name.as_str()))
        .collect();
    // VDO pools and the VDO LVs on them are compared as VDO devices (compare_vdo).
    for live in lvs.iter().filter(|live| {
        !planned.contains(live.name.as_str())
            && !matches!(live.segtype.as_str(), "vdo-pool" | "vdo")
            && !live.attr.starts_with('d')
    }) {
        out.push(
            DriftKind::LvExtra,
            name,
            format!("lv {}/{}", vg.name, live.name),
            "no such LV",
            format!("{} LV of {}", live.segtype, size(live.size_bytes)),
            format!(
                "it is not in the plan (teardown would leave it and fail on the VG): remove it \
                 (`lvremove {}/{}`) if nothing on it is needed",
                vg.name, live.name
            ),
        );
    }
}

/// VDO devices of the plan against the node's: presence, kind and logical size; unplanned ones
/// with an hvp name or on a planned disk.
fn compare_vdo(node: &PlanNode, state: &NodeState, out: &mut Out) {
    let name = Some(node.name.as_str());
    for planned in &node.vdo_devices {
        let object = format!("vdo {}", planned.name);
        let lvm = planned.kind == "lvm";
        let Some(live) = state
            .vdos
            .iter()
            .find(|v| v.name == planned.name && (v.kind == super::vdo::LiveVdoKind::Lvm) == lvm)
        else {
            out.push(
                DriftKind::VdoMissing,
                name,
                object,
                format!(
                    "{} VDO device on {}",
                    if lvm {
                        "an LVM"
                    } else {
                        "a legacy (vdo manager)"
                    },
                    planned.disk
                ),
                if lvm {
                    "no VDO pool LV of that name in `lvs`"
                } else {
                    "not in `vdo status`"
                },
                "recreate it as planned (teardown and apply), or record a plan that matches",
            );
            continue;
        };
        if let Some(found) = live.logical_size_bytes {
            if differs(planned.logical_size_bytes, found, DEFAULT_EXTENT) {
                out.push(
                    DriftKind::VdoSize,
                    name,
                    format!("{object} logical size"),
                    size(planned.logical_size_bytes),
                    size(found),
                    if lvm {
                        "the VDO LV was resized outside hvp (lvextend); record a plan that matches"
                    } else {
                        "the VDO volume was grown outside hvp (vdo growLogical); record a plan \
                         that matches"
                    },
                );
            }
        }
    }
    let planned_names: BTreeSet<&str> = node.vdo_devices.iter().map(|v| v.name.as_str()).collect();
    let planned_disks: BTreeSet<String> = node
        .disks
        .iter()
        .filter(|disk| disk.usage.is_some())
        .map(|disk| format!("/dev/{}", disk.name))
        .collect();
    for live in state
        .vdos
        .iter()
        .filter(|v| !planned_names.contains(v.name.as_str()))
    {
        let on_planned_disk = live
            .storage_device
            .as_ref()
            .is_some_and(|device| planned_disks.contains(device));
        if live.name.starts_with("vdo_") || on_planned_disk {
            out.push(
                DriftKind::VdoExtra,
                name,
                format!("vdo {}", live.name),
                "no such VDO device",
                format!(
                    "{} VDO device{}",
                    match live.kind {
                        super::vdo::LiveVdoKind::Legacy => "a legacy",
                        super::vdo::LiveVdoKind::Lvm => "an LVM",
                    },
                    live.storage_device
                        .as_ref()
                        .map_or(String::new(), |device| format!(" on {device}"))
                ),
                "remove it if hvp made it by mistake (its data is lost), or record a plan that \
                 has it",
            );
        }
    }
}

fn compare_mounts(node: &PlanNode, state: &NodeState, out: &mut Out) {
    for vg in &node.volume_groups {
        if !state.vgs.iter().any(|live| live.name == vg.name) {
            continue;
        }
        for lv in &vg.logical_volumes {
            let Some(mount_point) = &lv.mount_point else {
                continue;
            };
            let device = mapper_path(&vg.name, &lv.name);
            let object = format!("mount {mount_point}");
            match state
                .mounts
                .iter()
                .rev()
                .find(|mount| &mount.mount_point == mount_point)
            {
                None => out.push(
                    DriftKind::MountMissing,
                    Some(&node.name),
                    object,
                    format!("{device} mounted"),
                    "nothing mounted",
                    format!(
                        "mount {mount_point} (its fstab line names {device}); if the mount \
                         fails, the brick is lost: rebuild it and heal"
                    ),
                ),
                Some(mount) => {
                    let planned = (vg.name.clone(), lv.name.clone());
                    if lv_of_device(&mount.source).as_ref() != Some(&planned) {
                        out.push(
                            DriftKind::MountDevice,
                            Some(&node.name),
                            object,
                            format!("{device} mounted"),
                            format!("{} ({}) mounted", mount.source, mount.fstype),
                            format!(
                                "umount {mount_point} and mount {device} there; check the \
                                 fstab line"
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn compare_cluster(plan: &RecordedPlan, cluster: &ClusterState, out: &mut Out) {
    for volume in &plan.volumes {
        match cluster.volumes.iter().find(|live| live.name == volume.name) {
            None => out.push(
                DriftKind::VolumeMissing,
                None,
                format!("volume {}", volume.name),
                format!(
                    "{} replica set(s) of {} brick(s)",
                    volume.replica_sets.len(),
                    volume.replica.count
                ),
                "no such volume",
                format!(
                    "{}; then set its options and start it",
                    create_command(volume)
                ),
            ),
            Some(live) => compare_volume(volume, live, &cluster.groups, out),
        }
    }
    for live in &cluster.volumes {
        if !plan.volumes.iter().any(|volume| volume.name == live.name) {
            out.push(
                DriftKind::VolumeUnknown,
                None,
                format!("volume {}", live.name),
                "no such volume",
                format!(
                    "{} volume of {} brick(s), {}",
                    live.type_name,
                    live.bricks.len(),
                    live.status
                ),
                format!(
                    "hvp neither uses nor removes it; if it is not needed: {}gluster volume \
                     delete {name}",
                    if live.status == "Started" {
                        format!("gluster volume stop {}; ", live.name)
                    } else {
                        String::new()
                    },
                    name = live.name
                ),
            );
        }
    }
}

/// The `gluster volume create` command line of a planned volume.
pub fn create_command(volume: &PlanVolume) -> String {
    let mut words = vec![format!("gluster volume create {}", volume.name)];
    if volume.replica.count > 1 {
        words.push(format!("replica {}", volume.replica.count));
        if volume.replica.arbiter_count > 0 {
            words.push(format!("arbiter {}", volume.replica.arbiter_count));
        }
    }
    words.extend(
        volume
            .bricks()
            .map(|brick| format!("{}:{}", brick.node, brick.directory)),
    );
    words.join(" ")
}

fn compare_volume(
    volume: &PlanVolume,
    live: &LiveVolume,
    groups: &BTreeMap<String, Vec<(String, String)>>,
    out: &mut Out,
) {
    let object = format!("volume {}", volume.name);
    if live.status != "Started" {
        out.push(
            DriftKind::VolumeNotStarted,
            None,
            object.clone(),
            "Started",
            live.status.clone(),
            format!("gluster volume start {}", volume.name),
        );
    }
    let planned_count = volume.replica.count.max(1);
    if (planned_count, volume.replica.arbiter_count) != (live.replica_count, live.arbiter_count) {
        out.push(
            DriftKind::VolumeReplica,
            None,
            object.clone(),
            format!(
                "replica {planned_count} arbiter {}",
                volume.replica.arbiter_count
            ),
            format!(
                "replica {} arbiter {}",
                live.replica_count, live.arbiter_count
            ),
            "the replication was changed outside hvp; record a plan that matches before \
             expanding",
        );
    }
    compare_bricks(volume, live, out);
    compare_options(volume, live, groups, out);
}

fn compare_bricks(volume: &PlanVolume, live: &LiveVolume, out: &mut Out) {
    let planned: Vec<(usize, &super::plan_view::PlanBrick)> = volume
        .replica_sets
        .iter()
        .enumerate()
        .flat_map(|(index, set)| set.bricks.iter().map(move |brick| (index + 1, brick)))
        .collect();
    let key = |node: &str, directory: &str| format!("{node}:{directory}");
    let live_keys: Vec<String> = live
        .bricks
        .iter()
        .map(|b| key(&b.node, &b.directory))
        .collect();
    let planned_keys: Vec<String> = planned
        .iter()
        .map(|(_, brick)| key(&brick.node, &brick.directory))
        .collect();
    let mut mismatched = false;
    for ((set, brick), brick_key) in planned.iter().zip(&planned_keys) {
        let role = if brick.arbiter { "arbiter" } else { "data" };
        match live
            .bricks
            .iter()
            .zip(&live_keys)
            .find(|(_, k)| *k == brick_key)
        {
            None => {
                mismatched = true;
                out.push(
                    DriftKind::BrickMissing,
                    None,
                    format!("volume {} brick {brick_key}", volume.name),
                    format!("{role} brick of set {set}"),
                    "not in the volume",
                    format!(
                        "if the brick was replaced, record a plan that matches; otherwise put \
                         it back with gluster volume replace-brick {} NEW {brick_key} commit \
                         force",
                        volume.name
                    ),
                );
            }
            Some((live_brick, _)) if live_brick.arbiter != brick.arbiter => out.push(
                DriftKind::BrickArbiter,
                None,
                format!("volume {} brick {brick_key}", volume.name),
                format!("{role} brick"),
                if live_brick.arbiter {
                    "arbiter brick"
                } else {
                    "data brick"
                },
                "the replica sets were rebuilt outside hvp; record a plan that matches",
            ),
            Some(_) => {}
        }
    }
    for live_key in live_keys.iter().filter(|k| !planned_keys.contains(k)) {
        mismatched = true;
        out.push(
            DriftKind::BrickExtra,
            None,
            format!("volume {} brick {live_key}", volume.name),
            "no such brick",
            "a brick of the volume",
            format!(
                "it was added outside hvp: record a plan that matches, or remove its replica \
                 set (gluster volume remove-brick {} … start/commit)",
                volume.name
            ),
        );
    }
    if !mismatched && live_keys != planned_keys {
        out.push(
            DriftKind::BrickOrder,
            None,
            format!("volume {} bricks", volume.name),
            planned_keys.join(" "),
            live_keys.join(" "),
            "the bricks form other replica sets than planned; record a plan that matches",
        );
    }
}

fn compare_options(
    volume: &PlanVolume,
    live: &LiveVolume,
    groups: &BTreeMap<String, Vec<(String, String)>>,
    out: &mut Out,
) {
    let mut expected: Vec<(String, String)> = Vec::new();
    let mut all_groups_known = true;
    let set = |key: &str, value: &str, expected: &mut Vec<(String, String)>| {
        expected.retain(|(k, _)| k != key);
        expected.push((key.to_owned(), value.to_owned()));
    };
    for option in &volume.options {
        if option.name == "group" {
            match groups.get(&option.value) {
                Some(pairs) => {
                    for (key, value) in pairs {
                        set(key, value, &mut expected);
                    }
                }
                None => all_groups_known = false,
            }
        } else {
            set(&option.name, &option.value, &mut expected);
        }
    }
    let live_value = |key: &str| {
        live.options
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    };
    for (key, value) in &expected {
        let object = format!("volume {} option {key}", volume.name);
        let fix = format!("gluster volume set {} {key} {value}", volume.name);
        match live_value(key) {
            None => out.push(
                DriftKind::OptionMissing,
                None,
                object,
                value.clone(),
                "not set",
                fix,
            ),
            Some(found) if found != value => out.push(
                DriftKind::OptionValue,
                None,
                object,
                value.clone(),
                found,
                fix,
            ),
            Some(_) => {}
        }
    }
    if !all_groups_known {
        return;
    }
    let mut seen = BTreeSet::new();
    for (key, value) in &live.options {
        if !seen.insert(key.as_str())
            || expected.iter().any(|(k, _)| k == key)
            || CREATION_DEFAULTS.contains(&key.as_str())
        {
            continue;
        }
        out.push(
            DriftKind::OptionExtra,
            None,
            format!("volume {} option {key}", volume.name),
            "not set",
            value.clone(),
            format!("gluster volume reset {} {key}", volume.name),
        );
    }
}
