//! What the node probe tries on each zone: MTU, temporary address and test address, derived
//! from the kernel command line as the original node kickstart does (spec network.md §5.3).
//!
//! TODO(issue 4): switch to the hvp-core planner's parameter resolution once it is public, so
//! that the probe and the planner cannot disagree (and fragments count here too). Until then
//! this is a small typed table of the cmdline rules the probe needs: `hvp_<zone>=A/P`,
//! `hvp_<zone>_mtu`, `hvp_<zone>_test_ip`, `hvp_nodes_offset` and the node index.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::error::ProbeError;

/// The node's zones in the original probe order (bash 4.2 hash order, spec §3.3).
pub const NODE_PROBE_ORDER: [&str; 4] = ["gluster", "lan", "mgmt", "internal"];

/// Default node address offset inside each zone (`node_ip_offset`).
const DEFAULT_NODE_OFFSET: u32 = 10;
/// Default test address offset (`test_ip_offset`): the installer's own address.
const DEFAULT_TEST_OFFSET: u32 = 1;
/// Default zone MTU.
const DEFAULT_MTU: u32 = 1500;

/// One zone as the probe tries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneProbe {
    /// Zone name (`mgmt`, `gluster`, `lan`, `internal`).
    pub zone: &'static str,
    /// The zone's network and prefix.
    pub network: Ipv4Net,
    /// The temporary address set on the NIC while probing: this node's own address on the zone.
    pub address: Ipv4Addr,
    /// The address that must answer.
    pub test_ip: Ipv4Addr,
    /// The zone MTU, set on the NIC while probing (pings use full-size frames).
    pub mtu: u32,
}

impl ZoneProbe {
    /// The temporary address with the zone's prefix, as `ip addr add` takes it.
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.address, self.network.prefix_len())
    }
}

fn default_network(zone: &str) -> Ipv4Net {
    let third = match zone {
        "mgmt" => 10,
        "gluster" => 11,
        "lan" => 12,
        _ => 13,
    };
    Ipv4Net::new(Ipv4Addr::new(172, 20, third, 0), 24).unwrap_or_default()
}

fn digits(parameters: &BTreeMap<String, String>, name: &str) -> Option<u32> {
    parameters
        .get(name)
        .filter(|value| !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|value| value.parse().ok())
}

/// Parses `A/P` where P is a prefix length or a dotted netmask; `None` when it does not parse
/// (the original then ignores the parameter, spec §5.3 and §8 item 17).
fn address_and_prefix(value: &str) -> Option<(Ipv4Addr, Ipv4Net)> {
    let (address, mask) = value.split_once('/')?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix = match mask.parse::<u8>() {
        Ok(prefix) => prefix,
        Err(_) => ipnet::ipv4_mask_to_prefix(mask.parse().ok()?).ok()?,
    };
    let network = Ipv4Net::new(address, prefix).ok()?.trunc();
    Some((address, network))
}

fn offset(base: Ipv4Addr, delta: u32, zone: &str) -> Result<Ipv4Addr, ProbeError> {
    u32::from(base)
        .checked_add(delta)
        .map(Ipv4Addr::from)
        .ok_or_else(|| ProbeError::Parameter {
            name: format!("hvp_{zone}"),
            value: base.to_string(),
            problem: format!("adding {delta} leaves the IPv4 address space"),
        })
}

/// The zones a node probes, in probe order, with warnings for parameters that are ignored.
pub fn node_zone_probes(
    parameters: &BTreeMap<String, String>,
    node_index: u32,
) -> Result<(Vec<ZoneProbe>, Vec<String>), ProbeError> {
    let node_offset = digits(parameters, "hvp_nodes_offset").unwrap_or(DEFAULT_NODE_OFFSET);
    let mut warnings = Vec::new();
    let mut probes = Vec::new();
    for zone in NODE_PROBE_ORDER {
        let mut network = default_network(zone);
        let mut explicit = None;
        let name = format!("hvp_{zone}");
        if let Some(value) = parameters.get(&name) {
            match address_and_prefix(value) {
                Some((address, net)) => {
                    network = net;
                    explicit = (address != net.network()).then_some(address);
                }
                None => warnings.push(format!(
                    "kernel parameter {name}={value} ignored: expected ADDRESS/PREFIX such as \
                     172.20.10.0/24 (the original ignores it too)"
                )),
            }
        }
        let mtu_name = format!("hvp_{zone}_mtu");
        let mtu = match parameters.get(&mtu_name) {
            None => DEFAULT_MTU,
            Some(value) => value
                .parse::<u32>()
                .ok()
                .filter(|mtu| (68..=65535).contains(mtu))
                .ok_or_else(|| ProbeError::Parameter {
                    name: mtu_name.clone(),
                    value: value.clone(),
                    problem: "the MTU must be a number from 68 to 65535, e.g. 9000".into(),
                })?,
        };
        let test_name = format!("hvp_{zone}_test_ip");
        let test_ip = match parameters.get(&test_name) {
            None => offset(network.network(), DEFAULT_TEST_OFFSET, zone)?,
            Some(value) => value.parse().map_err(|_| ProbeError::Parameter {
                name: test_name.clone(),
                value: value.clone(),
                problem: "expected an IPv4 address such as 172.20.10.1".into(),
            })?,
        };
        let address = match explicit {
            Some(address) => address,
            None => offset(
                network.network(),
                node_offset.saturating_add(node_index),
                zone,
            )?,
        };
        probes.push(ZoneProbe {
            zone,
            network,
            address,
            test_ip,
            mtu,
        });
    }
    Ok((probes, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_follow_the_original_table() {
        let (probes, warnings) = node_zone_probes(&params(&[]), 1).unwrap();
        assert!(warnings.is_empty());
        let zones: Vec<_> = probes.iter().map(|p| p.zone).collect();
        assert_eq!(zones, ["gluster", "lan", "mgmt", "internal"]);
        let mgmt = &probes[2];
        assert_eq!(mgmt.cidr(), "172.20.10.11/24");
        assert_eq!(mgmt.test_ip, Ipv4Addr::new(172, 20, 10, 1));
        assert_eq!(mgmt.mtu, 1500);
    }

    #[test]
    fn cmdline_overrides_network_mtu_test_ip_and_offsets() {
        let (probes, _) = node_zone_probes(
            &params(&[
                ("hvp_gluster_mtu", "9000"),
                ("hvp_mgmt", "10.0.0.0/255.255.0.0"),
                ("hvp_nodes_offset", "20"),
                ("hvp_lan", "192.168.5.48/24"),
                ("hvp_internal_test_ip", "172.20.13.254"),
            ]),
            2,
        )
        .unwrap();
        assert_eq!(probes[0].mtu, 9000);
        assert_eq!(probes[0].cidr(), "172.20.11.22/24");
        assert_eq!(probes[1].cidr(), "192.168.5.48/24");
        assert_eq!(probes[1].test_ip, Ipv4Addr::new(192, 168, 5, 1));
        assert_eq!(probes[2].cidr(), "10.0.0.22/16");
        assert_eq!(probes[2].test_ip, Ipv4Addr::new(10, 0, 0, 1));
        assert_eq!(probes[3].test_ip, Ipv4Addr::new(172, 20, 13, 254));
    }

    #[test]
    fn a_network_without_prefix_is_ignored_with_a_warning() {
        let (probes, warnings) = node_zone_probes(&params(&[("hvp_mgmt", "10.0.0.0")]), 0).unwrap();
        assert_eq!(probes[2].cidr(), "172.20.10.10/24");
        assert!(warnings[0].contains("hvp_mgmt=10.0.0.0"), "{warnings:?}");
    }

    #[test]
    fn bad_mtu_and_test_ip_are_errors_naming_the_parameter() {
        let error = node_zone_probes(&params(&[("hvp_gluster_mtu", "jumbo")]), 0).unwrap_err();
        assert!(
            error.to_string().contains("hvp_gluster_mtu=jumbo"),
            "{error}"
        );
        let error = node_zone_probes(&params(&[("hvp_lan_test_ip", "1.2.3")]), 0).unwrap_err();
        assert!(error.to_string().contains("hvp_lan_test_ip"), "{error}");
    }
}
