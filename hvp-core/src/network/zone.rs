//! The logical networks ("zones") and the fixed orders in which the planner walks them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A logical network. Declaration order is `mgmt, gluster, lan, internal, external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    /// oVirt management (`ovirtmgmt`): hostnames, PXE/DHCP, DNS, Engine VM, BMCs, default route.
    Mgmt,
    /// Gluster replication and live migration; a non-VM network without a bridge.
    Gluster,
    /// The VMs' main network: display, Active Directory, CTDB client access.
    Lan,
    /// An isolated VM network that also carries CTDB client access.
    Internal,
    /// The installer's Internet uplink (normally a DHCP client); nodes never have it.
    External,
}

impl Zone {
    /// The zones a node knows, in declaration order.
    pub const NODE_ZONES: [Zone; 4] = [Zone::Mgmt, Zone::Gluster, Zone::Lan, Zone::Internal];
    /// The zones the installer knows, in its reference priority (`network_priority`).
    pub const INSTALLER_PRIORITY: [Zone; 5] = [
        Zone::External,
        Zone::Mgmt,
        Zone::Gluster,
        Zone::Lan,
        Zone::Internal,
    ];

    /// The zone's name as used in parameters (`hvp_<name>_mtu`) and documents.
    pub fn name(self) -> &'static str {
        match self {
            Zone::Mgmt => "mgmt",
            Zone::Gluster => "gluster",
            Zone::Lan => "lan",
            Zone::Internal => "internal",
            Zone::External => "external",
        }
    }

    /// Parses a zone name (exact, lowercase).
    pub fn parse(name: &str) -> Option<Zone> {
        Self::INSTALLER_PRIORITY
            .into_iter()
            .find(|zone| zone.name() == name)
    }

    /// The zone's third octet in the hard-coded default networks (`172.20.<n>.0/24`).
    pub(crate) fn default_third_octet(self) -> Option<u8> {
        match self {
            Zone::Mgmt => Some(10),
            Zone::Gluster => Some(11),
            Zone::Lan => Some(12),
            Zone::Internal => Some(13),
            Zone::External => None,
        }
    }

    /// Default bridge name; gluster and external have none.
    pub(crate) fn default_bridge(self) -> Option<&'static str> {
        match self {
            Zone::Mgmt => Some("ovirtmgmt"),
            Zone::Lan => Some("lan"),
            Zone::Internal => Some("internal"),
            Zone::Gluster | Zone::External => None,
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Sorts zones by name, descending (`mgmt, lan, internal, gluster, external`): the order in which
/// the original node kickstart writes its `network` lines and numbers its bonds.
pub fn by_name_descending(zones: &[Zone]) -> Vec<Zone> {
    let mut sorted = zones.to_vec();
    sorted.sort_by(|a, b| b.name().cmp(a.name()));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for zone in Zone::INSTALLER_PRIORITY {
            assert_eq!(Zone::parse(zone.name()), Some(zone));
        }
        assert_eq!(Zone::parse("MGMT"), None);
    }

    #[test]
    fn name_descending_order_is_the_original_output_order() {
        assert_eq!(
            by_name_descending(&Zone::NODE_ZONES),
            vec![Zone::Mgmt, Zone::Lan, Zone::Internal, Zone::Gluster]
        );
    }
}
