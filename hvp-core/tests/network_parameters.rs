//! Parameter sources and precedence (spec §5.1): defaults < fragments in order < kernel
//! parameters, plus the per-zone overrides that change the kickstart lines.

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode, NetworkPlan, Zone};
use serde_json::{json, Value};

fn nic(name: &str, reaches: &[&str]) -> Value {
    json!({"name": name, "carrier": true, "max_mtu": 9000, "reaches": reaches})
}

fn plan(value: Value, mode: Mode) -> NetworkPlan {
    let doc: ProbeDocument = serde_json::from_value(value).unwrap();
    plan_network(&doc, mode).unwrap_or_else(|err| panic!("{err}"))
}

fn address(plan: &NetworkPlan, zone: Zone) -> String {
    plan.zone(zone).unwrap().address.unwrap().to_string()
}

const COMMON: &str = "node_ip_offset=20\ndefault_node_index=3\ntest_ip['mgmt']=\"172.20.10.254\"\n\
                      my_ip['mgmt']=\"172.20.10.77\"\nnode_count=7\n";

fn fragments(host: bool) -> Value {
    let mut list = vec![
        json!({"name": "hvp_parameters.sh", "text": COMMON}),
        json!({"name": "hvp_parameters_heretic_ngn.sh", "text": "node_ip_offset=30\n"}),
    ];
    if host {
        list.push(json!({"name": "hvp_parameters_heretic_host.sh", "text": "node_ip_offset=35\n"}));
    }
    Value::Array(list)
}

#[test]
fn spec_row_11_fragment_precedence() {
    let mode = Mode::Compat;
    let ngn = plan(
        json!({"role": "node", "fragments": fragments(false), "nics": [nic("eth0", &["mgmt"])]}),
        mode,
    );
    assert_eq!(ngn.host.name, "fluttershy");
    assert_eq!(address(&ngn, Zone::Mgmt), "172.20.10.33");
    assert_eq!(
        ngn.zone(Zone::Mgmt).unwrap().gateway.as_deref(),
        Some("172.20.10.254")
    );
    assert_eq!(
        ngn.cluster.node_count, 3,
        "a fragment's node_count is discarded"
    );

    let host = plan(
        json!({"role": "node", "fragments": fragments(true), "nics": [nic("eth0", &["mgmt"])]}),
        mode,
    );
    assert_eq!(address(&host, Zone::Mgmt), "172.20.10.38");

    let cmdline = plan(
        json!({"role": "node", "fragments": fragments(true),
               "parameters": {"hvp_nodes_offset": "40", "hvp_nodeid": "1"}, "nics": [nic("eth0", &["mgmt"])]}),
        mode,
    );
    assert_eq!(address(&cmdline, Zone::Mgmt), "172.20.10.41");
    let invalid = plan(
        json!({"role": "node", "fragments": fragments(true),
               "parameters": {"hvp_nodes_offset": "4x", "hvp_nodeid": "1"}, "nics": [nic("eth0", &["mgmt"])]}),
        Mode::Compat,
    );
    assert_eq!(address(&invalid, Zone::Mgmt), "172.20.10.36");
    // The default mode refuses node index 3 of 3 and node addresses on the storage addresses.
    let doc =
        json!({"role": "node", "fragments": fragments(false), "nics": [nic("eth0", &["mgmt"])]});
    let err = plan_network(&serde_json::from_value(doc).unwrap(), Mode::Default).unwrap_err();
    let subjects: Vec<&str> = err.problems().iter().map(|p| p.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["hvp_nodeid", "hvp_storage_offset", "hvp_storage_offset"],
        "{err}"
    );
}

#[test]
fn spec_row_12_names_and_master() {
    let p = plan(
        json!({"role": "node", "parameters": {"hvp_nodecount": "6", "hvp_nodename": "a,b_c,d",
               "hvp_nodeid": "5", "hvp_masternodeid": "5"}, "nics": [nic("eth0", &["mgmt"]), nic("eth1", &["lan"])]}),
        Mode::Compat,
    );
    let names: Vec<&str> = p.cluster.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["a", "d", "rarity", "fluttershy", "node4", "node5"]);
    assert_eq!(p.host.fqdn.as_deref(), Some("node5.mgmt.private"));
    assert_eq!(p.cluster.active_storage_nodes, 6);
    let bmcs: Vec<String> = p
        .cluster
        .nodes
        .iter()
        .map(|n| n.bmc.unwrap().to_string())
        .collect();
    assert_eq!(bmcs.first().map(String::as_str), Some("172.20.10.100"));
    assert_eq!(bmcs.last().map(String::as_str), Some("172.20.10.105"));
    let lan_storage = p
        .cluster
        .storage
        .iter()
        .find(|s| s.zone == Zone::Lan)
        .unwrap();
    assert_eq!(lan_storage.addresses.len(), 6);
    assert_eq!(lan_storage.addresses[0].to_string(), "172.20.12.30");
}

#[test]
fn spec_row_8_network_override_and_reverse_zone() {
    let p = plan(
        json!({"role": "node", "parameters": {"hvp_nodeid": "2", "hvp_mgmt": "10.0.0.0/16", "hvp_nodes_offset": "20"},
               "nics": [nic("eth0", &["mgmt"])]}),
        Mode::Compat,
    );
    let mgmt = p.zone(Zone::Mgmt).unwrap();
    assert_eq!(mgmt.address.unwrap().to_string(), "10.0.0.22");
    assert_eq!(mgmt.netmask.unwrap().to_string(), "255.255.0.0");
    assert_eq!(mgmt.gateway.as_deref(), Some("10.0.0.1"));
    assert_eq!(mgmt.reverse_zone.as_deref(), Some("0.10.in-addr.arpa"));
    assert_eq!(p.cluster.switch.unwrap().to_string(), "10.0.0.200");
    assert_eq!(p.cluster.engine.unwrap().to_string(), "10.0.0.5");
    let ctdb: Vec<String> = p
        .cluster
        .nodes
        .iter()
        .map(|n| n.addresses[&Zone::Mgmt].to_string())
        .collect();
    assert_eq!(ctdb, ["10.0.0.20", "10.0.0.21", "10.0.0.22"]);
}

#[test]
fn zone_overrides_reach_the_kickstart_line() {
    let p = plan(
        json!({"role": "node", "node_index": 0, "parameters": {
                 "hvp_mgmt_domainname": "example.org", "hvp_mgmt_test_ip": "172.20.10.254",
                 "hvp_nameserver": "192.0.2.53", "hvp_mgmt_mtu": "9000", "hvp_myname": "ignored-on-nodes"},
               "nics": [nic("eth0", &["mgmt"])]}),
        Mode::Compat,
    );
    assert_eq!(
        render::kickstart(&p),
        "network --device=eth0 --activate --onboot=yes --bootproto=static --ip=172.20.10.10 \
         --netmask=255.255.255.0 --mtu=9000  --gateway=172.20.10.254 --nameserver=192.0.2.53 \
         --hostname=pinkiepie.example.org\n"
    );
}

#[test]
fn an_explicit_gateway_outside_every_zone_gives_no_default_route() {
    let p = plan(
        json!({"role": "node", "parameters": {"hvp_gateway": "192.168.1.1"},
               "nics": [nic("eth0", &["mgmt"]), nic("eth1", &["gluster"])]}),
        Mode::Compat,
    );
    let text = render::kickstart(&p);
    assert_eq!(text.matches("--nodefroute").count(), 2, "{text}");
    assert!(!text.contains("--gateway"));
}

#[test]
fn installer_static_external_needs_an_mtu() {
    let base = |params: Value| {
        json!({"role": "installer", "parameters": params, "nics": [
            {"name": "eth0", "carrier": true, "dhcp": false}, {"name": "eth1", "carrier": true, "dhcp": false}]})
    };
    // §11: hvp_external alone assigns nothing.
    let alone = plan(
        base(json!({"hvp_external": "192.168.1.10/24"})),
        Mode::Compat,
    );
    assert!(alone.zone(Zone::External).is_none());
    assert_eq!(alone.zone(Zone::Mgmt).unwrap().device, "eth0");
    let with_mtu = plan(
        base(
            json!({"hvp_external": "192.168.1.10/24", "hvp_external_mtu": "1500", "hvp_gateway": "192.168.1.1",
                    "hvp_nameserver": "192.168.1.1"}),
        ),
        Mode::Compat,
    );
    assert_eq!(
        render::kickstart(&with_mtu),
        "network --device=eth0 --activate --onboot=yes --bootproto=static --ip=192.168.1.10 \
         --netmask=255.255.255.0 --mtu=1500  --gateway=192.168.1.1 --nameserver=192.168.1.1\n\
         network --device=eth1 --activate --onboot=yes --bootproto=static --ip=172.20.10.1 \
         --netmask=255.255.255.0 --mtu=1500  --nodefroute --hostname=twilight.mgmt.private\n"
    );
    let refused = plan_network(
        &serde_json::from_value(base(json!({"hvp_external": "192.168.1.10/24"}))).unwrap(),
        Mode::Default,
    )
    .unwrap_err();
    assert_eq!(refused.problems()[0].subject, "hvp_external_mtu");
}

#[test]
fn installer_addresses_and_fragment_bond_modes() {
    let p = plan(
        json!({"role": "installer", "parameters": {"hvp_mgmt_my_ip": "172.20.10.254", "hvp_myname": "heresiarch"},
               "fragments": [{"name": "hvp_parameters_heresiarch.sh", "text": "bondmode['internal']=\"roundrobin\"\n"}],
               "nics": [{"name": "eth0", "carrier": true, "dhcp": false}]}),
        Mode::Compat,
    );
    assert_eq!(address(&p, Zone::Mgmt), "172.20.10.254");
    assert_eq!(p.host.fqdn.as_deref(), Some("heresiarch.mgmt.private"));
    // The original counts the installer's services from its own explicit address.
    assert_eq!(p.cluster.switch.unwrap().to_string(), "172.20.11.197");
    assert_eq!(p.cluster.engine.unwrap().to_string(), "172.20.11.2");
}

#[test]
fn fragment_network_priority_and_networks() {
    let p = plan(
        json!({"role": "installer",
               "fragments": [{"name": "hvp_parameters_heresiarch.sh", "text":
                   "network_priority=(external mgmt lan gluster internal)\nnetwork['lan']=\"10.9.0.0\"\nnetmask['lan']=\"255.255.0.0\"\n"}],
               "nics": [{"name": "eth0", "carrier": true, "dhcp": false}, {"name": "eth1", "carrier": true, "dhcp": false}]}),
        Mode::Compat,
    );
    let lan = p.zone(Zone::Lan).unwrap();
    assert_eq!(lan.device, "eth1");
    assert_eq!(lan.address.unwrap().to_string(), "10.9.0.1");
    assert_eq!(lan.prefix, Some(16));
}

#[test]
fn fragments_are_data_never_commands() {
    let doc = json!({"role": "node", "node_index": 0,
        "fragments": [{"name": "hvp_parameters.sh", "text": "touch /tmp/owned\nnode_ip_offset=$(id -u)\n"}],
        "nics": [nic("eth0", &["mgmt"])]});
    let compat = plan(doc.clone(), Mode::Compat);
    assert_eq!(address(&compat, Zone::Mgmt), "172.20.10.10");
    assert_eq!(compat.warnings.len(), 2, "{:?}", compat.warnings);
    let err = plan_network(&serde_json::from_value(doc).unwrap(), Mode::Default).unwrap_err();
    let subjects: Vec<&str> = err.problems().iter().map(|p| p.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "fragment hvp_parameters.sh line 1",
            "fragment hvp_parameters.sh line 2"
        ]
    );
}

#[test]
fn misspelt_zone_parameters_are_flagged() {
    let doc = json!({"role": "node", "parameters": {"hvp_glustr_mtu": "9000"}, "nics": [nic("eth0", &["mgmt"])]});
    let err = plan_network(&serde_json::from_value(doc).unwrap(), Mode::Default).unwrap_err();
    assert_eq!(err.problems()[0].subject, "hvp_glustr_mtu");
    assert!(err.problems()[0].fix.contains("hvp_gluster_mtu"), "{err}");
}
