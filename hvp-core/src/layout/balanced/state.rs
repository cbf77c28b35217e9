//! The planner's working state: volume groups with what has been placed in them, and the
//! bricks of every volume. Turned into a [`crate::layout::LayoutPlan`] by `assemble`.

use super::raid::Geometry;
use crate::layout::model::{DiskUse, LvCache, Tier, VdoDevice};

/// An LV placed in a VG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedLv {
    /// Brick number `k` of its node, volume and kind (`None`: a single-set volume's brick).
    pub index: Option<usize>,
    /// An arbiter brick.
    pub arbiter: bool,
    /// Bytes.
    pub size: u64,
    /// Thin (in the VG's pool) or thick.
    pub thin: bool,
    /// Index of the volume (in the volume list).
    pub volume: usize,
}

impl PlacedLv {
    /// LV name and mount point (names are made only when the plan is assembled).
    pub fn names(&self, specs: &[super::inputs::VolumeSpec]) -> (String, String) {
        super::names::brick_lv(&specs[self.volume].name, self.arbiter, self.index)
    }
}

/// A volume group being planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vg {
    /// Node index.
    pub node: usize,
    /// VG name.
    pub name: String,
    /// Disks under its PVs (data disk first, then the cache device's disk).
    pub disks: Vec<String>,
    /// PV device paths.
    pub devices: Vec<String>,
    /// The data disk spins.
    pub rotational: bool,
    /// Tier.
    pub tier: Tier,
    /// What its disk is used for.
    pub usage: DiskUse,
    /// RAID alignment and chunk.
    pub geometry: Geometry,
    /// VG size in bytes (what LVM will report).
    pub size: u64,
    /// Bytes the capacity plan may use (physical; VDO's logical promise excluded).
    pub capacity: u64,
    /// Thick LV bytes.
    pub thick_bytes: u64,
    /// Pool data.
    pub pool_data: u64,
    /// Pool metadata (a spare copy of the same size is kept free).
    pub pool_metadata: u64,
    /// Pool data not yet given to thin LVs.
    pub free: u64,
    /// VDO under the PV (boxed, as the cache: most VGs have neither, and a 600 × 24 plan
    /// holds 14,400 VGs).
    pub vdo: Option<Box<VdoDevice>>,
    /// Cache of the pool.
    pub cache: Option<Box<LvCache>>,
    /// LVs in creation order (thick ones first).
    pub lvs: Vec<PlacedLv>,
    /// Logical sector size of the data disk.
    pub sector: Option<u32>,
}

/// A brick of a volume: where its LV is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrickRef {
    /// Node index.
    pub node: usize,
    /// VG index (in the planner's list).
    pub vg: usize,
    /// LV index in that VG.
    pub lv: usize,
    /// Arbiter brick.
    pub arbiter: bool,
}

/// Placement of a brick LV, returning its reference.
pub fn place(vgs: &mut [Vg], vg: usize, lv: PlacedLv, arbiter: bool) -> BrickRef {
    let group = &mut vgs[vg];
    if lv.thin {
        group.free = group.free.saturating_sub(lv.size);
    }
    group.lvs.push(lv);
    BrickRef {
        node: group.node,
        vg,
        lv: group.lvs.len() - 1,
        arbiter,
    }
}

/// Per node, volume and kind (data or arbiter) the last brick number used: a list per node
/// rather than one tree, as every spread brick takes a number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrickCounters {
    /// Per node, at `2 × volume + arbiter`.
    last: Vec<Vec<usize>>,
}

impl BrickCounters {
    /// The next brick number on `node` for `volume` and kind, in set order (from 1).
    pub fn next(&mut self, node: usize, volume: usize, arbiter: bool) -> usize {
        if self.last.len() <= node {
            self.last.resize_with(node + 1, Vec::new);
        }
        let counters = &mut self.last[node];
        let slot = 2 * volume + usize::from(arbiter);
        if counters.len() <= slot {
            counters.resize(slot + 1, 0);
        }
        counters[slot] += 1;
        counters[slot]
    }
}
