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
