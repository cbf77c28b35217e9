//! The shared input rules (`crate::input`, `docs/input-rules.md`) on a recorded storage plan.
//!
//! A recorded plan is written by hvp, but it is a file on disk that drift, teardown and
//! expansion read back, and whose names end up in command lines and configuration files.
//! [`document_problems`] runs on every read ([`super::RecordedPlan::from_value`]): no control
//! character anywhere, sizes within LVM's and VDO's bounds. [`name_problems`] checks every
//! name with the validator of its kind; expansion refuses a plan that fails it (teardown has
//! its own, stricter shell check).

use super::plan_view::RecordedPlan;
use crate::input::escape::quoted;
use crate::input::names::NameKind;
use crate::input::size_rules::{LVM_MAX_BYTES, VDO_MAX_LOGICAL_BYTES};
use crate::input::strings::control_character_paths;
use crate::report::Problem;

/// At most this many problems are listed in a [`super::DriftError::Plan`] message.
pub const MAX_LISTED: usize = 10;

/// Control characters (by field path) and sizes beyond bounds, as one-line texts.
pub fn document_problems(value: &serde_json::Value, plan: &RecordedPlan) -> Vec<String> {
    let mut problems: Vec<String> = control_character_paths(value, MAX_LISTED)
        .into_iter()
        .map(|path| format!("field {path} holds a control character"))
        .collect();
    let mut size = |what: String, bytes: u64, max: u64| {
        if bytes > max {
            problems.push(format!(
                "{what} is {bytes} bytes, above the largest possible ({max} bytes)"
            ));
        }
    };
    for (n, node) in plan.nodes.iter().enumerate() {
        for (d, disk) in node.disks.iter().enumerate() {
            size(
                format!("nodes[{n}].disks[{d}].size_bytes"),
                disk.size_bytes,
                LVM_MAX_BYTES,
            );
        }
        for (v, vdo) in node.vdo_devices.iter().enumerate() {
            size(
                format!("nodes[{n}].vdo_devices[{v}].logical_size_bytes"),
                vdo.logical_size_bytes,
                VDO_MAX_LOGICAL_BYTES,
            );
        }
        for (g, vg) in node.volume_groups.iter().enumerate() {
            let at = format!("nodes[{n}].volume_groups[{g}]");
            size(format!("{at}.size_bytes"), vg.size_bytes, LVM_MAX_BYTES);
            for (p, pool) in vg.thin_pools.iter().enumerate() {
                size(
                    format!("{at}.thin_pools[{p}].size_bytes"),
                    pool.size_bytes,
                    LVM_MAX_BYTES,
                );
                size(
                    format!("{at}.thin_pools[{p}].metadata_bytes"),
                    pool.metadata_bytes,
                    LVM_MAX_BYTES,
                );
            }
            for (l, lv) in vg.logical_volumes.iter().enumerate() {
                size(
                    format!("{at}.logical_volumes[{l}].size_bytes"),
                    lv.size_bytes,
                    LVM_MAX_BYTES,
                );
            }
        }
    }
    for (v, volume) in plan.volumes.iter().enumerate() {
        for (b, brick) in volume.bricks().enumerate() {
            size(
                format!("volumes[{v}].bricks[{b}].size_bytes"),
                brick.size_bytes,
                LVM_MAX_BYTES,
            );
        }
    }
    problems
}

/// Every name of the plan checked with the validator of its kind: nodes (host names), disks
/// (kernel names), VDO devices, VGs, thin pools and LVs (LVM names), Gluster volumes; device
/// paths and mount points are absolute paths of file names.
pub fn name_problems(plan: &RecordedPlan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |subject: &str, kind: NameKind, name: &str| {
        if let Err(error) = kind.check(name) {
            problems.push(Problem::error(
                format!("recorded plan, {subject}"),
                error.to_string(),
                format!(
                    "{}; a recorded plan is written by hvp, never edited by hand",
                    error.fix()
                ),
            ));
        }
    };
    for volume in &plan.volumes {
        check("volume", NameKind::GlusterVolume, &volume.name);
        for brick in volume.bricks() {
            check("brick node", NameKind::HostName, &brick.node);
        }
    }
    for node in &plan.nodes {
        check("node", NameKind::HostName, &node.name);
        for disk in &node.disks {
            check("disk", NameKind::BlockDevice, &disk.name);
        }
        for vdo in &node.vdo_devices {
            check("VDO device", NameKind::LvmName, &vdo.name);
            check("VDO disk", NameKind::BlockDevice, &vdo.disk);
        }
        for vg in &node.volume_groups {
            check("volume group", NameKind::LvmName, &vg.name);
            for pool in &vg.thin_pools {
                check("thin pool", NameKind::LvmName, &pool.name);
            }
            for lv in &vg.logical_volumes {
                check("logical volume", NameKind::LvmName, &lv.name);
            }
        }
    }
    let mut path = |subject: &str, text: &str| {
        let ok = text.starts_with('/')
            && text
                .split('/')
                .skip(1)
                .all(|part| NameKind::FileName.check(part).is_ok() && !part.contains(' '));
        if !ok {
            problems.push(Problem::error(
                format!("recorded plan, {subject}"),
                format!("{} is not an absolute path of plain names", quoted(text)),
                "a recorded plan is written by hvp, never edited by hand: regenerate it",
            ));
        }
    };
    for node in &plan.nodes {
        for vg in &node.volume_groups {
            for pv in &vg.physical_volumes {
                path("physical volume", pv);
            }
            for lv in &vg.logical_volumes {
                if let Some(mount_point) = &lv.mount_point {
                    path("mount point", mount_point);
                }
            }
        }
    }
    for volume in &plan.volumes {
        for brick in volume.bricks() {
            path("brick directory", &brick.directory);
        }
    }
    problems
}
