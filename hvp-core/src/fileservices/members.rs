//! Who is in the CTDB cluster and who serves clients.
//!
//! * Members: every Gluster node holding a brick (data or arbiter) of any volume, in inventory
//!   order. Each uses its mgmt address (CTDB traffic on mgmt, as the original).
//! * Active nodes (holding public addresses): `compat` with 3 nodes: the first two (the third
//!   is arbiter-only); otherwise every node holding a data brick (`balanced`: the data nodes).
//! * `/etc/ctdb/nodes`: a node's line number is its PNN. With the current file given, its lines
//!   keep their places, former members become `#address` comments and new members are
//!   appended, so no node is ever renumbered.

use std::net::Ipv4Addr;

use super::model::{CtdbMember, NodesLine};
use super::storage::StoragePlan;
use crate::network::{NetworkPlan, Zone};
use crate::report::Problem;

/// Which storage nodes serve clients, as indices into the storage plan's nodes.
pub fn active_nodes(storage: &StoragePlan) -> Vec<usize> {
    if storage.policy == "compat" && storage.nodes.len() == 3 {
        return vec![0, 1];
    }
    storage
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| storage.holds_data_brick(&node.name))
        .map(|(index, _)| index)
        .collect()
}

/// The CTDB members with their mgmt addresses; problems name the node and the fix.
pub fn members(
    storage: &StoragePlan,
    network: &NetworkPlan,
    problems: &mut Vec<Problem>,
) -> Vec<CtdbMember> {
    let active = active_nodes(storage);
    let mut members = Vec::new();
    if network.zone(Zone::Mgmt).is_none() {
        problems.push(Problem::error(
            "network plan, zone mgmt",
            "the network plan has no mgmt zone, which carries the CTDB traffic",
            "plan the network of a node whose mgmt NIC is connected (hvp-netplan)",
        ));
        return members;
    }
    let count = network.cluster.nodes.len();
    if storage.nodes.len() > count {
        problems.push(Problem::error(
            "network plan, cluster.nodes",
            format!(
                "the storage plan has {} nodes but the network plan only {count}",
                storage.nodes.len()
            ),
            format!(
                "plan the network with hvp_nodecount={} (node i of the inventory is node index i)",
                storage.nodes.len()
            ),
        ));
    }
    for (index, node) in storage.nodes.iter().enumerate() {
        if !storage.holds_brick(&node.name) {
            continue;
        }
        let address = network
            .cluster
            .nodes
            .iter()
            .find(|n| n.index as usize == index)
            .and_then(|n| n.addresses.get(&Zone::Mgmt).copied());
        let Some(address) = address else {
            if index < count {
                problems.push(Problem::error(
                    format!("node {}", super::vars::quoted(&node.name)),
                    format!("the network plan gives node index {index} no mgmt address"),
                    "check the network plan's cluster.nodes",
                ));
            }
            continue;
        };
        members.push(CtdbMember {
            name: node.name.clone(),
            index,
            address,
            active: active.contains(&index),
        });
    }
    if members.is_empty() && problems.is_empty() {
        problems.push(Problem::error(
            "storage plan, volumes",
            "no node holds a brick, so there is no CTDB cluster to configure",
            "give the storage plan the file-service volumes (ctdb, winshare, …)",
        ));
    }
    members
}

/// The lines of `/etc/ctdb/nodes`: the current file's order kept, new members appended.
///
/// `existing` is the current file's text, or `None` for a new cluster (members in inventory
/// order).
pub fn nodes_file(
    members: &[CtdbMember],
    existing: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Vec<NodesLine> {
    let wanted: Vec<Ipv4Addr> = members.iter().map(|m| m.address).collect();
    let mut lines = Vec::new();
    let mut placed = Vec::new();
    for (number, raw) in existing.unwrap_or_default().lines().enumerate() {
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let (deleted, address_text) = match text.strip_prefix('#') {
            Some(rest) => (true, rest.trim()),
            None => (false, text),
        };
        match address_text.parse::<Ipv4Addr>() {
            Ok(address) if wanted.contains(&address) && !placed.contains(&address) => {
                placed.push(address);
                lines.push(NodesLine::Node(address));
            }
            Ok(address) => lines.push(NodesLine::Deleted(address.to_string())),
            Err(_) if deleted => lines.push(NodesLine::Deleted(address_text.to_string())),
            Err(_) => problems.push(Problem::error(
                "the current /etc/ctdb/nodes",
                format!(
                    "line {} ({}) is not an IPv4 address",
                    number + 1,
                    super::vars::quoted(text)
                ),
                "fix or remove that line, keeping the other lines in place",
            )),
        }
    }
    for address in wanted {
        if !placed.contains(&address) {
            placed.push(address);
            lines.push(NodesLine::Node(address));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(index: usize, last: u8) -> CtdbMember {
        CtdbMember {
            name: format!("n{index}"),
            index,
            address: Ipv4Addr::new(10, 0, 0, last),
            active: true,
        }
    }

    fn shown(lines: &[NodesLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| match l {
                NodesLine::Node(a) => a.to_string(),
                NodesLine::Deleted(a) => format!("#{a}"),
            })
            .collect()
    }

    #[test]
    fn new_cluster_in_inventory_order() {
        let mut problems = Vec::new();
        let lines = nodes_file(&[member(0, 12), member(1, 11)], None, &mut problems);
        assert_eq!(shown(&lines), ["10.0.0.12", "10.0.0.11"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn appending_never_renumbers() {
        let mut problems = Vec::new();
        let existing = "10.0.0.12\n10.0.0.10\n";
        let members = [member(0, 10), member(1, 11), member(2, 12)];
        let lines = nodes_file(&members, Some(existing), &mut problems);
        assert_eq!(shown(&lines), ["10.0.0.12", "10.0.0.10", "10.0.0.11"]);
    }

    #[test]
    fn removed_nodes_stay_as_comments() {
        let mut problems = Vec::new();
        let existing = "10.0.0.10\n10.0.0.11\n#10.0.0.9\n10.0.0.12\n";
        let members = [member(0, 10), member(2, 12)];
        let lines = nodes_file(&members, Some(existing), &mut problems);
        assert_eq!(
            shown(&lines),
            ["10.0.0.10", "#10.0.0.11", "#10.0.0.9", "10.0.0.12"]
        );
        // Re-adding the removed node reuses its old place.
        let back = nodes_file(
            &[member(0, 10), member(1, 11), member(2, 12)],
            Some("10.0.0.10\n#10.0.0.11\n10.0.0.12\n"),
            &mut problems,
        );
        assert_eq!(shown(&back), ["10.0.0.10", "10.0.0.11", "10.0.0.12"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_garbled_current_file_is_a_problem() {
        let mut problems = Vec::new();
        nodes_file(
            &[member(0, 10)],
            Some("10.0.0.10\nbogus\u{7}\n"),
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        let text = problems[0].to_string();
        assert!(text.contains("line 2"), "{text}");
        assert!(!text.contains('\u{7}'), "{text}");
    }
}
