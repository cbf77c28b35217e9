//! RAID alignment, one function for every VG: PV data alignment, thin-pool chunk and XFS
//! stripe geometry from the disk's RAID level, disk count and stripe unit.
//!
//! | type | data disks k | alignment | chunk | XFS |
//! |---|---|---|---|---|
//! | JBOD / SSD | 1 | 256 KiB | 256 KiB | — |
//! | RAID5 | n − 1 | su × k | lcm(su × k, 64 KiB) | su, sw = k |
//! | RAID6 | n − 2 | su × k | lcm(su × k, 64 KiB), W110 outside 1–2 MiB | su, sw = k |
//! | RAID10 | n / 2 | su × k | su (W117: gluster-ansible uses su × k) | su, sw = k |
//!
//! A chunk above 2 MiB falls back to `su` (rounded up to 64 KiB) with W110.

use crate::facts::node_extras::{RaidGeometry, RaidLevel};
use crate::layout::model::Alignment;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;

/// The alignment of a VG and its thin-pool chunk size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// PV/XFS alignment.
    pub alignment: Alignment,
    /// Thin-pool chunk, bytes.
    pub chunk_bytes: u64,
    /// The chunk is outside 1–2 MiB (RAID6) or fell back to the stripe unit (W110).
    pub chunk_warning: bool,
    /// RAID10: gluster-ansible would use `su × k` as chunk (W117).
    pub differs_from_gluster_ansible: bool,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn lcm(a: u64, b: u64) -> u64 {
    a / gcd(a, b).max(1) * b
}

/// The geometry for `raid` (`None`: JBOD).
pub fn geometry(raid: Option<RaidGeometry>) -> Geometry {
    let jbod = Geometry {
        alignment: Alignment {
            level: "jbod",
            data_alignment_bytes: 256 * KIB,
            stripe_unit_bytes: 0,
            data_disks: 1,
        },
        chunk_bytes: 256 * KIB,
        chunk_warning: false,
        differs_from_gluster_ansible: false,
    };
    let Some(raid) = raid else {
        return jbod;
    };
    let su = raid.stripe_unit_bytes;
    let data_disks = match raid.level {
        RaidLevel::Jbod => return jbod,
        RaidLevel::Raid5 => raid.disks.saturating_sub(1),
        RaidLevel::Raid6 => raid.disks.saturating_sub(2),
        RaidLevel::Raid10 => raid.disks / 2,
    }
    .max(1);
    let stripe = su * u64::from(data_disks);
    let alignment = Alignment {
        level: raid.level.name(),
        data_alignment_bytes: stripe,
        stripe_unit_bytes: su,
        data_disks,
    };
    let su_chunk = su.div_ceil(64 * KIB) * 64 * KIB;
    match raid.level {
        RaidLevel::Raid10 => Geometry {
            alignment,
            chunk_bytes: su_chunk,
            chunk_warning: false,
            differs_from_gluster_ansible: su_chunk != stripe,
        },
        _ => {
            let chunk = lcm(stripe, 64 * KIB);
            if chunk > 2 * MIB {
                Geometry {
                    alignment,
                    chunk_bytes: su_chunk,
                    chunk_warning: true,
                    differs_from_gluster_ansible: false,
                }
            } else {
                Geometry {
                    alignment,
                    chunk_bytes: chunk,
                    chunk_warning: raid.level == RaidLevel::Raid6 && chunk < MIB,
                    differs_from_gluster_ansible: false,
                }
            }
        }
    }
}

/// The RAID geometry the facts give a disk: its own `raid`, else its node's, else
/// `hvp_raid` (`None`: JBOD unless the caller knows more).
pub fn given_raid(
    node: &crate::facts::NodeFacts,
    storage: &crate::facts::storage::StorageVars,
    disk: &str,
) -> Option<RaidGeometry> {
    node.extras
        .disk_raid
        .get(disk)
        .copied()
        .or(node.extras.raid)
        .or(storage.raid)
}

/// Whether a disk model looks like a hardware RAID volume (geometry unknown: W118).
pub fn looks_like_raid_volume(model: Option<&str>) -> bool {
    let Some(model) = model else {
        return false;
    };
    let model = model.to_ascii_uppercase();
    [
        "PERC",
        "MEGARAID",
        "RAID",
        "LOGICAL VOLUME",
        "SMART ARRAY",
        "MR9",
        "AVAGO",
    ]
    .iter()
    .any(|hint| model.contains(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raid(level: RaidLevel, disks: u32, su_kib: u64) -> Option<RaidGeometry> {
        Some(RaidGeometry {
            level,
            disks,
            stripe_unit_bytes: su_kib * KIB,
        })
    }

    #[test]
    fn spec_examples() {
        let raid6 = geometry(raid(RaidLevel::Raid6, 12, 128));
        assert_eq!(raid6.alignment.data_disks, 10);
        assert_eq!(raid6.alignment.data_alignment_bytes, 1280 * KIB);
        assert_eq!(raid6.chunk_bytes, 1280 * KIB);
        assert!(!raid6.chunk_warning);
        let raid10 = geometry(raid(RaidLevel::Raid10, 12, 256));
        assert_eq!(raid10.alignment.data_disks, 6);
        assert_eq!(raid10.alignment.data_alignment_bytes, 1536 * KIB);
        assert_eq!(raid10.chunk_bytes, 256 * KIB);
        assert!(raid10.differs_from_gluster_ansible);
        let small = geometry(raid(RaidLevel::Raid6, 5, 96));
        assert_eq!(small.chunk_bytes, 576 * KIB, "lcm(288 KiB, 64 KiB)");
        assert!(small.chunk_warning, "below 1 MiB");
        let jbod = geometry(None);
        assert_eq!(jbod.alignment.data_alignment_bytes, 256 * KIB);
        assert_eq!(jbod.chunk_bytes, 256 * KIB);
    }

    #[test]
    fn big_stripes_fall_back_to_the_stripe_unit() {
        let wide = geometry(raid(RaidLevel::Raid5, 20, 256));
        assert_eq!(wide.chunk_bytes, 256 * KIB);
        assert!(wide.chunk_warning);
    }
}
