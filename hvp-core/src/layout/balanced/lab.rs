//! `hvp_force_same_host: true` (labs only, spec §14 E001 / W101): a 1- or 2-node lab planned
//! like a cluster. Each data disk of such a node becomes a *virtual node* of its own (same
//! name), so the planner keeps every rule (members of a set on distinct virtual nodes, that is
//! distinct disks) and the plan puts members of one set on one real node: W101 instead of
//! E001. The virtual nodes are merged back into their real node afterwards ([`merge`]): VGs,
//! VDO devices and disks together, LV creation steps in order, and brick LVs and mounts
//! renumbered per node so that no two bricks share a name or mount point. The `commands`
//! output and the INI then create such volumes with `force` (glusterd refuses same-node
//! bricks of one set otherwise); nothing changes for 3 or more nodes.

use super::build::candidate_disks;
use super::names;
use super::select::{natural_cmp, select_disks};
use crate::facts::FactsDocument;
use crate::layout::model::{LayoutPlan, NodePlan, NodeRole, PlanWarning};
use std::collections::BTreeMap;

/// The facts with virtual nodes and, per virtual node, its real node's index.
#[derive(Debug, Clone)]
pub struct Virtual {
    /// One node per data disk of the real nodes.
    pub facts: FactsDocument,
    /// Real node index of each virtual node.
    pub host_of: Vec<usize>,
}

/// Virtual nodes when `hvp_force_same_host` is on and the facts list fewer than 3 nodes
/// (`None` otherwise: the plan is made as always).
pub fn virtualize(facts: &FactsDocument) -> Option<Virtual> {
    let storage = &facts.vars.storage;
    if !storage.force_same_host || facts.nodes.len() >= 3 {
        return None;
    }
    let mut nodes = Vec::new();
    let mut host_of = Vec::new();
    for (host, node) in facts.nodes.iter().enumerate() {
        let selection = select_disks(
            &candidate_disks(node),
            |name| node.extras.disk_vendor.get(name).map(String::as_str),
            &storage.filter,
        );
        let data = if selection.data.is_empty() {
            &selection.fast
        } else {
            &selection.data
        };
        let others: Vec<&str> = data.iter().skip(1).map(|d| d.name.as_str()).collect();
        let mut first = node.clone();
        first
            .free_disks
            .retain(|d| !others.contains(&d.name.as_str()));
        first
            .free_ssds
            .retain(|d| !others.contains(&d.name.as_str()));
        nodes.push(first);
        host_of.push(host);
        for disk in data.iter().skip(1) {
            let mut extra = node.clone();
            extra.free_disks = vec![disk.clone()];
            extra.free_ssds = Vec::new();
            nodes.push(extra);
            host_of.push(host);
        }
    }
    // One or two real nodes form no triples: `hvp_layout_grouped` changes nothing here.
    let mut vars = facts.vars.clone();
    vars.storage.grouped = false;
    Some(Virtual {
        facts: FactsDocument { nodes, vars },
        host_of,
    })
}

/// The problems of a lab plan made on virtual nodes: E001 (members of one set on one node)
/// becomes one W101 per volume naming its sets; W102 and W109, which count virtual nodes,
/// are left out.
pub fn allow_same_host(problems: Vec<PlanWarning>) -> Vec<PlanWarning> {
    let mut same_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut kept = Vec::new();
    for problem in problems {
        match problem.code.as_str() {
            "E001" => {
                // Subject "volume V set N".
                let subject = problem.problem.subject.clone();
                let (volume, set) = subject
                    .rsplit_once(" set ")
                    .map_or((subject.as_str(), ""), |(volume, set)| (volume, set));
                let sets = same_host.entry(volume.to_owned()).or_default();
                if !sets.iter().any(|known| known == set) {
                    sets.push(set.to_owned());
                }
            }
            "W102" | "W109" => {}
            _ => kept.push(problem),
        }
    }
    let mut warnings: Vec<PlanWarning> = same_host
        .into_iter()
        .map(|(volume, sets)| {
            PlanWarning::new(
                "W101",
                volume,
                format!(
                    "replica set(s) {} have several bricks on one node: losing that node \
                     loses every copy there (hvp_force_same_host)",
                    sets.join(", ")
                ),
                "labs only; add nodes (3 or more) for a cluster that survives a node failure",
            )
        })
        .collect();
    warnings.append(&mut kept);
    warnings
}

/// Merges the virtual nodes of `plan` into the real nodes of `facts`, renumbering brick LVs
/// and mounts per real node in set order.
pub fn merge(plan: LayoutPlan, facts: &FactsDocument, host_of: &[usize]) -> LayoutPlan {
    let mut plan = plan;
    // Brick LV names per real node: (node, VG, old LV) → (new LV, new mount).
    let mut renamed: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    for volume in &plan.volumes {
        let single = volume.replica_sets.len() == 1;
        let mut on_node: BTreeMap<&str, usize> = BTreeMap::new();
        for brick in volume.bricks() {
            *on_node.entry(brick.node.as_str()).or_default() += 1;
        }
        let mut counters: BTreeMap<(&str, bool), usize> = BTreeMap::new();
        for brick in volume.bricks() {
            let key = (brick.node.as_str(), brick.arbiter);
            let keep = single && on_node.get(key.0).copied().unwrap_or(0) == 1;
            if keep {
                continue;
            }
            let counter = counters.entry(key).or_default();
            *counter += 1;
            let (name, mount) = names::brick_lv(&volume.name, brick.arbiter, Some(*counter));
            renamed.insert(
                (
                    brick.node.clone(),
                    brick.volume_group.clone(),
                    brick.logical_volume.clone(),
                ),
                (name, mount),
            );
        }
    }
    for volume in &mut plan.volumes {
        for set in &mut volume.replica_sets {
            for brick in &mut set.bricks {
                let key = (
                    brick.node.clone(),
                    brick.volume_group.clone(),
                    brick.logical_volume.clone(),
                );
                if let Some((name, mount)) = renamed.get(&key) {
                    brick.logical_volume = name.clone();
                    brick.directory = names::brick_directory(mount);
                }
            }
        }
    }
    let mut merged: Vec<NodePlan> = Vec::new();
    for (index, node) in facts.nodes.iter().enumerate() {
        let mut real = NodePlan {
            name: node.name.clone(),
            index,
            role: plan
                .nodes
                .iter()
                .zip(host_of)
                .find(|(_, &host)| host == index)
                .map_or(NodeRole::Any, |(virtual_node, _)| virtual_node.role),
            disks: Vec::new(),
            vdo_devices: Vec::new(),
            volume_groups: Vec::new(),
        };
        let mut step_offset = 0u32;
        for (virtual_node, _) in plan
            .nodes
            .iter()
            .zip(host_of)
            .filter(|(_, &host)| host == index)
        {
            for disk in &virtual_node.disks {
                match real.disks.iter_mut().find(|d| d.name == disk.name) {
                    Some(existing) if existing.usage.is_none() && disk.usage.is_some() => {
                        *existing = disk.clone();
                    }
                    Some(_) => {}
                    None => real.disks.push(disk.clone()),
                }
            }
            real.vdo_devices
                .extend(virtual_node.vdo_devices.iter().cloned());
            let mut last = 0u32;
            for group in &virtual_node.volume_groups {
                let mut group = group.clone();
                for pool in &mut group.thin_pools {
                    pool.step += step_offset;
                    last = last.max(pool.step);
                }
                for lv in &mut group.logical_volumes {
                    lv.step += step_offset;
                    last = last.max(lv.step);
                    let key = (node.name.clone(), group.name.clone(), lv.name.clone());
                    if let Some((name, mount)) = renamed.get(&key) {
                        lv.name = name.clone();
                        lv.mount_point = mount.clone();
                    }
                }
                real.volume_groups.push(group);
            }
            step_offset = last + 1;
        }
        real.disks.sort_by(|a, b| natural_cmp(&a.name, &b.name));
        merged.push(real);
    }
    plan.nodes = merged;
    plan
}
