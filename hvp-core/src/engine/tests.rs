//! Rule tests of the desired state and of the diff.

use serde_json::{json, Value};

use super::*;

fn network_plan() -> Value {
    json!({
        "zones": {
            "mgmt": {"device": "eth0", "netmask": "255.255.255.0", "mtu": 1500, "domain": "mgmt.private"},
            "gluster": {"device": "bond0", "netmask": "255.255.255.0", "mtu": 9000, "domain": "gluster.private"},
            "lan": {"device": "eth3", "netmask": "255.255.255.0", "mtu": 1500, "domain": "lan.private"}
        },
        "cluster": {
            "engine": "172.20.10.5",
            "nodes": [
                {"name": "n0", "addresses": {"mgmt": "172.20.10.10", "gluster": "172.20.11.10", "lan": "172.20.12.10"}},
                {"name": "n1", "addresses": {"mgmt": "172.20.10.11", "gluster": "172.20.11.11", "lan": "172.20.12.11"}},
                {"name": "n2", "addresses": {"mgmt": "172.20.10.12", "gluster": "172.20.11.12", "lan": "172.20.12.12"}}
            ]
        },
        "ovirt_networks": [
            {"name": "ovirtmgmt", "zone": "mgmt", "vm_network": true, "roles": ["management"], "mtu": 1500},
            {"name": "gluster", "zone": "gluster", "vm_network": false, "roles": ["gluster", "migration"], "mtu": null},
            {"name": "lan", "zone": "lan", "vm_network": true, "roles": ["display", "vm"], "mtu": 1500}
        ],
        "unknown_field": "ignored"
    })
}

fn bricks(volume: &str, nodes: &[(&str, bool)]) -> Value {
    json!({"name": volume, "kind": volume, "replica": {"count": nodes.len(), "arbiter_count": 1},
           "options": [], "future_field": 1,
           "replica_sets": [{"bricks": nodes.iter().map(|(n, a)| json!({"node": n, "arbiter": a,
               "directory": "/b", "logical_volume": "lv", "volume_group": "vg", "size_bytes": 1})).collect::<Vec<_>>()}]})
}

fn storage_plan() -> Value {
    let three = [
        ("n0.gluster.private", false),
        ("n1.gluster.private", false),
        ("n2.gluster.private", true),
    ];
    json!({"format_version": 2, "policy": "compat", "nodes": [], "warnings": [],
           "volumes": [bricks("engine", &three), bricks("vmstore", &three), bricks("iso", &three)]})
}

fn inputs(vars: Value) -> EngineInputs {
    serde_json::from_value(json!({
        "vars": vars, "network_plan": network_plan(), "storage_plan": storage_plan(),
        "cpu": {"vendor": "Intel", "model": "Haswell-noTSX", "model_index": 12}
    }))
    .unwrap()
}

fn hosts() -> Value {
    json!([{"name": "n0.mgmt.private"}, {"name": "n1.mgmt.private"}, {"name": "n2.mgmt.private", "interfaces": {"gluster": "bond7"}}])
}

fn state() -> DesiredState {
    desired_state(&inputs(json!({"hosts": hosts()}))).unwrap()
}

#[test]
fn vmstore_domain_on_gluster_with_the_other_data_nodes_as_backup() {
    let state = state();
    let vmstore = &state.storage_domains[0];
    assert_eq!(vmstore.name, "vmstore_domain");
    assert_eq!(vmstore.domain_type, DomainType::Data);
    assert_eq!(vmstore.host, "n0.mgmt.private");
    assert_eq!(
        vmstore.storage,
        Storage::Glusterfs {
            address: "n0.gluster.private".into(),
            path: "/vmstore".into(),
            mount_options:
                "backup-volfile-servers=n1.gluster.private,fetch-attempts=2,log-level=WARNING"
                    .into(),
        }
    );
}

#[test]
fn single_data_node_has_no_backup_volfile_servers() {
    let mut storage = storage_plan();
    storage["volumes"][1] = bricks("vmstore", &[("n0.gluster.private", false)]);
    let mut inputs = inputs(json!({"hosts": hosts()}));
    inputs.storage_plan = storage;
    let state = desired_state(&inputs).unwrap();
    let Storage::Glusterfs { mount_options, .. } = &state.storage_domains[0].storage else {
        panic!()
    };
    assert_eq!(mount_options, "fetch-attempts=2,log-level=WARNING");
}

#[test]
fn iso_domain_over_nfs_on_the_ctdb_name() {
    let state = state();
    let iso = &state.storage_domains[1];
    assert_eq!(iso.domain_type, DomainType::Iso);
    assert_eq!(
        iso.storage,
        Storage::Nfs {
            address: "discord.mgmt.private".into(),
            path: "/iso".into(),
            nfs_version: "auto".into()
        }
    );
    let off = desired_state(&inputs(json!({"hosts": hosts(), "hvp_iso_domain": false}))).unwrap();
    assert_eq!(off.storage_domains.len(), 1);
}

#[test]
fn networks_carry_mtu_vm_flag_and_cluster_roles() {
    let state = state();
    let gluster = state.networks.iter().find(|n| n.name == "gluster").unwrap();
    assert_eq!(
        gluster.mtu, 9000,
        "compat plans have no MTU: the zone MTU is used"
    );
    assert!(!gluster.vm_network);
    assert_eq!(gluster.cluster.usages, ["gluster", "migration"]);
    assert_eq!(gluster.description.as_deref(), Some("Gluster network"));
    assert!(gluster.cluster.required);
    let lan = state.networks.iter().find(|n| n.name == "lan").unwrap();
    assert_eq!(
        lan.cluster.usages,
        ["display"],
        "vm is a network property, not a cluster usage"
    );
}

#[test]
fn hosts_master_first_with_attachments_except_management() {
    let vars = json!({"hosts": hosts(), "hvp_master_node": "n1.mgmt.private"});
    let state = desired_state(&inputs(vars)).unwrap();
    let names: Vec<&str> = state.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        ["n1.mgmt.private", "n0.mgmt.private", "n2.mgmt.private"]
    );
    assert!(state.hosts[0].master && !state.hosts[1].master);
    assert!(state
        .hosts
        .iter()
        .all(|h| h.deploy_hosted_engine && !h.reboot));
    let n2 = &state.hosts[2];
    let networks: Vec<&str> = n2
        .network_attachments
        .iter()
        .map(|a| a.network.as_str())
        .collect();
    assert_eq!(networks, ["gluster", "lan"]);
    assert_eq!(
        n2.network_attachments[0].nic, "bond7",
        "per-host interface wins"
    );
    assert_eq!(
        n2.network_attachments[1].nic, "eth3",
        "else the plan's device"
    );
    assert_eq!(
        n2.network_attachments[0].ip,
        Some(StaticIp {
            address: "172.20.11.12".into(),
            netmask: "255.255.255.0".into()
        })
    );
}

#[test]
fn cluster_cpu_from_the_decision_or_the_override() {
    assert_eq!(
        state().cluster.cpu_type.as_deref(),
        Some("Intel Haswell-noTSX Family")
    );
    let vars = json!({"hosts": hosts(), "cluster_cpu_type": "Intel Nehalem Family"});
    assert_eq!(
        desired_state(&inputs(vars))
            .unwrap()
            .cluster
            .cpu_type
            .as_deref(),
        Some("Intel Nehalem Family")
    );
    let mut unknown = inputs(json!({"hosts": hosts()}));
    unknown.cpu = Some(json!({"model": "qemu64"}));
    let error = desired_state(&unknown).unwrap_err().to_string();
    assert!(
        error.contains("qemu64") && error.contains("cluster_cpu_type"),
        "{error}"
    );
}

#[test]
fn ovn_provider_and_networks() {
    let state = state();
    let ovn = state.ovn_provider.as_ref().unwrap();
    assert_eq!(ovn.url, "http://172.20.10.5:9696");
    assert_eq!(
        ovn.networks
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["dmz0", "dmz1"]
    );
    assert_eq!(state.cluster.external_network_providers, ["ovn_provider"]);
    let none = desired_state(&inputs(
        json!({"hosts": hosts(), "hvp_ovn_provider_name": ""}),
    ))
    .unwrap();
    assert!(none.ovn_provider.is_none() && none.cluster.external_network_providers.is_empty());
}

#[test]
fn bad_inputs_report_every_problem() {
    let vars = json!({"hosts": [{"name": "zz.mgmt.private"}], "compatibility_version": "four",
                      "hvp_ovn_private_network_names": ["lan", "dm*z"]});
    let error = desired_state(&inputs(vars)).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("compatibility_version"), "{text}");
    assert!(text.contains("no node zz"), "{text}");
    assert!(text.contains("named twice"), "{text}");
    assert!(text.contains("dm*z"), "{text}");
    let misspelt = desired_state(&inputs(json!({"hosts": hosts(), "dc_nme": "x"}))).unwrap_err();
    assert!(
        misspelt.to_string().contains("did you mean dc_name"),
        "{misspelt}"
    );
}

#[test]
fn storage_plan_format_must_be_2() {
    let mut inputs = inputs(json!({"hosts": hosts()}));
    inputs.storage_plan["format_version"] = json!(1);
    assert!(desired_state(&inputs)
        .unwrap_err()
        .to_string()
        .contains("format 2"));
}

#[test]
fn json_round_trip() {
    let state = state();
    let text = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<DesiredState>(&text).unwrap(), state);
}

// ---- diff and order

fn kinds(actions: &[PlannedAction]) -> Vec<String> {
    actions
        .iter()
        .map(|a| {
            serde_json::to_value(&a.action).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// What the Engine holds once `state` has been applied.
fn converged(state: &DesiredState) -> ObservedState {
    let dc = &state.data_center.name;
    let mut observed = ObservedState {
        data_centers: vec![ObservedDataCenter {
            name: dc.clone(),
            version: Some(state.data_center.version),
            status: Some("up".into()),
        }],
        clusters: vec![ObservedCluster {
            name: state.cluster.name.clone(),
            data_center: Some(dc.clone()),
            version: Some(state.cluster.version),
            cpu_type: state.cluster.cpu_type.clone(),
            gluster_service: Some(true),
            virt_service: Some(true),
            external_network_providers: state.cluster.external_network_providers.clone(),
        }],
        ..ObservedState::default()
    };
    for host in &state.hosts {
        observed.hosts.push(ObservedHost {
            name: host.name.clone(),
            status: Some("up".into()),
            network_attachments: host
                .network_attachments
                .iter()
                .map(|a| ObservedAttachment {
                    network: a.network.clone(),
                    nic: a.nic.clone(),
                    ip: a.ip.clone(),
                })
                .collect(),
        });
    }
    let mut domains: Vec<String> = state
        .storage_domains
        .iter()
        .map(|d| d.name.clone())
        .collect();
    domains.push(state.hosted_engine.as_ref().unwrap().storage_domain.clone());
    for name in domains {
        observed.storage_domains.push(ObservedStorageDomain {
            name,
            attachments: vec![DomainAttachment {
                data_center: dc.clone(),
                status: Some("active".into()),
            }],
        });
    }
    observed.vms.push(ObservedVm {
        name: "HostedEngine".into(),
        status: Some("up".into()),
    });
    for network in &state.networks {
        observed.networks.push(ObservedNetwork {
            name: network.name.clone(),
            data_center: Some(dc.clone()),
            description: network.description.clone(),
            mtu: Some(network.mtu),
            vm_network: network.vm_network,
            external_provider: None,
        });
        let mut usages = network.cluster.usages.clone();
        if network.vm_network {
            usages.push("vm".into());
        }
        observed.cluster_networks.push(ObservedClusterNetwork {
            cluster: network.cluster.name.clone(),
            network: network.name.clone(),
            required: Some(true),
            usages,
        });
    }
    let ovn = state.ovn_provider.as_ref().unwrap();
    observed.providers.push(ObservedProvider {
        name: ovn.name.clone(),
        description: Some(ovn.description.clone()),
        url: Some(ovn.url.clone()),
        requires_authentication: Some(false),
        read_only: Some(false),
    });
    for network in &ovn.networks {
        observed.networks.push(ObservedNetwork {
            name: network.name.clone(),
            data_center: Some(dc.clone()),
            external_provider: Some(ovn.name.clone()),
            ..ObservedNetwork::default()
        });
    }
    observed
}

/// A freshly installed Engine: Default/Default, ovirtmgmt.
fn fresh() -> ObservedState {
    ObservedState {
        data_centers: vec![ObservedDataCenter {
            name: "Default".into(),
            version: Some(Version { major: 4, minor: 2 }),
            status: Some("uninitialized".into()),
        }],
        clusters: vec![ObservedCluster {
            name: "Default".into(),
            data_center: Some("Default".into()),
            version: Some(Version { major: 4, minor: 2 }),
            cpu_type: None,
            gluster_service: Some(false),
            virt_service: Some(true),
            external_network_providers: vec![],
        }],
        networks: vec![ObservedNetwork {
            name: "ovirtmgmt".into(),
            data_center: Some("Default".into()),
            description: Some("Management Network".into()),
            mtu: Some(0),
            vm_network: true,
            external_provider: None,
        }],
        cluster_networks: vec![ObservedClusterNetwork {
            cluster: "Default".into(),
            network: "ovirtmgmt".into(),
            required: Some(true),
            usages: vec![
                "management".into(),
                "display".into(),
                "vm".into(),
                "migration".into(),
            ],
        }],
        ..ObservedState::default()
    }
}

#[test]
fn converged_engine_plans_nothing() {
    let state = state();
    assert!(plan(&converged(&state), &state).is_empty());
}

#[test]
fn fresh_engine_plans_the_original_order() {
    let state = state();
    let actions = plan(&fresh(), &state);
    let kinds = kinds(&actions);
    let expected = [
        "update_cluster",
        "create_host",
        "wait_host_up",
        "create_storage_domain",
        "attach_storage_domain",
        "activate_storage_domain",
        "wait_storage_domain_active",
        "wait_hosted_engine",
        "create_host",
        "wait_host_up",
        "create_host",
        "wait_host_up",
        "create_provider",
        "set_cluster_providers",
        "update_network",
        "create_network",
        "create_network",
        "attach_cluster_network",
        "attach_cluster_network",
        "setup_networks",
        "activate_host",
        "wait_host_up",
        "setup_networks",
        "activate_host",
        "wait_host_up",
        "setup_networks",
        "activate_host",
        "wait_host_up",
        "create_external_network",
        "create_external_network",
        "create_storage_domain",
        "attach_storage_domain",
        "activate_storage_domain",
        "wait_storage_domain_active",
    ];
    assert_eq!(kinds, expected);
    // Steps follow the original playbooks.
    assert_eq!(actions[7].step, Step::Datacenter);
    assert_eq!(actions[12].step, Step::Networks);
    assert_eq!(actions.last().unwrap().step, Step::Nfsdomains);
}

#[test]
fn existing_entities_get_only_the_differing_fields() {
    let state = state();
    let mut observed = converged(&state);
    observed.clusters[0].cpu_type = Some("Intel Conroe Family".into());
    observed.networks[1].mtu = Some(1500); // gluster
    let actions = plan(&observed, &state);
    assert_eq!(actions.len(), 2);
    match &actions[0].action {
        Action::UpdateCluster { changes, .. } => {
            assert_eq!(
                changes,
                &ClusterChanges {
                    cpu_type: Some("Intel Haswell-noTSX Family".into()),
                    ..Default::default()
                }
            )
        }
        other => panic!("{other:?}"),
    }
    match &actions[1].action {
        Action::UpdateNetwork { name, changes, .. } => {
            assert_eq!(name, "gluster");
            assert_eq!(
                changes,
                &NetworkChanges {
                    mtu: Some(9000),
                    ..Default::default()
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cluster_usages_are_merged_never_dropped() {
    let state = state();
    let mut observed = converged(&state);
    observed.cluster_networks[0].usages = vec!["display".into(), "vm".into()]; // ovirtmgmt lost management
    let actions = plan(&observed, &state);
    match &actions[..] {
        [PlannedAction {
            action: Action::UpdateClusterNetwork {
                network, usages, ..
            },
            ..
        }] => {
            assert_eq!(network, "ovirtmgmt");
            assert_eq!(usages, &["display", "management"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn entities_not_named_are_left_alone() {
    let state = state();
    let mut observed = converged(&state);
    observed.hosts.push(ObservedHost {
        name: "extra".into(),
        status: Some("maintenance".into()),
        ..Default::default()
    });
    observed.networks.push(ObservedNetwork {
        name: "other".into(),
        data_center: Some("Default".into()),
        ..Default::default()
    });
    observed.storage_domains.push(ObservedStorageDomain {
        name: "old".into(),
        attachments: vec![],
    });
    observed.clusters[0]
        .external_network_providers
        .insert(0, "neutron".into());
    assert!(plan(&observed, &state).is_empty());
}

#[test]
fn cluster_providers_keep_the_existing_ones() {
    let state = state();
    let mut observed = converged(&state);
    observed.clusters[0].external_network_providers = vec!["neutron".into()];
    match &plan(&observed, &state)[..] {
        [PlannedAction {
            action: Action::SetClusterProviders { providers, .. },
            ..
        }] => {
            assert_eq!(providers, &["neutron", "ovn_provider"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn storage_domain_states() {
    let state = state();
    let mut observed = converged(&state);
    observed.storage_domains[0].attachments.clear(); // created, not attached
    assert_eq!(
        kinds(&plan(&observed, &state)),
        [
            "attach_storage_domain",
            "activate_storage_domain",
            "wait_storage_domain_active"
        ]
    );
    observed.storage_domains[0].attachments = vec![DomainAttachment {
        data_center: "Default".into(),
        status: Some("maintenance".into()),
    }];
    assert_eq!(
        kinds(&plan(&observed, &state)),
        ["activate_storage_domain", "wait_storage_domain_active"]
    );
    observed.storage_domains[0].attachments[0].status = Some("activating".into());
    assert_eq!(
        kinds(&plan(&observed, &state)),
        ["wait_storage_domain_active"]
    );
}

#[test]
fn host_states() {
    let state = state();
    let mut observed = converged(&state);
    observed.hosts[1].status = Some("installing".into());
    assert_eq!(kinds(&plan(&observed, &state)), ["wait_host_up"]);
    observed.hosts[1].status = Some("maintenance".into());
    assert_eq!(
        kinds(&plan(&observed, &state)),
        ["activate_host", "wait_host_up"]
    );
    // Non-operational (missing networks): no wait in the data-center step, activation after
    // the network step.
    observed.hosts[1].status = Some("non_operational".into());
    let actions = plan(&observed, &state);
    assert_eq!(kinds(&actions), ["activate_host", "wait_host_up"]);
    assert!(actions.iter().all(|a| a.step == Step::Networks));
}

#[test]
fn host_networks_only_for_missing_or_different_attachments() {
    let state = state();
    let mut observed = converged(&state);
    observed.hosts[2].network_attachments[0].nic = "eth9".into(); // gluster moved
    observed.hosts[2].network_attachments[1].ip = None; // lan without address
    match &plan(&observed, &state)[..] {
        [PlannedAction {
            action: Action::SetupNetworks { host, attachments },
            ..
        }, PlannedAction {
            action: Action::ActivateHost { .. },
            ..
        }, PlannedAction {
            action: Action::WaitHostUp { .. },
            ..
        }] => {
            assert_eq!(host, "n2.mgmt.private");
            assert_eq!(attachments.len(), 2);
            assert_eq!(attachments[0].nic, "bond7");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hosted_engine_wait_until_imported() {
    let state = state();
    let mut observed = converged(&state);
    observed.vms.clear();
    assert_eq!(kinds(&plan(&observed, &state)), ["wait_hosted_engine"]);
}

#[test]
fn data_center_version_and_provider_fields_are_updated_when_they_differ() {
    let state = state();
    let mut observed = converged(&state);
    observed.data_centers[0].version = Some(Version { major: 4, minor: 1 });
    observed.providers[0].url = Some("http://10.0.0.1:9696".into());
    observed.providers[0].read_only = Some(true);
    let actions = plan(&observed, &state);
    assert_eq!(
        actions.iter().map(|a| a.action.clone()).collect::<Vec<_>>(),
        [
            Action::UpdateDataCenter {
                name: "Default".into(),
                version: Version { major: 4, minor: 2 }
            },
            Action::UpdateProvider {
                name: "ovn_provider".into(),
                changes: ProviderChanges {
                    url: Some("http://172.20.10.5:9696".into()),
                    read_only: Some(false),
                    ..Default::default()
                }
            },
        ]
    );
}

#[test]
fn missing_data_center_and_cluster_are_created_cluster_without_providers_first() {
    let state = state();
    let mut observed = converged(&state);
    observed.data_centers.clear();
    observed.clusters.clear();
    let actions = plan(&observed, &state);
    assert!(matches!(
        &actions[0].action,
        Action::CreateDataCenter { .. }
    ));
    match &actions[1].action {
        Action::CreateCluster { cluster } => {
            assert!(cluster.external_network_providers.is_empty());
            assert_eq!(
                cluster.cpu_type.as_deref(),
                Some("Intel Haswell-noTSX Family")
            );
        }
        other => panic!("{other:?}"),
    }
    // The providers come once the provider exists, in the network step.
    let set = actions
        .iter()
        .find(|a| matches!(a.action, Action::SetClusterProviders { .. }))
        .unwrap();
    assert_eq!(set.step, Step::Networks);
}

#[test]
fn ovn_networks_are_created_on_the_provider_only_when_missing() {
    let state = state();
    let mut observed = converged(&state);
    observed.networks.retain(|n| n.name != "dmz1");
    assert_eq!(
        plan(&observed, &state)
            .into_iter()
            .map(|a| a.action)
            .collect::<Vec<_>>(),
        [Action::CreateExternalNetwork {
            name: "dmz1".into(),
            data_center: "Default".into(),
            provider: "ovn_provider".into()
        }]
    );
}
