//! The `hvp-gdeploy-gen` binary as a user runs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hvp-gdeploy-gen"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../hvp-core/tests/fixtures/gdeploy")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    binary().args(args).output().unwrap()
}

#[test]
fn prints_the_ini_to_stdout() {
    let output = run(&[fixture("n3-d2.json").to_str().unwrap()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[hosts]\nnode0.gluster.private\n"));
    assert!(text.contains("[volume8]"));
}

#[test]
fn reads_standard_input_with_a_dash() {
    let facts = std::fs::read(fixture("n1-d1.json")).unwrap();
    let mut child = binary()
        .args(["-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&facts).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["topology"]["kind"], "single");
}

#[test]
fn writes_the_output_file_only_on_success() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("gdeploy.conf");
    let ok = run(&[
        fixture("n1-d2.json").to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(ok.status.success());
    assert!(ok.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    let stdout = run(&[fixture("n1-d2.json").to_str().unwrap()]).stdout;
    assert_eq!(
        written.as_bytes(),
        stdout.as_slice(),
        "file and stdout agree"
    );

    let failed = run(&[
        fixture("n2-d2.json").to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(!failed.status.success());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        written,
        "old file kept"
    );
    let entries: Vec<_> = std::fs::read_dir(directory.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");
}

#[test]
fn errors_go_to_stderr_with_nothing_on_stdout() {
    for name in [
        "n0-empty",
        "n1-unknown-var",
        "n3-arbiter-0disks",
        "n1-engine-too-big",
    ] {
        let output = run(&[fixture(&format!("{name}.json")).to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(output.stdout.is_empty(), "{name}: stdout not empty");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("nothing was generated"), "{name}: {stderr}");
    }
    let missing = run(&["/nonexistent/facts.json"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/facts.json")
    );
    let bad_format = run(&[fixture("n1-d1.json").to_str().unwrap(), "--format", "yaml"]);
    assert!(!bad_format.status.success());
    assert!(String::from_utf8_lossy(&bad_format.stderr).contains("use ini, json, table, commands"));
}

#[test]
fn warnings_go_to_stderr_and_do_not_fail() {
    let output = run(&[fixture("n3-d4.json").to_str().unwrap(), "--format", "table"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("overcommitted"));
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

#[test]
fn balanced_policy_renders_every_format() {
    let facts = example("facts-6nodes.json");
    for format in ["ini", "json", "table", "commands", "gluster-ansible"] {
        let output = run(&[
            "--policy",
            "balanced",
            "--format",
            format,
            facts.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stdout.is_empty(), "{format}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("[W109]"),
            "{format}: warnings go to stderr with their code"
        );
    }
    let json = run(&[
        "--policy",
        "balanced",
        "--format",
        "json",
        facts.to_str().unwrap(),
    ]);
    let plan: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(plan["format_version"], 2);
    assert_eq!(plan["policy"], "balanced");
    let commands = run(&[
        "--policy",
        "balanced",
        "--format",
        "commands",
        facts.to_str().unwrap(),
    ]);
    let text = String::from_utf8(commands.stdout).unwrap();
    assert!(text.contains("gluster volume create vmstore replica 3 arbiter 1 transport tcp "));
}

#[test]
fn the_policy_variable_and_the_switch_agree() {
    let facts = example("facts-mixed.json");
    let by_variable = run(&["--format", "json", facts.to_str().unwrap()]);
    let by_switch = run(&[
        "--policy",
        "balanced",
        "--format",
        "json",
        facts.to_str().unwrap(),
    ]);
    assert!(by_variable.status.success());
    assert_eq!(by_variable.stdout, by_switch.stdout);
    let compat = run(&["--policy", "compat", facts.to_str().unwrap()]);
    assert_eq!(
        compat.status.code(),
        Some(1),
        "five nodes are refused by compat"
    );
    assert!(String::from_utf8_lossy(&compat.stderr).contains("hvp_layout_policy: balanced"));
    let bad = run(&["--policy", "balancd", facts.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use compat or balanced"));
}

#[test]
fn inexpressible_plans_are_refused_for_that_format_only() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("lvm-vdo.json");
    let mut facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("facts-6nodes.json")).unwrap())
            .unwrap();
    facts["vars"]["hvp_vdo_mode"] = serde_json::json!("lvm");
    std::fs::write(&path, facts.to_string()).unwrap();
    let ini = run(&[path.to_str().unwrap()]);
    assert_eq!(ini.status.code(), Some(1));
    assert!(ini.stdout.is_empty());
    assert!(String::from_utf8_lossy(&ini.stderr).contains("E019"));
    assert!(run(&["--format", "json", path.to_str().unwrap()])
        .status
        .success());
}
