//! The CTDB public (client access) addresses: on each chosen zone among lan, internal and mgmt,
//! one per active node, address k = the zone's base + `hvp_storage_offset` + k (the network
//! planner's storage addresses, extended to the active node count), or the explicit list of
//! `hvp_storage_public_addresses`. They float on the zone's bridge. Checked with the network
//! planner's own address checks: inside the subnet, not used by anything else.

use std::net::Ipv4Addr;

use super::model::PublicZone;
use super::vars::{quoted, FileVars, PUBLIC_ZONES};
use crate::network::validate::{check_claims, claims, Claim};
use crate::network::{ipv4, NetworkPlan, Zone};
use crate::report::Problem;

/// The zones that carry public addresses: the variable's list, else every present zone among
/// lan, internal and mgmt in the network plan's storage order.
fn chosen_zones(network: &NetworkPlan, vars: &FileVars, problems: &mut Vec<Problem>) -> Vec<Zone> {
    match &vars.public_zones {
        Some(zones) => {
            let mut out = Vec::new();
            for zone in zones {
                if network.zone(*zone).is_none() {
                    problems.push(Problem::error(
                        "variable hvp_storage_public_zones",
                        format!("the {zone} zone is not in the network plan, so no public address can float on it"),
                        format!(
                            "remove {zone} from hvp_storage_public_zones, or connect the nodes' {zone} NICs and plan the network again"
                        ),
                    ));
                } else if !out.contains(zone) {
                    out.push(*zone);
                }
            }
            if zones.is_empty() {
                problems.push(Problem::error(
                    "variable hvp_storage_public_zones",
                    "is empty, so clients could reach no file service",
                    "name at least one of lan, internal, mgmt",
                ));
            }
            out
        }
        None => {
            let mut out: Vec<Zone> = network
                .cluster
                .storage
                .iter()
                .map(|z| z.zone)
                .filter(|z| PUBLIC_ZONES.contains(z) && network.zone(*z).is_some())
                .collect();
            for zone in PUBLIC_ZONES {
                if network.zone(zone).is_some() && !out.contains(&zone) {
                    out.push(zone);
                }
            }
            out
        }
    }
}

/// The public addresses per zone for `active` nodes.
pub fn public_addresses(
    network: &NetworkPlan,
    vars: &FileVars,
    active: usize,
    problems: &mut Vec<Problem>,
) -> Vec<PublicZone> {
    let mut zones = Vec::new();
    for zone in chosen_zones(network, vars, problems) {
        let Some(plan) = network.zone(zone) else {
            continue;
        };
        let (Some(net), Some(prefix)) = (plan.network, plan.prefix) else {
            problems.push(Problem::error(
                format!("network plan, zone {zone}"),
                format!("the {zone} zone has no static network"),
                format!("give {zone} a static network (hvp_{zone}=NETWORK/PREFIX)"),
            ));
            continue;
        };
        let interface = vars
            .bridges
            .get(&zone)
            .cloned()
            .or_else(|| plan.bridge.clone());
        let Some(interface) = interface.filter(|i| valid_interface(i)) else {
            problems.push(Problem::error(
                format!("variable hvp_{zone}_bridge_name"),
                format!(
                    "the {zone} zone has no valid bridge name for its public addresses ({})",
                    quoted(&vars.bridges.get(&zone).cloned().or(plan.bridge.clone()).unwrap_or_default())
                ),
                format!("set hvp_{zone}_bridge_name to the oVirt bridge of {zone} (1-15 characters, no '/' or spaces)"),
            ));
            continue;
        };
        let addresses = match vars.public_addresses.get(&zone) {
            Some(texts) => explicit(zone, texts, active, problems),
            None => derived(network, zone, net.network(), active, problems),
        };
        zones.push(PublicZone {
            zone,
            interface,
            prefix,
            domain: plan.domain.clone(),
            addresses,
        });
    }
    check_addresses(network, vars, &zones, problems);
    zones
}

fn valid_interface(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 15
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | ':'))
}

fn explicit(
    zone: Zone,
    texts: &[String],
    active: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Ipv4Addr> {
    let mut addresses = Vec::new();
    for text in texts {
        match text.parse::<Ipv4Addr>() {
            Ok(address) => addresses.push(address),
            Err(_) => problems.push(Problem::error(
                "variable hvp_storage_public_addresses",
                format!("{} on {zone} is not an IPv4 address", quoted(text)),
                "give dotted IPv4 addresses without a prefix",
            )),
        }
    }
    if texts.len() < active {
        problems.push(Problem::error(
            "variable hvp_storage_public_addresses",
            format!(
                "{zone} has {} public address(es) for {active} active storage nodes; every active node needs one",
                texts.len()
            ),
            format!("list {active} addresses for {zone}, or drop the variable to derive them from hvp_storage_offset"),
        ));
    }
    addresses
}

fn derived(
    network: &NetworkPlan,
    zone: Zone,
    network_address: Ipv4Addr,
    active: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Ipv4Addr> {
    // The planner's first storage address is base + offset (compat counts from the node's own
    // address); continue from it. Without one, count from the network address.
    let first = network
        .cluster
        .storage
        .iter()
        .find(|s| s.zone == zone)
        .and_then(|s| s.addresses.first().copied());
    let first = first.map(Ok).unwrap_or_else(|| {
        ipv4::offset(network_address, i64::from(network.cluster.offsets.storage))
    });
    let first = match first {
        Ok(first) => first,
        Err(err) => {
            problems.push(Problem::error(
                "hvp_storage_offset",
                format!("the first public address on {zone}: {err}"),
                "lower hvp_storage_offset",
            ));
            return Vec::new();
        }
    };
    (0..active)
        .filter_map(|k| match ipv4::offset(first, k as i64) {
            Ok(address) => Some(address),
            Err(err) => {
                problems.push(Problem::error(
                    "hvp_storage_offset",
                    format!("public address {k} on {zone}: {err}"),
                    "lower hvp_storage_offset",
                ));
                None
            }
        })
        .collect()
}

/// The network planner's checks on the plan's addresses with ours in place of its storage
/// addresses: inside the zone's subnet, unique, outside the DHCP pools.
fn check_addresses(
    network: &NetworkPlan,
    vars: &FileVars,
    zones: &[PublicZone],
    problems: &mut Vec<Problem>,
) {
    let mut all: Vec<Claim> = claims(network)
        .into_iter()
        .filter(|c| !c.what.starts_with("storage address"))
        .collect();
    for zone in zones {
        let fix = if vars.public_addresses.contains_key(&zone.zone) {
            "hvp_storage_public_addresses"
        } else {
            "hvp_storage_offset"
        };
        for (k, address) in zone.addresses.iter().enumerate() {
            all.push(Claim {
                zone: zone.zone,
                address: *address,
                what: format!("public address {k} on {}", zone.zone),
                fix: fix.to_string(),
            });
        }
    }
    for problem in check_claims(network, &all) {
        // Only problems that involve a public address are ours; the rest were the network
        // planner's to report.
        if problem.message.contains("public address") {
            problems.push(Problem::error(
                problem.subject,
                problem.message,
                problem.fix,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names() {
        for good in ["ovirtmgmt", "lan", "eth1", "bond0.100", "br-lan_2"] {
            assert!(valid_interface(good), "{good}");
        }
        for bad in ["", "a b", "a/b", "sixteen-letters!", "x\u{7}"] {
            assert!(!valid_interface(bad), "{bad:?}");
        }
    }

    #[test]
    fn explicit_lists_need_one_address_per_active_node() {
        let mut problems = Vec::new();
        let addresses = explicit(
            Zone::Lan,
            &["10.0.0.1".into(), "nonsense".into()],
            3,
            &mut problems,
        );
        assert_eq!(addresses, [Ipv4Addr::new(10, 0, 0, 1)]);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0]
            .message
            .contains("\"nonsense\" on lan is not an IPv4 address"));
        assert!(problems[1]
            .message
            .contains("2 public address(es) for 3 active"));
    }
}
