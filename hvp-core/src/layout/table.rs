//! The plan as a table for people: what each disk becomes, then each volume's bricks. Meant
//! to be read before any disk is wiped.

use super::model::{DiskRole, LayoutPlan, LvKind, NodePlan, NodeRole, Topology};
use crate::size::human_bytes;
use std::fmt::Write as _;

/// Renders `plan` as plain text.
pub fn render_table(plan: &LayoutPlan) -> String {
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
        let replication = match volume.replica {
            None => "plain".to_owned(),
            Some(replica) if replica.arbiter_count > 0 => {
                format!(
                    "replica {} arbiter {}",
                    replica.count, replica.arbiter_count
                )
            }
            Some(replica) => format!("replica {}", replica.count),
        };
        let _ = writeln!(
            text,
            "  {:<12} {replication}, {} options",
            volume.name,
            volume.options.len()
        );
        for brick in &volume.bricks {
            let _ = writeln!(
                text,
                "    {}:{}  on {}{}",
                brick.node,
                brick.directory,
                brick.logical_volume.as_deref().unwrap_or("(no LV planned)"),
                if brick.arbiter { "  [arbiter]" } else { "" }
            );
        }
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(text, "\nWarnings");
        for warning in &plan.warnings {
            let _ = writeln!(text, "  - {}: {}", warning.subject, warning.message);
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
        NodeRole::Data => "data node",
        NodeRole::Arbiter => "arbiter node",
    };
    let _ = writeln!(text, "{} ({role})", node.name);
    for disk in &node.disks {
        let Some(disk_role) = disk.role else {
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
        let storage = &node.storage;
        if let Some(vdo) = storage.vdo_devices.iter().find(|vdo| vdo.disk == disk.name) {
            let _ = writeln!(
                text,
                "    VDO {} logical {}G",
                vdo.name, vdo.logical_size_gib
            );
        }
        for pv in storage
            .physical_volumes
            .iter()
            .filter(|pv| pv.disk == disk.name)
        {
            let _ = writeln!(text, "    PV /dev/{}", pv.device);
            for vg in storage
                .volume_groups
                .iter()
                .filter(|vg| vg.physical_volumes.contains(&pv.device))
            {
                let _ = writeln!(
                    text,
                    "    VG {} ({})",
                    vg.name,
                    human_bytes(vg.capacity_bytes)
                );
                for lv in storage
                    .logical_volumes
                    .iter()
                    .filter(|lv| lv.volume_group == vg.name)
                {
                    let line = match &lv.kind {
                        LvKind::Thick { name, size, mount } => {
                            format!("thick {name:<14} {:>8}  {mount}", size.text())
                        }
                        LvKind::ThinPool {
                            name,
                            chunk_size,
                            percent_of_free,
                        } => format!(
                            "pool  {name:<14} {percent_of_free:>7}%  of the free space, chunk {}",
                            chunk_size.text()
                        ),
                        LvKind::Thin {
                            name,
                            virtual_size,
                            mount,
                            ..
                        } => format!("thin  {name:<14} {:>8}  {mount}", virtual_size.text()),
                    };
                    let _ = writeln!(text, "      {line}");
                }
            }
        }
    }
}
