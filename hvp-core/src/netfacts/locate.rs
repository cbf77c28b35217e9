//! Matching zone networks to interfaces by their primary IPv4 address.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::Serialize;

use super::error::NetFactsError;
use super::facts::InterfaceFacts;

/// A zone to locate: its name and network; `None` when the zone is absent (given empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRequest {
    /// The zone name (`mgmt`, `gluster`, ...), used as given.
    pub zone: String,
    /// The zone's network; `None` for an absent zone, which is not looked up.
    pub network: Option<Ipv4Net>,
}

impl ZoneRequest {
    /// Parses `ADDRESS/PREFIX` (host bits are cleared); an empty value means the zone is absent.
    pub fn parse(zone: &str, value: &str) -> Result<Self, NetFactsError> {
        let value = value.trim();
        let network = if value.is_empty() {
            None
        } else {
            let net: Ipv4Net = value.parse().map_err(|_| NetFactsError::BadZone {
                zone: zone.to_owned(),
                value: value.to_owned(),
            })?;
            Some(net.trunc())
        };
        Ok(Self {
            zone: zone.to_owned(),
            network,
        })
    }
}

/// Where a zone was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneInterface {
    /// The interface (NIC, bond or bridge, as Ansible names it).
    pub interface: String,
    /// Ansible's interface `type` (`ether`, `bonding`, `bridge`, ...), when known.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The interface's primary IPv4 address.
    pub address: Ipv4Addr,
    /// Its prefix length.
    pub prefix: u8,
    /// Its netmask.
    pub netmask: Ipv4Addr,
    /// The zone network, `N/P`.
    pub network: String,
}

fn with_prefix(address: Ipv4Addr, prefix: u8) -> String {
    format!("{address}/{prefix}")
}

fn not_found(net: Ipv4Net, zone: &str, interfaces: &[InterfaceFacts]) -> String {
    let secondary: Vec<String> = interfaces
        .iter()
        .filter(|i| i.ipv4_secondaries.iter().any(|a| net.contains(&a.address)))
        .map(|i| i.name.clone())
        .collect();
    let primaries: Vec<String> = interfaces
        .iter()
        .filter_map(|i| {
            i.ipv4
                .map(|a| format!("{} {}", i.name, with_prefix(a.address, a.prefix)))
        })
        .collect();
    let mut message =
        format!("zone {zone} ({net}) is on no interface: no primary IPv4 address lies in it");
    if !secondary.is_empty() {
        message.push_str(&format!(
            " (only a secondary address of {}: make it the primary one)",
            secondary.join(", ")
        ));
    }
    message.push_str(&format!(
        "; interfaces with IPv4: {}; check the zone's network and this host's addresses",
        if primaries.is_empty() {
            "none".to_owned()
        } else {
            primaries.join(", ")
        }
    ));
    message
}

/// Finds, for every present zone, the one interface whose primary IPv4 address lies in the
/// zone's network. Every zone found on no interface or on several is reported, all at once.
pub fn locate_zones(
    interfaces: &[InterfaceFacts],
    zones: &[ZoneRequest],
) -> Result<BTreeMap<String, ZoneInterface>, NetFactsError> {
    let mut located = BTreeMap::new();
    let mut problems = Vec::new();
    for request in zones {
        let Some(net) = request.network else {
            continue;
        };
        let zone = request.zone.as_str();
        let matches: Vec<(&InterfaceFacts, Ipv4Addr, u8)> = interfaces
            .iter()
            .filter_map(|i| i.ipv4.map(|a| (i, a.address, a.prefix)))
            .filter(|(_, address, _)| net.contains(address))
            .collect();
        match matches.as_slice() {
            [] => problems.push(not_found(net, zone, interfaces)),
            [(interface, address, prefix)] => {
                let netmask = Ipv4Net::new(*address, *prefix)
                    .map(|n| n.netmask())
                    .unwrap_or(Ipv4Addr::BROADCAST);
                located.insert(
                    request.zone.clone(),
                    ZoneInterface {
                        interface: interface.name.clone(),
                        kind: interface.kind.clone(),
                        address: *address,
                        prefix: *prefix,
                        netmask,
                        network: net.to_string(),
                    },
                );
            }
            several => problems.push(format!(
                "zone {zone} ({net}) is on {} interfaces: {}; a zone must be carried by exactly \
                 one interface (bond the NICs, or remove the address from all but one)",
                several.len(),
                several
                    .iter()
                    .map(|(i, address, prefix)| format!(
                        "{} ({})",
                        i.name,
                        with_prefix(*address, *prefix)
                    ))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(located)
    } else {
        Err(NetFactsError::Unlocated(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::super::facts::Ipv4Fact;
    use super::*;

    fn iface(
        name: &str,
        kind: &str,
        primary: Option<&str>,
        secondaries: &[&str],
    ) -> InterfaceFacts {
        let fact = |text: &str| {
            let net: Ipv4Net = text.parse().unwrap();
            Ipv4Fact {
                address: net.addr(),
                prefix: net.prefix_len(),
            }
        };
        InterfaceFacts {
            name: name.into(),
            kind: Some(kind.into()),
            active: Some(true),
            ipv4: primary.map(fact),
            ipv4_secondaries: secondaries.iter().map(|s| fact(s)).collect(),
        }
    }

    fn zones(pairs: &[(&str, &str)]) -> Vec<ZoneRequest> {
        pairs
            .iter()
            .map(|(z, v)| ZoneRequest::parse(z, v).unwrap())
            .collect()
    }

    fn host() -> Vec<InterfaceFacts> {
        vec![
            iface("bond0", "bonding", Some("172.20.11.10/24"), &[]),
            iface("eth0", "ether", None, &[]),
            iface("lo", "loopback", Some("127.0.0.1/8"), &[]),
            iface(
                "ovirtmgmt",
                "bridge",
                Some("172.20.10.10/24"),
                &["172.20.13.10/24"],
            ),
        ]
    }

    #[test]
    fn finds_the_bridge_and_the_bond() {
        let found = locate_zones(
            &host(),
            &zones(&[
                ("mgmt", "172.20.10.0/24"),
                ("gluster", "172.20.11.0/24"),
                ("lan", ""),
            ]),
        )
        .unwrap();
        assert_eq!(found.len(), 2);
        let mgmt = &found["mgmt"];
        assert_eq!(
            (mgmt.interface.as_str(), mgmt.kind.as_deref(), mgmt.prefix),
            ("ovirtmgmt", Some("bridge"), 24)
        );
        assert_eq!(mgmt.netmask, Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(found["gluster"].interface, "bond0");
        assert_eq!(found["gluster"].network, "172.20.11.0/24");
    }

    #[test]
    fn a_zone_on_no_interface_is_an_error_with_hints() {
        let error = locate_zones(&host(), &zones(&[("internal", "172.20.13.0/24")]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("zone internal (172.20.13.0/24) is on no interface"),
            "{error}"
        );
        assert!(
            error.contains("only a secondary address of ovirtmgmt"),
            "{error}"
        );
        assert!(error.contains("bond0 172.20.11.10/24"), "{error}");
    }

    #[test]
    fn a_zone_on_two_interfaces_names_both_and_all_problems_are_reported() {
        let mut interfaces = host();
        interfaces.push(iface("eth1", "ether", Some("172.20.10.99/24"), &[]));
        let error = locate_zones(
            &interfaces,
            &zones(&[("mgmt", "172.20.10.0/24"), ("lan", "172.20.12.0/24")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains(
                "zone mgmt (172.20.10.0/24) is on 2 interfaces: ovirtmgmt (172.20.10.10/24) \
                 and eth1 (172.20.10.99/24)"
            ),
            "{error}"
        );
        assert!(
            error.contains("zone lan (172.20.12.0/24) is on no interface"),
            "{error}"
        );
    }

    #[test]
    fn zone_values_parse_or_fail_clearly() {
        assert_eq!(ZoneRequest::parse("lan", " ").unwrap().network, None);
        let net = ZoneRequest::parse("mgmt", "172.20.10.7/24")
            .unwrap()
            .network;
        assert_eq!(
            net.map(|n| n.to_string()).as_deref(),
            Some("172.20.10.0/24")
        );
        let error = ZoneRequest::parse("mgmt", "172.20.10.0")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("zone mgmt") && error.contains("ADDRESS/PREFIX"),
            "{error}"
        );
    }
}
