//! The ordered actions that bring the Engine from its observed state to the desired one.
//! Each action names its entities; the client resolves names to ids when it runs them.

use serde::{Deserialize, Serialize};

use super::state::{
    Cluster, DataCenter, Network, NetworkAttachment, OvnProvider, StorageDomain, Version,
};

/// Fields of a cluster that differ (only those are sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterChanges {
    /// New compatibility version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Version>,
    /// New CPU type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_type: Option<String>,
    /// Gluster service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gluster_service: Option<bool>,
    /// Virt service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virt_service: Option<bool>,
}

impl ClusterChanges {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Fields of a logical network that differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkChanges {
    /// New description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New MTU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// New VM-ness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vm_network: Option<bool>,
}

impl NetworkChanges {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Fields of a provider that differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderChanges {
    /// New description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_authentication: Option<bool>,
    /// Read only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

impl ProviderChanges {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The step of the original playbooks an action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// `ovirtdatacenter.yaml`: data center, cluster, hosts, vmstore domain.
    Datacenter,
    /// `ovirtnetworks.yaml`: OVN provider, logical networks, host networks.
    Networks,
    /// `ovirtnfsdomains.yaml`: the ISO domain.
    Nfsdomains,
}

impl Step {
    /// Parses a step name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "datacenter" => Some(Step::Datacenter),
            "networks" => Some(Step::Networks),
            "nfsdomains" => Some(Step::Nfsdomains),
            _ => None,
        }
    }
}

/// One action of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// `POST /datacenters`.
    CreateDataCenter {
        /// The data center.
        data_center: DataCenter,
    },
    /// `PUT /datacenters/{id}` with the version.
    UpdateDataCenter {
        /// Name.
        name: String,
        /// New version.
        version: Version,
    },
    /// `POST /clusters` (without providers: they come later).
    CreateCluster {
        /// The cluster.
        cluster: Cluster,
    },
    /// `PUT /clusters/{id}` with the differing fields.
    UpdateCluster {
        /// Name.
        name: String,
        /// What differs.
        changes: ClusterChanges,
    },
    /// `PUT /clusters/{id}` with the external network providers.
    SetClusterProviders {
        /// Cluster name.
        cluster: String,
        /// Provider names.
        providers: Vec<String>,
    },
    /// `POST /hosts?deploy_hosted_engine=…&activate=true&reboot=false`.
    CreateHost {
        /// Name.
        name: String,
        /// Address.
        address: String,
        /// Cluster.
        cluster: String,
        /// Hosted-engine deployment.
        deploy_hosted_engine: bool,
        /// Reboot after install.
        reboot: bool,
    },
    /// `POST /hosts/{id}/activate` (host in maintenance).
    ActivateHost {
        /// Name.
        name: String,
    },
    /// Poll until the host is `up`.
    WaitHostUp {
        /// Name.
        name: String,
    },
    /// `POST /storagedomains`.
    CreateStorageDomain {
        /// The domain.
        domain: StorageDomain,
    },
    /// `POST /datacenters/{dc}/storagedomains`.
    AttachStorageDomain {
        /// Domain name.
        name: String,
        /// Data center name.
        data_center: String,
    },
    /// `POST /datacenters/{dc}/storagedomains/{sd}/activate` when it is in maintenance.
    ActivateStorageDomain {
        /// Domain name.
        name: String,
        /// Data center name.
        data_center: String,
    },
    /// Poll until the domain is `active` in the data center.
    WaitStorageDomainActive {
        /// Domain name.
        name: String,
        /// Data center name.
        data_center: String,
    },
    /// Poll until the Hosted Engine domain is active in the data center and its VM exists.
    WaitHostedEngine {
        /// Hosted Engine storage domain.
        storage_domain: String,
        /// Engine VM.
        vm: String,
        /// Data center name.
        data_center: String,
    },
    /// `POST /openstacknetworkproviders`.
    CreateProvider {
        /// The provider (its networks are separate actions).
        provider: OvnProvider,
    },
    /// `PUT /openstacknetworkproviders/{id}`.
    UpdateProvider {
        /// Name.
        name: String,
        /// What differs.
        changes: ProviderChanges,
    },
    /// `POST /networks`.
    CreateNetwork {
        /// The network (cluster part separate).
        network: Network,
    },
    /// `PUT /networks/{id}`.
    UpdateNetwork {
        /// Name.
        name: String,
        /// Data center.
        data_center: String,
        /// What differs.
        changes: NetworkChanges,
    },
    /// `POST /clusters/{c}/networks`.
    AttachClusterNetwork {
        /// Cluster name.
        cluster: String,
        /// Network name.
        network: String,
        /// Required.
        required: bool,
        /// Usages.
        usages: Vec<String>,
    },
    /// `PUT /clusters/{c}/networks/{n}` with the union of old and new usages.
    UpdateClusterNetwork {
        /// Cluster name.
        cluster: String,
        /// Network name.
        network: String,
        /// Required.
        required: bool,
        /// Usages (union).
        usages: Vec<String>,
    },
    /// `POST /hosts/{h}/setupnetworks` with `commit_on_success`.
    SetupNetworks {
        /// Host name.
        host: String,
        /// Attachments to add or change.
        attachments: Vec<NetworkAttachment>,
    },
    /// `POST /networks` with `external_provider`.
    CreateExternalNetwork {
        /// Name.
        name: String,
        /// Data center.
        data_center: String,
        /// Provider name.
        provider: String,
    },
}

impl Action {
    /// Whether the action only waits (sends nothing).
    pub fn is_wait(&self) -> bool {
        matches!(
            self,
            Action::WaitHostUp { .. }
                | Action::WaitStorageDomainActive { .. }
                | Action::WaitHostedEngine { .. }
        )
    }

    /// A one-line description for people. Names come from the desired and observed states
    /// (documents a user or the Engine wrote): control characters are escaped, so a
    /// description stays one line (fuzz finding, `engine_plan`: a DEL in a storage domain's
    /// name).
    pub fn describe(&self) -> String {
        crate::input::escape::escape(&self.describe_unescaped()).into_owned()
    }

    /// [`Action::describe`] with the names as they are.
    fn describe_unescaped(&self) -> String {
        match self {
            Action::CreateDataCenter { data_center } => {
                format!("create data center {}", data_center.name)
            }
            Action::UpdateDataCenter { name, version } => {
                format!("set data center {name} version {version}")
            }
            Action::CreateCluster { cluster } => format!("create cluster {}", cluster.name),
            Action::UpdateCluster { name, .. } => format!("update cluster {name}"),
            Action::SetClusterProviders { cluster, providers } => {
                format!(
                    "set external providers of cluster {cluster}: {}",
                    providers.join(", ")
                )
            }
            Action::CreateHost { name, .. } => format!("add host {name}"),
            Action::ActivateHost { name } => format!("activate host {name}"),
            Action::WaitHostUp { name } => format!("wait for host {name} to be up"),
            Action::CreateStorageDomain { domain } => {
                format!("create storage domain {}", domain.name)
            }
            Action::AttachStorageDomain { name, data_center } => {
                format!("attach storage domain {name} to data center {data_center}")
            }
            Action::ActivateStorageDomain { name, .. } => format!("activate storage domain {name}"),
            Action::WaitStorageDomainActive { name, .. } => {
                format!("wait for storage domain {name} to be active")
            }
            Action::WaitHostedEngine {
                storage_domain, vm, ..
            } => {
                format!("wait for the Engine to import storage domain {storage_domain} and VM {vm}")
            }
            Action::CreateProvider { provider } => format!("create provider {}", provider.name),
            Action::UpdateProvider { name, .. } => format!("update provider {name}"),
            Action::CreateNetwork { network } => format!("create network {}", network.name),
            Action::UpdateNetwork { name, .. } => format!("update network {name}"),
            Action::AttachClusterNetwork {
                cluster, network, ..
            } => {
                format!("attach network {network} to cluster {cluster}")
            }
            Action::UpdateClusterNetwork {
                cluster, network, ..
            } => {
                format!("update network {network} in cluster {cluster}")
            }
            Action::SetupNetworks { host, attachments } => format!(
                "set up networks {} on host {host}",
                attachments
                    .iter()
                    .map(|a| a.network.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Action::CreateExternalNetwork { name, provider, .. } => {
                format!("create network {name} on provider {provider}")
            }
        }
    }
}

/// An action with its step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// The playbook step.
    pub step: Step,
    /// The action.
    #[serde(flatten)]
    pub action: Action,
}
