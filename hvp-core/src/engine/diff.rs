//! Observed state + desired state → the ordered actions (the original's order: data center,
//! cluster, master host, vmstore domain, Hosted Engine import, other hosts; OVN provider,
//! logical networks, cluster roles, host networks, OVN networks; ISO domain).
//!
//! Rules: an entity that is missing is created; an existing one gets only the fields that
//! differ; nothing the desired state does not name is touched, and nothing is ever deleted;
//! every step that takes time is followed by a wait; the second run of a converged Engine
//! plans nothing.

use super::action::{Action, ClusterChanges, NetworkChanges, PlannedAction, ProviderChanges, Step};
use super::observed::{ObservedHost, ObservedState};
use super::state::{DesiredState, Host, NetworkAttachment, StorageDomain};

/// Host statuses from which the host is on its way to `up` by itself.
const HOST_TRANSITIONAL: &[&str] = &[
    "installing",
    "initializing",
    "connecting",
    "reboot",
    "unassigned",
    "pending_approval",
    "installing_os",
];

/// Plans the actions that make `observed` into `desired`.
pub fn plan(observed: &ObservedState, desired: &DesiredState) -> Vec<PlannedAction> {
    let mut out = Planner::new();
    data_center(&mut out, observed, desired);
    cluster(&mut out, observed, desired);
    let (masters, others): (Vec<&Host>, Vec<&Host>) = desired.hosts.iter().partition(|h| h.master);
    for host in &masters {
        host_actions(&mut out, observed, host);
    }
    let data_domains = desired
        .storage_domains
        .iter()
        .filter(|domain| domain.domain_type == super::state::DomainType::Data);
    for domain in data_domains {
        storage_domain(&mut out, observed, domain);
    }
    if let Some(he) = &desired.hosted_engine {
        let domain_active = observed
            .storage_domains
            .iter()
            .find(|d| d.name == he.storage_domain)
            .is_some_and(|d| {
                d.attachments.iter().any(|a| {
                    a.data_center == desired.data_center.name
                        && a.status.as_deref() == Some("active")
                })
            });
        let vm_present = observed.vms.iter().any(|vm| vm.name == he.vm);
        if !domain_active || !vm_present {
            out.push(Action::WaitHostedEngine {
                storage_domain: he.storage_domain.clone(),
                vm: he.vm.clone(),
                data_center: desired.data_center.name.clone(),
            });
        }
    }
    for host in &others {
        host_actions(&mut out, observed, host);
    }

    out.step = Step::Networks;
    if let Some(provider) = &desired.ovn_provider {
        match observed.providers.iter().find(|p| p.name == provider.name) {
            None => out.push(Action::CreateProvider {
                provider: provider.clone(),
            }),
            Some(current) => {
                let changes = ProviderChanges {
                    description: differs(&current.description, &provider.description),
                    url: differs(&current.url, &provider.url),
                    requires_authentication: differs(
                        &current.requires_authentication,
                        &provider.requires_authentication,
                    ),
                    read_only: differs(&current.read_only, &provider.read_only),
                };
                if !changes.is_empty() {
                    out.push(Action::UpdateProvider {
                        name: provider.name.clone(),
                        changes,
                    });
                }
            }
        }
    }
    cluster_providers(&mut out, observed, desired);
    logical_networks(&mut out, observed, desired);
    for host in masters.iter().chain(&others) {
        host_networks(&mut out, observed, host);
    }
    if let Some(provider) = &desired.ovn_provider {
        for network in &provider.networks {
            let exists = observed.networks.iter().any(|n| {
                n.name == network.name && n.data_center.as_deref() == Some(&network.data_center)
            });
            if !exists {
                out.push(Action::CreateExternalNetwork {
                    name: network.name.clone(),
                    data_center: network.data_center.clone(),
                    provider: provider.name.clone(),
                });
            }
        }
    }

    out.step = Step::Nfsdomains;
    let other_domains = desired
        .storage_domains
        .iter()
        .filter(|domain| domain.domain_type != super::state::DomainType::Data);
    for domain in other_domains {
        storage_domain(&mut out, observed, domain);
    }
    out.actions
}

struct Planner {
    step: Step,
    actions: Vec<PlannedAction>,
}

impl Planner {
    fn new() -> Self {
        Self {
            step: Step::Datacenter,
            actions: Vec::new(),
        }
    }

    fn push(&mut self, action: Action) {
        self.actions.push(PlannedAction {
            step: self.step,
            action,
        });
    }
}

fn differs<T: PartialEq + Clone>(current: &Option<T>, desired: &T) -> Option<T> {
    (current.as_ref() != Some(desired)).then(|| desired.clone())
}

fn data_center(out: &mut Planner, observed: &ObservedState, desired: &DesiredState) {
    let wanted = &desired.data_center;
    match observed
        .data_centers
        .iter()
        .find(|dc| dc.name == wanted.name)
    {
        None => out.push(Action::CreateDataCenter {
            data_center: wanted.clone(),
        }),
        Some(current) if current.version != Some(wanted.version) => {
            out.push(Action::UpdateDataCenter {
                name: wanted.name.clone(),
                version: wanted.version,
            })
        }
        Some(_) => {}
    }
}

fn cluster(out: &mut Planner, observed: &ObservedState, desired: &DesiredState) {
    let wanted = &desired.cluster;
    match observed.clusters.iter().find(|c| c.name == wanted.name) {
        None => {
            let mut cluster = wanted.clone();
            cluster.external_network_providers.clear();
            out.push(Action::CreateCluster { cluster });
        }
        Some(current) => {
            let changes = ClusterChanges {
                version: differs(&current.version, &wanted.version),
                cpu_type: wanted
                    .cpu_type
                    .as_ref()
                    .and_then(|cpu| differs(&current.cpu_type, cpu)),
                gluster_service: differs(&current.gluster_service, &wanted.gluster_service),
                virt_service: differs(&current.virt_service, &wanted.virt_service),
            };
            if !changes.is_empty() {
                out.push(Action::UpdateCluster {
                    name: wanted.name.clone(),
                    changes,
                });
            }
        }
    }
}

fn cluster_providers(out: &mut Planner, observed: &ObservedState, desired: &DesiredState) {
    let wanted = &desired.cluster;
    if wanted.external_network_providers.is_empty() {
        return;
    }
    let current = observed
        .clusters
        .iter()
        .find(|c| c.name == wanted.name)
        .map(|c| c.external_network_providers.clone())
        .unwrap_or_default();
    let missing = wanted
        .external_network_providers
        .iter()
        .any(|p| !current.contains(p));
    if missing {
        // Keep the providers the cluster already has: never remove what we do not name.
        let mut providers = current;
        for provider in &wanted.external_network_providers {
            if !providers.contains(provider) {
                providers.push(provider.clone());
            }
        }
        out.push(Action::SetClusterProviders {
            cluster: wanted.name.clone(),
            providers,
        });
    }
}

fn find_host<'a>(observed: &'a ObservedState, name: &str) -> Option<&'a ObservedHost> {
    observed.hosts.iter().find(|h| h.name == name)
}

fn host_actions(out: &mut Planner, observed: &ObservedState, host: &Host) {
    match find_host(observed, &host.name) {
        None => {
            out.push(Action::CreateHost {
                name: host.name.clone(),
                address: host.address.clone(),
                cluster: host.cluster.clone(),
                deploy_hosted_engine: host.deploy_hosted_engine,
                reboot: host.reboot,
            });
            out.push(Action::WaitHostUp {
                name: host.name.clone(),
            });
        }
        Some(current) => match current.status.as_deref() {
            Some("up") => {}
            Some("maintenance") => {
                out.push(Action::ActivateHost {
                    name: host.name.clone(),
                });
                out.push(Action::WaitHostUp {
                    name: host.name.clone(),
                });
            }
            // Missing required networks make a host non-operational: the network step sets
            // them up and activates it, so waiting here would only wait for the deadline.
            Some("non_operational") => {}
            Some(status) if HOST_TRANSITIONAL.contains(&status) => out.push(Action::WaitHostUp {
                name: host.name.clone(),
            }),
            // install_failed, error, …: the wait fails at once, naming the status.
            _ => out.push(Action::WaitHostUp {
                name: host.name.clone(),
            }),
        },
    }
}

fn storage_domain(out: &mut Planner, observed: &ObservedState, domain: &StorageDomain) {
    let current = observed
        .storage_domains
        .iter()
        .find(|d| d.name == domain.name);
    let attachment = current.and_then(|d| {
        d.attachments
            .iter()
            .find(|a| a.data_center == domain.data_center)
    });
    if current.is_none() {
        out.push(Action::CreateStorageDomain {
            domain: domain.clone(),
        });
    }
    let status = attachment.and_then(|a| a.status.as_deref());
    if attachment.is_none() {
        out.push(Action::AttachStorageDomain {
            name: domain.name.clone(),
            data_center: domain.data_center.clone(),
        });
    }
    if status == Some("active") {
        return;
    }
    if attachment.is_none()
        || matches!(
            status,
            Some("maintenance") | Some("inactive") | Some("unattached")
        )
    {
        out.push(Action::ActivateStorageDomain {
            name: domain.name.clone(),
            data_center: domain.data_center.clone(),
        });
    }
    out.push(Action::WaitStorageDomainActive {
        name: domain.name.clone(),
        data_center: domain.data_center.clone(),
    });
}

fn logical_networks(out: &mut Planner, observed: &ObservedState, desired: &DesiredState) {
    for network in &desired.networks {
        let current = observed.networks.iter().find(|n| {
            n.name == network.name && n.data_center.as_deref() == Some(&network.data_center)
        });
        match current {
            None => out.push(Action::CreateNetwork {
                network: network.clone(),
            }),
            Some(current) => {
                let changes = NetworkChanges {
                    description: network
                        .description
                        .as_ref()
                        .and_then(|d| differs(&current.description, d)),
                    mtu: (current.mtu.unwrap_or(0) != network.mtu).then_some(network.mtu),
                    vm_network: (current.vm_network != network.vm_network)
                        .then_some(network.vm_network),
                };
                if !changes.is_empty() {
                    out.push(Action::UpdateNetwork {
                        name: network.name.clone(),
                        data_center: network.data_center.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for network in &desired.networks {
        let wanted = &network.cluster;
        let current = observed
            .cluster_networks
            .iter()
            .find(|c| c.cluster == wanted.name && c.network == network.name);
        match current {
            None => out.push(Action::AttachClusterNetwork {
                cluster: wanted.name.clone(),
                network: network.name.clone(),
                required: wanted.required,
                usages: wanted.usages.clone(),
            }),
            Some(current) => {
                let missing: Vec<&String> = wanted
                    .usages
                    .iter()
                    .filter(|u| !current.usages.contains(u))
                    .collect();
                if !missing.is_empty() || current.required != Some(wanted.required) {
                    let mut usages: Vec<String> = current
                        .usages
                        .iter()
                        .filter(|u| u.as_str() != "vm")
                        .cloned()
                        .collect();
                    usages.extend(missing.into_iter().cloned());
                    out.push(Action::UpdateClusterNetwork {
                        cluster: wanted.name.clone(),
                        network: network.name.clone(),
                        required: wanted.required,
                        usages,
                    });
                }
            }
        }
    }
}

fn attachment_matches(
    observed: &super::observed::ObservedAttachment,
    wanted: &NetworkAttachment,
) -> bool {
    observed.network == wanted.network && observed.nic == wanted.nic && observed.ip == wanted.ip
}

fn host_networks(out: &mut Planner, observed: &ObservedState, host: &Host) {
    let current = find_host(observed, &host.name)
        .map(|h| h.network_attachments.as_slice())
        .unwrap_or_default();
    let missing: Vec<NetworkAttachment> = host
        .network_attachments
        .iter()
        .filter(|wanted| !current.iter().any(|c| attachment_matches(c, wanted)))
        .cloned()
        .collect();
    let non_operational = find_host(observed, &host.name)
        .is_some_and(|h| h.status.as_deref() == Some("non_operational"));
    let setup = !missing.is_empty();
    if setup {
        out.push(Action::SetupNetworks {
            host: host.name.clone(),
            attachments: missing,
        });
    }
    if setup || non_operational {
        // Runs only when the host is non-operational (missing networks) or in maintenance.
        out.push(Action::ActivateHost {
            name: host.name.clone(),
        });
        out.push(Action::WaitHostUp {
            name: host.name.clone(),
        });
    }
}
