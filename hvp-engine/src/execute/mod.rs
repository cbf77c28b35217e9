//! Runs one planned action against the Engine: names are resolved to ids by a quoted-name
//! search (hits re-filtered by exact name, more than one is an error), bodies are JSON, waits
//! poll with a deadline and report the last status.

use std::time::Duration;

use hvp_core::engine::{Action, NetworkAttachment, Storage, StorageDomain};
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::client::{Client, Subject};
use crate::error::EngineError;
use crate::wire::{id, items, link_id, text};

mod wait;

/// Deadlines and polling of the waits.
#[derive(Debug, Clone)]
pub struct WaitConfig {
    /// Between two polls.
    pub poll_interval: Duration,
    /// Host installation (`up`).
    pub host_timeout: Duration,
    /// Storage domain activation.
    pub storage_timeout: Duration,
    /// Hosted Engine import.
    pub hosted_engine_timeout: Duration,
}

impl Default for WaitConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            host_timeout: Duration::from_secs(1800),
            storage_timeout: Duration::from_secs(900),
            hosted_engine_timeout: Duration::from_secs(900),
        }
    }
}

/// Runs actions; holds what a host needs to be added.
pub struct Executor<'a> {
    /// The logged-in client.
    pub client: &'a Client,
    /// Waits.
    pub waits: WaitConfig,
    /// Root password of the hosts; `None`: SSH public-key authentication.
    pub host_password: Option<String>,
}

fn quoted(name: &str) -> String {
    format!("name=\"{name}\"")
}

impl Executor<'_> {
    /// Finds one entity of a top-level collection by exact name (and extra search terms).
    pub fn find(
        &self,
        collection: &str,
        key: &str,
        name: &str,
        extra: &str,
        entity: &str,
    ) -> Result<Option<Value>, EngineError> {
        let search = format!("{}{extra}", quoted(name));
        let reply = self.client.get(
            &format!("/{collection}"),
            &[("search", search.as_str())],
            Subject {
                operation: "find",
                entity,
            },
        )?;
        let hits: Vec<&Value> = items(&reply, key)
            .into_iter()
            .filter(|hit| text(hit, "name").as_deref() == Some(name))
            .collect();
        match hits.len() {
            0 => Ok(None),
            1 => Ok(Some(hits[0].clone())),
            count => Err(EngineError::Ambiguous {
                entity: entity.to_owned(),
                count,
            }),
        }
    }

    fn id_of(
        &self,
        collection: &str,
        key: &str,
        name: &str,
        extra: &str,
        entity: &str,
        operation: &str,
    ) -> Result<String, EngineError> {
        self.find(collection, key, name, extra, entity)?
            .and_then(|found| id(&found))
            .ok_or_else(|| EngineError::NotFound {
                operation: operation.to_owned(),
                entity: entity.to_owned(),
            })
    }

    fn dc_id(&self, name: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "datacenters",
            "data_center",
            name,
            "",
            &format!("data center {name}"),
            operation,
        )
    }
    fn cluster_id(&self, name: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "clusters",
            "cluster",
            name,
            "",
            &format!("cluster {name}"),
            operation,
        )
    }
    fn host_id(&self, name: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "hosts",
            "host",
            name,
            "",
            &format!("host {name}"),
            operation,
        )
    }
    fn domain_id(&self, name: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "storagedomains",
            "storage_domain",
            name,
            "",
            &format!("storage domain {name}"),
            operation,
        )
    }
    fn provider_id(&self, name: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "openstacknetworkproviders",
            "openstack_network_provider",
            name,
            "",
            &format!("provider {name}"),
            operation,
        )
    }
    fn network_id(&self, name: &str, dc: &str, operation: &str) -> Result<String, EngineError> {
        self.id_of(
            "networks",
            "network",
            name,
            &format!(" and datacenter=\"{dc}\""),
            &format!("network {name} of data center {dc}"),
            operation,
        )
    }

    fn post(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Value,
        operation: &str,
        entity: &str,
    ) -> Result<Value, EngineError> {
        self.client.mutate(
            Method::POST,
            path,
            query,
            &body,
            Subject { operation, entity },
        )
    }
    /// Attaches `network` to `cluster` (POST to the cluster's networks) or, with `update`,
    /// changes the attachment's `required` flag and usages (PUT on it).
    fn cluster_network(
        &self,
        cluster: &str,
        network: &str,
        required: bool,
        usages: &[String],
        update: bool,
    ) -> Result<(), EngineError> {
        let (verb, fix) = if update {
            ("update a network", "update it in the cluster")
        } else {
            ("attach a network", "attach it to the cluster")
        };
        let (cluster_id, network_id) = self.cluster_network_ids(cluster, verb, network, fix)?;
        let usages = json!({ "usage": usages });
        if update {
            self.put(
                &format!("/clusters/{cluster_id}/networks/{network_id}"),
                json!({"required": required, "usages": usages}),
                "update",
                &format!("network {network} in cluster {cluster}"),
            )?;
        } else {
            self.post(
                &format!("/clusters/{cluster_id}/networks"),
                &[],
                json!({"id": network_id, "required": required, "usages": usages}),
                "attach",
                &format!("network {network} to cluster {cluster}"),
            )?;
        }
        Ok(())
    }

    fn put(
        &self,
        path: &str,
        body: Value,
        operation: &str,
        entity: &str,
    ) -> Result<Value, EngineError> {
        self.client
            .mutate(Method::PUT, path, &[], &body, Subject { operation, entity })
    }

    /// Runs one action. Returns whether a request that changes something was sent.
    pub fn run(&self, action: &Action) -> Result<bool, EngineError> {
        match action {
            Action::CreateDataCenter { data_center } => {
                let entity = format!("data center {}", data_center.name);
                self.post(
                    "/datacenters",
                    &[],
                    json!({"name": data_center.name, "local": data_center.local,
                           "version": {"major": data_center.version.major, "minor": data_center.version.minor}}),
                    "create",
                    &entity,
                )?;
            }
            Action::UpdateDataCenter { name, version } => {
                let id = self.dc_id(name, "update it")?;
                self.put(
                    &format!("/datacenters/{id}"),
                    json!({"version": {"major": version.major, "minor": version.minor}}),
                    "update",
                    &format!("data center {name}"),
                )?;
            }
            Action::CreateCluster { cluster } => {
                let mut body = json!({
                    "name": cluster.name,
                    "data_center": {"name": cluster.data_center},
                    "version": {"major": cluster.version.major, "minor": cluster.version.minor},
                    "gluster_service": cluster.gluster_service,
                    "virt_service": cluster.virt_service,
                });
                let mut cpu = Map::new();
                cpu.insert("architecture".into(), json!(cluster.cpu_architecture));
                if let Some(cpu_type) = &cluster.cpu_type {
                    cpu.insert("type".into(), json!(cpu_type));
                }
                body["cpu"] = Value::Object(cpu);
                self.post(
                    "/clusters",
                    &[],
                    body,
                    "create",
                    &format!("cluster {}", cluster.name),
                )?;
            }
            Action::UpdateCluster { name, changes } => {
                let id = self.cluster_id(name, "update it")?;
                let mut body = Map::new();
                if let Some(version) = changes.version {
                    body.insert(
                        "version".into(),
                        json!({"major": version.major, "minor": version.minor}),
                    );
                }
                if let Some(cpu_type) = &changes.cpu_type {
                    body.insert("cpu".into(), json!({"type": cpu_type}));
                }
                if let Some(flag) = changes.gluster_service {
                    body.insert("gluster_service".into(), json!(flag));
                }
                if let Some(flag) = changes.virt_service {
                    body.insert("virt_service".into(), json!(flag));
                }
                self.put(
                    &format!("/clusters/{id}"),
                    Value::Object(body),
                    "update",
                    &format!("cluster {name}"),
                )?;
            }
            Action::SetClusterProviders { cluster, providers } => {
                let id = self.cluster_id(cluster, "set its providers")?;
                let ids = providers
                    .iter()
                    .map(|p| {
                        self.provider_id(p, "use it in the cluster")
                            .map(|id| json!({"id": id}))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                self.put(
                    &format!("/clusters/{id}"),
                    json!({"external_network_providers": {"external_provider": ids}}),
                    "set the external network providers of",
                    &format!("cluster {cluster}"),
                )?;
            }
            Action::CreateHost {
                name,
                address,
                cluster,
                deploy_hosted_engine,
                reboot,
            } => {
                let mut body = json!({
                    "name": name, "address": address, "cluster": {"name": cluster},
                    "override_iptables": true,
                });
                match &self.host_password {
                    Some(password) => body["root_password"] = json!(password),
                    None => body["ssh"] = json!({"authentication_method": "publickey"}),
                }
                let deploy = deploy_hosted_engine.to_string();
                let reboot = reboot.to_string();
                self.post(
                    "/hosts",
                    &[
                        ("deploy_hosted_engine", deploy.as_str()),
                        ("activate", "true"),
                        ("reboot", reboot.as_str()),
                    ],
                    body,
                    "add",
                    &format!("host {name}"),
                )?;
            }
            Action::ActivateHost { name } => {
                let id = self.host_id(name, "activate it")?;
                let status = self.host_status(&id, name)?;
                if matches!(status.as_str(), "maintenance" | "non_operational") {
                    self.post(
                        &format!("/hosts/{id}/activate"),
                        &[],
                        json!({}),
                        "activate",
                        &format!("host {name}"),
                    )?;
                } else {
                    return Ok(false);
                }
            }
            Action::WaitHostUp { name } => {
                let id = self.host_id(name, "wait for it")?;
                self.wait_host_up(&id, name)?;
                return Ok(false);
            }
            Action::CreateStorageDomain { domain } => self.create_domain(domain)?,
            Action::AttachStorageDomain { name, data_center } => {
                let dc = self.dc_id(data_center, "attach a storage domain")?;
                let sd = self.domain_id(name, "attach it")?;
                self.post(
                    &format!("/datacenters/{dc}/storagedomains"),
                    &[],
                    json!({"id": sd}),
                    "attach",
                    &format!("storage domain {name} to data center {data_center}"),
                )?;
            }
            Action::ActivateStorageDomain { name, data_center } => {
                return self.activate_domain(name, data_center);
            }
            Action::WaitStorageDomainActive { name, data_center } => {
                let dc = self.dc_id(data_center, "wait for a storage domain")?;
                let sd = self.domain_id(name, "wait for it")?;
                self.wait_domain_active(&dc, &sd, name, self.waits.storage_timeout)?;
                return Ok(false);
            }
            Action::WaitHostedEngine {
                storage_domain,
                vm,
                data_center,
            } => {
                self.wait_hosted_engine(storage_domain, vm, data_center)?;
                return Ok(false);
            }
            Action::CreateProvider { provider } => {
                self.post(
                    "/openstacknetworkproviders",
                    &[],
                    json!({"name": provider.name, "description": provider.description, "type": "external",
                           "url": provider.url, "requires_authentication": provider.requires_authentication,
                           "read_only": provider.read_only}),
                    "create",
                    &format!("provider {}", provider.name),
                )?;
            }
            Action::UpdateProvider { name, changes } => {
                let id = self.provider_id(name, "update it")?;
                let body = serde_json::to_value(changes).unwrap_or_else(|_| json!({}));
                self.put(
                    &format!("/openstacknetworkproviders/{id}"),
                    body,
                    "update",
                    &format!("provider {name}"),
                )?;
            }
            Action::CreateNetwork { network } => {
                let mut body = json!({
                    "name": network.name, "data_center": {"name": network.data_center},
                    "mtu": network.mtu, "usages": {"usage": usage_list(network.vm_network)},
                });
                if let Some(description) = &network.description {
                    body["description"] = json!(description);
                }
                self.post(
                    "/networks",
                    &[],
                    body,
                    "create",
                    &format!("network {}", network.name),
                )?;
            }
            Action::UpdateNetwork {
                name,
                data_center,
                changes,
            } => {
                let id = self.network_id(name, data_center, "update it")?;
                let mut body = Map::new();
                if let Some(description) = &changes.description {
                    body.insert("description".into(), json!(description));
                }
                if let Some(mtu) = changes.mtu {
                    body.insert("mtu".into(), json!(mtu));
                }
                if let Some(vm) = changes.vm_network {
                    body.insert("usages".into(), json!({"usage": usage_list(vm)}));
                }
                self.put(
                    &format!("/networks/{id}"),
                    Value::Object(body),
                    "update",
                    &format!("network {name}"),
                )?;
            }
            Action::AttachClusterNetwork {
                cluster,
                network,
                required,
                usages,
            } => self.cluster_network(cluster, network, *required, usages, false)?,
            Action::UpdateClusterNetwork {
                cluster,
                network,
                required,
                usages,
            } => self.cluster_network(cluster, network, *required, usages, true)?,
            Action::SetupNetworks { host, attachments } => {
                self.setup_networks(host, attachments)?
            }
            Action::CreateExternalNetwork {
                name,
                data_center,
                provider,
            } => {
                let provider_id = self.provider_id(provider, "create a network on it")?;
                self.post(
                    "/networks",
                    &[],
                    json!({"name": name, "data_center": {"name": data_center},
                           "external_provider": {"id": provider_id}}),
                    "create",
                    &format!("network {name} on provider {provider}"),
                )?;
            }
        }
        Ok(true)
    }

    /// The ids of `cluster` and of `network` in the cluster's data center; each operation text
    /// names what could not be done when its object is missing.
    fn cluster_network_ids(
        &self,
        cluster: &str,
        cluster_operation: &str,
        network: &str,
        network_operation: &str,
    ) -> Result<(String, String), EngineError> {
        let cluster_id = self.cluster_id(cluster, cluster_operation)?;
        let dc = self.cluster_dc(&cluster_id, cluster)?;
        let network_id = self.network_id(network, &dc, network_operation)?;
        Ok((cluster_id, network_id))
    }

    fn cluster_dc(&self, cluster_id: &str, cluster: &str) -> Result<String, EngineError> {
        let entity = format!("cluster {cluster}");
        let reply = self.client.get(
            &format!("/clusters/{cluster_id}"),
            &[],
            Subject {
                operation: "read",
                entity: &entity,
            },
        )?;
        let dc_id = link_id(&reply, "data_center").ok_or_else(|| EngineError::Protocol {
            operation: "read".to_owned(),
            entity: entity.clone(),
            reason: "no data_center".to_owned(),
        })?;
        let dc = self.client.get(
            &format!("/datacenters/{dc_id}"),
            &[],
            Subject {
                operation: "read",
                entity: &entity,
            },
        )?;
        text(&dc, "name").ok_or_else(|| EngineError::Protocol {
            operation: "read".to_owned(),
            entity,
            reason: "data center without name".to_owned(),
        })
    }

    fn create_domain(&self, domain: &StorageDomain) -> Result<(), EngineError> {
        let storage = match &domain.storage {
            Storage::Glusterfs {
                address,
                path,
                mount_options,
            } => json!({
                "type": "glusterfs", "vfs_type": "glusterfs", "address": address, "path": path,
                "mount_options": mount_options,
            }),
            Storage::Nfs {
                address,
                path,
                nfs_version,
            } => json!({
                "type": "nfs", "address": address, "path": path, "nfs_version": nfs_version,
            }),
        };
        self.post(
            "/storagedomains",
            &[],
            json!({"name": domain.name, "type": domain.domain_type.as_str(),
                   "host": {"name": domain.host}, "storage": storage}),
            "create",
            &format!("storage domain {}", domain.name),
        )?;
        Ok(())
    }

    fn setup_networks(
        &self,
        host: &str,
        attachments: &[NetworkAttachment],
    ) -> Result<(), EngineError> {
        let host_id = self.host_id(host, "set up its networks")?;
        let entity = format!("host {host}");
        let existing = self.client.get(
            &format!("/hosts/{host_id}/networkattachments"),
            &[],
            Subject {
                operation: "read the network attachments of",
                entity: &entity,
            },
        )?;
        let existing = items(&existing, "network_attachment");
        let cluster = {
            let reply = self.client.get(
                &format!("/hosts/{host_id}"),
                &[],
                Subject {
                    operation: "read",
                    entity: &entity,
                },
            )?;
            link_id(&reply, "cluster").unwrap_or_default()
        };
        let cluster_name = {
            let reply = self.client.get(
                &format!("/clusters/{cluster}"),
                &[],
                Subject {
                    operation: "read the cluster of",
                    entity: &entity,
                },
            )?;
            text(&reply, "name").unwrap_or_default()
        };
        let dc = self.cluster_dc(&cluster, &cluster_name)?;
        let mut modified = Vec::new();
        for attachment in attachments {
            let network_id = self.network_id(&attachment.network, &dc, "attach it to a host")?;
            let mut body = json!({
                "network": {"id": network_id},
                "host_nic": {"name": attachment.nic},
            });
            if let Some(current) = existing
                .iter()
                .find(|a| link_id(a, "network").as_deref() == Some(network_id.as_str()))
            {
                if let Some(id) = id(current) {
                    body["id"] = json!(id);
                }
            }
            if let Some(ip) = &attachment.ip {
                body["ip_address_assignments"] = json!({"ip_address_assignment": [{
                    "assignment_method": "static",
                    "ip": {"address": ip.address, "netmask": ip.netmask, "version": "v4"},
                }]});
            }
            modified.push(body);
        }
        self.post(
            &format!("/hosts/{host_id}/setupnetworks"),
            &[],
            json!({"modified_network_attachments": {"network_attachment": modified},
                   "check_connectivity": true, "commit_on_success": true}),
            "set up the networks of",
            &entity,
        )?;
        Ok(())
    }
}

fn usage_list(vm_network: bool) -> Vec<&'static str> {
    if vm_network {
        vec!["vm"]
    } else {
        Vec::new()
    }
}
