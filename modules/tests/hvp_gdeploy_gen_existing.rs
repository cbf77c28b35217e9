//! `hvp-gdeploy-gen --existing`: the expansion's bytes are the core's, refusals go to stderr
//! with exit status 1 and nothing on stdout, and the expansion flags need --existing.

use hvp_core::gdeploy_gen::OutputFormat;
use hvp_core::layout::expand::{generate, ExpandOptions};
use std::process::Command;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../hvp-core/tests/fixtures/expand"
);

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hvp-gdeploy-gen"))
        .args(args)
        .output()
        .unwrap()
}

fn read(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

#[test]
fn prints_the_core_expansion() {
    let plan = format!("{DIR}/plan-3nodes.json");
    let facts = format!("{DIR}/facts-6nodes.json");
    let output = cli(&[
        "--existing",
        &plan,
        &facts,
        "--format",
        "commands",
        "--rebalance",
        "full",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let options = ExpandOptions {
        rebalance: hvp_core::layout::expand::Rebalance::Full,
        ignore_drift: false,
        ..ExpandOptions::default()
    };
    let (expected, _) = generate(
        &read("plan-3nodes.json"),
        &read("facts-6nodes.json"),
        OutputFormat::Commands,
        &[],
        &options,
    )
    .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn refuses_one_new_node_alone() {
    let plan = format!("{DIR}/plan-3nodes.json");
    let facts = format!("{DIR}/facts-4nodes-alone.json");
    let output = cli(&["--existing", &plan, &facts, "--format", "commands"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("a 2-copy set needs free space on 2 distinct nodes; found 1 (node3.gluster.private) [E013]"), "{stderr}");
}

#[test]
fn drift_files_are_read_and_expansion_flags_need_existing() {
    let directory = tempfile::tempdir().unwrap();
    let drift = directory.path().join("drift.json");
    std::fs::write(
        &drift,
        r#"[{"kind": "volume_unknown", "node": null, "object": "volume stray", "expected": "no such volume", "found": "Distribute volume of 1 brick(s), Created", "fix": "gluster volume delete stray"}]"#,
    )
    .unwrap();
    let plan = format!("{DIR}/plan-3nodes.json");
    let facts = format!("{DIR}/facts-6nodes.json");
    let refused = cli(&[
        "--existing",
        &plan,
        &facts,
        "--drift",
        drift.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8(refused.stderr)
        .unwrap()
        .contains("volume stray: expected no such volume"));
    let ignored = cli(&[
        "--existing",
        &plan,
        &facts,
        "--drift",
        drift.to_str().unwrap(),
        "--ignore-drift",
        "--format",
        "table",
    ]);
    assert!(ignored.status.success());
    let without = cli(&[&facts, "--rebalance", "full"]);
    assert_eq!(
        without.status.code(),
        Some(2),
        "clap refuses --rebalance without --existing"
    );
}

#[test]
fn grow_flags_reach_the_core_and_unknown_volumes_are_named() {
    let plan = format!("{DIR}/plan-3nodes.json");
    let facts = format!("{DIR}/facts-4nodes.json");
    let output = cli(&[
        "--existing",
        &plan,
        &facts,
        "--format",
        "table",
        "--grow",
        "vmstore=1TiB",
        "--grow",
        "backup=rest",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let options = ExpandOptions {
        grow: [
            ("vmstore".to_owned(), "1TiB".to_owned()),
            ("backup".to_owned(), "rest".to_owned()),
        ]
        .into(),
        ..ExpandOptions::default()
    };
    let (expected, _) = generate(
        &read("plan-3nodes.json"),
        &read("facts-4nodes.json"),
        OutputFormat::Table,
        &[],
        &options,
    )
    .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
    let refused = cli(&["--existing", &plan, &facts, "--grow", "vmstor=1TiB"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(stderr.contains("did you mean 'vmstore'?"), "{stderr}");
    let malformed = cli(&["--existing", &plan, &facts, "--grow", "vmstore"]);
    assert_eq!(malformed.status.code(), Some(2));
}
