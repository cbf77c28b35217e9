//! The raw interface listing: every entry of `/sys/class/net`, with carrier, MAC and maximum MTU.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::ProbeError;
use super::iproute::Link;

/// One entry of `/sys/class/net`, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNic {
    /// Entry name (`eth0`, `lo`, `bonding_masters`, ...).
    pub name: String,
    /// Hardware address from sysfs, lowercase; `None` when the entry has none.
    pub mac: Option<String>,
    /// True only when sysfs `carrier` reads exactly `1` (unreadable when the link is down).
    pub carrier: bool,
    /// `max_mtu` as `ip -details` reports it; `None` when unreported or 0.
    pub max_mtu: Option<u32>,
    /// True when `ip link` knows the entry as an interface (`bonding_masters` is a file).
    pub is_link: bool,
}

/// Lists `dir` (normally `/sys/class/net`) sorted byte-wise by name, joined with `links`.
pub fn raw_listing(dir: &Path, links: &[Link]) -> Result<Vec<RawNic>, ProbeError> {
    let read_error = |source| ProbeError::Read {
        path: dir.to_owned(),
        source,
    };
    let by_name: BTreeMap<&str, &Link> = links.iter().map(|l| (l.ifname.as_str(), l)).collect();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names
        .into_iter()
        .map(|name| {
            let entry = dir.join(&name);
            let read = |file: &str| {
                std::fs::read_to_string(entry.join(file))
                    .ok()
                    .map(|text| text.trim().to_owned())
            };
            let link = by_name.get(name.as_str());
            let mac = read("address")
                .filter(|mac| !mac.is_empty())
                .map(|mac| mac.to_ascii_lowercase());
            RawNic {
                carrier: read("carrier").as_deref() == Some("1"),
                // `ip` reports 0 when the driver sets no limit (lo): no maximum known.
                max_mtu: link.and_then(|l| l.max_mtu).filter(|max| *max > 0),
                is_link: link.is_some(),
                mac,
                name,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_a_fake_sysfs_sorted_bytewise() {
        let dir = tempfile::tempdir().unwrap();
        for (name, carrier) in [("eth2", "1\n"), ("eth10", "0\n"), ("lo", "1\n")] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
            std::fs::write(dir.path().join(name).join("carrier"), carrier).unwrap();
            std::fs::write(dir.path().join(name).join("address"), "52:54:00:AA:00:01\n").unwrap();
        }
        std::fs::write(dir.path().join("bonding_masters"), "bond0\n").unwrap();
        let listing = raw_listing(dir.path(), &[]).unwrap();
        let names: Vec<_> = listing.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["bonding_masters", "eth10", "eth2", "lo"]);
        assert!(!listing[0].carrier && listing[0].mac.is_none());
        assert!(!listing[1].carrier);
        assert!(listing[2].carrier);
        assert_eq!(listing[2].mac.as_deref(), Some("52:54:00:aa:00:01"));
    }
}
