//! The inputs of the desired state, each read leniently: the inventory variables, the parts of
//! the network plan (`hvp-netplan --format json`) and of the storage plan (format 2, the
//! contract in `docs/storage.md`) the Engine stage needs, and the cluster CPU decision.
//! Unknown fields of the plans are ignored; unknown variables are errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// Everything the desired state is computed from, as one JSON document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineInputs {
    /// The inventory variables (see [`EngineVars`]).
    pub vars: Value,
    /// The network plan JSON of one node (`hvp-netplan --format json`).
    pub network_plan: Value,
    /// The storage plan JSON, format 2.
    pub storage_plan: Value,
    /// The `hvp_cluster_cpu` fact of `hvp_cpu_type` (`vendor`, `model`, …), if known.
    #[serde(default)]
    pub cpu: Option<Value>,
}

/// One oVirt host of the inventory.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HostVar {
    /// Inventory name (management FQDN).
    pub name: String,
    /// Address the Engine uses; default the name.
    #[serde(default)]
    pub address: Option<String>,
    /// Zone → interface carrying it on this host (the `interface` of `hvp_network_zones`);
    /// zones not listed use the network plan's device.
    #[serde(default)]
    pub interfaces: BTreeMap<String, String>,
}

/// The inventory variables the Engine stage reads (names and defaults of the original
/// `hvp.yaml`, see `docs/engine.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineVars {
    /// The oVirt hosts in inventory order (`groups['ovirtnodes']`).
    pub hosts: Vec<HostVar>,
    /// The Hosted Engine host; default the first host.
    #[serde(default)]
    pub hvp_master_node: Option<String>,
    /// Data center name.
    #[serde(default = "default_dc")]
    pub dc_name: String,
    /// Cluster name.
    #[serde(default = "default_dc")]
    pub cluster_name: String,
    /// Compatibility version, `4.2`.
    #[serde(default = "default_version")]
    pub compatibility_version: Value,
    /// Engine CPU type name; empty: from the CPU decision.
    #[serde(default)]
    pub cluster_cpu_type: String,
    /// Engine VM short name.
    #[serde(default = "default_engine_name")]
    pub hvp_engine_name: String,
    /// Engine VM domain; empty: the management domain.
    #[serde(default)]
    pub hvp_engine_domainname: String,
    /// Engine VM address; empty: from the network plan.
    #[serde(default)]
    pub hvp_engine_ip: String,
    /// Management DNS domain; empty: the network plan's mgmt domain.
    #[serde(default)]
    pub hvp_management_domainname: String,
    /// The CTDB name of the file services (ISO domain server).
    #[serde(default = "default_storage_name")]
    pub hvp_storage_name: String,
    /// vmstore storage domain name; empty: `<vmstore volume>_domain`.
    #[serde(default)]
    pub vmstore_sd_name: String,
    /// Hosted Engine storage domain name; empty: `<engine volume>_domain`.
    #[serde(default)]
    pub engine_sd_name: String,
    /// Hosted Engine VM name.
    #[serde(default = "default_he_vm")]
    pub hvp_he_vm_name: String,
    /// Wait for the Engine to import its storage domain and VM (vintage deployment).
    #[serde(default = "default_true")]
    pub hvp_he_import: bool,
    /// Gluster mount options after `backup-volfile-servers`.
    #[serde(default = "default_mount_tail")]
    pub hvp_glusterfs_mountopts: String,
    /// ISO domain name.
    #[serde(default = "default_iso_name")]
    pub iso_sd_name: String,
    /// ISO domain NFS server; empty: `<hvp_storage_name>.<management domain>`.
    #[serde(default)]
    pub iso_sd_addr: String,
    /// ISO domain export; empty: `/<iso volume>`.
    #[serde(default)]
    pub iso_sd_path: String,
    /// Create the ISO domain (when the storage plan has an ISO volume).
    #[serde(default = "default_true")]
    pub hvp_iso_domain: bool,
    /// OVN provider name; empty: no OVN.
    #[serde(default = "default_ovn_name")]
    pub hvp_ovn_provider_name: String,
    /// OVN provider URL; empty: `http://<Engine address>:9696`.
    #[serde(default)]
    pub hvp_ovn_provider_url: String,
    /// OVN networks.
    #[serde(default = "default_ovn_networks")]
    pub hvp_ovn_private_network_names: Vec<String>,
}

fn default_dc() -> String {
    "Default".to_owned()
}
fn default_version() -> Value {
    Value::String("4.2".to_owned())
}
fn default_engine_name() -> String {
    "celestia".to_owned()
}
fn default_storage_name() -> String {
    "discord".to_owned()
}
fn default_he_vm() -> String {
    "HostedEngine".to_owned()
}
fn default_true() -> bool {
    true
}
fn default_mount_tail() -> String {
    "fetch-attempts=2,log-level=WARNING".to_owned()
}
fn default_iso_name() -> String {
    "iso_domain".to_owned()
}
fn default_ovn_name() -> String {
    "ovn_provider".to_owned()
}
fn default_ovn_networks() -> Vec<String> {
    vec!["dmz0".to_owned(), "dmz1".to_owned()]
}

/// The variable names [`EngineVars`] knows (for "did you mean").
pub const VAR_NAMES: &[&str] = &[
    "hosts",
    "hvp_master_node",
    "dc_name",
    "cluster_name",
    "compatibility_version",
    "cluster_cpu_type",
    "hvp_engine_name",
    "hvp_engine_domainname",
    "hvp_engine_ip",
    "hvp_management_domainname",
    "hvp_storage_name",
    "vmstore_sd_name",
    "engine_sd_name",
    "hvp_he_vm_name",
    "hvp_he_import",
    "hvp_glusterfs_mountopts",
    "iso_sd_name",
    "iso_sd_addr",
    "iso_sd_path",
    "hvp_iso_domain",
    "hvp_ovn_provider_name",
    "hvp_ovn_provider_url",
    "hvp_ovn_private_network_names",
];

/// The network plan fields the Engine stage reads.
#[derive(Debug, Clone, Deserialize)]
pub struct NetworkPlanView {
    /// Present zones of the planned node: zone name → plan.
    pub zones: BTreeMap<String, ZoneView>,
    /// Cluster-wide addresses.
    pub cluster: ClusterView,
    /// The oVirt logical networks.
    pub ovirt_networks: Vec<OvirtNetworkView>,
}

/// One zone of the network plan.
#[derive(Debug, Clone, Deserialize)]
pub struct ZoneView {
    /// Interface carrying the zone on the planned node.
    pub device: String,
    /// Dotted netmask.
    #[serde(default)]
    pub netmask: Option<String>,
    /// MTU.
    #[serde(default)]
    pub mtu: Option<u32>,
    /// DNS domain.
    #[serde(default)]
    pub domain: Option<String>,
}

/// Cluster addresses of the network plan.
#[derive(Debug, Clone, Deserialize)]
pub struct ClusterView {
    /// Every node.
    pub nodes: Vec<NodeView>,
    /// The Engine VM address.
    #[serde(default)]
    pub engine: Option<String>,
}

/// One node's addresses.
#[derive(Debug, Clone, Deserialize)]
pub struct NodeView {
    /// Short name.
    pub name: String,
    /// Zone → address.
    pub addresses: BTreeMap<String, String>,
}

/// One logical network of the network plan.
#[derive(Debug, Clone, Deserialize)]
pub struct OvirtNetworkView {
    /// Name.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// VM network.
    pub vm_network: bool,
    /// Cluster roles.
    pub roles: Vec<String>,
    /// MTU (`None` in compat mode: the zone MTU is used).
    #[serde(default)]
    pub mtu: Option<u32>,
}

/// The storage plan (format 2) fields the Engine stage reads.
#[derive(Debug, Clone, Deserialize)]
pub struct StoragePlanView {
    /// Must be 2.
    pub format_version: u32,
    /// Volumes.
    pub volumes: Vec<VolumeView>,
}

/// A Gluster volume.
#[derive(Debug, Clone, Deserialize)]
pub struct VolumeView {
    /// Volume name.
    pub name: String,
    /// Volume kind (`engine`, `vmstore`, `iso`, …).
    pub kind: String,
    /// Replica sets.
    pub replica_sets: Vec<ReplicaSetView>,
}

/// A replica set.
#[derive(Debug, Clone, Deserialize)]
pub struct ReplicaSetView {
    /// Bricks in Gluster order.
    pub bricks: Vec<BrickView>,
}

/// A brick.
#[derive(Debug, Clone, Deserialize)]
pub struct BrickView {
    /// Gluster node holding it.
    pub node: String,
    /// Arbiter brick.
    #[serde(default)]
    pub arbiter: bool,
}

impl VolumeView {
    /// Nodes holding a data (non-arbiter) brick, in first-brick order, each once.
    pub fn data_nodes(&self) -> Vec<&str> {
        let mut nodes: Vec<&str> = Vec::new();
        for brick in self.replica_sets.iter().flat_map(|set| &set.bricks) {
            if !brick.arbiter && !nodes.contains(&brick.node.as_str()) {
                nodes.push(&brick.node);
            }
        }
        nodes
    }
}

/// The cluster CPU decision (`hvp_cluster_cpu`).
#[derive(Debug, Clone, Deserialize)]
pub struct CpuView {
    /// libvirt model name (`Nehalem`).
    pub model: String,
}
