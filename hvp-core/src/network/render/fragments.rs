//! The parameter fragments the installer publishes for the nodes (`hvp_parameters.sh` and
//! `hvp_parameters_heretic_ngn.sh`, spec §2.6), rendered from the installer's plan. Nodes read
//! them back with [`crate::network::fragment`], so node and installer agree on networks, test
//! addresses, bond options and service addresses.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use crate::network::fallback::NetworkRole;
use crate::network::probe::{Fragment, Role};
use crate::network::{ipv4, NetworkPlan, Zone};

/// The common fragment's file name.
pub const COMMON_FRAGMENT: &str = "hvp_parameters.sh";
/// The node fragment's file name (read by both node kickstarts).
pub const NODE_FRAGMENT: &str = "hvp_parameters_heretic_ngn.sh";

/// Renders the node fragments from an installer plan; a node plan has nothing to hand over
/// and gives an empty list.
pub fn node_fragments(plan: &NetworkPlan) -> Vec<Fragment> {
    if plan.role != Role::Installer {
        return Vec::new();
    }
    vec![
        Fragment {
            name: COMMON_FRAGMENT.to_string(),
            text: common(plan),
        },
        Fragment {
            name: NODE_FRAGMENT.to_string(),
            text: node(plan),
        },
    ]
}

/// Zones in the order the original writes per-zone lines: its hash order in compat mode
/// (`gluster, lan, mgmt, internal, external`), declaration order otherwise.
fn zone_order(plan: &NetworkPlan) -> Vec<Zone> {
    let mut order = plan.mode.node_probe_order().to_vec();
    order.push(Zone::External);
    order
        .into_iter()
        .filter(|z| plan.zone(*z).is_some())
        .collect()
}

fn management(plan: &NetworkPlan) -> Option<(Ipv4Addr, Option<Ipv4Addr>)> {
    let zone = plan.zone(plan.zone_for(NetworkRole::Management)?)?;
    Some((zone.network?.network(), zone.address))
}

fn line(out: &mut String, text: std::fmt::Arguments) {
    let _ = writeln!(out, "{text}");
}

fn common(plan: &NetworkPlan) -> String {
    let mut out = String::from("# Written by the HVP installer for the nodes (hvp-netplan).\n");
    let order = zone_order(plan);
    for zone in order.iter().filter_map(|z| plan.zone(*z)) {
        if let Some(address) = zone.address {
            line(
                &mut out,
                format_args!("test_ip['{}']=\"{address}\"", zone.zone),
            );
        }
    }
    let base = management(plan);
    if let Some((network, Some(own))) = base {
        line(
            &mut out,
            format_args!("test_ip_offset=\"{}\"", ipv4::distance(own, network)),
        );
    }
    for zone in order
        .iter()
        .filter(|z| **z != Zone::External)
        .filter_map(|z| plan.zone(*z))
    {
        let name = zone.zone;
        if let (Some(net), Some(mask)) = (zone.network, zone.netmask) {
            line(
                &mut out,
                format_args!("network['{name}']=\"{}\"", net.network()),
            );
            line(&mut out, format_args!("netmask['{name}']=\"{mask}\""));
        }
        if let Some(mtu) = zone.mtu {
            line(&mut out, format_args!("mtu['{name}']=\"{mtu}\""));
        }
        line(
            &mut out,
            format_args!("domain_name['{name}']=\"{}\"", zone.domain),
        );
        if let Some(bridge) = &zone.bridge {
            line(&mut out, format_args!("bridge_name['{name}']=\"{bridge}\""));
        }
    }
    let cluster = &plan.cluster;
    for (name, address) in [
        ("switch", cluster.switch),
        ("engine", cluster.engine),
        ("metrics", cluster.metrics),
    ] {
        if let Some(address) = address {
            line(&mut out, format_args!("{name}_ip=\"{address}\""));
            if let Some((network, _)) = base {
                line(
                    &mut out,
                    format_args!("{name}_ip_offset=\"{}\"", ipv4::distance(address, network)),
                );
            }
        }
    }
    line(
        &mut out,
        format_args!("storage_ip_offset=\"{}\"", cluster.offsets.storage),
    );
    line(
        &mut out,
        format_args!("default_node_count=\"{}\"", cluster.node_count),
    );
    if let Some((_, Some(own))) = base {
        line(&mut out, format_args!("my_nameserver=\"{own}\""));
    }
    out.push_str("unset my_gateway\n");
    out
}

fn node(plan: &NetworkPlan) -> String {
    let mut out = String::from("# Written by the HVP installer for the nodes (hvp-netplan).\n");
    let cluster = &plan.cluster;
    line(
        &mut out,
        format_args!("master_index=\"{}\"", cluster.master_index),
    );
    for node in &cluster.nodes {
        line(
            &mut out,
            format_args!("node_name[{}]=\"{}\"", node.index, node.name),
        );
    }
    for zone in zone_order(plan)
        .iter()
        .filter(|z| **z != Zone::External)
        .filter_map(|z| plan.zone(*z))
    {
        line(
            &mut out,
            format_args!("bondopts['{}']=\"{}\"", zone.zone, zone.bond_policy.options),
        );
    }
    line(
        &mut out,
        format_args!("bmc_ip_offset=\"{}\"", cluster.offsets.bmc),
    );
    line(
        &mut out,
        format_args!("node_ip_offset=\"{}\"", cluster.offsets.node),
    );
    if let Some(ad_dc) = cluster.ad_dc {
        line(&mut out, format_args!("ad_dc_ip=\"{ad_dc}\""));
    }
    line(
        &mut out,
        format_args!("ad_dc_ip_offset=\"{}\"", cluster.offsets.ad_dc),
    );
    let gateway = match plan.zone(Zone::Mgmt).and_then(|z| z.address) {
        Some(address) => address.to_string(),
        None => plan.routing.gateway.clone().unwrap_or_default(),
    };
    line(&mut out, format_args!("my_gateway=\"{gateway}\""));
    out
}
