//! What the node probe tries on each zone, straight from the planner: the zone MTU, the
//! temporary address (this node's own address on the zone) and the test address, in the
//! planner's probe order ([`hvp_core::network::targets::probe_targets`]). Probe and planner
//! therefore resolve defaults, fragments and kernel parameters identically.

use std::net::Ipv4Addr;

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::targets::{probe_targets, ProbeTarget};
use hvp_core::network::{Mode, Zone};

use super::error::ProbeError;

/// One zone as the node probe tries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneProbe {
    /// The zone.
    pub zone: Zone,
    /// The temporary address set on the NIC while probing.
    pub address: Ipv4Addr,
    /// Its prefix length.
    pub prefix: u8,
    /// The address that must answer.
    pub test_ip: Ipv4Addr,
    /// The zone MTU, set on the NIC while probing (pings use full-size frames).
    pub mtu: u32,
}

impl ZoneProbe {
    /// The temporary address with the zone's prefix, as `ip addr add` takes it.
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.address, self.prefix)
    }
}

fn zone_probe(target: &ProbeTarget) -> Result<ZoneProbe, String> {
    let zone = target.zone;
    let mtu = target
        .mtu
        .ok_or_else(|| format!("{zone}: not probed, its MTU cannot be set on any NIC"))?;
    let (address, prefix) = target
        .address
        .zip(target.prefix)
        .ok_or_else(|| format!("{zone}: not probed, it has no address for this node"))?;
    let text = target.test_ip.as_deref().unwrap_or_default();
    let test_ip = text.parse().map_err(|_| {
        format!("{zone}: not probed, its test address '{text}' is not an IPv4 address")
    })?;
    Ok(ZoneProbe {
        zone,
        address,
        prefix,
        test_ip,
        mtu,
    })
}

/// The zones a node probes, in the planner's probe order for `mode`, with a note for each
/// zone that cannot be probed. `doc` supplies role, node index, parameters and fragments.
pub fn node_zone_probes(
    doc: &ProbeDocument,
    mode: Mode,
) -> Result<(Vec<ZoneProbe>, Vec<String>), ProbeError> {
    let targets = probe_targets(doc, mode).map_err(|error| ProbeError::Settings {
        detail: error.to_string(),
    })?;
    let mut probes = Vec::new();
    let mut notes = Vec::new();
    for target in targets.iter().filter(|target| !target.dhcp) {
        match zone_probe(target) {
            Ok(probe) => probes.push(probe),
            Err(note) => notes.push(note),
        }
    }
    Ok((probes, notes))
}

/// True when the role's zones include one tested by DHCP (the installer's external uplink,
/// unless made static).
pub fn wants_dhcp(doc: &ProbeDocument, mode: Mode) -> Result<bool, ProbeError> {
    let targets = probe_targets(doc, mode).map_err(|error| ProbeError::Settings {
        detail: error.to_string(),
    })?;
    Ok(targets.iter().any(|target| target.dhcp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> ProbeDocument {
        ProbeDocument::from_json(json).unwrap()
    }

    #[test]
    fn compat_defaults_follow_the_original_table() {
        let (probes, notes) =
            node_zone_probes(&doc(r#"{"role": "node", "node_index": 1}"#), Mode::Compat).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let zones: Vec<_> = probes.iter().map(|p| p.zone).collect();
        assert_eq!(
            zones,
            [Zone::Gluster, Zone::Lan, Zone::Mgmt, Zone::Internal]
        );
        let mgmt = &probes[2];
        assert_eq!(mgmt.cidr(), "172.20.10.11/24");
        assert_eq!(mgmt.test_ip, Ipv4Addr::new(172, 20, 10, 1));
        assert_eq!(mgmt.mtu, 1500);
    }

    #[test]
    fn parameters_move_networks_mtus_and_test_addresses() {
        let (probes, _) = node_zone_probes(
            &doc(
                r#"{"role": "node", "parameters": {"hvp_nodeid": "2", "hvp_gluster_mtu": "9000",
                    "hvp_mgmt": "10.0.0.0/16", "hvp_nodes_offset": "20",
                    "hvp_internal_test_ip": "172.20.13.254"}}"#,
            ),
            Mode::Default,
        )
        .unwrap();
        assert_eq!(probes[0].zone, Zone::Mgmt);
        assert_eq!(probes[0].cidr(), "10.0.0.22/16");
        assert_eq!(probes[0].test_ip, Ipv4Addr::new(10, 0, 0, 1));
        assert_eq!(probes[1].mtu, 9000);
        assert_eq!(probes[1].cidr(), "172.20.11.22/24");
        assert_eq!(probes[3].test_ip, Ipv4Addr::new(172, 20, 13, 254));
    }

    #[test]
    fn bad_parameters_are_errors_naming_the_parameter() {
        let error = node_zone_probes(
            &doc(r#"{"role": "node", "parameters": {"hvp_gluster_mtu": "jumbo"}}"#),
            Mode::Default,
        )
        .unwrap_err();
        assert!(error.to_string().contains("hvp_gluster_mtu"), "{error}");
    }
}
