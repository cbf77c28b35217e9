//! The desired Engine state: what `hvp.yaml` must find in the oVirt Engine once the Engine
//! stage has run. Its JSON form is the input of `hvp-engine plan|apply` and of the
//! `hvp_engine` module (documented in `docs/engine.md`).

use serde::{Deserialize, Serialize};

/// The version of the desired-state JSON.
pub const STATE_FORMAT_VERSION: u32 = 1;

/// The whole desired Engine state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesiredState {
    /// Always [`STATE_FORMAT_VERSION`].
    pub format_version: u32,
    /// The Engine the state is meant for (informational: the URL is given to the client).
    pub engine: EngineIdentity,
    /// The data center.
    pub data_center: DataCenter,
    /// The cluster.
    pub cluster: Cluster,
    /// Every oVirt host, master (the Hosted Engine host) first.
    pub hosts: Vec<Host>,
    /// Storage domains, in the order they are brought up (vmstore data domain, then ISO).
    pub storage_domains: Vec<StorageDomain>,
    /// The Hosted Engine storage domain and VM the Engine imports once the data center is up
    /// (vintage deployment); `None`: nothing to wait for.
    pub hosted_engine: Option<HostedEngine>,
    /// Logical networks with their cluster roles.
    pub networks: Vec<Network>,
    /// The OVN external network provider and its networks; `None`: no OVN.
    pub ovn_provider: Option<OvnProvider>,
}

/// The Engine VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineIdentity {
    /// Fully qualified name of the Engine VM.
    pub fqdn: String,
    /// Its API URL, `https://FQDN/ovirt-engine/api`.
    pub api_url: String,
}

/// A compatibility version, `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Major version (4).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
}

impl Version {
    /// Parses `"4.2"`.
    pub fn parse(text: &str) -> Option<Self> {
        let (major, minor) = text.trim().split_once('.')?;
        Some(Self {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}.{}", self.major, self.minor)
    }
}

/// The data center.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCenter {
    /// Name.
    pub name: String,
    /// Compatibility version.
    pub version: Version,
    /// Local storage (always false: shared Gluster storage).
    pub local: bool,
}

/// The cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// Name.
    pub name: String,
    /// Its data center.
    pub data_center: String,
    /// Compatibility version.
    pub version: Version,
    /// The Engine CPU type name (`Intel Nehalem Family`); `None`: left as it is.
    pub cpu_type: Option<String>,
    /// CPU architecture.
    pub cpu_architecture: String,
    /// Gluster service enabled (hyperconverged).
    pub gluster_service: bool,
    /// Virtualization service enabled.
    pub virt_service: bool,
    /// External network providers of the cluster (names).
    pub external_network_providers: Vec<String>,
}

/// An oVirt host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Name (the management FQDN).
    pub name: String,
    /// Address the Engine connects to.
    pub address: String,
    /// Its cluster.
    pub cluster: String,
    /// The host where the Hosted Engine was deployed (it is already in the Engine).
    pub master: bool,
    /// Add it with the hosted-engine deployment, so that it can run the Engine VM.
    pub deploy_hosted_engine: bool,
    /// Reboot after the installation (always false: a reboot drops a Gluster brick).
    pub reboot: bool,
    /// Networks attached to its NICs, besides the management network.
    pub network_attachments: Vec<NetworkAttachment>,
}

/// A logical network on a host NIC, with a static IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAttachment {
    /// Logical network name.
    pub network: String,
    /// The NIC or bond carrying it.
    pub nic: String,
    /// Static address, `None`: no address (boot protocol none).
    pub ip: Option<StaticIp>,
}

/// A static IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticIp {
    /// Address.
    pub address: String,
    /// Dotted netmask.
    pub netmask: String,
}

/// What a storage domain stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainType {
    /// VM disks.
    Data,
    /// ISO images.
    Iso,
}

impl DomainType {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            DomainType::Data => "data",
            DomainType::Iso => "iso",
        }
    }
}

/// A storage domain, attached to the data center and active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageDomain {
    /// Name.
    pub name: String,
    /// Data or ISO.
    #[serde(rename = "type")]
    pub domain_type: DomainType,
    /// The data center it is attached to.
    pub data_center: String,
    /// The host that creates it (the master host).
    pub host: String,
    /// Where it lives.
    pub storage: Storage,
}

/// The storage connection of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Storage {
    /// A Gluster volume.
    Glusterfs {
        /// The Gluster server the volume is mounted from.
        address: String,
        /// `/VOLUME`.
        path: String,
        /// Mount options (`backup-volfile-servers=…,fetch-attempts=2,log-level=WARNING`).
        mount_options: String,
    },
    /// An NFS export.
    Nfs {
        /// The NFS server.
        address: String,
        /// The export.
        path: String,
        /// `auto`, `v3`, `v4`…
        nfs_version: String,
    },
}

/// The Hosted Engine objects the Engine imports by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedEngine {
    /// The Hosted Engine storage domain.
    pub storage_domain: String,
    /// The Engine VM.
    pub vm: String,
}

/// A logical network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Name (the bridge name on the hosts).
    pub name: String,
    /// Its data center.
    pub data_center: String,
    /// Description; `None`: not managed.
    pub description: Option<String>,
    /// MTU (always set: the zone MTU).
    pub mtu: u32,
    /// Whether VMs attach to it.
    pub vm_network: bool,
    /// Its attachment to the cluster.
    pub cluster: ClusterNetwork,
}

/// A network's attachment to the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterNetwork {
    /// Cluster name.
    pub name: String,
    /// Hosts must have it.
    pub required: bool,
    /// Cluster roles (`management`, `display`, `gluster`, `migration`), one union per network.
    pub usages: Vec<String>,
}

/// The OVN provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvnProvider {
    /// Provider name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Provider URL.
    pub url: String,
    /// Whether it needs authentication.
    pub requires_authentication: bool,
    /// Read-only provider.
    pub read_only: bool,
    /// OVN networks created through the Engine (each gets a vNIC profile).
    pub networks: Vec<OvnNetwork>,
}

/// A network provided by OVN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvnNetwork {
    /// Name.
    pub name: String,
    /// Its data center.
    pub data_center: String,
}
