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

/// Smallest cache data a pool gets when a VG's cache is split over its pools
/// ([`split_over_pools`]); a pool whose share is smaller stays uncached.
pub const MIN_SPLIT_DATA: u64 = 64 * MIB;

/// A VG's cache (`data_bytes` + `metadata_bytes` on its fast PV) split over the VG's thin pools
/// (`pool_bytes`, one per brick with `hvp_pool_per_brick`), in proportion to their size: per
/// pool `(data, metadata)` of a cache pool of its own on the same PV (metadata
/// `max(8 MiB, ceil_PE(share / 1000))` as for a whole cache), `None` for pools whose share
/// would hold less than [`MIN_SPLIT_DATA`] (those are left out and the rest shared again).
/// The pieces never add up to more than the whole cache.
pub fn split_over_pools(
    data_bytes: u64,
    metadata_bytes: u64,
    pool_bytes: &[u64],
) -> Vec<Option<(u64, u64)>> {
    let total = u128::from(data_bytes + metadata_bytes);
    let mut kept: Vec<bool> = pool_bytes.iter().map(|&bytes| bytes > 0).collect();
    loop {
        let weight: u128 = pool_bytes
            .iter()
            .zip(&kept)
            .filter(|(_, &keep)| keep)
            .map(|(&bytes, _)| u128::from(bytes))
            .sum();
        let pieces: Vec<Option<(u64, u64)>> = pool_bytes
            .iter()
            .zip(&kept)
            .map(|(&bytes, &keep)| {
                if !keep {
                    return None;
                }
                let share = floor_extents(
                    u64::try_from(total * u128::from(bytes) / weight.max(1)).unwrap_or(0),
                );
                let metadata = ceil_extents(share.div_ceil(1000)).max(8 * MIB);
                let data = share.saturating_sub(metadata);
                (data >= MIN_SPLIT_DATA).then_some((data, metadata))
            })
            .collect();
        let dropped: Vec<usize> = (0..pool_bytes.len())
            .filter(|&i| kept[i] && pieces[i].is_none())
            .collect();
        if dropped.is_empty() {
            return pieces;
        }
        for i in dropped {
            kept[i] = false;
        }
    }
}

/// A GPT partition as planned for a split cache device, or as found on a disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GptPartition {
    /// Partition number (1, 2, ...).
    pub number: u32,
    /// First byte.
    pub start_bytes: u64,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// The partitions of a cache device split into `sizes` (bytes, whole MiB, in partition order):
/// the first at 1 MiB, each right after the previous (all 1 MiB aligned).
pub fn gpt_layout(sizes: &[u64]) -> Vec<GptPartition> {
    let mut start = MIB;
    sizes
        .iter()
        .enumerate()
        .map(|(index, &size)| {
            let partition = GptPartition {
                number: index as u32 + 1,
                start_bytes: start,
                size_bytes: size,
            };
            start += size.div_ceil(MIB) * MIB;
            partition
        })
        .collect()
}

/// The `sfdisk` script that creates exactly `planned` on an empty disk: a GPT label and one
/// Linux LVM partition per entry, positions in MiB (exact: every size is whole MiB).
pub fn sfdisk_script(planned: &[GptPartition]) -> String {
    let mut script = String::from("label: gpt\n");
    for partition in planned {
        script.push_str(&format!(
            "start={}MiB, size={}MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n",
            partition.start_bytes / MIB,
            partition.size_bytes / MIB
        ));
    }
    script
}

/// What a disk holds now, as read by the module (`blkid -p`, `sfdisk --json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskState {
    /// Disk size in bytes.
    pub size_bytes: u64,
    /// Partition table type (`gpt`, `dos`), if any.
    pub table: Option<String>,
    /// Other signatures on the whole disk (filesystem, RAID, LVM...), by type.
    pub signatures: Vec<String>,
    /// The partitions found.
    pub partitions: Vec<GptPartition>,
}

/// What to do with a disk that should carry `planned`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionAction {
    /// The disk is blank: create the GPT label and the partitions.
    Create,
    /// The disk already holds exactly these partitions: nothing to do.
    Present,
    /// Anything else: refuse, with the reason (never repartition a disk that holds something).
    Refuse(String),
}

/// Decides for one disk: create only on a blank disk, accept exactly the planned partitions,
/// refuse everything else.
pub fn partition_action(state: &DiskState, planned: &[GptPartition]) -> PartitionAction {
    let end = planned
        .iter()
        .map(|p| p.start_bytes + p.size_bytes)
        .max()
        .unwrap_or(0);
    if end + MIB > state.size_bytes {
        return PartitionAction::Refuse(format!(
            "the planned partitions end at {end} bytes, the disk has only {} (1 MiB is kept for \
             the backup GPT)",
            state.size_bytes
        ));
    }
    if !state.signatures.is_empty() {
        return PartitionAction::Refuse(format!(
            "the disk carries {} signature(s): {}",
            state.signatures.len(),
            state.signatures.join(", ")
        ));
    }
    match state.table.as_deref() {
        None if state.partitions.is_empty() => PartitionAction::Create,
        None => PartitionAction::Refuse("partitions without a partition table".to_owned()),
        Some("gpt") if state.partitions == planned => PartitionAction::Present,
        Some("gpt") => PartitionAction::Refuse(format!(
            "it has a GPT with other partitions ({}) than planned ({})",
            describe(&state.partitions),
            describe(planned)
        )),
        Some(other) => PartitionAction::Refuse(format!("it has a '{other}' partition table")),
    }
}

/// Reads `sfdisk --json DISK`: the partition table type and its partitions (numbers from the
/// device names, `/dev/sde1` or `/dev/nvme0n1p1`).
pub fn parse_sfdisk_json(text: &str) -> Result<(String, Vec<GptPartition>), String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("sfdisk --json: {error}"))?;
    let table = &value["partitiontable"];
    let label = table["label"]
        .as_str()
        .ok_or("sfdisk --json: no partitiontable.label")?
        .to_owned();
    let sector = table["sectorsize"].as_u64().unwrap_or(512);
    let mut partitions = Vec::new();
    for entry in table["partitions"].as_array().into_iter().flatten() {
        let node = entry["node"].as_str().unwrap_or_default();
        let digits = node.len() - node.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let number = node[node.len() - digits..]
            .parse::<u32>()
            .map_err(|_| format!("sfdisk --json: no partition number in {node:?}"))?;
        let (Some(start), Some(size)) = (entry["start"].as_u64(), entry["size"].as_u64()) else {
            return Err(format!("sfdisk --json: {node:?} has no start/size"));
        };
        partitions.push(GptPartition {
            number,
            start_bytes: start * sector,
            size_bytes: size * sector,
        });
    }
    partitions.sort_by_key(|p| p.number);
    Ok((label, partitions))
}

fn describe(partitions: &[GptPartition]) -> String {
    if partitions.is_empty() {
        return "none".to_owned();
    }
    partitions
        .iter()
        .map(|p| {
            format!(
                "{}: {} MiB at {} MiB",
                p.number,
                p.size_bytes / MIB,
                p.start_bytes / MIB
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sfdisk_json_gives_the_partitions() {
        let text = r#"{"partitiontable": {"label": "gpt", "device": "/dev/loop7",
            "unit": "sectors", "sectorsize": 512, "partitions": [
            {"node": "/dev/loop7p2", "start": 206848, "size": 102400, "type": "x"},
            {"node": "/dev/loop7p1", "start": 2048, "size": 204800, "type": "x"}]}}"#;
        let (label, found) = parse_sfdisk_json(text).unwrap();
        assert_eq!(label, "gpt");
        assert_eq!(found, gpt_layout(&[100 * MIB, 50 * MIB]));
        assert!(parse_sfdisk_json("{}").is_err());
        assert!(parse_sfdisk_json("not json").is_err());
    }

    #[test]
    fn partitions_are_created_only_on_blank_disks_and_accepted_only_as_planned() {
        let planned = gpt_layout(&[100 * MIB, 50 * MIB]);
        assert_eq!(
            planned,
            [
                GptPartition {
                    number: 1,
                    start_bytes: MIB,
                    size_bytes: 100 * MIB
                },
                GptPartition {
                    number: 2,
                    start_bytes: 101 * MIB,
                    size_bytes: 50 * MIB
                },
            ]
        );
        assert_eq!(
            sfdisk_script(&planned),
            "label: gpt\nstart=1MiB, size=100MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n\
             start=101MiB, size=50MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n"
        );
        let blank = DiskState {
            size_bytes: 1 << 30,
            ..DiskState::default()
        };
        assert_eq!(partition_action(&blank, &planned), PartitionAction::Create);
        let done = DiskState {
            table: Some("gpt".to_owned()),
            partitions: planned.clone(),
            ..blank.clone()
        };
        assert_eq!(partition_action(&done, &planned), PartitionAction::Present);
        let other = DiskState {
            partitions: planned[..1].to_vec(),
            ..done.clone()
        };
        assert!(
            matches!(partition_action(&other, &planned), PartitionAction::Refuse(r) if r.contains("other partitions"))
        );
        let fs = DiskState {
            signatures: vec!["xfs".to_owned()],
            ..blank.clone()
        };
        assert!(
            matches!(partition_action(&fs, &planned), PartitionAction::Refuse(r) if r.contains("xfs"))
        );
        let dos = DiskState {
            table: Some("dos".to_owned()),
            ..blank.clone()
        };
        assert!(matches!(
            partition_action(&dos, &planned),
            PartitionAction::Refuse(_)
        ));
        let small = DiskState {
            size_bytes: 151 * MIB,
            ..blank
        };
        assert!(
            matches!(partition_action(&small, &planned), PartitionAction::Refuse(r) if r.contains("backup GPT"))
        );
    }

    use super::*;
    use crate::layout::balanced::capacity::EXTENT;

    const GIB: f64 = (1u64 << 30) as f64;

    #[test]
    fn a_vg_cache_is_split_over_its_brick_pools_by_size() {
        let gib = 1u64 << 30;
        let (data, metadata) = cache_sizes(400 * gib);
        let pools = [2000 * gib, 1000 * gib, gib, 1000 * gib, 0];
        let pieces = split_over_pools(data, metadata, &pools);
        // The 1 GiB arbiter pool's share (100 MiB: 92 MiB data + 8 MiB metadata) is kept; an
        // empty pool gets nothing.
        assert!(pieces[2].is_some() && pieces[4].is_none(), "{pieces:?}");
        let whole = |i: usize| pieces[i].map_or(0, |(d, m)| d + m);
        assert!(whole(0) > whole(1) && whole(1) == whole(3));
        let sum: u64 = (0..pools.len()).map(whole).sum();
        assert!(sum <= data + metadata, "{sum} > {}", data + metadata);
        assert!(sum + 4 * EXTENT >= data + metadata, "nearly all of it");
        for (d, m) in pieces.iter().flatten() {
            assert_eq!(d % EXTENT, 0);
            assert!(*m >= 8 * MIB && *d >= MIN_SPLIT_DATA);
        }
        // A small cache: the small pools' shares drop out and the big one gets it all.
        let (data, metadata) = cache_sizes(10 * gib);
        let pieces = split_over_pools(data, metadata, &[4000 * gib, 10 * gib, gib]);
        assert!(pieces[1].is_none() && pieces[2].is_none(), "{pieces:?}");
        assert_eq!(pieces[0].map(|(d, m)| d + m), Some(data + metadata));
    }

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
