//! Snapshots of the JSON plan and the Ansible variables for representative fixtures.

use std::fs;
use std::path::Path;

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode, NetworkPlan};

fn plan(case: &str, mode: Mode) -> NetworkPlan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/network")
        .join(format!("{case}.json"));
    let doc = ProbeDocument::from_json(&fs::read_to_string(path).unwrap()).unwrap();
    plan_network(&doc, mode).unwrap()
}

#[test]
fn json_node_bonds_and_jumbo_gluster_compat() {
    insta::assert_snapshot!(
        "json_n05_compat",
        render::json(&plan("n05-jumbo-gluster-max1500", Mode::Compat))
    );
}

#[test]
fn json_node_interleaved_bonds_default() {
    insta::assert_snapshot!(
        "json_n02_default",
        render::json(&plan("n02-bonds-interleaved", Mode::Default))
    );
}

#[test]
fn json_installer_dhcp_uplink_compat() {
    insta::assert_snapshot!(
        "json_i03_compat",
        render::json(&plan("i03-3nics-dhcp-on-eth2", Mode::Compat))
    );
}

#[test]
fn vars_installer_without_lan_compat() {
    insta::assert_snapshot!(
        "vars_i03_compat",
        render::vars(&plan("i03-3nics-dhcp-on-eth2", Mode::Compat))
    );
}

#[test]
fn vars_installer_full_default() {
    insta::assert_snapshot!(
        "vars_i06_default",
        render::vars(&plan("i06-no-dhcp-5nics", Mode::Default))
    );
}

#[test]
fn vars_node_custom_networks_compat() {
    insta::assert_snapshot!(
        "vars_n10_compat",
        render::vars(&plan("n10-custom-cidrs-explicit-ip", Mode::Compat))
    );
}
