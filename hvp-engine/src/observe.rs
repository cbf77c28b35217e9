//! Reads the observed state ([`ObservedState`]) from the Engine: only GETs.

use std::collections::HashMap;

use hvp_core::engine::{
    DomainAttachment, ObservedAttachment, ObservedCluster, ObservedClusterNetwork,
    ObservedDataCenter, ObservedHost, ObservedNetwork, ObservedProvider, ObservedState,
    ObservedStorageDomain, ObservedVm, StaticIp,
};
use serde_json::Value;

use crate::client::{Client, Subject};
use crate::error::EngineError;
use crate::wire::{boolean, id, items, link_id, number, strings, text, version};

fn list(client: &Client, path: &str, key: &str, what: &str) -> Result<Vec<Value>, EngineError> {
    let reply = client.get(
        path,
        &[],
        Subject {
            operation: "list",
            entity: what,
        },
    )?;
    Ok(items(&reply, key).into_iter().cloned().collect())
}

fn id_names(entities: &[Value]) -> HashMap<String, String> {
    entities
        .iter()
        .filter_map(|e| Some((id(e)?, text(e, "name")?)))
        .collect()
}

/// Reads everything the diff compares.
pub fn observe(client: &Client) -> Result<ObservedState, EngineError> {
    let data_centers = list(client, "/datacenters", "data_center", "data centers")?;
    let dc_names = id_names(&data_centers);
    let clusters = list(client, "/clusters", "cluster", "clusters")?;
    let providers = list(
        client,
        "/openstacknetworkproviders",
        "openstack_network_provider",
        "external network providers",
    )?;
    let provider_names = id_names(&providers);
    let networks = list(client, "/networks", "network", "networks")?;
    let network_names = id_names(&networks);
    let hosts = list(client, "/hosts", "host", "hosts")?;
    let domains = list(
        client,
        "/storagedomains",
        "storage_domain",
        "storage domains",
    )?;
    let vms = list(client, "/vms", "vm", "VMs")?;

    let mut state = ObservedState {
        data_centers: data_centers
            .iter()
            .map(|dc| ObservedDataCenter {
                name: text(dc, "name").unwrap_or_default(),
                version: version(dc, "version"),
                status: text(dc, "status"),
            })
            .collect(),
        providers: providers
            .iter()
            .map(|p| ObservedProvider {
                name: text(p, "name").unwrap_or_default(),
                description: text(p, "description"),
                url: text(p, "url"),
                requires_authentication: boolean(p, "requires_authentication"),
                read_only: boolean(p, "read_only"),
            })
            .collect(),
        networks: networks
            .iter()
            .map(|n| ObservedNetwork {
                name: text(n, "name").unwrap_or_default(),
                data_center: link_id(n, "data_center").and_then(|id| dc_names.get(&id).cloned()),
                description: text(n, "description"),
                mtu: number(n, "mtu").and_then(|mtu| u32::try_from(mtu).ok()),
                vm_network: strings(n, "usages", "usage").iter().any(|u| u == "vm"),
                external_provider: link_id(n, "external_provider")
                    .and_then(|id| provider_names.get(&id).cloned()),
            })
            .collect(),
        vms: vms
            .iter()
            .map(|vm| ObservedVm {
                name: text(vm, "name").unwrap_or_default(),
                status: text(vm, "status"),
            })
            .collect(),
        ..ObservedState::default()
    };

    for cluster in &clusters {
        let name = text(cluster, "name").unwrap_or_default();
        let cluster_id = id(cluster).unwrap_or_default();
        let entity = format!("cluster {name}");
        let attached = list(
            client,
            &format!("/clusters/{cluster_id}/networks"),
            "network",
            &entity,
        )?;
        for network in &attached {
            let network_name = text(network, "name")
                .or_else(|| id(network).and_then(|id| network_names.get(&id).cloned()))
                .unwrap_or_default();
            state.cluster_networks.push(ObservedClusterNetwork {
                cluster: name.clone(),
                network: network_name,
                required: boolean(network, "required"),
                usages: strings(network, "usages", "usage"),
            });
        }
        // Inline when the Engine renders it; otherwise the list-only sub-collection.
        let external: Vec<Value> = match cluster.get("external_network_providers") {
            Some(inline) => items(inline, "external_provider")
                .into_iter()
                .cloned()
                .collect(),
            None => list(
                client,
                &format!("/clusters/{cluster_id}/externalnetworkproviders"),
                "external_provider",
                &entity,
            )?,
        };
        state.clusters.push(ObservedCluster {
            name,
            data_center: link_id(cluster, "data_center").and_then(|id| dc_names.get(&id).cloned()),
            version: version(cluster, "version"),
            cpu_type: cluster.get("cpu").and_then(|cpu| text(cpu, "type")),
            gluster_service: boolean(cluster, "gluster_service"),
            virt_service: boolean(cluster, "virt_service"),
            external_network_providers: external
                .iter()
                .filter_map(|p| {
                    text(p, "name")
                        .or_else(|| id(p).and_then(|id| provider_names.get(&id).cloned()))
                })
                .collect(),
        });
    }

    for host in &hosts {
        let name = text(host, "name").unwrap_or_default();
        let host_id = id(host).unwrap_or_default();
        let entity = format!("host {name}");
        let nics = list(
            client,
            &format!("/hosts/{host_id}/nics"),
            "host_nic",
            &entity,
        )?;
        let nic_names = id_names(&nics);
        let attachments = list(
            client,
            &format!("/hosts/{host_id}/networkattachments"),
            "network_attachment",
            &entity,
        )?;
        state.hosts.push(ObservedHost {
            name,
            status: text(host, "status"),
            network_attachments: attachments
                .iter()
                .map(|a| ObservedAttachment {
                    network: link_id(a, "network")
                        .and_then(|id| network_names.get(&id).cloned())
                        .or_else(|| a.get("network").and_then(|n| text(n, "name")))
                        .unwrap_or_default(),
                    nic: link_id(a, "host_nic")
                        .and_then(|id| nic_names.get(&id).cloned())
                        .or_else(|| a.get("host_nic").and_then(|n| text(n, "name")))
                        .unwrap_or_default(),
                    ip: static_ip(a),
                })
                .collect(),
        });
    }

    let mut attachments: HashMap<String, Vec<DomainAttachment>> = HashMap::new();
    for dc in &data_centers {
        let dc_name = text(dc, "name").unwrap_or_default();
        let dc_id = id(dc).unwrap_or_default();
        let attached = list(
            client,
            &format!("/datacenters/{dc_id}/storagedomains"),
            "storage_domain",
            &format!("data center {dc_name}"),
        )?;
        for domain in attached {
            if let Some(domain_id) = id(&domain) {
                attachments
                    .entry(domain_id)
                    .or_default()
                    .push(DomainAttachment {
                        data_center: dc_name.clone(),
                        status: text(&domain, "status"),
                    });
            }
        }
    }
    state.storage_domains = domains
        .iter()
        .map(|d| ObservedStorageDomain {
            name: text(d, "name").unwrap_or_default(),
            attachments: id(d)
                .and_then(|id| attachments.remove(&id))
                .unwrap_or_default(),
        })
        .collect();
    Ok(state)
}

fn static_ip(attachment: &Value) -> Option<StaticIp> {
    let assignments = attachment.get("ip_address_assignments")?;
    items(assignments, "ip_address_assignment")
        .into_iter()
        .filter(|a| text(a, "assignment_method").as_deref() == Some("static"))
        .filter_map(|a| a.get("ip"))
        .filter(|ip| text(ip, "version").as_deref() != Some("v6"))
        .find_map(|ip| {
            Some(StaticIp {
                address: text(ip, "address")?,
                netmask: text(ip, "netmask")?,
            })
        })
}
