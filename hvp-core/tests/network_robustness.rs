//! Weird input: no NICs, all unused, unknown zones, duplicates, and random NIC sets.

use std::collections::BTreeSet;

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode};
use proptest::prelude::*;
use serde_json::{json, Value};

fn doc(value: Value) -> ProbeDocument {
    serde_json::from_value(value).unwrap()
}

#[test]
fn no_nics_at_all() {
    let node = doc(json!({"role": "node", "nics": []}));
    assert_eq!(
        render::kickstart(&plan_network(&node, Mode::Compat).unwrap()),
        ""
    );
    let err = plan_network(&node, Mode::Default).unwrap_err();
    assert_eq!(err.problems()[0].subject, "zone mgmt");
    let installer = doc(json!({"role": "installer"}));
    assert_eq!(
        render::kickstart(&plan_network(&installer, Mode::Compat).unwrap()),
        ""
    );
    assert!(plan_network(&installer, Mode::Default).is_err());
}

#[test]
fn only_virtual_entries() {
    let d = doc(json!({"role": "node", "nics": [
        {"name": "lo", "carrier": true}, {"name": "bonding_masters"}, {"name": "sit0"}]}));
    assert_eq!(
        render::kickstart(&plan_network(&d, Mode::Compat).unwrap()),
        ""
    );
}

#[test]
fn unknown_zone_names_name_the_nic_in_both_modes() {
    let d = doc(json!({"role": "node", "nics": [
        {"name": "eth0", "carrier": true, "reaches": ["mgmt"]},
        {"name": "eth1", "carrier": true, "reaches": ["dmz"]},
        {"name": "eth2", "carrier": true, "reaches": ["external"]}]}));
    for mode in [Mode::Compat, Mode::Default] {
        let err = plan_network(&d, mode).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("NIC eth1: reaches unknown zone \"dmz\""),
            "{text}"
        );
        assert!(text.contains("NIC eth2: reaches \"external\""), "{text}");
        assert!(text.contains("mgmt, gluster, lan or internal"), "{text}");
    }
}

#[test]
fn duplicate_and_invalid_nic_names() {
    let d = doc(json!({"role": "node", "nics": [
        {"name": "eth0", "carrier": true, "reaches": ["mgmt"]},
        {"name": "eth0", "carrier": true, "reaches": ["mgmt"]},
        {"name": "", "carrier": true}]}));
    let err = plan_network(&d, Mode::Compat).unwrap_err();
    let subjects: Vec<&str> = err.problems().iter().map(|p| p.subject.as_str()).collect();
    assert_eq!(subjects, ["NIC eth0", "NIC \"\""]);
}

#[test]
fn observations_of_the_other_role_are_ignored_with_a_warning() {
    let d = doc(
        json!({"role": "installer", "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}),
    );
    let plan = plan_network(&d, Mode::Compat).unwrap();
    assert_eq!(
        plan.zone(hvp_core::network::Zone::Mgmt).unwrap().device,
        "eth0"
    );
    assert_eq!(plan.warnings.len(), 1);
}

#[test]
fn absurd_node_counts_are_refused_in_both_modes() {
    let d = doc(
        json!({"role": "node", "parameters": {"hvp_nodecount": "4000000000"},
                       "nics": [{"name": "eth0", "carrier": true, "reaches": ["mgmt"]}]}),
    );
    for mode in [Mode::Compat, Mode::Default] {
        let err = plan_network(&d, mode).unwrap_err();
        assert_eq!(err.problems()[0].subject, "hvp_nodecount");
    }
}

#[test]
fn malformed_documents_are_refused() {
    assert!(ProbeDocument::from_json("{}").is_err());
    assert!(ProbeDocument::from_json(r#"{"role": "node", "nics": [{"carrier": true}]}"#).is_err());
    assert!(ProbeDocument::from_json("not json").is_err());
}

fn arb_nic() -> impl Strategy<Value = Value> {
    let zones = prop::sample::subsequence(vec!["mgmt", "gluster", "lan", "internal"], 0..=4);
    (0u8..14, any::<bool>(), prop::sample::select(vec![1500u32, 9000]), zones, any::<bool>()).prop_map(
        |(n, carrier, max_mtu, reaches, dhcp)| {
            let name = if n == 13 { "bond0".to_string() } else { format!("eth{n}") };
            json!({"name": name, "carrier": carrier, "max_mtu": max_mtu, "reaches": reaches, "dhcp": dhcp})
        },
    )
}

fn unique_nics() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(arb_nic(), 0..12).prop_map(|nics| {
        let mut seen = BTreeSet::new();
        nics.into_iter()
            .filter(|n| seen.insert(n["name"].as_str().unwrap_or_default().to_string()))
            .collect()
    })
}

proptest! {
    #[test]
    fn every_nic_is_placed_exactly_once(
        nics in unique_nics(),
        installer in any::<bool>(),
        gluster_jumbo in any::<bool>(),
    ) {
        let role = if installer { "installer" } else { "node" };
        let mtu = if gluster_jumbo { "9000" } else { "1500" };
        let d = doc(json!({"role": role, "parameters": {"hvp_gluster_mtu": mtu}, "nics": nics}));
        let plan = plan_network(&d, Mode::Compat).unwrap();
        let mut placed: Vec<String> = plan.unused_nics.iter().map(|n| n.name.clone()).collect();
        for zone in &plan.zones.0 {
            placed.extend(zone.nics.iter().map(|n| n.name.clone()));
            if installer {
                prop_assert_eq!(zone.nics.len(), 1);
            }
            if zone.nics.len() > 1 {
                prop_assert_eq!(&zone.slaves, &zone.nics.iter().map(|n| n.name.clone()).collect::<Vec<_>>());
            }
        }
        placed.sort();
        let mut listed: Vec<String> = d.nics.iter().map(|n| n.name.clone()).collect();
        listed.sort();
        prop_assert_eq!(placed, listed);
        let bonds: Vec<String> = plan.zones.0.iter().filter(|z| z.bond.is_some()).map(|z| z.device.clone()).collect();
        let expected: Vec<String> = (0..bonds.len()).map(|k| format!("bond{k}")).collect();
        prop_assert_eq!(bonds, expected);
        let lines = render::kickstart(&plan).lines().count();
        prop_assert_eq!(lines, plan.zones.0.len() + plan.unused_nics.len());
    }

    #[test]
    fn the_default_mode_never_panics_and_explains_refusals(nics in unique_nics(), installer in any::<bool>()) {
        let role = if installer { "installer" } else { "node" };
        let d = doc(json!({"role": role, "nics": nics}));
        match plan_network(&d, Mode::Default) {
            Ok(plan) => prop_assert!(plan.zone(hvp_core::network::Zone::Mgmt).is_some()),
            Err(err) => prop_assert!(err.problems().iter().all(|p| !p.fix.is_empty() && !p.subject.is_empty())),
        }
    }
}

fn arb_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,10}",
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[0-9]{1,2})?",
        "[ -~]{0,12}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_parameter_values_never_panic(
        values in prop::collection::vec(arb_value(), 10),
        installer in any::<bool>(),
    ) {
        let names = ["hvp_mgmt", "hvp_gluster", "hvp_nodes_offset", "hvp_mgmt_mtu", "hvp_gateway",
                     "hvp_nodeid", "hvp_nodecount", "hvp_storage_offset", "hvp_mgmt_my_ip", "hvp_external"];
        let parameters: serde_json::Map<String, Value> =
            names.iter().zip(values).map(|(n, v)| (n.to_string(), Value::String(v))).collect();
        let d = doc(json!({"role": if installer { "installer" } else { "node" }, "parameters": parameters,
            "nics": [{"name": "eth0", "carrier": true, "max_mtu": 9000, "reaches": ["mgmt"], "dhcp": false},
                     {"name": "eth1", "carrier": true, "max_mtu": 9000, "reaches": ["gluster"], "dhcp": true}]}));
        for mode in [Mode::Compat, Mode::Default] {
            if let Ok(plan) = plan_network(&d, mode) {
                let _ = (render::kickstart(&plan), render::json(&plan), render::vars(&plan));
            }
        }
    }
}
