//! `hvp_vg_mode`: one VG per disk (`per-disk`, the default: a disk failure touches one VG)
//! or one linear VG per node and tier (`per-node`, spec §6: fewer, larger pools; LVM spreads
//! the pool linearly over the disks, so one disk failure loses the whole VG's bricks).
//!
//! `per-node` merges a node's data VGs of the same tier, use and RAID geometry into one VG,
//! named `gluster_vg_data` (slow tier) / `gluster_vg_fast` (fast tier) when it has several
//! disks (a VG of one disk keeps `gluster_vg_<disk>`). VDO disks keep one VG
//! per disk (a VDO device sits under each PV; §10), so with VDO the VDO class stays per disk
//! and the plain class is merged. Sizes add up: the VG holds the sum of its PVs' extents.

use super::state::Vg;
use crate::layout::model::Tier;

/// The VG layout.
pub use crate::facts::storage::VgMode;

/// The name of a node's merged VG of `tier`.
pub fn node_volume_group(tier: Tier) -> String {
    match tier {
        Tier::Fast => "gluster_vg_fast".to_owned(),
        Tier::Slow => "gluster_vg_data".to_owned(),
    }
}

/// Merges the VGs `vgs[first..]` of one node (just built, one per disk, before caches and LVs)
/// into one VG per tier, use and geometry; VDO VGs are kept.
pub fn merge_node(vgs: &mut Vec<Vg>, first: usize) {
    let mut merged: Vec<Vg> = Vec::new();
    for vg in vgs.drain(first..) {
        let target = merged.iter_mut().find(|m| {
            vg.vdo.is_none()
                && m.vdo.is_none()
                && m.tier == vg.tier
                && m.usage == vg.usage
                && m.geometry == vg.geometry
        });
        match target {
            Some(target) => {
                target.disks.extend(vg.disks);
                target.devices.extend(vg.devices);
                target.size += vg.size;
                target.capacity += vg.capacity;
            }
            None => merged.push(vg),
        }
    }
    // Names: a VG of several disks is named after its tier; a VG of one disk keeps its disk's
    // name, so that nodes split into one-disk virtual nodes (`hvp_force_same_host`) never get
    // two VGs of one name. (Several merged VGs of one tier, i.e. mixed geometries, keep the
    // name of their first disk too.)
    for index in 0..merged.len() {
        let tier = merged[index].tier;
        let several = merged
            .iter()
            .filter(|m| m.vdo.is_none() && m.tier == tier && m.disks.len() > 1)
            .count();
        if merged[index].disks.len() > 1 && several == 1 {
            merged[index].name = node_volume_group(tier);
        }
    }
    vgs.extend(merged);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::balanced::raid::geometry;
    use crate::layout::model::{DiskUse, VdoDevice, VdoKind, VdoSettings};

    fn vg(disk: &str, size: u64, tier: Tier, vdo: bool) -> Vg {
        Vg {
            node: 0,
            name: format!("gluster_vg_{disk}"),
            disks: vec![disk.to_owned()],
            devices: vec![format!("/dev/{disk}")],
            rotational: tier == Tier::Slow,
            tier,
            usage: if tier == Tier::Fast {
                DiskUse::Fast
            } else {
                DiskUse::Data
            },
            geometry: geometry(None),
            size,
            capacity: size,
            thick_bytes: 0,
            pool_data: 0,
            pool_metadata: 0,
            free: 0,
            vdo: vdo.then(|| {
                Box::new(VdoDevice {
                    name: format!("vdo_{disk}"),
                    disk: disk.to_owned(),
                    kind: VdoKind::Legacy,
                    logical_size_bytes: size * 3,
                    physical_size_bytes: size,
                    slab_size_bytes: 32 << 30,
                    settings: VdoSettings::default(),
                })
            }),
            cache: None,
            lvs: Vec::new(),
            sector: None,
        }
    }

    #[test]
    fn per_node_merges_plain_vgs_of_one_tier_and_keeps_vdo_vgs() {
        let mut vgs = vec![vg("sda", 1, Tier::Slow, false)];
        vgs.extend([
            vg("sdb", 10, Tier::Slow, false),
            vg("sdc", 20, Tier::Slow, true),
            vg("sdd", 30, Tier::Slow, false),
            vg("nvme0n1", 5, Tier::Fast, false),
        ]);
        merge_node(&mut vgs, 1);
        let names: Vec<&str> = vgs.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "gluster_vg_sda",
                "gluster_vg_data",
                "gluster_vg_sdc",
                "gluster_vg_nvme0n1"
            ]
        );
        assert_eq!(vgs[1].disks, ["sdb", "sdd"]);
        assert_eq!(vgs[1].devices, ["/dev/sdb", "/dev/sdd"]);
        assert_eq!((vgs[1].size, vgs[1].capacity), (40, 40));
        assert_eq!(vgs[2].disks, ["sdc"]);
    }
}
