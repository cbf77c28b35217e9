//! `hvp_layout_grouped: true` (spec §5 and §7 `layout.grouped`): one test per rule — triples in
//! inventory order (`rotating`, `last`), two strongest + weakest (`weakest`), roles, the
//! refusals (E011), single-set volumes inside one triple, arbiter fairness within a triple,
//! W109 (3 pairs per triple), W121 and the grouped bound, whole-set sharing, compat and labs.

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_core::layout::LayoutPlan;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::balanced::*;

const TB8: u64 = 8_001_563_222_016;

fn grouped(nodes: Vec<Value>, vars: Value) -> Value {
    let mut vars = vars;
    vars["hvp_layout_grouped"] = json!(true);
    facts(nodes, vars)
}

fn with(node: Value, key: &str, value: Value) -> Value {
    let mut node = node;
    node[key] = value;
    node
}

/// Node name → its triple's position in `plan.groups`.
fn triple_of(plan: &LayoutPlan) -> BTreeMap<String, usize> {
    plan.groups
        .iter()
        .enumerate()
        .flat_map(|(i, group)| group.iter().map(move |name| (name.clone(), i)))
        .collect()
}

/// Every set (data members and arbiter) of every volume inside one triple.
fn assert_sets_inside_triples(plan: &LayoutPlan) {
    let triple = triple_of(plan);
    for volume in &plan.volumes {
        for (number, set) in volume.replica_sets.iter().enumerate() {
            let triples: BTreeSet<usize> = set.bricks.iter().map(|b| triple[&b.node]).collect();
            assert_eq!(
                triples.len(),
                1,
                "{} set {} spans triples: {:?}",
                volume.name,
                number + 1,
                set.bricks.iter().map(|b| &b.node).collect::<Vec<_>>()
            );
        }
    }
}

/// The nodes holding arbiter bricks of the spread (not single-set) volumes.
fn spread_arbiter_nodes(plan: &LayoutPlan) -> BTreeSet<String> {
    plan.volumes
        .iter()
        .filter(|v| v.replica_sets.len() > 1)
        .flat_map(|v| v.bricks())
        .filter(|b| b.arbiter)
        .map(|b| b.node.clone())
        .collect()
}

fn spread_data_nodes(plan: &LayoutPlan) -> BTreeSet<String> {
    plan.volumes
        .iter()
        .filter(|v| v.replica_sets.len() > 1)
        .flat_map(|v| v.bricks())
        .filter(|b| !b.arbiter)
        .map(|b| b.node.clone())
        .collect()
}

fn names(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|group| group.iter().map(|n| (*n).to_owned()).collect())
        .collect()
}

#[test]
fn rotating_triples_follow_inventory_order_and_arbiters_rotate_inside() {
    let plan = plan(&grouped(nodes(6, &three_disks()), json!({})));
    assert_eq!(
        plan.groups,
        names(&[&["n1", "n2", "n3"], &["n4", "n5", "n6"]])
    );
    assert_sets_inside_triples(&plan);
    let triple = triple_of(&plan);
    for volume in plan.volumes.iter().filter(|v| v.replica_sets.len() > 1) {
        // Per triple: every node holds arbiters, within ⌈S_T / 3⌉.
        for t in 0..2 {
            let sets: Vec<_> = volume
                .replica_sets
                .iter()
                .filter(|s| triple[&s.bricks[0].node] == t)
                .collect();
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for set in &sets {
                let arbiter = set.bricks.last().unwrap();
                assert!(arbiter.arbiter, "arbiter last");
                *counts.entry(arbiter.node.as_str()).or_default() += 1;
            }
            let bound = sets.len().div_ceil(3);
            assert_eq!(counts.len(), 3, "{}: {counts:?}", volume.name);
            assert!(counts.values().all(|&c| c <= bound), "{counts:?}");
        }
    }
    let codes = codes(&plan);
    assert!(!codes.contains(&"W102".to_owned()), "{codes:?}");
    assert!(
        !codes.contains(&"W121".to_owned()),
        "equal nodes: {codes:?}"
    );
    let w109 = plan.warnings.iter().find(|w| w.code == "W109").unwrap();
    assert!(
        w109.problem.message.contains("6 of 15 node pairs"),
        "{}",
        w109.problem.message
    );
    // Equal nodes: the triples reach the spread bound.
    let capacity = plan.capacity;
    let grouped = capacity.grouped_bound_bytes.unwrap();
    assert!(grouped <= capacity.bound_bytes);
    assert!(grouped as f64 >= 0.999 * capacity.bound_bytes as f64);
    assert!(capacity.usable_bytes as f64 >= 0.98 * grouped as f64);
}

#[test]
fn w109_counts_three_pairs_per_triple() {
    let plan = plan(&grouped(nodes(9, &three_disks()), json!({})));
    assert_eq!(plan.groups.len(), 3);
    let w109 = plan.warnings.iter().find(|w| w.code == "W109").unwrap();
    assert!(
        w109.problem.message.contains("9 of 36 node pairs")
            && w109.problem.message.contains("3 triple(s)"),
        "{}",
        w109.problem.message
    );
    // The same nodes spread: far more pairs.
    let spread = plan_of(&facts(nodes(9, &three_disks()), json!({})));
    let w109 = spread.warnings.iter().find(|w| w.code == "W109").unwrap();
    assert!(
        !w109.problem.message.starts_with("9 of"),
        "{}",
        w109.problem.message
    );
}

fn plan_of(facts: &Value) -> LayoutPlan {
    plan(facts)
}

#[test]
fn last_gives_each_triple_its_last_node_as_arbiter() {
    let plan = plan(&grouped(
        nodes(6, &three_disks()),
        json!({"hvp_arbiter_placement": "last"}),
    ));
    assert_eq!(
        plan.groups,
        names(&[&["n1", "n2", "n3"], &["n4", "n5", "n6"]])
    );
    assert_sets_inside_triples(&plan);
    assert_eq!(
        spread_arbiter_nodes(&plan),
        ["n3", "n6"].map(String::from).into()
    );
    assert_eq!(
        spread_data_nodes(&plan),
        ["n1", "n2", "n4", "n5"].map(String::from).into()
    );
}

#[test]
fn weakest_triples_take_the_two_strongest_and_the_weakest() {
    // Data capacity (4 TB disks): n1 16, n2 8, n3 20, n4 4, n5 12, n6 24 TB.
    let disks = |count: usize| -> Vec<(&'static str, u64)> {
        ["sdb", "sdc", "sdd", "sde", "sdf", "sdg"][..count]
            .iter()
            .map(|name| (*name, TB4))
            .collect()
    };
    let inventory = vec![
        node("n1", &disks(4)),
        node("n2", &disks(2)),
        node("n3", &disks(5)),
        node("n4", &disks(1)),
        node("n5", &disks(3)),
        node("n6", &disks(6)),
    ];
    let plan = plan(&grouped(
        inventory.clone(),
        json!({"hvp_arbiter_placement": "weakest"}),
    ));
    // Triple 1: n6 and n3 (strongest) with n4 (weakest); triple 2: n1, n5 with n2.
    assert_eq!(
        plan.groups,
        names(&[&["n3", "n4", "n6"], &["n1", "n2", "n5"]])
    );
    assert_sets_inside_triples(&plan);
    assert_eq!(
        spread_arbiter_nodes(&plan),
        ["n2", "n4"].map(String::from).into()
    );
    assert!(spread_data_nodes(&plan).is_disjoint(&spread_arbiter_nodes(&plan)));
    // Strength, not inventory order, makes these triples: the same nodes in another order
    // give the same triples.
    let mut reversed = inventory;
    reversed.reverse();
    let again = plan_of(&grouped(
        reversed,
        json!({"hvp_arbiter_placement": "weakest"}),
    ));
    let as_sets = |plan: &LayoutPlan| -> BTreeSet<BTreeSet<String>> {
        plan.groups
            .iter()
            .map(|g| g.iter().cloned().collect())
            .collect()
    };
    assert_eq!(as_sets(&plan), as_sets(&again));
}

#[test]
fn a_node_count_not_a_multiple_of_three_is_refused() {
    let text = error(&grouped(nodes(7, &three_disks()), json!({})));
    assert!(
        text.contains("E011") && text.contains("7 node(s) take bricks"),
        "{text}"
    );
    assert!(
        text.contains("add 2 node(s)") && text.contains("give 1 node(s) role compute"),
        "{text}"
    );
    // With one of them a compute node, six nodes form two triples.
    let mut inventory = nodes(7, &three_disks());
    inventory[3] = with(inventory[3].clone(), "role", json!("compute"));
    let plan = plan(&grouped(inventory, json!({})));
    assert_eq!(
        plan.groups,
        names(&[&["n1", "n2", "n3"], &["n5", "n6", "n7"]])
    );
    assert_sets_inside_triples(&plan);
    let node4 = plan.nodes.iter().find(|n| n.name == "n4").unwrap();
    assert!(node4.volume_groups.is_empty());
}

#[test]
fn roles_that_make_a_triple_impossible_are_refused() {
    let mut inventory = nodes(6, &three_disks());
    for i in [0, 1] {
        inventory[i] = with(inventory[i].clone(), "role", json!("arbiter"));
    }
    let text = error(&grouped(inventory, json!({})));
    assert!(
        text.contains("E011") && text.contains("n1, n2, n3 has 2 nodes with role arbiter"),
        "{text}"
    );
    let mut inventory = nodes(6, &three_disks());
    for i in [3, 4, 5] {
        inventory[i] = with(inventory[i].clone(), "role", json!("data"));
    }
    let text = error(&grouped(inventory, json!({})));
    assert!(
        text.contains("E011") && text.contains("n4, n5, n6 has no node that may hold its arbiter"),
        "{text}"
    );
    // Weakest with more arbiter-role nodes than triples.
    let mut inventory = nodes(6, &three_disks());
    for i in [0, 4, 5] {
        inventory[i] = with(inventory[i].clone(), "role", json!("arbiter"));
    }
    let text = error(&grouped(
        inventory,
        json!({"hvp_arbiter_placement": "weakest"}),
    ));
    assert!(
        text.contains("E011") && text.contains("3 nodes have role arbiter"),
        "{text}"
    );
}

#[test]
fn a_triple_with_a_data_role_node_gets_one_arbiter_node() {
    let mut inventory = nodes(6, &three_disks());
    inventory[2] = with(inventory[2].clone(), "role", json!("data"));
    let plan = plan(&grouped(inventory, json!({})));
    assert_sets_inside_triples(&plan);
    let triple = triple_of(&plan);
    let first: BTreeSet<String> = spread_arbiter_nodes(&plan)
        .into_iter()
        .filter(|n| triple[n] == 0)
        .collect();
    // n3 (role data) may not hold arbiters, so n2 (the last `any` node) holds all of them and
    // no spread data; the second triple rotates.
    assert_eq!(first, ["n2"].map(String::from).into());
    assert!(!spread_data_nodes(&plan).contains("n2"));
    let second: BTreeSet<String> = spread_arbiter_nodes(&plan)
        .into_iter()
        .filter(|n| triple[n] == 1)
        .collect();
    assert_eq!(second.len(), 3);
}

#[test]
fn spread_replica3_volumes_need_three_data_nodes_per_triple() {
    let layout = json!({"vmstoredomain": {"mode": "replica3"}});
    let text = error(&grouped(
        nodes(6, &three_disks()),
        json!({"hvp_arbiter_placement": "last", "hvp_volume_layout": layout.clone()}),
    ));
    assert!(
        text.contains("E011") && text.contains("replica 3 volume(s) vmstore"),
        "{text}"
    );
    // Rotating: every node of a triple holds data, each replica-3 set is a whole triple.
    let plan = plan(&grouped(
        nodes(6, &three_disks()),
        json!({"hvp_volume_layout": layout}),
    ));
    assert_sets_inside_triples(&plan);
    let vmstore = plan.volumes.iter().find(|v| v.name == "vmstore").unwrap();
    assert!(vmstore.replica_sets.len() >= 2);
    assert!(vmstore
        .replica_sets
        .iter()
        .all(|s| s.bricks.iter().all(|b| !b.arbiter)));
}

#[test]
fn a_triple_node_without_a_usable_disk_is_refused() {
    let mut inventory = nodes(6, &three_disks());
    inventory[4] = node("n5", &[("sdb", 50_000_000_000)]);
    let text = error(&grouped(inventory, json!({})));
    assert!(
        text.contains("E011")
            && text.contains("node n5 of the triple n4, n5, n6 has no usable disk"),
        "{text}"
    );
}

#[test]
fn the_variable_is_a_boolean_and_misspellings_say_did_you_mean() {
    let text = error(&facts(
        nodes(6, &three_disks()),
        json!({"hvp_layout_grouped": "sometimes"}),
    ));
    assert!(
        text.contains("hvp_layout_grouped") && text.contains("not a boolean"),
        "{text}"
    );
    let text = error(&facts(
        nodes(6, &three_disks()),
        json!({"hvp_layout_groupd": true}),
    ));
    assert!(text.contains("did you mean 'hvp_layout_grouped'"), "{text}");
    // Ansible spellings of booleans.
    let plan = plan(&facts(
        nodes(6, &three_disks()),
        json!({"hvp_layout_grouped": "yes"}),
    ));
    assert_eq!(plan.groups.len(), 2);
    let plan = plan_of(&facts(
        nodes(6, &three_disks()),
        json!({"hvp_layout_grouped": false}),
    ));
    assert!(plan.groups.is_empty());
    assert_eq!(plan.capacity.grouped_bound_bytes, None);
}

#[test]
fn single_set_volumes_stay_inside_one_triple() {
    for placement in ["rotating", "last", "weakest"] {
        let plan = plan(&grouped(
            nodes(9, &three_disks()),
            json!({"hvp_arbiter_placement": placement}),
        ));
        assert_sets_inside_triples(&plan);
        let triple = triple_of(&plan);
        let engine = plan.volumes.iter().find(|v| v.name == "engine").unwrap();
        let ctdb = plan.volumes.iter().find(|v| v.name == "ctdb").unwrap();
        // Default hosted-engine nodes: the first triple.
        for volume in [engine, ctdb] {
            assert!(
                volume.bricks().all(|b| triple[&b.node] == 0),
                "{placement}: {} outside the first triple",
                volume.name
            );
        }
        assert!(!codes(&plan).contains(&"W112".to_owned()), "{placement}");
    }
}

#[test]
fn unequal_triples_report_w121_and_the_lower_grouped_bound() {
    // Triple 1: 3 disks, 1 disk, 1 disk: the big node is capped by the two small ones.
    let inventory = vec![
        node("n1", &three_disks()),
        node("n2", &[("sdb", TB4)]),
        node("n3", &[("sdb", TB4)]),
        node("n4", &[("sdb", TB8)]),
        node("n5", &[("sdb", TB8)]),
        node("n6", &[("sdb", TB8)]),
    ];
    let spread = plan(&facts(inventory.clone(), json!({})));
    let plan = plan_of(&grouped(inventory, json!({})));
    assert_sets_inside_triples(&plan);
    let capacity = plan.capacity;
    let grouped = capacity.grouped_bound_bytes.unwrap();
    assert!(grouped < capacity.bound_bytes, "{capacity:?}");
    assert!(capacity.usable_bytes <= grouped);
    assert!(
        capacity.usable_bytes as f64 >= 0.98 * grouped as f64,
        "{capacity:?}"
    );
    assert!(spread.capacity.usable_bytes > capacity.usable_bytes);
    assert!(capacity.stranded_bytes > spread.capacity.stranded_bytes);
    let w121 = plan
        .warnings
        .iter()
        .find(|w| w.code == "W121")
        .expect("W121");
    assert!(
        w121.problem.message.contains("less than the bound")
            && w121.problem.message.contains("stranded"),
        "{}",
        w121.problem.message
    );
}

#[test]
fn every_output_says_or_shows_the_grouping() {
    let document = grouped(nodes(6, &three_disks()), json!({}));
    let table = generate(&document, OutputFormat::Table).unwrap().output;
    assert!(
        table.contains("Layout: grouped (hvp_layout_grouped) in 2 triple(s)"),
        "{table}"
    );
    assert!(
        table.contains("  triple 1: n1, n2, n3\n  triple 2: n4, n5, n6\n"),
        "{table}"
    );
    let json: Value =
        serde_json::from_str(&generate(&document, OutputFormat::Json).unwrap().output).unwrap();
    assert_eq!(
        json["groups"],
        json!([["n1", "n2", "n3"], ["n4", "n5", "n6"]])
    );
    assert!(json["capacity"]["grouped_bound_bytes"].is_u64());
    // The spread layout's JSON has neither field.
    let spread = facts(nodes(6, &three_disks()), json!({}));
    let json: Value =
        serde_json::from_str(&generate(&spread, OutputFormat::Json).unwrap().output).unwrap();
    assert!(json.get("groups").is_none());
    assert!(json["capacity"].get("grouped_bound_bytes").is_none());
    // The commands create every set (3 bricks in a row) inside a triple.
    let commands = generate(&document, OutputFormat::Commands).unwrap().output;
    let creates: Vec<&str> = commands
        .lines()
        .filter(|l| l.starts_with("gluster volume create"))
        .collect();
    assert_eq!(creates.len(), 8);
    for line in creates {
        let bricks: Vec<&str> = line
            .split(' ')
            .filter_map(|word| word.split_once(":/").map(|(node, _)| node))
            .collect();
        assert_eq!(bricks.len() % 3, 0, "{line}");
        for set in bricks.chunks(3) {
            let first = set
                .iter()
                .filter(|n| ["n1", "n2", "n3"].contains(n))
                .count();
            assert!(first == 0 || first == 3, "{set:?} spans triples: {line}");
        }
    }
    for format in [OutputFormat::Ini, OutputFormat::GlusterAnsible] {
        assert!(generate(&document, format).is_ok());
    }
}

#[test]
fn compat_ignores_the_variable() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/facts-3nodes.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut flagged = document.clone();
    flagged["vars"]["hvp_layout_grouped"] = json!(true);
    for format in [OutputFormat::Ini, OutputFormat::Json, OutputFormat::Table] {
        assert_eq!(
            generate(&document, format).unwrap().output,
            generate(&flagged, format).unwrap().output
        );
    }
}

#[test]
fn labs_with_force_same_host_ignore_the_grouping() {
    let lab = grouped(
        nodes(2, &three_disks()),
        json!({"hvp_force_same_host": true}),
    );
    let plan = plan(&lab);
    assert!(plan.groups.is_empty());
    assert!(codes(&plan).contains(&"W101".to_owned()));
}

#[test]
fn large_grouped_skeletons_share_whole_sets_inside_triples() {
    // 30 nodes × 6 disks: more than 64 sets, so the volumes take whole sets.
    let disks: Vec<(&str, u64)> = ["sdb", "sdc", "sdd", "sde", "sdf", "sdg"]
        .iter()
        .enumerate()
        .map(|(i, name)| (*name, if i % 2 == 0 { TB4 } else { TB8 }))
        .collect();
    let plan = plan(&grouped(nodes(30, &disks), json!({})));
    assert_eq!(plan.groups.len(), 10);
    assert_sets_inside_triples(&plan);
    let vmstore = plan.volumes.iter().find(|v| v.name == "vmstore").unwrap();
    assert!(
        vmstore
            .sizing
            .as_deref()
            .unwrap()
            .contains("whole replica sets"),
        "{:?}",
        vmstore.sizing
    );
    let codes = codes(&plan);
    assert!(!codes.contains(&"W116".to_owned()), "{codes:?}");
    let capacity = plan.capacity;
    assert!(capacity.usable_bytes as f64 >= 0.98 * capacity.grouped_bound_bytes.unwrap() as f64);
}

#[test]
fn expansion_refuses_to_break_the_triples() {
    use hvp_core::layout::expand::{generate as expand_generate, ExpandOptions};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expand");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let recorded = read("plan-3nodes.json");
    let mut facts = read("facts-4nodes.json");
    let options = ExpandOptions::default();
    assert!(expand_generate(&recorded, &facts, OutputFormat::Commands, &[], &options).is_ok());
    facts["vars"]["hvp_layout_grouped"] = json!(true);
    let text = expand_generate(&recorded, &facts, OutputFormat::Commands, &[], &options)
        .map(|(text, _)| text)
        .expect_err("a grouped expansion is refused")
        .to_string();
    assert!(
        text.contains("E013") && text.contains("variable hvp_layout_grouped"),
        "{text}"
    );
}

#[test]
fn weakest_keeps_role_arbiter_nodes_as_arbiters_and_ignores_the_dedicated_count() {
    // n1 is the strongest node but has role arbiter: it is the arbiter node of a triple; the
    // other triple's arbiter is the weakest remaining node (n6, one disk).
    let mut inventory = nodes(5, &three_disks());
    inventory.push(node("n6", &[("sdb", TB4)]));
    inventory[0] = with(
        node("n1", &[("sdb", TB8), ("sdc", TB8)]),
        "role",
        json!("arbiter"),
    );
    let plan = plan(&grouped(
        inventory,
        json!({"hvp_arbiter_placement": "weakest", "hvp_arbiter_dedicated_nodes": 3}),
    ));
    assert_sets_inside_triples(&plan);
    assert_eq!(
        spread_arbiter_nodes(&plan),
        ["n1", "n6"].map(String::from).into()
    );
    assert_eq!(
        spread_data_nodes(&plan),
        ["n2", "n3", "n4", "n5"].map(String::from).into()
    );
    // Triple 1: the two strongest data nodes (n2 and n3: equal, the earlier in inventory is
    // the stronger) with the weakest arbiter node (n6); triple 2: the rest with n1.
    assert_eq!(
        plan.groups,
        names(&[&["n2", "n3", "n6"], &["n1", "n4", "n5"]])
    );
}
