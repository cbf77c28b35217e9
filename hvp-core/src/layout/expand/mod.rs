//! Expansion of a running cluster (`docs/running.md`, spec §13): the recorded plan plus the
//! current facts (new nodes, new disks on old nodes) → an expansion plan that only adds.
//!
//! * New VGs, pools and LVs only on new capacity (disks the recorded plan has never seen);
//!   arbiter bricks of new sets may also go, as new thin LVs, into an existing pool's free
//!   room. Nothing recorded is changed, moved or removed (checked again at the end: E012).
//! * New replica sets come from the balanced set generator
//!   ([`crate::layout::balanced::sets::generate_sets`]) over the new units only; arbiters from
//!   [`crate::layout::balanced::arbiter::place_arbiters`] counting the arbiter bytes nodes
//!   already carry, so rotation stays fair across old and new sets.
//! * Whole sets only (data, data, arbiter on three distinct nodes); every growing volume
//!   (the arbitrated volumes that are not engine, ctdb or iso) gets the same share of every
//!   new set it had of the recorded plan's usable bytes.
//! * Refusals: a recorded plan that does not parse or whose nodes are not all in the facts,
//!   and drift unless told to ignore it (E020); capacity that cannot form a set (E013);
//!   anything that would modify an existing brick, LV or VG (E012).

pub mod backend;
mod build;
pub mod growth;
mod render;

pub use build::{expand, untouched_problems as untouched, ExpandOptions, Rebalance};
pub use render::{render_commands, render_gluster_ansible, render_ini, render_json, render_table};

use serde::Serialize;
use serde_json::Value;

/// A new LV: a data or arbiter brick of a new set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLv {
    /// Its VG.
    pub volume_group: String,
    /// Its thin pool.
    pub thin_pool: String,
    /// LV name.
    pub name: String,
    /// Virtual size, bytes.
    pub size_bytes: u64,
    /// Mount point of its XFS.
    pub mount_point: String,
    /// The Gluster volume.
    pub volume: String,
    /// Arbiter brick.
    pub arbiter: bool,
    /// Whether the pool already exists (recorded plan) or is new.
    pub existing_pool: bool,
}

/// A new VG on a new disk, with its pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewVg {
    /// The disk (kernel name).
    pub disk: String,
    /// The disk's size.
    pub disk_bytes: u64,
    /// VG name.
    pub name: String,
    /// Its PV (`/dev/<disk>`).
    pub device: String,
    /// VG size (whole extents).
    pub size_bytes: u64,
    /// Pool name.
    pub pool: String,
    /// Pool data bytes.
    pub pool_bytes: u64,
    /// Pool metadata bytes.
    pub pool_metadata_bytes: u64,
    /// Thin chunk, bytes.
    pub chunk_bytes: u64,
    /// PV data alignment and XFS stripe geometry (`layout::balanced::raid::geometry`).
    pub alignment: crate::layout::model::Alignment,
    /// LV cache in front of the pool (a new fast disk or a GPT partition of one).
    pub cache: Option<crate::layout::model::LvCache>,
    /// The fast disk holding the cache.
    pub cache_disk: Option<String>,
    /// The VG is a recorded one (`use_free_space`): only the pool is new; `disk` and
    /// `device` name its first PV and `size_bytes` the free extents used.
    pub existing_vg: bool,
    /// Legacy VDO under the disk (the recorded plan uses it): `device` is then
    /// `/dev/mapper/<vdo name>` and the VG and pool are sized from the logical size.
    pub vdo: Option<crate::layout::model::VdoDevice>,
}

/// What one host gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostChange {
    /// The node.
    pub node: String,
    /// Whether it joins the cluster now.
    pub new_node: bool,
    /// New VGs.
    pub volume_groups: Vec<NewVg>,
    /// New LVs (in new pools and in existing ones), in creation order.
    pub logical_volumes: Vec<NewLv>,
    /// GPT partitions of new fast disks to create first: (disk, number, start MiB, size MiB).
    pub cache_partitions: Vec<backend::CachePartition>,
    /// New disks left unused, with the reason.
    pub unused_disks: Vec<(String, String)>,
}

/// One brick of a new set: the plan's own brick type, so a new set serialises exactly like a
/// recorded one.
pub type NewBrick = crate::layout::model::Brick;

/// The new sets of one volume, in `add-brick` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolumeGrowth {
    /// Gluster volume name.
    pub volume: String,
    /// Usable bytes before.
    pub before_bytes: u64,
    /// Usable bytes added.
    pub added_bytes: u64,
    /// New sets, bricks in Gluster order (data, data, arbiter).
    pub sets: Vec<Vec<NewBrick>>,
}

/// A replica-2 volume converted to replica 3 arbiter 1 (spec §13.5): `gluster volume
/// add-brick V replica 3 arbiter 1 <bricks>`, one arbiter brick per existing set, in set order,
/// each on a node outside its set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// Gluster volume name.
    pub volume: String,
    /// The arbiter bricks, one per existing set in set order.
    pub bricks: Vec<NewBrick>,
}

/// The expansion plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expansion {
    /// The node the Gluster commands run on (the recorded plan's first node).
    pub first_node: String,
    /// Nodes joining the cluster (peer probe), in inventory order.
    pub new_nodes: Vec<String>,
    /// Hosts that change, in merged node order.
    pub hosts: Vec<HostChange>,
    /// Volumes that grow, in creation order.
    pub volumes: Vec<VolumeGrowth>,
    /// Rebalance after add-brick.
    pub rebalance: Rebalance,
    /// Usable bytes of the recorded plan.
    pub usable_before: u64,
    /// Usable bytes of the merged plan.
    pub usable_after: u64,
    /// New capacity no set uses (slivers, capped nodes).
    pub stranded_bytes: u64,
    /// Warnings (W102: arbiter share exceeded because other nodes had no room).
    pub warnings: Vec<String>,
    /// Replica-2 volumes converted to replica 3 arbiter 1, in volume order.
    pub conversions: Vec<Conversion>,
    /// The merged plan: the recorded plan with only additions; it becomes the new recorded plan.
    #[serde(skip)]
    pub merged: Value,
}

impl Expansion {
    /// Whether anything is added.
    pub fn is_empty(&self) -> bool {
        self.volumes.iter().all(|volume| volume.sets.is_empty()) && self.conversions.is_empty()
    }
}

/// The one code path of `hvp-gdeploy-gen --existing` and the `hvp_gdeploy_config` module's
/// `existing` option: reads the facts document (lenient, every problem at once) and the
/// recorded plan, expands, and renders `format`.
pub fn generate(
    recorded: &Value,
    facts: &Value,
    format: crate::gdeploy_gen::OutputFormat,
    drift: &[crate::drift::Drift],
    options: &ExpandOptions,
) -> Result<(String, Expansion), crate::report::Report> {
    use crate::gdeploy_gen::OutputFormat;
    let (document, problems) = crate::facts::FactsDocument::parse_lenient(facts);
    if !problems.is_empty() {
        return Err(crate::report::Report::new(problems));
    }
    let expansion = expand(recorded, &document, drift, options)?;
    let output = match format {
        OutputFormat::Json => render_json(&expansion),
        OutputFormat::Ini => render_ini(&expansion),
        OutputFormat::Commands => render_commands(&expansion),
        OutputFormat::GlusterAnsible => render_gluster_ansible(&expansion),
        OutputFormat::Table => render_table(&expansion),
    };
    Ok((output, expansion))
}
