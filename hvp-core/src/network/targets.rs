//! What a probe program must test on each NIC before the planner can decide: per zone, the MTU
//! to set, the temporary address to add and the test address to ping (node), or DHCP (installer).

use std::net::Ipv4Addr;

use serde::Serialize;

use super::error::Findings;
use super::mode::Mode;
use super::probe::{ProbeDocument, Role};
use super::settings::{self, ZoneNet};
use super::zone::Zone;
use super::{addressing, PlanError};

/// One zone to try on every connected NIC, in the order the planner tries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeTarget {
    /// The zone.
    pub zone: Zone,
    /// True when the zone is tested by asking for a DHCP lease (installer external uplink).
    pub dhcp: bool,
    /// MTU to set (and read back) before testing; `None` when it cannot be set at all.
    pub mtu: Option<u32>,
    /// Temporary address to add during the test.
    pub address: Option<Ipv4Addr>,
    /// Prefix length of the temporary address.
    pub prefix: Option<u8>,
    /// Address to ping (node role): all of 3 echo requests must answer.
    pub test_ip: Option<String>,
}

/// The probe targets for a document's role and parameters (its `nics` are not used).
pub fn probe_targets(doc: &ProbeDocument, mode: Mode) -> Result<Vec<ProbeTarget>, PlanError> {
    let mut findings = Findings::default();
    let settings = settings::resolve(doc, mode, &mut findings);
    let own = addressing::own_addresses(&settings, &mut findings);
    let tests = addressing::test_addresses(&settings, &mut findings);
    findings.check()?;
    let order: Vec<Zone> = match doc.role {
        Role::Node => mode.node_probe_order().to_vec(),
        Role::Installer => settings.installer_priority.clone(),
    };
    Ok(order
        .into_iter()
        .filter_map(|zone| {
            let zs = settings.zone(zone)?;
            Some(match zs.net {
                ZoneNet::Dhcp => ProbeTarget {
                    zone,
                    dhcp: true,
                    mtu: None,
                    address: None,
                    prefix: None,
                    test_ip: None,
                },
                ZoneNet::Static(net) => ProbeTarget {
                    zone,
                    dhcp: false,
                    mtu: zs.mtu,
                    address: own.get(&zone).copied(),
                    prefix: Some(net.prefix_len()),
                    test_ip: tests.get(&zone).cloned(),
                },
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_targets_follow_the_probe_order() {
        let doc = ProbeDocument::from_json(
            r#"{"role": "node", "node_index": 2, "parameters": {"hvp_gluster_mtu": "9000"}, "nics": []}"#,
        )
        .unwrap();
        let targets = probe_targets(&doc, Mode::Compat).unwrap();
        let zones: Vec<Zone> = targets.iter().map(|t| t.zone).collect();
        assert_eq!(
            zones,
            [Zone::Gluster, Zone::Lan, Zone::Mgmt, Zone::Internal]
        );
        assert_eq!(targets[0].mtu, Some(9000));
        assert_eq!(targets[0].address, Some(Ipv4Addr::new(172, 20, 11, 12)));
        assert_eq!(targets[0].test_ip.as_deref(), Some("172.20.11.1"));
        assert_eq!(
            probe_targets(&doc, Mode::Default).unwrap()[0].zone,
            Zone::Mgmt
        );
    }

    #[test]
    fn installer_targets_start_with_dhcp() {
        let doc = ProbeDocument::from_json(r#"{"role": "installer", "nics": []}"#).unwrap();
        let targets = probe_targets(&doc, Mode::Compat).unwrap();
        assert!(targets[0].dhcp);
        assert_eq!(targets[0].zone, Zone::External);
        assert_eq!(targets[1].address, Some(Ipv4Addr::new(172, 20, 10, 1)));
    }
}
