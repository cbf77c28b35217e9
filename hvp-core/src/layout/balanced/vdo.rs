//! VDO: slab size from the physical size (RHEL table), the logical size from the ratio, and
//! which disks carry VDO (eligibility, spec §10).
//!
//! **Eligibility.** Only eligible volumes (`vdo: true`; by default `vmstore` and `backup` when
//! `hvp_vdo_mode` is not `none`) belong on VDO. Legacy VDO sits under a whole disk, so on a
//! node with two or more data disks the disks are split into two classes:
//!
//! * the **VDO class** (VDO under the disk) holds only eligible volumes;
//! * the **plain class** holds the other volumes (single-set ones such as engine, ctdb and iso
//!   included) and, when room is left there, the eligible `rest` volumes too (so no capacity
//!   is stranded);
//!
//! in proportion to the estimated eligible share of the raw demand ([`eligible_fraction`];
//! whole disks, largest first, each disk to the class furthest below its target, each class
//! at least one disk, [`vdo_disks`]). A node with a single data disk gets VDO under
//! everything (the original's one-disk behaviour) and W119 names it; its disk is shared by
//! both classes in the same proportion. Each class gets its own skeleton of replica sets and
//! its own bound ([`groups`]).
//!
//! **Capacity.** The bound uses `P × hvp_vdo_expected_savings` (default 1: the logical promise
//! never raises planned capacity). A legacy VDO disk's thin pool is sized from the VG on the
//! VDO's logical size, so its thin LVs may be over-committed against the physical disk up to
//! the ratio (never beyond the pool).

use super::build::Built;
use super::inputs::VolumeSpec;
use super::sets::Unit;
use crate::facts::storage::Demand;
use crate::layout::model::{replica_bound, DiskUse, Tier};
use crate::report::Report;
use std::collections::BTreeSet;

/// Slabs per VDO volume at most.
pub const MAX_SLABS: u64 = 8192;
/// The largest logical size of a VDO volume: 4 PiB (RHEL VDO limits; `lvcreate --type vdo -V`
/// and `vdo create --vdoLogicalSize` refuse more).
pub const MAX_LOGICAL: u64 = 4 << 50;

/// The slab size for `physical` bytes: 1 GiB below 100 GB, 2 GiB up to 1 TB, else 32 GiB.
pub fn slab_bytes(physical: u64) -> u64 {
    if physical < 100_000_000_000 {
        1 << 30
    } else if physical <= 1_000_000_000_000 {
        2 << 30
    } else {
        32 << 30
    }
}

/// Whether `physical` bytes exceed what 8192 slabs of its slab size can address (E008).
pub fn too_big(physical: u64) -> bool {
    physical > MAX_SLABS * slab_bytes(physical)
}

/// The logical size: `ratio × physical`, in whole GiB, at most [`MAX_LOGICAL`].
pub fn logical_bytes(physical: u64, ratio: f64) -> u64 {
    let logical = ((physical as f64 * ratio) as u64).min(MAX_LOGICAL);
    logical >> 30 << 30
}

/// The capacity a VDO disk contributes to the plan: `physical × savings`, whole extents, never
/// above `limit`: what the bricks can address, the VG on the logical size (legacy) or the VDO
/// LV's logical size plus the VG's room beside the VDO pool (LVM-VDO,
/// [`lvm_addressable`]).
pub fn planned_capacity(physical: u64, savings: f64, limit: u64) -> u64 {
    let planned = (physical as f64 * savings.max(1.0)) as u64;
    super::capacity::floor_extents(planned.min(limit).max(physical.min(limit)))
}

/// What the bricks of an LVM-VDO VG of `vg` bytes can address: the VDO LV's `logical` size
/// (thin pool data on the VDO LV) in place of its `physical` VDO pool, plus the rest of the
/// VG (pool metadata, spare, thick LVs). At least the VG.
pub fn lvm_addressable(vg: u64, physical: u64, logical: u64) -> u64 {
    (vg - physical.min(vg)).saturating_add(logical).max(vg)
}

/// The estimated share (0 to 1) of the raw bytes that eligible volumes take: every volume's
/// demand estimated on the raw data bytes of the data nodes (`node_raw`), times its copies;
/// percentages of the bound, `rest` by weight of what the fixed sizes leave. At least a sliver
/// when some eligible volume exists, 0 when none does.
pub fn eligible_fraction(specs: &[VolumeSpec], node_raw: &[u64]) -> f64 {
    let slow: Vec<&VolumeSpec> = specs.iter().filter(|spec| !spec.fast).collect();
    if !slow.iter().any(|spec| spec.vdo) {
        return 0.0;
    }
    if slow.iter().all(|spec| spec.vdo) {
        return 1.0;
    }
    let copies = if slow.iter().any(|spec| !spec.single && spec.arbitrated()) {
        2
    } else {
        3
    };
    let bound = replica_bound(node_raw, copies) as f64;
    let mut fixed = 0.0;
    let mut weights = 0.0;
    let mut demands: Vec<(bool, f64, f64)> = Vec::new(); // (eligible, bytes or weight, copies)
    for spec in &slow {
        let copies = spec.copies as f64;
        match spec.demand {
            Demand::Fixed { bytes } => {
                fixed += bytes as f64;
                demands.push((spec.vdo, bytes as f64 * copies, 0.0));
            }
            Demand::Percent { percent } => {
                let bytes = bound * percent / 100.0;
                fixed += bytes;
                demands.push((spec.vdo, bytes * copies, 0.0));
            }
            Demand::Rest { weight } => {
                weights += f64::from(weight);
                demands.push((spec.vdo, 0.0, f64::from(weight) * copies));
            }
            Demand::None => {}
        }
    }
    let rest = (bound - fixed).max(0.0);
    let raw = |(_, bytes, weighted): &(bool, f64, f64)| {
        bytes
            + if weights > 0.0 {
                rest * weighted / weights
            } else {
                0.0
            }
    };
    let total: f64 = demands.iter().map(raw).sum();
    let eligible: f64 = demands.iter().filter(|d| d.0).map(raw).sum();
    if total <= 0.0 {
        return 0.5;
    }
    (eligible / total).clamp(0.01, 0.99)
}

/// The VDO share `fraction` ([`eligible_fraction`]) less what the plain class needs beyond
/// its volumes' demands: 3 % for pool metadata, spare and dropped slivers, and on every data
/// node the expansion reserve (`reserve_per_node`), which sits on the plain VG with the
/// arbiter bricks. Without it the plain disks come out a few GiB short of the other volumes'
/// fixed and `N%` sizes on large clusters and the tier falls back to one skeleton (W119).
/// 0 and 1 stay as they are.
pub fn with_plain_margin(fraction: f64, reserve_per_node: u64, node_raw: &[u64]) -> f64 {
    if fraction <= 0.0 || fraction >= 1.0 {
        return fraction;
    }
    let raw: f64 = node_raw.iter().map(|&bytes| bytes as f64).sum();
    let nodes = node_raw.iter().filter(|&&bytes| bytes > 0).count() as f64;
    if raw <= 0.0 {
        return fraction;
    }
    let plain = (1.0 - fraction) * 1.03 + reserve_per_node as f64 * nodes / raw;
    (1.0 - plain).clamp(0.01, 0.99)
}

/// Which of a node's data disks (`(name, bytes)`, largest first) carry VDO when `fraction` of
/// the raw bytes is for eligible volumes: none for 0, all for 1 or a single disk; else each
/// disk goes to the class (VDO or plain) furthest below its target, ties to VDO, and each
/// class keeps at least one disk.
pub fn vdo_disks(disks: &[(String, u64)], fraction: f64) -> BTreeSet<String> {
    if fraction <= 0.0 || disks.is_empty() {
        return BTreeSet::new();
    }
    if fraction >= 1.0 || disks.len() == 1 {
        return disks.iter().map(|(name, _)| name.clone()).collect();
    }
    let total: f64 = disks.iter().map(|(_, bytes)| *bytes as f64).sum();
    let target = [total * fraction, total * (1.0 - fraction)];
    let mut given = [0.0f64; 2];
    let mut count = [0usize; 2];
    let mut chosen = BTreeSet::new();
    for (position, (name, bytes)) in disks.iter().enumerate() {
        let left = disks.len() - position;
        let class = if count[0] == 0 && left == 1 {
            0
        } else if count[1] == 0 && left == 1 {
            1
        } else if target[0] - given[0] >= target[1] - given[1] {
            0
        } else {
            1
        };
        given[class] += *bytes as f64;
        count[class] += 1;
        if class == 0 {
            chosen.insert(name.clone());
        }
    }
    chosen
}

fn data_vg(built: &Built, vg: usize) -> bool {
    let group = &built.vgs[vg];
    matches!(group.usage, DiskUse::Data | DiskUse::Fast) && built.infos[group.node].data
}

/// Whether VG `vg` is a VDO VG on a node that also has a plain data VG of the same tier (so
/// only eligible volumes belong on it).
pub fn vdo_only(built: &Built, vg: usize) -> bool {
    let group = &built.vgs[vg];
    group.vdo.is_some()
        && built.node_vgs[group.node].iter().any(|&other| {
            let other_group = &built.vgs[other];
            other_group.vdo.is_none() && other_group.tier == group.tier && data_vg(built, other)
        })
}

/// Whether a brick of a volume (`eligible` for VDO or not) may go on VG `vg`.
pub fn may_hold(built: &Built, vg: usize, eligible: bool) -> bool {
    eligible || !vdo_only(built, vg)
}

/// Runs a planning pass with the VDO classes; when that fails (the plain disks cannot hold the
/// other volumes' fixed sizes), runs it again with one skeleton over every disk of the tier, so
/// those volumes also use the VDO disks (W119 names them).
pub fn with_fallback<T>(
    built: &mut Built,
    mut run: impl FnMut(&mut Built) -> Result<T, Report>,
) -> Result<T, Report> {
    match run(built) {
        Err(_) if built.vdo_classes && built.vdo_fraction > 0.0 => {
            built.vdo_classes = false;
            run(built)
        }
        other => other,
    }
}

/// One skeleton of a tier: its volumes and units, and the node capacities percentages are
/// taken of (the whole tier's, when the tier is split into VDO and plain classes).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Tier.
    pub tier: Tier,
    /// Volume indexes.
    pub specs: Vec<usize>,
    /// Units (VG id, node, bytes).
    pub units: Vec<Unit>,
    /// Per node the tier's capacity for `N%` demands (`None`: the group's own units).
    pub percent_base: Option<Vec<u64>>,
}

/// The skeletons of `tier`: one group of every spread volume over every data VG, or, when VDO
/// splits the tier, a VDO group (eligible volumes on VDO VGs) and a plain group (other
/// volumes and eligible `rest` volumes on plain VGs); a VDO VG on a node without a plain VG
/// is shared by both in proportion `built.vdo_fraction`. `reserved` is each VG's arbiter
/// reserve.
pub fn groups(built: &Built, tier: Tier, reserved: &[u64]) -> Vec<Group> {
    let specs: Vec<usize> = (0..built.specs.len())
        .filter(|&v| {
            let spec = &built.specs[v];
            !spec.single && (spec.fast == (tier == Tier::Fast))
        })
        .collect();
    let units: Vec<Unit> = (0..built.vgs.len())
        .filter(|&vg| built.vgs[vg].tier == tier && data_vg(built, vg))
        .map(|vg| Unit {
            node: built.vgs[vg].node,
            id: vg,
            bytes: super::capacity::floor_extents(built.vgs[vg].free.saturating_sub(reserved[vg])),
        })
        .collect();
    let split = built.vdo_classes && units.iter().any(|unit| vdo_only(built, unit.id));
    if !split || specs.is_empty() {
        return vec![Group {
            tier,
            specs,
            units,
            percent_base: None,
        }];
    }
    let eligible: Vec<usize> = specs
        .iter()
        .copied()
        .filter(|&v| built.specs[v].vdo)
        .collect();
    let plain: Vec<usize> = specs
        .iter()
        .copied()
        .filter(|&v| !built.specs[v].vdo || matches!(built.specs[v].demand, Demand::Rest { .. }))
        .collect();
    let fraction = built.vdo_fraction.clamp(0.0, 1.0);
    let mut vdo_units = Vec::new();
    let mut plain_units = Vec::new();
    for unit in &units {
        let group = &built.vgs[unit.id];
        if group.vdo.is_none() {
            plain_units.push(*unit);
        } else if vdo_only(built, unit.id) {
            vdo_units.push(*unit);
        } else {
            let share = super::capacity::floor_extents((unit.bytes as f64 * fraction) as u64);
            vdo_units.push(Unit {
                bytes: share,
                ..*unit
            });
            plain_units.push(Unit {
                bytes: unit.bytes - share,
                ..*unit
            });
        }
    }
    let mut base = vec![0u64; built.infos.len()];
    for unit in &units {
        base[unit.node] = base[unit.node].saturating_add(unit.bytes);
    }
    let mut result = Vec::new();
    for (group_specs, group_units) in [(eligible, vdo_units), (plain, plain_units)] {
        if group_specs.is_empty() || group_units.iter().all(|unit| unit.bytes == 0) {
            continue;
        }
        result.push(Group {
            tier,
            specs: group_specs,
            units: group_units,
            percent_base: Some(base.clone()),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slab_table() {
        assert_eq!(slab_bytes(50_000_000_000), 1 << 30);
        assert_eq!(slab_bytes(480_000_000_000), 2 << 30);
        assert_eq!(slab_bytes(4_000_000_000_000), 32 << 30);
        assert!(!too_big(200 << 40));
        assert!(too_big(300 << 40));
        assert_eq!(logical_bytes(4 << 30, 3.0), 12 << 30);
        // 4 PiB at most: 256 TiB × 20 would be 5 PiB.
        assert_eq!(logical_bytes(256 << 40, 20.0), MAX_LOGICAL);
        assert_eq!(logical_bytes(200 << 40, 20.0), 4000 << 40);
    }

    #[test]
    fn lvm_vdo_capacity_is_capped_at_the_logical_size_not_the_vg() {
        let vg = 1000u64 << 30;
        let physical = 950u64 << 30;
        let logical = logical_bytes(physical, 3.0);
        assert_eq!(logical, 2850 << 30);
        let limit = lvm_addressable(vg, physical, logical);
        assert_eq!(limit, (50 << 30) + (2850 << 30));
        // Savings 1: the physical pool; 2: twice that (above the VG); 4 > ratio: the logical
        // size plus the VG's rest.
        assert_eq!(planned_capacity(physical, 1.0, limit), physical);
        assert_eq!(planned_capacity(physical, 2.0, limit), 1900 << 30);
        assert!(planned_capacity(physical, 2.0, limit) > vg);
        assert_eq!(planned_capacity(physical, 4.0, limit), limit);
        // A logical size below the VDO pool (ratio < 1 is refused elsewhere) still gives the VG.
        assert_eq!(lvm_addressable(vg, physical, 10 << 30), vg);
    }

    fn disks(sizes: &[u64]) -> Vec<(String, u64)> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, size)| (format!("sd{}", (b'b' + i as u8) as char), *size))
            .collect()
    }

    #[test]
    fn vdo_disks_split_whole_disks_by_the_eligible_share() {
        let four = disks(&[4, 4, 4, 4]);
        assert!(vdo_disks(&four, 0.0).is_empty(), "nothing eligible: no VDO");
        assert_eq!(vdo_disks(&four, 1.0).len(), 4, "everything eligible");
        let one = vdo_disks(&disks(&[4]), 0.3);
        assert_eq!(one.len(), 1, "a single disk gets VDO under everything");
        let half: Vec<String> = vdo_disks(&four, 0.5).into_iter().collect();
        assert_eq!(half, ["sdb", "sdd"], "alternating, ties to VDO");
        let most = vdo_disks(&four, 0.99);
        assert_eq!(most.len(), 3, "the plain class keeps one disk");
        let least = vdo_disks(&four, 0.01);
        assert_eq!(least.len(), 1, "the VDO class keeps one disk");
        // Unequal disks: the big one alone covers 2/3.
        let mixed: Vec<String> = vdo_disks(&disks(&[8, 2, 2]), 0.66).into_iter().collect();
        assert_eq!(mixed, ["sdb"]);
    }

    #[test]
    fn the_plain_class_gets_a_margin() {
        let raw = [1000u64 << 30; 10];
        // 20 % plain: 20.6 % plus 10 × 16 GiB of 10000 GiB = 22.2 %.
        let fraction = with_plain_margin(0.8, 16 << 30, &raw);
        assert!((fraction - 0.778).abs() < 1e-9, "{fraction}");
        assert_eq!(with_plain_margin(0.0, 16 << 30, &raw), 0.0);
        assert_eq!(with_plain_margin(1.0, 16 << 30, &raw), 1.0);
        assert_eq!(with_plain_margin(0.02, 1 << 40, &raw), 0.01);
    }

    #[test]
    fn planned_capacity_uses_the_expected_savings_up_to_the_logical_size() {
        let physical = 1000 << 30;
        assert_eq!(planned_capacity(physical, 1.0, 3000 << 30), physical);
        assert_eq!(planned_capacity(physical, 2.0, 3000 << 30), 2000 << 30);
        assert_eq!(planned_capacity(physical, 5.0, 3000 << 30), 3000 << 30);
        assert_eq!(planned_capacity(physical, 0.5, 3000 << 30), physical);
    }

    fn spec(kind: crate::volumes::VolumeKind, demand: Demand, vdo: bool) -> VolumeSpec {
        VolumeSpec {
            kind,
            name: kind.stem().to_owned(),
            copies: 2,
            single: false,
            thick: false,
            fast: false,
            vdo,
            file_unit: 64 << 20,
            demand,
            options: Vec::new(),
        }
    }

    #[test]
    fn eligible_fraction_estimates_the_raw_share() {
        use crate::volumes::VolumeKind;
        let raw = [3000u64 << 30, 3000 << 30, 3000 << 30];
        let none = [spec(VolumeKind::VmStore, Demand::Rest { weight: 1 }, false)];
        assert_eq!(eligible_fraction(&none, &raw), 0.0);
        let all = [spec(VolumeKind::VmStore, Demand::Rest { weight: 1 }, true)];
        assert_eq!(eligible_fraction(&all, &raw), 1.0);
        // Bound 4500 GiB with 2 copies: 10 % (450 GiB) plain, the other 4050 GiB eligible.
        let mixed = [
            spec(VolumeKind::VmStore, Demand::Rest { weight: 1 }, true),
            spec(
                VolumeKind::WinShare,
                Demand::Percent { percent: 10.0 },
                false,
            ),
        ];
        let fraction = eligible_fraction(&mixed, &raw);
        assert!((fraction - 0.9).abs() < 1e-9, "{fraction}");
        // Fixed sizes above the bound: the estimate stays within (0, 1).
        let full = [
            spec(VolumeKind::VmStore, Demand::Rest { weight: 1 }, true),
            spec(
                VolumeKind::BlockShare,
                Demand::Fixed { bytes: 9000 << 30 },
                false,
            ),
        ];
        assert_eq!(eligible_fraction(&full, &raw), 0.01);
    }
}
