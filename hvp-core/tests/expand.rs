//! Expansion of a recorded balanced plan: reviewed snapshots of every output for 3 → 4, 3 → 6
//! and new disks on old nodes; refusals (E012/E013/E020); properties on random expansions
//! (existing bricks never change, the merged plan keeps the balanced invariants, arbiter
//! fairness across old and new sets, expanding by nothing changes nothing).

mod common;

use hvp_core::drift::{Drift, DriftKind, RecordedPlan};
use hvp_core::facts::FactsDocument;
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_core::layout::expand::{expand, generate as expand_generate, ExpandOptions, Rebalance};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/expand");
const TB4: u64 = 4_000_787_030_016;

/// (node, volume group, logical volume) of an LV in a plan.
type LvKey = (String, String, String);
/// (size, thin pool, mount point) of an LV in a plan.
type LvFacts = (u64, Option<String>, Option<String>);

fn read(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn recorded() -> Value {
    read("plan-3nodes.json")
}

fn output(facts: &str, format: OutputFormat) -> String {
    let (text, expansion) = expand_generate(
        &recorded(),
        &read(facts),
        format,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap();
    if format == OutputFormat::Json {
        // The merged plan is the recorded plan plus the additions: snapshot the additions.
        return serde_json::to_string_pretty(&expansion).unwrap();
    }
    text
}

macro_rules! snapshots {
    ($($name:ident: $facts:expr, $format:expr;)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(output($facts, $format));
        }
    )*};
}

snapshots! {
    three_to_four_commands: "facts-4nodes.json", OutputFormat::Commands;
    three_to_four_ini: "facts-4nodes.json", OutputFormat::Ini;
    three_to_four_gluster_ansible: "facts-4nodes.json", OutputFormat::GlusterAnsible;
    three_to_four_table: "facts-4nodes.json", OutputFormat::Table;
    three_to_four_json: "facts-4nodes.json", OutputFormat::Json;
    three_to_six_commands: "facts-6nodes.json", OutputFormat::Commands;
    three_to_six_ini: "facts-6nodes.json", OutputFormat::Ini;
    three_to_six_gluster_ansible: "facts-6nodes.json", OutputFormat::GlusterAnsible;
    three_to_six_table: "facts-6nodes.json", OutputFormat::Table;
    three_to_six_json: "facts-6nodes.json", OutputFormat::Json;
    new_disks_commands: "facts-3nodes-new-disks.json", OutputFormat::Commands;
    new_disks_ini: "facts-3nodes-new-disks.json", OutputFormat::Ini;
    new_disks_gluster_ansible: "facts-3nodes-new-disks.json", OutputFormat::GlusterAnsible;
    new_disks_table: "facts-3nodes-new-disks.json", OutputFormat::Table;
    new_disks_json: "facts-3nodes-new-disks.json", OutputFormat::Json;
    ssd_raid_commands: "facts-4nodes-ssd-raid.json", OutputFormat::Commands;
    ssd_raid_ini: "facts-4nodes-ssd-raid.json", OutputFormat::Ini;
    ssd_raid_gluster_ansible: "facts-4nodes-ssd-raid.json", OutputFormat::GlusterAnsible;
    ssd_raid_table: "facts-4nodes-ssd-raid.json", OutputFormat::Table;
    ssd_raid_json: "facts-4nodes-ssd-raid.json", OutputFormat::Json;
}

fn codes(
    result: Result<(String, hvp_core::layout::expand::Expansion), hvp_core::report::Report>,
) -> Vec<String> {
    let report = result.expect_err("refused");
    report
        .problems()
        .iter()
        .map(|p| {
            p.message
                .rsplit('[')
                .next()
                .unwrap_or("")
                .trim_end_matches(']')
                .to_owned()
        })
        .collect()
}

#[test]
fn one_new_node_alone_or_one_new_disk_cannot_form_a_set() {
    for facts in ["facts-4nodes-alone.json", "facts-3nodes-one-new-disk.json"] {
        let result = expand_generate(
            &recorded(),
            &read(facts),
            OutputFormat::Commands,
            &[],
            &ExpandOptions::default(),
        );
        assert_eq!(codes(result), vec!["E013"], "{facts}");
    }
}

#[test]
fn a_node_missing_from_the_facts_or_a_bad_plan_is_refused() {
    let mut facts = read("facts-4nodes.json");
    facts["nodes"].as_array_mut().unwrap().remove(1);
    let result = expand_generate(
        &recorded(),
        &facts,
        OutputFormat::Commands,
        &[],
        &ExpandOptions::default(),
    );
    let report = result.err().unwrap();
    assert_eq!(report.problems()[0].subject, "node node1.gluster.private");
    assert!(report.problems()[0].message.ends_with("[E020]"));
    let old = json!({"format_version": 1});
    assert_eq!(
        codes(expand_generate(
            &old,
            &read("facts-4nodes.json"),
            OutputFormat::Json,
            &[],
            &ExpandOptions::default()
        )),
        vec!["E020"]
    );
}

#[test]
fn drift_stops_the_expansion_unless_ignored() {
    let drift = vec![Drift {
        kind: DriftKind::OptionMissing,
        node: None,
        object: "volume vmstore option network.ping-timeout".into(),
        expected: "10".into(),
        found: "not set".into(),
        fix: "gluster volume set vmstore network.ping-timeout 10".into(),
    }];
    let facts = read("facts-6nodes.json");
    let refused = expand_generate(
        &recorded(),
        &facts,
        OutputFormat::Commands,
        &drift,
        &ExpandOptions::default(),
    );
    assert_eq!(codes(refused), vec!["E020"]);
    let options = ExpandOptions {
        ignore_drift: true,
        rebalance: Rebalance::Full,
        ..ExpandOptions::default()
    };
    let (text, _) = expand_generate(
        &recorded(),
        &facts,
        OutputFormat::Commands,
        &drift,
        &options,
    )
    .unwrap();
    assert!(
        text.contains("\ngluster volume rebalance vmstore start\n"),
        "{text}"
    );
}

#[test]
fn expanding_by_nothing_changes_nothing() {
    let facts = read("facts-3nodes.json");
    let (json, expansion) = expand_generate(
        &recorded(),
        &facts,
        OutputFormat::Json,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap();
    assert!(expansion.is_empty());
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), recorded());
    let (commands, _) = expand_generate(
        &recorded(),
        &facts,
        OutputFormat::Commands,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap();
    assert!(
        commands.lines().all(|line| line.starts_with('#')),
        "{commands}"
    );
}

/// Every invariant of the balanced policy that expansion can touch, on the merged plan.
fn check_merged(recorded: &Value, merged: &Value) -> Result<(), String> {
    let plan = RecordedPlan::from_value(merged).map_err(|e| e.to_string())?;
    // Existing nodes, VGs, LVs, volumes, sets and bricks are kept byte for byte (prefixes).
    let old = RecordedPlan::from_value(recorded).map_err(|e| e.to_string())?;
    for (old_node, new_node) in old.nodes.iter().zip(&plan.nodes) {
        prop_assert_eq_str(&old_node.name, &new_node.name)?;
        for (old_vg, new_vg) in old_node.volume_groups.iter().zip(&new_node.volume_groups) {
            // Recorded pools stay as they are; use_free_space may only append new ones.
            if new_vg.thin_pools.get(..old_vg.thin_pools.len()) != Some(&old_vg.thin_pools[..])
                || old_vg.physical_volumes != new_vg.physical_volumes
                || old_vg.size_bytes != new_vg.size_bytes
            {
                return Err(format!("{}: VG {} changed", old_node.name, old_vg.name));
            }
            if new_vg.logical_volumes[..old_vg.logical_volumes.len()] != old_vg.logical_volumes[..]
            {
                return Err(format!(
                    "{}: an LV of {} changed",
                    old_node.name, old_vg.name
                ));
            }
        }
    }
    for (old_volume, new_volume) in old.volumes.iter().zip(&plan.volumes) {
        // Replica 2 → arbiter: each old set keeps its bricks and gains one arbiter at the end.
        let converted = (old_volume.replica.count, old_volume.replica.arbiter_count) == (2, 0)
            && (new_volume.replica.count, new_volume.replica.arbiter_count) == (3, 1);
        let sets_kept = old_volume
            .replica_sets
            .iter()
            .zip(&new_volume.replica_sets)
            .all(|(a, b)| {
                b.bricks.len() == a.bricks.len() + usize::from(converted)
                    && b.bricks[..a.bricks.len()] == a.bricks[..]
            })
            && new_volume.replica_sets.len() >= old_volume.replica_sets.len();
        if !sets_kept
            || old_volume.options != new_volume.options
            || (old_volume.replica != new_volume.replica && !converted)
        {
            return Err(format!("volume {} changed", old_volume.name));
        }
    }
    // Sets: 3 bricks on distinct nodes, one arbiter, last; bricks on LVs that exist.
    let mut lvs: BTreeMap<LvKey, LvFacts> = BTreeMap::new();
    for node in &plan.nodes {
        let mut mounts = BTreeSet::new();
        for vg in &node.volume_groups {
            for lv in &vg.logical_volumes {
                if lvs
                    .insert(
                        (node.name.clone(), vg.name.clone(), lv.name.clone()),
                        (lv.size_bytes, lv.thin_pool.clone(), lv.mount_point.clone()),
                    )
                    .is_some()
                {
                    return Err(format!("{}: LV {}/{} twice", node.name, vg.name, lv.name));
                }
                if !mounts.insert(lv.mount_point.clone()) {
                    return Err(format!(
                        "{}: mount point {:?} twice",
                        node.name, lv.mount_point
                    ));
                }
            }
            // No thin overcommit.
            for pool in &vg.thin_pools {
                let virtual_bytes: u64 = vg
                    .logical_volumes
                    .iter()
                    .filter(|lv| lv.thin_pool.as_deref() == Some(pool.name.as_str()))
                    .map(|lv| lv.size_bytes)
                    .sum();
                if virtual_bytes > pool.size_bytes {
                    return Err(format!(
                        "{}: pool {}/{} overcommitted",
                        node.name, vg.name, pool.name
                    ));
                }
            }
        }
        // Every VG holds its pools (data, metadata and one spare metadata copy) and thick LVs.
        for vg in &node.volume_groups {
            if vg.allocated_bytes() > vg.size_bytes {
                return Err(format!("{}: VG {} over-allocated", node.name, vg.name));
            }
        }
        let used: Vec<&str> = node
            .volume_groups
            .iter()
            .flat_map(|vg| vg.physical_volumes.iter().map(String::as_str))
            .collect();
        if used.iter().collect::<BTreeSet<_>>().len() != used.len() {
            return Err(format!("{}: a disk used twice", node.name));
        }
    }
    for volume in &plan.volumes {
        for (index, set) in volume.replica_sets.iter().enumerate() {
            let bricks: Vec<(&str, bool)> = set
                .bricks
                .iter()
                .map(|b| (b.node.as_str(), b.arbiter))
                .collect();
            if let Some(problem) = common::balanced::set_shape_problem(
                &format!("{} set {}", volume.name, index + 1),
                volume.replica.count,
                volume.replica.arbiter_count == 1,
                &bricks,
            ) {
                return Err(problem);
            }
            for brick in &set.bricks {
                let key = (
                    brick.node.clone(),
                    brick.volume_group.clone().unwrap_or_default(),
                    brick.logical_volume.clone().unwrap_or_default(),
                );
                let Some((size, _, mount)) = lvs.get(&key) else {
                    return Err(format!(
                        "{} set {}: brick {}:{} has no LV",
                        volume.name,
                        index + 1,
                        brick.node,
                        brick.directory
                    ));
                };
                if *size != brick.size_bytes
                    || !brick.directory.starts_with(mount.as_deref().unwrap_or("?"))
                {
                    return Err(format!(
                        "{} set {}: brick {} differs from its LV",
                        volume.name,
                        index + 1,
                        brick.directory
                    ));
                }
            }
            let data: BTreeSet<u64> = set
                .bricks
                .iter()
                .filter(|b| !b.arbiter)
                .map(|b| b.size_bytes)
                .collect();
            if data.len() != 1 {
                return Err(format!(
                    "{} set {}: data members of different sizes",
                    volume.name,
                    index + 1
                ));
            }
        }
    }
    Ok(())
}

fn prop_assert_eq_str(a: &str, b: &str) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err(format!("{a} != {b}"))
    }
}

/// Per growing volume, the arbiter bricks of the NEW sets are spread within the fairness
/// bound over the nodes that could take them, counting the old arbiters: no node holds more
/// than ⌈S/A⌉ + its old count.
fn check_fairness(recorded: &Value, merged: &Value) -> Result<(), String> {
    let old = RecordedPlan::from_value(recorded).unwrap();
    let plan = RecordedPlan::from_value(merged).unwrap();
    for (old_volume, volume) in old.volumes.iter().zip(&plan.volumes) {
        if volume.replica.arbiter_count == 0 {
            continue;
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for set in &volume.replica_sets {
            for brick in set.bricks.iter().filter(|b| b.arbiter) {
                *counts.entry(brick.node.as_str()).or_default() += 1;
            }
        }
        let sets = volume.replica_sets.len();
        // Nodes that can take an arbiter of a new set: not a data member of every new set.
        let new_sets = &volume.replica_sets[old_volume.replica_sets.len()..];
        let eligible = plan
            .nodes
            .iter()
            .filter(|node| {
                !new_sets
                    .iter()
                    .all(|set| set.bricks.iter().any(|b| !b.arbiter && b.node == node.name))
            })
            .count()
            .max(1);
        let bound =
            sets.div_ceil(eligible) + old_volume.replica_sets.len().div_ceil(old.nodes.len());
        if let Some((node, count)) = counts.iter().find(|(_, &c)| c > bound) {
            return Err(format!(
                "{}: {node} holds {count} arbiters, bound {bound}",
                volume.name
            ));
        }
    }
    Ok(())
}

#[test]
fn the_snapshot_scenarios_keep_every_invariant() {
    for facts in [
        "facts-4nodes.json",
        "facts-6nodes.json",
        "facts-3nodes-new-disks.json",
        "facts-4nodes-ssd-raid.json",
    ] {
        let document = FactsDocument::parse_lenient(&read(facts)).0;
        let expansion = expand(&recorded(), &document, &[], &ExpandOptions::default()).unwrap();
        check_merged(&recorded(), &expansion.merged).unwrap_or_else(|e| panic!("{facts}: {e}"));
        check_fairness(&recorded(), &expansion.merged).unwrap_or_else(|e| panic!("{facts}: {e}"));
    }
}

#[test]
fn a_merged_plan_expands_again() {
    let document = FactsDocument::parse_lenient(&read("facts-4nodes.json")).0;
    let first = expand(&recorded(), &document, &[], &ExpandOptions::default()).unwrap();
    let document = FactsDocument::parse_lenient(&read("facts-6nodes.json")).0;
    let mut facts6 = document;
    facts6.nodes[0].free_disks.push(
        hvp_core::facts::FactsDocument::parse_lenient(&read("facts-4nodes.json"))
            .0
            .nodes[0]
            .free_disks[2]
            .clone(),
    );
    let second = expand(&first.merged, &facts6, &[], &ExpandOptions::default()).unwrap();
    check_merged(&first.merged, &second.merged).unwrap();
    check_merged(&recorded(), &second.merged).unwrap();
}

/// `extras[i]` of new node i: (an NVMe next to its disks, RAID6 geometry for its disks).
fn random_facts_with(
    new_nodes: &[Vec<u64>],
    old_new_disks: &[Vec<u64>],
    extras: &[(bool, bool)],
) -> Value {
    let mut facts = read("facts-3nodes.json");
    let nodes = facts["nodes"].as_array_mut().unwrap();
    for (index, disks) in old_new_disks.iter().enumerate() {
        let list = nodes[index]["hvp_free_disks"].as_array_mut().unwrap();
        for (k, size) in disks.iter().enumerate() {
            list.push(json!({"name": format!("sd{}", (b'd' + k as u8) as char), "size": size, "rotational": true}));
        }
    }
    for (index, disks) in new_nodes.iter().enumerate() {
        let mut node = json!({
            "name": format!("new{index}.gluster.private"),
            "hvp_free_disks": disks.iter().enumerate().map(|(k, size)| json!({
                "name": format!("sd{}", (b'b' + k as u8) as char), "size": size, "rotational": true
            })).collect::<Vec<_>>(),
        });
        let (ssd, raid) = extras.get(index).copied().unwrap_or_default();
        if ssd {
            node["hvp_free_ssds"] =
                json!([{"name": "nvme0n1", "size": 960_197_124_096u64, "rotational": false}]);
        }
        if raid {
            node["raid"] = json!({"level": "raid6", "disks": 8, "stripe_unit": "64KiB"});
        }
        nodes.push(node);
    }
    facts
}

fn disk_sizes() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(
        prop_oneof![
            Just(TB4),
            Just(TB4 / 2),
            Just(2 * TB4),
            Just(960_197_124_096u64)
        ],
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_expansions_only_add_and_keep_the_invariants(
        new_nodes in prop::collection::vec(disk_sizes(), 0..5),
        old_new_disks in prop::collection::vec(prop::collection::vec(prop_oneof![Just(TB4), Just(TB4 / 2)], 0..2), 3),
        extras in prop::collection::vec((any::<bool>(), any::<bool>()), 5),
    ) {
        // New nodes may bring an NVMe (LV cache of their new pools) and RAID6 geometry.
        let facts = random_facts_with(&new_nodes, &old_new_disks, &extras);
        let document = FactsDocument::parse_lenient(&facts).0;
        match expand(&recorded(), &document, &[], &ExpandOptions::default()) {
            Ok(expansion) => {
                check_merged(&recorded(), &expansion.merged).map_err(TestCaseError::fail)?;
                // Beyond the fair share only with a W102 naming the volume and node (the
                // other nodes had no room).
                if let Err(unfair) = check_fairness(&recorded(), &expansion.merged) {
                    let (volume, node) = unfair.split_once(": ").map(|(v, rest)| (v, rest.split(' ').next().unwrap_or(""))).unwrap();
                    prop_assert!(
                        expansion.warnings.iter().any(|w| w.starts_with(&format!("{volume}: {node} ")) && w.ends_with("[W102]")),
                        "{unfair} without W102: {:?}", expansion.warnings
                    );
                }
                prop_assert!(hvp_core::layout::expand::untouched(&recorded(), &expansion.merged).is_empty());
                if new_nodes.is_empty() && old_new_disks.iter().all(Vec::is_empty) {
                    prop_assert_eq!(&expansion.merged, &recorded());
                }
            }
            Err(report) => {
                for problem in report.problems() {
                    prop_assert!(problem.message.ends_with("[E013]"), "{}", problem);
                }
            }
        }
    }
}

#[test]
fn the_balanced_generator_plan_is_the_recorded_fixture() {
    // plan-3nodes.json is `hvp-gdeploy-gen --format json facts-3nodes.json`; regenerate it
    // when the balanced policy changes (the expansion snapshots then change too).
    let generated = generate(&read("facts-3nodes.json"), OutputFormat::Json)
        .unwrap()
        .output;
    assert_eq!(
        serde_json::from_str::<Value>(&generated).unwrap(),
        recorded()
    );
}

fn grown(recorded: &Value, facts: &str, grow: &[(&str, &str)]) -> BTreeMap<String, u64> {
    let options = ExpandOptions {
        grow: grow
            .iter()
            .map(|(v, s)| ((*v).to_owned(), (*s).to_owned()))
            .collect(),
        ..ExpandOptions::default()
    };
    let document = FactsDocument::parse_lenient(&read(facts)).0;
    let expansion = expand(recorded, &document, &[], &options).unwrap();
    check_merged(recorded, &expansion.merged).unwrap();
    expansion
        .volumes
        .iter()
        .map(|v| (v.volume.clone(), v.added_bytes))
        .collect()
}

fn without_demands() -> Value {
    read("plan-3nodes-without-demands.json")
}

#[test]
fn recorded_demands_grow_percentages_and_weights_not_fixed_sizes() {
    let added = grown(&recorded(), "facts-4nodes.json", &[]);
    // blockshare (fixed 500 GiB) keeps its size; winshare/unixshare 10 % each; vmstore and
    // backup share the rest 3:1.
    assert!(!added.contains_key("blockshare"), "{added:?}");
    let total: u64 = added.values().sum();
    let percent = |v: &str| added[v] as f64 / total as f64;
    assert!((percent("winshare") - 0.10).abs() < 0.001, "{added:?}");
    assert!((percent("unixshare") - 0.10).abs() < 0.001, "{added:?}");
    let ratio = added["vmstore"] as f64 / added["backup"] as f64;
    assert!((ratio - 3.0).abs() < 0.001, "{added:?}");
}

#[test]
fn a_plan_recorded_without_demands_still_grows_in_proportion_to_today() {
    let plan = RecordedPlan::from_value(&without_demands()).unwrap();
    assert!(plan.volumes.iter().all(|v| v.demand.is_none()));
    let added = grown(&without_demands(), "facts-4nodes.json", &[]);
    // The heuristic: every arbitrated volume but engine/ctdb/iso, as today's usable bytes.
    assert_eq!(
        added.keys().map(String::as_str).collect::<Vec<_>>(),
        ["backup", "blockshare", "unixshare", "vmstore", "winshare"]
    );
    let ratio = added["vmstore"] as f64 / added["blockshare"] as f64;
    let before = |name: &str| {
        plan.volumes
            .iter()
            .find(|v| v.name == name)
            .map(hvp_core::layout::expand::growth::usable)
            .unwrap() as f64
    };
    assert!((ratio - before("vmstore") / before("blockshare")).abs() < 0.01);
}

#[test]
fn grow_gives_exactly_the_listed_volumes_their_sizes() {
    const GIB: u64 = 1 << 30;
    for plan in [recorded(), without_demands()] {
        let added = grown(
            &plan,
            "facts-4nodes.json",
            &[("vmstore", "1TiB"), ("blockshare", "200GiB")],
        );
        assert_eq!(added.len(), 2, "{added:?}");
        // Each new set's share is rounded down to whole extents: at most 4 MiB per set less.
        assert!(added["vmstore"] <= 1024 * GIB && added["vmstore"] > 1024 * GIB - (16 << 20));
        assert!(added["blockshare"] <= 200 * GIB && added["blockshare"] > 200 * GIB - (16 << 20));
    }
    // `rest` shares what the sizes leave.
    let added = grown(
        &recorded(),
        "facts-4nodes.json",
        &[("winshare", "100GiB"), ("backup", "rest")],
    );
    assert!(added["backup"] > 3000 * GIB, "{added:?}");
}

#[test]
fn grow_refuses_unknown_volumes_bad_sizes_and_too_much_at_once() {
    let document = FactsDocument::parse_lenient(&read("facts-4nodes.json")).0;
    let options = |pairs: &[(&str, &str)]| ExpandOptions {
        grow: pairs
            .iter()
            .map(|(v, s)| ((*v).to_owned(), (*s).to_owned()))
            .collect(),
        ..ExpandOptions::default()
    };
    let report = expand(
        &recorded(),
        &document,
        &[],
        &options(&[("vmstor", "1TiB"), ("backup", "lots"), ("engine", "1TiB")]),
    )
    .unwrap_err();
    let text = report.to_string();
    assert!(text.contains("did you mean 'vmstore'?"), "{text}");
    assert!(text.contains("'lots' is not a size"), "{text}");
    assert!(
        text.contains("engine") && text.contains("cannot grow"),
        "{text}"
    );
    assert_eq!(report.problems().len(), 3, "{text}");
    let report = expand(
        &recorded(),
        &document,
        &[],
        &options(&[("vmstore", "100TiB")]),
    )
    .unwrap_err();
    assert!(report.to_string().contains("[E004]"), "{report}");
}

#[test]
fn the_cli_and_the_module_option_grow_the_same() {
    // Same code path: the option map reaches `expand` unchanged; the bytes of every format
    // are those of generate().
    let facts = read("facts-4nodes.json");
    let options = ExpandOptions {
        grow: [("vmstore".to_owned(), "1TiB".to_owned())].into(),
        ..ExpandOptions::default()
    };
    let (commands, _) =
        expand_generate(&recorded(), &facts, OutputFormat::Commands, &[], &options).unwrap();
    assert!(commands.contains("gluster volume add-brick vmstore"));
    assert!(!commands.contains("add-brick backup"), "{commands}");
}

#[test]
fn new_ssds_cache_the_new_pools_and_raid_geometry_aligns_them() {
    let document = FactsDocument::parse_lenient(&read("facts-4nodes-ssd-raid.json")).0;
    let expansion = expand(&recorded(), &document, &[], &ExpandOptions::default()).unwrap();
    let node0 = &expansion.hosts[0];
    let vg = &node0.volume_groups[0];
    // RAID6, 12 disks, su 128 KiB: k = 10, alignment and chunk 1280 KiB (spec §9 example).
    assert_eq!(vg.alignment.data_alignment_bytes, 1280 << 10);
    assert_eq!(vg.chunk_bytes, 1280 << 10);
    assert_eq!(
        (vg.alignment.stripe_unit_bytes, vg.alignment.data_disks),
        (128 << 10, 10)
    );
    let cache = vg.cache.as_ref().expect("sde caches the new pool");
    assert_eq!(cache.device, "/dev/sde");
    assert_eq!(cache.mode, "writethrough");
    // The merged plan records the cache disk, its PV and the pool's cache.
    let merged = &expansion.merged["nodes"][0];
    let disks: Vec<&str> = merged["disks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["use"] == "cache")
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(disks, ["sde"]);
    let groups = merged["volume_groups"].as_array().unwrap();
    let new_group = groups
        .iter()
        .find(|g| g["name"] == "gluster_vg_sdd")
        .unwrap();
    assert_eq!(
        new_group["physical_volumes"],
        json!(["/dev/sdd", "/dev/sde"])
    );
    assert_eq!(new_group["thin_pools"][0]["cache"]["device"], "/dev/sde");
    // RAID10 node-wide on node3: 4 disks, su 256 KiB → k = 2, chunk = su.
    let node3 = expansion
        .hosts
        .iter()
        .find(|h| h.node.starts_with("node3"))
        .unwrap();
    assert_eq!(node3.volume_groups[0].alignment.data_disks, 2);
    assert_eq!(node3.volume_groups[0].chunk_bytes, 256 << 10);
}

#[test]
fn one_ssd_for_two_new_vgs_is_partitioned() {
    use hvp_core::layout::expand::backend::attach_caches;
    use hvp_core::layout::expand::NewVg;
    let vg = |disk: &str| NewVg {
        disk: disk.to_owned(),
        disk_bytes: TB4,
        name: format!("gluster_vg_{disk}"),
        device: format!("/dev/{disk}"),
        size_bytes: 4_000_783_007_744,
        pool: format!("gluster_thinpool_gluster_vg_{disk}"),
        pool_bytes: 3_862_270_312_448,
        pool_metadata_bytes: 16 << 30,
        chunk_bytes: 256 << 10,
        alignment: hvp_core::layout::balanced::raid::geometry(None).alignment,
        cache: None,
        cache_disk: None,
        existing_vg: false,
        vdo: None,
    };
    let mut vgs = vec![vg("sdb"), vg("sdc")];
    let document = FactsDocument::parse_lenient(&read("facts-4nodes-ssd-raid.json")).0;
    let ssd = document.nodes[3].free_ssds[0].clone();
    let mut storage = document.vars.storage;
    storage.cache_partition = true;
    let (partitions, unused) = attach_caches(&mut vgs, std::slice::from_ref(&ssd), &storage);
    assert!(unused.is_empty());
    assert_eq!(partitions.len(), 2);
    assert_eq!((partitions[0].1, partitions[0].2), (1, 1));
    assert_eq!(
        partitions[1].2,
        1 + partitions[0].3,
        "partition 2 starts where 1 ends"
    );
    assert_eq!(vgs[0].cache.as_ref().unwrap().device, "/dev/nvme0n1p1");
    assert_eq!(vgs[1].cache.as_ref().unwrap().device, "/dev/nvme0n1p2");
    storage.cache_partition = false;
    let mut vgs = vec![vg("sdb"), vg("sdc")];
    let (partitions, _) = attach_caches(&mut vgs, &[ssd], &storage);
    assert!(partitions.is_empty());
    assert!(
        vgs[1].cache.is_none(),
        "without partitions the second VG stays uncached"
    );
}

/// The recorded plan with 500 GiB of free extents in every node's second VG (a VG that was
/// given a bigger PV than its pool uses).
fn recorded_with_free_space() -> Value {
    let mut plan = recorded();
    for node in plan["nodes"].as_array_mut().unwrap() {
        let group = &mut node["volume_groups"][1];
        let size = group["size_bytes"].as_u64().unwrap();
        group["size_bytes"] = json!(size + (500u64 << 30));
    }
    plan
}

fn free_space_output(format: OutputFormat) -> String {
    let options = ExpandOptions {
        use_free_space: true,
        ..ExpandOptions::default()
    };
    expand_generate(
        &recorded_with_free_space(),
        &read("facts-3nodes.json"),
        format,
        &[],
        &options,
    )
    .unwrap()
    .0
}

#[test]
fn free_space_commands() {
    insta::assert_snapshot!(free_space_output(OutputFormat::Commands));
}

#[test]
fn free_space_table() {
    insta::assert_snapshot!(free_space_output(OutputFormat::Table));
}

#[test]
fn free_extents_become_new_pools_never_resized_lvs() {
    let plan = recorded_with_free_space();
    let document = FactsDocument::parse_lenient(&read("facts-3nodes.json")).0;
    // Off by default: nothing to add.
    let off = expand(&plan, &document, &[], &ExpandOptions::default()).unwrap();
    assert!(off.is_empty());
    assert_eq!(off.merged, plan);
    let options = ExpandOptions {
        use_free_space: true,
        ..ExpandOptions::default()
    };
    let on = expand(&plan, &document, &[], &options).unwrap();
    assert!(!on.is_empty());
    check_merged(&plan, &on.merged).unwrap();
    assert!(hvp_core::layout::expand::untouched(&plan, &on.merged).is_empty());
    for host in &on.hosts {
        assert!(host.volume_groups.iter().all(|vg| vg.existing_vg
            && vg.name == "gluster_vg_sdc"
            && vg.pool == "gluster_thinpool_gluster_vg_sdc_2"));
        // The pool fits the free extents (data + metadata + its spare).
        let vg = &host.volume_groups[0];
        assert!(vg.pool_bytes + 2 * vg.pool_metadata_bytes <= 500 << 30);
    }
    let commands = free_space_output(OutputFormat::Commands);
    assert!(!commands.contains("pvcreate") && !commands.contains("vgcreate"));
    assert!(!commands.contains("lvextend") && !commands.contains("lvresize"));
    // The merged plan records the new pool next to the old one, LVs appended.
    let group = &on.merged["nodes"][0]["volume_groups"][1];
    assert_eq!(group["thin_pools"].as_array().unwrap().len(), 2);
    // The same plan without free space stays untouched even with the option.
    let full = expand(&recorded(), &document, &[], &options).unwrap();
    assert!(full.is_empty());
}

/// The recorded plan with winshare as a replica-2 volume (its arbiter bricks and their LVs
/// taken out), as an older cluster would have it.
fn recorded_replica2() -> Value {
    let mut plan = recorded();
    let mut arbiters: Vec<(String, String)> = Vec::new();
    for volume in plan["volumes"].as_array_mut().unwrap() {
        if volume["name"] != "winshare" {
            continue;
        }
        volume["replica"] = json!({"count": 2, "arbiter_count": 0});
        for set in volume["replica_sets"].as_array_mut().unwrap() {
            let bricks = set["bricks"].as_array_mut().unwrap();
            for brick in bricks.iter().filter(|b| b["arbiter"] == true) {
                arbiters.push((
                    brick["node"].as_str().unwrap().to_owned(),
                    brick["logical_volume"].as_str().unwrap().to_owned(),
                ));
            }
            bricks.retain(|b| b["arbiter"] != true);
        }
    }
    for node in plan["nodes"].as_array_mut().unwrap() {
        let name = node["name"].as_str().unwrap().to_owned();
        for group in node["volume_groups"].as_array_mut().unwrap() {
            group["logical_volumes"]
                .as_array_mut()
                .unwrap()
                .retain(|lv| {
                    !arbiters.contains(&(name.clone(), lv["name"].as_str().unwrap().to_owned()))
                });
        }
    }
    plan
}

fn replica2_output(facts: &str, format: OutputFormat) -> String {
    expand_generate(
        &recorded_replica2(),
        &read(facts),
        format,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap()
    .0
}

#[test]
fn replica2_commands() {
    insta::assert_snapshot!(replica2_output("facts-3nodes.json", OutputFormat::Commands));
}

#[test]
fn replica2_table() {
    insta::assert_snapshot!(replica2_output("facts-3nodes.json", OutputFormat::Table));
}

#[test]
fn replica2_ini() {
    insta::assert_snapshot!(replica2_output("facts-3nodes.json", OutputFormat::Ini));
}

#[test]
fn replica2_volumes_get_one_arbiter_per_set_outside_it() {
    let plan = recorded_replica2();
    let old = RecordedPlan::from_value(&plan).unwrap();
    let winshare = old.volumes.iter().find(|v| v.name == "winshare").unwrap();
    for facts in [
        "facts-3nodes.json",
        "facts-4nodes.json",
        "facts-6nodes.json",
    ] {
        let document = FactsDocument::parse_lenient(&read(facts)).0;
        let expansion = expand(&plan, &document, &[], &ExpandOptions::default()).unwrap();
        check_merged(&plan, &expansion.merged).unwrap_or_else(|e| panic!("{facts}: {e}"));
        assert!(hvp_core::layout::expand::untouched(&plan, &expansion.merged).is_empty());
        let conversion = &expansion.conversions[0];
        assert_eq!(conversion.volume, "winshare");
        assert_eq!(conversion.bricks.len(), winshare.replica_sets.len());
        for (set, brick) in winshare.replica_sets.iter().zip(&conversion.bricks) {
            assert!(brick.arbiter);
            assert!(
                set.bricks.iter().all(|b| b.node != brick.node),
                "{facts}: arbiter inside its set"
            );
            // The file-count formula on the set's data brick (winshare: 256 KiB files).
            let data = set.bricks.iter().map(|b| b.size_bytes).min().unwrap();
            assert_eq!(
                brick.size_bytes,
                hvp_core::layout::balanced::arbiter::arbiter_bytes(data, 256 << 10, 1 << 30)
            );
        }
        // The merged plan says replica 3 arbiter 1 and is a valid recorded plan again:
        // expanding it by nothing changes nothing.
        let merged = RecordedPlan::from_value(&expansion.merged).unwrap();
        let converted = merged
            .volumes
            .iter()
            .find(|v| v.name == "winshare")
            .unwrap();
        assert_eq!(
            (converted.replica.count, converted.replica.arbiter_count),
            (3, 1)
        );
        let document = FactsDocument::parse_lenient(&read("facts-3nodes.json")).0;
        if facts == "facts-3nodes.json" {
            let again =
                expand(&expansion.merged, &document, &[], &ExpandOptions::default()).unwrap();
            assert!(again.is_empty());
        }
    }
    let commands = replica2_output("facts-4nodes.json", OutputFormat::Commands);
    let convert = commands
        .find("add-brick winshare replica 3 arbiter 1")
        .unwrap();
    let grow = commands.find("add-brick vmstore").unwrap();
    assert!(convert < grow, "conversion before the new sets");
}

fn vdo_output(format: OutputFormat) -> String {
    expand_generate(
        &read("plan-3nodes-vdo.json"),
        &read("facts-4nodes-vdo.json"),
        format,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap()
    .0
}

#[test]
fn vdo_commands() {
    insta::assert_snapshot!(vdo_output(OutputFormat::Commands));
}

#[test]
fn vdo_ini() {
    insta::assert_snapshot!(vdo_output(OutputFormat::Ini));
}

#[test]
fn vdo_gluster_ansible() {
    insta::assert_snapshot!(vdo_output(OutputFormat::GlusterAnsible));
}

#[test]
fn vdo_table() {
    insta::assert_snapshot!(vdo_output(OutputFormat::Table));
}

#[test]
fn a_plan_with_legacy_vdo_gets_vdo_under_its_new_disks() {
    // plan-3nodes-vdo.json is `hvp-gdeploy-gen --format json` of facts-3nodes.json with
    // hvp_vdo_mode: legacy (regenerate it with the balanced policy).
    let mut facts = read("facts-3nodes.json");
    facts["vars"]["hvp_vdo_mode"] = json!("legacy");
    let generated = generate(&facts, OutputFormat::Json).unwrap().output;
    let plan = read("plan-3nodes-vdo.json");
    assert_eq!(serde_json::from_str::<Value>(&generated).unwrap(), plan);
    let document = FactsDocument::parse_lenient(&read("facts-4nodes-vdo.json")).0;
    let expansion = expand(&plan, &document, &[], &ExpandOptions::default()).unwrap();
    check_merged(&plan, &expansion.merged).unwrap();
    assert!(hvp_core::layout::expand::untouched(&plan, &expansion.merged).is_empty());
    // 4 sets over 4 candidate nodes, the new set's arbiter on a node that has an old one:
    // W102 only (no "planned without VDO" warning).
    assert!(
        expansion.warnings.iter().all(|w| w.ends_with("[W102]")),
        "{:?}",
        expansion.warnings
    );
    let old_plan = RecordedPlan::from_value(&plan).unwrap();
    let merged = RecordedPlan::from_value(&expansion.merged).unwrap();
    for host in &expansion.hosts {
        for vg in &host.volume_groups {
            let vdo = vg.vdo.as_ref().expect("VDO under every new data disk");
            assert_eq!(vg.device, format!("/dev/mapper/{}", vdo.name));
            // The same sizes the balanced policy gives a VDO disk of that size in the plan
            // (its VDO class: the VG on /dev/mapper/vdo_*).
            let twin = old_plan.nodes[0]
                .volume_groups
                .iter()
                .find(|g| {
                    g.physical_volumes
                        .iter()
                        .any(|pv| pv.starts_with("/dev/mapper/vdo_"))
                })
                .unwrap();
            assert_eq!(vg.size_bytes, twin.size_bytes);
            assert_eq!(vg.pool_bytes, twin.thin_pools[0].size_bytes);
        }
        let node = merged.node(&host.node).unwrap();
        let old = old_plan.node(&host.node).map_or(0, |n| n.vdo_devices.len());
        assert_eq!(node.vdo_devices.len(), old + host.volume_groups.len());
    }
    // Without VDO in the recorded plan, none is added.
    let plain = expand(&recorded(), &document, &[], &ExpandOptions::default()).unwrap();
    assert!(plain
        .hosts
        .iter()
        .flat_map(|h| &h.volume_groups)
        .all(|vg| vg.vdo.is_none()));
}
