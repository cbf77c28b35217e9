//! Every difference between the default mode and compat, each shown on the same input.
//! docs/network.md lists the same differences with their reasons.

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode, NetworkPlan, PlanError, Zone};
use serde_json::{json, Value};

fn doc(value: Value) -> ProbeDocument {
    serde_json::from_value(value).unwrap()
}

fn nic(name: &str, reaches: &[&str]) -> Value {
    json!({"name": name, "mac": "52:54:00:00:00:01", "carrier": true, "max_mtu": 9000, "reaches": reaches})
}

fn inst_nic(name: &str, dhcp: bool) -> Value {
    json!({"name": name, "carrier": true, "max_mtu": 1500, "dhcp": dhcp})
}

fn node(parameters: Value, nics: Vec<Value>) -> ProbeDocument {
    doc(json!({"role": "node", "parameters": parameters, "nics": nics}))
}

fn plan(doc: &ProbeDocument, mode: Mode) -> NetworkPlan {
    plan_network(doc, mode).unwrap_or_else(|err| panic!("{mode:?}: {err}"))
}

fn refused(doc: &ProbeDocument) -> PlanError {
    plan_network(doc, Mode::Default).expect_err("the default mode should refuse this input")
}

fn subjects(err: &PlanError) -> Vec<String> {
    err.problems().iter().map(|p| p.subject.clone()).collect()
}

fn devices(plan: &NetworkPlan) -> Vec<(Zone, String)> {
    plan.zones
        .0
        .iter()
        .map(|z| (z.zone, z.device.clone()))
        .collect()
}

#[test]
fn probe_order_decides_ties() {
    // A flat L2 network: every NIC reaches every test address.
    let all = ["mgmt", "gluster", "lan", "internal"];
    let d = node(json!({}), vec![nic("eth0", &all), nic("eth1", &all)]);
    assert_eq!(
        devices(&plan(&d, Mode::Compat)),
        [(Zone::Gluster, "bond0".to_string())]
    );
    assert_eq!(
        devices(&plan(&d, Mode::Default)),
        [(Zone::Mgmt, "bond0".to_string())]
    );
}

#[test]
fn output_order_and_bond_numbering() {
    let d = node(
        json!({}),
        vec![
            nic("eth0", &["gluster"]),
            nic("eth1", &["mgmt"]),
            nic("eth2", &["lan"]),
            nic("eth3", &["gluster"]),
            nic("eth4", &["mgmt"]),
            nic("eth5", &["lan"]),
        ],
    );
    let bond = |z: Zone, n: &str| (z, n.to_string());
    assert_eq!(
        devices(&plan(&d, Mode::Compat)),
        [
            bond(Zone::Mgmt, "bond0"),
            bond(Zone::Lan, "bond1"),
            bond(Zone::Gluster, "bond2")
        ]
    );
    assert_eq!(
        devices(&plan(&d, Mode::Default)),
        [
            bond(Zone::Mgmt, "bond0"),
            bond(Zone::Gluster, "bond1"),
            bond(Zone::Lan, "bond2")
        ]
    );
}

#[test]
fn roundrobin_outside_gluster() {
    let d = node(
        json!({"hvp_lan_bondmode": "roundrobin"}),
        vec![
            nic("eth0", &["mgmt"]),
            nic("eth1", &["lan"]),
            nic("eth2", &["lan"]),
        ],
    );
    let compat = plan(&d, Mode::Compat);
    assert_eq!(
        compat
            .zone(Zone::Lan)
            .unwrap()
            .bond
            .as_ref()
            .unwrap()
            .options,
        "mode=active-backup;miimon=10"
    );
    assert_eq!(compat.warnings.len(), 1);
    let err = refused(&d);
    assert_eq!(subjects(&err), ["hvp_lan_bondmode"]);
    assert!(err.problems()[0].fix.contains("hvp_lan_bondmode=lacp"));
}

#[test]
fn unknown_bond_mode() {
    let d = node(
        json!({"hvp_mgmt_bondmode": "lacpp"}),
        vec![nic("eth0", &["mgmt"]), nic("eth1", &["mgmt"])],
    );
    let compat = plan(&d, Mode::Compat);
    assert_eq!(
        compat
            .zone(Zone::Mgmt)
            .unwrap()
            .bond
            .as_ref()
            .unwrap()
            .options,
        "mode=active-backup;miimon=100"
    );
    let err = refused(&d);
    assert!(
        err.problems()[0].message.contains("did you mean \"lacp\""),
        "{err}"
    );
}

#[test]
fn nic_names_sort_naturally() {
    let d = node(
        json!({}),
        vec![nic("eth2", &["mgmt"]), nic("eth10", &["mgmt"])],
    );
    assert_eq!(
        plan(&d, Mode::Compat).zone(Zone::Mgmt).unwrap().slaves,
        ["eth10", "eth2"]
    );
    assert_eq!(
        plan(&d, Mode::Default).zone(Zone::Mgmt).unwrap().slaves,
        ["eth2", "eth10"]
    );
}

#[test]
fn existing_bond_masters_are_not_candidates() {
    let d = node(
        json!({}),
        vec![
            nic("eth0", &["mgmt"]),
            json!({"name": "bond0", "carrier": false}),
            json!({"name": "lo", "carrier": true}),
        ],
    );
    assert!(
        render::kickstart(&plan(&d, Mode::Compat)).contains("network --device=bond0 --no-activate")
    );
    let default = plan(&d, Mode::Default);
    assert!(default.unused_nics.is_empty(), "{:?}", default.unused_nics);
}

#[test]
fn a_node_without_mgmt() {
    let d = node(json!({"hvp_nodeid": "1"}), vec![nic("eth0", &["gluster"])]);
    let compat = plan(&d, Mode::Compat);
    assert!(compat.zone(Zone::Gluster).unwrap().hostname.is_none());
    assert_eq!(compat.cluster.switch, None);
    assert_eq!(compat.routing.default_route_zone, None);
    let err = refused(&d);
    assert_eq!(subjects(&err), ["zone mgmt"]);
    assert!(err.problems()[0].message.contains("172.20.10.1"), "{err}");
}

#[test]
fn an_installer_with_only_the_uplink() {
    let d = doc(json!({"role": "installer", "nics": [inst_nic("eth0", true)]}));
    let compat = plan(&d, Mode::Compat);
    assert_eq!(
        compat.zone(Zone::External).unwrap().hostname.as_deref(),
        Some("twilight.external.private")
    );
    assert_eq!(render::vars_map(&compat)["mgmt_network"], "/");
    assert_eq!(
        render::vars_map(&compat)["hvp_engine_dnslist"],
        "0.0.0.10,0.0.0.11,0.0.0.12"
    );
    assert_eq!(subjects(&refused(&d)), ["zone mgmt"]);
}

#[test]
fn explicit_node_address_no_longer_shifts_the_cluster() {
    // Spec row 7: with .48 the original counts the AD DC from .38 and lands in the next /24.
    let d = node(
        json!({"hvp_mgmt": "172.20.10.48/24"}),
        vec![nic("eth0", &["mgmt"])],
    );
    let compat = plan(&d, Mode::Compat);
    assert_eq!(compat.cluster.ad_dc.unwrap().to_string(), "172.20.11.2");
    assert_eq!(compat.cluster.engine.unwrap().to_string(), "172.20.10.43");
    assert_eq!(
        compat.cluster.nodes[1].addresses[&Zone::Mgmt].to_string(),
        "172.20.10.49"
    );
    let default = plan(&d, Mode::Default);
    assert_eq!(
        default
            .zone(Zone::Mgmt)
            .unwrap()
            .address
            .unwrap()
            .to_string(),
        "172.20.10.48"
    );
    assert_eq!(default.cluster.ad_dc.unwrap().to_string(), "172.20.10.220");
    assert_eq!(default.cluster.engine.unwrap().to_string(), "172.20.10.5");
    assert_eq!(
        default.cluster.nodes[0].addresses[&Zone::Mgmt].to_string(),
        "172.20.10.48"
    );
    assert_eq!(
        default.cluster.nodes[1].addresses[&Zone::Mgmt].to_string(),
        "172.20.10.11"
    );
    assert!(compat.warnings.is_empty(), "{:?}", compat.warnings);
    assert_eq!(default.warnings.len(), 1, "{:?}", default.warnings);
    assert!(
        default.warnings[0].contains("differs from 172.20.10.10"),
        "{:?}",
        default.warnings
    );
}

#[test]
fn derived_addresses_must_stay_inside_their_subnet() {
    let d = node(
        json!({"hvp_nodes_offset": "253"}),
        vec![nic("eth0", &["mgmt"])],
    );
    assert!(plan_network(&d, Mode::Compat).is_ok());
    let err = refused(&d);
    let text = err.to_string();
    assert!(
        text.contains("node 2 address on mgmt 172.20.10.255 is the network or broadcast address"),
        "{text}"
    );
    assert!(
        subjects(&err).iter().all(|s| s == "hvp_nodes_offset"),
        "{text}"
    );
}

#[test]
fn a_slash_30_is_too_small_for_the_default_offsets() {
    let d = node(
        json!({"hvp_mgmt": "192.0.2.0/30"}),
        vec![nic("eth0", &["mgmt"])],
    );
    let compat = plan(&d, Mode::Compat);
    assert_eq!(
        compat
            .zone(Zone::Mgmt)
            .unwrap()
            .address
            .unwrap()
            .to_string(),
        "192.0.2.10"
    );
    let text = refused(&d).to_string();
    assert!(
        text.contains("this machine's address on mgmt 192.0.2.10 is outside mgmt (192.0.2.0/30)"),
        "{text}"
    );
}

#[test]
fn a_slash_22_takes_offsets_beyond_one_octet() {
    let d = node(
        json!({"hvp_mgmt": "10.1.4.0/22", "hvp_nodes_offset": "300", "hvp_nodeid": "2"}),
        vec![nic("eth0", &["mgmt"])],
    );
    let default = plan(&d, Mode::Default);
    let mgmt = default.zone(Zone::Mgmt).unwrap();
    assert_eq!(mgmt.address.unwrap().to_string(), "10.1.5.46");
    assert_eq!(mgmt.netmask.unwrap().to_string(), "255.255.252.0");
    assert_eq!(mgmt.reverse_zone.as_deref(), Some("1.10.in-addr.arpa"));
}

#[test]
fn no_address_is_used_twice() {
    let d = node(
        json!({"hvp_storage_offset": "10"}),
        vec![nic("eth0", &["mgmt"])],
    );
    assert!(plan_network(&d, Mode::Compat).is_ok());
    let text = refused(&d).to_string();
    assert!(text.contains("172.20.10.10 is used twice"), "{text}");
    assert!(text.contains("hvp_storage_offset"), "{text}");
}

#[test]
fn a_network_without_prefix() {
    let d = node(
        json!({"hvp_mgmt": "10.0.0.5"}),
        vec![nic("eth0", &["mgmt"])],
    );
    let compat = plan(&d, Mode::Compat);
    assert_eq!(
        compat
            .zone(Zone::Mgmt)
            .unwrap()
            .address
            .unwrap()
            .to_string(),
        "172.20.10.10"
    );
    let err = refused(&d);
    assert_eq!(subjects(&err), ["hvp_mgmt"]);
    assert!(err.problems()[0].fix.contains("hvp_mgmt=172.20.10.0/24"));
}

#[test]
fn malformed_numbers() {
    let d = node(
        json!({"hvp_nodes_offset": "4x", "hvp_nodeid": "1"}),
        vec![nic("eth0", &["mgmt"])],
    );
    assert_eq!(
        plan(&d, Mode::Compat)
            .zone(Zone::Mgmt)
            .unwrap()
            .address
            .unwrap()
            .to_string(),
        "172.20.10.11"
    );
    assert_eq!(subjects(&refused(&d)), ["hvp_nodes_offset"]);
}

#[test]
fn node_index_beyond_the_node_count() {
    let d = node(json!({"hvp_nodeid": "5"}), vec![nic("eth0", &["mgmt"])]);
    // The original has no name for node 5 of 3 and writes an empty host name.
    assert!(render::kickstart(&plan(&d, Mode::Compat)).contains("--hostname=.mgmt.private"));
    let err = refused(&d);
    assert_eq!(subjects(&err), ["hvp_nodeid"]);
    assert!(err.problems()[0].fix.contains("between 0 and 2"));
}

#[test]
fn mtu_must_be_a_number_in_range() {
    let d = node(
        json!({"hvp_gluster_mtu": "jumbo", "hvp_lan_mtu": "65000"}),
        vec![nic("eth0", &["mgmt"]), nic("eth1", &["gluster"])],
    );
    let compat = plan(&d, Mode::Compat);
    assert!(
        compat.zone(Zone::Gluster).is_none(),
        "no NIC can set the MTU \"jumbo\""
    );
    assert_eq!(subjects(&refused(&d)), ["hvp_gluster_mtu", "hvp_lan_mtu"]);
}

#[test]
fn installer_nameservers_from_resolv_conf() {
    let d = doc(json!({
        "role": "installer", "parameters": {"hvp_gateway": "172.20.10.254"},
        "nameservers": ["192.0.2.53", "192.0.2.54"], "nics": [inst_nic("eth0", false)]
    }));
    let line = |mode| render::kickstart(&plan(&d, mode));
    assert!(line(Mode::Compat)
        .contains("--gateway=172.20.10.254 --nameserver=192.0.2.53 192.0.2.54 --hostname"));
    assert!(line(Mode::Default)
        .contains("--gateway=172.20.10.254 --nameserver=192.0.2.53,192.0.2.54 --hostname"));
}

#[test]
fn ovirt_networks_follow_bridge_names_and_carry_the_mtu() {
    let d = node(
        json!({"hvp_lan_bridge": "vms", "hvp_gluster_mtu": "9000"}),
        vec![
            nic("eth0", &["mgmt"]),
            nic("eth1", &["gluster"]),
            nic("eth2", &["lan"]),
        ],
    );
    let names = |plan: &NetworkPlan| -> Vec<(String, Option<u32>)> {
        plan.ovirt_networks
            .iter()
            .map(|n| (n.name.clone(), n.mtu))
            .collect()
    };
    let s = |n: &str, m: Option<u32>| (n.to_string(), m);
    assert_eq!(
        names(&plan(&d, Mode::Compat)),
        [s("ovirtmgmt", None), s("gluster", None), s("lan", None)]
    );
    assert_eq!(
        names(&plan(&d, Mode::Default)),
        [
            s("ovirtmgmt", Some(1500)),
            s("gluster", Some(9000)),
            s("vms", Some(1500))
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let d = node(
        json!({"hvp_nodeid": "9", "hvp_lan_bondmode": "roundrobin", "hvp_mgmt": "10.0.0.5", "hvp_bmcs_offset": "x"}),
        vec![
            nic("eth0", &["mgmt"]),
            nic("eth1", &["lan"]),
            nic("eth2", &["lan"]),
        ],
    );
    let err = refused(&d);
    let mut found = subjects(&err);
    found.sort();
    assert_eq!(
        found,
        [
            "hvp_bmcs_offset",
            "hvp_lan_bondmode",
            "hvp_mgmt",
            "hvp_nodeid"
        ],
        "{err}"
    );
}

#[test]
fn overlapping_zone_networks() {
    let d = node(
        json!({"hvp_lan": "172.20.10.0/23"}),
        vec![nic("eth0", &["mgmt"]), nic("eth1", &["lan"])],
    );
    // The original writes both lines, and both get the default route.
    let compat = render::kickstart(&plan(&d, Mode::Compat));
    assert_eq!(
        compat.matches("--gateway=172.20.10.1").count(),
        2,
        "{compat}"
    );
    let err = refused(&d);
    assert!(
        subjects(&err).contains(&"hvp_mgmt / hvp_lan".to_string()),
        "{err}"
    );
}
