//! Small hand-made inventories for the balanced policy's rule tests.

use hvp_core::facts::FactsDocument;
use hvp_core::gdeploy_gen::{generate, plan_layout, OutputFormat};
use hvp_core::layout::{LayoutPlan, ReplicaSet, VolumePlan};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// A 4 TB disk, in bytes.
pub const TB4: u64 = 4_000_787_030_016;

/// A node of the facts document with the given free disks.
pub fn node(name: &str, disks: &[(&str, u64)]) -> Value {
    json!({"name": name,
           "hvp_free_disks": disks.iter().map(|(n, s)| json!({"name": n, "size": s})).collect::<Vec<_>>()})
}

/// `count` nodes `n1`… with the same disks.
pub fn nodes(count: usize, disks: &[(&str, u64)]) -> Vec<Value> {
    (1..=count).map(|i| node(&format!("n{i}"), disks)).collect()
}

/// A facts document of the balanced policy.
pub fn facts(nodes: Vec<Value>, vars: Value) -> Value {
    let mut vars = vars;
    vars["hvp_layout_policy"] = json!("balanced");
    json!({"nodes": nodes, "vars": vars})
}

/// The plan of `facts`; panics with the report when it is refused.
pub fn plan(facts: &Value) -> LayoutPlan {
    plan_layout(&FactsDocument::from_value(facts).unwrap_or_else(|r| panic!("{r}")))
        .unwrap_or_else(|r| panic!("{r}"))
}

/// The report of a refused `facts`.
pub fn error(facts: &Value) -> String {
    generate(facts, OutputFormat::Json)
        .map(|g| g.output)
        .expect_err("must be refused")
        .to_string()
}

/// The warning codes of a plan, in order.
pub fn codes(plan: &LayoutPlan) -> Vec<String> {
    plan.warnings.iter().map(|w| w.code.clone()).collect()
}

/// Three 4 TB disks `sdb`, `sdc`, `sdd`.
pub fn three_disks() -> Vec<(&'static str, u64)> {
    vec![("sdb", TB4), ("sdc", TB4), ("sdd", TB4)]
}

/// What is wrong with the shape of one replica set, if anything: `bricks` as (node, arbiter)
/// in Gluster order must sit on distinct nodes, be `count` (the volume's replica count), and
/// in an arbiter volume hold exactly one arbiter, the last brick (Gluster takes the last brick
/// of a set as its arbiter); other volumes hold none. `subject` names the set in the message.
pub fn set_shape_problem(
    subject: &str,
    count: u32,
    arbitrated: bool,
    bricks: &[(&str, bool)],
) -> Option<String> {
    let nodes: BTreeSet<&str> = bricks.iter().map(|&(node, _)| node).collect();
    if nodes.len() != bricks.len() {
        return Some(format!("{subject}: members not on distinct nodes"));
    }
    if bricks.len() != count as usize {
        return Some(format!(
            "{subject}: {} bricks for replica {count}",
            bricks.len()
        ));
    }
    let arbiters: Vec<usize> = bricks
        .iter()
        .enumerate()
        .filter(|(_, &(_, arbiter))| arbiter)
        .map(|(i, _)| i)
        .collect();
    let expected: Vec<usize> = if arbitrated {
        vec![bricks.len() - 1]
    } else {
        Vec::new()
    };
    (arbiters != expected)
        .then(|| format!("{subject}: arbiter bricks at {arbiters:?}, expected {expected:?}"))
}

/// [`set_shape_problem`] for a set of a planned volume.
pub fn plan_set_problem(volume: &VolumePlan, number: usize, set: &ReplicaSet) -> Option<String> {
    let bricks: Vec<(&str, bool)> = set
        .bricks
        .iter()
        .map(|b| (b.node.as_str(), b.arbiter))
        .collect();
    set_shape_problem(
        &format!("{} set {}", volume.name, number + 1),
        volume.replica.count,
        volume.replica.arbiter_count == 1,
        &bricks,
    )
}
