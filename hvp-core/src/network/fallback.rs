//! Role migration: where each network role lives when its preferred zone is missing
//! (spec §2.5, §4.1, §4.2).

use serde::{Deserialize, Serialize};

use super::probe::Role;
use super::zone::Zone;

/// A job a logical network does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkRole {
    /// oVirt management, hostnames, DNS, PXE/DHCP, Engine, BMCs (the installer's `dhcp_zone`).
    Management,
    /// Gluster replication, live migration, the CTDB lock volume (`gluster_zone`).
    Storage,
    /// The VMs' network and the oVirt display role; the VM domain (`lan_zone`).
    VmNetwork,
    /// The Active Directory domain and its DC address (`ad_zone`).
    ActiveDirectory,
    /// The isolated internal VM network; it has no fallback.
    InternalVm,
    /// The installer's Internet uplink; it has no fallback.
    Uplink,
}

/// Where a role lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// The role.
    pub role: NetworkRole,
    /// The zone built for it.
    pub preferred: Zone,
    /// The zone that carries it; `None` when neither the preferred zone nor its fallback exists.
    pub zone: Option<Zone>,
}

/// Decides where every role of `role`'s kickstart lives, given which zones got NICs.
pub fn assign_roles(role: Role, present: impl Fn(Zone) -> bool) -> Vec<RoleAssignment> {
    let pick = |preferred: Zone, fallback: Option<Zone>| RoleAssignment {
        role: NetworkRole::Management,
        preferred,
        zone: if present(preferred) {
            Some(preferred)
        } else {
            fallback.filter(|z| present(*z))
        },
    };
    let management = match role {
        Role::Node => pick(Zone::Mgmt, None),
        Role::Installer => pick(Zone::Mgmt, Some(Zone::External)),
    };
    let with =
        |assignment: RoleAssignment, role: NetworkRole| RoleAssignment { role, ..assignment };
    let mut roles = vec![
        management,
        with(pick(Zone::Gluster, management.zone), NetworkRole::Storage),
        with(pick(Zone::Lan, Some(Zone::Mgmt)), NetworkRole::VmNetwork),
        with(
            pick(Zone::Lan, management.zone),
            NetworkRole::ActiveDirectory,
        ),
        with(pick(Zone::Internal, None), NetworkRole::InternalVm),
    ];
    if role == Role::Installer {
        roles.push(with(pick(Zone::External, None), NetworkRole::Uplink));
    }
    roles
}

/// The zone carrying a role, if any.
pub fn zone_of(roles: &[RoleAssignment], role: NetworkRole) -> Option<Zone> {
    roles.iter().find(|r| r.role == role).and_then(|r| r.zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(roles: &[RoleAssignment]) -> Vec<(NetworkRole, Option<Zone>)> {
        roles.iter().map(|r| (r.role, r.zone)).collect()
    }

    #[test]
    fn node_falls_back_to_mgmt() {
        let roles = assign_roles(Role::Node, |z| z == Zone::Mgmt);
        assert_eq!(
            zones(&roles),
            [
                (NetworkRole::Management, Some(Zone::Mgmt)),
                (NetworkRole::Storage, Some(Zone::Mgmt)),
                (NetworkRole::VmNetwork, Some(Zone::Mgmt)),
                (NetworkRole::ActiveDirectory, Some(Zone::Mgmt)),
                (NetworkRole::InternalVm, None),
            ]
        );
    }

    #[test]
    fn installer_without_lan_uses_dhcp_zone_for_ad_but_mgmt_for_vms() {
        let roles = assign_roles(Role::Installer, |z| {
            matches!(z, Zone::External | Zone::Gluster)
        });
        assert_eq!(
            zone_of(&roles, NetworkRole::Management),
            Some(Zone::External)
        );
        assert_eq!(zone_of(&roles, NetworkRole::Storage), Some(Zone::Gluster));
        assert_eq!(
            zone_of(&roles, NetworkRole::ActiveDirectory),
            Some(Zone::External)
        );
        assert_eq!(zone_of(&roles, NetworkRole::VmNetwork), None);
        assert_eq!(zone_of(&roles, NetworkRole::Uplink), Some(Zone::External));
    }
}
