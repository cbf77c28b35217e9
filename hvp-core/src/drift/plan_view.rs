//! The recorded storage plan (JSON format 2), read through exactly the fields of the contract
//! between producers and consumers (`docs/storage.md`). Unknown fields are ignored, so that a
//! newer producer's plan still reads.

use super::DriftError;
use serde::{Deserialize, Serialize};

/// The JSON format version this reader understands.
pub const FORMAT_VERSION: u32 = 2;

/// A recorded storage plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedPlan {
    /// Always 2.
    pub format_version: u32,
    /// `compat` or `balanced`.
    pub policy: String,
    /// Capacity summary.
    #[serde(default)]
    pub capacity: Capacity,
    /// Nodes in inventory order.
    pub nodes: Vec<PlanNode>,
    /// Gluster volumes in creation order.
    pub volumes: Vec<PlanVolume>,
}

/// The capacity summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// Over all volumes and sets, the smallest data brick of the set.
    pub usable_bytes: u64,
    /// The bound of the spec (§6).
    pub bound_bytes: u64,
    /// Capacity no set can use.
    pub stranded_bytes: u64,
}

/// One node of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanNode {
    /// Inventory host name = Gluster peer name.
    pub name: String,
    /// `any`, `data`, `arbiter` or `compute`.
    #[serde(default)]
    pub role: String,
    /// Every free disk seen, in name order.
    #[serde(default)]
    pub disks: Vec<PlanDisk>,
    /// VDO devices under PVs.
    #[serde(default)]
    pub vdo_devices: Vec<PlanVdo>,
    /// Volume groups in creation order.
    #[serde(default)]
    pub volume_groups: Vec<PlanVg>,
}

/// A disk and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDisk {
    /// Kernel name (`sdb`).
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// `data`, `cache`, `fast`, `arbiter`, or `None` when unused.
    #[serde(rename = "use")]
    pub usage: Option<String>,
    /// Why it is not used.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A VDO device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVdo {
    /// Device name (`vdo_sdb`).
    pub name: String,
    /// The disk underneath.
    pub disk: String,
    /// `legacy` or `lvm`.
    pub kind: String,
    /// Logical size.
    pub logical_size_bytes: u64,
}

/// A volume group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVg {
    /// VG name.
    pub name: String,
    /// Full device paths of its PVs.
    pub physical_volumes: Vec<String>,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Thin pools.
    #[serde(default)]
    pub thin_pools: Vec<PlanPool>,
    /// LVs in creation order.
    #[serde(default)]
    pub logical_volumes: Vec<PlanLv>,
}

impl PlanVg {
    /// Bytes the plan allocates in the VG: every pool's data and metadata, one spare copy of
    /// the largest metadata (LVM's pmspare), and the thick LVs.
    pub fn allocated_bytes(&self) -> u64 {
        let pools: u64 = self
            .thin_pools
            .iter()
            .map(|p| p.size_bytes + p.metadata_bytes)
            .sum();
        let spare = self
            .thin_pools
            .iter()
            .map(|p| p.metadata_bytes)
            .max()
            .unwrap_or(0);
        let thick: u64 = self
            .logical_volumes
            .iter()
            .filter(|lv| lv.thin_pool.is_none())
            .map(|lv| lv.size_bytes)
            .sum();
        pools + spare + thick
    }
}

/// A thin pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPool {
    /// Pool LV name.
    pub name: String,
    /// Data size.
    pub size_bytes: u64,
    /// Metadata size.
    pub metadata_bytes: u64,
}

/// A logical volume holding a brick filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLv {
    /// LV name.
    pub name: String,
    /// Size (virtual size for thin LVs).
    pub size_bytes: u64,
    /// Pool of a thin LV; `None` for a thick LV.
    pub thin_pool: Option<String>,
    /// Mount point of its filesystem.
    pub mount_point: Option<String>,
    /// The Gluster volume whose brick it holds.
    pub volume: Option<String>,
}

/// A Gluster volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanVolume {
    /// Gluster volume name.
    pub name: String,
    /// `engine`, `vmstore`, …
    #[serde(default)]
    pub kind: String,
    /// Replication.
    pub replica: PlanReplica,
    /// Options in `gluster volume set` order.
    #[serde(default)]
    pub options: Vec<PlanOption>,
    /// Replica sets in Gluster order.
    pub replica_sets: Vec<PlanSet>,
    /// What was asked of the volume; `None` in plans recorded before hvp kept it.
    #[serde(default)]
    pub demand: Option<PlanDemand>,
}

/// The recorded demand of a volume (`demand` in the plan JSON, `docs/running.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDemand {
    /// `fixed`, `percent`, `rest` (or `none`).
    pub mode: String,
    /// Bytes of a fixed demand.
    #[serde(default)]
    pub bytes: Option<u64>,
    /// Percent of a percent demand.
    #[serde(default)]
    pub percent: Option<f64>,
    /// Weight of a rest demand.
    #[serde(default)]
    pub weight: Option<u32>,
    /// `single` or `all`.
    #[serde(default = "spread_all")]
    pub spread: String,
    /// `slow` or `fast`.
    #[serde(default = "tier_slow")]
    pub tier: String,
    /// Thick LVs.
    #[serde(default)]
    pub thick: bool,
    /// On VDO.
    #[serde(default)]
    pub vdo: bool,
    /// The arbiter formula's file unit, bytes.
    #[serde(default)]
    pub file_unit_bytes: Option<u64>,
}

fn spread_all() -> String {
    "all".to_owned()
}

fn tier_slow() -> String {
    "slow".to_owned()
}

impl PlanNode {
    /// The disk called `name`.
    pub fn disk(&self, name: &str) -> Option<&PlanDisk> {
        self.disks.iter().find(|disk| disk.name == name)
    }
}

impl PlanVolume {
    /// Every brick, set after set, in Gluster order.
    pub fn bricks(&self) -> impl Iterator<Item = &PlanBrick> {
        self.replica_sets.iter().flat_map(|set| set.bricks.iter())
    }
}

/// Replication of a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanReplica {
    /// Bricks per set (1 on a single node).
    pub count: u32,
    /// Arbiter bricks per set.
    pub arbiter_count: u32,
}

/// One `gluster volume set` option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOption {
    /// Option name (`group` expands to a group file).
    pub name: String,
    /// Value.
    pub value: String,
}

/// One replica set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSet {
    /// Bricks in Gluster order (data, data, arbiter).
    pub bricks: Vec<PlanBrick>,
}

/// One brick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanBrick {
    /// Peer name.
    pub node: String,
    /// Brick directory.
    pub directory: String,
    /// LV whose filesystem holds it.
    pub logical_volume: Option<String>,
    /// VG of that LV.
    #[serde(default)]
    pub volume_group: Option<String>,
    /// Size of the brick.
    #[serde(default)]
    pub size_bytes: u64,
    /// Metadata-only brick.
    pub arbiter: bool,
}

impl RecordedPlan {
    /// Reads a recorded plan from its JSON text; refuses other format versions.
    pub fn from_json(text: &str) -> Result<Self, DriftError> {
        Self::from_bytes(text.as_bytes())
    }

    /// Reads a recorded plan from the bytes of its file: invalid UTF-8 is reported with its
    /// offset, syntax errors with line and column (`crate::input::json`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DriftError> {
        let value: serde_json::Value = crate::input::json::parse(bytes)
            .map_err(|error| DriftError::Plan(error.to_string()))?;
        Self::from_value(&value)
    }

    /// Reads a recorded plan from parsed JSON; refuses other format versions.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, DriftError> {
        match value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(version) if version == u64::from(FORMAT_VERSION) => {}
            Some(version) => {
                return Err(DriftError::Plan(format!(
                    "format_version is {version}, this hvp reads format {FORMAT_VERSION}; \
                     regenerate the plan with `hvp-gdeploy-gen --format json`"
                )))
            }
            None => {
                return Err(DriftError::Plan(
                    "no format_version: this is not a storage plan written by \
                     `hvp-gdeploy-gen --format json`"
                        .to_owned(),
                ))
            }
        }
        // Field paths and no Rust type names; then no control character anywhere and sizes
        // within bounds (`super::plan_check`), all listed at once.
        let plan: Self = crate::input::json::from_value(value)
            .map_err(|error| DriftError::Plan(error.to_string()))?;
        let problems = super::plan_check::document_problems(value, &plan);
        if problems.is_empty() {
            return Ok(plan);
        }
        let listed = problems.len().min(super::plan_check::MAX_LISTED);
        let mut message = problems[..listed].join("; ");
        if problems.len() > listed {
            message.push_str(&format!("; {} more", problems.len() - listed));
        }
        Err(DriftError::Plan(format!(
            "{message} (regenerate the plan with `hvp-gdeploy-gen --format json`; a recorded \
             plan is never edited by hand)"
        )))
    }

    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<&PlanNode> {
        self.nodes.iter().find(|node| node.name == name)
    }
}
