//! Exact teardown: from the recorded plan, the operations that undo it, in order, and nothing
//! else.
//!
//! Order: stop and delete the planned Gluster volumes (on one node); then on every node
//! unmount the planned brick filesystems and drop their fstab lines, remove the planned thin
//! LVs, thick LVs and pools, the VGs, the PVs, the VDO devices, and finally `wipefs -a` the
//! planned disks. Every removal names its object; pools and VGs are removed only when they hold
//! nothing but planned LVs (an unplanned LV stops the teardown there). The plan is checked
//! first: a PV on a device that is not one of the node's planned disks (or their VDO devices)
//! is refused by name, as is a name that could not be passed safely to a shell.

mod pending;
mod render;

pub use pending::{pending, Present};
pub use render::{render_commands, render_ini};

use crate::drift::plan_view::{PlanNode, RecordedPlan};
use crate::report::{Problem, Report};
use serde::Serialize;

/// What an operation removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `gluster volume stop`.
    StopVolume,
    /// `gluster volume delete`.
    DeleteVolume,
    /// `umount` of a brick filesystem.
    Unmount,
    /// Its fstab line.
    FstabEntry,
    /// The empty mount point directory.
    MountPoint,
    /// A thin or thick LV.
    RemoveLv,
    /// A thin pool (only when it holds no unplanned thin LV).
    RemovePool,
    /// A VG (only when empty).
    RemoveVg,
    /// A PV label.
    RemovePv,
    /// A VDO device.
    RemoveVdo,
    /// Every signature of a planned disk.
    WipeDisk,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operation {
    /// The node to run it on; `None` for Gluster operations (any one node of the cluster).
    pub node: Option<String>,
    /// What it removes.
    pub action: Action,
    /// The object (`volume vmstore`, `lv gluster_vg_sdb/gluster_lv_engine`, `disk sdb`).
    pub object: String,
    /// The exact shell line.
    pub command: String,
}

/// The ordered operations undoing a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Teardown {
    /// Node names in plan order.
    pub nodes: Vec<String>,
    /// Every operation, in order: Gluster first, then node by node.
    pub operations: Vec<Operation>,
}

impl Teardown {
    /// The operations of `node` (`None`: the Gluster ones), in order.
    pub fn for_node<'a>(&'a self, node: Option<&'a str>) -> impl Iterator<Item = &'a Operation> {
        self.operations
            .iter()
            .filter(move |operation| operation.node.as_deref() == node)
    }
}

/// The fstab file the commands edit.
pub const FSTAB: &str = "/etc/fstab";

/// Whether `text` can be written into a shell line unquoted (and into a sed address).
fn plain(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/+:@".contains(c))
        && !text.starts_with('-')
}

/// Checks the plan and lists the operations that undo it. Every problem is reported at once.
pub fn plan_teardown(plan: &RecordedPlan) -> Result<Teardown, Report> {
    let mut problems = Vec::new();
    check_names(plan, &mut problems);
    for node in &plan.nodes {
        check_devices(node, &mut problems);
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    let mut operations = Vec::new();
    for volume in plan.volumes.iter().rev() {
        let object = format!("volume {}", volume.name);
        operations.push(Operation {
            node: None,
            action: Action::StopVolume,
            object: object.clone(),
            command: format!("gluster --mode=script volume stop {} force", volume.name),
        });
        operations.push(Operation {
            node: None,
            action: Action::DeleteVolume,
            object,
            command: format!("gluster --mode=script volume delete {}", volume.name),
        });
    }
    for node in &plan.nodes {
        node_operations(node, &mut operations);
    }
    Ok(Teardown {
        nodes: plan.nodes.iter().map(|node| node.name.clone()).collect(),
        operations,
    })
}

fn check_names(plan: &RecordedPlan, problems: &mut Vec<Problem>) {
    let mut check = |subject: String, field: &str, value: &str| {
        if !plain(value) {
            problems.push(Problem::error(
                subject,
                format!(
                    "{field} {:?} holds characters hvp does not pass to a shell",
                    value.escape_default().to_string()
                ),
                "use names of letters, digits and _ . - / + : @ (as hvp plans them); a \
                 recorded plan is never edited by hand",
            ));
        }
    };
    for volume in &plan.volumes {
        check(
            format!("volume {}", volume.name.escape_default()),
            "volume name",
            &volume.name,
        );
    }
    for node in &plan.nodes {
        let subject = format!("node {}", node.name.escape_default());
        check(subject.clone(), "node name", &node.name);
        for disk in &node.disks {
            check(subject.clone(), "disk", &disk.name);
        }
        for vdo in &node.vdo_devices {
            check(subject.clone(), "VDO device", &vdo.name);
        }
        for vg in &node.volume_groups {
            check(subject.clone(), "VG", &vg.name);
            for pv in &vg.physical_volumes {
                check(subject.clone(), "PV", pv);
            }
            for pool in &vg.thin_pools {
                check(subject.clone(), "thin pool", &pool.name);
            }
            for lv in &vg.logical_volumes {
                check(subject.clone(), "LV", &lv.name);
                if let Some(mount_point) = &lv.mount_point {
                    check(subject.clone(), "mount point", mount_point);
                }
            }
        }
    }
}

/// The devices a node's PVs may sit on: its used disks and the VDO devices on them.
fn planned_devices(node: &PlanNode) -> Vec<String> {
    let used: Vec<&str> = node
        .disks
        .iter()
        .filter(|disk| disk.usage.is_some())
        .map(|disk| disk.name.as_str())
        .collect();
    let mut devices: Vec<String> = used.iter().map(|disk| format!("/dev/{disk}")).collect();
    for vdo in &node.vdo_devices {
        if used.contains(&vdo.disk.as_str()) {
            devices.push(format!("/dev/mapper/{}", vdo.name));
        }
    }
    devices
}

fn check_devices(node: &PlanNode, problems: &mut Vec<Problem>) {
    let devices = planned_devices(node);
    for vg in &node.volume_groups {
        for pv in &vg.physical_volumes {
            if !devices.contains(pv) {
                problems.push(Problem::error(
                    format!(
                        "node {}, vg {}",
                        node.name.escape_default(),
                        vg.name.escape_default()
                    ),
                    format!(
                        "PV {} is not on a disk of the plan (planned: {}); refusing to remove \
                         or wipe it",
                        pv.escape_default(),
                        if devices.is_empty() {
                            "none".to_owned()
                        } else {
                            devices.join(", ")
                        }
                    ),
                    "use the recorded plan exactly as hvp wrote it; a disk that is not in the \
                     plan is never touched",
                ));
            }
        }
    }
    for vdo in &node.vdo_devices {
        if node
            .disk(&vdo.disk)
            .and_then(|d| d.usage.as_ref())
            .is_none()
        {
            problems.push(Problem::error(
                format!(
                    "node {}, vdo {}",
                    node.name.escape_default(),
                    vdo.name.escape_default()
                ),
                format!(
                    "VDO device on disk {}, which is not a used disk of the plan",
                    vdo.disk.escape_default()
                ),
                "use the recorded plan exactly as hvp wrote it",
            ));
        }
    }
}

fn node_operations(node: &PlanNode, operations: &mut Vec<Operation>) {
    let mut push = |action: Action, object: String, command: String| {
        operations.push(Operation {
            node: Some(node.name.clone()),
            action,
            object,
            command,
        });
    };
    let lvs: Vec<_> = node
        .volume_groups
        .iter()
        .flat_map(|vg| vg.logical_volumes.iter().map(move |lv| (vg, lv)))
        .collect();
    for (_, lv) in lvs.iter().rev() {
        let Some(mount_point) = &lv.mount_point else {
            continue;
        };
        let object = format!("mount {mount_point}");
        push(
            Action::Unmount,
            object.clone(),
            format!("if mountpoint -q {mount_point}; then umount {mount_point}; fi"),
        );
        let address = mount_point.replace('.', "\\.");
        push(
            Action::FstabEntry,
            object.clone(),
            format!("sed -i '\\|^[^#[:space:]]\\+[[:space:]]\\+{address}[[:space:]]|d' {FSTAB}"),
        );
        push(
            Action::MountPoint,
            object,
            format!("rmdir --ignore-fail-on-non-empty {mount_point}"),
        );
    }
    // Thin LVs, then thick LVs, each in reverse creation order; then the pools.
    for thin in [true, false] {
        for (vg, lv) in lvs
            .iter()
            .rev()
            .filter(|(_, lv)| lv.thin_pool.is_some() == thin)
        {
            push(
                Action::RemoveLv,
                format!("lv {}/{}", vg.name, lv.name),
                format!("lvremove -y {}/{}", vg.name, lv.name),
            );
        }
    }
    for vg in node.volume_groups.iter().rev() {
        for pool in vg.thin_pools.iter().rev() {
            push(
                Action::RemovePool,
                format!("thin pool {}/{}", vg.name, pool.name),
                format!(
                    "test -z \"$(lvs --noheadings -o lv_name -S pool_lv={pool} {vg})\" || \
                     {{ echo 'hvp: thin pool {vg}/{pool} holds LVs that are not in the plan; \
                     stopping' >&2; false; }}",
                    pool = pool.name,
                    vg = vg.name
                ),
            );
            push(
                Action::RemovePool,
                format!("thin pool {}/{}", vg.name, pool.name),
                format!("lvremove -y {}/{}", vg.name, pool.name),
            );
        }
        for vdo in node.vdo_devices.iter().filter(|vdo| vdo.kind == "lvm") {
            if vg
                .physical_volumes
                .iter()
                .any(|pv| pv == &format!("/dev/{}", vdo.disk))
            {
                push(
                    Action::RemoveVdo,
                    format!("lvm vdo {}/{}", vg.name, vdo.name),
                    format!("lvremove -y {}/{}", vg.name, vdo.name),
                );
            }
        }
    }
    for vg in node.volume_groups.iter().rev() {
        push(
            Action::RemoveVg,
            format!("vg {}", vg.name),
            format!(
                "test \"$(vgs --noheadings -o lv_count {vg})\" -eq 0 || {{ echo 'hvp: VG {vg} \
                 holds LVs that are not in the plan; stopping' >&2; false; }}",
                vg = vg.name
            ),
        );
        push(
            Action::RemoveVg,
            format!("vg {}", vg.name),
            format!("vgremove -y {}", vg.name),
        );
    }
    for vg in node.volume_groups.iter().rev() {
        for pv in &vg.physical_volumes {
            push(
                Action::RemovePv,
                format!("pv {pv}"),
                format!("pvremove -y {pv}"),
            );
        }
    }
    for vdo in node.vdo_devices.iter().filter(|vdo| vdo.kind != "lvm") {
        push(
            Action::RemoveVdo,
            format!("vdo {}", vdo.name),
            format!("vdo remove --name={}", vdo.name),
        );
    }
    for disk in node.disks.iter().filter(|disk| disk.usage.is_some()) {
        push(
            Action::WipeDisk,
            format!("disk {}", disk.name),
            format!("wipefs -a /dev/{}", disk.name),
        );
    }
}
