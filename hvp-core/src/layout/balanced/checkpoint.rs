//! What a spread pass changes in a [`Built`], saved once so that every pass starts from the
//! same state without cloning it: a pass only appends LVs and sets, moves a VG's free, pool
//! and thick bytes, counts bricks and adds arbiter bytes ([`super::spread`]). A large plan's
//! `Built` is tens of MB of names; this is a few numbers per VG.

use super::build::Built;
use super::state::BrickCounters;

/// The parts of a [`Built`] a spread pass changes, as they were before it.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// Per VG: its LV count, free bytes, pool data and thick bytes.
    vgs: Vec<(usize, u64, u64, u64)>,
    /// Per volume its number of replica sets.
    sets: Vec<usize>,
    /// Arbiter bytes per node.
    arbiter_bytes: Vec<u64>,
    /// The brick counters.
    counters: BrickCounters,
}

impl Checkpoint {
    /// Saves what a spread pass may change in `built`.
    pub fn save(built: &Built) -> Self {
        Self {
            vgs: built
                .vgs
                .iter()
                .map(|vg| (vg.lvs.len(), vg.free, vg.pool_data, vg.thick_bytes))
                .collect(),
            sets: built.sets.iter().map(Vec::len).collect(),
            arbiter_bytes: built.arbiter_bytes.clone(),
            counters: built.counters.clone(),
        }
    }

    /// Puts `built` back as it was when saved (what passes add is dropped).
    pub fn restore(&self, built: &mut Built) {
        for (vg, &(lvs, free, pool_data, thick_bytes)) in built.vgs.iter_mut().zip(&self.vgs) {
            vg.lvs.truncate(lvs);
            vg.free = free;
            vg.pool_data = pool_data;
            vg.thick_bytes = thick_bytes;
        }
        for (sets, &count) in built.sets.iter_mut().zip(&self.sets) {
            sets.truncate(count);
        }
        built.arbiter_bytes.clone_from(&self.arbiter_bytes);
        built.counters.clone_from(&self.counters);
    }
}
