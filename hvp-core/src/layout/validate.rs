//! Capacity checks on a finished plan: thick LVs that cannot fit are errors, overcommitted
//! thin pools are warnings.
//!
//! Sizes are compared in bytes, with every `GB` counted as GiB (the conservative reading).
//! Thick LVs are checked against the physical disk, also under VDO: a thick brick relies on
//! real space, not on deduplication.

use super::model::{LayoutPlan, NodePlan, PlanWarning, VolumeGroup};
use crate::report::Problem;
use crate::size::human_bytes;
use crate::volumes::VolumeKind;

/// Code of the compat policy's overcommitted thin pool warning.
pub const THIN_OVERCOMMIT: &str = "W108";

/// Every capacity problem of `plan`: errors and warnings, in node order.
pub fn capacity_problems(plan: &LayoutPlan) -> Vec<PlanWarning> {
    plan.nodes.iter().flat_map(node_problems).collect()
}

fn node_problems(node: &NodePlan) -> Vec<PlanWarning> {
    let mut problems = Vec::new();
    for group in &node.volume_groups {
        let physical_bytes = physical_bytes(node, group);
        let mut thick_bytes: u64 = 0;
        let mut thick_names = Vec::new();
        let mut virtual_bytes: u64 = 0;
        for lv in &group.logical_volumes {
            let size = lv
                .size_text
                .clone()
                .unwrap_or_else(|| human_bytes(lv.size_bytes));
            if lv.thin_pool.is_none() {
                thick_bytes = thick_bytes.saturating_add(lv.size_bytes);
                thick_names.push(format!("{} {size}", lv.name));
            } else {
                virtual_bytes = virtual_bytes.saturating_add(lv.size_bytes);
            }
        }
        let pool = group.thin_pools.first();
        let disks = group.disks.join("+");
        let limit = physical_bytes.min(group.size_bytes);
        if thick_bytes > limit {
            problems.push(PlanWarning::from_problem(
                "E004",
                Problem::error(
                    format!("node {}, disk {disks}", node.name),
                    format!(
                        "the thick LVs of {} ({}) need {} but the disk holds only {}",
                        group.name,
                        thick_names.join(" + "),
                        human_bytes(thick_bytes),
                        human_bytes(limit)
                    ),
                    thick_fix(&thick_names),
                ),
            ));
            continue;
        }
        match pool.map(|pool| (pool.size_bytes, pool.percent_of_free.unwrap_or(100))) {
            Some((0, _)) if virtual_bytes > 0 => problems.push(PlanWarning::from_problem(
                "E004",
                Problem::error(
                    format!("node {}, disk {disks}", node.name),
                    format!(
                        "the thick LVs leave no space for the thin pool of {}",
                        group.name
                    ),
                    thick_fix(&thick_names),
                ),
            )),
            Some((pool, percent)) if virtual_bytes > pool => {
                let ratio = virtual_bytes as f64 / pool as f64;
                problems.push(PlanWarning::new(
                    THIN_OVERCOMMIT,
                    format!("node {}, disk {disks}", node.name),
                    format!(
                        "the thin pool of {} is overcommitted {ratio:.2}:1 (thin LVs {} on a \
                         pool of about {}, {percent}% of the free space)",
                        group.name,
                        human_bytes(virtual_bytes),
                        human_bytes(pool),
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
    group
        .disks
        .iter()
        .filter_map(|disk| node.disk(disk))
        .map(|disk| disk.size_bytes)
        .sum()
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
