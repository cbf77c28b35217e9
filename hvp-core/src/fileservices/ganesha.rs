//! NFS-Ganesha: one NFSv4 export per exported volume (`unixshare`, `iso`, `backup` by default)
//! through FSAL GLUSTER, the whole volume at pseudo path `/<volume>`. Export ids are fixed per
//! kind, so adding or removing an export never renumbers the others. Root is squashed on the
//! users' `unixshare`; `iso` (written by oVirt as vdsm/root) and `backup` keep root.

use super::model::{Export, GaneshaPlan};
use super::storage::{kind_from_name, StoragePlan};
use super::vars::{quoted, FileVars};
use crate::report::Problem;
use crate::volumes::VolumeKind;

fn export_id(kind: VolumeKind) -> Option<u32> {
    match kind {
        VolumeKind::UnixShare => Some(1),
        VolumeKind::Iso => Some(2),
        VolumeKind::Backup => Some(3),
        VolumeKind::WinShare => Some(4),
        _ => None,
    }
}

/// The Ganesha plan.
pub fn ganesha(storage: &StoragePlan, vars: &FileVars, problems: &mut Vec<Problem>) -> GaneshaPlan {
    let mut exports: Vec<Export> = Vec::new();
    for name in &vars.nfs_exports {
        let Some((kind, id)) = kind_from_name(name).and_then(|k| Some((k, export_id(k)?))) else {
            problems.push(Problem::error(
                "variable hvp_nfs_exports",
                format!("{} is not a volume kind that can be exported", quoted(name)),
                "use unixshare, iso, backup or winshare",
            ));
            continue;
        };
        if exports.iter().any(|e| e.id == id) {
            problems.push(Problem::error(
                "variable hvp_nfs_exports",
                format!("{} is listed twice", quoted(name)),
                "list every volume kind once",
            ));
            continue;
        }
        let Some(volume) = storage.volume(kind) else {
            problems.push(super::lock::missing_volume(storage, kind, "the NFS export"));
            continue;
        };
        let pseudo = format!("/{}", volume.name);
        if let Some(other) = exports.iter().find(|e| e.pseudo == pseudo) {
            problems.push(Problem::error(
                "storage plan, volume names",
                format!(
                    "the {} and {} exports would both be {pseudo}",
                    other.kind, name
                ),
                "give the volumes different names",
            ));
        }
        if !volume
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            || volume.name.is_empty()
        {
            problems.push(Problem::error(
                "storage plan, volume names",
                format!(
                    "the volume name {} cannot be exported",
                    quoted(&volume.name)
                ),
                "use letters, digits, '-' or '_' in volume names",
            ));
        }
        exports.push(Export {
            id,
            kind: name.clone(),
            volume: volume.name.clone(),
            pseudo,
            root_squash: kind == VolumeKind::UnixShare,
        });
    }
    exports.sort_by_key(|e| e.id);
    let folders = if exports.iter().any(|e| e.kind == "unixshare") {
        super::samba::check_folders(
            "hvp_unixshare_subfolders",
            &vars.unixshare_subfolders,
            problems,
        );
        vars.unixshare_subfolders.clone()
    } else {
        Vec::new()
    };
    GaneshaPlan {
        graceless: vars.nfs_graceless,
        exports,
        folders,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fileservices::storage::StorageVolume;

    fn storage(kinds: &[(&str, &str)]) -> StoragePlan {
        StoragePlan {
            format_version: 2,
            policy: "compat".into(),
            nodes: Vec::new(),
            volumes: kinds
                .iter()
                .map(|(name, kind)| StorageVolume {
                    name: (*name).into(),
                    kind: (*kind).into(),
                    replica_sets: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn export_ids_are_fixed_per_kind_and_root_squashed_on_unixshare_only() {
        let vars = crate::fileservices::vars::read(&serde_json::Map::new()).unwrap();
        let mut problems = Vec::new();
        // Only backup and unixshare exist... and are listed in another order.
        let mut vars = vars;
        vars.nfs_exports = vec!["backup".into(), "unixshare".into()];
        let plan = ganesha(
            &storage(&[("bk", "backup"), ("home", "unixshare")]),
            &vars,
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:#?}");
        let ids: Vec<(u32, &str, bool)> = plan
            .exports
            .iter()
            .map(|e| (e.id, e.pseudo.as_str(), e.root_squash))
            .collect();
        assert_eq!(ids, [(1, "/home", true), (3, "/bk", false)]);
        assert_eq!(plan.folders.len(), 4);
    }

    #[test]
    fn duplicates_are_refused() {
        let mut vars = crate::fileservices::vars::read(&serde_json::Map::new()).unwrap();
        vars.nfs_exports = vec!["iso".into(), "iso".into()];
        let mut problems = Vec::new();
        ganesha(&storage(&[("iso", "iso")]), &vars, &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("listed twice"));
    }
}
