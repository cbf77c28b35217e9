//! The balanced plan as a table for people: capacity against the bound, every disk with its
//! use or the reason it is not used, each VG's pool and LVs, then each volume with why its
//! size is what it is and its replica sets, then the warnings with their codes.

use super::model::{LayoutPlan, NodePlan};
use crate::size::human_bytes;
use std::fmt::Write as _;

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    format!("{:.2} %", part as f64 * 100.0 / whole as f64)
}

/// Renders a balanced `plan` as plain text.
pub fn render_balanced_table(plan: &LayoutPlan) -> String {
    let mut out = String::new();
    let _ = write_table(plan, &mut |chunk| {
        out.push_str(chunk);
        Ok(())
    });
    out
}

/// Writes the text of [`render_balanced_table`] to `out`, a node or volume at a time (large
/// plans never hold the whole table in memory).
pub fn write_balanced_table(
    plan: &LayoutPlan,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_table(plan, &mut |chunk| out.write_all(chunk.as_bytes()))
}

/// Hands `text` to `sink` once it holds enough to be worth a write.
fn flush_some(
    text: &mut String,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if text.len() >= 1 << 16 {
        sink(text)?;
        text.clear();
    }
    Ok(())
}

fn write_table(
    plan: &LayoutPlan,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut text = String::new();
    let capacity = plan.capacity;
    let _ = writeln!(
        text,
        "Storage plan (balanced policy): {} node(s), {} volume(s)",
        plan.nodes.len(),
        plan.volumes.len()
    );
    let _ = writeln!(
        text,
        "Capacity: the volumes hold {} of the bound {} ({}); stranded {} of raw disk space \
         no replica set can use",
        human_bytes(capacity.usable_bytes),
        human_bytes(capacity.bound_bytes),
        percent(capacity.usable_bytes, capacity.bound_bytes),
        human_bytes(capacity.stranded_bytes)
    );
    if !plan.groups.is_empty() {
        write_groups(&mut text, &plan.groups, &capacity);
    }
    for node in &plan.nodes {
        text.push('\n');
        write_node(&mut text, node);
        flush_some(&mut text, sink)?;
    }
    let _ = writeln!(text, "\nVolumes");
    for volume in &plan.volumes {
        let replica = volume.replica;
        let copies = replica.count - replica.arbiter_count;
        let _ = writeln!(
            text,
            "  {} ({}): {} cop{}{}, {} replica set(s), holds {}",
            volume.name,
            volume.kind.stem(),
            copies,
            if copies == 1 { "y" } else { "ies" },
            if replica.arbiter_count > 0 {
                " + arbiter"
            } else {
                ""
            },
            volume.replica_sets.len(),
            human_bytes(volume.usable_bytes())
        );
        if let Some(sizing) = &volume.sizing {
            let _ = writeln!(text, "    why: {sizing}");
        }
        for (number, set) in volume.replica_sets.iter().enumerate() {
            let bricks: Vec<String> = set
                .bricks
                .iter()
                .map(|brick| {
                    format!(
                        "{}{}:{} {}",
                        if brick.arbiter { "arbiter " } else { "" },
                        brick.node,
                        brick.directory,
                        human_bytes(brick.size_bytes)
                    )
                })
                .collect();
            let _ = writeln!(text, "    set {}: {}", number + 1, bricks.join(", "));
            flush_some(&mut text, sink)?;
        }
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(text, "\nWarnings");
        for warning in &plan.warnings {
            let _ = writeln!(
                text,
                "  - {} {}: {} (fix: {})",
                warning.code, warning.problem.subject, warning.problem.message, warning.problem.fix
            );
        }
    }
    sink(&text)
}

/// How many triples the table lists by name.
const GROUPS_SHOWN: usize = super::model::GROUPS_NAMED;

fn write_groups(text: &mut String, groups: &[Vec<String>], capacity: &super::model::Capacity) {
    let shown: Vec<String> = groups
        .iter()
        .take(GROUPS_SHOWN)
        .map(|group| group.join(", "))
        .collect();
    let grouped = capacity.grouped_bound_bytes.unwrap_or(capacity.bound_bytes);
    let _ = writeln!(
        text,
        "Layout: grouped (hvp_layout_grouped) in {} triple(s), every replica set inside one: \
         two failed nodes stop writes in one triple at most; the triples can hold at most {} \
         ({} of the bound; less when the nodes of a triple differ, W121)",
        groups.len(),
        human_bytes(grouped),
        percent(grouped, capacity.bound_bytes)
    );
    for (number, group) in shown.iter().enumerate() {
        let _ = writeln!(text, "  triple {}: {group}", number + 1);
    }
    if groups.len() > GROUPS_SHOWN {
        let _ = writeln!(
            text,
            "  ... and {} more (the JSON plan lists them all)",
            groups.len() - GROUPS_SHOWN
        );
    }
}

fn write_node(text: &mut String, node: &NodePlan) {
    let role = match node.role.name() {
        "any" => "data and arbiter bricks",
        "data" => "data bricks only",
        "arbiter" => "arbiter bricks only",
        _ => "no bricks",
    };
    let _ = writeln!(text, "{} (role {}: {role})", node.name, node.role.name());
    for disk in &node.disks {
        match (&disk.usage, &disk.reason) {
            (Some(usage), _) => {
                let _ = writeln!(
                    text,
                    "  /dev/{:<10} {:>10}  {:<8} (ALL DATA ON IT WILL BE LOST)",
                    disk.name,
                    human_bytes(disk.size_bytes),
                    format!("{usage:?}").to_lowercase()
                );
            }
            (None, reason) => {
                let _ = writeln!(
                    text,
                    "  /dev/{:<10} {:>10}  unused: {}",
                    disk.name,
                    human_bytes(disk.size_bytes),
                    reason.as_deref().unwrap_or("not needed")
                );
            }
        }
    }
    for vdo in &node.vdo_devices {
        let _ = writeln!(
            text,
            "  VDO {} ({:?}) on {}: physical {}, logical {}, slab {}",
            vdo.name,
            vdo.kind,
            vdo.disk,
            human_bytes(vdo.physical_size_bytes),
            human_bytes(vdo.logical_size_bytes),
            human_bytes(vdo.slab_size_bytes)
        );
    }
    for group in &node.volume_groups {
        let alignment = group
            .alignment
            .map(|a| {
                format!(
                    ", {} alignment {} KiB{}",
                    a.level,
                    a.data_alignment_bytes >> 10,
                    if a.stripe_unit_bytes > 0 {
                        format!(
                            ", XFS su={}k sw={}",
                            a.stripe_unit_bytes >> 10,
                            a.data_disks
                        )
                    } else {
                        String::new()
                    }
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  VG {} {} on {}{alignment}",
            group.name,
            human_bytes(group.size_bytes),
            group.physical_volumes.join(", ")
        );
        for lv in group
            .logical_volumes
            .iter()
            .filter(|lv| lv.thin_pool.is_none())
        {
            let _ = writeln!(
                text,
                "    thick {:<28} {:>10}  {}",
                lv.name,
                human_bytes(lv.size_bytes),
                lv.mount_point
            );
        }
        for pool in &group.thin_pools {
            let used: u64 = group
                .logical_volumes
                .iter()
                .filter(|lv| lv.thin_pool.as_deref() == Some(pool.name.as_str()))
                .map(|lv| lv.size_bytes)
                .sum();
            let _ = writeln!(
                text,
                "    pool  {} data {}, metadata {} (+ the same as spare: 0.5 %, at most 16256 MiB), chunk {} KiB",
                pool.name,
                human_bytes(pool.size_bytes),
                human_bytes(pool.metadata_bytes),
                pool.chunk_bytes >> 10
            );
            if let Some(cache) = &pool.cache {
                let _ = writeln!(
                    text,
                    "      cache {} on {}: {} + {} metadata, {}",
                    cache.name,
                    cache.device,
                    human_bytes(cache.data_bytes),
                    human_bytes(cache.metadata_bytes),
                    cache.mode
                );
            }
            for lv in group
                .logical_volumes
                .iter()
                .filter(|lv| lv.thin_pool.as_deref() == Some(pool.name.as_str()))
            {
                let _ = writeln!(
                    text,
                    "    thin  {:<28} {:>10}  {}",
                    lv.name,
                    human_bytes(lv.size_bytes),
                    lv.mount_point
                );
            }
            let free = pool.size_bytes.saturating_sub(used);
            let _ = writeln!(
                text,
                "    free in the pool: {} (arbiter/expansion reserve and what no set could use)",
                human_bytes(free)
            );
        }
    }
}
