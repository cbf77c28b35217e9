//! Capacity checks on a finished plan: thick LVs that cannot fit are errors, overcommitted
//! thin pools are warnings.
//!
//! Sizes are compared in bytes, with every `GB` counted as GiB (the conservative reading).
//! Thick LVs are checked against the physical disk, also under VDO: a thick brick relies on
//! real space, not on deduplication.

use super::compat::THIN_POOL_PERCENT_OF_FREE;
use super::model::{LayoutPlan, LvKind, NodePlan, VolumeGroup};
use crate::report::Problem;
use crate::size::human_bytes;
use crate::volumes::VolumeKind;

/// Every capacity problem of `plan`: errors and warnings, in node order.
pub fn capacity_problems(plan: &LayoutPlan) -> Vec<Problem> {
    plan.nodes.iter().flat_map(node_problems).collect()
}

fn node_problems(node: &NodePlan) -> Vec<Problem> {
    let mut problems = Vec::new();
    for group in &node.storage.volume_groups {
        let physical_bytes = physical_bytes(node, group);
        let mut thick_bytes: u64 = 0;
        let mut thick_names = Vec::new();
        let mut pool_bytes: Option<u64> = None;
        let mut virtual_bytes: u64 = 0;
        for lv in node
            .storage
            .logical_volumes
            .iter()
            .filter(|lv| lv.volume_group == group.name)
        {
            match &lv.kind {
                LvKind::Thick { name, size, .. } => {
                    thick_bytes = thick_bytes.saturating_add(size.bytes());
                    thick_names.push(format!("{name} {size}"));
                }
                LvKind::ThinPool {
                    percent_of_free, ..
                } => {
                    let free = group.capacity_bytes.saturating_sub(thick_bytes);
                    pool_bytes = Some(free / 100 * u64::from(*percent_of_free));
                }
                LvKind::Thin { virtual_size, .. } => {
                    virtual_bytes = virtual_bytes.saturating_add(virtual_size.bytes());
                }
            }
        }
        let disks = disk_names(group, node);
        let limit = physical_bytes.min(group.capacity_bytes);
        if thick_bytes > limit {
            problems.push(Problem::error(
                format!("node {}, disk {disks}", node.name),
                format!(
                    "the thick LVs of {} ({}) need {} but the disk holds only {}",
                    group.name,
                    thick_names.join(" + "),
                    human_bytes(thick_bytes),
                    human_bytes(limit)
                ),
                thick_fix(&thick_names),
            ));
            continue;
        }
        match pool_bytes {
            Some(0) if virtual_bytes > 0 => problems.push(Problem::error(
                format!("node {}, disk {disks}", node.name),
                format!(
                    "the thick LVs leave no space for the thin pool of {}",
                    group.name
                ),
                thick_fix(&thick_names),
            )),
            Some(pool) if virtual_bytes > pool => {
                let ratio = virtual_bytes as f64 / pool as f64;
                problems.push(Problem::warning(
                    format!("node {}, disk {disks}", node.name),
                    format!(
                        "the thin pool of {} is overcommitted {ratio:.2}:1 (thin LVs {} on a \
                         pool of about {}, {}% of the free space)",
                        group.name,
                        human_bytes(virtual_bytes),
                        human_bytes(pool),
                        THIN_POOL_PERCENT_OF_FREE
                    ),
                    "fine while the bricks stay emptier than the pool; monitor the pool's data \
                     usage, or lower the volume sizes or use bigger disks",
                ));
            }
            _ => {}
        }
    }
    problems
}

fn physical_bytes(node: &NodePlan, group: &VolumeGroup) -> u64 {
    node.storage
        .physical_volumes
        .iter()
        .filter(|pv| group.physical_volumes.contains(&pv.device))
        .filter_map(|pv| node.disks.iter().find(|disk| disk.name == pv.disk))
        .map(|disk| disk.size_bytes)
        .sum()
}

fn disk_names(group: &VolumeGroup, node: &NodePlan) -> String {
    node.storage
        .physical_volumes
        .iter()
        .filter(|pv| group.physical_volumes.contains(&pv.device))
        .map(|pv| pv.disk.as_str())
        .collect::<Vec<_>>()
        .join("+")
}

fn thick_fix(thick_names: &[String]) -> String {
    let mut variables = Vec::new();
    for entry in thick_names {
        if entry.starts_with(VolumeKind::Engine.stem()) {
            variables.push("hvp_engine_imgsize (or hvp_enginedomain_size)".to_owned());
        } else if entry.starts_with(VolumeKind::Ctdb.stem()) {
            variables.push(VolumeKind::Ctdb.size_variable());
        }
    }
    format!(
        "use a bigger disk, or lower {}",
        if variables.is_empty() {
            "the thick LV sizes".to_owned()
        } else {
            variables.join(" / ")
        }
    )
}
