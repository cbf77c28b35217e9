//! What the Engine fills in by itself: cluster and host defaults, host NICs with the
//! management attachment, the management network of a new cluster, vNIC profiles.

use super::util::{dc_of_cluster, default, new_id, new_mac, refers, s};
use super::Sim;
use crate::store::Entity;
use serde_json::{json, Map, Value};

/// What the Engine fills in for a cluster the client did not specify (clients read these back:
/// ovirt.ovirt's `ovirt_cluster` dereferences `ksm`, `fencing_policy`, `migration`, …).
pub fn cluster_defaults(m: &mut Map<String, Value>) {
    for (k, v) in [
        ("version", json!({"major": 4, "minor": 7})),
        ("virt_service", json!(true)),
        ("gluster_service", json!(false)),
        ("ballooning_enabled", json!(false)),
        ("threads_as_cores", json!(false)),
        ("ha_reservation", json!(false)),
        ("trusted_service", json!(false)),
        ("maintenance_reason_required", json!(false)),
        ("optional_reason", json!(false)),
        ("switch_type", json!("legacy")),
        ("firewall_type", json!("firewalld")),
        ("bios_type", json!("q35_ovmf")),
        ("ksm", json!({"enabled": true, "merge_across_nodes": true})),
        ("error_handling", json!({"on_error": "migrate"})),
        (
            "fencing_policy",
            json!({"enabled": true, "skip_if_connectivity_broken": {"enabled": false, "threshold": 50},
            "skip_if_gluster_bricks_up": false, "skip_if_gluster_quorum_not_met": false, "skip_if_sd_active": {"enabled": false}}),
        ),
        (
            "migration",
            json!({"auto_converge": "inherit", "bandwidth": {"assignment_method": "auto"}, "compressed": "inherit", "encrypted": "inherit"}),
        ),
        (
            "memory_policy",
            json!({"over_commit": {"percent": 100}, "transparent_hugepages": {"enabled": true}}),
        ),
        (
            "required_rng_sources",
            json!({"required_rng_source": ["urandom"]}),
        ),
        ("cpu", json!({"architecture": "undefined"})),
        (
            "scheduling_policy",
            json!({"id": super::initial::SCHED_NONE}),
        ),
        ("mac_pool", json!({"id": super::initial::MAC_POOL})),
    ] {
        default(m, k, v);
    }
}

/// What the Engine reports for every host (`ovirt_host` reads `power_management`, `spm`,
/// `os.custom_kernel_cmdline`, …).
pub fn host_defaults(m: &mut Map<String, Value>) {
    for (k, v) in [
        ("port", json!(54321)),
        ("type", json!("rhel")),
        ("protocol", json!("stomp")),
        ("spm", json!({"priority": 5, "status": "none"})),
        (
            "power_management",
            json!({"automatic_pm_enabled": true, "enabled": false, "kdump_detection": true}),
        ),
        (
            "os",
            json!({"custom_kernel_cmdline": "", "reported_kernel_cmdline": "", "type": "RHEL", "version": {"full_version": "9.4"}}),
        ),
        ("vgpu_placement", json!("consolidated")),
        ("kdump_status", json!("disabled")),
        ("ksm", json!({"enabled": false})),
        ("transparent_hugepages", json!({"enabled": true})),
        ("se_linux", json!({"mode": "enforcing"})),
        ("network_operation_in_progress", json!(false)),
        ("update_available", json!(false)),
        ("reinstallation_required", json!(false)),
        ("external_status", json!("ok")),
    ] {
        default(m, k, v);
    }
}

/// A new cluster carries its data center's management network (`ovirtmgmt`), as in the Engine.
pub fn attach_management_network(sim: &mut Sim, cluster: &str) {
    let Some(dc) = dc_of_cluster(sim, cluster) else {
        return;
    };
    let net = sim
        .store
        .list("networks")
        .iter()
        .find(|n| refers(n, "data_center", &dc) && s(&n.body, "name") == Some("ovirtmgmt"))
        .map(|n| n.id.clone());
    if let Some(net) = net {
        let body = json!({"id": net, "required": true, "display": false,
            "usages": {"usage": ["management", "display", "migration", "vm", "default_route"]}});
        sim.store.insert(
            &format!("clusters/{cluster}/networks"),
            Entity {
                id: net,
                body,
                meta: Map::new(),
            },
        );
    }
}

pub fn add_profile(sim: &mut Sim, net: &str, name: &str) {
    let pid = new_id();
    let body = json!({"id": pid, "name": name, "network": {"id": net}, "pass_through": {"mode": "disabled"}, "port_mirroring": false});
    sim.store.insert(
        "vnicprofiles",
        Entity {
            id: pid,
            body,
            meta: Map::new(),
        },
    );
}

/// The NICs a new host reports; the first carries the management network when the cluster has one.
pub fn add_host_nics(sim: &mut Sim, host: &str, cluster: &str) {
    let coll = format!("hosts/{host}/nics");
    let names = sim.cfg.host_nics.clone();
    let mut first_nic = None;
    for n in &names {
        let id = new_id();
        first_nic.get_or_insert(id.clone());
        let body = json!({"id": id, "name": n, "boot_protocol": "none", "bridged": false, "mac": {"address": new_mac()},
                          "mtu": 1500, "speed": 10_000_000_000u64, "status": "up", "host": {"id": host}});
        sim.store.insert(
            &coll,
            Entity {
                id,
                body,
                meta: Map::new(),
            },
        );
    }
    let mgmt = sim
        .store
        .list(&format!("clusters/{cluster}/networks"))
        .iter()
        .find(|n| {
            n.body
                .pointer("/usages/usage")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|u| u == "management"))
        })
        .map(|n| n.id.clone());
    if let (Some(net), Some(nic)) = (mgmt, first_nic) {
        let aid = new_id();
        let body = json!({"id": aid, "in_sync": true, "ip_address_assignments": {"ip_address_assignment": [{"assignment_method": "dhcp"}]},
                          "host": {"id": host}, "host_nic": {"id": nic}, "network": {"id": net}});
        sim.store.insert(
            &format!("hosts/{host}/networkattachments"),
            Entity {
                id: aid,
                body,
                meta: Map::new(),
            },
        );
        if let Some(n) = sim.store.get_mut(&coll, &nic) {
            n.body["bridged"] = json!(true);
            n.body["boot_protocol"] = json!("dhcp");
        }
    }
}
