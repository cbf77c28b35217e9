//! Default-mode checks of a finished plan: addresses inside their subnets, no address used
//! twice, no overlapping zones, a management network, indices in range. Every problem names
//! the setting that fixes it. Compat mode skips these checks, as the original did.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::error::{Findings, Problem};
use super::ipv4::is_host_address;
use super::plan::NetworkPlan;
use super::probe::Role;
use super::settings::{Settings, ZoneNet};
use super::zone::Zone;

/// One address a plan hands out, with the setting that moves it. Shared with the file-services
/// planner, which adds its own claims (the CTDB public addresses) to the plan's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The zone whose subnet must hold the address.
    pub zone: Zone,
    /// The address.
    pub address: Ipv4Addr,
    /// What it is (`node 1 address on mgmt`).
    pub what: String,
    /// The setting that moves it.
    pub fix: String,
}

/// Runs every default-mode check.
pub(crate) fn validate(plan: &NetworkPlan, settings: &Settings, findings: &mut Findings) {
    check_indices(settings, findings);
    check_management(plan, settings, findings);
    check_overlaps(plan, findings);
    let claims = claims(plan);
    findings.problems.extend(check_claims(plan, &claims));
    check_gateway(plan, findings);
}

fn check_indices(settings: &Settings, findings: &mut Findings) {
    if settings.node_count == 0 {
        findings.problem(
            "hvp_nodecount",
            "the cluster has no nodes",
            "set hvp_nodecount=1 or more (3 is usual)",
        );
        return;
    }
    if settings.role == Role::Node && settings.node_index >= settings.node_count {
        findings.problem(
            "hvp_nodeid",
            format!(
                "node index {} is not below the node count {}",
                settings.node_index, settings.node_count
            ),
            format!(
                "set hvp_nodeid between 0 and {}, or raise hvp_nodecount",
                settings.node_count - 1
            ),
        );
    }
    if settings.master_index >= settings.node_count {
        findings.problem(
            "hvp_masternodeid",
            format!(
                "master index {} is not below the node count {}",
                settings.master_index, settings.node_count
            ),
            format!(
                "set hvp_masternodeid between 0 and {}",
                settings.node_count - 1
            ),
        );
    }
}

fn check_management(plan: &NetworkPlan, settings: &Settings, findings: &mut Findings) {
    if plan.zone(Zone::Mgmt).is_some() {
        return;
    }
    match settings.role {
        Role::Node => {
            let mtu = settings.zone(Zone::Mgmt).map(|z| z.mtu_text.clone()).unwrap_or_default();
            let test = plan_test_ip(settings, plan);
            findings.problem(
                "zone mgmt",
                format!(
                    "no connected NIC reached the mgmt test address {test} with MTU {mtu}, so the node would \
                     have no management network, host name or default route"
                ),
                "cable a NIC to the management network, or set hvp_mgmt / hvp_mgmt_test_ip to the \
                 network it is on",
            );
        }
        Role::Installer => findings.problem(
            "zone mgmt",
            "no connected NIC is left for the management network (the installer needs mgmt to serve the nodes)",
            "connect one more NIC than the one with the DHCP uplink, or check that its MTU (hvp_mgmt_mtu) fits",
        ),
    }
}

fn plan_test_ip(settings: &Settings, plan: &NetworkPlan) -> String {
    match settings.zone(Zone::Mgmt).and_then(|z| z.test_ip.clone()) {
        Some(test) => test,
        None => match settings.zone(Zone::Mgmt).map(|z| z.net) {
            Some(ZoneNet::Static(net)) => {
                super::ipv4::offset(net.network(), i64::from(settings.offsets.test))
                    .map(|a| a.to_string())
                    .unwrap_or_default()
            }
            _ => plan.routing.gateway.clone().unwrap_or_default(),
        },
    }
}

fn check_overlaps(plan: &NetworkPlan, findings: &mut Findings) {
    let nets: Vec<(Zone, Ipv4Net)> = plan
        .zones
        .0
        .iter()
        .filter_map(|z| Some((z.zone, z.network?)))
        .collect();
    for (k, (zone, net)) in nets.iter().enumerate() {
        for (other, other_net) in &nets[k + 1..] {
            if net.contains(other_net) || other_net.contains(net) {
                findings.problem(
                    format!("hvp_{zone} / hvp_{other}"),
                    format!("{zone} ({net}) and {other} ({other_net}) overlap"),
                    format!("give {zone} and {other} separate networks"),
                );
            }
        }
    }
}

/// Every address a finished plan hands out: this machine's, its test addresses, the other
/// nodes', BMCs, switch, Engine, metrics, installer, AD DC, CTDB public addresses and DHCP pools.
pub fn claims(plan: &NetworkPlan) -> Vec<Claim> {
    let role = plan.role;
    let node_index = plan.host.node_index.unwrap_or(0);
    let mut claims = Vec::new();
    let mut claim = |zone: Zone, address: Option<Ipv4Addr>, what: String, fix: String| {
        if let Some(address) = address {
            claims.push(Claim {
                zone,
                address,
                what,
                fix,
            });
        }
    };
    for zp in &plan.zones.0 {
        let fix = match role {
            Role::Node => format!("hvp_{} (address or prefix) or hvp_nodes_offset", zp.zone),
            Role::Installer => format!("hvp_{}_my_ip or hvp_{}", zp.zone, zp.zone),
        };
        claim(
            zp.zone,
            zp.address,
            format!("this machine's address on {}", zp.zone),
            fix,
        );
        if role == Role::Node {
            let test = zp.test_ip.as_deref().and_then(|t| t.parse().ok());
            claim(
                zp.zone,
                test,
                format!("the {} test address", zp.zone),
                format!("hvp_{}_test_ip", zp.zone),
            );
        }
    }
    let cluster = &plan.cluster;
    for node in &cluster.nodes {
        if role == Role::Node && node.index == node_index {
            continue;
        }
        for (zone, address) in &node.addresses {
            claim(
                *zone,
                Some(*address),
                format!("node {} address on {zone}", node.index),
                "hvp_nodes_offset".into(),
            );
        }
    }
    let management = plan.zone_for(super::fallback::NetworkRole::Management);
    if let Some(mz) = management {
        for node in &cluster.nodes {
            claim(
                mz,
                node.bmc,
                format!("BMC of node {}", node.index),
                "hvp_bmcs_offset".into(),
            );
        }
        claim(
            mz,
            cluster.switch,
            "the switch address".into(),
            "hvp_switch".into(),
        );
        claim(
            mz,
            cluster.engine,
            "the Engine address".into(),
            "hvp_engine".into(),
        );
        claim(
            mz,
            cluster.metrics,
            "the metrics address".into(),
            "hvp_metrics".into(),
        );
        if role == Role::Installer {
            claim(
                mz,
                cluster.installer.filter(|_| mz != Zone::Mgmt),
                "the installer".into(),
                "hvp_mgmt_my_ip".into(),
            );
        }
    }
    if let Some(ad_zone) = plan.zone_for(super::fallback::NetworkRole::ActiveDirectory) {
        claim(
            ad_zone,
            cluster.ad_dc,
            "the AD DC address".into(),
            "hvp_ad_dc".into(),
        );
    }
    for list in &cluster.storage {
        for (k, address) in list.addresses.iter().enumerate() {
            claim(
                list.zone,
                Some(*address),
                format!("storage address {k} on {}", list.zone),
                "hvp_storage_offset".into(),
            );
        }
    }
    for pool in &cluster.dhcp_pools {
        claim(
            pool.zone,
            Some(pool.first),
            format!("the first DHCP pool address on {}", pool.zone),
            "hvp_dhcp_offset".into(),
        );
        claim(
            pool.zone,
            Some(pool.last),
            format!("the last DHCP pool address on {}", pool.zone),
            "hvp_dhcp_count".into(),
        );
    }
    claims
}

/// The checks every address of a plan must pass: inside its zone's subnet (and neither its
/// network nor broadcast address), used once, and outside the DHCP pools. `claims` are the
/// plan's own ([`claims`]) plus any a later planner adds.
pub fn check_claims(plan: &NetworkPlan, claims: &[Claim]) -> Vec<Problem> {
    let mut findings = Findings::default();
    check_inside(plan, claims, &mut findings);
    check_unique(claims, &mut findings);
    findings.problems
}

fn check_inside(plan: &NetworkPlan, claims: &[Claim], findings: &mut Findings) {
    for claim in claims {
        let Some(net) = plan.zone(claim.zone).and_then(|z| z.network) else {
            continue;
        };
        if !is_host_address(net, claim.address) {
            let why = if net.contains(&claim.address) {
                "is the network or broadcast address of"
            } else {
                "is outside"
            };
            findings.problem(
                claim.fix.clone(),
                format!(
                    "{} {} {why} {} ({net})",
                    claim.what, claim.address, claim.zone
                ),
                format!(
                    "change {} so it stays inside {net}, or widen hvp_{} with a shorter prefix",
                    claim.fix, claim.zone
                ),
            );
        }
    }
}

fn check_unique(claims: &[Claim], findings: &mut Findings) {
    let mut first_claim: BTreeMap<Ipv4Addr, &Claim> = BTreeMap::new();
    let mut pools: Vec<(Zone, Ipv4Addr, Ipv4Addr)> = Vec::new();
    for claim in claims {
        if let Some(previous) = first_claim.get(&claim.address) {
            findings.problem(
                claim.fix.clone(),
                format!(
                    "{} is used twice: {} and {}",
                    claim.address, previous.what, claim.what
                ),
                format!("change {} or {}", previous.fix, claim.fix),
            );
        } else {
            first_claim.insert(claim.address, claim);
        }
        if claim.what.starts_with("the last DHCP pool") {
            if let Some(first) = claims
                .iter()
                .find(|c| c.zone == claim.zone && c.what.starts_with("the first DHCP pool"))
            {
                pools.push((claim.zone, first.address, claim.address));
            }
        }
    }
    for (zone, first, last) in pools {
        for claim in claims
            .iter()
            .filter(|c| c.zone == zone && !c.what.contains("DHCP pool"))
        {
            if (first..=last).contains(&claim.address) {
                findings.problem(
                    "hvp_dhcp_offset",
                    format!(
                        "{} {} lies inside the DHCP pool {first}-{last} on {zone}",
                        claim.what, claim.address
                    ),
                    format!(
                        "move the pool with hvp_dhcp_offset / hvp_dhcp_count, or change {}",
                        claim.fix
                    ),
                );
            }
        }
    }
}

fn check_gateway(plan: &NetworkPlan, findings: &mut Findings) {
    if plan.role != Role::Node || plan.zone(Zone::Mgmt).is_none() {
        return;
    }
    if plan.routing.default_route_zone.is_none() {
        findings.problem(
            "hvp_gateway",
            format!(
                "the gateway {:?} is in none of the node's networks, so it would have no default route",
                plan.routing.gateway.clone().unwrap_or_default()
            ),
            "set hvp_gateway to an address inside the mgmt network",
        );
    }
}
