//! The streamed output (`gdeploy_gen::render_into`, what `hvp-gdeploy-gen -o` writes) is byte
//! for byte the output of `generate` (what the module returns), for every format, on the
//! examples and on a cluster large enough for whole-set sharing.

use hvp_core::gdeploy_gen::{generate, plan_for, render_into, OutputFormat};
use serde_json::{json, Value};

const SIZES: [u64; 4] = [
    2_000_398_934_016,
    4_000_787_030_016,
    8_001_563_222_016,
    12_000_138_625_024,
];

fn synthetic(nodes: usize, disks: usize) -> Value {
    let letters = b"bcdefghijklmnopqrstuvwxyz";
    json!({
        "nodes": (0..nodes).map(|n| json!({
            "name": format!("node{n}.gluster.private"),
            "hvp_free_disks": (0..disks).map(|d| json!({
                "name": format!("sd{}", letters[d] as char),
                "size": SIZES[(n + d) % SIZES.len()]})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "vars": {"hvp_layout_policy": "balanced"},
    })
}

fn example(name: &str) -> Value {
    let path = format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut facts: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    facts["vars"]["hvp_layout_policy"] = json!("balanced");
    facts
}

fn same_bytes(facts: &Value) {
    for (format, name) in OutputFormat::ALL {
        let Ok(generated) = generate(facts, format) else {
            assert!(plan_for(facts, format, None).is_err(), "{name}");
            continue;
        };
        let plan = plan_for(facts, format, None).unwrap_or_else(|r| panic!("{name}: {r}"));
        let mut streamed = Vec::new();
        render_into(&plan, format, &mut streamed).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            String::from_utf8(streamed).unwrap_or_default(),
            generated.output,
            "{name}"
        );
    }
}

#[test]
fn streamed_output_is_the_generated_output_on_the_examples() {
    same_bytes(&example("facts-6nodes.json"));
    same_bytes(&example("facts-mixed.json"));
    same_bytes(&example("facts-3nodes.json"));
}

#[test]
fn streamed_output_is_the_generated_output_on_a_whole_set_cluster() {
    let facts = synthetic(40, 8);
    let plan = plan_for(&facts, OutputFormat::Json, None).unwrap_or_else(|r| panic!("{r}"));
    assert!(
        plan.volumes.iter().any(|v| v
            .sizing
            .as_deref()
            .is_some_and(|s| s.contains("whole replica sets"))),
        "the cluster is large enough for whole-set sharing"
    );
    same_bytes(&facts);
}
