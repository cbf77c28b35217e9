//! Invariants of the compat planner on random 1- and 3-node inventories.

use hvp_core::facts::FactsDocument;
use hvp_core::gdeploy_gen::{generate, plan_layout, OutputFormat};
use hvp_core::layout::{LayoutPlan, LvItem, NodeRole};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const NAMES: &[&str] = &[
    "sdb", "sdc", "sdd", "sde", "sdf", "sdaa", "vdb", "nvme0n1", "nvme10n1",
];
const SIZES: &[u64] = &[
    1_000_204_886_016,
    2_000_398_934_016,
    4_000_787_030_016,
    8_001_563_222_016,
];

fn disks() -> impl Strategy<Value = Vec<(String, u64)>> {
    proptest::sample::subsequence(NAMES, 1..=6).prop_flat_map(|names| {
        let count = names.len();
        (
            Just(names),
            proptest::collection::vec(proptest::sample::select(SIZES), count),
        )
            .prop_map(|(names, sizes)| {
                names
                    .into_iter()
                    .map(str::to_owned)
                    .zip(sizes)
                    .collect::<Vec<_>>()
            })
    })
}

fn inventory() -> impl Strategy<Value = (Vec<Vec<(String, u64)>>, bool)> {
    (prop_oneof![Just(1usize), Just(3usize)], any::<bool>())
        .prop_flat_map(|(count, vdo)| (proptest::collection::vec(disks(), count), Just(vdo)))
}

fn facts(nodes: &[Vec<(String, u64)>], vdo: bool) -> Value {
    json!({
        "nodes": nodes.iter().enumerate().map(|(i, disks)| json!({
            "name": format!("node{i}.gluster.private"),
            "hvp_free_disks": disks.iter().map(|(n, s)| json!({"name": n, "size": s})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "vars": {"hvp_use_vdo": vdo},
    })
}

fn plan(facts: &Value) -> LayoutPlan {
    plan_layout(&FactsDocument::from_value(facts).unwrap()).unwrap()
}

proptest! {
    #[test]
    fn no_disk_is_used_twice_on_a_node((nodes, vdo) in inventory()) {
        let plan = plan(&facts(&nodes, vdo));
        for node in &plan.nodes {
            let used: Vec<&str> = node.volume_groups.iter().flat_map(|vg| vg.disks.iter().map(String::as_str)).collect();
            let unique: BTreeSet<&str> = used.iter().copied().collect();
            prop_assert_eq!(used.len(), unique.len());
            for disk in &used {
                prop_assert!(node.disks.iter().any(|d| d.name == *disk && d.usage.is_some()));
            }
        }
    }

    #[test]
    fn every_volume_has_one_brick_per_node((nodes, vdo) in inventory()) {
        let plan = plan(&facts(&nodes, vdo));
        for volume in &plan.volumes {
            let hosts: Vec<&str> = volume.bricks().map(|b| b.node.as_str()).collect();
            let expected: Vec<&str> = plan.nodes.iter().map(|n| n.name.as_str()).collect();
            prop_assert_eq!(hosts, expected);
            prop_assert_eq!(volume.replica_sets.len(), 1);
            for brick in volume.bricks() {
                prop_assert!(!brick.logical_volume.is_empty());
                prop_assert!(!brick.volume_group.is_empty());
            }
        }
    }

    #[test]
    fn arbiter_bricks_only_on_the_arbiter_node((nodes, vdo) in inventory()) {
        let plan = plan(&facts(&nodes, vdo));
        for volume in &plan.volumes {
            for brick in volume.bricks() {
                let node = plan.nodes.iter().find(|n| n.name == brick.node).unwrap();
                if brick.arbiter {
                    prop_assert_eq!(node.role, NodeRole::Arbiter);
                }
            }
        }
        for node in plan.nodes.iter().filter(|n| n.role == NodeRole::Arbiter) {
            prop_assert!(node.vdo_devices.is_empty());
        }
    }

    #[test]
    fn every_thin_lv_has_a_pool_created_before_it((nodes, vdo) in inventory()) {
        let plan = plan(&facts(&nodes, vdo));
        for node in &plan.nodes {
            let mut pools = BTreeSet::new();
            for (group, item) in node.creation_order() {
                match item {
                    LvItem::Pool(_) => prop_assert!(pools.insert(group.name.clone())),
                    LvItem::Volume(lv) if lv.thin_pool.is_some() => prop_assert!(pools.contains(&group.name)),
                    LvItem::Volume(_) => {}
                }
            }
        }
    }

    #[test]
    fn output_does_not_depend_on_disk_order((nodes, vdo) in inventory(), seed in any::<u64>()) {
        let shuffled: Vec<Vec<(String, u64)>> = nodes.iter().map(|disks| {
            let mut disks = disks.clone();
            // A deterministic shuffle driven by the seed.
            let len = disks.len();
            for i in (1..len).rev() {
                let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 33) as usize % (i + 1);
                disks.swap(i, j);
            }
            disks
        }).collect();
        for format in [OutputFormat::Ini, OutputFormat::Json, OutputFormat::Table] {
            let original = generate(&facts(&nodes, vdo), format).unwrap().output;
            let reordered = generate(&facts(&shuffled, vdo), format).unwrap().output;
            prop_assert_eq!(original, reordered);
        }
    }
}
