//! The storage plan: what every node's disks become and which Gluster volumes sit on them.
//!
//! The types describe the result, not the policy that chose it, so that other policies (sizes
//! derived from capacity, a weakest-node arbiter, N nodes with distributed-replicated volumes,
//! SSD cache tiers, expansion) and other renderers (gDeploy INI today; gluster-ansible or a
//! native applier later) can share them. Serialised as JSON, this is the `--format json`
//! output, documented in `docs/gdeploy.md`.

use crate::report::Problem;
use crate::size::SizeSpec;
use crate::volumes::VolumeKind;
use serde::Serialize;

/// Version of the JSON form of [`LayoutPlan`]; raised on incompatible changes.
pub const PLAN_FORMAT_VERSION: u32 = 1;

/// The complete storage plan of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutPlan {
    /// Version of this document's shape ([`PLAN_FORMAT_VERSION`]).
    pub format_version: u32,
    /// The policy that made the decisions.
    pub policy: Policy,
    /// How the nodes replicate.
    pub topology: Topology,
    /// Every node, in inventory order.
    pub nodes: Vec<NodePlan>,
    /// The Gluster volumes, in creation order.
    pub volumes: Vec<VolumePlan>,
    /// Things a person should look at before applying the plan.
    pub warnings: Vec<Problem>,
}

/// A set of layout decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Exactly what the original HVP gDeploy template decided (1 or 3 nodes, fixed sizes).
    Compat,
}

impl Policy {
    /// The policy's name, as in the JSON plan (`compat`).
    pub fn name(self) -> &'static str {
        match self {
            Policy::Compat => "compat",
        }
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

/// What a node does in the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeRole {
    /// Holds full data bricks.
    Data,
    /// Holds only arbiter (metadata) bricks, plus full bricks of volumes without arbiter.
    Arbiter,
}

/// One node's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodePlan {
    /// Inventory host name.
    pub name: String,
    /// Position in the inventory (0-based).
    pub index: usize,
    /// Data node or arbiter.
    pub role: NodeRole,
    /// Every free disk of the node and what it is used for, in name order.
    pub disks: Vec<DiskPlan>,
    /// The block-device stack built on the used disks.
    pub storage: NodeStorage,
}

/// A free disk and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskPlan {
    /// Kernel name (`sdb`).
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// What the disk carries; `None` when it stays unused.
    pub role: Option<DiskRole>,
}

/// What a disk carries.
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

/// The block-device stack of one node, in creation order per kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeStorage {
    /// VDO devices (deduplication and compression) under the PVs.
    pub vdo_devices: Vec<VdoDevice>,
    /// LVM physical volumes.
    pub physical_volumes: Vec<PhysicalVolume>,
    /// LVM volume groups.
    pub volume_groups: Vec<VolumeGroup>,
    /// LVM logical volumes, in creation order (thin pools take a share of the free space
    /// left at their turn, so the order matters).
    pub logical_volumes: Vec<LogicalVolume>,
}

/// A VDO device on a whole disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VdoDevice {
    /// Device-mapper name (`vdo_sdb`).
    pub name: String,
    /// The disk underneath.
    pub disk: String,
    /// Logical (thin) size in GiB, as `<n>G`.
    pub logical_size_gib: u64,
    /// Fixed tuning.
    pub settings: VdoSettings,
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

/// An LVM physical volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhysicalVolume {
    /// Device path below `/dev/` (`sdb`, `mapper/vdo_sdb`).
    pub device: String,
    /// The disk underneath.
    pub disk: String,
}

/// An LVM volume group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeGroup {
    /// VG name (`vgdisk1`, `vgarbiter`).
    pub name: String,
    /// Devices of its PVs (below `/dev/`).
    pub physical_volumes: Vec<String>,
    /// Usable bytes: the disk size, or the VDO logical size on VDO.
    pub capacity_bytes: u64,
}

/// An LVM logical volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogicalVolume {
    /// The VG it lives in.
    pub volume_group: String,
    /// What kind of LV.
    #[serde(flatten)]
    pub kind: LvKind,
}

/// The kinds of LV HVP creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LvKind {
    /// A fully allocated LV with an XFS brick filesystem.
    Thick {
        /// LV name.
        name: String,
        /// Size.
        size: SizeSpec,
        /// Mount point of the brick filesystem.
        mount: String,
    },
    /// A thin pool.
    ThinPool {
        /// Pool name.
        name: String,
        /// Chunk size.
        chunk_size: SizeSpec,
        /// Share of the VG's free space at creation time, in percent.
        percent_of_free: u8,
    },
    /// A thin LV in a pool, with an XFS brick filesystem.
    Thin {
        /// LV name.
        name: String,
        /// The pool it draws from.
        pool: String,
        /// Virtual size.
        virtual_size: SizeSpec,
        /// Mount point of the brick filesystem.
        mount: String,
    },
}

/// One Gluster volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumePlan {
    /// Which of the HVP volumes.
    pub kind: VolumeKind,
    /// Gluster volume name.
    pub name: String,
    /// Transport.
    pub transport: String,
    /// Replication, `None` for a plain volume.
    pub replica: Option<Replica>,
    /// Volume options in the order they are set (names may repeat, e.g. `group`).
    pub options: Vec<VolumeOption>,
    /// Bricks in Gluster order: replica set by replica set, arbiter last in each set.
    pub bricks: Vec<Brick>,
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
    pub key: String,
    /// Option value.
    pub value: String,
}

/// One brick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brick {
    /// The node holding it.
    pub node: String,
    /// Brick directory.
    pub directory: String,
    /// The LV whose filesystem holds it (`vg/lv`); `None` when the node has no storage plan.
    pub logical_volume: Option<String>,
    /// Whether it is an arbiter (metadata-only) brick.
    pub arbiter: bool,
}
