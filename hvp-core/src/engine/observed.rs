//! What the Engine holds now, as the client reads it: only the fields the diff compares.
//! Filled by `hvp-engine` from the REST API; pure data here.

use serde::{Deserialize, Serialize};

use super::state::{StaticIp, Version};

/// The observed Engine state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedState {
    /// Data centers.
    pub data_centers: Vec<ObservedDataCenter>,
    /// Clusters.
    pub clusters: Vec<ObservedCluster>,
    /// Hosts.
    pub hosts: Vec<ObservedHost>,
    /// Storage domains with their data-center attachments.
    pub storage_domains: Vec<ObservedStorageDomain>,
    /// Logical networks (all data centers).
    pub networks: Vec<ObservedNetwork>,
    /// Networks attached to clusters.
    pub cluster_networks: Vec<ObservedClusterNetwork>,
    /// External network providers.
    pub providers: Vec<ObservedProvider>,
    /// VMs (only name and status).
    pub vms: Vec<ObservedVm>,
}

/// A data center.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedDataCenter {
    /// Name.
    pub name: String,
    /// Compatibility version.
    pub version: Option<Version>,
    /// Status (`up`, `uninitialized`…).
    pub status: Option<String>,
}

/// A cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedCluster {
    /// Name.
    pub name: String,
    /// Data center name.
    pub data_center: Option<String>,
    /// Compatibility version.
    pub version: Option<Version>,
    /// CPU type name.
    pub cpu_type: Option<String>,
    /// Gluster service.
    pub gluster_service: Option<bool>,
    /// Virt service.
    pub virt_service: Option<bool>,
    /// External network provider names.
    pub external_network_providers: Vec<String>,
}

/// A host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedHost {
    /// Name.
    pub name: String,
    /// Status (`up`, `installing`…).
    pub status: Option<String>,
    /// Network attachments.
    pub network_attachments: Vec<ObservedAttachment>,
}

/// A network attachment of a host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedAttachment {
    /// Network name.
    pub network: String,
    /// NIC name.
    pub nic: String,
    /// Static IPv4 address, if any.
    pub ip: Option<StaticIp>,
}

/// A storage domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedStorageDomain {
    /// Name.
    pub name: String,
    /// Attachments to data centers with the status there.
    pub attachments: Vec<DomainAttachment>,
}

/// A storage domain's attachment to a data center.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DomainAttachment {
    /// Data center name.
    pub data_center: String,
    /// Status in that data center.
    pub status: Option<String>,
}

/// A logical network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedNetwork {
    /// Name.
    pub name: String,
    /// Data center name.
    pub data_center: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// MTU (`0` or absent: the Engine default).
    pub mtu: Option<u32>,
    /// VM network.
    pub vm_network: bool,
    /// External provider name, if it is an external network.
    pub external_provider: Option<String>,
}

/// A network attached to a cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedClusterNetwork {
    /// Cluster name.
    pub cluster: String,
    /// Network name.
    pub network: String,
    /// Required.
    pub required: Option<bool>,
    /// Usages.
    pub usages: Vec<String>,
}

/// An external network provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedProvider {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Requires authentication.
    pub requires_authentication: Option<bool>,
    /// Read only.
    pub read_only: Option<bool>,
}

/// A VM.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedVm {
    /// Name.
    pub name: String,
    /// Status.
    pub status: Option<String>,
}
