//! DNS records of the storage name: on every zone with public addresses, one A record per
//! address, TTL 1, so clients get the addresses round robin and re-resolve at once (the
//! original's `discord` records).

use super::model::{DnsRecord, PublicZone};
use super::vars::quoted;
use crate::report::Problem;

/// The records, zone by zone in the public-address order.
pub fn records(
    storage_name: &str,
    zones: &[PublicZone],
    problems: &mut Vec<Problem>,
) -> Vec<DnsRecord> {
    let label_ok = !storage_name.is_empty()
        && storage_name.len() <= 63
        && !storage_name.starts_with('-')
        && !storage_name.ends_with('-')
        && storage_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !label_ok {
        problems.push(Problem::error(
            "variable hvp_storage_name",
            format!("{} is not a DNS host name", quoted(storage_name)),
            "use 1 to 63 letters, digits or inner '-', e.g. discord",
        ));
    }
    zones
        .iter()
        .flat_map(|zone| {
            zone.addresses.iter().map(move |address| DnsRecord {
                zone: zone.zone,
                name: format!("{storage_name}.{}.", zone.domain.trim_end_matches('.')),
                ttl: 1,
                address: *address,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Zone;
    use std::net::Ipv4Addr;

    fn zone(domain: &str, count: u8) -> PublicZone {
        PublicZone {
            zone: Zone::Lan,
            interface: "lan".into(),
            prefix: 24,
            domain: domain.into(),
            addresses: (0..count)
                .map(|k| Ipv4Addr::new(10, 0, 0, 30 + k))
                .collect(),
        }
    }

    #[test]
    fn one_record_per_address_ttl_one() {
        let mut problems = Vec::new();
        let records = records("discord", &[zone("lan.private.", 3)], &mut problems);
        assert!(problems.is_empty());
        assert_eq!(records.len(), 3);
        assert!(records
            .iter()
            .all(|r| r.name == "discord.lan.private." && r.ttl == 1));
        assert_eq!(records[2].address, Ipv4Addr::new(10, 0, 0, 32));
    }

    #[test]
    fn storage_name_must_be_a_host_label() {
        for bad in ["", "-x", "x-", "a.b", "a b", &"x".repeat(64)] {
            let mut problems = Vec::new();
            records(bad, &[], &mut problems);
            assert_eq!(problems.len(), 1, "{bad:?}");
        }
        let mut problems = Vec::new();
        records("disc-ord1", &[], &mut problems);
        assert!(problems.is_empty());
    }
}
