//! The CTDB cluster lock: a file on the `ctdb` Gluster volume, FUSE-mounted on every member at
//! `/gluster/lock` (the original's `gluster-lock.mount`), with a 10 s client ping timeout so a
//! dead node's lock is released quickly.

use super::model::{CtdbSettings, LockPlan};
use super::storage::StoragePlan;
use super::vars::FileVars;
use crate::report::Problem;
use crate::volumes::VolumeKind;

/// Where the lock volume is mounted (the original's path; Samba's private dir lives there too).
pub const MOUNT_POINT: &str = "/gluster/lock";

/// The lock plan; a problem when the storage plan has no `ctdb` volume.
pub fn lock(storage: &StoragePlan, problems: &mut Vec<Problem>) -> LockPlan {
    let volume = match storage.volume(VolumeKind::Ctdb) {
        Some(volume) => volume.name.clone(),
        None => {
            problems.push(missing_volume(
                storage,
                VolumeKind::Ctdb,
                "the CTDB cluster lock",
            ));
            VolumeKind::Ctdb.default_volume_name().to_string()
        }
    };
    LockPlan {
        volume,
        mount_point: MOUNT_POINT.into(),
        unit: unit_name(MOUNT_POINT),
        options: vec![
            "defaults".into(),
            "_netdev".into(),
            "acl".into(),
            "xlator-option=*client*.ping-timeout=10".into(),
        ],
        lock_file: format!("{MOUNT_POINT}/lockfile"),
    }
}

/// The CTDB daemon settings from the variables.
pub fn ctdb_settings(vars: &FileVars) -> CtdbSettings {
    CtdbSettings {
        log_location: vars.ctdb_log_location.clone(),
        realtime_scheduling: vars.ctdb_realtime_scheduling,
        tunables: vars
            .ctdb_tunables
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
    }
}

/// systemd's unit name for a mount point (`/gluster/lock` → `gluster-lock.mount`); the mount
/// point is ours, made of plain path components.
pub fn unit_name(mount_point: &str) -> String {
    format!("{}.mount", mount_point.trim_matches('/').replace('/', "-"))
}

/// The problem of a volume kind missing from the storage plan.
pub fn missing_volume(storage: &StoragePlan, kind: VolumeKind, purpose: &str) -> Problem {
    let names: Vec<String> = storage
        .volumes
        .iter()
        .map(|v| {
            format!(
                "{} ({})",
                super::vars::escaped(&v.name),
                super::vars::escaped(&v.kind)
            )
        })
        .collect();
    Problem::error(
        format!(
            "storage plan, volume kind {}",
            super::storage::kind_name(kind)
        ),
        format!(
            "{purpose} needs a volume of kind {}, but the storage plan has only: {}",
            super::storage::kind_name(kind),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ),
        format!(
            "plan the storage with the {} volume ({})",
            super::storage::kind_name(kind),
            kind.name_variable()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_follow_systemd() {
        assert_eq!(unit_name("/gluster/lock"), "gluster-lock.mount");
        assert_eq!(unit_name("/srv"), "srv.mount");
    }
}
