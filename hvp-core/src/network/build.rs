//! Assembles the [`NetworkPlan`] from settings, the NIC assignment and the addresses:
//! device naming and bond numbering, default route, host names, missing zones, oVirt networks.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::fallback::{NetworkRole, RoleAssignment};
use super::ipv4;
use super::mode::Mode;
use super::nics::Assignment;
use super::plan::{
    BondPlan, BootProto, HostIdentity, MemberNic, MissingZone, OvirtNetwork, ZonePlan,
};
use super::probe::Role;
use super::settings::{Settings, ZoneNet};
use super::zone::Zone;

/// Everything the zone plans are built from.
pub(crate) struct ZoneInputs<'a> {
    pub settings: &'a Settings,
    pub assignment: &'a Assignment<'a>,
    pub own: &'a BTreeMap<Zone, Ipv4Addr>,
    pub tests: &'a BTreeMap<Zone, String>,
    pub gateway: Option<&'a str>,
    pub roles: &'a [RoleAssignment],
    pub mode: Mode,
}

/// The order of the `network` lines: nodes by the mode's output order, the installer by priority.
pub(crate) fn output_order(settings: &Settings, mode: Mode) -> Vec<Zone> {
    match settings.role {
        Role::Node => mode.node_output_order(),
        Role::Installer => settings.installer_priority.clone(),
    }
}

/// Whether the gateway lies in `net` (the gateway masked with the zone's mask is its network).
fn gateway_in(gateway: Option<&str>, net: ipnet::Ipv4Net) -> bool {
    gateway
        .and_then(|g| g.parse::<Ipv4Addr>().ok())
        .is_some_and(|g| net.contains(&g))
}

/// The zone that names this host: mgmt on nodes, the management (`dhcp_zone`) zone on the installer.
pub(crate) fn hostname_zone(settings: &Settings, roles: &[RoleAssignment]) -> Option<Zone> {
    match settings.role {
        Role::Node => Some(Zone::Mgmt),
        Role::Installer => super::fallback::zone_of(roles, NetworkRole::Management),
    }
}

/// This machine's short host name.
pub(crate) fn host_name(settings: &Settings) -> String {
    match settings.role {
        Role::Node => settings
            .node_names
            .get(settings.node_index as usize)
            .cloned()
            .unwrap_or_default(),
        Role::Installer => settings.installer_name.clone(),
    }
}

/// Builds the present zones' plans in output order, numbering bonds in that order.
pub(crate) fn zone_plans(inputs: &ZoneInputs) -> Vec<ZonePlan> {
    let settings = inputs.settings;
    let host_zone = hostname_zone(settings, inputs.roles);
    let mut next_bond = 0;
    let mut plans = Vec::new();
    for zone in output_order(settings, inputs.mode) {
        let (Some(members), Some(zs)) = (inputs.assignment.members_of(zone), settings.zone(zone))
        else {
            continue;
        };
        let bonded = members.len() > 1;
        let device = if bonded {
            next_bond += 1;
            format!("bond{}", next_bond - 1)
        } else {
            members
                .first()
                .map(|nic| nic.name.clone())
                .unwrap_or_default()
        };
        let nics: Vec<MemberNic> = members
            .iter()
            .map(|nic| MemberNic {
                name: nic.name.clone(),
                mac: nic.mac.clone(),
            })
            .collect();
        let (bootproto, net) = match zs.net {
            ZoneNet::Dhcp => (BootProto::Dhcp, None),
            ZoneNet::Static(net) => (BootProto::Static, Some(net)),
        };
        let default_route = net.is_some_and(|n| gateway_in(inputs.gateway, n));
        let hostname =
            (Some(zone) == host_zone).then(|| format!("{}.{}", host_name(settings), zs.domain));
        let reverse_zone = net.and_then(|n| {
            ipv4::reverse_zone(n, inputs.mode).or_else(|| default_reverse(zone, inputs.mode))
        });
        plans.push(ZonePlan {
            zone,
            device,
            slaves: if bonded {
                nics.iter().map(|n| n.name.clone()).collect()
            } else {
                Vec::new()
            },
            bond: bonded.then(|| BondPlan {
                mode: zs.bond.mode_name.clone(),
                options: zs.bond.options.clone(),
            }),
            bond_policy: BondPlan {
                mode: zs.bond.mode_name.clone(),
                options: zs.bond.options.clone(),
            },
            nics,
            bootproto,
            address: net.and_then(|_| inputs.own.get(&zone).copied()),
            network: net,
            prefix: net.map(|n| n.prefix_len()),
            netmask: net.map(|n| n.netmask()),
            mtu: net.and(zs.mtu),
            default_route,
            gateway: default_route.then(|| inputs.gateway.unwrap_or_default().to_string()),
            nameserver: default_route.then(|| settings.nameserver.clone()),
            hostname,
            bridge: zs.bridge.clone(),
            domain: zs.domain.clone(),
            reverse_zone,
            test_ip: inputs.tests.get(&zone).cloned(),
        });
    }
    plans
}

fn default_reverse(zone: Zone, mode: Mode) -> Option<String> {
    match super::zone_settings::default_net(zone) {
        ZoneNet::Static(net) => ipv4::reverse_zone(net, mode),
        ZoneNet::Dhcp => None,
    }
}

/// Zones of the role without NICs, and where their roles went.
pub(crate) fn missing_zones(
    settings: &Settings,
    present: &[Zone],
    roles: &[RoleAssignment],
) -> Vec<MissingZone> {
    settings
        .zones
        .iter()
        .map(|zs| zs.zone)
        .filter(|zone| !present.contains(zone))
        .map(|zone| MissingZone {
            zone,
            roles_moved_to: roles
                .iter()
                .filter(|r| r.preferred == zone)
                .map(|r| (role_name(r.role), r.zone))
                .collect(),
        })
        .collect()
}

fn role_name(role: NetworkRole) -> String {
    serde_json::to_value(role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The oVirt logical networks (spec §4.3), roles merged into one set per network.
///
/// Compat names the networks `gluster`, `lan`, `internal` whatever the bridges are called and
/// sets no MTU; the default mode names them after the bridges and carries the zone MTU.
pub(crate) fn ovirt_networks(
    settings: &Settings,
    present: &[Zone],
    mode: Mode,
) -> Vec<OvirtNetwork> {
    let has = |zone: Zone| present.contains(&zone);
    let mut networks = Vec::new();
    let network = |zone: Zone, vm_network: bool, roles: Vec<&str>| {
        let zs = settings.zone(zone)?;
        let name = match (mode, &zs.bridge) {
            (Mode::Default, Some(bridge)) => bridge.clone(),
            (_, Some(bridge)) if zone == Zone::Mgmt => bridge.clone(),
            _ => zone.name().to_string(),
        };
        Some(OvirtNetwork {
            name,
            zone,
            vm_network,
            roles: roles.into_iter().map(str::to_string).collect(),
            mtu: if mode.is_compat() { None } else { zs.mtu },
        })
    };
    if has(Zone::Mgmt) {
        let mut roles = vec!["management"];
        if !has(Zone::Gluster) {
            roles.extend(["gluster", "migration"]);
        }
        if !has(Zone::Lan) {
            roles.push("display");
        }
        networks.extend(network(Zone::Mgmt, true, roles));
    }
    if has(Zone::Gluster) {
        networks.extend(network(Zone::Gluster, false, vec!["gluster", "migration"]));
    }
    if has(Zone::Lan) {
        networks.extend(network(Zone::Lan, true, vec!["display"]));
    }
    if has(Zone::Internal) {
        networks.extend(network(Zone::Internal, true, Vec::new()));
    }
    networks
}

/// This machine's identity.
pub(crate) fn host_identity(settings: &Settings, plans: &[ZonePlan]) -> HostIdentity {
    HostIdentity {
        name: host_name(settings),
        fqdn: plans.iter().find_map(|p| p.hostname.clone()),
        node_index: (settings.role == Role::Node).then_some(settings.node_index),
    }
}
