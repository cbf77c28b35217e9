//! Addresses: this machine's own address on each zone, test addresses, the gateway, and the
//! cluster's derived addresses from network + offsets (spec §5.3, §5.4).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::error::Findings;
use super::fallback::{zone_of, NetworkRole, RoleAssignment};
use super::ipv4;
use super::mode::Mode;
use super::plan::{AddressRange, ClusterAddresses, NodeAddresses, ZoneAddresses};
use super::probe::Role;
use super::settings::{Settings, ZoneNet};
use super::zone::Zone;

/// `base + delta`, recording a problem (naming the setting to change) when it leaves IPv4.
fn add(
    base: Ipv4Addr,
    delta: i64,
    what: &str,
    fix: &str,
    findings: &mut Findings,
) -> Option<Ipv4Addr> {
    match ipv4::offset(base, delta) {
        Ok(address) => Some(address),
        Err(err) => {
            findings.problem(what, err.to_string(), fix);
            None
        }
    }
}

fn i(value: u32) -> i64 {
    i64::from(value)
}

/// This machine's address on every static zone, computed before any NIC is probed.
///
/// Node: the explicit address, else network + node offset + node index.
/// Installer: the explicit address, else network + `my_ip_offset`.
pub(crate) fn own_addresses(
    settings: &Settings,
    findings: &mut Findings,
) -> BTreeMap<Zone, Ipv4Addr> {
    let mut own = BTreeMap::new();
    for zs in &settings.zones {
        let ZoneNet::Static(net) = zs.net else {
            continue;
        };
        let address = match (zs.explicit_ip, settings.role) {
            (Some(address), _) => Some(address),
            (None, Role::Node) => add(
                net.network(),
                i(settings.offsets.node) + i(settings.node_index),
                &format!("node address on {}", zs.zone),
                "lower hvp_nodes_offset or hvp_nodeid",
                findings,
            ),
            (None, Role::Installer) => add(
                net.network(),
                i(settings.offsets.installer),
                &format!("installer address on {}", zs.zone),
                &format!("set hvp_{}_my_ip", zs.zone),
                findings,
            ),
        };
        if let Some(address) = address {
            warn_if_installer_disagrees(settings, zs.zone, net, zs.explicit_ip, findings);
            own.insert(zs.zone, address);
        }
    }
    own
}

/// Default mode: an explicit node address that is not `network + node offset + index` is kept,
/// but the installer's DNS and the Engine's DNS list will name the computed address.
fn warn_if_installer_disagrees(
    settings: &Settings,
    zone: Zone,
    net: ipnet::Ipv4Net,
    explicit: Option<Ipv4Addr>,
    findings: &mut Findings,
) {
    let (Some(explicit), Role::Node, false) = (explicit, settings.role, settings.mode.is_compat())
    else {
        return;
    };
    let computed = ipv4::offset(
        net.network(),
        i(settings.offsets.node) + i(settings.node_index),
    );
    if let Some(computed) = computed.ok().filter(|c| *c != explicit) {
        findings.warn(format!(
            "hvp_{zone}: this node's explicit address {explicit} differs from {computed} (network + \
             hvp_nodes_offset + node index), which the installer's DNS lists for node {}; give both \
             the same hvp_nodes_offset or drop the explicit address",
            settings.node_index
        ));
    }
}

/// A node's test address per zone (explicit, else network + test offset), as text: the
/// original takes explicit test addresses unvalidated.
pub(crate) fn test_addresses(
    settings: &Settings,
    findings: &mut Findings,
) -> BTreeMap<Zone, String> {
    let mut tests = BTreeMap::new();
    if settings.role != Role::Node {
        return tests;
    }
    for zs in &settings.zones {
        let text = match (&zs.test_ip, zs.net) {
            (Some(text), _) => Some(text.clone()),
            (None, ZoneNet::Static(net)) => add(
                net.network(),
                i(settings.offsets.test),
                &format!("test address of {}", zs.zone),
                &format!("set hvp_{}_test_ip", zs.zone),
                findings,
            )
            .map(|a| a.to_string()),
            (None, ZoneNet::Dhcp) => None,
        };
        if let Some(text) = text {
            tests.insert(zs.zone, text);
        }
    }
    tests
}

/// The configured gateway: explicit, else the node's mgmt test address, else (installer) `dhcp`.
pub(crate) fn gateway(settings: &Settings, tests: &BTreeMap<Zone, String>) -> Option<String> {
    settings.gateway.clone().or_else(|| match settings.role {
        Role::Node => tests.get(&Zone::Mgmt).cloned(),
        Role::Installer => Some("dhcp".to_string()),
    })
}

/// Whether node `index` is the machine being planned.
fn is_this_node(settings: &Settings, index: u32) -> bool {
    settings.role == Role::Node && settings.node_index == index
}

/// Number of nodes that serve storage: a 3-node cluster has an arbiter, so 2.
pub(crate) fn active_storage_nodes(node_count: u32) -> u32 {
    if node_count == 3 {
        2
    } else {
        node_count
    }
}

/// Inputs of the cluster address derivation.
pub(crate) struct ClusterInputs<'a> {
    pub settings: &'a Settings,
    pub own: &'a BTreeMap<Zone, Ipv4Addr>,
    pub tests: &'a BTreeMap<Zone, String>,
    pub present: &'a [Zone],
    pub roles: &'a [RoleAssignment],
    pub mode: Mode,
}

impl ClusterInputs<'_> {
    fn network(&self, zone: Zone) -> Option<Ipv4Addr> {
        match self.settings.zone(zone)?.net {
            ZoneNet::Static(net) if self.present.contains(&zone) => Some(net.network()),
            _ => None,
        }
    }

    /// The base other addresses count from. Compat: node `my_ip − idx − node offset`,
    /// installer `my_ip − my_ip_offset`, so an explicit address shifts everything. Default:
    /// the zone's network, so nodes and installer agree. Only for present zones.
    fn base(&self, zone: Zone, findings: &mut Findings) -> Option<Ipv4Addr> {
        if !self.present.contains(&zone) {
            return None;
        }
        if !self.mode.is_compat() {
            return self.network(zone);
        }
        let own = *self.own.get(&zone)?;
        let offsets = &self.settings.offsets;
        let back = match self.settings.role {
            Role::Node => i(self.settings.node_index) + i(offsets.node),
            Role::Installer => i(offsets.installer),
        };
        add(
            own,
            -back,
            &format!("address base of {zone}"),
            &format!("check hvp_{zone} and hvp_nodes_offset"),
            findings,
        )
    }
}

/// Derives every cluster address this machine knows about.
pub(crate) fn cluster_addresses(
    inputs: &ClusterInputs,
    findings: &mut Findings,
) -> ClusterAddresses {
    let settings = inputs.settings;
    let offsets = &settings.offsets;
    let count = settings.node_count;
    let active = active_storage_nodes(count);
    let management = zone_of(inputs.roles, NetworkRole::Management);
    let ad_zone = zone_of(inputs.roles, NetworkRole::ActiveDirectory);
    // Node role counts from its own address; the installer counts from the network address.
    let node_base = |zone: Zone, findings: &mut Findings| match settings.role {
        Role::Node if inputs.mode.is_compat() => inputs
            .own
            .get(&zone)
            .filter(|_| inputs.present.contains(&zone))
            .and_then(|own| {
                add(
                    *own,
                    -i(settings.node_index),
                    &format!("node addresses on {zone}"),
                    "check hvp_nodeid",
                    findings,
                )
            }),
        Role::Node | Role::Installer => inputs.network(zone).and_then(|n| {
            add(
                n,
                i(offsets.node),
                &format!("node addresses on {zone}"),
                "lower hvp_nodes_offset",
                findings,
            )
        }),
    };
    let service_base = |zone: Option<Zone>, findings: &mut Findings| match settings.role {
        Role::Node => zone.and_then(|z| inputs.base(z, findings)),
        Role::Installer => zone.and_then(|z| inputs.base(z, findings)),
    };
    let mgmt_base = service_base(management, findings);
    let ad_base = service_base(ad_zone, findings);
    let per_index_base = match settings.role {
        Role::Node => mgmt_base,
        Role::Installer => management.and_then(|z| inputs.network(z)),
    };

    let zone_bases: Vec<(Zone, Option<Ipv4Addr>)> = inputs
        .present
        .iter()
        .filter(|z| **z != Zone::External)
        .map(|&z| (z, node_base(z, findings)))
        .collect();
    let mut nodes = Vec::new();
    for index in 0..count {
        let mut addresses = BTreeMap::new();
        for (zone, base) in &zone_bases {
            let own = inputs
                .own
                .get(zone)
                .filter(|_| is_this_node(settings, index));
            if let Some(address) = own.copied().or_else(|| {
                base.and_then(|b| {
                    add(
                        b,
                        i(index),
                        &format!("node {index} address on {zone}"),
                        "lower hvp_nodecount or hvp_nodes_offset",
                        findings,
                    )
                })
            }) {
                addresses.insert(*zone, address);
            }
        }
        let bmc = per_index_base.and_then(|b| {
            add(
                b,
                i(offsets.bmc) + i(index),
                &format!("BMC of node {index}"),
                "lower hvp_bmcs_offset",
                findings,
            )
        });
        let name = settings
            .node_names
            .get(index as usize)
            .cloned()
            .unwrap_or_default();
        nodes.push(NodeAddresses {
            index,
            name,
            addresses,
            bmc,
        });
    }

    let service = |explicit: Option<Ipv4Addr>,
                   base: Option<Ipv4Addr>,
                   offset: u32,
                   what: &str,
                   findings: &mut Findings| {
        explicit.or_else(|| {
            base.and_then(|b| add(b, i(offset), what, &format!("set hvp_{what}"), findings))
        })
    };
    let switch = service(
        settings.explicit.switch,
        mgmt_base,
        offsets.switch,
        "switch",
        findings,
    );
    let engine = service(
        settings.explicit.engine,
        mgmt_base,
        offsets.engine,
        "engine",
        findings,
    );
    let metrics = service(
        settings.explicit.metrics,
        mgmt_base,
        offsets.metrics,
        "metrics",
        findings,
    );
    let ad_dc = service(
        settings.explicit.ad_dc,
        ad_base,
        offsets.ad_dc,
        "ad_dc",
        findings,
    );

    let storage_zones: Vec<Zone> = inputs
        .mode
        .node_probe_order()
        .into_iter()
        .filter(|z| {
            matches!(z, Zone::Mgmt | Zone::Lan | Zone::Internal) && inputs.present.contains(z)
        })
        .collect();
    let mut storage = Vec::new();
    for zone in storage_zones {
        let base = match settings.role {
            Role::Node => inputs.base(zone, findings),
            Role::Installer => inputs.network(zone),
        };
        let Some(base) = base else { continue };
        let addresses = (0..active)
            .filter_map(|k| {
                add(
                    base,
                    i(offsets.storage) + i(k),
                    &format!("storage address {k} on {zone}"),
                    "lower hvp_storage_offset",
                    findings,
                )
            })
            .collect();
        storage.push(ZoneAddresses { zone, addresses });
    }

    let installer = match settings.role {
        Role::Node => inputs
            .tests
            .get(&Zone::Mgmt)
            .filter(|_| inputs.present.contains(&Zone::Mgmt))
            .and_then(|t| t.parse().ok()),
        Role::Installer => inputs
            .own
            .get(&Zone::Mgmt)
            .copied()
            .filter(|_| inputs.present.contains(&Zone::Mgmt)),
    };
    let dhcp_pools = match settings.role {
        Role::Node => Vec::new(),
        Role::Installer => dhcp_pools(inputs, management, findings),
    };
    ClusterAddresses {
        node_count: count,
        master_index: settings.master_index,
        offsets: settings.offsets,
        active_storage_nodes: active,
        nodes,
        installer,
        switch,
        engine,
        metrics,
        ad_dc,
        storage,
        dhcp_pools,
    }
}

fn dhcp_pools(
    inputs: &ClusterInputs,
    management: Option<Zone>,
    findings: &mut Findings,
) -> Vec<AddressRange> {
    let offsets = &inputs.settings.offsets;
    if offsets.dhcp_count == 0 {
        return Vec::new();
    }
    let mut zones: Vec<Zone> = management.into_iter().collect();
    zones.extend(
        [Zone::Lan, Zone::Internal]
            .into_iter()
            .filter(|z| Some(*z) != management),
    );
    zones
        .into_iter()
        .filter_map(|zone| {
            let network = inputs.network(zone)?;
            let what = format!("DHCP pool on {zone}");
            let first = add(
                network,
                i(offsets.dhcp_start),
                &what,
                "lower hvp_dhcp_offset",
                findings,
            )?;
            let last = add(
                first,
                i(offsets.dhcp_count) - 1,
                &what,
                "lower hvp_dhcp_count",
                findings,
            )?;
            Some(AddressRange { zone, first, last })
        })
        .collect()
}
