//! `hvp-engine state`: the checked-in example desired state is what the CLI computes from the
//! example inputs, and bad inputs are refused with every problem.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn state_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hvp-engine"));
    command.current_dir(root()).args([
        "state",
        "--vars",
        "examples/engine/vars.yml",
        "--network-plan",
        "examples/engine/network-plan.json",
        "--storage-plan",
        "examples/engine/storage-plan.json",
        "--cpu",
        "examples/engine/cpu.json",
    ]);
    command
}

#[test]
fn example_state_is_regenerated_identically() {
    let output = state_command().output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let generated: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let checked_in: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/engine-state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        generated, checked_in,
        "examples/engine-state.json is stale: regenerate it with the command in docs/engine.md"
    );
}

#[test]
fn bad_vars_are_refused_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let vars = dir.path().join("vars.yml");
    std::fs::write(&vars, "hosts: []\ndc_nme: x\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hvp-engine"))
        .current_dir(root())
        .args(["state", "--vars"])
        .arg(&vars)
        .args([
            "--network-plan",
            "examples/engine/network-plan.json",
            "--storage-plan",
            "examples/engine/storage-plan.json",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean dc_name"), "{stderr}");
}
