//! The backend of new capacity through the balanced policy's own functions: disk selection
//! (`select_disks` with `hvp_disk_filter`), tiering (`fast_role`), RAID alignment
//! (`raid::geometry`) and LV caches (`plan_caches`).

use super::NewVg;
use crate::disks::FreeDisk;
use crate::facts::storage::{CacheMode, StorageVars};
use crate::facts::NodeFacts;
use crate::layout::balanced::build::candidate_disks;
use crate::layout::balanced::cache::{partition_name, plan_caches};
use crate::layout::balanced::capacity::vg_bytes;
use crate::layout::balanced::names;
use crate::layout::balanced::raid::{geometry, given_raid, Geometry};
use crate::layout::balanced::select::select_disks;
use crate::layout::balanced::tiering::{fast_role, FastRole};
use crate::layout::model::LvCache;
use std::collections::BTreeSet;

/// What a node's new disks become.
#[derive(Debug, Clone, Default)]
pub struct NewDisks {
    /// New data disks (selection order) with their RAID geometry.
    pub data: Vec<(FreeDisk, Geometry)>,
    /// New fast disks that cache the new slow pools.
    pub cache: Vec<FreeDisk>,
    /// New disks left unused, with the reason.
    pub unused: Vec<(FreeDisk, String)>,
}

/// Selects the new disks of `node` (those the recorded plan does not list: `known`) as the
/// balanced policy would, and decides what its new fast disks become.
pub fn new_disks(node: &NodeFacts, known: &BTreeSet<&str>, storage: &StorageVars) -> NewDisks {
    let disks: Vec<FreeDisk> = candidate_disks(node)
        .into_iter()
        .filter(|disk| !known.contains(disk.name.as_str()))
        .collect();
    let selection = select_disks(
        &disks,
        |name| node.extras.disk_vendor.get(name).map(String::as_str),
        &storage.filter,
    );
    let mut result = NewDisks {
        unused: selection
            .rejected
            .into_iter()
            .map(|rejected| (rejected.disk, rejected.reason))
            .collect(),
        ..NewDisks::default()
    };
    let data_bytes: u64 = selection.data.iter().map(|d| d.size).sum();
    let fast_bytes: u64 = selection.fast.iter().map(|d| d.size).sum();
    let mut data = selection.data;
    match fast_role(
        data_bytes,
        fast_bytes,
        storage.fast_use,
        storage.cache_mode,
        false,
    ) {
        FastRole::Nothing => {}
        FastRole::Data => data.extend(selection.fast),
        FastRole::Cache => result.cache = selection.fast,
        FastRole::FastVg => result.unused.extend(selection.fast.into_iter().map(|disk| {
            (
                disk,
                "fast tier (tier: fast volumes) on new capacity is not planned by expansion yet"
                    .to_owned(),
            )
        })),
        FastRole::Unused(reason) => result.unused.extend(
            selection
                .fast
                .into_iter()
                .map(|disk| (disk, reason.to_owned())),
        ),
    }
    result.data = data
        .into_iter()
        .map(|disk| {
            let raid = given_raid(node, storage, &disk.name);
            (disk, geometry(raid))
        })
        .collect();
    result
}

/// One GPT partition to create for a cache: (disk, number, start MiB, size MiB).
pub type CachePartition = (String, u32, u64, u64);

/// Puts LV caches from `fast` in front of the pools of `vgs` (the node's new slow VGs), as
/// `plan_caches` deals them; returns the GPT partitions to create first. Fast disks no VG
/// got are returned as unused.
pub fn attach_caches(
    vgs: &mut [NewVg],
    fast: &[FreeDisk],
    storage: &StorageVars,
) -> (Vec<CachePartition>, Vec<(FreeDisk, String)>) {
    // Only new VGs get a cache (a recorded VG's free-space pool is left as it is).
    let fresh: Vec<usize> = (0..vgs.len()).filter(|&i| !vgs[i].existing_vg).collect();
    let sizes: Vec<u64> = fresh.iter().map(|&i| vgs[i].size_bytes).collect();
    let fast_sizes: Vec<u64> = fast.iter().map(|d| d.size).collect();
    let plans = plan_caches(&sizes, &fast_sizes, storage.cache_partition);
    let mode = match storage.cache_mode {
        CacheMode::Writeback => "writeback",
        _ => "writethrough",
    };
    let mut partitions: Vec<CachePartition> = Vec::new();
    let mut ordered = plans.clone();
    ordered.sort_by_key(|plan| (plan.disk, plan.partition));
    let mut next_start: Vec<u64> = vec![1; fast.len()];
    for plan in &ordered {
        if let Some(number) = plan.partition {
            let size_mib = plan.device_bytes >> 20;
            partitions.push((
                fast[plan.disk].name.clone(),
                number,
                next_start[plan.disk],
                size_mib,
            ));
            next_start[plan.disk] += size_mib;
        }
    }
    for plan in &plans {
        let disk = &fast[plan.disk];
        let device = match plan.partition {
            Some(number) => partition_name(&disk.name, number),
            None => disk.name.clone(),
        };
        let vg = &mut vgs[fresh[plan.vg]];
        vg.cache = Some(LvCache {
            device: format!("/dev/{device}"),
            device_bytes: plan.device_bytes,
            name: names::cache_lv(&vg.pool),
            data_bytes: plan.data_bytes,
            metadata_bytes: plan.metadata_bytes,
            mode: mode.to_owned(),
        });
        vg.cache_disk = Some(disk.name.clone());
        vg.size_bytes += vg_bytes(plan.device_bytes, 256 << 10);
    }
    let used: BTreeSet<usize> = plans.iter().map(|plan| plan.disk).collect();
    let unused = fast
        .iter()
        .enumerate()
        .filter(|(index, _)| !used.contains(index))
        .map(|(_, disk)| (disk.clone(), "no new slow VG left to cache".to_owned()))
        .collect();
    (partitions, unused)
}
