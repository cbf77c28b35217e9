//! File-services rules and bad input: one test per rule, every problem named with its fix.

use std::fs;
use std::path::Path;

use hvp_core::fileservices::model::FileServicesPlan;
use hvp_core::fileservices::{plan, render, FileServicesInput};
use hvp_core::network::{NetworkPlan, Zone};
use hvp_core::report::Report;
use serde_json::{json, Value};

fn example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("fileservices-{name}.json"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn decide(doc: &Value) -> Result<FileServicesPlan, Report> {
    plan(&FileServicesInput::from_value(doc)?)
}

fn errors(doc: &Value) -> Vec<String> {
    match decide(doc) {
        Ok(_) => panic!("expected problems"),
        Err(report) => report.problems().iter().map(ToString::to_string).collect(),
    }
}

fn active_names(plan: &FileServicesPlan) -> Vec<&str> {
    plan.members
        .iter()
        .filter(|m| m.active)
        .map(|m| m.name.as_str())
        .collect()
}

#[test]
fn network_plan_json_round_trips() {
    let doc = example("6nodes-balanced");
    let network: NetworkPlan = serde_json::from_value(doc["network"].clone()).unwrap();
    let again: NetworkPlan =
        serde_json::from_value(serde_json::to_value(&network).unwrap()).unwrap();
    assert_eq!(network, again);
    assert_eq!(serde_json::to_value(&network).unwrap(), doc["network"]);
}

#[test]
fn compat_three_nodes_first_two_active_third_passive_member() {
    let plan = decide(&example("3nodes")).unwrap();
    assert_eq!(plan.members.len(), 3);
    assert_eq!(
        active_names(&plan),
        ["pinkiepie.gluster.private", "applejack.gluster.private"]
    );
    let passive = render::node_files(&plan, "rarity.gluster.private").unwrap();
    let public = passive
        .iter()
        .find(|f| f.path == "etc/ctdb/public_addresses")
        .unwrap();
    assert_eq!(public.content, "");
}

#[test]
fn compat_single_node_is_active() {
    let mut doc = example("3nodes");
    let storage = &mut doc["storage"];
    storage["nodes"].as_array_mut().unwrap().truncate(1);
    for volume in storage["volumes"].as_array_mut().unwrap() {
        volume["replica_sets"] =
            json!([{"bricks": [{"node": "pinkiepie.gluster.private", "arbiter": false}]}]);
    }
    let plan = decide(&doc).unwrap();
    assert_eq!(active_names(&plan), ["pinkiepie.gluster.private"]);
    assert!(plan.public.iter().all(|z| z.addresses.len() == 1));
}

#[test]
fn balanced_every_data_node_active_arbiter_only_node_passive() {
    let plan = decide(&example("6nodes-balanced")).unwrap();
    assert_eq!(plan.members.len(), 6);
    assert_eq!(active_names(&plan).len(), 5);
    assert!(!plan.member("node5.gluster.private").unwrap().active);
    for zone in &plan.public {
        assert_eq!(zone.addresses.len(), 5, "{zone:?}");
    }
}

#[test]
fn balanced_node_without_bricks_is_no_member() {
    let mut doc = example("6nodes-balanced");
    // node4 loses its bricks: compute only.
    for volume in doc["storage"]["volumes"].as_array_mut().unwrap() {
        for set in volume["replica_sets"].as_array_mut().unwrap() {
            for brick in set["bricks"].as_array_mut().unwrap() {
                if brick["node"] == "node4.gluster.private" {
                    brick["node"] = json!("pinkiepie.gluster.private");
                }
            }
        }
    }
    let plan = decide(&doc).unwrap();
    assert!(plan.member("node4.gluster.private").is_none());
    assert_eq!(plan.members.len(), 5);
    // PNNs: node index order without node4.
    let nodes = render::node_files(&plan, "pinkiepie.gluster.private").unwrap();
    assert_eq!(
        nodes[0].content,
        "172.20.10.10\n172.20.10.11\n172.20.10.12\n172.20.10.13\n172.20.10.15\n"
    );
}

#[test]
fn public_addresses_follow_the_storage_offset_prefix_and_bridge() {
    let plan = decide(&example("3nodes")).unwrap();
    let zones: Vec<(Zone, &str, u8, Vec<String>)> = plan
        .public
        .iter()
        .map(|z| {
            (
                z.zone,
                z.interface.as_str(),
                z.prefix,
                z.addresses.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            (
                Zone::Mgmt,
                "ovirtmgmt",
                24,
                vec!["172.20.10.30".to_string(), "172.20.10.31".into()]
            ),
            (
                Zone::Lan,
                "lan",
                24,
                vec!["172.20.12.30".to_string(), "172.20.12.31".into()]
            ),
        ]
    );
    assert_eq!(plan.dns.len(), 4);
    assert_eq!(plan.dns[2].name, "discord.lan.private.");
    assert_eq!(plan.dns[2].ttl, 1);
}

#[test]
fn public_zones_and_bridges_can_be_chosen() {
    let mut doc = example("3nodes");
    doc["vars"]["hvp_storage_public_zones"] = json!(["lan"]);
    doc["vars"]["hvp_lan_bridge_name"] = json!("eth1");
    let plan = decide(&doc).unwrap();
    assert_eq!(plan.public.len(), 1);
    assert_eq!(plan.public[0].interface, "eth1");
}

#[test]
fn lab_input_gives_the_lab_addresses() {
    let plan = decide(&example("lab")).unwrap();
    let files = render::node_files(&plan, "n1").unwrap();
    let get = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap()
            .content
            .clone()
    };
    assert_eq!(
        get("etc/ctdb/nodes"),
        "10.231.0.11\n10.231.0.12\n10.231.0.13\n"
    );
    assert_eq!(
        get("etc/ctdb/public_addresses"),
        "10.232.0.101/24 eth1\n10.232.0.102/24 eth1\n"
    );
    assert!(get("etc/ctdb/ctdb.conf").contains("cluster lock = /gluster/lock/lockfile"));
}

#[test]
fn existing_nodes_keep_their_numbers() {
    let mut doc = example("3nodes");
    doc["existing_ctdb_nodes"] = json!("172.20.10.12\n172.20.10.10\n");
    let plan = decide(&doc).unwrap();
    let files = render::node_files(&plan, "pinkiepie.gluster.private").unwrap();
    assert_eq!(
        files[0].content,
        "172.20.10.12\n172.20.10.10\n172.20.10.11\n"
    );
}

#[test]
fn missing_lan_zone_asked_for_is_an_error_with_its_fix() {
    let mut doc = example("3nodes");
    doc["network"]["zones"]
        .as_object_mut()
        .unwrap()
        .remove("lan");
    // Without lan, the default is mgmt only: fine.
    let plan = decide(&doc).unwrap();
    assert_eq!(
        plan.public.iter().map(|z| z.zone).collect::<Vec<_>>(),
        [Zone::Mgmt]
    );
    doc["vars"]["hvp_storage_public_zones"] = json!(["lan"]);
    let errors = errors(&doc);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0],
        "error: variable hvp_storage_public_zones: the lan zone is not in the network plan, so no \
         public address can float on it (fix: remove lan from hvp_storage_public_zones, or connect \
         the nodes' lan NICs and plan the network again)"
    );
}

#[test]
fn missing_mgmt_zone_is_an_error() {
    let mut doc = example("3nodes");
    doc["network"]["zones"]
        .as_object_mut()
        .unwrap()
        .remove("mgmt");
    let errors = errors(&doc);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("no mgmt zone, which carries the CTDB traffic")),
        "{errors:#?}"
    );
}

#[test]
fn too_few_public_addresses_is_an_error() {
    let mut doc = example("3nodes");
    doc["vars"]["hvp_storage_public_addresses"] = json!({"lan": ["172.20.12.40"]});
    let errors = errors(&doc);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("lan has 1 public address(es) for 2 active storage nodes"),
        "{errors:#?}"
    );
    assert!(
        errors[0].contains("fix: list 2 addresses for lan"),
        "{errors:#?}"
    );
}

#[test]
fn public_addresses_outside_the_subnet_or_taken_are_errors() {
    let mut doc = example("3nodes");
    doc["vars"]["hvp_storage_public_addresses"] =
        json!({"lan": ["172.20.12.11", "10.9.9.9"], "mgmt": ["172.20.10.255", "172.20.10.31"]});
    let errors = errors(&doc);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let all = errors.join("\n");
    assert!(
        all.contains("public address 1 on lan 10.9.9.9 is outside lan (172.20.12.0/24)"),
        "{all}"
    );
    assert!(
        all.contains("public address 0 on mgmt 172.20.10.255 is the network or broadcast address"),
        "{all}"
    );
    assert!(
        all.contains(
            "172.20.12.11 is used twice: node 1 address on lan and public address 0 on lan"
        ),
        "{all}"
    );
}

#[test]
fn derived_addresses_past_the_subnet_are_errors() {
    let mut doc = example("3nodes");
    // The planner's first storage address on lan moved to .254: the second one is the broadcast.
    for zone in doc["network"]["cluster"]["storage"].as_array_mut().unwrap() {
        if zone["zone"] == "lan" {
            zone["addresses"] = json!(["172.20.12.254", "172.20.12.255"]);
        }
    }
    let errors = errors(&doc);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("public address 1 on lan 172.20.12.255"),
        "{errors:#?}"
    );
    assert!(errors[0].contains("hvp_storage_offset"), "{errors:#?}");
}

#[test]
fn unknown_volumes_are_errors_naming_the_kind_and_variable() {
    let mut doc = example("3nodes");
    doc["storage"]["volumes"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["kind"] != "ctdb" && v["kind"] != "unixshare");
    doc["vars"]["hvp_nfs_exports"] = json!(["unixshare", "iso", "blockshare"]);
    let errors = errors(&doc);
    let all = errors.join("\n");
    assert_eq!(errors.len(), 3, "{all}");
    assert!(
        all.contains(
            "storage plan, volume kind ctdb: the CTDB cluster lock needs a volume of kind ctdb"
        ),
        "{all}"
    );
    assert!(
        all.contains("fix: plan the storage with the ctdb volume (hvp_ctdb_volume_name)"),
        "{all}"
    );
    assert!(
        all.contains("volume kind unixshare: the NFS export needs a volume of kind unixshare"),
        "{all}"
    );
    assert!(
        all.contains("\"blockshare\" is not a volume kind that can be exported"),
        "{all}"
    );
}

#[test]
fn share_names_are_unique_and_not_reserved() {
    let mut doc = example("3nodes");
    doc["vars"]["hvp_winshare_subfolders"] = json!([
        {"path": "users", "mode": "0751"}, {"path": "Users", "mode": "0751"},
        {"path": "homes", "mode": "0755"}, {"path": "../etc", "mode": "0755"}]);
    let errors = errors(&doc);
    let all = errors.join("\n");
    assert_eq!(errors.len(), 3, "{all}");
    assert!(
        all.contains("the folders \"users\" and \"Users\" both make the share [Users]"),
        "{all}"
    );
    assert!(all.contains("[Homes], a name Samba reserves"), "{all}");
    assert!(
        all.contains("item 3: the path \"../etc\" is not one plain folder name"),
        "{all}"
    );
}

#[test]
fn export_paths_are_unique() {
    let mut doc = example("3nodes");
    for volume in doc["storage"]["volumes"].as_array_mut().unwrap() {
        if volume["kind"] == "iso" || volume["kind"] == "backup" {
            volume["name"] = json!("data");
        }
    }
    let errors = errors(&doc);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("the iso and backup exports would both be /data"),
        "{errors:#?}"
    );
}

#[test]
fn ad_mode_derives_the_realm_and_checks_the_ranges() {
    let mut doc = example("3nodes");
    doc["vars"]["hvp_samba_mode"] = json!("ad");
    let plan = decide(&doc).unwrap();
    let ad = plan.samba.ad.as_ref().unwrap();
    assert_eq!(ad.domain, "ad.lan.private");
    assert_eq!(ad.realm, "AD.LAN.PRIVATE");
    assert_eq!(plan.samba.workgroup, "AD");
    doc["vars"]["hvp_ad_range"] = json!("1000-2000000000");
    doc["vars"]["hvp_netbios_domainname"] = json!("MUCH-TOO-LONG-NAME");
    let errors = errors(&doc);
    let all = errors.join("\n");
    assert_eq!(errors.len(), 2, "{all}");
    assert!(all.contains("overlaps hvp_autorid_range"), "{all}");
    assert!(
        all.contains(
            "variable hvp_netbios_domainname: \"MUCH-TOO-LONG-NAME\" is not a NetBIOS name"
        ),
        "{all}"
    );
}

#[test]
fn every_problem_at_once() {
    let mut doc = example("3nodes");
    doc["storage"]["format_version"] = json!(1);
    doc["storage"]["volumes"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["kind"] != "winshare");
    doc["vars"]["hvp_storage_name"] = json!("bad name");
    doc["vars"]["hvp_storage_public_zones"] = json!(["internal"]);
    let errors = errors(&doc);
    let all = errors.join("\n");
    assert_eq!(errors.len(), 4, "{all}");
    assert!(all.contains("format_version: is 1"), "{all}");
    assert!(all.contains("volume kind winshare"), "{all}");
    assert!(
        all.contains("hvp_storage_name: \"bad name\" is not a DNS host name"),
        "{all}"
    );
    assert!(
        all.contains("the internal zone is not in the network plan"),
        "{all}"
    );
}

#[test]
fn malformed_parts_are_reported_together() {
    let doc = json!({"network": {"zones": 3}, "storage": {"format_version": 2},
                     "vars": {"hvp_samba_mode": "x"}, "extra\u{1b}": 1});
    let report = FileServicesInput::from_value(&doc).unwrap_err();
    let all: Vec<String> = report.problems().iter().map(ToString::to_string).collect();
    assert_eq!(all.len(), 4, "{all:#?}");
    assert!(
        all[0].starts_with("error: network: cannot be read"),
        "{all:#?}"
    );
    assert!(
        all[1].starts_with("error: storage: cannot be read: field .: missing field `policy`"),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|p| p.contains("unknown field 'extra\\u{1b}'")),
        "{all:#?}"
    );
    assert!(all.iter().all(|p| !p.contains('\u{1b}')));
}

#[test]
fn node_count_mismatch_is_an_error() {
    let mut doc = example("3nodes");
    doc["network"]["cluster"]["nodes"]
        .as_array_mut()
        .unwrap()
        .truncate(2);
    let errors = errors(&doc);
    assert!(
        errors.iter().any(|e| e
            .contains("the storage plan has 3 nodes but the network plan only 2")
            && e.contains("hvp_nodecount=3")),
        "{errors:#?}"
    );
}

#[test]
fn unknown_node_is_refused_by_the_renderer() {
    let plan = decide(&example("3nodes")).unwrap();
    let problem = render::node_files(&plan, "nosuch").unwrap_err();
    assert!(problem.to_string().contains("is not a CTDB member"));
}

#[test]
fn every_network_fixture_plan_round_trips_through_json() {
    use hvp_core::network::probe::ProbeDocument;
    use hvp_core::network::{plan_network, Mode};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/network");
    let mut planned = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let doc = ProbeDocument::from_json(&fs::read_to_string(&path).unwrap()).unwrap();
        for mode in [Mode::Compat, Mode::Default] {
            let Ok(plan) = plan_network(&doc, mode) else {
                continue;
            };
            let text = serde_json::to_string(&plan).unwrap();
            let back: NetworkPlan = serde_json::from_str(&text).unwrap();
            assert_eq!(back, plan, "{}", path.display());
            planned += 1;
        }
    }
    assert!(planned >= 10, "only {planned} plans");
}
