//! Installer plan → the fragments it hands to the nodes → node plans: both sides agree on
//! networks, test addresses, MTUs, bond options and service addresses.

use hvp_core::network::probe::ProbeDocument;
use hvp_core::network::{plan_network, render, Mode, NetworkPlan, Zone};
use serde_json::{json, Value};

fn plan(value: Value, mode: Mode) -> NetworkPlan {
    let doc: ProbeDocument = serde_json::from_value(value).unwrap();
    plan_network(&doc, mode).unwrap_or_else(|err| panic!("{err}"))
}

fn installer(parameters: Value, mode: Mode) -> NetworkPlan {
    let nics: Vec<Value> = (0..5)
        .map(|n| json!({"name": format!("eth{n}"), "carrier": true, "max_mtu": 9000, "dhcp": n == 0}))
        .collect();
    plan(
        json!({"role": "installer", "parameters": parameters, "nics": nics}),
        mode,
    )
}

fn node_from(installer: &NetworkPlan, index: u32, mode: Mode) -> NetworkPlan {
    let fragments = render::node_fragments(installer);
    let reaches = [
        ["mgmt"],
        ["mgmt"],
        ["gluster"],
        ["gluster"],
        ["lan"],
        ["internal"],
    ];
    let nics: Vec<Value> = reaches
        .iter()
        .enumerate()
        .map(|(n, r)| json!({"name": format!("eth{n}"), "carrier": true, "max_mtu": 9000, "reaches": r}))
        .collect();
    plan(
        json!({"role": "node", "node_index": index, "fragments": serde_json::to_value(&fragments).unwrap(), "nics": nics}),
        mode,
    )
}

#[test]
fn nodes_probe_the_installer_and_share_its_settings() {
    for mode in [Mode::Compat, Mode::Default] {
        let inst = installer(
            json!({"hvp_mgmt": "10.0.0.0/16", "hvp_gluster_mtu": "9000", "hvp_gluster_bondmode": "roundrobin",
                   "hvp_mgmt_bondmode": "lacp", "hvp_lan_domainname": "example.org"}),
            mode,
        );
        let node = node_from(&inst, 1, mode);
        for zone in [Zone::Mgmt, Zone::Gluster, Zone::Lan, Zone::Internal] {
            let (i, n) = (inst.zone(zone).unwrap(), node.zone(zone).unwrap());
            assert_eq!(
                n.test_ip,
                i.address.map(|a| a.to_string()),
                "{zone} test address"
            );
            assert_eq!(n.network, i.network, "{zone} network");
            assert_eq!(n.mtu, i.mtu, "{zone} MTU");
            assert_eq!(n.domain, i.domain, "{zone} domain");
            assert_eq!(
                Some(n.address.unwrap()),
                inst.cluster.nodes[1].addresses.get(&zone).copied()
            );
        }
        let mgmt = node.zone(Zone::Mgmt).unwrap();
        assert_eq!(
            mgmt.bond.as_ref().unwrap().options,
            "mode=802.3ad;xmit_hash_policy=layer2+3;miimon=100"
        );
        assert_eq!(
            node.zone(Zone::Gluster)
                .unwrap()
                .bond
                .as_ref()
                .unwrap()
                .options,
            "mode=balance-rr;miimon=100"
        );
        assert_eq!(node.zone(Zone::Gluster).unwrap().mtu, Some(9000));
        assert_eq!(mgmt.gateway.as_deref(), Some("10.0.0.1"));
        assert_eq!(mgmt.nameserver.as_deref(), Some("10.0.0.1"));
        assert_eq!(node.cluster.engine, inst.cluster.engine);
        assert_eq!(node.cluster.switch, inst.cluster.switch);
        assert_eq!(node.cluster.ad_dc, inst.cluster.ad_dc);
        assert_eq!(node.cluster.nodes[2].bmc, inst.cluster.nodes[2].bmc);
        assert_eq!(node.host.fqdn.as_deref(), Some("applejack.mgmt.private"));
        assert!(node.warnings.is_empty(), "{:?}", node.warnings);
    }
}

#[test]
fn zones_the_installer_lacks_are_not_handed_over() {
    let nics = [
        json!({"name": "eth0", "carrier": true, "dhcp": true}),
        json!({"name": "eth1", "carrier": true, "dhcp": false}),
    ];
    let inst = plan(json!({"role": "installer", "nics": nics}), Mode::Compat);
    let fragments = render::node_fragments(&inst);
    let common = &fragments[0].text;
    assert!(
        common.contains("test_ip['mgmt']=\"172.20.10.1\"\n"),
        "{common}"
    );
    assert!(!common.contains("gluster"), "{common}");
    assert!(common.ends_with("unset my_gateway\n"));
    assert!(fragments[1].text.contains("my_gateway=\"172.20.10.1\"\n"));
    assert!(render::node_fragments(&node_from(&inst, 0, Mode::Compat)).is_empty());
}

#[test]
fn compat_fragments_follow_the_original_zone_order() {
    let inst = installer(json!({}), Mode::Compat);
    let fragments = render::node_fragments(&inst);
    insta::assert_snapshot!("fragment_common_compat", fragments[0].text);
    insta::assert_snapshot!("fragment_ngn_compat", fragments[1].text);
}
