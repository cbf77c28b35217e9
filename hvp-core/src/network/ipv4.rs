//! Classless IPv4 arithmetic ("ipmat"/"ipdiff" of the original) and reverse-DNS names.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::mode::Mode;

/// Adding an offset left the IPv4 address space.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{base} {sign} {magnitude} is outside the IPv4 address space")]
pub struct OutOfAddressSpace {
    /// The starting address.
    pub base: Ipv4Addr,
    /// `+` or `-`.
    pub sign: char,
    /// Absolute value of the offset.
    pub magnitude: u64,
}

/// `base + delta` as 32-bit integer arithmetic: carries cross octet boundaries
/// (`172.20.10.250 + 10 = 172.20.11.4`).
pub fn offset(base: Ipv4Addr, delta: i64) -> Result<Ipv4Addr, OutOfAddressSpace> {
    let value = i64::from(u32::from(base)) + delta;
    u32::try_from(value)
        .map(Ipv4Addr::from)
        .map_err(|_| OutOfAddressSpace {
            base,
            sign: if delta < 0 { '-' } else { '+' },
            magnitude: delta.unsigned_abs(),
        })
}

/// `|a - b|` as integers ("ipdiff").
pub fn distance(a: Ipv4Addr, b: Ipv4Addr) -> u32 {
    u32::from(a).abs_diff(u32::from(b))
}

/// Whether `address` can be given to a host in `net`: inside it and, for prefixes up to /30,
/// neither its network nor its broadcast address.
pub fn is_host_address(net: Ipv4Net, address: Ipv4Addr) -> bool {
    if !net.contains(&address) {
        return false;
    }
    if net.prefix_len() >= 31 {
        return true;
    }
    address != net.network() && address != net.broadcast()
}

/// The first `octets` octets of an address, in forward order (`"172.20.10"` for 3).
fn leading_octets(address: Ipv4Addr, octets: usize) -> Vec<String> {
    address.octets()[..octets]
        .iter()
        .map(u8::to_string)
        .collect()
}

/// Number of whole octets of the octet-aligned reverse zone that encloses a prefix.
fn reverse_octets(prefix: u8) -> usize {
    usize::from(prefix.min(24) / 8)
}

/// The reverse DNS zone of a network: the enclosing octet-aligned zone
/// (`/22` of 10.1.4.0 → `1.10.in-addr.arpa`).
///
/// Returns `None` when the original leaves the old value in place: compat mode with a prefix
/// below 8. The default mode answers `in-addr.arpa` there.
pub fn reverse_zone(net: Ipv4Net, mode: Mode) -> Option<String> {
    let octets = reverse_octets(net.prefix_len());
    if octets == 0 && mode.is_compat() {
        return None;
    }
    let mut labels = leading_octets(net.network(), octets);
    labels.reverse();
    labels.push("in-addr.arpa".to_string());
    Some(labels.join("."))
}

/// The owner name of an address's PTR record inside the reverse zone of `net`.
///
/// Compat keeps the original bug: the remaining octets stay in forward order
/// (10.0.0.1 in `0.10.in-addr.arpa` → `0.1`); the default mode reverses them (`1.0`).
pub fn ptr_owner(net: Ipv4Net, address: Ipv4Addr, mode: Mode) -> String {
    let skipped = reverse_octets(net.prefix_len()).max(1);
    let mut rest: Vec<String> = address.octets()[skipped..]
        .iter()
        .map(u8::to_string)
        .collect();
    if !mode.is_compat() {
        rest.reverse();
    }
    rest.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Ipv4Addr {
        text.parse().unwrap()
    }

    fn net(text: &str) -> Ipv4Net {
        text.parse().unwrap()
    }

    #[test]
    fn offsets_carry_across_octets() {
        assert_eq!(offset(ip("172.20.10.250"), 10).unwrap(), ip("172.20.11.4"));
        assert_eq!(offset(ip("10.0.0.0"), 300).unwrap(), ip("10.0.1.44"));
        assert_eq!(
            offset(ip("172.20.10.254"), -1 + 200).unwrap(),
            ip("172.20.11.197")
        );
        assert_eq!(offset(ip("10.1.0.0"), 0).unwrap(), ip("10.1.0.0"));
    }

    #[test]
    fn offsets_outside_the_address_space_are_errors() {
        let err = offset(ip("255.255.255.250"), 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "255.255.255.250 + 10 is outside the IPv4 address space"
        );
        assert!(offset(ip("0.0.0.3"), -4).is_err());
        assert_eq!(offset(ip("0.0.0.3"), -3).unwrap(), ip("0.0.0.0"));
    }

    #[test]
    fn distance_is_symmetric() {
        assert_eq!(distance(ip("172.20.10.1"), ip("172.20.10.0")), 1);
        assert_eq!(distance(ip("172.20.10.0"), ip("172.20.11.4")), 260);
    }

    #[test]
    fn host_addresses_in_a_slash_16() {
        let n = net("10.0.0.0/16");
        assert!(is_host_address(n, ip("10.0.0.1")));
        assert!(is_host_address(n, ip("10.0.255.254")));
        assert!(is_host_address(n, offset(ip("10.0.0.0"), 300).unwrap()));
        assert!(!is_host_address(n, ip("10.0.0.0")));
        assert!(!is_host_address(n, ip("10.0.255.255")));
        assert!(!is_host_address(n, ip("10.1.0.1")));
    }

    #[test]
    fn host_addresses_in_a_slash_22() {
        let n = net("172.16.4.0/22");
        assert!(is_host_address(n, offset(ip("172.16.4.0"), 1000).unwrap()));
        assert!(!is_host_address(n, offset(ip("172.16.4.0"), 1023).unwrap()));
        assert!(!is_host_address(n, offset(ip("172.16.4.0"), 1024).unwrap()));
        assert_eq!(
            reverse_zone(n, Mode::Compat).unwrap(),
            "16.172.in-addr.arpa"
        );
    }

    #[test]
    fn host_addresses_in_a_slash_30() {
        let n = net("192.0.2.4/30");
        let hosts: Vec<bool> = (0..5)
            .map(|k| is_host_address(n, offset(ip("192.0.2.4"), k).unwrap()))
            .collect();
        assert_eq!(hosts, [false, true, true, false, false]);
        assert_eq!(
            reverse_zone(n, Mode::Default).unwrap(),
            "2.0.192.in-addr.arpa"
        );
    }

    #[test]
    fn offsets_that_leave_a_slash_24() {
        let n = net("172.20.10.0/24");
        // The spec's row 7: an explicit .48 moves the AD DC base to .38 + 220 = next /24.
        let ad_dc = offset(ip("172.20.10.38"), 220).unwrap();
        assert_eq!(ad_dc, ip("172.20.11.2"));
        assert!(!is_host_address(n, ad_dc));
    }

    #[test]
    fn reverse_zones_follow_octet_boundaries() {
        assert_eq!(
            reverse_zone(net("172.20.10.0/24"), Mode::Compat).unwrap(),
            "10.20.172.in-addr.arpa"
        );
        assert_eq!(
            reverse_zone(net("192.0.2.0/25"), Mode::Compat).unwrap(),
            "2.0.192.in-addr.arpa"
        );
        assert_eq!(
            reverse_zone(net("10.0.0.0/16"), Mode::Compat).unwrap(),
            "0.10.in-addr.arpa"
        );
        assert_eq!(
            reverse_zone(net("10.0.0.0/8"), Mode::Compat).unwrap(),
            "10.in-addr.arpa"
        );
        assert_eq!(reverse_zone(net("8.0.0.0/7"), Mode::Compat), None);
        assert_eq!(
            reverse_zone(net("8.0.0.0/7"), Mode::Default).unwrap(),
            "in-addr.arpa"
        );
    }

    #[test]
    fn ptr_owners_keep_the_compat_bug() {
        let n = net("10.0.0.0/16");
        assert_eq!(ptr_owner(n, ip("10.0.0.1"), Mode::Compat), "0.1");
        assert_eq!(ptr_owner(n, ip("10.0.0.200"), Mode::Compat), "0.200");
        assert_eq!(ptr_owner(n, ip("10.0.0.1"), Mode::Default), "1.0");
        let n24 = net("172.20.10.0/24");
        assert_eq!(ptr_owner(n24, ip("172.20.10.11"), Mode::Compat), "11");
        assert_eq!(ptr_owner(n24, ip("172.20.10.11"), Mode::Default), "11");
    }
}
