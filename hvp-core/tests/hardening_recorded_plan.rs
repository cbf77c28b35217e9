//! Regression tests of issue 11 (item 4) for the recorded storage plan read by drift,
//! teardown and expansion (`hvp-gdeploy-gen --existing`, `hvp-teardown`, `hvp_storage_drift`):
//! a plan that does not parse, names with control characters, sizes beyond bounds, names
//! outside their validators, no Rust type names.

use hvp_core::drift::RecordedPlan;
use hvp_core::gdeploy_gen::OutputFormat;
use hvp_core::layout::expand::{generate, ExpandOptions};
use serde_json::{json, Value};

const PLAN: &str = include_str!("fixtures/expand/plan-3nodes.json");
const FACTS: &str = include_str!("fixtures/expand/facts-3nodes-new-disks.json");

fn plan() -> Value {
    serde_json::from_str(PLAN).unwrap()
}

fn error(value: &Value) -> String {
    RecordedPlan::from_value(value).unwrap_err().to_string()
}

fn assert_one_clean_line(text: &str) {
    assert!(!text.chars().any(char::is_control), "{text:?}");
}

#[test]
fn the_fixture_reads_and_expands() {
    RecordedPlan::from_value(&plan()).unwrap();
    let facts: Value = serde_json::from_str(FACTS).unwrap();
    generate(
        &plan(),
        &facts,
        OutputFormat::Commands,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap();
}

#[test]
fn a_plan_that_does_not_parse_says_where() {
    let text = RecordedPlan::from_bytes(b"{\"format_version\": 2,\n \"nodes\": [\xff]}")
        .unwrap_err()
        .to_string();
    assert!(text.contains("byte 33 (0xff) is invalid"), "{text}");
    let text = RecordedPlan::from_bytes(b"{\"format_version\": 2,\n \"nodes\": [}")
        .unwrap_err()
        .to_string();
    assert!(text.contains("line 2"), "{text}");
    let mut value = plan();
    value["nodes"][0]["disks"][0]["size_bytes"] = json!(-1);
    let text = error(&value);
    assert!(
        text.contains("field nodes[0].disks[0].size_bytes"),
        "{text}"
    );
    assert!(!text.contains("u64"), "{text}");
}

#[test]
fn control_characters_anywhere_are_refused_by_field_path() {
    let mut value = plan();
    value["nodes"][1]["name"] = json!("node1\u{1b}[31m");
    value["volumes"][0]["options"][0]["value"] = json!("on\nfake line");
    let text = error(&value);
    assert!(
        text.contains("field nodes[1].name holds a control character"),
        "{text}"
    );
    assert!(text.contains("field volumes[0].options[0].value"), "{text}");
    assert_one_clean_line(&text);
}

#[test]
fn sizes_beyond_bounds_are_refused() {
    let mut value = plan();
    value["nodes"][0]["disks"][0]["size_bytes"] = json!(u64::MAX);
    value["nodes"][0]["volume_groups"][0]["logical_volumes"][0]["size_bytes"] = json!(u64::MAX);
    let text = error(&value);
    assert!(
        text.contains("nodes[0].disks[0].size_bytes is 18446744073709551615 bytes, above the largest possible (9223372036854775808 bytes)"),
        "{text}"
    );
    assert!(text.contains("logical_volumes[0].size_bytes"), "{text}");
}

#[test]
fn expansion_refuses_names_outside_their_validators() {
    let mut value = plan();
    value["volumes"][0]["name"] = json!("engine; rm -rf /");
    value["nodes"][0]["volume_groups"][0]["name"] = json!("-vg");
    value["volumes"][1]["replica_sets"][0]["bricks"][0]["directory"] = json!("/gluster bricks/x");
    let facts: Value = serde_json::from_str(FACTS).unwrap();
    let report = generate(
        &value,
        &facts,
        OutputFormat::Commands,
        &[],
        &ExpandOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        report.contains("is not a valid Gluster volume name"),
        "{report}"
    );
    assert!(report.contains("'-vg' is not a valid LVM name"), "{report}");
    assert!(
        report.contains("'/gluster bricks/x' is not an absolute path"),
        "{report}"
    );
}

/// Fuzz finding (drift_parsers): a group file value with NUL bytes reached the drift line's
/// fix raw; every part of a drift line is escaped now.
#[test]
fn drift_lines_escape_group_file_values() {
    use hvp_core::drift::{compare, parse, RawClusterState, RawNodeState};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/drift/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
    let plan = RecordedPlan::from_json(&read("plan-3nodes.json")).unwrap();
    let node = RawNodeState {
        name: plan.nodes[0].name.clone(),
        pvs: read("node0-pvs.json"),
        vgs: read("node0-vgs.json"),
        lvs: read("node0-lvs.json"),
        mountinfo: read("mountinfo-node0.txt"),
        ..RawNodeState::default()
    };
    let mut cluster = RawClusterState {
        volume_info_xml: read("volume-info-planned.xml"),
        ..RawClusterState::default()
    };
    cluster.groups.insert(
        "virt".to_owned(),
        "cluster.eager-lock=enabl\u{0}\u{0}e\nnetwork.remote-dio=\u{1b}[31m\n".to_owned(),
    );
    let live = parse(&[node], Some(&cluster)).unwrap();
    let drift = compare(&plan, &live);
    assert!(!drift.is_empty());
    for item in &drift {
        let line = item.to_string();
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    assert!(
        drift
            .iter()
            .any(|d| d.to_string().contains("enabl\\u{0}\\u{0}e")),
        "{drift:#?}"
    );
}

/// Fuzz finding (drift_parsers): roxmltree's message quoted a raw control character of
/// `gluster volume info --xml`; every live-state error is escaped now.
#[test]
fn live_state_errors_escape_the_parsers_messages() {
    use hvp_core::drift::gluster::parse_volume_info;
    use hvp_core::drift::lvm::parse_lvs;
    use hvp_core::drift::mounts::parse_mountinfo;
    let errors = [
        parse_volume_info("<?xml version=\"1.0\"?>\n<cliOutput\u{1}>").unwrap_err(),
        parse_lvs(
            "{\"report\": [{\"lv\": [{\"lv_name\u{1b}\": 1}]}",
            "node\u{7}: lvs",
        )
        .unwrap_err(),
        parse_mountinfo("36 35 98:0 /mnt1\u{0} /mnt2", "node0: mountinfo").unwrap_err(),
    ];
    for error in errors {
        let text = error.to_string();
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}
