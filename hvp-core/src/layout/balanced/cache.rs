//! LV cache sizing: which fast device (or partition of one) caches which slow VG, and how big
//! the cache data and metadata are.
//!
//! With at least as many fast devices as slow VGs, whole devices go to the largest VGs first.
//! Otherwise, with `hvp_cache_partition: true`, VGs are dealt to the devices (largest first)
//! and each device is split into GPT partitions (1 MiB aligned) proportional to its VGs'
//! sizes; with `false`, VGs beyond the devices stay uncached (W120).
//! Per cache: metadata `m = max(8 MiB, ceil_PE(Pc / 1000))`, data `Pc − m`.

use super::capacity::{ceil_extents, floor_extents, vg_bytes};

const MIB: u64 = 1 << 20;

/// One planned cache device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachePlan {
    /// Index of the slow VG it caches (in the caller's list).
    pub vg: usize,
    /// Index of the fast disk.
    pub disk: usize,
    /// Partition number on that disk (`None`: the whole disk).
    pub partition: Option<u32>,
    /// Size of the device or partition, bytes.
    pub device_bytes: u64,
    /// Cache data, bytes.
    pub data_bytes: u64,
    /// Cache metadata, bytes.
    pub metadata_bytes: u64,
}

/// The partition device name: `sde` → `sde1`, `nvme0n1` → `nvme0n1p1`.
pub fn partition_name(disk: &str, number: u32) -> String {
    if disk.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{disk}p{number}")
    } else {
        format!("{disk}{number}")
    }
}

/// Sizes of the cache on a device of `device_bytes`: (data, metadata).
pub fn cache_sizes(device_bytes: u64) -> (u64, u64) {
    let usable = vg_bytes(device_bytes, 256 << 10);
    let metadata = ceil_extents(usable.div_ceil(1000)).max(8 * MIB);
    (floor_extents(usable.saturating_sub(metadata)), metadata)
}

/// Plans caches for slow VGs of `vg_sizes` (in VG order) from fast disks of `fast_sizes`
/// (in disk order). VGs left out are uncached.
pub fn plan_caches(vg_sizes: &[u64], fast_sizes: &[u64], partition: bool) -> Vec<CachePlan> {
    let mut vgs: Vec<usize> = (0..vg_sizes.len()).collect();
    vgs.sort_by(|a, b| vg_sizes[*b].cmp(&vg_sizes[*a]).then(a.cmp(b)));
    if fast_sizes.is_empty() || vgs.is_empty() {
        return Vec::new();
    }
    if fast_sizes.len() >= vgs.len() || !partition {
        return vgs
            .iter()
            .zip(0..fast_sizes.len())
            .map(|(&vg, disk)| {
                let (data_bytes, metadata_bytes) = cache_sizes(fast_sizes[disk]);
                CachePlan {
                    vg,
                    disk,
                    partition: None,
                    device_bytes: fast_sizes[disk],
                    data_bytes,
                    metadata_bytes,
                }
            })
            .collect();
    }
    // Deal the VGs to the disks round-robin, largest first.
    let mut dealt: Vec<Vec<usize>> = vec![Vec::new(); fast_sizes.len()];
    for (position, vg) in vgs.iter().enumerate() {
        dealt[position % fast_sizes.len()].push(*vg);
    }
    let mut plans = Vec::new();
    for (disk, group) in dealt.iter().enumerate() {
        let total: u128 = group.iter().map(|&vg| u128::from(vg_sizes[vg])).sum();
        // 1 MiB at the start (alignment) and at the end (backup GPT).
        let usable = u128::from(fast_sizes[disk].saturating_sub(2 * MIB));
        for (number, &vg) in group.iter().enumerate() {
            let share = usable * u128::from(vg_sizes[vg]) / total.max(1);
            let device_bytes = u64::try_from(share).unwrap_or(0) / MIB * MIB;
            let (data_bytes, metadata_bytes) = cache_sizes(device_bytes);
            plans.push(CachePlan {
                vg,
                disk,
                partition: (group.len() > 1).then_some(number as u32 + 1),
                device_bytes,
                data_bytes,
                metadata_bytes,
            });
        }
    }
    plans.sort_by_key(|plan| plan.vg);
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: f64 = (1u64 << 30) as f64;

    #[test]
    fn one_ssd_for_three_equal_vgs_is_split_in_three() {
        let plans = plan_caches(&[3, 3, 3], &[480_103_981_056], true);
        assert_eq!(plans.len(), 3);
        for plan in &plans {
            let data = plan.data_bytes as f64 / GIB;
            assert!((data - 148.9).abs() < 0.1, "{data}");
            assert_eq!(plan.metadata_bytes, 156 << 20);
        }
        assert_eq!(partition_name("sde", 2), "sde2");
        assert_eq!(partition_name("nvme0n1", 1), "nvme0n1p1");
    }

    #[test]
    fn without_partitions_the_largest_vg_gets_the_ssd() {
        let plans = plan_caches(&[3594, 3694], &[480_103_981_056], false);
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].vg, 1);
        assert_eq!(plans[0].partition, None);
    }
}
