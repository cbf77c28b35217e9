//! The storage plan, format 2: what every node's disks become and which Gluster volumes sit on
//! them.
//!
//! The types describe the result, not the policy that chose it: `compat` (the original's 1-
//! and 3-node layout) and `balanced` (N nodes, sizes from capacity, rotating arbiters, tiers)
//! fill the same structure, and every renderer (gDeploy INI, gluster-ansible YAML, `gluster`
//! commands, JSON, table) reads only this. Sizes are integer bytes. Serialised as JSON this is
//! the `--format json` output, documented field by field in `docs/storage.md`; the fields of
//! the contract (`/work/coord/plan-v2.md`) are never renamed or removed, extra fields may be
//! added (consumers ignore unknown ones).

use crate::report::{Problem, Severity};
use crate::volumes::VolumeKind;
use serde::Serialize;

/// Version of the JSON form of [`LayoutPlan`]; raised on incompatible changes.
pub const PLAN_FORMAT_VERSION: u32 = 2;

/// The complete storage plan of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutPlan {
    /// Version of this document's shape ([`PLAN_FORMAT_VERSION`]).
    pub format_version: u32,
    /// The policy that made the decisions.
    pub policy: Policy,
    /// What the plan stores, what the disks could store at most, and what is left unused.
    pub capacity: Capacity,
    /// How the nodes replicate (cluster-wide summary; each volume has its own `replica`).
    pub topology: Topology,
    /// The node triples of a grouped layout (balanced, `hvp_layout_grouped: true`): node names
    /// in inventory order, every replica set inside one triple. Empty (and left out of the
    /// JSON) for the spread layout and compat.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Vec<String>>,
    /// Every node, in inventory order.
    pub nodes: Vec<NodePlan>,
    /// The Gluster volumes, in creation order.
    pub volumes: Vec<VolumePlan>,
    /// Things a person should look at before applying the plan.
    pub warnings: Vec<PlanWarning>,
}

/// How many node triples [`LayoutPlan::grouped_summary`] names.
pub const GROUPS_NAMED: usize = 8;

impl LayoutPlan {
    /// One line saying the layout is grouped and naming its triples (the first
    /// [`GROUPS_NAMED`]), for the headers of the outputs; `None` for a spread layout.
    pub fn grouped_summary(&self) -> Option<String> {
        if self.groups.is_empty() {
            return None;
        }
        let named: Vec<String> = self
            .groups
            .iter()
            .take(GROUPS_NAMED)
            .map(|group| group.join(", "))
            .collect();
        let more = self.groups.len().saturating_sub(GROUPS_NAMED);
        Some(format!(
            "layout: grouped (hvp_layout_grouped), every replica set inside one of {} node \
             triple(s): {}{}",
            self.groups.len(),
            named.join(" | "),
            if more > 0 {
                format!(" | ... and {more} more (the JSON plan lists them all)")
            } else {
                String::new()
            }
        ))
    }
}

/// The capacity summary of a plan (bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Capacity {
    /// Over all volumes and replica sets, the smallest data brick of the set, summed: what the
    /// volumes can hold (each byte stored once, however many copies).
    pub usable_bytes: u64,
    /// The bound B_r of `docs/storage.md`: the most any placement of the selected data disks
    /// could store with the volumes' copy counts.
    pub bound_bytes: u64,
    /// Bytes of the selected data disks' capacity that no data brick uses (capped nodes,
    /// dropped slivers, fixed sizes smaller than the disks), counted once per disk.
    pub stranded_bytes: u64,
    /// Grouped layouts only (`hvp_layout_grouped`): Σ over the node triples of their bound
    /// (plus the single-set volumes), the most the triples can store; at most `bound_bytes`,
    /// lower when the nodes of a triple differ (W121). Left out of the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grouped_bound_bytes: Option<u64>,
}

/// A set of layout decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Exactly what the original HVP gDeploy template decided (1 or 3 nodes, fixed sizes).
    #[default]
    Compat,
    /// N nodes, sizes from the real capacity, rotating arbiters, tiers.
    Balanced,
}

impl Policy {
    /// Every policy, for "did you mean" and help texts.
    pub const ALL: [Policy; 2] = [Policy::Compat, Policy::Balanced];

    /// The policy's name, as in the JSON plan (`compat`).
    pub fn name(self) -> &'static str {
        match self {
            Policy::Compat => "compat",
            Policy::Balanced => "balanced",
        }
    }

    /// The policy called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|policy| policy.name() == name)
    }
}

/// How bricks are replicated across nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Topology {
    /// One node, plain (replica 1) volumes.
    Single,
    /// Replica sets of `replica_count` bricks; the last `arbiter_count` bricks of each set hold
    /// metadata only.
    Replicated {
        /// Bricks per replica set, arbiter included.
        replica_count: u32,
        /// Arbiter bricks per replica set.
        arbiter_count: u32,
    },
}

/// What a node may do in the cluster (as configured; compat: `data` or `arbiter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeRole {
    /// Data and arbiter bricks.
    Any,
    /// Data bricks only (no arbiter brick).
    Data,
    /// Arbiter bricks only (plus full bricks of volumes without arbiter).
    Arbiter,
    /// No brick at all (a compute-only node).
    Compute,
}

impl NodeRole {
    /// Every role, in documentation order.
    pub const ALL: [NodeRole; 4] = [
        NodeRole::Any,
        NodeRole::Data,
        NodeRole::Arbiter,
        NodeRole::Compute,
    ];

    /// The role's name in the facts and the plan.
    pub fn name(self) -> &'static str {
        match self {
            NodeRole::Any => "any",
            NodeRole::Data => "data",
            NodeRole::Arbiter => "arbiter",
            NodeRole::Compute => "compute",
        }
    }

    /// Whether the node may hold data bricks.
    pub fn holds_data(self) -> bool {
        matches!(self, NodeRole::Any | NodeRole::Data)
    }

    /// Whether the node may hold arbiter bricks.
    pub fn holds_arbiters(self) -> bool {
        matches!(self, NodeRole::Any | NodeRole::Arbiter)
    }
}

/// One node's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodePlan {
    /// Inventory host name = Gluster peer name.
    pub name: String,
    /// Position in the inventory (0-based).
    pub index: usize,
    /// What the node may hold.
    pub role: NodeRole,
    /// Every free disk of the node and what it is used for, in name order.
    pub disks: Vec<DiskPlan>,
    /// VDO devices (deduplication and compression) under the PVs, in creation order.
    pub vdo_devices: Vec<VdoDevice>,
    /// LVM volume groups, in creation order, with their pools and LVs.
    pub volume_groups: Vec<VolumeGroup>,
}

impl NodePlan {
    /// The disk called `name`.
    pub fn disk(&self, name: &str) -> Option<&DiskPlan> {
        self.disks.iter().find(|disk| disk.name == name)
    }

    /// Every thin pool and LV of the node in creation order (by [`LogicalVolume::step`] and
    /// [`ThinPool::step`]), with its volume group.
    pub fn creation_order(&self) -> Vec<(&VolumeGroup, LvItem<'_>)> {
        let mut items: Vec<(u32, &VolumeGroup, LvItem<'_>)> = Vec::new();
        for group in &self.volume_groups {
            for pool in &group.thin_pools {
                items.push((pool.step, group, LvItem::Pool(pool)));
            }
            for lv in &group.logical_volumes {
                items.push((lv.step, group, LvItem::Volume(lv)));
            }
        }
        items.sort_by_key(|(step, _, _)| *step);
        items
            .into_iter()
            .map(|(_, group, item)| (group, item))
            .collect()
    }
}

/// A thin pool or a logical volume, for walking a node's LVs in creation order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LvItem<'a> {
    /// A thin pool.
    Pool(&'a ThinPool),
    /// A thick or thin LV holding a brick filesystem.
    Volume(&'a LogicalVolume),
}

/// A free disk and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskPlan {
    /// Kernel name (`sdb`).
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// What the disk is used for; `None` when it stays unused.
    #[serde(rename = "use")]
    pub usage: Option<DiskUse>,
    /// Why the disk is not used (`None` when it is).
    pub reason: Option<String>,
    /// Whether the disk spins (`false`: SSD or NVMe).
    pub rotational: bool,
    /// The compat layout's name for what the disk carries (compat plans only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compat_role: Option<DiskRole>,
}

/// What a used disk is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiskUse {
    /// Data bricks (and whatever else its VG holds).
    Data,
    /// An LV cache in front of a slow thin pool.
    Cache,
    /// A fast VG for volumes asking for the fast tier.
    Fast,
    /// Only arbiter bricks (a dedicated arbiter node's disk).
    Arbiter,
}

/// What a disk carries in the compat layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskRole {
    /// Every brick of a single-disk data node.
    All,
    /// The oVirt storage domains (engine, vmstore, iso) on a two-disk data node.
    Ovirt,
    /// The engine and iso domains on a data node with three or more disks.
    OvirtOther,
    /// The VM store on a data node with three or more disks.
    VmStore,
    /// The file shares, ctdb and backup.
    Shares,
    /// Every arbiter brick.
    Arbiter,
}

/// Which VDO implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VdoKind {
    /// The `vdo` manager (EL7/EL8) under a whole disk.
    Legacy,
    /// LVM-VDO (`lvcreate --type vdo`, EL9).
    Lvm,
}

/// A VDO device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VdoDevice {
    /// Device-mapper name (`vdo_sdb`).
    pub name: String,
    /// The disk underneath.
    pub disk: String,
    /// Legacy `vdo` or LVM-VDO.
    pub kind: VdoKind,
    /// Logical (thin) size in bytes; whole GiB.
    pub logical_size_bytes: u64,
    /// Physical bytes VDO manages.
    pub physical_size_bytes: u64,
    /// Slab size in bytes.
    pub slab_size_bytes: u64,
    /// Tuning, as written to gDeploy.
    pub settings: VdoSettings,
}

impl VdoDevice {
    /// The logical size in whole GiB (`logicalsize=<n>G`).
    pub fn logical_size_gib(&self) -> u64 {
        self.logical_size_bytes >> 30
    }
}

/// VDO tuning as the original sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VdoSettings {
    /// `blockmapcachesize`.
    pub block_map_cache_size: String,
    /// `readcache`.
    pub read_cache: String,
    /// `readcachesize`.
    pub read_cache_size: String,
    /// `emulate512`.
    pub emulate_512: String,
    /// `writepolicy`.
    pub write_policy: String,
    /// `slabsize`.
    pub slab_size: String,
}

impl Default for VdoSettings {
    fn default() -> Self {
        Self {
            block_map_cache_size: "128M".into(),
            read_cache: "enabled".into(),
            read_cache_size: "20M".into(),
            emulate_512: "yes".into(),
            write_policy: "auto".into(),
            slab_size: "32G".into(),
        }
    }
}

/// Storage tier of a volume group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Rotational disks (or everything, on all-flash nodes).
    Slow,
    /// SSD/NVMe used as a fast VG.
    Fast,
}

/// RAID alignment of a volume group (one function decides it: `layout::balanced::raid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Alignment {
    /// RAID level (`jbod`, `raid5`, `raid6`, `raid10`).
    pub level: &'static str,
    /// `pvcreate --dataalignment`, bytes.
    pub data_alignment_bytes: u64,
    /// XFS stripe unit (`-d su=`), bytes; 0 for JBOD.
    pub stripe_unit_bytes: u64,
    /// Data disks of the RAID (`-d sw=`); 1 for JBOD.
    pub data_disks: u32,
}

/// An LVM volume group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeGroup {
    /// VG name (`gluster_vg_sdb`; compat: `vgdisk1`, `vgarbiter`).
    pub name: String,
    /// Full device paths of its PVs (`/dev/sdb`, `/dev/mapper/vdo_sdb`).
    pub physical_volumes: Vec<String>,
    /// Usable bytes of the VG (whole extents; compat: the disk size, or the VDO logical size).
    pub size_bytes: u64,
    /// Thin pools, in creation order.
    pub thin_pools: Vec<ThinPool>,
    /// LVs holding bricks, in creation order.
    pub logical_volumes: Vec<LogicalVolume>,
    /// The disks under the PVs, in PV order.
    pub disks: Vec<String>,
    /// Physical extent size, bytes.
    pub extent_bytes: u64,
    /// Tier of the VG.
    pub tier: Tier,
    /// RAID alignment (balanced plans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Alignment>,
}

impl VolumeGroup {
    /// Bytes of its thick LVs (those outside every thin pool).
    pub fn thick_bytes(&self) -> u64 {
        self.logical_volumes
            .iter()
            .filter(|lv| lv.thin_pool.is_none())
            .map(|lv| lv.size_bytes)
            .sum()
    }

    /// Virtual bytes of the thin LVs in the pool named `pool`.
    pub fn thin_bytes_in(&self, pool: &str) -> u64 {
        self.logical_volumes
            .iter()
            .filter(|lv| lv.thin_pool.as_deref() == Some(pool))
            .map(|lv| lv.size_bytes)
            .sum()
    }
}

/// An LVM thin pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThinPool {
    /// Pool name (`gluster_thinpool_gluster_vg_sdb`; compat: `lvthinpool`).
    pub name: String,
    /// Pool data size, bytes.
    pub size_bytes: u64,
    /// Pool metadata size, bytes (compat: LVM's default estimate, 64 bytes per chunk).
    pub metadata_bytes: u64,
    /// Chunk size, bytes.
    pub chunk_bytes: u64,
    /// Position in the node's LV creation order.
    pub step: u32,
    /// The chunk size as the user wrote it (compat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunk_text: Option<String>,
    /// Share of the VG's free space the pool takes at creation, in percent (compat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_of_free: Option<u8>,
    /// An LV cache on a fast device in front of the pool's data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<Box<LvCache>>,
}

/// An lvmcache in front of a thin pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LvCache {
    /// The fast disk (or partition) holding the cache.
    pub device: String,
    /// Size of that device or partition, bytes (partitions are GPT, 1 MiB aligned, created
    /// before the VG is extended).
    pub device_bytes: u64,
    /// Cache LV name.
    pub name: String,
    /// Cache data, bytes.
    pub data_bytes: u64,
    /// Cache metadata, bytes.
    pub metadata_bytes: u64,
    /// `writethrough` or `writeback`.
    pub mode: String,
}

/// An LV holding a brick filesystem (thick, or thin in a pool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogicalVolume {
    /// LV name.
    pub name: String,
    /// Size (virtual size for thin LVs), bytes.
    pub size_bytes: u64,
    /// Pool name for thin LVs, `None` for thick ones.
    pub thin_pool: Option<String>,
    /// Mount point of the brick filesystem.
    pub mount_point: String,
    /// The Gluster volume whose brick it holds.
    pub volume: String,
    /// Position in the node's LV creation order.
    pub step: u32,
    /// The size as the user wrote it (compat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_text: Option<String>,
}

/// One Gluster volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumePlan {
    /// Gluster volume name.
    pub name: String,
    /// Which of the HVP volumes.
    pub kind: VolumeKind,
    /// Replication (one node: count 1, arbiter_count 0).
    pub replica: Replica,
    /// Volume options in the order they are set (names may repeat, e.g. `group`).
    pub options: Vec<VolumeOption>,
    /// Replica sets in Gluster order.
    pub replica_sets: Vec<ReplicaSet>,
    /// Transport.
    pub transport: String,
    /// How the volume's size was decided (balanced plans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizing: Option<String>,
    /// What was asked of the volume (balanced plans): recorded so that expansion grows it by
    /// its weight (`docs/running.md`). Optional: plans recorded before it load without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<VolumeDemand>,
}

/// The demand of a volume as the balanced policy read it (`hvp_storage_volumes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeDemand {
    /// `{"mode": "fixed", "bytes": N}`, `{"mode": "percent", "percent": P}` or
    /// `{"mode": "rest", "weight": W}`.
    #[serde(flatten)]
    pub size: crate::facts::storage::Demand,
    /// `single` (one replica set) or `all` (a share of every set).
    pub spread: &'static str,
    /// `slow` or `fast`.
    pub tier: &'static str,
    /// Thick LVs.
    pub thick: bool,
    /// On VDO.
    pub vdo: bool,
    /// `min(average file, shard block)`, bytes: the arbiter formula's file unit.
    pub file_unit_bytes: u64,
}

impl VolumePlan {
    /// Every brick in Gluster order (set by set, arbiter last in each set).
    pub fn bricks(&self) -> impl Iterator<Item = &Brick> {
        self.replica_sets.iter().flat_map(|set| set.bricks.iter())
    }

    /// What the volume can hold: per set, its smallest data brick.
    pub fn usable_bytes(&self) -> u64 {
        self.replica_sets.iter().map(ReplicaSet::usable_bytes).sum()
    }
}

/// Replication of a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Replica {
    /// Bricks per replica set.
    pub count: u32,
    /// Arbiter bricks per replica set.
    pub arbiter_count: u32,
}

/// One `gluster volume set` option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeOption {
    /// Option name.
    pub name: String,
    /// Option value.
    pub value: String,
}

/// One replica set (replica subvolume).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplicaSet {
    /// Bricks in Gluster order: data, data, arbiter last.
    pub bricks: Vec<Brick>,
}

impl ReplicaSet {
    /// The smallest data brick of the set.
    pub fn usable_bytes(&self) -> u64 {
        self.bricks
            .iter()
            .filter(|brick| !brick.arbiter)
            .map(|brick| brick.size_bytes)
            .min()
            .unwrap_or(0)
    }
}

/// One brick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brick {
    /// The node holding it.
    pub node: String,
    /// Brick directory.
    pub directory: String,
    /// The LV whose filesystem holds it.
    pub logical_volume: String,
    /// The VG of that LV.
    pub volume_group: String,
    /// Size of the LV, bytes.
    pub size_bytes: u64,
    /// Whether it is an arbiter (metadata-only) brick.
    pub arbiter: bool,
}

/// A warning of the plan, with its code (`W1xx`, see `docs/storage.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanWarning {
    /// Stable code.
    pub code: String,
    /// Severity, subject, message and fix.
    #[serde(flatten)]
    pub problem: Problem,
}

impl PlanWarning {
    /// A warning with `code`.
    pub fn new(
        code: &str,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            code: code.to_owned(),
            problem: Problem::warning(subject, message, fix),
        }
    }

    /// Wraps a problem (its severity is kept).
    pub fn from_problem(code: &str, problem: Problem) -> Self {
        Self {
            code: code.to_owned(),
            problem,
        }
    }

    /// Whether this is an error (never in a finished plan).
    pub fn is_error(&self) -> bool {
        self.problem.severity == Severity::Error
    }
}

impl std::fmt::Display for PlanWarning {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} [{}]", self.problem, self.code)
    }
}

/// The bound B_r (`docs/storage.md`): the most that `r` copies on distinct nodes can store,
/// given each node's data capacity `capacities`.
///
/// `B_r = min over k = 0..r−1 of (ΣC − Σ of the k largest C) / (r − k)`.
pub fn replica_bound(capacities: &[u64], copies: usize) -> u64 {
    if copies == 0 {
        return 0;
    }
    let mut sorted: Vec<u128> = capacities.iter().map(|&c| u128::from(c)).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    if sorted.len() < copies {
        return 0;
    }
    let total: u128 = sorted.iter().sum();
    let mut best = u128::MAX;
    let mut removed = 0u128;
    for (k, largest) in sorted.iter().take(copies).enumerate() {
        let value = (total - removed) / (copies - k) as u128;
        best = best.min(value);
        removed += largest;
    }
    u64::try_from(best).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_of_two_copies_is_half_or_all_but_the_largest() {
        assert_eq!(replica_bound(&[10, 10, 10], 2), 15);
        assert_eq!(replica_bound(&[100, 10, 10], 2), 20);
        assert_eq!(replica_bound(&[10], 2), 0);
        assert_eq!(replica_bound(&[7], 1), 7);
    }

    #[test]
    fn bound_of_three_copies_follows_the_formula() {
        // Ex 3 of the spec: 4 equal nodes.
        assert_eq!(replica_bound(&[3, 3, 3, 3], 3), 4);
        // (8,8,4,4,2): ΣC/3 = 26/3 = 8, (26−8)/2 = 9, 26−16 = 10.
        assert_eq!(replica_bound(&[8, 8, 4, 4, 2], 3), 8);
        assert_eq!(replica_bound(&[100, 1, 1], 3), 1);
    }

    #[test]
    fn policy_and_role_names_round_trip() {
        for policy in Policy::ALL {
            assert_eq!(Policy::from_name(policy.name()), Some(policy));
        }
        assert!(NodeRole::Any.holds_data() && NodeRole::Any.holds_arbiters());
        assert!(!NodeRole::Compute.holds_data() && !NodeRole::Compute.holds_arbiters());
    }
}
