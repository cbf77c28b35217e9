//! The plan as a table for people: what each disk becomes, then each volume's bricks. Meant
//! to be read before any disk is wiped.

use super::model::{DiskRole, LayoutPlan, LvItem, NodePlan, NodeRole, Topology};
use crate::size::human_bytes;
use std::fmt::Write as _;

/// Renders `plan` as plain text.
pub fn render_table(plan: &LayoutPlan) -> String {
    if plan.policy == super::model::Policy::Balanced {
        return super::table_balanced::render_balanced_table(plan);
    }
    let mut text = String::new();
    let topology = match plan.topology {
        Topology::Single => "single node, plain volumes".to_owned(),
        Topology::Replicated {
            replica_count,
            arbiter_count,
        } => format!("replica {replica_count}, {arbiter_count} arbiter brick per replica set"),
    };
    let _ = writeln!(
        text,
        "Storage plan ({} policy): {} node(s), {topology}",
        plan.policy.name(),
        plan.nodes.len()
    );
    for node in &plan.nodes {
        text.push('\n');
        write_node(&mut text, node);
    }
    let _ = writeln!(text, "\nVolumes");
    for volume in &plan.volumes {
        let replica = volume.replica;
        let replication = match replica.count {
            0 | 1 => "plain".to_owned(),
            _ if replica.arbiter_count > 0 => {
                format!(
                    "replica {} arbiter {}",
                    replica.count, replica.arbiter_count
                )
            }
            _ => format!("replica {}", replica.count),
        };
        let _ = writeln!(
            text,
            "  {:<12} {replication}, {} options",
            volume.name,
            volume.options.len()
        );
        for brick in volume.bricks() {
            let _ = writeln!(
                text,
                "    {}:{}  on {}/{}{}",
                brick.node,
                brick.directory,
                brick.volume_group,
                brick.logical_volume,
                if brick.arbiter { "  [arbiter]" } else { "" }
            );
        }
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(text, "\nWarnings");
        for warning in &plan.warnings {
            let _ = writeln!(
                text,
                "  - {}: {}",
                warning.problem.subject, warning.problem.message
            );
        }
    }
    text
}

fn role_text(role: DiskRole) -> &'static str {
    match role {
        DiskRole::All => "all bricks",
        DiskRole::Ovirt => "oVirt domains (engine, vmstore, iso)",
        DiskRole::OvirtOther => "engine and iso domains",
        DiskRole::VmStore => "VM store",
        DiskRole::Shares => "ctdb, shares and backup",
        DiskRole::Arbiter => "arbiter bricks",
    }
}

fn write_node(text: &mut String, node: &NodePlan) {
    let role = match node.role {
        NodeRole::Arbiter => "arbiter node",
        _ => "data node",
    };
    let _ = writeln!(text, "{} ({role})", node.name);
    for disk in &node.disks {
        let Some(disk_role) = disk.compat_role else {
            let _ = writeln!(
                text,
                "  /dev/{:<10} {:>10}  unused",
                disk.name,
                human_bytes(disk.size_bytes)
            );
            continue;
        };
        let _ = writeln!(
            text,
            "  /dev/{:<10} {:>10}  {}  (ALL DATA ON IT WILL BE LOST)",
            disk.name,
            human_bytes(disk.size_bytes),
            role_text(disk_role)
        );
        if let Some(vdo) = node.vdo_devices.iter().find(|vdo| vdo.disk == disk.name) {
            let _ = writeln!(
                text,
                "    VDO {} logical {}G",
                vdo.name,
                vdo.logical_size_gib()
            );
        }
        for group in node
            .volume_groups
            .iter()
            .filter(|group| group.disks.contains(&disk.name))
        {
            for device in &group.physical_volumes {
                let _ = writeln!(text, "    PV {device}");
            }
            let _ = writeln!(
                text,
                "    VG {} ({})",
                group.name,
                human_bytes(group.size_bytes)
            );
            for (_, item) in node
                .creation_order()
                .into_iter()
                .filter(|(owner, _)| owner.name == group.name)
            {
                let line = match item {
                    LvItem::Volume(lv) => {
                        let size = lv
                            .size_text
                            .clone()
                            .unwrap_or_else(|| human_bytes(lv.size_bytes));
                        let kind = if lv.thin_pool.is_some() {
                            "thin "
                        } else {
                            "thick"
                        };
                        format!("{kind} {:<14} {size:>8}  {}", lv.name, lv.mount_point)
                    }
                    LvItem::Pool(pool) => format!(
                        "pool  {:<14} {:>7}%  of the free space, chunk {}",
                        pool.name,
                        pool.percent_of_free.unwrap_or(100),
                        pool.chunk_text
                            .clone()
                            .unwrap_or_else(|| human_bytes(pool.chunk_bytes))
                    ),
                };
                let _ = writeln!(text, "      {line}");
            }
        }
    }
}
