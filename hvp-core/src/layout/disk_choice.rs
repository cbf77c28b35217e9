//! Which disk takes which role: the original's choice rules, as small pure functions.
//!
//! Names are compared as the original's Jinja `sort` did: case-insensitively, as plain strings
//! (`sdaa` < `sdb`, `nvme10n1` < `nvme1n1`). Sizes tie only when the byte counts are equal.

use super::model::DiskRole;
use crate::disks::FreeDisk;
use std::cmp::Ordering;

/// Orders disk names as the original did (case-insensitive plain string order); names equal
/// but for case are ordered by their exact text, so that the result never depends on input order.
pub fn name_order(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// The disks sorted in name order.
pub fn sorted_by_name(disks: &[FreeDisk]) -> Vec<&FreeDisk> {
    let mut sorted: Vec<&FreeDisk> = disks.iter().collect();
    sorted.sort_by(|a, b| name_order(&a.name, &b.name));
    sorted
}

/// The first disk, in name order, of those with the largest size.
pub fn first_biggest<'a>(sorted: &[&'a FreeDisk]) -> Option<&'a FreeDisk> {
    let largest = sorted.iter().map(|disk| disk.size).max()?;
    sorted.iter().copied().find(|disk| disk.size == largest)
}

/// The last disk, in name order, of those with the smallest size.
pub fn last_smallest<'a>(sorted: &[&'a FreeDisk]) -> Option<&'a FreeDisk> {
    let smallest = sorted.iter().map(|disk| disk.size).min()?;
    sorted
        .iter()
        .copied()
        .rev()
        .find(|disk| disk.size == smallest)
}

/// The first disk, in name order, of those with the smallest size.
pub fn first_smallest<'a>(sorted: &[&'a FreeDisk]) -> Option<&'a FreeDisk> {
    let smallest = sorted.iter().map(|disk| disk.size).min()?;
    sorted.iter().copied().find(|disk| disk.size == smallest)
}

/// The disks a data node uses for a layout of `disk_count` disks (1, 2 or 3), in volume-group
/// order (`vgdisk1`, `vgdisk2`, `vgdisk3`), with their roles. `None` when the node has fewer
/// disks than the layout needs.
pub fn choose_data_disks(
    disks: &[FreeDisk],
    disk_count: usize,
) -> Option<Vec<(DiskRole, &FreeDisk)>> {
    let sorted = sorted_by_name(disks);
    if sorted.len() < disk_count {
        return None;
    }
    match disk_count {
        1 => Some(vec![(DiskRole::All, first_biggest(&sorted)?)]),
        2 => {
            let shares = first_biggest(&sorted)?;
            let ovirt = last_smallest(&sorted)?;
            Some(vec![(DiskRole::Ovirt, ovirt), (DiskRole::Shares, shares)])
        }
        3 => {
            let shares = first_biggest(&sorted)?;
            let ovirt_other = last_smallest(&sorted)?;
            let vm_store = sorted
                .iter()
                .copied()
                .find(|disk| disk.name != shares.name && disk.name != ovirt_other.name)?;
            Some(vec![
                (DiskRole::OvirtOther, ovirt_other),
                (DiskRole::Shares, shares),
                (DiskRole::VmStore, vm_store),
            ])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(name: &str, size: u64) -> FreeDisk {
        FreeDisk {
            name: name.into(),
            size,
            rotational: true,
            model: None,
            serial: None,
            wwn: None,
            by_id: None,
            md_raid: None,
        }
    }

    fn names(chosen: &[(DiskRole, &FreeDisk)]) -> Vec<(DiskRole, String)> {
        chosen
            .iter()
            .map(|(role, disk)| (*role, disk.name.clone()))
            .collect()
    }

    #[test]
    fn name_order_is_plain_string_order() {
        let mut names = vec!["sdb", "sdaa", "nvme1n1", "nvme10n1", "SDC"];
        names.sort_by(|a, b| name_order(a, b));
        assert_eq!(names, vec!["nvme10n1", "nvme1n1", "sdaa", "sdb", "SDC"]);
    }

    #[test]
    fn equal_disks_split_first_to_shares_last_to_ovirt() {
        let disks = [disk("sdc", 10), disk("sdb", 10)];
        let chosen = choose_data_disks(&disks, 2).unwrap();
        assert_eq!(
            names(&chosen),
            vec![
                (DiskRole::Ovirt, "sdc".into()),
                (DiskRole::Shares, "sdb".into())
            ]
        );
    }

    #[test]
    fn vm_store_disk_is_picked_by_name_not_size() {
        // sdb 1T, sdc 4T, sdd 2T, sde 3T: sdd holds vmstore while the bigger sde stays idle.
        let disks = [
            disk("sde", 3),
            disk("sdb", 1),
            disk("sdd", 2),
            disk("sdc", 4),
        ];
        let chosen = choose_data_disks(&disks, 3).unwrap();
        assert_eq!(
            names(&chosen),
            vec![
                (DiskRole::OvirtOther, "sdb".into()),
                (DiskRole::Shares, "sdc".into()),
                (DiskRole::VmStore, "sdd".into())
            ]
        );
    }

    #[test]
    fn ties_need_equal_bytes() {
        let disks = [
            disk("sdb", 4_000_000_000_000),
            disk("sdc", 4_000_000_000_001),
        ];
        let chosen = choose_data_disks(&disks, 1).unwrap();
        assert_eq!(chosen[0].1.name, "sdc");
    }

    #[test]
    fn arbiter_takes_the_first_smallest() {
        let disks = [disk("sdd", 5), disk("sdc", 1), disk("sdb", 1)];
        let sorted = sorted_by_name(&disks);
        assert_eq!(first_smallest(&sorted).unwrap().name, "sdb");
    }

    #[test]
    fn too_few_disks_choose_nothing() {
        assert!(choose_data_disks(&[disk("sdb", 1)], 2).is_none());
        assert!(choose_data_disks(&[], 1).is_none());
    }
}
