//! The plan as the Ansible variables the installer hands to the playbooks (`hvp.yaml`, spec §4.3).

use std::net::Ipv4Addr;

use serde_json::{Map, Value};

use crate::network::fallback::NetworkRole;
use crate::network::plan::ZonePlan;
use crate::network::{ipv4, NetworkPlan, Zone};

/// The variables as an ordered map.
pub fn vars_map(plan: &NetworkPlan) -> Map<String, Value> {
    let compat = plan.mode.is_compat();
    let management = plan
        .zone_for(NetworkRole::Management)
        .and_then(|z| plan.zone(z));
    let cidr = |zone: Option<&ZonePlan>| match zone {
        Some(ZonePlan {
            network: Some(net), ..
        }) => format!("{}/{}", net.network(), net.prefix_len()),
        // QUIRK (compat): an absent network renders as "/".
        _ if compat => "/".to_string(),
        _ => String::new(),
    };
    let flag_and_cidr = |zone: Zone| match plan.zone(zone) {
        Some(zp) => (true, cidr(Some(zp))),
        None => (false, String::new()),
    };
    let bridge = |zone: Option<&ZonePlan>| zone.and_then(|z| z.bridge.clone()).unwrap_or_default();
    let domain_of = |role: NetworkRole| {
        plan.zone_for(role)
            .and_then(|z| plan.zone(z))
            .map(|z| z.domain.clone())
            .unwrap_or_default()
    };
    let (got_gluster, gluster_network) = flag_and_cidr(Zone::Gluster);
    let (got_lan, lan_network) = flag_and_cidr(Zone::Lan);
    let (got_internal, internal_network) = flag_and_cidr(Zone::Internal);
    let mgmt_network = cidr(plan.zone(Zone::Mgmt));
    let mgmt_bridge = bridge(management);
    let lan_domain = domain_of(NetworkRole::VmNetwork);

    let mut vars = Map::new();
    let mut set = |key: &str, value: Value| {
        vars.insert(key.to_string(), value);
    };
    set("got_mgmt_network", true.into());
    set("mgmt_network", mgmt_network.clone().into());
    set("hvp_mgmt_bridge_name", mgmt_bridge.clone().into());
    set("got_gluster_network", got_gluster.into());
    set("gluster_network", gluster_network.into());
    set("got_lan_network", got_lan.into());
    set("lan_network", lan_network.clone().into());
    set(
        "hvp_lan_bridge_name",
        if got_lan {
            bridge(plan.zone(Zone::Lan))
        } else {
            String::new()
        }
        .into(),
    );
    set("got_internal_network", got_internal.into());
    set("internal_network", internal_network.into());
    set(
        "hvp_internal_bridge_name",
        if got_internal {
            bridge(plan.zone(Zone::Internal))
        } else {
            String::new()
        }
        .into(),
    );
    set(
        "hvp_management_domainname",
        domain_of(NetworkRole::Management).into(),
    );
    set(
        "hvp_gluster_domainname",
        domain_of(NetworkRole::Storage).into(),
    );
    set("hvp_lan_domainname", lan_domain.clone().into());
    set(
        "vms_network_name",
        if got_lan {
            bridge(plan.zone(Zone::Lan))
        } else {
            mgmt_bridge
        }
        .into(),
    );
    set(
        "vms_network",
        if got_lan { lan_network } else { mgmt_network }.into(),
    );
    set("vms_network_domainname", lan_domain.into());
    let offsets = &plan.cluster.offsets;
    set(
        "hvp_static_address_block_start",
        (offsets.dhcp_start + offsets.dhcp_count).into(),
    );
    set(
        "hvp_engine_netprefix",
        management
            .and_then(|z| z.prefix)
            .map(Value::from)
            .unwrap_or_else(|| "".into()),
    );
    set(
        "hvp_engine_dnslist",
        engine_dns_list(plan, management).into(),
    );
    set(
        "hvp_switch_ip",
        plan.cluster
            .switch
            .map(|a| a.to_string())
            .unwrap_or_default()
            .into(),
    );
    set("hvp_gateway_ip", gateway_ip(plan).into());
    vars
}

/// The variables as YAML.
pub fn vars(plan: &NetworkPlan) -> String {
    // A map of strings, booleans and numbers always serializes.
    serde_yaml_ng::to_string(&vars_map(plan)).unwrap_or_default()
}

/// The Engine VM's DNS servers: every node's address on the management zone. Compat keeps
/// the original's `0.0.0.x` list when the management zone has no static network.
fn engine_dns_list(plan: &NetworkPlan, management: Option<&ZonePlan>) -> String {
    let zone = management.map(|z| z.zone);
    let from_nodes: Vec<String> = plan
        .cluster
        .nodes
        .iter()
        .filter_map(|node| {
            zone.and_then(|z| node.addresses.get(&z))
                .map(|a| a.to_string())
        })
        .collect();
    if !from_nodes.is_empty() || !plan.mode.is_compat() {
        return from_nodes.join(",");
    }
    let offset = plan.cluster.offsets.node;
    (0..plan.cluster.node_count)
        .filter_map(|index| {
            ipv4::offset(Ipv4Addr::UNSPECIFIED, i64::from(offset) + i64::from(index)).ok()
        })
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The engine VM's real default gateway: the installer's mgmt address when mgmt exists,
/// else the configured gateway (possibly the literal `dhcp`).
fn gateway_ip(plan: &NetworkPlan) -> String {
    match (plan.role, plan.zone(Zone::Mgmt)) {
        (crate::network::probe::Role::Installer, Some(mgmt)) => {
            mgmt.address.map(|a| a.to_string()).unwrap_or_default()
        }
        _ => plan.routing.gateway.clone().unwrap_or_default(),
    }
}
