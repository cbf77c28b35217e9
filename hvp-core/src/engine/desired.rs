//! Inventory variables + network plan + storage plan + CPU decision → [`DesiredState`].

use serde_json::Value;

use super::cpu_names::engine_cpu_type;
use super::inputs::{
    CpuView, EngineInputs, EngineVars, NetworkPlanView, StoragePlanView, VolumeView, VAR_NAMES,
};
use super::state::{
    Cluster, ClusterNetwork, DataCenter, DesiredState, DomainType, EngineIdentity, Host,
    HostedEngine, Network, NetworkAttachment, OvnNetwork, OvnProvider, StaticIp, Storage,
    StorageDomain, Version, STATE_FORMAT_VERSION,
};
use crate::report::{Problem, Report};

/// Cluster roles that are not cluster-network usages (VM-ness is a property of the network).
const NOT_CLUSTER_USAGES: &[&str] = &["vm"];

/// Computes the desired Engine state. Every problem of the inputs is reported at once, each
/// naming the variable, host, zone or volume and the fix.
pub fn desired_state(inputs: &EngineInputs) -> Result<DesiredState, Report> {
    // No control character anywhere in the inputs (field paths), then the shapes.
    let mut problems = Vec::new();
    for (subject, value) in [
        ("vars", Some(&inputs.vars)),
        ("network_plan", Some(&inputs.network_plan)),
        ("storage_plan", Some(&inputs.storage_plan)),
        ("cpu", inputs.cpu.as_ref()),
    ] {
        if let Some(value) = value {
            problems.extend(super::input_checks::control_problems(subject, value));
        }
    }
    if !problems.is_empty() {
        return Err(Report::new(problems));
    }
    let vars = parse_vars(&inputs.vars, &mut problems);
    let network = parse_part::<NetworkPlanView>(
        &inputs.network_plan,
        "network_plan",
        "pass the JSON of `hvp-netplan --format json` for one node",
        &mut problems,
    );
    let storage = parse_part::<StoragePlanView>(
        &inputs.storage_plan,
        "storage_plan",
        "pass the storage plan JSON (format 2, `hvp-gdeploy-gen --format json`)",
        &mut problems,
    );
    let cpu = inputs.cpu.as_ref().and_then(|cpu| {
        parse_part::<CpuView>(
            cpu,
            "cpu",
            "pass the hvp_cluster_cpu fact of hvp_cpu_type (with `model`)",
            &mut problems,
        )
    });
    if let Some(storage) = &storage {
        if storage.format_version != 2 {
            problems.push(Problem::error(
                "storage_plan.format_version",
                format!(
                    "is {}, the Engine stage reads format 2",
                    storage.format_version
                ),
                "regenerate the storage plan with this hvp version",
            ));
        }
    }
    let (Some(vars), Some(network), Some(storage)) = (vars, network, storage) else {
        return Err(Report::new(problems));
    };
    let state = build(&vars, &network, &storage, cpu.as_ref(), &mut problems);
    check_names(&state, &mut problems);
    problems.extend(super::input_checks::state_problems(&state));
    if problems.is_empty() {
        Ok(state)
    } else {
        Err(Report::new(problems))
    }
}

fn parse_vars(vars: &Value, problems: &mut Vec<Problem>) -> Option<EngineVars> {
    let Some(map) = vars.as_object() else {
        problems.push(Problem::error(
            "vars",
            "is not a dictionary",
            "pass the inventory variables as a dictionary",
        ));
        return None;
    };
    // Unknown names with the usual slips first (case, `-` for `_`, blanks), then the closest.
    let unknown = crate::input::unknown::find_unknown(map.keys().map(String::as_str), VAR_NAMES);
    for name in &unknown {
        let fix = match name.suggestion {
            Some(known) => format!("did you mean {known}?"),
            None => "remove it (docs/engine.md lists the variables)".to_owned(),
        };
        problems.push(Problem::error(
            format!("variable {}", crate::input::escape::escape(&name.name)),
            "is not a variable of the Engine stage",
            fix,
        ));
    }
    if !unknown.is_empty() {
        return None;
    }
    parse_part(
        vars,
        "vars",
        "fix the variable (docs/engine.md lists the variables and their types)",
        problems,
    )
}

fn parse_part<T: serde::de::DeserializeOwned>(
    value: &Value,
    subject: &str,
    fix: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    // Field paths and no Rust type names (`crate::input::json`).
    match crate::input::json::from_value(value) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            problems.push(Problem::error(subject, error.to_string(), fix));
            None
        }
    }
}

fn version_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn short_name(fqdn: &str) -> &str {
    fqdn.split('.').next().unwrap_or(fqdn)
}

fn volume<'a>(storage: &'a StoragePlanView, kind: &str) -> Option<&'a VolumeView> {
    storage.volumes.iter().find(|volume| volume.kind == kind)
}

fn build(
    vars: &EngineVars,
    network: &NetworkPlanView,
    storage: &StoragePlanView,
    cpu: Option<&CpuView>,
    problems: &mut Vec<Problem>,
) -> DesiredState {
    let version_string = version_text(&vars.compatibility_version);
    let version = Version::parse(&version_string).unwrap_or_else(|| {
        problems.push(Problem::error(
            "variable compatibility_version",
            format!("{version_string:?} is not a MAJOR.MINOR version"),
            "set it like \"4.2\"",
        ));
        Version { major: 4, minor: 2 }
    });
    let mgmt_domain = if vars.hvp_management_domainname.is_empty() {
        network
            .zones
            .get("mgmt")
            .and_then(|zone| zone.domain.clone())
            .unwrap_or_else(|| "mgmt.private".to_owned())
    } else {
        vars.hvp_management_domainname.clone()
    };
    let engine_domain = if vars.hvp_engine_domainname.is_empty() {
        mgmt_domain.clone()
    } else {
        vars.hvp_engine_domainname.clone()
    };
    let fqdn = format!("{}.{}", vars.hvp_engine_name, engine_domain);
    let engine = EngineIdentity {
        api_url: format!("https://{fqdn}/ovirt-engine/api"),
        fqdn,
    };

    let data_center = DataCenter {
        name: vars.dc_name.clone(),
        version,
        local: false,
    };
    let ovn_name = vars.hvp_ovn_provider_name.trim().to_owned();
    let cluster = Cluster {
        name: vars.cluster_name.clone(),
        data_center: vars.dc_name.clone(),
        version,
        cpu_type: cluster_cpu_type(vars, cpu, problems),
        cpu_architecture: "x86_64".to_owned(),
        gluster_service: true,
        virt_service: true,
        external_network_providers: if ovn_name.is_empty() {
            Vec::new()
        } else {
            vec![ovn_name.clone()]
        },
    };

    let networks = networks(vars, network, problems);
    let hosts = hosts(vars, network, &networks, problems);
    let master = hosts
        .iter()
        .find(|host| host.master)
        .map(|host| host.name.clone())
        .unwrap_or_default();
    let storage_domains = storage_domains(vars, storage, &master, &mgmt_domain, problems);
    let hosted_engine = vars.hvp_he_import.then(|| HostedEngine {
        storage_domain: if vars.engine_sd_name.is_empty() {
            let volume = volume(storage, "engine").map_or("engine", |volume| &volume.name);
            format!("{volume}_domain")
        } else {
            vars.engine_sd_name.clone()
        },
        vm: vars.hvp_he_vm_name.clone(),
    });
    let ovn_provider = (!ovn_name.is_empty()).then(|| {
        let url = if vars.hvp_ovn_provider_url.is_empty() {
            let address = if vars.hvp_engine_ip.is_empty() {
                network.cluster.engine.clone()
            } else {
                Some(vars.hvp_engine_ip.clone())
            };
            match address {
                Some(address) => format!("http://{address}:9696"),
                None => {
                    problems.push(Problem::error(
                        "variable hvp_ovn_provider_url",
                        "is empty and neither hvp_engine_ip nor the network plan gives the Engine address",
                        "set hvp_engine_ip or hvp_ovn_provider_url, or hvp_ovn_provider_name: \"\" for no OVN",
                    ));
                    String::new()
                }
            }
        } else {
            vars.hvp_ovn_provider_url.clone()
        };
        OvnProvider {
            name: ovn_name.clone(),
            description: "OVN network provider".to_owned(),
            url,
            requires_authentication: false,
            read_only: false,
            networks: vars
                .hvp_ovn_private_network_names
                .iter()
                .map(|name| OvnNetwork {
                    name: name.clone(),
                    data_center: vars.dc_name.clone(),
                })
                .collect(),
        }
    });

    DesiredState {
        format_version: STATE_FORMAT_VERSION,
        engine,
        data_center,
        cluster,
        hosts,
        storage_domains,
        hosted_engine,
        networks,
        ovn_provider,
    }
}

fn cluster_cpu_type(
    vars: &EngineVars,
    cpu: Option<&CpuView>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    if !vars.cluster_cpu_type.is_empty() {
        return Some(vars.cluster_cpu_type.clone());
    }
    let cpu = cpu?;
    match engine_cpu_type(&cpu.model) {
        Some(name) => Some(name.to_owned()),
        None => {
            problems.push(Problem::error(
                "cpu.model",
                format!("the CPU model {:?} has no known Engine CPU type name", cpu.model),
                "set cluster_cpu_type to the Engine's name (GET /ovirt-engine/api/clusterlevels/VERSION lists them)",
            ));
            None
        }
    }
}

fn networks(
    vars: &EngineVars,
    network: &NetworkPlanView,
    problems: &mut Vec<Problem>,
) -> Vec<Network> {
    network
        .ovirt_networks
        .iter()
        .map(|logical| {
            let zone = network.zones.get(&logical.zone);
            let mtu = logical
                .mtu
                .or(zone.and_then(|zone| zone.mtu))
                .unwrap_or_else(|| {
                    problems.push(Problem::error(
                        format!("network_plan, network {}", logical.name),
                        format!("no MTU known for zone {}", logical.zone),
                        "pass the plan of a node that has this zone",
                    ));
                    1500
                });
            Network {
                name: logical.name.clone(),
                data_center: vars.dc_name.clone(),
                description: (logical.zone == "gluster").then(|| "Gluster network".to_owned()),
                mtu,
                vm_network: logical.vm_network,
                cluster: ClusterNetwork {
                    name: vars.cluster_name.clone(),
                    required: true,
                    usages: logical
                        .roles
                        .iter()
                        .filter(|role| !NOT_CLUSTER_USAGES.contains(&role.as_str()))
                        .cloned()
                        .collect(),
                },
            }
        })
        .collect()
}

fn hosts(
    vars: &EngineVars,
    network: &NetworkPlanView,
    networks: &[Network],
    problems: &mut Vec<Problem>,
) -> Vec<Host> {
    if vars.hosts.is_empty() {
        problems.push(Problem::error(
            "variable hosts",
            "is empty",
            "list the oVirt hosts in inventory order (groups['ovirtnodes'])",
        ));
        return Vec::new();
    }
    let master = vars
        .hvp_master_node
        .clone()
        .unwrap_or_else(|| vars.hosts[0].name.clone());
    if !vars.hosts.iter().any(|host| host.name == master) {
        problems.push(Problem::error(
            "variable hvp_master_node",
            format!("{master} is not one of the hosts"),
            "name one of the hosts (the Hosted Engine host)",
        ));
    }
    let zone_of = |name: &str| {
        network
            .ovirt_networks
            .iter()
            .find(|logical| logical.name == name)
            .map(|logical| logical.zone.clone())
    };
    let mut ordered: Vec<_> = vars.hosts.iter().collect();
    ordered.sort_by_key(|host| host.name != master);
    ordered
        .into_iter()
        .map(|host| {
            let short = short_name(&host.name);
            let node = network.cluster.nodes.iter().find(|node| node.name == short);
            if node.is_none() {
                let known: Vec<&str> = network
                    .cluster
                    .nodes
                    .iter()
                    .map(|n| n.name.as_str())
                    .collect();
                problems.push(Problem::error(
                    format!("host {}", host.name),
                    format!(
                        "the network plan has no node {short} (it has {})",
                        known.join(", ")
                    ),
                    "name the hosts as the installer did (node names of the network plan)",
                ));
            }
            for zone in host.interfaces.keys() {
                if !network.zones.contains_key(zone) {
                    problems.push(Problem::error(
                        format!("host {}, interfaces.{zone}", host.name),
                        "is not a zone of the network plan",
                        "use a zone the plan has (mgmt, gluster, lan, internal)",
                    ));
                }
            }
            let attachments = networks
                .iter()
                .filter_map(|logical| {
                    let zone = zone_of(&logical.name)?;
                    if zone == "mgmt" {
                        return None; // the management network is attached by the deployment
                    }
                    let plan_zone = network.zones.get(&zone)?;
                    let nic = host
                        .interfaces
                        .get(&zone)
                        .cloned()
                        .unwrap_or_else(|| plan_zone.device.clone());
                    let address = node.and_then(|node| node.addresses.get(&zone));
                    let ip = match (address, &plan_zone.netmask) {
                        (Some(address), Some(netmask)) => Some(StaticIp {
                            address: address.clone(),
                            netmask: netmask.clone(),
                        }),
                        _ => {
                            if node.is_some() {
                                problems.push(Problem::error(
                                    format!("host {}, zone {zone}", host.name),
                                    "the network plan gives no static address for it",
                                    "plan the network with a static address on this zone",
                                ));
                            }
                            None
                        }
                    };
                    Some(NetworkAttachment {
                        network: logical.name.clone(),
                        nic,
                        ip,
                    })
                })
                .collect();
            Host {
                name: host.name.clone(),
                address: host.address.clone().unwrap_or_else(|| host.name.clone()),
                cluster: vars.cluster_name.clone(),
                master: host.name == master,
                deploy_hosted_engine: true,
                reboot: false,
                network_attachments: attachments,
            }
        })
        .collect()
}

fn storage_domains(
    vars: &EngineVars,
    storage: &StoragePlanView,
    master: &str,
    mgmt_domain: &str,
    problems: &mut Vec<Problem>,
) -> Vec<StorageDomain> {
    let mut domains = Vec::new();
    match volume(storage, "vmstore") {
        Some(vmstore) => {
            let data_nodes = vmstore.data_nodes();
            match data_nodes.split_first() {
                Some((address, others)) => {
                    let mut mount_options = String::new();
                    if !others.is_empty() {
                        mount_options = format!("backup-volfile-servers={},", others.join(":"));
                    }
                    mount_options.push_str(&vars.hvp_glusterfs_mountopts);
                    let mount_options = mount_options.trim_end_matches(',').to_owned();
                    domains.push(StorageDomain {
                        name: if vars.vmstore_sd_name.is_empty() {
                            format!("{}_domain", vmstore.name)
                        } else {
                            vars.vmstore_sd_name.clone()
                        },
                        domain_type: DomainType::Data,
                        data_center: vars.dc_name.clone(),
                        host: master.to_owned(),
                        storage: Storage::Glusterfs {
                            address: (*address).to_owned(),
                            path: format!("/{}", vmstore.name),
                            mount_options,
                        },
                    });
                }
                None => problems.push(Problem::error(
                    format!("storage_plan, volume {}", vmstore.name),
                    "has no data brick",
                    "regenerate the storage plan",
                )),
            }
        }
        None => problems.push(Problem::error(
            "storage_plan",
            "has no volume of kind vmstore",
            "pass a complete storage plan (format 2, every volume with its kind)",
        )),
    }
    if vars.hvp_iso_domain {
        if let Some(iso) = volume(storage, "iso") {
            domains.push(StorageDomain {
                name: vars.iso_sd_name.clone(),
                domain_type: DomainType::Iso,
                data_center: vars.dc_name.clone(),
                host: master.to_owned(),
                storage: Storage::Nfs {
                    address: if vars.iso_sd_addr.is_empty() {
                        format!("{}.{mgmt_domain}", vars.hvp_storage_name)
                    } else {
                        vars.iso_sd_addr.clone()
                    },
                    path: if vars.iso_sd_path.is_empty() {
                        format!("/{}", iso.name)
                    } else {
                        vars.iso_sd_path.clone()
                    },
                    nfs_version: "auto".to_owned(),
                },
            });
        }
    }
    domains
}

/// Entity names are searched as `name="…"`: `*` would be a wildcard and `"` ends the value.
fn check_names(state: &DesiredState, problems: &mut Vec<Problem>) {
    let mut names: Vec<(String, &str)> = vec![
        ("data center".to_owned(), &state.data_center.name),
        ("cluster".to_owned(), &state.cluster.name),
    ];
    names.extend(
        state
            .hosts
            .iter()
            .map(|h| ("host".to_owned(), h.name.as_str())),
    );
    names.extend(
        state
            .storage_domains
            .iter()
            .map(|d| ("storage domain".to_owned(), d.name.as_str())),
    );
    names.extend(
        state
            .networks
            .iter()
            .map(|n| ("network".to_owned(), n.name.as_str())),
    );
    if let Some(ovn) = &state.ovn_provider {
        names.push(("OVN provider".to_owned(), &ovn.name));
        names.extend(
            ovn.networks
                .iter()
                .map(|n| ("OVN network".to_owned(), n.name.as_str())),
        );
    }
    for (kind, name) in &names {
        if name.trim().is_empty() || name.contains('*') || name.contains('"') {
            problems.push(Problem::error(
                format!("{kind} {name:?}"),
                "is empty or contains * or \" (searches by name would be wrong)",
                "choose a plain name",
            ));
        }
    }
    let mut network_names: Vec<&str> = state.networks.iter().map(|n| n.name.as_str()).collect();
    if let Some(ovn) = &state.ovn_provider {
        network_names.extend(ovn.networks.iter().map(|n| n.name.as_str()));
    }
    // A set, not a scan of the earlier names: linear in the number of networks.
    let mut seen = std::collections::HashSet::new();
    for name in &network_names {
        if !seen.insert(*name) {
            problems.push(Problem::error(
                format!("network {name}"),
                "is named twice (logical networks and OVN networks share one name space)",
                "rename one in hvp_ovn_private_network_names",
            ));
        }
    }
}
