//! The live state of the cluster, assembled from raw command output.

use super::gluster::{parse_group_file, parse_volume_info, LiveVolume};
use super::lvm::{parse_lvs, parse_pvs, parse_vgs, LiveLv, LivePv, LiveVg};
use super::mounts::{parse_mountinfo, Mount};
use super::vdo::{lvm_vdos, parse_vdo_status, LiveVdo};
use super::DriftError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Raw output gathered on one node (what the edge hands in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawNodeState {
    /// Inventory host name.
    pub name: String,
    /// Output of [`super::lvm::PVS_ARGS`].
    pub pvs: String,
    /// Output of [`super::lvm::VGS_ARGS`].
    pub vgs: String,
    /// Output of [`super::lvm::LVS_ARGS`].
    pub lvs: String,
    /// Text of `/proc/self/mountinfo`.
    pub mountinfo: String,
    /// Output of `vdo status` (legacy VDO manager); empty when not asked or not installed.
    #[serde(default)]
    pub vdo_status: String,
}

/// Raw output gathered on the one node that asks Gluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawClusterState {
    /// Output of `gluster --mode=script volume info --xml`.
    pub volume_info_xml: String,
    /// Text of `/var/lib/glusterd/groups/NAME` for every group the plan sets, by NAME; a group
    /// missing here is compared by its name only.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// One node's LVM objects and mounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeState {
    /// Inventory host name.
    pub name: String,
    /// Physical volumes.
    pub pvs: Vec<LivePv>,
    /// Volume groups.
    pub vgs: Vec<LiveVg>,
    /// Logical volumes (not hidden ones).
    pub lvs: Vec<LiveLv>,
    /// Mounted filesystems.
    pub mounts: Vec<Mount>,
    /// VDO devices: legacy ones from `vdo status`, LVM VDO pools from `lvs`.
    pub vdos: Vec<LiveVdo>,
}

/// The Gluster side: volumes and the option groups they were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterState {
    /// Every volume, as `gluster volume info` lists them.
    pub volumes: Vec<LiveVolume>,
    /// Option groups by name, as `key=value` pairs in file order.
    pub groups: BTreeMap<String, Vec<(String, String)>>,
}

/// What was read of the running cluster: any subset of its nodes, and the Gluster side when it
/// was asked. [`super::compare`] compares exactly what is here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LiveState {
    /// Nodes that reported.
    pub nodes: Vec<NodeState>,
    /// Volumes and groups, when read.
    pub cluster: Option<ClusterState>,
}

/// Parses raw node and cluster output into a [`LiveState`]; every unreadable text is reported,
/// not only the first.
pub fn parse(
    nodes: &[RawNodeState],
    cluster: Option<&RawClusterState>,
) -> Result<LiveState, Vec<DriftError>> {
    let mut errors = Vec::new();
    let mut state = LiveState::default();
    for raw in nodes {
        let source = |command: &str| format!("{}: {command}", raw.name);
        let pvs = parse_pvs(&raw.pvs, &source("pvs"));
        let vgs = parse_vgs(&raw.vgs, &source("vgs"));
        let lvs = parse_lvs(&raw.lvs, &source("lvs"));
        let mounts = parse_mountinfo(&raw.mountinfo, &source("/proc/self/mountinfo"));
        let legacy = parse_vdo_status(&raw.vdo_status, &source("vdo status"));
        match (pvs, vgs, lvs, mounts, legacy) {
            (Ok(pvs), Ok(vgs), Ok(lvs), Ok(mounts), Ok(mut vdos)) => {
                vdos.extend(lvm_vdos(&lvs));
                state.nodes.push(NodeState {
                    name: raw.name.clone(),
                    pvs,
                    vgs,
                    lvs,
                    mounts,
                    vdos,
                })
            }
            (pvs, vgs, lvs, mounts, legacy) => {
                errors.extend(pvs.err());
                errors.extend(vgs.err());
                errors.extend(lvs.err());
                errors.extend(mounts.err());
                errors.extend(legacy.err());
            }
        }
    }
    if let Some(raw) = cluster {
        match parse_volume_info(&raw.volume_info_xml) {
            Ok(volumes) => {
                state.cluster = Some(ClusterState {
                    volumes,
                    groups: raw
                        .groups
                        .iter()
                        .map(|(name, text)| (name.clone(), parse_group_file(text)))
                        .collect(),
                })
            }
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(state)
    } else {
        Err(errors)
    }
}
