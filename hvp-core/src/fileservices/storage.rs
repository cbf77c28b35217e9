//! The storage plan as the file services read it: exactly the fields of the format-2 contract
//! they need (nodes in inventory order, volumes with their kind and bricks). Unknown fields are
//! ignored, so the producer may add fields freely.

use serde::Deserialize;

use crate::volumes::VolumeKind;

/// The storage plan (format 2), reduced to what the file services use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoragePlan {
    /// Must be 2.
    pub format_version: u32,
    /// `compat` or `balanced`.
    pub policy: String,
    /// The Gluster nodes, in inventory order.
    pub nodes: Vec<StorageNode>,
    /// The volumes, in creation order.
    pub volumes: Vec<StorageVolume>,
}

/// One Gluster node.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StorageNode {
    /// Inventory host name = Gluster peer name.
    pub name: String,
    /// As configured: `any`, `data`, `arbiter` or `compute`.
    #[serde(default)]
    pub role: Option<String>,
}

/// One Gluster volume.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StorageVolume {
    /// The volume name.
    pub name: String,
    /// What it is for (`ctdb`, `winshare`, …).
    pub kind: String,
    /// Its replica sets.
    #[serde(default)]
    pub replica_sets: Vec<ReplicaSet>,
}

/// One replica set of a volume.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReplicaSet {
    /// Bricks in Gluster order.
    pub bricks: Vec<Brick>,
}

/// One brick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Brick {
    /// The node holding it.
    pub node: String,
    /// Whether it is an arbiter brick (metadata only).
    #[serde(default)]
    pub arbiter: bool,
}

impl StorageVolume {
    /// The volume's kind, when it is one HVP knows.
    pub fn volume_kind(&self) -> Option<VolumeKind> {
        kind_from_name(&self.kind)
    }

    /// Every brick of the volume.
    pub fn bricks(&self) -> impl Iterator<Item = &Brick> {
        self.replica_sets.iter().flat_map(|set| set.bricks.iter())
    }
}

impl StoragePlan {
    /// The volume of a kind, if the plan has one.
    pub fn volume(&self, kind: VolumeKind) -> Option<&StorageVolume> {
        self.volumes.iter().find(|v| v.volume_kind() == Some(kind))
    }

    /// Whether `node` holds a brick (data or arbiter) of any volume.
    pub fn holds_brick(&self, node: &str) -> bool {
        self.volumes
            .iter()
            .flat_map(StorageVolume::bricks)
            .any(|brick| brick.node == node)
    }

    /// Whether `node` holds a data (non-arbiter) brick of any volume.
    pub fn holds_data_brick(&self, node: &str) -> bool {
        self.volumes
            .iter()
            .flat_map(StorageVolume::bricks)
            .any(|brick| brick.node == node && !brick.arbiter)
    }
}

/// The kind named `text` in the contract's spelling (`vmstore`, `winshare`, …).
pub fn kind_from_name(text: &str) -> Option<VolumeKind> {
    VolumeKind::ALL
        .into_iter()
        .find(|kind| kind_name(*kind) == text)
}

/// The contract's spelling of a kind.
pub fn kind_name(kind: VolumeKind) -> &'static str {
    match kind {
        VolumeKind::Engine => "engine",
        VolumeKind::VmStore => "vmstore",
        VolumeKind::Iso => "iso",
        VolumeKind::Ctdb => "ctdb",
        VolumeKind::WinShare => "winshare",
        VolumeKind::UnixShare => "unixshare",
        VolumeKind::BlockShare => "blockshare",
        VolumeKind::Backup => "backup",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_the_volume_kind_serialization() {
        for kind in VolumeKind::ALL {
            let serialized = serde_json::to_value(kind).unwrap();
            assert_eq!(serialized.as_str(), Some(kind_name(kind)));
            assert_eq!(kind_from_name(kind_name(kind)), Some(kind));
        }
        assert_eq!(kind_from_name("nosuch"), None);
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let plan: StoragePlan = serde_json::from_str(
            r#"{"format_version": 2, "policy": "compat", "capacity": {"usable_bytes": 1},
                "nodes": [{"name": "n1", "role": "data", "disks": [], "extra": true}],
                "volumes": [{"name": "ctdb", "kind": "ctdb", "replica": {"count": 1},
                             "replica_sets": [{"bricks": [{"node": "n1", "arbiter": false,
                                                           "directory": "/b"}]}]}],
                "warnings": [], "future": {}}"#,
        )
        .unwrap();
        assert!(plan.holds_data_brick("n1"));
        assert!(!plan.holds_brick("n2"));
        assert_eq!(plan.volume(VolumeKind::Ctdb).unwrap().name, "ctdb");
    }
}
