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
use super::yaml_value::{write_entry, One, Value};
use crate::gdeploy::render::lvm_mib;
use crate::report::Problem;
use serde::ser::SerializeMap;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::io::{self, Write};

fn map<'a>(pairs: Vec<(&'static str, Value<'a>)>) -> Value<'a> {
    Value::Map(pairs)
}

fn text<'a>(value: impl Into<Cow<'a, str>>) -> Value<'a> {
    Value::Text(value.into())
}

fn list<'a>(values: Vec<Value<'a>>) -> Value<'a> {
    Value::List(values)
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

fn host_vars(node: &NodePlan) -> Value<'_> {
    let mut pairs: Vec<(&'static str, Value<'_>)> = Vec::new();
    let used: Vec<Value<'_>> = node
        .disks
        .iter()
        .filter(|disk| disk.usage.is_some())
        .map(|disk| text(disk.name.as_str()))
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
            Value::Number(alignment.stripe_unit_bytes >> 10),
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
                            ("name", text(vdo.name.as_str())),
                            ("device", text(format!("/dev/{}", vdo.disk))),
                            ("logicalsize", text(format!("{}G", vdo.logical_size_gib()))),
                            ("slabsize", text(vdo.settings.slab_size.as_str())),
                            (
                                "blockmapcachesize",
                                text(vdo.settings.block_map_cache_size.as_str()),
                            ),
                            ("writepolicy", text(vdo.settings.write_policy.as_str())),
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
            ("vgname", text(group.name.as_str())),
            ("pvname", text(data_pvs.join(","))),
        ]));
        for lv in &group.logical_volumes {
            mounts.push(map(vec![
                ("path", text(lv.mount_point.as_str())),
                ("vgname", text(group.name.as_str())),
                ("lvname", text(lv.name.as_str())),
            ]));
            match &lv.thin_pool {
                None => thick.push(map(vec![
                    ("vgname", text(group.name.as_str())),
                    ("lvname", text(lv.name.as_str())),
                    ("size", text(lvm_mib(lv.size_bytes))),
                ])),
                Some(pool) => thin.push(map(vec![
                    ("vgname", text(group.name.as_str())),
                    ("thinpool", text(pool.as_str())),
                    ("lvname", text(lv.name.as_str())),
                    ("lvsize", text(lvm_mib(lv.size_bytes))),
                ])),
            }
        }
        for pool in &group.thin_pools {
            pools.push(map(vec![
                ("vgname", text(group.name.as_str())),
                ("thinpoolname", text(pool.name.as_str())),
                ("thinpoolsize", text(lvm_mib(pool.size_bytes))),
                // The role appends "iB": "16384M" becomes 16384MiB.
                ("poolmetadatasize", text(lvm_mib(pool.metadata_bytes))),
            ]));
            if let Some(cache) = &pool.cache {
                caches.push(map(vec![
                    ("vgname", text(group.name.as_str())),
                    (
                        "cachedisk",
                        text(format!("{},{}", data_pvs.join(","), cache.device)),
                    ),
                    ("cachelvname", text(cache.name.as_str())),
                    ("cachethinpoolname", text(pool.name.as_str())),
                    ("cachelvsize", text(lvm_mib(cache.data_bytes))),
                    ("cachemetalvname", text(format!("{}_meta", cache.name))),
                    ("cachemetalvsize", text(lvm_mib(cache.metadata_bytes))),
                    ("cachemode", text(cache.mode.as_str())),
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
                ("size_bytes", Value::Number(partition.size_bytes)),
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
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_gluster_ansible(plan, &mut bytes);
    crate::gdeploy::ini::bytes_to_string(bytes)
}

/// The hosts of the inventory, each node's variables built only while it is written (600
/// nodes make tens of megabytes of YAML values): the same serde calls as one
/// `Mapping` of every host, so the same bytes.
struct Hosts<'a>(&'a LayoutPlan);

impl Serialize for Hosts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let order = host_order(self.0);
        let mut map = serializer.serialize_map(Some(order.len()))?;
        for node in order {
            map.serialize_entry(&node.name, &host_vars(node))?;
        }
        map.end()
    }
}

/// The hosts in inventory order, as a `Mapping` keyed by name keeps them: a repeated name
/// keeps its first position and its last node.
fn host_order(plan: &LayoutPlan) -> Vec<&NodePlan> {
    let mut order: Vec<&NodePlan> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for node in plan
        .nodes
        .iter()
        .filter(|node| !node.volume_groups.is_empty())
    {
        match position.entry(node.name.as_str()) {
            Entry::Occupied(entry) => order[*entry.get()] = node,
            Entry::Vacant(entry) => {
                entry.insert(order.len());
                order.push(node);
            }
        }
    }
    order
}

/// What serde_yaml_ng writes for `value`, without its first `skip` lines.
fn yaml_after_lines(value: &impl Serialize, skip: usize) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    serde_yaml_ng::to_writer(&mut text, value).map_err(io::Error::other)?;
    let mut start = 0;
    for _ in 0..skip {
        start += text[start..]
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(text.len() - start, |end| end + 1);
    }
    text.drain(..start);
    Ok(text)
}

/// Writes the YAML of `document` to `out`: the bytes of `serde_yaml_ng::to_writer`, the
/// hosts and group variables of the plain shapes [`write_entry`] knows written directly, any
/// other host or variable by serde_yaml_ng at the same depth (so with the same bytes).
fn write_yaml(document: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
    const FLUSH_AT: usize = 1 << 16;
    let order = host_order(document.hosts.0);
    if order.is_empty() {
        // `hosts: {}`: serde_yaml_ng writes it all.
        let mut buffered = io::BufWriter::with_capacity(FLUSH_AT, out);
        serde_yaml_ng::to_writer(&mut buffered, document).map_err(io::Error::other)?;
        return buffered.flush();
    }
    let mut text: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    text.extend_from_slice(b"hc_nodes:\n  hosts:\n");
    for node in order {
        let vars = host_vars(node);
        if !write_entry(&mut text, 4, &node.name, &vars) {
            let host = One(&node.name, &vars);
            text.extend(yaml_after_lines(&One("hc_nodes", &One("hosts", &host)), 2)?);
        }
        if text.len() >= FLUSH_AT {
            out.write_all(&text)?;
            text.clear();
        }
    }
    match &document.vars {
        Value::Map(pairs) if !pairs.is_empty() => {
            text.extend_from_slice(b"  vars:\n");
            for (key, value) in pairs {
                if !write_entry(&mut text, 4, key, value) {
                    let entry = One(key, value);
                    text.extend(yaml_after_lines(&One("hc_nodes", &One("vars", &entry)), 2)?);
                }
            }
        }
        vars => text.extend(yaml_after_lines(&One("hc_nodes", &One("vars", vars)), 1)?),
    }
    out.write_all(&text)?;
    out.flush()
}

/// `hc_nodes: {hosts: ..., vars: ...}`.
struct Document<'a> {
    hosts: Hosts<'a>,
    vars: Value<'a>,
}

impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Group<'a>(&'a Document<'a>);
        impl Serialize for Group<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("hosts", &self.0.hosts)?;
                map.serialize_entry("vars", &self.0.vars)?;
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("hc_nodes", &Group(self))?;
        map.end()
    }
}

/// Writes `plan` as the gluster-ansible inventory to `out` (the bytes of
/// [`render_gluster_ansible`]), one host at a time.
pub fn write_gluster_ansible(plan: &LayoutPlan, out: &mut dyn Write) -> io::Result<()> {
    let command_text = render_commands(plan);
    let names: Vec<Value<'_>> = plan
        .nodes
        .iter()
        .map(|node| text(node.name.as_str()))
        .collect();
    let mut vars: Vec<(&'static str, Value<'_>)> = vec![
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
    let commands: Vec<Value<'_>> = if expressible {
        vars.push((
            "gluster_features_hci_volumes",
            list(
                plan.volumes
                    .iter()
                    .map(|volume| {
                        map(vec![
                            ("volname", text(volume.name.as_str())),
                            (
                                "brick",
                                text(volume.replica_sets[0].bricks[0].directory.as_str()),
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
        command_text
            .lines()
            .filter(|line| line.starts_with("gluster volume set "))
            .map(text)
            .collect()
    } else {
        command_text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(text)
            .collect()
    };
    vars.push(("hvp_gluster_volume_commands", list(commands)));
    let document = Document {
        hosts: Hosts(plan),
        vars: map(vars),
    };
    writeln!(
        out,
        "# gluster-ansible inventory (gluster.infra backend_setup) of the {} storage plan,",
        plan.policy.name()
    )?;
    out.write_all(b"# generated by hvp. Sizes are MiB (LVM M). The volumes are created by the\n")?;
    if expressible {
        out.write_all(
            b"# features role (gluster_features_hci_volumes); hvp_gluster_volume_commands sets\n",
        )?;
        out.write_all(b"# each volume's own options afterwards.\n")?;
    } else {
        out.write_all(
            b"# `gluster` commands in hvp_gluster_volume_commands (run in order on the first\n",
        )?;
        out.write_all(b"# node): gluster_features_hci_volumes cannot express several replica sets per volume\n")?;
        out.write_all(b"# or rotating arbiters.\n")?;
    }
    if let Some(line) = plan.grouped_summary() {
        writeln!(out, "# {line}.")?;
    }
    if plan.policy == Policy::Balanced && plan.nodes.iter().any(|n| !n.volume_groups.is_empty()) {
        out.write_all(b"# hvp_cache_partitions (when present) must be created (GPT, 1 MiB aligned) before the role runs.\n")?;
    }
    write_yaml(&document, out)
}
