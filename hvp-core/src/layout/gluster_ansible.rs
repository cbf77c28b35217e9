//! The plan as a YAML inventory for gluster-ansible's `gluster.infra` backend_setup role: per
//! host the VGs, thick LVs, thin pools, thin LVs, mounts, VDO and caches, with RAID geometry
//! as host variables; the volumes through `gluster_features_hci_volumes` only when the layout
//! is expressible that way (one set per volume on exactly the three hosts in order),
//! otherwise as `hvp_gluster_volume_commands` for hvp's own play (the `commands` output).
//!
//! The role cannot create GPT partitions for split caches: they are listed per host in
//! `hvp_cache_partitions` for a task to create before the role runs. LVM-VDO cannot be
//! expressed (the role only knows the legacy `vdo` manager): E019.

use super::commands::render_commands;
use super::model::{LayoutPlan, NodePlan, Policy, VdoKind};
use crate::gdeploy::render::lvm_mib;
use crate::report::Problem;
use serde_yaml_ng::{Mapping, Value};

fn map(pairs: Vec<(&str, Value)>) -> Value {
    let mut mapping = Mapping::new();
    for (key, value) in pairs {
        mapping.insert(Value::String(key.to_owned()), value);
    }
    Value::Mapping(mapping)
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

fn list(values: Vec<Value>) -> Value {
    Value::Sequence(values)
}

/// A GPT partition of a split cache SSD, to create before the backend setup (the
/// `hvp_cache_partitions` module's input).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CachePartition {
    /// The SSD, `/dev/<disk>`.
    pub disk: String,
    /// The partition, `/dev/<disk>N` or `/dev/<disk>pN`.
    pub device: String,
    /// Its size in bytes (whole MiB).
    pub size_bytes: u64,
}

/// The cache partitions of `node`, in VG order, each once (with one pool per brick a VG's
/// cache pools share one partition): the cache devices that are not their whole disk (the
/// cache's disk is the VG's last). Empty when no cache SSD is split.
pub fn cache_partitions(node: &NodePlan) -> Vec<CachePartition> {
    let mut partitions: Vec<CachePartition> = Vec::new();
    for group in &node.volume_groups {
        let Some(disk) = group.disks.get(1..).and_then(<[String]>::last) else {
            continue;
        };
        for cache in group
            .thin_pools
            .iter()
            .filter_map(|pool| pool.cache.as_ref())
        {
            let whole = cache.device.trim_start_matches("/dev/") == disk.as_str();
            if whole || partitions.iter().any(|p| p.device == cache.device) {
                continue;
            }
            partitions.push(CachePartition {
                disk: format!("/dev/{disk}"),
                device: cache.device.clone(),
                size_bytes: cache.device_bytes,
            });
        }
    }
    partitions
}

/// E019 problems of emitting `plan` as gDeploy INI or gluster-ansible YAML.
pub fn inexpressible(plan: &LayoutPlan, format: &str) -> Vec<Problem> {
    plan.nodes
        .iter()
        .flat_map(|node| {
            node.vdo_devices
                .iter()
                .filter(|vdo| vdo.kind == VdoKind::Lvm)
                .map(move |vdo| {
                    Problem::error(
                        format!("node {}, disk {}", node.name, vdo.disk),
                        format!(
                            "E019: the {format} output cannot express LVM-VDO ({}): its tools only know the legacy vdo manager",
                            vdo.name
                        ),
                        "use --format json or commands with hvp's own applier, or hvp_vdo_mode: legacy (EL8) / none",
                    )
                })
        })
        .collect()
}

/// Whether every volume is one set on exactly the three nodes in inventory order with one
/// brick path (what `gluster_features_hci_volumes` format 1 creates).
pub fn format_one_expressible(plan: &LayoutPlan) -> bool {
    plan.nodes.len() == 3
        && plan.volumes.iter().all(|volume| {
            volume.replica_sets.len() == 1
                && volume.replica_sets[0].bricks.len() == 3
                && volume.replica_sets[0]
                    .bricks
                    .iter()
                    .zip(&plan.nodes)
                    .all(|(brick, node)| brick.node == node.name)
                && volume.replica_sets[0]
                    .bricks
                    .windows(2)
                    .all(|pair| pair[0].directory == pair[1].directory)
        })
}

fn host_vars(node: &NodePlan) -> Value {
    let mut pairs: Vec<(&str, Value)> = Vec::new();
    let used: Vec<Value> = node
        .disks
        .iter()
        .filter(|disk| disk.usage.is_some())
        .map(|disk| text(disk.name.clone()))
        .collect();
    pairs.push(("blacklist_mpath_devices", list(used)));
    if let Some(alignment) = node
        .volume_groups
        .iter()
        .find_map(|group| group.alignment.filter(|a| a.level != "jbod"))
    {
        pairs.push((
            "gluster_infra_disktype",
            text(alignment.level.to_uppercase()),
        ));
        pairs.push((
            "gluster_infra_diskcount",
            Value::Number(alignment.data_disks.into()),
        ));
        pairs.push((
            "gluster_infra_stripe_unit_size",
            Value::Number((alignment.stripe_unit_bytes >> 10).into()),
        ));
    }
    if !node.vdo_devices.is_empty() {
        pairs.push((
            "gluster_infra_vdo",
            list(
                node.vdo_devices
                    .iter()
                    .map(|vdo| {
                        map(vec![
                            ("name", text(vdo.name.clone())),
                            ("device", text(format!("/dev/{}", vdo.disk))),
                            ("logicalsize", text(format!("{}G", vdo.logical_size_gib()))),
                            ("slabsize", text(vdo.settings.slab_size.clone())),
                            (
                                "blockmapcachesize",
                                text(vdo.settings.block_map_cache_size.clone()),
                            ),
                            ("writepolicy", text(vdo.settings.write_policy.clone())),
                        ])
                    })
                    .collect(),
            ),
        ));
    }
    let mut volume_groups = Vec::new();
    let mut thick = Vec::new();
    let mut pools = Vec::new();
    let mut thin = Vec::new();
    let mut mounts = Vec::new();
    let mut caches = Vec::new();
    for group in &node.volume_groups {
        let cache_devices: Vec<&str> = group
            .thin_pools
            .iter()
            .filter_map(|pool| pool.cache.as_ref().map(|cache| cache.device.as_str()))
            .collect();
        let data_pvs: Vec<&str> = group
            .physical_volumes
            .iter()
            .map(String::as_str)
            .filter(|device| !cache_devices.contains(device))
            .collect();
        volume_groups.push(map(vec![
            ("vgname", text(group.name.clone())),
            ("pvname", text(data_pvs.join(","))),
        ]));
        for lv in &group.logical_volumes {
            mounts.push(map(vec![
                ("path", text(lv.mount_point.clone())),
                ("vgname", text(group.name.clone())),
                ("lvname", text(lv.name.clone())),
            ]));
            match &lv.thin_pool {
                None => thick.push(map(vec![
                    ("vgname", text(group.name.clone())),
                    ("lvname", text(lv.name.clone())),
                    ("size", text(lvm_mib(lv.size_bytes))),
                ])),
                Some(pool) => thin.push(map(vec![
                    ("vgname", text(group.name.clone())),
                    ("thinpool", text(pool.clone())),
                    ("lvname", text(lv.name.clone())),
                    ("lvsize", text(lvm_mib(lv.size_bytes))),
                ])),
            }
        }
        for pool in &group.thin_pools {
            pools.push(map(vec![
                ("vgname", text(group.name.clone())),
                ("thinpoolname", text(pool.name.clone())),
                ("thinpoolsize", text(lvm_mib(pool.size_bytes))),
                // The role appends "iB": "16384M" becomes 16384MiB.
                ("poolmetadatasize", text(lvm_mib(pool.metadata_bytes))),
            ]));
            if let Some(cache) = &pool.cache {
                caches.push(map(vec![
                    ("vgname", text(group.name.clone())),
                    (
                        "cachedisk",
                        text(format!("{},{}", data_pvs.join(","), cache.device)),
                    ),
                    ("cachelvname", text(cache.name.clone())),
                    ("cachethinpoolname", text(pool.name.clone())),
                    ("cachelvsize", text(lvm_mib(cache.data_bytes))),
                    ("cachemetalvname", text(format!("{}_meta", cache.name))),
                    ("cachemetalvsize", text(lvm_mib(cache.metadata_bytes))),
                    ("cachemode", text(cache.mode.clone())),
                ]));
            }
        }
    }
    let partitions: Vec<Value> = cache_partitions(node)
        .into_iter()
        .map(|partition| {
            map(vec![
                ("disk", text(partition.disk)),
                ("device", text(partition.device)),
                ("size_bytes", Value::Number(partition.size_bytes.into())),
            ])
        })
        .collect();
    if !partitions.is_empty() {
        pairs.push(("hvp_cache_partitions", list(partitions)));
    }
    pairs.push(("gluster_infra_volume_groups", list(volume_groups)));
    if !thick.is_empty() {
        pairs.push(("gluster_infra_thick_lvs", list(thick)));
    }
    pairs.push(("gluster_infra_thinpools", list(pools)));
    pairs.push(("gluster_infra_lv_logicalvols", list(thin)));
    pairs.push(("gluster_infra_mount_devices", list(mounts)));
    if !caches.is_empty() {
        pairs.push(("gluster_infra_cache_vars", list(caches)));
    }
    map(pairs)
}

/// Renders `plan` as the gluster-ansible inventory.
pub fn render_gluster_ansible(plan: &LayoutPlan) -> String {
    let mut hosts = Mapping::new();
    for node in plan
        .nodes
        .iter()
        .filter(|node| !node.volume_groups.is_empty())
    {
        hosts.insert(text(node.name.clone()), host_vars(node));
    }
    let names: Vec<Value> = plan
        .nodes
        .iter()
        .map(|node| text(node.name.clone()))
        .collect();
    let mut vars: Vec<(&str, Value)> = vec![
        ("gluster_infra_disktype", text("JBOD")),
        ("gluster_set_selinux_labels", Value::Bool(true)),
        (
            "gluster_infra_fw_ports",
            list(
                [
                    "2049/tcp",
                    "54321/tcp",
                    "5900-6923/tcp",
                    "5666/tcp",
                    "16514/tcp",
                ]
                .into_iter()
                .map(text)
                .collect(),
            ),
        ),
        ("gluster_infra_fw_permanent", Value::Bool(true)),
        ("gluster_infra_fw_state", text("enabled")),
        ("gluster_infra_fw_zone", text("public")),
        ("gluster_infra_fw_services", list(vec![text("glusterfs")])),
        ("gluster_features_force_varlogsizecheck", Value::Bool(false)),
        ("cluster_nodes", list(names)),
        ("gluster_features_hci_cluster", text("{{ cluster_nodes }}")),
    ];
    let expressible = format_one_expressible(plan);
    let commands: Vec<Value> = if expressible {
        vars.push((
            "gluster_features_hci_volumes",
            list(
                plan.volumes
                    .iter()
                    .map(|volume| {
                        map(vec![
                            ("volname", text(volume.name.clone())),
                            (
                                "brick",
                                text(volume.replica_sets[0].bricks[0].directory.clone()),
                            ),
                            (
                                "arbiter",
                                Value::Number(volume.replica.arbiter_count.into()),
                            ),
                        ])
                    })
                    .collect(),
            ),
        ));
        render_commands(plan)
            .lines()
            .filter(|line| line.starts_with("gluster volume set "))
            .map(text)
            .collect()
    } else {
        render_commands(plan)
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(text)
            .collect()
    };
    vars.push(("hvp_gluster_volume_commands", list(commands)));
    let document = map(vec![(
        "hc_nodes",
        map(vec![("hosts", Value::Mapping(hosts)), ("vars", map(vars))]),
    )]);
    let mut out = String::new();
    out.push_str(&format!(
        "# gluster-ansible inventory (gluster.infra backend_setup) of the {} storage plan,\n",
        plan.policy.name()
    ));
    out.push_str("# generated by hvp. Sizes are MiB (LVM M). The volumes are created by the\n");
    if expressible {
        out.push_str(
            "# features role (gluster_features_hci_volumes); hvp_gluster_volume_commands sets\n",
        );
        out.push_str("# each volume's own options afterwards.\n");
    } else {
        out.push_str(
            "# `gluster` commands in hvp_gluster_volume_commands (run in order on the first\n",
        );
        out.push_str("# node): gluster_features_hci_volumes cannot express several replica sets per volume\n");
        out.push_str("# or rotating arbiters.\n");
    }
    if let Some(line) = plan.grouped_summary() {
        out.push_str(&format!("# {line}.\n"));
    }
    if plan.policy == Policy::Balanced && plan.nodes.iter().any(|n| !n.volume_groups.is_empty()) {
        out.push_str("# hvp_cache_partitions (when present) must be created (GPT, 1 MiB aligned) before the role runs.\n");
    }
    out.push_str(&serde_yaml_ng::to_string(&document).unwrap_or_default());
    out
}
