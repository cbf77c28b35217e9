//! Which teardown operations still have something to remove, from what a node (or the
//! Gluster side) shows now: a second teardown run finds nothing to do.

use super::{Action, Operation, Teardown};
use crate::drift::gluster::LiveVolume;
use crate::drift::live::NodeState;
use std::collections::BTreeSet;

/// What is there now, on one node or on the Gluster side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Present {
    /// LVM objects and mounts of the node (`None` for the Gluster side).
    pub node: Option<NodeState>,
    /// The node's fstab text.
    pub fstab: String,
    /// Mount point directories that exist.
    pub directories: BTreeSet<String>,
    /// Legacy VDO devices that exist (names).
    pub vdo_devices: BTreeSet<String>,
    /// Disks (kernel names) on which `wipefs` still finds a signature.
    pub signed_disks: BTreeSet<String>,
    /// Gluster volumes (`None` on a node).
    pub volumes: Option<Vec<LiveVolume>>,
}

fn fstab_has(fstab: &str, mount_point: &str) -> bool {
    fstab.lines().any(|line| {
        let mut fields = line.split_whitespace();
        matches!(fields.next(), Some(first) if !first.starts_with('#'))
            && fields.next() == Some(mount_point)
    })
}

/// The operations of `node` (`None`: the Gluster ones) that still have something to do, in
/// order. Guard lines (pool and VG checks) are kept whenever their removal is.
pub fn pending<'a>(
    teardown: &'a Teardown,
    node: Option<&'a str>,
    present: &Present,
) -> Vec<&'a Operation> {
    let state = present.node.as_ref();
    let lv_exists = |vg: &str, lv: &str| {
        state.is_some_and(|s| s.lvs.iter().any(|l| l.vg == vg && l.name == lv))
    };
    teardown
        .for_node(node)
        .filter(|operation| {
            let object = operation.object.as_str();
            let split = |prefix: &str| {
                object
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.split_once('/'))
            };
            match operation.action {
                Action::StopVolume => present.volumes.as_ref().is_some_and(|volumes| {
                    volumes.iter().any(|v| {
                        Some(v.name.as_str()) == object.strip_prefix("volume ")
                            && v.status == "Started"
                    })
                }),
                Action::DeleteVolume => present.volumes.as_ref().is_some_and(|volumes| {
                    volumes
                        .iter()
                        .any(|v| Some(v.name.as_str()) == object.strip_prefix("volume "))
                }),
                Action::Unmount => object.strip_prefix("mount ").is_some_and(|mount| {
                    state.is_some_and(|s| s.mounts.iter().any(|m| m.mount_point == mount))
                }),
                Action::FstabEntry => object
                    .strip_prefix("mount ")
                    .is_some_and(|mount| fstab_has(&present.fstab, mount)),
                Action::MountPoint => object
                    .strip_prefix("mount ")
                    .is_some_and(|mount| present.directories.contains(mount)),
                Action::RemoveLv => split("lv ").is_some_and(|(vg, lv)| lv_exists(vg, lv)),
                Action::RemovePool => split("thin pool ").is_some_and(|(vg, lv)| lv_exists(vg, lv)),
                Action::RemoveVg => object
                    .strip_prefix("vg ")
                    .is_some_and(|vg| state.is_some_and(|s| s.vgs.iter().any(|v| v.name == vg))),
                Action::RemovePv => object
                    .strip_prefix("pv ")
                    .is_some_and(|pv| state.is_some_and(|s| s.pvs.iter().any(|p| p.name == pv))),
                Action::RemoveVdo => match object.strip_prefix("vdo ") {
                    Some(name) => present.vdo_devices.contains(name),
                    None => split("lvm vdo ").is_some_and(|(vg, lv)| lv_exists(vg, lv)),
                },
                Action::WipeDisk => object
                    .strip_prefix("disk ")
                    .is_some_and(|disk| present.signed_disks.contains(disk)),
            }
        })
        .collect()
}
