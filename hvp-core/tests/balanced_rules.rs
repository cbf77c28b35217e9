//! One test per balanced rule and per validation code, on small hand-made inventories.

use hvp_core::gdeploy_gen::{generate, generate_with, OutputFormat};
use hvp_core::layout::balanced::validate::structural_problems;
use hvp_core::layout::{DiskUse, LayoutPlan, Policy};
use serde_json::{json, Value};

mod common;
use common::balanced::*;

const TB8: u64 = 8_001_563_222_016;
const TB1: u64 = 1_000_204_886_016;
const SSD: u64 = 480_103_981_056;

#[test]
fn policy_comes_from_the_variable_or_the_caller() {
    let facts = json!({"nodes": nodes(3, &three_disks()), "vars": {}});
    let compat = generate(&facts, OutputFormat::Json).unwrap().plan;
    assert_eq!(compat.policy, Policy::Compat);
    let balanced = generate_with(&facts, OutputFormat::Json, Some(Policy::Balanced))
        .unwrap()
        .plan;
    assert_eq!(balanced.policy, Policy::Balanced);
    assert_eq!(balanced.format_version, 2);
}

#[test]
fn compat_refuses_balanced_only_sizes() {
    let facts =
        json!({"nodes": nodes(3, &three_disks()), "vars": {"hvp_vmstoredomain_size": "rest"}});
    let text = error(&facts);
    assert!(
        text.contains("hvp_vmstoredomain_size") && text.contains("balanced"),
        "{text}"
    );
}

#[test]
fn misspelt_variables_say_did_you_mean() {
    let text = error(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_arbiter_placment": "last"}),
    ));
    assert!(
        text.contains("did you mean 'hvp_arbiter_placement'"),
        "{text}"
    );
    let text = error(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_arbiter_placement": "weakst"}),
    ));
    assert!(text.contains("did you mean 'weakest'"), "{text}");
    let mut bad_role = nodes(3, &three_disks());
    bad_role[0]["role"] = json!("arbitre");
    let text = error(&facts(bad_role, json!({})));
    assert!(text.contains("did you mean 'arbiter'"), "{text}");
}

#[test]
fn every_unused_disk_has_a_reason() {
    let mut list = nodes(3, &three_disks());
    list[0]["hvp_free_disks"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "sde", "size": 50_000_000_000u64}));
    let plan = plan(&facts(list, json!({})));
    let sde = plan.nodes[0].disk("sde").unwrap();
    assert_eq!(sde.usage, None);
    assert!(sde
        .reason
        .as_deref()
        .unwrap()
        .contains("smaller than 100000000000 bytes"));
}

#[test]
fn ssds_become_caches_split_per_vg() {
    let mut list = nodes(3, &three_disks());
    for node in &mut list {
        node["hvp_free_ssds"] = json!([{"name": "sde", "size": SSD, "rotational": false}]);
    }
    let plan = plan(&facts(list, json!({})));
    let node = &plan.nodes[0];
    assert_eq!(node.disk("sde").unwrap().usage, Some(DiskUse::Cache));
    let caches: Vec<&str> = node
        .volume_groups
        .iter()
        .filter_map(|g| g.thin_pools[0].cache.as_ref().map(|c| c.device.as_str()))
        .collect();
    assert_eq!(caches, vec!["/dev/sde1", "/dev/sde2", "/dev/sde3"]);
}

#[test]
fn all_flash_nodes_use_their_ssds_as_data_and_mixing_is_w105() {
    let mut list = nodes(3, &[("sdb", TB4)]);
    list.push(json!({"name": "n4", "hvp_free_disks": [],
                      "hvp_free_ssds": [{"name": "nvme0n1", "size": TB4, "rotational": false}]}));
    let plan = plan(&facts(list, json!({})));
    assert_eq!(
        plan.nodes[3].disk("nvme0n1").unwrap().usage,
        Some(DiskUse::Data)
    );
    assert!(
        codes(&plan).contains(&"W105".to_owned()),
        "{:?}",
        codes(&plan)
    );
}

#[test]
fn tiny_ssds_stay_unused_with_w115() {
    let mut list = nodes(3, &[("sdb", TB8), ("sdc", TB8)]);
    list[0]["hvp_free_ssds"] =
        json!([{"name": "sde", "size": 100_030_242_816u64, "rotational": false}]);
    let plan = plan(&facts(list, json!({})));
    assert!(codes(&plan).contains(&"W115".to_owned()));
    assert!(plan.nodes[0]
        .disk("sde")
        .unwrap()
        .reason
        .as_deref()
        .unwrap()
        .contains("too small"));
    assert!(
        codes(&plan).contains(&"W104".to_owned())
            || !plan.nodes[0]
                .volume_groups
                .iter()
                .any(|g| g.thin_pools.iter().any(|p| p.cache.is_some()))
    );
}

#[test]
fn one_ssd_without_partitions_caches_the_largest_vg_and_warns_w120() {
    let mut list = nodes(3, &[("sdb", TB4), ("sdc", TB8)]);
    for node in &mut list {
        node["hvp_free_ssds"] = json!([{"name": "sde", "size": SSD, "rotational": false}]);
    }
    let plan = plan(&facts(
        list,
        json!({"hvp_cache_partition": false, "hvp_cache_mode": "writeback"}),
    ));
    let cached: Vec<&str> = plan.nodes[0]
        .volume_groups
        .iter()
        .filter(|g| g.thin_pools[0].cache.is_some())
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(cached, vec!["gluster_vg_sdc"]);
    let codes = codes(&plan);
    assert!(
        codes.contains(&"W120".to_owned()) && codes.contains(&"W106".to_owned()),
        "{codes:?}"
    );
}

#[test]
fn rotating_arbiters_stay_within_the_fairness_bound_on_equal_nodes() {
    let plan = plan(&facts(nodes(6, &three_disks()), json!({})));
    for volume in plan
        .volumes
        .iter()
        .filter(|v| v.replica.arbiter_count == 1 && v.replica_sets.len() > 1)
    {
        let bound = volume.replica_sets.len().div_ceil(6);
        for node in &plan.nodes {
            let count = volume
                .bricks()
                .filter(|b| b.arbiter && b.node == node.name)
                .count();
            assert!(
                count <= bound,
                "{} {}: {count} > {bound}",
                volume.name,
                node.name
            );
        }
    }
    assert!(!codes(&plan).contains(&"W102".to_owned()));
    assert!(codes(&plan).contains(&"W109".to_owned()));
}

#[test]
fn last_placement_keeps_data_off_the_last_node() {
    let plan = plan(&facts(
        nodes(4, &three_disks()),
        json!({"hvp_arbiter_placement": "last"}),
    ));
    let last = &plan.nodes[3].name;
    for volume in &plan.volumes {
        for brick in volume.bricks().filter(|b| &b.node == last) {
            assert!(
                brick.arbiter || volume.replica.arbiter_count == 0,
                "{} data on {last}",
                volume.name
            );
        }
    }
    assert!(plan.nodes[3]
        .disk("sdc")
        .unwrap()
        .reason
        .as_deref()
        .unwrap()
        .contains("dedicated arbiter"));
}

#[test]
fn weakest_placement_picks_the_smallest_node() {
    let mut list = nodes(4, &three_disks());
    list[1] = node("n2", &[("sdb", TB1)]);
    let plan = plan(&facts(list, json!({"hvp_arbiter_placement": "weakest"})));
    let arbiters: std::collections::BTreeSet<&str> = plan
        .volumes
        .iter()
        .flat_map(|v| v.bricks())
        .filter(|b| b.arbiter)
        .map(|b| b.node.as_str())
        .collect();
    assert_eq!(arbiters.into_iter().collect::<Vec<_>>(), vec!["n2"]);
}

#[test]
fn roles_data_and_compute_are_respected() {
    let mut list = nodes(5, &three_disks());
    list[0]["role"] = json!("data");
    list[4]["role"] = json!("compute");
    let plan = plan(&facts(list, json!({})));
    for brick in plan.volumes.iter().flat_map(|v| v.bricks()) {
        assert!(
            !(brick.node == "n1" && brick.arbiter),
            "arbiter on a data node"
        );
        assert_ne!(brick.node, "n5", "brick on a compute node");
    }
    assert!(plan.nodes[4].volume_groups.is_empty());
}

#[test]
fn raid_geometry_sets_alignment_and_chunk() {
    let mut list = nodes(3, &[("sdb", TB8)]);
    for node in &mut list {
        node["raid"] = json!({"level": "raid6", "disks": 12, "stripe_unit": "128KiB"});
    }
    let plan = plan(&facts(list, json!({})));
    let group = &plan.nodes[0].volume_groups[0];
    let alignment = group.alignment.unwrap();
    assert_eq!(alignment.data_alignment_bytes, 1280 << 10);
    assert_eq!(alignment.data_disks, 10);
    assert_eq!(group.thin_pools[0].chunk_bytes, 1280 << 10);
    let yaml = generate(
        &facts(
            nodes(3, &[("sdb", TB8)]),
            json!({"hvp_raid": {"level": "raid10", "disks": 4, "stripe_unit": 256}}),
        ),
        OutputFormat::GlusterAnsible,
    )
    .unwrap();
    assert!(yaml.output.contains("gluster_infra_disktype: RAID10"));
    assert!(yaml.plan.warnings.iter().any(|w| w.code == "W117"));
}

#[test]
fn w110_and_w118_for_odd_or_unknown_geometry() {
    let mut list = nodes(3, &[("sdb", TB8)]);
    list[0]["raid"] = json!({"level": "raid6", "disks": 5, "stripe_unit": "96KiB"});
    list[1]["hvp_free_disks"][0]["model"] = json!("PERC H730P");
    let codes = codes(&plan(&facts(list, json!({}))));
    assert!(
        codes.contains(&"W110".to_owned()) && codes.contains(&"W118".to_owned()),
        "{codes:?}"
    );
}

#[test]
fn legacy_vdo_sizes_and_warnings() {
    let plan = plan(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_vdo_mode": "legacy", "hvp_vdo_ratio": 12}),
    ));
    let vdo = &plan.nodes[0].vdo_devices[0];
    assert_eq!(vdo.slab_size_bytes, 32 << 30);
    assert_eq!(
        vdo.logical_size_bytes >> 30,
        (TB4 as f64 * 12.0) as u64 >> 30
    );
    assert!(plan.nodes[0].volume_groups[0].physical_volumes[0].starts_with("/dev/mapper/vdo_"));
    // Three data disks per node: VDO only under the disks of the VDO-eligible volumes, so no
    // W119 (balanced_features.rs covers the split and the one-disk W119).
    let codes = codes(&plan);
    assert!(
        codes.contains(&"W107".to_owned()) && !codes.contains(&"W119".to_owned()),
        "{codes:?}"
    );
}

#[test]
fn e019_lvm_vdo_cannot_be_written_as_ini_or_gluster_ansible() {
    let facts = facts(nodes(3, &three_disks()), json!({"hvp_vdo_mode": "lvm"}));
    for format in [OutputFormat::Ini, OutputFormat::GlusterAnsible] {
        let text = generate(&facts, format)
            .map(|g| g.output)
            .expect_err("E019")
            .to_string();
        assert!(text.contains("E019"), "{text}");
    }
    assert!(generate(&facts, OutputFormat::Json).is_ok());
}

#[test]
fn e004_demands_above_the_bound_name_the_shortfall() {
    let text = error(&facts(
        nodes(3, &[("sdb", TB1)]),
        json!({"hvp_blockshare_size": "100TiB"}),
    ));
    assert!(
        text.contains("E004") && text.contains("blockshare") && text.contains("short by"),
        "{text}"
    );
}

#[test]
fn e006_named_disk_that_is_not_free() {
    let text = error(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_disk_filter": {"data": {"paths": ["/dev/sdz"]}}}),
    ));
    assert!(text.contains("E006") && text.contains("sdz"), "{text}");
}

#[test]
fn e007_mixed_sector_sizes_on_one_node() {
    let mut list = nodes(3, &three_disks());
    list[0]["hvp_free_disks"][0]["logical_sector"] = json!(512);
    list[0]["hvp_free_disks"][1]["logical_sector"] = json!(4096);
    let text = error(&facts(list, json!({})));
    assert!(text.contains("E007") && text.contains("node n1"), "{text}");
}

#[test]
fn e008_vdo_too_big() {
    let huge = 300u64 << 40;
    let text = error(&facts(
        nodes(3, &[("sdb", huge)]),
        json!({"hvp_vdo_mode": "legacy"}),
    ));
    assert!(text.contains("E008"), "{text}");
}

#[test]
fn e010_arbiter_floor_below_the_xfs_minimum() {
    let text = error(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_arbiter_floor": "100MiB"}),
    ));
    assert!(text.contains("E010"), "{text}");
}

#[test]
fn e011_too_few_nodes_or_no_arbiter_node() {
    let text = error(&facts(nodes(2, &three_disks()), json!({})));
    assert!(
        text.contains("E011") && text.contains("at least 3"),
        "{text}"
    );
    let mut list = nodes(3, &three_disks());
    for node in &mut list {
        node["role"] = json!("data");
    }
    let text = error(&facts(list, json!({})));
    assert!(text.contains("E011") && text.contains("arbiter"), "{text}");
}

#[test]
fn structural_codes_catch_hand_edited_plans() {
    let good = plan(&facts(nodes(4, &three_disks()), json!({})));
    assert!(structural_problems(&good).is_empty());
    let code_of = |plan: &LayoutPlan| -> Vec<String> {
        structural_problems(plan)
            .iter()
            .map(|p| p.code.clone())
            .collect()
    };
    // E001 (spec Ex 5): the arbiter on a node that holds a data brick of the same set.
    let mut same = good.clone();
    let set = &mut same.volumes[1].replica_sets[0];
    set.bricks[2].node = set.bricks[1].node.clone();
    let problems = structural_problems(&same);
    assert!(
        problems
            .iter()
            .any(|p| p.code == "E001" && p.problem.message.contains("a data and the arbiter")),
        "{problems:?}"
    );
    // E002: a brick missing.
    let mut short = good.clone();
    short.volumes[1].replica_sets[0].bricks.pop();
    assert!(code_of(&short).contains(&"E002".to_owned()));
    // E003: an arbiter on a node with role data.
    let mut role = good.clone();
    let arbiter_node = role.volumes[1].replica_sets[0].bricks[2].node.clone();
    role.nodes
        .iter_mut()
        .find(|n| n.name == arbiter_node)
        .unwrap()
        .role = hvp_core::layout::NodeRole::Data;
    assert!(code_of(&role).contains(&"E003".to_owned()));
    // E005: one disk in two VGs.
    let mut twice = good.clone();
    let first = twice.nodes[0].volume_groups[0].disks[0].clone();
    twice.nodes[0].volume_groups[1].disks[0] = first;
    assert!(code_of(&twice).contains(&"E005".to_owned()));
    // E009: a pool overcommitted.
    let mut over = good.clone();
    over.nodes[0].volume_groups[0].thin_pools[0].size_bytes /= 4;
    assert!(code_of(&over).contains(&"E009".to_owned()));
}

#[test]
fn w103_a_node_nobody_can_pair_with() {
    let mut list = nodes(3, &[("sdb", TB1)]);
    list[0] = node("n1", &[("sdb", TB8), ("sdc", TB8)]);
    let plan = plan(&facts(list, json!({})));
    assert!(plan
        .warnings
        .iter()
        .any(|w| w.code == "W103" && w.problem.subject == "node n1"));
}

#[test]
fn w102_w111_and_w114() {
    let mut list = nodes(4, &[("sdb", TB4)]);
    list[0] = node(
        "n1",
        &(0..11)
            .map(|i| {
                (
                    [
                        "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh", "sdi", "sdj", "sdk", "sdl",
                    ][i],
                    TB8,
                )
            })
            .collect::<Vec<_>>(),
    );
    list[1] = node(
        "n2",
        &(0..11)
            .map(|i| {
                (
                    [
                        "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh", "sdi", "sdj", "sdk", "sdl",
                    ][i],
                    TB8,
                )
            })
            .collect::<Vec<_>>(),
    );
    let codes_big = codes(&plan(&facts(list, json!({}))));
    assert!(codes_big.contains(&"W114".to_owned()), "{codes_big:?}");
    assert!(
        codes_big.contains(&"W102".to_owned()),
        "two huge nodes force arbiters onto the small ones: {codes_big:?}"
    );
    let uneven = codes(&plan(&facts(
        nodes(3, &[("sdb", TB8), ("sdc", TB1)]),
        json!({}),
    )));
    assert!(uneven.contains(&"W111".to_owned()), "{uneven:?}");
}

#[test]
fn w112_engine_outside_the_hosted_engine_nodes() {
    let mut list = nodes(4, &three_disks());
    list[3]["hosted_engine"] = json!(true);
    let plan = plan(&facts(list, json!({})));
    // Three engine bricks, one hosted-engine node: the other two are outside.
    assert!(
        plan.warnings.iter().any(|w| w.code == "W112"),
        "{:?}",
        codes(&plan)
    );
}

#[test]
fn volumes_can_be_left_out_and_sized_by_percent() {
    let plan = plan(&facts(
        nodes(3, &three_disks()),
        json!({"hvp_winshare_size": "none", "hvp_unixshare_size": "20%", "hvp_blockshare_size": "none"}),
    ));
    let names: Vec<&str> = plan.volumes.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.contains(&"winshare") && !names.contains(&"blockshare"));
    let unix = plan.volumes.iter().find(|v| v.name == "unixshare").unwrap();
    let share = unix.usable_bytes() as f64 / plan.capacity.bound_bytes as f64;
    assert!((0.18..0.21).contains(&share), "{share}");
    assert!(unix.sizing.as_deref().unwrap().contains("20% of the bound"));
}

#[test]
fn tier_fast_volumes_get_their_own_sets_on_fast_vgs() {
    let mut list = nodes(3, &three_disks());
    for node in &mut list {
        node["hvp_free_ssds"] = json!([{"name": "nvme0n1", "size": SSD, "rotational": false}]);
    }
    let plan = plan(&facts(
        list,
        json!({"hvp_volume_layout": {"blockshare": {"tier": "fast"}}, "hvp_blockshare_size": "rest"}),
    ));
    let block = plan
        .volumes
        .iter()
        .find(|v| v.name == "blockshare")
        .unwrap();
    assert!(block
        .bricks()
        .filter(|b| !b.arbiter)
        .all(|b| b.volume_group == "gluster_vg_nvme0n1"));
    assert_eq!(
        plan.nodes[0].disk("nvme0n1").unwrap().usage,
        Some(DiskUse::Fast)
    );
}

#[test]
fn outputs_agree_on_the_plan() {
    let facts = facts(nodes(4, &three_disks()), json!({}));
    let json_plan: Value =
        serde_json::from_str(&generate(&facts, OutputFormat::Json).unwrap().output).unwrap();
    let commands = generate(&facts, OutputFormat::Commands).unwrap().output;
    let ini = generate(&facts, OutputFormat::Ini).unwrap().output;
    for volume in json_plan["volumes"].as_array().unwrap() {
        let name = volume["name"].as_str().unwrap();
        let bricks: Vec<String> = volume["replica_sets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|set| set["bricks"].as_array().unwrap().iter())
            .map(|b| {
                format!(
                    "{}:{}",
                    b["node"].as_str().unwrap(),
                    b["directory"].as_str().unwrap()
                )
            })
            .collect();
        let create = format!(
            "gluster volume create {name} replica 3 {}transport tcp {}",
            if volume["replica"]["arbiter_count"] == 1 {
                "arbiter 1 "
            } else {
                ""
            },
            bricks.join(" ")
        );
        assert!(commands.lines().any(|line| line == create), "{create}");
        assert!(
            ini.contains(&format!("brick_dirs={}", bricks.join(","))),
            "{name}"
        );
        assert!(commands.contains(&format!("gluster volume start {name}\n")));
    }
}

#[test]
fn the_ini_parses_like_gdeploy_and_lists_every_lv() {
    let facts = facts(nodes(4, &three_disks()), json!({}));
    let generated = generate(&facts, OutputFormat::Ini).unwrap();
    let document = hvp_core::gdeploy::IniDocument::parse(&generated.output).unwrap();
    for node in &generated.plan.nodes {
        let pools: usize = node.volume_groups.iter().map(|g| g.thin_pools.len()).sum();
        let lvs: usize = node
            .volume_groups
            .iter()
            .map(|g| g.logical_volumes.len())
            .sum();
        let sections = (1..=pools + lvs)
            .filter(|k| {
                document
                    .section(&format!("lv{}{k}:{}", node.index, node.name))
                    .is_some()
            })
            .count();
        assert_eq!(sections, pools + lvs, "{}", node.name);
        let vg = document
            .section(&format!("vg{}1:{}", node.index, node.name))
            .unwrap();
        assert_eq!(vg.get("vgname"), Some(node.volume_groups[0].name.as_str()));
    }
    let volume = document.section("volume2").unwrap();
    assert_eq!(volume.get("force"), Some("no"));
    assert_eq!(volume.get("arbiter_count"), Some("1"));
}

#[test]
fn the_gluster_ansible_inventory_matches_the_plan() {
    let mut list = nodes(3, &three_disks());
    for node in &mut list {
        node["hvp_free_ssds"] = json!([{"name": "sde", "size": SSD, "rotational": false}]);
    }
    let generated = generate(&facts(list, json!({})), OutputFormat::GlusterAnsible).unwrap();
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&generated.output).unwrap();
    let hosts = &yaml["hc_nodes"]["hosts"];
    for node in &generated.plan.nodes {
        let host = &hosts[node.name.as_str()];
        let pools = host["gluster_infra_thinpools"].as_sequence().unwrap();
        assert_eq!(pools.len(), node.volume_groups.len());
        let thin = host["gluster_infra_lv_logicalvols"]
            .as_sequence()
            .unwrap()
            .len();
        let thick = host["gluster_infra_thick_lvs"]
            .as_sequence()
            .map_or(0, Vec::len);
        let lvs: usize = node
            .volume_groups
            .iter()
            .map(|g| g.logical_volumes.len())
            .sum();
        assert_eq!(thin + thick, lvs);
        assert_eq!(
            host["gluster_infra_cache_vars"]
                .as_sequence()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(host["hvp_cache_partitions"].as_sequence().unwrap().len(), 3);
        let metadata = pools[0]["poolmetadatasize"].as_str().unwrap();
        assert!(
            metadata.ends_with('M') && !metadata.contains("iB"),
            "the role appends iB"
        );
    }
    let commands = yaml["hc_nodes"]["vars"]["hvp_gluster_volume_commands"]
        .as_sequence()
        .unwrap();
    assert!(commands.iter().any(|c| c
        .as_str()
        .unwrap()
        .starts_with("gluster volume create vmstore replica 3 arbiter 1")));
    assert!(
        yaml["hc_nodes"]["vars"]
            .get("gluster_features_hci_volumes")
            .is_none(),
        "several sets per volume"
    );
}

#[test]
fn absurd_disk_sizes_do_not_panic() {
    let huge = u64::MAX / 4;
    let list = nodes(
        3,
        &[("sdb", huge), ("sdc", huge), ("sdd", huge), ("sde", huge)],
    );
    let text = error(&facts(list, json!({})));
    assert!(text.contains("E004") && text.contains("4 EiB"), "{text}");
    // Just inside the limit: planned, without overflow.
    let big = nodes(3, &[("sdb", 1 << 60)]);
    let plan = plan(&facts(big, json!({})));
    assert!(plan.capacity.usable_bytes > 0);
}
