//! Disk selection: which free disks of a node are data disks, which are fast disks (cache or
//! fast VG), and why every other one is not used.
//!
//! Order: size descending, then natural name order (`sdb < sdz < sdaa`,
//! `nvme2n1 < nvme10n1`), then by-id. `exclude` is applied first; a disk matched by `data` is
//! not offered to `fast`; explicit `paths` / `by_id` bypass the other filters; `limit` keeps
//! the first disks in that order.

use crate::disks::FreeDisk;
use crate::facts::storage::{ClassFilter, DiskFilter};
use std::cmp::Ordering;

/// A disk that is not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The disk.
    pub disk: FreeDisk,
    /// Why.
    pub reason: String,
}

/// The result for one node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Data disks, in order.
    pub data: Vec<FreeDisk>,
    /// Fast disks, in order.
    pub fast: Vec<FreeDisk>,
    /// Every other disk with its reason.
    pub rejected: Vec<Rejected>,
}

/// Compares names in natural order: digit runs as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let strip = |n: &[u8]| {
                    let zeros = n.iter().take_while(|c| **c == b'0').count();
                    n[zeros.min(n.len().saturating_sub(1))..].to_vec()
                };
                let (sa, sb) = (strip(na), strip(nb));
                let order = sa.len().cmp(&sb.len()).then_with(|| sa.cmp(&sb));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                // Letters: with a common prefix (`sd`), the shorter run first (sdz < sdaa,
                // the kernel's order); otherwise plain byte order (nvme < sd).
                let la = a.iter().take_while(|c| !c.is_ascii_digit()).count();
                let lb = b.iter().take_while(|c| !c.is_ascii_digit()).count();
                let common = a[..la]
                    .iter()
                    .zip(&b[..lb])
                    .take_while(|(p, q)| p == q)
                    .count();
                let order = if common > 0 {
                    la.cmp(&lb).then_with(|| a[..la].cmp(&b[..lb]))
                } else {
                    a[..la].cmp(&b[..lb])
                };
                if order != Ordering::Equal {
                    return order;
                }
                let _ = (x, y);
                a = &a[la..];
                b = &b[lb..];
            }
        }
    }
}

/// Disk order: size descending, natural name, by-id.
pub fn disk_order(a: &FreeDisk, b: &FreeDisk) -> Ordering {
    b.size
        .cmp(&a.size)
        .then_with(|| natural_cmp(&a.name, &b.name))
        .then_with(|| a.by_id.cmp(&b.by_id))
}

fn contains_any(value: Option<&str>, needles: &[String]) -> bool {
    let Some(value) = value else {
        return false;
    };
    let value = value.to_ascii_lowercase();
    needles
        .iter()
        .any(|needle| value.contains(&needle.to_ascii_lowercase()))
}

/// Whether `disk` matches `class`, and if not, why (one clause per failed filter).
pub fn matches(
    disk: &FreeDisk,
    vendor: Option<&str>,
    class: &ClassFilter,
    all_of: bool,
) -> Result<(), Vec<String>> {
    if !class.paths.is_empty() || !class.by_id.is_empty() {
        let named = class
            .paths
            .iter()
            .any(|path| path.trim_start_matches("/dev/") == disk.name)
            || disk.by_id.as_deref().is_some_and(|id| {
                class
                    .by_id
                    .iter()
                    .any(|wanted| wanted.trim_start_matches("/dev/disk/by-id/") == id)
            });
        return if named {
            Ok(())
        } else {
            Err(vec!["not in the explicit paths/by_id list".to_owned()])
        };
    }
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    if let Some(rotational) = class.rotational {
        if disk.rotational == rotational {
            passed.push(());
        } else {
            failed.push(if rotational {
                "not rotational (an SSD or NVMe)".to_owned()
            } else {
                "rotational".to_owned()
            });
        }
    }
    if let Some(min) = class.size_min {
        if disk.size >= min {
            passed.push(());
        } else {
            failed.push(format!("smaller than {min} bytes"));
        }
    }
    if let Some(max) = class.size_max {
        if disk.size <= max {
            passed.push(());
        } else {
            failed.push(format!("larger than {max} bytes"));
        }
    }
    if !class.model.is_empty() {
        if contains_any(disk.model.as_deref(), &class.model) {
            passed.push(());
        } else {
            failed.push(format!("model is not one of {}", class.model.join(", ")));
        }
    }
    if !class.vendor.is_empty() {
        if contains_any(vendor, &class.vendor) {
            passed.push(());
        } else {
            failed.push(format!("vendor is not one of {}", class.vendor.join(", ")));
        }
    }
    let ok = if all_of {
        failed.is_empty()
    } else {
        !passed.is_empty() || failed.is_empty()
    };
    if ok {
        Ok(())
    } else {
        Err(failed)
    }
}

/// Selects the data and fast disks among `disks` (a node's free disks and free SSDs, each
/// once). `vendor` gives a disk's vendor by name.
pub fn select_disks<'a>(
    disks: &[FreeDisk],
    vendor: impl Fn(&str) -> Option<&'a str>,
    filter: &DiskFilter,
) -> Selection {
    select_owned_disks(disks.to_vec(), vendor, filter)
}

/// [`select_disks`] of disks the caller gives away (no copy of each).
pub fn select_owned_disks<'a>(
    disks: Vec<FreeDisk>,
    vendor: impl Fn(&str) -> Option<&'a str>,
    filter: &DiskFilter,
) -> Selection {
    let mut sorted = disks;
    sorted.sort_by(disk_order);
    // Most disks are data disks: sized for all of them rather than grown by doubling.
    let mut selection = Selection {
        data: Vec::with_capacity(sorted.len()),
        ..Selection::default()
    };
    for disk in sorted {
        let vendor = vendor(&disk.name);
        if let Some(exclude) = &filter.exclude {
            let any_filter = exclude.rotational.is_some()
                || exclude.size_min.is_some()
                || exclude.size_max.is_some()
                || !exclude.model.is_empty()
                || !exclude.vendor.is_empty()
                || !exclude.paths.is_empty()
                || !exclude.by_id.is_empty();
            if any_filter && matches(&disk, vendor, exclude, filter.all_of).is_ok() {
                selection.rejected.push(Rejected {
                    disk,
                    reason: "excluded by hvp_disk_filter.exclude".to_owned(),
                });
                continue;
            }
        }
        let data_reasons = match matches(&disk, vendor, &filter.data, filter.all_of) {
            Ok(()) if filter.data.limit > 0 && selection.data.len() >= filter.data.limit => {
                selection.rejected.push(Rejected {
                    disk,
                    reason: format!(
                        "beyond the data filter's limit of {} disk(s) per node",
                        filter.data.limit
                    ),
                });
                continue;
            }
            Ok(()) => {
                selection.data.push(disk);
                continue;
            }
            Err(reasons) => reasons,
        };
        match matches(&disk, vendor, &filter.fast, filter.all_of) {
            Ok(()) if filter.fast.limit > 0 && selection.fast.len() >= filter.fast.limit => {
                selection.rejected.push(Rejected {
                    disk,
                    reason: format!(
                        "beyond the fast filter's limit of {} disk(s) per node",
                        filter.fast.limit
                    ),
                });
            }
            Ok(()) => selection.fast.push(disk),
            Err(fast_reasons) => selection.rejected.push(Rejected {
                disk,
                reason: format!(
                    "no disk class takes it: data filter: {}; fast filter: {}",
                    data_reasons.join(", "),
                    fast_reasons.join(", ")
                ),
            }),
        }
    }
    selection
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::storage::DiskFilter;

    fn disk(name: &str, size: u64, rotational: bool) -> FreeDisk {
        FreeDisk {
            name: name.into(),
            size,
            rotational,
            model: None,
            serial: None,
            wwn: None,
            by_id: None,
            md_raid: None,
        }
    }

    #[test]
    fn natural_order_fixes_plain_string_sorting() {
        let mut names = vec!["sdaa", "sdz", "sdb", "nvme10n1", "nvme2n1"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, vec!["nvme2n1", "nvme10n1", "sdb", "sdz", "sdaa"]);
    }

    #[test]
    fn default_filter_takes_big_spinning_disks_as_data_and_ssds_as_fast() {
        let disks = vec![
            disk("sdb", 4_000_787_030_016, true),
            disk("sdc", 50_000_000_000, true),
            disk("nvme0n1", 480_103_981_056, false),
            disk("nvme1n1", 32_000_000_000, false),
        ];
        let selection = select_disks(&disks, |_| None, &DiskFilter::default());
        assert_eq!(selection.data.len(), 1);
        assert_eq!(selection.fast.len(), 1);
        assert_eq!(selection.rejected.len(), 2);
        assert!(selection.rejected[0]
            .reason
            .contains("smaller than 100000000000 bytes"));
    }

    #[test]
    fn limit_keeps_the_biggest() {
        let mut filter = DiskFilter::default();
        filter.data.limit = 1;
        let disks = vec![
            disk("sdb", 2_000_000_000_000, true),
            disk("sdc", 4_000_000_000_000, true),
        ];
        let selection = select_disks(&disks, |_| None, &filter);
        assert_eq!(selection.data[0].name, "sdc");
        assert!(selection.rejected[0].reason.contains("limit of 1"));
    }
}
