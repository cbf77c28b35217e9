//! Gluster volume options per volume, as the original sets them.
//!
//! The lists are built from named blocks. A single node cannot take
//! `cluster.shd-max-threads`, which the `virt` and `gluster-block` option groups contain, so
//! single-node volumes leave those groups out and set the parts of `virt` that still matter one
//! by one (`NOVIRT`).

use super::model::VolumeOption;
use crate::volumes::VolumeKind;

type Block = &'static [(&'static str, &'static str)];

const OWN36: Block = &[("storage.owner-uid", "36"), ("storage.owner-gid", "36")];
const OWN0: Block = &[("storage.owner-uid", "0"), ("storage.owner-gid", "0")];
const SHARD: Block = &[
    ("features.shard", "on"),
    ("features.shard-block-size", "64MB"),
];
const BASE: Block = &[
    ("performance.low-prio-threads", "32"),
    ("cluster.data-self-heal-algorithm", "full"),
    ("cluster.locking-scheme", "granular"),
    ("cluster.shd-wait-qlength", "10000"),
    ("network.ping-timeout", "10"),
    ("user.cifs", "off"),
    ("performance.strict-o-direct", "on"),
    ("network.remote-dio", "off"),
    ("cluster.granular-entry-heal", "on"),
    ("cluster.use-compound-fops", "on"),
];
const NOVIRT: Block = &[
    ("performance.quick-read", "off"),
    ("performance.read-ahead", "off"),
    ("performance.io-cache", "off"),
    ("cluster.eager-lock", "enable"),
];
const SHD: Block = &[("cluster.shd-max-threads", "8")];
const NFS: Block = &[("nfs.disable", "off")];
const RDIR: Block = &[
    ("features.show-snapshot-directory", "on"),
    ("performance.readdir-ahead", "on"),
    ("performance.parallel-readdir", "on"),
];
const SAMBA: Block = &[("performance.cache-samba-metadata", "on")];
const GROUP_VIRT: Block = &[("group", "virt")];
const GROUP_METADATA_CACHE: Block = &[("group", "metadata-cache")];
const GROUP_NL_CACHE: Block = &[("group", "nl-cache")];
const GROUP_GLUSTER_BLOCK: Block = &[("group", "gluster-block")];

fn blocks(kind: VolumeKind, single_node: bool) -> Vec<Block> {
    use VolumeKind::*;
    let shares_groups = [GROUP_METADATA_CACHE, GROUP_NL_CACHE];
    match (kind, single_node) {
        (Engine | VmStore, true) => vec![OWN36, SHARD, BASE, NOVIRT],
        (Engine | VmStore, false) => vec![GROUP_VIRT, OWN36, SHARD, BASE, SHD],
        (Iso, true) => vec![OWN36, SHARD, BASE, NOVIRT, NFS],
        (Iso, false) => vec![GROUP_VIRT, OWN36, SHARD, BASE, NFS, SHD],
        (Ctdb, true) => vec![OWN36, BASE, NOVIRT],
        (Ctdb, false) => vec![OWN36, BASE, SHD, NOVIRT],
        (WinShare, true) => [&shares_groups[..], &[OWN0, SHARD, BASE, SAMBA, RDIR]].concat(),
        (WinShare, false) => [&shares_groups[..], &[OWN0, SHARD, BASE, SHD, SAMBA, RDIR]].concat(),
        (UnixShare, true) => [&shares_groups[..], &[OWN0, SHARD, BASE, NFS, RDIR]].concat(),
        (UnixShare, false) => [&shares_groups[..], &[OWN0, SHARD, BASE, SHD, NFS, RDIR]].concat(),
        (BlockShare, true) => vec![OWN0, SHARD, BASE],
        (BlockShare, false) => vec![GROUP_GLUSTER_BLOCK, OWN0, SHARD, BASE, SHD],
        (Backup, true) => vec![GROUP_METADATA_CACHE, OWN0, SHARD, BASE, NFS],
        (Backup, false) => vec![GROUP_METADATA_CACHE, OWN0, SHARD, BASE, SHD, NFS],
    }
}

/// The options of a volume, in order, for a single-node or a multi-node cluster.
pub fn volume_options(kind: VolumeKind, single_node: bool) -> Vec<VolumeOption> {
    blocks(kind, single_node)
        .into_iter()
        .flatten()
        .map(|(key, value)| VolumeOption {
            name: (*key).to_owned(),
            value: (*value).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_counts_match_the_original() {
        let expected = [
            (VolumeKind::Engine, 18, 16),
            (VolumeKind::VmStore, 18, 16),
            (VolumeKind::Iso, 19, 17),
            (VolumeKind::Ctdb, 16, 17),
            (VolumeKind::WinShare, 20, 21),
            (VolumeKind::UnixShare, 20, 21),
            (VolumeKind::BlockShare, 14, 16),
            (VolumeKind::Backup, 16, 17),
        ];
        for (kind, single, multi) in expected {
            assert_eq!(volume_options(kind, true).len(), single, "{kind:?} single");
            assert_eq!(volume_options(kind, false).len(), multi, "{kind:?} multi");
        }
    }

    #[test]
    fn single_node_lists_never_set_shd_max_threads() {
        for kind in VolumeKind::ALL {
            let options = volume_options(kind, true);
            assert!(options.iter().all(|o| o.name != "cluster.shd-max-threads"));
            assert!(options
                .iter()
                .all(|o| o.value != "virt" && o.value != "gluster-block"));
        }
    }
}
